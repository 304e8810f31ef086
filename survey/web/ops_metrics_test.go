package web_test

import (
	"net/http"
	"net/url"
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

// TestMetricsCountFormAndInvitedAlike submits the same way through the open
// form and through a personal link, and reads /metrics: each path counts
// its created, duplicate and invalid attempts, labelled by invited, and the
// invited draft is not counted at all.
func TestMetricsCountFormAndInvitedAlike(t *testing.T) {
	a := newApp(t)
	admin := a.token(survey.RoleAdmin)
	link := a.invite(t, admin, "every-type", "Bibliothèque municipale de Lyon", "claire@bm-lyon.fr")

	open, _ := a.openForm("/s/every-type")
	invited, body := a.openForm(link)
	token := match(t, tokenField, body)
	with := func(v url.Values, extra map[string]string) url.Values {
		for k, x := range extra {
			v.Set(k, x)
		}
		return v
	}
	for _, step := range []struct {
		fs     formSession
		values url.Values
		want   int
	}{
		{invited, with(url.Values{"pick": {"a"}}, map[string]string{"t": token, "action": "save"}), 200}, // a draft
		{open, url.Values{"pick": {"nope"}}, 422},
		{invited, with(url.Values{"pick": {"nope"}}, map[string]string{"t": token}), 422},
		{open, validForm(), 303},
		{invited, with(validForm(), map[string]string{"t": token}), 303},
		{open, validForm(), 303},
		{invited, with(validForm(), map[string]string{"t": token}), 303},
	} {
		if rec := a.postForm("/s/every-type", step.fs, step.values); rec.Code != step.want {
			t.Fatalf("post %v: %d, want %d", step.values, rec.Code, step.want)
		}
	}
	body = a.do(request{path: "/metrics", remote: "127.0.0.1:5555"}).Body.String()
	for _, invited := range []string{"false", "true"} {
		for _, outcome := range []string{"created", "duplicate", "invalid"} {
			want := `canvass_submissions_total{invited="` + invited + `",outcome="` + outcome + `",survey="every-type"} 1`
			if !strings.Contains(body, want) {
				t.Errorf("metrics lack %s", want)
			}
		}
	}
	if n := strings.Count(body, `canvass_submissions_total{`); n != 6 {
		t.Errorf("%d submission series, want 6 (the draft is not one)", n)
	}
}
