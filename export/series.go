package export

import (
	"cmp"
	"fmt"
	"io"
	"iter"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/metlib/canvass/survey"
)

// The exports of a series: the responses of several waves in one file
// (docs/waves.md, "Exports of several waves"). The variables are the
// question ids of every wave, read as the latest wave reads them: its
// labels and options, and every wave's answers through the recodes the
// waves declare, so that a code means the same in every wave.

// Layout is how a series export lays out its waves.
type Layout string

// The layouts.
const (
	// Long is one row per response: a library's answers to one wave.
	Long Layout = "long"
	// Wide is one row per library, a column per variable per wave.
	Wide Layout = "wide"
)

// Wave is one wave of a series export: its definition (the current
// version) and its responses, oldest first for Long, sorted by library id
// for Wide (survey.ResponseFilter.ByLibrary). The waves are given in wave
// order, the latest last: it names the variables.
type Wave struct {
	Survey    *survey.Survey
	Responses Responses
}

// seriesPlan is the columns of a series export and how each wave's
// answers fill them. It reads its waves' definitions only; the rows are
// written as the responses stream, a wave at a time (Long) or a library
// at a time (Wide).
type seriesPlan struct {
	waves []Wave
	names []string // each wave's name in the data: its label, or its slug
	lang  string
	// union is the variables as one survey: every question of the latest
	// wave, then those only earlier waves asked, after the question they
	// followed; options and matrix rows only earlier waves offered are
	// added after the latest's.
	union *survey.Survey
	vars  []variable
	long  *plan
	// asked[w][i] tells whether wave w asked long column i: its question,
	// and its option or matrix row. A column a wave did not ask is empty
	// in its rows.
	asked [][]bool
	wave  int // the wave being written, for the fixed columns

	counts     []int // responses read per wave
	anonymous  int   // Wide: responses without a library, left out
	duplicates int   // Wide: earlier responses of a library to one wave, left out
}

// variable is one question id of the series.
type variable struct {
	q *survey.Question // as the export reads it (in union)
	// asked is each wave's question, nil where the wave did not ask it.
	asked []*survey.Question
	// otherType is each wave that asked it as another type of question
	// than the latest wave that asked it: its answers are left out.
	otherType []int
	// recodes is, for each wave, the codes its answers use that are
	// written as another (from → to, through the recodes of that wave and
	// every later one).
	recodes []map[survey.Code]survey.Code
	// first and end are the variable's long columns, [first, end).
	first, end int
}

func newSeriesPlan(waves []Wave, opts Options) (*seriesPlan, error) {
	if len(waves) == 0 {
		return nil, fmt.Errorf("export: a series export needs a wave")
	}
	latest := waves[len(waves)-1].Survey
	sp := &seriesPlan{waves: waves, lang: opts.lang(latest), counts: make([]int, len(waves))}
	for _, w := range waves {
		sp.names = append(sp.names, cmp.Or(w.Survey.Wave, w.Survey.Slug))
	}
	// The variables' order: the latest wave's, then each earlier wave's
	// questions that no later wave asked, after the question they followed
	// there; base is the last wave that asked each.
	var order []string
	base := map[string]int{}
	for w := len(waves) - 1; w >= 0; w-- {
		at := -1
		for _, q := range waves[w].Survey.Questions() {
			if i := slices.Index(order, q.ID); i >= 0 {
				at = i
				continue
			}
			at++
			order = slices.Insert(order, at, q.ID)
			base[q.ID] = w
		}
	}
	var questions []*survey.Question
	for _, id := range order {
		v := sp.variable(id, base[id])
		sp.vars = append(sp.vars, v)
		questions = append(questions, v.q)
	}
	sp.union = &survey.Survey{Slug: latest.Slug, Series: latest.Series, Title: latest.Title, DefaultLanguage: latest.DefaultLanguage,
		Languages: latest.Languages, Sections: []*survey.Section{{ID: "series", Questions: questions}}}
	sp.long = newPlanWith(sp.fixedColumns(), sp.union, sp.lang, opts.Labels)
	for i := range sp.vars {
		v := &sp.vars[i]
		v.first = slices.IndexFunc(sp.long.cols, func(c column) bool { return c.fixed == nil && c.col.Question == v.q })
		v.end = v.first
		for v.end < len(sp.long.cols) && sp.long.cols[v.end].col.Question == v.q {
			v.end++
		}
	}
	sp.asked = make([][]bool, len(waves))
	for w := range waves {
		sp.asked[w] = make([]bool, len(sp.long.cols))
		for _, v := range sp.vars {
			for i := v.first; i < v.end; i++ {
				sp.asked[w][i] = v.asks(w, sp.long.cols[i].col, sp)
			}
		}
	}
	return sp, nil
}

// fixedColumns are the long layout's first columns: the wave, its slug,
// the library, then the raw export's other fixed columns.
func (sp *seriesPlan) fixedColumns() []column {
	cols := []column{
		{key: "_wave", title: "Wave (its label, or its slug when it has none)", fixed: func(*survey.Response) any { return sp.names[sp.wave] }},
		{key: "_survey", title: "Survey (the wave's slug)", fixed: func(*survey.Response) any { return sp.waves[sp.wave].Survey.Slug }},
		{key: "_library_id", title: "Library", fixed: func(r *survey.Response) any { return r.LibraryID }},
	}
	for _, c := range fixedColumns() {
		if c.key != "_library_id" {
			cols = append(cols, c)
		}
	}
	return cols
}

// chain is the code an answer of wave w's uses for c, after the recodes
// of wave w (from its earlier versions) and of every later wave.
func (sp *seriesPlan) chain(w int, id string, c survey.Code) survey.Code {
	for _, later := range sp.waves[w:] {
		if q := later.Survey.Question(id); q != nil {
			if to, ok := q.Recode[c]; ok {
				c = to
			}
		}
	}
	return c
}

// variable builds question id of the series from the last wave that
// asked it (base) and the earlier ones.
func (sp *seriesPlan) variable(id string, base int) variable {
	b := sp.waves[base].Survey.Question(id)
	q := *b
	q.Options, q.Rows, q.Recode = slices.Clone(b.Options), slices.Clone(b.Rows), nil
	v := variable{q: &q, asked: make([]*survey.Question, len(sp.waves)), recodes: make([]map[survey.Code]survey.Code, len(sp.waves))}
	for w := base; w >= 0; w-- {
		wq := sp.waves[w].Survey.Question(id)
		if wq == nil {
			continue
		}
		if wq.Type != b.Type {
			v.otherType = append([]int{w}, v.otherType...)
			continue
		}
		v.asked[w] = wq
		codes := map[survey.Code]survey.Code{}
		for _, o := range wq.Options {
			to := sp.chain(w, id, o.Value)
			if to != o.Value {
				codes[o.Value] = to
			} else if q.Option(string(o.Value)) == nil {
				q.Options = append(q.Options, o) // offered by earlier waves only
			}
		}
		// Its own recodes map the options of its earlier versions, or of
		// earlier waves (whose answers are listed under them): a code no
		// earlier wave offered is one of its own versions'.
		for from := range wq.Recode {
			if to := sp.chain(w, id, from); to != from && !sp.offeredBefore(w, id, from) {
				codes[from] = to
			}
		}
		if len(codes) > 0 {
			v.recodes[w] = codes
		}
		for _, r := range wq.Rows {
			if !slices.ContainsFunc(q.Rows, func(x survey.Row) bool { return x.ID == r.ID }) {
				q.Rows = append(q.Rows, r)
			}
		}
		if q.ChangeCheck == nil {
			q.ChangeCheck = wq.ChangeCheck
		}
	}
	return v
}

// offeredBefore tells whether a wave before w offered option c of
// question id.
func (sp *seriesPlan) offeredBefore(w int, id string, c survey.Code) bool {
	for _, before := range sp.waves[:w] {
		if q := before.Survey.Question(id); q != nil && q.Option(string(c)) != nil {
			return true
		}
	}
	return false
}

// asks tells whether wave w asked long column c of v: the question, the
// option (as the wave offered it or an option recoded into it), the
// matrix row, the other text, the explanation of a change.
func (v *variable) asks(w int, c survey.Column, sp *seriesPlan) bool {
	wq := v.asked[w]
	switch {
	case wq == nil:
		return false
	case c.OtherText:
		return wq.HasOther()
	case c.ChangeNote:
		return wq.ChangeCheck != nil
	case c.Option != nil:
		for _, o := range wq.Options {
			if sp.chain(w, wq.ID, o.Value) == c.Option.Value {
				return true
			}
		}
		return false
	case c.Row != nil:
		return slices.ContainsFunc(wq.Rows, func(r survey.Row) bool { return r.ID == c.Row.ID })
	}
	return true
}

// recoded is wave w's responses, counted, their answers read through the
// recodes of wave w and of every later wave.
func (sp *seriesPlan) recoded(w int) Responses {
	rs := sp.waves[w].Responses
	if rs == nil {
		rs = Slice(nil)
	}
	later := make([]*survey.Survey, 0, len(sp.waves)-w)
	for _, x := range sp.waves[w:] {
		later = append(later, x.Survey)
	}
	rs = survey.RecodeThrough(later, rs)
	return func(yield func(*survey.Response, error) bool) {
		for r, err := range rs {
			if err == nil {
				sp.counts[w]++
			}
			if !yield(r, err) {
				return
			}
		}
	}
}

// fill writes r, a response to wave w, into a long row.
func (sp *seriesPlan) fill(w int, r *survey.Response, row []any, typed []bool) {
	sp.wave = w
	sp.long.fill(r, row, typed)
	for i := sp.long.fixed; i < len(row); i++ {
		if !sp.asked[w][i] {
			row[i], typed[i] = nil, false
		}
	}
}

// writeLong writes a row per response, wave after wave, and closes out.
func (sp *seriesPlan) writeLong(out rowWriter) error {
	row := make([]any, len(sp.long.cols))
	typed := make([]bool, len(sp.long.cols))
	for w := range sp.waves {
		for r, err := range sp.recoded(w) {
			if err != nil {
				return err
			}
			sp.fill(w, r, row, typed)
			if err := out.write(row, typed); err != nil {
				return err
			}
		}
	}
	return out.close()
}

// wideColumns are the wide layout's columns: the library, then each
// variable's long columns for each wave that asked them, "<key>__<wave>";
// index[w][i] is the wide column of wave w's long column i, or −1.
func (sp *seriesPlan) wideColumns() (cols []column, index [][]int) {
	cols = []column{{key: "_library_id", title: "Library", fixed: func(r *survey.Response) any { return r.LibraryID }}}
	index = make([][]int, len(sp.waves))
	for w := range index {
		index[w] = make([]int, len(sp.long.cols))
		for i := range index[w] {
			index[w][i] = -1
		}
	}
	for _, v := range sp.vars {
		for w := range sp.waves {
			for i := v.first; i < v.end; i++ {
				if !sp.asked[w][i] {
					continue
				}
				c := sp.long.cols[i]
				index[w][i] = len(cols)
				cols = append(cols, column{key: c.key + "__" + sp.names[w], title: c.title + " (" + sp.names[w] + ")", col: c.col})
			}
		}
	}
	return cols, index
}

// wideHeader is the header of the wide layout's columns.
func wideHeader(cols []column) header {
	h := header{keys: make([]string, len(cols)), stamps: make([]bool, len(cols))}
	for i, c := range cols {
		h.keys[i] = c.key
	}
	return h
}

// writeWide writes a row per library, in library id order, and closes
// out. It reads the waves side by side, each sorted by library, so it
// holds one response per wave at a time: a library's row is written once
// every wave has gone past it. Responses without a library are left out
// (they cannot be matched across waves), and of a library's several
// responses to one wave the latest is kept.
func (sp *seriesPlan) writeWide(out rowWriter) error {
	cols, index := sp.wideColumns()
	type head struct {
		next func() (*survey.Response, error, bool)
		r    *survey.Response // the next response with a library, nil at the end
		last string           // the library of the response before it
	}
	heads := make([]head, len(sp.waves))
	advance := func(w int) error {
		h := &heads[w]
		for {
			r, err, ok := h.next()
			switch {
			case !ok:
				h.r = nil
				return nil
			case err != nil:
				return err
			case r.LibraryID == "":
				sp.anonymous++
				continue
			case r.LibraryID < h.last:
				return fmt.Errorf("export: the wide layout reads each wave sorted by library, and %s's are not (%s after %s)", sp.waves[w].Survey.Slug, r.LibraryID, h.last)
			}
			h.r, h.last = r, r.LibraryID
			return nil
		}
	}
	for w := range sp.waves {
		next, stop := iter.Pull2(sp.recoded(w))
		defer stop()
		heads[w].next = next
		if err := advance(w); err != nil {
			return err
		}
	}
	row := make([]any, len(sp.long.cols))
	typed := make([]bool, len(sp.long.cols))
	wide := make([]any, len(cols))
	wideTyped := make([]bool, len(cols))
	for {
		library := ""
		for _, h := range heads {
			if h.r != nil && (library == "" || h.r.LibraryID < library) {
				library = h.r.LibraryID
			}
		}
		if library == "" {
			break
		}
		clear(wide)
		clear(wideTyped)
		wide[0] = library
		for w := range heads {
			var latest *survey.Response
			for heads[w].r != nil && heads[w].r.LibraryID == library {
				if latest != nil {
					sp.duplicates++
				}
				latest = heads[w].r
				if err := advance(w); err != nil {
					return err
				}
			}
			if latest == nil {
				continue
			}
			sp.fill(w, latest, row, typed)
			for i, to := range index[w] {
				if to >= 0 {
					wide[to], wideTyped[to] = row[i], typed[i]
				}
			}
		}
		if err := out.write(wide, wideTyped); err != nil {
			return err
		}
	}
	return out.close()
}

// columnsOf is a layout's columns.
func (sp *seriesPlan) columnsOf(layout Layout) []column {
	if layout == Wide {
		cols, _ := sp.wideColumns()
		return cols
	}
	return sp.long.cols
}

// nouns is n and its noun, singular for one.
func nouns(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

func checkLayout(layout Layout) error {
	if layout != Long && layout != Wide {
		return fmt.Errorf("export: layout must be long or wide, got %q", layout)
	}
	return nil
}

// write writes the layout's rows to out (the header is out's).
func (sp *seriesPlan) write(layout Layout, out rowWriter) error {
	if layout == Wide {
		return sp.writeWide(out)
	}
	return sp.writeLong(out)
}

// SeriesXLSX writes the workbook of several waves of a series: the rows
// in layout on "Responses" (Long) or "Libraries" (Wide), continued on
// "… (2)" past Excel's row limit, and a "Codebook" giving every variable's
// label, type, the waves that asked it, their codes and the recodes that
// made them one. Cells are written as in RawXLSX (text as text cells,
// numbers as numbers, dates as dates). Memory stays flat as rows grow
// (excelize's StreamWriter, the responses read as they are written), but
// for the zip excelize assembles when it saves.
func SeriesXLSX(w io.Writer, waves []Wave, layout Layout, opts Options) error {
	if err := checkLayout(layout); err != nil {
		return err
	}
	sp, err := newSeriesPlan(waves, opts)
	if err != nil {
		return err
	}
	f := excelize.NewFile()
	defer f.Close()
	styles, err := newRawStyles(f)
	if err != nil {
		return err
	}
	name, widths := "Responses", []colWidth{{1, 1, 12}, {2, 3, 26}, {4, 5, 26}, {6, 6, 20}}
	if layout == Wide {
		name, widths = "Libraries", []colWidth{{1, 1, 26}}
	}
	rows, err := newXLSXRows(f, styles, name, sp.header(layout), opts, widths)
	if err != nil {
		return err
	}
	if err := sp.write(layout, rows); err != nil {
		return err
	}
	if err := sp.writeCodebook(f, layout, styles, rows.truncated, rows.n); err != nil {
		return err
	}
	return f.Write(w)
}

// header is the layout's header.
func (sp *seriesPlan) header(layout Layout) header {
	if layout == Long {
		return sp.long.header()
	}
	return wideHeader(sp.columnsOf(layout))
}

// SeriesCSV writes several waves of a series as CSV in layout, the same
// columns and values as SeriesXLSX (and as CSV writes them: UTF-8, RFC
// 4180, respondents' text that a spreadsheet would evaluate prefixed with
// an apostrophe). Its codebook is SeriesCodebookCSV.
func SeriesCSV(w io.Writer, waves []Wave, layout Layout, opts Options) error {
	if err := checkLayout(layout); err != nil {
		return err
	}
	sp, err := newSeriesPlan(waves, opts)
	if err != nil {
		return err
	}
	rows, err := newCSVRows(w, sp.header(layout), opts)
	if err != nil {
		return err
	}
	return sp.write(layout, rows)
}

// SeriesJSONLines writes several waves of a series as JSON Lines in
// layout, the same keys and values as SeriesXLSX.
func SeriesJSONLines(w io.Writer, waves []Wave, layout Layout, opts Options) error {
	if err := checkLayout(layout); err != nil {
		return err
	}
	sp, err := newSeriesPlan(waves, opts)
	if err != nil {
		return err
	}
	return sp.write(layout, newJSONRows(w, sp.header(layout), opts))
}

// SeriesCodebookCSV writes the codebook of SeriesCSV's file in layout, the
// table of SeriesXLSX's Codebook sheet (without the counts, which only
// writing the rows gives), as TableCSV writes tables: a byte order mark,
// and text a spreadsheet would evaluate neutralized. The waves' responses
// are not read.
func SeriesCodebookCSV(w io.Writer, waves []Wave, layout Layout, opts Options) error {
	if err := checkLayout(layout); err != nil {
		return err
	}
	sp, err := newSeriesPlan(waves, opts)
	if err != nil {
		return err
	}
	return TableCSV(w, sp.codebook(layout))
}

// codebookHeader is the codebook table's header.
var codebookHeader = []string{"Variable", "Columns", "Label", "Type", "Waves", "Codes in the data", "Codes per wave", "Recodes (per wave, from → to)"}

// codebook is the codebook table of layout: its header, then a row per
// fixed column and a row per variable.
func (sp *seriesPlan) codebook(layout Layout) [][]string {
	out := [][]string{codebookHeader}
	cols := sp.columnsOf(layout)
	for _, c := range cols {
		if c.fixed != nil {
			out = append(out, []string{c.key, c.key, c.title, "", "", "", "", ""})
		}
	}
	text := func(t survey.Text) string { return t.In(sp.lang, sp.union.DefaultLanguage) }
	for _, v := range sp.vars {
		var keys, waves, perWave, recodes []string
		for _, c := range cols {
			if c.fixed == nil && c.col.Question == v.q {
				keys = append(keys, c.key)
			}
		}
		for w, wq := range v.asked {
			if wq == nil {
				continue
			}
			waves = append(waves, sp.names[w])
			if codes := optionCodes(wq, text); codes != "" {
				perWave = append(perWave, sp.names[w]+": "+codes)
			}
			if m := v.recodes[w]; len(m) > 0 {
				var parts []string
				for _, from := range slices.Sorted(maps.Keys(m)) {
					parts = append(parts, string(from)+" → "+string(m[from]))
				}
				recodes = append(recodes, sp.names[w]+": "+strings.Join(parts, ", "))
			}
		}
		typ := string(v.q.Type)
		for _, w := range v.otherType {
			typ += fmt.Sprintf("; %s asked it as %s: those answers are left out", sp.names[w], sp.waves[w].Survey.Question(v.q.ID).Type)
		}
		out = append(out, []string{v.q.ID, strings.Join(keys, ", "), text(v.q.Label), typ, strings.Join(waves, ", "),
			dataCodes(v.q, text), strings.Join(perWave, "\n"), strings.Join(recodes, "\n")})
	}
	return out
}

// optionCodes lists a question's options ("a = Alpha; b = Beta") and, for
// a matrix, its rows first.
func optionCodes(q *survey.Question, text func(survey.Text) string) string {
	var parts []string
	if q.Type == survey.Matrix {
		var rows []string
		for _, r := range q.Rows {
			rows = append(rows, r.ID)
		}
		parts = append(parts, "rows "+strings.Join(rows, ", "))
	}
	for _, o := range q.Options {
		parts = append(parts, string(o.Value)+" = "+text(o.Label))
	}
	return strings.Join(parts, "; ")
}

// dataCodes says what a variable's cells hold, as the raw codebook does
// per column.
func dataCodes(q *survey.Question, text func(survey.Text) string) string {
	codes := optionCodes(q, text)
	switch q.Type {
	case survey.MultiChoice:
		return "a 0/1 column per option (1 = chosen, 0 = not chosen): " + codes
	case survey.Ranking:
		return "a rank column per option (1 = ranked first; blank = not ranked): " + codes
	case survey.Matrix:
		return "a column per row, holding the code: " + codes
	}
	return codes
}

// writeCodebook writes the "Codebook" sheet: what the file holds, the
// codebook table, and what the layout does with what it cannot show.
func (sp *seriesPlan) writeCodebook(f *excelize.File, layout Layout, st rawStyles, truncated, rows int) error {
	const sheet = "Codebook"
	if _, err := f.NewSheet(sheet); err != nil {
		return err
	}
	latest := sp.waves[len(sp.waves)-1].Survey
	var waves []string
	for w, wave := range sp.waves {
		waves = append(waves, fmt.Sprintf("%s (%s, %s)", sp.names[w], wave.Survey.Slug, nouns(sp.counts[w], "response", "responses")))
	}
	title := fmt.Sprintf("%s: series %s, waves %s", latest.Title.In(sp.lang, latest.DefaultLanguage), latest.SeriesName(), strings.Join(waves, ", "))
	var rowsOut [][]any
	rowsOut = append(rowsOut, []any{title})
	if layout == Long {
		rowsOut = append(rowsOut, []any{fmt.Sprintf("Long layout: one row per submitted response, a library's answers to one wave (%s). A variable a wave did not ask is empty in its rows, and so is an option or a matrix row it did not offer.", nouns(rows, "row", "rows"))})
	} else {
		note := fmt.Sprintf("Wide layout: one row per library (%s), a column per variable per wave that asked it, named <column>__<wave>.", nouns(rows, "row", "rows"))
		if sp.anonymous > 0 {
			note += fmt.Sprintf(" Left out: %s without a library (given through no personal link), which cannot be matched across waves.", nouns(sp.anonymous, "response", "responses"))
		}
		if sp.duplicates > 0 {
			note += fmt.Sprintf(" Where a library answered a wave more than once, its latest response is kept (%s left out).", nouns(sp.duplicates, "earlier response", "earlier responses"))
		}
		rowsOut = append(rowsOut, []any{note})
	}
	rowsOut = append(rowsOut, []any{"Every wave is read as " + latest.Slug + " reads it: its labels and options, and every wave's answers through the recodes the waves declare (last column), so a code means the same in every wave. Options only earlier waves offered keep their codes."})
	tableAt := len(rowsOut) + 1
	for _, r := range sp.codebook(layout) {
		cells := make([]any, len(r))
		for i, v := range r {
			cells[i] = v
		}
		rowsOut = append(rowsOut, cells)
	}
	if err := writeCodebookRows(f, sheet, rowsOut, truncated); err != nil {
		return err
	}
	at := strconv.Itoa(tableAt)
	_ = f.SetCellStyle(sheet, "A"+at, "H"+at, st.header)
	_ = f.SetCellStyle(sheet, "A"+strconv.Itoa(tableAt+1), "H"+strconv.Itoa(len(rowsOut)), st.wrap)
	_ = f.SetColWidth(sheet, "A", "A", 24)
	_ = f.SetColWidth(sheet, "B", "C", 40)
	_ = f.SetColWidth(sheet, "D", "E", 16)
	_ = f.SetColWidth(sheet, "F", "H", 50)
	return f.SetPanes(sheet, &excelize.Panes{Freeze: true, YSplit: tableAt, TopLeftCell: "A" + strconv.Itoa(tableAt+1), ActivePane: "bottomLeft"})
}
