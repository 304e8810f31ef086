package survey

import "strings"

// Number words for the ask-back of an ambiguous number ("Did you mean
// 1 000 (one thousand) or 1,000 (one)?"): digits alone cannot settle
// which reading is meant, since the reader's doubt is about the digits'
// separators, so each reading is also said in words. Only what that
// message needs is covered: whole numbers below a million (an ambiguous
// text has at most three digits before its one separator and three after
// it) and decimals with a whole part below a thousand. Spanish and French
// follow the RAE's and the Académie's spelling before the 1990 reform
// (which only adds hyphens); other languages are spelled in English, as
// every text falls back to it.

var enSmall = [...]string{"zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
	"eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"}
var enTens = [...]string{2: "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"}

var esSmall = [...]string{"cero", "uno", "dos", "tres", "cuatro", "cinco", "seis", "siete", "ocho", "nueve", "diez",
	"once", "doce", "trece", "catorce", "quince", "dieciséis", "diecisiete", "dieciocho", "diecinueve",
	"veinte", "veintiuno", "veintidós", "veintitrés", "veinticuatro", "veinticinco", "veintiséis", "veintisiete", "veintiocho", "veintinueve"}
var esTens = [...]string{3: "treinta", "cuarenta", "cincuenta", "sesenta", "setenta", "ochenta", "noventa"}
var esHundreds = [...]string{1: "ciento", "doscientos", "trescientos", "cuatrocientos", "quinientos", "seiscientos", "setecientos", "ochocientos", "novecientos"}

var frSmall = [...]string{"zéro", "un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf", "dix",
	"onze", "douze", "treize", "quatorze", "quinze", "seize"}
var frTens = [...]string{2: "vingt", "trente", "quarante", "cinquante", "soixante"}

// wholeWords says n (|n| < 1 000 000) in lang.
func wholeWords(lang string, n int) string {
	if n < 0 {
		minus, ok := map[string]string{"fr": "moins ", "es": "menos "}[lang]
		if !ok {
			minus = "minus "
		}
		return minus + wholeWords(lang, -n)
	}
	th, rest := n/1000, n%1000
	switch lang {
	case "fr":
		var parts []string
		switch {
		case th == 1:
			parts = append(parts, "mille")
		case th > 1:
			parts = append(parts, frBelow1000(th, true)+" mille")
		}
		if rest > 0 || th == 0 {
			parts = append(parts, frBelow1000(rest, false))
		}
		return strings.Join(parts, " ")
	case "es":
		var parts []string
		switch {
		case th == 1:
			parts = append(parts, "mil")
		case th > 1:
			w := esBelow1000(th)
			// Before "mil", uno loses its ending: veintiún mil, ciento un mil.
			if strings.HasSuffix(w, "veintiuno") {
				w = strings.TrimSuffix(w, "veintiuno") + "veintiún"
			} else if strings.HasSuffix(w, "uno") {
				w = strings.TrimSuffix(w, "o")
			}
			parts = append(parts, w+" mil")
		}
		if rest > 0 || th == 0 {
			parts = append(parts, esBelow1000(rest))
		}
		return strings.Join(parts, " ")
	}
	var parts []string
	if th > 0 {
		parts = append(parts, enBelow1000(th)+" thousand")
	}
	if rest > 0 || th == 0 {
		parts = append(parts, enBelow1000(rest))
	}
	return strings.Join(parts, " ")
}

func enBelow1000(n int) string {
	h, r := n/100, n%100
	var parts []string
	if h > 0 {
		parts = append(parts, enSmall[h]+" hundred")
	}
	switch {
	case r == 0 && h > 0:
	case r < 20:
		parts = append(parts, enSmall[r])
	case r%10 == 0:
		parts = append(parts, enTens[r/10])
	default:
		parts = append(parts, enTens[r/10]+"-"+enSmall[r%10])
	}
	return strings.Join(parts, " ")
}

func esBelow1000(n int) string {
	h, r := n/100, n%100
	var parts []string
	switch {
	case h == 1 && r == 0:
		parts = append(parts, "cien")
	case h > 0:
		parts = append(parts, esHundreds[h])
	}
	switch {
	case r == 0 && h > 0:
	case r < 30:
		parts = append(parts, esSmall[r])
	case r%10 == 0:
		parts = append(parts, esTens[r/10])
	default:
		parts = append(parts, esTens[r/10]+" y "+esSmall[r%10])
	}
	return strings.Join(parts, " ")
}

// frBelow1000 says n < 1000 in French; beforeMille: it multiplies mille,
// so that cent and quatre-vingt take no plural s (deux cent mille).
func frBelow1000(n int, beforeMille bool) string {
	h, r := n/100, n%100
	var parts []string
	switch {
	case h == 1:
		parts = append(parts, "cent")
	case h > 1 && r == 0 && !beforeMille:
		parts = append(parts, frSmall[h]+" cents")
	case h > 1:
		parts = append(parts, frSmall[h]+" cent")
	}
	if r > 0 || h == 0 {
		parts = append(parts, frBelow100(r, beforeMille))
	}
	return strings.Join(parts, " ")
}

func frBelow100(n int, beforeMille bool) string {
	t, u := n/10, n%10
	switch {
	case n <= 16:
		return frSmall[n]
	case n < 20:
		return "dix-" + frSmall[u]
	case t <= 6 && u == 0:
		return frTens[t]
	case t <= 6 && u == 1:
		return frTens[t] + " et un"
	case t <= 6:
		return frTens[t] + "-" + frSmall[u]
	case n == 71:
		return "soixante et onze"
	case t == 7:
		return "soixante-" + frBelow100(n-60, false)
	case n == 80 && beforeMille:
		return "quatre-vingt"
	case n == 80:
		return "quatre-vingts"
	default: // 81–99: quatre-vingt-un, quatre-vingt-dix
		return "quatre-vingt-" + frBelow100(n-80, false)
	}
}

// decimalWords says whole + the decimals digits in lang ("2", "5" is
// "two point five", "deux virgule cinq", "dos coma cinco"). English reads
// decimals digit by digit; French and Spanish read them as a number after
// their leading zeros (deux virgule zéro cinq, dos coma ciento veinticinco).
func decimalWords(lang string, whole int, digits string) string {
	w := wholeWords(lang, whole)
	if digits == "" {
		return w
	}
	var b strings.Builder
	b.WriteString(w)
	switch lang {
	case "fr", "es":
		zero, sep := "zéro", " virgule"
		if lang == "es" {
			zero, sep = "cero", " coma"
		}
		b.WriteString(sep)
		rest := strings.TrimLeft(digits, "0")
		for range len(digits) - len(rest) {
			b.WriteString(" " + zero)
		}
		n := 0
		for _, d := range rest {
			n = n*10 + int(d-'0')
		}
		if rest != "" {
			b.WriteString(" " + wholeWords(lang, n))
		}
	default:
		b.WriteString(" point")
		for _, d := range digits {
			b.WriteString(" " + enSmall[d-'0'])
		}
	}
	return b.String()
}
