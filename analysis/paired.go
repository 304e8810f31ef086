package analysis

import (
	"math"
	"sort"

	"gonum.org/v1/gonum/stat/distuv"

	"github.com/metlib/canvass/survey"
)

// Paired tests of change between two waves, over the panel: the libraries
// that answered both. The caller matches the waves (Panel) and passes the
// panel's values in the same order for both waves, first (earlier) wave
// first; a change is always second − first.

// McNemarExactBelow is the number of discordant pairs (b + c) below which
// McNemar's p-value is the exact binomial one: with few discordant pairs
// the chi-square approximation is poor (Agresti 2013, §11.1.1; the usual
// rule is b + c < 25), and the exact test costs nothing at that size.
const McNemarExactBelow = 25

// Methods of a paired test's p-value.
const (
	// MethodExact is an exact p-value: McNemar's binomial test, or the
	// exact null distribution of Wilcoxon's signed-rank statistic.
	MethodExact = "exact"
	// MethodChiSquare is McNemar's chi-square with continuity correction.
	MethodChiSquare = "chi_square"
	// MethodNormal is Wilcoxon's normal approximation with tie and
	// continuity corrections.
	MethodNormal = "normal"
)

// McNemarResult is McNemar's test of change in a yes/no answer (or an
// option chosen or not) between two waves, over a panel of N libraries.
type McNemarResult struct {
	N       int `json:"n"`       // the panel: libraries with an answer in both waves
	Both    int `json:"both"`    // yes in both waves
	Neither int `json:"neither"` // no in both waves
	B       int `json:"b"`       // yes in the first wave, no in the second
	C       int `json:"c"`       // no in the first wave, yes in the second
	// Change is the panel's share saying yes in the second wave minus its
	// share in the first, (C − B)/N; NaN for an empty panel.
	Change Float `json:"change"`
	// Statistic is the continuity-corrected chi-square (|B − C| − 1)²/(B + C)
	// when Method is MethodChiSquare, NaN otherwise (the exact test has no
	// statistic of its own beyond B and C).
	Statistic Float `json:"statistic"`
	// P is the two-sided p-value: NaN for an empty panel.
	P Float `json:"p"`
	// Method is MethodExact (B + C < McNemarExactBelow) or MethodChiSquare;
	// empty for an empty panel, which has no test.
	Method string `json:"method,omitempty"`
}

// McNemar tests whether the share answering yes changed between two waves
// in a panel: first[i] and second[i] are library i's answers. Only the
// discordant pairs carry information, B (yes → no) and C (no → yes); under
// no change each is a fair coin's outcome given B + C. The two-sided
// p-value is
//
//   - for B + C < McNemarExactBelow, the exact binomial one,
//     min(1, 2·P(X ≤ min(B, C))) with X ~ Binomial(B + C, ½), which is
//     scipy's binomtest(B, B + C, 0.5) for a symmetric null;
//   - otherwise from X² = (|B − C| − 1)²/(B + C) (Edwards' continuity
//     correction, as R's mcnemar.test and statsmodels compute it, not
//     clipped at zero), chi-square with 1 degree of freedom.
//
// With no discordant pair (B + C = 0) nobody changed: every assignment of
// the (zero) changes gives the observed table, so the exact p is 1. An
// empty panel has no test: P and Change are NaN and Method is empty. It
// returns EINVALID when the waves' slices differ in length.
func McNemar(first, second []bool) (*McNemarResult, error) {
	if len(first) != len(second) {
		return nil, survey.Errorf(survey.EINVALID, "McNemar's test needs one answer per library in each wave: %d in the first, %d in the second.", len(first), len(second))
	}
	nan := Float(math.NaN())
	res := &McNemarResult{N: len(first), Change: nan, Statistic: nan, P: nan}
	for i := range first {
		switch {
		case first[i] && second[i]:
			res.Both++
		case first[i]:
			res.B++
		case second[i]:
			res.C++
		default:
			res.Neither++
		}
	}
	if res.N == 0 {
		return res, nil
	}
	res.Change = Float(float64(res.C-res.B) / float64(res.N))
	disc := res.B + res.C
	if disc < McNemarExactBelow {
		res.Method, res.P = MethodExact, 1
		if disc > 0 {
			k := float64(min(res.B, res.C))
			res.P = Float(math.Min(1, 2*distuv.Binomial{N: float64(disc), P: 0.5}.CDF(k)))
		}
		return res, nil
	}
	d := math.Abs(float64(res.B-res.C)) - 1
	x2 := d * d / float64(disc)
	res.Method, res.Statistic = MethodChiSquare, Float(x2)
	res.P = Float(distuv.ChiSquared{K: 1}.Survival(x2))
	return res, nil
}

// WilcoxonExactMax is the largest panel for which Wilcoxon's p-value can be
// exact, scipy's limit for method="auto" (the exact distribution of 50
// ranks has 1,276 points, computed in microseconds).
const WilcoxonExactMax = 50

// WilcoxonResult is Wilcoxon's signed-rank test of the change in a number
// or a likert score between two waves, over a panel of N libraries.
type WilcoxonResult struct {
	N       int `json:"n"`        // the panel: libraries with a value in both waves
	NonZero int `json:"non_zero"` // libraries whose value changed, the ranks' count
	// RankPlus and RankMinus are the sums of the ranks of |second − first|
	// over the increases and the decreases; RankPlus + RankMinus =
	// NonZero(NonZero + 1)/2.
	RankPlus  float64 `json:"rank_plus"`
	RankMinus float64 `json:"rank_minus"`
	// W is the smaller of the two rank sums, the statistic of the
	// two-sided test (scipy's statistic).
	W float64 `json:"w"`
	// Ties reports tied non-zero |differences| (average ranks were given).
	Ties bool `json:"ties"`
	// Z is the standardized statistic when Method is MethodNormal, NaN
	// otherwise.
	Z Float `json:"z"`
	// P is the two-sided p-value: NaN for an empty panel.
	P Float `json:"p"`
	// Method is MethodExact or MethodNormal; empty for an empty panel.
	Method string `json:"method,omitempty"`
}

// Wilcoxon runs Wilcoxon's signed-rank test on the changes
// dᵢ = second[i] − first[i] of a panel. Zero changes are dropped (Wilcoxon's
// own method, scipy's zero_method="wilcox"), the remaining n = NonZero
// |dᵢ| are ranked 1…n with ties given their average rank, and W is the
// smaller of the rank sums of the positive and the negative changes. The
// two-sided p-value is
//
//   - exact when the panel has at most WilcoxonExactMax libraries, no zero
//     change and no tied |dᵢ|: min(1, 2·P(T ≤ W)), T the sum of a random
//     subset of the ranks 1…n, all 2ⁿ subsets equally likely. This is the
//     choice of scipy.stats.wilcoxon(method="auto") (exact for at most 50
//     differences, normal once there is a zero), except that scipy 1.10
//     keeps "exact" with tied ranks, where its exact distribution does not
//     apply (it truncates half ranks); the normal approximation is used then
//     (scipy 1.15 stops too, and runs a permutation test for n ≤ 13, which
//     this does not);
//   - otherwise normal: z = (W − μ − ½·sign(W − μ))/σ with μ = n(n + 1)/4 and
//     σ² = (n(n + 1)(2n + 1) − ½Σ t(t² − 1))/24 over the groups of t tied
//     |dᵢ|, p = 2·(1 − Φ(|z|)): scipy's method="approx" with
//     correction=True (scipy's default is correction=False).
//
// When every change is zero (NonZero = 0, N > 0) nobody changed: T has
// the single value 0 and the exact p is 1 (scipy refuses this case). An
// empty panel has no test: P is NaN and Method empty. It returns EINVALID
// when the slices differ in length or hold a NaN or an infinity.
func Wilcoxon(first, second []float64) (*WilcoxonResult, error) {
	if len(first) != len(second) {
		return nil, survey.Errorf(survey.EINVALID, "Wilcoxon's test needs one value per library in each wave: %d in the first, %d in the second.", len(first), len(second))
	}
	nan := Float(math.NaN())
	res := &WilcoxonResult{N: len(first), Z: nan, P: nan}
	var d []float64
	for i := range first {
		for _, v := range []float64{first[i], second[i]} {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, survey.Errorf(survey.EINVALID, "Wilcoxon's test needs numbers: library %d has %v.", i+1, v)
			}
		}
		if diff := second[i] - first[i]; diff != 0 {
			d = append(d, diff)
		}
	}
	if res.N == 0 {
		return res, nil
	}
	n := len(d)
	res.NonZero = n
	abs := make([]float64, n)
	for i, v := range d {
		abs[i] = math.Abs(v)
	}
	r := ranks(abs)
	for i, v := range d {
		if v > 0 {
			res.RankPlus += r[i]
		} else {
			res.RankMinus += r[i]
		}
	}
	res.W = math.Min(res.RankPlus, res.RankMinus)
	ties := tieSizes(abs)
	res.Ties = len(ties) > 0
	if n == 0 {
		res.Method, res.P = MethodExact, 1
		return res, nil
	}
	if res.N <= WilcoxonExactMax && n == res.N && !res.Ties {
		res.Method = MethodExact
		res.P = Float(math.Min(1, 2*signedRankCDF(n, int(res.W))))
		return res, nil
	}
	nf := float64(n)
	mu := nf * (nf + 1) / 4
	v := nf * (nf + 1) * (2*nf + 1)
	for _, t := range ties {
		tf := float64(t)
		v -= tf * (tf*tf - 1) / 2
	}
	sigma := math.Sqrt(v / 24)
	// W is the smaller rank sum, so W ≤ μ and the continuity correction
	// −½·sign(W − μ) moves it half a unit towards μ (none at W = μ).
	corr := 0.0
	if res.W < mu {
		corr = 0.5
	}
	z := (res.W - mu + corr) / sigma
	res.Method, res.Z = MethodNormal, Float(z)
	res.P = Float(2 * distuv.UnitNormal.Survival(math.Abs(z)))
	return res, nil
}

// tieSizes returns the sizes of the groups of equal values (those of two
// or more) in xs.
func tieSizes(xs []float64) []int {
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	var sizes []int
	for i := 0; i < len(s); {
		j := i + 1
		for j < len(s) && s[j] == s[i] {
			j++
		}
		if j-i > 1 {
			sizes = append(sizes, j-i)
		}
		i = j
	}
	return sizes
}

// signedRankCDF is P(T ≤ w) for T the sum of a uniformly random subset of
// {1, …, n}: the null distribution of the positive rank sum without ties.
// The number of subsets with each sum is counted by adding the ranks one at
// a time (c_k(s) = c_{k−1}(s) + c_{k−1}(s − k)); the counts are below
// 2⁵⁰ for n ≤ 50, exact in float64.
func signedRankCDF(n, w int) float64 {
	top := n * (n + 1) / 2
	c := make([]float64, top+1)
	c[0] = 1
	for k := 1; k <= n; k++ {
		for s := k * (k + 1) / 2; s >= k; s-- {
			c[s] += c[s-k]
		}
	}
	sum := 0.0
	for s := 0; s <= min(w, top); s++ {
		sum += c[s]
	}
	return sum / math.Exp2(float64(n))
}
