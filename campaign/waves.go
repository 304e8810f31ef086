package campaign

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/metlib/canvass/survey"
)

// Series and waves (survey/waves.go): a new wave made from the last one,
// a library's previous-wave answers (carried forward into its form and
// held to the change checks), and the explanations those checks asked
// for. docs/waves.md is the user's guide.

// Series is a survey's series: its name and its waves, in wave order
// (headers: no sections or report).
type Series struct {
	Name  string
	Waves []*survey.Survey
}

// SeriesOf returns the series survey slug is a wave of (analysts and
// admins).
func (s *Service) SeriesOf(ctx context.Context, slug string) (*Series, error) {
	if err := require(ctx, survey.RoleAnalyst); err != nil {
		return nil, err
	}
	sv, err := s.cfg.Surveys.FindSurvey(ctx, slug)
	if err != nil {
		return nil, err
	}
	all, err := s.cfg.Surveys.ListSurveyHeaders(ctx)
	if err != nil {
		return nil, err
	}
	return &Series{Name: sv.SeriesName(), Waves: survey.WavesOf(all, sv.SeriesName())}, nil
}

// PreviousWave is the wave before survey slug in its series (a header),
// nil when slug is the first: the invitations page offers to invite its
// libraries.
func (s *Service) PreviousWave(ctx context.Context, slug string) (*survey.Survey, error) {
	if _, err := access(ctx, survey.RoleAnalyst, survey.RoleCoordinator); err != nil {
		return nil, err
	}
	sv, err := s.cfg.Surveys.FindSurvey(ctx, slug)
	if err != nil {
		return nil, err
	}
	return s.previousWave(ctx, sv)
}

// checkWaveLabel refuses a new survey whose wave label another wave of its
// series already has: "previous wave" must name one round.
func (s *Service) checkWaveLabel(ctx context.Context, sv *survey.Survey) error {
	all, err := s.cfg.Surveys.ListSurveyHeaders(ctx)
	if err != nil {
		return err
	}
	for _, w := range survey.WavesOf(all, sv.SeriesName()) {
		if w.Slug != sv.Slug && w.Wave == sv.Wave {
			return &survey.Error{Code: survey.EINVALID, Message: "The series " + sv.SeriesName() + " already has a wave labelled " + strconv.Quote(sv.Wave) + ": " + w.Slug + ".",
				Fields: []survey.FieldError{{Path: "wave", Message: "each wave of a series has a label of its own"}}}
		}
	}
	return nil
}

// previousWave is the wave of sv's series before it, nil when sv is the
// first.
func (s *Service) previousWave(ctx context.Context, sv *survey.Survey) (*survey.Survey, error) {
	all, err := s.cfg.Surveys.ListSurveyHeaders(ctx)
	if err != nil {
		return nil, err
	}
	return survey.WaveBefore(all, sv), nil
}

// NewWave is what a new wave takes from the admin: its slug and label,
// and optionally its title (else the last wave's).
type NewWave struct {
	Slug  string      `json:"slug"`
	Wave  string      `json:"wave"`
	Title survey.Text `json:"title,omitempty"`
}

// CreateWave makes a new wave of the series of survey from (admins): a
// copy of from's current definition as a draft (version 1, no dates)
// under w.Slug, in from's series, labelled w.Wave, with the mail texts
// edited for from. The label must sort after every wave of the series so
// far (waves are ordered by label: the new one is the last), so that
// "previous wave" means what the admin expects. Edit it (a new version,
// as for any survey), set its dates and open it; invite the last wave's
// libraries with Invitees.PreviousWave. ECONFLICT when the slug is taken;
// EINVALID on slug or wave.
func (s *Service) CreateWave(ctx context.Context, from string, w NewWave) (*survey.Survey, error) {
	if err := require(ctx, survey.RoleAdmin); err != nil {
		return nil, err
	}
	last, err := s.cfg.Surveys.FindSurvey(ctx, from)
	if err != nil {
		return nil, err
	}
	w.Slug, w.Wave = strings.TrimSpace(w.Slug), strings.TrimSpace(w.Wave)
	// One wave made at a time, so two made at once cannot both pass the
	// check of their label against the waves so far.
	s.surveysMu.Lock()
	defer s.surveysMu.Unlock()
	all, err := s.cfg.Surveys.ListSurveyHeaders(ctx)
	if err != nil {
		return nil, err
	}
	waves := survey.WavesOf(all, last.SeriesName())
	var problems []survey.FieldError
	if w.Wave == "" {
		problems = append(problems, survey.FieldError{Path: "wave", Message: "Give the new wave a label, such as the year it runs (2026)."})
	} else if latest := waves[len(waves)-1]; w.Wave <= latest.Wave {
		problems = append(problems, survey.FieldError{Path: "wave", Message: "Waves are ordered by their labels: the new wave's label must come after " + strconv.Quote(latest.Wave) + " (the label of " + latest.Slug + "), as 2026 comes after 2025."})
	}
	if w.Slug == "" {
		problems = append(problems, survey.FieldError{Path: "slug", Message: "Give the new wave a slug (its web address), such as " + last.SeriesName() + "-2026."})
	}
	if len(problems) > 0 {
		return nil, &survey.Error{Code: survey.EINVALID, Message: "The new wave cannot be made yet.", Fields: problems}
	}
	data, err := survey.DefinitionYAML(last)
	if err != nil {
		return nil, err
	}
	next, err := survey.ParseDefinition(data, "yaml")
	if err != nil {
		return nil, err
	}
	next.Slug, next.Series, next.Wave = w.Slug, last.SeriesName(), w.Wave
	next.Version, next.Status, next.OpensAt, next.ClosesAt = 1, survey.StatusDraft, nil, nil
	if len(w.Title) > 0 {
		next.Title = w.Title
	}
	if err := next.Validate(); err != nil {
		return nil, err
	}
	if err := s.cfg.Surveys.CreateSurvey(ctx, next); err != nil {
		return nil, err
	}
	edited, err := s.cfg.MailTemplates.MailTemplates(ctx, last.Slug)
	if err != nil {
		return nil, err
	}
	for _, t := range edited {
		if err := s.cfg.MailTemplates.SaveMailTemplate(ctx, next.Slug, t); err != nil {
			return nil, err
		}
	}
	s.audit(ctx, "survey.wave", "survey:"+next.Slug, "wave "+next.Wave+" of series "+next.Series+", copied from "+last.Slug+" version "+strconv.Itoa(last.Version))
	return next, nil
}

// Previous is a library's submitted response to the previous wave of a
// survey's series, read for the wave after it.
type Previous struct {
	// Wave is the previous wave (a header).
	Wave *survey.Survey
	// Answers are the response's answers, recoded as the current wave
	// reads them (its definition's recode maps).
	Answers survey.Answers
}

// previousAnswers finds library libraryID's submitted response to the
// wave before sv, through that wave's invitation of the same library or,
// for a round brought in by ImportRound (no invitations), under the
// library's imported submission id (a response without a library is
// nobody's to carry). nil when sv neither carries forward nor checks
// changes, when there is no earlier wave, no invitation or imported
// response, or no submitted response.
func (s *Service) previousAnswers(ctx context.Context, sv *survey.Survey, libraryID string) (*Previous, error) {
	if libraryID == "" || !sv.ReadsPreviousWave() {
		// No wave before to read, or nothing that reads it: a survey
		// without carry_forward or change_check costs a submission no
		// read of the series.
		return nil, nil
	}
	before, err := s.previousWave(ctx, sv)
	if before == nil || err != nil {
		return nil, err
	}
	invs, err := s.cfg.Invitations.ListInvitations(ctx, before.Slug)
	if err != nil {
		return nil, err
	}
	for _, inv := range invs {
		if inv.LibraryID != libraryID {
			continue
		}
		r, err := s.cfg.Responses.FindResponseBySubmission(ctx, before.Slug, inv.SubmissionID())
		switch {
		case survey.ErrorCode(err) == survey.ENOTFOUND:
			return nil, nil
		case err != nil:
			return nil, err
		case r.Status != survey.ResponseSubmitted:
			return nil, nil
		}
		return &Previous{Wave: before, Answers: sv.RecodeAnswers(r.Answers)}, nil
	}
	r, err := s.cfg.Responses.FindResponseBySubmission(ctx, before.Slug, ImportedSubmissionID(before.Slug, libraryID))
	switch {
	case survey.ErrorCode(err) == survey.ENOTFOUND:
		return nil, nil
	case err != nil:
		return nil, err
	case r.Status != survey.ResponseSubmitted || r.LibraryID != libraryID:
		return nil, nil
	}
	return &Previous{Wave: before, Answers: sv.RecodeAnswers(r.Answers)}, nil
}

// ChangeNote is an explanation a change check asked a library for.
type ChangeNote struct {
	ResponseID  string     `json:"response_id"`
	LibraryID   string     `json:"library_id"`
	Library     string     `json:"library"`
	Question    string     `json:"question"`
	Label       string     `json:"label"`
	Previous    *float64   `json:"previous"`
	Current     float64    `json:"current"`
	Note        string     `json:"note"`
	SubmittedAt *time.Time `json:"submitted_at,omitempty"`
}

// ChangeNotes lists the explanations given with survey slug's submitted
// responses, with each answer and the library's previous-wave answer, in
// lang for the question labels (analysts and admins; coordinators their
// regions' libraries).
func (s *Service) ChangeNotes(ctx context.Context, slug, lang string) ([]ChangeNote, error) {
	a, err := access(ctx, survey.RoleAnalyst, survey.RoleCoordinator)
	if err != nil {
		return nil, err
	}
	sv, err := s.cfg.Surveys.FindSurvey(ctx, slug)
	if err != nil {
		return nil, err
	}
	f := survey.ResponseFilter{SurveySlug: sv.Slug, Status: survey.ResponseSubmitted}
	if f, err = s.scopedResponses(ctx, a, f); err != nil {
		return nil, err
	}
	out := []ChangeNote{}
	for r, err := range s.cfg.Responses.StreamResponses(ctx, f) {
		if err != nil {
			return nil, err
		}
		for _, q := range sv.Questions() {
			note := r.Answers.String(q.ID + survey.ChangeNoteSuffix)
			if note == "" || q.ChangeCheck == nil {
				continue
			}
			current, _ := r.Answers.Number(q.ID)
			out = append(out, ChangeNote{ResponseID: r.ID, LibraryID: r.LibraryID, Question: q.ID,
				Label: q.Label.In(lang, sv.DefaultLanguage), Current: current, Note: note, SubmittedAt: r.SubmittedAt})
		}
	}
	// The previous wave's submitted responses, read once, by library.
	before, err := s.previousWave(ctx, sv)
	if err != nil {
		return nil, err
	}
	previous := map[string]survey.Answers{}
	if before != nil {
		for r, err := range s.cfg.Responses.StreamResponses(ctx, survey.ResponseFilter{SurveySlug: before.Slug, Status: survey.ResponseSubmitted}) {
			if err != nil {
				return nil, err
			}
			if r.LibraryID != "" {
				previous[r.LibraryID] = sv.RecodeAnswers(r.Answers)
			}
		}
	}
	names := map[string]string{}
	for i := range out {
		n := &out[i]
		if n.LibraryID == "" {
			continue
		}
		name, seen := names[n.LibraryID]
		if !seen {
			if lib, err := s.cfg.Libraries.FindLibrary(ctx, n.LibraryID); err == nil {
				name = lib.Name
			}
			names[n.LibraryID] = name
		}
		n.Library = name
		if v, ok := previous[n.LibraryID].Number(n.Question); ok {
			n.Previous = &v
		}
	}
	return out, nil
}
