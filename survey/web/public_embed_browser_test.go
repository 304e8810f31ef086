package web_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/metlib/canvass/internal/browsertest"
	"github.com/metlib/canvass/survey"
)

// TestEmbedOnAnotherSite loads a page served from another origin that
// includes the widget script and the iframe, in headless Chromium, and
// compares the numbers drawn with counts.json; after a new response and
// the cache time, a reload shows the new count.
func TestEmbedOnAnotherSite(t *testing.T) {
	a := newApp(t)
	a.storeResponses(t, "landscape", "FR", survey.Europe, 6, nil)
	a.storeResponses(t, "landscape", "CA", survey.NorthAmerica, 2, nil)
	admin := a.token(survey.RoleAdmin)
	for _, body := range []string{
		`{"name": "Bibliothèque municipale de Lyon", "city": "Lyon", "country": "FR", "public_profile": true, "website": "https://www.bm-lyon.fr"}`,
		`{"name": "Toronto Public Library", "city": "Toronto", "country": "CA", "public_profile": true}`,
		`{"name": "Not listed", "country": "DE"}`,
	} {
		if rec := a.do(request{method: http.MethodPost, path: "/api/v1/libraries", token: admin, body: body, contentType: "application/json"}); rec.Code != 201 {
			t.Fatal(rec.Body)
		}
	}
	canvass := httptest.NewServer(a.handler)
	defer canvass.Close()
	host := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<!doctype html><html lang="fr"><head><title>Section webpage</title>
<style>p { color: red; font-size: 40px } .total { display: none }</style></head><body>
<h1>Metropolitan Libraries Section</h1>
<div id="widget" data-canvass-survey="landscape" data-lang="fr" data-breakdown="region"></div>
<script src="%[1]s/embed/landscape/widget.js" async></script>
<div id="libs" data-canvass-libraries data-lang="fr" data-region="europe"></div>
<iframe id="frame" src="%[1]s/embed/landscape?lang=fr" title="Responses" width="400" height="300"></iframe>
</body></html>`, canvass.URL)
	}))
	defer host.Close()
	if strings.Split(host.URL, ":")[2] == strings.Split(canvass.URL, ":")[2] {
		t.Fatal("the host page must be on another origin")
	}
	ctx := browsertest.New(t)

	widgetTotal := `(() => { const r = document.getElementById("widget").shadowRoot; const p = r && r.querySelector(".total"); return p ? p.textContent : ""; })()`
	load := func() (widget, frame string) {
		t.Helper()
		if err := chromedp.Do(ctx, chromedp.Navigate(host.URL)); err != nil {
			t.Fatal(err)
		}
		widget, err := chromedp.Run(ctx, chromedp.Poll[string](widgetTotal, chromedp.WithPollingTimeout(20*time.Second)))
		if err != nil {
			t.Fatalf("the widget drew nothing: %v", err)
		}
		frames, err := chromedp.Run(ctx, chromedp.Nodes(chromedp.CSS("#frame")))
		if err != nil || len(frames) != 1 {
			t.Fatalf("iframe: %v", err)
		}
		frame, err = chromedp.Run(ctx, chromedp.Text(chromedp.CSS("p.total"), chromedp.FromNode(frames[0])))
		if err != nil {
			t.Fatalf("the iframe drew nothing (framing refused?): %v", err)
		}
		return widget, frame
	}
	countsTotal := func() int {
		n := decode[countsBody](t, a.do(request{path: "/embed/landscape/counts.json?lang=fr"}))
		return *n.Total.Count
	}

	widget, frame := load()
	want := strconv.Itoa(countsTotal()) + " réponses"
	if widget != want || strings.TrimSpace(frame) != want {
		t.Errorf("widget %q, iframe %q, counts.json says %q", widget, frame, want)
	}
	// The host's styles do not reach into the widget; North America's 2 is
	// withheld, and so is Europe's 6, which the total 8 would turn into it;
	// the note under them says what x is.
	regions, err := chromedp.Run(ctx, chromedp.Evaluate[string](`Array.from(document.getElementById("widget").shadowRoot.querySelectorAll("dt, .count, .note")).map(e => e.textContent).join("|")`))
	if err != nil || !strings.Contains(regions, "Europe|x") || !strings.Contains(regions, "Amérique du Nord|x") || !strings.Contains(regions, "x\u00a0: non publié.") {
		t.Errorf("widget regions %q %v", regions, err)
	}
	shown, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`getComputedStyle(document.getElementById("widget").shadowRoot.querySelector(".total")).display`))
	if shown == "none" {
		t.Error("the host page's styles hid the widget")
	}
	globals, _ := chromedp.Run(ctx, chromedp.Evaluate[bool](`typeof window.Canvass === "object" && typeof window.render === "undefined" && typeof window.text === "undefined"`))
	if !globals {
		t.Error("the widget leaks globals")
	}

	libs, err := chromedp.Run(ctx, chromedp.Poll[string](`(() => { const r = document.getElementById("libs").shadowRoot; const li = r && r.querySelectorAll("li"); return li && li.length ? Array.from(li).map(e => e.textContent).join("|") : ""; })()`, chromedp.WithPollingTimeout(20*time.Second)))
	if err != nil || libs != "Bibliothèque municipale de LyonLyon, FR" {
		t.Errorf("member libraries in Europe: %q %v", libs, err)
	}

	// Another instance stores k responses (public counts move in steps of
	// k, docs/embed.md); after the cache time, a reload shows them.
	clock := time.Now().UTC()
	a.server.SetClock(func() time.Time { return clock })
	a.storeResponses(t, "landscape", "DE", survey.Europe, 5, survey.Answers{"org_type": "city_system"})
	a.do(request{path: "/embed/landscape/counts.json?lang=fr"})
	clock = clock.Add(11 * time.Second)
	// The browser's copy expires with max-age; clearing its cache stands for that wait.
	if _, err := chromedp.Call(ctx, network.ClearBrowserCache, cdp.Empty{}); err != nil {
		t.Fatal(err)
	}
	widget, frame = load()
	if widget != "13 réponses" || strings.TrimSpace(frame) != "13 réponses" {
		t.Errorf("after k new responses: widget %q, iframe %q, want 13 réponses", widget, frame)
	}
}

// TestWidgetWhenTheServiceIsDown: the host page stays whole and the
// widget says the counts are unavailable.
func TestWidgetWhenTheServiceIsDown(t *testing.T) {
	a := newApp(t)
	canvass := httptest.NewServer(a.handler)
	script := a.do(request{path: "/embed/landscape/widget.js"}).Body.String()
	canvass.Close() // the service is gone; the script was cached by the host
	host := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/widget.js" {
			w.Header().Set("Content-Type", "text/javascript")
			fmt.Fprint(w, strings.Replace(script, `var base = script ? new URL(script.src).origin : "";`, `var base = "`+canvass.URL+`";`, 1))
			return
		}
		fmt.Fprint(w, `<!doctype html><html lang="en"><body><p id="before">Host text</p><div id="widget" data-canvass-survey="landscape"></div><script src="/widget.js"></script><p id="after">More host text</p></body></html>`)
	}))
	defer host.Close()
	ctx := browsertest.New(t)
	if err := chromedp.Do(ctx, chromedp.Navigate(host.URL)); err != nil {
		t.Fatal(err)
	}
	msg, err := chromedp.Run(ctx, chromedp.Poll[string](`(() => { const r = document.getElementById("widget").shadowRoot; const p = r && r.querySelector(".note"); return p ? p.textContent : ""; })()`, chromedp.WithPollingTimeout(20*time.Second)))
	if err != nil || msg != "Response counts are unavailable just now." {
		t.Errorf("widget with the service down: %q %v", msg, err)
	}
	after, _ := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("#after")))
	if after != "More host text" {
		t.Errorf("host page damaged: %q", after)
	}
}

// TestEmbedAdminPage: the snippets name this server, and the live preview
// draws under the admin pages' strict CSP (no inline style or script).
func TestEmbedAdminPage(t *testing.T) {
	a := newApp(t)
	a.storeResponses(t, "landscape", "FR", survey.Europe, 6, nil)
	a.user("analyst@example.org", survey.RoleAnalyst)
	srv := httptest.NewServer(a.handler)
	defer srv.Close()
	ctx := browsertest.New(t)
	err := chromedp.Do(ctx,
		chromedp.Navigate(srv.URL+"/admin/login"),
		chromedp.SendKeys(chromedp.CSS("#email"), "analyst@example.org"),
		chromedp.SendKeys(chromedp.CSS("#password"), "a long enough password"),
		chromedp.Click(chromedp.CSS("button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS("nav.admin-nav, .admin-nav")),
		chromedp.Navigate(srv.URL+"/admin/surveys/landscape/embed"),
	)
	if err != nil {
		t.Fatal(err)
	}
	drawn, err := chromedp.Run(ctx, chromedp.Poll[string](`(() => { const h = document.querySelector("[data-canvass-survey]"); const p = h && h.shadowRoot && h.shadowRoot.querySelector(".total"); return p ? p.textContent + "|" + getComputedStyle(p).fontWeight : ""; })()`, chromedp.WithPollingTimeout(20*time.Second)))
	if err != nil || drawn != "6 responses|700" {
		t.Errorf("preview widget: %q %v", drawn, err)
	}
	snippet, _ := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("pre.snippet code")))
	if !strings.Contains(snippet, `<script src="`+srv.URL+`/embed/landscape/widget.js" async></script>`) {
		t.Errorf("script snippet %q", snippet)
	}
}
