package survey

import (
	"net/url"
	"slices"
	"strings"
	"testing"
)

func ptr(f float64) *float64 { return &f }

// TestChangeCheckBreaks writes out what each rule asks about; the
// expectations are worked by hand from the rule's words, not from Breaks.
func TestChangeCheckBreaks(t *testing.T) {
	ratio := &ChangeCheck{MaxRatio: ptr(2)}
	diff := &ChangeCheck{MaxDifference: ptr(10)}
	both := &ChangeCheck{MaxRatio: ptr(2), MaxDifference: ptr(10)}
	for _, c := range []struct {
		rule      *ChangeCheck
		prev, cur float64
		want      bool
		why       string
	}{
		{ratio, 100, 200, false, "exactly double keeps to a ratio of 2"},
		{ratio, 100, 201, true, "more than double"},
		{ratio, 100, 50, false, "exactly half"},
		{ratio, 100, 49, true, "less than half"},
		{ratio, 0, 0, false, "unchanged zero"},
		{ratio, 0, 1, true, "from zero breaks any ratio"},
		{ratio, 5, 0, true, "to zero breaks any ratio"},
		{ratio, -10, 10, true, "a change of sign"},
		{ratio, -10, -15, false, "negative values by magnitude"},
		{diff, 100, 110, false, "exactly 10 more"},
		{diff, 100, 111, true, "11 more"},
		{diff, 100, 89, true, "11 less"},
		{both, 2, 5, false, "more than double but only 3 more"},
		{both, 100, 150, false, "50 more but less than double"},
		{both, 100, 250, true, "more than double and 150 more"},
		{both, 0, 11, true, "from zero and 11 more"},
		{both, 0, 10, false, "from zero but only 10 more"},
		{nil, 1, 1e9, false, "no rule"},
		{&ChangeCheck{}, 1, 1e9, false, "an empty rule asks nothing"},
	} {
		if got := c.rule.Breaks(c.prev, c.cur); got != c.want {
			t.Errorf("%s: %g → %g breaks = %v, want %v", c.why, c.prev, c.cur, got, c.want)
		}
	}
}

const seriesDefinition = `
slug: stats-2026
series: stats
wave: "2026"
default_language: en
languages: [en, fr]
title: {en: Statistics}
sections:
  - id: s
    questions:
      - id: budget
        type: number
        label: {en: Budget}
        carry_forward: true
        min: 0
        change_check: {max_ratio: 2}
      - id: services
        type: multi_choice
        label: {en: Services}
        carry_forward: true
        recode: {wifi: internet}
        options:
          - {value: loans, label: {en: Loans}}
          - {value: internet, label: {en: Internet}}
          - {value: other, label: {en: Other}, other: true}
      - id: kind
        type: single_choice
        label: {en: Kind}
        carry_forward: true
        options:
          - {value: public, label: {en: Public}}
      - id: comment
        type: text
        label: {en: Comment}
`

func mustParse(t *testing.T, text string) *Survey {
	t.Helper()
	s, err := ParseDefinition([]byte(text), "yaml")
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestSeriesDefinitionChecks(t *testing.T) {
	s := mustParse(t, seriesDefinition)
	if s.SeriesName() != "stats" || s.Wave != "2026" {
		t.Errorf("series %q wave %q", s.SeriesName(), s.Wave)
	}
	if solo := mustParse(t, strings.Replace(strings.Replace(seriesDefinition, "series: stats\n", "", 1), "wave: \"2026\"\n", "", 1)); solo.SeriesName() != "stats-2026" {
		t.Errorf("a survey naming no series is its own: %q", solo.SeriesName())
	}
	for _, c := range []struct{ from, to, path string }{
		{"series: stats", "series: Stats!", "series"},
		{`wave: "2026"`, `wave: " 2026"`, "wave"},
		{`wave: "2026"`, `wave: "` + strings.Repeat("x", MaxWaveLabel+1) + `"`, "wave"},
		{"change_check: {max_ratio: 2}", "change_check: {max_ratio: 1}", "sections[0].questions[0].change_check.max_ratio"},
		{"change_check: {max_ratio: 2}", "change_check: {max_difference: -3}", "sections[0].questions[0].change_check.max_difference"},
		{"change_check: {max_ratio: 2}", "change_check: {}", "sections[0].questions[0].change_check"},
		{"      - id: comment\n        type: text\n", "      - id: comment\n        type: text\n        change_check: {max_ratio: 2}\n", "sections[0].questions[3]"},
		{"      - id: comment\n", "      - id: budget_change_note\n", "questions.budget_change_note"},
	} {
		_, err := ParseDefinition([]byte(strings.Replace(seriesDefinition, c.from, c.to, 1)), "yaml")
		var paths []string
		for _, f := range ErrorFields(err) {
			paths = append(paths, f.Path)
		}
		if !slices.Contains(paths, c.path) {
			t.Errorf("%q: problems at %v, want one at %s", c.to, paths, c.path)
		}
	}
}

// TestCarriedAnswers: the carry_forward questions' previous answers that
// are still answers (recoded; the other text with its option), nothing of
// the others, nothing that no longer fits.
func TestCarriedAnswers(t *testing.T) {
	s := mustParse(t, seriesDefinition)
	previous := Answers{"budget": 1200.0, "services": []string{"loans", "wifi", "other"}, "services_other": "Makerspace",
		"kind": "academic", "comment": "new roof", "dropped_question": "x"}
	got, _ := MarshalAnswers(s.CarriedAnswers(previous))
	if want := `{"budget":1200,"services":["loans","internet","other"],"services_other":"Makerspace"}`; string(got) != want {
		t.Errorf("carried %s, want %s", got, want)
	}
	if got := s.CarriedAnswers(Answers{"budget": -5.0}); len(got) != 0 {
		t.Errorf("a previous answer under the new minimum is carried: %v", got)
	}
}

func TestChangeNotesAreAnswers(t *testing.T) {
	s := mustParse(t, seriesDefinition)
	form := url.Values{"budget": {"2 500"}, "budget_change_note": {"Merged with the county library."}, "comment_change_note": {"ignored"}}
	a, err := s.CheckAnswers(s.FormAnswers(form), "fr")
	if err != nil {
		t.Fatal(err)
	}
	if a.String("budget_change_note") != "Merged with the county library." || a["comment_change_note"] != nil {
		t.Errorf("answers %v", a)
	}
	if back := s.FormValues(a, "fr"); back.Get("budget_change_note") != "Merged with the county library." {
		t.Errorf("form values %v", back)
	}
	if _, err := s.CheckAnswers(map[string]any{"comment_change_note": "x"}, "en"); err == nil {
		t.Error("an explanation for a question without a change check is taken")
	}
	// An explanation without the answer it explains is dropped.
	if a, err := s.CheckAnswers(map[string]any{"budget_change_note": "x"}, "en"); err != nil || len(a) != 0 {
		t.Errorf("an explanation without a budget: %v, %v", a, err)
	}
	var keys []string
	for _, c := range s.Columns() {
		keys = append(keys, c.Key)
	}
	if !slices.Contains(keys, "budget_change_note") {
		t.Errorf("export columns %v lack the explanation", keys)
	}
	problems := s.CheckChanges(Answers{"budget": 5000.0}, Answers{"budget": 1200.0}, "en")
	if len(problems) != 1 || problems[0].Question != "budget_change_note" || !strings.Contains(problems[0].Message, "1,200; 5,000") {
		t.Errorf("problems %+v", problems)
	}
	explained := Answers{"budget": 5000.0, "budget_change_note": "ok"}
	if p := s.CheckChanges(explained, Answers{"budget": 1200.0}, "en"); len(p) != 0 || explained["budget_change_note"] != "ok" {
		t.Errorf("explained: asked %+v, kept %v", p, explained)
	}
	for name, c := range map[string][2]Answers{
		"nothing to compare with": {{"budget": 5000.0, "budget_change_note": "x"}, nil},
		"within the rule":         {{"budget": 2000.0, "budget_change_note": "x"}, {"budget": 1200.0}},
		"no answer to explain":    {{"budget_change_note": "x"}, {"budget": 1200.0}},
	} {
		if p := s.CheckChanges(c[0], c[1], "en"); len(p) != 0 || c[0]["budget_change_note"] != nil {
			t.Errorf("%s: asked %+v, kept %v (an explanation nobody asked for)", name, p, c[0])
		}
	}
}

func TestWaveOrder(t *testing.T) {
	ws := []*Survey{{Slug: "stats-2026", Series: "stats", Wave: "2026"}, {Slug: "other"}, {Slug: "stats"}, {Slug: "stats-2019", Series: "stats", Wave: "2019"}}
	var got []string
	for _, w := range WavesOf(ws, "stats") {
		got = append(got, w.Slug)
	}
	if want := []string{"stats", "stats-2019", "stats-2026"}; !slices.Equal(got, want) {
		t.Errorf("waves %v, want %v (an unlabelled first survey first)", got, want)
	}
	if b := WaveBefore(ws, ws[0]); b == nil || b.Slug != "stats-2019" {
		t.Errorf("before 2026: %v", b)
	}
	if b := WaveBefore(ws, ws[2]); b != nil {
		t.Errorf("before the first: %v", b)
	}
}
