package web_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/metlib/canvass/survey"
)

type countsBody struct {
	Survey string
	Title  string
	Total  struct {
		Count    *int
		Withheld bool
		Label    string
	}
	Countries *int
	ByRegion  []struct {
		Key      string
		Label    string
		Count    *int
		Withheld bool
	} `json:"by_region"`
	ByType []struct {
		Key   string
		Count *int
	} `json:"by_type"`
	Threshold int
	Note      string
}

// storeResponses adds n submitted responses to slug from country.
func (a *app) storeResponses(t *testing.T, slug, country string, region survey.Region, n int, answers survey.Answers) {
	t.Helper()
	for i := 0; i < n; i++ {
		_, _, err := a.store.CreateResponse(context.Background(), &survey.Response{SurveySlug: slug, SurveyVersion: 1, SubmissionID: fmt.Sprintf("%s-%s-%03d", slug, country, i),
			Status: survey.ResponseSubmitted, Country: country, Region: region, Answers: answers, CreatedAt: time.Now()})
		if err != nil {
			t.Fatal(err)
		}
	}
}

func TestEmbedCounts(t *testing.T) {
	a := newApp(t)
	// k is 5 for the landscape survey: 4 and 1 are withheld, and so is
	// Europe's 5, which the total 10 would turn into their sum, 5 (each of
	// them then provably under 5); likewise the types' 6 and 4.
	a.storeResponses(t, "landscape", "FR", survey.Europe, 5, survey.Answers{"org_type": "city_system"})
	a.storeResponses(t, "landscape", "CA", survey.NorthAmerica, 4, survey.Answers{"org_type": "regional_system"})
	a.storeResponses(t, "landscape", "MX", survey.LatinAmericaCaribbean, 1, survey.Answers{"org_type": "city_system"})
	// A draft is not counted.
	_, _, _ = a.store.CreateResponse(t.Context(), &survey.Response{SurveySlug: "landscape", SurveyVersion: 1, SubmissionID: "a-draft-0001", Status: survey.ResponseDraft, Country: "DE", Region: survey.Europe, CreatedAt: time.Now()})

	rec := a.do(request{path: "/embed/landscape/counts.json?lang=fr"})
	if rec.Code != 200 {
		t.Fatalf("counts: %d %s", rec.Code, rec.Body)
	}
	got := decode[countsBody](t, rec)
	byRegion := map[string]string{}
	for _, r := range got.ByRegion {
		switch {
		case r.Count != nil && !r.Withheld:
			byRegion[r.Key] = fmt.Sprint(*r.Count)
		case r.Count == nil && r.Withheld:
			byRegion[r.Key] = "x"
		default:
			byRegion[r.Key] = fmt.Sprintf("%v withheld %v", r.Count, r.Withheld)
		}
	}
	// The number of countries only beside the total and every region:
	// beside a withheld region it would narrow it.
	if got.Total.Count == nil || *got.Total.Count != 10 || got.Countries != nil || got.Threshold != 5 || got.Total.Label != "réponses" {
		t.Errorf("total %+v countries %v, want 10 and no countries (regions withheld)", got.Total, got.Countries)
	}
	if byRegion["europe"] != "x" || byRegion["north_america"] != "x" || byRegion["latin_america_caribbean"] != "x" || byRegion["asia_oceania"] != "0" {
		t.Errorf("by region %v", byRegion)
	}
	if got.ByRegion[1].Label != "Europe" || !strings.Contains(rec.Body.String(), `"label":"Amérique du Nord"`) {
		t.Errorf("labels are not in French: %s", rec.Body)
	}
	byType := map[string]*int{}
	for _, ty := range got.ByType {
		byType[ty.Key] = ty.Count
	}
	if byType["city_system"] != nil || byType["regional_system"] != nil {
		t.Errorf("by type %v", got.ByType)
	}
	for _, leak := range []string{"FR\"", "submission", "answers", "@"} {
		if strings.Contains(rec.Body.String(), leak) {
			t.Errorf("counts carry %q: %s", leak, rec.Body)
		}
	}

	// Open to every origin, framable, cached briefly, with a working ETag.
	h := rec.Header()
	if h.Get("Access-Control-Allow-Origin") != "*" || h.Get("X-Frame-Options") != "" || !strings.Contains(h.Get("Content-Security-Policy"), "frame-ancestors *") ||
		h.Get("Cache-Control") != "public, max-age=30" || h.Get("ETag") == "" {
		t.Errorf("embed headers %v", h)
	}
	if again := a.do(request{path: "/embed/landscape/counts.json?lang=fr", header: map[string]string{"If-None-Match": h.Get("ETag")}}); again.Code != 304 || again.Body.Len() != 0 {
		t.Errorf("conditional GET: %d", again.Code)
	}
	other := a.do(request{path: "/s/landscape"}).Header()
	if other.Get("X-Frame-Options") != "DENY" || !strings.Contains(other.Get("Content-Security-Policy"), "frame-ancestors 'none'") {
		t.Errorf("the form may be framed: %v", other)
	}

	// Responses stored by another instance (straight into the database).
	// The public counts move in steps of k (differencing: a count that
	// followed every response would give each respondent away, see
	// docs/embed.md), so one more response changes nothing, even after the
	// count's reuse time; k more show once it has passed, with a new ETag.
	clock := time.Now().UTC()
	a.server.SetClock(func() time.Time { return clock })
	a.do(request{path: "/embed/landscape/counts.json?lang=fr"})
	a.storeResponses(t, "landscape", "US", survey.NorthAmerica, 1, survey.Answers{"org_type": "regional_system"})
	clock = clock.Add(11 * time.Second)
	if one := a.do(request{path: "/embed/landscape/counts.json?lang=fr"}); *decode[countsBody](t, one).Total.Count != 10 || one.Header().Get("ETag") != h.Get("ETag") {
		t.Errorf("one response (k = 5) changed the counts: %s", one.Body)
	}
	a.storeResponses(t, "landscape", "JP", survey.AsiaOceania, 4, survey.Answers{"org_type": "city_system"})
	if n := decode[countsBody](t, a.do(request{path: "/embed/landscape/counts.json?lang=fr"})); *n.Total.Count != 10 {
		t.Errorf("within the cache time: %d", *n.Total.Count)
	}
	clock = clock.Add(11 * time.Second)
	later := a.do(request{path: "/embed/landscape/counts.json?lang=fr"})
	n := decode[countsBody](t, later)
	if *n.Total.Count != 15 || later.Header().Get("ETag") == h.Get("ETag") {
		t.Errorf("after k = 5 more and the cache time: %d, etag %s", *n.Total.Count, later.Header().Get("ETag"))
	}
	// North America now has 5: shown, or withheld to protect a smaller one.
	if n.ByRegion[4].Key != "north_america" || n.ByRegion[4].Count != nil && *n.ByRegion[4].Count != 5 {
		t.Errorf("north america at k: %+v", n.ByRegion[4])
	}
}

// TestEmbedCountsIgnoreSingleLocalSubmissions: a submission here used to
// show in counts.json at once, which let anyone read a respondent's region
// and type off the difference (issue #15); now k−1 submissions change
// nothing however long one waits, and the k-th shows once the count's
// reuse time has passed.
func TestEmbedCountsIgnoreSingleLocalSubmissions(t *testing.T) {
	a := newApp(t)
	clock := time.Now().UTC()
	a.server.SetClock(func() time.Time { return clock })
	a.storeResponses(t, "every-type", "FR", survey.Europe, 5, nil)
	before := a.do(request{path: "/embed/every-type/counts.json"})
	if n := decode[countsBody](t, before); *n.Total.Count != 5 {
		t.Fatalf("before: %+v", n.Total)
	}
	submit := func() {
		t.Helper()
		fs, _ := a.openForm("/s/every-type")
		if rec := a.postForm("/s/every-type", fs, validForm()); rec.Code != http.StatusSeeOther {
			t.Fatalf("submit: %d", rec.Code)
		}
	}
	for range 4 {
		submit()
	}
	clock = clock.Add(time.Minute)
	if after := a.do(request{path: "/embed/every-type/counts.json"}); after.Body.String() != before.Body.String() {
		t.Errorf("4 submissions here (k = 5) changed counts.json:\nbefore %s\nafter  %s", before.Body, after.Body)
	}
	submit()
	clock = clock.Add(time.Minute)
	if n := decode[countsBody](t, a.do(request{path: "/embed/every-type/counts.json"})); *n.Total.Count != 10 {
		t.Errorf("after the 5th submission here: %+v, want 10", n.Total)
	}
}

func TestEmbedHidesSurveysWithoutPublicCounts(t *testing.T) {
	a := newApp(t)
	sv, _ := a.store.FindSurvey(t.Context(), "every-type")
	sv.Settings.PublicCounts = false
	sv.Version++
	if err := a.store.UpdateSurvey(t.Context(), sv); err != nil {
		t.Fatal(err)
	}
	hidden := a.do(request{path: "/embed/every-type/counts.json"})
	unknown := a.do(request{path: "/embed/no-such-survey/counts.json"})
	if hidden.Code != 404 || unknown.Code != 404 || strings.ReplaceAll(hidden.Body.String(), "every-type", "X") != strings.ReplaceAll(unknown.Body.String(), "no-such-survey", "X") {
		t.Errorf("hidden %d %s / unknown %d %s", hidden.Code, hidden.Body, unknown.Code, unknown.Body)
	}
	for _, path := range []string{"/embed/every-type", "/embed/every-type/badge.svg"} {
		if rec := a.do(request{path: path}); rec.Code != 404 {
			t.Errorf("%s: %d", path, rec.Code)
		}
	}
}

func TestEmbedBadgeAndPage(t *testing.T) {
	a := newApp(t)
	a.storeResponses(t, "landscape", "FR", survey.Europe, 7, nil)
	a.storeResponses(t, "landscape", "KE", survey.SubSaharanAfrica, 2, nil)
	badge := a.do(request{path: "/embed/landscape/badge.svg?lang=es"})
	if badge.Code != 200 || badge.Header().Get("Content-Type") != "image/svg+xml; charset=utf-8" || !strings.Contains(badge.Body.String(), "<title>Encuesta sobre el panorama de las bibliotecas metropolitanas: 9 respuestas</title>") ||
		!strings.Contains(badge.Body.String(), `aria-label="respuestas: 9"`) {
		t.Errorf("badge: %d %s", badge.Code, badge.Body)
	}
	page := a.do(request{path: "/embed/landscape?lang=fr"})
	body := page.Body.String()
	// Kenya's 2 is withheld, and so is Europe's 7 (9 − 7 = 2): two x and the
	// note; no number of countries beside withheld regions.
	if page.Code != 200 || !strings.Contains(body, `<p class="total">9 réponses</p>`) || !strings.Contains(body, "<dt>Europe</dt>") || strings.Count(body, "<span>x</span>") != 2 ||
		!strings.Contains(body, "x\u00a0: non publié.") ||
		strings.Contains(body, " pays</p>") || strings.Count(body, "<script") != 1 || !strings.Contains(body, `<script src="/static/times.js" defer></script>`) { // its one script writes the update time in the visitor's zone
		t.Errorf("embed page: %d\n%s", page.Code, body)
	}
	if page.Header().Get("X-Frame-Options") != "" {
		t.Error("the embed page cannot be framed")
	}
	js := a.do(request{path: "/embed/landscape/widget.js"})
	if js.Code != 200 || !strings.Contains(js.Body.String(), "attachShadow") || !strings.Contains(js.Header().Get("Content-Type"), "javascript") {
		t.Errorf("widget: %d %s", js.Code, js.Header())
	}
	if rec := a.do(request{method: http.MethodPost, path: "/embed/landscape/counts.json"}); rec.Code == 200 {
		t.Error("POST to counts succeeded")
	}
}

func TestEmbedLibraries(t *testing.T) {
	a := newApp(t)
	admin := a.token(survey.RoleAdmin)
	for _, body := range []string{
		`{"name": "Stadtbibliothek Köln", "city": "Köln", "country": "DE", "type": "city_system", "public_profile": true, "website": "https://stbib-koeln.de", "contacts": [{"name": "Hannelore Vogt", "email": "hv@stbib-koeln.de"}]}`,
		`{"name": "Hidden Library", "country": "FR"}`,
	} {
		if rec := a.do(request{method: http.MethodPost, path: "/api/v1/libraries", token: admin, body: body, contentType: "application/json"}); rec.Code != 201 {
			t.Fatal(rec.Body)
		}
	}
	js := a.do(request{path: "/embed/libraries.json"})
	if js.Code != 200 || !strings.Contains(js.Body.String(), `"name":"Stadtbibliothek Köln"`) || strings.Contains(js.Body.String(), "Hidden") || strings.Contains(js.Body.String(), "Vogt") ||
		js.Header().Get("Access-Control-Allow-Origin") != "*" || js.Header().Get("ETag") == "" {
		t.Errorf("libraries.json: %d %s %v", js.Code, js.Body, js.Header())
	}
	page := a.do(request{path: "/embed/libraries?lang=fr"})
	if page.Code != 200 || !strings.Contains(page.Body.String(), "Stadtbibliothek Köln") || !strings.Contains(page.Body.String(), "Allemagne") || strings.Contains(page.Body.String(), "hv@") ||
		page.Header().Get("X-Frame-Options") != "" {
		t.Errorf("libraries page: %d %s", page.Code, page.Body)
	}
}
