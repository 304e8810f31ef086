package web_test

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/metlib/canvass/internal/browsertest"
	"github.com/metlib/canvass/survey"
)

// TestFormScriptInBrowser checks form.js in headless Chromium: show_if as
// the respondent answers, matrix rows, the region suggestion, exclusive
// options, and that the result posts and is stored.
func TestFormScriptInBrowser(t *testing.T) {
	a := newApp(t)
	srv := httptest.NewServer(a.handler)
	defer srv.Close()
	ctx := browsertest.New(t)

	visible := func(sel string) chromedp.Action[chromedp.Void] {
		return chromedp.WaitVisible(chromedp.CSS(sel))
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/s/every-type"), visible(`#q-pick`)); err != nil {
		t.Fatal(err)
	}
	hidden := evalBool(t, ctx, `[document.getElementById("section-two").hidden, document.querySelector('#q-grid tr[data-row="r2"]').hidden, document.querySelector('#q-pick .other').hidden].every(Boolean)`)
	if !hidden {
		t.Error("initially, section two, row r2 and the other box should be hidden")
	}

	err := chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`#pick-b`)),
		visible(`#section-two`),
		chromedp.Click(chromedp.CSS(`#many-x`)),
		visible(`#q-grid tr[data-row="r2"]`),
		chromedp.Click(chromedp.CSS(`#many-none`)),
	)
	if err != nil {
		t.Fatal(err)
	}
	exclusiveCleared := evalBool(t, ctx, `!document.getElementById("many-x").checked`)
	err = chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`#many-x`)), // "none" is cleared again
		chromedp.SendKeys(chromedp.CSS(`#why_b`), "Because we measure"),
		chromedp.Click(chromedp.CSS(`#grid-r1-lo`)),
		chromedp.Click(chromedp.CSS(`#grid-r2-hi`)),
		chromedp.SendKeys(chromedp.CSS(`#count`), "400,000"),
		chromedp.Click(chromedp.CSS(`button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`p[role=status]`)),
	)
	if err != nil {
		t.Fatal(err)
	}
	if !exclusiveCleared {
		t.Error(`choosing the exclusive "none" did not clear the other options`)
	}
	if n := a.countResponses("every-type"); n != 1 {
		t.Fatalf("%d responses stored, want 1", n)
	}

	// The landscape form suggests the IFLA region from the country.
	err = chromedp.Do(ctx,
		chromedp.Navigate(srv.URL+"/s/landscape?lang=fr"),
		visible(`#country`),
		chromedp.SetValue(chromedp.CSS(`#country`), "EG"),
	)
	if err != nil {
		t.Fatal(err)
	}
	evalBool(t, ctx, `document.getElementById("country").dispatchEvent(new Event("change", {bubbles: true}))`)
	region, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(document.querySelector('input[name=region]:checked') || {}).value || ""`))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.EqualFold(region, "middle_east_north_africa") {
		t.Errorf("region suggested for Egypt: %q, want middle_east_north_africa", region)
	}
}

func evalBool(t *testing.T, ctx context.Context, js string) bool {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[bool](js))
	if err != nil {
		t.Fatalf("evaluate %s: %v", js, err)
	}
	return v
}

// TestUnsentAnswersSurviveAReload checks the browser-side safety net:
// answers typed but not sent come back after a reload, with the same
// submission id, and are forgotten once the server has confirmed.
func TestUnsentAnswersSurviveAReload(t *testing.T) {
	a := newApp(t)
	srv := httptest.NewServer(a.handler)
	defer srv.Close()
	ctx := browsertest.New(t)
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }
	err := chromedp.Do(ctx,
		chromedp.Navigate(srv.URL+"/s/every-type"),
		chromedp.WaitVisible(css("#q-pick")),
		chromedp.Click(css("#pick-b")),
		chromedp.WaitVisible(css("#why_b")),
		chromedp.SendKeys(css("#why_b"), "Typed before the reload"),
		chromedp.Click(css("#many-x")),
		chromedp.SendKeys(css("#count"), "1234"),
	)
	if err != nil {
		t.Fatal(err)
	}
	firstID, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector("input[name=submission_id]").value`))
	if err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.Reload(), chromedp.WaitVisible(css("#restored"))); err != nil {
		t.Fatal(err)
	}
	state, err := chromedp.Run(ctx, chromedp.Evaluate[string](`[document.getElementById("pick-b").checked, document.getElementById("many-x").checked,
		document.getElementById("why_b").value, document.getElementById("count").value,
		document.querySelector("input[name=submission_id]").value, !document.getElementById("section-two").hidden].join("|")`))
	if err != nil {
		t.Fatal(err)
	}
	if want := "true|true|Typed before the reload|1234|" + firstID + "|true"; state != want {
		t.Errorf("after a reload: %s, want %s", state, want)
	}
	err = chromedp.Do(ctx,
		chromedp.Click(css("#grid-r1-lo")),
		chromedp.Click(css("#grid-r2-hi")),
		chromedp.Click(css("main button[type=submit]")),
		chromedp.WaitVisible(css("p[role=status]")),
	)
	if err != nil {
		t.Fatal(err)
	}
	list, _, _ := a.store.ListResponses(context.Background(), survey.ResponseFilter{SurveySlug: "every-type"})
	if len(list) != 1 || list[0].SubmissionID != firstID || list[0].Answers.String("why_b") != "Typed before the reload" {
		t.Fatalf("stored %+v", list)
	}
	left, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`localStorage.getItem("canvass:every-type:open") === null`))
	if err != nil || !left {
		t.Errorf("the browser kept the answers after the server confirmed them: %v", err)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/s/every-type"), chromedp.WaitVisible(css("#q-pick"))); err != nil {
		t.Fatal(err)
	}
	if restored, _ := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.getElementById("restored") !== null`)); restored {
		t.Error("a confirmed form was restored again")
	}
}
