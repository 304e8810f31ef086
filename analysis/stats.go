// Package analysis summarizes survey responses with sound statistics:
// frequencies with Wilson score intervals, descriptives, cross-tabulations
// with Pearson's chi-square test, Cramér's V and Fisher's exact test,
// Spearman rank correlation, and the report tables a survey defines. It is
// pure: a survey definition and responses in, results out. Numbers are at
// full precision; rounding is for display.
package analysis

import (
	"math"
	"sort"
	"strconv"

	"gonum.org/v1/gonum/stat"
	"gonum.org/v1/gonum/stat/distuv"
)

// z95 is the 97.5th percentile of the standard normal distribution, for 95% intervals.
const z95 = 1.959963984540054

// Interval is a confidence interval for a proportion, on [0, 1].
type Interval struct {
	Low  float64 `json:"low"`
	High float64 `json:"high"`
}

// Wilson returns the 95% Wilson score interval for x successes in n trials
// (Wilson 1927; Newcombe 1998, method 3):
//
//	centre = (p̂ + z²/2n) / (1 + z²/n)
//	half   = z / (1 + z²/n) · √(p̂(1−p̂)/n + z²/4n²)
//
// It is defined for n = 0 as the whole of [0, 1], and stays within [0, 1]
// for x = 0 and x = n, unlike the Wald interval.
func Wilson(x, n int) Interval {
	if n <= 0 {
		return Interval{0, 1}
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

// Descriptives summarizes a sample of numbers.
type Descriptives struct {
	N      int     `json:"n"`
	Mean   float64 `json:"mean"`
	SD     float64 `json:"sd"` // sample standard deviation (n − 1 denominator); 0 when n < 2
	Min    float64 `json:"min"`
	Q1     float64 `json:"q1"`
	Median float64 `json:"median"`
	Q3     float64 `json:"q3"`
	Max    float64 `json:"max"`
}

// Describe computes descriptives. Quartiles use Hyndman and Fan's type 7
// (linear interpolation between order statistics at h = (n−1)p: the default
// of R and of Excel's QUARTILE.INC). An empty sample gives N = 0 and zeros.
func Describe(xs []float64) Descriptives {
	if len(xs) == 0 {
		return Descriptives{}
	}
	sorted := append([]float64(nil), xs...)
	sort.Float64s(sorted)
	d := Descriptives{N: len(xs), Min: sorted[0], Max: sorted[len(sorted)-1],
		Q1: Quantile7(sorted, 0.25), Median: Quantile7(sorted, 0.5), Q3: Quantile7(sorted, 0.75)}
	d.Mean = stat.Mean(sorted, nil)
	if len(xs) > 1 {
		d.SD = stat.StdDev(sorted, nil)
	}
	return d
}

// Quantile7 returns the p-quantile of sorted data by Hyndman and Fan's
// type 7: h = (n−1)p, Q = x[⌊h⌋] + (h − ⌊h⌋)(x[⌊h⌋+1] − x[⌊h⌋]).
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
// Rows and columns that are all zero are left out. It returns nil when fewer
// than two rows or columns remain.
func ChiSquare(table [][]int) *ChiSquareResult {
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

// dropEmpty removes all-zero rows and columns.
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
	if len(out) > 0 && len(out[0]) == 0 {
		return nil
	}
	return out
}

// FisherExact returns the two-sided p-value of Fisher's exact test for the
// 2×2 table [[a, b], [c, d]]: the sum of the hypergeometric probabilities of
// every table with the same margins that is no more likely than the one
// observed (with a relative tolerance of 1e-7 for ties, as R's fisher.test).
func FisherExact(a, b, c, d int) float64 {
	r1, c1, n := a+b, a+c, a+b+c+d
	lo, hi := max(0, c1-(n-r1)), min(r1, c1)
	logP := func(x int) float64 {
		return lchoose(r1, x) + lchoose(n-r1, c1-x) - lchoose(n, c1)
	}
	observed := logP(a)
	p := 0.0
	for x := lo; x <= hi; x++ {
		if lp := logP(x); lp <= observed+1e-7*math.Abs(observed)+1e-12 {
			p += math.Exp(lp)
		}
	}
	return math.Min(1, p)
}

func lchoose(n, k int) float64 {
	a, _ := math.Lgamma(float64(n + 1))
	b, _ := math.Lgamma(float64(k + 1))
	c, _ := math.Lgamma(float64(n - k + 1))
	return a - b - c
}

// Phi returns the phi coefficient of the 2×2 table [[n11, n10], [n01, n00]]:
// (n11·n00 − n10·n01) / √(n1··n0·· n·1·n·0), or NaN when a margin is zero.
func Phi(n11, n10, n01, n00 int) float64 {
	den := math.Sqrt(float64(n11+n10) * float64(n01+n00) * float64(n11+n01) * float64(n10+n00))
	if den == 0 {
		return math.NaN()
	}
	return (float64(n11)*float64(n00) - float64(n10)*float64(n01)) / den
}

// SpearmanResult is a rank correlation with its two-sided p-value.
type SpearmanResult struct {
	N   int     `json:"n"`
	Rho float64 `json:"rho"`
	P   float64 `json:"p"`
}

// Spearman returns Spearman's rank correlation of paired samples: Pearson's
// correlation of the ranks, ties given their average rank. The p-value uses
// the t approximation t = ρ√((n−2)/(1−ρ²)) with n−2 degrees of freedom
// (adequate from about n = 10). It returns nil for fewer than 3 pairs or a
// constant sample.
func Spearman(xs, ys []float64) *SpearmanResult {
	n := len(xs)
	if n < 3 || len(ys) != n {
		return nil
	}
	rx, ry := ranks(xs), ranks(ys)
	if stat.Variance(rx, nil) == 0 || stat.Variance(ry, nil) == 0 {
		return nil
	}
	rho := stat.Correlation(rx, ry, nil)
	res := &SpearmanResult{N: n, Rho: rho, P: 0}
	if math.Abs(rho) < 1 {
		df := float64(n - 2)
		t := rho * math.Sqrt(df/(1-rho*rho))
		res.P = 2 * distuv.StudentsT{Mu: 0, Sigma: 1, Nu: df}.Survival(math.Abs(t))
	}
	return res
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

// SmallCell returns how a count is shown in public outputs under the
// small-cell rule with threshold k: the count itself when it is zero or at
// least k, else "fewer than k" (a zero reveals nobody; a 1 or a 2 might).
func SmallCell(count, k int) (shown string, suppressed bool) {
	if count == 0 || count >= k {
		return strconv.Itoa(count), false
	}
	return "fewer than " + strconv.Itoa(k), true
}
