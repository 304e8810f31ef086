package feedback

import (
	"encoding/json"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/metlib/canvass/demo"
	"github.com/metlib/canvass/survey"
	"github.com/metlib/canvass/survey/builtin"
)

func TestMessagesInEveryLanguage(t *testing.T) {
	for _, lang := range Languages {
		for key := range messages["en"] {
			if strings.TrimSpace(messages[lang][key]) == "" {
				t.Errorf("%s: no message %q", lang, key)
			}
			if lang != "en" && messages[lang][key] == messages["en"][key] {
				t.Errorf("%s: message %q is the English one", lang, key)
			}
			if strings.Count(messages[lang][key], "%s") != strings.Count(messages["en"][key], "%s") {
				t.Errorf("%s: %q takes %d arguments, English %d", lang, key, strings.Count(messages[lang][key], "%s"), strings.Count(messages["en"][key], "%s"))
			}
		}
		for key := range messages[lang] {
			if _, ok := messages["en"][key]; !ok {
				t.Errorf("%s: message %q has no English", lang, key)
			}
		}
	}
}

// A French or Spanish report holds none of the English words of the
// report's own messages (the survey's texts are the survey's).
func TestNoEnglishLeftInFrenchAndSpanishReports(t *testing.T) {
	all, err := builtin.Surveys()
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)
	for _, sv := range all {
		rs := demo.Responses(sv, 120, 3, now)
		rng := rand.New(rand.NewPCG(3, 3))
		var resp []Respondent
		for i, r := range rs {
			resp = append(resp, Respondent{LibraryID: string(rune('a'+i%26)) + r.ID, Region: survey.Regions[rng.IntN(2)], Type: survey.CitySystem,
				Population: float64(300000 + rng.IntN(3000000)), Member: i%2 == 0, Answers: r.Answers})
		}
		for _, lang := range []string{"fr", "es"} {
			var text strings.Builder
			for i := 0; i < 10; i++ {
				rep, err := Build(Input{Survey: sv, Lang: lang, Self: resp[i], Others: resp, Now: now})
				if err != nil {
					t.Fatal(err)
				}
				js, _ := json.Marshal(rep)
				text.Write(js)
				for _, m := range rep.Merged {
					text.WriteString(MergedSentence(lang, m))
				}
			}
			text.WriteString(TooFewSentence(lang, 5) + HiddenSentence(lang))
			got := text.String()
			for key, en := range messages["en"] {
				for _, part := range strings.Split(en, "%s") {
					part = strings.Trim(part, " .;:()“”")
					if len(part) < 4 || strings.Contains(messages[lang][key], part) {
						continue // shared with the language's own text ("Population")
					}
					if strings.Contains(got, part) {
						t.Errorf("%s report of %s holds the English %q (message %s)", lang, sv.Slug, part, key)
					}
				}
			}
		}
	}
}
