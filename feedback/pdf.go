package feedback

import (
	"io"
	"math"
	"strings"

	"unicode/utf8"

	"codeberg.org/go-pdf/fpdf"

	"github.com/metlib/canvass/survey"
)

// The page, in millimetres (A4 portrait).
const (
	pdfPageH    = 297.0
	pdfMargin   = 15.0
	pdfContentW = 180.0
	pdfBottom   = 18.0 // the footer lives below pdfPageH-pdfBottom

	pdfLabelW = 62.0 // a row's label column
	pdfBarW   = 62.0 // the bars
	pdfStripW = 50.0 // the quartile strips of a number
	pdfBarH   = 3.0  // one group's bar
	pdfBarGap = 0.9

	pdfBody  = 9.0 // font sizes, points
	pdfSmall = 7.0

	// Hostile labels are cut to this many lines (the last ending in "…"),
	// so that every row fits one page and a page stays readable.
	pdfLabelLines = 10
	pdfItemLines  = 14
)

// pdfPalette colours the peer groups (Okabe–Ito, told apart by colour-blind
// readers too); the last group, all respondents, is always dark grey.
var pdfPalette = [][3]int{{0, 114, 178}, {230, 159, 0}, {0, 158, 115}, {204, 121, 167}, {86, 180, 233}, {213, 94, 0}}

var pdfAllColour = [3]int{90, 90, 90}

// WritePDF writes the report as a PDF a library can forward to its board:
// a header (survey, library, date, the disclosure rule, the groups compared
// with and the merged ones), then per section and item the library's answer
// beside a vector chart of its groups' figures, with the figures written
// out. The text is in the Go fonts, embedded (only the glyphs used), which
// write Latin with its accented letters, Greek and Cyrillic; what they
// cannot write is replaced as pdfSafe says.
func WritePDF(w io.Writer, r *Report) error {
	fonts := pdfFontsOnce()
	if fonts.err != nil {
		return fonts.err
	}
	f := fpdf.New("P", "mm", "A4", "")
	d := &pdfDoc{f: f, r: r, lang: r.Lang, covered: fonts.covered}
	f.AddUTF8FontFromBytes(pdfFamily, "", fonts.regular)
	f.AddUTF8FontFromBytes(pdfFamily, "B", fonts.bold)
	f.AddUTF8FontFromBytes(pdfFamily, "I", fonts.italic)
	f.SetMargins(pdfMargin, pdfMargin, pdfMargin)
	f.SetAutoPageBreak(false, pdfBottom) // rows are placed by need, never cut
	f.SetCreationDate(r.Generated)
	f.SetModificationDate(r.Generated)
	f.SetCatalogSort(true)
	f.SetTitle(r.Title, true)
	f.SetSubject(r.Library, true)
	f.SetCreator("Canvass", true)
	f.SetLang(r.Lang)
	f.AliasNbPages("{nb}")
	f.SetFooterFunc(d.footer)
	f.AddPage()
	d.header()
	for _, sec := range r.Sections {
		d.section(sec)
	}
	return f.Output(w)
}

type pdfDoc struct {
	f       *fpdf.Fpdf
	r       *Report
	lang    string
	covered []bool
}

// text is s as the PDF's fonts can write it (see pdfSafe).
func (d *pdfDoc) text(s string) string { return pdfSafe(s, d.covered) }

func (d *pdfDoc) font(style string, size float64) { d.f.SetFont(pdfFamily, style, size) }

// lineH is the line height of a font size in points.
func lineH(size float64) float64 { return size * 0.3528 * 1.3 }

// wrap splits s into lines of at most width mm in the current font, at
// most maxLines of them (the last then ends in "…"). Lines break at
// spaces only, never at a no-break space ("45 %" stays whole), and inside
// a word only when the word alone is wider than a line.
func (d *pdfDoc) wrap(s string, width float64, maxLines int) []string {
	// A line holds at most a few hundred characters: cut the rest before
	// splitting, so that a hostile label costs no more than a long one.
	cut := false
	if limit := maxLines * 200; len(s) > limit {
		n := 0
		for i := range s {
			if n == limit {
				s, cut = s[:i], true
				break
			}
			n++
		}
	}
	lines := d.split(d.text(s), width)
	if len(lines) > maxLines || cut {
		lines = lines[:min(len(lines), maxLines)]
		last := []rune(lines[len(lines)-1])
		for len(last) > 0 && d.f.GetStringWidth(string(last)+"…") > width-1 {
			last = last[:len(last)-1]
		}
		lines[len(lines)-1] = string(last) + "…"
	}
	return lines
}

// split breaks safe text (see text) into lines at most width mm wide in
// the current font; it always returns at least one line.
func (d *pdfDoc) split(s string, width float64) []string {
	var lines []string
	space := d.f.GetStringWidth(" ")
	var line strings.Builder
	lineW := -1.0 // the line's width; -1 while it has no word
	for _, word := range strings.Split(s, " ") {
		ww := d.f.GetStringWidth(word)
		if lineW >= 0 && lineW+space+ww <= width {
			line.WriteByte(' ')
			line.WriteString(word)
			lineW += space + ww
			continue
		}
		if lineW >= 0 {
			lines = append(lines, line.String())
			line.Reset()
		}
		// The word starts a line; one wider than a line is broken.
		for ww > width {
			n, w := 0, 0.0
			for i, r := range word {
				rw := d.f.GetStringWidth(string(r))
				if i > 0 && w+rw > width {
					break
				}
				n, w = i+utf8.RuneLen(r), w+rw
			}
			lines = append(lines, word[:n])
			word = word[n:]
			ww = d.f.GetStringWidth(word)
		}
		line.WriteString(word)
		lineW = ww
	}
	return append(lines, line.String())
}

// need starts a new page unless h mm fit below the current position.
func (d *pdfDoc) need(h float64) {
	if d.f.GetY()+h > pdfPageH-pdfBottom {
		d.f.AddPage()
	}
}

// para writes s wrapped over the content width at the current position.
func (d *pdfDoc) para(s, style string, size float64, maxLines int) {
	d.font(style, size)
	lines := d.wrap(s, pdfContentW, maxLines)
	d.lines(pdfMargin, lines, size)
}

// lines writes encoded lines at x from the current position down, starting
// a page first if they do not fit.
func (d *pdfDoc) lines(x float64, lines []string, size float64) {
	h := lineH(size)
	d.need(float64(len(lines)) * h)
	y := d.f.GetY()
	for i, l := range lines {
		d.f.Text(x, y+float64(i)*h+size*0.3528, l)
	}
	d.f.SetY(y + float64(len(lines))*h)
}

func (d *pdfDoc) gap(h float64) { d.f.SetY(d.f.GetY() + h) }

func (d *pdfDoc) footer() {
	d.f.SetTextColor(80, 80, 80)
	d.font("", pdfSmall)
	y := pdfPageH - pdfBottom + 8
	d.f.Text(pdfMargin, y, d.text(survey.FormatDate(d.lang, d.r.Generated)))
	page := d.text(word(d.lang, "page", d.f.PageNo(), "{nb}"))
	d.f.Text(pdfMargin+pdfContentW-d.f.GetStringWidth(page), y, page)
	d.f.SetTextColor(0, 0, 0)
}

func (d *pdfDoc) header() {
	r := d.r
	d.para(word(d.lang, "title"), "B", 18, 2)
	d.gap(1)
	d.para(r.Title, "B", 13, 4)
	d.para(r.Library, "", 12, 3)
	d.para(survey.FormatDate(d.lang, r.Generated), "", pdfBody, 1)
	d.gap(2)
	d.para(ruleText(d.lang, r.K), "", pdfBody, 4)
	if r.TooFew {
		d.gap(1)
		d.para(TooFewSentence(d.lang, r.K), "B", pdfBody, 3)
	}
	if len(r.Groups) > 0 {
		d.gap(2)
		d.para(word(d.lang, "groups"), "B", pdfBody, 1)
		d.font("", pdfBody)
		for i, g := range r.Groups {
			h := lineH(pdfBody)
			d.need(h)
			y := d.f.GetY()
			d.fill(d.colour(i))
			d.f.Rect(pdfMargin, y+0.6, 5, pdfBarH, "F")
			lines := d.wrap(d.groupLabel(g), pdfContentW-8, 2)
			d.f.SetY(y)
			d.lines(pdfMargin+7, lines, pdfBody)
		}
	}
	for _, m := range r.Merged {
		d.gap(1)
		d.para(MergedSentence(d.lang, m), "I", pdfBody, 4)
	}
	d.gap(5)
}

// groupLabel is "Europe (N = 120)".
func (d *pdfDoc) groupLabel(g Group) string {
	return word(d.lang, "group_n", g.Label, Number(d.lang, float64(g.N)))
}

func (d *pdfDoc) colour(i int) [3]int {
	if i == len(d.r.Groups)-1 {
		return pdfAllColour
	}
	return pdfPalette[i%len(pdfPalette)]
}

func (d *pdfDoc) fill(c [3]int) { d.f.SetFillColor(c[0], c[1], c[2]) }
func (d *pdfDoc) draw(c [3]int) { d.f.SetDrawColor(c[0], c[1], c[2]) }

func (d *pdfDoc) section(sec Section) {
	d.font("B", 13)
	lines := d.wrap(sec.Title, pdfContentW, 3)
	// A section title is never left alone at the foot of a page.
	d.need(float64(len(lines))*lineH(13) + 30)
	d.lines(pdfMargin, lines, 13)
	d.gap(2)
	for _, it := range sec.Items {
		d.item(it)
	}
	d.gap(3)
}

func (d *pdfDoc) item(it Item) {
	d.font("B", pdfBody+1)
	label := d.wrap(it.Label, pdfContentW, pdfItemLines)
	// The label stays with its answer and the first lines of its chart.
	d.need(float64(len(label))*lineH(pdfBody+1) + 22)
	d.lines(pdfMargin, label, pdfBody+1)
	answer := word(d.lang, "no_answer")
	if len(it.Yours) > 0 {
		answer = joinList(d.lang, it.Yours)
	}
	if it.Kind == KindNumber && it.Number != nil {
		answer = word(d.lang, "no_answer")
		if it.Number.Value != nil {
			answer = Number(d.lang, *it.Number.Value)
		}
		if it.Number.Unit != "" {
			answer += " (" + it.Number.Unit + ")"
		}
		d.para(word(d.lang, "your_value", answer), "", pdfBody, 4)
	} else {
		d.para(word(d.lang, "your_answer", answer), "", pdfBody, 6)
	}
	d.gap(1.5)
	hidden := false
	matrix := ""
	for i, row := range it.Rows {
		if row.Matrix != "" && (i == 0 || row.Matrix != matrix) {
			matrix = row.Matrix
			d.font("B", pdfBody)
			st := d.wrap(row.Matrix, pdfContentW, pdfLabelLines)
			d.need(float64(len(st))*lineH(pdfBody) + 1 + d.rowHeight(row))
			d.gap(0.5)
			d.font("B", pdfBody)
			d.lines(pdfMargin, st, pdfBody)
			d.gap(0.5)
		}
		if d.row(row) {
			hidden = true
		}
	}
	if it.Number != nil && it.Kind == KindNumber {
		if d.number(it.Number) {
			hidden = true
		}
	}
	// How many options the library chose against its peers is said by
	// Build's notes, once, in the report's words: the renderer adds no
	// sentence of its own, which would say it twice, or "0" for a library
	// that did not answer.
	if len(it.Missing) > 0 {
		d.gap(0.5)
		d.para(word(d.lang, "missing", joinList(d.lang, it.Missing)), "", pdfBody, 8)
	}
	for _, n := range it.Notes {
		d.gap(0.5)
		d.para(n, "", pdfBody, 6)
	}
	if hidden {
		d.gap(0.5)
		d.para(hiddenLegend(d.lang), "I", pdfSmall, 3)
	}
	d.gap(4)
}

// rowHeight is the height of a distribution row.
func (d *pdfDoc) rowHeight(row Row) float64 {
	d.font("", pdfBody)
	lines := len(d.wrap(row.Label, pdfLabelW-5, pdfLabelLines))
	bars := float64(len(row.Shares))*(pdfBarH+pdfBarGap) + 0.8
	return math.Max(float64(lines)*lineH(pdfBody), bars) + 1
}

// row draws one option: its label (bold and marked when it is the
// library's answer), a bar per group with its interval, and the share text
// beside each bar. It reports whether a share was hidden.
func (d *pdfDoc) row(row Row) (hidden bool) {
	h := d.rowHeight(row)
	d.need(h)
	y := d.f.GetY()
	style := ""
	if row.Yours {
		style = "B"
		// The mark: a filled triangle before the label.
		d.fill([3]int{0, 0, 0})
		d.f.Polygon([]fpdf.PointType{{X: pdfMargin, Y: y + 0.6}, {X: pdfMargin + 2.6, Y: y + 1.9}, {X: pdfMargin, Y: y + 3.2}}, "F")
	}
	d.font(style, pdfBody)
	d.lines(pdfMargin+4, d.wrap(row.Label, pdfLabelW-5, pdfLabelLines), pdfBody)
	x := pdfMargin + pdfLabelW
	for gi, s := range row.Shares {
		by := y + 0.4 + float64(gi)*(pdfBarH+pdfBarGap)
		d.fill([3]int{235, 235, 235})
		d.f.Rect(x, by, pdfBarW, pdfBarH, "F")
		d.font("", pdfSmall)
		txt := word(d.lang, "hidden_mark")
		if s.Hidden {
			hidden = true
		} else {
			txt = ShareText(d.lang, s)
			d.fill(d.colour(gi))
			d.f.Rect(x, by, pdfBarW*clamp01(s.Share), pdfBarH, "F")
			d.draw([3]int{0, 0, 0})
			d.f.SetLineWidth(0.25)
			lo, hi := x+pdfBarW*clamp01(s.Low), x+pdfBarW*clamp01(s.High)
			mid := by + pdfBarH/2
			d.f.Line(lo, mid, hi, mid)
			d.f.Line(lo, by+0.6, lo, by+pdfBarH-0.6)
			d.f.Line(hi, by+0.6, hi, by+pdfBarH-0.6)
		}
		d.f.Text(x+pdfBarW+2, by+pdfBarH-0.5, d.text(txt))
	}
	d.f.SetY(y + h)
	return hidden
}

func clamp01(x float64) float64 { return math.Min(1, math.Max(0, x)) }

// number draws a quartile strip per group on one scale, the library's
// value as a line across them, the figures beside each strip and the band
// sentence. It reports whether a group's figures were hidden.
func (d *pdfDoc) number(n *NumberCompare) (hidden bool) {
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, g := range n.Groups {
		if !g.Hidden {
			lo, hi = math.Min(lo, g.Q1), math.Max(hi, g.Q3)
		}
	}
	if n.Value != nil {
		lo, hi = math.Min(lo, *n.Value), math.Max(hi, *n.Value)
	}
	if math.IsInf(lo, 0) {
		lo, hi = 0, 1
	}
	if pad := (hi - lo) * 0.08; pad > 0 {
		lo, hi = lo-pad, hi+pad
	} else {
		lo, hi = lo-1, hi+1
	}
	x0 := pdfMargin + pdfLabelW
	scale := func(v float64) float64 { return x0 + pdfStripW*(v-lo)/(hi-lo) }
	pitch := pdfBarH + 2*pdfBarGap
	d.font("", pdfSmall)
	labels := make([][]string, min(len(n.Groups), len(d.r.Groups)))
	total := 0.0
	for gi := range labels {
		labels[gi] = d.wrap(d.groupLabel(d.r.Groups[gi]), pdfLabelW-5, 2)
		total += math.Max(pitch, float64(len(labels[gi]))*lineH(pdfSmall))
	}
	d.need(total) // the strips stay together on one page
	for gi, g := range n.Groups[:len(labels)] {
		h := math.Max(pitch, float64(len(labels[gi]))*lineH(pdfSmall))
		d.need(h)
		y := d.f.GetY()
		d.font("", pdfSmall)
		d.lines(pdfMargin+4, labels[gi], pdfSmall)
		mid := y + pitch/2
		d.draw([3]int{190, 190, 190})
		d.f.SetLineWidth(0.2)
		d.f.Line(x0, mid, x0+pdfStripW, mid)
		txt := word(d.lang, "hidden_mark")
		if g.Hidden {
			hidden = true
		} else {
			txt = word(d.lang, "quartiles", Number(d.lang, g.Median), Number(d.lang, g.Q1), Number(d.lang, g.Q3), Number(d.lang, float64(g.N)))
			d.fill(d.colour(gi))
			d.f.Rect(scale(g.Q1), mid-pdfBarH/2, math.Max(0.3, scale(g.Q3)-scale(g.Q1)), pdfBarH, "F")
			d.draw([3]int{0, 0, 0})
			d.f.SetLineWidth(0.5)
			d.f.Line(scale(g.Median), mid-pdfBarH/2-0.3, scale(g.Median), mid+pdfBarH/2+0.3)
		}
		d.font("", pdfSmall)
		d.f.Text(x0+pdfStripW+2, mid+1, d.text(txt))
		d.f.SetY(y + h)
		// The library's value crosses every strip drawn on this page.
		if n.Value != nil {
			d.draw([3]int{200, 0, 0})
			d.f.SetLineWidth(0.6)
			d.f.Line(scale(*n.Value), y, scale(*n.Value), y+h)
		}
	}
	if n.Band != "" {
		d.gap(1)
		d.para(n.Band, "I", pdfBody, 3)
	}
	return hidden
}
