package disclosure

// Suppression says which cells are withheld.
type Suppression struct {
	Primary   []bool // 0 < value < k
	Secondary []bool // withheld so that no primary cell can be worked out
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
// The search is greedy: while a primary cell p can be shown below k, it hides
// the smallest published non-zero cell (the lowest index among equals, so the
// same problem always gives the same suppression) in a relation with p or
// with a hidden cell of p's component, and checks that component again.
// Hiding only ever widens what a reader must allow for, so a primary found
// safe stays safe and is not checked again. Finally a secondary cell the
// reader can work out exactly is published again: it protected nothing.
//
// When the relations alone bound a primary cell below k (lo ≤ x ≤ hi with a
// small hi), nothing can protect it: it stays hidden and Pinned reports it.
//
// k ≤ 1 makes no cell primary.
func (p *Problem) Protect(k int) Suppression {
	n := p.Len()
	s := Suppression{Primary: make([]bool, n), Secondary: make([]bool, n)}
	hidden := make([]bool, n)
	for i := range n {
		if p.secret[i] {
			hidden[i] = true
			continue
		}
		if v := p.values[i]; v > 0 && v < k {
			s.Primary[i] = true
			hidden[i] = true
		}
	}
	safe := make([]bool, n)     // primary cells shown able to reach k
	hopeless := make([]bool, n) // primary cells nothing more can protect
	a := newAttacker(p, hidden)
	check := func(i int) bool {
		r := a.sys[a.comp[i]].extreme(a.local[i], true, k)
		return r.unbounded || r.got >= k
	}
	for {
		victim := -1
		for i := range n {
			if !s.Primary[i] || safe[i] || hopeless[i] {
				continue
			}
			if check(i) {
				safe[i] = true
				continue
			}
			victim = i
			break
		}
		if victim < 0 {
			break
		}
		c := p.candidate(a, victim)
		if c < 0 {
			hopeless[victim] = true
			continue
		}
		s.Secondary[c] = true
		hidden[c] = true
		a = newAttacker(p, hidden)
	}
	p.publishPinned(&s, hidden)
	return s
}

// candidate returns the cell to hide next for the primary cell v: the
// smallest published non-zero cell in a relation with a hidden cell of v's
// component, or −1.
func (p *Problem) candidate(a *attacker, v int) int {
	best := -1
	for _, h := range a.sys[a.comp[v]].cells {
		for _, r := range p.cellRels[h] {
			for _, t := range p.rels[r].terms {
				c := t.Cell
				if a.hidden[c] || p.values[c] == 0 {
					continue
				}
				if best < 0 || p.values[c] < p.values[best] || (p.values[c] == p.values[best] && c < best) {
					best = c
				}
			}
		}
	}
	return best
}

// publishPinned publishes again every secondary cell the reader can work out
// exactly: its value follows from what is published, so showing it changes
// nothing a reader can infer, and withholding it would only cost the table a
// number. Only exact ranges count: an approximate one may be narrower than
// what the reader must allow for.
func (p *Problem) publishPinned(s *Suppression, hidden []bool) {
	a := newAttacker(p, hidden)
	var pinned []int
	for i := range s.Secondary {
		if !s.Secondary[i] {
			continue
		}
		sy, j := a.sys[a.comp[i]], a.local[i]
		lo := sy.extreme(j, false, -1)
		if !lo.exact || lo.got != p.values[i] {
			continue
		}
		hi := sy.extreme(j, true, p.values[i]+1)
		if !hi.unbounded && hi.exact && hi.got == p.values[i] {
			pinned = append(pinned, i)
		}
	}
	for _, i := range pinned {
		s.Secondary[i] = false
		hidden[i] = false
	}
}
