package feedback_test

import (
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/metlib/canvass/feedback"
	"github.com/metlib/canvass/survey"
	"github.com/metlib/canvass/survey/builtin"
)

// The fixtures are hand-made Reports (Build is tested where it is written):
// every share comes from a count and a base written here, with its Wilson
// interval computed here, and every text a reader should find is written
// out here too, in the fixture's language, without the code under test.

// wilson is the 95% Wilson score interval of c successes in n.
func fixtureWilson(c, n int) (float64, float64) {
	const z = 1.959963984540054
	p, nf := float64(c)/float64(n), float64(n)
	den := 1 + z*z/nf
	centre := (p + z*z/(2*nf)) / den
	half := z * math.Sqrt(p*(1-p)/nf+z*z/(4*nf*nf)) / den
	return centre - half, centre + half
}

func share(c, n int) feedback.Share {
	lo, hi := fixtureWilson(c, n)
	return feedback.Share{Count: c, Base: n, Share: float64(c) / float64(n), Low: lo, High: hi}
}

var hiddenShare = feedback.Share{Hidden: true}

// pct is a whole percentage as each language writes it.
func pct(lang string, x float64) string {
	n := fmt.Sprintf("%d", int(math.Floor(100*x+0.5)))
	switch lang {
	case "fr":
		return n + "\u202f%"
	case "es":
		return n + "\u00a0%"
	}
	return n + "%"
}

// shareText is "45% (38–52%)" in lang.
func shareText(lang string, s feedback.Share) string {
	lo := fmt.Sprintf("%d", int(math.Floor(100*s.Low+0.5)))
	return pct(lang, s.Share) + " (" + lo + "–" + pct(lang, s.High) + ")"
}

// numbers are the fixture's numbers as each language writes them.
var numbers = map[float64][3]string{ // en, fr, es
	1234.5: {"1,234.5", "1\u202f234,5", "1234,5"},
	800:    {"800", "800", "800"},
	950.25: {"950.25", "950,25", "950,25"},
	1500:   {"1,500", "1\u202f500", "1500"},
	2100:   {"2,100", "2\u202f100", "2100"},
	12500:  {"12,500", "12\u202f500", "12.500"},
	40:     {"40", "40", "40"},
	31:     {"31", "31", "31"},
	120:    {"120", "120", "120"},
	310:    {"310", "310", "310"},
	55:     {"55", "55", "55"},
	60:     {"60", "60", "60"},
	75:     {"75", "75", "75"},
	4:      {"4", "4", "4"},
	9:      {"9", "9", "9"},
	7.5:    {"7.5", "7,5", "7,5"},
	0.0125: {"0.0125", "0,0125", "0,0125"},
	0.02:   {"0.02", "0,02", "0,02"},
	0.031:  {"0.031", "0,031", "0,031"},
	0.018:  {"0.018", "0,018", "0,018"},
	28:     {"28", "28", "28"},
}

func num(lang string, x float64) string {
	t, ok := numbers[x]
	if !ok {
		panic(fmt.Sprintf("fixture number %v has no written form", x))
	}
	return t[map[string]int{"en": 0, "fr": 1, "es": 2}[lang]]
}

// words are the fixture's own texts by language.
var words = map[string]map[string]string{
	"en": {"title": "Impact measurement methods survey", "section": "Methods «in use»", "choice": "Which € budget band funds the œuvre?",
		"a": "Under €10,000", "b": "€10,000 to €50,000", "c": "Over €50,000", "band": "in the top quarter", "unit": "per capita",
		"num": "Budget per capita", "date": "5 March 2027", "count_note": "You chose 4 of the 23 options; the median peer (Europe) chose 9."},
	"fr": {"title": "Enquête sur les méthodes de mesure d'impact", "section": "Méthodes «\u00a0en usage\u00a0»", "choice": "Quelle tranche de budget en € finance l’œuvre\u00a0?",
		"a": "Moins de 10\u202f000\u00a0€", "b": "De 10\u202f000 à 50\u202f000\u00a0€", "c": "Plus de 50\u202f000\u00a0€", "band": "dans le quart supérieur", "unit": "par habitant",
		"num": "Budget par habitant", "date": "5 mars 2027", "count_note": "Vous avez choisi 4 des 23 options\u202f; la bibliothèque médiane (Europe) en a choisi 9."},
	"es": {"title": "Encuesta sobre métodos de medición del impacto", "section": "Métodos «en uso»", "choice": "¿Qué tramo de presupuesto en € financia la obra? ñandú",
		"a": "Menos de 10.000 €", "b": "De 10.000 a 50.000 €", "c": "Más de 50.000 €", "band": "en el cuartil superior", "unit": "por habitante",
		"num": "Presupuesto por habitante", "date": "5 de marzo de 2027", "count_note": "Eligió 4 de las 23 opciones; la biblioteca mediana (Europa) eligió 9."},
}

var groupLabels = map[string][]string{
	"en": {"Europe", "Public libraries", "Population 100,000–500,000", "Section members", "All respondents"},
	"fr": {"Europe", "Bibliothèques publiques", "Population de 100\u202f000 à 500\u202f000", "Membres de la section", "Toutes les répondantes"},
	"es": {"Europa", "Bibliotecas públicas", "Población de 100.000 a 500.000", "Miembros de la sección", "Todas las encuestadas"},
}

// groupNs are the groups' peers: every base and N below is at most its group's.
var groupNs = []int{120, 310, 75, 60, 1500}

// longLabel is a label that has to wrap over several lines.
func longLabel(lang string) string {
	return strings.Repeat(words[lang]["section"]+" — "+words[lang]["choice"]+" ", 4) + "fin"
}

// fixture is a report in lang compared with groups groups (1 to 5, the
// last always all respondents), covering every kind of item, hidden shares
// and quartiles, a merged group, long labels and formula-looking texts.
func fixture(lang string, groups int) *feedback.Report {
	w := words[lang]
	r := &feedback.Report{
		Survey: "impact-methods", Title: w["title"], Lang: lang, LibraryID: "lib-7",
		Library:   "Médiathèque municipale de Saint-Étienne «\u00a0Tarentaize\u00a0» œ",
		Generated: time.Date(2027, 3, 5, 10, 0, 0, 0, time.UTC), K: 5,
		Merged: []feedback.MergedGroup{{Dimension: "region", Label: "Afrique subsaharienne", Into: groupLabels[lang][4]}},
	}
	labels := groupLabels[lang]
	for g := range groups {
		i := len(labels) - groups + g // the last is always all respondents
		r.Groups = append(r.Groups, feedback.Group{Dimension: "g", Label: labels[i], N: groupNs[i]})
	}
	// shares gives one Share per group; hideFirst withholds the first group's.
	shares := func(c, n int, hideFirst bool) []feedback.Share {
		out := make([]feedback.Share, groups)
		for g := range out {
			out[g] = share(c+g, n+3*g)
		}
		if hideFirst && groups > 1 {
			out[0] = hiddenShare
		}
		return out
	}
	fig := func(n int, q1, med, q3 float64) feedback.NumberFigure {
		return feedback.NumberFigure{N: n, Q1: q1, Median: med, Q3: q3}
	}
	figures := func(base []feedback.NumberFigure, hideFirst bool) []feedback.NumberFigure {
		out := make([]feedback.NumberFigure, groups)
		for g := range out {
			out[g] = base[g%len(base)]
		}
		if hideFirst && groups > 1 {
			out[0] = feedback.NumberFigure{Hidden: true}
		}
		return out
	}
	value := 0.0125
	r.Sections = []feedback.Section{{Title: w["section"], Items: []feedback.Item{
		{Question: "budget_band", Label: w["choice"], Kind: feedback.KindChoice, Yours: []string{w["b"]},
			Rows: []feedback.Row{
				{Label: w["a"], Shares: shares(12, 40, true)},
				{Label: w["b"], Yours: true, Shares: shares(21, 40, false)},
				{Label: w["c"], Shares: shares(7, 40, false)},
			}},
		{Question: "methods", Label: longLabel(lang), Kind: feedback.KindMulti, Yours: []string{w["a"], longLabel(lang)},
			Rows: []feedback.Row{
				{Label: w["a"], Yours: true, Shares: shares(30, 45, false)},
				{Label: longLabel(lang), Yours: true, Shares: shares(9, 45, false)},
				{Label: w["c"], Shares: shares(18, 45, true)},
			},
			Count:   &feedback.CountCompare{Yours: 4, Groups: figures([]feedback.NumberFigure{fig(40, 4, 9, 12500), fig(31, 4, 7.5, 9)}, true)},
			Missing: []string{w["c"], w["b"]}, Notes: []string{w["count_note"]}},
		{Question: "usefulness", Label: "Matrix: " + w["choice"], Kind: feedback.KindMatrix, Yours: []string{w["a"], w["c"]},
			Rows: []feedback.Row{
				{Matrix: w["num"], Label: w["a"], Yours: true, Shares: shares(10, 50, false)},
				{Matrix: w["num"], Label: w["c"], Shares: shares(25, 50, false)},
				{Matrix: w["title"], Label: w["a"], Shares: shares(33, 50, true)},
				{Matrix: w["title"], Label: w["c"], Yours: true, Shares: shares(5, 50, false)},
			}},
	}}, {Title: w["num"] + " ¿€?", Items: []feedback.Item{
		{Question: "budget_pc", Label: w["num"], Kind: feedback.KindNumber,
			Number: &feedback.NumberCompare{Value: &value, Unit: w["unit"], Band: w["band"],
				Groups: figures([]feedback.NumberFigure{fig(31, 0.018, 0.02, 0.031), fig(40, 0.0125, 0.02, 0.031)}, true)},
			Notes: []string{"Note: " + w["band"]}},
		{Question: "visits", Label: "=1+1 " + w["num"], Kind: feedback.KindNumber,
			Number: &feedback.NumberCompare{Groups: figures([]feedback.NumberFigure{fig(55, 800, 1234.5, 2100), fig(40, 950.25, 1500, 12500)}, false)}},
		{Question: "maturity", Label: "@SUM(A1) maturity", Kind: feedback.KindMaturity, Yours: []string{"+inferred"},
			Rows: []feedback.Row{
				{Label: "+inferred", Yours: true, Shares: shares(28, 40, false)},
				{Label: "-solicited", Shares: shares(4, 40, true)},
				{Label: "=observed()", Shares: shares(31, 40, false)},
			}},
	}}}
	return r
}

// unanswered is fixture(lang, groups) for a library that did not answer
// the multiple-choice question, with Count set as an older Build left it
// (zero chosen) when nilCount is false, nil as Build leaves it now when
// it is true.
func unanswered(lang string, groups int, nilCount bool) *feedback.Report {
	r := fixture(lang, groups)
	it := &r.Sections[0].Items[1]
	it.Yours, it.Notes = nil, nil
	for i := range it.Rows {
		it.Rows[i].Yours = false
	}
	it.Count.Yours = 0
	if nilCount {
		it.Count = nil
	}
	return r
}

// tooFew is a report of a library whose survey has fewer than K peers.
func tooFew(lang string) *feedback.Report {
	r := fixture(lang, 1)
	r.TooFew, r.Groups, r.Merged = true, nil, nil
	for s := range r.Sections {
		for i := range r.Sections[s].Items {
			it := &r.Sections[s].Items[i]
			it.Count, it.Missing = nil, nil
			for j := range it.Rows {
				it.Rows[j].Shares = nil
			}
			if it.Number != nil {
				it.Number.Groups, it.Number.Band = nil, ""
			}
		}
	}
	return r
}

// hostile is a report of rows rows with labels of labelLen characters.
func hostile(rows, labelLen int) *feedback.Report {
	r := fixture("fr", 5)
	long := string([]rune(strings.Repeat("é€œ«»\u202f日 word ", labelLen/12+1))[:labelLen])
	var items []feedback.Item
	for i := range rows / 10 {
		it := feedback.Item{Question: fmt.Sprint("q", i), Label: long, Kind: feedback.KindChoice, Yours: []string{long}}
		for j := range 10 {
			it.Rows = append(it.Rows, feedback.Row{Label: long, Yours: j == 0, Shares: []feedback.Share{share(1, 9), share(2, 9), hiddenShare, share(4, 9), share(5, 9)}})
		}
		items = append(items, it)
	}
	r.Sections = []feedback.Section{{Title: long, Items: items}}
	return r
}

// fullReport is a realistic report: every comparable question of the
// built-in impact-methods survey, in lang, against 5 groups.
func fullReport(tb testing.TB, lang string) *feedback.Report {
	tb.Helper()
	all, err := builtin.Surveys()
	if err != nil {
		tb.Fatal(err)
	}
	var s *survey.Survey
	for _, x := range all {
		if x.Slug == "impact-methods" {
			s = x
		}
	}
	if s == nil {
		tb.Fatal("no built-in impact-methods survey")
	}
	r := fixture(lang, 5)
	r.Title = s.Title.In(lang, s.DefaultLanguage)
	r.Sections = nil
	n := 0
	rowShares := func() []feedback.Share {
		n++
		out := make([]feedback.Share, 5)
		for g := range out {
			base := 20 + 9*g // at most the group's peers
			out[g] = share((n*7+g*3)%base, base)
		}
		if n%6 == 0 {
			out[1] = hiddenShare
		}
		return out
	}
	for _, sec := range s.Sections {
		out := feedback.Section{Title: sec.Title.In(lang, s.DefaultLanguage)}
		for _, q := range sec.Questions {
			it := feedback.Item{Question: q.ID, Label: q.Label.In(lang, s.DefaultLanguage)}
			switch q.Type {
			case survey.SingleChoice, survey.Likert, survey.MultiChoice:
				it.Kind = feedback.KindChoice
				if q.Type == survey.MultiChoice {
					it.Kind = feedback.KindMulti
					it.Count = &feedback.CountCompare{Yours: 4, Groups: []feedback.NumberFigure{{N: 40, Q1: 3, Median: 5, Q3: 8}, {N: 50, Q1: 2, Median: 4, Q3: 7}, {Hidden: true}, {N: 60, Q1: 3, Median: 6, Q3: 9}, {N: 300, Q1: 3, Median: 5, Q3: 8}}}
				}
				for i, o := range q.Options {
					row := feedback.Row{Label: o.Label.In(lang, s.DefaultLanguage), Yours: i == 1, Shares: rowShares()}
					if row.Yours {
						it.Yours = append(it.Yours, row.Label)
					}
					it.Rows = append(it.Rows, row)
				}
			case survey.Matrix:
				it.Kind = feedback.KindMatrix
				for _, st := range q.Rows {
					for i, o := range q.Options {
						it.Rows = append(it.Rows, feedback.Row{Matrix: st.Label.In(lang, s.DefaultLanguage), Label: o.Label.In(lang, s.DefaultLanguage), Yours: i == 0, Shares: rowShares()})
					}
				}
			case survey.Number:
				it.Kind = feedback.KindNumber
				v := 1234.5
				it.Number = &feedback.NumberCompare{Value: &v, Band: "in the top quarter", Groups: []feedback.NumberFigure{{N: 40, Q1: 800, Median: 1500, Q3: 2100}, {Hidden: true}, {N: 55, Q1: 700, Median: 1400, Q3: 2500}, {N: 60, Q1: 750, Median: 1450, Q3: 2000}, {N: 300, Q1: 600, Median: 1300, Q3: 2400}}}
			default:
				continue
			}
			out.Items = append(out.Items, it)
		}
		if len(out.Items) > 0 {
			r.Sections = append(r.Sections, out)
		}
	}
	return r
}
