package web_test

import (
	"context"
	"net/http/httptest"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/metlib/canvass/internal/browsertest"
	"github.com/metlib/canvass/survey"
)

// TestRegionSuggestionFollowsTheCountryInBrowser drives the Spanish
// landscape form in headless Chromium: the region form.js suggests follows
// the country while the respondent leaves it alone (Egypt, then Mexico), a
// region they click stays whatever the country (also after a reload
// restores the answers), and the form posts with Spanish numbers.
func TestRegionSuggestionFollowsTheCountryInBrowser(t *testing.T) {
	a := newApp(t)
	srv := httptest.NewServer(a.handler)
	defer srv.Close()
	ctx := browsertest.New(t)
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }

	chooseCountry := func(code string) {
		t.Helper()
		if err := chromedp.Do(ctx, chromedp.SetValue(css(`#country`), code)); err != nil {
			t.Fatal(err)
		}
		// What the browser fires when a person picks an option.
		evalBool(t, ctx, `document.getElementById("country").dispatchEvent(new Event("change", {bubbles: true}))`)
	}
	region := func() string {
		t.Helper()
		v, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(document.querySelector('input[name=region]:checked') || {}).value || ""`))
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	expect := func(step, want string) {
		t.Helper()
		if got := region(); got != want {
			t.Errorf("%s: region %q, want %q", step, got, want)
		}
	}

	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/s/landscape?lang=es"), chromedp.WaitVisible(css(`#country`))); err != nil {
		t.Fatal(err)
	}
	expect("before a country", "")
	chooseCountry("EG")
	expect("Egypt", "middle_east_north_africa")
	chooseCountry("MX")
	expect("Egypt corrected to Mexico", "latin_america_caribbean")
	chooseCountry("")
	expect("no country", "")
	chooseCountry("MX")
	expect("Mexico again", "latin_america_caribbean")

	// The respondent's own choice stays.
	if err := chromedp.Do(ctx, chromedp.Click(css(`#region-north_america`))); err != nil {
		t.Fatal(err)
	}
	chooseCountry("EG")
	expect("chosen by hand, then Egypt", "north_america")

	// After a reload the restored choice is still the respondent's: it is
	// not the one Egypt suggests.
	if err := chromedp.Do(ctx, chromedp.Reload(), chromedp.WaitVisible(css("#restored"))); err != nil {
		t.Fatal(err)
	}
	expect("restored", "north_america")
	chooseCountry("MX")
	expect("restored, then Mexico", "north_america")

	err := chromedp.Do(ctx,
		chromedp.SendKeys(css(`#library_name`), "Biblioteca Vasconcelos"),
		chromedp.Click(css(`#org_type-city_system`)),
		chromedp.SendKeys(css(`#city`), "Ciudad de México"),
		chromedp.SendKeys(css(`#contact_email`), "direccion@example.mx"),
		chromedp.SendKeys(css(`#population_served`), "2.500.000"),
		chromedp.SendKeys(css(`#staff_fte`), "12,5"),
		chromedp.Click(css(`#directory_consent-public`)),
		chromedp.Click(css(`main button[type=submit]`)),
		chromedp.WaitVisible(css(`p[role=status]`)),
	)
	if err != nil {
		t.Fatal(err)
	}
	list, _, err := a.store.ListResponses(context.Background(), survey.ResponseFilter{SurveySlug: "landscape"})
	if err != nil || len(list) != 1 {
		t.Fatalf("stored %d responses, %v", len(list), err)
	}
	got := list[0]
	if got.Country != "MX" || got.Region != "north_america" || got.Answers["population_served"] != 2500000.0 || got.Answers["staff_fte"] != 12.5 {
		t.Errorf("stored country %q, region %q, population %v, staff %v; want MX, north_america, 2500000, 12.5",
			got.Country, got.Region, got.Answers["population_served"], got.Answers["staff_fte"])
	}
}

// TestNumberConditionsReadTheLanguageInBrowser: a show_if on a number
// question reads the typed number as the server does, in the page's
// language: section two shows for a count of 42, which is "42,0" in French,
// and not for "4.200", which is 4200 there.
func TestNumberConditionsReadTheLanguageInBrowser(t *testing.T) {
	a := newApp(t)
	srv := httptest.NewServer(a.handler)
	defer srv.Close()
	ctx := browsertest.New(t)
	shownFor := func(lang, typed string) bool {
		t.Helper()
		err := chromedp.Do(ctx,
			chromedp.Navigate(srv.URL+"/s/every-type?lang="+lang),
			chromedp.WaitVisible(chromedp.CSS(`#count`)),
		)
		if err != nil {
			t.Fatal(err)
		}
		evalBool(t, ctx, `localStorage.clear(); document.getElementById("count").value = ""; true`)
		if err := chromedp.Do(ctx, chromedp.SendKeys(chromedp.CSS(`#count`), typed)); err != nil {
			t.Fatal(err)
		}
		return evalBool(t, ctx, `!document.getElementById("section-two").hidden`)
	}
	for _, tc := range []struct {
		lang, typed string
		shown       bool
	}{
		{"fr", "42,0", true},
		{"fr", "4.200", false},
		{"en", "42.0", true},
		{"en", "4,200", false},
		{"en", "42", true},
	} {
		if got := shownFor(tc.lang, tc.typed); got != tc.shown {
			t.Errorf("%s, count %q: section two shown %v, want %v", tc.lang, tc.typed, got, tc.shown)
		}
	}
}

// TestNumbersKeepTheirValueAcrossALanguageSwitchInBrowser: numbers typed
// on the Spanish form, sent back for another error, then restored by
// form.js into the English form are rewritten for English, so the stored
// values are the ones typed (1.500 staff is 1500, not 1.5).
func TestNumbersKeepTheirValueAcrossALanguageSwitchInBrowser(t *testing.T) {
	a := newApp(t)
	srv := httptest.NewServer(a.handler)
	defer srv.Close()
	ctx := browsertest.New(t)
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }

	err := chromedp.Do(ctx,
		chromedp.Navigate(srv.URL+"/s/landscape?lang=es"),
		chromedp.WaitVisible(css(`#country`)),
		chromedp.SetValue(css(`#country`), "MX"),
		chromedp.Click(css(`#org_type-city_system`)),
		chromedp.SendKeys(css(`#city`), "Ciudad de México"),
		chromedp.SendKeys(css(`#contact_email`), "direccion@example.mx"),
		chromedp.SendKeys(css(`#population_served`), "300.000"),
		chromedp.SendKeys(css(`#staff_fte`), "1.500"),
		chromedp.Click(css(`#directory_consent-public`)),
		// The library's name is missing: the form comes back, in Spanish.
		chromedp.Click(css(`main button[type=submit]`)),
		chromedp.WaitVisible(css(`#error-summary`)),
		chromedp.Click(css(`a[hreflang=en]`)),
		chromedp.WaitVisible(css(`html[lang=en] #restored`)),
	)
	if err != nil {
		t.Fatal(err)
	}
	fields, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[document.getElementById("population_served").value, document.getElementById("staff_fte").value]`))
	if err != nil || len(fields) != 2 || fields[0] != "300000" || fields[1] != "1500" {
		t.Fatalf("restored into English: %q (%v), want 300000 and 1500", fields, err)
	}
	err = chromedp.Do(ctx,
		chromedp.SendKeys(css(`#library_name`), "Biblioteca Vasconcelos"),
		chromedp.Click(css(`main button[type=submit]`)),
		chromedp.WaitVisible(css(`p[role=status]`)),
	)
	if err != nil {
		t.Fatal(err)
	}
	list, _, err := a.store.ListResponses(context.Background(), survey.ResponseFilter{SurveySlug: "landscape"})
	if err != nil || len(list) != 1 {
		t.Fatalf("stored %d responses, %v", len(list), err)
	}
	if got := list[0].Answers; got["population_served"] != 300000.0 || got["staff_fte"] != 1500.0 {
		t.Errorf("stored population %v, staff %v; want 300000 and 1500", got["population_served"], got["staff_fte"])
	}
}
