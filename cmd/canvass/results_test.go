package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"testing"
)

// dumpWorkbook prints every cell of every sheet, read by openpyxl, as JSON
// (sheet name → rows), with times of day masked: two downloads made
// seconds apart must otherwise be the same.
const dumpWorkbook = `
import sys, json, re, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
out = {}
for ws in wb.worksheets:
    out[ws.title] = [[re.sub(r"\d\d:\d\d( UTC)?", "hh:mm", str(v)) if v is not None else None for v in row] for row in ws.iter_rows(values_only=True)]
print(json.dumps(out))
`

// TestResultsSameEverywhere: for by=region the report API, the command
// line's analyze --report and the white paper downloaded from the API and
// written by canvass export hold the same tables; and by changes them (it
// used to be ignored by the download and the command line).
func TestResultsSameEverywhere(t *testing.T) {
	python := ""
	for _, p := range []string{"/usr/bin/python3", "python3"} {
		if exec.Command(p, "-c", "import openpyxl").Run() == nil {
			python = p
			break
		}
	}
	if python == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("python3-openpyxl is not installed; .ci/run installs it")
		}
		t.Skip("python3-openpyxl is not installed")
	}
	dir := t.TempDir()
	m := startMain(t, testConfig(dir))
	t.Cleanup(func() { _ = m.Close() })
	var out, errOut bytes.Buffer
	cmd := func(args ...string) []byte {
		t.Helper()
		out.Reset()
		errOut.Reset()
		if err := run(context.Background(), append(args, "--data-dir", dir), nil, &out, &errOut, noEnv); err != nil {
			t.Fatalf("%v: %v (%s)", args, err, errOut.String())
		}
		return bytes.Clone(out.Bytes())
	}
	cmd("demo", "--survey", "impact-methods", "--responses", "150", "--seed", "4")
	token := string(bytes.TrimSpace(cmd("token", "create", "--name", "same", "--role", "analyst")))
	api := func(path string) []byte {
		t.Helper()
		req, _ := http.NewRequest(http.MethodGet, m.URL+path, nil)
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%s: %d %s", path, resp.StatusCode, body)
		}
		return body
	}
	type report struct {
		Responses int
		Tables    []json.RawMessage
	}
	var fromAPI, fromCLI report
	if err := json.Unmarshal(api("/api/v1/surveys/impact-methods/analysis?report=true&by=region&from=2020-01-01"), &fromAPI); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(cmd("analyze", "--survey", "impact-methods", "--report", "--by", "region", "--from", "2020-01-01", "--format", "json"), &fromCLI); err != nil {
		t.Fatal(err)
	}
	if fromAPI.Responses != 150 || fromCLI.Responses != 150 || len(fromAPI.Tables) == 0 {
		t.Fatalf("responses: API %d, CLI %d; %d tables", fromAPI.Responses, fromCLI.Responses, len(fromAPI.Tables))
	}
	grouped := 0
	for i := range fromAPI.Tables {
		var a, c any
		_ = json.Unmarshal(fromAPI.Tables[i], &a)
		_ = json.Unmarshal(fromCLI.Tables[i], &c)
		if !reflect.DeepEqual(a, c) {
			t.Errorf("table %d differs between the API and the command line:\nAPI %s\nCLI %s", i+1, fromAPI.Tables[i], fromCLI.Tables[i])
		}
		if regexp.MustCompile(`"grouping":\{[^}]*"by":"region"`).Match(fromAPI.Tables[i]) {
			grouped++
		}
	}
	if grouped == 0 {
		t.Error("no table of the by=region report is grouped by region")
	}

	dump := func(name string, body []byte) any {
		t.Helper()
		path := filepath.Join(dir, name)
		if body != nil {
			if err := os.WriteFile(path, body, 0o600); err != nil {
				t.Fatal(err)
			}
		}
		text, err := exec.Command(python, "-c", dumpWorkbook, path).CombinedOutput()
		if err != nil {
			t.Fatalf("openpyxl %s: %v\n%s", name, err, text)
		}
		var v any
		if err := json.Unmarshal(text, &v); err != nil {
			t.Fatal(err)
		}
		return v
	}
	// Full counts: the responses here are demo's, which the default white
	// paper leaves out.
	downloaded := dump("api.xlsx", api("/api/v1/surveys/impact-methods/export.xlsx?kind=whitepaper&full_counts=true&by=region&from=2020-01-01"))
	cmd("export", "--survey", "impact-methods", "--kind", "whitepaper", "--full-counts", "--by", "region", "--from", "2020-01-01", "-o", filepath.Join(dir, "cli.xlsx"))
	written := dump("cli.xlsx", nil)
	if !reflect.DeepEqual(downloaded, written) {
		t.Error("the white paper downloaded and the one canvass export wrote differ")
	}
	ungrouped := dump("plain.xlsx", api("/api/v1/surveys/impact-methods/export.xlsx?kind=whitepaper&full_counts=true&from=2020-01-01"))
	if reflect.DeepEqual(downloaded, ungrouped) {
		t.Error("by=region left the white paper as it is without it")
	}
}
