package survey

import (
	"encoding/json"
	"math"
	"regexp"
	"strconv"
	"strings"
)

// numberKind is a number, optionally whole, within min/max.
type numberKind struct{}

func (numberKind) fields() []string { return []string{fieldMinMax, fieldInteger} }

func (numberKind) checkDefinition(v *validator, path string, q *Question) {
	if q.Min != nil && q.Max != nil && *q.Min > *q.Max {
		v.fail(path+".min", "min (%g) is greater than max (%g)", *q.Min, *q.Max)
	}
}

// groupedDigits matches numbers written with thousands separators: "400,000",
// "1 250 000.5". A lone comma ("3,5") is ambiguous between languages, so it is
// refused with a message rather than guessed.
var groupedDigits = regexp.MustCompile(`^[-+]?\d{1,3}([, ]\d{3})+(\.\d+)?$`)

// largestExact is 2^53: beyond it float64 cannot hold every whole number.
const largestExact = 1 << 53

func (numberKind) normalize(q *Question, raw any, _ Answers) (any, *message) {
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
	case string:
		s := strings.TrimSpace(v)
		if s == "" {
			return nil, nil
		}
		// Spaces people type, including no-break and narrow no-break spaces.
		s = strings.NewReplacer("\u00a0", " ", "\u202f", " ").Replace(s)
		if groupedDigits.MatchString(s) {
			s = strings.NewReplacer(",", "", " ", "").Replace(s)
		}
		var err error
		if f, err = strconv.ParseFloat(s, 64); err != nil || strings.ContainsAny(s, "xXpP_") {
			return nil, msg("want_number")
		}
		if strings.ContainsAny(s, "iInN") { // Inf, NaN
			return nil, msg("want_number")
		}
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
		return nil, msg("min", strconv.FormatFloat(*q.Min, 'f', -1, 64))
	}
	if q.Max != nil && f > *q.Max {
		return nil, msg("max", strconv.FormatFloat(*q.Max, 'f', -1, 64))
	}
	return f, nil
}

func (numberKind) columns(q *Question) []Column { return singleColumn(q) }
