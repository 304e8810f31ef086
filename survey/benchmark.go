package survey

import (
	"fmt"
	"math"
	"strconv"
)

// Benchmark defines the personal benchmark report ("How we compare") every
// responding library gets: the peer groups it is compared with, the
// per-capita indicators, the evidence families of its practice, and the
// questions left out. See docs/feedback.md.
type Benchmark struct {
	// Groups are the peer-group dimensions, in the order the report shows
	// them: region, type, population, member. All respondents are always
	// compared and are not listed. None: the report compares with all
	// respondents only.
	Groups []string `json:"groups,omitempty"`
	// PopulationBands are the increasing, positive edges that put
	// population served into bands for the population dimension:
	// [400000, 1000000] makes "under 400,000", "400,000 to under
	// 1,000,000" and "1,000,000 and over", as report tables' bands do.
	PopulationBands []float64 `json:"population_bands,omitempty"`
	// Population is the id of a number question giving the population
	// served, used when the directory has none for a library.
	Population string `json:"population,omitempty"`
	// Indicators are the per-capita figures compared.
	Indicators []Indicator `json:"indicators,omitempty"`
	// Maturity compares the families of evidence a library draws on.
	Maturity *Maturity `json:"maturity,omitempty"`
	// Exclude are questions not to compare. Questions of type text,
	// long_text, email, url, country, date and ranking are never compared.
	Exclude []string `json:"exclude,omitempty"`
}

// The limits of population_bands: at most MaxPopulationBands edges, each a
// whole number of inhabitants from 1 to MaxPopulationBand.
const (
	MaxPopulationBands = 20
	MaxPopulationBand  = 10_000_000_000
)

// plainNumber writes v in full, never in scientific notation
// (10000000000, 0.5), for error messages.
func plainNumber(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

// The peer-group dimensions.
const (
	DimensionRegion     = "region"
	DimensionType       = "type"
	DimensionPopulation = "population"
	DimensionMember     = "member"
	// DimensionAll is all respondents, always compared.
	DimensionAll = "all"
)

// BenchmarkDimensions lists the dimensions a benchmark block may name.
var BenchmarkDimensions = []string{DimensionRegion, DimensionType, DimensionPopulation, DimensionMember}

// PopulationDenominator is the Indicator.Denominator that divides by the
// library's population served (the directory's, else Benchmark.Population).
const PopulationDenominator = "population"

// Indicator is a per-capita figure: Numerator / Denominator × Per.
type Indicator struct {
	ID    string `json:"id"`
	Label Text   `json:"label"`
	// Numerator is a number question's id.
	Numerator string `json:"numerator"`
	// Denominator is a number question's id, or "population".
	Denominator string `json:"denominator"`
	// Per multiplies the ratio (1000: per 1,000 inhabitants); 0 means 1.
	Per float64 `json:"per,omitempty"`
	// Unit describes the figure ("per inhabitant").
	Unit Text `json:"unit,omitempty"`
}

// Multiplier is Per, 1 when unset.
func (ind Indicator) Multiplier() float64 {
	if ind.Per == 0 {
		return 1
	}
	return ind.Per
}

// Maturity names a multi_choice question whose options carry their
// evidence family as their group, and the families compared.
type Maturity struct {
	Question string   `json:"question"`
	Families []string `json:"families"`
}

// Compared reports whether the benchmark report compares question q: its
// type has a comparison (single_choice, likert, multi_choice, matrix,
// number) and the benchmark block does not exclude it.
func (b *Benchmark) Compared(q *Question) bool {
	switch q.Type {
	case SingleChoice, Likert, MultiChoice, Matrix, Number:
	default:
		return false
	}
	if b == nil {
		return true
	}
	for _, id := range b.Exclude {
		if id == q.ID {
			return false
		}
	}
	return true
}

// Has reports whether the block lists dimension d.
func (b *Benchmark) Has(d string) bool {
	if b == nil {
		return false
	}
	for _, g := range b.Groups {
		if g == d {
			return true
		}
	}
	return false
}

func (v *validator) benchmark(b *Benchmark) {
	if b == nil {
		return
	}
	seen := map[string]bool{}
	for i, g := range b.Groups {
		path := fmt.Sprintf("benchmark.groups[%d]", i)
		switch g {
		case DimensionRegion, DimensionType, DimensionPopulation, DimensionMember:
		case DimensionAll:
			v.fail(path, "all respondents are always compared; do not list %q", g)
			continue
		default:
			v.fail(path, "group must be region, type, population or member, got %q", g)
			continue
		}
		if seen[g] {
			v.fail(path, "group %q is listed twice", g)
		}
		seen[g] = true
	}
	if len(b.PopulationBands) > MaxPopulationBands {
		v.fail("benchmark.population_bands", "at most %d population band edges, got %d", MaxPopulationBands, len(b.PopulationBands))
	}
	for i, e := range b.PopulationBands {
		path := fmt.Sprintf("benchmark.population_bands[%d]", i)
		switch {
		case math.IsNaN(e) || math.IsInf(e, 0):
			v.fail(path, "population bands must be whole numbers from 1 to %s (population served), got %v", plainNumber(MaxPopulationBand), e)
		case e < 1 || e > MaxPopulationBand || e != math.Trunc(e):
			v.fail(path, "population bands must be whole numbers from 1 to %s (population served), got %s", plainNumber(MaxPopulationBand), plainNumber(e))
		case i > 0 && e <= b.PopulationBands[i-1]:
			v.fail(path, "population bands must increase: %s after %s", plainNumber(e), plainNumber(b.PopulationBands[i-1]))
		}
	}
	if seen[DimensionPopulation] && len(b.PopulationBands) == 0 {
		v.fail("benchmark.population_bands", "the population group needs population_bands")
	}
	if b.Population != "" {
		v.numberRef("benchmark.population", b.Population)
	}
	ids := map[string]bool{}
	for i, ind := range b.Indicators {
		path := fmt.Sprintf("benchmark.indicators[%d]", i)
		switch {
		case !idPattern.MatchString(ind.ID):
			v.fail(path+".id", "indicator id must start with a lowercase letter and use only a-z, 0-9 and _, got %q", ind.ID)
		case ids[ind.ID]:
			v.fail(path+".id", "duplicate indicator id %q", ind.ID)
		case v.s.Question(ind.ID) != nil:
			v.fail(path+".id", "indicator id %q is a question's id; choose another", ind.ID)
		}
		ids[ind.ID] = true
		v.text(path+".label", ind.Label, true)
		v.text(path+".unit", ind.Unit, false)
		v.numberRef(path+".numerator", ind.Numerator)
		if ind.Denominator != PopulationDenominator {
			v.numberRef(path+".denominator", ind.Denominator)
		}
		if math.IsNaN(ind.Per) || math.IsInf(ind.Per, 0) || ind.Per < 0 {
			v.fail(path+".per", "per must be a positive number, got %v", ind.Per)
		}
	}
	if m := b.Maturity; m != nil {
		q := v.s.Question(m.Question)
		switch {
		case q == nil:
			v.fail("benchmark.maturity.question", "unknown question %q", m.Question)
		case q.Type != MultiChoice:
			v.fail("benchmark.maturity.question", "maturity needs a multi_choice question, and %q is %s", q.ID, q.Type)
		default:
			if len(m.Families) == 0 {
				v.fail("benchmark.maturity.families", "maturity needs at least one family (an option group of %q)", q.ID)
			}
			fams := map[string]bool{}
			for i, f := range m.Families {
				path := fmt.Sprintf("benchmark.maturity.families[%d]", i)
				if fams[f] {
					v.fail(path, "family %q is listed twice", f)
				}
				fams[f] = true
				used := false
				for _, o := range q.Options {
					used = used || o.Group == f
				}
				if !used {
					v.fail(path, "no option of %q has the group %q", q.ID, f)
				}
			}
		}
	}
	for i, id := range b.Exclude {
		if v.s.Question(id) == nil {
			v.fail(fmt.Sprintf("benchmark.exclude[%d]", i), "unknown question %q", id)
		}
	}
}

// numberRef checks that id names a number question.
func (v *validator) numberRef(path, id string) {
	q := v.s.Question(id)
	switch {
	case id == "":
		v.fail(path, "a number question's id is required")
	case q == nil:
		v.fail(path, "unknown question %q", id)
	case q.Type != Number:
		v.fail(path, "%q is a %s question; a number question is needed", id, q.Type)
	}
}
