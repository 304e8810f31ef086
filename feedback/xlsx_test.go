package feedback_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/metlib/canvass/feedback"
	"github.com/metlib/canvass/internal/openpyxl"
)

// readBack is what openpyxl reads from the workbook.
type readBack struct {
	Sheets []string           `json:"sheets"`
	Freeze string             `json:"freeze"`
	Widths map[string]float64 `json:"widths"`
	Cells  []struct {
		Row, Col int
		Value    any
		Type     string
		Format   string
		Wrap     bool
	} `json:"cells"`
}

const readScript = `
import json, sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
ws = wb.worksheets[0]
cells = []
for row in ws.iter_rows():
    for c in row:
        if c.value is None:
            continue
        cells.append({"Row": c.row, "Col": c.column, "Value": c.value, "Type": c.data_type,
                      "Format": c.number_format, "Wrap": bool(c.alignment.wrap_text)})
print(json.dumps({"sheets": wb.sheetnames, "freeze": ws.freeze_panes,
                  "widths": {k: v.width for k, v in ws.column_dimensions.items()}, "cells": cells}, default=str))
`

func readXLSX(t *testing.T, r *feedback.Report) readBack {
	t.Helper()
	python := openpyxl.Python(t)
	var b bytes.Buffer
	if err := feedback.WriteXLSX(&b, r); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "report.xlsx")
	if err := os.WriteFile(path, b.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(python, "-c", readScript, path).Output()
	if err != nil {
		t.Fatalf("openpyxl: %v", err)
	}
	var rb readBack
	if err := json.Unmarshal(out, &rb); err != nil {
		t.Fatal(err)
	}
	return rb
}

// xlsxWords are the workbook's static words a reader should find.
var xlsxWords = map[string]map[string]string{
	"en": {"sheet": "Report", "title": "How we compare", "survey": "Survey", "library": "Library", "date": "Date", "rule": "Every peer figure comes from at least 5 libraries",
		"groups": "Compared with", "merged": "Merged groups", "legend": "Legend", "section": "Section", "share": "Share", "median": "Median",
		"value": "Value", "options": "Number of options chosen", "missing": "Chosen most by peers, not by you", "notes": "Notes"},
	"fr": {"sheet": "Rapport", "title": "Comment nous nous situons", "survey": "Enquête", "library": "Bibliothèque", "date": "Date", "rule": "Chaque chiffre des pairs vient d’au moins 5 bibliothèques",
		"groups": "Comparaison avec", "merged": "Groupes fusionnés", "legend": "Légende", "section": "Section", "share": "Part", "median": "Médiane",
		"value": "Valeur", "options": "Nombre d’options choisies", "missing": "Les plus choisies par les pairs, pas par vous", "notes": "Notes"},
	"es": {"sheet": "Informe", "title": "Cómo nos comparamos", "survey": "Encuesta", "library": "Biblioteca", "date": "Fecha", "rule": "Cada cifra de los pares procede de al menos 5 bibliotecas",
		"groups": "Comparación con", "merged": "Grupos fusionados", "legend": "Leyenda", "section": "Sección", "share": "Proporción", "median": "Mediana",
		"value": "Valor", "options": "Número de opciones elegidas", "missing": "Las más elegidas por los pares, no por usted", "notes": "Notas"},
}

// cell is an expected cell: a string (exact, or a prefix when prefix is
// set) or a number with its format.
type cell struct {
	str    string
	prefix bool
	num    float64
	isNum  bool
	format string
}

func s(v string) cell       { return cell{str: v} }
func pre(v string) cell     { return cell{str: v, prefix: true} }
func pcent(v float64) cell  { return cell{num: v, isNum: true, format: "0%"} }
func dec(v float64) cell    { return cell{num: v, isNum: true, format: decFormats[v]} }
func count(v int) cell      { return cell{num: float64(v), isNum: true, format: "#,##0"} }
func hiddenCells() []cell   { return []cell{s("x"), s("x"), s("x"), {}, {}, {}, s("x")} }
func hiddenFigures() []cell { return []cell{{}, {}, {}, s("x"), s("x"), s("x"), s("x")} }
func figureCells(g feedback.NumberFigure) []cell {
	if g.Hidden {
		return hiddenFigures()
	}
	return []cell{{}, {}, {}, dec(g.Q1), dec(g.Median), dec(g.Q3), count(g.N)}
}

// decFormats are the formats a quartile, a median or a value is shown in:
// decimals where the value has them, as many as the PDF writes, none for a
// whole number (never "5.00").
var decFormats = map[float64]string{
	4: "#,##0", 9: "#,##0", 800: "#,##0", 1500: "#,##0", 2100: "#,##0", 12500: "#,##0",
	7.5: "#,##0.0", 1234.5: "#,##0.0", 950.25: "#,##0.00",
	0.02: "#,##0.00", 0.018: "#,##0.000", 0.031: "#,##0.000", 0.0125: "#,##0.0000",
}

// expectedSheet is the workbook a reader should see for r, row by row.
func expectedSheet(r *feedback.Report) [][]cell {
	lang, xw := r.Lang, xlsxWords[r.Lang]
	rows := [][]cell{
		{s(xw["title"])},
		{s(xw["survey"]), s(r.Title)},
		{s(xw["library"]), s(r.Library)},
		{s(xw["date"]), s(words[lang]["date"])},
		{s(xw["rule"]), pre(xw["rule"])},
	}
	rows[4][0] = pre(map[string]string{"en": "Rule", "fr": "Règle", "es": "Regla"}[lang])
	if r.TooFew {
		rows = append(rows, []cell{{}, s(feedback.TooFewSentence(lang, r.K))})
	}
	for i, g := range r.Groups {
		row := []cell{{}, s(g.Label), count(g.N)}
		if i == 0 {
			row[0] = s(xw["groups"])
		}
		rows = append(rows, row)
	}
	for i, m := range r.Merged {
		row := []cell{{}, s(feedback.MergedSentence(lang, m))}
		if i == 0 {
			row[0] = s(xw["merged"])
		}
		rows = append(rows, row)
	}
	rows = append(rows, []cell{s(xw["legend"]), s("x — " + feedback.HiddenSentence(lang))}, nil)
	groups, cols := []cell{{}, {}, {}, {}}, []cell{s(xw["section"]), {}, {}, {}}
	cols[1], cols[2], cols[3] = pre(""), pre(""), pre("")
	for _, g := range r.Groups {
		groups = append(groups, s(fmt.Sprintf(pdfWords[lang]["group"], g.Label, num(lang, float64(g.N)))), cell{}, cell{}, cell{}, cell{}, cell{}, cell{})
		cols = append(cols, s(xw["share"]), pre("95"), pre("95"), s("Q1"), s(xw["median"]), s("Q3"), s("N"))
	}
	cols = append(cols, s(xw["notes"]))
	rows = append(rows, groups, cols)
	notesCol := 4 + 7*len(r.Groups)
	for _, sec := range r.Sections {
		for _, it := range sec.Items {
			first := true
			add := func(row []cell, note string) {
				if first && len(it.Notes) > 0 {
					note = strings.TrimSpace(note + " " + strings.Join(it.Notes, " "))
				}
				first = false
				for len(row) < notesCol {
					row = append(row, cell{})
				}
				if note != "" {
					row = append(row, s(note))
				}
				rows = append(rows, row)
			}
			for _, row := range it.Rows {
				answer := row.Label
				if row.Matrix != "" {
					answer = row.Matrix + " / " + row.Label
				}
				yours := cell{}
				if row.Yours {
					yours = s("✓")
				}
				cells := []cell{s(sec.Title), s(it.Label), s(answer), yours}
				for _, sh := range row.Shares {
					if sh.Hidden {
						cells = append(cells, hiddenCells()...)
						continue
					}
					// The share and its interval from the fixture's counts.
					lo, hi := fixtureWilson(sh.Count, sh.Base)
					cells = append(cells, pcent(float64(sh.Count)/float64(sh.Base)), pcent(lo), pcent(hi), cell{}, cell{}, cell{}, count(sh.Base))
				}
				add(cells, "")
			}
			if n := it.Number; n != nil {
				answer := xw["value"]
				if n.Unit != "" {
					answer += " (" + n.Unit + ")"
				}
				yours := cell{}
				if n.Value != nil {
					yours = dec(*n.Value)
				}
				cells := []cell{s(sec.Title), s(it.Label), s(answer), yours}
				for _, g := range n.Groups {
					cells = append(cells, figureCells(g)...)
				}
				add(cells, n.Band)
			}
			if c := it.Count; c != nil {
				yours := cell{} // no count for a library that did not answer
				if len(it.Yours) > 0 {
					yours = count(c.Yours)
				}
				cells := []cell{s(sec.Title), s(it.Label), s(xw["options"]), yours}
				for _, g := range c.Groups {
					cells = append(cells, figureCells(g)...)
				}
				add(cells, "")
			}
			if len(it.Missing) > 0 {
				add([]cell{s(sec.Title), s(it.Label), s(xw["missing"]), s(strings.Join(it.Missing, listSep[lang]))}, "")
			}
			if first {
				add([]cell{s(sec.Title), s(it.Label), s(strings.Join(it.Yours, listSep[lang]))}, "")
			}
		}
	}
	return rows
}

// checkSheet compares every cell openpyxl read with the expected sheet,
// both ways: no cell missing, none more.
func checkSheet(t *testing.T, r *feedback.Report, rb readBack) {
	t.Helper()
	exp := expectedSheet(r)
	got := map[[2]int]int{}
	for i, c := range rb.Cells {
		got[[2]int{c.Row, c.Col}] = i
	}
	seen := 0
	for ri, row := range exp {
		for ci, want := range row {
			if !want.isNum && want.str == "" && !want.prefix {
				continue
			}
			at := fmt.Sprintf("R%dC%d", ri+1, ci+1)
			i, ok := got[[2]int{ri + 1, ci + 1}]
			if !ok {
				if want.prefix && want.str == "" {
					continue
				}
				t.Errorf("%s: empty, want %+v", at, want)
				continue
			}
			seen++
			c := rb.Cells[i]
			if want.isNum {
				v, ok := c.Value.(float64)
				if !ok || c.Type != "n" || math.Abs(v-want.num) > 1e-12 || c.Format != want.format {
					t.Errorf("%s: %v (%s, %q), want the number %v in %q", at, c.Value, c.Type, c.Format, want.num, want.format)
				}
				continue
			}
			v, ok := c.Value.(string)
			if !ok || c.Type != "s" || (want.prefix && !strings.HasPrefix(v, want.str)) || (!want.prefix && v != want.str) {
				t.Errorf("%s: %#v (%s), want the string %q (prefix %v)", at, c.Value, c.Type, want.str, want.prefix)
			}
			if !c.Wrap {
				t.Errorf("%s: text not wrapped", at)
			}
		}
	}
	if seen != len(rb.Cells) {
		for _, c := range rb.Cells {
			if c.Row > len(exp) || c.Col > len(exp[c.Row-1]) {
				t.Errorf("R%dC%d: %#v, want no cell", c.Row, c.Col, c.Value)
			}
		}
		t.Errorf("%d cells read back, %d expected", len(rb.Cells), seen)
	}
}

func TestXLSXReadBack(t *testing.T) {
	t.Parallel()
	for _, lang := range []string{"en", "fr", "es"} {
		for groups := 1; groups <= 5; groups++ {
			t.Run(fmt.Sprintf("%s/%d groups", lang, groups), func(t *testing.T) {
				r := fixture(lang, groups)
				rb := readXLSX(t, r)
				if len(rb.Sheets) != 1 || rb.Sheets[0] != xlsxWords[lang]["sheet"] {
					t.Errorf("sheets %v, want [%s]", rb.Sheets, xlsxWords[lang]["sheet"])
				}
				header := 5 + len(r.Groups) + len(r.Merged) + 4
				if want := fmt.Sprintf("A%d", header+1); rb.Freeze != want {
					t.Errorf("frozen at %q, want %q (below the column headers)", rb.Freeze, want)
				}
				if rb.Widths["B"] < 30 {
					t.Errorf("question column %v wide, want at least 30", rb.Widths["B"])
				}
				checkSheet(t, r, rb)
			})
		}
	}
	for _, nilCount := range []bool{false, true} {
		// A library that did not answer: no count of its own (a 0 would
		// say it chose none), and no count row when Count is nil.
		t.Run(fmt.Sprintf("unanswered, Count nil %v", nilCount), func(t *testing.T) {
			r := unanswered("fr", 3, nilCount)
			rb := readXLSX(t, r)
			checkSheet(t, r, rb)
			rows := 0
			for _, c := range rb.Cells {
				if c.Value == xlsxWords["fr"]["options"] {
					rows++
				}
			}
			if want := map[bool]int{false: 1, true: 0}[nilCount]; rows != want {
				t.Errorf("%d rows of the number of options chosen, want %d", rows, want)
			}
		})
	}
	t.Run("too few", func(t *testing.T) {
		r := tooFew("fr")
		checkSheet(t, r, readXLSX(t, r))
	})
}

// TestXLSXFormulaLookingTextStaysText: labels and answers that begin with
// = + - @ are string cells, never formulas.
func TestXLSXFormulaLookingTextStaysText(t *testing.T) {
	t.Parallel()
	r := fixture("en", 3)
	r.Library = "=HYPERLINK(\"http://x\",\"y\")"
	r.Sections[0].Title = "+cmd|' /C calc'!A0"
	rb := readXLSX(t, r)
	found := map[string]bool{}
	for _, c := range rb.Cells {
		if v, ok := c.Value.(string); ok && strings.ContainsAny(v[:1], "=+-@") {
			found[v] = true
			if c.Type != "s" {
				t.Errorf("R%dC%d %q: type %s, want a string", c.Row, c.Col, v, c.Type)
			}
		}
		if c.Type == "f" {
			t.Errorf("R%dC%d: a formula %v", c.Row, c.Col, c.Value)
		}
	}
	for _, v := range []string{r.Library, r.Sections[0].Title, "=1+1 " + words["en"]["num"], "@SUM(A1) maturity", "+inferred", "-solicited", "=observed()"} {
		if !found[v] {
			t.Errorf("%q: not read back as a string cell", v)
		}
	}
}

// TestXLSXHostile: 2,000 rows of 10,000-character labels.
func TestXLSXHostile(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("a large report")
	}
	start := time.Now()
	var b bytes.Buffer
	if err := feedback.WriteXLSX(&b, hostile(2000, 10000)); err != nil {
		t.Fatal(err)
	}
	t.Logf("2,000 rows of 10,000-character labels: %d bytes in %v", b.Len(), time.Since(start))
	if b.Len() > 20<<20 {
		t.Errorf("the workbook is %d bytes, want at most 20 MiB", b.Len())
	}
}
