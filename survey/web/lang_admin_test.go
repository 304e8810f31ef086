package web

import (
	"testing"

	"github.com/metlib/canvass/survey"
)

// TestEveryCodeHasALabel: each code the admin pages show has a label of
// its own in English, not the code given back; regions and library types
// too (from the survey package's tables).
func TestEveryCodeHasALabel(t *testing.T) {
	codes := map[string][]string{}
	for kind, list := range codeKinds {
		codes[kind] = list
	}
	for _, r := range survey.Regions {
		codes["region"] = append(codes["region"], string(r))
	}
	for tp := range survey.LibraryTypeLabels {
		codes["library_type"] = append(codes["library_type"], string(tp))
	}
	codes["region"] = append(codes["region"], "unknown")
	codes["library_type"] = append(codes["library_type"], "unknown")
	for kind, list := range codes {
		for _, code := range list {
			if got := codeLabel("en", kind, code); got == code || got == "" {
				t.Errorf("%s %q has no label (got %q)", kind, code, got)
			}
		}
	}
	for _, tc := range []struct{ lang, kind, code, want string }{
		{"en", "region", "asia_oceania", "Asia-Oceania"},
		{"fr", "region", "asia_oceania", "Asie-Océanie"},
		{"en", "country", "JP", "Japan"},
		{"en", "language", "fr", "French"},
		{"fr", "invitation_status", "not_sent", "Not sent"}, // no French admin catalogue yet: English
		{"en", "invitation_status", "bounced", "bounced"},   // an unknown code is shown, never hidden
		{"en", "region", "", ""},
	} {
		if got := codeLabel(tc.lang, tc.kind, tc.code); got != tc.want {
			t.Errorf("codeLabel(%s, %s, %q) = %q, want %q", tc.lang, tc.kind, tc.code, got, tc.want)
		}
	}
}
