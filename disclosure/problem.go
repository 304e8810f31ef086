package disclosure

import (
	"fmt"
	"math"
	"sort"
)

// A Problem is the set of quantities a publication involves and the linear
// relations between them a reader knows (sums along margins, one table's
// cells equal to another's, rounded means).
type Problem struct {
	keys   []string
	values []int
	secret []bool
	index  map[string]int
	rels   []relation
	// cellRels[i] lists the relations cell i appears in, so the attack and
	// the greedy search walk from a cell to its neighbours without scanning
	// every relation.
	cellRels [][]int
	// keep marks cells Protect hides only when nothing else protects
	// (Keep); before cells hidden from the start and never published back
	// (Withhold).
	keep, before []bool
	// own, when set, is the number of relations the publication itself
	// has, the rest being bounds PublishAfter adds: degree counts only
	// those.
	own int
}

// degree is the number of relations cell i is in, for telling totals and
// other hubs from the cells they sum: in a joint problem (PublishAfter),
// those of its own publication.
func (p *Problem) degree(i int) int {
	if p.own == 0 {
		return len(p.cellRels[i])
	}
	return sort.SearchInts(p.cellRels[i], p.own) // cellRels grow in relation order
}

// relation is lo ≤ Σ coef·x ≤ hi, with every cell at most once.
type relation struct {
	terms  []Term
	lo, hi float64
}

// Term is one coefficient of a Relation: Coef times the quantity Cell (an
// index returned by Cell or Secret).
type Term struct {
	Cell int
	Coef float64
}

// NewProblem returns an empty Problem.
func NewProblem() *Problem {
	return &Problem{index: map[string]int{}}
}

// Cell adds a published quantity (a count) with its true value, keyed by what it
// means ("q:org_type/opt:city", "q:org_type/opt:city/by:region=europe",
// "responses/region=europe"), and returns its index. The same key twice is the
// same quantity (the value must agree, else it panics: a programming error):
// this is how tables that share a margin share a variable.
func (p *Problem) Cell(key string, value int) int {
	return p.add(key, value, false)
}

// Secret adds a quantity the reader never sees but that relations involve
// (e.g. respondents outside every group); the reader knows only that it is ≥ 0.
// Like Cell, the same key twice is the same quantity.
func (p *Problem) Secret(key string, value int) int {
	return p.add(key, value, true)
}

func (p *Problem) add(key string, value int, secret bool) int {
	if value < 0 {
		panic(fmt.Sprintf("disclosure: %q has the negative value %d", key, value))
	}
	if i, ok := p.index[key]; ok {
		if p.values[i] != value {
			panic(fmt.Sprintf("disclosure: %q added with the value %d and then %d", key, p.values[i], value))
		}
		if p.secret[i] != secret {
			panic(fmt.Sprintf("disclosure: %q added both as a published cell and as a secret", key))
		}
		return i
	}
	i := len(p.keys)
	p.keys = append(p.keys, key)
	p.values = append(p.values, value)
	p.secret = append(p.secret, secret)
	p.cellRels = append(p.cellRels, nil)
	p.index[key] = i
	return i
}

// Sum records total = Σ parts. A part given twice counts twice.
func (p *Problem) Sum(total int, parts ...int) {
	terms := make([]Term, 0, len(parts)+1)
	terms = append(terms, Term{Cell: total, Coef: -1})
	for _, c := range parts {
		terms = append(terms, Term{Cell: c, Coef: 1})
	}
	p.Relation(terms, 0, 0)
}

// Relation records lo ≤ Σ coef_i·x_i ≤ hi (equal lo and hi for an equation), for
// what Sum cannot say (a ≤ b, weighted sums such as Σ j·count_j = mentions, a
// mean published to 2 decimals). Use math.Inf for an open side.
//
// It panics if a term names no quantity of p, if lo > hi, or if the true
// values do not satisfy the relation: all three are programming errors, and
// the last would make every attack on the problem meaningless.
func (p *Problem) Relation(terms []Term, lo, hi float64) {
	if math.IsNaN(lo) || math.IsNaN(hi) || lo > hi {
		panic(fmt.Sprintf("disclosure: relation bounds [%v, %v]", lo, hi))
	}
	coef := map[int]float64{}
	for _, t := range terms {
		if t.Cell < 0 || t.Cell >= len(p.keys) {
			panic(fmt.Sprintf("disclosure: relation names cell %d of %d", t.Cell, len(p.keys)))
		}
		if math.IsNaN(t.Coef) || math.IsInf(t.Coef, 0) {
			panic(fmt.Sprintf("disclosure: relation coefficient %v for %q", t.Coef, p.keys[t.Cell]))
		}
		coef[t.Cell] += t.Coef
	}
	r := relation{lo: lo, hi: hi}
	for c, v := range coef {
		if v != 0 {
			r.terms = append(r.terms, Term{Cell: c, Coef: v})
		}
	}
	// Map order is random; the attack must not depend on it.
	sort.Slice(r.terms, func(a, b int) bool { return r.terms[a].Cell < r.terms[b].Cell })
	s := 0.0
	for _, t := range r.terms {
		s += t.Coef * float64(p.values[t.Cell])
	}
	if s < lo-feasTol(lo) || s > hi+feasTol(hi) {
		panic(fmt.Sprintf("disclosure: the true values give %v, outside the relation's [%v, %v] (%s)", s, lo, hi, p.describe(r)))
	}
	if len(r.terms) == 0 {
		return
	}
	k := len(p.rels)
	p.rels = append(p.rels, r)
	for _, t := range r.terms {
		p.cellRels[t.Cell] = append(p.cellRels[t.Cell], k)
	}
}

// feasTol is how far a floating-point sum may miss a bound and still meet it.
func feasTol(b float64) float64 {
	if math.IsInf(b, 0) {
		return 0
	}
	return 1e-9 * math.Max(1, math.Abs(b))
}

func (p *Problem) describe(r relation) string {
	s := ""
	for i, t := range r.terms {
		if i > 0 {
			s += " + "
		}
		s += fmt.Sprintf("%g·%s", t.Coef, p.keys[t.Cell])
	}
	return s
}

// Keep asks Protect to hide cell i only when no suppression that leaves it
// published protects: for a publication's headline figure, such as the
// number of responses, which readers need most and which, hidden, forces
// a hidden cell into every table it is the total of.
func (p *Problem) Keep(i int) { p.keep = setFlag(p.keep, i, p.Len()) }

func (p *Problem) kept(i int) bool { return flag(p.keep, i) }

// Withhold says cell i must be withheld whatever else Protect decides: an
// earlier publication's protection rests on it (PublishAfter). A non-zero
// one is a secondary cell from the start, never published back; a small
// one is a primary cell as any other.
func (p *Problem) Withhold(i int) { p.before = setFlag(p.before, i, p.Len()) }

func (p *Problem) withheldBefore(i int) bool { return flag(p.before, i) }

func flag(f []bool, i int) bool { return i < len(f) && f[i] }

func setFlag(f []bool, i, n int) []bool {
	for len(f) < n {
		f = append(f, false)
	}
	f[i] = true
	return f
}

// Key returns the key cell i was added with.
func (p *Problem) Key(i int) string { return p.keys[i] }

// Value returns the true value of cell i.
func (p *Problem) Value(i int) int { return p.values[i] }

// IsSecret reports whether cell i was added with Secret.
func (p *Problem) IsSecret(i int) bool { return p.secret[i] }

// Len returns the number of quantities (cells and secrets).
func (p *Problem) Len() int { return len(p.keys) }

// Index returns the index of the quantity added with key, if any.
func (p *Problem) Index(key string) (int, bool) {
	i, ok := p.index[key]
	return i, ok
}
