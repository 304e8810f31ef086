// Package feedback builds the benchmark report ("How we compare") that every
// library answering a survey gets back: its own answers beside the figures of
// its peer groups and of all respondents, under disclosure rules that keep
// any other library's answers from being read or worked out.
//
// The package is one implementation called by the API, the pages and the CLI
// alike: Build makes the Report model from the survey, the library and the
// other respondents; WritePDF and WriteXLSX render it; the web page renders
// the same model. Nothing here reads a store: campaign loads the responses
// and the directory, and decides who may read which report.
//
// See docs/feedback.md for the peer groups and the rules.
package feedback

import (
	"time"

	"github.com/metlib/canvass/survey"
)

// Respondent is one library that answered, with the facts its peer groups
// are drawn from (the directory's, else the response's own).
type Respondent struct {
	// LibraryID is the directory id; the report is this library's.
	LibraryID string `json:"library_id"`
	// Library is the library's name, shown on its own report only.
	Library string `json:"library"`
	// Region is the IFLA division, "" when unknown.
	Region survey.Region `json:"region,omitempty"`
	// Type is the library type, "" when unknown.
	Type survey.LibraryType `json:"type,omitempty"`
	// Population is the population served, 0 when unknown.
	Population float64 `json:"population,omitempty"`
	// Member is membership of the section.
	Member bool `json:"member,omitempty"`
	// Demo marks canvass demo's made-up respondents: a demo library is
	// compared with demo respondents only, a real one with real ones only.
	Demo bool `json:"demo,omitempty"`
	// Answers are the respondent's answers (recoded to the survey's
	// current options).
	Answers survey.Answers `json:"-"`
}

// Input is everything one report is built from.
type Input struct {
	Survey *survey.Survey
	// Lang is the report's language (one of the survey's, else its default).
	Lang string
	// Self is the library the report is for.
	Self Respondent
	// Others are every other submitted respondent of the survey; Build
	// itself leaves out those of the other Demo-ness and Self's own id.
	Others []Respondent
	// Now dates the report.
	Now time.Time
}

// Report is one library's benchmark report. Every figure in it has been
// through the disclosure rules: a hidden figure has Hidden set and its
// numbers zeroed, so no renderer can show it by mistake.
type Report struct {
	Survey    string    `json:"survey"`
	Title     string    `json:"title"`
	Lang      string    `json:"lang"`
	LibraryID string    `json:"library_id"`
	Library   string    `json:"library"`
	Generated time.Time `json:"generated"`
	// K is the survey's disclosure minimum (small-cell threshold).
	K int `json:"k"`
	// Groups are the comparison columns, in order: the library's peer
	// groups that are large enough, then all respondents (always last).
	// Every Share and figure list below has one entry per group, in this
	// order.
	Groups []Group `json:"groups"`
	// Merged are the library's peer groups that had too few respondents
	// and were merged into a wider group.
	Merged []MergedGroup `json:"merged,omitempty"`
	// TooFew is set when even all respondents are fewer than K peers: the
	// report then shows the library's own answers and no peer figure.
	TooFew   bool      `json:"too_few,omitempty"`
	Sections []Section `json:"sections"`
}

// Group is one comparison column.
type Group struct {
	// Dimension is region, type, population, member or all.
	Dimension string `json:"dimension"`
	// Label names the group in the report's language ("Europe",
	// "All respondents").
	Label string `json:"label"`
	// N is the number of peers in the group: respondents other than the
	// library itself.
	N int `json:"n"`
}

// MergedGroup is a peer group too small to be shown.
type MergedGroup struct {
	Dimension string `json:"dimension"`
	// Label names the group that was too small ("Sub-Saharan Africa").
	Label string `json:"label"`
	// Into names the group used instead ("All respondents").
	Into string `json:"into"`
}

// Section is a titled run of items, one per survey section compared.
type Section struct {
	Title string `json:"title"`
	Items []Item `json:"items"`
}

// The kinds of item.
const (
	KindChoice   = "choice"   // single_choice, likert: one answer
	KindMulti    = "multi"    // multi_choice: several answers
	KindNumber   = "number"   // a number or a per-capita indicator
	KindMatrix   = "matrix"   // a matrix: one answer per statement
	KindMaturity = "maturity" // evidence families (ISO 16439) used
)

// Item is one question (or indicator) compared.
type Item struct {
	// Question is the question's id (an indicator's id for indicators).
	Question string `json:"question"`
	Label    string `json:"label"`
	Kind     string `json:"kind"`
	// Yours are the labels of the library's answers; empty when it did
	// not answer (or the question was not asked of it).
	Yours []string `json:"yours,omitempty"`
	// Rows are the distribution (choice, multi, matrix, maturity): one
	// row per option (per statement × option for a matrix, per family
	// for maturity), then a "No answer" row (per statement for a matrix)
	// when some peer asked did not answer: the peers asked who gave no
	// answer (for multi and maturity, who ticked nothing), so that the
	// rows of a choice or a statement add up to the Base.
	Rows []Row `json:"rows,omitempty"`
	// Count compares how many options the library chose (multi).
	Count *CountCompare `json:"count,omitempty"`
	// Missing are the options peers choose most that the library did not
	// (multi): labels, most chosen first.
	Missing []string `json:"missing,omitempty"`
	// Number compares a number or an indicator.
	Number *NumberCompare `json:"number,omitempty"`
	// Notes are sentences about the item in the report's language.
	Notes []string `json:"notes,omitempty"`
}

// Row is one line of a distribution.
type Row struct {
	// Label is the option's (the family's, for maturity).
	Label string `json:"label"`
	// Matrix is the statement of a matrix row, "" otherwise.
	Matrix string `json:"matrix,omitempty"`
	// Yours is whether this is (one of) the library's answer(s).
	Yours bool `json:"yours"`
	// Shares has one entry per Report.Groups.
	Shares []Share `json:"shares"`
}

// Share is how many of a group's peers gave an answer.
type Share struct {
	Count int `json:"count"`
	// Base is the number of peers in the group who were asked the
	// question (its section's and its own show_if held; for a matrix
	// statement, the statement's too), answered or not: those who did not
	// answer are the item's "No answer" row.
	Base int `json:"base"`
	// Share is Count/Base; Low and High its 95% Wilson interval.
	Share float64 `json:"share"`
	Low   float64 `json:"low"`
	High  float64 `json:"high"`
	// Hidden: withheld by the disclosure rules (Count, Base, Share, Low
	// and High are then zero).
	Hidden bool `json:"hidden,omitempty"`
}

// CountCompare compares a number of options chosen.
type CountCompare struct {
	Yours  int            `json:"yours"`
	Groups []NumberFigure `json:"groups"`
}

// NumberCompare compares a number.
type NumberCompare struct {
	// Value is the library's own, nil when it gave none.
	Value *float64 `json:"value,omitempty"`
	// Unit describes the value ("per capita"), "" for a plain number.
	Unit string `json:"unit,omitempty"`
	// Groups has one entry per Report.Groups.
	Groups []NumberFigure `json:"groups"`
	// Band places the library's value among its first shown group's
	// values ("in the top quarter"), "" when it cannot be told.
	Band string `json:"band,omitempty"`
}

// NumberFigure is a group's quartiles (type 7, as analysis.Quantile7).
type NumberFigure struct {
	// N is the number of peers with a value.
	N      int     `json:"n"`
	Q1     float64 `json:"q1"`
	Median float64 `json:"median"`
	Q3     float64 `json:"q3"`
	// Hidden: too few values to show quartiles (the numbers are zero).
	Hidden bool `json:"hidden,omitempty"`
}
