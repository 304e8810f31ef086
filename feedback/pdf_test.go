package feedback_test

import (
	"bytes"
	"compress/zlib"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf16"

	"github.com/metlib/canvass/feedback"
)

// pdfText writes the report as a PDF and reads it back with poppler's
// pdftotext (-layout) and pdfinfo, readers nobody here wrote.
func pdfText(t *testing.T, r *feedback.Report) (text, info string, size int) {
	t.Helper()
	for _, tool := range []string{"pdftotext", "pdfinfo"} {
		if _, err := exec.LookPath(tool); err != nil {
			if os.Getenv("CI") != "" {
				t.Fatalf("%s is not installed; .ci/run installs poppler-utils", tool)
			}
			t.Skipf("%s is not installed (apt-get install poppler-utils)", tool)
		}
	}
	var b bytes.Buffer
	if err := feedback.WritePDF(&b, r); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "report.pdf")
	if err := os.WriteFile(path, b.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-layout", "-enc", "UTF-8", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	inf, err := exec.Command("pdfinfo", path).CombinedOutput()
	if err != nil {
		t.Fatalf("pdfinfo: %v: %s", err, inf)
	}
	return string(out), string(inf), b.Len()
}

// pdfWords are the sentences of the PDF a reader should find, by language.
var pdfWords = map[string]map[string]string{
	"en": {"answer": "Your answer: ", "value": "Your value: ", "group": "%s (N = %s)", "quartiles": "median %s (quartiles %s–%s), n = %s",
		"no_answer": "no answer", "page": "Page %d of %d"},
	"fr": {"answer": "Votre réponse\u00a0: ", "value": "Votre valeur\u00a0: ", "group": "%s (N\u00a0=\u00a0%s)", "quartiles": "médiane %s (quartiles %s–%s), n\u00a0=\u00a0%s",
		"no_answer": "pas de réponse", "page": "Page %d sur %d"},
	"es": {"answer": "Su respuesta: ", "value": "Su valor: ", "group": "%s (N = %s)", "quartiles": "mediana %s (cuartiles %s–%s), n = %s",
		"no_answer": "sin respuesta", "page": "Página %d de %d"},
}

// inPDF is s as pdftotext reads it back: poppler ends a word at any space,
// the no-break space and the narrow one included, and writes a plain space
// between words (pdfShown reads the spaces the PDF has).
func inPDF(s string) string { return strings.NewReplacer("\u202f", " ", "\u00a0", " ").Replace(s) }

// listSep is how each language separates the answers of a list: in
// French, a narrow no-break space before the semicolon.
var listSep = map[string]string{"en": "; ", "fr": "\u202f; ", "es": "; "}

// want is what a read-back text must hold: each string at least as many
// times as it is listed.
type want map[string]int

func (w want) add(s string) { w[inPDF(s)]++ }

func (w want) check(t *testing.T, text string) {
	t.Helper()
	for s, n := range w {
		if got := strings.Count(text, s); got < n {
			t.Errorf("%q appears %d times in the PDF's text, want at least %d", s, got, n)
		}
	}
}

var pagesRe = regexp.MustCompile(`(?m)^Pages:\s+(\d+)$`)

func TestPDFFiguresReadBack(t *testing.T) {
	t.Parallel()
	for _, lang := range []string{"en", "fr", "es"} {
		for groups := 1; groups <= 5; groups++ {
			t.Run(fmt.Sprintf("%s/%d groups", lang, groups), func(t *testing.T) {
				r := fixture(lang, groups)
				text, info, _ := pdfText(t, r)
				pw, fw := pdfWords[lang], words[lang]
				w := want{}
				m := pagesRe.FindStringSubmatch(info)
				if m == nil {
					t.Fatalf("pdfinfo gave no page count:\n%s", info)
				}
				pages, _ := strconv.Atoi(m[1])
				for p := 1; p <= pages; p++ {
					w.add(fmt.Sprintf(pw["page"], p, pages))
				}
				w[fw["date"]] += pages + 1 // every footer and the header
				w.add(fw["title"])
				w.add(r.Library)
				for _, g := range r.Groups {
					w.add(fmt.Sprintf(pw["group"], g.Label, num(lang, float64(g.N))))
				}
				w.add(pw["answer"] + fw["b"])
				w.add(pw["answer"] + fw["a"] + listSep[lang] + fw["c"])
				w.add(pw["value"] + num(lang, 0.0125) + " (" + fw["unit"] + ")")
				w.add(pw["value"] + pw["no_answer"])
				w.add(fw["band"])
				hidden := 0
				for _, sec := range r.Sections {
					for _, it := range sec.Items {
						for _, row := range it.Rows {
							for _, s := range row.Shares {
								if s.Hidden {
									hidden++
								} else {
									w.add(shareText(lang, s))
								}
							}
						}
						if it.Number != nil {
							for _, g := range it.Number.Groups {
								if g.Hidden {
									hidden++
									continue
								}
								w.add(fmt.Sprintf(pw["quartiles"], num(lang, g.Median), num(lang, g.Q1), num(lang, g.Q3), num(lang, float64(g.N))))
							}
						}
					}
				}
				// The item's notes, once each: the renderer writes no count
				// sentence of its own.
				flat := strings.Join(strings.Fields(text), " ")
				if got := strings.Count(flat, inPDF(fw["count_note"])); got != 1 {
					t.Errorf("the count note %q appears %d times, want once", fw["count_note"], got)
				}
				if m := ownCountRe.FindString(flat); m != "" {
					t.Errorf("the renderer's own count sentence %q", m)
				}
				// The merged group, the withheld mark: the page's sentences
				// (messages.go), not words of the renderer's own.
				sentences := want{}
				sentences.add(feedback.MergedSentence(lang, r.Merged[0]))
				if hidden > 0 {
					sentences.add("x — " + feedback.HiddenSentence(lang))
				}
				sentences.check(t, flat)
				if m := ownWordsRe.FindString(flat); m != "" {
					t.Errorf("the renderer's own words %q", m)
				}
				w.check(t, text)
				if got := len(markRe.FindAllString(text, -1)); got < hidden {
					t.Errorf("%d hidden marks in the PDF's text, want %d", got, hidden)
				}
				for _, c := range []string{"œ", "€", "«", "»", "é", "¿"} {
					if !strings.Contains(text, c) {
						t.Errorf("%q is missing from the PDF's text", c)
					}
				}
				if lang == "es" && !strings.Contains(text, "ñandú") {
					t.Error("ñ is missing from the PDF's text")
				}
			})
		}
	}
}

// ownCountRe is the count sentence the PDF used to write itself, in
// each language ("You chose 4 options; the median peer chose …").
var ownCountRe = regexp.MustCompile(`You chose \d+ options?;|Vous avez choisi \d+ options?\s;|Eligió \d+ opciones?;`)

// ownWordsRe are the sentences the renderers used to write themselves for
// a merged group, too few respondents and a withheld figure.
var ownWordsRe = regexp.MustCompile(`had too few respondents|comptait trop peu|tenía demasiado pocos|the report shows your own answers|le rapport montre vos réponses|el informe muestra sus propias|withheld under the disclosure rules|masqué selon les règles|oculto según las reglas`)

// TestPDFRuleOneLibrary: with k = 1 the rule says "1 library", in the
// singular, in every language.
func TestPDFRuleOneLibrary(t *testing.T) {
	t.Parallel()
	for lang, want := range map[string]string{"en": "at least 1 library;", "fr": "au moins 1 bibliothèque ;", "es": "al menos 1 biblioteca;"} {
		r := fixture(lang, 2)
		r.K = 1
		text, _, _ := pdfText(t, r)
		if flat := strings.Join(strings.Fields(text), " "); !strings.Contains(flat, want) {
			t.Errorf("%s: %q missing from the PDF's text:\n%s", lang, want, flat)
		}
	}
}

// TestPDFUnansweredCount: a library that did not answer a multiple-choice
// question is never told it chose 0 options, whether Count is left nil
// (as Build does) or not.
func TestPDFUnansweredCount(t *testing.T) {
	t.Parallel()
	for _, lang := range []string{"en", "fr", "es"} {
		for _, nilCount := range []bool{false, true} {
			text, _, _ := pdfText(t, unanswered(lang, 3, nilCount))
			flat := strings.Join(strings.Fields(text), " ")
			if m := ownCountRe.FindString(flat); m != "" {
				t.Errorf("%s (Count nil %v): %q", lang, nilCount, m)
			}
			if z := regexp.MustCompile(`\b0 (options?|opciones?)\b`).FindString(flat); z != "" {
				t.Errorf("%s (Count nil %v): %q in the PDF", lang, nilCount, z)
			}
		}
	}
}

// markRe is a hidden mark: an x standing alone.
var markRe = regexp.MustCompile(`(?m)(^|\s)x(\s|$)`)

var wordRe = regexp.MustCompile(`<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>`)

// pdfWordBoxes writes r and reads back every word's box (in points) by
// page with pdftotext -bbox.
func pdfWordBoxes(t *testing.T, r *feedback.Report) (pages [][][5]string) {
	t.Helper()
	pdfText(t, r) // skips without poppler
	var b bytes.Buffer
	if err := feedback.WritePDF(&b, r); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "report.pdf")
	if err := os.WriteFile(path, b.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-bbox", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext -bbox: %v", err)
	}
	for _, page := range strings.Split(string(out), "<page ")[1:] {
		var words [][5]string
		for _, m := range wordRe.FindAllStringSubmatch(page, -1) {
			words = append(words, [5]string{m[1], m[2], m[3], m[4], m[5]})
		}
		pages = append(pages, words)
	}
	return pages
}

// TestPDFStaysInsideThePage: long labels wrap inside the right margin, and
// no row runs into the footer: every word but the footer's lies above the
// bottom margin (A4 is 595.28 × 841.89 pt; margins 15 mm = 42.5 pt; the
// content ends 18 mm = 51 pt above the foot).
func TestPDFStaysInsideThePage(t *testing.T) {
	t.Parallel()
	for _, r := range []*feedback.Report{fixture("fr", 5), fixture("es", 3), fullReport(t, "fr"), hostile(200, 3000)} {
		pages := pdfWordBoxes(t, r)
		if len(pages) < 2 {
			t.Fatalf("%d pages, want a report that breaks over pages", len(pages))
		}
		for p, boxes := range pages {
			var foot []string
			for _, w := range boxes {
				xMax, _ := strconv.ParseFloat(w[2], 64)
				yMax, _ := strconv.ParseFloat(w[3], 64)
				if xMax > 595.28-42.5+1 {
					t.Errorf("page %d: %q ends at x = %.1f pt, past the right margin", p+1, w[4], xMax)
				}
				if yMax > 841.89-51 {
					foot = append(foot, w[4])
				}
			}
			footer := strings.Join(foot, " ")
			wantFoot := fmt.Sprintf(pdfWords[r.Lang]["page"], p+1, len(pages))
			if !strings.HasPrefix(footer, words[r.Lang]["date"]+" ") || !strings.HasSuffix(footer, wantFoot) ||
				len(footer) != len(words[r.Lang]["date"])+1+len(wantFoot) {
				t.Errorf("page %d: below the content %q, want the footer %q … %q only", p+1, footer, words[r.Lang]["date"], wantFoot)
			}
		}
	}
}

func TestPDFTooFewShowsOwnAnswersOnly(t *testing.T) {
	t.Parallel()
	for _, lang := range []string{"en", "fr", "es"} {
		text, _, _ := pdfText(t, tooFew(lang))
		w := want{}
		w.add(pdfWords[lang]["answer"] + words[lang]["b"])
		w.add(pdfWords[lang]["value"] + num(lang, 0.0125))
		w.check(t, text)
		flat := strings.Join(strings.Fields(text), " ")
		if tf := inPDF(feedback.TooFewSentence(lang, 5)); !strings.Contains(flat, tf) {
			t.Errorf("%s: %q missing from the PDF's text", lang, tf)
		}
		if m := ownWordsRe.FindString(flat); m != "" {
			t.Errorf("%s: the renderer's own words %q", lang, m)
		}
		if strings.Contains(text, "(N") || regexp.MustCompile(`\d\s?%\s\(`).MatchString(text) {
			t.Errorf("%s: a report with too few peers shows a peer figure:\n%s", lang, text)
		}
	}
}

// pdfShown is every string the PDF's pages show, decoded from the page
// streams with compress/zlib (not fpdf): the fonts are Identity-H with an
// identity ToUnicode map, so each string is UTF-16BE. pdftotext cannot say
// which space a text had (poppler ends a word at any space, the no-break
// ones included, and writes " "); this can.
func pdfShown(t *testing.T, pdf []byte) string {
	t.Helper()
	var out strings.Builder
	for _, m := range streamRe.FindAllSubmatchIndex(pdf, -1) {
		zr, err := zlib.NewReader(bytes.NewReader(pdf[m[1]:]))
		if err != nil {
			continue // not a Flate stream
		}
		content, _ := io.ReadAll(zr) // the stream's end: ReadAll stops at the zlib end
		for _, tj := range tjRe.FindAllSubmatch(content, -1) {
			raw := unescapePDF(tj[1])
			u := make([]uint16, len(raw)/2)
			for i := range u {
				u[i] = uint16(raw[2*i])<<8 | uint16(raw[2*i+1])
			}
			out.WriteString(string(utf16.Decode(u)))
			out.WriteByte('\n')
		}
	}
	return out.String()
}

var (
	streamRe = regexp.MustCompile(`stream\r?\n`)
	tjRe     = regexp.MustCompile(`\(((?:\\.|[^\\)])*)\) Tj`)
)

// unescapePDF undoes a PDF literal string's backslash escapes.
func unescapePDF(b []byte) []byte {
	var out []byte
	for i := 0; i < len(b); i++ {
		if b[i] != '\\' || i+1 == len(b) {
			out = append(out, b[i])
			continue
		}
		i++
		switch b[i] {
		case 'n':
			out = append(out, '\n')
		case 'r':
			out = append(out, '\r')
		case 't':
			out = append(out, '\t')
		case 'b':
			out = append(out, '\b')
		case 'f':
			out = append(out, '\f')
		default:
			if b[i] >= '0' && b[i] <= '7' {
				v, n := 0, 0
				for n < 3 && i < len(b) && b[i] >= '0' && b[i] <= '7' {
					v, i, n = v*8+int(b[i]-'0'), i+1, n+1
				}
				i--
				out = append(out, byte(v))
				continue
			}
			out = append(out, b[i])
		}
	}
	return out
}

// unicodeNames are library names and labels beyond French and Spanish
// that the PDF writes as they are.
var unicodeNames = []string{
	"Karanarlı Büyükşehir Belediyesi Halk Kütüphanesi", // Turkish: ı ş ğ İ
	"İzmir Ğ ğ Ş ş",
	"Biblioteka Publiczna w Łodzi — Żółć gęślą jaźń", // Polish
	"Městská knihovna v Praze: Příliš žluťoučký kůň", // Czech
	"Te Whare Pukapuka o Ōtautahi: ā ē ī ō ū Ā",      // Māori
	"Δημοτική Βιβλιοθήκη Θεσσαλονίκης",               // Greek
	"Научная библиотека",                             // Russian
	"Bibliothèque « Cœur » — Œuvres à 5 € ; ¿Año ñandú? “quotes” ‘x’ … −3",
}

// TestPDFUnicode: names in Turkish, Polish, Czech, Māori, Greek and
// Russian, and French and Spanish typography, are read back as they were
// written; the no-break spaces are in the page streams; the fonts are
// embedded; what the fonts cannot write is replaced, one "�" per
// character, or by its base letter.
func TestPDFUnicode(t *testing.T) {
	t.Parallel()
	r := fixture("fr", 2)
	r.Library = unicodeNames[0]
	r.Title = "Enquête « Ölçüm » 2027"
	sec := &r.Sections[0]
	sec.Title = unicodeNames[1]
	sec.Items[0].Label = unicodeNames[2]
	sec.Items[1].Label = unicodeNames[3]
	r.Sections[1].Items[2].Label = unicodeNames[4]
	sec.Items[2].Label = unicodeNames[5]
	sec.Items[2].Rows[0].Matrix = unicodeNames[6]
	sec.Items[2].Rows[1].Matrix = unicodeNames[6]
	r.Sections[1].Title = unicodeNames[7]
	r.Sections[1].Items[0].Label = "Kanji 日本語 arrow → ok, Thư viện Hà Nội, e\u0301t\u0301e\u0301, ǅ, \u0627\u0644 ✓ end"
	r.Sections[1].Items[1].Label = "ctl\x01\x0b\x7f|bad \xff utf8 \u200bzero"
	var b bytes.Buffer
	if err := feedback.WritePDF(&b, r); err != nil {
		t.Fatal(err)
	}
	text, info, _ := pdfText(t, r)
	flat := strings.Join(strings.Fields(text), " ")
	for _, s := range append(unicodeNames[:7:7],
		inPDF(unicodeNames[7]), "Enquête « Ölçüm » 2027",
		"Kanji ��� arrow → ok, Thu viên Hà Nôi, été, Dž, �� � end", // ư ệ ộ: the horn and the dot below dropped
		"ctl |bad � utf8 zero", "Page 1 sur ") {
		if !strings.Contains(flat, s) {
			t.Errorf("%q missing from the PDF's text:\n%s", s, flat)
		}
	}
	if !strings.Contains(info, "Subject:         "+unicodeNames[0]) {
		t.Errorf("pdfinfo: the subject is not the library's name:\n%s", info)
	}
	shown := pdfShown(t, b.Bytes())
	// "1 500" (N), "45 %" and "« en usage »" (French), and the library's
	// ";" preceded by the narrow no-break space U+202F.
	for _, s := range []string{"(N\u00a0=\u00a0" + "1\u202f500)", "\u202f%", "«\u00a0", "\u00a0»", "Cœur", "¿Año ñandú?", "000\u00a0€\u202f; "} {
		if !strings.Contains(shown, s) {
			t.Errorf("%+q is not shown in the PDF's pages", s)
		}
	}
	// pdffonts: every font is embedded, with a ToUnicode map; no core font.
	path := filepath.Join(t.TempDir(), "unicode.pdf")
	if err := os.WriteFile(path, b.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdffonts", path).CombinedOutput()
	if err != nil {
		t.Fatalf("pdffonts: %v: %s", err, out)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")[2:]
	if len(lines) != 3 {
		t.Errorf("pdffonts lists %d fonts, want 3 (regular, bold, italic):\n%s", len(lines), out)
	}
	for _, l := range lines {
		f := strings.Fields(l)
		if len(f) < 7 || f[len(f)-5] != "yes" || f[len(f)-3] != "yes" || strings.Contains(l, "Helvetica") {
			t.Errorf("pdffonts: %q, want an embedded font with a ToUnicode map", l)
		}
	}
}

// TestPDFHostile: 2,000 rows of 10,000-character labels give a PDF of
// bounded size (labels are cut to ten lines) in bounded time.
func TestPDFHostile(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("a large report")
	}
	r := hostile(2000, 10000)
	start := time.Now()
	var b bytes.Buffer
	if err := feedback.WritePDF(&b, r); err != nil {
		t.Fatal(err)
	}
	t.Logf("2,000 rows of 10,000-character labels: %d bytes in %v", b.Len(), time.Since(start))
	if b.Len() > 20<<20 {
		t.Errorf("the PDF is %d bytes, want at most 20 MiB", b.Len())
	}
}

// TestPDFDeterministic: the same report gives the same bytes (dated by the
// report, not by the clock).
func TestPDFDeterministic(t *testing.T) {
	t.Parallel()
	var a, b bytes.Buffer
	if err := feedback.WritePDF(&a, fixture("es", 4)); err != nil {
		t.Fatal(err)
	}
	time.Sleep(1100 * time.Millisecond)
	if err := feedback.WritePDF(&b, fixture("es", 4)); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Error("two PDFs of one report differ")
	}
}
