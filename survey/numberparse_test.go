package survey_test

import (
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"

	"github.com/metlib/canvass/survey"
)

const (
	nbsp  = "\u00a0"
	nnbsp = "\u202f"
)

// TestParseNumber reads what people type, language by language; every
// expected value is written out by hand, and every refusal names what the
// respondent sees.
func TestParseNumber(t *testing.T) {
	cases := []struct {
		lang, in string
		want     float64
		problem  string // a fragment of the message; "" means want is read
	}{
		// English: a point for decimals, commas (or spaces) for thousands.
		{"en", "2,500,000", 2500000, ""},
		{"en", "2.5", 2.5, ""},
		{"en", "1,234", 1234, ""}, // CLDR: a comma groups in English
		{"en", "2 500 000", 2500000, ""},
		{"en", "2" + nbsp + "500" + nbsp + "000", 2500000, ""},
		{"en", "1,234.5", 1234.5, ""},
		{"en", "−1,234.5", -1234.5, ""}, // U+2212, as FormatNumber writes it
		{"en", "-3", -3, ""},
		{"en", "+3", 3, ""},
		{"en", ".5", 0.5, ""},
		{"en", "007", 7, ""},
		{"en", "  42\t", 42, ""},
		{"en", "1,000,000,000,000,000,000,000", 1e21, ""},
		{"en", "1.234,5", 0, "Did you mean 1,234.5?"},
		{"en", "2.500.000", 0, "Did you mean 2,500,000?"},
		// A comma that cannot group thousands is a decimal comma.
		{"en", "2,5", 2.5, ""},
		{"en", "0,500", 0.5, ""}, // a group never starts with 0
		{"en", "1,2345", 1.2345, ""},
		{"en", "12,34,567", 0, "Enter a number in digits"}, // lakh grouping is not English CLDR's
		{"en", "1.000 000", 0, "Enter a number in digits"}, // two kinds of grouping
		{"en", "1,000 000", 0, "Enter a number in digits"},
		{"en", "1  000", 0, "Enter a number in digits"},
		{"en", "1,,000", 0, "Enter a number in digits"},
		{"en", "1,000,", 0, "Enter a number in digits"},
		{"en", ",1,000", 0, "Enter a number in digits"},
		{"en", "1.", 0, "Enter a number in digits"},
		{"en", ".", 0, "Enter a number in digits"},
		{"en", "", 0, "Enter a number in digits"},
		{"en", "-", 0, "Enter a number in digits"},
		{"en", "--5", 0, "Enter a number in digits"},
		{"en", "+-5", 0, "Enter a number in digits"},
		{"en", "−-5", 0, "Enter a number in digits"},
		{"en", "5-", 0, "Enter a number in digits"},
		{"en", "- 5", 0, "Enter a number in digits"},
		{"en", "1e5", 0, "Enter a number in digits"},
		{"en", "1E-5", 0, "Enter a number in digits"},
		{"en", "0x10", 0, "Enter a number in digits"},
		{"en", "Inf", 0, "Enter a number in digits"},
		{"en", "NaN", 0, "Enter a number in digits"},
		{"en", "1_000", 0, "Enter a number in digits"},
		{"en", "١٢٣", 0, "Enter a number in digits"},    // Arabic-Indic digits
		{"en", "１２３", 0, "Enter a number in digits"},    // fullwidth digits
		{"en", "$2,500", 0, "Enter a number in digits"}, // units are not numbers
		{"en", "12%", 0, "Enter a number in digits"},
		{"en", strings.Repeat("9", 401), 0, "Enter a number in digits"},
		{"en", "1" + strings.Repeat("0", 309), 0, "Enter a number in digits"}, // beyond float64
		{"en", strings.Repeat("1,", 200) + "1", 0, "Enter a number in digits"},

		// Spanish: a comma for decimals, points (or spaces) for thousands.
		{"es", "2.500.000", 2500000, ""},
		{"es", "2 500 000", 2500000, ""},
		{"es", "2" + nbsp + "500" + nbsp + "000", 2500000, ""},
		{"es", "2" + nnbsp + "500" + nnbsp + "000", 2500000, ""},
		{"es", "2,5", 2.5, ""},
		{"es", "2.500", 2500, ""}, // a point groups in Spanish
		{"es", "1.234,5", 1234.5, ""},
		{"es", "−1234,5", -1234.5, ""},
		{"es", ",5", 0.5, ""},
		{"es", "2,500", 2.5, ""}, // a decimal, by CLDR (a whole-number question asks back)
		{"es", "2.5", 2.5, ""},   // a point before one digit groups nothing: a decimal point
		{"es", "2,500,000", 0, "¿Quería decir 2.500.000?"},
		{"es", "1,234.5", 0, "¿Quería decir 1234,5?"}, // Spanish groups from five digits
		{"es", "12,345.5", 0, "¿Quería decir 12.345,5?"},
		{"es", "2.500,000.5", 0, "Introduzca un número en cifras"},
		{"es", "1e5", 0, "Introduzca un número en cifras"},

		// French: a comma for decimals, spaces (CLDR: U+202F) or points for thousands.
		{"fr", "2" + nnbsp + "500" + nnbsp + "000", 2500000, ""},
		{"fr", "2 500 000", 2500000, ""},
		{"fr", "2.500.000", 2500000, ""},
		{"fr", "2,5", 2.5, ""},
		{"fr", "2" + nnbsp + "500,75", 2500.75, ""},
		{"fr", "2.5", 2.5, ""},
		{"fr", "2,500,000", 0, "Vouliez-vous dire 2" + nnbsp + "500" + nnbsp + "000" + nbsp + "?"},
		{"fr", "deux", 0, "Saisissez un nombre en chiffres"},

		// Languages Canvass does not ship read as English.
		{"de", "2,500,000", 2500000, ""},
	}
	for _, tc := range cases {
		t.Run(tc.lang+" "+strconv.Quote(shorten(tc.in)), func(t *testing.T) {
			got, err := survey.ParseNumber(tc.lang, tc.in)
			if tc.problem == "" {
				if err != nil || got != tc.want {
					t.Fatalf("got %v, %v; want %v", got, err, tc.want)
				}
				return
			}
			if survey.ErrorCode(err) != survey.EINVALID || !strings.Contains(survey.ErrorMessage(err), tc.problem) {
				t.Fatalf("got %v, %v; want an EINVALID error saying %q", got, err, tc.problem)
			}
		})
	}
}

func shorten(s string) string {
	if len(s) > 40 {
		return s[:20] + "…" + strconv.Itoa(len(s))
	}
	return s
}

// TestFormatNumberReadsBack: whatever FormatNumber writes, in any of the
// languages and at any number of decimals, ParseNumber reads back as the
// number written. Each x is n/10^d for a whole n of at most 15 digits, so
// it is exactly the decimal FormatNumber writes at d places.
func TestFormatNumberReadsBack(t *testing.T) {
	rng := rand.New(rand.NewPCG(14, 8))
	edges := []int64{0, 1, 5, 999, 1000, 9999, 10000, 99999, 100000, 999999999999999}
	for _, lang := range []string{"en", "fr", "es"} {
		for i := 0; i < 20000; i++ {
			var n int64
			if i < len(edges) {
				n = edges[i]
			} else {
				n = rng.Int64N(int64(math.Pow10(1 + rng.IntN(15))))
			}
			d := rng.IntN(8)
			x := float64(n) / math.Pow10(d)
			if rng.IntN(2) == 0 {
				x = -x
			}
			text := survey.FormatNumber(lang, x, d)
			got, err := survey.ParseNumber(lang, text)
			if err != nil || got != x {
				t.Fatalf("%s: FormatNumber(%v, %d) = %q reads back as %v, %v", lang, x, d, text, got, err)
			}
		}
	}
}

// TestFormatAnswerReadsBack: a stored answer written into the form in the
// respondent's language posts back as exactly the same float64, however
// many digits it has (the API may store 0.1+0.2).
func TestFormatAnswerReadsBack(t *testing.T) {
	rng := rand.New(rand.NewPCG(53, 2))
	tenth, fifth := 0.1, 0.2
	values := []float64{tenth + fifth, 1 << 53, -(1 << 53), 5e-324, 1e-20, 2500000, 2.5, 1234.5678}
	for len(values) < 20000 {
		var v float64
		if len(values)%2 == 0 {
			v = math.Float64frombits(rng.Uint64())
		} else {
			v = (rng.Float64() - 0.5) * math.Pow10(rng.IntN(17))
		}
		if !math.IsNaN(v) && math.Abs(v) <= 1<<53 {
			values = append(values, v)
		}
	}
	for _, lang := range []string{"en", "fr", "es"} {
		for _, v := range values {
			text := survey.FormatAnswer(lang, v)
			got, err := survey.ParseNumber(lang, text)
			if err != nil || got != v {
				t.Fatalf("%s: FormatAnswer(%v) = %q reads back as %v, %v", lang, v, text, got, err)
			}
		}
	}
	for _, tc := range []struct {
		lang string
		v    float64
		want string
	}{
		{"es", 2500000, "2.500.000"},
		{"es", 2.5, "2,5"},
		{"fr", 2500000, "2" + nnbsp + "500" + nnbsp + "000"},
		{"en", -1234.5, "−1,234.5"},
		{"en", tenth + fifth, "0.30000000000000004"},
		{"es", tenth + fifth, "0,30000000000000004"},
	} {
		if got := survey.FormatAnswer(tc.lang, tc.v); got != tc.want {
			t.Errorf("FormatAnswer(%s, %v) = %q, want %q", tc.lang, tc.v, got, tc.want)
		}
	}
}

// TestCheckAnswersReadsNumbersInTheLanguage: the answer checking the form,
// the API and imports share reads text in the response's language, asks
// back in that language, and leaves JSON numbers as they are.
func TestCheckAnswersReadsNumbersInTheLanguage(t *testing.T) {
	s := loadFixture(t, "every-type.yaml") // count: whole, 0 to 1,000,000
	staff, err := survey.ParseDefinition([]byte(`
slug: staff
default_language: en
languages: [en, fr, es]
title: {en: Staff}
sections:
  - id: s
    questions:
      - {id: fte, type: number, min: 0.5, label: {en: FTE}}
`), "")
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		sv      *survey.Survey
		id      string
		lang    string
		raw     any
		want    float64
		problem string
	}{
		{s, "count", "es", "1.000.000", 1000000, ""},
		{s, "count", "fr", "400" + nnbsp + "000", 400000, ""},
		{s, "count", "en", "400,000", 400000, ""},
		{s, "count", "es", "2.500", 2500, ""},
		{s, "count", "es", "2,500", 0, "¿Quería decir 2500? En español, la coma marca los decimales"},
		{s, "count", "es", "400,000", 0, "¿Quería decir 400.000?"},
		{s, "count", "fr", "2,500", 0, "Vouliez-vous dire 2" + nnbsp + "500" + nbsp + "?"},
		{s, "count", "en", "2.500", 0, "Did you mean 2,500? In English, a point marks decimals"},
		{s, "count", "en", "3,5", 0, "Enter a whole number."},
		{s, "count", "fr", "3.5", 0, "Saisissez un nombre entier."},
		{s, "count", "es", "1.000.001", 0, "Introduzca un número menor o igual que 1.000.000."},
		{s, "count", "fr", "1" + nnbsp + "000" + nnbsp + "001", 0, "Saisissez un nombre inférieur ou égal à 1" + nnbsp + "000" + nnbsp + "000."},
		{s, "count", "es", strings.Repeat("9", 300), 0, "Introduzca un número en cifras"},
		{staff, "fte", "en", "9,007,199,254,740,994", 0, "Enter a number in digits"}, // 2^53 + 2: past the whole numbers a float64 holds
		{s, "count", "es", float64(2500), 2500, ""},                                  // JSON numbers are numbers in every language
		{staff, "fte", "es", "2,5", 2.5, ""},
		{staff, "fte", "es", "2,500", 0, "¿Quería decir 2500 (dos mil quinientos) o 2,5 (dos coma cinco)?"},
		{staff, "fte", "es", survey.ConfirmedNumber("2,500"), 2.5, ""},
		{staff, "fte", "en", "2.500", 0, "Did you mean 2500 (two thousand five hundred) or 2.5 (two point five)?"},
		{staff, "fte", "en", survey.ConfirmedNumber("2.500"), 2.5, ""},
		{staff, "fte", "en", "2,500", 2500, ""}, // the grouping mark is read as grouping: only the decimal mark is in doubt
		// A point before three digits groups in Spain and marks decimals
		// in Mexico: asked back on a decimal question; sent again
		// unchanged, read as Spanish reads it.
		{staff, "fte", "es", "2.500", 0, "¿Quería decir 2500 (dos mil quinientos) o 2,5 (dos coma cinco)? Escriba 2500 o 2,5. Si envía 2.500 de nuevo sin cambiarlo, se guardará dos mil quinientos."},
		{staff, "fte", "es", survey.ConfirmedNumber("2.500"), 2500, ""},
		{staff, "fte", "fr", "1.000", 0, "Vouliez-vous dire 1000 (mille) ou 1,0 (un)" + nbsp + "? Écrivez 1000 ou 1,0. Si vous renvoyez 1.000 sans le changer, c'est mille qui sera enregistré."},
		{staff, "fte", "es", "2.500.000", 2500000, ""},
		{s, "count", "es", survey.ConfirmedNumber("2,500"), 0, "¿Quería decir 2500?"}, // a whole number is never 2,5
		{staff, "fte", "es", "2.5", 2.5, ""},
		{staff, "fte", "fr", "2.25", 2.25, ""},
		{staff, "fte", "es", "0,25", 0, "Introduzca un número mayor o igual que 0,5."},
		{staff, "fte", "en", "0.25", 0, "Enter a number of at least 0.5."},
	}
	for _, tc := range cases {
		t.Run(tc.lang+" "+tc.id+" "+shorten(strconv.Quote(strings.TrimSpace(toText(tc.raw)))), func(t *testing.T) {
			raw := map[string]any{tc.id: tc.raw}
			if tc.sv == s {
				raw = valid()
				raw[tc.id] = tc.raw
			}
			got, err := tc.sv.CheckAnswers(raw, tc.lang)
			if tc.problem == "" {
				if v, ok := got.Number(tc.id); err != nil || !ok || v != tc.want {
					t.Fatalf("got %v (%v), want %v", got[tc.id], survey.ErrorFields(err), tc.want)
				}
				return
			}
			for _, f := range survey.ErrorFields(err) {
				if f.Question == tc.id && strings.Contains(f.Message, tc.problem) {
					return
				}
			}
			t.Fatalf("got %v, %v; want %s to say %q", got, survey.ErrorFields(err), tc.id, tc.problem)
		})
	}
}

func toText(v any) string {
	switch s := v.(type) {
	case string:
		return s
	case survey.ConfirmedNumber:
		return string(s)
	}
	return strconv.FormatFloat(v.(float64), 'g', -1, 64)
}

// TestFormValuesWriteNumbersInTheLanguage: a stored response shown in the
// form has its numbers in the form's language, and posting the form as it
// is gives the same answers back.
func TestFormValuesWriteNumbersInTheLanguage(t *testing.T) {
	s := loadFixture(t, "every-type.yaml")
	stored, err := s.CheckAnswers(map[string]any{"pick": "a", "grid": map[string]any{"r1": "lo"}, "count": 400000.0}, "en")
	if err != nil {
		t.Fatal(err)
	}
	for lang, want := range map[string]string{"en": "400,000", "fr": "400" + nnbsp + "000", "es": "400.000"} {
		form := s.FormValues(stored, lang)
		if got := form.Get("count"); got != want {
			t.Errorf("%s: count shown as %q, want %q", lang, got, want)
		}
		again, err := s.CheckAnswers(s.FormAnswers(form), lang)
		if err != nil || !again.Equal(stored) {
			t.Errorf("%s: the form posted back gives %v, %v; want %v", lang, again, survey.ErrorFields(err), stored)
		}
	}
}
