package survey_test

import (
	"testing"
	"time"

	"github.com/metlib/canvass/survey"
)

func TestFormatDates(t *testing.T) {
	at := time.Date(2026, 12, 1, 8, 57, 10, 794e6, time.UTC)
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Skip("no time zone database:", err)
	}
	for _, tc := range []struct {
		lang     string
		t        time.Time
		day, min string
	}{
		{"en", at, "1 December 2026", "1 Dec 2026, 08:57 UTC"},
		{"fr", at, "1er décembre 2026", "1 déc. 2026, 08:57 UTC"},
		{"es", at, "1 de diciembre de 2026", "1 dic 2026, 08:57 UTC"},
		{"de", at, "1 December 2026", "1 Dec 2026, 08:57 UTC"}, // no style of its own: English
		{"fr", time.Date(2027, 1, 31, 23, 30, 0, 0, time.UTC), "31 janvier 2027", "31 janv. 2027, 23:30 UTC"},
		{"en", at.In(paris), "1 December 2026", "1 Dec 2026, 09:57 CET"},
	} {
		if got := survey.FormatDate(tc.lang, tc.t); got != tc.day {
			t.Errorf("FormatDate(%s, %v) = %q, want %q", tc.lang, tc.t, got, tc.day)
		}
		if got := survey.FormatDateTime(tc.lang, tc.t); got != tc.min {
			t.Errorf("FormatDateTime(%s, %v) = %q, want %q", tc.lang, tc.t, got, tc.min)
		}
	}
}
