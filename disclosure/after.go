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
//   - Protecting the old ones: the cells prev's protection rested on (its
//     small counts and the cells their witnesses move) stay withheld here
//     (Problem.Withhold). A witness of prev, plus the new responses' true
//     tally, is then a table of this publication too: it differs from
//     the truth only in cells withheld in both.
//
// Writing both publications' cells into one problem instead, prev's
// withheld ones as unknowns, made Protect 20 to 60 times slower (a minute
// for the landscape survey), too slow for a public page.
// TestTwoSnapshotsGiveNothingAway attacks with that whole joint problem.
//
// A publication of more than maxAfterCells cells is published alone
// (Publish), as are all when prev is nil.
//
// Only the previous publication is modelled, not the whole history: each
// publication is protected against the one before it, which was protected
// against its own predecessor, and a cell kept withheld for prev's sake is
// released in the next publication but one unless its own protection
// needs it.
func PublishAfter(prev *Previous, rep *analysis.ReportResult, t *Tallies, rules Rules) *Published {
	return publishAfter(prev, rep, t, rules, maxAfterCells)
}

// publishAfter is PublishAfter for publications of at most maxCells cells
// (−1: any; for tests and measurements).
func publishAfter(prev *Previous, rep *analysis.ReportResult, t *Tallies, rules Rules, maxCells int) *Published {
	if prev == nil || prev.Report == nil && prev.Tallies == nil {
		return Publish(rep, t, rules)
	}
	rules = normalize(rules)
	_, b1 := publishOpt(prev.Report, prev.Tallies, rules, modelOnly)
	out, b2 := publishOpt(rep, t, rules, modelOnly)
	p1, idx1 := b1.problem()
	p2, idx2 := b2.problem()
	if maxCells >= 0 && p2.Len() > maxCells {
		return Publish(rep, t, rules)
	}

	// Each cell of this publication with its value in prev, through any
	// of the keys the quantity is known by; one that fell is not the same
	// quantity (a definition changed, or responses were deleted: the
	// reader cannot rely on it).
	protecting := map[string]bool{}
	for _, k := range prev.Protecting {
		protecting[k] = true
	}
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
	return finish(out, b2, p2, idx2, suppress(p2, rules.K))
}

// maxAfterCells is the largest publication PublishAfter protects against
// the one before. Measured on this 2-core machine (docs/embed.md, "Two
// snapshots together"): the landscape survey's ~295 cells took 1 to 4 s,
// the impact-methods survey's ~376 took 65 to 91 s once the total was
// withheld — too long for an admin's refresh, let alone a page.
const maxAfterCells = 320

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
