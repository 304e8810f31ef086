package campaign_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"net/url"
	"sync"
	"testing"

	"github.com/metlib/canvass/campaign"
	"github.com/metlib/canvass/survey"
)

// TestACoordinatorsEditNeverLandsAfterTheLibraryLeftTheirRegion sends an
// administrator's move of a European library to North America and the
// European coordinator's edit of it at the same moment, many times. Each
// may win, but the coordinator's edit must never be written over a
// library already moved out of their region: when the administrator's
// move is acknowledged, the library ends in North America (a review found
// the coordinator's name in Europe in 11 of 25 runs).
func TestACoordinatorsEditNeverLandsAfterTheLibraryLeftTheirRegion(t *testing.T) {
	svc, st := newService(t, nil)
	europe := coordinatorOf(survey.Europe)
	for run := range 20 {
		l := &survey.Library{Name: "Bait Library", Country: "FR"}
		if err := svc.CreateLibrary(admin, l); err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		var moveErr, editErr error
		start := make(chan struct{})
		wg.Add(2)
		go func() {
			defer wg.Done()
			<-start
			moved := &survey.Library{Name: "Bait Library", Country: "FR", Region: survey.NorthAmerica, RegionSet: true}
			moveErr = svc.UpdateLibrary(admin, l.ID, moved)
		}()
		go func() {
			defer wg.Done()
			<-start
			edited := &survey.Library{Name: "Bait coord", Country: "FR"}
			editErr = svc.UpdateLibrary(europe, l.ID, edited)
		}()
		close(start)
		wg.Wait()
		got, err := st.FindLibrary(context.Background(), l.ID)
		if err != nil {
			t.Fatal(err)
		}
		if moveErr == nil && got.Region != survey.NorthAmerica {
			t.Errorf("run %d: the move was acknowledged, the coordinator's edit %v, and the library is %q in %s", run, editErr, got.Name, got.Region)
		}
		for _, err := range []error{moveErr, editErr} {
			if c := survey.ErrorCode(err); c != "" && c != survey.ECONFLICT && c != survey.ENOTFOUND {
				t.Errorf("run %d: %v", run, err)
			}
		}
	}
}

// TestTwoMailMergesAtOnceIssueOneFile: a double click on "Download the
// mail-merge file" makes one file whose links all work; the other request
// is told the links went out already, and nothing it made is dead.
func TestTwoMailMergesAtOnceIssueOneFile(t *testing.T) {
	svc, st := newService(t, nil)
	regionalDirectory(t, svc)
	if _, err := svc.Invite(admin, "landscape", campaign.Invitees{All: true}); err != nil {
		t.Fatal(err)
	}
	const clicks = 4
	files := make([]*campaign.MergeFile, clicks)
	errs := make([]error, clicks)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range clicks {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			files[i], errs[i] = svc.MailMerge(admin, "landscape", campaign.MergeRequest{Mailing: campaign.MailingInvitations, Format: "csv", Base: "https://canvass.example"})
		}()
	}
	close(start)
	wg.Wait()
	made := 0
	for i := range clicks {
		switch survey.ErrorCode(errs[i]) {
		case "":
			made++
			rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(files[i].Data, []byte("\uFEFF")))).ReadAll()
			if err != nil || len(rows) < 2 {
				t.Fatalf("file %q: %v", files[i].Data, err)
			}
			for _, row := range rows[1:] {
				u, _ := url.Parse(row[4])
				if _, err := st.FindInvitationByToken(context.Background(), survey.HashSecret(u.Query().Get("t"))); err != nil {
					t.Errorf("a link of the file made is dead: %s (%v)", row[4], err)
				}
			}
		case survey.ECONFLICT:
		default:
			t.Errorf("click %d: %v", i, errs[i])
		}
	}
	if made != 1 {
		t.Errorf("%d of %d simultaneous downloads made a file, want 1 (the others are told the links went out)", made, clicks)
	}
	if got := auditActions(t, st, "invitation.mailmerge"); len(got) != 1 {
		t.Errorf("audited %v", got)
	}
}
