package survey_test

import (
	"strings"
	"testing"

	"github.com/metlib/canvass/survey"
	"github.com/metlib/canvass/survey/builtin"
)

func TestDefinitionYAMLRoundTrips(t *testing.T) {
	surveys, err := builtin.Surveys()
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range surveys {
		s.Status = survey.StatusOpen
		out, err := survey.DefinitionYAML(s)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(string(out), "slug: "+s.Slug+"\nversion: 1\n") || strings.Contains(string(out), "status:") {
			t.Errorf("%s: YAML starts %q", s.Slug, string(out[:60]))
		}
		back, err := survey.ParseDefinition(out, "yaml")
		if err != nil {
			t.Fatalf("%s: re-parse: %v %+v", s.Slug, err, survey.ErrorFields(err))
		}
		again, _ := survey.DefinitionYAML(back)
		if string(again) != string(out) {
			t.Errorf("%s: YAML changed on a round trip", s.Slug)
		}
		if len(back.Questions()) != len(s.Questions()) || back.Question("results_change_decisions") != nil && back.Question("results_change_decisions").Options[0].Value != "1" {
			t.Errorf("%s: questions differ after a round trip", s.Slug)
		}
	}
}
