package feedback_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/metlib/canvass/feedback"
	"github.com/metlib/canvass/survey"
)

// A library asked a question that gave no answer: its row is "No answer"
// (marked as its own), and a multiple choice compares no number of options
// chosen (there is none of its own to compare); a library placed in its
// population group by the directory's figure is told so.
func TestTheLibrarysOwnNoAnswer(t *testing.T) {
	sv := builtinSurvey(t, "impact-methods")
	all := respondents(t, sv, 300, 17)
	self := all[0]
	self.Answers = survey.Answers{}
	for k, v := range all[0].Answers {
		self.Answers[k] = v
	}
	delete(self.Answers, "purposes")           // multi_choice, asked of everyone
	delete(self.Answers, "measurement_status") // single_choice
	self.Answers["population_served"] = float64(2500000)
	self.Population = 1146000 // the directory's
	all[0] = self
	for _, lang := range []string{"en", "fr", "es"} {
		rep := buildFor(t, sv, all, 0, lang)
		items := map[string]feedback.Item{}
		for _, sec := range rep.Sections {
			for _, it := range sec.Items {
				if it.Kind != feedback.KindMaturity {
					items[it.Question] = it
				}
			}
		}
		for _, id := range []string{"purposes", "measurement_status"} {
			it := items[id]
			if len(it.Yours) != 0 {
				t.Errorf("%s %s: yours %v, want none", lang, id, it.Yours)
			}
			var marked []string
			noAnswer := map[string]string{"en": "No answer", "fr": "Sans réponse", "es": "Sin respuesta"}[lang]
			var want []string
			for _, r := range it.Rows {
				if r.Yours {
					marked = append(marked, r.Label)
				}
				if r.Label == noAnswer {
					want = []string{noAnswer} // the row is there when some peer gave none too
				}
			}
			if id == "purposes" && want == nil {
				t.Fatalf("%s purposes: no No answer row among peers; the test needs one", lang)
			}
			if !slices.Equal(marked, want) {
				t.Errorf("%s %s: rows marked as the library's %v, want %q", lang, id, marked, want)
			}
		}
		if it := items["purposes"]; it.Count != nil || len(it.Notes) != 0 || len(it.Missing) != 0 {
			t.Errorf("%s purposes: count %+v, notes %v, missing %v; want nothing compared with no answer", lang, it.Count, it.Notes, it.Missing)
		}
		if it := items["methods_used"]; it.Count == nil || len(it.Notes) == 0 {
			t.Errorf("%s methods_used (answered): count %+v, notes %v; want both", lang, it.Count, it.Notes)
		}
		pop := items["population_served"]
		want := map[string]string{"en": "1,146,000", "fr": "1\u202f146\u202f000", "es": "1.146.000"}[lang]
		if len(pop.Notes) != 1 || !strings.Contains(pop.Notes[0], want) {
			t.Errorf("%s population_served: notes %q, want one naming the directory's %s", lang, pop.Notes, want)
		}
		if b := pop.Number.Band; b != "" && !strings.Contains(b, rep.Groups[0].Label) && !strings.Contains(b, rep.Groups[len(rep.Groups)-1].Label) {
			t.Errorf("%s population band %q names no group", lang, b)
		}
	}
}
