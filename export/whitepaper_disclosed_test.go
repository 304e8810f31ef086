package export_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/metlib/canvass/analysis"
	"github.com/metlib/canvass/disclosure"
	"github.com/metlib/canvass/export"
	"github.com/metlib/canvass/internal/openpyxl"
	"github.com/metlib/canvass/survey"
)

// The default white paper (the report through disclosure.Publish) read
// back by openpyxl, for small generated populations (regions of 0 to 7,
// k = 5), in en, fr and es, and checked against counts made here from the
// generated respondents, not with package analysis: every count shown is
// the true one and none is from 1 to k−1; a hidden count ("x") has no
// percentage, interval or % of mentions beside it; no sheet has a minimum,
// maximum or outliers; a table with a hidden cell has no test; the likert's
// and the numbers' statistics only for at least 2k answers. Then the
// reader's system — margins, bases, shares of their bases, the likert's
// mean — is attacked with disclosure.Attack: nothing is pinned, no small
// count proved small. The full-counts workbook of the same report shows
// every count, its minimum and maximum.

const paperSurveyYAML = `
slug: paper-small
version: 1
default_language: en
languages: [en, fr, es]
title: {en: "Small survey", fr: "Petite enquête", es: "Encuesta pequeña"}
settings: {small_cell_threshold: 5}
sections:
  - id: s
    questions:
      - id: org_type
        type: single_choice
        required: true
        label: {en: "Type", fr: "Type", es: "Tipo"}
        options:
          - {value: city, label: {en: "City", fr: "Ville", es: "Ciudad"}}
          - {value: regional, label: {en: "Regional", fr: "Régional", es: "Regional"}}
          - {value: national, label: {en: "National", fr: "National", es: "Nacional"}}
      - id: services
        type: multi_choice
        label: {en: "Services", fr: "Services", es: "Servicios"}
        options:
          - {value: loans, label: {en: "Loans", fr: "Prêts", es: "Préstamos"}}
          - {value: events, label: {en: "Events", fr: "Animations", es: "Actividades"}}
          - {value: makers, label: {en: "Makerspace", fr: "Fablab", es: "Taller"}}
      - id: satisfaction
        type: likert
        scale: {min: 1, max: 5}
        label: {en: "Satisfaction", fr: "Satisfaction", es: "Satisfacción"}
        options:
          - {value: 1, label: {en: "Very low", fr: "Très faible", es: "Muy baja"}}
          - {value: 2, label: {en: "Low", fr: "Faible", es: "Baja"}}
          - {value: 3, label: {en: "Middling", fr: "Passable", es: "Regular"}}
          - {value: 4, label: {en: "High", fr: "Élevée", es: "Alta"}}
          - {value: 5, label: {en: "Very high", fr: "Très élevée", es: "Muy alta"}}
      - id: visitors
        type: number
        min: 0
        label: {en: "Visitors", fr: "Visiteurs", es: "Visitantes"}
report:
  tables:
    - {id: types, question: org_type, title: {en: "Types", fr: "Types", es: "Tipos"}}
    - {id: types_by_region, question: org_type, by: region, title: {en: "Types by region", fr: "Types par région", es: "Tipos por región"}}
    - {id: services, question: services, title: {en: "Services", fr: "Services", es: "Servicios"}}
    - {id: satisfaction, question: satisfaction, title: {en: "Satisfaction", fr: "Satisfaction", es: "Satisfacción"}}
    - {id: visitors, question: visitors, title: {en: "Visitors", fr: "Visiteurs", es: "Visitantes"}}
    - {id: visitors_by_region, question: visitors, by: region, title: {en: "Visitors by region", fr: "Visiteurs par région", es: "Visitantes por región"}}
`

var paperTypes = []string{"city", "regional", "national"}

// paperRespondent is one generated respondent as the test knows it.
type paperRespondent struct {
	region   survey.Region
	typ      string
	services []string
	sat      int     // 0: not answered
	visitors float64 // <0: not answered
}

func generatePaper(seed uint64) []paperRespondent {
	rng := rand.New(rand.NewPCG(seed, 14))
	sizes := []int{0, 1, 2, 3, 5, 7}
	rng.Shuffle(len(sizes), func(i, j int) { sizes[i], sizes[j] = sizes[j], sizes[i] })
	var out []paperRespondent
	for i, n := range sizes {
		for range n {
			r := paperRespondent{region: survey.Regions[i], typ: paperTypes[rng.IntN(3)], visitors: -1}
			for _, s := range []string{"loans", "events", "makers"} {
				if rng.IntN(3) > 0 {
					r.services = append(r.services, s)
				}
			}
			if rng.IntN(5) > 0 {
				r.sat = 1 + rng.IntN(5)
			}
			if rng.IntN(4) > 0 {
				r.visitors = float64(10 * (1 + rng.IntN(900)))
			}
			out = append(out, r)
		}
	}
	return out
}

func paperResponses(t *testing.T, sv *survey.Survey, rs []paperRespondent) []*survey.Response {
	t.Helper()
	at := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	var out []*survey.Response
	for i, r := range rs {
		raw := map[string]any{"org_type": r.typ}
		if len(r.services) > 0 {
			var list []any
			for _, s := range r.services {
				list = append(list, s)
			}
			raw["services"] = list
		}
		if r.sat > 0 {
			raw["satisfaction"] = strconv.Itoa(r.sat)
		}
		if r.visitors >= 0 {
			raw["visitors"] = r.visitors
		}
		a, err := sv.CheckAnswers(raw, "en")
		if err != nil {
			t.Fatalf("%v %v", err, survey.ErrorFields(err))
		}
		out = append(out, &survey.Response{ID: fmt.Sprint(i), SurveySlug: sv.Slug, SurveyVersion: 1, Language: "en", Region: r.region,
			Status: survey.ResponseSubmitted, Answers: a, CreatedAt: at, SubmittedAt: &at})
	}
	return out
}

// paperTally counts what the tables should show.
type paperTally struct {
	total                      int
	typ, typRegion, region     map[string]int
	services                   map[string]int
	servicesAnswered, mentions int
	sat                        map[int]int
	satAnswered                int
	visitors                   []float64
	visitorsByRegion           map[string]int
}

func tallyPaper(rs []paperRespondent) paperTally {
	t := paperTally{typ: map[string]int{}, typRegion: map[string]int{}, region: map[string]int{}, services: map[string]int{}, sat: map[int]int{}, visitorsByRegion: map[string]int{}}
	for _, r := range rs {
		t.total++
		t.typ[r.typ]++
		t.region[string(r.region)]++
		t.typRegion[r.typ+"/"+string(r.region)]++
		if len(r.services) > 0 {
			t.servicesAnswered++
		}
		for _, s := range r.services {
			t.services[s]++
			t.mentions++
		}
		if r.sat > 0 {
			t.sat[r.sat]++
			t.satAnswered++
		}
		if r.visitors >= 0 {
			t.visitors = append(t.visitors, r.visitors)
			t.visitorsByRegion[string(r.region)]++
		}
	}
	return t
}

type dumpedBook struct {
	Sheets []struct {
		Name string  `json:"name"`
		Rows [][]any `json:"rows"`
	} `json:"sheets"`
}

// readBack writes the workbook to a file and reads it with openpyxl.
func readBack(t *testing.T, python string, book []byte) dumpedBook {
	t.Helper()
	path := filepath.Join(t.TempDir(), "paper.xlsx")
	if err := os.WriteFile(path, book, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(python, "testdata/dump_workbook.py", path).Output()
	if err != nil {
		t.Fatalf("openpyxl: %v", err)
	}
	var d dumpedBook
	if err := json.Unmarshal(out, &d); err != nil {
		t.Fatal(err)
	}
	return d
}

func needOpenpyxl(t *testing.T) string { return openpyxl.Python(t) }

// cellNum reads a numeric cell.
func cellNum(v any) (float64, bool) {
	f, ok := v.(float64)
	return f, ok
}

func cellAt(row []any, i int) any {
	if i < len(row) {
		return row[i]
	}
	return nil
}

// bodyRows are a sheet's rows after the header row (row 4) up to the
// first empty one.
func bodyRows(rows [][]any) [][]any {
	var out [][]any
	for _, r := range rows[4:] {
		if len(r) == 0 {
			break
		}
		out = append(out, r)
	}
	return out
}

// paperReader is the reader's system of one workbook, as in the web test:
// a cell per count read (its true value), shown or hidden, and the
// relations the reader knows.
type paperReader struct {
	t    *testing.T
	p    *disclosure.Problem
	seen map[int]bool
}

func (r *paperReader) read(key string, cell any, truth int, where string) int {
	r.t.Helper()
	i := r.p.Cell(key, truth)
	switch v := cell.(type) {
	case string:
		if v != "x" {
			r.t.Errorf("%s: %s is %q, neither a count nor x", where, key, v)
		}
	case float64:
		r.seen[i] = true
		if int(v) != truth {
			r.t.Errorf("%s: %s shows %v, the responses give %d", where, key, v, truth)
		}
		if v > 0 && v < 5 {
			r.t.Errorf("%s: %s shows %v, below k = 5", where, key, v)
		}
	default:
		r.t.Errorf("%s: %s is %v", where, key, cell)
	}
	return i
}

// share records a percentage cell (stored unrounded: the reader has the
// fraction to 15 digits) of count over base.
func (r *paperReader) share(count, base int, cell any) {
	r.t.Helper()
	v, ok := cellNum(cell)
	if !ok {
		return
	}
	const eps = 1e-9
	if c, b := float64(r.p.Value(count)), float64(r.p.Value(base)); math.Abs(c-v*b) > eps*b {
		r.t.Errorf("%s: share %v, but the responses give %v/%v", r.p.Key(count), v, c, b)
		return
	}
	r.p.Relation([]disclosure.Term{{Cell: count, Coef: 1}, {Cell: base, Coef: -(v - eps)}}, 0, math.Inf(1))
	r.p.Relation([]disclosure.Term{{Cell: count, Coef: 1}, {Cell: base, Coef: -(v + eps)}}, math.Inf(-1), 0)
}

var baseNumbers = regexp.MustCompile(`\d+|(?:^|\s)x(?:\s|\.|,|$)`)

// readBase reads "Base: asked of 18 respondents, answered by 16." as
// (asked, answered), each a number or "x".
func readBase(s string) (asked, answered any) {
	var out []any
	for _, m := range baseNumbers.FindAllString(s, -1) {
		if n, err := strconv.Atoi(m); err == nil {
			out = append(out, float64(n))
		} else {
			out = append(out, "x")
		}
	}
	if len(out) < 2 {
		return nil, nil
	}
	return out[0], out[1]
}

func TestDefaultWhitePaperDisclosesOnly(t *testing.T) {
	python := needOpenpyxl(t)
	sv, err := survey.ParseDefinition([]byte(paperSurveyYAML), "yaml")
	if err != nil {
		t.Fatal(err, survey.ErrorFields(err))
	}
	rules := disclosure.RulesOf(sv)
	// The words of a minimum, maximum, outliers and a test's header, in
	// every language.
	forbidden := map[string]bool{}
	for _, w := range []string{"Minimum", "Maximum", "Outliers", "Mínimo", "Máximo", "Valeurs atypiques", "Valores atípicos"} {
		forbidden[w] = true
	}
	oldRuleLeaks := 0
	for _, seed := range []uint64{1, 2, 3, 4} {
		rs := generatePaper(seed)
		want := tallyPaper(rs)
		responses := paperResponses(t, sv, rs)
		for _, lang := range []string{"en", "fr", "es"} {
			t.Run(fmt.Sprintf("seed %d %s", seed, lang), func(t *testing.T) {
				rep, err := analysis.Report(sv, survey.ResponsesOf(responses), analysis.Options{Lang: lang})
				if err != nil {
					t.Fatal(err)
				}
				pub := disclosure.Publish(rep, nil, rules)
				var buf bytes.Buffer
				if err := export.WhitePaper(&buf, pub.Report, export.WhitePaperOptions{Disclosed: &rules}); err != nil {
					t.Fatal(err)
				}
				book := readBack(t, python, buf.Bytes())
				if len(book.Sheets) != 1+len(rep.Tables) {
					t.Fatalf("%d sheets for %d tables", len(book.Sheets), len(rep.Tables))
				}
				hasX := false
				for _, sh := range book.Sheets {
					for _, row := range sh.Rows {
						for _, c := range row {
							if s, ok := c.(string); ok && forbidden[s] {
								t.Errorf("%s: %q in the default workbook", sh.Name, s)
							}
							if c == "x" {
								hasX = true
							}
						}
					}
				}
				rd := &paperReader{t: t, p: disclosure.NewProblem(), seen: map[int]bool{}}
				checkPaperSheets(t, rd, book, sv, lang, want)
				hidden := func(i int) bool { return !rd.seen[i] }
				for _, leak := range attackLeaks(rd.p, hidden) {
					t.Errorf("the reader works out %s", leak)
				}
				oldRuleLeaks += len(attackLeaks(rd.p, func(i int) bool { v := rd.p.Value(i); return v > 0 && v < 5 }))
				if hasX {
					found := false
					for _, sh := range book.Sheets {
						for _, row := range sh.Rows {
							if s, ok := cellAt(row, 0).(string); ok && strings.HasPrefix(s, notePrefix(lang)) && strings.Contains(s, "x") && strings.Contains(s, " 5") {
								found = true
							}
						}
					}
					if !found {
						t.Errorf("hidden counts with no note saying what x is")
					}
				}

				// The full-counts workbook of the same report: every count,
				// with its minimum and maximum.
				buf.Reset()
				if err := export.WhitePaper(&buf, rep, export.WhitePaperOptions{}); err != nil {
					t.Fatal(err)
				}
				full := readBack(t, python, buf.Bytes())
				rows := full.Sheets[1].Rows // types
				for i, typ := range paperTypes {
					if got := cellAt(rows[4+i], 1); got != float64(want.typ[typ]) {
						t.Errorf("full counts: %s is %v, want %d", typ, got, want.typ[typ])
					}
				}
				numbers := full.Sheets[5].Rows
				lo, hi := math.Inf(1), math.Inf(-1)
				for _, v := range want.visitors {
					lo, hi = math.Min(lo, v), math.Max(hi, v)
				}
				if len(numbers) < 5 || cellAt(numbers[4], 3) != lo || cellAt(numbers[4], 7) != hi {
					t.Errorf("full counts: numbers rows %v, want minimum %v and maximum %v", numbers, lo, hi)
				}
			})
		}
	}
	if oldRuleLeaks == 0 {
		t.Errorf("the attack finds nothing even under the per-cell rule: it cannot fail")
	}
}

func notePrefix(lang string) string {
	return map[string]string{"en": "Note:", "fr": "Note\u00a0:", "es": "Nota:"}[lang]
}

// attackLeaks is what disclosure.Attack gives away: cells pinned, or
// below k and proved below k.
func attackLeaks(p *disclosure.Problem, hidden func(int) bool) []string {
	ranges := disclosure.Attack(p, hidden)
	var out []string
	for i := 0; i < p.Len(); i++ {
		if !hidden(i) || ranges[i].Unbounded {
			continue
		}
		if r, v := ranges[i], p.Value(i); r.Lo == r.Hi || v < 5 && r.Hi < 5 {
			out = append(out, fmt.Sprintf("%s = %d in [%d, %d]", p.Key(i), v, r.Lo, r.Hi))
		}
	}
	return out
}

// checkPaperSheets reads each table's sheet into the reader's system and
// checks what it shows beside each count.
func checkPaperSheets(t *testing.T, rd *paperReader, book dumpedBook, sv *survey.Survey, lang string, want paperTally) {
	t.Helper()
	sheet := func(i int) [][]any { return book.Sheets[i].Rows }
	base := func(rows [][]any) (any, any) { s, _ := cellAt(rows[1], 0).(string); return readBase(s) }
	total := rd.p.Cell("total", want.total)

	// Table 1, types: a required question; rows add up to the total.
	rows := sheet(1)
	asked, answered := base(rows)
	rd.read("total", asked, want.total, "types base")
	rd.read("total", answered, want.total, "types base")
	typ := map[string]int{}
	var parts []int
	for i, row := range bodyRows(rows) {
		v := paperTypes[i]
		typ[v] = rd.read("type="+v, cellAt(row, 1), want.typ[v], "types "+v)
		if cellAt(row, 1) == "x" && len(row) > 2 {
			t.Errorf("types %s: hidden count with %v beside it", v, row[2:])
		}
		rd.share(typ[v], total, cellAt(row, 2))
		parts = append(parts, typ[v])
	}
	rd.p.Sum(total, parts...)

	// Table 2, types by region: "<region> (n)" and "(%)" columns, a total
	// column, the bases row; no test beside a hidden cell.
	rows = sheet(2)
	header := rows[3]
	colOf := map[string]int{} // region → its count column
	for j, h := range header {
		s, _ := h.(string)
		for _, r := range survey.Regions {
			if s == survey.RegionLabels[r].In(lang, "en")+" (n)" {
				colOf[string(r)] = j
			}
		}
	}
	body := bodyRows(rows)
	hiddenCell := false
	region := map[string]int{}
	for _, r := range survey.Regions {
		region[string(r)] = rd.p.Cell("region="+string(r), want.region[string(r)])
		if _, ok := colOf[string(r)]; !ok {
			// No column: the note says nobody there answered, a zero.
			rd.read("region="+string(r), float64(0), want.region[string(r)], "types by region, no column")
		}
	}
	bases := body[len(body)-1]
	for r, j := range colOf {
		rd.read("region="+r, cellAt(bases, j), want.region[r], "types by region bases")
	}
	rd.read("total", cellAt(bases, len(header)-1), want.total, "types by region total")
	for i, row := range body[:len(body)-1] {
		v := paperTypes[i]
		var cs []int
		for _, reg := range survey.Regions {
			r := string(reg)
			key := "type=" + v + "/region=" + r
			j, ok := colOf[r]
			if !ok {
				cs = append(cs, rd.read(key, float64(0), want.typRegion[v+"/"+r], "types by region, no column"))
				continue
			}
			c := rd.read(key, cellAt(row, j), want.typRegion[v+"/"+r], "types by region "+key)
			if cellAt(row, j) == "x" {
				hiddenCell = true
				if cellAt(row, j+1) != nil {
					t.Errorf("types by region %s: hidden with %v beside it", key, cellAt(row, j+1))
				}
			}
			rd.share(c, region[r], cellAt(row, j+1))
			cs = append(cs, c)
		}
		rd.read("type="+v, cellAt(row, len(header)-1), want.typ[v], "types by region row total")
		rd.p.Sum(typ[v], cs...)
	}
	for _, reg := range survey.Regions {
		var cs []int
		for _, v := range paperTypes {
			cs = append(cs, rd.p.Cell("type="+v+"/region="+string(reg), want.typRegion[v+"/"+string(reg)]))
		}
		rd.p.Sum(region[string(reg)], cs...)
	}
	for _, row := range rows {
		if s, _ := cellAt(row, 1).(string); s == "X²" && hiddenCell {
			t.Errorf("types by region: a test beside hidden cells")
		}
	}

	// Table 3, services: % of mentions withheld with a hidden count.
	rows = sheet(3)
	asked, answered = base(rows)
	rd.read("total", asked, want.total, "services base")
	ans := rd.read("services/answered", answered, want.servicesAnswered, "services base")
	rd.p.Relation([]disclosure.Term{{Cell: ans, Coef: 1}, {Cell: total, Coef: -1}}, math.Inf(-1), 0)
	for i, row := range bodyRows(rows) {
		if i >= 3 {
			// Ticked nothing: a count alone, the rest of the total.
			none := rd.read("services/none", cellAt(row, 1), want.total-want.servicesAnswered, "services none")
			rd.p.Sum(total, ans, none)
			continue
		}
		v := []string{"loans", "events", "makers"}[i]
		c := rd.read("services="+v, cellAt(row, 1), want.services[v], "services "+v)
		if cellAt(row, 1) == "x" && len(row) > 2 {
			t.Errorf("services %s: hidden with %v beside it (%% of mentions included)", v, row[2:])
		}
		rd.share(c, ans, cellAt(row, 2))
		if m, ok := cellNum(cellAt(row, 5)); ok && math.Abs(m-float64(want.services[v])/float64(want.mentions)) > 1e-9 {
			t.Errorf("services %s: %% of mentions %v, want %d/%d", v, m, want.services[v], want.mentions)
		}
	}

	// Table 4, satisfaction: rows add up to the base; mean, SD, median
	// only for at least 2k answers.
	rows = sheet(4)
	_, answered = base(rows)
	satBase := rd.read("satisfaction/answered", answered, want.satAnswered, "satisfaction base")
	level := map[int]int{}
	parts = nil
	body = bodyRows(rows)
	for j := 1; j <= 5; j++ {
		row := body[j-1]
		level[j] = rd.read(fmt.Sprintf("satisfaction=%d", j), cellAt(row, 1), want.sat[j], "satisfaction")
		rd.share(level[j], satBase, cellAt(row, 2))
		parts = append(parts, level[j])
	}
	rd.p.Sum(satBase, parts...)
	mean := wordsIn(lang, "mean")
	for _, row := range rows {
		if cellAt(row, 0) != mean {
			continue
		}
		if want.satAnswered < 10 {
			t.Errorf("satisfaction: a mean of %d answers", want.satAnswered)
		}
		if m, ok := cellNum(cellAt(row, 1)); ok && math.Abs(m*float64(want.satAnswered)-float64(rd.p.Value(level[1])+2*rd.p.Value(level[2])+3*rd.p.Value(level[3])+4*rd.p.Value(level[4])+5*rd.p.Value(level[5]))) > 1e-6 {
			t.Errorf("satisfaction: mean %v is not the responses'", m)
		} else if ok {
			terms := []disclosure.Term{}
			for j, c := range level {
				terms = append(terms, disclosure.Term{Cell: c, Coef: float64(j)})
			}
			rd.p.Relation(append(terms, disclosure.Term{Cell: satBase, Coef: -m}), -1e-6, 1e-6)
		}
	}

	// Tables 5 and 6, visitors: no minimum or maximum (checked above), the
	// n by region at most the region.
	rows = sheet(5)
	if n := bodyRows(rows); len(n) > 0 && len(want.visitors) < 10 && len(n[0]) > 1 {
		t.Errorf("visitors: statistics %v of %d answers", n[0][1:], len(want.visitors))
	}
	rows = sheet(6)
	for _, row := range rows {
		label, _ := cellAt(row, 0).(string)
		for _, reg := range survey.Regions {
			if label != survey.RegionLabels[reg].In(lang, "en") {
				continue
			}
			c := rd.read("visitors/region="+string(reg), cellAt(row, 1), want.visitorsByRegion[string(reg)], "visitors by region")
			rd.p.Relation([]disclosure.Term{{Cell: c, Coef: 1}, {Cell: region[string(reg)], Coef: -1}}, math.Inf(-1), 0)
			if n := want.visitorsByRegion[string(reg)]; n < 10 && len(row) > 2 {
				t.Errorf("visitors by region %s: statistics %v of %d values", reg, row[2:], n)
			}
		}
	}
}

// wordsIn is a workbook word as the test knows it, in each language.
func wordsIn(lang, key string) string {
	return map[string]map[string]string{
		"mean": {"en": "Mean", "fr": "Moyenne", "es": "Media"},
	}[key][lang]
}
