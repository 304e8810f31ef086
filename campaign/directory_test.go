package campaign_test

import (
	"bytes"
	"context"
	"os"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/metlib/canvass/campaign"
	"github.com/metlib/canvass/survey"
)

func TestLibraryLifecycle(t *testing.T) {
	svc, st := newService(t, nil)
	l := &survey.Library{Name: " Toronto  Public Library ", Country: "ca", Website: "tpl.ca",
		Contacts: []survey.Contact{{Name: "Vickery", Email: "CEO@tpl.ca", Consent: true}}}
	wantCode(t, "analyst creates", svc.CreateLibrary(analyst, l), survey.EFORBIDDEN)
	if err := svc.CreateLibrary(admin, l); err != nil {
		t.Fatal(err)
	}
	stored, err := st.FindLibrary(context.Background(), l.ID)
	if err != nil || stored.Name != "Toronto Public Library" || stored.Region != survey.NorthAmerica || stored.Website != "https://tpl.ca" ||
		stored.Contacts[0].Email != "ceo@tpl.ca" || stored.Contacts[0].ConsentAt == nil {
		t.Fatalf("stored %+v %v", stored, err)
	}
	consented := *stored.Contacts[0].ConsentAt

	// Saving again keeps the first consent date; invalid input changes nothing.
	again := &survey.Library{Name: "Toronto Public Library", City: "Toronto", Country: "CA", Contacts: []survey.Contact{{Email: "ceo@tpl.ca", Consent: true}}}
	if err := svc.UpdateLibrary(admin, l.ID, again); err != nil {
		t.Fatal(err)
	}
	stored, _ = st.FindLibrary(context.Background(), l.ID)
	if stored.City != "Toronto" || !stored.Contacts[0].ConsentAt.Equal(consented) {
		t.Errorf("after update: %q, consent %v (first %v)", stored.City, stored.Contacts[0].ConsentAt, consented)
	}
	err = svc.UpdateLibrary(admin, l.ID, &survey.Library{Name: "", Country: "XX"})
	if fields := survey.ErrorFields(err); survey.ErrorCode(err) != survey.EINVALID || len(fields) != 2 {
		t.Errorf("invalid update: %v %+v", err, fields)
	}
	wantCode(t, "update unknown", svc.UpdateLibrary(admin, "000000000000000000000000", again), survey.ENOTFOUND)

	// Merge a duplicate in: the target gains what it lacked (the update
	// above left it no website) and Ana; the duplicate goes.
	dup := &survey.Library{Name: "TPL", Country: "CA", Website: "torontopubliclibrary.ca", PopulationServed: 2_800_000,
		Contacts: []survey.Contact{{Name: "Ana", Email: "ana@tpl.ca"}, {Email: "ceo@tpl.ca"}}}
	if err := svc.CreateLibrary(admin, dup); err != nil {
		t.Fatal(err)
	}
	_, _, err = svc.MergeLibraries(admin, l.ID, l.ID)
	wantCode(t, "merge into itself", err, survey.EINVALID)
	target, from, err := svc.MergeLibraries(admin, l.ID, dup.ID)
	if err != nil || from.ID != dup.ID || target.PopulationServed != 2_800_000 || len(target.Contacts) != 2 || target.Website != "https://torontopubliclibrary.ca" {
		t.Errorf("merged %+v from %+v: %v", target, from, err)
	}
	if _, err := st.FindLibrary(context.Background(), dup.ID); survey.ErrorCode(err) != survey.ENOTFOUND {
		t.Errorf("the duplicate is still there: %v", err)
	}

	// The public list shows only opted-in libraries.
	if err := svc.CreateLibrary(admin, &survey.Library{Name: "Biblioteca de Santiago", Country: "CL", PublicProfile: true}); err != nil {
		t.Fatal(err)
	}
	pub, err := svc.PublicLibraries(context.Background(), survey.LibraryFilter{})
	if err != nil || pub.Total != 1 || pub.Members != 0 || pub.Libraries[0].Name != "Biblioteca de Santiago" || pub.Libraries[0].Region != survey.LatinAmericaCaribbean || pub.Libraries[0].Member {
		t.Errorf("public list %+v %v", pub, err)
	}
	_, err = svc.PublicLibraryProfile(context.Background(), l.ID)
	wantCode(t, "a library not opted in", err, survey.ENOTFOUND)
	_, err = svc.PublicLibraries(context.Background(), survey.LibraryFilter{Region: "atlantis"})
	wantCode(t, "public list of an unknown region", err, survey.EMALFORMED)

	gone, err := svc.DeleteLibrary(admin, l.ID)
	if err != nil || gone.Name != "Toronto Public Library" {
		t.Errorf("delete: %+v %v", gone, err)
	}
	if got := auditActions(t, st, "library.merge"); len(got) != 1 || got[0] != "admin@section.example: merged TPL ("+dup.ID+")" {
		t.Errorf("audit of the merge: %q", got)
	}
}

// TestImportAndExport: an import with merging, then the export read back
// with excelize, row per contact.
func TestImportAndExport(t *testing.T) {
	svc, st := newService(t, nil)
	data, _ := os.ReadFile("testdata/five-libraries.csv")
	if _, err := svc.ImportLibraries(admin, data, campaign.Import{Format: "csv", Confirm: true}); err != nil {
		t.Fatal(err)
	}
	// The same file again: every row a duplicate, or merged when asked.
	dry, err := svc.ImportLibraries(admin, data, campaign.Import{Format: "csv"})
	if err != nil || dry.Plan.Counts["duplicate"] != 5 {
		t.Fatalf("re-import dry run: %+v %v", dry.Plan.Counts, err)
	}
	merged, err := svc.ImportLibraries(admin, data, campaign.Import{Format: "csv", Merge: true, Confirm: true})
	if err != nil || merged.Merged != 5 || merged.Created != 0 {
		t.Fatalf("merging import: %+v %v", merged, err)
	}
	_, err = svc.ImportLibraries(admin, []byte("\xff\xfe"), campaign.Import{Format: "csv"})
	wantCode(t, "not UTF-8", err, survey.EINVALID)
	_, err = svc.ImportLibraries(admin, data, campaign.Import{Format: "ods"})
	wantCode(t, "an ods file", err, survey.EINVALID)

	var buf bytes.Buffer
	n, err := svc.ExportLibraries(analyst, &buf, survey.LibraryFilter{Region: survey.Europe}, "xlsx")
	if err != nil || n != 4 {
		t.Fatalf("export: %d %v", n, err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := f.GetRows("Libraries")
	emails := map[string]string{}
	for _, r := range rows[1:] {
		if len(r) > 12 {
			emails[r[0]] = r[12]
		} else {
			emails[r[0]] = ""
		}
	}
	want := map[string]string{"Bibliothèque municipale de Lyon": "claire@bm-lyon.fr", "Stadtbibliothek Köln": "info@stbib-koeln.de",
		"Deichman": "kari@deichman.no", "Biblioteca Regional de Murcia": ""}
	if len(rows) != 5 || len(emails) != len(want) {
		t.Fatalf("export rows %q", rows)
	}
	for name, email := range want {
		if emails[name] != email {
			t.Errorf("%s: email %q, want %q", name, emails[name], email)
		}
	}
	_, err = svc.ExportLibraries(analyst, &buf, survey.LibraryFilter{}, "pdf")
	wantCode(t, "export as pdf", err, survey.EINVALID)
	if got := auditActions(t, st, "library.export"); len(got) != 1 || got[0] != "analyst@section.example: xlsx, 4 libraries" {
		t.Errorf("audit of the export %q", got)
	}
}

// TestUpdateLibraryFromResponse: what an invited library answered about
// itself is previewed, then written only when confirmed.
func TestUpdateLibraryFromResponse(t *testing.T) {
	svc, st := newService(t, nil)
	ctx := context.Background()
	lib := &survey.Library{Name: "Bibliothèque municipale de Lyon", City: "Lyon", Country: "FR", PopulationServed: 520000}
	if err := svc.CreateLibrary(admin, lib); err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC().Truncate(time.Millisecond)
	r := &survey.Response{SurveySlug: "landscape", SurveyVersion: 1, SubmissionID: "inv-x", LibraryID: lib.ID, Language: "fr", Status: survey.ResponseSubmitted,
		Answers: survey.Answers{"library_name": "BM Lyon", "city": "Lyon", "population_served": 540000.0, "org_type": "not-a-type"}, Source: "api", CreatedAt: now, UpdatedAt: now, SubmittedAt: &now}
	r, _, err := st.CreateResponse(ctx, r)
	if err != nil {
		t.Fatal(err)
	}
	preview, err := svc.UpdateLibraryFromResponse(admin, r.ID, false)
	if err != nil || preview.Applied || len(preview.Changes) != 2 ||
		preview.Changes[0] != (survey.LibraryChange{Field: "name", From: "Bibliothèque municipale de Lyon", To: "BM Lyon"}) ||
		preview.Changes[1] != (survey.LibraryChange{Field: "population_served", From: "520000", To: "540000"}) {
		t.Fatalf("preview %+v %v", preview, err)
	}
	if stored, _ := st.FindLibrary(ctx, lib.ID); stored.Name != lib.Name {
		t.Errorf("a preview wrote %q", stored.Name)
	}
	if done, err := svc.UpdateLibraryFromResponse(admin, r.ID, true); err != nil || !done.Applied {
		t.Fatalf("confirm: %+v %v", done, err)
	}
	if stored, _ := st.FindLibrary(ctx, lib.ID); stored.Name != "BM Lyon" || stored.PopulationServed != 540000 || stored.Type != "" {
		t.Errorf("after confirming: %+v", stored)
	}
}
