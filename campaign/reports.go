package campaign

import (
	"cmp"
	"context"
	"slices"
	"time"

	"github.com/metlib/canvass/feedback"
	"github.com/metlib/canvass/survey"
)

// The benchmark reports ("How we compare", package feedback): who may
// read which report, and when. Every responding library's report is built
// from the same load of the survey's submitted responses and the
// directory (respondents); the admin releases the reports, and from then
// on each library reads its own through its personal link.

// ReportLibrary is one responding library in the list of reports.
type ReportLibrary struct {
	LibraryID string        `json:"library_id"`
	Library   string        `json:"library"`
	Language  string        `json:"language"`
	Region    survey.Region `json:"region,omitempty"`
	Submitted time.Time     `json:"submitted"`
	// Emailed is when its "your report is ready" email last went, nil
	// when it has not.
	Emailed *time.Time `json:"emailed,omitempty"`
	// Mailable: the library answered through an invitation, so its report
	// can be mailed to that contact with a personal link.
	Mailable bool `json:"mailable"`
}

// ReportList is a survey's reports: the release and the responding libraries.
type ReportList struct {
	Survey    string               `json:"survey"`
	Release   survey.ReportRelease `json:"release"`
	Libraries []ReportLibrary      `json:"libraries"`
}

// respondent is one submitted response made a feedback.Respondent, with
// what the list and the emails need. A release freezes them
// (survey.ReportInput, frozen.go).
type respondent struct {
	feedback.Respondent
	responseID   string
	invitationID string
	language     string
	submitted    time.Time
}

// respondents loads survey sv's submitted responses (recoded to its
// current options, as the results read them) and the directory once, and
// makes each a feedback.Respondent: the directory's facts first (region,
// type, population served, membership, demo), else the response's own
// region and its answer to the benchmark's population question. A library
// that submitted more than once (several invitations) counts once, by its
// latest submission. Responses without a library (anonymous) count among
// the peers with the facts they give, and have no report.
func (s *Service) respondents(ctx context.Context, sv *survey.Survey) ([]respondent, error) {
	libs, _, err := s.cfg.Libraries.ListLibraries(ctx, survey.LibraryFilter{})
	if err != nil {
		return nil, err
	}
	byID := make(map[string]*survey.Library, len(libs))
	for _, l := range libs {
		byID[l.ID] = l
	}
	popQ := populationQuestion(sv)
	var out []respondent
	at := map[string]int{} // library id → index in out
	stream := sv.RecodeResponses(s.cfg.Responses.StreamResponses(ctx, survey.ResponseFilter{SurveySlug: sv.Slug, Status: survey.ResponseSubmitted}))
	for r, err := range stream {
		if err != nil {
			return nil, err
		}
		p := respondent{responseID: r.ID, invitationID: r.InvitationID, language: r.Language, submitted: submittedAt(r), Respondent: feedback.Respondent{
			LibraryID: r.LibraryID, Region: r.Region, Demo: r.Source == survey.DemoSource, Answers: r.Answers}}
		if popQ != "" {
			if v, ok := r.Answers.Number(popQ); ok && v > 0 {
				p.Population = v
			}
		}
		if l := byID[r.LibraryID]; l != nil {
			p.Library, p.Member, p.Demo = l.Name, l.Member, l.Demo
			p.Region = cmp.Or(l.Region, p.Region)
			p.Type = l.Type
			if l.PopulationServed > 0 {
				p.Population = float64(l.PopulationServed)
			}
		}
		if r.LibraryID == "" {
			out = append(out, p)
			continue
		}
		if i, ok := at[r.LibraryID]; ok {
			if p.submitted.After(out[i].submitted) {
				out[i] = p
			}
			continue
		}
		at[r.LibraryID] = len(out)
		out = append(out, p)
	}
	return out, nil
}

func submittedAt(r *survey.Response) time.Time {
	if r.SubmittedAt != nil {
		return *r.SubmittedAt
	}
	return r.UpdatedAt
}

// populationQuestion is the number question a respondent's population
// served is read from when the directory does not have it: the benchmark
// block's Population, "" when it names none.
func populationQuestion(sv *survey.Survey) string {
	if sv.Benchmark == nil {
		return ""
	}
	return sv.Benchmark.Population
}

// build makes the report of respondent self among all, in lang.
func (s *Service) build(sv *survey.Survey, self respondent, all []respondent, lang string) (*feedback.Report, error) {
	others := make([]feedback.Respondent, 0, len(all))
	for _, o := range all {
		if o.responseID != self.responseID {
			others = append(others, o.Respondent)
		}
	}
	if !sv.HasLanguage(lang) {
		lang = cmp.Or(self.language, sv.DefaultLanguage)
	}
	return feedback.Build(feedback.Input{Survey: sv, Lang: lang, Self: self.Respondent, Others: others, Now: s.now().UTC()})
}

// Reports lists survey slug's responding libraries (those in the
// directory: a report is a library's) with the release of their reports.
// Admins and analysts see every library, coordinators those of their
// regions. Returns ENOTFOUND for an unknown survey.
func (s *Service) Reports(ctx context.Context, slug string) (*ReportList, error) {
	a, err := access(ctx, survey.RoleAnalyst, survey.RoleCoordinator)
	if err != nil {
		return nil, err
	}
	sv, err := s.cfg.Surveys.FindSurvey(ctx, slug)
	if err != nil {
		return nil, err
	}
	emailed, err := s.cfg.Reports.ReportsEmailed(ctx, sv.Slug)
	if err != nil {
		return nil, err
	}
	// Once released, the libraries the release froze: those with a report.
	rel, _, all, err := s.reportBasis(ctx, sv)
	if err != nil {
		return nil, err
	}
	out := &ReportList{Survey: sv.Slug, Release: *rel, Libraries: []ReportLibrary{}}
	for _, p := range all {
		if p.LibraryID == "" || p.Library == "" || !a.Coordinates(p.Region) {
			continue
		}
		row := ReportLibrary{LibraryID: p.LibraryID, Library: p.Library, Language: p.language, Region: p.Region,
			Submitted: p.submitted.UTC(), Mailable: p.invitationID != ""}
		if t, ok := emailed[p.LibraryID]; ok {
			row.Emailed = &t
		}
		out.Libraries = append(out.Libraries, row)
	}
	slices.SortFunc(out.Libraries, func(x, y ReportLibrary) int {
		return cmp.Or(cmp.Compare(x.Library, y.Library), cmp.Compare(x.LibraryID, y.LibraryID))
	})
	return out, nil
}

// PreviewReport builds library's report in lang for the working group,
// released or not: admins and analysts any library's, coordinators their
// regions'. Returns ENOTFOUND for an unknown survey, or a library that has
// not submitted a response to it (or is outside a coordinator's regions).
func (s *Service) PreviewReport(ctx context.Context, slug, library, lang string) (*feedback.Report, *survey.Survey, error) {
	a, err := access(ctx, survey.RoleAnalyst, survey.RoleCoordinator)
	if err != nil {
		return nil, nil, err
	}
	sv, err := s.cfg.Surveys.FindSurvey(ctx, slug)
	if err != nil {
		return nil, nil, err
	}
	// Once released, the report the library reads (the frozen one).
	rel, def, all, err := s.reportBasis(ctx, sv)
	if err != nil {
		return nil, nil, err
	}
	if !rel.Released() && a.Role == survey.RoleCoordinator {
		// Before the release a preview is built from the responses as
		// they come in: one taken before and one after another region's
		// library answers would show that library's answers, which a
		// coordinator does not see.
		// A state, not the role: ECONFLICT until the release.
		return nil, nil, survey.Errorf(survey.ECONFLICT, "The reports are not released yet: regional coordinators preview them once they are released.")
	}
	for _, p := range all {
		if p.LibraryID != "" && p.LibraryID == library && p.Library != "" && a.Coordinates(p.Region) {
			rep, err := s.build(def, p, all, lang)
			return rep, def, err
		}
	}
	return nil, nil, survey.Errorf(survey.ENOTFOUND, "%s has no report for library %q: it has not submitted a response.", sv.Slug, library)
}

// errNoReport is the one answer for every personal link that does not
// lead to a report: unknown survey, reports not released, unknown or
// withdrawn token, a library that has not submitted. One code and one
// text, so that a link tells nothing about which of these it is.
func errNoReport() error {
	return survey.Errorf(survey.ENOTFOUND, "There is no report at this link.")
}

// LibraryReport is the report a personal link leads to: survey slug's
// report of the token's library in lang (else the language it answered
// in). Only once the reports are released and only for a library that
// submitted a response; every other case is ENOTFOUND (errNoReport), the
// same for all. Anyone holding the link may read it: it is the link the
// library was given.
func (s *Service) LibraryReport(ctx context.Context, slug, token, lang string) (*feedback.Report, *survey.Survey, error) {
	if token == "" {
		return nil, nil, errNoReport()
	}
	sv, err := s.cfg.Surveys.FindSurvey(ctx, slug)
	if survey.ErrorCode(err) == survey.ENOTFOUND {
		return nil, nil, errNoReport()
	}
	if err != nil {
		return nil, nil, err
	}
	rel, err := s.cfg.Reports.ReportRelease(ctx, sv.Slug)
	if err != nil {
		return nil, nil, err
	}
	if !rel.Released() || sv.AcceptingAt(s.now()) {
		// Reopened after the release: a report read before and after a
		// library answers would tell its answers (errOpen).
		return nil, nil, errNoReport()
	}
	inv, err := s.InvitationByToken(ctx, sv.Slug, token)
	if survey.ErrorCode(err) == survey.ENOTFOUND || err == nil && inv.LibraryID == "" {
		return nil, nil, errNoReport()
	}
	if err != nil {
		return nil, nil, err
	}
	rel, def, all, err := s.reportBasis(ctx, sv)
	if err != nil {
		return nil, nil, err
	}
	if !rel.Released() {
		return nil, nil, errNoReport() // withdrawn meanwhile
	}
	for _, p := range all {
		if p.LibraryID == inv.LibraryID {
			if !def.HasLanguage(lang) {
				lang = cmp.Or(inv.Language, p.language)
			}
			rep, err := s.build(def, p, all, lang)
			return rep, def, err
		}
	}
	return nil, nil, errNoReport()
}

// errOpen refuses to release reports while the survey accepts responses:
// a release taken while libraries still answer and the next one would
// differ by the few answers in between, those libraries' answers. A
// release freezes its respondents (reports_frozen.go); reopening the
// survey after it stops the links from leading to a report until it is
// closed again.
func errOpen(sv *survey.Survey) error {
	return survey.Errorf(survey.ECONFLICT, "The survey %s still accepts responses: close it first. A report read before and after another library answers would show that library's answers.", sv.Slug)
}

// ReportsReadable reports whether survey slug's reports can be read
// through the libraries' links now: released, and the survey closed
// (errOpen). The pages link to a report only then.
func (s *Service) ReportsReadable(ctx context.Context, slug string) (bool, error) {
	sv, err := s.cfg.Surveys.FindSurvey(ctx, slug)
	if err != nil {
		return false, err
	}
	rel, err := s.cfg.Reports.ReportRelease(ctx, sv.Slug)
	if err != nil {
		return false, err
	}
	return rel.Released() && !sv.AcceptingAt(s.now()), nil
}

// ReportsReleased reports whether survey slug's reports are released
// (false for an unknown survey): the form's thanks page links to the
// report only then.
func (s *Service) ReportsReleased(ctx context.Context, slug string) (bool, error) {
	rel, err := s.cfg.Reports.ReportRelease(ctx, slug)
	if err != nil {
		return false, err
	}
	return rel.Released(), nil
}

// SetBenchmark makes b the benchmark block of survey slug (admins): its
// peer groups and population bands, through UpdateSurvey's rule, so that
// the block is validated with the rest of the definition (EINVALID, with
// the fields at benchmark.…) and makes a new version that changes nothing
// else. b's indicators, maturity and exclusions are taken as given: the
// admin page keeps the survey's own and changes groups and bands only.
func (s *Service) SetBenchmark(ctx context.Context, slug string, b survey.Benchmark) (*survey.Survey, error) {
	if err := require(ctx, survey.RoleAdmin); err != nil {
		return nil, err
	}
	current, err := s.cfg.Surveys.FindSurvey(ctx, slug)
	if err != nil {
		return nil, err
	}
	def := *current
	def.Benchmark = &b
	data, err := survey.DefinitionYAML(&def)
	if err != nil {
		return nil, err
	}
	sv, _, err := s.UpdateSurvey(ctx, slug, Definition{Data: data, Format: "yaml"})
	return sv, err
}
