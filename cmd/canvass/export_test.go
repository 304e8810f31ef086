package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/metlib/canvass/survey"
	"github.com/metlib/canvass/survey/store"
)

// TestExportSeriesCommand writes the two waves of the landscape series in
// both layouts, and the codebook, from the command line; demo's responses
// are left out, and the flags that do not go with --series are refused as
// usage errors.
func TestExportSeriesCommand(t *testing.T) {
	dir := t.TempDir()
	m := startMain(t, testConfig(dir))
	_ = m.Close()
	var out, errOut bytes.Buffer
	cmd := func(args ...string) error {
		out.Reset()
		errOut.Reset()
		return run(context.Background(), append(args, "--data-dir", dir), nil, &out, &errOut, noEnv)
	}
	if err := cmd("survey", "new-wave", "--from", "landscape", "--slug", "landscape-2026", "--wave", "2026"); err != nil {
		t.Fatal(err, errOut.String())
	}
	err := withStore(context.Background(), testConfig(dir), &errOut, func(st *store.Store) error {
		for i, r := range []struct {
			slug, library, source string
			staff                 float64
		}{{"landscape", "lib-b", "api", 3}, {"landscape", "lib-a", "api", 12}, {"landscape-2026", "lib-a", "api", 14}, {"landscape-2026", "lib-c", survey.DemoSource, 99}} {
			at := time.Date(2026, 5, 1, 9, i, 0, 0, time.UTC)
			_, _, err := st.CreateResponse(context.Background(), &survey.Response{SurveySlug: r.slug, SurveyVersion: 1, SubmissionID: "cli-" + string(rune('a'+i)), LibraryID: r.library,
				Language: "en", Status: survey.ResponseSubmitted, Source: r.source, Answers: survey.Answers{"staff_fte": r.staff}, CreatedAt: at, SubmittedAt: &at})
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	read := func(path string) [][]string {
		t.Helper()
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(data, []byte("\uFEFF")))).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		return rows
	}
	for _, tc := range []struct {
		layout, wrote string
		rows          int
		staff         string // the first row's: lib-b's, oldest (long), or lib-a's (wide, by library)
	}{{"long", "(3 responses)", 3, "3"}, {"wide", "(3 responses)", 2, "12"}} {
		path := filepath.Join(dir, tc.layout+".csv")
		if err := cmd("export", "--survey", "landscape-2026", "--series", "--layout", tc.layout, "--format", "csv", "-o", path); err != nil {
			t.Fatalf("%s: %v %s", tc.layout, err, errOut.String())
		}
		rows := read(path)
		if !strings.Contains(out.String(), tc.wrote) || len(rows) != tc.rows+1 {
			t.Errorf("%s: %q, %d rows", tc.layout, out.String(), len(rows))
		}
		key := map[string]string{"long": "staff_fte", "wide": "staff_fte__landscape"}[tc.layout]
		for i, k := range rows[0] {
			if k == key && rows[1][i] != tc.staff {
				t.Errorf("%s: %s of the first row %q, want %s", tc.layout, k, rows[1][i], tc.staff)
			}
		}
	}
	book := filepath.Join(dir, "wide.xlsx")
	if err := cmd("export", "--survey", "landscape-2026", "--series", "--layout", "wide", "-o", book); err != nil {
		t.Fatal(err, errOut.String())
	}
	if data, err := os.ReadFile(book); err != nil || !bytes.HasPrefix(data, []byte("PK")) {
		t.Errorf("the wide workbook: %v", err)
	}
	codebook := filepath.Join(dir, "codebook.csv")
	if err := cmd("export", "--survey", "landscape-2026", "--series", "--codebook", "--format", "csv", "-o", codebook); err != nil || !strings.Contains(out.String(), "(the codebook)") {
		t.Fatalf("codebook: %v %q %s", err, out.String(), errOut.String())
	}
	if rows := read(codebook); rows[0][0] != "Variable" {
		t.Errorf("codebook header %q", rows[0])
	}
	for _, args := range [][]string{
		{"--series", "--layout", "diagonal"},
		{"--series", "--region", "europe"},
		{"--series", "--kind", "whitepaper"},
		{"--series", "--codebook"},
		{"--layout", "wide"},
	} {
		if err := cmd(append([]string{"export", "--survey", "landscape-2026", "-o", filepath.Join(dir, "x")}, args...)...); exitCode(err) != 2 {
			t.Errorf("export %v: %v, want a usage error", args, err)
		}
	}
	if err := cmd("export", "--help"); err != nil || !strings.Contains(errOut.String(), "-series") || !strings.Contains(errOut.String(), "-layout") {
		t.Errorf("export --help: %v %s", err, errOut.String())
	}
}
