package web_test

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/metlib/canvass/survey"
)

// The campaign of two waves of the built-in landscape survey: 60
// libraries in the directory, all invited to wave 1, 50 answering it; wave
// 2 made from wave 1, everyone from wave 1 invited, 45 of wave 1's
// libraries and 5 new ones answering. Every expected figure below is
// counted from the answers the test itself posts (orgType, budgetBand),
// never by the code under test.

const (
	campaignLibraries = 60
	wave1Answering    = 50 // libraries 0..49
	panelSize         = 45 // libraries 0..44 answer both waves
)

var orgTypes = []string{"city_system", "regional_system", "national_state", "consortium"}

// orgType is library i's type in wave w: in wave 2 every tenth of the
// panel has become a consortium (0, 10, 20, 30, 40).
func orgType(w, i int) string {
	if w == 2 && i < panelSize && i%10 == 0 {
		return "consortium"
	}
	return orgTypes[i%4]
}

// budgetBand is library i's budget in wave w: a very few over 250 million
// (2 in wave 1, 3 in wave 2: under k), the rest in three bands.
func budgetBand(w, i int) string {
	if i < w+1 {
		return "gt_250m"
	}
	return []string{"lt_1m", "1m_5m", "5m_20m"}[i%3]
}

// answersIn reports whether library i answers wave w.
func answersIn(w, i int) bool {
	if w == 1 {
		return i < wave1Answering
	}
	return i < panelSize || i >= wave1Answering && i < wave1Answering+5
}

// counted is how many libraries answering wave w give value for an answer.
func counted(w int, answer func(w, i int) string, value string) (count, base int) {
	for i := range campaignLibraries {
		if answersIn(w, i) {
			base++
			if answer(w, i) == value {
				count++
			}
		}
	}
	return count, base
}

func libraryName(i int) string { return fmt.Sprintf("Bibliothèque %02d", i) }

// twoWaveCampaign runs the campaign through the router and returns the app
// and an admin token. Library 0 answers wave 2 through its form: its staff
// carried from wave 1 (40), the form asks about 40 → 100 in its contact's
// language (French) and takes the explanation.
func twoWaveCampaign(t *testing.T) (*app, string) {
	t.Helper()
	a := newApp(t)
	admin := a.token(survey.RoleAdmin)
	langs := []string{"fr", "en", "es"}
	ids := make([]string, campaignLibraries)
	for i := range ids {
		ids[i] = a.createLibrary(t, admin, fmt.Sprintf(`{"name": %q, "city": "Ville %02d", "country": "FR", "type": "city_system", "population_served": %d,
		  "contacts": [{"name": "Contact %02d", "email": "contact%02d@bib.example", "language": %q, "consent": true}]}`, libraryName(i), i, 100000+i*1000, i, i, langs[i%3]))
	}
	body, _ := json.Marshal(map[string]any{"library_ids": ids})
	if rec := a.do(request{method: http.MethodPost, path: "/api/v1/surveys/landscape/invitations", token: admin, contentType: "application/json", body: string(body)}); rec.Code != 201 {
		t.Fatalf("inviting wave 1: %d %s", rec.Code, rec.Body)
	}
	base := map[string]any{}
	if err := json.Unmarshal([]byte(landscapeAnswers(t, a, "")), &base); err != nil {
		t.Fatal(err)
	}
	answers := func(w, i int) map[string]any {
		m := map[string]any{}
		for k, v := range base {
			m[k] = v
		}
		m["library_name"], m["org_type"], m["budget_band"], m["staff_fte"] = libraryName(i), orgType(w, i), budgetBand(w, i), 40
		return m
	}
	submit := func(slug string, links map[string]string, w, i int) {
		t.Helper()
		body, _ := json.Marshal(map[string]any{"invitation_token": tokenOf(t, links[libraryName(i)]), "language": langs[i%3], "answers": answers(w, i)})
		if rec := a.do(request{method: http.MethodPost, path: "/api/v1/surveys/" + slug + "/responses", contentType: "application/json", body: string(body)}); rec.Code != 201 {
			t.Fatalf("%s, library %d: %d %s", slug, i, rec.Code, rec.Body)
		}
	}
	links1 := mailMergeLinks(t, a, admin, "landscape")
	for i := range campaignLibraries {
		if answersIn(1, i) {
			submit("landscape", links1, 1, i)
		}
	}

	// Wave 2 from wave 1, opened, everyone from wave 1 invited.
	if rec := a.do(request{method: http.MethodPost, path: "/api/v1/surveys/landscape/waves", token: admin, contentType: "application/json", body: `{"slug": "landscape-2026", "wave": "2026"}`}); rec.Code != 201 {
		t.Fatalf("new wave: %d %s", rec.Code, rec.Body)
	}
	if rec := a.do(request{method: http.MethodPost, path: "/api/v1/surveys/landscape-2026/publish", token: admin}); rec.Code != 200 && rec.Code != 204 {
		t.Fatalf("opening wave 2: %d %s", rec.Code, rec.Body)
	}
	rec := a.do(request{method: http.MethodPost, path: "/api/v1/surveys/landscape-2026/invitations", token: admin, contentType: "application/json", body: `{"previous_wave": true}`})
	if got := decode[struct{ Created int }](t, rec); rec.Code != 201 || got.Created != campaignLibraries {
		t.Fatalf("inviting wave 1's libraries: %d %s, want all %d (invited there)", rec.Code, rec.Body, campaignLibraries)
	}
	links2 := mailMergeLinks(t, a, admin, "landscape-2026")

	// Library 0's form, in French: its staff carried, asked about the change.
	link := links2[libraryName(0)]
	fs, page := a.openForm(link)
	if got, _ := inputValue(t, page, "staff_fte"); got != "40" {
		t.Errorf("library 0's wave 2 form opens with staff %q, want 40 carried from wave 1", got)
	}
	if got, _ := inputValue(t, page, "org_type"); got != "" && got != orgType(1, 0) {
		t.Errorf("org_type %q", got)
	}
	wave2, err := a.store.FindSurvey(t.Context(), "landscape-2026")
	if err != nil {
		t.Fatal(err)
	}
	mine := answers(2, 0)
	mine["staff_fte"] = 100
	data, _ := json.Marshal(mine)
	parsed, err := survey.UnmarshalAnswers(data)
	if err != nil {
		t.Fatal(err)
	}
	values := wave2.FormValues(parsed, "fr")
	values.Set("lang", "fr")
	values.Set("t", tokenOf(t, link))
	values.Set("response-revision", "0")
	rec = a.postForm(link, fs, values)
	if rec.Code != http.StatusUnprocessableEntity || !slices.ContainsFunc(byClass(t, rec.Body.String(), "error"), func(e string) bool {
		return strings.HasPrefix(e, "La dernière fois, votre bibliothèque a répondu 40\u202f; 100 est un changement important.")
	}) {
		t.Fatalf("staff 40 → 100 unexplained: %d %q, want the form to ask in French", rec.Code, byClass(t, rec.Body.String(), "error"))
	}
	values.Set("staff_fte_change_note", "Fusion avec le réseau métropolitain.")
	if rec := a.postForm(link, fs, values); rec.Code != http.StatusSeeOther {
		t.Fatalf("explained: %d %q", rec.Code, byClass(t, rec.Body.String(), "error"))
	}
	for i := 1; i < campaignLibraries; i++ {
		if answersIn(2, i) {
			submit("landscape-2026", links2, 2, i)
		}
	}
	return a, admin
}

// mailMergeLinks is each library's personal link to slug, by name.
func mailMergeLinks(t *testing.T, a *app, admin, slug string) map[string]string {
	t.Helper()
	rec := a.do(request{method: http.MethodPost, path: "/api/v1/surveys/" + slug + "/invitations/mailmerge.csv", token: admin})
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(rec.Body.String(), "\uFEFF"))).ReadAll()
	if err != nil || len(rows) != campaignLibraries+1 {
		t.Fatalf("mail merge of %s: %v, %d rows", slug, err, len(rows))
	}
	links := map[string]string{}
	for _, r := range rows[1:] {
		u, err := url.Parse(r[4])
		if err != nil {
			t.Fatal(err)
		}
		links[r[0]] = u.RequestURI()
	}
	return links
}

// TestTwoWaveCampaignEndToEnd: the campaign's trends and paired tests in
// the API, the dashboard's trends page, the white paper's trend sheets
// (read back by openpyxl) and the public results' trends, every figure
// checked against the answers posted; the public trends and the white
// paper's show each wave's own published figures, withheld ones withheld.
func TestTwoWaveCampaignEndToEnd(t *testing.T) {
	a, admin := twoWaveCampaign(t)

	// The API: each wave's counts per option, McNemar over the panel.
	type point struct {
		Offered     bool
		Count, Base int
	}
	trends := decode[struct {
		Waves []struct {
			Slug      string
			Responses int
		}
		Questions []struct {
			ID    string
			Trend *struct {
				Options []struct {
					Value  string
					Points []point
				}
			}
			Panel *struct {
				Options []struct {
					Value         string
					N, B, C, Both int
				}
				Scores *struct {
					N       int
					NonZero int `json:"non_zero"`
				}
			}
		}
	}](t, a.do(request{path: "/api/v1/surveys/landscape-2026/trends", token: admin}))
	if len(trends.Waves) != 2 || trends.Waves[0].Responses != wave1Answering || trends.Waves[1].Responses != panelSize+5 {
		t.Fatalf("waves %+v", trends.Waves)
	}
	seen := 0
	for _, q := range trends.Questions {
		switch q.ID {
		case "org_type":
			seen++
			for _, o := range q.Trend.Options {
				for w := 1; w <= 2; w++ {
					c, b := counted(w, orgType, o.Value)
					if p := o.Points[w-1]; !p.Offered || p.Count != c || p.Base != b {
						t.Errorf("org_type %s in wave %d: %+v, want %d of %d", o.Value, w, p, c, b)
					}
				}
			}
			for _, o := range q.Panel.Options {
				var b, c, both int
				for i := range panelSize {
					was, is := orgType(1, i) == o.Value, orgType(2, i) == o.Value
					switch {
					case was && is:
						both++
					case was:
						b++
					case is:
						c++
					}
				}
				if o.N != panelSize || o.B != b || o.C != c || o.Both != both {
					t.Errorf("McNemar of org_type %s: %+v, want N %d, b %d, c %d, both %d", o.Value, o, panelSize, b, c, both)
				}
			}
		case "staff_fte":
			seen++
			// Library 0 went from 40 to 100; every other stayed at 40.
			if s := q.Panel.Scores; s == nil || s.N != panelSize || s.NonZero != 1 {
				t.Errorf("Wilcoxon of staff: %+v, want N %d with one change", q.Panel.Scores, panelSize)
			}
		}
	}
	if seen != 2 {
		t.Fatalf("the trends lack org_type or staff_fte: %+v", trends.Questions)
	}
	notes := decode[struct {
		ChangeNotes []struct{ Library, Question, Note string } `json:"change_notes"`
	}](t, a.do(request{path: "/api/v1/surveys/landscape-2026/change-notes", token: admin}))
	if len(notes.ChangeNotes) != 1 || notes.ChangeNotes[0].Library != libraryName(0) || notes.ChangeNotes[0].Note != "Fusion avec le réseau métropolitain." {
		t.Errorf("change notes %+v", notes.ChangeNotes)
	}

	// The dashboard's trends page: each wave's count of its base per option.
	c := newClient(t, a.serve(t))
	a.signIn(t, c, survey.RoleAdmin)
	p := c.get("/admin/surveys/landscape-2026/trends")
	cells := cellTexts(t, p.body)
	for _, v := range orgTypes {
		for w := 1; w <= 2; w++ {
			n, b := counted(w, orgType, v)
			want := fmt.Sprintf("(%d/%d; ", n, b)
			if !slices.ContainsFunc(cells, func(c string) bool {
				return strings.Contains(c, want) && strings.HasPrefix(c, fmt.Sprintf("%.0f", 100*float64(n)/float64(b)))
			}) {
				t.Errorf("the trends page has no cell for %s in wave %d, %s", v, w, want)
			}
		}
	}

	// The white paper for publication, read by openpyxl: the trend sheets'
	// figures are each wave's own tables' (wave 1's own white paper, wave
	// 2's tables in the same workbook), and agree with the answers.
	book2 := paperOf(t, a, admin, "landscape-2026")
	book1 := paperOf(t, a, admin, "landscape")
	for _, q := range []struct {
		label, table string
		answer       func(w, i int) string
		values       map[string]string // label: value
	}{
		{"What kind of organisation is it?", "Type of organisation", orgType, map[string]string{
			"City or municipal library system": "city_system", "Regional or county library system": "regional_system",
			"National or state library with public services": "national_state", "Consortium of libraries": "consortium"}},
		{"Annual operating budget (US dollar equivalent)", "Annual operating budget", budgetBand, map[string]string{
			"Under 1 million": "lt_1m", "1–5 million": "1m_5m", "5–20 million": "5m_20m", "Over 250 million": "gt_250m"}},
	} {
		trend := sheetTitled(t, book2, ". "+q.label, "Trend ")
		if !slices.Equal(trend[3], []any{"Answer", "landscape", "2026"}) {
			t.Errorf("%s: header %v", q.label, trend[3])
		}
		own := []map[string]any{tableCounts(sheetTitled(t, book1, ". "+q.table, "Table ")), tableCounts(sheetTitled(t, book2, ". "+q.table, "Table "))}
		checked, withheld := 0, 0
		for _, r := range trend {
			if len(r) < 4 || (r[1] != "landscape" && r[1] != "2026") {
				continue
			}
			label, _ := r[0].(string)
			value, ok := q.values[label]
			if !ok {
				continue
			}
			w := 1
			if r[1] == "2026" {
				w = 2
			}
			if r[2] != own[w-1][label] {
				t.Errorf("%s, %s in wave %d: the trend sheet shows %v, the wave's own table %v", q.label, label, w, r[2], own[w-1][label])
			}
			n, b := counted(w, q.answer, value)
			// Withheld: every count under k = 5 (but 0), and as many more
			// as the wave's own table withholds so none can be worked out.
			switch {
			case r[2] == "x":
				withheld++
			case n > 0 && n < 5:
				t.Errorf("%s, %s in wave %d: %v, a count of %d (under k = 5) shown", q.label, label, w, r, n)
			case r[2] != float64(n) || r[3] != float64(b) || math.Abs(r[4].(float64)-float64(n)/float64(b)) > 1e-12:
				t.Errorf("%s, %s in wave %d: %v, want %d of %d", q.label, label, w, r, n, b)
			}
			checked++
		}
		if q.table == "Annual operating budget" && withheld < 4 {
			t.Errorf("%s: %d counts withheld, want over 250 million's and one more in each wave", q.label, withheld)
		}
		if checked != 2*len(q.values) {
			t.Errorf("%s: %d detail rows checked, want %d", q.label, checked, 2*len(q.values))
		}
	}

	// The public results of both waves: the trends on wave 2's page are
	// each wave's own page's figures.
	for _, slug := range []string{"landscape", "landscape-2026"} {
		if rec := a.do(request{method: http.MethodPost, path: "/api/v1/surveys/" + slug + "/results/publish", token: admin}); rec.Code != 200 {
			t.Fatalf("publishing %s: %d %s", slug, rec.Code, rec.Body)
		}
	}
	for _, lang := range []string{"en", "fr", "es"} {
		page2 := c.get("/results/landscape-2026?lang=" + lang)
		own := []map[string][2]string{publicRows(t, c.get("/results/landscape?lang="+lang).body, "table-org_type"), publicRows(t, page2.body, "table-org_type")}
		trend := trendRows(t, page2.body, "trend-h-org_type")
		if len(trend) != len(orgTypes)+1 { // and Other, chosen by none
			t.Fatalf("%s: the public trend of org_type has %d rows: %v", lang, len(trend), trend)
		}
		for label, cells := range trend {
			for w := range 2 {
				shown, ok := own[w][label]
				if !ok {
					t.Errorf("%s: %q is in the trend, not on wave %d's page", lang, label, w+1)
					continue
				}
				want := shown[0] + " (" + shown[1] + "/"
				if !strings.HasPrefix(cells[w], want) {
					t.Errorf("%s: %s in wave %d is %q in the trend, %s of %s on its own page", lang, label, w+1, cells[w], shown[1], shown[0])
				}
			}
		}
		if text := pageText(t, page2.body); strings.Contains(text, "McNemar") || strings.Contains(text, "Wilcoxon") || strings.Contains(text, "panel") {
			t.Errorf("%s: the public page publishes a paired test", lang)
		}
	}

	// An old round collected elsewhere, 2019: wave 1 takes the label 2025
	// where it stands and closes; the round's file (20 libraries, by name,
	// city and country, one type given by its label) is dry-run, then
	// confirmed, and comes first among the waves, in the trends too.
	sv1, err := a.store.FindSurvey(t.Context(), "landscape")
	if err != nil {
		t.Fatal(err)
	}
	def, err := survey.DefinitionYAML(sv1)
	if err != nil {
		t.Fatal(err)
	}
	labelled := regexp.MustCompile(`(?m)^slug: landscape$`).ReplaceAllString(string(def), "slug: landscape\nwave: \"2025\"")
	if rec := a.do(request{method: http.MethodPut, path: "/api/v1/surveys/landscape", token: admin, contentType: "application/yaml", body: labelled}); rec.Code != 200 {
		t.Fatalf("labelling wave 1: %d %s", rec.Code, rec.Body)
	}
	if rec := a.do(request{method: http.MethodPost, path: "/api/v1/surveys/landscape/close", token: admin}); rec.Code != 200 && rec.Code != 204 {
		t.Fatalf("closing wave 1: %d %s", rec.Code, rec.Body)
	}
	oldType := func(_, i int) string { return orgTypes[(i+1)%4] }
	var file strings.Builder
	file.WriteString("library_name,city,country,What kind of organisation is it?\n")
	for i := range 20 {
		answer := oldType(0, i)
		if i == 3 {
			answer = "City or municipal library system" // a label, as an old spreadsheet has it
		}
		fmt.Fprintf(&file, "%s,Ville %02d,FR,%s\n", libraryName(i), i, answer)
	}
	importRound := func(confirm bool) (int, map[string]any) {
		path := "/api/v1/surveys/landscape/waves/import?wave=2019"
		if confirm {
			path += "&confirm=true"
		}
		rec := a.do(request{method: http.MethodPost, path: path, token: admin, contentType: "text/csv", body: file.String()})
		var got map[string]any
		_ = json.Unmarshal(rec.Body.Bytes(), &got)
		return rec.Code, got
	}
	if code, got := importRound(false); code != 200 || got["matched"] != 20.0 || got["problem_count"] != 0.0 || got["before"] != "landscape" {
		t.Fatalf("the old round's dry run: %d %v", code, got)
	}
	if n := a.countResponses("landscape-2019"); n != 0 {
		t.Fatalf("the dry run wrote %d responses", n)
	}
	if code, got := importRound(true); code != 200 || got["created"] != 20.0 {
		t.Fatalf("the old round confirmed: %d %v", code, got)
	}
	series := decode[struct {
		Waves []struct{ Slug, Wave string }
	}](t, a.do(request{path: "/api/v1/surveys/landscape-2026/series", token: admin}))
	if len(series.Waves) != 3 || series.Waves[0].Slug != "landscape-2019" || series.Waves[1].Wave != "2025" || series.Waves[2].Slug != "landscape-2026" {
		t.Fatalf("series %+v, want the 2019 round first", series.Waves)
	}
	three := decode[struct {
		Waves []struct {
			Slug      string
			Responses int
		}
		Questions []struct {
			ID    string
			Trend *struct {
				Options []struct {
					Value  string
					Points []point
				}
			}
		}
	}](t, a.do(request{path: "/api/v1/surveys/landscape-2026/trends", token: admin}))
	if len(three.Waves) != 3 || three.Waves[0].Slug != "landscape-2019" || three.Waves[0].Responses != 20 {
		t.Fatalf("trends' waves %+v", three.Waves)
	}
	for _, q := range three.Questions {
		if q.ID != "org_type" {
			continue
		}
		for _, o := range q.Trend.Options {
			want := 0
			for i := range 20 {
				if oldType(0, i) == o.Value {
					want++
				}
			}
			if p := o.Points[0]; !p.Offered || p.Count != want || p.Base != 20 {
				t.Errorf("org_type %s in 2019: %+v, want %d of 20", o.Value, p, want)
			}
		}
	}
}

// paperOf is slug's white paper for publication, read by openpyxl.
func paperOf(t *testing.T, a *app, admin, slug string) map[string][][]any {
	t.Helper()
	rec := a.do(request{path: "/api/v1/surveys/" + slug + "/export.xlsx?kind=whitepaper", token: admin})
	if rec.Code != 200 {
		t.Fatalf("white paper of %s: %d %s", slug, rec.Code, rec.Body)
	}
	path := filepath.Join(t.TempDir(), slug+".xlsx")
	if err := os.WriteFile(path, rec.Body.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(openpyxl(t), "../../export/testdata/dump_workbook.py", path).Output()
	if err != nil {
		t.Fatalf("openpyxl: %v", err)
	}
	var d struct {
		Sheets []struct {
			Name string
			Rows [][]any
		}
	}
	if err := json.Unmarshal(out, &d); err != nil {
		t.Fatal(err)
	}
	book := map[string][][]any{}
	for _, s := range d.Sheets {
		book[s.Name] = s.Rows
	}
	return book
}

// sheetTitled is the sheet named prefix… whose title ends with suffix.
func sheetTitled(t *testing.T, book map[string][][]any, suffix, prefix string) [][]any {
	t.Helper()
	for name, rows := range book {
		if strings.HasPrefix(name, prefix) && len(rows) > 0 && len(rows[0]) > 0 {
			if title, _ := rows[0][0].(string); strings.HasSuffix(title, suffix) {
				return rows
			}
		}
	}
	t.Fatalf("no sheet %s… titled …%s", prefix, suffix)
	return nil
}

// tableCounts is a table sheet's count per answer (n or "x").
func tableCounts(rows [][]any) map[string]any {
	out := map[string]any{}
	for _, r := range rows[3:] {
		if len(r) >= 2 {
			if label, ok := r[0].(string); ok {
				out[label] = r[1]
			}
		}
	}
	return out
}

// publicRows is a public results table's share and count per answer.
func publicRows(t *testing.T, body, id string) map[string][2]string {
	t.Helper()
	doc := parseHTML(t, body)
	sections := findAll(doc, func(n *html.Node) bool { return attr(n, "id") == id })
	if len(sections) != 1 {
		t.Fatalf("no table %s", id)
	}
	out := map[string][2]string{}
	for _, tr := range findAll(sections[0], func(n *html.Node) bool { return n.Data == "tr" }) {
		ths := findAll(tr, func(n *html.Node) bool { return n.Data == "th" && attr(n, "scope") == "row" })
		nums := findAll(tr, func(n *html.Node) bool { return n.Data == "td" && attr(n, "class") == "num" })
		if len(ths) == 1 && len(nums) == 2 {
			out[strings.TrimSpace(text(ths[0]))] = [2]string{strings.TrimSpace(text(nums[0])), strings.TrimSpace(text(nums[1]))}
		}
	}
	return out
}

// trendRows is a trend card's cells per answer, by the heading's id.
func trendRows(t *testing.T, body, heading string) map[string][]string {
	t.Helper()
	doc := parseHTML(t, body)
	cards := findAll(doc, func(n *html.Node) bool {
		return n.Data == "section" && attr(n, "aria-labelledby") == heading
	})
	if len(cards) != 1 {
		t.Fatalf("%d trend cards %s", len(cards), heading)
	}
	out := map[string][]string{}
	for _, tr := range findAll(cards[0], func(n *html.Node) bool { return n.Data == "tr" }) {
		ths := findAll(tr, func(n *html.Node) bool { return n.Data == "th" && attr(n, "scope") == "row" })
		if len(ths) != 1 {
			continue
		}
		var cells []string
		for _, td := range findAll(tr, func(n *html.Node) bool { return n.Data == "td" }) {
			cells = append(cells, strings.TrimSpace(text(td)))
		}
		// The row's heading begins with its line's marker symbol.
		out[strings.TrimLeft(text(ths[0]), " ●■▲◆○□△◇")] = cells
	}
	return out
}
