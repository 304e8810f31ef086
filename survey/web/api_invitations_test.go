package web_test

import (
	"encoding/csv"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/metlib/canvass/demo"
	canvassmail "github.com/metlib/canvass/mail"
	"github.com/metlib/canvass/mail/mailtest"
	"github.com/metlib/canvass/survey"
)

// invite adds a library with a contact and invites it to slug, returning
// the personal link the mail-merge file gives for it.
func (a *app) invite(t *testing.T, admin, slug, library, email string) string {
	t.Helper()
	body := `{"name": "` + library + `", "city": "Lyon", "country": "FR", "type": "city_system", "population_served": 520000,
	  "contacts": [{"name": "Claire Martin", "role": "Director", "email": "` + email + `", "language": "fr", "consent": true}]}`
	rec := a.do(request{method: http.MethodPost, path: "/api/v1/libraries", token: admin, body: body, contentType: "application/json"})
	if rec.Code != 201 {
		t.Fatalf("create library: %d %s", rec.Code, rec.Body)
	}
	lib := decode[libraryBody](t, rec)
	rec = a.do(request{method: http.MethodPost, path: "/api/v1/surveys/" + slug + "/invitations", token: admin, body: `{"library_ids": ["` + lib.ID + `"]}`, contentType: "application/json"})
	if got := decode[struct{ Created int }](t, rec); rec.Code != 201 || got.Created != 1 {
		t.Fatalf("invite: %d %s", rec.Code, rec.Body)
	}
	rec = a.do(request{method: http.MethodPost, path: "/api/v1/surveys/" + slug + "/invitations/mailmerge.csv", token: admin})
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(rec.Body.String(), "\uFEFF"))).ReadAll()
	if err != nil || len(rows) != 2 || rows[1][0] != library || rows[1][2] != email || rows[1][3] != "fr" {
		t.Fatalf("mail merge: %v %q", err, rows)
	}
	link, err := url.Parse(rows[1][4])
	if err != nil {
		t.Fatal(err)
	}
	return link.RequestURI()
}

var tokenField = regexp.MustCompile(`name="t" value="([^"]+)"`)

type trackingBody struct {
	Overall struct {
		Invited, Sent, Opened, Started, Submitted int
		ResponseRate                              float64 `json:"response_rate"`
	}
	NotResponding []struct{ Library, Status string } `json:"not_responding"`
}

func TestInvitationLinkSaveResumeSubmit(t *testing.T) {
	a := newApp(t)
	admin := a.token(survey.RoleAdmin)
	link := a.invite(t, admin, "every-type", "Bibliothèque municipale de Lyon", "claire@bm-lyon.fr")

	// The link opens the form in the contact's language, carrying the token.
	fs, body := a.openForm(link)
	if !strings.Contains(body, `lang="fr"`) || match(t, tokenField, body) == "" || !strings.Contains(body, `value="save"`) {
		t.Fatalf("invited form: %s", body)
	}
	// The form carries a client id, never the invited response's key: the token alone leads there.
	if strings.Contains(link, fs.submissionID) || strings.HasPrefix(fs.submissionID, "inv-") {
		t.Errorf("submission id %q", fs.submissionID)
	}
	token := match(t, tokenField, body)

	// Save a half-finished form: required answers may be missing.
	draft := url.Values{"t": {token}, "action": {"save"}, "pick": {"a"}}
	rec := a.postForm("/s/every-type?lang=fr", fs, draft)
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), "Vos réponses sont enregistrées") {
		t.Fatalf("save: %d %s", rec.Code, rec.Body)
	}
	if n := a.countResponses("every-type"); n != 0 {
		t.Errorf("a draft counts as a response: %d", n)
	}
	tracking := decode[trackingBody](t, a.do(request{path: "/api/v1/surveys/every-type/tracking", token: admin}))
	if tracking.Overall.Invited != 1 || tracking.Overall.Started != 1 || tracking.Overall.Submitted != 0 || tracking.NotResponding[0].Status != "started" {
		t.Errorf("tracking after save: %+v", tracking)
	}

	// Coming back by the same link shows the saved answer.
	_, body = a.openForm(link)
	if !strings.Contains(body, "Bon retour") || !regexp.MustCompile(`name="pick" value="a"[^>]*checked`).MatchString(body) {
		t.Errorf("resumed form lost the draft: %s", body)
	}

	// Submitting with a required answer missing keeps the answers and the token.
	rec = a.postForm("/s/every-type?lang=fr", fs, url.Values{"t": {token}, "action": {"submit"}, "pick": {"a"}})
	if rec.Code != 422 || match(t, tokenField, rec.Body.String()) != token {
		t.Errorf("invalid submit: %d", rec.Code)
	}
	values := validForm()
	values.Set("t", token)
	values.Set("action", "submit")
	if rec := a.postForm("/s/every-type?lang=fr", fs, values); rec.Code != http.StatusSeeOther {
		t.Fatalf("submit: %d %s", rec.Code, rec.Body)
	}
	if n := a.countResponses("every-type"); n != 1 {
		t.Errorf("%d responses after submit, want 1", n)
	}
	// A retry of the same answers is the same response; other answers are
	// refused, this survey not allowing edits; so is a draft.
	if rec := a.postForm("/s/every-type?lang=fr", fs, values); rec.Code != http.StatusSeeOther {
		t.Errorf("retry: %d", rec.Code)
	}
	other := validForm()
	other.Set("count", "13")
	other.Set("t", token)
	if rec := a.postForm("/s/every-type?lang=fr", fs, other); rec.Code != http.StatusConflict || !strings.Contains(rec.Body.String(), "déjà répondu") {
		t.Errorf("second submission: %d", rec.Code)
	}
	draft.Set("action", "save")
	if rec := a.postForm("/s/every-type?lang=fr", fs, draft); rec.Code != http.StatusConflict {
		t.Errorf("draft over a submitted response: %d", rec.Code)
	}
	if rec := a.do(request{path: link}); rec.Code != 200 || !strings.Contains(rec.Body.String(), "déjà répondu") || strings.Contains(rec.Body.String(), `name="t"`) {
		t.Errorf("link after submitting shows the form again")
	}
	responses, _, _ := a.store.ListResponses(t.Context(), survey.ResponseFilter{SurveySlug: "every-type"})
	if len(responses) != 1 || responses[0].LibraryID == "" || responses[0].Answers["count"] != 12.0 {
		t.Errorf("stored %+v", responses)
	}
	tracking = decode[trackingBody](t, a.do(request{path: "/api/v1/surveys/every-type/tracking", token: admin}))
	if tracking.Overall.Submitted != 1 || tracking.Overall.ResponseRate != 1 || len(tracking.NotResponding) != 0 {
		t.Errorf("tracking after submit: %+v", tracking)
	}
}

func TestInvitationPrefillAndEditAfterSubmit(t *testing.T) {
	a := newApp(t)
	admin := a.token(survey.RoleAdmin)
	link := a.invite(t, admin, "landscape", "Bibliothèque municipale de Lyon", "claire@bm-lyon.fr")
	_, body := a.openForm(link)
	for _, want := range []string{`value="Bibliothèque municipale de Lyon"`, `value="Lyon"`, "value=\"520\u202f000\"", `value="claire@bm-lyon.fr"`, `value="Claire Martin"`} {
		if !strings.Contains(body, want) {
			t.Errorf("directory data not prefilled: %s", want)
		}
	}
}

func TestInvitationInvalidLinks(t *testing.T) {
	a := newApp(t)
	admin := a.token(survey.RoleAdmin)
	link := a.invite(t, admin, "every-type", "Stadtbibliothek Köln", "info@stbib-koeln.de")
	bogus := a.do(request{path: "/s/every-type?t=nope&lang=fr"})
	other := a.do(request{path: strings.Replace(link, "every-type", "landscape", 1)})
	invs, _ := a.store.ListInvitations(t.Context(), "every-type")
	if rec := a.do(request{method: http.MethodPost, path: "/api/v1/surveys/every-type/invitations/" + invs[0].ID + "/revoke", token: admin}); rec.Code != 204 {
		t.Fatalf("revoke: %d", rec.Code)
	}
	revoked := a.do(request{path: link})
	for name, rec := range map[string]*http.Response{"bogus": bogus.Result(), "other survey": other.Result(), "revoked": revoked.Result()} {
		if rec.StatusCode != 404 {
			t.Errorf("%s link: %d", name, rec.StatusCode)
		}
	}
	if bogus.Body.String() != strings.ReplaceAll(revoked.Body.String(), tokenOf(t, link), "nope") {
		t.Error("a revoked link's page differs from an unknown one's")
	}
	// Nor does a revoked link accept answers, by form or API.
	values := validForm()
	values.Set("t", tokenOf(t, link))
	fs, _ := a.openForm("/s/every-type") // a real session with its CSRF token
	if rec := a.postForm("/s/every-type", fs, values); rec.Code != 404 || !strings.Contains(rec.Body.String(), "This link does not work") {
		t.Errorf("revoked link by form: %d", rec.Code)
	}
	rec := a.do(request{method: http.MethodPost, path: "/api/v1/surveys/every-type/responses", contentType: "application/json",
		body: `{"invitation_token": "` + tokenOf(t, link) + `", "answers": {"pick": "a", "grid": {"r1": "lo"}, "count": 12}}`})
	if e := decode[errorResponse](t, rec); rec.Code != 422 || e.Error.Fields[0].Path != "invitation_token" {
		t.Errorf("revoked token by API: %d %+v", rec.Code, e)
	}
	if n := a.countResponses("every-type"); n != 0 {
		t.Errorf("stored %d", n)
	}
}

func TestInvitationByAPI(t *testing.T) {
	a := newApp(t)
	admin := a.token(survey.RoleAdmin)
	link := a.invite(t, admin, "every-type", "Helsinki City Library", "oodi@hel.fi")
	submit := func(count int, submissionID string) *http.Response {
		body := `{"invitation_token": "` + tokenOf(t, link) + `", "submission_id": "` + submissionID + `", "answers": {"pick": "a", "grid": {"r1": "lo"}, "count": ` + string(rune('0'+count)) + `}}`
		return a.do(request{method: http.MethodPost, path: "/api/v1/surveys/every-type/responses", contentType: "application/json", body: body}).Result()
	}
	if r := submit(7, "first-attempt"); r.StatusCode != 201 {
		t.Fatalf("first: %d", r.StatusCode)
	}
	// However the client names the submission, the library answers once.
	if r := submit(7, "second-attempt"); r.StatusCode != 200 {
		t.Errorf("retry: %d", r.StatusCode)
	}
	if r := submit(8, "third-attempt"); r.StatusCode != 409 {
		t.Errorf("other answers: %d", r.StatusCode)
	}
	if n := a.countResponses("every-type"); n != 1 {
		t.Errorf("stored %d, want 1", n)
	}
}

func tokenOf(t *testing.T, link string) string {
	t.Helper()
	u, err := url.Parse(link)
	if err != nil {
		t.Fatal(err)
	}
	return u.Query().Get("t")
}

// TestSendingCampaign sends invitations and reminders through a real SMTP
// server started in-process and reads what it received.
func TestSendingCampaign(t *testing.T) {
	server := mailtest.Start(t)
	server.Reject("nobody@gone.example")
	cfg, err := canvassmail.ParseURL("smtp://" + server.Addr + "?from=Metropolitan%20Libraries%20Section%20<survey@section.example>")
	if err != nil {
		t.Fatal(err)
	}
	a := newApp(t, withMailer(canvassmail.NewSender(cfg)))
	admin := a.token(survey.RoleAdmin)
	libraries := []string{
		`{"name": "Bibliothèque municipale de Lyon", "city": "Lyon", "country": "FR", "type": "city_system", "contacts": [{"name": "Claire Martin", "email": "claire@bm-lyon.fr", "language": "fr", "consent": true}]}`,
		`{"name": "Biblioteca Pública de Bogotá", "city": "Bogotá", "country": "CO", "type": "city_system", "contacts": [{"name": "Ana Ruiz", "email": "ana@biblored.co", "language": "es", "consent": true}]}`,
		`{"name": "Toronto Public Library", "city": "Toronto", "country": "CA", "type": "city_system", "contacts": [{"name": "Vickery", "email": "ceo@tpl.ca", "language": "en", "consent": true}]}`,
		`{"name": "Gone Library", "city": "Oslo", "country": "NO", "type": "city_system", "contacts": [{"email": "nobody@gone.example", "consent": true}]}`,
		`{"name": "No Contact Library", "city": "Perth", "country": "AU", "type": "city_system"}`,
	}
	for _, body := range libraries {
		if rec := a.do(request{method: http.MethodPost, path: "/api/v1/libraries", token: admin, body: body, contentType: "application/json"}); rec.Code != 201 {
			t.Fatalf("library: %d %s", rec.Code, rec.Body)
		}
	}
	rec := a.do(request{method: http.MethodPost, path: "/api/v1/surveys/every-type/invitations", token: admin, body: `{"all": true}`, contentType: "application/json"})
	created := decode[struct {
		Created int
		Skipped []struct{ Name, Reason string }
	}](t, rec)
	if created.Created != 4 || len(created.Skipped) != 1 || created.Skipped[0].Reason != "no contact email" {
		t.Fatalf("invite all: %+v", created)
	}
	badRegion := a.do(request{method: http.MethodPost, path: "/api/v1/surveys/every-type/invitations", token: admin, body: `{"region": "atlantis"}`, contentType: "application/json"})
	if e := decode[errorResponse](t, badRegion); badRegion.Code != 422 || e.Error.Fields[0].Path != "region" {
		t.Errorf("unknown region: %d %+v", badRegion.Code, e)
	}

	// The French template is edited; a template without the link is refused.
	bad := a.do(request{method: http.MethodPut, path: "/api/v1/surveys/every-type/mail-templates/invitation/fr", token: admin, contentType: "application/json",
		body: `{"subject": "Enquête", "body": "Bonjour {name}"}`})
	if e := decode[errorResponse](t, bad); bad.Code != 422 || e.Error.Fields[0].Path != "body" {
		t.Errorf("template without link: %d %+v", bad.Code, e)
	}
	rec = a.do(request{method: http.MethodPut, path: "/api/v1/surveys/every-type/mail-templates/invitation/fr", token: admin, contentType: "application/json",
		body: `{"subject": "{survey} – {library}", "body": "Bonjour {name},\nVotre lien : {link}\n"}`})
	if rec.Code != 200 {
		t.Fatalf("save template: %d %s", rec.Code, rec.Body)
	}

	send := func(kind string) (sent int, failed []struct{ Email, Error string }) {
		t.Helper()
		rec := a.do(request{method: http.MethodPost, path: "/api/v1/surveys/every-type/invitations/send", token: admin, body: `{"kind": "` + kind + `"}`, contentType: "application/json"})
		if rec.Code != 200 {
			t.Fatalf("send %s: %d %s", kind, rec.Code, rec.Body)
		}
		got := decode[struct {
			Sent   int
			Failed []struct{ Email, Error string }
		}](t, rec)
		return got.Sent, got.Failed
	}
	sent, failed := send("invitation")
	if sent != 3 || len(failed) != 1 || failed[0].Email != "nobody@gone.example" || !strings.Contains(failed[0].Error, "No such mailbox") {
		t.Fatalf("invitations: sent %d, failed %+v", sent, failed)
	}
	byTo := map[string]mailtest.Received{}
	for _, m := range server.Messages() {
		byTo[m.To] = m
	}
	fr, es, en := byTo["claire@bm-lyon.fr"], byTo["ana@biblored.co"], byTo["ceo@tpl.ca"]
	if fr.Subject != "Tous les types de questions – Bibliothèque municipale de Lyon" || !strings.HasPrefix(fr.Body, "Bonjour Claire Martin,\nVotre lien : http") {
		t.Errorf("French invitation from the edited template: %q %q", fr.Subject, fr.Body)
	}
	// The survey is not offered in Spanish: Bogotá gets the default language.
	if !strings.Contains(es.Body, "Dear Ana Ruiz") || !strings.Contains(en.Body, "Dear Vickery") {
		t.Errorf("built-in templates: %q / %q", es.Body, en.Body)
	}
	// The link in the email opens the library's form.
	linkLine := regexp.MustCompile(`https?://\S+`).FindString(en.Body)
	u, _ := url.Parse(linkLine)
	if rec := a.do(request{path: u.RequestURI()}); rec.Code != 200 || !strings.Contains(rec.Body.String(), `name="t"`) {
		t.Errorf("emailed link: %d", rec.Code)
	}
	// Sending again sends nothing: each library is invited once.
	if sent, _ := send("invitation"); sent != 0 {
		t.Errorf("second invitation round sent %d", sent)
	}
	list := decode[struct {
		Invitations []struct {
			Email, Status string
			SendError     string `json:"send_error"`
		}
	}](t, a.do(request{path: "/api/v1/surveys/every-type/invitations", token: admin}))
	errs := map[string]string{}
	for _, inv := range list.Invitations {
		errs[inv.Email] = inv.Status + " " + inv.SendError
	}
	if !strings.HasPrefix(errs["nobody@gone.example"], "not_sent ") || !strings.Contains(errs["nobody@gone.example"], "No such mailbox") || errs["ceo@tpl.ca"] != "opened " {
		t.Errorf("statuses and errors: %v", errs)
	}

	// A bounce that comes back later by email is recorded on its invitation.
	invs, _ := a.store.ListInvitations(t.Context(), "every-type")
	var bogota string
	for _, inv := range invs {
		if inv.Email == "ana@biblored.co" {
			bogota = inv.ID
		}
	}
	if rec := a.do(request{method: http.MethodPost, path: "/api/v1/surveys/every-type/invitations/" + bogota + "/bounce", token: admin, contentType: "application/json", body: `{"reason": ""}`}); rec.Code != 422 {
		t.Errorf("bounce without a reason: %d", rec.Code)
	}
	if rec := a.do(request{method: http.MethodPost, path: "/api/v1/surveys/every-type/invitations/" + bogota + "/bounce", token: admin, contentType: "application/json", body: `{"reason": "550 5.1.1 mailbox full"}`}); rec.Code != 204 {
		t.Errorf("bounce: %d %s", rec.Code, rec.Body)
	}
	if inv, _ := a.store.FindInvitation(t.Context(), bogota); inv.SendError != "bounced: 550 5.1.1 mailbox full" {
		t.Errorf("bounce recorded as %q", inv.SendError)
	}

	// Toronto answers; the reminder goes to Lyon and Bogotá only.
	values := validForm()
	values.Set("t", tokenOf(t, u.String()))
	fs, _ := a.openForm(u.RequestURI())
	if rec := a.postForm("/s/every-type", fs, values); rec.Code != http.StatusSeeOther {
		t.Fatalf("Toronto submits: %d", rec.Code)
	}
	before := len(server.Messages())
	if sent, failed := send("reminder"); sent != 2 || len(failed) != 0 {
		t.Errorf("reminders: %d sent, %+v failed", sent, failed)
	}
	if inv, _ := a.store.FindInvitation(t.Context(), bogota); inv.SendError != "" || inv.Reminders != 1 {
		t.Errorf("after a successful reminder: error %q, reminders %d", inv.SendError, inv.Reminders)
	}
	reminded := map[string]string{}
	for _, m := range server.Messages()[before:] {
		reminded[m.To] = m.Subject
	}
	if len(reminded) != 2 || reminded["claire@bm-lyon.fr"] != "Rappel\u00a0: Tous les types de questions" || reminded["ana@biblored.co"] != "Reminder: Every question type" {
		t.Errorf("reminders went to %v", reminded)
	}
	tracking := decode[trackingBody](t, a.do(request{path: "/api/v1/surveys/every-type/tracking", token: admin}))
	if tracking.Overall.Invited != 4 || tracking.Overall.Sent != 3 || tracking.Overall.Opened != 1 || tracking.Overall.Submitted != 1 || tracking.Overall.ResponseRate != 0.25 || len(tracking.NotResponding) != 3 {
		t.Errorf("tracking after the campaign: %+v", tracking)
	}
}

func TestSendingWithoutSMTP(t *testing.T) {
	a := newApp(t)
	rec := a.do(request{method: http.MethodPost, path: "/api/v1/surveys/every-type/invitations/send", token: a.token(survey.RoleAdmin), body: `{"kind": "invitation"}`, contentType: "application/json"})
	if e := decode[errorResponse](t, rec); rec.Code != 409 || !strings.Contains(e.Error.Message, "mail-merge") {
		t.Errorf("send without SMTP: %d %+v", rec.Code, e)
	}
}

// TestEditAfterSubmitAndUpdateDirectory: the landscape survey lets an
// invited library change its answers until it closes, and what it says
// about itself can be carried into the directory on request.
func TestEditAfterSubmitAndUpdateDirectory(t *testing.T) {
	a := newApp(t)
	admin := a.token(survey.RoleAdmin)
	link := a.invite(t, admin, "landscape", "Bibliothèque municipale de Lyon", "claire@bm-lyon.fr")
	sv, err := a.store.FindSurvey(t.Context(), "landscape")
	if err != nil {
		t.Fatal(err)
	}
	answers := demo.Responses(sv, 1, 7, time.Now())[0].Answers
	answers["library_name"], answers["city"], answers["country"], answers["region"] = "BM Lyon", "Lyon", "FR", "europe"
	answers["population_served"] = 530000.0
	submit := func(a2 survey.Answers) *httptest.ResponseRecorder {
		data, _ := survey.MarshalAnswers(a2)
		return a.do(request{method: http.MethodPost, path: "/api/v1/surveys/landscape/responses", contentType: "application/json",
			body: `{"invitation_token": "` + tokenOf(t, link) + `", "language": "fr", "answers": ` + string(data) + `}`})
	}
	rec := submit(answers)
	if rec.Code != 201 {
		t.Fatalf("submit: %d %s", rec.Code, rec.Body)
	}
	id := decode[struct{ ID string }](t, rec).ID
	answers["population_served"] = 540000.0
	if rec := submit(answers); rec.Code != 200 {
		t.Fatalf("edit after submit: %d %s", rec.Code, rec.Body)
	}
	if n := a.countResponses("landscape"); n != 1 {
		t.Errorf("%d responses, want 1", n)
	}
	stored, _ := a.store.FindResponse(t.Context(), id)
	if stored.Answers["population_served"] != 540000.0 || stored.SubmittedAt == nil {
		t.Errorf("stored after edit: %v", stored.Answers["population_served"])
	}
	// The link now opens the submitted answers for editing.
	if rec := a.do(request{path: link}); rec.Code != 200 || !strings.Contains(rec.Body.String(), "Vous pouvez modifier") || !strings.Contains(rec.Body.String(), "value=\"540\u202f000\"") {
		t.Errorf("link after submit: %d", rec.Code)
	}

	type changesBody struct {
		Library libraryBody
		Changes []survey.LibraryChange
		Applied bool
	}
	preview := decode[changesBody](t, a.do(request{method: http.MethodPost, path: "/api/v1/responses/" + id + "/update-library", token: admin, body: `{}`, contentType: "application/json"}))
	want := map[string]string{"name": "Bibliothèque municipale de Lyon → BM Lyon", "population_served": "520000 → 540000"}
	got := map[string]string{}
	for _, ch := range preview.Changes {
		got[ch.Field] = ch.From + " → " + ch.To
	}
	if preview.Applied || got["name"] != want["name"] || got["population_served"] != want["population_served"] || got["city"] != "" {
		t.Errorf("preview %+v", preview)
	}
	if lib, _ := a.store.FindLibrary(t.Context(), preview.Library.ID); lib.Name != "Bibliothèque municipale de Lyon" {
		t.Errorf("a preview changed the directory: %s", lib.Name)
	}
	done := decode[changesBody](t, a.do(request{method: http.MethodPost, path: "/api/v1/responses/" + id + "/update-library", token: admin, body: `{"confirm": true}`, contentType: "application/json"}))
	lib, _ := a.store.FindLibrary(t.Context(), preview.Library.ID)
	if !done.Applied || lib.Name != "BM Lyon" || lib.PopulationServed != 540000 || lib.Contacts[0].Email != "claire@bm-lyon.fr" {
		t.Errorf("applied %+v → %+v", done, lib)
	}
}
