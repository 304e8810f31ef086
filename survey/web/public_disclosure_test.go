package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/metlib/canvass/campaign"
	"github.com/metlib/canvass/disclosure"
	"github.com/metlib/canvass/survey"
)

// The public outputs of a small generated survey read as a reader reads
// them — /results and every table embed parsed as HTML, counts.json
// decoded, in en, fr and es — and attacked: every number the reader sees
// goes into a system of the relations the reader knows (margins, a
// required question's base equal to the total, shares of their bases, the
// mean and top-two share of the likert), built here from the parsed pages
// and the survey's public definition, and disclosure.Attack works out
// every hidden count it can. Nothing may be pinned, and no count below k
// provably below k. The same system with today's old per-cell rule (hide
// 0 < n < k, nothing else) must give cells away, so the attack is a test
// that can fail.

const smallSurveyYAML = `
slug: %s
version: 1
default_language: en
languages: [en, fr, es]
title: {en: "Small survey", fr: "Petite enquête", es: "Encuesta pequeña"}
settings: {public_counts: true, small_cell_threshold: 5}
sections:
  - id: s
    questions:
      - id: org_type
        type: single_choice
        required: true
        label: {en: "Type of library", fr: "Type de bibliothèque", es: "Tipo de biblioteca"}
        options:
          - {value: city_system, label: {en: "City", fr: "Ville", es: "Ciudad"}}
          - {value: regional_system, label: {en: "Regional", fr: "Régional", es: "Regional"}}
          - {value: national_state, label: {en: "National", fr: "National", es: "Nacional"}}
          - {value: consortium, label: {en: "Consortium", fr: "Consortium", es: "Consorcio"}}
          - {value: other, label: {en: "Another kind", fr: "Autre sorte", es: "Otra clase"}}
      - id: services
        type: multi_choice
        label: {en: "Services", fr: "Services", es: "Servicios"}
        options:
          - {value: loans, label: {en: "Loans", fr: "Prêts", es: "Préstamos"}}
          - {value: events, label: {en: "Events", fr: "Animations", es: "Actividades"}}
          - {value: makers, label: {en: "Makerspace", fr: "Fablab", es: "Taller"}}
      - id: satisfaction
        type: likert
        scale: {min: 1, max: 5}
        label: {en: "Satisfaction", fr: "Satisfaction", es: "Satisfacción"}
        options:
          - {value: 1, label: {en: "Very low", fr: "Très faible", es: "Muy baja"}}
          - {value: 2, label: {en: "Low", fr: "Faible", es: "Baja"}}
          - {value: 3, label: {en: "Middling", fr: "Passable", es: "Regular"}}
          - {value: 4, label: {en: "High", fr: "Élevée", es: "Alta"}}
          - {value: 5, label: {en: "Very high", fr: "Très élevée", es: "Muy alta"}}
      - id: visitors
        type: number
        min: 0
        label: {en: "Visitors", fr: "Visiteurs", es: "Visitantes"}
report:
  tables:
    - {id: types, question: org_type, title: {en: "Types", fr: "Types", es: "Tipos"}}
    - {id: types_by_region, question: org_type, by: region, title: {en: "Types by region", fr: "Types par région", es: "Tipos por región"}}
    - {id: services, question: services, title: {en: "Services", fr: "Services", es: "Servicios"}}
    - {id: satisfaction, question: satisfaction, title: {en: "Satisfaction", fr: "Satisfaction", es: "Satisfacción"}}
    - {id: visitors, question: visitors, by: region, title: {en: "Visitors", fr: "Visiteurs", es: "Visitantes"}}
`

var smallTypes = []string{"city_system", "regional_system", "national_state", "consortium", "other"}

// countryOf gives each region one country, so a response's region is its country's.
var countryOf = map[survey.Region]string{survey.AsiaOceania: "JP", survey.Europe: "FR", survey.LatinAmericaCaribbean: "MX",
	survey.MiddleEastNorthAfrica: "EG", survey.NorthAmerica: "CA", survey.SubSaharanAfrica: "KE"}

// smallResponse is one generated respondent, as the test knows it.
type smallResponse struct {
	region   survey.Region
	typ      string
	services []string
	sat      int     // 0: not answered
	visitors float64 // <0: not answered
}

// generateSmall makes a population whose regions have sizes 0, 1, 2, 3, 5
// and 7 and whose types have sizes 0, 2, 4, 5 and 7, each in an order the
// seed picks, with answers drawn from the seed.
func generateSmall(seed uint64) []smallResponse {
	rng := rand.New(rand.NewPCG(seed, 15))
	regionSizes := []int{0, 1, 2, 3, 5, 7}
	typeSizes := []int{0, 2, 4, 5, 7}
	rng.Shuffle(len(regionSizes), func(i, j int) { regionSizes[i], regionSizes[j] = regionSizes[j], regionSizes[i] })
	rng.Shuffle(len(typeSizes), func(i, j int) { typeSizes[i], typeSizes[j] = typeSizes[j], typeSizes[i] })
	var types []string
	for i, n := range typeSizes {
		for range n {
			types = append(types, smallTypes[i])
		}
	}
	rng.Shuffle(len(types), func(i, j int) { types[i], types[j] = types[j], types[i] })
	var out []smallResponse
	for i, n := range regionSizes {
		for range n {
			r := smallResponse{region: survey.Regions[i], typ: types[len(out)], sat: 0, visitors: -1}
			for _, s := range []string{"loans", "events", "makers"} {
				if rng.IntN(3) > 0 {
					r.services = append(r.services, s)
				}
			}
			if rng.IntN(6) > 0 {
				r.sat = 1 + rng.IntN(5)
			}
			if rng.IntN(3) > 0 {
				r.visitors = float64(100 * (1 + rng.IntN(500)))
			}
			out = append(out, r)
		}
	}
	return out
}

// smallTally is what the population's public tables should show, counted
// here from the generated respondents without package analysis.
type smallTally struct {
	total            int
	region, typ      map[string]int
	typRegion        map[string]int // "type/region"
	services         map[string]int
	servicesAnswered int
	sat              map[int]int
	satAnswered      int
	visitors         map[string]int // by region
	visitorsAnswered int
}

func tallySmall(rs []smallResponse) smallTally {
	t := smallTally{region: map[string]int{}, typ: map[string]int{}, typRegion: map[string]int{}, services: map[string]int{}, sat: map[int]int{}, visitors: map[string]int{}}
	for _, r := range rs {
		t.total++
		t.region[string(r.region)]++
		t.typ[r.typ]++
		t.typRegion[r.typ+"/"+string(r.region)]++
		if len(r.services) > 0 {
			t.servicesAnswered++
		}
		for _, s := range r.services {
			t.services[s]++
		}
		if r.sat > 0 {
			t.sat[r.sat]++
			t.satAnswered++
		}
		if r.visitors >= 0 {
			t.visitors[string(r.region)]++
			t.visitorsAnswered++
		}
	}
	return t
}

// seedSmall stores the survey and its responses (submitted, not demo).
func seedSmall(t *testing.T, a *app, slug string, rs []smallResponse) *survey.Survey {
	t.Helper()
	ctx := context.Background()
	sv, err := survey.ParseDefinition([]byte(fmt.Sprintf(smallSurveyYAML, slug)), "yaml")
	if err != nil {
		t.Fatal(err)
	}
	sv.Status = survey.StatusOpen
	if err := a.store.CreateSurvey(ctx, sv); err != nil {
		t.Fatal(err)
	}
	at := time.Now().UTC()
	for i, r := range rs {
		raw := map[string]any{"org_type": r.typ}
		if len(r.services) > 0 {
			list := []any{}
			for _, s := range r.services {
				list = append(list, s)
			}
			raw["services"] = list
		}
		if r.sat > 0 {
			raw["satisfaction"] = fmt.Sprint(r.sat)
		}
		if r.visitors >= 0 {
			raw["visitors"] = r.visitors
		}
		answers, err := sv.CheckAnswers(raw, "en")
		if err != nil {
			t.Fatalf("response %d: %v %v", i, err, survey.ErrorFields(err))
		}
		if _, _, err := a.store.CreateResponse(ctx, &survey.Response{SurveySlug: slug, SurveyVersion: 1, SubmissionID: fmt.Sprintf("%s-%03d", slug, i), Language: "en",
			Country: countryOf[r.region], Region: r.region, Status: survey.ResponseSubmitted, Answers: answers, CreatedAt: at, SubmittedAt: &at}); err != nil {
			t.Fatal(err)
		}
	}
	return sv
}

// readerSystem is the reader's knowledge, as a disclosure.Problem: a cell
// per quantity (its true value, from the tally; the reader sees it only
// where the pages show it), the relations the reader knows.
type readerSystem struct {
	t     *testing.T
	k     int
	p     *disclosure.Problem
	seen  map[int]bool   // shown somewhere
	where map[int]string // where it was read, for messages
}

func newReaderSystem(t *testing.T, k int) *readerSystem {
	return &readerSystem{t: t, k: k, p: disclosure.NewProblem(), seen: map[int]bool{}, where: map[int]string{}}
}

// read adds what a reader read of a quantity: a shown count must be the
// true one, and no count from 1 to k−1 may be shown.
func (rs *readerSystem) read(key string, s shown, truth int, where string) int {
	rs.t.Helper()
	i := rs.p.Cell(key, truth)
	if !s.ok {
		rs.t.Errorf("%s: %s unreadable", where, key)
		return i
	}
	if s.hidden {
		if _, ok := rs.where[i]; !ok {
			rs.where[i] = where
		}
		return i
	}
	rs.seen[i] = true
	rs.where[i] = where
	if s.n != truth {
		rs.t.Errorf("%s: %s shows %d, the responses give %d", where, key, s.n, truth)
	}
	if s.n > 0 && s.n < rs.k {
		rs.t.Errorf("%s: %s shows %d, below k = %d", where, key, s.n, rs.k)
	}
	return i
}

// share records a shown percentage of count over base (rounded to a whole
// percent, so within half a point).
func (rs *readerSystem) share(count, base int, text string) {
	rs.t.Helper()
	v, ok := readPercent(text)
	if !ok {
		return
	}
	const half = 0.005 + 1e-9
	if c, b := float64(rs.p.Value(count)), float64(rs.p.Value(base)); math.Abs(c-v*b) > half*b {
		rs.t.Errorf("%s: share %q, but the responses give %v/%v", rs.p.Key(count), text, c, b)
		return
	}
	rs.p.Relation([]disclosure.Term{{Cell: count, Coef: 1}, {Cell: base, Coef: -(v - half)}}, 0, math.Inf(1))
	rs.p.Relation([]disclosure.Term{{Cell: count, Coef: 1}, {Cell: base, Coef: -(v + half)}}, math.Inf(-1), 0)
}

// atMost records a ≤ b.
func (rs *readerSystem) atMost(a, b int) {
	rs.p.Relation([]disclosure.Term{{Cell: a, Coef: 1}, {Cell: b, Coef: -1}}, math.Inf(-1), 0)
}

// attack runs disclosure.Attack with the cells hidden that hidden says,
// and returns what it gave away: cells pinned, and cells under k proved
// under k.
func (rs *readerSystem) attack(hidden func(i int) bool) []string {
	ranges := disclosure.Attack(rs.p, hidden)
	var out []string
	for i := 0; i < rs.p.Len(); i++ {
		if !hidden(i) {
			continue
		}
		r, v := ranges[i], rs.p.Value(i)
		switch {
		case r.Unbounded:
		case r.Lo == r.Hi:
			out = append(out, fmt.Sprintf("%s = %d pinned (%s)", rs.p.Key(i), v, rs.where[i]))
		case v < rs.k && r.Hi < rs.k:
			out = append(out, fmt.Sprintf("%s = %d proved in [%d, %d] (%s)", rs.p.Key(i), v, r.Lo, r.Hi, rs.where[i]))
		}
	}
	return out
}

type countsJSON struct {
	Total     countJSON   `json:"total"`
	Countries *int        `json:"countries"`
	ByRegion  []countJSON `json:"by_region"`
	ByType    []countJSON `json:"by_type"`
	Threshold int         `json:"threshold"`
	Note      string      `json:"note"`
}

type countJSON struct {
	Key      string `json:"key"`
	Count    *int   `json:"count"`
	Withheld bool   `json:"withheld"`
}

func (c countJSON) shown() shown {
	if c.Count == nil {
		return shown{hidden: true, ok: c.Withheld}
	}
	return shown{n: *c.Count, ok: !c.Withheld}
}

// labelsIn maps a question's option labels in lang to their values.
func labelsIn(sv *survey.Survey, question, lang string) map[string]string {
	out := map[string]string{}
	for _, o := range sv.Question(question).Options {
		out[o.Label.In(lang, sv.DefaultLanguage)] = string(o.Value)
	}
	return out
}

func regionByLabel(lang string) map[string]string {
	out := map[string]string{}
	for _, r := range survey.Regions {
		out[survey.RegionLabels[r].In(lang, "en")] = string(r)
	}
	return out
}

func TestPublicOutputsHoldAgainstArithmetic(t *testing.T) {
	var svc *campaign.Service
	a := newApp(t, withCampaign(&svc))
	admin := a.token(survey.RoleAdmin)
	for _, seed := range []uint64{1, 2, 3} {
		slug := fmt.Sprintf("small-%d", seed)
		rs := generateSmall(seed)
		want := tallySmall(rs)
		sv := seedSmall(t, a, slug, rs)
		if rec := a.do(request{method: http.MethodPost, path: "/api/v1/surveys/" + slug + "/results/publish", token: admin}); rec.Code != 200 {
			t.Fatalf("publish: %d %s", rec.Code, rec.Body)
		}
		t.Run(slug, func(t *testing.T) {
			var hiddenIn []string // per language, the keys hidden: the same in every language
			for _, lang := range []string{"en", "fr", "es"} {
				rsys := newReaderSystem(t, 5)
				readPublic(t, a, sv, lang, want, rsys)
				hidden := func(i int) bool { return !rsys.seen[i] }
				if leaks := rsys.attack(hidden); len(leaks) > 0 {
					t.Errorf("%s: the reader works out %d hidden counts:\n%s", lang, len(leaks), strings.Join(leaks, "\n"))
				}
				// The old rule: hide 1 to k−1 and nothing else.
				old := func(i int) bool { v := rsys.p.Value(i); return v > 0 && v < 5 }
				if leaks := rsys.attack(old); len(leaks) == 0 {
					t.Errorf("%s: the attack finds nothing even under the per-cell rule: it cannot fail", lang)
				}
				var keys []string
				for i := 0; i < rsys.p.Len(); i++ {
					if hidden(i) {
						keys = append(keys, rsys.p.Key(i))
					}
				}
				slices.Sort(keys)
				hiddenIn = append(hiddenIn, strings.Join(keys, " "))
				if lang == "en" {
					t.Logf("%s: %d quantities read, %d hidden: %s", slug, rsys.p.Len(), len(keys), hiddenIn[0])
				}
				checkAgainstPublished(t, a, svc, sv, lang)
			}
			if hiddenIn[1] != hiddenIn[0] || hiddenIn[2] != hiddenIn[0] {
				t.Errorf("the languages hide different counts:\nen %s\nfr %s\nes %s", hiddenIn[0], hiddenIn[1], hiddenIn[2])
			}
		})
	}
}

// readPublic reads every public output of sv in lang into the reader's
// system, checking each shown count against the tally.
func readPublic(t *testing.T, a *app, sv *survey.Survey, lang string, want smallTally, rsys *readerSystem) {
	t.Helper()
	slug := sv.Slug
	get := func(path string) string {
		rec := a.do(request{path: path})
		if rec.Code != 200 {
			t.Fatalf("%s: %d %s", path, rec.Code, rec.Body)
		}
		return rec.Body.String()
	}
	// counts.json
	var cj countsJSON
	if err := json.Unmarshal([]byte(get("/embed/"+slug+"/counts.json?lang="+lang)), &cj); err != nil {
		t.Fatal(err)
	}
	if cj.Threshold != 5 || cj.Note == "" {
		t.Errorf("counts.json: threshold %d, note %q", cj.Threshold, cj.Note)
	}
	total := rsys.read("total", cj.Total.shown(), want.total, "counts.json total")
	if cj.Countries != nil {
		withheld := cj.Total.Count == nil
		for _, c := range cj.ByRegion {
			withheld = withheld || c.Count == nil
		}
		if withheld {
			t.Errorf("counts.json: countries %d beside a withheld total or region", *cj.Countries)
		}
	}
	region := map[string]int{}
	var parts []int
	for _, c := range cj.ByRegion {
		region[c.Key] = rsys.read("region="+c.Key, c.shown(), want.region[c.Key], "counts.json by_region")
		parts = append(parts, region[c.Key])
	}
	if len(cj.ByRegion) != len(survey.Regions) {
		t.Errorf("counts.json: %d regions", len(cj.ByRegion))
	}
	rsys.p.Sum(total, parts...)
	typ := map[string]int{}
	parts = nil
	for _, c := range cj.ByType {
		typ[c.Key] = rsys.read("type="+c.Key, c.shown(), want.typ[c.Key], "counts.json by_type")
		parts = append(parts, typ[c.Key])
	}
	rsys.p.Sum(total, parts...)

	// /results, and each table embed, which must say the same.
	intro, tables := readResultsPage(t, get("/results/"+slug+"?lang="+lang))
	first, _, _ := strings.Cut(intro, ". ")
	rsys.read("total", firstNumber(first), want.total, "results intro")
	if !strings.Contains(intro, "x") {
		t.Errorf("%s intro %q lacks the note on withheld counts", lang, intro)
	}
	for id, page := range tables {
		embed := readEmbed(t, id, get("/embed/"+slug+"/results/"+id+"?lang="+lang))
		page.ID, embed.ID = "", ""
		pj, _ := json.Marshal(page)
		ej, _ := json.Marshal(embed)
		if string(pj) != string(ej) {
			t.Errorf("%s table %s: the embed differs from /results:\n%s\n%s", lang, id, ej, pj)
		}
	}
	types, byRegion, services, sat, visitors := tables["types"], tables["types_by_region"], tables["services"], tables["satisfaction"], tables["visitors"]
	where := func(table string) string { return lang + " /results " + table }

	// Types: a required question, so its base is the total; its rows are
	// the types of counts.json (no directory: the answer is the type).
	rsys.read("total", firstNumber(types.Base), want.total, where("types base"))
	typeOf := labelsIn(sv, "org_type", lang)
	parts = nil
	if len(types.Rows) != len(smallTypes) {
		t.Errorf("%s types: %d rows %v", lang, len(types.Rows), types.Rows)
	}
	for _, row := range types.Rows {
		v := typeOf[row[0]]
		c := rsys.read("type="+v, readCount(row[2]), want.typ[v], where("types "+row[0]))
		rsys.share(c, total, row[1])
		typ[v] = c
		parts = append(parts, c)
		if readCount(row[2]).hidden && row[1] != "" {
			t.Errorf("%s types %s: a hidden count with share %q", lang, row[0], row[1])
		}
	}
	rsys.p.Sum(total, parts...)

	// Types by region: each column's base is the region's count (the
	// question is required), each column and row adds up.
	regionOf := regionByLabel(lang)
	cols := map[string]int{}
	for j, col := range byRegion.Head {
		r := regionOf[col.Label]
		cols[r] = j
		rsys.read("region="+r, firstNumber(col.Base), want.region[r], where("types by region, base of "+col.Label))
	}
	for _, r := range survey.Regions {
		if _, ok := cols[string(r)]; !ok && want.region[string(r)] > 0 {
			t.Errorf("%s types by region: no column for %s, which has respondents", lang, r)
		}
	}
	cells := map[string][]int{} // type → its cells
	colCells := map[string][]int{}
	for _, row := range byRegion.Cross {
		v := typeOf[row[0]]
		for _, r := range survey.Regions {
			key := "type=" + v + "/region=" + string(r)
			var c int
			if j, ok := cols[string(r)]; ok && j+1 < len(row) {
				s, share := splitCell(row[j+1])
				c = rsys.read(key, s, want.typRegion[v+"/"+string(r)], where("types by region "+row[0]+" × "+string(r)))
				if s.hidden && share != "" {
					t.Errorf("%s: hidden %s with share %q", lang, key, share)
				}
				rsys.share(c, region[string(r)], share)
			} else {
				// No column: the note says nobody there answered, a zero.
				c = rsys.read(key, shown{n: 0, ok: true}, want.typRegion[v+"/"+string(r)], where("types by region, no column"))
			}
			cells[v] = append(cells[v], c)
			colCells[string(r)] = append(colCells[string(r)], c)
		}
	}
	for v, cs := range cells {
		rsys.p.Sum(typ[v], cs...)
	}
	for r, cs := range colCells {
		rsys.p.Sum(region[r], cs...)
	}

	// Services: optional, several answers: each option at most the base,
	// their sum at least it, the base at most the total.
	svcBase := rsys.read("services/answered", firstNumber(services.Base), want.servicesAnswered, where("services base"))
	rsys.atMost(svcBase, total)
	serviceOf := labelsIn(sv, "services", lang)
	var sumTerms []disclosure.Term
	for _, row := range services.Rows {
		v := serviceOf[row[0]]
		if v == "" {
			// Asked and ticked nothing (left unanswered): the rest of the total.
			none := rsys.read("services/not ticked", readCount(row[2]), want.total-want.servicesAnswered, where("services "+row[0]))
			rsys.p.Sum(total, svcBase, none)
			continue
		}
		c := rsys.read("services="+v, readCount(row[2]), want.services[v], where("services "+row[0]))
		rsys.atMost(c, svcBase)
		rsys.share(c, svcBase, row[1])
		sumTerms = append(sumTerms, disclosure.Term{Cell: c, Coef: 1})
	}
	rsys.p.Relation(append(sumTerms, disclosure.Term{Cell: svcBase, Coef: -1}), 0, math.Inf(1))

	// Satisfaction: the rows add up to the base; the mean (two decimals)
	// and the top-two share (a whole percent) are linear in them.
	satBase := rsys.read("satisfaction/answered", firstNumber(sat.Base), want.satAnswered, where("satisfaction base"))
	rsys.atMost(satBase, total)
	satOf := labelsIn(sv, "satisfaction", lang)
	level := map[int]int{}
	parts = nil
	for _, row := range sat.Rows {
		var j int
		fmt.Sscan(satOf[row[0]], &j)
		level[j] = rsys.read(fmt.Sprintf("satisfaction=%d", j), readCount(row[2]), want.sat[j], where("satisfaction "+row[0]))
		rsys.share(level[j], satBase, row[1])
		parts = append(parts, level[j])
	}
	rsys.p.Sum(satBase, parts...)
	for _, s := range sat.Texts {
		mean, top, ok := readScaleSummary(s)
		if !ok {
			continue
		}
		sum := 0
		for j, n := range want.sat {
			sum += j * n
		}
		if math.Abs(mean*float64(want.satAnswered)-float64(sum)) > 0.005*float64(want.satAnswered)+1e-9 {
			t.Errorf("%s satisfaction: mean %v, the responses give %d/%d", lang, mean, sum, want.satAnswered)
			continue
		}
		const half = 0.005 + 1e-9
		terms := func(m float64) []disclosure.Term {
			ts := []disclosure.Term{{Cell: satBase, Coef: -m}}
			for j, c := range level {
				ts = append(ts, disclosure.Term{Cell: c, Coef: float64(j)})
			}
			return ts
		}
		rsys.p.Relation(terms(mean-half), 0, math.Inf(1))
		rsys.p.Relation(terms(mean+half), math.Inf(-1), 0)
		if top != "" {
			tt := rsys.p.Cell("satisfaction/top two", want.sat[4]+want.sat[5])
			rsys.p.Sum(tt, level[4], level[5])
			rsys.share(tt, satBase, top)
		}
	}

	// Visitors by region: each region's n at most the region, adding up
	// to the base.
	visBase := rsys.read("visitors/answered", firstNumber(visitors.Base), want.visitorsAnswered, where("visitors base"))
	rsys.atMost(visBase, total)
	parts = nil
	for _, row := range visitors.Cross {
		r := regionOf[row[0]]
		c := rsys.read("visitors/region="+r, readCount(row[1]), want.visitors[r], where("visitors by region "+row[0]))
		rsys.atMost(c, region[r])
		parts = append(parts, c)
	}
	for _, r := range survey.Regions {
		if !slices.ContainsFunc(visitors.Cross, func(row []string) bool { return regionOf[row[0]] == string(r) }) {
			parts = append(parts, rsys.read("visitors/region="+string(r), shown{ok: true}, want.visitors[string(r)], where("visitors, no row")))
		}
	}
	rsys.p.Sum(visBase, parts...)
}

// readScaleSummary reads "Mean 3.44; 56% in the top two points." in any
// of the languages: the mean and the top-two percentage as written.
func readScaleSummary(s string) (mean float64, top string, ok bool) {
	m := countDigits.FindAllString(s, -1)
	if len(m) == 0 {
		return 0, "", false
	}
	const trim = " \u00a0\u202f.;,"
	mean, ok = readDecimal(strings.TrimRight(m[0], trim))
	if len(m) > 1 && strings.Contains(s, "%") {
		top = strings.TrimRight(m[1], trim) + "%"
	}
	return mean, top, ok
}

// checkAgainstPublished compares what the pages show with the disclosed
// report they render (campaign.Published): a count is hidden on the page
// exactly where the report flags it, shown with the report's value
// elsewhere, a share only beside a shown count, statistics only where the
// report keeps them; and every number anywhere in a table's text is one
// the disclosed report holds. No renderer publishes more than Publish
// allowed, nor hides what it allowed.
func checkAgainstPublished(t *testing.T, a *app, svc *campaign.Service, sv *survey.Survey, lang string) {
	t.Helper()
	pub, err := svc.Published(context.Background(), sv, lang)
	if err != nil || pub.Report == nil || pub.Counts == nil {
		t.Fatalf("Published: %v, %+v", err, pub)
	}
	rec := a.do(request{path: "/results/" + sv.Slug + "?lang=" + lang})
	_, tables := readResultsPage(t, rec.Body.String())
	allowed := numbersOf(t, pub.Report, lang)
	for _, n := range []int{5, 10} { // k and 2k, in the notes
		allowed[fmt.Sprint(n)] = true
	}
	same := func(what string, s shown, n int, hidden bool) {
		t.Helper()
		switch {
		case !s.ok:
			t.Errorf("%s %s: unreadable", lang, what)
		case s.hidden != hidden:
			t.Errorf("%s %s: hidden on the page %v, in the disclosed report %v", lang, what, s.hidden, hidden)
		case !hidden && s.n != n:
			t.Errorf("%s %s: page %d, disclosed report %d", lang, what, s.n, n)
		}
	}
	for _, tr := range pub.Report.Tables {
		page, ok := tables[tr.Spec.ID]
		if !ok {
			t.Errorf("%s: table %s not on the page", lang, tr.Spec.ID)
			continue
		}
		for _, s := range append(append([]string{page.Base}, page.Texts...), page.Notes...) {
			for _, tok := range numberTokens(s, lang) {
				if !allowed[tok] {
					t.Errorf("%s table %s: %q shows %s, which the disclosed report does not hold", lang, tr.Spec.ID, s, tok)
				}
			}
		}
		if tr.Withheld {
			continue
		}
		q := tr.Question
		same(tr.Spec.ID+" base", firstNumber(page.Base), q.Answered, q.AnsweredSuppressed)
		switch {
		case q.CrossTab != nil:
			ct := q.CrossTab
			for r := range ct.RowLabels {
				if r >= len(page.Cross) {
					t.Errorf("%s %s: %d rows", lang, tr.Spec.ID, len(page.Cross))
					break
				}
				j := 0
				for g, grp := range tr.Grouping.Groups {
					hidden := g < len(ct.ColSuppressed) && ct.ColSuppressed[g]
					if ct.ColTotals[g] == 0 && !hidden {
						continue // no column
					}
					j++
					if r == 0 {
						same(tr.Spec.ID+" base of "+grp.Key, firstNumber(page.Head[j-1].Base), ct.ColTotals[g], hidden)
					}
					cellHidden := r < len(ct.Suppressed) && g < len(ct.Suppressed[r]) && ct.Suppressed[r][g]
					s, share := splitCell(page.Cross[r][j])
					same(fmt.Sprintf("%s %s × %s", tr.Spec.ID, ct.Rows[r], grp.Key), s, ct.Counts[r][g], cellHidden)
					if wantShare := !cellHidden && !hidden; wantShare != (share != "") {
						t.Errorf("%s %s %s × %s: share %q; count hidden %v, base hidden %v", lang, tr.Spec.ID, ct.Rows[r], grp.Key, share, cellHidden, hidden)
					}
				}
			}
		case len(q.ByGroup) > 0:
			i := 0
			for _, gn := range q.ByGroup {
				if gn.Stats.N == 0 && !gn.NSuppressed {
					continue
				}
				row := page.Cross[i]
				i++
				same(tr.Spec.ID+" n of "+gn.Group, readCount(row[1]), gn.Stats.N, gn.NSuppressed)
				withheld := gn.NSuppressed || gn.Stats.Withheld
				if withheld != (strings.Join(row[2:], "") == "") {
					t.Errorf("%s %s %s: statistics %q, withheld %v", lang, tr.Spec.ID, gn.Group, row[2:], withheld)
				}
			}
		case len(q.Options) > 0:
			for i, o := range q.Options {
				if i >= len(page.Rows) {
					t.Errorf("%s %s: %d rows", lang, tr.Spec.ID, len(page.Rows))
					break
				}
				row := page.Rows[i]
				same(tr.Spec.ID+" "+o.Value, readCount(row[2]), o.Count, o.Suppressed)
				if wantShare := !o.Suppressed && !q.AnsweredSuppressed; wantShare != (row[1] != "") {
					t.Errorf("%s %s %s: share %q; count hidden %v, base hidden %v", lang, tr.Spec.ID, o.Value, row[1], o.Suppressed, q.AnsweredSuppressed)
				}
			}
			if s := q.Scale; s != nil && (len(page.Texts) > 0) == s.Withheld {
				t.Errorf("%s %s: summary %q, withheld %v", lang, tr.Spec.ID, page.Texts, s.Withheld)
			}
		}
	}
	var cj countsJSON
	if err := json.Unmarshal(a.do(request{path: "/embed/" + sv.Slug + "/counts.json?lang=" + lang}).Body.Bytes(), &cj); err != nil {
		t.Fatal(err)
	}
	n := func(c disclosure.Count) (int, bool) {
		if c.N == nil {
			return 0, true
		}
		return *c.N, false
	}
	v, h := n(pub.Counts.Total)
	same("counts.json total", cj.Total.shown(), v, h)
	for i, c := range pub.Counts.ByRegion {
		v, h := n(c)
		same("counts.json "+c.Key, cj.ByRegion[i].shown(), v, h)
	}
	for i, c := range pub.Counts.ByType {
		v, h := n(c)
		same("counts.json "+c.Key, cj.ByType[i].shown(), v, h)
	}
	// The iframe page draws no bar beside a withheld count: a short bar
	// would say "small", and a withheld count may be large.
	iframe := a.do(request{path: "/embed/" + sv.Slug + "?lang=" + lang}).Body.String()
	for _, dd := range regexp.MustCompile(`(?s)<dd>(.*?)</dd>`).FindAllStringSubmatch(iframe, -1) {
		if strings.Contains(dd[1], "<span>x</span>") && strings.Contains(dd[1], `class="bar"`) {
			t.Errorf("%s iframe: a bar beside a withheld count: %s", lang, dd[1])
		}
	}
}

// numbersOf is every number the disclosed report holds, as the pages may
// write it: whole numbers, whole percentages of shares, two-decimal means,
// and quantiles as they are.
func numbersOf(t *testing.T, rep any, lang string) map[string]bool {
	t.Helper()
	b, err := json.Marshal(rep)
	if err != nil {
		t.Fatal(err)
	}
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	out := map[string]bool{}
	var walk func(any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			for _, e := range x {
				walk(e)
			}
		case []any:
			for _, e := range x {
				walk(e)
			}
		case float64:
			out[normal(fmt.Sprintf("%.2f", x))] = true
			out[normal(fmt.Sprint(math.Round(x)))] = true
			out[normal(fmt.Sprint(x))] = true
			if x >= 0 && x <= 1 {
				out[normal(fmt.Sprint(math.Round(100*x)))] = true
			}
		}
	}
	walk(v)
	return out
}

// normal writes a number token one way: "3,40" and "3.4" are "3.4".
func normal(s string) string {
	s = strings.ReplaceAll(s, ",", ".")
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	return s
}

// numberTokens are the numbers written in a sentence in lang, read as
// the language writes them (grouping and decimal mark) and normalized.
func numberTokens(s, lang string) []string {
	group, decimal := ",", "."
	switch lang {
	case "fr":
		group, decimal = "[ \u00a0\u202f]", ","
	case "es":
		group, decimal = "\\.", ","
	}
	re := regexp.MustCompile(`\d{1,3}(?:` + group + `\d{3})+(?:` + regexp.QuoteMeta(decimal) + `\d+)?|\d+(?:` + regexp.QuoteMeta(decimal) + `\d+)?`)
	var out []string
	for _, m := range re.FindAllString(s, -1) {
		m = regexp.MustCompile(group).ReplaceAllString(m, "")
		out = append(out, normal(strings.ReplaceAll(m, decimal, ".")))
	}
	return out
}
