package export_test

import (
	"bytes"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/metlib/canvass/analysis"
	"github.com/metlib/canvass/demo"
	"github.com/metlib/canvass/export"
	"github.com/metlib/canvass/survey"
	"github.com/metlib/canvass/survey/builtin"
)

// rawTally recomputes, from the responses themselves, what the count and
// family tables of the impact survey show.
type rawTally struct {
	chosen   map[int]int               // methods chosen → respondents
	bands    map[int]int               // population band → respondents answering
	levels   map[string]int            // maturity level → respondents answering
	families map[string]map[string]int // family → region → respondents choosing any of it
	ticked   map[string]int            // region → respondents who ticked a method
}

func tallyImpact(s *survey.Survey, rs []*survey.Response) rawTally {
	q := s.Question("methods_used")
	pos := slices.IndexFunc(s.Questions(), func(x *survey.Question) bool { return x.ID == q.ID })
	t := rawTally{chosen: map[int]int{}, bands: map[int]int{}, levels: map[string]int{}, families: map[string]map[string]int{}, ticked: map[string]int{}}
	limits := []float64{400000, 1000000, 5000000}
	for _, r := range rs {
		list, ok := r.Answers[q.ID].([]string)
		if r.Status != survey.ResponseSubmitted || !ok || !s.Asked(r.Answers)[pos] {
			continue
		}
		t.ticked[string(r.Region)]++
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
				if t.families[o.Group] == nil {
					t.families[o.Group] = map[string]int{}
				}
				t.families[o.Group][string(r.Region)]++
			}
		}
		t.chosen[n]++
		if pop, ok := r.Answers.Number("population_served"); ok {
			b := 0
			for b < len(limits) && pop >= limits[b] {
				b++
			}
			t.bands[b]++
		}
		if m, ok := r.Answers["maturity"].(string); ok {
			t.levels[m]++
		}
	}
	return t
}

// TestWhitePaperCountTables: tables 4, 5 and 6 of the workbook are what
// their specs ask — the distribution of the number of methods, that number
// by population band, by maturity level with Spearman's ρ — with the
// counts recomputed from the responses; and with by=region table 3 is the
// families (not the methods) by region.
func TestWhitePaperCountTables(t *testing.T) {
	surveys, _ := builtin.Surveys()
	impact := surveys[1]
	rs := demo.Responses(impact, 300, 4, time.Now())
	want := tallyImpact(impact, rs)
	sheets := func(opts analysis.Options) map[string][][]string {
		rep, err := analysis.Report(impact, survey.ResponsesOf(rs), opts)
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if err := export.WhitePaper(&buf, rep, export.WhitePaperOptions{}); err != nil {
			t.Fatal(err)
		}
		f := readXLSX(t, buf.Bytes())
		out := map[string][][]string{}
		for _, name := range f.GetSheetList() {
			out[name], _ = f.GetRows(name)
		}
		return out
	}
	plain := sheets(analysis.Options{Lang: "en"})
	row := func(sheet string, first string) []string {
		for _, r := range plain[sheet] {
			if len(r) > 0 && r[0] == first {
				return r
			}
		}
		return nil
	}
	bodies := map[string]string{}
	for _, name := range []string{"Table 4", "Table 5", "Table 6"} {
		b := strings.Join(flatten(plain[name][1:]), "|")
		for other, ob := range bodies {
			if ob == b {
				t.Errorf("%s and %s have the same body", name, other)
			}
		}
		bodies[name] = b
	}
	maxChosen := 0
	for c := range want.chosen {
		maxChosen = max(maxChosen, c)
	}
	for c := 0; c <= maxChosen; c++ {
		if r := row("Table 4", strconv.Itoa(c)); len(r) < 2 || r[1] != strconv.Itoa(want.chosen[c]) {
			t.Errorf("Table 4, %d methods: %v, want %d respondents", c, r, want.chosen[c])
		}
	}
	for _, name := range []string{"Table 5", "Table 6"} {
		if strings.Contains(bodies[name], "Number chosen") {
			t.Errorf("%s repeats the distribution:\n%s", name, bodies[name])
		}
	}
	for b, label := range []string{"under 400,000", "400,000 to under 1,000,000", "1,000,000 to under 5,000,000", "5,000,000 and over"} {
		if r := row("Table 5", label); len(r) < 6 || r[1] != strconv.Itoa(want.bands[b]) {
			t.Errorf("Table 5, band %q: %v, want n %d and mean, median, Q1, Q3", label, r, want.bands[b])
		}
	}
	levels := 0
	for _, o := range impact.Question("maturity").Options {
		if n := want.levels[string(o.Value)]; n > 0 {
			levels++
			if r := row("Table 6", o.Label.In("en", "en")); len(r) < 6 || r[1] != strconv.Itoa(n) {
				t.Errorf("Table 6, level %q: %v, want n %d", o.Label.In("en", "en"), r, n)
			}
		}
	}
	if levels < 2 || row("Table 6", "Spearman's rank correlation") == nil && !strings.Contains(bodies["Table 6"], "Spearman") {
		t.Errorf("Table 6: %d levels, Spearman row missing:\n%s", levels, bodies["Table 6"])
	}

	byRegion := sheets(analysis.Options{Lang: "en", By: "region"})
	fam := byRegion["Table 3"]
	q := impact.Question("methods_used")
	header := -1
	for i, r := range fam {
		if len(r) > 1 && strings.HasSuffix(r[1], " (n)") {
			header = i
			break
		}
	}
	if header < 0 {
		t.Fatalf("Table 3 by region has no cross-tab:\n%v", fam)
	}
	cols := map[string]int{} // region label → its count column
	for j, h := range fam[header] {
		if label, ok := strings.CutSuffix(h, " (n)"); ok {
			cols[label] = j
		}
	}
	checked := 0
	for code, byReg := range want.families {
		label := q.GroupLabel(code).In("en", "en")
		var r []string
		for _, x := range fam[header+1:] {
			if len(x) > 0 && x[0] == label {
				r = x
			}
		}
		if r == nil {
			t.Errorf("Table 3 by region has no row for family %q", label)
			continue
		}
		for _, reg := range survey.Regions {
			j, ok := cols[survey.RegionLabels[reg].In("en", "en")]
			if !ok {
				continue
			}
			if r[j] != strconv.Itoa(byReg[string(reg)]) {
				t.Errorf("Table 3, %s × %s: %s, want %d", label, reg, r[j], byReg[string(reg)])
			}
			checked++
		}
	}
	rows := slices.IndexFunc(fam[header+1:], func(r []string) bool { return len(r) > 0 && r[0] == "Respondents answering (n)" })
	if rows != len(want.families) || checked < 2*len(want.families) {
		t.Errorf("Table 3 by region: %d rows, %d cells checked, for %d families", rows, checked, len(want.families))
	}
}
