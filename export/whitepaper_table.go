package export

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/metlib/canvass/analysis"
	"github.com/metlib/canvass/disclosure"
	"github.com/metlib/canvass/survey"
)

// tableWriter writes one report table's sheet, in the report's language,
// and collects the notes the sheet needs (hidden cells, undefined
// statistics, groups left out).
//
// It applies no disclosure rule of its own: a disclosed report
// (disclosure.Publish's) says which figures are withheld through its flags,
// and the writer leaves out exactly those and everything computed from
// them. Only what a publication never shows (minimum, maximum, outliers)
// is left out by the writer itself, when the report is disclosed.
type tableWriter struct {
	*sheet
	t     analysis.TableResult
	st    paperStyles
	rules *disclosure.Rules // the notes' k and minimum n
	full  bool              // a full-counts workbook: minimum, maximum and outliers too
	w     words

	hidden, withheld, undefined bool
	notes                       []string
}

// hiddenMark stands for every withheld count, whether it is small itself
// or hidden so that a small one cannot be worked out: one mark, so a
// reader cannot tell which is which (the statistical agencies' practice).
// Not "–", which in the workbook means a statistic undefined for its base.
const hiddenMark = "x"

// count is a count cell: n, or the hidden mark when the report withholds it.
func (tw *tableWriter) count(n int, hidden bool) any {
	if hidden {
		tw.hidden = true
		return hiddenMark
	}
	return n
}

// countText is a count in running text: grouped digits, or the hidden mark.
func (tw *tableWriter) countText(n int, hidden bool) string {
	if hidden {
		tw.hidden = true
		return hiddenMark
	}
	return tw.w.int(n)
}

// stat is a statistic cell: a number, or "–" when it is undefined (NaN:
// an empty sample, the SD of one value), never a made-up 0.
func (tw *tableWriter) stat(v float64) any {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		tw.undefined = true
		return "–"
	}
	return v
}

// shareOf is a percentage cell, or an empty one when its base is hidden.
func (tw *tableWriter) shareOf(v float64, baseHidden bool) any {
	if baseHidden {
		return nil
	}
	return tw.stat(v)
}

// valuesN is the number of values statistics are of (a scale's or a
// number question's n). disclosure.Publish hides it by zeroing it with the
// statistics withheld; a zero beside withheld statistics is therefore
// written as hidden, never as a count of nobody (at worst a true zero is
// marked).
func (tw *tableWriter) valuesN(n int, withheld bool) any {
	return tw.count(n, withheld && n == 0)
}

// statOrWithheld is a statistic cell, or an empty one when withheld.
func (tw *tableWriter) statOrWithheld(v float64, withheld bool) any {
	if withheld {
		return nil
	}
	return tw.stat(v)
}

// describe gives statistics of a sample of d.N values: "–" for each when
// the sample is empty (whatever the analysis put in them), and for the
// standard deviation of fewer than two values. Statistics the report
// withholds are empty cells, with a note.
func (tw *tableWriter) describe(d analysis.Descriptives, stats ...string) []any {
	out := make([]any, len(stats))
	if d.Withheld {
		tw.withheld = true
		return out
	}
	for i, name := range stats {
		var v float64
		switch name {
		case "mean":
			v = d.Mean
		case "sd":
			v = d.SD
			if d.N < 2 {
				v = math.NaN()
			}
		case "min":
			v = d.Min
		case "q1":
			v = d.Q1
		case "median":
			v = d.Median
		case "q3":
			v = d.Q3
		case "max":
			v = d.Max
		}
		if d.N == 0 {
			v = math.NaN()
		}
		out[i] = tw.stat(v)
	}
	return out
}

func (tw *tableWriter) write(title, source string) error {
	f, name := tw.f, tw.name
	if _, err := f.NewSheet(name); err != nil {
		return err
	}
	q := tw.t.Question
	tw.put(tw.st.title, title)
	if tw.t.Withheld {
		// Answered by fewer than k: not a figure of it is published, and
		// the sheet says why rather than leave a gap in the numbering.
		tw.put(0, tw.w.get("table_withheld", tw.rules.K))
		tw.put(0)
		tw.put(tw.st.note, source)
		_ = f.SetColWidth(name, "A", "A", 90)
		_ = f.SetPageLayout(name, landscape())
		return nil
	}
	tw.put(0, tw.w.get("base", tw.countText(q.Asked, q.AskedSuppressed), tw.countText(q.Answered, q.AnsweredSuppressed)))
	tw.put(0)
	headerRow := tw.row + 1
	var chartRows [2]int
	switch {
	case q.CrossTab != nil && tw.t.Grouping != nil:
		tw.crossTab(q.CrossTab)
	case len(q.Groups) > 0:
		chartRows = tw.optionGroups(q)
	case tw.t.Spec.Summary == survey.SummaryCount:
		tw.chosenCount(q)
	case len(q.Rows) > 0:
		chartRows = tw.matrix(q)
	case q.Numbers != nil:
		tw.numbers(q.Numbers)
		tw.byGroup(q)
	case len(q.Options) > 0:
		chartRows = tw.options(q)
	case len(q.Ranking) > 0:
		tw.ranking(q)
	case len(q.Texts) > 0:
		tw.put(tw.st.header, tw.w.get("for_coding"))
		for _, text := range q.Texts {
			cut, _ := fitCell(text)
			tw.put(0, cut) // text cells: never formulas
		}
	default:
		tw.put(0, tw.w.get("nothing"))
	}
	if c := tw.t.Correlation; c != nil {
		tw.put(0)
		tw.put(tw.st.header, tw.w.get("correlation"), "ρ", "n", "p")
		tw.put(0, tw.w.get("spearman"), tw.stat(c.Rho), c.N, tw.stat(c.P))
		tw.style(2, 2, tw.st.num)
		tw.style(4, 4, tw.st.num)
	}
	tw.put(0)
	notes := append(append([]string(nil), tw.t.Notes...), tw.notes...)
	if tw.hidden {
		notes = append(notes, tw.w.get("hidden", hiddenMark, tw.rules.K))
	}
	if tw.withheld {
		notes = append(notes, tw.w.get("stats_withheld", tw.rules.MinStatsN))
	}
	if tw.undefined {
		notes = append(notes, tw.w.get("undefined"))
	}
	tw.finish(tw.st, tw.w, notes, source, headerRow)
	if tw.t.Spec.Headline && chartRows[0] > 0 && chartRows[1] >= chartRows[0] {
		return addChart(f, name, tw.t.Title, chartRows, tw.row+2, len(tw.widths))
	}
	return nil
}

// shownGroups are the indexes of the groups that get a column or a row:
// those with respondents who answered. The others (nobody in the group, or
// the question hidden from it by show_if) would be a column of zeros that
// reads as "nobody chose anything"; a note names them instead.
func (tw *tableWriter) shownGroups(answered func(g int) int, noted func(g int) bool) []int {
	var shown []int
	var left []string
	for g, grp := range tw.t.Grouping.Groups {
		switch {
		case answered(g) > 0:
			shown = append(shown, g)
		case !noted(g):
			left = append(left, grp.Label)
		}
	}
	if len(left) > 0 {
		tw.notes = append(tw.notes, tw.w.get("empty_groups", strings.Join(left, ", ")))
	}
	return shown
}

// notAskedNoted reports whether the analysis's notes already say that the
// question was not asked in group g (a group with respondents, all of
// whom show_if skipped).
func notAskedNoted(ct *analysis.CrossTab, groups []analysis.Group) func(int) bool {
	return func(g int) bool { return g < len(ct.NotAsked) && ct.NotAsked[g] && groups[g].Respondents > 0 }
}

// numbers writes a number question's descriptives. A publication has no
// minimum, maximum or outliers: each is one library's own answer.
func (tw *tableWriter) numbers(n *analysis.NumberSummary) {
	if !tw.full {
		tw.put(tw.st.header, "n", tw.w.get("mean"), tw.w.get("sd"), "Q1", tw.w.get("median"), "Q3")
		tw.put(0, append([]any{tw.valuesN(n.N, n.Withheld)}, tw.describe(n.Descriptives, "mean", "sd", "q1", "median", "q3")...)...)
		tw.style(2, 6, tw.st.num)
		return
	}
	tw.put(tw.st.header, "n", tw.w.get("mean"), tw.w.get("sd"), tw.w.get("minimum"), "Q1", tw.w.get("median"), "Q3", tw.w.get("maximum"), tw.w.get("outliers"))
	tw.put(0, append(append([]any{n.N}, tw.describe(n.Descriptives, "mean", "sd", "min", "q1", "median", "q3", "max")...), len(n.Outliers))...)
	tw.style(2, 8, tw.st.num)
}

// flag reads one of a cross-tab's optional flag slices.
func flag(flags []bool, i int) bool { return i < len(flags) && flags[i] }

// anyHidden reports whether a cross-tab withholds any of its counts.
func anyHidden(ct *analysis.CrossTab) bool {
	if ct.TotalSuppressed || slices.Contains(ct.ColSuppressed, true) || slices.Contains(ct.RowSuppressed, true) {
		return true
	}
	return slices.ContainsFunc(ct.Suppressed, func(row []bool) bool { return slices.Contains(row, true) })
}

func (tw *tableWriter) crossTab(ct *analysis.CrossTab) {
	groups := tw.t.Grouping.Groups
	shown := tw.shownGroups(func(g int) int {
		if flag(ct.ColSuppressed, g) {
			return 1 // hidden, so not known to be empty: a column of its own
		}
		return ct.ColTotals[g]
	}, notAskedNoted(ct, groups))
	header := []any{tw.w.get("answer")}
	for _, g := range shown {
		header = append(header, groups[g].Label+" (n)", groups[g].Label+" (%)")
	}
	tw.put(tw.st.header, append(header, tw.w.get("total_n"))...)
	for r, label := range ct.RowLabels {
		row := []any{label}
		for _, g := range shown {
			hidden := r < len(ct.Suppressed) && flag(ct.Suppressed[r], g)
			if hidden {
				row = append(row, tw.count(0, true), nil)
			} else {
				row = append(row, ct.Counts[r][g], tw.shareOf(ct.ColPct[r][g], flag(ct.ColSuppressed, g)))
			}
		}
		tw.put(0, append(row, tw.count(ct.RowTotals[r], flag(ct.RowSuppressed, r)))...)
		for i := range shown {
			tw.style(3+2*i, 3+2*i, tw.st.pct)
		}
	}
	totals := []any{tw.w.get("answering")}
	for _, g := range shown {
		totals = append(totals, tw.count(ct.ColTotals[g], flag(ct.ColSuppressed, g)), nil)
	}
	tw.put(tw.st.bold, append(totals, tw.count(ct.Total, ct.TotalSuppressed))...)
	tw.notes = append(tw.notes, tw.w.get("column_base"))

	if anyHidden(ct) {
		// A test statistic is a function of every cell: published beside
		// hidden ones it can give them back (the issue solved a cell from
		// X² alone). disclosure.Publish drops them; a table that still
		// carried one would not get it written.
		tw.notes = append(tw.notes, tw.w.get("tests_withheld"))
		return
	}
	tests := []*analysis.ChiSquareResult{ct.Test}
	if ct.Tests != nil {
		tests = ct.Tests
	}
	headed := false
	for i, test := range tests {
		if test == nil {
			continue
		}
		if !headed {
			tw.put(0)
			tw.put(tw.st.header, tw.w.get("test"), "X²", "df", "p", tw.w.get("cramers_v"), tw.w.get("fisher"))
			headed = true
		}
		label := tw.w.get("chi_square")
		if ct.Tests != nil {
			label = tw.w.get("chi_square_row", ct.RowLabels[i])
		}
		row := []any{label, tw.stat(test.Statistic), test.DF, tw.stat(test.P), tw.stat(test.CramersV)}
		if test.FisherP != nil {
			row = append(row, tw.stat(*test.FisherP))
		}
		tw.put(0, row...)
		tw.style(2, 2, tw.st.num)
		tw.style(4, 6, tw.st.num)
	}
}

// share writes a count with its percentage and interval; a hidden count
// has neither, since either gives it back times the base, and nor has a
// count whose base is hidden, since the base is the count over it.
func (tw *tableWriter) share(label string, n int, hidden, baseHidden bool, share float64, ci analysis.Interval) {
	if hidden || baseHidden {
		tw.put(0, label, tw.count(n, hidden))
		return
	}
	tw.put(0, label, n, tw.stat(share), tw.stat(ci.Low), tw.stat(ci.High))
	tw.style(3, 5, tw.st.pct)
}

func (tw *tableWriter) optionGroups(q *analysis.QuestionResult) [2]int {
	tw.put(tw.st.header, tw.w.get("family"), tw.w.get("respondents_n"), "%", tw.w.get("ci_low"), tw.w.get("ci_high"))
	rows := [2]int{tw.row + 1}
	for _, g := range q.Groups {
		tw.share(groupLabel(g), g.Count, g.Suppressed, q.AnsweredSuppressed, g.Share, g.CI)
	}
	rows[1] = tw.row
	return rows
}

func (tw *tableWriter) options(q *analysis.QuestionResult) [2]int {
	header := []any{tw.w.get("answer"), tw.w.get("respondents_n"), "%", tw.w.get("ci_low"), tw.w.get("ci_high")}
	multi := q.Type == survey.MultiChoice
	if multi {
		header = append(header, tw.w.get("mentions"))
	}
	tw.put(tw.st.header, header...)
	rows := [2]int{tw.row + 1}
	for _, o := range q.Options {
		tw.share(o.Label, o.Count, o.Suppressed, q.AnsweredSuppressed, o.Share, o.CI)
		// % of mentions times the mentions is the count: withheld with it.
		if multi && o.MentionShare != nil && !o.Suppressed {
			cell, _ := excelize.CoordinatesToCellName(6, tw.row)
			_ = tw.f.SetCellValue(tw.name, cell, tw.stat(*o.MentionShare))
			_ = tw.f.SetCellStyle(tw.name, cell, cell, tw.st.pct)
		}
	}
	rows[1] = tw.row
	if nt := q.NotTicked; nt != nil && nt.Count > 0 {
		// Asked, ticked nothing: outside the base of the rows above (the
		// analysis's note says so), so a count without a percentage.
		tw.put(0, nt.Label, tw.count(nt.Count, nt.Suppressed))
	}
	if s := q.Scale; s != nil {
		tw.put(0)
		tw.put(tw.st.header, tw.w.get("statistic"), tw.w.get("value"))
		tw.put(0, "n", tw.valuesN(s.N, s.Withheld))
		if s.Withheld {
			// A mean of a few answers gives a hidden count back (the
			// issue's likert); the statistics go, with a note.
			tw.withheld = true
			return rows
		}
		tw.statRows(s.N, [][2]any{{tw.w.get("mean"), float64(s.Mean)}, {tw.w.get("sd"), float64(s.SD)}, {tw.w.get("median"), float64(s.Median)}})
		if s.TopTwoSuppressed {
			tw.put(0, tw.w.get("top_two"), tw.count(0, true))
			return rows
		}
		top := s.TopTwoShare
		if s.N == 0 {
			top = math.NaN()
		}
		tw.put(0, tw.w.get("top_two"), tw.stat(top))
		tw.style(2, 2, tw.st.pct)
	}
	return rows
}

// statRows writes one statistic a row, label then value, so no row mixes
// labels and values; every statistic of an empty sample is "–".
func (tw *tableWriter) statRows(n int, stats [][2]any) {
	for _, s := range stats {
		v := s[1].(float64)
		if n == 0 {
			v = math.NaN()
		}
		tw.put(0, s[0], tw.stat(v))
		tw.style(2, 2, tw.st.num)
	}
}

// chosenCount writes a summary count table: grouped (by its bands, the
// levels it correlates with, a request's by), the number of options chosen
// per group; else the distribution of that number, 0 to the most chosen.
func (tw *tableWriter) chosenCount(q *analysis.QuestionResult) {
	if len(q.ByGroup) > 0 && tw.t.Grouping != nil {
		tw.byGroup(q)
		return
	}
	tw.put(tw.st.header, tw.w.get("number_chosen"), tw.w.get("respondents_n"), "%")
	for _, c := range q.ChosenCount {
		label := c.Key
		if c.Label != "" {
			label = c.Label
		}
		if c.Suppressed {
			tw.put(0, label, tw.count(c.Count, true))
		} else {
			tw.put(0, label, c.Count, tw.shareOf(c.Share, q.AnsweredSuppressed))
			tw.style(3, 3, tw.st.pct)
		}
	}
	if s := q.ChosenStats; s != nil {
		tw.put(0)
		tw.put(tw.st.header, tw.w.get("statistic"), tw.w.get("value"))
		tw.put(0, "n", tw.valuesN(s.N, s.Withheld))
		if s.Withheld {
			tw.withheld = true
			return
		}
		tw.statRows(s.N, [][2]any{{tw.w.get("mean"), s.Mean}, {tw.w.get("median"), s.Median}, {"Q1", s.Q1}, {"Q3", s.Q3}})
	}
}

// byGroup writes descriptives per group (numbers, or the number of options
// chosen): n, mean, median and quartiles, the set every output shows; a
// group whose n the report withholds shows the hidden mark, and one whose
// statistics it withholds (too few values: they would give them away)
// empty cells.
func (tw *tableWriter) byGroup(q *analysis.QuestionResult) {
	if len(q.ByGroup) == 0 || tw.t.Grouping == nil {
		return
	}
	tw.put(0)
	tw.put(tw.st.header, tw.t.Grouping.Label, "n", tw.w.get("mean"), tw.w.get("median"), "Q1", "Q3")
	answered := func(g int) int {
		if q.ByGroup[g].NSuppressed {
			return 1 // hidden, so not known to be empty
		}
		return q.ByGroup[g].Stats.N
	}
	for _, i := range tw.shownGroups(answered, func(int) bool { return false }) {
		g := q.ByGroup[i]
		label := tw.t.Grouping.Groups[i].Label
		if g.NSuppressed {
			tw.put(0, label, tw.count(0, true))
			continue
		}
		if g.Stats.Withheld {
			tw.withheld = true
			tw.put(0, label, g.Stats.N)
			continue
		}
		tw.put(0, append([]any{label, g.Stats.N}, tw.describe(g.Stats, "mean", "median", "q1", "q3")...)...)
		tw.style(3, 6, tw.st.num)
	}
}

func (tw *tableWriter) matrix(q *analysis.QuestionResult) [2]int {
	tw.put(tw.st.header, tw.w.get("row"), "n", tw.w.get("mean"), tw.w.get("sd"), tw.w.get("median"), tw.w.get("top_two"), tw.w.get("ci_low"), tw.w.get("ci_high"))
	rows := [2]int{tw.row + 1}
	for _, r := range q.Rows {
		if r.Scale == nil {
			parts := []string{}
			for _, c := range r.Counts {
				parts = append(parts, fmt.Sprintf("%s: %v", c.Label, tw.count(c.Count, c.Suppressed)))
			}
			tw.put(0, r.Label, tw.count(r.Answered, r.AnsweredSuppressed), strings.Join(parts, "; "))
			continue
		}
		sc := r.Scale
		if r.AnsweredSuppressed {
			// The row's base withheld: its n (the base less "don't know"
			// answers) and every statistic go with it.
			tw.put(0, r.Label, tw.count(0, true))
			continue
		}
		stats := []any{tw.stat(float64(sc.Mean)), tw.stat(float64(sc.SD)), tw.stat(float64(sc.Median))}
		if sc.Withheld {
			stats = []any{nil, nil, nil}
			tw.withheld = true
		}
		top := []any{tw.stat(sc.TopTwoShare), tw.stat(sc.TopTwoCI.Low), tw.stat(sc.TopTwoCI.High)}
		switch {
		case sc.Withheld:
			top = []any{nil, nil, nil}
		case sc.TopTwoSuppressed:
			top = []any{tw.count(0, true), nil, nil}
		case sc.N == 0:
			top = []any{"–", "–", "–"}
			tw.undefined = true
		}
		tw.put(0, append(append([]any{r.Label, tw.valuesN(sc.N, sc.Withheld)}, stats...), top...)...)
		tw.style(3, 5, tw.st.num)
		tw.style(6, 8, tw.st.pct)
	}
	rows[1] = tw.row
	return rows
}

func (tw *tableWriter) ranking(q *analysis.QuestionResult) {
	tw.put(tw.st.header, tw.w.get("answer"), tw.w.get("ranked_n"), tw.w.get("mean_rank"), tw.w.get("first_n"), tw.w.get("first_pct"), tw.w.get("ci_low"), tw.w.get("ci_high"))
	for _, r := range q.Ranking {
		// The mean rank is withheld with the count it is a mean over.
		ranked, mean := tw.count(r.Ranked, r.RankedSuppressed), tw.statOrWithheld(float64(r.MeanRank), r.RankedSuppressed)
		switch {
		case r.FirstSuppressed:
			tw.put(0, r.Label, ranked, mean, tw.count(0, true))
		case q.AnsweredSuppressed: // the base of the first-rank shares
			tw.put(0, r.Label, ranked, mean, r.FirstCount)
		default:
			tw.put(0, r.Label, ranked, mean, r.FirstCount, tw.stat(r.FirstShare), tw.stat(r.FirstCI.Low), tw.stat(r.FirstCI.High))
			tw.style(5, 7, tw.st.pct)
		}
		tw.style(3, 3, tw.st.num)
	}
}

// addChart draws a native Excel bar chart of the % column.
func addChart(f *excelize.File, sheet, title string, rows [2]int, below, _ int) error {
	quoted := "'" + strings.ReplaceAll(sheet, "'", "''") + "'"
	n := rows[1] - rows[0] + 1
	height := uint(max(260, 28*n+90))
	return f.AddChart(sheet, fmt.Sprintf("A%d", below), &excelize.Chart{
		Type: excelize.Bar,
		Series: []excelize.ChartSeries{{
			Name:       title,
			Categories: fmt.Sprintf("%s!$A$%d:$A$%d", quoted, rows[0], rows[1]),
			Values:     fmt.Sprintf("%s!$C$%d:$C$%d", quoted, rows[0], rows[1]),
		}},
		Title:     excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: title}}},
		Legend:    excelize.ChartLegend{Position: "none"},
		Dimension: excelize.ChartDimension{Width: 760, Height: height},
		YAxis:     excelize.ChartAxis{NumFmt: excelize.ChartNumFmt{CustomNumFmt: "0%"}},
		XAxis:     excelize.ChartAxis{ReverseOrder: true},
		PlotArea:  excelize.ChartPlotArea{ShowVal: true, NumFmt: excelize.ChartNumFmt{CustomNumFmt: "0%"}},
	})
}

// groupLabel is an option group as a reader knows it: its label, or its
// code when the definition gives none.
func groupLabel(g analysis.GroupShare) string {
	if g.Label != "" {
		return g.Label
	}
	return g.Group
}
