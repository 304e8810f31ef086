package analysis

import (
	"fmt"
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

// Group is one column of a cross-tab.
type Group struct {
	Key   string `json:"key"`
	Label string `json:"label"`
	N     int    `json:"n"` // responses in the group
}

// group assigns each response to a group of the grouping by.
func (a *analyzer) group(by string, bands []float64) error {
	g := &Grouping{By: by}
	a.groupOf = make([]int, len(a.rs))
	index := map[string]int{}
	add := func(key, label string) {
		index[key] = len(g.Groups)
		g.Groups = append(g.Groups, Group{Key: key, Label: label})
	}
	var key func(r *survey.Response) string
	switch by {
	case "region":
		g.Label = "IFLA region"
		for _, r := range survey.Regions {
			add(string(r), survey.RegionLabels[r].In(a.lang, "en"))
		}
		key = func(r *survey.Response) string { return string(r.Region) }
	case "language":
		g.Label = "Language"
		for _, l := range a.s.Languages {
			add(l, l)
		}
		key = func(r *survey.Response) string { return r.Language }
	default:
		q := a.s.Question(by)
		if q == nil {
			return survey.Errorf(survey.EINVALID, "Cannot group by %q: it is not region, language or a question of the survey.", by)
		}
		g.Label = a.text(q.Label)
		switch q.Type {
		case survey.SingleChoice, survey.Likert:
			for _, o := range q.Options {
				add(string(o.Value), a.text(o.Label))
			}
			key = func(r *survey.Response) string { return r.Answers.String(by) }
		case survey.Country:
			seen := map[string]bool{}
			for _, r := range a.rs {
				if c := r.Answers.String(by); c != "" && !seen[c] {
					seen[c] = true
					add(c, c)
				}
			}
			key = func(r *survey.Response) string { return r.Answers.String(by) }
		case survey.Number:
			if len(bands) == 0 {
				return survey.Errorf(survey.EINVALID, "Grouping by the number question %q needs bands.", by)
			}
			for i := 0; i <= len(bands); i++ {
				add(strconv.Itoa(i), bandLabel(bands, i))
			}
			key = func(r *survey.Response) string {
				v, ok := r.Answers.Number(by)
				if !ok {
					return ""
				}
				i := 0
				for i < len(bands) && v >= bands[i] {
					i++
				}
				return strconv.Itoa(i)
			}
		default:
			return survey.Errorf(survey.EINVALID, "Cannot group by %s question %q.", q.Type, by)
		}
	}
	for i, r := range a.rs {
		gi, ok := index[key(r)]
		if !ok {
			a.groupOf[i] = -1
			g.Ungrouped++
			continue
		}
		a.groupOf[i] = gi
		g.Groups[gi].N++
	}
	a.grouping = g
	return nil
}

func bandLabel(bands []float64, i int) string {
	f := func(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }
	switch {
	case i == 0:
		return "under " + f(bands[0])
	case i == len(bands):
		return f(bands[i-1]) + " and over"
	}
	return fmt.Sprintf("%s to under %s", f(bands[i-1]), f(bands[i]))
}

// CrossTab is a question (rows: its options) by a grouping (columns).
// For single_choice and likert, Counts[i][j] is how many in group j chose
// option i, and Test is Pearson's chi-square on the whole table. For
// multi_choice each row is an option: Counts[i][j] is how many in group j
// chose it, ColPct its share of the group's respondents, and Tests[i] a
// 2×k test of that option (chosen or not) by group.
type CrossTab struct {
	Rows      []string           `json:"rows"`
	RowLabels []string           `json:"row_labels"`
	Counts    [][]int            `json:"counts"`
	RowTotals []int              `json:"row_totals"`
	ColTotals []int              `json:"col_totals"` // respondents answering, per group
	Total     int                `json:"total"`
	RowPct    [][]float64        `json:"row_pct"` // share of the row's total in each group
	ColPct    [][]float64        `json:"col_pct"` // share of the group's respondents
	Test      *ChiSquareResult   `json:"test,omitempty"`
	Tests     []*ChiSquareResult `json:"tests,omitempty"`
	// Warning explains when a test is doubtful (expected counts below 5).
	Warning string `json:"warning,omitempty"`
}

// GroupNumbers are descriptives of a numeric summary within one group.
type GroupNumbers struct {
	Group string       `json:"group"`
	Stats Descriptives `json:"stats"`
}

func (a *analyzer) crossTab(q *survey.Question, answered []int, res *QuestionResult, summary string) {
	groups := a.grouping.Groups
	k := len(groups)
	col := a.cols[q.ID]
	colTotals := make([]int, k)
	for _, i := range answered {
		if g := a.groupOf[i]; g >= 0 {
			colTotals[g]++
		}
	}
	switch {
	case q.Type == survey.Number || q.Type == survey.MultiChoice && summary == survey.SummaryCount:
		values := make([][]float64, k)
		for _, i := range answered {
			g := a.groupOf[i]
			if g < 0 {
				continue
			}
			if q.Type == survey.Number {
				v, _ := num(col[i])
				values[g] = append(values[g], v)
			} else {
				values[g] = append(values[g], float64(len(strs(col[i]))))
			}
		}
		for g := range groups {
			res.ByGroup = append(res.ByGroup, GroupNumbers{Group: groups[g].Key, Stats: Describe(values[g])})
		}
		return
	case q.Type != survey.SingleChoice && q.Type != survey.Likert && q.Type != survey.MultiChoice:
		return
	}
	ct := &CrossTab{ColTotals: colTotals}
	idx := map[string]int{}
	for i, o := range q.Options {
		idx[string(o.Value)] = i
		ct.Rows = append(ct.Rows, string(o.Value))
		ct.RowLabels = append(ct.RowLabels, a.text(o.Label))
		ct.Counts = append(ct.Counts, make([]int, k))
	}
	for _, i := range answered {
		g := a.groupOf[i]
		if g < 0 {
			continue
		}
		var chosen []string
		if q.Type == survey.MultiChoice {
			chosen = strs(col[i])
		} else {
			chosen = []string{str(col[i])}
		}
		for _, v := range chosen {
			if r, ok := idx[v]; ok {
				ct.Counts[r][g]++
			}
		}
	}
	for _, c := range colTotals {
		ct.Total += c
	}
	ct.RowTotals = make([]int, len(ct.Rows))
	ct.RowPct = make([][]float64, len(ct.Rows))
	ct.ColPct = make([][]float64, len(ct.Rows))
	for r := range ct.Rows {
		for g := 0; g < k; g++ {
			ct.RowTotals[r] += ct.Counts[r][g]
		}
		ct.RowPct[r] = make([]float64, k)
		ct.ColPct[r] = make([]float64, k)
		for g := 0; g < k; g++ {
			ct.RowPct[r][g] = share(ct.Counts[r][g], ct.RowTotals[r])
			ct.ColPct[r][g] = share(ct.Counts[r][g], colTotals[g])
		}
	}
	low := false
	if q.Type == survey.MultiChoice {
		ct.Tests = make([]*ChiSquareResult, len(ct.Rows))
		for r := range ct.Rows {
			table := [][]int{make([]int, k), make([]int, k)}
			for g := 0; g < k; g++ {
				table[0][g] = ct.Counts[r][g]
				table[1][g] = colTotals[g] - ct.Counts[r][g]
			}
			ct.Tests[r] = ChiSquare(table)
			low = low || ct.Tests[r] != nil && ct.Tests[r].LowExpected
		}
	} else {
		ct.Test = ChiSquare(ct.Counts)
		low = ct.Test != nil && ct.Test.LowExpected
	}
	if low {
		ct.Warning = "Some expected counts are below 5, so the chi-square p-value is approximate; for 2×2 tables use Fisher's exact p."
	}
	res.CrossTab = ct
}
