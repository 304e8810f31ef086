package feedback_test

import (
	"math"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/metlib/canvass/feedback"
	"github.com/metlib/canvass/survey"
)

// This file recomputes every figure of a report from the raw answers with
// its own plain loops (nothing of Build's), and checks the report against
// it: each shown count, base, share and Wilson interval, each shown
// quartile, and that each hidden figure is zeroed.

// wilson is the 95% Wilson score interval, from its formula.
func wilson(x, n int) (lo, hi float64) {
	const z = 1.959963984540054
	p, nf := float64(x)/float64(n), float64(n)
	centre := (p + z*z/(2*nf)) / (1 + z*z/nf)
	half := z / (1 + z*z/nf) * math.Sqrt(p*(1-p)/nf+z*z/(4*nf*nf))
	lo, hi = centre-half, centre+half
	if x == 0 || lo < 0 {
		lo = 0
	}
	if x == n || hi > 1 {
		hi = 1
	}
	return lo, hi
}

// quantile is Hyndman and Fan's type 7 on a copy of vals.
func quantile(vals []float64, p float64) float64 {
	s := append([]float64(nil), vals...)
	sort.Float64s(s)
	h := float64(len(s)-1) * p
	i := int(h)
	if i+1 >= len(s) {
		return s[len(s)-1]
	}
	return s[i] + (h-float64(i))*(s[i+1]-s[i])
}

// world is the raw data of one report, recomputed: the peers and the
// members of each column of the report.
type world struct {
	sv    *survey.Survey
	self  feedback.Respondent
	peers []feedback.Respondent
	cols  [][]feedback.Respondent
	// truths are the recomputed tables of the report's items, for the
	// attack test.
	truths []truth
}

// truth is one item's recomputed counts as the report lays them out.
type truth struct {
	where string
	rows  []expected
	// shown are the report's rows (for which shares are hidden).
	shown []feedback.Row
	// parts are the row indexes that add up to the base (a choice, or
	// each statement of a matrix); nil for a multi or maturity.
	parts [][]int
	// figures: a Count or number item's per column values and whether
	// the report shows them; base is the count they are a part of (the
	// peers asked; for an indicator, all peers).
	figures  []feedback.NumberFigure
	values   []int
	figBase  []int
	figNoAns []int
	// noAns is the no-answer row of a multi, -1 when it has none.
	noAns int
}

// population is the directory's, else the answer to population_served.
func population(r feedback.Respondent) float64 {
	if r.Population > 0 {
		return r.Population
	}
	if v, ok := r.Answers.Number("population_served"); ok && v > 0 {
		return v
	}
	return 0
}

func band(edges []float64, v float64) int {
	n := 0
	for _, e := range edges {
		if v >= e {
			n++
		}
	}
	return n
}

// sameGroup reports whether r is in self's group of dimension dim.
func sameGroup(sv *survey.Survey, dim string, self, r feedback.Respondent) bool {
	switch dim {
	case "region":
		return r.Region == self.Region
	case "type":
		return r.Type == self.Type
	case "population":
		p := population(r)
		return p > 0 && band(sv.Benchmark.PopulationBands, p) == band(sv.Benchmark.PopulationBands, population(self))
	case "member":
		return r.Member == self.Member
	case "all":
		return true
	}
	panic(dim)
}

// newWorld recomputes the peers and columns of rep, checking the groups
// shown and merged against the rule (N ≥ k and all − N ≥ k).
func newWorld(t *testing.T, sv *survey.Survey, all []feedback.Respondent, self feedback.Respondent, rep *feedback.Report) *world {
	t.Helper()
	w := &world{sv: sv, self: self}
	for _, r := range all {
		if r.Demo == self.Demo && r.LibraryID != self.LibraryID {
			w.peers = append(w.peers, r)
		}
	}
	k := sv.SmallCellK()
	if len(w.peers) < k {
		if !rep.TooFew || len(rep.Groups) != 0 {
			t.Fatalf("%d peers: got TooFew %v and %d groups, want TooFew and none", len(w.peers), rep.TooFew, len(rep.Groups))
		}
		return w
	}
	shown := map[string]bool{}
	for gi, g := range rep.Groups {
		var members []feedback.Respondent
		for _, r := range w.peers {
			if sameGroup(sv, g.Dimension, self, r) {
				members = append(members, r)
			}
		}
		if g.N != len(members) {
			t.Errorf("group %s: got N %d, want %d", g.Label, g.N, len(members))
		}
		last := gi == len(rep.Groups)-1
		if last != (g.Dimension == "all") {
			t.Errorf("group %d is %s; all respondents must be last", gi, g.Dimension)
		}
		if !last && (len(members) < k || len(w.peers)-len(members) < k) {
			t.Errorf("group %s shown with %d of %d peers", g.Label, len(members), len(w.peers))
		}
		shown[g.Dimension] = true
		w.cols = append(w.cols, members)
	}
	for _, m := range rep.Merged {
		shown[m.Dimension] = true
		n := 0
		for _, r := range w.peers {
			if sameGroup(sv, m.Dimension, self, r) {
				n++
			}
		}
		if n >= k && len(w.peers)-n >= k {
			t.Errorf("group %s merged with %d of %d peers", m.Label, n, len(w.peers))
		}
	}
	for _, d := range sv.Benchmark.Groups {
		has := d == "member" || (d == "region" && self.Region != "") || (d == "type" && self.Type != "") || (d == "population" && population(self) > 0)
		if has != shown[d] {
			t.Errorf("dimension %s: library has a value %v, report shows or merges it %v", d, has, shown[d])
		}
	}
	return w
}

// asked reports whether r was asked q (its section's and its own show_if).
func (w *world) asked(r feedback.Respondent, q *survey.Question) bool {
	for _, sec := range w.sv.Sections {
		if slices.Contains(sec.Questions, q) {
			return sec.ShowIf.Holds(r.Answers) && q.ShowIf.Holds(r.Answers)
		}
	}
	panic(q.ID)
}

// expected is one row of recomputed counts: count and base per column.
type expected struct {
	label, matrix string
	count, base   []int
}

// checkRows compares an item's rows with the recomputed ones.
func checkRows(t *testing.T, where string, got []feedback.Row, want []expected) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: got %d rows, want %d", where, len(got), len(want))
	}
	for i, row := range got {
		e := want[i]
		if row.Label != e.label || row.Matrix != e.matrix {
			t.Errorf("%s row %d: got %q/%q, want %q/%q", where, i, row.Matrix, row.Label, e.matrix, e.label)
		}
		for c, s := range row.Shares {
			if s.Hidden {
				if s != (feedback.Share{Hidden: true}) {
					t.Errorf("%s %q col %d: hidden share not zeroed: %+v", where, row.Label, c, s)
				}
				continue
			}
			x, n := e.count[c], e.base[c]
			lo, hi := wilson(x, n)
			if s.Count != x || s.Base != n || math.Abs(s.Share-float64(x)/float64(n)) > 1e-12 ||
				math.Abs(s.Low-lo) > 1e-9 || math.Abs(s.High-hi) > 1e-9 {
				t.Errorf("%s %q col %d: got %+v, want %d/%d [%v, %v]", where, row.Label, c, s, x, n, lo, hi)
			}
		}
	}
}

// checkFigure compares a number figure with the recomputed values.
func checkFigure(t *testing.T, where string, f feedback.NumberFigure, vals []float64, k int) {
	t.Helper()
	if f.Hidden {
		if f != (feedback.NumberFigure{Hidden: true}) {
			t.Errorf("%s: hidden figure not zeroed: %+v", where, f)
		}
		return
	}
	if len(vals) < 4*k-3 || len(vals) < 2*k {
		t.Errorf("%s: quartiles of %d values shown (k %d)", where, len(vals), k)
	}
	want := feedback.NumberFigure{N: len(vals), Q1: quantile(vals, .25), Median: quantile(vals, .5), Q3: quantile(vals, .75)}
	if f.N != want.N || math.Abs(f.Q1-want.Q1) > 1e-9*math.Abs(want.Q1)+1e-12 || math.Abs(f.Median-want.Median) > 1e-9*math.Abs(want.Median)+1e-12 || math.Abs(f.Q3-want.Q3) > 1e-9*math.Abs(want.Q3)+1e-12 {
		t.Errorf("%s: got %+v, want %+v", where, f, want)
	}
}

// recompute checks every figure of rep against the raw answers.
func recompute(t *testing.T, w *world, rep *feedback.Report) {
	t.Helper()
	sv, lang, k := w.sv, rep.Lang, rep.K
	label := func(tx survey.Text) string { return tx.In(lang, sv.DefaultLanguage) }
	ncol := len(w.cols)
	items := map[string][]feedback.Item{}
	for _, sec := range rep.Sections {
		for _, it := range sec.Items {
			items[it.Question] = append(items[it.Question], it)
		}
	}
	newCounts := func() ([]int, []int) { return make([]int, ncol), make([]int, ncol) }
	for _, q := range sv.Questions() {
		its := items[q.ID]
		compared := sv.Benchmark.Compared(q)
		if !compared {
			if len(its) > 0 {
				t.Errorf("%s is not compared but has an item", q.ID)
			}
			continue
		}
		if len(its) == 0 {
			t.Errorf("%s has no item", q.ID)
			continue
		}
		it := its[0]
		selfAsked := w.asked(w.self, q)
		switch q.Type {
		case survey.SingleChoice, survey.Likert, survey.Matrix:
			type stmt struct {
				id, label string
				cond      *survey.Condition
			}
			stmts := []stmt{{}}
			if q.Type == survey.Matrix {
				stmts = nil
				for _, r := range q.Rows {
					stmts = append(stmts, stmt{r.ID, label(r.Label), r.ShowIf})
				}
			}
			var want []expected
			var parts [][]int // row indexes of each statement
			for _, st := range stmts {
				rows := make([]expected, len(q.Options)+1)
				for o := range rows {
					rows[o].count, rows[o].base = newCounts()
					rows[o].matrix = st.label
					if o < len(q.Options) {
						rows[o].label = label(q.Options[o].Label)
					} else {
						rows[o].label = "NOANSWER"
					}
				}
				for c, members := range w.cols {
					for _, r := range members {
						if !w.asked(r, q) || !st.cond.Holds(r.Answers) {
							continue
						}
						v := r.Answers.String(q.ID)
						if q.Type == survey.Matrix {
							v = r.Answers.Rows(q.ID)[st.id]
						}
						o := len(q.Options)
						for i, opt := range q.Options {
							if string(opt.Value) == v {
								o = i
							}
						}
						for i := range rows {
							rows[i].base[c]++
						}
						rows[o].count[c]++
					}
				}
				if !(ncol > 0 && rows[len(q.Options)].count[ncol-1] > 0) {
					rows = rows[:len(q.Options)]
				}
				var part []int
				for i := range rows {
					part = append(part, len(want)+i)
				}
				parts = append(parts, part)
				want = append(want, rows...)
			}
			fixNoAnswer(it.Rows, want)
			checkRows(t, q.ID, it.Rows, want)
			if len(it.Rows) == len(want) {
				// One problem per statement: each has its own Base.
				for _, part := range parts {
					lo, hi := part[0], part[len(part)-1]+1
					whole := make([]int, hi-lo)
					for i := range whole {
						whole[i] = i
					}
					w.truths = append(w.truths, truth{where: q.ID + " " + want[lo].matrix, rows: want[lo:hi], shown: it.Rows[lo:hi], parts: [][]int{whole}})
				}
			}
			if q.Type != survey.Matrix {
				var yours []string
				if o := q.Option(w.self.Answers.String(q.ID)); o != nil && selfAsked {
					yours = []string{label(o.Label)}
				}
				if !slices.Equal(it.Yours, yours) {
					t.Errorf("%s: got yours %v, want %v", q.ID, it.Yours, yours)
				}
			}
		case survey.MultiChoice:
			rows := make([]expected, len(q.Options)+1)
			for o := range rows {
				rows[o].count, rows[o].base = newCounts()
				if o < len(q.Options) {
					rows[o].label = label(q.Options[o].Label)
				} else {
					rows[o].label = "NOANSWER"
				}
			}
			counts := make([][]float64, ncol)
			for c, members := range w.cols {
				counts[c] = []float64{}
				for _, r := range members {
					if !w.asked(r, q) {
						continue
					}
					chosen := r.Answers.Strings(q.ID)
					for i := range rows {
						rows[i].base[c]++
					}
					if len(chosen) == 0 {
						rows[len(q.Options)].count[c]++
						continue
					}
					m := 0
					for i, opt := range q.Options {
						if slices.Contains(chosen, string(opt.Value)) {
							rows[i].count[c]++
							if !opt.Missing && !opt.Exclusive {
								m++
							}
						}
					}
					counts[c] = append(counts[c], float64(m))
				}
			}
			if !(ncol > 0 && rows[len(q.Options)].count[ncol-1] > 0) {
				rows = rows[:len(q.Options)]
			}
			fixNoAnswer(it.Rows, rows)
			checkRows(t, q.ID, it.Rows, rows)
			var mine []string
			if selfAsked {
				mine = w.self.Answers.Strings(q.ID)
			}
			// The number chosen is compared only when the library chose.
			if (it.Count != nil) != (len(mine) > 0) {
				t.Fatalf("%s: count compared %v, library chose %v", q.ID, it.Count != nil, mine)
			}
			if it.Count == nil {
				tr := truth{where: q.ID, rows: rows, shown: it.Rows, noAns: -1}
				if len(rows) > len(q.Options) {
					tr.noAns = len(q.Options)
				}
				w.truths = append(w.truths, tr)
				checkMissing(t, q, it, rows, mine, label)
				if sv.Benchmark.Maturity != nil && sv.Benchmark.Maturity.Question == q.ID {
					checkMaturity(t, w, q, its, label)
				}
				break
			}
			tr := truth{where: q.ID, rows: rows, shown: it.Rows, figures: it.Count.Groups, noAns: -1}
			if len(rows) > len(q.Options) {
				tr.noAns = len(q.Options)
			}
			for c := range w.cols {
				checkFigure(t, q.ID+" count "+rep.Groups[c].Label, it.Count.Groups[c], counts[c], k)
				tr.values = append(tr.values, len(counts[c]))
				tr.figBase = append(tr.figBase, rows[0].base[c])
				tr.figNoAns = append(tr.figNoAns, rows[0].base[c]-len(counts[c]))
			}
			w.truths = append(w.truths, tr)
			yours := 0
			for _, opt := range q.Options {
				if slices.Contains(mine, string(opt.Value)) && !opt.Missing && !opt.Exclusive {
					yours++
				}
			}
			if it.Count.Yours != yours {
				t.Errorf("%s: got count %d, want %d", q.ID, it.Count.Yours, yours)
			}
			checkMissing(t, q, it, rows, mine, label)
			if sv.Benchmark.Maturity != nil && sv.Benchmark.Maturity.Question == q.ID {
				checkMaturity(t, w, q, its, label)
			}
		case survey.Number:
			vals := make([][]float64, ncol)
			tr := truth{where: q.ID, figures: it.Number.Groups}
			for c, members := range w.cols {
				asked := 0
				for _, r := range members {
					if w.asked(r, q) {
						asked++
					}
					if v, ok := r.Answers.Number(q.ID); ok && w.asked(r, q) {
						vals[c] = append(vals[c], v)
					}
				}
				checkFigure(t, q.ID+" "+rep.Groups[c].Label, it.Number.Groups[c], vals[c], k)
				tr.values = append(tr.values, len(vals[c]))
				tr.figBase = append(tr.figBase, asked)
				tr.figNoAns = append(tr.figNoAns, asked-len(vals[c]))
			}
			w.truths = append(w.truths, tr)
			var mine *float64
			if v, ok := w.self.Answers.Number(q.ID); ok && selfAsked {
				mine = &v
			}
			checkBand(t, q.ID, rep.Groups, it.Number, mine, vals)
		}
	}
	for _, ind := range sv.Benchmark.Indicators {
		its := items[ind.ID]
		if len(its) != 1 {
			t.Fatalf("indicator %s: %d items", ind.ID, len(its))
		}
		per := ind.Per
		if per == 0 {
			per = 1
		}
		value := func(r feedback.Respondent) (float64, bool) {
			num, ok1 := r.Answers.Number(ind.Numerator)
			den, ok2 := population(r), true
			if ind.Denominator != "population" {
				den, ok2 = r.Answers.Number(ind.Denominator)
			}
			return num / den * per, ok1 && ok2 && den > 0
		}
		tr := truth{where: ind.ID, figures: its[0].Number.Groups}
		for c, members := range w.cols {
			var vals []float64
			for _, r := range members {
				if v, ok := value(r); ok {
					vals = append(vals, v)
				}
			}
			checkFigure(t, ind.ID+" "+rep.Groups[c].Label, its[0].Number.Groups[c], vals, k)
			tr.values = append(tr.values, len(vals))
			tr.figBase = append(tr.figBase, len(members))
			tr.figNoAns = append(tr.figNoAns, len(members)-len(vals))
		}
		w.truths = append(w.truths, tr)
		var mine *float64
		if v, ok := value(w.self); ok {
			mine = &v
		}
		checkBand(t, ind.ID, rep.Groups, its[0].Number, mine, nil)
	}
}

// checkBand: the library's value and its quarter among the first column
// whose quartiles are shown (recomputed from vals when given), naming
// that column.
func checkBand(t *testing.T, where string, groups []feedback.Group, nc *feedback.NumberCompare, mine *float64, vals [][]float64) {
	t.Helper()
	if (nc.Value == nil) != (mine == nil) || (mine != nil && *nc.Value != *mine) {
		t.Errorf("%s: got value %v, want %v", where, nc.Value, mine)
	}
	want := ""
	for c, f := range nc.Groups {
		if f.Hidden || mine == nil {
			continue
		}
		q1, med, q3 := f.Q1, f.Median, f.Q3
		if vals != nil {
			q1, med, q3 = quantile(vals[c], .25), quantile(vals[c], .5), quantile(vals[c], .75)
		}
		switch v := *mine; {
		case v > q3:
			want = "in the top quarter"
		case v > med:
			want = "in the upper middle"
		case v >= q1:
			want = "in the lower middle"
		default:
			want = "in the bottom quarter"
		}
		want += " of “" + groups[c].Label + "”"
		break
	}
	if nc.Band != want && (want == "" || strings.HasPrefix(nc.Band, "in ")) {
		t.Errorf("%s: got band %q, want %q", where, nc.Band, want)
	}
	if (nc.Band == "") != (want == "") {
		t.Errorf("%s: got band %q, want one: %v", where, nc.Band, want != "")
	}
}

// fixNoAnswer gives the recomputed no-answer rows the report's label
// (checked once in the languages test).
func fixNoAnswer(got []feedback.Row, want []expected) {
	for i := range want {
		if want[i].label == "NOANSWER" && i < len(got) {
			want[i].label = got[i].Label
		}
	}
}

// checkMissing: up to three options not chosen, most chosen first in the
// first column that shows the item, among those shown there.
func checkMissing(t *testing.T, q *survey.Question, it feedback.Item, rows []expected, mine []string, label func(survey.Text) string) {
	t.Helper()
	if len(mine) == 0 {
		if len(it.Missing) > 0 {
			t.Errorf("%s: missing %v for a library that did not answer", q.ID, it.Missing)
		}
		return
	}
	col := -1
	for c := range rows[0].count {
		for _, r := range it.Rows {
			if !r.Shares[c].Hidden {
				col = c
				break
			}
		}
		if col >= 0 {
			break
		}
	}
	var cand []int
	for o, opt := range q.Options {
		if col >= 0 && !opt.Missing && !opt.Exclusive && !opt.Other && !slices.Contains(mine, string(opt.Value)) &&
			!it.Rows[o].Shares[col].Hidden && rows[o].count[col] > 0 {
			cand = append(cand, o)
		}
	}
	// Most chosen first; ties in option order (a stable insertion sort).
	for i := 1; i < len(cand); i++ {
		for j := i; j > 0 && rows[cand[j]].count[col] > rows[cand[j-1]].count[col]; j-- {
			cand[j], cand[j-1] = cand[j-1], cand[j]
		}
	}
	var want []string
	for i := 0; i < len(cand) && i < 3; i++ {
		want = append(want, label(q.Options[cand[i]].Label))
	}
	if !slices.Equal(it.Missing, want) {
		t.Errorf("%s: got missing %v, want %v", q.ID, it.Missing, want)
	}
}

// checkMaturity recomputes the families rows (the item after the question's).
func checkMaturity(t *testing.T, w *world, q *survey.Question, its []feedback.Item, label func(survey.Text) string) {
	t.Helper()
	if len(its) != 2 || its[1].Kind != feedback.KindMaturity {
		t.Fatalf("%s: no maturity item after it", q.ID)
	}
	fams := w.sv.Benchmark.Maturity.Families
	ncol := len(w.cols)
	rows := make([]expected, len(fams)+1)
	for i := range rows {
		rows[i].count, rows[i].base = make([]int, ncol), make([]int, ncol)
		rows[i].label = "NOANSWER"
		if i < len(fams) {
			rows[i].label = label(q.OptionGroups[fams[i]])
		}
	}
	for c, members := range w.cols {
		for _, r := range members {
			if !w.asked(r, q) {
				continue
			}
			chosen := r.Answers.Strings(q.ID)
			for i := range rows {
				rows[i].base[c]++
			}
			if len(chosen) == 0 {
				rows[len(fams)].count[c]++
			}
			for i, f := range fams {
				for _, opt := range q.Options {
					if opt.Group == f && slices.Contains(chosen, string(opt.Value)) {
						rows[i].count[c]++
						break
					}
				}
			}
		}
	}
	if !(ncol > 0 && rows[len(fams)].count[ncol-1] > 0) {
		rows = rows[:len(fams)]
	}
	fixNoAnswer(its[1].Rows, rows)
	checkRows(t, q.ID+" maturity", its[1].Rows, rows)
	w.truths = append(w.truths, truth{where: q.ID + " maturity", rows: rows, shown: its[1].Rows})
}

func TestEveryFigureRecomputedFromTheAnswers(t *testing.T) {
	for _, slug := range []string{"impact-methods", "landscape"} {
		t.Run(slug, func(t *testing.T) {
			sv := builtinSurvey(t, slug)
			all := respondents(t, sv, 300, 11)
			for i := 0; i < len(all); i += 15 {
				lang := []string{"en", "fr", "es"}[i%3]
				rep := buildFor(t, sv, all, i, lang)
				w := newWorld(t, sv, all, all[i], rep)
				recompute(t, w, rep)
			}
		})
	}
}
