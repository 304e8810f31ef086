// Package analysis summarizes survey responses with sound statistics:
// frequencies with Wilson score intervals, descriptives, cross-tabulations
// with Pearson's chi-square test, Cramér's V and Fisher's exact test,
// Spearman rank correlation, and the report tables a survey defines. It is
// pure: a survey definition and responses in, results out. Numbers are at
// full precision; rounding is for display.
package analysis

import (
	"encoding/json"
	"math"
	"sort"
	"strconv"

	"gonum.org/v1/gonum/stat"
	"gonum.org/v1/gonum/stat/distuv"

	"github.com/metlib/canvass/survey"
)

// z95 is the 97.5th percentile of the standard normal distribution, for 95% intervals.
const z95 = 1.959963984540054

// Interval is a confidence interval for a proportion, on [0, 1]. Both
// bounds are NaN when the interval is undefined (no trials); JSON encodes
// them as null.
type Interval struct {
	Low  float64 `json:"low"`
	High float64 `json:"high"`
}

// Undefined reports whether the interval has no bounds (NaN), as Wilson
// gives for n = 0.
func (ci Interval) Undefined() bool { return math.IsNaN(ci.Low) || math.IsNaN(ci.High) }

// MarshalJSON implements json.Marshaler: an undefined bound is null, since
// JSON has no NaN and encoding/json refuses to write one.
func (ci Interval) MarshalJSON() ([]byte, error) {
	b := append([]byte(`{"low":`), jsonFloat(ci.Low)...)
	b = append(b, `,"high":`...)
	b = append(b, jsonFloat(ci.High)...)
	return append(b, '}'), nil
}

func jsonFloat(v float64) []byte {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return []byte("null")
	}
	return strconv.AppendFloat(nil, v, 'g', -1, 64)
}

// Wilson returns the 95% Wilson score interval for x successes in n trials
// (Wilson 1927; Newcombe 1998, method 3):
//
//	centre = (p̂ + z²/2n) / (1 + z²/n)
//	half   = z / (1 + z²/n) · √(p̂(1−p̂)/n + z²/4n²)
//
// It stays within [0, 1] for x = 0 and x = n, unlike the Wald interval. With
// no trials (n = 0) there is no estimate to bound, so the interval is
// undefined: both bounds are NaN (not [0, 1], which would read as a
// statement about data that does not exist). Counts outside 0 ≤ x ≤ n are
// not proportions and give NaN bounds too.
func Wilson(x, n int) Interval {
	if n <= 0 || x < 0 || x > n {
		return Interval{math.NaN(), math.NaN()}
	}
	p := float64(x) / float64(n)
	nf := float64(n)
	z2 := z95 * z95
	denom := 1 + z2/nf
	centre := (p + z2/(2*nf)) / denom
	half := z95 / denom * math.Sqrt(p*(1-p)/nf+z2/(4*nf*nf))
	lo, hi := centre-half, centre+half
	if x == 0 {
		lo = 0
	}
	if x == n {
		hi = 1
	}
	return Interval{Low: math.Max(0, lo), High: math.Min(1, hi)}
}

// Descriptives summarizes a sample of numbers. A statistic the sample
// cannot define is NaN: every one of them when N = 0, and SD when N = 1 (a
// spread needs two values). Outputs show NaN as undefined ("–", JSON null),
// never as 0.
type Descriptives struct {
	N      int     `json:"n"`
	Mean   float64 `json:"mean"`
	SD     float64 `json:"sd"` // sample standard deviation (n − 1 denominator); NaN when n < 2
	Min    float64 `json:"min"`
	Q1     float64 `json:"q1"`
	Median float64 `json:"median"`
	Q3     float64 `json:"q3"`
	Max    float64 `json:"max"`
	// Withheld marks the statistics as withheld by disclosure control
	// (the group is too small, or a cell they depend on is hidden): they
	// are then NaN (JSON null); N may still be published. Set only by
	// disclosure.Publish; false in every analyst output.
	Withheld bool `json:"withheld,omitempty"`
}

// descriptivesJSON is Descriptives as published: undefined statistics are
// null (Float), since encoding/json refuses NaN.
type descriptivesJSON struct {
	N      int   `json:"n"`
	Mean   Float `json:"mean"`
	SD     Float `json:"sd"`
	Min    Float `json:"min"`
	Q1     Float `json:"q1"`
	Median Float `json:"median"`
	Q3     Float `json:"q3"`
	Max    Float `json:"max"`
	// Withheld: see Descriptives.Withheld.
	Withheld bool `json:"withheld,omitempty"`
}

func (d Descriptives) published() descriptivesJSON {
	return descriptivesJSON{N: d.N, Mean: Float(d.Mean), SD: Float(d.SD), Min: Float(d.Min),
		Q1: Float(d.Q1), Median: Float(d.Median), Q3: Float(d.Q3), Max: Float(d.Max), Withheld: d.Withheld}
}

// MarshalJSON implements json.Marshaler: a statistic the sample cannot
// define (NaN) is null. The fields stay float64 so that callers compute
// with them directly.
func (d Descriptives) MarshalJSON() ([]byte, error) { return json.Marshal(d.published()) }

// MarshalJSON implements json.Marshaler for NumberSummary, which embeds
// Descriptives: without it, Descriptives' MarshalJSON would be promoted and
// the summary would be published without its outliers and histogram. It
// encodes every field of the summary as declared (through rest, a type
// with the same fields and no methods of its own), with the descriptives
// replaced by their published form: json takes the shallower of two fields
// with one name, and the field named MarshalJSON hides the method rest
// would promote from its embedded Descriptives.
func (s NumberSummary) MarshalJSON() ([]byte, error) {
	type rest NumberSummary
	return json.Marshal(struct {
		descriptivesJSON
		rest
		MarshalJSON struct{} `json:"-"`
	}{descriptivesJSON: s.Descriptives.published(), rest: rest(s)})
}

// Describe computes descriptives. Quartiles use Hyndman and Fan's type 7
// (linear interpolation between order statistics at h = (n−1)p: the default
// of R and of Excel's QUARTILE.INC). An empty sample gives N = 0 and NaN for
// every statistic; a single value gives NaN for SD.
func Describe(xs []float64) Descriptives {
	nan := math.NaN()
	d := Descriptives{N: len(xs), Mean: nan, SD: nan, Min: nan, Q1: nan, Median: nan, Q3: nan, Max: nan}
	if len(xs) == 0 {
		return d
	}
	sorted := append([]float64(nil), xs...)
	sort.Float64s(sorted)
	d.Min, d.Max = sorted[0], sorted[len(sorted)-1]
	d.Q1, d.Median, d.Q3 = Quantile7(sorted, 0.25), Quantile7(sorted, 0.5), Quantile7(sorted, 0.75)
	d.Mean = stat.Mean(sorted, nil)
	if len(xs) > 1 {
		d.SD = stat.StdDev(sorted, nil)
	}
	return d
}

// Quantile7 returns the p-quantile of sorted data by Hyndman and Fan's
// type 7: h = (n−1)p, Q = x[⌊h⌋] + (h − ⌊h⌋)(x[⌊h⌋+1] − x[⌊h⌋]). An empty
// sample has no quantiles: NaN.
func Quantile7(sorted []float64, p float64) float64 {
	n := len(sorted)
	if n == 0 {
		return math.NaN()
	}
	h := float64(n-1) * p
	lo := int(math.Floor(h))
	if lo >= n-1 {
		return sorted[n-1]
	}
	return sorted[lo] + (h-float64(lo))*(sorted[lo+1]-sorted[lo])
}

// ChiSquareResult is Pearson's chi-square test of independence on a table.
type ChiSquareResult struct {
	Statistic float64 `json:"statistic"`
	DF        int     `json:"df"`
	P         float64 `json:"p"`
	CramersV  float64 `json:"cramers_v"`
	// MinExpected is the smallest expected count; below 5 the chi-square
	// approximation is doubtful (Cochran's rule), and LowExpected is set.
	MinExpected float64 `json:"min_expected"`
	LowExpected bool    `json:"low_expected"`
	// FisherP is Fisher's exact two-sided p-value, given for 2×2 tables.
	FisherP *float64 `json:"fisher_p,omitempty"`
}

// ChiSquare tests independence of rows and columns of a table of counts:
// X² = Σ (O − E)² / E with E = row total × column total / n, df = (r−1)(c−1),
// p from the chi-square distribution; Cramér's V = √(X² / (n·(min(r,c)−1))).
// Rows and columns that are all zero are left out first (they carry no
// information and would give E = 0).
//
// The test is undefined, and ChiSquare returns nil, when fewer than two
// rows or fewer than two columns remain (a single row or group, or n = 0:
// there is no association to test), and for a table that is not a table of
// counts (rows of different lengths, a negative count). It never returns a
// statistic it could not compute.
func ChiSquare(table [][]int) *ChiSquareResult {
	if !countTable(table) {
		return nil
	}
	t := dropEmpty(table)
	r := len(t)
	if r < 2 || len(t[0]) < 2 {
		return nil
	}
	c := len(t[0])
	rowSum, colSum, n := margins(t)
	res := &ChiSquareResult{DF: (r - 1) * (c - 1), MinExpected: math.Inf(1)}
	for i := range t {
		for j := range t[i] {
			e := float64(rowSum[i]) * float64(colSum[j]) / float64(n)
			res.MinExpected = math.Min(res.MinExpected, e)
			d := float64(t[i][j]) - e
			res.Statistic += d * d / e
		}
	}
	res.P = distuv.ChiSquared{K: float64(res.DF)}.Survival(res.Statistic)
	res.CramersV = math.Sqrt(res.Statistic / (float64(n) * float64(min(r, c)-1)))
	res.LowExpected = res.MinExpected < 5
	if r == 2 && c == 2 {
		p := FisherExact(t[0][0], t[0][1], t[1][0], t[1][1])
		res.FisherP = &p
	}
	return res
}

// countTable reports whether table is rectangular with no negative count.
func countTable(table [][]int) bool {
	for _, row := range table {
		if len(row) != len(table[0]) {
			return false
		}
		for _, v := range row {
			if v < 0 {
				return false
			}
		}
	}
	return true
}

func margins(t [][]int) (rowSum, colSum []int, n int) {
	rowSum = make([]int, len(t))
	colSum = make([]int, len(t[0]))
	for i := range t {
		for j, v := range t[i] {
			rowSum[i] += v
			colSum[j] += v
			n += v
		}
	}
	return rowSum, colSum, n
}

// dropEmpty removes all-zero rows and columns of a rectangular table of
// non-negative counts.
func dropEmpty(table [][]int) [][]int {
	if len(table) == 0 {
		return nil
	}
	keepCol := make([]bool, len(table[0]))
	var rows [][]int
	for _, row := range table {
		sum := 0
		for j, v := range row {
			sum += v
			if v != 0 {
				keepCol[j] = true
			}
		}
		if sum > 0 {
			rows = append(rows, row)
		}
	}
	out := make([][]int, len(rows))
	for i, row := range rows {
		for j, v := range row {
			if keepCol[j] {
				out[i] = append(out[i], v)
			}
		}
	}
	if len(out) == 0 || len(out[0]) == 0 {
		return nil
	}
	return out
}

// fisherTies is R's relative tolerance in fisher.test (and scipy's gamma):
// a table counts as "no more likely" than the observed one when its
// probability is at most p_obs·(1 + 1e-7), so tables whose probabilities
// are equal in exact arithmetic but differ by rounding are all counted.
const fisherTies = 1 + 1e-7

// FisherExact returns the two-sided p-value of Fisher's exact test for the
// 2×2 table [[a, b], [c, d]]: the sum of the hypergeometric probabilities
//
//	P(x) = C(r1, x)·C(n − r1, c1 − x) / C(n, c1),  max(0, c1 + r1 − n) ≤ x ≤ min(r1, c1)
//
// of every table with the observed margins (r1 = a + b, c1 = a + c) whose
// probability is at most P(a)·(1 + 1e-7), compared on the probability
// scale as R's fisher.test does. When a margin is zero only the observed
// table has those margins, and p is 1 (as in R and scipy). A negative count
// gives NaN.
func FisherExact(a, b, c, d int) float64 {
	if a < 0 || b < 0 || c < 0 || d < 0 {
		return math.NaN()
	}
	r1, c1, n := a+b, a+c, a+b+c+d
	lo, hi := max(0, c1-(n-r1)), min(r1, c1)
	if lo == hi {
		return 1
	}
	// Probabilities relative to the most likely table, the mode
	// ⌊(r1+1)(c1+1)/(n+2)⌋, so every term is at most 1 and representable for
	// large counts (the common factor cancels in the ratio tail/total). They
	// are walked outward from the mode with the ratio of neighbours,
	//
	//	P(x+1)/P(x) = (r1 − x)(c1 − x) / ((x + 1)(n − r1 − c1 + x + 1)),
	//
	// a few multiplications a table instead of lgamma calls (32 ms → under
	// 1 ms at n = 100,000), stopping when the terms underflow to zero. The
	// observed table's term comes from lgamma; the two agree to about 1e-11
	// relative, far inside the 1e-7 tie tolerance.
	mode := min(hi, max(lo, int((float64(r1)+1)*(float64(c1)+1)/(float64(n)+2))))
	logP := func(x int) float64 { return lchoose(r1, x) + lchoose(n-r1, c1-x) }
	limit := math.Exp(logP(a)-logP(mode)) * fisherTies
	d0 := float64(n - r1 - c1)
	fr1, fc1 := float64(r1), float64(c1)
	var total, tail float64
	add := func(px float64) {
		total += px
		if px <= limit {
			tail += px
		}
	}
	px := 1.0
	for x := mode; x <= hi && px > 0; x++ {
		add(px)
		fx := float64(x)
		px *= (fr1 - fx) * (fc1 - fx) / ((fx + 1) * (d0 + fx + 1))
	}
	px = 1.0
	for x := mode; x > lo && px > 0; x-- {
		fx := float64(x)
		px *= fx * (d0 + fx) / ((fr1 - fx + 1) * (fc1 - fx + 1))
		add(px)
	}
	return math.Min(1, tail/total)
}

func lchoose(n, k int) float64 {
	a, _ := math.Lgamma(float64(n + 1))
	b, _ := math.Lgamma(float64(k + 1))
	c, _ := math.Lgamma(float64(n - k + 1))
	return a - b - c
}

// Phi returns the phi coefficient of the 2×2 table [[n11, n10], [n01, n00]]:
// (n11·n00 − n10·n01) / √(n1··n0·· n·1·n·0). It is undefined (NaN) when a
// margin is zero, which includes n = 0 (an option chosen by everybody or by
// nobody has no association to measure), and for a negative count.
func Phi(n11, n10, n01, n00 int) float64 {
	if n11 < 0 || n10 < 0 || n01 < 0 || n00 < 0 {
		return math.NaN()
	}
	den := math.Sqrt(float64(n11+n10) * float64(n01+n00) * float64(n11+n01) * float64(n10+n00))
	if den == 0 {
		return math.NaN()
	}
	return (float64(n11)*float64(n00) - float64(n10)*float64(n01)) / den
}

// SpearmanExactMax is the largest number of pairs for which Spearman's p is
// exact (all n! pairings enumerated: 362,880 at n = 9, about a millisecond);
// above it p comes from the t approximation, which is adequate from about
// n = 10 and whose cost does not grow factorially.
const SpearmanExactMax = 9

// Methods of a Spearman p-value.
const (
	SpearmanExact = "exact" // the permutation distribution, all n! pairings
	SpearmanT     = "t"     // the t approximation with n − 2 degrees of freedom
)

// SpearmanResult is a rank correlation with its two-sided p-value and the
// method that gave it (SpearmanExact or SpearmanT).
type SpearmanResult struct {
	N      int     `json:"n"`
	Rho    float64 `json:"rho"`
	P      float64 `json:"p"`
	Method string  `json:"method"`
}

// Spearman returns Spearman's rank correlation of paired samples: Pearson's
// correlation of the ranks, ties given their average rank. The two-sided
// p-value is P(|ρ| ≥ |ρ_obs|) under independence:
//
//   - for n ≤ SpearmanExactMax, exactly, from the permutation distribution:
//     the share of the n! pairings of the y ranks with the x ranks whose |ρ|
//     is at least the observed one (ties keep their average ranks, so this
//     is the conditional distribution given the ties);
//   - above, from t = ρ√((n−2)/(1−ρ²)) with n−2 degrees of freedom, except
//     for |ρ| = 1, where t is infinite and p is instead counted exactly: only
//     the pairings that keep (or exactly reverse) the order reach |ρ| = 1.
//
// It returns nil when the correlation is undefined: fewer than 3 pairs,
// samples of different lengths, a NaN value, or a constant sample.
func Spearman(xs, ys []float64) *SpearmanResult {
	n := len(xs)
	if n < 3 || len(ys) != n {
		return nil
	}
	for i := range xs {
		if math.IsNaN(xs[i]) || math.IsNaN(ys[i]) {
			return nil
		}
	}
	rx, ry := ranks(xs), ranks(ys)
	if stat.Variance(rx, nil) == 0 || stat.Variance(ry, nil) == 0 {
		return nil
	}
	res := &SpearmanResult{N: n, Rho: stat.Correlation(rx, ry, nil)}
	switch {
	case n <= SpearmanExactMax:
		res.Method, res.P = SpearmanExact, spearmanPermutationP(rx, ry)
	case equalRanks(rx, ry, false) || equalRanks(rx, ry, true):
		res.Method, res.P = SpearmanExact, spearmanPerfectP(rx)
	default:
		df := float64(n - 2)
		rho := res.Rho
		t := rho * math.Sqrt(df/(1-rho*rho))
		res.Method = SpearmanT
		res.P = 2 * distuv.StudentsT{Mu: 0, Sigma: 1, Nu: df}.Survival(math.Abs(t))
	}
	return res
}

// spearmanPermutationP is the exact two-sided p of Spearman's ρ: the share
// of the n! pairings of ry with rx whose |ρ| is at least the observed one.
// ρ of a pairing π is (S − n(n+1)²/4)/√(SxxSyy) with S = Σ rx_i·ry_π(i) and
// a denominator no pairing changes, so comparing |ρ| is comparing
// |S − n(n+1)²/4|. Average ranks are multiples of ½, so with doubled ranks
// the comparison is in exact integers: no tolerance is needed for ties,
// and none can admit a pairing that is not as extreme.
//
// Heap's algorithm visits every permutation by one swap each; a swap of
// positions i and j changes S by (a_j − a_i)(b_i − b_j), so each pairing
// costs O(1) and nothing is allocated in the loop.
func spearmanPermutationP(rx, ry []float64) float64 {
	n := len(rx)
	a, b := make([]int, n), make([]int, n)
	s := 0
	for i := range rx {
		a[i], b[i] = int(2*rx[i]), int(2*ry[i])
		s += a[i] * b[i]
	}
	centre := n * (n + 1) * (n + 1) // Σa·Σb/n with Σa = Σb = n(n+1)
	dev := func(s int) int {
		if d := s - centre; d >= 0 {
			return d
		}
		return centre - s
	}
	observed := dev(s)
	extreme, total := 1, 1 // the observed pairing itself
	c := make([]int, n)
	for i := 1; i < n; {
		if c[i] < i {
			j := 0
			if i%2 == 1 {
				j = c[i]
			}
			s += (a[j] - a[i]) * (b[i] - b[j])
			b[i], b[j] = b[j], b[i]
			total++
			if dev(s) >= observed {
				extreme++
			}
			c[i]++
			i = 1
		} else {
			c[i] = 0
			i++
		}
	}
	return float64(extreme) / float64(total)
}

// equalRanks reports whether ry equals rx (reversed: equals n + 1 − rx),
// that is whether ρ is exactly 1 (−1).
func equalRanks(rx, ry []float64, reversed bool) bool {
	n1 := float64(len(rx) + 1)
	for i := range rx {
		want := rx[i]
		if reversed {
			want = n1 - rx[i]
		}
		if ry[i] != want {
			return false
		}
	}
	return true
}

// spearmanPerfectP is the exact p of |ρ| = 1 for ranks r (those of x, the
// same as y's up to reversal): a pairing gives ρ = 1 exactly when it maps
// each tie group onto itself, which Π m_k! of the n! pairings do (m_k the
// tie group sizes); ρ = −1 is reachable, by as many pairings, only when the
// sorted ranks are symmetric about their mean.
func spearmanPerfectP(r []float64) float64 {
	sorted := append([]float64(nil), r...)
	sort.Float64s(sorted)
	n := len(sorted)
	// log(Π m_k! / n!), summed in logs: n! overflows float64 above n = 170.
	logP, _ := math.Lgamma(float64(n + 1))
	logP = -logP
	for i := 0; i < n; {
		j := i
		for j < n && sorted[j] == sorted[i] {
			j++
		}
		lg, _ := math.Lgamma(float64(j - i + 1))
		logP += lg
		i = j
	}
	sides := 1.0
	symmetric := true
	for i := range sorted {
		if sorted[i]+sorted[n-1-i] != float64(n+1) {
			symmetric = false
			break
		}
	}
	if symmetric {
		sides = 2
	}
	return math.Min(1, sides*math.Exp(logP))
}

// ranks gives 1-based ranks, ties sharing their average rank.
func ranks(xs []float64) []float64 {
	idx := make([]int, len(xs))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return xs[idx[a]] < xs[idx[b]] })
	r := make([]float64, len(xs))
	for i := 0; i < len(idx); {
		j := i
		for j+1 < len(idx) && xs[idx[j+1]] == xs[idx[i]] {
			j++
		}
		avg := float64(i+j)/2 + 1
		for k := i; k <= j; k++ {
			r[idx[k]] = avg
		}
		i = j + 1
	}
	return r
}

// FormatP writes a p-value for readers of language lang, as results are
// usually published: three decimals ("0.029"), and "< 0.001" below 0.001,
// where three decimals would print "0.000" and claim a certainty the test
// does not give. The decimal mark is the language's (survey.FormatNumber):
// "0,029" and "< 0,001" in French and Spanish. An undefined p (NaN) is "–".
// Every output that shows a p-value (pages, CLI, exports) writes it with
// this function, so they cannot disagree.
func FormatP(lang string, p float64) string {
	if !math.IsNaN(p) && p < 0.001 {
		return "< " + survey.FormatNumber(lang, 0.001, 3)
	}
	return survey.FormatNumber(lang, p, 3)
}
