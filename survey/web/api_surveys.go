package web

import (
	"errors"
	"io"
	"mime"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/metlib/canvass/survey"
)

// surveySummary is a survey as the working-group API lists it.
type surveySummary struct {
	Slug      string      `json:"slug"`
	Version   int         `json:"version"`
	Status    string      `json:"status"`
	Accepting bool        `json:"accepting_responses"`
	Title     survey.Text `json:"title"`
	Languages []string    `json:"languages"`
	OpensAt   *time.Time  `json:"opens_at,omitempty"`
	ClosesAt  *time.Time  `json:"closes_at,omitempty"`
	Responses int         `json:"responses"`
}

func (s *Server) summarize(c *gin.Context, sv *survey.Survey) (surveySummary, error) {
	n, err := s.cfg.Responses.CountResponses(c.Request.Context(), sv.Slug)
	return surveySummary{Slug: sv.Slug, Version: sv.Version, Status: string(sv.Status), Accepting: sv.AcceptingAt(s.now()),
		Title: sv.Title, Languages: sv.Languages, OpensAt: sv.OpensAt, ClosesAt: sv.ClosesAt, Responses: n}, err
}

func (s *Server) apiListSurveys(c *gin.Context) {
	all, err := s.cfg.Surveys.ListSurveys(c.Request.Context())
	if err != nil {
		s.renderError(c, err)
		return
	}
	out := make([]surveySummary, 0, len(all))
	for _, sv := range all {
		sum, err := s.summarize(c, sv)
		if err != nil {
			s.renderError(c, err)
			return
		}
		out = append(out, sum)
	}
	c.JSON(http.StatusOK, gin.H{"surveys": out})
}

// apiGetSurvey returns a survey's summary and its full definition.
func (s *Server) apiGetSurvey(c *gin.Context) {
	sv, err := s.cfg.Surveys.FindSurvey(c.Request.Context(), c.Param("slug"))
	if err != nil {
		s.renderError(c, err)
		return
	}
	sum, err := s.summarize(c, sv)
	if err != nil {
		s.renderError(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"survey": sum, "definition": sv})
}

// apiCreateSurvey stores a new survey from a YAML or JSON definition. It
// starts as a draft unless the definition sets another status.
func (s *Server) apiCreateSurvey(c *gin.Context) {
	mt, _, _ := mime.ParseMediaType(c.GetHeader("Content-Type"))
	format := map[string]string{
		"application/json": "json", "application/yaml": "yaml", "application/x-yaml": "yaml",
		"text/yaml": "yaml", "text/x-yaml": "yaml",
	}[mt]
	if format == "" {
		s.renderError(c, &survey.Error{Code: EUNSUPPORTED, Message: "Send the definition as application/json or application/yaml."})
		return
	}
	data, err := io.ReadAll(c.Request.Body)
	if err != nil {
		var maxErr *http.MaxBytesError
		if errors.As(err, &maxErr) {
			s.renderError(c, survey.Errorf(survey.ETOOLARGE, "The definition is larger than %d bytes.", maxErr.Limit))
			return
		}
		s.renderError(c, survey.Errorf(survey.EMALFORMED, "The request body could not be read."))
		return
	}
	sv, err := survey.ParseDefinition(data, format)
	if err != nil {
		s.renderError(c, err)
		return
	}
	if err := s.cfg.Surveys.CreateSurvey(c.Request.Context(), sv); err != nil {
		s.renderError(c, err)
		return
	}
	s.surveys.forget(sv.Slug)
	sum, err := s.summarize(c, sv)
	if err != nil {
		s.renderError(c, err)
		return
	}
	c.Header("Location", "/api/v1/surveys/"+sv.Slug)
	c.JSON(http.StatusCreated, gin.H{"survey": sum})
}

// apiSetStatus publishes or closes a survey.
func (s *Server) apiSetStatus(status survey.Status) gin.HandlerFunc {
	return func(c *gin.Context) {
		slug := c.Param("slug")
		if err := s.cfg.Surveys.SetSurveyStatus(c.Request.Context(), slug, status); err != nil {
			s.renderError(c, err)
			return
		}
		s.surveys.forget(slug)
		s.apiGetSurvey(c)
	}
}
