package export

import (
	"fmt"
	"math"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/metlib/canvass/analysis"
	"github.com/metlib/canvass/survey"
)

// tableWriter writes one report table's sheet, in the report's language,
// and collects the notes the sheet needs (suppressed cells, undefined
// statistics, groups left out).
type tableWriter struct {
	*sheet
	t  analysis.TableResult
	st paperStyles
	k  int // small-cell threshold; 0 shows every count
	w  words

	suppressed, undefined bool
	notes                 []string
}

// count is a count cell, or "fewer than k" (text) under the small-cell rule.
func (tw *tableWriter) count(n int) (any, bool) {
	if tw.k > 0 {
		if _, small := analysis.SmallCell(n, tw.k); small {
			tw.suppressed = true
			return tw.w.get("fewer_than", tw.k), true
		}
	}
	return n, false
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

// describe gives statistics of a sample of d.N values: "–" for each when
// the sample is empty (whatever the analysis put in them), and for the
// standard deviation of fewer than two values.
func (tw *tableWriter) describe(d analysis.Descriptives, stats ...string) []any {
	out := make([]any, len(stats))
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
	tw.put(0, tw.w.get("base", tw.w.int(q.Asked), tw.w.int(q.Answered)))
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
		n := q.Numbers
		tw.put(tw.st.header, "n", tw.w.get("mean"), tw.w.get("sd"), tw.w.get("minimum"), "Q1", tw.w.get("median"), "Q3", tw.w.get("maximum"), tw.w.get("outliers"))
		tw.put(0, append(append([]any{n.N}, tw.describe(n.Descriptives, "mean", "sd", "min", "q1", "median", "q3", "max")...), len(n.Outliers))...)
		tw.style(2, 8, tw.st.num)
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
	if tw.suppressed {
		notes = append(notes, tw.w.get("suppressed", tw.k, tw.k))
	}
	if tw.undefined {
		notes = append(notes, tw.w.get("undefined"))
	}
	for _, n := range notes {
		tw.put(tw.st.note, tw.w.get("note", n))
	}
	tw.put(tw.st.note, source)

	for i, width := range tw.widths {
		col, _ := excelize.ColumnNumberToName(i + 1)
		_ = f.SetColWidth(name, col, col, width)
	}
	_ = f.SetPanes(name, &excelize.Panes{Freeze: true, YSplit: headerRow, TopLeftCell: fmt.Sprintf("A%d", headerRow+1), ActivePane: "bottomLeft"})
	_ = f.SetPageLayout(name, landscape())
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

func (tw *tableWriter) crossTab(ct *analysis.CrossTab) {
	groups := tw.t.Grouping.Groups
	shown := tw.shownGroups(func(g int) int { return ct.ColTotals[g] }, notAskedNoted(ct, groups))
	header := []any{tw.w.get("answer")}
	for _, g := range shown {
		header = append(header, groups[g].Label+" (n)", groups[g].Label+" (%)")
	}
	tw.put(tw.st.header, append(header, tw.w.get("total_n"))...)
	for r, label := range ct.RowLabels {
		row := []any{label}
		for _, g := range shown {
			c, sup := tw.count(ct.Counts[r][g])
			if sup {
				row = append(row, c, nil)
			} else {
				row = append(row, c, tw.stat(ct.ColPct[r][g]))
			}
		}
		c, _ := tw.count(ct.RowTotals[r])
		tw.put(0, append(row, c)...)
		for i := range shown {
			tw.style(3+2*i, 3+2*i, tw.st.pct)
		}
	}
	totals := []any{tw.w.get("answering")}
	for _, g := range shown {
		c, _ := tw.count(ct.ColTotals[g])
		totals = append(totals, c, nil)
	}
	c, _ := tw.count(ct.Total)
	tw.put(tw.st.bold, append(totals, c)...)
	tw.notes = append(tw.notes, tw.w.get("column_base"))

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

func (tw *tableWriter) share(label string, n int, share float64, ci analysis.Interval) {
	c, sup := tw.count(n)
	if sup {
		tw.put(0, label, c)
		return
	}
	tw.put(0, label, c, tw.stat(share), tw.stat(ci.Low), tw.stat(ci.High))
	tw.style(3, 5, tw.st.pct)
}

func (tw *tableWriter) optionGroups(q *analysis.QuestionResult) [2]int {
	tw.put(tw.st.header, tw.w.get("family"), tw.w.get("respondents_n"), "%", tw.w.get("ci_low"), tw.w.get("ci_high"))
	rows := [2]int{tw.row + 1}
	for _, g := range q.Groups {
		tw.share(groupLabel(g), g.Count, g.Share, g.CI)
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
		tw.share(o.Label, o.Count, o.Share, o.CI)
		if _, sup := tw.count(o.Count); multi && o.MentionShare != nil && !sup {
			cell, _ := excelize.CoordinatesToCellName(6, tw.row)
			_ = tw.f.SetCellValue(tw.name, cell, tw.stat(*o.MentionShare))
			_ = tw.f.SetCellStyle(tw.name, cell, cell, tw.st.pct)
		}
	}
	rows[1] = tw.row
	if nt := q.NotTicked; nt != nil && nt.Count > 0 {
		// Asked, ticked nothing: outside the base of the rows above (the
		// analysis's note says so), so a count without a percentage.
		c, _ := tw.count(nt.Count)
		tw.put(0, nt.Label, c)
	}
	if s := q.Scale; s != nil {
		tw.put(0)
		tw.put(tw.st.header, tw.w.get("statistic"), tw.w.get("value"))
		tw.put(0, "n", s.N)
		tw.statRows(s.N, [][2]any{{tw.w.get("mean"), float64(s.Mean)}, {tw.w.get("sd"), float64(s.SD)}, {tw.w.get("median"), float64(s.Median)}})
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
		n, sup := tw.count(c.Count)
		if sup {
			tw.put(0, label, n)
		} else {
			tw.put(0, label, n, tw.stat(c.Share))
			tw.style(3, 3, tw.st.pct)
		}
	}
	if s := q.ChosenStats; s != nil {
		tw.put(0)
		tw.put(tw.st.header, tw.w.get("statistic"), tw.w.get("value"))
		tw.put(0, "n", s.N)
		tw.statRows(s.N, [][2]any{{tw.w.get("mean"), s.Mean}, {tw.w.get("median"), s.Median}, {"Q1", s.Q1}, {"Q3", s.Q3}})
	}
}

// byGroup writes descriptives per group (numbers, or the number of options
// chosen): n, mean, median and quartiles, the set every output shows; a
// group with fewer than k values shows "fewer than k" and no statistics,
// which would give its few values away.
func (tw *tableWriter) byGroup(q *analysis.QuestionResult) {
	if len(q.ByGroup) == 0 || tw.t.Grouping == nil {
		return
	}
	tw.put(0)
	tw.put(tw.st.header, tw.t.Grouping.Label, "n", tw.w.get("mean"), tw.w.get("median"), "Q1", "Q3")
	for _, i := range tw.shownGroups(func(g int) int { return q.ByGroup[g].Stats.N }, func(int) bool { return false }) {
		g := q.ByGroup[i]
		label := tw.t.Grouping.Groups[i].Label
		if c, sup := tw.count(g.Stats.N); sup {
			tw.put(0, label, c)
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
				n, _ := tw.count(c.Count)
				parts = append(parts, fmt.Sprintf("%s: %v", c.Label, n))
			}
			tw.put(0, r.Label, r.Answered, strings.Join(parts, "; "))
			continue
		}
		sc := r.Scale
		top := []any{tw.stat(sc.TopTwoShare), tw.stat(sc.TopTwoCI.Low), tw.stat(sc.TopTwoCI.High)}
		if sc.N == 0 {
			top = []any{"–", "–", "–"}
			tw.undefined = true
		}
		tw.put(0, append([]any{r.Label, sc.N, tw.stat(float64(sc.Mean)), tw.stat(float64(sc.SD)), tw.stat(float64(sc.Median))}, top...)...)
		tw.style(3, 5, tw.st.num)
		tw.style(6, 8, tw.st.pct)
	}
	rows[1] = tw.row
	return rows
}

func (tw *tableWriter) ranking(q *analysis.QuestionResult) {
	tw.put(tw.st.header, tw.w.get("answer"), tw.w.get("ranked_n"), tw.w.get("mean_rank"), tw.w.get("first_n"), tw.w.get("first_pct"), tw.w.get("ci_low"), tw.w.get("ci_high"))
	for _, r := range q.Ranking {
		ranked, _ := tw.count(r.Ranked)
		first, sup := tw.count(r.FirstCount)
		mean := float64(r.MeanRank)
		if sup {
			tw.put(0, r.Label, ranked, tw.stat(mean), first)
		} else {
			tw.put(0, r.Label, ranked, tw.stat(mean), first, tw.stat(r.FirstShare), tw.stat(r.FirstCI.Low), tw.stat(r.FirstCI.High))
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
