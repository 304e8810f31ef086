// Package openpyxl finds the independent reader the tests read workbooks
// back with: Debian's python3-openpyxl, which .ci/run installs.
package openpyxl

import (
	"os"
	"os/exec"
	"testing"
)

// Find returns a Python that has openpyxl — Debian's, where
// python3-openpyxl installs it, before whatever python3 is first on PATH
// — or "" when none has.
func Find() string {
	for _, p := range []string{"/usr/bin/python3", "python3"} {
		if exec.Command(p, "-c", "import openpyxl").Run() == nil {
			return p
		}
	}
	return ""
}

// Python is Find for a test that needs it: without one the test is
// skipped, except in CI (CI set), where it fails.
func Python(t testing.TB) string {
	t.Helper()
	python := Find()
	if python == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("python3-openpyxl is not installed; .ci/run installs it")
		}
		t.Skip("python3-openpyxl is not installed (apt-get install python3-openpyxl)")
	}
	return python
}
