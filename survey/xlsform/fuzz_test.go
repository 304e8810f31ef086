package xlsform_test

import (
	"os"
	"testing"

	"github.com/metlib/canvass/survey"
	"github.com/metlib/canvass/survey/xlsform"
)

// FuzzParse: any bytes are an XLSForm, or refused, never a panic.
func FuzzParse(f *testing.F) {
	for _, name := range []string{"library-survey.xlsx", "broken-references.xlsx", "broken-no-survey-sheet.xlsx", "not-a-workbook.xlsx"} {
		data, err := os.ReadFile("testdata/" + name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		s, _, err := xlsform.Parse(data)
		if err == nil {
			if s.Validate() != nil {
				t.Fatal("an accepted XLSForm does not validate")
			}
			return
		}
		// A refusal in plain words: invalid, malformed, or (a small file
		// that unpacks past the import limit, as the fuzzer makes) too large.
		if code := survey.ErrorCode(err); code != survey.EINVALID && code != survey.EMALFORMED && code != survey.ETOOLARGE {
			t.Fatalf("unexpected error %q: %v", code, err)
		}
	})
}
