package disclosure

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// TestBudgetFallbackHidesMoreAndStaysSafe forces the work-budget fallback
// (a budget of one LP per component) on generated publications: every
// non-zero cell of a component that ran out is hidden, the reader still
// recovers nothing (the attack tool, and Pinned on the Problem), and the
// same input gives the same suppression twice.
func TestBudgetFallbackHidesMoreAndStaysSafe(t *testing.T) {
	saved := componentBudget
	componentBudget = 1
	defer func() { componentBudget = saved }()
	sv := smallSurvey(t)
	fell := 0
	for run := range 3 {
		rng := rand.New(rand.NewPCG(99, uint64(run)))
		k := 3 + 2*(run%2)
		rules := Rules{K: k, MinStatsN: 2 * k}
		g := generate(rng, sv, 10+rng.IntN(30))
		rep, tal := g.publication(t, sv)
		pub, b := publish(rep, tal, rules)
		if found := attackPublication(sv, rules, pub, rep, tal); len(found) > 0 {
			t.Errorf("run %d: after the fallback the reader recovers:\n  %s", run, strings.Join(found, "\n  "))
		}
		p, _ := b.problem()
		s, pr := p.protect(k)
		if !s.fellBack {
			continue
		}
		fell++
		if got := Pinned(p, s, k); len(got) > 0 {
			t.Errorf("run %d: Pinned finds %d cells after the fallback", run, len(got))
		}
		// Independently of the code under test: in a component that fell
		// back, no non-zero cell is published.
		for i := range p.Len() {
			if pr.fallen[pr.comp[i]] && p.Value(i) > 0 && !p.IsSecret(i) && !s.Hidden(i) {
				t.Errorf("run %d: cell %s = %d published in a component that fell back", run, p.Key(i), p.Value(i))
			}
		}
		again := p.Protect(k)
		for i := range p.Len() {
			if again.Hidden(i) != s.Hidden(i) {
				t.Fatalf("run %d: Protect is not deterministic at %s", run, p.Key(i))
			}
		}
	}
	if fell == 0 {
		t.Error("a budget of one LP never triggered the fallback: the test tests nothing")
	}
}
