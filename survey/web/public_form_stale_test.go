package web_test

import (
	"io"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"

	"golang.org/x/net/html"

	"github.com/metlib/canvass/survey"
)

// staleNotice is the message of a form sent from a page opened before the
// response was changed elsewhere, by language, as a reader sees it.
var staleNotice = map[string]string{
	"en": "Your answers were not sent: your library's response was changed in another window or on another device after this page was opened. Your answers are kept below; submit again to replace that version with them.",
	"fr": "Vos réponses n'ont pas été envoyées\u00a0: la réponse de votre bibliothèque a été modifiée dans une autre fenêtre ou sur un autre appareil depuis l'ouverture de cette page. Vos réponses sont conservées ci-dessous\u202f; envoyez-les de nouveau pour remplacer cette version.",
	"es": "Sus respuestas no se enviaron: la respuesta de su biblioteca se modificó en otra ventana o en otro dispositivo después de abrir esta página. Sus respuestas se conservan abajo; envíelas de nuevo para reemplazar esa versión.",
}

var staleSaveNotice = map[string]string{
	"en": "Your answers were not saved: your library's response was changed in another window or on another device after this page was opened. Your answers are kept below; save or submit again to replace that version with them.",
	"fr": "Vos réponses n'ont pas été enregistrées\u00a0: la réponse de votre bibliothèque a été modifiée dans une autre fenêtre ou sur un autre appareil depuis l'ouverture de cette page. Vos réponses sont conservées ci-dessous\u202f; enregistrez-les ou envoyez-les de nouveau pour remplacer cette version.",
	"es": "Sus respuestas no se guardaron: la respuesta de su biblioteca se modificó en otra ventana o en otro dispositivo después de abrir esta página. Sus respuestas se conservan abajo; guárdelas o envíelas de nuevo para reemplazar esa versión.",
}

// storedCount is the count answer of the invited response key, and its
// revision, read from the store.
func (a *app) storedCount(t *testing.T, slug, key string) (float64, int) {
	t.Helper()
	r, err := a.store.FindResponseBySubmission(t.Context(), slug, key)
	if err != nil {
		t.Fatal(err)
	}
	v, _ := r.Answers.Number("count")
	return v, r.Revision
}

// TestTwoTabsOnePersonalLink: two windows (two real HTTP clients, each
// with its own cookies) open one personal link of a survey that allows
// edits after submitting; the one that sends second is refused with the
// form as typed and a message in its language, and stores its answers
// only when it sends them again. First submissions, edits after
// submitting and saved drafts alike.
func TestTwoTabsOnePersonalLink(t *testing.T) {
	a := newApp(t)
	admin := a.token(survey.RoleAdmin)
	a.addEditableTrilingual(t, "editable")
	srv := a.serve(t)
	for _, lang := range []string{"en", "fr", "es"} {
		t.Run(lang, func(t *testing.T) {
			link, key := a.invitedLibrary(t, admin, "editable", "Library "+lang, "director-"+lang+"@example.org")
			link = withLang(t, link, lang)
			tabA, tabB := newClient(t, srv), newClient(t, srv)
			pageA, pageB := tabA.get(link), tabB.get(link)
			if pageA.status != 200 || pageB.status != 200 {
				t.Fatalf("open: %d %d", pageA.status, pageB.status)
			}
			send := func(c *client, body string, count int, action string) page {
				t.Helper()
				values := shownForm(t, body)
				values.Set("pick", "a")
				values.Set("grid[r1]", "lo")
				values.Set("count", strconv.Itoa(count))
				values.Set("action", action)
				return c.post(link, values)
			}
			refused := func(p page, notice string, count int) {
				t.Helper()
				if p.status != http.StatusConflict {
					t.Fatalf("stale form: %d %s, want 409", p.status, p.location)
				}
				if !strings.Contains(p.body, "<p>"+html.EscapeString(notice)+"</p>") {
					i := strings.Index(p.body, `id="notice"`)
					t.Errorf("stale form lacks the notice %q:\n%s", notice, p.body[max(i, 0):min(len(p.body), max(i, 0)+600)])
				}
				shown := shownForm(t, p.body)
				if shown.Get("count") != strconv.Itoa(count) || shown.Get("pick") != "a" || shown.Get("grid[r1]") != "lo" {
					t.Errorf("answers not kept: %v", shown)
				}
			}

			// First submissions: A, then B from a page opened before.
			if p := send(tabA, pageA.body, 11, "submit"); p.status != http.StatusSeeOther {
				t.Fatalf("A submits: %d", p.status)
			}
			p := send(tabB, pageB.body, 22, "submit")
			refused(p, staleNotice[lang], 22)
			if got, _ := a.storedCount(t, "editable", key); got != 11 {
				t.Fatalf("stored %v after B's stale submission, want A's 11", got)
			}
			// B sends the page it got back as it is: now it replaces A's.
			if p := tabB.post(link, shownForm(t, p.body)); p.status != http.StatusSeeOther {
				t.Fatalf("B submits again: %d", p.status)
			}
			if got, _ := a.storedCount(t, "editable", key); got != 22 {
				t.Fatalf("stored %v after B submitted again, want 22", got)
			}
			// A's first page again with the answers stored now: nothing
			// would be replaced, so it is a retry, not a conflict.
			_, before := a.storedCount(t, "editable", key)
			if p := send(tabA, pageA.body, 22, "submit"); p.status != http.StatusSeeOther {
				t.Errorf("A's first page with the stored answers: %d, want 303", p.status)
			}
			if _, after := a.storedCount(t, "editable", key); after != before {
				t.Errorf("a retry wrote: revision %d, then %d", before, after)
			}

			// Edits after submitting: both reopen; B edits; A's edit is refused.
			pageA, pageB = tabA.get(link), tabB.get(link)
			if p := send(tabB, pageB.body, 33, "submit"); p.status != http.StatusSeeOther {
				t.Fatalf("B edits: %d", p.status)
			}
			refused(send(tabA, pageA.body, 44, "submit"), staleNotice[lang], 44)
			// Saving from the stale page is refused the same way, not
			// answered "submit instead" over answers it has not seen.
			refused(send(tabA, pageA.body, 44, "save"), staleSaveNotice[lang], 44)
			if got, _ := a.storedCount(t, "editable", key); got != 33 {
				t.Errorf("stored %v, want B's 33", got)
			}
		})
	}

	t.Run("drafts", func(t *testing.T) {
		link, key := a.invitedLibrary(t, admin, "editable", "Library drafts", "drafts@example.org")
		tabA, tabB := newClient(t, srv), newClient(t, srv)
		pageA, pageB := tabA.get(link), tabB.get(link)
		valuesA := shownForm(t, pageA.body)
		valuesA.Set("count", "5")
		valuesA.Set("action", "save")
		saved := tabA.post(link, valuesA)
		if saved.status != 200 {
			t.Fatalf("A saves: %d", saved.status)
		}
		valuesB := shownForm(t, pageB.body)
		valuesB.Set("count", "6")
		valuesB.Set("action", "save")
		if p := tabB.post(link, valuesB); p.status != http.StatusConflict || !strings.Contains(p.body, html.EscapeString(staleSaveNotice["fr"])) { // the contact's language
			t.Errorf("B saves over A's draft: %d", p.status)
		}
		// A goes on from the page its save answered with: not stale.
		valuesA = shownForm(t, saved.body)
		valuesA.Set("pick", "a")
		valuesA.Set("grid[r1]", "lo")
		valuesA.Set("count", "7")
		valuesA.Set("action", "submit")
		if p := tabA.post(link, valuesA); p.status != http.StatusSeeOther {
			t.Fatalf("A submits after saving: %d %s", p.status, p.body)
		}
		if got, rev := a.storedCount(t, "editable", key); got != 7 || rev != 2 {
			t.Errorf("stored %v at revision %d, want 7 at 2", got, rev)
		}
	})
}

// TestConcurrentStaleForms: many windows opened on one revision of an
// invited response send different answers at the same moment (goroutines,
// run under -race): exactly one replaces it, every other is refused with
// its answers kept, and what is stored is the one accepted — for a first
// submission (no response yet) and for an edit after submitting.
func TestConcurrentStaleForms(t *testing.T) {
	const n = 8
	a := newApp(t)
	admin := a.token(survey.RoleAdmin)
	a.addEditableSurvey(t, "editable")
	srv := a.serve(t)
	link, key := a.invitedLibrary(t, admin, "editable", "Biblioteca Central", "central@example.org")
	for round, wantRevision := range []int{1, 2} {
		clients := make([]*client, n)
		pages := make([]string, n)
		for i := range clients {
			clients[i] = newClient(t, srv)
			pages[i] = clients[i].get(link).body
		}
		var (
			wg       sync.WaitGroup
			start    = make(chan struct{})
			statuses = make([]page, n)
		)
		for i := range clients {
			values := shownForm(t, pages[i])
			values.Set("pick", "a")
			values.Set("grid[r1]", "lo")
			values.Set("count", strconv.Itoa(100*(round+1)+i))
			values.Set("action", "submit")
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				statuses[i] = clients[i].postFromGoroutine(link, values)
			}()
		}
		close(start)
		wg.Wait()
		winner := -1
		for i, p := range statuses {
			switch p.status {
			case http.StatusSeeOther:
				if winner >= 0 {
					t.Errorf("round %d: windows %d and %d both accepted", round, winner, i)
				}
				winner = i
			case http.StatusConflict:
				if !strings.Contains(p.body, html.EscapeString(staleNotice["fr"])) || shownForm(t, p.body).Get("count") != strconv.Itoa(100*(round+1)+i) {
					t.Errorf("round %d: window %d refused without its answers or the notice", round, i)
				}
			default:
				t.Errorf("round %d: window %d: %d", round, i, p.status)
			}
		}
		if winner < 0 {
			t.Fatalf("round %d: no window accepted", round)
		}
		got, rev := a.storedCount(t, "editable", key)
		if got != float64(100*(round+1)+winner) || rev != wantRevision {
			t.Errorf("round %d: stored %v at revision %d, want window %d's %d at %d", round, got, rev, winner, 100*(round+1)+winner, wantRevision)
		}
	}
}

// postFromGoroutine is post for a goroutine other than the test's: a
// failed request is status 0, reported by the caller, not t.Fatal.
func (c *client) postFromGoroutine(path string, values url.Values) page {
	req, _ := http.NewRequest(http.MethodPost, c.srv.URL+path, strings.NewReader(values.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	res, err := c.http.Do(req)
	if err != nil {
		return page{}
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return page{status: res.StatusCode, body: string(b), location: res.Header.Get("Location"), header: res.Header}
}

// withLang is link with its lang parameter set to lang.
func withLang(t *testing.T, link, lang string) string {
	t.Helper()
	u, err := url.Parse(link)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("lang", lang)
	u.RawQuery = q.Encode()
	return u.RequestURI()
}

// addEditableTrilingual stores a copy of the every-type fixture, as slug,
// in English, French and Spanish, that lets invited libraries change their
// answers after submitting.
func (a *app) addEditableTrilingual(t *testing.T, slug string) {
	t.Helper()
	data, err := os.ReadFile("testdata/every-type.yaml")
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Replace(string(data), "slug: every-type", "slug: "+slug, 1)
	text = strings.Replace(text, "languages: [en, fr]", "languages: [en, fr, es]", 1)
	text = strings.Replace(text, "settings: {public_counts: true}", "settings: {public_counts: true, allow_edit_after_submit: true}", 1)
	sv, err := survey.ParseDefinition([]byte(text), "yaml")
	if err != nil || !sv.Settings.AllowEditAfterSubmit || !sv.HasLanguage("es") {
		t.Fatalf("editable fixture: %v", err)
	}
	sv.Status = survey.StatusOpen
	if err := a.store.CreateSurvey(t.Context(), sv); err != nil {
		t.Fatal(err)
	}
}
