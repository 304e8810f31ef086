package survey_test

import (
	"encoding/json"
	"math"
	"net/url"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/metlib/canvass/survey"
)

// FuzzParseDefinition: any bytes give a survey or an error, never a panic;
// an accepted survey survives a YAML round trip.
func FuzzParseDefinition(f *testing.F) {
	for _, name := range []string{"testdata/every-type.yaml", "builtin/landscape.yaml", "builtin/impact-methods.yaml"} {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(minimal))
	f.Add([]byte(`{"slug": "x", "default_language": "en", "title": {"en": "X"}, "sections": [{"id": "s", "questions": [{"id": "q", "type": "number", "label": {"en": "Q"}, "min": 1e308, "max": -1e308}]}]}`))
	f.Add([]byte("slug: x\nsections: &a [*a]\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := survey.ParseDefinition(data, "")
		if err != nil {
			if survey.ErrorCode(err) != survey.EINVALID && survey.ErrorCode(err) != survey.EMALFORMED {
				t.Fatalf("unexpected error code %q: %v", survey.ErrorCode(err), err)
			}
			return
		}
		out, err := survey.DefinitionYAML(s)
		if err != nil {
			t.Fatalf("encode an accepted survey: %v", err)
		}
		if _, err := survey.ParseDefinition(out, "yaml"); err != nil {
			t.Fatalf("an accepted survey does not parse back: %v\n%s", err, out)
		}
	})
}

// FuzzCheckAnswers: any JSON answers are accepted or refused with field
// errors, never a panic; accepted answers are already normal (checking
// them again changes nothing).
func FuzzCheckAnswers(f *testing.F) {
	s := loadFixture(f, "every-type.yaml")
	seed, _ := json.Marshal(valid())
	f.Add(seed)
	f.Add([]byte(`{"pick": "other", "pick_other": "", "many": ["none", "x"], "grid": {"r9": "lo"}, "count": "1,2,3"}`))
	f.Add([]byte(`{"order": {"p": "1", "q": "1"}, "land": "zz", "day": "2026-02-30", "count": -0}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var raw map[string]any
		if json.Unmarshal(data, &raw) != nil {
			return
		}
		answers, err := s.CheckAnswers(raw, "fr")
		if err != nil {
			if survey.ErrorCode(err) != survey.EINVALID || len(survey.ErrorFields(err)) == 0 {
				t.Fatalf("refusal without field errors: %v", err)
			}
			return
		}
		encoded, _ := survey.MarshalAnswers(answers)
		var again map[string]any
		if err := json.Unmarshal(encoded, &again); err != nil {
			t.Fatal(err)
		}
		second, err := s.CheckAnswers(again, "fr")
		if err != nil || !second.Equal(answers) {
			t.Fatalf("normal answers changed on a second check: %v\n%s", err, encoded)
		}
		if back, err := survey.UnmarshalAnswers(encoded); err != nil || !back.Equal(answers) {
			t.Fatalf("answers do not survive storage: %v", err)
		}
	})
}

// FuzzFormAnswers: any form body is read without a panic.
func FuzzFormAnswers(f *testing.F) {
	s := loadFixture(f, "every-type.yaml")
	f.Add("pick=other&pick_other=Mine&many=x&many=z&grid%5Br1%5D=lo&order%5Bp%5D=2&count=400%2C000")
	f.Add("grid%5B%5D=&order%5Bzz%5D=9&many=&%00=%ff")
	f.Fuzz(func(t *testing.T, body string) {
		values, err := url.ParseQuery(body)
		if err != nil {
			return
		}
		_, _ = s.CheckAnswers(s.FormAnswers(values), "en")
	})
}

// FuzzParseNumber: any text in any language is read or refused with a
// message, never a panic. A text read agrees with plain strconv on the
// same digits (group separators dropped, the language's decimal mark made
// a point), and the number, written back for the form, reads back the same.
func FuzzParseNumber(f *testing.F) {
	for _, seed := range []string{"2.500.000", "2\u202f500\u202f000", "2,5", "−1,234.5", ",5", "1.234,5", "12,34,567", "1e5", "١٢٣", "+-5", "1" + strings.Repeat("0", 400)} {
		f.Add(uint8(0), seed)
	}
	langs := []string{"en", "fr", "es", "de"}
	f.Fuzz(func(t *testing.T, which uint8, text string) {
		lang := langs[int(which)%len(langs)]
		v, err := survey.ParseNumber(lang, text)
		if err != nil {
			if survey.ErrorCode(err) != survey.EINVALID || survey.ErrorMessage(err) == "" {
				t.Fatalf("refusal without a message: %v", err)
			}
			return
		}
		if math.IsNaN(v) || math.IsInf(v, 0) {
			t.Fatalf("%q read as %v", text, v)
		}
		mark, group := ".", ","
		if lang == "fr" || lang == "es" {
			mark, group = ",", "."
		}
		plain := strings.NewReplacer(group, "", " ", "", "\u00a0", "", "\u202f", "", "\u2009", "", mark, ".", "−", "-").Replace(strings.TrimSpace(text))
		want, err := strconv.ParseFloat(plain, 64)
		if single := strings.Count(text, group) == 1 && !strings.Contains(text, mark); single && (err != nil || want != v) {
			// A single mark of the other convention that cannot group
			// thousands is read as the decimal mark it must be.
			plain = strings.NewReplacer(group, ".", " ", "", "\u00a0", "", "\u202f", "", "\u2009", "", "−", "-").Replace(strings.TrimSpace(text))
			want, err = strconv.ParseFloat(plain, 64)
		}
		if err != nil || want != v {
			t.Fatalf("%s %q read as %v; strconv reads %q as %v, %v", lang, text, v, plain, want, err)
		}
		if math.Abs(v) <= 1<<53 {
			if back, err := survey.ParseNumber(lang, survey.FormatAnswer(lang, v)); err != nil || back != v {
				t.Fatalf("%v written as %q reads back as %v, %v", v, survey.FormatAnswer(lang, v), back, err)
			}
		}
	})
}
