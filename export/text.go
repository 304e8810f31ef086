package export

import (
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

// textValue formats a cell for CSV and JSON Lines: dates as YYYY-MM-DD,
// time stamps (stamp) as RFC 3339.
func textValue(stamp bool, v any) string {
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
		if stamp {
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
	rows, err := newCSVRows(w, p.header(), opts)
	if err != nil {
		return err
	}
	return p.writeAll(responses, rows)
}

// JSONLines writes one JSON object per response, keyed by the same column
// keys as RawXLSX and CSV, with the same values (null for an empty cell;
// dates as YYYY-MM-DD, times as RFC 3339), so any tool can read it and the
// spreadsheets can be checked against it.
func JSONLines(w io.Writer, s *survey.Survey, responses Responses, opts Options) error {
	p := newPlan(s, opts.lang(s), opts.Labels)
	return p.writeAll(responses, newJSONRows(w, p.header(), opts))
}
