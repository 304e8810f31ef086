package store_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/metlib/canvass/internal/memtest"
	"github.com/metlib/canvass/survey"
	"github.com/metlib/canvass/survey/store/storetest"
)

// bigDraft is a valid draft of about 400 KB (with n = 45): n text questions whose labels
// are 9,000 characters, the shape that made listings read megabytes.
func bigDraft(t *testing.T, slug string, n int) *survey.Survey {
	t.Helper()
	qs := make([]*survey.Question, n)
	for i := range qs {
		qs[i] = &survey.Question{ID: fmt.Sprintf("q%d", i), Type: survey.ShortText, Label: survey.Text{"en": strings.Repeat("x", 9000)}}
	}
	s := &survey.Survey{Slug: slug, Version: 1, Status: survey.StatusDraft, DefaultLanguage: "en", Languages: []string{"en", "fr"},
		Title:    survey.Text{"en": "Draft " + slug, "fr": "Brouillon " + slug},
		Sections: []*survey.Section{{ID: "s", Questions: qs}}}
	if err := s.Validate(); err != nil {
		t.Fatal(err)
	}
	return s
}

func TestListSurveyHeadersSkipsDefinitions(t *testing.T) {
	st := storetest.New(t)
	ctx := context.Background()
	open := impactSurvey(t)
	open.Status = survey.StatusOpen
	if err := st.CreateSurvey(ctx, open); err != nil {
		t.Fatal(err)
	}
	for _, slug := range []string{"big-a", "big-b", "big-c"} {
		if err := st.CreateSurvey(ctx, bigDraft(t, slug, 45)); err != nil {
			t.Fatal(err)
		}
	}
	// Status changes without a new version: the header must show the new one.
	if err := st.SetSurveyStatus(ctx, "big-b", survey.StatusClosed); err != nil {
		t.Fatal(err)
	}
	if err := st.CreateSurvey(ctx, bigDraft(t, "small-d", 2)); err != nil {
		t.Fatal(err)
	}
	next := bigDraft(t, "small-d", 3)
	next.Title = survey.Text{"en": "Renamed", "fr": "Renommé"}
	if err := st.UpdateSurvey(ctx, next); err != nil {
		t.Fatal(err)
	}

	var all []*survey.Survey
	use := memtest.Measure(func() {
		var err error
		if all, err = st.ListSurveyHeaders(ctx); err != nil {
			t.Error(err)
		}
	})
	// Drafts of 400 KB (not larger) so that storing them fits the store's
	// operation timeout under -race; reading their definitions would hold
	// all 1.2 MB at once, so 1 MiB can only be met without them.
	t.Logf("listing 3 × 400 KB drafts and one open survey: %v", use)
	if use.PeakHeap > 1<<20 || use.TotalAlloc > 1<<20 {
		t.Errorf("listing the headers: %v, want under 1 MiB (the drafts hold 1.2 MB)", use)
	}
	var got []string
	for _, s := range all {
		got = append(got, fmt.Sprintf("%s v%d %s %s/%s %v sections=%d", s.Slug, s.Version, s.Status, s.Title["en"], s.Title["fr"], s.Languages, len(s.Sections)))
	}
	want := []string{
		"big-a v1 draft Draft big-a/Brouillon big-a [en fr] sections=0",
		"big-b v1 closed Draft big-b/Brouillon big-b [en fr] sections=0",
		"big-c v1 draft Draft big-c/Brouillon big-c [en fr] sections=0",
		fmt.Sprintf("%s v1 open %s/%s %v sections=0", open.Slug, open.Title["en"], open.Title["fr"], open.Languages),
		"small-d v2 draft Renamed/Renommé [en fr] sections=0",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("headers:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}

	only, err := st.ListSurveyHeaders(ctx, survey.StatusOpen)
	if err != nil || len(only) != 1 || only[0].Slug != open.Slug || only[0].Description["en"] != open.Description["en"] {
		t.Errorf("open headers = %v, %v; want %s alone with its description", only, err, open.Slug)
	}
	// Opening one survey still gives its whole definition.
	full, err := st.FindSurvey(ctx, "big-a")
	if err != nil || len(full.Questions()) != 45 {
		t.Errorf("FindSurvey: %v, %v", full, err)
	}
}
