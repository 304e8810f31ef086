package web_test

import (
	"encoding/base64"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/metlib/canvass/survey"
)

// The status box says only what the server said: text put in the URL by
// whoever made the link shows nowhere, and neither does a flash cookie the
// server did not sign. The messages of real actions still show, once.
func TestStatusBoxShowsOnlyTheServersMessages(t *testing.T) {
	a := newApp(t)
	srv := a.serve(t)
	const planted = "Your account is compromised"
	query := "?done=" + url.QueryEscape(planted+", call +1 555 0100") + "&problem=" + url.QueryEscape(planted)

	anonymous := newClient(t, srv)
	login := anonymous.get("/admin/login" + query)
	if login.status != 200 || strings.Contains(login.body, "compromised") {
		t.Errorf("login page with planted text: %d\n%s", login.status, login.body)
	}
	if done, problem := flashShown(login.body); done != "" || problem != "" {
		t.Errorf("login page shows %q / %q", done, problem)
	}

	c := newClient(t, srv)
	a.signIn(t, c, survey.RoleAdmin)
	for _, path := range []string{"/admin", "/admin/account", "/admin/surveys/every-type", "/admin/surveys/every-type/invitations", "/admin/libraries", "/admin/users"} {
		p := c.get(path + query)
		if p.status != 200 || strings.Contains(p.body, "compromised") {
			t.Errorf("GET %s with planted text: %d, the text shows", path, p.status)
		}
	}

	// A real action's message shows on the page it lands on, then is gone.
	c.get("/admin/surveys/every-type")
	if done, problem := c.flashAfter(c.post("/admin/surveys/every-type/status", url.Values{"status": {"closed"}})); done != "The survey is now closed." || problem != "" {
		t.Errorf("after closing: shown %q / %q", done, problem)
	}
	if done, _ := flashShown(c.get("/admin/surveys/every-type").body); done != "" {
		t.Errorf("the message shows again on reload: %q", done)
	}
	if sv, _ := a.store.FindSurvey(t.Context(), "every-type"); sv.Status != survey.StatusClosed {
		t.Errorf("status %s, want closed", sv.Status)
	}
	// A refusal shows as a problem.
	c.get("/admin/surveys/every-type")
	if _, problem := c.flashAfter(c.post("/admin/surveys/every-type/dates", url.Values{"opens_at": {"2030-01-01"}, "closes_at": {"2029-01-01"}})); problem == "" {
		t.Error("closing before opening: no problem shown")
	}
	c.get("/admin/surveys/every-type")
	if done, _ := c.flashAfter(c.post("/admin/surveys/every-type/dates", url.Values{"opens_at": {"2030-01-01"}, "closes_at": {""}})); done != "Dates saved." {
		t.Errorf("dates saved: shown %q", done)
	}

	// A flash cookie written by someone else (here: the planted text, with a
	// made-up signature) shows nothing.
	payload := base64.RawURLEncoding.EncodeToString([]byte("d" + planted))
	u, _ := url.Parse(srv.URL + "/admin")
	c.http.Jar.SetCookies(u, []*http.Cookie{{Name: "canvass_flash", Value: payload + ".bm90LWEtc2lnbmF0dXJl", Path: "/admin"}})
	if p := c.get("/admin"); strings.Contains(p.body, "compromised") {
		t.Errorf("a forged flash cookie shows:\n%s", p.body)
	}

	// Signing out lands on the login page with its message.
	c.get("/admin")
	if done, _ := c.flashAfter(c.post("/admin/logout", nil)); done != "You are signed out." {
		t.Errorf("after signing out: shown %q", done)
	}
}
