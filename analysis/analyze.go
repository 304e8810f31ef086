package analysis

import (
	"math"
	"sort"
	"strconv"

	"github.com/metlib/canvass/survey"
)

// Options controls an analysis.
type Options struct {
	// Lang is the language of labels (default: the survey's).
	Lang string
	// By groups respondents for cross-tabulations: "region", "language",
	// or a single_choice, likert, country or number question (with Bands).
	By    string
	Bands []float64
}

// Result is the analysis of a survey's responses.
type Result struct {
	Survey    string            `json:"survey"`
	Version   int               `json:"version"`
	Language  string            `json:"language"`
	Responses int               `json:"responses"` // submitted responses analysed
	By        *Grouping         `json:"by,omitempty"`
	Questions []*QuestionResult `json:"questions"`
}

// Analyze summarizes every question of s over the stream of responses,
// which the caller has filtered (see survey.ResponseFilter); responses that
// are not submitted are skipped. It stops at the stream's first error and
// returns it. Questions hidden by show_if count as not asked, never as not
// answered: each summary reports both bases.
func Analyze(s *survey.Survey, responses survey.Responses, opts Options) (*Result, error) {
	a, err := newAnalyzer(s, responses, opts)
	if err != nil {
		return nil, err
	}
	res := &Result{Survey: s.Slug, Version: s.Version, Language: a.lang, Responses: len(a.rs), By: a.grouping}
	for _, q := range s.Questions() {
		res.Questions = append(res.Questions, a.question(q, ""))
	}
	return res, nil
}

// analyzer holds what every question's summary needs.
type analyzer struct {
	s        *survey.Survey
	lang     string
	rs       []*survey.Response
	asked    [][]bool       // per response, per question position
	position map[string]int // question id → position in s.Questions()
	// cols holds each answer key's values, one per response, read in one
	// pass over the responses: every table then scans contiguous slices
	// instead of hashing into each response's map (which was most of the
	// time at 100,000 responses).
	cols     map[string][]any
	grouping *Grouping
	groupOf  []int // index into grouping.Groups per response, −1 for none
}

func newAnalyzer(s *survey.Survey, responses survey.Responses, opts Options) (*analyzer, error) {
	a := &analyzer{s: s, lang: opts.Lang}
	if a.lang == "" || !s.HasLanguage(a.lang) {
		a.lang = s.DefaultLanguage
	}
	for r, err := range responses {
		if err != nil {
			return nil, err
		}
		if r.Status == survey.ResponseSubmitted {
			a.rs = append(a.rs, r)
		}
	}
	a.position = map[string]int{}
	for i, q := range s.Questions() {
		a.position[q.ID] = i
	}
	a.asked = make([][]bool, len(a.rs))
	var keys []string
	for _, q := range s.Questions() {
		keys = append(keys, q.ID)
		if q.HasOther() {
			keys = append(keys, q.ID+survey.OtherSuffix)
		}
	}
	a.cols = make(map[string][]any, len(keys))
	cols := make([][]any, len(keys))
	for k, key := range keys {
		cols[k] = make([]any, len(a.rs))
		a.cols[key] = cols[k]
	}
	for i, r := range a.rs {
		a.asked[i] = s.Asked(r.Answers)
		for k, key := range keys {
			cols[k][i] = r.Answers[key]
		}
	}
	if opts.By != "" {
		if err := a.group(opts.By, opts.Bands); err != nil {
			return nil, err
		}
	}
	return a, nil
}

func (a *analyzer) text(t survey.Text) string { return t.In(a.lang, a.s.DefaultLanguage) }

// QuestionResult summarizes one question. Which fields are set depends on
// its type; Asked and Answered are always there.
type QuestionResult struct {
	ID       string      `json:"id"`
	Type     survey.Type `json:"type"`
	Label    string      `json:"label"`
	Asked    int         `json:"asked"`
	Answered int         `json:"answered"`

	// Options: single_choice, likert, multi_choice, country. For
	// multi_choice, Share is of respondents (Answered) and MentionShare of
	// all options chosen (Mentions).
	Options  []OptionCount `json:"options,omitempty"`
	Mentions int           `json:"mentions,omitempty"`
	// ChosenCount is, for multi_choice, how many respondents chose 0, 1, 2…
	// options, with descriptives of that number.
	ChosenCount  []Count        `json:"chosen_count,omitempty"`
	ChosenStats  *Descriptives  `json:"chosen_stats,omitempty"`
	CoOccurrence *CoOccurrence  `json:"co_occurrence,omitempty"`
	Groups       []GroupShare   `json:"option_groups,omitempty"`
	Scale        *ScaleSummary  `json:"scale,omitempty"`
	Rows         []RowSummary   `json:"rows,omitempty"`
	Numbers      *NumberSummary `json:"numbers,omitempty"`
	Ranking      []RankSummary  `json:"ranking,omitempty"`
	Terms        []Count        `json:"terms,omitempty"`
	// Texts lists free-text answers (text, long_text, url) for coding;
	// email answers are personal and never listed.
	Texts      []string  `json:"texts,omitempty"`
	OtherTexts []string  `json:"other_texts,omitempty"`
	CrossTab   *CrossTab `json:"cross_tab,omitempty"`
	// ByGroup holds descriptives per group for numeric summaries.
	ByGroup []GroupNumbers `json:"by_group,omitempty"`
}

// OptionCount is how many chose an option.
type OptionCount struct {
	Value        string   `json:"value"`
	Label        string   `json:"label"`
	Group        string   `json:"group,omitempty"`
	Count        int      `json:"count"`
	Share        float64  `json:"share"` // of Answered; NaN-free: 0 when Answered is 0
	CI           Interval `json:"ci"`    // Wilson 95%
	MentionShare *float64 `json:"mention_share,omitempty"`
}

// Count is a labelled count.
type Count struct {
	Key   string  `json:"key"`
	Count int     `json:"count"`
	Share float64 `json:"share"`
}

// GroupShare is, for an option group (such as an ISO 16439 evidence
// family), how many respondents chose at least one of its options.
type GroupShare struct {
	Group   string   `json:"group"`
	Options []string `json:"options"`
	Count   int      `json:"count"`
	Share   float64  `json:"share"`
	CI      Interval `json:"ci"`
}

// CoOccurrence counts how often two options were chosen together, with the
// phi coefficient of each pair (NaN when an option was chosen by all or none).
type CoOccurrence struct {
	Options []string  `json:"options"`
	Counts  [][]int   `json:"counts"`
	Phi     [][]Float `json:"phi"`
}

// Float is a float64 that encodes NaN and infinities as JSON null (JSON has
// no NaN), for statistics that are undefined on some data.
type Float float64

// MarshalJSON implements json.Marshaler.
func (f Float) MarshalJSON() ([]byte, error) {
	v := float64(f)
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return []byte("null"), nil
	}
	return strconv.AppendFloat(nil, v, 'g', -1, 64), nil
}

// ScaleSummary describes answers on a numeric scale (likert, matrix rows
// with numeric options).
type ScaleSummary struct {
	Distribution []OptionCount `json:"distribution"`
	Mean         float64       `json:"mean"`
	SD           float64       `json:"sd"`
	Median       float64       `json:"median"`
	// TopTwo is the share choosing one of the two highest scale points.
	TopTwoCount int      `json:"top_two_count"`
	TopTwoShare float64  `json:"top_two_share"`
	TopTwoCI    Interval `json:"top_two_ci"`
}

// RowSummary is one matrix row.
type RowSummary struct {
	ID       string        `json:"id"`
	Label    string        `json:"label"`
	Asked    int           `json:"asked"`
	Answered int           `json:"answered"`
	Scale    *ScaleSummary `json:"scale,omitempty"`        // numeric options
	Counts   []OptionCount `json:"distribution,omitempty"` // other options
}

// NumberSummary describes a number question.
type NumberSummary struct {
	Descriptives
	// Outliers lie beyond 1.5 interquartile ranges from the quartiles (Tukey's fences).
	Outliers  []float64 `json:"outliers"`
	Histogram []Bin     `json:"histogram"`
}

// Bin is a histogram bin [From, To) (the last one includes To).
type Bin struct {
	From  float64 `json:"from"`
	To    float64 `json:"to"`
	Count int     `json:"count"`
}

// RankSummary describes one option of a ranking question.
type RankSummary struct {
	Value      string   `json:"value"`
	Label      string   `json:"label"`
	Ranked     int      `json:"ranked"`    // respondents who ranked it
	MeanRank   float64  `json:"mean_rank"` // over those respondents; 0 when none
	FirstCount int      `json:"first_count"`
	FirstShare float64  `json:"first_share"` // of Answered
	FirstCI    Interval `json:"first_ci"`
}

func share(x, n int) float64 {
	if n == 0 {
		return 0
	}
	return float64(x) / float64(n)
}

func (a *analyzer) question(q *survey.Question, summary string) *QuestionResult {
	res := &QuestionResult{ID: q.ID, Type: q.Type, Label: a.text(q.Label)}
	var answered []int // indexes of the responses that answered
	pos := a.position[q.ID]
	col := a.cols[q.ID]
	for i := range a.rs {
		if !a.asked[i][pos] {
			continue
		}
		res.Asked++
		if col[i] != nil {
			answered = append(answered, i)
		}
	}
	res.Answered = len(answered)
	switch q.Type {
	case survey.SingleChoice, survey.Country:
		res.Options = a.singleCounts(q, answered)
		res.OtherTexts = a.otherTexts(q, answered)
	case survey.Likert:
		res.Options = a.singleCounts(q, answered)
		res.Scale = scaleOf(res.Options, res.Answered)
	case survey.MultiChoice:
		a.multi(q, answered, res)
		if summary == survey.SummaryGroups {
			res.Groups = a.groupShares(q, answered)
		}
	case survey.Matrix:
		res.Rows = a.matrix(q, answered)
	case survey.Number:
		res.Numbers = numberSummary(a.numbers(q.ID, answered))
	case survey.Ranking:
		res.Ranking = a.ranking(q, answered)
	case survey.ShortText, survey.LongText, survey.URL:
		for _, i := range answered {
			res.Texts = append(res.Texts, col[i].(string))
		}
		if q.Type != survey.URL {
			res.Terms = topTerms(res.Texts, a.s.Languages, 25)
		}
	}
	if summary == survey.SummaryRanked {
		sort.SliceStable(res.Options, func(i, j int) bool { return res.Options[i].Count > res.Options[j].Count })
	}
	if a.grouping != nil {
		a.crossTab(q, answered, res, summary)
	}
	return res
}

// str, strs, rows and num read one response's answer from a column.
func str(v any) string             { s, _ := v.(string); return s }
func strs(v any) []string          { s, _ := v.([]string); return s }
func rows(v any) map[string]string { m, _ := v.(map[string]string); return m }
func num(v any) (float64, bool)    { f, ok := v.(float64); return f, ok }

func (a *analyzer) singleCounts(q *survey.Question, answered []int) []OptionCount {
	counts := map[string]int{}
	col := a.cols[q.ID]
	for _, i := range answered {
		counts[str(col[i])]++
	}
	var out []OptionCount
	if q.Type == survey.Country {
		for code, n := range counts {
			out = append(out, OptionCount{Value: code, Label: code, Count: n})
		}
		sort.Slice(out, func(i, j int) bool {
			return out[i].Count > out[j].Count || out[i].Count == out[j].Count && out[i].Value < out[j].Value
		})
	} else {
		for _, o := range q.Options {
			out = append(out, OptionCount{Value: string(o.Value), Label: a.text(o.Label), Group: o.Group, Count: counts[string(o.Value)]})
		}
	}
	for i := range out {
		out[i].Share = share(out[i].Count, len(answered))
		out[i].CI = Wilson(out[i].Count, len(answered))
	}
	return out
}

func (a *analyzer) otherTexts(q *survey.Question, answered []int) []string {
	col := a.cols[q.ID+survey.OtherSuffix]
	if col == nil {
		return nil
	}
	var out []string
	for _, i := range answered {
		if t := str(col[i]); t != "" {
			out = append(out, t)
		}
	}
	return out
}

// scaleOf summarizes a distribution over numeric option values.
func scaleOf(dist []OptionCount, n int) *ScaleSummary {
	s := &ScaleSummary{Distribution: dist}
	var values []float64
	type point struct {
		v float64
		i int
	}
	var points []point
	for i, o := range dist {
		v, err := strconv.ParseFloat(o.Value, 64)
		if err != nil {
			return nil
		}
		points = append(points, point{v, i})
		for k := 0; k < o.Count; k++ {
			values = append(values, v)
		}
	}
	if n > 0 {
		d := Describe(values)
		s.Mean, s.SD, s.Median = d.Mean, d.SD, d.Median
	}
	sort.Slice(points, func(i, j int) bool { return points[i].v > points[j].v })
	for k := 0; k < 2 && k < len(points); k++ {
		s.TopTwoCount += dist[points[k].i].Count
	}
	s.TopTwoShare = share(s.TopTwoCount, n)
	s.TopTwoCI = Wilson(s.TopTwoCount, n)
	return s
}

func (a *analyzer) multi(q *survey.Question, answered []int, res *QuestionResult) {
	col := a.cols[q.ID]
	idx := map[string]int{}
	res.Options = make([]OptionCount, len(q.Options))
	for i, o := range q.Options {
		idx[string(o.Value)] = i
		res.Options[i] = OptionCount{Value: string(o.Value), Label: a.text(o.Label), Group: o.Group}
	}
	k := len(q.Options)
	co := make([][]int, k)
	for i := range co {
		co[i] = make([]int, k)
	}
	chosen := map[int]int{}
	counts := make([]float64, 0, len(answered))
	var picked []int
	for _, ri := range answered {
		list := strs(col[ri])
		chosen[len(list)]++
		counts = append(counts, float64(len(list)))
		picked = picked[:0]
		for _, v := range list {
			if i, ok := idx[v]; ok {
				picked = append(picked, i)
			}
		}
		for _, i := range picked {
			res.Options[i].Count++
			res.Mentions++
			for _, j := range picked {
				co[i][j]++
			}
		}
	}
	n := len(answered)
	for i := range res.Options {
		o := &res.Options[i]
		o.Share, o.CI = share(o.Count, n), Wilson(o.Count, n)
		m := share(o.Count, res.Mentions)
		o.MentionShare = &m
	}
	maxChosen := 0
	for c := range chosen {
		maxChosen = max(maxChosen, c)
	}
	for c := 0; c <= maxChosen && n > 0; c++ {
		res.ChosenCount = append(res.ChosenCount, Count{Key: strconv.Itoa(c), Count: chosen[c], Share: share(chosen[c], n)})
	}
	d := Describe(counts)
	res.ChosenStats = &d
	cooc := &CoOccurrence{Counts: co, Phi: make([][]Float, k)}
	for i := range q.Options {
		cooc.Options = append(cooc.Options, string(q.Options[i].Value))
		cooc.Phi[i] = make([]Float, k)
		for j := range q.Options {
			n11 := co[i][j]
			n10 := res.Options[i].Count - n11
			n01 := res.Options[j].Count - n11
			n00 := n - n11 - n10 - n01
			cooc.Phi[i][j] = Float(Phi(n11, n10, n01, n00))
		}
	}
	res.CoOccurrence = cooc
	res.OtherTexts = a.otherTexts(q, answered)
}

func (a *analyzer) groupShares(q *survey.Question, answered []int) []GroupShare {
	col := a.cols[q.ID]
	var order []string
	members := map[string][]string{}
	for _, o := range q.Options {
		if o.Group == "" {
			continue
		}
		if _, ok := members[o.Group]; !ok {
			order = append(order, o.Group)
		}
		members[o.Group] = append(members[o.Group], string(o.Value))
	}
	out := make([]GroupShare, len(order))
	groupOf := map[string]int{}
	for i, g := range order {
		out[i] = GroupShare{Group: g, Options: members[g]}
		for _, v := range members[g] {
			groupOf[v] = i
		}
	}
	seen := make([]bool, len(order))
	for _, i := range answered {
		clear(seen)
		for _, v := range strs(col[i]) {
			if g, ok := groupOf[v]; ok && !seen[g] {
				seen[g] = true
				out[g].Count++
			}
		}
	}
	for i := range out {
		out[i].Share, out[i].CI = share(out[i].Count, len(answered)), Wilson(out[i].Count, len(answered))
	}
	return out
}

func (a *analyzer) matrix(q *survey.Question, answered []int) []RowSummary {
	var out []RowSummary
	col := a.cols[q.ID]
	for _, row := range q.Rows {
		rs := RowSummary{ID: row.ID, Label: a.text(row.Label)}
		counts := map[string]int{}
		pos := a.position[q.ID]
		for i, r := range a.rs {
			if a.asked[i][pos] && row.ShowIf.Holds(r.Answers) {
				rs.Asked++
			}
		}
		for _, i := range answered {
			if v, ok := rows(col[i])[row.ID]; ok {
				counts[v]++
				rs.Answered++
			}
		}
		dist := make([]OptionCount, len(q.Options))
		for i, o := range q.Options {
			c := counts[string(o.Value)]
			dist[i] = OptionCount{Value: string(o.Value), Label: a.text(o.Label), Count: c, Share: share(c, rs.Answered), CI: Wilson(c, rs.Answered)}
		}
		if sc := scaleOf(dist, rs.Answered); sc != nil {
			rs.Scale = sc
		} else {
			rs.Counts = dist
		}
		out = append(out, rs)
	}
	return out
}

func (a *analyzer) numbers(id string, answered []int) []float64 {
	out := make([]float64, 0, len(answered))
	col := a.cols[id]
	for _, i := range answered {
		if v, ok := num(col[i]); ok {
			out = append(out, v)
		}
	}
	return out
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
	k := int(math.Ceil(math.Log2(float64(len(xs))))) + 1
	if ns.Min == ns.Max {
		ns.Histogram = []Bin{{From: ns.Min, To: ns.Max, Count: len(xs)}}
		return ns
	}
	width := (ns.Max - ns.Min) / float64(k)
	ns.Histogram = make([]Bin, k)
	for i := range ns.Histogram {
		ns.Histogram[i] = Bin{From: ns.Min + float64(i)*width, To: ns.Min + float64(i+1)*width}
	}
	ns.Histogram[k-1].To = ns.Max
	for _, x := range xs {
		i := int((x - ns.Min) / width)
		if i >= k {
			i = k - 1
		}
		ns.Histogram[i].Count++
	}
	return ns
}

func (a *analyzer) ranking(q *survey.Question, answered []int) []RankSummary {
	col := a.cols[q.ID]
	out := make([]RankSummary, len(q.Options))
	idx := map[string]int{}
	sums := make([]float64, len(q.Options))
	for i, o := range q.Options {
		idx[string(o.Value)] = i
		out[i] = RankSummary{Value: string(o.Value), Label: a.text(o.Label)}
	}
	for _, ri := range answered {
		for pos, v := range strs(col[ri]) {
			i, ok := idx[v]
			if !ok {
				continue
			}
			out[i].Ranked++
			sums[i] += float64(pos + 1)
			if pos == 0 {
				out[i].FirstCount++
			}
		}
	}
	for i := range out {
		if out[i].Ranked > 0 {
			out[i].MeanRank = sums[i] / float64(out[i].Ranked)
		}
		out[i].FirstShare, out[i].FirstCI = share(out[i].FirstCount, len(answered)), Wilson(out[i].FirstCount, len(answered))
	}
	return out
}
