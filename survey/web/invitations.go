package web

import (
	"context"
	"net/http"
	"net/url"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/metlib/canvass/survey"
)

// invitationByToken finds the live invitation to sv behind a personal
// link's token. Unknown, revoked and other surveys' tokens are all
// ENOTFOUND, so links cannot be probed.
func (s *Server) invitationByToken(ctx context.Context, sv *survey.Survey, token string) (*survey.Invitation, error) {
	inv, err := s.cfg.Invitations.FindInvitationByToken(ctx, survey.HashSecret(token))
	if err == nil && (inv.Revoked || inv.SurveySlug != sv.Slug) {
		return nil, survey.Errorf(survey.ENOTFOUND, "There is no such invitation.")
	}
	return inv, err
}

// invitationFor returns the invitation behind a personal link to sv, or
// answers with the one page every invalid link gets and nil.
func (s *Server) invitationFor(c *gin.Context, sv *survey.Survey, token string) *survey.Invitation {
	inv, err := s.invitationByToken(c.Request.Context(), sv, token)
	if err != nil {
		if survey.ErrorCode(err) != survey.ENOTFOUND {
			s.renderError(c, err)
			return nil
		}
		lang := negotiateLanguage(c, sv)
		s.renderPage(c, http.StatusNotFound, "message.html", messagePage{
			page:    s.basePage(c, lang, sv.Title.In(lang, sv.DefaultLanguage)),
			Heading: ui(lang, "invitation_invalid_title"), Message: ui(lang, "invitation_invalid"),
		})
		c.Abort()
		return nil
	}
	return inv
}

// advance records progress on an invitation; a failure to record it does
// not stop the respondent.
func (s *Server) advance(c *gin.Context, inv *survey.Invitation, status survey.InvitationStatus) {
	before := inv.Status
	inv.Advance(status, s.now())
	if inv.Status == before && status != survey.InvitationSubmitted {
		return
	}
	if err := s.cfg.Invitations.UpdateInvitation(c.Request.Context(), inv); err != nil {
		s.log.WarnContext(c.Request.Context(), "record invitation progress", "error", err, "invitation", inv.ID)
	}
}

// showInvitedForm renders the form behind a personal link: the library's
// saved or submitted answers, or what the directory knows about it.
func (s *Server) showInvitedForm(c *gin.Context, sv *survey.Survey, token string) {
	inv := s.invitationFor(c, sv, token)
	if inv == nil {
		return
	}
	ctx := c.Request.Context()
	s.advance(c, inv, survey.InvitationOpened)
	lang := negotiateLanguage(c, sv)
	if lang == sv.DefaultLanguage && c.Query("lang") == "" && sv.HasLanguage(inv.Language) {
		lang = inv.Language
	}
	existing, err := s.cfg.Responses.FindResponseBySubmission(ctx, sv.Slug, inv.SubmissionID())
	switch {
	case err == nil && existing.Status == survey.ResponseSubmitted && !sv.Settings.AllowEditAfterSubmit:
		s.renderPage(c, http.StatusOK, "message.html", messagePage{
			page:    s.basePage(c, lang, sv.Title.In(lang, sv.DefaultLanguage), sv.Languages...),
			Heading: ui(lang, "thanks_title"), Message: ui(lang, "already_submitted"),
		})
		return
	case err == nil:
		notice := ""
		if existing.Status == survey.ResponseSubmitted {
			notice = ui(lang, "edit_after_submit")
		} else {
			notice = ui(lang, "resumed")
		}
		s.renderInvitedForm(c, http.StatusOK, sv, lang, sv.FormValues(existing.Answers), inv, token, nil, notice)
		return
	case survey.ErrorCode(err) != survey.ENOTFOUND:
		s.renderError(c, err)
		return
	}
	values := url.Values{}
	if lib, err := s.cfg.Libraries.FindLibrary(ctx, inv.LibraryID); err == nil {
		contact := survey.Contact{Name: inv.Name, Email: inv.Email}
		for _, ct := range lib.Contacts {
			if ct.Email == inv.Email {
				contact = ct
			}
		}
		values = sv.FormValues(sv.Prefill(lib, contact))
	}
	s.renderInvitedForm(c, http.StatusOK, sv, lang, values, inv, token, nil, "")
}

func (s *Server) renderInvitedForm(c *gin.Context, status int, sv *survey.Survey, lang string, values url.Values, inv *survey.Invitation, token string, fields []survey.FieldError, notice string) {
	sections, errs := buildForm(sv, lang, values, fields)
	s.renderPage(c, status, "form.html", formPage{
		page:         s.basePage(c, lang, sv.Title.In(lang, sv.DefaultLanguage), sv.Languages...),
		Slug:         sv.Slug,
		Description:  sv.Description.In(lang, sv.DefaultLanguage),
		Action:       "/s/" + sv.Slug + "?lang=" + lang,
		CSRFToken:    s.csrfToken(c),
		SubmissionID: inv.SubmissionID(),
		Token:        token,
		Notice:       notice,
		Errors:       errs,
		Sections:     sections,
	})
}

// submitInvited saves (action=save) or submits a form posted through a
// personal link: one response per invitation, a draft until submitted,
// changeable after submitting only when the survey allows it.
func (s *Server) submitInvited(c *gin.Context, sv *survey.Survey, lang, token string) {
	inv := s.invitationFor(c, sv, token)
	if inv == nil {
		return
	}
	values := c.Request.PostForm
	save := c.PostForm("action") == "save"
	var answers survey.Answers
	var err error
	if save {
		answers, err = sv.CheckDraft(sv.FormAnswers(values), lang)
	} else {
		answers, err = sv.CheckAnswers(sv.FormAnswers(values), lang)
	}
	if err != nil {
		s.metrics.submission(sv.Slug, false, err)
		s.renderInvitedForm(c, http.StatusUnprocessableEntity, sv, lang, values, inv, token, survey.ErrorFields(err), "")
		return
	}
	stored, _, err := s.storeInvited(c, sv, inv, lang, answers, save, "web")
	switch survey.ErrorCode(err) {
	case "":
	case survey.ECONFLICT:
		s.renderPage(c, http.StatusConflict, "message.html", messagePage{
			page:    s.basePage(c, lang, sv.Title.In(lang, sv.DefaultLanguage)),
			Heading: ui(lang, "thanks_title"), Message: ui(lang, "already_submitted"),
		})
		return
	case survey.EUNAVAILABLE:
		c.Header("Retry-After", retryAfterSeconds)
		s.renderInvitedForm(c, http.StatusServiceUnavailable, sv, lang, values, inv, token, nil, ui(lang, "unavailable"))
		return
	default:
		s.renderError(c, err)
		return
	}
	if save {
		s.renderInvitedForm(c, http.StatusOK, sv, lang, sv.FormValues(stored.Answers), inv, token, nil, ui(lang, "saved"))
		return
	}
	c.Redirect(http.StatusSeeOther, "/s/"+sv.Slug+"/thanks?lang="+lang)
}

// storeInvited writes an invited library's response. A submitted response
// is replaced only when the survey allows edits (or by the same answers,
// which is a retry); a draft never replaces a submitted response.
func (s *Server) storeInvited(c *gin.Context, sv *survey.Survey, inv *survey.Invitation, lang string, answers survey.Answers, draft bool, source string) (stored *survey.Response, created bool, err error) {
	ctx := c.Request.Context()
	now := s.now().Truncate(time.Millisecond)
	existing, err := s.cfg.Responses.FindResponseBySubmission(ctx, sv.Slug, inv.SubmissionID())
	if err != nil && survey.ErrorCode(err) != survey.ENOTFOUND {
		return nil, false, err
	}
	r := &survey.Response{SurveySlug: sv.Slug, SurveyVersion: sv.Version, SubmissionID: inv.SubmissionID(), LibraryID: inv.LibraryID,
		InvitationID: inv.ID, Language: lang, Status: survey.ResponseSubmitted, Answers: answers, Source: source, CreatedAt: now, UpdatedAt: now, SubmittedAt: &now}
	if draft {
		r.Status, r.SubmittedAt = survey.ResponseDraft, nil
	}
	r.Country, r.Region = sv.Locate(answers)
	if existing != nil {
		r.CreatedAt = existing.CreatedAt
		if existing.Status == survey.ResponseSubmitted {
			if existing.Answers.Equal(answers) && !draft {
				return existing, false, nil // a retry
			}
			if !sv.Settings.AllowEditAfterSubmit || draft {
				return nil, false, survey.Errorf(survey.ECONFLICT, "This library has already answered the survey.")
			}
			r.SubmittedAt = existing.SubmittedAt
		}
	}
	if err := s.cfg.Responses.SaveResponse(ctx, r); err != nil {
		return nil, false, err
	}
	outcome := survey.InvitationSubmitted
	if draft {
		outcome = survey.InvitationStarted
	}
	if !draft {
		s.metrics.submission(sv.Slug, existing == nil || existing.Status == survey.ResponseDraft, nil)
	}
	s.advance(c, inv, outcome)
	return r, existing == nil, nil
}
