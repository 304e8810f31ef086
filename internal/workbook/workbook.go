// Package workbook opens uploaded .xlsx files for the importers (the
// library directory and XLSForms) within fixed bounds, so a small hostile
// file cannot make the server unpack or hold gigabytes.
//
// Measured before these bounds (issue 13): a 68 KB sheet with one cell in
// column XFD on 6,000 rows took an import to 2.9 GB (GetRows pads every row
// to the widest one); a 2 MB zip bomb to 4.15 GB and 105 s; 3,000,000
// one-cell rows to 4.1 GB.
package workbook

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"

	"github.com/xuri/excelize/v2"

	"github.com/metlib/canvass/survey"
)

// Unpacking limits. Every part of a workbook except worksheets and the
// shared strings is held in memory once unpacked, so UnzipSizeLimit is the
// bound on that memory; worksheets and shared strings above
// UnzipXMLSizeLimit are unpacked to a temporary file and streamed.
// 64 MiB unpacked is about 400,000 cells of ordinary text, far beyond the
// row caps of the importers.
const (
	UnzipSizeLimit    = 64 << 20
	UnzipXMLSizeLimit = 16 << 20
)

// Limits caps one sheet.
type Limits struct {
	// MaxRows counts every row up to the last one, empty ones included
	// (a row numbered 1,000,000 is a millionth row).
	MaxRows int
	// MaxColumns is the rightmost column a cell may be in.
	MaxColumns int
}

// ErrNotWorkbook is returned (wrapped) by Open when data is not an .xlsx file.
var ErrNotWorkbook = errors.New("not an .xlsx workbook")

// Open opens an uploaded workbook. The sizes the zip directory declares are
// summed first (archive/zip refuses to inflate an entry past its declared
// size, so they cannot lie), and a workbook that would unpack to more than
// UnzipSizeLimit is ETOOLARGE before anything is inflated. Any other
// failure wraps ErrNotWorkbook. Close the file when done: it may hold
// temporary files.
func Open(data []byte) (*excelize.File, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrNotWorkbook, err)
	}
	var total uint64
	for _, f := range zr.File {
		total += f.UncompressedSize64
		if total > UnzipSizeLimit {
			return nil, survey.Errorf(survey.ETOOLARGE, "The workbook unpacks to more than %d MiB (the limit for an import); keep only the sheets and columns to import.", UnzipSizeLimit>>20)
		}
	}
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{UnzipSizeLimit: UnzipSizeLimit, UnzipXMLSizeLimit: UnzipXMLSizeLimit})
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrNotWorkbook, err)
	}
	return f, nil
}

// ReadRows reads a sheet row by row with excelize's streaming iterator and
// stops at the first row past lim.MaxRows or the first cell right of
// lim.MaxColumns, with an ETOOLARGE error naming the limit. Trailing empty
// rows are dropped (as GetRows does); empty rows in between are nil.
func ReadRows(f *excelize.File, sheet string, lim Limits) ([][]string, error) {
	rows, err := f.Rows(sheet)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out [][]string
	n, last := 0, 0
	for rows.Next() {
		n++
		if n > lim.MaxRows {
			return nil, survey.Errorf(survey.ETOOLARGE, "The sheet %q has more than %d rows, the limit for an import.", sheet, lim.MaxRows)
		}
		cells, err := rows.Columns()
		if err != nil {
			return nil, err
		}
		if len(cells) > lim.MaxColumns {
			col, _ := excelize.ColumnNumberToName(len(cells))
			max, _ := excelize.ColumnNumberToName(lim.MaxColumns)
			return nil, survey.Errorf(survey.ETOOLARGE, "Row %d of the sheet %q has a cell in column %s; an import may use at most %d columns (A to %s).", n, sheet, col, lim.MaxColumns, max)
		}
		out = append(out, cells)
		if len(cells) > 0 {
			last = len(out)
		}
	}
	if err := rows.Error(); err != nil {
		return nil, err
	}
	return out[:last], nil
}
