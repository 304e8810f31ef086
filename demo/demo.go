// Package demo makes realistic synthetic responses for any survey, so every
// page, analysis and export has something real-looking to show, and so
// benchmarks have data. Answers are correlated through a latent "capacity"
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

var cities = []string{"Aarhus", "Auckland", "Barcelona", "Bogotá", "Brisbane", "Buenos Aires", "Cairo", "Calgary", "Casablanca",
	"Chicago", "Dakar", "Dubai", "Durban", "Guadalajara", "Helsinki", "Istanbul", "Johannesburg", "Lagos", "Lima", "Lyon",
	"Manila", "Melbourne", "Montréal", "Munich", "Nairobi", "Oslo", "Pune", "Rotterdam", "Santiago", "Seoul", "Singapore",
	"Stockholm", "Toronto", "Tunis", "Vancouver", "Warsaw", "Yokohama"}

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
	index    int
}

// Responses makes n submitted responses to s with the given seed, spread
// over the 60 days before until.
func Responses(s *survey.Survey, n int, seed uint64, until time.Time) []*survey.Response {
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	out := make([]*survey.Response, 0, n)
	for i := 0; i < n; i++ {
		lib := newLibrary(rng, i, s)
		answers := generate(rng, s, lib)
		at := until.Add(-time.Duration(rng.Float64() * float64(60*24*time.Hour))).UTC().Truncate(time.Millisecond)
		country, region := s.Locate(answers)
		out = append(out, &survey.Response{
			SurveySlug: s.Slug, SurveyVersion: s.Version, SubmissionID: fmt.Sprintf("demo-%d-%08d", seed, i),
			Language: lib.lang, Country: country, Region: region, Status: survey.ResponseSubmitted, Answers: answers,
			Source: "demo", CreatedAt: at, UpdatedAt: at, SubmittedAt: &at,
		})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].CreatedAt.Before(out[j].CreatedAt) })
	return out
}

func newLibrary(rng *rand.Rand, i int, s *survey.Survey) library {
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
	return library{capacity: rng.NormFloat64(), region: mix.region, country: mix.countries[rng.IntN(len(mix.countries))],
		lang: lang, city: cities[rng.IntN(len(cities))], index: i}
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
				return "Alex Morgan", ""
			}
			return lib.city + " Public Library", ""
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
		return fmt.Sprintf("contact%d@library%d.example.org", lib.index, lib.index), ""
	case survey.URL:
		return fmt.Sprintf("https://library%d.example.org", lib.index), ""
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
