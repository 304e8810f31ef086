package survey_test

import (
	"testing"

	"golang.org/x/text/language"

	"github.com/metlib/canvass/survey"
)

func TestRegionOfEdgeCases(t *testing.T) {
	for country, want := range map[string]survey.Region{
		"EG": survey.MiddleEastNorthAfrica, // North Africa is MENA, not Sub-Saharan Africa
		"MA": survey.MiddleEastNorthAfrica,
		"SD": survey.MiddleEastNorthAfrica,
		"MX": survey.LatinAmericaCaribbean, // not North America
		"PR": survey.LatinAmericaCaribbean,
		"US": survey.NorthAmerica,
		"CA": survey.NorthAmerica,
		"AU": survey.AsiaOceania,
		"NZ": survey.AsiaOceania,
		"KZ": survey.AsiaOceania,
		"TR": survey.Europe,
		"RU": survey.Europe,
		"CY": survey.Europe,
		"ZA": survey.SubSaharanAfrica,
		"NG": survey.SubSaharanAfrica,
	} {
		if got, ok := survey.RegionOf(country); !ok || got != want {
			t.Errorf("RegionOf(%s) = %q, %v; want %q", country, got, ok, want)
		}
	}
	for _, bad := range []string{"", "XX", "eg", "EU", "UK"} {
		if _, ok := survey.RegionOf(bad); ok {
			t.Errorf("RegionOf(%q) accepted", bad)
		}
	}
}

// TestEveryISOCountryHasARegion checks the table against an independent list:
// the ISO 3166-1 regions known to golang.org/x/text.
// withdrawn are ISO 3166-1 codes removed from the standard that x/text still knows.
var withdrawn = map[string]bool{"AN": true, "BU": true, "CS": true, "DD": true, "NT": true, "SU": true, "TP": true, "YD": true, "YU": true, "ZR": true}

func TestEveryISOCountryHasARegion(t *testing.T) {
	known := map[string]bool{}
	for _, c := range survey.Countries() {
		known[c] = true
	}
	isoCountries := 0
	for a := 'A'; a <= 'Z'; a++ {
		for b := 'A'; b <= 'Z'; b++ {
			code := string([]rune{a, b})
			r, err := language.ParseRegion(code)
			// Skip deprecated codes (canonicalized to another), reserved ones
			// (no UN M.49 number), user-assigned ones (XK) and withdrawn ones.
			if err != nil || !r.IsCountry() || r.IsPrivateUse() || r.Canonicalize().String() != code || r.M49() == 0 || withdrawn[code] {
				continue
			}
			isoCountries++
			if !known[code] {
				t.Errorf("ISO country %s has no IFLA region", code)
			}
		}
	}
	if len(known) != isoCountries || isoCountries != 249 {
		t.Errorf("table has %d countries, x/text has %d, ISO 3166-1 has 249", len(known), isoCountries)
	}
	for _, r := range survey.Regions {
		if survey.RegionLabels[r]["en"] == "" || survey.RegionLabels[r]["fr"] == "" || survey.RegionLabels[r]["es"] == "" {
			t.Errorf("region %s lacks a label", r)
		}
	}
}
