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
)

// publicFigures is everything the public side is computed from, as bytes:
// the snapshot's report in each language and its raw tallies, and the
// counts as published.
func publicFigures(t *testing.T, svc *campaign.Service, sv *survey.Survey) string {
	t.Helper()
	var b strings.Builder
	for _, lang := range sv.Languages {
		snap, err := svc.Snapshot(context.Background(), sv, lang)
		if err != nil {
			t.Fatal(err)
		}
		js, err := json.Marshal([]any{snap.Report, snap.Tallies})
		if err != nil {
			t.Fatal(err)
		}
		b.Write(js)
		b.WriteByte('\n')
	}
	counts, err := svc.PublishedCounts(context.Background(), sv)
	if err != nil {
		t.Fatal(err)
	}
	js, _ := json.Marshal(counts)
	b.Write(js)
	return b.String()
}

// storedSeq is the sequence number of the survey's stored snapshot.
func storedSeq(t *testing.T, st *store.Store, slug string) int64 {
	t.Helper()
	meta, err := st.FindPublicSnapshot(context.Background(), slug, nil)
	if err != nil {
		t.Fatal(err)
	}
	return meta.Seq
}

// totalOf is how many responses the public figures cover.
func totalOf(t *testing.T, svc *campaign.Service, sv *survey.Survey) int {
	t.Helper()
	snap, err := svc.Snapshot(context.Background(), sv, sv.DefaultLanguage)
	if err != nil {
		t.Fatal(err)
	}
	return snap.Tallies.Total
}

// TestPublicFiguresMoveInStepsOfK is the differencing rule: after a
// snapshot, k−1 new responses change nothing public (the same bytes), the
// k-th retakes it; a restart serves the stored snapshot without taking
// another; deleting fewer than k changes nothing, deleting k does; a new
// definition version retakes it at once. The landscape survey: the
// impact-methods one takes minutes to disclose against the snapshot
// before at a dozen responses, most of its cells small.
func TestPublicFiguresMoveInStepsOfK(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	f.seed(t, "landscape", 12, 1)
	if _, err := f.svc.PublishResults(survey.WithActor(ctx, survey.Actor{Name: "admin@example.org", Role: survey.RoleAdmin}), "landscape", true); err != nil {
		t.Fatal(err)
	}
	sv, _ := f.st.FindSurvey(ctx, "landscape")
	k := sv.SmallCellK()
	before := publicFigures(t, f.svc, sv)
	if n := totalOf(t, f.svc, sv); n != 12 {
		t.Fatalf("snapshot at publication covers %d responses, want 12", n)
	}

	// The analyst's report has the free texts; the public snapshot none.
	full, _, err := f.svc.Report(survey.WithActor(ctx, survey.Actor{Name: "ana", Role: survey.RoleAnalyst}), "landscape", campaign.Query{})
	if err != nil {
		t.Fatal(err)
	}
	texts := 0
	for _, tb := range full.Tables {
		texts += len(tb.Question.Texts) + len(tb.Question.OtherTexts)
	}
	if texts == 0 {
		t.Fatal("the demo responses have no free text: the test would prove nothing")
	}
	if strings.Contains(before, `"texts"`) || strings.Contains(before, `"other_texts"`) || strings.Contains(before, `"terms"`) {
		t.Errorf("the public snapshot keeps free texts")
	}

	more := f.seed(t, "landscape", k-1, 2)
	f.clock = f.clock.Add(time.Minute) // past any count's reuse
	if got := publicFigures(t, f.svc, sv); got != before {
		t.Errorf("k−1 = %d new responses changed the public figures:\nbefore %.300s\nafter  %.300s", k-1, before, got)
	}
	if seq := storedSeq(t, f.st, "landscape"); seq != 1 {
		t.Errorf("after k−1 new responses the snapshot is #%d, want still #1", seq)
	}

	last := f.seed(t, "landscape", 1, 3)[0]
	f.clock = f.clock.Add(time.Minute)
	after := publicFigures(t, f.svc, sv)
	if after == before || totalOf(t, f.svc, sv) != 12+k {
		t.Errorf("the k-th response did not retake the figures: total %d, want %d", totalOf(t, f.svc, sv), 12+k)
	}

	// A restart (a new Service on the same database) serves the same
	// snapshot, byte for byte, and does not take another.
	restarted := campaign.New(campaign.Config{Surveys: f.st, Responses: f.st, Audit: f.st, Libraries: f.st, Publications: f.st, Reports: f.st, Now: func() time.Time { return f.clock }, DisclosePatience: -1})
	if got := publicFigures(t, restarted, sv); got != after {
		t.Errorf("after a restart the figures differ:\nbefore %.300s\nafter  %.300s", after, got)
	}
	if seq := storedSeq(t, f.st, "landscape"); seq != 2 {
		t.Errorf("snapshot #%d after the restart, want #2 (no retake)", seq)
	}

	// Deleting k−1 responses changes nothing; the k-th deletion retakes.
	for _, r := range more[:k-1] {
		got, err := f.st.FindResponseBySubmission(ctx, "landscape", r.SubmissionID)
		if err != nil {
			t.Fatal(err)
		}
		if err := f.st.DeleteResponse(ctx, got.ID); err != nil {
			t.Fatal(err)
		}
	}
	f.clock = f.clock.Add(time.Minute)
	if got := publicFigures(t, restarted, sv); got != after {
		t.Errorf("deleting k−1 responses changed the public figures")
	}
	got, _ := f.st.FindResponseBySubmission(ctx, "landscape", last.SubmissionID)
	if err := f.st.DeleteResponse(ctx, got.ID); err != nil {
		t.Fatal(err)
	}
	f.clock = f.clock.Add(time.Minute)
	if n := totalOf(t, restarted, sv); n != 12 {
		t.Errorf("after k deletions the public total is %d, want 12", n)
	}
	if seq := storedSeq(t, f.st, "landscape"); seq != 3 {
		t.Errorf("snapshot #%d after k deletions, want #3", seq)
	}

	// A new definition version retakes at once, with no new response.
	next := *sv
	if err := f.st.UpdateSurvey(ctx, &next); err != nil {
		t.Fatal(err)
	}
	f.clock = f.clock.Add(time.Second) // within the count's reuse: the version alone decides
	if _, err := restarted.PublishedCounts(ctx, &next); err != nil {
		t.Fatal(err)
	}
	meta, err := f.st.FindPublicSnapshot(ctx, "landscape", nil)
	if err != nil || meta.Seq != 4 || meta.Version != next.Version || meta.Responses != 12 {
		t.Errorf("after version %d: stored %+v, %v; want snapshot #4 of version %d over 12 responses", next.Version, meta, err, next.Version)
	}
}

// TestPublicFiguresEditsWaitForTheNextRetake: an edit of a submitted
// response changes no count, so the public figures keep the old answer
// until k new responses retake them.
func TestPublicFiguresEditsWaitForTheNextRetake(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	rs := f.seed(t, "landscape", 6, 1)
	sv, _ := f.st.FindSurvey(ctx, "landscape")
	if _, err := f.svc.PublishResults(survey.WithActor(ctx, survey.Actor{Name: "admin@example.org", Role: survey.RoleAdmin}), "landscape", true); err != nil {
		t.Fatal(err)
	}
	before := publicFigures(t, f.svc, sv)
	r, err := f.st.FindResponseBySubmission(ctx, "landscape", rs[0].SubmissionID)
	if err != nil {
		t.Fatal(err)
	}
	r.Region = survey.Regions[0]
	if r.Region == rs[0].Region {
		r.Region = survey.Regions[1]
	}
	if err := f.st.ReplaceResponse(ctx, r); err != nil {
		t.Fatal(err)
	}
	f.clock = f.clock.Add(time.Minute)
	if got := publicFigures(t, f.svc, sv); got != before {
		t.Errorf("an edit showed before the next retake")
	}
}

// slowSaves holds every snapshot write until two have arrived (or a
// second has passed), so two retakes surely race for the same slot.
type slowSaves struct {
	survey.PublicationStore
	mu      sync.Mutex
	arrived int
	both    chan struct{}
}

func (s *slowSaves) SavePublicSnapshot(ctx context.Context, snap *survey.PublicSnapshot, prev int64) error {
	s.mu.Lock()
	s.arrived++
	both := s.both
	if s.arrived == 2 {
		close(both)
	}
	s.mu.Unlock()
	select {
	case <-both:
	case <-time.After(time.Second):
	}
	return s.PublicationStore.SavePublicSnapshot(ctx, snap, prev)
}

// TestConcurrentRetakesStoreOne: two instances retaking the same survey's
// figures at once store one snapshot, and both serve it.
func TestConcurrentRetakesStoreOne(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	f.seed(t, "landscape", 3, 1)
	sv, _ := f.st.FindSurvey(ctx, "landscape")
	slow := &slowSaves{PublicationStore: f.st, both: make(chan struct{})}
	instance := func() *campaign.Service {
		return campaign.New(campaign.Config{Surveys: f.st, Responses: f.st, Audit: f.st, Libraries: f.st, Publications: slow, Now: func() time.Time { return f.clock }})
	}
	a, b := instance(), instance()
	// Both hold the first snapshot (a takes it, b reads it).
	if totalOf(t, a, sv) != 3 || totalOf(t, b, sv) != 3 {
		t.Fatal("first snapshot")
	}
	slow.mu.Lock()
	slow.arrived, slow.both = 0, make(chan struct{})
	slow.mu.Unlock()
	f.seed(t, "landscape", sv.SmallCellK(), 2)
	f.clock = f.clock.Add(time.Minute)
	got := make([]*campaign.PublishedCounts, 2)
	var wg sync.WaitGroup
	for i, svc := range []*campaign.Service{a, b} {
		wg.Go(func() {
			c, err := svc.PublishedCounts(ctx, sv)
			if err != nil {
				t.Error(err)
			}
			got[i] = c
		})
	}
	wg.Wait()
	if t.Failed() {
		return
	}
	if slow.arrived != 2 {
		t.Errorf("%d retakes tried to store, want 2 racing (the test would not race)", slow.arrived)
	}
	if seq := storedSeq(t, f.st, "landscape"); seq != 2 {
		t.Errorf("stored snapshot #%d, want #2: one retake stored", seq)
	}
	ja, _ := json.Marshal(got[0])
	jb, _ := json.Marshal(got[1])
	// Whether the total shows is the disclosure's to say: the first
	// snapshot withheld its 3 (under k), and 8 shown now, k after it, would
	// prove that one under k.
	if string(ja) != string(jb) || got[0].Counts.Total.N != nil && *got[0].Counts.Total.N != 3+sv.SmallCellK() {
		t.Errorf("the two instances serve\n%s\n%s\nwant the same counts, total %d or withheld", ja, jb, 3+sv.SmallCellK())
	}
	for _, svc := range []*campaign.Service{a, b} {
		if snap, err := svc.Snapshot(ctx, sv, "en"); err != nil || snap.Seq != 2 || snap.Responses != 3+sv.SmallCellK() {
			t.Errorf("an instance holds %+v (%v), want snapshot #2 over %d responses", snap, err, 3+sv.SmallCellK())
		}
	}
}

// TestRefreshPublicFigures: admins only, audited, and it retakes the
// figures whatever the count.
func TestRefreshPublicFigures(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	f.seed(t, "landscape", 4, 1)
	sv, _ := f.st.FindSurvey(ctx, "landscape")
	if n := totalOf(t, f.svc, sv); n != 4 {
		t.Fatalf("first snapshot over %d, want 4", n)
	}
	f.seed(t, "landscape", 1, 2)
	if _, err := f.svc.RefreshPublicFigures(f.ctx, "landscape"); survey.ErrorCode(err) != survey.EFORBIDDEN {
		t.Errorf("an analyst refreshes: %v, want EFORBIDDEN", err)
	}
	info, err := f.svc.PublicFiguresOf(f.ctx, "landscape")
	if err != nil || !info.Taken || info.Responses != 4 || info.Now != 5 || info.Pending != sv.SmallCellK()-1 {
		t.Errorf("before the refresh: %+v, %v; want taken over 4, 5 now, %d pending", info, err, sv.SmallCellK()-1)
	}
	adm := survey.WithActor(ctx, survey.Actor{Name: "admin@example.org", Role: survey.RoleAdmin})
	pf, err := f.svc.RefreshPublicFigures(adm, "landscape")
	if err != nil || pf.Responses != 5 || !pf.At.Equal(f.clock) {
		t.Fatalf("refresh: %+v, %v; want 5 responses, taken %v", pf, err, f.clock)
	}
	if n := totalOf(t, f.svc, sv); n != 5 {
		t.Errorf("after the refresh the public total is %d, want 5", n)
	}
	entries, _, err := f.st.ListAudit(ctx, survey.AuditFilter{Action: "results.refresh"})
	if err != nil || len(entries) != 1 || entries[0].Actor != "admin@example.org" || entries[0].Target != "survey:landscape" || entries[0].Details != "5 responses (were 4)" {
		t.Errorf("audit: %+v, %v; want one entry by admin@example.org on survey:landscape, \"5 responses (were 4)\"", entries, err)
	}
	for lang, want := range map[string]string{"fr": "fr", "es": "es", "de": "en"} {
		snap, err := f.svc.Snapshot(ctx, sv, lang)
		if err != nil {
			t.Fatal(err)
		}
		if snap.Seq != 2 || snap.Responses != 5 || snap.Tallies.Total != 5 || snap.Report.Responses != 5 || snap.Report.Language != want || !snap.At.Equal(f.clock) {
			t.Errorf("snapshot in %s: #%d over %d, tallies %d, report over %d in %q, at %v; want #2 over 5 in %q at %v",
				lang, snap.Seq, snap.Responses, snap.Tallies.Total, snap.Report.Responses, snap.Report.Language, snap.At, want, f.clock)
		}
	}
	if _, err := f.svc.RefreshPublicFigures(adm, "nothing"); survey.ErrorCode(err) != survey.ENOTFOUND {
		t.Errorf("unknown survey: %v", err)
	}
}
