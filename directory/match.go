package directory

import (
	"fmt"
	"slices"
	"strings"

	"github.com/metlib/canvass/survey"
)

// Matching the rows of another file (an old survey round, one row per
// library) to the directory's libraries, by the keys an import finds
// duplicates with: a library's id, or its name with city and country, its
// website, or a contact's email (survey.Library.MatchKeys).

// MatchFields are the directory fields a row is matched by: "id" and the
// fields of the duplicate keys.
var MatchFields = []string{"id", "name", "city", "country", "website", "contact_email"}

// idHeaders are the headers that name a library's directory id.
var idHeaders = map[string]bool{"id": true, "library id": true, "directory id": true, "library ref": true}

// MatchField returns the field of MatchFields a column header names
// (case, spaces, underscores and hyphens aside, with the synonyms the
// directory import reads: "library" and "nom" are the name, "e-mail" a
// contact's email), or "" for any other header.
func MatchField(header string) string {
	h := normHeader(header)
	if idHeaders[h] {
		return "id"
	}
	if f := headerField[h]; slices.Contains(MatchFields, f) {
		return f
	}
	return ""
}

// Matcher finds the library of the directory a row is about.
type Matcher struct {
	byID  map[string]*survey.Library
	byKey map[string][]*survey.Library
}

// NewMatcher indexes the directory's libraries by id and by their match keys.
func NewMatcher(libs []*survey.Library) *Matcher {
	m := &Matcher{byID: map[string]*survey.Library{}, byKey: map[string][]*survey.Library{}}
	for _, l := range libs {
		m.byID[l.ID] = l
		for _, k := range l.MatchKeys() {
			if !slices.Contains(m.byKey[k], l) {
				m.byKey[k] = append(m.byKey[k], l)
			}
		}
	}
	return m
}

// Match returns the one library that fields (values by MatchFields)
// name, or nil and why not: no value to match by, no library that matches,
// or several (two libraries of the directory share a key, or one key
// names one library and another key another). An id, when given, decides
// alone. The country may be a code or a name, as in a directory import.
func (m *Matcher) Match(fields map[string]string) (*survey.Library, string) {
	if id := strings.TrimSpace(fields["id"]); id != "" {
		if l := m.byID[id]; l != nil {
			return l, ""
		}
		return nil, fmt.Sprintf("no library of the directory has the id %q", id)
	}
	r := Row{Fields: map[string]string{}}
	for _, f := range MatchFields[1:] {
		if v := strings.TrimSpace(fields[f]); v != "" {
			r.Fields[f] = v
		}
	}
	l, _ := r.library()
	keys := l.MatchKeys()
	if len(keys) == 0 {
		return nil, "nothing to find its library by: give a library id, the name with city and country, the website or a contact's email"
	}
	var found []*survey.Library
	for _, k := range keys {
		for _, c := range m.byKey[k] {
			if !slices.Contains(found, c) {
				found = append(found, c)
			}
		}
	}
	switch len(found) {
	case 0:
		return nil, "no library of the directory matches it by name, city and country, website or email"
	case 1:
		return found[0], ""
	}
	names := make([]string, len(found))
	for i, c := range found {
		names[i] = c.Name + " (" + c.ID + ")"
	}
	return nil, "it matches several libraries of the directory (" + strings.Join(names, ", ") + "); give the library id to say which"
}
