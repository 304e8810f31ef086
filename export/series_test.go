package export_test

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/metlib/canvass/export"
	"github.com/metlib/canvass/internal/openpyxl"
	"github.com/metlib/canvass/survey"
)

// Three waves of a small series. 2025 drops oldq and renames wifi to
// internet (recode); 2026 adds sunday, a makerspace option and a matrix
// row, renames closed to shut (recode) and does not repeat 2025's recode,
// so 2024's wifi reaches internet through 2025's; mobile, offered in 2024
// only and recoded nowhere, keeps its code. budget's change check (and its
// explanation column) starts in 2025.
const (
	wave2024 = `
slug: lib-2024
series: lib
wave: "2024"
default_language: en
languages: [en]
title: {en: Library statistics 2024}
sections:
  - id: s
    questions:
      - {id: budget, type: number, label: {en: Budget}}
      - id: services
        type: multi_choice
        label: {en: Services}
        options:
          - {value: loans, label: {en: Loans}}
          - {value: wifi, label: {en: Wi-Fi}}
          - {value: events, label: {en: Events}}
          - {value: mobile, label: {en: Mobile library}}
      - id: status
        type: single_choice
        label: {en: Status}
        options:
          - {value: open, label: {en: Open}}
          - {value: closed, label: {en: Closed}}
          - {value: other, other: true, label: {en: Other}}
      - {id: oldq, type: single_choice, label: {en: Old question}, options: [{value: "y", label: {en: "Yes"}}, {value: "n", label: {en: "No"}}]}
      - {id: comment, type: text, label: {en: Comment}}
      - {id: grid, type: matrix, label: {en: Grid}, options: [{value: lo, label: {en: Low}}, {value: hi, label: {en: High}}], rows: [{id: r1, label: {en: Row 1}}]}
`
	wave2025 = `
slug: lib-2025
series: lib
wave: "2025"
default_language: en
languages: [en]
title: {en: Library statistics 2025}
sections:
  - id: s
    questions:
      - {id: budget, type: number, label: {en: Budget}, change_check: {max_ratio: 2}}
      - id: services
        type: multi_choice
        label: {en: Services}
        recode: {wifi: internet}
        options:
          - {value: loans, label: {en: Loans}}
          - {value: internet, label: {en: Internet access}}
          - {value: events, label: {en: Events}}
      - id: status
        type: single_choice
        label: {en: Status}
        options:
          - {value: open, label: {en: Open}}
          - {value: closed, label: {en: Closed}}
          - {value: other, other: true, label: {en: Other}}
      - {id: comment, type: text, label: {en: Comment}}
      - {id: grid, type: matrix, label: {en: Grid}, options: [{value: lo, label: {en: Low}}, {value: hi, label: {en: High}}], rows: [{id: r1, label: {en: Row 1}}]}
`
	wave2026 = `
slug: lib-2026
series: lib
wave: "2026"
default_language: en
languages: [en]
title: {en: Library statistics 2026}
sections:
  - id: s
    questions:
      - {id: budget, type: number, label: {en: Budget (EUR)}, change_check: {max_ratio: 2}}
      - id: services
        type: multi_choice
        label: {en: Services offered}
        options:
          - {value: loans, label: {en: Loans}}
          - {value: internet, label: {en: Internet access}}
          - {value: events, label: {en: Events}}
          - {value: makerspace, label: {en: Makerspace}}
      - id: status
        type: single_choice
        label: {en: Status}
        recode: {closed: shut}
        options:
          - {value: open, label: {en: Open}}
          - {value: shut, label: {en: Shut}}
          - {value: other, other: true, label: {en: Other}}
      - {id: comment, type: text, label: {en: Comment}}
      - {id: sunday, type: single_choice, label: {en: Open on Sundays}, options: [{value: "yes", label: {en: "Yes"}}, {value: "no", label: {en: "No"}}]}
      - {id: grid, type: matrix, label: {en: Grid}, options: [{value: lo, label: {en: Low}}, {value: hi, label: {en: High}}], rows: [{id: r1, label: {en: Row 1}}, {id: r2, label: {en: Row 2}}]}
`
)

// seriesAnswer is one response of the test series, as the respondent
// gave it.
type seriesAnswer struct {
	wave    int
	library string
	at      time.Time
	raw     map[string]any
}

// The test's own reading of the definitions above, written out by hand:
// the columns each wave asked, and the codes each wave's answers are
// written as.
var (
	seriesNames = []string{"2024", "2025", "2026"}
	seriesSlugs = []string{"lib-2024", "lib-2025", "lib-2026"}
	// The variables in their order (2026's, with 2024's oldq after
	// status, where 2024 asked it), and their columns.
	seriesVars = [][]string{
		{"budget", "budget_change_note"},
		{"services.loans", "services.internet", "services.events", "services.makerspace", "services.mobile"},
		{"status", "status_other"},
		{"oldq"},
		{"comment"},
		{"sunday"},
		{"grid.r1", "grid.r2"},
	}
	seriesAsked = []map[string]bool{
		set("budget", "services.loans", "services.internet", "services.events", "services.mobile", "status", "status_other", "oldq", "comment", "grid.r1"),
		set("budget", "budget_change_note", "services.loans", "services.internet", "services.events", "status", "status_other", "comment", "grid.r1"),
		set("budget", "budget_change_note", "services.loans", "services.internet", "services.events", "services.makerspace", "status", "status_other", "comment", "sunday", "grid.r1", "grid.r2"),
	}
	seriesRecodes = []map[string]string{ // wave: "question:from" → to
		{"services:wifi": "internet", "status:closed": "shut"},
		{"status:closed": "shut"},
		{},
	}
	seriesTyped = set("budget_change_note", "status_other", "comment")
)

func set(keys ...string) map[string]bool {
	m := map[string]bool{}
	for _, k := range keys {
		m[k] = true
	}
	return m
}

func seriesData(t *testing.T) ([]*survey.Survey, []seriesAnswer) {
	t.Helper()
	var waves []*survey.Survey
	for _, def := range []string{wave2024, wave2025, wave2026} {
		s, err := survey.ParseDefinition([]byte(def), "yaml")
		if err != nil {
			t.Fatal(err, survey.ErrorFields(err))
		}
		waves = append(waves, s)
	}
	day := func(y, d int) time.Time { return time.Date(y, 3, d, 10, 30, 0, 0, time.UTC) }
	answers := []seriesAnswer{
		{0, "L01", day(2024, 1), map[string]any{"budget": 1000.0, "services": []any{"loans", "wifi", "mobile"}, "status": "open", "oldq": "y", "comment": "=HYPERLINK(\"http://x.example\")", "grid": map[string]any{"r1": "lo"}}},
		{0, "L02", day(2024, 2), map[string]any{"budget": 2500.5, "services": []any{"events"}, "status": "closed", "oldq": "n"}},
		{0, "L03", day(2024, 3), map[string]any{"status": "other", "status_other": "=1+1", "comment": "plain"}},
		{1, "", day(2025, 1), map[string]any{"budget": 7.0, "services": []any{"internet"}, "status": "open"}},
		{1, "L01", day(2025, 2), map[string]any{"budget": 1200.0, "services": []any{"internet", "events"}, "status": "closed", "grid": map[string]any{"r1": "hi"}}},
		{1, "L03", day(2025, 3), map[string]any{"budget": 300.0, "status": "open", "comment": "@SUM(1)"}},
		{1, "L04", day(2025, 4), map[string]any{"services": []any{"loans"}, "status": "other", "status_other": "Mobile only"}},
		{2, "L01", day(2026, 1), map[string]any{"budget": 5000.0, "budget_change_note": "=cmd|' /C calc'!A0", "services": []any{"makerspace", "loans"}, "status": "shut", "sunday": "yes", "grid": map[string]any{"r1": "hi", "r2": "lo"}}},
		{2, "L02", day(2026, 2), map[string]any{"budget": 100.0, "status": "open", "sunday": "no"}},
		{2, "L02", day(2026, 5), map[string]any{"budget": 2400.0, "services": []any{"internet"}, "status": "open", "sunday": "yes"}},
		{2, "L05", day(2026, 3), map[string]any{"comment": "new library", "grid": map[string]any{"r2": "hi"}}},
	}
	return waves, answers
}

// seriesResponses are the answers as responses, each wave's sorted by
// library and then by time (the order ByLibrary reads), with an answer
// 2025 does not ask (oldq, as a stored answer to an earlier version would
// be) slipped into one of 2025's.
func seriesResponses(t *testing.T, waves []*survey.Survey, answers []seriesAnswer) [][]*survey.Response {
	t.Helper()
	out := make([][]*survey.Response, len(waves))
	for i, a := range answers {
		s := waves[a.wave]
		checked, err := s.CheckAnswers(a.raw, "en")
		if err != nil {
			t.Fatalf("answer %d: %v %+v", i, err, survey.ErrorFields(err))
		}
		if a.wave == 1 && a.library == "L03" {
			checked["oldq"] = "y"
		}
		at := a.at
		out[a.wave] = append(out[a.wave], &survey.Response{ID: fmt.Sprintf("r%02d", i), SubmissionID: fmt.Sprintf("sub-%02d", i), SurveySlug: s.Slug, SurveyVersion: 1,
			LibraryID: a.library, Language: "en", Country: "FR", Region: survey.Europe, Status: survey.ResponseSubmitted, Answers: checked, CreatedAt: at, SubmittedAt: &at})
	}
	for _, rs := range out {
		slices.SortStableFunc(rs, func(a, b *survey.Response) int {
			return strings.Compare(a.LibraryID, b.LibraryID)*2 + a.CreatedAt.Compare(b.CreatedAt)
		})
	}
	return out
}

// expectCell is column key of a response to wave w with answers raw, as
// the test reads the definitions: nil (empty), a string, or a number.
func expectCell(w int, key string, raw map[string]any) any {
	if !seriesAsked[w][key] {
		return nil
	}
	code := func(q, v string) string {
		if to, ok := seriesRecodes[w][q+":"+v]; ok {
			return to
		}
		return v
	}
	q, part, _ := strings.Cut(key, ".")
	switch q {
	case "services":
		chosen, ok := raw["services"].([]any)
		if !ok {
			return nil
		}
		for _, c := range chosen {
			if code(q, c.(string)) == part {
				return 1.0
			}
		}
		return 0.0
	case "grid":
		rows, _ := raw["grid"].(map[string]any)
		if v, ok := rows[part]; ok {
			return v
		}
		return nil
	case "status":
		if v, ok := raw[q].(string); ok {
			return code(q, v)
		}
		return nil
	}
	return raw[key]
}

// expectLong is the long layout's header and rows, as openpyxl reads the
// cells (numbers as float64, the time as Python prints it).
func expectLong(answers []seriesAnswer, responses [][]*survey.Response) ([]string, [][]any) {
	header := []string{"_wave", "_survey", "_library_id", "_response_id", "_submission_id", "_submitted_at", "_survey_version", "_language", "_country", "_region"}
	for _, cols := range seriesVars {
		header = append(header, cols...)
	}
	var rows [][]any
	for w, rs := range responses {
		for _, r := range rs {
			raw := answers[mustAtoi(strings.TrimPrefix(r.ID, "r"))].raw
			var library any
			if r.LibraryID != "" {
				library = r.LibraryID
			}
			row := []any{seriesNames[w], seriesSlugs[w], library, r.ID, r.SubmissionID, r.SubmittedAt.Format("2006-01-02 15:04:05"), 1.0, "en", "FR", "europe"}
			for _, key := range header[10:] {
				row = append(row, expectCell(w, key, raw))
			}
			rows = append(rows, row)
		}
	}
	return header, rows
}

// expectWide is the wide layout's header and rows: a row per library (in
// id order), its latest response to each wave.
func expectWide(answers []seriesAnswer) ([]string, [][]any) {
	header := []string{"_library_id"}
	type col struct {
		wave int
		key  string
	}
	var cols []col
	for _, vcols := range seriesVars {
		for w := range seriesNames {
			for _, key := range vcols {
				if seriesAsked[w][key] {
					header = append(header, key+"__"+seriesNames[w])
					cols = append(cols, col{w, key})
				}
			}
		}
	}
	var rows [][]any
	for _, lib := range []string{"L01", "L02", "L03", "L04", "L05"} {
		latest := make([]*seriesAnswer, len(seriesNames))
		for i, a := range answers {
			if a.library == lib && (latest[a.wave] == nil || a.at.After(latest[a.wave].at)) {
				latest[a.wave] = &answers[i]
			}
		}
		row := []any{lib}
		for _, c := range cols {
			var v any
			if a := latest[c.wave]; a != nil {
				v = expectCell(c.wave, c.key, a.raw)
			}
			row = append(row, v)
		}
		rows = append(rows, row)
	}
	return header, rows
}

func mustAtoi(s string) int {
	n, err := strconv.Atoi(s)
	if err != nil {
		panic(err)
	}
	return n
}

// asCSV is a cell as the CSV file should have it: numbers in Go's
// shortest form, the time in RFC 3339, and typed text that a spreadsheet
// would evaluate behind an apostrophe.
func asCSV(key string, v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case string:
		if key == "_submitted_at" {
			t, _ := time.Parse("2006-01-02 15:04:05", x)
			return t.Format(time.RFC3339)
		}
		base, _, _ := strings.Cut(key, "__")
		if seriesTyped[base] && strings.IndexAny(x, "=+-@") == 0 {
			return "'" + x
		}
		return x
	}
	return fmt.Sprint(v)
}

func seriesWaves(waves []*survey.Survey, responses [][]*survey.Response) []export.Wave {
	out := make([]export.Wave, len(waves))
	for i, s := range waves {
		out[i] = export.Wave{Survey: s}
		if responses != nil {
			out[i].Responses = export.Slice(responses[i])
		}
	}
	return out
}

// sheetOf is a sheet of a workbook openpyxl read.
func sheetOf(t *testing.T, b dumpedBook, name string) [][]any {
	t.Helper()
	for _, s := range b.Sheets {
		if s.Name == name {
			return s.Rows
		}
	}
	t.Fatalf("no sheet %q", name)
	return nil
}

// TestSeriesExportsReadBack writes the long and wide layouts of three
// waves as XLSX and CSV, reads them back with openpyxl and Python's csv
// module, and compares every cell with the values the test works out from
// the answers given (the JSON Lines file too, read with Go's decoder):
// recoded codes, empty cells where a wave did not ask, respondents'
// formulas kept as text, one wide row per library (its latest response;
// the anonymous one left out), and the codebook's waves and recodes.
func TestSeriesExportsReadBack(t *testing.T) {
	python := openpyxl.Python(t)
	waves, answers := seriesData(t)
	responses := seriesResponses(t, waves, answers)
	dir := t.TempDir()
	write := func(name string, f func(*bytes.Buffer) error) string {
		t.Helper()
		var buf bytes.Buffer
		if err := f(&buf); err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
			t.Fatal(err)
		}
		return path
	}
	dumpCSV := func(path string) [][]string {
		t.Helper()
		out, err := exec.Command(python, "testdata/dump_csv.py", path).Output()
		if err != nil {
			t.Fatalf("csv: %v %s", err, out)
		}
		var rows [][]string
		if err := json.Unmarshal(out, &rows); err != nil {
			t.Fatal(err)
		}
		return rows
	}
	wantLongHeader, wantLong := expectLong(answers, responses)
	wantWideHeader, wantWide := expectWide(answers)
	if n := len(answers); len(wantLong) != n {
		t.Fatalf("long rows %d, want one per response (%d)", len(wantLong), n)
	}
	for _, tc := range []struct {
		layout export.Layout
		sheet  string
		header []string
		rows   [][]any
	}{
		{export.Long, "Responses", wantLongHeader, wantLong},
		{export.Wide, "Libraries", wantWideHeader, wantWide},
	} {
		t.Run(string(tc.layout), func(t *testing.T) {
			var xlsx bytes.Buffer
			if err := export.SeriesXLSX(&xlsx, seriesWaves(waves, responses), tc.layout, export.Options{}); err != nil {
				t.Fatal(err)
			}
			book := readBack(t, python, xlsx.Bytes())
			got := sheetOf(t, book, tc.sheet)
			if len(got) != len(tc.rows)+1 {
				t.Fatalf("%d rows, want a header and %d", len(got), len(tc.rows))
			}
			if h := fmt.Sprint(got[0]); h != fmt.Sprint(anySlice(tc.header)) {
				t.Fatalf("header\n got %v\nwant %v", got[0], tc.header)
			}
			for i, want := range tc.rows {
				row := got[i+1]
				for j, key := range tc.header {
					if cell := cellAt(row, j); fmt.Sprintf("%#v", cell) != fmt.Sprintf("%#v", want[j]) {
						t.Errorf("XLSX row %d, %s: %#v, want %#v", i+2, key, cell, want[j])
					}
				}
			}
			csvRows := dumpCSV(write(string(tc.layout)+".csv", func(b *bytes.Buffer) error {
				return export.SeriesCSV(b, seriesWaves(waves, responses), tc.layout, export.Options{BOM: true})
			}))
			if len(csvRows) != len(tc.rows)+1 || strings.Join(csvRows[0], ",") != strings.Join(tc.header, ",") {
				t.Fatalf("CSV: %d rows, header %v", len(csvRows), csvRows[0])
			}
			for i, want := range tc.rows {
				for j, key := range tc.header {
					if w := asCSV(key, want[j]); csvRows[i+1][j] != w {
						t.Errorf("CSV row %d, %s: %q, want %q", i+2, key, csvRows[i+1][j], w)
					}
				}
			}
			var jsonl bytes.Buffer
			if err := export.SeriesJSONLines(&jsonl, seriesWaves(waves, responses), tc.layout, export.Options{}); err != nil {
				t.Fatal(err)
			}
			lines := strings.Split(strings.TrimSuffix(jsonl.String(), "\n"), "\n")
			if len(lines) != len(tc.rows) {
				t.Fatalf("JSON Lines: %d lines, want %d", len(lines), len(tc.rows))
			}
			for i, line := range lines {
				keys, values := jsonObject(t, line)
				if strings.Join(keys, ",") != strings.Join(tc.header, ",") {
					t.Fatalf("JSON line %d keys %v", i+1, keys)
				}
				for j, key := range tc.header {
					want := tc.rows[i][j]
					if key == "_submitted_at" {
						at, _ := time.Parse("2006-01-02 15:04:05", want.(string))
						want = at.Format(time.RFC3339)
					}
					if fmt.Sprintf("%#v", values[j]) != fmt.Sprintf("%#v", want) {
						t.Errorf("JSON line %d, %s: %#v, want %#v", i+1, key, values[j], want)
					}
				}
			}

			// The codebook: the workbook's sheet, and the CSV companion
			// with the same table.
			code := sheetOf(t, book, "Codebook")
			at := slices.IndexFunc(code, func(r []any) bool { return len(r) > 0 && r[0] == "Variable" })
			if at < 0 {
				t.Fatalf("no codebook table: %v", code)
			}
			byVar := map[string][]any{}
			for _, r := range code[at+1:] {
				if len(r) > 0 {
					byVar[fmt.Sprint(r[0])] = append(r, make([]any, 8)...)[:8]
				}
			}
			for v, want := range map[string][4]string{ // columns' first key, waves, codes per wave (start), recodes
				"services": {"services.loans", "2024, 2025, 2026", "2024: loans = Loans; wifi = Wi-Fi; events = Events; mobile = Mobile library\n2025: loans = Loans; internet = Internet access; events = Events\n2026: ", "2024: wifi → internet"},
				"status":   {"status", "2024, 2025, 2026", "2024: open = Open; closed = Closed; other = Other\n", "2024: closed → shut\n2025: closed → shut"},
				"oldq":     {"oldq", "2024", "2024: y = Yes; n = No", ""},
				"sunday":   {"sunday", "2026", "2026: yes = Yes; no = No", ""},
				"budget":   {"budget", "2024, 2025, 2026", "", ""},
				"grid":     {"grid.r1", "2024, 2025, 2026", "2024: rows r1; lo = Low; hi = High\n", ""},
			} {
				r, ok := byVar[v]
				if !ok {
					t.Errorf("codebook: no row for %s", v)
					continue
				}
				first := want[0]
				if tc.layout == export.Wide {
					first += "__2024"
					if v == "sunday" {
						first = "sunday__2026"
					}
				}
				cols, _ := r[1].(string)
				perWave, _ := r[6].(string)
				recodes, _ := r[7].(string)
				if !strings.HasPrefix(cols, first+",") && cols != first || r[4] != want[1] || !strings.HasPrefix(perWave, want[2]) || recodes != want[3] {
					t.Errorf("codebook %s: %#v, want columns from %s, waves %q, codes %q…, recodes %q", v, r, first, want[1], want[2], want[3])
				}
			}
			if r := byVar["services"]; !strings.Contains(fmt.Sprint(r[2]), "Services offered") || !strings.HasSuffix(fmt.Sprint(r[5]), "loans = Loans; internet = Internet access; events = Events; makerspace = Makerspace; mobile = Mobile library") {
				t.Errorf("codebook services: label and codes from 2026, with 2024's mobile: %#v", r)
			}
			if tc.layout == export.Wide {
				all := fmt.Sprint(code[:at])
				if !strings.Contains(all, "(5 rows)") || !strings.Contains(all, "Left out: 1 response without a library") || !strings.Contains(all, "(1 earlier response left out)") {
					t.Errorf("codebook notes: %s", all)
				}
			}
			companion := dumpCSV(write(string(tc.layout)+"-codebook.csv", func(b *bytes.Buffer) error {
				return export.SeriesCodebookCSV(b, seriesWaves(waves, nil), tc.layout, export.Options{})
			}))
			if len(companion) != len(code)-at {
				t.Fatalf("codebook CSV: %d rows, the sheet's table %d", len(companion), len(code)-at)
			}
			for i, r := range companion {
				for j, v := range r {
					// Go's CSV writer ends the lines inside a field as
					// the file's, CRLF.
					want := cmp.Or(cellAt(code[at+i], j), any(""))
					if v = strings.ReplaceAll(v, "\r\n", "\n"); v != fmt.Sprint(want) {
						t.Errorf("codebook CSV row %d col %d: %q, the sheet has %#v", i+1, j+1, v, want)
					}
				}
			}
		})
	}
}

// jsonObject reads a JSON object's keys in order, and their values.
func jsonObject(t *testing.T, line string) (keys []string, values []any) {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(line))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		t.Fatalf("not an object: %s", line)
	}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			t.Fatal(err)
		}
		var v any
		if err := dec.Decode(&v); err != nil {
			t.Fatal(err)
		}
		keys, values = append(keys, tok.(string)), append(values, v)
	}
	return keys, values
}

func anySlice(s []string) []any {
	out := make([]any, len(s))
	for i, v := range s {
		out[i] = v
	}
	return out
}

// TestSeriesWideNeedsSortedWaves: the wide layout reads each wave sorted
// by library, and says so rather than writing a library twice.
func TestSeriesWideNeedsSortedWaves(t *testing.T) {
	waves, answers := seriesData(t)
	responses := seriesResponses(t, waves, answers)
	slices.Reverse(responses[2])
	err := export.SeriesCSV(&bytes.Buffer{}, seriesWaves(waves, responses), export.Wide, export.Options{})
	if err == nil || !strings.Contains(err.Error(), "sorted by library") {
		t.Errorf("unsorted wave: %v", err)
	}
	if err := export.SeriesCSV(&bytes.Buffer{}, seriesWaves(waves, responses), "diagonal", export.Options{}); err == nil {
		t.Error("a layout neither long nor wide was written")
	}
}
