package survey

import "fmt"

// matrixKind is a table of rows (statements) each answered on one scale of
// options. The answer maps row id to option value. Rows may have their own
// show_if; a hidden row is never required and its answer is dropped.
type matrixKind struct{}

func (matrixKind) fields() []string { return []string{fieldOptions, fieldRows} }

func (matrixKind) checkDefinition(v *validator, path string, q *Question) {
	v.options(path, q, false)
	if len(q.Rows) == 0 {
		v.fail(path+".rows", "matrix question %q needs at least one row", q.ID)
	}
	seen := map[string]bool{}
	for i, r := range q.Rows {
		p := fmt.Sprintf("%s.rows[%d]", path, i)
		if !idPattern.MatchString(r.ID) {
			v.fail(p+".id", "row id must start with a lowercase letter and use only a-z, 0-9 and _, got %q", r.ID)
		} else if seen[r.ID] {
			v.fail(p+".id", "duplicate row id %q", r.ID)
		}
		seen[r.ID] = true
		v.text(p+".label", r.Label, true)
		v.condition(p+".show_if", r.ShowIf)
	}
}

func (matrixKind) normalize(q *Question, raw any, answered Answers, _ string) (any, *message) {
	m, ok := raw.(map[string]any)
	if !ok {
		return nil, msg("want_rows")
	}
	out := map[string]string{}
	for rowID, val := range m {
		row := q.row(rowID)
		if row == nil {
			return nil, msg("bad_row", rowID)
		}
		s, ok := scalarCode(val)
		if !ok {
			return nil, msg("want_one")
		}
		if s == "" || !row.ShowIf.Holds(answered) {
			continue
		}
		if q.Option(s) == nil {
			return nil, msg("bad_option", s)
		}
		out[rowID] = s
	}
	if q.Required && len(out) > 0 {
		for _, r := range q.Rows {
			if _, ok := out[r.ID]; !ok && r.ShowIf.Holds(answered) {
				return nil, msg("required_rows")
			}
		}
	}
	if len(out) == 0 {
		return nil, nil
	}
	return out, nil
}

func (matrixKind) columns(q *Question) []Column {
	cols := make([]Column, 0, len(q.Rows))
	for i := range q.Rows {
		r := &q.Rows[i]
		cols = append(cols, Column{Key: q.ID + "." + r.ID, Question: q, Row: r})
	}
	return cols
}

func (q *Question) row(id string) *Row {
	for i := range q.Rows {
		if q.Rows[i].ID == id {
			return &q.Rows[i]
		}
	}
	return nil
}

// VisibleRows returns the rows of a matrix shown given the earlier answers.
func (q *Question) VisibleRows(answered Answers) []Row {
	var rows []Row
	for _, r := range q.Rows {
		if r.ShowIf.Holds(answered) {
			rows = append(rows, r)
		}
	}
	return rows
}
