package campaign

import (
	"context"
	"sort"
	"time"

	"github.com/metlib/canvass/analysis"
	"github.com/metlib/canvass/survey"
)

// countsTTL is how often an instance counts a survey's responses against
// its public snapshot (see currentSnapshot): a retake another instance made,
// or k responses arriving, shows within this time.
const countsTTL = 10 * time.Second

// Count is one published count: N, or, under the survey's small-cell
// threshold, nil with FewerThan set to the threshold.
type Count struct {
	Key       string
	N         *int
	FewerThan int
}

// Counts is what the section webpage may publish about a survey's
// submitted responses, canvass demo's left out (counts.json, the badge, the
// iframe): the total, the number of countries, and counts by IFLA region
// and by library type, each under the small-cell rule (analysis.SmallCell),
// from the survey's public snapshot. It is shared between requests:
// callers must not modify it.
type Counts struct {
	Survey string
	Total  Count
	// Countries is nil when the total is suppressed: a handful of
	// respondents from two countries would be too easy to tell apart.
	Countries *int
	// ByRegion has every IFLA region in survey.Regions order, then
	// "unknown" when some responses have no region.
	ByRegion []Count
	// ByType has the library types seen, sorted by key ("unknown" for a
	// response whose type is not known).
	ByType []Count
	// Threshold is the survey's k.
	Threshold int
	// At is when the public snapshot they come from was taken.
	At time.Time
}

// PublicCounts returns a survey's public counts: the tallies of its public
// snapshot under the small-cell rule. The same snapshot gives the same
// *Counts, so callers may cache what they render from it by pointer.
// Anyone may ask; a survey whose counts are not public is ENOTFOUND, as an
// unknown one. The result is shared: do not modify it.
func (s *Service) PublicCounts(ctx context.Context, sv *survey.Survey) (*Counts, error) {
	if !sv.Settings.PublicCounts {
		return nil, survey.KeyedErrorf(survey.ENOTFOUND, "no_survey", "There is no survey %q.", sv.Slug)
	}
	snap, err := s.currentSnapshot(ctx, sv, false)
	if err != nil {
		return nil, err
	}
	k := sv.SmallCellK()
	if c := snap.counts.Load(); c != nil && c.Threshold == k {
		return c, nil
	}
	c := countsOf(sv.Slug, &snap.figures.Tallies, k, snap.meta.TakenAt)
	snap.counts.Store(c)
	return c, nil
}

// PublicTallies returns the raw tallies of a survey's public snapshot, for
// the disclosure rules to publish. Anyone may ask; a survey whose counts
// are not public is ENOTFOUND, as an unknown one. The result is shared: do
// not modify it.
func (s *Service) PublicTallies(ctx context.Context, sv *survey.Survey) (*Tallies, error) {
	if !sv.Settings.PublicCounts {
		return nil, survey.KeyedErrorf(survey.ENOTFOUND, "no_survey", "There is no survey %q.", sv.Slug)
	}
	snap, err := s.currentSnapshot(ctx, sv, false)
	if err != nil {
		return nil, err
	}
	return &snap.figures.Tallies, nil
}

// countsOf applies the small-cell rule to tallies.
func countsOf(slug string, t *Tallies, k int, at time.Time) *Counts {
	c := &Counts{Survey: slug, Total: suppress("total", t.Total, k), Threshold: k, At: at, ByRegion: []Count{}, ByType: []Count{}}
	if c.Total.N != nil {
		n := t.Countries
		c.Countries = &n
	}
	for _, r := range t.ByRegion {
		c.ByRegion = append(c.ByRegion, suppress(r.Key, r.N, k))
	}
	for _, x := range t.ByType {
		c.ByType = append(c.ByType, suppress(x.Key, x.N, k))
	}
	return c
}

// suppress applies the small-cell rule to one count.
func suppress(key string, n, k int) Count {
	if _, small := analysis.SmallCell(n, k); small {
		return Count{Key: key, FewerThan: k}
	}
	return Count{Key: key, N: &n}
}

// sortedKeys returns a map's keys in order, for output that must not
// change from one run to the next.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
