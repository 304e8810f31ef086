package disclosure

import (
	"fmt"
	"math"
	"sort"
	"strconv"

	"github.com/metlib/canvass/analysis"
	"github.com/metlib/canvass/survey"
)

// tableCtx is one table being published: its question's keys and the
// quantities it shows.
type tableCtx struct {
	b   *builder
	t   *analysis.TableResult
	q   *analysis.QuestionResult
	qk  string // "q:<id>"
	gk  string // the grouping: "region", "org_type", "budget[1e5 1e6]"
	ids []int  // every published quantity of the table
	// orig is the question's result before keep cleared what the table
	// does not show: the values relations with other tables need.
	orig *analysis.QuestionResult
	// ans, askedID and missing are the bases' quantities (missing −1 when
	// nobody gave a missing answer).
	ans, askedID, missing int
}

func (c *tableCtx) pub(v int, keys ...string) int {
	id := c.b.pub(v, keys...)
	c.ids = append(c.ids, id)
	return id
}

// optKeys name option v of the question: the question's own key, then the
// same number as other outputs know it (the respondents of a group of a
// grouping by this question; for org_type, the counts by library type).
func (c *tableCtx) optKeys(v string) []string {
	keys := []string{c.qk + "/opt:" + v, "responses/by:" + c.q.ID + "=" + v}
	switch c.q.ID {
	case "org_type":
		keys = append(keys, "responses/type="+v)
	case "region":
		keys = append(keys, "responses/region="+v)
	}
	return keys
}

// byKey names a quantity of group g of the table's grouping.
func (c *tableCtx) byKey(what, g string) string { return c.qk + "/" + what + "/by:" + c.gk + "=" + g }

func (b *builder) tableOf(t *analysis.TableResult) {
	q := t.Question
	if q == nil {
		return
	}
	c := &tableCtx{b: b, t: t, q: q, qk: "q:" + q.ID, gk: t.Spec.By}
	if len(t.Spec.Bands) > 0 {
		c.gk += fmt.Sprint(t.Spec.Bands)
	}
	for _, o := range q.Options {
		if o.Missing {
			b.missingLabels[b.table] = append(b.missingLabels[b.table], o.Label)
		}
	}
	// Never published: free texts, top terms, co-occurrences.
	q.Texts, q.OtherTexts, q.Terms, q.CoOccurrence = nil, nil, nil, nil
	if q.Answered < b.rules.K {
		bare := &analysis.QuestionResult{ID: q.ID, Type: q.Type, Label: q.Label, Answered: q.Answered, AskedSuppressed: true}
		*t = analysis.TableResult{Number: t.Number, Spec: t.Spec, Title: t.Title, Question: bare, Withheld: true}
		id := c.pub(bare.Answered, c.qk+"/answered", keyResponses)
		b.when(func() { bare.Answered, bare.AnsweredSuppressed = 0, true }, id)
		return
	}
	orig := *q
	c.orig = &orig
	c.base()
	switch {
	case q.CrossTab != nil && t.Grouping != nil:
		c.keep(func(r *analysis.QuestionResult) { r.CrossTab = q.CrossTab })
		c.crossTab()
	case len(q.Groups) > 0:
		c.keep(func(r *analysis.QuestionResult) { r.Groups = q.Groups })
		c.families()
	case t.Spec.Summary == survey.SummaryCount && t.Grouping != nil && len(q.ByGroup) > 0:
		c.keep(func(r *analysis.QuestionResult) { r.ByGroup = q.ByGroup })
		c.byGroup(c.qk + "/answered")
	case t.Spec.Summary == survey.SummaryCount && len(q.ChosenCount) > 0:
		c.keep(func(r *analysis.QuestionResult) { r.ChosenCount, r.ChosenStats = q.ChosenCount, q.ChosenStats })
		c.chosen()
	case len(q.Rows) > 0:
		c.keep(func(r *analysis.QuestionResult) { r.Rows = q.Rows })
		c.matrix()
	case q.Numbers != nil:
		c.keep(func(r *analysis.QuestionResult) { r.Numbers, r.ByGroup = q.Numbers, q.ByGroup })
		c.numbers()
	case len(q.Options) > 0:
		c.keep(func(r *analysis.QuestionResult) {
			r.Options, r.Mentions, r.NotTicked, r.Scale = q.Options, q.Mentions, q.NotTicked, q.Scale
		})
		c.options()
	case len(q.Ranking) > 0:
		c.keep(func(r *analysis.QuestionResult) { r.Ranking = q.Ranking })
		c.ranking()
	default:
		c.keep(func(*analysis.QuestionResult) {})
	}
	if t.Grouping != nil && q.CrossTab == nil && len(q.ByGroup) == 0 {
		t.Grouping = nil
	}
	c.correlation()
}

// keep clears every figure of the question but its bases and what set
// copies back: what the table's public form shows.
func (c *tableCtx) keep(set func(r *analysis.QuestionResult)) {
	q := c.q
	kept := analysis.QuestionResult{ID: q.ID, Type: q.Type, Label: q.Label, Asked: q.Asked, Answered: q.Answered, Missing: q.Missing,
		AskedSuppressed: q.AskedSuppressed, AnsweredSuppressed: q.AnsweredSuppressed, MissingSuppressed: q.MissingSuppressed}
	set(&kept)
	*q = kept
	if q.Type != survey.MultiChoice {
		return
	}
	// The note quotes the respondents asked who ticked nothing.
	nt := c.pub(q.Asked-q.Answered, c.qk+"/not_ticked")
	c.b.sum(c.askedID, c.ans, nt)
	table := c.b.table
	c.b.when(func() { c.b.ntHidden[table] = true }, nt)
}

// base publishes the question's bases: answered (the "answered by N" of
// every table), asked (the notes), the missing answers (the notes).
func (c *tableCtx) base() {
	b, q := c.b, c.q
	c.ans = c.pub(q.Answered, c.qk+"/answered", keyResponses)
	b.when(func() { q.Answered, q.AnsweredSuppressed = 0, true }, c.ans)
	c.askedID = c.pub(q.Asked, c.qk+"/asked", keyResponses)
	b.when(func() { q.Asked, q.AskedSuppressed = 0, true }, c.askedID)
	if q.Type != survey.MultiChoice {
		b.sum(c.askedID, c.ans, b.sec(q.Asked-q.Answered, c.qk+"/no_answer"))
	}
	if q.Missing > 0 {
		m := c.pub(q.Missing, c.qk+"/missing")
		b.when(func() { q.Missing, q.MissingSuppressed = 0, true }, m)
		c.missing = m
	} else {
		c.missing = -1
	}
}

// option publishes one option count on the base, with its shares.
func (c *tableCtx) option(o *analysis.OptionCount, keys []string, base int) int {
	id := c.pub(o.Count, keys...)
	c.b.when(func() {
		o.Count, o.Share, o.CI, o.Suppressed, o.MentionShare = 0, 0, analysis.Interval{}, true, nil
	}, id)
	c.b.when(func() { o.Share, o.CI = 0, analysis.Interval{} }, base)
	o.ShareAsked, o.CIAsked = nil, nil
	return id
}

// distribution publishes the counts of a single choice (or a scale) on
// base: they sum to it; the missing ones to missing when given.
func (c *tableCtx) distribution(opts []analysis.OptionCount, keyOf func(string) []string, base, missing int) []int {
	ids := make([]int, len(opts))
	var miss []int
	for i := range opts {
		ids[i] = c.option(&opts[i], keyOf(opts[i].Value), base)
		if opts[i].Missing {
			miss = append(miss, ids[i])
		}
	}
	c.b.sum(base, ids...)
	if missing >= 0 {
		c.b.sum(missing, miss...)
	}
	return ids
}

func (c *tableCtx) options() {
	b, q := c.b, c.q
	if q.Type != survey.MultiChoice {
		ids := c.distribution(q.Options, c.optKeys, c.ans, c.missing)
		if q.Scale != nil {
			c.scale(q.Scale, ids, c.qk, c.ans)
		}
		return
	}
	ids := make([]int, len(q.Options))
	for i := range q.Options {
		ids[i] = c.option(&q.Options[i], c.optKeys(q.Options[i].Value), c.ans)
		b.le(ids[i], c.ans)
	}
	c.multiMissing(ids)
	// % of mentions: each option's share of all options chosen.
	m := c.pub(q.Mentions, c.qk+"/mentions")
	b.sum(m, ids...)
	b.when(func() {
		q.Mentions = 0
		for i := range q.Options {
			q.Options[i].MentionShare = nil
		}
	}, m)
	if nt := q.NotTicked; nt != nil {
		id := c.pub(nt.Count, c.qk+"/not_ticked")
		b.when(func() { nt.Count, nt.Share, nt.Suppressed = 0, 0, true }, id)
		b.when(func() { nt.Share = 0 }, c.askedID)
	}
}

// multiMissing: respondents who ticked a missing option are at least as
// many as ticked any one of them, at most all their ticks.
func (c *tableCtx) multiMissing(ids []int) {
	if c.missing < 0 {
		return
	}
	var miss []int
	var coefs []float64
	for i, o := range c.q.Options {
		if o.Missing {
			c.b.le(ids[i], c.missing)
			miss = append(miss, ids[i])
			coefs = append(coefs, 1)
		}
	}
	c.b.rel(append(miss, c.missing), append(coefs, -1), 0, math.Inf(1))
}

// scale publishes a scale's N, top-two count and statistics: the mean, SD
// and median of a scale with a hidden count (or fewer than MinStatsN
// values) are withheld, since they would be equations in it.
func (c *tableCtx) scale(s *analysis.ScaleSummary, optIDs []int, key string, answered int) {
	b := c.b
	// Distribution is the same counts as the options (a copy of them).
	dist := make([]int, len(s.Distribution))
	var subst, miss []int
	type point struct {
		v  float64
		id int
	}
	var points []point
	for i := range s.Distribution {
		o := &s.Distribution[i]
		dist[i] = c.option(o, []string{b.qs[optIDs[i]].key}, answered)
		if o.Missing {
			miss = append(miss, dist[i])
		} else {
			subst = append(subst, dist[i])
			v, _ := strconv.ParseFloat(o.Value, 64)
			points = append(points, point{v, dist[i]})
		}
	}
	n := c.pub(s.N, key+"/scale_n", b.qs[answered].key)
	b.sum(n, subst...)
	m := c.pub(s.Missing, key+"/missing")
	b.sum(m, miss...)
	b.when(func() { s.Missing = 0 }, m)
	b.when(func() { s.N = 0; s.Withheld = true }, n)
	sort.Slice(points, func(i, j int) bool { return points[i].v > points[j].v })
	var top []int
	for i := 0; i < 2 && i < len(points); i++ {
		top = append(top, points[i].id)
	}
	tt := c.pub(s.TopTwoCount, key+"/top_two")
	b.sum(tt, top...)
	hideTop := func() { s.TopTwoCount, s.TopTwoShare, s.TopTwoCI, s.TopTwoSuppressed = 0, 0, analysis.Interval{}, true }
	b.when(hideTop, tt)
	b.when(func() { s.TopTwoShare, s.TopTwoCI = 0, analysis.Interval{} }, n)
	// Withheld covers the top-two figures too (the field's contract); they
	// are then not published at all, TopTwoSuppressed staying for a
	// withheld top-two cell.
	stats := func() {
		s.Mean, s.SD, s.Median, s.Withheld = analysis.Float(nan), analysis.Float(nan), analysis.Float(nan), true
		s.TopTwoCount, s.TopTwoShare, s.TopTwoCI = 0, 0, analysis.Interval{}
	}
	if s.N < b.rules.MinStatsN {
		stats()
	}
	b.when(stats, append(dist, n)...)
}

// families publishes option groups: each at least any of its options, at
// most all of them, at most the base.
func (c *tableCtx) families() {
	b, q := c.b, c.q
	for i := range q.Groups {
		g := &q.Groups[i]
		id := c.pub(g.Count, c.qk+"/fam:"+g.Group)
		b.when(func() { g.Count, g.Share, g.CI, g.Suppressed = 0, 0, analysis.Interval{}, true }, id)
		b.when(func() { g.Share, g.CI = 0, analysis.Interval{} }, c.ans)
		b.le(id, c.ans)
		var members []int
		for _, v := range g.Options {
			if o := optionOf(c.orig, v); o != nil {
				members = append(members, b.sec(o.Count, c.optKeys(v)...))
			}
		}
		b.bounds(id, members, len(members) == len(g.Options))
	}
}

func optionOf(q *analysis.QuestionResult, v string) *analysis.OptionCount {
	for i := range q.Options {
		if q.Options[i].Value == v {
			return &q.Options[i]
		}
	}
	return nil
}

func groupOf(q *analysis.QuestionResult, f string) *analysis.GroupShare {
	for i := range q.Groups {
		if q.Groups[i].Group == f {
			return &q.Groups[i]
		}
	}
	return nil
}

// bounds: a family count is at least each of its members and, when all of
// them are known, at most their sum.
func (b *builder) bounds(fam int, members []int, complete bool) {
	coefs := make([]float64, 0, len(members)+1)
	for _, m := range members {
		b.le(m, fam)
		coefs = append(coefs, 1)
	}
	if complete && len(members) > 0 {
		b.rel(append(append([]int(nil), members...), fam), append(coefs, -1), 0, math.Inf(1))
	}
}

func (c *tableCtx) chosen() {
	b, q := c.b, c.q
	var ids []int
	weights := []float64{}
	for i := range q.ChosenCount {
		cc := &q.ChosenCount[i]
		id := c.pub(cc.Count, c.qk+"/chosen="+cc.Key)
		b.when(func() { cc.Count, cc.Share, cc.Suppressed = 0, 0, true }, id)
		b.when(func() { cc.Share = 0 }, c.ans)
		ids = append(ids, id)
		j, _ := strconv.Atoi(cc.Key)
		weights = append(weights, float64(j))
	}
	b.sum(c.ans, ids...)
	c.chosenMentions(ids, weights)
	if s := q.ChosenStats; s != nil {
		n := c.pub(s.N, c.qk+"/values", c.qk+"/answered")
		b.describe(s)
		b.when(func() { s.N = 0; withhold(s) }, n)
		b.when(func() { withhold(s) }, ids...)
	}
}

// chosenMentions: Σ j·n_j is the number of substantive options ticked
// (neither exclusive nor missing), the sum of their counts.
func (c *tableCtx) chosenMentions(ids []int, weights []float64) {
	b := c.b
	terms, coefs := append([]int(nil), ids...), append([]float64(nil), weights...)
	for _, o := range c.orig.Options {
		if !o.Missing && !o.Exclusive {
			terms = append(terms, b.sec(o.Count, c.optKeys(o.Value)...))
			coefs = append(coefs, -1)
		}
	}
	b.rel(terms, coefs, 0, 0)
}

// groupingOf publishes the table's groups: each group's respondents (the
// counts by region for a grouping by region) and its base.
func (c *tableCtx) groupingOf() []int {
	b, g := c.b, c.t.Grouping
	resp := b.pub(b.responses, keyResponses)
	var rids []int
	bases := make([]int, len(g.Groups))
	for j := range g.Groups {
		grp := &g.Groups[j]
		keys := []string{"responses/by:" + c.gk + "=" + grp.Key}
		switch {
		case c.t.Spec.By == "region":
			keys = []string{"responses/region=" + grp.Key, "q:region/opt:" + grp.Key}
		case len(c.t.Spec.Bands) == 0 && c.t.Spec.By != "language":
			keys = append(keys, "q:"+c.t.Spec.By+"/opt:"+grp.Key)
			if c.t.Spec.By == "org_type" {
				keys = append(keys, "responses/type="+grp.Key)
			}
		}
		rid := c.pub(grp.Respondents, keys...)
		b.when(func() { grp.Respondents = 0 }, rid)
		rids = append(rids, rid)
		bases[j] = c.pub(grp.N, c.byKey("answered", grp.Key), keys[0])
		b.when(func() { grp.N = 0 }, bases[j])
		b.le(bases[j], rid)
	}
	un := []string{"responses/ungrouped:" + c.gk}
	if c.t.Spec.By == "region" {
		un = append(un, "responses/region=unknown")
	}
	b.sum(resp, append(rids, b.sec(g.Ungrouped, un...))...)
	g.Ungrouped = 0
	return bases
}

func (c *tableCtx) crossTab() {
	b, q, ct := c.b, c.q, c.q.CrossTab
	groups := c.t.Grouping.Groups
	colBase := c.groupingOf()
	k := len(groups)
	multi := q.Type == survey.MultiChoice
	families := c.t.Spec.Summary == survey.SummaryGroups && multi
	ct.Suppressed = make([][]bool, len(ct.Rows))
	ct.ColSuppressed = make([]bool, k)
	ct.RowSuppressed = make([]bool, len(ct.Rows))
	ct.RowPct, ct.ColPctAsked, ct.Asked, ct.NotTicked = nil, nil, nil, nil
	cells := append([]int(nil), colBase...)
	for j := range k {
		b.when(func() { ct.ColTotals[j], ct.Answered[j], ct.ColSuppressed[j] = 0, 0, true }, colBase[j])
	}
	total := c.pub(ct.Total, c.qk+"/answered/grouped:"+c.gk)
	b.when(func() { ct.Total, ct.TotalSuppressed = 0, true }, total)
	b.sum(total, colBase...)
	outAns := b.sec(q.Answered-ct.Total, c.qk+"/answered/ungrouped:"+c.gk)
	b.sum(c.ans, total, outAns)
	cells = append(cells, total)
	kind := "/opt:"
	if families {
		kind = "/fam:"
	}
	col := make([][]int, k)
	var outside []int
	for r := range ct.Rows {
		ct.Suppressed[r] = make([]bool, k)
		row := make([]int, k)
		for j := range k {
			row[j] = c.pub(ct.Counts[r][j], c.qk+kind+ct.Rows[r]+"/by:"+c.gk+"="+groups[j].Key)
			b.when(func() { ct.Counts[r][j], ct.ColPct[r][j], ct.Suppressed[r][j] = 0, 0, true }, row[j])
			b.when(func() { ct.ColPct[r][j] = 0 }, colBase[j])
			col[j] = append(col[j], row[j])
			if multi {
				b.le(row[j], colBase[j])
			}
		}
		if families {
			c.familyByGroup(ct.Rows[r], row)
		}
		cells = append(cells, row...)
		rt := c.pub(ct.RowTotals[r], c.qk+kind+ct.Rows[r]+"/grouped:"+c.gk)
		b.when(func() { ct.RowTotals[r], ct.RowSuppressed[r] = 0, true }, rt)
		b.sum(rt, row...)
		cells = append(cells, rt)
		// The row's overall count (the ungrouped table's) is the grouped
		// respondents' plus those outside every group.
		overallValue := -1
		overallKeys := c.optKeys(ct.Rows[r])
		if families {
			overallKeys = []string{c.qk + "/fam:" + ct.Rows[r]}
			if g := groupOf(c.orig, ct.Rows[r]); g != nil {
				overallValue = g.Count
			}
		} else if o := optionOf(c.orig, ct.Rows[r]); o != nil {
			overallValue = o.Count
		}
		if overallValue < 0 {
			continue
		}
		overall := b.sec(overallValue, overallKeys...)
		out := b.sec(overallValue-ct.RowTotals[r], c.qk+kind+ct.Rows[r]+"/ungrouped:"+c.gk)
		b.sum(overall, rt, out)
		outside = append(outside, out)
	}
	if !multi {
		for j := range k {
			b.sum(colBase[j], col[j]...)
		}
		if len(outside) == len(ct.Rows) {
			b.sum(outAns, outside...)
		}
	} else {
		for _, o := range outside {
			b.le(o, outAns)
		}
	}
	b.when(func() { ct.Test, ct.Tests, ct.Warning = nil, nil, "" }, cells...)
}

// familyByGroup bounds a family's by-group counts by its options' by-group
// counts, where another table publishes them (resolved once every table is
// read, so the order of the tables does not matter).
func (c *tableCtx) familyByGroup(fam string, row []int) {
	g := groupOf(c.orig, fam)
	if g == nil {
		return
	}
	groups := c.t.Grouping.Groups
	qk, gk, b := c.qk, c.gk, c.b
	b.pending = append(b.pending, func() {
		for j := range groups {
			var members []int
			for _, o := range g.Options {
				if id, ok := b.byKey[qk+"/opt:"+o+"/by:"+gk+"="+groups[j].Key]; ok {
					members = append(members, id)
				}
			}
			b.bounds(row[j], members, len(members) == len(g.Options))
		}
	})
}

// byGroup publishes descriptives by group: each group's n (a cell; they
// sum, with those outside every group, to the overall n), statistics only
// for groups of at least MinStatsN.
func (c *tableCtx) byGroup(overallKey string) {
	b, q := c.b, c.q
	bases := c.groupingOf()
	groups := c.t.Grouping.Groups
	var ns []int
	total := 0
	for j := range q.ByGroup {
		gn := &q.ByGroup[j]
		keys := []string{c.byKey("values", groups[j].Key), b.qs[bases[j]].key}
		id := c.pub(gn.Stats.N, keys...)
		b.describe(&gn.Stats)
		b.when(func() { gn.Stats.N, gn.NSuppressed = 0, true; withhold(&gn.Stats) }, id)
		ns = append(ns, id)
		total += gn.Stats.N
	}
	overall := b.sec(c.overallValues(), c.qk+"/values", overallKey)
	b.sumOrRest(overall, c.qk+"/values/ungrouped:"+c.gk, ns...)
}

// overallValues is how many values the question's descriptives are of.
func (c *tableCtx) overallValues() int {
	switch {
	case c.orig.Numbers != nil:
		return c.orig.Numbers.N
	case c.orig.ChosenStats != nil:
		return c.orig.ChosenStats.N
	}
	return c.q.Answered
}

func (c *tableCtx) numbers() {
	b, q := c.b, c.q
	d := &q.Numbers.Descriptives
	n := c.pub(d.N, c.qk+"/values", c.qk+"/answered")
	b.le(n, c.ans)
	b.describe(d)
	b.when(func() { d.N = 0; withhold(d) }, n)
	q.Numbers.Outliers, q.Numbers.Histogram = []float64{}, []analysis.Bin{}
	if c.t.Grouping != nil && len(q.ByGroup) > 0 {
		c.byGroup(c.qk + "/values")
	} else {
		q.ByGroup = nil
	}
}

func (c *tableCtx) matrix() {
	b, q := c.b, c.q
	for i := range q.Rows {
		r := &q.Rows[i]
		rk := c.qk + "/row:" + r.ID
		ans := c.pub(r.Answered, rk+"/answered", c.qk+"/answered", keyResponses)
		b.when(func() { r.Answered, r.AnsweredSuppressed = 0, true }, ans)
		asked := c.pub(r.Asked, rk+"/asked", c.qk+"/asked", keyResponses)
		b.when(func() { r.Asked, r.AskedSuppressed = 0, true }, asked)
		b.sum(asked, ans, b.sec(r.Asked-r.Answered, rk+"/no_answer"))
		keyOf := func(v string) []string { return []string{rk + "/opt:" + v} }
		if r.Scale != nil {
			// The scale's own distribution, counted once.
			ids := make([]int, len(r.Scale.Distribution))
			for j, o := range r.Scale.Distribution {
				ids[j] = b.id(o.Count, keyOf(o.Value)...)
			}
			b.sum(ans, ids...)
			c.scale(r.Scale, ids, rk, ans)
			continue
		}
		c.distribution(r.Counts, keyOf, ans, -1)
	}
}

func (c *tableCtx) ranking() {
	b, q := c.b, c.q
	var firsts []int
	for i := range q.Ranking {
		r := &q.Ranking[i]
		rk := c.qk + "/rank:" + r.Value
		ranked := c.pub(r.Ranked, rk+"/ranked")
		b.le(ranked, c.ans)
		first := c.pub(r.FirstCount, rk+"/first")
		b.le(first, ranked)
		firsts = append(firsts, first)
		b.when(func() { r.Ranked, r.RankedSuppressed, r.MeanRank = 0, true, analysis.Float(nan) }, ranked)
		b.when(func() { r.FirstCount, r.FirstShare, r.FirstCI, r.FirstSuppressed = 0, 0, analysis.Interval{}, true }, first)
		b.when(func() { r.FirstShare, r.FirstCI = 0, analysis.Interval{} }, c.ans)
		if r.Ranked < b.rules.MinStatsN {
			r.MeanRank = analysis.Float(nan)
		} else {
			r.MeanRank = analysis.Float(sig2(float64(r.MeanRank)))
		}
	}
	// Each respondent ranks one option first.
	total := 0
	for _, f := range firsts {
		total += b.qs[f].value
	}
	if total == q.Answered {
		b.sum(c.ans, firsts...)
	} else {
		coefs := make([]float64, len(firsts))
		for i := range coefs {
			coefs[i] = 1
		}
		b.rel(append(firsts, c.ans), append(coefs, -1), math.Inf(-1), 0)
	}
}

// correlation publishes Spearman's ρ only for at least MinStatsN pairs in
// a table with no hidden cell.
func (c *tableCtx) correlation() {
	t := c.t
	if t.Correlation == nil {
		return
	}
	if t.Correlation.N < c.b.rules.MinStatsN || math.IsNaN(t.Correlation.Rho) {
		t.Correlation = nil
		return
	}
	n := c.pub(t.Correlation.N, "corr:"+c.q.ID+"~"+t.Spec.Correlate+"/n")
	c.b.le(n, c.ans)
	t.Correlation.Rho, t.Correlation.P = sig2(t.Correlation.Rho), sig2(t.Correlation.P)
	c.b.when(func() { t.Correlation = nil }, c.ids...)
}

// notesOf rewrites a table's notes from what it publishes.
func notesOf(lang string, t *analysis.TableResult, missing []string, notTickedHidden bool) []string {
	if t.Withheld || t.Question == nil {
		return nil
	}
	tmp := *t
	q := *t.Question
	q.Options = nil
	for _, l := range missing {
		q.Options = append(q.Options, analysis.OptionCount{Label: l, Missing: true})
	}
	if q.Type == survey.MultiChoice {
		q.NotTicked = &analysis.Count{Suppressed: notTickedHidden}
	}
	tmp.Question = &q
	return analysis.Notes(lang, tmp)
}
