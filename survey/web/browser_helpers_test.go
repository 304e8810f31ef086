package web_test

import (
	"bytes"
	"context"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/metlib/canvass/survey"
)

// client is a browser without JavaScript: a cookie jar, no automatic
// redirects, over a real HTTP server.
type client struct {
	t    *testing.T
	srv  *httptest.Server
	http *http.Client
	csrf string
}

func (a *app) serve(t *testing.T) *httptest.Server {
	srv := httptest.NewServer(a.handler)
	t.Cleanup(srv.Close)
	return srv
}

func newClient(t *testing.T, srv *httptest.Server) *client {
	jar, _ := cookiejar.New(nil)
	return &client{t: t, srv: srv, http: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

type page struct {
	status   int
	body     string
	location string
	header   http.Header
}

func (c *client) do(req *http.Request) page {
	c.t.Helper()
	res, err := c.http.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	p := page{status: res.StatusCode, body: string(b), location: res.Header.Get("Location"), header: res.Header}
	if m := csrfField.FindStringSubmatch(p.body); m != nil {
		c.csrf = m[1]
	}
	return p
}

func (c *client) get(path string) page {
	c.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, c.srv.URL+path, nil)
	return c.do(req)
}

// post sends a form with the CSRF token of the last page seen.
func (c *client) post(path string, values url.Values) page {
	c.t.Helper()
	if values == nil {
		values = url.Values{}
	}
	if _, ok := values["csrf_token"]; !ok {
		values.Set("csrf_token", c.csrf)
	}
	req, _ := http.NewRequest(http.MethodPost, c.srv.URL+path, strings.NewReader(values.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return c.do(req)
}

// upload posts a multipart form with a file field "definition".
func (c *client) upload(path, filename string, data []byte) page {
	c.t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	_ = w.WriteField("csrf_token", c.csrf)
	fw, _ := w.CreateFormFile("definition", filename)
	_, _ = fw.Write(data)
	_ = w.Close()
	req, _ := http.NewRequest(http.MethodPost, c.srv.URL+path, &buf)
	req.Header.Set("Content-Type", w.FormDataContentType())
	return c.do(req)
}

// user creates an account with a password.
func (a *app) user(email string, role survey.Role) {
	a.t.Helper()
	if err := a.store.CreateUser(context.Background(), &survey.User{Email: email, Name: "Test " + string(role), Role: role,
		PasswordHash: survey.HashPassword("a long enough password")}); err != nil {
		a.t.Fatal(err)
	}
}

// signIn creates a user of the role and signs the client in as them.
func (a *app) signIn(t *testing.T, c *client, role survey.Role) string {
	t.Helper()
	email := string(role) + "@example.org"
	if _, err := a.store.FindUserByEmail(context.Background(), email); err != nil {
		a.user(email, role)
	}
	c.get("/admin/login")
	p := c.post("/admin/login", url.Values{"email": {email}, "password": {"a long enough password"}})
	if p.status != http.StatusSeeOther || p.location != "/admin" {
		t.Fatalf("sign in as %s: %d %s", role, p.status, p.location)
	}
	c.get("/admin") // pick up a CSRF token
	return email
}

func (c *client) cookie(name string) *http.Cookie {
	u, _ := url.Parse(c.srv.URL)
	for _, ck := range c.http.Jar.Cookies(u) {
		if ck.Name == name {
			return ck
		}
	}
	return nil
}
