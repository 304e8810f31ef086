package feedback

import (
	"math"
	"slices"
	"sort"

	"github.com/metlib/canvass/analysis"
	"github.com/metlib/canvass/survey"
)

// The Base of every share is the number of peers in the column who were
// asked the question (its section's and its own show_if held for their
// answers; for a matrix statement, the statement's too), whether or not
// they answered: those who did not are the "No answer" row. So the rows of
// a single choice, a likert or a matrix statement add up to the Base, and
// N − Base is the number not asked, itself a count the rules check.

// tally counts, per column, the peers asked (asked(p)) and, per row, those
// asked that count in it (rows(p, add)).
func (b *builder) tally(nrows int, asked func(p int) bool, rows func(p int, add func(r int))) (n, base []int, counts [][]int) {
	n = make([]int, len(b.cols))
	base = make([]int, len(b.cols))
	counts = make([][]int, nrows)
	for r := range counts {
		counts[r] = make([]int, len(b.cols))
	}
	if len(b.cols) == 0 {
		return n, base, counts
	}
	// Each peer is classified once (its rows kept in flat), then counted
	// in every column it is in.
	asks := make([]bool, len(b.peers))
	start := make([]int, len(b.peers)+1)
	flat := make([]int, 0, len(b.peers))
	add := func(r int) { flat = append(flat, r) }
	for p := range b.peers {
		if asks[p] = asked(p); asks[p] {
			rows(p, add)
		}
		start[p+1] = len(flat)
	}
	for c, members := range b.cols {
		n[c] = len(members)
		for _, p := range members {
			if !asks[p] {
				continue
			}
			base[c]++
			for _, r := range flat[start[p]:start[p+1]] {
				counts[r][c]++
			}
		}
	}
	return n, base, counts
}

// shares are row r's figures in every column, hidden ones zeroed.
func shares(t *table, r int) []Share {
	out := make([]Share, len(t.n))
	for c := range out {
		if t.hidden[r][c] || t.base[c] == 0 {
			out[c] = Share{Hidden: true}
			continue
		}
		x, n := t.counts[r][c], t.base[c]
		w := analysis.Wilson(x, n)
		out[c] = Share{Count: x, Base: n, Share: float64(x) / float64(n), Low: w.Low, High: w.High}
	}
	return out
}

// hasNoAnswer reports whether the table's last row (no answer) is kept:
// when all respondents' count of it is not zero. A zero there is zero in
// every group, and leaving the row out says no more than showing 0.
func (t *table) hasNoAnswer() bool {
	all := len(t.n) - 1
	return all >= 0 && t.counts[len(t.counts)-1][all] > 0
}

func (b *builder) label(t survey.Text) string { return t.In(b.lang, b.sv.DefaultLanguage) }

func (b *builder) selfAskedQ(q *survey.Question) bool { return b.selfAsked[b.qIndex[q.ID]] }

// partitionRows adds the rows of one partition (the options, then no
// answer when kept) to it, marking Self's answer.
// asked tells whether Self was asked it: then giving none of the options
// is its answer, and the no-answer row is marked as its.
func (b *builder) partitionRows(it *Item, t *table, q *survey.Question, matrix string, yours string, asked bool) {
	for o, opt := range q.Options {
		it.Rows = append(it.Rows, Row{Label: b.label(opt.Label), Matrix: matrix, Yours: yours == string(opt.Value), Shares: shares(t, o)})
	}
	if t.hasNoAnswer() {
		none := asked && optionIndex(q, yours) == len(q.Options)
		it.Rows = append(it.Rows, Row{Label: message(b.lang, "no_answer"), Matrix: matrix, Yours: none, Shares: shares(t, len(q.Options))})
	}
}

// optionIndex is the index of option v of q, len(q.Options) (no answer)
// when it is none of them.
func optionIndex(q *survey.Question, v string) int {
	for i := range q.Options {
		if string(q.Options[i].Value) == v {
			return i
		}
	}
	return len(q.Options)
}

// choice compares a single_choice or likert question.
func (b *builder) choice(q *survey.Question) Item {
	qi := b.qIndex[q.ID]
	it := Item{Question: q.ID, Label: b.label(q.Label), Kind: KindChoice}
	n, base, counts := b.tally(len(q.Options)+1, func(p int) bool { return b.asked[p][qi] },
		func(p int, add func(int)) { add(optionIndex(q, b.peers[p].Answers.String(q.ID))) })
	t := newTable(b.k, true, n, base, counts)
	t.protect()
	yours := ""
	if b.selfAskedQ(q) {
		yours = b.self.Answers.String(q.ID)
		if o := q.Option(yours); o != nil {
			it.Yours = []string{b.label(o.Label)}
		}
	}
	b.partitionRows(&it, t, q, "", yours, b.selfAskedQ(q))
	return it
}

// matrix compares a matrix question, one partition per statement.
func (b *builder) matrix(q *survey.Question) Item {
	qi := b.qIndex[q.ID]
	it := Item{Question: q.ID, Label: b.label(q.Label), Kind: KindMatrix}
	selfRows := map[string]string{}
	if b.selfAskedQ(q) {
		selfRows = b.self.Answers.Rows(q.ID)
	}
	for _, row := range q.Rows {
		n, base, counts := b.tally(len(q.Options)+1,
			func(p int) bool { return b.asked[p][qi] && row.ShowIf.Holds(b.peers[p].Answers) },
			func(p int, add func(int)) { add(optionIndex(q, b.peers[p].Answers.Rows(q.ID)[row.ID])) })
		t := newTable(b.k, true, n, base, counts)
		t.protect()
		statement := b.label(row.Label)
		yours := ""
		asked := b.selfAskedQ(q) && row.ShowIf.Holds(b.self.Answers)
		if asked {
			yours = selfRows[row.ID]
			if o := q.Option(yours); o != nil {
				it.Yours = append(it.Yours, statement+": "+b.label(o.Label))
			}
		}
		b.partitionRows(&it, t, q, statement, yours, asked)
	}
	return it
}

// substantive reports whether an option counts as one chosen: not a
// non-answer (Missing) and not an exclusive "none".
func substantive(o survey.Option) bool { return !o.Missing && !o.Exclusive }

// multi compares a multi_choice question: each option, the number of
// options chosen, and the options peers use most that the library does not.
func (b *builder) multi(q *survey.Question) Item {
	qi := b.qIndex[q.ID]
	it := Item{Question: q.ID, Label: b.label(q.Label), Kind: KindMulti}
	noAnswer := len(q.Options)
	// chose[p] is how many options peer p chose that count (see
	// substantive), -1 when it was not asked or ticked nothing.
	chose := make([]int, len(b.peers))
	for p := range chose {
		chose[p] = -1
	}
	n, base, counts := b.tally(len(q.Options)+1, func(p int) bool { return b.asked[p][qi] },
		func(p int, add func(int)) {
			chosen := b.peers[p].Answers.Strings(q.ID)
			if len(chosen) == 0 {
				add(noAnswer)
				return
			}
			chose[p] = 0
			for _, v := range chosen {
				if i := optionIndex(q, v); i < noAnswer {
					add(i)
					if substantive(q.Options[i]) {
						chose[p]++
					}
				}
			}
		})
	t := newTable(b.k, false, n, base, counts)
	t.protect()

	var mine []string
	if b.selfAskedQ(q) {
		mine = b.self.Answers.Strings(q.ID)
	}
	total, yourCount := 0, 0
	for _, o := range q.Options {
		if substantive(o) {
			total++
			if slices.Contains(mine, string(o.Value)) {
				yourCount++
			}
		}
	}
	for o, opt := range q.Options {
		chosen := slices.Contains(mine, string(opt.Value))
		if chosen {
			it.Yours = append(it.Yours, b.label(opt.Label))
		}
		it.Rows = append(it.Rows, Row{Label: b.label(opt.Label), Yours: chosen, Shares: shares(t, o)})
	}
	if t.hasNoAnswer() {
		it.Rows = append(it.Rows, Row{Label: message(b.lang, "no_answer"), Yours: b.selfAskedQ(q) && len(mine) == 0, Shares: shares(t, noAnswer)})
	}
	if len(mine) == 0 {
		// Nothing of the library's to compare the number chosen with.
		return it
	}

	// How many options each peer who answered chose: the figure's N is
	// Base less the no-answer row, so it is shown only where that row is.
	it.Count = &CountCompare{Yours: yourCount, Groups: make([]NumberFigure, len(b.cols))}
	for c, members := range b.cols {
		if t.colHidden[c] || t.hidden[noAnswer][c] {
			it.Count.Groups[c] = NumberFigure{Hidden: true}
			continue
		}
		var vals []float64
		for _, p := range members {
			if chose[p] >= 0 {
				vals = append(vals, float64(chose[p]))
			}
		}
		it.Count.Groups[c] = b.figure(vals)
	}
	it.Notes = append(it.Notes, b.countNote(yourCount, total, it.Count.Groups))
	it.Missing = b.missing(q, t, mine)
	return it
}

// countNote is "You chose 4 of the 23 options; the median peer (Europe)
// chose 9." against the first shown figure.
func (b *builder) countNote(yours, total int, figs []NumberFigure) string {
	y, of := survey.FormatInt(b.lang, yours), survey.FormatInt(b.lang, total)
	for c, f := range figs {
		if !f.Hidden {
			return message(b.lang, "note_count", y, of, b.rep.Groups[c].Label, formatValue(b.lang, f.Median))
		}
	}
	return message(b.lang, "note_count_self", y, of)
}

// missing are up to three options the library did not choose that peers
// choose most, in the first column that shows a share of the item: options whose
// share is shown there and not zero, neither a non-answer, an exclusive
// "none" nor "other".
func (b *builder) missing(q *survey.Question, t *table, mine []string) []string {
	col := -1
	for c := 0; c < len(t.n) && col < 0; c++ {
		for r := range t.counts {
			if !t.hidden[r][c] {
				col = c
				break
			}
		}
	}
	if col < 0 {
		return nil
	}
	var cand []int
	for o, opt := range q.Options {
		if substantive(opt) && !opt.Other && !slices.Contains(mine, string(opt.Value)) && !t.hidden[o][col] && t.counts[o][col] > 0 {
			cand = append(cand, o)
		}
	}
	sort.SliceStable(cand, func(i, j int) bool { return t.counts[cand[i]][col] > t.counts[cand[j]][col] })
	var out []string
	for _, o := range cand[:min(3, len(cand))] {
		out = append(out, b.label(q.Options[o].Label))
	}
	return out
}

// maturity compares the families of evidence the library draws on: a
// peer draws on a family when it chose at least one option of it.
func (b *builder) maturity(q *survey.Question, families []string) Item {
	qi := b.qIndex[q.ID]
	it := Item{Question: q.ID, Label: message(b.lang, "maturity"), Kind: KindMaturity}
	uses := func(chosen []string, f string) bool {
		for _, v := range chosen {
			if o := q.Option(v); o != nil && o.Group == f {
				return true
			}
		}
		return false
	}
	noAnswer := len(families)
	n, base, counts := b.tally(len(families)+1, func(p int) bool { return b.asked[p][qi] },
		func(p int, add func(int)) {
			chosen := b.peers[p].Answers.Strings(q.ID)
			if len(chosen) == 0 {
				add(noAnswer)
			}
			for i, f := range families {
				if uses(chosen, f) {
					add(i)
				}
			}
		})
	t := newTable(b.k, false, n, base, counts)
	t.protect()
	b.familyOverlap(q, families, t)
	var mine []string
	if b.selfAskedQ(q) {
		mine = b.self.Answers.Strings(q.ID)
	}
	used := 0
	for i, f := range families {
		yours := uses(mine, f)
		label := b.label(q.GroupLabel(f))
		if yours {
			used++
			it.Yours = append(it.Yours, label)
		}
		it.Rows = append(it.Rows, Row{Label: label, Yours: yours, Shares: shares(t, i)})
	}
	if t.hasNoAnswer() {
		it.Rows = append(it.Rows, Row{Label: message(b.lang, "no_answer"), Shares: shares(t, noAnswer)})
	}
	if len(mine) > 0 {
		it.Notes = append(it.Notes, message(b.lang, "note_maturity", survey.FormatInt(b.lang, used), survey.FormatInt(b.lang, len(families))))
	}
	return it
}

// familyOverlap hides more family cells of the maturity table t: the
// multi choice item of the same question shows each option's count, and a
// family's count less one of its options' is the number of peers using the
// family without that option; for a family of two options, the options'
// counts less the family's is the number using both. A family cell is
// hidden in a column when any of these is 1 to K−1, or for a group column
// the complement's (all respondents' less the group's). All respondents'
// column is settled first, and a group shows a family only where all
// respondents' does. The option counts are used whether or not the multi
// choice shows them (all respondents' can be known from elsewhere).
func (b *builder) familyOverlap(q *survey.Question, families []string, t *table) {
	all := len(t.n) - 1
	if all < 0 {
		return
	}
	_, _, opts := b.tally(len(q.Options), func(p int) bool { return b.asked[p][b.qIndex[q.ID]] },
		func(p int, add func(int)) {
			for _, v := range b.peers[p].Answers.Strings(q.ID) {
				if i := optionIndex(q, v); i < len(q.Options) {
					add(i)
				}
			}
		})
	for f, fam := range families {
		var members []int
		for o, opt := range q.Options {
			if opt.Group == fam {
				members = append(members, o)
			}
		}
		// derived are the counts a reader can work out in column c.
		derived := func(c int) []int {
			var out []int
			for _, o := range members {
				out = append(out, t.counts[f][c]-opts[o][c])
			}
			if len(members) == 2 {
				out = append(out, opts[members[0]][c]+opts[members[1]][c]-t.counts[f][c])
			}
			return out
		}
		da := derived(all)
		for _, d := range da {
			if t.small(d) {
				t.hidden[f][all] = true
			}
		}
		for g := 0; g < all; g++ {
			if t.hidden[f][all] {
				t.hidden[f][g] = true
				continue
			}
			for i, d := range derived(g) {
				if t.small(d) || t.small(da[i]-d) {
					t.hidden[f][g] = true
				}
			}
		}
	}
}

// number compares a number question.
func (b *builder) number(q *survey.Question) Item {
	qi := b.qIndex[q.ID]
	var value *float64
	if b.selfAskedQ(q) {
		if v, ok := b.self.Answers.Number(q.ID); ok {
			value = &v
		}
	}
	it := b.numberItem(q.ID, b.label(q.Label), "", value,
		func(p int) bool { return b.asked[p][qi] },
		func(p int) (float64, bool) { return b.peers[p].Answers.Number(q.ID) }, nil)
	if b.bm != nil && q.ID == b.bm.Population && b.self.Population > 0 && (value == nil || *value != b.self.Population) {
		// The population groups read the directory's figure first: say
		// which figure placed the library, when it is not this answer.
		it.Notes = append(it.Notes, message(b.lang, "note_population", formatValue(b.lang, b.self.Population)))
	}
	return it
}

// indicator compares a per-capita figure: numerator / denominator × per,
// for respondents with both and a denominator above zero. Its Base is
// every peer (an indicator is not asked; a peer without both figures is
// its no-value row).
func (b *builder) indicator(ind survey.Indicator) Item {
	value := func(r Respondent) (float64, bool) {
		num, ok := r.Answers.Number(ind.Numerator)
		if !ok {
			return 0, false
		}
		var den float64
		if ind.Denominator == survey.PopulationDenominator {
			den = b.population(r)
		} else if den, ok = r.Answers.Number(ind.Denominator); !ok {
			return 0, false
		}
		if den <= 0 {
			return 0, false
		}
		return num / den * ind.Multiplier(), true
	}
	var mine *float64
	if v, ok := value(b.self); ok {
		mine = &v
	}
	vals := make([]bool, len(b.peers))
	for p := range b.peers {
		_, vals[p] = value(b.peers[p])
	}
	refs := []string{ind.Numerator}
	if ind.Denominator != survey.PopulationDenominator {
		refs = append(refs, ind.Denominator)
	}
	return b.numberItem(ind.ID, b.label(ind.Label), b.label(ind.Unit), mine,
		func(int) bool { return true },
		func(p int) (float64, bool) { return value(b.peers[p]) },
		b.crossHidden(refs, vals))
}

// crossHidden are the columns where an indicator's figure is withheld
// because the figure N of a question it is computed from (its numerator,
// its denominator when that is a question), less the indicator's own N,
// counts 1 to K−1 peers (those who gave the question but have no value of
// the indicator); for a group column, or where the complement's difference
// (all's less the group's) is 1 to K−1. All respondents' column is
// settled first: where it is withheld, so is every group's (all's figures
// can be known from elsewhere, and a group's beside them gives the
// complement). has[p] tells whether peer p has a value of the indicator.
func (b *builder) crossHidden(refs []string, has []bool) []bool {
	hide := make([]bool, len(b.cols))
	all := len(b.cols) - 1
	if all < 0 {
		return hide
	}
	small := func(d int) bool { return d != 0 && d > -b.k && d < b.k }
	for _, id := range refs {
		qi := b.qIndex[id]
		// d[c]: peers of column c with the question's value, less those
		// with the indicator's.
		d := make([]int, len(b.cols))
		for c, members := range b.cols {
			for _, p := range members {
				if _, ok := b.peers[p].Answers.Number(id); ok && b.asked[p][qi] {
					d[c]++
				}
				if has[p] {
					d[c]--
				}
			}
		}
		hide[all] = hide[all] || small(d[all])
		for g := 0; g < all; g++ {
			hide[g] = hide[g] || small(d[g]) || small(d[all]-d[g])
		}
	}
	if hide[all] {
		for g := range hide {
			hide[g] = true
		}
	}
	return hide
}

// numberItem compares values: per column the quartiles of the peers asked
// who have one. The table has one row, the peers asked without a value,
// so the figure's N (Base less that row) obeys the rules; the quartiles
// are shown only for MinValues(K) values or more.
// hide, when not nil, withholds the figure of the columns it marks (see
// crossHidden).
func (b *builder) numberItem(id, label, unit string, mine *float64, asked func(p int) bool, val func(p int) (float64, bool), hide []bool) Item {
	it := Item{Question: id, Label: label, Kind: KindNumber}
	n, base, counts := b.tally(1, asked, func(p int, add func(int)) {
		if _, ok := val(p); !ok {
			add(0)
		}
	})
	t := newTable(b.k, false, n, base, counts)
	t.protect()
	nc := &NumberCompare{Value: mine, Unit: unit, Groups: make([]NumberFigure, len(b.cols))}
	for c, members := range b.cols {
		if t.hidden[0][c] || hide != nil && hide[c] {
			nc.Groups[c] = NumberFigure{Hidden: true}
			continue
		}
		var vals []float64
		for _, p := range members {
			if !asked(p) {
				continue
			}
			if v, ok := val(p); ok {
				vals = append(vals, v)
			}
		}
		nc.Groups[c] = b.figure(vals)
	}
	if mine != nil {
		nc.Band = b.band(*mine, nc.Groups)
	}
	it.Number = nc
	return it
}

// MinValues is the fewest values whose quartiles a report shows, for the
// disclosure minimum k: 4k − 3 (and at least 2k). A type-7 quartile lies
// between two neighbouring values of the sorted list; with 4k − 3 values
// or more, at least k values lie at or below the lower of the two for the
// first quartile (⌊(n−1)/4⌋ + 1 ≥ k), and at least k at or above the upper
// for the third, so no quartile is pinned next to the few smallest or
// largest values. 2k values would guarantee it for the median only (see
// docs/feedback.md).
func MinValues(k int) int { return max(2*k, 4*k-3) }

// figure is the quartiles of vals (type 7), shown for MinValues(K) values
// or more.
func (b *builder) figure(vals []float64) NumberFigure {
	if len(vals) < MinValues(b.k) {
		return NumberFigure{Hidden: true}
	}
	sort.Float64s(vals)
	return NumberFigure{N: len(vals), Q1: analysis.Quantile7(vals, 0.25), Median: analysis.Quantile7(vals, 0.5), Q3: analysis.Quantile7(vals, 0.75)}
}

// band places v among the first shown figure's quartiles: above Q3 the top
// quarter, above the median the upper middle, at Q1 or above the lower
// middle, below Q1 the bottom quarter.
// The sentence names the group, which need not be the first column.
func (b *builder) band(v float64, figs []NumberFigure) string {
	for c, f := range figs {
		if f.Hidden {
			continue
		}
		group := b.rep.Groups[c].Label
		switch {
		case v > f.Q3:
			return message(b.lang, "band_top", group)
		case v > f.Median:
			return message(b.lang, "band_upper", group)
		case v >= f.Q1:
			return message(b.lang, "band_lower", group)
		}
		return message(b.lang, "band_bottom", group)
	}
	return ""
}

// formatValue writes a figure with up to two decimals, fewer when they are
// zeros.
func formatValue(lang string, v float64) string {
	for d := 0; d < 2; d++ {
		if math.Abs(v*math.Pow(10, float64(d))-math.Round(v*math.Pow(10, float64(d)))) < 1e-9 {
			return survey.FormatNumber(lang, v, d)
		}
	}
	return survey.FormatNumber(lang, v, 2)
}
