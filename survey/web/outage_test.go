package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/metlib/canvass/survey/store"
	"github.com/metlib/canvass/survey/store/storetest"
	"github.com/metlib/canvass/survey/web"
)

// TestStoreDownAnswers503AndKeepsAnswers cuts the server off from a real
// store (its client disconnected) after the form was served.
func TestStoreDownAnswers503AndKeepsAnswers(t *testing.T) {
	a := newApp(t)
	fs, _ := a.openForm("/s/every-type") // the survey is now cached, as on a live server

	broken, err := store.Open(context.Background(), storetest.URI(), storetest.DatabaseName(t))
	if err != nil {
		t.Fatal(err)
	}
	_ = broken.Close(context.Background())
	srv, err := web.New(configFor(broken, func(c *web.Config) { c.Surveys = a.store }))
	if err != nil {
		t.Fatal(err)
	}
	a.handler = srv.Handler()

	if rec := a.do(request{path: "/readyz"}); rec.Code != http.StatusServiceUnavailable {
		t.Errorf("readyz with the store down: %d", rec.Code)
	}
	if rec := a.do(request{path: "/healthz"}); rec.Code != http.StatusOK {
		t.Errorf("healthz with the store down: %d", rec.Code)
	}
	values := url.Values{"pick": {"b"}, "why_b": {"Our answer"}, "grid[r1]": {"lo"}}
	rec := a.postForm("/s/every-type", fs, values)
	body := rec.Body.String()
	if rec.Code != http.StatusServiceUnavailable || rec.Header().Get("Retry-After") == "" ||
		!strings.Contains(body, "We could not save your answers just now") || !strings.Contains(body, `value="Our answer"`) ||
		!strings.Contains(body, `value="`+fs.submissionID+`"`) {
		t.Errorf("form post with store down: %d, Retry-After %q", rec.Code, rec.Header().Get("Retry-After"))
	}
	rec = a.do(request{method: http.MethodPost, path: "/api/v1/surveys/every-type/responses", body: validJSON, contentType: "application/json"})
	if rec.Code != http.StatusServiceUnavailable || rec.Header().Get("Retry-After") == "" || decode[errorResponse](t, rec).Error.Code != "unavailable" {
		t.Errorf("API post with store down: %d %s", rec.Code, rec.Body)
	}
}
