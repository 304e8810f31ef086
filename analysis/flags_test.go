package analysis

import (
	"encoding/json"
	"math"
	"strings"
	"testing"
)

// The disclosure flags travel in the JSON the public outputs serve, also
// through the hand-written encoders of Descriptives and NumberSummary, and
// are absent from every analyst output (omitempty, false by default).
func TestDisclosureFlagsJSON(t *testing.T) {
	nan := math.NaN()
	withheld := Descriptives{N: 4, Mean: nan, SD: nan, Min: nan, Q1: nan, Median: nan, Q3: nan, Max: nan, Withheld: true}
	for name, v := range map[string]any{
		"descriptives":   withheld,
		"number summary": NumberSummary{Descriptives: withheld, Outliers: []float64{}, Histogram: []Bin{}},
		"group numbers":  GroupNumbers{Group: "europe", Stats: withheld},
	} {
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !strings.Contains(string(b), `"withheld":true`) || !strings.Contains(string(b), `"n":4`) || !strings.Contains(string(b), `"mean":null`) {
			t.Errorf("%s: %s, want withheld:true with n 4 and a null mean", name, b)
		}
	}
	b, err := json.Marshal(&ReportResult{Tables: []TableResult{{Question: &QuestionResult{Options: []OptionCount{{Value: "a"}}, Scale: &ScaleSummary{}, CrossTab: &CrossTab{}}}}})
	if err != nil {
		t.Fatal(err)
	}
	for _, flag := range []string{"suppressed", "withheld", "answered_suppressed", "responses_suppressed", "top_two_suppressed", "col_suppressed", "row_suppressed", "total_suppressed"} {
		if strings.Contains(string(b), `"`+flag+`"`) {
			t.Errorf("an analyst report carries %q: %s", flag, b)
		}
	}
	b, _ = json.Marshal(OptionCount{Value: "a", Suppressed: true})
	if !strings.Contains(string(b), `"suppressed":true`) {
		t.Errorf("a suppressed option encodes as %s", b)
	}
}
