package campaign

import (
	"bytes"
	"context"
	"encoding/json"
	"strconv"

	"github.com/metlib/canvass/survey"
)

// MaxPerPage bounds a page of responses.
const MaxPerPage = 500

// ListResponses returns a page of a survey's responses matching the filter
// (f.SurveySlug is set to slug), oldest first, and how many match in all
// (analysts and admins; coordinators: of their regions, scopedResponses).
// A Limit over MaxPerPage is EINVALID.
func (s *Service) ListResponses(ctx context.Context, slug string, f survey.ResponseFilter) ([]*survey.Response, int, error) {
	a, err := access(ctx, survey.RoleAnalyst, survey.RoleCoordinator)
	if err != nil {
		return nil, 0, err
	}
	if f, err = s.scopedResponses(ctx, a, f); err != nil {
		return nil, 0, err
	}
	sv, err := s.cfg.Surveys.FindSurvey(ctx, slug)
	if err != nil {
		return nil, 0, err
	}
	// The same rule as analyses and downloads: an answer condition on a
	// question the survey lacks is a mistake to report, not an empty list.
	if err := checkAnswerConditions(sv, f); err != nil {
		return nil, 0, err
	}
	if f.Limit < 0 || f.Limit > MaxPerPage || f.Offset < 0 {
		return nil, 0, survey.Errorf(survey.EINVALID, "A page holds 1 to %d responses.", MaxPerPage)
	}
	f.SurveySlug = slug
	return s.cfg.Responses.ListResponses(ctx, f)
}

// LibraryNames names the libraries that gave the responses rs, by library
// id, asking the directory once for them all (a page of 50 rows is one
// query, not 50). A response without a library, or whose library has left
// the directory, has no entry; nor, for a coordinator, has one whose
// library is of another region. Analysts, admins and coordinators.
func (s *Service) LibraryNames(ctx context.Context, rs []*survey.Response) (map[string]string, error) {
	a, err := access(ctx, survey.RoleAnalyst, survey.RoleCoordinator)
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	ids := []string{}
	for _, r := range rs {
		if r.LibraryID != "" && !seen[r.LibraryID] {
			seen[r.LibraryID] = true
			ids = append(ids, r.LibraryID)
		}
	}
	names := make(map[string]string, len(ids))
	if len(ids) == 0 {
		return names, nil
	}
	libs, _, err := s.cfg.Libraries.ListLibraries(ctx, scoped(a, survey.LibraryFilter{IDs: ids}))
	if err != nil {
		return nil, err
	}
	for _, l := range libs {
		names[l.ID] = l.Name
	}
	return names, nil
}

// Response returns one response and the definition of the version it
// answered (the current one when that version is no longer kept), for
// analysts and admins, and for coordinators a response of their regions
// (responseScope: an invited one by its library's region; another
// region's is ENOTFOUND, as an unknown id is).
func (s *Service) Response(ctx context.Context, id string) (*survey.Response, *survey.Survey, error) {
	a, err := access(ctx, survey.RoleAnalyst, survey.RoleCoordinator)
	if err != nil {
		return nil, nil, err
	}
	r, err := s.cfg.Responses.FindResponse(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	if ok, err := s.mayRead(ctx, a, r); err != nil {
		return nil, nil, err
	} else if !ok {
		return nil, nil, survey.Errorf(survey.ENOTFOUND, "There is no response %q.", id) // the store's words for an unknown id
	}
	sv, err := s.cfg.Surveys.FindSurveyVersion(ctx, r.SurveySlug, r.SurveyVersion)
	if survey.ErrorCode(err) == survey.ENOTFOUND {
		sv, err = s.cfg.Surveys.FindSurvey(ctx, r.SurveySlug)
	}
	if err != nil {
		return nil, nil, err
	}
	return r, sv, nil
}

// DeleteResponse removes a response for good (admins), and records who did
// in the audit log. It returns the response deleted.
func (s *Service) DeleteResponse(ctx context.Context, id string) (*survey.Response, error) {
	if err := require(ctx, survey.RoleAdmin); err != nil {
		return nil, err
	}
	r, err := s.cfg.Responses.FindResponse(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := s.cfg.Responses.DeleteResponse(ctx, r.ID); err != nil {
		return nil, err
	}
	s.audit(ctx, "response.delete", "response:"+r.ID, "survey "+r.SurveySlug+", submission "+r.SubmissionID)
	return r, nil
}

// ImportResponses stores responses made elsewhere (the demo data, a
// migration) with their own times and sources (admins). Each one's answers
// are checked against the survey as a submission's are; each is stored once
// by its submission id, so importing the same set again adds nothing. They
// are not submissions and are not counted as such. It returns how many
// were new; an error names the response (by position) that failed.
func (s *Service) ImportResponses(ctx context.Context, slug string, rs []*survey.Response) (created int, err error) {
	if err := require(ctx, survey.RoleAdmin); err != nil {
		return 0, err
	}
	sv, err := s.cfg.Surveys.FindSurvey(ctx, slug)
	if err != nil {
		return 0, err
	}
	defer func() {
		if created > 0 {
			s.audit(ctx, "responses.import", "survey:"+slug, nouns(created, "response", "responses"))
		}
	}()
	return s.importResponses(ctx, sv, rs)
}

// importResponses checks and stores rs (ImportResponses's work, without
// the role check and the audit entry its callers write).
func (s *Service) importResponses(ctx context.Context, sv *survey.Survey, rs []*survey.Response) (created int, err error) {
	slug := sv.Slug
	for i, r := range rs {
		if r.SurveySlug != slug || !ValidSubmissionID(r.SubmissionID) {
			return created, survey.Errorf(survey.EINVALID, "Response %d is not to survey %q or has no valid submission id.", i+1, slug)
		}
		check := sv.CheckAnswers
		if r.Status == survey.ResponseDraft {
			check = sv.CheckDraft
		}
		raw, err := rawAnswers(r.Answers)
		if err != nil {
			return created, err
		}
		if _, err := check(raw, r.Language); err != nil {
			return created, &survey.Error{Code: survey.EINVALID, Message: "Response " + strconv.Itoa(i+1) + ": " + survey.ErrorMessage(err), Fields: survey.ErrorFields(err), Err: err}
		}
		_, isNew, err := s.cfg.Responses.CreateResponse(ctx, r)
		if err != nil {
			return created, err
		}
		if isNew {
			created++
		}
	}
	return created, nil
}

// rawAnswers turns stored answers back into what a client sends (decoded
// JSON), so they are checked exactly as a submission's are.
func rawAnswers(a survey.Answers) (map[string]any, error) {
	data, err := survey.MarshalAnswers(a)
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var raw map[string]any
	if err := dec.Decode(&raw); err != nil {
		return nil, err
	}
	if raw == nil {
		raw = map[string]any{}
	}
	return raw, nil
}
