package disclosure

import (
	"encoding/json"
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/metlib/canvass/analysis"
	"github.com/metlib/canvass/survey"
)

// The attacks of issue #15, each over a real report of the small survey
// (testdata/small.yaml) with responses written out here, and what a reader
// of the published figures can do with them, recomputed from the
// published figures alone.

// respondent is one response of a test population.
type respondent struct {
	region  survey.Region
	answers survey.Answers
}

func population(t *testing.T, sv *survey.Survey, rs []respondent) (*analysis.ReportResult, *Tallies) {
	t.Helper()
	return respondents(sv, rs).publication(t, sv)
}

// respondents are the responses of rs: every library a city system in
// France, answering as rs says.
func respondents(sv *survey.Survey, rs []respondent) generated {
	var g generated
	for _, r := range rs {
		a := survey.Answers{"region": string(r.region), "org_type": string(survey.CitySystem)}
		for k, v := range r.answers {
			a[k] = v
		}
		g.responses = append(g.responses, &survey.Response{SurveySlug: sv.Slug, SurveyVersion: sv.Version, Status: survey.ResponseSubmitted,
			Language: "en", Region: r.region, Country: "FR", Answers: a})
		g.dirType = append(g.dirType, "")
	}
	return g
}

func many(n int, r respondent) []respondent {
	out := make([]respondent, n)
	for i := range out {
		out[i] = r
	}
	return out
}

func tableByID(t *testing.T, rep *analysis.ReportResult, id string) *analysis.TableResult {
	t.Helper()
	for i := range rep.Tables {
		if rep.Tables[i].Spec.ID == id {
			return &rep.Tables[i]
		}
	}
	t.Fatalf("no table %q", id)
	return nil
}

var k5 = Rules{K: 5, MinStatsN: 10}

// noFindings runs the attack tool too.
func noFindings(t *testing.T, sv *survey.Survey, pub *Published, rep *analysis.ReportResult, tal *Tallies) {
	t.Helper()
	if found := attackPublication(sv, k5, pub, rep, tal); len(found) > 0 {
		t.Errorf("the attack tool recovers:\n  %s", strings.Join(found, "\n  "))
	}
}

// Subtraction: 18 responses, Asia-Oceania 2. counts.json's total minus the
// shown regions, and "answered by" minus the shown options, must not give
// a withheld count back.
func TestSubtractionGivesNothingBack(t *testing.T) {
	sv := smallSurvey(t)
	var rs []respondent
	rs = append(rs, many(9, respondent{survey.Europe, survey.Answers{"satisfied": "4"}})...)
	rs = append(rs, many(7, respondent{survey.NorthAmerica, survey.Answers{"satisfied": "5"}})...)
	rs = append(rs, many(2, respondent{survey.AsiaOceania, survey.Answers{"satisfied": "1"}})...)
	rep, tal := population(t, sv, rs)
	pub := Publish(rep, tal, k5)
	if _, err := json.Marshal(pub.Report); err != nil {
		t.Fatalf("the published report does not encode: %v", err)
	}
	c := pub.Counts
	if c.Total.N != nil {
		// The reader subtracts the shown regions from the total: that
		// must leave two or more regions unknown (not one).
		withheld := 0
		for _, r := range c.ByRegion {
			if r.N == nil {
				withheld++
			}
		}
		if withheld == 1 {
			t.Errorf("total %d shown with one region withheld: %v", *c.Total.N, c.ByRegion)
		}
	}
	for _, r := range c.ByRegion {
		if r.Key == string(survey.AsiaOceania) && r.N != nil {
			t.Errorf("Asia-Oceania (2) is published: %d", *r.N)
		}
	}
	sat := tableByID(t, pub.Report, "satisfied").Question
	if !sat.AnsweredSuppressed {
		withheld, sum := 0, 0
		for _, o := range sat.Options {
			if o.Suppressed {
				withheld++
			}
			sum += o.Count
		}
		if withheld == 1 {
			t.Errorf("answered by %d beside one withheld option: %d − %d gives it back", sat.Answered, sat.Answered, sum)
		}
	}
	for _, o := range sat.Options {
		if o.Value == "1" && !o.Suppressed {
			t.Errorf("very dissatisfied (2) is published: %+v", o)
		}
	}
	noFindings(t, sv, pub, rep, tal)
}

// A published zero beside a single small cell: with n = 2 both in one
// type, every table is withheld, the total too, and zeros stay zeros.
func TestZeroBesideASmallCell(t *testing.T) {
	sv := smallSurvey(t)
	rep, tal := population(t, sv, many(2, respondent{survey.Europe, survey.Answers{"satisfied": "3"}}))
	pub := Publish(rep, tal, k5)
	for i, tr := range pub.Report.Tables {
		// A base of 0 is a known fact, published; a base of 2 is not.
		truth := rep.Tables[i].Question.Answered
		if !tr.Withheld || tr.Question.AnsweredSuppressed != (truth > 0) || tr.Question.Answered != 0 {
			t.Errorf("table %s answered by %d: withheld %v, answered %d (suppressed %v)", tr.Spec.ID, truth, tr.Withheld, tr.Question.Answered, tr.Question.AnsweredSuppressed)
		}
	}
	if pub.Counts.Total.N != nil || pub.Counts.Countries != nil || !pub.Report.ResponsesSuppressed || pub.Report.Responses != 0 {
		t.Errorf("a total of 2 is published: %+v, report %d", pub.Counts.Total, pub.Report.Responses)
	}
	for _, c := range pub.Counts.ByType {
		if c.Key == string(survey.CitySystem) && c.N != nil {
			t.Errorf("city (2) beside zeros is published")
		}
	}
	for _, c := range pub.Counts.ByRegion {
		if c.Key != string(survey.Europe) && (c.N == nil || *c.N != 0) {
			t.Errorf("region %s (0) is not published as 0: %v", c.Key, c.N)
		}
	}
	noFindings(t, sv, pub, rep, tal)
}

// Moments: a likert mean beside a withheld count is an equation in it
// (4.00 and the shown counts give "very dissatisfied" = 2); it is withheld.
func TestMeanBesideAWithheldCount(t *testing.T) {
	sv := smallSurvey(t)
	var rs []respondent
	rs = append(rs, many(2, respondent{survey.Europe, survey.Answers{"satisfied": "1"}})...)
	rs = append(rs, many(8, respondent{survey.Europe, survey.Answers{"satisfied": "4"}})...)
	rs = append(rs, many(8, respondent{survey.Europe, survey.Answers{"satisfied": "5"}})...)
	rep, tal := population(t, sv, rs)
	truth := tableByID(t, rep, "satisfied").Question.Scale
	if math.Abs(float64(truth.Mean)-(2*1+8*4+8*5)/18.0) > 1e-9 {
		t.Fatalf("the analysis's mean is %v", truth.Mean)
	}
	pub := Publish(rep, tal, k5)
	s := tableByID(t, pub.Report, "satisfied").Question.Scale
	hidden := false
	for _, o := range s.Distribution {
		hidden = hidden || o.Suppressed
	}
	if !hidden {
		t.Fatal("no count of the scale is withheld")
	}
	if !s.Withheld || !math.IsNaN(float64(s.Mean)) || !math.IsNaN(float64(s.SD)) || !math.IsNaN(float64(s.Median)) {
		t.Errorf("mean %v, SD %v, median %v published beside a withheld count", s.Mean, s.SD, s.Median)
	}
	noFindings(t, sv, pub, rep, tal)
}

// Quantiles at n = k: 11, 23, 37, 52, 6000 give nothing that is one
// library's answer; at n ≥ 2k quantiles have two significant figures, and
// a minimum or maximum is never published.
func TestQuantilesAreNotAnswers(t *testing.T) {
	sv := smallSurvey(t)
	values := []float64{11, 23, 37, 52, 6000}
	var rs []respondent
	for _, v := range values {
		rs = append(rs, respondent{survey.Europe, survey.Answers{"staff": v}})
	}
	rep, tal := population(t, sv, rs)
	pub := Publish(rep, tal, k5)
	d := tableByID(t, pub.Report, "staff").Question.Numbers.Descriptives
	for _, got := range []float64{d.Mean, d.SD, d.Min, d.Q1, d.Median, d.Q3, d.Max} {
		for _, v := range values {
			if got == v {
				t.Errorf("a published statistic is one library's answer: %v (%+v)", v, d)
			}
		}
		if !math.IsNaN(got) {
			t.Errorf("a statistic of 5 values is published: %v", got)
		}
	}
	if !d.Withheld || d.N != 5 {
		t.Errorf("n = %d, withheld %v; want 5, withheld", d.N, d.Withheld)
	}
	// Twelve answers: quartiles of type 7 at h = 2.75, 5.5, 8.25, rounded.
	big := []float64{101, 123, 137, 152, 166, 171, 188, 1234, 1301, 1450, 1999, 6000}
	rs = rs[:0]
	for _, v := range big {
		rs = append(rs, respondent{survey.Europe, survey.Answers{"staff": v}})
	}
	rep, tal = population(t, sv, rs)
	pub = Publish(rep, tal, k5)
	d = tableByID(t, pub.Report, "staff").Question.Numbers.Descriptives
	// sorted[2] + 0.75·(sorted[3] − sorted[2]) = 148.25, sorted[5] +
	// 0.5·(sorted[6] − sorted[5]) = 179.5, sorted[8] + 0.25·(sorted[9] −
	// sorted[8]) = 1338.25: published as 150, 180 and 1300.
	for name, want := range map[string][2]float64{"Q1": {d.Q1, 150}, "median": {d.Median, 180}, "Q3": {d.Q3, 1300}} {
		if want[0] != want[1] {
			t.Errorf("%s = %v, want %v (two significant figures)", name, want[0], want[1])
		}
	}
	if !math.IsNaN(d.Min) || !math.IsNaN(d.Max) {
		t.Errorf("minimum %v or maximum %v published", d.Min, d.Max)
	}
	for _, got := range []float64{d.Q1, d.Median, d.Q3} {
		for _, v := range big {
			if got == v {
				t.Errorf("quantile %v is one library's answer", got)
			}
		}
	}
	noFindings(t, sv, pub, rep, tal)
}

// % of mentions: a withheld option keeps no share of mentions (0.0015060 ×
// 1328 mentions gave 2), and chi-square is withheld from a cross-tab with a
// withheld cell.
func TestMentionsAndChiSquareWithheld(t *testing.T) {
	sv := smallSurvey(t)
	var rs []respondent
	rs = append(rs, many(20, respondent{survey.Europe, survey.Answers{"methods": []string{"visits", "loans"}, "org_type": string(survey.CitySystem)}})...)
	rs = append(rs, many(12, respondent{survey.Europe, survey.Answers{"methods": []string{"visits"}, "org_type": string(survey.RegionalSystem)}})...)
	rs = append(rs, many(2, respondent{survey.Europe, survey.Answers{"methods": []string{"visits", "interviews"}, "org_type": string(survey.CitySystem)}})...)
	rep, tal := population(t, sv, rs)
	if ct := tableByID(t, rep, "methods_by_type").Question.CrossTab; ct.Tests == nil {
		t.Fatal("the analysis computes no test for the cross-tab")
	}
	pub := Publish(rep, tal, k5)
	m := tableByID(t, pub.Report, "methods").Question
	for _, o := range m.Options {
		if o.Value == "interviews" {
			if !o.Suppressed || o.Count != 0 || o.MentionShare != nil || o.Share != 0 {
				t.Errorf("interviews (2) published: %+v", o)
			}
		}
		if o.Suppressed && o.MentionShare != nil {
			t.Errorf("%s: %% of mentions of a withheld count", o.Value)
		}
	}
	ct := tableByID(t, pub.Report, "methods_by_type").Question.CrossTab
	hidden := false
	for _, row := range ct.Suppressed {
		for _, h := range row {
			hidden = hidden || h
		}
	}
	if !hidden {
		t.Fatal("no cell of methods by type is withheld")
	}
	if ct.Test != nil || ct.Tests != nil || ct.Warning != "" {
		t.Errorf("tests published beside a withheld cell: %+v %+v %q", ct.Test, ct.Tests, ct.Warning)
	}
	noFindings(t, sv, pub, rep, tal)
}

// "Still show every cell that is safe": where no count is from 1 to k−1,
// nothing is withheld, every count is the analysis's, and the shares stay.
func TestNothingWithheldWhenNothingIsSmall(t *testing.T) {
	sv := smallSurvey(t)
	var rs []respondent
	rs = append(rs, many(30, respondent{survey.Europe, survey.Answers{"satisfied": "4", "methods": []string{"visits", "loans"}, "staff": 10.0}})...)
	rs = append(rs, many(30, respondent{survey.Europe, survey.Answers{"satisfied": "5", "methods": []string{"visits", "loans"}, "staff": 20.0, "org_type": string(survey.RegionalSystem)}})...)
	rep, tal := population(t, sv, rs)
	pub, b := publish(rep, tal, k5)
	if pub.Stats.Primary != 0 || pub.Stats.Secondary != 0 || b.skipped != 0 {
		t.Fatalf("stats %+v, %d false relations", pub.Stats, b.skipped)
	}
	if pub.Stats.Cells < 50 {
		t.Errorf("only %d cells", pub.Stats.Cells)
	}
	if *pub.Counts.Total.N != 60 || pub.Report.Responses != 60 {
		t.Errorf("total %d, report %d", *pub.Counts.Total.N, pub.Report.Responses)
	}
	sat := tableByID(t, pub.Report, "satisfied").Question
	if sat.Answered != 60 || sat.Options[3].Count != 30 || sat.Options[3].Share != 0.5 || sat.Scale.Withheld || float64(sat.Scale.Mean) != 4.5 {
		t.Errorf("satisfaction: %+v, scale %+v", sat.Options, sat.Scale)
	}
	ct := tableByID(t, pub.Report, "methods_by_type").Question.CrossTab
	for _, row := range ct.Suppressed {
		for _, h := range row {
			if h {
				t.Errorf("a cell of methods by type is withheld: %v", ct.Suppressed)
			}
		}
	}
	if ct.Tests == nil {
		t.Error("the tests of a table with no withheld cell are withheld")
	}
	noFindings(t, sv, pub, rep, tal)
	_ = strconv.Itoa
}
