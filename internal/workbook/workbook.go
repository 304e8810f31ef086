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
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

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

// Shared-strings limits. excelize copies a shared string into a new Go
// string for every cell that refers to it, and holds each entry of the
// table as a struct, so a 17 KB file with one 15 MiB string referred to by
// 160 cells took an import to 2.6 GB, and 1.2 million empty entries to
// +358 MB (issue 13). Open refuses, before excelize parses anything, a
// shared-strings part that unpacks past MaxSharedStringsSize, holds more
// than MaxSharedStrings entries, or one longer than MaxCellChars (Excel's
// own limit on a cell). A library directory of 20,000 rows of distinct
// titles and authors has about 40,000 strings in 2 MiB.
const (
	MaxSharedStringsSize = 8 << 20
	MaxSharedStrings     = 200000
	MaxCellChars         = 32767
)

// Limits caps one sheet.
type Limits struct {
	// MaxRows counts every row up to the last one, empty ones included
	// (a row numbered 1,000,000 is a millionth row).
	MaxRows int
	// MaxColumns is the rightmost column a cell may be in.
	MaxColumns int
	// MaxCellChars caps the characters of one cell (at most the package's
	// MaxCellChars, which Open enforces on shared strings).
	MaxCellChars int
	// MaxTextBytes caps the bytes of text read from the whole sheet, so
	// the rows kept, and whatever the importer builds from them, stay
	// bounded.
	MaxTextBytes int
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
	for _, f := range zr.File {
		if err := checkSharedStrings(f); err != nil {
			return nil, err
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
// lim.MaxColumns, at the first cell longer than lim.MaxCellChars, or once
// the text read passes lim.MaxTextBytes, with an ETOOLARGE error naming the
// limit; a row is checked before it is kept. Trailing empty
// rows are dropped (as GetRows does); empty rows in between are nil.
func ReadRows(f *excelize.File, sheet string, lim Limits) ([][]string, error) {
	rows, err := f.Rows(sheet)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out [][]string
	n, last, text := 0, 0, 0
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
		for i, c := range cells {
			text += len(c)
			if len(c) > lim.MaxCellChars && utf8.RuneCountInString(c) > lim.MaxCellChars {
				ref, _ := excelize.CoordinatesToCellName(i+1, n)
				return nil, survey.Errorf(survey.ETOOLARGE, "The cell %s of the sheet %q is longer than %d characters, the limit for an import.", ref, sheet, lim.MaxCellChars)
			}
		}
		if text > lim.MaxTextBytes {
			return nil, survey.Errorf(survey.ETOOLARGE, "The sheet %q holds more than %d KiB of text, the limit for an import.", sheet, lim.MaxTextBytes>>10)
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

// checkSharedStrings scans a zip part that may be a shared-strings table
// (any part outside the worksheets that is not a relationships file:
// excelize finds the table through the workbook's relationships, so its
// name proves nothing) and refuses it past the shared-strings limits. The
// scan streams tokens and stops at the first limit passed; only parts with
// <si> entries count as tables.
func checkSharedStrings(f *zip.File) error {
	name := strings.ToLower(f.Name)
	if strings.HasPrefix(name, "xl/worksheets/") || strings.HasSuffix(name, ".rels") || !strings.HasSuffix(name, ".xml") {
		return nil
	}
	r, err := f.Open()
	if err != nil {
		return fmt.Errorf("%w: %v", ErrNotWorkbook, err)
	}
	defer r.Close()
	d := xml.NewDecoder(r)
	entries, depth, chars := 0, 0, 0
	for {
		tok, err := d.RawToken()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			// Malformed XML is for excelize to report, in its own words.
			return nil
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if t.Name.Local == "si" {
				if entries == 0 && f.UncompressedSize64 > MaxSharedStringsSize {
					return survey.Errorf(survey.ETOOLARGE, "The workbook's shared strings unpack to more than %d MiB, the limit for an import.", MaxSharedStringsSize>>20)
				}
				entries++
				if entries > MaxSharedStrings {
					return survey.Errorf(survey.ETOOLARGE, "The workbook has more than %d shared strings, the limit for an import.", MaxSharedStrings)
				}
				depth, chars = 1, 0
			} else if depth > 0 {
				depth++
			}
		case xml.EndElement:
			if depth > 0 {
				depth--
			}
		case xml.CharData:
			if depth > 0 {
				// RawToken leaves entities unexpanded, so this counts
				// "&amp;" as five: over, never under, Excel's count.
				chars += utf8.RuneCount(t)
				if chars > MaxCellChars {
					return survey.Errorf(survey.ETOOLARGE, "A shared string of the workbook is longer than %d characters, Excel's limit for a cell.", MaxCellChars)
				}
			}
		}
	}
}
