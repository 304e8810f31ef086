package web

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/metlib/canvass/campaign"
	"github.com/metlib/canvass/survey"
)

// filterInput reads the response filter's query parameters: status,
// region, language, from, to (dates) and answer=QUESTION:VALUE (repeatable).
func filterInput(c *gin.Context) campaign.FilterInput {
	return campaign.FilterInput{Status: c.Query("status"), Region: c.Query("region"), Language: c.Query("language"),
		From: c.Query("from"), To: c.Query("to"), Answers: c.QueryArray("answer")}
}

// resultsQuery reads an analysis, report or white-paper request: the
// filter's parameters, by, bands (comma-separated numbers) and lang. The
// use case checks them against the survey.
func resultsQuery(c *gin.Context, slug string) (campaign.Query, error) {
	q := campaign.Query{Lang: c.Query("lang"), By: c.Query("by")}
	if b := strings.TrimSpace(c.Query("bands")); b != "" {
		for _, part := range strings.Split(b, ",") {
			f, err := strconv.ParseFloat(strings.TrimSpace(part), 64)
			if err != nil {
				return q, survey.KeyedErrorf(survey.EMALFORMED, "bands_number", "bands: %q is not a number.", part)
			}
			q.Bands = append(q.Bands, f)
		}
	}
	var err error
	q.Filter, err = campaign.ParseFilter(slug, filterInput(c))
	return q, err
}

// apiAnalysis returns a survey's analysis as JSON (see docs/analysis.md);
// ?report=true returns the report tables instead.
func (s *Server) apiAnalysis(c *gin.Context) {
	q, err := resultsQuery(c, c.Param("slug"))
	if err != nil {
		s.renderError(c, err)
		return
	}
	var v any
	if c.Query("report") == "true" {
		v, _, err = s.cfg.Campaign.Report(c.Request.Context(), c.Param("slug"), q)
	} else {
		v, err = s.cfg.Campaign.Analysis(c.Request.Context(), c.Param("slug"), q)
	}
	if err != nil {
		s.renderError(c, err)
		return
	}
	var buf bytes.Buffer
	if err := json.NewEncoder(&buf).Encode(v); err != nil {
		s.renderError(c, err)
		return
	}
	c.Data(http.StatusOK, "application/json; charset=utf-8", buf.Bytes())
}
