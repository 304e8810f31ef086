package web_test

import (
	"bytes"
	"fmt"
	"image/png"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/metlib/canvass/internal/browsertest"
	"github.com/metlib/canvass/survey"
)

// TestTrendsInTheBrowser opens the two-wave campaign's trends page and its
// public results in headless Chromium, in en, fr and es, on a desktop and
// at a phone's 390 px, and reads the screenshots: the org_type chart
// draws a line in each of its four options' colours, the page heading is
// in the reader's language, and the page is never wider than the screen.
func TestTrendsInTheBrowser(t *testing.T) {
	ctx := browsertest.New(t)
	a, admin := twoWaveCampaign(t)
	for _, slug := range []string{"landscape", "landscape-2026"} {
		if rec := a.do(request{method: http.MethodPost, path: "/api/v1/surveys/" + slug + "/results/publish", token: admin}); rec.Code != 200 {
			t.Fatalf("publishing %s: %d", slug, rec.Code)
		}
	}
	a.user("admin@example.org", survey.RoleAdmin)
	srv := a.serve(t)
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1280, 900),
		chromedp.Navigate(srv.URL+"/admin/login"),
		chromedp.SendKeys(chromedp.CSS("#email"), "admin@example.org"),
		chromedp.SendKeys(chromedp.CSS("#password"), "a long enough password"),
		chromedp.Click(chromedp.CSS("button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS(".admin-nav")),
	); err != nil {
		t.Fatal(err)
	}
	headings := map[string][2]string{ // the trends page's h1, the public section's h2
		"en": {"Trends: ", "Trends across waves"},
		"fr": {"Tendances\u00a0: ", "Tendances entre vagues"},
		"es": {"Tendencias: ", "Tendencias entre oleadas"},
	}
	for _, lang := range []string{"en", "fr", "es"} {
		for _, width := range []int64{1280, 390} {
			for i, view := range []struct{ path, heading string }{
				{"/admin/surveys/landscape-2026/trends?lang=" + lang, "h1"},
				{"/results/landscape-2026?lang=" + lang, "#trends-title"},
			} {
				name := fmt.Sprintf("%s %d px %s", lang, width, view.path)
				const chart = `section[aria-labelledby="trend-h-org_type"] svg.chart`
				if err := chromedp.Do(ctx, chromedp.EmulateViewport(width, 900), chromedp.Navigate(srv.URL+view.path), chromedp.WaitVisible(chromedp.CSS(chart))); err != nil {
					t.Fatalf("%s: %v", name, err)
				}
				heading, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector(`+fmt.Sprintf("%q", view.heading)+`).textContent`))
				if err != nil || !strings.HasPrefix(heading, headings[lang][i]) {
					t.Errorf("%s: heading %q (%v), want it to begin %q", name, heading, err, headings[lang][i])
				}
				wide, err := chromedp.Run(ctx, chromedp.Evaluate[[]int64](`[document.documentElement.scrollWidth, window.innerWidth]`))
				if err != nil || wide[0] > wide[1] {
					t.Errorf("%s: the page is %v px wide (%v)", name, wide, err)
				}
				shotPNG, err := chromedp.Run(ctx, chromedp.Screenshot(chromedp.CSS(chart)))
				if err != nil {
					t.Fatal(err)
				}
				img, err := png.Decode(bytes.NewReader(shotPNG))
				if err != nil {
					t.Fatalf("%s: the screenshot: %v", name, err)
				}
				// The chart's first four lines (city, regional, national,
				// consortium), in the markers' colours.
				for _, c := range []struct {
					name    string
					r, g, b int
				}{{"blue", 0x0b, 0x5c, 0xad}, {"orange", 0xb3, 0x59, 0x00}, {"green", 0x2e, 0x7d, 0x32}, {"purple", 0x6a, 0x1b, 0x9a}} {
					n := 0
					bounds := img.Bounds()
					for y := bounds.Min.Y; y < bounds.Max.Y; y++ {
						for x := bounds.Min.X; x < bounds.Max.X; x++ {
							r, g, b, _ := img.At(x, y).RGBA()
							if near(int(r>>8), c.r) && near(int(g>>8), c.g) && near(int(b>>8), c.b) {
								n++
							}
						}
					}
					// The chart scales to the screen: at 390 px its lines
					// are half as long and half as thick as on a desktop.
					least := 40
					if width < 600 {
						least = 15
					}
					if n < least {
						t.Errorf("%s: the chart has %d %s pixels: its line is not drawn", name, n, c.name)
					}
				}
				if dir := os.Getenv("CANVASS_SHOTS"); dir != "" { // to look at the card (nothing is compared with it)
					card, err := chromedp.Run(ctx, chromedp.Screenshot(chromedp.CSS(`section[aria-labelledby="trend-h-org_type"]`)))
					if err != nil {
						t.Fatal(err)
					}
					_ = os.MkdirAll(dir, 0o755)
					_ = os.WriteFile(filepath.Join(dir, strings.NewReplacer("/", "_", "?", "_", " ", "_", "=", "_").Replace(name)+".png"), card, 0o644)
				}
			}
		}
	}
}

// near reports whether two colour channels are within anti-aliasing's reach.
func near(a, b int) bool { return a-b < 40 && b-a < 40 }
