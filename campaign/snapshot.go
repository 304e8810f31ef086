package campaign

import (
	"context"
	"fmt"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"github.com/metlib/canvass/analysis"
	"github.com/metlib/canvass/disclosure"
	"github.com/metlib/canvass/survey"
)

// The public snapshot. Every public output (the results page and its
// embeds, counts.json, the badge, the widget, the iframe) is computed from
// one set of unmasked figures per survey, taken over every submitted
// response but canvass demo's and stored, so that it survives restarts and
// every instance serves the same. It is taken again only when the number
// of those responses has moved by at least k (the survey's SmallCellK)
// since, either way, when the definition changes version, when results are
// (re)published, or when an admin asks (audited). Figures that moved with
// every submission would give each respondent's answers away to whoever
// compares two snapshots taken before and after (differencing); moving in
// steps of at least k mixes any one response with k−1 others. An edit of a
// submitted response changes no count, so it shows only at the next
// retake, among at least k new responses.

// Tallies are a survey's raw public counts, before any disclosure rule:
// what counts.json, the badge and the iframe publish (disclosure.Publish
// masks them). ByRegion has every IFLA region in survey.Regions order, then
// "unknown" when some responses have no region; ByType the library types
// seen, sorted by key ("unknown" for a response whose type is not known).
type Tallies = disclosure.Tallies

// KeyCount is one tally: a region or library type and its count.
type KeyCount = disclosure.KeyCount

// publicFigures is what a snapshot stores: the report in each of the
// survey's languages (free texts and single libraries' values removed:
// they are never published) and the tallies, all over the same responses.
type publicFigures struct {
	Reports map[string]*analysis.ReportResult
	Tallies Tallies
	// Previous is the snapshot before this one as readers saw it (nil for
	// the first, and in snapshots stored before it was kept): this one is
	// disclosed against it (disclosure.PublishAfter), so that nothing
	// withheld can be worked out by comparing the two.
	Previous *previousFigures `bson:",omitempty"`
}

// previousFigures is the previous snapshot's figures in its default
// language (the cells are the same in every language) and the keys of
// the cells its publication's protection rests on
// (disclosure.Published.Protecting: the next keeps them withheld).
type previousFigures struct {
	Report     *analysis.ReportResult
	Tallies    Tallies
	Protecting []string
	Witnesses  []disclosure.Witness `bson:",omitempty"`
}

// previous is the disclosure.Previous of the snapshot taken after fig.
func (fig *publicFigures) previous() *disclosure.Previous {
	if fig == nil || fig.Previous == nil {
		return nil
	}
	return &disclosure.Previous{Report: fig.Previous.Report, Tallies: &fig.Previous.Tallies, Protecting: fig.Previous.Protecting, Witnesses: fig.Previous.Witnesses}
}

// snapshot is a survey's public snapshot in memory, shared by requests:
// never modified once made.
type snapshot struct {
	meta    survey.PublicSnapshot // Figures unset
	figures *publicFigures
}

// report is the snapshot's report in lang, else in the survey's default
// language; a snapshot taken over a definition of other languages (this
// instance's copy of the survey is older) gives any it has: computing one
// now would publish newer figures than the rest.
func (snap *snapshot) report(sv *survey.Survey, lang string) (*analysis.ReportResult, error) {
	if rep := snap.figures.Reports[lang]; rep != nil {
		return rep, nil
	}
	if rep := snap.figures.Reports[sv.DefaultLanguage]; rep != nil {
		return rep, nil
	}
	if langs := sortedKeys(snap.figures.Reports); len(langs) > 0 {
		return snap.figures.Reports[langs[0]], nil
	}
	return nil, survey.Errorf(survey.EINTERNAL, "The public snapshot of %s holds no report.", sv.Slug)
}

// Snapshot is one public snapshot of a survey, as the public outputs use
// it: the report in one language and the tallies, both from the same
// snapshot. Everything in it is shared: do not modify it.
type Snapshot struct {
	// Seq identifies the snapshot: anything computed from Report and
	// Tallies stays valid while Seq is the same (a retake makes a new one).
	Seq int64
	// At is when it was taken, over Responses submitted responses
	// (canvass demo's left out), with definition Version.
	At        time.Time
	Responses int
	Version   int
	Report    *analysis.ReportResult
	Tallies   *Tallies
	// Previous is the snapshot before it as published (nil for the first):
	// what Published discloses it against.
	Previous *disclosure.Previous
}

// Snapshot returns the survey's current public snapshot with its report
// in lang (a language it does not have: the default language's). It checks
// no visibility, and its figures are unmasked: the public outputs get
// them only through Published, which discloses them and publishes only
// what the survey makes public (ResultsPublished for the report,
// Settings.PublicCounts for the tallies).
func (s *Service) Snapshot(ctx context.Context, sv *survey.Survey, lang string) (*Snapshot, error) {
	snap, err := s.currentSnapshot(ctx, sv, false)
	if err != nil {
		return nil, err
	}
	rep, err := snap.report(sv, lang)
	if err != nil {
		return nil, err
	}
	return &Snapshot{Seq: snap.meta.Seq, At: snap.meta.TakenAt, Responses: snap.meta.Responses, Version: snap.meta.Version,
		Report: rep, Tallies: &snap.figures.Tallies, Previous: snap.figures.previous()}, nil
}

// snapshotState is what an instance knows of a survey's snapshot: the
// snapshot, and when the number of responses was last counted against it.
type snapshotState struct {
	snap    *snapshot
	checked time.Time
}

type snapshotEntry struct {
	mu    sync.Mutex // held while checking and retaking: one at a time per survey
	state atomic.Pointer[snapshotState]
}

// snapshotCache holds a snapshotEntry per survey slug (surveys that exist:
// callers found them first), so its memory is bounded by the number of
// surveys and their languages.
type snapshotCache struct {
	entries sync.Map // slug → *snapshotEntry
}

func (sc *snapshotCache) entry(slug string) *snapshotEntry {
	if e, ok := sc.entries.Load(slug); ok {
		return e.(*snapshotEntry)
	}
	e, _ := sc.entries.LoadOrStore(slug, &snapshotEntry{})
	return e.(*snapshotEntry)
}

// currentSnapshot returns the survey's current public snapshot. The hot
// path loads a pointer; at most once per countsTTL per survey an instance
// counts the responses (one count query) and reads the stored snapshot's
// sequence number (figures only when another instance retook it), and
// retakes it when the rule says so; one request at a time checks (single
// flight per survey), and those that waited find it fresh. force retakes
// whatever the count (publishing, an admin's refresh).
func (s *Service) currentSnapshot(ctx context.Context, sv *survey.Survey, force bool) (*snapshot, error) {
	e := s.snapshots.entry(sv.Slug)
	fresh := func(st *snapshotState) bool {
		return st != nil && st.snap.meta.Version >= sv.Version && s.now().Sub(st.checked) < countsTTL
	}
	st := e.state.Load()
	if !force && fresh(st) {
		return st.snap, nil
	}
	// Requests arriving during a check or retake wait for it, once, rather
	// than being served the snapshot before it: a page and the widget on it
	// asking at the same moment must not show two different snapshots.
	e.mu.Lock()
	defer e.mu.Unlock()
	if st = e.state.Load(); !force && fresh(st) {
		return st.snap, nil // checked by another request meanwhile
	}
	var held *snapshot
	if st != nil {
		held = st.snap
	}
	checked := s.now()
	stored, err := s.storedSnapshot(ctx, sv.Slug, held)
	if err != nil {
		return nil, err
	}
	n, err := s.countPublic(ctx, sv.Slug)
	if err != nil {
		return nil, err
	}
	if force || retake(stored, sv, n) {
		if stored, err = s.retakeSnapshot(ctx, sv, stored); err != nil {
			return nil, err
		}
	}
	e.state.Store(&snapshotState{snap: stored, checked: checked})
	return stored, nil
}

// retake is the rule: no snapshot yet, one over an older definition, or
// the number of responses moved by at least k since it was taken.
func retake(snap *snapshot, sv *survey.Survey, n int) bool {
	if snap == nil || snap.meta.Version < sv.Version {
		return true
	}
	moved := n - snap.meta.Responses
	return moved >= sv.SmallCellK() || -moved >= sv.SmallCellK()
}

// storedSnapshot reads the survey's stored snapshot: only its sequence
// number when held is already that one, the figures too otherwise. nil
// when none has been taken.
func (s *Service) storedSnapshot(ctx context.Context, slug string, held *snapshot) (*snapshot, error) {
	meta, err := s.cfg.Publications.FindPublicSnapshot(ctx, slug, nil)
	if survey.ErrorCode(err) == survey.ENOTFOUND {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if held != nil && held.meta.Seq == meta.Seq {
		return held, nil
	}
	figures := &publicFigures{}
	if meta, err = s.cfg.Publications.FindPublicSnapshot(ctx, slug, figures); err != nil {
		return nil, err
	}
	meta.Figures = nil
	return &snapshot{meta: *meta, figures: figures}, nil
}

// countPublic counts the responses a snapshot covers: submitted, canvass
// demo's left out. One count query, no response read (a page of one would
// make the embedded server read and sort them all).
func (s *Service) countPublic(ctx context.Context, slug string) (int, error) {
	return s.cfg.Responses.CountMatching(ctx, survey.ResponseFilter{SurveySlug: slug, Status: survey.ResponseSubmitted, ExcludeDemo: true})
}

// retakeSnapshot computes the figures afresh and stores them as the
// snapshot after prev (nil: the first). When another instance or request
// stored one first, that one is read and returned instead, so both serve
// the same figures.
func (s *Service) retakeSnapshot(ctx context.Context, sv *survey.Survey, prev *snapshot) (*snapshot, error) {
	figures, n, err := s.takeFigures(ctx, sv)
	if err != nil {
		return nil, err
	}
	if prev != nil {
		// What readers saw of prev, kept so that the new snapshot is
		// disclosed against it: the disclosure Published made of it, held
		// in memory once served or warmed (WarmPublicFigures); else made
		// again, the same (the suppression cache may hold it).
		rep, err := prev.report(sv, sv.DefaultLanguage)
		if err != nil {
			return nil, err
		}
		rules := disclosure.RulesOf(sv)
		if now := figures.Reports[rep.Language]; now != nil && prev.meta.Version == sv.Version &&
			disclosure.SameFigures(rep, &prev.figures.Tallies, now, &figures.Tallies, rules) {
			// The same figures (publishing, or a refresh, with no response
			// changed): disclosed as prev was, against the one before it,
			// they publish what prev did. Against prev itself, its
			// protected cells kept withheld, the page would lose counts
			// readers have had all along.
			figures.Previous = prev.figures.Previous
			return s.storeSnapshot(ctx, sv, prev, figures, n)
		}
		var was *disclosure.Published
		if held, ok := s.disclosed.Load(publishedKey{slug: sv.Slug, lang: rep.Language}); ok {
			if e := held.(*publishedEntry); e.seq == prev.meta.Seq && e.rules == rules {
				was = e.pub
			}
		}
		if was == nil {
			s.recall(sv.Slug, prev.meta.Seq)
			was = disclose(prev.figures.previous(), rep, &prev.figures.Tallies, rules)
		}
		figures.Previous = &previousFigures{Report: rep, Tallies: prev.figures.Tallies, Protecting: was.Protecting, Witnesses: was.Witnesses}
	}
	return s.storeSnapshot(ctx, sv, prev, figures, n)
}

// storeSnapshot stores figures, over n responses, as the snapshot after
// prev (nil: the first); when another instance or request stored one
// first, that one is read and returned instead.
func (s *Service) storeSnapshot(ctx context.Context, sv *survey.Survey, prev *snapshot, figures *publicFigures, n int) (*snapshot, error) {
	var prevSeq int64
	if prev != nil {
		prevSeq = prev.meta.Seq
	}
	// Milliseconds: what the database keeps, so this instance and any
	// other that reads it back show the same time.
	meta := survey.PublicSnapshot{Survey: sv.Slug, Seq: prevSeq + 1, Responses: n, Version: sv.Version, TakenAt: s.now().UTC().Truncate(time.Millisecond)}
	save := meta
	save.Figures = figures
	err := s.cfg.Publications.SavePublicSnapshot(ctx, &save, prevSeq)
	if survey.ErrorCode(err) == survey.ECONFLICT {
		won, err := s.storedSnapshot(ctx, sv.Slug, nil)
		if err == nil && won == nil {
			err = fmt.Errorf("public snapshot of %s: a conflicting write, then none stored", sv.Slug)
		}
		return won, err
	}
	if err != nil {
		return nil, err
	}
	s.log.InfoContext(ctx, "public figures taken", "survey", sv.Slug, "seq", meta.Seq, "responses", n, "version", sv.Version)
	return &snapshot{meta: meta, figures: figures}, nil
}

// takeFigures computes the report in every language of the survey and the
// tallies, over one read of the responses, so that all of them cover the
// same responses (a response arriving between two reads would otherwise be
// in one language's figures and not another's: a difference to read).
// Holding them in memory is fine: the population is a few hundred
// libraries. It returns the figures and how many responses they cover.
func (s *Service) takeFigures(ctx context.Context, sv *survey.Survey) (*publicFigures, int, error) {
	var rs []*survey.Response
	for r, err := range s.cfg.Responses.StreamResponses(ctx, survey.ResponseFilter{SurveySlug: sv.Slug, Status: survey.ResponseSubmitted, ExcludeDemo: true}) {
		if err != nil {
			return nil, 0, err
		}
		rs = append(rs, r)
	}
	t, err := s.tally(ctx, rs)
	if err != nil {
		return nil, 0, err
	}
	figures := &publicFigures{Reports: map[string]*analysis.ReportResult{}, Tallies: t}
	langs := sv.Languages
	if !sv.HasLanguage(sv.DefaultLanguage) {
		langs = append([]string{sv.DefaultLanguage}, langs...)
	}
	for _, lang := range langs {
		// Answers to earlier versions are read as today's options (recode).
		rep, err := analysis.Report(sv, sv.RecodeResponses(survey.ResponsesOf(rs)), analysis.Options{Lang: lang})
		if err != nil {
			return nil, 0, err
		}
		stripUnpublished(rep)
		figures.Reports[lang] = rep
	}
	return figures, len(rs), nil
}

// stripUnpublished removes from a report what no public output ever shows
// and what should not sit in a public snapshot: free texts (and the words
// counted in them), outliers and histograms (single libraries' answers).
func stripUnpublished(rep *analysis.ReportResult) {
	for i := range rep.Tables {
		q := rep.Tables[i].Question
		if q == nil {
			continue
		}
		q.Texts, q.OtherTexts, q.Terms = nil, nil, nil
		if q.Numbers != nil {
			q.Numbers.Outliers, q.Numbers.Histogram = nil, nil
		}
	}
}

// tally counts responses by region, library type (the directory's, for an
// invited library; else the org_type answer) and country.
func (s *Service) tally(ctx context.Context, rs []*survey.Response) (Tallies, error) {
	libs, _, err := s.cfg.Libraries.ListLibraries(ctx, survey.LibraryFilter{})
	if err != nil {
		return Tallies{}, err
	}
	typeOf := map[string]survey.LibraryType{}
	for _, l := range libs {
		typeOf[l.ID] = l.Type
	}
	countries := map[string]bool{}
	byRegion := map[survey.Region]int{}
	byType := map[survey.LibraryType]int{}
	for _, r := range rs {
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
	out := Tallies{Total: len(rs), Countries: len(countries), ByRegion: []KeyCount{}, ByType: []KeyCount{}}
	for _, r := range survey.Regions {
		out.ByRegion = append(out.ByRegion, KeyCount{Key: string(r), N: byRegion[r]})
	}
	if n := byRegion["unknown"]; n > 0 {
		out.ByRegion = append(out.ByRegion, KeyCount{Key: "unknown", N: n})
	}
	types := make([]string, 0, len(byType))
	for t := range byType {
		types = append(types, string(t))
	}
	sort.Strings(types)
	for _, t := range types {
		out.ByType = append(out.ByType, KeyCount{Key: t, N: byType[survey.LibraryType(t)]})
	}
	return out, nil
}
