package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/metlib/canvass/survey"
)

// A GET is never a side effect: the mail-merge file issues links and marks
// invitations sent, so it is only a POST (with CSRF on the pages, with a
// same-origin check or a token on the API). A signed-in browser led to the
// old GET address by another site changes nothing.
func TestMailMergeGetChangesNothing(t *testing.T) {
	a := newApp(t)
	c := newClient(t, a.serve(t))
	a.signIn(t, c, survey.RoleAdmin)
	admin := a.token(survey.RoleAdmin)
	if rec := a.do(request{method: http.MethodPost, path: "/api/v1/libraries", token: admin, contentType: "application/json",
		body: `{"name": "Helsinki City Library", "country": "FI", "contacts": [{"name": "Anna", "email": "anna@hel.fi", "language": "fi", "consent": true}]}`}); rec.Code != 201 {
		t.Fatal(rec.Body)
	}
	c.get("/admin/surveys/every-type/invitations")
	if p := c.post("/admin/surveys/every-type/invitations", url.Values{"who": {"all"}}); p.status != http.StatusSeeOther {
		t.Fatalf("invite: %d %s", p.status, p.body)
	}
	unsent := func() int {
		t.Helper()
		invs, err := a.store.ListInvitations(context.Background(), "every-type")
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, inv := range invs {
			if inv.SentAt == nil {
				n++
			}
		}
		return n
	}
	if n := unsent(); n != 1 {
		t.Fatalf("%d unsent invitations before the GETs, want 1", n)
	}
	for _, path := range []string{
		"/api/v1/surveys/every-type/invitations/mailmerge.csv",
		"/api/v1/surveys/every-type/invitations/mailmerge.xlsx",
		"/admin/surveys/every-type/invitations/mailmerge",
		"/api/v1/surveys/every-type/invitations/reminders.csv",
		"/api/v1/surveys/every-type/invitations/new-links.xlsx",
		"/admin/surveys/every-type/invitations/new-links",
	} {
		p := c.get(path)
		if p.status != http.StatusMethodNotAllowed {
			t.Errorf("GET %s with a session: %d, want 405 (only POST is routed)", path, p.status)
		}
		if n := unsent(); n != 1 {
			t.Fatalf("GET %s marked invitations sent: %d unsent left, want 1", path, n)
		}
	}
	// The POST with a token still makes the file, and only it marks them sent.
	rec := a.do(request{method: http.MethodPost, path: "/api/v1/surveys/every-type/invitations/mailmerge.csv", token: admin})
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), "anna@hel.fi") {
		t.Fatalf("POST mail merge: %d %s", rec.Code, rec.Body)
	}
	if n := unsent(); n != 0 {
		t.Errorf("%d unsent after the POST, want 0", n)
	}
}
