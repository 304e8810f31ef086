package survey

import (
	"math"
	"strconv"
	"strings"
	"unicode"
)

// Reading numbers as people write them, in the languages FormatNumber
// writes. Each language has one decimal mark (CLDR's decimal symbol: "." in
// English, "," in French and Spanish); the other of point and comma groups
// thousands (CLDR's group symbol in English and Spanish; in French, where
// CLDR groups with a narrow no-break space, people also type points), and
// so do spaces of every kind, which mark decimals nowhere. Grouping must be
// well formed — one kind of separator, a first group of one to three digits
// not starting with 0, then groups of three — so "2.500.000" is read in
// Spanish and "2.5" is not taken for 25.
//
// Anything else is refused: letters, exponents, other digits than 0–9,
// several signs, a separator at either end, and more than maxNumberText
// bytes. strconv.ParseFloat reads only the canonical text built here
// ("-2500000.5"), so nothing it would also accept (hex, "Inf", "_") slips
// through.

// maxNumberText bounds what is read: the longest float64 written out in
// full (5e-324, as FormatAnswer may write one the API stored) has 326
// characters, so a longer text is a paste gone wrong, not a number.
const maxNumberText = 400

// numberReading is what one convention makes of a text.
type numberReading struct {
	ok    bool
	value float64
	// frac is the number of digits after the decimal mark.
	frac int
	// thousandsLike: the only separator is a decimal mark followed by
	// exactly three digits after one to three (not starting with 0), so
	// the other convention reads the same text as a whole number of
	// thousands (Spanish "2,500" is 2.5 here and 2500 in Mexico).
	thousandsLike bool
	whole         float64 // that whole number, when thousandsLike or decimalLike
	// decimalLike: the only separator is the grouping mark (the other of
	// point and comma), after one to three digits not starting with 0 and
	// before exactly three, so the other convention reads the same text
	// as a decimal (Spanish "1.000" is 1000 in Spain and 1 in Mexico).
	decimalLike bool
	// lead and tail are the digits before and after the separator, when
	// thousandsLike or decimalLike (for the words of the ask-back).
	lead, tail string
}

// decimalMark is lang's decimal separator; languages Canvass does not ship
// read as English, as FormatNumber writes them.
func decimalMark(lang string) byte {
	if styleFor(lang).decimal == "," {
		return ','
	}
	return '.'
}

func otherMark(mark byte) byte {
	if mark == '.' {
		return ','
	}
	return '.'
}

// isGroupSpace reports the spaces people group digits with: the ordinary
// one, the no-break space, the narrow no-break space (CLDR's French group
// symbol) and the thin space.
func isGroupSpace(r rune) bool {
	return r == ' ' || r == '\u00a0' || r == '\u202f' || r == '\u2009'
}

// ParseNumber reads s as a person writes a number in lang: "2.500.000",
// "2 500 000" and "2,5" in Spanish and French, "2,500,000" and "2.5" in
// English; a minus sign (U+2212, as FormatNumber writes it) or a hyphen.
// FormatNumber's output in any language reads back as the number written.
// Returns an EINVALID *Error with a message in lang otherwise, suggesting
// the reading the text would have in the other convention, if it has one.
func ParseNumber(lang, s string) (float64, error) {
	r := readLocal(lang, s)
	if r.ok {
		return r.value, nil
	}
	return 0, &Error{Code: EINVALID, Message: numberProblem(lang, s, false).render(lang)}
}

// numberProblem explains why s is not a number in lang's convention: when
// the other convention reads it, that reading is offered, written lang's
// way ("2.5" in Spanish: did you mean 2,5?), unless a whole number is
// wanted and that reading is not one.
func numberProblem(lang, s string, integer bool) *message {
	mark := decimalMark(lang)
	if alt := readNumber(s, otherMark(mark)); alt.ok {
		if integer && alt.value != math.Trunc(alt.value) {
			return msg("want_integer")
		}
		return msg("number_did_you_mean", FormatNumber(lang, alt.value, alt.frac))
	}
	return msg("want_number")
}

// readLocal reads s in lang's convention and also takes a single mark of
// the other convention that cannot group thousands — one, two or four and
// more digits after it, or more than three or a leading 0 before it — for
// the decimal mark it must be: "2.5", "0.500", "1234.5" in French and
// Spanish (the decimal point much of Latin America and every calculator
// write), "2,5" and "0,75" in English (a European respondent's comma).
// Refusing it with "did you mean 2,5?" would refuse the same text again
// when sent back unchanged, a dead end, for a text with one reading.
func readLocal(lang, s string) numberReading {
	mark := decimalMark(lang)
	other := otherMark(mark)
	r := readNumber(s, mark)
	if r.ok || strings.Count(s, string(other)) != 1 || strings.Contains(s, string(mark)) {
		return r
	}
	return readNumber(s, other)
}

// AmbiguousNumber reports whether s, typed on a form in lang for a number
// question that takes decimals, is asked back rather than read: one
// separator followed by exactly three digits, after one to three digits
// not starting with 0, where the two conventions read it differently.
// That is lang's decimal mark in every language ("1.000" in English: 1 in
// English, 1000 where a point groups thousands), and in French and
// Spanish the point as well: Spain and France group thousands with it,
// much of Latin America marks decimals with it, so "1.000" and "1,000"
// are each 1000 to some respondents and 1 to others. The form then
// carries the text in NumberConfirmField, and sending it again unchanged
// reads it in lang (ConfirmedNumber): "1,000" as 1, "1.000" as 1000.
func AmbiguousNumber(lang, s string) bool {
	return ambiguous(lang, readNumber(s, decimalMark(lang)))
}

// ambiguous reports whether r, a reading of a text in lang, is one the
// other convention reads differently (AmbiguousNumber).
func ambiguous(lang string, r numberReading) bool {
	return r.thousandsLike || (r.decimalLike && decimalMark(lang) == ',')
}

// ConfirmedNumber is the text of a number answer its respondent sent
// again unchanged after the form asked which reading it meant
// (AmbiguousNumber): it is read in the form's language, as typed, and not
// asked back again. Only (*Survey).FormAnswers makes one, from the form's
// NumberConfirmField; decoded JSON cannot hold one, so an API client's
// ambiguous string is always asked back (a JSON number never is).
type ConfirmedNumber string

// NumberConfirmField is the hidden form field that carries the text of
// question id's number answer once the form has asked back about it: the
// choice sticks to that exact text, so a respondent who changes it is
// asked again if the new text is ambiguous too, and one who keeps it is
// not asked twice.
func NumberConfirmField(id string) string { return "confirm." + id }

// ambiguity is the ask-back for r, an ambiguous reading of text in lang
// (AmbiguousNumber): both readings, each in digits that lang's reader
// cannot misread and in words, how to write each so that it is not asked
// again, and which one sending the text unchanged keeps (lang's reading).
// The whole number is written without grouping ("1000"): a space is not
// how Spanish groups, and a point or comma is the very doubt. The decimal
// is written with lang's mark and its trailing zeros dropped ("1,0",
// "2,5"); one with three significant decimals is shown as typed ("2,125",
// the words settle it) and written with a fourth digit to choose it
// ("2,1250": four decimals group nothing).
func ambiguity(lang, text string, r numberReading) *message {
	lead, _ := strconv.Atoi(r.lead)
	sign := ""
	if r.whole < 0 {
		lead, sign = -lead, "−"
	}
	whole := sign + r.lead + r.tail
	wholeW := wholeWords(lang, int(r.whole))
	tail := strings.TrimRight(r.tail, "0")
	if tail == "" {
		tail = "0"
	}
	dec := sign + r.lead + string(decimalMark(lang)) + tail
	write := dec
	if len(tail) == 3 {
		write += "0"
	}
	decW := decimalWords(lang, lead, strings.TrimRight(r.tail, "0"))
	kept := decW
	if r.decimalLike {
		kept = wholeW // lang reads its grouping mark as grouping
	}
	text = strings.TrimFunc(text, unicode.IsSpace)
	return msg("number_ambiguous", whole, wholeW, dec, decW, write, text, kept)
}

// readNumber reads s with mark as the decimal separator.
func readNumber(s string, mark byte) numberReading {
	s = strings.TrimFunc(s, unicode.IsSpace)
	if s == "" || len(s) > maxNumberText {
		return numberReading{}
	}
	var canon strings.Builder
	canon.Grow(len(s))
	switch {
	case strings.HasPrefix(s, "-"), strings.HasPrefix(s, "+"):
		if s[0] == '-' {
			canon.WriteByte('-')
		}
		s = s[1:]
	case strings.HasPrefix(s, "−"): // U+2212
		canon.WriteByte('-')
		s = s[len("−"):]
	}
	// Split into runs of digits and the single separators between them.
	var runs []string
	var seps []rune
	start := 0
	for i, c := range s {
		switch {
		case c >= '0' && c <= '9':
			continue
		case c == '.' || c == ',' || isGroupSpace(c):
			runs = append(runs, s[start:i])
			seps = append(seps, c)
			start = i + len(string(c))
		default:
			return numberReading{}
		}
	}
	runs = append(runs, s[start:])
	// Every separator stands between digits, except that a decimal mark
	// may open the number (",5" in Spanish).
	for i, run := range runs {
		if run == "" && !(i == 0 && len(seps) == 1 && seps[0] == rune(mark)) {
			return numberReading{}
		}
	}
	var r numberReading
	pointOrComma := len(seps) == 1 && !isGroupSpace(seps[0])
	intRuns, fracRun := runs, ""
	if n := len(seps); n > 0 && seps[n-1] == rune(mark) {
		intRuns, fracRun = runs[:n], runs[n]
		seps = seps[:n-1]
		r.frac = len(fracRun)
	}
	if len(seps) > 0 {
		// Grouping: one kind of separator, never the decimal mark.
		isSpace := isGroupSpace(seps[0])
		for _, c := range seps {
			if c == rune(mark) || isGroupSpace(c) != isSpace || (!isSpace && c != seps[0]) {
				return numberReading{}
			}
		}
		if len(intRuns[0]) > 3 || intRuns[0][0] == '0' {
			return numberReading{}
		}
		for _, run := range intRuns[1:] {
			if len(run) != 3 {
				return numberReading{}
			}
		}
	}
	intDigits := strings.Join(intRuns, "")
	if intDigits == "" {
		intDigits = "0"
	}
	canon.WriteString(intDigits)
	if fracRun != "" {
		canon.WriteByte('.')
		canon.WriteString(fracRun)
	}
	v, err := strconv.ParseFloat(canon.String(), 64)
	if err != nil || math.IsInf(v, 0) {
		return numberReading{}
	}
	r.ok, r.value = true, v
	if len(runs) == 2 && len(runs[1]) == 3 && len(runs[0]) <= 3 && runs[0] != "" && runs[0][0] != '0' && pointOrComma {
		// One point or comma between 1–3 and 3 digits: the decimal mark
		// (thousandsLike) or the grouping one (decimalLike).
		r.thousandsLike = len(fracRun) == 3
		r.decimalLike = !r.thousandsLike
		r.lead, r.tail = runs[0], runs[1]
		r.whole, _ = strconv.ParseFloat(runs[0]+runs[1], 64)
		if v < 0 {
			r.whole = -r.whole
		}
	}
	return r
}

// fracDigits is the number of decimals v needs to be written exactly
// (at most 17 significant digits, strconv's shortest form).
func fracDigits(v float64) int {
	s := strconv.FormatFloat(v, 'f', -1, 64)
	if _, frac, ok := strings.Cut(s, "."); ok {
		return len(frac)
	}
	return 0
}

// FormatAnswer writes a stored number answer back into a form field in
// lang's convention, every digit kept, so that reading the field again
// (ParseNumber) gives v back: 2500000 is "2.500.000" in Spanish and 2.5
// is "2,5". A value with more significant digits than FormatNumber keeps
// (15) is written ungrouped, with lang's decimal mark.
func FormatAnswer(lang string, v float64) string {
	plain := strconv.FormatFloat(v, 'f', -1, 64)
	if digits := strings.Trim(strings.NewReplacer("-", "", ".", "").Replace(plain), "0"); len(digits) <= 15 {
		return FormatNumber(lang, v, fracDigits(v))
	}
	out := strings.Replace(plain, ".", string(decimalMark(lang)), 1)
	if strings.HasPrefix(out, "-") {
		out = "−" + out[1:]
	}
	return out
}

// formatLimit writes a question's min or max for a message in lang, with
// no grouping below five digits, so that a year reads 2100, not 2,100.
func formatLimit(lang string, v float64) string {
	s := FormatNumber(lang, v, fracDigits(v))
	if math.Abs(v) < 10000 {
		s = strings.ReplaceAll(s, styleFor(lang).group, "")
	}
	return s
}
