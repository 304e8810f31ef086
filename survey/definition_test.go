package survey_test

import (
	"os"
	"strings"
	"testing"

	"github.com/metlib/canvass/survey"
)

func loadFixture(t testing.TB, name string) *survey.Survey {
	t.Helper()
	data, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	s, err := survey.ParseDefinition(data, "")
	if err != nil {
		t.Fatalf("parse %s: %v %v", name, err, survey.ErrorFields(err))
	}
	return s
}

// minimal is a valid definition that each Validate case breaks in one way.
const minimal = `
slug: mini
default_language: en
languages: [en, fr]
title: {en: Mini}
sections:
  - id: s1
    questions:
      - id: q1
        type: single_choice
        label: {en: Q1}
        options: [{value: a, label: {en: A}}, {value: b, label: {en: B}}]
      - id: q2
        type: number
        label: {en: Q2}
`

func TestParseDefinitionAcceptsYAMLAndJSON(t *testing.T) {
	fromYAML, err := survey.ParseDefinition([]byte(minimal), "yaml")
	if err != nil {
		t.Fatal(err)
	}
	const asJSON = `{"slug":"mini","default_language":"en","languages":["en","fr"],"title":{"en":"Mini"},
	  "sections":[{"id":"s1","questions":[
	    {"id":"q1","type":"single_choice","label":{"en":"Q1"},"options":[{"value":"a","label":{"en":"A"}},{"value":"b","label":{"en":"B"}}]},
	    {"id":"q2","type":"number","label":{"en":"Q2"}}]}]}`
	fromJSON, err := survey.ParseDefinition([]byte(asJSON), "")
	if err != nil {
		t.Fatal(err)
	}
	if fromYAML.Slug != fromJSON.Slug || len(fromYAML.Questions()) != len(fromJSON.Questions()) ||
		fromYAML.Questions()[0].Options[1].Value != fromJSON.Questions()[0].Options[1].Value {
		t.Errorf("YAML and JSON decode differently: %+v vs %+v", fromYAML, fromJSON)
	}
	if fromYAML.Version != 1 {
		t.Errorf("version defaults to %d, want 1", fromYAML.Version)
	}
}

func TestParseDefinitionStrictDecoding(t *testing.T) {
	cases := []struct {
		name, doc, wantPath, wantMessage string
	}{
		{"unknown top-level key", minimal + "colour: red\n", "colour", `unknown field "colour"`},
		{"unknown nested key", strings.Replace(minimal, "label: {en: Q2}", "label: {en: Q2}\n        hint: x", 1), "sections[0].questions[1].hint", "unknown field"},
		{"options not a list", strings.Replace(minimal, "options: [{value: a, label: {en: A}}, {value: b, label: {en: B}}]", "options: a", 1), "sections[0].questions[0].options", "expected a list"},
		{"required not a bool", strings.Replace(minimal, "type: number", "type: number\n        required: yes please", 1), "sections[0].questions[1].required", "expected true or false"},
		{"label not a map", strings.Replace(minimal, "label: {en: Q2}", "label: Q2", 1), "sections[0].questions[1].label", "expected a map"},
		{"min not a number", strings.Replace(minimal, "type: number", "type: number\n        min: lots", 1), "sections[0].questions[1].min", "expected a number"},
		{"code is a fraction", strings.Replace(minimal, "value: a,", "value: 1.5,", 1), "sections[0].questions[0].options[0].value", "expected a code"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := survey.ParseDefinition([]byte(tc.doc), "yaml")
			if code := survey.ErrorCode(err); code != survey.EINVALID {
				t.Fatalf("code %q (%v), want %q", code, err, survey.EINVALID)
			}
			assertProblem(t, err, tc.wantPath, tc.wantMessage)
		})
	}
}

func TestParseDefinitionMalformed(t *testing.T) {
	for name, doc := range map[string]string{
		"bad yaml":      "slug: [unclosed",
		"bad json":      `{"slug": "x",}`,
		"trailing json": `{"slug": "x"} {}`,
		"not an object": "- a\n- b\n",
	} {
		t.Run(name, func(t *testing.T) {
			_, err := survey.ParseDefinition([]byte(doc), "")
			if code := survey.ErrorCode(err); code != survey.EMALFORMED {
				t.Errorf("code %q (%v), want %q", code, err, survey.EMALFORMED)
			}
		})
	}
}

func TestValidateReportsEveryProblem(t *testing.T) {
	cases := []struct {
		name, old, new, wantPath, wantMessage string
	}{
		{"bad slug", "slug: mini", "slug: Mini Survey", "slug", "slug must be"},
		{"reserved slug", "slug: mini", "slug: libraries", "slug", "is reserved"},
		{"default language not listed", "languages: [en, fr]", "languages: [fr]", "languages", "must include the default language"},
		{"title missing in default language", "title: {en: Mini}", "title: {fr: Mini}", "title", `default language "en"`},
		{"label in unknown language", "label: {en: Q2}", "label: {en: Q2, de: F2}", "sections[0].questions[1].label.de", `language "de" is not one`},
		{"duplicate question id", "id: q2", "id: q1", "sections[0].questions[1].id", `duplicate question id "q1"`},
		{"bad question id", "id: q2", "id: Q-2", "sections[0].questions[1].id", "question id must start"},
		{"unknown type", "type: number", "type: slider", "sections[0].questions[1].type", `unknown question type "slider"`},
		{"empty options", "options: [{value: a, label: {en: A}}, {value: b, label: {en: B}}]", "options: []", "sections[0].questions[0].options", "needs at least one option"},
		{"duplicate option", "{value: b, label: {en: B}}", "{value: a, label: {en: B}}", "sections[0].questions[0].options[1].value", `duplicate option value "a"`},
		{"option label missing", "{value: b, label: {en: B}}", "{value: b, label: {fr: B}}", "sections[0].questions[0].options[1].label", "default language"},
		{"min greater than max", "type: number", "type: number\n        min: 10\n        max: 5", "sections[0].questions[1].min", "min (10) is greater than max (5)"},
		{"rule that does not apply", "type: number", "type: number\n        max_length: 5", "sections[0].questions[1]", "max_length does not apply to number"},
		{"invalid regex", "type: number", "type: text\n        pattern: '[a-'", "sections[0].questions[1].pattern", "invalid regular expression"},
		{"show_if unknown question", "type: number", "type: number\n        show_if: {question: nope, equals: a}", "sections[0].questions[1].show_if.question", `unknown question "nope"`},
		{"show_if later question", "type: single_choice", "type: single_choice\n        show_if: {question: q2, equals: 1}", "sections[0].questions[0].show_if.question", "earlier question"},
		{"show_if itself", "type: number", "type: number\n        show_if: {question: q2, equals: 1}", "sections[0].questions[1].show_if.question", "earlier question"},
		{"show_if bad option", "type: number", "type: number\n        show_if: {question: q1, any_of: [a, zz]}", "sections[0].questions[1].show_if", `"zz" is not an option`},
		{"show_if two forms", "type: number", "type: number\n        show_if: {question: q1, equals: a, not: {question: q1, equals: b}}", "sections[0].questions[1].show_if", "exactly one of"},
		{"show_if no test", "type: number", "type: number\n        show_if: {question: q1}", "sections[0].questions[1].show_if", "exactly one of equals or any_of"},
		{"min_selected above max", "type: number", "type: multi_choice\n        min_selected: 3\n        max_selected: 1\n        options: [{value: a, label: {en: A}}]", "sections[0].questions[1].min_selected", "greater than max_selected"},
		{"likert value not a number", "type: number", "type: likert\n        options: [{value: agree, label: {en: A}}]", "sections[0].questions[1].options[0].value", "whole numbers"},
		{"matrix without rows", "type: number", "type: matrix\n        options: [{value: a, label: {en: A}}]", "sections[0].questions[1].rows", "needs at least one row"},
		{"other on likert", "type: number", "type: likert\n        options: [{value: 1, other: true, label: {en: A}}]", "sections[0].questions[1].options[0].other", "only for single_choice"},
		{"no sections", "sections:", "sections: []\nx_sections:", "sections", "at least one section"},
		{"option group without a label", "type: number", "type: multi_choice\n        option_groups: {g1: {en: G1}}\n        options: [{value: a, group: g1, label: {en: A}}, {value: b, group: g2, label: {en: B}}]", "sections[0].questions[1].options[1].group", `group "g2" has no label`},
		{"option group label unused", "type: number", "type: multi_choice\n        option_groups: {g1: {en: G1}, g3: {en: G3}}\n        options: [{value: a, group: g1, label: {en: A}}]", "sections[0].questions[1].option_groups.g3", `no option is in group "g3"`},
		{"option group label not in default language", "type: number", "type: multi_choice\n        option_groups: {g1: {fr: G1}}\n        options: [{value: a, group: g1, label: {en: A}}]", "sections[0].questions[1].option_groups.g1", "default language"},
		{"option groups without options", "type: number", "type: number\n        option_groups: {g1: {en: G1}}", "sections[0].questions[1]", "option_groups does not apply to number"},
		{"missing ranking option", "type: number", "type: ranking\n        options: [{value: a, label: {en: A}}, {value: b, missing: true, label: {en: B}}]", "sections[0].questions[1].options[1].missing", "does not apply to ranking"},
		{"missing other option", "type: number", "type: multi_choice\n        options: [{value: a, label: {en: A}}, {value: b, other: true, missing: true, label: {en: B}}]", "sections[0].questions[1].options[1].missing", "cannot be missing"},
		{"likert of missing options only", "type: number", "type: likert\n        options: [{value: dk, missing: true, label: {en: DK}}]", "sections[0].questions[1].options", "at least one option that is not missing"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			doc := strings.Replace(minimal, tc.old, tc.new, 1)
			if doc == minimal {
				t.Fatalf("replacement %q did not apply", tc.old)
			}
			if tc.name == "no sections" {
				doc = minimal[:strings.Index(minimal, "sections:")] + "sections: []\n"
			}
			_, err := survey.ParseDefinition([]byte(doc), "yaml")
			if code := survey.ErrorCode(err); code != survey.EINVALID {
				t.Fatalf("code %q (%v), want %q", code, err, survey.EINVALID)
			}
			assertProblem(t, err, tc.wantPath, tc.wantMessage)
		})
	}
	t.Run("all problems at once", func(t *testing.T) {
		doc := strings.NewReplacer("slug: mini", "slug: BAD", "id: q2", "id: q1", "title: {en: Mini}", "title: {fr: Mini}").Replace(minimal)
		_, err := survey.ParseDefinition([]byte(doc), "yaml")
		if n := len(survey.ErrorFields(err)); n != 3 {
			t.Errorf("got %d problems, want 3: %v", n, survey.ErrorFields(err))
		}
	})
}

// TestValidateAcceptsMissingAndGroupLabels: a likert "Don't know" needs no
// number, and labelled groups read back by GroupLabel.
func TestValidateAcceptsMissingAndGroupLabels(t *testing.T) {
	doc := strings.Replace(minimal, "type: number", `type: likert
        option_groups: {low: {en: Low end, fr: Bas}}
        options: [{value: 1, group: low, label: {en: "1"}}, {value: 2, label: {en: "2"}}, {value: dk, missing: true, label: {en: "Don't know"}}]`, 1)
	s, err := survey.ParseDefinition([]byte(doc), "yaml")
	if err != nil {
		t.Fatalf("%v %v", err, survey.ErrorFields(err))
	}
	q := s.Question("q2")
	if !q.Options[2].Missing || q.GroupLabel("low").In("fr", "en") != "Bas" || q.GroupLabel("nope").In("fr", "en") != "nope" {
		t.Errorf("missing %v, labels %q %q", q.Options[2].Missing, q.GroupLabel("low").In("fr", "en"), q.GroupLabel("nope").In("fr", "en"))
	}
}

func assertProblem(t *testing.T, err error, path, message string) {
	t.Helper()
	for _, f := range survey.ErrorFields(err) {
		if f.Path == path && strings.Contains(f.Message, message) {
			return
		}
	}
	t.Errorf("no problem at %q containing %q; got %+v", path, message, survey.ErrorFields(err))
}

func TestTextFallback(t *testing.T) {
	text := survey.Text{"en": "Hello", "fr": "Bonjour", "de": ""}
	for _, tc := range []struct{ lang, fallback, want string }{
		{"fr", "en", "Bonjour"},
		{"es", "en", "Hello"},
		{"de", "fr", "Bonjour"},
		{"es", "pt", "Hello"},
	} {
		if got := text.In(tc.lang, tc.fallback); got != tc.want {
			t.Errorf("In(%q, %q) = %q, want %q", tc.lang, tc.fallback, got, tc.want)
		}
	}
	if got := (survey.Text{}).In("en", "en"); got != "" {
		t.Errorf("empty text gave %q", got)
	}
}
