package web

import (
	"regexp"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/metlib/canvass/campaign"
)

var unsafeFileChars = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

// attachment sets a Content-Disposition whose file name cannot break out of
// the header or a path: only letters, digits, dot, dash and underscore.
func attachment(c *gin.Context, name string) {
	name = strings.Trim(unsafeFileChars.ReplaceAllString(name, "-"), "-.")
	c.Header("Content-Disposition", `attachment; filename="`+name+`"`)
	c.Header("Cache-Control", "no-store")
}

// apiExport serves export.xlsx (?kind=raw, the default, or whitepaper),
// export.csv (?bom=true for spreadsheet programs) and export.jsonl, with
// the filters of the responses list (status defaults to submitted),
// ?labels=true for option labels instead of codes, and for the white paper
// by, bands and full_counts=true. The use case audits the download before
// the first byte is sent.
func (s *Server) apiExport(c *gin.Context) {
	q, err := resultsQuery(c, c.Param("slug"))
	if err != nil {
		s.renderError(c, err)
		return
	}
	d := campaign.Download{Kind: c.DefaultQuery("kind", campaign.KindRaw), Format: strings.TrimPrefix(c.Param("format"), "export."), Query: q,
		Labels: c.Query("labels") == "true", BOM: c.Query("bom") == "true", FullCounts: c.Query("full_counts") == "true"}
	f, err := s.cfg.Campaign.PrepareDownload(c.Request.Context(), c.Param("slug"), d)
	if err != nil {
		s.renderError(c, err)
		return
	}
	attachment(c, f.Name)
	c.Header("Content-Type", f.ContentType)
	if err := f.Write(c.Writer); err != nil {
		s.exportFailed(c, err)
	}
}

// exportFailed reports a failure: as an error when nothing was sent yet,
// else by logging it (the client sees a truncated download).
func (s *Server) exportFailed(c *gin.Context, err error) {
	if !c.Writer.Written() {
		c.Header("Content-Disposition", "")
		s.renderError(c, err)
		return
	}
	s.log.ErrorContext(c.Request.Context(), "export failed midway", "error", err, "request_id", c.GetString(requestIDKey))
	c.Abort()
}
