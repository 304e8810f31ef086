package xlsform_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/metlib/canvass/survey"
	"github.com/metlib/canvass/survey/xlsform"
)

// workbook writes sheets (name → rows, header first) into an .xlsx.
func workbook(t *testing.T, sheets map[string][][]string) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	first := true
	for name, rows := range sheets {
		if first {
			if err := f.SetSheetName("Sheet1", name); err != nil {
				t.Fatal(err)
			}
			first = false
		} else if _, err := f.NewSheet(name); err != nil {
			t.Fatal(err)
		}
		for r, row := range rows {
			for c, v := range row {
				cell, _ := excelize.CoordinatesToCellName(c+1, r+1)
				if err := f.SetCellStr(name, cell, v); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestProblemsNameSheetRowAndColumn: every problem of a broken workbook is
// placed where its author can find it, by the rows written below (counted
// here by hand: the header is row 1), never only by the definition path.
func TestProblemsNameSheetRowAndColumn(t *testing.T) {
	data := workbook(t, map[string][][]string{
		"survey": {
			{"type", "name", "label", "label::Français (fr)", "relevant"},
			{"begin group", "about", "About", "À propos", ""},         // row 2
			{"select_one colours", "colour", "Colour", "Couleur", ""}, // row 3: list missing
			{"text", "why", "Why?", "Pourquoi ?", "${later} = 'yes'"}, // row 4: refers to a later question
			{"select_one yn", "later", "Later", "Plus tard", ""},      // row 5
			{"text", "why", "Why again?", "", ""},                     // row 6: duplicate name
			{"select_one sizes", "size", "Size", "Taille", ""},        // row 7
			{"end group", "", "", "", ""},                             // row 8
			{"begin group", "about", "More", "Plus", ""},              // row 9: duplicate group name
			{"integer", "n", "", "Nombre", ""},                        // row 10: no English label
			{"end group", "", "", "", ""},
		},
		"choices": {
			{"list_name", "name", "label", "label::Français (fr)"},
			{"yn", "yes", "Yes", "Oui"}, // row 2
			{"yn", "no", "No", "Non"},
			{"sizes", "big", "", "Grande"},   // row 4: no English label
			{"sizes", "big", "Big", "Grand"}, // row 5: duplicate value
		},
		"settings": {{"form_id", "form_title", "default_language"}, {"bad", "Broken", "English (en)"}},
	})
	_, _, err := xlsform.Parse(data)
	if survey.ErrorCode(err) != survey.EINVALID {
		t.Fatalf("got %v, want %s", err, survey.EINVALID)
	}
	got := map[string]bool{}
	var all []string
	for _, f := range survey.ErrorFields(err) {
		line := f.Where() + ": " + f.Message
		got[line] = true
		all = append(all, line+"   ("+f.Path+")")
	}
	for _, want := range []string{
		`survey sheet, row 3, column type: single_choice question "colour" needs at least one option`,
		`survey sheet, row 4, column relevant: show_if may only refer to an earlier question`,
		`survey sheet, row 6, column name: duplicate question id "why"`,
		`choices sheet, row 4, column label: text in the default language "en" is required`,
		`choices sheet, row 5, column name: duplicate option value "big"`,
		`survey sheet, row 9, column name: duplicate section id "about"`,
		`survey sheet, row 10, column label: text in the default language "en" is required`,
	} {
		found := false
		for line := range got {
			if strings.HasPrefix(line, want) {
				found = true
			}
		}
		if !found {
			t.Errorf("problems lack %q; got:\n%s", want, strings.Join(all, "\n"))
		}
	}
	for _, f := range survey.ErrorFields(err) {
		if f.Sheet == "" || f.Row == 0 {
			t.Errorf("%s: %s has no sheet and row", f.Path, f.Message)
		}
	}
}

// TestProblemsInSettings: top-level fields are placed at the settings cell
// that set them.
func TestProblemsInSettings(t *testing.T) {
	data := workbook(t, map[string][][]string{
		"survey": {
			{"type", "name", "label"},
			{"text", "q", "Q"},
		},
		"settings": {{"form_id", "version"}, {"libraries", "2"}},
	})
	_, _, err := xlsform.Parse(data)
	var all []string
	for _, f := range survey.ErrorFields(err) {
		all = append(all, f.Where()+": "+f.Message)
	}
	joined := strings.Join(all, "\n")
	for _, want := range []string{
		`settings sheet, row 2, column form_id: slug "libraries" is reserved`,
	} {
		if !strings.Contains(joined, want) {
			t.Errorf("problems lack %q; got:\n%s", want, joined)
		}
	}
}

func TestWhereWithoutWorkbook(t *testing.T) {
	for _, tc := range []struct {
		f    survey.FieldError
		want string
	}{
		{survey.FieldError{Path: "sections[0].id"}, "sections[0].id"},
		{survey.FieldError{Question: "size"}, "size"},
		{survey.FieldError{Path: "x", Sheet: "survey"}, "survey sheet"},
		{survey.FieldError{Path: "x", Sheet: "choices", Row: 4, Column: "label"}, "choices sheet, row 4, column label"},
	} {
		if got := tc.f.Where(); got != tc.want {
			t.Errorf("%+v: got %q, want %q", tc.f, got, tc.want)
		}
	}
}
