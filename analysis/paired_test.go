package analysis_test

import (
	"bytes"
	"encoding/json"
	"math"
	"os"
	"os/exec"
	"testing"

	"gonum.org/v1/gonum/floats/scalar"

	"github.com/metlib/canvass/analysis"
	"github.com/metlib/canvass/survey"
)

// pairedFixtures is analysis/testdata/trends_fixtures.json, written by
// trends_fixtures.py with scipy (see the script for what it calls).
type pairedFixtures struct {
	Scipy   string `json:"scipy"`
	McNemar []struct {
		Name                string
		Both, B, C, Neither int
		Method              string
		P, Statistic        *float64
	} `json:"mcnemar"`
	Wilcoxon []struct {
		Name          string
		First, Second []float64
		N             int
		NonZero       int `json:"non_zero"`
		Ties          bool
		Method        string
		W             float64
		P, Z          *float64
		RankPlus      float64 `json:"rank_plus"`
		RankMinus     float64 `json:"rank_minus"`
	} `json:"wilcoxon"`
}

func loadPairedFixtures(t *testing.T) pairedFixtures {
	t.Helper()
	b, err := os.ReadFile("testdata/trends_fixtures.json")
	if err != nil {
		t.Fatal(err)
	}
	var f pairedFixtures
	if err := json.Unmarshal(b, &f); err != nil {
		t.Fatal(err)
	}
	if len(f.McNemar) < 10 || len(f.Wilcoxon) < 10 {
		t.Fatalf("fixtures: %d McNemar and %d Wilcoxon cases", len(f.McNemar), len(f.Wilcoxon))
	}
	return f
}

// sameFloat compares a result with a fixture value, where a null fixture
// means undefined (NaN).
func sameFloat(t *testing.T, name string, got float64, want *float64, tol float64) {
	t.Helper()
	if want == nil {
		if !math.IsNaN(got) {
			t.Errorf("%s = %.17g, want NaN (undefined)", name, got)
		}
		return
	}
	if !scalar.EqualWithinAbsOrRel(got, *want, 1e-300, tol) {
		t.Errorf("%s = %.17g, want %.17g", name, got, *want)
	}
}

// panelOf builds a panel's two answer slices from its four cells, the
// discordant pairs interleaved with the rest so that order cannot matter.
func panelOf(both, b, c, neither int) (first, second []bool) {
	cells := []struct {
		n    int
		x, y bool
	}{{both, true, true}, {b, true, false}, {c, false, true}, {neither, false, false}}
	for left := true; left; {
		left = false
		for i := range cells {
			if cells[i].n > 0 {
				first, second = append(first, cells[i].x), append(second, cells[i].y)
				cells[i].n--
				left = true
			}
		}
	}
	return first, second
}

func TestMcNemarAgainstScipy(t *testing.T) {
	for _, tc := range loadPairedFixtures(t).McNemar {
		t.Run(tc.Name, func(t *testing.T) {
			first, second := panelOf(tc.Both, tc.B, tc.C, tc.Neither)
			res, err := analysis.McNemar(first, second)
			if err != nil {
				t.Fatal(err)
			}
			if res.N != tc.Both+tc.B+tc.C+tc.Neither || res.Both != tc.Both || res.B != tc.B || res.C != tc.C || res.Neither != tc.Neither {
				t.Errorf("cells n %d both %d b %d c %d neither %d, want %d %d %d %d", res.N, res.Both, res.B, res.C, res.Neither, tc.Both, tc.B, tc.C, tc.Neither)
			}
			if res.Method != tc.Method {
				t.Errorf("method %q, want %q", res.Method, tc.Method)
			}
			sameFloat(t, "p", float64(res.P), tc.P, 1e-10)
			sameFloat(t, "statistic", float64(res.Statistic), tc.Statistic, 1e-12)
			if res.N > 0 {
				near(t, "change", float64(res.Change), float64(tc.C-tc.B)/float64(res.N), 1e-15)
			}
		})
	}
}

func TestWilcoxonAgainstScipy(t *testing.T) {
	for _, tc := range loadPairedFixtures(t).Wilcoxon {
		t.Run(tc.Name, func(t *testing.T) {
			res, err := analysis.Wilcoxon(tc.First, tc.Second)
			if err != nil {
				t.Fatal(err)
			}
			if res.N != tc.N || res.NonZero != tc.NonZero || res.Ties != tc.Ties || res.Method != tc.Method {
				t.Errorf("n %d non-zero %d ties %v method %q, want %d %d %v %q", res.N, res.NonZero, res.Ties, res.Method, tc.N, tc.NonZero, tc.Ties, tc.Method)
			}
			near(t, "W", res.W, tc.W, 1e-12)
			near(t, "R+", res.RankPlus, tc.RankPlus, 1e-12)
			near(t, "R−", res.RankMinus, tc.RankMinus, 1e-12)
			sameFloat(t, "p", float64(res.P), tc.P, 1e-10)
			sameFloat(t, "z", float64(res.Z), tc.Z, 1e-10)
		})
	}
}

// TestPublishedPairedExamples checks the two published worked examples the
// fixtures also hold, against the figures as printed.
func TestPublishedPairedExamples(t *testing.T) {
	// Agresti, An Introduction to Categorical Data Analysis, 2nd ed. (2007),
	// Table 8.1: approval of the president's performance in two surveys of
	// the same 1600 people; R's ?mcnemar.test prints McNemar's
	// chi-squared = 16.818, df = 1, p-value = 4.115e-05.
	first, second := panelOf(794, 150, 86, 570)
	m, err := analysis.McNemar(first, second)
	if err != nil {
		t.Fatal(err)
	}
	if m.Method != analysis.MethodChiSquare {
		t.Errorf("method %q", m.Method)
	}
	near(t, "X²", float64(m.Statistic), 16.818, 5e-4/16.818)
	near(t, "p", float64(m.P), 4.115e-05, 5e-4)
	near(t, "change", float64(m.Change), (86.0-150.0)/1600, 1e-15) // approval fell 4 points

	// Hollander and Wolfe, Nonparametric Statistical Methods (1973), p. 29:
	// Hamilton depression scale factor IV before (y) and after (x) a
	// tranquilizer, R's ?wilcox.test: V = 40, one-sided p-value = 0.01953.
	// By hand: W = min(40, 45 − 40) = 5, and 10 of the 2⁹ subsets of 1…9 sum
	// to at most 5, so the two-sided p is 2·10/512 = 0.0390625.
	x := []float64{1.83, 0.50, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.30}
	y := []float64{0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29}
	w, err := analysis.Wilcoxon(y, x)
	if err != nil {
		t.Fatal(err)
	}
	if w.RankPlus != 40 || w.W != 5 || w.Method != analysis.MethodExact || float64(w.P) != 20.0/512 {
		t.Errorf("R+ %v W %v method %q p %v, want 40, 5, exact, 0.0390625", w.RankPlus, w.W, w.Method, w.P)
	}
}

// TestMcNemarByHand: b = 3, c = 9, so p = 2·Σ_{k≤3} C(12, k)/2¹² =
// 2·(1 + 12 + 66 + 220)/4096 = 598/4096.
func TestMcNemarByHand(t *testing.T) {
	first, second := panelOf(12, 3, 9, 21)
	m, err := analysis.McNemar(first, second)
	if err != nil {
		t.Fatal(err)
	}
	near(t, "p", float64(m.P), 598.0/4096, 1e-12)
	if !math.IsNaN(float64(m.Statistic)) {
		t.Errorf("the exact test has no chi-square: %v", m.Statistic)
	}
	// 25 discordant pairs: (|7 − 18| − 1)²/25 = 4, the 95.45% point of χ²₁.
	first, second = panelOf(30, 7, 18, 30)
	m, _ = analysis.McNemar(first, second)
	if m.Method != analysis.MethodChiSquare || float64(m.Statistic) != 4 {
		t.Errorf("method %q X² %v, want chi_square 4", m.Method, m.Statistic)
	}
}

// TestWilcoxonNormalByHand: differences 1, 1, 1, −2, 2, 3 (ranks 2, 2, 2,
// 4.5, 4.5, 6): R− = 4.5, W = 4.5; μ = 10.5; σ² = (6·7·13 − ½(3·8 + 2·3))/24
// = 531/24; z = (4.5 − 10.5 + 0.5)/√(531/24) = −1.16928680759601.
func TestWilcoxonNormalByHand(t *testing.T) {
	w, err := analysis.Wilcoxon([]float64{1, 2, 3, 4, 5, 6}, []float64{2, 3, 4, 2, 7, 9})
	if err != nil {
		t.Fatal(err)
	}
	if w.Method != analysis.MethodNormal || !w.Ties || w.W != 4.5 || w.RankPlus != 16.5 {
		t.Errorf("method %q ties %v W %v R+ %v", w.Method, w.Ties, w.W, w.RankPlus)
	}
	near(t, "z", float64(w.Z), -5.5/math.Sqrt(531.0/24), 1e-12)
	near(t, "p", float64(w.P), math.Erfc(5.5/math.Sqrt(531.0/24)/math.Sqrt2), 1e-12)
}

// TestPairedUndefinedIsNull: an empty panel has no test, and its JSON says
// so with nulls (encoding/json refuses NaN).
func TestPairedUndefinedIsNull(t *testing.T) {
	m, err := analysis.McNemar(nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(m)
	if err != nil || string(b) != `{"n":0,"both":0,"neither":0,"b":0,"c":0,"change":null,"statistic":null,"p":null}` {
		t.Errorf("McNemar JSON %s, %v", b, err)
	}
	w, err := analysis.Wilcoxon([]float64{}, []float64{})
	if err != nil {
		t.Fatal(err)
	}
	b, err = json.Marshal(w)
	if err != nil || string(b) != `{"n":0,"non_zero":0,"rank_plus":0,"rank_minus":0,"w":0,"ties":false,"z":null,"p":null}` {
		t.Errorf("Wilcoxon JSON %s, %v", b, err)
	}
}

func TestPairedBadInput(t *testing.T) {
	for _, tc := range []struct {
		name string
		run  func() error
	}{
		{"McNemar lengths", func() error { _, err := analysis.McNemar([]bool{true}, []bool{true, false}); return err }},
		{"Wilcoxon lengths", func() error { _, err := analysis.Wilcoxon([]float64{1, 2}, []float64{1}); return err }},
		{"Wilcoxon NaN first", func() error { _, err := analysis.Wilcoxon([]float64{1, math.NaN()}, []float64{1, 2}); return err }},
		{"Wilcoxon NaN second", func() error { _, err := analysis.Wilcoxon([]float64{1, 2}, []float64{math.NaN(), 2}); return err }},
		{"Wilcoxon infinity", func() error { _, err := analysis.Wilcoxon([]float64{math.Inf(1)}, []float64{1}); return err }},
	} {
		err := tc.run()
		if survey.ErrorCode(err) != survey.EINVALID || survey.ErrorMessage(err) == "" {
			t.Errorf("%s: %v, want EINVALID with a message", tc.name, err)
		}
	}
}

// TestFixturesUpToDate re-runs the fixture script with scipy, when it is
// installed (CI installs it), so the committed JSON is what the committed
// script computes.
func TestFixturesUpToDate(t *testing.T) {
	python := pythonWithScipy()
	if python == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("/usr/bin/python3 with scipy is not installed; .ci/run installs python3-scipy")
		}
		t.Skip("/usr/bin/python3 with scipy is not installed; the committed fixtures still run")
	}
	cmd := exec.CommandContext(t.Context(), python, "testdata/trends_fixtures.py")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("trends_fixtures.py: %v\n%s", err, stderr.String())
	}
	committed, err := os.ReadFile("testdata/trends_fixtures.json")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(out, committed) {
		t.Errorf("testdata/trends_fixtures.json is not the script's output: regenerate it with /usr/bin/python3 analysis/testdata/trends_fixtures.py > analysis/testdata/trends_fixtures.json")
	}
}
