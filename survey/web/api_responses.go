package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	"github.com/metlib/canvass/survey"
)

// responseJSON is a response as the API shows it.
type responseJSON struct {
	ID            string         `json:"id"`
	Survey        string         `json:"survey"`
	SurveyVersion int            `json:"survey_version"`
	SubmissionID  string         `json:"submission_id"`
	Language      string         `json:"language"`
	Country       string         `json:"country,omitempty"`
	Region        string         `json:"region,omitempty"`
	Status        string         `json:"status"`
	Answers       survey.Answers `json:"answers"`
	Source        string         `json:"source,omitempty"`
	CreatedAt     time.Time      `json:"created_at"`
	SubmittedAt   *time.Time     `json:"submitted_at,omitempty"`
}

func toResponseJSON(r *survey.Response) responseJSON {
	return responseJSON{ID: r.ID, Survey: r.SurveySlug, SurveyVersion: r.SurveyVersion, SubmissionID: r.SubmissionID,
		Language: r.Language, Country: r.Country, Region: string(r.Region), Status: string(r.Status), Answers: r.Answers, Source: r.Source,
		CreatedAt: r.CreatedAt, SubmittedAt: r.SubmittedAt}
}

// apiForm returns the published definition, in the definition's own format.
func (s *Server) apiForm(c *gin.Context) {
	sv, err := s.surveys.find(c.Request.Context(), c.Param("slug"))
	if err != nil {
		s.renderError(c, err)
		return
	}
	if sv.Status == survey.StatusDraft {
		s.renderError(c, survey.Errorf(survey.ENOTFOUND, "There is no survey %q.", sv.Slug))
		return
	}
	c.JSON(http.StatusOK, sv)
}

// submission is the body of POST /api/v1/surveys/:slug/responses.
type submission struct {
	SubmissionID    string         `json:"submission_id"`
	Language        string         `json:"language"`
	Answers         map[string]any `json:"answers"`
	InvitationToken string         `json:"invitation_token"`
}

// apiSubmit stores a response: 201 when new; 200 with the stored response when
// the same submission_id comes again with the same answers; 409 when it comes
// with other answers or the survey is closed; 422 with per-question fields.
func (s *Server) apiSubmit(c *gin.Context) {
	if !isJSON(c) {
		s.renderError(c, &survey.Error{Code: EUNSUPPORTED, Message: "Send the response as application/json."})
		return
	}
	sv := s.openSurvey(c)
	if sv == nil {
		return
	}
	var body submission
	if err := decodeJSON(c.Request.Body, &body); err != nil {
		s.renderError(c, err)
		return
	}
	var problems []survey.FieldError
	if body.SubmissionID == "" {
		body.SubmissionID = uuid.NewString()
	} else if !submissionIDPattern.MatchString(body.SubmissionID) {
		problems = append(problems, survey.FieldError{Path: "submission_id", Message: "submission_id must be 8–64 letters, digits, - or _ (a UUID is best)."})
	}
	lang := body.Language
	if lang == "" {
		lang = sv.DefaultLanguage
	} else if !sv.HasLanguage(lang) {
		problems = append(problems, survey.FieldError{Path: "language", Message: "The survey is not offered in language " + strconv.Quote(lang) + "."})
		lang = sv.DefaultLanguage
	}
	var inv *survey.Invitation
	if body.InvitationToken != "" {
		found, err := s.invitationByToken(c.Request.Context(), sv, body.InvitationToken)
		switch survey.ErrorCode(err) {
		case "":
			inv = found
		case survey.ENOTFOUND:
			problems = append(problems, survey.FieldError{Path: "invitation_token", Message: "This invitation is not valid."})
		default:
			s.renderError(c, err)
			return
		}
	}
	if body.Answers == nil {
		problems = append(problems, survey.FieldError{Path: "answers", Message: "answers is required: an object keyed by question id."})
	}
	answers, err := sv.CheckAnswers(body.Answers, lang)
	problems = append(problems, survey.ErrorFields(err)...)
	if len(problems) > 0 {
		err := &survey.Error{Code: survey.EINVALID, Message: "Some answers need attention.", Fields: problems}
		s.metrics.submission(sv.Slug, false, err)
		s.renderError(c, err)
		return
	}
	var stored *survey.Response
	var created bool
	if inv != nil {
		// An invited library has one response, whatever submission_id says.
		stored, created, err = s.storeInvited(c, sv, inv, lang, answers, false, "api")
	} else {
		stored, created, err = s.store(c, sv, body.SubmissionID, lang, answers, "api")
	}
	if err != nil {
		s.renderError(c, err)
		return
	}
	status := http.StatusOK
	if created {
		status = http.StatusCreated
		c.Header("Location", "/api/v1/responses/"+stored.ID)
	}
	c.JSON(status, toResponseJSON(stored))
}

// store saves a checked response idempotently. A submission id seen before
// returns the stored response when its answers are the same, and ECONFLICT
// when they differ.
func (s *Server) store(c *gin.Context, sv *survey.Survey, submissionID, lang string, answers survey.Answers, source string) (*survey.Response, bool, error) {
	// Millisecond precision is what the store keeps, so the first answer and
	// a replay show the same times.
	now := s.now().Truncate(time.Millisecond)
	country, region := sv.Locate(answers)
	r := &survey.Response{
		SurveySlug: sv.Slug, SurveyVersion: sv.Version, SubmissionID: submissionID, Language: lang, Country: country, Region: region,
		Status: survey.ResponseSubmitted, Answers: answers, Source: source,
		CreatedAt: now, UpdatedAt: now, SubmittedAt: &now,
	}
	stored, created, err := s.cfg.Responses.CreateResponse(c.Request.Context(), r)
	if err == nil && !created && !stored.Answers.Equal(answers) {
		err = survey.Errorf(survey.ECONFLICT, "This submission_id was already used with different answers.")
	}
	s.metrics.submission(sv.Slug, created, err)
	if err != nil {
		return nil, false, err
	}
	return stored, created, nil
}

func isJSON(c *gin.Context) bool {
	mt, _, err := mime.ParseMediaType(c.GetHeader("Content-Type"))
	return err == nil && mt == "application/json"
}

// decodeJSON decodes exactly one JSON value, strictly: unknown fields,
// trailing data and wrong types are EMALFORMED; an oversized body is ETOOLARGE.
func decodeJSON(r io.Reader, v any) error {
	data, err := io.ReadAll(r)
	if err != nil {
		var maxErr *http.MaxBytesError
		if errors.As(err, &maxErr) {
			return survey.Errorf(survey.ETOOLARGE, "The request is larger than %d bytes.", maxErr.Limit)
		}
		return survey.Errorf(survey.EMALFORMED, "The request body could not be read.")
	}
	// encoding/json would quietly turn invalid UTF-8 into U+FFFD: refuse it.
	if !utf8.Valid(data) {
		return survey.Errorf(survey.EMALFORMED, "The request body is not valid UTF-8.")
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return &survey.Error{Code: survey.EMALFORMED, Message: "The request body is not valid JSON for this endpoint: " + err.Error(), Err: err}
	}
	if dec.More() {
		return survey.Errorf(survey.EMALFORMED, "The request body has data after the JSON value.")
	}
	return nil
}

// apiListResponses returns a page of a survey's responses.
func (s *Server) apiListResponses(c *gin.Context) {
	sv, err := s.surveys.find(c.Request.Context(), c.Param("slug"))
	if err != nil {
		s.renderError(c, err)
		return
	}
	page, perPage, err := paging(c)
	if err != nil {
		s.renderError(c, err)
		return
	}
	filter, _, err := parseResponseFilter(c, sv.Slug)
	if err != nil {
		s.renderError(c, err)
		return
	}
	filter.Offset, filter.Limit = (page-1)*perPage, perPage
	list, total, err := s.cfg.Responses.ListResponses(c.Request.Context(), filter)
	if err != nil {
		s.renderError(c, err)
		return
	}
	out := make([]responseJSON, len(list))
	for i, r := range list {
		out[i] = toResponseJSON(r)
	}
	c.JSON(http.StatusOK, gin.H{"responses": out, "page": page, "per_page": perPage, "total": total})
}

// maxPerPage bounds a page of responses.
const maxPerPage = 500

func paging(c *gin.Context) (page, perPage int, err error) {
	page, perPage = 1, 50
	if v := c.Query("page"); v != "" {
		if page, err = strconv.Atoi(v); err != nil || page < 1 {
			return 0, 0, survey.Errorf(survey.EMALFORMED, "page must be a whole number from 1.")
		}
	}
	if v := c.Query("per_page"); v != "" {
		if perPage, err = strconv.Atoi(v); err != nil || perPage < 1 || perPage > maxPerPage {
			return 0, 0, survey.Errorf(survey.EMALFORMED, "per_page must be a whole number from 1 to %d.", maxPerPage)
		}
	}
	return page, perPage, nil
}

// apiGetResponse returns one response.
func (s *Server) apiGetResponse(c *gin.Context) {
	r, err := s.cfg.Responses.FindResponse(c.Request.Context(), c.Param("id"))
	if err != nil {
		s.renderError(c, err)
		return
	}
	c.JSON(http.StatusOK, toResponseJSON(r))
}

// apiDeleteResponse removes a response (admin).
func (s *Server) apiDeleteResponse(c *gin.Context) {
	r, err := s.cfg.Responses.FindResponse(c.Request.Context(), c.Param("id"))
	if err != nil {
		s.renderError(c, err)
		return
	}
	if err := s.cfg.Responses.DeleteResponse(c.Request.Context(), r.ID); err != nil {
		s.renderError(c, err)
		return
	}
	s.audit(c, "response.delete", "response:"+r.ID, "survey "+r.SurveySlug+", submission "+r.SubmissionID)
	c.Status(http.StatusNoContent)
}
