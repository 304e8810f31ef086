package xlsform

import (
	"strconv"
	"strings"
	"unicode"

	"github.com/metlib/canvass/survey"
)

// relevance translates an XLSForm "relevant" expression into a show_if
// condition. The subset Canvass understands: ${q} = 'v', ${q} != 'v',
// selected(${q}, 'v'), not(…), and, or, parentheses. Anything else is noted
// and the question is always shown.
func (p *parser) relevance(row int, expr string) *survey.Condition {
	if strings.TrimSpace(expr) == "" {
		return nil
	}
	ep := &exprParser{toks: tokenize(expr)}
	c, ok := ep.or()
	if !ok || ep.pos != len(ep.toks) {
		p.note("survey", row, "relevant %q uses a form Canvass cannot translate (it knows = and != against a value, selected(), not(), and, or); the question is always shown", expr)
		return nil
	}
	return c
}

type token struct {
	kind string // "ref", "str", "num", "op", "word", "(", ")", ","
	text string
}

func tokenize(s string) []token {
	var toks []token
	for i := 0; i < len(s); {
		ch := rune(s[i])
		switch {
		case unicode.IsSpace(ch):
			i++
		case strings.HasPrefix(s[i:], "${"):
			end := strings.IndexByte(s[i:], '}')
			if end < 0 {
				return append(toks, token{"bad", s[i:]})
			}
			toks = append(toks, token{"ref", s[i+2 : i+end]})
			i += end + 1
		case ch == '\'' || ch == '"':
			end := strings.IndexByte(s[i+1:], s[i])
			if end < 0 {
				return append(toks, token{"bad", s[i:]})
			}
			toks = append(toks, token{"str", s[i+1 : i+1+end]})
			i += end + 2
		case ch == '(' || ch == ')' || ch == ',':
			toks = append(toks, token{string(ch), string(ch)})
			i++
		case strings.HasPrefix(s[i:], "!=") || strings.HasPrefix(s[i:], ">=") || strings.HasPrefix(s[i:], "<="):
			toks = append(toks, token{"op", s[i : i+2]})
			i += 2
		case ch == '=' || ch == '>' || ch == '<':
			toks = append(toks, token{"op", string(ch)})
			i++
		case ch == '.' && (i+1 == len(s) || !unicode.IsDigit(rune(s[i+1]))):
			toks = append(toks, token{"word", "."})
			i++
		default:
			j := i
			for j < len(s) && (unicode.IsLetter(rune(s[j])) || unicode.IsDigit(rune(s[j])) || s[j] == '-' || s[j] == '_' || s[j] == '.' || s[j] == ':') {
				j++
			}
			if j == i {
				return append(toks, token{"bad", s[i:]})
			}
			word := s[i:j]
			if _, err := strconv.ParseFloat(word, 64); err == nil {
				toks = append(toks, token{"num", word})
			} else {
				toks = append(toks, token{"word", strings.ToLower(word)})
			}
			i = j
		}
	}
	return toks
}

type exprParser struct {
	toks []token
	pos  int
}

func (e *exprParser) peek() token {
	if e.pos < len(e.toks) {
		return e.toks[e.pos]
	}
	return token{}
}

func (e *exprParser) eat(kind, text string) bool {
	t := e.peek()
	if t.kind == kind && (text == "" || t.text == text) {
		e.pos++
		return true
	}
	return false
}

func (e *exprParser) or() (*survey.Condition, bool) {
	left, ok := e.and()
	if !ok {
		return nil, false
	}
	parts := []survey.Condition{*left}
	for e.eat("word", "or") {
		right, ok := e.and()
		if !ok {
			return nil, false
		}
		parts = append(parts, *right)
	}
	if len(parts) == 1 {
		return left, true
	}
	return &survey.Condition{Any: parts}, true
}

func (e *exprParser) and() (*survey.Condition, bool) {
	left, ok := e.unary()
	if !ok {
		return nil, false
	}
	parts := []survey.Condition{*left}
	for e.eat("word", "and") {
		right, ok := e.unary()
		if !ok {
			return nil, false
		}
		parts = append(parts, *right)
	}
	if len(parts) == 1 {
		return left, true
	}
	return &survey.Condition{All: parts}, true
}

func (e *exprParser) unary() (*survey.Condition, bool) {
	switch {
	case e.eat("word", "not"):
		if !e.eat("(", "") {
			return nil, false
		}
		inner, ok := e.or()
		if !ok || !e.eat(")", "") {
			return nil, false
		}
		return &survey.Condition{Not: inner}, true
	case e.eat("word", "selected"):
		if !e.eat("(", "") {
			return nil, false
		}
		ref := e.peek()
		if !e.eat("ref", "") || !e.eat(",", "") {
			return nil, false
		}
		val := e.peek()
		if !e.eat("str", "") && !e.eat("num", "") {
			return nil, false
		}
		if !e.eat(")", "") {
			return nil, false
		}
		v := survey.Code(val.text)
		return &survey.Condition{Question: ref.text, Equals: &v}, true
	case e.eat("(", ""):
		inner, ok := e.or()
		if !ok || !e.eat(")", "") {
			return nil, false
		}
		return inner, true
	}
	ref := e.peek()
	if !e.eat("ref", "") {
		return nil, false
	}
	op := e.peek()
	if !e.eat("op", "=") && !e.eat("op", "!=") {
		return nil, false
	}
	val := e.peek()
	if !e.eat("str", "") && !e.eat("num", "") {
		return nil, false
	}
	v := survey.Code(val.text)
	c := &survey.Condition{Question: ref.text, Equals: &v}
	if op.text == "!=" {
		return &survey.Condition{Not: c}, true
	}
	return c, true
}

// constraint maps the XLSForm constraints Canvass has rules for — bounds
// (". >= 0 and . <= 100"), string-length(.) <= n, regex(., 'p') — onto the
// question, noting the rest.
func (p *parser) constraint(row int, q *survey.Question, expr string) {
	if strings.TrimSpace(expr) == "" {
		return
	}
	before := *q
	fail := func() {
		*q = before // all or nothing: a half-translated constraint would mislead
		p.note("survey", row, "constraint %q on %q cannot be translated and was not imported", expr, q.ID)
	}
	toks := tokenize(expr)
	var parts [][]token
	start := 0
	for i, t := range toks {
		if t.kind == "word" && t.text == "and" {
			parts = append(parts, toks[start:i])
			start = i + 1
		}
	}
	parts = append(parts, toks[start:])
	for _, part := range parts {
		switch {
		case len(part) == 3 && part[0].text == "." && part[1].kind == "op" && part[2].kind == "num" && q.Type == survey.Number:
			n, _ := strconv.ParseFloat(part[2].text, 64)
			switch part[1].text {
			case ">=":
				q.Min = &n
			case "<=":
				q.Max = &n
			case ">":
				if !q.Integer {
					fail()
					return
				}
				n++
				q.Min = &n
			case "<":
				if !q.Integer {
					fail()
					return
				}
				n--
				q.Max = &n
			default:
				fail()
				return
			}
		case len(part) == 6 && part[0].text == "string-length" && part[1].kind == "(" && part[2].text == "." && part[3].kind == ")" &&
			part[4].kind == "op" && (part[4].text == "<=" || part[4].text == "<") && part[5].kind == "num" &&
			(q.Type == survey.ShortText || q.Type == survey.LongText):
			n, err := strconv.Atoi(part[5].text)
			if err != nil || n < 1 {
				fail()
				return
			}
			if part[4].text == "<" {
				n--
			}
			q.MaxLength = n
		case len(part) == 6 && part[0].text == "regex" && part[1].kind == "(" && part[2].text == "." && part[3].kind == "," &&
			part[4].kind == "str" && part[5].kind == ")" && (q.Type == survey.ShortText || q.Type == survey.LongText):
			q.Pattern = part[4].text
		default:
			fail()
			return
		}
	}
}
