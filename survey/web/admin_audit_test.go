package web_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/metlib/canvass/survey"
)

// TestTheAuditLogPageNamesActionsInWords: an admin adds a library and
// invites it; the audit page names those entries "Library added" and
// "Libraries invited" (not library.create, invitation.create), its action
// filter offers the words and sends the code, and the API keeps the codes.
func TestTheAuditLogPageNamesActionsInWords(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	srv := a.serve(t)
	c := newClient(t, srv)
	a.signIn(t, c, survey.RoleAdmin)
	p := c.post("/admin/libraries", url.Values{"name": {"Bibliothèque municipale de Lyon"}, "country": {"FR"},
		"contact0_name": {"Claire"}, "contact0_email": {"claire@bm-lyon.example"}, "contact0_consent": {"on"}})
	if p.status != http.StatusSeeOther {
		t.Fatalf("adding a library: %d %s", p.status, p.body)
	}
	id := strings.TrimPrefix(p.location, "/admin/libraries/")
	if p := c.post("/admin/libraries/"+id+"/invite", url.Values{"survey": {"landscape"}}); p.status != http.StatusSeeOther {
		t.Fatalf("inviting it: %d %s", p.status, p.body)
	}

	cells := regexp.MustCompile(`<tr><td><time[^>]*>[^<]*</time></td><td>([^<]*)</td><td>([^<]*)</td>`)
	page := c.get("/admin/audit")
	var got []string
	for _, m := range cells.FindAllStringSubmatch(page.body, -1) {
		got = append(got, m[1]+": "+m[2])
	}
	// Newest first: the invitation, the library, and the sign-in.
	want := []string{"admin@example.org: Libraries invited", "admin@example.org: Library added", "admin@example.org: Signed in"}
	if page.status != 200 || strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("the audit page (%d) shows %q, want %q", page.status, got, want)
	}
	for _, code := range []string{"invitation.create", "library.create", "user.login"} {
		if strings.Contains(page.body, "<td>"+code+"</td>") {
			t.Errorf("the audit page shows the code %s", code)
		}
	}
	if !strings.Contains(page.body, `<option value="invitation.create">Libraries invited</option>`) {
		t.Errorf("the action filter does not offer Libraries invited")
	}
	filtered := c.get("/admin/audit?action=library.create")
	if n := len(cells.FindAllString(filtered.body, -1)); n != 1 || !strings.Contains(filtered.body, `<option value="library.create" selected>Library added</option>`) {
		t.Errorf("filtering Library added shows %d entries, or the choice is not kept", n)
	}

	rec := a.do(request{method: http.MethodGet, path: "/api/v1/audit?action=invitation.create", token: a.token(survey.RoleAdmin)})
	var api struct{ Entries []struct{ Action string } }
	if err := json.Unmarshal(rec.Body.Bytes(), &api); err != nil || len(api.Entries) != 1 || api.Entries[0].Action != "invitation.create" {
		t.Errorf("the API's audit: %d %s", rec.Code, rec.Body)
	}
}
