package analysis

import (
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
	// ResponsesSuppressed marks Responses as withheld by disclosure control
	// (fewer than k, it is then 0). Set only by disclosure.Publish; false
	// in every analyst output.
	ResponsesSuppressed bool `json:"responses_suppressed,omitempty"`
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
	// Withheld marks the whole table as withheld by disclosure control: its
	// base is below the survey's small-cell threshold, and Question carries
	// no figure (Correlation and Grouping are nil, Notes empty). Set only
	// by disclosure.Publish; false in every analyst output.
	Withheld bool `json:"withheld,omitempty"`
}

// Report computes the tables of the survey's report section, in order.
// A survey without one gets a table per question. Each table is grouped by
// its own by; a count table without one that correlates with a
// single_choice or likert question is grouped by that question (the number
// of options chosen per level, beside Spearman's ρ); opts.By (with
// opts.Bands) groups every other table, except the table of the grouping
// question itself.
//
// A table's Grouping is set only when its result is grouped (a cross-tab,
// or descriptives by group): a matrix, a ranking or a text table is never
// grouped, and carries none. Its groups' N are the table's own bases.
//
// Like Analyze it reads the stream of responses, already filtered, once
// for all the tables, and stops at its first error.
func Report(s *survey.Survey, responses survey.Responses, opts Options) (*ReportResult, error) {
	specs := defaultTables(s)
	if s.Report != nil && len(s.Report.Tables) > 0 {
		specs = s.Report.Tables
	}
	p := newPass(s, opts.Lang)
	if opts.By != "" {
		if _, err := p.grouper(opts.By, opts.Bands); err != nil {
			return nil, err
		}
	}
	type table struct {
		spec survey.ReportTable
		acc  *questionAcc
		pair *pairAcc
	}
	tables := make([]table, 0, len(specs))
	for _, spec := range specs {
		q := s.Question(spec.Question)
		if q == nil {
			return nil, survey.Errorf(survey.EINVALID, "Report table %q is about %q, which is not a question of the survey.", spec.ID, spec.Question)
		}
		by, bands := spec.By, spec.Bands
		if c := s.Question(spec.Correlate); by == "" && spec.Summary == survey.SummaryCount && c != nil && (c.Type == survey.Likert || c.Type == survey.SingleChoice) {
			by = c.ID
		}
		if by == "" && opts.By != "" && spec.Question != opts.By && groupable(q) {
			by, bands = opts.By, opts.Bands
		}
		spec.By, spec.Bands = by, bands // the published spec says how the table is grouped
		g := -1
		if by != "" {
			var err error
			if g, err = p.grouper(by, bands); err != nil {
				return nil, err
			}
		}
		t := table{spec: spec, acc: p.add(q, g)}
		if spec.Correlate != "" {
			other := s.Question(spec.Correlate)
			if other == nil {
				return nil, survey.Errorf(survey.EINVALID, "Report table %q correlates with %q, which is not a question of the survey.", spec.ID, spec.Correlate)
			}
			t.pair = p.pair(q, other)
		}
		tables = append(tables, t)
	}
	if err := p.run(responses); err != nil {
		return nil, err
	}
	out := &ReportResult{Survey: s.Slug, Version: s.Version, Title: p.text(s.Title), Language: p.lang, Responses: p.n}
	for i, t := range tables {
		tr := TableResult{Number: i + 1, Spec: t.spec, Title: p.text(t.spec.Title), Question: t.acc.result(t.spec.Summary)}
		tr.Grouping = tableGrouping(t.acc, tr.Question)
		if tr.Title == "" {
			tr.Title = tr.Question.Label
		}
		if t.pair != nil {
			tr.Correlation = Spearman(t.pair.xs, t.pair.ys)
		}
		tr.Notes = Notes(p.lang, tr)
		out.Tables = append(out.Tables, tr)
	}
	return out, nil
}

// groupable reports whether a request's grouping applies to a question's
// table: the kinds whose results have a cross-tab or descriptives by group.
func groupable(q *survey.Question) bool {
	switch q.Type {
	case survey.SingleChoice, survey.Likert, survey.MultiChoice, survey.Number:
		return true
	}
	return false
}

// tableGrouping is the grouping published with a table: nil when its
// result is not grouped, else a copy whose groups' N are the table's bases
// (respondents in the group who answered the question), the numbers its
// percentages and descriptives are of.
func tableGrouping(a *questionAcc, r *QuestionResult) *Grouping {
	g := a.grouping()
	if g == nil || r.CrossTab == nil && len(r.ByGroup) == 0 {
		return nil
	}
	out := *g
	out.Groups = make([]Group, len(g.Groups))
	for j, grp := range g.Groups {
		grp.N = 0
		if j < len(a.gAnswered) {
			grp.N = a.gAnswered[j]
		}
		out.Groups[j] = grp
	}
	return &out
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

// Notes say, in the reader's language, how to read a table: its base,
// that several answers were allowed, what was left out, where the question
// was not asked, and when a test is doubtful. They quote only figures the
// table publishes: a count withheld by disclosure control (its Suppressed
// flag) is left out of the note that would carry it, so disclosure.Publish
// rewrites a table's notes with it.
func Notes(lang string, t TableResult) []string {
	r, g := t.Question, t.Grouping
	if r == nil || t.Withheld {
		return nil
	}
	var n []string
	f := func(v int) string { return survey.FormatInt(lang, v) }
	multi := r.Type == survey.MultiChoice
	hidden := r.AnsweredSuppressed || r.AskedSuppressed || r.NotTicked != nil && r.NotTicked.Suppressed
	switch {
	case hidden && multi:
		n = append(n, message(lang, "note_base_multi_plain"))
	case hidden:
		n = append(n, message(lang, "note_base_plain"))
	case multi && r.Asked != r.Answered:
		n = append(n, message(lang, "note_base_multi", f(r.Answered), f(r.Asked), f(r.Asked-r.Answered)))
	case r.Asked != r.Answered:
		n = append(n, message(lang, "note_base", f(r.Asked), f(r.Answered)))
	}
	if multi && t.Spec.Summary != survey.SummaryCount {
		n = append(n, message(lang, "note_multiple"))
	}
	if r.Missing > 0 || r.MissingSuppressed {
		var labels []string
		for _, o := range r.Options {
			if o.Missing {
				labels = append(labels, o.Label)
			}
		}
		if ct := r.CrossTab; len(r.Options) == 0 && ct != nil {
			for i, m := range ct.Missing {
				if m {
					labels = append(labels, ct.RowLabels[i])
				}
			}
		}
		if r.MissingSuppressed {
			n = append(n, message(lang, "note_missing_plain", listOf(lang, labels)))
		} else {
			n = append(n, message(lang, "note_missing", f(r.Missing), listOf(lang, labels)))
		}
	}
	if ct := r.CrossTab; ct != nil && g != nil {
		var hidden []string
		for j, na := range ct.NotAsked {
			if na && j < len(g.Groups) && g.Groups[j].Respondents > 0 {
				hidden = append(hidden, g.Groups[j].Label)
			}
		}
		if len(hidden) > 0 {
			n = append(n, message(lang, "note_not_asked", listOf(lang, hidden)))
		}
		if ct.Warning != "" {
			n = append(n, ct.Warning)
		}
	}
	return n
}
