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
// else those of the directory matching Region and Member (All: every
// library, or every one of the region).
type Invitees struct {
	LibraryIDs []string
	Region     survey.Region
	Member     *bool
	All        bool
}

// Skipped is a library that was not invited, with the reason.
type Skipped struct {
	LibraryID string `json:"library_id"`
	Name      string `json:"name"`
	// Reason is SkipNoEmail or SkipInvited.
	Reason string `json:"reason"`
}

// The reasons a library is skipped.
const (
	SkipNoEmail = "no contact email"
	SkipInvited = "already invited"
)

// Invited is what inviting did.
type Invited struct {
	// Created are the new invitations' ids.
	Created []string  `json:"-"`
	Skipped []Skipped `json:"skipped"`
}

// Invite invites libraries to survey slug, each once, at its first contact
// with an email, in that contact's language when the survey offers it
// (else the survey's default). Libraries without a contact email, and
// those already invited, are skipped with the reason. Returns ENOTFOUND
// for an unknown survey or library, EINVALID when who selects nothing or
// names an unknown region (field "region").
func (s *Service) Invite(ctx context.Context, slug string, who Invitees) (*Invited, error) {
	if err := require(ctx, survey.RoleAdmin); err != nil {
		return nil, err
	}
	sv, err := s.cfg.Surveys.FindSurvey(ctx, slug)
	if err != nil {
		return nil, err
	}
	var libs []*survey.Library
	switch {
	case len(who.LibraryIDs) > 0:
		for _, id := range who.LibraryIDs {
			l, err := s.cfg.Libraries.FindLibrary(ctx, id)
			if err != nil {
				return nil, err
			}
			libs = append(libs, l)
		}
	case who.Region != "" && survey.RegionLabels[who.Region] == nil:
		return nil, &survey.Error{Code: survey.EINVALID, Message: "Unknown region.", Fields: []survey.FieldError{{Path: "region", Message: "region is one of the IFLA regions, e.g. europe."}}}
	case who.All || who.Region != "" || who.Member != nil:
		if libs, _, err = s.cfg.Libraries.ListLibraries(ctx, survey.LibraryFilter{Region: who.Region, Member: who.Member}); err != nil {
			return nil, err
		}
	default:
		return nil, survey.Errorf(survey.EINVALID, "Say which libraries to invite: library_ids, region, member, or all.")
	}
	out := &Invited{Skipped: []Skipped{}}
	for _, l := range libs {
		var contact *survey.Contact
		for i := range l.Contacts {
			if l.Contacts[i].Email != "" {
				contact = &l.Contacts[i]
				break
			}
		}
		if contact == nil {
			out.Skipped = append(out.Skipped, Skipped{l.ID, l.Name, SkipNoEmail})
			continue
		}
		lang := contact.Language
		if !sv.HasLanguage(lang) {
			lang = sv.DefaultLanguage
		}
		inv := &survey.Invitation{SurveySlug: sv.Slug, LibraryID: l.ID, Name: contact.Name, Email: contact.Email, Language: lang, Status: survey.InvitationNotSent, CreatedAt: s.now()}
		switch err := s.cfg.Invitations.CreateInvitation(ctx, inv); survey.ErrorCode(err) {
		case "":
			out.Created = append(out.Created, inv.ID)
		case survey.ECONFLICT:
			out.Skipped = append(out.Skipped, Skipped{l.ID, l.Name, SkipInvited})
		default:
			s.auditInvited(ctx, sv.Slug, out)
			return nil, err
		}
	}
	s.auditInvited(ctx, sv.Slug, out)
	return out, nil
}

func (s *Service) auditInvited(ctx context.Context, slug string, out *Invited) {
	if len(out.Created) > 0 || len(out.Skipped) > 0 {
		s.audit(ctx, "invitation.create", "survey:"+slug, strconv.Itoa(len(out.Created))+" libraries invited")
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
// with their libraries. Returns ENOTFOUND for an unknown survey.
func (s *Service) Invitations(ctx context.Context, slug string) ([]Invitation, error) {
	if err := require(ctx, survey.RoleAnalyst); err != nil {
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
	return out, nil
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
// invitation is ENOTFOUND, like an unknown one.
func (s *Service) invitation(ctx context.Context, slug, id string) (*survey.Invitation, error) {
	inv, err := s.cfg.Invitations.FindInvitation(ctx, id)
	if err == nil && inv.SurveySlug != slug {
		err = survey.Errorf(survey.ENOTFOUND, "There is no such invitation.")
	}
	return inv, err
}

// Revoke withdraws invitation id of survey slug: its links stop working.
// Returns ENOTFOUND.
func (s *Service) Revoke(ctx context.Context, slug, id string) (*survey.Invitation, error) {
	if err := require(ctx, survey.RoleAdmin); err != nil {
		return nil, err
	}
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
	if err := require(ctx, survey.RoleAdmin); err != nil {
		return err
	}
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
