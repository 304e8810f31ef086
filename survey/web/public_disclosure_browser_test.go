package web_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/metlib/canvass/internal/browsertest"
	"github.com/metlib/canvass/survey"
)

// TestDisclosedResultsInTheBrowser opens /results and a grouped table's
// embed of a small survey, with counts withheld, in en, fr and es in
// headless Chromium, on a desktop and at a phone's 390 px: the withheld
// cells read "x" with no share beside them, the note saying what x is is
// drawn, and the page is never wider than the screen (a wide table scrolls
// in its own box). Set CANVASS_SHOTS to a directory to keep screenshots.
func TestDisclosedResultsInTheBrowser(t *testing.T) {
	ctx := browsertest.New(t)
	a := newApp(t)
	sv := seedSmall(t, a, "small-view", generateSmall(1))
	if rec := a.do(request{method: http.MethodPost, path: "/api/v1/surveys/" + sv.Slug + "/results/publish", token: a.token(survey.RoleAdmin)}); rec.Code != 200 {
		t.Fatalf("publish: %d", rec.Code)
	}
	srv := a.serve(t)
	for _, lang := range []string{"en", "fr", "es"} {
		for _, width := range []int64{1280, 390} {
			for _, page := range []struct{ name, path, cells string }{
				{"results", "/results/" + sv.Slug, "#table-types_by_region table.cross tbody td"},
				{"embed", "/embed/" + sv.Slug + "/results/types_by_region", "table.cross tbody td"},
			} {
				where := fmt.Sprintf("%s %s %d px", page.name, lang, width)
				if err := chromedp.Do(ctx, chromedp.EmulateViewport(width, 900), chromedp.Navigate(srv.URL+page.path+"?lang="+lang), chromedp.WaitVisible(chromedp.CSS(page.cells))); err != nil {
					t.Fatalf("%s: %v", where, err)
				}
				cells, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll("`+page.cells+`")).map(td => td.innerText.trim())`))
				if err != nil {
					t.Fatal(err)
				}
				hidden := 0
				for _, c := range cells {
					if c == "x" {
						hidden++
					}
				}
				if hidden == 0 || hidden == len(cells) {
					t.Errorf("%s: cells %q, want some hidden (x, alone) and some shown", where, cells)
				}
				notes, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll("p")).filter(p => p.offsetParent !== null).map(p => p.innerText)`))
				if err != nil {
					t.Fatal(err)
				}
				if !containsPrefix(notes, "x") {
					t.Errorf("%s: no visible note on x among %q", where, notes)
				}
				size, err := chromedp.Run(ctx, chromedp.Evaluate[[]int64](`[document.documentElement.scrollWidth, window.innerWidth]`))
				if err != nil {
					t.Fatal(err)
				}
				if size[0] > size[1] {
					t.Errorf("%s: the page is %d px wide", where, size[0])
				}
				shot(t, ctx, fmt.Sprintf("disclosed-%s-%s-%d", page.name, lang, width))
			}
		}
	}
}

// containsPrefix reports whether some text starts with prefix.
func containsPrefix(texts []string, prefix string) bool {
	for _, s := range texts {
		if len(s) >= len(prefix) && s[:len(prefix)] == prefix {
			return true
		}
	}
	return false
}

// TestDisclosedCountsInTheBrowser opens the iframe page and a host page
// on another origin with the widget (by region) of a small survey with
// counts withheld, in en, fr and es in headless Chromium, on a desktop
// and at a phone's 390 px: each draws the total and every region that is
// not zero as counts.json gives them (the number, or "x" when withheld),
// the note saying what x is under them, and is never wider than the
// screen. Set CANVASS_SHOTS to a directory to keep screenshots.
func TestDisclosedCountsInTheBrowser(t *testing.T) {
	ctx := browsertest.New(t)
	a := newApp(t)
	sv := seedSmall(t, a, "small-counts", generateSmall(1))
	canvass := a.serve(t)
	host := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		lang := r.URL.Query().Get("lang")
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<!doctype html><html lang="%[2]s"><head><meta name="viewport" content="width=device-width, initial-scale=1"><title>Section</title></head><body>
<h1>Metropolitan Libraries Section</h1>
<div id="widget" data-canvass-survey="%[3]s" data-lang="%[2]s" data-breakdown="region"></div>
<script src="%[1]s/embed/%[3]s/widget.js" async></script></body></html>`, canvass.URL, lang, sv.Slug)
	}))
	defer host.Close()
	for _, lang := range []string{"en", "fr", "es"} {
		counts := decode[countsBody](t, a.do(request{path: "/embed/" + sv.Slug + "/counts.json?lang=" + lang}))
		shownOf := func(n *int) string {
			if n == nil {
				return "x"
			}
			return survey.FormatInt(lang, *n)
		}
		want := []string{shownOf(counts.Total.Count)}
		withheld := counts.Total.Count == nil
		for _, r := range counts.ByRegion {
			if r.Count != nil && *r.Count == 0 {
				continue
			}
			want = append(want, r.Label+"="+shownOf(r.Count))
			withheld = withheld || r.Count == nil
		}
		if !withheld {
			t.Fatalf("%s: counts.json withholds nothing: the test would prove nothing", lang)
		}
		for _, width := range []int64{1280, 390} {
			for _, page := range []struct{ name, url, read string }{
				{"iframe", canvass.URL + "/embed/" + sv.Slug + "?lang=" + lang,
					`(() => { const d = document; const total = d.querySelector("p.total"); if (!total) return null;
					  return [total.textContent.split(" ")[0]].concat(Array.from(d.querySelectorAll("dt")).map(dt => dt.textContent + "=" + dt.nextElementSibling.lastElementChild.textContent),
					    Array.from(d.querySelectorAll("p.note")).map(p => "note:" + p.textContent)); })()`},
				{"widget", host.URL + "/?lang=" + lang,
					`(() => { const r = document.getElementById("widget").shadowRoot; const total = r && r.querySelector(".total"); if (!total) return null;
					  return [total.textContent.split(" ")[0]].concat(Array.from(r.querySelectorAll("dt")).map(dt => dt.textContent + "=" + dt.nextElementSibling.querySelector(".count").textContent),
					    Array.from(r.querySelectorAll("p.note")).map(p => "note:" + p.textContent)); })()`},
			} {
				where := fmt.Sprintf("%s %s %d px", page.name, lang, width)
				if err := chromedp.Do(ctx, chromedp.EmulateViewport(width, 900), chromedp.Navigate(page.url)); err != nil {
					t.Fatalf("%s: %v", where, err)
				}
				got, err := chromedp.Run(ctx, chromedp.Poll[[]string](page.read, chromedp.WithPollingTimeout(20*time.Second)))
				if err != nil {
					t.Fatalf("%s: nothing drawn: %v", where, err)
				}
				var drawn []string
				note := false
				for _, g := range got {
					if text, ok := strings.CutPrefix(g, "note:"); ok {
						note = note || text == counts.Note
					} else {
						drawn = append(drawn, g)
					}
				}
				if !slices.Equal(drawn, want) || !note {
					t.Errorf("%s: drew %q (note %v), want %q and the note %q", where, got, note, want, counts.Note)
				}
				size, err := chromedp.Run(ctx, chromedp.Evaluate[[]int64](`[document.documentElement.scrollWidth, window.innerWidth]`))
				if err != nil {
					t.Fatal(err)
				}
				if size[0] > size[1] {
					t.Errorf("%s: the page is %d px wide", where, size[0])
				}
				shot(t, ctx, fmt.Sprintf("disclosed-%s-%s-%d", page.name, lang, width))
			}
		}
	}
}
