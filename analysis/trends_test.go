package analysis_test

import (
	"encoding/json"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/metlib/canvass/analysis"
	"github.com/metlib/canvass/survey"
)

// Two waves of one series: the second drops option c of status, adds d,
// and adds the likert question "agree".
const (
	wave1Def = `
slug: trend-2025
default_language: en
title: {en: Trend 2025}
sections:
  - id: s
    questions:
      - {id: status, type: single_choice, label: {en: Status}, options: [{value: a, label: {en: A}}, {value: b, label: {en: B}}, {value: c, label: {en: C}}]}
      - {id: methods, type: multi_choice, label: {en: Methods}, options: [{value: m1, label: {en: M1}}, {value: m2, label: {en: M2}}]}
      - {id: size, type: number, label: {en: Size}}
`
	wave2Def = `
slug: trend-2026
default_language: en
title: {en: Trend 2026}
sections:
  - id: s
    questions:
      - {id: status, type: single_choice, label: {en: Status}, options: [{value: a, label: {en: A (2026)}}, {value: b, label: {en: B}}, {value: d, label: {en: D}}]}
      - {id: methods, type: multi_choice, label: {en: Methods}, options: [{value: m1, label: {en: M1}}, {value: m2, label: {en: M2}}]}
      - {id: size, type: number, label: {en: Size}}
      - {id: agree, type: likert, label: {en: Agree}, options: [{value: 1, label: {en: "1"}}, {value: 2, label: {en: "2"}}, {value: 3, label: {en: "3"}}, {value: dk, label: {en: Don't know}, missing: true}]}
`
)

// waveOf parses a definition and its answers into submitted responses and
// runs Analyze over them, returning the definition and its results by
// question id.
func waveOf(t *testing.T, def string, answers ...map[string]any) (*survey.Survey, map[string]*analysis.QuestionResult) {
	t.Helper()
	s, err := survey.ParseDefinition([]byte(def), "yaml")
	if err != nil {
		t.Fatal(err)
	}
	var rs []*survey.Response
	at := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	for _, raw := range answers {
		a, err := s.CheckAnswers(raw, "en")
		if err != nil {
			t.Fatalf("%v %+v", err, survey.ErrorFields(err))
		}
		rs = append(rs, &survey.Response{SurveySlug: s.Slug, Status: survey.ResponseSubmitted, Language: "en", Answers: a, CreatedAt: at, SubmittedAt: &at})
	}
	res, err := analysis.Analyze(s, survey.ResponsesOf(rs), analysis.Options{})
	if err != nil {
		t.Fatal(err)
	}
	byID := map[string]*analysis.QuestionResult{}
	for _, q := range res.Questions {
		byID[q.ID] = q
	}
	return s, byID
}

type point struct {
	offered     bool
	count, base int
	share       float64 // NaN: undefined
	low, high   float64 // NaN: undefined
}

func checkPoints(t *testing.T, name string, got []analysis.TrendPoint, waves []string, want []point) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d points, want %d", name, len(got), len(want))
	}
	same := func(a, b float64) bool {
		return (math.IsNaN(a) && math.IsNaN(b)) || math.Abs(a-b) <= 1e-12
	}
	for i, w := range want {
		g := got[i]
		if g.Wave != waves[i] || g.Offered != w.offered || g.Count != w.count || g.Base != w.base ||
			!same(float64(g.Share), w.share) || !same(g.CI.Low, w.low) || !same(g.CI.High, w.high) {
			t.Errorf("%s in %s: %+v, want %+v", name, waves[i], g, w)
		}
	}
}

// TestTrendAcrossWaves: each wave's counts, bases, shares and Wilson
// intervals (computed by hand from the Newcombe formula in Python; see
// docs/analysis.md), a dropped and an added option, a wave that did not ask.
func TestTrendAcrossWaves(t *testing.T) {
	_, w1 := waveOf(t, wave1Def,
		map[string]any{"status": "a", "methods": []any{"m1", "m2"}},
		map[string]any{"status": "a", "methods": []any{"m1"}},
		map[string]any{"status": "a"},
		map[string]any{"status": "b"},
		map[string]any{"status": "c"},
	)
	_, w2 := waveOf(t, wave2Def,
		map[string]any{"status": "a", "methods": []any{"m2"}},
		map[string]any{"status": "b", "methods": []any{"m2"}},
		map[string]any{"status": "d", "methods": []any{"m1", "m2"}},
		map[string]any{"status": "d"},
	)
	waves := []string{"2025", "2026", "2027"}
	tr, err := analysis.Trend([]analysis.WaveQuestion{{Wave: "2025", Result: w1["status"]}, {Wave: "2026", Result: w2["status"]}, {Wave: "2027"}})
	if err != nil {
		t.Fatal(err)
	}
	if tr.ID != "status" || !reflect.DeepEqual(tr.Waves, waves) || !reflect.DeepEqual(tr.Answered, []int{5, 4, 0}) {
		t.Errorf("trend %q waves %v answered %v", tr.ID, tr.Waves, tr.Answered)
	}
	var order []string
	for _, o := range tr.Options {
		order = append(order, o.Value+"="+o.Label)
	}
	if got := strings.Join(order, " "); got != "a=A (2026) b=B d=D c=C" {
		t.Errorf("options %s, want the latest wave's order and labels, then the dropped c", got)
	}
	nan := math.NaN()
	none := point{share: nan, low: nan, high: nan}
	checkPoints(t, "a", tr.Options[0].Points, waves, []point{
		{true, 3, 5, 0.6, 0.2307242812760128, 0.882379225767352},
		{true, 1, 4, 0.25, 0.04558726080970055, 0.6993581574175981},
		none,
	})
	checkPoints(t, "d", tr.Options[2].Points, waves, []point{
		none,
		{true, 2, 4, 0.5, 0.15003898915214953, 0.8499610108478505},
		none,
	})
	checkPoints(t, "c", tr.Options[3].Points, waves, []point{
		{true, 1, 5, 0.2, 0.036224108632430085, 0.6244653702374747},
		none,
		none,
	})

	// multi_choice: shares of the respondents who ticked something (2 of
	// the 5 in 2025), as Analyze reports them.
	tr, err = analysis.Trend([]analysis.WaveQuestion{{Wave: "2025", Result: w1["methods"]}, {Wave: "2026", Result: w2["methods"]}})
	if err != nil {
		t.Fatal(err)
	}
	checkPoints(t, "m2", tr.Options[1].Points, waves[:2], []point{
		{true, 1, 2, 0.5, 0.09453120573423074, 0.9054687942657693},
		{true, 3, 3, 1, 0.43850296824495455, 1},
	})

	b, err := json.Marshal(tr.Options[1].Points[0])
	if err != nil || !strings.Contains(string(b), `"offered":true,"count":1,"base":2,"share":0.5`) {
		t.Errorf("JSON %s, %v", b, err)
	}
}

func TestTrendPointOf(t *testing.T) {
	p, err := analysis.TrendPointOf("w", 0, 0)
	if err != nil || !p.Offered || !math.IsNaN(float64(p.Share)) || !p.CI.Undefined() {
		t.Errorf("0 of 0: %+v, %v; want an offered point with no share", p, err)
	}
	b, _ := json.Marshal(p)
	if string(b) != `{"wave":"w","offered":true,"count":0,"base":0,"share":null,"ci":{"low":null,"high":null}}` {
		t.Errorf("JSON %s", b)
	}
	for _, c := range [][2]int{{-1, 3}, {4, 3}} {
		if _, err := analysis.TrendPointOf("w", c[0], c[1]); survey.ErrorCode(err) != survey.EINVALID {
			t.Errorf("%d of %d: %v, want EINVALID", c[0], c[1], err)
		}
	}
}

func TestTrendSuppressed(t *testing.T) {
	_, w1 := waveOf(t, wave1Def, map[string]any{"status": "a"}, map[string]any{"status": "b"})
	r := *w1["status"]
	r.Options = append([]analysis.OptionCount(nil), r.Options...)
	r.Options[0].Suppressed, r.Options[0].Count = true, 0
	tr, err := analysis.Trend([]analysis.WaveQuestion{{Wave: "2025", Result: &r}})
	if err != nil {
		t.Fatal(err)
	}
	if p := tr.Options[0].Points[0]; !p.Suppressed || !math.IsNaN(float64(p.Share)) || !p.CI.Undefined() {
		t.Errorf("a withheld count must not be shown as a share of 0: %+v", p)
	}

	// A withheld base: no share and no base anywhere in the wave, the
	// counts shown where they are not withheld themselves.
	r.AnsweredSuppressed, r.Answered = true, 0
	tr, err = analysis.Trend([]analysis.WaveQuestion{{Wave: "2025", Result: &r}})
	if err != nil {
		t.Fatalf("a withheld base is not an error: %v", err)
	}
	if !tr.AnsweredSuppressed[0] || tr.Answered[0] != 0 {
		t.Errorf("base: %v %v", tr.Answered, tr.AnsweredSuppressed)
	}
	a, b := tr.Options[0].Points[0], tr.Options[1].Points[0]
	if !a.BaseSuppressed || !a.Suppressed || a.Count != 0 || !b.BaseSuppressed || b.Suppressed || b.Count != 1 || b.Base != 0 || !math.IsNaN(float64(b.Share)) || !b.CI.Undefined() {
		t.Errorf("points over a withheld base: %+v %+v", a, b)
	}
}

func TestTrendBadInput(t *testing.T) {
	_, w1 := waveOf(t, wave1Def, map[string]any{"status": "a", "size": 3.0})
	for _, tc := range []struct {
		name  string
		waves []analysis.WaveQuestion
	}{
		{"no waves", nil},
		{"unnamed wave", []analysis.WaveQuestion{{Result: w1["status"]}}},
		{"repeated wave", []analysis.WaveQuestion{{Wave: "x", Result: w1["status"]}, {Wave: "x", Result: w1["status"]}}},
		{"two questions", []analysis.WaveQuestion{{Wave: "x", Result: w1["status"]}, {Wave: "y", Result: w1["methods"]}}},
		{"a number", []analysis.WaveQuestion{{Wave: "x", Result: w1["size"]}}},
	} {
		if _, err := analysis.Trend(tc.waves); survey.ErrorCode(err) != survey.EINVALID || survey.ErrorMessage(err) == "" {
			t.Errorf("%s: %v, want EINVALID", tc.name, err)
		}
	}
}

func TestPanel(t *testing.T) {
	k := func(key string, v int) analysis.Keyed[int] { return analysis.Keyed[int]{Key: key, Value: v} }
	p, err := analysis.Panel([]analysis.Keyed[int]{k("lib-b", 2), k("lib-c", 3), k("lib-a", 1)}, []analysis.Keyed[int]{k("lib-c", 30), k("lib-a", 10), k("lib-d", 40)})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(p.Keys, []string{"lib-a", "lib-c"}) || !reflect.DeepEqual(p.First, []int{1, 3}) || !reflect.DeepEqual(p.Second, []int{10, 30}) {
		t.Errorf("panel %+v, want lib-a 1→10 and lib-c 3→30", p)
	}
	p, err = analysis.Panel([]analysis.Keyed[int]{k("x", 1)}, []analysis.Keyed[int]{k("y", 1)})
	if err != nil || len(p.Keys) != 0 || p.First == nil {
		t.Errorf("disjoint waves: %+v, %v; want an empty panel", p, err)
	}
	for name, waves := range map[string][2][]analysis.Keyed[int]{
		"duplicate in first":  {{k("x", 1), k("x", 2)}, {k("x", 3)}},
		"duplicate in second": {{k("x", 1)}, {k("x", 2), k("x", 3)}},
		"empty key":           {{k("", 1)}, {k("x", 3)}},
	} {
		if _, err := analysis.Panel(waves[0], waves[1]); survey.ErrorCode(err) != survey.EINVALID || survey.ErrorMessage(err) == "" {
			t.Errorf("%s: %v, want EINVALID", name, err)
		}
	}
}

// libraries keys answers by library, checked against the definition.
func libraries(t *testing.T, s *survey.Survey, answers map[string]map[string]any) []analysis.Keyed[survey.Answers] {
	t.Helper()
	var out []analysis.Keyed[survey.Answers]
	for key, raw := range answers {
		a, err := s.CheckAnswers(raw, "en")
		if err != nil {
			t.Fatalf("%v %+v", err, survey.ErrorFields(err))
		}
		out = append(out, analysis.Keyed[survey.Answers]{Key: key, Value: a})
	}
	return out
}

// TestChoiceChange: a panel of 8 libraries answered status in both waves
// (lib9 only in 2025, lib10 only in 2026, lib11 skipped it in 2026, all
// left out). For option a: both 2 (lib1, lib2), a → not a 1 (lib3),
// not a → a 4 (lib4–lib7), neither 1 (lib8): p = 2·P(X ≤ 1), X ~ Bin(5, ½)
// = 2·6/32 = 0.375.
func TestChoiceChange(t *testing.T) {
	s1, _ := survey.ParseDefinition([]byte(wave1Def), "yaml")
	s2, _ := survey.ParseDefinition([]byte(wave2Def), "yaml")
	first := libraries(t, s1, map[string]map[string]any{
		"lib1": {"status": "a", "methods": []any{"m1"}}, "lib2": {"status": "a", "methods": []any{"m1"}}, "lib3": {"status": "a", "methods": []any{"m1"}},
		"lib4": {"status": "b", "methods": []any{"m2"}}, "lib5": {"status": "b"}, "lib6": {"status": "b"}, "lib7": {"status": "b"},
		"lib8": {"status": "b"}, "lib9": {"status": "a"}, "lib11": {"status": "a"},
	})
	second := libraries(t, s2, map[string]map[string]any{
		"lib1": {"status": "a", "methods": []any{"m1", "m2"}}, "lib2": {"status": "a", "methods": []any{"m2"}}, "lib3": {"status": "d", "methods": []any{"m2"}},
		"lib4": {"status": "a", "methods": []any{"m2"}}, "lib5": {"status": "a"}, "lib6": {"status": "a"}, "lib7": {"status": "a"},
		"lib8": {"status": "d"}, "lib10": {"status": "a"}, "lib11": {"methods": []any{"m1"}},
	})
	got, err := analysis.ChoiceChange(s2.Question("status"), first, second)
	if err != nil {
		t.Fatal(err)
	}
	type cells struct {
		value                string
		n, both, b, c, neith int
		p                    float64
	}
	var seen []cells
	for _, o := range got {
		seen = append(seen, cells{o.Value, o.N, o.Both, o.B, o.C, o.Neither, float64(o.P)})
		if o.Method != analysis.MethodExact {
			t.Errorf("%s: method %q", o.Value, o.Method)
		}
	}
	want := []cells{
		{"a", 8, 2, 1, 4, 1, 0.375},
		{"b", 8, 0, 5, 0, 3, 2.0 / 32}, // 5 left b, nobody chose it: 2·P(X = 0), X ~ Bin(5, ½)
		{"d", 8, 0, 0, 2, 6, 0.5},      // 2 chose the new d: 2·P(X = 0), X ~ Bin(2, ½)
	}
	if len(seen) != len(want) {
		t.Fatalf("status changes %v, want %v", seen, want)
	}
	for i := range want {
		g, w := seen[i], want[i]
		p := g.p
		g.p, w.p = 0, 0
		if g != w || math.Abs(p-want[i].p) > 1e-14 {
			t.Errorf("option %d: %v p %v, want %v p %v", i, g, p, w, want[i].p)
		}
	}

	// multi_choice: the panel is who ticked something in both (lib1–lib4).
	// m1: both 1 (lib1), m1 → not 2 (lib2, lib3), neither 1 (lib4): p = 2·¼ = 0.5.
	got, err = analysis.ChoiceChange(s2.Question("methods"), first, second)
	if err != nil {
		t.Fatal(err)
	}
	if m1 := got[0]; m1.Value != "m1" || m1.N != 4 || m1.Both != 1 || m1.B != 2 || m1.C != 0 || m1.Neither != 1 || math.Abs(float64(m1.P)-0.5) > 1e-14 || float64(m1.Change) != -0.5 {
		t.Errorf("m1 %+v", m1)
	}

	if _, err := analysis.ChoiceChange(s2.Question("size"), first, second); survey.ErrorCode(err) != survey.EINVALID {
		t.Errorf("ChoiceChange of a number: %v, want EINVALID", err)
	}
	dup := append(first, first[0])
	if _, err := analysis.ChoiceChange(s2.Question("status"), dup, second); survey.ErrorCode(err) != survey.EINVALID {
		t.Errorf("a library twice in a wave: %v, want EINVALID", err)
	}
}

// TestScoreChange: likert codes 1→2 (lib1), 1→3 (lib2), 2→2 (lib3, no
// change), 3→1 (lib4), "don't know" in 2026 (lib5, no value: left out),
// lib6 only in 2025. Changes +1, +2, 0, −2: the zero is dropped, ranks of
// 1, 2, 2 are 1, 2.5, 2.5; R+ = 3.5, R− = 2.5, W = 2.5; a zero and a tie,
// so normal: μ = 3, σ² = (3·4·7 − ½·2·3)/24 = 81/24, z = (2.5 − 3 + 0.5)/σ
// = 0, p = 1.
func TestScoreChange(t *testing.T) {
	s2, _ := survey.ParseDefinition([]byte(wave2Def), "yaml")
	q := s2.Question("agree")
	first := libraries(t, s2, map[string]map[string]any{
		"lib1": {"agree": "1"}, "lib2": {"agree": "1"}, "lib3": {"agree": "2"}, "lib4": {"agree": "3"}, "lib5": {"agree": "2"}, "lib6": {"agree": "3"},
	})
	second := libraries(t, s2, map[string]map[string]any{
		"lib1": {"agree": "2"}, "lib2": {"agree": "3"}, "lib3": {"agree": "2"}, "lib4": {"agree": "1"}, "lib5": {"agree": "dk"},
	})
	w, err := analysis.ScoreChange(q, first, second)
	if err != nil {
		t.Fatal(err)
	}
	if w.N != 4 || w.NonZero != 3 || w.RankPlus != 3.5 || w.RankMinus != 2.5 || w.W != 2.5 || !w.Ties || w.Method != analysis.MethodNormal || float64(w.Z) != 0 || float64(w.P) != 1 {
		t.Errorf("likert change %+v", w)
	}

	// Numbers: 5 libraries, every one grew, sizes of change distinct: exact,
	// W = 0, p = 2/2⁵ = 0.0625.
	first = libraries(t, s2, map[string]map[string]any{"a": {"size": 10.0}, "b": {"size": 20.0}, "c": {"size": 30.0}, "d": {"size": 40.0}, "e": {"size": 50.0}, "f": {}})
	second = libraries(t, s2, map[string]map[string]any{"a": {"size": 11.0}, "b": {"size": 22.0}, "c": {"size": 33.0}, "d": {"size": 44.0}, "e": {"size": 55.0}, "f": {"size": 1.0}})
	w, err = analysis.ScoreChange(s2.Question("size"), first, second)
	if err != nil {
		t.Fatal(err)
	}
	if w.N != 5 || w.W != 0 || w.RankPlus != 15 || w.Method != analysis.MethodExact || float64(w.P) != 0.0625 {
		t.Errorf("number change %+v", w)
	}

	if _, err := analysis.ScoreChange(s2.Question("status"), first, second); survey.ErrorCode(err) != survey.EINVALID {
		t.Errorf("ScoreChange of a choice: %v, want EINVALID", err)
	}
	bad := []analysis.Keyed[survey.Answers]{{Key: "x", Value: survey.Answers{"agree": "7"}}}
	if _, err := analysis.ScoreChange(q, bad, bad); survey.ErrorCode(err) != survey.EINVALID {
		t.Errorf("a code that is not an option: %v, want EINVALID", err)
	}
}
