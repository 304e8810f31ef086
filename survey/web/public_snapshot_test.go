package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/metlib/canvass/demo"
	"github.com/metlib/canvass/survey"
	"github.com/metlib/canvass/survey/web"
)

// publicBodies are what a visitor reads: the results page and counts.json.
func (a *app) publicBodies(t *testing.T) (results, counts string) {
	t.Helper()
	r := a.do(request{path: "/results/landscape?lang=en"})
	c := a.do(request{path: "/embed/landscape/counts.json?lang=en"})
	if r.Code != 200 || c.Code != 200 {
		t.Fatalf("results %d, counts.json %d", r.Code, c.Code)
	}
	return r.Body.String(), c.Body.String()
}

// submitDemo submits n made-up respondents' answers through the public
// API, as respondents would (local submissions, through the server).
func (a *app) submitDemo(t *testing.T, n int, seed uint64) {
	t.Helper()
	sv, err := a.store.FindSurvey(context.Background(), "landscape")
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range demo.Responses(sv, n, seed, time.Now()) {
		if code, body := a.apiSubmit("landscape", fmt.Sprintf("snap-%d-%s", seed, r.SubmissionID), "", r.Answers); code != http.StatusCreated {
			t.Fatalf("submit %s: %d %s", r.SubmissionID, code, body)
		}
	}
}

// totalOf is counts.json's total: the count, or -1 when it is withheld.
// Whether the total may be shown is the disclosure rules' call (on a
// survey this small it can be the only way to protect a small cell), so
// these tests read how many responses the figures cover from the snapshot
// itself (snapshotResponses) and check counts.json agrees wherever it shows
// the total.
func totalOf(t *testing.T, counts string) int {
	t.Helper()
	var c struct {
		Total struct {
			Count    *int `json:"count"`
			Withheld bool `json:"withheld"`
		} `json:"total"`
	}
	if err := json.Unmarshal([]byte(counts), &c); err != nil {
		t.Fatalf("counts.json: %v: %s", err, counts)
	}
	if c.Total.Count == nil {
		if !c.Total.Withheld {
			t.Errorf("counts.json: the total is neither a count nor withheld: %s", counts)
		}
		return -1
	}
	return *c.Total.Count
}

// snapshotResponses is how many responses the stored public figures cover.
func (a *app) snapshotResponses(t *testing.T) int {
	t.Helper()
	meta, err := a.store.FindPublicSnapshot(context.Background(), "landscape", nil)
	if err != nil {
		t.Fatal(err)
	}
	return meta.Responses
}

// checkFigures: the snapshot covers want responses, and counts.json shows
// that total or withholds it.
func (a *app) checkFigures(t *testing.T, counts string, want int) {
	t.Helper()
	if got := a.snapshotResponses(t); got != want {
		t.Errorf("the public figures cover %d responses, want %d", got, want)
	}
	if got := totalOf(t, counts); got != want && got != -1 {
		t.Errorf("counts.json shows a total of %d, want %d (or withheld)", got, want)
	}
}

// snapshotSeq is the stored public snapshot's number.
func (a *app) snapshotSeq(t *testing.T) int64 {
	t.Helper()
	meta, err := a.store.FindPublicSnapshot(context.Background(), "landscape", nil)
	if err != nil {
		t.Fatal(err)
	}
	return meta.Seq
}

// TestPublicFiguresMoveInStepsOfK, through the router: after the figures
// are taken, k−1 submissions here leave /results and counts.json the same
// bytes, however long one waits; the k-th changes both; deleting fewer than
// k changes neither; a restarted server serves the same bytes without a
// retake. The landscape survey: impact-methods, most of its cells small
// at 20 responses, takes minutes to disclose against the snapshot before.
func TestPublicFiguresMoveInStepsOfK(t *testing.T) {
	a := newApp(t)
	clock := time.Now().UTC()
	a.server.SetClock(func() time.Time { return clock })
	a.seedDemo("landscape", 20)
	admin := a.token(survey.RoleAdmin)
	if rec := a.do(request{method: http.MethodPost, path: "/api/v1/surveys/landscape/results/publish", token: admin}); rec.Code != 200 {
		t.Fatalf("publish: %d %s", rec.Code, rec.Body)
	}
	results0, counts0 := a.publicBodies(t)
	a.checkFigures(t, counts0, 20)
	const k = 5
	a.submitDemo(t, k-1, 11)
	clock = clock.Add(time.Minute)
	if results, counts := a.publicBodies(t); results != results0 || counts != counts0 {
		t.Errorf("k−1 = %d submissions changed the public figures:\ncounts.json before %s\nafter %s", k-1, counts0, counts)
	}
	a.submitDemo(t, 1, 12)
	clock = clock.Add(time.Minute)
	results1, counts1 := a.publicBodies(t)
	if results1 == results0 || counts1 == counts0 {
		t.Errorf("the k-th submission did not change the public figures: %s", counts1)
	}
	a.checkFigures(t, counts1, 20+k)
	if seq := a.snapshotSeq(t); seq != 2 {
		t.Errorf("snapshot #%d, want #2", seq)
	}

	// Deleting k−1 (through the API) changes nothing public.
	list := a.do(request{path: "/api/v1/surveys/landscape/responses?limit=100", token: admin})
	var page struct {
		Responses []struct{ ID string } `json:"responses"`
	}
	if err := json.Unmarshal(list.Body.Bytes(), &page); err != nil || len(page.Responses) != 20+k {
		t.Fatalf("responses list: %v, %d of %d: %.200s", err, len(page.Responses), 20+k, list.Body)
	}
	for _, r := range page.Responses[:k-1] {
		if rec := a.do(request{method: http.MethodDelete, path: "/api/v1/responses/" + r.ID, token: admin}); rec.Code != http.StatusNoContent && rec.Code != http.StatusOK {
			t.Fatalf("delete: %d %s", rec.Code, rec.Body)
		}
	}
	clock = clock.Add(time.Minute)
	if results, counts := a.publicBodies(t); results != results1 || counts != counts1 {
		t.Errorf("deleting k−1 responses changed the public figures: %s", counts)
	}

	// A restarted server (a new one on the same database) serves the
	// same bytes and takes no snapshot.
	srv, err := web.New(configFor(a.store))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Wait)
	restarted := &app{t: t, store: a.store, server: srv, handler: srv.Handler()}
	if results, counts := restarted.publicBodies(t); results != results1 || counts != counts1 {
		t.Errorf("after a restart the public figures differ:\ncounts.json before %s\nafter %s", counts1, counts)
	}
	if seq := a.snapshotSeq(t); seq != 2 {
		t.Errorf("snapshot #%d after the restart, want still #2", seq)
	}
}

// TestRefreshPublicFigures: the results page says when the public figures
// were taken, over how many responses, and how many more retake them; an
// admin's refresh (CSRF checked; analysts may not) retakes them at once and
// is audited; the API route does the same.
func TestRefreshPublicFigures(t *testing.T) {
	a := newApp(t)
	a.seedDemo("landscape", 12)
	_, counts := a.publicBodiesCounts(t)
	a.checkFigures(t, counts, 12)
	a.submitDemo(t, 2, 21)
	srv := a.serve(t)
	c := newClient(t, srv)
	a.signIn(t, c, survey.RoleAdmin)
	p := c.get("/admin/surveys/landscape/results")
	if p.status != 200 {
		t.Fatalf("results page: %d", p.status)
	}
	text := pageText(t, p.body)
	if !strings.Contains(text, "were last taken") || !strings.Contains(text, "over 12 responses") || !strings.Contains(text, "once 3 more responses have arrived or been deleted") {
		t.Errorf("the page does not say when and over what the public figures were taken, and what retakes them:\n%s", text)
	}
	if !strings.Contains(text, "may reveal those last few responses' answers") {
		t.Errorf("no warning beside the refresh button:\n%s", text)
	}
	if bad := c.post("/admin/surveys/landscape/results/refresh", url.Values{"csrf_token": {"forged"}}); bad.status != http.StatusForbidden {
		t.Errorf("refresh with a forged CSRF token: %d, want 403", bad.status)
	}
	if seq := a.snapshotSeq(t); seq != 1 {
		t.Errorf("a forged refresh retook the figures: snapshot #%d", seq)
	}
	c.get("/admin/surveys/landscape/results")
	done := c.post("/admin/surveys/landscape/results/refresh", nil)
	if done.status != http.StatusSeeOther || done.location != "/admin/surveys/landscape/results" {
		t.Fatalf("refresh: %d → %q", done.status, done.location)
	}
	_, counts = a.publicBodiesCounts(t)
	a.checkFigures(t, counts, 14)
	if got := a.auditDetails(t, "results.refresh"); len(got) != 1 || got[0] != "14 responses (were 12)" {
		t.Errorf("audit of the refresh: %q, want one \"14 responses (were 12)\"", got)
	}
	after := pageText(t, c.get("/admin/surveys/landscape/results").body)
	if !strings.Contains(after, "over 14 responses") || !strings.Contains(after, "once 5 more responses") {
		t.Errorf("after the refresh the page says:\n%s", after)
	}

	a.submitDemo(t, 1, 22)
	if rec := a.do(request{method: http.MethodPost, path: "/api/v1/surveys/landscape/results/refresh", token: a.token(survey.RoleAnalyst)}); rec.Code != http.StatusForbidden {
		t.Errorf("an analyst's refresh: %d, want 403", rec.Code)
	}
	rec := a.do(request{method: http.MethodPost, path: "/api/v1/surveys/landscape/results/refresh", token: a.token(survey.RoleAdmin)})
	var body struct {
		Responses int    `json:"responses"`
		TakenAt   string `json:"taken_at"`
		K         int    `json:"k"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &body); rec.Code != 200 || err != nil || body.Responses != 15 || body.K != 5 || body.TakenAt == "" {
		t.Errorf("API refresh: %d %s, want 200 with 15 responses and k 5", rec.Code, rec.Body)
	}
	if seq := a.snapshotSeq(t); seq != 3 {
		t.Errorf("snapshot #%d after two refreshes, want #3", seq)
	}
}

// publicBodiesCounts is counts.json alone (the results of a survey not
// published are not public).
func (a *app) publicBodiesCounts(t *testing.T) (int, string) {
	t.Helper()
	rec := a.do(request{path: "/embed/landscape/counts.json?lang=en"})
	return rec.Code, rec.Body.String()
}
