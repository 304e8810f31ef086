package survey_test

import (
	"testing"
	"time"

	"github.com/metlib/canvass/survey"
)

func TestStampConsent(t *testing.T) {
	first := time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)
	sent := time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC)
	paris := time.FixedZone("Paris", 3600)
	now := time.Date(2026, 12, 1, 11, 0, 0, 0, paris)
	before := &survey.Library{Contacts: []survey.Contact{
		{Email: "kept@example.org", Consent: true, ConsentAt: &first},
		{Email: "withdrawn@example.org", Consent: true, ConsentAt: &first},
	}}
	l := &survey.Library{Contacts: []survey.Contact{
		{Email: "kept@example.org", Consent: true, ConsentAt: &sent}, // a client's date does not replace the first one
		{Email: "withdrawn@example.org", Consent: false, ConsentAt: &first},
		{Email: "new@example.org", Consent: true},
		{Email: "dated@example.org", Consent: true, ConsentAt: &sent},
		{Email: "none@example.org"},
	}}
	l.StampConsent(before, now)
	want := []*time.Time{&first, nil, ptr(now.UTC()), &sent, nil}
	for i, c := range l.Contacts {
		got, w := c.ConsentAt, want[i]
		if (got == nil) != (w == nil) || (got != nil && (!got.Equal(*w) || got.Location() != time.UTC)) {
			t.Errorf("%s: consent_at %v, want %v (UTC)", c.Email, got, w)
		}
	}
	if l.Contacts[0].ConsentAt == before.Contacts[0].ConsentAt {
		t.Error("the stamped library shares a time with the stored one")
	}
}

func ptr[T any](v T) *T { return &v }
