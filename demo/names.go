package demo

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// A place is where made-up libraries of one country are: its cities and
// how a public library there is named, in the country's own words. The
// names are invented but read as real ones would ("Biblioteca Pública de
// San Miguel de las Flores", "Bibliothèque municipale de Montclaret",
// "Stadtbibliothek Falkenbrück"), so the demo data does not put a Munich
// library in Mexico.
type place struct {
	cities []string
	// names are the ways a library is named, "%s" standing for the city.
	// The first is the city's main library; the others make a second or
	// third library in the same city distinct.
	names []string
	// frenchDe writes "de" as "d'" before a vowel (Bibliothèque d'Akwaba-Lagune).
	frenchDe bool
}

// The towns are invented, in the country's language, so no demo library
// bears a real library's name (a made-up figure beside "Seattle Public
// Library" would read as that library's). The contacts' names, too, are
// ones of the country (contactNames by countryContacts).

// countryContacts picks the pool of contact names of a country.
var countryContacts = map[string]string{
	"FR": "fr", "DE": "de", "GB": "en", "ES": "es", "IT": "it", "NL": "nl", "SE": "sv", "PL": "pl",
	"DK": "da", "FI": "fi", "NO": "no", "TR": "tr", "RU": "ru", "PT": "pt", "AU": "en", "CN": "zh",
	"JP": "ja", "SG": "en", "IN": "hi", "KR": "ko", "NZ": "en", "ID": "ms", "PH": "fil", "MY": "ms",
	"US": "en", "CA": "en", "MX": "es", "BR": "pt", "AR": "es", "CO": "es", "CL": "es", "PE": "es",
	"EG": "ar", "MA": "arfr", "AE": "ar", "SA": "ar", "TN": "arfr", "JO": "ar", "ZA": "en", "NG": "ng",
	"KE": "ke", "SN": "wa", "GH": "gh", "CI": "wa",
}

// contactNames are made-up contacts, by pool (mostly a language; "arfr" is
// the Maghreb's, "wa" West Africa's French-speaking countries').
var contactNames = map[string][]string{
	"en":   {"Alex Morgan", "Priya Shah", "Sam Okafor", "Jordan Lee", "Maria Novak"},
	"fr":   {"Camille Martin", "Claire Dubois", "Julien Moreau", "Élodie Garnier"},
	"es":   {"Lucía García", "Carlos Pérez", "Ana Torres", "Mateo Rojas"},
	"de":   {"Anna Schmidt", "Jonas Becker", "Katrin Wolf", "Lukas Hoffmann"},
	"it":   {"Giulia Rossi", "Marco Bianchi", "Chiara Greco", "Luca Romano"},
	"nl":   {"Sanne de Vries", "Daan Jansen", "Femke Bakker", "Joris Visser"},
	"sv":   {"Elin Lindqvist", "Johan Berg", "Karin Nyström", "Erik Sandberg"},
	"pl":   {"Agnieszka Nowak", "Piotr Wiśniewski", "Magdalena Zielińska", "Tomasz Kowalczyk"},
	"da":   {"Mette Nielsen", "Søren Jensen", "Line Kristensen", "Anders Madsen"},
	"fi":   {"Aino Virtanen", "Mikko Korhonen", "Laura Nieminen", "Jussi Mäkelä"},
	"no":   {"Ingrid Hansen", "Ola Johansen", "Silje Berntsen", "Magnus Haugen"},
	"tr":   {"Ayşe Yılmaz", "Mehmet Demir", "Elif Kaya", "Emre Şahin"},
	"ru":   {"Olga Ivanova", "Dmitry Sokolov", "Natalia Petrova", "Sergei Kuznetsov"},
	"pt":   {"Ana Silva", "João Ferreira", "Mariana Costa", "Pedro Santos"},
	"zh":   {"Wang Fang", "Li Wei", "Zhang Min", "Chen Jie"},
	"ja":   {"Sato Yuki", "Suzuki Haruto", "Takahashi Aoi", "Tanaka Ren"},
	"ko":   {"Kim Ji-woo", "Lee Min-jun", "Park Seo-yeon", "Choi Hyun-woo"},
	"ms":   {"Siti Rahmah", "Ahmad Fauzi", "Nurul Aini", "Budi Santoso"},
	"hi":   {"Anjali Rao", "Rahul Mehta", "Kavita Iyer", "Vikram Singh"},
	"ar":   {"Layla Haddad", "Omar Nasser", "Nour Khalil", "Youssef Mansour"},
	"arfr": {"Salma Benali", "Karim Haddad", "Nadia Trabelsi", "Youssef El Idrissi"},
	"ng":   {"Adaeze Okafor", "Tunde Adeyemi", "Amina Bello", "Chidi Nwosu"},
	"ke":   {"Wanjiru Kamau", "Otieno Odhiambo", "Achieng Atieno", "Kiprono Cheruiyot"},
	"wa":   {"Awa Diop", "Moussa Ndiaye", "Fatou Sow", "Kouassi Yao"},
	"gh":   {"Akosua Mensah", "Kwame Boateng", "Abena Owusu", "Yaw Asante"},
	"fil":  {"Maria Santos", "Jose Reyes", "Andrea dela Cruz", "Mark Bautista"},
}

var places = map[string]place{
	// Europe
	"FR": {cities: []string{"Montclaret", "Orbelle-sur-Loue", "Beauvallon-les-Pins", "Saint-Florimond-des-Prés", "Vernelac", "Castelbrune", "Aigueval", "Rochemoreau"},
		names: []string{"Bibliothèque municipale de %s", "Médiathèque de %s", "Réseau des bibliothèques de %s"}, frenchDe: true},
	"DE": {cities: []string{"Lindenau am Weiher", "Falkenbrück", "Rosenthal-Ebersau", "Kirchwalden", "Steinhaven", "Birkenfels", "Neu-Wettenstadt"},
		names: []string{"Stadtbibliothek %s", "Stadtbücherei %s", "Bücherhallen %s"}},
	"GB": {cities: []string{"Ashbury Vale", "Kingsmere", "Thornwick", "Hollowford", "Brackenbridge", "Wellsmouth", "Eastermoor"},
		names: []string{"%s Central Library", "%s City Libraries", "%s Libraries and Archives"}},
	"ES": {cities: []string{"Villaclara del Río", "Santa Olaya de la Sierra", "Torremira", "Valdeluz de Arriba", "Almarena", "Puebla de Encinar"},
		names: []string{"Biblioteca Pública de %s", "Red de Bibliotecas Municipales de %s", "Biblioteca Municipal de %s"}},
	"IT": {cities: []string{"Montefiorello", "San Vitale in Colle", "Borgoleone", "Castelrupe", "Valdonica", "Pietrarossa Alta"},
		names: []string{"Biblioteca civica di %s", "Sistema bibliotecario urbano di %s", "Biblioteche comunali di %s"}},
	"NL": {cities: []string{"Wilgendam", "Oosterveld aan Zee", "Heeswijkerbroek", "Molenrade", "Lindenwaard"},
		names: []string{"Openbare Bibliotheek %s", "Bibliotheek %s", "Centrale Bibliotheek %s"}},
	"SE": {cities: []string{"Björkvik", "Ekåsa", "Lingsund", "Tallmora", "Sjöhamra"},
		names: []string{"%s stadsbibliotek", "%s folkbibliotek", "%s kommunbibliotek"}},
	"PL": {cities: []string{"Brzozowa Wola", "Jasnogród", "Zielonka Mała", "Dębogóra", "Wierzbin Nowy"},
		names: []string{"Miejska Biblioteka Publiczna – %s", "Biblioteka Publiczna – %s", "Biblioteka Miejska – %s"}},
	"DK": {cities: []string{"Elmerup", "Havrevig", "Birkesø", "Tornslev Strand"},
		names: []string{"%s Hovedbibliotek", "%s Kommunes Biblioteker", "%s Bibliotekerne"}},
	"FI": {cities: []string{"Koivulahti", "Järvelä", "Mäntyranta", "Kuusiniemi", "Lehtola"},
		names: []string{"%s kaupunginkirjasto", "%s pääkirjasto", "%s kirjastot"}},
	"NO": {cities: []string{"Fjellvik", "Solheimsøy", "Bjørkedal", "Lyngnes"},
		names: []string{"%s offentlige bibliotek", "%s bibliotek", "%s hovedbibliotek"}},
	"TR": {cities: []string{"Gökçeçınar", "Ayvalıdere", "Karanarlı", "Kuşpınarköy", "Sarıçamlık"},
		names: []string{"%s İl Halk Kütüphanesi", "%s Büyükşehir Belediyesi Kütüphanesi", "%s Kent Kütüphanesi"}},
	"RU": {cities: []string{"Lipovograd", "Beloozersk-Novy", "Krasnoborsk", "Ryabinovsk", "Sosnovets-Zavolzhsky"},
		names: []string{"%s Central City Library", "%s Regional Public Library", "%s Municipal Library System"}},
	"PT": {cities: []string{"Vila Nova de Alcaria", "Santa Clara do Outeiro", "Ribafria", "Monte Alvorada", "Carvalhal da Serra"},
		names: []string{"Biblioteca Municipal de %s", "Biblioteca Pública Municipal de %s", "Rede de Bibliotecas de %s"}},
	// Asia and Oceania
	"AU": {cities: []string{"Wattle Creek", "Kookaburra Bay", "Banksia Downs", "Emu Ridge", "Coolabah Heights", "Mallee Springs"},
		names: []string{"%s City Libraries", "City of %s Library", "%s Public Library"}},
	"CN": {cities: []string{"Xinlanzhou", "Yunhuashan", "Qingtaihe", "Baoshuicheng", "Lihuagang", "Jinxiaping"},
		names: []string{"%s Library", "%s Public Library", "%s Children's Library"}},
	"JP": {cities: []string{"Tsukinomori", "Hoshinoura", "Kawasemidai", "Midorigahama", "Akanehara", "Shiraumizaka"},
		names: []string{"%s City Library", "%s Central Library", "%s Municipal Library"}},
	"SG": {cities: []string{"Kampong Seri Bayu", "Bukit Cendana", "Tanjong Melur", "Pasir Kenanga"},
		names: []string{"%s Regional Library", "%s Public Library", "%s Community Library"}},
	"IN": {cities: []string{"Chandrapuri Nagar", "Suryagarh", "Kamalpur Khurd", "Devgiripuram", "Neelapalli", "Madhuvanpur"},
		names: []string{"%s City Central Library", "%s Public Library", "%s District Library"}},
	"KR": {cities: []string{"Haeseong", "Dalbit", "Songnamu", "Eunhasu", "Baekhwa"},
		names: []string{"%s Metropolitan Library", "%s Public Library", "%s Central Library"}},
	"NZ": {cities: []string{"Kōwhai Bay", "Tūī Valley", "Pōhutukawa Heads", "Rimu Crossing"},
		names: []string{"%s City Libraries", "%s Public Library", "%s Central Library"}},
	"ID": {cities: []string{"Banyuwening", "Tirtamulya Asri", "Sekarwangi", "Sumberlintang", "Gunungsari Permai"},
		names: []string{"Perpustakaan Kota %s", "Perpustakaan Umum %s", "Dinas Perpustakaan Kota %s"}},
	"PH": {cities: []string{"San Isidro del Mar City", "Bagong Liwayway City", "Santa Rosalinda City", "Mabuhay Heights City"},
		names: []string{"%s Public Library", "%s Public Library and Information Center", "%s Learning Hub"}},
	"MY": {cities: []string{"Bandar Seri Cempaka", "Kuala Melur", "Sungai Kenanga", "Bukit Mutiara Jaya", "Taman Seroja"},
		names: []string{"Perpustakaan Awam %s", "Perbadanan Perpustakaan Awam %s", "Perpustakaan Bandaraya %s"}},
	// North America
	"US": {cities: []string{"Cedar Hollow", "Maple Crossing", "Willow Bend", "Prairie Glen", "Harbor Point", "Silver Mesa", "Redstone Falls", "Pine Summit", "Juniper Flats", "Lakeview Junction", "Elkhorn Bluffs", "Sparrow Creek"},
		names: []string{"%s Public Library", "%s County Library", "%s Free Library"}},
	"CA": {cities: []string{"Maplebrook", "Pinecrest Landing", "Beaver Narrows", "Northcliff Bay", "Saint-Aurèle", "Aspen Ridge"},
		names: []string{"%s Public Library", "%s Library", "%s Central Library"}},
	// Latin America and the Caribbean
	"MX": {cities: []string{"San Miguel de las Flores", "Villa del Encino", "Santa Lucía de la Loma", "Ciudad Jacarandas", "Huertas del Sol", "Real de Azahares"},
		names: []string{"Biblioteca Pública de %s", "Biblioteca Central de %s", "Red de Bibliotecas Públicas de %s"}},
	"BR": {cities: []string{"Vila Serena do Norte", "São Jerônimo das Palmeiras", "Campo Dourado", "Lagoa Esmeralda", "Pedra Branca da Serra", "Cachoeira Alegre"},
		names: []string{"Biblioteca Pública Municipal de %s", "Biblioteca Pública de %s", "Rede de Bibliotecas de %s"}},
	"AR": {cities: []string{"Villa Los Aromos", "San Nicolás del Valle", "Colonia Las Tunas", "Puerto Alameda", "Villa Ceibal"},
		names: []string{"Biblioteca Pública Municipal de %s", "Biblioteca Popular de %s", "Biblioteca Pública de %s"}},
	"CO": {cities: []string{"San Rafael del Cañón", "Villa del Guadual", "Santa Inés de los Andes", "Puerto Orquídea", "El Cafetal"},
		names: []string{"Biblioteca Pública de %s", "Red de Bibliotecas de %s", "Biblioteca Municipal de %s"}},
	"CL": {cities: []string{"Puerto Lenga", "Villa Los Coigües", "San Andrés del Maule", "Caleta Alerce", "Los Copihues"},
		names: []string{"Biblioteca Pública de %s", "Biblioteca Municipal de %s", "Biblioteca Regional de %s"}},
	"PE": {cities: []string{"San Juan de Quenual", "Villa Totora", "Santa Rosa del Ichu", "Puerto Aguaje", "Llamapampa"},
		names: []string{"Biblioteca Municipal de %s", "Biblioteca Pública de %s", "Biblioteca Regional de %s"}},
	// Middle East and North Africa
	"EG": {cities: []string{"New Nakhla", "Wadi al-Zaytun", "Kafr al-Nakhil", "Sahel al-Ward", "Madinat al-Shams"},
		names: []string{"%s Public Library", "%s Cultural Centre Library", "%s Children's Library"}},
	"MA": {cities: []string{"Aït Tilelli", "Sidi Amrane", "Oued Zitoune", "Ksar Tamazirt", "Aïn Nakhla", "Dar Ouarda"},
		names: []string{"Bibliothèque municipale de %s", "Médiathèque de %s", "Bibliothèque régionale de %s"}, frenchDe: true},
	"AE": {cities: []string{"Al Waha", "Madinat Al Nakheel", "Al Sadeem", "Ras Al Lulu"},
		names: []string{"%s Public Library", "%s Central Library", "%s Community Library"}},
	"SA": {cities: []string{"Wadi Al Khuzama", "Al Rawdah Al Jadidah", "Madinat Al Sidr", "Al Nakhil Al Sharqi"},
		names: []string{"%s Public Library", "%s Central Public Library", "%s Cultural Library"}},
	"TN": {cities: []string{"Menzel Yasmine", "Aïn Zitouna", "Sidi Bouzaffran", "Oued Rommane", "Ksar Nour"},
		names: []string{"Bibliothèque régionale de %s", "Bibliothèque publique de %s", "Bibliothèque municipale de %s"}, frenchDe: true},
	"JO": {cities: []string{"Wadi Al Rummana", "Tal Al Zaytoun", "Ain Al Ward", "Al Sawsan"},
		names: []string{"%s Public Library", "%s Municipal Library", "%s Cultural Centre Library"}},
	// Sub-Saharan Africa
	"ZA": {cities: []string{"Aloe Ridge", "Protea Valley", "Umthombo", "Keurbos", "Marula Springs"},
		names: []string{"%s City Libraries", "%s Public Library", "%s Central Library"}},
	"NG": {cities: []string{"Oke-Ayo", "Ile-Olayinka", "Umuolu", "Gidan Rana", "Ofa-Ireti"},
		names: []string{"%s Public Library", "%s State Library", "%s Central Library"}},
	"KE": {cities: []string{"Mto Safi", "Kilima Kijani", "Nyota Bay", "Mwangaza"},
		names: []string{"%s Public Library", "%s County Library", "%s Community Library"}},
	"SN": {cities: []string{"Keur Samba Néné", "Diamaguène-Plage", "Thiawlène-Nord", "Médina Salam"},
		names: []string{"Bibliothèque municipale de %s", "Bibliothèque régionale de %s", "Médiathèque de %s"}, frenchDe: true},
	"GH": {cities: []string{"Akwaaba Town", "Nkwanta Hills", "Abusua", "Osei Krom"},
		names: []string{"%s Public Library", "%s Regional Library", "%s Community Library"}},
	"CI": {cities: []string{"Akwaba-Lagune", "Bokassi", "Djaha-Plage", "N'Zikro"},
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
