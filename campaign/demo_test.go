package campaign_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/metlib/canvass/campaign"
	"github.com/metlib/canvass/demo"
	"github.com/metlib/canvass/survey"
	"github.com/metlib/canvass/survey/store"
)

// snapshot is every document of every collection but the audit log, as
// extended JSON, by collection: what "the database as it was" means.
func snapshot(t *testing.T, st *store.Store) map[string][]string {
	t.Helper()
	ctx := context.Background()
	names, err := st.Database().ListCollectionNames(ctx, bson.D{})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]string{}
	for _, name := range names {
		if name == "audit" {
			continue
		}
		cur, err := st.Database().Collection(name).Find(ctx, bson.D{})
		if err != nil {
			t.Fatal(err)
		}
		var docs []bson.Raw
		if err := cur.All(ctx, &docs); err != nil {
			t.Fatal(err)
		}
		for _, d := range docs {
			j, err := bson.MarshalExtJSON(d, true, false)
			if err != nil {
				t.Fatal(err)
			}
			out[name] = append(out[name], string(j))
		}
		slices.Sort(out[name])
		if len(out[name]) == 0 {
			delete(out, name)
		}
	}
	return out
}

// TestDemoIsMarkedAndRemovedExactly: canvass demo's use case marks all it
// writes, and RemoveDemo leaves every collection exactly as it was before,
// real libraries, invitations and responses included; both are audited.
func TestDemoIsMarkedAndRemovedExactly(t *testing.T) {
	svc, st := newService(t, nil)
	ctx := context.Background()
	// Real data first: a library invited to the landscape survey, and
	// responses to both surveys.
	real := &survey.Library{Name: "Toronto Public Library", City: "Toronto", Country: "CA", Member: true, PublicProfile: true,
		Contacts: []survey.Contact{{Name: "Vickery", Email: "ceo@tpl.example", Consent: true}}}
	if err := svc.CreateLibrary(admin, real); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Invite(admin, "landscape", campaign.Invitees{LibraryIDs: []string{real.ID}}); err != nil {
		t.Fatal(err)
	}
	// A real library the demo would name the same (the first Mexican one).
	if err := svc.CreateLibrary(admin, &survey.Library{Name: "Biblioteca Pública de San Miguel de las Flores", City: "San Miguel de las Flores", Country: "MX"}); err != nil {
		t.Fatal(err)
	}
	for _, slug := range []string{"landscape", "impact-methods"} {
		sv, _ := st.FindSurvey(ctx, slug)
		rs := demo.Responses(sv, 12, 99, time.Now())
		for _, r := range rs {
			r.Source, r.SubmissionID = "web", strings.Replace(r.SubmissionID, "demo-", "real-", 1)
		}
		if _, err := svc.ImportResponses(admin, slug, rs); err != nil {
			t.Fatal(err)
		}
	}
	before := snapshot(t, st)

	_, err := svc.AddDemo(analyst, "landscape", 10, 1)
	wantCode(t, "an analyst adding demo data", err, survey.EFORBIDDEN)
	first, err := svc.AddDemo(admin, "landscape", 60, 7)
	if err != nil || first.Responses != 60 || first.Libraries == 0 || first.Invitations != first.Libraries {
		t.Fatalf("demo: %+v %v", first, err)
	}
	second, err := svc.AddDemo(admin, "impact-methods", 40, 7)
	if err != nil || second.Responses != 40 {
		t.Fatalf("second demo: %+v %v", second, err)
	}
	if again, err := svc.AddDemo(admin, "impact-methods", 40, 7); err != nil || again != (campaign.DemoReport{}) {
		t.Errorf("the same seed again wrote %+v (%v)", again, err)
	}

	// Marked: whatever is new is demo, and the invitations are to demo libraries.
	yes := true
	demoLibs, _, _ := st.ListLibraries(ctx, survey.LibraryFilter{Demo: &yes})
	all, _, _ := st.ListLibraries(ctx, survey.LibraryFilter{})
	if twins, _, _ := st.ListLibraries(ctx, survey.LibraryFilter{Query: "Biblioteca Pública de San Miguel de las Flores"}); len(twins) != 1 || twins[0].Demo {
		t.Errorf("the demo made a twin of a real library: %+v", twins)
	}
	if len(all) != 2+len(demoLibs) || len(demoLibs) != first.Libraries+second.Libraries {
		t.Errorf("%d libraries, %d demo; added %d + %d", len(all), len(demoLibs), first.Libraries, second.Libraries)
	}
	if second.Invitations <= second.Libraries {
		t.Errorf("the second survey's demo reused no library of the first: %+v", second)
	}
	isDemo := map[string]bool{}
	for _, l := range demoLibs {
		isDemo[l.ID] = true
	}
	invitedDemo := 0
	for _, slug := range []string{"landscape", "impact-methods"} {
		invs, _ := st.ListInvitations(ctx, slug)
		submitted := map[string]bool{}
		for _, inv := range invs {
			if isDemo[inv.LibraryID] {
				invitedDemo++
				submitted[inv.ID] = inv.Status == survey.InvitationSubmitted
			} else if inv.LibraryID != real.ID {
				// only the real invitation, never one to the real San Miguel de las Flores library
				t.Errorf("an invitation to %s", inv.LibraryID)
			}
		}
		n := 0
		for r, err := range st.StreamResponses(ctx, survey.ResponseFilter{SurveySlug: slug, Source: survey.DemoSource}) {
			if err != nil {
				t.Fatal(err)
			}
			n++
			if r.LibraryID != "" && (!isDemo[r.LibraryID] || !submitted[r.InvitationID]) {
				t.Errorf("demo response %s: library %s, invitation %s", r.SubmissionID, r.LibraryID, r.InvitationID)
			}
		}
		sum, _ := svc.Survey(analyst, slug)
		if sum.Demo != n || sum.Responses != n+12 {
			t.Errorf("%s: summary %d of %d demo, stored %d demo", slug, sum.Demo, sum.Responses, n)
		}
	}
	if invitedDemo != first.Invitations+second.Invitations {
		t.Errorf("%d demo invitations stored, %d added", invitedDemo, first.Invitations+second.Invitations)
	}
	if n, _ := svc.DemoLibraries(analyst); n != len(demoLibs) {
		t.Errorf("DemoLibraries %d, stored %d", n, len(demoLibs))
	}
	// An admin edits a demo library: it stays demo data.
	edited := *demoLibs[0]
	edited.Name += " (edited)"
	if err := svc.UpdateLibrary(admin, edited.ID, &edited); err != nil {
		t.Fatal(err)
	}
	if l, _ := st.FindLibrary(ctx, edited.ID); !l.Demo {
		t.Error("editing a demo library made it real")
	}

	_, err = svc.RemoveDemo(analyst)
	wantCode(t, "an analyst removing demo data", err, survey.EFORBIDDEN)
	gone, err := svc.RemoveDemo(admin)
	want := campaign.DemoReport{Libraries: len(demoLibs), Invitations: invitedDemo, Responses: 100}
	if err != nil || gone != want {
		t.Errorf("removed %+v (%v), want %+v", gone, err, want)
	}
	after := snapshot(t, st)
	if fmt.Sprint(after) != fmt.Sprint(before) {
		for name := range before {
			if len(after[name]) != len(before[name]) {
				t.Errorf("%s: %d documents before demo, %d after --remove", name, len(before[name]), len(after[name]))
			}
		}
		t.Error("the database after demo and --remove is not as it was before")
	}
	if again, err := svc.RemoveDemo(admin); err != nil || again != (campaign.DemoReport{}) {
		t.Errorf("a second remove: %+v %v", again, err)
	}
	added := auditActions(t, st, "demo.add")
	removed := auditActions(t, st, "demo.remove")
	if len(added) != 2 || added[0] != "admin@section.example: "+first.String() && added[1] != "admin@section.example: "+first.String() ||
		len(removed) != 1 || removed[0] != "admin@section.example: "+want.String() {
		t.Errorf("audit: added %q, removed %q", added, removed)
	}
}
