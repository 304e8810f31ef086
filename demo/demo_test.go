package demo_test

import (
	"testing"
	"time"

	"github.com/metlib/canvass/demo"
	"github.com/metlib/canvass/survey"
	"github.com/metlib/canvass/survey/builtin"
)

func TestDemoResponsesAreValidAndRealistic(t *testing.T) {
	surveys, err := builtin.Surveys()
	if err != nil {
		t.Fatal(err)
	}
	until := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	for _, s := range surveys {
		rs := demo.Responses(s, 400, 7, until)
		if len(rs) != 400 {
			t.Fatalf("%s: %d responses", s.Slug, len(rs))
		}
		regions := map[survey.Region]int{}
		for _, r := range rs {
			if _, err := s.CheckAnswers(toRaw(r.Answers), r.Language); err != nil {
				t.Fatalf("%s: a demo response does not validate: %+v", s.Slug, survey.ErrorFields(err))
			}
			if r.CreatedAt.After(until) || r.CreatedAt.Before(until.AddDate(0, 0, -61)) {
				t.Errorf("created %v", r.CreatedAt)
			}
			regions[r.Region]++
		}
		if len(regions) != 6 || regions[survey.Europe] < regions[survey.MiddleEastNorthAfrica] {
			t.Errorf("%s: region mix %v", s.Slug, regions)
		}
	}
	// The same seed gives the same data.
	a, b := demo.Responses(surveys[1], 5, 42, until), demo.Responses(surveys[1], 5, 42, until)
	for i := range a {
		if a[i].SubmissionID != b[i].SubmissionID || !a[i].Answers.Equal(b[i].Answers) {
			t.Fatal("demo data is not reproducible from its seed")
		}
	}
}

// toRaw turns stored answers back into raw input, as a client would send them.
func toRaw(a survey.Answers) map[string]any {
	raw := map[string]any{}
	for k, v := range a {
		switch x := v.(type) {
		case []string:
			list := make([]any, len(x))
			for i, s := range x {
				list[i] = s
			}
			raw[k] = list
		case map[string]string:
			m := map[string]any{}
			for r, s := range x {
				m[r] = s
			}
			raw[k] = m
		default:
			raw[k] = v
		}
	}
	return raw
}
