package campaign_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/metlib/canvass/campaign"
	"github.com/metlib/canvass/demo"
	"github.com/metlib/canvass/survey"
	"github.com/metlib/canvass/survey/builtin"
	"github.com/metlib/canvass/survey/store"
	"github.com/metlib/canvass/survey/store/storetest"
)

// fixture is a Service over a database of its own holding the built-in
// surveys, with a clock the test moves.
type fixture struct {
	st    *store.Store
	svc   *campaign.Service
	clock time.Time
	ctx   context.Context // an analyst's
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	st := storetest.New(t)
	surveys, err := builtin.Surveys()
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range surveys {
		s.Status = survey.StatusOpen
		if err := st.CreateSurvey(context.Background(), s); err != nil {
			t.Fatal(err)
		}
	}
	f := &fixture{st: st, clock: time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)}
	// Visitors wait for every disclosure: what the tests read is the
	// snapshot's own publication (the publication before served meanwhile
	// is TestVisitorsAreServedThePublicationBeforeWhileDisclosing's).
	f.svc = campaign.New(campaign.Config{Surveys: st, Responses: st, Audit: st, Libraries: st, Publications: st, Reports: st, Now: func() time.Time { return f.clock }, DisclosePatience: -1})
	f.ctx = survey.WithActor(context.Background(), survey.Actor{Name: "ana@example.org", Role: survey.RoleAnalyst})
	return f
}

// seed stores n demo responses straight into the database (as another
// instance would) and returns them.
func (f *fixture) seed(t *testing.T, slug string, n int, seed uint64) []*survey.Response {
	t.Helper()
	sv, err := f.st.FindSurvey(context.Background(), slug)
	if err != nil {
		t.Fatal(err)
	}
	rs := demo.Responses(sv, n, seed, f.clock)
	for _, r := range rs {
		r.Source = "web" // stand-ins for real respondents, public outputs included
		if _, _, err := f.st.CreateResponse(context.Background(), r); err != nil {
			t.Fatal(err)
		}
	}
	return rs
}

func (f *fixture) analysed(t *testing.T) (analysis, report int) {
	t.Helper()
	res, err := f.svc.Analysis(f.ctx, "impact-methods", campaign.Query{})
	if err != nil {
		t.Fatal(err)
	}
	rep, _, err := f.svc.Report(f.ctx, "impact-methods", campaign.Query{By: "region"})
	if err != nil {
		t.Fatal(err)
	}
	return res.Responses, rep.Responses
}

// TestCacheFollowsWritesThroughTheStore: a write through the Service's
// store is seen at once by the next analysis and report (never a stale
// result), while one made straight into the database — another instance —
// is seen once the cached result expires, and not before (so the cache is
// really used).
func TestCacheFollowsWritesThroughTheStore(t *testing.T) {
	f := newFixture(t)
	rs := f.seed(t, "impact-methods", 30, 3)
	want := func(step string, n int) {
		t.Helper()
		if a, r := f.analysed(t); a != n || r != n {
			t.Errorf("%s: analysis of %d, report of %d responses, want %d", step, a, r, n)
		}
	}
	want("seeded", 30)

	extra := *rs[0]
	extra.SubmissionID, extra.ID = "through-the-service", ""
	stored, created, err := f.svc.Responses().CreateResponse(context.Background(), &extra)
	if err != nil || !created {
		t.Fatal(created, err)
	}
	want("created through the store", 31)

	draft := *rs[1]
	draft.SubmissionID, draft.ID, draft.Status, draft.SubmittedAt = "a-draft", "", survey.ResponseDraft, nil
	savedDraft, created, err := f.svc.Responses().CreateResponse(context.Background(), &draft)
	if err != nil || !created {
		t.Fatal(created, err)
	}
	want("a draft saved", 31)
	draft.Revision = savedDraft.Revision
	at := f.clock
	draft.Status, draft.SubmittedAt = survey.ResponseSubmitted, &at
	if err := f.svc.Responses().ReplaceResponse(context.Background(), &draft); err != nil {
		t.Fatal(err)
	}
	want("the draft submitted", 32)

	if err := f.svc.Responses().DeleteResponse(context.Background(), stored.ID); err != nil {
		t.Fatal(err)
	}
	want("deleted", 31)

	elsewhere := *rs[2]
	elsewhere.SubmissionID, elsewhere.ID = "another-instance", ""
	if _, _, err := f.st.CreateResponse(context.Background(), &elsewhere); err != nil {
		t.Fatal(err)
	}
	f.clock = f.clock.Add(29 * time.Second)
	want("written elsewhere, within the cache time", 31)
	f.clock = f.clock.Add(2 * time.Second)
	want("written elsewhere, after the cache time", 32)
}

// TestQueryChecks: a bad grouping, an answer condition on a question the
// survey does not have, or drafts asked of an analysis are refused with
// the parameter named, never ignored; and only analysts and admins may ask.
func TestQueryChecks(t *testing.T) {
	f := newFixture(t)
	for _, tc := range []struct {
		name string
		q    campaign.Query
		want string
	}{
		{"by", campaign.Query{By: "shoe_size"}, `by="shoe_size"`},
		// Questions that exist but cannot be grouped by: a bad query
		// parameter still (400 on the web), not the analysis's 422.
		{"by a text question", campaign.Query{By: "library_name"}, `by="library_name"`},
		{"by an email question", campaign.Query{By: "contact_email"}, `by="contact_email"`},
		{"by a number question without bands", campaign.Query{By: "population_served"}, `by="population_served"`},
		{"bands out of order", campaign.Query{By: "population_served", Bands: []float64{100, 10}}, "bands"},
		{"answer", campaign.Query{Filter: survey.ResponseFilter{Answers: map[string]string{"shoe_size": "42"}}}, "answer=shoe_size"},
		{"status", campaign.Query{Filter: survey.ResponseFilter{Status: survey.ResponseDraft}}, "status=draft"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := f.svc.Analysis(f.ctx, "impact-methods", tc.q)
			if survey.ErrorCode(err) != survey.EMALFORMED || !strings.Contains(survey.ErrorMessage(err), tc.want) {
				t.Errorf("analysis: %v, want EMALFORMED naming %s", err, tc.want)
			}
			_, err = f.svc.PrepareDownload(f.ctx, "impact-methods", campaign.Download{Kind: campaign.KindWhitePaper, Query: tc.q})
			if survey.ErrorCode(err) != survey.EMALFORMED || !strings.Contains(survey.ErrorMessage(err), tc.want) {
				t.Errorf("white paper: %v, want EMALFORMED naming %s", err, tc.want)
			}
		})
	}
	// What can be grouped by still can.
	for _, q := range []campaign.Query{{By: "population_served", Bands: []float64{10000, 100000}}, {By: "region"}, {By: "language"}} {
		if _, err := f.svc.Analysis(f.ctx, "impact-methods", q); err != nil {
			t.Errorf("by %s: %v", q.By, err)
		}
	}
	_, err := f.svc.PrepareDownload(f.ctx, "impact-methods", campaign.Download{Query: campaign.Query{Filter: survey.ResponseFilter{Answers: map[string]string{"shoe_size": "42"}}}})
	if survey.ErrorCode(err) != survey.EMALFORMED || !strings.Contains(survey.ErrorMessage(err), "answer=shoe_size") {
		t.Errorf("raw download with an unknown answer question: %v", err)
	}
	if _, err := f.svc.Analysis(context.Background(), "impact-methods", campaign.Query{}); survey.ErrorCode(err) != survey.EUNAUTHORIZED {
		t.Errorf("anonymous analysis: %v", err)
	}
	if _, err := f.svc.PrepareDownload(context.Background(), "impact-methods", campaign.Download{}); survey.ErrorCode(err) != survey.EUNAUTHORIZED {
		t.Errorf("anonymous download: %v", err)
	}
	if _, err := f.svc.Analysis(f.ctx, "nope", campaign.Query{}); survey.ErrorCode(err) != survey.ENOTFOUND {
		t.Errorf("unknown survey: %v", err)
	}
}

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("client went away") }

// TestDownloadAuditedBeforeItIsWritten: the audit entry (kind, format,
// filters, counts mode) exists once a download is prepared, whether or not
// a byte of it is ever delivered.
func TestDownloadAuditedBeforeItIsWritten(t *testing.T) {
	f := newFixture(t)
	f.seed(t, "impact-methods", 12, 4)
	from := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		d    campaign.Download
		want []string
	}{
		{campaign.Download{Kind: campaign.KindWhitePaper, FullCounts: true, Query: campaign.Query{By: "region", Filter: survey.ResponseFilter{Region: survey.Europe, From: &from}}},
			[]string{"kind whitepaper", "format xlsx", "filter region: europe; submitted from: 2026-11-01", "by region", "full counts (unsuppressed)"}},
		{campaign.Download{Kind: campaign.KindWhitePaper},
			[]string{"kind whitepaper", "filter demo responses left out", "counts below 5 suppressed"}},
		{campaign.Download{Format: "csv", Query: campaign.Query{Filter: survey.ResponseFilter{Status: survey.ResponseDraft, Answers: map[string]string{"measurement_status": "systematic"}}}},
			[]string{"kind raw", "format csv", "status draft", "answer measurement_status:systematic"}},
	} {
		ctx, cancel := context.WithCancel(f.ctx)
		file, err := f.svc.PrepareDownload(ctx, "impact-methods", tc.d)
		if err != nil {
			t.Fatal(err)
		}
		cancel() // the client is gone before the body
		if err := file.Write(failingWriter{}); err == nil {
			t.Error("writing to a gone client succeeded")
		}
		entries, _, err := f.st.ListAudit(context.Background(), survey.AuditFilter{Action: "responses.export", Limit: 1})
		if err != nil || len(entries) != 1 {
			t.Fatalf("audit: %v %v", entries, err)
		}
		e := entries[0]
		for _, want := range tc.want {
			if !strings.Contains(e.Details, want) {
				t.Errorf("audit details %q lack %q", e.Details, want)
			}
		}
		if e.Actor != "ana@example.org" || e.Target != "survey:impact-methods" {
			t.Errorf("audit entry %+v", e)
		}
	}
}

// TestDefaultWhitePaperLeavesDemoOut: the workbook for publication counts
// the real responses only, as every public output does (demo's generator
// is seeded: a reader could rerun it and subtract), and says so in its
// filter line; the full-counts workbook, the working group's, counts both.
func TestDefaultWhitePaperLeavesDemoOut(t *testing.T) {
	f := newFixture(t)
	f.seed(t, "impact-methods", 12, 4)
	sv, err := f.st.FindSurvey(context.Background(), "impact-methods")
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range demo.Responses(sv, 8, 9, f.clock) {
		r.Source = survey.DemoSource
		r.SubmissionID = "demo-" + r.SubmissionID
		if _, _, err := f.st.CreateResponse(context.Background(), r); err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range []struct {
		full      bool
		responses int
		filter    string
	}{{false, 12, "demo responses left out"}, {true, 20, "no filter"}} {
		file, err := f.svc.PrepareDownload(f.ctx, "impact-methods", campaign.Download{Kind: campaign.KindWhitePaper, FullCounts: tc.full})
		if err != nil {
			t.Fatal(err)
		}
		if file.Responses != tc.responses {
			t.Errorf("full counts %v: the workbook counts %d responses, want %d", tc.full, file.Responses, tc.responses)
		}
		entries, _, err := f.st.ListAudit(context.Background(), survey.AuditFilter{Action: "responses.export", Limit: 1})
		if err != nil || len(entries) != 1 || !strings.Contains(entries[0].Details, tc.filter) {
			t.Errorf("full counts %v: audit %v %v, want details with %q", tc.full, entries, err, tc.filter)
		}
	}
}
