package disclosure

import (
	"os"
	"testing"
	"time"
)

// The share of cells suppressed secondarily for the built-in surveys, with
// 300 demo responses and with 40 (the issue asks for the figure).
func TestSecondaryShareOfBuiltinSurveys(t *testing.T) {
	if os.Getenv("DISCLOSURE_ATTACK") == "" {
		t.Skip("DISCLOSURE_ATTACK=1 measures the built-in surveys (minutes)")
	}
	for _, sv := range builtinSurveys(t) {
		for _, n := range []int{300, 40} {
			for _, by := range []string{"", "region"} {
				rep, tal := demoPublication(t, sv, n, 7, by)
				start := time.Now()
				pub, b := publish(rep, tal, RulesOf(sv))
				if b.skipped != 0 {
					t.Errorf("%s n=%d by=%q: %d relations false in truth (a modelling error)", sv.Slug, n, by, b.skipped)
				}
				s := pub.Stats
				t.Logf("%s, %d responses, by %q, k=%d: %d cells, %d primary (%.1f%%), %d secondary (%.1f%%), %v", sv.Slug, n, by, RulesOf(sv).K,
					s.Cells, s.Primary, 100*float64(s.Primary)/float64(s.Cells), s.Secondary, 100*float64(s.Secondary)/float64(s.Cells), time.Since(start).Round(time.Millisecond))
			}
		}
	}
}
