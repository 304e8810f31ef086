package web

import (
	"bytes"
	"cmp"
	"fmt"
	"math"
	"net/http"
	"slices"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/metlib/canvass/analysis"
	"github.com/metlib/canvass/disclosure"
	"github.com/metlib/canvass/survey"
)

// Published results: when an admin publishes a survey's results, its
// report tables appear at /results/:slug and, one by one, at
// /embed/:slug/results/:table, in the survey's languages. They render the
// disclosed report (campaign.Published: the public snapshot through
// disclosure.Publish) and nothing else: a count the report withholds is
// the hidden mark, its share, bar and interval empty; withheld statistics
// are absent; a withheld table says why. The page applies no rule of its
// own, so it can publish no more than Publish allowed. No free text is ever
// published.

// hiddenMark stands for every withheld count, small or hidden so that a
// small one cannot be worked out: one mark for both, so a reader cannot tell
// which is which (the statistical agencies' practice). Not "–", which the
// workbook and the dashboards use for a statistic undefined for its base.
const hiddenMark = "x"

type publicRow struct {
	Label string
	Count string // the count, or the hidden mark
	Share string // the percentage, empty when withheld
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

// publicCell is a count and its percentage, or the hidden mark alone.
type publicCell struct {
	Count string
	Share string
}

// publicTables makes the publishable form of a disclosed report: each
// table as its spec asks (grouped tables as cross-tabulations), with the
// flags of disclosure.Publish.
func publicTables(rep *analysis.ReportResult, rules disclosure.Rules, lang string) []publicTable {
	var out []publicTable
	for _, t := range rep.Tables {
		if pt, ok := publicTableOf(t, rules, lang); ok {
			out = append(out, pt)
		}
	}
	return out
}

// publicWriter writes one table's numbers for readers in lang, and notes
// what it left out.
type publicWriter struct {
	rules            disclosure.Rules
	lang             string
	hidden, withheld bool
	// topTwoWithheld: a matrix row's top-two share is withheld (a count of
	// its row is hidden, or its base is small); its own note says so, not
	// the note about means, which a matrix does not show.
	topTwoWithheld bool
}

// count is a count as shown: the number, or the hidden mark.
func (w *publicWriter) count(n int, hidden bool) string {
	if hidden {
		w.hidden = true
		return hiddenMark
	}
	return survey.FormatInt(w.lang, n)
}

func (w *publicWriter) pct(share float64) string { return survey.FormatPercent(w.lang, share, 0) }

func (w *publicWriter) num(v float64) string {
	return survey.FormatNumber(w.lang, v, decimalsFor(v))
}

// decimalsFor shows whole numbers whole and others with the decimals they
// have, up to three: disclosure.Publish rounds quantiles to two
// significant figures, and 0.45 must not read 0.5.
func decimalsFor(v float64) int {
	for d := 0; d < 3; d++ {
		scaled := v * math.Pow10(d)
		if math.Abs(scaled-math.Round(scaled)) < 1e-9*math.Max(1, math.Abs(scaled)) {
			return d
		}
	}
	return 3
}

// row is a count with its share and bar; a hidden count has neither,
// since either gives it back times the base, and nor has a count whose
// base is hidden, since the base is the count over the share.
func (w *publicWriter) row(label string, count int, hidden, baseHidden bool, share float64) publicRow {
	row := publicRow{Label: label, Count: w.count(count, hidden)}
	if !hidden && !baseHidden && !math.IsNaN(share) {
		row.Share = w.pct(share)
		row.Width = int(math.Round(100 * share))
	}
	return row
}

// quartiles are published instead of a minimum or maximum, which would be
// one library's own figure; none when the report withholds them.
func (w *publicWriter) quartiles(d analysis.Descriptives) string {
	if d.Withheld {
		w.withheld = true
		return ""
	}
	if d.N == 0 {
		return ""
	}
	return fmt.Sprintf(ui(w.lang, "results_numbers"), w.num(d.Q1), w.num(d.Median), w.num(d.Q3))
}

func publicTableOf(t analysis.TableResult, rules disclosure.Rules, lang string) (publicTable, bool) {
	w := &publicWriter{rules: rules, lang: lang}
	pt := publicTable{ID: t.Spec.ID, Number: t.Number, Title: t.Title, Notes: append([]string(nil), t.Notes...),
		Head: [3]string{ui(lang, "results_answer"), ui(lang, "results_share"), ui(lang, "results_libraries")}}
	q := t.Question
	if q == nil {
		return pt, false
	}
	if t.Withheld {
		pt.Withheld = true
		pt.Base = fmt.Sprintf(ui(lang, "results_withheld"), rules.K)
		pt.Notes = nil
		return pt, publishable(t)
	}
	pt.Base = fmt.Sprintf(ui(lang, "results_base"), w.count(q.Answered, q.AnsweredSuppressed))
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
			pt.Rows = append(pt.Rows, w.row(optionGroupLabel(g), g.Count, g.Suppressed, q.AnsweredSuppressed, g.Share))
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
			pt.Rows = append(pt.Rows, w.row(label, c.Count, c.Suppressed, q.AnsweredSuppressed, c.Share))
		}
		if s := q.ChosenStats; s != nil {
			pt.Summary = w.quartiles(*s)
		}
	case len(q.Options) > 0:
		for _, o := range q.Options {
			pt.Rows = append(pt.Rows, w.row(o.Label, o.Count, o.Suppressed, q.AnsweredSuppressed, o.Share))
		}
		if nt := q.NotTicked; nt != nil && (nt.Count > 0 || nt.Suppressed) {
			// Outside the rows' base (the note says so): a count alone.
			pt.Rows = append(pt.Rows, publicRow{Label: nt.Label, Count: w.count(nt.Count, nt.Suppressed)})
		}
		if s := q.Scale; s != nil {
			pt.Summary = w.scale(s)
		}
	case len(q.Rows) > 0:
		pt.Head = [3]string{ui(lang, "results_row"), ui(lang, "results_top_two"), ui(lang, "results_libraries")}
		for _, r := range q.Rows {
			if r.Scale == nil {
				continue // a matrix of labels has no top two
			}
			row := publicRow{Label: r.Label, Count: w.count(r.Answered, r.AnsweredSuppressed)}
			switch sc := r.Scale; {
			case r.AnsweredSuppressed:
			case sc.Withheld, sc.TopTwoSuppressed:
				w.topTwoWithheld = true
			case sc.N > 0:
				row.Share, row.Width = w.pct(sc.TopTwoShare), int(math.Round(100*sc.TopTwoShare))
			}
			pt.Rows = append(pt.Rows, row)
		}
	case len(q.Ranking) > 0:
		pt.Head = [3]string{ui(lang, "results_answer"), ui(lang, "results_first"), ui(lang, "results_libraries")}
		for _, r := range q.Ranking {
			pt.Rows = append(pt.Rows, w.row(r.Label, r.FirstCount, r.FirstSuppressed, q.AnsweredSuppressed, r.FirstShare))
		}
	case q.Numbers != nil:
		pt.Summary = w.quartiles(q.Numbers.Descriptives)
		if t.Grouping != nil && len(q.ByGroup) > 0 {
			pt.Cross = w.byGroup(t.Grouping, q.ByGroup, &pt)
		}
	default:
		return pt, false // free text and the like are never published
	}
	if c := t.Correlation; c != nil && !math.IsNaN(c.Rho) {
		pt.Correlation = fmt.Sprintf(ui(lang, "results_spearman"), survey.FormatNumber(lang, c.Rho, 2), survey.FormatInt(lang, c.N), pRelation(lang, c.P))
	}
	if w.hidden {
		pt.Notes = append(pt.Notes, fmt.Sprintf(ui(lang, "results_hidden"), hiddenMark, rules.K))
	}
	if w.withheld {
		pt.Notes = append(pt.Notes, fmt.Sprintf(ui(lang, "results_stats_withheld"), rules.MinStatsN))
	}
	if w.topTwoWithheld {
		pt.Notes = append(pt.Notes, fmt.Sprintf(ui(lang, "results_top_two_withheld"), rules.MinStatsN))
	}
	return pt, true
}

// publishable reports whether a table's kind is one the pages show (free
// text never is), so a withheld table of free text is not announced.
func publishable(t analysis.TableResult) bool {
	switch t.Question.Type {
	case survey.ShortText, survey.LongText, survey.URL, survey.Email, survey.Date:
		return false
	}
	return true
}

// scale is a likert's summary: the mean (two decimals, as
// disclosure.Publish rounds it) and the share in the top two points, each
// unless withheld.
func (w *publicWriter) scale(s *analysis.ScaleSummary) string {
	switch {
	case s.Withheld:
		w.withheld = true
		return ""
	case s.N == 0:
		return ""
	case s.TopTwoSuppressed:
		w.hidden = true
		return fmt.Sprintf(ui(w.lang, "results_scale_mean"), survey.FormatNumber(w.lang, float64(s.Mean), 2))
	}
	return fmt.Sprintf(ui(w.lang, "results_scale"), survey.FormatNumber(w.lang, float64(s.Mean), 2), w.pct(s.TopTwoShare))
}

// pRelation writes a p-value to follow a "p": "= 0.034", or "< 0.001".
func pRelation(lang string, p float64) string {
	if s := analysis.FormatP(lang, p); strings.HasPrefix(s, "<") {
		return s
	}
	return "= " + analysis.FormatP(lang, p)
}

// flagAt reads one of a cross-tab's optional flag slices.
func flagAt(flags []bool, i int) bool { return i < len(flags) && flags[i] }

// crossTab publishes a question by a grouping: a column per group with the
// number the column's percentages are of (the hidden mark when withheld).
// A group where nobody answered (or not asked: show_if) has no column of
// zeros; a note names it.
func (w *publicWriter) crossTab(g *analysis.Grouping, ct *analysis.CrossTab, pt *publicTable) *publicCross {
	out := &publicCross{Corner: ui(w.lang, "results_answer")}
	var shown []int
	var empty []string
	for i, grp := range g.Groups {
		hidden := flagAt(ct.ColSuppressed, i)
		switch n := ct.ColTotals[i]; {
		case hidden:
			shown = append(shown, i)
		case n == 0 && i < len(ct.NotAsked) && ct.NotAsked[i] && grp.Respondents > 0:
			continue // the analysis's notes say it was not asked there
		case n == 0:
			empty = append(empty, grp.Label)
			continue
		default:
			shown = append(shown, i)
		}
		out.Columns = append(out.Columns, publicColumn{Label: grp.Label, Base: "n = " + w.count(ct.ColTotals[i], hidden)})
	}
	for r, label := range ct.RowLabels {
		row := publicCrossRow{Label: label}
		for _, i := range shown {
			hidden := r < len(ct.Suppressed) && flagAt(ct.Suppressed[r], i)
			c := publicCell{Count: w.count(ct.Counts[r][i], hidden)}
			if !hidden && !flagAt(ct.ColSuppressed, i) {
				c.Share = w.pct(ct.ColPct[r][i])
			}
			row.Cells = append(row.Cells, c)
		}
		out.Rows = append(out.Rows, row)
	}
	pt.Notes = append(pt.Notes, ui(w.lang, "results_column_base"))
	w.emptyNote(pt, empty)
	return out
}

// byGroup publishes descriptives per group: n, mean, median and quartiles
// (the set the workbook, dashboard and command line show), a row per group
// with answers; a withheld n is the hidden mark, withheld statistics are
// empty cells.
func (w *publicWriter) byGroup(g *analysis.Grouping, by []analysis.GroupNumbers, pt *publicTable) *publicCross {
	out := &publicCross{Corner: g.Label, Columns: []publicColumn{{Label: "n"}, {Label: ui(w.lang, "dash_mean")}, {Label: ui(w.lang, "results_median")}, {Label: ui(w.lang, "results_q1")}, {Label: ui(w.lang, "results_q3")}}}
	var empty []string
	for i, gn := range by {
		label := g.Groups[i].Label
		if gn.Stats.N == 0 && !gn.NSuppressed {
			empty = append(empty, label)
			continue
		}
		cells := []publicCell{{Count: w.count(gn.Stats.N, gn.NSuppressed)}, {}, {}, {}, {}}
		switch {
		case gn.NSuppressed:
		case gn.Stats.Withheld:
			w.withheld = true
		default:
			cells = []publicCell{cells[0], {Count: survey.FormatNumber(w.lang, gn.Stats.Mean, 2)}, {Count: w.num(gn.Stats.Median)}, {Count: w.num(gn.Stats.Q1)}, {Count: w.num(gn.Stats.Q3)}}
		}
		out.Rows = append(out.Rows, publicCrossRow{Label: label, Cells: cells})
	}
	w.emptyNote(pt, empty)
	return out
}

func (w *publicWriter) emptyNote(pt *publicTable, empty []string) {
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

// publicReport is the published report of sv in lang, disclosed
// (campaign.Published), with its public tables.
func (s *Server) publicReport(c *gin.Context, sv *survey.Survey, lang string) (*analysis.ReportResult, []publicTable, bool) {
	pub, err := s.cfg.Campaign.Published(c.Request.Context(), sv, lang)
	if err == nil && pub.Report == nil {
		err = survey.Errorf(survey.ENOTFOUND, "There is no survey %q.", sv.Slug)
	}
	if err != nil {
		s.renderError(c, err)
		return nil, nil, false
	}
	return pub.Report, publicTables(pub.Report, disclosure.RulesOf(sv), lang), true
}

type resultsPublicPage struct {
	page
	Slug      string
	Responses string
	Tables    []publicTable
	// Hidden is the note on withheld counts, for the page's introduction.
	Hidden string
	// Trends are the choice questions across the series' published waves
	// (campaign.PublicTrends), TrendWaves those waves with their responses.
	Trends     []trendView
	TrendWaves string
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
	responses := survey.FormatInt(lang, rep.Responses)
	if rep.ResponsesSuppressed {
		responses = hiddenMark
	}
	trends, waves, err := s.cfg.Campaign.PublicTrends(c.Request.Context(), sv, lang)
	if err != nil {
		s.renderError(c, err)
		return
	}
	p := resultsPublicPage{
		page: s.basePage(c, lang, sv.Title.In(lang, sv.DefaultLanguage), sv.Languages...), Slug: sv.Slug, Responses: responses, Tables: tables,
		Hidden: fmt.Sprintf(ui(lang, "results_hidden"), hiddenMark, disclosure.RulesOf(sv).K)}
	for _, q := range trends {
		if v, ok := choiceTrend(lang, q); ok {
			v.Sub = true
			p.Trends = append(p.Trends, v)
		}
	}
	if len(p.Trends) > 0 {
		var list []string
		for _, w := range waves {
			n := survey.FormatInt(lang, w.Responses)
			if w.ResponsesSuppressed {
				n = hiddenMark
			}
			list = append(list, fmt.Sprintf("%s (n = %s)", cmp.Or(w.Wave, w.Slug), n))
		}
		p.TrendWaves = strings.Join(list, " · ")
	}
	c.Header("Cache-Control", "public, max-age=60")
	s.renderPage(c, http.StatusOK, "results.html", p)
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
