package web_test

import (
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

func TestFormRendersEveryQuestionTypeAccessibly(t *testing.T) {
	a := newApp(t)
	_, body := a.openForm("/s/every-type")
	for _, want := range []string{
		`<fieldset`, `<legend>Pick one <abbr class="req"`,
		`type="radio" id="pick-a" name="pick" value="a"`, `<label for="pick-a">A</label>`,
		`<input type="text" id="pick_other" name="pick_other"`,
		`type="checkbox" id="many-none" name="many" value="none" data-exclusive`,
		`name="grid[r1]" value="lo"`, `<th scope="row" id="grid-r1-label">Row 1</th>`,
		`data-show-if="{&#34;question&#34;:&#34;many&#34;,&#34;equals&#34;:&#34;x&#34;}"`,
		`<input type="text" id="count" name="count" value="" inputmode="decimal"`,
		`<input type="text" id="name" name="name" value="" maxlength="10"`,
		`<textarea id="essay" name="essay"`,
		`<input type="email" id="mail" name="mail"`,
		`<input type="url" id="site" name="site"`,
		`<input type="date" id="day" name="day"`,
		`<select id="land" name="land" data-country`, `<option value="FR" data-region="europe">France</option>`,
		`<select id="order-p" name="order[p]">`,
		`<section class="section" id="section-two" data-show-if=`,
		`name="csrf_token"`, `novalidate`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("form lacks %s", want)
		}
	}
}

func TestFormLanguage(t *testing.T) {
	a := newApp(t)
	cases := []struct {
		name, path, accept, wantLang, wantTitle string
	}{
		{"query", "/s/impact-methods?lang=fr", "", "fr", "Enquête sur les méthodes de mesure d&#39;impact"},
		{"accept-language", "/s/impact-methods", "es-MX,es;q=0.9,en;q=0.5", "es", "Encuesta sobre métodos de medición del impacto"},
		{"unsupported falls back", "/s/impact-methods?lang=de", "de-DE", "en", "Impact measurement methods survey"},
		{"query beats header", "/s/impact-methods?lang=en", "fr", "en", "Impact measurement methods survey"},
		{"query in capitals", "/s/impact-methods?lang=FR", "", "fr", "Enquête sur les méthodes de mesure d&#39;impact"},
		{"query with a region", "/s/impact-methods?lang=es-MX", "", "es", "Encuesta sobre métodos de medición del impacto"},
		{"query with an underscore", "/s/impact-methods?lang=fr_CA", "", "fr", "Enquête sur les méthodes de mesure d&#39;impact"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rec := a.do(request{path: tc.path, header: map[string]string{"Accept-Language": tc.accept}})
			body := rec.Body.String()
			if rec.Code != http.StatusOK || !strings.Contains(body, `<html lang="`+tc.wantLang+`">`) || !strings.Contains(body, "<h1>"+tc.wantTitle+"</h1>") {
				t.Errorf("status %d; want lang %s and title %q", rec.Code, tc.wantLang, tc.wantTitle)
			}
		})
	}
	// The switcher links to every language.
	body := a.do(request{path: "/s/impact-methods?lang=fr"}).Body.String()
	for _, link := range []string{`href="/s/impact-methods?lang=en"`, `href="/s/impact-methods?lang=es"`, `<span aria-current="true" lang="fr">Français</span>`} {
		if !strings.Contains(body, link) {
			t.Errorf("language switcher lacks %s", link)
		}
	}
}

func TestUnknownAndClosedSurveysGetPages(t *testing.T) {
	a := newApp(t)
	rec := a.do(request{path: "/s/nope"})
	if rec.Code != http.StatusNotFound || !strings.Contains(rec.Body.String(), `There is no survey &#34;nope&#34;.`) || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/html") {
		t.Errorf("unknown survey: %d %s", rec.Code, rec.Body.String())
	}
	rec = a.do(request{path: "/s/closed-one?lang=fr"})
	if rec.Code != http.StatusConflict || !strings.Contains(rec.Body.String(), "Cette enquête est fermée") {
		t.Errorf("closed survey: %d", rec.Code)
	}
	rec = a.do(request{method: http.MethodPost, path: "/s/closed-one", body: "pick=a", contentType: "application/x-www-form-urlencoded"})
	if rec.Code != http.StatusConflict {
		t.Errorf("post to closed survey: %d", rec.Code)
	}
}

// validForm answers every required question of the every-type fixture.
func validForm() url.Values {
	return url.Values{"pick": {"a"}, "grid[r1]": {"lo"}, "count": {"12"}}
}

func TestSubmitFormStoresOnceAndThanks(t *testing.T) {
	a := newApp(t)
	fs, _ := a.openForm("/s/every-type?lang=fr")
	rec := a.postForm("/s/every-type?lang=fr", fs, validForm())
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/s/every-type/thanks?lang=fr" {
		t.Fatalf("post: %d %s", rec.Code, rec.Header().Get("Location"))
	}
	// A double submit (same submission id, same answers) lands on the same page, storing nothing more.
	rec = a.postForm("/s/every-type?lang=fr", fs, validForm())
	if rec.Code != http.StatusSeeOther {
		t.Errorf("double submit: %d", rec.Code)
	}
	if n := a.countResponses("every-type"); n != 1 {
		t.Errorf("%d responses stored, want 1", n)
	}
	thanks := a.do(request{path: "/s/every-type/thanks?lang=fr"})
	if thanks.Code != http.StatusOK || !strings.Contains(thanks.Body.String(), "Votre réponse a été enregistrée.") {
		t.Errorf("thanks page: %d", thanks.Code)
	}
	// The same submission id with other answers is refused.
	other := validForm()
	other.Set("pick", "b")
	other.Set("why_b", "because")
	if rec := a.postForm("/s/every-type", fs, other); rec.Code != http.StatusConflict {
		t.Errorf("same id, other answers: %d", rec.Code)
	}
}

func TestSubmitFormKeepsAnswersOnErrors(t *testing.T) {
	a := newApp(t)
	fs, _ := a.openForm("/s/every-type")
	values := url.Values{"pick": {"other"}, "pick_other": {""}, "count": {"lots"}, "name": {"Ada <b>"}, "many": {"x", "y"}, "order[p]": {"2"}}
	rec := a.postForm("/s/every-type", fs, values)
	body := rec.Body.String()
	if rec.Code != http.StatusUnprocessableEntity {
		t.Fatalf("status %d, want 422", rec.Code)
	}
	for _, want := range []string{
		`id="error-summary"`, `<a href="#q-pick">Pick one</a>: Please specify your other answer.`,
		`<p class="error" id="err-count">Enter a number`,
		`<input type="text" id="count" name="count" value="lots" inputmode="decimal" aria-describedby="err-count" aria-invalid="true">`,
		`value="Ada &lt;b&gt;"`, // typed text comes back, escaped
		`id="many-x" name="many" value="x" checked`, `id="many-y" name="many" value="y" checked`,
		`id="pick-other" name="pick" value="other" checked`,
		`<option value="2" selected>2</option>`,
		`name="submission_id" value="` + fs.submissionID + `"`, // the same id, so a retry cannot double
		`<a href="#q-grid">Grid</a>: This question requires an answer.`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("re-rendered form lacks %s", want)
		}
	}
	if n := a.countResponses("every-type"); n != 0 {
		t.Errorf("%d responses stored from an invalid form", n)
	}
}

func TestSubmitFormNeedsCSRFToken(t *testing.T) {
	a := newApp(t)
	fs, _ := a.openForm("/s/every-type")
	cases := map[string]func() *http.Response{
		"no token": func() *http.Response {
			values := validForm()
			values.Set("csrf_token", "forged")
			return a.postForm("/s/every-type", fs, values).Result()
		},
		"no cookie": func() *http.Response {
			return a.postForm("/s/every-type", formSession{csrf: fs.csrf, submissionID: fs.submissionID}, validForm()).Result()
		},
	}
	for name, post := range cases {
		t.Run(name, func(t *testing.T) {
			res := post()
			b, _ := io.ReadAll(res.Body)
			body := string(b)
			if res.StatusCode != http.StatusForbidden || !strings.Contains(body, "Your session expired") || !strings.Contains(body, `id="pick-a" name="pick" value="a" checked`) {
				t.Errorf("status %d; want 403 with the answers kept", res.StatusCode)
			}
		})
	}
	if n := a.countResponses("every-type"); n != 0 {
		t.Errorf("%d responses stored without a CSRF token", n)
	}
}

func TestServerSideShowIfOnForm(t *testing.T) {
	a := newApp(t)
	fs, _ := a.openForm("/s/every-type")
	values := validForm()
	values.Set("pick", "b") // shows section two, whose why_b is required
	rec := a.postForm("/s/every-type", fs, values)
	if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(rec.Body.String(), `<a href="#q-why_b">Why?</a>`) {
		t.Errorf("status %d; want why_b required", rec.Code)
	}
	// Hidden (pick=a) → why_b's answer is dropped, not stored.
	values = validForm()
	values.Set("why_b", "ignored")
	if rec := a.postForm("/s/every-type", fs, values); rec.Code != http.StatusSeeOther {
		t.Fatalf("status %d", rec.Code)
	}
	list := decode[listResponses](t, a.do(request{path: "/api/v1/surveys/every-type/responses", token: a.token("analyst")}))
	if _, kept := list.Responses[0].Answers["why_b"]; kept {
		t.Error("hidden question's answer was stored")
	}
}

func TestIndexListsOpenSurveys(t *testing.T) {
	a := newApp(t)
	body := a.do(request{path: "/?lang=es"}).Body.String()
	if !strings.Contains(body, `href="/s/impact-methods?lang=es"`) || !strings.Contains(body, `href="/s/landscape?lang=es"`) || strings.Contains(body, "closed-one") {
		t.Errorf("index: %s", body)
	}
}

func TestSecurityHeadersOnEveryPage(t *testing.T) {
	a := newApp(t)
	for _, path := range []string{"/", "/s/every-type", "/s/nope", "/api/v1/surveys/every-type/form", "/healthz", "/static/canvass.css"} {
		rec := a.do(request{path: path})
		h := rec.Header()
		if !strings.Contains(h.Get("Content-Security-Policy"), "frame-ancestors 'none'") || h.Get("X-Content-Type-Options") != "nosniff" ||
			h.Get("Referrer-Policy") == "" || !regexp.MustCompile(`^[0-9a-f-]{36}$`).MatchString(h.Get("X-Request-ID")) {
			t.Errorf("%s: headers %v", path, h)
		}
	}
	rec := a.do(request{path: "/healthz", header: map[string]string{"X-Request-ID": "abc-123"}})
	if rec.Header().Get("X-Request-ID") != "abc-123" {
		t.Errorf("request id not echoed: %q", rec.Header().Get("X-Request-ID"))
	}
}
