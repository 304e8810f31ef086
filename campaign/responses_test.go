package campaign_test

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/metlib/canvass/campaign"
	"github.com/metlib/canvass/survey"
)

func TestResponsesListGetDelete(t *testing.T) {
	f := newTrial(t, false)
	ctx := admin
	picks := []string{"a", "b", "a", "c", "a"}
	for i, p := range picks {
		f.clock = f.clock.Add(time.Minute)
		if _, err := f.svc.Submit(ctx, campaign.Submission{Survey: "trial", SubmissionID: fmt.Sprintf("list-%04d", i), Answers: answers(t, `{"pick": "`+p+`"}`)}); err != nil {
			t.Fatal(err)
		}
	}
	page, total, err := f.svc.ListResponses(ctx, "trial", survey.ResponseFilter{Offset: 1, Limit: 2})
	if err != nil {
		t.Fatal(err)
	}
	if total != 5 || len(page) != 2 || page[0].SubmissionID != "list-0001" || page[1].SubmissionID != "list-0002" {
		t.Errorf("page 2 of 2: total %d, %v; want 5, list-0001 and list-0002 (oldest first)", total, page)
	}
	if _, _, err := f.svc.ListResponses(ctx, "trial", survey.ResponseFilter{Limit: campaign.MaxPerPage + 1}); survey.ErrorCode(err) != survey.EINVALID {
		t.Errorf("an oversized page: %v, want invalid", err)
	}
	if _, _, err := f.svc.ListResponses(ctx, "nothing", survey.ResponseFilter{Limit: 10}); survey.ErrorCode(err) != survey.ENOTFOUND {
		t.Errorf("an unknown survey: %v, want not found", err)
	}

	r, sv, err := f.svc.Response(ctx, page[0].ID)
	if err != nil || r.Answers.String("pick") != "b" || sv.Version != 1 {
		t.Fatalf("get: %v, %v, %v", r, sv, err)
	}
	deleted, err := f.svc.DeleteResponse(ctx, r.ID)
	if err != nil || deleted.ID != r.ID {
		t.Fatalf("delete: %v, %v", deleted, err)
	}
	if _, _, err := f.svc.Response(ctx, r.ID); survey.ErrorCode(err) != survey.ENOTFOUND {
		t.Errorf("a deleted response: %v, want not found", err)
	}
	if n, _ := f.st.CountResponses(context.Background(), "trial"); n != 4 {
		t.Errorf("%d responses after deleting one of 5", n)
	}
	entries, _, err := f.st.ListAudit(context.Background(), survey.AuditFilter{Action: "response.delete"})
	if err != nil || len(entries) != 1 || entries[0].Actor != "admin@section.example" || entries[0].Target != "response:"+r.ID ||
		entries[0].Details != "survey trial, submission list-0001" {
		t.Errorf("audit: %+v (%v)", entries, err)
	}
}

func TestImportResponsesChecksAndStoresOnce(t *testing.T) {
	f := newTrial(t, false)
	ctx := admin
	at := time.Date(2026, 6, 1, 8, 0, 0, 0, time.UTC)
	rs := func() []*survey.Response {
		return []*survey.Response{
			{SurveySlug: "trial", SurveyVersion: 1, SubmissionID: "demo-00000001", Language: "en", Status: survey.ResponseSubmitted,
				Answers: survey.Answers{"pick": "a", "many": []string{"x", "y"}, "count": float64(4)}, Source: "demo", CreatedAt: at, UpdatedAt: at, SubmittedAt: &at},
			{SurveySlug: "trial", SurveyVersion: 1, SubmissionID: "demo-00000002", Language: "en", Status: survey.ResponseSubmitted,
				Answers: survey.Answers{"pick": "b"}, Source: "demo", CreatedAt: at, UpdatedAt: at, SubmittedAt: &at},
		}
	}
	if n, err := f.svc.ImportResponses(ctx, "trial", rs()); err != nil || n != 2 {
		t.Fatalf("import: %d, %v; want 2", n, err)
	}
	if n, err := f.svc.ImportResponses(ctx, "trial", rs()); err != nil || n != 0 {
		t.Errorf("the same again: %d, %v; want 0 new", n, err)
	}
	got, err := f.st.FindResponseBySubmission(context.Background(), "trial", "demo-00000001")
	if err != nil || !got.SubmittedAt.Equal(at) || got.Source != "demo" {
		t.Errorf("imported response keeps its time and source: %+v, %v", got, err)
	}
	bad := rs()[:1]
	bad[0].SubmissionID, bad[0].Answers = "demo-00000003", survey.Answers{"pick": "nope"}
	if _, err := f.svc.ImportResponses(ctx, "trial", bad); survey.ErrorCode(err) != survey.EINVALID {
		t.Errorf("an answer the survey does not offer: %v, want invalid", err)
	}
	if len(f.metrics.events) != 0 {
		t.Errorf("imports counted as submissions: %v", f.metrics.events)
	}
}

func TestPublishResults(t *testing.T) {
	f := newTrial(t, false)
	ctx := admin
	at, err := f.svc.PublishResults(ctx, "trial", true)
	if err != nil || at == nil || !at.Equal(f.clock) {
		t.Fatalf("publish: %v, %v; want published at %v", at, err, f.clock)
	}
	if got, _ := f.st.ResultsPublished(context.Background(), "trial"); got == nil || !got.Equal(f.clock) {
		t.Errorf("stored publication: %v", got)
	}
	if at, err := f.svc.PublishResults(ctx, "trial", false); err != nil || at != nil {
		t.Errorf("withdraw: %v, %v", at, err)
	}
	if got, _ := f.st.ResultsPublished(context.Background(), "trial"); got != nil {
		t.Errorf("still published at %v", got)
	}
	if _, err := f.svc.PublishResults(ctx, "nothing", true); survey.ErrorCode(err) != survey.ENOTFOUND {
		t.Errorf("unknown survey: %v", err)
	}
	var actions []string
	entries, _, _ := f.st.ListAudit(context.Background(), survey.AuditFilter{Target: "survey:trial"})
	for _, e := range entries {
		actions = append(actions, e.Action+" by "+e.Actor)
	}
	sort.Strings(actions)
	if got, want := strings.Join(actions, "; "), "results.publish by admin@section.example; results.unpublish by admin@section.example"; got != want {
		t.Errorf("audit: %s; want %s", got, want)
	}
}
