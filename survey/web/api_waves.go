package web

import (
	"cmp"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/metlib/canvass/campaign"
	"github.com/metlib/canvass/survey"
)

// The API of series and waves (docs/waves.md, docs/api.md).

// waveJSON is one wave of a series as the API lists it.
type waveJSON struct {
	Slug   string      `json:"slug"`
	Wave   string      `json:"wave,omitempty"`
	Status string      `json:"status"`
	Title  survey.Text `json:"title"`
}

// apiSeries lists the waves of the series survey :slug belongs to.
func (s *Server) apiSeries(c *gin.Context) {
	series, err := s.campaign.SeriesOf(c.Request.Context(), c.Param("slug"))
	if err != nil {
		s.renderError(c, err)
		return
	}
	waves := make([]waveJSON, len(series.Waves))
	for i, w := range series.Waves {
		waves[i] = waveJSON{Slug: w.Slug, Wave: w.Wave, Status: string(w.Status), Title: w.Title}
	}
	c.JSON(http.StatusOK, gin.H{"series": series.Name, "waves": waves})
}

// apiCreateWave makes the next wave of :slug's series from :slug, as a
// draft: {"slug": "landscape-2026", "wave": "2026"}.
func (s *Server) apiCreateWave(c *gin.Context) {
	var body campaign.NewWave
	if err := decodeJSON(c.Request.Body, &body); err != nil {
		s.renderError(c, err)
		return
	}
	ctx := c.Request.Context()
	sv, err := s.campaign.CreateWave(ctx, c.Param("slug"), body)
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
	c.JSON(http.StatusCreated, gin.H{"survey": toSurveySummary(sum)})
}

// apiChangeNotes lists the explanations the change checks asked for, in
// the language ?lang= names for the question labels (default: the
// survey's).
func (s *Server) apiChangeNotes(c *gin.Context) {
	notes, err := s.campaign.ChangeNotes(c.Request.Context(), c.Param("slug"), c.Query("lang"))
	if err != nil {
		s.renderError(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"change_notes": notes})
}

// apiTrends compares the survey with the earlier waves of its series:
// each wave's counts, shares and intervals per option, and the paired
// tests of the last two waves (?lang= for the labels).
func (s *Server) apiTrends(c *gin.Context) {
	tr, err := s.campaign.Trends(c.Request.Context(), c.Param("slug"), c.Query("lang"))
	if err != nil {
		s.renderError(c, err)
		return
	}
	c.JSON(http.StatusOK, tr)
}

// apiImportRound brings an old round of :slug's series in as the closed
// wave ?wave= (or the form field "wave"): the file is the body (text/csv
// or an .xlsx workbook) or a multipart form's "file". A dry run unless
// confirm=true (query or form field): the mapping, the rows matched and
// every problem, as campaign.ImportRoundResult.
func (s *Server) apiImportRound(c *gin.Context) {
	data, format, source, err := uploadedTable(c)
	if err != nil {
		s.renderError(c, err)
		return
	}
	in := campaign.ImportRoundInput{Slug: c.Param("slug"), Format: format, Source: source,
		Wave: cmp.Or(c.Query("wave"), c.PostForm("wave")), Confirm: cmp.Or(c.Query("confirm"), c.PostForm("confirm")) == "true"}
	res, err := s.campaign.ImportRound(c.Request.Context(), data, in)
	if err != nil {
		s.renderError(c, err)
		return
	}
	c.JSON(http.StatusOK, res)
}
