package survey

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"
)

var (
	slugPattern     = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,62}$`)
	idPattern       = regexp.MustCompile(`^[a-z][a-z0-9_]{0,63}$`)
	codePattern     = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)
	languagePattern = regexp.MustCompile(`^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$`)
)

// Validate checks the whole definition and reports every problem at once, as
// the Fields of an EINVALID *Error, each with the path of the offending value.
// It also prepares the survey for use (compiled patterns), so call it before
// checking answers against a survey built in code.
func (s *Survey) Validate() error {
	v := &validator{s: s, seen: map[string]*Question{}}
	v.survey()
	if len(v.problems) > 0 {
		return &Error{Code: EINVALID, Message: fmt.Sprintf("The survey definition has %d problem(s).", len(v.problems)), Fields: v.problems}
	}
	return nil
}

type validator struct {
	s        *Survey
	problems []FieldError
	seen     map[string]*Question // questions defined so far, in order
}

func (v *validator) fail(path, format string, args ...any) {
	v.problems = append(v.problems, FieldError{Path: path, Message: fmt.Sprintf(format, args...)})
}

func (v *validator) survey() {
	s := v.s
	if !slugPattern.MatchString(s.Slug) {
		v.fail("slug", "slug must be 1–63 lowercase letters, digits or hyphens, got %q", s.Slug)
	} else if s.Slug == "libraries" || s.Slug == "libraries.json" {
		// /embed/libraries is the member profiles list.
		v.fail("slug", "slug %q is reserved; choose another", s.Slug)
	}
	if s.Version < 0 {
		v.fail("version", "version must be positive, got %d", s.Version)
	}
	switch s.Status {
	case "", StatusDraft, StatusOpen, StatusClosed:
	default:
		v.fail("status", "status must be draft, open or closed, got %q", s.Status)
	}
	if s.OpensAt != nil && s.ClosesAt != nil && !s.OpensAt.Before(*s.ClosesAt) {
		v.fail("closes_at", "closes_at must be after opens_at")
	}
	if s.DefaultLanguage == "" {
		v.fail("default_language", "default_language is required")
	}
	langs := map[string]bool{}
	for i, l := range s.Languages {
		if !languagePattern.MatchString(l) {
			v.fail(fmt.Sprintf("languages[%d]", i), "%q is not a language code like en or pt-BR", l)
		}
		if langs[l] {
			v.fail(fmt.Sprintf("languages[%d]", i), "language %q is listed twice", l)
		}
		langs[l] = true
	}
	if s.DefaultLanguage != "" && len(s.Languages) > 0 && !langs[s.DefaultLanguage] {
		v.fail("languages", "languages must include the default language %q", s.DefaultLanguage)
	}
	v.text("title", s.Title, true)
	v.text("description", s.Description, false)
	v.text("thank_you", s.ThankYou, false)
	if s.Settings.SmallCellThreshold < 0 {
		v.fail("settings.small_cell_threshold", "small_cell_threshold cannot be negative")
	}
	if len(s.Sections) == 0 {
		v.fail("sections", "a survey needs at least one section with questions")
	}
	sectionIDs := map[string]bool{}
	for i, sec := range s.Sections {
		path := fmt.Sprintf("sections[%d]", i)
		if sec == nil {
			v.fail(path, "section is empty")
			continue
		}
		if !idPattern.MatchString(sec.ID) {
			v.fail(path+".id", "section id must start with a lowercase letter and use only a-z, 0-9 and _, got %q", sec.ID)
		} else if sectionIDs[sec.ID] {
			v.fail(path+".id", "duplicate section id %q", sec.ID)
		}
		sectionIDs[sec.ID] = true
		v.text(path+".title", sec.Title, false)
		v.text(path+".description", sec.Description, false)
		// A section's condition may only look at questions of earlier sections.
		v.condition(path+".show_if", sec.ShowIf)
		if len(sec.Questions) == 0 {
			v.fail(path+".questions", "section %q has no questions", sec.ID)
		}
		for j, q := range sec.Questions {
			v.question(fmt.Sprintf("%s.questions[%d]", path, j), q)
		}
	}
	v.report(s.Report)
	v.benchmark(s.Benchmark)
	v.series()
	// "x_other" names the please-specify text of x, so no question may take it.
	for id, q := range v.seen {
		if base, ok := strings.CutSuffix(id, OtherSuffix); ok {
			if other := v.seen[base]; other != nil && other.HasOther() {
				v.fail(fmt.Sprintf("questions.%s", q.ID), "question id %q is reserved for the other-text of %q", id, base)
			}
		}
		if base, ok := strings.CutSuffix(id, ChangeNoteSuffix); ok {
			if checked := v.seen[base]; checked != nil && checked.ChangeCheck != nil {
				v.fail(fmt.Sprintf("questions.%s", q.ID), "question id %q is reserved for the explanation of a change to %q", id, base)
			}
		}
	}
}

// text checks a language map: known languages only, and the default language present when required.
func (v *validator) text(path string, t Text, required bool) {
	s := v.s
	if required && strings.TrimSpace(t[s.DefaultLanguage]) == "" {
		v.fail(path, "text in the default language %q is required", s.DefaultLanguage)
	}
	for _, l := range sortedKeys(t) {
		if len(s.Languages) > 0 && !s.HasLanguage(l) && l != s.DefaultLanguage {
			v.fail(path+"."+l, "language %q is not one of the survey's languages", l)
		}
	}
}

func (v *validator) question(path string, q *Question) {
	if q == nil {
		v.fail(path, "question is empty")
		return
	}
	if !idPattern.MatchString(q.ID) {
		v.fail(path+".id", "question id must start with a lowercase letter and use only a-z, 0-9 and _, got %q", q.ID)
	} else if v.seen[q.ID] != nil {
		v.fail(path+".id", "duplicate question id %q", q.ID)
	}
	v.text(path+".label", q.Label, true)
	v.text(path+".help", q.Help, false)
	// The condition is checked before the question is added, so it cannot refer to itself.
	v.condition(path+".show_if", q.ShowIf)
	k, ok := kinds[q.Type]
	if !ok {
		v.fail(path+".type", "unknown question type %q; use one of %s", q.Type, strings.Join(typeNames(), ", "))
	} else {
		v.applicable(path, q, k.fields())
		k.checkDefinition(v, path, q)
	}
	if q.ID != "" && v.seen[q.ID] == nil {
		v.seen[q.ID] = q
	}
}

// Field names a question setting, for the "does not apply" check.
const (
	fieldOptions   = "options"
	fieldRows      = "rows"
	fieldScale     = "scale"
	fieldMinMax    = "min/max"
	fieldInteger   = "integer"
	fieldSelected  = "min_selected/max_selected"
	fieldPattern   = "pattern"
	fieldMaxLength = "max_length"
	// fieldChangeCheck is the rule against the previous wave's answer.
	fieldChangeCheck = "change_check"
	// fieldOptionGroups applies wherever options do.
	fieldOptionGroups = "option_groups"
)

// applicable reports settings that the question's type does not use, so a
// misplaced rule is never silently ignored.
func (v *validator) applicable(path string, q *Question, used []string) {
	set := map[string]bool{
		fieldOptions:      len(q.Options) > 0 || len(q.Recode) > 0, // recode maps former options
		fieldRows:         len(q.Rows) > 0,
		fieldScale:        q.Scale != nil,
		fieldMinMax:       q.Min != nil || q.Max != nil,
		fieldInteger:      q.Integer,
		fieldSelected:     q.MinSelected != 0 || q.MaxSelected != 0,
		fieldPattern:      q.Pattern != "",
		fieldMaxLength:    q.MaxLength != 0,
		fieldOptionGroups: len(q.OptionGroups) > 0,
		fieldChangeCheck:  q.ChangeCheck != nil,
	}
	for _, u := range used {
		delete(set, u)
		if u == fieldOptions {
			delete(set, fieldOptionGroups)
		}
	}
	for _, name := range sortedKeys(set) {
		if set[name] {
			v.fail(path, "%s does not apply to %s questions", name, q.Type)
		}
	}
}

// options checks a list of options (or a matrix's answer scale).
func (v *validator) options(path string, q *Question, allowOther bool) {
	if len(q.Options) == 0 {
		v.fail(path+".options", "%s question %q needs at least one option", q.Type, q.ID)
		return
	}
	seen := map[Code]bool{}
	others := 0
	for i, o := range q.Options {
		p := fmt.Sprintf("%s.options[%d]", path, i)
		if !codePattern.MatchString(string(o.Value)) {
			v.fail(p+".value", "option value must be 1–64 letters, digits, _ or -, got %q", o.Value)
		} else if seen[o.Value] {
			v.fail(p+".value", "duplicate option value %q", o.Value)
		}
		seen[o.Value] = true
		v.text(p+".label", o.Label, true)
		if o.Other {
			others++
			if !allowOther {
				v.fail(p+".other", "\"other, please specify\" is only for single_choice and multi_choice questions")
			}
		}
		if o.Exclusive && q.Type != MultiChoice {
			v.fail(p+".exclusive", "exclusive applies only to multi_choice options")
		}
		if o.Missing {
			switch {
			case q.Type == Ranking:
				v.fail(p+".missing", "missing (a non-substantive answer) does not apply to ranking options")
			case o.Other:
				v.fail(p+".missing", "an \"other, please specify\" option is a substantive answer and cannot be missing")
			}
		}
		if o.Group != "" && len(q.OptionGroups) > 0 && q.OptionGroups[o.Group] == nil {
			v.fail(p+".group", "group %q has no label in option_groups", o.Group)
		}
	}
	if others > 1 {
		v.fail(path+".options", "only one option may be \"other, please specify\"")
	}
	for _, g := range sortedKeys(q.OptionGroups) {
		used := false
		for _, o := range q.Options {
			used = used || o.Group == g
		}
		if !used {
			v.fail(path+".option_groups."+g, "no option is in group %q", g)
		}
		v.text(path+".option_groups."+g, q.OptionGroups[g], true)
	}
	for _, from := range sortedKeys(q.Recode) {
		to, p := q.Recode[from], path+".recode."+string(from)
		switch {
		case !codePattern.MatchString(string(from)):
			v.fail(p, "recode maps former option values, which are 1–64 letters, digits, _ or -, got %q", from)
		case seen[from]:
			v.fail(p, "%q is still an option of this question; recode maps only values it no longer offers", from)
		case !seen[to]:
			v.fail(p, "recode maps %q to %q, which is not an option of this question", from, to)
		}
	}
}

func (v *validator) selected(path string, q *Question) {
	if q.MinSelected < 0 || q.MaxSelected < 0 {
		v.fail(path, "min_selected and max_selected cannot be negative")
	}
	if q.MaxSelected > 0 && q.MinSelected > q.MaxSelected {
		v.fail(path+".min_selected", "min_selected (%d) is greater than max_selected (%d)", q.MinSelected, q.MaxSelected)
	}
	if len(q.Options) > 0 && q.MinSelected > len(q.Options) {
		v.fail(path+".min_selected", "min_selected (%d) is more than the %d options", q.MinSelected, len(q.Options))
	}
}

// condition checks a show_if rule; it may only refer to questions defined earlier.
func (v *validator) condition(path string, c *Condition) {
	if c == nil {
		return
	}
	forms := 0
	if c.Question != "" || c.Equals != nil || c.AnyOf != nil {
		forms++
	}
	for _, used := range []bool{c.All != nil, c.Any != nil, c.Not != nil} {
		if used {
			forms++
		}
	}
	if forms != 1 {
		v.fail(path, "a condition needs exactly one of: question with equals or any_of; all; any; not")
		return
	}
	switch {
	case c.All != nil || c.Any != nil:
		list, name := c.All, "all"
		if c.Any != nil {
			list, name = c.Any, "any"
		}
		if len(list) == 0 {
			v.fail(path+"."+name, "%s needs at least one condition", name)
		}
		for i := range list {
			v.condition(fmt.Sprintf("%s.%s[%d]", path, name, i), &list[i])
		}
		return
	case c.Not != nil:
		v.condition(path+".not", c.Not)
		return
	}
	if (c.Equals == nil) == (c.AnyOf == nil) {
		v.fail(path, "a condition on question %q needs exactly one of equals or any_of", c.Question)
	}
	if c.AnyOf != nil && len(c.AnyOf) == 0 {
		v.fail(path+".any_of", "any_of needs at least one value")
	}
	ref := v.seen[c.Question]
	if ref == nil {
		if v.s.Question(c.Question) != nil {
			v.fail(path+".question", "show_if may only refer to an earlier question, and %q comes later", c.Question)
		} else {
			v.fail(path+".question", "show_if refers to unknown question %q", c.Question)
		}
		return
	}
	switch ref.Type {
	case Matrix, Ranking:
		v.fail(path+".question", "show_if cannot test %s question %q", ref.Type, ref.ID)
		return
	}
	values := c.AnyOf
	if c.Equals != nil {
		values = []Code{*c.Equals}
	}
	if len(ref.Options) > 0 {
		for _, val := range values {
			if ref.Option(string(val)) == nil {
				v.fail(path, "%q is not an option of question %q", val, ref.ID)
			}
		}
	}
}

func typeNames() []string {
	names := make([]string, 0, len(kinds))
	for t := range kinds {
		names = append(names, string(t))
	}
	sort.Strings(names)
	return names
}

func sortedKeys[K ~string, V any](m map[K]V) []K {
	keys := make([]K, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
