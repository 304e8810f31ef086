package analysis

import (
	"math"
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
// are not submitted are skipped. It reads the stream once, keeping per
// question only what a statistic needs (counts; the numbers of number
// questions for quantiles; texts), stops at the stream's first error and
// returns it. Questions hidden by show_if count as not asked, never as not
// answered: each summary reports both bases.
func Analyze(s *survey.Survey, responses survey.Responses, opts Options) (*Result, error) {
	p := newPass(s, opts.Lang)
	g := -1
	if opts.By != "" {
		var err error
		if g, err = p.grouper(opts.By, opts.Bands); err != nil {
			return nil, err
		}
	}
	var accs []*questionAcc
	for _, q := range s.Questions() {
		accs = append(accs, p.add(q, g))
	}
	if err := p.run(responses); err != nil {
		return nil, err
	}
	res := &Result{Survey: s.Slug, Version: s.Version, Language: p.lang, Responses: p.n}
	if g >= 0 {
		res.By = p.groupers[g].g
	}
	for _, a := range accs {
		res.Questions = append(res.Questions, a.result(""))
	}
	return res, nil
}

// QuestionResult summarizes one question. Which fields are set depends on
// its type; Asked and Answered are always there.
// QuestionResult summarizes one question. Which fields are set depends on
// its type; Asked and Answered are always there, and shares are of
// Answered unless a field says otherwise.
type QuestionResult struct {
	ID       string      `json:"id"`
	Type     survey.Type `json:"type"`
	Label    string      `json:"label"`
	Asked    int         `json:"asked"`
	Answered int         `json:"answered"`
	// Missing counts the answers with a non-substantive option (marked
	// missing: "Don't know"): in Options, but left out of means, medians,
	// top-two shares, numbers of options chosen and tests. For multi_choice
	// it is respondents who ticked one.
	Missing int `json:"missing,omitempty"`

	// Options: single_choice, likert, multi_choice, country. For
	// multi_choice, Share is of respondents who ticked something (Answered),
	// ShareAsked of respondents asked, and MentionShare of all options
	// chosen (Mentions).
	Options  []OptionCount `json:"options,omitempty"`
	Mentions int           `json:"mentions,omitempty"`
	// NotTicked is, for multi_choice, the respondents who were asked and
	// ticked nothing, a row of its own: Share is of Asked.
	NotTicked *Count `json:"not_ticked,omitempty"`
	// ChosenCount is, for multi_choice, how many respondents who ticked
	// something chose 0, 1, 2… substantive options (exclusive "none" and
	// missing options are not counted: "none" alone is 0), with
	// descriptives of that number.
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

	// AnsweredSuppressed marks Answered (the "answered by N" base, and the
	// notes' numbers derived from it) as withheld by disclosure control: it
	// is then 0. Set only by disclosure.Publish; false in every analyst output.
	AnsweredSuppressed bool `json:"answered_suppressed,omitempty"`
	// AskedSuppressed marks Asked as withheld likewise (it is then 0),
	// and MissingSuppressed Missing.
	AskedSuppressed   bool `json:"asked_suppressed,omitempty"`
	MissingSuppressed bool `json:"missing_suppressed,omitempty"`
}

// OptionCount is how many chose an option.
type OptionCount struct {
	Value      string `json:"value"`
	Label      string `json:"label"`
	Group      string `json:"group,omitempty"`
	GroupLabel string `json:"group_label,omitempty"`
	// Missing marks a non-substantive option ("Don't know"); Exclusive a
	// multi_choice option chosen alone ("None of these"). Neither counts
	// among the options chosen (ChosenCount).
	Missing   bool     `json:"missing,omitempty"`
	Exclusive bool     `json:"exclusive,omitempty"`
	Count     int      `json:"count"`
	Share     float64  `json:"share"` // of Answered; NaN-free: 0 when Answered is 0
	CI        Interval `json:"ci"`    // Wilson 95%
	// ShareAsked and CIAsked are, for multi_choice, of the respondents
	// asked, those who ticked nothing included.
	ShareAsked   *float64  `json:"share_asked,omitempty"`
	CIAsked      *Interval `json:"ci_asked,omitempty"`
	MentionShare *float64  `json:"mention_share,omitempty"`
	// Suppressed marks the count as withheld by disclosure control: Count,
	// every share and interval derived from it are then zero and are not
	// to be shown. Set only by disclosure.Publish; false in every analyst
	// output.
	Suppressed bool `json:"suppressed,omitempty"`
}

// Count is a labelled count.
type Count struct {
	Key   string  `json:"key"`
	Label string  `json:"label,omitempty"`
	Count int     `json:"count"`
	Share float64 `json:"share"`
	// Suppressed marks the count as withheld by disclosure control (Count
	// and Share are then 0). Set only by disclosure.Publish; false in every
	// analyst output.
	Suppressed bool `json:"suppressed,omitempty"`
}

// GroupShare is, for an option group (such as an ISO 16439 evidence
// family), how many respondents chose at least one of its options. Label
// is the group's label from the definition (the code when it has none).
type GroupShare struct {
	Group   string   `json:"group"`
	Label   string   `json:"label"`
	Options []string `json:"options"`
	Count   int      `json:"count"`
	Share   float64  `json:"share"`
	CI      Interval `json:"ci"`
	// Suppressed marks the count as withheld by disclosure control (Count,
	// Share and CI are then zero). Set only by disclosure.Publish; false in
	// every analyst output.
	Suppressed bool `json:"suppressed,omitempty"`
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
// with numeric options). Missing options are in Distribution but not in N,
// the base of every statistic below it. Mean, SD and Median are undefined
// (NaN, JSON null) when N is 0; SD also when N is 1.
type ScaleSummary struct {
	Distribution []OptionCount `json:"distribution"`
	N            int           `json:"n"`
	Missing      int           `json:"missing"`
	Mean         Float         `json:"mean"`
	SD           Float         `json:"sd"`
	Median       Float         `json:"median"`
	// TopTwo is the share of N choosing one of the two highest scale points.
	TopTwoCount int      `json:"top_two_count"`
	TopTwoShare float64  `json:"top_two_share"`
	TopTwoCI    Interval `json:"top_two_ci"`

	// Withheld marks Mean, SD and Median (and the top-two figures) as
	// withheld by disclosure control: they are then NaN (JSON null) and the
	// top-two figures zero. TopTwoSuppressed marks the top-two count alone
	// (its share and interval with it) as withheld. Set only by
	// disclosure.Publish; false in every analyst output.
	Withheld         bool `json:"withheld,omitempty"`
	TopTwoSuppressed bool `json:"top_two_suppressed,omitempty"`
}

// RowSummary is one matrix row.
type RowSummary struct {
	ID       string        `json:"id"`
	Label    string        `json:"label"`
	Asked    int           `json:"asked"`
	Answered int           `json:"answered"`
	Scale    *ScaleSummary `json:"scale,omitempty"`        // numeric options
	Counts   []OptionCount `json:"distribution,omitempty"` // other options
	// AnsweredSuppressed marks Answered as withheld by disclosure control
	// (it is then 0). Set only by disclosure.Publish; false in every
	// analyst output.
	AnsweredSuppressed bool `json:"answered_suppressed,omitempty"`
	// AskedSuppressed marks Asked as withheld likewise (it is then 0).
	AskedSuppressed bool `json:"asked_suppressed,omitempty"`
}

// NumberSummary describes a number question.
type NumberSummary struct {
	Descriptives
	// Outliers lie beyond 1.5 interquartile ranges from the quartiles (Tukey's fences).
	Outliers  []float64 `json:"outliers"`
	Histogram []Bin     `json:"histogram"`
}

// Bin is a histogram bin: the half-open [From, To), except the last, which
// is closed, [From, To]. A value on an edge is in the bin that starts there.
type Bin struct {
	From  float64 `json:"from"`
	To    float64 `json:"to"`
	Count int     `json:"count"`
}

// RankSummary describes one option of a ranking question.
type RankSummary struct {
	Value  string `json:"value"`
	Label  string `json:"label"`
	Ranked int    `json:"ranked"` // respondents who ranked it
	// MeanRank is over the respondents who ranked it; an option nobody
	// ranked has no rank (NaN, JSON null).
	MeanRank   Float    `json:"mean_rank"`
	FirstCount int      `json:"first_count"`
	FirstShare float64  `json:"first_share"` // of Answered
	FirstCI    Interval `json:"first_ci"`
	// FirstSuppressed marks FirstCount (with FirstShare and FirstCI) as
	// withheld by disclosure control: they are then zero. Set only by
	// disclosure.Publish; false in every analyst output.
	FirstSuppressed bool `json:"first_suppressed,omitempty"`
	// RankedSuppressed marks Ranked as withheld (it is then 0, and
	// MeanRank NaN). Set only by disclosure.Publish.
	RankedSuppressed bool `json:"ranked_suppressed,omitempty"`
}

func share(x, n int) float64 {
	if n == 0 {
		return 0
	}
	return float64(x) / float64(n)
}

// str, strs, rows and num read an answer.
func str(v any) string             { s, _ := v.(string); return s }
func strs(v any) []string          { s, _ := v.([]string); return s }
func rows(v any) map[string]string { m, _ := v.(map[string]string); return m }
func num(v any) (float64, bool)    { f, ok := v.(float64); return f, ok }
