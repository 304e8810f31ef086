package web

import (
	"errors"
	"io"
	"mime"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/metlib/canvass/survey"
	"github.com/metlib/canvass/survey/xlsform"
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
	sv, format, _, err := s.readDefinitionBody(c, false)
	if err != nil {
		s.renderError(c, err)
		return
	}
	if sum, ok := s.createSurvey(c, sv, format); ok {
		c.JSON(http.StatusCreated, gin.H{"survey": sum})
	}
}

// createSurvey stores a new survey (a draft unless it says otherwise) and
// records it, or answers with the error and returns false.
func (s *Server) createSurvey(c *gin.Context, sv *survey.Survey, format string) (surveySummary, bool) {
	if sv.Status == "" {
		sv.Status = survey.StatusDraft
	}
	if err := s.cfg.Surveys.CreateSurvey(c.Request.Context(), sv); err != nil {
		s.renderError(c, err)
		return surveySummary{}, false
	}
	s.surveys.forget(sv.Slug)
	s.audit(c, "survey.create", "survey:"+sv.Slug, "version "+itoa(sv.Version)+" from "+format)
	sum, err := s.summarize(c, sv)
	if err != nil {
		s.renderError(c, err)
		return surveySummary{}, false
	}
	c.Header("Location", "/api/v1/surveys/"+sv.Slug)
	return sum, true
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
		s.audit(c, "survey.status", "survey:"+slug, "set to "+string(status))
		s.apiGetSurvey(c)
	}
}

// definitionTypes maps request content types to definition formats.
var definitionTypes = map[string]string{
	"application/json": "json", "application/yaml": "yaml", "application/x-yaml": "yaml",
	"text/yaml": "yaml", "text/x-yaml": "yaml",
	"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsform",
}

// readDefinitionBody reads a definition from the request: the raw body with
// its Content-Type, or (for import) a multipart form's "definition" file.
func (s *Server) readDefinitionBody(c *gin.Context, allowXLSForm bool) (*survey.Survey, string, []xlsform.Note, error) {
	mt, _, _ := mime.ParseMediaType(c.GetHeader("Content-Type"))
	var data []byte
	var format string
	var err error
	if mt == "multipart/form-data" {
		data, format, err = readUpload(c)
	} else {
		format = definitionTypes[mt]
		if format == "" {
			return nil, "", nil, &survey.Error{Code: EUNSUPPORTED, Message: "Send the definition as application/json, application/yaml, an XLSForm (.xlsx) or a multipart form with a definition file."}
		}
		data, err = io.ReadAll(c.Request.Body)
		var maxErr *http.MaxBytesError
		if errors.As(err, &maxErr) {
			err = survey.Errorf(survey.ETOOLARGE, "The definition is larger than %d bytes.", maxErr.Limit)
		}
	}
	if err != nil {
		return nil, "", nil, err
	}
	if format == "xlsform" && !allowXLSForm {
		return nil, "", nil, &survey.Error{Code: EUNSUPPORTED, Message: "Import XLSForm workbooks with POST /api/v1/surveys/import."}
	}
	sv, notes, err := parseDefinitionUpload(data, format)
	return sv, format, notes, err
}

// apiImportSurvey creates a survey from YAML, JSON or an XLSForm, and lists
// what the XLSForm import could not map.
func (s *Server) apiImportSurvey(c *gin.Context) {
	sv, format, notes, err := s.readDefinitionBody(c, true)
	if err != nil {
		s.renderError(c, err)
		return
	}
	if notes == nil {
		notes = []xlsform.Note{}
	}
	if sum, ok := s.createSurvey(c, sv, format); ok {
		c.JSON(http.StatusCreated, gin.H{"survey": sum, "not_imported": notes})
	}
}

// apiUpdateSurvey replaces a survey's definition with a new version.
func (s *Server) apiUpdateSurvey(c *gin.Context) {
	sv, format, _, err := s.readDefinitionBody(c, false)
	if err != nil {
		s.renderError(c, err)
		return
	}
	if sv.Slug != c.Param("slug") {
		s.renderError(c, &survey.Error{Code: survey.EINVALID, Message: "The definition's slug must match the URL.", Fields: []survey.FieldError{{Path: "slug", Message: "expected " + c.Param("slug")}}})
		return
	}
	if err := s.cfg.Surveys.UpdateSurvey(c.Request.Context(), sv); err != nil {
		s.renderError(c, err)
		return
	}
	s.surveys.forget(sv.Slug)
	s.audit(c, "survey.update", "survey:"+sv.Slug, "version "+itoa(sv.Version)+" from "+format)
	s.apiGetSurvey(c)
}
