package disclosure

import "math"

// The LP solver. The reader's systems are small dense linear programs
// solved many times over: two objectives per hidden cell on the same
// constraints for Attack, one short search per primary cell for Protect.
// The first version called gonum's lp.Simplex. It refactorises the basis
// with three LU decompositions and condition estimates at every pivot, finds
// its first basis by an SVD per column, and cannot be restarted from a
// previous optimum: profiling Protect on a 261-cell publication put more
// than 85% of its 8 s inside lp.Simplex. And on degenerate systems, which
// margins make common, it sometimes calls a feasible system infeasible
// (TestSimplexAgreesWithGonum counts them, with a solution checked row by
// row), which the attack would have reported as a programming error.
// lp_test.go keeps gonum as the reference this solver is checked against. This is a plain dense
// tableau simplex (phase I on artificial columns, Dantzig's rule, Bland's
// rule while pivots are degenerate so it cannot cycle), which keeps its
// tableau so that a new objective on the same constraints starts from the
// last optimal basis.

// lpRow is lo ≤ Σ coef[t]·x[idx[t]] ≤ hi over the variables of one system.
type lpRow struct {
	idx    []int
	coef   []float64
	lo, hi float64
}

type lpStatus int

const (
	lpOptimal lpStatus = iota
	lpInfeasible
	lpUnbounded
	// lpFailed is a numerical failure of the simplex: nothing is known.
	lpFailed
)

// Tolerances. The systems hold counts (integers, a few thousand at most)
// and small coefficients, so absolute tolerances of this size separate a
// true zero from rounding noise by many orders of magnitude.
const (
	eqTol   = 1e-9 // two bounds this close make an equation
	rankEp  = 1e-9 // pivot below this is a dependent row
	pivTol  = 1e-9 // a tableau entry below this is no pivot
	costTol = 1e-9 // a reduced cost above −costTol does not improve
	feasEp  = 1e-6 // how far a solution may miss a row and still satisfy it
	intTol  = 1e-6 // a value this close to an integer is that integer
)

// stdForm is a system lo ≤ rows ≤ hi, lb ≤ x ≤ ub in standard form
// A·y = b, b ≥ 0, y ≥ 0: y = x − lb for the variables rows mention (col),
// then one slack per inequality side and per finite upper bound, then one
// artificial column per row with no slack to start from (an equation, or an
// inequality whose slack enters with −1 once b is made non-negative).
type stdForm struct {
	nv, nStruct, nReal, nCols int
	lb                        []float64
	col                       []int // variable → column, −1 when no row mentions it
	a                         [][]float64
	b                         []float64
	basis                     []int // the slacks and artificials: B = I
	infeasible                bool  // found while converting
	rows                      []lpRow
	ub                        []float64
}

func newStdForm(nv int, rows []lpRow, lb, ub []float64) *stdForm {
	sf := &stdForm{nv: nv, lb: lb, ub: ub, rows: rows, col: make([]int, nv)}
	type srow struct {
		idx   []int
		coef  []float64
		rhs   float64
		slack float64 // +1: a·y + s = rhs; −1: a·y − s = rhs
	}
	var eqs [][]float64 // dense over x's variables, the rhs last
	var ineq []srow
	for _, r := range rows {
		shift := 0.0
		for t, j := range r.idx {
			shift += r.coef[t] * lb[j]
		}
		lo, hi := r.lo-shift, r.hi-shift
		if !math.IsInf(lo, 0) && !math.IsInf(hi, 0) && hi-lo <= eqTol*math.Max(1, math.Abs(lo)) {
			d := make([]float64, nv+1)
			for t, j := range r.idx {
				d[j] += r.coef[t]
			}
			d[nv] = (lo + hi) / 2
			eqs = append(eqs, d)
			continue
		}
		if !math.IsInf(lo, -1) {
			ineq = append(ineq, srow{idx: r.idx, coef: r.coef, rhs: lo, slack: -1})
		}
		if !math.IsInf(hi, 1) {
			ineq = append(ineq, srow{idx: r.idx, coef: r.coef, rhs: hi, slack: +1})
		}
	}
	for j := range nv {
		if math.IsInf(ub[j], 1) {
			continue
		}
		if ub[j] < lb[j]-intTol {
			sf.infeasible = true
			return sf
		}
		ineq = append(ineq, srow{idx: []int{j}, coef: []float64{1}, rhs: ub[j] - lb[j], slack: +1})
	}
	// Every margin system has a redundant equation (the grand total is the
	// sum of the row totals and of the column totals); dropping such rows
	// keeps the tableau small and phase I free of artificials that could
	// never leave.
	eqs, ok := independentRows(eqs, nv)
	if !ok {
		sf.infeasible = true
		return sf
	}
	used := make([]bool, nv)
	for _, d := range eqs {
		for j := range nv {
			if d[j] != 0 {
				used[j] = true
			}
		}
	}
	for _, r := range ineq {
		for t, j := range r.idx {
			if r.coef[t] != 0 {
				used[j] = true
			}
		}
	}
	for j := range nv {
		sf.col[j] = -1
		if used[j] {
			sf.col[j] = sf.nStruct
			sf.nStruct++
		}
	}
	m := len(eqs) + len(ineq)
	sf.nReal = sf.nStruct + len(ineq)
	nArt := len(eqs)
	for _, r := range ineq {
		if (r.rhs < 0) != (r.slack < 0) {
			nArt++
		}
	}
	sf.nCols = sf.nReal + nArt
	sf.a = make([][]float64, m)
	sf.b = make([]float64, m)
	sf.basis = make([]int, m)
	art := sf.nReal
	for i, d := range eqs {
		row := make([]float64, sf.nCols)
		for j := range nv {
			if d[j] != 0 {
				row[sf.col[j]] = d[j]
			}
		}
		sf.a[i], sf.b[i] = row, d[nv]
		if sf.b[i] < 0 {
			negate(row, &sf.b[i])
		}
		row[art] = 1
		sf.basis[i] = art
		art++
	}
	for k, r := range ineq {
		i := len(eqs) + k
		row := make([]float64, sf.nCols)
		for t, j := range r.idx {
			row[sf.col[j]] += r.coef[t]
		}
		row[sf.nStruct+k] = r.slack
		sf.a[i], sf.b[i] = row, r.rhs
		if sf.b[i] < 0 {
			negate(row, &sf.b[i])
		}
		if row[sf.nStruct+k] > 0 {
			sf.basis[i] = sf.nStruct + k
			continue
		}
		row[art] = 1
		sf.basis[i] = art
		art++
	}
	return sf
}

func negate(row []float64, b *float64) {
	for j := range row {
		row[j] = -row[j]
	}
	*b = -*b
}

// tableau is B⁻¹·[A | b] for the current basis, kept between objectives.
type tableau struct {
	sf    *stdForm
	t     [][]float64
	basis []int
	rc    []float64 // reduced costs; rc[nCols] is minus the objective
}

// newTableau runs phase I: it finds a basis of real columns that satisfies
// the system, or reports it infeasible.
func newTableau(sf *stdForm) (*tableau, lpStatus) {
	if sf.infeasible {
		return nil, lpInfeasible
	}
	tb := &tableau{sf: sf, basis: append([]int(nil), sf.basis...)}
	tb.t = make([][]float64, len(sf.a))
	for i, row := range sf.a {
		tb.t[i] = append(append(make([]float64, 0, sf.nCols+1), row...), sf.b[i])
	}
	// Phase I minimises the sum of the artificials.
	tb.rc = make([]float64, sf.nCols+1)
	for j := sf.nReal; j < sf.nCols; j++ {
		tb.rc[j] = 1
	}
	for i, bj := range tb.basis {
		if bj >= sf.nReal {
			for j, v := range tb.t[i] {
				tb.rc[j] -= v
			}
		}
	}
	if st := tb.optimize(sf.nCols); st != lpOptimal {
		return nil, lpFailed // phase I is bounded below by 0
	}
	if -tb.rc[sf.nCols] > feasEp {
		return nil, lpInfeasible
	}
	// Artificials still in the basis are at zero: swap each for a real
	// column of its row; a row with none is redundant and never moves.
	for i, bj := range tb.basis {
		if bj < sf.nReal {
			continue
		}
		for j := range sf.nReal {
			if math.Abs(tb.t[i][j]) > 1e-7 {
				tb.pivot(i, j)
				break
			}
		}
	}
	return tb, lpOptimal
}

// minimize solves min obj·x from the current basis.
func (tb *tableau) minimize(obj []float64) (lpStatus, float64, []float64) {
	sf := tb.sf
	base := 0.0
	for j := range sf.nv {
		base += obj[j] * sf.lb[j]
		if sf.col[j] < 0 && obj[j] < 0 {
			return lpUnbounded, math.Inf(-1), nil
		}
	}
	c := make([]float64, sf.nCols)
	for j := range sf.nv {
		if sf.col[j] >= 0 {
			c[sf.col[j]] = obj[j]
		}
	}
	copy(tb.rc, c)
	tb.rc[sf.nCols] = 0
	for i, bj := range tb.basis {
		if cb := c[bj]; cb != 0 {
			for j, v := range tb.t[i] {
				tb.rc[j] -= cb * v
			}
		}
	}
	switch st := tb.optimize(sf.nReal); st {
	case lpOptimal:
	default:
		return st, 0, nil
	}
	x := make([]float64, sf.nv)
	copy(x, sf.lb)
	val := base
	for i, bj := range tb.basis {
		if bj < sf.nStruct {
			v := tb.t[i][sf.nCols]
			for j := range sf.nv {
				if sf.col[j] == bj {
					x[j] += v
					val += obj[j] * v
				}
			}
		}
	}
	if !satisfies(sf.rows, sf.lb, sf.ub, x) {
		return lpFailed, 0, nil
	}
	return lpOptimal, val, x
}

// satisfies checks a solution against the rows and bounds it came from, so
// that rounding drift in the tableau can never pass for a solution.
func satisfies(rows []lpRow, lb, ub, x []float64) bool {
	for j, v := range x {
		if v < lb[j]-feasEp || v > ub[j]+feasEp {
			return false
		}
	}
	for _, r := range rows {
		s := 0.0
		for t, j := range r.idx {
			s += r.coef[t] * x[j]
		}
		if s < r.lo-feasEp*math.Max(1, math.Abs(r.lo)) || s > r.hi+feasEp*math.Max(1, math.Abs(r.hi)) {
			return false
		}
	}
	return true
}

// optimize pivots until no column below limit has a negative reduced
// cost. Dantzig's rule (the most negative) is fast; after a run of
// degenerate pivots it switches to Bland's rule (the first negative, ties
// in the ratio test to the lowest basic column), which cannot cycle.
func (tb *tableau) optimize(limit int) lpStatus {
	sf := tb.sf
	rhs := sf.nCols
	degenerate := 0
	for iter := 0; iter < 50*(len(tb.t)+sf.nCols)+1000; iter++ {
		bland := degenerate > 2*len(tb.t)+10
		enter := -1
		for j := range limit {
			if tb.rc[j] < -costTol && (enter < 0 || (!bland && tb.rc[j] < tb.rc[enter])) {
				enter = j
				if bland {
					break
				}
			}
		}
		if enter < 0 {
			return lpOptimal
		}
		leave := -1
		best := math.Inf(1)
		for i, row := range tb.t {
			if a := row[enter]; a > pivTol {
				r := row[rhs] / a
				if r < best-1e-12 || (r <= best+1e-12 && leave >= 0 && tb.basis[i] < tb.basis[leave]) {
					best, leave = r, i
				}
			}
		}
		if leave < 0 {
			return lpUnbounded
		}
		if best <= 1e-12 {
			degenerate++
		} else {
			degenerate = 0
		}
		tb.pivot(leave, enter)
	}
	return lpFailed
}

// pivot makes column c basic in row r.
func (tb *tableau) pivot(r, c int) {
	pr := tb.t[r]
	inv := 1 / pr[c]
	for j := range pr {
		pr[j] *= inv
	}
	pr[c] = 1
	for i, row := range tb.t {
		if i == r {
			continue
		}
		if f := row[c]; f != 0 {
			for j, v := range pr {
				if v != 0 {
					row[j] -= f * v
				}
			}
			row[c] = 0
			if row[len(row)-1] < 0 && row[len(row)-1] > -1e-11 {
				row[len(row)-1] = 0
			}
		}
	}
	if f := tb.rc[c]; f != 0 {
		for j, v := range pr {
			if v != 0 {
				tb.rc[j] -= f * v
			}
		}
		tb.rc[c] = 0
	}
	tb.basis[r] = c
}

// solveLP minimises obj·x subject to the rows and lb ≤ x ≤ ub (ub may be
// +Inf), from scratch.
func solveLP(nv int, rows []lpRow, lb, ub, obj []float64) (lpStatus, float64, []float64) {
	tb, st := newTableau(newStdForm(nv, rows, lb, ub))
	if st != lpOptimal {
		return st, 0, nil
	}
	return tb.minimize(obj)
}

// independentRows reduces the equations (dense rows over nv columns with the
// right-hand side last) to a linearly independent subset spanning the same
// affine space, by Gaussian elimination with partial pivoting. It reports
// false when they are inconsistent (a combination reads 0 = b ≠ 0).
func independentRows(eqs [][]float64, nv int) ([][]float64, bool) {
	if len(eqs) == 0 {
		return nil, true
	}
	work := make([][]float64, len(eqs))
	for i, d := range eqs {
		work[i] = append([]float64(nil), d...)
	}
	keep := make([]bool, len(eqs))
	done := make([]bool, len(eqs))
	for j := 0; j < nv; j++ {
		best, bestV := -1, rankEp
		for i := range work {
			if !done[i] && math.Abs(work[i][j]) > bestV {
				best, bestV = i, math.Abs(work[i][j])
			}
		}
		if best < 0 {
			continue
		}
		done[best], keep[best] = true, true
		pr := work[best]
		for i := range work {
			if done[i] || work[i][j] == 0 {
				continue
			}
			f := work[i][j] / pr[j]
			for t := j; t <= nv; t++ {
				work[i][t] -= f * pr[t]
			}
		}
	}
	var out [][]float64
	for i := range eqs {
		if keep[i] {
			out = append(out, eqs[i])
			continue
		}
		if math.Abs(work[i][nv]) > 1e-7*math.Max(1, math.Abs(eqs[i][nv])) {
			return nil, false
		}
	}
	return out, true
}
