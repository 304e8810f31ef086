package web_test

import (
	"context"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/metlib/canvass/survey"
	"github.com/metlib/canvass/survey/web"
)

func TestLoginSessionLogout(t *testing.T) {
	a := newApp(t)
	srv := a.serve(t)
	c := newClient(t, srv)
	if p := c.get("/admin"); p.status != http.StatusSeeOther || p.location != "/admin/login?next=%2Fadmin" {
		t.Fatalf("signed out: %d %s", p.status, p.location)
	}
	a.user("ana@example.org", survey.RoleAdmin)
	c.get("/admin/login?next=/admin/audit")
	// A session cookie planted before login is never reused (no fixation).
	u, _ := url.Parse(srv.URL)
	c.http.Jar.SetCookies(u, []*http.Cookie{{Name: "canvass_session", Value: "planted-by-an-attacker", Path: "/"}})
	p := c.post("/admin/login", url.Values{"email": {" Ana@Example.org "}, "password": {"a long enough password"}, "next": {"/admin/audit"}})
	if p.status != http.StatusSeeOther || p.location != "/admin/audit" {
		t.Fatalf("login: %d %s", p.status, p.location)
	}
	set := strings.Join(p.header.Values("Set-Cookie"), "\n")
	if !regexp.MustCompile(`canvass_session=[A-Za-z0-9_-]{43}; Path=/; Max-Age=43200; HttpOnly; SameSite=Lax`).MatchString(set) {
		t.Errorf("session cookie: %s", set)
	}
	first := c.cookie("canvass_session").Value
	if first == "planted-by-an-attacker" {
		t.Fatal("session id not rotated at login")
	}
	if p := c.get("/admin"); p.status != 200 || !strings.Contains(p.body, "ana@example.org") {
		t.Fatalf("dashboard: %d", p.status)
	}
	// Signing in again rotates the id and ends the old session.
	c.get("/admin/login")
	c.post("/admin/login", url.Values{"email": {"ana@example.org"}, "password": {"a long enough password"}})
	if second := c.cookie("canvass_session").Value; second == first {
		t.Error("session id not rotated on a second login")
	}
	if _, err := a.store.FindSession(context.Background(), survey.HashSecret(first)); survey.ErrorCode(err) != survey.ENOTFOUND {
		t.Errorf("old session still stored: %v", err)
	}
	// Logout ends the session server-side, not just the cookie.
	c.get("/admin")
	current := c.cookie("canvass_session").Value
	if p := c.post("/admin/logout", nil); p.status != http.StatusSeeOther || !strings.HasPrefix(p.location, "/admin/login") {
		t.Fatalf("logout: %d %s", p.status, p.location)
	}
	replay := newClient(t, srv)
	replay.http.Jar.SetCookies(u, []*http.Cookie{{Name: "canvass_session", Value: current, Path: "/"}})
	if p := replay.get("/admin"); p.status != http.StatusSeeOther {
		t.Errorf("session usable after logout: %d", p.status)
	}
}

func TestSecureCookieOverHTTPS(t *testing.T) {
	a := newApp(t)
	srv, _ := web.New(configFor(a.store, func(c *web.Config) { c.BaseURL = "https://survey.example.org" }))
	a.handler = srv.Handler()
	a.user("ana@example.org", survey.RoleAdmin)
	c := newClient(t, a.serve(t))
	c.get("/admin/login")
	p := c.post("/admin/login", url.Values{"email": {"ana@example.org"}, "password": {"a long enough password"}})
	if set := strings.Join(p.header.Values("Set-Cookie"), "\n"); !strings.Contains(set, "; Secure") {
		t.Errorf("cookies not Secure behind https: %s", set)
	}
}

func TestSessionExpiry(t *testing.T) {
	a := newApp(t)
	var now atomic.Int64 // the server reads the clock on its own goroutines
	now.Store(time.Now().UnixNano())
	a.server.SetClock(func() time.Time { return time.Unix(0, now.Load()).UTC() })
	c := newClient(t, a.serve(t))
	a.signIn(t, c, survey.RoleAnalyst)
	advance := func(d time.Duration) int {
		now.Add(int64(d))
		return c.get("/admin").status
	}
	// The last-seen write is asynchronous: wait until the store has the
	// time of the last request, however loaded the machine (a fixed sleep
	// was not always enough when the package's tests run in parallel).
	seen := func() {
		t.Helper()
		u, _ := url.Parse(c.srv.URL)
		var hash string
		for _, ck := range c.http.Jar.Cookies(u) {
			if ck.Name == "canvass_session" {
				hash = survey.HashSecret(ck.Value)
			}
		}
		want := time.Unix(0, now.Load()).Truncate(time.Millisecond)
		for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(10 * time.Millisecond) {
			if sess, err := a.store.FindSession(context.Background(), hash); err == nil && !sess.LastSeenAt.Before(want) {
				return
			}
			if time.Now().After(deadline) {
				t.Fatal("the session's last use was never recorded")
			}
		}
	}
	if s := advance(time.Hour); s != 200 {
		t.Fatalf("after 1h active: %d", s)
	}
	seen()
	if s := advance(survey.SessionIdleTimeout + time.Minute); s != http.StatusSeeOther {
		t.Errorf("after an idle timeout: %d, want 303 to login", s)
	}
	// Absolute expiry: active every hour, still signed out after 12 hours.
	c = newClient(t, a.serve(t))
	a.signIn(t, c, survey.RoleAnalyst)
	for i := 0; i < 11; i++ {
		if s := advance(time.Hour); s != 200 {
			t.Fatalf("active hour %d: %d", i+1, s)
		}
		seen()
	}
	if s := advance(time.Hour + time.Minute); s != http.StatusSeeOther {
		t.Errorf("after the absolute lifetime: %d, want 303", s)
	}
}

func TestLoginFailuresAreUniformAndThrottled(t *testing.T) {
	a := newApp(t)
	c := newClient(t, a.serve(t))
	a.user("ana@example.org", survey.RoleAdmin)
	c.get("/admin/login")
	wrong := c.post("/admin/login", url.Values{"email": {"ana@example.org"}, "password": {"not the password"}})
	unknown := c.post("/admin/login", url.Values{"email": {"nobody@example.org"}, "password": {"whatever it is"}})
	if wrong.status != 401 || unknown.status != 401 || !strings.Contains(wrong.body, "The email or password is not right.") || !strings.Contains(unknown.body, "The email or password is not right.") {
		t.Errorf("wrong password %d, unknown email %d; want the same 401 page", wrong.status, unknown.status)
	}
	for i := 0; i < survey.LoginMaxAccountFailures; i++ {
		c.post("/admin/login", url.Values{"email": {"ana@example.org"}, "password": {"still not it"}})
	}
	blocked := c.post("/admin/login", url.Values{"email": {"ana@example.org"}, "password": {"a long enough password"}})
	if blocked.status != http.StatusTooManyRequests || blocked.header.Get("Retry-After") == "" || !strings.Contains(blocked.body, "Too many failed sign-ins") {
		t.Errorf("after %d failures, the right password: %d, Retry-After %q", survey.LoginMaxAccountFailures, blocked.status, blocked.header.Get("Retry-After"))
	}
	entries, _, _ := a.store.ListAudit(context.Background(), survey.AuditFilter{Action: "user.login_failed"})
	if len(entries) < survey.LoginMaxAccountFailures {
		t.Errorf("%d failed logins audited", len(entries))
	}
}

func TestPerAddressRateLimits(t *testing.T) {
	a := newApp(t)
	srv, _ := web.New(configFor(a.store, func(c *web.Config) {
		c.SubmitRate = web.RateLimit{PerSecond: 0.001, Burst: 2}
		c.LoginRate = web.RateLimit{PerSecond: 0.001, Burst: 1}
	}))
	a.handler = srv.Handler()
	statuses := []int{}
	var last *http.Response
	for i := 0; i < 3; i++ {
		rec := a.do(request{method: http.MethodPost, path: "/api/v1/surveys/every-type/responses", body: `{"answers": {}}`, contentType: "application/json"})
		statuses = append(statuses, rec.Code)
		last = rec.Result()
	}
	if statuses[0] != 422 || statuses[1] != 422 || statuses[2] != 429 || last.Header.Get("Retry-After") == "" {
		t.Errorf("submissions: %v, Retry-After %q; want 422 422 429", statuses, last.Header.Get("Retry-After"))
	}
	if e := decode[errorResponse](t, a.do(request{method: http.MethodPost, path: "/api/v1/surveys/every-type/responses", body: `{}`, contentType: "application/json"})); e.Error.Code != "rate_limited" {
		t.Errorf("error code %q", e.Error.Code)
	}
	a.do(request{method: http.MethodPost, path: "/admin/login", body: "email=x", contentType: "application/x-www-form-urlencoded"})
	if rec := a.do(request{method: http.MethodPost, path: "/admin/login", body: "email=x", contentType: "application/x-www-form-urlencoded"}); rec.Code != 429 {
		t.Errorf("second login from the address: %d, want 429", rec.Code)
	}
	// Another address is not affected.
	if rec := a.do(request{method: http.MethodPost, path: "/api/v1/surveys/every-type/responses", body: `{"answers": {}}`, contentType: "application/json", remote: "198.51.100.7:1234"}); rec.Code != 422 {
		t.Errorf("another address: %d", rec.Code)
	}
}

func TestCSRFAndOriginChecks(t *testing.T) {
	a := newApp(t)
	srv := a.serve(t)
	c := newClient(t, srv)
	a.signIn(t, c, survey.RoleAdmin)
	if p := c.post("/admin/surveys/every-type/status", url.Values{"status": {"closed"}, "csrf_token": {""}}); p.status != 403 {
		t.Errorf("admin form without a CSRF token: %d", p.status)
	}
	if p := c.post("/admin/surveys/every-type/status", url.Values{"status": {"closed"}, "csrf_token": {"forged"}}); p.status != 403 {
		t.Errorf("admin form with a forged token: %d", p.status)
	}
	if sv, _ := a.store.FindSurvey(context.Background(), "every-type"); sv.Status != survey.StatusOpen {
		t.Fatal("a refused form changed the survey")
	}
	// The session cookie on the API: changes need an Origin (or Referer) of this site.
	post := func(origin string) int {
		req, _ := http.NewRequest(http.MethodPost, srv.URL+"/api/v1/surveys/every-type/close", nil)
		if origin != "" {
			req.Header.Set("Origin", origin)
		}
		return c.do(req).status
	}
	if s := post(""); s != 403 {
		t.Errorf("cookie API call without Origin: %d", s)
	}
	if s := post("https://evil.example"); s != 403 {
		t.Errorf("cookie API call from another site: %d", s)
	}
	if s := post(srv.URL); s != 200 {
		t.Errorf("cookie API call from this site: %d", s)
	}
	// Reads need no Origin.
	if p := c.get("/api/v1/surveys"); p.status != 200 {
		t.Errorf("cookie API read: %d", p.status)
	}
}

func TestFirstRunSetup(t *testing.T) {
	a := newApp(t)
	ctx := context.Background()
	link, issued, err := a.server.IssueSetupLink(ctx, "http://canvass.test")
	if err != nil || !issued || !strings.HasPrefix(link, "http://canvass.test/admin/setup?token=") {
		t.Fatalf("setup link %q %v %v", link, issued, err)
	}
	if _, again, _ := a.server.IssueSetupLink(ctx, "http://canvass.test"); again {
		t.Error("a second setup link was issued while the first is valid")
	}
	path := strings.TrimPrefix(link, "http://canvass.test")
	c := newClient(t, a.serve(t))
	if p := c.get(path); p.status != 200 || !strings.Contains(p.body, "Set up Canvass") {
		t.Fatalf("setup page: %d", p.status)
	}
	token := strings.TrimPrefix(path, "/admin/setup?token=")
	short := c.post("/admin/setup", url.Values{"token": {token}, "email": {"chair@example.org"}, "password": {"short"}, "password_again": {"short"}})
	if short.status != 422 || !strings.Contains(short.body, "at least 12 characters") || !strings.Contains(short.body, `value="chair@example.org"`) {
		t.Errorf("short password: %d", short.status)
	}
	done := c.post("/admin/setup", url.Values{"token": {token}, "email": {"Chair@Example.org"}, "name": {"Chair"}, "password": {"twelve chars or more"}, "password_again": {"twelve chars or more"}})
	if done.status != http.StatusSeeOther || done.location != "/admin" {
		t.Fatalf("setup: %d %s %s", done.status, done.location, done.body)
	}
	if shown, _ := c.flashAfter(done); shown != "Your password is set. Welcome to Canvass." {
		t.Errorf("after setup: shown %q", shown)
	}
	u, err := a.store.FindUserByEmail(ctx, "chair@example.org")
	if err != nil || u.Role != survey.RoleAdmin || !survey.CheckPassword(u.PasswordHash, "twelve chars or more") {
		t.Errorf("first admin: %+v %v", u, err)
	}
	if p := c.get("/admin"); p.status != 200 {
		t.Errorf("signed in after setup: %d", p.status)
	}
	if p := newClient(t, a.serve(t)).get(path); p.status != 404 {
		t.Errorf("setup link reused: %d", p.status)
	}
	if _, issued, _ := a.server.IssueSetupLink(ctx, "http://canvass.test"); issued {
		t.Error("setup link issued although a user exists")
	}
}

func TestSurveyManagement(t *testing.T) {
	a := newApp(t)
	ctx := context.Background()
	c := newClient(t, a.serve(t))
	a.signIn(t, c, survey.RoleAdmin)

	// Upload YAML: a draft.
	yamlDef, _ := os.ReadFile("testdata/every-type.yaml")
	def := strings.Replace(string(yamlDef), "slug: every-type", "slug: uploaded", 1)
	if p := c.upload("/admin/surveys", "uploaded.yaml", []byte(def)); p.status != http.StatusSeeOther || !strings.HasPrefix(p.location, "/admin/surveys/uploaded") {
		t.Fatalf("upload: %d %s %s", p.status, p.location, p.body)
	}
	if sv, _ := a.store.FindSurvey(ctx, "uploaded"); sv.Status != survey.StatusDraft {
		t.Errorf("uploaded as %s, want draft", sv.Status)
	}
	// Invalid: the problems with their paths, nothing stored.
	bad := strings.Replace(def, "slug: uploaded", "slug: broken", 1)
	bad = strings.Replace(bad, "max: 1000000", "max: -1", 1)
	p := c.upload("/admin/surveys", "broken.yaml", []byte(bad))
	if p.status != 422 || !strings.Contains(p.body, "<code>sections[0].questions[4].min</code>: min (0) is greater than max (-1)") {
		t.Errorf("invalid upload: %d", p.status)
	}
	if p := c.upload("/admin/surveys", "notes.txt", []byte("hello")); p.status != 422 || !strings.Contains(p.body, "is not a .yaml, .yml, .json or .xlsx file") {
		t.Errorf("wrong file type: %d", p.status)
	}
	// XLSForm: imported with the list of what did not map.
	xlsx, err := os.ReadFile("../xlsform/testdata/library-survey.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	p = c.upload("/admin/surveys", "library.xlsx", xlsx)
	if p.status != 201 || !strings.Contains(p.body, "Not imported from the XLSForm") || !strings.Contains(p.body, `&#34;thanks_note&#34; has type &#34;note&#34;`) {
		t.Errorf("XLSForm upload: %d %s", p.status, p.body)
	}
	if _, err := a.store.FindSurvey(ctx, "library-services-2026"); err != nil {
		t.Errorf("XLSForm survey not stored: %v", err)
	}

	// Preview, publish, answer, then a new version: the old response keeps v1.
	if p := c.get("/admin/surveys/uploaded/preview?lang=fr"); p.status != 200 || !strings.Contains(p.body, "Preview: this is how respondents") || !strings.Contains(p.body, "disabled>Envoyer") {
		t.Errorf("preview: %d", p.status)
	}
	c.get("/admin/surveys/uploaded")
	if p := c.post("/admin/surveys/uploaded/status", url.Values{"status": {"open"}}); p.status != http.StatusSeeOther {
		t.Fatalf("publish: %d", p.status)
	}
	if rec := a.do(request{method: http.MethodPost, path: "/api/v1/surveys/uploaded/responses", body: `{"answers": {"pick": "a", "grid": {"r1": "lo"}}}`, contentType: "application/json"}); rec.Code != 201 {
		t.Fatalf("answer: %d %s", rec.Code, rec.Body)
	}
	v2 := strings.Replace(def, `title: {en: "Every question type"`, `title: {en: "Every question type, revised"`, 1)
	c.get("/admin/surveys/uploaded")
	if p := c.upload("/admin/surveys/uploaded/definition", "v2.yaml", []byte(v2)); p.status != http.StatusSeeOther {
		t.Fatalf("new version: %d %s", p.status, p.location)
	} else if shown, _ := c.flashAfter(p); shown != "Saved version 2." {
		t.Errorf("new version: shown %q", shown)
	}
	if p := c.upload("/admin/surveys/uploaded/definition", "other.yaml", []byte(def[:0]+strings.Replace(def, "slug: uploaded", "slug: other", 1))); p.status != 422 || !strings.Contains(p.body, `defines survey &#34;other&#34;, not &#34;uploaded&#34;`) {
		t.Errorf("new version with another slug: %d", p.status)
	}
	list, _, _ := a.store.ListResponses(ctx, survey.ResponseFilter{SurveySlug: "uploaded"})
	if len(list) != 1 || list[0].SurveyVersion != 1 {
		t.Errorf("earlier response's version: %+v", list)
	}
	if p := c.get("/admin/responses/" + list[0].ID); p.status != 200 || !strings.Contains(p.body, "<dt>Pick one</dt><dd>A</dd>") {
		t.Errorf("response page: %d", p.status)
	}
	yml := c.get("/admin/surveys/uploaded/definition.yaml")
	if yml.status != 200 || !strings.Contains(yml.header.Get("Content-Disposition"), `filename="uploaded-v2.yaml"`) || !strings.HasPrefix(yml.body, "slug: uploaded\nversion: 2\n") {
		t.Errorf("download: %d %q %q", yml.status, yml.header.Get("Content-Disposition"), yml.body[:min(40, len(yml.body))])
	}
	if _, err := survey.ParseDefinition([]byte(yml.body), "yaml"); err != nil {
		t.Errorf("downloaded YAML does not parse: %v", err)
	}

	// Dates and status changes.
	c.get("/admin/surveys/uploaded")
	if _, problem := c.flashAfter(c.post("/admin/surveys/uploaded/dates", url.Values{"opens_at": {"2030-01-01"}, "closes_at": {"2029-01-01"}})); problem == "" {
		t.Errorf("closing before opening accepted without a problem shown")
	}
	c.post("/admin/surveys/uploaded/dates", url.Values{"opens_at": {"2030-01-01"}, "closes_at": {""}})
	if sv, _ := a.store.FindSurvey(ctx, "uploaded"); sv.OpensAt == nil || sv.OpensAt.Year() != 2030 || sv.AcceptingAt(time.Now()) {
		t.Errorf("dates: %v", sv.OpensAt)
	}
	for _, status := range []string{"closed", "open"} {
		c.post("/admin/surveys/uploaded/status", url.Values{"status": {status}})
		if sv, _ := a.store.FindSurvey(ctx, "uploaded"); string(sv.Status) != status {
			t.Errorf("status %s: got %s", status, sv.Status)
		}
	}
	// Everything above is in the audit log, by the admin.
	entries, _, _ := a.store.ListAudit(ctx, survey.AuditFilter{Actor: "admin@example.org", Target: "survey:uploaded"})
	var actions []string
	for _, e := range entries {
		actions = append(actions, e.Action)
	}
	if got := strings.Join(actions, ","); got != "survey.status,survey.status,survey.dates,survey.update,survey.status,survey.create" {
		t.Errorf("audit actions %s", got)
	}
	if p := c.get("/admin/audit?target=survey:uploaded&action=survey.dates"); p.status != 200 || strings.Count(p.body, "<td>Survey dates changed</td>") != 1 || strings.Contains(p.body, "<td>survey.dates</td>") {
		t.Errorf("audit page filter: %d", p.status)
	}
}

func TestResponsesPages(t *testing.T) {
	a := newApp(t)
	ctx := context.Background()
	for i, body := range []string{
		`{"language": "fr", "answers": {"pick": "a", "grid": {"r1": "lo"}, "land": "FR"}}`,
		`{"language": "en", "answers": {"pick": "a", "grid": {"r1": "lo"}, "land": "KE"}}`,
		`{"language": "fr", "answers": {"pick": "a", "grid": {"r1": "hi"}, "land": "SN"}}`,
	} {
		if rec := a.do(request{method: http.MethodPost, path: "/api/v1/surveys/every-type/responses", body: body, contentType: "application/json"}); rec.Code != 201 {
			t.Fatalf("response %d: %s", i, rec.Body)
		}
	}
	analyst := newClient(t, a.serve(t))
	a.signIn(t, analyst, survey.RoleAnalyst)
	countRows := func(p page) int { return strings.Count(p.body, `<td><a href="/admin/responses/`) }
	for query, want := range map[string]int{"": 3, "?region=sub_saharan_africa": 2, "?language=fr": 2, "?language=fr&region=europe": 1, "?status=draft": 0} {
		if p := analyst.get("/admin/surveys/every-type/responses" + query); p.status != 200 || countRows(p) != want {
			t.Errorf("filter %q: %d rows (status %d), want %d", query, countRows(p), p.status, want)
		}
	}
	if p := analyst.get("/admin/surveys/every-type/responses?from=2020-13-01"); p.status != 400 {
		t.Errorf("bad date: %d", p.status)
	}
	list, _, _ := a.store.ListResponses(ctx, survey.ResponseFilter{SurveySlug: "every-type"})
	if p := analyst.get("/admin/responses/" + list[0].ID + "/delete"); p.status != 403 {
		t.Errorf("analyst delete page: %d", p.status)
	}
	admin := newClient(t, a.serve(t))
	a.signIn(t, admin, survey.RoleAdmin)
	if p := admin.get("/admin/responses/" + list[0].ID + "/delete"); p.status != 200 || !strings.Contains(p.body, "will be deleted for good") {
		t.Errorf("confirm page: %d", p.status)
	}
	if p := admin.post("/admin/responses/"+list[0].ID+"/delete", nil); p.status != http.StatusSeeOther {
		t.Errorf("delete: %d", p.status)
	}
	if n := a.countResponses("every-type"); n != 2 {
		t.Errorf("%d responses after delete", n)
	}
	entries, _, _ := a.store.ListAudit(ctx, survey.AuditFilter{Action: "response.delete"})
	if len(entries) != 1 || entries[0].Actor != "admin@example.org" || entries[0].Target != "response:"+list[0].ID {
		t.Errorf("audit %+v", entries)
	}
}

func TestTokensAndUsersPages(t *testing.T) {
	a := newApp(t)
	ctx := context.Background()
	srv := a.serve(t)
	admin := newClient(t, srv)
	a.signIn(t, admin, survey.RoleAdmin)

	p := admin.post("/admin/tokens", url.Values{"name": {"reporting script"}, "role": {"analyst"}})
	secret := regexp.MustCompile(`<p class="secret">(cvs_[A-Za-z0-9_-]+)</p>`).FindStringSubmatch(p.body)
	if p.status != 201 || secret == nil {
		t.Fatalf("create token: %d", p.status)
	}
	if list := admin.get("/admin/tokens"); strings.Contains(list.body, secret[1]) || !strings.Contains(list.body, "reporting script") {
		t.Error("the token list shows the secret, or not the token")
	}
	if rec := a.do(request{path: "/api/v1/surveys", token: secret[1]}); rec.Code != 200 {
		t.Errorf("new token: %d", rec.Code)
	}
	tokens, _ := a.store.ListTokens(ctx)
	admin.get("/admin/tokens")
	admin.post("/admin/tokens/"+tokens[0].ID+"/revoke", nil)
	if rec := a.do(request{path: "/api/v1/surveys", token: secret[1]}); rec.Code != 401 {
		t.Errorf("revoked token: %d", rec.Code)
	}

	// A new user gets a one-time link; no password passes through the admin.
	admin.get("/admin/users")
	p = admin.post("/admin/users", url.Values{"email": {"Bea@Example.org"}, "name": {"Bea"}, "role": {"analyst"}})
	link := regexp.MustCompile(`<p class="secret">(http://[^<]+)</p>`).FindStringSubmatch(p.body)
	if p.status != 201 || link == nil {
		t.Fatalf("create user: %d", p.status)
	}
	if p := admin.post("/admin/users", url.Values{"email": {"bea@example.org"}, "role": {"analyst"}}); p.status != 409 {
		t.Errorf("duplicate user: %d", p.status)
	}
	bea := newClient(t, srv)
	path := strings.TrimPrefix(link[1], srv.URL)
	if p := bea.get(path); p.status != 200 || !strings.Contains(p.body, "bea@example.org") {
		t.Fatalf("invite page: %d", p.status)
	}
	token := strings.TrimPrefix(path, "/admin/setup?token=")
	if p := bea.post("/admin/setup", url.Values{"token": {token}, "password": {"bea's long password"}, "password_again": {"bea's long password"}}); p.status != http.StatusSeeOther {
		t.Fatalf("set password: %d %s", p.status, p.body)
	}
	if p := bea.get("/admin/users"); p.status != 403 {
		t.Errorf("analyst on users page: %d", p.status)
	}
	// Disabling signs Bea out; an admin cannot demote themselves.
	u, _ := a.store.FindUserByEmail(ctx, "bea@example.org")
	admin.get("/admin/users")
	admin.post("/admin/users/"+u.ID, url.Values{"role": {"analyst"}, "disabled": {"true"}})
	if p := bea.get("/admin"); p.status != http.StatusSeeOther {
		t.Errorf("disabled user still signed in: %d", p.status)
	}
	me, _ := a.store.FindUserByEmail(ctx, "admin@example.org")
	if _, problem := admin.flashAfter(admin.post("/admin/users/"+me.ID, url.Values{"role": {"analyst"}})); problem == "" {
		t.Errorf("self-demotion without a problem shown")
	}
	if me, _ = a.store.FindUserByEmail(ctx, "admin@example.org"); me.Role != survey.RoleAdmin {
		t.Error("admin demoted themselves")
	}
	// Changing one's own password needs the current one.
	admin.get("/admin/account")
	if p := admin.post("/admin/account/password", url.Values{"current_password": {"wrong"}, "password": {"a brand new password"}, "password_again": {"a brand new password"}}); p.status != 422 {
		t.Errorf("password change with a wrong current password: %d", p.status)
	}
	if p := admin.post("/admin/account/password", url.Values{"current_password": {"a long enough password"}, "password": {"a brand new password"}, "password_again": {"a brand new password"}}); p.status != http.StatusSeeOther {
		t.Errorf("password change: %d", p.status)
	}
}

func TestAPIImportUpdateDeleteAudit(t *testing.T) {
	a := newApp(t)
	admin := a.token(survey.RoleAdmin)
	xlsx, _ := os.ReadFile("../xlsform/testdata/library-survey.xlsx")
	rec := a.do(request{method: http.MethodPost, path: "/api/v1/surveys/import", token: admin, body: string(xlsx),
		contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"})
	if rec.Code != 201 {
		t.Fatalf("import: %d %s", rec.Code, rec.Body)
	}
	imported := decode[struct {
		Survey      struct{ Slug, Status string }
		NotImported []struct {
			Sheet   string `json:"sheet"`
			Row     int    `json:"row"`
			Message string `json:"message"`
		} `json:"not_imported"`
	}](t, rec)
	if imported.Survey.Slug != "library-services-2026" || imported.Survey.Status != "draft" || len(imported.NotImported) < 5 {
		t.Errorf("import result %+v", imported)
	}
	broken, _ := os.ReadFile("../xlsform/testdata/broken-no-survey-sheet.xlsx")
	rec = a.do(request{method: http.MethodPost, path: "/api/v1/surveys/import", token: admin, body: string(broken), contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"})
	if rec.Code != 400 || decode[errorResponse](t, rec).Error.Code != "malformed" {
		t.Errorf("broken import: %d %s", rec.Code, rec.Body)
	}
	// PUT: a new version.
	def, _ := os.ReadFile("testdata/every-type.yaml")
	rec = a.do(request{method: http.MethodPut, path: "/api/v1/surveys/every-type", token: admin, body: string(def), contentType: "application/yaml"})
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), `"version":2`) {
		t.Errorf("update: %d %s", rec.Code, rec.Body)
	}
	rec = a.do(request{method: http.MethodPut, path: "/api/v1/surveys/landscape", token: admin, body: string(def), contentType: "application/yaml"})
	if rec.Code != 422 {
		t.Errorf("update with another slug: %d", rec.Code)
	}
	// DELETE a response.
	rec = a.do(request{method: http.MethodPost, path: "/api/v1/surveys/every-type/responses", body: `{"answers": {"pick": "a", "grid": {"r1": "lo"}}}`, contentType: "application/json"})
	id := decode[responseBody](t, rec).ID
	if rec := a.do(request{method: http.MethodDelete, path: "/api/v1/responses/" + id, token: admin}); rec.Code != 204 {
		t.Errorf("delete: %d", rec.Code)
	}
	if rec := a.do(request{method: http.MethodDelete, path: "/api/v1/responses/" + id, token: admin}); rec.Code != 404 {
		t.Errorf("delete again: %d", rec.Code)
	}
	// The audit log names the token.
	rec = a.do(request{path: "/api/v1/audit?actor=token:admin", token: admin})
	audit := decode[struct {
		Entries []struct{ Action, Target, Actor string } `json:"entries"`
		Total   int                                      `json:"total"`
	}](t, rec)
	if audit.Total != 3 || audit.Entries[0].Action != "response.delete" || audit.Entries[2].Action != "survey.create" {
		t.Errorf("audit %+v", audit)
	}
}

func TestAdminPagesHaveSecurityHeadersAndBodyLimits(t *testing.T) {
	a := newApp(t)
	c := newClient(t, a.serve(t))
	a.signIn(t, c, survey.RoleAdmin)
	for _, path := range []string{"/admin", "/admin/account", "/admin/users", "/admin/surveys/every-type"} {
		p := c.get(path)
		if !strings.Contains(p.header.Get("Content-Security-Policy"), "frame-ancestors 'none'") || p.header.Get("X-Frame-Options") != "DENY" || p.header.Get("Cache-Control") != "no-store" {
			t.Errorf("%s: headers %v", path, p.header)
		}
	}
	big := url.Values{"email": {strings.Repeat("a", 2<<20)}}
	if p := c.post("/admin/login", big); p.status != 413 {
		t.Errorf("2 MiB login form: %d", p.status)
	}
}
