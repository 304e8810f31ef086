package campaign

import (
	"context"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"github.com/metlib/canvass/analysis"
	"github.com/metlib/canvass/survey"
)

// countsTTL is how long public counts are reused: a response stored
// through another instance shows within this time; one stored through the
// Service's store, at once.
const countsTTL = 10 * time.Second

// Count is one published count: N, or, under the survey's small-cell
// threshold, nil with FewerThan set to the threshold.
type Count struct {
	Key       string
	N         *int
	FewerThan int
}

// Counts is what the section webpage may publish about a survey's
// submitted responses, canvass demo's left out (counts.json, the badge, the iframe): the total, the
// number of countries, and counts by IFLA region and by library type, each
// under the small-cell rule (analysis.SmallCell). It is shared between
// requests: callers must not modify it.
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
	// At is when the counts were taken.
	At time.Time
}

type countsSnapshot struct {
	generation Generation
	counts     *Counts
}

type countsEntry struct {
	mu       sync.Mutex // held while recomputing
	snapshot atomic.Pointer[countsSnapshot]
}

// countsCache holds a countsEntry per survey slug.
type countsCache struct {
	entries sync.Map // slug → *countsEntry
}

func (cc *countsCache) entry(slug string) *countsEntry {
	if e, ok := cc.entries.Load(slug); ok {
		return e.(*countsEntry)
	}
	e, _ := cc.entries.LoadOrStore(slug, &countsEntry{})
	return e.(*countsEntry)
}

// PublicCounts returns a survey's public counts, computed at most once per
// countsTTL (or write through the Service's store) however many requests
// ask at once: the hot path loads a pointer. Anyone may ask; a survey whose
// counts are not public is ENOTFOUND, as an unknown one. The result is
// shared: do not modify it.
func (s *Service) PublicCounts(ctx context.Context, sv *survey.Survey) (*Counts, error) {
	if !sv.Settings.PublicCounts {
		return nil, survey.Errorf(survey.ENOTFOUND, "There is no survey %q.", sv.Slug)
	}
	e := s.counts.entry(sv.Slug)
	generation := s.responses.Generation(sv.Slug)
	fresh := func(snap *countsSnapshot) bool {
		return snap != nil && snap.generation == generation && s.now().Sub(snap.counts.At) < countsTTL && snap.counts.Threshold == sv.SmallCellK()
	}
	if snap := e.snapshot.Load(); fresh(snap) {
		return snap.counts, nil
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if snap := e.snapshot.Load(); fresh(snap) {
		return snap.counts, nil // another request recomputed them meanwhile
	}
	c, err := s.tally(ctx, sv)
	if err != nil {
		return nil, err
	}
	e.snapshot.Store(&countsSnapshot{generation: generation, counts: c})
	return c, nil
}

// tally counts the submitted responses (never canvass demo's) by region, library type (the
// directory's, for an invited library; else the org_type answer) and
// country, and applies the small-cell rule. The unsuppressed tallies never
// leave this function.
func (s *Service) tally(ctx context.Context, sv *survey.Survey) (*Counts, error) {
	at := s.now()
	libs, _, err := s.cfg.Libraries.ListLibraries(ctx, survey.LibraryFilter{})
	if err != nil {
		return nil, err
	}
	typeOf := map[string]survey.LibraryType{}
	for _, l := range libs {
		typeOf[l.ID] = l.Type
	}
	total := 0
	countries := map[string]bool{}
	byRegion := map[survey.Region]int{}
	byType := map[survey.LibraryType]int{}
	for r, err := range s.cfg.Responses.StreamResponses(ctx, survey.ResponseFilter{SurveySlug: sv.Slug, Status: survey.ResponseSubmitted, ExcludeDemo: true}) {
		if err != nil {
			return nil, err
		}
		total++
		if r.Country != "" {
			countries[r.Country] = true
		}
		region := r.Region
		if region == "" {
			region = "unknown"
		}
		byRegion[region]++
		t := typeOf[r.LibraryID]
		if t == "" {
			t = survey.LibraryType(r.Answers.String("org_type"))
		}
		if survey.LibraryTypeLabels[t] == nil {
			t = "unknown"
		}
		byType[t]++
	}
	k := sv.SmallCellK()
	c := &Counts{Survey: sv.Slug, Total: suppress("total", total, k), Threshold: k, At: at, ByRegion: []Count{}, ByType: []Count{}}
	if c.Total.N != nil {
		n := len(countries)
		c.Countries = &n
	}
	for _, r := range survey.Regions {
		c.ByRegion = append(c.ByRegion, suppress(string(r), byRegion[r], k))
	}
	if n := byRegion["unknown"]; n > 0 {
		c.ByRegion = append(c.ByRegion, suppress("unknown", n, k))
	}
	types := make([]string, 0, len(byType))
	for t := range byType {
		types = append(types, string(t))
	}
	sort.Strings(types)
	for _, t := range types {
		c.ByType = append(c.ByType, suppress(t, byType[survey.LibraryType(t)], k))
	}
	return c, nil
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
