package analysis_test

import (
	"encoding/json"
	"math"
	"reflect"
	"strings"
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
	if ci := analysis.Wilson(7, 7); ci.High != 1 || ci.Low <= 0.6 {
		t.Errorf("n/n: %+v", ci)
	}
	// Property: the interval contains the estimate and stays in [0, 1].
	for n := 1; n <= 60; n++ {
		for x := 0; x <= n; x++ {
			ci := analysis.Wilson(x, n)
			p := float64(x) / float64(n)
			if ci.Undefined() || ci.Low < 0 || ci.High > 1 || ci.Low > p+1e-15 || ci.High < p-1e-15 {
				t.Fatalf("Wilson(%d, %d) = %+v does not contain %g in [0,1]", x, n, ci, p)
			}
		}
	}
}

// TestWilsonUndefined: with no trials there is no proportion to bound, and a
// count outside 0..n is not a proportion; both bounds are NaN and JSON null.
func TestWilsonUndefined(t *testing.T) {
	for _, tc := range [][2]int{{0, 0}, {3, 0}, {-1, 5}, {6, 5}, {0, -2}} {
		ci := analysis.Wilson(tc[0], tc[1])
		if !ci.Undefined() || !math.IsNaN(ci.Low) || !math.IsNaN(ci.High) {
			t.Errorf("Wilson(%d, %d) = %+v, want NaN bounds", tc[0], tc[1], ci)
		}
	}
	b, err := json.Marshal(analysis.Wilson(0, 0))
	if err != nil || string(b) != `{"low":null,"high":null}` {
		t.Errorf("JSON of an undefined interval: %s, %v", b, err)
	}
	// A defined interval keeps its full precision in JSON.
	var back analysis.Interval
	ci := analysis.Wilson(81, 263)
	if b, err := json.Marshal(ci); err != nil || json.Unmarshal(b, &back) != nil || back != ci {
		t.Errorf("JSON round trip of %+v: %s gave %+v (%v)", ci, b, back, err)
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
	// Two values: sd = |a − b|/√2.
	d = analysis.Describe([]float64{3, 7})
	near(t, "sd of two", d.SD, 4/math.Sqrt2, 1e-12)
	near(t, "median of two", d.Median, 5, 1e-12)
}

// TestDescribeUndefined: an empty sample has no mean, spread, median or
// quantiles, and one value has no spread; each is NaN, never 0.
func TestDescribeUndefined(t *testing.T) {
	for _, xs := range [][]float64{nil, {}} {
		d := analysis.Describe(xs)
		if d.N != 0 {
			t.Errorf("empty: N = %d", d.N)
		}
		for name, v := range map[string]float64{"mean": d.Mean, "sd": d.SD, "min": d.Min, "q1": d.Q1, "median": d.Median, "q3": d.Q3, "max": d.Max} {
			if !math.IsNaN(v) {
				t.Errorf("empty sample: %s = %g, want NaN", name, v)
			}
		}
	}
	d := analysis.Describe([]float64{3})
	if d.N != 1 || !math.IsNaN(d.SD) {
		t.Errorf("one value: N = %d, SD = %g, want 1 and NaN", d.N, d.SD)
	}
	for name, v := range map[string]float64{"mean": d.Mean, "min": d.Min, "q1": d.Q1, "median": d.Median, "q3": d.Q3, "max": d.Max} {
		if v != 3 {
			t.Errorf("one value 3: %s = %g, want 3", name, v)
		}
	}
	for _, p := range []float64{0, 0.25, 0.5, 1} {
		if q := analysis.Quantile7(nil, p); !math.IsNaN(q) {
			t.Errorf("Quantile7(empty, %g) = %g, want NaN", p, q)
		}
	}
}

// TestDescriptivesJSON: undefined statistics are published as null, also
// inside NumberSummary, which embeds Descriptives and must keep its own
// fields (outliers, histogram) in its JSON.
func TestDescriptivesJSON(t *testing.T) {
	b, err := json.Marshal(analysis.Describe(nil))
	if want := `{"n":0,"mean":null,"sd":null,"min":null,"q1":null,"median":null,"q3":null,"max":null}`; err != nil || string(b) != want {
		t.Errorf("empty sample: %s (%v), want %s", b, err, want)
	}
	b, err = json.Marshal(analysis.Describe([]float64{2.5}))
	if want := `{"n":1,"mean":2.5,"sd":null,"min":2.5,"q1":2.5,"median":2.5,"q3":2.5,"max":2.5}`; err != nil || string(b) != want {
		t.Errorf("one value: %s (%v), want %s", b, err, want)
	}
	ns := analysis.NumberSummary{Descriptives: analysis.Describe([]float64{7}),
		Outliers: []float64{}, Histogram: []analysis.Bin{{From: 7, To: 7, Count: 1}}}
	b, err = json.Marshal(ns)
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"n": 1.0, "mean": 7.0, "sd": nil, "min": 7.0, "q1": 7.0, "median": 7.0, "q3": 7.0, "max": 7.0,
		"outliers": []any{}, "histogram": []any{map[string]any{"from": 7.0, "to": 7.0, "count": 1.0}}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("NumberSummary JSON %s, want %v", b, want)
	}
	// Every field NumberSummary declares appears under its JSON name, so a
	// field added later cannot be dropped by the custom encoding.
	typ := reflect.TypeFor[analysis.NumberSummary]()
	for i := range typ.NumField() {
		f := typ.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if f.Anonymous || name == "-" || !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		if _, ok := got[name]; !ok {
			t.Errorf("NumberSummary field %s is missing from its JSON %s", f.Name, b)
		}
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
	if res := analysis.ChiSquare([][]int{{1, 4}, {3, 2}}); !res.LowExpected || res.MinExpected != 2 {
		t.Errorf("low expected counts not flagged: %+v", res)
	}
}

// TestChiSquareAgainstScipy compares with scipy 1.10.1 (Debian's
// python3-scipy), computed once with
//
//	s, p, df, e = scipy.stats.chi2_contingency(t, correction=False)
//	v = scipy.stats.contingency.association(t, method="cramer", correction=False)
//
// and printed with repr (17 significant digits). TestAgainstScipy repeats
// such comparisons on random tables when scipy is installed.
func TestChiSquareAgainstScipy(t *testing.T) {
	for _, tc := range []struct {
		table             [][]int
		stat              float64
		df                int
		p, v, minExpected float64
	}{
		{[][]int{{762, 327, 468}, {484, 239, 477}}, 30.070149095754672, 2, 2.9535891832117595e-07, 0.10443580235646777, 246.35473340587595},
		{[][]int{{10, 20}, {20, 10}}, 6.666666666666667, 1, 0.009823274507519235, 0.33333333333333337, 15.0},
		{[][]int{{1, 4}, {3, 2}}, 1.6666666666666665, 1, 0.1967056024589432, 0.408248290463863, 2.0},
		{[][]int{{12, 5, 9, 3}, {7, 14, 6, 10}, {3, 8, 11, 15}}, 19.010315234453163, 6, 0.004146247632143375, 0.30378130894180105, 6.194174757281553},
		{[][]int{{25, 4}, {3, 18}, {9, 9}, {2, 30}}, 47.89951898487794, 3, 2.2369474443891163e-10, 0.692094783861849, 7.02},
		{[][]int{{136, 181}, {275, 268}}, 4.808570546919723, 1, 0.028318526273219864, 0.0747754043858637, 151.49651162790698},
	} {
		res := analysis.ChiSquare(tc.table)
		if res == nil {
			t.Errorf("%v: no test", tc.table)
			continue
		}
		near(t, "X²", res.Statistic, tc.stat, 1e-12)
		near(t, "p", res.P, tc.p, 1e-9)
		near(t, "Cramér's V", res.CramersV, tc.v, 1e-12)
		near(t, "min expected", res.MinExpected, tc.minExpected, 1e-12)
		if res.DF != tc.df {
			t.Errorf("%v: df %d, want %d", tc.table, res.DF, tc.df)
		}
	}
}

// TestChiSquareUndefined: a table with fewer than two non-empty rows or
// columns has no association to test, and a table that is not one of counts
// cannot be tested; ChiSquare says so with nil instead of a number.
func TestChiSquareUndefined(t *testing.T) {
	for _, tc := range []struct {
		name  string
		table [][]int
	}{
		{"no table", nil},
		{"no cells", [][]int{{}, {}}},
		{"n = 0", [][]int{{0, 0}, {0, 0}}},
		{"one row (1×k)", [][]int{{5, 7, 2}}},
		{"one column", [][]int{{5}, {7}}},
		{"one non-empty row", [][]int{{5, 7}, {0, 0}}},
		{"one non-empty column", [][]int{{5, 0}, {7, 0}, {0, 0}}},
		{"ragged", [][]int{{1, 2}, {3}}},
		{"negative count", [][]int{{4, -1}, {2, 3}}},
	} {
		if res := analysis.ChiSquare(tc.table); res != nil {
			t.Errorf("%s: %v gave %+v, want nil", tc.name, tc.table, res)
		}
	}
	// Empty rows and columns are dropped: the 3×3 table with an empty middle
	// row and column is the 2×2 table [[10, 20], [20, 10]] (X² = 20/3).
	res := analysis.ChiSquare([][]int{{10, 0, 20}, {0, 0, 0}, {20, 0, 10}})
	if res == nil || res.DF != 1 || res.FisherP == nil {
		t.Fatalf("empty row/column not dropped: %+v", res)
	}
	near(t, "X² after dropping", res.Statistic, 20.0/3, 1e-12)
	near(t, "Fisher p after dropping", *res.FisherP, analysis.FisherExact(10, 20, 20, 10), 1e-15)
}

// TestFisherTeaTasting is Fisher's (1935) lady tasting tea: 3 of 4 cups
// right, [[3, 1], [1, 3]]: two-sided p = (1 + 16 + 16 + 1)/70 = 34/70.
func TestFisherTeaTasting(t *testing.T) {
	near(t, "p", analysis.FisherExact(3, 1, 1, 3), 34.0/70, 1e-12)
	near(t, "all right", analysis.FisherExact(4, 0, 0, 4), 2.0/70, 1e-12)
	near(t, "independent", analysis.FisherExact(2, 2, 2, 2), 1, 1e-12)
	near(t, "empty", analysis.FisherExact(0, 0, 0, 0), 1, 1e-12)
	if p := analysis.FisherExact(-1, 2, 3, 4); !math.IsNaN(p) {
		t.Errorf("negative count: p = %g, want NaN", p)
	}
}

// TestFisherAgainstScipy compares with scipy 1.10.1 (Debian's
// python3-scipy): scipy.stats.fisher_exact([[a, b], [c, d]],
// alternative="two-sided")[1], printed with repr. The tables include the
// issue's case (the earlier log-scale tolerance gave 0.03371 for it), ties
// (symmetric margins, where tables on both sides have equal probability in
// exact arithmetic), zeros, a zero margin, and large counts.
func TestFisherAgainstScipy(t *testing.T) {
	for _, tc := range []struct {
		a, b, c, d int
		p          float64
	}{
		{136, 181, 275, 268, 0.02860270481372599},
		{3, 1, 1, 3, 0.48571428571428565},
		{4, 0, 0, 4, 0.028571428571428567},
		{2, 2, 2, 2, 1.0},
		{1, 4, 4, 1, 0.2063492063492064},
		{2, 3, 3, 2, 1.0},
		{5, 5, 5, 5, 1.0},
		{3, 7, 7, 3, 0.1788954079975752},
		{0, 5, 5, 0, 0.007936507936507938},
		{0, 3, 6, 0, 0.011904761904761904},
		{0, 0, 3, 4, 1.0},
		{0, 10, 0, 5, 1.0},
		{0, 0, 0, 0, 1.0},
		{1, 0, 0, 0, 1.0},
		{7, 0, 0, 0, 1.0},
		{10, 0, 0, 10, 1.082508822446903e-05},
		{1, 9, 11, 3, 0.0027594561852200836},
		{8, 2, 1, 5, 0.034965034965034975},
		{12, 5, 3, 9, 0.02532768703367614},
		{1200, 1800, 1500, 1450, 4.7304037693620596e-17},
		{5000, 5100, 4900, 5200, 0.1634983300240206},
		{400, 10, 380, 30, 0.0017246436133090608},
		{1, 1000, 10, 990, 0.006203614712586621},
		{30000, 20000, 25000, 25000, 5.766875637041727e-222},
		{25010, 24990, 25000, 25000, 0.9546081642965212},
		{20, 49980, 45, 49955, 0.0026180887502934348},
	} {
		got := analysis.FisherExact(tc.a, tc.b, tc.c, tc.d)
		if !scalar.EqualWithinAbsOrRel(got, tc.p, 1e-300, 1e-9) {
			t.Errorf("FisherExact(%d, %d, %d, %d) = %.17g, want %.17g (scipy)", tc.a, tc.b, tc.c, tc.d, got, tc.p)
		}
	}
}

func TestPhi(t *testing.T) {
	near(t, "phi", analysis.Phi(10, 20, 20, 10), (100.0-400)/900, 1e-12)
	near(t, "perfect", analysis.Phi(5, 0, 0, 5), 1, 1e-12)
	near(t, "inverse", analysis.Phi(0, 5, 5, 0), -1, 1e-12)
	// For a 2×2 table φ² = X²/n: scipy's X² = 4.808570546919723 for
	// [[136, 181], [275, 268]] (n = 860), and the sign is that of ad − bc < 0.
	near(t, "phi vs scipy X²", analysis.Phi(136, 181, 275, 268), -math.Sqrt(4.808570546919723/860), 1e-12)
	for name, cells := range map[string][4]int{
		"a zero row margin":    {5, 5, 0, 0},
		"a zero column margin": {5, 0, 7, 0},
		"n = 0":                {0, 0, 0, 0},
		"a negative count":     {5, -1, 2, 3},
	} {
		if phi := analysis.Phi(cells[0], cells[1], cells[2], cells[3]); !math.IsNaN(phi) {
			t.Errorf("phi with %s = %g, want NaN", name, phi)
		}
	}
}

func TestSpearmanRho(t *testing.T) {
	// No ties: ρ = 1 − 6Σd²/(n(n²−1)) = 1 − 24/120 = 0.8.
	res := analysis.Spearman([]float64{1, 2, 3, 4, 5}, []float64{2, 1, 4, 3, 5})
	near(t, "rho", res.Rho, 0.8, 1e-12)
	// Ties take average ranks: y ranks 1, 2, 3.5, 5, 3.5.
	res = analysis.Spearman([]float64{1, 2, 3, 4, 5}, []float64{5, 6, 7, 8, 7})
	// Pearson of (1..5) with (1, 2, 3.5, 5, 3.5): Σdxdy = 8, Σdx² = 10, Σdy² = 9.5.
	near(t, "rho ties", res.Rho, 8/math.Sqrt(10*9.5), 1e-12)
	for name, xy := range map[string][2][]float64{
		"two pairs":        {{1, 2}, {1, 2}},
		"constant x":       {{1, 1, 1}, {1, 2, 3}},
		"constant y":       {{1, 2, 3, 4}, {5, 5, 5, 5}},
		"different length": {{1, 2, 3}, {1, 2, 3, 4}},
		"a NaN":            {{1, 2, math.NaN(), 4}, {1, 2, 3, 4}},
	} {
		if res := analysis.Spearman(xy[0], xy[1]); res != nil {
			t.Errorf("Spearman with %s = %+v, want nil", name, res)
		}
	}
}

// TestSpearmanExactAgainstScipy: for n ≤ 9 the p-value is exact. The
// references are scipy 1.10.1's permutation_test over all n! pairings of
// the ranks (scipy.stats.rankdata, average ranks for ties), with the
// statistic |Pearson r of the ranks| and alternative="greater", that is
// P(|ρ| ≥ |ρ_obs|):
//
//	permutation_test((rx,), stat, permutation_type="pairings",
//	                 n_resamples=np.inf, alternative="greater", vectorized=True)
//
// and ρ from scipy.stats.spearmanr. At n = 3 with ρ = 1 only the observed
// and the reversed pairings reach |ρ| = 1: p = 2/3! = 1/3 (the t
// approximation gave 0).
func TestSpearmanExactAgainstScipy(t *testing.T) {
	for _, tc := range []struct {
		x, y   []float64
		rho, p float64
	}{
		{[]float64{1, 2, 3}, []float64{1, 2, 3}, 1.0, 0.3333333333333333},
		{[]float64{1, 2, 3}, []float64{1, 3, 2}, 0.5, 1.0},
		{[]float64{1, 2, 3}, []float64{3, 2, 1}, -1.0, 0.3333333333333333}, // by hand: 2 of 6
		{[]float64{1, 2, 3, 4}, []float64{10, 20, 30, 40}, 1.0, 0.08333333333333333},
		{[]float64{1, 2, 3, 4, 5}, []float64{2, 1, 4, 3, 5}, 0.7999999999999999, 0.13333333333333333},
		{[]float64{1, 2, 3, 4, 5}, []float64{5, 6, 7, 8, 7}, 0.8207826816681233, 0.13333333333333333},
		{[]float64{3, 1, 4, 1, 5, 9, 2}, []float64{2, 7, 1, 8, 2, 8, 1}, -0.08334762598987158, 0.8571428571428571},
		{[]float64{1, 2, 2, 3, 3, 3, 4, 5}, []float64{1, 1, 2, 2, 3, 3, 4, 4}, 0.9308360200392612, 0.004761904761904762},
		{[]float64{5, 3, 8, 1, 9, 2, 7, 4, 6}, []float64{4, 2, 9, 1, 8, 3, 6, 5, 7}, 0.9333333333333332, 0.0007495590828924162},
		{[]float64{1, 1, 1, 2, 2, 2, 3, 3, 3}, []float64{1, 2, 3, 1, 2, 3, 2, 3, 3}, 0.3380617018914066, 0.4523809523809524},
		{[]float64{2, 4, 1, 5, 3, 5, 2, 1, 4}, []float64{3, 5, 2, 4, 1, 5, 3, 2, 4}, 0.7586206896551725, 0.022486772486772486},
	} {
		res := analysis.Spearman(tc.x, tc.y)
		if res == nil {
			t.Errorf("Spearman(%v, %v) = nil", tc.x, tc.y)
			continue
		}
		near(t, "rho", res.Rho, tc.rho, 1e-12)
		near(t, "exact p", res.P, tc.p, 1e-12)
		if res.Method != analysis.SpearmanExact || res.N != len(tc.x) {
			t.Errorf("n = %d: method %q, N %d, want %q", len(tc.x), res.Method, res.N, analysis.SpearmanExact)
		}
	}
}

// TestSpearmanTAgainstScipy: above n = 9, p is scipy.stats.spearmanr's
// (1.10.1), which uses the same t approximation with n − 2 degrees of
// freedom; the last two samples were drawn with numpy's
// default_rng(12).integers.
func TestSpearmanTAgainstScipy(t *testing.T) {
	for _, tc := range []struct {
		x, y   []float64
		rho, p float64
	}{
		{[]float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, []float64{2, 1, 4, 3, 6, 5, 8, 7, 10, 9}, 0.9393939393939393, 5.484052998513666e-05},
		{[]float64{4, 2, 5, 5, 1, 1, 1, 1, 3, 2, 3, 2}, []float64{5, 4, 4, 1, 1, 5, 2, 5, 4, 1, 3, 3}, -0.03130802847289036, 0.9230535045608611},
		{[]float64{46, 10, 71, 25, 35, 41, 29, 45, 83, 46, 74, 92, 21, 25, 55, 18, 68, 67, 67, 94, 42, 92, 97, 88, 30, 6, 86, 93, 33, 64},
			[]float64{16, 87, 84, 40, 78, 21, 96, 79, 81, 66, 4, 77, 71, 20, 85, 13, 39, 76, 77, 2, 25, 94, 56, 13, 34, 60, 0, 41, 25, 32},
			-0.07992875480896024, 0.6745888957029841},
	} {
		res := analysis.Spearman(tc.x, tc.y)
		near(t, "rho", res.Rho, tc.rho, 1e-12)
		near(t, "t p", res.P, tc.p, 1e-9)
		if res.Method != analysis.SpearmanT {
			t.Errorf("n = %d: method %q, want %q", len(tc.x), res.Method, analysis.SpearmanT)
		}
	}
}

// TestSpearmanPerfectAboveExact: above n = 9 the t statistic of |ρ| = 1 is
// infinite (p = 0 would be false), so p is counted: ρ = 1 only for the
// pairings that keep each tie group in place (Π m_k! of the n!), and ρ = −1
// as often again when the ranks are symmetric. By hand, n = 10:
func TestSpearmanPerfectAboveExact(t *testing.T) {
	const fact10 = 3628800.0
	seq := []float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}
	rev := []float64{10, 9, 8, 7, 6, 5, 4, 3, 2, 1}
	for _, tc := range []struct {
		name string
		x, y []float64
		rho  float64
		p    float64
	}{
		{"no ties, ρ = 1: 2 of 10!", seq, seq, 1, 2 / fact10},
		{"no ties, ρ = −1: 2 of 10!", seq, rev, -1, 2 / fact10},
		// Tie sizes 2,1,…,1 are not symmetric: ρ = −1 is out of reach; 2! of 10!.
		{"one tie", []float64{1, 1, 2, 3, 4, 5, 6, 7, 8, 9}, []float64{0, 0, 5, 6, 7, 8, 9, 10, 11, 12}, 1, 2 / fact10},
		// Tie sizes 2,1,…,1,2 are symmetric: 2·2!·2! of 10!.
		{"symmetric ties", []float64{1, 1, 2, 3, 4, 5, 6, 7, 8, 8}, []float64{3, 3, 4, 5, 6, 7, 8, 9, 10, 10}, 1, 8 / fact10},
	} {
		res := analysis.Spearman(tc.x, tc.y)
		if res == nil {
			t.Errorf("%s: nil", tc.name)
			continue
		}
		near(t, tc.name+" rho", res.Rho, tc.rho, 1e-12)
		near(t, tc.name+" p", res.P, tc.p, 1e-12)
		if res.Method != analysis.SpearmanExact {
			t.Errorf("%s: method %q", tc.name, res.Method)
		}
	}
}

// BenchmarkSpearmanExact measures the largest exact case, n = 9 (9! =
// 362,880 pairings), with ties; it runs wherever a report correlates nine
// or fewer pairs, so it must stay far below a request's budget.
func BenchmarkSpearmanExact(b *testing.B) {
	x := []float64{2, 4, 1, 5, 3, 5, 2, 1, 4}
	y := []float64{3, 5, 2, 4, 1, 5, 3, 2, 4}
	b.ReportAllocs()
	for b.Loop() {
		if analysis.Spearman(x, y) == nil {
			b.Fatal("nil")
		}
	}
}

func TestFormatP(t *testing.T) {
	for _, tc := range []struct {
		p          float64
		en, fr, es string
	}{
		{0.02860270481372599, "0.029", "0,029", "0,029"},
		{0.5, "0.500", "0,500", "0,500"},
		{1, "1.000", "1,000", "1,000"},
		{0.001, "0.001", "0,001", "0,001"},
		{0.000999, "< 0.001", "< 0,001", "< 0,001"},
		{4.7e-17, "< 0.001", "< 0,001", "< 0,001"},
		{0, "< 0.001", "< 0,001", "< 0,001"},
		{math.NaN(), "–", "–", "–"},
	} {
		for lang, want := range map[string]string{"en": tc.en, "fr": tc.fr, "es": tc.es} {
			if got := analysis.FormatP(lang, tc.p); got != want {
				t.Errorf("FormatP(%q, %g) = %q, want %q", lang, tc.p, got, want)
			}
		}
	}
}
