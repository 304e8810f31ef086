package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/metlib/canvass/internal/browsertest"
)

// TestWorkingGroupInBrowser drives the real program in headless Chromium:
// first-run setup, upload a survey, publish it, answer it on the public
// page, find the response in the list, sign out.
func TestWorkingGroupInBrowser(t *testing.T) {
	m := startMain(t, testConfig(t.TempDir()))
	defer m.Close()
	if m.SetupLink == "" {
		t.Fatal("no first-run setup link was issued")
	}
	ctx := browsertest.New(t)
	def, _ := filepath.Abs("testdata/book-club.yaml")
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }
	step := func(name string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		stepCtx, cancel := context.WithTimeout(ctx, 20*time.Second)
		defer cancel()
		if err := chromedp.Do(stepCtx, actions...); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
	text := func(sel string) string {
		t.Helper()
		s, err := chromedp.Run(ctx, chromedp.Text(css(sel)))
		if err != nil {
			t.Fatalf("text of %s: %v", sel, err)
		}
		return s
	}

	step("first-run setup",
		chromedp.Navigate(m.SetupLink),
		chromedp.SendKeys(css("#email"), "chair@metlib.example"),
		chromedp.SendKeys(css("#name"), "Section chair"),
		chromedp.SendKeys(css("#password"), "a passphrase of some length"),
		chromedp.SendKeys(css("#password_again"), "a passphrase of some length"),
		chromedp.Click(css("main button[type=submit]")),
		chromedp.WaitVisible(css("p.flash")),
	)
	if got := text("p.flash"); !strings.Contains(got, "Your password is set") {
		t.Errorf("after setup: %q", got)
	}
	step("sign out and in again",
		chromedp.Click(css("form[action='/admin/logout'] button")),
		chromedp.WaitVisible(css("#email")),
		chromedp.SendKeys(css("#email"), "chair@metlib.example"),
		chromedp.SendKeys(css("#password"), "a passphrase of some length"),
		chromedp.Click(css("main button[type=submit]")),
		chromedp.WaitVisible(css("a[href='/admin/surveys/new']")),
	)
	step("upload a survey",
		chromedp.Click(css("a[href='/admin/surveys/new']")),
		chromedp.WaitVisible(css("#definition")),
		chromedp.SetUploadFiles(css("#definition"), []string{def}),
		chromedp.Click(css("main button[type=submit]")),
		chromedp.WaitVisible(css("button[value=open]")),
	)
	if got := text(".status"); got != "Draft" {
		t.Errorf("uploaded survey status %q, want Draft", got)
	}
	step("publish", chromedp.Click(css("button[value=open]")), chromedp.WaitVisible(css(".status-open")))

	step("answer on the public page",
		chromedp.Navigate(m.URL+"/s/book-club?lang=fr"),
		chromedp.WaitVisible(css("#has_clubs-yes")),
		chromedp.Click(css("#has_clubs-yes")),
		chromedp.WaitVisible(css("#club_count")),
		chromedp.SendKeys(css("#club_count"), "12"),
		chromedp.Click(css("main button[type=submit]")),
		chromedp.WaitVisible(css("p[role=status]")),
	)
	if got := text("h1"); got != "Merci" {
		t.Errorf("thank-you heading %q", got)
	}

	step("see the response",
		chromedp.Navigate(m.URL+"/admin/surveys/book-club/responses"),
		chromedp.WaitVisible(css("table.data tbody a")),
		chromedp.Click(css("table.data tbody a")),
		chromedp.WaitVisible(css("dl.answers")),
	)
	if got := text("dl.answers"); !strings.Contains(got, "Does your library run book clubs?") || !strings.Contains(got, "Yes") || !strings.Contains(got, "12") {
		t.Errorf("response page answers: %q", got)
	}
	step("sign out",
		chromedp.Click(css("form[action='/admin/logout'] button")),
		chromedp.WaitVisible(css("#email")),
		chromedp.Navigate(m.URL+"/admin"),
		chromedp.WaitVisible(css("#email")),
	)
	if loc, _ := chromedp.Run(ctx, chromedp.Location()); !strings.Contains(loc, "/admin/login") {
		t.Errorf("after sign-out /admin is at %s, want the login page", loc)
	}
}
