package disclosure

import (
	"testing"

	"github.com/metlib/canvass/analysis"
	"github.com/metlib/canvass/demo"
	"github.com/metlib/canvass/survey"
)

// The languages of one snapshot share one suppression: their problems are
// the same (keys are ids, never labels), so fr and es are read from the
// cache that en filled, and withhold what en withholds.
func TestOneSuppressionForEveryLanguage(t *testing.T) {
	sv := builtinSurveys(t)[0]
	d := demo.Generate(sv, 30, 11, demoUntil)
	var prints [][32]byte
	var stats []Stats
	for _, lang := range []string{"en", "fr", "es"} {
		rep, err := analysis.Report(sv, survey.ResponsesOf(d.Responses), analysis.Options{Lang: lang})
		if err != nil {
			t.Fatal(err)
		}
		pub, b := publish(rep, nil, RulesOf(sv))
		p, _ := b.problem()
		prints = append(prints, p.fingerprint(RulesOf(sv).K))
		stats = append(stats, pub.Stats)
	}
	for l := 1; l < len(prints); l++ {
		if prints[l] != prints[0] || stats[l] != stats[0] {
			t.Errorf("language %d: problem or suppression differs from en (%+v, en %+v)", l, stats[l], stats[0])
		}
	}
	if stats[0].Secondary == 0 {
		t.Fatal("nothing withheld secondarily: the test tests nothing")
	}
}

func TestFingerprintSeesEveryInput(t *testing.T) {
	mk := func(v int, lo float64, keep bool) *Problem {
		p := NewProblem()
		a := p.Cell("a", v)
		b := p.Cell("b", 3)
		tot := p.Cell("t", v+3)
		p.Sum(tot, a, b)
		p.Relation([]Term{{a, 1}}, lo, 100)
		if keep {
			p.Keep(tot)
		}
		return p
	}
	base := mk(2, 0, false).fingerprint(5)
	if mk(2, 0, false).fingerprint(5) != base {
		t.Fatal("the same problem gives two fingerprints")
	}
	for name, other := range map[string][32]byte{
		"value":    mk(3, 0, false).fingerprint(5),
		"relation": mk(2, 1, false).fingerprint(5),
		"keep":     mk(2, 0, true).fingerprint(5),
		"k":        mk(2, 0, false).fingerprint(3),
	} {
		if other == base {
			t.Errorf("a different %s gives the same fingerprint", name)
		}
	}
}

func TestSuppressionCacheEvictsTheOldest(t *testing.T) {
	c := newSuppressionCache(2)
	s := Suppression{Primary: []bool{true}, Secondary: []bool{false}}
	c.put([32]byte{1}, s)
	c.put([32]byte{2}, s)
	c.get([32]byte{1}) // 1 is now the most recent
	c.put([32]byte{3}, s)
	if _, ok := c.get([32]byte{2}); ok {
		t.Error("the least recently used entry was kept")
	}
	got, ok := c.get([32]byte{1})
	if !ok {
		t.Fatal("a recent entry was evicted")
	}
	got.Primary[0] = false
	if again, _ := c.get([32]byte{1}); !again.Primary[0] {
		t.Error("a caller's change reached the cached suppression")
	}
}
