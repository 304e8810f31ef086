package web_test

import (
	"net/http"
	"regexp"
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
