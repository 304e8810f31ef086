package web_test

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/metlib/canvass/survey"
)

// countTally is what tables 3–6 of impact-methods show, recomputed from
// the raw responses without package analysis.
type countTally struct {
	answered int
	chosen   map[int]int    // substantive methods chosen → libraries
	bands    map[string]int // population band label → libraries
	levels   map[string]int // maturity value → libraries
	families map[string]map[survey.Region]int
	base     map[survey.Region]int
}

func tallyCounts(sv *survey.Survey, rs []*survey.Response) countTally {
	q := sv.Question("methods_used")
	labels := []string{"under 400,000", "400,000 to under 1,000,000", "1,000,000 to under 5,000,000", "5,000,000 and over"}
	limits := []float64{400000, 1000000, 5000000}
	c := countTally{chosen: map[int]int{}, bands: map[string]int{}, levels: map[string]int{}, families: map[string]map[survey.Region]int{}, base: map[survey.Region]int{}}
	for _, r := range rs {
		list, ok := r.Answers[q.ID].([]string)
		if r.Status != survey.ResponseSubmitted || !ok {
			continue
		}
		c.answered++
		c.base[r.Region]++
		n := 0
		seen := map[string]bool{}
		for _, v := range list {
			o := q.Option(v)
			if o == nil {
				continue
			}
			if !o.Exclusive && !o.Missing {
				n++
			}
			if o.Group != "" && !seen[o.Group] {
				seen[o.Group] = true
				label := q.GroupLabel(o.Group).In("en", "en")
				if c.families[label] == nil {
					c.families[label] = map[survey.Region]int{}
				}
				c.families[label][r.Region]++
			}
		}
		c.chosen[n]++
		if pop, ok := r.Answers.Number("population_served"); ok {
			b := 0
			for b < len(limits) && pop >= limits[b] {
				b++
			}
			c.bands[labels[b]]++
		}
		if m, ok := r.Answers["maturity"].(string); ok {
			c.levels[m]++
		}
	}
	return c
}

// rowsOf reads a section's tables as rows of trimmed cell texts.
func rowsOf(n *html.Node) [][]string {
	var out [][]string
	for _, tr := range findAll(n, tag("tr")) {
		var row []string
		for _, c := range findAll(tr, func(x *html.Node) bool { return x.Type == html.ElementNode && (x.Data == "td" || x.Data == "th") }) {
			row = append(row, strings.TrimSpace(text(c)))
		}
		out = append(out, row)
	}
	return out
}

// TestCountTablesAsReadersSeeThem: on the public page, in the embeds and
// on the dashboard, table 4 is the distribution of the number of methods,
// table 5 that number per population band, table 6 per maturity level with
// Spearman's ρ, n and p, each count recomputed from the responses (counts
// below k withheld on public outputs); the public page has no chi-square
// warning without a test; and the dashboard's by=region families table is
// families × region.
func TestCountTablesAsReadersSeeThem(t *testing.T) {
	a := newApp(t)
	rs := a.seedDemo("impact-methods", 300)
	sv, err := a.store.FindSurvey(t.Context(), "impact-methods")
	if err != nil {
		t.Fatal(err)
	}
	want := tallyCounts(sv, rs)
	const k = 5
	if rec := a.do(request{method: http.MethodPost, path: "/api/v1/surveys/impact-methods/results/publish", token: a.token(survey.RoleAdmin)}); rec.Code != 200 {
		t.Fatalf("publish: %d %s", rec.Code, rec.Body)
	}
	check := func(where string, sections map[string]*html.Node, public bool) {
		t.Helper()
		// ok says whether a count is as a reader may see it: on public
		// outputs a count from 1 to k−1 is withheld ("x"), any other may be
		// withheld to protect one (disclosure.Publish decides), a shown one
		// is the true one; elsewhere every count is shown.
		ok := func(got string, n int) bool {
			switch {
			case !public || n == 0:
				return got == strconv.Itoa(n)
			case n < k:
				return got == "x"
			}
			return got == strconv.Itoa(n) || got == "x"
		}

		bodies := map[string]string{}
		for _, id := range []string{"methods_per_library", "methods_by_population", "methods_by_maturity"} {
			if sections[id] == nil {
				t.Fatalf("%s: no %s", where, id)
			}
			var b strings.Builder
			for _, r := range rowsOf(sections[id]) {
				b.WriteString(strings.Join(r, "|") + "\n")
			}
			for other, ob := range bodies {
				if ob == b.String() {
					t.Errorf("%s: %s and %s have the same tables:\n%s", where, id, other, ob)
				}
			}
			bodies[id] = b.String()
		}
		row := func(id, first string) []string {
			for _, r := range rowsOf(sections[id]) {
				if len(r) > 0 && r[0] == first {
					return r
				}
			}
			return nil
		}
		for c := 0; c <= 23; c++ {
			r := row("methods_per_library", strconv.Itoa(c))
			if want.chosen[c] == 0 {
				continue
			}
			if len(r) < 2 || !slices.ContainsFunc(r[1:], func(cell string) bool { return ok(cell, want.chosen[c]) }) {
				t.Errorf("%s: table 4, %d methods: %v, want %d libraries (x if under %d)", where, c, r, want.chosen[c], k)
			}
		}
		// Statistics of a group only for 2k values or more (public).
		stats := func(r []string, n int) bool {
			filled := strings.Join(r[2:], "") != ""
			return !public || filled == (n >= 2*k && r[1] != "x")
		}
		for label, n := range want.bands {
			r := row("methods_by_population", label)
			if len(r) != 6 || !ok(r[1], n) || !stats(r, n) {
				t.Errorf("%s: band %q: %v, want n = %d (x if under %d), mean, median, Q1, Q3 only from %d", where, label, r, n, k, 2*k)
			}
		}
		levels := 0
		for _, r := range rowsOf(sections["methods_by_maturity"])[1:] {
			value, _, _ := strings.Cut(r[0], " ")
			n, found := want.levels[value]
			if !found || len(r) != 6 || !ok(r[1], n) || !stats(r, n) {
				t.Errorf("%s: maturity row %v, want level %q with n = %d and 4 statistics", where, r, value, n)
			}
			levels++
		}
		if levels < 3 || !public && (!strings.Contains(text(sections["methods_by_maturity"]), "(n = ") || !strings.Contains(text(sections["methods_by_maturity"]), ", p ")) {
			t.Errorf("%s: table 6 has %d levels, or no Spearman ρ, n and p:\n%s", where, levels, text(sections["methods_by_maturity"]))
		}
		for _, id := range []string{"methods_by_population", "methods_by_maturity"} {
			if strings.Contains(bodies[id], "Number of answers chosen") {
				t.Errorf("%s: %s repeats the distribution", where, id)
			}
		}
	}

	page := a.do(request{path: "/results/impact-methods?lang=en"})
	doc, err := html.Parse(page.Body)
	if err != nil || page.Code != 200 {
		t.Fatalf("results page: %d %v", page.Code, err)
	}
	sections := map[string]*html.Node{}
	for _, s := range findAll(doc, tag("section")) {
		sections[strings.TrimPrefix(attr(s, "id"), "table-")] = s
	}
	check("public page", sections, true)
	if s := sections["methods_by_region"]; s == nil || strings.Contains(text(s), "expected counts") {
		t.Errorf("public page: table 2 warns about a chi-square it does not show")
	}

	embeds := map[string]*html.Node{}
	for _, id := range []string{"methods_per_library", "methods_by_population", "methods_by_maturity"} {
		rec := a.do(request{path: "/embed/impact-methods/results/" + id + "?lang=en"})
		d, err := html.Parse(rec.Body)
		if err != nil || rec.Code != 200 {
			t.Fatalf("embed %s: %d %v", id, rec.Code, err)
		}
		embeds[id] = d
	}
	check("embeds", embeds, true)

	c := newClient(t, a.serve(t))
	a.signIn(t, c, survey.RoleAnalyst)
	for _, by := range []string{"", "region"} {
		p := c.get("/admin/surveys/impact-methods/results?lang=en&by=" + by)
		d, err := html.Parse(strings.NewReader(p.body))
		if err != nil || p.status != 200 {
			t.Fatalf("dashboard: %d %v", p.status, err)
		}
		dash := map[string]*html.Node{}
		for _, s := range findAll(d, tag("section")) {
			dash[strings.TrimPrefix(attr(s, "id"), "table-")] = s
		}
		if by == "" {
			check("dashboard", dash, false)
			continue
		}
		fam := rowsOf(dash["evidence_families"])
		if len(fam) != len(want.families)+1 {
			t.Fatalf("dashboard by region: table 3 has %d rows, want a header and %d families:\n%v", len(fam), len(want.families), fam)
		}
		var cols []survey.Region
		for _, h := range fam[0][1:] {
			for _, r := range survey.Regions {
				if strings.HasPrefix(h, survey.RegionLabels[r].In("en", "en")) {
					cols = append(cols, r)
				}
			}
		}
		if len(cols) < 3 {
			t.Fatalf("dashboard by region: table 3 columns %v", fam[0])
		}
		for j, r := range cols {
			if !strings.HasSuffix(fam[0][j+1], "n = "+strconv.Itoa(want.base[r])) {
				t.Errorf("dashboard: column %q, want n = %d", fam[0][j+1], want.base[r])
			}
		}
		for _, row := range fam[1:] {
			byRegion, ok := want.families[row[0]]
			if !ok {
				t.Errorf("dashboard by region: table 3 row %q is no family", row[0])
				continue
			}
			for j, r := range cols {
				if count, _, _ := strings.Cut(row[j+1], " "); count != strconv.Itoa(byRegion[r]) {
					t.Errorf("dashboard: %s × %s is %q, want %d", row[0], r, row[j+1], byRegion[r])
				}
			}
		}
	}
}
