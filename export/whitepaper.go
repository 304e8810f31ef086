package export

import (
	"fmt"
	"io"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/metlib/canvass/analysis"
	"github.com/metlib/canvass/disclosure"
)

// WhitePaperOptions controls the white-paper workbook.
type WhitePaperOptions struct {
	Options
	// Disclosed, when set, says the report is disclosure.Publish's output
	// under these rules, for publication: its withheld counts show as "x"
	// with nothing derived from them, its withheld statistics and tests are
	// left out, the sheets have no minimum, maximum or outliers (each one
	// library's answer), and notes say what is not shown and why. Nil
	// writes every figure of the report: the full-counts workbook. The
	// writer applies no rule of its own beyond leaving out those three.
	Disclosed *disclosure.Rules
	// FilterText describes the filters applied, for the Contents sheet.
	FilterText string
	// Trends, when there are any, are written after the tables as a sheet
	// each ("Trend 1"…), listed on the Contents sheet with TrendWaves, the
	// waves oldest first. Their figures are written as given: for a
	// disclosed workbook, each wave's own disclosed figures.
	Trends     []TrendSheet
	TrendWaves []TrendWave
	// EarlierUnfiltered says the earlier waves of the trends are not
	// filtered as the report is (filters on answers and dates are the last
	// wave's), which each trend sheet then notes.
	EarlierUnfiltered bool
}

// WhitePaper writes the report tables as a workbook ready for a
// publication: a Contents sheet (survey, date, filters, number of
// responses, a link to every table), then a sheet per table with its title,
// base, counts, formatted percentages, 95% interval columns, test results,
// notes and a source line; headline tables get a native bar chart. Trend
// sheets follow, one per tracked question, with a native line chart. Headers
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
	wd := wordsFor(rep.Language)
	var responses any = rep.Responses
	responsesText := wd.int(rep.Responses)
	if rep.ResponsesSuppressed {
		responses, responsesText = hiddenMark, hiddenMark
	}
	source := wd.get("source", rep.Title, responsesText, wd.date(generated))
	contents := wd.get("contents")
	if err := f.SetSheetName("Sheet1", contents); err != nil {
		return err
	}
	filters := opts.FilterText
	if filters == "" {
		filters = wd.get("no_filters")
	}
	rows := [][]any{
		{rep.Title},
		{wd.get("survey"), wd.get("survey_version", rep.Survey, rep.Version)},
		{wd.get("generated"), generated.UTC().Format("2006-01-02 15:04 UTC")},
		{wd.get("filters"), filters},
		{wd.get("responses"), responses},
		{wd.get("percentages"), wd.get("percentages_text")},
		{},
		{wd.get("tables")},
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
	names := map[string]bool{strings.ToLower(contents): true}
	rules := opts.Disclosed
	if rules == nil {
		rules = &disclosure.Rules{} // a full report has no flags, so its k is never written
	}
	for i, t := range rep.Tables {
		name := SheetName(wd.get("table", t.Number), names)
		row := 9 + i
		cell := fmt.Sprintf("A%d", row)
		label := wd.get("table", t.Number) + ". " + t.Title
		_ = f.SetCellValue(contents, cell, label)
		_ = f.MergeCell(contents, cell, fmt.Sprintf("B%d", row))
		if err := f.SetCellHyperLink(contents, cell, "'"+name+"'!A1", "Location", excelize.HyperlinkOpts{Display: &label}); err != nil {
			return err
		}
		_ = f.SetCellStyle(contents, cell, cell, st.link)
		tw := &tableWriter{sheet: &sheet{f: f, name: name}, t: t, st: st, rules: rules, full: opts.Disclosed == nil, w: wd}
		if err := tw.write(label, source); err != nil {
			return fmt.Errorf("table %d: %w", t.Number, err)
		}
	}
	if len(opts.Trends) > 0 {
		sheets, err := writeTrendContents(f, contents, 9+len(rep.Tables)+1, opts, wd, st, names)
		if err != nil {
			return err
		}
		var labels []string
		for _, w := range opts.TrendWaves {
			labels = append(labels, w.Label)
		}
		trendSource := wd.get("trend_source", rep.Title, strings.Join(labels, ", "), wd.date(generated))
		for i, t := range opts.Trends {
			tw := &trendWriter{sheet: &sheet{f: f, name: sheets[i]}, tr: t, st: st, rules: opts.Disclosed, w: wd}
			if err := tw.write(wd.get("trend", i+1)+". "+t.Title, trendSource, opts.EarlierUnfiltered); err != nil {
				return fmt.Errorf("trend %d: %w", i+1, err)
			}
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

// finish ends a table or trend sheet: its notes and source line, the
// columns sized to what was put, the rows down to headerRow frozen, the
// page set up landscape.
func (sh *sheet) finish(st paperStyles, w words, notes []string, source string, headerRow int) {
	for _, n := range notes {
		sh.put(st.note, w.get("note", n))
	}
	sh.put(st.note, source)
	for i, width := range sh.widths {
		col, _ := excelize.ColumnNumberToName(i + 1)
		_ = sh.f.SetColWidth(sh.name, col, col, width)
	}
	_ = sh.f.SetPanes(sh.name, &excelize.Panes{Freeze: true, YSplit: headerRow, TopLeftCell: fmt.Sprintf("A%d", headerRow+1), ActivePane: "bottomLeft"})
	_ = sh.f.SetPageLayout(sh.name, landscape())
}

// style formats cells of the current row from column from to column to.
func (sh *sheet) style(from, to, style int) {
	a, _ := excelize.CoordinatesToCellName(from, sh.row)
	b, _ := excelize.CoordinatesToCellName(to, sh.row)
	_ = sh.f.SetCellStyle(sh.name, a, b, style)
}
