package campaign

import (
	"context"
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
// the snapshot before it) in lang, made once per snapshot and language (the
// snapshot is immutable: its Seq says which one it is), and when the
// snapshot was taken. A visitor waits at most s.patience for a new
// snapshot's disclosure when this instance holds the one before's: past
// that, it is served the publication before (readers have it already, so
// showing it longer tells nothing new) while the disclosure goes on in the
// background, and the next visitor after it finishes gets the new one.
func (s *Service) published(ctx context.Context, sv *survey.Survey, lang string) (*disclosure.Published, time.Time, error) {
	return s.publishedWithin(ctx, sv, lang, s.patience)
}

// publishedWithin is published, waiting at most patience for a new
// snapshot's disclosure (negative: for as long as it takes; the admin's
// actions do, so that what they return is what the public sees).
func (s *Service) publishedWithin(ctx context.Context, sv *survey.Survey, lang string, patience time.Duration) (*disclosure.Published, time.Time, error) {
	e, _, err := s.publishedEntry(ctx, sv, lang, patience)
	if err != nil {
		return nil, time.Time{}, err
	}
	return e.pub, e.at, nil
}

// publishedEntry is publishedWithin with the current snapshot: the entry
// is that snapshot's disclosure unless the patience ran out.
func (s *Service) publishedEntry(ctx context.Context, sv *survey.Survey, lang string, patience time.Duration) (*publishedEntry, *Snapshot, error) {
	snap, err := s.Snapshot(ctx, sv, lang)
	if err != nil {
		return nil, nil, err
	}
	rules := disclosure.RulesOf(sv)
	key := publishedKey{slug: sv.Slug, lang: snap.Report.Language}
	var deadline <-chan time.Time
	if patience >= 0 {
		timer := time.NewTimer(patience)
		defer timer.Stop()
		deadline = timer.C
	}
	for {
		held, _ := s.disclosed.Load(key)
		e, _ := held.(*publishedEntry)
		if e != nil && e.seq == snap.Seq && e.rules == rules {
			return e, snap, nil
		}
		// Disclosing a snapshot takes seconds; against the snapshot before,
		// up to minutes for the largest built-in survey (Protect's LPs): one job
		// at a time per survey does it, and requests arriving meanwhile
		// wait for it rather than each doing it again on every core.
		job := s.discloseJob(sv, snap, key, rules)
		wait := deadline
		if e == nil || e.rules != rules || e.seq > snap.Seq {
			wait = nil // nothing of this survey published before under these rules: wait
		}
		select {
		case <-job.done:
		case <-wait:
			return e, snap, nil
		case <-ctx.Done():
			return nil, nil, ctx.Err()
		}
	}
}

type publishedKey struct{ slug, lang string }

// publishedEntry is one disclosed snapshot in one language.
type publishedEntry struct {
	seq   int64 // the snapshot's Seq
	at    time.Time
	rules disclosure.Rules
	pub   *disclosure.Published
}

// discloseJob is one disclosure of a survey's snapshot in one language,
// running in the background; done is closed when it is held in
// Service.disclosed.
type discloseJob struct {
	done chan struct{}
}

// discloseJob returns the survey's running disclosure job, or starts one
// for snap in key's language when none runs. Callers loop: the job they
// joined may have been another snapshot's or language's, and the other
// languages then find the suppression in disclosure's cache.
func (s *Service) discloseJob(sv *survey.Survey, snap *Snapshot, key publishedKey, rules disclosure.Rules) *discloseJob {
	s.jobsMu.Lock()
	defer s.jobsMu.Unlock()
	if j := s.jobs[sv.Slug]; j != nil {
		select {
		case <-j.done:
		default:
			return j
		}
	}
	j := &discloseJob{done: make(chan struct{})}
	if s.jobs == nil {
		s.jobs = map[string]*discloseJob{}
	}
	s.jobs[sv.Slug] = j
	gate := s.gate
	go func() {
		defer close(j.done)
		if gate != nil {
			<-gate
		}
		start := time.Now()
		recalled := s.recall(sv.Slug, snap.Seq)
		pub := disclose(snap.Previous, snap.Report, snap.Tallies, rules)
		if !recalled && pub.Memo() != nil {
			// Kept beside the snapshot: a restart or another instance
			// recalls it instead of working it out again (minutes, for the
			// largest built-in survey while most of its cells are small).
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			err := s.cfg.Publications.SavePublicDisclosure(ctx, sv.Slug, snap.Seq, pub.Memo())
			cancel()
			if err != nil && survey.ErrorCode(err) != survey.ECONFLICT {
				s.log.Warn("the disclosure of the public figures was not kept", "survey", sv.Slug, "seq", snap.Seq, "error", err)
			}
		}
		s.jobsMu.Lock()
		// A visitor that read an older snapshot before a retake may start
		// its job after the newer one's: the newer publication stays.
		held, _ := s.disclosed.Load(key)
		if e, _ := held.(*publishedEntry); e == nil || e.seq <= snap.Seq {
			s.disclosed.Store(key, &publishedEntry{seq: snap.Seq, at: snap.At, rules: rules, pub: pub})
		}
		s.jobsMu.Unlock()
		if pub.Stats.Cells > 0 {
			s.log.Info("public figures disclosed", "survey", sv.Slug, "language", key.lang, "taken_at", snap.At,
				"cells", pub.Stats.Cells, "primary", pub.Stats.Primary, "secondary", pub.Stats.Secondary,
				"against_previous", snap.Previous != nil, "recalled", recalled, "took", time.Since(start).Round(time.Millisecond))
		}
	}()
	return j
}

// disclose is the one disclosure of a snapshot's figures, used for the
// public outputs and for what the next snapshot records of it: against the
// snapshot before (disclosure.PublishAfter) when there is one, however far
// apart the two are (k new responses mix one library's answers with k−1
// others' but do not hide the small cells beside them: a reader of both
// could bound a region of 1 or 2 by subtracting), else alone
// (disclosure.Publish).
func disclose(prev *disclosure.Previous, rep *analysis.ReportResult, t *disclosure.Tallies, rules disclosure.Rules) *disclosure.Published {
	return disclosure.PublishAfter(prev, rep, t, rules)
}

// shownFigures reports whether readers have the survey's public figures:
// a snapshot has been taken, and its results are published or its counts
// public. Only then is another publication (the next snapshot after a
// start, the default white paper) disclosed against it.
func (s *Service) shownFigures(ctx context.Context, sv *survey.Survey) (bool, error) {
	if _, err := s.cfg.Publications.FindPublicSnapshot(ctx, sv.Slug, nil); survey.ErrorCode(err) == survey.ENOTFOUND {
		return false, nil
	} else if err != nil {
		return false, err
	}
	if sv.Settings.PublicCounts {
		return true, nil
	}
	at, err := s.cfg.Publications.ResultsPublished(ctx, sv.Slug)
	return at != nil, err
}

// recall gives disclosure's cache the suppression kept for snapshot seq
// of the survey, if one is (SavePublicDisclosure), and reports whether.
func (s *Service) recall(slug string, seq int64) bool {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var memo disclosure.Memo
	err := s.cfg.Publications.FindPublicDisclosure(ctx, slug, seq, &memo)
	if err != nil {
		if survey.ErrorCode(err) != survey.ENOTFOUND {
			s.log.Warn("the kept disclosure of the public figures was not read", "survey", slug, "seq", seq, "error", err)
		}
		return false
	}
	disclosure.Recall(&memo)
	return true
}

// WarmPublicFigures discloses, one survey at a time, the current public
// snapshot of every survey that has one and whose counts or results are
// public, so that after a start the first visitors are not the ones who
// wait for it (against the snapshot before, up to minutes for the
// largest built-in survey). A survey without a snapshot yet is left to its
// first visitor or publication. It returns when done, or ctx's error once
// it ends; a survey it cannot read is logged and skipped.
func (s *Service) WarmPublicFigures(ctx context.Context) error {
	all, err := s.cfg.Surveys.ListSurveyHeaders(ctx)
	if err != nil {
		return err
	}
	warmed := 0
	for _, h := range all {
		if err := ctx.Err(); err != nil {
			return err
		}
		sv, err := s.cfg.Surveys.FindSurvey(ctx, h.Slug)
		var shown bool
		if err == nil {
			shown, err = s.shownFigures(ctx, sv)
		}
		if err == nil && shown {
			_, _, err = s.publishedWithin(ctx, sv, sv.DefaultLanguage, -1)
			warmed++
		}
		if err != nil && ctx.Err() == nil {
			s.log.Warn("public figures not warmed", "survey", h.Slug, "error", err)
		}
	}
	s.log.Info("public figures warmed", "surveys", warmed)
	return ctx.Err()
}
