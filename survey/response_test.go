package survey_test

import (
	"errors"
	"testing"
	"time"

	"github.com/metlib/canvass/survey"
)

func TestResponseFilterMatch(t *testing.T) {
	day := func(d int) time.Time { return time.Date(2026, 4, d, 12, 0, 0, 0, time.UTC) }
	at := func(d int) *time.Time { v := day(d); return &v }
	// Saved as a draft on 31 March (day 0 of April), submitted on 2 April.
	late := &survey.Response{SurveySlug: "s", Status: survey.ResponseSubmitted, Region: survey.Europe, Language: "fr",
		CreatedAt: day(0), SubmittedAt: at(2), Answers: survey.Answers{"status": "a", "methods": []string{"m1", "m3"}, "size": 40.0}}
	draft := &survey.Response{SurveySlug: "s", Status: survey.ResponseDraft, CreatedAt: day(5)}
	for _, tc := range []struct {
		name  string
		f     survey.ResponseFilter
		r     *survey.Response
		match bool
	}{
		{"empty filter", survey.ResponseFilter{}, late, true},
		{"other survey", survey.ResponseFilter{SurveySlug: "t"}, late, false},
		{"status", survey.ResponseFilter{Status: survey.ResponseDraft}, late, false},
		{"region", survey.ResponseFilter{Region: survey.Europe}, late, true},
		{"other region", survey.ResponseFilter{Region: survey.SubSaharanAfrica}, late, false},
		{"language", survey.ResponseFilter{Language: "en"}, late, false},
		// Times are submission times: created in March, submitted in April.
		{"from after creation, before submission", survey.ResponseFilter{From: at(1)}, late, true},
		{"to before submission", survey.ResponseFilter{To: at(1)}, late, false},
		{"from is inclusive", survey.ResponseFilter{From: at(2)}, late, true},
		{"to is exclusive", survey.ResponseFilter{To: at(2)}, late, false},
		{"draft placed by creation", survey.ResponseFilter{From: at(4), To: at(6)}, draft, true},
		{"draft outside", survey.ResponseFilter{To: at(5)}, draft, false},
		{"single answer", survey.ResponseFilter{Answers: map[string]string{"status": "a"}}, late, true},
		{"single answer differs", survey.ResponseFilter{Answers: map[string]string{"status": "b"}}, late, false},
		{"list contains", survey.ResponseFilter{Answers: map[string]string{"methods": "m3"}}, late, true},
		{"list lacks", survey.ResponseFilter{Answers: map[string]string{"methods": "m2"}}, late, false},
		{"number", survey.ResponseFilter{Answers: map[string]string{"size": "40"}}, late, true},
		{"unanswered", survey.ResponseFilter{Answers: map[string]string{"other": "x"}}, late, false},
		{"every condition", survey.ResponseFilter{Answers: map[string]string{"status": "a", "methods": "m2"}}, late, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.f.Match(tc.r); got != tc.match {
				t.Errorf("got %v, want %v", got, tc.match)
			}
		})
	}
}

func TestResponseFilterSelect(t *testing.T) {
	rs := []*survey.Response{
		{ID: "1", Region: survey.Europe}, {ID: "2", Region: survey.AsiaOceania}, {ID: "3", Region: survey.Europe},
	}
	var got []string
	for r, err := range (survey.ResponseFilter{Region: survey.Europe}).Select(survey.ResponsesOf(rs)) {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, r.ID)
	}
	if len(got) != 2 || got[0] != "1" || got[1] != "3" {
		t.Errorf("got %v, want [1 3]", got)
	}
	boom := errors.New("cursor lost")
	failing := func(yield func(*survey.Response, error) bool) {
		if yield(rs[0], nil) {
			yield(nil, boom)
		}
	}
	var errs []error
	for _, err := range (survey.ResponseFilter{}).Select(failing) {
		errs = append(errs, err)
	}
	if len(errs) != 2 || errs[0] != nil || !errors.Is(errs[1], boom) {
		t.Errorf("errors %v, want [nil %v]", errs, boom)
	}
}
