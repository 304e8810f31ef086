package survey

import (
	"cmp"
	"math"
	"slices"
	"strings"
	"unicode"
)

// A series is a survey run in rounds, its waves: landscape-2025,
// landscape-2026, … Each wave is a survey of its own (its own slug,
// versions, dates, invitations and responses) whose Series names the
// programme; question ids are the series' variables, so a library's answer
// to "budget" in one wave is compared with its answer to "budget" in the
// next. Waves are ordered by their labels (Wave), compared as Go strings
// after the series: years (2025, 2026) or zero-padded rounds (r01, r02)
// sort as they read. A survey without a label comes before every labelled
// wave of its series, which is what the first round of a series that
// began before waves were labelled is.

// SeriesName is the series s is a wave of: Series, or, for a survey that
// names none, its own slug.
func (s *Survey) SeriesName() string { return cmp.Or(s.Series, s.Slug) }

// CompareWaves orders two waves of one series: by label, then by slug so
// that the order is total.
func CompareWaves(a, b *Survey) int {
	return cmp.Or(strings.Compare(a.Wave, b.Wave), strings.Compare(a.Slug, b.Slug))
}

// WavesOf picks the waves of series from surveys (headers will do) and
// returns them in wave order.
func WavesOf(surveys []*Survey, series string) []*Survey {
	var out []*Survey
	for _, s := range surveys {
		if s.SeriesName() == series {
			out = append(out, s)
		}
	}
	slices.SortFunc(out, CompareWaves)
	return out
}

// WaveBefore returns the wave of s's series just before s among surveys,
// or nil when s is its series' first.
func WaveBefore(surveys []*Survey, s *Survey) *Survey {
	var before *Survey
	for _, w := range WavesOf(surveys, s.SeriesName()) {
		if w.Slug == s.Slug {
			return before
		}
		before = w
	}
	return nil
}

// ReadsPreviousWave reports whether a library's form or submission needs
// its previous-wave answers: some question carries forward or checks
// changes. Without one, nothing of the previous wave is read.
func (s *Survey) ReadsPreviousWave() bool {
	for _, q := range s.Questions() {
		if q.CarryForward || q.ChangeCheck != nil {
			return true
		}
	}
	return false
}

// MaxWaveLabel is the longest wave label, in characters.
const MaxWaveLabel = 40

// ChangeNoteSuffix is appended to a number question's id to name the
// respondent's explanation of a change its ChangeCheck asked about, in
// answers, form fields and export columns.
const ChangeNoteSuffix = "_change_note"

// MaxChangeNote is the longest explanation of a change, in characters.
const MaxChangeNote = 2000

// ChangeCheck is the rule a number question's answer is held to against
// the same library's answer in the previous wave. An answer that breaks
// it is not refused: the form asks for an explanation (ChangeNoteSuffix),
// as the edit checks of national library statistics do. MaxRatio r breaks
// when the new value is more than r times the previous one or less than
// 1/r of it (a value going from zero to non-zero, or back, breaks any
// ratio); MaxDifference d breaks when the two differ by more than d. With
// both, an answer breaks the rule only when it breaks both: a library
// going from 2 to 5 staff breaks a ratio of 2 but not a difference of 10,
// and is not asked.
type ChangeCheck struct {
	MaxRatio      *float64 `json:"max_ratio,omitempty"`
	MaxDifference *float64 `json:"max_difference,omitempty"`
}

// Breaks reports whether going from previous to current breaks the rule.
func (c *ChangeCheck) Breaks(previous, current float64) bool {
	if c == nil || c.MaxRatio == nil && c.MaxDifference == nil {
		return false
	}
	if c.MaxDifference != nil && math.Abs(current-previous) <= *c.MaxDifference {
		return false
	}
	if c.MaxRatio != nil && !ratioBroken(previous, current, *c.MaxRatio) {
		return false
	}
	return true
}

// ratioBroken reports whether current is more than r times previous or
// less than previous/r, compared by magnitude and sign: a change of sign,
// or between zero and non-zero, breaks any ratio.
func ratioBroken(previous, current, r float64) bool {
	if previous == current {
		return false
	}
	if previous == 0 || current == 0 || (previous < 0) != (current < 0) {
		return true
	}
	p, c := math.Abs(previous), math.Abs(current)
	return c > p*r || c < p/r
}

func (v *validator) changeCheck(path string, c *ChangeCheck) {
	if c == nil {
		return
	}
	if c.MaxRatio == nil && c.MaxDifference == nil {
		v.fail(path, "change_check needs max_ratio, max_difference or both")
	}
	if c.MaxRatio != nil && !(*c.MaxRatio > 1) || c.MaxRatio != nil && math.IsInf(*c.MaxRatio, 0) {
		v.fail(path+".max_ratio", "max_ratio must be a number greater than 1 (2 asks about a value more than doubled or less than halved)")
	}
	if c.MaxDifference != nil && (!(*c.MaxDifference > 0) || math.IsInf(*c.MaxDifference, 0)) {
		v.fail(path+".max_difference", "max_difference must be a number greater than 0")
	}
}

// series checks the series name and the wave label.
func (v *validator) series() {
	s := v.s
	if s.Series != "" && !slugPattern.MatchString(s.Series) {
		v.fail("series", "series must be 1–63 lowercase letters, digits or hyphens, got %q", s.Series)
	}
	if n := len([]rune(s.Wave)); n > MaxWaveLabel {
		v.fail("wave", "wave must be at most %d characters, got %d", MaxWaveLabel, n)
	}
	if strings.IndexFunc(s.Wave, func(r rune) bool { return unicode.IsControl(r) }) >= 0 || s.Wave != strings.TrimSpace(s.Wave) {
		v.fail("wave", "wave is a label such as 2026, without control characters or surrounding spaces")
	}
}

// CarriedAnswers are the answers of previous (a library's submitted
// response to the previous wave, read with that wave's definition) that s
// carries forward: those of its carry_forward questions that are still
// valid answers to them (an option no longer offered and not recoded is
// left out, so is a number outside the new limits). Nothing else is
// carried, and never another library's answers: the caller passes the
// same library's response.
func (s *Survey) CarriedAnswers(previous Answers) Answers {
	previous = s.RecodeAnswers(previous)
	out := Answers{}
	for _, q := range s.Questions() {
		v, ok := previous[q.ID]
		if !q.CarryForward || !ok {
			continue
		}
		raw := map[string]any{q.ID: rawAnswer(v)}
		if t := previous.String(q.ID + OtherSuffix); t != "" && q.HasOther() {
			raw[q.ID+OtherSuffix] = t
		}
		a, err := s.CheckDraft(raw, s.DefaultLanguage)
		if err != nil {
			continue
		}
		for k, x := range a {
			out[k] = x
		}
	}
	return out
}

// rawAnswer turns a normalized answer back into what CheckDraft reads
// (lists and row maps of any, numbers as float64).
func rawAnswer(v any) any {
	switch x := v.(type) {
	case []string:
		out := make([]any, len(x))
		for i, s := range x {
			out[i] = s
		}
		return out
	case map[string]string:
		out := make(map[string]any, len(x))
		for k, s := range x {
			out[k] = s
		}
		return out
	}
	return v
}

// CheckChanges holds current (a library's checked answers) to each
// number question's ChangeCheck against previous (the same library's
// previous-wave answers, recoded as CarriedAnswers reads them; nil for an
// anonymous response or a library without one). An answer that breaks its
// rule without an explanation is a FieldError on "qid_change_note"
// (Question), in lang, saying both values. An explanation no check asks
// for (the answer keeps to its rule, or there is nothing to compare) is
// removed from current: only the explanation of a change that needed one
// is stored, listed and exported, and a figure corrected back within its
// rule loses the explanation of the change it no longer makes.
func (s *Survey) CheckChanges(current, previous Answers, lang string) []FieldError {
	var out []FieldError
	for _, q := range s.Questions() {
		if q.ChangeCheck == nil {
			continue
		}
		key := q.ID + ChangeNoteSuffix
		now, ok := current.Number(q.ID)
		before, had := previous.Number(q.ID)
		switch {
		case !ok || !had || !q.ChangeCheck.Breaks(before, now):
			delete(current, key)
		case current.String(key) == "":
			m := msg("change_note_required", FormatAnswer(lang, before), FormatAnswer(lang, now))
			out = append(out, FieldError{Question: key, Message: m.render(lang)})
		}
	}
	return out
}

// checkChangeNote reads the explanation of a change sent with an answer
// to a question that has a ChangeCheck.
func checkChangeNote(raw any) (string, *message) {
	text, m := cleanText(orEmpty(raw))
	switch {
	case m != nil:
		return "", m
	case len([]rune(text)) > MaxChangeNote:
		return "", msg("max_length", MaxChangeNote, len([]rune(text)))
	}
	return text, nil
}

// PreviousText is a previous wave's answer as the form shows it beside the
// question ("Last time: 1,200"), in lang: numbers in lang's convention,
// options by their labels in s (the current wave's), other answers as
// AnswerText writes them. "" when there is none.
func (s *Survey) PreviousText(q *Question, previous Answers, lang string) string {
	if f, ok := previous.Number(q.ID); ok {
		return FormatAnswer(lang, f)
	}
	return strings.ReplaceAll(q.AnswerText(s.RecodeAnswers(previous), lang, s.DefaultLanguage), "\n", "; ")
}
