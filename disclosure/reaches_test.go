package disclosure

import "testing"

// reaches answers "can cell i be v or more?" exactly on a small table:
// a + b = 6 published, a and b hidden (each ≥ 1), so a can be 5 but not 6.
func TestReachesAnswersTheThresholdQuestion(t *testing.T) {
	p := NewProblem()
	a := p.Cell("a", 2)
	b := p.Cell("b", 4)
	tot := p.Cell("total", 6)
	p.Sum(tot, a, b)
	hidden := func(i int) bool { return i != tot }
	if ok, proved := reaches(p, hidden, a, 5, 100); !ok || !proved {
		t.Errorf("a ≥ 5: got reached %v proved %v, want true true", ok, proved)
	}
	if ok, proved := reaches(p, hidden, a, 6, 100); ok || !proved {
		t.Errorf("a ≥ 6: got reached %v proved %v, want false true", ok, proved)
	}
	if ok, _ := reaches(p, hidden, tot, 6, 100); !ok {
		t.Error("a published 6 does not reach 6")
	}
}
