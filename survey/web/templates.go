package web

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/metlib/canvass/analysis"
	"github.com/metlib/canvass/survey"
)

// formatDate gives a time as the value of an <input type="date">.
func formatDate(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.UTC().Format(time.DateOnly)
}

func formatPercent(n, d int) string {
	if d == 0 {
		return "—"
	}
	return fmt.Sprintf("%.0f%%", 100*float64(n)/float64(d))
}

// adminPage fills the layout of a working-group page.
func (s *Server) adminPage(c *gin.Context, title string) page {
	// The status box shows only what the server itself said (flash.go),
	// never text from the URL.
	done, problem := s.takeFlash(c)
	p := page{Lang: "en", Title: title, CSRF: s.csrfToken(c), Flash: done, FlashError: problem}
	if pr := principalOf(c); pr != nil {
		p.User, p.Role = pr.User, pr.Role
	}
	return p
}

//go:embed templates
var templateFiles embed.FS

// pageNames are the pages, each parsed together with layout.html.
var pageNames = []string{"form.html", "thanks.html", "message.html", "index.html",
	"admin_login.html", "admin_password.html", "admin_dashboard.html", "admin_survey.html", "admin_survey_new.html",
	"admin_responses.html", "admin_response.html", "admin_confirm.html", "admin_tokens.html", "admin_users.html",
	"admin_audit.html", "admin_account.html", "admin_results.html", "libraries.html", "library.html",
	"admin_libraries.html", "admin_library.html", "admin_import.html", "admin_invitations.html", "admin_embed.html", "results.html", "admin_coordinator.html",
	"admin_changes.html", "admin_trends.html", "admin_round.html", "report.html", "admin_reports.html"}

func parseTemplates() (map[string]*template.Template, error) {
	pages := make(map[string]*template.Template, len(pageNames))
	for _, name := range pageNames {
		t, err := template.New(name).Funcs(template.FuncMap{
			"ui":      ui,
			"dict":    questionContext,
			"when":    timeIn,       // {{when $.Lang .SentAt}}: an instant, a <time> element times.js localises (lang_admin.go)
			"day":     dayIn,        // {{day $.Lang .Survey.ClosesAt}}: a day, never shifted (lang_admin.go)
			"htmlf":   sentenceWith, // {{htmlf (ui $L "dash_published") (when $L .Published)}} (lang_admin.go)
			"label":   codeLabel,    // {{label $.Lang "region" .Region}}: a code's name (lang_admin.go)
			"date":    formatDate,
			"percent": func(n, d int) string { return formatPercent(n, d) },
			"pct":     func(f float64) string { return fmt.Sprintf("%.1f%%", 100*f) },
			"num":     formatStat,
			"pval":    func(p float64) string { return analysis.FormatP("en", p) }, // working-group pages are in English (adminPage)
			"chart":   chartFor,
			"cell":    func(m [][]float64, r, c int) float64 { return m[r][c] },
			"count":   func(m [][]int, r, c int) int { return m[r][c] },
			"deref":   func(f *float64) float64 { return *f },
			"fieldOf": libraryFieldOf, // {{with fieldOf .Path}}: where a library form's problem is (admin_libraries.go)
			"inc":     func(i int) int { return i + 1 },
			"answer":  survey.FormatAnswer, // {{answer $.Lang 1200}}: a number answer as the form writes it in lang
			"reportf": reportText,          // {{reportf $L "report_for" .R.Library}}: a report page text with its values (lang_report.go)
		}).Funcs(readerFuncs).ParseFS(templateFiles, "templates/layout.html", "templates/partial_consent.html", "templates/partial_trend.html", "templates/"+name)
		if err != nil {
			return nil, err
		}
		pages[name] = t
	}
	return pages, nil
}

// questionContext pairs a question with the page language for the
// "question" template, which needs both.
func questionContext(lang string, q questionView) map[string]any {
	return map[string]any{"Lang": lang, "Q": q}
}

// page is what the layout needs from every page.
type page struct {
	Lang      string
	Title     string
	Languages []languageLink
	// User is set on the working group's pages: the layout shows their menu.
	User *survey.User
	Role survey.Role
	CSRF string
	// Flash is a one-line confirmation or problem shown at the top.
	Flash, FlashError string
	// Demo is the banner of a working-group page counting canvass demo's
	// made-up data (demoBanner), so nobody takes it for real.
	Demo string
}

type languageLink struct {
	Code, Name, URL string
	Current         bool
}

// CanEditDirectory reports whether the page's user may add and edit
// libraries and invite them (admins, and coordinators within their regions).
func (p page) CanEditDirectory() bool {
	return p.Role == survey.RoleAdmin || p.Role == survey.RoleCoordinator
}

// basePage fills the layout; the language switcher links to the same page
// in each of langs (or the UI languages when none are given).
func (s *Server) basePage(c *gin.Context, lang, title string, langs ...string) page {
	if len(langs) == 0 {
		langs = uiLanguages
	}
	p := page{Lang: lang, Title: title}
	if len(langs) > 1 {
		for _, l := range langs {
			q := url.Values{}
			for k, v := range c.Request.URL.Query() {
				q[k] = v
			}
			q.Set("lang", l)
			p.Languages = append(p.Languages, languageLink{Code: l, Name: languageName(l), URL: c.Request.URL.Path + "?" + q.Encode(), Current: l == lang})
		}
	}
	return p
}

// renderPage executes a page into a buffer first, so a template error
// becomes a clean 500 rather than half a page.
func (s *Server) renderPage(c *gin.Context, status int, name string, data any) {
	var buf bytes.Buffer
	if err := s.pages[name].ExecuteTemplate(&buf, "layout", data); err != nil {
		s.log.ErrorContext(c.Request.Context(), "render page", "page", name, "error", err)
		c.Data(http.StatusInternalServerError, "text/plain; charset=utf-8", []byte("An internal error occurred."))
		return
	}
	c.Header("Cache-Control", "no-store")
	c.Data(status, "text/html; charset=utf-8", buf.Bytes())
}

// messagePage is a heading and a sentence: errors, closed surveys.
type messagePage struct {
	page
	Slug     string // the thank-you page clears the browser's copy of this survey's answers
	Heading  string
	Message  string
	Link     string
	LinkText string
}

// formatStat writes a statistic (float64 or analysis.Float) with two
// decimals, and "–" when it is undefined (NaN).
func formatStat(v any) string {
	var f float64
	switch x := v.(type) {
	case float64:
		f = x
	case analysis.Float:
		f = float64(x)
	default:
		return fmt.Sprint(v)
	}
	return survey.FormatNumber("en", f, 2)
}
