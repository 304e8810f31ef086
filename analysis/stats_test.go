package analysis_test

import (
	"math"
	"testing"

	"gonum.org/v1/gonum/floats/scalar"

	"github.com/metlib/canvass/analysis"
)

func near(t *testing.T, name string, got, want, tol float64) {
	t.Helper()
	if !scalar.EqualWithinAbsOrRel(got, want, tol, tol) {
		t.Errorf("%s = %.12g, want %.12g (±%g)", name, got, want, tol)
	}
}

// TestWilsonAgainstNewcombe checks the examples of Newcombe (1998), "Two-sided
// confidence intervals for the single proportion", Statistics in Medicine
// 17:857–872, Table I, method 3 (score interval without continuity
// correction), published to four decimals.
func TestWilsonAgainstNewcombe(t *testing.T) {
	for _, tc := range []struct {
		x, n      int
		low, high float64
	}{
		{81, 263, 0.2553, 0.3662},
		{15, 148, 0.0624, 0.1605},
		{0, 20, 0.0000, 0.1611},
		{1, 29, 0.0061, 0.1718},
	} {
		ci := analysis.Wilson(tc.x, tc.n)
		near(t, "low", ci.Low, tc.low, 5e-5)
		near(t, "high", ci.High, tc.high, 5e-5)
	}
}

func TestWilsonExactAndEdges(t *testing.T) {
	// 5/10 by hand: p̂ = 0.5, z² = 3.841458820694124; centre = (0.5 + 0.19207294)/1.38414588 = 0.5;
	// half = 1.95996398/1.38414588 · √(0.025 + 0.00960365) = 0.26341
	ci := analysis.Wilson(5, 10)
	z := 1.959963984540054
	half := z / (1 + z*z/10) * math.Sqrt(0.25/10+z*z/400)
	near(t, "low", ci.Low, 0.5-half, 1e-12)
	near(t, "high", ci.High, 0.5+half, 1e-12)
	near(t, "half", half, 0.2634, 1e-3)
	if ci := analysis.Wilson(0, 0); ci.Low != 0 || ci.High != 1 {
		t.Errorf("n = 0: %+v", ci)
	}
	if ci := analysis.Wilson(7, 7); ci.High != 1 || ci.Low <= 0.6 {
		t.Errorf("n/n: %+v", ci)
	}
	// Property: the interval contains the estimate and stays in [0, 1].
	for n := 1; n <= 60; n++ {
		for x := 0; x <= n; x++ {
			ci := analysis.Wilson(x, n)
			p := float64(x) / float64(n)
			if ci.Low < 0 || ci.High > 1 || ci.Low > p+1e-15 || ci.High < p-1e-15 {
				t.Fatalf("Wilson(%d, %d) = %+v does not contain %g in [0,1]", x, n, ci, p)
			}
		}
	}
}

func TestDescribeAndQuantiles(t *testing.T) {
	// R: quantile(1:10) gives 3.25, 5.5, 7.75 (type 7).
	d := analysis.Describe([]float64{10, 9, 8, 7, 6, 5, 4, 3, 2, 1})
	for name, got := range map[string][2]float64{
		"min": {d.Min, 1}, "q1": {d.Q1, 3.25}, "median": {d.Median, 5.5}, "q3": {d.Q3, 7.75}, "max": {d.Max, 10},
		"mean": {d.Mean, 5.5}, "sd": {d.SD, math.Sqrt(55.0 / 6)}, // Σ(x−5.5)² = 82.5, /9 = 9.1667
	} {
		near(t, name, got[0], got[1], 1e-12)
	}
	// Hand-worked: 2, 4, 4, 4, 5, 5, 7, 9: mean 5, sample sd √(32/7).
	d = analysis.Describe([]float64{2, 4, 4, 4, 5, 5, 7, 9})
	near(t, "mean", d.Mean, 5, 1e-12)
	near(t, "sd", d.SD, math.Sqrt(32.0/7), 1e-12)
	near(t, "q1", d.Q1, 4, 1e-12)   // h = 1.75 → 4 + .75·0
	near(t, "q3", d.Q3, 5.5, 1e-12) // h = 5.25 → 5 + .25·2
	if d := analysis.Describe(nil); d.N != 0 {
		t.Errorf("empty: %+v", d)
	}
	if d := analysis.Describe([]float64{3}); d.SD != 0 || d.Median != 3 || d.Q1 != 3 {
		t.Errorf("single value: %+v", d)
	}
}

// TestChiSquareAgainstAgresti uses Agresti (2007), An Introduction to
// Categorical Data Analysis, 2nd ed., Table 2.5 (party identification by
// gender, General Social Survey): X² = 30.1 with df = 2. For df = 2 the
// chi-square survival function is exactly exp(−x/2), an independent check of
// the p-value.
func TestChiSquareAgainstAgresti(t *testing.T) {
	res := analysis.ChiSquare([][]int{{762, 327, 468}, {484, 239, 477}})
	near(t, "X²", res.Statistic, 30.07, 5e-4)
	if res.DF != 2 {
		t.Errorf("df %d", res.DF)
	}
	near(t, "p", res.P, math.Exp(-res.Statistic/2), 1e-9)
	near(t, "V", res.CramersV, math.Sqrt(res.Statistic/2757), 1e-12)
	if res.LowExpected || res.FisherP != nil {
		t.Errorf("large table flagged: %+v", res)
	}
	// Hand-worked 2×2: [[10, 20], [20, 10]]: every E = 15, X² = 4·25/15 = 20/3, df 1.
	res = analysis.ChiSquare([][]int{{10, 20}, {20, 10}})
	near(t, "X² 2×2", res.Statistic, 20.0/3, 1e-12)
	near(t, "V 2×2", res.CramersV, math.Sqrt(20.0/3/60), 1e-12)
	// df = 1: P(χ² > x) = erfc(√(x/2)).
	near(t, "p 2×2", res.P, math.Erfc(math.Sqrt(20.0/3/2)), 1e-9)
	if res.FisherP == nil {
		t.Error("no Fisher p for a 2×2 table")
	}
	// Empty rows and columns are left out; too small a table has no test.
	res = analysis.ChiSquare([][]int{{10, 0, 20}, {0, 0, 0}, {20, 0, 10}})
	if res == nil || res.DF != 1 {
		t.Errorf("empty row/column not dropped: %+v", res)
	}
	if analysis.ChiSquare([][]int{{5, 7}}) != nil || analysis.ChiSquare([][]int{{0, 0}, {0, 0}}) != nil {
		t.Error("a test on a single row or an empty table")
	}
	if res := analysis.ChiSquare([][]int{{1, 4}, {3, 2}}); !res.LowExpected || res.MinExpected != 2 {
		t.Errorf("low expected counts not flagged: %+v", res)
	}
}

// TestFisherTeaTasting is Fisher's (1935) lady tasting tea: 3 of 4 cups
// right, [[3, 1], [1, 3]]: two-sided p = (1 + 16 + 16 + 1)/70 = 34/70.
func TestFisherTeaTasting(t *testing.T) {
	near(t, "p", analysis.FisherExact(3, 1, 1, 3), 34.0/70, 1e-12)
	near(t, "all right", analysis.FisherExact(4, 0, 0, 4), 2.0/70, 1e-12)
	near(t, "independent", analysis.FisherExact(2, 2, 2, 2), 1, 1e-12)
	near(t, "empty", analysis.FisherExact(0, 0, 0, 0), 1, 1e-12)
}

func TestPhi(t *testing.T) {
	near(t, "phi", analysis.Phi(10, 20, 20, 10), (100.0-400)/900, 1e-12)
	near(t, "perfect", analysis.Phi(5, 0, 0, 5), 1, 1e-12)
	if !math.IsNaN(analysis.Phi(5, 5, 0, 0)) {
		t.Error("phi with a zero margin should be NaN")
	}
}

func TestSpearman(t *testing.T) {
	// No ties: ρ = 1 − 6Σd²/(n(n²−1)) = 1 − 24/120 = 0.8.
	res := analysis.Spearman([]float64{1, 2, 3, 4, 5}, []float64{2, 1, 4, 3, 5})
	near(t, "rho", res.Rho, 0.8, 1e-12)
	// n = 3, ρ = 0.5: t = 0.5·√(1/0.75) = 1/√3 with 1 df, and for one degree of
	// freedom the two-sided p is 1 − (2/π)·atan|t| = 1 − (2/π)(π/6) = 2/3.
	res = analysis.Spearman([]float64{1, 2, 3}, []float64{1, 3, 2})
	near(t, "rho n=3", res.Rho, 0.5, 1e-12)
	near(t, "p n=3", res.P, 2.0/3, 1e-9)
	// Ties take average ranks: y ranks 1, 2, 3.5, 5, 3.5.
	res = analysis.Spearman([]float64{1, 2, 3, 4, 5}, []float64{5, 6, 7, 8, 7})
	// Pearson of (1..5) with (1, 2, 3.5, 5, 3.5): Σdxdy = 8, Σdx² = 10, Σdy² = 9.5.
	near(t, "rho ties", res.Rho, 8/math.Sqrt(10*9.5), 1e-12)
	if analysis.Spearman([]float64{1, 2}, []float64{1, 2}) != nil || analysis.Spearman([]float64{1, 1, 1}, []float64{1, 2, 3}) != nil {
		t.Error("Spearman of too few or constant values")
	}
	if res := analysis.Spearman([]float64{1, 2, 3, 4}, []float64{10, 20, 30, 40}); res.Rho != 1 || res.P != 0 {
		t.Errorf("perfect: %+v", res)
	}
}

func TestSmallCell(t *testing.T) {
	for _, tc := range []struct {
		count, k   int
		want       string
		suppressed bool
	}{{0, 5, "0", false}, {1, 5, "fewer than 5", true}, {4, 5, "fewer than 5", true}, {5, 5, "5", false}, {12, 5, "12", false}, {2, 3, "fewer than 3", true}} {
		if got, s := analysis.SmallCell(tc.count, tc.k); got != tc.want || s != tc.suppressed {
			t.Errorf("SmallCell(%d, %d) = %q %v, want %q %v", tc.count, tc.k, got, s, tc.want, tc.suppressed)
		}
	}
}
