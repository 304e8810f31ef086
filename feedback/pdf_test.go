package feedback_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/metlib/canvass/feedback"
)

// pdfText writes the report as a PDF and reads it back with poppler's
// pdftotext (-layout) and pdfinfo, readers nobody here wrote.
func pdfText(t *testing.T, r *feedback.Report) (text, info string, size int) {
	t.Helper()
	for _, tool := range []string{"pdftotext", "pdfinfo"} {
		if _, err := exec.LookPath(tool); err != nil {
			if os.Getenv("CI") != "" {
				t.Fatalf("%s is not installed; .ci/run installs poppler-utils", tool)
			}
			t.Skipf("%s is not installed (apt-get install poppler-utils)", tool)
		}
	}
	var b bytes.Buffer
	if err := feedback.WritePDF(&b, r); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "report.pdf")
	if err := os.WriteFile(path, b.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-layout", "-enc", "UTF-8", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	inf, err := exec.Command("pdfinfo", path).CombinedOutput()
	if err != nil {
		t.Fatalf("pdfinfo: %v: %s", err, inf)
	}
	return string(out), string(inf), b.Len()
}

