// Package export writes survey results for the working group: white-paper
// workbooks of the report tables, raw-data workbooks (one row per
// response, with a codebook), CSV and JSON Lines. It takes a survey and its
// responses (or computed report tables), never a database handle.
//
// Safety: a cell a respondent wrote is never a formula. In XLSX, text is
// written as text cells (no formula element), whatever it starts with; in
// CSV, text starting with =, +, -, @, a tab or a carriage return (or their
// full-width forms) gets a leading apostrophe, the OWASP-recommended guard
// for spreadsheet programs that open CSV files.
package export

import (
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/metlib/canvass/survey"
)

// Options controls an export.
type Options struct {
	// Lang is the language of labels (default: the survey's).
	Lang string
	// Labels writes option labels instead of codes in raw exports.
	Labels bool
	// BOM starts CSV files with a UTF-8 byte order mark, which Excel needs
	// to read UTF-8.
	BOM bool
	// Generated is the time printed on exports (default: now).
	Generated time.Time
	// Progress, when set, is called with the number of rows written so far.
	Progress func(rows int)
	// MaxRowsPerSheet overrides Excel's limit of 1,048,576 rows (tests use a small one).
	MaxRowsPerSheet int
}

func (o Options) lang(s *survey.Survey) string {
	if o.Lang != "" && s.HasLanguage(o.Lang) {
		return o.Lang
	}
	return s.DefaultLanguage
}

// Responses is the stream of responses the raw exports read as they write
// (the store's cursor: survey.Responses), so memory does not grow with
// the rows.
type Responses = survey.Responses

// Slice turns a slice into Responses (survey.ResponsesOf).
func Slice(rs []*survey.Response) Responses { return survey.ResponsesOf(rs) }

// MaxCellText is Excel's limit on the characters in a cell.
const MaxCellText = 32767

// truncationMarker ends text cut to fit a cell.
const truncationMarker = " […truncated by Canvass]"

// fitCell cuts text longer than Excel allows, with a visible marker.
func fitCell(s string) (string, bool) {
	if utf8.RuneCountInString(s) <= MaxCellText {
		return s, false
	}
	r := []rune(s)
	return string(r[:MaxCellText-utf8.RuneCountInString(truncationMarker)]) + truncationMarker, true
}

// formulaStarts are the characters that make spreadsheet programs read text
// as a formula, with their full-width forms.
const formulaStarts = "=+-@\t\r＝＋－＠"

// NeutralizeCSV prefixes text that a spreadsheet would evaluate with an
// apostrophe, so it stays text. Leading spaces do not hide a formula from
// some programs, so they are looked past.
func NeutralizeCSV(s string) string {
	trimmed := strings.TrimLeft(s, " ")
	if trimmed == "" {
		return s
	}
	r, _ := utf8.DecodeRuneInString(trimmed)
	if strings.ContainsRune(formulaStarts, r) {
		return "'" + s
	}
	return s
}

// column is one column of a flat export.
type column struct {
	key   string
	title string // the question (and option or row) text
	col   survey.Column
	fixed func(r *survey.Response) any
}

// fixedColumns come before the questions. Their keys start with "_", which
// no question's column can (ids start with a letter), so a question named
// "country" or "region" never collides with them.
func fixedColumns() []column {
	return []column{
		{key: "_response_id", title: "Response id", fixed: func(r *survey.Response) any { return r.ID }},
		{key: "_submission_id", title: "Submission id", fixed: func(r *survey.Response) any { return r.SubmissionID }},
		{key: stampKey, title: "Submitted at (UTC)", fixed: func(r *survey.Response) any {
			if r.SubmittedAt != nil {
				return r.SubmittedAt.UTC()
			}
			return r.CreatedAt.UTC()
		}},
		{key: "_survey_version", title: "Survey version", fixed: func(r *survey.Response) any { return r.SurveyVersion }},
		{key: "_language", title: "Language", fixed: func(r *survey.Response) any { return r.Language }},
		{key: "_country", title: "Country", fixed: func(r *survey.Response) any { return r.Country }},
		{key: "_region", title: "IFLA region", fixed: func(r *survey.Response) any { return string(r.Region) }},
		{key: "_library_id", title: "Library", fixed: func(r *survey.Response) any { return r.LibraryID }},
	}
}

// questionColumns lists the columns of s's questions in a flat export,
// after the fixed ones.
func questionColumns(s *survey.Survey, lang string) []column {
	var cols []column
	text := func(t survey.Text) string { return t.In(lang, s.DefaultLanguage) }
	for _, c := range s.Columns() {
		title := text(c.Question.Label)
		switch {
		case c.Option != nil:
			title += ": " + text(c.Option.Label)
		case c.Row != nil:
			title += ": " + text(c.Row.Label)
		case c.OtherText:
			title += ": other (please specify)"
		case c.ChangeNote:
			title += ": explanation of the change"
		}
		cols = append(cols, column{key: c.Key, title: title, col: c})
	}
	return cols
}

// numericCodes reports whether a question's options are a numeric scale,
// so coded answers are written as numbers.
func numericCodes(q *survey.Question) bool {
	if q.Type != survey.Likert && q.Type != survey.Matrix {
		return false
	}
	for _, o := range q.Options {
		if _, err := strconv.Atoi(string(o.Value)); err != nil {
			return false
		}
	}
	return true
}

// plan fills a flat row from a response, a question at a time, in the
// column order of the fixed columns then questionColumns. It is built once per export: per row, each
// answer is read once, whatever the number of columns it spans.
type plan struct {
	cols      []column
	fixed     int // the fixed columns come first
	questions []questionPlan
}

type questionPlan struct {
	q      *survey.Question
	start  int            // the question's first column
	offset map[string]int // multi_choice, ranking: option → column; matrix: row → column
	other  int            // the other-text column, or −1
	note   int            // the change-explanation column, or −1
	codes  map[string]any // option code → the value written (label, number or code)
}

func newPlan(s *survey.Survey, lang string, labels bool) *plan {
	return newPlanWith(fixedColumns(), s, lang, labels)
}

// newPlanWith is newPlan with other fixed columns first (the series
// exports': the wave, the survey, the library).
func newPlanWith(fixed []column, s *survey.Survey, lang string, labels bool) *plan {
	p := &plan{cols: append(fixed, questionColumns(s, lang)...), fixed: len(fixed)}
	i := p.fixed
	for i < len(p.cols) {
		q := p.cols[i].col.Question
		qp := questionPlan{q: q, start: i, other: -1, note: -1, offset: map[string]int{}, codes: map[string]any{}}
		numeric := numericCodes(q)
		for _, o := range q.Options {
			var v any = string(o.Value)
			if labels {
				v = o.Label.In(lang, s.DefaultLanguage)
			} else if numeric {
				v, _ = strconv.Atoi(string(o.Value))
			}
			qp.codes[string(o.Value)] = v
		}
		for i < len(p.cols) && p.cols[i].col.Question == q {
			c := p.cols[i].col
			switch {
			case c.OtherText:
				qp.other = i
			case c.ChangeNote:
				qp.note = i
			case c.Option != nil:
				qp.offset[string(c.Option.Value)] = i
			case c.Row != nil:
				qp.offset[c.Row.ID] = i
			}
			i++
		}
		p.questions = append(p.questions, qp)
	}
	return p
}

// fill writes a response's values into row (len(p.cols)): string, int,
// float64, time.Time, or nil for an empty cell. typed[i] is set where the
// text was typed by the respondent.
func (p *plan) fill(r *survey.Response, row []any, typed []bool) {
	clear(row)
	clear(typed)
	for i := 0; i < p.fixed; i++ {
		v := p.cols[i].fixed(r)
		if s, ok := v.(string); ok && s == "" {
			v = nil
		}
		row[i] = v
	}
	a := r.Answers
	for k := range p.questions {
		qp := &p.questions[k]
		q := qp.q
		v, answered := a[q.ID]
		if !answered {
			continue
		}
		if qp.other >= 0 {
			if t := a.String(q.ID + survey.OtherSuffix); t != "" {
				row[qp.other], typed[qp.other] = t, true
			}
		}
		if qp.note >= 0 {
			if t := a.String(q.ID + survey.ChangeNoteSuffix); t != "" {
				row[qp.note], typed[qp.note] = t, true
			}
		}
		switch q.Type {
		case survey.MultiChoice:
			for _, o := range q.Options {
				row[qp.offset[string(o.Value)]] = 0
			}
			for _, chosen := range strs(v) {
				if c, ok := qp.offset[chosen]; ok {
					row[c] = 1
				}
			}
		case survey.Ranking:
			for pos, chosen := range strs(v) {
				if c, ok := qp.offset[chosen]; ok {
					row[c] = pos + 1
				}
			}
		case survey.Matrix:
			m, _ := v.(map[string]string)
			for rowID, code := range m {
				if c, ok := qp.offset[rowID]; ok {
					row[c] = qp.code(code)
				}
			}
		case survey.Number:
			row[qp.start] = v
		case survey.Date:
			if t, err := time.Parse(time.DateOnly, str(v)); err == nil {
				row[qp.start] = t
			}
		case survey.SingleChoice, survey.Likert:
			row[qp.start] = qp.code(str(v))
		case survey.Country:
			row[qp.start] = str(v)
		default:
			row[qp.start], typed[qp.start] = str(v), true
		}
	}
}

// header is the plan's column keys; "_submitted_at" is the time stamp.
func (p *plan) header() header {
	h := header{keys: make([]string, len(p.cols)), stamps: make([]bool, len(p.cols))}
	for i, c := range p.cols {
		h.keys[i], h.stamps[i] = c.key, c.key == stampKey
	}
	return h
}

// stampKey is the fixed column holding a time stamp (a date-time).
const stampKey = "_submitted_at"

// writeAll writes a row per response and closes out.
func (p *plan) writeAll(responses Responses, out rowWriter) error {
	row := make([]any, len(p.cols))
	typed := make([]bool, len(p.cols))
	for r, err := range responses {
		if err != nil {
			return err
		}
		p.fill(r, row, typed)
		if err := out.write(row, typed); err != nil {
			return err
		}
	}
	return out.close()
}

func (qp *questionPlan) code(v string) any {
	if c, ok := qp.codes[v]; ok {
		return c
	}
	return v
}

func str(v any) string    { s, _ := v.(string); return s }
func strs(v any) []string { s, _ := v.([]string); return s }
