package web

import (
	"fmt"
	"html/template"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/metlib/canvass/analysis"
	"github.com/metlib/canvass/campaign"
	"github.com/metlib/canvass/survey"
)

type resultsPage struct {
	page
	Survey    *survey.Survey
	Title     string
	Report    *analysis.ReportResult
	Filter    responseFilterView
	By        string
	Answer    string
	Groupings []regionOption
	Regions   []regionOption
	Answers   []regionOption
	// SurveyLanguages are the Language filter's options: the survey's
	// languages named in the page's language ("anglais" on a French page).
	SurveyLanguages []regionOption
	Problem         string
	K               int
	Query           template.URL
	// PaperQuery is Query for the white paper for publication: without the
	// filter when PaperFiltered (it covers every response).
	PaperQuery    template.URL
	PaperFiltered bool
	Published     *time.Time // when the public results page was published
	// Figures is what the public outputs are computed from, and when
	// that changes.
	Figures *campaign.PublicFigures
}

// resultsDashboard shows the report tables with charts, filterable, to the
// working group (full counts: small-cell suppression is for public outputs).
func (s *Server) resultsDashboard(c *gin.Context) {
	sv, err := s.cfg.Surveys.FindSurvey(c.Request.Context(), c.Param("slug"))
	if err != nil {
		s.renderError(c, err)
		return
	}
	// The dashboard reads in any of the survey's languages (?lang=, English
	// by default): labels from the definition, its own words from ui.
	lang := "en"
	if l := c.Query("lang"); l != "" && sv.HasLanguage(l) {
		lang = l
	}
	title := sv.Title.In(lang, sv.DefaultLanguage)
	p := resultsPage{page: s.adminPage(c, fmt.Sprintf(ui(lang, "dash_title"), title)), Survey: sv, Title: title, By: c.Query("by"), Answer: c.Query("answer"), K: sv.SmallCellK(), Query: filterQuery(c)}
	p.Lang, p.Languages = lang, s.basePage(c, lang, "", sv.Languages...).Languages
	if p.Published, err = s.cfg.Publications.ResultsPublished(c.Request.Context(), sv.Slug); err != nil {
		s.renderError(c, err)
		return
	}
	if p.Figures, err = s.campaign.PublicFiguresOf(c.Request.Context(), sv.Slug); err != nil {
		s.renderError(c, err)
		return
	}
	// The report below counts canvass demo's responses: say so.
	sum, err := s.cfg.Campaign.Survey(c.Request.Context(), sv.Slug)
	if err != nil {
		s.renderError(c, err)
		return
	}
	p.Demo = demoBanner(lang, sum.Demo, sum.Responses)
	_, p.Filter, _ = parseResponseFilter(c, sv.Slug)
	// The white paper for publication covers every response (a filtered
	// one, subtracted from the public figures, would give counts away): its
	// link keeps the language and grouping and drops the filter, even one
	// that does not parse (the page says what is wrong with it).
	p.PaperQuery = p.Query
	paper := c.Request.URL.Query()
	for _, k := range []string{"region", "language", "from", "to", "answer"} {
		if paper.Get(k) != "" {
			p.PaperFiltered = true
		}
		paper.Del(k)
	}
	if p.PaperFiltered {
		for _, k := range []string{"page", "done", "problem"} {
			paper.Del(k)
		}
		p.PaperQuery = template.URL(paper.Encode())
	}
	p.Regions = regionOptions(lang)
	for _, l := range sv.Languages {
		p.SurveyLanguages = append(p.SurveyLanguages, regionOption{l, languageIn(lang, l)})
	}
	p.Groupings = []regionOption{{"region", ui(lang, "dash_grouping_region")}, {"language", ui(lang, "dash_grouping_language")}}
	for _, q := range sv.Questions() {
		if q.Type == survey.SingleChoice || q.Type == survey.Likert {
			p.Groupings = append(p.Groupings, regionOption{q.ID, q.Label.In(lang, sv.DefaultLanguage)})
			for _, o := range q.Options {
				p.Answers = append(p.Answers, regionOption{q.ID + ":" + string(o.Value), q.Label.In(lang, sv.DefaultLanguage) + " = " + o.Label.In(lang, sv.DefaultLanguage)})
			}
		}
	}
	q, err := resultsQuery(c, sv.Slug)
	if err != nil {
		p.Problem = errorText(lang, err)
		s.renderPage(c, http.StatusBadRequest, "admin_results.html", p)
		return
	}
	q.Lang = lang
	if p.Report, _, err = s.cfg.Campaign.Report(c.Request.Context(), sv.Slug, q); err != nil {
		s.renderErrorOr(c, err, &p)
		return
	}
	s.renderPage(c, http.StatusOK, "admin_results.html", p)
}

func (s *Server) renderErrorOr(c *gin.Context, err error, p *resultsPage) {
	if code := survey.ErrorCode(err); code == survey.EINVALID || code == survey.EMALFORMED {
		p.Problem = errorText(p.Lang, err)
		s.renderPage(c, http.StatusBadRequest, "admin_results.html", *p)
		return
	}
	s.renderError(c, err)
}

// refreshPublicFiguresForm takes the public figures afresh (the results
// page's button; the page warns first what that may reveal).
func (s *Server) refreshPublicFiguresForm(c *gin.Context) {
	pf, err := s.campaign.RefreshPublicFigures(c.Request.Context(), c.Param("slug"))
	if err != nil {
		s.renderError(c, err)
		return
	}
	s.redirectFlash(c, "/admin/surveys/"+c.Param("slug")+"/results", fmt.Sprintf("The public figures were taken again, over %d responses.", pf.Responses), "")
}

// apiRefreshPublicFigures is the same for programs: it answers what the
// figures now cover.
func (s *Server) apiRefreshPublicFigures(c *gin.Context) {
	pf, err := s.campaign.RefreshPublicFigures(c.Request.Context(), c.Param("slug"))
	if err != nil {
		s.renderError(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"survey": c.Param("slug"), "taken_at": pf.At, "responses": pf.Responses, "version": pf.Version, "k": pf.K})
}
