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
