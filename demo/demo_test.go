package demo_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/metlib/canvass/demo"
	"github.com/metlib/canvass/survey"
	"github.com/metlib/canvass/survey/builtin"
)

func TestDemoResponsesAreValidAndRealistic(t *testing.T) {
	surveys, err := builtin.Surveys()
	if err != nil {
		t.Fatal(err)
	}
	until := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	for _, s := range surveys {
		rs := demo.Responses(s, 400, 7, until)
		if len(rs) != 400 {
			t.Fatalf("%s: %d responses", s.Slug, len(rs))
		}
		regions := map[survey.Region]int{}
		for _, r := range rs {
			if _, err := s.CheckAnswers(toRaw(r.Answers), r.Language); err != nil {
				t.Fatalf("%s: a demo response does not validate: %+v", s.Slug, survey.ErrorFields(err))
			}
			if r.CreatedAt.After(until) || r.CreatedAt.Before(until.AddDate(0, 0, -61)) {
				t.Errorf("created %v", r.CreatedAt)
			}
			regions[r.Region]++
		}
		if len(regions) != 6 || regions[survey.Europe] < regions[survey.MiddleEastNorthAfrica] {
			t.Errorf("%s: region mix %v", s.Slug, regions)
		}
	}
	// The same seed gives the same data.
	a, b := demo.Responses(surveys[1], 5, 42, until), demo.Responses(surveys[1], 5, 42, until)
	for i := range a {
		if a[i].SubmissionID != b[i].SubmissionID || !a[i].Answers.Equal(b[i].Answers) {
			t.Fatal("demo data is not reproducible from its seed")
		}
	}
}

// toRaw turns stored answers back into raw input, as a client would send them.
func toRaw(a survey.Answers) map[string]any {
	raw := map[string]any{}
	for k, v := range a {
		switch x := v.(type) {
		case []string:
			list := make([]any, len(x))
			for i, s := range x {
				list[i] = s
			}
			raw[k] = list
		case map[string]string:
			m := map[string]any{}
			for r, s := range x {
				m[r] = s
			}
			raw[k] = m
		default:
			raw[k] = v
		}
	}
	return raw
}

// knownCities places a few of the demo's invented towns, written out here
// independently of the package's table, to catch a library put in the
// wrong country (the old demo had Guadalajara anywhere).
var knownCities = map[string]string{
	"San Miguel de las Flores": "MX", "Villa del Encino": "MX", "Montclaret": "FR", "Vernelac": "FR", "Falkenbrück": "DE",
	"Kirchwalden": "DE", "Thornwick": "GB", "Torremira": "ES", "Borgoleone": "IT", "Wilgendam": "NL", "Björkvik": "SE",
	"Jasnogród": "PL", "Havrevig": "DK", "Koivulahti": "FI", "Fjellvik": "NO", "Gökçeçınar": "TR", "Ribafria": "PT",
	"Wattle Creek": "AU", "Xinlanzhou": "CN", "Tsukinomori": "JP", "Suryagarh": "IN", "Haeseong": "KR", "Rimu Crossing": "NZ",
	"Banyuwening": "ID", "Cedar Hollow": "US", "Maple Crossing": "US", "Maplebrook": "CA", "Campo Dourado": "BR",
	"Villa Los Aromos": "AR", "El Cafetal": "CO", "Puerto Lenga": "CL", "Llamapampa": "PE", "New Nakhla": "EG",
	"Sidi Amrane": "MA", "Al Waha": "AE", "Madinat Al Sidr": "SA", "Menzel Yasmine": "TN", "Al Sawsan": "JO",
	"Protea Valley": "ZA", "Umuolu": "NG", "Mwangaza": "KE", "Médina Salam": "SN", "Osei Krom": "GH", "Bokassi": "CI",
}

// realCities are cities whose real libraries the old demo named, with
// made-up figures: no demo library may be in one or named after one.
var realCities = []string{"Seattle", "Denver", "Calgary", "Brisbane", "Bergen", "Guadalajara", "Lyon", "Köln", "Manchester",
	"Barcelona", "Torino", "Rotterdam", "Göteborg", "Aarhus", "Tampere", "Porto", "Shenzhen", "Yokohama", "Woodlands", "Pune",
	"Busan", "Christchurch", "Quezon City", "Curitiba", "Medellín", "Alexandria", "Casablanca", "Sharjah", "Durban", "Abidjan"}

// norwegianFirstNames are the first names a Norwegian demo contact may
// have (the review saw "Carlos Pérez" for a library in Bergen).
var norwegianFirstNames = []string{"Ingrid", "Ola", "Silje", "Magnus"}

// nameWords are words a library's name has in the country's language.
var nameWords = map[string][]string{
	"MX": {"Biblioteca"}, "ES": {"Biblioteca"}, "AR": {"Biblioteca"}, "CO": {"Biblioteca"}, "CL": {"Biblioteca"}, "PE": {"Biblioteca"},
	"FR": {"Bibliothèque", "Médiathèque", "bibliothèques"}, "DE": {"Stadtbibliothek", "Stadtbücherei", "Bücherhallen"},
	"BR": {"Biblioteca"}, "PT": {"Biblioteca"}, "IT": {"Bibliotec", "bibliotec"}, "SE": {"bibliotek"}, "ID": {"Perpustakaan"},
	"US": {"Library"}, "GB": {"Librar"},
}

// TestDemoLibrariesBelongToTheirCountries: every made-up library is named
// in its country's words, after a city of that country, and its response
// says the same name, city and country as its directory entry.
func TestDemoLibrariesBelongToTheirCountries(t *testing.T) {
	surveys, err := builtin.Surveys()
	if err != nil {
		t.Fatal(err)
	}
	var landscape *survey.Survey
	for _, s := range surveys {
		if s.Slug == "landscape" {
			landscape = s
		}
	}
	d := demo.Generate(landscape, 300, 11, time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC))
	if len(d.Responses) != 300 || len(d.LibraryOf) != 300 {
		t.Fatalf("%d responses, %d links", len(d.Responses), len(d.LibraryOf))
	}
	names := map[string]bool{}
	checked, norwegian := 0, 0
	for _, l := range d.Libraries {
		if !l.Demo {
			t.Errorf("%s is not marked demo", l.Name)
		}
		if names[l.Name+"|"+l.Country] {
			t.Errorf("two demo libraries named %s", l.Name)
		}
		names[l.Name+"|"+l.Country] = true
		if !strings.Contains(l.Name, l.City) {
			t.Errorf("%s is not named after its city %s", l.Name, l.City)
		}
		for _, real := range realCities {
			if l.City == real || strings.Contains(l.Name, real) {
				t.Errorf("%s (%s) bears a real city's name", l.Name, l.City)
			}
		}
		if first, _, _ := strings.Cut(l.Contacts[0].Name, " "); l.Country == "NO" {
			norwegian++
			if !slices.Contains(norwegianFirstNames, first) {
				t.Errorf("%s, in Norway, has the contact %s", l.Name, l.Contacts[0].Name)
			}
		}
		if c, ok := knownCities[l.City]; ok {
			checked++
			if c != l.Country {
				t.Errorf("%s (%s) is in %s", l.Name, l.City, l.Country)
			}
		}
		if words := nameWords[l.Country]; words != nil && !slices.ContainsFunc(words, func(w string) bool { return strings.Contains(l.Name, w) }) {
			t.Errorf("%s, in %s, is not named in the country's words %v", l.Name, l.Country, words)
		}
		if !strings.HasSuffix(l.Website, ".example.org") || !strings.HasSuffix(l.Contacts[0].Email, ".example.org") {
			t.Errorf("%s: website %s, email %s outside example.org", l.Name, l.Website, l.Contacts[0].Email)
		}
	}
	if norwegian == 0 {
		t.Error("no Norwegian demo library: the contact check proves nothing")
	}
	if checked < 20 {
		t.Errorf("only %d libraries in known cities: the check proves little", checked)
	}
	linked := 0
	for i, r := range d.Responses {
		if r.Source != survey.DemoSource {
			t.Errorf("response %s has source %q", r.SubmissionID, r.Source)
		}
		li := d.LibraryOf[i]
		if li < 0 {
			continue
		}
		linked++
		l := d.Libraries[li]
		if r.Answers.String("library_name") != l.Name || r.Answers.String("city") != l.City || r.Answers.String("country") != l.Country {
			t.Errorf("response says %q, %q, %q; directory %q, %q, %q", r.Answers.String("library_name"), r.Answers.String("city"), r.Answers.String("country"), l.Name, l.City, l.Country)
		}
	}
	if linked < 200 || linked == 300 || len(d.Libraries) <= linked {
		t.Errorf("%d of 300 responses from %d libraries: want most, not all, and some silent libraries", linked, len(d.Libraries))
	}
	var mx []string
	for _, l := range d.Libraries {
		if l.Country == "MX" {
			mx = append(mx, l.Name)
		}
	}
	if len(mx) == 0 || mx[0] != "Biblioteca Pública de San Miguel de las Flores" {
		t.Errorf("Mexican libraries %v", mx)
	}
}
