package disclosure

import (
	"slices"
	"testing"

	"github.com/metlib/canvass/survey"
)

// A ranked table lists its shown options by count and its withheld ones
// after them, in code order: a withheld row's place says nothing of its
// count. Checked on every ranked table of the built-in surveys at 25 demo
// responses, against the unmasked report's counts.
func TestRankedTablesDoNotOrderWithheldRows(t *testing.T) {
	checked := 0
	for _, sv := range builtinSurveys(t) {
		rep, tal := demoPublication(t, sv, 25, 7, "")
		pub := Publish(rep, tal, RulesOf(sv))
		for i, tr := range pub.Report.Tables {
			if tr.Spec.Summary != survey.SummaryRanked || tr.Question == nil || tr.Withheld {
				continue
			}
			truth := map[string]int{}
			for _, o := range rep.Tables[i].Question.Options {
				truth[o.Value] = o.Count
			}
			var shown, withheld []string
			last := -1
			for _, o := range tr.Question.Options {
				if o.Suppressed {
					withheld = append(withheld, o.Value)
					continue
				}
				if len(withheld) > 0 {
					t.Errorf("%s table %d: shown %s after a withheld row", sv.Slug, tr.Number, o.Value)
				}
				if last >= 0 && o.Count > last {
					t.Errorf("%s table %d: shown rows not by count (%s %d after %d)", sv.Slug, tr.Number, o.Value, o.Count, last)
				}
				last = o.Count
				shown = append(shown, o.Value)
			}
			if !slices.IsSorted(withheld) {
				t.Errorf("%s table %d: withheld rows %v not in code order", sv.Slug, tr.Number, withheld)
			}
			if len(withheld) > 1 {
				checked++
				// Their true counts are not in order (else the test would
				// not tell the two orders apart).
				byCount := slices.IsSortedFunc(withheld, func(a, b string) int { return truth[b] - truth[a] })
				t.Logf("%s table %d: %d shown, withheld %v (true counts in order: %v)", sv.Slug, tr.Number, len(shown), withheld, byCount)
			}
		}
	}
	if checked == 0 {
		t.Fatal("no ranked table with two withheld rows: the test tests nothing")
	}
}
