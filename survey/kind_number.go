package survey

import (
	"encoding/json"
	"math"
	"strconv"
	"strings"
	"unicode"
)

// numberKind is a number, optionally whole, within min/max.
type numberKind struct{}

func (numberKind) fields() []string { return []string{fieldMinMax, fieldInteger, fieldChangeCheck} }

func (numberKind) checkDefinition(v *validator, path string, q *Question) {
	if q.Min != nil && q.Max != nil && *q.Min > *q.Max {
		v.fail(path+".min", "min (%g) is greater than max (%g)", *q.Min, *q.Max)
	}
	v.changeCheck(path+".change_check", q.ChangeCheck)
}

// largestExact is 2^53: beyond it float64 cannot hold every whole number.
const largestExact = 1 << 53

// normalize takes JSON numbers as they are and reads text (a form field, or
// a string in the API) in lang's convention (ParseNumber). On a whole-number
// question, a decimal mark followed by exactly three digits ("2,500" in
// Spanish, "2.500" in English) is asked back rather than read as 2.5: in
// the other convention, the one much of Latin America writes Spanish with,
// it is 2500, and nobody counts volumes or visitors to three decimals.
// On a question that takes decimals such a text is asked back too
// (AmbiguousNumber), with both readings, and so is, in French and
// Spanish, a point followed by three digits ("1.000": 1000 in Spain, 1 in
// Mexico), unless the respondent has sent it again unchanged after being
// asked (ConfirmedNumber): then it is read in lang, as the form's
// language says. A whole-number question reads "1.000" as 1000 there: a
// count has no decimals to doubt.
func (numberKind) normalize(q *Question, raw any, _ Answers, lang string) (any, *message) {
	var f float64
	switch v := raw.(type) {
	case json.Number:
		var err error
		if f, err = strconv.ParseFloat(v.String(), 64); err != nil {
			return nil, msg("want_number")
		}
	case float64:
		f = v
	case int:
		f = float64(v)
	case ConfirmedNumber, string:
		text := answerText(v)
		if strings.TrimFunc(text, unicode.IsSpace) == "" {
			return nil, nil
		}
		r := readLocal(lang, text)
		if !r.ok {
			return nil, numberProblem(lang, text, q.Integer)
		}
		_, confirmed := v.(ConfirmedNumber)
		switch {
		case q.Integer && r.thousandsLike:
			return nil, msg("number_thousands", FormatNumber(lang, r.whole, 0))
		case !q.Integer && ambiguous(lang, r) && !confirmed:
			return nil, ambiguity(lang, text, r)
		}
		f = r.value
	default:
		return nil, msg("want_number")
	}
	if math.IsNaN(f) || math.IsInf(f, 0) || math.Abs(f) > largestExact {
		return nil, msg("want_number")
	}
	if q.Integer && f != math.Trunc(f) {
		return nil, msg("want_integer")
	}
	if q.Min != nil && f < *q.Min {
		return nil, msg("min", formatLimit(lang, *q.Min))
	}
	if q.Max != nil && f > *q.Max {
		return nil, msg("max", formatLimit(lang, *q.Max))
	}
	return f, nil
}

func (numberKind) columns(q *Question) []Column {
	cols := singleColumn(q)
	if q.ChangeCheck != nil {
		cols = append(cols, Column{Key: q.ID + ChangeNoteSuffix, Question: q, ChangeNote: true})
	}
	return cols
}

// answerText is the text of a string or ConfirmedNumber answer.
func answerText(v any) string {
	if c, ok := v.(ConfirmedNumber); ok {
		return string(c)
	}
	return v.(string)
}
