package xlsform_test

import (
	"bufio"
	"fmt"
	"strings"
	"testing"

	"github.com/metlib/canvass/internal/memtest"
	"github.com/metlib/canvass/internal/workbook/workbooktest"
	"github.com/metlib/canvass/survey"
	"github.com/metlib/canvass/survey/xlsform"
)

// surveySheet is a "survey" sheet with a header and rows of text questions.
func surveySheet(questions int, extra func(w *bufio.Writer, row int)) workbooktest.Sheet {
	return workbooktest.Sheet{Name: "survey", Data: func(w *bufio.Writer) {
		workbooktest.Row(w, 1, "A1", "type", "B1", "name", "C1", "label")
		for i := 1; i <= questions; i++ {
			r := i + 1
			workbooktest.Row(w, r, fmt.Sprintf("A%d", r), "text", fmt.Sprintf("B%d", r), fmt.Sprintf("q%d", i), fmt.Sprintf("C%d", r), "Question")
		}
		if extra != nil {
			extra(w, questions+2)
		}
	}}
}

// TestHostileWorkbooksAreRefused parses the workbooks of issue 13, generated
// here: each is too_large with a message naming the limit, and the heap
// grows by less than 256 MiB (before the limits: 2.9 GB, and a 6,000-question
// draft stored).
func TestHostileWorkbooksAreRefused(t *testing.T) {
	bomb, _ := workbooktest.Bomb(2 << 20)
	bombSheet := func() []byte { return bomb }
	cases := []struct {
		name string
		data func() []byte
		want string
	}{
		{"one cell in column XFD on 6,000 rows", func() []byte {
			return workbooktest.Workbook(workbooktest.Sheet{Name: "survey", Data: func(w *bufio.Writer) {
				workbooktest.Row(w, 1, "A1", "type", "B1", "name")
				for r := 2; r <= 6001; r++ {
					workbooktest.Row(w, r, fmt.Sprintf("XFD%d", r), "x")
				}
			}})
		}, `Row 2 of the sheet "survey" has a cell in column XFD; an import may use at most 200 columns (A to GR).`},
		{"6,000 questions", func() []byte { return workbooktest.Workbook(surveySheet(6000, nil)) },
			"The form has 6000 questions; a survey may have at most 1000."},
		{"zip bomb", bombSheet, "The workbook unpacks to more than 64 MiB"},
		{"3,000,000 one-cell rows", func() []byte {
			return workbooktest.Workbook(workbooktest.RepeatedRows("survey", `<row><c t="inlineStr"><is><t>text</t></is></c></row>`, 3000000))
		}, "The workbook unpacks to more than 64 MiB"},
		{"one 15 MiB shared string in 40 cells of 4 rows", func() []byte {
			return sharedStrings("<si><t>"+strings.Repeat("A", 15<<20)+"</t></si>", 4, 40)
		}, "The workbook's shared strings unpack to more than 8 MiB, the limit for an import."},
		{"one 3 MiB shared string in 40 cells of 4 rows", func() []byte {
			return sharedStrings("<si><t>"+strings.Repeat("A", 3<<20)+"</t></si>", 4, 40)
		}, "A shared string of the workbook is longer than 32767 characters"},
		{"300,000 empty shared strings", func() []byte {
			return sharedStrings(strings.Repeat("<si><t/></si>", 300000), 1, 3)
		}, "The workbook has more than 200000 shared strings, the limit for an import."},
		{"a 4,001-character label", func() []byte {
			return sharedStrings("<si><t>"+strings.Repeat("é", 4001)+"</t></si>", 1, 3)
		}, `The cell C2 of the sheet "survey" is longer than 4000 characters, the limit for an import.`},
		{"4,000 characters in 200 columns of 5 rows", func() []byte {
			return sharedStrings("<si><t>"+strings.Repeat("A", 4000)+"</t></si>", 5, 200)
		}, `The sheet "survey" holds more than 3072 KiB of text, the limit for an import.`},
		{"10,001 rows", func() []byte { return workbooktest.Workbook(surveySheet(10000, nil)) },
			`The sheet "survey" has more than 10000 rows, the limit for an import.`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			data := tc.data()
			var s *survey.Survey
			var err error
			u := memtest.Measure(func() { s, _, err = xlsform.Parse(data) })
			t.Logf("%d bytes: %v", len(data), u)
			if s != nil || survey.ErrorCode(err) != survey.ETOOLARGE || !strings.Contains(survey.ErrorMessage(err), tc.want) {
				t.Errorf("got %v, want too_large with %q", err, tc.want)
			}
			if u.PeakHeap > 256<<20 {
				t.Errorf("peak heap grew by %d MiB, want under 256", u.PeakHeap>>20)
			}
		})
	}
}

// TestQuestionCapAdmitsItsBound parses a form of exactly MaxQuestions.
func TestQuestionCapAdmitsItsBound(t *testing.T) {
	s, _, err := xlsform.Parse(workbooktest.Workbook(surveySheet(xlsform.MaxQuestions, nil)))
	if err != nil {
		t.Fatalf("%v %+v", err, survey.ErrorFields(err))
	}
	if n := len(s.Questions()); n != xlsform.MaxQuestions || s.Questions()[999].ID != "q1000" {
		t.Errorf("got %d questions, want %d ending with q1000", n, xlsform.MaxQuestions)
	}
}

// sharedStrings is a form whose shared-strings table is "type", "name",
// "label", "text", then entries: a header row, then rows rows of a text
// question whose cells from C to column cols all refer to the first of
// entries (the amplification of issue 13: excelize copies the string for
// each cell).
func sharedStrings(entries string, rows, cols int) []byte {
	return workbooktest.WithSharedStrings("<si><t>type</t></si><si><t>name</t></si><si><t>label</t></si><si><t>text</t></si>"+entries, workbooktest.Sheet{Name: "survey", Data: func(w *bufio.Writer) {
		w.WriteString(`<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c></row>`)
		for r := 2; r <= rows+1; r++ {
			fmt.Fprintf(w, `<row r="%d"><c r="A%d" t="s"><v>3</v></c><c r="B%d" t="inlineStr"><is><t>q%d</t></is></c>`, r, r, r, r)
			for c := 3; c <= cols; c++ {
				col := ""
				for n := c; n > 0; n = (n - 1) / 26 {
					col = string(rune('A'+(n-1)%26)) + col
				}
				fmt.Fprintf(w, `<c r="%s%d" t="s"><v>4</v></c>`, col, r)
			}
			w.WriteString("</row>")
		}
	}})
}
