package web

import (
	"math"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/metlib/canvass/campaign"
	"github.com/metlib/canvass/survey"
)

// The working group's benchmark reports page, /admin/surveys/:slug/reports:
// the release (release, withdraw), telling the libraries (send the
// emails, the mail-merge file), the peer groups, and the list of
// responding libraries with a preview of each one's report.

type reportsPage struct {
	page
	Survey   *survey.Survey
	Title    string
	List     *campaign.ReportList
	CanEmail bool
	// Accepting: the survey takes responses, so no report can be read
	// (campaign's errOpen); released ones wait for it to close again.
	Accepting bool
	Mailable  int
	// Untold are the mailable libraries not told since the release: whom
	// "Send" (without "all, again") reaches.
	Untold      int
	Groups      []groupChoice
	Bands       string
	SurveyLangs []string
	Failed      []campaign.SendFailure
}

type groupChoice struct {
	Value, Label string
	Checked      bool
}

var groupLabels = map[string]string{
	survey.DimensionRegion: "IFLA region", survey.DimensionType: "Library type",
	survey.DimensionPopulation: "Population served (bands below)", survey.DimensionMember: "Section membership",
}

func (s *Server) reportsAdminPage(c *gin.Context) { s.renderReportsPage(c, http.StatusOK, nil) }

func (s *Server) renderReportsPage(c *gin.Context, status int, failed []campaign.SendFailure) {
	ctx := c.Request.Context()
	list, err := s.campaign.Reports(ctx, c.Param("slug"))
	if err != nil {
		s.renderError(c, err)
		return
	}
	sv, err := s.campaign.Surveys().FindSurvey(ctx, list.Survey)
	if err != nil {
		s.renderError(c, err)
		return
	}
	title := "Benchmark reports: " + adminTitle(sv)
	p := reportsPage{page: s.adminPage(c, title), Survey: sv, Title: title, List: list, CanEmail: s.campaign.CanEmail(), Accepting: sv.AcceptingAt(s.now()),
		SurveyLangs: sv.Languages, Failed: failed}
	for _, l := range list.Libraries {
		if l.Mailable {
			p.Mailable++
			if at := list.Release.ReleasedAt; at == nil || l.Emailed == nil || l.Emailed.Before(*at) {
				p.Untold++
			}
		}
	}
	for _, d := range survey.BenchmarkDimensions {
		p.Groups = append(p.Groups, groupChoice{Value: d, Label: groupLabels[d], Checked: sv.Benchmark.Has(d)})
	}
	if sv.Benchmark != nil {
		var bands []string
		for _, b := range sv.Benchmark.PopulationBands {
			bands = append(bands, strconv.FormatFloat(b, 'f', -1, 64))
		}
		p.Bands = strings.Join(bands, " ")
	}
	s.renderPage(c, status, "admin_reports.html", p)
}

// previewReportPage is a responding library's report as it will read it
// (?lang= any of the survey's languages), with a banner saying it is a
// preview; .pdf and .xlsx after the library id download it.
func (s *Server) previewReportPage(c *gin.Context) {
	library, format := splitFormat(c.Param("library"))
	rep, sv, err := s.campaign.PreviewReport(c.Request.Context(), c.Param("slug"), library, c.Query("lang"))
	if err != nil {
		s.renderError(c, err)
		return
	}
	if format != "" {
		s.sendReportFile(c, rep, format)
		return
	}
	p := s.adminPage(c, "Preview: "+rep.Library)
	p.Lang = rep.Lang
	for _, l := range sv.Languages {
		p.Languages = append(p.Languages, languageLink{Code: l, Name: languageName(l), Current: l == rep.Lang,
			URL: "/admin/surveys/" + sv.Slug + "/reports/" + library + "?lang=" + l})
	}
	v := newReportView(p, rep)
	v.Preview = true
	base := "/admin/surveys/" + sv.Slug + "/reports/" + library
	v.PDF, v.XLSX = base+".pdf?lang="+rep.Lang, base+".xlsx?lang="+rep.Lang
	s.renderPage(c, http.StatusOK, "report.html", v)
}

// splitFormat cuts a ".pdf" or ".xlsx" off a library id.
func splitFormat(id string) (library, format string) {
	for _, f := range []string{"pdf", "xlsx"} {
		if strings.HasSuffix(id, "."+f) {
			return strings.TrimSuffix(id, "."+f), f
		}
	}
	return id, ""
}

func (s *Server) backToReports(c *gin.Context, done string, err error) {
	problem := ""
	if err != nil {
		if survey.ErrorCode(err) == survey.EFORBIDDEN || survey.ErrorCode(err) == survey.ENOTFOUND || survey.ErrorCode(err) == survey.EUNAUTHORIZED {
			s.renderError(c, err)
			return
		}
		problem = survey.ErrorMessage(err)
		for _, f := range survey.ErrorFields(err) {
			problem += " " + f.Path + ": " + f.Message
		}
	}
	s.redirectFlash(c, "/admin/surveys/"+c.Param("slug")+"/reports", done, problem)
}

func (s *Server) releaseReportsForm(c *gin.Context) {
	rel, err := s.campaign.ReleaseReports(c.Request.Context(), c.Param("slug"))
	msg := "The reports are released: every responding library can read its own through its personal link. Tell them with the emails or the mail-merge file."
	if err == nil && rel.KeptFrozen {
		if sv, ferr := s.campaign.Surveys().FindSurvey(c.Request.Context(), c.Param("slug")); ferr == nil {
			msg += " " + campaign.ReleaseNote(rel, sv.SmallCellK())
		}
	}
	s.backToReports(c, msg, err)
}

func (s *Server) withdrawReportsForm(c *gin.Context) {
	_, err := s.campaign.WithdrawReports(c.Request.Context(), c.Param("slug"))
	s.backToReports(c, "The reports are withdrawn: the personal links lead to no report until they are released again.", err)
}

func (s *Server) sendReportsForm(c *gin.Context) {
	res, err := s.campaign.SendReports(c.Request.Context(), c.Param("slug"), s.baseURL(c), c.PostForm("all") == "1")
	if err != nil {
		s.backToReports(c, "", err)
		return
	}
	if len(res.Failed) > 0 {
		flashNow(c, strconv.Itoa(res.Sent)+" sent; "+strconv.Itoa(len(res.Failed))+" could not be sent (below).")
		s.renderReportsPage(c, http.StatusOK, res.Failed)
		return
	}
	s.backToReports(c, strconv.Itoa(res.Sent)+" report emails sent.", nil)
}

func (s *Server) reportMailMergeForm(c *gin.Context) {
	format := c.PostForm("format")
	f, err := s.campaign.ReportMailMerge(c.Request.Context(), c.Param("slug"), s.baseURL(c), format, c.PostForm("all") == "1")
	if err != nil {
		s.backToReports(c, "", err)
		return
	}
	attachment(c, c.Param("slug")+"-reports."+format)
	c.Data(http.StatusOK, fileContentType(format), f.Data)
}

// benchmarkForm saves the peer groups and population bands: a new version
// of the definition (campaign.SetBenchmark), the rest of its benchmark
// block kept.
func (s *Server) benchmarkForm(c *gin.Context) {
	ctx := c.Request.Context()
	sv, err := s.campaign.Surveys().FindSurvey(ctx, c.Param("slug"))
	if err != nil {
		s.renderError(c, err)
		return
	}
	var b survey.Benchmark
	if sv.Benchmark != nil {
		b = *sv.Benchmark
	}
	b.Groups = nil
	for _, d := range survey.BenchmarkDimensions {
		if c.PostForm("group_"+d) == "1" {
			b.Groups = append(b.Groups, d)
		}
	}
	bands, err := parseBands(c.PostForm("bands"))
	if err != nil {
		s.backToReports(c, "", err)
		return
	}
	b.PopulationBands = bands
	next, err := s.campaign.SetBenchmark(ctx, sv.Slug, b)
	if err != nil {
		s.backToReports(c, "", err)
		return
	}
	s.backToReports(c, "The peer groups are saved as version "+strconv.Itoa(next.Version)+" of the definition.", nil)
}

// parseBands reads band edges written as whole numbers in digits only,
// separated by spaces or semicolons ("400000 1000000"): a comma would be
// read as a thousands separator by some and a decimal mark by others, and
// "1e6", "0x1p20" or "1.5" are not a population served, so each is refused
// rather than guessed. One message names the first few edges refused;
// survey validation then checks the range and the order.
func parseBands(text string) ([]float64, error) {
	const shown = 3
	var out []float64
	var bad []string
	nbad := 0
	for _, f := range strings.FieldsFunc(text, func(r rune) bool { return r == ' ' || r == ';' || r == '\n' || r == '\r' || r == '\t' }) {
		digits := f != ""
		for _, r := range f {
			digits = digits && r >= '0' && r <= '9'
		}
		// Digits only parse, or overflow to infinity.
		v, _ := strconv.ParseFloat(f, 64)
		if !digits || math.IsInf(v, 0) {
			nbad++
			if len(bad) < shown {
				if r := []rune(f); len(r) > 20 {
					f = string(r[:20]) + "…"
				}
				bad = append(bad, strconv.Quote(f))
			}
			continue
		}
		out = append(out, v)
	}
	if nbad > 0 {
		list := strings.Join(bad, ", ")
		if nbad > shown {
			list += " and " + strconv.Itoa(nbad-shown) + " more"
		}
		return nil, &survey.Error{Code: survey.EINVALID,
			Message: "The population bands are whole numbers written with digits only (no commas, points or exponents), separated by spaces, e.g. 400000 1000000; not a band edge: " + list + "."}
	}
	return out, nil
}
