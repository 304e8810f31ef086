package web_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/metlib/canvass/internal/memtest"
	"github.com/metlib/canvass/survey"
)

// largeDraft is a valid draft of about 400 KB (45 text questions with
// 9,000-character labels).
func largeDraft(t *testing.T, slug string) *survey.Survey {
	t.Helper()
	qs := make([]*survey.Question, 45)
	for i := range qs {
		qs[i] = &survey.Question{ID: fmt.Sprintf("q%d", i), Type: survey.ShortText, Label: survey.Text{"en": strings.Repeat("y", 9000)}}
	}
	s := &survey.Survey{Slug: slug, Version: 1, Status: survey.StatusDraft, DefaultLanguage: "en", Languages: []string{"en"},
		Title: survey.Text{"en": "Huge draft " + slug}, Sections: []*survey.Section{{ID: "s", Questions: qs}}}
	if err := s.Validate(); err != nil {
		t.Fatal(err)
	}
	return s
}

// TestIndexAndListIgnoreLargeDrafts: the public index and the API list read
// the surveys' headers, not their definitions, so large stored drafts cost
// them neither time nor memory.
func TestIndexAndListIgnoreLargeDrafts(t *testing.T) {
	a := newApp(t)
	for _, slug := range []string{"huge-1", "huge-2", "huge-3"} {
		if err := a.store.CreateSurvey(context.Background(), largeDraft(t, slug)); err != nil {
			t.Fatal(err)
		}
	}
	headers, err := a.store.ListSurveyHeaders(context.Background())
	if err != nil {
		t.Fatal(err)
	}

	var body string
	use := memtest.Measure(func() {
		rec := a.do(request{path: "/"})
		if rec.Code != 200 {
			t.Errorf("GET / = %d", rec.Code)
		}
		body = rec.Body.String()
	})
	t.Logf("GET / with 3 × 400 KB drafts stored: %v", use)
	// Reading the drafts made the embedded database allocate 14 MiB for
	// these three (survey/store/surveys_list_test.go measured it).
	if use.TotalAlloc > 4<<20 {
		t.Errorf("GET /: %v, want under 4 MiB allocated", use)
	}
	if strings.Contains(body, "Huge draft") {
		t.Error("the index lists a draft")
	}
	// The index links exactly the surveys accepting responses, whatever
	// the full definitions read independently say.
	var full []*survey.Survey // each read alone, as when it is opened
	for _, h := range headers {
		s, err := a.store.FindSurvey(context.Background(), h.Slug)
		if err != nil {
			t.Fatal(err)
		}
		full = append(full, s)
		link := `href="/s/` + s.Slug + `?`
		if accepting := s.AcceptingAt(time.Now()); strings.Contains(body, link) != accepting {
			t.Errorf("index links %s: %v, want %v", s.Slug, !accepting, accepting)
		}
	}

	rec := a.do(request{path: "/api/v1/surveys", token: a.token(survey.RoleAnalyst)})
	if rec.Code != 200 {
		t.Fatalf("list = %d %s", rec.Code, rec.Body)
	}
	list := decode[struct {
		Surveys []struct {
			Slug, Status string
			Title        survey.Text
		}
	}](t, rec)
	var got []string
	for _, s := range list.Surveys {
		got = append(got, s.Slug+" "+s.Status+" "+s.Title["en"])
	}
	var want []string
	for _, s := range full {
		want = append(want, s.Slug+" "+string(s.Status)+" "+s.Title["en"])
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("API list:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
