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
		// Halves round away from zero, as Excel and people do (strconv
		// rounds them to even: 72.5 was 72 while 67.5 was 68).
		{"en", 72.5, 0, "73"},
		{"en", 67.5, 0, "68"},
		{"en", 0.5, 0, "1"},
		{"en", 2.5, 0, "3"},
		{"en", 0.125, 2, "0.13"},
		{"fr", 0.125, 2, "0,13"},
		{"en", 1.005, 2, "1.01"}, // 1.00499999999999989… in binary: the decimal it stands for is a half
		{"en", 2.675, 2, "2.68"},
		{"en", -4.25, 1, "−4.3"},
		{"en", -72.5, 0, "−73"},
		{"en", -0.125, 2, "−0.13"},
		{"en", -0.5, 0, "−1"},
		{"en", 0.4999, 0, "0"},
		{"en", 72.49, 0, "72"},
		{"en", 9.995, 2, "10.00"},
		{"en", 999999.5, 0, "1,000,000"},
		{"en", 0.0004, 3, "0.000"},
		{"en", 0.0005, 3, "0.001"},
		{"en", 0.00005, 3, "0.000"},
		{"en", 1e20, 0, "100,000,000,000,000,000,000"},
		{"en", 0, 2, "0.00"},
		{"en", math.Copysign(0, -1), 0, "0"},
		{"en", 1234.5, -1, "1,235"}, // negative decimals mean none
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
	// Shares as the tables compute them: 29/40 is 72.5 % and must not round
	// down while 27/40 (67.5 %) rounds up; 100*0.725 is 72.49999999999999.
	for _, tc := range []struct {
		num, den float64
		decimals int
		want     string
	}{{29, 40, 0, "73%"}, {27, 40, 0, "68%"}, {1, 8, 0, "13%"}, {1, 8, 1, "12.5%"}, {1, 3, 1, "33.3%"}, {2, 3, 0, "67%"}, {1, 400, 1, "0.3%"}, {0, 5, 0, "0%"}, {40, 40, 0, "100%"}} {
		if got := survey.FormatPercent("en", tc.num/tc.den, tc.decimals); got != tc.want {
			t.Errorf("FormatPercent(en, %v/%v, %d) = %q, want %q", tc.num, tc.den, tc.decimals, got, tc.want)
		}
	}
	for _, tc := range []struct{ lang, want string }{{"en", "73.2%"}, {"fr", "73,2\u202f%"}, {"es", "73,2\u00a0%"}} {
		if got := survey.FormatPercent(tc.lang, 41.0/56, 1); got != tc.want {
			t.Errorf("FormatPercent(%q) = %q, want %q", tc.lang, got, tc.want)
		}
	}
}

func TestFormatEdge(t *testing.T) {
	for _, c := range []struct {
		lang string
		v    float64
		want string
	}{
		{"en", 400000, "400,000"}, {"fr", 400000, "400\u202f000"}, {"es", 1000000, "1.000.000"},
		{"en", 2.5, "2.5"}, {"fr", 1234.75, "1\u202f234,75"}, {"en", 1, "1"},
	} {
		if got := survey.FormatEdge(c.lang, c.v); got != c.want {
			t.Errorf("FormatEdge(%s, %v) = %q, want %q", c.lang, c.v, got, c.want)
		}
	}
}
