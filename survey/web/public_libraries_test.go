package web_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/metlib/canvass/survey"
)

type libraryBody struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	Country  string `json:"country"`
	Region   string `json:"region"`
	Contacts []struct {
		Email     string  `json:"email"`
		ConsentAt *string `json:"consent_at"`
	} `json:"contacts"`
}

func TestLibrariesAPI(t *testing.T) {
	a := newApp(t)
	admin, analyst := a.token(survey.RoleAdmin), a.token(survey.RoleAnalyst)
	body := `{"name": " Toronto  Public Library ", "city": "Toronto", "country": "ca", "type": "city_system", "member": true, "public_profile": true,
	  "website": "torontopubliclibrary.ca", "contacts": [{"name": "Vickery", "email": "CEO@tpl.ca", "language": "en", "consent": true}]}`
	rec := a.do(request{method: http.MethodPost, path: "/api/v1/libraries", token: admin, body: body, contentType: "application/json"})
	if rec.Code != 201 {
		t.Fatalf("create: %d %s", rec.Code, rec.Body)
	}
	lib := decode[libraryBody](t, rec)
	if lib.Name != "Toronto Public Library" || lib.Country != "CA" || lib.Region != "north_america" || lib.Contacts[0].Email != "ceo@tpl.ca" || lib.Contacts[0].ConsentAt == nil {
		t.Errorf("created %+v", lib)
	}
	bad := a.do(request{method: http.MethodPost, path: "/api/v1/libraries", token: admin, body: `{"name": "", "country": "XX", "contacts": [{"email": "x"}]}`, contentType: "application/json"})
	if e := decode[errorResponse](t, bad); bad.Code != 422 || len(e.Error.Fields) != 3 {
		t.Errorf("invalid library: %d %+v", bad.Code, e)
	}
	if rec := a.do(request{method: http.MethodPost, path: "/api/v1/libraries", token: analyst, body: body, contentType: "application/json"}); rec.Code != 403 {
		t.Errorf("analyst create: %d", rec.Code)
	}
	upd := strings.Replace(body, `"city": "Toronto"`, `"city": "Toronto, ON"`, 1)
	if rec := a.do(request{method: http.MethodPut, path: "/api/v1/libraries/" + lib.ID, token: admin, body: upd, contentType: "application/json"}); rec.Code != 200 || !strings.Contains(rec.Body.String(), `"city":"Toronto, ON"`) {
		t.Errorf("update: %d %s", rec.Code, rec.Body)
	}

	// Import: a dry run writes nothing; confirm writes the planned rows.
	csvData, _ := os.ReadFile("testdata/libraries-mixed.csv")
	rec = a.do(request{method: http.MethodPost, path: "/api/v1/libraries/import", token: admin, body: string(csvData), contentType: "text/csv"})
	var result struct {
		Plan struct {
			Counts map[string]int `json:"counts"`
			Rows   []struct {
				Line    int      `json:"line"`
				Action  string   `json:"action"`
				Reasons []string `json:"reasons"`
			} `json:"rows"`
		} `json:"plan"`
		Applied bool `json:"applied"`
		Created int  `json:"created"`
	}
	_ = json.Unmarshal(rec.Body.Bytes(), &result)
	if rec.Code != 200 || result.Applied || result.Plan.Counts["create"] != 6 || result.Plan.Counts["duplicate"] != 3 || result.Plan.Counts["reject"] != 3 {
		t.Fatalf("dry run: %d %+v", rec.Code, result.Plan.Counts)
	}
	list := decode[struct{ Total int }](t, a.do(request{path: "/api/v1/libraries", token: analyst}))
	if list.Total != 1 {
		t.Fatalf("a dry run stored libraries: %d", list.Total)
	}
	rec = a.do(request{method: http.MethodPost, path: "/api/v1/libraries/import?confirm=true", token: admin, body: string(csvData), contentType: "text/csv"})
	_ = json.Unmarshal(rec.Body.Bytes(), &result)
	if !result.Applied || result.Created != 6 {
		t.Errorf("confirmed import: %+v", result)
	}
	list = decode[struct{ Total int }](t, a.do(request{path: "/api/v1/libraries?region=europe", token: analyst}))
	if list.Total != 3 { // Lyon, Moscow, Athens
		t.Errorf("European libraries: %d", list.Total)
	}

	// Export, and the public list: only opted-in libraries, never contacts.
	rec = a.do(request{path: "/api/v1/libraries/export.xlsx", token: analyst})
	f, err := excelize.OpenReader(bytes.NewReader(rec.Body.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := f.GetRows("Libraries")
	if len(rows) != 8 {
		t.Errorf("export rows %d", len(rows))
	}
	rec = a.do(request{path: "/api/v1/public/libraries"})
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), "Toronto Public Library") || strings.Contains(rec.Body.String(), "@") || strings.Contains(rec.Body.String(), "Lyon") {
		t.Errorf("public list: %s", rec.Body)
	}
	if rec.Header().Get("Access-Control-Allow-Origin") != "*" {
		t.Error("public list not open to other origins")
	}
	if rec := a.do(request{method: http.MethodDelete, path: "/api/v1/libraries/" + lib.ID, token: admin}); rec.Code != 204 {
		t.Errorf("delete: %d", rec.Code)
	}
	entries, _, _ := a.store.ListAudit(t.Context(), survey.AuditFilter{Action: "library.import"})
	if len(entries) != 1 || entries[0].Details != "6 created, 0 merged" {
		t.Errorf("audit %+v", entries)
	}
}

func TestPublicLibraryPages(t *testing.T) {
	a := newApp(t)
	admin := a.token(survey.RoleAdmin)
	for _, body := range []string{
		`{"name": "Bibliothèque municipale de Lyon", "city": "Lyon", "country": "FR", "type": "city_system", "public_profile": true, "website": "bm-lyon.fr", "contacts": [{"name": "Anne", "email": "anne@bm-lyon.fr"}]}`,
		`{"name": "Hidden Library", "city": "Oslo", "country": "NO", "public_profile": false}`,
		`{"name": "Biblioteca de Santiago", "city": "Santiago", "country": "CL", "public_profile": true}`,
	} {
		if rec := a.do(request{method: http.MethodPost, path: "/api/v1/libraries", token: admin, body: body, contentType: "application/json"}); rec.Code != 201 {
			t.Fatal(rec.Body)
		}
	}
	page := a.do(request{path: "/libraries?lang=fr"}).Body.String()
	if !strings.Contains(page, "Bibliothèque municipale de Lyon") || !strings.Contains(page, "Lyon, France · Europe") || strings.Contains(page, "Hidden") || strings.Contains(page, "anne@") {
		t.Errorf("public list:\n%s", page)
	}
	if page := a.do(request{path: "/libraries?region=latin_america_caribbean&lang=es"}).Body.String(); !strings.Contains(page, "Biblioteca de Santiago") || strings.Contains(page, "Lyon") {
		t.Error("region filter")
	}
	list := decode[struct {
		Libraries []struct{ ID, Name string }
	}](t, a.do(request{path: "/api/v1/public/libraries?q=lyon"}))
	if len(list.Libraries) != 1 {
		t.Fatalf("public API %+v", list)
	}
	profile := a.do(request{path: "/libraries/" + list.Libraries[0].ID + "?lang=en"})
	if profile.Code != 200 || !strings.Contains(profile.Body.String(), `<a href="https://bm-lyon.fr" rel="nofollow noopener">`) || strings.Contains(profile.Body.String(), "Anne") {
		t.Errorf("profile: %d", profile.Code)
	}
	hidden := decode[struct {
		Libraries []struct{ ID string }
	}](t, a.do(request{path: "/api/v1/libraries?q=hidden", token: admin}))
	if rec := a.do(request{path: "/libraries/" + hidden.Libraries[0].ID}); rec.Code != 404 {
		t.Errorf("a library without a public profile: %d", rec.Code)
	}
}

func TestMergeAndPersonalData(t *testing.T) {
	a := newApp(t)
	admin := a.token(survey.RoleAdmin)
	create := func(body string) string {
		rec := a.do(request{method: http.MethodPost, path: "/api/v1/libraries", token: admin, body: body, contentType: "application/json"})
		if rec.Code != 201 {
			t.Fatal(rec.Body)
		}
		return decode[libraryBody](t, rec).ID
	}
	lyon := create(`{"name": "Bibliothèque municipale de Lyon", "country": "FR", "contacts": [{"name": "Anne", "email": "anne@bm-lyon.fr", "consent": true}]}`)
	dup := create(`{"name": "BM Lyon", "city": "Lyon", "country": "FR", "website": "bm-lyon.fr", "contacts": [{"name": "Paul", "email": "paul@bm-lyon.fr"}, {"name": "Anne", "email": "anne@bm-lyon.fr"}]}`)
	other := create(`{"name": "Médiathèque de Villeurbanne", "country": "FR", "contacts": [{"name": "Anne", "email": "anne@bm-lyon.fr", "consent": true}]}`)

	rec := a.do(request{method: http.MethodPost, path: "/api/v1/libraries/" + lyon + "/merge", token: admin, body: `{"from": "` + dup + `"}`, contentType: "application/json"})
	merged := decode[libraryBody](t, rec)
	if rec.Code != 200 || len(merged.Contacts) != 2 || !strings.Contains(rec.Body.String(), `"city":"Lyon"`) || !strings.Contains(rec.Body.String(), `"website":"https://bm-lyon.fr"`) {
		t.Errorf("merge: %d %s", rec.Code, rec.Body)
	}
	if rec := a.do(request{path: "/api/v1/libraries/" + dup, token: admin}); rec.Code != 404 {
		t.Errorf("the duplicate remains: %d", rec.Code)
	}
	if rec := a.do(request{method: http.MethodPost, path: "/api/v1/libraries/" + lyon + "/merge", token: admin, body: `{"from": "` + lyon + `"}`, contentType: "application/json"}); rec.Code != 422 {
		t.Errorf("merge into itself: %d", rec.Code)
	}

	// Villeurbanne is invited to a survey through Anne (who consented there).
	if rec := a.do(request{method: http.MethodPost, path: "/api/v1/surveys/every-type/invitations", token: admin, body: `{"library_ids": ["` + other + `"]}`, contentType: "application/json"}); rec.Code != 201 {
		t.Fatalf("invite: %d %s", rec.Code, rec.Body)
	}
	rec = a.do(request{path: "/api/v1/contacts/export?email=Anne@BM-Lyon.fr", token: admin})
	var export struct {
		Email     string
		Directory []struct {
			LibraryName string `json:"library_name"`
		}
		Invitations []struct{ Survey, Name string }
	}
	_ = json.Unmarshal(rec.Body.Bytes(), &export)
	if rec.Code != 200 || export.Email != "anne@bm-lyon.fr" || len(export.Directory) != 2 || !strings.Contains(rec.Header().Get("Content-Disposition"), "attachment") ||
		len(export.Invitations) != 1 || export.Invitations[0].Survey != "every-type" || export.Invitations[0].Name != "Anne" {
		t.Errorf("export: %d %s", rec.Code, rec.Body)
	}
	rec = a.do(request{method: http.MethodPost, path: "/api/v1/contacts/erase?email=anne@bm-lyon.fr", token: admin})
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), `"erased_from":2`) || !strings.Contains(rec.Body.String(), `"invitations_cleared":1`) {
		t.Errorf("erase: %d %s", rec.Code, rec.Body)
	}
	invs, _ := a.store.ListInvitations(t.Context(), "every-type")
	if len(invs) != 1 || invs[0].Email != "" || invs[0].Name != "" || !invs[0].Revoked {
		t.Errorf("the invitation keeps the contact: %+v", invs)
	}
	for _, id := range []string{lyon, other} {
		if body := a.do(request{path: "/api/v1/libraries/" + id, token: admin}).Body.String(); strings.Contains(body, "anne@") {
			t.Errorf("contact not erased from %s: %s", id, body)
		}
	}
	entries, _, _ := a.store.ListAudit(t.Context(), survey.AuditFilter{Action: "contact.erase"})
	if len(entries) != 1 || strings.Contains(entries[0].Target, "anne") || !strings.HasPrefix(entries[0].Target, "contact:sha256:") {
		t.Errorf("audit keeps %+v", entries)
	}
	if rec := a.do(request{path: "/api/v1/contacts/export?email=nope", token: admin}); rec.Code != 400 {
		t.Errorf("bad email: %d", rec.Code)
	}
}
