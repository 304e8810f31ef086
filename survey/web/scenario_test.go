package web_test

import (
	"encoding/json"
	"mime"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/metlib/canvass/survey"
)

// scenario is one HTTP exchange and what must come back, after pocketbase's
// tests.ApiScenario. runScenarios gives each its own server and database
// (newApp) and runs them in parallel, so no scenario depends on another's
// leftovers: what one needs first (a survey created, a response stored) its
// setup does.
type scenario struct {
	name    string
	method  string // GET when empty
	url     string
	body    string
	headers map[string]string // Content-Type among them
	// as sends a bearer token of this role; "" is anonymous.
	as survey.Role
	// setup prepares the scenario's database and may adjust its request
	// (say, with a token made for it), before the request is sent.
	setup func(t *testing.T, a *app, req *http.Request)

	// status is the status wanted. A 5xx other than 503 is never a valid
	// expectation: a scenario that asks for one fails.
	status int
	// contentType is the media type wanted (parameters aside); "" leaves it
	// unchecked, except that errorCode implies application/json.
	contentType string
	contains    []string // substrings the body must hold
	absent      []string // substrings the body must not hold
	// errorCode, when set, requires the documented error shape, and nothing
	// else: {"error": {"code": errorCode, "message": "…", "fields": […]}}
	// with a non-empty message.
	errorCode string
	// errorField, with errorCode, is a question id or a path the fields
	// must name.
	errorField string
	// check looks further at the response, or at the database after it.
	check func(t *testing.T, a *app, rec *httptest.ResponseRecorder)
}

// runScenarios runs each scenario as a parallel subtest of t.
func runScenarios(t *testing.T, scenarios []scenario) {
	t.Helper()
	seen := map[string]bool{}
	for _, sc := range scenarios {
		if seen[sc.name] {
			t.Fatalf("two scenarios are named %q", sc.name)
		}
		seen[sc.name] = true
		t.Run(sc.name, func(t *testing.T) {
			t.Parallel()
			sc.run(t)
		})
	}
}

func (sc scenario) run(t *testing.T) {
	t.Helper()
	if sc.status == 0 || sc.status >= 500 && sc.status != http.StatusServiceUnavailable {
		t.Fatalf("scenario %q expects status %d: name a status below 500 (or 503)", sc.name, sc.status)
	}
	a := newApp(t)
	method := sc.method
	if method == "" {
		method = http.MethodGet
	}
	req := httptest.NewRequest(method, sc.url, strings.NewReader(sc.body))
	req.RemoteAddr = "192.0.2.1:1234"
	for k, v := range sc.headers {
		req.Header.Set(k, v)
	}
	if sc.as != "" {
		req.Header.Set("Authorization", "Bearer "+a.token(sc.as))
	}
	if sc.setup != nil {
		sc.setup(t, a, req)
	}
	rec := httptest.NewRecorder()
	a.handler.ServeHTTP(rec, req)
	body := rec.Body.String()

	if rec.Code != sc.status {
		t.Fatalf("%s %s: status %d, want %d\n%s", method, sc.url, rec.Code, sc.status, body)
	}
	want := sc.contentType
	if want == "" && sc.errorCode != "" {
		want = "application/json"
	}
	if want != "" {
		got, _, err := mime.ParseMediaType(rec.Header().Get("Content-Type"))
		if err != nil || got != want {
			t.Errorf("Content-Type %q, want %s", rec.Header().Get("Content-Type"), want)
		}
	}
	for _, s := range sc.contains {
		if !strings.Contains(body, s) {
			t.Errorf("body lacks %q:\n%s", s, body)
		}
	}
	for _, s := range sc.absent {
		if strings.Contains(body, s) {
			t.Errorf("body holds %q:\n%s", s, body)
		}
	}
	if sc.errorCode != "" {
		e := parseErrorShape(t, rec.Body.Bytes())
		if e.Code != sc.errorCode || e.Message == "" {
			t.Errorf("error code %q, message %q; want code %q and a message", e.Code, e.Message, sc.errorCode)
		}
		if sc.errorField != "" {
			found := false
			for _, f := range e.Fields {
				found = found || f.Question == sc.errorField || f.Path == sc.errorField
			}
			if !found {
				t.Errorf("no field error for %s in %+v", sc.errorField, e.Fields)
			}
		}
	}
	if sc.check != nil {
		sc.check(t, a, rec)
	}
}

// errorDetail is the inside of the documented error shape.
type errorDetail struct {
	Code    string              `json:"code"`
	Message string              `json:"message"`
	Fields  []survey.FieldError `json:"fields"`
}

// parseErrorShape decodes body as the documented error shape, refusing
// anything else: another top-level key, another key inside "error", or
// another type for a known one.
func parseErrorShape(t *testing.T, body []byte) errorDetail {
	t.Helper()
	var outer map[string]json.RawMessage
	if err := json.Unmarshal(body, &outer); err != nil {
		t.Fatalf("error body is not a JSON object: %v\n%s", err, body)
	}
	if len(outer) != 1 || outer["error"] == nil {
		t.Fatalf("error body has keys other than \"error\": %s", body)
	}
	var inner map[string]json.RawMessage
	if err := json.Unmarshal(outer["error"], &inner); err != nil {
		t.Fatalf("\"error\" is not an object: %s", body)
	}
	for k := range inner {
		if k != "code" && k != "message" && k != "fields" {
			t.Errorf("\"error\" has an undocumented key %q: %s", k, body)
		}
	}
	dec := json.NewDecoder(strings.NewReader(string(outer["error"])))
	dec.DisallowUnknownFields()
	var e errorDetail
	if err := dec.Decode(&e); err != nil {
		t.Fatalf("\"error\" does not have the documented types: %v\n%s", err, body)
	}
	return e
}
