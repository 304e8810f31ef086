package campaign_test

import (
	"context"
	"fmt"
	"slices"
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

// TestRefreshIsDisclosedAgainstTheSnapshotBefore: an admin's refresh can
// retake the public figures one response after the last snapshot (the
// k-step rule is for submissions). Each snapshot alone withholds the one
// new library's region; the reader who kept the first one subtracts:
// Europe and North America were 4 and 4, Asia-Oceania 0; now 9 in all,
// Europe 4, so North America + Asia-Oceania = 5 with North America at
// least 4: Asia-Oceania is at most 1, the new library's region. The
// second snapshot is disclosed against the first (PublishAfter), so
// that reader, enumerating every region count both publications allow
// (counts only grow), still cannot rule out k or more in Asia-Oceania.
// The first publication is kept in the stored snapshot: a restarted
// service (or another instance) discloses the same.
func TestRefreshIsDisclosedAgainstTheSnapshotBefore(t *testing.T) {
	st, sv := stepsStore(t)
	ctx := context.Background()
	clock := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	newService := func() *campaign.Service {
		return campaign.New(campaign.Config{Surveys: st, Responses: st, Audit: st, Libraries: st, Publications: st, Now: func() time.Time { return clock }})
	}
	svc := newService()
	n := 0
	submit := func(country, region string, satisfied int) {
		t.Helper()
		answers := map[string]any{"country": country, "region": region, "satisfied": fmt.Sprint(satisfied)}
		if _, err := svc.Submit(ctx, campaign.Submission{Survey: sv.Slug, SubmissionID: fmt.Sprintf("after-%04d", n), Language: "en", Answers: answers, Source: "web"}); err != nil {
			t.Fatal(err)
		}
		n++
	}
	// Satisfaction 3 everywhere: its table is region's again, nothing to
	// protect there that the regions do not already.
	for range 4 {
		submit("FR", "europe", 3)
		submit("CA", "north_america", 3)
	}
	adm := survey.WithActor(ctx, survey.Actor{Name: "admin@example.org", Role: survey.RoleAdmin})
	if _, err := svc.PublishResults(adm, sv.Slug, true); err != nil {
		t.Fatal(err)
	}
	first, err := svc.Published(ctx, sv, "en")
	if err != nil {
		t.Fatal(err)
	}
	if got := regionsShown(t, first); got != (regionCounts{[3]int{4, 4, 0}, 8}) {
		t.Fatalf("first snapshot shows %+v, want every region and the total (4, 4, 0 of 8)", got)
	}
	submit("JP", "asia_oceania", 3)
	clock = clock.Add(time.Minute)
	if _, err := svc.RefreshPublicFigures(adm, sv.Slug); err != nil {
		t.Fatal(err)
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
		// Every (before, after) the two publications allow, counts up to
		// 20: the shown ones as shown, the sums as published, none falling.
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
						ok = a+b+c >= was.total
					}
					if ok {
						possible[c] = true
					}
				}
			}
		}
		if !possible[k] {
			t.Errorf("reading both publications (before %+v, after %+v), Asia-Oceania can only be %v: fewer than k = %d, given away", was, now, keysOf(possible), k)
		}
	}
}

func keysOf(m map[int]bool) []int {
	var out []int
	for v := range m {
		out = append(out, v)
	}
	slices.Sort(out)
	return out
}
