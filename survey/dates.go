package survey

import (
	"strconv"
	"time"
)

// Dates for people, by language, following CLDR's long date and medium
// date-time patterns for the languages Canvass ships (other languages fall
// back to English):
//
//	en  31 January 2027       1 Dec 2026, 08:57 UTC
//	fr  31 janvier 2027       1 déc. 2026, 08:57 UTC
//	es  31 de enero de 2027   1 dic 2026, 08:57 UTC
//
// The time is written in t's own location, whose abbreviation follows it:
// callers choose the zone (UTC, or the one the service is configured with).
type dateStyle struct {
	months, short [12]string
	long          func(day int, month string, year int) string
}

var dateStyles = map[string]dateStyle{
	"en": {
		months: [12]string{"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"},
		short:  [12]string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"},
		long:   func(d int, m string, y int) string { return strconv.Itoa(d) + " " + m + " " + strconv.Itoa(y) },
	},
	"fr": {
		months: [12]string{"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"},
		short:  [12]string{"janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc."},
		long: func(d int, m string, y int) string {
			day := strconv.Itoa(d)
			if d == 1 {
				day = "1er" // French writes the first of the month as an ordinal
			}
			return day + " " + m + " " + strconv.Itoa(y)
		},
	},
	"es": {
		months: [12]string{"enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre"},
		short:  [12]string{"ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sept", "oct", "nov", "dic"},
		long:   func(d int, m string, y int) string { return strconv.Itoa(d) + " de " + m + " de " + strconv.Itoa(y) },
	},
}

func dateStyleFor(lang string) dateStyle {
	if st, ok := dateStyles[lang]; ok {
		return st
	}
	return dateStyles["en"]
}

// FormatDate writes t's day as running text in lang does: "31 January
// 2027", "31 janvier 2027", "31 de enero de 2027".
func FormatDate(lang string, t time.Time) string {
	st := dateStyleFor(lang)
	return st.long(t.Day(), st.months[t.Month()-1], t.Year())
}

// FormatDateTime writes t briefly, to the minute, with its zone: "1 Dec
// 2026, 08:57 UTC" ("1 déc. 2026, 08:57 UTC" in French).
func FormatDateTime(lang string, t time.Time) string {
	st := dateStyleFor(lang)
	return strconv.Itoa(t.Day()) + " " + st.short[t.Month()-1] + " " + strconv.Itoa(t.Year()) + ", " + t.Format("15:04 MST")
}
