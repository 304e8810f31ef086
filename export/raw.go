package export

import (
	"fmt"
	"io"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/metlib/canvass/survey"
)

// MaxSheetRows is Excel's limit on the rows of a sheet.
const MaxSheetRows = 1048576

// RawXLSX writes the raw-data workbook: "Responses" (one row per response:
// ids, time, language, country, region, library, then one column per
// question; multi_choice as a 0/1 column per option plus the other text;
// matrix as a column per row; ranking as each option's rank; numbers as
// numbers, dates as dates), continued on "Responses (2)"… past Excel's row
// limit, and a "Codebook" describing every column. Rows are written with
// excelize's StreamWriter, so memory stays flat as rows grow, except that
// excelize assembles the zip file in memory when it saves.
func RawXLSX(w io.Writer, s *survey.Survey, responses Responses, opts Options) error {
	lang := opts.lang(s)
	p := newPlan(s, lang, opts.Labels)
	f := excelize.NewFile()
	defer f.Close()
	styles, err := newRawStyles(f)
	if err != nil {
		return err
	}
	rows, err := newXLSXRows(f, styles, "Responses", p.header(), opts, []colWidth{{1, 2, 26}, {3, 3, 20}})
	if err != nil {
		return err
	}
	if err := p.writeAll(responses, rows); err != nil {
		return err
	}
	if err := writeCodebook(f, s, p.cols, lang, styles, rows.truncated, rows.n); err != nil {
		return err
	}
	return f.Write(w)
}

type rawStyles struct{ header, date, dateTime, wrap int }

func newRawStyles(f *excelize.File) (rawStyles, error) {
	var s rawStyles
	var err error
	if s.header, err = f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}}); err != nil {
		return s, err
	}
	dateFmt, dateTimeFmt := "yyyy-mm-dd", "yyyy-mm-dd hh:mm:ss"
	if s.date, err = f.NewStyle(&excelize.Style{CustomNumFmt: &dateFmt}); err != nil {
		return s, err
	}
	if s.dateTime, err = f.NewStyle(&excelize.Style{CustomNumFmt: &dateTimeFmt}); err != nil {
		return s, err
	}
	s.wrap, err = f.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	return s, err
}

// writeCodebook describes every column: key, question, type, and codes.
func writeCodebook(f *excelize.File, s *survey.Survey, cols []column, lang string, st rawStyles, truncated, rows int) error {
	const sheet = "Codebook"
	if _, err := f.NewSheet(sheet); err != nil {
		return err
	}
	rowsOut := [][]any{
		{s.Title.In(lang, s.DefaultLanguage) + " (" + s.Slug + ", version " + fmt.Sprint(s.Version) + "): " + fmt.Sprint(rows) + " responses"},
		{"Column", "Question id", "Text", "Type", "Codes"},
	}
	for _, c := range cols {
		if c.fixed != nil {
			rowsOut = append(rowsOut, []any{c.key, "", c.title, "", ""})
			continue
		}
		q := c.col.Question
		typ, codes := string(q.Type), ""
		switch {
		case c.col.OtherText:
			typ = "text (other, please specify)"
		case c.col.ChangeNote:
			typ = "text (why the answer changed from the previous wave; asked by the change check)"
		case c.col.Option != nil && q.Type == survey.Ranking:
			typ, codes = "rank", "1 = ranked first; blank = not ranked"
		case c.col.Option != nil:
			typ, codes = "0/1", "1 = chosen, 0 = not chosen; blank = not asked or not answered"
		default:
			var parts []string
			for _, o := range q.Options {
				parts = append(parts, string(o.Value)+" = "+o.Label.In(lang, s.DefaultLanguage))
			}
			codes = strings.Join(parts, "; ")
		}
		rowsOut = append(rowsOut, []any{c.key, q.ID, c.title, typ, codes})
	}
	if err := writeCodebookRows(f, sheet, rowsOut, truncated); err != nil {
		return err
	}
	_ = f.SetCellStyle(sheet, "A2", "E2", st.header)
	_ = f.SetColWidth(sheet, "A", "B", 28)
	_ = f.SetColWidth(sheet, "C", "C", 60)
	_ = f.SetColWidth(sheet, "E", "E", 80)
	return f.SetPanes(sheet, &excelize.Panes{Freeze: true, YSplit: 2, TopLeftCell: "A3", ActivePane: "bottomLeft"})
}

// writeCodebookRows writes a codebook sheet's rows from A1, then, when
// truncated answers were cut to fit a cell, a note saying so.
func writeCodebookRows(f *excelize.File, sheet string, rows [][]any, truncated int) error {
	if truncated > 0 {
		rows = append(rows, []any{}, []any{fmt.Sprintf("Note: %d answers were longer than Excel's %d characters per cell and were cut, ending with %q.", truncated, MaxCellText, strings.TrimSpace(truncationMarker))})
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow(sheet, cell, &r); err != nil {
			return err
		}
	}
	return nil
}
