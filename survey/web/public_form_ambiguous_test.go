package web_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/metlib/canvass/survey"
)

// shownForm is what a browser without JavaScript sends when the survey
// form of body is submitted as shown: every field's current value (text
// and hidden inputs, checked boxes and radios, selected options,
// textareas), read from the HTML by the x/net/html parser, not from the
// code that rendered it.
func shownForm(t *testing.T, body string) url.Values {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	var form *html.Node
	var find func(*html.Node)
	find = func(n *html.Node) {
		if form == nil && n.Type == html.ElementNode && n.Data == "form" && strings.Contains(attr(n, "class"), "survey") {
			form = n
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			find(c)
		}
	}
	find(doc)
	if form == nil {
		t.Fatalf("no survey form in %s", body)
	}
	values := url.Values{}
	has := func(n *html.Node, key string) bool {
		for _, a := range n.Attr {
			if a.Key == key {
				return true
			}
		}
		return false
	}
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && attr(n, "name") != "" && !has(n, "disabled") {
			name := attr(n, "name")
			switch n.Data {
			case "input":
				switch attr(n, "type") {
				case "checkbox", "radio":
					if has(n, "checked") {
						values.Add(name, attr(n, "value"))
					}
				default:
					values.Add(name, attr(n, "value"))
				}
			case "textarea":
				text := ""
				if n.FirstChild != nil {
					text = n.FirstChild.Data
				}
				values.Add(name, text)
			case "select":
				// The selected option, else the first (as a browser does).
				chosen, first := "", true
				for o := n.FirstChild; o != nil; o = o.NextSibling {
					if o.Type == html.ElementNode && o.Data == "option" && (first || has(o, "selected")) {
						chosen, first = attr(o, "value"), false
					}
				}
				values.Add(name, chosen)
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(form)
	return values
}

// TestDecimalAskedBackThenConfirmed: on the landscape form's decimal
// question (paid staff, full-time equivalents), a decimal mark followed by
// three digits is asked back in the form's language, with every answer
// kept; the page sent again as shown (the text unchanged) stores the
// form language's reading; a rewrite is read as written. Messages are
// written out by hand.
func TestDecimalAskedBackThenConfirmed(t *testing.T) {
	a := newApp(t)
	cases := []struct {
		lang, typed, message string
		kept                 float64 // stored when sent again unchanged
	}{
		{"en", "1.000", "Did you mean 1000 (one thousand) or 1.0 (one)? Write 1000 or 1.0. If you send 1.000 again unchanged, it is stored as one.", 1},
		{"fr", "1,000", "Vouliez-vous dire 1000 (mille) ou 1,0 (un)\u00a0? Écrivez 1000 ou 1,0. Si vous renvoyez 1,000 sans le changer, c'est un qui sera enregistré.", 1},
		{"es", "1,000", "¿Quería decir 1000 (mil) o 1,0 (uno)? Escriba 1000 o 1,0. Si envía 1,000 de nuevo sin cambiarlo, se guardará uno.", 1},
		{"es", "2,125", "¿Quería decir 2125 (dos mil ciento veinticinco) o 2,125 (dos coma ciento veinticinco)? Escriba 2125 o 2,1250. Si envía 2,125 de nuevo sin cambiarlo, se guardará dos coma ciento veinticinco.", 2.125},
		// A point before three digits: Spain and France group thousands
		// with it, much of Latin America marks decimals with it.
		{"es", "1.000", "¿Quería decir 1000 (mil) o 1,0 (uno)? Escriba 1000 o 1,0. Si envía 1.000 de nuevo sin cambiarlo, se guardará mil.", 1000},
		{"es", "12.345", "¿Quería decir 12345 (doce mil trescientos cuarenta y cinco) o 12,345 (doce coma trescientos cuarenta y cinco)? Escriba 12345 o 12,3450. Si envía 12.345 de nuevo sin cambiarlo, se guardará doce mil trescientos cuarenta y cinco.", 12345},
		{"fr", "1.000", "Vouliez-vous dire 1000 (mille) ou 1,0 (un)\u00a0? Écrivez 1000 ou 1,0. Si vous renvoyez 1.000 sans le changer, c'est mille qui sera enregistré.", 1000},
	}
	stored := 0
	for _, tc := range cases {
		t.Run(tc.lang+" "+tc.typed, func(t *testing.T) {
			path := "/s/landscape?lang=" + tc.lang
			fs, _ := a.openForm(path)
			values := landscapeForm("2500000", tc.typed)
			values.Set("library_name", "Bibliothèque & Médiathèque <Centre>")
			rec := a.postForm(path, fs, values)
			if rec.Code != http.StatusUnprocessableEntity {
				t.Fatalf("post: %d, want 422", rec.Code)
			}
			body := rec.Body.String()
			for _, want := range []string{
				`<p class="error" id="err-staff_fte">` + html.EscapeString(tc.message) + `</p>`,
				`name="confirm.staff_fte" value="` + tc.typed + `"`,
			} {
				if !strings.Contains(body, want) {
					t.Errorf("page lacks %s", want)
				}
			}
			// Every answer is kept as typed, and nothing was stored.
			shown := shownForm(t, body)
			for id, want := range landscapeForm("2500000", tc.typed) {
				if id == "library_name" {
					want = []string{"Bibliothèque & Médiathèque <Centre>"}
				}
				if got := shown.Get(id); got != want[0] {
					t.Errorf("%s shown as %q, want %q", id, got, want[0])
				}
			}
			if n := a.countResponses("landscape"); n != stored {
				t.Fatalf("%d responses stored after the ask-back, want %d", n, stored)
			}
			// Sent again as shown: the form language's reading, once.
			if rec := a.postForm(path, fs, shown); rec.Code != http.StatusSeeOther {
				t.Fatalf("sent again unchanged: %d %s", rec.Code, rec.Body)
			}
			stored++
			r, err := a.store.FindResponseBySubmission(t.Context(), "landscape", shown.Get("submission_id"))
			if err != nil {
				t.Fatal(err)
			}
			if v, _ := r.Answers.Number("staff_fte"); v != tc.kept {
				t.Errorf("stored staff_fte %v, want %v", v, tc.kept)
			}
		})
	}

	t.Run("rewritten or changed", func(t *testing.T) {
		fs, _ := a.openForm("/s/landscape?lang=es")
		rec := a.postForm("/s/landscape?lang=es", fs, landscapeForm("2500000", "1,000"))
		shown := shownForm(t, rec.Body.String())
		// Another ambiguous text under the old confirmation: asked again,
		// about the new text.
		shown.Set("staff_fte", "3,000")
		rec = a.postForm("/s/landscape?lang=es", fs, shown)
		if want := "¿Quería decir 3000 (tres mil) o 3,0 (tres)?"; rec.Code != http.StatusUnprocessableEntity || !strings.Contains(rec.Body.String(), html.EscapeString(want)) {
			t.Fatalf("changed to 3,000: %d, want 422 with %q", rec.Code, want)
		}
		if !strings.Contains(rec.Body.String(), `name="confirm.staff_fte" value="3,000"`) {
			t.Errorf("the confirmation does not follow the new text")
		}
		// The whole reading, rewritten: read as written, not asked.
		shown = shownForm(t, rec.Body.String())
		shown.Set("staff_fte", "3000")
		if rec := a.postForm("/s/landscape?lang=es", fs, shown); rec.Code != http.StatusSeeOther {
			t.Fatalf("rewritten 3000: %d %s", rec.Code, rec.Body)
		}
		r, err := a.store.FindResponseBySubmission(t.Context(), "landscape", shown.Get("submission_id"))
		if err != nil {
			t.Fatal(err)
		}
		if v, _ := r.Answers.Number("staff_fte"); v != 3000 {
			t.Errorf("stored staff_fte %v, want 3000", v)
		}
	})

	// The API: a JSON number is never in doubt; an ambiguous string is
	// asked back as a 422 on the question (no confirmation field there:
	// send a number).
	t.Run("API", func(t *testing.T) {
		post := func(id, staff string) *http.Response {
			body := `{"submission_id": "` + id + `", "language": "es", "answers": {"library_name": "Biblioteca Vasconcelos",
			  "org_type": "city_system", "city": "Ciudad de México", "country": "MX", "region": "latin_america_caribbean",
			  "contact_email": "direccion@example.mx", "population_served": 2500000, "staff_fte": ` + staff + `, "directory_consent": "public"}}`
			return a.do(request{method: http.MethodPost, path: "/api/v1/surveys/landscape/responses", body: body, contentType: "application/json"}).Result()
		}
		res := post("bbbbbbbb-0000-4000-8000-000000000001", `"1,000"`)
		var e errorResponse
		if err := json.NewDecoder(res.Body).Decode(&e); err != nil || res.StatusCode != 422 || len(e.Error.Fields) != 1 || e.Error.Fields[0].Question != "staff_fte" ||
			e.Error.Fields[0].Message != "¿Quería decir 1000 (mil) o 1,0 (uno)? Escriba 1000 o 1,0. Si envía 1,000 de nuevo sin cambiarlo, se guardará uno." {
			t.Errorf("string 1,000: %d %+v %v", res.StatusCode, e.Error.Fields, err)
		}
		for id, staff := range map[string]string{"bbbbbbbb-0000-4000-8000-000000000002": `1000`, "bbbbbbbb-0000-4000-8000-000000000003": `1`} {
			if res := post(id, staff); res.StatusCode != 201 {
				t.Fatalf("JSON number %s: %d", staff, res.StatusCode)
			}
			r, err := a.store.FindResponseBySubmission(t.Context(), "landscape", id)
			if err != nil {
				t.Fatal(err)
			}
			if v, _ := r.Answers.Number("staff_fte"); v != map[string]float64{"1000": 1000, "1": 1}[staff] {
				t.Errorf("JSON %s stored as %v", staff, v)
			}
		}
	})
	// A point that cannot group thousands (one, two or four digits after
	// it) is a decimal point on the French and Spanish forms: stored at
	// once, not refused with "did you mean 2,5?" again and again.
	for i, tc := range []struct {
		lang, typed string
		want        float64
	}{{"es", "2.5", 2.5}, {"fr", "2.5", 2.5}, {"es", "0.75", 0.75}, {"fr", "12.3456", 12.3456}} {
		path := "/s/landscape?lang=" + tc.lang
		fs, _ := a.openForm(path)
		values := landscapeForm("2500000", tc.typed)
		rec := a.postForm(path, fs, values)
		if rec.Code != http.StatusSeeOther {
			t.Fatalf("%s %s: %d, want 303 %s", tc.lang, tc.typed, rec.Code, rec.Body)
		}
		r, err := a.store.FindResponseBySubmission(t.Context(), "landscape", fs.submissionID)
		if err != nil {
			t.Fatalf("%d: %v", i, err)
		}
		if v, _ := r.Answers.Number("staff_fte"); v != tc.want {
			t.Errorf("%s %s stored as %v, want %v", tc.lang, tc.typed, v, tc.want)
		}
	}
	if n := a.countResponses("landscape"); n != len(cases)+3+4 {
		t.Errorf("%d responses, want %d", n, len(cases)+3+4)
	}
}

// TestStoredDecimalIsNotAskedAgain: a decimal that the form's language
// writes with three digits after the mark (2.125 is "2,125" in Spanish),
// saved through a personal link and resumed, comes back with its
// confirmation, so submitting the resumed form as shown stores the same
// number without asking.
func TestStoredDecimalIsNotAskedAgain(t *testing.T) {
	a := newApp(t)
	admin := a.token(survey.RoleAdmin)
	link := withLang(t, a.invite(t, admin, "landscape", "Biblioteca Vasconcelos", "direccion@example.mx"), "es")
	fs, body := a.openForm(link)
	values := shownForm(t, body)
	for id, v := range landscapeForm("2500000", "2,125") {
		values[id] = v
	}
	values.Set("action", "save")
	rec := a.postForm(link, fs, values)
	if rec.Code != http.StatusUnprocessableEntity {
		t.Fatalf("save 2,125 unconfirmed: %d, want the ask-back", rec.Code)
	}
	values = shownForm(t, rec.Body.String())
	values.Set("action", "save") // the button pressed again
	if rec := a.postForm(link, fs, values); rec.Code != http.StatusOK {
		t.Fatalf("save confirmed: %d", rec.Code)
	}
	fs, body = a.openForm(link)
	for _, want := range []string{`name="staff_fte" value="2,125"`, `name="confirm.staff_fte" value="2,125"`} {
		if !strings.Contains(body, want) {
			t.Errorf("resumed form lacks %s", want)
		}
	}
	values = shownForm(t, body)
	values.Set("action", "submit")
	if rec := a.postForm(link, fs, values); rec.Code != http.StatusSeeOther {
		t.Fatalf("submit the resumed form: %d", rec.Code)
	}
	list, _, _ := a.store.ListResponses(t.Context(), survey.ResponseFilter{SurveySlug: "landscape"})
	if len(list) != 1 || list[0].Answers["staff_fte"] != 2.125 || list[0].Status != survey.ResponseSubmitted {
		t.Errorf("stored %+v", list)
	}
}
