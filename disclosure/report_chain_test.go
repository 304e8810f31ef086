package disclosure

import (
	"os"
	"testing"
	"time"

	"github.com/metlib/canvass/analysis"
	"github.com/metlib/canvass/demo"
	"github.com/metlib/canvass/survey"
)

// TestSnapshotChainOfBuiltinSurveys measures what publishing each snapshot
// after the one before costs over a survey's life, in time and in cells
// withheld: the built-in surveys' demo responses (seed 7) in
// snapshots k apart, from 20 to 40 responses,
// each through PublishAfter its predecessor and, for comparison, through
// Publish alone. Cells kept withheld for the previous snapshot's sake
// (PublishAfter) are released one snapshot later unless needed again, so
// the share must not climb snapshot after snapshot towards everything.
// docs/embed.md quotes the figures.
func TestSnapshotChainOfBuiltinSurveys(t *testing.T) {
	if os.Getenv("DISCLOSURE_ATTACK") == "" {
		t.Skip("DISCLOSURE_ATTACK=1 measures the built-in surveys (minutes)")
	}
	for _, sv := range builtinSurveys(t) {
		rules := RulesOf(sv)
		d := demo.Generate(sv, 45, 7, demoUntil)
		typeOf := func(i int) survey.LibraryType {
			if l := d.LibraryOf[i]; l >= 0 {
				return d.Libraries[l].Type
			}
			return ""
		}
		var prev *Previous
		for n := 20; n <= 40; n += rules.K {
			rep, err := analysis.Report(sv, survey.ResponsesOf(d.Responses[:n]), analysis.Options{Lang: sv.DefaultLanguage})
			if err != nil {
				t.Fatal(err)
			}
			tal := tallyOf(d.Responses[:n], typeOf)
			start := time.Now()
			pub := PublishAfter(prev, rep, tal, rules)
			took := time.Since(start)
			alone := Publish(rep, tal, rules)
			share := func(p *Published) float64 {
				return 100 * float64(p.Stats.Primary+p.Stats.Secondary) / float64(max(p.Stats.Cells, 1))
			}
			t.Logf("%s n=%d: %.1f%% of %d cells withheld after the snapshot before (%v), %.1f%% alone; total shown %v",
				sv.Slug, n, share(pub), pub.Stats.Cells, took.Round(time.Millisecond), share(alone), pub.Counts.Total.N != nil)
			prev = &Previous{Report: rep, Tallies: tal, Protecting: pub.Protecting, Witnesses: pub.Witnesses}
		}
	}
}
