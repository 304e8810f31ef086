package disclosure_test

import (
	"math/rand/v2"
	"testing"
)

// BenchmarkProtect protects one publication whose tables all share the
// region margin, as a whole survey's report does: 300 cells (40 responses,
// 8 regions, 3 questions of 8 options) and 2,000 cells (300 responses,
// 8 regions, 23 questions of 10 options).
func BenchmarkProtect(b *testing.B) {
	for _, bc := range []struct {
		name                           string
		n, regions, types, qs, options int
	}{
		{"cells=300", 40, 8, 4, 3, 8},
		{"cells=2000", 300, 8, 4, 23, 9},
		{"cells=700", 100, 8, 4, 8, 9},
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
