package disclosure_test

import (
	"math"
	"testing"

	"github.com/metlib/canvass/disclosure"
)

// hiddenSet turns a list of cells into Attack's hidden function.
func hiddenSet(cells ...int) func(int) bool {
	m := map[int]bool{}
	for _, c := range cells {
		m[c] = true
	}
	return func(i int) bool { return m[i] }
}

// wantRange fails unless Attack gave cell i exactly [lo, hi].
func wantRange(t *testing.T, p *disclosure.Problem, r []disclosure.Range, i, lo, hi int) {
	t.Helper()
	if r[i].Unbounded || r[i].Approx || r[i].Lo != lo || r[i].Hi != hi {
		t.Errorf("%s: got %+v, want [%d, %d]", p.Key(i), r[i], lo, hi)
	}
}

// protectAndCheck runs Protect and the attack tool on its result.
func protectAndCheck(t *testing.T, p *disclosure.Problem, k int) disclosure.Suppression {
	t.Helper()
	s := p.Protect(k)
	checkProtected(t, t.Name(), p, s, k)
	r := disclosure.Attack(p, func(i int) bool { return p.IsSecret(i) || s.Hidden(i) })
	for i := range p.Len() {
		if s.Primary[i] && !r[i].Unbounded && r[i].Hi < k {
			t.Errorf("%s = %d: after Protect the reader knows it is at most %d", p.Key(i), p.Value(i), r[i].Hi)
		}
	}
	return s
}

// The subtraction: counts.json's total minus the shown regions gives
// Asia-Oceania = 2.
func TestTotalMinusShownRegions(t *testing.T) {
	p := disclosure.NewProblem()
	total := p.Cell("responses", 18)
	asia := p.Cell("responses/region=asia-oceania", 2)
	europe := p.Cell("responses/region=europe", 7)
	africa := p.Cell("responses/region=africa", 9)
	p.Sum(total, asia, europe, africa)

	wantRange(t, p, disclosure.Attack(p, hiddenSet(asia)), asia, 2, 2)

	s := protectAndCheck(t, p, 5)
	if !s.Primary[asia] || !s.Secondary[europe] || s.Hidden(africa) || s.Hidden(total) {
		t.Errorf("got primary %v secondary %v, want Asia-Oceania primary and Europe (the smaller) secondary", s.Primary, s.Secondary)
	}
	// Asia-Oceania + Europe = 9, each at least 1.
	r := disclosure.Attack(p, s.Hidden)
	wantRange(t, p, r, asia, 1, 8)
}

// A row with one suppressed cell and a published zero: the zero is a known
// fact, so the suppressed cell is the total minus the rest.
func TestRowWithAZero(t *testing.T) {
	p := disclosure.NewProblem()
	row := p.Cell("row", 10)
	a, b, z := p.Cell("a", 3), p.Cell("b", 7), p.Cell("zero", 0)
	p.Sum(row, a, b, z)
	wantRange(t, p, disclosure.Attack(p, hiddenSet(a)), a, 3, 3)
	s := protectAndCheck(t, p, 5)
	if !s.Secondary[b] || s.Hidden(z) {
		t.Errorf("got secondary %v, want b, never the zero", s.Secondary)
	}
	wantRange(t, p, disclosure.Attack(p, s.Hidden), a, 1, 9)
}

// Two tables sharing a margin S: table A splits S into x + y (y published),
// table B puts S and z into a published 8. Each alone leaves x and z free
// enough; together S ≥ 7 (from A) and S ≤ 7 (from B) pin both.
func TestTwoTablesShareAMargin(t *testing.T) {
	build := func(withA, withB bool) (p *disclosure.Problem, x, y, s, z, tot int) {
		p = disclosure.NewProblem()
		x, y = p.Cell("A/x", 1), p.Cell("A/y", 6)
		s = p.Cell("S", 7)
		z, tot = p.Cell("B/z", 1), p.Cell("B/total", 8)
		if withA {
			p.Sum(s, x, y)
		}
		if withB {
			p.Sum(tot, s, z)
		}
		return
	}
	p, x, _, s, z, _ := build(true, false)
	r := disclosure.Attack(p, hiddenSet(x, s, z))
	if !r[x].Unbounded {
		t.Errorf("table A alone: x got %+v, want unbounded", r[x])
	}
	p, x, _, s, z, _ = build(false, true)
	r = disclosure.Attack(p, hiddenSet(x, s, z))
	wantRange(t, p, r, z, 1, 7)
	p, x, _, s, z, _ = build(true, true)
	r = disclosure.Attack(p, hiddenSet(x, s, z))
	wantRange(t, p, r, x, 1, 1)
	wantRange(t, p, r, z, 1, 1)
	wantRange(t, p, r, s, 7, 7)
	protectAndCheck(t, p, 5)
}

// likert is the scale: counts of 1 to 5, 18 answers.
func likert(p *disclosure.Problem) (n []int, total int) {
	vals := []int{2, 0, 6, 7, 3}
	for j, v := range vals {
		n = append(n, p.Cell("likert/"+string(rune('1'+j)), v))
	}
	total = p.Cell("likert/answered", 18)
	p.Sum(total, n...)
	return n, total
}

// A weighted relation: Σ j·n_j = 63 published (say, as a number of points)
// pins the two suppressed ends, 2 and 3.
func TestWeightedSumPinsAPair(t *testing.T) {
	p := disclosure.NewProblem()
	n, _ := likert(p)
	terms := make([]disclosure.Term, len(n))
	for j := range n {
		terms[j] = disclosure.Term{Cell: n[j], Coef: float64(j + 1)}
	}
	p.Relation(terms, 63, 63)
	r := disclosure.Attack(p, hiddenSet(n[0], n[4]))
	wantRange(t, p, r, n[0], 2, 2)
	wantRange(t, p, r, n[4], 3, 3)
	protectAndCheck(t, p, 5)
}

// A rounded mean: 3.50 to two decimals says 62.91 ≤ Σ j·n_j ≤ 63.09 for
// 18 answers. The LP alone leaves n5 in [2.98, 3.02]; over the integers it
// is 3, and n1 is 2: branch and bound must find what the LP cannot.
func TestRoundedMeanPinsAPair(t *testing.T) {
	p := disclosure.NewProblem()
	n, total := likert(p)
	lo := []disclosure.Term{{Cell: total, Coef: -3.495}}
	hi := []disclosure.Term{{Cell: total, Coef: -3.505}}
	for j := range n {
		lo = append(lo, disclosure.Term{Cell: n[j], Coef: float64(j + 1)})
		hi = append(hi, disclosure.Term{Cell: n[j], Coef: float64(j + 1)})
	}
	p.Relation(lo, 0, math.Inf(1))
	p.Relation(hi, math.Inf(-1), 0)
	r := disclosure.Attack(p, hiddenSet(n[0], n[4]))
	wantRange(t, p, r, n[0], 2, 2)
	wantRange(t, p, r, n[4], 3, 3)
	protectAndCheck(t, p, 5)
}

func TestProblemRejectsProgrammingErrors(t *testing.T) {
	cases := []struct {
		name string
		f    func(p *disclosure.Problem)
	}{
		{"same key, other value", func(p *disclosure.Problem) { p.Cell("a", 1); p.Cell("a", 2) }},
		{"same key, cell and secret", func(p *disclosure.Problem) { p.Cell("a", 1); p.Secret("a", 1) }},
		{"negative value", func(p *disclosure.Problem) { p.Cell("a", -1) }},
		{"sum the true values break", func(p *disclosure.Problem) { p.Sum(p.Cell("t", 5), p.Cell("a", 1), p.Cell("b", 1)) }},
		{"unknown cell", func(p *disclosure.Problem) { p.Sum(0, 7) }},
		{"lo above hi", func(p *disclosure.Problem) { p.Relation([]disclosure.Term{{Cell: p.Cell("a", 1), Coef: 1}}, 2, 1) }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Errorf("no panic")
				}
			}()
			tc.f(disclosure.NewProblem())
		})
	}
	p := disclosure.NewProblem()
	if a, b := p.Cell("a", 3), p.Cell("a", 3); a != b || p.Len() != 1 || p.Key(a) != "a" || p.Value(a) != 3 {
		t.Errorf("the same key twice: indices %d and %d, %d quantities", a, b, p.Len())
	}
}
