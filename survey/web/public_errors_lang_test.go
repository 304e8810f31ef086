package web_test

import (
	"net/http"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/metlib/canvass/survey/web"
)

// errorPageText is the heading and the message paragraph of an HTML error
// page, read with the x/net/html parser (entities decoded, as a reader
// sees them).
func errorPageText(t *testing.T, body string) (heading, message string) {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && (n.Data == "h1" || n.Data == "p") {
			var b strings.Builder
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				if c.Type == html.TextNode {
					b.WriteString(c.Data)
				}
			}
			switch {
			case n.Data == "h1" && heading == "":
				heading = b.String()
			case n.Data == "p" && heading != "" && message == "":
				message = b.String()
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return heading, message
}

// TestPublicErrorPagesInTheirLanguage: the errors a respondent or visitor
// meets on the public pages — no such survey, no such address, a method
// not allowed, a body too large, too many requests — say both their
// heading and their message in the page's language. Every text is written
// out by hand.
func TestPublicErrorPagesInTheirLanguage(t *testing.T) {
	a := newApp(t)
	limited := newApp(t, func(c *web.Config) { c.SubmitRate = web.RateLimit{PerSecond: 0.001, Burst: 1} })
	heading := map[string]string{"en": "Something went wrong", "fr": "Une erreur s'est produite", "es": "Se ha producido un error"}
	big := "library_name=" + strings.Repeat("a", 70<<10)
	form := "application/x-www-form-urlencoded"
	type want struct {
		status     int
		en, fr, es string
	}
	cases := []struct {
		name string
		app  *app
		req  func(lang string) request
		want want
	}{
		{"no such survey", a, func(l string) request { return request{path: "/s/nope?lang=" + l} }, want{404,
			`There is no survey "nope".`, "Il n’y a pas d’enquête «\u00a0nope\u00a0».", "No hay ninguna encuesta «nope»."}},
		{"no such address", a, func(l string) request { return request{path: "/nowhere?lang=" + l} }, want{404,
			"There is nothing at this address.", "Il n’y a rien à cette adresse.", "No hay nada en esta dirección."}},
		{"method not allowed", a, func(l string) request { return request{path: "/admin/surveys?lang=" + l} }, want{405,
			"This method is not allowed here.", "Cette méthode n’est pas autorisée ici.", "Este método no está permitido aquí."}},
		{"method not allowed on a form", a, func(l string) request { return request{method: http.MethodPut, path: "/s/landscape?lang=" + l} }, want{405,
			"This method is not allowed here.", "Cette méthode n’est pas autorisée ici.", "Este método no está permitido aquí."}},
		{"too large", a, func(l string) request {
			return request{method: http.MethodPost, path: "/s/landscape?lang=" + l, body: big, contentType: form}
		}, want{413, "The request is larger than 65536 bytes.", "La requête dépasse 65536 octets.", "La solicitud supera los 65536 bytes."}},
	}
	for _, tc := range cases {
		for _, lang := range []string{"en", "fr", "es"} {
			t.Run(tc.name+" "+lang, func(t *testing.T) {
				rec := tc.app.do(tc.req(lang))
				h, m := errorPageText(t, rec.Body.String())
				msg := map[string]string{"en": tc.want.en, "fr": tc.want.fr, "es": tc.want.es}[lang]
				if rec.Code != tc.want.status || h != heading[lang] || m != msg {
					t.Errorf("got %d %q / %q, want %d %q / %q", rec.Code, h, m, tc.want.status, heading[lang], msg)
				}
			})
		}
	}
	// Too many submissions from one address: the first spends the rate.
	limited.do(request{method: http.MethodPost, path: "/s/nope", body: "x=1", contentType: form})
	for lang, msg := range map[string]string{
		"en": "Too many requests from your address; please wait a moment and try again.",
		"fr": "Trop de requêtes depuis votre adresse\u202f; patientez un instant puis réessayez.",
		"es": "Demasiadas solicitudes desde su dirección; espere un momento y vuelva a intentarlo.",
	} {
		rec := limited.do(request{method: http.MethodPost, path: "/s/landscape?lang=" + lang, body: "x=1", contentType: form})
		if h, m := errorPageText(t, rec.Body.String()); rec.Code != 429 || h != heading[lang] || m != msg {
			t.Errorf("rate limited %s: got %d %q / %q, want 429 %q / %q", lang, rec.Code, h, m, heading[lang], msg)
		}
	}
}
