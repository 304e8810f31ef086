package survey_test

import (
	"reflect"
	"testing"

	"github.com/metlib/canvass/survey"
)

// benchmarkBase is a valid survey with a number of each kind the
// benchmark block refers to; each case appends its own block.
const benchmarkBase = `
slug: bench
default_language: en
languages: [en, fr]
title: {en: Bench}
sections:
  - id: s1
    questions:
      - id: pop
        type: number
        label: {en: Population}
      - id: visits
        type: number
        label: {en: Visits}
      - id: kind
        type: single_choice
        label: {en: Kind}
        options: [{value: a, label: {en: A}}, {value: b, label: {en: B}}]
      - id: methods
        type: multi_choice
        label: {en: Methods}
        option_groups: {inferred: {en: Inferred}, observed: {en: Observed}}
        options: [{value: m1, group: inferred, label: {en: M1}}, {value: m2, group: observed, label: {en: M2}}, {value: m3, label: {en: M3}}]
`

func TestBenchmarkBlockValidates(t *testing.T) {
	const good = benchmarkBase + `benchmark:
  groups: [region, type, population, member]
  population_bands: [400000, 1000000]
  population: pop
  indicators:
    - {id: visits_per_capita, label: {en: Visits per inhabitant, fr: Visites par habitant}, numerator: visits, denominator: population, unit: {en: per inhabitant}}
    - {id: visits_per_1000, label: {en: Visits per 1000}, numerator: visits, denominator: pop, per: 1000}
  maturity: {question: methods, families: [inferred, observed]}
  exclude: [kind]
`
	s, err := survey.ParseDefinition([]byte(good), "yaml")
	if err != nil {
		t.Fatalf("%v %v", err, survey.ErrorFields(err))
	}
	b := s.Benchmark
	if b == nil || len(b.Groups) != 4 || b.Population != "pop" || len(b.Indicators) != 2 || b.Indicators[1].Multiplier() != 1000 || b.Indicators[0].Multiplier() != 1 {
		t.Fatalf("decoded %+v", b)
	}
	if b.Compared(s.Question("kind")) || !b.Compared(s.Question("methods")) || !b.Has("member") {
		t.Error("exclude or groups not read")
	}
	// The block survives the definition's YAML export (the edit page's).
	y, err := survey.DefinitionYAML(s)
	if err != nil {
		t.Fatal(err)
	}
	back, err := survey.ParseDefinition(y, "yaml")
	if err != nil {
		t.Fatalf("%v %v", err, survey.ErrorFields(err))
	}
	if !reflect.DeepEqual(back.Benchmark, s.Benchmark) {
		t.Errorf("round trip: got %+v, want %+v", back.Benchmark, s.Benchmark)
	}
	// No block: every comparable question is compared, no group listed.
	plain, err := survey.ParseDefinition([]byte(benchmarkBase), "yaml")
	if err != nil {
		t.Fatal(err)
	}
	if plain.Benchmark != nil || !plain.Benchmark.Compared(plain.Question("kind")) || plain.Benchmark.Has("region") {
		t.Error("a survey without a block: want everything compared, no group")
	}
}

func TestBenchmarkBlockErrors(t *testing.T) {
	cases := []struct{ name, block, wantPath, wantMessage string }{
		{"unknown group", "groups: [city]", "benchmark.groups[0]", `must be region, type, population or member, got "city"`},
		{"all listed", "groups: [all]", "benchmark.groups[0]", "always compared"},
		{"group twice", "groups: [region, region]", "benchmark.groups[1]", "listed twice"},
		{"population without bands", "groups: [population]", "benchmark.population_bands", "needs population_bands"},
		{"bands not increasing", "population_bands: [1000, 1000]", "benchmark.population_bands[1]", "must increase"},
		{"band not positive", "population_bands: [0, 10]", "benchmark.population_bands[0]", "whole numbers from 1 to 10000000000 (population served), got 0"},
		{"band not whole", "population_bands: [10, 1500.5]", "benchmark.population_bands[1]", "got 1500.5"},
		{"band too large", "population_bands: [10, 1e11]", "benchmark.population_bands[1]", "got 100000000000"},
		{"band tiny", "population_bands: [0.000001]", "benchmark.population_bands[0]", "got 0.000001"},
		{"bands not increasing in full", "population_bands: [2e7, 1e7]", "benchmark.population_bands[1]", "must increase: 10000000 after 20000000"},
		{"too many bands", "population_bands: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21]", "benchmark.population_bands", "at most 20 population band edges, got 21"},
		{"population unknown", "population: nope", "benchmark.population", `unknown question "nope"`},
		{"population not a number", "population: kind", "benchmark.population", "number question is needed"},
		{"indicator id clashes", "indicators: [{id: visits, label: {en: V}, numerator: visits, denominator: pop}]", "benchmark.indicators[0].id", "is a question's id"},
		{"indicator id twice", "indicators: [{id: v1, label: {en: V}, numerator: visits, denominator: pop}, {id: v1, label: {en: W}, numerator: visits, denominator: pop}]", "benchmark.indicators[1].id", "duplicate indicator id"},
		{"indicator bad id", "indicators: [{id: V-1, label: {en: V}, numerator: visits, denominator: pop}]", "benchmark.indicators[0].id", "must start with a lowercase letter"},
		{"indicator label missing", "indicators: [{id: v1, label: {fr: V}, numerator: visits, denominator: pop}]", "benchmark.indicators[0].label", "default language"},
		{"numerator not a number", "indicators: [{id: v1, label: {en: V}, numerator: kind, denominator: pop}]", "benchmark.indicators[0].numerator", "number question is needed"},
		{"denominator unknown", "indicators: [{id: v1, label: {en: V}, numerator: visits, denominator: people}]", "benchmark.indicators[0].denominator", `unknown question "people"`},
		{"numerator missing", "indicators: [{id: v1, label: {en: V}, denominator: pop}]", "benchmark.indicators[0].numerator", "is required"},
		{"per negative", "indicators: [{id: v1, label: {en: V}, numerator: visits, denominator: pop, per: -1}]", "benchmark.indicators[0].per", "positive"},
		{"maturity not multi", "maturity: {question: kind, families: [inferred]}", "benchmark.maturity.question", "needs a multi_choice question"},
		{"maturity unknown family", "maturity: {question: methods, families: [solicited]}", "benchmark.maturity.families[0]", `no option of "methods" has the group "solicited"`},
		{"maturity no family", "maturity: {question: methods, families: []}", "benchmark.maturity.families", "at least one family"},
		{"exclude unknown", "exclude: [nope]", "benchmark.exclude[0]", `unknown question "nope"`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := survey.ParseDefinition([]byte(benchmarkBase+"benchmark:\n  "+tc.block+"\n"), "yaml")
			if code := survey.ErrorCode(err); code != survey.EINVALID {
				t.Fatalf("code %q (%v), want %q", code, err, survey.EINVALID)
			}
			assertProblem(t, err, tc.wantPath, tc.wantMessage)
		})
	}
}

// The limits themselves are accepted: 20 edges, the last 10,000,000,000.
func TestBenchmarkBandLimits(t *testing.T) {
	block := "population_bands: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 10000000000]"
	s, err := survey.ParseDefinition([]byte(benchmarkBase+"benchmark:\n  "+block+"\n"), "yaml")
	if err != nil {
		t.Fatalf("%v %v", err, survey.ErrorFields(err))
	}
	if got := s.Benchmark.PopulationBands; len(got) != survey.MaxPopulationBands || got[19] != 1e10 {
		t.Errorf("bands %v", got)
	}
}
