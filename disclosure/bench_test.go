package disclosure_test

import (
	"math/rand/v2"
	"testing"
)

// BenchmarkProtect protects one publication whose tables all share the
// region margin, as a whole survey's report does, with k = 5: about 300
// cells (40 responses, 8 regions, 4 types, 3 questions of 8 options), 700
// (100 responses, 8 questions of 9 options) and 2,000 (300 responses, 23
// questions of 9 options); the exact counts are reported as "cells".
func BenchmarkProtect(b *testing.B) {
	for _, bc := range []struct {
		name                           string
		n, regions, types, qs, options int
	}{
		{"cells=300", 40, 8, 4, 3, 8},
		{"cells=700", 100, 8, 4, 8, 9},
		{"cells=2000", 300, 8, 4, 23, 9},
	} {
		sv := randomSurvey(rand.New(rand.NewPCG(15, 4)), bc.n, bc.regions, bc.types, bc.qs, bc.options)
		b.Run(bc.name, func(b *testing.B) {
			var pr, sec int
			for b.Loop() {
				s := sv.p.Protect(5)
				pr, sec = s.Counts()
			}
			b.ReportMetric(float64(sv.p.Len()), "cells")
			b.ReportMetric(float64(pr), "primary")
			b.ReportMetric(float64(sec), "secondary")
		})
	}
}
