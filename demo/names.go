package demo

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// A place is where made-up libraries of one country are: its cities and
// how a public library there is named, in the country's own words. The
// names are invented but read as real ones would ("Biblioteca Pública de
// Guadalajara", "Bibliothèque municipale de Lyon", "Stadtbibliothek
// Köln"), so the demo data does not put a Munich library in Mexico.
type place struct {
	cities []string
	// names are the ways a library is named, "%s" standing for the city.
	// The first is the city's main library; the others make a second or
	// third library in the same city distinct.
	names []string
	// frenchDe writes "de" as "d'" before a vowel (Bibliothèque d'Abidjan).
	frenchDe bool
}

var places = map[string]place{
	// Europe
	"FR": {cities: []string{"Lyon", "Bordeaux", "Lille", "Nantes", "Toulouse", "Strasbourg", "Montpellier", "Rennes"},
		names: []string{"Bibliothèque municipale de %s", "Médiathèque de %s", "Réseau des bibliothèques de %s"}, frenchDe: true},
	"DE": {cities: []string{"Köln", "Hamburg", "Leipzig", "Stuttgart", "Dresden", "Bremen", "Frankfurt am Main"},
		names: []string{"Stadtbibliothek %s", "Stadtbücherei %s", "Bücherhallen %s"}},
	"GB": {cities: []string{"Manchester", "Birmingham", "Leeds", "Glasgow", "Bristol", "Liverpool", "Newcastle"},
		names: []string{"%s Central Library", "%s City Libraries", "%s Libraries and Archives"}},
	"ES": {cities: []string{"Barcelona", "Valencia", "Sevilla", "Zaragoza", "Málaga", "Bilbao"},
		names: []string{"Biblioteca Pública de %s", "Red de Bibliotecas Municipales de %s", "Biblioteca Municipal de %s"}},
	"IT": {cities: []string{"Torino", "Bologna", "Milano", "Firenze", "Genova", "Napoli"},
		names: []string{"Biblioteca civica di %s", "Sistema bibliotecario urbano di %s", "Biblioteche comunali di %s"}},
	"NL": {cities: []string{"Rotterdam", "Utrecht", "Den Haag", "Eindhoven", "Groningen"},
		names: []string{"Openbare Bibliotheek %s", "Bibliotheek %s", "Centrale Bibliotheek %s"}},
	"SE": {cities: []string{"Göteborg", "Malmö", "Uppsala", "Örebro", "Linköping"},
		names: []string{"%s stadsbibliotek", "%s folkbibliotek", "%s kommunbibliotek"}},
	"PL": {cities: []string{"Kraków", "Wrocław", "Poznań", "Gdańsk", "Łódź"},
		names: []string{"Miejska Biblioteka Publiczna – %s", "Biblioteka Publiczna – %s", "Biblioteka Miejska – %s"}},
	"DK": {cities: []string{"Aarhus", "Odense", "Aalborg", "Esbjerg"},
		names: []string{"%s Hovedbibliotek", "%s Kommunes Biblioteker", "%s Bibliotekerne"}},
	"FI": {cities: []string{"Tampere", "Turku", "Oulu", "Espoo", "Vantaa"},
		names: []string{"%s kaupunginkirjasto", "%s pääkirjasto", "%s kirjastot"}},
	"NO": {cities: []string{"Bergen", "Trondheim", "Stavanger", "Tromsø"},
		names: []string{"%s offentlige bibliotek", "%s bibliotek", "%s hovedbibliotek"}},
	"TR": {cities: []string{"İzmir", "Bursa", "Ankara", "Antalya", "Konya"},
		names: []string{"%s İl Halk Kütüphanesi", "%s Büyükşehir Belediyesi Kütüphanesi", "%s Kent Kütüphanesi"}},
	"RU": {cities: []string{"Kazan", "Novosibirsk", "Yekaterinburg", "Samara", "Nizhny Novgorod"},
		names: []string{"%s Central City Library", "%s Regional Public Library", "%s Municipal Library System"}},
	"PT": {cities: []string{"Porto", "Braga", "Coimbra", "Aveiro", "Faro"},
		names: []string{"Biblioteca Municipal de %s", "Biblioteca Pública Municipal de %s", "Rede de Bibliotecas de %s"}},
	// Asia and Oceania
	"AU": {cities: []string{"Brisbane", "Perth", "Adelaide", "Hobart", "Canberra", "Geelong"},
		names: []string{"%s City Libraries", "City of %s Library", "%s Public Library"}},
	"CN": {cities: []string{"Shenzhen", "Hangzhou", "Chengdu", "Wuhan", "Suzhou", "Xiamen"},
		names: []string{"%s Library", "%s Public Library", "%s Children's Library"}},
	"JP": {cities: []string{"Yokohama", "Sapporo", "Sendai", "Fukuoka", "Kobe", "Nagoya"},
		names: []string{"%s City Library", "%s Central Library", "%s Municipal Library"}},
	"SG": {cities: []string{"Woodlands", "Jurong", "Tampines", "Bishan"},
		names: []string{"%s Regional Library", "%s Public Library", "%s Community Library"}},
	"IN": {cities: []string{"Pune", "Kolkata", "Chennai", "Hyderabad", "Ahmedabad", "Jaipur"},
		names: []string{"%s City Central Library", "%s Public Library", "%s District Library"}},
	"KR": {cities: []string{"Busan", "Incheon", "Daegu", "Daejeon", "Gwangju"},
		names: []string{"%s Metropolitan Library", "%s Public Library", "%s Central Library"}},
	"NZ": {cities: []string{"Christchurch", "Hamilton", "Dunedin", "Tauranga"},
		names: []string{"%s City Libraries", "%s Public Library", "%s Central Library"}},
	"ID": {cities: []string{"Surabaya", "Bandung", "Medan", "Semarang", "Yogyakarta"},
		names: []string{"Perpustakaan Kota %s", "Perpustakaan Umum %s", "Dinas Perpustakaan Kota %s"}},
	"PH": {cities: []string{"Quezon City", "Cebu City", "Davao City", "Iloilo City"},
		names: []string{"%s Public Library", "%s Public Library and Information Center", "%s Learning Hub"}},
	"MY": {cities: []string{"Penang", "Johor Bahru", "Ipoh", "Kuching", "Shah Alam"},
		names: []string{"Perpustakaan Awam %s", "Perbadanan Perpustakaan Awam %s", "Perpustakaan Bandaraya %s"}},
	// North America
	"US": {cities: []string{"Denver", "Seattle", "Columbus", "Phoenix", "Nashville", "Portland", "Austin", "Milwaukee", "Baltimore", "Sacramento", "Tucson", "Omaha"},
		names: []string{"%s Public Library", "%s County Library", "%s Free Library"}},
	"CA": {cities: []string{"Calgary", "Edmonton", "Ottawa", "Winnipeg", "Halifax", "Regina"},
		names: []string{"%s Public Library", "%s Library", "%s Central Library"}},
	// Latin America and the Caribbean
	"MX": {cities: []string{"Guadalajara", "Monterrey", "Puebla", "Mérida", "Querétaro", "Oaxaca"},
		names: []string{"Biblioteca Pública de %s", "Biblioteca Central de %s", "Red de Bibliotecas Públicas de %s"}},
	"BR": {cities: []string{"Curitiba", "Recife", "Belo Horizonte", "Salvador", "Fortaleza", "Porto Alegre"},
		names: []string{"Biblioteca Pública Municipal de %s", "Biblioteca Pública de %s", "Rede de Bibliotecas de %s"}},
	"AR": {cities: []string{"Córdoba", "Rosario", "Mendoza", "La Plata", "Mar del Plata"},
		names: []string{"Biblioteca Pública Municipal de %s", "Biblioteca Popular de %s", "Biblioteca Pública de %s"}},
	"CO": {cities: []string{"Medellín", "Cali", "Barranquilla", "Bucaramanga", "Cartagena"},
		names: []string{"Biblioteca Pública de %s", "Red de Bibliotecas de %s", "Biblioteca Municipal de %s"}},
	"CL": {cities: []string{"Valparaíso", "Concepción", "Temuco", "Antofagasta", "La Serena"},
		names: []string{"Biblioteca Pública de %s", "Biblioteca Municipal de %s", "Biblioteca Regional de %s"}},
	"PE": {cities: []string{"Arequipa", "Trujillo", "Cusco", "Piura", "Chiclayo"},
		names: []string{"Biblioteca Municipal de %s", "Biblioteca Pública de %s", "Biblioteca Regional de %s"}},
	// Middle East and North Africa
	"EG": {cities: []string{"Alexandria", "Giza", "Mansoura", "Aswan", "Port Said"},
		names: []string{"%s Public Library", "%s Cultural Centre Library", "%s Children's Library"}},
	"MA": {cities: []string{"Casablanca", "Marrakech", "Fès", "Agadir", "Tanger", "Oujda"},
		names: []string{"Bibliothèque municipale de %s", "Médiathèque de %s", "Bibliothèque régionale de %s"}, frenchDe: true},
	"AE": {cities: []string{"Sharjah", "Abu Dhabi", "Al Ain", "Ras Al Khaimah"},
		names: []string{"%s Public Library", "%s Central Library", "%s Community Library"}},
	"SA": {cities: []string{"Jeddah", "Dammam", "Riyadh", "Medina"},
		names: []string{"%s Public Library", "%s Central Public Library", "%s Cultural Library"}},
	"TN": {cities: []string{"Sfax", "Sousse", "Bizerte", "Kairouan", "Gabès"},
		names: []string{"Bibliothèque régionale de %s", "Bibliothèque publique de %s", "Bibliothèque municipale de %s"}, frenchDe: true},
	"JO": {cities: []string{"Irbid", "Zarqa", "Aqaba", "Madaba"},
		names: []string{"%s Public Library", "%s Municipal Library", "%s Cultural Centre Library"}},
	// Sub-Saharan Africa
	"ZA": {cities: []string{"Durban", "Pretoria", "Port Elizabeth", "Bloemfontein", "Cape Town"},
		names: []string{"%s City Libraries", "%s Public Library", "%s Central Library"}},
	"NG": {cities: []string{"Ibadan", "Kano", "Enugu", "Port Harcourt", "Abeokuta"},
		names: []string{"%s Public Library", "%s State Library", "%s Central Library"}},
	"KE": {cities: []string{"Mombasa", "Kisumu", "Nakuru", "Eldoret"},
		names: []string{"%s Public Library", "%s County Library", "%s Community Library"}},
	"SN": {cities: []string{"Saint-Louis", "Thiès", "Ziguinchor", "Kaolack"},
		names: []string{"Bibliothèque municipale de %s", "Bibliothèque régionale de %s", "Médiathèque de %s"}, frenchDe: true},
	"GH": {cities: []string{"Kumasi", "Tamale", "Takoradi", "Cape Coast"},
		names: []string{"%s Public Library", "%s Regional Library", "%s Community Library"}},
	"CI": {cities: []string{"Abidjan", "Bouaké", "Yamoussoukro", "San-Pédro"},
		names: []string{"Bibliothèque municipale de %s", "Bibliothèque publique de %s", "Médiathèque de %s"}, frenchDe: true},
}

// libraryName names the nth library (0, 1, 2…) of a city: n picks the way
// of naming it, so two libraries of one city never share a name.
func libraryName(country, city string, n int) string {
	p := places[country]
	name := p.names[n%len(p.names)]
	if p.frenchDe && startsWithVowel(city) {
		name = strings.Replace(name, "de %s", "d'%s", 1)
	}
	return strings.Replace(name, "%s", city, 1)
}

func startsWithVowel(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return strings.ContainsRune("AEIOUYÉÈÊÂÎÔ", unicode.ToUpper(r))
}

// slug makes a host name part from a library name: lower case ASCII letters
// and digits, accents dropped, words joined by hyphens.
func slug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		if unicode.Is(unicode.Mn, r) {
			continue // the dot of a lowered İ
		}
		if a, ok := ascii[r]; ok {
			r = a
		}
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(r)
		default:
			dash = true
		}
	}
	return b.String()
}

var ascii = map[rune]rune{'à': 'a', 'á': 'a', 'â': 'a', 'ä': 'a', 'ã': 'a', 'å': 'a', 'ç': 'c', 'è': 'e', 'é': 'e', 'ê': 'e', 'ë': 'e',
	'ì': 'i', 'í': 'i', 'î': 'i', 'ï': 'i', 'ı': 'i', 'ł': 'l', 'ñ': 'n', 'ń': 'n', 'ò': 'o', 'ó': 'o', 'ô': 'o', 'ö': 'o', 'õ': 'o', 'ø': 'o',
	'ş': 's', 'ś': 's', 'ù': 'u', 'ú': 'u', 'û': 'u', 'ü': 'u', 'ź': 'z', 'ż': 'z', 'ğ': 'g', 'æ': 'a'}
