package web

import (
	"net/http"
	"net/mail"
	"strconv"

	"github.com/gin-gonic/gin"

	canvassmail "github.com/metlib/canvass/mail"
	"github.com/metlib/canvass/survey"
)

// mailTemplates returns the templates in force for a survey: for each kind
// and language the survey offers, the edited one or the built-in text.
func (s *Server) mailTemplates(c *gin.Context, sv *survey.Survey) ([]survey.MailTemplate, error) {
	edited, err := s.cfg.MailTemplates.MailTemplates(c.Request.Context(), sv.Slug)
	if err != nil {
		return nil, err
	}
	var out []survey.MailTemplate
	for _, kind := range []survey.MailKind{survey.MailInvitation, survey.MailReminder} {
		for _, lang := range sv.Languages {
			t := survey.DefaultMailTemplate(kind, lang)
			t.Language = lang
			for _, e := range edited {
				if e.Kind == kind && e.Language == lang {
					t = e
				}
			}
			out = append(out, t)
		}
	}
	return out, nil
}

func (s *Server) apiMailTemplates(c *gin.Context) {
	sv, err := s.cfg.Surveys.FindSurvey(c.Request.Context(), c.Param("slug"))
	if err != nil {
		s.renderError(c, err)
		return
	}
	list, err := s.mailTemplates(c, sv)
	if err != nil {
		s.renderError(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"templates": list, "smtp": s.cfg.Mailer != nil})
}

// apiSaveMailTemplate replaces the text of one kind of email in one
// language: {"subject": ..., "body": ...}.
func (s *Server) apiSaveMailTemplate(c *gin.Context) {
	sv, err := s.cfg.Surveys.FindSurvey(c.Request.Context(), c.Param("slug"))
	if err != nil {
		s.renderError(c, err)
		return
	}
	var body struct {
		Subject string `json:"subject"`
		Body    string `json:"body"`
	}
	if err := decodeJSON(c.Request.Body, &body); err != nil {
		s.renderError(c, err)
		return
	}
	if !sv.HasLanguage(c.Param("lang")) {
		s.renderError(c, survey.Errorf(survey.ENOTFOUND, "The survey is not offered in %q.", c.Param("lang")))
		return
	}
	t := survey.MailTemplate{Kind: survey.MailKind(c.Param("kind")), Language: c.Param("lang"), Subject: body.Subject, Body: body.Body, Custom: true, UpdatedAt: s.now().UTC()}
	if err := t.Validate(); err != nil {
		s.renderError(c, err)
		return
	}
	if err := s.cfg.MailTemplates.SaveMailTemplate(c.Request.Context(), sv.Slug, t); err != nil {
		s.renderError(c, err)
		return
	}
	s.audit(c, "mail_template.save", "survey:"+sv.Slug, string(t.Kind)+"/"+t.Language)
	c.JSON(http.StatusOK, t)
}

type sendFailure struct {
	InvitationID string `json:"invitation_id"`
	Library      string `json:"library"`
	Email        string `json:"email"`
	Error        string `json:"error"`
}

// apiSendInvitations emails invitations (to libraries not yet sent one) or
// reminders (to those sent one but not yet submitted), each in the
// contact's language with a fresh personal link, over the configured SMTP
// server. Every send error is kept on its invitation and listed.
func (s *Server) apiSendInvitations(c *gin.Context) {
	ctx := c.Request.Context()
	if s.cfg.Mailer == nil {
		s.renderError(c, survey.Errorf(survey.ECONFLICT, "No SMTP server is configured (CANVASS_SMTP_URL): download the mail-merge file instead."))
		return
	}
	sv, err := s.cfg.Surveys.FindSurvey(ctx, c.Param("slug"))
	if err != nil {
		s.renderError(c, err)
		return
	}
	var body struct {
		Kind survey.MailKind `json:"kind"`
	}
	if err := decodeJSON(c.Request.Body, &body); err != nil {
		s.renderError(c, err)
		return
	}
	if body.Kind != survey.MailInvitation && body.Kind != survey.MailReminder {
		s.renderError(c, &survey.Error{Code: survey.EINVALID, Message: "Say what to send.", Fields: []survey.FieldError{{Path: "kind", Message: "kind is invitation or reminder."}}})
		return
	}
	sent, failures, err := s.sendInvitationMail(c, sv, body.Kind)
	if err != nil {
		s.renderError(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"kind": body.Kind, "sent": sent, "failed": failures})
}

// sendInvitationMail emails kind to the invitations due one and records
// each outcome on its invitation.
func (s *Server) sendInvitationMail(c *gin.Context, sv *survey.Survey, kind survey.MailKind) (sent int, failures []sendFailure, err error) {
	ctx := c.Request.Context()
	list, invs, err := s.invitationsWithLibraries(c, sv.Slug)
	if err != nil {
		return 0, nil, err
	}
	templates, err := s.mailTemplates(c, sv)
	if err != nil {
		return 0, nil, err
	}
	closes := ""
	if sv.ClosesAt != nil {
		closes = sv.ClosesAt.UTC().Format("2006-01-02")
	}
	var targets []int
	var messages []canvassmail.Message
	for i, inv := range invs {
		due := inv.Status == survey.InvitationNotSent
		if kind == survey.MailReminder {
			due = inv.Status != survey.InvitationNotSent && inv.Status != survey.InvitationSubmitted
		}
		if !due || inv.Revoked {
			continue
		}
		var tmpl survey.MailTemplate
		for _, t := range templates {
			if t.Kind == kind && (t.Language == inv.Language || tmpl.Subject == "" && t.Language == sv.DefaultLanguage) {
				tmpl = t
			}
		}
		lang := tmpl.Language
		// The link's token is stored before the mail goes, so a link in a
		// delivered message always works.
		link := s.newLink(c, inv)
		if err := s.cfg.Invitations.UpdateInvitation(ctx, inv); err != nil {
			return 0, nil, err
		}
		subject, text, err := tmpl.Render(survey.MailData{Name: inv.Name, Library: list[i].Library, Survey: sv.Title.In(lang, sv.DefaultLanguage), Link: link, Closes: closes})
		if err != nil {
			return 0, nil, err
		}
		targets = append(targets, i)
		messages = append(messages, canvassmail.Message{To: mail.Address{Name: inv.Name, Address: inv.Email}, Subject: subject, Body: text})
	}
	failures = []sendFailure{}
	err = s.cfg.Mailer.SendAll(ctx, messages, func(m int, sendErr error) {
		inv := invs[targets[m]]
		if sendErr != nil {
			inv.SendError = sendErr.Error()
			failures = append(failures, sendFailure{inv.ID, list[targets[m]].Library, inv.Email, inv.SendError})
		} else {
			sent++
			inv.SendError = ""
			if kind == survey.MailReminder {
				inv.Reminders++
			}
			inv.Advance(survey.InvitationSent, s.now())
		}
		if err := s.cfg.Invitations.UpdateInvitation(ctx, inv); err != nil {
			s.log.WarnContext(ctx, "record sending", "error", err, "invitation", inv.ID)
		}
	})
	if err != nil {
		return 0, nil, &survey.Error{Code: survey.EUNAVAILABLE, Message: "Could not reach the SMTP server: " + err.Error(), Err: err}
	}
	s.audit(c, "invitation.send", "survey:"+sv.Slug, string(kind)+": "+strconv.Itoa(sent)+" sent, "+strconv.Itoa(len(failures))+" failed")
	return sent, failures, nil
}
