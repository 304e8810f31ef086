package web_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/metlib/canvass/survey"
)

type responseBody struct {
	ID            string         `json:"id"`
	Survey        string         `json:"survey"`
	SurveyVersion int            `json:"survey_version"`
	SubmissionID  string         `json:"submission_id"`
	Language      string         `json:"language"`
	Status        string         `json:"status"`
	Answers       map[string]any `json:"answers"`
	CreatedAt     time.Time      `json:"created_at"`
}

type listResponses struct {
	Responses []responseBody `json:"responses"`
	Page      int            `json:"page"`
	PerPage   int            `json:"per_page"`
	Total     int            `json:"total"`
}

const validJSON = `{"submission_id": "11111111-2222-3333-4444-555555555555", "language": "fr",
  "answers": {"pick": "other", "pick_other": "Bibliobus", "many": ["y", "x"], "grid": {"r1": "lo", "r2": "hi"},
              "count": 400000, "agree": 5, "land": "mx", "order": ["s", "p"]}}`

func TestAPIFormUsesDefinitionFieldNames(t *testing.T) {
	runScenarios(t, []scenario{
		{name: "known survey", url: "/api/v1/surveys/impact-methods/form", status: 200, contentType: "application/json",
			check: func(t *testing.T, _ *app, rec *httptest.ResponseRecorder) {
				def := decode[map[string]any](t, rec)
				if def["slug"] != "impact-methods" || def["default_language"] != "en" {
					t.Errorf("form: %v", def)
				}
				methods := def["sections"].([]any)[1].(map[string]any)["questions"].([]any)[1].(map[string]any)
				opt := methods["options"].([]any)[0].(map[string]any)
				if methods["id"] != "methods_used" || methods["type"] != "multi_choice" || methods["required"] != true || opt["group"] != "inferred" || opt["value"] != "output_statistics" {
					t.Errorf("methods_used as %v", methods)
				}
			}},
		{name: "unknown survey", url: "/api/v1/surveys/nope/form", status: 404, errorCode: "not_found"},
	})
}

// submit is a scenario posting body as JSON to a survey's responses.
func submit(name, slug, body string, status int) scenario {
	return scenario{name: name, method: http.MethodPost, url: "/api/v1/surveys/" + slug + "/responses", body: body,
		headers: map[string]string{"Content-Type": "application/json"}, status: status}
}

// postFirst stores validJSON before the scenario's request, and returns the
// body the API answered with.
func postFirst(t *testing.T, a *app) string {
	t.Helper()
	rec := a.do(request{method: http.MethodPost, path: "/api/v1/surveys/every-type/responses", body: validJSON, contentType: "application/json"})
	if rec.Code != http.StatusCreated {
		t.Fatalf("first post: %d %s", rec.Code, rec.Body)
	}
	return rec.Body.String()
}

// stored checks how many every-type responses the scenario left.
func stored(want int) func(*testing.T, *app, *httptest.ResponseRecorder) {
	return func(t *testing.T, a *app, _ *httptest.ResponseRecorder) {
		if n := a.countResponses("every-type"); n != want {
			t.Errorf("%d stored, want %d", n, want)
		}
	}
}

func TestAPISubmitStatuses(t *testing.T) {
	withError := func(sc scenario, code, field string) scenario {
		sc.errorCode, sc.errorField, sc.check = code, field, stored(0)
		return sc
	}
	created := submit("created", "every-type", validJSON, 201)
	created.contentType = "application/json"
	created.check = func(t *testing.T, a *app, rec *httptest.ResponseRecorder) {
		first := decode[responseBody](t, rec)
		if first.SubmissionID != "11111111-2222-3333-4444-555555555555" || first.Language != "fr" || first.Status != "submitted" ||
			first.Answers["land"] != "MX" || first.Answers["count"] != 400000.0 || first.Answers["agree"] != "5" {
			t.Errorf("stored %+v", first)
		}
		stored(1)(t, a, rec)
	}
	// The same submission again, with a charset in its content type: the
	// stored response, byte for byte, and still one stored.
	var firstBody string
	replay := submit("replay", "every-type", validJSON, 200)
	replay.headers = map[string]string{"Content-Type": "application/json; charset=utf-8"}
	replay.setup = func(t *testing.T, a *app, _ *http.Request) { firstBody = postFirst(t, a) }
	replay.check = func(t *testing.T, a *app, rec *httptest.ResponseRecorder) {
		if rec.Body.String() != firstBody {
			t.Errorf("replay answered\n%s\nwant\n%s", rec.Body, firstBody)
		}
		stored(1)(t, a, rec)
	}
	conflict := submit("same id, other answers", "every-type", strings.Replace(validJSON, `"count": 400000`, `"count": 400001`, 1), 409)
	conflict.errorCode = "conflict"
	conflict.setup = func(t *testing.T, a *app, _ *http.Request) { postFirst(t, a) }
	conflict.check = stored(1)
	form := submit("wrong content type", "every-type", `pick=a`, 415)
	form.headers = map[string]string{"Content-Type": "application/x-www-form-urlencoded"}

	runScenarios(t, []scenario{
		created, replay, conflict,
		withError(submit("invalid answers", "every-type", `{"answers": {"pick": "zz", "count": "x"}}`, 422), "invalid", "pick"),
		withError(submit("unknown question", "every-type", `{"answers": {"pick": "a", "grid": {"r1": "lo"}, "$where": 1}}`, 422), "invalid", "$where"),
		withError(submit("unknown language", "every-type", `{"language": "xx", "answers": {"pick": "a", "grid": {"r1": "lo"}}}`, 422), "invalid", ""),
		withError(submit("bad submission id", "every-type", `{"submission_id": "a b", "answers": {"pick": "a", "grid": {"r1": "lo"}}}`, 422), "invalid", ""),
		withError(submit("unknown invitation", "every-type", `{"invitation_token": "nope", "answers": {"pick": "a", "grid": {"r1": "lo"}}}`, 422), "invalid", ""),
		withError(submit("no answers", "every-type", `{"submission_id": "abcdefgh"}`, 422), "invalid", "pick"),
		withError(submit("malformed", "every-type", `{"answers": `, 400), "malformed", ""),
		withError(submit("trailing data", "every-type", `{"answers": {}} {}`, 400), "malformed", ""),
		withError(submit("unknown field", "every-type", `{"answerz": {}}`, 400), "malformed", ""),
		withError(submit("wrong type", "every-type", `{"answers": []}`, 400), "malformed", ""),
		withError(form, "unsupported_media_type", ""),
		withError(submit("too large", "every-type", `{"answers": {"essay": "`+strings.Repeat("a", 70<<10)+`"}}`, 413), "too_large", ""),
		withError(submit("closed survey", "closed-one", validJSON, 409), "closed", ""),
		withError(submit("unknown survey", "nope", validJSON, 404), "not_found", ""),
		{name: "without an id gets one", method: http.MethodPost, url: "/api/v1/surveys/every-type/responses",
			body: `{"answers": {"pick": "a", "grid": {"r1": "lo"}}}`, headers: map[string]string{"Content-Type": "application/json"}, status: 201,
			check: func(t *testing.T, a *app, rec *httptest.ResponseRecorder) {
				got := decode[responseBody](t, rec)
				if _, err := uuid.Parse(got.SubmissionID); err != nil || got.Language != "en" {
					t.Errorf("%+v", got)
				}
				stored(1)(t, a, rec)
			}},
	})
}

func TestAPIConcurrentIdenticalSubmissionsStoreOne(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	var wg sync.WaitGroup
	statuses := make([]int, 50)
	for i := range statuses {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			statuses[i] = a.do(request{method: http.MethodPost, path: "/api/v1/surveys/every-type/responses", body: validJSON, contentType: "application/json"}).Code
		}(i)
	}
	wg.Wait()
	created := 0
	for _, s := range statuses {
		switch s {
		case http.StatusCreated:
			created++
		case http.StatusOK:
		default:
			t.Errorf("status %d", s)
		}
	}
	if n := a.countResponses("every-type"); created != 1 || n != 1 {
		t.Errorf("%d created, %d stored; want 1 and 1", created, n)
	}
}

func TestWorkingGroupAPIAuth(t *testing.T) {
	const yamlDef = "slug: new-one\ndefault_language: en\ntitle: {en: New}\nsections:\n  - id: s\n    questions:\n      - {id: q, type: text, label: {en: Q}}\n"
	yaml := map[string]string{"Content-Type": "application/yaml"}
	// createNewOne stores yamlDef as a draft, as an admin would.
	createNewOne := func(t *testing.T, a *app) {
		t.Helper()
		if rec := a.do(request{method: "POST", path: "/api/v1/surveys", token: a.token(survey.RoleAdmin), body: yamlDef, contentType: "application/yaml"}); rec.Code != 201 {
			t.Fatalf("create: %d %s", rec.Code, rec.Body)
		}
	}
	revoked := func(t *testing.T, a *app, req *http.Request) {
		secret := a.token(survey.RoleAdmin)
		tok, err := a.store.FindTokenByHash(t.Context(), survey.HashToken(secret))
		if err != nil {
			t.Fatal(err)
		}
		if err := a.store.RevokeToken(t.Context(), tok.ID); err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Authorization", "Bearer "+secret)
	}
	runScenarios(t, []scenario{
		{name: "anonymous list", url: "/api/v1/surveys", status: 401, errorCode: "unauthorized"},
		{name: "garbage token", url: "/api/v1/surveys", headers: map[string]string{"Authorization": "Bearer cvs_nope"}, status: 401, errorCode: "unauthorized"},
		{name: "revoked token", url: "/api/v1/surveys", setup: revoked, status: 401, errorCode: "unauthorized"},
		{name: "analyst list", url: "/api/v1/surveys", as: survey.RoleAnalyst, status: 200, contains: []string{`"slug":"impact-methods"`},
			check: func(t *testing.T, a *app, rec *httptest.ResponseRecorder) {
				// A token's use is recorded (asynchronously).
				toks, err := a.store.ListTokens(t.Context())
				if err != nil || len(toks) != 1 {
					t.Fatalf("tokens %v, %v", toks, err)
				}
				deadline := time.Now().Add(5 * time.Second)
				for {
					tok, _ := a.store.FindTokenByHash(t.Context(), toks[0].Hash)
					if tok.LastUsedAt != nil {
						break
					}
					if time.Now().After(deadline) {
						t.Fatal("last use of the token was never recorded")
					}
					time.Sleep(20 * time.Millisecond)
				}
			}},
		{name: "analyst get", url: "/api/v1/surveys/landscape", as: survey.RoleAnalyst, status: 200, contains: []string{`"definition":{"slug":"landscape"`}},
		{name: "analyst responses", url: "/api/v1/surveys/landscape/responses", as: survey.RoleAnalyst, status: 200, contains: []string{`"total":0`}},
		{name: "analyst cannot create", method: "POST", url: "/api/v1/surveys", as: survey.RoleAnalyst, body: yamlDef, headers: yaml, status: 403, errorCode: "forbidden"},
		{name: "analyst cannot close", method: "POST", url: "/api/v1/surveys/landscape/close", as: survey.RoleAnalyst, status: 403, errorCode: "forbidden"},
		{name: "anonymous cannot create", method: "POST", url: "/api/v1/surveys", body: yamlDef, headers: yaml, status: 401, errorCode: "unauthorized"},
		{name: "admin creates from YAML", method: "POST", url: "/api/v1/surveys", as: survey.RoleAdmin, body: yamlDef, headers: yaml, status: 201, contains: []string{`"status":"draft"`},
			check: func(t *testing.T, a *app, _ *httptest.ResponseRecorder) {
				if sv, err := a.store.FindSurvey(t.Context(), "new-one"); err != nil || sv.Status != survey.StatusDraft {
					t.Errorf("stored %+v, %v", sv, err)
				}
			}},
		{name: "admin creates twice", method: "POST", url: "/api/v1/surveys", as: survey.RoleAdmin, body: yamlDef, headers: yaml,
			setup: func(t *testing.T, a *app, _ *http.Request) { createNewOne(t, a) }, status: 409, errorCode: "conflict"},
		{name: "draft is not public", url: "/api/v1/surveys/new-one/form",
			setup: func(t *testing.T, a *app, _ *http.Request) { createNewOne(t, a) }, status: 404, errorCode: "not_found"},
		{name: "admin publishes", method: "POST", url: "/api/v1/surveys/new-one/publish", as: survey.RoleAdmin,
			setup: func(t *testing.T, a *app, _ *http.Request) { createNewOne(t, a) }, status: 200, contains: []string{`"status":"open"`},
			check: func(t *testing.T, a *app, _ *httptest.ResponseRecorder) {
				// Published, the form is public.
				if rec := a.do(request{path: "/api/v1/surveys/new-one/form"}); rec.Code != 200 || !strings.Contains(rec.Body.String(), `"slug":"new-one"`) {
					t.Errorf("form after publishing: %d %s", rec.Code, rec.Body)
				}
			}},
		{name: "invalid definition", method: "POST", url: "/api/v1/surveys", as: survey.RoleAdmin, headers: map[string]string{"Content-Type": "application/json"},
			body:   `{"slug": "x", "default_language": "en", "title": {"en": "X"}, "sections": [{"id": "s", "questions": [{"id": "q", "type": "number", "label": {"en": "Q"}, "min": 5, "max": 1}]}]}`,
			status: 422, errorCode: "invalid", errorField: "sections[0].questions[0].min"},
		{name: "definition wrong type", method: "POST", url: "/api/v1/surveys", as: survey.RoleAdmin, body: "slug: x\nsections: 3\n", headers: map[string]string{"Content-Type": "text/yaml"},
			status: 422, errorCode: "invalid", contains: []string{`"path":"sections","message":"expected a list, got the number 3"`}},
		{name: "definition wrong content type", method: "POST", url: "/api/v1/surveys", as: survey.RoleAdmin, body: yamlDef, headers: map[string]string{"Content-Type": "text/plain"},
			status: 415, errorCode: "unsupported_media_type"},
		{name: "close unknown", method: "POST", url: "/api/v1/surveys/nope/close", as: survey.RoleAdmin, status: 404, errorCode: "not_found"},
		{name: "bad page", url: "/api/v1/surveys/landscape/responses?page=0", as: survey.RoleAnalyst, status: 400, errorCode: "malformed"},
		{name: "unknown response", url: "/api/v1/responses/nope", as: survey.RoleAnalyst, status: 404, errorCode: "not_found"},
		{name: "method not allowed", method: "DELETE", url: "/api/v1/surveys", as: survey.RoleAdmin, status: 405, errorCode: "method_not_allowed"},
	})
}

func TestAPIListResponsesPaged(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	for i := 0; i < 5; i++ {
		body := `{"submission_id": "sub-0000` + string(rune('a'+i)) + `", "answers": {"pick": "a", "grid": {"r1": "lo"}}}`
		if rec := a.do(request{method: http.MethodPost, path: "/api/v1/surveys/every-type/responses", body: body, contentType: "application/json"}); rec.Code != http.StatusCreated {
			t.Fatal(rec.Body)
		}
	}
	analyst := a.token(survey.RoleAnalyst)
	all := decode[listResponses](t, a.do(request{path: "/api/v1/surveys/every-type/responses", token: analyst}))
	page := decode[listResponses](t, a.do(request{path: "/api/v1/surveys/every-type/responses?page=2&per_page=2", token: analyst}))
	if page.Total != 5 || page.Page != 2 || len(page.Responses) != 2 || len(all.Responses) != 5 ||
		page.Responses[0].SubmissionID != all.Responses[2].SubmissionID || page.Responses[1].SubmissionID != all.Responses[3].SubmissionID {
		t.Errorf("page %+v of %+v", page, all)
	}
	for i := 1; i < len(all.Responses); i++ {
		if all.Responses[i].CreatedAt.Before(all.Responses[i-1].CreatedAt) {
			t.Error("responses not oldest first")
		}
	}
	one := decode[responseBody](t, a.do(request{path: "/api/v1/responses/" + page.Responses[0].ID, token: analyst}))
	if one.SubmissionID != page.Responses[0].SubmissionID || one.Answers["pick"] != "a" {
		t.Errorf("response %+v", one)
	}
}

func TestHealth(t *testing.T) {
	runScenarios(t, []scenario{
		{name: "healthz", url: "/healthz", status: 200, contentType: "application/json", contains: []string{`"status":"ok"`}},
		{name: "readyz", url: "/readyz", status: 200, contentType: "application/json", contains: []string{`"store":"ok"`}},
	})
}
