package web

import (
	"net/http"
	"net/url"
	"regexp"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	"github.com/metlib/canvass/survey"
)

// submissionIDPattern is what a client-generated submission id may look like
// (a UUID, or any similar opaque id).
var submissionIDPattern = regexp.MustCompile(`^[A-Za-z0-9_-]{8,64}$`)

// index lists the open surveys.
func (s *Server) index(c *gin.Context) {
	lang := negotiateLanguage(c, nil)
	all, err := s.cfg.Surveys.ListSurveys(c.Request.Context())
	if err != nil {
		s.renderError(c, err)
		return
	}
	type item struct{ Title, Description, URL string }
	var open []item
	for _, sv := range all {
		if sv.AcceptingAt(s.now()) {
			l := lang
			if !sv.HasLanguage(l) {
				l = sv.DefaultLanguage
			}
			open = append(open, item{Title: sv.Title.In(l, sv.DefaultLanguage), Description: sv.Description.In(l, sv.DefaultLanguage), URL: "/s/" + sv.Slug + "?lang=" + l})
		}
	}
	s.renderPage(c, http.StatusOK, "index.html", struct {
		page
		Surveys []item
	}{s.basePage(c, lang, ui(lang, "surveys_title")), open})
}

// openSurvey finds a survey that accepts responses now, or answers with the
// not-found or closed page itself and returns nil.
func (s *Server) openSurvey(c *gin.Context) *survey.Survey {
	sv, err := s.surveys.find(c.Request.Context(), c.Param("slug"))
	if err != nil {
		s.renderError(c, err)
		return nil
	}
	if !sv.AcceptingAt(s.now()) {
		if c.Request.Method == http.MethodPost {
			s.metrics.submission(sv.Slug, false, survey.Errorf(survey.ECLOSED, "closed"))
		}
		lang := negotiateLanguage(c, sv)
		if wantsJSON(c) {
			s.renderError(c, survey.Errorf(survey.ECLOSED, "The survey %q is not accepting responses.", sv.Slug))
			return nil
		}
		s.renderPage(c, http.StatusConflict, "message.html", messagePage{
			page:    s.basePage(c, lang, sv.Title.In(lang, sv.DefaultLanguage), sv.Languages...),
			Heading: ui(lang, "closed_title"), Message: ui(lang, "closed_text"),
			Link: "/?lang=" + lang, LinkText: ui(lang, "home"),
		})
		c.Abort()
		return nil
	}
	return sv
}

// showForm renders an empty form with a fresh submission id.
func (s *Server) showForm(c *gin.Context) {
	sv := s.openSurvey(c)
	if sv == nil {
		return
	}
	if token := c.Query("t"); token != "" {
		s.showInvitedForm(c, sv, token)
		return
	}
	lang := negotiateLanguage(c, sv)
	s.renderForm(c, http.StatusOK, sv, lang, url.Values{}, uuid.NewString(), nil, "")
}

func (s *Server) renderForm(c *gin.Context, status int, sv *survey.Survey, lang string, values url.Values, submissionID string, fields []survey.FieldError, notice string) {
	sections, errs := buildForm(sv, lang, values, fields)
	title := sv.Title.In(lang, sv.DefaultLanguage)
	s.renderPage(c, status, "form.html", formPage{
		page:         s.basePage(c, lang, title, sv.Languages...),
		Slug:         sv.Slug,
		Description:  sv.Description.In(lang, sv.DefaultLanguage),
		Action:       "/s/" + sv.Slug + "?lang=" + lang,
		CSRFToken:    s.csrfToken(c),
		SubmissionID: submissionID,
		Notice:       notice,
		Errors:       errs,
		Sections:     sections,
	})
}

// submitForm checks and stores a posted form. Whatever goes wrong, the form
// comes back with every answer as typed, and the same submission id, so a
// second try can never store the response twice.
func (s *Server) submitForm(c *gin.Context) {
	sv := s.openSurvey(c)
	if sv == nil {
		return
	}
	if err := c.Request.ParseForm(); err != nil {
		s.renderError(c, survey.Errorf(survey.EMALFORMED, "The form could not be read."))
		return
	}
	lang := negotiateLanguage(c, sv)
	values := c.Request.PostForm
	submissionID := values.Get("submission_id")
	if !submissionIDPattern.MatchString(submissionID) {
		submissionID = uuid.NewString()
	}
	if !s.csrfValid(c) {
		s.renderForm(c, http.StatusForbidden, sv, lang, values, submissionID, nil, ui(lang, "csrf_text"))
		return
	}
	if token := values.Get("t"); token != "" {
		s.submitInvited(c, sv, lang, token)
		return
	}
	answers, err := sv.CheckAnswers(sv.FormAnswers(values), lang)
	if err != nil {
		s.metrics.submission(sv.Slug, false, err)
		s.renderForm(c, http.StatusUnprocessableEntity, sv, lang, values, submissionID, survey.ErrorFields(err), "")
		return
	}
	_, _, err = s.store(c, sv, submissionID, lang, answers, "web")
	switch survey.ErrorCode(err) {
	case "":
		c.Redirect(http.StatusSeeOther, "/s/"+sv.Slug+"/thanks?lang="+lang)
	case survey.ECONFLICT:
		s.renderPage(c, http.StatusConflict, "message.html", messagePage{
			page:    s.basePage(c, lang, sv.Title.In(lang, sv.DefaultLanguage)),
			Heading: ui(lang, "error_title"), Message: ui(lang, "conflict_text"),
			Link: "/s/" + sv.Slug + "?lang=" + lang, LinkText: sv.Title.In(lang, sv.DefaultLanguage),
		})
	case survey.EUNAVAILABLE:
		c.Header("Retry-After", retryAfterSeconds)
		s.renderForm(c, http.StatusServiceUnavailable, sv, lang, values, submissionID, nil, ui(lang, "unavailable"))
	default:
		s.renderError(c, err)
	}
}

// showThanks is where a stored form lands (POST, then redirect, then GET, so
// reloading the page never posts again).
func (s *Server) showThanks(c *gin.Context) {
	sv, err := s.surveys.find(c.Request.Context(), c.Param("slug"))
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
