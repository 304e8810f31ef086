package web

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/metlib/canvass/campaign"
	"github.com/metlib/canvass/survey"
	"github.com/metlib/canvass/survey/xlsform"
)

// readUpload reads the "definition" file of a multipart form, its format
// from the file name.
func readUpload(c *gin.Context) (campaign.Definition, error) {
	fh, err := c.FormFile("definition")
	if err != nil {
		var maxErr *http.MaxBytesError
		if errors.As(err, &maxErr) {
			return campaign.Definition{}, survey.Errorf(survey.ETOOLARGE, "The file is larger than %d bytes.", maxErr.Limit)
		}
		return campaign.Definition{}, survey.Errorf(survey.EINVALID, "Choose a definition file to upload.")
	}
	format := campaign.FormatOfFile(fh.Filename)
	if format == "" {
		return campaign.Definition{}, survey.Errorf(survey.EINVALID, "%q is not a .yaml, .yml, .json or .xlsx file.", fh.Filename)
	}
	f, err := fh.Open()
	if err != nil {
		return campaign.Definition{}, err
	}
	defer f.Close()
	data, err := io.ReadAll(f)
	return campaign.Definition{Data: data, Format: format}, err
}

type surveyRow struct {
	Survey    *survey.Survey
	Title     string
	Accepting bool
	Responses int
	// Demo is how many of Responses canvass demo made up.
	Demo int
}

// demoBanner is the banner of a page counting total responses of which
// demo are canvass demo's ("" when none are), in lang.
func demoBanner(lang string, demo, total int) string {
	if demo == 0 {
		return ""
	}
	return fmt.Sprintf(ui(lang, "demo_banner"), survey.FormatInt(lang, demo), survey.FormatInt(lang, total))
}

type dashboardPage struct {
	page
	Surveys []surveyRow
}

func (s *Server) dashboard(c *gin.Context) {
	if p := principalOf(c); p != nil && p.Role == survey.RoleCoordinator {
		s.coordinatorDashboard(c)
		return
	}
	all, err := s.campaign.ListSurveys(c.Request.Context())
	if err != nil {
		s.renderError(c, err)
		return
	}
	rows := make([]surveyRow, 0, len(all))
	demo, total := 0, 0
	for _, sum := range all {
		sv := sum.Survey
		rows = append(rows, surveyRow{Survey: sv, Title: adminTitle(sv), Accepting: sum.Accepting, Responses: sum.Responses, Demo: sum.Demo})
		demo, total = demo+sum.Demo, total+sum.Responses
	}
	p := dashboardPage{page: s.adminPage(c, "Surveys"), Surveys: rows}
	p.Demo = demoBanner("en", demo, total)
	s.renderPage(c, http.StatusOK, "admin_dashboard.html", p)
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

// uploadSurvey creates a survey (a draft unless the file sets its status)
// from an uploaded file.
func (s *Server) uploadSurvey(c *gin.Context) {
	s.handleUpload(c, nil)
}

// uploadNewVersion replaces a survey's definition; earlier responses keep
// the version they answered.
func (s *Server) uploadNewVersion(c *gin.Context) {
	current, err := s.campaign.Survey(c.Request.Context(), c.Param("slug"))
	if err != nil {
		s.renderError(c, err)
		return
	}
	s.handleUpload(c, current.Survey)
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
	d, err := readUpload(c)
	if err != nil {
		fail(err)
		return
	}
	ctx := c.Request.Context()
	var sv *survey.Survey
	var notes []xlsform.Note
	if current != nil {
		sv, notes, err = s.campaign.UpdateSurvey(ctx, current.Slug, d)
	} else {
		sv, notes, err = s.campaign.CreateSurvey(ctx, d)
	}
	page.Notes = notes
	if err != nil {
		fail(err)
		return
	}
	if len(notes) > 0 {
		page.Survey, page.Message = sv, "Imported. Some parts of the XLSForm could not be mapped; review them below."
		s.renderPage(c, http.StatusCreated, "admin_survey_new.html", page)
		return
	}
	s.redirectFlash(c, "/admin/surveys/"+sv.Slug, "Saved version "+itoa(sv.Version)+".", "")
}

type surveyPage struct {
	page
	Survey    *survey.Survey
	Title     string
	Accepting bool
	Responses int
	Questions int
	// Series is the survey's series with its waves; Checked reports
	// questions with change checks (the explanations page is linked).
	Series  *campaign.Series
	Checked bool
	// NextSlug and NextWave suggest the next wave's slug and label.
	NextSlug, NextWave string
	// ReportsReleased: the benchmark reports are released (the card says so).
	ReportsReleased bool
}

func (s *Server) showSurvey(c *gin.Context) {
	ctx := c.Request.Context()
	sum, err := s.campaign.Survey(ctx, c.Param("slug"))
	if err != nil {
		s.renderError(c, err)
		return
	}
	series, err := s.campaign.SeriesOf(ctx, sum.Survey.Slug)
	if err != nil {
		s.renderError(c, err)
		return
	}
	sv := sum.Survey
	title := adminTitle(sv)
	p := surveyPage{page: s.adminPage(c, title), Survey: sv, Title: title,
		Accepting: sum.Accepting, Responses: sum.Responses, Questions: len(sv.Questions()), Series: series}
	for _, q := range sv.Questions() {
		p.Checked = p.Checked || q.ChangeCheck != nil
	}
	p.NextSlug, p.NextWave = nextWave(series)
	if p.ReportsReleased, err = s.campaign.ReportsReleased(ctx, sv.Slug); err != nil {
		s.renderError(c, err)
		return
	}
	s.renderPage(c, http.StatusOK, "admin_survey.html", p)
}

// adminTitle is a survey's title on the working group's pages, with its
// wave when it has one ("… survey, wave 2026"): the waves of a series
// share a title, and lists of them would otherwise read as copies.
func adminTitle(sv *survey.Survey) string {
	title := sv.Title.In("en", sv.DefaultLanguage)
	if sv.Wave != "" {
		title += ", wave " + sv.Wave
	}
	return title
}

// nextWave suggests the slug and label of a series' next wave: the year
// after the last wave's when its label is a year (or, unlabelled, this
// year), else nothing to suggest.
func nextWave(series *campaign.Series) (slug, wave string) {
	last := series.Waves[len(series.Waves)-1]
	year, err := strconv.Atoi(last.Wave)
	switch {
	case last.Wave == "":
		year = time.Now().Year()
	case err != nil || year < 1900 || year > 9998:
		return "", ""
	default:
		year++
	}
	wave = strconv.Itoa(year)
	return series.Name + "-" + wave, wave
}

// createWaveForm makes the next wave of the survey's series from it and
// opens the new wave's page.
func (s *Server) createWaveForm(c *gin.Context) {
	slug := c.Param("slug")
	next, err := s.campaign.CreateWave(c.Request.Context(), slug, campaign.NewWave{Slug: c.PostForm("slug"), Wave: c.PostForm("wave")})
	switch survey.ErrorCode(err) {
	case "":
		s.redirectFlash(c, "/admin/surveys/"+next.Slug, "Wave "+next.Wave+" of the "+next.Series+" series is a draft copy of "+slug+
			". Change its definition if this round asks something new (download it, edit, upload a new version), set its dates, publish it, then invite the last wave's libraries from its invitations page.", "")
	case survey.EINVALID, survey.ECONFLICT:
		s.redirectFlash(c, "/admin/surveys/"+slug, "", fieldsSentence(err))
	default:
		s.renderError(c, err)
	}
}

// fieldsSentence is an error's message followed by its fields' messages,
// for a flash: "The new wave needs a slug and a label. Give the new
// wave a label, …".
func fieldsSentence(err error) string {
	out := survey.ErrorMessage(err)
	for _, f := range survey.ErrorFields(err) {
		if !strings.Contains(out, f.Message) {
			out += " " + f.Message
		}
	}
	return out
}

// changesPage lists the explanations the change checks asked for.
func (s *Server) changesPage(c *gin.Context) {
	ctx := c.Request.Context()
	sum, err := s.campaign.Survey(ctx, c.Param("slug"))
	if err != nil {
		s.renderError(c, err)
		return
	}
	notes, err := s.campaign.ChangeNotes(ctx, sum.Survey.Slug, "en")
	if err != nil {
		s.renderError(c, err)
		return
	}
	sv := sum.Survey
	title := "Explained changes: " + adminTitle(sv)
	s.renderPage(c, http.StatusOK, "admin_changes.html", changesPage{page: s.adminPage(c, title), Survey: sv, Title: title, Notes: notes})
}

type changesPage struct {
	page
	Survey *survey.Survey
	Title  string
	Notes  []campaign.ChangeNote
}

// changeStatus publishes, closes, reopens or returns a survey to draft.
func (s *Server) changeStatus(c *gin.Context) {
	slug := c.Param("slug")
	status := survey.Status(c.PostForm("status"))
	if err := s.campaign.SetStatus(c.Request.Context(), slug, status); err != nil {
		s.renderError(c, err)
		return
	}
	s.redirectFlash(c, "/admin/surveys/"+slug, "The survey is now "+string(status)+".", "")
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
		s.redirectFlash(c, "/admin/surveys/"+slug, "", survey.ErrorMessage(firstErr(err1, err2)))
		return
	}
	switch err := s.campaign.SetDates(c.Request.Context(), slug, opens, closes); survey.ErrorCode(err) {
	case "":
	case survey.EINVALID:
		s.redirectFlash(c, "/admin/surveys/"+slug, "", survey.ErrorMessage(err))
		return
	default:
		s.renderError(c, err)
		return
	}
	s.redirectFlash(c, "/admin/surveys/"+slug, "Dates saved.", "")
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
	out, name, err := s.campaign.DefinitionYAML(c.Request.Context(), c.Param("slug"))
	if err != nil {
		s.renderError(c, err)
		return
	}
	c.Header("Content-Disposition", `attachment; filename="`+name+`"`)
	c.Data(http.StatusOK, "application/yaml; charset=utf-8", out)
}

// previewSurvey shows the form as a respondent would see it, whatever the
// survey's status; nothing can be submitted.
func (s *Server) previewSurvey(c *gin.Context) {
	sum, err := s.campaign.Survey(c.Request.Context(), c.Param("slug"))
	if err != nil {
		s.renderError(c, err)
		return
	}
	sv := sum.Survey
	lang := negotiateLanguage(c, sv)
	sections, _ := buildForm(sv, lang, url.Values{}, nil, nil)
	s.renderPage(c, http.StatusOK, "form.html", formPage{
		page:        s.basePage(c, lang, sv.Title.In(lang, sv.DefaultLanguage), sv.Languages...),
		Slug:        sv.Slug,
		Description: sv.Description.In(lang, sv.DefaultLanguage),
		Preview:     true,
		Sections:    sections,
	})
}

func itoa(n int) string { return strconv.Itoa(n) }
