package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/metlib/canvass/internal/memtest"
	"github.com/metlib/canvass/survey"
	"github.com/metlib/canvass/survey/store"
	"github.com/metlib/canvass/survey/store/storetest"
	"github.com/metlib/canvass/survey/web"
)

// loginForm fetches the sign-in page once: its CSRF cookie and token serve
// every post that follows (the token is an HMAC of the cookie).
func (a *app) loginForm() formSession {
	a.t.Helper()
	rec := a.do(request{path: "/admin/login"})
	return formSession{cookies: rec.Result().Cookies(), csrf: match(a.t, csrfField, rec.Body.String())}
}

// postLogin posts a sign-in. ctx is the request's: the concurrency tests
// give it a deadline that tolerates a loaded machine, since what they test
// is what the store and the hashing slots allow, not how fast they answer.
func (a *app) postLogin(ctx context.Context, fs formSession, remote, email, password string) *http.Response {
	values := url.Values{"csrf_token": {fs.csrf}, "email": {email}, "password": {password}}
	return a.do(request{method: http.MethodPost, path: "/admin/login", body: values.Encode(), contentType: "application/x-www-form-urlencoded",
		cookies: fs.cookies, remote: remote, ctx: ctx}).Result()
}

// loadTolerant is the deadline of the concurrency tests' requests: on 2
// cores at a load average of 20, under -race, 60 concurrent sign-ins kept
// the embedded server busy past the store's 10 s default.
const loadTolerant = 3 * time.Minute

// passwordChecks is the number of argon2id runs so far. The tests that
// read it do not run in parallel (nothing else hashes meanwhile), and only
// a completed run counts: a sign-in refused before or while waiting for a
// hashing slot checked nothing.
func passwordChecks() int {
	n, _ := survey.HashStats()
	return n
}

func signedIn(res *http.Response) bool {
	for _, c := range res.Cookies() {
		if c.Name == "canvass_session" && c.Value != "" {
			return true
		}
	}
	return false
}

// TestConcurrentGuessesCannotOutrunTheLockout sends 60 wrong passwords for
// one account at once from 60 addresses through the router. Whatever the
// machine's speed: at most LoginMaxAccountFailures passwords are checked
// (counted where argon2id runs), each check is a 401 and is audited; every
// other guess is refused unchecked with 429, or 503 where the embedded
// server could not count it (the limiter fails closed), both with
// Retry-After, and none is a 500. Then the right password is refused
// unchecked while the account is locked, and signs in after the window.
func TestConcurrentGuessesCannotOutrunTheLockout(t *testing.T) {
	a := newApp(t)
	a.user("ana@example.org", survey.RoleAdmin)
	fs := a.loginForm()
	ctx, cancel := context.WithTimeout(context.Background(), loadTolerant)
	defer cancel()
	before := passwordChecks()
	var mu sync.Mutex
	statuses := map[int]int{}
	var wg sync.WaitGroup
	for i := range 60 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			res := a.postLogin(ctx, fs, fmt.Sprintf("198.51.100.%d:4000", i+1), "ana@example.org", fmt.Sprintf("guess number %d", i))
			mu.Lock()
			defer mu.Unlock()
			statuses[res.StatusCode]++
			switch res.StatusCode {
			case http.StatusUnauthorized:
			case http.StatusTooManyRequests, http.StatusServiceUnavailable:
				if res.Header.Get("Retry-After") == "" {
					t.Errorf("a guess refused with %d without Retry-After", res.StatusCode)
				}
			default:
				t.Errorf("a wrong guess answered %d, want 401, 429 or 503", res.StatusCode)
			}
			if signedIn(res) {
				t.Errorf("a wrong guess got a session")
			}
		}()
	}
	wg.Wait()
	checks := passwordChecks() - before
	t.Logf("60 concurrent guesses: %d passwords checked; statuses %v", checks, statuses)
	if checks > survey.LoginMaxAccountFailures {
		t.Errorf("%d passwords checked, want at most %d", checks, survey.LoginMaxAccountFailures)
	}
	if statuses[http.StatusUnauthorized] != checks {
		t.Errorf("%d answered 401, want one for each of the %d passwords checked", statuses[http.StatusUnauthorized], checks)
	}
	entries, _, err := a.store.ListAudit(ctx, survey.AuditFilter{Action: "user.login_failed"})
	if err != nil || len(entries) != checks {
		t.Errorf("%d failed sign-ins audited, want the %d checked (%v)", len(entries), checks, err)
	}
	// Use what the race left of the allowance (a guess answered 503 after
	// its attempt was stored still counts, so it can be less than 5 -
	// checks), then the right password is refused.
	for range survey.LoginMaxAccountFailures + 1 {
		res := a.postLogin(ctx, fs, "203.0.113.9:4000", "ana@example.org", "another wrong guess")
		if res.StatusCode == http.StatusTooManyRequests {
			break
		}
		if res.StatusCode != http.StatusUnauthorized {
			t.Fatalf("a guess after the race: %d, want 401 or 429", res.StatusCode)
		}
	}
	if checks = passwordChecks() - before; checks > survey.LoginMaxAccountFailures {
		t.Errorf("%d passwords checked with the guesses after the race, want at most %d", checks, survey.LoginMaxAccountFailures)
	}
	res := a.postLogin(ctx, fs, "203.0.113.10:4000", "ana@example.org", "a long enough password")
	if res.StatusCode != http.StatusTooManyRequests || res.Header.Get("Retry-After") == "" || signedIn(res) {
		t.Errorf("the right password while locked: %d, Retry-After %q, session %v; want 429 with Retry-After, no session", res.StatusCode, res.Header.Get("Retry-After"), signedIn(res))
	}
	if after := passwordChecks() - before; after != checks {
		t.Errorf("the right password was checked while the account was locked (%d checks, %d before)", after, checks)
	}
	// After the window the right password signs in.
	a.server.SetClock(func() time.Time { return time.Now().UTC().Add(survey.LoginWindow + time.Minute) })
	if res := a.postLogin(ctx, fs, "203.0.113.11:4000", "ana@example.org", "a long enough password"); res.StatusCode != http.StatusSeeOther || !signedIn(res) {
		t.Errorf("the right password after the window: %d, session %v; want 303 and a session", res.StatusCode, signedIn(res))
	}
}

// TestSignInFailsClosed points the limiter at a store whose client is
// disconnected: the right password is refused with 503 and Retry-After,
// never checked without being counted.
func TestSignInFailsClosed(t *testing.T) {
	a := newApp(t)
	a.user("ana@example.org", survey.RoleAdmin)
	broken, err := store.Open(context.Background(), storetest.URI(), "limiter-outage")
	if err != nil {
		t.Fatal(err)
	}
	_ = broken.Close(context.Background())
	srv, err := web.New(configFor(a.store, func(c *web.Config) { c.Logins = broken }))
	if err != nil {
		t.Fatal(err)
	}
	a.handler = srv.Handler()
	res := a.postLogin(context.Background(), a.loginForm(), "192.0.2.7:4000", "ana@example.org", "a long enough password")
	if res.StatusCode != http.StatusServiceUnavailable || res.Header.Get("Retry-After") == "" || len(res.Cookies()) > 0 && res.Cookies()[0].Name == "canvass_session" {
		t.Errorf("sign-in with the limiter down: %d, Retry-After %q, cookies %v; want 503, Retry-After, no session", res.StatusCode, res.Header.Get("Retry-After"), res.Cookies())
	}
}

// TestPasswordHashingIsBounded sends 150 sign-ins at once from 150
// addresses. Unbounded, argon2id held 19 MiB each (2.9 GB measured in
// process, 3.5 GB RSS in issue 13). Bounded, whatever the machine's speed:
// at most MaxConcurrentHashes run at once (counted where argon2id runs),
// the heap grows by less than twice the hashing budget plus slack
// (HeapInuse also holds finished hashes' memory until the collector runs,
// up to the live heap again at GOGC=100: 342 MiB measured without -race),
// every sign-in is either checked (401) or refused as busy (503 with
// Retry-After), never a 500, and at least one is checked. How many get a
// slot within HashQueueWait depends on the machine and is not asserted.
func TestPasswordHashingIsBounded(t *testing.T) {
	a := newApp(t)
	fs := a.loginForm()
	ctx, cancel := context.WithTimeout(context.Background(), loadTolerant)
	defer cancel()
	var mu sync.Mutex
	statuses := map[int]int{}
	retry := true
	before := passwordChecks()
	survey.ResetHashPeak()
	u := memtest.Measure(func() {
		var wg sync.WaitGroup
		for i := range 150 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				res := a.postLogin(ctx, fs, fmt.Sprintf("10.1.%d.%d:4000", i/200, i%200+1), fmt.Sprintf("someone%d@example.org", i), "a wrong password")
				mu.Lock()
				defer mu.Unlock()
				statuses[res.StatusCode]++
				if res.StatusCode == http.StatusServiceUnavailable && res.Header.Get("Retry-After") == "" {
					retry = false
				}
			}()
		}
		wg.Wait()
	})
	completed, peak := survey.HashStats()
	checks := completed - before
	t.Logf("150 concurrent sign-ins: %v; %d hashes, at most %d at once; %v", statuses, checks, peak, u)
	if peak > survey.MaxConcurrentHashes {
		t.Errorf("%d hashes ran at once, want at most %d", peak, survey.MaxConcurrentHashes)
	}
	if checked := statuses[http.StatusUnauthorized]; checked+statuses[http.StatusServiceUnavailable] != 150 || checked == 0 || checked != checks || !retry {
		t.Errorf("statuses %v, %d hashes (Retry-After on every 503: %v); want only 401 and 503, a 401 for each hash, at least one", statuses, checks, retry)
	}
	if bound := uint64(2*survey.HashMemoryBudget + 96<<20); u.PeakHeap > bound {
		t.Errorf("peak heap grew by %d MiB, want under %d", u.PeakHeap>>20, bound>>20)
	}
}

var setupLink = regexp.MustCompile(`/admin/setup\?token=([A-Za-z0-9_-]+)`)

// TestResetLinkDiesWithItsReason issues reset links through the admin pages
// and checks that one stops working when the user changes the password
// themselves, and another when the account is disabled.
func TestResetLinkDiesWithItsReason(t *testing.T) {
	a := newApp(t)
	srv := a.serve(t)
	admin := newClient(t, srv)
	a.signIn(t, admin, survey.RoleAdmin)
	bob := newClient(t, srv)
	email := a.signIn(t, bob, survey.RoleAnalyst)
	u, err := a.store.FindUserByEmail(context.Background(), email)
	if err != nil {
		t.Fatal(err)
	}
	issue := func() string {
		t.Helper()
		p := admin.post("/admin/users/"+u.ID+"/reset", nil)
		m := setupLink.FindStringSubmatch(p.body)
		if p.status != http.StatusOK || m == nil {
			t.Fatalf("reset link: %d, no link in the page", p.status)
		}
		admin.get("/admin/users")
		return m[1]
	}
	usable := func(token string) int {
		t.Helper()
		return newClient(t, srv).get("/admin/setup?token=" + token).status
	}

	link := issue()
	if s := usable(link); s != http.StatusOK {
		t.Fatalf("a fresh reset link: %d, want 200", s)
	}
	bob.get("/admin/account")
	if p := bob.post("/admin/account/password", url.Values{"current_password": {"a long enough password"}, "password": {"bob's own new password"}, "password_again": {"bob's own new password"}}); p.status != http.StatusSeeOther {
		t.Fatalf("change password: %d", p.status)
	}
	if s := usable(link); s != http.StatusNotFound {
		t.Errorf("the reset link after the user changed the password: %d, want 404", s)
	}

	link = issue()
	if s := usable(link); s != http.StatusOK {
		t.Fatalf("a second reset link: %d, want 200", s)
	}
	if p := admin.post("/admin/users/"+u.ID, url.Values{"role": {"analyst"}, "disabled": {"true"}}); p.status != http.StatusSeeOther {
		t.Fatalf("disable: %d", p.status)
	}
	if s := usable(link); s != http.StatusNotFound {
		t.Errorf("the reset link after the account was disabled: %d, want 404", s)
	}
	c := newClient(t, srv)
	c.get("/admin/setup?token=" + link)
	c.get("/admin/login") // a CSRF token for the post
	p := c.post("/admin/setup", url.Values{"token": {link}, "password": {"an attacker's password"}, "password_again": {"an attacker's password"}})
	after, _ := a.store.FindUserByID(context.Background(), u.ID)
	if p.status != http.StatusNotFound || !survey.CheckPassword(after.PasswordHash, "bob's own new password") {
		t.Errorf("setting a password through it: %d, want 404 and the password unchanged", p.status)
	}
	if !strings.Contains(p.body, "This link is not valid") {
		t.Errorf("the answer does not say the link is not valid")
	}
}
