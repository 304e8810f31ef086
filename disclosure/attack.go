package disclosure

import (
	"fmt"
	"math"
)

// Range is what a reader can work out about one hidden cell.
type Range struct {
	Lo, Hi    int
	Unbounded bool // Hi meaningless when Unbounded
	// Approx is set when the branch and bound stopped at its node limit
	// before proving the range: Lo and Hi are then values a table
	// consistent with the publication does take (the true range holds at
	// least [Lo, Hi]), which is the side that over-reports what a reader
	// learns, never the side that hides a disclosure.
	Approx bool
}

// Attack is the reader: from the values of the cells not hidden and the
// relations only, it computes for every hidden cell the range of values it can
// take over non-negative integers (a hidden non-secret cell is ≥ 1, since zeros
// are published). Exact over the integers (LP bounds, then branch and bound),
// per connected component; see Range.Approx for the one exception.
//
// The result is indexed like the problem's quantities; a cell not hidden has
// the range [value, value]: the reader reads it. A hidden cell whose true
// value is 0 gets no ≥ 1 (the reader's rule only holds when zeros are
// published, as Protect does).
//
// Secrets are hidden only when hidden says so (Pinned always hides them): a
// caller replaying what some output shows may need to treat one as seen.
//
// It panics if the system is infeasible, which the true values rule out: that
// is a programming error.
func Attack(p *Problem, hidden func(i int) bool) []Range {
	h := make([]bool, p.Len())
	for i := range h {
		h[i] = hidden(i)
	}
	a := newAttacker(p, h)
	out := make([]Range, p.Len())
	for i := range out {
		if !h[i] {
			out[i] = Range{Lo: p.values[i], Hi: p.values[i]}
			continue
		}
		s, j := a.sys[a.comp[i]], a.local[i]
		lo := s.extreme(j, false, math.MinInt, math.Inf(1))
		hi := s.extreme(j, true, math.MaxInt, math.Inf(1))
		out[i] = Range{Lo: lo.got, Hi: hi.got, Unbounded: hi.unbounded, Approx: !lo.exact || !hi.exact}
	}
	return out
}

// reaches reports whether some integer table consistent with everything
// published (the hidden cells unknown, as in Attack) has cell i at value
// at least v, searching up to nodes branch-and-bound nodes, and whether
// the answer is proved (false with proved false: the search gave up). It
// is the question "can a reader rule out i ≥ v?" asked directly, for a
// cell whose Attack range is approximate: Attack's maximum is then only a
// value some solution takes, and may be below what the reader must allow.
func reaches(p *Problem, hidden func(i int) bool, i, v, nodes int) (reached, proved bool) {
	h := make([]bool, p.Len())
	for j := range h {
		h[j] = hidden(j)
	}
	if !h[i] {
		return p.values[i] >= v, true
	}
	a := newAttacker(p, h)
	s, j := a.sys[a.comp[i]], a.local[i]
	s.nodes = nodes
	r := s.extreme(j, true, v, float64(v))
	return r.got >= v, r.got >= v || r.exact
}

// lpPinned reports, for each cell in cells (hidden ones), whether the LP
// relaxation of the reader's system alone pins it: its LP minimum and
// maximum meet. The integer range lies inside the LP range and holds the
// true value, so such a cell is pinned over the integers too; a cell whose
// LP range is wider may still be pinned by integrality, and is reported
// false (the caller then keeps it hidden, the safe side). Two LPs per cell,
// each from the last basis of its component: no branch and bound.
func lpPinned(p *Problem, hidden func(i int) bool, cells []int) []bool {
	h := make([]bool, p.Len())
	for i := range h {
		h[i] = hidden(i)
	}
	a := newAttacker(p, h)
	out := make([]bool, len(cells))
	for n, i := range cells {
		if !h[i] {
			continue
		}
		s, j := a.sys[a.comp[i]], a.local[i]
		obj := make([]float64, len(s.cells))
		obj[j] = 1
		st, lo, _ := s.solveRoot(obj)
		if st != lpOptimal {
			continue
		}
		obj[j] = -1
		st, hi, _ := s.solveRoot(obj)
		if st != lpOptimal {
			continue
		}
		out[n] = math.Abs(lo+hi) < intTol // lo = min x, −hi = max x
	}
	return out
}

// Pinned reports the hidden cells the reader can work out exactly, or prove
// below k: the attack tool's verdict (Lo == Hi, or Hi < k for a primary).
// Secrets are not reported: they are never published, and the Problem's
// author chose not to protect them.
func Pinned(p *Problem, s Suppression, k int) []int {
	r := Attack(p, func(i int) bool { return p.secret[i] || s.Hidden(i) })
	var out []int
	for i := range r {
		if !s.Hidden(i) || p.secret[i] || r[i].Unbounded {
			continue
		}
		primary := i < len(s.Primary) && s.Primary[i]
		if r[i].Lo == r[i].Hi || (primary && r[i].Hi < k) {
			out = append(out, i)
		}
	}
	return out
}

// attacker holds the reader's systems: one per connected component of the
// hidden cells (two hidden cells are connected when a relation involves
// both), with the published values substituted.
type attacker struct {
	p      *Problem
	hidden []bool
	comp   []int // cell → index in sys, −1 when published
	local  []int // cell → variable index in its system
	sys    []*system
}

// A system is one component: its variables are hidden cells.
type system struct {
	cells []int     // variable → cell
	lb    []float64 // the reader's lower bounds (1, or 0 for secrets)
	truth []float64 // the true values: a feasible integer point
	rows  []lpRow
	// root is the tableau of the LP relaxation without branching bounds,
	// kept so that each new objective starts from the last optimum.
	root *tableau
	// work, when set, counts the LPs extreme solves (root and branch and
	// bound nodes): Protect's deterministic work budget.
	work *int
	// nodes, when set, replaces nodeLimit.
	nodes int
}

func newAttacker(p *Problem, hidden []bool) *attacker {
	n := p.Len()
	uf := newUnionFind(n)
	for _, r := range p.rels {
		first := -1
		for _, t := range r.terms {
			if !hidden[t.Cell] {
				continue
			}
			if first < 0 {
				first = t.Cell
				continue
			}
			uf.union(first, t.Cell)
		}
	}
	a := &attacker{p: p, hidden: hidden, comp: make([]int, n), local: make([]int, n)}
	rootSys := map[int]int{}
	for i := range n {
		a.comp[i] = -1
		if !hidden[i] {
			continue
		}
		r := uf.find(i)
		k, ok := rootSys[r]
		if !ok {
			k = len(a.sys)
			rootSys[r] = k
			a.sys = append(a.sys, &system{})
		}
		s := a.sys[k]
		a.comp[i] = k
		a.local[i] = len(s.cells)
		s.cells = append(s.cells, i)
		lb := 0.0
		if !p.secret[i] && p.values[i] > 0 {
			lb = 1
		}
		s.lb = append(s.lb, lb)
		s.truth = append(s.truth, float64(p.values[i]))
	}
	for _, r := range p.rels {
		known := 0.0
		var row lpRow
		k := -1
		for _, t := range r.terms {
			if !hidden[t.Cell] {
				known += t.Coef * float64(p.values[t.Cell])
				continue
			}
			k = a.comp[t.Cell]
			row.idx = append(row.idx, a.local[t.Cell])
			row.coef = append(row.coef, t.Coef)
		}
		if k < 0 {
			continue // nothing hidden: the true values satisfy it (checked when added)
		}
		row.lo, row.hi = r.lo-known, r.hi-known
		a.sys[k].rows = append(a.sys[k].rows, row)
	}
	return a
}

// subsystem is the reader's system restricted to the hidden cells vars
// (sorted), every other cell held at its true value: its integer solutions
// are solutions of the whole system, so a value found in it is one the
// reader must allow for.
func (p *Problem) subsystem(vars []int) *system {
	s := &system{cells: vars}
	local := make(map[int]int, len(vars))
	for j, c := range vars {
		local[c] = j
		lb := 0.0
		if !p.secret[c] && p.values[c] > 0 {
			lb = 1
		}
		s.lb = append(s.lb, lb)
		s.truth = append(s.truth, float64(p.values[c]))
	}
	seen := map[int]bool{}
	for _, c := range vars {
		for _, ri := range p.cellRels[c] {
			if seen[ri] {
				continue
			}
			seen[ri] = true
			r := p.rels[ri]
			known := 0.0
			var row lpRow
			for _, t := range r.terms {
				if j, ok := local[t.Cell]; ok {
					row.idx = append(row.idx, j)
					row.coef = append(row.coef, t.Coef)
					continue
				}
				known += t.Coef * float64(p.values[t.Cell])
			}
			row.lo, row.hi = r.lo-known, r.hi-known
			s.rows = append(s.rows, row)
		}
	}
	return s
}

// solveRoot solves the LP relaxation for obj, from the basis the last
// objective ended on.
func (s *system) solveRoot(obj []float64) (lpStatus, float64, []float64) {
	if s.root == nil {
		ub := make([]float64, len(s.cells))
		for i := range ub {
			ub[i] = math.Inf(1)
		}
		tb, st := newTableau(newStdForm(len(s.cells), s.rows, s.lb, ub))
		if st != lpOptimal {
			return st, 0, nil
		}
		s.root = tb
	}
	return s.root.minimize(obj)
}

// nodeLimit bounds the branch and bound of one extreme. Margin systems are
// totally unimodular, so their LP optimum is integral and the root is the
// only node; the limit is for the weighted and rounded-mean relations.
const nodeLimit = 400

// extremeResult is what extreme proved.
type extremeResult struct {
	got       int  // a value of the variable some integer solution takes
	exact     bool // got is the extreme itself
	unbounded bool // (maximum only) the variable can be as large as you like
	// point is an integer solution where the variable is got (nil: the
	// true values).
	point []float64
}

// extreme finds the largest (max) or smallest value variable j takes over
// the integer points of s, by branch and bound on LP relaxations. It stops
// early once it has a solution at least stop (max) or at most stop (min):
// Protect only needs to know whether a cell can reach k.
//
// If the node limit is hit, got is the best value some integer solution was
// shown to take, not the LP bound: the LP bound would claim a range the
// reader may in fact be able to narrow, so a cell could pass Protect's check
// (max ≥ k) on a bound no integer table reaches. A value actually taken
// errs the other way — Protect hides more than it might need to, and the
// attack tool may report a cell the reader cannot quite pin — which is the
// safe side for both.
//
// capAt, when finite, adds x_j ≤ capAt to a maximisation, so that it ends on
// a solution rather than a ray.
func (s *system) extreme(j int, maximize bool, stop int, capAt float64) extremeResult {
	nv := len(s.cells)
	sign := 1.0 // minimise sign·x_j
	if maximize {
		sign = -1
	}
	obj := make([]float64, nv)
	obj[j] = sign
	best := int(math.Round(s.truth[j]))
	var point []float64
	reached := func() bool {
		if maximize {
			return best >= stop
		}
		return best <= stop
	}
	if reached() {
		return extremeResult{got: best}
	}
	type node struct{ lb, ub []float64 }
	ub := make([]float64, nv)
	for i := range ub {
		ub[i] = math.Inf(1)
	}
	if maximize {
		ub[j] = capAt
	}
	stack := []node{{lb: append([]float64(nil), s.lb...), ub: ub}}
	exact := true
	for nodes := 0; len(stack) > 0; nodes++ {
		if nodes == nodeLimit && s.nodes == 0 || s.nodes > 0 && nodes == s.nodes {
			exact = false
			break
		}
		nd := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if s.work != nil {
			*s.work++
		}
		var st lpStatus
		var val float64
		var x []float64
		if nodes == 0 && math.IsInf(capAt, 1) {
			st, val, x = s.solveRoot(obj)
		} else {
			st, val, x = solveLP(nv, s.rows, nd.lb, nd.ub, obj)
		}
		switch st {
		case lpInfeasible:
			if nodes == 0 {
				panic(fmt.Sprintf("disclosure: the reader's system for %d hidden cells is infeasible, yet the true values satisfy it (rows %+v, lower bounds %v, true values %v)", nv, s.rows, s.lb, s.truth))
			}
			continue
		case lpUnbounded:
			if nodes == 0 && maximize {
				// A rational polyhedron with an integer point (the true
				// values) and an unbounded LP has integer points as far
				// out as you like along the same ray.
				return extremeResult{got: best, exact: true, unbounded: true}
			}
			exact = false
			continue
		case lpFailed:
			exact = false
			continue
		}
		// The best integer value in this node is no better than the LP's.
		bound := sign * val
		if maximize {
			if math.Floor(bound+intTol) <= float64(best) {
				continue
			}
		} else if math.Ceil(bound-intTol) >= float64(best) {
			continue
		}
		f := -1
		for i, v := range x {
			if math.Abs(v-math.Round(v)) > intTol {
				f = i
				break
			}
		}
		if f < 0 {
			best = int(math.Round(x[j]))
			point = x
			if reached() {
				return extremeResult{got: best, point: point}
			}
			continue
		}
		down := node{lb: nd.lb, ub: append([]float64(nil), nd.ub...)}
		down.ub[f] = math.Floor(x[f])
		up := node{lb: append([]float64(nil), nd.lb...), ub: nd.ub}
		up.lb[f] = math.Ceil(x[f])
		// Depth first, the side the objective pulls towards first (the
		// last pushed is popped first).
		if maximize {
			stack = append(stack, down, up)
		} else {
			stack = append(stack, up, down)
		}
	}
	return extremeResult{got: best, exact: exact, point: point}
}
