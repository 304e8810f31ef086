package web_test

import (
	"context"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/metlib/canvass/internal/browsertest"
	"github.com/metlib/canvass/survey"
)

// fillLandscape answers the landscape form's required questions in the
// tab as a respondent would (each field changed, with the events form.js
// listens to), all but the paid staff, which the test types itself.
const fillLandscape = `(() => {
  const set = (id, v) => { const e = document.getElementById(id); e.value = v;
    e.dispatchEvent(new Event("input", {bubbles: true})); e.dispatchEvent(new Event("change", {bubbles: true})); };
  set("library_name", "Biblioteca Vasconcelos"); set("city", "Ciudad de México"); set("country", "MX");
  set("contact_email", "direccion@example.mx"); set("population_served", "2500000");
  for (const id of ["org_type-city_system", "region-latin_america_caribbean", "directory_consent-public"]) {
    const e = document.getElementById(id); e.checked = true; e.dispatchEvent(new Event("change", {bubbles: true})); }
  return true;
})()`

// pageFits reports the page's width and the viewport's, for a page that
// must not scroll sideways.
func pageFits(t *testing.T, ctx context.Context, what string) {
	t.Helper()
	wide, err := chromedp.Run(ctx, chromedp.Evaluate[[]int64](`[document.documentElement.scrollWidth, window.innerWidth]`))
	if err != nil {
		t.Fatal(err)
	}
	if wide[0] > wide[1] {
		// Name the elements that reach past the window, innermost first.
		over, _ := chromedp.Run(ctx, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll("body *")).filter(e =>
		  e.getBoundingClientRect().right > window.innerWidth + 1 && !Array.from(e.children).some(c => c.getBoundingClientRect().right > window.innerWidth + 1)
		).slice(0, 5).map(e => e.tagName.toLowerCase() + (e.className ? "." + e.className : "") + " " + Math.round(e.getBoundingClientRect().right) + "px")`))
		t.Errorf("%s: the page is %d px wide in a %d px window (%s)", what, wide[0], wide[1], strings.Join(over, ", "))
	}
}

// shotBoth saves the page at 1280 and at 390 px (CANVASS_SHOTS), and the
// elements of selectors on their own (to look at a question on a long
// page), and checks that the page fits the phone's width.
func shotBoth(t *testing.T, ctx context.Context, name string, selectors ...string) {
	t.Helper()
	for _, width := range []int64{1280, 390} {
		if err := chromedp.Do(ctx, chromedp.EmulateViewport(width, 900)); err != nil {
			t.Fatal(err)
		}
		px := map[int64]string{1280: "1280", 390: "390"}[width]
		pageFits(t, ctx, name+" at "+px)
		shot(t, ctx, name+"-"+px)
		if dir := os.Getenv("CANVASS_SHOTS"); dir != "" {
			for _, sel := range selectors {
				png, err := chromedp.Run(ctx, chromedp.Screenshot(chromedp.CSS(sel)))
				if err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(filepath.Join(dir, name+"-"+px+"-"+strings.Trim(sel, "#.")+".png"), png, 0o644); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
}

// TestAskBackAndStaleFormInBrowser drives Chromium, with form.js, through
// both questions the form asks back, in English, French and Spanish: a
// decimal typed as "1,000" (the message in the language, the answer
// still in its field; sent again unchanged it is stored as 1), and a
// personal link's form submitted after the library's response was
// changed on another device (the notice, the typed answers kept; sent
// again, it replaces that response).
func TestAskBackAndStaleFormInBrowser(t *testing.T) {
	a := newApp(t)
	admin := a.token(survey.RoleAdmin)
	srv := httptest.NewServer(a.handler)
	defer srv.Close()
	ctx := browsertest.New(t)
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }
	asked := map[string]struct{ typed, message string }{
		"en": {"1.000", "Did you mean 1000 (one thousand) or 1.0 (one)? Write 1000 or 1.0. If you send 1.000 again unchanged, it is stored as one."},
		"fr": {"1,000", "Vouliez-vous dire 1000 (mille) ou 1,0 (un)\u00a0? Écrivez 1000 ou 1,0. Si vous renvoyez 1,000 sans le changer, c'est un qui sera enregistré."},
		"es": {"1,000", "¿Quería decir 1000 (mil) o 1,0 (uno)? Escriba 1000 o 1,0. Si envía 1,000 de nuevo sin cambiarlo, se guardará uno."},
	}
	for _, lang := range []string{"en", "fr", "es"} {
		t.Run(lang, func(t *testing.T) {
			// The ask-back, on the open form.
			err := chromedp.Do(ctx, chromedp.EmulateViewport(1280, 900),
				chromedp.Navigate(srv.URL+"/s/landscape?lang="+lang),
				chromedp.WaitVisible(css("#staff_fte")))
			if err != nil {
				t.Fatal(err)
			}
			evalBool(t, ctx, fillLandscape)
			err = chromedp.Do(ctx,
				chromedp.SendKeys(css("#staff_fte"), asked[lang].typed),
				chromedp.Click(css("button[value=submit]")),
				chromedp.WaitVisible(css("#err-staff_fte")),
			)
			if err != nil {
				t.Fatal(err)
			}
			message, err := chromedp.Run(ctx, chromedp.Text(css("#err-staff_fte")))
			if err != nil {
				t.Fatal(err)
			}
			if message != asked[lang].message {
				t.Errorf("asked %q, want %q", message, asked[lang].message)
			}
			if !evalBool(t, ctx, `document.getElementById("staff_fte").value === `+jsString(asked[lang].typed)+
				` && document.getElementById("library_name").value === "Biblioteca Vasconcelos" && document.getElementById("region-latin_america_caribbean").checked`) {
				t.Errorf("answers not kept after the ask-back")
			}
			shotBoth(t, ctx, "ask-back-"+lang, "#q-staff_fte")
			id := readState(t, ctx).SubmissionID
			if err := chromedp.Do(ctx, chromedp.Click(css("button[value=submit]")), chromedp.WaitVisible(css("[data-clear-draft]"))); err != nil {
				t.Fatal(err)
			}
			r, err := a.store.FindResponseBySubmission(t.Context(), "landscape", id)
			if err != nil {
				t.Fatal(err)
			}
			if v, _ := r.Answers.Number("staff_fte"); v != 1 {
				t.Errorf("stored staff_fte %v, want 1", v)
			}

			// A personal link's form, changed meanwhile on another device.
			link := withLang(t, a.invite(t, admin, "landscape", "Biblioteca "+lang, "direccion-"+lang+"@example.org"), lang)
			err = chromedp.Do(ctx, chromedp.EmulateViewport(1280, 900),
				chromedp.Navigate(srv.URL+link),
				chromedp.WaitVisible(css("#staff_fte")))
			if err != nil {
				t.Fatal(err)
			}
			evalBool(t, ctx, fillLandscape)
			if err := chromedp.Do(ctx, chromedp.Clear(css("#staff_fte")), chromedp.SendKeys(css("#staff_fte"), "12")); err != nil {
				t.Fatal(err)
			}
			other := map[string]any{}
			for k, v := range landscapeForm("2500000", "3") {
				other[k] = v[0]
			}
			if code, body := a.apiSubmit("landscape", "", tokenOf(t, link), other); code != 201 {
				t.Fatalf("the other device's submission: %d %s", code, body)
			}
			if err := chromedp.Do(ctx, chromedp.Click(css("button[value=submit]")), chromedp.WaitVisible(css("#notice"))); err != nil {
				t.Fatal(err)
			}
			if st := readState(t, ctx); st.Notice != staleNotice[lang] {
				t.Errorf("notice %q, want %q", st.Notice, staleNotice[lang])
			}
			if !evalBool(t, ctx, `document.getElementById("staff_fte").value === "12" && document.getElementById("directory_consent-public").checked`) {
				t.Errorf("answers not kept on the stale form")
			}
			shotBoth(t, ctx, "stale-"+lang, "#q-staff_fte")
			key := "inv-" + invitationOf(t, a, link)
			if v, _ := a.storedNumber(t, key, "staff_fte"); v != 3 {
				t.Errorf("stored %v before sending again, want the other device's 3", v)
			}
			if err := chromedp.Do(ctx, chromedp.EmulateViewport(1280, 900), chromedp.Click(css("button[value=submit]")), chromedp.WaitVisible(css("[data-clear-draft]"))); err != nil {
				t.Fatal(err)
			}
			if v, _ := a.storedNumber(t, key, "staff_fte"); v != 12 {
				t.Errorf("stored %v after sending again, want 12", v)
			}
		})
	}
}

// storedNumber is the number answer id of the landscape response key.
func (a *app) storedNumber(t *testing.T, key, id string) (float64, bool) {
	t.Helper()
	r, err := a.store.FindResponseBySubmission(t.Context(), "landscape", key)
	if err != nil {
		t.Fatal(err)
	}
	return r.Answers.Number(id)
}

// invitationOf is the id of the invitation behind a personal link, found
// by the token's digest in the store.
func invitationOf(t *testing.T, a *app, link string) string {
	t.Helper()
	inv, err := a.store.FindInvitationByToken(t.Context(), survey.HashSecret(tokenOf(t, link)))
	if err != nil {
		t.Fatal(err)
	}
	return inv.ID
}

// jsString quotes s for a JavaScript expression.
func jsString(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"`
}

// TestUsersPageFitsAPhone opens the admin users page, with a coordinator
// of several regions and long addresses, in Chromium at 1280 and 390 px:
// the page never scrolls sideways.
func TestUsersPageFitsAPhone(t *testing.T) {
	a := newApp(t)
	a.user("admin@example.org", survey.RoleAdmin)
	a.user("analyst.with.a.long.address@bibliotheque-municipale.example.org", survey.RoleAnalyst)
	a.user("documentationetstatistiquesdesbibliotheques@bibliothequesmunicipales.example.org", survey.RoleAnalyst)
	if err := a.store.CreateUser(t.Context(), &survey.User{Email: "coordinator@example.org", Name: "Regional coordinator", Role: survey.RoleCoordinator,
		Regions: []survey.Region{"europe", "latin_america_caribbean", "asia_oceania"}, PasswordHash: survey.HashPassword("a long enough password")}); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(a.handler)
	defer srv.Close()
	ctx := browsertest.New(t)
	err := chromedp.Do(ctx, chromedp.EmulateViewport(1280, 900),
		chromedp.Navigate(srv.URL+"/admin/login"),
		chromedp.SendKeys(chromedp.CSS("#email"), "admin@example.org"),
		chromedp.SendKeys(chromedp.CSS("#password"), "a long enough password"),
		chromedp.Click(chromedp.CSS("button[type=submit]")),
		// Signed in once the login form is gone: the login page has a
		// main too, and going on while it is still shown opened the users
		// page without the session (CI timed out there under load).
		chromedp.WaitNotPresent(chromedp.CSS("#password")),
		chromedp.Navigate(srv.URL+"/admin/users"),
		chromedp.WaitVisible(chromedp.CSS("table.users")),
	)
	if err != nil {
		t.Fatal(err)
	}
	shotBoth(t, ctx, "admin-users")
	// With a one-time link shown (a reset link for the last user).
	err = chromedp.Do(ctx, chromedp.Click(chromedp.CSS("table.users tr:last-child button.link")), chromedp.WaitVisible(chromedp.CSS(".secret")))
	if err != nil {
		t.Fatal(err)
	}
	shotBoth(t, ctx, "admin-users-link")
}
