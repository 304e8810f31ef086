package campaign

import (
	"context"

	"github.com/metlib/canvass/demo"
	"github.com/metlib/canvass/survey"
)

// Demo data (canvass demo) goes into the same database as the real
// campaign, so it is marked where it is stored: its responses have Source
// survey.DemoSource, its libraries Demo. Public outputs leave both out (the
// counts, the published results, the profiles); the working group's pages
// count them under a banner; RemoveDemo deletes exactly them.

// DemoReport says what AddDemo wrote or RemoveDemo deleted.
type DemoReport struct {
	Libraries   int `json:"libraries"`
	Invitations int `json:"invitations"`
	Responses   int `json:"responses"`
}

func (r DemoReport) String() string {
	return nouns(r.Libraries, "library", "libraries") + ", " + nouns(r.Invitations, "invitation", "invitations") + ", " + nouns(r.Responses, "response", "responses")
}

// AddDemo writes made-up data to survey slug (admins): n submitted
// responses drawn from seed (demo.Generate), most of them from made-up
// libraries added to the directory, each invited to the survey (some
// invited libraries have not answered). It is idempotent per seed: the
// same responses, libraries and invitations are not written twice, and a
// demo library already there (from another survey's demo) is reused. It
// returns what was new, and audits it as demo.add.
func (s *Service) AddDemo(ctx context.Context, slug string, n int, seed uint64) (DemoReport, error) {
	var out DemoReport
	if err := require(ctx, survey.RoleAdmin); err != nil {
		return out, err
	}
	if n < 1 || n > 1_000_000 {
		return out, survey.Errorf(survey.EINVALID, "Make 1 to 1,000,000 demo responses, not %d.", n)
	}
	sv, err := s.cfg.Surveys.FindSurvey(ctx, slug)
	if err != nil {
		return out, err
	}
	defer func() {
		if out != (DemoReport{}) {
			s.audit(ctx, "demo.add", "survey:"+sv.Slug, out.String())
		}
	}()
	d := demo.Generate(sv, n, seed, s.now())
	libs, err := s.demoLibraries(ctx)
	if err != nil {
		return out, err
	}
	known := map[string]*survey.Library{}
	for _, l := range libs {
		known[l.Name+"|"+l.Country] = l
	}
	// A made-up library never takes the name of a real one: its responses
	// become anonymous ones, and it is neither written nor invited.
	realLibs, _, err := s.cfg.Libraries.ListLibraries(ctx, survey.LibraryFilter{Demo: new(bool)})
	if err != nil {
		return out, err
	}
	taken := map[string]bool{}
	for _, l := range realLibs {
		taken[l.Name+"|"+l.Country] = true
	}
	var kept []*survey.Library
	index := make([]int, len(d.Libraries))
	for i, l := range d.Libraries {
		index[i] = -1
		if !taken[l.Name+"|"+l.Country] {
			index[i] = len(kept)
			kept = append(kept, l)
		}
	}
	for i, li := range d.LibraryOf {
		if li >= 0 {
			d.LibraryOf[i] = index[li]
		}
	}
	d.Libraries = kept
	for _, l := range d.Libraries {
		if have := known[l.Name+"|"+l.Country]; have != nil {
			l.ID = have.ID
			continue
		}
		if err := s.cfg.Libraries.CreateLibrary(ctx, l); err != nil {
			return out, err
		}
		out.Libraries++
	}
	// Every demo library is invited: submitted when it answered, else sent
	// the day before the first response.
	answered := map[int]*survey.Response{}
	for i, r := range d.Responses {
		if li := d.LibraryOf[i]; li >= 0 {
			answered[li] = r
			r.LibraryID = d.Libraries[li].ID
		}
	}
	sent := s.now().AddDate(0, 0, -61).UTC()
	for li, l := range d.Libraries {
		c := l.Contacts[0]
		inv := &survey.Invitation{SurveySlug: sv.Slug, LibraryID: l.ID, Name: c.Name, Email: c.Email, Language: c.Language,
			Status: survey.InvitationNotSent, CreatedAt: sent}
		inv.Advance(survey.InvitationSent, sent)
		if r := answered[li]; r != nil {
			inv.Advance(survey.InvitationSubmitted, *r.SubmittedAt)
		}
		err := s.cfg.Invitations.CreateInvitation(ctx, inv)
		switch survey.ErrorCode(err) {
		case "":
			out.Invitations++
		case survey.ECONFLICT: // invited by an earlier run (or by hand): keep it
		default:
			return out, err
		}
		if r := answered[li]; r != nil {
			r.InvitationID = inv.ID
		}
	}
	out.Responses, err = s.importResponses(ctx, sv, d.Responses)
	return out, err
}

// RemoveDemo deletes everything canvass demo wrote, for every survey
// (admins): the responses with Source survey.DemoSource, the invitations of
// demo libraries (made by AddDemo, or by an admin inviting them), and the
// demo libraries. Nothing else is touched. It returns what was deleted, and
// audits it as demo.remove.
func (s *Service) RemoveDemo(ctx context.Context) (DemoReport, error) {
	var out DemoReport
	if err := require(ctx, survey.RoleAdmin); err != nil {
		return out, err
	}
	defer func() {
		if out != (DemoReport{}) {
			s.audit(ctx, "demo.remove", "demo", out.String())
		}
	}()
	libs, err := s.demoLibraries(ctx)
	if err != nil {
		return out, err
	}
	isDemo := map[string]bool{}
	for _, l := range libs {
		isDemo[l.ID] = true
	}
	surveys, err := s.cfg.Surveys.ListSurveyHeaders(ctx)
	if err != nil {
		return out, err
	}
	for _, sv := range surveys {
		// The ids first: deleting while a cursor reads the same documents
		// could skip some.
		var ids []string
		for r, err := range s.cfg.Responses.StreamResponses(ctx, survey.ResponseFilter{SurveySlug: sv.Slug, Source: survey.DemoSource}) {
			if err != nil {
				return out, err
			}
			ids = append(ids, r.ID)
		}
		for _, id := range ids {
			if err := s.cfg.Responses.DeleteResponse(ctx, id); err != nil && survey.ErrorCode(err) != survey.ENOTFOUND {
				return out, err
			}
			out.Responses++
		}
		invs, err := s.cfg.Invitations.ListInvitations(ctx, sv.Slug)
		if err != nil {
			return out, err
		}
		for _, inv := range invs {
			if !isDemo[inv.LibraryID] {
				continue
			}
			if err := s.cfg.Invitations.DeleteInvitation(ctx, inv.ID); err != nil && survey.ErrorCode(err) != survey.ENOTFOUND {
				return out, err
			}
			out.Invitations++
		}
	}
	for _, l := range libs {
		if err := s.cfg.Libraries.DeleteLibrary(ctx, l.ID); err != nil && survey.ErrorCode(err) != survey.ENOTFOUND {
			return out, err
		}
		out.Libraries++
	}
	return out, nil
}

// DemoLibraries returns how many libraries of the directory canvass demo
// made up, for the banner of the directory's pages: analysts and admins,
// and coordinators, who are told of their regions' demo libraries only.
func (s *Service) DemoLibraries(ctx context.Context) (int, error) {
	a, err := access(ctx, survey.RoleAnalyst, survey.RoleCoordinator)
	if err != nil {
		return 0, err
	}
	yes := true
	_, n, err := s.cfg.Libraries.ListLibraries(ctx, scoped(a, survey.LibraryFilter{Demo: &yes, Limit: 1}))
	return n, err
}

// DemoResponses returns how many of survey slug's submitted responses
// canvass demo made up (analysts and admins; coordinators: of their
// regions).
func (s *Service) DemoResponses(ctx context.Context, slug string) (int, error) {
	a, err := access(ctx, survey.RoleAnalyst, survey.RoleCoordinator)
	if err != nil {
		return 0, err
	}
	f, err := s.scopedResponses(ctx, a, survey.ResponseFilter{SurveySlug: slug, Status: survey.ResponseSubmitted, Source: survey.DemoSource})
	if err != nil {
		return 0, err
	}
	return s.cfg.Responses.CountMatching(ctx, f)
}

func (s *Service) demoLibraries(ctx context.Context) ([]*survey.Library, error) {
	yes := true
	libs, _, err := s.cfg.Libraries.ListLibraries(ctx, survey.LibraryFilter{Demo: &yes})
	return libs, err
}
