package web

import (
	"html/template"
	"math"
	"strings"

	"github.com/metlib/canvass/analysis"
	"github.com/metlib/canvass/survey"
)

// readerFuncs write numbers for people in the page's language (the results
// dashboard can be read in any of the survey's languages): "12,5 %" in
// French, "–" for a statistic that is undefined.
var readerFuncs = template.FuncMap{
	"inum":  survey.FormatInt,
	"ipct":  func(lang string, f float64) string { return survey.FormatPercent(lang, f, 1) },
	"istat": func(lang string, v any) string { return survey.FormatNumber(lang, asFloat(v), 2) },
	"ici":   formatCIIn,
	// ipval is "= 0.034" or "< 0.001", to follow a "p".
	"ipval": func(lang string, p float64) string {
		switch {
		case math.IsNaN(p):
			return "= –"
		case p < 0.001:
			return "< " + survey.FormatNumber(lang, 0.001, 3)
		}
		return "= " + survey.FormatNumber(lang, p, 3)
	},
	"answeredGroups":   answeredGroups,
	"emptyGroups":      emptyGroups,
	"optionGroupLabel": optionGroupLabel,
}

// asFloat reads a statistic as the analysis gives it: float64, or Float
// (NaN when undefined).
func asFloat(v any) float64 {
	switch x := v.(type) {
	case float64:
		return x
	case analysis.Float:
		return float64(x)
	case int:
		return float64(x)
	}
	return math.NaN()
}

// formatCIIn writes an interval of shares as "12.0–18.5%" ("12,0–18,5 %"
// in French), "–" when it is undefined.
func formatCIIn(lang string, i analysis.Interval) string {
	if i.Undefined() {
		return "–"
	}
	return survey.FormatNumber(lang, 100*i.Low, 1) + "–" + survey.FormatPercent(lang, i.High, 1)
}

// groupColumn is one column of a cross-tabulation on the dashboard.
type groupColumn struct {
	Index int
	Label string
	N     int // respondents in the group who answered: the percentages' base
}

// answeredGroups are the groups with respondents who answered: a group
// nobody in which was asked (show_if) or answered gets no column of zeros.
func answeredGroups(ct *analysis.CrossTab, groups []analysis.Group) []groupColumn {
	var out []groupColumn
	for i, g := range groups {
		if i < len(ct.ColTotals) && ct.ColTotals[i] > 0 {
			out = append(out, groupColumn{Index: i, Label: g.Label, N: ct.ColTotals[i]})
		}
	}
	return out
}

// emptyGroups names the groups answeredGroups leaves out, for a note.
func emptyGroups(ct *analysis.CrossTab, groups []analysis.Group) string {
	var out []string
	for i, g := range groups {
		noted := i < len(ct.NotAsked) && ct.NotAsked[i] && g.Respondents > 0 // the analysis's note says so
		if (i >= len(ct.ColTotals) || ct.ColTotals[i] == 0) && !noted {
			out = append(out, g.Label)
		}
	}
	return strings.Join(out, ", ")
}
