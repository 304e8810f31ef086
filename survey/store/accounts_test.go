package store_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/metlib/canvass/survey"
	"github.com/metlib/canvass/survey/store/storetest"
)

func TestUsers(t *testing.T) {
	st := storetest.New(t)
	ctx := context.Background()
	u := &survey.User{Email: "ana@example.org", Name: "Ana", Role: survey.RoleAdmin, PasswordHash: survey.HashPassword("correct horse battery")}
	if err := st.CreateUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	if err := st.CreateUser(ctx, &survey.User{Email: "ana@example.org", Role: survey.RoleAnalyst}); survey.ErrorCode(err) != survey.ECONFLICT {
		t.Errorf("duplicate email: %v", err)
	}
	found, err := st.FindUserByEmail(ctx, "ana@example.org")
	if err != nil || found.ID != u.ID || !survey.CheckPassword(found.PasswordHash, "correct horse battery") {
		t.Fatalf("find: %+v %v", found, err)
	}
	found.Role, found.Disabled = survey.RoleAnalyst, true
	if err := st.UpdateUser(ctx, found); err != nil {
		t.Fatal(err)
	}
	if err := st.SetPassword(ctx, u.ID, survey.HashPassword("another long password")); err != nil {
		t.Fatal(err)
	}
	again, _ := st.FindUserByID(ctx, u.ID)
	if again.Role != survey.RoleAnalyst || !again.Disabled || !survey.CheckPassword(again.PasswordHash, "another long password") {
		t.Errorf("after update: %+v", again)
	}
	if n, _ := st.CountUsers(ctx); n != 1 {
		t.Errorf("count %d", n)
	}
	if _, err := st.FindUserByID(ctx, "nope"); survey.ErrorCode(err) != survey.ENOTFOUND {
		t.Errorf("unknown id: %v", err)
	}
	if err := st.SetPassword(ctx, "0123456789abcdef01234567", "x"); survey.ErrorCode(err) != survey.ENOTFOUND {
		t.Errorf("set password of unknown user: %v", err)
	}
}

func TestSessions(t *testing.T) {
	st := storetest.New(t)
	ctx := context.Background()
	now := time.Now().UTC().Truncate(time.Millisecond)
	_, hash := survey.NewSecret()
	s := &survey.Session{Hash: hash, UserID: "u1", CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(survey.SessionAbsoluteTimeout)}
	if err := st.CreateSession(ctx, s); err != nil {
		t.Fatal(err)
	}
	later := now.Add(time.Hour)
	if err := st.TouchSession(ctx, hash, later); err != nil {
		t.Fatal(err)
	}
	found, err := st.FindSession(ctx, hash)
	if err != nil || !found.LastSeenAt.Equal(later) || found.UserID != "u1" {
		t.Fatalf("find: %+v %v", found, err)
	}
	if err := st.DeleteUserSessions(ctx, "u1"); err != nil {
		t.Fatal(err)
	}
	if _, err := st.FindSession(ctx, hash); survey.ErrorCode(err) != survey.ENOTFOUND {
		t.Errorf("deleted session found: %v", err)
	}
}

func TestPasswordTokensWorkOnce(t *testing.T) {
	st := storetest.New(t)
	ctx := context.Background()
	now := time.Now().UTC()
	secret, hash := survey.NewSecret()
	setup := &survey.PasswordToken{Hash: hash, Purpose: "setup", CreatedAt: now, ExpiresAt: now.Add(time.Hour)}
	if err := st.CreatePasswordToken(ctx, setup); err != nil {
		t.Fatal(err)
	}
	_, other := survey.NewSecret()
	if err := st.CreatePasswordToken(ctx, &survey.PasswordToken{Hash: other, Purpose: "setup", CreatedAt: now, ExpiresAt: now.Add(time.Hour)}); survey.ErrorCode(err) != survey.ECONFLICT {
		t.Errorf("second setup link: %v", err)
	}
	if _, err := st.PeekPasswordToken(ctx, survey.HashSecret(secret), now); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	taken := 0
	for i := 0; i < 5; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := st.TakePasswordToken(ctx, hash, now); err == nil {
				mu.Lock()
				taken++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if taken != 1 {
		t.Errorf("token taken %d times, want once", taken)
	}
	// Expired links are refused, and make way for a new setup link.
	_, expired := survey.NewSecret()
	_ = st.CreatePasswordToken(ctx, &survey.PasswordToken{Hash: expired, Purpose: "reset", UserID: "u", CreatedAt: now, ExpiresAt: now.Add(time.Minute)})
	if _, err := st.TakePasswordToken(ctx, expired, now.Add(2*time.Minute)); survey.ErrorCode(err) != survey.ENOTFOUND {
		t.Errorf("expired token: %v", err)
	}
}

func TestAuditLog(t *testing.T) {
	st := storetest.New(t)
	ctx := context.Background()
	base := time.Date(2026, 5, 1, 10, 0, 0, 0, time.UTC)
	for i, e := range []survey.AuditEntry{
		{Actor: "ana@example.org", Action: "survey.create", Target: "survey:a"},
		{Actor: "token:ci", Action: "survey.publish", Target: "survey:a"},
		{Actor: "ana@example.org", Action: "response.delete", Target: "response:1"},
	} {
		e.At = base.Add(time.Duration(i) * time.Hour)
		if err := st.RecordAudit(ctx, &e); err != nil {
			t.Fatal(err)
		}
	}
	all, total, err := st.ListAudit(ctx, survey.AuditFilter{})
	if err != nil || total != 3 || all[0].Action != "response.delete" {
		t.Fatalf("all: %d %v %v", total, all, err)
	}
	mine, total, _ := st.ListAudit(ctx, survey.AuditFilter{Actor: "ana@example.org"})
	if total != 2 || len(mine) != 2 {
		t.Errorf("by actor: %d", total)
	}
	from := base.Add(30 * time.Minute)
	to := base.Add(90 * time.Minute)
	window, total, _ := st.ListAudit(ctx, survey.AuditFilter{From: &from, To: &to})
	if total != 1 || window[0].Actor != "token:ci" {
		t.Errorf("by time: %d %v", total, window)
	}
}

func TestLoginThrottle(t *testing.T) {
	st := storetest.New(t)
	ctx := context.Background()
	now := time.Date(2026, 5, 1, 10, 0, 0, 0, time.UTC)
	key := "email:ana@example.org"
	reserve := func(key string, at time.Time) (string, time.Duration) {
		t.Helper()
		id, wait, err := st.ReserveLogin(ctx, key, at)
		if err != nil {
			t.Fatal(err)
		}
		return id, wait
	}
	for i := 0; i < survey.LoginMaxAccountFailures; i++ {
		if id, wait := reserve(key, now.Add(time.Duration(i)*10*time.Second)); wait != 0 || id == "" {
			t.Fatalf("attempt %d: wait %v, id %q; want counted", i+1, wait, id)
		}
	}
	// The sixth is refused until the first is LoginWindow old.
	id, wait := reserve(key, now.Add(time.Minute))
	if id != "" || wait != survey.LoginWindow-time.Minute {
		t.Errorf("sixth attempt: id %q wait %v, want none and %v", id, wait, survey.LoginWindow-time.Minute)
	}
	// Refused attempts are not counted: once the first leaves the window one
	// more may try, and then the account is full again.
	if id, wait := reserve(key, now.Add(survey.LoginWindow+time.Millisecond)); wait != 0 || id == "" {
		t.Errorf("after the first attempt left the window: wait %v", wait)
	}
	if _, wait := reserve(key, now.Add(survey.LoginWindow+2*time.Millisecond)); wait != 10*time.Second-2*time.Millisecond {
		t.Errorf("a sixth attempt in the sliding window: wait %v, want %v (until the second attempt is %v old)", wait, 10*time.Second-2*time.Millisecond, survey.LoginWindow)
	}
	// A release uncounts one attempt; a success clears them all.
	rid, _ := reserve("ip:192.0.2.1", now)
	if err := st.ReleaseLogin(ctx, rid); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < survey.LoginMaxAddressFailures; i++ {
		if _, wait := reserve("ip:192.0.2.1", now); wait != 0 {
			t.Fatalf("address refused after %d attempts (one released), want %d allowed", i, survey.LoginMaxAddressFailures)
		}
	}
	if _, wait := reserve("ip:192.0.2.1", now); wait == 0 {
		t.Errorf("address allowed past %d attempts", survey.LoginMaxAddressFailures)
	}
	if err := st.LoginSucceeded(ctx, key); err != nil {
		t.Fatal(err)
	}
	if _, wait := reserve(key, now.Add(survey.LoginWindow+time.Second)); wait != 0 {
		t.Errorf("blocked after a success cleared the account: %v", wait)
	}
}

// TestConcurrentLoginAttemptsAreCounted races 60 attempts at one account on
// the embedded server: at most the limit may go ahead (fewer when counts
// overlap), and since refused attempts uncount themselves, exactly the
// limit in all once the race is over. How fast the server answers is not
// under test, so the calls get a deadline that tolerates a loaded machine
// (60 concurrent attempts under -race on 2 busy cores took over the
// default 10 s).
func TestConcurrentLoginAttemptsAreCounted(t *testing.T) {
	st := storetest.New(t)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	now := time.Date(2026, 5, 1, 10, 0, 0, 0, time.UTC)
	var wg sync.WaitGroup
	var mu sync.Mutex
	allowed, refused := 0, 0
	for range 60 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, wait, err := st.ReserveLogin(ctx, "email:ana@example.org", now)
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err != nil:
				t.Error(err)
			case wait == 0:
				allowed++
			default:
				refused++
			}
		}()
	}
	wg.Wait()
	t.Logf("60 concurrent attempts: %d allowed, %d refused", allowed, refused)
	if allowed > survey.LoginMaxAccountFailures || allowed+refused != 60 {
		t.Errorf("%d allowed, %d refused; want at most %d allowed", allowed, refused, survey.LoginMaxAccountFailures)
	}
	later := 0
	for {
		_, wait, err := st.ReserveLogin(ctx, "email:ana@example.org", now.Add(time.Second))
		if err != nil {
			t.Fatal(err)
		}
		if wait > 0 {
			break
		}
		if later++; allowed+later > survey.LoginMaxAccountFailures {
			break
		}
	}
	if allowed+later != survey.LoginMaxAccountFailures {
		t.Errorf("%d allowed in the race and %d after it, want %d in all", allowed, later, survey.LoginMaxAccountFailures)
	}
}

func TestSurveyVersionsAndFilters(t *testing.T) {
	st := storetest.New(t)
	ctx := context.Background()
	s := impactSurvey(t)
	s.Status = survey.StatusOpen
	if err := st.CreateSurvey(ctx, s); err != nil {
		t.Fatal(err)
	}
	v2 := impactSurvey(t)
	v2.Title["en"] = "Impact methods, second edition"
	if err := st.UpdateSurvey(ctx, v2); err != nil {
		t.Fatal(err)
	}
	cur, _ := st.FindSurvey(ctx, s.Slug)
	old, err := st.FindSurveyVersion(ctx, s.Slug, 1)
	if err != nil || cur.Version != 2 || cur.Status != survey.StatusOpen || cur.Title["en"] != "Impact methods, second edition" || old.Title["en"] != "Impact measurement methods survey" {
		t.Errorf("current v%d %q (%s), old %q %v", cur.Version, cur.Title["en"], cur.Status, old.Title["en"], err)
	}
	if _, err := st.FindSurveyVersion(ctx, s.Slug, 9); survey.ErrorCode(err) != survey.ENOTFOUND {
		t.Errorf("missing version: %v", err)
	}
	opens := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	if err := st.SetSurveyDates(ctx, s.Slug, &opens, nil); err != nil {
		t.Fatal(err)
	}
	if cur, _ = st.FindSurvey(ctx, s.Slug); cur.OpensAt == nil || !cur.OpensAt.Equal(opens) || cur.AcceptingAt(opens.Add(-time.Hour)) {
		t.Errorf("dates: %v", cur.OpensAt)
	}

	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i, r := range []survey.Response{
		{Language: "en", Region: survey.Europe},
		{Language: "fr", Region: survey.Europe},
		{Language: "fr", Region: survey.SubSaharanAfrica},
	} {
		r.SurveySlug, r.SubmissionID, r.Status, r.CreatedAt = s.Slug, string(rune('a'+i))+"-subid", survey.ResponseSubmitted, base.AddDate(0, 0, i)
		if _, _, err := st.CreateResponse(ctx, &r); err != nil {
			t.Fatal(err)
		}
	}
	to := base.AddDate(0, 0, 2)
	for _, tc := range []struct {
		f    survey.ResponseFilter
		want int
	}{
		{survey.ResponseFilter{Region: survey.Europe}, 2},
		{survey.ResponseFilter{Language: "fr"}, 2},
		{survey.ResponseFilter{Language: "fr", Region: survey.Europe}, 1},
		{survey.ResponseFilter{From: &base, To: &to}, 2},
		// A coordinator's regions, alone and with a region filter: theirs,
		// or another (nothing).
		{survey.ResponseFilter{Regions: []survey.Region{survey.SubSaharanAfrica, survey.NorthAmerica}}, 1},
		{survey.ResponseFilter{Regions: []survey.Region{survey.Europe, survey.SubSaharanAfrica}, Region: survey.Europe}, 2},
		{survey.ResponseFilter{Regions: []survey.Region{survey.SubSaharanAfrica}, Region: survey.Europe}, 0},
	} {
		tc.f.SurveySlug = s.Slug
		if _, n, err := st.ListResponses(ctx, tc.f); err != nil || n != tc.want {
			t.Errorf("filter %+v: %d, want %d (%v)", tc.f, n, tc.want, err)
		}
		// Match, the filter's meaning for responses in memory, agrees.
		all, _, _ := st.ListResponses(ctx, survey.ResponseFilter{SurveySlug: s.Slug})
		matched := 0
		for _, r := range all {
			if tc.f.Match(r) {
				matched++
			}
		}
		if matched != tc.want {
			t.Errorf("Match of %+v: %d, want %d", tc.f, matched, tc.want)
		}
	}
	list, _, _ := st.ListResponses(ctx, survey.ResponseFilter{SurveySlug: s.Slug})
	if err := st.DeleteResponse(ctx, list[0].ID); err != nil {
		t.Fatal(err)
	}
	if err := st.DeleteResponse(ctx, list[0].ID); survey.ErrorCode(err) != survey.ENOTFOUND {
		t.Errorf("delete twice: %v", err)
	}
	if n, _ := st.CountResponses(ctx, s.Slug); n != 2 {
		t.Errorf("%d left", n)
	}
}

func TestStreamResponsesInOrder(t *testing.T) {
	st := storetest.New(t)
	ctx := context.Background()
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := 1200; i > 0; i-- { // inserted newest first; streamed oldest first, over several cursor batches
		at := base.Add(time.Duration(i) * time.Minute)
		if _, _, err := st.CreateResponse(ctx, &survey.Response{SurveySlug: "s", SubmissionID: fmt.Sprintf("each-%05d", i), Status: survey.ResponseSubmitted, CreatedAt: at, Answers: survey.Answers{"n": float64(i)}}); err != nil {
			t.Fatal(err)
		}
	}
	var got []float64
	for r, err := range st.StreamResponses(ctx, survey.ResponseFilter{SurveySlug: "s"}) {
		if err != nil {
			t.Fatal(err)
		}
		n, _ := r.Answers.Number("n")
		got = append(got, n)
	}
	if len(got) != 1200 || got[0] != 1 || got[1199] != 1200 {
		t.Fatalf("streamed %d, first %v", len(got), got[:1])
	}
	seen := 0
	for range st.StreamResponses(ctx, survey.ResponseFilter{SurveySlug: "s"}) {
		if seen++; seen == 3 {
			break // a consumer that stops early closes the cursor
		}
	}
	if seen != 3 {
		t.Errorf("stopped after %d", seen)
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	var failed error
	for _, err := range st.StreamResponses(cancelled, survey.ResponseFilter{SurveySlug: "s"}) {
		failed = err
	}
	if failed == nil {
		t.Error("a cancelled stream ended without an error")
	}
}

// TestResponseFilterOneMeaning: From and To compare the submission time,
// in the query (lists, streams) and in Match alike; answer conditions are
// applied to the decoded answers.
func TestResponseFilterOneMeaning(t *testing.T) {
	st := storetest.New(t)
	ctx := context.Background()
	day := func(d int) time.Time { return time.Date(2026, 3, d, 12, 0, 0, 0, time.UTC) }
	ptr := func(t time.Time) *time.Time { return &t }
	for _, r := range []*survey.Response{
		// Saved as a draft on day 1, submitted on day 3: a day-3 submission.
		{SubmissionID: "late", Status: survey.ResponseSubmitted, CreatedAt: day(1), SubmittedAt: ptr(day(3)), Answers: survey.Answers{"m": []string{"a", "b"}, "lik": float64(4)}},
		{SubmissionID: "early", Status: survey.ResponseSubmitted, CreatedAt: day(1), SubmittedAt: ptr(day(1)), Answers: survey.Answers{"m": []string{"b"}, "lik": float64(2)}},
		// A draft never submitted is placed by when it was created.
		{SubmissionID: "draft", Status: survey.ResponseDraft, CreatedAt: day(4), Answers: survey.Answers{"m": []string{"a"}}},
		{SubmissionID: "sub5", Status: survey.ResponseSubmitted, CreatedAt: day(5), SubmittedAt: ptr(day(5)), Answers: survey.Answers{"m": []string{"a"}, "lik": float64(4)}},
	} {
		r.SurveySlug = "s"
		if _, _, err := st.CreateResponse(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range []struct {
		name string
		f    survey.ResponseFilter
		want string
	}{
		{"from day 2", survey.ResponseFilter{From: ptr(day(2).Truncate(24 * time.Hour))}, "late draft sub5"},
		{"to day 2", survey.ResponseFilter{To: ptr(day(2).Truncate(24 * time.Hour))}, "early"},
		{"submitted from day 2 to day 4", survey.ResponseFilter{Status: survey.ResponseSubmitted, From: ptr(day(2).Truncate(24 * time.Hour)), To: ptr(day(5).Truncate(24 * time.Hour))}, "late"},
		{"a chosen", survey.ResponseFilter{Answers: map[string]string{"m": "a"}}, "late draft sub5"},
		{"a chosen and likert 4", survey.ResponseFilter{Answers: map[string]string{"m": "a", "lik": "4"}}, "late sub5"},
		{"a chosen, from day 2, submitted", survey.ResponseFilter{Status: survey.ResponseSubmitted, From: ptr(day(2).Truncate(24 * time.Hour)), Answers: map[string]string{"m": "a"}}, "late sub5"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.f.SurveySlug = "s"
			var streamed []string
			for r, err := range st.StreamResponses(ctx, tc.f) {
				if err != nil {
					t.Fatal(err)
				}
				streamed = append(streamed, r.SubmissionID)
			}
			list, total, err := st.ListResponses(ctx, tc.f)
			if err != nil {
				t.Fatal(err)
			}
			var listed, matched []string
			for _, r := range list {
				listed = append(listed, r.SubmissionID)
			}
			all, _, _ := st.ListResponses(ctx, survey.ResponseFilter{SurveySlug: "s"})
			for _, r := range all {
				if tc.f.Match(r) {
					matched = append(matched, r.SubmissionID)
				}
			}
			want := strings.Fields(tc.want)
			if !slices.Equal(streamed, want) || !slices.Equal(listed, want) || total != len(want) || !slices.Equal(matched, want) {
				t.Errorf("streamed %v, listed %v (total %d), matched %v; want %v", streamed, listed, total, matched, want)
			}
		})
	}
	// Answer conditions page like the rest: the second of three.
	page, total, err := st.ListResponses(ctx, survey.ResponseFilter{SurveySlug: "s", Answers: map[string]string{"m": "a"}, Offset: 1, Limit: 1})
	if err != nil || total != 3 || len(page) != 1 || page[0].SubmissionID != "draft" {
		t.Errorf("page 2 of answer m=a: %v total %d, %v", page, total, err)
	}
}
