package feedback_test

import (
	"encoding/json"
	"maps"
	"slices"
	"testing"

	"github.com/metlib/canvass/feedback"
	"github.com/metlib/canvass/survey"
)

// One library alone in choosing a method, and alone with a population far
// above every other: no other library's report may show either, and the
// attack must not recover the one library's choice.
func TestALibrarysUniqueAnswerIsNeverRecoverable(t *testing.T) {
	sv := builtinSurvey(t, "impact-methods")
	all := respondents(t, sv, 300, 21)
	const lone, method, huge = 7, "sroi", 987654321.0
	for i := range all {
		a := maps.Clone(all[i].Answers)
		used := slices.DeleteFunc(slices.Clone(a.Strings("methods_used")), func(v string) bool { return v == method })
		if i == lone {
			used = append(used, method)
			a["population_served"] = huge
			all[i].Population = huge
			a["measurement_status"] = "systematic"
			freq := map[string]string{}
			maps.Copy(freq, a.Rows("method_frequency"))
			for _, row := range sv.Question("method_frequency").Rows {
				if slices.Contains(used, row.ID) && freq[row.ID] == "" {
					freq[row.ID] = "annual"
				}
			}
			a["method_frequency"] = freq
		}
		if len(used) > 0 {
			a["methods_used"] = used
		}
		all[i].Answers = a
	}
	js, err := survey.MarshalAnswers(all[lone].Answers)
	if err != nil {
		t.Fatal(err)
	}
	var raw map[string]any
	if err := json.Unmarshal(js, &raw); err != nil {
		t.Fatal(err)
	}
	if _, err := sv.CheckAnswers(raw, "en"); err != nil {
		t.Fatalf("the lone library's answers do not pass the survey's checks: %+v", err.(*survey.Error).Fields)
	}
	label := sv.Question("methods_used").Option(method).Label["en"]
	for i := range all {
		if i == lone {
			continue
		}
		rep := buildFor(t, sv, all, i, "en")
		for _, sec := range rep.Sections {
			for _, it := range sec.Items {
				for _, row := range it.Rows {
					if it.Question == "methods_used" && row.Label == label {
						for c, s := range row.Shares {
							if s.Count != 0 {
								t.Errorf("report of %d shows %s chosen by %d in %s", i, method, s.Count, rep.Groups[c].Label)
							}
						}
					}
				}
				if it.Number == nil {
					continue
				}
				for _, f := range it.Number.Groups {
					if f.Q1 == huge || f.Median == huge || f.Q3 == huge || (it.Question == "population_served" && f.Q3 > 1e8) {
						t.Errorf("report of %d: %s figure %+v shows the lone population", i, it.Question, f)
					}
				}
			}
		}
		if i%25 == 0 {
			w := newWorld(t, sv, all, all[i], rep)
			recompute(t, w, rep)
			for _, f := range attackReport(w, rep) {
				t.Errorf("report of %d: %s", i, f)
			}
		}
	}
}

// The library's own report marks its own answers.
func TestTheLibrarysOwnAnswerIsMarked(t *testing.T) {
	sv := builtinSurvey(t, "impact-methods")
	all := respondents(t, sv, 60, 8)
	rep := buildFor(t, sv, all, 0, "en")
	q := sv.Question("methods_used")
	mine := all[0].Answers.Strings("methods_used")
	for _, sec := range rep.Sections {
		for _, it := range sec.Items {
			if it.Question != "methods_used" || it.Kind != feedback.KindMulti {
				continue
			}
			for o, opt := range q.Options {
				if got, want := it.Rows[o].Yours, slices.Contains(mine, string(opt.Value)); got != want {
					t.Errorf("%s: got yours %v, want %v", opt.Value, got, want)
				}
			}
			return
		}
	}
	t.Fatal("no methods_used item")
}
