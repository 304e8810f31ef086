package survey

import (
	"strconv"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// A table of answers is a spreadsheet of one row per respondent, as an old
// round collected elsewhere comes: a column per question (or per part of
// one), its header the question's id, its label in one of the survey's
// languages, or a column name of the raw export (qid_other, qid.row,
// qid.option). TableAnswers turns a row's cells into raw answers for
// CheckAnswers or CheckDraft, which hold them to the survey's rules as
// for any submission.

// TableColumn is what one column of a table of answers holds.
type TableColumn struct {
	// Question is the question the column answers.
	Question *Question
	// Row is set for a matrix row's column ("qid.row").
	Row string
	// Option is set for a multi_choice option's 0/1 column, or a ranking
	// option's rank ("qid.option").
	Option Code
	// Other marks the "please specify" text ("qid_other").
	Other bool
}

// Key is the column's name in the raw export: the question id,
// "qid_other", "qid.row" or "qid.option".
func (c TableColumn) Key() string {
	switch {
	case c.Other:
		return c.Question.ID + OtherSuffix
	case c.Row != "":
		return c.Question.ID + "." + c.Row
	case c.Option != "":
		return c.Question.ID + "." + string(c.Option)
	}
	return c.Question.ID
}

// TableHeaders maps the headers a table of answers may give its columns,
// folded by FoldHeader, to what each column holds: every question's id,
// the raw export's column names (a matrix's rows and a multi_choice's
// options as 0/1 columns; the explanations of changes are not read), and
// every question's label in each of the survey's languages, for the whole
// answer (not a matrix's: its rows have columns of their own). An id or a
// column name wins over a label; a label two questions share names
// neither.
func (s *Survey) TableHeaders() map[string]TableColumn {
	out := map[string]TableColumn{}
	for _, c := range s.Columns() {
		if c.ChangeNote {
			continue
		}
		tc := TableColumn{Question: c.Question, Other: c.OtherText}
		switch {
		case c.Row != nil:
			tc.Row = c.Row.ID
		case c.Option != nil:
			tc.Option = c.Option.Value
		}
		if _, taken := out[FoldHeader(c.Key)]; !taken {
			out[FoldHeader(c.Key)] = tc
		}
	}
	labels := map[string]*Question{}
	shared := map[string]bool{}
	for _, q := range s.Questions() {
		if q.Type == Matrix {
			continue
		}
		if _, taken := out[FoldHeader(q.ID)]; !taken {
			out[FoldHeader(q.ID)] = TableColumn{Question: q}
		}
		for _, l := range q.Label {
			k := FoldHeader(l)
			if other := labels[k]; other != nil && other != q {
				shared[k] = true
			}
			labels[k] = q
		}
	}
	for k, q := range labels {
		if _, taken := out[k]; !taken && k != "" && !shared[k] {
			out[k] = TableColumn{Question: q}
		}
	}
	return out
}

// FoldHeader folds a column header, a question label or a cell naming an
// option for comparison: lower case, in NFC, letters and digits only, each
// run of anything else (spaces, underscores, hyphens, dots, punctuation)
// one space, none at either end. "Budget band", "budget_band" and
// " BUDGET-BAND: " fold alike.
func FoldHeader(s string) string {
	var b strings.Builder
	space := false
	for _, r := range norm.NFC.String(strings.ToLower(s)) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(r)
		} else {
			space = true
		}
	}
	return b.String()
}

// CellProblem is a cell TableAnswers could not read: the index of its
// column and why.
type CellProblem struct {
	Column  int
	Message string
}

// TableAnswers turns one row of a table of answers (cells, by column, the
// columns as cols gives them; an unmapped column's entry has no Question)
// into raw answers, which CheckDraft or CheckAnswers then check. A choice
// is given by its option's value or by its label in any of the survey's
// languages (any case); a multi_choice or a ranking in one column lists
// its options separated by ";" or "|" (a ranking in rank order); a
// multi_choice option's own column is ticked by 1, yes, x or true (0, no,
// false or empty leave it out); a number is read as written with a
// decimal point or, otherwise, as text in lang's convention; a country
// by its ISO code. Anything else is passed as it is, so that the survey's
// checks say what does not fit. The cells a column of a part cannot read
// (a 0/1 column holding something else) are returned as problems.
func (s *Survey) TableAnswers(cols []TableColumn, cells []string) (map[string]any, []CellProblem) {
	raw := map[string]any{}
	var problems []CellProblem
	for i, c := range cols {
		q := c.Question
		if q == nil || i >= len(cells) {
			continue
		}
		cell := strings.TrimSpace(cells[i])
		if cell == "" {
			continue
		}
		switch {
		case c.Other:
			raw[q.ID+OtherSuffix] = cell
		case c.Row != "":
			rows, _ := raw[q.ID].(map[string]any)
			if rows == nil {
				rows = map[string]any{}
				raw[q.ID] = rows
			}
			rows[c.Row] = optionCode(q, cell)
		case c.Option != "" && q.Type == Ranking:
			ranks, _ := raw[q.ID].(map[string]any)
			if ranks == nil {
				ranks = map[string]any{}
				raw[q.ID] = ranks
			}
			ranks[string(c.Option)] = cell
		case c.Option != "":
			ticked, ok := tick(cell)
			if !ok {
				problems = append(problems, CellProblem{Column: i, Message: "a column of one option is ticked with 1, yes or x, or left empty (0, no); got " + strconv.Quote(cell)})
				continue
			}
			list, _ := raw[q.ID].([]any)
			if ticked {
				raw[q.ID] = append(list, string(c.Option))
			} else if list == nil {
				raw[q.ID] = []any{}
			}
		default:
			raw[q.ID] = cellAnswer(q, cell)
		}
	}
	return raw, problems
}

// cellAnswer is a whole answer's cell as a raw answer.
func cellAnswer(q *Question, cell string) any {
	switch q.Type {
	case SingleChoice, Likert:
		return optionCode(q, cell)
	case MultiChoice, Ranking:
		parts := strings.FieldsFunc(cell, func(r rune) bool { return r == ';' || r == '|' || r == '\n' })
		list := make([]any, 0, len(parts))
		for _, p := range parts {
			if p = strings.TrimSpace(p); p != "" {
				list = append(list, optionCode(q, p))
			}
		}
		return list
	case Number:
		// A spreadsheet's number cell reads as Go writes floats (1200,
		// 1200.5, 1.2E+06); any other text is read as typed in lang.
		if f, err := strconv.ParseFloat(cell, 64); err == nil && !strings.ContainsAny(cell, "nNiI") {
			return f
		}
	case Country:
		if len(cell) == 2 {
			return strings.ToUpper(cell)
		}
	}
	return cell
}

// optionCode is the value of q's option a cell names: by its value (any
// case) or by its label in any language (folded); the cell itself when
// none, so that the check reports it.
func optionCode(q *Question, cell string) string {
	if q.Option(cell) != nil {
		return cell
	}
	folded := FoldHeader(cell)
	for _, o := range q.Options {
		if strings.EqualFold(string(o.Value), cell) {
			return string(o.Value)
		}
	}
	for _, o := range q.Options {
		for _, l := range o.Label {
			if FoldHeader(l) == folded && folded != "" {
				return string(o.Value)
			}
		}
	}
	return cell
}

// tick reads a 0/1 cell: whether it ticks the option, and whether it is
// one of the words that say.
func tick(cell string) (ticked, ok bool) {
	switch strings.ToLower(cell) {
	case "1", "yes", "y", "x", "true", "oui", "si", "sí":
		return true, true
	case "0", "no", "n", "false", "non", "-":
		return false, true
	}
	return false, false
}
