package disclosure

import (
	"bytes"
	"encoding/gob"
	"fmt"
	"math"
	"reflect"
	"sort"
	"strconv"

	"github.com/metlib/canvass/analysis"
	"github.com/metlib/canvass/survey"
)

// Publish builds ONE Problem over all the tables of rep and the tallies
// (shared margins are the same key), protects it with rules.K, and returns
// copies with every hidden count set to 0 and flagged, and every number
// derived from a hidden count (shares, CIs, % of mentions, top-two, column
// %) withheld with it; means, SDs and quantiles only for groups of at
// least MinStatsN (rounded to two significant figures), never a minimum,
// maximum, outlier or histogram; test statistics (χ², V, p, Spearman)
// withheld in any table with a hidden cell; notes rewritten so no note
// carries a hidden number. rep or t may be nil.
//
// Each table keeps only what its public form shows (publicTableOf and the
// white-paper sheet pick the same part of a result): a cross-tabulation
// keeps its cells and margins but not the ungrouped options, a table of
// option groups its groups, a count table the numbers of options chosen,
// and so on; free texts, top terms and co-occurrences are never kept. So
// the problem holds exactly the numbers a reader can see, each once.
//
// A table answered by fewer than K is withheld whole (Withheld, its
// figures removed); its base is then a hidden cell like any other. A
// MinStatsN of 0 means 2K. The number of countries is published only
// beside the total and every region count (see builder.counts).
func Publish(rep *analysis.ReportResult, t *Tallies, rules Rules) *Published {
	p, _ := publish(rep, t, rules)
	return p
}

// publish is Publish, with the builder (for tests).
func publish(rep *analysis.ReportResult, t *Tallies, rules Rules) (*Published, *builder) {
	return publishOpt(rep, t, rules, protect)
}

// How publishOpt suppresses: as Publish; not at all (the model alone); or
// primary cells only, the suppression the issue found wanting (tests show
// the attack tool recovers cells from it).
const (
	protect = iota
	modelOnly
	primaryOnly
)

func publishOpt(rep *analysis.ReportResult, t *Tallies, rules Rules, mode int) (*Published, *builder) {
	rules = normalize(rules)
	b := &builder{rules: rules, byKey: map[string]int{}, table: -1, missingLabels: map[int][]string{}, ntHidden: map[int]bool{}}
	out := &Published{}
	if rep != nil {
		out.Report = copyReport(rep)
		b.responses = rep.Responses
		r := out.Report
		id := b.pub(r.Responses, keyResponses)
		b.when(func() { r.Responses, r.ResponsesSuppressed = 0, true }, id)
	}
	if t != nil {
		out.Counts = b.counts(t)
	}
	if rep != nil {
		for i := range out.Report.Tables {
			b.table = i
			b.tableOf(&out.Report.Tables[i])
		}
		for _, f := range b.pending {
			f()
		}
	}
	if mode == modelOnly {
		return out, b
	}
	p, idx := b.problem()
	if i, ok := p.Index(keyResponses); ok && !p.IsSecret(i) {
		p.Keep(i)
	}
	var s Suppression
	if mode == primaryOnly {
		s = Suppression{Primary: make([]bool, p.Len()), Secondary: make([]bool, p.Len())}
		for i := range p.Len() {
			s.Primary[i] = !p.IsSecret(i) && p.Value(i) > 0 && p.Value(i) < rules.K
		}
	} else {
		s = suppress(p, rules.K)
		out.memo = memoOf(p.fingerprint(rules.K), s)
	}
	return finish(out, b, p, idx, s), b
}

// suppress is Protect followed by publishing back every secondary cell the
// reader works out exactly (it protects nothing and costs a number), and
// remembered (suppressions) by the problem it solves.
func suppress(p *Problem, k int) Suppression {
	key := p.fingerprint(k)
	if cached, ok := suppressions.get(key); ok {
		return cached
	}
	s := p.Protect(k)
	// The relaxation alone (lpPinned), not Attack's branch and bound: on a
	// publication of hundreds of hidden cells Attack took most of
	// Publish's time (45 s of 48 for impact-methods with 12 responses),
	// and a cell the relaxation does not pin stays hidden, the safe side.
	// Not after the work-budget fallback (Protect): it hid whole
	// components, whose systems are the costliest there are.
	if !s.fellBack {
		var sec []int
		for i, v := range s.Secondary {
			if v && !p.withheldBefore(i) {
				sec = append(sec, i)
			}
		}
		pinned := lpPinned(p, func(i int) bool { return p.IsSecret(i) || s.Hidden(i) }, sec)
		for n, i := range sec {
			if pinned[n] {
				s.Secondary[i] = false
				if s.Support != nil {
					s.Support[i] = false // no witness moves a pinned cell
				}
			}
		}
	}
	suppressions.put(key, s)
	return s
}

// finish applies the suppression s of p (idx maps b's quantities to p's
// cells) to the copies in out.
func finish(out *Published, b *builder, p *Problem, idx []int, s Suppression) *Published {
	hidden := make([]bool, len(b.qs))
	for i, q := range b.qs {
		hidden[i] = !q.published || s.Hidden(idx[i])
	}
	b.apply(hidden)
	if out.Report != nil {
		for i := range out.Report.Tables {
			if tr := &out.Report.Tables[i]; tr.Spec.Summary == survey.SummaryRanked && tr.Question != nil {
				unrank(tr.Question.Options)
			}
		}
	}
	seen := map[int]bool{}
	for i, q := range b.qs {
		if !q.published {
			continue
		}
		if idx[i] < len(s.Support) && s.Support[idx[i]] {
			out.Protecting = append(out.Protecting, q.key) // every key the cell is known by
		}
		if seen[idx[i]] {
			continue
		}
		seen[idx[i]] = true
		out.Stats.Cells++
		if s.Hidden(idx[i]) {
			if s.Primary[idx[i]] {
				out.Stats.Primary++
			} else {
				out.Stats.Secondary++
			}
		}
	}
	sort.Strings(out.Protecting)
	out.Witnesses = witnessesOf(b, p, idx, s)
	if out.Report != nil {
		for i := range out.Report.Tables {
			tr := &out.Report.Tables[i]
			tr.Notes = notesOf(out.Report.Language, tr, b.missingLabels[i], b.ntHidden[i])
		}
	}
	return out
}

// witnessesOf is s's witnesses by key, each once, in the order of the
// first primary cell each protects.
func witnessesOf(b *builder, p *Problem, idx []int, s Suppression) []Witness {
	keys := make([][]string, p.Len()) // cell → every key it is known by
	for i, q := range b.qs {
		keys[idx[i]] = append(keys[idx[i]], q.key)
	}
	var out []Witness
	at := map[uintptr]int{} // a witness shared by several primary cells: one entry
	for c, w := range s.Witness {
		if w == nil || !s.Primary[c] {
			continue
		}
		ptr := reflect.ValueOf(w).Pointer()
		n, ok := at[ptr]
		if !ok {
			n = len(out)
			at[ptr] = n
			values := map[string]int{}
			for cell, v := range w {
				for _, k := range keys[cell] {
					values[k] = v
				}
			}
			out = append(out, Witness{Values: values})
		}
		out[n].Protects = append(out[n].Protects, keys[c]...)
	}
	return out
}

// Keys of the quantities several outputs share.
const keyResponses = "responses"

// quantity is one number of the publication, published (somewhere) or not.
type quantity struct {
	key       string
	value     int
	published bool
}

type sumRel struct {
	total int
	parts []int
}

type linRel struct {
	ids    []int
	coefs  []float64
	lo, hi float64
}

type action struct {
	ids []int
	do  func()
}

// builder collects the quantities of a publication, the relations between
// them and, for each published position, what to do when it is hidden; the
// Problem is made from it at the end, when it is known which quantities
// are published anywhere (a Cell) and which nowhere (a Secret).
type builder struct {
	rules     Rules
	responses int
	qs        []quantity
	byKey     map[string]int
	sums      []sumRel
	rels      []linRel
	acts      []action
	table     int
	// skipped counts relations the true values do not satisfy: a modelling
	// error, left out rather than fed to the Problem (tests require 0).
	skipped       int
	missingLabels map[int][]string
	// ntHidden marks the tables whose "ticked nothing" count is hidden.
	ntHidden map[int]bool
	// pending relations are added once every table is read: they look up
	// quantities other tables publish.
	pending []func()
}

// id returns the quantity of value v known by keys[0] or, when one of the
// other keys names a quantity of the same value, that one (they are then
// the same number in truth, a relation a reader may know: the column base
// of a question everyone answers is the group's count). A key already taken
// by another value is a different quantity.
func (b *builder) id(v int, keys ...string) int {
	for _, k := range keys {
		if i, ok := b.byKey[k]; ok && b.qs[i].value == v {
			if _, ok := b.byKey[keys[0]]; !ok {
				b.byKey[keys[0]] = i
			}
			return i
		}
	}
	key := keys[0]
	for n := 2; ; n++ {
		if _, ok := b.byKey[key]; !ok {
			break
		}
		key = fmt.Sprintf("%s#%d", keys[0], n)
	}
	i := len(b.qs)
	b.qs = append(b.qs, quantity{key: key, value: v})
	b.byKey[key] = i
	if _, ok := b.byKey[keys[0]]; !ok {
		b.byKey[keys[0]] = i
	}
	return i
}

// pub is a published quantity.
func (b *builder) pub(v int, keys ...string) int {
	i := b.id(v, keys...)
	b.qs[i].published = true
	return i
}

// sec is a quantity relations involve but that is published only if some
// other output publishes it.
func (b *builder) sec(v int, keys ...string) int { return b.id(v, keys...) }

func (b *builder) sum(total int, parts ...int) {
	s := 0
	for _, p := range parts {
		s += b.qs[p].value
	}
	if s != b.qs[total].value {
		b.skipped++
		return
	}
	b.sums = append(b.sums, sumRel{total, parts})
}

// sumOrRest records total = Σ parts when that holds, else, when the parts
// fall short, total = Σ parts + a secret remainder.
func (b *builder) sumOrRest(total int, key string, parts ...int) {
	s := 0
	for _, p := range parts {
		s += b.qs[p].value
	}
	if d := b.qs[total].value - s; d > 0 {
		parts = append(parts, b.sec(d, key))
	}
	b.sum(total, parts...)
}

// le records x ≤ y.
func (b *builder) le(x, y int) { b.rel([]int{y, x}, []float64{1, -1}, 0, math.Inf(1)) }

func (b *builder) rel(ids []int, coefs []float64, lo, hi float64) {
	s := 0.0
	for i, id := range ids {
		s += coefs[i] * float64(b.qs[id].value)
	}
	if s < lo-1e-9 || s > hi+1e-9 {
		b.skipped++
		return
	}
	b.rels = append(b.rels, linRel{ids, coefs, lo, hi})
}

// when runs do after protection if any of ids is hidden.
func (b *builder) when(do func(), ids ...int) { b.acts = append(b.acts, action{ids, do}) }

func (b *builder) problem() (*Problem, []int) {
	rels := b.eliminate()
	p := NewProblem()
	idx := make([]int, len(b.qs))
	for i, q := range b.qs {
		if q.published {
			idx[i] = p.Cell(q.key, q.value)
		} else {
			idx[i] = p.Secret(q.key, q.value)
		}
	}
	for _, r := range rels {
		terms := make([]Term, len(r.ids))
		for i, x := range r.ids {
			terms[i] = Term{Cell: idx[x], Coef: r.coefs[i]}
		}
		p.Relation(terms, r.lo, r.hi)
	}
	return p, idx
}

// eliminate returns the relations with every secret that appears in a
// single relation projected out: lo ≤ c·s + rest ≤ hi with s ≥ 0 free
// otherwise says only rest ≤ hi (c > 0) or rest ≥ lo (c < 0). The reader
// knows exactly as much about the cells (the same feasible set, seen on
// the cells), and the attack has fewer variables and fewer links between
// tables: those outside every group, those who did not answer, counts
// only another table would publish.
func (b *builder) eliminate() []linRel {
	var rels []linRel
	for _, s := range b.sums {
		r := linRel{ids: []int{s.total}, coefs: []float64{-1}}
		for _, p := range s.parts {
			r.ids = append(r.ids, p)
			r.coefs = append(r.coefs, 1)
		}
		rels = append(rels, r)
	}
	rels = append(rels, b.rels...)
	alive := make([]bool, len(rels))
	for i := range alive {
		alive[i] = true
	}
	for changed := true; changed; {
		changed = false
		uses := make([][]int, len(b.qs))
		for ri, r := range rels {
			if !alive[ri] {
				continue
			}
			for _, id := range r.ids {
				if n := len(uses[id]); n == 0 || uses[id][n-1] != ri {
					uses[id] = append(uses[id], ri)
				}
			}
		}
		for id, u := range uses {
			if b.qs[id].published || len(u) != 1 {
				continue
			}
			r := &rels[u[0]]
			c := 0.0
			var ids []int
			var coefs []float64
			for i, x := range r.ids {
				if x == id {
					c += r.coefs[i]
					continue
				}
				ids = append(ids, x)
				coefs = append(coefs, r.coefs[i])
			}
			lo, hi := r.lo, r.hi
			switch {
			case c > 0:
				lo = math.Inf(-1)
			case c < 0:
				hi = math.Inf(1)
			}
			if len(ids) == 0 || math.IsInf(lo, -1) && math.IsInf(hi, 1) {
				alive[u[0]] = false
			} else {
				*r = linRel{ids: ids, coefs: coefs, lo: lo, hi: hi}
			}
			changed = true
		}
	}
	var out []linRel
	for i, r := range rels {
		if alive[i] {
			out = append(out, r)
		}
	}
	return out
}

func (b *builder) apply(hidden []bool) {
	for _, a := range b.acts {
		for _, id := range a.ids {
			if hidden[id] {
				a.do()
				break
			}
		}
	}
}

// counts publishes the tallies: the total, by region, by type, and the
// number of countries. A region or type not listed is a known zero (the
// lists name every region, and every type seen), so every one is a cell.
//
// The number of countries is not a count of libraries, and it is no cell:
// it is published only while the total and every region count are. It
// bounds the regions through the countries each one's respondents come
// from, which a reader may know better than any model here (the public
// directory lists members' countries): with as many countries as
// responses, a region whose members are in two countries has at most two
// respondents, whatever else is withheld. Beside published regions it
// tells nothing about a count. Types are not tied to countries.
func (b *builder) counts(t *Tallies) *Counts {
	c := &Counts{K: b.rules.K, ByRegion: []Count{}, ByType: []Count{}}
	total := b.pub(t.Total, keyResponses)
	n := t.Total
	c.Total = Count{Key: "total", N: &n}
	b.when(func() { c.Total.N = nil }, total)
	publish := func(list []KeyCount, prefix string, all []string) ([]Count, []int) {
		out := make([]Count, len(list))
		var parts []int
		listed := map[string]bool{}
		for i, kc := range list {
			v := kc.N
			out[i] = Count{Key: kc.Key, N: &v}
			id := b.pub(kc.N, prefix+kc.Key)
			b.when(func() { out[i].N = nil }, id)
			parts = append(parts, id)
			listed[kc.Key] = true
		}
		for _, k := range all {
			if !listed[k] {
				b.pub(0, prefix+k)
			}
		}
		b.sumOrRest(total, prefix+"?", parts...)
		return out, parts
	}
	regions := []string{"unknown"}
	for _, r := range survey.Regions {
		regions = append(regions, string(r))
	}
	types := []string{"unknown"}
	for lt := range survey.LibraryTypeLabels {
		types = append(types, string(lt))
	}
	sort.Strings(types)
	var regionIDs []int
	c.ByRegion, regionIDs = publish(t.ByRegion, "responses/region=", regions)
	c.ByType, _ = publish(t.ByType, "responses/type=", types)
	countries := t.Countries
	c.Countries = &countries
	b.when(func() { c.Countries = nil }, append([]int{total}, regionIDs...)...)
	return c
}

// copyReport is a deep copy of rep (gob keeps NaN, which JSON cannot; it
// refuses nil pointers in a slice, so the per-option tests, nil for a
// missing option, are copied by hand).
func copyReport(rep *analysis.ReportResult) *analysis.ReportResult {
	shallow := *rep
	shallow.Tables = append([]analysis.TableResult(nil), rep.Tables...)
	tests := make([][]*analysis.ChiSquareResult, len(rep.Tables))
	for i, t := range shallow.Tables {
		if t.Question != nil && t.Question.CrossTab != nil && t.Question.CrossTab.Tests != nil {
			q := *t.Question
			ct := *q.CrossTab
			tests[i], ct.Tests = ct.Tests, nil
			q.CrossTab = &ct
			shallow.Tables[i].Question = &q
		}
	}
	var buf bytes.Buffer
	if err := gob.NewEncoder(&buf).Encode(&shallow); err != nil {
		panic(fmt.Sprintf("disclosure: copying the report: %v", err))
	}
	out := new(analysis.ReportResult)
	if err := gob.NewDecoder(&buf).Decode(out); err != nil {
		panic(fmt.Sprintf("disclosure: copying the report: %v", err))
	}
	for i, ts := range tests {
		if ts == nil {
			continue
		}
		cp := make([]*analysis.ChiSquareResult, len(ts))
		for j, x := range ts {
			if x != nil {
				y := *x
				if x.FisherP != nil {
					f := *x.FisherP
					y.FisherP = &f
				}
				cp[j] = &y
			}
		}
		out.Tables[i].Question.CrossTab.Tests = cp
	}
	return out
}

// sig2 rounds to two significant figures: a quantile of a dozen libraries
// is then a band, not one library's own figure.
func sig2(x float64) float64 {
	if x == 0 || math.IsNaN(x) || math.IsInf(x, 0) {
		return x
	}
	v, _ := strconv.ParseFloat(strconv.FormatFloat(x, 'g', 2, 64), 64)
	return v
}

var nan = math.NaN()

// describe publishes descriptives of n values under the rules: nothing
// below MinStatsN, else mean, SD and quartiles to two significant figures;
// never the minimum or maximum.
func (b *builder) describe(d *analysis.Descriptives) {
	d.Min, d.Max = nan, nan
	if d.N < b.rules.MinStatsN {
		withhold(d)
		return
	}
	d.Mean, d.SD, d.Q1, d.Median, d.Q3 = sig2(d.Mean), sig2(d.SD), sig2(d.Q1), sig2(d.Median), sig2(d.Q3)
}

func withhold(d *analysis.Descriptives) {
	d.Mean, d.SD, d.Min, d.Q1, d.Median, d.Q3, d.Max = nan, nan, nan, nan, nan, nan, nan
	d.Withheld = true
}

// unrank moves the withheld options of a ranked table (sorted by count)
// after the shown ones, in the order of their codes. Left in place, a
// withheld row's position would say how large it is — no more than the row
// above it, no less than the row below — and with its margins that gives
// it away (review: 44 cells proved below k from the order alone). The
// shown rows keep their order by count.
func unrank(opts []analysis.OptionCount) {
	sort.SliceStable(opts, func(a, b int) bool {
		sa, sb := opts[a].Suppressed, opts[b].Suppressed
		if sa != sb {
			return !sa
		}
		return sa && opts[a].Value < opts[b].Value
	})
}
