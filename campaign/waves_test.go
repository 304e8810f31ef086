package campaign_test

import (
	"context"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/metlib/canvass/campaign"
	"github.com/metlib/canvass/survey"
	"github.com/metlib/canvass/survey/store"
	"github.com/metlib/canvass/survey/store/storetest"
)

// statsWave is the first wave of a small yearly series: a budget that is
// carried forward and checked (more than doubled or halved AND more than
// 1,000 apart), services carried forward (one option recoded in the next
// wave), a comment that is not carried, and staff checked by difference
// only.
const statsWave = `
slug: stats-2025
series: stats
wave: "2025"
version: 1
status: open
default_language: en
languages: [en, fr, es]
title: {en: Library statistics 2025}
settings: {allow_edit_after_submit: true}
sections:
  - id: s
    questions:
      - id: budget
        type: number
        label: {en: Budget, fr: Budget, es: Presupuesto}
        carry_forward: true
        change_check: {max_ratio: 2, max_difference: 1000}
      - id: services
        type: multi_choice
        label: {en: Services}
        carry_forward: true
        options:
          - {value: loans, label: {en: Loans}}
          - {value: wifi, label: {en: Wi-Fi}}
          - {value: events, label: {en: Events}}
      - id: comment
        type: text
        label: {en: Comment}
      - id: staff
        type: number
        label: {en: Staff}
        change_check: {max_difference: 5}
`

type wavesFixture struct {
	st    *store.Store
	svc   *campaign.Service
	clock time.Time
	libs  map[string]*survey.Library // by name
}

func newWaves(t *testing.T) *wavesFixture {
	t.Helper()
	f := &wavesFixture{st: storetest.New(t), clock: time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC), libs: map[string]*survey.Library{}}
	sv, err := survey.ParseDefinition([]byte(statsWave), "yaml")
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := f.st.CreateSurvey(ctx, sv); err != nil {
		t.Fatal(err)
	}
	f.svc = campaign.New(campaign.Config{
		Surveys: f.st, Responses: f.st, Tokens: f.st, Users: f.st, Sessions: f.st, Passwords: f.st, Audit: f.st,
		Libraries: f.st, Invitations: f.st, MailTemplates: f.st, Publications: f.st, Reports: f.st,
		Now: func() time.Time { return f.clock }, SurveyCacheTTL: -1,
	})
	for _, name := range []string{"Alpha", "Beta", "Gamma", "Delta", "Epsilon"} {
		l := &survey.Library{Name: name + " Library", Country: "FR", Region: survey.Region("europe"),
			Contacts: []survey.Contact{{Name: name, Email: strings.ToLower(name) + "@example.org", Language: "fr", Consent: true}}}
		if err := f.st.CreateLibrary(ctx, l); err != nil {
			t.Fatal(err)
		}
		f.libs[name] = l
	}
	return f
}

// link gives the invitation of library name to survey slug a personal
// link and returns its token (as a mail-merge file would, without one).
func (f *wavesFixture) link(t *testing.T, slug, name string) string {
	t.Helper()
	invs, err := f.st.ListInvitations(context.Background(), slug)
	if err != nil {
		t.Fatal(err)
	}
	for _, inv := range invs {
		if inv.LibraryID == f.libs[name].ID {
			token := "tok-" + slug + "-" + name + "-0123456789abcdef"
			inv.TokenHashes = append(inv.TokenHashes, survey.HashSecret(token))
			if err := f.st.UpdateInvitation(context.Background(), inv); err != nil {
				t.Fatal(err)
			}
			return token
		}
	}
	t.Fatalf("%s is not invited to %s", name, slug)
	return ""
}

func (f *wavesFixture) invite(t *testing.T, slug string, names ...string) {
	t.Helper()
	var ids []string
	for _, n := range names {
		ids = append(ids, f.libs[n].ID)
	}
	if _, err := f.svc.Invite(admin, slug, campaign.Invitees{LibraryIDs: ids}); err != nil {
		t.Fatal(err)
	}
}

func (f *wavesFixture) submit(t *testing.T, slug, token, lang, text string) (*campaign.Submitted, error) {
	t.Helper()
	return f.svc.Submit(context.Background(), campaign.Submission{Survey: slug, Language: lang, Answers: answers(t, text), InvitationToken: token, Source: "api"})
}

// TestNewWaveFromTheLast runs the series through the service: the second
// wave copied from the first as a draft with its mail texts, the labels
// that would put it out of order refused, the last wave's libraries
// invited (a withdrawn one that never answered left out).
func TestNewWaveFromTheLast(t *testing.T) {
	f := newWaves(t)
	ctx := context.Background()
	f.invite(t, "stats-2025", "Alpha", "Beta", "Gamma", "Delta")
	if _, err := f.submit(t, "stats-2025", f.link(t, "stats-2025", "Alpha"), "en", `{"budget": 1000, "services": ["loans", "wifi"], "comment": "new roof", "staff": 4}`); err != nil {
		t.Fatal(err)
	}
	invs, _ := f.st.ListInvitations(ctx, "stats-2025")
	for _, inv := range invs {
		if inv.LibraryID == f.libs["Delta"].ID {
			if _, err := f.svc.Revoke(admin, "stats-2025", inv.ID); err != nil {
				t.Fatal(err)
			}
		}
	}
	edited := survey.MailTemplate{Kind: survey.MailInvitation, Language: "fr", Subject: "Statistiques {survey}", Body: "Bonjour {name},\n\n{link}\n"}
	if _, err := f.svc.SaveMailTemplate(admin, "stats-2025", edited); err != nil {
		t.Fatal(err)
	}

	for _, c := range []struct {
		name string
		ctx  context.Context
		wave campaign.NewWave
		code string
		path string
	}{
		{"analyst", analyst, campaign.NewWave{Slug: "stats-2026", Wave: "2026"}, survey.EFORBIDDEN, ""},
		{"same label", admin, campaign.NewWave{Slug: "stats-2026", Wave: "2025"}, survey.EINVALID, "wave"},
		{"earlier label", admin, campaign.NewWave{Slug: "stats-2026", Wave: "2024"}, survey.EINVALID, "wave"},
		{"no label", admin, campaign.NewWave{Slug: "stats-2026"}, survey.EINVALID, "wave"},
		{"no slug", admin, campaign.NewWave{Wave: "2026"}, survey.EINVALID, "slug"},
		{"bad slug", admin, campaign.NewWave{Slug: "Stats 2026", Wave: "2026"}, survey.EINVALID, "slug"},
		{"slug taken", admin, campaign.NewWave{Slug: "stats-2025", Wave: "2026"}, survey.ECONFLICT, ""},
		{"unknown survey", admin, campaign.NewWave{Slug: "stats-2026", Wave: "2026"}, survey.ENOTFOUND, ""},
	} {
		from := "stats-2025"
		if c.name == "unknown survey" {
			from = "nothing-here"
		}
		_, err := f.svc.CreateWave(c.ctx, from, c.wave)
		wantCode(t, c.name, err, c.code)
		if c.path != "" && !slices.Contains(fieldPaths(err), c.path) {
			t.Errorf("%s: fields %v, want %s", c.name, fieldPaths(err), c.path)
		}
	}

	next, err := f.svc.CreateWave(admin, "stats-2025", campaign.NewWave{Slug: "stats-2026", Wave: "2026"})
	if err != nil {
		t.Fatal(err)
	}
	stored, err := f.st.FindSurvey(ctx, "stats-2026")
	if err != nil {
		t.Fatal(err)
	}
	if stored.Status != survey.StatusDraft || stored.Version != 1 || stored.Series != "stats" || stored.Wave != "2026" || stored.OpensAt != nil || next.Slug != "stats-2026" {
		t.Errorf("new wave stored as status %s, version %d, series %q, wave %q, opens %v", stored.Status, stored.Version, stored.Series, stored.Wave, stored.OpensAt)
	}
	if q := stored.Question("budget"); q == nil || !q.CarryForward || q.ChangeCheck == nil || *q.ChangeCheck.MaxRatio != 2 {
		t.Errorf("the new wave's budget question is %+v, want wave 1's (carried, checked)", q)
	}
	templates, err := f.svc.MailTemplates(admin, "stats-2026")
	if err != nil {
		t.Fatal(err)
	}
	copied := false
	for _, tm := range templates {
		copied = copied || tm.Custom && tm.Language == "fr" && tm.Kind == survey.MailInvitation && tm.Subject == edited.Subject
	}
	if !copied {
		t.Errorf("the edited French invitation text was not copied to the new wave: %+v", templates)
	}
	series, err := f.svc.SeriesOf(analyst, "stats-2026")
	if err != nil {
		t.Fatal(err)
	}
	var slugs []string
	for _, w := range series.Waves {
		slugs = append(slugs, w.Slug)
	}
	if series.Name != "stats" || !slices.Equal(slugs, []string{"stats-2025", "stats-2026"}) {
		t.Errorf("series %q with waves %v, want stats with stats-2025, stats-2026", series.Name, slugs)
	}
	if _, err := f.svc.CreateWave(admin, "stats-2025", campaign.NewWave{Slug: "stats-2026b", Wave: "2026"}); !slices.Contains(fieldPaths(err), "wave") {
		t.Errorf("a second wave labelled 2026: %v, want a refusal on wave (it must come after 2026)", err)
	}
	audits := auditActions(t, f.st, "survey.wave")
	if len(audits) != 1 || !strings.Contains(audits[0], "wave 2026 of series stats, copied from stats-2025 version 1") {
		t.Errorf("audit %v", audits)
	}

	if _, err := f.svc.Invite(admin, "stats-2025", campaign.Invitees{PreviousWave: true}); !slices.Contains(fieldPaths(err), "previous_wave") {
		t.Errorf("inviting the previous wave of a first wave: %v, want a refusal on previous_wave", err)
	}
	if err := f.svc.SetStatus(admin, "stats-2026", survey.StatusOpen); err != nil {
		t.Fatal(err)
	}
	out, err := f.svc.Invite(admin, "stats-2026", campaign.Invitees{PreviousWave: true})
	if err != nil {
		t.Fatal(err)
	}
	got := invitedNames(t, f, "stats-2026")
	if want := []string{"Alpha Library", "Beta Library", "Gamma Library"}; !slices.Equal(got, want) || len(out.Created) != 3 {
		t.Errorf("invited from the last wave: %v (%d created), want %v: Delta was withdrawn without answering, Epsilon never invited", got, len(out.Created), want)
	}
	again, err := f.svc.Invite(admin, "stats-2026", campaign.Invitees{PreviousWave: true})
	if err != nil || len(again.Created) != 0 || len(again.Skipped) != 3 {
		t.Errorf("inviting the last wave twice: %+v, %v; want the three skipped as already invited", again, err)
	}
}

func invitedNames(t *testing.T, f *wavesFixture, slug string) []string {
	t.Helper()
	invs, err := f.st.ListInvitations(context.Background(), slug)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, inv := range invs {
		for _, l := range f.libs {
			if l.ID == inv.LibraryID {
				names = append(names, l.Name)
			}
		}
	}
	slices.Sort(names)
	return names
}

// secondWave makes stats-2026 from stats-2025 after Alpha (budget 1,000)
// and Beta (budget 50,000) answered it, opens it with wifi recoded into a
// new "internet" option, and invites the three libraries of wave 1.
func secondWave(t *testing.T) *wavesFixture {
	t.Helper()
	f := newWaves(t)
	f.invite(t, "stats-2025", "Alpha", "Beta", "Gamma")
	for name, text := range map[string]string{
		"Alpha": `{"budget": 1000, "services": ["loans", "wifi"], "comment": "new roof", "staff": 4}`,
		"Beta":  `{"budget": 50000, "services": ["events"], "staff": 30}`,
	} {
		if _, err := f.submit(t, "stats-2025", f.link(t, "stats-2025", name), "en", text); err != nil {
			t.Fatal(name, err)
		}
	}
	if _, err := f.svc.CreateWave(admin, "stats-2025", campaign.NewWave{Slug: "stats-2026", Wave: "2026"}); err != nil {
		t.Fatal(err)
	}
	edited := strings.NewReplacer("slug: stats-2025", "slug: stats-2026", `wave: "2025"`, `wave: "2026"`, "status: open\n", "",
		"{value: wifi, label: {en: Wi-Fi}}", "{value: internet, label: {en: Internet access}}",
		"carry_forward: true\n        options:", "carry_forward: true\n        recode: {wifi: internet}\n        options:",
		"        change_check: {max_difference: 5}\n", "        change_check: {max_difference: 5}\n      - id: open_sunday\n        type: single_choice\n        label: {en: Open on Sundays}\n        options:\n          - {value: \"yes\", label: {en: \"Yes\"}}\n          - {value: \"no\", label: {en: \"No\"}}\n").Replace(statsWave)
	if _, _, err := f.svc.UpdateSurvey(admin, "stats-2026", campaign.Definition{Data: []byte(edited), Format: "yaml"}); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.SetStatus(admin, "stats-2026", survey.StatusOpen); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Invite(admin, "stats-2026", campaign.Invitees{PreviousWave: true}); err != nil {
		t.Fatal(err)
	}
	return f
}

// TestCarryForwardThroughThePersonalLinkOnly: each library's form opens
// with its own previous answers to the carry_forward questions (recoded
// as the new wave reads them), nothing else of them, and never another
// library's; a library that did not answer last time starts empty.
func TestCarryForwardThroughThePersonalLinkOnly(t *testing.T) {
	f := secondWave(t)
	ctx := context.Background()
	for _, c := range []struct {
		name string
		want string
	}{
		{"Alpha", `{"budget":1000,"services":["loans","internet"]}`},
		{"Beta", `{"budget":50000,"services":["events"]}`},
		{"Gamma", `{}`},
	} {
		res, err := f.svc.Resume(ctx, "stats-2026", f.link(t, "stats-2026", c.name))
		if err != nil {
			t.Fatal(err)
		}
		got, _ := survey.MarshalAnswers(res.Answers)
		// The directory prefills nothing in this survey: what is there is carried.
		if string(got) != c.want {
			t.Errorf("%s's new form opens with %s, want %s", c.name, got, c.want)
		}
		if (res.Previous != nil) != (c.name != "Gamma") {
			t.Errorf("%s: previous response %+v", c.name, res.Previous)
		}
		if res.Previous != nil && res.Previous.Wave.Slug != "stats-2025" {
			t.Errorf("%s: previous wave %s", c.name, res.Previous.Wave.Slug)
		}
	}
	// Confirming unchanged is submitting what was carried.
	token := f.link(t, "stats-2026", "Alpha")
	res, _ := f.svc.Resume(ctx, "stats-2026", token)
	raw := map[string]any{"budget": 1000.0, "services": []any{"loans", "internet"}}
	if _, err := f.svc.Submit(ctx, campaign.Submission{Survey: "stats-2026", Answers: raw, InvitationToken: token}); err != nil {
		t.Fatalf("confirming the carried answers: %v", err)
	}
	if res.Response != nil {
		t.Errorf("a carried form is not a response until sent: %+v", res.Response)
	}
	// The open form has no library: nothing to carry.
	if _, err := f.svc.Submit(ctx, campaign.Submission{Survey: "stats-2026", Answers: answers(t, `{"budget": 99000000}`)}); err != nil {
		t.Errorf("an anonymous answer is checked against nobody's previous one: %v", err)
	}
}

// TestChangeChecksAskForAnExplanation: an answer far from the library's
// own previous one needs an explanation, in the respondent's language,
// saying both values; within the rule (either limit) it does not; a draft
// is saved without; the explanation is stored, listed and exported.
func TestChangeChecksAskForAnExplanation(t *testing.T) {
	f := secondWave(t)
	alpha := f.link(t, "stats-2026", "Alpha")
	for _, c := range []struct {
		name, lang, answers string
		asked               []string
		message             string
	}{
		{"tripled and 2,000 more", "fr", `{"budget": 3000}`, []string{"budget_change_note"}, "La dernière fois, votre bibliothèque a répondu 1\u202f000\u202f; 3\u202f000 est un changement important."},
		{"tripled and 2,000 more, Spanish", "es", `{"budget": 3000}`, []string{"budget_change_note"}, "La última vez su biblioteca respondió 1000; 3000 es un cambio importante."},
		{"less than double", "en", `{"budget": 1999}`, nil, ""},
		{"ten times less but within 1,000", "en", `{"budget": 100}`, nil, ""},
		{"to zero, within 1,000", "en", `{"budget": 0}`, nil, ""},
		{"staff 4 to 10", "en", `{"budget": 1000, "staff": 10}`, []string{"staff_change_note"}, "Last time your library answered 4; 10 is a large change."},
		{"staff 4 to 9", "en", `{"budget": 1000, "staff": 9}`, nil, ""},
		{"blank explanation", "en", `{"budget": 5000, "budget_change_note": "   "}`, []string{"budget_change_note"}, ""},
	} {
		_, err := f.submit(t, "stats-2026", alpha, c.lang, c.answers)
		if c.asked == nil {
			if err != nil {
				t.Errorf("%s: %v, want it stored", c.name, err)
			}
			continue
		}
		wantCode(t, c.name, err, survey.EINVALID)
		var got []string
		for _, fe := range survey.ErrorFields(err) {
			got = append(got, fe.Question)
			if c.message != "" && !strings.HasPrefix(fe.Message, c.message) {
				t.Errorf("%s: message %q, want it to begin %q", c.name, fe.Message, c.message)
			}
		}
		if !slices.Equal(got, c.asked) {
			t.Errorf("%s: asked about %v, want %v", c.name, got, c.asked)
		}
	}
	ctx := context.Background()
	long := strings.Repeat("é", survey.MaxChangeNote+1)
	if _, err := f.submit(t, "stats-2026", alpha, "en", `{"budget": 4000, "budget_change_note": "`+long+`"}`); !slices.Contains(fieldQuestions(err), "budget_change_note") {
		t.Errorf("an explanation of %d characters: %v", survey.MaxChangeNote+1, err)
	}
	note := "We merged with the county library in March."
	res, err := f.submit(t, "stats-2026", alpha, "en", `{"budget": 4000, "budget_change_note": "`+note+`"}`)
	if err != nil {
		t.Fatal(err)
	}
	if got := res.Response.Answers.String("budget_change_note"); got != note {
		t.Errorf("stored explanation %q", got)
	}
	// Beta halves within 1,000? No: 50,000 to 20,000 breaks both limits.
	beta := f.link(t, "stats-2026", "Beta")
	// A draft keeps the change until the respondent explains it.
	if _, err := f.svc.Submit(ctx, campaign.Submission{Survey: "stats-2026", Answers: answers(t, `{"budget": 20000}`), InvitationToken: beta, Draft: true}); err != nil {
		t.Errorf("saving a draft with an unexplained change: %v", err)
	}
	if _, err := f.submit(t, "stats-2026", beta, "en", `{"budget": 20000, "budget_change_note": "=HYPERLINK(\"http://x\")"}`); err != nil {
		t.Fatal(err)
	}
	notes, err := f.svc.ChangeNotes(analyst, "stats-2026", "en")
	if err != nil {
		t.Fatal(err)
	}
	byLibrary := map[string]campaign.ChangeNote{}
	for _, n := range notes {
		byLibrary[n.Library] = n
	}
	a, b := byLibrary["Alpha Library"], byLibrary["Beta Library"]
	if len(notes) != 2 || a.Question != "budget" || a.Label != "Budget" || a.Previous == nil || *a.Previous != 1000 || a.Current != 4000 || a.Note != note {
		t.Errorf("listed notes %+v", notes)
	}
	if b.Previous == nil || *b.Previous != 50000 || b.Current != 20000 {
		t.Errorf("Beta's note %+v", b)
	}
	if _, err := f.svc.ChangeNotes(context.Background(), "stats-2026", "en"); survey.ErrorCode(err) != survey.EUNAUTHORIZED {
		t.Errorf("change notes without signing in: %v", err)
	}
}

func fieldQuestions(err error) []string {
	var out []string
	for _, fe := range survey.ErrorFields(err) {
		out = append(out, fe.Question)
	}
	return out
}

// TestWavesStayInOrder: two next waves made at once with one label give
// one wave; an uploaded survey cannot take a label its series has; a new
// version cannot move a wave; a draft wave's links are not issued.
func TestWavesStayInOrder(t *testing.T) {
	f := secondWave(t)
	errs := make([]error, 4)
	var wg sync.WaitGroup
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = f.svc.CreateWave(admin, "stats-2026", campaign.NewWave{Slug: "stats-2027-" + string(rune('a'+i)), Wave: "2027"})
		}()
	}
	wg.Wait()
	made := 0
	for _, err := range errs {
		if err == nil {
			made++
		} else if !slices.Contains(fieldPaths(err), "wave") {
			t.Errorf("a simultaneous wave: %v", err)
		}
	}
	if made != 1 {
		t.Errorf("%d waves labelled 2027 made at once, want 1", made)
	}
	dup := strings.NewReplacer("slug: stats-2025", "slug: stats-copy", "status: open\n", "").Replace(statsWave)
	_, _, err := f.svc.CreateSurvey(admin, campaign.Definition{Data: []byte(dup), Format: "yaml"})
	if !slices.Contains(fieldPaths(err), "wave") {
		t.Errorf("an upload labelled like an existing wave: %v", err)
	}
	moved := strings.NewReplacer("slug: stats-2025", "slug: stats-2026", `wave: "2025"`, `wave: "2001"`, "status: open\n", "").Replace(statsWave)
	_, _, err = f.svc.UpdateSurvey(admin, "stats-2026", campaign.Definition{Data: []byte(moved), Format: "yaml"})
	if !slices.Contains(fieldPaths(err), "wave") {
		t.Errorf("a new version moving the wave: %v", err)
	}
	var draft string
	for i, err := range errs {
		if err == nil {
			draft = "stats-2027-" + string(rune('a'+i))
		}
	}
	if _, err := f.svc.Invite(admin, draft, campaign.Invitees{PreviousWave: true}); err != nil {
		t.Fatal(err)
	}
	_, err = f.svc.MailMerge(admin, draft, campaign.MergeRequest{Mailing: campaign.MailingInvitations, Format: "csv", Base: "https://x.example"})
	wantCode(t, "links of a draft wave", err, survey.ECONFLICT)
}

// TestOnlyAskedExplanationsAreKept: an explanation nobody asked for (an
// anonymous response, a figure within its rule, a figure corrected back)
// is not stored.
func TestOnlyAskedExplanationsAreKept(t *testing.T) {
	f := secondWave(t)
	anon, err := f.svc.Submit(context.Background(), campaign.Submission{Survey: "stats-2026", Answers: answers(t, `{"budget": 5, "budget_change_note": "Toronto lied"}`)})
	if err != nil || anon.Response.Answers["budget_change_note"] != nil {
		t.Errorf("an anonymous explanation: %v %v", err, anon.Response.Answers)
	}
	alpha := f.link(t, "stats-2026", "Alpha")
	res, err := f.submit(t, "stats-2026", alpha, "en", `{"budget": 5000, "budget_change_note": "Merged."}`)
	if err != nil || res.Response.Answers.String("budget_change_note") != "Merged." {
		t.Fatalf("an asked explanation: %v", err)
	}
	res, err = f.submit(t, "stats-2026", alpha, "en", `{"budget": 1100, "budget_change_note": "Merged."}`)
	if err != nil || res.Response.Answers["budget_change_note"] != nil {
		t.Errorf("corrected back within the rule, the explanation stays: %v %v", err, res.Response.Answers)
	}
	if notes, _ := f.svc.ChangeNotes(analyst, "stats-2026", "en"); len(notes) != 0 {
		t.Errorf("listed %+v", notes)
	}
}

// TestAnUnlabelledWaveTakesALabelInPlace: a series whose first wave has no
// label (as the built-in landscape) may label it by a new version, so an
// old round can be imported before it; a label that would move it past
// the next wave is refused, and a labelled wave keeps its label.
func TestAnUnlabelledWaveTakesALabelInPlace(t *testing.T) {
	f := newWaves(t)
	first := strings.NewReplacer("slug: stats-2025", "slug: stats", "series: stats\n", "", `wave: "2025"`+"\n", "").Replace(statsWave)
	if _, _, err := f.svc.CreateSurvey(admin, campaign.Definition{Data: []byte(first), Format: "yaml"}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.CreateWave(admin, "stats", campaign.NewWave{Slug: "stats-2026", Wave: "2026"}); err != nil {
		t.Fatal(err)
	}
	version := func(label string) error {
		def := strings.Replace(first, "series: stats\n", "", 1)
		if label != "" {
			def = strings.Replace(def, "slug: stats\n", "slug: stats\nwave: \""+label+"\"\n", 1)
		}
		_, _, err := f.svc.UpdateSurvey(admin, "stats", campaign.Definition{Data: []byte(def), Format: "yaml"})
		return err
	}
	if err := version("2027"); !slices.Contains(fieldPaths(err), "wave") {
		t.Errorf("a label that moves the first wave after 2026: %v", err)
	}
	if err := version("2026"); !slices.Contains(fieldPaths(err), "wave") {
		t.Errorf("the next wave's label: %v", err)
	}
	if err := version("2024"); err != nil {
		t.Fatalf("a label in place: %v", err)
	}
	series, err := f.svc.SeriesOf(admin, "stats")
	if err != nil || len(series.Waves) < 2 || series.Waves[0].Slug != "stats" || series.Waves[0].Wave != "2024" {
		t.Fatalf("series %+v, %v", series, err)
	}
	if err := version("2023"); !slices.Contains(fieldPaths(err), "wave") {
		t.Errorf("relabelling a labelled wave: %v", err)
	}
}
