package disclosure

import (
	"encoding/json"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
)

// TestRecallGivesTheSamePublication: a publication's Memo, through BSON
// (as the stored snapshot keeps it) and Recall into an empty cache, makes
// Publish give the same publication without solving the problem again;
// a damaged memo is ignored, one of another problem never found (the
// problem is solved, the same), and a cell count no publication has is
// refused before anything is allocated.
func TestRecallGivesTheSamePublication(t *testing.T) {
	landscape := builtinSurveys(t)[0]
	rep, tal := demoPublication(t, landscape, 40, 7, "")
	rules := RulesOf(landscape)
	suppressions = newSuppressionCache(32)
	start := time.Now()
	first := Publish(rep, tal, rules)
	solved := time.Since(start)
	raw, err := bson.Marshal(first.Memo())
	if err != nil {
		t.Fatal(err)
	}
	want, _ := json.Marshal(first)
	for _, tc := range []struct {
		name    string
		damage  func(m *Memo)
		recalls bool
	}{
		{"as kept", func(*Memo) {}, true},
		{"a cell out of range", func(m *Memo) { m.Secondary = append(m.Secondary, m.Cells+3) }, false},
		{"a cell count past any publication", func(m *Memo) { m.Cells = 1 << 40 }, false},
		{"another problem's fingerprint", func(m *Memo) { m.Fingerprint[0] ^= 1 }, true},
		{"a witness cut short", func(m *Memo) {
			if len(m.Witnesses) > 0 {
				m.Witnesses[0] = m.Witnesses[0][:len(m.Witnesses[0])-1]
			}
		}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var m Memo
			if err := bson.Unmarshal(raw, &m); err != nil {
				t.Fatal(err)
			}
			tc.damage(&m)
			suppressions = newSuppressionCache(32)
			Recall(&m)
			if got := suppressions.order.Len() == 1; got != tc.recalls {
				t.Fatalf("recalled %v, want %v", got, tc.recalls)
			}
			start := time.Now()
			again := Publish(rep, tal, rules)
			took := time.Since(start)
			// Found by its fingerprint, nothing new is solved or cached; a
			// memo of another problem, cached, is not found, and the
			// problem is solved beside it.
			found := tc.recalls && tc.name == "as kept"
			if got := suppressions.order.Len(); found && got != 1 || !found && tc.recalls && got != 2 {
				t.Errorf("%d suppressions cached after Publish: the recalled one was found %v, want %v", got, got == 1, found)
			}
			if got, _ := json.Marshal(again); string(got) != string(want) {
				t.Errorf("published after Recall:\n%.400s\nwant\n%.400s", got, want)
			}
			if len(again.Witnesses) != len(first.Witnesses) || len(again.Protecting) != len(first.Protecting) {
				t.Errorf("%d witnesses and %d protecting keys after Recall, want %d and %d", len(again.Witnesses), len(again.Protecting), len(first.Witnesses), len(first.Protecting))
			}
			t.Logf("landscape, 40 responses: solved in %v, published %s in %v", solved.Round(time.Millisecond), tc.name, took.Round(time.Millisecond))
		})
	}
}
