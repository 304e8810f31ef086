package store_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/metlib/canvass/survey"
	"github.com/metlib/canvass/survey/builtin"
	"github.com/metlib/canvass/survey/store"
	"github.com/metlib/canvass/survey/store/storetest"
)

func TestMain(m *testing.M) { storetest.Main(m) }

func impactSurvey(t *testing.T) *survey.Survey {
	t.Helper()
	ss, err := builtin.Surveys()
	if err != nil {
		t.Fatal(err)
	}
	return ss[1]
}

func TestSurveysRoundTrip(t *testing.T) {
	st := storetest.New(t)
	ctx := context.Background()
	s := impactSurvey(t)
	s.Status = survey.StatusOpen
	if err := st.CreateSurvey(ctx, s); err != nil {
		t.Fatal(err)
	}
	if err := st.CreateSurvey(ctx, s); survey.ErrorCode(err) != survey.ECONFLICT {
		t.Errorf("second create: %v, want conflict", err)
	}
	got, err := st.FindSurvey(ctx, s.Slug)
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != survey.StatusOpen || got.Version != 1 || len(got.Questions()) != len(s.Questions()) ||
		!reflect.DeepEqual(got.Question("methods_used").Options, s.Question("methods_used").Options) {
		t.Errorf("stored survey differs: %+v", got)
	}
	if err := st.SetSurveyStatus(ctx, s.Slug, survey.StatusClosed); err != nil {
		t.Fatal(err)
	}
	list, err := st.ListSurveyHeaders(ctx)
	if err != nil || len(list) != 1 || list[0].Status != survey.StatusClosed {
		t.Errorf("list = %v, %v", list, err)
	}
	if _, err := st.FindSurvey(ctx, "nope"); survey.ErrorCode(err) != survey.ENOTFOUND {
		t.Errorf("missing survey: %v", err)
	}
	if err := st.SetSurveyStatus(ctx, "nope", survey.StatusOpen); survey.ErrorCode(err) != survey.ENOTFOUND {
		t.Errorf("status of missing survey: %v", err)
	}
}

func TestInstallSurveyConcurrentlyInstallsOnce(t *testing.T) {
	st := storetest.New(t)
	ctx := context.Background()
	var wg sync.WaitGroup
	var mu sync.Mutex
	installed := 0
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ok, err := st.InstallSurvey(ctx, impactSurvey(t))
			if err != nil {
				t.Error(err)
			}
			if ok {
				mu.Lock()
				installed++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if installed != 1 {
		t.Errorf("installed %d times, want 1", installed)
	}
}

func TestResponsesAreStoredOncePerSubmissionID(t *testing.T) {
	st := storetest.New(t)
	ctx := context.Background()
	now := time.Now().UTC().Truncate(time.Millisecond)
	answers := survey.Answers{
		"library_name": "Bibliothèque de Lyon", "population_served": 522000.0,
		"methods_used": []string{"output_statistics", "other"}, "methods_used_other": "Mystery shopping",
		"method_frequency": map[string]string{"output_statistics": "annual"},
	}
	r := &survey.Response{SurveySlug: "impact-methods", SurveyVersion: 1, SubmissionID: "sub-1", Language: "fr",
		Status: survey.ResponseSubmitted, Answers: answers, Source: "api", CreatedAt: now, UpdatedAt: now, SubmittedAt: &now}
	stored, created, err := st.CreateResponse(ctx, r)
	if err != nil || !created || stored.ID == "" {
		t.Fatalf("first create: %v, %v, %v", stored, created, err)
	}
	again, created, err := st.CreateResponse(ctx, &survey.Response{SurveySlug: "impact-methods", SubmissionID: "sub-1", Answers: survey.Answers{"x": "y"}, CreatedAt: now})
	if err != nil || created || again.ID != stored.ID {
		t.Fatalf("retry: id %v created %v err %v; want the stored %s", again.ID, created, err, stored.ID)
	}
	if !again.Answers.Equal(answers) {
		t.Errorf("answers came back as %#v, want %#v", again.Answers, answers)
	}
	found, err := st.FindResponse(ctx, stored.ID)
	if err != nil {
		t.Fatal(err)
	}
	if found.Language != "fr" || !found.SubmittedAt.Equal(now) || found.SurveyVersion != 1 || !found.Answers.Equal(answers) {
		t.Errorf("found %+v", found)
	}
	// The same submission id in another survey is another response.
	if _, created, _ := st.CreateResponse(ctx, &survey.Response{SurveySlug: "landscape", SubmissionID: "sub-1", Status: survey.ResponseSubmitted, CreatedAt: now}); !created {
		t.Error("submission ids are scoped per survey")
	}
	if _, err := st.FindResponse(ctx, "0123456789abcdef01234567"); survey.ErrorCode(err) != survey.ENOTFOUND {
		t.Errorf("missing response: %v", err)
	}
	if _, err := st.FindResponse(ctx, "not-an-id"); survey.ErrorCode(err) != survey.ENOTFOUND {
		t.Errorf("malformed id: %v", err)
	}
}

func TestConcurrentIdenticalCreatesStoreOne(t *testing.T) {
	st := storetest.New(t)
	ctx := context.Background()
	var wg sync.WaitGroup
	var mu sync.Mutex
	created, ids := 0, map[string]bool{}
	for i := 0; i < 20; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r, ok, err := st.CreateResponse(ctx, &survey.Response{SurveySlug: "s", SubmissionID: "same", Status: survey.ResponseSubmitted, CreatedAt: time.Now()})
			if err != nil {
				t.Error(err)
				return
			}
			mu.Lock()
			defer mu.Unlock()
			ids[r.ID] = true
			if ok {
				created++
			}
		}()
	}
	wg.Wait()
	if n, _ := st.CountResponses(ctx, "s"); created != 1 || len(ids) != 1 || n != 1 {
		t.Errorf("created %d, distinct ids %d, stored %d; want 1, 1, 1", created, len(ids), n)
	}
}

func TestListResponsesPages(t *testing.T) {
	st := storetest.New(t)
	ctx := context.Background()
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := 0; i < 7; i++ {
		status := survey.ResponseSubmitted
		if i == 6 {
			status = survey.ResponseDraft
		}
		if _, _, err := st.CreateResponse(ctx, &survey.Response{SurveySlug: "s", SubmissionID: fmt.Sprint(i), Status: status, CreatedAt: base.Add(time.Duration(i) * time.Hour)}); err != nil {
			t.Fatal(err)
		}
	}
	page, total, err := st.ListResponses(ctx, survey.ResponseFilter{SurveySlug: "s", Offset: 2, Limit: 3})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range page {
		got = append(got, r.SubmissionID)
	}
	if total != 7 || strings.Join(got, ",") != "2,3,4" {
		t.Errorf("page %v of %d, want 2,3,4 of 7", got, total)
	}
	_, total, _ = st.ListResponses(ctx, survey.ResponseFilter{SurveySlug: "s", Status: survey.ResponseSubmitted})
	if n, _ := st.CountResponses(ctx, "s"); total != 6 || n != 6 {
		t.Errorf("submitted: listed %d, counted %d, want 6", total, n)
	}
}

func TestTokens(t *testing.T) {
	st := storetest.New(t)
	ctx := context.Background()
	secret, hash := survey.NewTokenSecret()
	tok := &survey.APIToken{Name: "ci", Role: survey.RoleAnalyst, Hash: hash, CreatedAt: time.Now().UTC()}
	if err := st.CreateToken(ctx, tok); err != nil {
		t.Fatal(err)
	}
	found, err := st.FindTokenByHash(ctx, survey.HashToken(secret))
	if err != nil || found.ID != tok.ID || found.Role != survey.RoleAnalyst || found.RevokedAt != nil {
		t.Fatalf("find: %+v %v", found, err)
	}
	if err := st.TouchToken(ctx, tok.ID, time.Now()); err != nil {
		t.Fatal(err)
	}
	if err := st.RevokeToken(ctx, tok.ID); err != nil {
		t.Fatal(err)
	}
	found, _ = st.FindTokenByHash(ctx, hash)
	if found.RevokedAt == nil || found.LastUsedAt == nil {
		t.Errorf("revoked/last used not recorded: %+v", found)
	}
	if _, err := st.FindTokenByHash(ctx, "nope"); survey.ErrorCode(err) != survey.ENOTFOUND {
		t.Errorf("unknown token: %v", err)
	}
	if err := st.RevokeToken(ctx, "0123456789abcdef01234567"); survey.ErrorCode(err) != survey.ENOTFOUND {
		t.Errorf("revoke unknown: %v", err)
	}
	list, _ := st.ListTokens(ctx)
	if len(list) != 1 || list[0].Hash != hash || strings.Contains(list[0].Hash, secret) {
		t.Errorf("list %+v", list)
	}
}

func TestSecretIsSharedAndStable(t *testing.T) {
	st := storetest.New(t)
	ctx := context.Background()
	a, err := st.Secret(ctx, "csrf")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := st.Secret(ctx, "csrf")
	c, _ := st.Secret(ctx, "other")
	if len(a) != 32 || !reflect.DeepEqual(a, b) || reflect.DeepEqual(a, c) {
		t.Errorf("secrets a=%x b=%x c=%x", a, b, c)
	}
}

func TestDataDirHasOneOwner(t *testing.T) {
	dir := t.TempDir()
	logger := slog.New(slog.NewTextHandler(os.Stderr, nil))
	first, err := store.StartEmbedded(dir, logger)
	if err != nil {
		t.Fatal(err)
	}
	_, err = store.StartEmbedded(dir, logger)
	if !errors.Is(err, store.ErrDataDirInUse) || !strings.Contains(err.Error(), fmt.Sprintf("pid %d", os.Getpid())) {
		t.Errorf("second owner: %v, want ErrDataDirInUse naming our pid", err)
	}
	// A second process reaches the owner's server through the URI it published.
	uri, err := store.RunningURI(dir)
	if err != nil || uri != first.URI {
		t.Errorf("RunningURI = %q, %v; want %q", uri, err, first.URI)
	}
	st, err := store.Open(context.Background(), uri, "owner_test")
	if err != nil {
		t.Fatal(err)
	}
	if info, err := os.Stat(dir); err != nil || info.Mode().Perm() != 0o700 {
		t.Errorf("data dir mode %v, want 0700", info.Mode().Perm())
	}
	if _, err := os.Stat(filepath.Join(dir, "mongodb.sock")); err != nil {
		t.Errorf("no Unix socket: %v", err)
	}
	_ = st.Close(context.Background())
	if err := first.Close(); err != nil {
		t.Fatal(err)
	}
	again, err := store.StartEmbedded(dir, logger)
	if err != nil {
		t.Fatalf("restart after close: %v", err)
	}
	_ = again.Close()
}

func TestUnreachableStoreIsUnavailable(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	_, err := store.Open(ctx, "mongodb://127.0.0.1:1/?serverSelectionTimeoutMS=300&connectTimeoutMS=300", "x")
	if err == nil || survey.ErrorCode(errors.Unwrap(err)) != survey.EUNAVAILABLE {
		t.Errorf("open unreachable: %v (code %q), want unavailable", err, survey.ErrorCode(errors.Unwrap(err)))
	}
}

// TestConcurrentMixedCreatesAreBatchedCorrectly sends duplicates and new
// responses at once, so they share insertMany batches: each caller must
// still learn its own outcome.
func TestConcurrentMixedCreatesAreBatchedCorrectly(t *testing.T) {
	st := storetest.New(t)
	ctx := context.Background()
	var wg sync.WaitGroup
	var created, duplicates atomic.Int32
	for i := 0; i < 60; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			id := fmt.Sprintf("distinct-%03d", i)
			if i%3 == 0 {
				id = "shared-id"
			}
			r, ok, err := st.CreateResponse(ctx, &survey.Response{SurveySlug: "s", SubmissionID: id, Status: survey.ResponseSubmitted, CreatedAt: time.Now()})
			if err != nil || r.SubmissionID != id {
				t.Errorf("%s: %v %v", id, r, err)
				return
			}
			if ok {
				created.Add(1)
			} else {
				duplicates.Add(1)
			}
		}(i)
	}
	wg.Wait()
	n, _ := st.CountResponses(ctx, "s")
	if created.Load() != 41 || duplicates.Load() != 19 || n != 41 {
		t.Errorf("created %d, duplicates %d, stored %d; want 41, 19, 41", created.Load(), duplicates.Load(), n)
	}
}
