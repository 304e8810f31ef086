package disclosure

import (
	"math"
	"testing"

	"github.com/metlib/canvass/survey"
)

// located is a population where each library gives its country.
type located struct {
	region  survey.Region
	country string
}

func locatedPopulation(sv *survey.Survey, ls []located) generated {
	var g generated
	for _, l := range ls {
		a := survey.Answers{"region": string(l.region), "org_type": string(survey.CitySystem), "satisfied": "3"}
		g.responses = append(g.responses, &survey.Response{SurveySlug: sv.Slug, SurveyVersion: sv.Version, Status: survey.ResponseSubmitted,
			Language: "en", Region: l.region, Country: l.country, Answers: a})
		g.dirType = append(g.dirType, "")
	}
	return g
}

func in(region survey.Region, countries ...string) []located {
	var out []located
	for _, c := range countries {
		out = append(out, located{region, c})
	}
	return out
}

// TestCountriesBesideAWithheldRegion: twelve libraries from twelve
// countries, North America's two from the United States and Canada (the
// section's only members there, as its public directory shows). Published
// beside the total, "12 countries" says every library is from a different
// country, so North America, withheld, has at most its members' two
// countries: below k, whatever else is withheld. The number of countries
// is withheld while a region is; with every region published it is
// published, and is the number of distinct countries answering.
func TestCountriesBesideAWithheldRegion(t *testing.T) {
	sv := smallSurvey(t)
	var ls []located
	ls = append(ls, in(survey.Europe, "FR", "DE", "IT", "ES", "PT", "NL", "BE", "AT")...)
	ls = append(ls, in(survey.NorthAmerica, "US", "CA")...)
	ls = append(ls, in(survey.AsiaOceania, "JP", "KR")...)
	members := map[survey.Region]int{survey.Europe: 8, survey.NorthAmerica: 2, survey.AsiaOceania: 2}
	rep, tal := locatedPopulation(sv, ls).publication(t, sv)
	if tal.Countries != 12 {
		t.Fatalf("the tallies count %d countries, want 12", tal.Countries)
	}
	pub := Publish(rep, tal, k5)
	c := pub.Counts
	if c.Total.N == nil {
		t.Fatalf("the total (12) is withheld: the case tests nothing")
	}
	regionCell := map[string]*int{}
	withheld := 0
	for _, rc := range c.ByRegion {
		regionCell[rc.Key] = rc.N
		if rc.N == nil {
			withheld++
		}
	}
	if regionCell[string(survey.NorthAmerica)] != nil {
		t.Fatalf("North America (2) is published")
	}
	if c.Countries != nil {
		t.Errorf("%d countries published beside %d withheld regions", *c.Countries, withheld)
	}
	noFindings(t, sv, pub, rep, tal)

	// The reader of counts.json, written here from what it shows: the
	// total, the regions (a withheld one is at least 1, zeros being
	// published), and, if published, the countries: C = Σ d_r with d_r
	// the countries of region r's libraries, 1 ≤ d_r ≤ n_r, d_r at most
	// the region's members' countries.
	northAmerica := func(countries *int) Range {
		p := NewProblem()
		total := p.Cell("total", tal.Total)
		hidden := map[int]bool{}
		var regions []int
		var d []Term
		for i, rc := range c.ByRegion {
			n := tal.ByRegion[i].N
			id := p.Cell(rc.Key, n)
			hidden[id] = rc.N == nil
			regions = append(regions, id)
			if countries == nil || n == 0 {
				continue
			}
			truth := map[string]bool{}
			for _, l := range ls {
				if string(l.region) == rc.Key {
					truth[l.country] = true
				}
			}
			dr := p.Secret("countries/"+rc.Key, len(truth))
			p.Relation([]Term{{dr, 1}, {id, -1}}, math.Inf(-1), 0)
			p.Relation([]Term{{dr, 1}}, 1, float64(members[survey.Region(rc.Key)]))
			d = append(d, Term{dr, 1})
		}
		p.Sum(total, regions...)
		if countries != nil {
			p.Relation(d, float64(*countries), float64(*countries))
		}
		na, _ := p.Index(string(survey.NorthAmerica))
		return Attack(p, func(i int) bool { return p.IsSecret(i) || hidden[i] })[na]
	}
	if r := northAmerica(c.Countries); !r.Unbounded && r.Hi < k5.K {
		t.Errorf("from the published counts North America is at most %d, below %d", r.Hi, k5.K)
	}
	// Published as before (beside the total), the countries give it away:
	// the reader can fail.
	twelve := 12
	if r := northAmerica(&twelve); r.Unbounded || r.Hi >= k5.K {
		t.Errorf("beside \"12 countries\" North America can be %d (unbounded %v): the reader of the countries cannot fail", r.Hi, r.Unbounded)
	}

	// Every region published (0 or at least k): the countries are, and
	// they are the distinct countries that answered.
	ls = append(in(survey.Europe, "FR", "FR", "DE", "IT", "ES", "PT"), in(survey.NorthAmerica, "US", "US", "CA", "CA", "CA")...)
	rep, tal = locatedPopulation(sv, ls).publication(t, sv)
	pub = Publish(rep, tal, k5)
	distinct := map[string]bool{}
	for _, l := range ls {
		distinct[l.country] = true
	}
	shown := pub.Counts.Total.N != nil
	for _, rc := range pub.Counts.ByRegion {
		shown = shown && rc.N != nil
	}
	switch {
	case !shown:
		t.Errorf("with regions 6, 5 and zeros some region or the total is withheld: %+v", pub.Counts)
	case pub.Counts.Countries == nil:
		t.Errorf("every region and the total published, the countries are not")
	case *pub.Counts.Countries != len(distinct):
		t.Errorf("%d countries published, want the %d that answered", *pub.Counts.Countries, len(distinct))
	}
	noFindings(t, sv, pub, rep, tal)
}
