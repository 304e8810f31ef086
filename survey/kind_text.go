package survey

import (
	"net/url"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"
)

// Default length limits for text answers whose question sets no max_length,
// so no answer can grow a response without bound.
const (
	defaultTextLength     = 1000
	defaultLongTextLength = 20000
)

// textKind is text and long_text: free text with an optional pattern and length limit.
type textKind struct{}

func (textKind) fields() []string { return []string{fieldPattern, fieldMaxLength} }

func (textKind) checkDefinition(v *validator, path string, q *Question) {
	if q.MaxLength < 0 {
		v.fail(path+".max_length", "max_length cannot be negative")
	}
	if q.Pattern != "" {
		re, err := regexp.Compile(q.Pattern)
		if err != nil {
			v.fail(path+".pattern", "invalid regular expression: %v", err)
			return
		}
		q.pattern = re
	}
}

func (textKind) normalize(q *Question, raw any, _ Answers, _ string) (any, *message) {
	s, m := cleanText(raw)
	if m != nil || s == "" {
		return nil, m
	}
	limit := q.MaxLength
	if limit == 0 {
		limit = defaultTextLength
		if q.Type == LongText {
			limit = defaultLongTextLength
		}
	}
	if n := utf8.RuneCountInString(s); n > limit {
		return nil, msg("max_length", limit, n)
	}
	if q.pattern != nil && !q.pattern.MatchString(s) {
		return nil, msg("pattern")
	}
	return s, nil
}

func (textKind) columns(q *Question) []Column { return singleColumn(q) }

// cleanText accepts text only, trimmed, refusing what no store or spreadsheet
// should hold: invalid UTF-8 and NUL bytes.
func cleanText(raw any) (string, *message) {
	s, ok := raw.(string)
	if !ok {
		return "", msg("want_text")
	}
	if !utf8.ValidString(s) || strings.ContainsRune(s, 0) {
		return "", msg("bad_text")
	}
	return strings.TrimSpace(s), nil
}

// emailKind is one email address, stored as CheckEmail returns it: bare and lower-cased.
type emailKind struct{}

func (emailKind) fields() []string                              { return nil }
func (emailKind) checkDefinition(*validator, string, *Question) {}

func (emailKind) normalize(_ *Question, raw any, _ Answers, _ string) (any, *message) {
	s, m := cleanText(raw)
	if m != nil || s == "" {
		return nil, m
	}
	addr, err := CheckEmail(s)
	if err != nil {
		return nil, msg("want_email")
	}
	return addr, nil
}

func (emailKind) columns(q *Question) []Column { return singleColumn(q) }

// urlKind is a web address; "www.example.org" is taken as https://www.example.org.
type urlKind struct{}

func (urlKind) fields() []string                              { return nil }
func (urlKind) checkDefinition(*validator, string, *Question) {}

func (urlKind) normalize(_ *Question, raw any, _ Answers, _ string) (any, *message) {
	s, m := cleanText(raw)
	if m != nil || s == "" {
		return nil, m
	}
	if !strings.Contains(s, "://") {
		s = "https://" + s
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || !strings.Contains(u.Hostname(), ".") || strings.ContainsAny(s, " \t\n") || len(s) > 2000 {
		return nil, msg("want_url")
	}
	return u.String(), nil
}

func (urlKind) columns(q *Question) []Column { return singleColumn(q) }

// dateKind is a calendar date written YYYY-MM-DD.
type dateKind struct{}

func (dateKind) fields() []string                              { return nil }
func (dateKind) checkDefinition(*validator, string, *Question) {}

func (dateKind) normalize(_ *Question, raw any, _ Answers, _ string) (any, *message) {
	s, m := cleanText(raw)
	if m != nil || s == "" {
		return nil, m
	}
	if _, err := time.Parse(time.DateOnly, s); err != nil {
		return nil, msg("want_date")
	}
	return s, nil
}

func (dateKind) columns(q *Question) []Column { return singleColumn(q) }

// countryKind is an ISO 3166-1 alpha-2 country code.
type countryKind struct{}

func (countryKind) fields() []string                              { return nil }
func (countryKind) checkDefinition(*validator, string, *Question) {}

func (countryKind) normalize(_ *Question, raw any, _ Answers, _ string) (any, *message) {
	s, m := cleanText(raw)
	if m != nil || s == "" {
		return nil, m
	}
	s = strings.ToUpper(s)
	if _, ok := RegionOf(s); !ok {
		return nil, msg("want_country")
	}
	return s, nil
}

func (countryKind) columns(q *Question) []Column { return singleColumn(q) }
