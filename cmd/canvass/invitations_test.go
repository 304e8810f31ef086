package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"github.com/metlib/canvass/campaign"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestInvitationsCommands: the command line invites (leaving out, and
// listing, the contact without recorded consent unless --legal-basis is
// given), writes the mail-merge file, refuses a second one saying what to
// do, and makes new links; each link is followed on the running server.
func TestInvitationsCommands(t *testing.T) {
	dir := t.TempDir()
	m := startMain(t, testConfig(dir))
	defer m.Close()
	var out, errOut bytes.Buffer
	cmd := func(args ...string) error {
		out.Reset()
		errOut.Reset()
		return run(context.Background(), append(append([]string{}, args[:2]...), append([]string{"--data-dir", dir}, args[2:]...)...), nil, &out, &errOut, noEnv)
	}
	file := filepath.Join(dir, "libraries.csv")
	data := "Library,City,Country,Contact person,E-mail,Language,Consent\n" +
		"Bibliothèque municipale de Lyon,Lyon,FR,Claire Martin,claire@bm-lyon.fr,fr,yes\n" +
		"Stadtbibliothek Köln,Köln,DE,Hannelore Vogt,info@stbib-koeln.de,de,\n"
	if err := os.WriteFile(file, []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := cmd("libraries", "import", "--confirm", file); err != nil {
		t.Fatal(err, errOut.String())
	}
	if err := cmd("invitations", "create", "--survey", "landscape"); exitCode(err) != 2 {
		t.Errorf("create without whom: %v", err)
	}
	if err := cmd("invitations", "create", "--survey", "landscape", "--all"); err != nil {
		t.Fatal(err, errOut.String())
	}
	if !strings.Contains(out.String(), "1 library invited, 1 library left out.\n") ||
		!regexp.MustCompile(`Stadtbibliothek Köln\s+\S+\s+no recorded consent to be contacted`).MatchString(out.String()) {
		t.Errorf("create --all:\n%s", out.String())
	}
	if err := cmd("invitations", "create", "--survey", "landscape", "--all", "--legal-basis", "because", "--legal-basis-note", "x"); err == nil || !strings.Contains(err.Error(), "legal_basis.kind") {
		t.Errorf("an unknown basis: %v", err)
	}
	if err := cmd("invitations", "create", "--survey", "landscape", "--all", "--legal-basis", "legitimate_interest", "--legal-basis-note", "LIA 2026-11-02"); err != nil ||
		!strings.Contains(out.String(), "1 library invited (1 library without recorded consent, on the legal basis given), 1 library left out.\n") {
		t.Errorf("create on a basis: %v\n%s", err, out.String())
	}

	path := filepath.Join(dir, "merge.csv")
	rows := func() [][]string {
		t.Helper()
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		r, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(b, []byte("\uFEFF")))).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	follow := func(link string) int {
		t.Helper()
		u, err := url.Parse(link)
		if err != nil {
			t.Fatal(err)
		}
		res, err := http.Get(m.URL + u.RequestURI())
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode
	}
	if err := cmd("invitations", "mailmerge", "--survey", "landscape", "--base-url", "https://survey.example.org", "-o", path); err != nil || !strings.Contains(out.String(), "(2 invitations)") {
		t.Fatalf("mailmerge: %v %s", err, out.String())
	}
	first := rows()
	links := map[string]string{}
	for _, r := range first[1:] {
		if !strings.HasPrefix(r[4], "https://survey.example.org/s/landscape?t=") {
			t.Errorf("link %q", r[4])
		}
		links[r[2]] = r[4]
	}
	if len(first) != 3 || first[0][5] != "subject" || !strings.Contains(links["claire@bm-lyon.fr"], "&lang=fr") || follow(links["claire@bm-lyon.fr"]) != 200 {
		t.Fatalf("mail-merge file %q", first)
	}
	if err := cmd("invitations", "mailmerge", "--survey", "landscape", "--base-url", "https://survey.example.org", "-o", path); err == nil || !strings.Contains(err.Error(), "reminder file for the") {
		t.Errorf("a second file: %v", err)
	}

	// New links for Lyon alone: its old link dies, Köln's stays.
	if err := cmd("invitations", "list", "--survey", "landscape"); err != nil {
		t.Fatal(err)
	}
	lyon := regexp.MustCompile(`(?m)^(\S+)\s+Bibliothèque municipale de Lyon\s+claire@bm-lyon.fr\s+fr\s+opened`).FindStringSubmatch(out.String())
	if lyon == nil {
		t.Fatalf("list:\n%s", out.String())
	}
	if err := cmd("invitations", "mailmerge", "--survey", "landscape", "--new-links", "--invitation", lyon[1], "--base-url", "https://survey.example.org", "-o", path); err != nil || !strings.Contains(out.String(), "(1 invitation).") {
		t.Fatalf("new links: %v %s", err, out.String())
	}
	renewed := rows()
	if len(renewed) != 2 || renewed[1][2] != "claire@bm-lyon.fr" || follow(renewed[1][4]) != 200 {
		t.Errorf("new links file %q", renewed)
	}
	if got := follow(links["claire@bm-lyon.fr"]); got != 404 {
		t.Errorf("Lyon's old link: %d, want 404", got)
	}
	if got := follow(links["info@stbib-koeln.de"]); got != 200 {
		t.Errorf("Köln's link: %d, want 200", got)
	}
}

// TestInviteSummaryCountsInWords: each count takes its noun in the right
// number, and what did not happen is not said.
func TestInviteSummaryCountsInWords(t *testing.T) {
	ids := func(n int) []string { return make([]string, n) }
	for _, tc := range []struct {
		done campaign.Invited
		want string
	}{
		{campaign.Invited{}, "0 libraries invited."},
		{campaign.Invited{Created: ids(1)}, "1 library invited."},
		{campaign.Invited{Created: ids(2), Skipped: make([]campaign.Skipped, 2)}, "2 libraries invited, 2 libraries left out."},
		{campaign.Invited{Created: ids(2), Reinvited: ids(1), OnBasis: ids(2), Skipped: make([]campaign.Skipped, 1)},
			"2 libraries invited, 1 library invited again after a withdrawal (2 libraries without recorded consent, on the legal basis given), 1 library left out."},
		{campaign.Invited{Reinvited: ids(3), OnBasis: ids(1)}, "0 libraries invited, 3 libraries invited again after a withdrawal (1 library without recorded consent, on the legal basis given)."},
	} {
		if got := inviteSummary(&tc.done); got != tc.want {
			t.Errorf("got %q, want %q", got, tc.want)
		}
	}
}
