package disclosure

import (
	"math"
	"slices"
	"sort"
)

// Suppression says which cells are withheld.
type Suppression struct {
	Primary   []bool // 0 < value < k
	Secondary []bool // withheld so that no primary cell can be worked out
	// Support marks the cells a reader must not learn for the primary
	// cells to stay protected: the primary cells and every cell their
	// witnesses move (all hidden cells of a component that fell back).
	// The next publication keeps them withheld (PublishAfter).
	Support []bool
	// Witness is each primary cell's witness (nil for the other cells, and
	// for a primary cell the relations alone bound below k): the table a
	// reader cannot rule out in which it is k or more. The next
	// publication keeps a witness's cells withheld only where the pair of
	// it and the next true table does not do (PublishAfter). Shared with
	// protect's state and never modified.
	Witness []witness
	// fellBack is set when some component ran out of its work budget and
	// had every non-zero cell hidden (see Protect).
	fellBack bool
}

// Hidden reports whether cell i is withheld, as a primary or a secondary
// cell. Secrets are not cells of a suppression: the caller never publishes
// them, and Attack is told so separately (see Protect).
func (s Suppression) Hidden(i int) bool {
	return (i < len(s.Primary) && s.Primary[i]) || (i < len(s.Secondary) && s.Secondary[i])
}

// Counts returns the number of primary and of secondary cells.
func (s Suppression) Counts() (primary, secondary int) {
	for _, v := range s.Primary {
		if v {
			primary++
		}
	}
	for _, v := range s.Secondary {
		if v {
			secondary++
		}
	}
	return primary, secondary
}

// Protect applies primary suppression (0 < v < k; zero is published, a known
// fact) and then complementary (secondary) suppression, hiding as little as
// possible (prefer small cells, never a zero cell), until for every primary
// cell the largest value consistent with everything published is at least k
// (so nobody can prove it is below k, let alone pin it), computed exactly as
// Attack computes it. Secrets are always hidden and never protected.
//
// Each primary cell p is protected by a witness: a non-negative integer
// table consistent with everything published (hidden non-secret cells ≥ 1)
// in which p is k. A witness is proof that Attack's maximum for p is at
// least k. Protect first looks for the witness closest to the truth
// (cheapestWitness): over an area of cells around p, published ones
// included, the LP that moves the published cells least, weighted by size,
// to put p at k; the published cells it moves are the ones to hide. This is
// Fischetti and Salazar's model of complementary suppression solved one
// primary cell at a time; areas widen step by step, and the headline total
// (Keep) moves only when no area leaves it published. Only when no area
// has such a table does the older greedy take over: it hides one more
// published non-zero cell near p — the one in the most relations that hold
// a single hidden cell (such a relation gives its hidden cell away), then
// the smallest, then the lowest index — and searches again. Everything is
// deterministic, so the same problem always gives the same suppression.
// Hiding only adds solutions, so every witness found stays valid, and a
// witness found for one primary cell also serves any other it puts at k or
// more.
//
// Then it publishes back every secondary cell it can, largest first: a cell
// no witness moves from its true value goes back at once (no witness needs
// it hidden); otherwise the primary cells whose witnesses move it need new
// witnesses with it published, and it goes back only if all are found. A
// last sweep, repeated until it changes nothing, publishes the cells no
// witness moves any more, so each secondary cell left hidden is moved by
// some witness: a reader cannot pin it either.
//
// When the relations alone bound a primary cell below k (lo ≤ x ≤ hi with a
// small hi), nothing can protect it: it stays hidden and Pinned reports it.
//
// k ≤ 1 makes no cell primary.
func (p *Problem) Protect(k int) Suppression {
	s, _ := p.protect(k)
	return s
}

// protect is Protect, with its state (for tests).
func (p *Problem) protect(k int) (Suppression, *protector) {
	n := p.Len()
	pr := &protector{p: p, k: k, hidden: make([]bool, n), wit: make([]witness, n)}
	s := Suppression{Primary: make([]bool, n), Secondary: make([]bool, n)}
	for i := range n {
		if p.secret[i] {
			pr.hidden[i] = true
			continue
		}
		if v := p.values[i]; v > 0 && v < k {
			s.Primary[i] = true
			pr.hidden[i] = true
			pr.primaries = append(pr.primaries, i)
		} else if p.withheldBefore(i) && v > 0 {
			s.Secondary[i] = true
			pr.hidden[i] = true
		}
	}
	pr.components()
	// Cells in many relations first (a region's count before its cells in
	// each table): their witnesses move whole columns, and often put the
	// primary cells of those columns at k too, which then need no LP.
	sort.SliceStable(pr.primaries, func(a, b int) bool {
		return p.degree(pr.primaries[a]) > p.degree(pr.primaries[b])
	})
	for _, c := range pr.primaries {
		if pr.fallen[pr.comp[c]] || pr.reuse(c) || pr.cheapestWitness(&s, c) {
			continue
		}
		for {
			if pr.spent(c) {
				pr.fallBack(&s, pr.comp[c])
				break
			}
			if w := pr.search(c, len(searchReach)); w != nil {
				pr.wit[c] = w
				break
			}
			h := pr.choose(c)
			if h < 0 {
				// Nothing left to hide in c's hidden component H: every
				// relation of H has only zeros published. The levels
				// searched were capped at maxComponent, so before
				// concluding that the relations alone bound c, try H's
				// true values times k (no LP), then H whole, however
				// large, once.
				if pr.wit[c] = pr.scaled(pr.neighbourhood(c, reach{0, true, 0})); pr.wit[c] == nil {
					pr.unlimited = true
					pr.wit[c] = pr.search(c, len(searchReach))
					pr.unlimited = false
				}
				break
			}
			s.Secondary[h] = true
			pr.hidden[h] = true
		}
	}
	// One pass that searches new witnesses, then passes that only publish
	// what no witness moves any more, until none does: each cell left
	// hidden is then moved by some witness.
	pr.publishBack(&s, true)
	for pr.publishBack(&s, false) {
	}
	s.Support = make([]bool, n)
	for _, c := range pr.primaries {
		s.Support[c] = true
		if pr.fallen[pr.comp[c]] {
			for i := range n {
				if pr.comp[i] == pr.comp[c] && s.Hidden(i) {
					s.Support[i] = true
				}
			}
		}
		for i := range pr.wit[c] {
			if !p.secret[i] {
				s.Support[i] = true
			}
		}
	}
	s.Witness = pr.wit
	return s, pr
}

// A witness is an integer solution, given by the cells where it differs from
// the true values.
type witness map[int]int

// protector is Protect's state.
type protector struct {
	p         *Problem
	k         int
	hidden    []bool
	primaries []int
	wit       []witness // primary cell → its witness, nil until found
	// comp is each cell's component over every relation (hidden or not),
	// work the LPs solved for it so far, fallen the components that ran out
	// of componentBudget.
	comp   []int
	work   []int
	fallen []bool
	// unlimited lifts maxComponent (the last search for a cell).
	unlimited bool
	// neighbourhood's scratch.
	dist, stamp []int
	call        int
}

// componentBudget is the deterministic work budget of one component: the
// LPs (each branch and bound node counts as one) Protect may solve for it,
// searching witnesses and publishing back. It is a count, never a time, so
// the same problem always gives the same suppression. Past it, a component
// whose primary cells are not all protected falls back (fallBack); publishing
// back stops (the cells stay hidden). Measured on the built-in surveys
// (300 responses by region the largest), none comes near it.
var componentBudget = 6000

// components computes comp over every relation.
func (pr *protector) components() {
	p := pr.p
	n := p.Len()
	uf := newUnionFind(n)
	for _, r := range p.rels {
		for _, t := range r.terms[1:] {
			uf.union(r.terms[0].Cell, t.Cell)
		}
	}
	pr.comp = make([]int, n)
	for i := range n {
		pr.comp[i] = uf.find(i)
	}
	pr.work = make([]int, n)
	pr.fallen = make([]bool, n)
}

// scaled returns the table with the cells given (hidden ones) at k times
// their true values and every other cell at its true value, if it satisfies
// every relation they are in (checked one by one), else nil. It does when
// the other cells of those relations are published zeros and the relations
// are homogeneous (sums, ≤, Σ j·n_j = mentions, rounded means); it then puts
// every primary cell among them at k or more.
func (pr *protector) scaled(cells []int) witness {
	p := pr.p
	sort.Ints(cells)
	sys := p.subsystem(cells) // every relation the cells are in, the rest at true values
	x := make([]float64, len(cells))
	inf := make([]float64, len(cells))
	w := witness{}
	for j, i := range cells {
		x[j], inf[j] = float64(pr.k*p.values[i]), math.Inf(1)
		if p.values[i] != 0 {
			w[i] = pr.k * p.values[i]
		}
	}
	if !satisfies(sys.rows, sys.lb, inf, x) {
		return nil
	}
	return w
}

// spent reports whether c's component has used up its budget.
func (pr *protector) spent(c int) bool { return pr.work[pr.comp[c]] >= componentBudget }

// fallBack hides every non-zero cell of component r: then only zeros are
// published there. If multiplying every true value of the component by k
// satisfies each of its relations (sums, ≤, Σ j·n_j = mentions and rounded
// means do: they are homogeneous once only zeros are published), that table
// is a witness putting every primary cell of the component at k or more,
// checked relation by relation like any other; if not, the component has
// no witness and Pinned reports what the reader can bound. Either way it
// hides everything the component could hide: the safe side.
func (pr *protector) fallBack(s *Suppression, r int) {
	p := pr.p
	pr.fallen[r] = true
	s.fellBack = true
	var cells []int
	for i := range p.Len() {
		if pr.comp[i] != r || p.values[i] == 0 {
			continue
		}
		if !p.secret[i] && !pr.hidden[i] {
			s.Secondary[i] = true
			pr.hidden[i] = true
		}
		cells = append(cells, i)
	}
	w := pr.scaled(cells)
	ok := w != nil
	for _, q := range pr.primaries {
		if pr.comp[q] != r {
			continue
		}
		if ok {
			pr.wit[q] = w
		} else {
			pr.wit[q] = nil
		}
	}
}

// reuse gives c the witness of another primary cell if it puts c at k or
// more.
func (pr *protector) reuse(c int) bool {
	for _, o := range pr.primaries {
		if w := pr.wit[o]; w != nil && w[c] >= pr.k {
			pr.wit[c] = w
			return true
		}
	}
	return false
}

// A reach is a neighbourhood search tries: the hidden cells at most radius
// relations from the cell (0: no limit, its whole component), passing
// through hubs or not. A hub is a cell in more than two relations, such as a
// region count every table's column sums to: through hubs a neighbourhood
// soon holds every table, and most witnesses do not need them.
type reach struct {
	radius int
	hubs   bool
	// limit is the number of cells of an area (cheapest), the nearest
	// kept: 0 for maxCheap, −1 for all of them.
	limit int
}

// searchReach are the neighbourhoods search tries, smallest first; past the
// first, only those of at most maxComponent variables, for an LP's cost
// grows as the product of its relations and variables (on a 2,000-cell
// publication, unbounded levels made LPs of 200 variables on average and
// Protect take minutes).
var searchReach = []reach{{1, false, 0}, {2, false, 0}, {2, true, 0}, {4, true, 0}, {0, true, 0}}

const maxComponent = 50

// publishReach is how many levels of searchReach publishing a cell back
// tries for each witness it breaks; once a component has used half its
// componentBudget, publishSmall: publishing back saves a cell, never
// protects one, so past that it keeps to small systems. Measured on a
// 700-cell publication: all levels publish back half the secondary cells in
// 30 s, the small ones none in 2 s.
const (
	publishReach = 4
	publishSmall = 3
)

// search looks for a witness for the primary cell c with the current
// hidden cells, trying the first levels of searchReach.
func (pr *protector) search(c int, levels int) witness {
	if pr.givenAway(c) {
		return nil
	}
	last := -1
	for _, rc := range searchReach[:levels] {
		vars := pr.neighbourhood(c, rc)
		if len(vars) == last || (last >= 0 && len(vars) > maxComponent && !pr.unlimited) {
			continue // the same system again, or too large
		}
		last = len(vars)
		if w := pr.witnessIn(c, vars); w != nil {
			return w
		}
	}
	return nil
}

// witnessIn looks for a witness for c over the hidden cells vars (sorted,
// c among them), every other cell at its true value: the integer table
// with c largest, up to k, by branch and bound.
func (pr *protector) witnessIn(c int, vars []int) witness {
	s := pr.p.subsystem(vars)
	s.work = &pr.work[pr.comp[c]]
	j := sortSearch(vars, c)
	r := s.extreme(j, true, pr.k, float64(pr.k))
	if r.got < pr.k || r.point == nil {
		return nil
	}
	// The point is the LP's, rounded: check it against the relations
	// once more, in integers, so that a witness is never rounding noise.
	xi := make([]float64, len(r.point))
	inf := make([]float64, len(r.point))
	for v, x := range r.point {
		xi[v] = math.Round(x)
		inf[v] = math.Inf(1)
	}
	if !satisfies(s.rows, s.lb, inf, xi) {
		return nil
	}
	w := witness{}
	for v, x := range xi {
		if int(x) != pr.p.values[s.cells[v]] {
			w[s.cells[v]] = int(x)
		}
	}
	return w
}

// givenAway reports whether an equation holds c as its only hidden cell:
// then c is its published value, no search can move it, and the LPs that
// would say so are the costliest (they fail at every level).
func (pr *protector) givenAway(c int) bool {
	p := pr.p
	for _, ri := range p.cellRels[c] {
		r := p.rels[ri]
		if r.lo != r.hi {
			continue
		}
		alone := true
		for _, t := range r.terms {
			if t.Cell != c && pr.hidden[t.Cell] {
				alone = false
				break
			}
		}
		if alone {
			return true
		}
	}
	return false
}

func sortSearch(vars []int, c int) int {
	j := sort.SearchInts(vars, c)
	if j == len(vars) || vars[j] != c {
		panic("disclosure: a cell missing from its own neighbourhood")
	}
	return j
}

// neighbourhood returns, sorted, the hidden cells within reach of c
// through hidden cells (see reach).
func (pr *protector) neighbourhood(c int, rc reach) []int {
	return pr.area(c, rc, false, 0)
}

// area is neighbourhood, through published non-zero cells too when grow is
// set (the cells Protect may hide for c as well as those already hidden),
// and with limit > 0 only the limit cells nearest c (breadth first): the
// cells left out keep their true values, so whatever a system over the area
// finds is still a solution of the whole problem.
func (pr *protector) area(c int, rc reach, grow bool, limit int) []int {
	p := pr.p
	// dist is kept between calls (a map per call was a fifth of Protect's
	// time): stamp marks the entries of this call.
	if pr.dist == nil {
		pr.dist = make([]int, p.Len())
		pr.stamp = make([]int, p.Len())
	}
	pr.call++
	dist, stamp, call := pr.dist, pr.stamp, pr.call
	dist[c], stamp[c] = 0, call
	out := []int{c}
	for q := 0; q < len(out); q++ {
		h := out[q]
		if rc.radius > 0 && dist[h] == rc.radius {
			continue
		}
		for _, ri := range p.cellRels[h] {
			for _, t := range p.rels[ri].terms {
				if stamp[t.Cell] == call || !(pr.hidden[t.Cell] || grow && p.values[t.Cell] > 0) {
					continue
				}
				if !rc.hubs && p.degree(t.Cell) > 2 {
					continue
				}
				dist[t.Cell], stamp[t.Cell] = dist[h]+1, call
				if limit > 0 && len(out) == limit {
					break
				}
				out = append(out, t.Cell)
			}
		}
	}
	sort.Ints(out)
	return out
}

// choose returns the published cell to hide next for the primary cell c:
// near c (two relations away) if it can, else anywhere in its component;
// −1 when no relation of the component has one left.
func (pr *protector) choose(c int) int {
	if h := pr.chooseWithin(c, reach{2, true, 0}); h >= 0 {
		return h
	}
	return pr.chooseWithin(c, reach{0, true, 0})
}

// chooseWithin is choose among the relations of the hidden cells within rc
// of c.
func (pr *protector) chooseWithin(c int, rc reach) int {
	p := pr.p
	rels := map[int]bool{}
	for _, h := range pr.neighbourhood(c, rc) {
		for _, ri := range p.cellRels[h] {
			rels[ri] = true
		}
	}
	// A relation with one hidden cell gives that cell away.
	single := map[int]bool{}
	for ri := range rels {
		nh := 0
		for _, t := range p.rels[ri].terms {
			if pr.hidden[t.Cell] {
				nh++
			}
		}
		single[ri] = nh == 1
	}
	best, bestScore := -1, -1
	for ri := range rels {
		for _, t := range p.rels[ri].terms {
			h := t.Cell
			if pr.hidden[h] || p.values[h] == 0 {
				continue
			}
			score := 0
			for _, r2 := range p.cellRels[h] {
				if single[r2] {
					score++
				}
			}
			if best < 0 || score > bestScore ||
				(score == bestScore && (p.values[h] < p.values[best] || (p.values[h] == p.values[best] && h < best))) {
				best, bestScore = h, score
			}
		}
	}
	return best
}

// publishBack makes one pass over the secondary cells, largest first,
// publishing each one it can (see Protect). With search false it publishes
// only the cells no witness moves, which needs no LP.
func (pr *protector) publishBack(s *Suppression, search bool) bool {
	p := pr.p
	var sec []int
	for i, v := range s.Secondary {
		if v && !p.withheldBefore(i) {
			sec = append(sec, i)
		}
	}
	sort.SliceStable(sec, func(a, b int) bool { return p.values[sec[a]] > p.values[sec[b]] })
	changed := false
	for _, c := range sec {
		var users []int
		for _, q := range pr.primaries {
			if w := pr.wit[q]; w != nil {
				if _, moved := w[c]; moved {
					users = append(users, q)
				}
			}
		}
		if len(users) > 0 && (!search || pr.fallen[pr.comp[c]]) {
			continue
		}
		pr.hidden[c] = false
		fresh := make([]witness, len(users))
		ok := true
		for u, q := range users {
			// A new witness found for one user may serve the next.
			for _, w := range fresh[:u] {
				if w[q] >= pr.k {
					fresh[u] = w
					break
				}
			}
			if fresh[u] != nil {
				continue
			}
			levels := publishReach
			if pr.work[pr.comp[q]] > componentBudget/2 {
				levels = publishSmall
			}
			if pr.spent(q) {
				ok = false // out of budget: c stays hidden
				break
			}
			if fresh[u] = pr.rewitness(q, levels); fresh[u] == nil {
				ok = false
				break
			}
		}
		if !ok {
			pr.hidden[c] = true
			continue
		}
		for u, q := range users {
			pr.wit[q] = fresh[u]
		}
		s.Secondary[c] = false
		changed = true
	}
	return changed
}

// cheapReach are the areas cheapestWitness tries, smallest first: the
// published cells one or two relations away, without totals and other hubs
// (hiding a hub takes a hidden cell in each of its relations), then wider.
var cheapReach = []reach{{2, false, 0}, {3, false, 0}, {2, true, 0}, {3, true, 0}, {0, true, 2 * maxCheap}, {0, true, 3 * maxCheap}}

// maxCheap bounds the variables of one cheapest-change LP, the nearest
// cells kept; the widest areas of cheapReach take two and three times as
// many. Each cell of an area is two LP columns (its rise and its fall), and
// a dense simplex costs about the cube of its size: over a whole 600-cell
// component (impact-methods by region) the LPs made Protect take minutes,
// so a primary cell no such area protects goes to the greedy.
const maxCheap = 120

func areaLimit(rc reach) int {
	switch {
	case rc.limit < 0:
		return 0
	case rc.limit > 0:
		return rc.limit
	}
	return maxCheap
}

// moveCost is what hiding the published cell i costs the reader, per unit it
// moves in a witness: a little for every cell (fewer cells hidden is
// better) and more for a large one (a small cell says less). Cells already
// hidden cost hiddenMoveCost, so that a witness moves few of them too,
// which leaves publishBack more to give back.
func (pr *protector) moveCost(i int) float64 {
	if pr.hidden[i] {
		return hiddenMoveCost
	}
	base := 1 + math.Log1p(float64(pr.p.values[i]))
	if pr.p.kept(i) {
		base *= keptCost
	}
	return base
}

const hiddenMoveCost = 1e-3

// keptCost multiplies the cost of moving a cell marked Keep: the LP moves
// it only when nothing else in its area will do.
const keptCost = 100

// cheapestWitness protects the primary cell c by the table closest to the
// truth in which c is k: over the cells of an area around c (cheapReach),
// the LP  min Σ moveCost(i)·|x_i − a_i|  subject to every relation, x_c = k
// and x ≥ the reader's lower bounds (1 for a non-zero cell, 0 for a secret),
// written with x = a + rise − fall. The published cells it moves are the
// ones to hide (Fischetti and Salazar's formulation of complementary
// suppression, one primary cell at a time); its solution, rounded and
// checked in integers, is c's witness. When the rounding fails (the
// weighted and rounded-mean relations are not totally unimodular), the
// cells are hidden all the same and search finds the witness. It reports
// false when no area has a table with c at k (Protect's loop then decides).
func (pr *protector) cheapestWitness(s *Suppression, c int) bool {
	for l, rc := range cheapReach {
		if pr.spent(c) {
			return false
		}
		w, hide, ok := pr.cheapest(c, rc, true)
		if !ok {
			continue
		}
		if l < len(cheapReach)-1 && slices.ContainsFunc(hide, pr.p.kept) {
			continue // a wider area may protect c and leave it published
		}
		for _, h := range hide {
			s.Secondary[h] = true
			pr.hidden[h] = true
		}
		if w == nil {
			// The LP's table was fractional: look for an integer one over
			// the same area, now that the cells it moved are hidden.
			w = pr.witnessIn(c, pr.area(c, rc, false, areaLimit(rc)))
		}
		if w != nil {
			pr.wit[c] = w
			return true
		}
	}
	return false
}

// rewitness finds a new witness for the primary cell c with the hidden cells
// as they are: the one closest to the truth first (it moves few cells, so
// fewer stay hidden for it), else search's first levels.
func (pr *protector) rewitness(c int, levels int) witness {
	if pr.givenAway(c) {
		return nil
	}
	for _, rc := range searchReach[:levels] {
		if w, _, ok := pr.cheapest(c, rc, false); ok && w != nil {
			return w
		}
	}
	return pr.search(c, levels)
}

// cheapest solves cheapestWitness's LP over the area of c within rc (with
// grow false, over the hidden cells only: then it hides nothing). ok is
// false when the area is too large or no table in it has c at k. Otherwise
// hide lists the published cells the LP moves and w is the rounded
// solution if it satisfies every relation in integers, else nil.
func (pr *protector) cheapest(c int, rc reach, grow bool) (w witness, hide []int, ok bool) {
	p := pr.p
	vars := pr.area(c, rc, grow, areaLimit(rc))
	sys := p.subsystem(vars)
	pr.work[pr.comp[c]]++
	nv := len(vars)
	// Column 2j is cell j's rise, 2j+1 its fall.
	lb := make([]float64, 2*nv)
	ub := make([]float64, 2*nv)
	obj := make([]float64, 2*nv)
	for j, cell := range vars {
		ub[2*j] = math.Inf(1)
		ub[2*j+1] = sys.truth[j] - sys.lb[j]
		cost := pr.moveCost(cell)
		if cell == c {
			d := float64(pr.k) - sys.truth[j]
			lb[2*j], ub[2*j], ub[2*j+1], cost = d, d, 0, 0
		}
		obj[2*j], obj[2*j+1] = cost, cost
	}
	rows := make([]lpRow, 0, len(sys.rows))
	for _, row := range sys.rows {
		// The truth satisfies every row, so a row over one cell says
		// L ≤ rise − fall ≤ H with L ≤ 0 ≤ H: as both cost, an optimum
		// moves one way only, and the row is the bounds rise ≤ H,
		// fall ≤ −L (a row fewer for the simplex, most of an area's
		// rows being such bounds at its edge).
		if len(row.idx) == 1 {
			j, a := row.idx[0], row.coef[0]
			lo, hi := row.lo/a-sys.truth[j], row.hi/a-sys.truth[j]
			if a < 0 {
				lo, hi = hi, lo
			}
			ub[2*j] = math.Min(ub[2*j], math.Max(hi, 0))
			ub[2*j+1] = math.Min(ub[2*j+1], math.Max(-lo, 0))
			if lb[2*j] > ub[2*j]+feasEp {
				return nil, nil, false // c cannot reach k
			}
			continue
		}
		nr := lpRow{lo: row.lo, hi: row.hi, idx: make([]int, 0, 2*len(row.idx)), coef: make([]float64, 0, 2*len(row.idx))}
		for t, j := range row.idx {
			a := row.coef[t] * sys.truth[j]
			nr.lo -= a
			nr.hi -= a
			nr.idx = append(nr.idx, 2*j, 2*j+1)
			nr.coef = append(nr.coef, row.coef[t], -row.coef[t])
		}
		rows = append(rows, nr)
	}
	st, _, y := solveLP(2*nv, rows, lb, ub, obj)
	if st != lpOptimal {
		return nil, nil, false
	}
	x := make([]float64, nv)
	inf := make([]float64, nv)
	for j := range vars {
		d := y[2*j] - y[2*j+1]
		x[j] = sys.truth[j] + math.Round(d)
		inf[j] = math.Inf(1)
		if math.Abs(d) > intTol && !pr.hidden[vars[j]] {
			hide = append(hide, vars[j])
		}
	}
	if !satisfies(sys.rows, sys.lb, inf, x) || int(x[sortSearch(vars, c)]) < pr.k {
		return nil, hide, true
	}
	w = witness{}
	for j, v := range x {
		if int(v) != p.values[vars[j]] {
			w[vars[j]] = int(v)
		}
	}
	// Rounding may move a published cell the LP left: it must be hidden too.
	hide = hide[:0]
	for cell := range w {
		if !pr.hidden[cell] {
			hide = append(hide, cell)
		}
	}
	sort.Ints(hide)
	return w, hide, true
}
