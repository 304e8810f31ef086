package web_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/metlib/canvass/internal/browsertest"
	"github.com/metlib/canvass/survey"
)

// TestImportRoundPageInTheBrowser imports an old round from the survey's
// page in headless Chromium, on a desktop and at a phone's 390 px: the
// file chosen in the file input, the dry run's problems listed (and no
// confirmation offered), a corrected file's dry run, its confirmation,
// and the page never wider than the screen.
func TestImportRoundPageInTheBrowser(t *testing.T) {
	ctx := browsertest.New(t)
	a := newApp(t)
	roundLibraries(t, a)
	a.user("admin@example.org", survey.RoleAdmin)
	srv := a.serve(t)
	dir := t.TempDir()
	bad, good := filepath.Join(dir, "round.csv"), filepath.Join(dir, "round-fixed.csv")
	if err := os.WriteFile(bad, []byte(roundFile), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(good, []byte(strings.Join(strings.Split(roundFile, "\n")[:2], "\n")+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1280, 900),
		chromedp.Navigate(srv.URL+"/admin/login"),
		chromedp.SendKeys(chromedp.CSS("#email"), "admin@example.org"),
		chromedp.SendKeys(chromedp.CSS("#password"), "a long enough password"),
		chromedp.Click(chromedp.CSS("button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS(".admin-nav")),
	); err != nil {
		t.Fatal(err)
	}
	check := func(name string) string {
		t.Helper()
		body, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body.innerText`))
		if err != nil {
			t.Fatal(err)
		}
		wide, err := chromedp.Run(ctx, chromedp.Evaluate[[]int64](`[document.documentElement.scrollWidth, window.innerWidth]`))
		if err != nil || wide[0] > wide[1] {
			t.Errorf("%s: the page is %v px wide (%v)", name, wide, err)
		}
		shot(t, ctx, strings.ReplaceAll(name, " ", "_"))
		return body
	}
	for i, width := range []int64{1280, 390} {
		label := fmt.Sprint(2020 + i)
		name := fmt.Sprintf("import round %d px", width)
		if err := chromedp.Do(ctx, chromedp.EmulateViewport(width, 900),
			chromedp.Navigate(srv.URL+"/admin/surveys/closed-one/waves/import"),
			chromedp.WaitVisible(chromedp.CSS("#round-file")),
			chromedp.SetUploadFiles(chromedp.CSS("#round-file"), []string{bad}),
			chromedp.SendKeys(chromedp.CSS("#round-label"), label),
			chromedp.Click(chromedp.CSS(`form[enctype="multipart/form-data"] button[type=submit]`)),
			chromedp.WaitVisible(chromedp.CSS("tr.action-reject")),
		); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		body := check(name + " problems")
		if !strings.Contains(body, "Problems to correct") || !strings.Contains(body, "Nowhere Library") || strings.Contains(body, "Confirm the import") {
			t.Fatalf("%s: a file with problems:\n%s", name, body)
		}
		if err := chromedp.Do(ctx,
			chromedp.SetUploadFiles(chromedp.CSS("#round-file"), []string{good}),
			chromedp.Click(chromedp.CSS(`form[enctype="multipart/form-data"] button[type=submit]`)),
			chromedp.WaitVisible(chromedp.CSS(`input[name=confirm] ~ div button[type=submit]`)),
		); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		body = check(name + " dry run")
		if !strings.Contains(body, "closed-one-"+label) || !strings.Contains(body, "Confirm the import") {
			t.Fatalf("%s: the dry run:\n%s", name, body)
		}
		if n := a.countResponses("closed-one-" + label); n != 0 {
			t.Fatalf("%s: the dry run wrote %d responses", name, n)
		}
		if err := chromedp.Do(ctx,
			chromedp.Click(chromedp.CSS(`input[name=confirm] ~ div button[type=submit]`)),
			chromedp.WaitVisible(chromedp.CSS(`.flash[role=status]`)),
		); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if body := check(name + " imported"); !strings.Contains(body, "Imported as wave "+label+": 1 response written") {
			t.Errorf("%s: after confirming:\n%s", name, body)
		}
		if n := a.countResponses("closed-one-" + label); n != 1 {
			t.Errorf("%s: %d responses imported, want 1", name, n)
		}
	}
}
