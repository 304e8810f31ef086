package xlsform_test

import (
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/metlib/canvass/survey"
	"github.com/metlib/canvass/survey/xlsform"
)

func parseFile(t *testing.T, name string) (*survey.Survey, []xlsform.Note, error) {
	t.Helper()
	data, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return xlsform.Parse(data)
}

func TestParseLibrarySurvey(t *testing.T) {
	s, notes, err := parseFile(t, "library-survey.xlsx")
	if err != nil {
		t.Fatalf("%v %+v", err, survey.ErrorFields(err))
	}
	if s.Slug != "library-services-2026" || s.Version != 3 || s.Title["en"] != "Library services" || !reflect.DeepEqual(s.Languages, []string{"en", "fr"}) {
		t.Errorf("settings: slug %q version %d title %v languages %v", s.Slug, s.Version, s.Title, s.Languages)
	}
	var sections []string
	for _, sec := range s.Sections {
		var ids []string
		for _, q := range sec.Questions {
			ids = append(ids, q.ID)
		}
		sections = append(sections, sec.ID+":"+strings.Join(ids, ","))
	}
	want := "about:library_name,size,population section_1:uses_services digital:services,wifi_notes,wifi_good section_2:opened,priorities,budget_m,code"
	if got := strings.Join(sections, " "); got != want {
		t.Errorf("sections\n got %s\nwant %s", got, want)
	}

	name := s.Question("library_name")
	if name.Type != survey.ShortText || !name.Required || name.MaxLength != 120 || name.Label["fr"] != "Nom de la bibliothèque" || name.Help["en"] != "The official name" {
		t.Errorf("library_name: %+v", name)
	}
	pop := s.Question("population")
	if pop.Type != survey.Number || !pop.Integer || *pop.Min != 0 || *pop.Max != 100000000 {
		t.Errorf("population: %+v", pop)
	}
	services := s.Question("services")
	if services.Type != survey.MultiChoice || len(services.Options) != 4 || services.Options[2].Value != "maker_space" || !services.Options[3].Other {
		t.Errorf("services: %+v", services.Options)
	}
	if q := s.Question("wifi_notes"); q.Type != survey.LongText {
		t.Errorf("multiline appearance: %s", q.Type)
	}
	if q := s.Question("wifi_good"); q.Type != survey.Likert {
		t.Errorf("likert appearance: %s", q.Type)
	}
	if q := s.Question("priorities"); q.Type != survey.Ranking || len(q.Options) != 3 {
		t.Errorf("rank: %+v", q)
	}
	if q := s.Question("opened"); q.Type != survey.Date {
		t.Errorf("date: %s", q.Type)
	}

	// Relevance: group-level and question-level, with and/not/selected/!=.
	digital := s.Sections[2]
	if digital.ShowIf == nil || digital.ShowIf.Question != "uses_services" || string(*digital.ShowIf.Equals) != "yes" {
		t.Errorf("group relevance: %+v", digital.ShowIf)
	}
	wifi := s.Question("wifi_notes").ShowIf
	if wifi == nil || len(wifi.All) != 2 || wifi.All[0].Question != "services" || wifi.All[1].Not == nil || wifi.All[1].Not.Question != "size" {
		t.Errorf("wifi_notes relevance: %+v", wifi)
	}
	if c := s.Question("wifi_good").ShowIf; c == nil || c.Not == nil || string(*c.Not.Equals) != "no" {
		t.Errorf("!= relevance: %+v", c)
	}
	// The imported skip logic works.
	answers, err := s.CheckAnswers(map[string]any{"library_name": "BPI", "size": "large", "uses_services": "yes", "services": []any{"wifi"}, "wifi_notes": "Fast"}, "fr")
	if err != nil || answers.String("wifi_notes") != "Fast" {
		t.Errorf("answers %v %v", answers, survey.ErrorFields(err))
	}

	// Everything not imported is reported, with its row.
	joined := make([]string, len(notes))
	for i, n := range notes {
		joined[i] = n.String()
	}
	all := strings.Join(joined, "\n")
	for _, want := range []string{
		`survey sheet, row 2: "start" (start) is not a question`,
		`survey sheet, row 16: "thanks_note" has type "note"`,
		`survey sheet, row 17: "double_pop" has type "calculate"`,
		`survey sheet, row 18: name "Budget M" renamed "budget_m"`,
		`survey sheet, row 18: constraint ". > 0" on "budget_m" cannot be translated`,
		`survey sheet, row 19: relevant "${population} > 400000" uses a form Canvass cannot translate`,
		`choices sheet, row 8: choice "maker space" renamed "maker_space"`,
		`column "constraint_message::english (en)" was ignored`,
	} {
		if !strings.Contains(all, want) {
			t.Errorf("notes lack %q; got:\n%s", want, all)
		}
	}
	if q := s.Question("code"); q.Pattern != "^[A-Z]{3}$" || q.ShowIf != nil {
		t.Errorf("code: pattern %q show_if %+v", q.Pattern, q.ShowIf)
	}
	if q := s.Question("budget_m"); q.Min != nil {
		t.Errorf("untranslatable constraint half-applied: min %v", *q.Min)
	}
}

func TestParseBrokenWorkbooks(t *testing.T) {
	cases := []struct {
		file, code, contains string
	}{
		{"not-a-workbook.xlsx", survey.EMALFORMED, "not an .xlsx workbook"},
		{"broken-no-survey-sheet.xlsx", survey.EMALFORMED, `no "survey" sheet`},
		{"broken-references.xlsx", survey.EINVALID, ""},
	}
	for _, tc := range cases {
		t.Run(tc.file, func(t *testing.T) {
			_, notes, err := parseFile(t, tc.file)
			if survey.ErrorCode(err) != tc.code || !strings.Contains(survey.ErrorMessage(err), tc.contains) {
				t.Fatalf("got %v, want %s containing %q", err, tc.code, tc.contains)
			}
			if tc.code != survey.EINVALID {
				return
			}
			var problems []string
			for _, f := range survey.ErrorFields(err) {
				problems = append(problems, f.Path+": "+f.Message)
			}
			all := strings.Join(problems, "\n")
			for _, want := range []string{
				`sections[0].questions[0].options: single_choice question "colour" needs at least one option`,
				`sections[0].questions[1].show_if.question: show_if may only refer to an earlier question`,
				`sections[0].questions[3].id: duplicate question id "why"`,
			} {
				if !strings.Contains(all, want) {
					t.Errorf("problems lack %q; got:\n%s", want, all)
				}
			}
			if len(notes) == 0 || !strings.Contains(notes[0].Message, `choice list "colours"`) {
				t.Errorf("notes %v", notes)
			}
		})
	}
}
