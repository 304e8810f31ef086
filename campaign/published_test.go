package campaign_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/metlib/canvass/disclosure"
	"github.com/metlib/canvass/survey"
)

// tally is the counts the test knows it stored, by key ("total",
// "region europe", "type city_system"; every region and every type it
// stored, zeros included).
type tally map[string]int

// shownCounts reads the published counts the same way: the number, or
// -1 when withheld.
func shownCounts(c *disclosure.Counts) map[string]int {
	got := map[string]int{}
	add := func(key string, n *int) {
		got[key] = -1
		if n != nil {
			got[key] = *n
		}
	}
	add("total", c.Total.N)
	for _, x := range c.ByRegion {
		add("region "+x.Key, x.N)
	}
	for _, x := range c.ByType {
		add("type "+x.Key, x.N)
	}
	return got
}

// marginsGiveAway is the reader of the counts alone: the regions and the
// types each add up to the total, a withheld count is at least 1 (zeros
// are published), and it returns every withheld count the reader can work
// out exactly or prove below k. For two margins sharing a total this is
// exact: with the total known (shown, or the sum of a margin shown whole),
// m withheld cells of a margin share what the shown ones leave, S, so each
// lies in [1, S−(m−1)] (exactly S when m = 1); with the total unknown,
// none has an upper bound.
func marginsGiveAway(shown map[string]int, truth tally, k int) []string {
	margins := map[string][]string{}
	for key := range shown {
		if margin, _, ok := strings.Cut(key, " "); ok {
			margins[margin] = append(margins[margin], key)
		}
	}
	total, known := shown["total"], shown["total"] >= 0
	for _, keys := range margins {
		sum, whole := 0, true
		for _, key := range keys {
			if shown[key] < 0 {
				whole = false
			} else {
				sum += shown[key]
			}
		}
		if whole && !known {
			total, known = sum, true
		}
	}
	if !known {
		return nil // every withheld count, the total too, has no upper bound
	}
	var out []string
	if shown["total"] < 0 {
		out = append(out, fmt.Sprintf("total = %d", total))
	}
	for _, keys := range margins {
		left, hidden := total, []string{}
		for _, key := range keys {
			if shown[key] < 0 {
				hidden = append(hidden, key)
			} else {
				left -= shown[key]
			}
		}
		for _, key := range hidden {
			hi := left - (len(hidden) - 1)
			if len(hidden) == 1 || (truth[key] < k && hi < k) {
				out = append(out, fmt.Sprintf("%s ≤ %d (is %d)", key, hi, truth[key]))
			}
		}
	}
	return out
}

// TestPublishedCounts recomputes the public counts from the responses the
// test stored, as counts.json publishes them (campaign.PublishedCounts):
// every shown count is the true one, every count from 1 to k−1 withheld,
// every zero shown, the number of countries only beside the total and
// every region, drafts
// never counted; the counts move only when k responses have arrived; they
// are the Counts of Published, one disclosure for every public output;
// and the reader who adds up the margins works out no withheld count,
// where the old per-cell rule (withhold 1 to k−1, nothing else) gives one
// away on the same figures.
func TestPublishedCounts(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	sv, _ := f.st.FindSurvey(ctx, "landscape")
	k := sv.SmallCellK()
	truth := tally{"total": 0}
	for _, r := range survey.Regions {
		truth["region "+string(r)] = 0
	}
	add := func(prefix, country string, region survey.Region, orgType string, n int, status survey.ResponseStatus) {
		for i := range n {
			r := &survey.Response{SurveySlug: "landscape", SurveyVersion: 1, SubmissionID: fmt.Sprintf("%s-%d", prefix, i), Status: status,
				Country: country, Region: region, Answers: survey.Answers{"org_type": orgType}, CreatedAt: f.clock}
			if _, _, err := f.svc.Responses().CreateResponse(ctx, r); err != nil {
				t.Fatal(err)
			}
		}
		if status == survey.ResponseSubmitted {
			truth["total"] += n
			truth["region "+string(region)] += n
			truth["type "+orgType] += n
		}
	}
	check := func(c *disclosure.Counts, wantCountries int) {
		t.Helper()
		shown := shownCounts(c)
		if len(shown) != len(truth) {
			t.Errorf("published %v, want the keys of %v", shown, truth)
		}
		for key, n := range truth {
			got, ok := shown[key]
			switch {
			case !ok:
				t.Errorf("%s not published", key)
			case n > 0 && n < k && got >= 0:
				t.Errorf("%s: %d shown, below k = %d", key, got, k)
			case n == 0 && got != 0:
				t.Errorf("%s: %d, want the zero shown", key, got)
			case got >= 0 && got != n:
				t.Errorf("%s: %d shown, is %d", key, got, n)
			}
		}
		// The number of countries only beside the total and every region
		// (beside a withheld region it would narrow it).
		all := c.Total.N != nil
		for _, r := range c.ByRegion {
			all = all && r.N != nil
		}
		if (c.Countries != nil) != all || (c.Countries != nil && *c.Countries != wantCountries) {
			t.Errorf("countries %v with total %v, want %d beside the total and every region, and only then", c.Countries, c.Total.N, wantCountries)
		}
		if c.K != k {
			t.Errorf("K %d, want %d", c.K, k)
		}
		if away := marginsGiveAway(shown, truth, k); len(away) > 0 {
			t.Errorf("published %v; adding up the margins gives away %v", shown, away)
		}
	}

	add("fr", "FR", survey.Europe, "city_system", 2, survey.ResponseSubmitted)
	add("ca", "CA", survey.NorthAmerica, "regional_system", 1, survey.ResponseSubmitted)
	first, err := f.svc.PublishedCounts(ctx, sv)
	if err != nil {
		t.Fatal(err)
	}
	check(first.Counts, 2)
	if first.Counts.Total.N != nil {
		t.Errorf("3 responses: total %d shown, want withheld", *first.Counts.Total.N)
	}

	// The public figures move in steps of k (differencing): k−1 more
	// submitted responses (and drafts, which never count) leave them as
	// they were, past the count's reuse too; the k-th retakes them.
	add("de", "DE", survey.Europe, "city_system", k-1, survey.ResponseSubmitted)
	add("draft", "DE", survey.Europe, "city_system", 3, survey.ResponseDraft)
	f.clock = f.clock.Add(time.Minute)
	if again, err := f.svc.PublishedCounts(ctx, sv); err != nil || again.Counts != first.Counts || !again.At.Equal(first.At) {
		t.Errorf("%d new responses (k = %d) changed the counts: %+v, %v", k-1, k, again, err)
	}
	old := truth["total"] - (k - 1)
	add("ca2", "CA", survey.NorthAmerica, "regional_system", 1, survey.ResponseSubmitted)
	f.clock = f.clock.Add(time.Minute)
	now, err := f.svc.PublishedCounts(ctx, sv)
	if err != nil {
		t.Fatal(err)
	}
	if now.Counts == first.Counts || !now.At.Equal(f.clock) {
		t.Fatalf("the k-th response did not retake the counts (taken %v, now %v)", now.At, f.clock)
	}
	if truth["total"] != old+k {
		t.Fatalf("the test stored %d, want %d", truth["total"], old+k)
	}
	check(now.Counts, 3)
	// 8 responses: europe 6 and city 6 beside north america 2 and regional
	// 2; with every other region at 0, the total alone would give the 2s.
	primaryOnly := shownCounts(now.Counts)
	for key, n := range truth {
		primaryOnly[key] = n
		if n > 0 && n < k {
			primaryOnly[key] = -1
		}
	}
	if away := marginsGiveAway(primaryOnly, truth, k); len(away) == 0 {
		t.Errorf("the old per-cell rule gives nothing away on %v: the test proves nothing", truth)
	}

	// k more from North America: no count is small, nothing is withheld,
	// and the number of countries is shown.
	add("ca3", "CA", survey.NorthAmerica, "regional_system", k, survey.ResponseSubmitted)
	f.clock = f.clock.Add(time.Minute)
	large, err := f.svc.PublishedCounts(ctx, sv)
	if err != nil {
		t.Fatal(err)
	}
	check(large.Counts, 3)
	for key, n := range shownCounts(large.Counts) {
		if n < 0 {
			t.Errorf("%s withheld, yet no count is under k: %v", key, truth)
		}
	}

	// One disclosure for every public output: the counts are those of
	// Published, the report's tables beside them.
	pub, err := f.svc.Published(ctx, sv, sv.DefaultLanguage)
	if err != nil {
		t.Fatal(err)
	}
	if pub.Counts != large.Counts {
		t.Errorf("PublishedCounts and Published disclose apart")
	}
	if pub.Report != nil {
		t.Errorf("results not published, yet Published carries the report")
	}

	hidden := *sv
	hidden.Settings.PublicCounts = false
	if _, err := f.svc.PublishedCounts(ctx, &hidden); survey.ErrorCode(err) != survey.ENOTFOUND {
		t.Errorf("counts of a survey without public counts: %v, want ENOTFOUND", err)
	}
	if _, err := f.svc.Published(ctx, &hidden, "en"); survey.ErrorCode(err) != survey.ENOTFOUND {
		t.Errorf("Published of a survey with neither counts nor results public: %v, want ENOTFOUND", err)
	}
}
