package analysis

import (
	"fmt"
	"strconv"

	"github.com/metlib/canvass/survey"
)

// pass reads a stream of responses once and feeds every accumulator: the
// groupings first (each response's group in each), then the questions' and
// the correlations' accumulators. Nothing keeps the responses themselves.
type pass struct {
	s        *survey.Survey
	lang     string
	position map[string]int // question id → position in s.Questions()
	groupers []*grouper
	byKey    map[string]int // grouping key → index in groupers
	accs     []*questionAcc
	accOf    map[string]*questionAcc // question id and grouper → its accumulator
	pairs    []*pairAcc
	n        int   // submitted responses read
	groupOf  []int // per grouper, the current response's group (−1 none)
}

func newPass(s *survey.Survey, lang string) *pass {
	p := &pass{s: s, lang: lang, position: map[string]int{}, byKey: map[string]int{}, accOf: map[string]*questionAcc{}}
	if p.lang == "" || !s.HasLanguage(p.lang) {
		p.lang = s.DefaultLanguage
	}
	for i, q := range s.Questions() {
		p.position[q.ID] = i
	}
	return p
}

func (p *pass) text(t survey.Text) string { return t.In(p.lang, p.s.DefaultLanguage) }

// grouper returns the index of the grouping by (with bands), made once
// however many tables use it.
func (p *pass) grouper(by string, bands []float64) (int, error) {
	key := fmt.Sprint(by, bands)
	if i, ok := p.byKey[key]; ok {
		return i, nil
	}
	g, err := newGrouper(p, by, bands)
	if err != nil {
		return -1, err
	}
	p.groupers = append(p.groupers, g)
	p.byKey[key] = len(p.groupers) - 1
	return len(p.groupers) - 1, nil
}

// add returns the accumulator of one question grouped by grouper g (−1 for
// none). Tables of the same question and grouping share it (the summary
// only chooses what result shows): the impact report's six tables of
// methods_used need three.
func (p *pass) add(q *survey.Question, g int) *questionAcc {
	key := q.ID + "|" + strconv.Itoa(g)
	if a, ok := p.accOf[key]; ok {
		return a
	}
	a := &questionAcc{p: p, q: q, pos: p.position[q.ID], grouper: g}
	p.accOf[key] = a
	switch q.Type {
	case survey.SingleChoice, survey.Likert, survey.Country:
		a.kind = newChoiceAcc(a)
	case survey.MultiChoice:
		a.kind = newMultiAcc(a)
	case survey.Matrix:
		a.kind = newMatrixAcc(a)
	case survey.Number:
		a.kind = &numberAcc{}
	case survey.Ranking:
		a.kind = newRankingAcc(a)
	case survey.ShortText, survey.LongText, survey.URL:
		a.kind = &textAcc{}
	default:
		a.kind = nopAcc{}
	}
	p.accs = append(p.accs, a)
	return a
}

// run reads the stream, skipping responses that are not submitted.
func (p *pass) run(responses survey.Responses) error {
	p.groupOf = make([]int, len(p.groupers))
	for r, err := range responses {
		if err != nil {
			return err
		}
		if r.Status != survey.ResponseSubmitted {
			continue
		}
		p.n++
		asked := p.s.Asked(r.Answers)
		for i, g := range p.groupers {
			p.groupOf[i] = g.assign(r)
		}
		for _, a := range p.accs {
			if !asked[a.pos] {
				continue
			}
			g := -1
			if a.grouper >= 0 {
				g = p.groupOf[a.grouper]
			}
			a.add(r, g)
		}
		for _, c := range p.pairs {
			c.add(r)
		}
	}
	return nil
}

// questionAcc accumulates one question's summary: its bases, overall and
// per group, and what its type needs (kind).
type questionAcc struct {
	p                 *pass
	q                 *survey.Question
	pos               int
	summary           string // of the result being made
	grouper           int
	asked, answered   int
	gAsked, gAnswered []int // per group
	kind              kindAcc
}

// kindAcc is what a question type keeps. add is called for every
// respondent who was asked, with the answer (nil when unanswered) and the
// respondent's group (−1 for none or ungrouped); finish fills in the result.
type kindAcc interface {
	add(r *survey.Response, v any, g int)
	finish(a *questionAcc, res *QuestionResult)
}

func (a *questionAcc) add(r *survey.Response, g int) {
	v := r.Answers[a.q.ID]
	a.asked++
	if v != nil {
		a.answered++
	}
	if g >= 0 {
		*at(&a.gAsked, g)++
		if v != nil {
			*at(&a.gAnswered, g)++
		}
	}
	a.kind.add(r, v, g)
}

// grouping is the accumulator's grouping, or nil.
func (a *questionAcc) grouping() *Grouping {
	if a.grouper < 0 {
		return nil
	}
	return a.p.groupers[a.grouper].g
}

// result summarizes the question as summary (a report table's; "" for options).
func (a *questionAcc) result(summary string) *QuestionResult {
	a.summary = summary
	res := &QuestionResult{ID: a.q.ID, Type: a.q.Type, Label: a.p.text(a.q.Label), Asked: a.asked, Answered: a.answered}
	if g := a.grouping(); g != nil {
		grow(&a.gAsked, len(g.Groups))
		grow(&a.gAnswered, len(g.Groups))
	}
	a.kind.finish(a, res)
	return res
}

// at returns element i of a per-group slice, growing it as groups appear
// (country groups are found in the stream).
func at[T any](s *[]T, i int) *T {
	grow(s, i+1)
	return &(*s)[i]
}

func grow[T any](s *[]T, n int) {
	for len(*s) < n {
		var zero T
		*s = append(*s, zero)
	}
}

type nopAcc struct{}

func (nopAcc) add(*survey.Response, any, int)       {}
func (nopAcc) finish(*questionAcc, *QuestionResult) {}

// textAcc keeps free texts, for listing and top terms.
type textAcc struct{ texts []string }

func (t *textAcc) add(_ *survey.Response, v any, _ int) {
	if s := str(v); s != "" {
		t.texts = append(t.texts, s)
	}
}

func (t *textAcc) finish(a *questionAcc, res *QuestionResult) {
	res.Texts = t.texts
	if a.q.Type != survey.URL {
		res.Terms = topTerms(t.texts, a.p.s.Languages, 25)
	}
}

// numberAcc keeps the numbers (quantiles need them all), overall and per group.
type numberAcc struct {
	xs  []float64
	gxs [][]float64
}

func (n *numberAcc) add(_ *survey.Response, v any, g int) {
	x, ok := num(v)
	if !ok {
		return
	}
	n.xs = append(n.xs, x)
	if g >= 0 {
		gs := at(&n.gxs, g)
		*gs = append(*gs, x)
	}
}

func (n *numberAcc) finish(a *questionAcc, res *QuestionResult) {
	res.Numbers = numberSummary(n.xs)
	if g := a.grouping(); g != nil {
		grow(&n.gxs, len(g.Groups))
		for i, grp := range g.Groups {
			res.ByGroup = append(res.ByGroup, GroupNumbers{Group: grp.Key, Stats: Describe(n.gxs[i])})
		}
	}
}

// rankingAcc sums ranks per option.
type rankingAcc struct {
	q             *survey.Question
	idx           map[string]int
	sums          []float64
	ranked, first []int
}

func newRankingAcc(a *questionAcc) *rankingAcc {
	k := len(a.q.Options)
	r := &rankingAcc{q: a.q, idx: optionIndex(a.q), sums: make([]float64, k), ranked: make([]int, k), first: make([]int, k)}
	return r
}

func (r *rankingAcc) add(_ *survey.Response, v any, _ int) {
	for pos, code := range strs(v) {
		i, ok := r.idx[code]
		if !ok {
			continue
		}
		r.ranked[i]++
		r.sums[i] += float64(pos + 1)
		if pos == 0 {
			r.first[i]++
		}
	}
}

func (r *rankingAcc) finish(a *questionAcc, res *QuestionResult) {
	for i, o := range r.q.Options {
		s := RankSummary{Value: string(o.Value), Label: a.p.text(o.Label), Ranked: r.ranked[i], MeanRank: Float(nan),
			FirstCount: r.first[i], FirstShare: share(r.first[i], a.answered), FirstCI: Wilson(r.first[i], a.answered)}
		if r.ranked[i] > 0 {
			s.MeanRank = Float(r.sums[i] / float64(r.ranked[i]))
		}
		res.Ranking = append(res.Ranking, s)
	}
}

func optionIndex(q *survey.Question) map[string]int {
	idx := make(map[string]int, len(q.Options))
	for i, o := range q.Options {
		idx[string(o.Value)] = i
	}
	return idx
}

// ordinalValue is a response's value for a correlation: a number, a likert
// value (not a missing option), or the number of substantive options chosen.
func ordinalValue(q *survey.Question, a survey.Answers) (float64, bool) {
	switch q.Type {
	case survey.Number:
		return a.Number(q.ID)
	case survey.Likert:
		v, ok := a[q.ID].(string)
		if !ok {
			return 0, false
		}
		if o := q.Option(v); o != nil && o.Missing {
			return 0, false
		}
		f, err := strconv.ParseFloat(v, 64)
		return f, err == nil
	case survey.MultiChoice:
		if _, ok := a[q.ID]; !ok {
			return 0, false
		}
		return float64(substantive(q, a.Strings(q.ID))), true
	}
	return 0, false
}

// substantive counts the options of a list that are neither exclusive
// ("none of these") nor missing ("Prefer not to say").
func substantive(q *survey.Question, list []string) int {
	n := 0
	for _, v := range list {
		if o := q.Option(v); o != nil && !o.Exclusive && !o.Missing {
			n++
		}
	}
	return n
}

// pairAcc keeps the pairs of values for Spearman's ρ between two questions,
// over respondents with a value for both.
type pairAcc struct {
	q, other *survey.Question
	xs, ys   []float64
}

func (p *pass) pair(q, other *survey.Question) *pairAcc {
	c := &pairAcc{q: q, other: other}
	p.pairs = append(p.pairs, c)
	return c
}

func (c *pairAcc) add(r *survey.Response) {
	x, ok1 := ordinalValue(c.q, r.Answers)
	y, ok2 := ordinalValue(c.other, r.Answers)
	if ok1 && ok2 {
		c.xs, c.ys = append(c.xs, x), append(c.ys, y)
	}
}
