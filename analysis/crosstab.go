package analysis

import (
	"strconv"

	"github.com/metlib/canvass/survey"
)

// Grouping is how respondents are grouped for cross-tabulations.
type Grouping struct {
	By     string  `json:"by"`
	Label  string  `json:"label"`
	Groups []Group `json:"groups"`
	// Ungrouped is the number of responses with no group (no region, an
	// unanswered grouping question); they are left out of cross-tabs.
	Ungrouped int `json:"ungrouped"`
}

// Group is one column of a cross-tab (or one row of descriptives by
// group). Respondents counts every response in the group. In a report
// table's grouping, N is the base the table's figures of the group use:
// the respondents in the group who answered the table's question (the
// cross-tab's ColTotals, the descriptives' n), so a column headed "n" is
// the number its percentages are of. In Result.By, which serves every
// question, N is Respondents.
type Group struct {
	Key         string `json:"key"`
	Label       string `json:"label"`
	N           int    `json:"n"`
	Respondents int    `json:"respondents"`
}

// grouper assigns each response of the stream to a group.
type grouper struct {
	g     *Grouping
	index map[string]int
	key   func(r *survey.Response) string
	// found: groups are the values met in the stream (countries).
	found bool
}

func newGrouper(p *pass, by string, bands []float64) (*grouper, error) {
	gr := &grouper{g: &Grouping{By: by, Groups: []Group{}}, index: map[string]int{}}
	add := func(key, label string) {
		gr.index[key] = len(gr.g.Groups)
		gr.g.Groups = append(gr.g.Groups, Group{Key: key, Label: label})
	}
	switch by {
	case "region":
		gr.g.Label = message(p.lang, "region")
		for _, r := range survey.Regions {
			add(string(r), survey.RegionLabels[r].In(p.lang, "en"))
		}
		gr.key = func(r *survey.Response) string { return string(r.Region) }
		return gr, nil
	case "language":
		gr.g.Label = message(p.lang, "language")
		for _, l := range p.s.Languages {
			add(l, languageName(p.lang, l))
		}
		gr.key = func(r *survey.Response) string { return r.Language }
		return gr, nil
	}
	q := p.s.Question(by)
	if q == nil {
		return nil, survey.Errorf(survey.EINVALID, "Cannot group by %q: it is not region, language or a question of the survey.", by)
	}
	gr.g.Label = p.text(q.Label)
	switch q.Type {
	case survey.SingleChoice, survey.Likert:
		for _, o := range q.Options {
			add(string(o.Value), p.text(o.Label))
		}
		gr.key = func(r *survey.Response) string { return r.Answers.String(by) }
	case survey.Country:
		gr.found = true
		gr.key = func(r *survey.Response) string { return r.Answers.String(by) }
	case survey.Number:
		if len(bands) == 0 {
			return nil, survey.Errorf(survey.EINVALID, "Grouping by the number question %q needs bands.", by)
		}
		for i := 1; i < len(bands); i++ {
			if bands[i] <= bands[i-1] {
				return nil, survey.Errorf(survey.EINVALID, "Bands must increase; %g comes after %g.", bands[i], bands[i-1])
			}
		}
		for i := 0; i <= len(bands); i++ {
			add(strconv.Itoa(i), bandLabel(p.lang, bands, i))
		}
		names := make([]string, len(bands)+1)
		for i := range names {
			names[i] = strconv.Itoa(i)
		}
		gr.key = func(r *survey.Response) string {
			v, ok := r.Answers.Number(by)
			if !ok {
				return ""
			}
			i := 0
			for i < len(bands) && v >= bands[i] {
				i++
			}
			return names[i]
		}
	default:
		return nil, survey.Errorf(survey.EINVALID, "Cannot group by %s question %q.", q.Type, by)
	}
	return gr, nil
}

// assign returns r's group (counting it), or −1.
func (gr *grouper) assign(r *survey.Response) int {
	k := gr.key(r)
	i, ok := gr.index[k]
	if !ok {
		if !gr.found || k == "" {
			gr.g.Ungrouped++
			return -1
		}
		i = len(gr.g.Groups)
		gr.index[k] = i
		gr.g.Groups = append(gr.g.Groups, Group{Key: k, Label: k})
	}
	gr.g.Groups[i].N++
	gr.g.Groups[i].Respondents++
	return i
}

// CrossTab is a question (rows: its options) by a grouping (columns).
// For single_choice and likert, Counts[i][j] is how many in group j chose
// option i, and Test is Pearson's chi-square on the whole table, missing
// options left out. For multi_choice each row is an option: Counts[i][j]
// is how many in group j chose it, ColPct its share of the group's
// respondents who ticked something, ColPctAsked of those asked, and
// Tests[i] a 2×k test of that option (chosen or not) by group (nil for a
// missing option).
//
// Every percentage of column j is of ColTotals[j], which is Answered[j]
// (Base "answered"): a column's header n must be that number.
type CrossTab struct {
	Rows      []string `json:"rows"`
	RowLabels []string `json:"row_labels"`
	// Missing marks the rows of non-substantive options.
	Missing   []bool      `json:"missing"`
	Counts    [][]int     `json:"counts"`
	RowTotals []int       `json:"row_totals"`
	ColTotals []int       `json:"col_totals"` // the base of each column's percentages
	Total     int         `json:"total"`
	RowPct    [][]float64 `json:"row_pct"` // share of the row's total in each group
	ColPct    [][]float64 `json:"col_pct"` // share of ColTotals
	// Base names what ColTotals count: "answered", respondents in the
	// group who answered (for multi_choice: ticked at least one option).
	Base string `json:"base"`
	// Asked and Answered are, per group, respondents asked the question
	// and respondents who answered it.
	Asked    []int `json:"asked"`
	Answered []int `json:"answered"`
	// NotAsked marks the groups in which nobody was asked (show_if hid the
	// question from all of them): such a column is no data, not zeros, and
	// is to be left out of what is shown; tests leave it out.
	NotAsked []bool `json:"not_asked"`
	// NotTicked is, for multi_choice, per group, respondents asked who
	// ticked nothing; ColPctAsked the options' shares of Asked.
	NotTicked   []int              `json:"not_ticked,omitempty"`
	ColPctAsked [][]float64        `json:"col_pct_asked,omitempty"`
	Test        *ChiSquareResult   `json:"test,omitempty"`
	Tests       []*ChiSquareResult `json:"tests,omitempty"`
	// Warning explains when a test is doubtful (expected counts below 5),
	// in the result's language.
	Warning string `json:"warning,omitempty"`

	// Disclosure control, set only by disclosure.Publish (nil or false in
	// every analyst output): Suppressed[i][j] marks Counts[i][j] as
	// withheld (it and its RowPct, ColPct and ColPctAsked are then 0),
	// ColSuppressed[j] the column base ColTotals[j] (with Asked[j],
	// Answered[j] and NotTicked[j]), RowSuppressed[i] the row total
	// RowTotals[i], and TotalSuppressed the table's Total.
	Suppressed      [][]bool `json:"suppressed,omitempty"`
	ColSuppressed   []bool   `json:"col_suppressed,omitempty"`
	RowSuppressed   []bool   `json:"row_suppressed,omitempty"`
	TotalSuppressed bool     `json:"total_suppressed,omitempty"`
}

// GroupNumbers are descriptives of a numeric summary within one group.
type GroupNumbers struct {
	Group string       `json:"group"`
	Stats Descriptives `json:"stats"`
	// NSuppressed marks the group's Stats.N as withheld by disclosure
	// control (it is then 0, and Stats withheld with it). Set only by
	// disclosure.Publish; false in every analyst output.
	NSuppressed bool `json:"n_suppressed,omitempty"`
}

// crossTab builds the table of the question's options by the grouping;
// count gives the cell of (option, group). multiMissing is set (per option:
// missing) for multi_choice, nil for single choices.
func (a *questionAcc) crossTab(g *Grouping, count func(row, grp int) int, multiMissing []bool) *CrossTab {
	var rows []ctRow
	for _, o := range a.q.Options {
		rows = append(rows, ctRow{string(o.Value), a.p.text(o.Label), o.Missing})
	}
	return a.crossTabOf(g, rows, count, multiMissing)
}

// ctRow is a row of a cross-tab: an option, or an option group.
type ctRow struct {
	value, label string
	missing      bool
}

// crossTabOf builds a cross-tab of the given rows (options, or option
// groups of a multi_choice) by the grouping, on the question's bases.
func (a *questionAcc) crossTabOf(g *Grouping, rows []ctRow, count func(row, grp int) int, multiMissing []bool) *CrossTab {
	k := len(g.Groups)
	multi := a.q.Type == survey.MultiChoice
	ct := &CrossTab{Base: "answered", Asked: append([]int(nil), a.gAsked...), Answered: append([]int(nil), a.gAnswered...),
		ColTotals: append([]int(nil), a.gAnswered...), NotAsked: make([]bool, k)}
	for j := range k {
		ct.NotAsked[j] = a.gAsked[j] == 0
		ct.Total += ct.ColTotals[j]
	}
	for i, o := range rows {
		ct.Rows = append(ct.Rows, o.value)
		ct.RowLabels = append(ct.RowLabels, o.label)
		ct.Missing = append(ct.Missing, o.missing)
		row := make([]int, k)
		for j := range k {
			row[j] = count(i, j)
		}
		ct.Counts = append(ct.Counts, row)
	}
	ct.RowTotals = make([]int, len(ct.Rows))
	ct.RowPct = make([][]float64, len(ct.Rows))
	ct.ColPct = make([][]float64, len(ct.Rows))
	if multi {
		ct.ColPctAsked = make([][]float64, len(ct.Rows))
		ct.NotTicked = make([]int, k)
		for j := range k {
			ct.NotTicked[j] = a.gAsked[j] - a.gAnswered[j]
		}
	}
	for r := range ct.Rows {
		for j := range k {
			ct.RowTotals[r] += ct.Counts[r][j]
		}
		ct.RowPct[r] = make([]float64, k)
		ct.ColPct[r] = make([]float64, k)
		for j := range k {
			ct.RowPct[r][j] = share(ct.Counts[r][j], ct.RowTotals[r])
			ct.ColPct[r][j] = share(ct.Counts[r][j], ct.ColTotals[j])
		}
		if multi {
			ct.ColPctAsked[r] = make([]float64, k)
			for j := range k {
				ct.ColPctAsked[r][j] = share(ct.Counts[r][j], a.gAsked[j])
			}
		}
	}
	low := false
	if multi {
		ct.Tests = make([]*ChiSquareResult, len(ct.Rows))
		for r := range ct.Rows {
			if multiMissing[r] {
				continue
			}
			table := [][]int{make([]int, k), make([]int, k)}
			for j := range k {
				table[0][j] = ct.Counts[r][j]
				table[1][j] = ct.ColTotals[j] - ct.Counts[r][j]
			}
			ct.Tests[r] = ChiSquare(table)
			low = low || ct.Tests[r] != nil && ct.Tests[r].LowExpected
		}
	} else {
		var table [][]int
		for r := range ct.Rows {
			if !ct.Missing[r] {
				table = append(table, ct.Counts[r])
			}
		}
		ct.Test = ChiSquare(table)
		low = ct.Test != nil && ct.Test.LowExpected
	}
	if low {
		ct.Warning = message(a.p.lang, "warn_low")
	}
	return ct
}
