package main

import (
	"bytes"
	"context"
	"regexp"
	"strings"
	"testing"
)

// TestCoordinatorAccountsFromTheCommandLine creates a coordinator with
// regions, changes them, and reads them back from `canvass user list`.
func TestCoordinatorAccountsFromTheCommandLine(t *testing.T) {
	dir := t.TempDir()
	runCmd := func(args ...string) (string, string, error) {
		var out, errOut bytes.Buffer
		err := run(context.Background(), append(args, "--data-dir", dir), strings.NewReader(""), &out, &errOut, noEnv)
		return out.String(), errOut.String(), err
	}
	base := []string{"--link", "--base-url", "https://survey.example.org"}
	if _, _, err := runCmd(append([]string{"user", "create", "--email", "ines@example.org", "--role", "coordinator"}, base...)...); err == nil || !strings.Contains(err.Error(), "regions: A coordinator needs at least one region.") {
		t.Errorf("a coordinator without regions: %v", err)
	}
	if _, _, err := runCmd(append([]string{"user", "create", "--email", "ines@example.org", "--role", "coordinator", "--regions", "europe,atlantis"}, base...)...); err == nil || !strings.Contains(err.Error(), `"atlantis" is not an IFLA region`) {
		t.Errorf("an unknown region: %v", err)
	}
	link, done, err := runCmd(append([]string{"user", "create", "--email", "ines@example.org", "--role", "coordinator", "--regions", "north_america, europe"}, base...)...)
	if err != nil || !strings.HasPrefix(link, "https://survey.example.org/admin/setup?token=") || !strings.Contains(done, "Done: ines@example.org (coordinator of europe,north_america).") {
		t.Fatalf("create: %q %q %v", link, done, err)
	}
	list, _, err := runCmd("user", "list")
	if err != nil || !regexp.MustCompile(`ines@example.org\s+coordinator\s+false\s+-\s+europe,north_america\n`).MatchString(list) {
		t.Errorf("list:\n%s %v", list, err)
	}
	if _, done, err := runCmd("user", "update", "--email", "ines@example.org", "--regions", "sub_saharan_africa"); err != nil || !strings.Contains(done, "(coordinator of sub_saharan_africa, disabled false)") {
		t.Errorf("new regions: %q %v", done, err)
	}
	if _, _, err := runCmd("user", "update", "--email", "ines@example.org", "--role", "analyst", "--regions", "europe"); err == nil || !strings.Contains(err.Error(), "Only coordinators have regions") {
		t.Errorf("an analyst with regions: %v", err)
	}
	// Another role drops the regions unless they are given.
	if _, done, err := runCmd("user", "update", "--email", "ines@example.org", "--role", "analyst", "--disabled", "true"); err != nil || !strings.Contains(done, "Done: ines@example.org (analyst, disabled true).") {
		t.Errorf("to analyst: %q %v", done, err)
	}
	list, _, _ = runCmd("user", "list")
	if !regexp.MustCompile(`ines@example.org\s+analyst\s+true\s+-\s+-\n`).MatchString(list) {
		t.Errorf("list after the change:\n%s", list)
	}
	if _, _, err := runCmd("user", "update", "--email", "nobody@example.org", "--role", "admin"); err == nil || !strings.Contains(err.Error(), "there is no user nobody@example.org") {
		t.Errorf("an unknown user: %v", err)
	}
	if _, _, err := runCmd("token", "create", "--name", "regional", "--role", "coordinator"); exitCode(err) != 2 {
		t.Errorf("a coordinator token: %v, want a usage error", err)
	}
}
