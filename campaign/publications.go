package campaign

import (
	"context"
	"fmt"
	"time"

	"github.com/metlib/canvass/survey"
)

// PublishResults publishes (publish true) or withdraws a survey's results on
// /results/:slug (admins), and records who did in the audit log. Publishing
// takes the public figures afresh (see currentSnapshot), so the page opens on
// every response there is. It returns when they were published, nil once
// withdrawn.
func (s *Service) PublishResults(ctx context.Context, slug string, publish bool) (*time.Time, error) {
	if err := require(ctx, survey.RoleAdmin); err != nil {
		return nil, err
	}
	sv, err := s.cfg.Surveys.FindSurvey(ctx, slug)
	if err != nil {
		return nil, err
	}
	var at *time.Time
	action := "results.unpublish"
	if publish {
		if _, err := s.currentSnapshot(ctx, sv, true); err != nil {
			return nil, err
		}
		// The admin waits for the disclosure (seconds, against the
		// snapshot before), not the first visitor; past adminPatience it
		// goes on in the background.
		if _, _, err := s.publishedWithin(ctx, sv, sv.DefaultLanguage, adminPatience); err != nil {
			return nil, err
		}
		now := s.now().UTC()
		at, action = &now, "results.publish"
	}
	if err := s.cfg.Publications.SetResultsPublished(ctx, sv.Slug, at); err != nil {
		return nil, err
	}
	s.audit(ctx, action, "survey:"+sv.Slug, "")
	return at, nil
}

// adminPatience is how long an admin's publish or refresh waits for the
// disclosure of the new snapshot: well within the server's write timeout
// (120 s).
const adminPatience = 60 * time.Second

// PublicFigures says what a survey's public outputs are computed from and
// when that changes, for the working group.
type PublicFigures struct {
	// Taken is false until the first public request or publication takes
	// them; the fields below it are then zero.
	Taken bool
	// At is when they were taken, over Responses submitted responses
	// (canvass demo's left out), with definition Version.
	At        time.Time
	Responses int
	Version   int
	// Now is how many such responses there are now, and Pending how many
	// more arrivals (or deletions) take the figures again: k minus how far
	// Now has moved from Responses.
	Now     int
	Pending int
	// K is the survey's small-cell threshold, the step the figures move in.
	K int
}

// PublicFiguresOf describes a survey's public snapshot (analysts and
// admins). It reads; it never takes one. Returns ENOTFOUND for an unknown
// survey.
func (s *Service) PublicFiguresOf(ctx context.Context, slug string) (*PublicFigures, error) {
	if err := require(ctx, survey.RoleAnalyst); err != nil {
		return nil, err
	}
	sv, err := s.cfg.Surveys.FindSurvey(ctx, slug)
	if err != nil {
		return nil, err
	}
	n, err := s.countPublic(ctx, sv.Slug)
	if err != nil {
		return nil, err
	}
	pf := &PublicFigures{Now: n, K: sv.SmallCellK(), Pending: sv.SmallCellK()}
	meta, err := s.cfg.Publications.FindPublicSnapshot(ctx, sv.Slug, nil)
	if survey.ErrorCode(err) == survey.ENOTFOUND {
		return pf, nil
	}
	if err != nil {
		return nil, err
	}
	pf.Taken, pf.At, pf.Responses, pf.Version = true, meta.TakenAt, meta.Responses, meta.Version
	moved := n - meta.Responses
	if moved < 0 {
		moved = -moved
	}
	pf.Pending = max(pf.K-moved, 0)
	return pf, nil
}

// RefreshPublicFigures takes a survey's public figures afresh now, over
// every submitted response there is (admins; audited with how many
// responses the old and new figures cover). When fewer than k responses
// arrived since the last ones, comparing the two may reveal those few
// respondents' answers: the pages say so before an admin asks.
// Returns ENOTFOUND for an unknown survey.
func (s *Service) RefreshPublicFigures(ctx context.Context, slug string) (*PublicFigures, error) {
	if err := require(ctx, survey.RoleAdmin); err != nil {
		return nil, err
	}
	sv, err := s.cfg.Surveys.FindSurvey(ctx, slug)
	if err != nil {
		return nil, err
	}
	before, err := s.PublicFiguresOf(ctx, sv.Slug)
	if err != nil {
		return nil, err
	}
	snap, err := s.currentSnapshot(ctx, sv, true)
	if err != nil {
		return nil, err
	}
	// The admin waits for the disclosure (seconds, against the snapshot
	// before), not the first visitor; past adminPatience (minutes for the
	// largest survey while most of its cells are small) it goes on in the
	// background.
	if _, _, err := s.publishedWithin(ctx, sv, sv.DefaultLanguage, adminPatience); err != nil {
		return nil, err
	}
	details := fmt.Sprintf("%d responses", snap.meta.Responses)
	if before.Taken {
		details += fmt.Sprintf(" (were %d)", before.Responses)
	}
	s.audit(ctx, "results.refresh", "survey:"+sv.Slug, details)
	return &PublicFigures{Taken: true, At: snap.meta.TakenAt, Responses: snap.meta.Responses, Version: snap.meta.Version,
		Now: snap.meta.Responses, Pending: sv.SmallCellK(), K: sv.SmallCellK()}, nil
}
