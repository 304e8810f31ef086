package web_test

import (
	"regexp"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// This file is the reader of the public pages: it parses /results and the
// table embeds with an HTML parser and gives back what a visitor sees, as
// text, table by table, knowing nothing of how the pages are made.

// readTable is one published table as a reader sees it.
type readTable struct {
	ID    string
	Base  string     // the first note: "Answered by 18 libraries."
	Rows  [][]string // simple tables: label, share, count
	Head  []pageColumn
	Cross [][]string // cross tables: label, then one "count (share)" cell per column
	Texts []string   // the summaries (paragraphs that are not notes)
	Notes []string   // the notes after the base
}

type pageColumn struct{ Label, Base string }

// seen is the visible text of n, spaces squeezed.
func seen(n *html.Node) string { return strings.Join(strings.Fields(text(n)), " ") }

func hasClass(n *html.Node, class string) bool {
	return n.Type == html.ElementNode && strings.Contains(" "+attr(n, "class")+" ", " "+class+" ")
}

func parseHTML(t *testing.T, body string) *html.Node {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// readResultsPage reads /results: the introduction and each table.
func readResultsPage(t *testing.T, body string) (intro string, tables map[string]readTable) {
	t.Helper()
	doc := parseHTML(t, body)
	if p := findAll(doc, func(n *html.Node) bool { return hasClass(n, "intro") }); len(p) == 1 {
		intro = seen(p[0])
	}
	tables = map[string]readTable{}
	for _, sec := range findAll(doc, func(n *html.Node) bool { return n.Data == "section" && hasClass(n, "results-table") }) {
		id := strings.TrimPrefix(attr(sec, "id"), "table-")
		tables[id] = readTableIn(sec, id)
	}
	return intro, tables
}

// readEmbed reads one table embed (a whole document).
func readEmbed(t *testing.T, id, body string) readTable {
	t.Helper()
	doc := parseHTML(t, body)
	bodies := findAll(doc, tag("body"))
	if len(bodies) != 1 {
		t.Fatalf("embed %s has no body", id)
	}
	rt := readTableIn(bodies[0], id)
	// The last note is the link to the results page.
	if n := len(rt.Notes); n > 0 {
		rt.Notes = rt.Notes[:n-1]
	}
	return rt
}

func readTableIn(root *html.Node, id string) readTable {
	rt := readTable{ID: id}
	for _, p := range findAll(root, tag("p")) {
		s := seen(p)
		switch {
		case rt.Base == "" && hasClass(p, "note"):
			rt.Base = s
		case hasClass(p, "note"):
			rt.Notes = append(rt.Notes, s)
		default:
			rt.Texts = append(rt.Texts, s)
		}
	}
	for _, tb := range findAll(root, tag("table")) {
		cross := hasClass(tb, "cross")
		if cross {
			heads := findAll(tb, tag("thead"))
			for i, th := range findAll(heads[0], tag("th")) {
				if i == 0 {
					continue
				}
				col := pageColumn{Label: seen(th)}
				if span := findAll(th, tag("span")); len(span) == 1 {
					col.Base = seen(span[0])
					col.Label = strings.TrimSpace(strings.TrimSuffix(col.Label, col.Base))
				}
				rt.Head = append(rt.Head, col)
			}
		}
		for _, body := range findAll(tb, tag("tbody")) {
			for _, tr := range findAll(body, tag("tr")) {
				var row []string
				for c := tr.FirstChild; c != nil; c = c.NextSibling {
					if c.Type == html.ElementNode && (c.Data == "th" || c.Data == "td") {
						row = append(row, seen(c))
					}
				}
				if cross {
					rt.Cross = append(rt.Cross, row)
				} else if len(row) == 4 {
					rt.Rows = append(rt.Rows, []string{row[0], row[2], row[3]}) // the bar cell has no text
				}
			}
		}
	}
	return rt
}

// A reading of a number as shown: hidden (the mark), or its value.
type shown struct {
	hidden bool
	n      int
	ok     bool
}

var countDigits = regexp.MustCompile(`\d[\d\x{00a0}\x{202f} .,]*`)

// readCount reads a count as a visitor does: "x" is hidden, else its
// countDigits (any grouping).
func readCount(s string) shown {
	s = strings.TrimSpace(s)
	if s == "x" {
		return shown{hidden: true, ok: true}
	}
	n, err := strconv.Atoi(strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, s))
	return shown{n: n, ok: err == nil && s != ""}
}

// firstNumber reads the first count in a sentence ("Answered by 18
// libraries.", "18 bibliothèques ont répondu."), or the mark.
func firstNumber(s string) shown {
	if regexp.MustCompile(`(^|\s)x(\s|$)`).MatchString(s) {
		return shown{hidden: true, ok: true}
	}
	m := countDigits.FindString(s)
	if m == "" {
		return shown{}
	}
	return readCount(strings.TrimRight(m, " .,"))
}

// readPercent reads "17%", "17 %" (French, a narrow space) or "".
func readPercent(s string) (float64, bool) {
	s = strings.TrimSpace(strings.Trim(strings.TrimSpace(s), "()"))
	s = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s), "%"))
	s = strings.Trim(s, "\u00a0\u202f ")
	if s == "" {
		return 0, false
	}
	v, err := strconv.ParseFloat(strings.ReplaceAll(s, ",", "."), 64)
	return v / 100, err == nil
}

// readDecimal reads "3.44" or "3,44".
func readDecimal(s string) (float64, bool) {
	v, err := strconv.ParseFloat(strings.ReplaceAll(strings.TrimSpace(s), ",", "."), 64)
	return v, err == nil
}

// splitCell reads a cross-table cell: "3 (17%)" or "x".
func splitCell(s string) (shown, string) {
	count, share, _ := strings.Cut(s, "(")
	return readCount(count), strings.TrimSuffix(strings.TrimSpace(share), ")")
}
