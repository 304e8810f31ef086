package campaign_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"net/url"
	"os"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/metlib/canvass/campaign"
	canvassmail "github.com/metlib/canvass/mail"
	"github.com/metlib/canvass/mail/mailtest"
	"github.com/metlib/canvass/survey"
)

// TestSmallCampaign runs a campaign end to end on the embedded database and
// a real SMTP server: five libraries imported from a CSV file, the European
// ones invited, invitations sent, one bounce, one answer, reminders; the
// tracking figures are checked against counts made here from the file and
// the stored invitations.
func TestSmallCampaign(t *testing.T) {
	server := mailtest.Start(t)
	cfg, err := canvassmail.ParseURL("smtp://" + server.Addr + "?from=survey@section.example")
	if err != nil {
		t.Fatal(err)
	}
	svc, st := newService(t, canvassmail.NewSender(cfg))
	ctx := admin
	data, err := os.ReadFile("testdata/five-libraries.csv")
	if err != nil {
		t.Fatal(err)
	}

	// What the file says, read here with encoding/csv: the European rows,
	// and which of them have an email.
	records, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	european := map[string]bool{"France": true, "DE": true, "Norway": true, "ES": true}
	wantTo := map[string]string{} // email → language of the message
	europeanRows := 0
	for _, r := range records[1:] {
		if european[r[2]] {
			europeanRows++
			if r[5] != "" {
				lang := r[6]
				if lang != "en" && lang != "fr" && lang != "es" {
					lang = "en" // the landscape survey's default
				}
				wantTo[r[5]] = lang
			}
		}
	}

	// The dry run writes nothing; confirming creates the five.
	dry, err := svc.ImportLibraries(ctx, data, campaign.Import{Format: "csv"})
	if err != nil || dry.Applied || dry.Plan.Counts["create"] != len(records)-1 {
		t.Fatalf("dry run: %+v %v", dry, err)
	}
	if _, n, _ := st.ListLibraries(context.Background(), survey.LibraryFilter{}); n != 0 {
		t.Fatalf("the dry run stored %d libraries", n)
	}
	done, err := svc.ImportLibraries(ctx, data, campaign.Import{Format: "csv", Confirm: true, Source: "five-libraries.csv"})
	if err != nil || !done.Applied || done.Created != 5 {
		t.Fatalf("import: %+v %v", done, err)
	}

	// Invite Europe: every European library with an email, once.
	invited, err := svc.Invite(ctx, "landscape", campaign.Invitees{Region: survey.Europe})
	if err != nil {
		t.Fatal(err)
	}
	if len(invited.Created) != len(wantTo) || len(invited.Skipped) != europeanRows-len(wantTo) || invited.Skipped[0].Reason != campaign.SkipNoEmail {
		t.Fatalf("invited %d, skipped %+v; want %d invited, %d skipped", len(invited.Created), invited.Skipped, len(wantTo), europeanRows-len(wantTo))
	}
	if again, err := svc.Invite(ctx, "landscape", campaign.Invitees{Region: survey.Europe}); err != nil || len(again.Created) != 0 {
		t.Errorf("inviting again: %+v %v", again, err)
	}
	_, err = svc.Invite(ctx, "landscape", campaign.Invitees{Region: "atlantis"})
	wantCode(t, "unknown region", err, survey.EINVALID)
	if fields := survey.ErrorFields(err); len(fields) != 1 || fields[0].Path != "region" {
		t.Errorf("unknown region fields %+v", fields)
	}

	// Send: one message per invitation, each in its language, with a link
	// whose token finds the invitation.
	sent, err := svc.Send(ctx, "landscape", survey.MailInvitation, "https://survey.example.org/")
	if err != nil || sent.Sent != len(wantTo) || len(sent.Failed) != 0 {
		t.Fatalf("send: %+v %v", sent, err)
	}
	got := server.Messages()
	if len(got) != len(wantTo) {
		t.Fatalf("%d messages delivered, want %d", len(got), len(wantTo))
	}
	link := regexp.MustCompile(`https://survey\.example\.org/s/landscape\?\S+`)
	for _, m := range got {
		lang, ok := wantTo[m.To]
		if !ok {
			t.Errorf("a message to %s, who is not a European contact", m.To)
			continue
		}
		u, err := url.Parse(link.FindString(m.Body))
		if err != nil || u.Query().Get("lang") != lang {
			t.Errorf("to %s: link %q, want lang=%s", m.To, link.FindString(m.Body), lang)
			continue
		}
		inv, err := st.FindInvitationByToken(context.Background(), survey.HashSecret(u.Query().Get("t")))
		if err != nil || inv.Email != m.To || inv.Status != survey.InvitationSent {
			t.Errorf("to %s: the link's token finds %+v %v", m.To, inv, err)
		}
	}
	// The French contact gets the French text, with the survey's French title.
	sv, _ := st.FindSurvey(context.Background(), "landscape")
	if fr := byTo(got)["claire@bm-lyon.fr"]; fr.Subject != sv.Title["fr"]+"\u00a0: invitation pour Bibliothèque municipale de Lyon" || !strings.HasPrefix(fr.Body, "Bonjour Claire Martin,") {
		t.Errorf("the French contact got %q / %q", fr.Subject, fr.Body)
	}
	if de := byTo(got)["info@stbib-koeln.de"]; !strings.HasPrefix(de.Subject, sv.Title["en"]+": an invitation to") {
		t.Errorf("a German contact (the survey has no German) got %q", de.Subject)
	}

	// One bounce comes back later; Lyon answers.
	invs, err := st.ListInvitations(context.Background(), "landscape")
	if err != nil {
		t.Fatal(err)
	}
	var koeln, lyon *survey.Invitation
	for _, inv := range invs {
		switch inv.Email {
		case "info@stbib-koeln.de":
			koeln = inv
		case "claire@bm-lyon.fr":
			lyon = inv
		}
	}
	wantCode(t, "bounce without a reason", svc.RecordBounce(ctx, "landscape", koeln.ID, "  "), survey.EINVALID)
	wantCode(t, "bounce on another survey", svc.RecordBounce(ctx, "impact-methods", koeln.ID, "550"), survey.ENOTFOUND)
	if err := svc.RecordBounce(ctx, "landscape", koeln.ID, "550 5.1.1 mailbox unknown"); err != nil {
		t.Fatal(err)
	}
	lyon.Advance(survey.InvitationSubmitted, lyon.CreatedAt)
	if err := st.UpdateInvitation(context.Background(), lyon); err != nil {
		t.Fatal(err)
	}

	// Toronto is invited after the sending: invited, not sent.
	if more, err := svc.Invite(ctx, "landscape", campaign.Invitees{Region: survey.NorthAmerica}); err != nil || len(more.Created) != 1 {
		t.Fatalf("invite North America: %+v %v", more, err)
	}

	// Tracking, against counts made here from the stored invitations, each
	// placed in its region by the file (European contacts, else Toronto's).
	tr, err := svc.Tracking(analyst, "landscape")
	if err != nil {
		t.Fatal(err)
	}
	invs, _ = st.ListInvitations(context.Background(), "landscape")
	wantRegion := map[string]*campaign.TrackingGroup{"europe": {}, "north_america": {}}
	var wantAll campaign.TrackingGroup
	var waiting, due []string
	for _, inv := range invs {
		g := wantRegion["north_america"]
		if _, ok := wantTo[inv.Email]; ok {
			g = wantRegion["europe"]
		}
		for _, c := range []*campaign.TrackingGroup{g, &wantAll} {
			c.Invited++
			if inv.SentAt != nil {
				c.Sent++
			}
			if inv.SubmittedAt != nil { // Lyon went straight to submitted: opened and started count it
				c.Opened++
				c.Started++
				c.Submitted++
			}
			c.ResponseRate = float64(c.Submitted) / float64(c.Invited)
		}
		if inv.SubmittedAt == nil {
			waiting = append(waiting, inv.Email)
			if inv.SentAt != nil {
				due = append(due, inv.Email)
			}
		}
	}
	sort.Strings(waiting)
	sort.Strings(due)
	if wantAll.Invited != 4 || wantAll.Sent != 3 || wantAll.Submitted != 1 {
		t.Fatalf("the store holds %+v", wantAll)
	}
	if tr.Overall != wantAll {
		t.Errorf("overall %+v, want %+v", tr.Overall, wantAll)
	}
	for region, want := range wantRegion {
		if g := tr.ByRegion[region]; g == nil || *g != *want {
			t.Errorf("region %s: %+v, want %+v", region, g, want)
		}
	}
	if len(tr.ByRegion) != 2 {
		t.Errorf("by region %v", tr.ByRegion)
	}
	if g := tr.ByType["city_system"]; g == nil || g.Invited != len(invs) {
		t.Errorf("by type %v", tr.ByType)
	}
	var gotWaiting []string
	for _, w := range tr.NotResponding {
		gotWaiting = append(gotWaiting, w.Email)
	}
	sort.Strings(gotWaiting)
	if strings.Join(gotWaiting, ",") != strings.Join(waiting, ",") {
		t.Errorf("not responding %v, want %v", gotWaiting, waiting)
	}
	list, _ := svc.Invitations(analyst, "landscape")
	for _, inv := range list {
		if inv.ID == koeln.ID && (inv.SendError != "bounced: 550 5.1.1 mailbox unknown" || inv.Library != "Stadtbibliothek Köln") {
			t.Errorf("Köln's invitation: %q %q", inv.Library, inv.SendError)
		}
	}

	// Reminders go to those sent one who have not answered (not Toronto,
	// never sent one); a successful sending clears the bounce.
	before := len(server.Messages())
	rem, err := svc.Send(ctx, "landscape", survey.MailReminder, "https://survey.example.org")
	if err != nil || rem.Sent != len(due) {
		t.Fatalf("reminders: %+v %v, want %d sent", rem, err, len(due))
	}
	var reminded []string
	for _, m := range server.Messages()[before:] {
		reminded = append(reminded, m.To)
	}
	sort.Strings(reminded)
	if strings.Join(reminded, ",") != strings.Join(due, ",") {
		t.Errorf("reminded %v, want %v", reminded, due)
	}
	if inv, _ := st.FindInvitation(context.Background(), koeln.ID); inv.SendError != "" || inv.Reminders != 1 || len(inv.TokenHashes) != 2 {
		t.Errorf("Köln after the reminder: error %q, %d reminders, %d links", inv.SendError, inv.Reminders, len(inv.TokenHashes))
	}

	// Each change is in the audit log under the actor (newest first).
	for action, want := range map[string]string{
		"library.import":    "admin@section.example: 5 created, 0 merged from five-libraries.csv",
		"invitation.create": "admin@section.example: 1 library invited",
		"invitation.bounce": "admin@section.example: 550 5.1.1 mailbox unknown",
	} {
		if got := auditActions(t, st, action); len(got) == 0 || got[0] != want {
			t.Errorf("audit %s: %q, want newest %q", action, got, want)
		}
	}
	if got := auditActions(t, st, "invitation.send"); len(got) != 2 {
		t.Errorf("audit of sendings: %q", got)
	}
}

func byTo(ms []mailtest.Received) map[string]mailtest.Received {
	out := map[string]mailtest.Received{}
	for _, m := range ms {
		out[m.To] = m
	}
	return out
}

// TestRefusedRecipient: a recipient the SMTP server refuses fails alone,
// with its error kept on the invitation; the others are sent.
func TestRefusedRecipient(t *testing.T) {
	server := mailtest.Start(t)
	server.Reject("kari@deichman.no")
	cfg, _ := canvassmail.ParseURL("smtp://" + server.Addr + "?from=survey@section.example")
	svc, st := newService(t, canvassmail.NewSender(cfg))
	data, _ := os.ReadFile("testdata/five-libraries.csv")
	if _, err := svc.ImportLibraries(admin, data, campaign.Import{Format: "csv", Confirm: true}); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Invite(admin, "landscape", campaign.Invitees{All: true}); err != nil {
		t.Fatal(err)
	}
	res, err := svc.Send(admin, "landscape", survey.MailInvitation, "https://survey.example.org")
	if err != nil || res.Sent != 3 || len(res.Failed) != 1 || res.Failed[0].Email != "kari@deichman.no" || !strings.Contains(res.Failed[0].Error, "No such mailbox") {
		t.Fatalf("send: %+v %v", res, err)
	}
	if n := len(server.Messages()); n != 3 {
		t.Errorf("%d delivered, want 3", n)
	}
	inv, _ := st.FindInvitation(context.Background(), res.Failed[0].InvitationID)
	if inv.Status != survey.InvitationNotSent || !strings.Contains(inv.SendError, "No such mailbox") {
		t.Errorf("the refused invitation: %s %q", inv.Status, inv.SendError)
	}
}

// TestMailMerge: without SMTP, the mail-merge file carries a working link
// per invitation not yet sent, and only then are they marked sent; a bad
// format marks nothing.
func TestMailMerge(t *testing.T) {
	svc, st := newService(t, nil)
	data, _ := os.ReadFile("testdata/five-libraries.csv")
	if _, err := svc.ImportLibraries(admin, data, campaign.Import{Format: "csv", Confirm: true}); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Invite(admin, "landscape", campaign.Invitees{Region: survey.NorthAmerica}); err != nil {
		t.Fatal(err)
	}
	_, err := svc.Send(admin, "landscape", survey.MailInvitation, "https://x.example")
	wantCode(t, "send without SMTP", err, survey.ECONFLICT)
	_, err = svc.MailMerge(admin, "landscape", campaign.MergeRequest{Mailing: campaign.MailingInvitations, Format: "pdf", Base: "https://x.example"})
	wantCode(t, "mail merge as pdf", err, survey.EINVALID)
	if invs, _ := st.ListInvitations(context.Background(), "landscape"); len(invs) != 1 || invs[0].Status != survey.InvitationNotSent {
		t.Fatalf("after a refused mail merge: %+v", invs)
	}
	_, err = svc.MailMerge(admin, "landscape", campaign.MergeRequest{Mailing: campaign.MailingReminders, Format: "csv", Base: "https://x.example"})
	wantCode(t, "reminders before any sending", err, survey.ECONFLICT)
	file, err := svc.MailMerge(admin, "landscape", campaign.MergeRequest{Mailing: campaign.MailingInvitations, Format: "csv", Base: "https://x.example"})
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(file.Data, []byte("\uFEFF")))).ReadAll()
	if err != nil || len(rows) != 2 || strings.Join(rows[1][:4], "|") != "Toronto Public Library|Vickery Bowles|ceo@tpl.ca|en" {
		t.Fatalf("mail merge rows %q %v", rows, err)
	}
	u, _ := url.Parse(rows[1][4])
	inv, err := st.FindInvitationByToken(context.Background(), survey.HashSecret(u.Query().Get("t")))
	if err != nil || inv.Status != survey.InvitationSent || u.Host != "x.example" {
		t.Errorf("the file's link finds %+v %v", inv, err)
	}
	// The built-in English text, rendered for Toronto, with the link.
	sv, _ := st.FindSurvey(context.Background(), "landscape")
	if rows[1][5] != sv.Title["en"]+": an invitation to Toronto Public Library" || !strings.HasPrefix(rows[1][6], "Dear Vickery Bowles,") || !strings.Contains(rows[1][6], rows[1][4]+"\n") {
		t.Errorf("subject %q, body %q", rows[1][5], rows[1][6])
	}
	// A second file is never just a header: it says what to do.
	_, err = svc.MailMerge(admin, "landscape", campaign.MergeRequest{Mailing: campaign.MailingInvitations, Format: "csv", Base: "https://x.example"})
	wantCode(t, "a second file", err, survey.ECONFLICT)
	if msg := survey.ErrorMessage(err); !strings.Contains(msg, "reminder file") || !strings.Contains(msg, "new links") {
		t.Errorf("a second file says %q", msg)
	}
}

// TestConsentAndLegalBasis: contacts without recorded consent are left out
// with the reason, unless a documented legal basis is given, which is
// checked and audited; a withdrawn invitation is issued again on the
// same invitation, without its old links.
func TestConsentAndLegalBasis(t *testing.T) {
	svc, st := newService(t, nil)
	ctx := context.Background()
	consenting := &survey.Library{Name: "Deichman", Country: "NO", Contacts: []survey.Contact{{Name: "Kari", Email: "kari@deichman.no"}, {Name: "Ola", Email: "ola@deichman.no", Consent: true}}}
	silent := &survey.Library{Name: "Helsinki City Library", Country: "FI", Contacts: []survey.Contact{{Name: "Anna", Email: "anna@hel.fi"}}}
	for _, l := range []*survey.Library{consenting, silent} {
		if err := svc.CreateLibrary(admin, l); err != nil {
			t.Fatal(err)
		}
	}
	done, err := svc.Invite(admin, "landscape", campaign.Invitees{All: true})
	if err != nil || len(done.Created) != 1 || len(done.Skipped) != 1 || done.Skipped[0] != (campaign.Skipped{LibraryID: silent.ID, Name: silent.Name, Reason: campaign.SkipNoConsent}) {
		t.Fatalf("invite all: %+v %v", done, err)
	}
	// The consenting contact, not the first one, is invited.
	if inv, _ := st.FindInvitation(ctx, done.Created[0]); inv.Email != "ola@deichman.no" {
		t.Errorf("invited %q, want the contact who consented", inv.Email)
	}
	for _, basis := range []campaign.LegalBasis{{Kind: "because", Note: "x"}, {Kind: campaign.BasisLegitimateInterest, Note: "  "}} {
		_, err := svc.Invite(admin, "landscape", campaign.Invitees{All: true, Basis: &basis})
		wantCode(t, "basis "+basis.Kind, err, survey.EINVALID)
	}
	basis := campaign.LegalBasis{Kind: campaign.BasisLegitimateInterest, Note: "LIA of 2 November 2026"}
	done, err = svc.Invite(admin, "landscape", campaign.Invitees{All: true, Basis: &basis})
	if err != nil || len(done.Created) != 1 || len(done.OnBasis) != 1 || len(done.Skipped) != 1 || done.Skipped[0].Reason != campaign.SkipInvited {
		t.Fatalf("invite on a basis: %+v %v", done, err)
	}
	if got := auditActions(t, st, "invitation.legal_basis"); len(got) != 1 || got[0] != "admin@section.example: legitimate_interest (LIA of 2 November 2026): 1 contact without recorded consent invited: Helsinki City Library" {
		t.Errorf("audit of the basis: %q", got)
	}

	// Helsinki is sent its link, starts, is withdrawn, and invited again.
	file, err := svc.MailMerge(admin, "landscape", campaign.MergeRequest{Mailing: campaign.MailingInvitations, Format: "csv", Base: "https://x.example"})
	if err != nil || file.Rows != 2 {
		t.Fatalf("file: %v %+v", err, file)
	}
	helsinki := done.Created[0]
	inv, _ := st.FindInvitation(ctx, helsinki)
	old := inv.TokenHashes
	inv.Advance(survey.InvitationStarted, time.Now())
	if err := st.UpdateInvitation(ctx, inv); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Revoke(admin, "landscape", helsinki); err != nil {
		t.Fatal(err)
	}
	if tr, _ := svc.Tracking(analyst, "landscape"); tr.Overall.Invited != 1 {
		t.Errorf("withdrawn still tracked: %+v", tr.Overall)
	}
	again, err := svc.Invite(admin, "landscape", campaign.Invitees{LibraryIDs: []string{silent.ID}, Basis: &basis})
	if err != nil || len(again.Reinvited) != 1 || again.Reinvited[0] != helsinki || len(again.Created) != 0 {
		t.Fatalf("invite again: %+v %v", again, err)
	}
	inv, _ = st.FindInvitation(ctx, helsinki)
	if inv.Revoked || len(inv.TokenHashes) != 0 || inv.SentAt != nil || inv.Status != survey.InvitationStarted {
		t.Errorf("invited again: %+v", inv)
	}
	if _, err := st.FindInvitationByToken(ctx, old[0]); err == nil {
		t.Error("the old link's token still finds the invitation")
	}
	if tr, _ := svc.Tracking(analyst, "landscape"); tr.Overall.Invited != 2 || tr.Overall.Started != 1 {
		t.Errorf("tracking after inviting again: %+v", tr.Overall)
	}
	// Its new link comes with the next invitations file.
	file, err = svc.MailMerge(admin, "landscape", campaign.MergeRequest{Mailing: campaign.MailingInvitations, Format: "csv", Base: "https://x.example"})
	if err != nil || file.Rows != 1 || !strings.Contains(string(file.Data), "anna@hel.fi") {
		t.Fatalf("file after inviting again: %v %q", err, file.Data)
	}
}

// TestInvitationRoles: the actor in the context decides.
func TestInvitationRoles(t *testing.T) {
	svc, _ := newService(t, nil)
	_, err := svc.Invite(analyst, "landscape", campaign.Invitees{All: true})
	wantCode(t, "analyst invites", err, survey.EFORBIDDEN)
	_, err = svc.Invite(context.Background(), "landscape", campaign.Invitees{All: true})
	wantCode(t, "nobody invites", err, survey.EUNAUTHORIZED)
	_, err = svc.Invite(admin, "landscape", campaign.Invitees{})
	wantCode(t, "inviting nobody", err, survey.EINVALID)
	_, err = svc.Invite(admin, "no-such-survey", campaign.Invitees{All: true})
	wantCode(t, "unknown survey", err, survey.ENOTFOUND)
	if _, err := svc.Tracking(analyst, "landscape"); err != nil {
		t.Errorf("analyst tracking: %v", err)
	}
}
