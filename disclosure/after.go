package disclosure

import (
	"math"
	"sort"

	"github.com/metlib/canvass/analysis"
)

// Previous is a publication readers already have: the figures it was made
// from and the keys of the cells its protection rests on (its
// Published.Protecting).
type Previous struct {
	Report     *analysis.ReportResult
	Tallies    *Tallies
	Protecting []string
	// Witnesses are its Published.Witnesses (nil in snapshots stored
	// before they were kept: every Protecting cell then stays withheld).
	Witnesses []Witness
}

// PublishAfter is Publish for a publication that follows prev, protected
// against the reader who keeps both. Alone, each publication may be safe
// while the pair is not: with the totals shown, the new responses' number
// m is known, and a region shown as 0 before and withheld now, beside a
// region shown as 4 before and withheld now, the two holding 5, holds at
// most 1; and a count withheld before, shown now, bounds the one before
// (it was at most the count now, and at least that less m).
//
// Two rules make each publication's small counts safe from both:
//
//   - Protecting the new small counts: the relations between the two
//     publications are written into this one's problem, with prev's true
//     figures (shown or withheld): no count falls (a count is a tally of
//     responses), a part of a whole grows by at most what the whole grew
//     by (each inequality of the problem holds of the new responses'
//     tally), and so no count grows by more than m; and m ≥ k when the
//     retake rule held. Every table Protect then finds for a small count here is,
//     with prev's true figures, a pair of tables both publications and
//     every relation between them allow.
//   - Protecting the old ones: a witness of prev whose pair with this
//     publication's true table both publications and every relation
//     between them allow protects its small counts as it is (toKeep);
//     the cells of every other witness (its small counts and the cells
//     it moves) stay withheld here (Problem.Withhold). Such a witness,
//     plus the new responses' true tally, is then a table of this
//     publication too: it differs from the truth only in cells withheld
//     in both.
//
// Writing both publications' cells into one problem instead, prev's
// withheld ones as unknowns, made Protect 20 to 60 times slower (a minute
// for the landscape survey), too slow for a public page.
// TestTwoSnapshotsGiveNothingAway attacks with that whole joint problem.
//
// Protect's work is bounded per component (componentBudget), not by time:
// measured on this 2-core machine (docs/embed.md, "Two snapshots
// together"), 2 to 11 s for the built-in surveys at 300 responses,
// minutes for the impact-methods survey at 45, where most cells are
// small. The campaign does it in the background, serving the publication
// before meanwhile. When prev is nil it is Publish.
//
// Only the previous publication is modelled, not the whole history: each
// publication is protected against the one before it, which was protected
// against its own predecessor, and a cell kept withheld for prev's sake is
// released in the next publication but one unless its own protection
// needs it.
func PublishAfter(prev *Previous, rep *analysis.ReportResult, t *Tallies, rules Rules) *Published {
	if prev == nil || prev.Report == nil && prev.Tallies == nil {
		return Publish(rep, t, rules)
	}
	rules = normalize(rules)
	_, b1 := publishOpt(prev.Report, prev.Tallies, rules, modelOnly)
	out, b2 := publishOpt(rep, t, rules, modelOnly)
	p1, idx1 := b1.problem()
	p2, idx2 := b2.problem()

	// Each cell of this publication with its value in prev, through any
	// of the keys the quantity is known by; one that fell is not the same
	// quantity (a definition changed, or responses were deleted: the
	// reader cannot rely on it).
	protecting := prev.toKeep(p1, idx1, b1, p2, idx2, b2, rules.K)
	before := map[int]int{} // p2 cell → its value in prev
	withhold := map[int]bool{}
	keys := make([]string, 0, len(b2.byKey))
	for k := range b2.byKey {
		keys = append(keys, k)
	}
	sort.Strings(keys) // map order is random; the problem must not be
	for _, k := range keys {
		c2 := idx2[b2.byKey[k]]
		if protecting[k] && !p2.IsSecret(c2) {
			withhold[c2] = true
		}
		q1, ok := b1.byKey[k]
		if !ok {
			continue
		}
		c1 := idx1[q1]
		if p1.IsSecret(c1) || p2.IsSecret(c2) || p2.Value(c2) < p1.Value(c1) {
			continue
		}
		if _, ok := before[c2]; !ok {
			before[c2] = p1.Value(c1)
		}
	}

	// The relations added are kept apart from the hubs' test (degree): a
	// bound on every cell would make every cell look like a total.
	p2.own = len(p2.rels)
	for c := range withhold {
		p2.Withhold(c)
	}
	c2s := make([]int, 0, len(before))
	for c := range before {
		c2s = append(c2s, c)
	}
	sort.Ints(c2s)
	add := func(terms []Term, lo, hi float64) {
		if p2.holds(terms, lo, hi) {
			p2.Relation(terms, lo, hi)
		}
	}
	// None falls.
	for _, c2 := range c2s {
		if v := before[c2]; v > 0 {
			add([]Term{{c2, 1}}, float64(v), math.Inf(1))
		}
	}
	// Each inequality holds of the new responses' tally: Σ c·(x − x_prev)
	// within the same bounds. Not a sum (= 0): the new responses' sum is
	// the difference of two sums the problem has.
	for _, r := range p2.rels[:len(p2.rels):len(p2.rels)] {
		if !homogeneous(r) || r.lo == 0 && r.hi == 0 || len(r.terms) < 2 {
			continue
		}
		terms := make([]Term, len(r.terms))
		was := 0.0
		for i, tm := range r.terms {
			v, ok := before[tm.Cell]
			if !ok {
				terms = nil
				break
			}
			terms[i] = tm
			was += tm.Coef * float64(v)
		}
		if terms != nil {
			add(terms, r.lo+was, r.hi+was)
		}
	}
	// m ≥ k when the retake rule held. (That no count grows by more than
	// m follows from the sums and inequalities above: written out for
	// every cell, it tied each to the total and made Protect 2 to 10
	// times slower, for nothing the attacker of both found.)
	if n2, ok := p2.Index(keyResponses); ok {
		if n1, ok := before[n2]; ok {
			if p2.Value(n2)-n1 >= rules.K {
				add([]Term{{n2, 1}}, float64(n1+rules.K), math.Inf(1))
			}
		}
		if !p2.IsSecret(n2) {
			p2.Keep(n2)
		}
	}
	sup := suppress(p2, rules.K)
	out.memo = memoOf(p2.fingerprint(rules.K), sup)
	return finish(out, b2, p2, idx2, sup)
}

// normalize fills in Rules' defaults (K at least 1, MinStatsN 2K).
func normalize(r Rules) Rules {
	if r.K < 1 {
		r.K = 1
	}
	if r.MinStatsN <= 0 {
		r.MinStatsN = 2 * r.K
	}
	return r
}

// homogeneous reports whether r is a sum or an inequality (bounds 0 or
// infinite), which the difference of two tallies obeys as each tally does.
func homogeneous(r relation) bool {
	ok := func(b float64) bool { return b == 0 || math.IsInf(b, 0) }
	return ok(r.lo) && ok(r.hi)
}

// holds reports whether the true values satisfy lo ≤ Σ terms ≤ hi.
func (p *Problem) holds(terms []Term, lo, hi float64) bool {
	s := 0.0
	for _, t := range terms {
		s += t.Coef * float64(p.values[t.Cell])
	}
	return s >= lo-feasTol(lo) && s <= hi+feasTol(hi)
}

// toKeep returns the keys of prev's cells the new publication keeps
// withheld (rule 2 of PublishAfter). A witness W of prev protects its
// small counts against the reader of both publications too, with no cell
// kept withheld, when the pair (W, the new true table) is one that reader
// cannot rule out: no count falls from W to the new table, the difference
// obeys every sum and inequality of either problem (as the new responses'
// tally does), and when the retake rule held it holds of W too. Only the
// cells of the witnesses that fail that, and those of prev's protection no
// witness stands for (a component that fell back, a pinned cell), are kept
// withheld; a witness that fails still protects its counts with them
// withheld (W plus the new responses' true tally is a table of the new
// publication: it differs from it only in cells withheld in both).
func (prev *Previous) toKeep(p1 *Problem, idx1 []int, b1 *builder, p2 *Problem, idx2 []int, b2 *builder, k int) map[string]bool {
	keep := map[string]bool{}
	if prev.Witnesses == nil {
		for _, key := range prev.Protecting {
			keep[key] = true
		}
		return keep
	}
	// Each cell of either problem with its counterpart in the other, the
	// same quantity (it did not fall).
	to2 := map[int]int{}
	to1 := map[int]int{}
	for key, q1 := range b1.byKey {
		q2, ok := b2.byKey[key]
		if !ok {
			continue
		}
		c1, c2 := idx1[q1], idx2[q2]
		if p2.Value(c2) < p1.Value(c1) {
			continue
		}
		if _, ok := to2[c1]; !ok {
			to2[c1] = c2
		}
		if _, ok := to1[c2]; !ok {
			to1[c2] = c1
		}
	}
	n1, hasN1 := p1.Index(keyResponses)
	n2, hasN2 := p2.Index(keyResponses)
	rule := hasN1 && hasN2 && p2.Value(n2)-p1.Value(n1) >= k
	pairHolds := func(w Witness) bool {
		at := map[int]int{} // p1 cell → W's value, where W moves it
		for key, v := range w.Values {
			if q, ok := b1.byKey[key]; ok {
				at[idx1[q]] = v
			}
		}
		was := func(c1 int) int {
			if v, ok := at[c1]; ok {
				return v
			}
			return p1.Value(c1)
		}
		for c1 := range at {
			c2, ok := to2[c1]
			if !ok || p2.Value(c2) < was(c1) {
				return false // no counterpart to grow into, or it fell
			}
		}
		if rule && p2.Value(n2)-was(n1) < k {
			return false
		}
		within := func(r relation, diff func(Term) (float64, bool)) bool {
			if !homogeneous(r) || len(r.terms) < 2 {
				return true
			}
			sum := 0.0
			for _, t := range r.terms {
				d, ok := diff(t)
				if !ok {
					return true // a relation the reader cannot apply to the difference
				}
				sum += t.Coef * d
			}
			return sum >= r.lo-feasTol(r.lo)-1e-9 && sum <= r.hi+feasTol(r.hi)+1e-9
		}
		for _, r := range p2.rels { // its own relations: none is added yet
			if !within(r, func(t Term) (float64, bool) {
				c1, ok := to1[t.Cell]
				return float64(p2.Value(t.Cell) - was(c1)), ok
			}) {
				return false
			}
		}
		for _, r := range p1.rels {
			if !within(r, func(t Term) (float64, bool) {
				c2, ok := to2[t.Cell]
				return float64(p2.Value(c2) - was(t.Cell)), ok
			}) {
				return false
			}
		}
		return true
	}
	covered := map[string]bool{}
	for _, w := range prev.Witnesses {
		if pairHolds(w) {
			for _, key := range w.Protects {
				covered[key] = true
			}
			for key := range w.Values {
				covered[key] = true
			}
			continue
		}
		for _, key := range w.Protects {
			keep[key] = true
		}
		for key := range w.Values {
			keep[key] = true
		}
	}
	for _, key := range prev.Protecting {
		if !covered[key] {
			keep[key] = true
		}
	}
	return keep
}

// SameFigures reports whether two publications' figures are the same
// problem: the same cells with the same values and relations, so that
// disclosing one as the other was disclosed publishes the same (a retake
// over unchanged responses: a publication, an admin's refresh).
func SameFigures(rep1 *analysis.ReportResult, t1 *Tallies, rep2 *analysis.ReportResult, t2 *Tallies, rules Rules) bool {
	rules = normalize(rules)
	_, b1 := publishOpt(rep1, t1, rules, modelOnly)
	_, b2 := publishOpt(rep2, t2, rules, modelOnly)
	p1, _ := b1.problem()
	p2, _ := b2.problem()
	return p1.fingerprint(rules.K) == p2.fingerprint(rules.K)
}
