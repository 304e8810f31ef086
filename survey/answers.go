package survey

import (
	"bytes"
	"encoding/json"
	"net/url"
	"strconv"
	"strings"
)

// Answers are a response's normalized answers keyed by question id. Values are
// string (single_choice, likert, text, long_text, email, url, date, country),
// float64 (number), []string (multi_choice; ranking in rank order) or
// map[string]string (matrix: row id → option value). The "please specify"
// text of an "other" option is a string under "<question id>_other".
type Answers map[string]any

// String returns the answer to id as text ("" when absent or not text).
func (a Answers) String(id string) string {
	s, _ := a[id].(string)
	return s
}

// Strings returns a multi_choice or ranking answer.
func (a Answers) Strings(id string) []string {
	s, _ := a[id].([]string)
	return s
}

// Number returns a number answer and whether there is one.
func (a Answers) Number(id string) (float64, bool) {
	f, ok := a[id].(float64)
	return f, ok
}

// Rows returns a matrix answer.
func (a Answers) Rows(id string) map[string]string {
	m, _ := a[id].(map[string]string)
	return m
}

// Equal reports whether a and b hold the same answers.
func (a Answers) Equal(b Answers) bool {
	// Canonical forms marshal deterministically (map keys sorted, lists in
	// canonical order), so comparing the encodings compares the answers.
	ja, errA := MarshalAnswers(a)
	jb, errB := MarshalAnswers(b)
	return errA == nil && errB == nil && bytes.Equal(ja, jb)
}

// MarshalAnswers returns the canonical JSON text of answers: keys sorted,
// lists in canonical order, so equal answers give equal bytes.
func MarshalAnswers(a Answers) ([]byte, error) { return json.Marshal(a) }

// UnmarshalAnswers restores answers from MarshalAnswers' text, with their
// canonical Go types (JSON gives []any and map[string]any).
func UnmarshalAnswers(data []byte) (Answers, error) {
	var raw map[string]any
	if err := json.Unmarshal(data, &raw); err != nil {
		return nil, err
	}
	out := make(Answers, len(raw))
	for k, v := range raw {
		switch x := v.(type) {
		case []any:
			list := make([]string, 0, len(x))
			for _, item := range x {
				if s, ok := item.(string); ok {
					list = append(list, s)
				}
			}
			out[k] = list
		case map[string]any:
			rows := make(map[string]string, len(x))
			for r, item := range x {
				if s, ok := item.(string); ok {
					rows[r] = s
				}
			}
			out[k] = rows
		default:
			out[k] = v // string or float64
		}
	}
	return out, nil
}

// CheckAnswers normalizes raw answers (decoded JSON, or FormAnswers) and
// checks them against the survey: unknown question ids, wrong types, rules,
// required questions. Questions hidden by show_if are never required and their
// answers are dropped. Every problem is returned at once, as the Fields of an
// EINVALID *Error, with messages in lang.
func (s *Survey) CheckAnswers(raw map[string]any, lang string) (Answers, error) {
	return s.check(raw, lang, false)
}

// CheckDraft is CheckAnswers for an unfinished response: required questions may
// still be unanswered, but whatever is answered must be valid.
func (s *Survey) CheckDraft(raw map[string]any, lang string) (Answers, error) {
	return s.check(raw, lang, true)
}

func (s *Survey) check(raw map[string]any, lang string, draft bool) (Answers, error) {
	var fields []FieldError
	fail := func(id string, m *message) {
		fields = append(fields, FieldError{Question: id, Message: m.render(lang)})
	}
	for _, key := range sortedKeys(raw) {
		if s.Question(key) != nil {
			continue
		}
		if base, ok := strings.CutSuffix(key, OtherSuffix); ok {
			if q := s.Question(base); q != nil && q.HasOther() {
				continue
			}
		}
		if base, ok := strings.CutSuffix(key, ChangeNoteSuffix); ok {
			if q := s.Question(base); q != nil && q.ChangeCheck != nil {
				continue
			}
		}
		fail(key, msg("unknown_question"))
	}
	answers := Answers{}
	for _, sec := range s.Sections {
		if !sec.ShowIf.Holds(answers) {
			continue
		}
		for _, q := range sec.Questions {
			if !q.ShowIf.Holds(answers) {
				continue
			}
			k := kinds[q.Type]
			var value any
			if r, ok := raw[q.ID]; ok && r != nil {
				v, m := k.normalize(q, r, answers, lang)
				if m != nil {
					fail(q.ID, m)
					continue
				}
				value = v
			}
			if value == nil {
				if q.Required && !draft {
					fail(q.ID, msg("required"))
				}
				continue
			}
			answers[q.ID] = value
			if chosenOther(q, value) {
				text, m := cleanText(orEmpty(raw[q.ID+OtherSuffix]))
				switch {
				case m != nil:
					fail(q.ID+OtherSuffix, m)
				case text == "" && !draft:
					fail(q.ID+OtherSuffix, msg("other_required"))
				case len([]rune(text)) > defaultTextLength:
					fail(q.ID+OtherSuffix, msg("max_length", defaultTextLength, len([]rune(text))))
				case text != "":
					answers[q.ID+OtherSuffix] = text
				}
			}
			if q.ChangeCheck != nil {
				// Whether one is needed depends on the previous wave's
				// answer (CheckChanges); here it is only read.
				switch text, m := checkChangeNote(raw[q.ID+ChangeNoteSuffix]); {
				case m != nil:
					fail(q.ID+ChangeNoteSuffix, m)
				case text != "":
					answers[q.ID+ChangeNoteSuffix] = text
				}
			}
		}
	}
	if len(fields) > 0 {
		return nil, &Error{Code: EINVALID, Message: "Some answers need attention.", Fields: fields}
	}
	return answers, nil
}

func orEmpty(v any) any {
	if v == nil {
		return ""
	}
	return v
}

// chosenOther reports whether a normalized answer includes the question's
// "other, please specify" option.
func chosenOther(q *Question, value any) bool {
	var chosen []string
	switch v := value.(type) {
	case string:
		chosen = []string{v}
	case []string:
		chosen = v
	}
	for _, c := range chosen {
		if o := q.Option(c); o != nil && o.Other {
			return true
		}
	}
	return false
}

// FormAnswers turns the values of an HTML form into raw answers for
// CheckAnswers. Field names: the question id; "qid[row]" for matrix rows;
// "qid[option]" = rank for ranking; "qid_other" for other text;
// "qid_change_note" for the explanation of a change (ChangeCheck);
// NumberConfirmField(qid) for the text of a number asked back and kept
// (the answer is then a ConfirmedNumber). Fields that are not answers
// (csrf_token, submission_id, ...) are ignored.
func (s *Survey) FormAnswers(form url.Values) map[string]any {
	raw := map[string]any{}
	for _, q := range s.Questions() {
		switch q.Type {
		case MultiChoice:
			if vals := nonEmpty(form[q.ID]); len(vals) > 0 {
				raw[q.ID] = anySlice(vals)
			}
		case Matrix:
			m := map[string]any{}
			for _, r := range q.Rows {
				if v := form.Get(q.ID + "[" + r.ID + "]"); v != "" {
					m[r.ID] = v
				}
			}
			if len(m) > 0 {
				raw[q.ID] = m
			}
		case Ranking:
			m := map[string]any{}
			for _, o := range q.Options {
				if v := form.Get(q.ID + "[" + string(o.Value) + "]"); v != "" {
					m[string(o.Value)] = v
				}
			}
			if len(m) > 0 {
				raw[q.ID] = m
			}
		case Number:
			// The text the form asked back about, sent again as it was:
			// the respondent's confirmation (AmbiguousNumber).
			if v := form.Get(q.ID); v != "" && !q.Integer && form.Get(NumberConfirmField(q.ID)) == v {
				raw[q.ID] = ConfirmedNumber(v)
			} else if v != "" {
				raw[q.ID] = v
			}
		default:
			if v := form.Get(q.ID); v != "" {
				raw[q.ID] = v
			}
		}
		if v := form.Get(q.ID + OtherSuffix); v != "" && q.HasOther() {
			raw[q.ID+OtherSuffix] = v
		}
		if v := form.Get(q.ID + ChangeNoteSuffix); v != "" && q.ChangeCheck != nil {
			raw[q.ID+ChangeNoteSuffix] = v
		}
	}
	return raw
}

func nonEmpty(vals []string) []string {
	var out []string
	for _, v := range vals {
		if strings.TrimSpace(v) != "" {
			out = append(out, v)
		}
	}
	return out
}

// Holds reports whether the condition is met by the answers given so far.
// A nil condition always holds. An unanswered (or hidden, hence dropped)
// question meets no equals or any_of test.
func (c *Condition) Holds(a Answers) bool {
	switch {
	case c == nil:
		return true
	case c.All != nil:
		for i := range c.All {
			if !c.All[i].Holds(a) {
				return false
			}
		}
		return true
	case c.Any != nil:
		for i := range c.Any {
			if c.Any[i].Holds(a) {
				return true
			}
		}
		return false
	case c.Not != nil:
		return !c.Not.Holds(a)
	}
	want := c.AnyOf
	if c.Equals != nil {
		want = []Code{*c.Equals}
	}
	for _, w := range want {
		if answerIs(a[c.Question], string(w)) {
			return true
		}
	}
	return false
}

// answerIs reports whether an answer equals, contains or numerically equals code.
func answerIs(answer any, code string) bool {
	switch v := answer.(type) {
	case string:
		return v == code
	case []string:
		for _, s := range v {
			if s == code {
				return true
			}
		}
	case float64:
		f, err := strconv.ParseFloat(code, 64)
		return err == nil && f == v
	}
	return false
}

// FormValues turns answers back into HTML form values (the inverse of
// FormAnswers), to show a saved or submitted response in the form in lang:
// numbers are written in lang's convention (FormatAnswer), so the form
// posts them back unchanged; 2.5 written "2.5" would not be a number in
// Spanish.
func (s *Survey) FormValues(a Answers, lang string) url.Values {
	v := url.Values{}
	for _, q := range s.Questions() {
		switch x := a[q.ID].(type) {
		case string:
			v.Set(q.ID, x)
		case float64:
			text := FormatAnswer(lang, x)
			v.Set(q.ID, text)
			if q.Type == Number && !q.Integer && AmbiguousNumber(lang, text) {
				// A stored 2.125 is written 2,125 in Spanish: what was
				// stored needs no asking back (FormAnswers reads it as
				// confirmed while it is unchanged).
				v.Set(NumberConfirmField(q.ID), text)
			}
		case []string:
			if q.Type == Ranking {
				for i, code := range x {
					v.Set(q.ID+"["+code+"]", strconv.Itoa(i+1))
				}
			} else {
				v[q.ID] = append([]string(nil), x...)
			}
		case map[string]string:
			for row, code := range x {
				v.Set(q.ID+"["+row+"]", code)
			}
		}
		if t := a.String(q.ID + OtherSuffix); t != "" {
			v.Set(q.ID+OtherSuffix, t)
		}
		if t := a.String(q.ID + ChangeNoteSuffix); t != "" {
			v.Set(q.ID+ChangeNoteSuffix, t)
		}
	}
	return v
}
