package disclosure

import (
	"os"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestPublishTiming times Publish on the built-in surveys (DISCLOSURE_TIMING=1;
// DISCLOSURE_TIMING_SURVEY and DISCLOSURE_TIMING_N narrow it). A measurement,
// not a check: it only logs.
func TestPublishTiming(t *testing.T) {
	if os.Getenv("DISCLOSURE_TIMING") == "" {
		t.Skip("DISCLOSURE_TIMING=1 times Publish on the built-in surveys")
	}
	ns := []int{12, 40, 300}
	if v := os.Getenv("DISCLOSURE_TIMING_N"); v != "" {
		ns = nil
		for _, f := range strings.Split(v, ",") {
			n, _ := strconv.Atoi(f)
			ns = append(ns, n)
		}
	}
	only := os.Getenv("DISCLOSURE_TIMING_SURVEY")
	for _, sv := range builtinSurveys(t) {
		if only != "" && sv.Slug != only {
			continue
		}
		for _, n := range ns {
			for _, by := range []string{"", "region"} {
				rep, tal := demoPublication(t, sv, n, 7, by)
				start := time.Now()
				pub, b := publish(rep, tal, RulesOf(sv))
				s := pub.Stats
				total := time.Since(start)
				p, _ := b.problem()
				start = time.Now()
				sup, pr := p.protect(RulesOf(sv).K)
				work := 0
				for _, w := range pr.work {
					work += w
				}
				t.Logf("%s n=%d by=%q: %d cells, %d primary, %d secondary, Publish %v (Protect %v, %d LPs, fallback %v)", sv.Slug, n, by, s.Cells, s.Primary, s.Secondary, total.Round(time.Millisecond), time.Since(start).Round(time.Millisecond), work, sup.fellBack)
			}
		}
	}
}
