package campaign

import (
	"bytes"
	"context"
	"strconv"
	"strings"

	"github.com/metlib/canvass/export"
	"github.com/metlib/canvass/survey"
)

// The mail-merge files, for a section that mails its invitations itself
// (no SMTP server, or its own mailing tool): the first links, reminders,
// and new links when links were lost. Links are stored only as hashes, so
// each file issues the links it carries; the texts are the survey's
// (edited or built-in), rendered for each contact.

// Mailing is what a mail-merge file is for.
type Mailing string

// The mail-merge files.
const (
	// MailingInvitations: the invitations not yet sent, each with its
	// first link and the invitation text. They are then marked sent.
	MailingInvitations Mailing = "invitations"
	// MailingReminders: the invitations sent and not answered, each with
	// a fresh link (those sent before keep working, as with emailed
	// reminders) and the reminder text. Each counts a reminder.
	MailingReminders Mailing = "reminders"
	// MailingNewLinks: new links for the invitations chosen (all those
	// not answered when none are), with the invitation text. Every link
	// issued before stops working.
	MailingNewLinks Mailing = "new_links"
)

// MergeRequest says which mail-merge file to make.
type MergeRequest struct {
	Mailing Mailing
	// InvitationIDs chooses the invitations for MailingNewLinks (answered
	// ones may be chosen, e.g. to edit their answers); empty: every
	// invitation not answered. Ignored by the other mailings.
	InvitationIDs []string
	// Format is "csv" or "xlsx".
	Format string
	// Base is the public address the links start with.
	Base string
}

// MergeFile is a mail-merge file and how many invitations it carries.
type MergeFile struct {
	Data []byte
	Rows int
}

// MergeColumns are the mail-merge file's columns, in order.
var MergeColumns = []string{"library", "contact", "email", "language", "link", "subject", "body"}

// MailMerge makes a mail-merge file (see Mailing): a row per invitation
// (library, contact, email, language, a personal link starting with
// req.Base, and the survey's subject and body in the invitation's
// language, rendered for that contact), as "csv" or "xlsx". The file is
// made before anything is recorded, so a failure leaves no invitation
// marked sent, and no link dead, without the file that replaces it; the
// file is then recorded in the audit log.
//
// A file would never be only its header: when no invitation is due, it is
// ECONFLICT saying what to do instead (invite first; new links or the
// reminder file once every link has gone out). Returns ENOTFOUND for an
// unknown survey or chosen invitation, EINVALID for another format or
// mailing, or a withdrawn invitation chosen (invite its library again).
func (s *Service) MailMerge(ctx context.Context, slug string, req MergeRequest) (*MergeFile, error) {
	// A coordinator's file holds their regions' invitations only
	// (invitationsOf), and another region's chosen one is not found.
	if _, err := access(ctx, survey.RoleAdmin, survey.RoleCoordinator); err != nil {
		return nil, err
	}
	mu := s.invitationLock(slug)
	mu.Lock()
	defer mu.Unlock()
	if req.Format != "csv" && req.Format != "xlsx" {
		return nil, survey.Errorf(survey.EINVALID, "The mail-merge file is csv or xlsx, not %q.", req.Format)
	}
	kind := survey.MailInvitation
	switch req.Mailing {
	case MailingInvitations, MailingNewLinks:
	case MailingReminders:
		kind = survey.MailReminder
	default:
		return nil, survey.Errorf(survey.EINVALID, "The mail-merge file is for invitations, reminders or new_links, not %q.", req.Mailing)
	}
	sv, err := s.cfg.Surveys.FindSurvey(ctx, slug)
	if err != nil {
		return nil, err
	}
	if sv.Status == survey.StatusDraft {
		// A draft's form is not found by anyone: its links would lead to
		// "no such survey" and be spent.
		return nil, survey.Errorf(survey.ECONFLICT, "The survey %s is a draft: publish it before sending or downloading its links, which would lead nowhere until then.", sv.Slug)
	}
	list, err := s.invitationsOf(ctx, sv.Slug)
	if err != nil {
		return nil, err
	}
	chosen, err := mergeTargets(req, list)
	if err != nil {
		return nil, err
	}
	templates, err := s.templatesOf(ctx, sv)
	if err != nil {
		return nil, err
	}
	rows := [][]string{MergeColumns}
	for _, inv := range chosen {
		var link string
		if req.Mailing == MailingNewLinks {
			link = replaceLinks(req.Base, inv.Invitation)
		} else {
			link = newLink(req.Base, inv.Invitation)
		}
		tmpl := templateFor(templates, kind, inv.Language, sv.DefaultLanguage)
		subject, body, err := tmpl.Render(survey.MailData{Name: inv.Name, Library: inv.Library, Survey: sv.Title.In(tmpl.Language, sv.DefaultLanguage), Link: link, Closes: deadlineIn(sv, tmpl.Language)})
		if err != nil {
			return nil, err
		}
		rows = append(rows, []string{inv.Library, inv.Name, inv.Email, inv.Language, link, subject, body})
		if req.Mailing == MailingReminders {
			inv.Reminders++
		}
		inv.Advance(survey.InvitationSent, s.now())
	}
	var buf bytes.Buffer
	if req.Format == "xlsx" {
		err = export.TableXLSX(&buf, "Invitations", rows, 40)
	} else {
		err = export.TableCSV(&buf, rows)
	}
	if err != nil {
		return nil, err
	}
	for _, inv := range chosen {
		if err := s.cfg.Invitations.UpdateInvitation(ctx, inv.Invitation); err != nil {
			return nil, err
		}
	}
	n := strconv.Itoa(len(chosen))
	switch req.Mailing {
	case MailingNewLinks:
		s.audit(ctx, "invitation.new_links", "survey:"+sv.Slug, req.Format+": "+n+" new links, the earlier ones no longer work")
	case MailingReminders:
		s.audit(ctx, "invitation.mailmerge", "survey:"+sv.Slug, req.Format+": "+n+" reminders with fresh links")
	default:
		s.audit(ctx, "invitation.mailmerge", "survey:"+sv.Slug, req.Format+": "+n+" links issued")
	}
	return &MergeFile{Data: buf.Bytes(), Rows: len(chosen)}, nil
}

// mergeTargets picks the invitations a mail-merge file is for, or says
// what to do when there are none.
func mergeTargets(req MergeRequest, list []Invitation) ([]Invitation, error) {
	var out []Invitation
	if req.Mailing == MailingNewLinks && len(req.InvitationIDs) > 0 {
		byID := make(map[string]Invitation, len(list))
		for _, inv := range list {
			byID[inv.ID] = inv
		}
		seen := map[string]bool{}
		for _, id := range req.InvitationIDs {
			inv, ok := byID[id]
			switch {
			case seen[id]:
				continue
			case !ok:
				return nil, survey.Errorf(survey.ENOTFOUND, "There is no invitation %q to this survey.", id)
			case inv.Revoked:
				return nil, &survey.Error{Code: survey.EINVALID, Message: "The invitation to " + orEmail(inv) + " is withdrawn: invite the library again to give it a new link.",
					Fields: []survey.FieldError{{Path: "invitation_ids", Message: "Choose invitations that are not withdrawn."}}}
			}
			seen[id] = true
			out = append(out, inv)
		}
		return out, nil
	}
	live, sent, waiting := 0, 0, 0
	for _, inv := range list {
		if inv.Revoked {
			continue
		}
		live++
		due := false
		switch req.Mailing {
		case MailingInvitations:
			due = dueFor(survey.MailInvitation, inv.Invitation)
		case MailingReminders:
			due = dueFor(survey.MailReminder, inv.Invitation)
		case MailingNewLinks:
			due = inv.Status != survey.InvitationSubmitted
		}
		if inv.SentAt != nil {
			sent++
		}
		if inv.SentAt != nil && inv.Status != survey.InvitationSubmitted {
			waiting++
		}
		if due {
			out = append(out, inv)
		}
	}
	if len(out) > 0 {
		return out, nil
	}
	// An empty file would look like lost links: say what to do instead.
	switch {
	case live == 0:
		return nil, survey.Errorf(survey.ECONFLICT, "No library is invited to this survey yet: invite libraries first, then download the file.")
	case req.Mailing == MailingInvitations && waiting > 0:
		return nil, survey.Errorf(survey.ECONFLICT, "Every invitation has had its link (%d sent). Links are stored only as hashes and cannot be shown again: "+
			"download the reminder file for the %d libraries that have not answered, or make new links for the invitations you need (their old links stop working).", sent, waiting)
	case req.Mailing == MailingInvitations:
		return nil, survey.Errorf(survey.ECONFLICT, "Every invitation has had its link and every invited library has answered. To give one a link again (to change its answers), make a new link for that invitation.")
	case req.Mailing == MailingReminders && live > sent:
		return nil, survey.Errorf(survey.ECONFLICT, "No library is waiting for a reminder: %d have not been sent their invitation yet (download the invitations file first), the others have answered.", live-sent)
	default:
		return nil, survey.Errorf(survey.ECONFLICT, "Every invited library has answered: there is no one to remind. To give one a link again (to change its answers), make a new link for that invitation.")
	}
}

// orEmail names an invitation by its library, else its address.
func orEmail(inv Invitation) string {
	if strings.TrimSpace(inv.Library) != "" {
		return inv.Library
	}
	return inv.Email
}
