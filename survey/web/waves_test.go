package web_test

import (
	"cmp"
	"encoding/csv"
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/metlib/canvass/survey"
)

var asciiSpaces = regexp.MustCompile(`[ \t\r\n]+`)

// byClass lists the text of the elements of body with class name, in
// document order, read with an HTML parser.
func byClass(t *testing.T, body, name string) []string {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, n := range findAll(doc, func(n *html.Node) bool { return slices.Contains(strings.Fields(attr(n, "class")), name) }) {
		// ASCII white space only: the no-break spaces of French are text.
		out = append(out, strings.TrimSpace(asciiSpaces.ReplaceAllString(text(n), " ")))
	}
	return out
}

// inputValue is the value of the input or textarea named name in body,
// and whether there is one.
func inputValue(t *testing.T, body, name string) (string, bool) {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	found := findAll(doc, func(n *html.Node) bool { return (n.Data == "input" || n.Data == "textarea") && attr(n, "name") == name })
	if len(found) == 0 {
		return "", false
	}
	if found[0].Data == "textarea" {
		return text(found[0]), true
	}
	return attr(found[0], "value"), true
}

// TestASecondWaveThroughTheRouter runs the built-in landscape survey as a
// series through the API and the form: wave 2 made from wave 1, the last
// wave's libraries invited, a library's form opening with its own
// structural figures and its last answers beside the questions (in its
// language), a large change in staff asked about in French, explained,
// stored, listed and exported; a library that did not answer last time,
// and the open form, get nothing of anybody's.
func TestASecondWaveThroughTheRouter(t *testing.T) {
	a := newApp(t)
	admin := a.token(survey.RoleAdmin)
	lyon := a.invite(t, admin, "landscape", "Bibliothèque municipale de Lyon", "claire@bm-lyon.example")
	a.invite(t, admin, "landscape", "Deichman Oslo", "ola@deichman.example")
	var first map[string]any
	if err := json.Unmarshal([]byte(landscapeAnswers(t, a, "Bibliothèque municipale de Lyon")), &first); err != nil {
		t.Fatal(err)
	}
	first["staff_fte"], first["annual_visits"], first["service_points_branches"], first["population_served"] = 40, 2500000, 14, 520000
	body, _ := json.Marshal(map[string]any{"invitation_token": tokenOf(t, lyon), "language": "fr", "answers": first})
	if rec := a.do(request{method: http.MethodPost, path: "/api/v1/surveys/landscape/responses", contentType: "application/json", body: string(body)}); rec.Code != 201 {
		t.Fatalf("wave 1: %d %s", rec.Code, rec.Body)
	}

	rec := a.do(request{method: http.MethodPost, path: "/api/v1/surveys/landscape/waves", token: admin, contentType: "application/json", body: `{"slug": "landscape-2026", "wave": "2026"}`})
	if rec.Code != 201 {
		t.Fatalf("new wave: %d %s", rec.Code, rec.Body)
	}
	if got := decode[struct {
		Survey struct{ Slug, Status, Series, Wave string }
	}](t, rec).Survey; got.Status != "draft" || got.Series != "landscape" || got.Wave != "2026" {
		t.Errorf("new wave %+v", got)
	}
	rec = a.do(request{method: http.MethodPost, path: "/api/v1/surveys/landscape/waves", token: a.token(survey.RoleAnalyst), contentType: "application/json", body: `{"slug": "landscape-2027", "wave": "2027"}`})
	if rec.Code != 403 {
		t.Errorf("an analyst making a wave: %d", rec.Code)
	}
	rec = a.do(request{method: http.MethodPost, path: "/api/v1/surveys/landscape/waves", token: admin, contentType: "application/json", body: `{"slug": "landscape-old", "wave": "2019"}`})
	if e := decode[errorResponse](t, rec); rec.Code != 422 || len(e.Error.Fields) != 1 || e.Error.Fields[0].Path != "wave" {
		t.Errorf("a wave labelled before the last: %d %s", rec.Code, rec.Body)
	}
	series := decode[struct {
		Series string
		Waves  []struct{ Slug, Wave string }
	}](t, a.do(request{path: "/api/v1/surveys/landscape/series", token: admin}))
	if series.Series != "landscape" || len(series.Waves) != 2 || series.Waves[0].Slug != "landscape" || series.Waves[1].Slug != "landscape-2026" {
		t.Errorf("series %+v", series)
	}
	if rec := a.do(request{method: http.MethodPost, path: "/api/v1/surveys/landscape-2026/publish", token: admin}); rec.Code != 200 && rec.Code != 204 {
		t.Fatalf("publish: %d %s", rec.Code, rec.Body)
	}
	rec = a.do(request{method: http.MethodPost, path: "/api/v1/surveys/landscape-2026/invitations", token: admin, contentType: "application/json", body: `{"previous_wave": true}`})
	if got := decode[struct{ Created int }](t, rec); rec.Code != 201 || got.Created != 2 {
		t.Fatalf("inviting the last wave: %d %s", rec.Code, rec.Body)
	}
	rec = a.do(request{method: http.MethodPost, path: "/api/v1/surveys/landscape-2026/invitations/mailmerge.csv", token: admin})
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(rec.Body.String(), "\uFEFF"))).ReadAll()
	if err != nil || len(rows) != 3 {
		t.Fatalf("mail merge of wave 2: %v %q", err, rows)
	}
	links := map[string]string{}
	for _, r := range rows[1:] {
		u, _ := url.Parse(r[4])
		links[r[0]] = u.RequestURI()
	}

	// Lyon's form, in French (its contact's language): its structural
	// figures carried, its last answers beside the questions.
	fs, page := a.openForm(links["Bibliothèque municipale de Lyon"])
	for name, want := range map[string]string{"staff_fte": "40", "service_points_branches": "14", "population_served": "520\u202f000"} {
		if got, _ := inputValue(t, page, name); got != want {
			t.Errorf("Lyon's new form: %s = %q, want %q carried from last time", name, got, want)
		}
	}
	if got, _ := inputValue(t, page, "annual_visits"); got != "" {
		t.Errorf("visits are measured anew each wave, not carried: %q", got)
	}
	hints := byClass(t, page, "previous")
	for _, want := range []string{"Votre réponse la dernière fois\u00a0: 40", "Votre réponse la dernière fois\u00a0: 2\u202f500\u202f000"} {
		if !slices.Contains(hints, want) {
			t.Errorf("Lyon's form lacks the hint %q; hints: %q", want, hints)
		}
	}
	if _, shown := inputValue(t, page, "staff_fte_change_note"); shown {
		t.Error("the explanation box is shown before any change was asked about")
	}

	// Staff from 40 to 100: asked, in French, with both figures; nothing lost.
	// The form as a French respondent posts it: the form's own FormValues
	// (numbers written the French way, which the form reads back).
	wave2, err := a.store.FindSurvey(t.Context(), "landscape-2026")
	if err != nil {
		t.Fatal(err)
	}
	answers, err := survey.UnmarshalAnswers([]byte(landscapeAnswers(t, a, "Bibliothèque municipale de Lyon")))
	if err != nil {
		t.Fatal(err)
	}
	values := wave2.FormValues(answers, "fr")
	values.Set("lang", "fr")
	values.Set("t", tokenOf(t, links["Bibliothèque municipale de Lyon"]))
	values.Set("staff_fte", "100")
	values.Set("annual_visits", "2600000")
	values.Set("response-revision", "0")
	rec = a.postForm(links["Bibliothèque municipale de Lyon"], fs, values)
	if rec.Code != http.StatusUnprocessableEntity {
		t.Fatalf("an unexplained change: %d, want 422 asking for the explanation", rec.Code)
	}
	asked := rec.Body.String()
	errs := byClass(t, asked, "error")
	wantAsk := "La dernière fois, votre bibliothèque a répondu 40\u202f; 100 est un changement important."
	if !slices.ContainsFunc(errs, func(e string) bool { return strings.HasPrefix(e, wantAsk) }) {
		t.Errorf("the form asks %q, want a message beginning %q", errs, wantAsk)
	}
	if v, _ := inputValue(t, asked, "staff_fte"); v != "100" {
		t.Errorf("the typed staff figure came back as %q", v)
	}
	if _, shown := inputValue(t, asked, "staff_fte_change_note"); !shown {
		t.Fatal("no box for the explanation")
	}
	if len(byClass(t, asked, "change-note")) != 1 {
		t.Errorf("only staff changed beyond its rule; boxes: %q", byClass(t, asked, "change-note"))
	}
	note := "Nous avons repris le réseau des bibliothèques de la métropole."
	values.Set("staff_fte_change_note", note)
	rec = a.postForm(links["Bibliothèque municipale de Lyon"], fs, values)
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("explained: %d %s", rec.Code, byClass(t, rec.Body.String(), "error"))
	}

	notes := decode[struct {
		ChangeNotes []struct {
			Library, Question, Note string
			Previous                *float64
			Current                 float64
		} `json:"change_notes"`
	}](t, a.do(request{path: "/api/v1/surveys/landscape-2026/change-notes", token: admin}))
	if len(notes.ChangeNotes) != 1 {
		t.Fatalf("change notes %+v", notes)
	}
	n := notes.ChangeNotes[0]
	if n.Library != "Bibliothèque municipale de Lyon" || n.Question != "staff_fte" || n.Previous == nil || *n.Previous != 40 || n.Current != 100 || n.Note != note {
		t.Errorf("change note %+v", n)
	}
	// Trends through the API: Lyon is the panel of one; staff 40 → 100.
	trends := decode[struct {
		Series string
		Waves  []struct {
			Slug      string
			Responses int
		}
		Questions []struct {
			ID    string
			Panel *struct {
				First, Second string
				Scores        *struct {
					N       int
					NonZero int `json:"non_zero"`
				}
			}
		}
	}](t, a.do(request{path: "/api/v1/surveys/landscape-2026/trends", token: admin}))
	if trends.Series != "landscape" || len(trends.Waves) != 2 || trends.Waves[0].Responses != 1 || trends.Waves[1].Responses != 1 {
		t.Errorf("trends' waves %+v", trends.Waves)
	}
	for _, q := range trends.Questions {
		if q.ID == "staff_fte" && (q.Panel == nil || q.Panel.Scores == nil || q.Panel.Scores.N != 1 || q.Panel.Scores.NonZero != 1 || q.Panel.First != "landscape") {
			t.Errorf("staff's panel %+v", q.Panel)
		}
	}
	rec = a.do(request{path: "/api/v1/surveys/landscape-2026/export.csv", token: admin})
	export, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(rec.Body.String(), "\uFEFF"))).ReadAll()
	if err != nil || len(export) != 2 {
		t.Fatalf("export: %v %d rows", err, len(export))
	}
	col := slices.Index(export[0], "staff_fte_change_note")
	if col < 0 || export[1][col] != note {
		t.Errorf("the export's explanation column: header %q", export[0])
	}

	// The waves together (analysts may): long, a row per library per wave
	// (the first wave, unlabelled, named by its slug); wide, a row per
	// library and a column per question per wave; another layout is a 400.
	analyst := a.token(survey.RoleAnalyst)
	for _, layout := range []string{"", "long", "wide"} {
		rec = a.do(request{path: "/api/v1/surveys/landscape-2026/series/export.csv?layout=" + layout, token: analyst})
		rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(rec.Body.String(), "\uFEFF"))).ReadAll()
		if rec.Code != 200 || err != nil || len(rows) < 2 {
			t.Fatalf("series export %q: %d %v %s", layout, rec.Code, err, rec.Body)
		}
		if cd := rec.Header().Get("Content-Disposition"); !strings.Contains(cd, "landscape-waves-"+cmp.Or(layout, "long")+"-") {
			t.Errorf("series export %q: %s", layout, cd)
		}
		cell := func(row int, key string) string {
			if i := slices.Index(rows[0], key); i >= 0 {
				return rows[row][i]
			}
			return "(no column " + key + ")"
		}
		if layout != "wide" {
			if len(rows) != 3 || cell(1, "_wave") != "landscape" || cell(2, "_wave") != "2026" || cell(1, "staff_fte") != "40" || cell(2, "staff_fte") != "100" || cell(2, "staff_fte_change_note") != note {
				t.Errorf("long series export %q: %q", layout, rows)
			}
			continue
		}
		if len(rows) != 2 || cell(1, "staff_fte__landscape") != "40" || cell(1, "staff_fte__2026") != "100" || cell(1, "staff_fte_change_note__2026") != note {
			t.Errorf("wide series export: %q", rows)
		}
	}
	rec = a.do(request{path: "/api/v1/surveys/landscape-2026/series/export.xlsx?layout=diagonal", token: analyst})
	if e := decode[errorResponse](t, rec); rec.Code != 400 || !strings.Contains(e.Error.Message, "layout must be long") {
		t.Errorf("layout=diagonal: %d %s", rec.Code, rec.Body)
	}
	rec = a.do(request{path: "/api/v1/surveys/landscape-2026/series/codebook.csv?layout=wide", token: analyst})
	if rec.Code != 200 || !strings.HasPrefix(rec.Body.String(), "\uFEFFVariable,Columns,Label") || !strings.Contains(rec.Body.String(), "staff_fte__landscape, staff_fte_change_note__landscape, staff_fte__2026") {
		t.Errorf("codebook: %d %.300s", rec.Code, rec.Body)
	}
	if rec = a.do(request{path: "/api/v1/surveys/landscape-2026/series/export.pdf", token: analyst}); rec.Code != 404 {
		t.Errorf("series/export.pdf: %d", rec.Code)
	}

	// Oslo did not answer wave 1: nothing carried, no hint. The open form
	// has no library: nothing of anybody's.
	for name, path := range map[string]string{"Oslo": links["Deichman Oslo"], "the open form": "/s/landscape-2026?lang=fr"} {
		_, page := a.openForm(path)
		if hints := byClass(t, page, "previous"); len(hints) != 0 {
			t.Errorf("%s shows previous answers: %q", name, hints)
		}
		if v, _ := inputValue(t, page, "staff_fte"); v != "" {
			t.Errorf("%s opens with staff %q", name, v)
		}
	}

	// The working group's pages: the series on the survey page, the
	// explanation listed.
	srv := a.serve(t)
	c := newClient(t, srv)
	a.signIn(t, c, survey.RoleAdmin)
	p := c.get("/admin/surveys/landscape-2026")
	if !strings.Contains(pageText(t, p.body), "Series landscape, wave 2026. Its waves, in order: landscape → landscape-2026 (2026).") {
		t.Errorf("survey page: %s", pageText(t, p.body))
	}
	link := `href="/api/v1/surveys/landscape-2026/series/export.xlsx?layout=wide"`
	if !strings.Contains(p.body, link) {
		t.Errorf("the survey page has no link %s", link)
	} else if book := c.get("/api/v1/surveys/landscape-2026/series/export.xlsx?layout=wide"); book.status != 200 || !strings.HasPrefix(book.body, "PK") {
		t.Errorf("the wide workbook from the page: %d", book.status)
	}
	p = c.get("/admin/surveys/landscape-2026/changes")
	if cells := cellTexts(t, p.body); !slices.Contains(cells, note) || !slices.Contains(cells, "40") || !slices.Contains(cells, "100") {
		t.Errorf("changes page cells %q", cells)
	}
	// The trends page, in Spanish: Lyon answered both waves (the panel of
	// one); wave 1 had Lyon only, wave 2 Lyon only (Oslo did not answer).
	p = c.get("/admin/surveys/landscape-2026/trends?lang=es")
	if p.status != 200 || !strings.Contains(pageText(t, p.body), "Tendencias: ") {
		t.Fatalf("trends page: %d %s", p.status, pageText(t, p.body))
	}
	cells := cellTexts(t, p.body)
	if !slices.Contains(cells, "100\u00a0% (1/1; 20,7–100,0\u00a0%)") || !slices.Contains(cells, "0 puntos (N = 1, p = 1,000)") {
		t.Errorf("trends cells %q: want Lyon's org type in both waves, 1 of 1 with Wilson's interval (20.7%%–100%%)", cells)
	}
	if strings.Count(p.body, `<svg xmlns="http://www.w3.org/2000/svg" class="chart trend"`) == 0 {
		t.Error("no trend chart")
	}
	p = c.get("/admin/surveys/landscape-2026/invitations")
	if !strings.Contains(p.body, `<option value="previous_wave">Everyone from the last wave, landscape: invited there or answered</option>`) {
		t.Error("the invitations page does not offer the last wave's libraries")
	}
	p = c.post("/admin/surveys/landscape-2026/waves", url.Values{"slug": {"landscape-2027"}, "wave": {"2027"}})
	if p.status != http.StatusSeeOther || p.location != "/admin/surveys/landscape-2027" {
		t.Errorf("the next wave from the page: %d %s", p.status, p.location)
	}
}
