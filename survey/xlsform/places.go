package xlsform

import (
	"errors"
	"fmt"
	"strings"

	"github.com/metlib/canvass/survey"
)

// The validator names problems by their path in the definition
// ("sections[0].questions[1].show_if.question"), which means nothing to the
// person holding the workbook. While building, the parser records where in
// the workbook each section, question and choice came from; locate then
// turns each path into a sheet, a row and a column.

// placeKind says what a recorded place holds, which decides the column a
// path's remainder falls in.
type placeKind int

const (
	placeSection placeKind = iota
	placeQuestion
	placeChoice
	placeSettings
	placeHeader
)

// place is one spot in the workbook: a row of a sheet and, for settings and
// header cells, its column.
type place struct {
	kind   placeKind
	sheet  string
	row    int
	column string
}

// mark records that the definition element at path came from pl.
func (p *parser) mark(path string, pl place) {
	if p.places == nil {
		p.places = map[string]place{}
	}
	p.places[path] = pl
}

// markSettings records the top-level fields that the settings sheet sets,
// under the column that set them.
func (p *parser) markSettings() {
	for path, cols := range map[string][]string{
		"slug":             {"form_id", "id_string"},
		"title":            {"form_title", "title"},
		"version":          {"version"},
		"default_language": {"default_language"},
	} {
		for _, col := range cols {
			if p.settings[col] != "" {
				p.mark(path, place{kind: placeSettings, sheet: "settings", row: 2, column: col})
				break
			}
		}
	}
}

// questionColumns maps a question's fields to the survey-sheet column that
// sets them.
var questionColumns = map[string]string{
	"id": "name", "type": "type", "label": "label", "help": "hint", "required": "required",
	"show_if": "relevant", "options": "type", "min": "constraint", "max": "constraint",
	"pattern": "constraint", "max_length": "constraint", "min_selected": "constraint",
	"max_selected": "constraint", "integer": "type",
}

// sectionColumns maps a section's fields (a begin group row) likewise.
var sectionColumns = map[string]string{"id": "name", "title": "label", "show_if": "relevant"}

// locate sets the sheet, row and column of every problem of err whose path
// the workbook explains, and returns err.
func (p *parser) locate(err error) error {
	var e *survey.Error
	if !errors.As(err, &e) {
		return err
	}
	for i := range e.Fields {
		p.locateField(&e.Fields[i])
	}
	return err
}

func (p *parser) locateField(f *survey.FieldError) {
	if f.Path == "sections" {
		f.Sheet = "survey"
		return
	}
	// The longest recorded prefix of the path is the element; what follows
	// it is the field, and the field is the column.
	segs := strings.Split(f.Path, ".")
	for n := len(segs); n > 0; n-- {
		pl, ok := p.places[strings.Join(segs[:n], ".")]
		if !ok {
			continue
		}
		f.Sheet, f.Row, f.Column = pl.sheet, pl.row, pl.column
		if f.Column == "" {
			f.Column = p.column(pl, strings.Join(segs[n:], "."))
		}
		return
	}
}

// column names the column of field rest of an element at pl: "show_if.all[0]"
// of a question is "relevant", "label.fr" the French label column.
func (p *parser) column(pl place, rest string) string {
	field, sub, _ := strings.Cut(rest, ".")
	if i := strings.IndexByte(field, '['); i >= 0 {
		field = field[:i]
	}
	var col string
	switch pl.kind {
	case placeQuestion:
		col = questionColumns[field]
	case placeSection:
		col = sectionColumns[field]
	case placeChoice:
		col = map[string]string{"value": "name", "label": "label"}[field]
	}
	if (col == "label" || col == "hint") && sub != "" && sub != p.lang {
		t := p.survey
		if pl.kind == placeChoice {
			t = p.choiceT
		}
		if h := t.languageColumn(col, sub); h != "" {
			return h
		}
	}
	return col
}

// languageColumn is the header of the column "col::…" in language lang.
func (t *table) languageColumn(col, lang string) string {
	if t == nil {
		return ""
	}
	for _, h := range t.header {
		if l, ok := strings.CutPrefix(h, col+"::"); ok && languageCode(l) == lang {
			return h
		}
	}
	return ""
}

// markQuestion records question q at path, found at row of the survey
// sheet, and its options at their choice rows.
func (p *parser) markQuestion(path string, row int, q *survey.Question) {
	p.mark(path, place{kind: placeQuestion, sheet: "survey", row: row})
	for i, r := range p.optionRows[q] {
		pl := place{kind: placeChoice, sheet: "choices", row: r}
		if r == 0 { // "or_other": the option comes from the question's type
			pl = place{kind: placeQuestion, sheet: "survey", row: row, column: "type"}
		}
		p.mark(fmt.Sprintf("%s.options[%d]", path, i), pl)
	}
	// The validator names a question's reserved id by the question's id.
	p.mark("questions."+q.ID, place{kind: placeQuestion, sheet: "survey", row: row, column: "name"})
}

// noteOptionRow records that q's next option came from row of the choices
// sheet (0: from the question's own type, "or_other").
func (p *parser) noteOptionRow(q *survey.Question, row int) {
	if p.optionRows == nil {
		p.optionRows = map[*survey.Question][]int{}
	}
	p.optionRows[q] = append(p.optionRows[q], row)
}
