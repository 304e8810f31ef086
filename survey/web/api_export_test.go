package web_test

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/metlib/canvass/survey"
)

func TestExportEndpoints(t *testing.T) {
	a := newApp(t)
	rs := a.seedDemo("impact-methods", 80)
	analyst := a.token(survey.RoleAnalyst)
	europe := 0
	for _, r := range rs {
		if r.Region == survey.Europe {
			europe++
		}
	}

	rec := a.do(request{path: "/api/v1/surveys/impact-methods/export.xlsx?region=europe", token: analyst})
	if rec.Code != 200 || !strings.HasPrefix(rec.Header().Get("Content-Disposition"), `attachment; filename="impact-methods-responses-`) ||
		rec.Header().Get("Content-Type") != "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" {
		t.Fatalf("xlsx: %d %v", rec.Code, rec.Header())
	}
	f, err := excelize.OpenReader(bytes.NewReader(rec.Body.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := f.GetRows("Responses")
	if len(rows) != europe+1 {
		t.Errorf("%d rows for region europe, want %d + header", len(rows), europe)
	}

	rec = a.do(request{path: "/api/v1/surveys/impact-methods/export.csv?bom=true&labels=true&lang=fr", token: analyst})
	body := rec.Body.Bytes()
	if rec.Code != 200 || !bytes.HasPrefix(body, []byte("\xEF\xBB\xBF")) || rec.Header().Get("Content-Type") != "text/csv; charset=utf-8" {
		t.Fatalf("csv: %d", rec.Code)
	}
	records, err := csv.NewReader(bytes.NewReader(body[3:])).ReadAll()
	if err != nil || len(records) != 81 {
		t.Fatalf("csv: %d records, %v", len(records), err)
	}
	if !strings.Contains(string(body), "Nous") && !strings.Contains(string(body), "Oui") && !strings.Contains(string(body), "anonyme") {
		t.Error("labels in French not used")
	}

	rec = a.do(request{path: "/api/v1/surveys/impact-methods/export.jsonl", token: analyst})
	if lines := strings.Count(rec.Body.String(), "\n"); rec.Code != 200 || lines != 80 {
		t.Errorf("jsonl: %d, %d lines", rec.Code, lines)
	}

	rec = a.do(request{path: "/api/v1/surveys/impact-methods/export.xlsx?kind=whitepaper&by=region", token: analyst})
	if rec.Code != 200 || !strings.Contains(rec.Header().Get("Content-Disposition"), "white-paper") {
		t.Fatalf("white paper: %d %s", rec.Code, rec.Body)
	}
	f, err = excelize.OpenReader(bytes.NewReader(rec.Body.Bytes()))
	if err != nil || f.GetSheetList()[0] != "Contents" {
		t.Fatalf("white paper: %v", err)
	}

	for path, want := range map[string]int{
		"/api/v1/surveys/impact-methods/export.csv?kind=whitepaper": 400,
		"/api/v1/surveys/impact-methods/export.pdf":                 404,
		"/api/v1/surveys/impact-methods/export.xlsx?kind=zip":       400,
		"/api/v1/surveys/nope/export.csv":                           404,
		"/api/v1/surveys/impact-methods/export.csv?region=atlantis": 400,
	} {
		if rec := a.do(request{path: path, token: analyst}); rec.Code != want || !strings.Contains(rec.Body.String(), `"error"`) {
			t.Errorf("%s: %d, want %d", path, rec.Code, want)
		}
	}
	if rec := a.do(request{path: "/api/v1/surveys/impact-methods/export.csv"}); rec.Code != 401 {
		t.Errorf("anonymous export: %d", rec.Code)
	}
}

func TestDownloadLinksKeepFilters(t *testing.T) {
	a := newApp(t)
	c := newClient(t, a.serve(t))
	a.signIn(t, c, survey.RoleAnalyst)
	p := c.get("/admin/surveys/impact-methods/responses?region=europe&language=fr&page=2")
	if !strings.Contains(p.body, `href="/api/v1/surveys/impact-methods/export.csv?bom=true&amp;language=fr&amp;region=europe"`) {
		t.Errorf("responses download link lost the filters")
	}
	// The white paper with full counts keeps them; the one for
	// publication covers every response (a filtered one would be refused)
	// and says so, in the page's language.
	for _, lang := range []string{"en", "fr", "es"} {
		p = c.get("/admin/surveys/impact-methods/results?lang=" + lang + "&by=region&region=europe&answer=measurement_status%3Asystematic")
		if !strings.Contains(p.body, `export.xlsx?kind=whitepaper&amp;full_counts=true&amp;answer=measurement_status%3Asystematic&amp;by=region&amp;lang=`+lang+`&amp;region=europe"`) {
			t.Errorf("%s: the full-counts white paper link lost the filters", lang)
		}
		if !strings.Contains(p.body, `export.xlsx?kind=whitepaper&amp;by=region&amp;lang=`+lang+`">`) {
			t.Errorf("%s: the white paper for publication keeps a filter (it would be refused) or lost the grouping", lang)
		}
		if note := map[string]string{"en": "every response", "fr": "toutes les réponses", "es": "todas las respuestas"}[lang]; !strings.Contains(p.body, note) {
			t.Errorf("%s: no note that the white paper covers every response (%q)", lang, note)
		}
	}
	// Without a filter, no note.
	if p = c.get("/admin/surveys/impact-methods/results?lang=en"); strings.Contains(p.body, "a filtered one, beside the public figures") {
		t.Errorf("the note shows without a filter")
	}
}
