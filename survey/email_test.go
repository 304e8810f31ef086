package survey_test

import (
	"strings"
	"testing"

	"github.com/metlib/canvass/survey"
)

func TestCheckEmail(t *testing.T) {
	local64 := strings.Repeat("a", 64)
	domain := strings.Repeat("d", 63) + "." + strings.Repeat("e", 63) + "." + strings.Repeat("f", 57) + ".org" // 189 bytes
	long254 := local64 + "@" + domain                                                                          // 64+1+189 = 254
	if len(long254) != 254 {
		t.Fatalf("test address is %d bytes, want 254", len(long254))
	}
	for _, tc := range []struct {
		name, in, want string
		why            string // part of the message when refused
	}{
		{"plain", "ada@example.org", "ada@example.org", ""},
		{"trimmed and lower-cased", "  Ada.Lovelace@Example.ORG \n", "ada.lovelace@example.org", ""},
		{"plus and dots", "first.last+survey@mail.example.co.uk", "first.last+survey@mail.example.co.uk", ""},
		{"unicode local part", "josé@example.org", "josé@example.org", ""},
		{"254 bytes", long254, long254, ""},
		{"empty", "   ", "", "Enter an email address"},
		{"display name", "Ada <ada@example.org>", "", "without a name"},
		{"angle brackets", "<ada@example.org>", "", "without a name"},
		{"comment", "ada@example.org (Ada)", "", "without a name"},
		{"no at", "ada.example.org", "", "no @"},
		{"no domain dot", "ada@localhost", "", "needs a dot"},
		{"ends at the at", "ada@", "", "needs a dot"},
		{"ip literal", "ada@[192.0.2.1]", "", "not an IP address"},
		{"quoted local part", `"ada lovelace"@example.org`, "", "character an address cannot hold"},
		{"space inside", "ada lovelace@example.org", "", "character an address cannot hold"},
		{"two ats", "ada@home@example.org", "", "character an address cannot hold"},
		{"double dot", "ada..l@example.org", "", "character an address cannot hold"},
		{"domain ends in a dot", "ada@example.org.", "", "character an address cannot hold"},
		{"two addresses", "ada@example.org, bob@example.org", "", "character an address cannot hold"},
		{"255 bytes", "a" + long254, "", "longer than 254"},
		{"local part of 65", local64 + "a@example.org", "", "longer than 64"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := survey.CheckEmail(tc.in)
			if tc.why == "" {
				if err != nil || got != tc.want {
					t.Fatalf("CheckEmail(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
				}
				return
			}
			if err == nil || got != "" {
				t.Fatalf("CheckEmail(%q) = %q, %v; want an error", tc.in, got, err)
			}
			if code := survey.ErrorCode(err); code != survey.EINVALID {
				t.Errorf("code %q, want %q", code, survey.EINVALID)
			}
			msg := survey.ErrorMessage(err)
			if !strings.Contains(msg, tc.why) {
				t.Errorf("message %q lacks %q", msg, tc.why)
			}
			if strings.TrimSpace(tc.in) != "" && !strings.Contains(msg, strings.TrimSpace(tc.in)) {
				t.Errorf("message %q does not show what was typed (%q)", msg, tc.in)
			}
		})
	}
}

// TestOneEmailRule checks that accounts, email answers and library contacts
// accept and refuse the same addresses, and store the same form of them.
func TestOneEmailRule(t *testing.T) {
	s := loadFixture(t, "every-type.yaml")
	for _, in := range []string{"Ada@Example.org", "ada@localhost", "Ada <ada@example.org>", `"a b"@example.org`, "ada@example.org"} {
		want, wantErr := survey.CheckEmail(in)

		u := &survey.User{Email: in, Role: survey.RoleAnalyst}
		if uerr := u.Validate(); (uerr == nil) != (wantErr == nil) {
			t.Errorf("user %q: Validate %v, CheckEmail %v", in, uerr, wantErr)
		}

		l := &survey.Library{Name: "L", Country: "FR", Contacts: []survey.Contact{{Email: in}}}
		l.Normalize()
		lerr := l.Validate()
		if (lerr == nil) != (wantErr == nil) || (lerr == nil && l.Contacts[0].Email != want) {
			t.Errorf("contact %q: stored %q, Validate %v; CheckEmail %q, %v", in, l.Contacts[0].Email, lerr, want, wantErr)
		}

		raw := valid()
		raw["mail"] = in
		got, aerr := s.CheckAnswers(raw, "en")
		if (aerr == nil) != (wantErr == nil) || (aerr == nil && got["mail"] != want) {
			t.Errorf("answer %q: stored %v, %v; CheckEmail %q, %v", in, got["mail"], aerr, want, wantErr)
		}
	}
}
