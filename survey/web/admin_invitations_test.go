package web_test

import (
	"encoding/csv"
	"encoding/json"
	"html"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/metlib/canvass/demo"
	canvassmail "github.com/metlib/canvass/mail"
	"github.com/metlib/canvass/mail/mailtest"
	"github.com/metlib/canvass/survey"
)

// The campaign journeys of issue 14, items 2, 3, 4 and 6, through the real
// router: inviting a withdrawn library again, new links and reminder files
// (read back with encoding/csv and openpyxl, every link followed), inviting
// one library or a selection from the pages, and consent; and by email
// through the in-process SMTP server.

// createLibrary adds a library through the API and returns its id.
func (a *app) createLibrary(t *testing.T, admin, body string) string {
	t.Helper()
	rec := a.do(request{method: http.MethodPost, path: "/api/v1/libraries", token: admin, body: body, contentType: "application/json"})
	if rec.Code != 201 {
		t.Fatalf("create library: %d %s", rec.Code, rec.Body)
	}
	return decode[libraryBody](t, rec).ID
}

// csvRows reads a mail-merge CSV with encoding/csv, header first.
func csvRows(t *testing.T, body string) [][]string {
	t.Helper()
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(body, "\uFEFF"))).ReadAll()
	if err != nil {
		t.Fatalf("read csv: %v\n%s", err, body)
	}
	return rows
}

// xlsxRows reads a workbook's first sheet with openpyxl, header first.
func xlsxRows(t *testing.T, python string, body []byte) [][]string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "file.xlsx")
	if err := os.WriteFile(path, body, 0o600); err != nil {
		t.Fatal(err)
	}
	const script = `
import sys, json, openpyxl
ws = openpyxl.load_workbook(sys.argv[1]).worksheets[0]
print(json.dumps([["" if v is None else str(v) for v in r] for r in ws.iter_rows(values_only=True)]))
`
	out, err := exec.Command(python, "-c", script, path).Output()
	if err != nil {
		t.Fatalf("openpyxl: %v", err)
	}
	var rows [][]string
	if err := json.Unmarshal(out, &rows); err != nil {
		t.Fatalf("openpyxl output %q: %v", out, err)
	}
	return rows
}

// mergeRow is one row of a mail-merge file, by the header's names.
type mergeRow map[string]string

func byHeader(t *testing.T, rows [][]string) []mergeRow {
	t.Helper()
	want := []string{"library", "contact", "email", "language", "link", "subject", "body"}
	if len(rows) == 0 || strings.Join(rows[0], ",") != strings.Join(want, ",") {
		t.Fatalf("header %q, want %q", rows, want)
	}
	var out []mergeRow
	for _, r := range rows[1:] {
		m := mergeRow{}
		for i, h := range rows[0] {
			m[h] = r[i]
		}
		out = append(out, m)
	}
	return out
}

// path is a link's path and query, to follow through the router.
func path(t *testing.T, link string) string {
	t.Helper()
	u, err := url.Parse(link)
	if err != nil || u.Query().Get("t") == "" {
		t.Fatalf("not a personal link: %q", link)
	}
	return u.RequestURI()
}

// deadLink checks a link is refused as an unknown one is: 404, with the
// page saying the link does not work (in the link's language), no form.
func (a *app) deadLink(t *testing.T, what, link string) {
	t.Helper()
	rec := a.do(request{path: link})
	body := rec.Body.String()
	said := strings.Contains(body, "This link does not work") || strings.Contains(body, "Ce lien ne fonctionne pas") || strings.Contains(body, "Este enlace no funciona")
	if rec.Code != 404 || !said || strings.Contains(body, `name="t"`) {
		t.Errorf("%s: %d, want 404 saying the link does not work", what, rec.Code)
	}
}

// TestInviteWithdrawnAgain (item 2): a library that saved a draft is
// withdrawn, then invited again from the invitations page. The old link
// stays dead; the new one (from the next mail-merge file, read back with
// openpyxl) opens the same draft, and submitting makes the library's one
// response; the library is back in the tracking and its denominator.
func TestInviteWithdrawnAgain(t *testing.T) {
	python := openpyxl(t)
	a := newApp(t)
	c := newClient(t, a.serve(t))
	a.signIn(t, c, survey.RoleAdmin)
	admin := a.token(survey.RoleAdmin)
	link1 := a.invite(t, admin, "every-type", "Stadtbibliothek Köln", "info@stbib-koeln.de")
	fs, body := a.openForm(link1)
	token1 := match(t, tokenField, body)
	if rec := a.postForm("/s/every-type?lang=fr", fs, url.Values{"t": {token1}, "action": {"save"}, "pick": {"b"}}); rec.Code != 200 {
		t.Fatalf("save a draft: %d", rec.Code)
	}
	invs, _ := a.store.ListInvitations(t.Context(), "every-type")
	id, libraryID := invs[0].ID, invs[0].LibraryID

	c.get("/admin/surveys/every-type/invitations")
	if p := c.post("/admin/surveys/every-type/invitations/"+id+"/revoke", nil); p.status != http.StatusSeeOther {
		t.Fatalf("withdraw: %d", p.status)
	}
	a.deadLink(t, "the link after withdrawing", link1)
	if tr := decode[trackingBody](t, a.do(request{path: "/api/v1/surveys/every-type/tracking", token: admin})); tr.Overall.Invited != 0 {
		t.Errorf("a withdrawn invitation is tracked: %+v", tr.Overall)
	}
	page := c.get("/admin/surveys/every-type/invitations")
	if !strings.Contains(page.body, ">Invite again</button>") || !strings.Contains(page.body, "withdrawn: ticking invites it again") {
		t.Errorf("the page offers no way to invite again:\n%s", page.body)
	}
	p := c.post("/admin/surveys/every-type/invitations", url.Values{"action": {"selected"}, "library_id": {libraryID}})
	if done, _ := c.flashAfter(p); !strings.Contains(done, "1 library invited again after a withdrawal") {
		t.Errorf("invite again: shown %q", done)
	}
	tr := decode[trackingBody](t, a.do(request{path: "/api/v1/surveys/every-type/tracking", token: admin}))
	if tr.Overall.Invited != 1 || tr.Overall.Started != 1 || tr.Overall.Submitted != 0 {
		t.Errorf("tracking after inviting again: %+v", tr.Overall)
	}
	a.deadLink(t, "the old link after inviting again", link1)

	// The next invitations file carries its new link.
	c.get("/admin/surveys/every-type/invitations")
	mm := c.post("/admin/surveys/every-type/invitations/mailmerge", url.Values{"format": {"xlsx"}})
	rows := byHeader(t, xlsxRows(t, python, []byte(mm.body)))
	if len(rows) != 1 || rows[0]["email"] != "info@stbib-koeln.de" || rows[0]["link"] == "" {
		t.Fatalf("invitations file after inviting again: %q", rows)
	}
	link2 := path(t, rows[0]["link"])
	if link2 == link1 {
		t.Fatal("the same link again")
	}
	a.deadLink(t, "the old link after the new file", link1)
	fs, body = a.openForm(link2)
	if !strings.Contains(body, "Bon retour") || !regexp.MustCompile(`name="pick" value="b"[^>]*checked`).MatchString(body) {
		t.Errorf("the new link does not open the library's draft:\n%s", body)
	}
	values := validForm()
	values.Set("t", match(t, tokenField, body))
	values.Set("action", "submit")
	if rec := a.postForm("/s/every-type?lang=fr", fs, values); rec.Code != http.StatusSeeOther {
		t.Fatalf("submit by the new link: %d %s", rec.Code, rec.Body)
	}
	responses, _, _ := a.store.ListResponses(t.Context(), survey.ResponseFilter{SurveySlug: "every-type"})
	if len(responses) != 1 || responses[0].LibraryID != libraryID || responses[0].InvitationID != id || responses[0].Status != survey.ResponseSubmitted {
		t.Fatalf("responses %+v, want the library's one", responses)
	}
	tr = decode[trackingBody](t, a.do(request{path: "/api/v1/surveys/every-type/tracking", token: admin}))
	if tr.Overall.Invited != 1 || tr.Overall.Submitted != 1 || tr.Overall.ResponseRate != 1 {
		t.Errorf("tracking after submitting: %+v", tr.Overall)
	}

	// Withdrawn after answering and invited again, the library has no live
	// link: the invitations file (here the API's) must issue it one, though
	// its response keeps it submitted.
	c.get("/admin/surveys/every-type/invitations")
	if p := c.post("/admin/surveys/every-type/invitations/"+id+"/revoke", nil); p.status != http.StatusSeeOther {
		t.Fatalf("withdraw after submitting: %d", p.status)
	}
	c.get("/admin/surveys/every-type/invitations")
	c.post("/admin/surveys/every-type/invitations", url.Values{"action": {"selected"}, "library_id": {libraryID}})
	if inv, _ := a.store.FindInvitation(t.Context(), id); inv.Status != survey.InvitationSubmitted || inv.SentAt != nil || len(inv.TokenHashes) != 0 {
		t.Fatalf("invited again after submitting: %+v", inv)
	}
	mm3 := a.do(request{method: http.MethodPost, path: "/api/v1/surveys/every-type/invitations/mailmerge.csv", token: admin})
	if mm3.Code != 200 {
		t.Fatalf("invitations file for the library invited again after submitting: %d %s", mm3.Code, mm3.Body)
	}
	rows = byHeader(t, csvRows(t, mm3.Body.String()))
	if len(rows) != 1 || rows[0]["email"] != "info@stbib-koeln.de" || rows[0]["link"] == "" {
		t.Fatalf("invitations file after inviting a submitted library again: %q", rows)
	}
	a.deadLink(t, "the link used to submit, after inviting again", link2)
	// The new link is recognised (it opens the library's answered survey),
	// where the old one is refused.
	if rec := a.do(request{path: path(t, rows[0]["link"])}); rec.Code != 200 || strings.Contains(rec.Body.String(), "ne fonctionne pas") || strings.Contains(rec.Body.String(), "does not work") {
		t.Errorf("the link issued after inviting again: %d\n%s", rec.Code, rec.Body)
	}
	if inv, _ := a.store.FindInvitation(t.Context(), id); inv.SentAt == nil || len(inv.TokenHashes) != 1 {
		t.Errorf("after the file: %+v, want sent with one live link", inv)
	}
}

// TestRefusedTemplateKeepsTyped: an email text the page refuses comes back
// (422) with the subject and body as typed and the reason, naming the
// unknown merge field or the unclosed brace and where it is; nothing is
// saved.
func TestRefusedTemplateKeepsTyped(t *testing.T) {
	a := newApp(t)
	c := newClient(t, a.serve(t))
	a.signIn(t, c, survey.RoleAdmin)
	for _, tc := range []struct{ lang, subject, body, problem string }{
		{"es", "Asunto MUY ESPECIAL", "Hola {nombre} {link}", "The invitation text (Spanish) was not saved: The body uses {nombre}, which is not a merge field"},
		{"fr", "Enquête", "Bonjour {name, voici {link}", "The invitation text (French) was not saved: The body has a { that is not closed, at character 9: “{name, voici {li…”."},
	} {
		c.get("/admin/surveys/landscape/invitations")
		p := c.post("/admin/surveys/landscape/invitations/templates", url.Values{"kind": {"invitation"}, "language": {tc.lang}, "subject": {tc.subject}, "body": {tc.body}})
		if p.status != http.StatusUnprocessableEntity {
			t.Fatalf("%s: %d, want 422", tc.lang, p.status)
		}
		if _, problem := flashShown(p.body); !strings.HasPrefix(problem, tc.problem) {
			t.Errorf("%s: problem shown %q, want %q…", tc.lang, problem, tc.problem)
		}
		subject := regexp.MustCompile(`id="subject-invitation-` + tc.lang + `" name="subject" value="([^"]*)"`).FindStringSubmatch(p.body)
		body := regexp.MustCompile(`(?s)id="body-invitation-` + tc.lang + `" name="body"[^>]*>(.*?)</textarea>`).FindStringSubmatch(p.body)
		if subject == nil || html.UnescapeString(subject[1]) != tc.subject {
			t.Errorf("%s: subject field %q, want %q", tc.lang, subject, tc.subject)
		}
		if body == nil || html.UnescapeString(body[1]) != tc.body {
			t.Errorf("%s: body field %q, want %q", tc.lang, body, tc.body)
		}
		saved, err := a.store.MailTemplates(t.Context(), "landscape")
		if err != nil || len(saved) != 0 {
			t.Errorf("%s: a refused text was saved: %v %+v", tc.lang, err, saved)
		}
	}
}

// TestNewLinksAndReminderFiles (item 3): a second invitations file is
// never a bare header; the reminder file and new links carry the
// survey's edited texts per language, rendered for each contact, with
// links that open the form for that library; new links kill the old.
func TestNewLinksAndReminderFiles(t *testing.T) {
	python := openpyxl(t)
	a := newApp(t)
	c := newClient(t, a.serve(t))
	a.signIn(t, c, survey.RoleAdmin)
	admin := a.token(survey.RoleAdmin)
	type lib struct{ name, contact, email, lang string }
	libs := []lib{
		{"Bibliothèque municipale de Lyon", "Claire Martin", "claire@bm-lyon.fr", "fr"},
		{"Biblioteca Pública de Bogotá", "Ana Ruiz", "ana@biblored.co", "es"},
		{"Toronto Public Library", "Vickery Bowles", "ceo@tpl.ca", "en"},
	}
	for _, l := range libs {
		a.createLibrary(t, admin, `{"name": "`+l.name+`", "country": "FR", "contacts": [{"name": "`+l.contact+`", "email": "`+l.email+`", "language": "`+l.lang+`", "consent": true}]}`)
	}
	// The texts set in Canvass: the French invitation and the Spanish reminder.
	for _, tc := range []struct{ kind, lang, body string }{
		{"invitation", "fr", `{"subject": "{survey} – {library}", "body": "Bonjour {name},\nVotre lien : {link}\n"}`},
		{"reminder", "es", `{"subject": "Recordatorio para {library}", "body": "Hola {name}: {link}"}`},
	} {
		if rec := a.do(request{method: http.MethodPut, path: "/api/v1/surveys/landscape/mail-templates/" + tc.kind + "/" + tc.lang, token: admin, contentType: "application/json", body: tc.body}); rec.Code != 200 {
			t.Fatalf("template %s/%s: %d %s", tc.kind, tc.lang, rec.Code, rec.Body)
		}
	}
	sv, err := a.store.FindSurvey(t.Context(), "landscape")
	if err != nil {
		t.Fatal(err)
	}
	// What each contact's row must say, written here from the texts above
	// and the built-in ones (survey.DefaultMailTemplate).
	want := func(kind survey.MailKind, l lib, link string) (subject, body string) {
		switch {
		case kind == survey.MailInvitation && l.lang == "fr":
			return sv.Title["fr"] + " – " + l.name, "Bonjour " + l.contact + ",\nVotre lien : " + link + "\n"
		case kind == survey.MailReminder && l.lang == "es":
			return "Recordatorio para " + l.name, "Hola " + l.contact + ": " + link
		}
		tmpl := survey.DefaultMailTemplate(kind, l.lang)
		s, b, err := tmpl.Render(survey.MailData{Name: l.contact, Library: l.name, Survey: sv.Title[l.lang], Link: link})
		if err != nil {
			t.Fatal(err)
		}
		return s, b
	}
	byEmail := map[string]lib{}
	for _, l := range libs {
		byEmail[l.email] = l
	}
	// checkRows checks each row's texts and follows its link: the form
	// opens for that library (its name prefilled).
	checkRows := func(what string, kind survey.MailKind, rows []mergeRow, emails ...string) map[string]string {
		t.Helper()
		links := map[string]string{}
		if len(rows) != len(emails) {
			t.Fatalf("%s: %d rows, want %d: %q", what, len(rows), len(emails), rows)
		}
		wanted := map[string]bool{}
		for _, e := range emails {
			wanted[e] = true
		}
		for i, r := range rows {
			l, ok := byEmail[r["email"]]
			if !ok || !wanted[r["email"]] || links[r["email"]] != "" || r["library"] != l.name || r["contact"] != l.contact || r["language"] != l.lang {
				t.Errorf("%s row %d: %q, want one row for each of %q", what, i, r, emails)
				continue
			}
			subject, body := want(kind, l, r["link"])
			if r["subject"] != subject || r["body"] != body {
				t.Errorf("%s, %s: subject %q body %q; want %q %q", what, l.email, r["subject"], r["body"], subject, body)
			}
			link := path(t, r["link"])
			rec := a.do(request{path: link})
			if rec.Code != 200 || !strings.Contains(rec.Body.String(), `value="`+strings.ReplaceAll(l.name, "'", "&#39;")+`"`) || !strings.Contains(rec.Body.String(), `lang="`+l.lang+`"`) {
				t.Errorf("%s: %s's link %s: %d, not its form", what, l.email, link, rec.Code)
			}
			links[l.email] = link
		}
		return links
	}

	if rec := a.do(request{method: http.MethodPost, path: "/api/v1/surveys/landscape/invitations/mailmerge.csv", token: admin}); rec.Code != 409 || !strings.Contains(rec.Body.String(), "invite libraries first") {
		t.Errorf("a file before inviting: %d %s", rec.Code, rec.Body)
	}
	if rec := a.do(request{method: http.MethodPost, path: "/api/v1/surveys/landscape/invitations", token: admin, body: `{"all": true}`, contentType: "application/json"}); rec.Code != 201 {
		t.Fatalf("invite: %d %s", rec.Code, rec.Body)
	}
	first := a.do(request{method: http.MethodPost, path: "/api/v1/surveys/landscape/invitations/mailmerge.csv", token: admin})
	links1 := checkRows("invitations file", survey.MailInvitation, byHeader(t, csvRows(t, first.Body.String())), "claire@bm-lyon.fr", "ana@biblored.co", "ceo@tpl.ca")

	// A second file is refused saying what to do, on the API and the page.
	again := a.do(request{method: http.MethodPost, path: "/api/v1/surveys/landscape/invitations/mailmerge.csv", token: admin})
	if e := decode[errorResponse](t, again); again.Code != 409 || !strings.Contains(e.Error.Message, "reminder file for the 3 libraries") || !strings.Contains(e.Error.Message, "new links") {
		t.Errorf("second file: %d %+v", again.Code, e)
	}
	c.get("/admin/surveys/landscape/invitations")
	if _, problem := c.flashAfter(c.post("/admin/surveys/landscape/invitations/mailmerge", url.Values{"format": {"csv"}})); !strings.Contains(problem, "Links are stored only as hashes") || !strings.Contains(problem, "new links") {
		t.Errorf("second file on the page: problem %q", problem)
	}

	// Toronto answers; the reminder file (xlsx) has the other two.
	sub := a.do(request{method: http.MethodPost, path: "/api/v1/surveys/landscape/responses", contentType: "application/json",
		body: `{"invitation_token": "` + tokenOf(t, links1["ceo@tpl.ca"]) + `", "language": "en", "answers": ` + landscapeAnswers(t, a, "Toronto Public Library") + `}`})
	if sub.Code != 201 {
		t.Fatalf("Toronto submits: %d %s", sub.Code, sub.Body)
	}
	rem := a.do(request{method: http.MethodPost, path: "/api/v1/surveys/landscape/invitations/reminders.xlsx", token: admin})
	if rem.Code != 200 || !strings.Contains(rem.Header().Get("Content-Disposition"), "landscape-reminders.xlsx") {
		t.Fatalf("reminder file: %d %v", rem.Code, rem.Header())
	}
	reminded := checkRows("reminder file", survey.MailReminder, byHeader(t, xlsxRows(t, python, rem.Body.Bytes())), "claire@bm-lyon.fr", "ana@biblored.co")
	// A reminder adds a link: the first ones keep working.
	if rec := a.do(request{path: links1["claire@bm-lyon.fr"]}); rec.Code != 200 {
		t.Errorf("Lyon's first link after the reminder: %d", rec.Code)
	}

	// New links for Lyon, ticked on the page (CSRF checked): its old links die.
	invs, _ := a.store.ListInvitations(t.Context(), "landscape")
	ids := map[string]string{}
	for _, inv := range invs {
		ids[inv.Email] = inv.ID
	}
	page := c.get("/admin/surveys/landscape/invitations")
	if !strings.Contains(page.body, `name="invitation_id" value="`+ids["claire@bm-lyon.fr"]+`" form="new-links"`) {
		t.Fatalf("no checkbox for Lyon's new link:\n%s", page.body)
	}
	if p := c.post("/admin/surveys/landscape/invitations/new-links", url.Values{"csrf_token": {"forged"}, "invitation_id": {ids["claire@bm-lyon.fr"]}}); p.status != 403 {
		t.Errorf("new links without the CSRF token: %d", p.status)
	}
	if _, problem := c.flashAfter(c.post("/admin/surveys/landscape/invitations/new-links", url.Values{"scope": {"ticked"}})); !strings.Contains(problem, "Tick the invitations") {
		t.Errorf("new links with none ticked: %q", problem)
	}
	c.get("/admin/surveys/landscape/invitations")
	nl := c.post("/admin/surveys/landscape/invitations/new-links", url.Values{"scope": {"ticked"}, "format": {"csv"}, "invitation_id": {ids["claire@bm-lyon.fr"]}})
	if nl.status != 200 || !strings.Contains(nl.header.Get("Content-Disposition"), "landscape-new-links.csv") {
		t.Fatalf("new links: %d %v", nl.status, nl.header)
	}
	fresh := checkRows("new links", survey.MailInvitation, byHeader(t, csvRows(t, nl.body)), "claire@bm-lyon.fr")
	a.deadLink(t, "Lyon's first link after new links", links1["claire@bm-lyon.fr"])
	a.deadLink(t, "Lyon's reminder link after new links", reminded["claire@bm-lyon.fr"])
	if rec := a.do(request{path: reminded["ana@biblored.co"]}); rec.Code != 200 {
		t.Errorf("Bogotá's link, not renewed: %d", rec.Code)
	}

	// New links for every invitation not answered, by the API (no body).
	all := a.do(request{method: http.MethodPost, path: "/api/v1/surveys/landscape/invitations/new-links.csv", token: admin})
	renewed := checkRows("new links for all unanswered", survey.MailInvitation, byHeader(t, csvRows(t, all.Body.String())), "claire@bm-lyon.fr", "ana@biblored.co")
	a.deadLink(t, "Lyon's previous new link", fresh["claire@bm-lyon.fr"])
	a.deadLink(t, "Bogotá's reminder link", reminded["ana@biblored.co"])
	if renewed["ana@biblored.co"] == "" || a.do(request{path: links1["ceo@tpl.ca"]}).Code != 200 {
		t.Error("Toronto, who answered, lost its link")
	}
	// Chosen by id; a withdrawn one is refused, naming what to do.
	one := a.do(request{method: http.MethodPost, path: "/api/v1/surveys/landscape/invitations/new-links.xlsx", token: admin, contentType: "application/json", body: `{"invitation_ids": ["` + ids["ceo@tpl.ca"] + `"]}`})
	checkRows("new link for Toronto", survey.MailInvitation, byHeader(t, xlsxRows(t, python, one.Body.Bytes())), "ceo@tpl.ca")
	a.do(request{method: http.MethodPost, path: "/api/v1/surveys/landscape/invitations/" + ids["ana@biblored.co"] + "/revoke", token: admin})
	bad := a.do(request{method: http.MethodPost, path: "/api/v1/surveys/landscape/invitations/new-links.csv", token: admin, contentType: "application/json", body: `{"invitation_ids": ["` + ids["ana@biblored.co"] + `"]}`})
	if e := decode[errorResponse](t, bad); bad.Code != 422 || !strings.Contains(e.Error.Message, "invite the library again") {
		t.Errorf("new link for a withdrawn invitation: %d %+v", bad.Code, e)
	}
	if rec := a.do(request{method: http.MethodPost, path: "/api/v1/surveys/landscape/invitations/new-links.csv", token: admin, contentType: "application/json", body: `{"invitation_ids": ["nope"]}`}); rec.Code != 404 {
		t.Errorf("new link for an unknown invitation: %d", rec.Code)
	}
	audit := a.auditDetails(t, "invitation.new_links")
	if len(audit) != 3 || audit[0] != "xlsx: 1 new links, the earlier ones no longer work" || audit[2] != "csv: 1 new links, the earlier ones no longer work" {
		t.Errorf("audit of new links: %q", audit)
	}
}

// landscapeAnswers is a complete, valid set of landscape answers as JSON,
// for the library named.
func landscapeAnswers(t *testing.T, a *app, library string) string {
	t.Helper()
	sv, err := a.store.FindSurvey(t.Context(), "landscape")
	if err != nil {
		t.Fatal(err)
	}
	answers := demo.Responses(sv, 1, 7, time.Now())[0].Answers
	answers["library_name"] = library
	data, err := survey.MarshalAnswers(answers)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// auditDetails lists the details of the audit entries of action, newest first.
func (a *app) auditDetails(t *testing.T, action string) []string {
	t.Helper()
	entries, _, err := a.store.ListAudit(t.Context(), survey.AuditFilter{Action: action})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		out = append(out, e.Details)
	}
	return out
}

// TestInviteFromPagesAndConsent (items 4 and 6): one library from its
// page, a selection from the invitations page's picker; contacts without
// recorded consent are left out and listed with the reason unless a
// documented legal basis is given, which is audited; the API's
// legal_basis field does the same.
func TestInviteFromPagesAndConsent(t *testing.T) {
	a := newApp(t)
	c := newClient(t, a.serve(t))
	a.signIn(t, c, survey.RoleAdmin)
	admin := a.token(survey.RoleAdmin)
	helsinki := a.createLibrary(t, admin, `{"name": "Helsinki City Library", "country": "FI", "contacts": [{"name": "Anna", "email": "anna@hel.fi", "consent": true}]}`)
	koeln := a.createLibrary(t, admin, `{"name": "Stadtbibliothek Köln", "country": "DE", "contacts": [{"name": "Hannelore Vogt", "email": "info@stbib-koeln.de"}]}`)
	perth := a.createLibrary(t, admin, `{"name": "City of Perth Library", "country": "AU"}`)
	oslo := a.createLibrary(t, admin, `{"name": "Deichman", "country": "NO", "contacts": [{"email": "kari@deichman.no", "consent": true}]}`)
	madrid := a.createLibrary(t, admin, `{"name": "Bibliotecas de Madrid", "country": "ES", "contacts": [{"email": "info@madrid.es"}]}`)
	invited := func(slug string) map[string]string {
		t.Helper()
		invs, _ := a.store.ListInvitations(t.Context(), slug)
		out := map[string]string{}
		for _, inv := range invs {
			out[inv.LibraryID] = inv.Email
		}
		return out
	}

	// From the library's page: one library, one survey.
	page := c.get("/admin/libraries/" + helsinki)
	if !strings.Contains(page.body, "Invite Helsinki City Library to") || !strings.Contains(page.body, `<option value="every-type">`) || !strings.Contains(page.body, "Not invited to any survey yet.") {
		t.Fatalf("library page:\n%s", page.body)
	}
	p := c.post("/admin/libraries/"+helsinki+"/invite", url.Values{"survey": {"every-type"}})
	if p.location != "/admin/libraries/"+helsinki+"#invitations" {
		t.Errorf("back to %q", p.location)
	}
	if done, _ := c.flashAfter(p); !strings.HasPrefix(done, "Invited.") {
		t.Errorf("invite from the library page: %q", done)
	}
	if got := invited("every-type"); len(got) != 1 || got[helsinki] != "anna@hel.fi" {
		t.Errorf("invitations %v", got)
	}
	page = c.get("/admin/libraries/" + helsinki)
	if !strings.Contains(page.body, `<a href="/admin/surveys/every-type/invitations">Every question type</a></td><td>anna@hel.fi</td><td>Not sent</td>`) || strings.Contains(page.body, `<option value="every-type">`) {
		t.Errorf("library page after inviting:\n%s", page.body)
	}

	// Köln's contact has not recorded consent: refused with the reason,
	// then an incomplete basis, then invited on a documented one.
	page = c.get("/admin/libraries/" + koeln)
	if !strings.Contains(page.body, "No contact of this library with an email has recorded consent") {
		t.Errorf("the library page does not warn about consent")
	}
	if _, problem := c.flashAfter(c.post("/admin/libraries/"+koeln+"/invite", url.Values{"survey": {"every-type"}})); problem != "Not invited: no recorded consent to be contacted. Record the contact's consent above, or invite on a documented legal basis." {
		t.Errorf("no consent: %q", problem)
	}
	c.get("/admin/libraries/" + koeln)
	if _, problem := c.flashAfter(c.post("/admin/libraries/"+koeln+"/invite", url.Values{"survey": {"every-type"}, "consent": {"basis"}, "basis_kind": {"legitimate_interest"}})); problem != "Contacts without recorded consent are invited only on a documented legal basis. Say where the legal basis is documented, in the note (up to 1,000 characters)." {
		t.Errorf("basis without a note: %q", problem)
	}
	c.get("/admin/libraries/" + koeln)
	p = c.post("/admin/libraries/"+koeln+"/invite", url.Values{"survey": {"every-type"}, "consent": {"basis"}, "basis_kind": {"legitimate_interest"}, "basis_note": {"LIA 2026-11-02, committee minutes item 4"}})
	if done, _ := c.flashAfter(p); !strings.Contains(done, "on the legal basis given") {
		t.Errorf("invite on a basis: %q", done)
	}
	if got := invited("every-type"); got[koeln] != "info@stbib-koeln.de" {
		t.Errorf("Köln not invited: %v", got)
	}
	if got := a.auditDetails(t, "invitation.legal_basis"); len(got) != 1 || got[0] != "legitimate_interest (LIA 2026-11-02, committee minutes item 4): 1 contact without recorded consent invited: Stadtbibliothek Köln" {
		t.Errorf("audit of the basis: %q", got)
	}

	// The picker lists those not invited, with what stands in the way.
	page = c.get("/admin/surveys/every-type/invitations")
	for _, want := range []string{
		`value="` + perth + `" id="pick-` + perth + `"><label for="pick-` + perth + `">City of Perth Library <span class="note">— AU</span> <span class="tag tag-warn">no contact email</span>`,
		`value="` + madrid + `" id="pick-` + madrid + `"><label for="pick-` + madrid + `">Bibliotecas de Madrid <span class="note">— ES</span> <span class="tag tag-warn">no recorded consent</span>`,
		`value="` + oslo + `" id="pick-` + oslo + `"><label for="pick-` + oslo + `">Deichman <span class="note">— NO</span></label>`,
	} {
		if !strings.Contains(page.body, want) {
			t.Errorf("picker lacks %s", want)
		}
	}
	if strings.Contains(page.body, `id="pick-`+helsinki+`"`) {
		t.Error("the picker offers a library already invited")
	}
	p = c.post("/admin/surveys/every-type/invitations", url.Values{"action": {"selected"}, "library_id": {oslo, perth, madrid}})
	done, _ := flashShown(p.body)
	if p.status != 200 || done != "1 library invited. 2 libraries left out (listed below with the reason)." ||
		!strings.Contains(p.body, `<a href="/admin/libraries/`+perth+`">City of Perth Library</a>: no contact email`) ||
		!strings.Contains(p.body, `<a href="/admin/libraries/`+madrid+`">Bibliotecas de Madrid</a>: no recorded consent to be contacted`) {
		t.Errorf("invite a selection: %d %q\n%s", p.status, done, p.body)
	}
	if got := invited("every-type"); len(got) != 3 || got[oslo] != "kari@deichman.no" || got[madrid] != "" {
		t.Errorf("after the selection: %v", got)
	}
	if _, problem := c.flashAfter(c.post("/admin/surveys/every-type/invitations", url.Values{"action": {"selected"}})); problem != "Tick the libraries to invite." {
		t.Errorf("nothing ticked: %q", problem)
	}

	// The API: legal_basis is checked, then used and reported.
	rec := a.do(request{method: http.MethodPost, path: "/api/v1/surveys/landscape/invitations", token: admin, contentType: "application/json",
		body: `{"library_ids": ["` + madrid + `", "` + oslo + `"], "legal_basis": {"kind": "because", "note": ""}}`})
	if e := decode[errorResponse](t, rec); rec.Code != 422 || len(e.Error.Fields) != 2 || e.Error.Fields[0].Path != "legal_basis.kind" || e.Error.Fields[1].Path != "legal_basis.note" {
		t.Errorf("bad basis: %d %+v", rec.Code, e)
	}
	rec = a.do(request{method: http.MethodPost, path: "/api/v1/surveys/landscape/invitations", token: admin, contentType: "application/json",
		body: `{"library_ids": ["` + madrid + `", "` + oslo + `"]}`})
	if got := decode[struct {
		Created int
		Skipped []struct{ LibraryID, Reason string }
	}](t, rec); got.Created != 1 || len(got.Skipped) != 1 || got.Skipped[0].Reason != "no recorded consent to be contacted" {
		t.Errorf("API without a basis: %+v", got)
	}
	rec = a.do(request{method: http.MethodPost, path: "/api/v1/surveys/landscape/invitations", token: admin, contentType: "application/json",
		body: `{"library_ids": ["` + madrid + `"], "legal_basis": {"kind": "public_task", "note": "Municipal statistics mandate, decree 12/2026"}}`})
	if got := decode[struct {
		Created      int
		OnLegalBasis int `json:"on_legal_basis"`
	}](t, rec); rec.Code != 201 || got.Created != 1 || got.OnLegalBasis != 1 {
		t.Errorf("API on a basis: %d %s", rec.Code, rec.Body)
	}
	if got := a.auditDetails(t, "invitation.legal_basis"); len(got) != 2 || got[0] != "public_task (Municipal statistics mandate, decree 12/2026): 1 contact without recorded consent invited: Bibliotecas de Madrid" {
		t.Errorf("audit after the API: %q", got)
	}
}

// TestInvitedAgainByEmail (items 2 and 6 with SMTP, through the real
// in-process server): the contact without consent gets no email; a
// withdrawn library invited again is emailed a new link that opens its
// form, while the link of the first email stays dead; reminders then go
// to it with the link that works.
func TestInvitedAgainByEmail(t *testing.T) {
	server := mailtest.Start(t)
	cfg, err := canvassmail.ParseURL("smtp://" + server.Addr + "?from=survey@section.example")
	if err != nil {
		t.Fatal(err)
	}
	a := newApp(t, withMailer(canvassmail.NewSender(cfg)))
	admin := a.token(survey.RoleAdmin)
	lyon := a.createLibrary(t, admin, `{"name": "Bibliothèque municipale de Lyon", "country": "FR", "contacts": [{"name": "Claire Martin", "email": "claire@bm-lyon.fr", "language": "fr", "consent": true}]}`)
	a.createLibrary(t, admin, `{"name": "Stadtbibliothek Köln", "country": "DE", "contacts": [{"name": "Hannelore Vogt", "email": "info@stbib-koeln.de"}]}`)
	if rec := a.do(request{method: http.MethodPost, path: "/api/v1/surveys/every-type/invitations", token: admin, body: `{"all": true}`, contentType: "application/json"}); rec.Code != 201 || !strings.Contains(rec.Body.String(), `"reason":"no recorded consent to be contacted"`) {
		t.Fatalf("invite: %d %s", rec.Code, rec.Body)
	}
	send := func(kind string) int {
		t.Helper()
		rec := a.do(request{method: http.MethodPost, path: "/api/v1/surveys/every-type/invitations/send", token: a.token(survey.RoleAdmin), body: `{"kind": "` + kind + `"}`, contentType: "application/json"})
		if rec.Code != 200 {
			t.Fatalf("send %s: %d %s", kind, rec.Code, rec.Body)
		}
		return decode[struct{ Sent int }](t, rec).Sent
	}
	linkIn := func(m mailtest.Received) string {
		t.Helper()
		return path(t, regexp.MustCompile(`https?://\S+`).FindString(m.Body))
	}
	if n := send("invitation"); n != 1 {
		t.Fatalf("sent %d, want 1", n)
	}
	msgs := server.Messages()
	if len(msgs) != 1 || msgs[0].To != "claire@bm-lyon.fr" {
		t.Fatalf("delivered %+v, want only Lyon (Köln has not consented)", msgs)
	}
	first := linkIn(msgs[0])
	invs, _ := a.store.ListInvitations(t.Context(), "every-type")
	a.do(request{method: http.MethodPost, path: "/api/v1/surveys/every-type/invitations/" + invs[0].ID + "/revoke", token: admin})
	if n := send("reminder"); n != 0 {
		t.Errorf("a withdrawn invitation was reminded: %d", n)
	}
	rec := a.do(request{method: http.MethodPost, path: "/api/v1/surveys/every-type/invitations", token: admin, body: `{"library_ids": ["` + lyon + `"]}`, contentType: "application/json"})
	if got := decode[struct{ Created, Reinvited int }](t, rec); rec.Code != 201 || got.Created != 0 || got.Reinvited != 1 {
		t.Fatalf("invite again: %d %s", rec.Code, rec.Body)
	}
	if n := send("invitation"); n != 1 {
		t.Fatalf("invitation after inviting again: sent %d, want 1", n)
	}
	msgs = server.Messages()
	second := linkIn(msgs[len(msgs)-1])
	if msgs[len(msgs)-1].To != "claire@bm-lyon.fr" || second == first {
		t.Fatalf("second email %+v", msgs[len(msgs)-1])
	}
	a.deadLink(t, "the first email's link", first)
	if _, body := a.openForm(second); !strings.Contains(body, `name="t"`) || !strings.Contains(body, `lang="fr"`) {
		t.Errorf("the new email's link does not open the form")
	}
	if n := send("reminder"); n != 1 {
		t.Errorf("reminders after inviting again: %d, want 1", n)
	}
	msgs = server.Messages()
	if rec := a.do(request{path: linkIn(msgs[len(msgs)-1])}); rec.Code != 200 {
		t.Errorf("the reminder's link: %d", rec.Code)
	}
	a.deadLink(t, "the first email's link after the reminder", first)
}
