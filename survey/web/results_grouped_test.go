package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"unicode"

	"golang.org/x/net/html"

	openpyxlfind "github.com/metlib/canvass/internal/openpyxl"
	"github.com/metlib/canvass/survey"
)

// regionCrossTab is "methods used by IFLA region" recomputed from the raw
// responses, without package analysis: per region, the libraries that
// answered methods_used (the base) and, per option, how many ticked it.
type regionCrossTab struct {
	base  map[survey.Region]int
	count map[string]map[survey.Region]int // option value → region → libraries
}

func recomputeMethodsByRegion(rs []*survey.Response) regionCrossTab {
	ct := regionCrossTab{base: map[survey.Region]int{}, count: map[string]map[survey.Region]int{}}
	for _, r := range rs {
		if r.Status != survey.ResponseSubmitted || r.Region == "" {
			continue
		}
		chosen, ok := r.Answers["methods_used"].([]string)
		if !ok {
			continue // not asked (show_if) or not answered
		}
		ct.base[r.Region]++
		for _, v := range chosen {
			if ct.count[v] == nil {
				ct.count[v] = map[survey.Region]int{}
			}
			ct.count[v][r.Region]++
		}
	}
	return ct
}

// digits reads the number in a text written for people ("1 234", "73 %").
func digits(t *testing.T, s string) int {
	t.Helper()
	var b strings.Builder
	for _, r := range s {
		if unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	n, err := strconv.Atoi(b.String())
	if err != nil {
		t.Fatalf("no number in %q", s)
	}
	return n
}

// TestGroupedTableAsReadersSeeIt checks Table 2 of impact-methods (methods
// used, by IFLA region) for 300 demo responses, cell by cell against the
// recomputation above, in the white paper downloaded in French and read
// back by openpyxl, and on the public results page parsed as HTML in
// French and Spanish; and that no two report tables have the same body.
func TestGroupedTableAsReadersSeeIt(t *testing.T) {
	a := newApp(t)
	rs := a.seedDemo("impact-methods", 300)
	sv, err := a.store.FindSurvey(context.Background(), "impact-methods")
	if err != nil {
		t.Fatal(err)
	}
	want := recomputeMethodsByRegion(rs)
	options := sv.Question("methods_used").Options
	const k = 5
	if rec := a.do(request{method: http.MethodPost, path: "/api/v1/surveys/impact-methods/results/publish", token: a.token(survey.RoleAdmin)}); rec.Code != 200 {
		t.Fatalf("publish: %d %s", rec.Code, rec.Body)
	}

	t.Run("public page", func(t *testing.T) {
		for _, tc := range []struct{ lang string }{{"fr"}, {"es"}, {"en"}} {
			rec := a.do(request{path: "/results/impact-methods?lang=" + tc.lang})
			if rec.Code != 200 {
				t.Fatalf("%s: %d", tc.lang, rec.Code)
			}
			doc, err := html.Parse(rec.Body)
			if err != nil {
				t.Fatal(err)
			}
			section := find(doc, func(n *html.Node) bool { return attr(n, "id") == "table-methods_by_region" })
			if section == nil {
				t.Fatalf("%s: no section for methods_by_region", tc.lang)
			}
			table := find(section, func(n *html.Node) bool { return n.Data == "table" && strings.Contains(attr(n, "class"), "cross") })
			if table == nil {
				t.Fatalf("%s: methods_by_region is not a cross-tabulation:\n%s", tc.lang, text(section))
			}
			// Columns: a region per column, with its base (x when
			// withheld); a region where nobody answered has none.
			var columns []survey.Region
			heads := findAll(find(table, tag("thead")), tag("th"))
			for _, th := range heads[1:] {
				label := strings.TrimSpace(th.FirstChild.Data)
				var region survey.Region
				for _, r := range survey.Regions {
					if survey.RegionLabels[r].In(tc.lang, "en") == label {
						region = r
					}
				}
				if region == "" {
					t.Fatalf("%s: column %q is no region", tc.lang, label)
				}
				base := find(th, func(n *html.Node) bool { return strings.Contains(attr(n, "class"), "col-base") })
				if base == nil || !publicCount(strings.TrimPrefix(text(base), "n = "), want.base[region], k) {
					t.Errorf("%s: column %s base %q, want n = %d (x if under %d)", tc.lang, label, text(th), want.base[region], k)
				}
				columns = append(columns, region)
			}
			for _, r := range survey.Regions {
				shown := false
				for _, c := range columns {
					shown = shown || c == r
				}
				if shown != (want.base[r] > 0) {
					t.Errorf("%s: region %s (base %d) shown: %v", tc.lang, r, want.base[r], shown)
				}
			}
			hidden := 0
			rows := findAll(find(table, tag("tbody")), tag("tr"))
			if len(rows) != len(options) {
				t.Fatalf("%s: %d rows, want one per option (%d)", tc.lang, len(rows), len(options))
			}
			for i, tr := range rows {
				o := options[i]
				cells := findAll(tr, func(n *html.Node) bool { return n.Type == html.ElementNode && (n.Data == "td" || n.Data == "th") })
				if got := strings.TrimSpace(text(cells[0])); got != o.Label.In(tc.lang, "en") {
					t.Errorf("%s: row %d is %q, want %q", tc.lang, i, got, o.Label.In(tc.lang, "en"))
				}
				for j, region := range columns {
					shown := strings.TrimSpace(text(cells[j+1]))
					n, base := want.count[string(o.Value)][region], want.base[region]
					if shown == "x" || n > 0 && n < k {
						// Withheld (1 to k−1 always, more to protect them), alone.
						if shown != "x" || n == 0 {
							t.Errorf("%s: %s in %s is %q, want x (%d libraries)", tc.lang, o.Value, region, shown, n)
						}
						hidden++
						continue
					}
					count, pct, ok := strings.Cut(shown, "(")
					if !ok || digits(t, count) != n || math.Abs(float64(digits(t, pct))-100*float64(n)/float64(base)) > 0.5 {
						t.Errorf("%s: %s in %s is %q, want %d (%.1f%% of %d)", tc.lang, o.Value, region, shown, n, 100*float64(n)/float64(base), base)
					}
				}
			}
			if hidden == 0 {
				t.Errorf("%s: no cell withheld, yet some are under %d", tc.lang, k)
			}
			distinctBodies(t, tc.lang+" page", pageBodies(doc))
		}
	})

	t.Run("workbook", func(t *testing.T) {
		python := openpyxlfind.Find()
		if python == "" {
			if os.Getenv("CI") != "" {
				t.Fatal("python3-openpyxl is not installed; .ci/run installs it")
			}
			t.Skip("python3-openpyxl is not installed (apt-get install python3-openpyxl)")
		}
		rec := a.do(request{path: "/api/v1/surveys/impact-methods/export.xlsx?kind=whitepaper&lang=fr", token: a.token(survey.RoleAnalyst)})
		if rec.Code != 200 {
			t.Fatalf("download: %d %s", rec.Code, rec.Body)
		}
		path := filepath.Join(t.TempDir(), "paper.xlsx")
		if err := os.WriteFile(path, rec.Body.Bytes(), 0o600); err != nil {
			t.Fatal(err)
		}
		out, err := exec.Command(python, "testdata/sheets_json.py", path).Output()
		if err != nil {
			t.Fatalf("openpyxl: %v", err)
		}
		var wb struct {
			Sheets []struct {
				Name string
				Rows [][]any
			}
		}
		if err := json.Unmarshal(out, &wb); err != nil {
			t.Fatal(err)
		}
		title := "Tableau 2. " + sv.Report.Tables[1].Title.In("fr", "en")
		var rows [][]any
		bodies := map[string]string{}
		for _, s := range wb.Sheets {
			if len(s.Rows) > 0 && s.Rows[0][0] == title {
				rows = s.Rows
			}
			if strings.HasPrefix(s.Name, "Tableau ") {
				bodies[s.Name] = sheetBody(s.Rows)
			}
		}
		if rows == nil {
			t.Fatalf("no sheet titled %q", title)
		}
		distinctBodies(t, "workbook", bodies)
		header := -1
		for i, r := range rows {
			if len(r) > 0 && r[0] == "Réponse" {
				header = i
				break
			}
		}
		if header < 0 {
			t.Fatalf("no header row in %v", rows)
		}
		col := map[string]int{}
		for i, v := range rows[header] {
			if s, ok := v.(string); ok {
				col[s] = i
			}
		}
		byLabel := map[string][]any{}
		for _, r := range rows[header+1:] {
			if s, ok := r[0].(string); ok {
				byLabel[s] = r
			}
		}
		for _, region := range survey.Regions {
			label := survey.RegionLabels[region].In("fr", "en")
			nCol, hasN := col[label+" (n)"]
			pCol, hasP := col[label+" (%)"]
			base := want.base[region]
			if base == 0 {
				if hasN || hasP {
					t.Errorf("%s: nobody answered, yet it has a column", label)
				}
				continue
			}
			if !hasN || !hasP {
				t.Fatalf("no columns for %s in %v", label, rows[header])
			}
			totals := byLabel["Répondants ayant répondu (n)"]
			if totals == nil || !sameCount(totals[nCol], base, k) {
				t.Errorf("%s: base %v, want %d", label, totals, base)
			}
			for _, o := range options {
				r := byLabel[o.Label.In("fr", "en")]
				if r == nil {
					t.Fatalf("no row for %q", o.Label.In("fr", "en"))
				}
				n := want.count[string(o.Value)][region]
				if !sameCount(r[nCol], n, k) {
					t.Errorf("%s, %s: count %v, want %d (x if under %d)", o.Value, label, r[nCol], n, k)
				}
				var pct any
				if pCol < len(r) {
					pct = r[pCol]
				}
				if r[nCol] == "x" || totals[nCol] == "x" {
					// Withheld, or its base is: no percentage gives it back.
					if pct != nil {
						t.Errorf("%s, %s: %v libraries, withheld, percentage %v shown", o.Value, label, n, pct)
					}
					continue
				}
				if f, ok := pct.(float64); !ok || math.Abs(f-float64(n)/float64(base)) > 1e-12 {
					t.Errorf("%s, %s: percentage %v, want %d/%d", o.Value, label, pct, n, base)
				}
			}
		}
	})
}

// sameCount reports whether a workbook cell shows n as the default
// (disclosed) white paper may: "x" for 1 to k−1, n or "x" (withheld to
// protect a small one) for more, 0 for none.
func sameCount(cell any, n, k int) bool {
	if n > 0 && cell == "x" {
		return true
	}
	f, ok := cell.(float64)
	return ok && f == float64(n) && (n == 0 || n >= k)
}

// publicCount is sameCount for a count on a public page.
func publicCount(shown string, n, k int) bool {
	if n > 0 && shown == "x" {
		return true
	}
	return shown == strconv.Itoa(n) && (n == 0 || n >= k)
}

// sheetBody is a table sheet without its title, notes and source: what
// makes it this table.
func sheetBody(rows [][]any) string {
	var b strings.Builder
	for _, r := range rows[1:] {
		if len(r) > 0 {
			if s, ok := r[0].(string); ok && (strings.HasPrefix(s, "Note") || strings.HasPrefix(s, "Source")) {
				continue
			}
		}
		fmt.Fprintln(&b, r...)
	}
	return b.String()
}

// pageBodies are the public page's tables without their titles and notes.
func pageBodies(doc *html.Node) map[string]string {
	out := map[string]string{}
	for _, s := range findAll(doc, func(n *html.Node) bool {
		return n.Data == "section" && strings.Contains(attr(n, "class"), "results-table")
	}) {
		var b strings.Builder
		for c := s.FirstChild; c != nil; c = c.NextSibling {
			if c.Data == "h2" || attr(c, "class") == "note" {
				continue
			}
			b.WriteString(text(c))
		}
		out[attr(s, "id")] = b.String()
	}
	return out
}

func distinctBodies(t *testing.T, where string, bodies map[string]string) {
	t.Helper()
	if len(bodies) < 10 {
		t.Errorf("%s: only %d tables", where, len(bodies))
	}
	seen := map[string]string{}
	for name, body := range bodies {
		if other, ok := seen[body]; ok {
			t.Errorf("%s: %s and %s have the same body:\n%s", where, name, other, body)
		}
		seen[body] = name
	}
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func tag(name string) func(*html.Node) bool {
	return func(n *html.Node) bool { return n.Type == html.ElementNode && n.Data == name }
}

func find(n *html.Node, ok func(*html.Node) bool) *html.Node {
	if n == nil {
		return nil
	}
	if n.Type == html.ElementNode && ok(n) {
		return n
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if f := find(c, ok); f != nil {
			return f
		}
	}
	return nil
}

func findAll(n *html.Node, ok func(*html.Node) bool) []*html.Node {
	var out []*html.Node
	if n == nil {
		return nil
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode && ok(c) {
			out = append(out, c)
		}
		out = append(out, findAll(c, ok)...)
	}
	return out
}

// text is what a reader sees of a node: its text, tags removed.
func text(n *html.Node) string {
	if n.Type == html.TextNode {
		return n.Data
	}
	var b strings.Builder
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		b.WriteString(text(c))
	}
	return b.String()
}
