package export

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"io"
	"strconv"
	"time"

	"github.com/metlib/canvass/survey"
)

// asTime recognizes time cells.
func asTime(v any) (time.Time, bool) {
	t, ok := v.(time.Time)
	return t, ok
}

// textValue formats a cell for CSV: dates as YYYY-MM-DD, times as RFC 3339.
func textValue(key string, v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case int:
		return strconv.Itoa(x)
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case time.Time:
		if key == "_submitted_at" {
			return x.UTC().Format(time.RFC3339)
		}
		return x.Format(time.DateOnly)
	}
	return ""
}

// CSV writes the raw data as RFC 4180 CSV in UTF-8 (optionally with a byte
// order mark): a header of column keys, then a row per response, the same
// columns as RawXLSX. Respondents' text that a spreadsheet would evaluate is
// prefixed with an apostrophe.
func CSV(w io.Writer, s *survey.Survey, responses Responses, opts Options) error {
	p := newPlan(s, opts.lang(s), opts.Labels)
	cols := p.cols
	bw := bufio.NewWriterSize(w, 64<<10)
	if opts.BOM {
		if _, err := bw.WriteString("\uFEFF"); err != nil {
			return err
		}
	}
	cw := csv.NewWriter(bw)
	cw.UseCRLF = true // RFC 4180
	record := make([]string, len(cols))
	for i, c := range cols {
		record[i] = c.key
	}
	if err := cw.Write(record); err != nil {
		return err
	}
	n := 0
	row := make([]any, len(cols))
	typed := make([]bool, len(cols))
	for r, err := range responses {
		if err != nil {
			return err
		}
		p.fill(r, row, typed)
		for i, c := range cols {
			record[i] = textValue(c.key, row[i])
			if typed[i] {
				record[i] = NeutralizeCSV(record[i])
			}
		}
		if err := cw.Write(record); err != nil {
			return err
		}
		n++
		if opts.Progress != nil && n%1000 == 0 {
			opts.Progress(n)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	if opts.Progress != nil {
		opts.Progress(n)
	}
	return bw.Flush()
}

// JSONLines writes one JSON object per response, keyed by the same column
// keys as RawXLSX and CSV, with the same values (null for an empty cell;
// dates as YYYY-MM-DD, times as RFC 3339), so any tool can read it and the
// spreadsheets can be checked against it.
func JSONLines(w io.Writer, s *survey.Survey, responses Responses, opts Options) error {
	p := newPlan(s, opts.lang(s), opts.Labels)
	cols := p.cols
	keys := make([][]byte, len(cols))
	for i, c := range cols {
		keys[i], _ = json.Marshal(c.key)
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	n := 0
	row := make([]any, len(cols))
	typed := make([]bool, len(cols))
	for r, err := range responses {
		if err != nil {
			return err
		}
		p.fill(r, row, typed)
		// Build the object by hand to keep the column order.
		if err := bw.WriteByte('{'); err != nil {
			return err
		}
		for i, c := range cols {
			if i > 0 {
				_ = bw.WriteByte(',')
			}
			_, _ = bw.Write(keys[i])
			_ = bw.WriteByte(':')
			v := row[i]
			var val []byte
			switch x := v.(type) {
			case time.Time:
				val, _ = json.Marshal(textValue(c.key, x))
			default:
				// Text is whole here: only spreadsheets have a cell limit.
				val, err = json.Marshal(v)
				if err != nil {
					return err
				}
			}
			_, _ = bw.Write(val)
		}
		if _, err := bw.WriteString("}\n"); err != nil {
			return err
		}
		n++
		if opts.Progress != nil && n%1000 == 0 {
			opts.Progress(n)
		}
	}
	if opts.Progress != nil {
		opts.Progress(n)
	}
	return bw.Flush()
}
