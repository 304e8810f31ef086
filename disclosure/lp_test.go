package disclosure

import (
	"errors"
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/optimize/convex/lp"
)

// gonumSolve solves the same standard form with gonum's lp.Simplex (without
// the artificial columns, which gonum does not need).
func gonumSolve(sf *stdForm, obj []float64) (lpStatus, float64, error) {
	if sf.infeasible {
		return lpInfeasible, 0, nil
	}
	base := 0.0
	unused := false // a variable no row holds, which the objective pulls up
	for j := range sf.nv {
		base += obj[j] * sf.lb[j]
		unused = unused || (sf.col[j] < 0 && obj[j] < 0)
	}
	if len(sf.a) == 0 {
		if unused {
			return lpUnbounded, 0, nil
		}
		return lpOptimal, base, nil
	}
	A := mat.NewDense(len(sf.a), sf.nReal, nil)
	for i, row := range sf.a {
		for j := range sf.nReal {
			A.Set(i, j, row[j])
		}
	}
	c := make([]float64, sf.nReal)
	if unused {
		// Unbounded only if the rest has a solution at all.
		if _, _, err := lp.Simplex(c, A, sf.b, 1e-10, nil); errors.Is(err, lp.ErrInfeasible) {
			return lpInfeasible, 0, nil
		} else if err != nil {
			return lpFailed, 0, err
		}
		return lpUnbounded, 0, nil
	}
	for j := range sf.nv {
		if sf.col[j] >= 0 {
			c[sf.col[j]] = obj[j]
		}
	}
	opt, _, err := lp.Simplex(c, A, sf.b, 1e-10, nil)
	switch {
	case errors.Is(err, lp.ErrInfeasible):
		return lpInfeasible, 0, nil
	case errors.Is(err, lp.ErrUnbounded):
		return lpUnbounded, 0, nil
	case err != nil:
		return lpFailed, 0, err
	}
	return lpOptimal, base + opt, nil
}

// TestSimplexAgreesWithGonum compares the tableau simplex with gonum's on
// random systems: small integer coefficients, equations, ranges and
// one-sided rows around a random integer point (so most are feasible; some
// bounds are then shifted to make a share infeasible), random lower and
// upper bounds, random objectives.
func TestSimplexAgreesWithGonum(t *testing.T) {
	rng := rand.New(rand.NewPCG(15, 5))
	compared, skipped, gonumWrong := map[lpStatus]int{}, 0, 0
	for range 3000 {
		nv := 2 + rng.IntN(6)
		x0 := make([]float64, nv)
		lb := make([]float64, nv)
		ub := make([]float64, nv)
		for j := range nv {
			x0[j] = float64(rng.IntN(8))
			lb[j] = float64(min(rng.IntN(2), int(x0[j])))
			ub[j] = math.Inf(1)
			if rng.IntN(4) == 0 {
				ub[j] = x0[j] + float64(rng.IntN(3))
			}
		}
		var rows []lpRow
		for range 1 + rng.IntN(6) {
			var r lpRow
			s := 0.0
			for j := range nv {
				if rng.IntN(2) == 0 {
					c := float64(rng.IntN(7) - 3)
					if c == 0 {
						continue
					}
					r.idx = append(r.idx, j)
					r.coef = append(r.coef, c)
					s += c * x0[j]
				}
			}
			if len(r.idx) == 0 {
				continue
			}
			switch rng.IntN(4) {
			case 0, 1:
				r.lo, r.hi = s, s
			case 2:
				r.lo, r.hi = s-float64(rng.IntN(3)), s+float64(rng.IntN(3))+0.5
			case 3:
				r.lo, r.hi = math.Inf(-1), s+float64(rng.IntN(2))
			}
			if rng.IntN(8) == 0 {
				r.lo, r.hi = r.lo+7.5, r.hi+7.5
			}
			rows = append(rows, r)
		}
		obj := make([]float64, nv)
		for j := range obj {
			obj[j] = float64(rng.IntN(5) - 2)
		}
		sf := newStdForm(nv, rows, lb, ub)
		want, wantV, err := gonumSolve(sf, obj)
		if err != nil {
			skipped++ // gonum's own numerical failure
			continue
		}
		got, gotV, x := solveLP(nv, rows, lb, ub, obj)
		if want == lpInfeasible && got != lpInfeasible {
			// Which is right? A solution that satisfies every row settles it.
			if st, _, x0 := solveLP(nv, rows, lb, ub, make([]float64, nv)); st == lpOptimal && satisfies(rows, lb, ub, x0) {
				gonumWrong++
				continue
			}
		}
		if got != want || (got == lpOptimal && math.Abs(gotV-wantV) > 1e-6) {
			t.Fatalf("rows %+v lb %v ub %v obj %v: got %v %v, gonum %v %v", rows, lb, ub, obj, got, gotV, want, wantV)
		}
		if got == lpOptimal && !satisfies(rows, lb, ub, x) {
			t.Fatalf("rows %+v: the solution %v breaks them", rows, x)
		}
		compared[got]++
	}
	t.Logf("compared: %d optimal, %d infeasible, %d unbounded; %d where gonum failed, %d where gonum called infeasible a system with a solution (checked)",
		compared[lpOptimal], compared[lpInfeasible], compared[lpUnbounded], skipped, gonumWrong)
	if compared[lpOptimal] < 1000 || compared[lpInfeasible] < 100 || compared[lpUnbounded] < 100 {
		t.Errorf("too few cases of some outcome: %v", compared)
	}
}
