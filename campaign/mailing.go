package campaign

import (
	"context"
	"net/mail"
	"strconv"
	"strings"

	"github.com/metlib/canvass/survey"
)

// Sending invitations: the email texts, sending and reminding through the
// Mailer, and the mail-merge file for when there is no SMTP server.

// CanEmail reports whether an SMTP server is configured; without one,
// invitations go out through the mail-merge file.
func (s *Service) CanEmail() bool { return s.cfg.Mailer != nil }

// MailTemplates returns the texts in force for survey slug: for each kind
// and each language the survey offers, the edited text or the built-in
// one. Returns ENOTFOUND for an unknown survey.
func (s *Service) MailTemplates(ctx context.Context, slug string) ([]survey.MailTemplate, error) {
	if _, err := access(ctx, survey.RoleAnalyst, survey.RoleCoordinator); err != nil {
		return nil, err
	}
	sv, err := s.cfg.Surveys.FindSurvey(ctx, slug)
	if err != nil {
		return nil, err
	}
	return s.templatesOf(ctx, sv)
}

func (s *Service) templatesOf(ctx context.Context, sv *survey.Survey) ([]survey.MailTemplate, error) {
	edited, err := s.cfg.MailTemplates.MailTemplates(ctx, sv.Slug)
	if err != nil {
		return nil, err
	}
	var out []survey.MailTemplate
	for _, kind := range survey.MailKinds {
		for _, lang := range sv.Languages {
			t := survey.DefaultMailTemplate(kind, lang)
			t.Language = lang
			for _, e := range edited {
				if e.Kind == kind && e.Language == lang {
					// Texts stored in the old {{.Name}} syntax are read
					// written with merge fields when that says the same; the stored
					// text is unchanged until it is saved again.
					t = e.Upgraded()
				}
			}
			out = append(out, t)
		}
	}
	return out, nil
}

// SaveMailTemplate replaces survey slug's text of t.Kind in t.Language
// (subject and body; line ends normalized). Returns ENOTFOUND for an
// unknown survey or a language it does not offer, EINVALID with the reason
// for a text that would not work (no {link}, an unknown merge field, which
// it names, a subject on several lines).
func (s *Service) SaveMailTemplate(ctx context.Context, slug string, t survey.MailTemplate) (survey.MailTemplate, error) {
	if err := require(ctx, survey.RoleAdmin); err != nil {
		return t, err
	}
	sv, err := s.cfg.Surveys.FindSurvey(ctx, slug)
	if err != nil {
		return t, err
	}
	if !sv.HasLanguage(t.Language) {
		return t, survey.Errorf(survey.ENOTFOUND, "The survey is not offered in %q.", t.Language)
	}
	t.Subject = strings.TrimSpace(t.Subject)
	t.Body = strings.ReplaceAll(t.Body, "\r\n", "\n")
	t.Custom, t.UpdatedAt = true, s.now().UTC()
	if err := t.Validate(); err != nil {
		return t, err
	}
	if err := s.cfg.MailTemplates.SaveMailTemplate(ctx, sv.Slug, t); err != nil {
		return t, err
	}
	s.audit(ctx, "mail_template.save", "survey:"+sv.Slug, string(t.Kind)+"/"+t.Language)
	return t, nil
}

// SendFailure is an invitation whose email could not be sent.
type SendFailure struct {
	InvitationID string `json:"invitation_id"`
	Library      string `json:"library"`
	Email        string `json:"email"`
	Error        string `json:"error"`
}

// SendResult is what a sending did.
type SendResult struct {
	Kind   survey.MailKind `json:"kind"`
	Sent   int             `json:"sent"`
	Failed []SendFailure   `json:"failed"`
}

// Send emails kind to survey slug's invitations due one (dueFor):
// invitations to those not yet sent one (a library invited again after it
// submitted included), reminders to those sent one but not submitted
// (withdrawn ones never). Each message is in the invitation's language
// (else the survey's default) with a fresh personal link starting with
// base, the public address. A recipient the server refuses fails alone:
// its error is kept on the invitation and listed; a success clears an
// earlier error and advances the invitation to sent.
//
// Returns ECONFLICT when no SMTP server is configured (use MailMerge),
// EINVALID for another kind, ENOTFOUND for an unknown survey, EUNAVAILABLE
// when the SMTP server cannot be reached.
func (s *Service) Send(ctx context.Context, slug string, kind survey.MailKind, base string) (*SendResult, error) {
	// A coordinator sends to their regions' invitations only: invitationsOf
	// leaves out the others.
	if _, err := access(ctx, survey.RoleAdmin, survey.RoleCoordinator); err != nil {
		return nil, err
	}
	mu := s.invitationLock(slug)
	mu.Lock()
	defer mu.Unlock()
	if s.cfg.Mailer == nil {
		return nil, survey.Errorf(survey.ECONFLICT, "Canvass is not set up to send email (an administrator of the server sets CANVASS_SMTP_URL): download the mail-merge file instead and send it with your own mail program.")
	}
	if kind != survey.MailInvitation && kind != survey.MailReminder {
		return nil, &survey.Error{Code: survey.EINVALID, Message: "Say what to send.", Fields: []survey.FieldError{{Path: "kind", Message: "kind is invitation or reminder."}}}
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
	templates, err := s.templatesOf(ctx, sv)
	if err != nil {
		return nil, err
	}
	var targets []Invitation
	var messages []Message
	for _, inv := range list {
		if !dueFor(kind, inv.Invitation) {
			continue
		}
		tmpl := templateFor(templates, kind, inv.Language, sv.DefaultLanguage)
		// The link's token is stored before the mail goes, so a link in a
		// delivered message always works.
		link := newLink(base, inv.Invitation)
		if err := s.cfg.Invitations.UpdateInvitation(ctx, inv.Invitation); err != nil {
			return nil, err
		}
		subject, text, err := tmpl.Render(survey.MailData{Name: inv.Name, Library: inv.Library, Survey: sv.Title.In(tmpl.Language, sv.DefaultLanguage), Link: link, Closes: deadlineIn(sv, tmpl.Language)})
		if err != nil {
			return nil, err
		}
		targets = append(targets, inv)
		messages = append(messages, Message{To: mail.Address{Name: inv.Name, Address: inv.Email}, Subject: subject, Body: text})
	}
	res := &SendResult{Kind: kind, Failed: []SendFailure{}}
	err = s.cfg.Mailer.SendAll(ctx, messages, func(m int, sendErr error) {
		inv := targets[m]
		if sendErr != nil {
			inv.SendError = sendErr.Error()
			res.Failed = append(res.Failed, SendFailure{inv.ID, inv.Library, inv.Email, inv.SendError})
		} else {
			res.Sent++
			inv.SendError = ""
			if kind == survey.MailReminder {
				inv.Reminders++
			}
			inv.Advance(survey.InvitationSent, s.now())
		}
		// The context may be ending; the outcome is still worth keeping.
		if err := s.cfg.Invitations.UpdateInvitation(context.WithoutCancel(ctx), inv.Invitation); err != nil {
			s.log.WarnContext(ctx, "record sending", "error", err, "invitation", inv.ID)
		}
	})
	if err != nil {
		return nil, &survey.Error{Code: survey.EUNAVAILABLE, Message: "Could not reach the SMTP server: " + err.Error(), Err: err}
	}
	s.audit(ctx, "invitation.send", "survey:"+sv.Slug, string(kind)+": "+strconv.Itoa(res.Sent)+" sent, "+strconv.Itoa(len(res.Failed))+" failed")
	return res, nil
}

// deadlineIn is sv's closing day as a mail in lang writes it ("31 January
// 2027"), empty when the survey has no closing date.
func deadlineIn(sv *survey.Survey, lang string) string {
	if sv.ClosesAt == nil {
		return ""
	}
	return survey.FormatDate(lang, sv.ClosesAt.UTC())
}

// templateFor picks the text of kind in lang, else in the default language.
func templateFor(templates []survey.MailTemplate, kind survey.MailKind, lang, defaultLang string) survey.MailTemplate {
	var fallback survey.MailTemplate
	for _, t := range templates {
		if t.Kind != kind {
			continue
		}
		if t.Language == lang {
			return t
		}
		if t.Language == defaultLang {
			fallback = t
		}
	}
	return fallback
}

// dueFor reports whether inv is due an email of kind: an invitation when
// none was sent yet (or since it was invited again after a withdrawal),
// whatever it answered, since a library invited again after it submitted
// has no live link until one is sent (it may want to change its answers);
// a reminder when one was sent and the library has not submitted. Never
// while the invitation is withdrawn.
func dueFor(kind survey.MailKind, inv *survey.Invitation) bool {
	if inv.Revoked {
		return false
	}
	if kind == survey.MailReminder {
		return inv.SentAt != nil && inv.Status != survey.InvitationSubmitted
	}
	return inv.SentAt == nil
}

// newLink issues a fresh personal link for an invitation, valid besides
// those issued before. Tokens are kept only as hashes, so a link can be
// shown only when it is made; every link issued stays valid until the
// invitation is withdrawn or given new links (replaceLinks).
func newLink(base string, inv *survey.Invitation) string {
	secret, hash := survey.NewSecret()
	inv.TokenHashes = append(inv.TokenHashes, hash)
	return linkFor(base, inv, secret)
}

// replaceLinks issues a fresh personal link that replaces every link
// issued before: those stop working at once.
func replaceLinks(base string, inv *survey.Invitation) string {
	secret, hash := survey.NewSecret()
	inv.TokenHashes = []string{hash}
	return linkFor(base, inv, secret)
}

func linkFor(base string, inv *survey.Invitation, secret string) string {
	return strings.TrimSuffix(base, "/") + "/s/" + inv.SurveySlug + "?t=" + secret + "&lang=" + inv.Language
}
