package campaign_test

import (
	"context"
	"slices"
	"testing"

	"github.com/metlib/canvass/campaign"
	"github.com/metlib/canvass/survey"
)

// TestReportsRelease runs who may read which report through the service:
// nothing through a personal link before the release, only its own
// library's report after it, one and the same not-found for every link
// that leads to none; the working group previews any library's at any
// time, a coordinator only their regions'.
func TestReportsRelease(t *testing.T) {
	f := newWaves(t)
	ctx := context.Background()
	gamma := f.libs["Gamma"]
	gamma.Region, gamma.RegionSet = survey.AsiaOceania, true
	if err := f.st.UpdateLibrary(ctx, gamma); err != nil {
		t.Fatal(err)
	}
	f.invite(t, "stats-2025", "Alpha", "Beta", "Gamma", "Delta")
	tokens := map[string]string{}
	for _, name := range []string{"Alpha", "Beta", "Gamma", "Delta"} {
		tokens[name] = f.link(t, "stats-2025", name)
	}
	for _, name := range []string{"Alpha", "Beta", "Gamma"} {
		if _, err := f.submit(t, "stats-2025", tokens[name], "fr", `{"budget": 1000, "services": ["loans"], "staff": 4}`); err != nil {
			t.Fatal(err)
		}
	}
	// Delta saved a draft only: no report.
	if _, err := f.svc.Submit(ctx, campaignDraft("stats-2025", tokens["Delta"])); err != nil {
		t.Fatal(err)
	}

	list, err := f.svc.Reports(admin, "stats-2025")
	if err != nil {
		t.Fatal(err)
	}
	if list.Release.Released() || len(list.Libraries) != 3 {
		t.Fatalf("list %+v: want 3 libraries (Alpha, Beta, Gamma), not released", list)
	}
	for i, want := range []string{"Alpha Library", "Beta Library", "Gamma Library"} {
		if got := list.Libraries[i]; got.Library != want || !got.Mailable || got.Emailed != nil || got.Language != "fr" {
			t.Errorf("library %d: %+v, want %s, mailable, not emailed, fr", i, got, want)
		}
	}

	noReport := func(what string, err error) {
		t.Helper()
		if survey.ErrorCode(err) != survey.ENOTFOUND || survey.ErrorMessage(err) != "There is no report at this link." {
			t.Errorf("%s: %v, want ENOTFOUND \"There is no report at this link.\"", what, err)
		}
	}
	_, _, err = f.svc.LibraryReport(ctx, "stats-2025", tokens["Alpha"], "en")
	noReport("before the release", err)

	// The working group previews before the release.
	rep, _, err := f.svc.PreviewReport(analyst, "stats-2025", f.libs["Beta"].ID, "es")
	if err != nil {
		t.Fatal(err)
	}
	if rep.LibraryID != f.libs["Beta"].ID || rep.Library != "Beta Library" || rep.Lang != "es" {
		t.Errorf("preview: %s %q in %s, want Beta Library in es", rep.LibraryID, rep.Library, rep.Lang)
	}
	if _, _, err := f.svc.PreviewReport(admin, "stats-2025", f.libs["Delta"].ID, "en"); survey.ErrorCode(err) != survey.ENOTFOUND {
		t.Errorf("preview of a library that did not submit: %v, want ENOTFOUND", err)
	}
	europe := coordinatorOf(survey.Europe)
	// Before the release a coordinator previews nothing: two previews
	// taken as responses come in would show other regions' answers.
	for _, lib := range []string{f.libs["Alpha"].ID, gamma.ID} {
		if _, _, err := f.svc.PreviewReport(europe, "stats-2025", lib, "en"); survey.ErrorCode(err) != survey.ECONFLICT {
			t.Errorf("coordinator of Europe previewing before the release: %v, want ECONFLICT", err)
		}
	}
	if l, err := f.svc.Reports(europe, "stats-2025"); err != nil || len(l.Libraries) != 2 {
		t.Errorf("coordinator of Europe's list: %+v, %v; want Alpha and Beta only", l, err)
	}

	for _, ctx := range []context.Context{analyst, europe, context.Background()} {
		if _, err := f.svc.ReleaseReports(ctx, "stats-2025"); survey.ErrorCode(err) != survey.EFORBIDDEN && survey.ErrorCode(err) != survey.EUNAUTHORIZED {
			t.Errorf("release by a non-admin: %v, want refused", err)
		}
	}
	if _, err := f.svc.ReleaseReports(admin, "stats-2025"); survey.ErrorCode(err) != survey.ECONFLICT {
		t.Fatalf("release while the survey is open: %v, want ECONFLICT", err)
	}
	if err := f.svc.SetStatus(admin, "stats-2025", survey.StatusClosed); err != nil {
		t.Fatal(err)
	}
	rel, err := f.svc.ReleaseReports(admin, "stats-2025")
	if err != nil {
		t.Fatal(err)
	}
	if !rel.Released() || rel.ReleasedBy != "admin@section.example" || !rel.ReleasedAt.Equal(f.clock) {
		t.Errorf("release: %+v, want released by admin@section.example at %v", rel, f.clock)
	}

	if _, _, err := f.svc.PreviewReport(europe, "stats-2025", gamma.ID, "en"); survey.ErrorCode(err) != survey.ENOTFOUND {
		t.Errorf("coordinator of Europe previewing Gamma (Asia and Oceania) after the release: %v, want ENOTFOUND", err)
	}
	if rep, _, err := f.svc.PreviewReport(europe, "stats-2025", f.libs["Alpha"].ID, "en"); err != nil || rep.LibraryID != f.libs["Alpha"].ID {
		t.Errorf("coordinator of Europe previewing Alpha after the release: %v", err)
	}
	rep, _, err = f.svc.LibraryReport(ctx, "stats-2025", tokens["Alpha"], "")
	if err != nil {
		t.Fatal(err)
	}
	if rep.LibraryID != f.libs["Alpha"].ID || rep.Lang != "fr" {
		t.Errorf("Alpha's link: report of %s in %s, want Alpha's in fr (its invitation's language)", rep.LibraryID, rep.Lang)
	}
	if rep, _, err = f.svc.LibraryReport(ctx, "stats-2025", tokens["Gamma"], "en"); err != nil || rep.LibraryID != gamma.ID || rep.Lang != "en" {
		t.Errorf("Gamma's link in en: %v, %v", rep, err)
	}
	_, _, err = f.svc.LibraryReport(ctx, "stats-2025", tokens["Delta"], "en")
	noReport("a library with a draft only", err)
	_, _, err = f.svc.LibraryReport(ctx, "stats-2025", "not-a-token-0123456789", "en")
	noReport("an unknown token", err)
	_, _, err = f.svc.LibraryReport(ctx, "stats-2025", "", "en")
	noReport("no token", err)
	_, _, err = f.svc.LibraryReport(ctx, "no-such-survey", tokens["Alpha"], "en")
	noReport("another survey's slug", err)

	// A withdrawn invitation's links lead nowhere.
	invs, _ := f.st.ListInvitations(ctx, "stats-2025")
	for _, inv := range invs {
		if inv.LibraryID == f.libs["Beta"].ID {
			if _, err := f.svc.Revoke(admin, "stats-2025", inv.ID); err != nil {
				t.Fatal(err)
			}
		}
	}
	_, _, err = f.svc.LibraryReport(ctx, "stats-2025", tokens["Beta"], "en")
	noReport("a withdrawn invitation", err)

	// Reopened, the links lead nowhere: a report read before and after a
	// new answer would show it.
	if err := f.svc.SetStatus(admin, "stats-2025", survey.StatusOpen); err != nil {
		t.Fatal(err)
	}
	_, _, err = f.svc.LibraryReport(ctx, "stats-2025", tokens["Alpha"], "en")
	noReport("the survey reopened", err)
	if err := f.svc.SetStatus(admin, "stats-2025", survey.StatusClosed); err != nil {
		t.Fatal(err)
	}
	if _, _, err := f.svc.LibraryReport(ctx, "stats-2025", tokens["Alpha"], "en"); err != nil {
		t.Errorf("closed again: %v", err)
	}
	if _, err := f.svc.WithdrawReports(admin, "stats-2025"); err != nil {
		t.Fatal(err)
	}
	_, _, err = f.svc.LibraryReport(ctx, "stats-2025", tokens["Alpha"], "en")
	noReport("after the withdrawal", err)
	entries, _, err := f.st.ListAudit(ctx, survey.AuditFilter{})
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, e := range entries {
		if e.Target == "survey:stats-2025" {
			seen[e.Action] = true
		}
	}
	if !seen["reports.release"] || !seen["reports.withdraw"] {
		t.Errorf("audit %v: want reports.release and reports.withdraw", seen)
	}
}

// campaignDraft is a draft of the stats survey through an invitation.
func campaignDraft(slug, token string) campaign.Submission {
	return campaign.Submission{Survey: slug, Language: "fr", Answers: map[string]any{"budget": 500.0}, InvitationToken: token, Draft: true, Source: "api"}
}

// TestSetBenchmark changes the peer groups through the survey's update
// rule: a new version, and a bad block refused with its field.
func TestSetBenchmark(t *testing.T) {
	f := newWaves(t)
	before, err := f.st.FindSurvey(context.Background(), "stats-2025")
	if err != nil {
		t.Fatal(err)
	}
	sv, err := f.svc.SetBenchmark(admin, "stats-2025", survey.Benchmark{Groups: []string{"region", "population"}, PopulationBands: []float64{100000, 1000000}})
	if err != nil {
		t.Fatal(err)
	}
	if sv.Version != before.Version+1 || !sv.Benchmark.Has("region") || !sv.Benchmark.Has("population") || len(sv.Benchmark.PopulationBands) != 2 {
		t.Errorf("after: version %d (before %d), benchmark %+v", sv.Version, before.Version, sv.Benchmark)
	}
	_, err = f.svc.SetBenchmark(admin, "stats-2025", survey.Benchmark{Groups: []string{"region", "shoe size"}, PopulationBands: []float64{5, 2}})
	if survey.ErrorCode(err) != survey.EINVALID {
		t.Fatalf("bad block: %v, want EINVALID", err)
	}
	var paths []string
	for _, fe := range survey.ErrorFields(err) {
		paths = append(paths, fe.Path)
	}
	if !slices.Contains(paths, "benchmark.groups[1]") {
		t.Errorf("bad block's fields %v: want benchmark.groups[1]", paths)
	}
	if _, err := f.svc.SetBenchmark(analyst, "stats-2025", survey.Benchmark{}); survey.ErrorCode(err) != survey.EFORBIDDEN {
		t.Errorf("analyst: %v, want EFORBIDDEN", err)
	}
}
