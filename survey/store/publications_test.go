package store_test

import (
	"context"
	"fmt"
	"math"
	"sync"
	"testing"
	"time"

	"github.com/metlib/canvass/survey"
	"github.com/metlib/canvass/survey/store/storetest"
)

// figuresFixture has what a report holds that JSON would not keep: NaN
// (an undefined statistic), an empty list apart from none, a pointer to
// zero apart from nil; and maps, nested lists and named types.
type figuresFixture struct {
	Mean    float64
	Inf     float64
	Empty   []int
	None    []int
	Zero    *float64
	Missing *float64
	ByLang  map[string]*figuresRow
	Grid    [][]bool
	Kind    survey.Type
}

type figuresRow struct {
	Label string
	N     int
}

func TestPublicSnapshotRoundTrip(t *testing.T) {
	st := storetest.New(t)
	ctx := context.Background()
	if _, err := st.FindPublicSnapshot(ctx, "s", nil); survey.ErrorCode(err) != survey.ENOTFOUND {
		t.Fatalf("before any: %v, want ENOTFOUND", err)
	}
	zero := 0.0
	in := figuresFixture{Mean: math.NaN(), Inf: math.Inf(-1), Empty: []int{}, Zero: &zero,
		ByLang: map[string]*figuresRow{"en": {"Europe", 6}, "fr": {"Europe", 0}}, Grid: [][]bool{{true, false}, {}}, Kind: survey.Likert}
	at := time.Date(2026, 12, 1, 9, 30, 15, 123_000_000, time.UTC)
	snap := &survey.PublicSnapshot{Survey: "s", Seq: 1, Responses: 18, Version: 3, TakenAt: at, Figures: in}
	if err := st.SavePublicSnapshot(ctx, snap, 0); err != nil {
		t.Fatal(err)
	}
	var out figuresFixture
	got, err := st.FindPublicSnapshot(ctx, "s", &out)
	if err != nil {
		t.Fatal(err)
	}
	if got.Survey != "s" || got.Seq != 1 || got.Responses != 18 || got.Version != 3 || !got.TakenAt.Equal(at) || got.Figures != &out {
		t.Errorf("snapshot %+v, want survey s, seq 1, 18 responses, version 3, taken %v, figures decoded into the value given", got, at)
	}
	if !math.IsNaN(out.Mean) || !math.IsInf(out.Inf, -1) {
		t.Errorf("mean %v, inf %v: want NaN and -Inf back", out.Mean, out.Inf)
	}
	if out.Empty == nil || len(out.Empty) != 0 || out.None != nil {
		t.Errorf("empty %#v, none %#v: want an empty list and none", out.Empty, out.None)
	}
	if out.Zero == nil || *out.Zero != 0 || out.Missing != nil {
		t.Errorf("zero %v, missing %v: want a pointer to 0 and nil", out.Zero, out.Missing)
	}
	if fmt.Sprintf("%v %v %v %v", *out.ByLang["en"], *out.ByLang["fr"], out.Grid, out.Kind) != "{Europe 6} {Europe 0} [[true false] []] likert" {
		t.Errorf("maps, lists, types: %v %v %v %v", *out.ByLang["en"], *out.ByLang["fr"], out.Grid, out.Kind)
	}
	meta, err := st.FindPublicSnapshot(ctx, "s", nil)
	if err != nil || meta.Figures != nil || meta.Seq != 1 || meta.Responses != 18 {
		t.Errorf("without figures: %+v, %v; want seq 1, 18 responses, no figures", meta, err)
	}
}

// TestPublicSnapshotWritesAreConditional: a snapshot replaces only the one
// it was taken after; of many concurrent retakes after the same one,
// exactly one is stored, and it is whole.
func TestPublicSnapshotWritesAreConditional(t *testing.T) {
	st := storetest.New(t)
	ctx := context.Background()
	save := func(seq, prev int64, n int) error {
		return st.SavePublicSnapshot(ctx, &survey.PublicSnapshot{Survey: "s", Seq: seq, Responses: n, Version: 1, TakenAt: time.Now(), Figures: figuresRow{"n", n}}, prev)
	}
	if err := save(1, 0, 5); err != nil {
		t.Fatal(err)
	}
	if err := save(1, 0, 6); survey.ErrorCode(err) != survey.ECONFLICT {
		t.Errorf("a second first snapshot: %v, want ECONFLICT", err)
	}
	if err := save(3, 1, 6); survey.ErrorCode(err) != survey.EINVALID {
		t.Errorf("seq 3 after 1: %v, want EINVALID", err)
	}
	if err := save(2, 1, 10); err != nil {
		t.Fatal(err)
	}
	if err := save(2, 1, 11); survey.ErrorCode(err) != survey.ECONFLICT {
		t.Errorf("a retake after a replaced snapshot: %v, want ECONFLICT", err)
	}

	const racers = 8
	errs := make([]error, racers)
	var wg sync.WaitGroup
	for i := range racers {
		wg.Go(func() { errs[i] = save(3, 2, 100+i) })
	}
	wg.Wait()
	winner := -1
	for i, err := range errs {
		switch survey.ErrorCode(err) {
		case "":
			if winner >= 0 {
				t.Errorf("racers %d and %d both stored", winner, i)
			}
			winner = i
		case survey.ECONFLICT:
		default:
			t.Errorf("racer %d: %v", i, err)
		}
	}
	if winner < 0 {
		t.Fatal("no racer stored its snapshot")
	}
	var row figuresRow
	got, err := st.FindPublicSnapshot(ctx, "s", &row)
	if err != nil {
		t.Fatal(err)
	}
	if got.Seq != 3 || got.Responses != 100+winner || row.N != 100+winner {
		t.Errorf("stored seq %d, %d responses, figures %+v; want the winner's: seq 3, %d", got.Seq, got.Responses, row, 100+winner)
	}
}

// TestCountMatching counts what the public snapshot covers: submitted
// responses, canvass demo's left out, drafts never; answer conditions too.
func TestCountMatching(t *testing.T) {
	st := storetest.New(t)
	ctx := context.Background()
	for i, r := range []struct {
		status survey.ResponseStatus
		source string
		pick   string
	}{{survey.ResponseSubmitted, "web", "a"}, {survey.ResponseSubmitted, "", "b"}, {survey.ResponseSubmitted, survey.DemoSource, "a"}, {survey.ResponseDraft, "web", "a"}} {
		if _, _, err := st.CreateResponse(ctx, &survey.Response{SurveySlug: "s", SurveyVersion: 1, SubmissionID: fmt.Sprintf("sub-%d", i), Status: r.status, Source: r.source,
			Answers: survey.Answers{"pick": r.pick}, CreatedAt: time.Now()}); err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range []struct {
		name string
		f    survey.ResponseFilter
		want int
	}{
		{"public", survey.ResponseFilter{SurveySlug: "s", Status: survey.ResponseSubmitted, ExcludeDemo: true}, 2},
		{"submitted", survey.ResponseFilter{SurveySlug: "s", Status: survey.ResponseSubmitted}, 3},
		{"all", survey.ResponseFilter{SurveySlug: "s"}, 4},
		{"answer", survey.ResponseFilter{SurveySlug: "s", Status: survey.ResponseSubmitted, ExcludeDemo: true, Answers: map[string]string{"pick": "a"}}, 1},
		{"other survey", survey.ResponseFilter{SurveySlug: "t"}, 0},
	} {
		if n, err := st.CountMatching(ctx, tc.f); err != nil || n != tc.want {
			t.Errorf("%s: %d, %v; want %d", tc.name, n, err, tc.want)
		}
	}
}
