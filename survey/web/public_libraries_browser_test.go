package web_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/metlib/canvass/campaign"
	"github.com/metlib/canvass/internal/browsertest"
	"github.com/metlib/canvass/survey"
)

// shot saves a screenshot of the tab as name.png in $CANVASS_SHOTS, when
// that is set (to look at the pages; nothing is compared with it). Quality
// 100 makes chromedp write PNG rather than JPEG.
func shot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	dir := os.Getenv("CANVASS_SHOTS")
	if dir == "" {
		return
	}
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatal(err)
	}
	_ = os.MkdirAll(dir, 0o755)
	if err := os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestLibraryListsAndDemoBannerInTheBrowser opens the public lists in
// headless Chromium in en, fr and es, on a desktop and at a phone's 390 px:
// both headings are drawn, in that order, and the page is never wider than
// the screen; then the admin survey list, whose banner says how many
// responses are demo data.
func TestLibraryListsAndDemoBannerInTheBrowser(t *testing.T) {
	ctx := browsertest.New(t)
	var svc *campaign.Service
	a := newApp(t, withCampaign(&svc))
	admin := a.token(survey.RoleAdmin)
	for _, body := range []string{
		`{"name": "Bibliothèque municipale de Lyon", "city": "Lyon", "country": "FR", "type": "city_system", "member": true, "public_profile": true, "website": "bm-lyon.example.org"}`,
		`{"name": "Toronto Public Library", "city": "Toronto", "country": "CA", "type": "city_system", "member": true, "public_profile": true}`,
		`{"name": "Biblioteca de Santiago", "city": "Santiago", "country": "CL", "type": "regional_system", "public_profile": true}`,
		`{"name": "Aarhus Hovedbibliotek", "city": "Aarhus", "country": "DK", "public_profile": true}`,
	} {
		if rec := a.do(request{method: http.MethodPost, path: "/api/v1/libraries", token: admin, body: body, contentType: "application/json"}); rec.Code != 201 {
			t.Fatal(rec.Body)
		}
	}
	a.seedDemo("landscape", 12)
	if _, err := svc.AddDemo(survey.WithActor(context.Background(), survey.SystemActor), "landscape", 40, 1); err != nil {
		t.Fatal(err)
	}
	a.user("analyst@example.org", survey.RoleAnalyst)
	srv := httptest.NewServer(a.handler)
	defer srv.Close()

	for _, lang := range []string{"en", "fr", "es"} {
		for _, width := range []int64{1280, 390} {
			for _, tc := range []struct{ path, heading, name string }{
				{"/libraries", "section h2", "libraries"},
				{"/embed/libraries", "section h1", "embed-libraries"},
			} {
				err := chromedp.Do(ctx, chromedp.EmulateViewport(width, 900), chromedp.Navigate(srv.URL+tc.path+"?lang="+lang), chromedp.WaitVisible(chromedp.CSS(tc.heading)))
				if err != nil {
					t.Fatal(err)
				}
				got, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll("`+tc.heading+`")).map(h => h.innerText.trim())`))
				if err != nil {
					t.Fatal(err)
				}
				want := []string{headings[lang][0] + " (2)", headings[lang][1] + " (2)"}
				if strings.Join(got, "|") != strings.Join(want, "|") {
					t.Errorf("%s %s at %d px: headings %q, want %q", tc.path, lang, width, got, want)
				}
				wide, err := chromedp.Run(ctx, chromedp.Evaluate[[]int64](`[document.documentElement.scrollWidth, window.innerWidth]`))
				if err != nil {
					t.Fatal(err)
				}
				if wide[0] > wide[1] {
					t.Errorf("%s %s at %d px: the page is %d px wide", tc.path, lang, width, wide[0])
				}
				shot(t, ctx, tc.name+"-"+lang+"-"+map[int64]string{1280: "desktop", 390: "390"}[width])
			}
		}
	}

	err := chromedp.Do(ctx, chromedp.EmulateViewport(1280, 900),
		chromedp.Navigate(srv.URL+"/admin/login"),
		chromedp.SendKeys(chromedp.CSS("#email"), "analyst@example.org"),
		chromedp.SendKeys(chromedp.CSS("#password"), "a long enough password"),
		chromedp.Click(chromedp.CSS("button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS("[data-demo]")),
	)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		path, name string
		width      int64
	}{
		{"/admin", "admin-dashboard", 1280},
		{"/admin", "admin-dashboard", 390},
		{"/admin/surveys/landscape/results?lang=es", "admin-results-es", 1280},
		{"/admin/libraries", "admin-libraries", 1280},
	} {
		err := chromedp.Do(ctx, chromedp.EmulateViewport(tc.width, 900), chromedp.Navigate(srv.URL+tc.path), chromedp.WaitVisible(chromedp.CSS("[data-demo]")))
		if err != nil {
			t.Fatalf("%s: %v", tc.path, err)
		}
		banner, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("[data-demo]")))
		if err != nil || !strings.Contains(banner, "canvass demo --remove") {
			t.Errorf("%s: banner %q %v", tc.path, banner, err)
		}
		shot(t, ctx, tc.name+"-"+map[int64]string{1280: "desktop", 390: "390"}[tc.width])
	}
}
