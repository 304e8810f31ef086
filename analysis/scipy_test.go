package analysis_test

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"os"
	"os/exec"
	"testing"

	"gonum.org/v1/gonum/floats/scalar"

	"github.com/metlib/canvass/analysis"
)

// scipyScript reads tables as JSON on stdin and writes, for each, scipy's
// Fisher exact p (2×2 tables) or chi-square statistic and p (larger ones).
const scipyScript = `
import json, sys
import numpy as np
from scipy.stats import fisher_exact, chi2_contingency
out = []
for t in json.load(sys.stdin):
    if len(t) == 2 and len(t[0]) == 2:
        out.append([float(fisher_exact(t, alternative="two-sided")[1])])
    else:
        s, p, df, e = chi2_contingency(np.array(t), correction=False)
        out.append([float(s), float(p)])
json.dump(out, sys.stdout)
`

// pythonWithScipy returns Debian's python3 when it can import scipy.
func pythonWithScipy() string {
	const python = "/usr/bin/python3"
	if exec.Command(python, "-c", "import scipy.stats").Run() != nil {
		return ""
	}
	return python
}

// TestAgainstScipy compares FisherExact and ChiSquare with scipy (an
// implementation nobody here wrote: Debian's python3-scipy, installed by
// .ci/run) on a few hundred random tables: small ones, ones with symmetric
// margins (where tables tie in probability and the tie tolerance decides
// the p-value), ones with zeros, and large ones.
func TestAgainstScipy(t *testing.T) {
	python := pythonWithScipy()
	if python == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("/usr/bin/python3 with scipy is not installed; .ci/run installs python3-scipy")
		}
		t.Skip("/usr/bin/python3 with scipy is not installed (apt-get install python3-scipy); the literal scipy values in stats_test.go still run")
	}
	rng := rand.New(rand.NewPCG(2026, 12))
	var tables [][][]int
	for i := range 400 {
		var a, b, c, d int
		switch i % 4 {
		case 0: // small
			a, b, c, d = rng.IntN(12), rng.IntN(12), rng.IntN(12), rng.IntN(12)
		case 1: // symmetric margins: r1 = c1 = n/2, a distribution with ties
			a, b = rng.IntN(30), rng.IntN(30)
			c, d = b, a
		case 2: // zeros
			a, b, c, d = rng.IntN(8), 0, rng.IntN(40), rng.IntN(40)
			if rng.IntN(2) == 0 {
				a, d = 0, rng.IntN(3)
			}
		case 3: // large
			a, b, c, d = rng.IntN(3000), rng.IntN(3000), rng.IntN(3000), rng.IntN(3000)
		}
		tables = append(tables, [][]int{{a, b}, {c, d}})
	}
	for range 100 {
		r, c := 2+rng.IntN(4), 2+rng.IntN(5)
		tab := make([][]int, r)
		for i := range tab {
			tab[i] = make([]int, c)
			for j := range tab[i] {
				tab[i][j] = 1 + rng.IntN(60) // no empty rows or columns: scipy refuses them
			}
		}
		tables = append(tables, tab)
	}
	in, _ := json.Marshal(tables)
	cmd := exec.CommandContext(t.Context(), python, "-c", scipyScript)
	cmd.Stdin = bytes.NewReader(in)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("scipy: %v\n%s", err, stderr.String())
	}
	var want [][]float64
	if err := json.Unmarshal(out, &want); err != nil || len(want) != len(tables) {
		t.Fatalf("scipy's answer: %v (%d results for %d tables)", err, len(want), len(tables))
	}
	for i, tab := range tables {
		if len(want[i]) == 1 {
			got := analysis.FisherExact(tab[0][0], tab[0][1], tab[1][0], tab[1][1])
			if !scalar.EqualWithinAbsOrRel(got, want[i][0], 1e-300, 1e-9) {
				t.Errorf("FisherExact(%v) = %.17g, scipy %.17g", tab, got, want[i][0])
			}
			continue
		}
		res := analysis.ChiSquare(tab)
		if res == nil {
			t.Errorf("ChiSquare(%v) = nil", tab)
			continue
		}
		if !scalar.EqualWithinAbsOrRel(res.Statistic, want[i][0], 1e-12, 1e-12) || !scalar.EqualWithinAbsOrRel(res.P, want[i][1], 1e-12, 1e-9) {
			t.Errorf("ChiSquare(%v) = X² %.17g p %.17g, scipy %.17g %.17g", tab, res.Statistic, res.P, want[i][0], want[i][1])
		}
	}
}
