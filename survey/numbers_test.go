package survey_test

import (
	"math"
	"testing"

	"github.com/metlib/canvass/survey"
)

func TestFormatNumber(t *testing.T) {
	cases := []struct {
		lang     string
		v        float64
		decimals int
		want     string
	}{
		{"en", 400000, 0, "400,000"},
		{"fr", 400000, 0, "400\u202f000"},
		{"es", 400000, 0, "400.000"},
		{"en", 1234, 0, "1,234"},
		{"fr", 1234, 0, "1\u202f234"},
		{"es", 1234, 0, "1234"},
		{"es", 12345, 0, "12.345"},
		{"en", 999, 0, "999"},
		{"en", 1234567.891, 2, "1,234,567.89"},
		{"fr", 1234567.891, 2, "1\u202f234\u202f567,89"},
		{"es", 1234567.891, 2, "1.234.567,89"},
		{"en", -4.25, 1, "−4.2"}, // round half to even, as strconv does on the binary value
		{"en", -0.01, 1, "0.0"},
		{"de", 1234.5, 1, "1,234.5"}, // unknown language: English
		{"en", math.NaN(), 1, "–"},
	}
	for _, tc := range cases {
		if got := survey.FormatNumber(tc.lang, tc.v, tc.decimals); got != tc.want {
			t.Errorf("FormatNumber(%q, %v, %d) = %q, want %q", tc.lang, tc.v, tc.decimals, got, tc.want)
		}
	}
}

func TestFormatPercent(t *testing.T) {
	for _, tc := range []struct{ lang, want string }{{"en", "73.2%"}, {"fr", "73,2\u202f%"}, {"es", "73,2\u00a0%"}} {
		if got := survey.FormatPercent(tc.lang, 41.0/56, 1); got != tc.want {
			t.Errorf("FormatPercent(%q) = %q, want %q", tc.lang, got, tc.want)
		}
	}
}
