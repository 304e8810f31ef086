package feedback

import (
	"strings"
	"testing"
)

// TestRenderWordsComplete: every language has every word English has, with
// the same verbs.
func TestRenderWordsComplete(t *testing.T) {
	t.Parallel()
	for lang, words := range renderWords {
		for key, en := range renderWords["en"] {
			w, ok := words[key]
			if !ok {
				t.Errorf("%s: no %q", lang, key)
				continue
			}
			for _, verb := range []string{"%s", "%d"} {
				if strings.Count(w, verb) != strings.Count(en, verb) {
					t.Errorf("%s %q: %d %s, English has %d", lang, key, strings.Count(w, verb), verb, strings.Count(en, verb))
				}
			}
		}
		if len(words) != len(renderWords["en"]) {
			t.Errorf("%s: %d words, English has %d", lang, len(words), len(renderWords["en"]))
		}
	}
}
