package web_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/metlib/canvass/demo"
	openpyxlfind "github.com/metlib/canvass/internal/openpyxl"
	"github.com/metlib/canvass/survey"
)

// openpyxl is the independent reader of the workbooks (see
// internal/openpyxl).
func openpyxl(t *testing.T) string { return openpyxlfind.Python(t) }

// readColumn prints, with openpyxl, the values under the header named
// column on sheet, one per line.
const readColumn = `
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
rows = list(wb[sys.argv[2]].iter_rows(values_only=True))
if sys.argv[3] == "=label":
    # the value beside a label in the first column
    for r in rows:
        if r and r[0] == sys.argv[4]:
            print(r[1])
else:
    i = rows[0].index(sys.argv[3])
    for r in rows[1:]:
        print(r[i])
`

func workbookValues(t *testing.T, python string, body []byte, args ...string) []string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "book.xlsx")
	if err := os.WriteFile(path, body, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(python, append([]string{"-c", readColumn, path}, args...)...).CombinedOutput()
	if err != nil {
		t.Fatalf("openpyxl: %v\n%s", err, out)
	}
	return strings.Fields(string(out))
}

// TestOneFilterEverywhere: the same from/to/answer filter selects the same
// responses in the raw downloads (xlsx read back by openpyxl, csv), the
// white paper, the analysis and report API, the responses API and the
// dashboard. Times are submission times: a draft saved on day 1 and
// submitted on day 3 is in a from=day-2 filter everywhere.
func TestOneFilterEverywhere(t *testing.T) {
	python := openpyxl(t)
	a := newApp(t)
	ctx := context.Background()
	sv, err := a.store.FindSurvey(ctx, "impact-methods")
	if err != nil {
		t.Fatal(err)
	}
	day := func(d int) time.Time { return time.Date(2026, 3, d, 9, 30, 0, 0, time.UTC) }
	type made struct {
		id                 string
		status             survey.ResponseStatus
		created, submitted int // days; 0: never submitted
		measuring          string
	}
	cases := []made{
		{"drafted-day1-submitted-day3", survey.ResponseSubmitted, 1, 3, "systematic"}, // in
		{"submitted-day1", survey.ResponseSubmitted, 1, 1, "systematic"},              // before from
		{"created-day2-submitted-day4", survey.ResponseSubmitted, 2, 4, "systematic"}, // in (to includes day 4)
		{"submitted-day3-other-answer", survey.ResponseSubmitted, 3, 3, "ad_hoc"},     // answer differs
		{"draft-day3", survey.ResponseDraft, 3, 0, "systematic"},                      // not submitted
		{"submitted-day5", survey.ResponseSubmitted, 5, 5, "systematic"},              // after to
	}
	want := []string{"created-day2-submitted-day4", "drafted-day1-submitted-day3"} // sorted
	base := demo.Responses(sv, len(cases), 11, day(1))
	for i, c := range cases {
		r := base[i]
		r.SubmissionID, r.Status, r.CreatedAt, r.UpdatedAt = c.id, c.status, day(c.created), day(c.created)
		r.Source = "web" // stand-ins for real respondents: the default white paper leaves demo's out
		r.SubmittedAt = nil
		if c.submitted > 0 {
			at := day(c.submitted)
			r.SubmittedAt, r.UpdatedAt = &at, at
		}
		r.Answers["measurement_status"] = c.measuring
		if _, _, err := a.store.CreateResponse(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	analyst := a.token(survey.RoleAnalyst)
	const filter = "from=2026-03-02&to=2026-03-04&answer=measurement_status:systematic"
	get := func(path string) *bytes.Buffer {
		t.Helper()
		rec := a.do(request{path: path, token: analyst})
		if rec.Code != http.StatusOK {
			t.Fatalf("%s: %d %s", path, rec.Code, rec.Body)
		}
		return rec.Body
	}
	sorted := func(ids []string) []string { slices.Sort(ids); return ids }

	ids := workbookValues(t, python, get("/api/v1/surveys/impact-methods/export.xlsx?"+filter).Bytes(), "Responses", "_submission_id")
	if !slices.Equal(sorted(ids), want) {
		t.Errorf("raw xlsx: %v, want %v", ids, want)
	}
	records, err := csv.NewReader(get("/api/v1/surveys/impact-methods/export.csv?" + filter)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := slices.Index(records[0], "_submission_id")
	var csvIDs []string
	for _, r := range records[1:] {
		csvIDs = append(csvIDs, r[col])
	}
	if !slices.Equal(sorted(csvIDs), want) {
		t.Errorf("raw csv: %v, want %v", csvIDs, want)
	}
	// The white paper with full counts says how many the filter selects;
	// the default one, for publication, covers every response or none: a
	// filtered one, subtracted from the public figures, gives the rest's.
	if n := workbookValues(t, python, get("/api/v1/surveys/impact-methods/export.xlsx?kind=whitepaper&full_counts=true&"+filter).Bytes(), "Contents", "=label", "Responses"); !slices.Equal(n, []string{"2"}) {
		t.Errorf("white paper (full counts) responses: %v, want 2", n)
	}
	if rec := a.do(request{path: "/api/v1/surveys/impact-methods/export.xlsx?kind=whitepaper&" + filter, token: analyst}); rec.Code != http.StatusBadRequest ||
		!strings.Contains(rec.Body.String(), "covers every submitted response") || !strings.Contains(rec.Body.String(), "full counts") {
		t.Errorf("a filtered white paper for publication: %d %s, want 400 saying it covers every response", rec.Code, rec.Body)
	}
	type counted struct{ Responses int }
	if got := decodeBody[counted](t, get("/api/v1/surveys/impact-methods/analysis?"+filter)); got.Responses != 2 {
		t.Errorf("analysis API: %d responses, want 2", got.Responses)
	}
	if got := decodeBody[counted](t, get("/api/v1/surveys/impact-methods/analysis?report=true&by=region&"+filter)); got.Responses != 2 {
		t.Errorf("report API: %d responses, want 2", got.Responses)
	}
	list := decodeBody[struct {
		Responses []struct {
			SubmissionID string `json:"submission_id"`
		}
		Total int
	}](t, get("/api/v1/surveys/impact-methods/responses?status=submitted&"+filter))
	var listed []string
	for _, r := range list.Responses {
		listed = append(listed, r.SubmissionID)
	}
	if !slices.Equal(sorted(listed), want) || list.Total != 2 {
		t.Errorf("responses API: %v (total %d), want %v", listed, list.Total, want)
	}

	c := newClient(t, a.serve(t))
	a.signIn(t, c, survey.RoleAnalyst)
	p := c.get("/admin/surveys/impact-methods/results?" + filter)
	if m := regexp.MustCompile(`<strong>(\d+)</strong> submitted responses`).FindStringSubmatch(p.body); p.status != 200 || m == nil || m[1] != "2" {
		t.Errorf("dashboard: %d, responses %v", p.status, m)
	}

	// An answer condition on a question the survey lacks is refused, naming it, everywhere:
	// the responses list too, and its page.
	if p := c.get("/admin/surveys/impact-methods/responses?answer=shoe_size:42"); p.status != http.StatusBadRequest || !strings.Contains(p.body, "shoe_size") {
		t.Errorf("responses page with an unknown question: %d", p.status)
	}
	for _, path := range []string{
		"/api/v1/surveys/impact-methods/analysis?answer=shoe_size:42",
		"/api/v1/surveys/impact-methods/analysis?report=true&answer=shoe_size:42",
		"/api/v1/surveys/impact-methods/export.xlsx?kind=whitepaper&answer=shoe_size:42",
		"/api/v1/surveys/impact-methods/export.csv?answer=shoe_size:42",
		"/api/v1/surveys/impact-methods/export.csv?answer=nocolon",
		"/api/v1/surveys/impact-methods/responses?answer=shoe_size:42",
	} {
		rec := a.do(request{path: path, token: analyst})
		if rec.Code != http.StatusBadRequest || !strings.Contains(rec.Body.String(), "answer=") {
			t.Errorf("%s: %d %s, want 400 naming answer=", path, rec.Code, rec.Body)
		}
	}
}

func decodeBody[T any](t *testing.T, b *bytes.Buffer) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(b.Bytes(), &v); err != nil {
		t.Fatalf("decode %q: %v", b.String(), err)
	}
	return v
}

// TestDownloadAuditedBeforeTheBody: the audit entry of a download exists
// when its first bytes reach the client — before the handler has written
// the rest — and stays when the client hangs up midway.
func TestDownloadAuditedBeforeTheBody(t *testing.T) {
	a := newApp(t)
	a.seedDemo("impact-methods", 1500) // several megabytes of CSV: more than the socket buffers hold
	srv := a.serve(t)
	analyst := a.token(survey.RoleAnalyst)
	for _, tc := range []struct {
		query string
		want  []string
	}{
		{"export.csv?region=europe", []string{"kind raw", "format csv", "status submitted", "filter region: europe"}},
		{"export.xlsx?kind=whitepaper&full_counts=true&by=region", []string{"kind whitepaper", "by region", "full counts (unsuppressed)"}},
	} {
		before, _, _ := a.store.ListAudit(context.Background(), survey.AuditFilter{Action: "responses.export"})
		req, _ := http.NewRequest(http.MethodGet, srv.URL+"/api/v1/surveys/impact-methods/"+tc.query, nil)
		req.Header.Set("Authorization", "Bearer "+analyst)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%s: %d", tc.query, resp.StatusCode)
		}
		// Headers are here, the body unread: the entry must be written already.
		entries, _, err := a.store.ListAudit(context.Background(), survey.AuditFilter{Action: "responses.export"})
		_ = resp.Body.Close() // hang up midway
		if err != nil || len(entries) != len(before)+1 {
			t.Fatalf("%s: %d audit entries after the headers, want %d (%v)", tc.query, len(entries), len(before)+1, err)
		}
		for _, w := range tc.want {
			if !strings.Contains(entries[0].Details, w) {
				t.Errorf("%s: audit details %q lack %q", tc.query, entries[0].Details, w)
			}
		}
		if entries[0].Actor != "token:analyst" {
			t.Errorf("audit actor %q", entries[0].Actor)
		}
	}
}
