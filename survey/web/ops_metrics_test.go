package web_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/metlib/canvass/survey"
	"github.com/metlib/canvass/survey/web"
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

// TestMetricsBehindAProxy: a proxy on the same host makes every client a
// loopback peer, so a loopback request is the machine's own only when no
// proxy header came with it; with one, a token is needed. The series name
// surveys (drafts and closed ones too), so this is what keeps them private.
func TestMetricsBehindAProxy(t *testing.T) {
	a := newApp(t)
	a.do(request{method: http.MethodPost, path: "/api/v1/surveys/closed-one/responses", body: validJSON, contentType: "application/json"})
	token := a.token(survey.RoleAnalyst)
	const series = `canvass_submissions_total{invited="false",outcome="closed",survey="closed-one"} 1`
	type metricsCase struct {
		name, remote, header, value, token string
		want                               int
	}
	cases := []metricsCase{
		{name: "loopback, no proxy header", remote: "127.0.0.1:5555", want: 200},
		{name: "IPv6 loopback, no proxy header", remote: "[::1]:5555", want: 200},
		{name: "another machine", remote: "192.0.2.7:5555", want: 401},
		{name: "another machine with a token", remote: "192.0.2.7:5555", token: token, want: 200},
	}
	for _, h := range []struct{ name, value string }{
		{"X-Forwarded-For", "203.0.113.9"}, {"X-Real-IP", "203.0.113.9"}, {"Forwarded", "for=203.0.113.9;proto=https"},
		{"X-Forwarded-Host", "survey.example.org"}, {"X-Forwarded-Proto", "https"}, {"X-Forwarded-Port", "443"},
		{"X-Forwarded-Server", "proxy"}, {"Via", "1.1 proxy"}, {"True-Client-IP", "203.0.113.9"},
		{"CF-Connecting-IP", "203.0.113.9"}, {"X-Client-IP", "203.0.113.9"}, {"X-Forwarded-For", ""},
		{"Client-IP", "203.0.113.9"}, {"Forwarded-For", "203.0.113.9"}, {"X-Forwarded", "for=203.0.113.9"},
		{"X-ProxyUser-Ip", "203.0.113.9"}, {"X-Envoy-External-Address", "203.0.113.9"},
	} {
		cases = append(cases,
			metricsCase{name: "loopback with " + h.name + "=" + h.value, remote: "127.0.0.1:5555", header: h.name, value: h.value, want: 401},
			metricsCase{name: "loopback with " + h.name + " and a token", remote: "127.0.0.1:5555", header: h.name, value: h.value, token: token, want: 200})
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			req := httptest.NewRequest(http.MethodGet, "/metrics", nil)
			req.RemoteAddr = tc.remote
			if tc.token != "" {
				req.Header.Set("Authorization", "Bearer "+tc.token)
			}
			if tc.header != "" {
				req.Header[http.CanonicalHeaderKey(tc.header)] = []string{tc.value} // even empty
			}
			rec := httptest.NewRecorder()
			a.handler.ServeHTTP(rec, req)
			if rec.Code != tc.want {
				t.Fatalf("got %d, want %d", rec.Code, tc.want)
			}
			if shown := strings.Contains(rec.Body.String(), series); shown != (tc.want == 200) {
				t.Errorf("closed-one's series shown: %v, want %v", shown, tc.want == 200)
			}
			if tc.want == 401 && !strings.HasPrefix(rec.Header().Get("WWW-Authenticate"), "Bearer") {
				t.Errorf("401 without a Bearer challenge: %q", rec.Header().Get("WWW-Authenticate"))
			}
		})
	}
}

// TestMetricsElsewhere: with the metrics on their own address the main
// router does not serve /metrics at all, to anyone, and Metrics.Handler
// serves them (and nothing else).
func TestMetricsElsewhere(t *testing.T) {
	metrics := make(chan *web.Metrics, 1)
	a := newApp(t, func(c *web.Config) {
		c.MetricsElsewhere = true
		c.Metrics = web.NewMetrics(c.Store)
		metrics <- c.Metrics
	})
	token := a.token(survey.RoleAdmin)
	for _, r := range []request{{path: "/metrics", remote: "127.0.0.1:5555"}, {path: "/metrics", token: token}} {
		if rec := a.do(r); rec.Code != http.StatusNotFound {
			t.Errorf("/metrics on the main router (remote %q, token %v): %d, want 404", r.remote, r.token != "", rec.Code)
		}
	}
	h := (<-metrics).Handler()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), "canvass_store_up 1") {
		t.Errorf("Metrics.Handler /metrics: %d, canvass_store_up 1 in it: %v", rec.Code, strings.Contains(rec.Body.String(), "canvass_store_up 1"))
	}
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/s/every-type", nil))
	if rec.Code != http.StatusNotFound {
		t.Errorf("Metrics.Handler /s/every-type: %d, want 404", rec.Code)
	}
}
