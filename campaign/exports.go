package campaign

import (
	"context"
	"fmt"
	"io"
	"regexp"
	"strings"
	"time"

	"github.com/metlib/canvass/analysis"
	"github.com/metlib/canvass/disclosure"
	"github.com/metlib/canvass/export"
	"github.com/metlib/canvass/survey"
)

// The kinds of download.
const (
	// KindRaw is one row per response (xlsx with a codebook, csv, jsonl).
	KindRaw = "raw"
	// KindWhitePaper is the report tables as a publication workbook (xlsx).
	KindWhitePaper = "whitepaper"
)

// Download asks for a file of a survey's responses or results.
type Download struct {
	// Kind is KindRaw (the default) or KindWhitePaper.
	Kind string
	// Format is "xlsx" (the default), "csv" or "jsonl"; the white paper
	// is xlsx only.
	Format string
	// Query selects the responses (a raw download may ask for drafts with
	// Filter.Status; it defaults to submitted) and, for the white paper,
	// the language and grouping of the tables. A raw download's language
	// is that of labels and codebook.
	Query
	// Labels writes option labels instead of codes (raw).
	Labels bool
	// BOM starts a CSV file with a byte order mark, for Excel.
	BOM bool
	// FullCounts writes the white paper from the full report, every count
	// and statistic in it: for the working group, never for publication.
	// Without it the white paper is the report through disclosure.Publish.
	FullCounts bool
	// Progress, when set, is called with the number of rows written (raw),
	// and File.Expected is counted beforehand.
	Progress func(rows int)
}

// File is a download that is checked, audited and ready to be written.
type File struct {
	// Name is a file name safe in a header or a path.
	Name string
	// ContentType is its media type.
	ContentType string
	// Responses is the number of responses in it, known once written for
	// a raw download and at once for a white paper.
	Responses int
	// Expected is how many rows a raw download will have, counted before
	// writing when Download.Progress is set and the filter has no answer
	// conditions (which only reading every response could count); else -1.
	Expected int
	write    func(w io.Writer) error
}

// Write writes the file. The download is audited already: a client that
// goes away midway leaves its audit entry behind.
func (f *File) Write(w io.Writer) error { return f.write(w) }

var unsafeFileChars = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

// safeFileName keeps only letters, digits, dot, dash and underscore, so the
// name cannot break out of a header or a path.
func safeFileName(name string) string {
	return strings.Trim(unsafeFileChars.ReplaceAllString(name, "-"), "-.")
}

var contentTypes = map[string]string{
	"xlsx":  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	"csv":   "text/csv; charset=utf-8",
	"jsonl": "application/jsonl; charset=utf-8",
}

// PrepareDownload checks a download, computes what it needs (the report
// tables for a white paper), and records it in the audit log — kind,
// format, filters and counts mode — before a byte of it is written.
// Analysts and admins only. Returns ENOTFOUND for an unknown survey or
// format and EMALFORMED for a bad request.
func (s *Service) PrepareDownload(ctx context.Context, slug string, d Download) (*File, error) {
	if err := require(ctx, survey.RoleAnalyst); err != nil {
		return nil, err
	}
	if d.Kind == "" {
		d.Kind = KindRaw
	}
	if d.Format == "" {
		d.Format = "xlsx"
	}
	if contentTypes[d.Format] == "" {
		return nil, survey.Errorf(survey.ENOTFOUND, "Exports are export.xlsx, export.csv and export.jsonl.")
	}
	if d.Kind != KindRaw && d.Kind != KindWhitePaper || d.Kind == KindWhitePaper && d.Format != "xlsx" {
		return nil, survey.Errorf(survey.EMALFORMED, "kind must be raw, or whitepaper with export.xlsx.")
	}
	sv, err := s.cfg.Surveys.FindSurvey(ctx, slug)
	if err != nil {
		return nil, err
	}
	stamp := s.now().UTC().Format("2006-01-02")
	opts := export.Options{Lang: d.Lang, Labels: d.Labels, BOM: d.BOM, Generated: s.now(), Progress: d.Progress}
	f := &File{ContentType: contentTypes[d.Format], Expected: -1}
	counts := ""
	if d.Kind == KindWhitePaper {
		if !d.FullCounts {
			// The default workbook is for publication, beside the public
			// pages: it covers every response, as they do, since a reader
			// who subtracts a filtered one from the pages has the figures
			// of the rest, small counts unprotected. Like every public
			// output it leaves canvass demo's made-up responses out (a
			// reader who can rerun demo's seeded generator would otherwise
			// subtract them and recover what the pages withhold).
			if err := checkAnswerConditions(sv, d.Filter); err != nil {
				return nil, err
			}
			if Filtered(d.Filter) {
				return nil, survey.KeyedErrorf(survey.EMALFORMED, "whitepaper_filtered",
					"A white paper for publication covers every submitted response (%s selects some): subtracting it from the public figures would give away counts they withhold. Remove the filter, or ask for full counts (full_counts=true; canvass export --full-counts), for the working group only.", DescribeFilter(d.Filter))
			}
			d.Filter.ExcludeDemo = true
		}
		var rep *analysis.ReportResult
		var err error
		wp := export.WhitePaperOptions{Options: opts, FilterText: DescribeFilter(d.Filter)}
		if d.FullCounts {
			rep, err = s.report(ctx, sv, d.Query)
			if err == nil {
				f.Responses = rep.Responses
			}
			counts = "full counts (unsuppressed)"
		} else {
			// For publication: the report disclosed under the survey's
			// rules, the workbook applying none of its own, against the
			// public figures (disclosure.PublishAfter): a reader has both,
			// and subtracting the page's snapshot from a workbook over a
			// few more responses is differencing like any other.
			var pub *publication
			if pub, err = s.publicationReport(ctx, sv, d.Query); err == nil {
				rep, counts, f.Responses, wp.Disclosed = pub.Report, pub.Counts, pub.Responses, &pub.Rules
			}
		}
		if err != nil {
			return nil, err
		}
		trends, waves, err := s.publicationTrends(ctx, sv, rep, d.Query, d.FullCounts)
		if err != nil {
			return nil, err
		}
		wp.Trends, wp.TrendWaves = trendSheets(trends, waves)
		if len(wp.Trends) > 0 {
			counts += fmt.Sprintf("; %d trend sheets over %d waves", len(wp.Trends), len(waves))
			wp.EarlierUnfiltered = len(d.Filter.Answers) > 0 || d.Filter.From != nil || d.Filter.To != nil
		}
		f.Name = safeFileName(sv.Slug + "-white-paper-" + stamp + ".xlsx")
		f.write = func(w io.Writer) error { return export.WhitePaper(w, rep, wp) }
	} else {
		filter := d.Filter
		filter.SurveySlug, filter.Offset, filter.Limit = sv.Slug, 0, 0
		if filter.Status == "" {
			filter.Status = survey.ResponseSubmitted
		}
		for _, id := range sortedKeys(filter.Answers) {
			if sv.Question(id) == nil {
				return nil, survey.Errorf(survey.EMALFORMED, "answer=%s:…: the survey has no question %q.", id, id)
			}
		}
		d.Filter = filter
		if d.Progress != nil && len(filter.Answers) == 0 {
			count := filter
			count.Limit = 1
			if _, f.Expected, err = s.cfg.Responses.ListResponses(ctx, count); err != nil {
				return nil, err
			}
		}
		f.Name = safeFileName(sv.Slug + "-responses-" + stamp + "." + d.Format)
		f.write = func(w io.Writer) error {
			responses := counted(s.cfg.Responses.StreamResponses(ctx, filter), &f.Responses)
			switch d.Format {
			case "csv":
				return export.CSV(w, sv, responses, opts)
			case "jsonl":
				return export.JSONLines(w, sv, responses, opts)
			}
			return export.RawXLSX(w, sv, responses, opts)
		}
	}
	s.audit(context.WithoutCancel(ctx), "responses.export", "survey:"+sv.Slug, describeDownload(d, counts))
	return f, nil
}

// SeriesDownload asks for a file of several waves of a series
// (export.SeriesXLSX; docs/waves.md, "Exports of several waves").
type SeriesDownload struct {
	// Layout is export.Long (the default: a row per library per wave) or
	// export.Wide (a row per library, a column per variable per wave).
	Layout export.Layout
	// Format is "xlsx" (the default, with its codebook sheet), "csv" or
	// "jsonl".
	Format string
	// Codebook asks for the codebook of the CSV file (Format "csv")
	// instead of its rows.
	Codebook bool
	// Lang is the language of labels and codebook (default: the survey's).
	Lang string
	// Labels writes option labels instead of codes.
	Labels bool
	// BOM starts a CSV file with a byte order mark, for Excel.
	BOM bool
	// Progress, when set, is called with the number of rows written, and
	// File.Expected is counted beforehand for the long layout.
	Progress func(rows int)
}

// PrepareSeriesExport checks an export of the waves of survey slug's
// series up to slug, read as slug's definition reads them (its labels and
// options, every wave's answers through the recodes the waves declare),
// and records it in the audit log (series.export: the waves, layout and
// format) before a byte of it is written. Each wave's submitted responses,
// demo ones left out, as the trends leave them out (made-up answers would
// be a series of nothing); for the wide layout the store streams each
// wave by library, so that the file is written a library at a time.
// Analysts and admins only, as the raw export. ENOTFOUND for an unknown
// survey or format, EMALFORMED for another layout.
func (s *Service) PrepareSeriesExport(ctx context.Context, slug string, d SeriesDownload) (*File, error) {
	if err := require(ctx, survey.RoleAnalyst); err != nil {
		return nil, err
	}
	if d.Layout == "" {
		d.Layout = export.Long
	}
	if d.Format == "" {
		d.Format = "xlsx"
	}
	if contentTypes[d.Format] == "" {
		return nil, survey.Errorf(survey.ENOTFOUND, "Series exports are export.xlsx, export.csv, export.jsonl and codebook.csv.")
	}
	if d.Layout != export.Long && d.Layout != export.Wide {
		return nil, survey.Errorf(survey.EMALFORMED, "layout must be long (a row per library per wave) or wide (a row per library, a column per variable per wave), not %q.", d.Layout)
	}
	if d.Codebook && d.Format != "csv" {
		return nil, survey.Errorf(survey.EMALFORMED, "The codebook is a CSV file of its own (the workbook has it as a sheet).")
	}
	sv, err := s.cfg.Surveys.FindSurvey(ctx, slug)
	if err != nil {
		return nil, err
	}
	headers, err := s.wavesUpTo(ctx, sv)
	if err != nil {
		return nil, err
	}
	f := &File{ContentType: contentTypes[d.Format], Expected: -1}
	waves := make([]export.Wave, len(headers))
	slugs := make([]string, len(headers))
	count := d.Progress != nil && d.Layout == export.Long && !d.Codebook
	if count {
		f.Expected = 0
	}
	for i, h := range headers {
		def := sv
		if h.Slug != sv.Slug {
			if def, err = s.cfg.Surveys.FindSurvey(ctx, h.Slug); err != nil {
				return nil, err
			}
		}
		filter := survey.ResponseFilter{SurveySlug: h.Slug, Status: survey.ResponseSubmitted, ExcludeDemo: true, ByLibrary: d.Layout == export.Wide}
		waves[i] = export.Wave{Survey: def, Responses: counted(s.cfg.Responses.StreamResponses(ctx, filter), &f.Responses)}
		slugs[i] = h.Slug
		if count {
			n, err := s.cfg.Responses.CountMatching(ctx, filter)
			if err != nil {
				return nil, err
			}
			f.Expected += n
		}
	}
	stamp := s.now().UTC().Format("2006-01-02")
	opts := export.Options{Lang: d.Lang, Labels: d.Labels, BOM: d.BOM, Generated: s.now(), Progress: d.Progress}
	name := sv.SeriesName() + "-waves-" + string(d.Layout)
	format := d.Format
	switch {
	case d.Codebook:
		format = "csv codebook"
		f.Name = safeFileName(name + "-codebook-" + stamp + ".csv")
		f.write = func(w io.Writer) error { return export.SeriesCodebookCSV(w, waves, d.Layout, opts) }
	default:
		f.Name = safeFileName(name + "-" + stamp + "." + d.Format)
		f.write = func(w io.Writer) error {
			switch d.Format {
			case "csv":
				return export.SeriesCSV(w, waves, d.Layout, opts)
			case "jsonl":
				return export.SeriesJSONLines(w, waves, d.Layout, opts)
			}
			return export.SeriesXLSX(w, waves, d.Layout, opts)
		}
	}
	s.audit(context.WithoutCancel(ctx), "series.export", "survey:"+sv.Slug, strings.Join([]string{
		"series " + sv.SeriesName(), "waves " + strings.Join(slugs, ", "), "layout " + string(d.Layout), "format " + format,
		"status submitted", "demo responses left out"}, "; "))
	return f, nil
}

// describeDownload is the audit log's note of a download.
func describeDownload(d Download, counts string) string {
	parts := []string{"kind " + d.Kind, "format " + d.Format}
	if d.Kind == KindRaw {
		parts = append(parts, "status "+string(d.Filter.Status))
	}
	if filter := DescribeFilter(d.Filter); filter != "" {
		parts = append(parts, "filter "+filter)
	} else {
		parts = append(parts, "no filter")
	}
	if d.By != "" {
		parts = append(parts, "by "+d.By)
	}
	if counts != "" {
		parts = append(parts, counts)
	}
	return strings.Join(parts, "; ")
}

// counted passes a stream through, counting its responses into n.
func counted(rs survey.Responses, n *int) survey.Responses {
	return func(yield func(*survey.Response, error) bool) {
		for r, err := range rs {
			if err == nil {
				*n++
			}
			if !yield(r, err) {
				return
			}
		}
	}
}

// Filtered reports whether f selects some of a survey's submitted
// responses rather than all of them (canvass demo's aside): a white paper
// for publication may not be (PrepareDownload). Its status is not a
// selection: analyses are of submitted responses only, and say so.
func Filtered(f survey.ResponseFilter) bool {
	return f.Region != "" || f.Language != "" || f.From != nil || f.To != nil || len(f.Answers) > 0
}

// publicPrevious is what readers have of the survey's public figures, for
// a publication beside them (the default white paper): its current public
// snapshot as disclosed, and when it was taken; nil when none was taken or
// the survey publishes neither counts nor results.
func (s *Service) publicPrevious(ctx context.Context, sv *survey.Survey) (*disclosure.Previous, time.Time, error) {
	if shown, err := s.shownFigures(ctx, sv); err != nil || !shown {
		return nil, time.Time{}, err
	}
	e, snap, err := s.publishedEntry(ctx, sv, sv.DefaultLanguage, -1)
	if err != nil {
		return nil, time.Time{}, err
	}
	return &disclosure.Previous{Report: snap.Report, Tallies: snap.Tallies, Protecting: e.pub.Protecting, Witnesses: e.pub.Witnesses}, e.at, nil
}
