package survey

import (
	"strconv"
	"strings"
)

// AnswerText renders a question's answer for people: option labels in lang
// (with the "please specify" text), matrix rows as "row: choice" lines,
// rankings as "1. first" lines. It returns "" when there is no answer.
func (q *Question) AnswerText(a Answers, lang, fallback string) string {
	label := func(code string) string {
		if o := q.Option(code); o != nil {
			if o.Other && a.String(q.ID+OtherSuffix) != "" {
				return o.Label.In(lang, fallback) + ": " + a.String(q.ID+OtherSuffix)
			}
			return o.Label.In(lang, fallback)
		}
		return code
	}
	switch v := a[q.ID].(type) {
	case string:
		if len(q.Options) > 0 {
			return label(v)
		}
		return v
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	case []string:
		parts := make([]string, len(v))
		for i, code := range v {
			parts[i] = label(code)
			if q.Type == Ranking {
				parts[i] = strconv.Itoa(i+1) + ". " + parts[i]
			}
		}
		if q.Type == Ranking {
			return strings.Join(parts, "\n")
		}
		return strings.Join(parts, "; ")
	case map[string]string:
		var lines []string
		for _, r := range q.Rows {
			if code, ok := v[r.ID]; ok {
				lines = append(lines, r.Label.In(lang, fallback)+": "+label(code))
			}
		}
		return strings.Join(lines, "\n")
	}
	return ""
}
