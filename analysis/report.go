package analysis

import (
	"strconv"

	"github.com/metlib/canvass/survey"
)

// ReportResult holds a survey's white-paper tables, computed.
type ReportResult struct {
	Survey    string        `json:"survey"`
	Version   int           `json:"version"`
	Title     string        `json:"title"`
	Language  string        `json:"language"`
	Responses int           `json:"responses"`
	Tables    []TableResult `json:"tables"`
}

// TableResult is one computed report table.
type TableResult struct {
	Number      int                `json:"number"` // "Table 1", …
	Spec        survey.ReportTable `json:"spec"`
	Title       string             `json:"title"`
	Question    *QuestionResult    `json:"question"`
	Grouping    *Grouping          `json:"grouping,omitempty"`
	Correlation *SpearmanResult    `json:"correlation,omitempty"`
	// Notes say how to read the table (multiple answers, bases).
	Notes []string `json:"notes,omitempty"`
}

// Report computes the tables of the survey's report section, in order.
// A survey without one gets a table per question.
//
// Like Analyze it reads the stream of responses, already filtered, and stops
// at its first error.
func Report(s *survey.Survey, responses survey.Responses, opts Options) (*ReportResult, error) {
	specs := defaultTables(s)
	if s.Report != nil && len(s.Report.Tables) > 0 {
		specs = s.Report.Tables
	}
	base, err := newAnalyzer(s, responses, Options{Lang: opts.Lang})
	if err != nil {
		return nil, err
	}
	out := &ReportResult{Survey: s.Slug, Version: s.Version, Title: base.text(s.Title), Language: base.lang, Responses: len(base.rs)}
	for i, spec := range specs {
		// A request's grouping regroups every table without one of its own,
		// except the table of the grouping question itself.
		if spec.By == "" && opts.By != "" && spec.Question != opts.By {
			spec.By, spec.Bands = opts.By, opts.Bands
		}
		a := base
		if spec.By != "" {
			// Same responses, grouped: reuse the filtered set and visibility.
			grouped := *base
			if err := grouped.group(spec.By, spec.Bands); err != nil {
				return nil, err
			}
			a = &grouped
		}
		q := s.Question(spec.Question)
		t := TableResult{Number: i + 1, Spec: spec, Title: a.text(spec.Title), Question: a.question(q, spec.Summary), Grouping: a.grouping}
		if t.Title == "" {
			t.Title = a.text(q.Label)
		}
		if spec.Correlate != "" {
			t.Correlation = a.correlate(q, s.Question(spec.Correlate))
		}
		t.Notes = notes(q, spec, t.Question)
		out.Tables = append(out.Tables, t)
	}
	return out, nil
}

func defaultTables(s *survey.Survey) []survey.ReportTable {
	var specs []survey.ReportTable
	for _, q := range s.Questions() {
		if q.Type == survey.Email || q.Type == survey.Date {
			continue
		}
		specs = append(specs, survey.ReportTable{ID: q.ID, Title: q.Label, Question: q.ID})
	}
	return specs
}

func notes(q *survey.Question, spec survey.ReportTable, r *QuestionResult) []string {
	var n []string
	if r.Asked != r.Answered {
		n = append(n, "Base: respondents who answered; the question was asked of "+itoa(r.Asked)+" and answered by "+itoa(r.Answered)+".")
	}
	if q.Type == survey.MultiChoice && spec.Summary != survey.SummaryCount {
		n = append(n, "Multiple answers allowed: percentages do not sum to 100.")
	}
	if r.CrossTab != nil && r.CrossTab.Warning != "" {
		n = append(n, r.CrossTab.Warning)
	}
	return n
}

func itoa(n int) string { return strconv.Itoa(n) }

// ordinalValue is a response's value for a correlation: a number, a likert
// value, or the count of options chosen.
func ordinalValue(q *survey.Question, a survey.Answers) (float64, bool) {
	switch q.Type {
	case survey.Number:
		return a.Number(q.ID)
	case survey.Likert:
		v, ok := a[q.ID].(string)
		if !ok {
			return 0, false
		}
		f, err := parseFloat(v)
		return f, err == nil
	case survey.MultiChoice:
		if _, ok := a[q.ID]; !ok {
			return 0, false
		}
		return float64(len(a.Strings(q.ID))), true
	}
	return 0, false
}

// correlate is Spearman's ρ between two questions over respondents who
// answered both.
func (a *analyzer) correlate(q, other *survey.Question) *SpearmanResult {
	var xs, ys []float64
	for _, r := range a.rs {
		x, ok1 := ordinalValue(q, r.Answers)
		y, ok2 := ordinalValue(other, r.Answers)
		if ok1 && ok2 {
			xs, ys = append(xs, x), append(ys, y)
		}
	}
	return Spearman(xs, ys)
}
