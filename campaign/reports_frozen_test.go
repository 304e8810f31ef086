package campaign_test

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/metlib/canvass/feedback"
	"github.com/metlib/canvass/survey"
)

// TestReleasedReportsAreFrozen: once released, a report reads the same
// whatever happens to the responses, the directory or the definition —
// a figure that moved between two readings would give away the answers
// of whoever moved it — until the admin withdraws and releases again.
func TestReleasedReportsAreFrozen(t *testing.T) {
	f := newWaves(t)
	ctx := context.Background()
	sv, err := f.st.FindSurvey(ctx, "stats-2025")
	if err != nil {
		t.Fatal(err)
	}
	// k = 3 and eight libraries: every report has peer figures.
	sv.Settings.SmallCellThreshold = 3
	sv.Benchmark = &survey.Benchmark{Groups: []string{survey.DimensionRegion}}
	if err := f.st.UpdateSurvey(ctx, sv); err != nil {
		t.Fatal(err)
	}
	names := []string{"Alpha", "Beta", "Gamma", "Delta", "Epsilon", "Zeta", "Eta", "Theta"}
	for _, name := range names[5:] {
		l := &survey.Library{Name: name + " Library", Country: "FR", Region: survey.Europe,
			Contacts: []survey.Contact{{Name: name, Email: strings.ToLower(name) + "@example.org", Language: "fr", Consent: true}}}
		if err := f.st.CreateLibrary(ctx, l); err != nil {
			t.Fatal(err)
		}
		f.libs[name] = l
	}
	f.invite(t, "stats-2025", names...)
	tokens := map[string]string{}
	responses := map[string]string{}
	for i, name := range names {
		tokens[name] = f.link(t, "stats-2025", name)
		services := `["loans"]`
		if i%2 == 0 {
			services = `["loans", "wifi"]`
		}
		got, err := f.submit(t, "stats-2025", tokens[name], "en", fmt.Sprintf(`{"budget": %d, "services": %s, "staff": %d}`, 1000*(i+1), services, i+1))
		if err != nil {
			t.Fatal(err)
		}
		responses[name] = got.Response.ID
	}
	if err := f.svc.SetStatus(admin, "stats-2025", survey.StatusClosed); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.ReleaseReports(admin, "stats-2025"); err != nil {
		t.Fatal(err)
	}
	read := func(name string) *feedback.Report {
		t.Helper()
		rep, _, err := f.svc.LibraryReport(ctx, "stats-2025", tokens[name], "en")
		if err != nil {
			t.Fatalf("%s's report: %v", name, err)
		}
		rep.Generated = time.Time{}
		return rep
	}
	before := read("Alpha")
	if n := before.Groups[len(before.Groups)-1].N; n != 7 {
		t.Fatalf("Alpha's report compares with %d peers, want 7", n)
	}

	// What would move the figures: a response deleted, a library moved to
	// another region, the benchmark's groups changed.
	if _, err := f.svc.DeleteResponse(admin, responses["Theta"]); err != nil {
		t.Fatal(err)
	}
	beta := f.libs["Beta"]
	beta.Region, beta.RegionSet = survey.AsiaOceania, true
	if err := f.st.UpdateLibrary(ctx, beta); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.SetBenchmark(admin, "stats-2025", survey.Benchmark{}); err != nil {
		t.Fatal(err)
	}
	if after := read("Alpha"); !reflect.DeepEqual(after, before) {
		t.Errorf("Alpha's released report moved after the changes:\nbefore %+v\nafter  %+v", before, after)
	}
	preview, _, err := f.svc.PreviewReport(admin, "stats-2025", f.libs["Alpha"].ID, "en")
	if err != nil {
		t.Fatal(err)
	}
	preview.Generated = time.Time{}
	if !reflect.DeepEqual(preview, before) {
		t.Errorf("the preview of a released report is not the report the library reads:\npreview %+v\nreport  %+v", preview, before)
	}
	// Theta's response is deleted, but the release gave it a report.
	read("Theta")
	list, err := f.svc.Reports(admin, "stats-2025")
	if err != nil || len(list.Libraries) != 8 {
		t.Errorf("the released list: %+v, %v; want the 8 libraries the release froze", list, err)
	}

	// Withdrawn and released again with two respondents changed (fewer
	// than k = 3): the reports stay as released, or comparing the two
	// would give those two libraries' answers away.
	if _, err := f.svc.WithdrawReports(admin, "stats-2025"); err != nil {
		t.Fatal(err)
	}
	rel, err := f.svc.ReleaseReports(admin, "stats-2025")
	if err != nil {
		t.Fatal(err)
	}
	if !rel.KeptFrozen || rel.Changed != 2 {
		t.Errorf("released again after 2 changes: kept %v, changed %d; want the last release kept, 2 changed", rel.KeptFrozen, rel.Changed)
	}
	if after := read("Alpha"); !reflect.DeepEqual(after, before) {
		t.Errorf("released again after 2 changes (k = 3), Alpha's report moved")
	}
	// A third change: released again, the reports take the changes in.
	gamma := f.libs["Gamma"]
	gamma.Member = true
	if err := f.st.UpdateLibrary(ctx, gamma); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.WithdrawReports(admin, "stats-2025"); err != nil {
		t.Fatal(err)
	}
	if rel, err = f.svc.ReleaseReports(admin, "stats-2025"); err != nil {
		t.Fatal(err)
	}
	if rel.KeptFrozen || rel.Changed != 3 {
		t.Errorf("released again after 3 changes: kept %v, changed %d; want a new release, 3 changed", rel.KeptFrozen, rel.Changed)
	}
	again := read("Alpha")
	if n := again.Groups[len(again.Groups)-1].N; n != 6 || len(again.Groups) != 1 {
		t.Errorf("released again: groups %+v, want all respondents only (no benchmark groups now), 6 peers", again.Groups)
	}
	if _, _, err := f.svc.LibraryReport(ctx, "stats-2025", tokens["Theta"], "en"); survey.ErrorCode(err) != survey.ENOTFOUND {
		t.Errorf("Theta after a new release: %v, want no report", err)
	}

	// Releases and withdrawals at once: each succeeds or is refused as a
	// conflict, and what is stored is one whole release.
	for round := range 3 {
		var wg sync.WaitGroup
		for i := range 6 {
			wg.Go(func() {
				var err error
				if (i+round)%2 == 0 {
					_, err = f.svc.ReleaseReports(admin, "stats-2025")
				} else {
					_, err = f.svc.WithdrawReports(admin, "stats-2025")
				}
				if err != nil && survey.ErrorCode(err) != survey.ECONFLICT {
					t.Errorf("release or withdrawal at once: %v, want success or ECONFLICT", err)
				}
			})
		}
		wg.Wait()
		rel, err := f.st.ReportRelease(ctx, "stats-2025")
		if err != nil {
			t.Fatal(err)
		}
		if !rel.Released() {
			if _, err := f.svc.ReleaseReports(admin, "stats-2025"); err != nil {
				t.Fatal(err)
			}
			rel, _ = f.st.ReportRelease(ctx, "stats-2025")
		}
		inputs, err := f.st.ReportInputs(ctx, "stats-2025", rel.Frozen.Inputs)
		if err != nil || len(inputs) != rel.Frozen.Respondents || len(inputs) != 7 {
			t.Errorf("round %d: the current release froze %d respondents (%v), stored %d; want 7", round, rel.Frozen.Respondents, err, len(inputs))
		}
		if got := read("Alpha"); !reflect.DeepEqual(got, again) {
			t.Errorf("round %d: Alpha's report after releases at once differs from the release's", round)
		}
	}
}
