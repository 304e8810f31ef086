package analysis

import (
	"math"
	"slices"
	"strconv"

	"github.com/metlib/canvass/survey"
)

// Trends across waves. A series' waves are analysed one by one (Analyze over
// each wave's responses); Trend lines a question's per-wave results up as
// one series per option, and Panel, McNemar and Wilcoxon test the change of
// the libraries that answered two waves. Everything here takes plain
// values: which responses make a wave, and which library a response
// belongs to, is the caller's business.

// TrendPoint is an option's figure in one wave: Count of Base, with its
// share and 95% Wilson interval.
type TrendPoint struct {
	Wave string `json:"wave"`
	// Offered is false when the wave did not ask the question or did not
	// offer the option: the point is then no data (Count and Base 0, Share
	// NaN, CI undefined), not a zero.
	Offered bool     `json:"offered"`
	Count   int      `json:"count"`
	Base    int      `json:"base"`
	Share   Float    `json:"share"` // Count/Base; NaN when Base is 0
	CI      Interval `json:"ci"`    // Wilson(Count, Base)
	// Suppressed carries the wave's disclosure flag: the count was
	// withheld, so Count is 0, Share NaN and CI undefined.
	Suppressed bool `json:"suppressed,omitempty"`
	// BaseSuppressed carries the flag of the wave's base (the question's
	// answered count): withheld, so Base is 0 and Share NaN, while Count
	// may be shown.
	BaseSuppressed bool `json:"base_suppressed,omitempty"`
}

// TrendPointOf returns the point of count out of base in a wave: share
// count/base (NaN when base is 0) and Wilson(count, base). It returns
// EINVALID unless 0 ≤ count ≤ base.
func TrendPointOf(wave string, count, base int) (TrendPoint, error) {
	if count < 0 || count > base {
		return TrendPoint{}, survey.Errorf(survey.EINVALID, "Wave %q: a count of %d out of %d is not a proportion.", wave, count, base)
	}
	p := TrendPoint{Wave: wave, Offered: true, Count: count, Base: base, Share: Float(math.NaN()), CI: Wilson(count, base)}
	if base > 0 {
		p.Share = Float(float64(count) / float64(base))
	}
	return p, nil
}

// notOffered is the point of a wave without the question or the option.
func notOffered(wave string) TrendPoint {
	return TrendPoint{Wave: wave, Share: Float(math.NaN()), CI: Wilson(0, 0)}
}

// WaveQuestion is one wave's analysis of a question, an input of Trend.
type WaveQuestion struct {
	Wave string // the wave, e.g. "landscape-2025"
	// Result is Analyze's result for the question over the wave's
	// responses; nil when the wave did not ask the question.
	Result *QuestionResult
}

// QuestionTrend is a question across waves: one series per option, each
// with a point per wave in the order the waves were given.
type QuestionTrend struct {
	ID    string   `json:"id"`
	Waves []string `json:"waves"`
	// Answered is each wave's base, the respondents who answered (for
	// multi_choice: who ticked something); 0 where the wave did not ask,
	// and where disclosure withheld it (AnsweredSuppressed).
	Answered []int `json:"answered"`
	// AnsweredSuppressed marks the waves whose base disclosure control
	// withheld; nil when none did.
	AnsweredSuppressed []bool        `json:"answered_suppressed,omitempty"`
	Options            []OptionTrend `json:"options"`
}

// OptionTrend is one option's points, one per wave.
type OptionTrend struct {
	Value   string       `json:"value"`
	Label   string       `json:"label"`             // from the latest wave offering it
	Missing bool         `json:"missing,omitempty"` // a non-substantive option ("Don't know")
	Points  []TrendPoint `json:"points"`
}

// Trend lines up a question's results in several waves, oldest first, as
// one series per option: Count and Base are the wave's option count and
// its answered base, exactly as Analyze reports them (shares of answered;
// for multi_choice, of respondents who ticked something), with Wilson
// intervals. Options follow the latest wave's order, then options only
// earlier waves offered (a dropped option keeps its series). Options are
// matched by value: recoding values between waves is done before, in the
// results passed here.
//
// It returns EINVALID for no waves, a repeated or empty wave name, results
// of different questions, and a question without options (number, text,
// matrix, ranking: numbers change through Wilcoxon, not shares).
func Trend(waves []WaveQuestion) (*QuestionTrend, error) {
	if len(waves) == 0 {
		return nil, survey.Errorf(survey.EINVALID, "A trend needs at least one wave.")
	}
	tr := &QuestionTrend{Options: []OptionTrend{}}
	seen := map[string]bool{}
	for _, w := range waves {
		if w.Wave == "" || seen[w.Wave] {
			return nil, survey.Errorf(survey.EINVALID, "Each wave of a trend needs a name of its own: %q is empty or repeated.", w.Wave)
		}
		seen[w.Wave] = true
		tr.Waves = append(tr.Waves, w.Wave)
		r := w.Result
		tr.Answered = append(tr.Answered, 0)
		if r == nil {
			continue
		}
		switch r.Type {
		case survey.SingleChoice, survey.MultiChoice, survey.Likert, survey.Country:
		default:
			return nil, survey.Errorf(survey.EINVALID, "Question %q is a %s question: its trend has no options to count.", r.ID, r.Type)
		}
		if tr.ID == "" {
			tr.ID = r.ID
		} else if r.ID != tr.ID {
			return nil, survey.Errorf(survey.EINVALID, "A trend is of one question: wave %q has %q, not %q.", w.Wave, r.ID, tr.ID)
		}
		tr.Answered[len(tr.Answered)-1] = r.Answered
		if r.AnsweredSuppressed {
			if tr.AnsweredSuppressed == nil {
				tr.AnsweredSuppressed = make([]bool, len(waves))
			}
			tr.Answered[len(tr.Answered)-1] = 0
			tr.AnsweredSuppressed[len(tr.Answered)-1] = true
		}
	}
	// Options from the latest wave back, so the latest order and labels win.
	index := map[string]int{}
	for i := len(waves) - 1; i >= 0; i-- {
		r := waves[i].Result
		if r == nil {
			continue
		}
		for _, o := range r.Options {
			if _, ok := index[o.Value]; ok {
				continue
			}
			index[o.Value] = len(tr.Options)
			ot := OptionTrend{Value: o.Value, Label: o.Label, Missing: o.Missing}
			for _, w := range waves {
				ot.Points = append(ot.Points, notOffered(w.Wave))
			}
			tr.Options = append(tr.Options, ot)
		}
	}
	for i, w := range waves {
		if w.Result == nil {
			continue
		}
		for _, o := range w.Result.Options {
			var pt TrendPoint
			switch {
			case w.Result.AnsweredSuppressed:
				// No share without its base; the count stands if it is shown.
				pt = TrendPoint{Wave: w.Wave, Offered: true, Share: Float(math.NaN()), CI: Wilson(0, 0), BaseSuppressed: true, Suppressed: o.Suppressed}
				if !o.Suppressed {
					pt.Count = o.Count
				}
			case o.Suppressed:
				pt = TrendPoint{Wave: w.Wave, Offered: true, Base: w.Result.Answered, Share: Float(math.NaN()), CI: Wilson(0, 0), Suppressed: true}
			default:
				var err error
				if pt, err = TrendPointOf(w.Wave, o.Count, w.Result.Answered); err != nil {
					return nil, err
				}
			}
			tr.Options[index[o.Value]].Points[i] = pt
		}
	}
	return tr, nil
}

// Keyed is one library's value in one wave; Key identifies the library
// across waves (the caller's choice: a directory id, an invitation's
// library).
type Keyed[T any] struct {
	Key   string
	Value T
}

// Pairs is a panel: the libraries present in both of two waves, sorted by
// key, with their value in each (First[i] and Second[i] are Keys[i]'s).
type Pairs[T any] struct {
	Keys          []string
	First, Second []T
}

// Panel matches two waves by library key, keeping the libraries present in
// both (sorted by key, so the same waves give the same panel). A library
// in only one wave is left out: a paired test compares each library with
// itself. It returns EINVALID for an empty key or a key repeated within a
// wave (two answers of one library in one wave cannot be paired; the
// caller decides which counts).
func Panel[T any](first, second []Keyed[T]) (*Pairs[T], error) {
	a, err := byKey(first, "first")
	if err != nil {
		return nil, err
	}
	b, err := byKey(second, "second")
	if err != nil {
		return nil, err
	}
	p := &Pairs[T]{Keys: []string{}, First: []T{}, Second: []T{}}
	for k := range a {
		if _, ok := b[k]; ok {
			p.Keys = append(p.Keys, k)
		}
	}
	slices.Sort(p.Keys)
	for _, k := range p.Keys {
		p.First = append(p.First, a[k])
		p.Second = append(p.Second, b[k])
	}
	return p, nil
}

func byKey[T any](vs []Keyed[T], wave string) (map[string]T, error) {
	m := make(map[string]T, len(vs))
	for _, v := range vs {
		if v.Key == "" {
			return nil, survey.Errorf(survey.EINVALID, "Every library of a panel needs a key: one in the %s wave has none.", wave)
		}
		if _, dup := m[v.Key]; dup {
			return nil, survey.Errorf(survey.EINVALID, "Library %q appears twice in the %s wave; a panel pairs one answer per library and wave.", v.Key, wave)
		}
		m[v.Key] = v.Value
	}
	return m, nil
}

// OptionChange is McNemar's test of one option: chosen or not, in the
// first wave and in the second.
type OptionChange struct {
	Value   string `json:"value"`
	Missing bool   `json:"missing,omitempty"` // a non-substantive option ("Don't know")
	McNemarResult
}

// ChoiceChange tests, for each option of q (single_choice, multi_choice,
// likert or country; the yes/no question is a single_choice), whether the
// share of the panel choosing it changed between two waves: McNemar over
// the libraries that answered q in both waves (for multi_choice: ticked
// something in both), the option as an indicator (chosen or not). first
// and second are each wave's submitted answers, keyed by library; q is the
// question as the second wave asks it, with the first wave's values
// already recoded to its options. Options come in q's order (a country
// question: the values answered, sorted). Every option has the same panel,
// N. It returns EINVALID for another question type and for a bad panel
// (see Panel).
func ChoiceChange(q *survey.Question, first, second []Keyed[survey.Answers]) ([]OptionChange, error) {
	var chosen func(a survey.Answers, v string) bool
	switch q.Type {
	case survey.SingleChoice, survey.Likert, survey.Country:
		chosen = func(a survey.Answers, v string) bool { return a.String(q.ID) == v }
	case survey.MultiChoice:
		chosen = func(a survey.Answers, v string) bool { return slices.Contains(a.Strings(q.ID), v) }
	default:
		return nil, survey.Errorf(survey.EINVALID, "Question %q is a %s question: McNemar's test is for a choice (ChoiceChange); numbers and scales change through ScoreChange.", q.ID, q.Type)
	}
	p, err := Panel(answered(q, first), answered(q, second))
	if err != nil {
		return nil, err
	}
	var values []string
	missing := map[string]bool{}
	for _, o := range q.Options {
		values = append(values, string(o.Value))
		missing[string(o.Value)] = o.Missing
	}
	if q.Type == survey.Country {
		values = nil
		for _, a := range slices.Concat(p.First, p.Second) {
			if v := a.String(q.ID); v != "" && !slices.Contains(values, v) {
				values = append(values, v)
			}
		}
		slices.Sort(values)
	}
	out := []OptionChange{}
	x, y := make([]bool, len(p.Keys)), make([]bool, len(p.Keys))
	for _, v := range values {
		for i := range p.Keys {
			x[i], y[i] = chosen(p.First[i], v), chosen(p.Second[i], v)
		}
		m, err := McNemar(x, y)
		if err != nil {
			return nil, err
		}
		out = append(out, OptionChange{Value: v, Missing: missing[v], McNemarResult: *m})
	}
	return out, nil
}

// answered keeps the libraries with an answer to q.
func answered(q *survey.Question, vs []Keyed[survey.Answers]) []Keyed[survey.Answers] {
	var out []Keyed[survey.Answers]
	for _, v := range vs {
		if a, ok := v.Value[q.ID]; ok && a != nil {
			out = append(out, v)
		}
	}
	return out
}

// ScoreChange runs Wilcoxon's signed-rank test on the change of a number
// or likert answer between two waves, over the libraries with a value in
// both: a number question's number, a likert question's numeric code (its
// option value; a missing option such as "Don't know" is no value, as in
// the scale's mean). first and second are each wave's submitted answers,
// keyed by library, recoded to q, the question as the second wave asks it.
// It returns EINVALID for another question type, a likert option whose
// value is not a number, and a bad panel (see Panel).
func ScoreChange(q *survey.Question, first, second []Keyed[survey.Answers]) (*WilcoxonResult, error) {
	if q.Type != survey.Number && q.Type != survey.Likert {
		return nil, survey.Errorf(survey.EINVALID, "Question %q is a %s question: Wilcoxon's test is for numbers and likert scales; choices change through ChoiceChange.", q.ID, q.Type)
	}
	score := func(vs []Keyed[survey.Answers]) ([]Keyed[float64], error) {
		var out []Keyed[float64]
		for _, v := range vs {
			if q.Type == survey.Number {
				if f, ok := v.Value.Number(q.ID); ok {
					out = append(out, Keyed[float64]{Key: v.Key, Value: f})
				}
				continue
			}
			code := v.Value.String(q.ID)
			if code == "" {
				continue
			}
			o := q.Option(code)
			if o == nil {
				return nil, survey.Errorf(survey.EINVALID, "Library %q answered %q to %q, which is not one of its options.", v.Key, code, q.ID)
			}
			if o.Missing {
				continue
			}
			f, err := strconv.ParseFloat(code, 64)
			if err != nil {
				return nil, survey.Errorf(survey.EINVALID, "Option %q of %q is not a number, so it has no place on the scale.", code, q.ID)
			}
			out = append(out, Keyed[float64]{Key: v.Key, Value: f})
		}
		return out, nil
	}
	a, err := score(first)
	if err != nil {
		return nil, err
	}
	b, err := score(second)
	if err != nil {
		return nil, err
	}
	p, err := Panel(a, b)
	if err != nil {
		return nil, err
	}
	return Wilcoxon(p.First, p.Second)
}
