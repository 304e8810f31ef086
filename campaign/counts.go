package campaign

import (
	"sort"
	"time"
)

// countsTTL is how often an instance counts a survey's responses against
// its public snapshot (see currentSnapshot): a retake another instance made,
// or k responses arriving, shows within this time.
const countsTTL = 10 * time.Second

// sortedKeys returns a map's keys in order, for output that must not
// change from one run to the next.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
