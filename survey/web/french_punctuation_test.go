package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/metlib/canvass/survey"
)

// frenchSpacingFault finds French punctuation without its no-break space:
// a colon, semicolon, question or exclamation mark, or a closing guillemet
// straight after a letter, digit or ordinary space, and an opening guillemet
// followed by one. Times (11:00) and web addresses are not prose.
var frenchSpacingFault = regexp.MustCompile(`[\p{L}\p{N}) ][:;?!»]|«[\p{L}\p{N} ]`)

// TestFrenchEmbedsSpaceTheirPunctuation reads the French badge, counts,
// libraries and table embeds, text and accessible names alike, and checks
// French spacing: "réponses : 300" with a no-break space, never
// "réponses: 300" (nor an ordinary space the line could break at).
func TestFrenchEmbedsSpaceTheirPunctuation(t *testing.T) {
	a := newApp(t)
	a.seedDemo("impact-methods", 300)
	if rec := a.do(request{method: http.MethodPost, path: "/api/v1/surveys/impact-methods/results/publish", token: a.token(survey.RoleAdmin)}); rec.Code != 200 {
		t.Fatalf("publish: %d %s", rec.Code, rec.Body)
	}
	badge := a.do(request{path: "/embed/impact-methods/badge.svg?lang=fr"})
	if want := `aria-label="réponses` + "\u00a0" + `: 300"`; !strings.Contains(badge.Body.String(), want) {
		t.Errorf("badge lacks %q:\n%s", want, badge.Body)
	}
	for _, path := range []string{
		"/embed/impact-methods/badge.svg?lang=fr",
		"/embed/impact-methods?lang=fr",
		"/embed/libraries?lang=fr",
		"/embed/impact-methods/results/methods_by_region?lang=fr",
		"/embed/impact-methods/results/methods_by_population?lang=fr",
	} {
		rec := a.do(request{path: path})
		if rec.Code != 200 {
			t.Fatalf("%s: %d", path, rec.Code)
		}
		doc, err := html.Parse(strings.NewReader(rec.Body.String()))
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range visibleText(doc) {
			prose := regexp.MustCompile(`\d:\d|https?:`).ReplaceAllString(s, "")
			if m := frenchSpacingFault.FindString(prose); m != "" {
				t.Errorf("%s: %q without a no-break space in %q", path, m, s)
			}
		}
	}
}

// elementText is the text of every paragraph, list item, heading, label
// and legend of doc, each with its descendants' text joined as a reader
// sees it: a colon after a link ("<a>Question</a> : message") is only
// seen with the link's text before it.
func elementText(doc *html.Node) []string {
	var out []string
	var text func(*html.Node, *strings.Builder)
	text = func(n *html.Node, b *strings.Builder) {
		if n.Type == html.ElementNode && (n.Data == "script" || n.Data == "style") {
			return
		}
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			text(c, b)
		}
	}
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			switch n.Data {
			case "p", "li", "h1", "h2", "h3", "label", "legend", "th", "td":
				var b strings.Builder
				text(n, &b)
				if s := strings.TrimSpace(b.String()); s != "" {
					out = append(out, s)
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return out
}

// TestFrenchFormSpacesItsPunctuation reads the French landscape form (the
// built-in survey's own French text) as it comes back with errors (the
// error summary: "Question : message"), with a number asked back, and
// refused from a stale page, and checks French spacing in every
// paragraph, list item, heading, label and legend.
func TestFrenchFormSpacesItsPunctuation(t *testing.T) {
	a := newApp(t)
	admin := a.token(survey.RoleAdmin)
	pages := map[string]string{}

	fs, _ := a.openForm("/s/landscape?lang=fr")
	rec := a.postForm("/s/landscape?lang=fr", fs, url.Values{"staff_fte": {"douze"}})
	pages["errors"] = rec.Body.String()
	if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(pages["errors"], `id="error-summary"`) {
		t.Fatalf("invalid French form: %d", rec.Code)
	}
	if want := "</a>\u00a0: Cette question est obligatoire.</li>"; !strings.Contains(pages["errors"], want) {
		t.Errorf("error summary lacks %q", want)
	}

	fs, _ = a.openForm("/s/landscape?lang=fr")
	rec = a.postForm("/s/landscape?lang=fr", fs, landscapeForm("2500000", "1,000"))
	pages["ask-back"] = rec.Body.String()
	if rec.Code != http.StatusUnprocessableEntity {
		t.Fatalf("ambiguous number: %d", rec.Code)
	}

	link := a.invite(t, admin, "landscape", "Bibliothèque de Lyon", "claire@bm-lyon.fr")
	srv := a.serve(t)
	tabA, tabB := newClient(t, srv), newClient(t, srv)
	bodies := []string{tabA.get(link).body, tabB.get(link).body}
	for i, c := range []*client{tabA, tabB} {
		values := shownForm(t, bodies[i])
		for id, v := range landscapeForm("2500000", strconv.Itoa(10+i)) {
			values[id] = v
		}
		values.Set("action", "submit")
		p := c.post(link, values)
		if i == 1 {
			pages["stale"] = p.body
			if p.status != http.StatusConflict {
				t.Fatalf("stale page: %d", p.status)
			}
		}
	}

	for name, body := range pages {
		doc, err := html.Parse(strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		checked := 0
		for _, s := range elementText(doc) {
			checked++
			prose := regexp.MustCompile(`\d:\d|https?:`).ReplaceAllString(s, "")
			if m := frenchSpacingFault.FindString(prose); m != "" {
				t.Errorf("%s: %q without a no-break space in %q", name, m, s)
			}
		}
		if checked < 20 {
			t.Errorf("%s: only %d texts read", name, checked)
		}
	}
}
