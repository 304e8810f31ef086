package campaign

import (
	"context"
	"sort"
	"strconv"
	"strings"

	"github.com/metlib/canvass/survey"
)

// The invitation lifecycle: inviting libraries, listing and tracking the
// invitations, withdrawing one and recording a bounce. Sending them is in
// mailing.go.

// Invitees says which libraries to invite: those listed in LibraryIDs, or
// else those the previous wave invited or heard from (PreviousWave; of
// Region when set), or else those of the directory matching Region and
// Member (All: every library, or every one of the region).
type Invitees struct {
	LibraryIDs []string
	Region     survey.Region
	Member     *bool
	All        bool
	// PreviousWave invites every library the series' previous wave
	// invited (and did not withdraw) or that answered it.
	PreviousWave bool
	// Basis, when set, is the documented legal basis on which contacts
	// who have not recorded consent to be contacted are invited too; nil
	// leaves them out (Skipped, SkipNoConsent).
	Basis *LegalBasis
}

// LegalBasis is the ground, other than the contact's recorded consent, on
// which the section mails a contact: one of the LegalBases and where it is
// documented (a note such as "legitimate-interest assessment of 2 Nov
// 2026, standing committee minutes item 4"). Using one is audited.
type LegalBasis struct {
	Kind string `json:"kind"`
	Note string `json:"note"`
}

// The kinds of legal basis (GDPR article 6(1)) a mailing may rest on
// besides consent.
const (
	BasisLegitimateInterest = "legitimate_interest"
	BasisMembership         = "membership"
	BasisPublicTask         = "public_task"
)

// LegalBases lists the kinds of legal basis with what each means, in the
// order the pages offer them.
var LegalBases = []struct{ Kind, Label string }{
	{BasisLegitimateInterest, "Legitimate interest (GDPR art. 6(1)(f)): professional contacts of libraries, assessed and documented"},
	{BasisMembership, "Section membership (GDPR art. 6(1)(b)): the library is a member and the mailing is part of membership"},
	{BasisPublicTask, "Public task (GDPR art. 6(1)(e)): the survey is part of an official statistical or public mandate"},
}

// Validate reports what is missing from a legal basis: a known kind and a
// note (up to 1,000 characters) saying where it is documented.
func (b *LegalBasis) Validate() error {
	var fields []survey.FieldError
	known := false
	for _, k := range LegalBases {
		known = known || k.Kind == b.Kind
	}
	if !known {
		fields = append(fields, survey.FieldError{Path: "legal_basis.kind", Message: "legal_basis.kind is legitimate_interest, membership or public_task."})
	}
	if note := strings.TrimSpace(b.Note); note == "" || len([]rune(note)) > 1000 {
		fields = append(fields, survey.FieldError{Path: "legal_basis.note", Message: "Say where the legal basis is documented (legal_basis.note, up to 1,000 characters)."})
	}
	if len(fields) > 0 {
		return &survey.Error{Code: survey.EINVALID, Message: "Contacts without recorded consent are invited only on a documented legal basis.", Fields: fields}
	}
	return nil
}

// Skipped is a library that was not invited, with the reason.
type Skipped struct {
	LibraryID string `json:"library_id"`
	Name      string `json:"name"`
	// Reason is SkipNoEmail, SkipNoConsent or SkipInvited.
	Reason string `json:"reason"`
}

// The reasons a library is skipped.
const (
	SkipNoEmail   = "no contact email"
	SkipNoConsent = "no recorded consent to be contacted"
	SkipInvited   = "already invited"
)

// Invited is what inviting did.
type Invited struct {
	// Created are the new invitations' ids.
	Created []string `json:"-"`
	// Reinvited are the ids of withdrawn invitations issued again.
	Reinvited []string `json:"-"`
	// OnBasis are the libraries whose contact was invited on the legal
	// basis rather than a recorded consent.
	OnBasis []string  `json:"-"`
	Skipped []Skipped `json:"skipped"`
}

// previousWaveLibraries are the directory's libraries (of the actor's
// regions, and of region when it is set) that the wave before sv invited
// and did not withdraw, or whose response it has: "everyone from last
// time". EINVALID when sv is the first wave of its series.
func (s *Service) previousWaveLibraries(ctx context.Context, a survey.Actor, sv *survey.Survey, region survey.Region) ([]*survey.Library, error) {
	before, err := s.previousWave(ctx, sv)
	if err != nil {
		return nil, err
	}
	if before == nil {
		return nil, &survey.Error{Code: survey.EINVALID, Message: "The survey " + strconv.Quote(sv.Slug) + " is the first wave of its series: there is no previous wave to invite from.",
			Fields: []survey.FieldError{{Path: "previous_wave", Message: "no previous wave"}}}
	}
	invs, err := s.cfg.Invitations.ListInvitations(ctx, before.Slug)
	if err != nil {
		return nil, err
	}
	want := map[string]bool{}
	for _, inv := range invs {
		if !inv.Revoked || inv.Status == survey.InvitationSubmitted {
			want[inv.LibraryID] = true
		}
	}
	for r, err := range s.cfg.Responses.StreamResponses(ctx, survey.ResponseFilter{SurveySlug: before.Slug, Status: survey.ResponseSubmitted, ExcludeDemo: true}) {
		if err != nil {
			return nil, err
		}
		if r.LibraryID != "" {
			want[r.LibraryID] = true
		}
	}
	all, _, err := s.cfg.Libraries.ListLibraries(ctx, scoped(a, survey.LibraryFilter{Region: region}))
	if err != nil {
		return nil, err
	}
	var libs []*survey.Library
	for _, l := range all {
		if want[l.ID] {
			libs = append(libs, l)
		}
	}
	return libs, nil
}

// Invite invites libraries to survey slug, each once, at its first contact
// with an email who has recorded consent to be contacted (with who.Basis:
// else its first contact with an email), in that contact's language when
// the survey offers it (else the survey's default). Libraries without a
// contact email, without a consenting contact (and no basis), and those
// already invited are skipped with the reason.
//
// A library whose invitation was withdrawn is invited again: the same
// invitation (so the same one response, whatever it answered before),
// live again, to its contact as the directory now has it, with no link
// until one is sent or downloaded (the links of before stay dead); it is
// counted in the tracking again.
//
// Returns ENOTFOUND for an unknown survey or library, EINVALID when who
// selects nothing, names an unknown region (field "region") or gives an
// incomplete legal basis (fields "legal_basis.kind", "legal_basis.note").
// A coordinator invites the libraries of their regions only (scope.go):
// another region's library is ENOTFOUND, another region EFORBIDDEN, and
// "all" is all of theirs.
func (s *Service) Invite(ctx context.Context, slug string, who Invitees) (*Invited, error) {
	a, err := access(ctx, survey.RoleAdmin, survey.RoleCoordinator)
	if err != nil {
		return nil, err
	}
	mu := s.invitationLock(slug)
	mu.Lock()
	defer mu.Unlock()
	if who.Region != "" && survey.RegionLabels[who.Region] != nil && !a.Coordinates(who.Region) {
		return nil, survey.Errorf(survey.EFORBIDDEN, "You do not coordinate the region %s.", survey.RegionLabels[who.Region].In("en", "en"))
	}
	if who.Basis != nil {
		if err := who.Basis.Validate(); err != nil {
			return nil, err
		}
		who.Basis.Note = strings.TrimSpace(who.Basis.Note)
	}
	sv, err := s.cfg.Surveys.FindSurvey(ctx, slug)
	if err != nil {
		return nil, err
	}
	var libs []*survey.Library
	switch {
	case len(who.LibraryIDs) > 0:
		seen := map[string]bool{}
		for _, id := range who.LibraryIDs {
			if seen[id] {
				continue
			}
			seen[id] = true
			l, err := s.coordinated(ctx, a, id)
			if err != nil {
				return nil, err
			}
			libs = append(libs, l)
		}
	case who.Region != "" && survey.RegionLabels[who.Region] == nil:
		return nil, &survey.Error{Code: survey.EINVALID, Message: "Unknown region.", Fields: []survey.FieldError{{Path: "region", Message: "region is one of the IFLA regions, e.g. europe."}}}
	case who.PreviousWave:
		if libs, err = s.previousWaveLibraries(ctx, a, sv, who.Region); err != nil {
			return nil, err
		}
	case who.All || who.Region != "" || who.Member != nil:
		if libs, _, err = s.cfg.Libraries.ListLibraries(ctx, scoped(a, survey.LibraryFilter{Region: who.Region, Member: who.Member})); err != nil {
			return nil, err
		}
	default:
		return nil, survey.Errorf(survey.EINVALID, "Say which libraries to invite: library_ids, region, member, previous_wave, or all.")
	}
	existing, err := s.cfg.Invitations.ListInvitations(ctx, sv.Slug)
	if err != nil {
		return nil, err
	}
	byLibrary := make(map[string]*survey.Invitation, len(existing))
	for _, inv := range existing {
		byLibrary[inv.LibraryID] = inv
	}
	out := &Invited{Skipped: []Skipped{}}
	defer s.auditInvited(ctx, sv.Slug, who.Basis, out)
	for _, l := range libs {
		before := byLibrary[l.ID]
		if before != nil && !before.Revoked {
			out.Skipped = append(out.Skipped, Skipped{l.ID, l.Name, SkipInvited})
			continue
		}
		contact, onBasis, reason := pickContact(l, who.Basis != nil)
		if contact == nil {
			out.Skipped = append(out.Skipped, Skipped{l.ID, l.Name, reason})
			continue
		}
		lang := contact.Language
		if !sv.HasLanguage(lang) {
			lang = sv.DefaultLanguage
		}
		if before != nil {
			reissue(before, contact, lang)
			if err := s.cfg.Invitations.UpdateInvitation(ctx, before); err != nil {
				return nil, err
			}
			out.Reinvited = append(out.Reinvited, before.ID)
		} else {
			inv := &survey.Invitation{SurveySlug: sv.Slug, LibraryID: l.ID, Name: contact.Name, Email: contact.Email, Language: lang, Status: survey.InvitationNotSent, CreatedAt: s.now()}
			switch err := s.cfg.Invitations.CreateInvitation(ctx, inv); survey.ErrorCode(err) {
			case "":
				out.Created = append(out.Created, inv.ID)
			case survey.ECONFLICT: // invited meanwhile, by another request
				out.Skipped = append(out.Skipped, Skipped{l.ID, l.Name, SkipInvited})
				continue
			default:
				return nil, err
			}
		}
		if onBasis {
			out.OnBasis = append(out.OnBasis, l.Name)
		}
	}
	return out, nil
}

// pickContact chooses whom a library's invitation goes to: its first
// contact with an email who consented to be contacted, else (when a legal
// basis is given) its first contact with an email. Without one, reason
// says why.
func pickContact(l *survey.Library, basis bool) (c *survey.Contact, onBasis bool, reason string) {
	var first *survey.Contact
	for i := range l.Contacts {
		ct := &l.Contacts[i]
		if ct.Email == "" {
			continue
		}
		if ct.Consent {
			return ct, false, ""
		}
		if first == nil {
			first = ct
		}
	}
	switch {
	case first == nil:
		return nil, false, SkipNoEmail
	case !basis:
		return nil, false, SkipNoConsent
	}
	return first, true, ""
}

// reissue makes a withdrawn invitation live again for contact: its id
// (and so its one response) stays, the links issued before stay dead, and
// it waits to be sent. What the library had answered still counts: a
// submitted response keeps it submitted, a draft started.
func reissue(inv *survey.Invitation, contact *survey.Contact, lang string) {
	inv.Revoked = false
	inv.TokenHashes = nil
	inv.Name, inv.Email, inv.Language = contact.Name, contact.Email, lang
	inv.SentAt, inv.OpenedAt, inv.SendError, inv.Reminders = nil, nil, "", 0
	switch {
	case inv.SubmittedAt != nil:
		inv.Status = survey.InvitationSubmitted
	case inv.StartedAt != nil:
		inv.Status = survey.InvitationStarted
	default:
		inv.Status = survey.InvitationNotSent
	}
}

// auditInvited records an inviting; one on a legal basis is recorded
// with the basis, its note and the libraries it reached, so the section
// can show why each contact without consent was mailed.
func (s *Service) auditInvited(ctx context.Context, slug string, basis *LegalBasis, out *Invited) {
	if len(out.Created) == 0 && len(out.Reinvited) == 0 && len(out.Skipped) == 0 {
		return
	}
	details := countOf(len(out.Created), "library", "libraries") + " invited"
	if len(out.Reinvited) > 0 {
		details += ", " + countOf(len(out.Reinvited), "library", "libraries") + " invited again"
	}
	noConsent := 0
	for _, sk := range out.Skipped {
		if sk.Reason == SkipNoConsent {
			noConsent++
		}
	}
	if noConsent > 0 {
		details += ", " + countOf(noConsent, "library", "libraries") + " left out without recorded consent"
	}
	s.audit(ctx, "invitation.create", "survey:"+slug, details)
	if basis != nil && len(out.OnBasis) > 0 {
		s.audit(ctx, "invitation.legal_basis", "survey:"+slug, basis.Kind+" ("+basis.Note+"): "+countOf(len(out.OnBasis), "contact", "contacts")+
			" without recorded consent invited: "+strings.Join(out.OnBasis, "; "))
	}
}

// Invitation is an invitation with what the directory says of its library.
type Invitation struct {
	*survey.Invitation
	// Library is the library's name ("" when it has left the directory).
	Library string
	Region  survey.Region
	Type    survey.LibraryType
}

// Invitations lists survey slug's invitations (withdrawn ones included)
// with their libraries (a coordinator's: of their regions' libraries).
// Returns ENOTFOUND for an unknown survey.
func (s *Service) Invitations(ctx context.Context, slug string) ([]Invitation, error) {
	if _, err := access(ctx, survey.RoleAnalyst, survey.RoleCoordinator); err != nil {
		return nil, err
	}
	sv, err := s.cfg.Surveys.FindSurvey(ctx, slug)
	if err != nil {
		return nil, err
	}
	return s.invitationsOf(ctx, sv.Slug)
}

func (s *Service) invitationsOf(ctx context.Context, slug string) ([]Invitation, error) {
	invs, err := s.cfg.Invitations.ListInvitations(ctx, slug)
	if err != nil {
		return nil, err
	}
	libs, _, err := s.cfg.Libraries.ListLibraries(ctx, survey.LibraryFilter{})
	if err != nil {
		return nil, err
	}
	byID := make(map[string]*survey.Library, len(libs))
	for _, l := range libs {
		byID[l.ID] = l
	}
	out := make([]Invitation, len(invs))
	for i, inv := range invs {
		out[i] = Invitation{Invitation: inv}
		if l := byID[inv.LibraryID]; l != nil {
			out[i].Library, out[i].Region, out[i].Type = l.Name, l.Region, l.Type
		}
	}
	return onlyCoordinated(ctx, out), nil
}

// TrackingGroup counts the invitations of one group by how far they got:
// each stage counts those that reached it or went further.
type TrackingGroup struct {
	Invited   int `json:"invited"`
	Sent      int `json:"sent"`
	Opened    int `json:"opened"`
	Started   int `json:"started"`
	Submitted int `json:"submitted"`
	// ResponseRate is Submitted / Invited (0 when nobody is invited).
	ResponseRate float64 `json:"response_rate"`
}

func (g *TrackingGroup) add(status survey.InvitationStatus) {
	g.Invited++
	rank := map[survey.InvitationStatus]int{survey.InvitationSent: 1, survey.InvitationOpened: 2, survey.InvitationStarted: 3, survey.InvitationSubmitted: 4}[status]
	for i, counter := range []*int{&g.Sent, &g.Opened, &g.Started, &g.Submitted} {
		if rank > i {
			*counter++
		}
	}
	g.ResponseRate = float64(g.Submitted) / float64(g.Invited)
}

// Waiting is an invited library that has not submitted.
type Waiting struct {
	Library string                  `json:"library"`
	Email   string                  `json:"email"`
	Status  survey.InvitationStatus `json:"status"`
}

// Tracking is how a survey's invitations stand, withdrawn ones left out:
// overall, by IFLA region and by library type (keyed "unknown" when the
// library is not in the directory any more or has no type), and the
// libraries not yet responding, by name.
type Tracking struct {
	Overall       TrackingGroup             `json:"overall"`
	ByRegion      map[string]*TrackingGroup `json:"by_region"`
	ByType        map[string]*TrackingGroup `json:"by_type"`
	NotResponding []Waiting                 `json:"not_responding"`
}

// Tracking counts survey slug's invitations. Returns ENOTFOUND for an
// unknown survey.
func (s *Service) Tracking(ctx context.Context, slug string) (*Tracking, error) {
	list, err := s.Invitations(ctx, slug)
	if err != nil {
		return nil, err
	}
	t := TrackingOf(list)
	return &t, nil
}

// TrackingOf counts a list of invitations (see Tracking).
func TrackingOf(list []Invitation) Tracking {
	t := Tracking{ByRegion: map[string]*TrackingGroup{}, ByType: map[string]*TrackingGroup{}, NotResponding: []Waiting{}}
	for _, inv := range list {
		if inv.Revoked {
			continue
		}
		t.Overall.add(inv.Status)
		for _, g := range []struct {
			m   map[string]*TrackingGroup
			key string
		}{{t.ByRegion, string(inv.Region)}, {t.ByType, string(inv.Type)}} {
			key := g.key
			if key == "" {
				key = "unknown"
			}
			if g.m[key] == nil {
				g.m[key] = &TrackingGroup{}
			}
			g.m[key].add(inv.Status)
		}
		if inv.Status != survey.InvitationSubmitted {
			t.NotResponding = append(t.NotResponding, Waiting{inv.Library, inv.Email, inv.Status})
		}
	}
	sort.SliceStable(t.NotResponding, func(i, j int) bool { return t.NotResponding[i].Library < t.NotResponding[j].Library })
	return t
}

// invitation finds invitation id of survey slug; another survey's
// invitation, or (for a coordinator) one to a library outside their
// regions, is ENOTFOUND, like an unknown one.
func (s *Service) invitation(ctx context.Context, slug, id string) (*survey.Invitation, error) {
	inv, err := s.cfg.Invitations.FindInvitation(ctx, id)
	if err == nil && inv.SurveySlug != slug {
		err = survey.Errorf(survey.ENOTFOUND, "There is no such invitation.")
	}
	if a, _ := survey.ActorFrom(ctx); err == nil && a.Role == survey.RoleCoordinator {
		if _, lerr := s.coordinated(ctx, a, inv.LibraryID); lerr != nil {
			err = survey.Errorf(survey.ENOTFOUND, "There is no such invitation.")
		}
	}
	return inv, err
}

// Revoke withdraws invitation id of survey slug: its links stop working.
// Returns ENOTFOUND.
func (s *Service) Revoke(ctx context.Context, slug, id string) (*survey.Invitation, error) {
	if _, err := access(ctx, survey.RoleAdmin, survey.RoleCoordinator); err != nil {
		return nil, err
	}
	mu := s.invitationLock(slug)
	mu.Lock()
	defer mu.Unlock()
	inv, err := s.invitation(ctx, slug, id)
	if err != nil {
		return nil, err
	}
	inv.Revoked = true
	if err := s.cfg.Invitations.UpdateInvitation(ctx, inv); err != nil {
		return nil, err
	}
	s.audit(ctx, "invitation.revoke", "invitation:"+inv.ID, inv.Email)
	return inv, nil
}

// RecordBounce records a bounce that came back by email after the SMTP
// server had accepted the message: the invitation shows it until it is
// sent again successfully. Returns EINVALID (field "reason") for an empty
// reason or one over 500 characters, ENOTFOUND for an unknown invitation.
func (s *Service) RecordBounce(ctx context.Context, slug, id, reason string) error {
	if _, err := access(ctx, survey.RoleAdmin, survey.RoleCoordinator); err != nil {
		return err
	}
	mu := s.invitationLock(slug)
	mu.Lock()
	defer mu.Unlock()
	reason = strings.TrimSpace(reason)
	if reason == "" || len([]rune(reason)) > 500 {
		return &survey.Error{Code: survey.EINVALID, Message: "Say why it bounced.", Fields: []survey.FieldError{{Path: "reason", Message: "reason is required (up to 500 characters), e.g. the bounce's status line."}}}
	}
	inv, err := s.invitation(ctx, slug, id)
	if err != nil {
		return err
	}
	inv.SendError = "bounced: " + reason
	if err := s.cfg.Invitations.UpdateInvitation(ctx, inv); err != nil {
		return err
	}
	s.audit(ctx, "invitation.bounce", "invitation:"+inv.ID, reason)
	return nil
}

// LibraryInvitation is one survey's invitation of a library, as the
// library's page shows it.
type LibraryInvitation struct {
	Survey     *survey.Survey
	Invitation *survey.Invitation
}

// LibraryInvitations lists library id's invitations, one per survey that
// invited it, in the order of the surveys. Returns ENOTFOUND for an
// unknown library (or one outside a coordinator's regions).
func (s *Service) LibraryInvitations(ctx context.Context, id string) ([]LibraryInvitation, error) {
	a, err := access(ctx, survey.RoleAnalyst, survey.RoleCoordinator)
	if err != nil {
		return nil, err
	}
	if _, err := s.coordinated(ctx, a, id); err != nil {
		return nil, err
	}
	surveys, err := s.cfg.Surveys.ListSurveyHeaders(ctx)
	if err != nil {
		return nil, err
	}
	var out []LibraryInvitation
	for _, sv := range surveys {
		invs, err := s.cfg.Invitations.ListInvitations(ctx, sv.Slug)
		if err != nil {
			return nil, err
		}
		for _, inv := range invs {
			if inv.LibraryID == id {
				out = append(out, LibraryInvitation{sv, inv})
			}
		}
	}
	return out, nil
}

// countOf is n with the noun in the number it takes ("1 library", "0
// libraries"), for the audit log's lines.
func countOf(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}
