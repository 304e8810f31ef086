package campaign

import (
	"context"
	"time"

	"github.com/metlib/canvass/survey"
)

// PublishResults publishes (publish true) or withdraws a survey's results on
// /results/:slug (admins), and records who did in the audit log. It returns
// when they were published, nil once withdrawn.
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
		now := s.now().UTC()
		at, action = &now, "results.publish"
	}
	if err := s.cfg.Publications.SetResultsPublished(ctx, sv.Slug, at); err != nil {
		return nil, err
	}
	s.audit(ctx, action, "survey:"+sv.Slug, "")
	return at, nil
}
