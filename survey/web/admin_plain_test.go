package web_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
	"golang.org/x/net/html"

	canvassmail "github.com/metlib/canvass/mail"
	"github.com/metlib/canvass/mail/mailtest"
	"github.com/metlib/canvass/survey"
	"github.com/metlib/canvass/survey/web"
)

// The working group's pages in plain words (issue 14, item 11): labels for
// codes, readable dates, library names, merge fields, problems by sheet and
// row.

// xlsxOf writes one sheet per entry (rows, header first) into a workbook.
func xlsxOf(t *testing.T, sheets [][2]any) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, s := range sheets {
		name, rows := s[0].(string), s[1].([][]string)
		if i == 0 {
			_ = f.SetSheetName("Sheet1", name)
		} else if _, err := f.NewSheet(name); err != nil {
			t.Fatal(err)
		}
		for r, row := range rows {
			for c, v := range row {
				cell, _ := excelize.CoordinatesToCellName(c+1, r+1)
				_ = f.SetCellStr(name, cell, v)
			}
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// pageText is what a reader of the page sees: the text of its main
// element, spaces collapsed.
func pageText(t *testing.T, body string) string {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	n := find(doc, tag("main"))
	if n == nil {
		n = doc
	}
	return strings.Join(strings.Fields(text(n)), " ")
}

// TestXLSFormProblemsBySheetAndRow: uploading a broken XLSForm lists each
// problem at the sheet, row and column it is in (rows as written below),
// not at a definition path.
func TestXLSFormProblemsBySheetAndRow(t *testing.T) {
	a := newApp(t)
	c := newClient(t, a.serve(t))
	a.signIn(t, c, survey.RoleAdmin)
	book := xlsxOf(t, [][2]any{
		{"survey", [][]string{
			{"type", "name", "label", "relevant"},
			{"text", "why", "Why?", "${later} = 'yes'"}, // row 2: refers to a later question
			{"select_one yn", "later", "Later?", ""},    // row 3
			{"select_one yn", "later", "Again?", ""},    // row 4: the same name
		}},
		{"choices", [][]string{{"list_name", "name", "label"}, {"yn", "yes", "Yes"}, {"yn", "no", ""}}}, // row 3: no label
		{"settings", [][]string{{"form_id"}, {"broken-book"}}},
	})
	p := c.upload("/admin/surveys", "broken.xlsx", book)
	if p.status != 422 {
		t.Fatalf("upload: %d", p.status)
	}
	seen := pageText(t, p.body)
	for _, want := range []string{
		"survey sheet, row 2, column relevant: show_if may only refer to an earlier question",
		`survey sheet, row 4, column name: duplicate question id "later"`,
		`choices sheet, row 3, column label: text in the default language "en" is required`,
	} {
		if !strings.Contains(seen, want) {
			t.Errorf("page lacks %q; it reads:\n%s", want, seen)
		}
	}
	if strings.Contains(seen, "sections[") {
		t.Errorf("page shows a definition path:\n%s", seen)
	}
}

// countingLibraries counts the directory lookups made through it (the real
// store underneath), to show a page of responses names its libraries with
// one query.
type countingLibraries struct {
	survey.LibraryStore
	lists, finds atomic.Int32
}

func (c *countingLibraries) ListLibraries(ctx context.Context, f survey.LibraryFilter) ([]*survey.Library, int, error) {
	c.lists.Add(1)
	return c.LibraryStore.ListLibraries(ctx, f)
}

func (c *countingLibraries) FindLibrary(ctx context.Context, id string) (*survey.Library, error) {
	c.finds.Add(1)
	return c.LibraryStore.FindLibrary(ctx, id)
}

// goTimestamp is how Go prints a time.Time by default
// ("2026-12-01 08:57:10.794 +0000 UTC"), and the terse form the pages used
// before ("2026-12-01 08:57 UTC").
var goTimestamp = regexp.MustCompile(`\d{4}-\d\d-\d\d \d\d:\d\d(:\d\d(\.\d+)?)? (\+0000 )?UTC`)

// cellTexts are the texts of every table cell of a page.
func cellTexts(t *testing.T, body string) []string {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, row := range rowsOf(doc) {
		out = append(out, row...)
	}
	return out
}

// TestAdminPagesShowLabelsAndDates: the working group's pages name every
// code they show (regions, library types, countries, languages, invitation,
// survey and response statuses, roles, sources) and write times as
// "1 Dec 2026, 08:57 UTC" in a <time> element; no table cell is a raw code
// and no page holds a Go timestamp. The labels expected are written out
// here, not read from the catalogue.
func TestAdminPagesShowLabelsAndDates(t *testing.T) {
	libs := &countingLibraries{}
	a := newApp(t, func(c *web.Config) { libs.LibraryStore = c.Libraries; c.Libraries = libs })
	ctx := t.Context()
	c := newClient(t, a.serve(t))
	a.signIn(t, c, survey.RoleAdmin)
	now := time.Now()
	tokyo := &survey.Library{Name: "Tokyo Metropolitan Library", City: "Tokyo", Country: "JP", Region: survey.AsiaOceania, Type: survey.CitySystem,
		Contacts: []survey.Contact{{Name: "Aiko Sato", Email: "aiko@tokyo.example", Language: "en", Consent: true, ConsentAt: &now}}}
	if err := a.store.CreateLibrary(ctx, tokyo); err != nil {
		t.Fatal(err)
	}
	// Responses: two from the directory's library (another page row each),
	// one anonymous, one from a library since deleted.
	at := time.Date(2026, 12, 1, 8, 57, 10, 794e6, time.UTC)
	var ids []string
	for i, lib := range []string{tokyo.ID, tokyo.ID, "", "64b000000000000000000000"} {
		r, _, err := a.store.CreateResponse(ctx, &survey.Response{SurveySlug: "every-type", SurveyVersion: 1, SubmissionID: fmt.Sprintf("plain-%d", i),
			Status: survey.ResponseSubmitted, Country: "JP", Region: survey.AsiaOceania, Language: "fr", Source: "web", LibraryID: lib,
			Answers: survey.Answers{"pick": "a"}, CreatedAt: at.Add(time.Duration(i) * time.Hour), SubmittedAt: &at})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, r.ID)
	}
	c.get("/admin/surveys/every-type/invitations")
	if p := c.post("/admin/surveys/every-type/invitations", url.Values{"who": {"all"}}); p.status != http.StatusSeeOther {
		t.Fatalf("invite: %d %s", p.status, p.body)
	}
	a.user("analyst@example.org", survey.RoleAnalyst)
	for _, role := range []survey.Role{survey.RoleAdmin, survey.RoleAnalyst} {
		_, hash := survey.NewTokenSecret()
		if err := a.store.CreateToken(ctx, &survey.APIToken{Name: "Reports " + string(role), Role: role, Hash: hash, CreatedAt: at}); err != nil {
			t.Fatal(err)
		}
	}
	rawCodes := []string{"asia_oceania", "city_system", "not_sent", "submitted", "open", "admin", "web", "fr", "en", "JP", "invitation", "reminder"}
	for _, tc := range []struct {
		path string
		want []string // in the page's text
	}{
		{"/admin", []string{"Open"}},
		{"/admin/libraries", []string{"Tokyo Metropolitan Library", "Japan", "Asia-Oceania", "City or municipal library system"}},
		{"/admin/libraries/" + tokyo.ID, []string{"given " + utcText("en", now)}}, // ticked now: an instant
		{"/admin/surveys/every-type", []string{"Open", "languages English, French"}},
		{"/admin/surveys/every-type/invitations", []string{"Region: Asia-Oceania", "Type: City or municipal library system", "Not sent", "Invitation (English)", "Reminder (French)"}},
		{"/admin/surveys/every-type/responses", []string{"1 Dec 2026, 08:57 UTC", "1 Dec 2026, 09:57 UTC", "Tokyo Metropolitan Library", "Anonymous", "(no longer in the directory)", "Japan", "Asia-Oceania", "French", "Submitted"}},
		{"/admin/responses/" + ids[0], []string{"Tokyo Metropolitan Library", "Submitted", "1 Dec 2026, 08:57 UTC", "French", "Japan, Asia-Oceania", "Web form"}},
		{"/admin/users", []string{"Administrator", "Analyst"}},
		{"/admin/tokens", []string{"Administrator", "Analyst", "1 Dec 2026, 08:57 UTC"}},
		{"/admin/account", []string{"role Administrator"}},
	} {
		t.Run(tc.path, func(t *testing.T) {
			lists, finds := libs.lists.Load(), libs.finds.Load()
			p := c.get(tc.path)
			if p.status != 200 {
				t.Fatalf("%d", p.status)
			}
			seen := pageText(t, p.body)
			for _, w := range tc.want {
				if !strings.Contains(seen, w) {
					t.Errorf("page lacks %q; it reads:\n%s", w, seen)
				}
			}
			if m := goTimestamp.FindString(p.body); m != "" {
				t.Errorf("page shows the Go timestamp %q", m)
			}
			for _, cell := range cellTexts(t, p.body) {
				for _, code := range rawCodes {
					if cell == code {
						t.Errorf("a table cell shows the raw code %q", code)
					}
				}
				for _, code := range []string{"asia_oceania", "city_system", "not_sent"} {
					if strings.Contains(cell, code) {
						t.Errorf("cell %q shows the raw code %q", cell, code)
					}
				}
			}
			if strings.HasPrefix(tc.path, "/admin/surveys/every-type/responses") {
				if n := libs.lists.Load() - lists; n != 1 || libs.finds.Load() != finds {
					t.Errorf("naming the libraries of a page took %d list and %d find calls, want 1 and 0", n, libs.finds.Load()-finds)
				}
			}
		})
	}
	// The <time> element carries the exact instant.
	p := c.get("/admin/surveys/every-type/responses")
	if !strings.Contains(p.body, `<time datetime="2026-12-01T08:57:10Z" data-local>1 Dec 2026, 08:57 UTC</time>`) {
		t.Errorf("no <time> element for the first response:\n%s", p.body)
	}
}

// TestMailTemplatesWithMergeFields: the email texts are edited with
// {name}, {link}…; a mistyped merge field or a missing {link} is refused,
// naming it; texts stored in the old Go syntax keep working: the English
// one (the old built-in text) is shown written with merge fields, the French one,
// which merge fields cannot say exactly, as stored with a note; both are
// mailed as before, and neither is rewritten in the database.
func TestMailTemplatesWithMergeFields(t *testing.T) {
	server := mailtest.Start(t)
	cfg, err := canvassmail.ParseURL("smtp://" + server.Addr + "?from=survey@section.example")
	if err != nil {
		t.Fatal(err)
	}
	a := newApp(t, withMailer(canvassmail.NewSender(cfg)))
	ctx := t.Context()
	c := newClient(t, a.serve(t))
	a.signIn(t, c, survey.RoleAdmin)
	now := time.Now()
	for _, l := range []*survey.Library{
		{Name: "Toronto Public Library", Country: "CA", Type: survey.CitySystem, Contacts: []survey.Contact{{Name: "Vickery", Email: "ceo@tpl.ca", Language: "en", Consent: true, ConsentAt: &now}}},
		{Name: "Bibliothèque municipale de Lyon", Country: "FR", Type: survey.CitySystem, Contacts: []survey.Contact{{Email: "bm@lyon.fr", Language: "fr", Consent: true, ConsentAt: &now}}},
	} {
		if err := a.store.CreateLibrary(ctx, l); err != nil {
			t.Fatal(err)
		}
	}
	oldEnglish := "Dear {{if .Name}}{{.Name}}{{else}}colleague{{end}},\n\nPlease answer for {{.Library}}:\n{{.Link}}\n{{if .Closes}}\nThe survey closes on {{.Closes}}.{{end}}\n\nThanks"
	oldFrench := "Bonjour {{.Name}}\n{{.Link}}\nFin : {{.Closes}}"
	for _, tm := range []survey.MailTemplate{
		{Kind: survey.MailInvitation, Language: "en", Subject: "{{.Survey}} for {{.Library}}", Body: oldEnglish, Custom: true},
		{Kind: survey.MailInvitation, Language: "fr", Subject: "Enquête", Body: oldFrench, Custom: true},
	} {
		if err := a.store.SaveMailTemplate(ctx, "every-type", tm); err != nil {
			t.Fatal(err)
		}
	}
	c.get("/admin/surveys/every-type")
	if p := c.post("/admin/surveys/every-type/dates", url.Values{"closes_at": {"2027-01-31"}}); p.status != http.StatusSeeOther {
		t.Fatalf("dates: %d", p.status)
	}

	p := c.get("/admin/surveys/every-type/invitations")
	doc, err := html.Parse(strings.NewReader(p.body))
	if err != nil {
		t.Fatal(err)
	}
	body := func(id string) string {
		n := find(doc, func(n *html.Node) bool { return n.Type == html.ElementNode && attr(n, "id") == id })
		if n == nil {
			t.Fatalf("no #%s", id)
		}
		return text(n)
	}
	if got, want := body("body-invitation-en"), "Dear {name},\n\nPlease answer for {library}:\n{link}\n\nThe survey closes on {deadline}.\n\nThanks"; got != want {
		t.Errorf("English text shown as\n%q\nwant\n%q", got, want)
	}
	if got := body("body-invitation-fr"); got != oldFrench {
		t.Errorf("French text shown as %q, want it as stored", got)
	}
	if seen := pageText(t, p.body); !strings.Contains(seen, "This text was saved with the earlier {{.Name}} way of writing merge fields") || strings.Count(seen, "earlier {{.Name}} way") != 1 {
		t.Errorf("the legacy note is not on the French text alone:\n%s", seen)
	}

	for _, tc := range []struct{ subject, body, problem string }{
		{"Invitation", "Dear {nmae},\n{link}", "The body uses {nmae}, which is not a merge field: use {name}, {library}, {survey}, {link} or {deadline}."},
		{"Invitation", "Dear {name}", "The body must contain {link}"},
		{"Closes {deadline}", "{link}", "The subject cannot use {deadline}"},
		{"Invitation", "Dear {{.Name}} {link}", "The body uses double braces"},
	} {
		c.get("/admin/surveys/every-type/invitations")
		refused := c.post("/admin/surveys/every-type/invitations/templates", url.Values{"kind": {"reminder"}, "language": {"en"}, "subject": {tc.subject}, "body": {tc.body}})
		if _, problem := flashShown(refused.body); refused.status != http.StatusUnprocessableEntity || !strings.HasPrefix(problem, "The reminder text (English) was not saved:") || !strings.Contains(problem, tc.problem) {
			t.Errorf("%q: problem shown %q, want it to say %q", tc.body, problem, tc.problem)
		}
	}
	c.get("/admin/surveys/every-type/invitations")
	saved := c.post("/admin/surveys/every-type/invitations/templates", url.Values{"kind": {"reminder"}, "language": {"en"}, "subject": {"Reminder: {survey}"}, "body": {"Hello {name},\r\n{link}\r\nBy {deadline}."}})
	if done, problem := c.flashAfter(saved); done != "The reminder text (English) was saved." {
		t.Errorf("save: shown %q %q", done, problem)
	}

	c.get("/admin/surveys/every-type/invitations")
	if p := c.post("/admin/surveys/every-type/invitations", url.Values{"who": {"all"}}); p.status != http.StatusSeeOther {
		t.Fatalf("invite: %d", p.status)
	}
	c.get("/admin/surveys/every-type/invitations")
	if p := c.post("/admin/surveys/every-type/invitations/send", url.Values{"kind": {"invitation"}}); p.status != http.StatusSeeOther {
		t.Fatalf("send: %d %s", p.status, p.body)
	}
	byTo := map[string]mailtest.Received{}
	for _, m := range server.Messages() {
		byTo[m.To] = m
	}
	link := regexp.MustCompile(`https?://\S+/s/every-type\?t=\S+`)
	en, fr := byTo["ceo@tpl.ca"], byTo["bm@lyon.fr"]
	enLink, frLink := link.FindString(en.Body), link.FindString(fr.Body)
	if want := "Dear Vickery,\n\nPlease answer for Toronto Public Library:\n" + enLink + "\n\nThe survey closes on 31 January 2027.\n\nThanks"; enLink == "" || en.Body != want || en.Subject != "Every question type for Toronto Public Library" {
		t.Errorf("English mail %q\n%q\nwant\n%q", en.Subject, en.Body, want)
	}
	if want := "Bonjour \n" + frLink + "\nFin : 31 janvier 2027"; frLink == "" || fr.Body != want {
		t.Errorf("French mail %q, want %q", fr.Body, want)
	}
	stored, err := a.store.MailTemplates(ctx, "every-type")
	if err != nil {
		t.Fatal(err)
	}
	for _, tm := range stored {
		if tm.Kind == survey.MailInvitation && tm.Language == "en" && tm.Body != oldEnglish {
			t.Errorf("the stored English text was rewritten: %q", tm.Body)
		}
	}
}
