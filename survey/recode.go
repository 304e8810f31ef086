package survey

import "fmt"

// OptionUse is one option value an answer uses, for a question with options.
type OptionUse struct {
	Question string
	Value    Code
}

// optionValues lists the option values an answer to q uses: the choice, the
// choices, the ranked options, or a matrix's answers row by row.
func optionValues(q *Question, answer any) []Code {
	switch v := answer.(type) {
	case string:
		return []Code{Code(v)}
	case []string:
		out := make([]Code, len(v))
		for i, x := range v {
			out[i] = Code(x)
		}
		return out
	case map[string]string:
		if q.Type != Matrix {
			return nil
		}
		out := make([]Code, 0, len(v))
		for _, row := range sortedKeys(v) {
			out = append(out, Code(v[row]))
		}
		return out
	}
	return nil
}

// hasOptions reports whether a question's answers are option values.
func hasOptions(q *Question) bool {
	switch q.Type {
	case SingleChoice, MultiChoice, Likert, Ranking, Matrix:
		return true
	}
	return false
}

// UnmappedOptions lists the option values used in a (answers stored under
// any version) that s neither offers nor recodes, question by question in
// s's order, each value once. Questions s no longer has are not its
// concern; nor are answers that are not option values.
func (s *Survey) UnmappedOptions(a Answers) []OptionUse {
	var out []OptionUse
	for _, q := range s.Questions() {
		if !hasOptions(q) {
			continue
		}
		seen := map[Code]bool{}
		for _, v := range optionValues(q, a[q.ID]) {
			if seen[v] || q.Option(string(v)) != nil {
				continue
			}
			seen[v] = true
			if _, ok := q.Recode[v]; !ok {
				out = append(out, OptionUse{Question: q.ID, Value: v})
			}
		}
	}
	return out
}

// questionPath is where a question sits in the definition, as Validate
// names it ("sections[1].questions[3]").
func (s *Survey) questionPath(id string) string {
	for i, sec := range s.Sections {
		for j, q := range sec.Questions {
			if q.ID == id {
				return fmt.Sprintf("sections[%d].questions[%d]", i, j)
			}
		}
	}
	return "questions." + id
}

// DroppedOptionsError is the refusal of a definition that drops options
// still used by stored answers: one field per option, at the question's
// path, naming the option and how many stored responses use it. uses maps
// each option to that count; it returns nil when uses is empty.
func (s *Survey) DroppedOptionsError(uses map[OptionUse]int) error {
	if len(uses) == 0 {
		return nil
	}
	var fields []FieldError
	for _, q := range s.Questions() {
		var values []Code
		for u := range uses {
			if u.Question == q.ID {
				values = append(values, u.Value)
			}
		}
		for _, v := range sortedCodes(values) {
			n := uses[OptionUse{q.ID, v}]
			noun := "responses use"
			if n == 1 {
				noun = "response uses"
			}
			fields = append(fields, FieldError{Path: s.questionPath(q.ID) + ".options", Message: fmt.Sprintf(
				"option %q of question %q is no longer offered, but %d stored %s it: keep the option, or map it to one that is (recode: {%s: NEW_VALUE})",
				v, q.ID, n, noun, v)})
		}
	}
	return &Error{Code: EINVALID, Message: fmt.Sprintf("This version drops %d option(s) that stored responses use.", len(fields)), Fields: fields}
}

func sortedCodes(cs []Code) []Code {
	m := make(map[Code]bool, len(cs))
	for _, c := range cs {
		m[c] = true
	}
	return sortedKeys(m)
}

// RecodeAnswers returns a with the values s recodes replaced by the options
// that now stand for them, so answers to an earlier version read as answers
// to this one. A list answer keeps its order and names each option once (a
// former option recoded to one also chosen counts once). a itself is not
// changed; without any recode it is returned as it is.
func (s *Survey) RecodeAnswers(a Answers) Answers {
	out, _ := s.recodeAnswers(a)
	return out
}

// recodeAnswers is RecodeAnswers, and whether anything was recoded.
func (s *Survey) recodeAnswers(a Answers) (Answers, bool) {
	var out Answers
	for _, q := range s.Questions() {
		if len(q.Recode) == 0 || a[q.ID] == nil {
			continue
		}
		v, changed := recode(q, a[q.ID])
		if !changed {
			continue
		}
		if out == nil {
			out = make(Answers, len(a))
			for k, x := range a {
				out[k] = x
			}
		}
		out[q.ID] = v
	}
	if out == nil {
		return a, false
	}
	return out, true
}

func recode(q *Question, answer any) (any, bool) {
	to := func(v string) (string, bool) {
		if n, ok := q.Recode[Code(v)]; ok {
			return string(n), true
		}
		return v, false
	}
	switch v := answer.(type) {
	case string:
		n, ok := to(v)
		return n, ok
	case []string:
		out, seen, changed := make([]string, 0, len(v)), map[string]bool{}, false
		for _, x := range v {
			n, ok := to(x)
			changed = changed || ok
			if !seen[n] {
				seen[n] = true
				out = append(out, n)
			}
		}
		return out, changed
	case map[string]string:
		if q.Type != Matrix {
			return v, false
		}
		out, changed := make(map[string]string, len(v)), false
		for row, x := range v {
			n, ok := to(x)
			changed = changed || ok
			out[row] = n
		}
		return out, changed
	}
	return answer, false
}

// RecodeResponses streams rs with each response's answers read through
// RecodeAnswers: what analysis and exports against the current definition
// read, so answers to earlier versions count under today's options. The
// responses themselves are not changed (a recoded response is a copy).
func (s *Survey) RecodeResponses(rs Responses) Responses {
	return func(yield func(*Response, error) bool) {
		for r, err := range rs {
			if err == nil {
				if a, changed := s.recodeAnswers(r.Answers); changed {
					c := *r
					c.Answers = a
					r = &c
				}
			}
			if !yield(r, err) {
				return
			}
		}
	}
}

// RecodeThrough streams rs, responses to waves[0], read through the recodes
// of every wave in waves in turn (wave order, waves[0] first): so an option
// renamed in a middle wave and again later reads as the last wave's, as
// the trends and the series exports read the waves of a series.
func RecodeThrough(waves []*Survey, rs Responses) Responses {
	for _, w := range waves {
		rs = w.RecodeResponses(rs)
	}
	return rs
}

// RecodeCodeThrough is an option code of question id read through the
// recodes of every wave in waves in turn, as RecodeThrough reads answers.
func RecodeCodeThrough(waves []*Survey, id string, c Code) Code {
	for _, w := range waves {
		if q := w.Question(id); q != nil {
			if to, ok := q.Recode[c]; ok {
				c = to
			}
		}
	}
	return c
}
