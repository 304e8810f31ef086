package campaign

import (
	"context"
	"slices"

	"github.com/metlib/canvass/survey"
)

// Regional coordinators. A coordinator (survey.RoleCoordinator) looks after
// the libraries of their IFLA regions (survey.Actor.Regions): the use cases
// of the directory, the contacts, the invitations and the reading of
// responses admit them and keep them to those regions; every other use
// case refuses them (EFORBIDDEN), as require does — analyses, downloads of
// responses and results, which add up every region. Another region's
// library, contact, invitation or response does not exist for a
// coordinator: ENOTFOUND, the answer for an unknown id, so that ids cannot
// be probed for what lies outside their regions.

// access returns the context's actor when its role is one of roles (admins
// have every role): EUNAUTHORIZED without an actor, EFORBIDDEN for another
// role. It is require for the use cases coordinators share.
func access(ctx context.Context, roles ...survey.Role) (survey.Actor, error) {
	a, ok := survey.ActorFrom(ctx)
	if !ok {
		return a, survey.Errorf(survey.EUNAUTHORIZED, "Sign in first.")
	}
	for _, r := range roles {
		if a.Role.Allows(r) {
			return a, nil
		}
	}
	return a, survey.Errorf(survey.EFORBIDDEN, "Your role may not do this.")
}

// scoped narrows a directory filter to the actor's regions: a
// coordinator's listing, export or invitation never reaches a library of
// another region, whatever the filter asked for.
func scoped(a survey.Actor, f survey.LibraryFilter) survey.LibraryFilter {
	if a.Role == survey.RoleCoordinator {
		// A coordinator without regions (refused by User.Validate, but
		// the store holds what it holds) sees nothing: a region that
		// does not exist matches no library.
		f.Regions = append([]survey.Region{"-"}, a.Regions...)
	}
	return f
}

// responseScope is what keeps a coordinator to their regions' responses:
// the filter fields survey.ResponseFilter.Regions and Libraries. A
// response given through an invitation (it has a LibraryID) belongs to the
// invited library's region, whatever region the respondent ticked, or an
// invited library could put its answers (the contact's email among them)
// before another region's coordinator and hide them from its own. The
// library's region is the directory's as it is now, looked up at each
// request rather than stored on the response at submission: a library
// that moves region takes its responses with it, as it takes its
// invitations (onlyCoordinated), so the coordinator who sees it Submitted
// on their invitations page can open its response, and the previous
// region's coordinator no longer can. A response whose library has left
// the directory has no known region and no coordinator sees it (nor its
// invitation). A response without a library belongs to the region it
// gives (its answer to the region question, else its country's region).
type responseScope struct {
	on        bool // a coordinator's: narrow every filter
	regions   []survey.Region
	libraries []string
}

// responseScope returns the actor's scope of responses: for a coordinator
// their regions and the ids of the directory's libraries in them; for
// other roles, none (apply changes nothing).
func (s *Service) responseScope(ctx context.Context, a survey.Actor) (responseScope, error) {
	if a.Role != survey.RoleCoordinator {
		return responseScope{}, nil
	}
	libs, _, err := s.cfg.Libraries.ListLibraries(ctx, scoped(a, survey.LibraryFilter{}))
	if err != nil {
		return responseScope{}, err
	}
	// A coordinator without regions (refused by User.Validate, but the
	// store holds what it holds) sees nothing: a region that does not
	// exist matches no response, and the filter is never empty.
	sc := responseScope{on: true, regions: append([]survey.Region{"-"}, a.Regions...), libraries: make([]string, len(libs))}
	for i, l := range libs {
		sc.libraries[i] = l.ID
	}
	return sc, nil
}

// apply narrows f to the scope; a region filter of f then keeps, of the
// scope's responses, those giving that region.
func (sc responseScope) apply(f survey.ResponseFilter) survey.ResponseFilter {
	if sc.on {
		f.Regions, f.Libraries = sc.regions, sc.libraries
	}
	return f
}

// scopedResponses is f narrowed to the actor's responses (responseScope).
func (s *Service) scopedResponses(ctx context.Context, a survey.Actor, f survey.ResponseFilter) (survey.ResponseFilter, error) {
	sc, err := s.responseScope(ctx, a)
	return sc.apply(f), err
}

// mayRead reports whether the actor may read response r: by its library's
// region (the directory's now) when it was invited, else by the region it
// gives, the rule of responseScope for one response, without listing the
// directory.
func (s *Service) mayRead(ctx context.Context, a survey.Actor, r *survey.Response) (bool, error) {
	switch {
	case a.Role != survey.RoleCoordinator:
		return true, nil
	case r.LibraryID == "":
		return a.Coordinates(r.Region), nil
	}
	_, err := s.coordinated(ctx, a, r.LibraryID)
	if survey.ErrorCode(err) == survey.ENOTFOUND {
		return false, nil
	}
	return err == nil, err
}

// errNoLibrary is the answer for a library the actor may not see: the same
// code and words as for an id the directory does not have.
func errNoLibrary(id string) error {
	return survey.Errorf(survey.ENOTFOUND, "There is no library %q.", id)
}

// coordinated returns library id when the actor may see it, ENOTFOUND
// (errNoLibrary) when it is not in the directory or in none of a
// coordinator's regions.
func (s *Service) coordinated(ctx context.Context, a survey.Actor, id string) (*survey.Library, error) {
	l, err := s.cfg.Libraries.FindLibrary(ctx, id)
	if err != nil {
		return nil, err
	}
	if !a.Coordinates(l.Region) {
		return nil, errNoLibrary(id)
	}
	return l, nil
}

// checkRegionOf returns EINVALID (field "region") when a coordinator would
// put library l in a region that is not theirs: they could no longer see it.
func checkRegionOf(a survey.Actor, l *survey.Library) error {
	if a.Coordinates(l.Region) {
		return nil
	}
	mine := make([]string, len(a.Regions))
	for i, r := range a.Regions {
		mine[i] = survey.RegionLabels[r].In("en", "en")
	}
	msg := "You coordinate " + joinAnd(mine) + ": the library's country or region must be in one of them."
	return &survey.Error{Code: survey.EINVALID, Message: msg, Fields: []survey.FieldError{{Path: "region", Message: msg}}}
}

func joinAnd(items []string) string {
	switch len(items) {
	case 0:
		return "no region"
	case 1:
		return items[0]
	}
	out := ""
	for i, it := range items {
		switch {
		case i == 0:
		case i == len(items)-1:
			out += " and "
		default:
			out += ", "
		}
		out += it
	}
	return out
}

// onlyCoordinated drops the invitations of libraries outside a
// coordinator's regions (and those whose library left the directory, whose
// region nobody knows); other actors get the list as it is.
func onlyCoordinated(ctx context.Context, list []Invitation) []Invitation {
	a, _ := survey.ActorFrom(ctx)
	if a.Role != survey.RoleCoordinator {
		return list
	}
	return slices.DeleteFunc(list, func(inv Invitation) bool { return inv.Library == "" || !a.Coordinates(inv.Region) })
}

// SurveyHeaders lists every survey's header (no questions), by slug, for
// every role of the working group: a coordinator chooses from it the
// survey to invite a library to. Unlike ListSurveys it counts no
// responses, which a coordinator may not read.
func (s *Service) SurveyHeaders(ctx context.Context) ([]*survey.Survey, error) {
	if _, err := access(ctx, survey.RoleAnalyst, survey.RoleCoordinator); err != nil {
		return nil, err
	}
	return s.cfg.Surveys.ListSurveyHeaders(ctx)
}

// RegionalSurvey is a survey as a coordinator follows it: its invitations'
// tracking for their regions, and the submitted responses of their regions
// (responseScope: their libraries' and the anonymous ones giving their
// regions), never the survey's whole count.
type RegionalSurvey struct {
	Survey    *survey.Survey
	Tracking  Tracking
	Responses int
}

// RegionalSurveys lists every survey, by slug, with the tracking of its
// invitations and its submitted responses as the actor may see them (a
// coordinator: their regions'). For coordinators, analysts and admins.
func (s *Service) RegionalSurveys(ctx context.Context) ([]RegionalSurvey, error) {
	all, err := s.SurveyHeaders(ctx) // a list: no definitions
	if err != nil {
		return nil, err
	}
	a, _ := survey.ActorFrom(ctx)
	sc, err := s.responseScope(ctx, a) // once for every survey
	if err != nil {
		return nil, err
	}
	out := make([]RegionalSurvey, 0, len(all))
	for _, sv := range all {
		list, err := s.invitationsOf(ctx, sv.Slug)
		if err != nil {
			return nil, err
		}
		n, err := s.cfg.Responses.CountMatching(ctx, sc.apply(survey.ResponseFilter{SurveySlug: sv.Slug, Status: survey.ResponseSubmitted}))
		if err != nil {
			return nil, err
		}
		out = append(out, RegionalSurvey{Survey: sv, Tracking: TrackingOf(list), Responses: n})
	}
	return out, nil
}
