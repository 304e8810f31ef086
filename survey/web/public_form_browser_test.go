package web_test

import (
	"context"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/metlib/canvass/internal/browsertest"
	"github.com/metlib/canvass/survey"
)

// browserState is what the page shows, read in the tab: the language, the
// personal link's token in the form, the submission id and the notice.
type browserState struct {
	Lang, Token, SubmissionID, Notice, Address string
	Restored                                   bool
}

func readState(t *testing.T, ctx context.Context) browserState {
	t.Helper()
	st, err := chromedp.Run(ctx, chromedp.Evaluate[browserState](`({
		Lang: document.documentElement.lang,
		Token: (document.querySelector("form.survey input[name=t]") || {}).value || "",
		SubmissionID: (document.querySelector("form.survey input[name=submission_id]") || {}).value || "",
		Notice: ((document.getElementById("notice") || {}).textContent || "").trim(),
		Address: location.pathname + location.search,
		Restored: document.getElementById("restored") !== null,
	})`))
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// TestPersonalLinkInBrowser follows a personal link in Chromium through a
// save, a language switch, an error, another switch and the submission:
// every page stays the library's own form, the open form never takes up the
// library's answers or an invited id, and what is stored is the library's
// one response.
func TestPersonalLinkInBrowser(t *testing.T) {
	a := newApp(t)
	admin := a.token(survey.RoleAdmin)
	link, key := a.invitedLibrary(t, admin, "every-type", "Helsinki City Library", "oodi@hel.fi")
	token := tokenOf(t, link)
	srv := httptest.NewServer(a.handler)
	defer srv.Close()
	ctx := browsertest.New(t)
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }

	// Save: the page that answers is the personal form, its address too.
	err := chromedp.Do(ctx,
		chromedp.Navigate(srv.URL+link),
		chromedp.WaitVisible(css("#q-pick")),
		chromedp.Click(css("#pick-a")),
		chromedp.SendKeys(css("#count"), "12"),
		chromedp.Click(css(`button[value=save]`)),
		chromedp.WaitVisible(css("#notice")),
	)
	if err != nil {
		t.Fatal(err)
	}
	saved := readState(t, ctx)
	if saved.Lang != "fr" || saved.Token != token || !strings.Contains(saved.Notice, "Vos réponses sont enregistrées") || !strings.Contains(saved.Address, "t="+url.QueryEscape(token)) {
		t.Errorf("after saving: %+v", saved)
	}
	// Switch to English: the library's draft, behind its link.
	if err := chromedp.Do(ctx, chromedp.Click(css(`a[hreflang=en]`)), chromedp.WaitVisible(css(`html[lang=en] #notice`))); err != nil {
		t.Fatal(err)
	}
	en := readState(t, ctx)
	if en.Token != token || !strings.Contains(en.Notice, "Welcome back") || !evalBool(t, ctx, `document.getElementById("pick-a").checked && document.getElementById("count").value === "12"`) {
		t.Errorf("English after saving: %+v", en)
	}
	// An error (the grid is required), then back to French.
	if err := chromedp.Do(ctx, chromedp.Click(css(`button[value=submit]`)), chromedp.WaitVisible(css("#error-summary"))); err != nil {
		t.Fatal(err)
	}
	if st := readState(t, ctx); st.Token != token || !strings.Contains(st.Address, "t=") {
		t.Errorf("after an error: %+v", st)
	}
	if err := chromedp.Do(ctx, chromedp.Click(css(`a[hreflang=fr]`)), chromedp.WaitVisible(css(`html[lang=fr] #q-grid`))); err != nil {
		t.Fatal(err)
	}
	if fr := readState(t, ctx); fr.Token != token || strings.HasPrefix(fr.SubmissionID, "inv-") {
		t.Errorf("French after an error: %+v", fr)
	}

	// Meanwhile the open form, in the same browser, starts empty with an id
	// of its own, even with a copy left by an earlier version of form.js
	// that held the invited id.
	err = chromedp.Do(ctx,
		chromedp.Navigate(srv.URL+"/s/every-type?lang=en"),
		chromedp.WaitVisible(css("#q-pick")),
	)
	if err != nil {
		t.Fatal(err)
	}
	evalBool(t, ctx, `localStorage.setItem("canvass:every-type", JSON.stringify({id: "`+key+`", values: [["pick", "b"], ["count", "99"]]})), true`)
	if err := chromedp.Do(ctx, chromedp.Reload(), chromedp.WaitVisible(css("#q-pick"))); err != nil {
		t.Fatal(err)
	}
	open := readState(t, ctx)
	if open.Token != "" || open.Restored || strings.HasPrefix(strings.ToLower(open.SubmissionID), "inv-") ||
		!evalBool(t, ctx, `!document.getElementById("pick-a").checked && !document.getElementById("pick-b").checked && document.getElementById("count").value === ""`) {
		t.Errorf("the open form took up the library's copy: %+v", open)
	}

	// Submitting through the link stores the library's one response.
	err = chromedp.Do(ctx,
		chromedp.Navigate(srv.URL+"/s/every-type?lang=fr&t="+url.QueryEscape(token)),
		chromedp.WaitVisible(css("#q-grid")),
		chromedp.Click(css("#grid-r1-lo")),
		chromedp.Click(css(`button[value=submit]`)),
		chromedp.WaitVisible(css("p[role=status]")),
	)
	if err != nil {
		t.Fatal(err)
	}
	stored, err := a.store.FindResponseBySubmission(t.Context(), "every-type", key)
	if err != nil || stored.Status != survey.ResponseSubmitted || stored.Answers["count"] != 12.0 || stored.Answers["pick"] != "a" || stored.LibraryID == "" {
		t.Fatalf("the library's response: %+v %v", stored, err)
	}
	if n := a.countResponses("every-type"); n != 1 {
		t.Errorf("%d responses stored, want 1", n)
	}
	left, err := chromedp.Run(ctx, chromedp.Evaluate[int](`Object.keys(localStorage).filter(function (k) { return k.indexOf("canvass:every-type") === 0; }).length`))
	if err != nil || left != 0 {
		t.Errorf("%d copies of answers left in the browser after the thank-you page (%v)", left, err)
	}
}

// TestSaveAfterSubmitInBrowser: on a survey allowing edits, "Save and
// finish later" after submitting shows the form again with the edit as
// typed and a message in the respondent's language; a language switch
// keeps the link, and submitting stores the edit.
func TestSaveAfterSubmitInBrowser(t *testing.T) {
	a := newApp(t)
	a.addEditableSurvey(t, "every-edit")
	admin := a.token(survey.RoleAdmin)
	link, key := a.invitedLibrary(t, admin, "every-edit", "Helsinki City Library", "oodi@hel.fi")
	token := tokenOf(t, link)
	if code, body := a.apiSubmit("every-edit", "", token, everyTypeAnswers(5)); code != 201 {
		t.Fatalf("submit: %d %s", code, body)
	}
	srv := httptest.NewServer(a.handler)
	defer srv.Close()
	ctx := browsertest.New(t)
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }
	err := chromedp.Do(ctx,
		chromedp.Navigate(srv.URL+link),
		chromedp.WaitVisible(css("#count")),
		chromedp.SetValue(css("#count"), "64"),
		chromedp.SendKeys(css("#essay"), "Changé après envoi"),
		chromedp.Click(css(`button[value=save]`)),
	)
	if err != nil {
		t.Fatal(err)
	}
	// The page opened with a notice of its own ("already answered"): wait
	// for the one the save answers with, not for any notice.
	// (Evaluated again while the page navigates, which fails a poll.)
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		saved, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(() => { const n = document.getElementById("notice"); return !!n && n.textContent.includes("déjà été envoyées"); })()`))
		if err == nil && saved {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the save's notice never showed (%v)", err)
		}
	}
	st := readState(t, ctx)
	if st.Token != token || !strings.Contains(st.Notice, "Vos réponses ont déjà été envoyées") ||
		!evalBool(t, ctx, `document.getElementById("count").value === "64" && document.getElementById("essay").value === "Changé après envoi"`) {
		t.Errorf("save after submit: %+v", st)
	}
	if got, _ := a.store.FindResponseBySubmission(t.Context(), "every-edit", key); got.Answers["count"] != 5.0 || got.Status != survey.ResponseSubmitted {
		t.Errorf("the save changed the submitted response: %+v", got)
	}
	// The English link keeps the personal link and the edit not sent,
	// which form.js puts back over the submitted answers.
	if err := chromedp.Do(ctx, chromedp.Click(css(`a[hreflang=en]`)), chromedp.WaitVisible(css(`html[lang=en] #restored`))); err != nil {
		t.Fatal(err)
	}
	if en := readState(t, ctx); en.Token != token || !strings.Contains(en.Notice, "already answered") ||
		!evalBool(t, ctx, `document.getElementById("count").value === "64" && document.getElementById("essay").value === "Changé après envoi"`) {
		t.Errorf("English after the refused save: %+v", en)
	}
	err = chromedp.Do(ctx,
		chromedp.Click(css(`button[value=submit]`)),
		chromedp.WaitVisible(css("p[role=status]")),
	)
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := a.store.FindResponseBySubmission(t.Context(), "every-edit", key); got.Answers["count"] != 64.0 || got.Answers["essay"] != "Changé après envoi" {
		t.Errorf("the edit was not stored: %+v", got.Answers)
	}
	left, err := chromedp.Run(ctx, chromedp.Evaluate[int](`Object.keys(localStorage).filter(function (k) { return k.indexOf("canvass:every-edit") === 0; }).length`))
	if err != nil || left != 0 {
		t.Errorf("%d copies of answers left in the browser after the thank-you page (%v)", left, err)
	}
}
