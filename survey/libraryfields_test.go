package survey_test

import (
	"testing"

	"github.com/metlib/canvass/survey"
	"github.com/metlib/canvass/survey/builtin"
)

// TestLibraryFieldsRoundTrip: what Prefill puts in the landscape form,
// applied to an empty library, gives back the directory entry it came from,
// field by field (contacts excepted: answers never change them).
func TestLibraryFieldsRoundTrip(t *testing.T) {
	surveys, err := builtin.Surveys()
	if err != nil {
		t.Fatal(err)
	}
	var sv *survey.Survey
	for _, s := range surveys {
		if s.Slug == "landscape" {
			sv = s
		}
	}
	from := &survey.Library{Name: "Stadtbibliothek Köln", City: "Köln", Country: "DE", Region: survey.Europe, Type: survey.CitySystem,
		Website: "https://stbib-koeln.de", PopulationServed: 1080000, Branches: 12}
	contact := survey.Contact{Name: "Hannelore Vogt", Role: "Director", Email: "hv@stbib-koeln.de"}
	answers := sv.Prefill(from, contact)
	want := map[string]any{"library_name": from.Name, "city": from.City, "country": "DE", "region": "europe", "org_type": "city_system",
		"website": from.Website, "population_served": 1080000.0, "service_points_branches": 12.0, "contact_name": contact.Name, "contact_role": contact.Role, "contact_email": contact.Email}
	for id, v := range want {
		if sv.Question(id) == nil {
			continue // the survey does not ask it
		}
		if answers[id] != v {
			t.Errorf("prefill %s = %v, want %v", id, answers[id], v)
		}
	}
	to := &survey.Library{}
	changes := sv.ApplyToLibrary(answers, to)
	got := map[string]string{}
	for _, c := range changes {
		got[c.Field] = c.To
	}
	for field, v := range map[string]string{"name": from.Name, "city": from.City, "country": "DE", "region": "europe", "type": "city_system",
		"website": from.Website, "population_served": "1080000", "branches": "12"} {
		if sv.Question(questionOf(field)) != nil && got[field] != v {
			t.Errorf("applied %s = %q, want %q (changes %+v)", field, got[field], v, changes)
		}
	}
	if to.Name != from.Name || to.Country != from.Country || to.Region != from.Region || to.RegionSet || to.Type != from.Type || len(to.Contacts) != 0 {
		t.Errorf("applied library %+v", to)
	}
	// Nothing changes a second time.
	if again := sv.ApplyToLibrary(answers, to); len(again) != 0 {
		t.Errorf("second application changed %+v", again)
	}
}

func questionOf(field string) string {
	for _, f := range survey.LibraryFields {
		if f.Field == field {
			return f.Question
		}
	}
	return ""
}
