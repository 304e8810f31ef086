package campaign_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/metlib/canvass/campaign"
	"github.com/metlib/canvass/export"
	"github.com/metlib/canvass/survey"
)

// readCSV reads a file the series export wrote as CSV, by column key.
func readCSV(t *testing.T, data []byte) (header []string, rows []map[string]string) {
	t.Helper()
	records, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(data, []byte("\uFEFF")))).ReadAll()
	if err != nil || len(records) == 0 {
		t.Fatalf("CSV: %v %q", err, data)
	}
	for _, rec := range records[1:] {
		row := map[string]string{}
		for i, k := range records[0] {
			row[k] = rec[i]
		}
		rows = append(rows, row)
	}
	return records[0], rows
}

// TestSeriesExportThroughTheService exports the two waves of the stats
// series from the database: each wave's submitted responses (an anonymous
// one in the long layout only, canvass demo's left out), 2025's wifi read
// as 2026's internet, 2026's new question empty for 2025, the wide layout
// a row per library in id order (the store's ByLibrary), audited before
// it is written; the other layouts and formats refused, and coordinators.
func TestSeriesExportThroughTheService(t *testing.T) {
	f := secondWave(t)
	for _, name := range []string{"Gamma", "Alpha", "Beta"} {
		text := map[string]string{
			"Alpha": `{"budget": 1500, "services": ["loans", "internet"], "staff": 4, "open_sunday": "yes"}`,
			"Beta":  `{"budget": 45000, "services": ["events"], "staff": 30, "open_sunday": "no"}`,
			"Gamma": `{"budget": 10, "services": ["internet"], "comment": "=2+3", "open_sunday": "yes"}`,
		}[name]
		if _, err := f.submit(t, "stats-2026", f.link(t, "stats-2026", name), "en", text); err != nil {
			t.Fatal(name, err)
		}
		f.clock = f.clock.Add(time.Minute)
	}
	ctx := context.Background()
	if _, err := f.svc.Submit(ctx, campaign.Submission{Survey: "stats-2026", Language: "en", Answers: answers(t, `{"budget": 5, "open_sunday": "no"}`), Source: "api"}); err != nil {
		t.Fatal("anonymous:", err)
	}
	at := f.clock
	if _, _, err := f.st.CreateResponse(ctx, &survey.Response{SurveySlug: "stats-2026", SurveyVersion: 2, SubmissionID: "demo-1", LibraryID: f.libs["Delta"].ID, Language: "en",
		Status: survey.ResponseSubmitted, Source: survey.DemoSource, Answers: survey.Answers{"budget": 99.0}, CreatedAt: at, SubmittedAt: &at}); err != nil {
		t.Fatal(err)
	}
	name := map[string]string{}
	for n, l := range f.libs {
		name[l.ID] = n
	}
	download := func(d campaign.SeriesDownload) (*campaign.File, []byte) {
		t.Helper()
		file, err := f.svc.PrepareSeriesExport(analyst, "stats-2026", d)
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if err := file.Write(&buf); err != nil {
			t.Fatal(err)
		}
		return file, buf.Bytes()
	}

	var progress int
	file, data := download(campaign.SeriesDownload{Format: "csv", Progress: func(n int) { progress = n }})
	header, rows := readCSV(t, data)
	if file.Responses != 6 || file.Expected != 6 || progress != 6 || len(rows) != 6 {
		t.Fatalf("long: %d responses, %d expected, progress %d, %d rows; want 2 of 2025 and 4 of 2026 (demo's left out)", file.Responses, file.Expected, progress, len(rows))
	}
	if !strings.HasPrefix(file.Name, "stats-waves-long-") || !strings.HasSuffix(file.Name, ".csv") || file.ContentType != "text/csv; charset=utf-8" {
		t.Errorf("file %q %q", file.Name, file.ContentType)
	}
	if strings.Join(header[:3], ",") != "_wave,_survey,_library_id" {
		t.Errorf("long header %v", header)
	}
	seen := map[string]map[string]string{} // wave/library → row
	for _, r := range rows {
		seen[r["_wave"]+"/"+name[r["_library_id"]]] = r
	}
	for key, want := range map[string]map[string]string{
		"2025/Alpha": {"_survey": "stats-2025", "budget": "1000", "services.loans": "1", "services.internet": "1", "services.events": "0", "comment": "new roof", "open_sunday": ""},
		"2025/Beta":  {"budget": "50000", "services.internet": "0", "services.events": "1", "open_sunday": ""},
		"2026/Alpha": {"_survey": "stats-2026", "budget": "1500", "services.internet": "1", "open_sunday": "yes"},
		"2026/Gamma": {"budget": "10", "comment": "'=2+3", "open_sunday": "yes"},
		"2026/":      {"budget": "5", "_library_id": "", "services.loans": "", "open_sunday": "no"},
	} {
		r, ok := seen[key]
		if !ok {
			t.Errorf("no long row %s", key)
			continue
		}
		for k, v := range want {
			if r[k] != v {
				t.Errorf("long %s %s = %q, want %q", key, k, r[k], v)
			}
		}
	}

	file, data = download(campaign.SeriesDownload{Layout: export.Wide, Format: "csv"})
	header, rows = readCSV(t, data)
	if len(rows) != 3 || file.Responses != 6 {
		t.Fatalf("wide: %d rows (want Alpha, Beta, Gamma), %d responses read", len(rows), file.Responses)
	}
	if !slices.IsSortedFunc(rows, func(a, b map[string]string) int { return strings.Compare(a["_library_id"], b["_library_id"]) }) {
		t.Errorf("wide rows not in library order: %v", rows)
	}
	if slices.Contains(header, "open_sunday__2025") || !slices.Contains(header, "open_sunday__2026") || !slices.Contains(header, "services.internet__2025") {
		t.Errorf("wide header %v", header)
	}
	for _, r := range rows {
		want := map[string]map[string]string{
			"Alpha": {"budget__2025": "1000", "budget__2026": "1500", "services.internet__2025": "1", "services.internet__2026": "1", "open_sunday__2026": "yes"},
			"Beta":  {"budget__2025": "50000", "budget__2026": "45000", "services.events__2025": "1"},
			"Gamma": {"budget__2025": "", "services.internet__2025": "", "budget__2026": "10", "comment__2026": "'=2+3"},
		}[name[r["_library_id"]]]
		if want == nil {
			t.Errorf("wide row of %q", r["_library_id"])
		}
		for k, v := range want {
			if r[k] != v {
				t.Errorf("wide %s %s = %q, want %q", name[r["_library_id"]], k, r[k], v)
			}
		}
	}
	entries, _, err := f.st.ListAudit(ctx, survey.AuditFilter{Action: "series.export", Limit: 1})
	if err != nil || len(entries) != 1 {
		t.Fatalf("audit %v %v", entries, err)
	}
	if e := entries[0]; e.Target != "survey:stats-2026" || e.Details != "series stats; waves stats-2025, stats-2026; layout wide; format csv; status submitted; demo responses left out" {
		t.Errorf("audit entry %+v", e)
	}

	file, data = download(campaign.SeriesDownload{Format: "csv", Codebook: true, Layout: export.Wide})
	if header, _ := readCSV(t, data); !strings.HasSuffix(file.Name, ".csv") || !strings.Contains(file.Name, "codebook") || header[0] != "Variable" {
		t.Errorf("codebook %q: %v", file.Name, header)
	}
	if file, data = download(campaign.SeriesDownload{}); !strings.HasSuffix(file.Name, ".xlsx") || !bytes.HasPrefix(data, []byte("PK")) {
		t.Errorf("default download %q", file.Name)
	}
	// From the first wave: that wave alone.
	first, err := f.svc.PrepareSeriesExport(analyst, "stats-2025", campaign.SeriesDownload{Format: "jsonl"})
	if err != nil {
		t.Fatal(err)
	}
	if err := first.Write(&bytes.Buffer{}); err != nil || first.Responses != 2 {
		t.Errorf("from stats-2025: %d responses, %v", first.Responses, err)
	}

	for _, tc := range []struct {
		ctx  context.Context
		d    campaign.SeriesDownload
		code string
	}{
		{analyst, campaign.SeriesDownload{Layout: "diagonal"}, survey.EMALFORMED},
		{analyst, campaign.SeriesDownload{Format: "xlsx", Codebook: true}, survey.EMALFORMED},
		{analyst, campaign.SeriesDownload{Format: "pdf"}, survey.ENOTFOUND},
		{coordinatorOf("europe"), campaign.SeriesDownload{}, survey.EFORBIDDEN},
	} {
		_, err := f.svc.PrepareSeriesExport(tc.ctx, "stats-2026", tc.d)
		wantCode(t, "series export "+string(tc.d.Layout)+" "+tc.d.Format, err, tc.code)
	}
	if _, err := f.svc.PrepareSeriesExport(analyst, "nope", campaign.SeriesDownload{}); survey.ErrorCode(err) != survey.ENOTFOUND {
		t.Errorf("unknown survey: %v", err)
	}
}
