package analysis_test

import (
	"encoding/json"
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/metlib/canvass/analysis"
	"github.com/metlib/canvass/demo"
	"github.com/metlib/canvass/survey"
	"github.com/metlib/canvass/survey/builtin"
)

const fixture = `
slug: fixture
default_language: en
languages: [en, fr]
title: {en: Fixture}
sections:
  - id: s
    questions:
      - {id: status, type: single_choice, label: {en: Status}, options: [{value: a, label: {en: A}}, {value: b, label: {en: B}}, {value: c, label: {en: C}}]}
      - id: methods
        type: multi_choice
        label: {en: Methods}
        show_if: {not: {question: status, equals: c}}
        options: [{value: m1, group: g1, label: {en: M1}}, {value: m2, group: g1, label: {en: M2}}, {value: m3, group: g2, label: {en: M3}}]
      - {id: agree, type: likert, label: {en: Agree}, options: [{value: 1, label: {en: "1"}}, {value: 2, label: {en: "2"}}, {value: 3, label: {en: "3"}}, {value: 4, label: {en: "4"}}, {value: 5, label: {en: "5"}}]}
      - id: grid
        type: matrix
        label: {en: Grid}
        options: [{value: 1, label: {en: Low}}, {value: 2, label: {en: Mid}}, {value: 3, label: {en: High}}]
        rows: [{id: r1, label: {en: R1}}, {id: r2, label: {en: R2}}]
      - {id: size, type: number, label: {en: Size}}
      - {id: notes, type: long_text, label: {en: Notes}}
      - {id: rank, type: ranking, label: {en: Rank}, options: [{value: p, label: {en: P}}, {value: q, label: {en: Q}}, {value: r, label: {en: R}}]}
      - {id: mail, type: email, label: {en: Mail}}
`

func fixtureResponses(t *testing.T) (*survey.Survey, []*survey.Response) {
	t.Helper()
	s, err := survey.ParseDefinition([]byte(fixture), "yaml")
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)
	mk := func(region survey.Region, lang string, raw map[string]any) *survey.Response {
		a, err := s.CheckAnswers(raw, "en")
		if err != nil {
			t.Fatalf("%v %+v", err, survey.ErrorFields(err))
		}
		at = at.Add(24 * time.Hour)
		sub := at
		return &survey.Response{SurveySlug: "fixture", Status: survey.ResponseSubmitted, Region: region, Language: lang, Answers: a, CreatedAt: at, SubmittedAt: &sub}
	}
	rs := []*survey.Response{
		mk(survey.Europe, "en", map[string]any{"status": "a", "methods": []any{"m1", "m2"}, "agree": "5", "grid": map[string]any{"r1": "3", "r2": "1"}, "size": 10.0,
			"notes": "Library outcomes: survey outcomes", "rank": []any{"p", "q"}, "mail": "x@example.org"}),
		mk(survey.Europe, "en", map[string]any{"status": "a", "methods": []any{"m1"}, "agree": "4", "grid": map[string]any{"r1": "2"}, "size": 20.0, "rank": []any{"q", "p"}, "notes": "Outcomes matter"}),
		mk(survey.SubSaharanAfrica, "fr", map[string]any{"status": "b", "methods": []any{"m2", "m3"}, "agree": "2", "size": 30.0}),
		mk(survey.SubSaharanAfrica, "fr", map[string]any{"status": "b", "agree": "4", "size": 40.0}),
		mk(survey.Europe, "en", map[string]any{"status": "c", "methods": []any{"m1"}, "agree": "1", "size": 1000.0}), // methods hidden: dropped
		mk("", "en", map[string]any{"status": "a", "methods": []any{"m1", "m3"}, "agree": "5"}),
	}
	// A draft is never analysed.
	rs = append(rs, &survey.Response{SurveySlug: "fixture", Status: survey.ResponseDraft, Answers: survey.Answers{"status": "a"}, CreatedAt: at})
	return s, rs
}

func question(t *testing.T, r *analysis.Result, id string) *analysis.QuestionResult {
	t.Helper()
	for _, q := range r.Questions {
		if q.ID == id {
			return q
		}
	}
	t.Fatalf("no result for %s", id)
	return nil
}

func TestAnalyzeHandWorked(t *testing.T) {
	s, rs := fixtureResponses(t)
	res, err := analysis.Analyze(s, survey.ResponsesOf(rs), analysis.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Responses != 6 {
		t.Fatalf("%d responses analysed, want 6 (the draft excluded)", res.Responses)
	}

	status := question(t, res, "status")
	if status.Asked != 6 || status.Answered != 6 || status.Options[0].Count != 3 || status.Options[1].Count != 2 || status.Options[2].Count != 1 {
		t.Errorf("status %+v", status.Options)
	}
	near(t, "status a share", status.Options[0].Share, 0.5, 1e-12)
	if status.Options[0].CI != analysis.Wilson(3, 6) {
		t.Errorf("status a CI %+v", status.Options[0].CI)
	}

	// Methods: hidden for #5 (not asked), unanswered by #4 (asked).
	m := question(t, res, "methods")
	if m.Asked != 5 || m.Answered != 4 || m.Mentions != 7 {
		t.Fatalf("methods base: asked %d answered %d mentions %d; want 5, 4, 7", m.Asked, m.Answered, m.Mentions)
	}
	for i, want := range []int{3, 2, 2} {
		if m.Options[i].Count != want {
			t.Errorf("option %d count %d, want %d", i, m.Options[i].Count, want)
		}
	}
	near(t, "m1 % of respondents", m.Options[0].Share, 0.75, 1e-12)
	near(t, "m1 % of mentions", *m.Options[0].MentionShare, 3.0/7, 1e-12)
	if got := [3]int{m.ChosenCount[0].Count, m.ChosenCount[1].Count, m.ChosenCount[2].Count}; got != [3]int{0, 1, 3} {
		t.Errorf("number chosen %v, want 0, 1, 3", got)
	}
	if m.CoOccurrence.Counts[0][1] != 1 || m.CoOccurrence.Counts[0][2] != 1 || m.CoOccurrence.Counts[1][2] != 1 || m.CoOccurrence.Counts[0][0] != 3 {
		t.Errorf("co-occurrence %v", m.CoOccurrence.Counts)
	}
	// m1×m2: n11 = 1, n10 = 2, n01 = 1, n00 = 0: (0 − 2)/√(3·1·2·2).
	near(t, "phi m1 m2", float64(m.CoOccurrence.Phi[0][1]), -2/math.Sqrt(12), 1e-12)
	// Undefined statistics are JSON nulls, never an encoding failure.
	if b, err := json.Marshal(res); err != nil || !strings.Contains(string(b), `"phi":[[`) {
		t.Errorf("JSON: %v", err)
	}
	if b, _ := json.Marshal([]analysis.Float{analysis.Float(math.NaN()), 0.5}); string(b) != "[null,0.5]" {
		t.Errorf("NaN as %s", b)
	}

	agree := question(t, res, "agree")
	near(t, "mean", float64(agree.Scale.Mean), 3.5, 1e-12)
	near(t, "sd", float64(agree.Scale.SD), math.Sqrt(2.7), 1e-12)
	near(t, "median", float64(agree.Scale.Median), 4, 1e-12)
	if agree.Scale.TopTwoCount != 4 || agree.Scale.TopTwoCI != analysis.Wilson(4, 6) {
		t.Errorf("top two %d %+v", agree.Scale.TopTwoCount, agree.Scale.TopTwoCI)
	}

	grid := question(t, res, "grid")
	if grid.Rows[0].Answered != 2 || grid.Rows[1].Answered != 1 || grid.Rows[0].Asked != 6 {
		t.Errorf("grid rows %+v", grid.Rows)
	}
	near(t, "r1 mean", float64(grid.Rows[0].Scale.Mean), 2.5, 1e-12)

	size := question(t, res, "size")
	d := size.Numbers
	if d.N != 5 || d.Q1 != 20 || d.Median != 30 || d.Q3 != 40 || len(d.Outliers) != 1 || d.Outliers[0] != 1000 {
		t.Errorf("size %+v", d)
	}
	total := 0
	for _, b := range d.Histogram {
		total += b.Count
	}
	if len(d.Histogram) != 4 || total != 5 { // Sturges: ⌈log₂ 5⌉ + 1 = 4
		t.Errorf("histogram %+v", d.Histogram)
	}

	rank := question(t, res, "rank")
	if rank.Answered != 2 || rank.Ranking[0].MeanRank != 1.5 || rank.Ranking[0].FirstCount != 1 || rank.Ranking[2].Ranked != 0 {
		t.Errorf("ranking %+v", rank.Ranking)
	}
	notes := question(t, res, "notes")
	if len(notes.Texts) != 2 || notes.Terms[0].Key != "outcomes" || notes.Terms[0].Count != 2 {
		t.Errorf("text terms %+v", notes.Terms)
	}
	if mail := question(t, res, "mail"); mail.Answered != 1 || len(mail.Texts) != 0 {
		t.Errorf("email answers listed: %+v", mail)
	}
}

func TestCrossTabByRegion(t *testing.T) {
	s, rs := fixtureResponses(t)
	res, err := analysis.Analyze(s, survey.ResponsesOf(rs), analysis.Options{By: "region"})
	if err != nil {
		t.Fatal(err)
	}
	if res.By.Ungrouped != 1 {
		t.Errorf("ungrouped %d, want 1 (no region)", res.By.Ungrouped)
	}
	ct := question(t, res, "methods").CrossTab
	europe, africa := 1, 5 // indexes in survey.Regions
	if ct.ColTotals[europe] != 2 || ct.ColTotals[africa] != 1 {
		t.Fatalf("answered per group %v", ct.ColTotals)
	}
	if ct.Counts[0][europe] != 2 || ct.Counts[1][europe] != 1 || ct.Counts[2][africa] != 1 {
		t.Errorf("counts %v", ct.Counts)
	}
	near(t, "m2 in Europe", ct.ColPct[1][europe], 0.5, 1e-12)
	if len(ct.Tests) != 3 {
		t.Errorf("%d per-option tests", len(ct.Tests))
	}
	st := question(t, res, "status").CrossTab
	if st.Test == nil || !st.Test.LowExpected || st.Warning == "" {
		t.Errorf("small table not warned about: %+v", st)
	}
	// Row percentages sum to one; counts add up to the column totals.
	for r := range st.Rows {
		if st.RowTotals[r] == 0 {
			continue
		}
		sum := 0.0
		for g := range st.RowPct[r] {
			sum += st.RowPct[r][g]
		}
		near(t, "row % sum", sum, 1, 1e-12)
	}
	if _, err := analysis.Analyze(s, survey.ResponsesOf(rs), analysis.Options{By: "nope"}); survey.ErrorCode(err) != survey.EINVALID {
		t.Errorf("unknown grouping: %v", err)
	}
	if _, err := analysis.Analyze(s, survey.ResponsesOf(rs), analysis.Options{By: "size"}); survey.ErrorCode(err) != survey.EINVALID {
		t.Errorf("numeric grouping without bands: %v", err)
	}
	res, _ = analysis.Analyze(s, survey.ResponsesOf(rs), analysis.Options{By: "size", Bands: []float64{25}})
	if res.By.Groups[0].N != 2 || res.By.Groups[1].N != 3 || res.By.Groups[0].Label != "under 25" || res.By.Groups[1].Label != "25 and over" {
		t.Errorf("bands %+v", res.By.Groups)
	}
}

// TestFilteredStream checks the analysis of a filtered stream: the
// survey.ResponseFilter selects, analysis counts what it is given.
func TestFilteredStream(t *testing.T) {
	s, rs := fixtureResponses(t)
	from := time.Date(2026, 5, 3, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		f    survey.ResponseFilter
		want int
	}{
		{survey.ResponseFilter{Region: survey.Europe}, 3},
		{survey.ResponseFilter{Language: "fr"}, 2},
		{survey.ResponseFilter{From: &from}, 5},
		{survey.ResponseFilter{Answers: map[string]string{"status": "a"}}, 3},
		{survey.ResponseFilter{Answers: map[string]string{"methods": "m3"}}, 2},
	} {
		res, err := analysis.Analyze(s, tc.f.Select(survey.ResponsesOf(rs)), analysis.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if res.Responses != tc.want {
			t.Errorf("filter %+v: %d, want %d", tc.f, res.Responses, tc.want)
		}
	}
	empty, _ := analysis.Analyze(s, survey.ResponsesOf(nil), analysis.Options{})
	if q := question(t, empty, "status"); q.Answered != 0 || q.Options[0].Share != 0 || !q.Options[0].CI.Undefined() {
		t.Errorf("no responses: %+v", q.Options[0])
	}
}

// TestStreamError checks that a failing stream stops the analysis with its error.
func TestStreamError(t *testing.T) {
	s, rs := fixtureResponses(t)
	boom := errors.New("cursor lost")
	failing := func(yield func(*survey.Response, error) bool) {
		if !yield(rs[0], nil) {
			return
		}
		yield(nil, boom)
	}
	if _, err := analysis.Analyze(s, failing, analysis.Options{}); !errors.Is(err, boom) {
		t.Errorf("Analyze: %v, want %v", err, boom)
	}
	if _, err := analysis.Report(s, failing, analysis.Options{}); !errors.Is(err, boom) {
		t.Errorf("Report: %v, want %v", err, boom)
	}
}

func TestBuiltinReportsOnDemoData(t *testing.T) {
	surveys, _ := builtin.Surveys()
	for _, s := range surveys {
		rs := demo.Responses(s, 500, 11, time.Now())
		rep, err := analysis.Report(s, survey.ResponsesOf(rs), analysis.Options{Lang: "fr"})
		if err != nil {
			t.Fatal(err)
		}
		if len(rep.Tables) != len(s.Report.Tables) || rep.Responses != 500 {
			t.Fatalf("%s: %d tables over %d responses", s.Slug, len(rep.Tables), rep.Responses)
		}
		for _, tab := range rep.Tables {
			q := tab.Question
			// Properties: single-choice counts add up to the base; shares and intervals are proportions.
			if q.Type == survey.SingleChoice {
				sum := 0
				for _, o := range q.Options {
					sum += o.Count
				}
				if sum != q.Answered {
					t.Errorf("%s/%s: counts add to %d, base %d", s.Slug, tab.Spec.ID, sum, q.Answered)
				}
			}
			for _, o := range q.Options {
				if o.CI.Low > o.Share || o.CI.High < o.Share || o.CI.Low < 0 || o.CI.High > 1 {
					t.Errorf("%s/%s: %s share %g outside %+v", s.Slug, tab.Spec.ID, o.Value, o.Share, o.CI)
				}
			}
			if tab.Spec.Summary == survey.SummaryRanked {
				for i := 1; i < len(q.Options); i++ {
					if q.Options[i].Count > q.Options[i-1].Count {
						t.Errorf("%s/%s not ranked", s.Slug, tab.Spec.ID)
					}
				}
			}
		}
	}
	impact := surveys[1]
	rep, _ := analysis.Report(impact, survey.ResponsesOf(demo.Responses(impact, 800, 3, time.Now())), analysis.Options{})
	byID := map[string]analysis.TableResult{}
	for _, tab := range rep.Tables {
		byID[tab.Spec.ID] = tab
	}
	if fam := byID["evidence_families"].Question.Groups; len(fam) != 6 || fam[0].Group != "inferred" {
		t.Errorf("evidence families %+v", fam)
	}
	// The demo makes bigger libraries use more methods: the correlation shows it.
	if c := byID["methods_by_population"].Correlation; c == nil || c.Rho <= 0.1 || c.P >= 0.01 {
		t.Errorf("methods vs population: %+v", c)
	}
	if bg := byID["methods_by_population"].Question.ByGroup; len(bg) != 4 {
		t.Errorf("methods by population band: %+v", bg)
	}
	if ct := byID["decisions_by_status"].Question.CrossTab; ct == nil || ct.Test == nil {
		t.Error("decisions by status has no test")
	}
	notes := byID["methods_used"].Notes
	if len(notes) == 0 || notes[len(notes)-1] != "Multiple answers allowed: percentages do not sum to 100." {
		t.Errorf("notes %v", notes)
	}
}
