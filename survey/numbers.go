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

// FormatNumber writes v rounded to decimals places with the language's digit
// grouping and decimal mark. NaN and infinities are written as "–".
func FormatNumber(lang string, v float64, decimals int) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "–"
	}
	st := styleFor(lang)
	s := strconv.FormatFloat(v, 'f', decimals, 64)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
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
