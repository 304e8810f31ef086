package directory_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/metlib/canvass/directory"
	"github.com/metlib/canvass/internal/memtest"
	"github.com/metlib/canvass/internal/workbook/workbooktest"
	"github.com/metlib/canvass/survey"
	"github.com/metlib/canvass/survey/store/storetest"
)

// memoryBound is what reading one hostile upload may add to the heap. Before
// the limits these files took 2.9 to 4.15 GB (issue 13).
const memoryBound = 256 << 20

// TestHostileFilesAreRefused feeds directory.Read the workbooks and CSV
// files of issue 13, generated here, and checks each is refused as too
// large, naming the limit, without the heap growing past memoryBound.
func TestHostileFilesAreRefused(t *testing.T) {
	bomb, inflated := workbooktest.Bomb(2 << 20)
	cases := []struct {
		name, format string
		data         func() []byte
		want         string // in the message
	}{
		{"one cell in column XFD on 6,000 rows", "xlsx", func() []byte {
			return workbooktest.Workbook(workbooktest.Sheet{Name: "Sheet1", Data: func(w *bufio.Writer) {
				workbooktest.Row(w, 1, "A1", "name")
				for r := 2; r <= 6001; r++ {
					workbooktest.Row(w, r, fmt.Sprintf("XFD%d", r), "x")
				}
			}})
		}, `Row 2 of the sheet "Sheet1" has a cell in column XFD; an import may use at most 100 columns (A to CV).`},
		{fmt.Sprintf("zip bomb of %d bytes inflating to %d", len(bomb), inflated), "xlsx", func() []byte { return bomb },
			"The workbook unpacks to more than 64 MiB (the limit for an import)"},
		{"3,000,000 one-cell rows", "xlsx", func() []byte {
			return workbooktest.Workbook(workbooktest.RepeatedRows("Sheet1", `<row><c t="inlineStr"><is><t>x</t></is></c></row>`, 3000000))
		}, "The workbook unpacks to more than 64 MiB"},
		{"one 15 MiB shared string in 40 cells of 4 rows", "xlsx", func() []byte {
			return sharedStrings("<si><t>"+strings.Repeat("A", 15<<20)+"</t></si>", 4, 40)
		}, "The workbook's shared strings unpack to more than 8 MiB, the limit for an import."},
		{"one 3 MiB shared string in 40 cells of 4 rows", "xlsx", func() []byte {
			return sharedStrings("<si><t>"+strings.Repeat("A", 3<<20)+"</t></si>", 4, 40)
		}, "A shared string of the workbook is longer than 32767 characters"},
		{"300,000 empty shared strings", "xlsx", func() []byte {
			return sharedStrings(strings.Repeat("<si><t/></si>", 300000), 1, 1)
		}, "The workbook has more than 200000 shared strings, the limit for an import."},
		{"a 4,001-character cell", "xlsx", func() []byte {
			return sharedStrings("<si><t>"+strings.Repeat("é", 4001)+"</t></si>", 1, 2)
		}, `The cell A2 of the sheet "Sheet1" is longer than 4000 characters, the limit for an import.`},
		{"4,000 characters in 100 columns of 100 rows", "xlsx", func() []byte {
			return sharedStrings("<si><t>"+strings.Repeat("A", 4000)+"</t></si>", 100, 100)
		}, `The sheet "Sheet1" holds more than 32768 KiB of text, the limit for an import.`},
		{"20,002 rows, just past the row cap", "xlsx", func() []byte {
			return workbooktest.Workbook(workbooktest.Sheet{Name: "Sheet1", Data: func(w *bufio.Writer) {
				workbooktest.Row(w, 1, "A1", "name")
				for r := 2; r <= 20003; r++ {
					workbooktest.Row(w, r, fmt.Sprintf("A%d", r), "Library")
				}
			}})
		}, `The sheet "Sheet1" has more than 20001 rows, the limit for an import.`},
		{"row number 1,000,000", "xlsx", func() []byte {
			return workbooktest.Workbook(workbooktest.Sheet{Name: "Sheet1", Data: func(w *bufio.Writer) {
				workbooktest.Row(w, 1, "A1", "name")
				workbooktest.Row(w, 1000000, "A1000000", "x")
			}})
		}, `has more than 20001 rows`},
		{"5,000,000 one-byte CSV rows", "csv", func() []byte {
			return []byte("name\n" + strings.Repeat("a\n", 5000000))
		}, "The CSV file has more than 20000 rows, the limit for an import."},
		{"a 70 KiB CSV line", "csv", func() []byte {
			return []byte("name,city\nLibrary," + strings.Repeat("x", 70<<10) + "\n")
		}, "Line 2 of the CSV file is longer than 64 KiB, the limit for an import."},
		{"a CSV line of 30,000 columns", "csv", func() []byte {
			return []byte("name\n" + strings.Repeat("a,", 30000) + "\n")
		}, "Line 2 of the CSV file has 30001 columns; an import may use at most 100."},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			data := tc.data()
			var err error
			u := memtest.Measure(func() { _, _, err = directory.Read(data, tc.format) })
			t.Logf("%d bytes: %v", len(data), u)
			if survey.ErrorCode(err) != survey.ETOOLARGE || !strings.Contains(survey.ErrorMessage(err), tc.want) {
				t.Errorf("got %v, want too_large with %q", err, tc.want)
			}
			if u.PeakHeap > memoryBound {
				t.Errorf("peak heap grew by %d MiB, want under %d", u.PeakHeap>>20, memoryBound>>20)
			}
		})
	}
}

// TestLimitsAdmitTheirBound reads a file exactly at the row cap, so the
// caps refuse only what is past them.
func TestLimitsAdmitTheirBound(t *testing.T) {
	var b strings.Builder
	b.WriteString("name,city,country\n")
	for i := range directory.MaxRows {
		fmt.Fprintf(&b, "Library %d,Lyon,FR\n", i)
	}
	rows, _, err := directory.Read([]byte(b.String()), "csv")
	if err != nil || len(rows) != directory.MaxRows {
		t.Fatalf("got %d rows, %v; want %d", len(rows), err, directory.MaxRows)
	}
	data := workbooktest.Workbook(workbooktest.Sheet{Name: "Sheet1", Data: func(w *bufio.Writer) {
		workbooktest.Row(w, 1, "A1", "name", "CV1", "notes")
		workbooktest.Row(w, 2, "A2", "Bibliothèque de Lyon", "CV2", "far right, still allowed")
	}})
	rows, unknown, err := directory.Read(data, "xlsx")
	if err != nil || len(rows) != 1 || rows[0].Fields["name"] != "Bibliothèque de Lyon" || len(unknown) != 1 || unknown[0] != "notes" {
		t.Errorf("got %+v %v %v, want one row and the unknown header notes", rows, unknown, err)
	}
}

// TestDryRunIsCapped checks that the JSON of a plan lists PlanRowsShown rows
// and says how many it leaves out, while counting and keeping them all.
func TestDryRunIsCapped(t *testing.T) {
	const n = 650
	var b strings.Builder
	b.WriteString("name,city,country\n")
	for i := range n {
		fmt.Fprintf(&b, "Library %d,Lyon,FR\n", i)
	}
	rows, unknown, err := directory.Read([]byte(b.String()), "csv")
	if err != nil {
		t.Fatal(err)
	}
	p, err := directory.MakePlan(context.Background(), storetest.New(t), rows, unknown, false)
	if err != nil {
		t.Fatal(err)
	}
	out, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		Rows         []struct{ Line int }
		RowsNotShown int            `json:"rows_not_shown"`
		Counts       map[string]int `json:"counts"`
	}
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatal(err)
	}
	if len(got.Rows) != 500 || got.Rows[499].Line != 501 || got.RowsNotShown != n-500 || got.Counts["create"] != n || len(p.Rows) != n {
		t.Errorf("got %d rows shown (last line %d), %d not shown, %d to create, %d kept; want 500 (line 501), %d, %d, %d",
			len(got.Rows), got.Rows[len(got.Rows)-1].Line, got.RowsNotShown, got.Counts["create"], len(p.Rows), n-500, n, n)
	}
}

// sharedStrings is a workbook whose shared-strings table is "name" then
// entries, with a header row naming "name" and rows rows of cols cells
// all referring to the first of entries (the amplification of issue 13:
// excelize copies the string for each cell).
func sharedStrings(entries string, rows, cols int) []byte {
	return workbooktest.WithSharedStrings("<si><t>name</t></si>"+entries, workbooktest.Sheet{Name: "Sheet1", Data: func(w *bufio.Writer) {
		workbooktest.SharedCell(w, 1, 1, 0)
		for r := 2; r <= rows+1; r++ {
			workbooktest.SharedCell(w, r, cols, 1)
		}
	}})
}
