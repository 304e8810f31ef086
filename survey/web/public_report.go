package web

import (
	"bytes"
	"net/http"
	"net/url"

	"github.com/gin-gonic/gin"

	"github.com/metlib/canvass/feedback"
	"github.com/metlib/canvass/survey"
)

// The library's "Your report" page, GET /s/:slug/report?t=TOKEN&lang=…,
// and its downloads report.pdf and report.xlsx with the same token. Every
// link that leads to no report (unknown survey, reports not released,
// unknown or withdrawn token, a library that has not submitted) gets the
// same 404 page, in the language asked for among the pages' languages,
// whatever the survey offers: nothing on it tells which case it is.

// showReport renders the report a personal link leads to.
func (s *Server) showReport(c *gin.Context) {
	rep, sv, ok := s.libraryReport(c)
	if !ok {
		return
	}
	c.Header("Referrer-Policy", "no-referrer") // the link's token is in the address
	p := s.basePage(c, rep.Lang, ui(rep.Lang, "report_title")+" · "+rep.Library, sv.Languages...)
	v := newReportView(p, rep)
	q := url.Values{"t": {c.Query("t")}, "lang": {rep.Lang}}
	v.PDF = "/s/" + sv.Slug + "/report.pdf?" + q.Encode()
	v.XLSX = "/s/" + sv.Slug + "/report.xlsx?" + q.Encode()
	s.renderPage(c, http.StatusOK, "report.html", v)
}

// reportPDF and reportXLSX serve the report a personal link leads to as
// a file.
func (s *Server) reportPDF(c *gin.Context)  { s.reportFile(c, "pdf") }
func (s *Server) reportXLSX(c *gin.Context) { s.reportFile(c, "xlsx") }

func (s *Server) reportFile(c *gin.Context, format string) {
	rep, _, ok := s.libraryReport(c)
	if !ok {
		return
	}
	c.Header("Referrer-Policy", "no-referrer")
	s.sendReportFile(c, rep, format)
}

// libraryReport is the report of the request's link, or the uniform 404
// (false) when there is none.
func (s *Server) libraryReport(c *gin.Context) (*feedback.Report, *survey.Survey, bool) {
	rep, sv, err := s.campaign.LibraryReport(c.Request.Context(), c.Param("slug"), c.Query("t"), c.Query("lang"))
	switch survey.ErrorCode(err) {
	case "":
		return rep, sv, true
	case survey.ENOTFOUND:
		lang := negotiateLanguage(c, nil)
		c.Header("Referrer-Policy", "no-referrer")
		// No language links: they would carry the address's token back.
		s.renderPage(c, http.StatusNotFound, "message.html", messagePage{
			page:    page{Lang: lang, Title: ui(lang, "report_none_title")},
			Heading: ui(lang, "report_none_title"), Message: ui(lang, "report_none"),
			Link: "/?lang=" + lang, LinkText: ui(lang, "home"),
		})
	default:
		s.renderError(c, err)
	}
	return nil, nil, false
}

// sendReportFile writes rep as a PDF or a workbook download, made in a
// buffer first so that a failure is a clean error rather than half a file.
func (s *Server) sendReportFile(c *gin.Context, rep *feedback.Report, format string) {
	var buf bytes.Buffer
	var err error
	contentType := "application/pdf"
	if format == "xlsx" {
		err = feedback.WriteXLSX(&buf, rep)
		contentType = fileContentType("xlsx")
	} else {
		err = feedback.WritePDF(&buf, rep)
	}
	if err != nil {
		s.renderError(c, err)
		return
	}
	attachment(c, rep.Survey+"-report-"+rep.LibraryID+"-"+rep.Lang+"."+format)
	c.Data(http.StatusOK, contentType, buf.Bytes())
}

// reportLinkFor is the report page behind a personal link (token), ""
// while the reports cannot be read (not released, or the survey open): the
// closed survey's page a personal link leads to links to it. It is shown
// whatever the token, so it tells nothing of the link.
func (s *Server) reportLinkFor(c *gin.Context, sv *survey.Survey, token, lang string) string {
	readable, err := s.campaign.ReportsReadable(c.Request.Context(), sv.Slug)
	if err != nil || !readable {
		return ""
	}
	return "/s/" + sv.Slug + "/report?" + url.Values{"t": {token}, "lang": {lang}}.Encode()
}
