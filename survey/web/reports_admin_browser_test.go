package web_test

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/metlib/canvass/internal/browsertest"
	"github.com/metlib/canvass/survey"
)

var untoldCounts = regexp.MustCompile(`: (\d+) not told since the release, of the (\d+)`)

// TestReportsAdminPageInBrowser opens the working group's reports page of
// released reports in headless Chromium at 1280 and 390 px: the release
// state, whom Send reaches, the peer-group form with its band example
// shown beside the field (tied to it for screen readers), and no page-wide
// sideways scroll on a phone.
func TestReportsAdminPageInBrowser(t *testing.T) {
	a := newApp(t)
	f := a.seedReports(t, 60)
	a.closeSurvey(t, "impact-methods")
	if rec := a.do(request{method: http.MethodPost, path: "/api/v1/surveys/impact-methods/reports/release", token: a.token(survey.RoleAdmin)}); rec.Code != http.StatusOK {
		t.Fatalf("release: %d %s", rec.Code, rec.Body)
	}
	a.user("admin@example.org", survey.RoleAdmin)
	srv := a.serve(t)
	ctx := browsertest.New(t)
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1280, 900),
		chromedp.Navigate(srv.URL+"/admin/login"),
		chromedp.SendKeys(chromedp.CSS("#email"), "admin@example.org"),
		chromedp.SendKeys(chromedp.CSS("#password"), "a long enough password"),
		chromedp.Click(chromedp.CSS("button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS(".admin-nav")),
	); err != nil {
		t.Fatal(err)
	}
	type seen struct {
		Released    bool   `json:"released"`
		Untold      string `json:"untold"`
		Hint        string `json:"hint"`
		HintShown   bool   `json:"hintShown"`
		DescribedBy string `json:"describedBy"`
		Previews    int    `json:"previews"`
		Overflow    bool   `json:"overflow"`
	}
	for _, width := range []int64{1280, 390} {
		if err := chromedp.Do(ctx, chromedp.EmulateViewport(width, 900),
			chromedp.Navigate(srv.URL+"/admin/surveys/impact-methods/reports"),
			chromedp.WaitVisible(chromedp.CSS("#bands"))); err != nil {
			t.Fatal(err)
		}
		got, err := chromedp.Run(ctx, chromedp.Evaluate[seen](`({
  released: !!document.querySelector('[data-released]'),
  untold: (document.querySelector('[data-untold]') || {}).textContent || '',
  hint: (document.getElementById('bands-hint') || {}).textContent || '',
  hintShown: !!document.getElementById('bands-hint') && document.getElementById('bands-hint').getBoundingClientRect().height > 0,
  describedBy: document.getElementById('bands').getAttribute('aria-describedby') || '',
  previews: document.querySelectorAll('[data-preview="en"]').length,
  overflow: document.documentElement.scrollWidth > window.innerWidth + 1,
})`))
		if err != nil {
			t.Fatal(err)
		}
		shot(t, ctx, fmt.Sprintf("admin-reports-%d", width))
		if !got.Released || got.Previews != len(f.tokens) {
			t.Errorf("%d px: released %v, %d previews; want released with %d", width, got.Released, got.Previews, len(f.tokens))
		}
		// Nobody told yet: every library that answered through an
		// invitation is whom Send reaches.
		if m := untoldCounts.FindStringSubmatch(got.Untold); m == nil || m[1] != m[2] || m[1] == "0" {
			t.Errorf("%d px: %q, want every mailable library not told", width, got.Untold)
		}
		if !got.HintShown || got.DescribedBy != "bands-hint" || !strings.Contains(got.Hint, "100000 400000 1000000") {
			t.Errorf("%d px: band hint %q shown %v, field described by %q", width, got.Hint, got.HintShown, got.DescribedBy)
		}
		if got.Overflow {
			t.Errorf("%d px: the page scrolls sideways", width)
		}
	}
}
