package web

import (
	"context"
	"net/http"
	"regexp"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/metlib/canvass/campaign"
	"github.com/metlib/canvass/export"
	"github.com/metlib/canvass/survey"
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
// the first byte is sent. The download is a stream that a shutdown ends
// (StopStreams), aborted so the client can tell; it may outlast the
// server's WriteTimeout while the client reads on (Config.StreamWriteWindow).
func (s *Server) apiExport(c *gin.Context) {
	if s.stopping() {
		s.exportFailed(c, survey.Errorf(survey.EUNAVAILABLE, "shutting down"))
		return
	}
	q, err := resultsQuery(c, c.Param("slug"))
	if err != nil {
		s.renderError(c, err)
		return
	}
	d := campaign.Download{Kind: c.DefaultQuery("kind", campaign.KindRaw), Format: strings.TrimPrefix(c.Param("format"), "export."), Query: q,
		Labels: c.Query("labels") == "true", BOM: c.Query("bom") == "true", FullCounts: c.Query("full_counts") == "true"}
	s.serveFile(c, func(ctx context.Context) (*campaign.File, error) {
		return s.cfg.Campaign.PrepareDownload(ctx, c.Param("slug"), d)
	})
}

// serveFile streams the file prepare makes (under the stream's context) as
// an attachment; an error before the first byte is an error answer.
func (s *Server) serveFile(c *gin.Context, prepare func(ctx context.Context) (*campaign.File, error)) {
	ctx, w, end := s.stream(c)
	defer end()
	f, err := prepare(ctx)
	if err != nil {
		s.exportFailed(c, err) // nothing written yet: an error answer
		return
	}
	attachment(c, f.Name)
	c.Header("Content-Type", f.ContentType)
	if err := f.Write(w); err != nil {
		s.exportFailed(c, err)
	}
}

// apiSeriesExport serves the waves of :slug's series up to it in one file
// (docs/waves.md, "Exports of several waves"): series/export.xlsx (with its
// codebook sheet), export.csv (?bom=true for spreadsheet programs),
// export.jsonl, and codebook.csv, the CSV file's codebook, each in
// ?layout=long (the default: a row per library per wave) or wide (a row
// per library); ?lang= and ?labels=true as for export.xlsx. A stream, as
// apiExport's, audited by the use case before the first byte.
func (s *Server) apiSeriesExport(c *gin.Context) {
	if s.stopping() {
		s.exportFailed(c, survey.Errorf(survey.EUNAVAILABLE, "shutting down"))
		return
	}
	d := campaign.SeriesDownload{Layout: export.Layout(c.DefaultQuery("layout", string(export.Long))), Lang: c.Query("lang"),
		Labels: c.Query("labels") == "true", BOM: c.Query("bom") == "true"}
	format, ok := strings.CutPrefix(c.Param("format"), "export.")
	switch {
	case c.Param("format") == "codebook.csv":
		d.Format, d.Codebook = "csv", true
	case ok && format != "":
		d.Format = format
	default:
		s.exportFailed(c, survey.Errorf(survey.ENOTFOUND, "Series exports are export.xlsx, export.csv, export.jsonl and codebook.csv."))
		return
	}
	s.serveFile(c, func(ctx context.Context) (*campaign.File, error) {
		return s.cfg.Campaign.PrepareSeriesExport(ctx, c.Param("slug"), d)
	})
}

// exportFailed reports a failure: as an error when nothing was sent yet,
// else by logging it and aborting the response. Returning normally would
// end the chunked body cleanly, and the client would take the cut file
// (its last line cut at a 64 KiB buffer) for the whole one; the abort
// closes the connection without the last chunk, which clients report
// (Go: unexpected EOF, curl: exit 18, browsers: a failed download).
// A failure caused by the shutdown (the database read cancelled, a write
// cut) is answered as such: 503, try again shortly.
func (s *Server) exportFailed(c *gin.Context, err error) {
	if c.Writer.Written() {
		s.log.WarnContext(c.Request.Context(), "export aborted midway", "error", err, "shutting_down", s.stopping(), "bytes", c.Writer.Size(), "request_id", c.GetString(requestIDKey))
		panic(http.ErrAbortHandler)
	}
	switch survey.ErrorCode(err) {
	case survey.EINTERNAL, survey.EUNAVAILABLE:
		if s.stopping() {
			err = survey.Errorf(survey.EUNAVAILABLE, "The server is shutting down: download again in a moment.")
		}
	}
	c.Header("Content-Disposition", "")
	s.renderError(c, err)
}
