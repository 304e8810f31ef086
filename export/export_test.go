package export_test

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/metlib/canvass/analysis"
	"github.com/metlib/canvass/demo"
	"github.com/metlib/canvass/disclosure"
	"github.com/metlib/canvass/export"
	"github.com/metlib/canvass/survey"
	"github.com/metlib/canvass/survey/builtin"
)

const fixture = `
slug: export-fixture
default_language: en
languages: [en, fr]
title: {en: Export fixture, fr: Export}
sections:
  - id: s
    questions:
      - {id: status, type: single_choice, label: {en: Status}, options: [{value: a, label: {en: Alpha, fr: Alpha FR}}, {value: other, other: true, label: {en: Other}}]}
      - {id: methods, type: multi_choice, label: {en: Methods}, options: [{value: m1, label: {en: M1}}, {value: m2, label: {en: M2}}]}
      - {id: agree, type: likert, label: {en: Agree}, options: [{value: 1, label: {en: No}}, {value: 5, label: {en: Yes}}]}
      - {id: grid, type: matrix, label: {en: Grid}, options: [{value: lo, label: {en: Low}}, {value: hi, label: {en: High}}], rows: [{id: r1, label: {en: R1}}]}
      - {id: size, type: number, label: {en: Size}}
      - {id: opened, type: date, label: {en: Opened}}
      - {id: rank, type: ranking, label: {en: Rank}, options: [{value: p, label: {en: P}}, {value: q, label: {en: Q}}]}
      - {id: notes, type: long_text, max_length: 40000, label: {en: Notes}}
`

func fixtureData(t *testing.T) (*survey.Survey, []*survey.Response) {
	t.Helper()
	s, err := survey.ParseDefinition([]byte(fixture), "yaml")
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)
	mk := func(id string, raw map[string]any) *survey.Response {
		a, err := s.CheckAnswers(raw, "en")
		if err != nil {
			t.Fatalf("%v %+v", err, survey.ErrorFields(err))
		}
		return &survey.Response{ID: id, SubmissionID: "sub-" + id, SurveySlug: s.Slug, SurveyVersion: 1, Language: "fr", Country: "FR", Region: survey.Europe,
			Status: survey.ResponseSubmitted, Answers: a, CreatedAt: at, SubmittedAt: &at}
	}
	return s, []*survey.Response{
		mk("r1", map[string]any{"status": "other", "status_other": "=SUM(A1:A9)", "methods": []any{"m2"}, "agree": "5", "grid": map[string]any{"r1": "hi"},
			"size": 12.5, "opened": "1999-12-31", "rank": []any{"q", "p"}, "notes": "plain"}),
		mk("r2", map[string]any{"status": "a", "notes": strings.Repeat("x", export.MaxCellText+10)}),
	}
}

func readXLSX(t *testing.T, data []byte) *excelize.File {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

func cell(t *testing.T, f *excelize.File, sheet, axis string) string {
	t.Helper()
	v, err := f.GetCellValue(sheet, axis, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestRawXLSX(t *testing.T) {
	s, rs := fixtureData(t)
	var buf bytes.Buffer
	if err := export.RawXLSX(&buf, s, export.Slice(rs), export.Options{}); err != nil {
		t.Fatal(err)
	}
	f := readXLSX(t, buf.Bytes())
	if got := strings.Join(f.GetSheetList(), ","); got != "Responses,Codebook" {
		t.Fatalf("sheets %s", got)
	}
	rows, _ := f.GetRows("Responses")
	header := strings.Join(rows[0], ",")
	want := "_response_id,_submission_id,_submitted_at,_survey_version,_language,_country,_region,_library_id,status,status_other,methods.m1,methods.m2,agree,grid.r1,size,opened,rank.p,rank.q,notes"
	if header != want {
		t.Fatalf("header\n got %s\nwant %s", header, want)
	}
	col := map[string]string{}
	for i, k := range rows[0] {
		name, _ := excelize.ColumnNumberToName(i + 1)
		col[k] = name
	}
	checks := map[string]string{"status": "other", "status_other": "=SUM(A1:A9)", "methods.m1": "0", "methods.m2": "1", "agree": "5", "grid.r1": "hi",
		"size": "12.5", "rank.p": "2", "rank.q": "1", "_region": "europe", "_library_id": ""}
	for key, want := range checks {
		if got := cell(t, f, "Responses", col[key]+"2"); got != want {
			t.Errorf("%s = %q, want %q", key, got, want)
		}
	}
	// Types and formats: numbers are numbers, dates are dates, text is never a formula.
	for key, wantType := range map[string]excelize.CellType{"size": excelize.CellTypeNumber, "agree": excelize.CellTypeNumber, "methods.m2": excelize.CellTypeNumber} {
		if typ, _ := f.GetCellType("Responses", col[key]+"2"); typ != wantType && typ != excelize.CellTypeUnset {
			t.Errorf("%s type %v", key, typ)
		}
	}
	if formula, _ := f.GetCellFormula("Responses", col["status_other"]+"2"); formula != "" {
		t.Errorf("respondent text became a formula: %q", formula)
	}
	if v, _ := f.GetCellValue("Responses", col["opened"]+"2"); v != "1999-12-31" {
		t.Errorf("date shown as %q", v)
	}
	if v, _ := f.GetCellValue("Responses", col["_submitted_at"]+"2"); v != "2026-03-04 05:06:07" {
		t.Errorf("submitted at shown as %q", v)
	}
	if raw := cell(t, f, "Responses", col["opened"]+"2"); raw != "36525" {
		t.Errorf("date serial %q, want 36525", raw)
	}
	// Not asked or not answered: empty, not 0.
	if got := cell(t, f, "Responses", col["methods.m1"]+"3"); got != "" {
		t.Errorf("unanswered multi option = %q, want empty", got)
	}
	notes := cell(t, f, "Responses", col["notes"]+"3")
	if len([]rune(notes)) != export.MaxCellText || !strings.HasSuffix(notes, "[…truncated by Canvass]") {
		t.Errorf("long text: %d characters", len([]rune(notes)))
	}
	code, _ := f.GetRows("Codebook")
	all := ""
	for _, r := range code {
		all += strings.Join(r, "|") + "\n"
	}
	for _, want := range []string{"status|status|Status|single_choice|a = Alpha; other = Other", "methods.m1|methods|Methods: M1|0/1|", "rank.p|rank|Rank: P|rank|1 = ranked first",
		"Note: 1 answers were longer than Excel's 32767 characters"} {
		if !strings.Contains(all, want) {
			t.Errorf("codebook lacks %q", want)
		}
	}
	// Labels instead of codes, in another language.
	buf.Reset()
	_ = export.RawXLSX(&buf, s, export.Slice(rs), export.Options{Labels: true, Lang: "fr"})
	f = readXLSX(t, buf.Bytes())
	if got := cell(t, f, "Responses", col["status"]+"3"); got != "Alpha FR" {
		t.Errorf("label = %q", got)
	}
}

func TestRawXLSXContinuesOnAnotherSheet(t *testing.T) {
	s, _ := fixtureData(t)
	rs := demo.Responses(s, 25, 1, time.Now())
	var buf bytes.Buffer
	if err := export.RawXLSX(&buf, s, export.Slice(rs), export.Options{MaxRowsPerSheet: 10}); err != nil {
		t.Fatal(err)
	}
	f := readXLSX(t, buf.Bytes())
	if got := strings.Join(f.GetSheetList(), ","); got != "Responses,Responses (2),Responses (3),Codebook" {
		t.Fatalf("sheets %s", got)
	}
	total := 0
	for _, name := range f.GetSheetList()[:3] {
		rows, _ := f.GetRows(name)
		if rows[0][0] != "_response_id" {
			t.Errorf("%s has no header", name)
		}
		total += len(rows) - 1
	}
	if total != 25 {
		t.Errorf("%d data rows, want 25", total)
	}
}

func TestCSVAndJSONLines(t *testing.T) {
	s, rs := fixtureData(t)
	var buf bytes.Buffer
	if err := export.CSV(&buf, s, export.Slice(rs), export.Options{BOM: true}); err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(buf.Bytes(), []byte("\xEF\xBB\xBF")) || !bytes.Contains(buf.Bytes(), []byte("\r\n")) {
		t.Error("no BOM or no CRLF line ends")
	}
	records, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(buf.Bytes(), []byte("\xEF\xBB\xBF")))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(records) != 3 || records[1][2] != "2026-03-04T05:06:07Z" || records[1][9] != "'=SUM(A1:A9)" || records[1][15] != "1999-12-31" || records[1][14] != "12.5" {
		t.Errorf("CSV row %v", records[1])
	}
	if len([]rune(records[2][18])) != export.MaxCellText+10 {
		t.Error("CSV text cut: only spreadsheets have a cell limit")
	}

	buf.Reset()
	if err := export.JSONLines(&buf, s, export.Slice(rs), export.Options{}); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	var first map[string]any
	if err := json.Unmarshal([]byte(lines[0]), &first); err != nil || len(lines) != 2 {
		t.Fatalf("%d lines, %v", len(lines), err)
	}
	for key, want := range map[string]any{"status_other": "=SUM(A1:A9)", "size": 12.5, "methods.m2": 1.0, "agree": 5.0, "opened": "1999-12-31", "_library_id": nil} {
		if first[key] != want {
			t.Errorf("JSON %s = %#v, want %#v", key, first[key], want)
		}
	}
	if !strings.HasPrefix(lines[0], `{"_response_id":"r1","_submission_id":"sub-r1","_submitted_at":"2026-03-04T05:06:07Z"`) {
		t.Errorf("column order: %s", lines[0][:80])
	}
}

func TestFormulaInjectionNeverEvaluates(t *testing.T) {
	data, err := os.ReadFile("testdata/formula-injection.txt")
	if err != nil {
		t.Fatal(err)
	}
	cases := strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
	for _, c := range cases {
		got := export.NeutralizeCSV(c)
		dangerous := c != "plain text"
		if dangerous != strings.HasPrefix(got, "'") {
			t.Errorf("NeutralizeCSV(%q) = %q", c, got)
		}
	}
	s, _ := survey.ParseDefinition([]byte("slug: x\ndefault_language: en\ntitle: {en: X}\nsections:\n  - id: s\n    questions:\n      - {id: t, type: long_text, label: {en: T}}\n"), "yaml")
	var rs []*survey.Response
	for i, c := range cases {
		rs = append(rs, &survey.Response{ID: string(rune('a' + i)), Answers: survey.Answers{"t": c}, Status: survey.ResponseSubmitted, CreatedAt: time.Now()})
	}
	var buf bytes.Buffer
	if err := export.RawXLSX(&buf, s, export.Slice(rs), export.Options{}); err != nil {
		t.Fatal(err)
	}
	f := readXLSX(t, buf.Bytes())
	for i, c := range cases {
		axis := "I" + string(rune('2'+i))
		if i >= 8 {
			axis = "I1" + string(rune('0'+i-8))
		}
		if formula, _ := f.GetCellFormula("Responses", axis); formula != "" {
			t.Errorf("%q became formula %q", c, formula)
		}
		if got := cell(t, f, "Responses", axis); got != c && !(c[0] == '\r' || c[0] == '\t') {
			t.Errorf("cell %s = %q, want the text as written %q", axis, got, c)
		}
	}
	// No formula element anywhere in the workbook.
	zr, _ := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	for _, zf := range zr.File {
		if strings.HasPrefix(zf.Name, "xl/worksheets/") {
			rc, _ := zf.Open()
			var b bytes.Buffer
			_, _ = b.ReadFrom(rc)
			rc.Close()
			if bytes.Contains(b.Bytes(), []byte("<f>")) || bytes.Contains(b.Bytes(), []byte("<f ")) {
				t.Errorf("%s has a formula", zf.Name)
			}
		}
	}
}

func TestWhitePaper(t *testing.T) {
	surveys, _ := builtin.Surveys()
	impact := surveys[1]
	rs := demo.Responses(impact, 300, 4, time.Now())
	rep, err := analysis.Report(impact, survey.ResponsesOf(rs), analysis.Options{Lang: "fr"})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	generated := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
	rules := disclosure.RulesOf(impact)
	full := rep
	rep = disclosure.Publish(rep, nil, rules).Report
	if err := export.WhitePaper(&buf, rep, export.WhitePaperOptions{Options: export.Options{Generated: generated}, Disclosed: &rules, FilterText: "region: Europe"}); err != nil {
		t.Fatal(err)
	}
	f := readXLSX(t, buf.Bytes())
	sheets := f.GetSheetList()
	if len(sheets) != 13 || sheets[0] != "Sommaire" || sheets[1] != "Tableau 1" || sheets[12] != "Tableau 12" {
		t.Fatalf("sheets %v", sheets)
	}
	if got := cell(t, f, "Sommaire", "B4"); got != "region: Europe" {
		t.Errorf("filters %q", got)
	}
	if got := cell(t, f, "Sommaire", "B5"); got != "300" {
		t.Errorf("responses %q", got)
	}
	ok, target, _ := f.GetCellHyperLink("Sommaire", "A9")
	if !ok || target != "'Tableau 1'!A1" || cell(t, f, "Sommaire", "A9") != "Tableau 1. Méthodes de mesure d'impact utilisées" {
		t.Errorf("first link %v %q %q", ok, target, cell(t, f, "Sommaire", "A9"))
	}
	// Table 1: ranked methods, counts, formatted percentages and intervals.
	if got := cell(t, f, "Sommaire", "A1"); got == "" {
		t.Errorf("no title")
	}
	if got := cell(t, f, "Tableau 1", "A1"); got != "Tableau 1. Méthodes de mesure d'impact utilisées" {
		t.Errorf("title %q", got)
	}
	rows, _ := f.GetRows("Tableau 1")
	if strings.Join(rows[3], "|") != "Réponse|Répondants (n)|%|IC à 95\u202f%, borne basse|IC à 95\u202f%, borne haute|% des mentions" {
		t.Errorf("header %v", rows[3])
	}
	first := rep.Tables[0].Question.Options[0]
	if rows[4][0] != first.Label || rows[4][1] != itoa(first.Count) {
		t.Errorf("first row %v, want %s %d", rows[4], first.Label, first.Count)
	}
	if shown, _ := f.GetCellValue("Tableau 1", "C5"); !strings.HasSuffix(shown, "%") || !strings.Contains(shown, ".") {
		t.Errorf("percentage shown as %q", shown)
	}
	if raw := cell(t, f, "Tableau 1", "C5"); raw == "" || raw[0] != '0' {
		t.Errorf("percentage stored as %q, want a fraction", raw)
	}
	all := strings.Join(flatten(rows), "\n")
	for _, want := range []string{"Base\u00a0: question posée à ", "Note\u00a0: Plusieurs réponses possibles\u00a0: la somme des pourcentages dépasse 100.", "Source\u00a0: Enquête sur les méthodes de mesure d'impact, 300 réponses. Canvass, 27 novembre 2026."} {
		if !strings.Contains(all, want) {
			t.Errorf("Table 1 lacks %q", want)
		}
	}
	// Tests on cross-tabs; small cells hidden, with the note saying so.
	byStatus, _ := f.GetRows("Tableau 10")
	flat := strings.Join(flatten(byStatus), "\n")
	// A test beside hidden cells could give them back: the disclosed sheet
	// has none, and says why; the full-counts sheet has it.
	if !strings.Contains(flat, "|x|") || strings.Contains(flat, "khi deux de Pearson") || !strings.Contains(flat, "Aucun test d'indépendance") {
		t.Errorf("Table 10 has hidden cells and a test, or no note:\n%s", flat)
	}
	var fullBuf bytes.Buffer
	if err := export.WhitePaper(&fullBuf, full, export.WhitePaperOptions{Options: export.Options{Generated: generated}}); err != nil {
		t.Fatal(err)
	}
	fullRows, _ := readXLSX(t, fullBuf.Bytes()).GetRows("Tableau 10")
	if flat := strings.Join(flatten(fullRows), "\n"); !strings.Contains(flat, "Test d'indépendance du khi deux de Pearson") || !strings.Contains(flat, "V de Cramér") || strings.Contains(flat, "|x|") {
		t.Errorf("Table 10 with full counts has no test, or hides cells:\n%s", flat)
	}
	byRegion, _ := f.GetRows("Tableau 2")
	if flat := strings.Join(flatten(byRegion), "\n"); !strings.Contains(flat, "|x|") || !strings.Contains(flat, "pour protéger les répondants") {
		t.Errorf("Table 2: small cells not suppressed")
	}
	// Frozen header, landscape one page wide, native charts for the headline tables.
	panes, _ := f.GetPanes("Tableau 1")
	if !panes.Freeze || panes.YSplit != 4 {
		t.Errorf("panes %+v", panes)
	}
	layout, _ := f.GetPageLayout("Tableau 1")
	if *layout.Orientation != "landscape" || *layout.FitToWidth != 1 {
		t.Errorf("page layout %v %v", *layout.Orientation, *layout.FitToWidth)
	}
	zr, _ := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	charts := 0
	for _, zf := range zr.File {
		if strings.HasPrefix(zf.Name, "xl/charts/chart") {
			charts++
		}
	}
	headlines := 0
	for _, tab := range impact.Report.Tables {
		if tab.Headline {
			headlines++
		}
	}
	if charts != headlines {
		t.Errorf("%d charts for %d headline tables", charts, headlines)
	}
}

func TestSheetNames(t *testing.T) {
	_, rs := fixtureData(t)
	_ = rs
	// Names are exercised through WhitePaper; here the rules themselves.
	used := map[string]bool{}
	for _, tc := range []struct{ in, want string }{
		{"Table 1", "Table 1"},
		{"a/b:c?d*e[f]g\\h", "a-b-c-d-e-f-g-h"},
		{"'quoted'", "quoted"},
		{strings.Repeat("x", 40), strings.Repeat("x", 31)},
		{strings.Repeat("x", 40), strings.Repeat("x", 27) + " (2)"},
		{"TABLE 1", "TABLE 1 (2)"},
	} {
		if got := export.SheetName(tc.in, used); got != tc.want {
			t.Errorf("SheetName(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func flatten(rows [][]string) []string {
	out := make([]string, len(rows))
	for i, r := range rows {
		out[i] = strings.Join(r, "|")
	}
	return out
}

func itoa(n int) string { return strconv.Itoa(n) }
