package campaign

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/metlib/canvass/analysis"
	"github.com/metlib/canvass/survey"
)

// Query is what an analysis, a set of report tables or a white paper is
// computed over. The API, the dashboard and the command line fill it from
// their own syntax (ParseFilter reads the shared one) and get the same
// tables for the same query.
type Query struct {
	// Filter selects the responses. Only submitted responses are ever
	// analysed: Status may be empty or submitted, and SurveySlug is the
	// survey's. From and To compare submission times (see
	// survey.ResponseFilter).
	Filter survey.ResponseFilter
	// Lang is the language of labels (default: the survey's).
	Lang string
	// By groups respondents for cross-tabulations: "region", "language" or
	// a question id; in a report it groups every table without a grouping
	// of its own. Bands cut a number question into groups.
	By    string
	Bands []float64
}

// FilterInput is a filter as people type it: the query parameters of the
// API and the pages, and the flags of the command line.
type FilterInput struct {
	Status, Region, Language string
	// From and To are dates (YYYY-MM-DD); To includes its whole day.
	From, To string
	// Answers are QUESTION:VALUE conditions, all of which must hold.
	Answers []string
}

// ParseFilter reads a filter of one survey's responses. Each bad value is a
// survey.EMALFORMED error naming the parameter; the answer conditions'
// questions are checked against the survey by the use case that runs the
// query (the survey is not needed to read the syntax).
func ParseFilter(slug string, in FilterInput) (survey.ResponseFilter, error) {
	f := survey.ResponseFilter{SurveySlug: slug, Status: survey.ResponseStatus(in.Status), Region: survey.Region(in.Region), Language: in.Language}
	if f.Status != "" && f.Status != survey.ResponseDraft && f.Status != survey.ResponseSubmitted {
		return f, survey.KeyedErrorf(survey.EMALFORMED, "filter_status", "status must be draft or submitted.")
	}
	if f.Region != "" && survey.RegionLabels[f.Region] == nil {
		return f, survey.KeyedErrorf(survey.EMALFORMED, "filter_region", "Unknown region %q.", in.Region)
	}
	for i, text := range []string{in.From, in.To} {
		if text == "" {
			continue
		}
		t, err := time.Parse(time.DateOnly, text)
		if err != nil {
			return f, survey.KeyedErrorf(survey.EMALFORMED, "filter_date", "%s: %q is not a date like 2026-03-01.", [2]string{"from", "to"}[i], text)
		}
		if i == 0 {
			f.From = &t
		} else {
			t = t.AddDate(0, 0, 1) // "to" includes its whole day
			f.To = &t
		}
	}
	for _, a := range in.Answers {
		q, v, ok := strings.Cut(a, ":")
		if !ok || q == "" {
			return f, survey.KeyedErrorf(survey.EMALFORMED, "filter_answer", "answer=%q: use QUESTION:VALUE.", a)
		}
		if f.Answers == nil {
			f.Answers = map[string]string{}
		}
		f.Answers[q] = v
	}
	return f, nil
}

// DescribeFilter is a filter in words, as the white paper prints it
// ("" for none). To is printed as the last day it includes.
func DescribeFilter(f survey.ResponseFilter) string {
	var parts []string
	if f.Region != "" {
		parts = append(parts, "region: "+string(f.Region))
	}
	if f.Language != "" {
		parts = append(parts, "language: "+f.Language)
	}
	if f.From != nil {
		parts = append(parts, "submitted from: "+f.From.UTC().Format(time.DateOnly))
	}
	if f.To != nil {
		parts = append(parts, "submitted to: "+f.To.UTC().Add(-time.Nanosecond).Format(time.DateOnly))
	}
	for _, q := range sortedKeys(f.Answers) {
		parts = append(parts, "answer "+q+":"+f.Answers[q])
	}
	if f.ExcludeDemo {
		parts = append(parts, "demo responses left out")
	}
	return strings.Join(parts, "; ")
}

// checkAnswerConditions returns EMALFORMED naming the first answer= condition
// on a question the survey does not have.
func checkAnswerConditions(sv *survey.Survey, f survey.ResponseFilter) error {
	for _, id := range sortedKeys(f.Answers) {
		if sv.Question(id) == nil {
			return survey.KeyedErrorf(survey.EMALFORMED, "filter_answer_question", "answer=%s:…: the survey has no question %q.", id, id)
		}
	}
	return nil
}

// check validates a query against its survey and returns it normalized:
// the survey's slug, submitted responses only.
func check(sv *survey.Survey, q Query) (Query, error) {
	if q.Filter.Status != "" && q.Filter.Status != survey.ResponseSubmitted {
		return q, survey.KeyedErrorf(survey.EMALFORMED, "filter_submitted_only", "status=%s: analyses and reports are of submitted responses only.", q.Filter.Status)
	}
	q.Filter.SurveySlug, q.Filter.Status = sv.Slug, survey.ResponseSubmitted
	q.Filter.Offset, q.Filter.Limit = 0, 0
	if err := checkAnswerConditions(sv, q.Filter); err != nil {
		return q, err
	}
	if err := checkBy(sv, q.By, q.Bands); err != nil {
		return q, err
	}
	if q.Lang != "" && !sv.HasLanguage(q.Lang) {
		q.Lang = "" // the survey's default, as analysis does
	}
	return q, nil
}

// checkBy returns EMALFORMED naming by when the query cannot be grouped by
// it: by is a query parameter, so a bad one is a bad request (400) wherever
// it arrives (API, downloads, dashboard), not a definition the analysis
// refuses (422). What can be grouped by mirrors analysis's grouper: region,
// language, a single-choice, Likert or country question, or a number
// question cut by increasing bands.
func checkBy(sv *survey.Survey, by string, bands []float64) error {
	if by == "" || by == "region" || by == "language" {
		return nil
	}
	q := sv.Question(by)
	if q == nil {
		return survey.KeyedErrorf(survey.EMALFORMED, "by_unknown", "by=%q: group by region, language or a question of the survey.", by)
	}
	switch q.Type {
	case survey.SingleChoice, survey.Likert, survey.Country:
		return nil
	case survey.Number:
		if len(bands) == 0 {
			return survey.KeyedErrorf(survey.EMALFORMED, "by_bands", "by=%q: grouping by a number question needs bands (bands=10,100).", by)
		}
		for i := 1; i < len(bands); i++ {
			if bands[i] <= bands[i-1] {
				return survey.KeyedErrorf(survey.EMALFORMED, "bands_order", "bands: each must be larger than the one before; %s comes after %s.", fmtBand(bands[i]), fmtBand(bands[i-1]))
			}
		}
		return nil
	}
	return survey.KeyedErrorf(survey.EMALFORMED, "by_type", "by=%q: %s answers cannot be grouped by; group by region, language or a single-choice, Likert, country or number question.", by, string(q.Type))
}

func fmtBand(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }

// Analysis summarizes every question of a survey over the submitted
// responses passing the query's filter (docs/analysis.md). Analysts and
// admins only. Returns ENOTFOUND for an unknown survey and EMALFORMED for
// a bad query.
func (s *Service) Analysis(ctx context.Context, slug string, q Query) (*analysis.Result, error) {
	if err := require(ctx, survey.RoleAnalyst); err != nil {
		return nil, err
	}
	sv, err := s.cfg.Surveys.FindSurvey(ctx, slug)
	if err != nil {
		return nil, err
	}
	v, err := s.computed(ctx, sv, "analysis", q)
	if err != nil {
		return nil, err
	}
	return v.(*analysis.Result), nil
}

// Report computes a survey's report tables (the white paper's) over the
// submitted responses passing the query's filter, each grouped as its
// spec says, or by q.By when it has no grouping of its own. Analysts and
// admins only. Returns ENOTFOUND for an unknown survey and EMALFORMED for
// a bad query.
func (s *Service) Report(ctx context.Context, slug string, q Query) (*analysis.ReportResult, *survey.Survey, error) {
	if err := require(ctx, survey.RoleAnalyst); err != nil {
		return nil, nil, err
	}
	sv, err := s.cfg.Surveys.FindSurvey(ctx, slug)
	if err != nil {
		return nil, nil, err
	}
	rep, err := s.report(ctx, sv, q)
	return rep, sv, err
}

func (s *Service) report(ctx context.Context, sv *survey.Survey, q Query) (*analysis.ReportResult, error) {
	v, err := s.computed(ctx, sv, "report", q)
	if err != nil {
		return nil, err
	}
	return v.(*analysis.ReportResult), nil
}

// computed returns the analysis or report of a query, from the cache when
// no response was written through the Service's store since it was
// computed (and for at most resultTTL, for writes made elsewhere).
func (s *Service) computed(ctx context.Context, sv *survey.Survey, what string, q Query) (any, error) {
	q, err := check(sv, q)
	if err != nil {
		return nil, err
	}
	generation := s.responses.Generation(sv.Slug)
	key := cacheKey(sv, what, q)
	if v, ok := s.results.get(key, generation, s.now()); ok {
		return v, nil
	}
	// Answers to earlier versions are read as today's options (recode).
	responses := sv.RecodeResponses(s.cfg.Responses.StreamResponses(ctx, q.Filter))
	opts := analysis.Options{Lang: q.Lang, By: q.By, Bands: q.Bands}
	var v any
	if what == "report" {
		v, err = analysis.Report(sv, responses, opts)
	} else {
		v, err = analysis.Analyze(sv, responses, opts)
	}
	if err != nil {
		return nil, err
	}
	s.results.put(key, generation, v, s.now())
	return v, nil
}
