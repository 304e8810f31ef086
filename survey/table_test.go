package survey

import (
	"reflect"
	"testing"
)

// TestTableHeaders: ids and export column names win over labels; a label
// two questions share names neither; a matrix is read by its rows only.
func TestTableHeaders(t *testing.T) {
	s, err := ParseDefinition([]byte(`
slug: t
version: 1
default_language: en
languages: [en, fr]
title: {en: T}
sections:
  - id: s
    questions:
      - id: size
        type: number
        label: {en: "Staff", fr: "Effectif"}
      - id: staff
        type: number
        label: {en: "Size"}
      - id: a
        type: single_choice
        label: {en: "Same", fr: "Effectif"}
        options: [{value: x, label: {en: "X-ray", fr: "Radio"}}, {value: other, other: true, label: {en: Other}}]
      - id: b
        type: text
        label: {en: "Same?"}
      - id: grid
        type: matrix
        label: {en: "Grid"}
        options: [{value: lo, label: {en: Low}}]
        rows: [{id: r1, label: {en: "Row"}}]
`), "yaml")
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for k, c := range s.TableHeaders() {
		got[k] = c.Key()
	}
	want := map[string]string{"size": "size", "staff": "staff", "a": "a", "a other": "a_other", "b": "b", "grid r1": "grid.r1"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("headers %v, want %v", got, want)
	}
	if f := FoldHeader("  Paid staff, in FULL-time_equivalents? "); f != "paid staff in full time equivalents" {
		t.Errorf("folded %q", f)
	}
	cols := []TableColumn{{Question: s.Question("a")}, {Question: s.Question("a"), Other: true}, {Question: s.Question("size")}, {Question: s.Question("grid"), Row: "r1"}, {}}
	raw, problems := s.TableAnswers(cols, []string{"radio", "  ", "1200.5", "LOW", "ignored"})
	if len(problems) != 0 || !reflect.DeepEqual(raw, map[string]any{"a": "x", "size": 1200.5, "grid": map[string]any{"r1": "lo"}}) {
		t.Errorf("raw answers %v, problems %v", raw, problems)
	}
}
