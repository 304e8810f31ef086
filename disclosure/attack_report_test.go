package disclosure

import (
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/metlib/canvass/analysis"
	"github.com/metlib/canvass/survey"
)

// The attack tool: a reader with the published outputs of a survey (the
// masked report and counts) and its public definition. It is written from
// the reader's side, not from Publish's model: it keys what it sees by
// what it is ("region=europe", "satisfied/o/4", the cross-tab cell of
// option 4 in Europe), writes down every relation it knows (sums along
// rows and columns, an option at most its base, the counts by region
// being the region question's, a required question everyone is asked
// having as many answers as respondents, a published mean as an equation
// in the counts), and runs Attack for every withheld count. It reports any
// withheld count it pins down or proves below k, and any rule broken
// outright (a share beside a withheld count, a mean beside a withheld
// cell, a minimum, a test statistic in a table with a withheld cell).
//
// The true values of the withheld cells are read from the unmasked report
// only to build a Problem whose relations hold (Attack uses the published
// values and the relations, never the hidden values).
type reader struct {
	sv     *survey.Survey
	k      int
	minN   int
	p      *Problem
	hidden map[int]bool
	shown  map[int]bool
	broken []string
	where  string
	// prefix keys every quantity of the publication being read, so that
	// one Problem holds several (the two-snapshot attack reads two).
	prefix string
	// tally are the relations that hold for any set of responses' tally
	// (sums, an option at most its base), not those that carry a
	// published value (a rounded mean): the new responses between two
	// snapshots obey them too.
	tally []recorded
}

// recorded is a relation the reader wrote down, in its own cells.
type recorded struct {
	terms  []Term
	lo, hi float64
}

func newReader(sv *survey.Survey, rules Rules) *reader {
	return &reader{sv: sv, k: rules.K, minN: rules.MinStatsN, p: NewProblem(), hidden: map[int]bool{}, shown: map[int]bool{}}
}

func (r *reader) fail(format string, args ...any) {
	r.broken = append(r.broken, r.where+": "+fmt.Sprintf(format, args...))
}

// see is a count the reader sees (or sees withheld): its published value,
// or, withheld, a cell whose value the reader does not know (truth fills
// the Problem). A count shown in one output is known everywhere.
func (r *reader) see(key string, withheld bool, published, truth int) int {
	key = r.prefix + key
	if !withheld && published != truth {
		r.fail("%s is published as %d but is %d", key, published, truth)
	}
	if withheld && published != 0 {
		r.fail("%s is withheld but carries %d", key, published)
	}
	if i, ok := r.p.Index(key); ok {
		if r.p.Value(i) != truth {
			r.fail("%s is two different numbers (%d and %d)", key, r.p.Value(i), truth)
			return i
		}
		if r.p.IsSecret(i) {
			// The reader's secret is in fact published: drop the
			// distinction (it is a cell from now on, as it will be in
			// the next problem); only the hidden state matters.
			if withheld {
				r.hidden[i] = true
			} else {
				r.shown[i] = true
			}
			return i
		}
	} else {
		i = r.p.Cell(key, truth)
		if withheld {
			r.hidden[i] = true
		} else {
			r.shown[i] = true
		}
		return i
	}
	i, _ := r.p.Index(key)
	if withheld {
		r.hidden[i] = true
	} else {
		r.shown[i] = true
	}
	return i
}

// secret is a number the reader knows exists but never sees.
func (r *reader) secret(key string, truth int) int {
	key = r.prefix + key
	if i, ok := r.p.Index(key); ok {
		return i
	}
	return r.p.Secret(key, truth)
}

// holds reports whether a relation the reader believes is true (a reader
// may believe what is not so; such a belief teaches it nothing true).
func (r *reader) holds(terms []Term, lo, hi float64) bool {
	s := 0.0
	for _, t := range terms {
		s += t.Coef * float64(r.p.Value(t.Cell))
	}
	return s >= lo-1e-9 && s <= hi+1e-9
}

// relate writes down a relation every tally obeys (see reader.tally).
func (r *reader) relate(terms []Term, lo, hi float64) {
	if r.holds(terms, lo, hi) {
		r.p.Relation(terms, lo, hi)
		r.tally = append(r.tally, recorded{terms, lo, hi})
	}
}

// relateValues writes down a relation that holds because of a published
// value (a mean), not for every tally.
func (r *reader) relateValues(terms []Term, lo, hi float64) {
	if r.holds(terms, lo, hi) {
		r.p.Relation(terms, lo, hi)
	}
}

func (r *reader) sum(total int, parts ...int) {
	terms := []Term{{total, -1}}
	for _, p := range parts {
		terms = append(terms, Term{p, 1})
	}
	r.relate(terms, 0, 0)
}

func (r *reader) atMost(x, y int) { r.relate([]Term{{y, 1}, {x, -1}}, 0, math.Inf(1)) }

// unconditional reports whether everyone is asked the question (the
// reader reads the form: no show_if on it or its section).
func (r *reader) unconditional(id string) bool {
	for _, sec := range r.sv.Sections {
		for _, q := range sec.Questions {
			if q.ID == id {
				return sec.ShowIf == nil && q.ShowIf == nil
			}
		}
	}
	return false
}

// counts reads counts.json.
func (r *reader) counts(c *Counts, truth *Tallies) {
	r.where = "counts"
	n := r.see("N", c.Total.N == nil, deref(c.Total.N), truth.Total)
	if c.Total.N == nil && c.Countries != nil {
		r.fail("the number of countries is published beside a withheld total")
	}
	// Beside withheld regions the number of countries bounds them by what
	// the reader knows of members' countries, which this reader cannot
	// model (TestCountriesBesideAWithheldRegion): the rule is checked
	// instead. Beside published regions it bounds no count.
	for _, rc := range c.ByRegion {
		if rc.N == nil && c.Countries != nil {
			r.fail("the number of countries is published beside the withheld region %s", rc.Key)
		}
	}
	for _, part := range []struct {
		prefix string
		shown  []Count
		truth  []KeyCount
	}{{"region=", c.ByRegion, truth.ByRegion}, {"type=", c.ByType, truth.ByType}} {
		var ids []int
		for i, kc := range part.shown {
			ids = append(ids, r.see(part.prefix+kc.Key, kc.N == nil, deref(kc.N), part.truth[i].N))
		}
		r.sum(n, ids...) // a region not listed has nobody
	}
}

func deref(p *int) int {
	if p == nil {
		return 0
	}
	return *p
}

// report reads every table of the published report.
func (r *reader) report(rep, truth *analysis.ReportResult) {
	r.where = "report"
	n := r.see("N", rep.ResponsesSuppressed, rep.Responses, truth.Responses)
	for i := range rep.Tables {
		r.table(n, &rep.Tables[i], &truth.Tables[i])
	}
}

func (r *reader) table(n int, t, tt *analysis.TableResult) {
	q, qt := t.Question, tt.Question
	id := qt.ID
	r.where = "table " + t.Spec.ID
	var cells []int // every count of the table, for the rules on tests
	a := r.see(id+"/answered", q.AnsweredSuppressed, q.Answered, qt.Answered)
	cells = append(cells, a)
	def := r.sv.Question(id)
	if r.unconditional(id) && def.Required {
		r.sum(n, a)
	}
	r.atMost(a, n)
	if t.Withheld {
		if len(q.Options)+len(q.ChosenCount)+len(q.Groups) > 0 || q.CrossTab != nil || q.Numbers != nil || t.Correlation != nil {
			r.fail("a withheld table carries figures")
		}
		return
	}
	asked := r.see(id+"/asked", q.AskedSuppressed, q.Asked, qt.Asked)
	if r.unconditional(id) {
		r.sum(n, asked)
	}
	r.atMost(a, asked)
	multi := q.Type == survey.MultiChoice
	if multi {
		none := r.secret(id+"/none", qt.Asked-qt.Answered)
		r.sum(asked, a, none)
		if q.NotTicked != nil {
			r.see(id+"/none", q.NotTicked.Suppressed, q.NotTicked.Count, qt.Asked-qt.Answered)
			if q.NotTicked.Suppressed && q.NotTicked.Share != 0 {
				r.fail("the share of a withheld 'nothing ticked' is shown")
			}
		}
	}
	truthOpt := map[string]int{}
	for _, o := range qt.Options {
		truthOpt[o.Value] = o.Count
	}
	optKey := func(v string) string {
		if id == "region" {
			return "region=" + v
		}
		return id + "/o/" + v
	}
	// The counts by type are the org_type answers when every respondent
	// gave one and none came through an invitation: a reader may suppose so.
	if id == "org_type" {
		for v, c := range truthOpt {
			if i, ok := r.p.Index(r.prefix + "type=" + v); ok && r.p.Value(i) == c {
				r.sum(i, r.secret(optKey(v), c))
			}
		}
	}
	option := func(o, ot analysis.OptionCount, base int) int {
		i := r.see(optKey(o.Value), o.Suppressed, o.Count, ot.Count)
		hiddenBase := r.p.Value(base) != 0 && r.hidden[base] && !r.shown[base]
		if (o.Suppressed || hiddenBase) && (o.Share != 0 || o.CI != analysis.Interval{}) {
			r.fail("option %s: a share of a withheld count or base is shown", o.Value)
		}
		if o.Suppressed && o.MentionShare != nil {
			r.fail("option %s: the %% of mentions of a withheld count is shown", o.Value)
		}
		cells = append(cells, i)
		return i
	}
	if len(q.Options) > 0 {
		var ids []int
		for j, o := range q.Options {
			ids = append(ids, option(o, qt.Options[j], a))
		}
		if multi {
			for _, i := range ids {
				r.atMost(i, a)
			}
			shownShare := false
			for _, o := range q.Options {
				shownShare = shownShare || o.MentionShare != nil && *o.MentionShare > 0
			}
			if q.Mentions > 0 || shownShare {
				r.sum(r.see(id+"/mentions", false, qt.Mentions, qt.Mentions), ids...)
			}
		} else {
			r.sum(a, ids...)
		}
		if s := q.Scale; s != nil {
			r.scale(id, s, qt.Scale, ids, &cells)
		}
	}
	if len(q.Groups) > 0 {
		for j, g := range q.Groups {
			f := r.see(id+"/f/"+g.Group, g.Suppressed, g.Count, qt.Groups[j].Count)
			cells = append(cells, f)
			if g.Suppressed && g.Share != 0 {
				r.fail("family %s: share of a withheld count shown", g.Group)
			}
			r.atMost(f, a)
			var members []int
			for _, v := range g.Options {
				m := r.secret(optKey(v), truthOpt[v])
				r.atMost(m, f)
				members = append(members, m)
			}
			terms := []Term{{f, -1}}
			for _, m := range members {
				terms = append(terms, Term{m, 1})
			}
			r.relate(terms, 0, math.Inf(1))
		}
	}
	if len(q.ChosenCount) > 0 {
		var ids []int
		terms := []Term{}
		for j, c := range q.ChosenCount {
			i := r.see(id+"/chose/"+c.Key, c.Suppressed, c.Count, qt.ChosenCount[j].Count)
			if c.Suppressed && c.Share != 0 {
				r.fail("chosen %s: share of a withheld count shown", c.Key)
			}
			ids = append(ids, i)
			cells = append(cells, i)
			w, _ := strconv.Atoi(c.Key)
			terms = append(terms, Term{i, float64(w)})
		}
		r.sum(a, ids...)
		for _, o := range def.Options {
			if !o.Exclusive && !o.Missing {
				terms = append(terms, Term{r.secret(optKey(string(o.Value)), truthOpt[string(o.Value)]), -1})
			}
		}
		r.relate(terms, 0, 0)
		if s := q.ChosenStats; s != nil {
			r.stats("options chosen", *s, anyHidden(r, ids))
		}
	}
	if ct := q.CrossTab; ct != nil && t.Grouping != nil {
		cells = append(cells, r.crossTab(n, t, tt, a, optKey, truthOpt)...)
		if (ct.Test != nil || ct.Tests != nil) && anyHidden(r, cells) {
			r.fail("a test statistic is published in a table with a withheld cell")
		}
	}
	if ns := q.Numbers; ns != nil {
		// N 0 beside withheld statistics where there are values: withheld.
		nn := r.see(id+"/values", ns.N == 0 && ns.Withheld && qt.Numbers.N != 0, ns.N, qt.Numbers.N)
		r.atMost(nn, a)
		r.stats("numbers", ns.Descriptives, false)
		if len(ns.Outliers) > 0 || len(ns.Histogram) > 0 {
			r.fail("outliers or a histogram are published")
		}
	}
	if len(q.ByGroup) > 0 && t.Grouping != nil {
		var ids []int
		for j, g := range q.ByGroup {
			i := r.see(id+"/values/"+t.Spec.By+"="+g.Group, g.NSuppressed, g.Stats.N, qt.ByGroup[j].Stats.N)
			ids = append(ids, i)
			cells = append(cells, i)
			r.stats("group "+g.Group, g.Stats, g.NSuppressed)
		}
		total := 0
		for _, g := range qt.ByGroup {
			total += g.Stats.N
		}
		terms := []Term{}
		for _, i := range ids {
			terms = append(terms, Term{i, 1})
		}
		r.relate(append(terms, Term{a, -1}), math.Inf(-1), 0)
	}
	for j, row := range q.Rows {
		rt := qt.Rows[j]
		ra := r.see(id+"/row/"+row.ID, row.AnsweredSuppressed, row.Answered, rt.Answered)
		dist, distT := row.Counts, rt.Counts
		if row.Scale != nil {
			dist, distT = row.Scale.Distribution, rt.Scale.Distribution
		}
		var ids []int
		for d, o := range dist {
			i := r.see(id+"/row/"+row.ID+"/"+o.Value, o.Suppressed, o.Count, distT[d].Count)
			ids = append(ids, i)
		}
		r.sum(ra, ids...)
		if row.Scale != nil {
			r.scale(id+"/row/"+row.ID, row.Scale, rt.Scale, ids, &cells)
		}
	}
	for j, rk := range q.Ranking {
		rt := qt.Ranking[j]
		ranked := r.see(id+"/ranked/"+rk.Value, rk.RankedSuppressed, rk.Ranked, rt.Ranked)
		first := r.see(id+"/first/"+rk.Value, rk.FirstSuppressed, rk.FirstCount, rt.FirstCount)
		r.atMost(first, ranked)
		r.atMost(ranked, a)
		if rk.FirstSuppressed && rk.FirstShare != 0 {
			r.fail("ranking %s: share of a withheld first count shown", rk.Value)
		}
	}
	if t.Correlation != nil && (anyHidden(r, cells) || t.Correlation.N < r.minN) {
		r.fail("Spearman's ρ is published in a table with a withheld cell or under %d pairs", r.minN)
	}
	r.notes(t, tt)
}

func anyHidden(r *reader, ids []int) bool {
	for _, i := range ids {
		if r.hidden[i] && !r.shown[i] {
			return true
		}
	}
	return false
}

// scale: N is the substantive counts, the top two the two highest points,
// and a published mean (two decimals) an equation in the counts.
func (r *reader) scale(key string, s, st *analysis.ScaleSummary, ids []int, cells *[]int) {
	n := r.see(key+"/scale_n", s.Withheld && s.N == 0 && st.N != 0, s.N, st.N)
	// A top-two count withheld with the statistics (Withheld, not
	// TopTwoSuppressed) is not published: a number the reader never sees,
	// not a withheld cell to protect.
	var tt int
	if !s.TopTwoSuppressed && s.Withheld && s.TopTwoCount == 0 && st.TopTwoCount != 0 {
		tt = r.secret(key+"/top_two", st.TopTwoCount)
	} else {
		tt = r.see(key+"/top_two", s.TopTwoSuppressed, s.TopTwoCount, st.TopTwoCount)
	}
	*cells = append(*cells, n, tt)
	var subst []int
	var values []float64
	for i, o := range st.Distribution {
		if o.Missing {
			continue
		}
		v, err := strconv.ParseFloat(o.Value, 64)
		if err != nil {
			return
		}
		subst = append(subst, ids[i])
		values = append(values, v)
	}
	r.sum(n, subst...)
	// the two highest points
	order := make([]int, len(values))
	for i := range order {
		order[i] = i
	}
	for i := range order {
		for j := i + 1; j < len(order); j++ {
			if values[order[j]] > values[order[i]] {
				order[i], order[j] = order[j], order[i]
			}
		}
	}
	var top []int
	for i := 0; i < 2 && i < len(order); i++ {
		top = append(top, subst[order[i]])
	}
	r.sum(tt, top...)
	if !math.IsNaN(float64(s.Mean)) {
		if anyHidden(r, ids) {
			r.fail("%s: a mean is published beside a withheld count", key)
		}
		// Σ (v − mean)·n_v ∈ ±0.005·N (the mean is shown to 2 decimals).
		m := math.Round(float64(s.Mean)*100) / 100
		terms := []Term{}
		for i, id := range subst {
			terms = append(terms, Term{id, values[i] - m})
		}
		half := 0.005 * float64(st.N)
		r.relateValues(terms, -half-1e-9, half+1e-9)
	}
	if (s.TopTwoSuppressed || s.Withheld) && s.TopTwoShare != 0 {
		r.fail("%s: a top-two share is shown beside a withheld count", key)
	}
}

// stats checks the rules on descriptives: nothing under MinStatsN or for a
// withheld n, quantiles to two significant figures, never a minimum or
// maximum.
func (r *reader) stats(what string, d analysis.Descriptives, nHidden bool) {
	if !math.IsNaN(d.Min) || !math.IsNaN(d.Max) {
		r.fail("%s: a minimum or maximum is published", what)
	}
	shown := !math.IsNaN(d.Mean) || !math.IsNaN(d.Median) || !math.IsNaN(d.Q1) || !math.IsNaN(d.Q3)
	if shown && (nHidden || d.N < r.minN) {
		r.fail("%s: statistics of %d values published (minimum %d)", what, d.N, r.minN)
	}
	for _, v := range []float64{d.Q1, d.Median, d.Q3, d.Mean, d.SD} {
		if !math.IsNaN(v) && strconv.FormatFloat(v, 'g', 2, 64) != strconv.FormatFloat(v, 'g', -1, 64) {
			if f, _ := strconv.ParseFloat(strconv.FormatFloat(v, 'g', 2, 64), 64); f != v {
				r.fail("%s: %v has more than two significant figures", what, v)
			}
		}
	}
}

func (r *reader) crossTab(n int, t, tt *analysis.TableResult, a int, optKey func(string) string, truthOpt map[string]int) []int {
	q, qt := t.Question, tt.Question
	ct, ctt := q.CrossTab, qt.CrossTab
	by := t.Spec.By
	if len(t.Spec.Bands) > 0 {
		by += fmt.Sprint(t.Spec.Bands)
	}
	id := qt.ID
	multi := q.Type == survey.MultiChoice
	families := t.Spec.Summary == survey.SummaryGroups
	var cells []int
	groups, groupsT := t.Grouping.Groups, tt.Grouping.Groups
	groupKey := func(g string) string {
		if by == "region" {
			return "region=" + g
		}
		if by == "org_type" {
			return "org_type/o/" + g
		}
		return "group/" + by + "=" + g
	}
	bases := make([]int, len(groups))
	var resp []int
	for j, g := range groups {
		// Group has no flag: 0 where the truth is not 0 stands for "not shown".
		rj := r.see(groupKey(g.Key), g.Respondents == 0 && groupsT[j].Respondents != 0, g.Respondents, groupsT[j].Respondents)
		resp = append(resp, rj)
		bases[j] = r.see(id+"/base/"+by+"="+g.Key, ct.ColSuppressed[j], ct.ColTotals[j], ctt.ColTotals[j])
		if g.N != ct.ColTotals[j] {
			r.fail("group %s: n %d beside a column base %d", g.Key, g.N, ct.ColTotals[j])
		}
		r.atMost(bases[j], rj)
		if r.unconditional(id) && r.sv.Question(id).Required {
			r.sum(rj, bases[j])
		}
		cells = append(cells, bases[j])
	}
	r.relate(append(termsOf(resp, 1), Term{n, -1}), math.Inf(-1), 0)
	total := r.see(id+"/grouped/"+by, ct.TotalSuppressed, ct.Total, ctt.Total)
	r.sum(total, bases...)
	r.atMost(total, a)
	cells = append(cells, total)
	kind := "/o/"
	if families {
		kind = "/f/"
	}
	var outside []int
	for i, row := range ct.Rows {
		var ids []int
		for j, g := range groups {
			c := r.see(id+kind+row+"/"+by+"="+g.Key, ct.Suppressed[i][j], ct.Counts[i][j], ctt.Counts[i][j])
			if (ct.Suppressed[i][j] || ct.ColSuppressed[j]) && ct.ColPct[i][j] != 0 {
				r.fail("a column %% of a withheld cell or base is shown")
			}
			ids = append(ids, c)
			if multi {
				r.atMost(c, bases[j])
			}
		}
		cells = append(cells, ids...)
		rt := r.see(id+kind+row+"/grouped/"+by, ct.RowSuppressed[i], ct.RowTotals[i], ctt.RowTotals[i])
		r.sum(rt, ids...)
		cells = append(cells, rt)
		if !families {
			overall := r.secret(optKey(row), truthOpt[row])
			out := r.secret(id+kind+row+"/outside/"+by, truthOpt[row]-ctt.RowTotals[i])
			r.sum(overall, rt, out)
			outside = append(outside, out)
		}
	}
	if !multi {
		for j := range groups {
			var col []int
			for i := range ct.Rows {
				idx, _ := r.p.Index(r.prefix + id + kind + ct.Rows[i] + "/" + by + "=" + groups[j].Key)
				col = append(col, idx)
			}
			r.sum(bases[j], col...)
		}
		outA := r.secret(id+"/outside/"+by, qt.Answered-ctt.Total)
		r.sum(a, total, outA)
		r.sum(outA, outside...)
	}
	return cells
}

func termsOf(ids []int, coef float64) []Term {
	var t []Term
	for _, i := range ids {
		t = append(t, Term{i, coef})
	}
	return t
}

// notes: a note may not quote a withheld base.
func (r *reader) notes(t, tt *analysis.TableResult) {
	q, qt := t.Question, tt.Question
	var secret []int
	if q.AnsweredSuppressed {
		secret = append(secret, qt.Answered)
	}
	if q.AskedSuppressed {
		secret = append(secret, qt.Asked)
	}
	if q.MissingSuppressed {
		secret = append(secret, qt.Missing)
	}
	for _, note := range t.Notes {
		words := strings.FieldsFunc(note, func(c rune) bool { return c < '0' || c > '9' })
		for _, w := range words {
			for _, s := range secret {
				if w == strconv.Itoa(s) {
					r.fail("note %q quotes the withheld %d", note, s)
				}
			}
		}
	}
}

// verdict runs the attack: every withheld count pinned down or proved
// below k is a finding.
func (r *reader) verdict() []string {
	out := append([]string(nil), r.broken...)
	hidden := func(i int) bool { return r.p.IsSecret(i) && !r.shown[i] || r.hidden[i] && !r.shown[i] }
	ranges := Attack(r.p, hidden)
	for i := 0; i < r.p.Len(); i++ {
		if r.p.IsSecret(i) || !hidden(i) {
			if !r.p.IsSecret(i) && r.shown[i] && r.p.Value(i) > 0 && r.p.Value(i) < r.k {
				out = append(out, fmt.Sprintf("%s = %d is published", r.p.Key(i), r.p.Value(i)))
			}
			continue
		}
		rg := ranges[i]
		v := r.p.Value(i)
		if !rg.Unbounded && rg.Hi < v || rg.Lo > v {
			out = append(out, fmt.Sprintf("attack bug: %s = %d outside [%d, %d]", r.p.Key(i), v, rg.Lo, rg.Hi))
		}
		switch {
		case !rg.Unbounded && rg.Lo == rg.Hi:
			out = append(out, fmt.Sprintf("%s = %d pinned down", r.p.Key(i), v))
		case !rg.Unbounded && rg.Hi < r.k:
			// An approximate maximum is only a value some table takes:
			// ask directly, with a larger search, whether k is reachable.
			if rg.Approx {
				if ok, proved := reaches(r.p, hidden, i, r.k, 20000); ok {
					continue
				} else if !proved {
					out = append(out, fmt.Sprintf("%s = %d: the attack could neither reach %d nor rule it out", r.p.Key(i), v, r.k))
					continue
				}
			}
			out = append(out, fmt.Sprintf("%s = %d proved below %d (at most %d)", r.p.Key(i), v, r.k, rg.Hi))
		}
	}
	return out
}

// attackPublication runs the reader over one publication.
func attackPublication(sv *survey.Survey, rules Rules, pub *Published, rep *analysis.ReportResult, tal *Tallies) []string {
	r := newReader(sv, rules)
	if pub.Counts != nil {
		r.counts(pub.Counts, tal)
	}
	if pub.Report != nil {
		r.report(pub.Report, rep)
	}
	return r.verdict()
}

// smallSurvey is testdata/small.yaml.
func smallSurvey(t testing.TB) *survey.Survey {
	t.Helper()
	data, err := os.ReadFile("testdata/small.yaml")
	if err != nil {
		t.Fatal(err)
	}
	sv, err := survey.ParseDefinition(data, "yaml")
	if err != nil {
		t.Fatal(err)
	}
	return sv
}

// generated is a small population: regions of 0 to 7 libraries (one may
// be larger, up to n), library types 0 to 7, answers skewed so that small
// and zero cells are common. Some respondents were invited, and the
// directory's type of a few differs from their answer.
type generated struct {
	responses []*survey.Response
	dirType   []survey.LibraryType
}

var typeValues = []survey.LibraryType{survey.CitySystem, survey.RegionalSystem, survey.NationalState, survey.Consortium}

func generate(rng *rand.Rand, sv *survey.Survey, n int) generated {
	sizes := make([]int, len(survey.Regions))
	left := n
	for i := range sizes {
		sizes[i] = min(rng.IntN(8), left)
		left -= sizes[i]
	}
	sizes[rng.IntN(len(sizes))] += left
	return generateSized(rng, sv, sizes)
}

// generateSized is generate with the regions' sizes given (survey.Regions
// order).
func generateSized(rng *rand.Rand, sv *survey.Survey, sizes []int) generated {
	var g generated
	countries := map[survey.Region][]string{survey.Europe: {"FR", "DE"}, survey.AsiaOceania: {"JP"}, survey.NorthAmerica: {"US", "CA"},
		survey.LatinAmericaCaribbean: {"MX"}, survey.MiddleEastNorthAfrica: {"EG"}, survey.SubSaharanAfrica: {"KE", "SN"}}
	weights := []float64{0.5, 0.25, 0.15, 0.1}
	pick := func(w []float64) int {
		x := rng.Float64()
		for i, v := range w {
			if x < v {
				return i
			}
			x -= v
		}
		return len(w) - 1
	}
	for ri, size := range sizes {
		region := survey.Regions[ri]
		for range size {
			a := survey.Answers{"region": string(region), "org_type": string(typeValues[pick(weights)])}
			if rng.Float64() < 0.85 {
				v := []string{"1", "2", "3", "4", "5", "dk"}[pick([]float64{0.05, 0.1, 0.2, 0.35, 0.2, 0.1})]
				a["satisfied"] = v
			}
			if rng.Float64() < 0.8 {
				if rng.Float64() < 0.1 {
					a["methods"] = []string{"none"}
				} else {
					var m []string
					for i, o := range []string{"visits", "loans", "surveys", "interviews"} {
						if rng.Float64() < []float64{0.8, 0.5, 0.3, 0.1}[i] {
							m = append(m, o)
						}
					}
					if len(m) == 0 {
						m = []string{"visits"}
					}
					a["methods"] = m
				}
			}
			if rng.Float64() < 0.7 {
				a["staff"] = math.Round(math.Exp(rng.NormFloat64()*1.2 + 3))
			}
			cs := countries[region]
			g.responses = append(g.responses, &survey.Response{SurveySlug: sv.Slug, SurveyVersion: sv.Version, Status: survey.ResponseSubmitted,
				Language: "en", Region: region, Country: cs[rng.IntN(len(cs))], Answers: a})
			var dt survey.LibraryType
			if rng.Float64() < 0.3 {
				dt = survey.LibraryType(a.String("org_type"))
				if rng.Float64() < 0.3 {
					dt = typeValues[rng.IntN(len(typeValues))]
				}
			}
			g.dirType = append(g.dirType, dt)
		}
	}
	rng.Shuffle(len(g.responses), func(i, j int) {
		g.responses[i], g.responses[j] = g.responses[j], g.responses[i]
		g.dirType[i], g.dirType[j] = g.dirType[j], g.dirType[i]
	})
	return g
}

func (g generated) publication(t testing.TB, sv *survey.Survey) (*analysis.ReportResult, *Tallies) {
	t.Helper()
	rep, err := analysis.Report(sv, survey.ResponsesOf(g.responses), analysis.Options{Lang: "en"})
	if err != nil {
		t.Fatal(err)
	}
	return rep, tallyOf(g.responses, func(i int) survey.LibraryType { return g.dirType[i] })
}

// TestAttackToolFindsNothing: over generated small surveys (n from 1 to
// 60, k = 3 and 5), the reader recovers no withheld count and finds no
// rule broken; with secondary suppression switched off it finds some (it
// can fail). Plain go test runs 4 surveys per k; DISCLOSURE_ATTACK=1 runs
// 40, DISCLOSURE_SURVEYS=n runs n.
func TestAttackToolFindsNothing(t *testing.T) {
	sv := smallSurvey(t)
	runs := 4
	if os.Getenv("DISCLOSURE_ATTACK") != "" {
		runs = 40
	}
	if v, err := strconv.Atoi(os.Getenv("DISCLOSURE_SURVEYS")); err == nil {
		runs = v
	}
	unprotectedFindings := 0
	for _, k := range []int{3, 5} {
		rules := Rules{K: k, MinStatsN: 2 * k}
		for run := range runs {
			rng := rand.New(rand.NewPCG(uint64(k), uint64(run)))
			n := 1 + rng.IntN(60)
			g := generate(rng, sv, n)
			rep, tal := g.publication(t, sv)
			pub, b := publish(rep, tal, rules)
			if b.skipped != 0 {
				t.Errorf("k=%d run %d (n=%d): %d relations of the model are false in truth", k, run, n, b.skipped)
			}
			if found := attackPublication(sv, rules, pub, rep, tal); len(found) > 0 {
				t.Errorf("k=%d run %d (n=%d): the reader recovers:\n  %s", k, run, n, strings.Join(found, "\n  "))
			}
			if run%4 == 0 {
				weak, _ := publishOpt(rep, tal, rules, primaryOnly)
				unprotectedFindings += len(attackPublication(sv, rules, weak, rep, tal))
			}
		}
	}
	if unprotectedFindings == 0 {
		t.Error("with primary suppression alone the reader recovers nothing: the attack tool cannot fail")
	}
	t.Logf("primary suppression alone: %d findings", unprotectedFindings)
}
