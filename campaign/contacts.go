package campaign

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"strings"
	"time"

	"github.com/metlib/canvass/survey"
)

// A contact's personal data: what Canvass holds about one email address
// (an access request), and its erasure.

// ContactEntry is one library's record of the contact.
type ContactEntry struct {
	LibraryID   string         `json:"library_id"`
	LibraryName string         `json:"library_name"`
	Contact     survey.Contact `json:"contact"`
}

// ContactInvitation is one invitation sent to the contact.
type ContactInvitation struct {
	Survey   string                  `json:"survey"`
	Name     string                  `json:"name,omitempty"`
	Language string                  `json:"language"`
	Status   survey.InvitationStatus `json:"status"`
}

// ContactData is everything Canvass holds about a contact.
type ContactData struct {
	Email       string              `json:"email"`
	GeneratedAt time.Time           `json:"generated_at"`
	Directory   []ContactEntry      `json:"directory"`
	Invitations []ContactInvitation `json:"invitations"`
}

// contactEmail checks an address given to find a contact by.
func contactEmail(raw string) (string, error) {
	email, err := survey.CheckEmail(raw)
	if err != nil {
		return "", &survey.Error{Code: survey.EMALFORMED, Message: "Give the contact's email address.", Fields: []survey.FieldError{{Path: "email", Message: "Not an email address: " + strconv.Quote(raw)}}}
	}
	return email, nil
}

// ExportContact returns everything the directory and the invitations hold
// about the contact with email, and records the access in the audit log
// (under a digest of the address). For a coordinator, only the libraries of
// their regions and the invitations sent to those. Returns EMALFORMED for
// an address that is not one.
func (s *Service) ExportContact(ctx context.Context, email string) (*ContactData, error) {
	a, err := access(ctx, survey.RoleAdmin, survey.RoleCoordinator)
	if err != nil {
		return nil, err
	}
	email, err = contactEmail(email)
	if err != nil {
		return nil, err
	}
	libs, err := s.librariesListing(ctx, a, email)
	if err != nil {
		return nil, err
	}
	out := &ContactData{Email: email, GeneratedAt: s.now().UTC(), Directory: []ContactEntry{}, Invitations: []ContactInvitation{}}
	for _, l := range libs {
		for _, ct := range l.Contacts {
			if ct.Email == email {
				out.Directory = append(out.Directory, ContactEntry{l.ID, l.Name, ct})
			}
		}
	}
	invs, err := s.invitationsTo(ctx, a, email)
	if err != nil {
		return nil, err
	}
	for _, inv := range invs {
		out.Invitations = append(out.Invitations, ContactInvitation{inv.SurveySlug, inv.Name, inv.Language, inv.Status})
	}
	s.audit(ctx, "contact.export", "contact:"+emailDigest(email), nouns(len(out.Directory), "entry", "entries")+", "+nouns(len(out.Invitations), "invitation", "invitations"))
	return out, nil
}

// Erasure counts what erasing a contact changed.
type Erasure struct {
	Libraries   int `json:"erased_from"`
	Invitations int `json:"invitations_cleared"`
}

// EraseContact removes the contact with email from every library, and
// clears their name and address from every invitation sent to them, which
// is withdrawn (its links stop working). The audit log records the erasure
// under a digest of the address, not the address. A coordinator erases the
// contact from the libraries of their regions and the invitations sent to
// those only (an admin erases them everywhere). Returns EMALFORMED for an
// address that is not one.
func (s *Service) EraseContact(ctx context.Context, email string) (*Erasure, error) {
	a, err := access(ctx, survey.RoleAdmin, survey.RoleCoordinator)
	if err != nil {
		return nil, err
	}
	email, err = contactEmail(email)
	if err != nil {
		return nil, err
	}
	libs, err := s.librariesListing(ctx, a, email)
	if err != nil {
		return nil, err
	}
	for _, l := range libs {
		kept := l.Contacts[:0]
		for _, ct := range l.Contacts {
			if ct.Email != email {
				kept = append(kept, ct)
			}
		}
		l.Contacts = kept
		if err := s.cfg.Libraries.UpdateLibrary(ctx, l); err != nil {
			return nil, err
		}
	}
	invs, err := s.invitationsTo(ctx, a, email)
	if err != nil {
		return nil, err
	}
	for _, inv := range invs {
		inv.Name, inv.Email, inv.Revoked, inv.SendError = "", "", true, ""
		if err := s.cfg.Invitations.UpdateInvitation(ctx, inv); err != nil {
			return nil, err
		}
	}
	e := &Erasure{Libraries: len(libs), Invitations: len(invs)}
	s.audit(ctx, "contact.erase", "contact:"+emailDigest(email), "removed from "+nouns(e.Libraries, "library", "libraries")+" and "+nouns(e.Invitations, "invitation", "invitations"))
	return e, nil
}

// librariesListing finds every library the actor may see listing a contact
// with email.
func (s *Service) librariesListing(ctx context.Context, a survey.Actor, email string) ([]*survey.Library, error) {
	all, _, err := s.cfg.Libraries.ListLibraries(ctx, scoped(a, survey.LibraryFilter{}))
	if err != nil {
		return nil, err
	}
	var out []*survey.Library
	for _, l := range all {
		for _, ct := range l.Contacts {
			if ct.Email == email {
				out = append(out, l)
				break
			}
		}
	}
	return out, nil
}

// invitationsTo finds every survey's invitations sent to email (for a
// coordinator, those sent to the libraries of their regions).
func (s *Service) invitationsTo(ctx context.Context, a survey.Actor, email string) ([]*survey.Invitation, error) {
	surveys, err := s.cfg.Surveys.ListSurveyHeaders(ctx)
	if err != nil {
		return nil, err
	}
	var mine map[string]bool // the coordinator's libraries; nil: every library
	if a.Role == survey.RoleCoordinator {
		libs, _, err := s.cfg.Libraries.ListLibraries(ctx, scoped(a, survey.LibraryFilter{}))
		if err != nil {
			return nil, err
		}
		mine = make(map[string]bool, len(libs))
		for _, l := range libs {
			mine[l.ID] = true
		}
	}
	var out []*survey.Invitation
	for _, sv := range surveys {
		invs, err := s.cfg.Invitations.ListInvitations(ctx, sv.Slug)
		if err != nil {
			return nil, err
		}
		for _, inv := range invs {
			if inv.Email == email && (mine == nil || mine[inv.LibraryID]) {
				out = append(out, inv)
			}
		}
	}
	return out, nil
}

// emailDigest stands for an address in the audit log: the same address
// gives the same digest, so erasures can be traced without keeping it.
func emailDigest(email string) string {
	sum := sha256.Sum256([]byte(strings.ToLower(email)))
	return "sha256:" + hex.EncodeToString(sum[:8])
}

// nouns writes n with the noun in the singular for 1, the plural
// otherwise ("1 entry, 2 invitations"): the audit log's details are read
// as English sentences.
func nouns(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}
