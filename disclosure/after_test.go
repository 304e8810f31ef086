package disclosure

import (
	"encoding/json"
	"slices"
	"testing"
)

// TestPublishAfterLargePublicationsAlone: a publication of more than
// maxAfterCells cells (the impact-methods survey's, about 376) is
// published as Publish publishes it, whatever came before; one within the
// bound (the small test survey's) is published against the one before.
func TestPublishAfterLargePublicationsAlone(t *testing.T) {
	var impact = builtinSurveys(t)[1]
	if impact.Slug != "impact-methods" {
		t.Fatalf("built-in survey 1 is %s, want impact-methods", impact.Slug)
	}
	r1, t1 := demoPublication(t, impact, 20, 7, "")
	r2, t2 := demoPublication(t, impact, 21, 7, "")
	_, b := publishOpt(r2, t2, RulesOf(impact), modelOnly)
	if p, _ := b.problem(); p.Len() <= maxAfterCells {
		t.Fatalf("impact-methods' publication has %d cells, not more than maxAfterCells = %d: the test needs a larger one", p.Len(), maxAfterCells)
	}
	first := Publish(r1, t1, RulesOf(impact))
	after := PublishAfter(&Previous{Report: r1, Tallies: t1, Protecting: first.Protecting}, r2, t2, RulesOf(impact))
	alone := Publish(r2, t2, RulesOf(impact))
	a, _ := json.Marshal(after.Counts)
	b2, _ := json.Marshal(alone.Counts)
	if string(a) != string(b2) || after.Stats != alone.Stats || !slices.Equal(after.Protecting, alone.Protecting) {
		t.Errorf("a publication over the bound, after another, withholds %+v; alone %+v: want the same publication", after.Stats, alone.Stats)
	}
}
