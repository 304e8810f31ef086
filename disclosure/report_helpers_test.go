package disclosure

import (
	"sort"
	"testing"
	"time"

	"github.com/metlib/canvass/analysis"
	"github.com/metlib/canvass/demo"
	"github.com/metlib/canvass/survey"
	"github.com/metlib/canvass/survey/builtin"
)

// builtinSurveys are the surveys Canvass ships.
func builtinSurveys(t testing.TB) []*survey.Survey {
	t.Helper()
	svs, err := builtin.Surveys()
	if err != nil {
		t.Fatal(err)
	}
	return svs
}

var demoUntil = time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)

// tallyOf counts responses as campaign's tally does, written here from its
// description: the total, the distinct countries, by region (every IFLA
// region, then "unknown" when some have none), by library type (the
// directory's for an invited library, else the org_type answer; "unknown"
// when neither is a known type; the types seen, sorted).
func tallyOf(rs []*survey.Response, typeOf func(i int) survey.LibraryType) *Tallies {
	t := &Tallies{}
	countries := map[string]bool{}
	regions := map[string]int{}
	types := map[string]int{}
	for i, r := range rs {
		t.Total++
		if r.Country != "" {
			countries[r.Country] = true
		}
		reg := string(r.Region)
		if reg == "" {
			reg = "unknown"
		}
		regions[reg]++
		lt := typeOf(i)
		if lt == "" {
			lt = survey.LibraryType(r.Answers.String("org_type"))
		}
		if survey.LibraryTypeLabels[lt] == nil {
			lt = "unknown"
		}
		types[string(lt)]++
	}
	t.Countries = len(countries)
	for _, r := range survey.Regions {
		t.ByRegion = append(t.ByRegion, KeyCount{string(r), regions[string(r)]})
	}
	if n := regions["unknown"]; n > 0 {
		t.ByRegion = append(t.ByRegion, KeyCount{"unknown", n})
	}
	var keys []string
	for k := range types {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		t.ByType = append(t.ByType, KeyCount{k, types[k]})
	}
	return t
}

// demoPublication is a built-in survey's report over n demo responses, with
// its tallies, as the public side would compute them.
func demoPublication(t testing.TB, sv *survey.Survey, n int, seed uint64, by string) (*analysis.ReportResult, *Tallies) {
	t.Helper()
	d := demo.Generate(sv, n, seed, demoUntil)
	rep, err := analysis.Report(sv, survey.ResponsesOf(d.Responses), analysis.Options{Lang: sv.DefaultLanguage, By: by})
	if err != nil {
		t.Fatal(err)
	}
	return rep, tallyOf(d.Responses, func(i int) survey.LibraryType {
		if l := d.LibraryOf[i]; l >= 0 {
			return d.Libraries[l].Type
		}
		return ""
	})
}
