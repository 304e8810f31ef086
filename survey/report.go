package survey

import (
	"context"
	"fmt"
	"time"
)

// Report lists the tables of a survey's white paper, in order.
type Report struct {
	Tables []ReportTable `json:"tables"`
}

// ReportTable is one white-paper table: a question summarized overall or by
// a grouping, in one of the summaries its type allows.
type ReportTable struct {
	ID    string `json:"id"`
	Title Text   `json:"title"`
	// Question is the question the table is about.
	Question string `json:"question"`
	// By groups the respondents: "region", "language", or the id of a
	// single_choice, likert or number question (a number needs Bands).
	By string `json:"by,omitempty"`
	// Bands are the edges that put a numeric By question into groups:
	// [400000, 1000000] makes "under 400,000", "400,000 to under 1,000,000"
	// and "1,000,000 and over".
	Bands []float64 `json:"bands,omitempty"`
	// Summary picks what a multi_choice table shows: "options" (the
	// default: each option), "groups" (respondents choosing at least one
	// option of each option group), "count" (how many options each chose).
	// "ranked" sorts options by how often they were chosen.
	Summary string `json:"summary,omitempty"`
	// Correlate names a number, likert or multi_choice (by count) question
	// to correlate with Question by Spearman's rank correlation.
	Correlate string `json:"correlate,omitempty"`
	// Headline tables get a chart in the white paper.
	Headline bool `json:"headline,omitempty"`
}

// The report summaries.
const (
	SummaryOptions = "options"
	SummaryGroups  = "groups"
	SummaryCount   = "count"
	SummaryRanked  = "ranked"
)

// GroupingBuiltins are the groupings that are not questions.
var GroupingBuiltins = map[string]bool{"region": true, "language": true}

func (v *validator) report(r *Report) {
	if r == nil {
		return
	}
	ids := map[string]bool{}
	for i, t := range r.Tables {
		path := fmt.Sprintf("report.tables[%d]", i)
		if !idPattern.MatchString(t.ID) {
			v.fail(path+".id", "table id must start with a lowercase letter and use only a-z, 0-9 and _, got %q", t.ID)
		} else if ids[t.ID] {
			v.fail(path+".id", "duplicate table id %q", t.ID)
		}
		ids[t.ID] = true
		v.text(path+".title", t.Title, true)
		q := v.s.Question(t.Question)
		if q == nil {
			v.fail(path+".question", "unknown question %q", t.Question)
			continue
		}
		switch t.Summary {
		case "", SummaryOptions, SummaryRanked:
		case SummaryGroups, SummaryCount:
			if q.Type != MultiChoice {
				v.fail(path+".summary", "summary %q is for multi_choice questions, and %q is %s", t.Summary, q.ID, q.Type)
			}
		default:
			v.fail(path+".summary", "summary must be options, groups, count or ranked, got %q", t.Summary)
		}
		if t.By != "" && !GroupingBuiltins[t.By] {
			by := v.s.Question(t.By)
			switch {
			case by == nil:
				v.fail(path+".by", "by must be region, language or a question id; there is no question %q", t.By)
			case by.Type == Number && len(t.Bands) == 0:
				v.fail(path+".bands", "grouping by number question %q needs bands", t.By)
			case by.Type != Number && by.Type != SingleChoice && by.Type != Likert && by.Type != Country:
				v.fail(path+".by", "cannot group by %s question %q", by.Type, t.By)
			}
		}
		for j := 1; j < len(t.Bands); j++ {
			if t.Bands[j] <= t.Bands[j-1] {
				v.fail(path+".bands", "bands must increase")
				break
			}
		}
		if t.Correlate != "" {
			c := v.s.Question(t.Correlate)
			if c == nil {
				v.fail(path+".correlate", "unknown question %q", t.Correlate)
			} else if !ordinal(c) || !ordinal(q) {
				v.fail(path+".correlate", "correlation needs number, likert or multi_choice questions")
			}
		}
	}
}

// ordinal reports whether a question's answers can be ranked: numbers,
// likert values, or the count of options chosen.
func ordinal(q *Question) bool {
	return q.Type == Number || q.Type == Likert || q.Type == MultiChoice
}

// Asked reports, for each question in the order of Questions(), whether it
// was shown to a respondent with these answers: its section's and its own
// show_if hold. Hidden questions' answers are dropped when stored, so the
// stored answers decide visibility as they did when the respondent answered.
func (s *Survey) Asked(a Answers) []bool {
	asked := make([]bool, 0, 32)
	for _, sec := range s.Sections {
		shown := sec.ShowIf.Holds(a)
		for _, q := range sec.Questions {
			asked = append(asked, shown && q.ShowIf.Holds(a))
		}
	}
	return asked
}

// PublicationStore records whether a survey's results are published on
// the public results page, and keeps each survey's public snapshot: the
// figures every public output is computed from, shared by every instance.
type PublicationStore interface {
	// SetResultsPublished publishes (at non-nil) or withdraws the results.
	SetResultsPublished(ctx context.Context, slug string, at *time.Time) error
	// ResultsPublished returns when the results were published, or nil.
	ResultsPublished(ctx context.Context, slug string) (*time.Time, error)
	// SavePublicSnapshot stores snap as its survey's snapshot, replacing the
	// one at sequence number prev (0: there is none yet); snap.Seq must be
	// prev + 1. Returns ECONFLICT, writing nothing, when the stored snapshot
	// is no longer at prev (another instance or request took one first), so
	// of two concurrent retakes exactly one is stored.
	SavePublicSnapshot(ctx context.Context, snap *PublicSnapshot, prev int64) error
	// FindPublicSnapshot returns a survey's snapshot, decoding its figures
	// into figures (a pointer to the type they were saved as) and setting
	// Figures to it; with figures nil only the rest is read, which is cheap.
	// Returns ENOTFOUND when none has been taken.
	FindPublicSnapshot(ctx context.Context, slug string, figures any) (*PublicSnapshot, error)
	// SavePublicDisclosure keeps beside snapshot seq of a survey how it was
	// disclosed (a value of the caller's, as Figures), so that another
	// instance or a restart need not work it out again. Returns ECONFLICT,
	// writing nothing, when the stored snapshot is no longer seq; a retake
	// drops it with the snapshot it was of.
	SavePublicDisclosure(ctx context.Context, slug string, seq int64, disclosure any) error
	// FindPublicDisclosure decodes into disclosure what SavePublicDisclosure
	// kept for snapshot seq. Returns ENOTFOUND when there is none for it.
	FindPublicDisclosure(ctx context.Context, slug string, seq int64, disclosure any) error
}

// PublicSnapshot is a survey's public figures as last taken, and what they
// cover. The store keeps Figures as given (a struct of the caller's) and
// knows nothing of what is in it.
type PublicSnapshot struct {
	Survey string
	// Seq numbers the survey's snapshots from 1; a retake is written on
	// the condition that the stored one is still at Seq − 1.
	Seq int64
	// Responses is how many submitted responses (canvass demo's left out)
	// the figures were computed over.
	Responses int
	// Version is the definition version they were computed with.
	Version int
	TakenAt time.Time
	Figures any
}
