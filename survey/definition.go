package survey

import (
	"regexp"
	"time"
)

// Type is a question type.
type Type string

// The question types. Each is implemented by one kind registered in kinds.
const (
	SingleChoice Type = "single_choice"
	MultiChoice  Type = "multi_choice"
	Likert       Type = "likert"
	Matrix       Type = "matrix"
	Number       Type = "number"
	ShortText    Type = "text"
	LongText     Type = "long_text"
	Email        Type = "email"
	URL          Type = "url"
	Date         Type = "date"
	Country      Type = "country"
	Ranking      Type = "ranking"
)

// Status is where a survey is in its life.
type Status string

// The survey statuses.
const (
	StatusDraft  Status = "draft"
	StatusOpen   Status = "open"
	StatusClosed Status = "closed"
)

// Survey is a survey definition together with its publication state.
// The JSON field names are the definition format's, in YAML and JSON alike.
type Survey struct {
	Slug            string     `json:"slug"`
	Version         int        `json:"version"`
	Status          Status     `json:"status,omitempty"`
	OpensAt         *time.Time `json:"opens_at,omitempty"`
	ClosesAt        *time.Time `json:"closes_at,omitempty"`
	DefaultLanguage string     `json:"default_language"`
	Languages       []string   `json:"languages"`
	Title           Text       `json:"title"`
	Description     Text       `json:"description,omitempty"`
	ThankYou        Text       `json:"thank_you,omitempty"`
	Settings        Settings   `json:"settings"`
	Sections        []*Section `json:"sections"`
	// Report lists the white-paper tables (see report.go).
	Report *Report `json:"report,omitempty"`
	// Benchmark defines the libraries' benchmark reports (see benchmark.go).
	Benchmark *Benchmark `json:"benchmark,omitempty"`
	// Series names the programme the survey is a wave of (e.g. landscape):
	// the surveys of one series share their question ids as variables.
	// Empty: the survey is a series of its own, named by its slug.
	Series string `json:"series,omitempty"`
	// Wave labels the round within its series (e.g. 2026). A series'
	// waves are in the order of their labels; see waves.go.
	Wave string `json:"wave,omitempty"`
}

// Settings are a survey's options.
type Settings struct {
	// PublicCounts allows the embeddable live response counts.
	PublicCounts bool `json:"public_counts,omitempty"`
	// SmallCellThreshold is k: public outputs withhold counts from 1 to k−1
	// and the counts that would let one be worked out (disclosure.Publish).
	SmallCellThreshold int `json:"small_cell_threshold,omitempty"`
	// AllowEditAfterSubmit lets an invited library change its answers until the survey closes.
	AllowEditAfterSubmit bool `json:"allow_edit_after_submit,omitempty"`
}

// Section is a titled group of questions, shown or hidden as a whole.
type Section struct {
	ID          string      `json:"id"`
	Title       Text        `json:"title,omitempty"`
	Description Text        `json:"description,omitempty"`
	ShowIf      *Condition  `json:"show_if,omitempty"`
	Questions   []*Question `json:"questions"`
}

// Question is one question of a survey. Which fields apply depends on Type.
type Question struct {
	ID       string     `json:"id"`
	Type     Type       `json:"type"`
	Label    Text       `json:"label"`
	Help     Text       `json:"help,omitempty"`
	Required bool       `json:"required,omitempty"`
	ShowIf   *Condition `json:"show_if,omitempty"`

	// Options are the choices of single_choice, multi_choice, likert, ranking,
	// and the answer scale of matrix.
	Options []Option `json:"options,omitempty"`
	// Rows are the statements of a matrix.
	Rows []Row `json:"rows,omitempty"`
	// Scale is the numeric range of a likert question's option values.
	Scale *Scale `json:"scale,omitempty"`
	// OptionGroups labels the groups of the options (Option.Group) for
	// reports, by group code: {inferred: {en: Inferred evidence, fr: …}}.
	// When given, every group used by an option needs a label here.
	OptionGroups map[string]Text `json:"option_groups,omitempty"`
	// Recode maps option values that earlier versions offered, and this one
	// no longer does, to the option that now stands for them (old: new).
	// Answers stored under the old value are read as the new one
	// (RecodeAnswers); without it, a version that drops an option still
	// used by stored answers is refused (see docs/survey-definitions.md).
	Recode map[Code]Code `json:"recode,omitempty"`

	Min         *float64 `json:"min,omitempty"`
	Max         *float64 `json:"max,omitempty"`
	Integer     bool     `json:"integer,omitempty"`
	MinSelected int      `json:"min_selected,omitempty"`
	MaxSelected int      `json:"max_selected,omitempty"`
	Pattern     string   `json:"pattern,omitempty"`
	MaxLength   int      `json:"max_length,omitempty"`

	// CarryForward prefills the form behind a library's personal link with
	// its answer to this question in the series' previous wave (see
	// waves.go).
	CarryForward bool `json:"carry_forward,omitempty"`
	// ChangeCheck, on a number question, asks a library whose answer
	// breaks it against its previous wave's answer to explain the change.
	ChangeCheck *ChangeCheck `json:"change_check,omitempty"`

	pattern *regexp.Regexp // compiled by Validate
}

// Option is one choice. Group tags it for reports (e.g. the ISO 16439 method
// family, labelled by the question's OptionGroups); Other asks for "please
// specify" text; Exclusive means it cannot be combined with other choices
// (e.g. "none"). Missing marks a non-substantive answer ("Don't know",
// "Prefer not to say"): it is counted in distributions but left out of
// means, medians, top-two shares, numbers of options chosen and tests.
type Option struct {
	Value     Code   `json:"value"`
	Label     Text   `json:"label"`
	Group     string `json:"group,omitempty"`
	Other     bool   `json:"other,omitempty"`
	Exclusive bool   `json:"exclusive,omitempty"`
	Missing   bool   `json:"missing,omitempty"`
}

// Row is one statement of a matrix question; it may have its own show_if.
type Row struct {
	ID     string     `json:"id"`
	Label  Text       `json:"label"`
	ShowIf *Condition `json:"show_if,omitempty"`
}

// Scale is the numeric range of a likert question.
type Scale struct {
	Min int `json:"min"`
	Max int `json:"max"`
}

// Code is an option value. In definitions it may be written as a string or a
// whole number (likert scales); it is always stored as a string.
type Code string

// Condition is a show_if rule. Exactly one form is used: Question with Equals
// or AnyOf; All; Any; or Not.
type Condition struct {
	Question string      `json:"question,omitempty"`
	Equals   *Code       `json:"equals,omitempty"`
	AnyOf    []Code      `json:"any_of,omitempty"`
	All      []Condition `json:"all,omitempty"`
	Any      []Condition `json:"any,omitempty"`
	Not      *Condition  `json:"not,omitempty"`
}

// OtherSuffix is appended to a question id to name the "please specify" text
// of its "other" option, in answers and in form field names.
const OtherSuffix = "_other"

// Questions returns every question in order.
func (s *Survey) Questions() []*Question {
	var qs []*Question
	for _, sec := range s.Sections {
		qs = append(qs, sec.Questions...)
	}
	return qs
}

// Question returns the question with the given id, or nil.
func (s *Survey) Question(id string) *Question {
	for _, sec := range s.Sections {
		for _, q := range sec.Questions {
			if q.ID == id {
				return q
			}
		}
	}
	return nil
}

// HasLanguage reports whether the survey is offered in lang.
func (s *Survey) HasLanguage(lang string) bool {
	for _, l := range s.Languages {
		if l == lang {
			return true
		}
	}
	return false
}

// AcceptingAt reports whether the survey takes responses at time t: it must be
// open and within its opens/closes times.
func (s *Survey) AcceptingAt(t time.Time) bool {
	if s.Status != StatusOpen {
		return false
	}
	if s.OpensAt != nil && t.Before(*s.OpensAt) {
		return false
	}
	if s.ClosesAt != nil && !t.Before(*s.ClosesAt) {
		return false
	}
	return true
}

// Option returns the option with value v, or nil.
func (q *Question) Option(v string) *Option {
	for i := range q.Options {
		if string(q.Options[i].Value) == v {
			return &q.Options[i]
		}
	}
	return nil
}

// GroupLabel returns the label of an option group: its OptionGroups entry,
// or, when the definition gives none, the code itself in every language.
func (q *Question) GroupLabel(group string) Text {
	if t, ok := q.OptionGroups[group]; ok {
		return t
	}
	return Text{"": group}
}

// HasOther reports whether one of the question's options asks for "please specify" text.
func (q *Question) HasOther() bool {
	for _, o := range q.Options {
		if o.Other {
			return true
		}
	}
	return false
}

// DefaultSmallCellThreshold is k when a survey does not set its own.
const DefaultSmallCellThreshold = 5

// SmallCellK is the survey's small-cell threshold k (settings'
// small_cell_threshold, else DefaultSmallCellThreshold): public outputs
// withhold counts from 1 to k−1, and the counts that would let one be
// worked out (disclosure.Publish).
func (s *Survey) SmallCellK() int {
	if s.Settings.SmallCellThreshold > 0 {
		return s.Settings.SmallCellThreshold
	}
	return DefaultSmallCellThreshold
}
