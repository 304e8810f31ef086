package web

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/metlib/canvass/analysis"
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

// exportResponses streams the filtered submitted responses from the store.
func (s *Server) exportResponses(ctx context.Context, f survey.ResponseFilter) export.Responses {
	return func(yield func(*survey.Response, error) bool) {
		stopped := false
		err := s.cfg.Responses.EachResponse(ctx, f, func(r *survey.Response) error {
			if !yield(r, nil) {
				stopped = true
				return errStopped
			}
			return nil
		})
		if err != nil && !stopped {
			yield(nil, err)
		}
	}
}

var errStopped = fmt.Errorf("stopped")

// apiExport serves export.xlsx (?kind=raw, the default, or whitepaper),
// export.csv (?bom=true for spreadsheet programs) and export.jsonl, with
// the filters of the responses list (status defaults to submitted) and
// ?labels=true for option labels instead of codes.
func (s *Server) apiExport(c *gin.Context) {
	ctx := c.Request.Context()
	sv, err := s.cfg.Surveys.FindSurvey(ctx, c.Param("slug"))
	if err != nil {
		s.renderError(c, err)
		return
	}
	format := strings.TrimPrefix(c.Param("format"), "export.")
	kind := c.DefaultQuery("kind", "raw")
	if kind != "raw" && kind != "whitepaper" || kind == "whitepaper" && format != "xlsx" {
		s.renderError(c, survey.Errorf(survey.EMALFORMED, "kind must be raw, or whitepaper with export.xlsx."))
		return
	}
	filter, view, err := parseResponseFilter(c, sv.Slug)
	if err != nil {
		s.renderError(c, err)
		return
	}
	if filter.Status == "" {
		filter.Status = survey.ResponseSubmitted
	}
	opts := export.Options{Lang: c.Query("lang"), Labels: c.Query("labels") == "true", BOM: c.Query("bom") == "true", Generated: s.now()}
	stamp := s.now().Format("2006-01-02")
	if kind == "whitepaper" {
		aopts, afilter, err := analysisOptions(c, sv)
		if err != nil {
			s.renderError(c, err)
			return
		}
		rep, err := s.computeAnalysis(ctx, sv, afilter, aopts, true)
		if err != nil {
			s.renderError(c, err)
			return
		}
		attachment(c, sv.Slug+"-white-paper-"+stamp+".xlsx")
		c.Header("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
		// Small cells are suppressed unless the working group asks for full counts.
		k := smallCellK(sv)
		if c.Query("full_counts") == "true" {
			k = 0
		}
		if err := export.WhitePaper(c.Writer, rep.(*analysis.ReportResult), export.WhitePaperOptions{Options: opts, SmallCells: k, FilterText: describeFilter(view, c.QueryArray("answer"))}); err != nil {
			s.exportFailed(c, err)
		}
		return
	}
	responses := s.exportResponses(ctx, filter)
	switch format {
	case "xlsx":
		attachment(c, sv.Slug+"-responses-"+stamp+".xlsx")
		c.Header("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
		err = export.RawXLSX(c.Writer, sv, responses, opts)
	case "csv":
		attachment(c, sv.Slug+"-responses-"+stamp+".csv")
		c.Header("Content-Type", "text/csv; charset=utf-8")
		err = export.CSV(c.Writer, sv, responses, opts)
	case "jsonl":
		attachment(c, sv.Slug+"-responses-"+stamp+".jsonl")
		c.Header("Content-Type", "application/jsonl; charset=utf-8")
		err = export.JSONLines(c.Writer, sv, responses, opts)
	default:
		s.renderError(c, survey.Errorf(survey.ENOTFOUND, "Exports are export.xlsx, export.csv and export.jsonl."))
		return
	}
	if err != nil {
		s.exportFailed(c, err)
	}
	s.audit(c, "responses.export", "survey:"+sv.Slug, format+" "+c.Request.URL.RawQuery)
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

func describeFilter(v responseFilterView, answers []string) string {
	var parts []string
	for _, p := range []struct{ name, value string }{{"region", v.Region}, {"language", v.Language}, {"from", v.From}, {"to", v.To}} {
		if p.value != "" {
			parts = append(parts, p.name+": "+p.value)
		}
	}
	for _, a := range answers {
		parts = append(parts, "answer "+a)
	}
	return strings.Join(parts, "; ")
}
