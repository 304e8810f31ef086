package survey

import (
	"math"
	"strconv"
	"strings"
)

// Number formatting for people, by language, following CLDR's conventions for
// the languages Canvass ships (other languages fall back to English):
//
//	en  12,345.6   1,234
//	fr  12 345,6   1 234   (the group separator is U+202F, a narrow no-break space)
//	es  12.345,6   1234    (Spanish groups only from five digits: CLDR's minimumGroupingDigits 2)
type numberStyle struct {
	group, decimal string
	minGrouping    int // digits in the integer part before grouping starts
}

var numberStyles = map[string]numberStyle{
	"en": {",", ".", 4},
	"fr": {"\u202f", ",", 4},
	"es": {".", ",", 5},
}

func styleFor(lang string) numberStyle {
	if st, ok := numberStyles[lang]; ok {
		return st
	}
	return numberStyles["en"]
}

// FormatInt writes n with the language's digit grouping: FormatInt("fr", 400000) is "400 000".
func FormatInt(lang string, n int) string {
	return FormatNumber(lang, float64(n), 0)
}

// FormatNumber writes v rounded to decimals places, halves away from zero
// (72.5 is 73, −0.125 at two places is −0.13), with the language's digit
// grouping and decimal mark. NaN and infinities are written as "–".
func FormatNumber(lang string, v float64, decimals int) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "–"
	}
	st := styleFor(lang)
	neg := math.Signbit(v)
	s := roundHalfAway(math.Abs(v), decimals)
	intPart, frac, _ := strings.Cut(s, ".")
	if len(intPart) >= st.minGrouping {
		var b strings.Builder
		lead := len(intPart) % 3
		if lead > 0 {
			b.WriteString(intPart[:lead])
		}
		for i := lead; i < len(intPart); i += 3 {
			if b.Len() > 0 {
				b.WriteString(st.group)
			}
			b.WriteString(intPart[i : i+3])
		}
		intPart = b.String()
	}
	if frac != "" {
		intPart += st.decimal + frac
	}
	if neg && strings.Trim(s, "0.") != "" {
		intPart = "−" + intPart // U+2212, the minus sign
	}
	return intPart
}

// roundHalfAway writes a (not negative) with exactly decimals places,
// rounding halves away from zero as Excel and people do, where strconv rounds
// them to even (72.5 became 72). The value is first written to 15 significant
// digits, the precision a float64 holds for sure, so that a half that
// arithmetic left a hair below (100*0.725 is 72.49999999999999) is still a
// half, and 0.125 is rounded as the decimal it stands for.
func roundHalfAway(a float64, decimals int) string {
	if decimals < 0 {
		decimals = 0
	}
	e := strconv.FormatFloat(a, 'e', 14, 64) // d.dddddddddddddde±XX
	mant, expText, _ := strings.Cut(e, "e")
	exp, _ := strconv.Atoi(expText)
	digits := strings.Replace(mant, ".", "", 1) // 15 digits; the point is after digit exp+1
	// keep is how many of the digits make up round(a * 10^decimals).
	keep := exp + 1 + decimals
	var n []byte
	switch {
	case keep < 0:
		n = []byte("0")
	case keep >= len(digits):
		n = append([]byte(digits), strings.Repeat("0", keep-len(digits))...)
	default:
		n = []byte(digits[:keep])
		if digits[keep] >= '5' {
			n = increment(n)
		}
	}
	if len(n) == 0 {
		n = []byte("0")
	}
	// Place the decimal point decimals digits from the right.
	if len(n) <= decimals {
		n = append([]byte(strings.Repeat("0", decimals-len(n)+1)), n...)
	}
	intPart := strings.TrimLeft(string(n[:len(n)-decimals]), "0")
	if intPart == "" {
		intPart = "0"
	}
	if decimals == 0 {
		return intPart
	}
	return intPart + "." + string(n[len(n)-decimals:])
}

// increment adds one to a string of decimal digits.
func increment(n []byte) []byte {
	for i := len(n) - 1; i >= 0; i-- {
		if n[i] < '9' {
			n[i]++
			return n
		}
		n[i] = '0'
	}
	return append([]byte("1"), n...)
}

// FormatPercent writes share (0.25 for 25 %) as a percentage with decimals
// places, in the language's style: "25.0%" in English, "25,0 %" in French
// (a narrow no-break space before the sign), "25,0 %" in Spanish.
func FormatPercent(lang string, share float64, decimals int) string {
	n := FormatNumber(lang, 100*share, decimals)
	if n == "–" {
		return n
	}
	switch lang {
	case "fr":
		return n + "\u202f%"
	case "es":
		return n + "\u00a0%"
	}
	return n + "%"
}

// FormatEdge writes a band edge with as many decimals as it has (none for
// whole numbers), grouped for the language: 400000 is "400 000" in French.
// The white paper's bands and the benchmark reports' population groups
// both write their edges with it.
func FormatEdge(lang string, v float64) string {
	plain := strconv.FormatFloat(v, 'f', -1, 64)
	decimals := 0
	if _, frac, ok := strings.Cut(plain, "."); ok {
		decimals = len(frac)
	}
	return FormatNumber(lang, v, decimals)
}
