package survey

import "sort"

// Region is an IFLA Regional Division.
type Region string

// The six IFLA Regional Divisions.
const (
	AsiaOceania           Region = "asia_oceania"
	Europe                Region = "europe"
	LatinAmericaCaribbean Region = "latin_america_caribbean"
	MiddleEastNorthAfrica Region = "middle_east_north_africa"
	NorthAmerica          Region = "north_america"
	SubSaharanAfrica      Region = "sub_saharan_africa"
)

// Regions lists the divisions in IFLA's usual (alphabetical, English) order.
var Regions = []Region{AsiaOceania, Europe, LatinAmericaCaribbean, MiddleEastNorthAfrica, NorthAmerica, SubSaharanAfrica}

// RegionLabels names each division in Canvass's languages.
var RegionLabels = map[Region]Text{
	AsiaOceania:           {"en": "Asia-Oceania", "fr": "Asie-Océanie", "es": "Asia y Oceanía"},
	Europe:                {"en": "Europe", "fr": "Europe", "es": "Europa"},
	LatinAmericaCaribbean: {"en": "Latin America and the Caribbean", "fr": "Amérique latine et Caraïbes", "es": "América Latina y el Caribe"},
	MiddleEastNorthAfrica: {"en": "Middle East and North Africa", "fr": "Moyen-Orient et Afrique du Nord", "es": "Oriente Medio y Norte de África"},
	NorthAmerica:          {"en": "North America", "fr": "Amérique du Nord", "es": "América del Norte"},
	SubSaharanAfrica:      {"en": "Sub-Saharan Africa", "fr": "Afrique subsaharienne", "es": "África subsahariana"},
}

// countryRegions maps every ISO 3166-1 alpha-2 code to its IFLA Regional
// Division. Edit it here: it is the single source for suggested regions.
// Judgement calls, for the record: North Africa belongs to MENA (IFLA's own
// rule); Mexico, Central America and the Caribbean (Puerto Rico too) to Latin
// America and the Caribbean; Turkey, Russia, Cyprus and the Caucasus to
// Europe; Central Asia, Afghanistan and Pakistan to Asia-Oceania; Iran and
// Israel to MENA; Djibouti, Somalia and Comoros to Sub-Saharan Africa;
// Greenland and Bermuda to North America; uninhabited territories to the
// division of their ocean.
var countryRegions = map[string]Region{
	// Asia-Oceania
	"AF": AsiaOceania, "AQ": AsiaOceania, "AS": AsiaOceania, "AU": AsiaOceania, "BD": AsiaOceania,
	"BN": AsiaOceania, "BT": AsiaOceania, "CC": AsiaOceania, "CK": AsiaOceania, "CN": AsiaOceania,
	"CX": AsiaOceania, "FJ": AsiaOceania, "FM": AsiaOceania, "GU": AsiaOceania, "HK": AsiaOceania,
	"HM": AsiaOceania, "ID": AsiaOceania, "IN": AsiaOceania, "IO": AsiaOceania, "JP": AsiaOceania,
	"KG": AsiaOceania, "KH": AsiaOceania, "KI": AsiaOceania, "KP": AsiaOceania, "KR": AsiaOceania,
	"KZ": AsiaOceania, "LA": AsiaOceania, "LK": AsiaOceania, "MH": AsiaOceania, "MM": AsiaOceania,
	"MN": AsiaOceania, "MO": AsiaOceania, "MP": AsiaOceania, "MV": AsiaOceania, "MY": AsiaOceania,
	"NC": AsiaOceania, "NF": AsiaOceania, "NP": AsiaOceania, "NR": AsiaOceania, "NU": AsiaOceania,
	"NZ": AsiaOceania, "PF": AsiaOceania, "PG": AsiaOceania, "PH": AsiaOceania, "PK": AsiaOceania,
	"PN": AsiaOceania, "PW": AsiaOceania, "SB": AsiaOceania, "SG": AsiaOceania, "TH": AsiaOceania,
	"TJ": AsiaOceania, "TK": AsiaOceania, "TL": AsiaOceania, "TM": AsiaOceania, "TO": AsiaOceania,
	"TV": AsiaOceania, "TW": AsiaOceania, "UZ": AsiaOceania, "VN": AsiaOceania, "VU": AsiaOceania,
	"WF": AsiaOceania, "WS": AsiaOceania,
	// Europe
	"AD": Europe, "AL": Europe, "AM": Europe, "AT": Europe, "AX": Europe, "AZ": Europe,
	"BA": Europe, "BE": Europe, "BG": Europe, "BY": Europe, "CH": Europe, "CY": Europe,
	"CZ": Europe, "DE": Europe, "DK": Europe, "EE": Europe, "ES": Europe, "FI": Europe,
	"FO": Europe, "FR": Europe, "GB": Europe, "GE": Europe, "GG": Europe, "GI": Europe,
	"GR": Europe, "HR": Europe, "HU": Europe, "IE": Europe, "IM": Europe, "IS": Europe,
	"IT": Europe, "JE": Europe, "LI": Europe, "LT": Europe, "LU": Europe, "LV": Europe,
	"MC": Europe, "MD": Europe, "ME": Europe, "MK": Europe, "MT": Europe, "NL": Europe,
	"NO": Europe, "PL": Europe, "PT": Europe, "RO": Europe, "RS": Europe, "RU": Europe,
	"SE": Europe, "SI": Europe, "SJ": Europe, "SK": Europe, "SM": Europe, "TR": Europe,
	"UA": Europe, "VA": Europe,
	// Latin America and the Caribbean
	"AG": LatinAmericaCaribbean, "AI": LatinAmericaCaribbean, "AR": LatinAmericaCaribbean, "AW": LatinAmericaCaribbean,
	"BB": LatinAmericaCaribbean, "BL": LatinAmericaCaribbean, "BO": LatinAmericaCaribbean, "BQ": LatinAmericaCaribbean,
	"BR": LatinAmericaCaribbean, "BS": LatinAmericaCaribbean, "BV": LatinAmericaCaribbean, "BZ": LatinAmericaCaribbean,
	"CL": LatinAmericaCaribbean, "CO": LatinAmericaCaribbean, "CR": LatinAmericaCaribbean, "CU": LatinAmericaCaribbean,
	"CW": LatinAmericaCaribbean, "DM": LatinAmericaCaribbean, "DO": LatinAmericaCaribbean, "EC": LatinAmericaCaribbean,
	"FK": LatinAmericaCaribbean, "GD": LatinAmericaCaribbean, "GF": LatinAmericaCaribbean, "GP": LatinAmericaCaribbean,
	"GS": LatinAmericaCaribbean, "GT": LatinAmericaCaribbean, "GY": LatinAmericaCaribbean, "HN": LatinAmericaCaribbean,
	"HT": LatinAmericaCaribbean, "JM": LatinAmericaCaribbean, "KN": LatinAmericaCaribbean, "KY": LatinAmericaCaribbean,
	"LC": LatinAmericaCaribbean, "MF": LatinAmericaCaribbean, "MQ": LatinAmericaCaribbean, "MS": LatinAmericaCaribbean,
	"MX": LatinAmericaCaribbean, "NI": LatinAmericaCaribbean, "PA": LatinAmericaCaribbean, "PE": LatinAmericaCaribbean,
	"PR": LatinAmericaCaribbean, "PY": LatinAmericaCaribbean, "SR": LatinAmericaCaribbean, "SV": LatinAmericaCaribbean,
	"SX": LatinAmericaCaribbean, "TC": LatinAmericaCaribbean, "TT": LatinAmericaCaribbean, "UY": LatinAmericaCaribbean,
	"VC": LatinAmericaCaribbean, "VE": LatinAmericaCaribbean, "VG": LatinAmericaCaribbean, "VI": LatinAmericaCaribbean,
	// Middle East and North Africa
	"AE": MiddleEastNorthAfrica, "BH": MiddleEastNorthAfrica, "DZ": MiddleEastNorthAfrica, "EG": MiddleEastNorthAfrica,
	"EH": MiddleEastNorthAfrica, "IL": MiddleEastNorthAfrica, "IQ": MiddleEastNorthAfrica, "IR": MiddleEastNorthAfrica,
	"JO": MiddleEastNorthAfrica, "KW": MiddleEastNorthAfrica, "LB": MiddleEastNorthAfrica, "LY": MiddleEastNorthAfrica,
	"MA": MiddleEastNorthAfrica, "MR": MiddleEastNorthAfrica, "OM": MiddleEastNorthAfrica, "PS": MiddleEastNorthAfrica,
	"QA": MiddleEastNorthAfrica, "SA": MiddleEastNorthAfrica, "SD": MiddleEastNorthAfrica, "SY": MiddleEastNorthAfrica,
	"TN": MiddleEastNorthAfrica, "YE": MiddleEastNorthAfrica,
	// North America
	"BM": NorthAmerica, "CA": NorthAmerica, "GL": NorthAmerica, "PM": NorthAmerica, "UM": NorthAmerica, "US": NorthAmerica,
	// Sub-Saharan Africa
	"AO": SubSaharanAfrica, "BF": SubSaharanAfrica, "BI": SubSaharanAfrica, "BJ": SubSaharanAfrica, "BW": SubSaharanAfrica,
	"CD": SubSaharanAfrica, "CF": SubSaharanAfrica, "CG": SubSaharanAfrica, "CI": SubSaharanAfrica, "CM": SubSaharanAfrica,
	"CV": SubSaharanAfrica, "DJ": SubSaharanAfrica, "ER": SubSaharanAfrica, "ET": SubSaharanAfrica, "GA": SubSaharanAfrica,
	"GH": SubSaharanAfrica, "GM": SubSaharanAfrica, "GN": SubSaharanAfrica, "GQ": SubSaharanAfrica, "GW": SubSaharanAfrica,
	"KE": SubSaharanAfrica, "KM": SubSaharanAfrica, "LR": SubSaharanAfrica, "LS": SubSaharanAfrica, "MG": SubSaharanAfrica,
	"ML": SubSaharanAfrica, "MU": SubSaharanAfrica, "MW": SubSaharanAfrica, "MZ": SubSaharanAfrica, "NA": SubSaharanAfrica,
	"NE": SubSaharanAfrica, "NG": SubSaharanAfrica, "RE": SubSaharanAfrica, "RW": SubSaharanAfrica, "SC": SubSaharanAfrica,
	"SH": SubSaharanAfrica, "SL": SubSaharanAfrica, "SN": SubSaharanAfrica, "SO": SubSaharanAfrica, "SS": SubSaharanAfrica,
	"ST": SubSaharanAfrica, "SZ": SubSaharanAfrica, "TD": SubSaharanAfrica, "TF": SubSaharanAfrica, "TG": SubSaharanAfrica,
	"TZ": SubSaharanAfrica, "UG": SubSaharanAfrica, "YT": SubSaharanAfrica, "ZA": SubSaharanAfrica, "ZM": SubSaharanAfrica,
	"ZW": SubSaharanAfrica,
}

// RegionOf returns the IFLA Regional Division of an ISO 3166-1 alpha-2
// country code (upper case), and false for a code that is not a country.
func RegionOf(country string) (Region, bool) {
	r, ok := countryRegions[country]
	return r, ok
}

// Countries returns every ISO 3166-1 alpha-2 code Canvass knows, sorted.
func Countries() []string {
	codes := make([]string, 0, len(countryRegions))
	for c := range countryRegions {
		codes = append(codes, c)
	}
	sort.Strings(codes)
	return codes
}
