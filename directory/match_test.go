package directory_test

import (
	"strings"
	"testing"

	"github.com/metlib/canvass/directory"
	"github.com/metlib/canvass/survey"
)

// TestMatcher: a row finds its one library by id, by name with city and
// country (a country's name too), by website or by email; an unknown id,
// no key, no match and two matches each say why.
func TestMatcher(t *testing.T) {
	lyon := &survey.Library{ID: "lyon", Name: "Bibliothèque municipale de Lyon", City: "Lyon", Country: "FR", Website: "https://www.bm-lyon.fr",
		Contacts: []survey.Contact{{Email: "direction@bm-lyon.fr"}}}
	oslo := &survey.Library{ID: "oslo", Name: "Deichman", City: "Oslo", Country: "NO", Contacts: []survey.Contact{{Email: "post@deichman.no"}}}
	twin := &survey.Library{ID: "twin", Name: "Deichman", City: "Oslo", Country: "NO"}
	m := directory.NewMatcher([]*survey.Library{lyon, oslo, twin})
	for _, c := range []struct {
		name   string
		fields map[string]string
		want   string
		why    string
	}{
		{"id", map[string]string{"id": "oslo", "name": "Bibliothèque municipale de Lyon"}, "oslo", ""},
		{"unknown id", map[string]string{"id": "nowhere"}, "", `no library of the directory has the id "nowhere"`},
		{"name, city and country by name", map[string]string{"name": "BIBLIOTHEQUE MUNICIPALE DE LYON", "city": "lyon", "country": "France"}, "lyon", ""},
		{"website", map[string]string{"website": "bm-lyon.fr"}, "lyon", ""},
		{"email", map[string]string{"contact_email": "Direction@BM-Lyon.fr"}, "lyon", ""},
		{"name without its city", map[string]string{"name": "Bibliothèque municipale de Lyon", "country": "FR"}, "", "no library of the directory matches"},
		{"nothing to match by", map[string]string{"city": "Lyon"}, "", "nothing to find its library by"},
		{"two libraries share the key", map[string]string{"name": "Deichman", "city": "Oslo", "country": "NO"}, "", "it matches several libraries of the directory (Deichman (oslo), Deichman (twin))"},
		{"keys of two libraries", map[string]string{"contact_email": "post@deichman.no", "website": "www.bm-lyon.fr"}, "", "matches several"},
	} {
		t.Run(c.name, func(t *testing.T) {
			l, why := m.Match(c.fields)
			got := ""
			if l != nil {
				got = l.ID
			}
			if got != c.want || !strings.Contains(why, c.why) || (c.why == "") != (why == "") {
				t.Errorf("got %q (%q), want %q (%q)", got, why, c.want, c.why)
			}
		})
	}
	for h, want := range map[string]string{"Library ID": "id", "library_id": "id", "Library": "name", "E-mail": "contact_email", "Town": "city", "Web site": "website", "Population": "", "Budget": ""} {
		if got := directory.MatchField(h); got != want {
			t.Errorf("MatchField(%q) = %q, want %q", h, got, want)
		}
	}
}
