package analysis_test

import (
	"encoding/json"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/metlib/canvass/analysis"
	"github.com/metlib/canvass/survey"
)

// fixes is a survey with what the statistics must handle: a missing
// option in a single choice and on a likert scale, a multi_choice hidden
// from one kind of library with an exclusive "none" and an exclusive,
// missing "prefer not to say", labelled option groups, a partial ranking,
// and likert questions answered once and never.
const fixes = `
slug: fixes
default_language: en
languages: [en, fr, es]
title: {en: Fixes}
sections:
  - id: s
    questions:
      - {id: kind, type: single_choice, label: {en: Kind}, options: [{value: pub, label: {en: Public}}, {value: uni, label: {en: University}}, {value: dk, missing: true, label: {en: "Don't know", fr: "Ne sait pas"}}]}
      - {id: agree, type: likert, label: {en: Agree}, options: [{value: 1, label: {en: "1"}}, {value: 2, label: {en: "2"}}, {value: 3, label: {en: "3"}}, {value: 4, label: {en: "4"}}, {value: 5, label: {en: "5"}}, {value: dk, missing: true, label: {en: "Don't know"}}]}
      - id: methods
        type: multi_choice
        label: {en: Methods}
        show_if: {not: {question: kind, equals: uni}}
        option_groups: {g1: {en: Group one, fr: Groupe un, es: Grupo uno}, g2: {en: Group two, fr: Groupe deux, es: Grupo dos}}
        options:
          - {value: m1, group: g1, label: {en: M1}}
          - {value: m2, group: g2, label: {en: M2}}
          - {value: none, exclusive: true, label: {en: None}}
          - {value: pns, exclusive: true, missing: true, label: {en: Prefer not to say}}
      - {id: size, type: number, label: {en: Size}}
      - {id: rank, type: ranking, label: {en: Rank}, options: [{value: p, label: {en: P}}, {value: q, label: {en: Q}}, {value: r, label: {en: R}}]}
      - {id: solo, type: likert, label: {en: Solo}, options: [{value: 1, label: {en: "1"}}, {value: 2, label: {en: "2"}}]}
      - {id: never, type: likert, label: {en: Never}, options: [{value: 1, label: {en: "1"}}, {value: 2, label: {en: "2"}}]}
report:
  tables:
    - {id: kinds, title: {en: Kinds}, question: kind, by: region}
    - {id: methods, title: {en: Methods}, question: methods, by: region}
    - {id: families, title: {en: Families}, question: methods, summary: groups}
`

// edge is 3 × 0.35 in floating point, the fourth bin's lower edge for
// values from 0 to 1.4: (edge − 0)/0.35 rounds to 2.9999…, one bin too low.
const edge = 1.0499999999999998

func fixesResponses(t *testing.T) (*survey.Survey, []*survey.Response) {
	t.Helper()
	s, err := survey.ParseDefinition([]byte(fixes), "yaml")
	if err != nil {
		t.Fatalf("%v %v", err, survey.ErrorFields(err))
	}
	at := time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)
	mk := func(region survey.Region, raw map[string]any) *survey.Response {
		a, err := s.CheckAnswers(raw, "en")
		if err != nil {
			t.Fatalf("%v %+v", err, survey.ErrorFields(err))
		}
		return &survey.Response{SurveySlug: "fixes", Status: survey.ResponseSubmitted, Region: region, Language: "en", Answers: a, CreatedAt: at, SubmittedAt: &at}
	}
	return s, []*survey.Response{
		mk(survey.Europe, map[string]any{"kind": "pub", "agree": "5", "methods": []any{"m1", "m2"}, "size": 0.0, "rank": []any{"p"}, "solo": "2"}),
		mk(survey.Europe, map[string]any{"kind": "pub", "agree": "4", "methods": []any{"none"}, "size": 0.1}),
		mk(survey.Europe, map[string]any{"kind": "dk", "agree": "dk", "methods": []any{"pns"}, "size": 0.2}),
		mk(survey.SubSaharanAfrica, map[string]any{"kind": "pub", "agree": "dk", "size": edge}), // asked methods, ticked nothing
		mk(survey.AsiaOceania, map[string]any{"kind": "uni", "agree": "2", "size": 1.4}),        // methods hidden
		mk(survey.AsiaOceania, map[string]any{"kind": "uni", "agree": "1"}),
	}
}

func TestMissingOptions(t *testing.T) {
	s, rs := fixesResponses(t)
	res, err := analysis.Analyze(s, survey.ResponsesOf(rs), analysis.Options{})
	if err != nil {
		t.Fatal(err)
	}
	kind := question(t, res, "kind")
	// In the distribution: pub 3, uni 2, dk 1 of 6 answers.
	if kind.Missing != 1 || kind.Options[2].Count != 1 || !kind.Options[2].Missing || kind.Options[2].Share != 1.0/6 {
		t.Errorf("kind: missing %d, dk %+v; want 1 answer, 1/6", kind.Missing, kind.Options[2])
	}
	// Agree: 5, 4, 2, 1 on the scale, two "don't know" left out.
	sc := question(t, res, "agree").Scale
	if sc.N != 4 || sc.Missing != 2 {
		t.Fatalf("agree base: n %d, missing %d; want 4, 2", sc.N, sc.Missing)
	}
	near(t, "mean", float64(sc.Mean), 3, 1e-12)             // 12/4
	near(t, "sd", float64(sc.SD), math.Sqrt(10.0/3), 1e-12) // (4+1+1+4)/3
	near(t, "median", float64(sc.Median), 3, 1e-12)         // (2+4)/2
	if sc.TopTwoCount != 2 || sc.TopTwoShare != 0.5 || sc.TopTwoCI != analysis.Wilson(2, 4) {
		t.Errorf("top two %d %g %+v, want 2 of 4", sc.TopTwoCount, sc.TopTwoShare, sc.TopTwoCI)
	}
}

func TestMultiChoiceBasesAndNone(t *testing.T) {
	s, rs := fixesResponses(t)
	res, err := analysis.Analyze(s, survey.ResponsesOf(rs), analysis.Options{})
	if err != nil {
		t.Fatal(err)
	}
	m := question(t, res, "methods")
	// Asked: every kind but uni (4); ticked something: 3; nothing: 1.
	if m.Asked != 4 || m.Answered != 3 || m.NotTicked == nil || m.NotTicked.Count != 1 || m.NotTicked.Share != 0.25 {
		t.Fatalf("bases: asked %d answered %d not ticked %+v; want 4, 3, 1 (25%%)", m.Asked, m.Answered, m.NotTicked)
	}
	m1 := m.Options[0]
	if m1.Share != 1.0/3 || *m1.ShareAsked != 0.25 || *m1.CIAsked != analysis.Wilson(1, 4) {
		t.Errorf("m1 share %g of ticked, %g of asked; want 1/3 and 1/4", m1.Share, *m1.ShareAsked)
	}
	// "None" alone and "prefer not to say" alone are 0 options chosen; m1+m2 is 2.
	want := []int{2, 0, 1}
	if len(m.ChosenCount) != 3 {
		t.Fatalf("chosen count %+v, want keys 0, 1, 2", m.ChosenCount)
	}
	for i, c := range m.ChosenCount {
		if c.Count != want[i] {
			t.Errorf("chose %s: %d, want %d", c.Key, c.Count, want[i])
		}
	}
	near(t, "mean chosen", m.ChosenStats.Mean, 2.0/3, 1e-12)
	if m.Missing != 1 {
		t.Errorf("missing %d, want 1 (prefer not to say)", m.Missing)
	}
	if m1.GroupLabel != "Group one" {
		t.Errorf("group label %q", m1.GroupLabel)
	}
}

func TestRankingUnrankedHasNoRank(t *testing.T) {
	s, rs := fixesResponses(t)
	res, _ := analysis.Analyze(s, survey.ResponsesOf(rs), analysis.Options{})
	r := question(t, res, "rank").Ranking
	if r[0].Ranked != 1 || r[0].MeanRank != 1 || !math.IsNaN(float64(r[1].MeanRank)) {
		t.Errorf("ranking %+v: p ranked first by one, q never ranked", r)
	}
	b, _ := json.Marshal(r[1])
	if !strings.Contains(string(b), `"mean_rank":null`) {
		t.Errorf("never-ranked option as %s, want mean_rank null", b)
	}
}

func TestUndefinedScaleStatisticsAreNull(t *testing.T) {
	s, rs := fixesResponses(t)
	res, _ := analysis.Analyze(s, survey.ResponsesOf(rs), analysis.Options{})
	solo, never := question(t, res, "solo").Scale, question(t, res, "never").Scale
	if solo.N != 1 || solo.Mean != 2 || !math.IsNaN(float64(solo.SD)) || solo.Median != 2 {
		t.Errorf("one answer: %+v; want mean 2, SD undefined, median 2", solo)
	}
	if never.N != 0 || !math.IsNaN(float64(never.Mean)) || !math.IsNaN(float64(never.SD)) || !math.IsNaN(float64(never.Median)) {
		t.Errorf("no answers: %+v; want all undefined", never)
	}
	b, err := json.Marshal(never)
	if err != nil || !strings.Contains(string(b), `"n":0,"missing":0,"mean":null,"sd":null,"median":null`) {
		t.Errorf("no answers as %s (%v)", b, err)
	}
	b, _ = json.Marshal(solo)
	if !strings.Contains(string(b), `"mean":2,"sd":null,"median":2`) {
		t.Errorf("one answer as %s", b)
	}
}

func TestHistogramEdgeInTheBinThatStartsThere(t *testing.T) {
	s, rs := fixesResponses(t)
	res, _ := analysis.Analyze(s, survey.ResponsesOf(rs), analysis.Options{})
	h := question(t, res, "size").Numbers.Histogram
	// Five values, 0 to 1.4: four bins of width 0.35.
	if len(h) != 4 || h[3].From != edge {
		t.Fatalf("bins %+v, want 4 with the last from %v", h, edge)
	}
	want := []int{3, 0, 0, 2} // 0, 0.1, 0.2 | | | edge, 1.4
	for i, b := range h {
		if b.Count != want[i] {
			t.Errorf("bin %d [%v, %v): %d, want %d", i, b.From, b.To, b.Count, want[i])
		}
		if i > 0 && h[i-1].To != b.From {
			t.Errorf("bins %d and %d do not meet: %v, %v", i-1, i, h[i-1].To, b.From)
		}
	}
}

func TestCrossTabBasesAndNotAskedGroups(t *testing.T) {
	s, rs := fixesResponses(t)
	rep, err := analysis.Report(s, survey.ResponsesOf(rs), analysis.Options{Lang: "fr"})
	if err != nil {
		t.Fatal(err)
	}
	asia, europe, africa := 0, 1, 5 // indexes in survey.Regions
	ct := rep.Tables[1].Question.CrossTab
	if ct.Base != "answered" {
		t.Errorf("base %q", ct.Base)
	}
	for _, g := range []struct {
		name                   string
		i, asked, answered, m1 int
		notAsked               bool
	}{
		{"Europe", europe, 3, 3, 1, false},
		{"Africa", africa, 1, 0, 0, false},
		{"Asia", asia, 0, 0, 0, true}, // two respondents, both uni: never asked
	} {
		if ct.Asked[g.i] != g.asked || ct.Answered[g.i] != g.answered || ct.ColTotals[g.i] != g.answered || ct.NotAsked[g.i] != g.notAsked {
			t.Errorf("%s: asked %d answered %d col total %d not asked %v; want %d, %d, %d, %v", g.name,
				ct.Asked[g.i], ct.Answered[g.i], ct.ColTotals[g.i], ct.NotAsked[g.i], g.asked, g.answered, g.answered, g.notAsked)
		}
		if ct.Counts[0][g.i] != g.m1 || ct.NotTicked[g.i] != g.asked-g.answered {
			t.Errorf("%s: m1 %d, not ticked %d", g.name, ct.Counts[0][g.i], ct.NotTicked[g.i])
		}
	}
	if ct.ColPct[0][europe] != 1.0/3 || ct.ColPctAsked[0][europe] != 1.0/3 {
		t.Errorf("m1 in Europe %g / %g, want 1/3 of 3", ct.ColPct[0][europe], ct.ColPctAsked[0][europe])
	}
	if ct.Tests[3] != nil {
		t.Errorf("the missing option was tested: %+v", ct.Tests[3])
	}
	notes := strings.Join(rep.Tables[1].Notes, "\n")
	for _, want := range []string{
		"Base\u00a0: répondants ayant coché au moins une option (3 sur les 4 à qui la question a été posée\u202f; 1 n'ont rien coché).",
		"Question non posée\u00a0: " + survey.RegionLabels[survey.AsiaOceania]["fr"] + " ",
		"Plusieurs réponses possibles",
		"1 réponses «\u00a0Prefer not to say\u00a0» sont comptées dans la distribution mais exclues",
	} {
		if !strings.Contains(notes, want) {
			t.Errorf("notes lack %q:\n%s", want, notes)
		}
	}
	// The single choice's test leaves "don't know" out: pub and uni by
	// Europe (2, 0), Africa (1, 0), Asia (0, 2) is 2 × 3, df 2 (with the
	// dk row it would be 3 × 3, df 4).
	kt := rep.Tables[0].Question.CrossTab
	if kt.Test == nil || kt.Test.DF != 2 || !kt.Missing[2] {
		t.Fatalf("kind test %+v, missing rows %v", kt.Test, kt.Missing)
	}
	// X² by hand: n 5, rows 3 and 2, columns 2, 1, 2.
	want := 0.0
	obs := [2][3]float64{{2, 1, 0}, {0, 0, 2}}
	rowSum, colSum := [2]float64{3, 2}, [3]float64{2, 1, 2}
	for i := range obs {
		for j := range obs[i] {
			e := rowSum[i] * colSum[j] / 5
			want += (obs[i][j] - e) * (obs[i][j] - e) / e
		}
	}
	near(t, "kind X²", kt.Test.Statistic, want, 1e-12)
	if !strings.Contains(kt.Warning, "effectifs attendus sont inférieurs à 5") {
		t.Errorf("warning not in French: %q", kt.Warning)
	}
	// Option groups by their labels, in the reader's language.
	fam := rep.Tables[2].Question.Groups
	if len(fam) != 2 || fam[0].Label != "Groupe un" || fam[1].Label != "Groupe deux" || fam[0].Count != 1 {
		t.Errorf("families %+v", fam)
	}
}

func TestLocalizedGroupingLabels(t *testing.T) {
	s, rs := fixesResponses(t)
	for _, tc := range []struct{ lang, by, under, between, over string }{
		{"en", "IFLA region", "under 1,000", "1,000 to under 25,000.5", "25,000.5 and over"},
		{"fr", "Région de l'IFLA", "moins de 1\u202f000", "de 1\u202f000 à moins de 25\u202f000,5", "25\u202f000,5 et plus"},
		{"es", "Región de la IFLA", "menos de 1000", "de 1000 a menos de 25.000,5", "25.000,5 o más"},
	} {
		res, err := analysis.Analyze(s, survey.ResponsesOf(rs), analysis.Options{Lang: tc.lang, By: "region"})
		if err != nil {
			t.Fatal(err)
		}
		if res.By.Label != tc.by {
			t.Errorf("%s: grouping %q, want %q", tc.lang, res.By.Label, tc.by)
		}
		res, err = analysis.Analyze(s, survey.ResponsesOf(rs), analysis.Options{Lang: tc.lang, By: "size", Bands: []float64{1000, 25000.5}})
		if err != nil {
			t.Fatal(err)
		}
		g := res.By.Groups
		if g[0].Label != tc.under || g[1].Label != tc.between || g[2].Label != tc.over {
			t.Errorf("%s: bands %q, %q, %q; want %q, %q, %q", tc.lang, g[0].Label, g[1].Label, g[2].Label, tc.under, tc.between, tc.over)
		}
	}
}
