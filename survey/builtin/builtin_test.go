package builtin_test

import (
	"testing"

	"github.com/metlib/canvass/survey"
	"github.com/metlib/canvass/survey/builtin"
)

func TestBuiltinSurveysValidateInThreeLanguages(t *testing.T) {
	surveys, err := builtin.Surveys()
	if err != nil {
		t.Fatalf("%v %+v", err, survey.ErrorFields(err))
	}
	slugs := map[string]bool{}
	for _, s := range surveys {
		slugs[s.Slug] = true
		for _, lang := range []string{"en", "fr", "es"} {
			if !s.HasLanguage(lang) || s.Title[lang] == "" {
				t.Errorf("%s: no title in %s", s.Slug, lang)
			}
			for _, q := range s.Questions() {
				if q.Label[lang] == "" {
					t.Errorf("%s: question %s has no %s label", s.Slug, q.ID, lang)
				}
				for _, o := range q.Options {
					if o.Label[lang] == "" {
						t.Errorf("%s: %s option %s has no %s label", s.Slug, q.ID, o.Value, lang)
					}
				}
				for _, r := range q.Rows {
					if r.Label[lang] == "" {
						t.Errorf("%s: %s row %s has no %s label", s.Slug, q.ID, r.ID, lang)
					}
				}
			}
		}
	}
	if !slugs["landscape"] || !slugs["impact-methods"] {
		t.Errorf("built-in slugs %v, want landscape and impact-methods", slugs)
	}
}

func TestImpactMethodsCarryEvidenceFamilies(t *testing.T) {
	surveys, err := builtin.Surveys()
	if err != nil {
		t.Fatal(err)
	}
	var impact *survey.Survey
	for _, s := range surveys {
		if s.Slug == "impact-methods" {
			impact = s
		}
	}
	methods := impact.Question("methods_used")
	groups := map[string]int{}
	for _, o := range methods.Options {
		if !o.Other && o.Group == "" {
			t.Errorf("method %s has no group", o.Value)
		}
		groups[o.Group]++
	}
	for _, g := range []string{"inferred", "solicited", "observed", "framework", "economic", "comparative"} {
		if groups[g] == 0 {
			t.Errorf("no method in group %s", g)
		}
	}
	// Every method except "other" has a frequency row shown only when chosen.
	freq := impact.Question("method_frequency")
	if len(freq.Rows) != len(methods.Options) {
		t.Errorf("%d frequency rows for %d methods", len(freq.Rows), len(methods.Options))
	}
	// The skip logic: a library that does not measure is not asked about methods.
	answers, err := impact.CheckAnswers(map[string]any{
		"library_name": "Bibliothèque X", "contact_email": "x@example.org", "country": "FR",
		"measurement_status": "not_measuring", "share_data": "anonymised",
	}, "fr")
	if err != nil {
		t.Fatalf("non-measuring library rejected: %+v", survey.ErrorFields(err))
	}
	if _, asked := answers["methods_used"]; asked {
		t.Error("methods_used kept for a library that does not measure")
	}
}

// TestOptionGroupsLabelledInThreeLanguages: reports show group labels, never
// codes, so every group an option uses has a label in en, fr and es.
func TestOptionGroupsLabelledInThreeLanguages(t *testing.T) {
	surveys, err := builtin.Surveys()
	if err != nil {
		t.Fatal(err)
	}
	groups := 0
	for _, s := range surveys {
		for _, q := range s.Questions() {
			for _, o := range q.Options {
				if o.Group == "" {
					continue
				}
				groups++
				for _, lang := range []string{"en", "fr", "es"} {
					if l := q.OptionGroups[o.Group][lang]; l == "" || l == o.Group {
						t.Errorf("%s/%s: group %q has no %s label", s.Slug, q.ID, o.Group, lang)
					}
				}
			}
		}
	}
	if groups == 0 {
		t.Error("no option groups in the built-in surveys")
	}
}

func TestBuiltinBenchmarkBlocks(t *testing.T) {
	all, err := builtin.Surveys()
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range all {
		b := s.Benchmark
		if b == nil {
			t.Errorf("%s: no benchmark block", s.Slug)
			continue
		}
		switch s.Slug {
		case "impact-methods":
			if len(b.Groups) != 4 || b.Maturity == nil || b.Maturity.Question != "methods_used" || len(b.Maturity.Families) != 3 {
				t.Errorf("impact-methods: %+v", b)
			}
			for _, id := range []string{"share_data", "case_study_contact"} {
				if b.Compared(s.Question(id)) {
					t.Errorf("impact-methods compares %s", id)
				}
			}
		case "landscape":
			if len(b.Groups) != 3 || b.Has("member") || len(b.Indicators) == 0 {
				t.Errorf("landscape: %+v", b)
			}
		}
	}
}
