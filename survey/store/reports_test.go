package store_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/metlib/canvass/survey"
	"github.com/metlib/canvass/survey/store/storetest"
)

func TestReportReleaseRoundTrip(t *testing.T) {
	st := storetest.New(t)
	ctx := context.Background()
	r, err := st.ReportRelease(ctx, "s")
	if err != nil {
		t.Fatal(err)
	}
	if r.Released() || r.Survey != "s" {
		t.Fatalf("never released: %+v, want not released", r)
	}
	at := time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC)
	if err := st.SetReportsReleased(ctx, "s", true, at, "ada@example.org", survey.ReportFreeze{}, ""); err != nil {
		t.Fatal(err)
	}
	r, err = st.ReportRelease(ctx, "s")
	if err != nil {
		t.Fatal(err)
	}
	if !r.Released() || !r.ReleasedAt.Equal(at) || r.ReleasedBy != "ada@example.org" {
		t.Errorf("released: %+v, want at %v by ada", r, at)
	}
	if other, _ := st.ReportRelease(ctx, "t"); other.Released() {
		t.Errorf("another survey: released %v, want not", other.ReleasedAt)
	}
	later := at.Add(time.Hour)
	if err := st.SetReportsReleased(ctx, "s", false, later, "bob@example.org", survey.ReportFreeze{}, ""); err != nil {
		t.Fatal(err)
	}
	r, _ = st.ReportRelease(ctx, "s")
	if r.Released() || r.ReleasedBy != "" || r.WithdrawnAt == nil || !r.WithdrawnAt.Equal(later) || r.WithdrawnBy != "bob@example.org" {
		t.Errorf("withdrawn: %+v, want not released, withdrawn at %v by bob", r, later)
	}
	again := later.Add(time.Hour)
	if err := st.SetReportsReleased(ctx, "s", true, again, "ada@example.org", survey.ReportFreeze{}, ""); err != nil {
		t.Fatal(err)
	}
	r, _ = st.ReportRelease(ctx, "s")
	if !r.Released() || !r.ReleasedAt.Equal(again) || r.WithdrawnAt == nil {
		t.Errorf("released again: %+v, want released at %v with the withdrawal kept", r, again)
	}
}

func TestReportsEmailed(t *testing.T) {
	st := storetest.New(t)
	ctx := context.Background()
	got, err := st.ReportsEmailed(ctx, "s")
	if err != nil || len(got) != 0 {
		t.Fatalf("none sent: %v, %v; want empty", got, err)
	}
	t1 := time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC)
	t2 := t1.Add(time.Minute)
	for _, c := range []struct {
		slug, lib string
		at        time.Time
	}{{"s", "lib-1", t1}, {"s", "lib.2", t1}, {"t", "lib-1", t1}, {"s", "lib-1", t2}} {
		if err := st.RecordReportEmailed(ctx, c.slug, c.lib, c.at); err != nil {
			t.Fatal(err)
		}
	}
	got, err = st.ReportsEmailed(ctx, "s")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || !got["lib-1"].Equal(t2) || !got["lib.2"].Equal(t1) {
		t.Errorf("emailed %v, want lib-1 at %v (the later sending) and lib.2 at %v", got, t2, t1)
	}
}

func TestReportInputsFrozenByARelease(t *testing.T) {
	st := storetest.New(t)
	ctx := context.Background()
	at := time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC)
	// More than one insert's batch, so the batching is crossed.
	var inputs []survey.ReportInput
	for i := range 2500 {
		inputs = append(inputs, survey.ReportInput{
			ResponseID: fmt.Sprint("r", i), InvitationID: fmt.Sprint("inv", i), LibraryID: fmt.Sprint("lib", i), Library: "Bibliothèque n°" + fmt.Sprint(i),
			Language: "fr", Region: survey.Europe, Type: survey.CitySystem, Population: float64(1000 * i), Member: i%2 == 0,
			Submitted: at.Add(time.Duration(i) * time.Second),
			Answers:   survey.Answers{"methods_used": []string{"interviews", "stories"}, "population_served": float64(i), "maturity": "3"},
		})
	}
	if err := st.SaveReportInputs(ctx, "s", "rel1", inputs); err != nil {
		t.Fatal(err)
	}
	if err := st.SaveReportInputs(ctx, "s", "rel2", inputs[:3]); err != nil {
		t.Fatal(err)
	}
	got, err := st.ReportInputs(ctx, "s", "rel1")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(inputs) {
		t.Fatalf("read %d inputs, want %d", len(got), len(inputs))
	}
	for i := range inputs {
		w, g := inputs[i], got[i]
		if g.ResponseID != w.ResponseID || g.InvitationID != w.InvitationID || g.LibraryID != w.LibraryID || g.Library != w.Library || g.Language != w.Language ||
			g.Region != w.Region || g.Type != w.Type || g.Population != w.Population || g.Member != w.Member || g.Demo != w.Demo ||
			!g.Submitted.Equal(w.Submitted) || !g.Answers.Equal(w.Answers) {
			t.Fatalf("input %d read back as %+v, want %+v", i, g, w)
		}
	}
	if other, _ := st.ReportInputs(ctx, "t", "rel1"); len(other) != 0 {
		t.Errorf("another survey's inputs: %d, want none", len(other))
	}

	frozen := survey.ReportFreeze{Inputs: "rel1", SurveyVersion: 3, Respondents: len(inputs)}
	if err := st.SetReportsReleased(ctx, "s", true, at, "ada@example.org", frozen, ""); err != nil {
		t.Fatal(err)
	}
	r, _ := st.ReportRelease(ctx, "s")
	if r.Frozen != frozen {
		t.Errorf("release froze %+v, want %+v", r.Frozen, frozen)
	}
	// A release over a state that is no longer the stored one is refused.
	err = st.SetReportsReleased(ctx, "s", true, at, "bob@example.org", survey.ReportFreeze{Inputs: "relX", Respondents: 1}, "")
	if survey.ErrorCode(err) != survey.ECONFLICT {
		t.Errorf("a release over a replaced state: %v, want ECONFLICT", err)
	}
	if err := st.SetReportsReleased(ctx, "s", true, at.Add(time.Hour), "ada@example.org", survey.ReportFreeze{Inputs: "rel2", SurveyVersion: 3, Respondents: 3}, "rel1"); err != nil {
		t.Fatal(err)
	}
	if err := st.DeleteReportInputs(ctx, "s", "rel1"); err != nil {
		t.Fatal(err)
	}
	if left, _ := st.ReportInputs(ctx, "s", "rel1"); len(left) != 0 {
		t.Errorf("the replaced release's inputs: %d left, want none", len(left))
	}
	if kept, _ := st.ReportInputs(ctx, "s", "rel2"); len(kept) != 3 {
		t.Errorf("the current release's inputs: %d, want 3", len(kept))
	}
	if err := st.SetReportsReleased(ctx, "s", false, at.Add(2*time.Hour), "bob@example.org", survey.ReportFreeze{}, "rel2"); err != nil {
		t.Fatal(err)
	}
	if r, _ := st.ReportRelease(ctx, "s"); r.Released() || r.Frozen.Inputs != "rel2" {
		t.Errorf("withdrawn: %+v, want not released, rel2 kept for the next release to be measured against", r)
	}
}

// Of releases made at once over the same state, exactly one wins.
func TestReportReleasesAtOnceOneWins(t *testing.T) {
	st := storetest.New(t)
	ctx := context.Background()
	for round, replacing := range []string{"", "rel-first"} {
		if round == 1 {
			w := winnerOf(t, st)
			if err := st.SetReportsReleased(ctx, "s", false, time.Now(), "ada", survey.ReportFreeze{}, w); err != nil {
				t.Fatal(err)
			}
			if got := winnerOf(t, st); got != w {
				t.Fatalf("withdrawn: frozen %q, want %q kept", got, w)
			}
			if err := st.SetReportsReleased(ctx, "s", true, time.Now(), "ada", survey.ReportFreeze{Inputs: "rel-first", Respondents: 1}, w); err != nil {
				t.Fatal(err)
			}
		}
		const n = 8
		won := make([]bool, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() {
				err := st.SetReportsReleased(ctx, "s", true, time.Now(), "ada", survey.ReportFreeze{Inputs: fmt.Sprint("rel", round, "-", i), Respondents: 1}, replacing)
				switch survey.ErrorCode(err) {
				case "":
					won[i] = true
				case survey.ECONFLICT:
				default:
					t.Error(err)
				}
			})
		}
		wg.Wait()
		var winners []int
		for i, w := range won {
			if w {
				winners = append(winners, i)
			}
		}
		cur := winnerOf(t, st)
		if len(winners) != 1 || cur != fmt.Sprint("rel", round, "-", winners[0]) {
			t.Errorf("round %d: winners %v, stored %s; want exactly one, the one stored", round, winners, cur)
		}
	}
}

func winnerOf(t *testing.T, st interface {
	ReportRelease(context.Context, string) (*survey.ReportRelease, error)
}) string {
	t.Helper()
	r, err := st.ReportRelease(context.Background(), "s")
	if err != nil {
		t.Fatal(err)
	}
	return r.Frozen.Inputs
}
