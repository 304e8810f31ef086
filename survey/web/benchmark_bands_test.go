package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/metlib/canvass/survey"
)

// TestBenchmarkFormBandEdges: band edges are whole numbers in digits only;
// hex floats, exponents and decimals are refused in one message naming the
// first three, nothing saved (as is a number too long to hold); an edge out of range is refused by the
// definition's validation, named by its index and written in full.
func TestBenchmarkFormBandEdges(t *testing.T) {
	a := newApp(t)
	srv := a.serve(t)
	c := newClient(t, srv)
	a.signIn(t, c, survey.RoleAdmin)
	before, _ := a.store.FindSurvey(t.Context(), "impact-methods")
	c.get("/admin/surveys/impact-methods/reports")
	cases := []struct{ bands, want, not string }{
		{"400000 0x1p20 1e6 1.5 -3", "not a band edge: &#34;0x1p20&#34;, &#34;1e6&#34;, &#34;1.5&#34; and 1 more.", "400000&#34;"},
		{"1,000,000", "not a band edge: &#34;1,000,000&#34;.", ""},
		{"+5 ５", "&#34;&#43;5&#34;, &#34;５&#34;.", ""},
		{"0 100", "benchmark.population_bands[0]: population bands must be whole numbers from 1 to 10000000000 (population served), got 0", ""},
		{"100 10000000001", "benchmark.population_bands[1]: population bands must be whole numbers from 1 to 10000000000 (population served), got 10000000001", "e+"},
		{strings.Repeat("7", 400), "not a band edge: &#34;" + strings.Repeat("7", 20) + "…&#34;.", "e+"},
		{"1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21", "benchmark.population_bands: at most 20 population band edges, got 21", ""},
	}
	for _, tc := range cases {
		p := c.post("/admin/surveys/impact-methods/reports/benchmark", url.Values{"group_region": {"1"}, "bands": {tc.bands}})
		if p.status != http.StatusSeeOther {
			t.Fatalf("%q: %d %s", tc.bands, p.status, p.body)
		}
		page := c.get(p.location)
		if !strings.Contains(page.body, "flash-error") || !strings.Contains(page.body, tc.want) || tc.not != "" && strings.Contains(page.body, tc.not) {
			i := strings.Index(page.body, "flash-error")
			t.Errorf("%q: want a problem with %q (and not %q); page has %q", tc.bands, tc.want, tc.not, page.body[max(i, 0):min(len(page.body), max(i, 0)+600)])
		}
		if again, _ := a.store.FindSurvey(t.Context(), "impact-methods"); again.Version != before.Version {
			t.Errorf("%q: saved as version %d", tc.bands, again.Version)
		}
	}
	// The limits themselves are saved.
	p := c.post("/admin/surveys/impact-methods/reports/benchmark", url.Values{"group_population": {"1"}, "bands": {"1;2 10000000000"}})
	after, _ := a.store.FindSurvey(t.Context(), "impact-methods")
	if p.status != http.StatusSeeOther || after.Version != before.Version+1 || len(after.Benchmark.PopulationBands) != 3 || after.Benchmark.PopulationBands[2] != 1e10 {
		t.Errorf("limits: %d, version %d, %v", p.status, after.Version, after.Benchmark.PopulationBands)
	}
	if page := c.get(p.location); !strings.Contains(page.body, `value="1 2 10000000000"`) {
		t.Errorf("the editor does not show the saved bands in full")
	}
}
