package web

import (
	"bytes"
	"fmt"
	"html/template"
	"math"
	"net/http"
	"net/url"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/metlib/canvass/analysis"
	"github.com/metlib/canvass/survey"
)

// Published results: when an admin publishes a survey's results, its
// report tables appear at /results/:slug and, one by one, at
// /embed/:slug/results/:table, in the survey's languages. They carry
// aggregates only: counts from 1 to k-1 are "fewer than k" (their
// percentages withheld too), a table answered by fewer than k is not
// shown, numbers give quartiles but never a minimum, maximum or outlier,
// and no free text is ever published.

type publicRow struct {
	Label string
	Count string // the count, or "fewer than k"
	Share string // the percentage, empty when suppressed
	Width int    // bar width, percent of the widest
}

type publicTable struct {
	ID       string
	Number   int
	Title    string
	Base     string // "Answered by N libraries", or why the table is withheld
	Withheld bool
	Rows     []publicRow
	Summary  string // scale or number summary
	Notes    []string
}

// publicTables makes the publishable form of a report.
func publicTables(rep *analysis.ReportResult, k int, lang string) []publicTable {
	var out []publicTable
	for _, t := range rep.Tables {
		pt := publicTable{ID: t.Spec.ID, Number: t.Number, Title: t.Title, Notes: t.Notes}
		q := t.Question
		if q == nil {
			continue
		}
		if q.Answered < k {
			pt.Withheld = true
			pt.Base = fmt.Sprintf(ui(lang, "results_withheld"), k)
			out = append(out, pt)
			continue
		}
		pt.Base = fmt.Sprintf(ui(lang, "results_base"), q.Answered)
		addRow := func(label string, count int, share float64) {
			row := publicRow{Label: label}
			if _, small := analysis.SmallCell(count, k); small {
				row.Count = fmt.Sprintf(ui(lang, "fewer_than"), k)
			} else {
				row.Count = strconv.Itoa(count)
				row.Share = fmt.Sprintf("%.0f%%", 100*share)
				row.Width = int(math.Round(100 * share))
			}
			pt.Rows = append(pt.Rows, row)
		}
		switch {
		case t.Grouping != nil:
			// Cross-tabulations are for the white paper, where cells are checked one by one.
			for _, o := range q.Options {
				addRow(o.Label, o.Count, o.Share)
			}
		case len(q.Groups) > 0 && t.Spec.Summary == "groups":
			for _, g := range q.Groups {
				addRow(g.Group, g.Count, g.Share)
			}
		case len(q.Options) > 0:
			for _, o := range q.Options {
				addRow(o.Label, o.Count, o.Share)
			}
		case q.Scale != nil:
			for _, o := range q.Scale.Distribution {
				addRow(o.Label, o.Count, o.Share)
			}
		case len(q.Rows) > 0:
			for _, r := range q.Rows {
				if r.Scale != nil && r.Answered >= k {
					pt.Rows = append(pt.Rows, publicRow{Label: r.Label, Count: strconv.Itoa(r.Answered), Share: fmt.Sprintf("%.0f%%", 100*r.Scale.TopTwoShare), Width: int(math.Round(100 * r.Scale.TopTwoShare))})
				}
			}
		case q.Numbers != nil:
			pt.Summary = fmt.Sprintf(ui(lang, "results_numbers"), q.Numbers.Q1, q.Numbers.Median, q.Numbers.Q3)
		default:
			continue // free text and the like are never published
		}
		if q.Scale != nil {
			pt.Summary = fmt.Sprintf(ui(lang, "results_scale"), q.Scale.Mean, 100*q.Scale.TopTwoShare)
		}
		out = append(out, pt)
	}
	return out
}

// publishedSurvey finds a survey whose results are published; any other
// slug gets the same 404 as an unknown survey.
func (s *Server) publishedSurvey(c *gin.Context) *survey.Survey {
	return s.publicSurvey(c, func(sv *survey.Survey) (bool, error) {
		at, err := s.cfg.Publications.ResultsPublished(c.Request.Context(), sv.Slug)
		return at != nil, err
	})
}

// publicReport is the published report of sv in lang, with its public
// tables (the use case computes and caches it; the tables apply the
// disclosure rules).
func (s *Server) publicReport(c *gin.Context, sv *survey.Survey, lang string) (*analysis.ReportResult, []publicTable, bool) {
	rep, err := s.cfg.Campaign.PublicReport(c.Request.Context(), sv, lang)
	if err != nil {
		s.renderError(c, err)
		return nil, nil, false
	}
	return rep, publicTables(rep, smallCellK(sv), lang), true
}

type resultsPublicPage struct {
	page
	Slug      string
	Responses string
	Tables    []publicTable
	K         int
}

// resultsPage is the public results page of a published survey.
func (s *Server) resultsPage(c *gin.Context) {
	sv := s.publishedSurvey(c)
	if sv == nil {
		return
	}
	lang := negotiateLanguage(c, sv)
	rep, tables, ok := s.publicReport(c, sv, lang)
	if !ok {
		return
	}
	k := smallCellK(sv)
	responses := strconv.Itoa(rep.Responses)
	if rep.Responses > 0 && rep.Responses < k {
		responses = fmt.Sprintf(ui(lang, "fewer_than"), k)
	}
	c.Header("Cache-Control", "public, max-age=60")
	s.renderPage(c, http.StatusOK, "results.html", resultsPublicPage{
		page: s.basePage(c, lang, sv.Title.In(lang, sv.DefaultLanguage), sv.Languages...), Slug: sv.Slug, Responses: responses, Tables: tables, K: k})
}

var embedTableTemplate = template.Must(template.New("table").Parse(`<!doctype html>
<html lang="{{.Lang}}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Table.Title}}</title>
<style>
body{margin:0;padding:.75rem;font:14px/1.4 system-ui,sans-serif;color:#1b1f24;background:#fff}
h1{font-size:1rem;margin:0 0 .25rem}.note{color:#555d66;margin:.25rem 0 .75rem}
table{border-collapse:collapse;width:100%}td,th{text-align:left;padding:.3rem .4rem;border-bottom:1px solid #e3e6ea;vertical-align:middle}
.bar{display:inline-block;height:.8rem;background:#0b5cad;border-radius:2px;min-width:2px}
</style></head><body>
<h1>{{.Table.Title}}</h1>
<p class="note">{{.Table.Base}}</p>
{{if .Table.Rows}}<table><tbody>{{range .Table.Rows}}<tr><th scope="row">{{.Label}}</th><td><span class="bar" style="width:{{.Width}}px"></span></td><td>{{.Share}}</td><td>{{.Count}}</td></tr>{{end}}</tbody></table>{{end}}
{{if .Table.Summary}}<p>{{.Table.Summary}}</p>{{end}}
<p class="note"><a href="{{.Link}}" target="_top">{{.Survey}}</a></p>
</body></html>`))

// embedResultsTable is one published table, for an iframe.
func (s *Server) embedResultsTable(c *gin.Context) {
	sv := s.publishedSurvey(c)
	if sv == nil {
		return
	}
	lang := negotiateLanguage(c, sv)
	_, tables, ok := s.publicReport(c, sv, lang)
	if !ok {
		return
	}
	for _, t := range tables {
		if t.ID != c.Param("table") {
			continue
		}
		var b bytes.Buffer
		err := embedTableTemplate.Execute(&b, map[string]any{"Lang": lang, "Table": t, "Survey": sv.Title.In(lang, sv.DefaultLanguage),
			"Link": s.baseURL(c) + "/results/" + sv.Slug + "?lang=" + lang})
		if err != nil {
			s.renderError(c, err)
			return
		}
		sendCached(c, "text/html; charset=utf-8", b.Bytes())
		return
	}
	s.renderError(c, survey.Errorf(survey.ENOTFOUND, "The results have no table %q.", c.Param("table")))
}

// setPublished publishes or withdraws a survey's results (admin page and
// API) through campaign.PublishResults.
func (s *Server) setPublished(c *gin.Context, publish bool) error {
	_, err := s.campaign.PublishResults(c.Request.Context(), c.Param("slug"), publish)
	return err
}

func (s *Server) publishResultsForm(publish bool) gin.HandlerFunc {
	return func(c *gin.Context) {
		if err := s.setPublished(c, publish); err != nil {
			s.renderError(c, err)
			return
		}
		msg := "The results are published at /results/" + c.Param("slug") + "."
		if !publish {
			msg = "The results are no longer public."
		}
		c.Redirect(http.StatusSeeOther, "/admin/surveys/"+c.Param("slug")+"/results?done="+url.QueryEscape(msg))
	}
}

func (s *Server) apiPublishResults(publish bool) gin.HandlerFunc {
	return func(c *gin.Context) {
		if err := s.setPublished(c, publish); err != nil {
			s.renderError(c, err)
			return
		}
		c.JSON(http.StatusOK, gin.H{"survey": c.Param("slug"), "published": publish, "url": s.baseURL(c) + "/results/" + c.Param("slug")})
	}
}
