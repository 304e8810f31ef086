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
