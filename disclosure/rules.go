package disclosure

import (
	"github.com/metlib/canvass/analysis"
	"github.com/metlib/canvass/survey"
)

// Rules are a survey's disclosure rules (from survey.Settings:
// small_cell_threshold k).
type Rules struct {
	// K is the small-cell threshold: a count from 1 to K−1 is withheld, and
	// so is a table answered by fewer than K.
	K int
	// MinStatsN is the smallest group whose mean, SD and quantiles are
	// published (2K): below it a mean or a quartile is a handful of
	// libraries' own answers.
	MinStatsN int
}

// RulesOf returns the rules of sv: K is its small-cell threshold
// (survey.Survey.SmallCellK), MinStatsN twice that.
func RulesOf(sv *survey.Survey) Rules {
	k := sv.SmallCellK()
	return Rules{K: k, MinStatsN: 2 * k}
}

// Tallies are the raw public counts (built by campaign from the
// responses): the numbers counts.json, the badge and the iframe publish,
// before any rule.
type Tallies struct {
	Total     int
	Countries int
	ByRegion  []KeyCount // every IFLA region in survey.Regions order, then "unknown" if any
	ByType    []KeyCount
}

// KeyCount is one tally: a region or a library type and its count.
type KeyCount struct {
	Key string
	N   int
}

// Counts are Tallies as published: N nil when withheld.
type Counts struct {
	Total Count
	// Countries is nil when the total or any region count is withheld
	// (see Publish).
	Countries *int
	ByRegion  []Count
	ByType    []Count
	// K is the rules' threshold, for "fewer than K".
	K int
}

// Count is one published count; N is nil when it is withheld.
type Count struct {
	Key string
	N   *int
}

// Published is everything the public side of one survey shows, disclosed.
type Published struct {
	// Report is a deep copy of the report: every withheld number zeroed
	// and flagged, every figure no public output shows (free texts, top
	// terms, co-occurrences, minimum, maximum, outliers, histograms)
	// removed.
	Report *analysis.ReportResult
	Counts *Counts
	// Stats count the cells (for the closing note and a log line).
	Stats Stats
	// Protecting are the keys (never the values) of the cells the
	// protection of its small counts rests on (Suppression.Support): what
	// the next publication keeps withheld (Previous).
	Protecting []string
	// Witnesses are the tables that protect its small counts, one per
	// witness (Suppression.Witness), by key: what the next publication
	// checks against its own true figures before keeping their cells
	// withheld (PublishAfter).
	Witnesses []Witness
	// memo is the suppression it was made with (Memo).
	memo *Memo
}

// Memo returns the suppression p was made with, to be kept beside the
// figures it disclosed (never published: its witnesses are near the true
// figures) and given to Recall where the same figures are disclosed
// again — after a restart, on another instance — so that Protect's work
// is not done twice. nil for a publication made without Protect.
func (p *Published) Memo() *Memo { return p.memo }

// Witness is a table a reader of a publication cannot rule out in which
// each of the small counts it protects is k or more: the keys of those
// counts, and each cell it moves from its true value, by every key the
// cell is known by, with its value there. It holds figures no output
// shows, so it is kept only where the unmasked figures are (the stored
// public snapshot), never published.
type Witness struct {
	Protects []string
	Values   map[string]int
}

// Stats count the published cells of one publication: Cells in all,
// Primary of them withheld as below K, Secondary withheld so that no
// primary cell can be worked out.
type Stats struct{ Cells, Primary, Secondary int }
