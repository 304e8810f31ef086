package analysis

import (
	"sort"
	"strings"
	"unicode"
)

// stopWords are left out of term counts, per language; languages without a
// list only lose words shorter than three letters.
var stopWords = map[string]string{
	"en": "the and for that with are this from have has was were our their they them its into also not but can all more than which who what when how about been will would there these those such other some any each most very out use used using over only your you his her she him had may might must should could per via",
	"fr": "les des une est que qui dans pour par sur avec pas plus sont ont nous vous leur leurs ses aux mais comme ont été être fait faire cette ces son sans tout tous toutes très peu aussi bien elle ils elles entre dont notre nos votre vos même donc ainsi lors",
	"es": "los las del que con una por para como más pero sus ese esta este estos estas son han hay muy sin sobre también entre cuando desde todo todos nuestra nuestro nuestros nuestras ella ellos ellas otro otra otros otras fue ser está están tiene tienen",
}

// topTerms counts the words of texts (lower-cased, letters and digits),
// leaving out stop words of the given languages and words under three
// letters, and returns the n most frequent (ties alphabetical).
func topTerms(texts []string, langs []string, n int) []Count {
	stop := map[string]bool{}
	for _, l := range langs {
		for _, w := range strings.Fields(stopWords[l]) {
			stop[w] = true
		}
	}
	counts := map[string]int{}
	for _, t := range texts {
		seen := map[string]bool{}
		for _, w := range strings.FieldsFunc(strings.ToLower(t), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
			if len([]rune(w)) < 3 || stop[w] || seen[w] {
				continue
			}
			seen[w] = true // count answers mentioning a word, not repetitions
			counts[w]++
		}
	}
	out := make([]Count, 0, len(counts))
	for w, c := range counts {
		out = append(out, Count{Key: w, Count: c, Share: share(c, len(texts))})
	}
	sort.Slice(out, func(i, j int) bool {
		return out[i].Count > out[j].Count || out[i].Count == out[j].Count && out[i].Key < out[j].Key
	})
	if len(out) > n {
		out = out[:n]
	}
	return out
}
