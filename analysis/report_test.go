package analysis_test

import (
	"encoding/json"
	"sort"
	"testing"
	"time"

	"github.com/metlib/canvass/analysis"
	"github.com/metlib/canvass/demo"
	"github.com/metlib/canvass/survey"
	"github.com/metlib/canvass/survey/builtin"
)

func impactDemo(t *testing.T, n int) (*survey.Survey, []*survey.Response) {
	t.Helper()
	surveys, err := builtin.Surveys()
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range surveys {
		if s.Slug == "impact-methods" {
			return s, demo.Responses(s, n, 7, time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC))
		}
	}
	t.Fatal("no impact-methods survey")
	return nil, nil
}

// body is what a reader sees of a table, its spec and title aside.
func body(t *testing.T, tab analysis.TableResult) string {
	t.Helper()
	b, err := json.Marshal([]any{tab.Question, tab.Grouping, tab.Correlation})
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestReportTablesHaveTheirGrouping: every table is grouped as its spec
// says, a count table correlated with a likert question by that question, a
// request's by groups the other tables without one (but the by-question's
// own, and a matrix, which is never grouped), and no two different specs
// show the same body.
func TestReportTablesHaveTheirGrouping(t *testing.T) {
	s, rs := impactDemo(t, 300)
	plain, err := analysis.Report(s, survey.ResponsesOf(rs), analysis.Options{})
	if err != nil {
		t.Fatal(err)
	}
	byRegion, err := analysis.Report(s, survey.ResponsesOf(rs), analysis.Options{By: "region"})
	if err != nil {
		t.Fatal(err)
	}
	if len(plain.Tables) != len(s.Report.Tables) || len(byRegion.Tables) != len(s.Report.Tables) {
		t.Fatalf("%d and %d tables, want %d", len(plain.Tables), len(byRegion.Tables), len(s.Report.Tables))
	}
	for _, rep := range []struct {
		name string
		r    *analysis.ReportResult
		by   string
	}{{"no by", plain, ""}, {"by=region", byRegion, "region"}} {
		bodies := map[string]string{}
		for i, tab := range rep.r.Tables {
			spec := s.Report.Tables[i]
			want := spec.By
			if want == "" && spec.Summary == survey.SummaryCount && spec.Correlate == "maturity" {
				want = "maturity"
			}
			if want == "" && spec.Question != rep.by && s.Question(spec.Question).Type != survey.Matrix {
				want = rep.by
			}
			got := ""
			if tab.Grouping != nil {
				got = tab.Grouping.By
			}
			if got != want {
				t.Errorf("%s: table %d (%s) grouped by %q, want %q", rep.name, tab.Number, spec.ID, got, want)
			}
			if tab.Spec.By != want {
				t.Errorf("%s: table %d spec by %q, want %q", rep.name, tab.Number, tab.Spec.By, want)
			}
			if tab.Question.ID != spec.Question {
				t.Errorf("%s: table %d is about %s, want %s", rep.name, tab.Number, tab.Question.ID, spec.Question)
			}
			// A grouped categorical table has a cross-tab, a grouped count by-group descriptives.
			if want != "" {
				q := s.Question(spec.Question)
				switch {
				case q.Type == survey.MultiChoice && spec.Summary == survey.SummaryCount, q.Type == survey.Number:
					if len(tab.Question.ByGroup) != len(tab.Grouping.Groups) {
						t.Errorf("%s: table %d has %d group descriptives for %d groups", rep.name, tab.Number, len(tab.Question.ByGroup), len(tab.Grouping.Groups))
					}
				case q.Type == survey.SingleChoice || q.Type == survey.Likert || q.Type == survey.MultiChoice:
					if tab.Question.CrossTab == nil {
						t.Errorf("%s: table %d has no cross-tab", rep.name, tab.Number)
					}
				}
			}
			b := body(t, tab)
			if other, ok := bodies[b]; ok {
				t.Errorf("%s: tables %s and %s have the same body", rep.name, other, spec.ID)
			}
			bodies[b] = spec.ID
		}
	}
	// by=region changes exactly the tables without a grouping of their own.
	for i, spec := range s.Report.Tables {
		same := body(t, plain.Tables[i]) == body(t, byRegion.Tables[i])
		own := spec.By != "" || plain.Tables[i].Spec.By != "" || s.Question(spec.Question).Type == survey.Matrix
		if !own && same {
			t.Errorf("table %s: by=region changed nothing", spec.ID)
		}
		if own && !same {
			t.Errorf("table %s has its own by, and by=region changed it", spec.ID)
		}
	}
}

// TestGroupedMultiChoiceFromRawResponses recomputes the methods-by-region
// table from the demo responses directly: per region, who was asked (the
// question's show_if), who ticked something, and each method's count.
func TestGroupedMultiChoiceFromRawResponses(t *testing.T) {
	s, rs := impactDemo(t, 300)
	rep, err := analysis.Report(s, survey.ResponsesOf(rs), analysis.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var tab *analysis.TableResult
	for i := range rep.Tables {
		if rep.Tables[i].Spec.ID == "methods_by_region" {
			tab = &rep.Tables[i]
		}
	}
	if tab == nil || tab.Question.CrossTab == nil {
		t.Fatal("no methods_by_region cross-tab")
	}
	q := s.Question("methods_used")
	pos := -1
	for i, x := range s.Questions() {
		if x.ID == q.ID {
			pos = i
		}
	}
	type tally struct {
		asked, ticked int
		counts        map[string]int
	}
	want := map[survey.Region]*tally{}
	for _, r := range survey.Regions {
		want[r] = &tally{counts: map[string]int{}}
	}
	for _, r := range rs {
		w := want[r.Region]
		if w == nil || !s.Asked(r.Answers)[pos] {
			continue
		}
		w.asked++
		list, ok := r.Answers[q.ID].([]string)
		if !ok {
			continue
		}
		w.ticked++
		for _, v := range list {
			w.counts[v]++
		}
	}
	ct := tab.Question.CrossTab
	checked := 0
	for j, g := range tab.Grouping.Groups {
		w := want[survey.Region(g.Key)]
		if ct.Asked[j] != w.asked || ct.Answered[j] != w.ticked || ct.ColTotals[j] != w.ticked {
			t.Errorf("%s: asked %d, answered %d, base %d; want %d, %d, %d", g.Key, ct.Asked[j], ct.Answered[j], ct.ColTotals[j], w.asked, w.ticked, w.ticked)
		}
		for i, v := range ct.Rows {
			if ct.Counts[i][j] != w.counts[v] {
				t.Errorf("%s × %s: %d, want %d", v, g.Key, ct.Counts[i][j], w.counts[v])
			}
			wantPct := 0.0
			if w.ticked > 0 {
				wantPct = float64(w.counts[v]) / float64(w.ticked)
			}
			if ct.ColPct[i][j] != wantPct {
				t.Errorf("%s × %s: %g%%, want %d/%d", v, g.Key, 100*ct.ColPct[i][j], w.counts[v], w.ticked)
			}
			checked++
		}
	}
	if checked != len(q.Options)*len(survey.Regions) {
		t.Errorf("checked %d cells", checked)
	}
}

// TestFamiliesByRegionFromRawResponses: with by=region, the evidence
// families table is families × region, each cell the respondents of the
// region who chose any method of the family, of those who ticked
// something; its groups' n are those bases; the matrix carries no grouping.
func TestFamiliesByRegionFromRawResponses(t *testing.T) {
	s, rs := impactDemo(t, 300)
	rep, err := analysis.Report(s, survey.ResponsesOf(rs), analysis.Options{By: "region"})
	if err != nil {
		t.Fatal(err)
	}
	tables := map[string]analysis.TableResult{}
	for _, tab := range rep.Tables {
		tables[tab.Spec.ID] = tab
	}
	q := s.Question("methods_used")
	pos := -1
	for i, x := range s.Questions() {
		if x.ID == q.ID {
			pos = i
		}
	}
	ticked := map[string]int{}
	members := map[string]int{}
	cells := map[string]map[string]int{} // family → region → respondents
	for _, r := range rs {
		if r.Status != survey.ResponseSubmitted {
			continue
		}
		members[string(r.Region)]++
		list, ok := r.Answers[q.ID].([]string)
		if !s.Asked(r.Answers)[pos] || !ok {
			continue
		}
		ticked[string(r.Region)]++
		seen := map[string]bool{}
		for _, v := range list {
			if o := q.Option(v); o != nil && o.Group != "" && !seen[o.Group] {
				seen[o.Group] = true
				if cells[o.Group] == nil {
					cells[o.Group] = map[string]int{}
				}
				cells[o.Group][string(r.Region)]++
			}
		}
	}
	fam := tables["evidence_families"]
	ct := fam.Question.CrossTab
	if ct == nil || fam.Grouping == nil {
		t.Fatal("evidence_families by region has no cross-tab")
	}
	if len(ct.Rows) != len(cells) || len(ct.Rows) >= len(q.Options) {
		t.Fatalf("%d rows, want the %d families", len(ct.Rows), len(cells))
	}
	for j, g := range fam.Grouping.Groups {
		if g.N != ticked[g.Key] || ct.ColTotals[j] != g.N {
			t.Errorf("%s: group n %d, col total %d, want %d", g.Key, g.N, ct.ColTotals[j], ticked[g.Key])
		}
		if g.Respondents != members[g.Key] {
			t.Errorf("%s: %d respondents, want %d", g.Key, g.Respondents, members[g.Key])
		}
		for i, f := range ct.Rows {
			want := cells[f][g.Key]
			if ct.Counts[i][j] != want {
				t.Errorf("%s × %s: %d, want %d", f, g.Key, ct.Counts[i][j], want)
			}
			if ticked[g.Key] > 0 && ct.ColPct[i][j] != float64(want)/float64(ticked[g.Key]) {
				t.Errorf("%s × %s: %g, want %d/%d", f, g.Key, ct.ColPct[i][j], want, ticked[g.Key])
			}
		}
	}
	if tables["staff_skills"].Grouping != nil {
		t.Error("the matrix table carries a grouping")
	}
	for _, id := range []string{"methods_used", "methods_by_region", "decisions_by_status"} {
		tab := tables[id]
		for j, g := range tab.Grouping.Groups {
			if g.N != tab.Question.CrossTab.ColTotals[j] {
				t.Errorf("%s, %s: group n %d, col total %d", id, g.Key, g.N, tab.Question.CrossTab.ColTotals[j])
			}
		}
	}
}

// TestMethodsByMaturityFromRawResponses: the maturity table gives, per
// maturity level, n, mean and median of the number of substantive methods
// chosen, recomputed from the responses.
func TestMethodsByMaturityFromRawResponses(t *testing.T) {
	s, rs := impactDemo(t, 300)
	rep, err := analysis.Report(s, survey.ResponsesOf(rs), analysis.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var tab analysis.TableResult
	for _, x := range rep.Tables {
		if x.Spec.ID == "methods_by_maturity" {
			tab = x
		}
	}
	if tab.Grouping == nil || tab.Grouping.By != "maturity" || tab.Correlation == nil {
		t.Fatalf("methods_by_maturity: grouping %+v, correlation %+v", tab.Grouping, tab.Correlation)
	}
	q := s.Question("methods_used")
	pos := -1
	for i, x := range s.Questions() {
		if x.ID == q.ID {
			pos = i
		}
	}
	byLevel := map[string][]float64{}
	for _, r := range rs {
		list, ok := r.Answers[q.ID].([]string)
		level, _ := r.Answers["maturity"].(string)
		if r.Status != survey.ResponseSubmitted || !ok || level == "" || !s.Asked(r.Answers)[pos] {
			continue
		}
		n := 0
		for _, v := range list {
			if o := q.Option(v); o != nil && !o.Exclusive && !o.Missing {
				n++
			}
		}
		byLevel[level] = append(byLevel[level], float64(n))
	}
	checked := 0
	for j, g := range tab.Grouping.Groups {
		xs := byLevel[g.Key]
		st := tab.Question.ByGroup[j].Stats
		if st.N != len(xs) || g.N != len(xs) {
			t.Errorf("level %s: n %d (group n %d), want %d", g.Key, st.N, g.N, len(xs))
			continue
		}
		if len(xs) == 0 {
			continue
		}
		sum := 0.0
		for _, x := range xs {
			sum += x
		}
		if d := st.Mean - sum/float64(len(xs)); d > 1e-9 || d < -1e-9 {
			t.Errorf("level %s: mean %g, want %g", g.Key, st.Mean, sum/float64(len(xs)))
		}
		sorted := append([]float64(nil), xs...)
		sort.Float64s(sorted)
		med := sorted[len(sorted)/2]
		if len(sorted)%2 == 0 {
			med = (sorted[len(sorted)/2-1] + sorted[len(sorted)/2]) / 2
		}
		if st.Median != med {
			t.Errorf("level %s: median %g, want %g", g.Key, st.Median, med)
		}
		checked++
	}
	if checked < 3 {
		t.Errorf("only %d maturity levels had answers", checked)
	}
}
