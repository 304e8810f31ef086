package survey_test

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/metlib/canvass/survey"
)

const recodeDef = `
slug: rc
version: 2
default_language: en
languages: [en]
title: {en: Recode}
sections:
  - id: s
    questions:
      - id: one
        type: single_choice
        label: {en: One}
        options: [{value: a, label: {en: A}}, {value: b, label: {en: B}}]
        recode: {old: a}
      - id: rank
        type: ranking
        label: {en: Rank}
        options: [{value: p, label: {en: P}}, {value: q, label: {en: Q}}, {value: r, label: {en: R}}]
        recode: {gone: q}
      - id: grid
        type: matrix
        label: {en: Grid}
        rows: [{id: r1, label: {en: R1}}, {id: r2, label: {en: R2}}]
        options: [{value: lo, label: {en: Low}}, {value: hi, label: {en: High}}]
        recode: {mid: hi}
      - id: note
        type: text
        label: {en: Note}
`

func TestRecode(t *testing.T) {
	sv, err := survey.ParseDefinition([]byte(recodeDef), "yaml")
	if err != nil {
		t.Fatal(err)
	}
	old := survey.Answers{"one": "old", "rank": []string{"gone", "p", "q"}, "grid": map[string]string{"r1": "mid", "r2": "lo"}, "note": "old"}
	want := survey.Answers{"one": "a", "rank": []string{"q", "p"}, "grid": map[string]string{"r1": "hi", "r2": "lo"}, "note": "old"}
	if got := sv.RecodeAnswers(old); !reflect.DeepEqual(got, want) {
		t.Errorf("recoded %v, want %v", got, want)
	}
	if old["one"] != "old" {
		t.Error("the answers recoded were changed in place")
	}
	r := &survey.Response{ID: "x", Answers: old}
	for got, err := range sv.RecodeResponses(survey.ResponsesOf([]*survey.Response{r})) {
		if err != nil || !reflect.DeepEqual(got.Answers, want) || got == r {
			t.Errorf("streamed %v (%v), want a recoded copy", got.Answers, err)
		}
	}
	if got := sv.UnmappedOptions(old); len(got) != 0 {
		t.Errorf("recoded values reported unmapped: %v", got)
	}
	stray := survey.Answers{"one": "zzz", "rank": []string{"p", "w", "w"}, "grid": map[string]string{"r2": "v"}, "note": "zzz"}
	wantStray := []survey.OptionUse{{Question: "one", Value: "zzz"}, {Question: "rank", Value: "w"}, {Question: "grid", Value: "v"}}
	if got := sv.UnmappedOptions(stray); !reflect.DeepEqual(got, wantStray) {
		t.Errorf("unmapped %v, want %v", got, wantStray)
	}
}

func TestRecodeValidation(t *testing.T) {
	for _, tc := range []struct{ name, recode, path string }{
		{"to a value that is not an option", "recode: {old: c}", "sections[0].questions[0].recode.old"},
		{"from a value that is still an option", "recode: {b: a}", "sections[0].questions[0].recode.b"},
		{"from an impossible value", "recode: {\"no way\": a}", "sections[0].questions[0].recode.no way"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			def := strings.Replace(recodeDef, "recode: {old: a}", tc.recode, 1)
			_, err := survey.ParseDefinition([]byte(def), "yaml")
			fields := survey.ErrorFields(err)
			if len(fields) != 1 || fields[0].Path != tc.path {
				t.Errorf("%v: fields %+v, want one at %s", err, fields, tc.path)
			}
		})
	}
	def := strings.Replace(recodeDef, "        recode: {old: a}\n", "", 1)
	def = strings.Replace(def, "label: {en: Note}", "label: {en: Note}\n        recode: {a: b}", 1)
	if _, err := survey.ParseDefinition([]byte(def), "yaml"); !strings.Contains(survey.ErrorFields(err)[0].Message, "does not apply to text") {
		t.Errorf("recode on a text question: %v", err)
	}
}

// TestRecodeThroughTheWaves: wifi (2024) became internet (2025's recode),
// then online (2026's, which no longer mentions wifi): a 2024 answer reads
// as online through the waves after it, a 2025 answer through 2025's and
// 2026's, and an option no wave recoded stays as it is.
func TestRecodeThroughTheWaves(t *testing.T) {
	wave := func(slug, options, recode string) *survey.Survey {
		t.Helper()
		def := "slug: " + slug + "\nseries: s\ntitle: {en: S}\nlanguages: [en]\ndefault_language: en\nsections:\n  - id: a\n    questions:\n      - id: services\n        type: multi_choice\n        label: {en: Services}\n" + recode + "        options:\n" + options
		sv, err := survey.ParseDefinition([]byte(def), "yaml")
		if err != nil {
			t.Fatal(err)
		}
		return sv
	}
	w24 := wave("s-2024", "          - {value: wifi, label: {en: Wi-Fi}}\n          - {value: loans, label: {en: Loans}}\n", "")
	w25 := wave("s-2025", "          - {value: internet, label: {en: Internet}}\n          - {value: loans, label: {en: Loans}}\n", "        recode: {wifi: internet}\n")
	w26 := wave("s-2026", "          - {value: online, label: {en: Online}}\n          - {value: loans, label: {en: Loans}}\n", "        recode: {internet: online}\n")
	waves := []*survey.Survey{w24, w25, w26}
	for _, c := range []struct {
		from     int
		code, to survey.Code
	}{{0, "wifi", "online"}, {1, "internet", "online"}, {0, "loans", "loans"}, {2, "online", "online"}} {
		if got := survey.RecodeCodeThrough(waves[c.from:], "services", c.code); got != c.to {
			t.Errorf("%s from wave %d: %s, want %s", c.code, c.from, got, c.to)
		}
	}
	rs := survey.ResponsesOf([]*survey.Response{{Answers: survey.Answers{"services": []string{"wifi", "loans"}}}})
	for r, err := range survey.RecodeThrough(waves, rs) {
		if err != nil || !slices.Equal(r.Answers["services"].([]string), []string{"online", "loans"}) {
			t.Errorf("a 2024 response read through the waves: %v %v", r.Answers, err)
		}
	}
}
