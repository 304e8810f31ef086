package campaign

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"

	"github.com/metlib/canvass/feedback"
	"github.com/metlib/canvass/survey"
)

// A release freezes the reports: the respondents as they stood (their
// answers and the directory's facts) and the definition's version are
// stored with it (survey.ReportFreeze), and every released report is
// built from those, whatever happens after — a response deleted or
// edited, a library's region corrected in the directory, the benchmark's
// groups or bands changed. A report that moved between two readings would
// give away the answers of the libraries that moved it to whoever compares
// the two. To take such changes in, the admin withdraws and releases again.

// frozenSet is one release's respondents and definition, read once per
// process and shared: a release never changes.
type frozenSet struct {
	inputs      string
	survey      *survey.Survey
	respondents []respondent
}

// reportBasis is what survey sv's reports are built from now, with the
// release: once released, the frozen respondents and definition; before,
// the responses and the directory as they are (the working group's
// preview).
func (s *Service) reportBasis(ctx context.Context, sv *survey.Survey) (*survey.ReportRelease, *survey.Survey, []respondent, error) {
	rel, err := s.cfg.Reports.ReportRelease(ctx, sv.Slug)
	if err != nil {
		return nil, nil, nil, err
	}
	if !rel.Released() || rel.Frozen.Inputs == "" {
		all, err := s.respondents(ctx, sv)
		return rel, sv, all, err
	}
	set, err := s.frozenSet(ctx, sv.Slug, rel.Frozen)
	if err != nil {
		return nil, nil, nil, err
	}
	return rel, set.survey, set.respondents, nil
}

// frozenSet reads the respondents and the definition a release froze.
func (s *Service) frozenSet(ctx context.Context, slug string, f survey.ReportFreeze) (*frozenSet, error) {
	if v, ok := s.frozen.Load(slug); ok && v.(*frozenSet).inputs == f.Inputs {
		return v.(*frozenSet), nil
	}
	def, err := s.cfg.Surveys.FindSurveyVersion(ctx, slug, f.SurveyVersion)
	if err != nil {
		return nil, err
	}
	inputs, err := s.cfg.Reports.ReportInputs(ctx, slug, f.Inputs)
	if err != nil {
		return nil, err
	}
	if len(inputs) != f.Respondents {
		// Being replaced by another release as we read: no report
		// rather than a wrong one.
		return nil, survey.Errorf(survey.EUNAVAILABLE, "The reports of %s are being released again: try again in a moment.", slug)
	}
	set := &frozenSet{inputs: f.Inputs, survey: def, respondents: make([]respondent, len(inputs))}
	for i, in := range inputs {
		set.respondents[i] = respondent{
			Respondent: feedback.Respondent{LibraryID: in.LibraryID, Library: in.Library, Region: in.Region, Type: in.Type,
				Population: in.Population, Member: in.Member, Demo: in.Demo, Answers: in.Answers},
			responseID: in.ResponseID, invitationID: in.InvitationID, language: in.Language, submitted: in.Submitted,
		}
	}
	s.frozen.Store(slug, set)
	return set, nil
}

// ReleaseReports lets every library of survey slug that has submitted a
// response read its report through its personal link (and the emails be
// sent: SendReports, ReportMailMerge), freezing the respondents the
// reports are built from. Admins only; audited. Releasing released
// reports changes nothing.
//
// A release after a withdrawal is measured against the last release's
// respondents: if from 1 to k−1 of them changed (answered since, were
// deleted, or have other answers or directory facts), the reports stay as
// they were last released (KeptFrozen, with Changed): two releases that
// differed by so few would give those libraries' answers away to whoever
// compares them, as the public figures move only in steps of k. With k
// or more changed, the release is taken afresh.
//
// Returns ENOTFOUND for an unknown survey, ECONFLICT while it accepts
// responses (errOpen) or when another release or withdrawal happened
// meanwhile.
func (s *Service) ReleaseReports(ctx context.Context, slug string) (*survey.ReportRelease, error) {
	return s.setReleased(ctx, slug, true)
}

// WithdrawReports stops every personal link of survey slug from leading
// to a report until they are released again. The frozen respondents are
// kept, for the next release to be measured against. Admins only; audited.
func (s *Service) WithdrawReports(ctx context.Context, slug string) (*survey.ReportRelease, error) {
	return s.setReleased(ctx, slug, false)
}

func (s *Service) setReleased(ctx context.Context, slug string, release bool) (*survey.ReportRelease, error) {
	if err := require(ctx, survey.RoleAdmin); err != nil {
		return nil, err
	}
	sv, err := s.cfg.Surveys.FindSurvey(ctx, slug)
	if err != nil {
		return nil, err
	}
	rel, err := s.cfg.Reports.ReportRelease(ctx, sv.Slug)
	if err != nil {
		return nil, err
	}
	if release && sv.AcceptingAt(s.now()) {
		return nil, errOpen(sv)
	}
	if rel.Released() == release {
		return rel, nil
	}
	a, _ := survey.ActorFrom(ctx)
	if !release {
		if err := s.cfg.Reports.SetReportsReleased(ctx, sv.Slug, false, s.now().UTC(), a.Name, rel.Frozen, rel.Frozen.Inputs); err != nil {
			return nil, err
		}
		s.audit(ctx, "reports.withdraw", "survey:"+sv.Slug, "")
		return s.cfg.Reports.ReportRelease(ctx, sv.Slug)
	}
	all, err := s.respondents(ctx, sv)
	if err != nil {
		return nil, err
	}
	frozen, changed, keep := survey.ReportFreeze{}, 0, false
	if rel.Frozen.Inputs != "" {
		last, err := s.frozenSet(ctx, sv.Slug, rel.Frozen)
		if err != nil {
			return nil, err
		}
		changed = changedRespondents(last.respondents, all)
		keep = changed < sv.SmallCellK()
	}
	if keep {
		frozen = rel.Frozen
	} else {
		frozen = survey.ReportFreeze{Inputs: newInputsID(), SurveyVersion: sv.Version, Respondents: len(all)}
		inputs := make([]survey.ReportInput, len(all))
		for i, p := range all {
			inputs[i] = survey.ReportInput{ResponseID: p.responseID, InvitationID: p.invitationID, LibraryID: p.LibraryID,
				Library: p.Library, Language: p.language, Region: p.Region, Type: p.Type, Population: p.Population,
				Member: p.Member, Demo: p.Demo, Submitted: p.submitted, Answers: p.Answers}
		}
		if err := s.cfg.Reports.SaveReportInputs(ctx, sv.Slug, frozen.Inputs, inputs); err != nil {
			s.dropInputs(sv.Slug, frozen.Inputs)
			return nil, err
		}
	}
	if err := s.cfg.Reports.SetReportsReleased(ctx, sv.Slug, true, s.now().UTC(), a.Name, frozen, rel.Frozen.Inputs); err != nil {
		// Another release or withdrawal won: this one's set is nobody's.
		if !keep {
			s.dropInputs(sv.Slug, frozen.Inputs)
		}
		return nil, err
	}
	details := ""
	if !keep {
		// The winner alone deletes the set it replaced.
		s.dropInputs(sv.Slug, rel.Frozen.Inputs)
	} else if rel.Frozen.Inputs != "" {
		details = fmt.Sprintf("kept the last release: %d respondents changed, fewer than k = %d", changed, sv.SmallCellK())
	}
	s.audit(ctx, "reports.release", "survey:"+sv.Slug, details)
	out, err := s.cfg.Reports.ReportRelease(ctx, sv.Slug)
	if err != nil {
		return nil, err
	}
	out.KeptFrozen, out.Changed = keep && changed > 0, changed
	return out, nil
}

// changedRespondents counts the respondents that differ between two sets:
// in one and not the other (a library by its id, an anonymous response by
// its own), or with other answers or directory facts.
func changedRespondents(last, now []respondent) int {
	key := func(p respondent) string {
		if p.LibraryID != "" {
			return "l:" + p.LibraryID
		}
		return "r:" + p.responseID
	}
	was := make(map[string]respondent, len(last))
	for _, p := range last {
		was[key(p)] = p
	}
	changed := 0
	for _, p := range now {
		k := key(p)
		q, ok := was[k]
		delete(was, k)
		if !ok || q.Region != p.Region || q.Type != p.Type || q.Population != p.Population ||
			q.Member != p.Member || q.Demo != p.Demo || !q.Answers.Equal(p.Answers) {
			changed++
		}
	}
	return changed + len(was)
}

// dropInputs deletes a frozen set that no release points at, on a context
// of its own: a request cancelled after the release must not leave it.
// A failure leaves rows nobody reads (logged).
func (s *Service) dropInputs(slug, id string) {
	if id == "" {
		return
	}
	if err := s.cfg.Reports.DeleteReportInputs(context.WithoutCancel(context.Background()), slug, id); err != nil {
		s.log.Warn("delete frozen report inputs", "survey", slug, "release", id, "err", err)
	}
}

func newInputsID() string {
	b := make([]byte, 12)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// ReleaseNote says, for the pages and the CLI, that a release kept the
// last one's respondents (rel.KeptFrozen, k the survey's minimum); "" when
// it did not.
func ReleaseNote(rel *survey.ReportRelease, k int) string {
	if rel == nil || !rel.KeptFrozen {
		return ""
	}
	return fmt.Sprintf("Only %d respondents changed since the last release, fewer than %d: the reports stay as they were last released, "+
		"so that comparing two releases cannot give those libraries' answers away. They are taken afresh once %d or more have changed.", rel.Changed, k, k)
}
