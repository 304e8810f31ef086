package disclosure_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/metlib/canvass/disclosure"
)

// enumBound is where the brute force stops counting up. Every bounded cell of
// the generated tables is at most the grand total (≤ 108) or a row's weighted
// sum (≤ 90), so a cell seen above enumBound/3 can only be unbounded.
const enumBound = 400

// bruteRange enumerates every integer assignment of the hidden cells (each in
// [lb, enumBound], lb = 1 for a hidden non-zero published cell, 0 for a
// secret) that satisfies every relation, and returns each hidden cell's
// smallest and largest value. A cell that is the last unassigned one of an
// equation gets its value from the equation instead of a loop: the same
// enumeration, faster.
func bruteRange(t *tiny, hidden []bool) (lo, hi []int, leaves int) {
	p := t.p
	var vars []int
	pos := make([]int, p.Len())
	for i := range pos {
		pos[i] = -1
		if hidden[i] {
			pos[i] = len(vars)
			vars = append(vars, i)
		}
	}
	val := make([]float64, p.Len())
	for i := range val {
		val[i] = float64(p.Value(i))
	}
	// For each variable, the relations it closes (its last hidden variable)
	// and an equation it can be solved from.
	closes := make([][]int, len(vars))
	solveBy := make([]int, len(vars))
	for v := range solveBy {
		solveBy[v] = -1
	}
	for ri, r := range t.rels {
		last := -1
		for _, c := range r.cells {
			if pos[c] > last {
				last = pos[c]
			}
		}
		if last < 0 {
			continue
		}
		closes[last] = append(closes[last], ri)
		if r.lo == r.hi && solveBy[last] < 0 {
			solveBy[last] = ri
		}
	}
	lo = make([]int, len(vars))
	hi = make([]int, len(vars))
	for v := range lo {
		lo[v], hi[v] = math.MaxInt, math.MinInt
	}
	sat := func(r rel) bool {
		s := 0.0
		for k, c := range r.cells {
			s += r.coef[k] * val[c]
		}
		return s >= r.lo-1e-9 && s <= r.hi+1e-9
	}
	lbOf := func(c int) int {
		if p.IsSecret(c) || p.Value(c) == 0 {
			return 0
		}
		return 1
	}
	var rec func(v int)
	rec = func(v int) {
		if v == len(vars) {
			leaves++
			for w, c := range vars {
				x := int(val[c])
				lo[w] = min(lo[w], x)
				hi[w] = max(hi[w], x)
			}
			return
		}
		c := vars[v]
		try := func(x float64) {
			val[c] = x
			for _, ri := range closes[v] {
				if !sat(t.rels[ri]) {
					return
				}
			}
			rec(v + 1)
		}
		if ri := solveBy[v]; ri >= 0 {
			r := t.rels[ri]
			s, a := r.lo, 0.0
			for k, d := range r.cells {
				if d == c {
					a += r.coef[k]
				} else {
					s -= r.coef[k] * val[d]
				}
			}
			x := math.Round(s / a)
			if math.Abs(x-s/a) < 1e-9 && x >= float64(lbOf(c)) {
				try(x)
			}
			return
		}
		for x := lbOf(c); x <= enumBound; x++ {
			try(float64(x))
		}
	}
	rec(0)
	return lo, hi, leaves
}

// loopedVars counts the hidden cells the brute force would loop over.
func loopedVars(t *tiny, hidden []bool) int {
	n := 0
	var order []int
	pos := map[int]int{}
	for i := range hidden {
		if hidden[i] {
			pos[i] = len(order)
			order = append(order, i)
		}
	}
	solvable := make([]bool, len(order))
	for _, r := range t.rels {
		last := -1
		for _, c := range r.cells {
			if q, ok := pos[c]; ok && q > last {
				last = q
			}
		}
		if last >= 0 && r.lo == r.hi {
			solvable[last] = true
		}
	}
	for _, s := range solvable {
		if !s {
			n++
		}
	}
	return n
}

func TestAttackMatchesBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(15, 1))
	problems, cells, unbounded, pinned := 0, 0, 0, 0
	for problems < 500 {
		tn := randomTable(rng, 2+rng.IntN(2), 2+rng.IntN(3))
		p := tn.p
		hidden := make([]bool, p.Len())
		nh := 0
		for i := range hidden {
			if p.IsSecret(i) || (p.Value(i) > 0 && rng.IntN(2) == 0) {
				hidden[i] = true
				nh++
			}
		}
		if nh == 0 || nh > 9 || loopedVars(tn, hidden) > 2 {
			continue
		}
		problems++
		got := disclosure.Attack(p, func(i int) bool { return hidden[i] })
		lo, hi, leaves := bruteRange(tn, hidden)
		if leaves == 0 {
			t.Fatalf("%s: the brute force found no solution, not even the true values", tn.desc)
		}
		v := 0
		for i := range hidden {
			if !hidden[i] {
				if got[i].Lo != p.Value(i) || got[i].Hi != p.Value(i) {
					t.Errorf("%s: published %s = %d came back as %+v", tn.desc, p.Key(i), p.Value(i), got[i])
				}
				continue
			}
			cells++
			r := got[i]
			if r.Approx {
				t.Errorf("%s: %s: approximate range %+v on a tiny problem", tn.desc, p.Key(i), r)
			}
			if r.Lo != lo[v] {
				t.Errorf("%s: %s (true %d): Attack min %d, brute force %d", tn.desc, p.Key(i), p.Value(i), r.Lo, lo[v])
			}
			switch {
			case hi[v] > enumBound/3:
				unbounded++
				if !r.Unbounded {
					t.Errorf("%s: %s (true %d): brute force reaches %d, Attack says at most %d", tn.desc, p.Key(i), p.Value(i), hi[v], r.Hi)
				}
			case r.Unbounded:
				t.Errorf("%s: %s (true %d): Attack says unbounded, brute force at most %d", tn.desc, p.Key(i), p.Value(i), hi[v])
			case r.Hi != hi[v]:
				t.Errorf("%s: %s (true %d): Attack max %d, brute force %d", tn.desc, p.Key(i), p.Value(i), r.Hi, hi[v])
			}
			if !r.Unbounded && r.Lo == r.Hi {
				pinned++
			}
			v++
		}
	}
	t.Logf("%d problems, %d hidden cells: %d unbounded, %d pinned, the rest bounded ranges; all equal to the brute force", problems, cells, unbounded, pinned)
	if pinned == 0 || unbounded == 0 || pinned+unbounded == cells {
		t.Errorf("the generated problems do not exercise every outcome: %d pinned, %d unbounded of %d", pinned, unbounded, cells)
	}
}
