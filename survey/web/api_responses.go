package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"github.com/metlib/canvass/campaign"
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
	sv, err := s.campaign.PublishedForm(c.Request.Context(), c.Param("slug"))
	if err != nil {
		s.renderError(c, err)
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

// apiSubmit stores a response through campaign.Submit: 201 when new; 200
// with the stored response when the same submission_id comes again with the
// same answers; 409 when it comes with other answers or the survey is
// closed; 422 with per-question fields.
func (s *Server) apiSubmit(c *gin.Context) {
	if !isJSON(c) {
		s.renderError(c, &survey.Error{Code: EUNSUPPORTED, Message: "Send the response as application/json."})
		return
	}
	ctx := c.Request.Context()
	// An unknown survey is a 404 before the body is read (a closed one
	// goes on: Submit refuses and counts it).
	if _, err := s.campaign.OpenSurvey(ctx, c.Param("slug")); err != nil && survey.ErrorCode(err) != survey.ECLOSED {
		s.renderError(c, err)
		return
	}
	var body submission
	if err := decodeJSON(c.Request.Body, &body); err != nil {
		s.renderError(c, err)
		return
	}
	res, err := s.campaign.Submit(ctx, campaign.Submission{
		Survey: c.Param("slug"), SubmissionID: body.SubmissionID, Language: body.Language, Answers: body.Answers,
		InvitationToken: body.InvitationToken, Source: "api",
	})
	if err != nil {
		s.renderError(c, err)
		return
	}
	status := http.StatusOK
	if res.Created {
		status = http.StatusCreated
		c.Header("Location", "/api/v1/responses/"+res.Response.ID)
	}
	c.JSON(status, toResponseJSON(res.Response))
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
			return survey.KeyedErrorf(survey.ETOOLARGE, "too_large", "The request is larger than %d bytes.", maxErr.Limit)
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
	page, perPage, err := paging(c)
	if err != nil {
		s.renderError(c, err)
		return
	}
	filter, _, err := parseResponseFilter(c, c.Param("slug"))
	if err != nil {
		s.renderError(c, err)
		return
	}
	filter.Offset, filter.Limit = (page-1)*perPage, perPage
	list, total, err := s.campaign.ListResponses(c.Request.Context(), c.Param("slug"), filter)
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

// maxPage bounds the page parameter of every paged list, so that the offset
// (page-1)*per_page stays far from overflowing an int (and from asking the
// database to skip more documents than it could hold): 1,000,000 pages of
// 500 are 5e8 rows, more than any survey or directory here will have.
const maxPage = 1_000_000

// paging reads page and per_page; a bad one is EMALFORMED naming it.
func paging(c *gin.Context) (page, perPage int, err error) {
	if page, err = pageParam(c); err != nil {
		return 0, 0, err
	}
	perPage = 50
	if v := c.Query("per_page"); v != "" {
		if perPage, err = strconv.Atoi(v); err != nil || perPage < 1 || perPage > campaign.MaxPerPage {
			return 0, 0, survey.Errorf(survey.EMALFORMED, "per_page must be a whole number from 1 to %d.", campaign.MaxPerPage)
		}
	}
	return page, perPage, nil
}

// pageParam reads the page parameter (1 when absent): a whole number from 1
// to maxPage, or EMALFORMED naming page. Pages with a fixed page size use it
// directly.
func pageParam(c *gin.Context) (int, error) {
	v := c.Query("page")
	if v == "" {
		return 1, nil
	}
	page, err := strconv.Atoi(v)
	if err != nil || page < 1 || page > maxPage {
		return 0, &survey.Error{Code: survey.EMALFORMED, Message: fmt.Sprintf("page must be a whole number from 1 to %d.", maxPage),
			Fields: []survey.FieldError{{Path: "page", Message: "A whole number from 1 to 1000000."}}}
	}
	return page, nil
}

// textParam reads a free-text query parameter, trimmed. A NUL byte, another
// control character or invalid UTF-8 cannot be part of any name being
// searched for, and the database refuses a NUL in a pattern: EMALFORMED
// naming the parameter, rather than a failed query.
func textParam(c *gin.Context, name string) (string, error) {
	v := strings.TrimSpace(c.Query(name))
	if !utf8.ValidString(v) || strings.IndexFunc(v, func(r rune) bool { return r < 0x20 || r == 0x7f }) >= 0 {
		return "", &survey.Error{Code: survey.EMALFORMED, Message: fmt.Sprintf("%s holds a control character or invalid UTF-8.", name),
			Fields: []survey.FieldError{{Path: name, Message: "Text without control characters."}}}
	}
	return v, nil
}

// apiGetResponse returns one response.
func (s *Server) apiGetResponse(c *gin.Context) {
	r, _, err := s.campaign.Response(c.Request.Context(), c.Param("id"))
	if err != nil {
		s.renderError(c, err)
		return
	}
	c.JSON(http.StatusOK, toResponseJSON(r))
}

// apiDeleteResponse removes a response (admin).
func (s *Server) apiDeleteResponse(c *gin.Context) {
	if _, err := s.campaign.DeleteResponse(c.Request.Context(), c.Param("id")); err != nil {
		s.renderError(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}
