package campaign_test

import (
	"context"
	"encoding/json"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/metlib/canvass/campaign"
	"github.com/metlib/canvass/survey"
	"github.com/metlib/canvass/survey/store"
	"github.com/metlib/canvass/survey/store/storetest"
)

// definition is a small survey: one required single choice, one multi
// choice, one number.
const definition = `
slug: trial
version: 1
status: open
default_language: en
languages: [en, fr]
title: {en: Trial}
settings: {allow_edit_after_submit: EDIT}
sections:
  - id: s
    questions:
      - id: pick
        type: single_choice
        required: true
        label: {en: Pick one}
        options:
          - {value: a, label: {en: A}}
          - {value: b, label: {en: B}}
          - {value: c, label: {en: C}}
      - id: many
        type: multi_choice
        label: {en: Pick any}
        options:
          - {value: x, label: {en: X}}
          - {value: y, label: {en: Y}}
          - {value: z, label: {en: Z}}
      - id: count
        type: number
        label: {en: How many}
`

// recorder is a campaign.Metrics that remembers what it was told.
type recorder struct {
	mu     sync.Mutex
	counts map[string]int // "slug outcome invited"
	events []string
}

func (r *recorder) Submission(slug string, outcome campaign.Outcome, invited bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	key := slug + " " + string(outcome)
	if invited {
		key += " invited"
	}
	if r.counts == nil {
		r.counts = map[string]int{}
	}
	r.counts[key]++
	r.events = append(r.events, key)
}

type trialFixture struct {
	st      *store.Store
	svc     *campaign.Service
	metrics *recorder
	clock   time.Time
}

// newTrial is a service over a database of its own holding the trial
// survey (edits after submitting allowed when edit is true).
func newTrial(t *testing.T, edit bool) *trialFixture {
	t.Helper()
	f := &trialFixture{st: storetest.New(t), metrics: &recorder{}, clock: time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)}
	sv, err := survey.ParseDefinition([]byte(strings.Replace(definition, "EDIT", map[bool]string{true: "true", false: "false"}[edit], 1)), "yaml")
	if err != nil {
		t.Fatal(err)
	}
	if err := f.st.CreateSurvey(context.Background(), sv); err != nil {
		t.Fatal(err)
	}
	f.svc = campaign.New(campaign.Config{
		Surveys: f.st, Responses: f.st, Tokens: f.st, Users: f.st, Sessions: f.st, Passwords: f.st, Audit: f.st,
		Libraries: f.st, Invitations: f.st, MailTemplates: f.st, Publications: f.st, Reports: f.st,
		Metrics: f.metrics, Now: func() time.Time { return f.clock }, SurveyCacheTTL: -1,
	})
	return f
}

// answers decodes raw answers as the API would.
func answers(t *testing.T, text string) map[string]any {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(text))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil {
		t.Fatal(err)
	}
	return m
}

// invite stores an invitation to the trial survey and returns its token.
func (f *trialFixture) invite(t *testing.T, library string) (string, *survey.Invitation) {
	t.Helper()
	token := "tok-" + library + "-0123456789abcdef"
	inv := &survey.Invitation{SurveySlug: "trial", LibraryID: library, Email: library + "@example.org", Language: "en",
		TokenHashes: []string{survey.HashSecret(token)}, CreatedAt: f.clock}
	if err := f.st.CreateInvitation(context.Background(), inv); err != nil {
		t.Fatal(err)
	}
	return token, inv
}

func fieldPaths(err error) []string {
	var out []string
	for _, fe := range survey.ErrorFields(err) {
		if fe.Path != "" {
			out = append(out, fe.Path)
		} else {
			out = append(out, fe.Question)
		}
	}
	return out
}

func TestSubmitAnonymousContract(t *testing.T) {
	f := newTrial(t, false)
	ctx := context.Background()
	in := campaign.Submission{Survey: "trial", SubmissionID: "sub-00000001", Language: "fr", Answers: answers(t, `{"pick": "b", "many": ["z", "x"], "count": 3}`), Source: "api"}

	first, err := f.svc.Submit(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	if !first.Created || first.Outcome != campaign.OutcomeCreated || first.Response.ID == "" {
		t.Fatalf("first: created %v, outcome %q, id %q; want a new response", first.Created, first.Outcome, first.Response.ID)
	}
	stored, err := f.st.FindResponseBySubmission(ctx, "trial", "sub-00000001")
	if err != nil {
		t.Fatal(err)
	}
	// The answers as stored, in the definition's order; the time the clock said.
	if got := stored.Answers.Strings("many"); strings.Join(got, ",") != "x,z" {
		t.Errorf("stored many = %v, want [x z]", got)
	}
	if stored.Language != "fr" || stored.Status != survey.ResponseSubmitted || stored.SubmittedAt == nil || !stored.SubmittedAt.Equal(f.clock) {
		t.Errorf("stored %+v; want fr, submitted at %v", stored, f.clock)
	}

	f.clock = f.clock.Add(time.Hour) // a retry later must still return the first response, times and all
	again, err := f.svc.Submit(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	if again.Created || again.Outcome != campaign.OutcomeDuplicate || again.Response.ID != first.Response.ID || !again.Response.CreatedAt.Equal(first.Response.CreatedAt) {
		t.Errorf("retry: created %v, outcome %q, id %q at %v; want the first response %q at %v", again.Created, again.Outcome, again.Response.ID, again.Response.CreatedAt, first.Response.ID, first.Response.CreatedAt)
	}

	other := in
	other.Answers = answers(t, `{"pick": "a"}`)
	if _, err := f.svc.Submit(ctx, other); survey.ErrorCode(err) != survey.ECONFLICT {
		t.Errorf("same id, other answers: %v, want conflict", err)
	}

	bad := campaign.Submission{Survey: "trial", SubmissionID: "no", Language: "de", Answers: answers(t, `{"pick": "nope"}`)}
	_, err = f.svc.Submit(ctx, bad)
	if got, want := strings.Join(fieldPaths(err), " "), "submission_id language pick"; survey.ErrorCode(err) != survey.EINVALID || got != want {
		t.Errorf("bad submission: %v, fields %q; want invalid with %q", err, got, want)
	}
	if n, _ := f.st.CountResponses(ctx, "trial"); n != 1 {
		t.Errorf("%d responses stored, want 1", n)
	}

	if err := f.st.SetSurveyStatus(ctx, "trial", survey.StatusClosed); err != nil {
		t.Fatal(err)
	}
	in.SubmissionID = "sub-00000002"
	if _, err := f.svc.Submit(ctx, in); survey.ErrorCode(err) != survey.ECLOSED {
		t.Errorf("closed survey: %v, want closed", err)
	}
	if _, err := f.svc.Submit(ctx, campaign.Submission{Survey: "nothing", Answers: map[string]any{}}); survey.ErrorCode(err) != survey.ENOTFOUND {
		t.Errorf("unknown survey: %v, want not found", err)
	}
}

func TestSubmitGeneratesMissingSubmissionID(t *testing.T) {
	f := newTrial(t, false)
	res, err := f.svc.Submit(context.Background(), campaign.Submission{Survey: "trial", Answers: answers(t, `{"pick": "a"}`)})
	if err != nil {
		t.Fatal(err)
	}
	if !campaign.ValidSubmissionID(res.Response.SubmissionID) || res.Response.Language != "en" {
		t.Errorf("submission id %q, language %q; want a generated id and the default language", res.Response.SubmissionID, res.Response.Language)
	}
}

func TestSubmitInvitedDraftsAndEdits(t *testing.T) {
	for _, edit := range []bool{false, true} {
		t.Run(map[bool]string{false: "no edits", true: "edits allowed"}[edit], func(t *testing.T) {
			f := newTrial(t, edit)
			ctx := context.Background()
			token, inv := f.invite(t, "lib1")
			sub := func(text string, draft bool) (*campaign.Submitted, error) {
				// The submission id sent is ignored: the invitation has one response.
				return f.svc.Submit(ctx, campaign.Submission{Survey: "trial", SubmissionID: "whatever-123", Answers: answers(t, text), InvitationToken: token, Draft: draft, Source: "web"})
			}

			// The link opens an empty form: nothing saved, the directory has no such library.
			opened, err := f.svc.Resume(ctx, "trial", token)
			if err != nil || opened.Response != nil || opened.Locked || len(opened.Answers) != 0 {
				t.Fatalf("opening the link: %+v, %v; want an empty form", opened, err)
			}
			if got, _ := f.st.FindInvitation(ctx, inv.ID); got.Status != survey.InvitationOpened || got.OpenedAt == nil || !got.OpenedAt.Equal(f.clock) {
				t.Errorf("invitation after opening the link: %s, opened %v; want opened at %v", got.Status, got.OpenedAt, f.clock)
			}
			// A draft may leave required questions out, and is saved again freely.
			if _, err := sub(`{"many": ["y"]}`, true); err != nil {
				t.Fatal(err)
			}
			if _, err := sub(`{"many": ["y"], "count": 2}`, true); err != nil {
				t.Fatal(err)
			}
			saved, err := f.st.FindResponseBySubmission(ctx, "trial", inv.SubmissionID())
			if err != nil {
				t.Fatal(err)
			}
			if saved.Status != survey.ResponseDraft || saved.SubmittedAt != nil || saved.LibraryID != "lib1" {
				t.Errorf("draft stored as %+v", saved)
			}
			if n, _ := f.st.CountResponses(ctx, "trial"); n != 0 {
				t.Errorf("a draft is counted: %d submitted responses", n)
			}
			resumed, err := f.svc.Resume(ctx, "trial", token)
			if err != nil {
				t.Fatal(err)
			}
			if resumed.Response == nil || resumed.Locked || resumed.Answers.Strings("many")[0] != "y" {
				t.Errorf("resume: %+v; want the draft, open to change", resumed)
			}
			if got, _ := f.st.FindInvitation(ctx, inv.ID); got.Status != survey.InvitationStarted || got.StartedAt == nil {
				t.Errorf("invitation after the draft: %s, started %v; want started", got.Status, got.StartedAt)
			}

			if _, err := sub(`{"many": ["y"]}`, false); survey.ErrorCode(err) != survey.EINVALID {
				t.Errorf("submitting without the required answer: %v, want invalid", err)
			}
			done, err := sub(`{"pick": "a", "many": ["y"]}`, false)
			if err != nil {
				t.Fatal(err)
			}
			if done.Outcome != campaign.OutcomeCreated || done.Response.Status != survey.ResponseSubmitted {
				t.Errorf("first submission: outcome %q, status %q", done.Outcome, done.Response.Status)
			}
			if got, _ := f.st.FindInvitation(ctx, inv.ID); got.Status != survey.InvitationSubmitted || got.SubmittedAt == nil {
				t.Errorf("invitation after submitting: %s", got.Status)
			}
			retry, err := sub(`{"pick": "a", "many": ["y"]}`, false)
			if err != nil || retry.Outcome != campaign.OutcomeDuplicate {
				t.Errorf("the same answers again: %v, %v; want a duplicate", retry, err)
			}
			if _, err := sub(`{"pick": "a"}`, true); survey.ErrorCode(err) != survey.ECONFLICT {
				t.Errorf("a draft over a submitted response: %v, want conflict", err)
			}

			f.clock = f.clock.Add(24 * time.Hour)
			changed, err := sub(`{"pick": "c"}`, false)
			resumed, rerr := f.svc.Resume(ctx, "trial", token)
			if rerr != nil {
				t.Fatal(rerr)
			}
			if !edit {
				if survey.ErrorCode(err) != survey.ECONFLICT || !resumed.Locked {
					t.Errorf("changing a submitted response where edits are not allowed: %v, locked %v; want conflict, locked", err, resumed.Locked)
				}
				return
			}
			if err != nil || changed.Outcome != campaign.OutcomeUpdated {
				t.Fatalf("edit after submit: %v, %v; want updated", changed, err)
			}
			stored, _ := f.st.FindResponseBySubmission(ctx, "trial", inv.SubmissionID())
			if stored.Answers.String("pick") != "c" || !stored.SubmittedAt.Equal(done.Response.SubmittedAt.UTC()) || resumed.Locked {
				t.Errorf("edited response: pick %q submitted %v; want c, first submitted %v", stored.Answers.String("pick"), stored.SubmittedAt, done.Response.SubmittedAt)
			}
		})
	}
}

func TestSubmitRefusesBadInvitations(t *testing.T) {
	f := newTrial(t, false)
	ctx := context.Background()
	_, inv := f.invite(t, "lib1")
	inv.Revoked = true
	revokedToken := "tok-lib1-0123456789abcdef"
	if err := f.st.UpdateInvitation(ctx, inv); err != nil {
		t.Fatal(err)
	}
	for name, token := range map[string]string{"unknown": "tok-nobody-0123456789", "revoked": revokedToken} {
		_, err := f.svc.Submit(ctx, campaign.Submission{Survey: "trial", Answers: answers(t, `{"pick": "z"}`), InvitationToken: token})
		// The link's problem comes first, before the answers'.
		if paths := fieldPaths(err); survey.ErrorCode(err) != survey.EINVALID || len(paths) != 2 || paths[0] != campaign.InvitationTokenField || paths[1] != "pick" {
			t.Errorf("%s token: %v, fields %v; want invalid with invitation_token then pick", name, err, paths)
		}
		if _, err := f.svc.Resume(ctx, "trial", token); survey.ErrorCode(err) != survey.ENOTFOUND {
			t.Errorf("%s token resumed: %v, want not found", name, err)
		}
	}
	if _, err := f.svc.Submit(ctx, campaign.Submission{Survey: "trial", Answers: answers(t, `{"pick": "a"}`), Draft: true}); survey.ErrorCode(err) != survey.EINVALID {
		t.Errorf("an anonymous draft: %v, want invalid", err)
	}
}

// TestMetricsCountInvitedAndAnonymousAlike runs the same sequence of
// attempts anonymously and through an invitation, and expects the same
// outcomes counted for each, in the same order, with drafts left out.
func TestMetricsCountInvitedAndAnonymousAlike(t *testing.T) {
	f := newTrial(t, false)
	ctx := context.Background()
	token, _ := f.invite(t, "lib1")
	steps := []struct {
		answers string
		draft   bool
	}{
		{`{"pick": "nope"}`, false}, // invalid
		{`{"many": ["x"]}`, true},   // a draft: not counted (anonymous: refused, not counted either)
		{`{"pick": "a"}`, false},    // created
		{`{"pick": "a"}`, false},    // duplicate
		{`{"pick": "b"}`, false},    // conflict
	}
	for _, invited := range []bool{false, true} {
		for _, step := range steps {
			in := campaign.Submission{Survey: "trial", SubmissionID: "anon-0000001", Answers: answers(t, step.answers), Draft: step.draft}
			if invited {
				in.InvitationToken = token
			}
			_, _ = f.svc.Submit(ctx, in)
		}
	}
	if err := f.st.SetSurveyStatus(ctx, "trial", survey.StatusClosed); err != nil {
		t.Fatal(err)
	}
	_, _ = f.svc.Submit(ctx, campaign.Submission{Survey: "trial", Answers: answers(t, `{"pick": "a"}`)})
	_, _ = f.svc.Submit(ctx, campaign.Submission{Survey: "trial", Answers: answers(t, `{"pick": "a"}`), InvitationToken: token})

	want := []string{
		"trial invalid", "trial created", "trial duplicate", "trial conflict",
		"trial invalid invited", "trial created invited", "trial duplicate invited", "trial conflict invited",
		"trial closed", "trial closed invited",
	}
	if got := strings.Join(f.metrics.events, "; "); got != strings.Join(want, "; ") {
		t.Errorf("counted\n  %s\nwant\n  %s", got, strings.Join(want, "; "))
	}
}
