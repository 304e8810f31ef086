package survey_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/metlib/canvass/survey"
)

// decimalSurvey has one number question that takes decimals and no
// limits, so that every reading of a text is a valid answer.
func decimalSurvey(t *testing.T) *survey.Survey {
	t.Helper()
	sv, err := survey.ParseDefinition([]byte(`
slug: ratio
default_language: en
languages: [en, fr, es]
title: {en: Ratio}
sections:
  - id: s
    questions:
      - {id: x, type: number, label: {en: X}}
`), "")
	if err != nil {
		t.Fatal(err)
	}
	return sv
}

// TestAmbiguousNumberAsksBack: a decimal mark followed by three digits
// is asked back with both readings in digits and in words. Every message
// is written out by hand (the words as a speaker writes them: RAE and
// Académie spelling), not built from the code's tables.
func TestAmbiguousNumberAsksBack(t *testing.T) {
	sv := decimalSurvey(t)
	cases := []struct{ lang, in, want string }{
		{"en", "1.000", "Did you mean 1000 (one thousand) or 1.0 (one)? Write 1000 or 1.0. If you send 1.000 again unchanged, it is stored as one."},
		{"fr", "1,000", "Vouliez-vous dire 1000 (mille) ou 1,0 (un)" + nbsp + "? Écrivez 1000 ou 1,0. Si vous renvoyez 1,000 sans le changer, c'est un qui sera enregistré."},
		{"es", "1,000", "¿Quería decir 1000 (mil) o 1,0 (uno)? Escriba 1000 o 1,0. Si envía 1,000 de nuevo sin cambiarlo, se guardará uno."},
		// A point before three digits: Spain groups with it, Mexico marks
		// decimals with it. Sent again, it is read as Spanish and French
		// read it: a thousands separator.
		{"es", "1.000", "¿Quería decir 1000 (mil) o 1,0 (uno)? Escriba 1000 o 1,0. Si envía 1.000 de nuevo sin cambiarlo, se guardará mil."},
		{"es", "12.345", "¿Quería decir 12345 (doce mil trescientos cuarenta y cinco) o 12,345 (doce coma trescientos cuarenta y cinco)? Escriba 12345 o 12,3450. Si envía 12.345 de nuevo sin cambiarlo, se guardará doce mil trescientos cuarenta y cinco."},
		{"fr", "1.000", "Vouliez-vous dire 1000 (mille) ou 1,0 (un)" + nbsp + "? Écrivez 1000 ou 1,0. Si vous renvoyez 1.000 sans le changer, c'est mille qui sera enregistré."},
		{"fr", "2.500", "Vouliez-vous dire 2500 (deux mille cinq cents) ou 2,5 (deux virgule cinq)" + nbsp + "? Écrivez 2500 ou 2,5."},
		{"es", "2,500", "¿Quería decir 2500 (dos mil quinientos) o 2,5 (dos coma cinco)? Escriba 2500 o 2,5. Si envía 2,500 de nuevo sin cambiarlo, se guardará dos coma cinco."},
		{"fr", "2,125", "Vouliez-vous dire 2125 (deux mille cent vingt-cinq) ou 2,125 (deux virgule cent vingt-cinq)" + nbsp + "? Écrivez 2125 ou 2,1250. Si vous renvoyez 2,125 sans le changer, c'est deux virgule cent vingt-cinq qui sera enregistré."},
		{"en", "2.125", "Did you mean 2125 (two thousand one hundred twenty-five) or 2.125 (two point one two five)? Write 2125 or 2.1250. If you send 2.125 again unchanged, it is stored as two point one two five."},
		{"es", "21,050", "¿Quería decir 21050 (veintiún mil cincuenta) o 21,05 (veintiuno coma cero cinco)? Escriba 21050 o 21,05."},
		{"es", "101,000", "¿Quería decir 101000 (ciento un mil) o 101,0 (ciento uno)?"},
		{"es", "100,000", "¿Quería decir 100000 (cien mil) o 100,0 (cien)?"},
		{"es", "571,900", "(quinientos setenta y un mil novecientos) o 571,9 (quinientos setenta y uno coma nueve)?"},
		{"fr", "280,000", "Vouliez-vous dire 280000 (deux cent quatre-vingt mille) ou 280,0 (deux cent quatre-vingts)" + nbsp + "?"},
		{"fr", "200,080", "(deux cent mille quatre-vingts) ou 200,08 (deux cents virgule zéro huit)"},
		{"fr", "71,091", "(soixante et onze mille quatre-vingt-onze) ou 71,091 (soixante et onze virgule zéro quatre-vingt-onze)"},
		{"fr", "21,017", "(vingt et un mille dix-sept) ou 21,017 (vingt et un virgule zéro dix-sept)"},
		{"en", "999.999", "(nine hundred ninety-nine thousand nine hundred ninety-nine) or 999.999 (nine hundred ninety-nine point nine nine nine)"},
		{"es", "-1,000", "¿Quería decir −1000 (menos mil) o −1,0 (menos uno)? Escriba −1000 o −1,0."},
		{"es", "−1.000", "¿Quería decir −1000 (menos mil) o −1,0 (menos uno)? Escriba −1000 o −1,0. Si envía −1.000 de nuevo sin cambiarlo, se guardará menos mil."},
		{"en", " 3.040 ", "Did you mean 3040 (three thousand forty) or 3.04 (three point zero four)? Write 3040 or 3.04."},
	}
	for _, tc := range cases {
		t.Run(tc.lang+" "+tc.in, func(t *testing.T) {
			_, err := sv.CheckAnswers(map[string]any{"x": tc.in}, tc.lang)
			fields := survey.ErrorFields(err)
			if len(fields) != 1 || fields[0].Question != "x" {
				t.Fatalf("got %v, want one problem on x", fields)
			}
			if got := fields[0].Message; !strings.Contains(got, tc.want) {
				t.Errorf("got %q\nwant it to contain %q", got, tc.want)
			}
			if !survey.AmbiguousNumber(tc.lang, tc.in) {
				t.Errorf("AmbiguousNumber(%s, %q) is false", tc.lang, tc.in)
			}
		})
	}
	// Not in doubt: English's grouping mark, several groups, four
	// decimals, a leading zero, a JSON number; in French and Spanish a
	// point that cannot group thousands (not three digits after it, or
	// more than three or a 0 before it) is a decimal point.
	for _, tc := range []struct {
		lang string
		in   any
		want float64
	}{
		{"en", "1,000", 1000}, {"es", "1.000.000", 1000000}, {"fr", "12.345.678", 12345678}, {"es", "1.000,000", 1000},
		{"es", "1,0000", 1}, {"es", "0,125", 0.125}, {"en", "1000.5", 1000.5}, {"es", 1.0, 1}, {"fr", "1,0", 1},
		{"es", "2.5", 2.5}, {"fr", "2.5", 2.5}, {"es", "2.50", 2.5}, {"fr", "1.0000", 1}, {"es", "0.500", 0.5},
		{"es", "1234.567", 1234.567}, {"fr", "-3.25", -3.25}, {"es", ".5", 0.5}, {"fr", "1 234.5", 1234.5},
	} {
		got, err := sv.CheckAnswers(map[string]any{"x": tc.in}, tc.lang)
		if v, ok := got.Number("x"); err != nil || !ok || v != tc.want {
			t.Errorf("%s %v: got %v (%v), want %v", tc.lang, tc.in, got["x"], survey.ErrorFields(err), tc.want)
		}
	}
}

// TestConfirmedNumberSticksToItsText: the form's confirmation field reads
// the text in the form's language only while the answer is that exact
// text; another text is read (or asked back) afresh; a stored answer shown
// in the form carries its own confirmation, so opening and posting a
// saved response never asks back.
func TestConfirmedNumberSticksToItsText(t *testing.T) {
	sv := decimalSurvey(t)
	for _, tc := range []struct {
		name, lang, text, confirm string
		want                      float64 // 0: asked back
	}{
		{"kept", "es", "1,000", "1,000", 1},
		{"kept en", "en", "2.500", "2.500", 2.5},
		{"changed to another ambiguous text", "es", "2,000", "1,000", 0},
		{"rewritten", "es", "1000", "1,000", 1000},
		{"rewritten as a decimal", "fr", "1,0", "1,000", 1},
		{"no confirmation", "fr", "1,000", "", 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			form := url.Values{"x": {tc.text}}
			if tc.confirm != "" {
				form.Set(survey.NumberConfirmField("x"), tc.confirm)
			}
			got, err := sv.CheckAnswers(sv.FormAnswers(form), tc.lang)
			if tc.want == 0 {
				if len(survey.ErrorFields(err)) != 1 {
					t.Fatalf("got %v, %v; want it asked back", got, survey.ErrorFields(err))
				}
				return
			}
			if v, ok := got.Number("x"); err != nil || !ok || v != tc.want {
				t.Fatalf("got %v (%v), want %v", got["x"], survey.ErrorFields(err), tc.want)
			}
		})
	}
	stored := survey.Answers{"x": 2.125}
	for lang, text := range map[string]string{"en": "2.125", "fr": "2,125", "es": "2,125"} {
		form := sv.FormValues(stored, lang)
		if form.Get("x") != text || form.Get(survey.NumberConfirmField("x")) != text {
			t.Errorf("%s: the form shows %q confirmed as %q, want %q for both", lang, form.Get("x"), form.Get(survey.NumberConfirmField("x")), text)
		}
		again, err := sv.CheckAnswers(sv.FormAnswers(form), lang)
		if err != nil || !again.Equal(stored) {
			t.Errorf("%s: posted back as shown: %v, %v; want %v", lang, again, survey.ErrorFields(err), stored)
		}
	}
}
