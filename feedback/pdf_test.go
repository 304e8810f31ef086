package feedback_test

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

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
		"merged": "Afrique subsaharienne had too few respondents: compared with %s instead.", "hidden": "x: withheld under the disclosure rules",
		"count": "You chose 4 options; the median peer chose ", "too_few": "Fewer than 5 other libraries have answered", "no_answer": "no answer", "page": "Page %d of %d"},
	"fr": {"answer": "Votre réponse\u00a0: ", "value": "Votre valeur\u00a0: ", "group": "%s (N\u00a0=\u00a0%s)", "quartiles": "médiane %s (quartiles %s–%s), n\u00a0=\u00a0%s",
		"merged": "Afrique subsaharienne comptait trop peu de répondants\u00a0: comparée avec %s à la place.", "hidden": "x\u00a0: masqué selon les règles de confidentialité",
		"count": "Vous avez choisi 4 options\u202f; le pair médian en a choisi ", "too_few": "Moins de 5 autres bibliothèques ont répondu", "no_answer": "pas de réponse", "page": "Page %d sur %d"},
	"es": {"answer": "Su respuesta: ", "value": "Su valor: ", "group": "%s (N = %s)", "quartiles": "mediana %s (cuartiles %s–%s), n = %s",
		"merged": "Afrique subsaharienne tenía demasiado pocos encuestados: comparada con %s en su lugar.", "hidden": "x: oculto según las reglas de confidencialidad",
		"count": "Eligió 4 opciones; el par mediano eligió ", "too_few": "Menos de 5 otras bibliotecas han respondido", "no_answer": "sin respuesta", "page": "Página %d de %d"},
}

// inPDF is s as pdftotext reads it back: cp1252 has no narrow no-break
// space, so the PDF writes a no-break space (0xA0) for it (see WritePDF),
// and pdftotext gives a no-break space back as a plain space.
func inPDF(s string) string { return strings.NewReplacer("\u202f", " ", "\u00a0", " ").Replace(s) }

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
				w.add(fmt.Sprintf(pw["merged"], groupLabels[lang][4]))
				w.add(pw["answer"] + fw["b"])
				w.add(pw["answer"] + fw["a"] + "; " + fw["c"])
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
				if hidden > 0 {
					w.add(pw["hidden"])
				}
				// The count sentence: the median peer's count per group, x when hidden.
				var parts []string
				for gi, g := range r.Sections[0].Items[1].Count.Groups {
					v := "x"
					if !g.Hidden {
						v = num(lang, g.Median)
					}
					parts = append(parts, v+" ("+r.Groups[gi].Label+")")
				}
				flat := strings.Join(strings.Fields(text), " ")
				wc := want{}
				wc.add(pw["count"] + strings.Join(parts, ", ") + ".")
				wc.check(t, flat)
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
		w.add(pdfWords[lang]["too_few"])
		w.add(pdfWords[lang]["answer"] + words[lang]["b"])
		w.add(pdfWords[lang]["value"] + num(lang, 0.0125))
		w.check(t, text)
		if strings.Contains(text, "(N") || regexp.MustCompile(`\d\s?%\s\(`).MatchString(text) {
			t.Errorf("%s: a report with too few peers shows a peer figure:\n%s", lang, text)
		}
	}
}

// TestPDFOutsideCP1252: characters the core font cannot write are written
// "?", one each, and the text around them is intact.
func TestPDFOutsideCP1252(t *testing.T) {
	t.Parallel()
	r := fixture("fr", 2)
	r.Sections[0].Items[0].Label = "Kanji 日本 arrow → ok «\u00a0fin\u00a0» œ"
	r.Sections[0].Title = "Ǆ before"
	r.Library = "ctl\x01\x0b\x7f|bad \xff utf8"
	text, info, _ := pdfText(t, r)
	for _, s := range []string{"Kanji ?? arrow ? ok « fin » œ", "? before", "Page 1 sur ", "ctl ", " |bad ? utf8"} {
		if !strings.Contains(text, s) {
			t.Errorf("%q missing from the PDF's text:\n%s", s, text)
		}
	}
	if !strings.Contains(info, "Pages:") {
		t.Errorf("pdfinfo: %s", info)
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
