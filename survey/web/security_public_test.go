package web_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/metlib/canvass/survey"
)

// A draft is 404 on every public route, with the same answer as a slug that
// does not exist, and its title never shows: the working group drafts in
// the open service, and a title can say more than the section wants yet.
// A twin survey that is open, with the same title, shows it on the same
// routes, so the test would notice a route that stopped naming surveys.
func TestDraftSurveyIsNotFoundEverywherePublic(t *testing.T) {
	a := newApp(t)
	const title = "Secret merger of the Nordic libraries"
	data, err := os.ReadFile("testdata/every-type.yaml")
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	now := time.Now()
	for slug, status := range map[string]survey.Status{"secret-draft": survey.StatusDraft, "secret-open": survey.StatusOpen} {
		text := strings.Replace(string(data), "slug: every-type", "slug: "+slug, 1)
		text = strings.Replace(text, `title: {en: "Every question type", fr: "Tous les types de questions"}`, `title: {en: "`+title+`"}`, 1)
		sv, err := survey.ParseDefinition([]byte(text), "yaml")
		if err != nil {
			t.Fatal(err)
		}
		sv.Status = status
		if err := a.store.CreateSurvey(ctx, sv); err != nil {
			t.Fatal(err)
		}
		// Public counts are on (the fixture's settings) and the results
		// published: nothing but the draft status hides it.
		if err := a.store.SetResultsPublished(ctx, slug, &now); err != nil {
			t.Fatal(err)
		}
	}
	routes := []struct {
		method, path string
		named        bool // the open twin's answer names the survey
	}{
		{"GET", "/s/%s", true},
		{"GET", "/s/%s?t=some-token", false},
		{"GET", "/s/%s/thanks", true},
		{"GET", "/embed/%s", true},
		{"GET", "/embed/%s/counts.json", true},
		{"GET", "/embed/%s/badge.svg", true},
		{"GET", "/embed/%s/results/pick", false},
		{"GET", "/results/%s", true},
		{"GET", "/api/v1/surveys/%s/form", true},
	}
	for _, r := range routes {
		path := func(slug string) string { return strings.Replace(r.path, "%s", slug, 1) }
		open := a.do(request{method: r.method, path: path("secret-open")})
		if r.named && (open.Code != 200 || !strings.Contains(open.Body.String(), title)) {
			t.Errorf("%s %s: %d, the open twin's title missing:\n%s", r.method, path("secret-open"), open.Code, open.Body)
		}
		draft := a.do(request{method: r.method, path: path("secret-draft")})
		unknown := a.do(request{method: r.method, path: path("secret-none")})
		if draft.Code != http.StatusNotFound || strings.Contains(draft.Body.String(), title) || strings.Contains(draft.Body.String(), "Secret merger") {
			t.Errorf("%s %s: %d, want 404 without the title:\n%s", r.method, path("secret-draft"), draft.Code, draft.Body)
		}
		if unknown.Code != draft.Code || strings.ReplaceAll(draft.Body.String(), "secret-draft", "secret-none") != unknown.Body.String() {
			t.Errorf("%s %s: the draft's answer differs from an unknown slug's:\n%d %s\n%d %s", r.method, r.path, draft.Code, draft.Body, unknown.Code, unknown.Body)
		}
	}
	// Posting to a draft is the same 404, form or API.
	for _, slug := range []string{"secret-draft", "secret-none"} {
		fs, _ := a.openForm("/s/every-type")
		rec := a.postForm("/s/"+slug, fs, url.Values{"pick": {"a"}})
		if rec.Code != http.StatusNotFound || strings.Contains(rec.Body.String(), title) {
			t.Errorf("POST /s/%s: %d, want 404:\n%s", slug, rec.Code, rec.Body)
		}
		rec = a.do(request{method: http.MethodPost, path: "/api/v1/surveys/" + slug + "/responses", contentType: "application/json",
			body: `{"submission_id": "d0c4e7a2-5f4b-4c1e-9a38-6d2b1f0e9c11", "language": "en", "answers": {"pick": "a"}}`})
		if rec.Code != http.StatusNotFound || strings.Contains(rec.Body.String(), title) {
			t.Errorf("POST /api/v1/surveys/%s/responses: %d, want 404:\n%s", slug, rec.Code, rec.Body)
		}
	}
}

// An API token reaches the signed-in pages, but has no account: the
// account page says so with a 403 instead of failing with a 500.
func TestAccountPageWithAnAPIToken(t *testing.T) {
	a := newApp(t)
	for _, role := range []survey.Role{survey.RoleAnalyst, survey.RoleAdmin} {
		rec := a.do(request{path: "/admin/account", token: a.token(role)})
		if rec.Code != http.StatusForbidden || !strings.Contains(rec.Body.String(), "API tokens have no account") {
			t.Errorf("GET /admin/account with an %s token: %d\n%s", role, rec.Code, rec.Body)
		}
	}
	// A signed-in user still sees their account.
	c := newClient(t, a.serve(t))
	email := a.signIn(t, c, survey.RoleAnalyst)
	if p := c.get("/admin/account"); p.status != 200 || !strings.Contains(p.body, email) {
		t.Errorf("account page signed in: %d\n%s", p.status, p.body)
	}
}

var (
	flashDoneBox    = regexp.MustCompile(`<p class="flash" role="status">([^<]*)</p>`)
	flashProblemBox = regexp.MustCompile(`<p class="flash flash-error" role="alert">([^<]*)</p>`)
)

// flashShown returns the status box's text on a page: the confirmation
// and the problem, unescaped as a reader sees them.
func flashShown(body string) (done, problem string) {
	if m := flashDoneBox.FindStringSubmatch(body); m != nil {
		done = html.UnescapeString(m[1])
	}
	if m := flashProblemBox.FindStringSubmatch(body); m != nil {
		problem = html.UnescapeString(m[1])
	}
	return done, problem
}

// flashAfter follows an action's 303 as a browser would and returns the
// status box of the page it lands on.
func (c *client) flashAfter(p page) (done, problem string) {
	c.t.Helper()
	if p.status != http.StatusSeeOther {
		c.t.Fatalf("want a 303 after the action, got %d:\n%s", p.status, p.body)
	}
	location, _, _ := strings.Cut(p.location, "#")
	return flashShown(c.get(location).body)
}
