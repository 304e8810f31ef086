package web_test

import (
	"fmt"
	"net/http"
	"testing"

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
