package web_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/metlib/canvass/survey"
)

// TestReportPage reads the reports through the router: every link that
// leads to no report gets the same 404 page (before the release, a wrong
// token, no token, another survey, a library that did not submit, after
// the withdrawal), each library's link its own report once released, the
// downloads read back by pdftotext and openpyxl; only admins release, and
// the working group's forms need the CSRF token.
func TestReportPage(t *testing.T) {
	a := newApp(t)
	f := a.seedReports(t, 60)
	admin, analyst := a.token(survey.RoleAdmin), a.token(survey.RoleAnalyst)
	// Two libraries, one named in letters beyond Latin-1 where the demo
	// has one ("Kōwhai", "Büyükşehir"): the PDF's embedded fonts write
	// them as they are, and the read-back checks the name.
	var ids []string
	for id := range f.tokens {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	first, second := ids[0], ids[1]
	for _, id := range ids {
		if !latin1(f.byID[id].Name) {
			first = id
			break
		}
	}
	for _, id := range ids {
		if id != first {
			second = id
			break
		}
	}
	// A library invited that never answered.
	silent := ""
	for _, l := range f.libraries {
		if _, ok := f.tokens[l.ID]; !ok {
			silent = l.ID
			break
		}
	}
	inv := &survey.Invitation{SurveySlug: "impact-methods", LibraryID: silent, Email: "silent@example.org", Language: "en",
		TokenHashes: []string{survey.HashSecret("silent-token-0123456789abcdef")}, Status: survey.InvitationSent}
	if err := a.store.CreateInvitation(t.Context(), inv); err != nil {
		t.Fatal(err)
	}

	none := func(when string) string {
		t.Helper()
		var body string
		for _, path := range []string{
			"/s/impact-methods/report?t=" + f.tokens[first] + "&lang=fr",
			"/s/impact-methods/report?t=not-a-token&lang=fr",
			"/s/impact-methods/report?lang=fr",
			"/s/landscape/report?t=" + f.tokens[first] + "&lang=fr",
			"/s/no-such-survey/report?t=" + f.tokens[first] + "&lang=fr",
			"/s/impact-methods/report?t=silent-token-0123456789abcdef&lang=fr",
			"/s/impact-methods/report.pdf?t=not-a-token&lang=fr",
			"/s/impact-methods/report.xlsx?t=" + f.tokens[first] + "&lang=fr&x=1",
		} {
			if when == "released" && strings.HasPrefix(path, "/s/impact-methods/") && strings.Contains(path, f.tokens[first]) {
				continue // it leads to the report
			}
			rec := a.do(request{path: path})
			if rec.Code != http.StatusNotFound {
				t.Errorf("%s %s: %d, want 404", when, path, rec.Code)
			}
			if body == "" {
				body = rec.Body.String()
			} else if rec.Body.String() != body {
				t.Errorf("%s %s: a page of its own, want the same page for every link that leads to no report:\n%s\n---\n%s", when, path, rec.Body, body)
			}
		}
		if !strings.Contains(body, "Pas de rapport à ce lien") || strings.Contains(body, "report-token") {
			t.Errorf("%s: the no-report page is not in French or echoes a token:\n%s", when, body)
		}
		return body
	}
	before := none("before the release")

	if rec := a.do(request{method: http.MethodPost, path: "/api/v1/surveys/impact-methods/reports/release", token: analyst}); rec.Code != http.StatusForbidden {
		t.Errorf("release by an analyst: %d, want 403", rec.Code)
	}
	if rec := a.do(request{method: http.MethodPost, path: "/api/v1/surveys/impact-methods/reports/release", token: admin}); rec.Code != http.StatusConflict {
		t.Errorf("release while the survey is open: %d, want 409", rec.Code)
	}
	a.closeSurvey(t, "impact-methods")
	rec := a.do(request{method: http.MethodPost, path: "/api/v1/surveys/impact-methods/reports/release", token: admin})
	if rec.Code != http.StatusOK {
		t.Fatalf("release: %d %s", rec.Code, rec.Body)
	}
	if rel := decode[survey.ReportRelease](t, rec); !rel.Released() {
		t.Fatalf("release: %+v", rel)
	}
	if after := none("released"); after != before {
		t.Errorf("the no-report page changed with the release")
	}

	for _, id := range []string{first, second} {
		rec := a.do(request{path: "/s/impact-methods/report?t=" + f.tokens[id] + "&lang=es"})
		if rec.Code != http.StatusOK {
			t.Fatalf("%s's report: %d %s", id, rec.Code, rec.Body)
		}
		body := rec.Body.String()
		if !strings.Contains(body, `data-library="`+id+`"`) || !strings.Contains(body, htmlEscape(f.byID[id].Name)) || !strings.Contains(body, "Cómo nos comparamos") {
			t.Errorf("%s's link: not its report in Spanish", id)
		}
		for _, other := range []string{first, second} {
			if other != id && strings.Contains(body, htmlEscape(f.byID[other].Name)) {
				t.Errorf("%s's report names %s", id, f.byID[other].Name)
			}
		}
		if rec.Header().Get("Referrer-Policy") != "no-referrer" || rec.Header().Get("Cache-Control") != "no-store" {
			t.Errorf("report page headers %v: want no-referrer and no-store", rec.Header())
		}
	}

	// The downloads, read back by independent readers.
	pdf := a.do(request{path: "/s/impact-methods/report.pdf?t=" + f.tokens[first] + "&lang=fr"})
	if pdf.Code != http.StatusOK || pdf.Header().Get("Content-Type") != "application/pdf" {
		t.Fatalf("pdf: %d %s", pdf.Code, pdf.Header())
	}
	dir := t.TempDir()
	pdfPath := filepath.Join(dir, "r.pdf")
	if err := os.WriteFile(pdfPath, pdf.Body.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := exec.LookPath("pdftotext"); err == nil {
		out, err := exec.Command("pdftotext", "-layout", pdfPath, "-").Output()
		if err != nil {
			t.Fatal(err)
		}
		if text := strings.Join(strings.Fields(string(out)), " "); !strings.Contains(text, strings.Join(strings.Fields(f.byID[first].Name), " ")) {
			t.Errorf("the PDF does not name its library %q:\n%.600s", f.byID[first].Name, text)
		}
	} else if os.Getenv("CI") != "" {
		t.Fatal("pdftotext is not installed; .ci/run installs poppler-utils")
	}
	xlsx := a.do(request{path: "/s/impact-methods/report.xlsx?t=" + f.tokens[first] + "&lang=fr"})
	if xlsx.Code != http.StatusOK || !strings.Contains(xlsx.Header().Get("Content-Disposition"), ".xlsx") {
		t.Fatalf("xlsx: %d %s", xlsx.Code, xlsx.Header())
	}
	python := openpyxl(t)
	xlsxPath := filepath.Join(dir, "r.xlsx")
	if err := os.WriteFile(xlsxPath, xlsx.Body.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(python, "-c", `import json, sys, openpyxl
ws = openpyxl.load_workbook(sys.argv[1]).worksheets[0]
print(json.dumps([str(c.value) for row in ws.iter_rows() for c in row if c.value is not None]))`, xlsxPath).Output()
	if err != nil {
		t.Fatal(err)
	}
	var cells []string
	if err := json.Unmarshal(out, &cells); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(strings.Join(cells, "\n"), f.byID[first].Name) {
		t.Errorf("the workbook does not name its library %q", f.byID[first].Name)
	}

	// The working group: the list and a preview over the API.
	rec = a.do(request{path: "/api/v1/surveys/impact-methods/reports", token: analyst})
	if rec.Code != http.StatusOK {
		t.Fatalf("list: %d %s", rec.Code, rec.Body)
	}
	var list struct {
		Release   survey.ReportRelease `json:"release"`
		Libraries []struct {
			LibraryID string `json:"library_id"`
		} `json:"libraries"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &list); err != nil || !list.Release.Released() || len(list.Libraries) != len(f.tokens) {
		t.Errorf("list: %d libraries, released %v (%v); want %d, released", len(list.Libraries), list.Release.Released(), err, len(f.tokens))
	}
	rec = a.do(request{path: "/api/v1/surveys/impact-methods/reports/" + second + "?lang=fr", token: analyst})
	if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), `"library_id":"`+second+`"`) {
		t.Errorf("API preview: %d %.300s", rec.Code, rec.Body)
	}
	if rec := a.do(request{path: "/api/v1/surveys/impact-methods/reports/" + silent, token: analyst}); rec.Code != http.StatusNotFound {
		t.Errorf("API preview of a library that did not submit: %d, want 404", rec.Code)
	}
	if rec := a.do(request{path: "/api/v1/surveys/impact-methods/reports/" + second + ".pdf", token: analyst}); rec.Code != http.StatusOK || rec.Header().Get("Content-Type") != "application/pdf" {
		t.Errorf("API preview as PDF: %d %s", rec.Code, rec.Header())
	}
	if rec := a.do(request{path: "/api/v1/surveys/impact-methods/reports"}); rec.Code != http.StatusUnauthorized {
		t.Errorf("list without a token: %d, want 401", rec.Code)
	}

	// The pages: the form links to the report; the admin's forms need CSRF.
	srv := a.serve(t)
	c := newClient(t, srv)
	a.signIn(t, c, survey.RoleAdmin)
	p := c.get("/admin/surveys/impact-methods/reports")
	if p.status != http.StatusOK || !strings.Contains(p.body, "data-released") || strings.Count(p.body, "data-preview=\"en\"") != len(f.tokens) {
		t.Errorf("reports page: %d, %d previews, want %d", p.status, strings.Count(p.body, "data-preview=\"en\""), len(f.tokens))
	}
	// Whom "Send" reaches: every mailable library before any is told,
	// none after the mail-merge file told them all.
	untold := regexp.MustCompile(`data-untold>[^:]*: (\d+) not told since the release, of the (\d+)`)
	if m := untold.FindStringSubmatch(p.body); m == nil || m[1] != m[2] || m[1] == "0" {
		t.Errorf("reports page before any email: %v, want every mailable library untold", m)
	}
	if rec := a.do(request{method: http.MethodPost, path: "/api/v1/surveys/impact-methods/reports/mailmerge.csv", token: admin}); rec.Code != http.StatusOK {
		t.Fatalf("mail-merge file: %d %s", rec.Code, rec.Body)
	}
	p = c.get("/admin/surveys/impact-methods/reports")
	if m := untold.FindStringSubmatch(p.body); m == nil || m[1] != "0" || m[2] == "0" {
		t.Errorf("reports page after the mail-merge file told them all: %v, want 0 untold", m)
	}
	if !strings.Contains(p.body, `aria-describedby="bands-hint"`) || !strings.Contains(p.body, `id="bands-hint">For example: 100000 400000 1000000`) {
		t.Errorf("the band edges field has no example tied to it")
	}
	if !strings.Contains(p.body, "data-frozen-note") {
		t.Errorf("the released reports page does not say a peer-group change waits for a new release")
	}
	p = c.get("/admin/surveys/impact-methods/reports/" + second + "?lang=fr")
	if p.status != http.StatusOK || !strings.Contains(p.body, "data-preview") || !strings.Contains(p.body, "Comment nous nous situons") {
		t.Errorf("preview page: %d", p.status)
	}
	if p := c.get("/admin/surveys/impact-methods/reports/" + second + ".xlsx?lang=es"); p.status != http.StatusOK || !strings.Contains(p.header.Get("Content-Disposition"), "-es.xlsx") {
		t.Errorf("preview download: %d %s", p.status, p.header.Get("Content-Disposition"))
	}
	// The closed survey's page behind the library's link links to its report.
	form := c.get("/s/impact-methods?t=" + f.tokens[first] + "&lang=fr")
	if !strings.Contains(form.body, "/s/impact-methods/report?lang=fr&amp;t="+f.tokens[first]) {
		t.Errorf("the closed survey's page behind the personal link does not link to the report:\n%.2000s", form.body)
	}
	if p := c.post("/admin/surveys/impact-methods/reports/withdraw", url.Values{"csrf_token": {"forged"}}); p.status != http.StatusForbidden {
		t.Errorf("withdraw with a forged CSRF token: %d, want 403", p.status)
	}
	c.get("/admin/surveys/impact-methods")
	if p := c.post("/admin/surveys/impact-methods/reports/withdraw", nil); p.status != http.StatusSeeOther {
		t.Errorf("withdraw: %d %s", p.status, p.body)
	}
	if after := none("withdrawn"); after != before {
		t.Errorf("the no-report page changed with the withdrawal")
	}
	if form := c.get("/s/impact-methods?t=" + f.tokens[first] + "&lang=fr"); strings.Contains(form.body, "/report?") {
		t.Errorf("the form links to a withdrawn report")
	}
}

// TestBenchmarkForm changes the peer groups from the admin page: a new
// version; bands that are not numbers refused with what to write.
func TestBenchmarkForm(t *testing.T) {
	a := newApp(t)
	srv := a.serve(t)
	c := newClient(t, srv)
	a.signIn(t, c, survey.RoleAdmin)
	before, _ := a.store.FindSurvey(t.Context(), "impact-methods")
	c.get("/admin/surveys/impact-methods/reports")
	p := c.post("/admin/surveys/impact-methods/reports/benchmark", url.Values{"group_region": {"1"}, "group_population": {"1"}, "bands": {"250000 2000000"}})
	if p.status != http.StatusSeeOther {
		t.Fatalf("save: %d %s", p.status, p.body)
	}
	after, _ := a.store.FindSurvey(t.Context(), "impact-methods")
	if after.Version != before.Version+1 || len(after.Benchmark.Groups) != 2 || after.Benchmark.PopulationBands[1] != 2000000 || after.Benchmark.Population != "population_served" {
		t.Errorf("after: version %d (was %d), %+v", after.Version, before.Version, after.Benchmark)
	}
	page := c.get(p.location)
	if !strings.Contains(page.body, `name="group_region" value="1" checked`) || strings.Contains(page.body, `name="group_type" value="1" checked`) || !strings.Contains(page.body, `value="250000 2000000"`) {
		t.Errorf("the editor does not show the saved groups")
	}
	p = c.post("/admin/surveys/impact-methods/reports/benchmark", url.Values{"group_region": {"1"}, "bands": {"1,000,000"}})
	page = c.get(p.location)
	if !strings.Contains(page.body, "digits only") {
		t.Errorf("bands with commas: no problem shown")
	}
	p = c.post("/admin/surveys/impact-methods/reports/benchmark", url.Values{"bands": {"5000 100"}})
	page = c.get(p.location)
	if again, _ := a.store.FindSurvey(t.Context(), "impact-methods"); again.Version != after.Version || !strings.Contains(page.body, "flash-error") {
		t.Errorf("decreasing bands: version %d (want %d kept), problem shown %v", again.Version, after.Version, strings.Contains(page.body, "flash-error"))
	}
}

func latin1(s string) bool {
	for _, r := range s {
		if r > 0xff {
			return false
		}
	}
	return true
}

func htmlEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "'", "&#39;", "<", "&lt;", ">", "&gt;", `"`, "&#34;").Replace(s)
}

// TestBenchmarkAPI sets the benchmark block over the API: admins only, a
// new version, a bad block a 422 naming its field.
func TestBenchmarkAPI(t *testing.T) {
	a := newApp(t)
	admin, analyst := a.token(survey.RoleAdmin), a.token(survey.RoleAnalyst)
	before, _ := a.store.FindSurvey(t.Context(), "impact-methods")
	body := `{"groups": ["region", "member"], "population_bands": [300000], "population": "population_served"}`
	if rec := a.do(request{method: http.MethodPut, path: "/api/v1/surveys/impact-methods/benchmark", body: body, contentType: "application/json", token: analyst}); rec.Code != http.StatusForbidden {
		t.Errorf("analyst: %d, want 403", rec.Code)
	}
	rec := a.do(request{method: http.MethodPut, path: "/api/v1/surveys/impact-methods/benchmark", body: body, contentType: "application/json", token: admin})
	if rec.Code != http.StatusOK {
		t.Fatalf("admin: %d %s", rec.Code, rec.Body)
	}
	after, _ := a.store.FindSurvey(t.Context(), "impact-methods")
	if after.Version != before.Version+1 || !after.Benchmark.Has("member") || after.Benchmark.Has("type") {
		t.Errorf("after: version %d (was %d), %+v", after.Version, before.Version, after.Benchmark)
	}
	rec = a.do(request{method: http.MethodPut, path: "/api/v1/surveys/impact-methods/benchmark", body: `{"groups": ["all"]}`, contentType: "application/json", token: admin})
	if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(rec.Body.String(), "benchmark.groups[0]") {
		t.Errorf("a bad block: %d %s", rec.Code, rec.Body)
	}
	if rec := a.do(request{method: http.MethodPut, path: "/api/v1/surveys/impact-methods/benchmark", body: `{"groups": `, contentType: "application/json", token: admin}); rec.Code != http.StatusBadRequest {
		t.Errorf("malformed JSON: %d, want 400", rec.Code)
	}
}

// closeSurvey closes survey slug through the API (reports are read only
// from a closed survey).
func (a *app) closeSurvey(t testing.TB, slug string) {
	t.Helper()
	if rec := a.do(request{method: http.MethodPost, path: "/api/v1/surveys/" + slug + "/close", token: a.token(survey.RoleAdmin)}); rec.Code != http.StatusOK {
		t.Fatalf("close %s: %d %s", slug, rec.Code, rec.Body)
	}
}
