package export

import (
	"fmt"
	"math"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/metlib/canvass/analysis"
	"github.com/metlib/canvass/disclosure"
)

// TrendSheet is one tracked question of a white paper's trend sheets: its
// id, its label in the report's language, and its trend across the waves
// (analysis.Trend over each wave's figures, disclosure's flags carried).
type TrendSheet struct {
	ID    string
	Title string
	Trend *analysis.QuestionTrend
}

// TrendWave is one wave of the trend sheets, as the Contents sheet lists
// it: its label and its responses, or Hidden when disclosure withheld the
// number.
type TrendWave struct {
	Label     string
	Responses int
	Hidden    bool
}

// trendWriter writes one trend sheet: the shares by wave (the line chart's
// data: a share or an empty cell, never a text a chart would draw as 0),
// the answered base per wave, then each option's figures per wave with
// its interval, the withheld ones marked as in the tables, the notes and
// the source line, and a native line chart beside the shares.
type trendWriter struct {
	*sheet
	tr    TrendSheet
	st    paperStyles
	rules *disclosure.Rules // nil for full counts: nothing is withheld
	w     words

	hidden, undefined, blank bool
}

func (tw *trendWriter) write(title, source string, earlierUnfiltered bool) error {
	f, name := tw.f, tw.name
	if _, err := f.NewSheet(name); err != nil {
		return err
	}
	tr := tw.tr.Trend
	tw.put(tw.st.title, title)
	tw.put(0, tw.w.get("trend_base"))
	tw.put(0)
	header := []any{tw.w.get("answer")}
	for _, wave := range tr.Waves {
		header = append(header, wave) // a label, kept as text ("2025", not the number 2025)
	}
	tw.put(tw.st.header, header...)
	headerRow := tw.row
	waves := len(tr.Waves)
	for _, o := range tr.Options {
		row := []any{o.Label}
		for _, p := range o.Points {
			row = append(row, tw.chartShare(p))
		}
		tw.put(0, row...)
		tw.style(2, waves+1, tw.st.pct)
	}
	lastOption := tw.row
	answered := []any{tw.w.get("answered_n")}
	for i := range tr.Waves {
		answered = append(answered, tw.base(tr, i))
	}
	tw.put(tw.st.bold, answered...)

	tw.put(0)
	tw.put(tw.st.header, tw.w.get("answer"), tw.w.get("wave"), "n", tw.w.get("answered_n"), "%", tw.w.get("ci_low"), tw.w.get("ci_high"))
	for _, o := range tr.Options {
		for i, p := range o.Points {
			tw.detail(o.Label, tr, i, p)
		}
	}

	tw.put(0)
	var notes []string
	if tw.blank {
		notes = append(notes, tw.w.get("trend_blank"))
	}
	if tw.hidden && tw.rules != nil {
		notes = append(notes, tw.w.get("hidden", hiddenMark, tw.rules.K))
	}
	if tw.undefined {
		notes = append(notes, tw.w.get("undefined"))
	}
	if earlierUnfiltered {
		notes = append(notes, tw.w.get("trend_earlier_unfiltered"))
	}
	tw.finish(tw.st, tw.w, notes, source, headerRow)
	if lastOption <= headerRow || waves < 2 {
		return nil
	}
	return addTrendChart(f, name, tw.tr.Title, headerRow, lastOption, waves)
}

// chartShare is a share in the chart's data: the share, or an empty cell
// where there is none to draw (not asked, not offered, withheld, or a base
// of nobody), which the chart leaves as a gap.
func (tw *trendWriter) chartShare(p analysis.TrendPoint) any {
	v := float64(p.Share)
	if !p.Offered || p.Suppressed || p.BaseSuppressed || math.IsNaN(v) {
		tw.blank = true
		return nil
	}
	return v
}

// base is wave i's answered base as a cell: n, the hidden mark, or empty
// when the wave did not ask the question.
func (tw *trendWriter) base(tr *analysis.QuestionTrend, i int) any {
	if i < len(tr.AnsweredSuppressed) && tr.AnsweredSuppressed[i] {
		tw.hidden = true
		return hiddenMark
	}
	if !asked(tr, i) {
		return nil
	}
	return tr.Answered[i]
}

// asked reports whether wave i asked the question: some option was offered.
func asked(tr *analysis.QuestionTrend, i int) bool {
	for _, o := range tr.Options {
		if o.Points[i].Offered {
			return true
		}
	}
	return false
}

// detail writes an option's figures in one wave: n, base, share and its
// interval; "not asked" where the wave did not offer it, the hidden mark
// for what disclosure withheld (and nothing derived from it), "–" for a
// share of nobody.
func (tw *trendWriter) detail(label string, tr *analysis.QuestionTrend, i int, p analysis.TrendPoint) {
	wave := tr.Waves[i]
	if !p.Offered {
		tw.put(0, label, wave, tw.w.get("trend_not_asked"))
		return
	}
	var n, base any = p.Count, p.Base
	if p.Suppressed {
		tw.hidden = true
		n = hiddenMark
	}
	if p.BaseSuppressed {
		tw.hidden = true
		base = hiddenMark
	}
	if p.Suppressed || p.BaseSuppressed {
		tw.put(0, label, wave, n, base)
		return
	}
	if p.Base == 0 {
		tw.undefined = true
		tw.put(0, label, wave, n, base, "–", "–", "–")
		return
	}
	tw.put(0, label, wave, n, base, float64(p.Share), p.CI.Low, p.CI.High)
	tw.style(5, 7, tw.st.pct)
}

// addTrendChart draws a native Excel line chart of the shares: a line per
// answer (rows first..last), the waves along the axis (the header row),
// gaps where a wave has no figure.
func addTrendChart(f *excelize.File, sheet, title string, header, last, waves int) error {
	quoted := "'" + strings.ReplaceAll(sheet, "'", "''") + "'"
	lastCol, _ := excelize.ColumnNumberToName(waves + 1)
	var series []excelize.ChartSeries
	for r := header + 1; r <= last; r++ {
		series = append(series, excelize.ChartSeries{
			Name:       fmt.Sprintf("%s!$A$%d", quoted, r),
			Categories: fmt.Sprintf("%s!$B$%d:$%s$%d", quoted, header, lastCol, header),
			Values:     fmt.Sprintf("%s!$B$%d:$%s$%d", quoted, r, lastCol, r),
			Marker:     excelize.ChartMarker{Symbol: "circle", Size: 6},
		})
	}
	anchor, _ := excelize.CoordinatesToCellName(waves+3, header)
	return f.AddChart(sheet, anchor, &excelize.Chart{
		Type:         excelize.Line,
		Series:       series,
		Title:        excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: title}}},
		Legend:       excelize.ChartLegend{Position: "bottom"},
		Dimension:    excelize.ChartDimension{Width: 640, Height: uint(max(320, 22*len(series)+260))},
		YAxis:        excelize.ChartAxis{NumFmt: excelize.ChartNumFmt{CustomNumFmt: "0%"}},
		ShowBlanksAs: "gap",
	})
}

// writeTrendContents lists the trend sheets on the Contents sheet from row
// on: a heading, the waves with their responses, a link per sheet. It
// returns the sheet names, in the order of opts.Trends.
func writeTrendContents(f *excelize.File, contents string, row int, opts WhitePaperOptions, wd words, st paperStyles, names map[string]bool) ([]string, error) {
	cell := func(r int) string { return fmt.Sprintf("A%d", r) }
	_ = f.SetCellValue(contents, cell(row), wd.get("trends"))
	_ = f.SetCellStyle(contents, cell(row), cell(row), st.bold)
	row++
	var waves []string
	for _, w := range opts.TrendWaves {
		n := wd.int(w.Responses)
		if w.Hidden {
			n = hiddenMark
		}
		waves = append(waves, fmt.Sprintf("%s (n = %s)", w.Label, n))
	}
	_ = f.SetCellValue(contents, cell(row), wd.get("waves"))
	_ = f.SetCellValue(contents, fmt.Sprintf("B%d", row), strings.Join(waves, " · "))
	row++
	sheets := make([]string, len(opts.Trends))
	for i, t := range opts.Trends {
		name := SheetName(wd.get("trend", i+1), names)
		sheets[i] = name
		label := wd.get("trend", i+1) + ". " + t.Title
		_ = f.SetCellValue(contents, cell(row), label)
		_ = f.MergeCell(contents, cell(row), fmt.Sprintf("B%d", row))
		if err := f.SetCellHyperLink(contents, cell(row), "'"+name+"'!A1", "Location", excelize.HyperlinkOpts{Display: &label}); err != nil {
			return nil, err
		}
		_ = f.SetCellStyle(contents, cell(row), cell(row), st.link)
		row++
	}
	return sheets, nil
}
