package feedback

// The disclosure rules (docs/feedback.md, "Disclosure rules"). Every count a
// reader of a report can work out must be 0 or at least K. One item's
// figures are a table: for each column (the shown peer groups, then all
// respondents, always last) the number of peers in it (N, known from the
// column's header), the item's Base (peers in the column who were asked the
// question) and one count per row. For a group column the reader also
// knows the complement, "all but the group": its N, Base and counts are all
// respondents' minus the group's. So, per column:
//
//   - the Base, N − Base, and for a group the complement's Base and
//     N − Base must each be 0 or ≥ K, else the whole column of the item is
//     hidden (zeroed);
//   - a count, Base − count, and for a group the complement's count and
//     Base − count, must each be 0 or ≥ K, else that row is hidden in the
//     column (primary suppression);
//   - the rows of a single choice, a likert or a matrix statement add up to
//     the Base (a "no answer" row makes them), so a hidden row could be
//     worked out from the others: more rows are hidden (secondary
//     suppression, smallest first) until every hidden count that is 1 to
//     K−1, and every complement count, Base − count behind it, could be K or
//     more for all the reader knows; if hiding every row is not enough, the
//     column of the item is hidden;
//   - all respondents' column never depends on a group's: a group column
//     shows a row only where all respondents' shows it, and for a choice, a
//     likert or a matrix statement only when all respondents' column hides
//     nothing of the item (the figures of all respondents can be known from
//     elsewhere, such as the published white paper, so a group's figure
//     must not be safe only because all's is hidden).
//
// What the reader is taken to know, for "could be K or more": every shown
// figure, the relations above (group + complement = all, rows of a
// partition sum to the Base), that counts are whole numbers ≥ 0, and, as
// disclosure.Attack assumes, that a hidden count that is not zero is at
// least 1. With one sum and bounds on each cell the range of each hidden
// count is exact (box constraints and one equation): its maximum is the
// smaller of its own upper bound and the sum less the others' lower bounds,
// its minimum the larger of its own lower bound and the sum less the
// others' upper bounds.

// table is one item's counts, columns in Report.Groups order (all last).
type table struct {
	k int
	// partition: the rows add up to the base (choice, likert, a matrix
	// statement); otherwise each row is a count on its own (multi, maturity).
	partition bool
	n         []int   // peers per column
	base      []int   // Base per column
	counts    [][]int // [row][column]
	// hidden[row][column]; colHidden[column]: the whole column of the item.
	hidden    [][]bool
	colHidden []bool
}

func newTable(k int, partition bool, n, base []int, counts [][]int) *table {
	t := &table{k: k, partition: partition, n: n, base: base, counts: counts}
	t.hidden = make([][]bool, len(counts))
	for r := range t.hidden {
		t.hidden[r] = make([]bool, len(n))
	}
	t.colHidden = make([]bool, len(n))
	return t
}

// small is a count a reader must not learn: 1 to k−1.
func (t *table) small(x int) bool { return x > 0 && x < t.k }

// protect applies the rules, all respondents' column first.
func (t *table) protect() {
	all := len(t.n) - 1
	if all < 0 {
		return
	}
	t.colHidden[all] = t.base[all] == 0 || t.small(t.base[all]) || t.small(t.n[all]-t.base[all])
	if !t.colHidden[all] {
		for r := range t.counts {
			a := t.counts[r][all]
			t.hidden[r][all] = t.small(a) || t.small(t.base[all]-a)
		}
		t.colHidden[all] = !t.settle(all)
	}
	allHides := t.colHidden[all]
	for r := range t.counts {
		allHides = allHides || t.hidden[r][all]
	}
	for g := 0; g < all; g++ {
		bc, nc := t.base[all]-t.base[g], t.n[all]-t.n[g]
		t.colHidden[g] = t.colHidden[all] || (t.partition && allHides) ||
			t.base[g] == 0 || t.small(t.base[g]) || t.small(t.n[g]-t.base[g]) ||
			t.small(bc) || t.small(nc-bc)
		if t.colHidden[g] {
			continue
		}
		for r := range t.counts {
			x, a := t.counts[r][g], t.counts[r][all]
			c := a - x
			t.hidden[r][g] = t.hidden[r][all] || t.small(x) || t.small(t.base[g]-x) || t.small(c) || t.small(bc-c)
		}
		t.colHidden[g] = !t.settle(g)
	}
	for col, h := range t.colHidden {
		if h {
			for r := range t.hidden {
				t.hidden[r][col] = true
			}
		}
	}
}

// settle hides further rows of column col until every hidden count is safe
// (secondary suppression, partitions only), and reports whether it could;
// a column that is not a partition has nothing further to hide, so it
// reports whether its hidden rows are safe as they are.
func (t *table) settle(col int) bool {
	for {
		if t.safe(col) {
			return true
		}
		if !t.partition {
			return false
		}
		next, best := -1, 0
		for r := range t.counts {
			if t.hidden[r][col] {
				continue
			}
			x := t.counts[r][col]
			// The smallest non-zero count first; a zero only when no
			// non-zero one is left (it adds room to the others' bounds
			// through its own upper bound).
			key := x
			if x == 0 {
				key = int(^uint(0) >> 1)
			}
			if next < 0 || key < best {
				next, best = r, key
			}
		}
		if next < 0 {
			return false
		}
		t.hidden[next][col] = true
	}
}

// safe reports whether every hidden count of column col could be k or more,
// and every count derived from it (Base − count; for a group the
// complement's count and Base − count), for all a reader knows.
func (t *table) safe(col int) bool {
	all := len(t.n) - 1
	group := col != all
	bc := 0
	if group {
		bc = t.base[all] - t.base[col]
	}
	var rows []int
	for r := range t.counts {
		if t.hidden[r][col] {
			rows = append(rows, r)
		}
	}
	if len(rows) == 0 {
		return true
	}
	lb := make([]int, len(rows))
	ub := make([]int, len(rows))
	sum := t.base[col]
	for r := range t.counts {
		if !t.hidden[r][col] {
			sum -= t.counts[r][col]
		}
	}
	for i, r := range rows {
		x := t.counts[r][col]
		lb[i] = min(1, x)
		ub[i] = t.base[col]
		if group && !t.hidden[r][all] {
			a := t.counts[r][all]
			lb[i] = max(lb[i], a-bc)
			ub[i] = min(ub[i], a)
		}
	}
	var sumLB, sumUB int
	for i := range rows {
		sumLB += lb[i]
		sumUB += ub[i]
	}
	for i, r := range rows {
		lo, hi := lb[i], ub[i]
		if t.partition {
			hi = min(hi, sum-(sumLB-lb[i]))
			lo = max(lo, sum-(sumUB-ub[i]))
		}
		x, b := t.counts[r][col], t.base[col]
		if t.small(x) && hi < t.k || t.small(b-x) && b-lo < t.k {
			return false
		}
		// Where all's count is hidden (a multi's row), the complement's is
		// unknown but for 0 ≤ c ≤ its Base, which is 0 or ≥ k.
		if group && !t.hidden[r][all] {
			a := t.counts[r][all]
			c := a - x
			if t.small(c) && a-lo < t.k || t.small(bc-c) && bc-a+hi < t.k {
				return false
			}
		}
	}
	return true
}
