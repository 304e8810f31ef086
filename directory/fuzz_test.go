package directory

import (
	"context"
	"os"
	"testing"

	"github.com/metlib/canvass/survey"
)

// emptyDirectory is a directory with no libraries yet.
type emptyDirectory struct{}

func (emptyDirectory) ListLibraries(context.Context, survey.LibraryFilter) ([]*survey.Library, int, error) {
	return nil, 0, nil
}

// FuzzReadCSV feeds arbitrary files to the import: it either refuses them
// with a clear EINVALID or plans every row, each line once, in order; a
// planned library always passes validation.
func FuzzReadCSV(f *testing.F) {
	seed, _ := os.ReadFile("testdata/libraries-mixed.csv")
	f.Add(seed)
	f.Add([]byte("name;city;country\nBibliothèque;Lyon;FR\n"))
	f.Add([]byte("\uFEFFLibrary,Pays\n\"a\"\"b\",France\n,\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		rows, _, err := Read(data, "csv")
		if err != nil {
			if survey.ErrorCode(err) != survey.EINVALID {
				t.Fatalf("error without EINVALID: %v", err)
			}
			return
		}
		plan, err := MakePlan(context.Background(), emptyDirectory{}, rows, nil, false)
		if err != nil {
			t.Fatal(err)
		}
		if len(plan.Rows) != len(rows) {
			t.Fatalf("%d rows planned of %d", len(plan.Rows), len(rows))
		}
		last := 1
		for _, r := range plan.Rows {
			if r.Line <= last {
				t.Fatalf("line %d after %d", r.Line, last)
			}
			last = r.Line
			if r.Action == Create {
				if err := r.Library.Validate(); err != nil {
					t.Fatalf("line %d planned for creation but invalid: %v", r.Line, err)
				}
			}
		}
	})
}
