package web_test

import (
	"net/http"
	"testing"

	"github.com/metlib/canvass/survey"
)

// TestBadFiltersAndGroupings: every bad filter or grouping of the results
// is a 400 that says what is wrong: in the dashboard, in the page's
// language (the rest of the page is translated), and in the API and the
// downloads as the documented error shape, English and unchanged, naming
// the parameter. A question that exists but cannot be grouped by (text,
// email, a number without bands) is a bad parameter like one that does not
// exist: 400 malformed, not the analysis's 422.
func TestBadFiltersAndGroupings(t *testing.T) {
	const nb = "\u00a0"
	cases := []struct {
		name, query string
		en, fr, es  string // the message each language's dashboard shows
	}{
		{"by a text question", "by=library_name",
			`by=&#34;library_name&#34;: text answers cannot be grouped by`,
			"Impossible de regrouper par «" + nb + "library_name" + nb + "»" + nb + ": regroupez par la région",
			"No se puede agrupar por «library_name»: agrupe por la región"},
		{"by an email question", "by=contact_email",
			`by=&#34;contact_email&#34;: email answers cannot be grouped by`,
			"Impossible de regrouper par «" + nb + "contact_email" + nb + "»",
			"No se puede agrupar por «contact_email»"},
		{"by a number without bands", "by=population_served",
			`by=&#34;population_served&#34;: grouping by a number question needs bands`,
			"Regrouper par la question numérique «" + nb + "population_served" + nb + "» demande des tranches",
			"Agrupar por la pregunta numérica «population_served» requiere tramos"},
		{"bands out of order", "by=population_served&bands=100,10",
			"bands: each must be larger than the one before; 10 comes after 100.",
			"Tranches" + nb + ": chacune doit dépasser la précédente\u202f; 10 vient après 100.",
			"Tramos: cada uno debe ser mayor que el anterior; 10 viene después de 100."},
		{"bands not numbers", "by=population_served&bands=ten",
			`bands: &#34;ten&#34; is not a number.`,
			"Tranches" + nb + ": «" + nb + "ten" + nb + "» n’est pas un nombre.",
			"Tramos: «ten» no es un número."},
		{"by nothing known", "by=nope",
			`by=&#34;nope&#34;: group by region, language or a question of the survey.`,
			"Impossible de regrouper par «" + nb + "nope" + nb + "»" + nb + ": choisissez la région, la langue ou une question de l’enquête.",
			"No se puede agrupar por «nope»: elija la región, el idioma o una pregunta de la encuesta."},
		{"from not a date", "from=2026-13-01",
			`from: &#34;2026-13-01&#34; is not a date like 2026-03-01.`,
			"from" + nb + ": «" + nb + "2026-13-01" + nb + "» n’est pas une date comme 2026-03-01.",
			"from: «2026-13-01» no es una fecha como 2026-03-01."},
		{"to not a date", "to=tomorrow",
			`to: &#34;tomorrow&#34; is not a date like 2026-03-01.`,
			"to" + nb + ": «" + nb + "tomorrow" + nb + "» n’est pas une date comme 2026-03-01.",
			"to: «tomorrow» no es una fecha como 2026-03-01."},
		{"unknown region", "region=atlantis",
			`Unknown region &#34;atlantis&#34;.`,
			"Région inconnue" + nb + ": «" + nb + "atlantis" + nb + "».",
			"Región desconocida: «atlantis»."},
		{"answer without a colon", "answer=measurement_status",
			`answer=&#34;measurement_status&#34;: use QUESTION:VALUE.`,
			"answer=«" + nb + "measurement_status" + nb + "»" + nb + ": écrivez QUESTION:VALEUR.",
			"answer=«measurement_status»: escriba PREGUNTA:VALOR."},
		{"answer on no question", "answer=shoe_size:42",
			`answer=shoe_size:…: the survey has no question &#34;shoe_size&#34;.`,
			"answer=shoe_size:…" + nb + ": l’enquête n’a pas de question «" + nb + "shoe_size" + nb + "».",
			"answer=shoe_size:…: la encuesta no tiene la pregunta «shoe_size»."},
		{"drafts", "status=draft",
			"status=draft: analyses and reports are of submitted responses only.",
			"status=draft" + nb + ": les analyses et les rapports portent sur les réponses envoyées seulement.",
			"status=draft: los análisis y los informes son solo de respuestas enviadas."},
		{"status unknown", "status=maybe",
			"status must be draft or submitted.",
			"Le statut doit être «" + nb + "draft" + nb + "» (brouillon) ou «" + nb + "submitted" + nb + "» (envoyée).",
			"El estado debe ser «draft» (borrador) o «submitted» (enviada)."},
	}
	const dash = "/admin/surveys/impact-methods/results?"
	var scenarios []scenario
	for _, tc := range cases {
		for _, l := range []struct{ lang, want string }{{"en", tc.en}, {"fr", tc.fr}, {"es", tc.es}} {
			sc := scenario{name: "dashboard " + l.lang + " " + tc.name, url: dash + tc.query + "&lang=" + l.lang, as: survey.RoleAnalyst,
				status: http.StatusBadRequest, contentType: "text/html", contains: []string{`class="flash flash-error" role="alert">` + l.want}}
			if l.lang != "en" {
				sc.absent = []string{tc.en}
			}
			scenarios = append(scenarios, sc)
		}
		// The API and the downloads: English whatever lang says.
		for _, path := range []string{
			"/api/v1/surveys/impact-methods/analysis?",
			"/api/v1/surveys/impact-methods/analysis?report=true&",
			"/api/v1/surveys/impact-methods/export.xlsx?kind=whitepaper&",
		} {
			scenarios = append(scenarios, scenario{name: "api " + path[len("/api/v1/surveys/impact-methods/"):] + " " + tc.name, url: path + tc.query + "&lang=fr",
				as: survey.RoleAnalyst, status: http.StatusBadRequest, errorCode: "malformed", absent: []string{"Impossible", "«"}})
		}
	}
	runScenarios(t, scenarios)
}

// TestDashboardNamesLanguagesInItsLanguage: the Language filter offers the
// survey's languages by name in the page's language, not as codes.
func TestDashboardNamesLanguagesInItsLanguage(t *testing.T) {
	opts := func(en, fr, es string) []string {
		return []string{`<option value="en">` + en + `</option>`, `<option value="fr">` + fr + `</option>`, `<option value="es">` + es + `</option>`}
	}
	runScenarios(t, []scenario{
		{name: "en", url: "/admin/surveys/impact-methods/results?lang=en", as: survey.RoleAnalyst, status: 200, contains: opts("English", "French", "Spanish")},
		{name: "fr", url: "/admin/surveys/impact-methods/results?lang=fr", as: survey.RoleAnalyst, status: 200, contains: opts("anglais", "français", "espagnol"),
			absent: []string{`<option value="en">en</option>`}},
		{name: "es", url: "/admin/surveys/impact-methods/results?lang=es", as: survey.RoleAnalyst, status: 200, contains: opts("inglés", "francés", "español")},
		{name: "fr selected", url: "/admin/surveys/impact-methods/results?lang=fr&language=es", as: survey.RoleAnalyst, status: 200,
			contains: []string{`<option value="es" selected>espagnol</option>`}},
	})
}
