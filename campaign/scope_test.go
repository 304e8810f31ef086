package campaign_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/metlib/canvass/campaign"
	"github.com/metlib/canvass/survey"
)

// coordinatorOf is the context of a coordinator of the regions.
func coordinatorOf(regions ...survey.Region) context.Context {
	return survey.WithActor(context.Background(), survey.Actor{Name: "coord@section.example", Role: survey.RoleCoordinator, Regions: regions})
}

// regionalDirectory stores libraries of three regions, one contact address
// (shared@) listed by a European and a North American library, and returns
// the libraries by name.
func regionalDirectory(t *testing.T, svc *campaign.Service) map[string]*survey.Library {
	t.Helper()
	libs := []*survey.Library{
		{Name: "Bibliothèque municipale de Lyon", Country: "FR", Contacts: []survey.Contact{{Name: "Claire", Email: "shared@example.org", Consent: true}}},
		{Name: "Deichman Oslo", Country: "NO", Contacts: []survey.Contact{{Name: "Ola", Email: "ola@deichman.example", Consent: true}}},
		{Name: "Stadtbibliothek Köln", Country: "DE"}, // no contact
		{Name: "Toronto Public Library", Country: "CA", Contacts: []survey.Contact{{Name: "Sam", Email: "shared@example.org", Consent: true}}},
		{Name: "National Library Board Singapore", Country: "SG", Contacts: []survey.Contact{{Email: "nlb@nlb.example", Consent: true}}},
	}
	out := map[string]*survey.Library{}
	for _, l := range libs {
		if err := svc.CreateLibrary(admin, l); err != nil {
			t.Fatal(err)
		}
		out[l.Name] = l
	}
	return out
}

// namesIn lists the names of the stored libraries in the regions, read from
// the store itself rather than through the use case under test.
func namesIn(t *testing.T, st interface {
	ListLibraries(context.Context, survey.LibraryFilter) ([]*survey.Library, int, error)
}, regions ...survey.Region) []string {
	t.Helper()
	all, _, err := st.ListLibraries(context.Background(), survey.LibraryFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, l := range all {
		if slices.Contains(regions, l.Region) {
			names = append(names, l.Name)
		}
	}
	sort.Strings(names)
	return names
}

func names(libs []*survey.Library) []string {
	var out []string
	for _, l := range libs {
		out = append(out, l.Name)
	}
	sort.Strings(out)
	return out
}

func TestACoordinatorSeesAndEditsOnlyTheirRegionsLibraries(t *testing.T) {
	svc, st := newService(t, nil)
	libs := regionalDirectory(t, svc)
	europe := coordinatorOf(survey.Europe)
	toronto, lyon := libs["Toronto Public Library"], libs["Bibliothèque municipale de Lyon"]

	got, total, err := svc.Libraries(europe, survey.LibraryFilter{})
	want := namesIn(t, st, survey.Europe)
	if err != nil || total != len(want) || !slices.Equal(names(got), want) {
		t.Errorf("Europe's coordinator lists %q (total %d, %v), want %q", names(got), total, err, want)
	}
	if len(want) != 3 {
		t.Fatalf("the directory has %d European libraries, the test means 3", len(want))
	}
	got, _, err = svc.Libraries(coordinatorOf(survey.Europe, survey.AsiaOceania), survey.LibraryFilter{})
	if want := namesIn(t, st, survey.Europe, survey.AsiaOceania); err != nil || !slices.Equal(names(got), want) {
		t.Errorf("a coordinator of two regions lists %q (%v), want %q", names(got), err, want)
	}
	// Asking for another region's libraries finds none, and the filters still combine.
	if got, total, err := svc.Libraries(europe, survey.LibraryFilter{Region: survey.NorthAmerica}); err != nil || total != 0 || len(got) != 0 {
		t.Errorf("Europe's coordinator filtering North America: %q, total %d, %v; want none", names(got), total, err)
	}
	if got, _, err := svc.Libraries(europe, survey.LibraryFilter{Country: "FR"}); err != nil || !slices.Equal(names(got), []string{lyon.Name}) {
		t.Errorf("Europe's coordinator filtering France: %q %v", names(got), err)
	}
	if got, _, _ := svc.Libraries(survey.WithActor(context.Background(), survey.Actor{Name: "x", Role: survey.RoleCoordinator}), survey.LibraryFilter{}); len(got) != 0 {
		t.Errorf("a coordinator without regions lists %q, want nothing", names(got))
	}

	// Another region's library is not found, in the same words as an unknown id.
	if l, err := svc.Library(europe, lyon.ID); err != nil || l.Name != lyon.Name {
		t.Errorf("own region's library: %+v %v", l, err)
	}
	_, err = svc.Library(europe, toronto.ID)
	_, unknown := svc.Library(admin, "000000000000000000000000")
	wantCode(t, "another region's library", err, survey.ENOTFOUND)
	if survey.ErrorMessage(err) != strings.ReplaceAll(survey.ErrorMessage(unknown), "000000000000000000000000", toronto.ID) {
		t.Errorf("another region's library says %q; an unknown one %q: they must not differ but for the id", survey.ErrorMessage(err), survey.ErrorMessage(unknown))
	}

	// Editing: their own region yes; another's is not found; moving a
	// library out of their regions, or creating one outside, is refused.
	edit := &survey.Library{Name: lyon.Name, City: "Lyon", Country: "FR", Contacts: lyon.Contacts}
	if err := svc.UpdateLibrary(europe, lyon.ID, edit); err != nil {
		t.Fatal(err)
	}
	if stored, _ := st.FindLibrary(context.Background(), lyon.ID); stored.City != "Lyon" {
		t.Errorf("the coordinator's edit was not stored: %+v", stored)
	}
	wantCode(t, "update another region's library", svc.UpdateLibrary(europe, toronto.ID, &survey.Library{Name: "Mine now", Country: "FR"}), survey.ENOTFOUND)
	err = svc.UpdateLibrary(europe, lyon.ID, &survey.Library{Name: lyon.Name, Country: "US"})
	if fields := survey.ErrorFields(err); survey.ErrorCode(err) != survey.EINVALID || len(fields) != 1 || fields[0].Path != "region" {
		t.Errorf("moving Lyon to the US: %v %+v, want EINVALID on region", err, fields)
	}
	for name, want := range map[string]string{toronto.ID: "Toronto Public Library", lyon.ID: lyon.Name} {
		if stored, _ := st.FindLibrary(context.Background(), name); stored.Name != want || stored.Country == "US" {
			t.Errorf("a refused edit changed %s: %+v", want, stored)
		}
	}
	madrid := &survey.Library{Name: "Biblioteca Regional de Madrid", Country: "ES"}
	if err := svc.CreateLibrary(europe, madrid); err != nil || madrid.Region != survey.Europe {
		t.Errorf("create in own region: %+v %v", madrid, err)
	}
	wantCode(t, "create in another region", svc.CreateLibrary(europe, &survey.Library{Name: "Chicago Public Library", Country: "US"}), survey.EINVALID)
	if _, n, _ := st.ListLibraries(context.Background(), survey.LibraryFilter{Region: survey.NorthAmerica}); n != 1 {
		t.Errorf("North America has %d libraries after a refused create, want 1", n)
	}

	// What reaches across the directory stays with admins.
	_, err = svc.DeleteLibrary(europe, lyon.ID)
	wantCode(t, "coordinator deletes", err, survey.EFORBIDDEN)
	_, _, err = svc.MergeLibraries(europe, lyon.ID, madrid.ID)
	wantCode(t, "coordinator merges", err, survey.EFORBIDDEN)
	// An import is theirs for their regions: another region's row is
	// rejected, and nothing of it is written.
	res, err := svc.ImportLibraries(europe, []byte("name,country\nBiblioteca de Bilbao,ES\nBoston Public Library,US\n"), campaign.Import{Format: "csv", Confirm: true})
	if err != nil || res.Created != 1 || res.Plan.Counts["reject"] != 1 || res.Plan.Rows[1].Action != "reject" {
		t.Errorf("a coordinator's import: %+v %v, want Bilbao created and Boston rejected", res, err)
	}
	if _, n, _ := st.ListLibraries(context.Background(), survey.LibraryFilter{Region: survey.NorthAmerica}); n != 1 {
		t.Errorf("North America has %d libraries after Europe's import, want 1", n)
	}

	// The export holds their regions only, read back with encoding/csv.
	var buf bytes.Buffer
	if _, err := svc.ExportLibraries(europe, &buf, survey.LibraryFilter{}, "csv"); err != nil {
		t.Fatal(err)
	}
	records, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	exported := map[string]bool{}
	for _, r := range records[1:] {
		exported[r[0]] = true
	}
	var exportedNames []string
	for n := range exported {
		exportedNames = append(exportedNames, n)
	}
	sort.Strings(exportedNames)
	if want := namesIn(t, st, survey.Europe); strings.TrimPrefix(records[0][0], "\ufeff") != "name" || !slices.Equal(exportedNames, want) {
		t.Errorf("Europe's export names %q (header %q), want %q", exportedNames, records[0], want)
	}
}

func TestACoordinatorsContactsAreTheirRegionsOnly(t *testing.T) {
	svc, st := newService(t, nil)
	libs := regionalDirectory(t, svc)
	europe := coordinatorOf(survey.Europe)
	if _, err := svc.Invite(admin, "landscape", campaign.Invitees{All: true}); err != nil {
		t.Fatal(err)
	}

	data, err := svc.ExportContact(europe, "shared@example.org")
	if err != nil {
		t.Fatal(err)
	}
	if len(data.Directory) != 1 || data.Directory[0].LibraryName != "Bibliothèque municipale de Lyon" || len(data.Invitations) != 1 || data.Invitations[0].Name != "Claire" {
		t.Errorf("Europe's coordinator's export of shared@: %+v, want Lyon's entry and Claire's invitation only", data)
	}
	all, err := svc.ExportContact(admin, "shared@example.org")
	if err != nil || len(all.Directory) != 2 || len(all.Invitations) != 2 {
		t.Errorf("the admin's export of shared@: %+v %v, want both libraries", all, err)
	}

	erased, err := svc.EraseContact(europe, "shared@example.org")
	if err != nil || erased.Libraries != 1 || erased.Invitations != 1 {
		t.Fatalf("Europe's coordinator erases shared@: %+v %v, want 1 library and 1 invitation", erased, err)
	}
	ctx := context.Background()
	lyon, _ := st.FindLibrary(ctx, libs["Bibliothèque municipale de Lyon"].ID)
	toronto, _ := st.FindLibrary(ctx, libs["Toronto Public Library"].ID)
	if len(lyon.Contacts) != 0 || len(toronto.Contacts) != 1 || toronto.Contacts[0].Email != "shared@example.org" {
		t.Errorf("after the erasure Lyon has %+v, Toronto %+v; want Lyon's contact gone, Toronto's kept", lyon.Contacts, toronto.Contacts)
	}
	invs, _ := st.ListInvitations(ctx, "landscape")
	for _, inv := range invs {
		if inv.LibraryID == toronto.ID && (inv.Revoked || inv.Email != "shared@example.org") {
			t.Errorf("Toronto's invitation was touched by Europe's coordinator: %+v", inv)
		}
		if inv.LibraryID == lyon.ID && (!inv.Revoked || inv.Email != "") {
			t.Errorf("Lyon's invitation was not cleared: %+v", inv)
		}
	}
}

func TestACoordinatorInvitesAndTracksOnlyTheirRegions(t *testing.T) {
	svc, st := newService(t, nil)
	libs := regionalDirectory(t, svc)
	europe := coordinatorOf(survey.Europe)
	toronto := libs["Toronto Public Library"]

	_, err := svc.Invite(europe, "landscape", campaign.Invitees{LibraryIDs: []string{libs["Deichman Oslo"].ID, toronto.ID}})
	wantCode(t, "inviting another region's library", err, survey.ENOTFOUND)
	_, err = svc.Invite(europe, "landscape", campaign.Invitees{Region: survey.NorthAmerica})
	wantCode(t, "inviting another region", err, survey.EFORBIDDEN)
	if invs, _ := st.ListInvitations(context.Background(), "landscape"); len(invs) != 0 {
		t.Fatalf("refused invitations stored %d", len(invs))
	}
	invited, err := svc.Invite(europe, "landscape", campaign.Invitees{All: true})
	if err != nil {
		t.Fatal(err)
	}
	// Every European library with a contact email is invited, and only those.
	var wantInvited []string
	for _, n := range namesIn(t, st, survey.Europe) {
		for _, l := range libs {
			if l.Name == n && len(l.Contacts) > 0 {
				wantInvited = append(wantInvited, n)
			}
		}
	}
	stored, _ := st.ListInvitations(context.Background(), "landscape")
	var invitedNames []string
	for _, inv := range stored {
		for _, l := range libs {
			if l.ID == inv.LibraryID {
				invitedNames = append(invitedNames, l.Name)
			}
		}
	}
	sort.Strings(invitedNames)
	if len(invited.Created) != len(wantInvited) || !slices.Equal(invitedNames, wantInvited) {
		t.Errorf("\"all\" by Europe's coordinator invited %q, want %q", invitedNames, wantInvited)
	}
	// The admin invites the rest: Toronto and Singapore.
	if _, err := svc.Invite(admin, "landscape", campaign.Invitees{All: true}); err != nil {
		t.Fatal(err)
	}

	list, err := svc.Invitations(europe, "landscape")
	if err != nil {
		t.Fatal(err)
	}
	var listed []string
	for _, inv := range list {
		listed = append(listed, inv.Library)
	}
	sort.Strings(listed)
	if !slices.Equal(listed, wantInvited) {
		t.Errorf("Europe's coordinator lists invitations to %q, want %q", listed, wantInvited)
	}
	tr, err := svc.Tracking(europe, "landscape")
	if err != nil {
		t.Fatal(err)
	}
	if tr.Overall.Invited != len(wantInvited) || len(tr.ByRegion) != 1 || tr.ByRegion[string(survey.Europe)] == nil || len(tr.NotResponding) != len(wantInvited) {
		t.Errorf("Europe's tracking %+v (by region %v), want %d invited, all in Europe", tr.Overall, tr.ByRegion, len(wantInvited))
	}
	if all, _ := svc.Tracking(admin, "landscape"); all.Overall.Invited != len(stored)+2 {
		t.Errorf("the admin's tracking counts %d invited, want %d", all.Overall.Invited, len(stored)+2)
	}

	// The mail-merge file of Europe's coordinator holds Europe's invitations,
	// and marks only those sent; Toronto's stays to be sent.
	file, err := svc.MailMerge(europe, "landscape", campaign.MergeRequest{Mailing: campaign.MailingInvitations, Format: "csv", Base: "https://survey.example"})
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(bytes.NewReader(file.Data)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var merged []string
	for _, r := range rows[1:] {
		merged = append(merged, r[0])
	}
	sort.Strings(merged)
	if !slices.Equal(merged, wantInvited) {
		t.Errorf("Europe's mail merge lists %q, want %q", merged, wantInvited)
	}
	var torontoInv *survey.Invitation
	all, _ := st.ListInvitations(context.Background(), "landscape")
	for _, inv := range all {
		if inv.LibraryID == toronto.ID {
			torontoInv = inv
		}
	}
	if torontoInv == nil || torontoInv.Status != survey.InvitationNotSent {
		t.Fatalf("Toronto's invitation after Europe's mail merge: %+v, want not sent", torontoInv)
	}

	// Another region's invitation cannot be withdrawn or marked bounced.
	_, err = svc.Revoke(europe, "landscape", torontoInv.ID)
	wantCode(t, "revoking another region's invitation", err, survey.ENOTFOUND)
	wantCode(t, "bouncing another region's invitation", svc.RecordBounce(europe, "landscape", torontoInv.ID, "550 no such user"), survey.ENOTFOUND)
	if after, _ := st.FindInvitation(context.Background(), torontoInv.ID); after.Revoked || after.SendError != "" {
		t.Errorf("Toronto's invitation changed: %+v", after)
	}
	if _, err := svc.Revoke(europe, "landscape", list[0].ID); err != nil {
		t.Errorf("revoking their own region's invitation: %v", err)
	}
}

// TestACoordinatorReadsOnlyTheirRegionsResponses: a coordinator of Europe
// lists and opens the responses giving Europe, counted by their survey
// summary; another region's response is ENOTFOUND with the words of an
// unknown id, and a region filter naming another region finds nothing.
func TestACoordinatorReadsOnlyTheirRegionsResponses(t *testing.T) {
	svc, st := newService(t, nil)
	europe := coordinatorOf(survey.Europe)
	ctx := context.Background()
	ids := map[survey.Region][]string{}
	for i, region := range []survey.Region{survey.Europe, survey.NorthAmerica, survey.Europe, survey.AsiaOceania} {
		r := &survey.Response{SurveySlug: "landscape", SurveyVersion: 1, SubmissionID: "scope-" + string(rune('a'+i)), Region: region,
			Status: survey.ResponseSubmitted, Language: "en"}
		stored, _, err := st.CreateResponse(ctx, r)
		if err != nil {
			t.Fatal(err)
		}
		ids[region] = append(ids[region], stored.ID)
	}
	list, total, err := svc.ListResponses(europe, "landscape", survey.ResponseFilter{Limit: 10})
	var got []string
	for _, r := range list {
		got = append(got, r.ID)
	}
	sort.Strings(got)
	want := slices.Sorted(slices.Values(ids[survey.Europe]))
	if err != nil || total != 2 || !slices.Equal(got, want) {
		t.Errorf("Europe's responses: %q (total %d, %v), want %q", got, total, err, want)
	}
	if list, total, err := svc.ListResponses(europe, "landscape", survey.ResponseFilter{Region: survey.NorthAmerica, Limit: 10}); err != nil || total != 0 || len(list) != 0 {
		t.Errorf("Europe's coordinator filtering North America: %d responses (total %d, %v), want none", len(list), total, err)
	}
	if r, _, err := svc.Response(europe, ids[survey.Europe][0]); err != nil || r.ID != ids[survey.Europe][0] {
		t.Errorf("their response: %v %v", r, err)
	}
	other := ids[survey.NorthAmerica][0]
	_, _, err = svc.Response(europe, other)
	_, _, unknown := svc.Response(europe, "000000000000000000000000")
	if survey.ErrorCode(err) != survey.ENOTFOUND || strings.ReplaceAll(survey.ErrorMessage(err), other, "ID") != strings.ReplaceAll(survey.ErrorMessage(unknown), "000000000000000000000000", "ID") {
		t.Errorf("another region's response: %v; an unknown one: %v (the same words wanted)", err, unknown)
	}
	if sum, err := svc.Survey(europe, "landscape"); err != nil || sum.Responses != 2 {
		t.Errorf("their survey summary counts %d responses (%v), want 2", sum.Responses, err)
	}
	if sum, err := svc.Survey(admin, "landscape"); err != nil || sum.Responses != 4 {
		t.Errorf("the admin's summary counts %d responses (%v), want 4", sum.Responses, err)
	}
}

// TestACoordinatorSeesNoResultsDownloadsNorAccounts: what adds up every
// region, and the accounts, stay the analysts' and admins'.
func TestACoordinatorSeesNoResultsDownloadsNorAccounts(t *testing.T) {
	svc, _ := newService(t, nil)
	europe := coordinatorOf(survey.Europe)
	_, err := svc.Analysis(europe, "landscape", campaign.Query{})
	wantCode(t, "analysis", err, survey.EFORBIDDEN)
	_, err = svc.PrepareDownload(europe, "landscape", campaign.Download{Kind: "raw", Format: "csv"})
	wantCode(t, "raw export", err, survey.EFORBIDDEN)
	_, err = svc.ListSurveys(europe)
	wantCode(t, "survey list with response counts", err, survey.EFORBIDDEN)
	_, _, err = svc.CreateSurvey(europe, campaign.Definition{})
	wantCode(t, "create survey", err, survey.EFORBIDDEN)
	_, err = svc.ListUsers(europe)
	wantCode(t, "users", err, survey.EFORBIDDEN)
	_, _, err = svc.CreateToken(europe, "mine", survey.RoleAnalyst)
	wantCode(t, "tokens", err, survey.EFORBIDDEN)
	_, err = svc.SaveMailTemplate(europe, "landscape", survey.MailTemplate{})
	wantCode(t, "mail texts", err, survey.EFORBIDDEN)
	// Tokens have no regions, so none is a coordinator.
	_, _, err = svc.CreateToken(admin, "regional", survey.RoleCoordinator)
	wantCode(t, "a coordinator token", err, survey.EINVALID)
}

func TestCoordinatorAccountsHaveRegions(t *testing.T) {
	svc, st := newService(t, nil)
	_, _, err := svc.CreateUser(admin, campaign.NewUser{Email: "ines@example.org", Role: survey.RoleCoordinator})
	if f := survey.ErrorFields(err); survey.ErrorCode(err) != survey.EINVALID || len(f) != 1 || f[0].Path != "regions" {
		t.Errorf("a coordinator without regions: %v %+v, want EINVALID on regions", err, f)
	}
	_, _, err = svc.CreateUser(admin, campaign.NewUser{Email: "ines@example.org", Role: survey.RoleCoordinator, Regions: []survey.Region{"atlantis"}})
	wantCode(t, "an unknown region", err, survey.EINVALID)
	_, _, err = svc.CreateUser(admin, campaign.NewUser{Email: "ines@example.org", Role: survey.RoleAnalyst, Regions: []survey.Region{survey.Europe}})
	wantCode(t, "an analyst with regions", err, survey.EINVALID)

	u, _, err := svc.CreateUser(admin, campaign.NewUser{Email: "ines@example.org", Role: survey.RoleCoordinator,
		Regions: []survey.Region{survey.NorthAmerica, survey.Europe, survey.NorthAmerica}})
	if err != nil {
		t.Fatal(err)
	}
	stored, _ := st.FindUserByID(context.Background(), u.ID)
	if want := []survey.Region{survey.Europe, survey.NorthAmerica}; stored.Role != survey.RoleCoordinator || !slices.Equal(stored.Regions, want) {
		t.Errorf("stored %s with regions %q, want a coordinator of %q", stored.Role, stored.Regions, want)
	}
	if _, err := svc.UpdateUser(admin, u.ID, survey.RoleCoordinator, []survey.Region{survey.SubSaharanAfrica}, false); err != nil {
		t.Fatal(err)
	}
	stored, _ = st.FindUserByID(context.Background(), u.ID)
	if !slices.Equal(stored.Regions, []survey.Region{survey.SubSaharanAfrica}) {
		t.Errorf("regions after the update %q, want sub_saharan_africa", stored.Regions)
	}
	_, err = svc.UpdateUser(admin, u.ID, survey.RoleAnalyst, []survey.Region{survey.Europe}, false)
	wantCode(t, "an analyst keeping regions", err, survey.EINVALID)
	if _, err := svc.UpdateUser(admin, u.ID, survey.RoleAnalyst, nil, false); err != nil {
		t.Fatal(err)
	}
	stored, _ = st.FindUserByID(context.Background(), u.ID)
	if stored.Role != survey.RoleAnalyst || len(stored.Regions) != 0 {
		t.Errorf("after becoming an analyst: %s with regions %q, want none", stored.Role, stored.Regions)
	}
	want := []string{
		"admin@section.example: was coordinator of sub_saharan_africa, disabled false; now analyst, disabled false",
		"admin@section.example: was coordinator of europe, north_america, disabled false; now coordinator of sub_saharan_africa, disabled false",
	}
	if got := auditActions(t, st, "user.update"); !slices.Equal(got, want) {
		t.Errorf("audit %q, want %q", got, want)
	}
}

// TestAnInvitedResponseBelongsToItsLibrarysRegion: the respondents of an
// Asia-Oceania and a Latin American library tick Spain and Europe, and
// a European library's tick Asia-Oceania. Each invited response is its
// library's region's, whatever was ticked: Europe's coordinator lists,
// counts and opens only the European library's and the anonymous one
// giving Europe; Asia-Oceania's opens Singapore's. When Singapore's
// library moves to Europe in the directory, its response moves with it.
func TestAnInvitedResponseBelongsToItsLibrarysRegion(t *testing.T) {
	svc, st := newService(t, nil)
	ctx := context.Background()
	libs := regionalDirectory(t, svc)
	lyon, singapore := libs["Bibliothèque municipale de Lyon"], libs["National Library Board Singapore"]
	santiago := &survey.Library{Name: "Biblioteca de Santiago", Country: "CL"}
	if err := svc.CreateLibrary(admin, santiago); err != nil || santiago.Region != survey.LatinAmericaCaribbean {
		t.Fatalf("Santiago: %v, region %s", err, santiago.Region)
	}
	id := map[string]string{}
	for name, r := range map[string]*survey.Response{
		"singapore": {LibraryID: singapore.ID, Country: "ES", Region: survey.Europe},
		"santiago":  {LibraryID: santiago.ID, Country: "ES", Region: survey.Europe},
		"lyon":      {LibraryID: lyon.ID, Country: "JP", Region: survey.AsiaOceania},
		"anonymous": {Country: "ES", Region: survey.Europe},
	} {
		r.SurveySlug, r.SurveyVersion, r.SubmissionID, r.Status, r.Language = "landscape", 1, "ticked-"+name, survey.ResponseSubmitted, "en"
		stored, _, err := st.CreateResponse(ctx, r)
		if err != nil {
			t.Fatal(err)
		}
		id[name] = stored.ID
	}
	sees := func(ctx context.Context, want ...string) {
		t.Helper()
		var wantIDs []string
		for _, n := range want {
			wantIDs = append(wantIDs, id[n])
		}
		sort.Strings(wantIDs)
		list, total, err := svc.ListResponses(ctx, "landscape", survey.ResponseFilter{Limit: 10})
		var got []string
		for _, r := range list {
			got = append(got, r.ID)
		}
		sort.Strings(got)
		if err != nil || total != len(want) || !slices.Equal(got, wantIDs) {
			t.Errorf("listed %q (total %d, %v), want %q (%q)", got, total, err, wantIDs, want)
		}
		for name, rid := range id {
			_, _, err := svc.Response(ctx, rid)
			if mine := slices.Contains(want, name); mine && err != nil || !mine && survey.ErrorCode(err) != survey.ENOTFOUND {
				t.Errorf("opening %s's response: %v (theirs: %v)", name, err, mine)
			}
		}
		if sum, err := svc.Survey(ctx, "landscape"); err != nil || sum.Responses != len(want) {
			t.Errorf("their summary counts %d responses (%v), want %d", sum.Responses, err, len(want))
		}
		regional, err := svc.RegionalSurveys(ctx)
		i := slices.IndexFunc(regional, func(r campaign.RegionalSurvey) bool { return r.Survey.Slug == "landscape" })
		if err != nil || i < 0 || regional[i].Responses != len(want) {
			t.Errorf("their dashboard's surveys (%v): landscape at %d, want %d responses", err, i, len(want))
		} else {
			for _, r := range regional {
				if r.Survey.Slug != "landscape" && r.Responses != 0 {
					t.Errorf("their dashboard counts %d responses to %s, which has none", r.Responses, r.Survey.Slug)
				}
			}
		}
	}
	europe, asia, latin := coordinatorOf(survey.Europe), coordinatorOf(survey.AsiaOceania), coordinatorOf(survey.LatinAmericaCaribbean)
	sees(europe, "lyon", "anonymous")
	sees(asia, "singapore")
	sees(latin, "santiago")
	// A region filter compares the region a response gives, within theirs.
	if list, total, err := svc.ListResponses(asia, "landscape", survey.ResponseFilter{Region: survey.AsiaOceania, Limit: 10}); err != nil || total != 0 || len(list) != 0 {
		t.Errorf("Asia-Oceania's coordinator filtering Asia-Oceania: %d (%v), want none (Lyon's is Europe's)", total, err)
	}
	if list, total, err := svc.ListResponses(asia, "landscape", survey.ResponseFilter{Region: survey.Europe, Limit: 10}); err != nil || total != 1 || len(list) != 1 || list[0].ID != id["singapore"] {
		t.Errorf("Asia-Oceania's coordinator filtering Europe: %d (%v), want Singapore's", total, err)
	}

	moved := *singapore
	moved.Country, moved.Region = "FR", ""
	if err := svc.UpdateLibrary(admin, singapore.ID, &moved); err != nil {
		t.Fatal(err)
	}
	if l, err := st.FindLibrary(ctx, singapore.ID); err != nil || l.Region != survey.Europe {
		t.Fatalf("the moved library: %v, %v", l, err)
	}
	sees(europe, "lyon", "anonymous", "singapore")
	sees(asia)
	// Once its library has left the directory, no coordinator has it.
	if _, err := svc.DeleteLibrary(admin, santiago.ID); err != nil {
		t.Fatal(err)
	}
	sees(latin)
}
