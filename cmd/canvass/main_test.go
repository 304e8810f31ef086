package main

import (
	"bytes"
	"context"
	"encoding/json"
	"html"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/metlib/canvass/demo"
	"github.com/metlib/canvass/survey"
	"github.com/metlib/canvass/survey/builtin"
)

func testConfig(dir string) *Config {
	return &Config{Addr: "127.0.0.1:0", DataDir: dir, DB: "canvass", LogFormat: "text", LogLevel: "warn", ShutdownGrace: 5 * time.Second, StartupTimeout: 10 * time.Second}
}

func startMain(t *testing.T, cfg *Config) *Main {
	t.Helper()
	m := &Main{Config: cfg, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
	if err := m.Run(context.Background()); err != nil {
		m.Close()
		t.Fatal(err)
	}
	return m
}

var (
	csrfRe       = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)
	submissionRe = regexp.MustCompile(`name="submission_id" value="([^"]+)"`)
)

// TestServeEndToEnd runs the real program on :0 with a temporary data
// directory: a respondent answers in the browser's way and a client through
// the API, a CLI command works beside the running server, and everything is
// still there after a restart.
func TestServeEndToEnd(t *testing.T) {
	dir := t.TempDir()
	m := startMain(t, testConfig(dir))
	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar, Timeout: 30 * time.Second}

	res, err := client.Get(m.URL + "/s/impact-methods?lang=es")
	if err != nil {
		t.Fatal(err)
	}
	page := readBody(t, res)
	if res.StatusCode != 200 || !strings.Contains(page, "Encuesta sobre métodos de medición del impacto") {
		t.Fatalf("form: %d", res.StatusCode)
	}
	csrf, submissionID := html.UnescapeString(csrfRe.FindStringSubmatch(page)[1]), submissionRe.FindStringSubmatch(page)[1]

	// Invalid: the form comes back with Spanish messages and the typed answers.
	form := url.Values{"csrf_token": {csrf}, "submission_id": {submissionID}, "lang": {"es"},
		"library_name": {"Biblioteca de Santiago"}, "contact_email": {"no-es-un-correo"}}
	res, err = client.PostForm(m.URL+"/s/impact-methods?lang=es", form)
	if err != nil {
		t.Fatal(err)
	}
	page = readBody(t, res)
	if res.StatusCode != 422 || !strings.Contains(page, "Introduzca una dirección de correo electrónico") || !strings.Contains(page, `value="Biblioteca de Santiago"`) {
		t.Fatalf("invalid post: %d", res.StatusCode)
	}
	// Valid, then replayed: one response, and the thank-you page both times.
	form.Set("contact_email", "biblioteca@example.cl")
	form.Set("country", "CL")
	form.Set("measurement_status", "not_measuring")
	form.Set("share_data", "anonymised")
	for i := 0; i < 2; i++ {
		res, err = client.PostForm(m.URL+"/s/impact-methods?lang=es", form)
		if err != nil {
			t.Fatal(err)
		}
		if page := readBody(t, res); res.StatusCode != 200 || !strings.Contains(page, "Gracias") {
			t.Fatalf("valid post %d: %d", i, res.StatusCode)
		}
	}
	// Through the API, also replayed.
	body := `{"submission_id": "e2e-api-0001", "language": "en", "answers": {"library_name": "Toronto Public Library",
	  "contact_email": "x@example.ca", "country": "CA", "measurement_status": "systematic",
	  "methods_used": ["output_statistics", "sroi"], "results_change_decisions": 4, "share_data": "named"}}`
	for _, want := range []int{201, 200} {
		res, err := http.Post(m.URL+"/api/v1/surveys/impact-methods/responses", "application/json", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		if got := readBody(t, res); res.StatusCode != want {
			t.Fatalf("API post: %d %s, want %d", res.StatusCode, got, want)
		}
	}

	// A CLI command while serve runs uses serve's database, through its socket.
	var out, errOut bytes.Buffer
	if err := run(context.Background(), []string{"token", "create", "--name", "e2e", "--role", "analyst", "--data-dir", dir}, nil, &out, &errOut, noEnv); err != nil {
		t.Fatalf("token create beside serve: %v (%s)", err, errOut.String())
	}
	token := strings.TrimSpace(out.String())

	// A second serve on the same data directory refuses, clearly.
	second := &Main{Config: testConfig(dir), Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
	err = second.Run(context.Background())
	second.Close()
	if err == nil || !strings.Contains(err.Error(), "is used by another canvass process") || !strings.Contains(err.Error(), "CANVASS_DATA_DIR") {
		t.Errorf("second serve: %v", err)
	}

	before := listSubmissionIDs(t, m.URL, token)
	if len(before) != 2 || before[0] != submissionID || before[1] != "e2e-api-0001" {
		t.Fatalf("stored submissions %v", before)
	}
	if err := m.Close(); err != nil {
		t.Fatal(err)
	}

	// Restart on the same directory: every response is still there, once.
	m = startMain(t, testConfig(dir))
	defer m.Close()
	if after := listSubmissionIDs(t, m.URL, token); strings.Join(after, ",") != strings.Join(before, ",") {
		t.Errorf("after restart %v, want %v", after, before)
	}
	out.Reset()
	if err := run(context.Background(), []string{"survey", "list", "--data-dir", dir}, nil, &out, io.Discard, noEnv); err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`impact-methods\s+1\s+open\s+2\s`).MatchString(out.String()) || len(regexp.MustCompile(`(?m)^landscape `).FindAllString(out.String(), -1)) != 1 {
		t.Errorf("survey list:\n%s", out.String())
	}
	if info, err := os.Stat(filepath.Join(dir, "db")); err != nil || !info.IsDir() {
		t.Errorf("no database files under the data dir: %v", err)
	}
}

func listSubmissionIDs(t *testing.T, base, token string) []string {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, base+"/api/v1/surveys/impact-methods/responses", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var list struct {
		Responses []struct {
			SubmissionID string `json:"submission_id"`
		} `json:"responses"`
	}
	if err := json.Unmarshal([]byte(readBody(t, res)), &list); err != nil || res.StatusCode != 200 {
		t.Fatalf("list: %d %v", res.StatusCode, err)
	}
	var ids []string
	for _, r := range list.Responses {
		ids = append(ids, r.SubmissionID)
	}
	return ids
}

func readBody(t *testing.T, res *http.Response) string {
	t.Helper()
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func noEnv(string) string { return "" }

func TestSurveyValidateCommand(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.yaml")
	_ = os.WriteFile(bad, []byte("slug: x\ndefault_language: en\ntitle: {en: X}\nsections:\n  - id: s\n    questions:\n      - {id: q, type: slider, label: {en: Q}}\n"), 0o600)
	var out, errOut bytes.Buffer
	err := run(context.Background(), []string{"survey", "validate", bad}, nil, &out, &errOut, noEnv)
	if err == nil || !strings.Contains(errOut.String(), `sections[0].questions[0].type: unknown question type "slider"`) {
		t.Errorf("validate bad: %v\n%s", err, errOut.String())
	}
	out.Reset()
	if err := run(context.Background(), []string{"survey", "validate", "../../survey/builtin/impact-methods.yaml"}, nil, &out, &errOut, noEnv); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), `valid survey "impact-methods"`) {
		t.Errorf("validate good: %s", out.String())
	}
	if err := run(context.Background(), []string{"frobnicate"}, nil, io.Discard, io.Discard, noEnv); exitCode(err) != 2 {
		t.Errorf("unknown command exit code %d", exitCode(err))
	}
}

func TestUserCommands(t *testing.T) {
	dir := t.TempDir()
	runCmd := func(stdin string, args ...string) (string, string, error) {
		var out, errOut bytes.Buffer
		err := run(context.Background(), append(args, "--data-dir", dir), strings.NewReader(stdin), &out, &errOut, noEnv)
		return out.String(), errOut.String(), err
	}
	if _, _, err := runCmd("short\n", "user", "create", "--email", "ana@example.org", "--role", "admin", "--password-stdin"); err == nil || !strings.Contains(err.Error(), "at least 12 characters") {
		t.Errorf("short password: %v", err)
	}
	if _, _, err := runCmd("", "user", "create", "--email", "ana@example.org", "--role", "admin"); exitCode(err) != 2 || !strings.Contains(err.Error(), "--password-stdin or --link") {
		t.Errorf("no terminal, no password: %v", err)
	}
	if _, _, err := runCmd("a good long password\n", "user", "create", "--email", "Ana@Example.org", "--name", "Ana", "--role", "admin", "--password-stdin"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := runCmd("a good long password\n", "user", "create", "--email", "ana@example.org", "--role", "analyst", "--password-stdin"); err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Errorf("duplicate: %v", err)
	}
	link, _, err := runCmd("", "user", "reset-password", "--email", "ana@example.org", "--link", "--base-url", "https://survey.example.org/")
	if err != nil || !regexp.MustCompile(`^https://survey\.example\.org/admin/setup\?token=[A-Za-z0-9_-]{43}\n$`).MatchString(link) {
		t.Errorf("reset link %q %v", link, err)
	}
	list, _, err := runCmd("", "user", "list")
	if err != nil || !regexp.MustCompile(`ana@example.org\s+Ana\s+admin\s+false`).MatchString(list) {
		t.Errorf("list:\n%s %v", list, err)
	}
	// The password works for signing in to the real server.
	m := startMain(t, testConfig(dir))
	defer m.Close()
	if m.SetupLink != "" {
		t.Error("a setup link was issued although a user exists")
	}
	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar}
	page := readBody(t, mustGet(t, client, m.URL+"/admin/login"))
	csrf := html.UnescapeString(csrfRe.FindStringSubmatch(page)[1])
	res, err := client.PostForm(m.URL+"/admin/login", url.Values{"csrf_token": {csrf}, "email": {"ana@example.org"}, "password": {"a good long password"}})
	if err != nil {
		t.Fatal(err)
	}
	if body := readBody(t, res); res.StatusCode != 200 || !strings.Contains(body, "ana@example.org") || res.Request.URL.Path != "/admin" {
		t.Errorf("sign in with the CLI password: %d at %s", res.StatusCode, res.Request.URL.Path)
	}
}

func mustGet(t *testing.T, c *http.Client, u string) *http.Response {
	t.Helper()
	res, err := c.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func TestDemoAndAnalyzeCommands(t *testing.T) {
	dir := t.TempDir()
	var out, errOut bytes.Buffer
	cmd := func(args ...string) string {
		t.Helper()
		out.Reset()
		if err := run(context.Background(), append(args, "--data-dir", dir), nil, &out, &errOut, noEnv); err != nil {
			t.Fatalf("%v: %v (%s)", args, err, errOut.String())
		}
		return out.String()
	}
	// The data directory needs the built-in surveys: start and stop the server once.
	m := startMain(t, testConfig(dir))
	if err := m.Close(); err != nil {
		t.Fatal(err)
	}
	if got := cmd("demo", "--survey", "impact-methods", "--responses", "60", "--seed", "9"); !strings.Contains(got, "Created 60 demo responses") {
		t.Errorf("demo: %s", got)
	}
	if got := cmd("demo", "--survey", "impact-methods", "--responses", "60", "--seed", "9"); !strings.Contains(got, "Created 0 demo responses to impact-methods (60 already there") {
		t.Errorf("demo again: %s", got)
	}
	table := cmd("analyze", "--survey", "impact-methods", "--report", "--by", "region")
	for _, want := range []string{"Impact measurement methods survey: 60 submitted responses", "Table 1. Impact-measurement methods used", "Spearman's rho", "chi-square"} {
		if !strings.Contains(table, want) {
			t.Errorf("analyze table lacks %q", want)
		}
	}
	// --by groups every report table without a grouping of its own (but the by-question's), as the dashboard does.
	var rep struct {
		Tables []struct {
			Spec     struct{ ID, Question, By string }
			Grouping *struct{ By string }
		}
	}
	if err := json.Unmarshal([]byte(cmd("analyze", "--survey", "impact-methods", "--report", "--by", "measurement_status", "--format", "json")), &rep); err != nil || len(rep.Tables) == 0 {
		t.Fatalf("analyze --report json: %v", err)
	}
	surveys, _ := builtin.Surveys()
	own := map[string]string{}
	for _, sv := range surveys {
		if sv.Slug == "impact-methods" {
			for _, spec := range sv.Report.Tables {
				own[spec.ID] = spec.By
				switch {
				case spec.By != "":
				case spec.Correlate == "maturity" && spec.Summary == survey.SummaryCount:
					own[spec.ID] = "maturity" // the number of methods per maturity level
				case spec.Question != "measurement_status" && sv.Question(spec.Question).Type != survey.Matrix:
					own[spec.ID] = "measurement_status"
				}
			}
		}
	}
	if len(own) != len(rep.Tables) {
		t.Fatalf("%d tables, want %d", len(rep.Tables), len(own))
	}
	for _, tab := range rep.Tables {
		got := ""
		if tab.Grouping != nil {
			got = tab.Grouping.By
		}
		if got != own[tab.Spec.ID] {
			t.Errorf("table %s grouped by %q, want %q", tab.Spec.ID, got, own[tab.Spec.ID])
		}
	}
	checkCountTables(t, cmd("analyze", "--survey", "impact-methods", "--report"), 60, 9)
	// No response matches: every statistic is undefined and says so, never "NaN".
	for _, args := range [][]string{
		{"analyze", "--survey", "impact-methods", "--from", "2999-01-01"},
		{"analyze", "--survey", "impact-methods", "--report", "--by", "region", "--from", "2999-01-01"},
	} {
		empty := cmd(args...)
		if strings.Contains(empty, "NaN") || !strings.Contains(empty, "–") || !strings.Contains(empty, ": 0 submitted responses") {
			t.Errorf("%v on no responses writes undefined values wrongly:\n%s", args, empty)
		}
	}
	var res struct {
		Responses int
		Questions []struct{ ID string }
	}
	if err := json.Unmarshal([]byte(cmd("analyze", "--survey", "impact-methods", "--format", "json")), &res); err != nil || res.Responses != 60 || len(res.Questions) != 27 {
		t.Errorf("analyze json: %d responses, %d questions, %v", res.Responses, len(res.Questions), err)
	}
}

func TestExportCommand(t *testing.T) {
	dir := t.TempDir()
	m := startMain(t, testConfig(dir))
	_ = m.Close()
	var out, errOut bytes.Buffer
	cmd := func(args ...string) error {
		out.Reset()
		errOut.Reset()
		return run(context.Background(), append(args, "--data-dir", dir), nil, &out, &errOut, noEnv)
	}
	if err := cmd("demo", "--survey", "landscape", "--responses", "40"); err != nil {
		t.Fatal(err)
	}
	// The default white paper is for publication and leaves demo's
	// responses out, as every public output does; the raw exports and the
	// full-counts white paper count them.
	for _, tc := range []struct {
		kind, format, file, flag, wrote string
	}{
		{"raw", "xlsx", "raw.xlsx", "", "(40 responses)"}, {"raw", "csv", "raw.csv", "", "(40 responses)"}, {"raw", "jsonl", "raw.jsonl", "", "(40 responses)"},
		{"whitepaper", "xlsx", "paper.xlsx", "", "(0 responses)"}, {"whitepaper", "xlsx", "full.xlsx", "--full-counts", "(40 responses)"},
	} {
		path := filepath.Join(dir, tc.file)
		args := []string{"export", "--survey", "landscape", "--kind", tc.kind, "--format", tc.format, "-o", path}
		if tc.flag != "" {
			args = append(args, tc.flag)
		}
		if err := cmd(args...); err != nil {
			t.Fatalf("%s %s: %v %s", tc.kind, tc.format, err, errOut.String())
		}
		info, err := os.Stat(path)
		if err != nil || info.Size() < 500 || !strings.Contains(out.String(), tc.wrote) {
			t.Errorf("%s: %v %v %q", tc.file, info, err, out.String())
		}
		if errOut.Len() != 0 {
			t.Errorf("progress bar written when not on a terminal: %q", errOut.String())
		}
	}
	if err := cmd("export", "--survey", "landscape", "--kind", "whitepaper", "--format", "csv", "-o", filepath.Join(dir, "x")); exitCode(err) != 2 {
		t.Errorf("whitepaper as csv: %v", err)
	}
	if err := cmd("export", "--survey", "nope", "-o", filepath.Join(dir, "y")); err == nil || !strings.Contains(err.Error(), `There is no survey "nope"`) {
		t.Errorf("unknown survey: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "y")); !os.IsNotExist(err) {
		t.Error("a failed export left a file behind")
	}
}

func TestLibrariesCommands(t *testing.T) {
	dir := t.TempDir()
	var out, errOut bytes.Buffer
	cmd := func(args ...string) error {
		out.Reset()
		errOut.Reset()
		return run(context.Background(), append(append([]string{}, args[:2]...), append([]string{"--data-dir", dir}, args[2:]...)...), nil, &out, &errOut, noEnv)
	}
	file := "../../directory/testdata/libraries-mixed.csv"
	if err := cmd("libraries", "import", file); err != nil {
		t.Fatal(err, errOut.String())
	}
	if !strings.Contains(out.String(), "7 to create, 0 to merge, 2 duplicates skipped, 3 rejected.") || !strings.Contains(out.String(), "Nothing was written") ||
		!regexp.MustCompile(`10\s+reject\s+City Library of Atlantis\s+unknown country "Atlantis": give its ISO 3166-1 code`).MatchString(out.String()) {
		t.Errorf("dry run:\n%s", out.String())
	}
	if err := cmd("libraries", "import", "--confirm", file); err != nil || !strings.Contains(out.String(), "Imported: 7 created, 0 merged.") {
		t.Fatalf("import: %v\n%s", err, out.String())
	}
	path := filepath.Join(dir, "libraries.csv")
	if err := cmd("libraries", "export", "-o", path); err != nil || !strings.Contains(out.String(), "(7 libraries)") {
		t.Errorf("export: %v %s", err, out.String())
	}
	if err := cmd("libraries", "import", "--merge", path); err != nil || !strings.Contains(out.String(), "0 to create, 7 to merge") {
		t.Errorf("re-import of the export: %v\n%s", err, out.String())
	}
}

// checkCountTables: the text bodies of tables 4, 5 and 6 (summary count;
// by population bands; with maturity) differ, and hold what their specs
// ask, recomputed from the demo responses (the seed makes the same
// answers): table 4 the distribution of the number of methods chosen,
// table 5 per band its n, table 6 per maturity level its n.
func checkCountTables(t *testing.T, text string, n int, seed uint64) {
	t.Helper()
	body := map[int]string{}
	for _, part := range strings.Split(text, "\nTable ")[1:] {
		num, rest, _ := strings.Cut(part, ". ")
		i, err := strconv.Atoi(num)
		if err != nil {
			t.Fatalf("table heading %q", num)
		}
		_, rest, _ = strings.Cut(rest, "\n") // the title
		body[i] = rest
	}
	for _, pair := range [][2]int{{4, 5}, {4, 6}, {5, 6}} {
		if body[pair[0]] == body[pair[1]] {
			t.Errorf("tables %d and %d have the same body:\n%s", pair[0], pair[1], body[pair[0]])
		}
	}
	surveys, _ := builtin.Surveys()
	var s *survey.Survey
	for _, sv := range surveys {
		if sv.Slug == "impact-methods" {
			s = sv
		}
	}
	q := s.Question("methods_used")
	pos := -1
	for i, x := range s.Questions() {
		if x.ID == q.ID {
			pos = i
		}
	}
	chosen := map[int]int{}
	bands := map[int]int{} // band → respondents answering
	levels := map[string]int{}
	answered := 0
	limits := []float64{400000, 1000000, 5000000}
	for _, r := range demo.Responses(s, n, seed, time.Now()) {
		list, ok := r.Answers[q.ID].([]string)
		if !ok || !s.Asked(r.Answers)[pos] {
			continue
		}
		answered++
		c := 0
		for _, v := range list {
			if o := q.Option(v); o != nil && !o.Exclusive && !o.Missing {
				c++
			}
		}
		chosen[c]++
		if pop, ok := r.Answers.Number("population_served"); ok {
			b := 0
			for b < len(limits) && pop >= limits[b] {
				b++
			}
			bands[b]++
		}
		if m, ok := r.Answers["maturity"].(string); ok {
			levels[m]++
		}
	}
	lines := func(b string) [][]string {
		var out [][]string
		for _, l := range strings.Split(b, "\n") {
			out = append(out, strings.Fields(l))
		}
		return out
	}
	has := func(table int, want ...string) bool {
		for _, f := range lines(body[table]) {
			if len(f) >= len(want) && reflect.DeepEqual(f[len(f)-len(want):], want) {
				return true
			}
		}
		return false
	}
	hasPrefix := func(table int, want ...string) bool {
		for _, f := range lines(body[table]) {
			if len(f) >= len(want) && reflect.DeepEqual(f[:len(want)], want) {
				return true
			}
		}
		return false
	}
	maxChosen := 0
	for c := range chosen {
		maxChosen = max(maxChosen, c)
	}
	for c := 0; c <= maxChosen; c++ {
		want := []string{strconv.Itoa(c), strconv.Itoa(chosen[c]), strconv.FormatFloat(100*float64(chosen[c])/float64(answered), 'f', 1, 64) + "%"}
		if !has(4, want...) {
			t.Errorf("table 4 lacks the row %v:\n%s", want, body[4])
		}
	}
	for b, label := range []string{"under 400,000", "400,000 to under 1,000,000", "1,000,000 to under 5,000,000", "5,000,000 and over"} {
		if bands[b] == 0 {
			continue
		}
		want := append(strings.Fields(label), strconv.Itoa(bands[b]))
		if !hasPrefix(5, want...) {
			t.Errorf("table 5 lacks band %q with n %d:\n%s", label, bands[b], body[5])
		}
	}
	if strings.Contains(body[5], "number chosen  respondents") || strings.Contains(body[6], "number chosen  respondents") {
		t.Errorf("tables 5 and 6 repeat the distribution:\n%s\n%s", body[5], body[6])
	}
	checked := 0
	for _, o := range s.Question("maturity").Options {
		if levels[string(o.Value)] == 0 {
			continue
		}
		want := append(strings.Fields(o.Label.In("en", "en")), strconv.Itoa(levels[string(o.Value)]))
		if !hasPrefix(6, want...) {
			t.Errorf("table 6 lacks maturity level %q with n %d:\n%s", o.Label.In("en", "en"), levels[string(o.Value)], body[6])
		}
		checked++
	}
	if checked < 2 || !strings.Contains(body[6], "Spearman's rho") {
		t.Errorf("table 6: %d levels checked, or no Spearman line:\n%s", checked, body[6])
	}
}

// TestSurveyImportRoundCommand: canvass survey import-round shows the
// plan and every problem without writing, and with --confirm makes the
// closed wave that survey list shows.
func TestSurveyImportRoundCommand(t *testing.T) {
	dir := t.TempDir()
	var out, errOut bytes.Buffer
	cmd := func(args ...string) error {
		out.Reset()
		errOut.Reset()
		return run(context.Background(), append(append([]string{}, args[:2]...), append([]string{"--data-dir", dir}, args[2:]...)...), nil, &out, &errOut, noEnv)
	}
	// The data directory needs the built-in surveys: start and stop the server once.
	m := startMain(t, testConfig(dir))
	if err := m.Close(); err != nil {
		t.Fatal(err)
	}
	if err := cmd("libraries", "import", "--confirm", "../../directory/testdata/libraries-mixed.csv"); err != nil {
		t.Fatal(err, errOut.String())
	}
	good := "Name of the library or library system,Ville,Country,PAID STAFF in full-time equivalents,budget_band,Comments\n" +
		"Bibliothèque municipale de Lyon,Lyon,FR,120,5–20 million,from the 2019 binder\n" +
		"Toronto Public Library,Toronto,CA,310.5,Plus de 250 millions,\n"
	bad := good + "Toronto Public Library,Toronto,CA,abc,,\nCity Library of Atlantis,Poseidonia,FR,,,\n"
	badFile, goodFile := filepath.Join(dir, "round-bad.csv"), filepath.Join(dir, "round.csv")
	if err := os.WriteFile(badFile, []byte(bad), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(goodFile, []byte(good), 0o600); err != nil {
		t.Fatal(err)
	}
	// The built-in landscape has no wave label: every labelled wave would
	// come after it. Labelled 2025 where it stands, a 2019 round comes first.
	if err := cmd("survey", "label", "--slug", "landscape", "--wave", "2025"); err != nil || !strings.Contains(out.String(), "landscape: wave 2025 of the landscape series") {
		t.Fatal(err, out.String(), errOut.String())
	}
	if err := cmd("survey", "import-round", "--slug", "landscape", "--wave", "2019", badFile); err != nil {
		t.Fatal(err, errOut.String())
	}
	text := out.String()
	for _, want := range []string{
		"Wave 2019 of the landscape series: landscape-2019, a new closed wave, before landscape.",
		"4 rows, 2 matched to a library of the directory, 3 problems.",
		"Columns not imported: Comments",
		"Nothing was written: correct the problems",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("dry run without %q:\n%s", want, text)
		}
	}
	for _, re := range []string{`4\s+PAID STAFF in full-time equivalents\s+abc\s+`, `5\s+Name of the library or library system, Ville, Country\s+City Library of Atlantis \| Poseidonia \| FR\s+no library`,
		`1\s+Name of the library or library system\s+library_name\s+name`} {
		if !regexp.MustCompile(re).MatchString(text) {
			t.Errorf("dry run without %s:\n%s", re, text)
		}
	}
	err := cmd("survey", "import-round", "--slug", "landscape", "--wave", "2019", "--confirm", badFile)
	if err == nil || !strings.Contains(err.Error(), "Nothing was imported: the file has 3 problems") || !strings.Contains(err.Error(), "row 4, column PAID STAFF") {
		t.Errorf("confirming the file with problems: %v", err)
	}
	if err := cmd("survey", "import-round", "--slug", "landscape", "--wave", "2019", "--confirm", goodFile); err != nil || !strings.Contains(out.String(), "Imported: 2 responses written.") {
		t.Fatalf("confirm: %v\n%s%s", err, out.String(), errOut.String())
	}
	if err := cmd("survey", "import-round", "--slug", "landscape", "--wave", "2019", "--confirm", goodFile); err != nil || !strings.Contains(out.String(), "Imported: 0 responses written, 2 already there") {
		t.Errorf("confirm again: %v\n%s", err, out.String())
	}
	if err := cmd("survey", "list"); err != nil || !regexp.MustCompile(`landscape-2019\s+1\s+closed\s+2\s+landscape\s+2019`).MatchString(out.String()) {
		t.Errorf("survey list: %v\n%s", err, out.String())
	}
	if err := cmd("survey", "import-round", "--slug", "landscape", goodFile); err == nil || exitCode(err) != 2 {
		t.Errorf("without --wave: %v", err)
	}
}
