package survey

import (
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// choiceKind is single_choice, and likert (a single choice on a numeric scale).
type choiceKind struct{ likert bool }

func (k choiceKind) fields() []string {
	if k.likert {
		return []string{fieldOptions, fieldScale}
	}
	return []string{fieldOptions}
}

func (k choiceKind) checkDefinition(v *validator, path string, q *Question) {
	v.options(path, q, !k.likert)
	if !k.likert {
		return
	}
	if q.Scale != nil && q.Scale.Min >= q.Scale.Max {
		v.fail(path+".scale", "scale min (%d) must be less than max (%d)", q.Scale.Min, q.Scale.Max)
	}
	substantive := 0
	for i, o := range q.Options {
		if o.Missing {
			// "Don't know" is off the scale: its value need not be a number.
			continue
		}
		substantive++
		n, err := strconv.Atoi(string(o.Value))
		if err != nil {
			v.fail(fmt.Sprintf("%s.options[%d].value", path, i), "likert option values must be whole numbers, got %q", o.Value)
			continue
		}
		if q.Scale != nil && (n < q.Scale.Min || n > q.Scale.Max) {
			v.fail(fmt.Sprintf("%s.options[%d].value", path, i), "value %d is outside the scale %d–%d", n, q.Scale.Min, q.Scale.Max)
		}
	}
	if substantive == 0 && len(q.Options) > 0 {
		v.fail(path+".options", "a likert scale needs at least one option that is not missing")
	}
}

func (choiceKind) normalize(q *Question, raw any, _ Answers, _ string) (any, *message) {
	s, ok := scalarCode(raw)
	if !ok {
		return nil, msg("want_one")
	}
	if s == "" {
		return nil, nil
	}
	if q.Option(s) == nil {
		return nil, msg("bad_option", s)
	}
	return s, nil
}

func (choiceKind) columns(q *Question) []Column { return singleColumn(q) }

// multiKind is multi_choice: any number of options, in the definition's order.
type multiKind struct{}

func (multiKind) fields() []string { return []string{fieldOptions, fieldSelected} }

func (multiKind) checkDefinition(v *validator, path string, q *Question) {
	v.options(path, q, true)
	v.selected(path, q)
}

func (multiKind) normalize(q *Question, raw any, _ Answers, _ string) (any, *message) {
	list, ok := codeList(raw)
	if !ok {
		return nil, msg("want_list")
	}
	chosen := map[string]bool{}
	for _, s := range list {
		if q.Option(s) == nil {
			return nil, msg("bad_option", s)
		}
		chosen[s] = true
	}
	if len(chosen) == 0 {
		return nil, nil
	}
	// Canonical order is the definition's, so equal choices compare equal.
	out := make([]string, 0, len(chosen))
	for _, o := range q.Options {
		if chosen[string(o.Value)] {
			out = append(out, string(o.Value))
			if o.Exclusive && len(chosen) > 1 {
				return nil, msg("exclusive_option", o.Label)
			}
		}
	}
	if q.MinSelected > 0 && len(out) < q.MinSelected {
		return nil, msg("min_selected", q.MinSelected)
	}
	if q.MaxSelected > 0 && len(out) > q.MaxSelected {
		return nil, msg("max_selected", q.MaxSelected)
	}
	return out, nil
}

func (multiKind) columns(q *Question) []Column {
	cols := make([]Column, 0, len(q.Options)+1)
	for i := range q.Options {
		o := &q.Options[i]
		cols = append(cols, Column{Key: q.ID + "." + string(o.Value), Question: q, Option: o})
	}
	if q.HasOther() {
		cols = append(cols, Column{Key: q.ID + OtherSuffix, Question: q, OtherText: true})
	}
	return cols
}

// rankingKind orders options: the answer lists them from first to last.
// It accepts a list in rank order (JSON) or a map of option to rank (forms).
type rankingKind struct{}

func (rankingKind) fields() []string { return []string{fieldOptions, fieldSelected} }

func (rankingKind) checkDefinition(v *validator, path string, q *Question) {
	v.options(path, q, false)
	v.selected(path, q)
}

func (rankingKind) normalize(q *Question, raw any, _ Answers, _ string) (any, *message) {
	var list []string
	if m, ok := raw.(map[string]any); ok {
		var err *message
		if list, err = ranksToList(q, m); err != nil {
			return nil, err
		}
	} else {
		var ok bool
		if list, ok = codeList(raw); !ok {
			return nil, msg("want_list")
		}
	}
	seen := map[string]bool{}
	for _, s := range list {
		if q.Option(s) == nil {
			return nil, msg("bad_option", s)
		}
		if seen[s] {
			return nil, msg("duplicate_option")
		}
		seen[s] = true
	}
	if len(list) == 0 {
		return nil, nil
	}
	if q.MinSelected > 0 && len(list) < q.MinSelected {
		return nil, msg("min_selected", q.MinSelected)
	}
	if q.MaxSelected > 0 && len(list) > q.MaxSelected {
		return nil, msg("max_selected", q.MaxSelected)
	}
	return list, nil
}

// ranksToList turns {"option": "2", ...} into the options ordered by rank,
// leaving out options with no rank.
func ranksToList(q *Question, m map[string]any) ([]string, *message) {
	type ranked struct {
		code string
		rank int
	}
	var rs []ranked
	used := map[int]bool{}
	for code, r := range m {
		s, ok := scalarCode(r)
		if !ok {
			return nil, msg("bad_rank", len(q.Options))
		}
		if s == "" {
			continue
		}
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > len(q.Options) {
			return nil, msg("bad_rank", len(q.Options))
		}
		if used[n] {
			return nil, msg("duplicate_rank")
		}
		used[n] = true
		rs = append(rs, ranked{code, n})
	}
	sort.Slice(rs, func(i, j int) bool { return rs[i].rank < rs[j].rank })
	list := make([]string, len(rs))
	for i, r := range rs {
		list[i] = r.code
	}
	return list, nil
}

func (rankingKind) columns(q *Question) []Column {
	cols := make([]Column, 0, len(q.Options))
	for i := range q.Options {
		o := &q.Options[i]
		cols = append(cols, Column{Key: q.ID + "." + string(o.Value), Question: q, Option: o})
	}
	return cols
}

// scalarCode accepts an option code given as text or a whole number.
func scalarCode(raw any) (string, bool) {
	switch v := raw.(type) {
	case string:
		return strings.TrimSpace(v), true
	case json.Number:
		return v.String(), true
	case float64:
		if v == float64(int64(v)) {
			return strconv.FormatInt(int64(v), 10), true
		}
	case int:
		return strconv.Itoa(v), true
	}
	return "", false
}

// codeList accepts a list of codes, or a single code (a form with one box ticked).
func codeList(raw any) ([]string, bool) {
	switch v := raw.(type) {
	case []string:
		raw = anySlice(v)
	case string, json.Number:
		s, _ := scalarCode(v)
		if s == "" {
			return nil, true
		}
		return []string{s}, true
	}
	items, ok := raw.([]any)
	if !ok {
		return nil, false
	}
	out := make([]string, 0, len(items))
	for _, it := range items {
		s, ok := scalarCode(it)
		if !ok {
			return nil, false
		}
		if s != "" {
			out = append(out, s)
		}
	}
	return out, true
}

func anySlice(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}
