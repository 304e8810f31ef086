package web_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/metlib/canvass/survey"
	"github.com/metlib/canvass/survey/web"
)

// TestMetricsAndLogBoundInventedMethods sends 200 distinct 10 KB methods
// (net/http accepts any token) to a route (405) and to no route (404): the
// metrics keep the standard methods and "other" as the only method labels
// and fixed route labels, /metrics stays small, and each log line records
// the method's first 16 bytes only.
func TestMetricsAndLogBoundInventedMethods(t *testing.T) {
	logs := &lockedBuffer{}
	a := newApp(t, func(c *web.Config) { c.Logger = slog.New(slog.NewJSONHandler(logs, nil)) })
	const n, size = 200, 10 << 10
	for i := range n {
		method := fmt.Sprintf("M%03d%s", i, strings.Repeat("A", size))
		path := "/admin/login"
		if i%2 == 1 {
			path = fmt.Sprintf("/no-such-page-%d", i)
		}
		req := httptest.NewRequest(method, path, nil)
		rec := httptest.NewRecorder()
		a.handler.ServeHTTP(rec, req)
		if rec.Code != http.StatusMethodNotAllowed && rec.Code != http.StatusNotFound {
			t.Fatalf("%s…: %d", method[:8], rec.Code)
		}
	}
	req := httptest.NewRequest(http.MethodGet, "/metrics", nil)
	req.RemoteAddr = "127.0.0.1:5555"
	rec := httptest.NewRecorder()
	a.handler.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		t.Fatalf("/metrics: %d", rec.Code)
	}
	body := rec.Body.String()
	t.Logf("/metrics after %d methods of %d bytes: %d bytes", n, size, len(body))
	if len(body) > 64<<10 {
		t.Errorf("/metrics is %d bytes, want under 64 KiB", len(body))
	}
	standard := map[string]bool{"GET": true, "HEAD": true, "POST": true, "PUT": true, "PATCH": true, "DELETE": true, "OPTIONS": true, "other": true}
	label := regexp.MustCompile(`^canvass_http_requests_total\{method="([^"]*)",route="([^"]*)",status="([^"]*)"\} (\d+)$`)
	others := 0
	for line := range strings.SplitSeq(body, "\n") {
		if !strings.HasPrefix(line, "canvass_http_request") {
			continue
		}
		if len(line) > 300 {
			t.Fatalf("series line of %d bytes: %.80s…", len(line), line)
		}
		m := label.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		if !standard[m[1]] {
			t.Errorf("method label %.40q", m[1])
		}
		if strings.Contains(m[2], "no-such-page") {
			t.Errorf("route label is the raw path: %q", m[2])
		}
		if m[1] == "other" {
			var count int
			fmt.Sscan(m[4], &count)
			others += count
		}
	}
	if others != n {
		t.Errorf("requests counted as method=\"other\": %d, want %d", others, n)
	}
	// Every request is answered: the log is complete.
	raw := logs.String()
	for line := range strings.SplitSeq(raw, "\n") {
		if len(line) > 512 {
			t.Fatalf("log line of %d bytes: %.80s…", len(line), line)
		}
	}
	invented := 0
	for _, rec := range logs.lines(t, "request") {
		method, _ := rec["method"].(string)
		if method == "GET" {
			continue
		}
		invented++
		if !regexp.MustCompile(`^M\d{3}A{12}…$`).MatchString(method) {
			t.Errorf("logged method %.40q is not the first 16 bytes and an ellipsis", method)
		}
	}
	if invented != n {
		t.Errorf("%d request lines for the invented methods, want %d", invented, n)
	}
}

// chunked builds a request whose body of n bytes has no declared length, so
// limitBodies cannot refuse it unread and must cut it at the cap.
func chunked(method, path, contentType string, n int) *http.Request {
	req := httptest.NewRequest(method, path, io.MultiReader(strings.NewReader("email=a%40example.org&password="), strings.NewReader(strings.Repeat("x", n))))
	req.ContentLength = -1
	req.Header.Set("Content-Type", contentType)
	return req
}

// TestOversizedFormsAre413BeforeTheSignIn posts chunked forms over the
// body cap (64 KiB in tests) with a valid CSRF token to the sign-in and the
// password setup: each is a 413, the token in the X-CSRF-Token header (the
// form otherwise unread) or in the form; and no sign-in attempt is
// counted: the store then still grants the empty email's key its full
// LoginMaxAccountFailures.
func TestOversizedFormsAre413BeforeTheSignIn(t *testing.T) {
	a := newApp(t)
	fs := a.loginForm()
	for _, path := range []string{"/admin/login", "/admin/setup"} {
		for _, inHeader := range []bool{true, false} {
			for range survey.LoginMaxAccountFailures + 1 {
				req := chunked(http.MethodPost, path, "application/x-www-form-urlencoded", 1<<20)
				if inHeader {
					req.Header.Set("X-CSRF-Token", fs.csrf)
				} else {
					req = httptest.NewRequest(http.MethodPost, path, io.MultiReader(strings.NewReader("csrf_token="+fs.csrf+"&email=&password="), strings.NewReader(strings.Repeat("x", 1<<20))))
					req.ContentLength = -1
					req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				}
				for _, c := range fs.cookies {
					req.AddCookie(c)
				}
				rec := httptest.NewRecorder()
				a.handler.ServeHTTP(rec, req)
				if rec.Code != http.StatusRequestEntityTooLarge {
					t.Fatalf("%s (token in header: %v): %d, want 413", path, inHeader, rec.Code)
				}
			}
		}
	}
	ctx := context.Background()
	for _, key := range []string{"email:", "email:a@example.org"} {
		for i := range survey.LoginMaxAccountFailures {
			if _, wait, err := a.store.ReserveLogin(ctx, key, time.Now()); err != nil || wait > 0 {
				t.Fatalf("%s: attempt %d refused (wait %v, %v): the oversized posts were counted", key, i+1, wait, err)
			}
		}
	}
}

// TestSubmitToAnUnknownSurveyIsNotRead: the API's 404 for a survey that
// does not exist comes before the body is read, so even a chunked body over
// the cap is answered 404, not 413; a known survey's still gets 413.
func TestSubmitToAnUnknownSurveyIsNotRead(t *testing.T) {
	a := newApp(t)
	for path, want := range map[string]int{
		"/api/v1/surveys/nope/responses":       http.StatusNotFound,
		"/api/v1/surveys/every-type/responses": http.StatusRequestEntityTooLarge,
	} {
		rec := httptest.NewRecorder()
		a.handler.ServeHTTP(rec, chunked(http.MethodPost, path, "application/json", 1<<20))
		if rec.Code != want {
			t.Errorf("%s: %d, want %d (%.200s)", path, rec.Code, want, rec.Body.String())
		}
	}
}
