package web_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/metlib/canvass/survey"
)

// signInCoordinator creates a coordinator of the regions and signs the
// client in as them.
func (a *app) signInCoordinator(t *testing.T, c *client, email string, regions ...survey.Region) {
	t.Helper()
	if err := a.store.CreateUser(context.Background(), &survey.User{Email: email, Name: "Coordinator", Role: survey.RoleCoordinator,
		Regions: regions, PasswordHash: survey.HashPassword("a long enough password")}); err != nil {
		t.Fatal(err)
	}
	c.get("/admin/login")
	p := c.post("/admin/login", url.Values{"email": {email}, "password": {"a long enough password"}})
	if p.status != http.StatusSeeOther || p.location != "/admin" {
		t.Fatalf("sign in as %s: %d %s", email, p.status, p.location)
	}
	c.get("/admin") // pick up a CSRF token
}

// regionObjects are a library of one region, its invitation and its
// response.
type regionObjects struct{ library, invitation, response string }

// regionalObjects stores a European and a North American library, each
// invited to survey slug and with a submitted response of its region, and
// returns their ids.
func (a *app) regionalObjects(t *testing.T, slug string) (europe, northAmerica regionObjects) {
	t.Helper()
	out := make([]regionObjects, 2)
	for i, l := range []*survey.Library{
		{Name: "Bibliothèque municipale de Lyon", Country: "FR", Contacts: []survey.Contact{{Name: "Claire", Email: "claire@bm-lyon.example"}}},
		{Name: "Toronto Public Library", Country: "CA", Contacts: []survey.Contact{{Name: "Sam", Email: "sam@tpl.example"}}},
	} {
		out[i].library, out[i].invitation = a.storeInvitedLibrary(t, slug, l)
		now := time.Now()
		r, _, err := a.store.CreateResponse(context.Background(), &survey.Response{SurveySlug: slug, SurveyVersion: 1, SubmissionID: "region-" + string(l.Region),
			LibraryID: out[i].library, InvitationID: out[i].invitation, Country: l.Country, Region: l.Region, Language: "en",
			Status: survey.ResponseSubmitted, CreatedAt: now, SubmittedAt: &now})
		if err != nil {
			t.Fatal(err)
		}
		out[i].response = r.ID
	}
	return out[0], out[1]
}

// storeInvitedLibrary stores l (its region from its country) and an invitation
// of it to survey slug ("" for none), and returns their ids.
func (a *app) storeInvitedLibrary(t *testing.T, slug string, l *survey.Library) (libraryID, invitationID string) {
	t.Helper()
	ctx := context.Background()
	l.Normalize()
	if err := a.store.CreateLibrary(ctx, l); err != nil {
		t.Fatal(err)
	}
	if slug == "" || len(l.Contacts) == 0 {
		return l.ID, ""
	}
	inv := &survey.Invitation{SurveySlug: slug, LibraryID: l.ID, Name: l.Contacts[0].Name, Email: l.Contacts[0].Email, Language: "en", CreatedAt: time.Now()}
	if err := a.store.CreateInvitation(ctx, inv); err != nil {
		t.Fatal(err)
	}
	return l.ID, inv.ID
}

// libraryLinks are the names of the libraries a page links to, sorted.
var libraryLink = regexp.MustCompile(`<a href="/admin/libraries/[0-9a-f]{24}">([^<]+)</a>`)

func linkedLibraries(body string) []string {
	var out []string
	for _, m := range libraryLink.FindAllStringSubmatch(body, -1) {
		out = append(out, htmlUnescape(m[1]))
	}
	sort.Strings(out)
	return out
}

func htmlUnescape(s string) string {
	return strings.NewReplacer("&#39;", "'", "&amp;", "&", "&quot;", `"`, "&lt;", "<", "&gt;", ">").Replace(s)
}

// storedNames are the names of the stored libraries in the regions (with
// a contact email, when invited is set), read from the store.
func (a *app) storedNames(t *testing.T, invited bool, regions ...survey.Region) []string {
	t.Helper()
	all, _, err := a.store.ListLibraries(context.Background(), survey.LibraryFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, l := range all {
		if slices.Contains(regions, l.Region) && (!invited || len(l.Contacts) > 0) {
			out = append(out, l.Name)
		}
	}
	sort.Strings(out)
	return out
}

// regionalDirectory is a directory of seven libraries in four regions,
// those with a contact invited to the landscape survey.
func (a *app) regionalDirectory(t *testing.T) {
	t.Helper()
	for _, l := range []*survey.Library{
		{Name: "Bibliothèque municipale de Lyon", Country: "FR", Contacts: []survey.Contact{{Name: "Claire", Email: "claire@bm-lyon.example"}}},
		{Name: "Deichman Oslo", Country: "NO", Contacts: []survey.Contact{{Name: "Ola", Email: "ola@deichman.example"}}},
		{Name: "Stadtbibliothek Köln", Country: "DE"},
		{Name: "National Library Board Singapore", Country: "SG", Contacts: []survey.Contact{{Email: "info@nlb.example"}}},
		{Name: "Toronto Public Library", Country: "CA", Contacts: []survey.Contact{{Name: "Sam", Email: "sam@tpl.example"}}},
		{Name: "New York Public Library", Country: "US", Contacts: []survey.Contact{{Email: "info@nypl.example"}}},
		{Name: "Biblioteca Nacional de Chile", Country: "CL", Contacts: []survey.Contact{{Email: "info@bn.example"}}},
	} {
		a.storeInvitedLibrary(t, "landscape", l)
	}
}

// TestACoordinatorsPagesShowTheirRegionsOnly signs in a coordinator of
// Europe and Asia-Oceania and reads every list they have, as pages and
// through the API: each holds exactly the libraries of those regions, as
// the stored directory says, and nothing names another region's library.
func TestACoordinatorsPagesShowTheirRegionsOnly(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	srv := a.serve(t)
	a.regionalDirectory(t)
	c := newClient(t, srv)
	a.signInCoordinator(t, c, "ines@example.org", survey.Europe, survey.AsiaOceania)
	mine := a.storedNames(t, false, survey.Europe, survey.AsiaOceania)
	invited := a.storedNames(t, true, survey.Europe, survey.AsiaOceania)
	others := a.storedNames(t, false, survey.NorthAmerica, survey.LatinAmericaCaribbean)
	if len(mine) != 4 || len(invited) != 3 || len(others) != 3 {
		t.Fatalf("the directory has %q of theirs (%q invited) and %q of others; the test means 4, 3 and 3", mine, invited, others)
	}
	noneOfTheOthers := func(what, body string) {
		t.Helper()
		for _, n := range others {
			if strings.Contains(body, n) {
				t.Errorf("%s names %s, a library of another region", what, n)
			}
		}
		for _, e := range []string{"sam@tpl.example", "info@nypl.example", "info@bn.example"} {
			if strings.Contains(body, e) {
				t.Errorf("%s shows %s, a contact of another region", what, e)
			}
		}
	}

	p := c.get("/admin/libraries")
	if got := linkedLibraries(p.body); p.status != 200 || !slices.Equal(got, mine) {
		t.Errorf("the directory page (%d) lists %q, want %q", p.status, got, mine)
	}
	if !strings.Contains(p.body, "4 libraries in your regions.") || !strings.Contains(p.body, `<a href="/admin/libraries/import">Import from a spreadsheet</a>`) || strings.Contains(p.body, `href="/admin/users"`) {
		t.Errorf("the directory page's count, import link or menu is wrong for a coordinator:\n%s", p.body)
	}
	noneOfTheOthers("the directory page", p.body)
	if got := linkedLibraries(c.get("/admin/libraries?region=north_america").body); len(got) != 0 {
		t.Errorf("filtering North America lists %q, want none", got)
	}
	// The region filter offers their regions only.
	if strings.Contains(p.body, `value="north_america"`) || !strings.Contains(p.body, `value="asia_oceania"`) {
		t.Errorf("the region filter offers other regions or not theirs")
	}

	req, _ := http.NewRequest(http.MethodGet, srv.URL+"/api/v1/libraries?per_page=100", nil)
	res := c.do(req)
	var list struct {
		Libraries []struct{ Name, Region string }
		Total     int
	}
	if err := json.Unmarshal([]byte(res.body), &list); err != nil {
		t.Fatal(res.status, err, res.body)
	}
	var apiNames []string
	for _, l := range list.Libraries {
		apiNames = append(apiNames, l.Name)
	}
	sort.Strings(apiNames)
	if !slices.Equal(apiNames, mine) || list.Total != len(mine) {
		t.Errorf("the API lists %q (total %d), want %q", apiNames, list.Total, mine)
	}

	res = c.get("/api/v1/libraries/export.csv")
	records, err := csv.NewReader(bytes.NewReader([]byte(res.body))).ReadAll()
	if err != nil || res.status != 200 {
		t.Fatalf("export: %d %v", res.status, err)
	}
	exported := map[string]bool{}
	for _, r := range records[1:] {
		exported[r[0]] = true
	}
	var exportedNames []string
	for n := range exported {
		exportedNames = append(exportedNames, n)
	}
	sort.Strings(exportedNames)
	if !slices.Equal(exportedNames, mine) {
		t.Errorf("the export holds %q, want %q", exportedNames, mine)
	}

	p = c.get("/admin/surveys/landscape/invitations")
	if got := linkedLibraries(p.body); p.status != 200 || !slices.Equal(got, invited) {
		t.Errorf("the invitations page (%d) lists %q, want %q", p.status, got, invited)
	}
	noneOfTheOthers("the invitations page", p.body)
	if !strings.Contains(p.body, "0 of 3 invited libraries have answered") || !strings.Contains(p.body, `action="/admin/surveys/landscape/invitations"`) {
		t.Errorf("the invitations page's tracking or invite form is missing for a coordinator")
	}

	var tr struct {
		Overall  struct{ Invited, Submitted int }
		ByRegion map[string]struct{ Invited int } `json:"by_region"`
	}
	res = c.get("/api/v1/surveys/landscape/tracking")
	if err := json.Unmarshal([]byte(res.body), &tr); err != nil {
		t.Fatal(res.status, err)
	}
	if tr.Overall.Invited != len(invited) || len(tr.ByRegion) != 2 || tr.ByRegion["europe"].Invited != 2 || tr.ByRegion["asia_oceania"].Invited != 1 {
		t.Errorf("tracking %+v, want %d invited: 2 in Europe, 1 in Asia-Oceania", tr, len(invited))
	}

	// The dashboard is the coordinator's: each survey's invitations in
	// their regions, and their regions' responses (none here).
	p = c.get("/admin")
	if !regexp.MustCompile(`/admin/surveys/landscape/invitations">Metropolitan libraries landscape survey</a> <span[^>]*>Open</span><br><a href="/admin/surveys/landscape/responses">0 responses</a> from your regions</td>\s*<td>3</td><td>0</td><td>0.0%</td>`).MatchString(p.body) ||
		!strings.Contains(p.body, "<strong>Asia-Oceania</strong>, <strong>Europe</strong>") {
		t.Errorf("the coordinator's dashboard:\n%s", p.body)
	}
	if p := c.get("/admin/account"); !strings.Contains(p.body, "role <strong>Regional coordinator</strong> for Asia-Oceania, Europe.") {
		t.Errorf("the account page does not name the regions:\n%s", p.body)
	}
}

// TestACoordinatorEditsTheirRegionsLibraries edits through the pages: a
// library of their region is saved, one moved out of their regions or
// created elsewhere is refused with the reason, another region's is not found.
func TestACoordinatorEditsTheirRegionsLibraries(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	srv := a.serve(t)
	mine, theirs := a.regionalObjects(t, "landscape")
	c := newClient(t, srv)
	a.signInCoordinator(t, c, "ines@example.org", survey.Europe)
	ctx := context.Background()

	form := url.Values{"name": {"Bibliothèque municipale de Lyon"}, "city": {"Lyon"}, "country": {"FR"},
		"contact0_name": {"Claire"}, "contact0_email": {"claire@bm-lyon.example"}}
	if p := c.post("/admin/libraries/"+mine.library, form); p.status != http.StatusSeeOther {
		t.Fatalf("saving their library: %d %s", p.status, p.body)
	}
	if l, _ := a.store.FindLibrary(ctx, mine.library); l.City != "Lyon" {
		t.Errorf("the edit was not stored: %+v", l)
	}
	form.Set("country", "US")
	p := c.post("/admin/libraries/"+mine.library, form)
	if p.status != http.StatusUnprocessableEntity || !strings.Contains(p.body, "You coordinate Europe: the library&#39;s country or region must be in one of them.") {
		t.Errorf("moving their library to the US: %d\n%s", p.status, p.body)
	}
	if l, _ := a.store.FindLibrary(ctx, mine.library); l.Country != "FR" {
		t.Errorf("a refused move changed the library: %+v", l)
	}
	if p := c.post("/admin/libraries/"+theirs.library, url.Values{"name": {"Mine now"}, "country": {"FR"}}); p.status != http.StatusNotFound {
		t.Errorf("saving another region's library: %d, want 404", p.status)
	}
	if l, _ := a.store.FindLibrary(ctx, theirs.library); l.Name != "Toronto Public Library" {
		t.Errorf("another region's library changed: %+v", l)
	}
	p = c.post("/admin/libraries", url.Values{"name": {"Chicago Public Library"}, "country": {"US"}})
	if p.status != http.StatusUnprocessableEntity {
		t.Errorf("creating a library in the US: %d", p.status)
	}
	p = c.post("/admin/libraries", url.Values{"name": {"Biblioteca Regional de Madrid"}, "country": {"ES"}})
	if p.status != http.StatusSeeOther {
		t.Errorf("creating a library in Spain: %d %s", p.status, p.body)
	}
	if got := a.storedNames(t, false, survey.Europe); !slices.Equal(got, []string{"Biblioteca Regional de Madrid", "Bibliothèque municipale de Lyon"}) {
		t.Errorf("Europe's libraries after the coordinator's edits: %q", got)
	}
	// Their library's page offers no merge or delete (admins'), and
	// withdrawing another region's invitation is not found.
	if p := c.get("/admin/libraries/" + mine.library); p.status != 200 || strings.Contains(p.body, "/delete") || strings.Contains(p.body, "/merge") {
		t.Errorf("their library's page: %d, offers delete or merge", p.status)
	}
	if p := c.post("/admin/surveys/landscape/invitations/"+theirs.invitation+"/revoke", nil); p.status != http.StatusNotFound {
		t.Errorf("withdrawing another region's invitation: %d, want 404", p.status)
	}
	if p := c.post("/admin/surveys/landscape/invitations/"+mine.invitation+"/revoke", nil); p.status != http.StatusSeeOther {
		t.Errorf("withdrawing their region's invitation: %d", p.status)
	}
	if inv, _ := a.store.FindInvitation(ctx, theirs.invitation); inv.Revoked {
		t.Error("another region's invitation was withdrawn")
	}
	if inv, _ := a.store.FindInvitation(ctx, mine.invitation); !inv.Revoked {
		t.Error("their region's invitation was not withdrawn")
	}
}

// TestAdminsManageCoordinators creates and changes a coordinator on the
// users page: the regions ticked are stored, a coordinator without one or
// an analyst with one is refused with the reason.
func TestAdminsManageCoordinators(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	srv := a.serve(t)
	admin := newClient(t, srv)
	a.signIn(t, admin, survey.RoleAdmin)
	ctx := context.Background()

	p := admin.post("/admin/users", url.Values{"email": {"ines@example.org"}, "role": {"coordinator"}})
	if p.status != http.StatusUnprocessableEntity || !strings.Contains(p.body, "A coordinator needs at least one region.") {
		t.Errorf("a coordinator without regions: %d", p.status)
	}
	p = admin.post("/admin/users", url.Values{"email": {"ines@example.org"}, "role": {"coordinator"}, "regions": {"north_america", "europe"}})
	if p.status != http.StatusCreated {
		t.Fatalf("creating a coordinator: %d %s", p.status, p.body)
	}
	u, err := a.store.FindUserByEmail(ctx, "ines@example.org")
	if err != nil || u.Role != survey.RoleCoordinator || !slices.Equal(u.Regions, []survey.Region{survey.Europe, survey.NorthAmerica}) {
		t.Fatalf("stored %+v %v, want a coordinator of europe and north_america", u, err)
	}
	// The users page ticks their regions, and says what the role reads:
	// their regions' responses (which TestACoordinatorReadsTheirRegionsResponses
	// opens), none of another region's.
	users := admin.get("/admin/users").body
	if !strings.Contains(users, "reads their regions' responses") || strings.Contains(users, "no responses") {
		t.Errorf("the users page misdescribes the coordinator role:\n%s", users)
	}
	row := regexp.MustCompile(`(?s)action="/admin/users/` + u.ID + `".*?</form>`).FindString(users)
	for _, want := range []string{`<option value="coordinator" selected>`, `value="europe" checked`, `value="north_america" checked`} {
		if !strings.Contains(row, want) {
			t.Errorf("Ines's row lacks %s:\n%s", want, row)
		}
	}
	if strings.Contains(row, `value="asia_oceania" checked`) {
		t.Errorf("Ines's row ticks Asia-Oceania")
	}

	p = admin.post("/admin/users/"+u.ID, url.Values{"role": {"analyst"}, "regions": {"europe"}})
	if p.status != http.StatusSeeOther || !strings.Contains(admin.get(p.location).body, "Only coordinators have regions") {
		t.Errorf("an analyst with a region: %d %s", p.status, p.location)
	}
	if u, _ := a.store.FindUserByEmail(ctx, "ines@example.org"); u.Role != survey.RoleCoordinator {
		t.Errorf("a refused change was stored: %+v", u)
	}
	if p := admin.post("/admin/users/"+u.ID, url.Values{"role": {"coordinator"}, "regions": {"sub_saharan_africa"}}); p.status != http.StatusSeeOther {
		t.Errorf("changing the regions: %d", p.status)
	}
	if u, _ := a.store.FindUserByEmail(ctx, "ines@example.org"); !slices.Equal(u.Regions, []survey.Region{survey.SubSaharanAfrica}) {
		t.Errorf("regions after the change: %q", u.Regions)
	}
	// A coordinator token is refused: tokens have no regions.
	if p := admin.post("/admin/tokens", url.Values{"name": {"regional"}, "role": {"coordinator"}}); p.status != http.StatusUnprocessableEntity {
		t.Errorf("a coordinator token: %d, want 422", p.status)
	}
}

// TestUsersThroughTheAPI creates and changes a coordinator with an admin
// token: the regions come back as stored, bad ones are refused by field.
func TestUsersThroughTheAPI(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	tok := a.token(survey.RoleAdmin)
	call := func(method, path, body string) *httptest.ResponseRecorder {
		return a.do(request{method: method, path: path, body: body, contentType: "application/json", token: tok})
	}
	rec := call(http.MethodPost, "/api/v1/users", `{"email": "ines@example.org", "role": "coordinator", "regions": ["north_america", "europe"]}`)
	var created struct {
		User struct {
			ID      string
			Role    string
			Regions []string
		}
		SetupLink string `json:"setup_link"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &created); err != nil || rec.Code != http.StatusCreated {
		t.Fatalf("create: %d %s", rec.Code, rec.Body)
	}
	if created.User.Role != "coordinator" || !slices.Equal(created.User.Regions, []string{"europe", "north_america"}) || !strings.Contains(created.SetupLink, "/admin/setup?token=") {
		t.Errorf("created %+v", created)
	}
	stored, err := a.store.FindUserByID(context.Background(), created.User.ID)
	if err != nil || !slices.Equal(stored.Regions, []survey.Region{survey.Europe, survey.NorthAmerica}) {
		t.Errorf("stored %+v %v", stored, err)
	}

	rec = call(http.MethodPut, "/api/v1/users/"+created.User.ID, `{"role": "coordinator", "regions": [], "disabled": false}`)
	if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(rec.Body.String(), `{"path":"regions","message":"A coordinator needs at least one region."}`) {
		t.Errorf("a coordinator without regions: %d %s", rec.Code, rec.Body)
	}
	rec = call(http.MethodPut, "/api/v1/users/"+created.User.ID, `{"role": "coordinator", "regions": ["asia_oceania"]}`)
	if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(rec.Body.String(), "disabled is true or false.") {
		t.Errorf("no disabled: %d %s", rec.Code, rec.Body)
	}
	rec = call(http.MethodPut, "/api/v1/users/"+created.User.ID, `{"role": "coordinator", "regions": ["asia_oceania"], "disabled": false}`)
	if rec.Code != http.StatusOK {
		t.Fatalf("update: %d %s", rec.Code, rec.Body)
	}
	rec = call(http.MethodGet, "/api/v1/users", "")
	var list struct {
		Users []struct {
			Email   string
			Regions []string
		}
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &list); err != nil || len(list.Users) != 1 || list.Users[0].Email != "ines@example.org" || !slices.Equal(list.Users[0].Regions, []string{"asia_oceania"}) {
		t.Errorf("list: %s", rec.Body)
	}
}

// TestACoordinatorIsToldOfTheirRegionsDemoLibraries: the directory's and
// the invitations' demo banners count, for a coordinator of Europe, the
// demo libraries of Europe only (two of three), and never need the
// survey's response counts, which a coordinator may not read; an admin's
// directory counts all three.
func TestACoordinatorIsToldOfTheirRegionsDemoLibraries(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	srv := a.serve(t)
	for _, l := range []*survey.Library{
		{Name: "Bibliothèque de Rouen", Country: "FR", Demo: true, Contacts: []survey.Contact{{Name: "Anne", Email: "anne@rouen.example"}}},
		{Name: "Stadtbibliothek Ulm", Country: "DE", Demo: true, Contacts: []survey.Contact{{Name: "Jo", Email: "jo@ulm.example"}}},
		{Name: "Dayton Metro Library", Country: "US", Demo: true, Contacts: []survey.Contact{{Name: "Kim", Email: "kim@dayton.example"}}},
		{Name: "Bibliothèque municipale de Lyon", Country: "FR", Contacts: []survey.Contact{{Name: "Claire", Email: "claire@bm-lyon.example"}}},
	} {
		a.storeInvitedLibrary(t, "landscape", l)
	}
	c := newClient(t, srv)
	a.signInCoordinator(t, c, "ines@example.org", survey.Europe)
	for _, path := range []string{"/admin/libraries", "/admin/surveys/landscape/invitations"} {
		p := c.get(path)
		if p.status != http.StatusOK || !strings.Contains(p.body, "Demo data: 2 libraries of the directory were made up by canvass demo") {
			t.Errorf("%s for Europe's coordinator: %d\n%s", path, p.status, p.body)
		}
	}
	admin := newClient(t, srv)
	a.signIn(t, admin, survey.RoleAdmin)
	if p := admin.get("/admin/libraries"); !strings.Contains(p.body, "Demo data: 3 libraries of the directory were made up by canvass demo") {
		t.Errorf("the admin's directory: %d\n%s", p.status, p.body)
	}
}

// TestACoordinatorInvitesFromTheirLibrarysPage: a coordinator of Europe
// finds the invite form on their library's page, offering the surveys it
// is not invited to; inviting from it stores the invitation for the
// library's consenting contact. Another region's library, typed into the
// form's address, is not found (404), and nothing is invited.
func TestACoordinatorInvitesFromTheirLibrarysPage(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	srv := a.serve(t)
	ctx := context.Background()
	consent := func(name, email string) []survey.Contact {
		return []survey.Contact{{Name: name, Email: email, Consent: true}}
	}
	lyon, _ := a.storeInvitedLibrary(t, "", &survey.Library{Name: "Bibliothèque municipale de Lyon", Country: "FR", Contacts: consent("Claire", "claire@bm-lyon.example")})
	toronto, _ := a.storeInvitedLibrary(t, "", &survey.Library{Name: "Toronto Public Library", Country: "CA", Contacts: consent("Sam", "sam@tpl.example")})
	c := newClient(t, srv)
	a.signInCoordinator(t, c, "ines@example.org", survey.Europe)

	p := c.get("/admin/libraries/" + lyon)
	form := regexp.MustCompile(`(?s)<form method="post" action="/admin/libraries/` + lyon + `/invite".*?</form>`).FindString(p.body)
	if p.status != 200 || !strings.Contains(form, `<option value="landscape">Metropolitan libraries landscape survey (Open)</option>`) {
		t.Fatalf("their library's page (%d) has no invite form offering the landscape survey:\n%s", p.status, p.body)
	}
	p = c.post("/admin/libraries/"+lyon+"/invite", url.Values{"survey": {"landscape"}, "consent": {"skip"}})
	if done, problem := c.flashAfter(p); p.status != http.StatusSeeOther || problem != "" || !strings.HasPrefix(done, "Invited.") {
		t.Errorf("inviting their library: %d, said %q / %q", p.status, done, problem)
	}
	invs, err := a.store.ListInvitations(ctx, "landscape")
	if err != nil {
		t.Fatal(err)
	}
	if len(invs) != 1 || invs[0].LibraryID != lyon || invs[0].Email != "claire@bm-lyon.example" {
		t.Errorf("stored invitations %+v, want one of Lyon to claire@bm-lyon.example", invs)
	}
	// Invited now: the page offers the other survey only.
	if p := c.get("/admin/libraries/" + lyon); strings.Contains(p.body, `<option value="landscape">`) || !strings.Contains(p.body, `<option value="impact-methods">`) {
		t.Errorf("after inviting, the page still offers the landscape survey or no longer the impact survey")
	}

	p = c.post("/admin/libraries/"+toronto+"/invite", url.Values{"survey": {"landscape"}, "consent": {"skip"}})
	if p.status != http.StatusNotFound || strings.Contains(p.body, "Toronto") {
		t.Errorf("inviting another region's library: %d, want 404 naming nothing", p.status)
	}
	if invs, _ := a.store.ListInvitations(ctx, "landscape"); len(invs) != 1 {
		t.Errorf("another region's library was invited: %+v", invs)
	}
	// The email texts are shown, not offered for editing (admins'), and
	// the page says so.
	p = c.get("/admin/surveys/landscape/invitations")
	if strings.Contains(p.body, "Save this text") || !strings.Contains(p.body, "An administrator edits these texts") {
		t.Errorf("the invitations page offers a coordinator to save the email texts, or does not say who edits them")
	}
}

// TestACoordinatorReadsTheirRegionsResponses: a coordinator of Europe and
// Asia-Oceania lists the responses of those regions — invited ones by
// their library's region, anonymous ones by the region they give — as
// pages and through the API, and opens each; the others are neither
// listed nor found (404, the words of an unknown id), whatever the region
// filter asks. A response giving Europe from a North American library's
// link is North America's: neither listed nor opened. Results and
// downloads, which add up every region, stay refused.
func TestACoordinatorReadsTheirRegionsResponses(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	srv := a.serve(t)
	ctx := context.Background()
	lyon, _ := a.storeInvitedLibrary(t, "", &survey.Library{Name: "Bibliothèque municipale de Lyon", Country: "FR"})
	toronto, _ := a.storeInvitedLibrary(t, "", &survey.Library{Name: "Toronto Public Library", Country: "CA"})
	now := time.Now().UTC()
	for i, r := range []*survey.Response{
		{LibraryID: lyon, Country: "FR", Region: survey.Europe},
		{Country: "DE", Region: survey.Europe},
		{Country: "JP", Region: survey.AsiaOceania, Status: survey.ResponseDraft},
		{LibraryID: toronto, Country: "FR", Region: survey.Europe}, // Toronto's link, answering Europe
		{LibraryID: toronto, Country: "CA", Region: survey.NorthAmerica},
		{Country: "US", Region: survey.NorthAmerica},
		{Country: "CL", Region: survey.LatinAmericaCaribbean},
	} {
		r.SurveySlug, r.SurveyVersion, r.SubmissionID, r.Language, r.CreatedAt = "landscape", 1, "coordinator-test-"+strconv.Itoa(i), "en", now.Add(time.Duration(i)*time.Minute)
		if r.Status == "" {
			r.Status, r.SubmittedAt = survey.ResponseSubmitted, &r.CreatedAt
		}
		if _, _, err := a.store.CreateResponse(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	// What they should see, from the store: the responses of their
	// regions, an invited one by its library's region in the directory.
	all, _, err := a.store.ListResponses(ctx, survey.ResponseFilter{SurveySlug: "landscape"})
	if err != nil {
		t.Fatal(err)
	}
	var mine, others []string
	for _, r := range all {
		region := r.Region
		if r.LibraryID != "" {
			l, err := a.store.FindLibrary(ctx, r.LibraryID)
			if err != nil {
				t.Fatal(err)
			}
			region = l.Region
		}
		if region == survey.Europe || region == survey.AsiaOceania {
			mine = append(mine, r.ID)
		} else {
			others = append(others, r.ID)
		}
	}
	sort.Strings(mine)
	if len(mine) != 3 || len(others) != 4 {
		t.Fatalf("the store holds %d responses of theirs and %d of others; the test means 3 and 4", len(mine), len(others))
	}
	c := newClient(t, srv)
	a.signInCoordinator(t, c, "ines@example.org", survey.Europe, survey.AsiaOceania)

	rowLink := regexp.MustCompile(`<a href="/admin/responses/([0-9a-f]{24})">`)
	listed := func(body string) []string {
		var ids []string
		for _, m := range rowLink.FindAllStringSubmatch(body, -1) {
			ids = append(ids, m[1])
		}
		sort.Strings(ids)
		return ids
	}
	p := c.get("/admin/surveys/landscape/responses")
	if got := listed(p.body); p.status != 200 || !slices.Equal(got, mine) || !strings.Contains(p.body, "<p>3 responses, page 1.") {
		t.Errorf("their responses page (%d) lists %q, want %q:\n%s", p.status, got, mine, p.body)
	}
	if strings.Contains(p.body, "Toronto") || strings.Contains(p.body, "/export.") || strings.Contains(p.body, `value="north_america"`) || !strings.Contains(p.body, `<a href="/admin/libraries/`+lyon+`">Bibliothèque municipale de Lyon</a>`) {
		t.Errorf("their responses page names Toronto, offers downloads or other regions, or does not name Lyon")
	}
	for _, q := range []string{"region=north_america", "region=latin_america_caribbean&status=submitted"} {
		if p := c.get("/admin/surveys/landscape/responses?" + q); p.status != 200 || len(listed(p.body)) != 0 || !strings.Contains(p.body, "<p>0 responses.") {
			t.Errorf("?%s lists %q", q, listed(p.body))
		}
	}
	if p := c.get("/admin/surveys/landscape/responses?region=asia_oceania"); len(listed(p.body)) != 1 {
		t.Errorf("their Asia-Oceania responses: %q", listed(p.body))
	}
	for _, id := range mine {
		if p := c.get("/admin/responses/" + id); p.status != 200 || strings.Contains(p.body, "Toronto") {
			t.Errorf("their response %s: %d, or it names Toronto", id, p.status)
		}
	}
	for _, id := range others {
		// Not found, in the working group's page with its menu and a way
		// back, not a stranded public error page.
		if p := c.get("/admin/responses/" + id); p.status != http.StatusNotFound || !strings.Contains(p.body, `There is no response &#34;`+id+`&#34;.`) ||
			!strings.Contains(p.body, `<a href="/admin/libraries">Libraries</a>`) || !strings.Contains(p.body, `<a href="/admin">Back to your dashboard</a>`) {
			t.Errorf("another region's response %s: %d, want 404 in the admin layout:\n%s", id, p.status, p.body)
		}
		res := c.get("/api/v1/responses/" + id)
		want := `{"error":{"code":"not_found","message":"There is no response \"` + id + `\"."}}`
		if res.status != http.StatusNotFound || res.body != want {
			t.Errorf("another region's response through the API: %d %s, want 404 %s", res.status, res.body, want)
		}
	}

	var api struct {
		Responses []struct{ ID string }
		Total     int
	}
	res := c.get("/api/v1/surveys/landscape/responses?per_page=500")
	if err := json.Unmarshal([]byte(res.body), &api); err != nil {
		t.Fatal(res.status, err, res.body)
	}
	var apiIDs []string
	for _, r := range api.Responses {
		apiIDs = append(apiIDs, r.ID)
	}
	sort.Strings(apiIDs)
	if !slices.Equal(apiIDs, mine) || api.Total != len(mine) {
		t.Errorf("the API lists %q (total %d), want %q", apiIDs, api.Total, mine)
	}
	if res := c.get("/api/v1/surveys/landscape/responses?region=north_america"); !strings.Contains(res.body, `"total":0`) {
		t.Errorf("the API with region=north_america: %s", res.body)
	}
	for _, path := range []string{"/api/v1/surveys/landscape/export.csv", "/api/v1/surveys/landscape/export.xlsx", "/api/v1/surveys/landscape/analysis", "/admin/surveys/landscape/results", "/admin/surveys/landscape"} {
		if res := c.get(path); res.status != http.StatusForbidden {
			t.Errorf("%s: %d, want 403", path, res.status)
		}
	}
	// Their dashboard counts their regions' submitted responses (2: the
	// Asia-Oceania one is a draft) and links to the list.
	if p := c.get("/admin"); !strings.Contains(p.body, `<br><a href="/admin/surveys/landscape/responses">2 responses</a> from your regions</td>`) {
		t.Errorf("the dashboard does not link to their 2 submitted responses:\n%s", p.body)
	}
}

// TestAnInvitedResponseIsItsLibrarysRegions: the respondents of an
// Asia-Oceania and a Latin American library, through their invitations,
// tick Spain and Europe. Europe's coordinator neither lists, counts nor
// opens them (pages and API: 404, the words of an unknown id); Asia-
// Oceania's lists and opens Singapore's. Once Singapore's library moves to
// Europe in the directory, its response is Europe's and no longer theirs.
func TestAnInvitedResponseIsItsLibrarysRegions(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	srv := a.serve(t)
	ctx := context.Background()
	singapore, singaporeInv := a.storeInvitedLibrary(t, "landscape", &survey.Library{Name: "National Library Board Singapore", Country: "SG", Contacts: []survey.Contact{{Name: "Mei", Email: "mei@nlb.example", Consent: true}}})
	santiago, santiagoInv := a.storeInvitedLibrary(t, "landscape", &survey.Library{Name: "Biblioteca de Santiago", Country: "CL", Contacts: []survey.Contact{{Name: "Ana", Email: "ana@bs.example", Consent: true}}})
	now := time.Now().UTC()
	ids := map[string]string{}
	for name, r := range map[string]*survey.Response{
		"singapore": {LibraryID: singapore, InvitationID: singaporeInv},
		"santiago":  {LibraryID: santiago, InvitationID: santiagoInv},
	} {
		r.SurveySlug, r.SurveyVersion, r.SubmissionID, r.Language, r.Country, r.Region = "landscape", 1, "ticked-"+name, "en", "ES", survey.Europe
		r.Status, r.CreatedAt, r.SubmittedAt = survey.ResponseSubmitted, now, &now
		stored, _, err := a.store.CreateResponse(ctx, r)
		if err != nil {
			t.Fatal(err)
		}
		ids[name] = stored.ID
	}
	europe, asia := newClient(t, srv), newClient(t, srv)
	a.signInCoordinator(t, europe, "eu@section.example", survey.Europe)
	a.signInCoordinator(t, asia, "ao@section.example", survey.AsiaOceania)

	rowLink := regexp.MustCompile(`<a href="/admin/responses/([0-9a-f]{24})">`)
	sees := func(who string, c *client, want ...string) {
		t.Helper()
		var wantIDs []string
		for _, n := range want {
			wantIDs = append(wantIDs, ids[n])
		}
		sort.Strings(wantIDs)
		p := c.get("/admin/surveys/landscape/responses")
		var listed []string
		for _, m := range rowLink.FindAllStringSubmatch(p.body, -1) {
			listed = append(listed, m[1])
		}
		sort.Strings(listed)
		if p.status != 200 || !slices.Equal(listed, wantIDs) || strings.Contains(p.body, "not in your regions") {
			t.Errorf("%s's responses page (%d) lists %q, want %q", who, p.status, listed, wantIDs)
		}
		var api struct {
			Responses []struct{ ID string }
			Total     int
		}
		res := c.get("/api/v1/surveys/landscape/responses")
		if err := json.Unmarshal([]byte(res.body), &api); err != nil {
			t.Fatal(res.status, err, res.body)
		}
		var apiIDs []string
		for _, r := range api.Responses {
			apiIDs = append(apiIDs, r.ID)
		}
		sort.Strings(apiIDs)
		if !slices.Equal(apiIDs, wantIDs) || api.Total != len(want) {
			t.Errorf("%s's API lists %q (total %d), want %q", who, apiIDs, api.Total, wantIDs)
		}
		for name, id := range ids {
			page, res := c.get("/admin/responses/"+id), c.get("/api/v1/responses/"+id)
			if slices.Contains(want, name) {
				if page.status != 200 || res.status != 200 {
					t.Errorf("%s opening %s's response: page %d, API %d, want 200", who, name, page.status, res.status)
				}
				continue
			}
			if page.status != http.StatusNotFound || !strings.Contains(page.body, `There is no response &#34;`+id+`&#34;.`) ||
				res.status != http.StatusNotFound || res.body != `{"error":{"code":"not_found","message":"There is no response \"`+id+`\"."}}` {
				t.Errorf("%s opening %s's response: page %d, API %d %s, want 404 as for an unknown id", who, name, page.status, res.status, res.body)
			}
		}
		count := strconv.Itoa(len(want)) + " responses"
		if len(want) == 1 {
			count = "1 response"
		}
		if p := c.get("/admin"); !strings.Contains(p.body, `<a href="/admin/surveys/landscape/responses">`+count+`</a> from your regions</td>`) {
			t.Errorf("%s's dashboard does not count %s", who, count)
		}
	}
	sees("Europe", europe)
	sees("Asia-Oceania", asia, "singapore")

	l, err := a.store.FindLibrary(ctx, singapore)
	if err != nil {
		t.Fatal(err)
	}
	l.Country, l.Region = "FR", ""
	l.Normalize()
	if err := a.store.UpdateLibrary(ctx, l); err != nil || l.Region != survey.Europe {
		t.Fatalf("moving Singapore's library to Europe: %v, region %s", err, l.Region)
	}
	sees("Europe, after the move,", europe, "singapore")
	sees("Asia-Oceania, after the move,", asia)
}

// TestACoordinatorImportsTheirRegionsLibraries: a coordinator of Europe
// imports a file holding rows of Europe and of North America. The dry run
// plans Europe's rows (a new library, one already theirs as a duplicate, a
// faulty row rejected with its reason) and rejects North America's saying
// why, without naming or matching the North American library already in
// the directory; confirming writes Europe's new library only.
func TestACoordinatorImportsTheirRegionsLibraries(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	srv := a.serve(t)
	ctx := context.Background()
	oslo, _ := a.storeInvitedLibrary(t, "", &survey.Library{Name: "Deichman Oslo", City: "Oslo", Country: "NO"})
	toronto, _ := a.storeInvitedLibrary(t, "", &survey.Library{Name: "Toronto Public Library", City: "Toronto", Country: "CA"})
	file := "name,city,country\n" +
		"Bibliothèque municipale de Lyon,Lyon,FR\n" + // line 2: new, Europe
		"Toronto Public Library,Toronto,CA\n" + // line 3: North America's, already in the directory
		"Deichman Oslo,Oslo,NO\n" + // line 4: theirs already
		"Chicago Public Library,Chicago,US\n" + // line 5: North America, new
		"Biblioteca sin país,Nowhere,ZZ\n" // line 6: an unknown country
	c := newClient(t, srv)
	a.signInCoordinator(t, c, "ines@example.org", survey.Europe)
	if p := c.get("/admin/libraries/import"); p.status != 200 || !strings.Contains(p.body, "You import for your regions (Europe)") {
		t.Fatalf("the import page for a coordinator: %d\n%s", p.status, p.body)
	}
	dry := c.uploadFile("/admin/libraries/import", "file", "europe.csv", []byte(file), nil)
	row := regexp.MustCompile(`<tr class="action-(\w+)">\s*<td>(\d+)</td><td>[^<]*</td><td>([^<]*)</td><td>([^<]*)</td>`)
	var got []string
	for _, m := range row.FindAllStringSubmatch(dry.body, -1) {
		got = append(got, m[2]+" "+m[1]+" "+htmlUnescape(m[3])+": "+htmlUnescape(m[4]))
	}
	want := []string{
		"2 create Bibliothèque municipale de Lyon: ",
		"3 reject Toronto Public Library: a library of North America, not of your regions; an administrator imports it",
		"4 duplicate Deichman Oslo: already in the directory; import with merging to add this row's details to it matches Deichman Oslo (" + oslo + ")",
		"5 reject Chicago Public Library: a library of North America, not of your regions; an administrator imports it",
	}
	if dry.status != 200 || len(got) != 5 || strings.Join(got[:4], "|") != strings.Join(want, "|") || !strings.HasPrefix(got[4], "6 reject Biblioteca sin país: ") {
		t.Errorf("the dry run (%d) plans\n%s\nwant\n%s\nand line 6 rejected for its country", dry.status, strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if !strings.Contains(dry.body, "1 to create, 0 to merge, 1 duplicates left out, 3 rejected.") || strings.Contains(dry.body, toronto) {
		t.Errorf("the dry run's counts are wrong, or it names North America's library by id:\n%s", dry.body)
	}
	carried := regexp.MustCompile(`name="data" value="([^"]+)"`).FindStringSubmatch(dry.body)
	if carried == nil {
		t.Fatalf("no confirmation form:\n%s", dry.body)
	}
	done := c.post("/admin/libraries/import", url.Values{"data": {htmlUnescape(carried[1])}, "filename": {"europe.csv"}, "confirm": {"yes"}})
	if done.status != 200 || !strings.Contains(done.body, "Imported: 1 library created, 0 merged") {
		t.Errorf("confirming: %d\n%s", done.status, done.body)
	}
	if got := a.storedNames(t, false, survey.Europe, survey.NorthAmerica); !slices.Equal(got, []string{"Bibliothèque municipale de Lyon", "Deichman Oslo", "Toronto Public Library"}) {
		t.Errorf("the directory after the import: %q", got)
	}
	if all, total, _ := a.store.ListLibraries(ctx, survey.LibraryFilter{}); total != 3 {
		t.Errorf("%d libraries stored, want 3: %v", total, all)
	}
}
