package export_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/metlib/canvass/analysis"
	"github.com/metlib/canvass/demo"
	"github.com/metlib/canvass/disclosure"
	"github.com/metlib/canvass/export"
	"github.com/metlib/canvass/internal/openpyxl"
	"github.com/metlib/canvass/survey"
	"github.com/metlib/canvass/survey/builtin"
)

// TestIndependentReader reads the workbooks with a program nobody here
// wrote, openpyxl (Debian's python3-openpyxl, installed by .ci/run): the raw
// sheet must equal the JSON Lines export of the same responses, and no cell
// of the raw or white-paper workbook may be a formula.
func TestIndependentReader(t *testing.T) {
	python := openpyxl.Python(t)
	surveys, _ := builtin.Surveys()
	impact := surveys[1]
	rs := demo.Responses(impact, 400, 8, time.Now())
	// Respondent text that looks like formulas, and text too long for a cell.
	injections, _ := os.ReadFile("testdata/formula-injection.txt")
	for i, line := range strings.Split(strings.TrimSpace(string(injections)), "\n") {
		rs[i].Answers["success_example"] = line
	}
	rs[20].Answers["success_example"] = strings.Repeat("long ", 8000)
	dir := t.TempDir()
	write := func(name string, f func(*bytes.Buffer) error) string {
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
	opts := export.Options{MaxRowsPerSheet: 150} // also crosses sheets
	raw := write("raw.xlsx", func(b *bytes.Buffer) error { return export.RawXLSX(b, impact, export.Slice(rs), opts) })
	jsonl := write("raw.jsonl", func(b *bytes.Buffer) error { return export.JSONLines(b, impact, export.Slice(rs), opts) })
	rep, _ := analysis.Report(impact, survey.ResponsesOf(rs), analysis.Options{})
	paper := write("paper.xlsx", func(b *bytes.Buffer) error {
		rules := disclosure.RulesOf(impact)
		return export.WhitePaper(b, disclosure.Publish(rep, nil, rules).Report, export.WhitePaperOptions{Disclosed: &rules})
	})
	out, err := exec.Command(python, "testdata/check_workbook.py", raw, jsonl, paper).CombinedOutput()
	if err != nil {
		t.Fatalf("openpyxl check failed: %v\n%s", err, out)
	}
	if !strings.HasPrefix(string(out), "ok: 400 rows") {
		t.Errorf("openpyxl: %s", out)
	}
}
