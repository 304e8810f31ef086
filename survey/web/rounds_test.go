package web_test

import (
	"bytes"
	"context"
	"html"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/metlib/canvass/campaign"
	"github.com/metlib/canvass/survey"
)

// roundFile is an old round of the closed-one survey (every question
// type): choices by label, a multi_choice's and a matrix's parts in
// columns of their own as the raw export names them, a ranking in one
// cell; Oslo's row has three values that do not fit, the third library is
// not in the directory, and one column is the survey's none.
const roundFile = `Library,City,Country,Pick one,many.x,many.y,Grid r1,grid.r2,Count,Order,land,Junk
Bibliothèque municipale de Lyon,Lyon,FR,B,1,0,High,lo,42,Q;P,fr,zzz
Deichman Oslo,Oslo,Norway,C,maybe,,,,-5,,,
Nowhere Library,Paris,FR,A,,,,,,,,
`

// roundLibraries puts Lyon and Oslo in the directory and labels the
// closed-one survey's wave 2025.
func roundLibraries(t *testing.T, a *app) (lyon, oslo *survey.Library) {
	t.Helper()
	lyon = &survey.Library{Name: "Bibliothèque municipale de Lyon", City: "Lyon", Country: "FR"}
	oslo = &survey.Library{Name: "Deichman Oslo", City: "Oslo", Country: "NO"}
	for _, l := range []*survey.Library{lyon, oslo} {
		l.Normalize()
		if err := a.store.CreateLibrary(context.Background(), l); err != nil {
			t.Fatal(err)
		}
	}
	// closed-one has no wave label, so every labelled wave would come after
	// it: labelled 2025, the rounds of 2019 and 2020 come before it.
	sv, err := a.store.FindSurvey(context.Background(), "closed-one")
	if err != nil {
		t.Fatal(err)
	}
	sv.Wave = "2025"
	if err := a.store.UpdateSurvey(context.Background(), sv); err != nil {
		t.Fatal(err)
	}
	return lyon, oslo
}

// multipartRound is a multipart body with the file and the form fields.
func multipartRound(file string, fields map[string]string) (body, contentType string) {
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	for k, v := range fields {
		_ = w.WriteField(k, v)
	}
	fw, _ := w.CreateFormFile("file", "round-2019.csv")
	_, _ = fw.Write([]byte(file))
	_ = w.Close()
	return buf.String(), w.FormDataContentType()
}

type roundJSON struct {
	WaveSlug string `json:"wave_slug"`
	After    string
	Before   string
	Exists   bool
	Columns  []struct {
		Header, Question, Part, Match string
	}
	Unmapped     []string
	Rows         int
	Matched      int
	ProblemCount int `json:"problem_count"`
	Problems     []struct {
		Row                     int
		Column, Question, Value string
		Reason                  string
	}
	Applied  bool
	Created  int
	Existing int
}

// TestImportRoundThroughTheAPI: the dry run's JSON maps the columns and
// lists every problem, writing nothing; a confirmation with problems is a
// 422; the corrected file, confirmed, is a wave of the series.
func TestImportRoundThroughTheAPI(t *testing.T) {
	a := newApp(t)
	admin := a.token(survey.RoleAdmin)
	lyon, _ := roundLibraries(t, a)
	ctx := context.Background()
	surveysBefore, _ := a.store.ListSurveyHeaders(ctx)
	responsesBefore, _ := a.store.CountMatching(ctx, survey.ResponseFilter{})

	body, ct := multipartRound(roundFile, map[string]string{"wave": "2019"})
	rec := a.do(request{method: http.MethodPost, path: "/api/v1/surveys/closed-one/waves/import", token: admin, contentType: ct, body: body})
	if rec.Code != http.StatusOK {
		t.Fatalf("dry run: %d %s", rec.Code, rec.Body)
	}
	dry := decode[roundJSON](t, rec)
	if dry.WaveSlug != "closed-one-2019" || dry.Before != "closed-one" || dry.Applied || dry.Rows != 3 || dry.Matched != 2 {
		t.Errorf("dry run %+v", dry)
	}
	mapped := map[string]string{}
	for _, c := range dry.Columns {
		mapped[c.Header] = c.Question + "/" + c.Part + "/" + c.Match
	}
	want := map[string]string{"Library": "//name", "City": "//city", "Country": "//country", "Pick one": "pick//", "many.x": "many/x/", "many.y": "many/y/",
		"Grid r1": "grid/r1/", "grid.r2": "grid/r2/", "Count": "count//", "Order": "order//", "land": "land//"}
	if !mapsEqual(mapped, want) || !slices.Equal(dry.Unmapped, []string{"Junk"}) {
		t.Errorf("columns %v, unmapped %v; want %v", mapped, dry.Unmapped, want)
	}
	var got []string
	for _, p := range dry.Problems {
		got = append(got, p.Column+"="+p.Value)
		if p.Row != 3 && p.Row != 4 || p.Reason == "" {
			t.Errorf("problem %+v", p)
		}
	}
	if !slices.Equal(got, []string{"many.x=maybe", "Pick one=C", "Count=-5", "Library, City, Country=Nowhere Library | Paris | FR"}) || dry.ProblemCount != 4 {
		t.Errorf("problems %q", got)
	}
	surveysAfter, _ := a.store.ListSurveyHeaders(ctx)
	responsesAfter, _ := a.store.CountMatching(ctx, survey.ResponseFilter{})
	if len(surveysAfter) != len(surveysBefore) || responsesAfter != responsesBefore {
		t.Errorf("the dry run wrote: %d surveys, %d responses; before %d, %d", len(surveysAfter), responsesAfter, len(surveysBefore), responsesBefore)
	}

	body, ct = multipartRound(roundFile, map[string]string{"wave": "2019", "confirm": "true"})
	rec = a.do(request{method: http.MethodPost, path: "/api/v1/surveys/closed-one/waves/import", token: admin, contentType: ct, body: body})
	if e := decode[errorResponse](t, rec); rec.Code != http.StatusUnprocessableEntity || len(e.Error.Fields) != 4 || !strings.HasPrefix(e.Error.Fields[0].Path, "row 3") {
		t.Errorf("confirming with problems: %d %s", rec.Code, rec.Body)
	}
	if _, err := a.store.FindSurvey(ctx, "closed-one-2019"); survey.ErrorCode(err) != survey.ENOTFOUND {
		t.Errorf("a refused confirmation made the wave: %v", err)
	}

	fixed := strings.Join(strings.Split(roundFile, "\n")[:2], "\n") + "\n"
	rec = a.do(request{method: http.MethodPost, path: "/api/v1/surveys/closed-one/waves/import?wave=2019&confirm=true", token: admin, contentType: "text/csv", body: fixed})
	if done := decode[roundJSON](t, rec); rec.Code != http.StatusOK || !done.Applied || done.Created != 1 {
		t.Fatalf("confirmed: %d %s", rec.Code, rec.Body)
	}
	series := decode[struct {
		Waves []struct{ Slug, Wave, Status string }
	}](t, a.do(request{path: "/api/v1/surveys/closed-one/series", token: admin}))
	if len(series.Waves) != 2 || series.Waves[0].Slug != "closed-one-2019" || series.Waves[0].Status != "closed" {
		t.Errorf("series after the import %+v", series)
	}
	r, err := a.store.FindResponseBySubmission(ctx, "closed-one-2019", campaign.ImportedSubmissionID("closed-one-2019", lyon.ID))
	if err != nil || r.LibraryID != lyon.ID || r.Status != survey.ResponseSubmitted {
		t.Fatalf("Lyon's response: %+v %v", r, err)
	}
	if got, _ := survey.MarshalAnswers(r.Answers); string(got) != `{"count":42,"grid":{"r1":"hi","r2":"lo"},"land":"FR","many":["x"],"order":["q","p"],"pick":"b"}` {
		t.Errorf("Lyon's answers %s", got)
	}
	rec = a.do(request{method: http.MethodPost, path: "/api/v1/surveys/closed-one/waves/import?wave=2019&confirm=true", token: admin, contentType: "text/csv", body: fixed})
	if again := decode[roundJSON](t, rec); rec.Code != http.StatusOK || !again.Exists || again.Created != 0 || again.Existing != 1 {
		t.Errorf("confirmed again: %d %s", rec.Code, rec.Body)
	}
	rec = a.do(request{method: http.MethodPost, path: "/api/v1/surveys/closed-one/waves/import?wave=2019", token: a.token(survey.RoleAnalyst), contentType: "text/csv", body: fixed})
	if rec.Code != http.StatusForbidden {
		t.Errorf("an analyst's import: %d", rec.Code)
	}
	rec = a.do(request{method: http.MethodPost, path: "/api/v1/surveys/closed-one/waves/import", token: admin, contentType: "text/csv", body: fixed})
	if e := decode[errorResponse](t, rec); rec.Code != http.StatusUnprocessableEntity || len(e.Error.Fields) != 1 || e.Error.Fields[0].Path != "wave" {
		t.Errorf("no label: %d %s", rec.Code, rec.Body)
	}
}

func mapsEqual(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// TestImportRoundPage: from the survey's page, the file is checked (its
// problems shown, no confirmation offered), then a corrected file's dry
// run is confirmed with the same upload carried back.
func TestImportRoundPage(t *testing.T) {
	a := newApp(t)
	roundLibraries(t, a)
	c := newClient(t, a.serve(t))
	a.signIn(t, c, survey.RoleAdmin)
	if p := c.get("/admin/surveys/closed-one"); !strings.Contains(p.body, "Import an old round") || !strings.Contains(p.body, `action="/admin/surveys/closed-one/waves/import"`) {
		t.Fatalf("the survey page offers no import of a round: %d", p.status)
	}
	bad := c.uploadFile("/admin/surveys/closed-one/waves/import", "file", "round.csv", []byte(roundFile), url.Values{"wave": {"2020"}})
	if bad.status != http.StatusOK || !strings.Contains(bad.body, "Problems to correct") || !strings.Contains(bad.body, "Nowhere Library") || strings.Contains(bad.body, "Confirm the import") {
		t.Fatalf("a file with problems: %d\n%s", bad.status, bad.body)
	}
	fixed := strings.Join(strings.Split(roundFile, "\n")[:2], "\n") + "\n"
	dry := c.uploadFile("/admin/surveys/closed-one/waves/import", "file", "round.csv", []byte(fixed), url.Values{"wave": {"2020"}})
	if dry.status != http.StatusOK || !strings.Contains(dry.body, "Confirm the import") || !strings.Contains(dry.body, "closed-one-2020") {
		t.Fatalf("dry run: %d\n%s", dry.status, dry.body)
	}
	if _, err := a.store.FindSurvey(context.Background(), "closed-one-2020"); survey.ErrorCode(err) != survey.ENOTFOUND {
		t.Fatalf("the dry run made the wave: %v", err)
	}
	carried := regexp.MustCompile(`name="data" value="([^"]+)"`).FindStringSubmatch(dry.body)
	if carried == nil {
		t.Fatal("the dry run carries no file to the confirmation")
	}
	without := c.post("/admin/surveys/closed-one/waves/import", url.Values{"data": {html.UnescapeString(carried[1])}, "filename": {"round.csv"}, "wave": {"2020"}, "confirm": {"yes"}, "csrf_token": {"forged"}})
	if without.status != http.StatusForbidden {
		t.Errorf("a confirmation with a forged CSRF token: %d", without.status)
	}
	done := c.post("/admin/surveys/closed-one/waves/import", url.Values{"data": {html.UnescapeString(carried[1])}, "filename": {"round.csv"}, "wave": {"2020"}, "confirm": {"yes"}})
	if done.status != http.StatusOK || !strings.Contains(done.body, "Imported as wave 2020: 1 response written") {
		t.Fatalf("confirm: %d\n%s", done.status, done.body)
	}
	if n, _ := a.store.CountMatching(context.Background(), survey.ResponseFilter{SurveySlug: "closed-one-2020", Source: campaign.ImportSource}); n != 1 {
		t.Errorf("%d imported responses, want 1", n)
	}
	if p := c.get("/admin/surveys/closed-one-2020"); p.status != http.StatusOK || !strings.Contains(p.body, `<strong>closed-one-2020 (2020)</strong> → <a href="/admin/surveys/closed-one">closed-one (2025)</a>`) {
		t.Errorf("the wave's page: %d %s", p.status, pageText(t, p.body))
	}
	if p := c.uploadFile("/admin/surveys/closed-one/waves/import", "file", "round.csv", []byte(fixed), url.Values{"wave": {""}}); p.status != http.StatusUnprocessableEntity || !strings.Contains(p.body, "Give the round a label") {
		t.Errorf("no label: %d", p.status)
	}
}
