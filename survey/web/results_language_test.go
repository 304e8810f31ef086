package web_test

import (
	"net/http"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/metlib/canvass/survey"
)

// englishOnPage are words of the pages' own English (and of the analysis's
// notes and labels) that a French or Spanish reader must never see.
var englishOnPage = regexp.MustCompile(`\b(Results:|Back to the survey|Download|Published|Not published|Publish the results|Withdraw|Group by|Any|Submitted from|Apply|submitted responses|Table \d|Asked of|answered by|Answer|Mean|Median|Family|Number chosen|Number of answers|fewer than|Percentages|All answers|Row|Surveys|Sign out|Working group|Respondents|respondents|Multiple answers|expected counts|Share|Ranked|under \d|and over|IFLA region|Findings|responding libraries|To protect|Updated|responses|inferred|solicited|observed|framework|economic|comparative)\b`)

// visibleText is what a reader sees or hears of a page: text outside
// script and style, and the labels of aria-label and title attributes.
func visibleText(n *html.Node) []string {
	var out []string
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && (n.Data == "script" || n.Data == "style") {
			return
		}
		if n.Type == html.TextNode && strings.TrimSpace(n.Data) != "" {
			out = append(out, strings.TrimSpace(n.Data))
		}
		for _, key := range []string{"aria-label", "title", "alt"} {
			if v := attr(n, key); v != "" {
				out = append(out, v)
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return out
}

// TestNoEnglishForFrenchOrSpanishReaders reads the results dashboard, the
// public results page and the embeds in French and Spanish, and looks for
// English words in everything a reader sees.
func TestNoEnglishForFrenchOrSpanishReaders(t *testing.T) {
	a := newApp(t)
	a.seedDemo("impact-methods", 300)
	if rec := a.do(request{method: http.MethodPost, path: "/api/v1/surveys/impact-methods/results/publish", token: a.token(survey.RoleAdmin)}); rec.Code != 200 {
		t.Fatalf("publish: %d %s", rec.Code, rec.Body)
	}
	c := newClient(t, a.serve(t))
	a.signIn(t, c, survey.RoleAdmin)
	for _, lang := range []string{"fr", "es"} {
		for _, path := range []string{
			"/admin/surveys/impact-methods/results?lang=" + lang,
			"/admin/surveys/impact-methods/results?by=region&lang=" + lang,
			"/results/impact-methods?lang=" + lang,
			"/embed/impact-methods/results/methods_by_region?lang=" + lang,
			"/embed/impact-methods/results/methods_by_population?lang=" + lang,
			"/embed/impact-methods?lang=" + lang,
			"/embed/impact-methods/badge.svg?lang=" + lang,
		} {
			p := c.get(path)
			if p.status != 200 {
				t.Fatalf("%s: %d", path, p.status)
			}
			doc, err := html.Parse(strings.NewReader(p.body))
			if err != nil {
				t.Fatal(err)
			}
			texts := visibleText(doc)
			if len(texts) < 3 {
				t.Errorf("%s: almost nothing to read: %q", path, texts)
			}
			for _, s := range texts {
				if m := englishOnPage.FindString(s); m != "" {
					t.Errorf("%s: English %q in %q", path, m, s)
				}
			}
		}
	}
}
