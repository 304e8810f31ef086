package web

import (
	"encoding/base64"
	"net/http"
	"path"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/metlib/canvass/campaign"
	"github.com/metlib/canvass/survey"
)

// The admin page that brings an old round in as a wave (docs/waves.md
// "Bringing an old round in"): the file and the label from the survey's
// page, the dry run shown, then the confirmation posting the same file
// back, as the directory import does.

type roundPage struct {
	page
	// Survey is the survey whose series receives the round.
	Survey *survey.Survey
	Result *campaign.ImportRoundResult
	// Data is the file, base64, carried to the confirmation.
	Data     string
	Filename string
	Wave     string
	Problem  string
	Problems []survey.FieldError
}

// importRoundPage shows the form alone (after a cancel, or from a link).
func (s *Server) importRoundPage(c *gin.Context) {
	p, ok := s.newRoundPage(c)
	if ok {
		s.renderPage(c, http.StatusOK, "admin_round.html", p)
	}
}

// newRoundPage is the page of survey :slug, false when it was answered
// with an error already.
func (s *Server) newRoundPage(c *gin.Context) (roundPage, bool) {
	sum, err := s.campaign.Survey(c.Request.Context(), c.Param("slug"))
	if err != nil {
		s.renderError(c, err)
		return roundPage{}, false
	}
	return roundPage{page: s.adminPage(c, "Import an old round into the "+sum.Survey.SeriesName()+" series"), Survey: sum.Survey}, true
}

// importRoundForm shows the dry run of an uploaded round; the page's
// confirmation posts the same file back with confirm=yes.
func (s *Server) importRoundForm(c *gin.Context) {
	p, ok := s.newRoundPage(c)
	if !ok {
		return
	}
	p.Wave = strings.TrimSpace(c.PostForm("wave"))
	fail := func(status int, problem string, fields []survey.FieldError) {
		p.Problem, p.Problems = problem, fields
		s.renderPage(c, status, "admin_round.html", p)
	}
	data, filename, problem := dryRunUpload(c)
	if problem != "" {
		fail(http.StatusUnprocessableEntity, problem, nil)
		return
	}
	p.Filename = filename
	res, err := s.campaign.ImportRound(c.Request.Context(), data, campaign.ImportRoundInput{Slug: p.Survey.Slug, Wave: p.Wave,
		Format: fileFormat(p.Filename), Confirm: c.PostForm("confirm") == "yes", Source: path.Base(p.Filename)})
	switch code := survey.ErrorCode(err); code {
	case "":
	case survey.EINVALID, survey.ETOOLARGE:
		fail(statusOf(code), survey.ErrorMessage(err), survey.ErrorFields(err))
		return
	default:
		s.renderError(c, err)
		return
	}
	p.Result = res
	if !res.Applied {
		p.Data = base64.StdEncoding.EncodeToString(data)
	}
	s.renderPage(c, http.StatusOK, "admin_round.html", p)
}
