package disclosure

import (
	"errors"
	"math"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/optimize/convex/lp"
)

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
	eqTol  = 1e-9 // two bounds this close make an equation
	rankEp = 1e-9 // pivot below this is a dependent row
	intTol = 1e-6 // a value this close to an integer is that integer
)

// solveLP minimises obj·x subject to the rows and lb ≤ x ≤ ub (ub may be
// +Inf), with gonum's simplex. It converts to gonum's standard form
// (A·y = b, y ≥ 0): y = x − lb, one slack per inequality side, one per
// finite upper bound; it drops equations that are linear combinations of
// others (every margin system has one: the grand total is the sum of the
// row totals and of the column totals) because lp.Simplex needs A of full
// row rank, and columns no row mentions because lp.Simplex rejects them.
func solveLP(nv int, rows []lpRow, lb, ub, obj []float64) (lpStatus, float64, []float64) {
	x := make([]float64, nv)
	copy(x, lb)
	base := 0.0
	for j := range nv {
		base += obj[j] * lb[j]
	}

	// Equations (rows with lo == hi) and inequalities, in y.
	type srow struct {
		coef  map[int]float64
		rhs   float64
		slack float64 // 0: an equation; +1: a·y + s = rhs; −1: a·y − s = rhs
	}
	var eqs [][]float64 // dense over y, with the rhs appended
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
		c := map[int]float64{}
		for t, j := range r.idx {
			c[j] += r.coef[t]
		}
		if !math.IsInf(lo, -1) {
			ineq = append(ineq, srow{coef: c, rhs: lo, slack: -1})
		}
		if !math.IsInf(hi, 1) {
			ineq = append(ineq, srow{coef: c, rhs: hi, slack: +1})
		}
	}
	for j := range nv {
		if math.IsInf(ub[j], 1) {
			continue
		}
		if ub[j] < lb[j]-intTol {
			return lpInfeasible, 0, nil
		}
		ineq = append(ineq, srow{coef: map[int]float64{j: 1}, rhs: ub[j] - lb[j], slack: +1})
	}

	eqs, ok := independentRows(eqs, nv)
	if !ok {
		return lpInfeasible, 0, nil
	}

	// Which y columns some row mentions; the others are free of every
	// constraint: y = 0 is optimal unless the objective rewards growth.
	used := make([]bool, nv)
	for _, d := range eqs {
		for j := range nv {
			if d[j] != 0 {
				used[j] = true
			}
		}
	}
	for _, r := range ineq {
		for j, v := range r.coef {
			if v != 0 {
				used[j] = true
			}
		}
	}
	col := make([]int, nv) // y index → column of A, or −1
	n := 0
	for j := range nv {
		col[j] = -1
		if !used[j] {
			if obj[j] < 0 {
				return lpUnbounded, math.Inf(-1), nil
			}
			continue
		}
		col[j] = n
		n++
	}
	m := len(eqs) + len(ineq)
	if m == 0 {
		return lpOptimal, base, x
	}
	nTot := n + len(ineq)
	A := mat.NewDense(m, nTot, nil)
	b := make([]float64, m)
	c := make([]float64, nTot)
	for j := range nv {
		if col[j] >= 0 {
			c[col[j]] = obj[j]
		}
	}
	for i, d := range eqs {
		for j := range nv {
			if d[j] != 0 {
				A.Set(i, col[j], d[j])
			}
		}
		b[i] = d[nv]
	}
	for k, r := range ineq {
		i := len(eqs) + k
		for j, v := range r.coef {
			if v != 0 {
				A.Set(i, col[j], v)
			}
		}
		A.Set(i, n+k, r.slack)
		b[i] = r.rhs
	}

	opt, y, err := lp.Simplex(c, A, b, 1e-10, nil)
	switch {
	case errors.Is(err, lp.ErrInfeasible):
		return lpInfeasible, 0, nil
	case errors.Is(err, lp.ErrUnbounded):
		return lpUnbounded, math.Inf(-1), nil
	case err != nil:
		return lpFailed, 0, nil
	}
	for j := range nv {
		if col[j] >= 0 {
			x[j] += y[col[j]]
		}
	}
	return lpOptimal, base + opt, x
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
