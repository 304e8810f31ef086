package web

import (
	"bytes"
	"embed"
	"html/template"
	"net/http"
	"net/url"

	"github.com/gin-gonic/gin"
)

//go:embed templates
var templateFiles embed.FS

// pageNames are the pages, each parsed together with layout.html.
var pageNames = []string{"form.html", "thanks.html", "message.html", "index.html"}

func parseTemplates() (map[string]*template.Template, error) {
	pages := make(map[string]*template.Template, len(pageNames))
	for _, name := range pageNames {
		t, err := template.New(name).Funcs(template.FuncMap{
			"ui":   ui,
			"dict": questionContext,
		}).ParseFS(templateFiles, "templates/layout.html", "templates/"+name)
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
}

type languageLink struct {
	Code, Name, URL string
	Current         bool
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
	Heading  string
	Message  string
	Link     string
	LinkText string
}
