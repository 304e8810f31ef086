package survey

// kind implements one family of question types. Each lives in its own file
// (kind_*.go) and is registered in kinds.
type kind interface {
	// fields lists the question settings the kind uses; any other setting on
	// a question of this kind is reported by Validate.
	fields() []string
	// checkDefinition reports problems with a question's own settings.
	checkDefinition(v *validator, path string, q *Question)
	// normalize turns a raw answer (decoded JSON or form values) into its
	// canonical form — string, float64, []string or map[string]string — or
	// nil when it is empty, and checks it against the question's rules.
	// answered holds the answers to the earlier, visible questions; lang
	// is the respondent's language, in whose convention typed numbers are
	// read.
	normalize(q *Question, raw any, answered Answers, lang string) (any, *message)
	// columns lists the columns the question takes in a flat export.
	columns(q *Question) []Column
}

// Column is one column of a flat (one row per response) export.
type Column struct {
	// Key is the column name: the question id, "qid.option", "qid.row",
	// "qid_other" or "qid_change_note".
	Key string
	// Question is the question the column belongs to.
	Question *Question
	// Option is set for a multi_choice 0/1 column.
	Option *Option
	// Row is set for a matrix row column.
	Row *Row
	// OtherText marks the "please specify" column.
	OtherText bool
	// ChangeNote marks the column of the explanation a change check asked
	// for (a number question's "qid_change_note").
	ChangeNote bool
}

var kinds = map[Type]kind{
	SingleChoice: choiceKind{},
	Likert:       choiceKind{likert: true},
	MultiChoice:  multiKind{},
	Ranking:      rankingKind{},
	Matrix:       matrixKind{},
	Number:       numberKind{},
	ShortText:    textKind{},
	LongText:     textKind{},
	Email:        emailKind{},
	URL:          urlKind{},
	Date:         dateKind{},
	Country:      countryKind{},
}

// Columns lists the flat-export columns of every question, in order.
func (s *Survey) Columns() []Column {
	var cols []Column
	for _, q := range s.Questions() {
		if k, ok := kinds[q.Type]; ok {
			cols = append(cols, k.columns(q)...)
		}
	}
	return cols
}

func singleColumn(q *Question) []Column {
	cols := []Column{{Key: q.ID, Question: q}}
	if q.HasOther() {
		cols = append(cols, Column{Key: q.ID + OtherSuffix, Question: q, OtherText: true})
	}
	return cols
}
