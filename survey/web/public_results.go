package web

import (
	"bytes"
	"fmt"
	"math"
	"net/http"
	"slices"
	"strings"

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
	// Head names the columns of Rows: the answer, the share, the count.
	Head  [3]string
	Rows  []publicRow
	Cross *publicCross // a cross-tabulation or descriptives by group
	// Summary is the scale or number summary; Notes say how to read the
	// table (the analysis's notes, then the publication's own).
	Summary string
	// Correlation is Spearman's ρ with the table's correlate, when it has one.
	Correlation string
	Notes       []string
}

// publicCross is a table with groups as columns (a cross-tabulation) or as
// rows (descriptives by group), every cell already written for the reader.
type publicCross struct {
	Corner  string
	Columns []publicColumn
	Rows    []publicCrossRow
}

type publicColumn struct {
	Label string
	Base  string // "n = 56": the number the column's percentages are of
}

type publicCrossRow struct {
	Label string
	Cells []publicCell
}

// publicCell is a count and its percentage, or "fewer than k" alone.
type publicCell struct {
	Count string
	Share string
}

// publicTables makes the publishable form of a report: each table as its
// spec asks (grouped tables as cross-tabulations), under the small-cell
// rule with the survey's k.
func publicTables(rep *analysis.ReportResult, k int, lang string) []publicTable {
	var out []publicTable
	for _, t := range rep.Tables {
		if pt, ok := publicTableOf(t, k, lang); ok {
			out = append(out, pt)
		}
	}
	return out
}

// publicWriter writes one table's numbers for readers in lang.
type publicWriter struct {
	k    int
	lang string
}

func (w publicWriter) small(n int) bool {
	_, small := analysis.SmallCell(n, w.k)
	return small
}

func (w publicWriter) count(n int) string {
	if w.small(n) {
		return fmt.Sprintf(ui(w.lang, "fewer_than"), w.k)
	}
	return survey.FormatInt(w.lang, n)
}

func (w publicWriter) pct(share float64) string { return survey.FormatPercent(w.lang, share, 0) }

func (w publicWriter) num(v float64) string {
	return survey.FormatNumber(w.lang, v, decimalsFor(v))
}

// decimalsFor shows whole numbers whole and others to one decimal.
func decimalsFor(v float64) int {
	if v == math.Trunc(v) {
		return 0
	}
	return 1
}

func (w publicWriter) row(label string, count int, share float64) publicRow {
	row := publicRow{Label: label, Count: w.count(count)}
	if !w.small(count) && !math.IsNaN(share) {
		row.Share = w.pct(share)
		row.Width = int(math.Round(100 * share))
	}
	return row
}

// quartiles are published instead of a minimum or maximum, which would be
// one library's own figure.
func (w publicWriter) quartiles(d analysis.Descriptives) string {
	return fmt.Sprintf(ui(w.lang, "results_numbers"), w.num(d.Q1), w.num(d.Median), w.num(d.Q3))
}

func publicTableOf(t analysis.TableResult, k int, lang string) (publicTable, bool) {
	w := publicWriter{k: k, lang: lang}
	pt := publicTable{ID: t.Spec.ID, Number: t.Number, Title: t.Title, Notes: append([]string(nil), t.Notes...),
		Head: [3]string{ui(lang, "results_answer"), ui(lang, "results_share"), ui(lang, "results_libraries")}}
	q := t.Question
	if q == nil {
		return pt, false
	}
	if q.Answered < k {
		pt.Withheld = true
		pt.Base = fmt.Sprintf(ui(lang, "results_withheld"), k)
		pt.Notes = nil
		return pt, true
	}
	pt.Base = fmt.Sprintf(ui(lang, "results_base"), survey.FormatInt(lang, q.Answered))
	switch {
	case q.CrossTab != nil && t.Grouping != nil:
		pt.Cross = w.crossTab(t.Grouping, q.CrossTab, &pt)
		if t.Spec.Summary == survey.SummaryGroups && len(q.Groups) > 0 {
			pt.Cross.Corner = ui(lang, "results_family")
		}
		// The tests are not published (a per-option test of a handful of
		// libraries reads as a finding): nor is the analysis's warning
		// about them, which would point at a p-value nobody can see.
		if q.CrossTab.Warning != "" {
			pt.Notes = slices.DeleteFunc(pt.Notes, func(n string) bool { return n == q.CrossTab.Warning })
		}
	case len(q.Groups) > 0 && t.Spec.Summary == survey.SummaryGroups:
		pt.Head[0] = ui(lang, "results_family")
		for _, g := range q.Groups {
			pt.Rows = append(pt.Rows, w.row(optionGroupLabel(g), g.Count, g.Share))
		}
	case t.Spec.Summary == survey.SummaryCount && t.Grouping != nil && len(q.ByGroup) > 0:
		// The number of options chosen by group (bands, levels): the
		// groups' descriptives, not the overall distribution again.
		pt.Cross = w.byGroup(t.Grouping, q.ByGroup, &pt)
	case t.Spec.Summary == survey.SummaryCount && len(q.ChosenCount) > 0:
		pt.Head[0] = ui(lang, "results_number_chosen")
		for _, c := range q.ChosenCount {
			label := c.Key
			if c.Label != "" {
				label = c.Label
			}
			pt.Rows = append(pt.Rows, w.row(label, c.Count, c.Share))
		}
		if s := q.ChosenStats; s != nil && s.N >= k {
			pt.Summary = w.quartiles(*s)
		}
	case len(q.Options) > 0:
		for _, o := range q.Options {
			pt.Rows = append(pt.Rows, w.row(o.Label, o.Count, o.Share))
		}
		if nt := q.NotTicked; nt != nil && nt.Count > 0 {
			// Outside the rows' base (the note says so): a count alone.
			pt.Rows = append(pt.Rows, publicRow{Label: nt.Label, Count: w.count(nt.Count)})
		}
		if q.Scale != nil {
			pt.Summary = fmt.Sprintf(ui(lang, "results_scale"), survey.FormatNumber(lang, float64(q.Scale.Mean), 2), survey.FormatPercent(lang, q.Scale.TopTwoShare, 0))
		}
	case len(q.Rows) > 0:
		pt.Head = [3]string{ui(lang, "results_row"), ui(lang, "results_top_two"), ui(lang, "results_libraries")}
		for _, r := range q.Rows {
			if r.Scale != nil && r.Answered >= k {
				pt.Rows = append(pt.Rows, publicRow{Label: r.Label, Count: survey.FormatInt(lang, r.Answered), Share: w.pct(r.Scale.TopTwoShare), Width: int(math.Round(100 * r.Scale.TopTwoShare))})
			}
		}
	case len(q.Ranking) > 0:
		pt.Head = [3]string{ui(lang, "results_answer"), ui(lang, "results_first"), ui(lang, "results_libraries")}
		for _, r := range q.Ranking {
			pt.Rows = append(pt.Rows, w.row(r.Label, r.FirstCount, r.FirstShare))
		}
	case q.Numbers != nil:
		pt.Summary = w.quartiles(q.Numbers.Descriptives)
		if t.Grouping != nil && len(q.ByGroup) > 0 {
			pt.Cross = w.byGroup(t.Grouping, q.ByGroup, &pt)
		}
	default:
		return pt, false // free text and the like are never published
	}
	if c := t.Correlation; c != nil && c.N >= k && !math.IsNaN(c.Rho) {
		pt.Correlation = fmt.Sprintf(ui(lang, "results_spearman"), survey.FormatNumber(lang, c.Rho, 2), survey.FormatInt(lang, c.N), pRelation(lang, c.P))
	}
	return pt, true
}

// pRelation writes a p-value to follow a "p": "= 0.034", or "< 0.001".
func pRelation(lang string, p float64) string {
	if s := analysis.FormatP(lang, p); strings.HasPrefix(s, "<") {
		return s
	}
	return "= " + analysis.FormatP(lang, p)
}

// crossTab publishes a question by a grouping: a column per group with the
// number the column's percentages are of. A group where fewer than k
// answered is withheld whole (its cells would be a handful of libraries);
// a group where nobody answered (not asked: show_if) has no column of zeros.
func (w publicWriter) crossTab(g *analysis.Grouping, ct *analysis.CrossTab, pt *publicTable) *publicCross {
	out := &publicCross{Corner: ui(w.lang, "results_answer")}
	var shown []int
	var withheld, empty []string
	for i, grp := range g.Groups {
		switch n := ct.ColTotals[i]; {
		case n == 0 && i < len(ct.NotAsked) && ct.NotAsked[i] && grp.Respondents > 0:
			// the analysis's notes say it was not asked there
		case n == 0:
			empty = append(empty, grp.Label)
		case n < w.k:
			withheld = append(withheld, grp.Label)
		default:
			shown = append(shown, i)
			out.Columns = append(out.Columns, publicColumn{Label: grp.Label, Base: "n = " + survey.FormatInt(w.lang, n)})
		}
	}
	for r, label := range ct.RowLabels {
		row := publicCrossRow{Label: label}
		for _, i := range shown {
			c := publicCell{Count: w.count(ct.Counts[r][i])}
			if !w.small(ct.Counts[r][i]) {
				c.Share = w.pct(ct.ColPct[r][i])
			}
			row.Cells = append(row.Cells, c)
		}
		out.Rows = append(out.Rows, row)
	}
	pt.Notes = append(pt.Notes, ui(w.lang, "results_column_base"))
	w.groupNotes(pt, withheld, empty)
	return out
}

// byGroup publishes descriptives per group: n, mean, median and quartiles
// (the set the workbook, dashboard and command line show), a row per
// group with at least k values.
func (w publicWriter) byGroup(g *analysis.Grouping, by []analysis.GroupNumbers, pt *publicTable) *publicCross {
	out := &publicCross{Corner: g.Label, Columns: []publicColumn{{Label: "n"}, {Label: ui(w.lang, "dash_mean")}, {Label: ui(w.lang, "results_median")}, {Label: ui(w.lang, "results_q1")}, {Label: ui(w.lang, "results_q3")}}}
	var withheld, empty []string
	for i, gn := range by {
		label := g.Groups[i].Label
		switch n := gn.Stats.N; {
		case n == 0:
			empty = append(empty, label)
		case n < w.k:
			withheld = append(withheld, label)
		default:
			out.Rows = append(out.Rows, publicCrossRow{Label: label, Cells: []publicCell{{Count: survey.FormatInt(w.lang, n)},
				{Count: survey.FormatNumber(w.lang, gn.Stats.Mean, 2)}, {Count: w.num(gn.Stats.Median)}, {Count: w.num(gn.Stats.Q1)}, {Count: w.num(gn.Stats.Q3)}}})
		}
	}
	w.groupNotes(pt, withheld, empty)
	return out
}

func (w publicWriter) groupNotes(pt *publicTable, withheld, empty []string) {
	if len(withheld) > 0 {
		pt.Notes = append(pt.Notes, fmt.Sprintf(ui(w.lang, "results_groups_withheld"), w.k, strings.Join(withheld, ", ")))
	}
	if len(empty) > 0 {
		pt.Notes = append(pt.Notes, fmt.Sprintf(ui(w.lang, "results_groups_empty"), strings.Join(empty, ", ")))
	}
}

// optionGroupLabel is an option group as readers know it: its label, or
// its code when the definition gives none.
func optionGroupLabel(g analysis.GroupShare) string {
	if g.Label != "" {
		return g.Label
	}
	return g.Group
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
	return rep, publicTables(rep, sv.SmallCellK(), lang), true
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
	k := sv.SmallCellK()
	responses := survey.FormatInt(lang, rep.Responses)
	if rep.Responses > 0 && rep.Responses < k {
		responses = fmt.Sprintf(ui(lang, "fewer_than"), k)
	}
	c.Header("Cache-Control", "public, max-age=60")
	s.renderPage(c, http.StatusOK, "results.html", resultsPublicPage{
		page: s.basePage(c, lang, sv.Title.In(lang, sv.DefaultLanguage), sv.Languages...), Slug: sv.Slug, Responses: responses, Tables: tables, K: k})
}

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
		err := embedTemplates.ExecuteTemplate(&b, "embed_table.html", map[string]any{"Lang": lang, "Table": t, "Survey": sv.Title.In(lang, sv.DefaultLanguage),
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
		s.redirectFlash(c, "/admin/surveys/"+c.Param("slug")+"/results", msg, "")
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
