package web_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/metlib/canvass/demo"
	"github.com/metlib/canvass/survey"
)

// reportsFixture is impact-methods answered by n made-up libraries stored
// as real ones (the directory's libraries not marked demo, the responses
// from the form, each through an invitation with a known personal link),
// and a region (small) left with fewer responding libraries than the
// disclosure minimum.
type reportsFixture struct {
	sv        *survey.Survey
	libraries []*survey.Library  // directory, every one
	responses []*survey.Response // as stored
	libOf     []int              // index in libraries of responses[i], -1 anonymous
	tokens    map[string]string  // library id → personal token
	byID      map[string]*survey.Library
	small     survey.Region
	smallLibs []string // ids of the responding libraries in small
}

func (a *app) seedReports(t testing.TB, n int) *reportsFixture {
	t.Helper()
	ctx := context.Background()
	sv, err := a.store.FindSurvey(ctx, "impact-methods")
	if err != nil {
		t.Fatal(err)
	}
	d := demo.Generate(sv, n, 11, time.Now())
	f := &reportsFixture{sv: sv, libraries: d.Libraries, libOf: d.LibraryOf, tokens: map[string]string{}, byID: map[string]*survey.Library{},
		small: survey.SubSaharanAfrica}
	k := sv.SmallCellK()
	// The small region holds k−2 responding libraries: those the draw put
	// there beyond them, and every anonymous respondent giving it, move
	// to Europe.
	inSmall := 0
	responding := map[int]bool{}
	for _, li := range d.LibraryOf {
		if li >= 0 {
			responding[li] = true
		}
	}
	for i, l := range d.Libraries {
		l.Demo = false
		if l.Region == f.small && (!responding[i] || inSmall >= k-2) {
			l.Region, l.RegionSet = survey.Europe, true
		} else if l.Region == f.small {
			inSmall++
		}
	}
	if inSmall == 0 {
		// The draw put nobody there: move k−2 responding libraries in.
		for i, l := range d.Libraries {
			if responding[i] && inSmall < k-2 && l.Region != f.small {
				l.Region, l.RegionSet = f.small, true
				inSmall++
			}
		}
	}
	for _, l := range d.Libraries {
		if err := a.store.CreateLibrary(ctx, l); err != nil {
			t.Fatal(err)
		}
		f.byID[l.ID] = l
		if l.Region == f.small {
			f.smallLibs = append(f.smallLibs, l.ID)
		}
	}
	for i, r := range d.Responses {
		r.Source = "web"
		if li := d.LibraryOf[i]; li >= 0 {
			l := d.Libraries[li]
			token := fmt.Sprintf("report-token-%04d-0123456789abcdef", i)
			inv := &survey.Invitation{SurveySlug: sv.Slug, LibraryID: l.ID, Name: l.Contacts[0].Name, Email: l.Contacts[0].Email,
				Language: r.Language, TokenHashes: []string{survey.HashSecret(token)}, Status: survey.InvitationSubmitted, CreatedAt: r.CreatedAt}
			if err := a.store.CreateInvitation(ctx, inv); err != nil {
				t.Fatal(err)
			}
			r.LibraryID, r.InvitationID, r.SubmissionID = l.ID, inv.ID, inv.SubmissionID()
			f.tokens[l.ID] = token
		} else if r.Region == f.small {
			r.Region = survey.Europe
		}
		if _, _, err := a.store.CreateResponse(ctx, r); err != nil {
			t.Fatal(err)
		}
		f.responses = append(f.responses, r)
	}
	return f
}
