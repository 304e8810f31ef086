package campaign

import (
	"context"

	"github.com/metlib/canvass/survey"
)

// Resumed is what a personal invitation link opens.
type Resumed struct {
	Survey     *survey.Survey
	Invitation *survey.Invitation
	// Response is the library's saved draft or submitted response, nil when
	// it has neither yet.
	Response *survey.Response
	// Answers are what the form starts from: the response's answers, or,
	// before there is one, what the directory knows about the library and
	// the invited contact.
	Answers survey.Answers
	// Locked reports a submitted response the survey does not let the
	// library change: the link shows that it has answered, not the form.
	Locked bool
	// Previous is the library's submitted response to the series'
	// previous wave, nil when there is none: the form shows its answers
	// beside the questions that carry forward or check changes.
	Previous *Previous
}

// Resume opens the form behind a personal link: the invited library's
// draft to go on with, or its submitted response to change where the
// survey allows edits after submitting (saving and submitting are Submit
// with and without Draft). A draft is never counted as a submission. The
// invitation is marked opened. ECLOSED when the survey does not take
// responses now; ENOTFOUND for an unknown or revoked link.
func (s *Service) Resume(ctx context.Context, slug, token string) (*Resumed, error) {
	sv, err := s.OpenSurvey(ctx, slug)
	if err != nil {
		return nil, err
	}
	inv, err := s.InvitationByToken(ctx, sv.Slug, token)
	if err != nil {
		return nil, err
	}
	s.advance(ctx, inv, survey.InvitationOpened)
	res := &Resumed{Survey: sv, Invitation: inv}
	if res.Previous, err = s.previousAnswers(ctx, sv, inv.LibraryID); err != nil {
		return nil, err
	}
	existing, err := s.cfg.Responses.FindResponseBySubmission(ctx, sv.Slug, inv.SubmissionID())
	switch survey.ErrorCode(err) {
	case "":
		res.Response, res.Answers = existing, existing.Answers
		res.Locked = existing.Status == survey.ResponseSubmitted && !sv.Settings.AllowEditAfterSubmit
		return res, nil
	case survey.ENOTFOUND:
	default:
		return nil, err
	}
	// Nothing saved yet: start from the directory. A library missing from
	// it (erased since) leaves the form empty rather than failing the link.
	res.Answers = survey.Answers{}
	if lib, err := s.cfg.Libraries.FindLibrary(ctx, inv.LibraryID); err == nil {
		contact := survey.Contact{Name: inv.Name, Email: inv.Email}
		for _, ct := range lib.Contacts {
			if ct.Email == inv.Email {
				contact = ct
			}
		}
		res.Answers = sv.Prefill(lib, contact)
	}
	// Then the carry_forward questions from the library's own answers of
	// the previous wave; the directory, kept up to date between waves,
	// wins where both know the answer.
	if res.Previous != nil {
		for k, v := range sv.CarriedAnswers(res.Previous.Answers) {
			if _, known := res.Answers[k]; !known {
				res.Answers[k] = v
			}
		}
	}
	return res, nil
}

// PreviousAnswers is, behind personal link token, the library's submitted
// response to the previous wave of survey slug's series (nil when there is
// none), for the form to show beside its questions. ENOTFOUND for an
// unknown link.
func (s *Service) PreviousAnswers(ctx context.Context, slug, token string) (*Previous, error) {
	sv, err := s.PublishedForm(ctx, slug)
	if err != nil {
		return nil, err
	}
	inv, err := s.InvitationByToken(ctx, sv.Slug, token)
	if err != nil {
		return nil, err
	}
	return s.previousAnswers(ctx, sv, inv.LibraryID)
}
