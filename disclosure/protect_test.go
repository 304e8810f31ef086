package disclosure_test

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/metlib/canvass/disclosure"
)

// checkProtected asserts what Protect promises, recomputing each part from
// the problem's values rather than trusting the suppression's own flags.
func checkProtected(t *testing.T, name string, p *disclosure.Problem, s disclosure.Suppression, k int) {
	t.Helper()
	anyPrimary := false
	for i := range p.Len() {
		v := p.Value(i)
		wantPrimary := !p.IsSecret(i) && v > 0 && v < k
		anyPrimary = anyPrimary || wantPrimary
		if s.Primary[i] != wantPrimary {
			t.Errorf("%s: %s = %d: primary %v, want %v", name, p.Key(i), v, s.Primary[i], wantPrimary)
		}
		if v == 0 && s.Hidden(i) {
			t.Errorf("%s: the zero cell %s is hidden", name, p.Key(i))
		}
		if s.Primary[i] && s.Secondary[i] {
			t.Errorf("%s: %s is both primary and secondary", name, p.Key(i))
		}
		if p.IsSecret(i) && s.Hidden(i) {
			t.Errorf("%s: the secret %s is in the suppression", name, p.Key(i))
		}
	}
	if _, sec := s.Counts(); !anyPrimary && sec > 0 {
		t.Errorf("%s: nothing is primary, yet %d cells are hidden secondarily", name, sec)
	}
	if got := disclosure.Pinned(p, s, k); len(got) > 0 {
		r := disclosure.Attack(p, func(i int) bool { return p.IsSecret(i) || s.Hidden(i) })
		for _, i := range got {
			t.Errorf("%s: the reader works out %s = %d: range %+v", name, p.Key(i), p.Value(i), r[i])
		}
	}
}

func TestProtectRandomSurveys(t *testing.T) {
	rng := rand.New(rand.NewPCG(15, 2))
	runs := 2000
	if testing.Short() || raceOn {
		runs = 300
	}
	cells, primary, secondary := map[int]int{}, map[int]int{}, map[int]int{}
	for run := range runs {
		k := []int{3, 5}[run%2]
		var sv *survey
		if run%4 < 2 {
			sv = randomSurvey(rng, 1+rng.IntN(60), 2+rng.IntN(6), 1+rng.IntN(5), 1+rng.IntN(2), 2+rng.IntN(4))
		} else {
			sizes := make([]int, 2+rng.IntN(7))
			for r := range sizes {
				sizes[r] = rng.IntN(8)
			}
			sv = sizedSurvey(rng, sizes, 1+rng.IntN(5), 1+rng.IntN(2), 2+rng.IntN(4))
		}
		n := sv.n
		if n == 0 {
			continue
		}
		s := sv.p.Protect(k)
		checkProtected(t, "survey", sv.p, s, k)
		if t.Failed() {
			t.Fatalf("run %d: n=%d, k=%d", run, n, k)
		}
		pr, sec := s.Counts()
		cells[k] += sv.p.Len()
		primary[k] += pr
		secondary[k] += sec
	}
	for _, k := range []int{3, 5} {
		t.Logf("k=%d: of %d cells, %.1f%% hidden as primary, %.1f%% secondarily", k, cells[k],
			100*float64(primary[k])/float64(cells[k]), 100*float64(secondary[k])/float64(cells[k]))
	}
}

func TestProtectIsDeterministic(t *testing.T) {
	for seed := range uint64(20) {
		build := func() *disclosure.Problem {
			return randomSurvey(rand.New(rand.NewPCG(seed, 3)), 30, 5, 3, 2, 4).p
		}
		a, b := build().Protect(5), build().Protect(5)
		if !slices.Equal(a.Secondary, b.Secondary) || !slices.Equal(a.Primary, b.Primary) {
			t.Fatalf("seed %d: two runs on the same problem differ", seed)
		}
	}
}

func TestProtectNothingPrimary(t *testing.T) {
	p := disclosure.NewProblem()
	tot := p.Cell("t", 20)
	a, b, z := p.Cell("a", 12), p.Cell("b", 8), p.Cell("z", 0)
	p.Sum(tot, a, b, z)
	s := p.Protect(5)
	if pr, sec := s.Counts(); pr != 0 || sec != 0 {
		t.Fatalf("got %d primary and %d secondary cells, want none", pr, sec)
	}
}
