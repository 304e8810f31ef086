package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/metlib/canvass/survey"
)

// landscapeForm answers every required question of the landscape survey,
// with the numbers as given.
func landscapeForm(population, staff string) url.Values {
	return url.Values{
		"library_name": {"Biblioteca Vasconcelos"}, "org_type": {"city_system"}, "city": {"Ciudad de México"},
		"country": {"MX"}, "region": {"latin_america_caribbean"}, "contact_email": {"direccion@example.mx"},
		"population_served": {population}, "staff_fte": {staff}, "directory_consent": {"public"},
	}
}

// TestFormReadsNumbersInItsLanguage posts the Spanish form with Spanish
// numbers and reads what the store kept; the numbers the Spanish form
// cannot read for sure come back with a question in Spanish, as typed.
func TestFormReadsNumbersInItsLanguage(t *testing.T) {
	a := newApp(t)
	fs, _ := a.openForm("/s/landscape?lang=es")
	values := landscapeForm("2.500.000", "12,5")
	values.Set("annual_visits", "1\u00a0250\u00a0000")
	values.Set("service_points_branches", "72")
	if rec := a.postForm("/s/landscape?lang=es", fs, values); rec.Code != http.StatusSeeOther {
		t.Fatalf("post: %d %s", rec.Code, rec.Body)
	}
	list, _, err := a.store.ListResponses(t.Context(), survey.ResponseFilter{SurveySlug: "landscape"})
	if err != nil || len(list) != 1 {
		t.Fatalf("stored %d responses, %v", len(list), err)
	}
	got := list[0].Answers
	for id, want := range map[string]float64{"population_served": 2500000, "staff_fte": 12.5, "annual_visits": 1250000, "service_points_branches": 72} {
		if v, ok := got.Number(id); !ok || v != want {
			t.Errorf("%s stored as %v, want %v", id, got[id], want)
		}
	}
	if list[0].Language != "es" {
		t.Errorf("language %q", list[0].Language)
	}

	for _, tc := range []struct {
		lang, population, staff string
		want                    []string
	}{
		// English grouping and decimals together: read the English way
		// only as a suggestion (a lone "2.5" is stored as 2,5: see
		// TestDecimalAskedBackThenConfirmed).
		{"es", "2,500", "1,234.5", []string{
			`<p class="error" id="err-population_served">¿Quería decir 2500? En español, la coma marca los decimales; separe los miles con un punto, por ejemplo 2.500.000.</p>`,
			`<p class="error" id="err-staff_fte">¿Quería decir 1234,5? En español, la coma marca los decimales y el punto separa los miles, por ejemplo 2.500.000 o 2,5.</p>`,
			`name="population_served" value="2,500"`, `name="staff_fte" value="1,234.5"`,
		}},
		// (A lone "12,5" is stored as 12.5 in English: a comma that
		// cannot group thousands is a decimal comma.)
		{"en", "2.500.000", "1.234,5", []string{
			`<p class="error" id="err-population_served">Did you mean 2,500,000? In English, a point marks decimals and commas group thousands, for example 2,500,000 or 2.5.</p>`,
			`<p class="error" id="err-staff_fte">Did you mean 1,234.5?`,
			`name="population_served" value="2.500.000"`,
		}},
		{"fr", "2,500,000", "douze", []string{
			"<p class=\"error\" id=\"err-population_served\">Vouliez-vous dire 2\u202f500\u202f000\u00a0? En français, la virgule marque les décimales",
			"<p class=\"error\" id=\"err-staff_fte\">Saisissez un nombre en chiffres, par exemple 2\u202f500\u202f000 ou 2,5.</p>",
		}},
	} {
		fs, _ := a.openForm("/s/landscape?lang=" + tc.lang)
		rec := a.postForm("/s/landscape?lang="+tc.lang, fs, landscapeForm(tc.population, tc.staff))
		if rec.Code != http.StatusUnprocessableEntity {
			t.Fatalf("%s: %d, want 422", tc.lang, rec.Code)
		}
		for _, want := range tc.want {
			if !strings.Contains(rec.Body.String(), want) {
				t.Errorf("%s form lacks %s", tc.lang, want)
			}
		}
	}
	if n := a.countResponses("landscape"); n != 1 {
		t.Errorf("%d responses stored, want the one", n)
	}
}

// TestAPIReadsNumberTextInTheResponseLanguage: JSON numbers are numbers in
// every language; numbers sent as text are read like the form's, in the
// response's language.
func TestAPIReadsNumberTextInTheResponseLanguage(t *testing.T) {
	a := newApp(t)
	post := func(id, lang, population string) *http.Response {
		body := `{"submission_id": "` + id + `", "language": "` + lang + `", "answers": {"library_name": "Biblioteca Vasconcelos",
		  "org_type": "city_system", "city": "Ciudad de México", "country": "MX", "region": "latin_america_caribbean",
		  "contact_email": "direccion@example.mx", "population_served": ` + population + `, "staff_fte": 12.5, "directory_consent": "public"}}`
		return a.do(request{method: http.MethodPost, path: "/api/v1/surveys/landscape/responses", body: body, contentType: "application/json"}).Result()
	}
	if res := post("aaaaaaaa-0000-4000-8000-000000000001", "es", `2500000`); res.StatusCode != 201 {
		t.Fatalf("JSON number in Spanish: %d", res.StatusCode)
	}
	if res := post("aaaaaaaa-0000-4000-8000-000000000002", "es", `"2.500.000"`); res.StatusCode != 201 {
		t.Fatalf("Spanish text: %d", res.StatusCode)
	}
	rec := a.do(request{method: http.MethodPost, path: "/api/v1/surveys/landscape/responses", contentType: "application/json",
		body: `{"submission_id": "aaaaaaaa-0000-4000-8000-000000000003", "language": "en", "answers": {"population_served": "2.500.000"}}`})
	e := decode[errorResponse](t, rec)
	found := false
	for _, f := range e.Error.Fields {
		found = found || (f.Question == "population_served" && strings.HasPrefix(f.Message, "Did you mean 2,500,000?"))
	}
	if rec.Code != 422 || !found {
		t.Errorf("English text with Spanish points: %d %+v", rec.Code, e.Error.Fields)
	}
	list, _, _ := a.store.ListResponses(t.Context(), survey.ResponseFilter{SurveySlug: "landscape"})
	if len(list) != 2 {
		t.Fatalf("stored %d responses, want 2", len(list))
	}
	for _, r := range list {
		if v, _ := r.Answers.Number("population_served"); v != 2500000 {
			t.Errorf("%s stored population %v, want 2500000", r.SubmissionID, v)
		}
	}
}

// TestSavedNumbersComeBackInTheFormsLanguage: a saved draft's numbers are
// written back in the form's language (12,5 in French, not 12.5, which the
// French form would question), so submitting the resumed form as it is
// stores the same numbers.
func TestSavedNumbersComeBackInTheFormsLanguage(t *testing.T) {
	a := newApp(t)
	admin := a.token(survey.RoleAdmin)
	link := a.invite(t, admin, "landscape", "Bibliothèque municipale de Lyon", "claire@bm-lyon.fr") // a French contact
	fs, body := a.openForm(link)
	token := match(t, tokenField, body)
	draft := url.Values{"t": {token}, "action": {"save"}, "population_served": {"2.500.000"}, "staff_fte": {"12,5"}}
	if rec := a.postForm("/s/landscape?lang=fr", fs, draft); rec.Code != 200 {
		t.Fatalf("save: %d", rec.Code)
	}
	_, body = a.openForm(link)
	for _, want := range []string{`<html lang="fr"`, "name=\"population_served\" value=\"2\u202f500\u202f000\"", `name="staff_fte" value="12,5"`} {
		if !strings.Contains(body, want) {
			t.Errorf("resumed French form lacks %s", want)
		}
	}
	shown := func(id string) string { return match(t, regexp.MustCompile(`name="`+id+`" value="([^"]*)"`), body) }
	values := landscapeForm(shown("population_served"), shown("staff_fte"))
	values.Set("t", token)
	values.Set("action", "submit")
	if rec := a.postForm("/s/landscape?lang=fr", fs, values); rec.Code != http.StatusSeeOther {
		t.Fatalf("submit the resumed form: %d %s", rec.Code, rec.Body)
	}
	list, _, _ := a.store.ListResponses(t.Context(), survey.ResponseFilter{SurveySlug: "landscape"})
	if len(list) != 1 || list[0].Answers["population_served"] != 2500000.0 || list[0].Answers["staff_fte"] != 12.5 {
		t.Errorf("stored %+v", list)
	}
}
