package web_test

import (
	"context"
	"encoding/json"
	"html"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/metlib/canvass/campaign"
	"github.com/metlib/canvass/survey"
	"github.com/metlib/canvass/survey/builtin"
	"github.com/metlib/canvass/survey/store"
	"github.com/metlib/canvass/survey/store/storetest"
	"github.com/metlib/canvass/survey/web"
)

func TestMain(m *testing.M) { storetest.Main(m) }

// app is a real server on a database of its own: the built-in surveys, the
// every-type fixture (open), and a closed survey.
type app struct {
	t       testing.TB
	store   *store.Store
	server  *web.Server
	handler http.Handler
}

func newApp(t testing.TB, adjust ...func(*web.Config)) *app {
	t.Helper()
	st := storetest.New(t)
	ctx := context.Background()
	surveys, err := builtin.Surveys()
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile("testdata/every-type.yaml")
	if err != nil {
		t.Fatal(err)
	}
	fixture, err := survey.ParseDefinition(data, "yaml")
	if err != nil {
		t.Fatal(err)
	}
	closed, _ := survey.ParseDefinition([]byte(strings.Replace(string(data), "slug: every-type", "slug: closed-one", 1)), "yaml")
	closed.Status = survey.StatusClosed
	for _, s := range append(surveys, fixture) {
		s.Status = survey.StatusOpen
		if err := st.CreateSurvey(ctx, s); err != nil {
			t.Fatal(err)
		}
	}
	if err := st.CreateSurvey(ctx, closed); err != nil {
		t.Fatal(err)
	}
	srv, err := web.New(configFor(st, append([]func(*web.Config){func(c *web.Config) { c.MaxBodyBytes = 64 << 10 }}, adjust...)...))
	if err != nil {
		t.Fatal(err)
	}
	// Registered after the store's cleanup, so it runs before it: the
	// server's background writes finish before the database is dropped.
	t.Cleanup(srv.Wait)
	return &app{t: t, store: st, server: srv, handler: srv.Handler()}
}

// configFor wires every store to st, with the rate limits off (tests that
// check them turn them on).
func configFor(st *store.Store, adjust ...func(*web.Config)) web.Config {
	cfg := web.Config{
		Surveys: st, Responses: st, Tokens: st, Users: st, Sessions: st, Passwords: st, Audit: st, Logins: st, Libraries: st, Invitations: st, MailTemplates: st, Publications: st, Store: st,
		Logger:     slog.New(slog.NewTextHandler(io.Discard, nil)),
		CSRFSecret: []byte("0123456789abcdef0123456789abcdef"),
		SubmitRate: web.RateLimit{PerSecond: -1}, LoginRate: web.RateLimit{PerSecond: -1},
	}
	for _, f := range adjust {
		f(&cfg)
	}
	// The use cases run over the stores as adjusted (an outage test swaps
	// one), counting into the registry /metrics shows.
	if cfg.Metrics == nil {
		cfg.Metrics = web.NewMetrics(cfg.Store)
	}
	if cfg.Campaign == nil {
		cfg.Campaign = campaign.New(campaignConfig(&cfg, nil))
	}
	return cfg
}

// campaignConfig gives the campaign the web configuration's stores and
// metrics registry, and mailer (nil: no SMTP server).
func campaignConfig(c *web.Config, mailer campaign.Mailer) campaign.Config {
	// The reports' release is kept by the same store (web.Config has no
	// field of its own for it: the pages reach it through the campaign).
	reports, _ := c.Store.(survey.ReportStore)
	return campaign.Config{Reports: reports, Surveys: c.Surveys, Responses: c.Responses, Tokens: c.Tokens, Users: c.Users, Sessions: c.Sessions, Passwords: c.Passwords,
		Audit: c.Audit, Libraries: c.Libraries, Invitations: c.Invitations, MailTemplates: c.MailTemplates, Publications: c.Publications,
		Mailer: mailer, Metrics: c.Metrics, Logger: c.Logger,
		// Visitors wait for every disclosure: the tests read each
		// snapshot's own publication, not the one before it served while
		// it is worked out (campaign's tests cover that).
		DisclosePatience: -1}
}

// withMailer gives the app's campaign an SMTP sender (an adjustment for
// newApp; later adjustments that swap a store do not reach this campaign).
func withMailer(m campaign.Mailer) func(*web.Config) {
	return func(c *web.Config) {
		if c.Metrics == nil {
			c.Metrics = web.NewMetrics(c.Store)
		}
		c.Campaign = campaign.New(campaignConfig(c, m))
	}
}

// token creates an API token with the given role and returns its secret.
func (a *app) token(role survey.Role) string {
	a.t.Helper()
	secret, hash := survey.NewTokenSecret()
	if err := a.store.CreateToken(context.Background(), &survey.APIToken{Name: string(role), Role: role, Hash: hash, CreatedAt: time.Now()}); err != nil {
		a.t.Fatal(err)
	}
	return secret
}

type request struct {
	method, path, body, contentType, token string
	remote                                 string // client address, default 192.0.2.1:1234
	header                                 map[string]string
	cookies                                []*http.Cookie
	ctx                                    context.Context // the request's; nil: none (the store's DefaultTimeout)
}

func (a *app) do(r request) *httptest.ResponseRecorder {
	a.t.Helper()
	if r.method == "" {
		r.method = http.MethodGet
	}
	req := httptest.NewRequest(r.method, r.path, strings.NewReader(r.body))
	if r.contentType != "" {
		req.Header.Set("Content-Type", r.contentType)
	}
	if r.token != "" {
		req.Header.Set("Authorization", "Bearer "+r.token)
	}
	for k, v := range r.header {
		req.Header.Set(k, v)
	}
	for _, c := range r.cookies {
		req.AddCookie(c)
	}
	if r.remote != "" {
		req.RemoteAddr = r.remote
	}
	if r.ctx != nil {
		req = req.WithContext(r.ctx)
	}
	rec := httptest.NewRecorder()
	a.handler.ServeHTTP(rec, req)
	return rec
}

// formSession is a browser's view of a respondent form: its cookies and
// the hidden fields of the page it was served.
type formSession struct {
	cookies      []*http.Cookie
	csrf         string
	submissionID string
}

var (
	csrfField       = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)
	submissionField = regexp.MustCompile(`name="submission_id" value="([^"]+)"`)
)

func (a *app) openForm(path string) (formSession, string) {
	a.t.Helper()
	rec := a.do(request{path: path})
	if rec.Code != http.StatusOK {
		a.t.Fatalf("GET %s: %d", path, rec.Code)
	}
	body := rec.Body.String()
	return formSession{cookies: rec.Result().Cookies(), csrf: match(a.t, csrfField, body), submissionID: match(a.t, submissionField, body)}, body
}

func (a *app) postForm(path string, fs formSession, values url.Values) *httptest.ResponseRecorder {
	a.t.Helper()
	if values.Get("csrf_token") == "" {
		values.Set("csrf_token", fs.csrf)
	}
	if values.Get("submission_id") == "" {
		values.Set("submission_id", fs.submissionID)
	}
	return a.do(request{method: http.MethodPost, path: path, body: values.Encode(), contentType: "application/x-www-form-urlencoded", cookies: fs.cookies})
}

func match(t testing.TB, re *regexp.Regexp, body string) string {
	t.Helper()
	m := re.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no match for %s", re)
	}
	return html.UnescapeString(m[1])
}

func decode[T any](t *testing.T, rec *httptest.ResponseRecorder) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(rec.Body.Bytes(), &v); err != nil {
		t.Fatalf("decode %q: %v", rec.Body.String(), err)
	}
	return v
}

type errorResponse struct {
	Error struct {
		Code    string              `json:"code"`
		Message string              `json:"message"`
		Fields  []survey.FieldError `json:"fields"`
	} `json:"error"`
}

func (a *app) countResponses(slug string) int {
	a.t.Helper()
	n, err := a.store.CountResponses(context.Background(), slug)
	if err != nil {
		a.t.Fatal(err)
	}
	return n
}
