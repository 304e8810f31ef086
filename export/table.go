package export

import (
	"encoding/csv"
	"io"

	"github.com/xuri/excelize/v2"
)

// TableCSV writes rows (the first a header) as CSV for spreadsheet
// programs: a byte order mark so they read UTF-8, CRLF line ends, and text
// they would evaluate neutralized (NeutralizeCSV).
func TableCSV(w io.Writer, rows [][]string) error {
	if _, err := io.WriteString(w, "\uFEFF"); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	out := make([]string, 0, 16)
	for _, row := range rows {
		out = out[:0]
		for _, v := range row {
			out = append(out, NeutralizeCSV(v))
		}
		if err := cw.Write(out); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// TableXLSX writes rows (the first a header, bold and frozen) to a workbook
// of one sheet. Every value is a text cell, so nothing runs as a formula.
// firstColumnWidth, when positive, widens column A.
func TableXLSX(w io.Writer, sheet string, rows [][]string, firstColumnWidth float64) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return err
	}
	for i, r := range rows {
		cells := make([]any, len(r))
		for j, v := range r {
			cells[j] = v
		}
		cell, err := excelize.CoordinatesToCellName(1, i+1)
		if err != nil {
			return err
		}
		if err := f.SetSheetRow(sheet, cell, &cells); err != nil {
			return err
		}
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	if err := f.SetRowStyle(sheet, 1, 1, bold); err != nil {
		return err
	}
	if firstColumnWidth > 0 {
		if err := f.SetColWidth(sheet, "A", "A", firstColumnWidth); err != nil {
			return err
		}
	}
	if err := f.SetPanes(sheet, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	return f.Write(w)
}
