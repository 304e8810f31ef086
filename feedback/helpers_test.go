package feedback_test

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/metlib/canvass/demo"
	"github.com/metlib/canvass/feedback"
	"github.com/metlib/canvass/survey"
	"github.com/metlib/canvass/survey/builtin"
)

var now = time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)

// builtinSurvey returns the built-in survey with the given slug.
func builtinSurvey(tb testing.TB, slug string) *survey.Survey {
	tb.Helper()
	all, err := builtin.Surveys()
	if err != nil {
		tb.Fatal(err)
	}
	for _, s := range all {
		if s.Slug == slug {
			return s
		}
	}
	tb.Fatalf("no built-in survey %q", slug)
	return nil
}

// respondents are n demo responses to sv as respondents, with regions,
// types, populations and membership drawn in the test: regions follow the
// response's own when it has one, else a mix in which Sub-Saharan Africa
// is rare; a tenth have no directory population (the answer then stands).
func respondents(tb testing.TB, sv *survey.Survey, n int, seed uint64) []feedback.Respondent {
	tb.Helper()
	rs := demo.Responses(sv, n, seed, now)
	rng := rand.New(rand.NewPCG(seed, 7))
	regions := []survey.Region{survey.Europe, survey.Europe, survey.Europe, survey.NorthAmerica, survey.NorthAmerica,
		survey.AsiaOceania, survey.AsiaOceania, survey.LatinAmericaCaribbean, survey.MiddleEastNorthAfrica}
	out := make([]feedback.Respondent, len(rs))
	for i, r := range rs {
		reg := regions[rng.IntN(len(regions))]
		if rng.IntN(60) == 0 {
			reg = survey.SubSaharanAfrica
		}
		var pop float64
		if rng.IntN(10) > 0 {
			pop = float64(200000 + rng.IntN(8000000))
		}
		out[i] = feedback.Respondent{
			LibraryID:  fmt.Sprintf("lib%03d", i),
			Library:    fmt.Sprintf("Library %d", i),
			Region:     reg,
			Type:       survey.LibraryTypes[rng.IntN(3)],
			Population: pop,
			Member:     rng.IntN(2) == 0,
			Demo:       true,
			Answers:    r.Answers,
		}
	}
	return out
}

// buildFor builds the report of respondent i among all of them.
func buildFor(tb testing.TB, sv *survey.Survey, all []feedback.Respondent, i int, lang string) *feedback.Report {
	tb.Helper()
	rep, err := feedback.Build(feedback.Input{Survey: sv, Lang: lang, Self: all[i], Others: all, Now: now})
	if err != nil {
		tb.Fatal(err)
	}
	return rep
}
