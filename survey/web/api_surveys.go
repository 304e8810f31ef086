package web

import (
	"errors"
	"io"
	"mime"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/metlib/canvass/campaign"
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
	// Series and Wave place the survey in its programme (docs/waves.md):
	// Series is its own slug when it names none.
	Series string `json:"series"`
	Wave   string `json:"wave,omitempty"`
}

func toSurveySummary(sum campaign.SurveySummary) surveySummary {
	sv := sum.Survey
	return surveySummary{Slug: sv.Slug, Version: sv.Version, Status: string(sv.Status), Accepting: sum.Accepting,
		Title: sv.Title, Languages: sv.Languages, OpensAt: sv.OpensAt, ClosesAt: sv.ClosesAt, Responses: sum.Responses,
		Series: sv.SeriesName(), Wave: sv.Wave}
}

func (s *Server) apiListSurveys(c *gin.Context) {
	all, err := s.campaign.ListSurveys(c.Request.Context())
	if err != nil {
		s.renderError(c, err)
		return
	}
	out := make([]surveySummary, 0, len(all))
	for _, sum := range all {
		out = append(out, toSurveySummary(sum))
	}
	c.JSON(http.StatusOK, gin.H{"surveys": out})
}

// apiGetSurvey returns a survey's summary and its full definition.
func (s *Server) apiGetSurvey(c *gin.Context) {
	sum, err := s.campaign.Survey(c.Request.Context(), c.Param("slug"))
	if err != nil {
		s.renderError(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"survey": toSurveySummary(sum), "definition": sum.Survey})
}

// apiCreateSurvey stores a new survey from a YAML or JSON definition. It
// starts as a draft unless the definition sets another status.
func (s *Server) apiCreateSurvey(c *gin.Context) {
	s.apiCreate(c, false)
}

// apiImportSurvey creates a survey from YAML, JSON or an XLSForm, and lists
// what the XLSForm import could not map.
func (s *Server) apiImportSurvey(c *gin.Context) {
	s.apiCreate(c, true)
}

func (s *Server) apiCreate(c *gin.Context, importing bool) {
	d, err := readDefinitionBody(c, importing)
	if err != nil {
		s.renderError(c, err)
		return
	}
	ctx := c.Request.Context()
	sv, notes, err := s.campaign.CreateSurvey(ctx, d)
	if err != nil {
		s.renderError(c, err)
		return
	}
	sum, err := s.campaign.Survey(ctx, sv.Slug)
	if err != nil {
		s.renderError(c, err)
		return
	}
	c.Header("Location", "/api/v1/surveys/"+sv.Slug)
	body := gin.H{"survey": toSurveySummary(sum)}
	if importing {
		if notes == nil {
			notes = []xlsform.Note{}
		}
		body["not_imported"] = notes
	}
	c.JSON(http.StatusCreated, body)
}

// apiSetStatus publishes or closes a survey.
func (s *Server) apiSetStatus(status survey.Status) gin.HandlerFunc {
	return func(c *gin.Context) {
		slug := c.Param("slug")
		if err := s.campaign.SetStatus(c.Request.Context(), slug, status); err != nil {
			s.renderError(c, err)
			return
		}
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
func readDefinitionBody(c *gin.Context, allowXLSForm bool) (campaign.Definition, error) {
	mt, _, _ := mime.ParseMediaType(c.GetHeader("Content-Type"))
	var d campaign.Definition
	var err error
	if mt == "multipart/form-data" {
		d, err = readUpload(c)
	} else {
		d.Format = definitionTypes[mt]
		if d.Format == "" {
			return d, &survey.Error{Code: EUNSUPPORTED, Message: "Send the definition as application/json, application/yaml, an XLSForm (.xlsx) or a multipart form with a definition file."}
		}
		d.Data, err = io.ReadAll(c.Request.Body)
		var maxErr *http.MaxBytesError
		if errors.As(err, &maxErr) {
			err = survey.Errorf(survey.ETOOLARGE, "The definition is larger than %d bytes.", maxErr.Limit)
		}
	}
	if err != nil {
		return d, err
	}
	if d.Format == "xlsform" && !allowXLSForm {
		return d, &survey.Error{Code: EUNSUPPORTED, Message: "Import XLSForm workbooks with POST /api/v1/surveys/import."}
	}
	return d, nil
}

// apiUpdateSurvey replaces a survey's definition with a new version.
func (s *Server) apiUpdateSurvey(c *gin.Context) {
	d, err := readDefinitionBody(c, false)
	if err != nil {
		s.renderError(c, err)
		return
	}
	if _, _, err := s.campaign.UpdateSurvey(c.Request.Context(), c.Param("slug"), d); err != nil {
		s.renderError(c, err)
		return
	}
	s.apiGetSurvey(c)
}
