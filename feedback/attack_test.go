package feedback_test

import (
	"fmt"
	"testing"

	"github.com/metlib/canvass/disclosure"
	"github.com/metlib/canvass/feedback"
)

// The reader of a report, played by the disclosure package's attack: for
// each item, a disclosure.Problem holds every count the report shows or
// implies, with its true value, and the relations a reader knows:
//
//   - per column: N (the group's size, always shown) = Base + not asked;
//     a count ≤ Base, and Base − count = those not choosing it; the rows
//     of a choice or a matrix statement add up to the Base; the number of
//     values behind a figure + those without one = Base;
//   - per group column: all = group + complement, for every count, Base,
//     not-asked count and number of values (the complement's are secrets:
//     never shown, known only to be ≥ 0).
//
// A count is hidden in the problem when the report zeroes it (a Base when
// every share of its column is hidden). The attack works out the range of
// every hidden count and secret; a count that is 1 to k−1 must be able to
// reach k (or be unbounded), whether it is a cell of the report or a
// complement's.

// attackProblem builds the problem of one item of rep.
func attackProblem(tr truth, groups []feedback.Group) (*disclosure.Problem, []bool) {
	p := disclosure.NewProblem()
	var hidden []bool
	// A column hidden whole (every share of it zeroed, zeros too) tells
	// the reader nothing, not even which of its counts are zero: its
	// counts are secrets (≥ 0), not hidden cells (≥ 1 unless zero).
	wholeHidden := map[int]bool{}
	cell := func(key string, v int, hide bool) int {
		var i int
		if hide && wholeHidden[-1] {
			i = p.Secret(key, v)
		} else {
			i = p.Cell(key, v)
		}
		for len(hidden) <= i {
			hidden = append(hidden, false)
		}
		hidden[i] = hide
		return i
	}
	secret := func(key string, v int) int {
		i := p.Secret(key, v)
		for len(hidden) <= i {
			hidden = append(hidden, false)
		}
		hidden[i] = true
		return i
	}
	all := len(groups) - 1
	le := func(a, b int) { // a ≤ b
		p.Relation([]disclosure.Term{{Cell: b, Coef: 1}, {Cell: a, Coef: -1}}, 0, 1e18)
	}
	if len(tr.rows) > 0 {
		ncol := len(groups)
		x := make([][]int, len(tr.rows))
		cx := make([][]int, len(tr.rows))
		for r := range x {
			x[r] = make([]int, ncol)
			cx[r] = make([]int, ncol)
		}
		for c := range groups {
			colHidden := true
			for r := range tr.rows {
				colHidden = colHidden && tr.shown[r].Shares[c].Hidden
			}
			base := tr.rows[0].base[c]
			n := groups[c].N
			wholeHidden[-1] = colHidden
			nc := cell(fmt.Sprintf("N/%d", c), n, false)
			bc := cell(fmt.Sprintf("B/%d", c), base, colHidden)
			na := cell(fmt.Sprintf("NA/%d", c), n-base, colHidden)
			p.Sum(nc, bc, na)
			for r := range tr.rows {
				v := tr.rows[r].count[c]
				h := tr.shown[r].Shares[c].Hidden
				x[r][c] = cell(fmt.Sprintf("x/%d/%d", r, c), v, h)
				if tr.parts == nil {
					nx := cell(fmt.Sprintf("nx/%d/%d", r, c), base-v, h)
					p.Sum(bc, x[r][c], nx)
				}
			}
			wholeHidden[-1] = false
			for _, part := range tr.parts {
				var cells []int
				for _, r := range part {
					cells = append(cells, x[r][c])
				}
				p.Sum(bc, cells...)
			}
		}
		// Complements of the group columns.
		for g := 0; g < all; g++ {
			nA, nG := groups[all].N, groups[g].N
			bA, bG := tr.rows[0].base[all], tr.rows[0].base[g]
			cN := cell(fmt.Sprintf("cN/%d", g), nA-nG, false)
			cB := secret(fmt.Sprintf("cB/%d", g), bA-bG)
			cNA := secret(fmt.Sprintf("cNA/%d", g), (nA-bA)-(nG-bG))
			p.Sum(cN, cB, cNA)
			iB, _ := p.Index(fmt.Sprintf("B/%d", all))
			iBg, _ := p.Index(fmt.Sprintf("B/%d", g))
			p.Sum(iB, iBg, cB)
			iNA, _ := p.Index(fmt.Sprintf("NA/%d", all))
			iNAg, _ := p.Index(fmt.Sprintf("NA/%d", g))
			p.Sum(iNA, iNAg, cNA)
			for r := range tr.rows {
				a, v := tr.rows[r].count[all], tr.rows[r].count[g]
				cx[r][g] = secret(fmt.Sprintf("cx/%d/%d", r, g), a-v)
				p.Sum(x[r][all], x[r][g], cx[r][g])
				if tr.parts == nil {
					le(cx[r][g], cB)
				}
			}
			for _, part := range tr.parts {
				var cells []int
				for _, r := range part {
					cells = append(cells, cx[r][g])
				}
				p.Sum(cB, cells...)
			}
		}
	}
	if tr.figures != nil {
		for c := range groups {
			h := tr.figures[c].Hidden
			// A hidden figure shows nothing at all: its counts are secrets.
			wholeHidden[-1] = h
			vals := cell(fmt.Sprintf("vals/%d", c), tr.values[c], h)
			if len(tr.rows) > 0 {
				// A multi's count: the values are Base less no answer.
				iB, _ := p.Index(fmt.Sprintf("B/%d", c))
				if tr.noAns >= 0 {
					iX, _ := p.Index(fmt.Sprintf("x/%d/%d", tr.noAns, c))
					p.Sum(iB, vals, iX)
				} else {
					p.Sum(iB, vals)
				}
			} else {
				noVal := cell(fmt.Sprintf("noval/%d", c), tr.figNoAns[c], h)
				nc := cell(fmt.Sprintf("N/%d", c), groups[c].N, false)
				rest := cell(fmt.Sprintf("rest/%d", c), groups[c].N-tr.values[c], h)
				p.Sum(nc, vals, rest)
				le(noVal, rest)
			}
			wholeHidden[-1] = false
		}
		for g := 0; g < all; g++ {
			iA, _ := p.Index(fmt.Sprintf("vals/%d", all))
			iG, _ := p.Index(fmt.Sprintf("vals/%d", g))
			cv := secret(fmt.Sprintf("cvals/%d", g), tr.values[all]-tr.values[g])
			p.Sum(iA, iG, cv)
			if len(tr.rows) == 0 {
				rA, _ := p.Index(fmt.Sprintf("rest/%d", all))
				rG, _ := p.Index(fmt.Sprintf("rest/%d", g))
				cr := secret(fmt.Sprintf("crest/%d", g), (groups[all].N-tr.values[all])-(groups[g].N-tr.values[g]))
				p.Sum(rA, rG, cr)
			}
		}
	}
	return p, hidden
}

// attackReport returns the counts of 1 to k−1 a reader of rep can pin or
// prove below k.
func attackReport(w *world, rep *feedback.Report) []string {
	var found []string
	for _, tr := range w.truths {
		p, hidden := attackProblem(tr, rep.Groups)
		ranges := disclosure.Attack(p, func(i int) bool { return hidden[i] })
		for i, r := range ranges {
			v := p.Value(i)
			if v > 0 && v < rep.K && !r.Unbounded && r.Hi < rep.K {
				found = append(found, fmt.Sprintf("%s: %s = %d, reader's range [%d, %d]", tr.where, p.Key(i), v, r.Lo, r.Hi))
			}
		}
	}
	return found
}

func TestAttackPinsNoSmallCount(t *testing.T) {
	for _, slug := range []string{"impact-methods", "landscape"} {
		t.Run(slug, func(t *testing.T) {
			sv := builtinSurvey(t, slug)
			all := respondents(t, sv, 300, 5)
			// Every fifth report (all 300 take 36 s, several minutes under
			// -race; the rules test checks all 300 from what they show, and
			// the unique-answer test attacks its own); with -short every tenth.
			step := 5
			if testing.Short() {
				step = 10
			}
			reports := 0
			for i := 0; i < len(all); i += step {
				rep := buildFor(t, sv, all, i, "en")
				w := newWorld(t, sv, all, all[i], rep)
				recompute(t, w, rep)
				for _, f := range attackReport(w, rep) {
					t.Errorf("report of %s: %s", all[i].LibraryID, f)
				}
				reports++
			}
			t.Logf("%d reports attacked", reports)
		})
	}
}
