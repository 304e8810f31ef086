package store_test

import (
	"context"
	"testing"
	"time"

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
	if err := st.SetReportsReleased(ctx, "s", true, at, "ada@example.org"); err != nil {
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
	if err := st.SetReportsReleased(ctx, "s", false, later, "bob@example.org"); err != nil {
		t.Fatal(err)
	}
	r, _ = st.ReportRelease(ctx, "s")
	if r.Released() || r.ReleasedBy != "" || r.WithdrawnAt == nil || !r.WithdrawnAt.Equal(later) || r.WithdrawnBy != "bob@example.org" {
		t.Errorf("withdrawn: %+v, want not released, withdrawn at %v by bob", r, later)
	}
	again := later.Add(time.Hour)
	if err := st.SetReportsReleased(ctx, "s", true, again, "ada@example.org"); err != nil {
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
