package campaign

import (
	"context"
	"time"

	"github.com/metlib/canvass/disclosure"
	"github.com/metlib/canvass/survey"
)

// Published returns what the public side of a survey shows, disclosed: the
// report of its public snapshot in lang (a language the survey does not
// have: its default language) and the snapshot's counts, through ONE
// disclosure.Publish over both, so that every public output (the results
// page and its embeds, counts.json, the badge, the widget, the iframe, the
// default white paper's cells where they meet) hides the same cells and
// none can be worked out from what another shows. The report is computed
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

// published is the snapshot of sv through disclosure.Publish in lang, made
// once per snapshot and language (the snapshot is immutable: its pointer
// says which one it is), and when the snapshot was taken.
func (s *Service) published(ctx context.Context, sv *survey.Survey, lang string) (*disclosure.Published, time.Time, error) {
	snap, err := s.Snapshot(ctx, sv, lang)
	if err != nil {
		return nil, time.Time{}, err
	}
	rules := disclosure.RulesOf(sv)
	key := publishedKey{slug: sv.Slug, lang: snap.Report.Language}
	if e, ok := s.disclosed.Load(key); ok {
		if e := e.(*publishedEntry); e.seq == snap.Seq && e.rules == rules {
			return e.pub, snap.At, nil
		}
	}
	// Publishing is pure and deterministic, so two requests that race here
	// make the same figures; the later one's copy simply replaces the other.
	pub := disclosure.Publish(snap.Report, snap.Tallies, rules)
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
