package web_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/metlib/canvass/survey"
)

// guessedInvitationID is what anyone can compute from public data, the
// survey's slug and a library's id: the invitation id (see the store's
// CreateInvitation), recomputed here independently of the code.
func guessedInvitationID(slug, libraryID string) string {
	sum := sha256.Sum256([]byte(slug + "\x00" + "library:" + libraryID))
	return hex.EncodeToString(sum[:12])
}

// invitedLibrary invites a library and returns its link and the invited
// response's key as an attacker would compute it.
func (a *app) invitedLibrary(t *testing.T, admin, slug, name, email string) (link, key string) {
	t.Helper()
	link = a.invite(t, admin, slug, name, email)
	invs, err := a.store.ListInvitations(t.Context(), slug)
	if err != nil {
		t.Fatal(err)
	}
	for _, inv := range invs {
		if inv.Email == email {
			if guessed := guessedInvitationID(slug, inv.LibraryID); guessed != inv.ID {
				t.Fatalf("invitation id %s, computed %s: the test's premise is wrong", inv.ID, guessed)
			}
			return link, "inv-" + inv.ID
		}
	}
	t.Fatalf("no invitation for %s", email)
	return "", ""
}

// apiSubmit posts a response to the JSON API, anonymously unless token is set.
func (a *app) apiSubmit(slug, submissionID, token string, answers map[string]any) (int, string) {
	body, _ := json.Marshal(map[string]any{"submission_id": submissionID, "invitation_token": token, "answers": answers})
	rec := a.do(request{method: http.MethodPost, path: "/api/v1/surveys/" + slug + "/responses", contentType: "application/json", body: string(body)})
	return rec.Code, rec.Body.String()
}

func everyTypeAnswers(count int) map[string]any {
	return map[string]any{"pick": "a", "grid": map[string]any{"r1": "lo"}, "count": count}
}

// An anonymous client can no longer write, or learn about, an invited
// library's one response by sending its key as the submission id.
func TestAnonymousCannotTakeAnInvitedResponse(t *testing.T) {
	a := newApp(t)
	admin := a.token(survey.RoleAdmin)
	answeredLink, answeredKey := a.invitedLibrary(t, admin, "every-type", "Helsinki City Library", "oodi@hel.fi")
	_, silentKey := a.invitedLibrary(t, admin, "every-type", "Stadtbibliothek Köln", "info@stbib-koeln.de")

	// Before the library answers, the API refuses its key, in any case.
	for _, id := range []string{answeredKey, strings.ToUpper(answeredKey[:3]) + answeredKey[3:]} {
		code, body := a.apiSubmit("every-type", id, "", everyTypeAnswers(7))
		var e errorResponse
		_ = json.Unmarshal([]byte(body), &e)
		if code != http.StatusUnprocessableEntity || len(e.Error.Fields) != 1 || e.Error.Fields[0].Path != "submission_id" || !strings.Contains(e.Error.Fields[0].Message, `"inv-"`) {
			t.Errorf("anonymous POST with %s: %d %s", id, code, body)
		}
	}
	// Nor does the form post one: a tampered form's id is replaced, and
	// the answers are stored as an anonymous response of their own.
	fs, _ := a.openForm("/s/every-type")
	values := validForm()
	values.Set("submission_id", answeredKey)
	if rec := a.postForm("/s/every-type", fs, values); rec.Code != http.StatusSeeOther {
		t.Fatalf("tampered form: %d %s", rec.Code, rec.Body)
	}
	if _, err := a.store.FindResponseBySubmission(t.Context(), "every-type", answeredKey); survey.ErrorCode(err) != survey.ENOTFOUND {
		t.Fatalf("the library's key was written anonymously: %v", err)
	}

	// The library's link still works and stores its answer under its key.
	fs, _ = a.openForm(answeredLink)
	values = validForm()
	values.Set("count", "21")
	values.Set("t", tokenOf(t, answeredLink))
	if rec := a.postForm("/s/every-type?lang=fr", fs, values); rec.Code != http.StatusSeeOther {
		t.Fatalf("library's submission: %d %s", rec.Code, rec.Body)
	}
	stored, err := a.store.FindResponseBySubmission(t.Context(), "every-type", answeredKey)
	if err != nil || stored.Status != survey.ResponseSubmitted || stored.Answers["count"] != 21.0 || stored.LibraryID == "" {
		t.Fatalf("library's response: %+v %v", stored, err)
	}

	// Whether a library answered shows nowhere on the anonymous path: the
	// same status and body for the one that did and the one that did not,
	// with its own answers or others, by API and by form.
	for _, count := range []int{21, 8} {
		codeA, bodyA := a.apiSubmit("every-type", answeredKey, "", everyTypeAnswers(count))
		codeS, bodyS := a.apiSubmit("every-type", silentKey, "", everyTypeAnswers(count))
		if codeA != codeS || bodyA != bodyS || codeA != http.StatusUnprocessableEntity {
			t.Errorf("answered %d %s, not answered %d %s", codeA, bodyA, codeS, bodyS)
		}
	}
	formAnswer := func(key string) (int, string) {
		fs, _ := a.openForm("/s/every-type")
		values := validForm()
		values.Set("submission_id", key)
		rec := a.postForm("/s/every-type", fs, values)
		return rec.Code, rec.Header().Get("Location") + rec.Body.String()
	}
	codeA, bodyA := formAnswer(answeredKey)
	codeS, bodyS := formAnswer(silentKey)
	if codeA != codeS || bodyA != bodyS || codeA != http.StatusSeeOther {
		t.Errorf("form: answered %d %q, not answered %d %q", codeA, bodyA, codeS, bodyS)
	}
	if _, err := a.store.FindResponseBySubmission(t.Context(), "every-type", silentKey); survey.ErrorCode(err) != survey.ENOTFOUND {
		t.Errorf("the silent library's key was written: %v", err)
	}
	if again, _ := a.store.FindResponseBySubmission(t.Context(), "every-type", answeredKey); again.Answers["count"] != 21.0 || again.Revision != stored.Revision {
		t.Errorf("the library's response changed: %+v", again)
	}
	// The library's response plus three anonymous ones from the form.
	if n := a.countResponses("every-type"); n != 4 {
		t.Errorf("%d responses, want 4", n)
	}
}

// addEditableSurvey stores a copy of the every-type fixture, as slug, that
// lets invited libraries change their answers after submitting.
func (a *app) addEditableSurvey(t *testing.T, slug string) {
	t.Helper()
	data, err := os.ReadFile("testdata/every-type.yaml")
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Replace(string(data), "slug: every-type", "slug: "+slug, 1)
	text = strings.Replace(text, "settings: {public_counts: true}", "settings: {public_counts: true, allow_edit_after_submit: true}", 1)
	sv, err := survey.ParseDefinition([]byte(text), "yaml")
	if err != nil || !sv.Settings.AllowEditAfterSubmit {
		t.Fatalf("editable fixture: %v", err)
	}
	sv.Status = survey.StatusOpen
	if err := a.store.CreateSurvey(context.Background(), sv); err != nil {
		t.Fatal(err)
	}
}

// concurrentSubmissions sends n different answers through one invitation
// at once and returns each one's status and count answered.
func (a *app) concurrentSubmissions(n int, slug, token string) map[int]int {
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		start = make(chan struct{})
		codes = map[int]int{}
	)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			code, _ := a.apiSubmit(slug, fmt.Sprintf("device-%04d", i), token, everyTypeAnswers(100+i))
			mu.Lock()
			codes[100+i] = code
			mu.Unlock()
		}()
	}
	close(start)
	wg.Wait()
	return codes
}

// Of concurrent first submissions with different answers through one
// invitation exactly one is created, and what is stored is its answers.
func TestConcurrentSubmissionsThroughOneInvitation(t *testing.T) {
	const n = 12
	a := newApp(t)
	admin := a.token(survey.RoleAdmin)
	link, key := a.invitedLibrary(t, admin, "every-type", "Helsinki City Library", "oodi@hel.fi")
	codes := a.concurrentSubmissions(n, "every-type", tokenOf(t, link))
	created := -1
	for count, code := range codes {
		switch code {
		case http.StatusCreated:
			if created >= 0 {
				t.Errorf("two 201s: counts %d and %d", created, count)
			}
			created = count
		case http.StatusConflict:
		default:
			t.Errorf("count %d: status %d", count, code)
		}
	}
	if len(codes) != n || created < 0 {
		t.Fatalf("statuses %v: want one 201 and %d 409s", codes, n-1)
	}
	stored, err := a.store.FindResponseBySubmission(t.Context(), "every-type", key)
	if err != nil || stored.Answers["count"] != float64(created) || stored.Revision != 1 {
		t.Fatalf("stored %+v (%v), the 201 answered count %d", stored, err, created)
	}
	if n := a.countResponses("every-type"); n != 1 {
		t.Errorf("%d responses, want 1", n)
	}
	// A retry of the created answers is still a 200.
	if code, _ := a.apiSubmit("every-type", "", tokenOf(t, link), everyTypeAnswers(created)); code != http.StatusOK {
		t.Errorf("retry of the stored answers: %d", code)
	}
}

// Where edits after submitting are allowed, concurrent writes through one
// invitation are taken one after another: one creates, each other replaces
// what the one before it stored, and every acknowledged write is counted in
// the stored revision (a write lost without being superseded would leave
// the revision short of the acknowledgements).
func TestConcurrentEditsThroughOneInvitationLoseNothing(t *testing.T) {
	const n = 10
	a := newApp(t)
	a.addEditableSurvey(t, "every-edit")
	admin := a.token(survey.RoleAdmin)
	link, key := a.invitedLibrary(t, admin, "every-edit", "Helsinki City Library", "oodi@hel.fi")
	codes := a.concurrentSubmissions(n, "every-edit", tokenOf(t, link))
	acknowledged := map[float64]bool{}
	var created, replaced int
	for count, code := range codes {
		switch code {
		case http.StatusCreated:
			created++
		case http.StatusOK:
			replaced++
		default:
			t.Errorf("count %d: status %d", count, code)
			continue
		}
		acknowledged[float64(count)] = true
	}
	if created != 1 || replaced != n-1 {
		t.Errorf("%d created and %d replaced, want 1 and %d: %v", created, replaced, n-1, codes)
	}
	stored, err := a.store.FindResponseBySubmission(t.Context(), "every-edit", key)
	if err != nil {
		t.Fatal(err)
	}
	if !acknowledged[stored.Answers["count"].(float64)] || stored.Revision != created+replaced {
		t.Errorf("stored count %v at revision %d; acknowledged %v", stored.Answers["count"], stored.Revision, acknowledged)
	}
}

// On a survey allowing edits, "Save and finish later" after submitting
// shows the form again, as typed, asking to submit, and stores nothing.
func TestSaveAfterSubmitKeepsTheEdit(t *testing.T) {
	a := newApp(t)
	a.addEditableSurvey(t, "every-edit")
	admin := a.token(survey.RoleAdmin)
	link, key := a.invitedLibrary(t, admin, "every-edit", "Helsinki City Library", "oodi@hel.fi")
	token := tokenOf(t, link)
	if code, body := a.apiSubmit("every-edit", "", token, everyTypeAnswers(5)); code != http.StatusCreated {
		t.Fatalf("submit: %d %s", code, body)
	}
	fs, body := a.openForm(link)
	if !strings.Contains(body, "Votre bibliothèque a déjà répondu") {
		t.Fatalf("the link does not offer the edit: %s", body)
	}
	edit := url.Values{"t": {token}, "action": {"save"}, "pick": {"a"}, "grid[r1]": {"hi"}, "count": {"77"}, "essay": {"Écrit à la main"}}
	rec := a.postForm("/s/every-edit?lang=fr&t="+url.QueryEscape(token), fs, edit)
	page := rec.Body.String()
	for _, want := range []string{
		"Vos réponses ont déjà été envoyées", // the message, in French
		`value="77"`, ">Écrit à la main</textarea>", // every typed answer
		`name="t" value="` + token + `"`, // still the personal form
	} {
		if !strings.Contains(page, want) {
			t.Errorf("save after submit: %d, missing %q", rec.Code, want)
		}
	}
	if rec.Code != http.StatusConflict {
		t.Errorf("save after submit: status %d", rec.Code)
	}
	stored, _ := a.store.FindResponseBySubmission(t.Context(), "every-edit", key)
	if stored.Status != survey.ResponseSubmitted || stored.Answers["count"] != 5.0 {
		t.Errorf("stored %+v", stored)
	}
	// Submitting the edit from there replaces the answers.
	edit.Set("action", "submit")
	if rec := a.postForm("/s/every-edit?lang=fr&t="+url.QueryEscape(token), fs, edit); rec.Code != http.StatusSeeOther {
		t.Fatalf("submit the edit: %d %s", rec.Code, rec.Body)
	}
	if stored, _ := a.store.FindResponseBySubmission(t.Context(), "every-edit", key); stored.Answers["count"] != 77.0 || stored.Answers["essay"] != "Écrit à la main" {
		t.Errorf("edit not stored: %+v", stored.Answers)
	}
}

// Every page a personal link leads to keeps the link in its address and in
// its language links: the form, after saving, after an error, and after a
// save that could not be kept.
func TestPersonalLinkSurvivesLanguageSwitch(t *testing.T) {
	a := newApp(t)
	admin := a.token(survey.RoleAdmin)
	link := a.invite(t, admin, "every-type", "Helsinki City Library", "oodi@hel.fi")
	token := tokenOf(t, link)
	withToken := "/s/every-type?lang=en&amp;t=" + url.QueryEscape(token)
	fs, body := a.openForm(link)
	if !strings.Contains(body, `action="/s/every-type?lang=fr&amp;t=`+url.QueryEscape(token)+`"`) || !strings.Contains(body, `href="`+withToken+`"`) {
		t.Fatalf("personal form: the action or the English link lacks the token")
	}
	post := "/s/every-type?lang=fr&t=" + url.QueryEscape(token)
	saved := a.postForm(post, fs, url.Values{"action": {"save"}, "pick": {"a"}})
	invalid := a.postForm(post, fs, url.Values{"action": {"submit"}, "pick": {"b"}})
	for name, rec := range map[string]struct {
		code int
		body string
	}{"saved": {saved.Code, saved.Body.String()}, "invalid": {invalid.Code, invalid.Body.String()}} {
		if !strings.Contains(rec.body, `href="`+withToken+`"`) {
			t.Errorf("%s (%d): the English link lacks the token", name, rec.code)
		}
	}
	if saved.Code != http.StatusOK || invalid.Code != http.StatusUnprocessableEntity {
		t.Errorf("saved %d, invalid %d", saved.Code, invalid.Code)
	}
	// Following the English link opens the library's form, with its draft.
	en := a.do(request{path: "/s/every-type?lang=en&t=" + url.QueryEscape(token)})
	if en.Code != http.StatusOK || !strings.Contains(en.Body.String(), "Welcome back") || !strings.Contains(en.Body.String(), `name="t" value="`+token+`"`) {
		t.Errorf("English form: %d", en.Code)
	}
	// The anonymous form carries no link and names its own browser copy.
	_, open := a.openForm("/s/every-type")
	if strings.Contains(open, `name="t"`) || !strings.Contains(open, `data-draft-key="open"`) || strings.Contains(body, `data-draft-key="open"`) {
		t.Errorf("anonymous and personal forms share the browser's copy")
	}
}
