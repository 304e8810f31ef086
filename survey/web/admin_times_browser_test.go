package web_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // the zones below, whatever the machine has in /usr/share/zoneinfo

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/metlib/canvass/internal/browsertest"
	"github.com/metlib/canvass/survey"
)

// localText is at as a reader in loc should see it on a page in lang: the
// wall time from Go's own zone database, the months as CLDR abbreviates them
// (shortMonths), and the zone as CLDR's localized offset ("GMT-8",
// "GMT+5:30"; French writes "UTC" and a real minus sign, "UTC−8"). Nothing
// here comes from times.js or the browser.
func localText(lang string, at time.Time, loc *time.Location) string {
	l := at.In(loc)
	_, off := l.Zone()
	zone, minus := "GMT", "-"
	if lang == "fr" {
		zone, minus = "UTC", "\u2212"
	}
	sign := "+"
	if off < 0 {
		sign, off = minus, -off
	}
	zone += sign + itoa(off/3600)
	if off%3600 != 0 {
		zone += ":" + twoDigits(off%3600/60)
	}
	return dayMonthYear(lang, l) + ", " + twoDigits(l.Hour()) + ":" + twoDigits(l.Minute()) + " " + zone
}

// timezone makes the tab's JavaScript see the reader's zone as id
// (DevTools' Emulation.setTimezoneOverride; the machine's stays UTC).
func timezone(id string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, emulation.SetTimezoneOverride, emulation.SetTimezoneOverrideParams{TimezoneID: id})
		return err
	})
}

// scripts turns the page's JavaScript on or off, as a reader's browser may.
func scripts(on bool) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: !on})
		return err
	})
}

// shownTime is a <time> element as the browser shows it.
type shownTime struct {
	Datetime string `json:"datetime"`
	Text     string `json:"text"`
	Title    string `json:"title"`
}

func shownTimes(t *testing.T, ctx context.Context, selector string) []shownTime {
	t.Helper()
	got, err := chromedp.Run(ctx, chromedp.Evaluate[[]shownTime](`Array.from(document.querySelectorAll(`+fmt.Sprintf("%q", selector)+`)).map(e => ({datetime: e.getAttribute("datetime"), text: e.textContent, title: e.title}))`))
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// TestTimesInTheReadersZoneInTheBrowser opens the working group's pages in
// headless Chromium with the reader in Los Angeles (UTC−8 in December: the
// day before for an early-morning UTC instant) and in Kolkata (UTC+5:30):
// each instant reads in that zone, in the page's language (en, fr, es on
// the results dashboard; the embed iframe in Spanish), as Go's zone
// database and CLDR's patterns say it should, with the UTC text as its
// tooltip; the survey's closing day stays the day entered; with scripts
// off the UTC text stays. Screenshots of the responses list and the
// dashboard at 1280 and 390 px in Los Angeles go to $CANVASS_SHOTS.
func TestTimesInTheReadersZoneInTheBrowser(t *testing.T) {
	ctx := browsertest.New(t)
	a := newApp(t)
	bg := context.Background()
	published := time.Date(2026, 12, 1, 5, 30, 0, 0, time.UTC)
	if err := a.store.SetResultsPublished(bg, "impact-methods", &published); err != nil {
		t.Fatal(err)
	}
	opens, closes := time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC), time.Date(2027, 1, 31, 0, 0, 0, 0, time.UTC) // as the dates form stores them
	if err := a.store.SetSurveyDates(bg, "every-type", &opens, &closes); err != nil {
		t.Fatal(err)
	}
	lib := &survey.Library{Name: "Los Angeles Public Library", City: "Los Angeles", Country: "US", Region: survey.NorthAmerica, Type: survey.CitySystem}
	if err := a.store.CreateLibrary(bg, lib); err != nil {
		t.Fatal(err)
	}
	first := time.Date(2026, 12, 1, 7, 45, 0, 0, time.UTC)
	var created []time.Time
	for i := range 4 {
		at := first.Add(-time.Duration(i) * 7 * time.Hour)
		created = append(created, at)
		r := &survey.Response{SurveySlug: "every-type", SurveyVersion: 1, SubmissionID: fmt.Sprintf("tz-%d", i), Status: survey.ResponseSubmitted,
			Country: "US", Region: survey.NorthAmerica, Language: "en", Source: "web", Answers: survey.Answers{"pick": "a"}, CreatedAt: at, SubmittedAt: &at}
		if i%2 == 0 {
			r.LibraryID = lib.ID
		}
		if _, _, err := a.store.CreateResponse(bg, r); err != nil {
			t.Fatal(err)
		}
	}
	a.user("admin@example.org", survey.RoleAdmin)
	srv := a.serve(t)
	err := chromedp.Do(ctx, chromedp.EmulateViewport(1280, 900),
		chromedp.Navigate(srv.URL+"/admin/login"),
		chromedp.SendKeys(chromedp.CSS("#email"), "admin@example.org"),
		chromedp.SendKeys(chromedp.CSS("#password"), "a long enough password"),
		chromedp.Click(chromedp.CSS("button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS(".admin-nav")),
	)
	if err != nil {
		t.Fatal(err)
	}
	open := func(path, wait string) {
		t.Helper()
		if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+path), chromedp.WaitVisible(chromedp.CSS(wait))); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
	}
	const publishedSel = `time[datetime="2026-12-01T05:30:00Z"]`

	for _, zone := range []string{"America/Los_Angeles", "Asia/Kolkata"} {
		loc, err := time.LoadLocation(zone)
		if err != nil {
			t.Fatal(err)
		}
		if err := chromedp.Do(ctx, timezone(zone), chromedp.EmulateViewport(1280, 900)); err != nil {
			t.Fatal(err)
		}
		for _, lang := range []string{"en", "fr", "es"} {
			open("/admin/surveys/impact-methods/results?lang="+lang, publishedSel)
			got := shownTimes(t, ctx, publishedSel)
			want := shownTime{Datetime: "2026-12-01T05:30:00Z", Text: localText(lang, published, loc), Title: utcText(lang, published)}
			if len(got) != 1 || got[0] != want {
				t.Errorf("%s, results in %s: published %+v, want %+v", zone, lang, got, want)
			}
		}

		// The responses list: each response's instant, in English.
		open("/admin/surveys/every-type/responses", "table.data time")
		got := shownTimes(t, ctx, "table.data time")
		if len(got) != len(created) {
			t.Fatalf("%s: %d times in the responses list, want %d: %+v", zone, len(got), len(created), got)
		}
		for _, g := range got {
			at, err := time.Parse(time.RFC3339, g.Datetime)
			if err != nil {
				t.Fatal(err)
			}
			if want := (shownTime{g.Datetime, localText("en", at, loc), utcText("en", at)}); g != want {
				t.Errorf("%s, responses list: %+v, want %+v", zone, g, want)
			}
		}

		// The dashboard: every-type's dates are the days entered, in every
		// zone (read as instants they would be the day before in Los Angeles).
		open("/admin", "table.data")
		cells, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`(() => { const tr = Array.from(document.querySelectorAll("table.data tbody tr")).find(tr => tr.querySelector("code").textContent === "every-type"); return Array.from(tr.cells).slice(4).map(td => td.textContent + "|" + (td.querySelector("time") || {}).title); })()`))
		if err != nil {
			t.Fatal(err)
		}
		if want := []string{"2 November 2026|", "31 January 2027|"}; strings.Join(cells, " ") != strings.Join(want, " ") {
			t.Errorf("%s, dashboard: opens and closes %q, want %q", zone, cells, want)
		}

		// The embed iframe page, in Spanish: the time its counts were made.
		open("/embed/impact-methods?lang=es", "time")
		em := shownTimes(t, ctx, "time")
		if len(em) != 1 {
			t.Fatalf("%s, embed: %+v", zone, em)
		}
		at, err := time.Parse(time.RFC3339, em[0].Datetime)
		if err != nil {
			t.Fatal(err)
		}
		if want := (shownTime{em[0].Datetime, localText("es", at, loc), utcText("es", at)}); em[0] != want {
			t.Errorf("%s, embed: %+v, want %+v", zone, em[0], want)
		}
	}

	// Looked at by a person: the pages in Los Angeles, desktop and phone.
	if err := chromedp.Do(ctx, timezone("America/Los_Angeles")); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ path, wait, name string }{
		{"/admin/surveys/every-type/responses", "table.data time", "tz-responses"},
		{"/admin", "table.data", "tz-dashboard"},
		{"/admin/surveys/impact-methods/results?lang=fr", publishedSel, "tz-results-fr"},
	} {
		for _, width := range []int64{1280, 390} {
			if err := chromedp.Do(ctx, chromedp.EmulateViewport(width, 900)); err != nil {
				t.Fatal(err)
			}
			open(tc.path, tc.wait)
			wide, err := chromedp.Run(ctx, chromedp.Evaluate[[]int64](`[document.documentElement.scrollWidth, window.innerWidth]`))
			if err != nil {
				t.Fatal(err)
			}
			if wide[0] > wide[1] {
				t.Errorf("%s at %d px: the page is %d px wide", tc.path, width, wide[0])
			}
			shot(t, ctx, fmt.Sprintf("%s-%d", tc.name, width))
		}
	}

	// Without JavaScript the server's UTC text stays, with no tooltip.
	if err := chromedp.Do(ctx, scripts(false), chromedp.EmulateViewport(1280, 900)); err != nil {
		t.Fatal(err)
	}
	open("/admin/surveys/impact-methods/results?lang=fr", publishedSel)
	html, err := chromedp.Run(ctx, chromedp.OuterHTML(chromedp.CSS(publishedSel)))
	if err != nil {
		t.Fatal(err)
	}
	if want := `<time datetime="2026-12-01T05:30:00Z" data-local="">` + utcText("fr", published) + `</time>`; html != want {
		t.Errorf("without JavaScript: %s, want %s", html, want)
	}
	if strings.Contains(html, "title=") {
		t.Error("without JavaScript the time has a tooltip")
	}
}
