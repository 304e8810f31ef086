package export

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"

	"github.com/xuri/excelize/v2"
)

// rowWriter writes the rows of a flat export in one format. The raw
// export of a survey and the exports of a series share them, so a cell
// is written the same way in both: text as a text cell (XLSX) or
// neutralized when typed by a respondent (CSV), times as date-times where
// the column is a time stamp, else as dates.
type rowWriter interface {
	// write writes one row of string, int, float64, time.Time or nil
	// cells; typed marks the text a respondent typed. row is not kept.
	write(row []any, typed []bool) error
	// close ends the rows (a workbook's sheets are flushed; the caller
	// still saves the workbook).
	close() error
}

// header is the columns of a flat export: their keys, and which hold a
// time stamp (a date-time; the other time cells are dates).
type header struct {
	keys   []string
	stamps []bool
}

// progressEvery is how often, in rows, Options.Progress is called.
const progressEvery = 1000

// progress counts the rows written and reports them.
type progress struct {
	n  int
	fn func(rows int)
}

func (p *progress) add() {
	p.n++
	if p.fn != nil && p.n%progressEvery == 0 {
		p.fn(p.n)
	}
}

func (p *progress) done() {
	if p.fn != nil {
		p.fn(p.n)
	}
}

// xlsxRows writes rows on a sheet with excelize's StreamWriter, so memory
// stays flat as rows grow (excelize still assembles the zip when the
// workbook is saved), continued on "Name (2)"… past the row limit, each
// sheet with the header row, frozen.
type xlsxRows struct {
	f         *excelize.File
	styles    rawStyles
	name      string
	limit     int
	widths    []colWidth
	head      []any
	stamps    []bool
	sw        *excelize.StreamWriter
	sheets    int
	inSheet   int
	truncated int // text cells cut to Excel's limit
	cells     []any
	progress
}

// colWidth is the width of the columns from..to (1-based).
type colWidth struct {
	from, to int
	width    float64
}

func newXLSXRows(f *excelize.File, styles rawStyles, name string, h header, opts Options, widths []colWidth) (*xlsxRows, error) {
	x := &xlsxRows{f: f, styles: styles, name: name, limit: MaxSheetRows, widths: widths, stamps: h.stamps,
		head: make([]any, len(h.keys)), cells: make([]any, len(h.keys)), progress: progress{fn: opts.Progress}}
	if opts.MaxRowsPerSheet > 0 {
		x.limit = opts.MaxRowsPerSheet
	}
	for i, k := range h.keys {
		x.head[i] = excelize.Cell{StyleID: styles.header, Value: k}
	}
	return x, x.newSheet()
}

func (x *xlsxRows) newSheet() error {
	if x.sw != nil {
		if err := x.sw.Flush(); err != nil {
			return err
		}
	}
	x.sheets++
	name := x.name
	if x.sheets > 1 {
		name = fmt.Sprintf("%s (%d)", x.name, x.sheets)
	}
	if x.sheets == 1 { // the new workbook's own sheet
		if err := x.f.SetSheetName("Sheet1", name); err != nil {
			return err
		}
	} else if _, err := x.f.NewSheet(name); err != nil {
		return err
	}
	// A new sheet says its dimension is "A1", which the stream writer
	// cannot correct once rows are written; readers that trust it
	// (openpyxl in read-only mode) would then see one cell. Without a
	// dimension they read every row.
	if err := x.f.SetSheetDimension(name, ""); err != nil {
		return err
	}
	var err error
	if x.sw, err = x.f.NewStreamWriter(name); err != nil {
		return err
	}
	if err := x.sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	for _, w := range x.widths {
		_ = x.sw.SetColWidth(w.from, w.to, w.width)
	}
	if err := x.sw.SetRow("A1", x.head); err != nil {
		return err
	}
	x.inSheet = 1
	return nil
}

func (x *xlsxRows) write(row []any, _ []bool) error {
	if x.inSheet == x.limit {
		if err := x.newSheet(); err != nil {
			return err
		}
	}
	for i, v := range row {
		switch v := v.(type) {
		case string:
			text, cut := fitCell(v)
			if cut {
				x.truncated++
			}
			x.cells[i] = text // a text cell: never evaluated as a formula
		case nil:
			x.cells[i] = nil
		default:
			if t, ok := asTime(v); ok {
				style := x.styles.date
				if x.stamps[i] {
					style = x.styles.dateTime
				}
				x.cells[i] = excelize.Cell{StyleID: style, Value: t}
			} else {
				x.cells[i] = v
			}
		}
	}
	x.inSheet++
	cell, _ := excelize.CoordinatesToCellName(1, x.inSheet)
	if err := x.sw.SetRow(cell, x.cells); err != nil {
		return err
	}
	x.add()
	return nil
}

func (x *xlsxRows) close() error {
	if err := x.sw.Flush(); err != nil {
		return err
	}
	x.done()
	return nil
}

// csvRows writes RFC 4180 CSV in UTF-8 (CRLF line ends, optionally a
// byte order mark): a header of column keys, then the rows. A
// respondent's text that a spreadsheet would evaluate is prefixed with an
// apostrophe (NeutralizeCSV).
type csvRows struct {
	bw     *bufio.Writer
	cw     *csv.Writer
	stamps []bool
	record []string
	progress
}

func newCSVRows(w io.Writer, h header, opts Options) (*csvRows, error) {
	c := &csvRows{bw: bufio.NewWriterSize(w, 64<<10), stamps: h.stamps, record: make([]string, len(h.keys)), progress: progress{fn: opts.Progress}}
	if opts.BOM {
		if _, err := c.bw.WriteString("\uFEFF"); err != nil {
			return nil, err
		}
	}
	c.cw = csv.NewWriter(c.bw)
	c.cw.UseCRLF = true // RFC 4180
	return c, c.cw.Write(h.keys)
}

func (c *csvRows) write(row []any, typed []bool) error {
	for i, v := range row {
		c.record[i] = textValue(c.stamps[i], v)
		if typed[i] {
			c.record[i] = NeutralizeCSV(c.record[i])
		}
	}
	if err := c.cw.Write(c.record); err != nil {
		return err
	}
	c.add()
	return nil
}

func (c *csvRows) close() error {
	c.cw.Flush()
	if err := c.cw.Error(); err != nil {
		return err
	}
	c.done()
	return c.bw.Flush()
}

// jsonRows writes one JSON object per row, keyed by the column keys in
// column order, null for an empty cell, dates as YYYY-MM-DD and time
// stamps as RFC 3339. Text is whole: only spreadsheets have a cell limit.
type jsonRows struct {
	bw     *bufio.Writer
	keys   [][]byte
	stamps []bool
	progress
}

func newJSONRows(w io.Writer, h header, opts Options) *jsonRows {
	j := &jsonRows{bw: bufio.NewWriterSize(w, 64<<10), keys: make([][]byte, len(h.keys)), stamps: h.stamps, progress: progress{fn: opts.Progress}}
	for i, k := range h.keys {
		j.keys[i], _ = json.Marshal(k)
	}
	return j
}

func (j *jsonRows) write(row []any, _ []bool) error {
	// Built by hand to keep the column order.
	if err := j.bw.WriteByte('{'); err != nil {
		return err
	}
	for i, v := range row {
		if i > 0 {
			_ = j.bw.WriteByte(',')
		}
		_, _ = j.bw.Write(j.keys[i])
		_ = j.bw.WriteByte(':')
		if t, ok := asTime(v); ok {
			v = textValue(j.stamps[i], t)
		}
		val, err := json.Marshal(v)
		if err != nil {
			return err
		}
		_, _ = j.bw.Write(val)
	}
	if _, err := j.bw.WriteString("}\n"); err != nil {
		return err
	}
	j.add()
	return nil
}

func (j *jsonRows) close() error {
	j.done()
	return j.bw.Flush()
}
