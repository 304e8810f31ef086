package store_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/metlib/canvass/survey"
	"github.com/metlib/canvass/survey/store/storetest"
)

func TestLibraries(t *testing.T) {
	st := storetest.New(t)
	ctx := context.Background()
	consent := time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)
	libs := []*survey.Library{
		{Name: "Bibliothèque municipale de Lyon", City: "Lyon", Country: "fr", Type: survey.CitySystem, Member: true, PublicProfile: true,
			Contacts: []survey.Contact{{Name: "Anne", Email: "Anne@BM-Lyon.fr", Language: "FR", Consent: true, ConsentAt: &consent}}},
		{Name: "Toronto Public Library", City: "Toronto", Country: "CA", Type: survey.CitySystem, Website: "www.torontopubliclibrary.ca"},
		{Name: "Biblioteca de Santiago", City: "Santiago", Country: "CL", Type: survey.RegionalSystem, Member: true},
		{Name: "National Library Board", City: "Singapore", Country: "SG", Type: survey.NationalState, Region: survey.Europe, RegionSet: true},
	}
	for _, l := range libs {
		l.Normalize()
		if err := l.Validate(); err != nil {
			t.Fatalf("%s: %v", l.Name, survey.ErrorFields(err))
		}
		if err := st.CreateLibrary(ctx, l); err != nil {
			t.Fatal(err)
		}
	}
	got, err := st.FindLibrary(ctx, libs[0].ID)
	if err != nil || got.Country != "FR" || got.Region != survey.Europe || got.Contacts[0].Email != "anne@bm-lyon.fr" || !got.Contacts[0].ConsentAt.Equal(consent) {
		t.Fatalf("find: %+v %v", got, err)
	}
	if l, _ := st.FindLibrary(ctx, libs[3].ID); l.Region != survey.Europe {
		t.Errorf("a region set by hand was not kept: %s", l.Region)
	}
	if l, _ := st.FindLibrary(ctx, libs[1].ID); l.Region != survey.NorthAmerica || l.Website != "https://www.torontopubliclibrary.ca" {
		t.Errorf("derived region / website: %+v", l)
	}
	yes := true
	for _, tc := range []struct {
		f    survey.LibraryFilter
		want string
	}{
		{survey.LibraryFilter{}, "Biblioteca de Santiago,Bibliothèque municipale de Lyon,National Library Board,Toronto Public Library"},
		{survey.LibraryFilter{Query: "LYON"}, "Bibliothèque municipale de Lyon"},
		{survey.LibraryFilter{Query: "toronto"}, "Toronto Public Library"},
		{survey.LibraryFilter{Region: survey.LatinAmericaCaribbean}, "Biblioteca de Santiago"},
		{survey.LibraryFilter{Country: "CA"}, "Toronto Public Library"},
		{survey.LibraryFilter{Type: survey.CitySystem, Member: &yes}, "Bibliothèque municipale de Lyon"},
		{survey.LibraryFilter{Public: &yes}, "Bibliothèque municipale de Lyon"},
		{survey.LibraryFilter{Query: "(.*"}, ""},
		{survey.LibraryFilter{Offset: 1, Limit: 2}, "Bibliothèque municipale de Lyon,National Library Board"},
		// The libraries of a page's rows: an id that is not one, or names
		// no library, matches nothing; an empty list matches none.
		{survey.LibraryFilter{IDs: []string{libs[1].ID, libs[0].ID, "not-an-id", "64b000000000000000000000"}}, "Bibliothèque municipale de Lyon,Toronto Public Library"},
		{survey.LibraryFilter{IDs: []string{}}, ""},
	} {
		list, total, err := st.ListLibraries(ctx, tc.f)
		var names []string
		for _, l := range list {
			names = append(names, l.Name)
		}
		if err != nil || strings.Join(names, ",") != tc.want {
			t.Errorf("filter %+v: %v (total %d) %v, want %s", tc.f, names, total, err, tc.want)
		}
	}
	got.City = "Lyon 3e"
	if err := st.UpdateLibrary(ctx, got); err != nil {
		t.Fatal(err)
	}
	if l, _ := st.FindLibrary(ctx, got.ID); l.City != "Lyon 3e" || !l.UpdatedAt.After(l.CreatedAt) && !l.UpdatedAt.Equal(l.CreatedAt) {
		t.Errorf("update: %+v", l)
	}
	if err := st.DeleteLibrary(ctx, got.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := st.FindLibrary(ctx, got.ID); survey.ErrorCode(err) != survey.ENOTFOUND {
		t.Errorf("deleted library found: %v", err)
	}
	if err := st.DeleteLibrary(ctx, got.ID); survey.ErrorCode(err) != survey.ENOTFOUND {
		t.Errorf("delete twice: %v", err)
	}
}

func TestLibraryValidationAndMatchKeys(t *testing.T) {
	l := &survey.Library{Name: "  ", Country: "XX", Type: "museum", Website: "ftp://x", Contacts: []survey.Contact{{Email: "nope"}}}
	l.Normalize()
	err := l.Validate()
	var paths []string
	for _, f := range survey.ErrorFields(err) {
		paths = append(paths, f.Path)
	}
	if strings.Join(paths, ",") != "name,country,type,website,contacts[0].email" {
		t.Errorf("problems at %v", paths)
	}
	a := &survey.Library{Name: "Bibliothèque  Municipale, de Lyon", City: "LYON", Country: "fr", Website: "https://www.bm-lyon.fr/", Contacts: []survey.Contact{{Email: "X@BM-Lyon.fr"}}}
	b := &survey.Library{Name: "bibliotheque municipale de lyon", City: "Lyon", Country: "FR", Website: "bm-lyon.fr"}
	a.Normalize()
	b.Normalize()
	ka, kb := a.MatchKeys(), b.MatchKeys()
	if ka[0] != kb[0] || ka[0] != "name:bibliotheque municipale de lyon|lyon|FR" || ka[1] != kb[1] || ka[2] != "email:x@bm-lyon.fr" {
		t.Errorf("keys %v and %v", ka, kb)
	}
}
