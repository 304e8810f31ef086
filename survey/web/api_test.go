package web_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

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
	a := newApp(t)
	rec := a.do(request{path: "/api/v1/surveys/impact-methods/form"})
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d", rec.Code)
	}
	def := decode[map[string]any](t, rec)
	if def["slug"] != "impact-methods" || def["default_language"] != "en" {
		t.Errorf("form: %v", def)
	}
	methods := def["sections"].([]any)[1].(map[string]any)["questions"].([]any)[1].(map[string]any)
	opt := methods["options"].([]any)[0].(map[string]any)
	if methods["id"] != "methods_used" || methods["type"] != "multi_choice" || methods["required"] != true || opt["group"] != "inferred" || opt["value"] != "output_statistics" {
		t.Errorf("methods_used as %v", methods)
	}
	if rec := a.do(request{path: "/api/v1/surveys/nope/form"}); rec.Code != http.StatusNotFound || decode[errorResponse](t, rec).Error.Code != "not_found" {
		t.Errorf("unknown survey: %d %s", rec.Code, rec.Body)
	}
}

func TestAPISubmitStatuses(t *testing.T) {
	a := newApp(t)
	post := func(path, body, contentType string) (int, string) {
		rec := a.do(request{method: http.MethodPost, path: path, body: body, contentType: contentType})
		return rec.Code, rec.Body.String()
	}
	const path = "/api/v1/surveys/every-type/responses"

	code, body := post(path, validJSON, "application/json")
	if code != http.StatusCreated {
		t.Fatalf("first post: %d %s", code, body)
	}
	var first responseBody
	_ = json.Unmarshal([]byte(body), &first)
	if first.SubmissionID != "11111111-2222-3333-4444-555555555555" || first.Language != "fr" || first.Status != "submitted" ||
		first.Answers["land"] != "MX" || first.Answers["count"] != 400000.0 || first.Answers["agree"] != "5" {
		t.Errorf("stored %+v", first)
	}

	code, again := post(path, validJSON, "application/json; charset=utf-8")
	if code != http.StatusOK || again != body {
		t.Errorf("replay: %d\n%s\nwant 200 with\n%s", code, again, body)
	}
	changed := strings.Replace(validJSON, `"count": 400000`, `"count": 400001`, 1)
	if code, body := post(path, changed, "application/json"); code != http.StatusConflict || !strings.Contains(body, `"code":"conflict"`) {
		t.Errorf("same id, other answers: %d %s", code, body)
	}
	if n := a.countResponses("every-type"); n != 1 {
		t.Errorf("%d stored, want 1", n)
	}

	errorCases := []struct {
		name, path, body, contentType string
		status                        int
		code, field                   string
	}{
		{"invalid answers", path, `{"answers": {"pick": "zz", "count": "x"}}`, "application/json", 422, "invalid", "pick"},
		{"unknown question", path, `{"answers": {"pick": "a", "grid": {"r1": "lo"}, "$where": 1}}`, "application/json", 422, "invalid", "$where"},
		{"unknown language", path, `{"language": "xx", "answers": {"pick": "a", "grid": {"r1": "lo"}}}`, "application/json", 422, "invalid", ""},
		{"bad submission id", path, `{"submission_id": "a b", "answers": {"pick": "a", "grid": {"r1": "lo"}}}`, "application/json", 422, "invalid", ""},
		{"unknown invitation", path, `{"invitation_token": "nope", "answers": {"pick": "a", "grid": {"r1": "lo"}}}`, "application/json", 422, "invalid", ""},
		{"no answers", path, `{"submission_id": "abcdefgh"}`, "application/json", 422, "invalid", "pick"},
		{"malformed", path, `{"answers": `, "application/json", 400, "malformed", ""},
		{"trailing data", path, `{"answers": {}} {}`, "application/json", 400, "malformed", ""},
		{"unknown field", path, `{"answerz": {}}`, "application/json", 400, "malformed", ""},
		{"wrong type", path, `{"answers": []}`, "application/json", 400, "malformed", ""},
		{"wrong content type", path, `pick=a`, "application/x-www-form-urlencoded", 415, "unsupported_media_type", ""},
		{"too large", path, `{"answers": {"essay": "` + strings.Repeat("a", 70<<10) + `"}}`, "application/json", 413, "too_large", ""},
		{"closed survey", "/api/v1/surveys/closed-one/responses", validJSON, "application/json", 409, "closed", ""},
		{"unknown survey", "/api/v1/surveys/nope/responses", validJSON, "application/json", 404, "not_found", ""},
	}
	for _, tc := range errorCases {
		t.Run(tc.name, func(t *testing.T) {
			rec := a.do(request{method: http.MethodPost, path: tc.path, body: tc.body, contentType: tc.contentType})
			if rec.Code != tc.status {
				t.Fatalf("status %d, want %d: %s", rec.Code, tc.status, rec.Body)
			}
			e := decode[errorResponse](t, rec)
			if e.Error.Code != tc.code || e.Error.Message == "" {
				t.Errorf("error %+v, want code %s", e.Error, tc.code)
			}
			if tc.field != "" {
				found := false
				for _, f := range e.Error.Fields {
					found = found || f.Question == tc.field
				}
				if !found {
					t.Errorf("no field error for %s in %+v", tc.field, e.Error.Fields)
				}
			}
		})
	}
	if n := a.countResponses("every-type"); n != 1 {
		t.Errorf("%d stored after bad requests, want 1", n)
	}
}

func TestAPISubmitWithoutIDGetsOne(t *testing.T) {
	a := newApp(t)
	rec := a.do(request{method: http.MethodPost, path: "/api/v1/surveys/every-type/responses", body: `{"answers": {"pick": "a", "grid": {"r1": "lo"}}}`, contentType: "application/json"})
	got := decode[responseBody](t, rec)
	if rec.Code != http.StatusCreated || len(got.SubmissionID) != 36 || got.Language != "en" {
		t.Errorf("%d %+v", rec.Code, got)
	}
}

func TestAPIConcurrentIdenticalSubmissionsStoreOne(t *testing.T) {
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
	a := newApp(t)
	admin, analyst := a.token(survey.RoleAdmin), a.token(survey.RoleAnalyst)
	revoked := a.token(survey.RoleAdmin)
	tok, _ := a.store.FindTokenByHash(t.Context(), survey.HashToken(revoked))
	_ = a.store.RevokeToken(t.Context(), tok.ID)

	const yamlDef = "slug: new-one\ndefault_language: en\ntitle: {en: New}\nsections:\n  - id: s\n    questions:\n      - {id: q, type: text, label: {en: Q}}\n"
	cases := []struct {
		name, method, path, token, body, contentType string
		status                                       int
		contains                                     string
	}{
		{"anonymous list", "GET", "/api/v1/surveys", "", "", "", 401, `"code":"unauthorized"`},
		{"garbage token", "GET", "/api/v1/surveys", "cvs_nope", "", "", 401, `"code":"unauthorized"`},
		{"revoked token", "GET", "/api/v1/surveys", revoked, "", "", 401, `"code":"unauthorized"`},
		{"analyst list", "GET", "/api/v1/surveys", analyst, "", "", 200, `"slug":"impact-methods"`},
		{"analyst get", "GET", "/api/v1/surveys/landscape", analyst, "", "", 200, `"definition":{"slug":"landscape"`},
		{"analyst responses", "GET", "/api/v1/surveys/landscape/responses", analyst, "", "", 200, `"total":0`},
		{"analyst cannot create", "POST", "/api/v1/surveys", analyst, yamlDef, "application/yaml", 403, `"code":"forbidden"`},
		{"analyst cannot close", "POST", "/api/v1/surveys/landscape/close", analyst, "", "", 403, `"code":"forbidden"`},
		{"anonymous cannot create", "POST", "/api/v1/surveys", "", yamlDef, "application/yaml", 401, `"code":"unauthorized"`},
		{"admin creates from YAML", "POST", "/api/v1/surveys", admin, yamlDef, "application/yaml", 201, `"status":"draft"`},
		{"admin creates twice", "POST", "/api/v1/surveys", admin, yamlDef, "application/yaml", 409, `"code":"conflict"`},
		{"draft is not public", "GET", "/api/v1/surveys/new-one/form", "", "", "", 404, `"code":"not_found"`},
		{"admin publishes", "POST", "/api/v1/surveys/new-one/publish", admin, "", "", 200, `"status":"open"`},
		{"published is public", "GET", "/api/v1/surveys/new-one/form", "", "", "", 200, `"slug":"new-one"`},
		{"invalid definition", "POST", "/api/v1/surveys", admin, `{"slug": "x", "default_language": "en", "title": {"en": "X"}, "sections": [{"id": "s", "questions": [{"id": "q", "type": "number", "label": {"en": "Q"}, "min": 5, "max": 1}]}]}`, "application/json", 422, `"path":"sections[0].questions[0].min"`},
		{"definition wrong type", "POST", "/api/v1/surveys", admin, "slug: x\nsections: 3\n", "text/yaml", 422, `"path":"sections","message":"expected a list, got the number 3"`},
		{"definition wrong content type", "POST", "/api/v1/surveys", admin, yamlDef, "text/plain", 415, `"code":"unsupported_media_type"`},
		{"close unknown", "POST", "/api/v1/surveys/nope/close", admin, "", "", 404, `"code":"not_found"`},
		{"bad page", "GET", "/api/v1/surveys/landscape/responses?page=0", analyst, "", "", 400, `"code":"malformed"`},
		{"unknown response", "GET", "/api/v1/responses/nope", analyst, "", "", 404, `"code":"not_found"`},
		{"method not allowed", "DELETE", "/api/v1/surveys", admin, "", "", 405, `"code":"method_not_allowed"`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rec := a.do(request{method: tc.method, path: tc.path, token: tc.token, body: tc.body, contentType: tc.contentType})
			if rec.Code != tc.status || !strings.Contains(rec.Body.String(), tc.contains) {
				t.Errorf("%s %s: %d %s\nwant %d containing %s", tc.method, tc.path, rec.Code, rec.Body, tc.status, tc.contains)
			}
		})
	}
	// A token's use is recorded (asynchronously).
	deadline := time.Now().Add(5 * time.Second)
	for {
		tok, _ := a.store.FindTokenByHash(t.Context(), survey.HashToken(analyst))
		if tok.LastUsedAt != nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("last use of the token was never recorded")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestAPIListResponsesPaged(t *testing.T) {
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
	a := newApp(t)
	if rec := a.do(request{path: "/healthz"}); rec.Code != 200 || !strings.Contains(rec.Body.String(), `"status":"ok"`) {
		t.Errorf("healthz: %d %s", rec.Code, rec.Body)
	}
	if rec := a.do(request{path: "/readyz"}); rec.Code != 200 || !strings.Contains(rec.Body.String(), `"store":"ok"`) {
		t.Errorf("readyz: %d %s", rec.Code, rec.Body)
	}
}
