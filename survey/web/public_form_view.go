package web

import (
	"encoding/json"
	"fmt"
	"net/url"
	"sort"
	"strconv"
	"sync"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"
	"golang.org/x/text/language/display"

	"github.com/metlib/canvass/campaign"
	"github.com/metlib/canvass/survey"
)

// formPage is the respondent form.
type formPage struct {
	page
	Slug         string
	Description  string
	Action       string
	CSRFToken    string
	SubmissionID string
	Notice       string // a page-level message (expired session, store down)
	Preview      bool   // shown to the working group: nothing can be submitted
	Token        string // a personal invitation link's token: the form can be saved and resumed
	DraftKey     string // names form.js's copy of unsent answers: per personal link, or the open form's
	// Revision is the revision of the response a personal link's form was
	// opened on ("0": none yet; "" on the open form), posted back so that
	// a change made meanwhile elsewhere is not replaced unseen.
	Revision string
	// StoredAt is when the answers a personal link's form opens with were
	// stored (Unix milliseconds), 0 on every other page: form.js restores
	// its copy over them only when the copy was saved later.
	StoredAt int64
	Errors   []errorLink
	Sections []sectionView
}

type errorLink struct {
	Anchor, Label, Message string
}

type sectionView struct {
	ID, Title, Description string
	ShowIf                 string // JSON, for form.js
	Questions              []questionView
}

type questionView struct {
	ID, Type, Label, Help, Error string
	Required                     bool
	ShowIf                       string
	Input                        string // the <input> type for one-line answers
	InputMode                    string
	Value                        string // the typed or chosen value, as the respondent gave it
	OtherValue                   string
	MaxLength                    int
	Options                      []optionView
	Rows                         []rowView
	Ranks                        []int
	Described                    string // aria-describedby
	// Previous is the library's answer in the series' previous wave, as
	// the form shows it ("Your answer in 2025: 1,200"), behind a personal
	// link for the questions that carry forward or check changes.
	Previous string
	// Note shows the box for the explanation a change check asks for
	// (ChangeNoteSuffix): when it was asked for (NoteError) or given.
	Note                 bool
	NoteValue, NoteError string
	// ConfirmName and Confirm are the hidden field that keeps a number
	// asked back (survey.AmbiguousNumber): sent again with the answer
	// unchanged, it is the respondent's choice of the form language's
	// reading. Empty when nothing was asked.
	ConfirmName, Confirm string
}

type optionView struct {
	Value, Label, Group, Region string
	Checked, Other, Exclusive   bool
	Rank                        int
}

type rowView struct {
	ID, Label, ShowIf string
	Options           []optionView
}

// buildForm renders a survey's questions with the respondent's values (the
// raw form values, so a re-rendered form shows exactly what was typed),
// the per-question errors and, behind a personal link, the library's
// previous-wave answers (nil: none).
func buildForm(s *survey.Survey, lang string, values url.Values, fields []survey.FieldError, previous *campaign.Previous) ([]sectionView, []errorLink) {
	errs := map[string]string{}
	for _, f := range fields {
		if _, seen := errs[f.Question]; !seen {
			errs[f.Question] = f.Message
		}
	}
	text := func(t survey.Text) string { return t.In(lang, s.DefaultLanguage) }
	var links []errorLink
	sections := make([]sectionView, 0, len(s.Sections))
	for _, sec := range s.Sections {
		sv := sectionView{ID: sec.ID, Title: text(sec.Title), Description: text(sec.Description), ShowIf: conditionJSON(sec.ShowIf)}
		for _, q := range sec.Questions {
			qv := questionView{
				ID: q.ID, Type: string(q.Type), Label: text(q.Label), Help: text(q.Help),
				Required: q.Required, ShowIf: conditionJSON(q.ShowIf), MaxLength: q.MaxLength,
				Value: values.Get(q.ID), OtherValue: values.Get(q.ID + survey.OtherSuffix),
			}
			qv.Error = errs[q.ID]
			if qv.Error == "" {
				qv.Error = errs[q.ID+survey.OtherSuffix]
			}
			if qv.Error != "" {
				links = append(links, errorLink{Anchor: "q-" + q.ID, Label: qv.Label, Message: qv.Error})
			}
			if previous != nil && (q.CarryForward || q.ChangeCheck != nil) {
				if text := s.PreviousText(q, previous.Answers, lang); text != "" {
					// "Your answer in 2025: …", or, for a wave without a
					// label, "Your answer last time: …".
					qv.Previous = fmt.Sprintf(ui(lang, "previous_answer_last"), text)
					if previous.Wave.Wave != "" {
						qv.Previous = fmt.Sprintf(ui(lang, "previous_answer"), previous.Wave.Wave, text)
					}
				}
			}
			if q.ChangeCheck != nil {
				note := q.ID + survey.ChangeNoteSuffix
				qv.NoteValue, qv.NoteError = values.Get(note), errs[note]
				qv.Note = qv.NoteValue != "" || qv.NoteError != ""
				if qv.NoteError != "" {
					links = append(links, errorLink{Anchor: note, Label: qv.Label, Message: qv.NoteError})
				}
			}
			fillInputs(&qv, s, q, lang, values)
			qv.Described = described(qv)
			sv.Questions = append(sv.Questions, qv)
		}
		sections = append(sections, sv)
	}
	return sections, links
}

func fillInputs(qv *questionView, s *survey.Survey, q *survey.Question, lang string, values url.Values) {
	text := func(t survey.Text) string { return t.In(lang, s.DefaultLanguage) }
	chosen := map[string]bool{}
	for _, v := range values[q.ID] {
		chosen[v] = true
	}
	options := func(checked func(string) bool) []optionView {
		out := make([]optionView, len(q.Options))
		for i, o := range q.Options {
			out[i] = optionView{Value: string(o.Value), Label: text(o.Label), Group: o.Group, Other: o.Other, Exclusive: o.Exclusive, Checked: checked(string(o.Value))}
		}
		return out
	}
	switch q.Type {
	case survey.SingleChoice, survey.Likert, survey.MultiChoice:
		qv.Options = options(func(v string) bool { return chosen[v] })
	case survey.Matrix:
		for _, r := range q.Rows {
			picked := values.Get(q.ID + "[" + r.ID + "]")
			qv.Rows = append(qv.Rows, rowView{ID: r.ID, Label: text(r.Label), ShowIf: conditionJSON(r.ShowIf),
				Options: options(func(v string) bool { return v == picked })})
		}
	case survey.Ranking:
		qv.Options = options(func(string) bool { return false })
		for i := range qv.Options {
			qv.Options[i].Rank, _ = strconv.Atoi(values.Get(q.ID + "[" + qv.Options[i].Value + "]"))
		}
		for i := 1; i <= len(q.Options); i++ {
			qv.Ranks = append(qv.Ranks, i)
		}
	case survey.Country:
		qv.Options = countryOptions(lang, qv.Value)
	case survey.Number:
		qv.Input, qv.InputMode = "text", "decimal"
		// Carried while the text is the one asked about: asked now (the
		// error shown is then the ask-back, checked before the limits),
		// or confirmed before (a stored answer, or a form sent back for
		// another question's error). A changed text drops it, so a new
		// ambiguous text is asked about in its turn.
		confirmed := qv.Value != "" && values.Get(survey.NumberConfirmField(q.ID)) == qv.Value
		asked := qv.Error != "" && survey.AmbiguousNumber(lang, qv.Value)
		if !q.Integer && (confirmed || asked) {
			qv.ConfirmName, qv.Confirm = survey.NumberConfirmField(q.ID), qv.Value
		}
	case survey.Email:
		qv.Input, qv.InputMode = "email", "email"
	case survey.URL:
		qv.Input, qv.InputMode = "url", "url"
	case survey.Date:
		qv.Input = "date"
	case survey.ShortText:
		qv.Input = "text"
	}
}

func described(qv questionView) string {
	ids := ""
	if qv.Help != "" {
		ids = "help-" + qv.ID
	}
	if qv.Previous != "" {
		if ids != "" {
			ids += " "
		}
		ids += "prev-" + qv.ID
	}
	if qv.Error != "" {
		if ids != "" {
			ids += " "
		}
		ids += "err-" + qv.ID
	}
	return ids
}

func conditionJSON(c *survey.Condition) string {
	if c == nil {
		return ""
	}
	b, err := json.Marshal(c)
	if err != nil {
		return ""
	}
	return string(b)
}

// countryOptions lists every country by its name in lang, sorted the way
// that language sorts, each tagged with its IFLA region for form.js.
func countryOptions(lang, selected string) []optionView {
	sorted, ok := countryCache.Load(lang)
	if !ok {
		sorted, _ = countryCache.LoadOrStore(lang, sortedCountries(lang))
	}
	opts := append([]optionView(nil), sorted.([]optionView)...)
	for i := range opts {
		opts[i].Checked = opts[i].Value == selected
	}
	return opts
}

// countryCache holds each language's sorted country list: naming and
// collating 249 countries is worth doing once.
var countryCache sync.Map

func sortedCountries(lang string) []optionView {
	tag := language.Make(lang)
	namer := display.Regions(tag)
	opts := make([]optionView, 0, 250)
	for _, code := range survey.Countries() {
		name := code
		if r, err := language.ParseRegion(code); err == nil && namer != nil {
			if n := namer.Name(r); n != "" {
				name = n
			}
		}
		region, _ := survey.RegionOf(code)
		opts = append(opts, optionView{Value: code, Label: name, Region: string(region)})
	}
	col := collate.New(tag)
	sort.SliceStable(opts, func(i, j int) bool { return col.CompareString(opts[i].Label, opts[j].Label) < 0 })
	return opts
}
