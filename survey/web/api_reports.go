package web

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/metlib/canvass/survey"
)

// The benchmark reports in the API: the list and a library's report
// (JSON, or .pdf / .xlsx after its id) for the working group; release,
// withdraw, send and the mail-merge files for admins.

func (s *Server) apiReports(c *gin.Context) {
	list, err := s.campaign.Reports(c.Request.Context(), c.Param("slug"))
	if err != nil {
		s.renderError(c, err)
		return
	}
	c.JSON(http.StatusOK, list)
}

// apiReport is GET /api/v1/surveys/:slug/reports/:library[.pdf|.xlsx]?lang=.
func (s *Server) apiReport(c *gin.Context) {
	library, format := splitFormat(c.Param("library"))
	rep, _, err := s.campaign.PreviewReport(c.Request.Context(), c.Param("slug"), library, c.Query("lang"))
	if err != nil {
		s.renderError(c, err)
		return
	}
	if format != "" {
		s.sendReportFile(c, rep, format)
		return
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, rep)
}

func (s *Server) apiReleaseReports(release bool) gin.HandlerFunc {
	return func(c *gin.Context) {
		set := s.campaign.ReleaseReports
		if !release {
			set = s.campaign.WithdrawReports
		}
		rel, err := set(c.Request.Context(), c.Param("slug"))
		if err != nil {
			s.renderError(c, err)
			return
		}
		c.JSON(http.StatusOK, rel)
	}
}

// apiSendReports is POST …/reports/send (?all=true: every responding
// library again, not only those not told since the release).
func (s *Server) apiSendReports(c *gin.Context) {
	res, err := s.campaign.SendReports(c.Request.Context(), c.Param("slug"), s.baseURL(c), c.Query("all") == "true")
	if err != nil {
		s.renderError(c, err)
		return
	}
	c.JSON(http.StatusOK, res)
}

func (s *Server) apiReportMailMerge(format string) gin.HandlerFunc {
	return func(c *gin.Context) {
		f, err := s.campaign.ReportMailMerge(c.Request.Context(), c.Param("slug"), s.baseURL(c), format, c.Query("all") == "true")
		if err != nil {
			s.renderError(c, err)
			return
		}
		attachment(c, c.Param("slug")+"-reports."+format)
		c.Data(http.StatusOK, fileContentType(format), f.Data)
	}
}

// apiSetBenchmark is PUT /api/v1/surveys/:slug/benchmark: the survey's
// benchmark block as JSON (groups, population_bands, population,
// indicators, maturity, exclude), saved as a new version of the
// definition (campaign.SetBenchmark); the survey as GET returns it.
func (s *Server) apiSetBenchmark(c *gin.Context) {
	var b survey.Benchmark
	if err := decodeJSON(c.Request.Body, &b); err != nil {
		s.renderError(c, err)
		return
	}
	sv, err := s.campaign.SetBenchmark(c.Request.Context(), c.Param("slug"), b)
	if err != nil {
		s.renderError(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"survey": sv.Slug, "version": sv.Version, "benchmark": sv.Benchmark})
}
