package campaign_test

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/metlib/canvass/campaign"
	"github.com/metlib/canvass/disclosure"
	"github.com/metlib/canvass/survey"
)

// regionCounts is what one publication shows of the three regions of the
// steps survey, the total and the one library type ("unknown": the survey
// asks none), from counts.json's figures and the report's region table
// (the same libraries, counted twice): -1 where withheld in both.
type regionCounts struct {
	region [3]int
	total  int
}

func regionsShown(t *testing.T, pub *disclosure.Published) regionCounts {
	t.Helper()
	keys := []string{"europe", "north_america", "asia_oceania"}
	out := regionCounts{region: [3]int{-1, -1, -1}, total: -1}
	for _, c := range pub.Counts.ByRegion {
		if i := slices.Index(keys, c.Key); i >= 0 && c.N != nil {
			out.region[i] = *c.N
		}
	}
	if n := pub.Counts.Total.N; n != nil {
		out.total = *n
	}
	for _, c := range pub.Counts.ByType {
		if c.N != nil {
			out.total = *c.N // every library is of type "unknown"
		}
	}
	for _, tr := range pub.Report.Tables {
		if tr.Question == nil || tr.Question.ID != "region" {
			continue
		}
		if !tr.Question.AnsweredSuppressed {
			out.total = tr.Question.Answered // a required question: every response
		}
		for _, o := range tr.Question.Options {
			if i := slices.Index(keys, o.Value); i >= 0 && !o.Suppressed {
				out.region[i] = o.Count
			}
		}
	}
	return out
}

// TestRetakesAreDisclosedAgainstTheSnapshotBefore: each snapshot alone
// withholds the new libraries' small region; the reader who kept the
// first one subtracts. First Europe and North America 4 and 4,
// Asia-Oceania 0, all shown.
//
//   - An admin's refresh one response later (the k-step rule is for
//     submissions): now 9 in all, Europe 4, so North America +
//     Asia-Oceania = 5 with North America at least 4: Asia-Oceania ≤ 1.
//   - A retake by the rule, k = 3 responses later, one in each region:
//     alone, Europe 5 shown beside the total 11 leaves North America +
//     Asia-Oceania = 6 with North America at least 4: Asia-Oceania ≤ 2,
//     fewer than k. Steps of k mix a library's answers with k−1 others'
//     but leave the small cells beside them open to subtraction.
//
// The second snapshot is disclosed against the first (PublishAfter), so
// that reader, enumerating every region count both publications allow
// (counts only grow), still cannot rule out k or more in Asia-Oceania.
// The first publication is kept in the stored snapshot: a restarted
// service (or another instance) discloses the same.
func TestRetakesAreDisclosedAgainstTheSnapshotBefore(t *testing.T) {
	type newcomer struct{ country, region string }
	for _, tc := range []struct {
		name      string
		newcomers []newcomer
		refresh   bool // the admin's; else a visitor's request after the counts' reuse
	}{
		{"a refresh one response later", []newcomer{{"JP", "asia_oceania"}}, true},
		{"a retake k responses later", []newcomer{{"JP", "asia_oceania"}, {"FR", "europe"}, {"CA", "north_america"}}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st, sv := stepsStore(t)
			ctx := context.Background()
			clock := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
			newService := func() *campaign.Service {
				return campaign.New(campaign.Config{Surveys: st, Responses: st, Audit: st, Libraries: st, Publications: st, Reports: st, Now: func() time.Time { return clock },
					DisclosePatience: -1}) // what the public sees once disclosed
			}
			svc := newService()
			r := &stepsResponses{t: t, svc: svc, sv: sv, prefix: "after"}
			r.publishEight()
			adm := stepsAdmin
			first, err := svc.Published(ctx, sv, "en")
			if err != nil {
				t.Fatal(err)
			}
			if got := regionsShown(t, first); got != (regionCounts{[3]int{4, 4, 0}, 8}) {
				t.Fatalf("first snapshot shows %+v, want every region and the total (4, 4, 0 of 8)", got)
			}
			for _, c := range tc.newcomers {
				r.submit(c.country, c.region)
			}
			clock = clock.Add(time.Minute)
			if tc.refresh {
				if _, err := svc.RefreshPublicFigures(adm, sv.Slug); err != nil {
					t.Fatal(err)
				}
			}
			k := sv.SmallCellK()
			for _, reader := range []*campaign.Service{svc, newService()} {
				snap, err := reader.Snapshot(ctx, sv, "fr")
				if err != nil {
					t.Fatal(err)
				}
				if snap.Seq != 2 || snap.Previous == nil || snap.Previous.Report.Responses != 8 || snap.Previous.Tallies.Total != 8 || !slices.Equal(snap.Previous.Protecting, first.Protecting) {
					t.Fatalf("snapshot #%d keeps as the one before it %+v, want #1's 8 responses and the cells its protection rests on %v", snap.Seq, snap.Previous, first.Protecting)
				}
				second, err := reader.Published(ctx, sv, "en")
				if err != nil {
					t.Fatal(err)
				}
				was, now := regionsShown(t, first), regionsShown(t, second)
				if now.region[2] >= 0 {
					t.Fatalf("the second snapshot shows Asia-Oceania's one library: %+v", now)
				}
				possible := asiaOceaniaCanHold(was, now, len(tc.newcomers))
				if !possible[k] {
					t.Errorf("reading both publications (before %+v, after %+v), Asia-Oceania can only be %v: fewer than k = %d, given away", was, now, keysOf(possible), k)
				}
			}
		})
	}
}

// asiaOceaniaCanHold is every count of Asia-Oceania a reader of two
// publications of the steps survey cannot rule out: every (before, after)
// both allow, counts up to 20, the shown ones as shown, the sums as
// published, none falling, and at least atLeast more in all.
func asiaOceaniaCanHold(was, now regionCounts, atLeast int) map[int]bool {
	possible := map[int]bool{}
	for a := range 21 {
		for b := range 21 {
			for c := range 21 {
				after := [3]int{a, b, c}
				ok := now.total < 0 || a+b+c == now.total
				for i := range 3 {
					ok = ok && (now.region[i] < 0 || after[i] == now.region[i]) && after[i] >= was.region[i]
				}
				if ok && now.total < 0 && was.total >= 0 {
					ok = a+b+c >= was.total+atLeast
				}
				if ok {
					possible[c] = true
				}
			}
		}
	}
	return possible
}

func keysOf(m map[int]bool) []int {
	var out []int
	for v := range m {
		out = append(out, v)
	}
	slices.Sort(out)
	return out
}

// TestVisitorsAreServedThePublicationBeforeWhileDisclosing: disclosing a
// snapshot against the one before takes up to minutes on the largest
// built-in survey. While it runs (held here), a visitor waits at most the
// service's patience and is served the publication before it, in each
// language this instance served it in, with when that one was taken:
// figures readers have already, so nothing new. Once the disclosure is
// done, the next visitor gets the new snapshot's.
func TestVisitorsAreServedThePublicationBeforeWhileDisclosing(t *testing.T) {
	st, sv := stepsStore(t)
	ctx := context.Background()
	clock := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	var logs lockedBuffer
	svc := campaign.New(campaign.Config{Surveys: st, Responses: st, Audit: st, Libraries: st, Publications: st, Reports: st, Now: func() time.Time { return clock },
		DisclosePatience: 20 * time.Millisecond, Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	r := &stepsResponses{t: t, svc: svc, sv: sv, prefix: "held"}
	r.publishEight()
	firstAt, err := svc.PublishedCounts(ctx, sv)
	if err != nil {
		t.Fatal(err)
	}
	first := map[string]*disclosure.Published{}
	for _, lang := range []string{"en", "fr"} {
		if first[lang], err = svc.Published(ctx, sv, lang); err != nil {
			t.Fatal(err)
		}
	}

	gate := make(chan struct{})
	campaign.HoldDisclosures(svc, gate)
	for _, c := range [][2]string{{"JP", "asia_oceania"}, {"FR", "europe"}, {"CA", "north_america"}} {
		r.submit(c[0], c[1])
	}
	clock = clock.Add(time.Minute)
	served := make(chan error, 1)
	go func() {
		served <- func() error {
			for _, lang := range []string{"en", "fr"} {
				pub, err := svc.Published(ctx, sv, lang)
				if err != nil {
					return err
				}
				if pub.Counts != first[lang].Counts || pub.Report.Title != first[lang].Report.Title {
					return fmt.Errorf("%s: served %+v while the new snapshot is disclosed, want the publication before, %+v", lang, regionsShown(t, pub), regionsShown(t, first[lang]))
				}
			}
			counts, err := svc.PublishedCounts(ctx, sv)
			if err != nil {
				return err
			}
			if !counts.At.Equal(firstAt.At) || counts.Counts != firstAt.Counts {
				return fmt.Errorf("counts taken at %v served while disclosing, want the ones before, taken at %v", counts.At, firstAt.At)
			}
			return nil
		}()
	}()
	select {
	case err := <-served:
		if err != nil {
			t.Error(err)
		}
	case <-time.After(time.Minute):
		close(gate)
		t.Fatal("a visitor waited for the disclosure of the new snapshot instead of being served the one before")
	}
	if snap, err := svc.Snapshot(ctx, sv, "en"); err != nil || snap.Seq != 2 || snap.Responses != 11 {
		t.Fatalf("the figures were not retaken meanwhile: %+v, %v", snap, err)
	}

	close(gate)
	deadline := time.Now().Add(time.Minute)
	for {
		pub, err := svc.Published(ctx, sv, "en")
		if err != nil {
			t.Fatal(err)
		}
		if pub.Counts != first["en"].Counts {
			if got := regionsShown(t, pub); got.region[2] >= 0 {
				t.Errorf("the new snapshot shows Asia-Oceania's one library: %+v", got)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the new snapshot was still not served a minute after its disclosure was let go")
		}
		time.Sleep(10 * time.Millisecond)
	}
	counts, err := svc.PublishedCounts(ctx, sv)
	if err != nil || !counts.At.Equal(clock) {
		t.Errorf("the counts served after the disclosure were taken at %v (%v), want the retake at %v", counts.At, err, clock)
	}
	if !strings.Contains(logs.String(), "against_previous=true") {
		t.Errorf("no disclosure against the snapshot before was logged:\n%s", logs.String())
	}
}

// TestStartWarmsThePublicFigures: after a restart, WarmPublicFigures
// discloses each stored snapshot of a survey with public figures, from
// the suppression kept beside it (no Protect run), so the first visitor
// is served without a disclosure of its own; a survey that
// has no snapshot yet gets none from it (its first visitor or publication
// takes one).
func TestStartWarmsThePublicFigures(t *testing.T) {
	st, sv := stepsStore(t)
	ctx := context.Background()
	other, err := survey.ParseDefinition([]byte(strings.Replace(stepsDefinition, "slug: steps", "slug: steps-unvisited", 1)), "yaml")
	if err != nil {
		t.Fatal(err)
	}
	if other.Slug != "steps-unvisited" {
		t.Fatalf("the second survey is %q", other.Slug)
	}
	if err := st.CreateSurvey(ctx, other); err != nil {
		t.Fatal(err)
	}
	before := campaign.New(campaign.Config{Surveys: st, Responses: st, Audit: st, Libraries: st, Publications: st, Reports: st})
	for i := range 6 {
		answers := map[string]any{"country": "FR", "region": "europe", "satisfied": "3"}
		if _, err := before.Submit(ctx, campaign.Submission{Survey: sv.Slug, SubmissionID: fmt.Sprintf("warm-%04d", i), Language: "en", Answers: answers, Source: "web"}); err != nil {
			t.Fatal(err)
		}
	}
	adm := survey.WithActor(ctx, survey.Actor{Name: "admin@example.org", Role: survey.RoleAdmin})
	if _, err := before.PublishResults(adm, sv.Slug, true); err != nil {
		t.Fatal(err)
	}

	var logs lockedBuffer
	restarted := campaign.New(campaign.Config{Surveys: st, Responses: st, Audit: st, Libraries: st, Publications: st, Reports: st, Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	if err := restarted.WarmPublicFigures(ctx); err != nil {
		t.Fatal(err)
	}
	if got := strings.Count(logs.String(), "public figures disclosed"); got != 1 {
		t.Fatalf("warming disclosed %d snapshots, want the one stored:\n%s", got, logs.String())
	}
	if !strings.Contains(logs.String(), "recalled=true") {
		t.Errorf("the restarted service worked the disclosure out again instead of recalling the one kept with the snapshot:\n%s", logs.String())
	}
	if _, err := restarted.Published(ctx, sv, sv.DefaultLanguage); err != nil {
		t.Fatal(err)
	}
	if got := strings.Count(logs.String(), "public figures disclosed"); got != 1 {
		t.Errorf("the first visitor after warming disclosed again:\n%s", logs.String())
	}
	if _, err := st.FindPublicSnapshot(ctx, other.Slug, nil); survey.ErrorCode(err) != survey.ENOTFOUND {
		t.Errorf("warming took a snapshot of a survey nobody visited: %v", err)
	}
}

// TestRetakeOverTheSameResponsesPublishesTheSame: publishing the results,
// or an admin's refresh, with no response changed since the snapshot
// retakes it over the same figures; it is disclosed as the one before was,
// so every public output is the same, byte for byte — not, against the
// snapshot before with its protected cells kept withheld, a page that
// suddenly withholds counts readers have had all along.
func TestRetakeOverTheSameResponsesPublishesTheSame(t *testing.T) {
	st, sv := stepsStore(t)
	ctx := context.Background()
	clock := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	svc := campaign.New(campaign.Config{Surveys: st, Responses: st, Audit: st, Libraries: st, Publications: st, Reports: st, Now: func() time.Time { return clock }, DisclosePatience: -1})
	r := &stepsResponses{t: t, svc: svc, sv: sv, prefix: "same"}
	r.submit("JP", "asia_oceania")
	r.submit("JP", "asia_oceania") // 2, under k = 3: withheld, with what protects it
	r.publishEight()
	adm := stepsAdmin
	outputs := func() string {
		t.Helper()
		var b strings.Builder
		for _, lang := range []string{"en", "fr"} {
			pub, err := svc.Published(ctx, sv, lang)
			if err != nil {
				t.Fatal(err)
			}
			js, _ := json.Marshal(struct {
				R any
				C any
			}{pub.Report, pub.Counts})
			b.Write(js)
		}
		return b.String()
	}
	first := outputs()
	if got := regionsShown(t, mustPublished(t, svc, sv)); got.region[2] >= 0 {
		t.Fatalf("Asia-Oceania's 2 shown: %+v", got)
	}
	for i := range 2 {
		clock = clock.Add(time.Minute)
		var err error
		if i == 0 {
			_, err = svc.RefreshPublicFigures(adm, sv.Slug)
		} else {
			_, err = svc.PublishResults(adm, sv.Slug, true) // again
		}
		if err != nil {
			t.Fatal(err)
		}
		if snap, err := svc.Snapshot(ctx, sv, "en"); err != nil || snap.Seq != int64(i+2) {
			t.Fatalf("snapshot %+v (%v), want #%d: the figures were not retaken", snap, err, i+2)
		}
		if got := outputs(); got != first {
			t.Errorf("retake %d over the same responses changed the public outputs:\nbefore %.600s\nafter  %.600s", i+1, first, got)
		}
	}
}

func mustPublished(t *testing.T, svc *campaign.Service, sv *survey.Survey) *disclosure.Published {
	t.Helper()
	pub, err := svc.Published(context.Background(), sv, "en")
	if err != nil {
		t.Fatal(err)
	}
	return pub
}

// stepsResponses submits steps responses through svc: a library in
// country and region, satisfied 3 everywhere (its table is region's again,
// nothing to protect there that the regions do not already).
type stepsResponses struct {
	t      *testing.T
	svc    *campaign.Service
	sv     *survey.Survey
	prefix string
	n      int
}

func (r *stepsResponses) submit(country, region string) {
	r.t.Helper()
	answers := map[string]any{"country": country, "region": region, "satisfied": "3"}
	if _, err := r.svc.Submit(context.Background(), campaign.Submission{Survey: r.sv.Slug, SubmissionID: fmt.Sprintf("%s-%04d", r.prefix, r.n), Language: "en", Answers: answers, Source: "web"}); err != nil {
		r.t.Fatal(err)
	}
	r.n++
}

// publishEight submits 4 libraries in Europe and 4 in North America and
// publishes the results (as an admin): a first snapshot with nothing
// small, every region and the total shown.
func (r *stepsResponses) publishEight() {
	r.t.Helper()
	for range 4 {
		r.submit("FR", "europe")
		r.submit("CA", "north_america")
	}
	if _, err := r.svc.PublishResults(stepsAdmin, r.sv.Slug, true); err != nil {
		r.t.Fatal(err)
	}
}

var stepsAdmin = survey.WithActor(context.Background(), survey.Actor{Name: "admin@example.org", Role: survey.RoleAdmin})
