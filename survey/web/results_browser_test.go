package web_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/metlib/canvass/internal/browsertest"
	"github.com/metlib/canvass/survey"
)

// TestGroupedTableInTheBrowser opens the public results in French in
// headless Chromium, on a desktop and on a phone's width: the grouped table
// is drawn with a column per region, its base under each name, and on the
// phone it scrolls inside its own box while the page itself never gets
// wider than the screen.
func TestGroupedTableInTheBrowser(t *testing.T) {
	ctx := browsertest.New(t)
	a := newApp(t)
	a.seedDemo("impact-methods", 300)
	if rec := a.do(request{method: http.MethodPost, path: "/api/v1/surveys/impact-methods/results/publish", token: a.token(survey.RoleAdmin)}); rec.Code != 200 {
		t.Fatalf("publish: %d", rec.Code)
	}
	srv := a.serve(t)
	const table = `#table-methods_by_region table.cross`
	for _, width := range []int64{1280, 390} {
		err := chromedp.Do(ctx, chromedp.EmulateViewport(width, 900), chromedp.Navigate(srv.URL+"/results/impact-methods?lang=fr"), chromedp.WaitVisible(chromedp.CSS(table)))
		if err != nil {
			t.Fatal(err)
		}
		heads, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll("`+table+` thead th")).map(th => th.innerText.replace(/\s+/g, " ").trim())`))
		if err != nil {
			t.Fatal(err)
		}
		if len(heads) != 7 || heads[0] != "Réponse" || !strings.HasPrefix(heads[2], "Europe n = ") {
			t.Errorf("%d px: headers %q, want Réponse and six regions with their n", width, heads)
		}
		first, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector("`+table+` tbody td").innerText`))
		if err != nil || first == "" {
			t.Errorf("%d px: first cell %q (%v)", width, first, err)
		}
		page, err := chromedp.Run(ctx, chromedp.Evaluate[[]int64](`[document.documentElement.scrollWidth, window.innerWidth, document.querySelector("#table-methods_by_region .table-scroll").scrollWidth, document.querySelector("#table-methods_by_region .table-scroll").clientWidth]`))
		if err != nil {
			t.Fatal(err)
		}
		if page[0] > page[1] {
			t.Errorf("%d px: the page is %d px wide", width, page[0])
		}
		if width == 390 && page[2] <= page[3] {
			t.Errorf("390 px: the table (%d px) should scroll in its box (%d px)", page[2], page[3])
		}
	}
}
