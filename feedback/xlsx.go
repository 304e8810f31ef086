package feedback

import (
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/metlib/canvass/survey"
)

// The workbook's number formats (Excel's built-in ones: openpyxl reads
// them back as "0%" and "#,##0"). A quartile, a median or the library's
// value is written with as many decimals as Number writes it: "#,##0" for
// a whole number, "#,##0.0" for 7.5, "#,##0.0000" for 0.0125, never
// "5.00" (see numberDecimals).
const (
	xlsxFmtPercent = 9
	xlsxFmtInt     = 3
	xlsxMaxDec     = 6 // Number's most decimals (a small per-capita figure)
)

// xlsxGroupCols are the columns of one group: Share, 95% low, 95% high,
// Q1, median, Q3, N.
const xlsxGroupCols = 7

// WriteXLSX writes the report as a workbook of one sheet (named "Report",
// "Rapport" or "Informe" by the report's language): a header block (survey,
// library, date, the rule, the groups with their N, the merged groups, the
// legend of the hidden mark), then one row per item row: section, question,
// answer, the library's own (✓ or its value), and per group the share with
// its 95% interval as numbers in a percent format, or the quartiles and N
// of a number. A withheld figure is the text "x". Every text is a string
// cell: a label beginning with "=" stays text and never runs as a formula.
func WriteXLSX(w io.Writer, r *Report) error {
	x := excelize.NewFile()
	defer x.Close()
	sheet := word(r.Lang, "sheet")
	if err := x.SetSheetName("Sheet1", sheet); err != nil {
		return err
	}
	st, err := newXLSXStyles(x)
	if err != nil {
		return err
	}
	sw, err := x.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	xw := &xlsxWriter{sw: sw, st: st, lang: r.Lang, r: r}
	header := xw.headerRows()
	last := 4 + xlsxGroupCols*len(r.Groups) + 1
	widths := map[int]float64{1: 20, 2: 42, 3: 34, 4: 10, last: 40}
	for c := 1; c <= last; c++ {
		wd, ok := widths[c]
		if !ok {
			wd = 9
		}
		if err := sw.SetColWidth(c, c, wd); err != nil {
			return err
		}
	}
	top, _ := excelize.CoordinatesToCellName(1, len(header)+1)
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: len(header), TopLeftCell: top, ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	for _, row := range header {
		if err := xw.put(row); err != nil {
			return err
		}
	}
	for _, sec := range r.Sections {
		for _, it := range sec.Items {
			if err := xw.item(sec, it); err != nil {
				return err
			}
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	_, err = x.WriteTo(w)
	return err
}

type xlsxStyles struct {
	bold, text, percent, integer int
	// decimals[d] writes a number with d decimals (decimals[0] is integer).
	decimals [xlsxMaxDec + 1]int
}

func newXLSXStyles(x *excelize.File) (xlsxStyles, error) {
	var st xlsxStyles
	top := &excelize.Alignment{WrapText: true, Vertical: "top"}
	for _, s := range []struct {
		id    *int
		style excelize.Style
	}{
		{&st.bold, excelize.Style{Font: &excelize.Font{Bold: true}, Alignment: top}},
		{&st.text, excelize.Style{Alignment: top}},
		{&st.percent, excelize.Style{NumFmt: xlsxFmtPercent, Alignment: top}},
		{&st.integer, excelize.Style{NumFmt: xlsxFmtInt, Alignment: top}},
	} {
		id, err := x.NewStyle(&s.style)
		if err != nil {
			return st, err
		}
		*s.id = id
	}
	st.decimals[0] = st.integer
	for d := 1; d <= xlsxMaxDec; d++ {
		f := "#,##0." + strings.Repeat("0", d)
		id, err := x.NewStyle(&excelize.Style{CustomNumFmt: &f, Alignment: top})
		if err != nil {
			return st, err
		}
		st.decimals[d] = id
	}
	return st, nil
}

// numberDecimals is how many decimals Number writes x with: none for a
// whole number, up to two (trailing zeros dropped: 12.5, 950.25), three
// significant digits below one (0.0125).
func numberDecimals(x float64) int {
	if x == math.Trunc(x) || math.IsInf(x, 0) || math.IsNaN(x) {
		return 0
	}
	d := 2
	if a := math.Abs(x); a < 1 {
		d = min(xlsxMaxDec, 2-int(math.Floor(math.Log10(a))))
	}
	s := strings.TrimRight(strconv.FormatFloat(x, 'f', d, 64), "0")
	if _, frac, ok := strings.Cut(s, "."); ok {
		return len(frac)
	}
	return 0
}

// number is a cell of x in a format with numberDecimals(x) decimals.
func (xw *xlsxWriter) number(x float64) excelize.Cell {
	return excelize.Cell{StyleID: xw.st.decimals[numberDecimals(x)], Value: x}
}

type xlsxWriter struct {
	sw   *excelize.StreamWriter
	st   xlsxStyles
	lang string
	r    *Report
	row  int
}

// put writes the next row.
func (xw *xlsxWriter) put(cells []any) error {
	xw.row++
	cell, _ := excelize.CoordinatesToCellName(1, xw.row)
	return xw.sw.SetRow(cell, cells)
}

func (xw *xlsxWriter) str(s string) excelize.Cell {
	return excelize.Cell{StyleID: xw.st.text, Value: s}
}

func (xw *xlsxWriter) boldStr(s string) excelize.Cell {
	return excelize.Cell{StyleID: xw.st.bold, Value: s}
}

func (xw *xlsxWriter) headerRows() [][]any {
	r, lang := xw.r, xw.lang
	rows := [][]any{
		{xw.boldStr(word(lang, "title"))},
		{xw.boldStr(word(lang, "survey")), xw.str(r.Title)},
		{xw.boldStr(word(lang, "library")), xw.str(r.Library)},
		{xw.boldStr(word(lang, "date")), xw.str(survey.FormatDate(lang, r.Generated))},
		{xw.boldStr(word(lang, "rule")), xw.str(ruleText(lang, r.K))},
	}
	if r.TooFew {
		rows = append(rows, []any{nil, xw.str(TooFewSentence(lang, r.K))})
	}
	for i, g := range r.Groups {
		var name any
		if i == 0 {
			name = xw.boldStr(word(lang, "groups"))
		}
		rows = append(rows, []any{name, xw.str(g.Label), excelize.Cell{StyleID: xw.st.integer, Value: g.N}})
	}
	for i, m := range r.Merged {
		var name any
		if i == 0 {
			name = xw.boldStr(word(lang, "merged"))
		}
		rows = append(rows, []any{name, xw.str(MergedSentence(lang, m))})
	}
	rows = append(rows, []any{xw.boldStr(word(lang, "legend")), xw.str(hiddenLegend(lang))}, nil)
	groups := []any{nil, nil, nil, nil}
	cols := []any{xw.boldStr(word(lang, "col_section")), xw.boldStr(word(lang, "col_question")), xw.boldStr(word(lang, "col_answer")), xw.boldStr(word(lang, "col_yours"))}
	for _, g := range r.Groups {
		groups = append(groups, xw.boldStr(word(lang, "group_n", g.Label, Number(lang, float64(g.N)))))
		for range xlsxGroupCols - 1 {
			groups = append(groups, nil)
		}
		for _, k := range []string{"col_share", "col_low", "col_high", "col_q1", "col_median", "col_q3", "col_n"} {
			cols = append(cols, xw.boldStr(word(lang, k)))
		}
	}
	cols = append(cols, xw.boldStr(word(lang, "col_notes")))
	return append(rows, groups, cols)
}

func (xw *xlsxWriter) item(sec Section, it Item) error {
	lang := xw.lang
	lead := func(answer string, yours any) []any {
		return []any{xw.str(sec.Title), xw.str(it.Label), xw.str(answer), yours}
	}
	notes := strings.Join(it.Notes, " ")
	first := true
	emit := func(cells []any, note string) error {
		if first && notes != "" {
			note = strings.TrimSpace(note + " " + notes)
		}
		first = false
		for len(cells) < 4+xlsxGroupCols*len(xw.r.Groups) {
			cells = append(cells, nil)
		}
		if note != "" {
			cells = append(cells, xw.str(note))
		}
		return xw.put(cells)
	}
	hidden := xw.str(word(lang, "hidden_mark"))
	for _, row := range it.Rows {
		answer := row.Label
		if row.Matrix != "" {
			answer = row.Matrix + " / " + row.Label
		}
		var yours any
		if row.Yours {
			yours = xw.str("✓")
		}
		cells := lead(answer, yours)
		for _, s := range row.Shares {
			if s.Hidden {
				cells = append(cells, hidden, hidden, hidden, nil, nil, nil, hidden)
				continue
			}
			cells = append(cells,
				excelize.Cell{StyleID: xw.st.percent, Value: s.Share},
				excelize.Cell{StyleID: xw.st.percent, Value: s.Low},
				excelize.Cell{StyleID: xw.st.percent, Value: s.High},
				nil, nil, nil,
				excelize.Cell{StyleID: xw.st.integer, Value: s.Base})
		}
		if err := emit(cells, ""); err != nil {
			return err
		}
	}
	figures := func(cells []any, gs []NumberFigure) []any {
		for _, g := range gs {
			if g.Hidden {
				cells = append(cells, nil, nil, nil, hidden, hidden, hidden, hidden)
				continue
			}
			cells = append(cells, nil, nil, nil,
				xw.number(g.Q1), xw.number(g.Median), xw.number(g.Q3),
				excelize.Cell{StyleID: xw.st.integer, Value: g.N})
		}
		return cells
	}
	if n := it.Number; n != nil && it.Kind == KindNumber {
		answer := word(lang, "value")
		if n.Unit != "" {
			answer += " (" + n.Unit + ")"
		}
		var yours any
		if n.Value != nil {
			yours = xw.number(*n.Value)
		}
		if err := emit(figures(lead(answer, yours), n.Groups), n.Band); err != nil {
			return err
		}
	}
	if c := it.Count; c != nil {
		// The library's own count only when it answered: Build leaves
		// Count nil then, and a zero here would say it chose none.
		var yours any
		if len(it.Yours) > 0 {
			yours = excelize.Cell{StyleID: xw.st.integer, Value: c.Yours}
		}
		cells := lead(word(lang, "options_n"), yours)
		if err := emit(figures(cells, c.Groups), ""); err != nil {
			return err
		}
	}
	if len(it.Missing) > 0 {
		if err := emit(lead(word(lang, "missing_row"), xw.str(joinList(lang, it.Missing))), ""); err != nil {
			return err
		}
	}
	if first {
		// An item with no row (no peer figure at all): its question and
		// the library's answer still have their line.
		return emit(lead(joinList(lang, it.Yours), nil), "")
	}
	return nil
}
