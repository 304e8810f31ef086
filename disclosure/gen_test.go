package disclosure_test

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/metlib/canvass/disclosure"
)

// rel is the tests' own record of a relation, kept apart from the package's
// so that the brute force reads only what the test wrote.
type rel struct {
	cells  []int
	coef   []float64
	lo, hi float64
}

// tiny is a small problem with its relations recorded on the side.
type tiny struct {
	p    *disclosure.Problem
	rels []rel
	desc string
}

func (t *tiny) relation(cells []int, coef []float64, lo, hi float64) {
	terms := make([]disclosure.Term, len(cells))
	for i := range cells {
		terms[i] = disclosure.Term{Cell: cells[i], Coef: coef[i]}
	}
	t.p.Relation(terms, lo, hi)
	t.rels = append(t.rels, rel{cells: cells, coef: coef, lo: lo, hi: hi})
}

func (t *tiny) sum(total int, parts ...int) {
	t.p.Sum(total, parts...)
	cells := append([]int{total}, parts...)
	coef := make([]float64, len(cells))
	coef[0] = -1
	for i := 1; i < len(coef); i++ {
		coef[i] = 1
	}
	t.rels = append(t.rels, rel{cells: cells, coef: coef})
}

// randomTable builds an r×c table of values 0–9 with its row totals, column
// totals and grand total, and sometimes extra relations: a weighted sum of a
// row (Σ j·n_j published), a row mean published to two decimals, an
// inequality between two cells, respondents outside the table (a secret).
func randomTable(rng *rand.Rand, r, c int) *tiny {
	t := &tiny{p: disclosure.NewProblem()}
	x := make([][]int, r)
	rows := make([]int, r)
	cols := make([]int, c)
	vals := make([][]int, r)
	colSum := make([]int, c)
	grand := 0
	for i := range r {
		x[i] = make([]int, c)
		vals[i] = make([]int, c)
		s := 0
		for j := range c {
			v := rng.IntN(10)
			if rng.IntN(4) == 0 {
				v = 0
			}
			vals[i][j] = v
			x[i][j] = t.p.Cell(fmt.Sprintf("x%d%d", i, j), v)
			s += v
			colSum[j] += v
		}
		rows[i] = t.p.Cell(fmt.Sprintf("r%d", i), s)
		grand += s
		t.sum(rows[i], x[i]...)
	}
	for j := range c {
		cols[j] = t.p.Cell(fmt.Sprintf("c%d", j), colSum[j])
		parts := make([]int, r)
		for i := range r {
			parts[i] = x[i][j]
		}
		t.sum(cols[j], parts...)
	}
	g := t.p.Cell("g", grand)
	t.sum(g, rows...)
	t.sum(g, cols...)
	t.desc = fmt.Sprintf("%v", vals)
	for range rng.IntN(3) {
		i := rng.IntN(r)
		switch rng.IntN(4) {
		case 0: // Σ (j+1)·n_ij, published
			w := 0
			coef := make([]float64, c)
			for j := range c {
				coef[j] = float64(j + 1)
				w += (j + 1) * vals[i][j]
			}
			t.relation(x[i], coef, float64(w), float64(w))
			t.desc += fmt.Sprintf(" weighted(row %d)=%d", i, w)
		case 1: // the row's mean score to two decimals
			s, w := 0, 0
			for j := range c {
				s += vals[i][j]
				w += (j + 1) * vals[i][j]
			}
			if s == 0 {
				continue
			}
			m := math.Round(float64(w)/float64(s)*100) / 100
			cells := append(append([]int{}, x[i]...), rows[i])
			coef := make([]float64, c+1)
			for j := range c {
				coef[j] = float64(j + 1)
			}
			// m − 0.005 ≤ Σ(j+1)n_j / n ≤ m + 0.005, times n.
			lo := append([]float64{}, coef...)
			lo[c] = -(m - 0.005)
			t.relation(cells, lo, 0, math.Inf(1))
			hi := append([]float64{}, coef...)
			hi[c] = -(m + 0.005)
			t.relation(cells, hi, math.Inf(-1), 0)
			t.desc += fmt.Sprintf(" mean(row %d)=%.2f", i, m)
		case 2: // x_a ≤ x_b for two cells where it holds
			a, b := rng.IntN(c), rng.IntN(c)
			if a == b {
				continue
			}
			if vals[i][a] > vals[i][b] {
				a, b = b, a
			}
			t.relation([]int{x[i][a], x[i][b]}, []float64{1, -1}, math.Inf(-1), 0)
			t.desc += fmt.Sprintf(" x%d%d≤x%d%d", i, a, i, b)
		case 3: // respondents outside the table: total = g + secret
			o := rng.IntN(4)
			s := t.p.Secret(fmt.Sprintf("outside%d", len(t.rels)), o)
			tot := t.p.Cell(fmt.Sprintf("responses%d", len(t.rels)), grand+o)
			t.sum(tot, g, s)
			t.desc += fmt.Sprintf(" outside=%d", o)
		}
	}
	return t
}

// survey is a generated publication: n respondents in regions and types,
// single-choice questions; the published tables are the counts by region and
// by type, the total, each question's counts, each question by region and
// types by region, every table with its margins, the margins shared (the
// same key is the same quantity), as a report's tables share them.
type survey struct {
	p *disclosure.Problem
	n int
}

func randomSurvey(rng *rand.Rand, n, regions, types, questions, options int) *survey {
	// Uneven group sizes.
	rw := weights(rng, regions)
	region := make([]int, n)
	for i := range n {
		region[i] = pick(rng, rw)
	}
	return surveyOf(rng, region, regions, types, questions, options)
}

// sizedSurvey is randomSurvey with the regions' sizes given, as the issue's
// "regions and types of sizes 0–7".
func sizedSurvey(rng *rand.Rand, sizes []int, types, questions, options int) *survey {
	var region []int
	for r, n := range sizes {
		for range n {
			region = append(region, r)
		}
	}
	return surveyOf(rng, region, len(sizes), types, questions, options)
}

func surveyOf(rng *rand.Rand, region []int, regions, types, questions, options int) *survey {
	p := disclosure.NewProblem()
	n := len(region)
	tw := weights(rng, types)
	typ := make([]int, n)
	for i := range n {
		typ[i] = pick(rng, tw)
	}
	total := p.Cell("responses", n)
	margin := func(name string, group []int, groups int) []int {
		counts := make([]int, groups)
		for _, g := range group {
			counts[g]++
		}
		cells := make([]int, groups)
		for g := range groups {
			cells[g] = p.Cell(fmt.Sprintf("responses/%s=%d", name, g), counts[g])
		}
		p.Sum(total, cells...)
		return cells
	}
	rc := margin("region", region, regions)
	// table publishes answer × region with its margins: the answer's
	// counts (rows) and the region counts (columns, shared by every table).
	table := func(name string, answer []int, answers int) {
		rows := margin(name, answer, answers)
		cells := make([][]int, answers)
		for a := range answers {
			cells[a] = make([]int, regions)
		}
		for i := range n {
			cells[answer[i]][region[i]]++
		}
		for a := range answers {
			parts := make([]int, regions)
			for r := range regions {
				parts[r] = p.Cell(fmt.Sprintf("%s=%d/region=%d", name, a, r), cells[a][r])
			}
			p.Sum(rows[a], parts...)
		}
		for r := range regions {
			parts := make([]int, answers)
			for a := range answers {
				parts[a] = p.Cell(fmt.Sprintf("%s=%d/region=%d", name, a, r), cells[a][r])
			}
			p.Sum(rc[r], parts...)
		}
	}
	table("type", typ, types)
	for q := range questions {
		ow := weights(rng, options)
		answer := make([]int, n)
		for i := range answer {
			answer[i] = pick(rng, ow)
		}
		table(fmt.Sprintf("q%d", q), answer, options)
	}
	return &survey{p: p, n: n}
}

func weights(rng *rand.Rand, k int) []float64 {
	w := make([]float64, k)
	for i := range w {
		w[i] = rng.Float64() * rng.Float64()
	}
	return w
}

func pick(rng *rand.Rand, w []float64) int {
	s := 0.0
	for _, v := range w {
		s += v
	}
	x := rng.Float64() * s
	for i, v := range w {
		x -= v
		if x < 0 {
			return i
		}
	}
	return len(w) - 1
}
