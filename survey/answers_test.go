package survey_test

import (
	"encoding/json"
	"net/url"
	"reflect"
	"strings"
	"testing"

	"github.com/metlib/canvass/survey"
)

// valid is a complete, valid set of raw answers to testdata/every-type.yaml.
func valid() map[string]any {
	return map[string]any{
		"pick":  "a",
		"many":  []any{"y", "x"},
		"agree": json.Number("3"),
		"grid":  map[string]any{"r1": "lo", "r2": "hi"},
		"count": json.Number("12"),
		"name":  "  Ada ",
		"essay": "Long text",
		"mail":  "ada@example.org",
		"site":  "www.example.org/x",
		"day":   "2026-03-01",
		"land":  "fr",
		"order": []any{"q", "p"},
	}
}

func TestCheckAnswersNormalizes(t *testing.T) {
	s := loadFixture(t, "every-type.yaml")
	got, err := s.CheckAnswers(valid(), "en")
	if err != nil {
		t.Fatalf("valid answers rejected: %v %+v", err, survey.ErrorFields(err))
	}
	want := survey.Answers{
		"pick":  "a",
		"many":  []string{"x", "y"}, // definition order, not the order given
		"agree": "3",
		"grid":  map[string]string{"r1": "lo", "r2": "hi"},
		"count": 12.0,
		"name":  "Ada",
		"essay": "Long text",
		"mail":  "ada@example.org",
		"site":  "https://www.example.org/x",
		"day":   "2026-03-01",
		"land":  "FR",
		"order": []string{"q", "p"},
		"not_a": nil,
	}
	delete(want, "not_a")
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got  %#v\nwant %#v", got, want)
	}
}

func TestCheckAnswersRules(t *testing.T) {
	s := loadFixture(t, "every-type.yaml")
	cases := []struct {
		name     string
		set      map[string]any
		drop     []string
		question string
		message  string // English message fragment; "" means the answers are valid
	}{
		{"required missing", nil, []string{"pick"}, "pick", "requires an answer"},
		{"required empty string", map[string]any{"pick": "  "}, nil, "pick", "requires an answer"},
		{"unknown option", map[string]any{"pick": "c"}, nil, "pick", `"c" is not one of the options`},
		{"single given a list", map[string]any{"pick": []any{"a"}}, nil, "pick", "Choose one option"},
		{"other needs text", map[string]any{"pick": "other"}, nil, "pick_other", "specify"},
		{"other with text", map[string]any{"pick": "other", "pick_other": " Mine "}, nil, "", ""},
		{"other text for a question without other", map[string]any{"agree_other": "x"}, nil, "agree_other", "no question with this id"},
		{"unknown question", map[string]any{"colour": "red"}, nil, "colour", "no question with this id"},
		{"multi too few", map[string]any{"many": []any{}}, nil, "", ""},
		{"multi too many", map[string]any{"many": []any{"x", "y", "z"}}, nil, "many", "at most 2"},
		{"multi exclusive", map[string]any{"many": []any{"none", "x"}}, nil, "many", "cannot be combined"},
		{"multi single string", map[string]any{"many": "z"}, nil, "", ""},
		{"multi bad option", map[string]any{"many": []any{"x", "q"}}, nil, "many", `"q" is not one`},
		{"multi wrong type", map[string]any{"many": map[string]any{}}, nil, "many", "Choose from the options"},
		{"likert as number", map[string]any{"agree": 5.0}, nil, "", ""},
		{"likert off scale", map[string]any{"agree": json.Number("2")}, nil, "agree", `"2" is not one`},
		{"matrix bad row", map[string]any{"grid": map[string]any{"r1": "lo", "r9": "hi"}}, nil, "grid", `"r9" is not a row`},
		{"matrix bad option", map[string]any{"grid": map[string]any{"r1": "mid", "r2": "hi"}}, nil, "grid", `"mid" is not one`},
		{"matrix missing visible row", map[string]any{"grid": map[string]any{"r1": "lo"}}, nil, "grid", "every row"},
		{"matrix hidden row not required", map[string]any{"many": []any{"y"}, "grid": map[string]any{"r1": "lo"}}, nil, "", ""},
		{"matrix not an object", map[string]any{"grid": "lo"}, nil, "grid", "rows of this table"},
		{"number from string", map[string]any{"count": "400,000"}, nil, "", ""},
		{"number with spaces", map[string]any{"count": "1 000"}, nil, "", ""},
		{"number with a decimal comma in English", map[string]any{"count": "3,5"}, nil, "count", "Enter a whole number"},
		{"number not integer", map[string]any{"count": json.Number("2.5")}, nil, "count", "whole number"},
		{"number below min", map[string]any{"count": json.Number("-1")}, nil, "count", "at least 0"},
		{"number above max", map[string]any{"count": json.Number("1000001")}, nil, "count", "at most 1,000,000"},
		{"number NaN", map[string]any{"count": "NaN"}, nil, "count", "Enter a number"},
		{"number Infinity", map[string]any{"count": "Infinity"}, nil, "count", "Enter a number"},
		{"number hex", map[string]any{"count": "0x10"}, nil, "count", "Enter a number"},
		{"number huge", map[string]any{"count": json.Number("1e400")}, nil, "count", "Enter a number"},
		{"number bool", map[string]any{"count": true}, nil, "count", "Enter a number"},
		{"text pattern", map[string]any{"name": "ada"}, nil, "name", "expected format"},
		{"text too long", map[string]any{"name": "Abcdefghijk"}, nil, "name", "under 10 characters (it has 11)"},
		{"long text default limit", map[string]any{"essay": strings.Repeat("a", 20001)}, nil, "essay", "under 20000"},
		{"text NUL", map[string]any{"essay": "a\x00b"}, nil, "essay", "cannot be stored"},
		{"text invalid UTF-8", map[string]any{"essay": "a\xffb"}, nil, "essay", "cannot be stored"},
		{"text given a number", map[string]any{"essay": json.Number("1")}, nil, "essay", "Enter text"},
		{"email bad", map[string]any{"mail": "ada@"}, nil, "mail", "email address"},
		{"email with name", map[string]any{"mail": "Ada <ada@example.org>"}, nil, "mail", "email address"},
		{"email no dot", map[string]any{"mail": "ada@localhost"}, nil, "mail", "email address"},
		{"url bad scheme", map[string]any{"site": "javascript:alert(1)"}, nil, "site", "web address"},
		{"url ftp", map[string]any{"site": "ftp://example.org"}, nil, "site", "web address"},
		{"date bad", map[string]any{"day": "2026-02-30"}, nil, "day", "YYYY-MM-DD"},
		{"country unknown", map[string]any{"land": "XX"}, nil, "land", "country from the list"},
		{"ranking duplicate", map[string]any{"order": []any{"p", "p"}}, nil, "order", "only once"},
		{"ranking too many", map[string]any{"order": []any{"p", "q", "r", "s"}}, nil, "order", "at most 3"},
		{"ranking from form ranks", map[string]any{"order": map[string]any{"p": "2", "q": "1", "r": ""}}, nil, "", ""},
		{"ranking duplicate rank", map[string]any{"order": map[string]any{"p": "1", "q": "1"}}, nil, "order", "one option only"},
		{"ranking rank out of range", map[string]any{"order": map[string]any{"p": "9"}}, nil, "order", "from 1 to 4"},
		{"section shown and its required question missing", map[string]any{"pick": "b"}, nil, "why_b", "requires an answer"},
		{"section shown by any_of number", map[string]any{"count": json.Number("42")}, nil, "why_b", "requires an answer"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			raw := valid()
			for k, v := range tc.set {
				raw[k] = v
			}
			for _, k := range tc.drop {
				delete(raw, k)
			}
			_, err := s.CheckAnswers(raw, "en")
			if tc.message == "" {
				if err != nil {
					t.Fatalf("rejected: %+v", survey.ErrorFields(err))
				}
				return
			}
			if survey.ErrorCode(err) != survey.EINVALID {
				t.Fatalf("got %v, want an EINVALID error", err)
			}
			for _, f := range survey.ErrorFields(err) {
				if f.Question == tc.question && strings.Contains(f.Message, tc.message) {
					return
				}
			}
			t.Errorf("no error on %q containing %q; got %+v", tc.question, tc.message, survey.ErrorFields(err))
		})
	}
}

func TestCheckAnswersShowIf(t *testing.T) {
	s := loadFixture(t, "every-type.yaml")
	t.Run("hidden answers are dropped", func(t *testing.T) {
		raw := valid()
		raw["why_b"] = "because" // section two is hidden: pick is a, count is 12
		raw["not_a"] = "x"
		got, err := s.CheckAnswers(raw, "en")
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := got["why_b"]; ok {
			t.Errorf("answer to hidden question kept: %v", got["why_b"])
		}
	})
	t.Run("all and not", func(t *testing.T) {
		raw := valid()
		raw["pick"], raw["why_b"] = "b", "because" // section two shown
		// agree=3 and many lacks y → not_a shown and required.
		raw["many"] = []any{"x"}
		if _, err := s.CheckAnswers(raw, "en"); err == nil || survey.ErrorFields(err)[0].Question != "not_a" {
			t.Errorf("not_a should be required, got %v", survey.ErrorFields(err))
		}
		// many includes y → not(...) is false → not_a hidden.
		raw["many"] = []any{"x", "y"}
		if _, err := s.CheckAnswers(raw, "en"); err != nil {
			t.Errorf("not_a should be hidden, got %v", survey.ErrorFields(err))
		}
		// agree=1 → all(...) is false → hidden.
		raw["many"], raw["agree"] = []any{"x"}, "1"
		if _, err := s.CheckAnswers(raw, "en"); err != nil {
			t.Errorf("not_a should be hidden, got %v", survey.ErrorFields(err))
		}
	})
	t.Run("a hidden question hides what depends on it", func(t *testing.T) {
		// grid row r2 depends on many=x; without x, r2's answer is dropped.
		raw := valid()
		raw["many"] = []any{"y"}
		got, err := s.CheckAnswers(raw, "en")
		if err != nil {
			t.Fatal(err)
		}
		if want := map[string]string{"r1": "lo"}; !reflect.DeepEqual(got.Rows("grid"), want) {
			t.Errorf("grid = %v, want %v", got.Rows("grid"), want)
		}
	})
}

func TestCheckAnswersReportsAllAtOnceInLanguage(t *testing.T) {
	s := loadFixture(t, "every-type.yaml")
	raw := valid()
	delete(raw, "pick")
	raw["count"] = "lots"
	raw["mail"] = "nope"
	_, err := s.CheckAnswers(raw, "fr")
	fields := survey.ErrorFields(err)
	if len(fields) != 3 {
		t.Fatalf("got %d errors, want 3: %+v", len(fields), fields)
	}
	if fields[0].Question != "pick" || fields[0].Message != "Cette question est obligatoire." {
		t.Errorf("first error %+v, want pick in French", fields[0])
	}
	// A language without a translation falls back to English.
	_, err = s.CheckAnswers(map[string]any{}, "de")
	if got := survey.ErrorFields(err)[0].Message; got != "This question requires an answer." {
		t.Errorf("fallback message %q", got)
	}
}

func TestCheckDraftSkipsRequired(t *testing.T) {
	s := loadFixture(t, "every-type.yaml")
	got, err := s.CheckDraft(map[string]any{"count": "7"}, "en")
	if err != nil {
		t.Fatalf("draft rejected: %v", survey.ErrorFields(err))
	}
	if n, _ := got.Number("count"); n != 7 {
		t.Errorf("count = %v", n)
	}
	if _, err := s.CheckDraft(map[string]any{"count": "x"}, "en"); err == nil {
		t.Error("invalid draft answer accepted")
	}
}

func TestFormAnswers(t *testing.T) {
	s := loadFixture(t, "every-type.yaml")
	form := url.Values{
		"csrf_token": {"t"}, "submission_id": {"s"},
		"pick": {"other"}, "pick_other": {"Mine"},
		"many":     {"x", "", "z"},
		"agree":    {"5"},
		"grid[r1]": {"lo"}, "grid[r2]": {"hi"},
		"count":    {"10"},
		"order[p]": {"2"}, "order[q]": {"1"}, "order[r]": {""},
		"land": {"DE"},
	}
	got, err := s.CheckAnswers(s.FormAnswers(form), "en")
	if err != nil {
		t.Fatalf("form rejected: %+v", survey.ErrorFields(err))
	}
	want := survey.Answers{
		"pick": "other", "pick_other": "Mine",
		"many":  []string{"x", "z"},
		"agree": "5",
		"grid":  map[string]string{"r1": "lo", "r2": "hi"},
		"count": 10.0,
		"order": []string{"q", "p"},
		"land":  "DE",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got  %#v\nwant %#v", got, want)
	}
}

func TestAnswersEqual(t *testing.T) {
	a := survey.Answers{"m": []string{"x", "y"}, "n": 1.0, "g": map[string]string{"a": "1", "b": "2"}}
	b := survey.Answers{"g": map[string]string{"b": "2", "a": "1"}, "n": 1.0, "m": []string{"x", "y"}}
	if !a.Equal(b) {
		t.Error("equal answers compare unequal")
	}
	b["n"] = 2.0
	if a.Equal(b) {
		t.Error("different answers compare equal")
	}
}

func TestColumns(t *testing.T) {
	s := loadFixture(t, "every-type.yaml")
	var keys []string
	for _, c := range s.Columns() {
		keys = append(keys, c.Key)
	}
	want := "pick pick_other many.x many.y many.z many.none many.other many_other agree grid.r1 grid.r2 count name essay mail site day land order.p order.q order.r order.s why_b not_a"
	if got := strings.Join(keys, " "); got != want {
		t.Errorf("columns\n got %s\nwant %s", got, want)
	}
}

func TestAnswerText(t *testing.T) {
	s := loadFixture(t, "every-type.yaml")
	a, err := s.CheckAnswers(map[string]any{"pick": "other", "pick_other": "Mine", "many": []any{"x", "z"},
		"grid": map[string]any{"r1": "lo", "r2": "hi"}, "count": "1,250", "order": []any{"q", "p"}, "land": "fr"}, "en")
	if err != nil {
		t.Fatal(err)
	}
	for id, want := range map[string]string{
		"pick": "Other: Mine", "many": "X; Z", "grid": "Row 1: Low\nRow 2: High", "count": "1250",
		"order": "1. Q\n2. P", "land": "FR", "name": "",
	} {
		if got := s.Question(id).AnswerText(a, "fr", "en"); got != want {
			t.Errorf("%s: %q, want %q", id, got, want)
		}
	}
}
