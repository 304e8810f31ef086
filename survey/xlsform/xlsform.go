// Package xlsform imports survey definitions written as XLSForms: .xlsx
// workbooks with "survey", "choices" and "settings" sheets, the format of
// ODK, KoboToolbox and SurveyCTO. What maps onto Canvass is imported; what
// does not is listed in the returned notes, never silently dropped.
package xlsform

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/metlib/canvass/internal/workbook"
	"github.com/metlib/canvass/survey"
)

// Note is something in the workbook that was not imported as written.
type Note struct {
	Sheet   string `json:"sheet"`
	Row     int    `json:"row,omitempty"` // 1-based, as the spreadsheet shows it
	Message string `json:"message"`
}

// String formats a note as "survey sheet, row 12: message", the way
// problems are placed (survey.FieldError.Where).
func (n Note) String() string {
	if n.Row > 0 {
		return fmt.Sprintf("%s sheet, row %d: %s", n.Sheet, n.Row, n.Message)
	}
	return fmt.Sprintf("%s sheet: %s", n.Sheet, n.Message)
}

// Parse reads an XLSForm workbook and returns the survey it defines, already
// validated, with notes about everything that could not be mapped. A
// workbook that is not an XLSForm, or a survey that does not validate, is an
// error (EMALFORMED or EINVALID with every problem).
//
// A workbook beyond the limits below (or one that unpacks beyond
// workbook.UnzipSizeLimit) is ETOOLARGE, naming the limit.
func Parse(data []byte) (*survey.Survey, []Note, error) {
	f, err := workbook.Open(data)
	if err != nil {
		if survey.ErrorCode(err) == survey.ETOOLARGE {
			return nil, nil, err
		}
		return nil, nil, &survey.Error{Code: survey.EMALFORMED, Message: "The file is not an .xlsx workbook.", Err: err}
	}
	defer f.Close()
	p := &parser{f: f, choices: map[string][]choice{}}
	if err := p.readSheets(); err != nil {
		return nil, p.notes, err
	}
	s := p.build()
	if n := len(s.Questions()); n > MaxQuestions {
		return nil, p.notes, survey.Errorf(survey.ETOOLARGE, "The form has %d questions; a survey may have at most %d.", n, MaxQuestions)
	}
	if err := s.Validate(); err != nil {
		return nil, p.notes, p.locate(err)
	}
	return s, p.notes, nil
}

// Import limits. The longest questionnaires the section has run have under
// 200 questions; each choice list row and each language column is a row or
// column here, so the sheet caps are generous multiples of that.
const (
	MaxQuestions = 1000
	MaxRows      = 10000 // per sheet, header included
	MaxColumns   = 200   // the rightmost column a cell may be in (GR)
	MaxCellChars = 4000  // one cell: a label or hint, a constraint
	// MaxSheetText caps the text of each sheet read, so a form's
	// stored definition stays far below MongoDB's 16 MiB document limit
	// (before it, a big form was a 500 "document too large").
	MaxSheetText = 3 << 20
)

type table struct {
	name   string
	header []string // lower-cased, trimmed
	rows   [][]string
}

// get returns the cell of row r in the column named col ("" when absent).
func (t *table) get(r []string, col string) string {
	for i, h := range t.header {
		if h == col && i < len(r) {
			return strings.TrimSpace(r[i])
		}
	}
	return ""
}

// texts returns the language → text map of the columns "col" and
// "col::Language (code)".
func (t *table) texts(r []string, col, defaultLang string) survey.Text {
	out := survey.Text{}
	for i, h := range t.header {
		if i >= len(r) || strings.TrimSpace(r[i]) == "" {
			continue
		}
		if h == col {
			out[defaultLang] = strings.TrimSpace(r[i])
		} else if lang, ok := strings.CutPrefix(h, col+"::"); ok {
			if code := languageCode(lang); code != "" {
				out[code] = strings.TrimSpace(r[i])
			}
		}
	}
	return out
}

type choice struct {
	value string
	label survey.Text
	row   int
}

type parser struct {
	f        *excelize.File
	survey   *table
	choiceT  *table
	settings map[string]string
	choices  map[string][]choice
	notes    []Note
	lang     string
	langs    []string
	// places and optionRows say where each part of the definition came
	// from, for naming problems by sheet and row (places.go).
	places     map[string]place
	optionRows map[*survey.Question][]int
}

func (p *parser) note(sheet string, row int, format string, args ...any) {
	p.notes = append(p.notes, Note{Sheet: sheet, Row: row, Message: fmt.Sprintf(format, args...)})
}

func (p *parser) sheet(want string) (*table, error) {
	for _, name := range p.f.GetSheetList() {
		if strings.EqualFold(strings.TrimSpace(name), want) {
			rows, err := workbook.ReadRows(p.f, name, workbook.Limits{MaxRows: MaxRows, MaxColumns: MaxColumns, MaxCellChars: MaxCellChars, MaxTextBytes: MaxSheetText})
			if err != nil {
				return nil, err
			}
			t := &table{name: want}
			if len(rows) > 0 {
				for _, h := range rows[0] {
					t.header = append(t.header, strings.ToLower(strings.TrimSpace(h)))
				}
				t.rows = rows[1:]
			}
			return t, nil
		}
	}
	return nil, nil
}

// knownLanguages maps the language names XLSForms use to codes.
var knownLanguages = map[string]string{
	"english": "en", "french": "fr", "français": "fr", "francais": "fr", "spanish": "es", "español": "es", "espanol": "es",
	"arabic": "ar", "chinese": "zh", "german": "de", "deutsch": "de", "russian": "ru", "portuguese": "pt", "português": "pt",
	"italian": "it", "dutch": "nl",
}

var (
	codeInParens = regexp.MustCompile(`\(([a-z]{2,3}(-[a-z0-9]{2,8})?)\)\s*$`)
	bareCode     = regexp.MustCompile(`^[a-z]{2,3}(-[a-z0-9]{2,8})?$`)
)

// languageCode reads "English (en)", "en" or "English" (lower-cased).
func languageCode(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	if m := codeInParens.FindStringSubmatch(s); m != nil {
		return m[1]
	}
	if bareCode.MatchString(s) {
		return s
	}
	return knownLanguages[s]
}

func (p *parser) readSheets() error {
	var err error
	if p.survey, err = p.sheet("survey"); survey.ErrorCode(err) == survey.ETOOLARGE {
		return err
	}
	if err != nil || p.survey == nil || len(p.survey.header) == 0 {
		return survey.Errorf(survey.EMALFORMED, "The workbook has no \"survey\" sheet with a header row, so it is not an XLSForm.")
	}
	for _, col := range []string{"type", "name"} {
		if !contains(p.survey.header, col) {
			return survey.Errorf(survey.EMALFORMED, "The \"survey\" sheet has no %q column.", col)
		}
	}
	if p.choiceT, err = p.sheet("choices"); err != nil {
		return err
	}
	settings, err := p.sheet("settings")
	if err != nil {
		return err
	}
	p.settings = map[string]string{}
	if settings != nil && len(settings.rows) > 0 {
		for i, h := range settings.header {
			if i < len(settings.rows[0]) {
				p.settings[h] = strings.TrimSpace(settings.rows[0][i])
			}
		}
	}
	p.lang = "en"
	if dl := p.settings["default_language"]; dl != "" {
		if code := languageCode(dl); code != "" {
			p.lang = code
		} else {
			p.note("settings", 2, "default_language %q is not a language Canvass recognises; using en", dl)
		}
	}
	p.langs = []string{p.lang}
	seen := map[string]bool{p.lang: true}
	tables := []*table{p.survey, p.choiceT}
	for _, t := range tables {
		if t == nil {
			continue
		}
		for _, h := range t.header {
			for _, col := range []string{"label::", "hint::", "constraint_message::", "required_message::"} {
				if lang, ok := strings.CutPrefix(h, col); ok {
					code := languageCode(lang)
					if code == "" {
						p.note(t.name, 1, "column %q: cannot tell its language; add a code in brackets, e.g. label::Français (fr)", h)
					} else if !seen[code] {
						seen[code] = true
						p.langs = append(p.langs, code)
						p.mark(fmt.Sprintf("languages[%d]", len(p.langs)-1), place{kind: placeHeader, sheet: t.name, row: 1, column: h})
					}
				}
			}
		}
	}
	if p.choiceT != nil {
		for i, r := range p.choiceT.rows {
			list, name := p.choiceT.get(r, "list_name"), p.choiceT.get(r, "name")
			if list == "" && name == "" {
				continue
			}
			p.choices[list] = append(p.choices[list], choice{value: name, label: p.choiceT.texts(r, "label", p.lang), row: i + 2})
		}
	}
	return nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// supportedColumns are the survey-sheet columns Canvass maps; any other column
// with content is reported once.
var supportedColumns = map[string]bool{"type": true, "name": true, "label": true, "hint": true, "required": true,
	"relevant": true, "constraint": true, "appearance": true}

func (p *parser) build() *survey.Survey {
	s := &survey.Survey{
		Slug:            slugify(firstNonEmpty(p.settings["form_id"], p.settings["id_string"], "xlsform")),
		Version:         1,
		DefaultLanguage: p.lang,
		Languages:       p.langs,
		Title:           survey.Text{p.lang: firstNonEmpty(p.settings["form_title"], p.settings["title"], "Untitled survey")},
	}
	if v := p.settings["version"]; v != "" {
		if n, err := strconv.Atoi(v); err == nil && n > 0 && n < 1<<31 {
			s.Version = n
		} else {
			p.note("settings", 2, "version %q is not a whole number; the survey starts at version 1", v)
		}
	}
	p.reportColumns()
	p.markSettings()
	var current *survey.Section
	depth := 0
	loose := 0
	for i, r := range p.survey.rows {
		row := i + 2
		typ := strings.Join(strings.Fields(strings.ToLower(p.survey.get(r, "type"))), " ")
		name := p.survey.get(r, "name")
		if typ == "" && name == "" {
			continue
		}
		switch typ {
		case "begin group", "begin_group":
			depth++
			if depth > 1 {
				p.note("survey", row, "group %q is inside another group; its questions join the outer section", name)
				continue
			}
			id := p.id("survey", row, name)
			current = &survey.Section{ID: id, Title: p.survey.texts(r, "label", p.lang), ShowIf: p.relevance(row, p.survey.get(r, "relevant"))}
			s.Sections = append(s.Sections, current)
			p.mark(fmt.Sprintf("sections[%d]", len(s.Sections)-1), place{kind: placeSection, sheet: "survey", row: row})
			continue
		case "end group", "end_group":
			if depth > 0 {
				depth--
			}
			if depth == 0 {
				current = nil
			}
			continue
		}
		q := p.question(row, r, typ, name)
		if q == nil {
			continue
		}
		if current == nil {
			// Questions outside any group share a section until a group starts.
			loose++
			current = &survey.Section{ID: fmt.Sprintf("section_%d", loose)}
			s.Sections = append(s.Sections, current)
			// A section no group started is found at its first question.
			p.mark(fmt.Sprintf("sections[%d]", len(s.Sections)-1), place{kind: placeSection, sheet: "survey", row: row})
		}
		current.Questions = append(current.Questions, q)
		p.markQuestion(fmt.Sprintf("sections[%d].questions[%d]", len(s.Sections)-1, len(current.Questions)-1), row, q)
	}
	return s
}

func (p *parser) reportColumns() {
	for i, h := range p.survey.header {
		base, _, _ := strings.Cut(h, "::")
		if supportedColumns[base] || h == "" || base == "constraint_message" || base == "required_message" {
			continue
		}
		for _, r := range p.survey.rows {
			if i < len(r) && strings.TrimSpace(r[i]) != "" {
				p.note("survey", 1, "column %q is not supported by Canvass and was ignored", h)
				break
			}
		}
	}
	for _, h := range p.survey.header {
		if base, _, _ := strings.Cut(h, "::"); base == "constraint_message" || base == "required_message" {
			p.note("survey", 1, "column %q was ignored: Canvass shows its own messages in each language", h)
			break
		}
	}
}

// unsupportedTypes are XLSForm types with no Canvass question; metadata
// types are collected automatically by Canvass or not at all.
var unsupportedTypes = map[string]string{
	"note": "a note (text without an answer)", "calculate": "a calculation", "geopoint": "a location", "geotrace": "a location",
	"geoshape": "a location", "image": "a file upload", "audio": "a file upload", "video": "a file upload", "file": "a file upload",
	"barcode": "a barcode", "acknowledge": "an acknowledgement", "time": "a time of day", "datetime": "a date and time",
	"range": "a range slider", "hidden": "a hidden field", "trigger": "an acknowledgement",
	"begin repeat": "a repeat group", "end repeat": "a repeat group", "begin_repeat": "a repeat group", "end_repeat": "a repeat group",
	"start": "metadata", "end": "metadata", "today": "metadata", "deviceid": "metadata", "username": "metadata",
	"phonenumber": "metadata", "simserial": "metadata", "subscriberid": "metadata", "audit": "metadata", "email": "metadata",
}

func (p *parser) question(row int, r []string, typ, name string) *survey.Question {
	fields := strings.Fields(typ)
	q := &survey.Question{Label: p.survey.texts(r, "label", p.lang), Help: p.survey.texts(r, "hint", p.lang)}
	appearance := strings.ToLower(p.survey.get(r, "appearance"))
	var list string
	switch {
	case len(fields) >= 2 && (fields[0] == "select_one" || fields[0] == "select_multiple" || fields[0] == "rank"):
		list = fields[1]
		q.Type = map[string]survey.Type{"select_one": survey.SingleChoice, "select_multiple": survey.MultiChoice, "rank": survey.Ranking}[fields[0]]
	case typ == "integer":
		q.Type, q.Integer = survey.Number, true
	case typ == "decimal":
		q.Type = survey.Number
	case typ == "text":
		q.Type = survey.ShortText
		if strings.Contains(appearance, "multiline") {
			q.Type = survey.LongText
		}
	case typ == "date":
		q.Type = survey.Date
	default:
		what := unsupportedTypes[typ]
		if what == "" {
			what = "a type Canvass does not know"
		}
		if what == "metadata" {
			p.note("survey", row, "%q (%s) is not a question; Canvass records submission times itself, so it was skipped", name, typ)
		} else {
			p.note("survey", row, "%q has type %q, %s, which Canvass cannot ask; it was skipped", name, typ, what)
		}
		return nil
	}
	q.ID = p.id("survey", row, name)
	q.Required = isTrue(p.survey.get(r, "required"))
	q.ShowIf = p.relevance(row, p.survey.get(r, "relevant"))
	if list != "" {
		opts, ok := p.choices[list]
		if !ok {
			p.note("survey", row, "%q uses choice list %q, which the choices sheet does not have", name, list)
		}
		for _, c := range opts {
			value := c.value
			if !codePattern.MatchString(value) {
				value = strings.Trim(invalidCode.ReplaceAllString(value, "_"), "_")
				p.note("choices", c.row, "choice %q renamed %q (codes use letters, digits, _ and -)", c.value, value)
			}
			q.Options = append(q.Options, survey.Option{Value: survey.Code(value), Label: c.label})
			p.noteOptionRow(q, c.row)
		}
		if len(fields) >= 3 && fields[2] == "or_other" {
			q.Options = append(q.Options, survey.Option{Value: "other", Label: survey.Text{p.lang: "Other"}, Other: true})
			p.noteOptionRow(q, 0)
		}
		if q.Type == survey.SingleChoice && strings.Contains(appearance, "likert") && allWholeNumbers(q.Options) {
			q.Type = survey.Likert
		}
	}
	p.constraint(row, q, p.survey.get(r, "constraint"))
	return q
}

func allWholeNumbers(opts []survey.Option) bool {
	for _, o := range opts {
		if _, err := strconv.Atoi(string(o.Value)); err != nil {
			return false
		}
	}
	return len(opts) > 0
}

var (
	idPattern   = regexp.MustCompile(`^[a-z][a-z0-9_]{0,63}$`)
	invalidID   = regexp.MustCompile(`[^a-z0-9_]+`)
	codePattern = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)
	invalidCode = regexp.MustCompile(`[^A-Za-z0-9_-]+`)
)

// id turns an XLSForm name into a Canvass id, noting any change.
func (p *parser) id(sheet string, row int, name string) string {
	if idPattern.MatchString(name) {
		return name
	}
	id := strings.Trim(invalidID.ReplaceAllString(strings.ToLower(name), "_"), "_")
	if id == "" || id[0] < 'a' || id[0] > 'z' {
		id = "q_" + id
	}
	if len(id) > 64 {
		id = id[:64]
	}
	p.note(sheet, row, "name %q renamed %q (ids use lowercase letters, digits and _)", name, id)
	return id
}

func isTrue(s string) bool {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "yes", "true", "true()", "1", "y":
		return true
	}
	return false
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if strings.TrimSpace(s) != "" {
			return strings.TrimSpace(s)
		}
	}
	return ""
}

func slugify(s string) string {
	s = strings.Trim(regexp.MustCompile(`[^a-z0-9]+`).ReplaceAllString(strings.ToLower(s), "-"), "-")
	if s == "" {
		return "xlsform"
	}
	if len(s) > 63 {
		s = strings.Trim(s[:63], "-")
	}
	return s
}
