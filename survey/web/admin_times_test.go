package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/metlib/canvass/survey"
)

// timeElement is one <time> element as a page writes it.
var timeElement = regexp.MustCompile(`<time datetime="([^"]*)"( data-local)?>([^<]*)</time>`)

// TestTimesAreMarkedForTheReadersZone: through the real router, every
// instant on the working group's pages is a <time data-local> with the
// exact UTC instant and its UTC text (times.js rewrites those in the
// reader's zone); values entered as days (a survey's dates, a consent
// imported with a date) are <time datetime="YYYY-MM-DD"> without data-local,
// so no script shifts them; the results page shows its publication time as
// an element, not as escaped markup; the embed iframe writes its update
// time the same way, in the visitor's language, and may load times.js.
func TestTimesAreMarkedForTheReadersZone(t *testing.T) {
	a := newApp(t)
	ctx := t.Context()
	c := newClient(t, a.serve(t))
	a.signIn(t, c, survey.RoleAdmin)

	c.get("/admin/surveys/every-type")
	if p := c.post("/admin/surveys/every-type/dates", url.Values{"opens_at": {"2026-11-02"}, "closes_at": {"2027-01-31"}}); p.status != http.StatusSeeOther {
		t.Fatalf("dates: %d %s", p.status, p.body)
	}
	// Through the API a survey can close at any instant.
	closes := time.Date(2027, 1, 15, 17, 30, 0, 0, time.UTC)
	if err := a.store.SetSurveyDates(ctx, "closed-one", nil, &closes); err != nil {
		t.Fatal(err)
	}
	imported := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	ticked := time.Date(2026, 12, 1, 8, 57, 10, 0, time.UTC)
	lib := &survey.Library{Name: "Biblioteca Pública de Lima", Country: "PE", Region: survey.LatinAmericaCaribbean, Type: survey.CitySystem, Contacts: []survey.Contact{
		{Name: "Ana", Email: "ana@lima.example", Consent: true, ConsentAt: &imported},
		{Name: "Luis", Email: "luis@lima.example", Consent: true, ConsentAt: &ticked},
	}}
	if err := a.store.CreateLibrary(ctx, lib); err != nil {
		t.Fatal(err)
	}
	created := time.Date(2026, 12, 1, 7, 45, 0, 0, time.UTC)
	r, _, err := a.store.CreateResponse(ctx, &survey.Response{SurveySlug: "every-type", SurveyVersion: 1, SubmissionID: "times-1",
		Status: survey.ResponseSubmitted, Language: "en", Source: "web", Answers: survey.Answers{"pick": "a"}, CreatedAt: created, SubmittedAt: &created})
	if err != nil {
		t.Fatal(err)
	}
	published := time.Date(2026, 12, 1, 5, 30, 0, 0, time.UTC)
	if err := a.store.SetResultsPublished(ctx, "impact-methods", &published); err != nil {
		t.Fatal(err)
	}

	for _, tc := range []struct {
		path string
		want []string // exact elements the page holds
	}{
		{"/admin", []string{`<time datetime="2026-11-02">2 November 2026</time>`, `<time datetime="2027-01-31">31 January 2027</time>`,
			`<time datetime="2027-01-15T17:30:00Z" data-local>15 Jan 2027, 17:30 UTC</time>`}},
		{"/admin/libraries/" + lib.ID, []string{`given <time datetime="2026-03-01">1 March 2026</time>`,
			`given <time datetime="2026-12-01T08:57:10Z" data-local>1 Dec 2026, 08:57 UTC</time>`}},
		{"/admin/surveys/every-type/responses", []string{`<time datetime="2026-12-01T07:45:00Z" data-local>1 Dec 2026, 07:45 UTC</time>`}},
		{"/admin/responses/" + r.ID, []string{`<time datetime="2026-12-01T07:45:00Z" data-local>1 Dec 2026, 07:45 UTC</time>`}},
		{"/admin/responses/" + r.ID + "/delete", []string{`submitted <time datetime="2026-12-01T07:45:00Z" data-local>1 Dec 2026, 07:45 UTC</time>, will be deleted for good.`}},
		{"/admin/surveys/impact-methods/results", []string{`Published <time datetime="2026-12-01T05:30:00Z" data-local>1 Dec 2026, 05:30 UTC</time> at`}},
		{"/admin/surveys/impact-methods/results?lang=fr", []string{`Publié le <time datetime="2026-12-01T05:30:00Z" data-local>1 déc. 2026, 05:30 UTC</time> à l&#39;adresse`}},
		{"/admin/surveys/impact-methods/results?lang=es", []string{`Publicado el <time datetime="2026-12-01T05:30:00Z" data-local>1 dic 2026, 05:30 UTC</time> en`}},
		{"/admin/audit", nil},
		{"/admin/tokens", nil},
		{"/admin/users", nil},
		{"/admin/surveys/every-type/invitations", nil},
	} {
		t.Run(tc.path, func(t *testing.T) {
			p := c.get(tc.path)
			if p.status != http.StatusOK {
				t.Fatalf("%d", p.status)
			}
			for _, w := range tc.want {
				if !strings.Contains(p.body, w) {
					t.Errorf("page lacks %s", w)
				}
			}
			checkTimeElements(t, p.body)
			if !strings.Contains(p.body, `<script src="/static/times.js" defer></script>`) {
				t.Error("the page does not load times.js")
			}
			if strings.Contains(p.body, "&lt;time") {
				t.Error("the page shows a <time> tag as text")
			}
		})
	}
	// The audit page lists the dates change and its entry's time.
	if p := c.get("/admin/audit"); len(timeElement.FindAllString(p.body, -1)) == 0 {
		t.Error("the audit log shows no <time> element")
	}

	// The script is served, and no page needs an inline one (the CSP
	// allows script-src 'self' only).
	js := c.get("/static/times.js")
	if js.status != http.StatusOK || !strings.Contains(js.header.Get("Content-Type"), "javascript") || !strings.Contains(js.body, "time[data-local][datetime]") {
		t.Errorf("times.js: %d %s", js.status, js.header.Get("Content-Type"))
	}

	// The respondents' form and the public pages show no instant.
	for _, path := range []string{"/s/landscape?lang=es", "/libraries?lang=fr", "/"} {
		if p := c.get(path); strings.Contains(p.body, "<time") || goTimestamp.MatchString(p.body) {
			t.Errorf("%s shows a time; it is not localised", path)
		}
	}

	// The iframe page: "Mis à jour le" and the instant in French, as an
	// element times.js may localise, under a CSP that lets it load.
	em := c.get("/embed/impact-methods?lang=fr")
	if em.status != http.StatusOK {
		t.Fatalf("embed: %d", em.status)
	}
	m := regexp.MustCompile(`Mis à jour le <time datetime="([^"]+)" data-local>([^<]+)</time>`).FindStringSubmatch(em.body)
	if m == nil {
		t.Fatalf("embed page has no update time:\n%s", em.body)
	}
	at, err := time.Parse(time.RFC3339, m[1])
	if err != nil || m[2] != utcText("fr", at) {
		t.Errorf("embed update time %q for %s, want %q (%v)", m[2], m[1], utcText("fr", at), err)
	}
	if goTimestamp.MatchString(em.body) {
		t.Error("the embed page shows a Go timestamp")
	}
	if csp := em.header.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self';") {
		t.Errorf("embed CSP %q", csp)
	}
	checkTimeElements(t, em.body)
}

// checkTimeElements: every <time> is either an instant (data-local, a UTC
// datetime to the second, its UTC text) or a day (a date, no data-local),
// and no script on the page is inline.
func checkTimeElements(t *testing.T, body string) {
	t.Helper()
	if n := strings.Count(body, "<time"); n != len(timeElement.FindAllString(body, -1)) {
		t.Errorf("%d <time> elements, %d of the expected shape", n, len(timeElement.FindAllString(body, -1)))
	}
	for _, m := range timeElement.FindAllStringSubmatch(body, -1) {
		if m[2] != "" {
			at, err := time.Parse(time.RFC3339, m[1])
			if err != nil || !strings.HasSuffix(m[1], "Z") {
				t.Errorf("instant %q is not a UTC RFC 3339 time (%v)", m[1], err)
			} else if !strings.HasSuffix(m[3], " UTC") {
				t.Errorf("instant %s written %q, not in UTC (%s)", m[1], m[3], at)
			}
			continue
		}
		if _, err := time.Parse(time.DateOnly, m[1]); err != nil {
			t.Errorf("<time datetime=%q> without data-local is not a day", m[1])
		}
	}
	for _, s := range regexp.MustCompile(`<script[^>]*>`).FindAllString(body, -1) {
		if !strings.Contains(s, ` src="/static/`) {
			t.Errorf("inline or foreign script %s", s)
		}
	}
}

// shortMonths are the months as CLDR abbreviates them in a medium date
// (written out here, not taken from survey/dates.go or the browser).
var shortMonths = map[string][12]string{
	"en": {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"},
	"fr": {"janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc."},
	"es": {"ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sept", "oct", "nov", "dic"},
}

// utcText is at as the server writes it: "1 déc. 2026, 05:30 UTC".
func utcText(lang string, at time.Time) string {
	u := at.UTC()
	return dayMonthYear(lang, u) + ", " + twoDigits(u.Hour()) + ":" + twoDigits(u.Minute()) + " UTC"
}

func dayMonthYear(lang string, t time.Time) string {
	return itoa(t.Day()) + " " + shortMonths[lang][t.Month()-1] + " " + itoa(t.Year())
}

func twoDigits(n int) string {
	if n < 10 {
		return "0" + itoa(n)
	}
	return itoa(n)
}

func itoa(n int) string { return strconv.Itoa(n) }
