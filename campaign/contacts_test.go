package campaign_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/metlib/canvass/campaign"
	"github.com/metlib/canvass/survey"
)

// TestContactDataExportAndErasure: a contact listed by two libraries and
// invited through one is exported, then erased everywhere.
func TestContactDataExportAndErasure(t *testing.T) {
	svc, st := newService(t, nil)
	ctx := context.Background()
	lyon := &survey.Library{Name: "Bibliothèque municipale de Lyon", Country: "FR", Contacts: []survey.Contact{{Name: "Anne", Email: "anne@bm-lyon.fr", Consent: true}, {Name: "Paul", Email: "paul@bm-lyon.fr"}}}
	villeurbanne := &survey.Library{Name: "Médiathèque de Villeurbanne", Country: "FR", Contacts: []survey.Contact{{Name: "Anne", Email: "anne@bm-lyon.fr", Language: "fr", Consent: true}}}
	other := &survey.Library{Name: "Deichman", Country: "NO", Contacts: []survey.Contact{{Email: "kari@deichman.no"}}}
	for _, l := range []*survey.Library{lyon, villeurbanne, other} {
		if err := svc.CreateLibrary(admin, l); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := svc.Invite(admin, "landscape", campaign.Invitees{LibraryIDs: []string{villeurbanne.ID, other.ID}}); err != nil {
		t.Fatal(err)
	}

	d, err := svc.ExportContact(admin, " Anne@BM-Lyon.fr ")
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]bool{}
	for _, e := range d.Directory {
		names[e.LibraryName] = e.Contact.Email == "anne@bm-lyon.fr"
	}
	if d.Email != "anne@bm-lyon.fr" || len(d.Directory) != 2 || !names[lyon.Name] || !names[villeurbanne.Name] ||
		len(d.Invitations) != 1 || d.Invitations[0] != (campaign.ContactInvitation{Survey: "landscape", Name: "Anne", Language: "fr", Status: survey.InvitationNotSent}) {
		t.Errorf("export %+v", d)
	}
	_, err = svc.ExportContact(admin, "nope")
	wantCode(t, "not an address", err, survey.EMALFORMED)
	_, err = svc.ExportContact(analyst, "anne@bm-lyon.fr")
	wantCode(t, "analyst exports", err, survey.EFORBIDDEN)

	e, err := svc.EraseContact(admin, "anne@bm-lyon.fr")
	if err != nil || *e != (campaign.Erasure{Libraries: 2, Invitations: 1}) {
		t.Fatalf("erase %+v %v", e, err)
	}
	for _, id := range []string{lyon.ID, villeurbanne.ID} {
		l, _ := st.FindLibrary(ctx, id)
		for _, c := range l.Contacts {
			if c.Email == "anne@bm-lyon.fr" || c.Name == "Anne" {
				t.Errorf("%s keeps %+v", l.Name, c)
			}
		}
	}
	if l, _ := st.FindLibrary(ctx, lyon.ID); len(l.Contacts) != 1 || l.Contacts[0].Email != "paul@bm-lyon.fr" {
		t.Errorf("Lyon's other contact: %+v", l.Contacts)
	}
	invs, _ := st.ListInvitations(ctx, "landscape")
	for _, inv := range invs {
		erased := inv.LibraryID == villeurbanne.ID
		if erased != (inv.Email == "" && inv.Name == "" && inv.Revoked) {
			t.Errorf("invitation to %s: %+v", inv.LibraryID, inv)
		}
	}
	got := auditActions(t, st, "contact.erase")
	if len(got) != 1 || strings.Contains(got[0], "anne") {
		t.Errorf("the audit log keeps %q", got)
	}
	entries, _, _ := st.ListAudit(ctx, survey.AuditFilter{Action: "contact.erase"})
	if !strings.HasPrefix(entries[0].Target, "contact:sha256:") {
		t.Errorf("erasure target %q", entries[0].Target)
	}
	if again, _ := svc.ExportContact(admin, "anne@bm-lyon.fr"); len(again.Directory) != 0 || len(again.Invitations) != 0 {
		t.Errorf("after erasure Canvass still holds %+v", again)
	}
}

// TestContactAuditDetailsAgreeInNumber: the audit log's details of a
// contact's export and erasure read "1 entry", "1 library", not "1
// entries".
func TestContactAuditDetailsAgreeInNumber(t *testing.T) {
	svc, st := newService(t, nil)
	regionalDirectory(t, svc)
	if _, err := svc.ExportContact(admin, "ola@deichman.example"); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.ExportContact(admin, "shared@example.org"); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.EraseContact(admin, "ola@deichman.example"); err != nil {
		t.Fatal(err)
	}
	exports := auditActions(t, st, "contact.export")
	slices.Sort(exports)
	if want := []string{"admin@section.example: 1 entry, 0 invitations", "admin@section.example: 2 entries, 0 invitations"}; !slices.Equal(exports, want) {
		t.Errorf("export details %q, want %q", exports, want)
	}
	if got := auditActions(t, st, "contact.erase"); len(got) != 1 || got[0] != "admin@section.example: removed from 1 library and 0 invitations" {
		t.Errorf("erasure details %q", got)
	}
}
