package web_test

import (
	"bytes"
	"html"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/metlib/canvass/survey"
)

// uploadFile posts a multipart form with one file field and other values.
func (c *client) uploadFile(path, field, filename string, data []byte, values url.Values) page {
	c.t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	_ = w.WriteField("csrf_token", c.csrf)
	for k, vs := range values {
		for _, v := range vs {
			_ = w.WriteField(k, v)
		}
	}
	fw, _ := w.CreateFormFile(field, filename)
	_, _ = fw.Write(data)
	_ = w.Close()
	req, _ := http.NewRequest(http.MethodPost, c.srv.URL+path, &buf)
	req.Header.Set("Content-Type", w.FormDataContentType())
	return c.do(req)
}

func TestDirectoryAdminPages(t *testing.T) {
	a := newApp(t)
	c := newClient(t, a.serve(t))
	a.signIn(t, c, survey.RoleAdmin)

	// A form with mistakes comes back with the messages and what was typed.
	bad := c.post("/admin/libraries", url.Values{"name": {"Stadtbibliothek Köln"}, "city": {"Köln"}, "country": {"XX"}, "population_served": {"lots"},
		"contact0_name": {"Hannelore Vogt"}, "contact0_email": {"not-an-email"}})
	if bad.status != 422 || !strings.Contains(bad.body, "ISO 3166-1") || !strings.Contains(bad.body, "whole number") || !strings.Contains(bad.body, "Not an email address") ||
		!strings.Contains(bad.body, `value="Stadtbibliothek Köln"`) || !strings.Contains(bad.body, `value="Hannelore Vogt"`) {
		t.Fatalf("invalid library form: %d\n%s", bad.status, bad.body)
	}
	ok := c.post("/admin/libraries", url.Values{"name": {"Stadtbibliothek Köln"}, "city": {"Köln"}, "country": {"de"}, "population_served": {"1,080,000"},
		"type": {"city_system"}, "member": {"on"}, "contact0_name": {"Hannelore Vogt"}, "contact0_email": {"HV@stbib-koeln.de"}, "contact0_language": {"de"}, "contact0_consent": {"on"}})
	if ok.status != http.StatusSeeOther || !strings.HasPrefix(ok.location, "/admin/libraries/") {
		t.Fatalf("create: %d %s", ok.status, ok.body)
	}
	id := strings.TrimPrefix(strings.SplitN(ok.location, "?", 2)[0], "/admin/libraries/")
	lib, err := a.store.FindLibrary(t.Context(), id)
	if err != nil || lib.Country != "DE" || lib.Region != survey.Europe || lib.PopulationServed != 1080000 || !lib.Member || lib.Contacts[0].Email != "hv@stbib-koeln.de" || lib.Contacts[0].ConsentAt == nil {
		t.Fatalf("stored %+v %v", lib, err)
	}
	list := c.get("/admin/libraries?region=europe")
	if list.status != 200 || !strings.Contains(list.body, "Stadtbibliothek Köln") {
		t.Errorf("list: %d", list.status)
	}
	if empty := c.get("/admin/libraries?region=north_america"); strings.Contains(empty.body, "Stadtbibliothek Köln") {
		t.Error("the region filter does not filter")
	}

	// Import: the dry run writes nothing and shows each row; confirming writes.
	data, _ := os.ReadFile("testdata/libraries-mixed.csv")
	c.get("/admin/libraries/import")
	dry := c.uploadFile("/admin/libraries/import", "file", "libraries-mixed.csv", data, nil)
	if dry.status != 200 || !strings.Contains(dry.body, "7 to create") || !strings.Contains(dry.body, "3 rejected") || !strings.Contains(dry.body, "Confirm the import") {
		t.Fatalf("dry run: %d\n%s", dry.status, dry.body)
	}
	if _, total, _ := a.store.ListLibraries(t.Context(), survey.LibraryFilter{}); total != 1 {
		t.Fatalf("the dry run wrote: %d libraries", total)
	}
	carried := regexp.MustCompile(`name="data" value="([^"]+)"`).FindStringSubmatch(dry.body)
	done := c.post("/admin/libraries/import", url.Values{"data": {html.UnescapeString(carried[1])}, "filename": {"libraries-mixed.csv"}, "confirm": {"yes"}})
	if done.status != 200 || !strings.Contains(done.body, "7 libraries created") {
		t.Fatalf("confirm: %d %s", done.status, done.body)
	}
	if _, total, _ := a.store.ListLibraries(t.Context(), survey.LibraryFilter{}); total != 8 {
		t.Errorf("after import: %d libraries", total)
	}

	// Merge one library into another; the merged one is gone.
	libs, _, _ := a.store.ListLibraries(t.Context(), survey.LibraryFilter{Query: "Lyon"})
	c.get("/admin/libraries/" + id)
	if p := c.post("/admin/libraries/"+id+"/merge", url.Values{"from": {libs[0].ID}}); p.status != http.StatusSeeOther {
		t.Errorf("merge: %d", p.status)
	}
	if _, err := a.store.FindLibrary(t.Context(), libs[0].ID); survey.ErrorCode(err) != survey.ENOTFOUND {
		t.Errorf("the merged library is still there: %v", err)
	}
	if p := c.post("/admin/libraries/"+id+"/delete", url.Values{"sure": {"on"}}); p.status != http.StatusSeeOther {
		t.Errorf("delete: %d", p.status)
	}
	if _, err := a.store.FindLibrary(t.Context(), id); survey.ErrorCode(err) != survey.ENOTFOUND {
		t.Errorf("deleted library still there: %v", err)
	}
}

func TestInvitationsAdminPage(t *testing.T) {
	a := newApp(t)
	c := newClient(t, a.serve(t))
	a.signIn(t, c, survey.RoleAdmin)
	admin := a.token(survey.RoleAdmin)
	for _, body := range []string{
		`{"name": "Helsinki City Library", "country": "FI", "member": true, "contacts": [{"name": "Anna", "email": "anna@hel.fi", "language": "fi"}]}`,
		`{"name": "Bibliothèque de Montréal", "country": "CA", "contacts": [{"email": "info@bibliomtl.ca", "language": "fr", "consent": true}]}`,
		`{"name": "No Email Library", "country": "CA"}`,
	} {
		if rec := a.do(request{method: http.MethodPost, path: "/api/v1/libraries", token: admin, body: body, contentType: "application/json"}); rec.Code != 201 {
			t.Fatal(rec.Body)
		}
	}
	c.get("/admin/surveys/every-type/invitations")
	// Those left out are listed on the page that answers, with the reason.
	p := c.post("/admin/surveys/every-type/invitations", url.Values{"who": {"all"}, "region": {"north_america"}})
	if done, _ := flashShown(p.body); p.status != 200 || done != "1 library invited. 1 library left out (listed below with the reason)." || !strings.Contains(p.body, "No Email Library</a>: no contact email") {
		t.Errorf("invite North America: %d, shown %q\n%s", p.status, done, p.body)
	}
	// Helsinki, a member, has not recorded consent: left out, then invited
	// on a documented legal basis.
	p = c.post("/admin/surveys/every-type/invitations", url.Values{"who": {"members"}})
	if done, _ := flashShown(p.body); done != "0 libraries invited. 1 library left out (listed below with the reason)." || !strings.Contains(p.body, "Helsinki City Library</a>: no recorded consent to be contacted") {
		t.Errorf("invite members: shown %q", done)
	}
	p = c.post("/admin/surveys/every-type/invitations", url.Values{"who": {"members"}, "consent": {"basis"}, "basis_kind": {"membership"}, "basis_note": {"Membership terms 2026, art. 3"}})
	if done, _ := c.flashAfter(p); done != "1 library invited. 1 contact without recorded consent, on the legal basis given (recorded in the audit log)." {
		t.Errorf("invite members on a basis: shown %q", done)
	}
	page := c.get("/admin/surveys/every-type/invitations")
	if !strings.Contains(page.body, "0 of 2 invited libraries have answered") || !strings.Contains(page.body, "Bibliothèque de Montréal") || !strings.Contains(page.body, "no SMTP server is configured") {
		t.Errorf("invitations page:\n%s", page.body)
	}
	// The mail-merge download is a POST with the page's CSRF token.
	mm := c.post("/admin/surveys/every-type/invitations/mailmerge", url.Values{"format": {"xlsx"}})
	f, err := excelize.OpenReader(strings.NewReader(mm.body))
	if err != nil {
		t.Fatalf("mail merge: %d %v", mm.status, err)
	}
	rows, _ := f.GetRows("Invitations")
	if len(rows) != 3 || rows[0][4] != "link" || !strings.Contains(rows[1][4]+rows[2][4], "/s/every-type?t=") {
		t.Errorf("mail-merge rows %q", rows)
	}
	if bad := c.post("/admin/surveys/every-type/invitations/mailmerge", url.Values{"csrf_token": {"forged"}}); bad.status != 403 {
		t.Errorf("mail merge without CSRF token: %d", bad.status)
	}
	// Editing a text: one without the link is refused, with the reason.
	c.get("/admin/surveys/every-type/invitations")
	refused := c.post("/admin/surveys/every-type/invitations/templates", url.Values{"kind": {"reminder"}, "language": {"fr"}, "subject": {"Rappel"}, "body": {"Bonjour"}})
	if _, problem := flashShown(refused.body); refused.status != http.StatusUnprocessableEntity || !strings.Contains(problem, "was not saved") {
		t.Errorf("template without link: %d %s, problem shown %q", refused.status, refused.location, problem)
	}
	c.post("/admin/surveys/every-type/invitations/templates", url.Values{"kind": {"reminder"}, "language": {"fr"}, "subject": {"Rappel amical"}, "body": {"Bonjour,\r\n{link}"}})
	stored, _ := a.store.MailTemplates(t.Context(), "every-type")
	if len(stored) != 1 || stored[0].Subject != "Rappel amical" || stored[0].Body != "Bonjour,\n{link}" {
		t.Errorf("stored templates %+v", stored)
	}
	invs, _ := a.store.ListInvitations(t.Context(), "every-type")
	c.get("/admin/surveys/every-type/invitations")
	if p := c.post("/admin/surveys/every-type/invitations/"+invs[0].ID+"/revoke", nil); p.status != http.StatusSeeOther {
		t.Errorf("withdraw: %d", p.status)
	}
	if inv, _ := a.store.FindInvitation(t.Context(), invs[0].ID); !inv.Revoked {
		t.Error("not withdrawn")
	}
}
