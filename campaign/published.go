package campaign

import (
	"context"
	"sync"
	"time"

	"github.com/metlib/canvass/analysis"
	"github.com/metlib/canvass/disclosure"
	"github.com/metlib/canvass/survey"
)

// Published returns what the public side of a survey shows, disclosed: the
// report of its public snapshot in lang (a language the survey does not
// have: its default language) and the snapshot's counts, through ONE
// disclosure.Publish over both, so that every public output (the results
// page and its embeds, counts.json, the badge, the widget, the iframe, the
// default white paper's cells where they meet) hides the same cells and
// none can be worked out from what another shows, nor from the snapshot
// before (PublishAfter). The report is computed
// over the snapshot whether or not the results are published, so that
// publishing them changes no count already shown.
//
// The result carries the report only when the results are published and
// the counts only when the survey's counts are public; a survey with
// neither is ENOTFOUND, as an unknown one. It is made once per snapshot and
// language, and shared: do not modify it.
func (s *Service) Published(ctx context.Context, sv *survey.Survey, lang string) (*disclosure.Published, error) {
	at, err := s.cfg.Publications.ResultsPublished(ctx, sv.Slug)
	if err != nil {
		return nil, err
	}
	if at == nil && !sv.Settings.PublicCounts {
		return nil, survey.Errorf(survey.ENOTFOUND, "There is no survey %q.", sv.Slug)
	}
	pub, _, err := s.published(ctx, sv, lang)
	if err != nil {
		return nil, err
	}
	out := *pub
	if at == nil {
		out.Report = nil
	}
	if !sv.Settings.PublicCounts {
		out.Counts = nil
	}
	return &out, nil
}

// PublishedCounts are a survey's public counts, disclosed (the Counts of
// Published), with when the snapshot they come from was taken.
type PublishedCounts struct {
	Counts *disclosure.Counts
	At     time.Time
}

// PublishedCounts returns the counts counts.json, the badge, the widget and
// the iframe publish: those of Published, the same pointer for the same
// snapshot, so callers may cache what they render from it by pointer.
// Anyone may ask; a survey whose counts are not public is ENOTFOUND, as an
// unknown one.
func (s *Service) PublishedCounts(ctx context.Context, sv *survey.Survey) (*PublishedCounts, error) {
	if !sv.Settings.PublicCounts {
		return nil, survey.Errorf(survey.ENOTFOUND, "There is no survey %q.", sv.Slug)
	}
	pub, at, err := s.published(ctx, sv, sv.DefaultLanguage)
	if err != nil {
		return nil, err
	}
	return &PublishedCounts{Counts: pub.Counts, At: at}, nil
}

// published is the snapshot of sv through disclosure.PublishAfter (against
// the snapshot before it) in lang, made
// once per snapshot and language (the snapshot is immutable: its pointer
// says which one it is), and when the snapshot was taken.
func (s *Service) published(ctx context.Context, sv *survey.Survey, lang string) (*disclosure.Published, time.Time, error) {
	snap, err := s.Snapshot(ctx, sv, lang)
	if err != nil {
		return nil, time.Time{}, err
	}
	rules := disclosure.RulesOf(sv)
	key := publishedKey{slug: sv.Slug, lang: snap.Report.Language}
	cached := func() *disclosure.Published {
		if e, ok := s.disclosed.Load(key); ok {
			if e := e.(*publishedEntry); e.seq == snap.Seq && e.rules == rules {
				return e.pub
			}
		}
		return nil
	}
	if pub := cached(); pub != nil {
		return pub, snap.At, nil
	}
	// Disclosing a snapshot takes seconds (Protect's LPs, against the
	// snapshot before): the requests arriving meanwhile wait for the one
	// doing it rather than each doing it again, on every core at once.
	// Other languages find the suppression in disclosure's cache.
	mu, _ := s.disclosing.LoadOrStore(sv.Slug, &sync.Mutex{})
	mu.(*sync.Mutex).Lock()
	defer mu.(*sync.Mutex).Unlock()
	if pub := cached(); pub != nil {
		return pub, snap.At, nil
	}
	pub := disclose(snap.Previous, snap.Report, snap.Tallies, rules)
	s.disclosed.Store(key, &publishedEntry{seq: snap.Seq, rules: rules, pub: pub})
	if pub.Stats.Cells > 0 {
		s.log.Info("public figures disclosed", "survey", sv.Slug, "language", key.lang, "taken_at", snap.At,
			"cells", pub.Stats.Cells, "primary", pub.Stats.Primary, "secondary", pub.Stats.Secondary)
	}
	return pub, snap.At, nil
}

type publishedKey struct{ slug, lang string }

// publishedEntry is one disclosed snapshot in one language.
type publishedEntry struct {
	seq   int64 // the snapshot's Seq
	rules disclosure.Rules
	pub   *disclosure.Published
}

// disclose is the one disclosure of a snapshot's figures, used for the
// public outputs and for what the next snapshot records of it: against
// the snapshot before (disclosure.PublishAfter) when fewer than k
// responses separate the two — an admin's refresh, a publication or a new
// version, where subtracting the two is most telling — else alone
// (disclosure.Publish). Measured on the built-in surveys (docs/embed.md,
// "Two snapshots together"), publishing after the snapshot before took 10
// to 75 s instead of 1 to 5 and withheld the total every time, too slow
// and too costly for every retake k apart.
func disclose(prev *disclosure.Previous, rep *analysis.ReportResult, t *disclosure.Tallies, rules disclosure.Rules) *disclosure.Published {
	if prev == nil || prev.Report == nil || rep == nil {
		return disclosure.Publish(rep, t, rules)
	}
	if moved := rep.Responses - prev.Report.Responses; moved >= rules.K || -moved >= rules.K {
		return disclosure.Publish(rep, t, rules)
	}
	return disclosure.PublishAfter(prev, rep, t, rules)
}
