// Package demo makes realistic synthetic responses for any survey, and the
// made-up libraries they come from, so every page, analysis and export has
// something real-looking to show, and so benchmarks have data. It makes
// them only: what is written, marked and removed is the campaign's
// (campaign.AddDemo, campaign.RemoveDemo). Answers are correlated through a latent "capacity"
// per library (bigger, better-resourced libraries use more methods, rate
// their skills higher, and so on), regions follow a plausible mix, and every
// response passes the survey's own checks.
package demo

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/metlib/canvass/survey"
)

// regionMix is the share of responding libraries per IFLA region.
var regionMix = []struct {
	region    survey.Region
	weight    float64
	countries []string
	languages []string
}{
	{survey.Europe, 0.30, []string{"FR", "DE", "GB", "ES", "IT", "NL", "SE", "PL", "DK", "FI", "NO", "TR", "RU", "PT"}, []string{"en", "fr", "es"}},
	{survey.AsiaOceania, 0.22, []string{"AU", "CN", "JP", "SG", "IN", "KR", "NZ", "ID", "PH", "MY"}, []string{"en"}},
	{survey.NorthAmerica, 0.15, []string{"US", "US", "US", "CA"}, []string{"en", "fr"}},
	{survey.LatinAmericaCaribbean, 0.15, []string{"MX", "BR", "AR", "CO", "CL", "PE"}, []string{"es", "es", "en"}},
	{survey.MiddleEastNorthAfrica, 0.08, []string{"EG", "MA", "AE", "SA", "TN", "JO"}, []string{"en", "fr"}},
	{survey.SubSaharanAfrica, 0.10, []string{"ZA", "NG", "KE", "SN", "GH", "CI"}, []string{"en", "fr"}},
}

var phrases = map[string][]string{
	"en": {"We run annual user surveys and report outcomes to the city council.", "Digital inclusion programmes helped older residents get online.",
		"Funding cuts make long-term measurement hard.", "Our outcome surveys changed how we plan children's programmes.",
		"We lack staff time and skills for analysis.", "Partnerships with city agencies give us better data."},
	"fr": {"Nous menons une enquête annuelle auprès des usagers.", "Les ateliers numériques ont aidé les seniors.",
		"La baisse des financements complique la mesure.", "Nos enquêtes de résultats ont changé nos programmes jeunesse."},
	"es": {"Realizamos encuestas anuales a los usuarios.", "Los talleres digitales ayudaron a las personas mayores.",
		"Los recortes dificultan la medición a largo plazo.", "Las encuestas de resultados cambiaron nuestros programas infantiles."},
}

// library is one synthetic respondent.
type library struct {
	capacity float64 // latent, standard normal
	region   survey.Region
	country  string
	lang     string
	city     string
	// name, site (a host under example.org, a domain reserved for
	// examples, so no mail to a demo contact reaches anyone) and contact.
	name, site, contact string
}

// Data is what canvass demo writes for one survey: made-up libraries, and
// responses from most of them (and from a few anonymous respondents).
type Data struct {
	// Libraries are marked Demo. Those no response comes from were
	// invited and have not answered (yet).
	Libraries []*survey.Library
	// Responses have Source survey.DemoSource, oldest first.
	Responses []*survey.Response
	// LibraryOf[i] is the index in Libraries of Responses[i]'s library, or
	// -1 for an anonymous respondent (one who used the open link).
	LibraryOf []int
}

// Shares of the made-up campaign: respondents who used the open link
// rather than a personal invitation, and libraries invited that have not
// answered, per respondent.
const (
	anonymousShare = 0.15
	silentShare    = 0.25
)

// Responses makes n submitted responses to s with the given seed, spread
// over the 60 days before until (Generate's, without the libraries).
func Responses(s *survey.Survey, n int, seed uint64, until time.Time) []*survey.Response {
	return Generate(s, n, seed, until).Responses
}

// Generate makes n submitted responses to s with the given seed, spread
// over the 60 days before until, and the libraries they come from: each
// named as a library of its country is, after an invented town
// ("Biblioteca Pública de San Miguel de las Flores" in Mexico), with a contact, a website, and what its
// response says about it. The same seed gives the same data, and a
// library's name, city and country depend only on its country's place in
// the draw, so the same libraries come back for every survey.
func Generate(s *survey.Survey, n int, seed uint64, until time.Time) *Data {
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	d := &Data{}
	taken := map[string]int{} // libraries drawn per country
	draw := func(lib *library) bool {
		p := places[lib.country]
		k := taken[lib.country]
		if k >= len(p.cities)*len(p.names) {
			return false // every library of the country is taken
		}
		taken[lib.country]++
		lib.city, lib.name = p.cities[k%len(p.cities)], libraryName(lib.country, p.cities[k%len(p.cities)], k/len(p.cities))
		return true
	}
	type respondent struct {
		r   *survey.Response
		lib int
	}
	var rs []respondent
	for i := 0; i < n; i++ {
		lib := newLibrary(rng, s)
		of := -1
		if rng.Float64() >= anonymousShare && draw(&lib) {
			of = len(d.Libraries)
		} else {
			p := places[lib.country]
			lib.city = p.cities[rng.IntN(len(p.cities))]
			lib.name = libraryName(lib.country, lib.city, 0)
		}
		lib.site = slug(lib.name) + ".example.org"
		answers := generate(rng, s, lib)
		at := until.Add(-time.Duration(rng.Float64() * float64(60*24*time.Hour))).UTC().Truncate(time.Millisecond)
		country, region := s.Locate(answers)
		r := &survey.Response{
			SurveySlug: s.Slug, SurveyVersion: s.Version, SubmissionID: fmt.Sprintf("demo-%d-%08d", seed, i),
			Language: lib.lang, Country: country, Region: region, Status: survey.ResponseSubmitted, Answers: answers,
			Source: survey.DemoSource, CreatedAt: at, UpdatedAt: at, SubmittedAt: &at,
		}
		if of >= 0 {
			l := newDirectoryEntry(rng, lib)
			s.ApplyToLibrary(answers, l) // the directory says what the response says
			l.Normalize()
			d.Libraries = append(d.Libraries, l)
		}
		rs = append(rs, respondent{r, of})
	}
	// Invited libraries that have not answered.
	for i := 0; i < int(math.Round(silentShare*float64(n))); i++ {
		lib := newLibrary(rng, s)
		if !draw(&lib) {
			continue
		}
		lib.site = slug(lib.name) + ".example.org"
		l := newDirectoryEntry(rng, lib)
		l.Normalize()
		d.Libraries = append(d.Libraries, l)
	}
	sort.SliceStable(rs, func(i, j int) bool { return rs[i].r.CreatedAt.Before(rs[j].r.CreatedAt) })
	for _, x := range rs {
		d.Responses = append(d.Responses, x.r)
		d.LibraryOf = append(d.LibraryOf, x.lib)
	}
	return d
}

// newDirectoryEntry is the directory's entry for a made-up library: about
// half are members of the section and opted in to a public profile, as in
// a real directory, though no public page ever shows them (Demo).
func newDirectoryEntry(rng *rand.Rand, lib library) *survey.Library {
	return &survey.Library{
		Name: lib.name, City: lib.city, Country: lib.country, Type: survey.CitySystem,
		PopulationServed: int(math.Round(math.Exp(math.Log(900000)+0.7*lib.capacity)/1000) * 1000),
		Website:          "https://" + lib.site,
		Contacts:         []survey.Contact{{Name: lib.contact, Role: "Head of research", Email: "research@" + lib.site, Language: lib.lang, Consent: true}},
		Member:           rng.Float64() < 0.6, PublicProfile: rng.Float64() < 0.5, Demo: true,
	}
}

func newLibrary(rng *rand.Rand, s *survey.Survey) library {
	x := rng.Float64()
	mix := regionMix[len(regionMix)-1]
	for _, m := range regionMix {
		if x < m.weight {
			mix = m
			break
		}
		x -= m.weight
	}
	lang := mix.languages[rng.IntN(len(mix.languages))]
	if !s.HasLanguage(lang) {
		lang = s.DefaultLanguage
	}
	capacity := rng.NormFloat64()
	country := mix.countries[rng.IntN(len(mix.countries))]
	// The contact is named as people of the country are, whatever
	// language the survey is answered in.
	names := contactNames[countryContacts[country]]
	return library{capacity: capacity, region: mix.region, country: country,
		lang: lang, contact: names[rng.IntN(len(names))]}
}

// generate answers every question (hidden ones are dropped by the check),
// retrying the draws that the survey refuses.
func generate(rng *rand.Rand, s *survey.Survey, lib library) survey.Answers {
	raw := map[string]any{}
	for _, q := range s.Questions() {
		if v, other := answer(rng, q, lib); v != nil {
			raw[q.ID] = v
			if other != "" {
				raw[q.ID+survey.OtherSuffix] = other
			}
		}
	}
	for attempt := 0; attempt < 10; attempt++ {
		answers, err := s.CheckAnswers(raw, lib.lang)
		if err == nil {
			return answers
		}
		for _, f := range survey.ErrorFields(err) {
			id := strings.TrimSuffix(f.Question, survey.OtherSuffix)
			if q := s.Question(id); q != nil {
				if v, other := answer(rng, q, lib); v != nil {
					raw[id] = v
					raw[id+survey.OtherSuffix] = other
				}
			}
		}
	}
	answers, _ := s.CheckDraft(raw, lib.lang)
	return answers
}

func sigmoid(x float64) float64 { return 1 / (1 + math.Exp(-x)) }

// answer draws one question's raw answer (and other text when chosen).
func answer(rng *rand.Rand, q *survey.Question, lib library) (any, string) {
	// Not everyone answers optional questions.
	if !q.Required && rng.Float64() < 0.12 {
		return nil, ""
	}
	switch q.Type {
	case survey.SingleChoice, survey.Likert:
		if q.ID == "region" && q.Option(string(lib.region)) != nil {
			return string(lib.region), ""
		}
		if q.ID == "org_type" && q.Option(string(survey.CitySystem)) != nil {
			// The names are those of city libraries, and so are most
			// respondents: a few regional systems, consortia, state libraries.
			x := rng.Float64()
			for _, t := range []struct {
				t     survey.LibraryType
				share float64
			}{{survey.CitySystem, 0.75}, {survey.RegionalSystem, 0.12}, {survey.Consortium, 0.08}, {survey.NationalState, 0.05}} {
				if x < t.share && q.Option(string(t.t)) != nil {
					return string(t.t), ""
				}
				x -= t.share
			}
			return string(survey.CitySystem), ""
		}
		o := q.Options[pickOrdered(rng, len(q.Options), lib.capacity, isScale(q.Options))]
		if o.Other {
			return string(o.Value), "Other arrangement"
		}
		return string(o.Value), ""
	case survey.MultiChoice:
		var chosen []any
		other := ""
		for i, o := range q.Options {
			if o.Exclusive {
				continue
			}
			base := 0.8 - 0.12*float64(i)
			if o.Other {
				base = -2.5
			}
			if rng.Float64() < sigmoid(base+0.9*lib.capacity) {
				chosen = append(chosen, string(o.Value))
				if o.Other {
					other = "Something else we do"
				}
			}
		}
		if q.MaxSelected > 0 && len(chosen) > q.MaxSelected {
			rng.Shuffle(len(chosen), func(i, j int) { chosen[i], chosen[j] = chosen[j], chosen[i] })
			chosen = chosen[:q.MaxSelected]
			other = ""
			for _, c := range chosen {
				if o := q.Option(c.(string)); o != nil && o.Other {
					other = "Something else we do"
				}
			}
		}
		if len(chosen) == 0 {
			for _, o := range q.Options {
				if o.Exclusive {
					return []any{string(o.Value)}, ""
				}
			}
			return []any{string(q.Options[0].Value)}, ""
		}
		return chosen, other
	case survey.Matrix:
		rows := map[string]any{}
		for r := range q.Rows {
			shift := lib.capacity + 0.3*math.Sin(float64(r))
			rows[q.Rows[r].ID] = string(q.Options[pickOrdered(rng, len(q.Options), shift, isScale(q.Options))].Value)
		}
		return rows, ""
	case survey.Number:
		return number(rng, q, lib), ""
	case survey.ShortText:
		if strings.Contains(q.ID, "name") {
			if strings.Contains(q.ID, "contact") {
				return lib.contact, ""
			}
			return lib.name, ""
		}
		if q.ID == "city" {
			return lib.city, ""
		}
		return "Head of " + []string{"research", "strategy", "public services", "planning"}[rng.IntN(4)], ""
	case survey.LongText:
		list := phrases[lib.lang]
		if list == nil {
			list = phrases["en"]
		}
		return list[rng.IntN(len(list))], ""
	case survey.Email:
		return "research@" + lib.site, ""
	case survey.URL:
		return "https://" + lib.site, ""
	case survey.Date:
		return time.Date(1950+rng.IntN(70), time.Month(1+rng.IntN(12)), 1+rng.IntN(28), 0, 0, 0, 0, time.UTC).Format(time.DateOnly), ""
	case survey.Country:
		return lib.country, ""
	case survey.Ranking:
		order := rng.Perm(len(q.Options))
		limit := len(order)
		if q.MaxSelected > 0 {
			limit = q.MaxSelected
		}
		list := make([]any, 0, limit)
		for _, i := range order[:limit] {
			list = append(list, string(q.Options[i].Value))
		}
		return list, ""
	}
	return nil, ""
}

func isScale(opts []survey.Option) bool {
	for _, o := range opts {
		if _, err := strconv.Atoi(string(o.Value)); err != nil {
			return false
		}
	}
	return true
}

// pickOrdered picks an option index: on a numeric scale higher capacity
// means higher values; in other lists it means earlier options (the
// built-in surveys list the most developed practice first).
func pickOrdered(rng *rand.Rand, k int, capacity float64, scale bool) int {
	centre := sigmoid(0.9*capacity) * float64(k-1)
	if !scale {
		centre = float64(k-1) - centre
	}
	i := int(math.Round(centre + rng.NormFloat64()*float64(k)/4))
	return min(max(i, 0), k-1)
}

// number draws plausible magnitudes, larger with capacity.
func number(rng *rand.Rand, q *survey.Question, lib library) float64 {
	noise := rng.NormFloat64() * 0.5
	var v float64
	switch {
	case strings.Contains(q.ID, "population"):
		v = math.Exp(math.Log(900000) + 0.7*lib.capacity + noise)
	case strings.Contains(q.ID, "year"):
		v = float64(2022 + rng.IntN(4))
	case strings.Contains(q.ID, "staff"):
		v = math.Round(math.Exp(math.Log(250)+0.7*lib.capacity+noise)*10) / 10
	case strings.Contains(q.ID, "visits") || strings.Contains(q.ID, "loans") || strings.Contains(q.ID, "users"):
		v = math.Exp(math.Log(2e6) + 0.8*lib.capacity + noise)
	case strings.Contains(q.ID, "branches") || strings.Contains(q.ID, "points"):
		v = math.Exp(math.Log(20) + 0.6*lib.capacity + noise)
	default:
		v = math.Exp(math.Log(50) + 0.5*lib.capacity + noise)
	}
	if q.Integer {
		v = math.Round(v)
	}
	if q.Min != nil {
		v = math.Max(v, *q.Min)
	}
	if q.Max != nil {
		v = math.Min(v, *q.Max)
	}
	return v
}
