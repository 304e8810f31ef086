package web

import (
	"errors"
	"io"
	"net/http"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/metlib/canvass/survey"
	"github.com/metlib/canvass/survey/xlsform"
)

// parseDefinitionUpload reads a definition in any format Canvass imports:
// YAML, JSON or an XLSForm workbook, chosen by format ("yaml", "json",
// "xlsform"). XLSForm imports come with notes about what did not map.
func parseDefinitionUpload(data []byte, format string) (*survey.Survey, []xlsform.Note, error) {
	if format == "xlsform" {
		return xlsform.Parse(data)
	}
	s, err := survey.ParseDefinition(data, format)
	return s, nil, err
}

// formatOfFile picks the format from a file name's extension.
func formatOfFile(name string) string {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".yaml", ".yml":
		return "yaml"
	case ".json":
		return "json"
	case ".xlsx":
		return "xlsform"
	}
	return ""
}

// readUpload reads the "definition" file of a multipart form.
func readUpload(c *gin.Context) ([]byte, string, error) {
	fh, err := c.FormFile("definition")
	if err != nil {
		var maxErr *http.MaxBytesError
		if errors.As(err, &maxErr) {
			return nil, "", survey.Errorf(survey.ETOOLARGE, "The file is larger than %d bytes.", maxErr.Limit)
		}
		return nil, "", survey.Errorf(survey.EINVALID, "Choose a definition file to upload.")
	}
	format := formatOfFile(fh.Filename)
	if format == "" {
		return nil, "", survey.Errorf(survey.EINVALID, "%q is not a .yaml, .yml, .json or .xlsx file.", fh.Filename)
	}
	f, err := fh.Open()
	if err != nil {
		return nil, "", err
	}
	defer f.Close()
	data, err := io.ReadAll(f)
	return data, format, err
}

type surveyRow struct {
	Survey    *survey.Survey
	Title     string
	Accepting bool
	Responses int
}

type dashboardPage struct {
	page
	Surveys []surveyRow
}

func (s *Server) dashboard(c *gin.Context) {
	all, err := s.cfg.Surveys.ListSurveys(c.Request.Context())
	if err != nil {
		s.renderError(c, err)
		return
	}
	rows := make([]surveyRow, 0, len(all))
	for _, sv := range all {
		n, err := s.cfg.Responses.CountResponses(c.Request.Context(), sv.Slug)
		if err != nil {
			s.renderError(c, err)
			return
		}
		rows = append(rows, surveyRow{Survey: sv, Title: sv.Title.In("en", sv.DefaultLanguage), Accepting: sv.AcceptingAt(s.now()), Responses: n})
	}
	s.renderPage(c, http.StatusOK, "admin_dashboard.html", dashboardPage{page: s.adminPage(c, "Surveys"), Surveys: rows})
}

type uploadPage struct {
	page
	Survey   *survey.Survey // set when replacing a survey's definition
	Message  string
	Problems []survey.FieldError
	Notes    []xlsform.Note
}

func (s *Server) newSurveyPage(c *gin.Context) {
	s.renderPage(c, http.StatusOK, "admin_survey_new.html", uploadPage{page: s.adminPage(c, "New survey")})
}

// uploadSurvey creates a survey (as a draft) from an uploaded file.
func (s *Server) uploadSurvey(c *gin.Context) {
	s.handleUpload(c, nil)
}

// uploadNewVersion replaces a survey's definition; earlier responses keep
// the version they answered.
func (s *Server) uploadNewVersion(c *gin.Context) {
	current, err := s.cfg.Surveys.FindSurvey(c.Request.Context(), c.Param("slug"))
	if err != nil {
		s.renderError(c, err)
		return
	}
	s.handleUpload(c, current)
}

func (s *Server) handleUpload(c *gin.Context, current *survey.Survey) {
	title := "New survey"
	if current != nil {
		title = "New version of " + current.Slug
	}
	page := uploadPage{page: s.adminPage(c, title), Survey: current}
	fail := func(err error) {
		if code := survey.ErrorCode(err); code == survey.EINTERNAL || code == survey.EUNAVAILABLE {
			s.renderError(c, err)
			return
		}
		page.Message, page.Problems = survey.ErrorMessage(err), survey.ErrorFields(err)
		s.renderPage(c, statusOf(survey.ErrorCode(err)), "admin_survey_new.html", page)
	}
	data, format, err := readUpload(c)
	if err != nil {
		fail(err)
		return
	}
	sv, notes, err := parseDefinitionUpload(data, format)
	page.Notes = notes
	if err != nil {
		fail(err)
		return
	}
	ctx := c.Request.Context()
	if current != nil {
		if sv.Slug != current.Slug {
			fail(survey.Errorf(survey.EINVALID, "The file defines survey %q, not %q.", sv.Slug, current.Slug))
			return
		}
		err = s.cfg.Surveys.UpdateSurvey(ctx, sv)
	} else {
		sv.Status = survey.StatusDraft
		err = s.cfg.Surveys.CreateSurvey(ctx, sv)
	}
	if err != nil {
		fail(err)
		return
	}
	s.surveys.forget(sv.Slug)
	action := "survey.create"
	if current != nil {
		action = "survey.update"
	}
	s.audit(c, action, "survey:"+sv.Slug, "version "+itoa(sv.Version)+" from "+format)
	if len(notes) > 0 {
		page.Survey, page.Message = sv, "Imported. Some parts of the XLSForm could not be mapped; review them below."
		s.renderPage(c, http.StatusCreated, "admin_survey_new.html", page)
		return
	}
	c.Redirect(http.StatusSeeOther, "/admin/surveys/"+sv.Slug+"?done="+url.QueryEscape("Saved version "+itoa(sv.Version)+"."))
}

type surveyPage struct {
	page
	Survey    *survey.Survey
	Title     string
	Accepting bool
	Responses int
	Questions int
}

func (s *Server) showSurvey(c *gin.Context) {
	sv, err := s.cfg.Surveys.FindSurvey(c.Request.Context(), c.Param("slug"))
	if err != nil {
		s.renderError(c, err)
		return
	}
	n, err := s.cfg.Responses.CountResponses(c.Request.Context(), sv.Slug)
	if err != nil {
		s.renderError(c, err)
		return
	}
	title := sv.Title.In("en", sv.DefaultLanguage)
	s.renderPage(c, http.StatusOK, "admin_survey.html", surveyPage{page: s.adminPage(c, title), Survey: sv, Title: title,
		Accepting: sv.AcceptingAt(s.now()), Responses: n, Questions: len(sv.Questions())})
}

// changeStatus publishes, closes, reopens or returns a survey to draft.
func (s *Server) changeStatus(c *gin.Context) {
	slug := c.Param("slug")
	status := survey.Status(c.PostForm("status"))
	if status != survey.StatusOpen && status != survey.StatusClosed && status != survey.StatusDraft {
		s.renderError(c, survey.Errorf(survey.EINVALID, "Unknown status %q.", status))
		return
	}
	if err := s.cfg.Surveys.SetSurveyStatus(c.Request.Context(), slug, status); err != nil {
		s.renderError(c, err)
		return
	}
	s.surveys.forget(slug)
	s.audit(c, "survey.status", "survey:"+slug, "set to "+string(status))
	c.Redirect(http.StatusSeeOther, "/admin/surveys/"+slug+"?done="+url.QueryEscape("The survey is now "+string(status)+"."))
}

// changeDates sets when a survey opens and closes (dates, in UTC).
func (s *Server) changeDates(c *gin.Context) {
	slug := c.Param("slug")
	parse := func(field string) (*time.Time, error) {
		v := strings.TrimSpace(c.PostForm(field))
		if v == "" {
			return nil, nil
		}
		t, err := time.Parse(time.DateOnly, v)
		if err != nil {
			return nil, survey.Errorf(survey.EINVALID, "%s: %q is not a date like 2026-03-01.", field, v)
		}
		return &t, nil
	}
	opens, err1 := parse("opens_at")
	closes, err2 := parse("closes_at")
	if err := errors.Join(err1, err2); err != nil {
		c.Redirect(http.StatusSeeOther, "/admin/surveys/"+slug+"?problem="+url.QueryEscape(survey.ErrorMessage(firstErr(err1, err2))))
		return
	}
	if opens != nil && closes != nil && !opens.Before(*closes) {
		c.Redirect(http.StatusSeeOther, "/admin/surveys/"+slug+"?problem="+url.QueryEscape("The closing date must be after the opening date."))
		return
	}
	if err := s.cfg.Surveys.SetSurveyDates(c.Request.Context(), slug, opens, closes); err != nil {
		s.renderError(c, err)
		return
	}
	s.surveys.forget(slug)
	s.audit(c, "survey.dates", "survey:"+slug, "opens "+formatDate(opens)+", closes "+formatDate(closes))
	c.Redirect(http.StatusSeeOther, "/admin/surveys/"+slug+"?done="+url.QueryEscape("Dates saved."))
}

func firstErr(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// downloadDefinition serves the current definition as YAML.
func (s *Server) downloadDefinition(c *gin.Context) {
	sv, err := s.cfg.Surveys.FindSurvey(c.Request.Context(), c.Param("slug"))
	if err != nil {
		s.renderError(c, err)
		return
	}
	out, err := survey.DefinitionYAML(sv)
	if err != nil {
		s.renderError(c, err)
		return
	}
	c.Header("Content-Disposition", `attachment; filename="`+sv.Slug+`-v`+itoa(sv.Version)+`.yaml"`)
	c.Data(http.StatusOK, "application/yaml; charset=utf-8", out)
}

// previewSurvey shows the form as a respondent would see it, whatever the
// survey's status; nothing can be submitted.
func (s *Server) previewSurvey(c *gin.Context) {
	sv, err := s.cfg.Surveys.FindSurvey(c.Request.Context(), c.Param("slug"))
	if err != nil {
		s.renderError(c, err)
		return
	}
	lang := negotiateLanguage(c, sv)
	sections, _ := buildForm(sv, lang, url.Values{}, nil)
	s.renderPage(c, http.StatusOK, "form.html", formPage{
		page:        s.basePage(c, lang, sv.Title.In(lang, sv.DefaultLanguage), sv.Languages...),
		Slug:        sv.Slug,
		Description: sv.Description.In(lang, sv.DefaultLanguage),
		Preview:     true,
		Sections:    sections,
	})
}

func itoa(n int) string { return strconv.Itoa(n) }
