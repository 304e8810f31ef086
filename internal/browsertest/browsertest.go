// Package browsertest drives Debian's headless Chromium from tests through
// the DevTools protocol (chromedp).
package browsertest

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// Path returns the Chromium binary: $CANVASS_CHROMIUM, else the first of
// chromium or chromium-browser on PATH.
func Path() string {
	if p := os.Getenv("CANVASS_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// New starts a headless browser for the test and returns a tab's context.
// Without Chromium the test is skipped on a developer machine and fails in
// CI (CI=true), where .ci/run installs it. When the test fails, a screenshot
// of the tab is saved under testdata/failures/ (or $CANVASS_SCREENSHOTS).
func New(t *testing.T) context.Context {
	t.Helper()
	path := Path()
	if path == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("Chromium is not installed; .ci/run installs it (apt-get install chromium)")
		}
		t.Skip("Chromium is not installed (apt-get install chromium)")
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1200, 1600),
	}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	tab, cancelTab := chromedp.NewContext(allocCtx)
	ctx, cancelTimeout := context.WithTimeout(tab, 90*time.Second)
	if err := chromedp.Do(ctx); err != nil {
		cancelTimeout()
		cancelTab()
		cancelAlloc()
		t.Fatalf("start Chromium: %v", err)
	}
	t.Cleanup(func() {
		if t.Failed() {
			saveScreenshot(t, tab)
		}
		cancelTimeout()
		cancelTab()
		cancelAlloc()
	})
	return ctx
}

func saveScreenshot(t *testing.T, ctx context.Context) {
	dir := os.Getenv("CANVASS_SCREENSHOTS")
	if dir == "" {
		dir = filepath.Join("testdata", "failures")
	}
	shotCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	png, err := chromedp.Run(shotCtx, chromedp.FullScreenshot(80))
	if err != nil {
		t.Logf("no screenshot: %v", err)
		return
	}
	_ = os.MkdirAll(dir, 0o755)
	name := filepath.Join(dir, strings.NewReplacer("/", "_", " ", "_").Replace(t.Name())+".jpg")
	if err := os.WriteFile(name, png, 0o644); err == nil {
		t.Logf("screenshot saved to %s", name)
	}
}
