package export

import (
	"fmt"
	"io"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/metlib/canvass/analysis"
	"github.com/metlib/canvass/survey"
)

// WhitePaperOptions controls the white-paper workbook.
type WhitePaperOptions struct {
	Options
	// SmallCells, when positive, shows counts below it as "fewer than k"
	// (and leaves their percentages out), for tables to be published.
	SmallCells int
	// FilterText describes the filters applied, for the Contents sheet.
	FilterText string
}

// WhitePaper writes the report tables as a workbook ready for a
// publication: a Contents sheet (survey, date, filters, number of
// responses, a link to every table), then a sheet per table with its title,
// base, counts, formatted percentages, 95% interval columns, test results,
// notes and a source line; headline tables get a native bar chart. Headers
// are frozen, columns sized, and pages set up landscape, one page wide.
func WhitePaper(w io.Writer, rep *analysis.ReportResult, opts WhitePaperOptions) error {
	f := excelize.NewFile()
	defer f.Close()
	st, err := newPaperStyles(f)
	if err != nil {
		return err
	}
	generated := opts.Generated
	if generated.IsZero() {
		generated = timeNow()
	}
	source := fmt.Sprintf("Source: %s, %d responses. Canvass, %s.", rep.Title, rep.Responses, generated.UTC().Format("2 January 2006"))
	const contents = "Contents"
	if err := f.SetSheetName("Sheet1", contents); err != nil {
		return err
	}
	filters := opts.FilterText
	if filters == "" {
		filters = "none (all submitted responses)"
	}
	rows := [][]any{
		{rep.Title},
		{"Survey", rep.Survey + ", version " + fmt.Sprint(rep.Version)},
		{"Generated", generated.UTC().Format("2006-01-02 15:04 UTC")},
		{"Filters", filters},
		{"Responses", rep.Responses},
		{"Percentages", "of respondents who answered each question; intervals are 95% Wilson score intervals"},
		{},
		{"Tables"},
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow(contents, cell, &r); err != nil {
			return err
		}
	}
	_ = f.SetCellStyle(contents, "A1", "A1", st.title)
	_ = f.SetCellStyle(contents, "A8", "A8", st.bold)
	_ = f.SetColWidth(contents, "A", "A", 16)
	_ = f.SetColWidth(contents, "B", "B", 90)
	names := map[string]bool{contents: true}
	for i, t := range rep.Tables {
		name := SheetName(fmt.Sprintf("Table %d", t.Number), names)
		row := 9 + i
		cell := fmt.Sprintf("A%d", row)
		label := fmt.Sprintf("Table %d. %s", t.Number, t.Title)
		_ = f.SetCellValue(contents, cell, label)
		_ = f.MergeCell(contents, cell, fmt.Sprintf("B%d", row))
		if err := f.SetCellHyperLink(contents, cell, "'"+name+"'!A1", "Location", excelize.HyperlinkOpts{Display: &label}); err != nil {
			return err
		}
		_ = f.SetCellStyle(contents, cell, cell, st.link)
		if err := writeTable(f, name, t, st, opts, source); err != nil {
			return fmt.Errorf("table %d: %w", t.Number, err)
		}
	}
	_ = f.SetPageLayout(contents, landscape())
	return f.Write(w)
}

// SheetName makes a valid, unique sheet name: at most 31 characters, none
// of : \ / ? * [ ], not starting or ending with an apostrophe.
func SheetName(want string, used map[string]bool) string {
	name := strings.Map(func(r rune) rune {
		if strings.ContainsRune(`:\/?*[]`, r) {
			return '-'
		}
		return r
	}, want)
	name = strings.Trim(name, "'")
	if r := []rune(name); len(r) > 31 {
		name = string(r[:31])
	}
	if name == "" {
		name = "Sheet"
	}
	base, n := name, 2
	for used[strings.ToLower(name)] {
		suffix := fmt.Sprintf(" (%d)", n)
		r := []rune(base)
		if len(r)+len(suffix) > 31 {
			r = r[:31-len(suffix)]
		}
		name = string(r) + suffix
		n++
	}
	used[strings.ToLower(name)] = true
	return name
}

type paperStyles struct{ title, bold, header, pct, num, note, link int }

func newPaperStyles(f *excelize.File) (paperStyles, error) {
	var s paperStyles
	pct, num := "0.0%", "0.00"
	for _, def := range []struct {
		dst   *int
		style *excelize.Style
	}{
		{&s.title, &excelize.Style{Font: &excelize.Font{Bold: true, Size: 14}}},
		{&s.bold, &excelize.Style{Font: &excelize.Font{Bold: true}}},
		{&s.header, &excelize.Style{Font: &excelize.Font{Bold: true}, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"E8ECF0"}},
			Border: []excelize.Border{{Type: "bottom", Color: "7A828A", Style: 1}}, Alignment: &excelize.Alignment{WrapText: true, Vertical: "bottom"}}},
		{&s.pct, &excelize.Style{CustomNumFmt: &pct}},
		{&s.num, &excelize.Style{CustomNumFmt: &num}},
		{&s.note, &excelize.Style{Font: &excelize.Font{Italic: true, Color: "555D66"}}},
		{&s.link, &excelize.Style{Font: &excelize.Font{Color: "0B5CAD", Underline: "single"}}},
	} {
		id, err := f.NewStyle(def.style)
		if err != nil {
			return s, err
		}
		*def.dst = id
	}
	return s, nil
}

func landscape() *excelize.PageLayoutOptions {
	orientation, one, zero := "landscape", 1, 0
	return &excelize.PageLayoutOptions{Orientation: &orientation, FitToWidth: &one, FitToHeight: &zero}
}

// sheet accumulates rows for one table sheet.
type sheet struct {
	f      *excelize.File
	name   string
	row    int
	widths []float64
}

func (sh *sheet) put(style int, values ...any) {
	sh.row++
	cell, _ := excelize.CoordinatesToCellName(1, sh.row)
	_ = sh.f.SetSheetRow(sh.name, cell, &values)
	for i, v := range values {
		w := float64(len([]rune(fmt.Sprint(v))))*1.1 + 2
		if i == 0 {
			w = min(w, 60)
		} else {
			w = min(w, 22)
		}
		for len(sh.widths) <= i {
			sh.widths = append(sh.widths, 8)
		}
		if sh.row > 2 && w > sh.widths[i] {
			sh.widths[i] = w
		}
	}
	if style != 0 && len(values) > 0 {
		end, _ := excelize.CoordinatesToCellName(len(values), sh.row)
		_ = sh.f.SetCellStyle(sh.name, cell, end, style)
	}
}

// style formats cells of the current row from column from to column to.
func (sh *sheet) style(from, to, style int) {
	a, _ := excelize.CoordinatesToCellName(from, sh.row)
	b, _ := excelize.CoordinatesToCellName(to, sh.row)
	_ = sh.f.SetCellStyle(sh.name, a, b, style)
}

// count shows a count, or "fewer than k" under the small-cell rule.
func count(n, k int) (any, bool) {
	if k > 0 {
		if shown, suppressed := analysis.SmallCell(n, k); suppressed {
			return shown, true
		}
	}
	return n, false
}

func writeTable(f *excelize.File, name string, t analysis.TableResult, st paperStyles, opts WhitePaperOptions, source string) error {
	if _, err := f.NewSheet(name); err != nil {
		return err
	}
	sh := &sheet{f: f, name: name}
	q := t.Question
	k := opts.SmallCells
	suppressedAny := false
	sh.put(st.title, fmt.Sprintf("Table %d. %s", t.Number, t.Title))
	sh.put(0, fmt.Sprintf("Base: asked of %d respondents, answered by %d.", q.Asked, q.Answered))
	sh.put(0)
	headerRow := sh.row + 1
	chartRows := [2]int{}
	switch {
	case q.CrossTab != nil && t.Grouping != nil:
		ct := q.CrossTab
		header := []any{"Answer"}
		for _, g := range t.Grouping.Groups {
			header = append(header, g.Label+" (n)", g.Label+" (%)")
		}
		header = append(header, "Total (n)")
		sh.put(st.header, header...)
		for r, label := range ct.RowLabels {
			row := []any{label}
			for g := range t.Grouping.Groups {
				c, sup := count(ct.Counts[r][g], k)
				suppressedAny = suppressedAny || sup
				if sup {
					row = append(row, c, nil)
				} else {
					row = append(row, c, ct.ColPct[r][g])
				}
			}
			c, sup := count(ct.RowTotals[r], k)
			suppressedAny = suppressedAny || sup
			sh.put(0, append(row, c)...)
			for g := range t.Grouping.Groups {
				sh.style(3+2*g, 3+2*g, st.pct)
			}
		}
		totals := []any{"Respondents answering"}
		for g := range t.Grouping.Groups {
			c, _ := count(ct.ColTotals[g], k)
			totals = append(totals, c, nil)
		}
		sh.put(st.bold, append(totals, ct.Total)...)
		tests := []*analysis.ChiSquareResult{ct.Test}
		if ct.Tests != nil {
			tests = ct.Tests
		}
		sh.put(0)
		for i, test := range tests {
			if test == nil {
				continue
			}
			label := "Pearson chi-square test of independence"
			if ct.Tests != nil {
				label = "Chi-square test, " + ct.RowLabels[i] + " (chosen or not) by group"
			}
			row := []any{label, "X²", test.Statistic, "df", test.DF, "p", test.P, "Cramér's V", test.CramersV}
			if test.FisherP != nil {
				row = append(row, "Fisher's exact p", *test.FisherP)
			}
			sh.put(0, row...)
			for _, c := range []int{3, 7, 9, 11} {
				sh.style(c, c, st.num)
			}
		}
	case len(q.Groups) > 0:
		sh.put(st.header, "Evidence family", "Respondents (n)", "%", "95% CI low", "95% CI high")
		chartRows[0] = sh.row + 1
		for _, g := range q.Groups {
			sh.putShare(g.Group, g.Count, g.Share, g.CI, k, st, &suppressedAny)
		}
		chartRows[1] = sh.row
	case t.Spec.Summary == survey.SummaryCount:
		sh.put(st.header, "Number chosen", "Respondents (n)", "%")
		for _, c := range q.ChosenCount {
			n, sup := count(c.Count, k)
			suppressedAny = suppressedAny || sup
			if sup {
				sh.put(0, c.Key, n)
			} else {
				sh.put(0, c.Key, n, c.Share)
				sh.style(3, 3, st.pct)
			}
		}
		if s := q.ChosenStats; s != nil && s.N > 0 {
			sh.put(0)
			sh.put(0, "Mean", s.Mean, "SD", s.SD, "Median", s.Median)
			sh.style(2, 6, st.num)
		}
		for i, g := range q.ByGroup {
			if i == 0 {
				sh.put(0)
				sh.put(st.header, "Group", "n", "Mean", "SD", "Median")
			}
			sh.put(0, t.Grouping.Groups[i].Label, g.Stats.N, g.Stats.Mean, g.Stats.SD, g.Stats.Median)
			sh.style(3, 5, st.num)
		}
	case len(q.Rows) > 0:
		sh.put(st.header, "Row", "n", "Mean", "SD", "Median", "Top two (%)", "95% CI low", "95% CI high")
		chartRows[0] = sh.row + 1
		for _, r := range q.Rows {
			if r.Scale == nil {
				parts := []string{}
				for _, c := range r.Counts {
					parts = append(parts, fmt.Sprintf("%s: %d", c.Label, c.Count))
				}
				sh.put(0, r.Label, r.Answered, strings.Join(parts, "; "))
				continue
			}
			sc := r.Scale
			sh.put(0, r.Label, r.Answered, sc.Mean, sc.SD, sc.Median, sc.TopTwoShare, sc.TopTwoCI.Low, sc.TopTwoCI.High)
			sh.style(3, 5, st.num)
			sh.style(6, 8, st.pct)
		}
		chartRows[1] = sh.row
	case q.Numbers != nil:
		n := q.Numbers
		sh.put(st.header, "n", "Mean", "SD", "Minimum", "Q1", "Median", "Q3", "Maximum", "Outliers")
		sh.put(0, n.N, n.Mean, n.SD, n.Min, n.Q1, n.Median, n.Q3, n.Max, len(n.Outliers))
		sh.style(2, 8, st.num)
		if len(q.ByGroup) > 0 {
			sh.put(0)
			sh.put(st.header, "Group", "n", "Mean", "SD", "Median")
			for i, g := range q.ByGroup {
				sh.put(0, t.Grouping.Groups[i].Label, g.Stats.N, g.Stats.Mean, g.Stats.SD, g.Stats.Median)
				sh.style(3, 5, st.num)
			}
		}
	case len(q.Options) > 0:
		header := []any{"Answer", "Respondents (n)", "%", "95% CI low", "95% CI high"}
		multi := q.Type == survey.MultiChoice
		if multi {
			header = append(header, "% of mentions")
		}
		sh.put(st.header, header...)
		chartRows[0] = sh.row + 1
		for _, o := range q.Options {
			sh.putShare(o.Label, o.Count, o.Share, o.CI, k, st, &suppressedAny)
			if multi && o.MentionShare != nil {
				cell, _ := excelize.CoordinatesToCellName(6, sh.row)
				_ = f.SetCellValue(name, cell, *o.MentionShare)
				_ = f.SetCellStyle(name, cell, cell, st.pct)
			}
		}
		chartRows[1] = sh.row
		if q.Scale != nil {
			sh.put(0)
			sh.put(0, "Mean", float64(q.Scale.Mean), "SD", float64(q.Scale.SD), "Median", float64(q.Scale.Median), "Top two", q.Scale.TopTwoShare)
			sh.style(2, 6, st.num)
			sh.style(8, 8, st.pct)
		}
	case len(q.Texts) > 0:
		sh.put(st.header, "Answers (for coding)")
		for _, text := range q.Texts {
			cut, _ := fitCell(text)
			sh.put(0, cut) // text cells: never formulas
		}
	default:
		sh.put(0, "No answers to summarize.")
	}
	if c := t.Correlation; c != nil {
		sh.put(0)
		sh.put(0, "Spearman's rank correlation", "rho", c.Rho, "n", c.N, "p", c.P)
		sh.style(3, 3, st.num)
		sh.style(7, 7, st.num)
	}
	sh.put(0)
	notes := append([]string(nil), t.Notes...)
	if suppressedAny {
		notes = append(notes, fmt.Sprintf("Counts below %d are shown as \"fewer than %d\" and their percentages left out, to protect respondents.", k, k))
	}
	for _, n := range notes {
		sh.put(st.note, "Note: "+n)
	}
	sh.put(st.note, source)

	for i, w := range sh.widths {
		col, _ := excelize.ColumnNumberToName(i + 1)
		_ = f.SetColWidth(name, col, col, w)
	}
	_ = f.SetPanes(name, &excelize.Panes{Freeze: true, YSplit: headerRow, TopLeftCell: fmt.Sprintf("A%d", headerRow+1), ActivePane: "bottomLeft"})
	_ = f.SetPageLayout(name, landscape())
	if t.Spec.Headline && chartRows[0] > 0 && chartRows[1] >= chartRows[0] {
		return addChart(f, name, t.Title, chartRows, sh.row+2, len(sh.widths))
	}
	return nil
}

func (sh *sheet) putShare(label string, n int, share float64, ci analysis.Interval, k int, st paperStyles, suppressedAny *bool) {
	c, sup := count(n, k)
	if sup {
		*suppressedAny = true
		sh.put(0, label, c)
		return
	}
	sh.put(0, label, c, share, ci.Low, ci.High)
	sh.style(3, 5, st.pct)
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
