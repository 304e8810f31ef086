package web

import (
	"bytes"
	"context"
	"encoding/json"
	"html/template"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/metlib/canvass/analysis"
	"github.com/metlib/canvass/survey"
)

// analysisOptions reads the grouping, language and filters of an analysis
// request: by, bands (comma-separated), lang, region, language, from, to
// (dates), and answer=QUESTION:VALUE (repeatable). Only submitted
// responses are analysed.
func analysisOptions(c *gin.Context, sv *survey.Survey) (analysis.Options, survey.ResponseFilter, error) {
	opts := analysis.Options{Lang: c.Query("lang"), By: c.Query("by")}
	if b := strings.TrimSpace(c.Query("bands")); b != "" {
		for _, part := range strings.Split(b, ",") {
			f, err := strconv.ParseFloat(strings.TrimSpace(part), 64)
			if err != nil {
				return opts, survey.ResponseFilter{}, survey.Errorf(survey.EMALFORMED, "bands: %q is not a number.", part)
			}
			opts.Bands = append(opts.Bands, f)
		}
	}
	f, _, err := parseResponseFilter(c, sv.Slug)
	if err != nil {
		return opts, f, err
	}
	f.Status = survey.ResponseSubmitted
	for _, a := range c.QueryArray("answer") {
		q, v, ok := strings.Cut(a, ":")
		if !ok || sv.Question(q) == nil {
			return opts, f, survey.Errorf(survey.EMALFORMED, "answer=%q: use QUESTION:VALUE with a question of the survey.", a)
		}
		if f.Answers == nil {
			f.Answers = map[string]string{}
		}
		f.Answers[q] = v
	}
	if opts.By != "" && opts.By != "region" && opts.By != "language" && sv.Question(opts.By) == nil {
		return opts, f, survey.Errorf(survey.EMALFORMED, "by=%q: group by region, language or a question of the survey.", opts.By)
	}
	return opts, f, nil
}

// resultCache keeps computed analyses until a response to the survey is
// stored or deleted through this instance, or for at most resultTTL (for
// changes made through another instance sharing the database). Checking the
// database instead would cost more than it saves: the embedded server
// counts 10,000 responses in about half a second.
type resultCache struct {
	mu          sync.Mutex
	entries     map[string]cachedResult
	generations map[string]int // per survey, bumped by every local change
}

type cachedResult struct {
	generation int
	value      any
	stored     time.Time
}

const (
	maxCachedResults = 64
	resultTTL        = 30 * time.Second
)

// changed records that a survey's responses changed.
func (rc *resultCache) changed(slug string) {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	if rc.generations == nil {
		rc.generations = map[string]int{}
	}
	rc.generations[slug]++
}

func (rc *resultCache) generation(slug string) int {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return rc.generations[slug]
}

func (rc *resultCache) get(key string, generation int) (any, bool) {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	e, ok := rc.entries[key]
	if !ok || e.generation != generation || time.Since(e.stored) > resultTTL {
		return nil, false
	}
	return e.value, true
}

func (rc *resultCache) put(key string, generation int, v any) {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	if rc.entries == nil {
		rc.entries = map[string]cachedResult{}
	}
	if len(rc.entries) >= maxCachedResults {
		oldest := ""
		for k, e := range rc.entries {
			if oldest == "" || e.stored.Before(rc.entries[oldest].stored) {
				oldest = k
			}
		}
		delete(rc.entries, oldest)
	}
	rc.entries[key] = cachedResult{generation: generation, value: v, stored: time.Now()}
}

// computeAnalysis runs the analysis (or, with report, the report tables) of
// the survey's responses that pass the filter, from the cache when nothing
// has changed.
func (s *Server) computeAnalysis(ctx context.Context, sv *survey.Survey, filter survey.ResponseFilter, opts analysis.Options, report bool) (any, error) {
	generation := s.results.generation(sv.Slug)
	keyJSON, _ := json.Marshal(struct {
		Slug    string
		Version int
		Filter  survey.ResponseFilter
		Opts    analysis.Options
		Report  bool
	}{sv.Slug, sv.Version, filter, opts, report})
	key := string(keyJSON)
	if v, ok := s.results.get(key, generation); ok {
		return v, nil
	}
	// The store's query filters times on created_at: fetch the survey's
	// submitted responses and let the filter's Match decide every condition.
	all, _, err := s.cfg.Responses.ListResponses(ctx, survey.ResponseFilter{SurveySlug: sv.Slug, Status: survey.ResponseSubmitted})
	if err != nil {
		return nil, err
	}
	responses := filter.Select(survey.ResponsesOf(all))
	var v any
	if report {
		v, err = analysis.Report(sv, responses, opts)
	} else {
		v, err = analysis.Analyze(sv, responses, opts)
	}
	if err != nil {
		return nil, err
	}
	s.results.put(key, generation, v)
	return v, nil
}

// apiAnalysis returns a survey's analysis as JSON (see docs/analysis.md);
// ?report=true returns the report tables instead.
func (s *Server) apiAnalysis(c *gin.Context) {
	sv, err := s.cfg.Surveys.FindSurvey(c.Request.Context(), c.Param("slug"))
	if err != nil {
		s.renderError(c, err)
		return
	}
	opts, filter, err := analysisOptions(c, sv)
	if err != nil {
		s.renderError(c, err)
		return
	}
	v, err := s.computeAnalysis(c.Request.Context(), sv, filter, opts, c.Query("report") == "true")
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

type resultsPage struct {
	page
	Survey    *survey.Survey
	Title     string
	Report    *analysis.ReportResult
	Filter    responseFilterView
	By        string
	Answer    string
	Groupings []regionOption
	Regions   []regionOption
	Answers   []regionOption
	Problem   string
	K         int
	Query     template.URL
	Published *time.Time // when the public results page was published
}

// resultsDashboard shows the report tables with charts, filterable, to the
// working group (full counts: small-cell suppression is for public outputs).
func (s *Server) resultsDashboard(c *gin.Context) {
	sv, err := s.cfg.Surveys.FindSurvey(c.Request.Context(), c.Param("slug"))
	if err != nil {
		s.renderError(c, err)
		return
	}
	title := sv.Title.In("en", sv.DefaultLanguage)
	p := resultsPage{page: s.adminPage(c, "Results: "+title), Survey: sv, Title: title, By: c.Query("by"), Answer: c.Query("answer"), K: smallCellK(sv), Query: filterQuery(c)}
	if p.Published, err = s.cfg.Publications.ResultsPublished(c.Request.Context(), sv.Slug); err != nil {
		s.renderError(c, err)
		return
	}
	_, p.Filter, _ = parseResponseFilter(c, sv.Slug)
	p.Regions = regionOptions("en")
	p.Groupings = []regionOption{{"region", "IFLA region"}, {"language", "Language"}}
	for _, q := range sv.Questions() {
		if q.Type == survey.SingleChoice || q.Type == survey.Likert {
			p.Groupings = append(p.Groupings, regionOption{q.ID, q.Label.In("en", sv.DefaultLanguage)})
			for _, o := range q.Options {
				p.Answers = append(p.Answers, regionOption{q.ID + ":" + string(o.Value), q.Label.In("en", sv.DefaultLanguage) + " = " + o.Label.In("en", sv.DefaultLanguage)})
			}
		}
	}
	opts, filter, err := analysisOptions(c, sv)
	if err != nil {
		p.Problem = survey.ErrorMessage(err)
		s.renderPage(c, http.StatusBadRequest, "admin_results.html", p)
		return
	}
	opts.Lang = "en"
	// Report itself regroups every table that has no grouping of its own by "by".
	rep, err := s.computeAnalysis(c.Request.Context(), sv, filter, opts, true)
	if err != nil {
		s.renderErrorOr(c, err, &p)
		return
	}
	p.Report = rep.(*analysis.ReportResult)
	s.renderPage(c, http.StatusOK, "admin_results.html", p)
}

func (s *Server) renderErrorOr(c *gin.Context, err error, p *resultsPage) {
	if code := survey.ErrorCode(err); code == survey.EINVALID || code == survey.EMALFORMED {
		p.Problem = survey.ErrorMessage(err)
		s.renderPage(c, http.StatusBadRequest, "admin_results.html", *p)
		return
	}
	s.renderError(c, err)
}

// smallCellK is the survey's small-cell threshold (default 5).
func smallCellK(sv *survey.Survey) int {
	if sv.Settings.SmallCellThreshold > 0 {
		return sv.Settings.SmallCellThreshold
	}
	return 5
}
