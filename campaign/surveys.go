package campaign

import (
	"context"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/metlib/canvass/survey"
	"github.com/metlib/canvass/survey/xlsform"
)

// Definition is an uploaded survey definition: its bytes and their format
// ("yaml", "json" or "xlsform").
type Definition struct {
	Data   []byte
	Format string
}

// FormatOfFile picks a definition's format from a file name's extension
// (.yaml/.yml, .json, .xlsx), or "" when it is none of them.
func FormatOfFile(name string) string {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".yaml", ".yml":
		return "yaml"
	case ".json":
		return "json"
	case ".xlsx":
		return "xlsform"
	}
	return ""
}

// ParseDefinition reads and validates a definition in any format Canvass
// imports. An XLSForm comes with notes about what did not map. Every problem
// is reported at once, as the fields of an EINVALID error.
func ParseDefinition(d Definition) (*survey.Survey, []xlsform.Note, error) {
	switch d.Format {
	case "xlsform":
		return xlsform.Parse(d.Data)
	case "yaml", "json":
		s, err := survey.ParseDefinition(d.Data, d.Format)
		return s, nil, err
	}
	return nil, nil, survey.Errorf(survey.EINVALID, "A definition is YAML, JSON or an XLSForm workbook, not %q.", d.Format)
}

// SurveySummary is a survey with what the lists show about it.
type SurveySummary struct {
	// Survey is the whole definition from Survey, its header (no sections
	// or report) from ListSurveys.
	Survey *survey.Survey
	// Accepting reports whether it takes responses now.
	Accepting bool
	// Responses is the number of submitted responses.
	Responses int
	// Demo is how many of them canvass demo made up: the working group's
	// pages count them under a banner, public ones leave them out.
	Demo int
}

func (s *Service) summarize(ctx context.Context, sv *survey.Survey) (SurveySummary, error) {
	var n int
	var err error
	if a, _ := survey.ActorFrom(ctx); a.Role == survey.RoleCoordinator {
		// Their regions' submitted responses, as their list counts them.
		var f survey.ResponseFilter
		if f, err = s.scopedResponses(ctx, a, survey.ResponseFilter{SurveySlug: sv.Slug, Status: survey.ResponseSubmitted}); err == nil {
			n, err = s.cfg.Responses.CountMatching(ctx, f)
		}
	} else {
		n, err = s.cfg.Responses.CountResponses(ctx, sv.Slug)
	}
	if err != nil {
		return SurveySummary{}, err
	}
	demo, err := s.DemoResponses(ctx, sv.Slug)
	return SurveySummary{Survey: sv, Accepting: sv.AcceptingAt(s.now()), Responses: n, Demo: demo}, err
}

// ListSurveys returns every survey by slug with its response count
// (analysts and admins).
func (s *Service) ListSurveys(ctx context.Context) ([]SurveySummary, error) {
	if err := require(ctx, survey.RoleAnalyst); err != nil {
		return nil, err
	}
	// The headers only: a listing shows no questions, and a stored draft
	// may carry megabytes of them.
	all, err := s.cfg.Surveys.ListSurveyHeaders(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]SurveySummary, 0, len(all))
	for _, sv := range all {
		sum, err := s.summarize(ctx, sv)
		if err != nil {
			return nil, err
		}
		out = append(out, sum)
	}
	return out, nil
}

// OpenSurveys returns the surveys that take responses now, for anyone,
// without their sections and report (a listing's headers). Drafts and
// closed surveys are filtered out by the store, so they are never read.
func (s *Service) OpenSurveys(ctx context.Context) ([]*survey.Survey, error) {
	all, err := s.cfg.Surveys.ListSurveyHeaders(ctx, survey.StatusOpen)
	if err != nil {
		return nil, err
	}
	var open []*survey.Survey
	for _, sv := range all {
		if sv.AcceptingAt(s.now()) {
			open = append(open, sv)
		}
	}
	return open, nil
}

// Survey returns a survey's current definition and summary (analysts and
// admins; coordinators, whose summary counts their regions' responses, for
// the list of those); ENOTFOUND when there is none.
func (s *Service) Survey(ctx context.Context, slug string) (SurveySummary, error) {
	if _, err := access(ctx, survey.RoleAnalyst, survey.RoleCoordinator); err != nil {
		return SurveySummary{}, err
	}
	sv, err := s.cfg.Surveys.FindSurvey(ctx, slug)
	if err != nil {
		return SurveySummary{}, err
	}
	return s.summarize(ctx, sv)
}

// OpenSurvey returns the survey a respondent is answering, read through a
// short cache so that each submission does not pay for reading it. When the
// survey does not take responses now the error is ECLOSED and the survey
// is still returned, so the page saying so can name it. A draft is
// ENOTFOUND, exactly as an unknown slug, so that its title never shows to
// the public. The survey is shared: callers must not change it.
func (s *Service) OpenSurvey(ctx context.Context, slug string) (*survey.Survey, error) {
	sv, err := s.findSurvey(ctx, slug)
	if err != nil {
		return nil, err
	}
	if sv.Status == survey.StatusDraft {
		return nil, survey.KeyedErrorf(survey.ENOTFOUND, "no_survey", "There is no survey %q.", slug)
	}
	if !sv.AcceptingAt(s.now()) {
		return sv, survey.Errorf(survey.ECLOSED, "The survey %q is not accepting responses.", sv.Slug)
	}
	return sv, nil
}

// PublishedForm returns the definition respondents and API clients fill in:
// any survey but a draft (ENOTFOUND, as if there were none).
func (s *Service) PublishedForm(ctx context.Context, slug string) (*survey.Survey, error) {
	sv, err := s.findSurvey(ctx, slug)
	if err == nil && sv.Status == survey.StatusDraft {
		return nil, survey.KeyedErrorf(survey.ENOTFOUND, "no_survey", "There is no survey %q.", slug)
	}
	return sv, err
}

// CreateSurvey stores a new survey from an uploaded definition (admins). It
// is a draft unless the definition sets its status. ECONFLICT when the slug
// is taken; EINVALID with every problem of the definition.
func (s *Service) CreateSurvey(ctx context.Context, d Definition) (*survey.Survey, []xlsform.Note, error) {
	if err := require(ctx, survey.RoleAdmin); err != nil {
		return nil, nil, err
	}
	sv, notes, err := ParseDefinition(d)
	if err != nil {
		return nil, notes, err
	}
	if sv.Status == "" {
		sv.Status = survey.StatusDraft
	}
	s.surveysMu.Lock() // one survey made at a time: checkWaveLabel
	defer s.surveysMu.Unlock()
	if err := s.checkWaveLabel(ctx, sv); err != nil {
		return nil, notes, err
	}
	if err := s.cfg.Surveys.CreateSurvey(ctx, sv); err != nil {
		return nil, notes, err
	}
	s.audit(ctx, "survey.create", "survey:"+sv.Slug, "version "+strconv.Itoa(sv.Version)+" from "+d.Format)
	return sv, notes, nil
}

// UpdateSurvey makes an uploaded definition the next version of the survey
// slug (admins), keeping its status and dates; responses already given
// keep the version they answered. The definition must have the same slug.
// A version that no longer offers an option stored answers use is refused
// (EINVALID, one field per option naming it and the count of responses
// using it) unless it maps the option to another with recode.
func (s *Service) UpdateSurvey(ctx context.Context, slug string, d Definition) (*survey.Survey, []xlsform.Note, error) {
	if err := require(ctx, survey.RoleAdmin); err != nil {
		return nil, nil, err
	}
	sv, notes, err := ParseDefinition(d)
	if err != nil {
		return nil, notes, err
	}
	if sv.Slug != slug {
		return nil, notes, &survey.Error{Code: survey.EINVALID, Message: "The definition defines survey " + strconv.Quote(sv.Slug) + ", not " + strconv.Quote(slug) + ".",
			Fields: []survey.FieldError{{Path: "slug", Message: "expected " + slug}}}
	}
	current, err := s.cfg.Surveys.FindSurvey(ctx, slug)
	if err != nil {
		return nil, notes, err
	}
	if sv.SeriesName() != current.SeriesName() || sv.Wave != current.Wave {
		// Moving a wave would change which wave is "previous" for an open
		// one under its respondents: its hints, carried answers and change
		// checks would then compare with another round. Naming an
		// unnamed wave where it already stands moves nothing (an old
		// round then has a label to sort before: "Bringing an old round
		// in").
		s.surveysMu.Lock()
		defer s.surveysMu.Unlock()
		if err := s.labelInPlace(ctx, current, sv); err != nil {
			return nil, notes, err
		}
	}
	if err := s.checkDroppedOptions(ctx, sv); err != nil {
		return nil, notes, err
	}
	if err := s.cfg.Surveys.UpdateSurvey(ctx, sv); err != nil {
		return nil, notes, err
	}
	s.audit(ctx, "survey.update", "survey:"+slug, "version "+strconv.Itoa(sv.Version)+" from "+d.Format)
	return sv, notes, nil
}

// checkDroppedOptions counts, over every stored response to the survey
// (drafts too: they are answers someone will come back to), the option
// values next neither offers nor recodes.
func (s *Service) checkDroppedOptions(ctx context.Context, next *survey.Survey) error {
	uses := map[survey.OptionUse]int{}
	for r, err := range s.cfg.Responses.StreamResponses(ctx, survey.ResponseFilter{SurveySlug: next.Slug}) {
		if err != nil {
			return err
		}
		for _, u := range next.UnmappedOptions(r.Answers) {
			uses[u]++
		}
	}
	return next.DroppedOptionsError(uses)
}

// SetStatus opens, closes, reopens or returns a survey to draft (admins).
func (s *Service) SetStatus(ctx context.Context, slug string, status survey.Status) error {
	if err := require(ctx, survey.RoleAdmin); err != nil {
		return err
	}
	switch status {
	case survey.StatusOpen, survey.StatusClosed, survey.StatusDraft:
	default:
		return survey.Errorf(survey.EINVALID, "Unknown status %q: a survey is draft, open or closed.", status)
	}
	if err := s.cfg.Surveys.SetSurveyStatus(ctx, slug, status); err != nil {
		return err
	}
	s.audit(ctx, "survey.status", "survey:"+slug, "set to "+string(status))
	return nil
}

// SetDates sets (nil clears) when a survey opens and closes (admins);
// closing must come after opening.
func (s *Service) SetDates(ctx context.Context, slug string, opens, closes *time.Time) error {
	if err := require(ctx, survey.RoleAdmin); err != nil {
		return err
	}
	if opens != nil && closes != nil && !opens.Before(*closes) {
		return &survey.Error{Code: survey.EINVALID, Message: "The closing date must be after the opening date.",
			Fields: []survey.FieldError{{Path: "closes_at", Message: "must be after opens_at"}}}
	}
	if err := s.cfg.Surveys.SetSurveyDates(ctx, slug, opens, closes); err != nil {
		return err
	}
	s.audit(ctx, "survey.dates", "survey:"+slug, "opens "+dateOrNone(opens)+", closes "+dateOrNone(closes))
	return nil
}

func dateOrNone(t *time.Time) string {
	if t == nil {
		return "—"
	}
	return t.UTC().Format(time.DateOnly)
}

// DefinitionYAML returns a survey's current definition as YAML, with the
// file name to save it under (slug-vN.yaml), for analysts and admins.
func (s *Service) DefinitionYAML(ctx context.Context, slug string) ([]byte, string, error) {
	if err := require(ctx, survey.RoleAnalyst); err != nil {
		return nil, "", err
	}
	sv, err := s.cfg.Surveys.FindSurvey(ctx, slug)
	if err != nil {
		return nil, "", err
	}
	out, err := survey.DefinitionYAML(sv)
	return out, sv.Slug + "-v" + strconv.Itoa(sv.Version) + ".yaml", err
}

// findSurvey reads a survey through the cached store.
func (s *Service) findSurvey(ctx context.Context, slug string) (*survey.Survey, error) {
	return s.cfg.Surveys.FindSurvey(ctx, slug)
}

// labelInPlace allows a new version sv of current to change its series or
// wave only to give an unlabelled wave a label of its own that leaves it
// where it stands among its series' waves.
func (s *Service) labelInPlace(ctx context.Context, current, sv *survey.Survey) error {
	refuse := &survey.Error{Code: survey.EINVALID, Message: "A new version keeps the survey's series and wave: " + current.SeriesName() + ", wave " + strconv.Quote(current.Wave) + ". An unlabelled wave may be given a label that keeps its place among the series' waves.",
		Fields: []survey.FieldError{{Path: "wave", Message: "series and wave are set when the survey is made; make a new wave for another round"}}}
	if current.Wave != "" || sv.Wave == "" || sv.SeriesName() != current.SeriesName() {
		return refuse
	}
	all, err := s.cfg.Surveys.ListSurveyHeaders(ctx)
	if err != nil {
		return err
	}
	before := survey.WavesOf(all, current.SeriesName())
	renamed := make([]*survey.Survey, 0, len(before))
	for _, w := range before {
		if w.Slug == current.Slug {
			w = sv
		}
		renamed = append(renamed, w)
	}
	after := survey.WavesOf(renamed, current.SeriesName())
	for i := range before {
		if before[i].Slug != after[i].Slug {
			refuse.Message = "Labelled " + strconv.Quote(sv.Wave) + ", " + current.Slug + " would move among the waves of " + current.SeriesName() + " (it would come after " + after[max(i-1, 0)].Slug + "); choose a label that sorts where it stands."
			return refuse
		}
	}
	return s.checkWaveLabel(ctx, sv)
}

// LabelWave gives survey slug, an unlabelled wave, the label label where
// it stands among its series' waves (admins): a new version of its
// definition that changes nothing else (UpdateSurvey, labelInPlace), so an
// old round can then be imported before it (docs/waves.md).
func (s *Service) LabelWave(ctx context.Context, slug, label string) (*survey.Survey, error) {
	if err := require(ctx, survey.RoleAdmin); err != nil {
		return nil, err
	}
	current, err := s.cfg.Surveys.FindSurvey(ctx, slug)
	if err != nil {
		return nil, err
	}
	def := *current
	def.Wave = strings.TrimSpace(label)
	if def.Series == "" {
		def.Series = current.SeriesName()
	}
	data, err := survey.DefinitionYAML(&def)
	if err != nil {
		return nil, err
	}
	sv, _, err := s.UpdateSurvey(ctx, slug, Definition{Data: data, Format: "yaml"})
	return sv, err
}
