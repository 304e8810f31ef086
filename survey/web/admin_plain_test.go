package web_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
	"golang.org/x/net/html"

	"github.com/metlib/canvass/survey"
)

// The working group's pages in plain words (issue 14, item 11): labels for
// codes, readable dates, library names, placeholders, problems by sheet and
// row.

// xlsxOf writes one sheet per entry (rows, header first) into a workbook.
func xlsxOf(t *testing.T, sheets [][2]any) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, s := range sheets {
		name, rows := s[0].(string), s[1].([][]string)
		if i == 0 {
			_ = f.SetSheetName("Sheet1", name)
		} else if _, err := f.NewSheet(name); err != nil {
			t.Fatal(err)
		}
		for r, row := range rows {
			for c, v := range row {
				cell, _ := excelize.CoordinatesToCellName(c+1, r+1)
				_ = f.SetCellStr(name, cell, v)
			}
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// pageText is what a reader of the page sees: the text of its main
// element, spaces collapsed.
func pageText(t *testing.T, body string) string {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	n := find(doc, tag("main"))
	if n == nil {
		n = doc
	}
	return strings.Join(strings.Fields(text(n)), " ")
}

// TestXLSFormProblemsBySheetAndRow: uploading a broken XLSForm lists each
// problem at the sheet, row and column it is in (rows as written below),
// not at a definition path.
func TestXLSFormProblemsBySheetAndRow(t *testing.T) {
	a := newApp(t)
	c := newClient(t, a.serve(t))
	a.signIn(t, c, survey.RoleAdmin)
	book := xlsxOf(t, [][2]any{
		{"survey", [][]string{
			{"type", "name", "label", "relevant"},
			{"text", "why", "Why?", "${later} = 'yes'"}, // row 2: refers to a later question
			{"select_one yn", "later", "Later?", ""},    // row 3
			{"select_one yn", "later", "Again?", ""},    // row 4: the same name
		}},
		{"choices", [][]string{{"list_name", "name", "label"}, {"yn", "yes", "Yes"}, {"yn", "no", ""}}}, // row 3: no label
		{"settings", [][]string{{"form_id"}, {"broken-book"}}},
	})
	p := c.upload("/admin/surveys", "broken.xlsx", book)
	if p.status != 422 {
		t.Fatalf("upload: %d", p.status)
	}
	seen := pageText(t, p.body)
	for _, want := range []string{
		"survey sheet, row 2, column relevant: show_if may only refer to an earlier question",
		`survey sheet, row 4, column name: duplicate question id "later"`,
		`choices sheet, row 3, column label: text in the default language "en" is required`,
	} {
		if !strings.Contains(seen, want) {
			t.Errorf("page lacks %q; it reads:\n%s", want, seen)
		}
	}
	if strings.Contains(seen, "sections[") {
		t.Errorf("page shows a definition path:\n%s", seen)
	}
}
