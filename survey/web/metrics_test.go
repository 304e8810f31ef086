package web_test

import (
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/metlib/canvass/survey"
)

func TestMetrics(t *testing.T) {
	a := newApp(t)
	post := func(body string) {
		a.do(request{method: http.MethodPost, path: "/api/v1/surveys/every-type/responses", body: body, contentType: "application/json"})
	}
	post(validJSON)                       // created
	post(validJSON)                       // duplicate
	post(`{"answers": {"pick": "nope"}}`) // invalid
	a.do(request{method: http.MethodPost, path: "/api/v1/surveys/closed-one/responses", body: validJSON, contentType: "application/json"})

	if rec := a.do(request{path: "/metrics"}); rec.Code != http.StatusUnauthorized {
		t.Errorf("metrics from another machine without a token: %d", rec.Code)
	}
	rec := a.do(request{path: "/metrics", remote: "127.0.0.1:5555"})
	if rec.Code != 200 {
		t.Fatalf("metrics from loopback: %d", rec.Code)
	}
	body := rec.Body.String()
	for _, want := range []string{
		`canvass_submissions_total{invited="false",outcome="created",survey="every-type"} 1`,
		`canvass_submissions_total{invited="false",outcome="duplicate",survey="every-type"} 1`,
		`canvass_submissions_total{invited="false",outcome="invalid",survey="every-type"} 1`,
		`canvass_submissions_total{invited="false",outcome="closed",survey="closed-one"} 1`,
		`canvass_http_requests_total{method="POST",route="/api/v1/surveys/:slug/responses",status="201"} 1`,
		`canvass_http_request_duration_seconds_bucket{method="POST",route="/api/v1/surveys/:slug/responses",le="+Inf"} 4`,
		"canvass_store_up 1",
		"go_goroutines",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
	if rec := a.do(request{path: "/metrics", token: a.token(survey.RoleAnalyst)}); rec.Code != 200 {
		t.Errorf("metrics with a token: %d", rec.Code)
	}
	if regexp.MustCompile(`cvs_[A-Za-z0-9_-]{20,}`).MatchString(body) {
		t.Error("a token in the metrics")
	}
}
