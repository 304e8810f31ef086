package analysis

import (
	"math"
	"slices"
	"sort"
	"strconv"

	"github.com/metlib/canvass/survey"
)

var nan = math.NaN()

// choiceAcc counts single_choice, likert and country answers, overall and
// per group. Country codes are rows as they appear in the stream.
type choiceAcc struct {
	q        *survey.Question
	idx      map[string]int
	values   []string
	counts   []int
	gCounts  [][]int // group → row → count
	other    []string
	otherKey string
}

func newChoiceAcc(a *questionAcc) *choiceAcc {
	c := &choiceAcc{q: a.q, idx: optionIndex(a.q)}
	for _, o := range a.q.Options {
		c.values = append(c.values, string(o.Value))
	}
	c.counts = make([]int, len(c.values))
	if a.q.HasOther() {
		c.otherKey = a.q.ID + survey.OtherSuffix
	}
	return c
}

func (c *choiceAcc) add(r *survey.Response, v any, g int) {
	if v == nil {
		return
	}
	s := str(v)
	i, ok := c.idx[s]
	if !ok {
		if c.q.Type != survey.Country {
			return
		}
		i = len(c.values)
		c.idx[s] = i
		c.values = append(c.values, s)
		c.counts = append(c.counts, 0)
	}
	c.counts[i]++
	if g >= 0 {
		row := at(&c.gCounts, g)
		*at(row, i)++
	}
	if c.otherKey != "" {
		if t := r.Answers.String(c.otherKey); t != "" {
			c.other = append(c.other, t)
		}
	}
}

func (c *choiceAcc) finish(a *questionAcc, res *QuestionResult) {
	n := a.answered
	if c.q.Type == survey.Country {
		for i, code := range c.values {
			res.Options = append(res.Options, OptionCount{Value: code, Label: code, Count: c.counts[i]})
		}
		sort.Slice(res.Options, func(i, j int) bool {
			x, y := res.Options[i], res.Options[j]
			return x.Count > y.Count || x.Count == y.Count && x.Value < y.Value
		})
	} else {
		for i, o := range c.q.Options {
			res.Options = append(res.Options, a.optionCount(o, c.counts[i]))
			if o.Missing {
				res.Missing += c.counts[i]
			}
		}
	}
	for i := range res.Options {
		res.Options[i].Share, res.Options[i].CI = share(res.Options[i].Count, n), Wilson(res.Options[i].Count, n)
	}
	res.OtherTexts = slices.Clone(c.other)
	if c.q.Type == survey.Likert {
		res.Scale = scaleOf(res.Options)
	}
	if a.summary == survey.SummaryRanked {
		sort.SliceStable(res.Options, func(i, j int) bool { return res.Options[i].Count > res.Options[j].Count })
	}
	if g := a.grouping(); g != nil && c.q.Type != survey.Country {
		res.CrossTab = a.crossTab(g, func(row, grp int) int {
			if grp >= len(c.gCounts) || row >= len(c.gCounts[grp]) {
				return 0
			}
			return c.gCounts[grp][row]
		}, nil)
	}
}

// optionCount starts an option's row: value, labels, group, missing.
func (a *questionAcc) optionCount(o survey.Option, count int) OptionCount {
	oc := OptionCount{Value: string(o.Value), Label: a.p.text(o.Label), Group: o.Group, Missing: o.Missing, Exclusive: o.Exclusive, Count: count}
	if o.Group != "" {
		oc.GroupLabel = a.p.text(a.q.GroupLabel(o.Group))
	}
	return oc
}

// multiAcc counts multi_choice answers: options, pairs chosen together,
// numbers of substantive options chosen, option groups, per group too.
type multiAcc struct {
	q           *survey.Question
	idx         map[string]int
	substantive []bool // per option: neither exclusive nor missing
	missing     []bool
	counts      []int
	co          [][]int
	mentions    int
	chosen      map[int]int
	anyMissing  int
	family      []int // per option, its group's index, −1 none
	families    []string
	famCounts   []int
	gCounts     [][]int       // group → option → count
	gChosen     []map[int]int // group → substantive options chosen → respondents
	gFam        [][]int       // group → option group → respondents choosing any of it
	other       []string
	otherKey    string
	picked      []int
	seen        []bool
}

func newMultiAcc(a *questionAcc) *multiAcc {
	q := a.q
	k := len(q.Options)
	m := &multiAcc{q: q, idx: optionIndex(q), counts: make([]int, k), co: make([][]int, k), chosen: map[int]int{}}
	famIndex := map[string]int{}
	for i, o := range q.Options {
		m.co[i] = make([]int, k)
		m.substantive = append(m.substantive, !o.Exclusive && !o.Missing)
		m.missing = append(m.missing, o.Missing)
		f := -1
		if o.Group != "" {
			var ok bool
			if f, ok = famIndex[o.Group]; !ok {
				f = len(m.families)
				famIndex[o.Group] = f
				m.families = append(m.families, o.Group)
			}
		}
		m.family = append(m.family, f)
	}
	m.famCounts = make([]int, len(m.families))
	m.seen = make([]bool, len(m.families))
	if q.HasOther() {
		m.otherKey = q.ID + survey.OtherSuffix
	}
	return m
}

func (m *multiAcc) add(r *survey.Response, v any, g int) {
	if v == nil {
		return
	}
	m.picked = m.picked[:0]
	for _, code := range strs(v) {
		if i, ok := m.idx[code]; ok {
			m.picked = append(m.picked, i)
		}
	}
	n, missing := 0, false
	clear(m.seen)
	for _, i := range m.picked {
		m.counts[i]++
		m.mentions++
		for _, j := range m.picked {
			m.co[i][j]++
		}
		if m.substantive[i] {
			n++
		}
		missing = missing || m.missing[i]
		if f := m.family[i]; f >= 0 && !m.seen[f] {
			m.seen[f] = true
			m.famCounts[f]++
		}
	}
	m.chosen[n]++
	if missing {
		m.anyMissing++
	}
	if g >= 0 {
		row := at(&m.gCounts, g)
		grow(row, len(m.counts))
		for _, i := range m.picked {
			(*row)[i]++
		}
		hist := at(&m.gChosen, g)
		if *hist == nil {
			*hist = map[int]int{}
		}
		(*hist)[n]++
		fam := at(&m.gFam, g)
		grow(fam, len(m.families))
		for f, seen := range m.seen {
			if seen {
				(*fam)[f]++
			}
		}
	}
	if m.otherKey != "" {
		if t := r.Answers.String(m.otherKey); t != "" {
			m.other = append(m.other, t)
		}
	}
}

// values expands a histogram of counts into the sample it describes.
func values(hist map[int]int) []float64 {
	n := 0
	for _, c := range hist {
		n += c
	}
	xs := make([]float64, 0, n)
	for v, c := range hist {
		for range c {
			xs = append(xs, float64(v))
		}
	}
	return xs
}

func (m *multiAcc) finish(a *questionAcc, res *QuestionResult) {
	n := a.answered
	res.Mentions = m.mentions
	res.Missing = m.anyMissing
	for i, o := range m.q.Options {
		oc := a.optionCount(o, m.counts[i])
		oc.Share, oc.CI = share(oc.Count, n), Wilson(oc.Count, n)
		sa, ca := share(oc.Count, a.asked), Wilson(oc.Count, a.asked)
		ms := share(oc.Count, m.mentions)
		oc.ShareAsked, oc.CIAsked, oc.MentionShare = &sa, &ca, &ms
		res.Options = append(res.Options, oc)
	}
	if a.asked > 0 {
		res.NotTicked = &Count{Key: "not_ticked", Label: message(a.p.lang, "not_ticked_label"), Count: a.asked - n, Share: share(a.asked-n, a.asked)}
	}
	maxChosen := 0
	for c := range m.chosen {
		maxChosen = max(maxChosen, c)
	}
	for c := 0; c <= maxChosen && n > 0; c++ {
		res.ChosenCount = append(res.ChosenCount, Count{Key: strconv.Itoa(c), Count: m.chosen[c], Share: share(m.chosen[c], n)})
	}
	d := Describe(values(m.chosen))
	res.ChosenStats = &d
	k := len(m.q.Options)
	// Results of tables sharing this accumulator get their own copies.
	cooc := &CoOccurrence{Counts: make([][]int, k), Phi: make([][]Float, k)}
	for i := range m.co {
		cooc.Counts[i] = slices.Clone(m.co[i])
	}
	for i, o := range m.q.Options {
		cooc.Options = append(cooc.Options, string(o.Value))
		cooc.Phi[i] = make([]Float, k)
		for j := range m.q.Options {
			n11 := m.co[i][j]
			n10 := m.counts[i] - n11
			n01 := m.counts[j] - n11
			n00 := n - n11 - n10 - n01
			cooc.Phi[i][j] = Float(Phi(n11, n10, n01, n00))
		}
	}
	res.CoOccurrence = cooc
	res.OtherTexts = slices.Clone(m.other)
	if a.summary == survey.SummaryGroups {
		for f, code := range m.families {
			gs := GroupShare{Group: code, Label: a.p.text(m.q.GroupLabel(code)), Count: m.famCounts[f]}
			for i, o := range m.q.Options {
				if m.family[i] == f {
					gs.Options = append(gs.Options, string(o.Value))
				}
			}
			gs.Share, gs.CI = share(gs.Count, n), Wilson(gs.Count, n)
			res.Groups = append(res.Groups, gs)
		}
	}
	if a.summary == survey.SummaryRanked {
		sort.SliceStable(res.Options, func(i, j int) bool { return res.Options[i].Count > res.Options[j].Count })
	}
	g := a.grouping()
	if g == nil {
		return
	}
	if a.summary == survey.SummaryCount {
		grow(&m.gChosen, len(g.Groups))
		for i, grp := range g.Groups {
			res.ByGroup = append(res.ByGroup, GroupNumbers{Group: grp.Key, Stats: Describe(values(m.gChosen[i]))})
		}
		return
	}
	if a.summary == survey.SummaryGroups && len(m.families) > 0 {
		// Families by group: respondents of the group who chose any option
		// of the family, on the options' bases (respondents who ticked
		// something), with a 2×k test per family.
		rows := make([]ctRow, len(m.families))
		for f, code := range m.families {
			rows[f] = ctRow{value: code, label: res.Groups[f].Label}
			if rows[f].label == "" {
				rows[f].label = code
			}
		}
		res.CrossTab = a.crossTabOf(g, rows, func(row, grp int) int {
			if grp >= len(m.gFam) || row >= len(m.gFam[grp]) {
				return 0
			}
			return m.gFam[grp][row]
		}, make([]bool, len(rows)))
		return
	}
	res.CrossTab = a.crossTab(g, func(row, grp int) int {
		if grp >= len(m.gCounts) || row >= len(m.gCounts[grp]) {
			return 0
		}
		return m.gCounts[grp][row]
	}, m.missing)
}

// matrixAcc counts each row's answers; rows have their own show_if.
type matrixAcc struct {
	q      *survey.Question
	idx    map[string]int
	asked  []int
	counts [][]int // row → option → count
}

func newMatrixAcc(a *questionAcc) *matrixAcc {
	m := &matrixAcc{q: a.q, idx: optionIndex(a.q), asked: make([]int, len(a.q.Rows)), counts: make([][]int, len(a.q.Rows))}
	for i := range m.counts {
		m.counts[i] = make([]int, len(a.q.Options))
	}
	return m
}

func (m *matrixAcc) add(r *survey.Response, v any, _ int) {
	answers := rows(v)
	for i, row := range m.q.Rows {
		if row.ShowIf.Holds(r.Answers) {
			m.asked[i]++
		}
		if code, ok := answers[row.ID]; ok {
			if o, ok := m.idx[code]; ok {
				m.counts[i][o]++
			}
		}
	}
}

func (m *matrixAcc) finish(a *questionAcc, res *QuestionResult) {
	for i, row := range m.q.Rows {
		rs := RowSummary{ID: row.ID, Label: a.p.text(row.Label), Asked: m.asked[i]}
		for _, c := range m.counts[i] {
			rs.Answered += c
		}
		dist := make([]OptionCount, len(m.q.Options))
		for j, o := range m.q.Options {
			dist[j] = a.optionCount(o, m.counts[i][j])
			dist[j].Share, dist[j].CI = share(dist[j].Count, rs.Answered), Wilson(dist[j].Count, rs.Answered)
		}
		if sc := scaleOf(dist); sc != nil {
			rs.Scale = sc
		} else {
			rs.Counts = dist
		}
		res.Rows = append(res.Rows, rs)
	}
}

// scaleOf summarizes a distribution over numeric option values, leaving
// out missing options; nil when a substantive option is not a number.
// Mean, SD (n − 1) and median (type 7) are computed from the counts.
func scaleOf(dist []OptionCount) *ScaleSummary {
	s := &ScaleSummary{Distribution: dist, Mean: Float(nan), SD: Float(nan), Median: Float(nan)}
	type point struct {
		v float64
		c int
	}
	var points []point
	for _, o := range dist {
		if o.Missing {
			s.Missing += o.Count
			continue
		}
		v, err := strconv.ParseFloat(o.Value, 64)
		if err != nil {
			return nil
		}
		points = append(points, point{v, o.Count})
		s.N += o.Count
	}
	sort.Slice(points, func(i, j int) bool { return points[i].v < points[j].v })
	for k := 0; k < 2 && k < len(points); k++ {
		s.TopTwoCount += points[len(points)-1-k].c
	}
	s.TopTwoShare, s.TopTwoCI = share(s.TopTwoCount, s.N), Wilson(s.TopTwoCount, s.N)
	if s.N == 0 {
		return s
	}
	n := float64(s.N)
	sum := 0.0
	for _, p := range points {
		sum += p.v * float64(p.c)
	}
	mean := sum / n
	s.Mean = Float(mean)
	if s.N > 1 {
		ss := 0.0
		for _, p := range points {
			ss += float64(p.c) * (p.v - mean) * (p.v - mean)
		}
		s.SD = Float(math.Sqrt(ss / (n - 1)))
	}
	// The i-th (0-based) value of the sorted sample, read off the counts.
	nth := func(i int) float64 {
		for _, p := range points {
			if i < p.c {
				return p.v
			}
			i -= p.c
		}
		return points[len(points)-1].v
	}
	h := (n - 1) * 0.5
	lo := int(math.Floor(h))
	s.Median = Float(nth(lo) + (h-float64(lo))*(nth(min(lo+1, s.N-1))-nth(lo)))
	return s
}

// numberSummary gives descriptives, Tukey's outliers and a histogram with
// Sturges' number of equal-width bins, ⌈log₂ n⌉ + 1.
func numberSummary(xs []float64) *NumberSummary {
	ns := &NumberSummary{Descriptives: Describe(xs), Outliers: []float64{}, Histogram: []Bin{}}
	if len(xs) == 0 {
		return ns
	}
	iqr := ns.Q3 - ns.Q1
	lo, hi := ns.Q1-1.5*iqr, ns.Q3+1.5*iqr
	for _, x := range xs {
		if x < lo || x > hi {
			ns.Outliers = append(ns.Outliers, x)
		}
	}
	sort.Float64s(ns.Outliers)
	if ns.Min == ns.Max {
		ns.Histogram = []Bin{{From: ns.Min, To: ns.Max, Count: len(xs)}}
		return ns
	}
	k := int(math.Ceil(math.Log2(float64(len(xs))))) + 1
	width := (ns.Max - ns.Min) / float64(k)
	ns.Histogram = make([]Bin, k)
	for i := range ns.Histogram {
		ns.Histogram[i].From = ns.Min + float64(i)*width
	}
	for i := 0; i < k-1; i++ {
		ns.Histogram[i].To = ns.Histogram[i+1].From // the very same number: no gap, no overlap
	}
	ns.Histogram[k-1].To = ns.Max
	for _, x := range xs {
		// The division guesses the bin; rounding can put an edge value one
		// off, so the published bounds decide.
		i := min(max(int((x-ns.Min)/width), 0), k-1)
		for i > 0 && x < ns.Histogram[i].From {
			i--
		}
		for i < k-1 && x >= ns.Histogram[i].To {
			i++
		}
		ns.Histogram[i].Count++
	}
	return ns
}
