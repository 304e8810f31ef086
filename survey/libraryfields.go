package survey

import (
	"strconv"
	"strings"
)

// LibraryField ties a directory field to the survey question that asks for
// it. The table LibraryFields is the one place that knows the mapping:
// Prefill reads it to fill an invited library's form, ApplyToLibrary to
// carry answers back into the directory, so the two cannot disagree.
type LibraryField struct {
	// Question is the question id a survey uses for the field.
	Question string
	// Field names the directory field, as in exports and LibraryChange.
	Field string
	// value is what the directory knows (a string or a float64), or nil.
	value func(l *Library, c Contact) any
	// apply sets the field from an answer and reports the change; nil for
	// fields the answers never change (the contact's).
	apply func(l *Library, answer any) (from, to string, changed bool)
}

// LibraryFields lists the fields a survey can prefill from the directory,
// in the order changes are reported. Answers never change contacts: a
// contact is a person, and a form is not their consent to be listed.
var LibraryFields = []LibraryField{
	textField("library_name", "name", func(l *Library) *string { return &l.Name }),
	textField("city", "city", func(l *Library) *string { return &l.City }),
	textField("country", "country", func(l *Library) *string { return &l.Country }),
	{Question: "region", Field: "region",
		value: func(l *Library, _ Contact) any { return orNil(string(l.Region)) },
		apply: func(l *Library, answer any) (string, string, bool) {
			s, _ := answer.(string)
			r := Region(s)
			if r == "" || r == l.Region || RegionLabels[r] == nil {
				return "", "", false
			}
			from := l.Region
			// The region is set by hand only when it differs from the country's.
			derived, _ := RegionOf(l.Country)
			l.Region, l.RegionSet = r, r != derived
			return string(from), string(r), true
		}},
	{Question: "org_type", Field: "type",
		value: func(l *Library, _ Contact) any { return orNil(string(l.Type)) },
		apply: func(l *Library, answer any) (string, string, bool) {
			s, _ := answer.(string)
			t := LibraryType(s)
			if t == "" || t == l.Type || LibraryTypeLabels[t] == nil {
				return "", "", false // a type the directory does not know stays out
			}
			from := l.Type
			l.Type = t
			return string(from), string(t), true
		}},
	textField("website", "website", func(l *Library) *string { return &l.Website }),
	countField("population_served", "population_served", func(l *Library) *int { return &l.PopulationServed }),
	countField("service_points_branches", "branches", func(l *Library) *int { return &l.Branches }),
	{Question: "contact_name", Field: "contact_name", value: func(_ *Library, c Contact) any { return orNil(c.Name) }},
	{Question: "contact_role", Field: "contact_role", value: func(_ *Library, c Contact) any { return orNil(c.Role) }},
	{Question: "contact_email", Field: "contact_email", value: func(_ *Library, c Contact) any { return orNil(c.Email) }},
}

func textField(question, field string, ptr func(*Library) *string) LibraryField {
	return LibraryField{Question: question, Field: field,
		value: func(l *Library, _ Contact) any { return orNil(*ptr(l)) },
		apply: func(l *Library, answer any) (string, string, bool) {
			s, _ := answer.(string)
			v, dst := strings.TrimSpace(s), ptr(l)
			if v == "" || v == *dst {
				return "", "", false
			}
			from := *dst
			*dst = v
			return from, v, true
		}}
}

func countField(question, field string, ptr func(*Library) *int) LibraryField {
	return LibraryField{Question: question, Field: field,
		value: func(l *Library, _ Contact) any {
			if n := *ptr(l); n > 0 { // 0 is "unknown" in the directory
				return float64(n)
			}
			return nil
		},
		apply: func(l *Library, answer any) (string, string, bool) {
			f, ok := answer.(float64)
			dst := ptr(l)
			if !ok || f < 0 || int(f) == *dst {
				return "", "", false
			}
			from := *dst
			*dst = int(f)
			return strconv.Itoa(from), strconv.Itoa(*dst), true
		}}
}

func orNil(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// Prefill gives the answers a library's directory entry provides, for the
// questions of the survey that ask for them (LibraryFields). A value the
// survey would not accept (a region code it does not list, say) is left out.
func (s *Survey) Prefill(l *Library, contact Contact) Answers {
	out := Answers{}
	for _, f := range LibraryFields {
		v := f.value(l, contact)
		if v == nil || s.Question(f.Question) == nil {
			continue
		}
		if a, err := s.CheckDraft(map[string]any{f.Question: v}, s.DefaultLanguage); err == nil {
			if got, ok := a[f.Question]; ok {
				out[f.Question] = got
			}
		}
	}
	return out
}

// LibraryChange is one directory field an answer would change.
type LibraryChange struct {
	Field string `json:"field"`
	From  string `json:"from"`
	To    string `json:"to"`
}

// ApplyToLibrary copies what the answers say about the library (the
// questions of LibraryFields that the survey asks) into l, returning the
// fields it changed. Unanswered questions leave the directory as it is;
// so does a type the directory does not know. The caller saves l, and only
// when asked to.
func (s *Survey) ApplyToLibrary(answers Answers, l *Library) []LibraryChange {
	var changes []LibraryChange
	for _, f := range LibraryFields {
		if f.apply == nil || s.Question(f.Question) == nil {
			continue
		}
		answer, ok := answers[f.Question]
		if !ok {
			continue
		}
		if from, to, changed := f.apply(l, answer); changed {
			changes = append(changes, LibraryChange{Field: f.Field, From: from, To: to})
		}
	}
	return changes
}
