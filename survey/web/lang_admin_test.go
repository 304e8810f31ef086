package web

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
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

// auditedAction finds the actions the sources write to the audit log:
// audit(ctx, "x.y", …), auditAs(c, who, "x.y", …), and the action
// variables publications.go fills.
var auditedAction = regexp.MustCompile(`(?:audit\((?:ctx|c|context\.WithoutCancel\(ctx\)), |auditAs\(c, [^,]+, |action :?= [^"\n]*)"([a-z_]+\.[a-z_]+)"`)

// TestEveryAuditedActionHasALabel reads the campaign's and the web
// layer's sources for every action they audit and checks that the audit
// page names each one in English, French and Spanish.
func TestEveryAuditedActionHasALabel(t *testing.T) {
	t.Parallel()
	var files []string
	for _, dir := range []string{"../../campaign", "."} {
		m, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, m...)
	}
	found := map[string]bool{}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range auditedAction.FindAllStringSubmatch(string(src), -1) {
			found[m[1]] = true
		}
	}
	// The scan must see the kinds of call it is meant to see.
	for _, sure := range []string{"invitation.create", "user.login", "results.publish", "responses.export"} {
		if !found[sure] {
			t.Fatalf("the scan of the sources missed %s (found %d actions)", sure, len(found))
		}
	}
	for action := range found {
		for _, lang := range []string{"en", "fr", "es"} {
			if got := codeLabel(lang, "audit_action", action); got == action {
				t.Errorf("%s has no %s label", action, lang)
			}
		}
	}
}
