package web

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html/template"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/metlib/canvass/analysis"
	"github.com/metlib/canvass/campaign"
	"github.com/metlib/canvass/survey"
)

// filterInput reads the response filter's query parameters: status,
// region, language, from, to (dates) and answer=QUESTION:VALUE (repeatable).
func filterInput(c *gin.Context) campaign.FilterInput {
	return campaign.FilterInput{Status: c.Query("status"), Region: c.Query("region"), Language: c.Query("language"),
		From: c.Query("from"), To: c.Query("to"), Answers: c.QueryArray("answer")}
}

// resultsQuery reads an analysis, report or white-paper request: the
// filter's parameters, by, bands (comma-separated numbers) and lang. The
// use case checks them against the survey.
func resultsQuery(c *gin.Context, slug string) (campaign.Query, error) {
	q := campaign.Query{Lang: c.Query("lang"), By: c.Query("by")}
	if b := strings.TrimSpace(c.Query("bands")); b != "" {
		for _, part := range strings.Split(b, ",") {
			f, err := strconv.ParseFloat(strings.TrimSpace(part), 64)
			if err != nil {
				return q, survey.Errorf(survey.EMALFORMED, "bands: %q is not a number.", part)
			}
			q.Bands = append(q.Bands, f)
		}
	}
	var err error
	q.Filter, err = campaign.ParseFilter(slug, filterInput(c))
	return q, err
}

// apiAnalysis returns a survey's analysis as JSON (see docs/analysis.md);
// ?report=true returns the report tables instead.
func (s *Server) apiAnalysis(c *gin.Context) {
	q, err := resultsQuery(c, c.Param("slug"))
	if err != nil {
		s.renderError(c, err)
		return
	}
	var v any
	if c.Query("report") == "true" {
		v, _, err = s.cfg.Campaign.Report(c.Request.Context(), c.Param("slug"), q)
	} else {
		v, err = s.cfg.Campaign.Analysis(c.Request.Context(), c.Param("slug"), q)
	}
	if err != nil {
		s.renderError(c, err)
		return
	}
	var buf bytes.Buffer
	if err := json.NewEncoder(&buf).Encode(v); err != nil {
		s.renderError(c, err)
		return
	}
	c.Data(http.StatusOK, "application/json; charset=utf-8", buf.Bytes())
}

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
	Problem   string
	K         int
	Query     template.URL
	Published *time.Time // when the public results page was published
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
	p := resultsPage{page: s.adminPage(c, fmt.Sprintf(ui(lang, "dash_title"), title)), Survey: sv, Title: title, By: c.Query("by"), Answer: c.Query("answer"), K: smallCellK(sv), Query: filterQuery(c)}
	p.Lang, p.Languages = lang, s.basePage(c, lang, "", sv.Languages...).Languages
	if p.Published, err = s.cfg.Publications.ResultsPublished(c.Request.Context(), sv.Slug); err != nil {
		s.renderError(c, err)
		return
	}
	_, p.Filter, _ = parseResponseFilter(c, sv.Slug)
	p.Regions = regionOptions(lang)
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
		p.Problem = survey.ErrorMessage(err)
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
		p.Problem = survey.ErrorMessage(err)
		s.renderPage(c, http.StatusBadRequest, "admin_results.html", *p)
		return
	}
	s.renderError(c, err)
}

// smallCellK is the survey's small-cell threshold (default 5).
func smallCellK(sv *survey.Survey) int { return campaign.SmallCellK(sv) }
