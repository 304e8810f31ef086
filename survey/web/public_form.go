package web

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	"github.com/metlib/canvass/campaign"
	"github.com/metlib/canvass/survey"
)

// index lists the open surveys.
func (s *Server) index(c *gin.Context) {
	lang := negotiateLanguage(c, nil)
	open, err := s.campaign.OpenSurveys(c.Request.Context())
	if err != nil {
		s.renderError(c, err)
		return
	}
	type item struct{ Title, Description, URL string }
	var items []item
	for _, sv := range open {
		l := lang
		if !sv.HasLanguage(l) {
			l = sv.DefaultLanguage
		}
		items = append(items, item{Title: sv.Title.In(l, sv.DefaultLanguage), Description: sv.Description.In(l, sv.DefaultLanguage), URL: "/s/" + sv.Slug + "?lang=" + l})
	}
	s.renderPage(c, http.StatusOK, "index.html", struct {
		page
		Surveys []item
	}{s.basePage(c, lang, ui(lang, "surveys_title")), items})
}

// renderClosed is the page of a survey that does not take responses now.
func (s *Server) renderClosed(c *gin.Context, sv *survey.Survey) {
	lang := negotiateLanguage(c, sv)
	s.renderPage(c, http.StatusConflict, "message.html", messagePage{
		page:    s.basePage(c, lang, sv.Title.In(lang, sv.DefaultLanguage), sv.Languages...),
		Heading: ui(lang, "closed_title"), Message: ui(lang, "closed_text"),
		Link: "/?lang=" + lang, LinkText: ui(lang, "home"),
	})
}

// renderClosedInvited is renderClosed behind a personal link: once the
// reports are readable it links to the library's report.
func (s *Server) renderClosedInvited(c *gin.Context, sv *survey.Survey, token string) {
	lang := negotiateLanguage(c, sv)
	mp := messagePage{
		page:    s.basePage(c, lang, sv.Title.In(lang, sv.DefaultLanguage), sv.Languages...),
		Heading: ui(lang, "closed_title"), Message: ui(lang, "closed_text"),
		Link: "/?lang=" + lang, LinkText: ui(lang, "home"),
	}
	if link := s.reportLinkFor(c, sv, token, lang); link != "" {
		mp.Link, mp.LinkText = link, ui(lang, "report_ready_link")
	}
	s.renderPage(c, http.StatusConflict, "message.html", mp)
}

// renderInvalidLink is the one page every unknown or revoked personal link
// gets, so links cannot be probed.
func (s *Server) renderInvalidLink(c *gin.Context, sv *survey.Survey) {
	lang := negotiateLanguage(c, sv)
	s.renderPage(c, http.StatusNotFound, "message.html", messagePage{
		page:    s.basePage(c, lang, sv.Title.In(lang, sv.DefaultLanguage)),
		Heading: ui(lang, "invitation_invalid_title"), Message: ui(lang, "invitation_invalid"),
	})
}

// showForm renders an empty form with a fresh submission id, or, behind a
// personal link, the library's draft or response (campaign.Resume).
func (s *Server) showForm(c *gin.Context) {
	sv, err := s.campaign.OpenSurvey(c.Request.Context(), c.Param("slug"))
	switch {
	case survey.ErrorCode(err) == survey.ECLOSED && c.Query("t") != "":
		s.renderClosedInvited(c, sv, c.Query("t"))
		return
	case survey.ErrorCode(err) == survey.ECLOSED:
		s.renderClosed(c, sv)
		return
	case err != nil:
		s.renderError(c, err)
		return
	}
	if token := c.Query("t"); token != "" {
		s.showInvitedForm(c, sv, token)
		return
	}
	lang := negotiateLanguage(c, sv)
	s.renderForm(c, http.StatusOK, sv, lang, url.Values{}, uuid.NewString(), "", nil, "")
}

// showInvitedForm renders the form behind a personal link.
func (s *Server) showInvitedForm(c *gin.Context, sv *survey.Survey, token string) {
	res, err := s.campaign.Resume(c.Request.Context(), sv.Slug, token)
	switch survey.ErrorCode(err) {
	case "":
	case survey.ENOTFOUND:
		s.renderInvalidLink(c, sv)
		return
	case survey.ECLOSED:
		s.renderClosedInvited(c, sv, token)
		return
	default:
		s.renderError(c, err)
		return
	}
	inv := res.Invitation
	lang := negotiateLanguage(c, sv)
	if lang == sv.DefaultLanguage && c.Query("lang") == "" && sv.HasLanguage(inv.Language) {
		lang = inv.Language
	}
	notice := ""
	switch {
	case res.Locked:
		s.renderPage(c, http.StatusOK, "message.html", messagePage{
			page:    s.basePage(c, lang, sv.Title.In(lang, sv.DefaultLanguage), sv.Languages...),
			Heading: ui(lang, "thanks_title"), Message: ui(lang, "already_submitted"),
		})
		return
	case res.Response != nil && res.Response.Status == survey.ResponseSubmitted:
		notice = ui(lang, "edit_after_submit")
	case res.Response != nil:
		notice = ui(lang, "resumed")
	}
	values := sv.FormValues(res.Answers, lang)
	revision := 0 // no response yet: a second tab's first submission is then stale too
	if res.Response != nil {
		revision = res.Response.Revision
	}
	values.Set(revisionField, strconv.Itoa(revision))
	view := s.formView(c, sv, lang, values, uuid.NewString(), token, nil, notice, res.Previous)
	if res.Response != nil {
		// form.js puts back a copy of answers edited in this browser after
		// this time (an edit not sent, then a language switch) over the
		// stored answers shown here.
		view.StoredAt = res.Response.UpdatedAt.UnixMilli()
	}
	s.renderPage(c, http.StatusOK, "form.html", view)
}

// renderForm renders the respondent form; token is the personal link's,
// "" for the open form. The submission id is a client id, never an invited
// response's (those come from the token alone).
//
// Behind a personal link the form posts to an address that carries the
// token, so every page the post answers with (saved, an error, a conflict)
// has it in its address and in its language links: switching language or
// reloading stays on the library's own form.
func (s *Server) renderForm(c *gin.Context, status int, sv *survey.Survey, lang string, values url.Values, submissionID, token string, fields []survey.FieldError, notice string) {
	var previous *campaign.Previous
	if token != "" {
		// Only shown beside the questions: a failure to read it (the link
		// itself was refused already, or the store is down, which the
		// page says anyway) leaves the hints out rather than the form.
		previous, _ = s.campaign.PreviousAnswers(c.Request.Context(), sv.Slug, token)
	}
	s.renderPage(c, status, "form.html", s.formView(c, sv, lang, values, submissionID, token, fields, notice, previous))
}

// formView is the respondent form's page, as renderForm describes it, with
// the library's previous-wave answers beside its questions (nil: none).
func (s *Server) formView(c *gin.Context, sv *survey.Survey, lang string, values url.Values, submissionID, token string, fields []survey.FieldError, notice string, previous *campaign.Previous) formPage {
	sections, errs := buildForm(sv, lang, values, fields, previous)
	title := sv.Title.In(lang, sv.DefaultLanguage)
	return formPage{
		page:         s.basePage(c, lang, title, sv.Languages...),
		Slug:         sv.Slug,
		Description:  sv.Description.In(lang, sv.DefaultLanguage),
		Action:       formAddress(sv.Slug, lang, token),
		CSRFToken:    s.csrfToken(c),
		SubmissionID: submissionID,
		Token:        token,
		DraftKey:     draftKey(token),
		Revision:     formRevision(values, token),
		Notice:       notice,
		Errors:       errs,
		Sections:     sections,
	}
}

// revisionField is the hidden field of a personal link's form that
// carries the revision of the response the form was opened on
// (campaign.Submission.Revision). It has a hyphen, which no question id
// has, so it never names an answer.
const revisionField = "response-revision"

// formRevision is what a personal link's form carries in revisionField:
// the value it was rendered with or posted with; "" on the open form and
// on a form posted without one (rendered before revisions were carried),
// which is then not checked.
func formRevision(values url.Values, token string) string {
	if token == "" {
		return ""
	}
	if _, err := strconv.Atoi(values.Get(revisionField)); err != nil {
		return ""
	}
	return values.Get(revisionField)
}

// postedRevision is formRevision as Submit takes it: nil not to check.
func postedRevision(values url.Values, token string) *int {
	if v := formRevision(values, token); v != "" {
		n, _ := strconv.Atoi(v)
		return &n
	}
	return nil
}

// formAddress is the form's address in lang, with the personal link's
// token when there is one.
func formAddress(slug, lang, token string) string {
	q := url.Values{"lang": {lang}}
	if token != "" {
		q.Set("t", token)
	}
	return "/s/" + slug + "?" + q.Encode()
}

// draftKey names the browser's copy of unsent answers (form.js): one per
// personal link, and "open" for the anonymous form, so the open form can
// never pick up a library's answers. It is a digest of the token, not the
// token, as it is kept in the browser's storage.
func draftKey(token string) string {
	if token == "" {
		return "open"
	}
	return "link-" + survey.HashSecret("canvass-draft\x00" + token)[:16]
}

// submitForm parses a posted form and hands it to campaign.Submit: an open
// submission, or, with a personal link's token, the library's draft
// (action=save) or submission. Whatever goes wrong, the form comes back with
// every answer as typed and the same submission id, so a second try can
// never store the response twice.
func (s *Server) submitForm(c *gin.Context) {
	ctx := c.Request.Context()
	sv, err := s.campaign.OpenSurvey(ctx, c.Param("slug"))
	if err != nil && survey.ErrorCode(err) != survey.ECLOSED {
		s.renderError(c, err)
		return
	}
	if err := s.readForm(c); err != nil {
		s.renderError(c, err)
		return
	}
	values := c.Request.PostForm
	setFormLanguage(c, values.Get("lang"))
	lang := negotiateLanguage(c, sv)
	token := values.Get("t")
	if token == "" {
		token = c.Query("t") // the form's address carries it too
	}
	submissionID := values.Get("submission_id")
	if !campaign.ValidSubmissionID(submissionID) {
		submissionID = uuid.NewString()
	}
	// A closed survey stores nothing, so its refusal (and its count) comes
	// from Submit whatever the CSRF token says.
	// The form is read already: csrfValid cannot fail to read it.
	if valid, _ := s.csrfValid(c); err == nil && !valid {
		s.renderForm(c, http.StatusForbidden, sv, lang, values, submissionID, token, nil, ui(lang, "csrf_text"))
		return
	}
	save := token != "" && values.Get("action") == "save"
	res, err := s.campaign.Submit(ctx, campaign.Submission{
		Survey: sv.Slug, SubmissionID: submissionID, Language: lang, Answers: sv.FormAnswers(values),
		InvitationToken: token, Draft: save, Source: "web", Revision: postedRevision(values, token),
	})
	var stale *campaign.StaleResponse
	if errors.As(err, &stale) {
		// Changed in another window or device since this page was opened:
		// nothing is replaced unseen. The answers come back as typed with
		// the revision stored now, so sending them again replaces it.
		values.Set(revisionField, strconv.Itoa(stale.Revision))
		notice := ui(lang, "stale_form")
		if save {
			notice = ui(lang, "stale_form_save")
		}
		s.renderForm(c, http.StatusConflict, sv, lang, values, submissionID, token, nil, notice)
		return
	}
	switch survey.ErrorCode(err) {
	case "":
		if save {
			saved := sv.FormValues(res.Response.Answers, lang)
			saved.Set(revisionField, strconv.Itoa(res.Response.Revision))
			s.renderForm(c, http.StatusOK, sv, lang, saved, submissionID, token, nil, ui(lang, "saved"))
			return
		}
		c.Redirect(http.StatusSeeOther, "/s/"+sv.Slug+"/thanks?lang="+lang)
	case survey.ECLOSED:
		s.renderClosed(c, sv)
	case survey.EINVALID:
		if hasField(err, campaign.InvitationTokenField) {
			s.renderInvalidLink(c, sv)
			return
		}
		fields := survey.ErrorFields(err)
		s.renderForm(c, http.StatusUnprocessableEntity, sv, lang, values, submissionID, token, fields, "")
	case survey.ECONFLICT:
		if save && hasField(err, campaign.DraftField) {
			// Saving an edit of a submitted response: nothing is lost, the
			// form comes back as typed, asking to submit the changes.
			s.renderForm(c, http.StatusConflict, sv, lang, values, submissionID, token, nil, ui(lang, "save_after_submit"))
			return
		}
		message, heading := ui(lang, "conflict_text"), ui(lang, "error_title")
		link, linkText := "/s/"+sv.Slug+"?lang="+lang, sv.Title.In(lang, sv.DefaultLanguage)
		if token != "" {
			message, heading, link, linkText = ui(lang, "already_submitted"), ui(lang, "thanks_title"), "", ""
		}
		s.renderPage(c, http.StatusConflict, "message.html", messagePage{
			page:    s.basePage(c, lang, sv.Title.In(lang, sv.DefaultLanguage)),
			Heading: heading, Message: message, Link: link, LinkText: linkText,
		})
	case survey.EUNAVAILABLE:
		c.Header("Retry-After", retryAfterSeconds)
		s.renderForm(c, http.StatusServiceUnavailable, sv, lang, values, submissionID, token, nil, ui(lang, "unavailable"))
	default:
		s.renderError(c, err)
	}
}

// hasField reports whether err names the field path.
func hasField(err error, path string) bool {
	for _, f := range survey.ErrorFields(err) {
		if f.Path == path {
			return true
		}
	}
	return false
}

// showThanks is where a stored form lands (POST, then redirect, then GET, so
// reloading the page never posts again).
func (s *Server) showThanks(c *gin.Context) {
	// PublishedForm: a draft's thanks page is a 404 like an unknown slug's.
	sv, err := s.campaign.PublishedForm(c.Request.Context(), c.Param("slug"))
	if err != nil {
		s.renderError(c, err)
		return
	}
	lang := negotiateLanguage(c, sv)
	message := sv.ThankYou.In(lang, sv.DefaultLanguage)
	if message == "" {
		message = ui(lang, "thanks_default")
	}
	s.renderPage(c, http.StatusOK, "thanks.html", messagePage{
		page:    s.basePage(c, lang, ui(lang, "thanks_title"), sv.Languages...),
		Slug:    sv.Slug,
		Heading: sv.Title.In(lang, sv.DefaultLanguage),
		Message: message,
	})
}
