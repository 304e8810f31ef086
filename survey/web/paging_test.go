package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/metlib/canvass/survey"
)

// TestEveryPagedListRefusesAPageOutOfRange asks every paged list for pages
// whose offset (page-1)*per_page would overflow, or that are not numbers at
// all, and for a search holding a NUL byte: each must be one 400 that names
// the parameter (the error shape for JSON, a page saying so for HTML), never
// the campaign's 422 about page sizes nor a 500 from the database.
func TestEveryPagedListRefusesAPageOutOfRange(t *testing.T) {
	type route struct {
		name, path string
		as         survey.Role
		html       bool
	}
	routes := []route{
		{"api responses", "/api/v1/surveys/landscape/responses", survey.RoleAnalyst, false},
		{"api libraries", "/api/v1/libraries", survey.RoleAnalyst, false},
		{"api public libraries", "/api/v1/public/libraries", "", false},
		{"api audit", "/api/v1/audit", survey.RoleAdmin, false},
		{"embed libraries.json", "/embed/libraries.json", "", false},
		{"embed libraries", "/embed/libraries", "", true},
		{"public libraries", "/libraries", "", true},
		{"admin responses", "/admin/surveys/landscape/responses", survey.RoleAdmin, true},
		{"admin libraries", "/admin/libraries", survey.RoleAdmin, true},
		{"admin audit", "/admin/audit", survey.RoleAdmin, true},
	}
	pages := map[string]string{
		"max int64":        "9223372036854775807",
		"overflows int64":  "99999999999999999999",
		"2e17":             "200000000000000000",
		"one past the cap": "1000001",
		"zero":             "0",
		"negative":         "-3",
		"not a number":     "two",
		"a fraction":       "1.5",
	}
	var scenarios []scenario
	for _, r := range routes {
		for label, page := range pages {
			sc := scenario{name: r.name + " page " + label, url: r.path + "?page=" + url.QueryEscape(page), as: r.as, status: http.StatusBadRequest}
			if r.html {
				sc.contentType = "text/html"
				sc.contains = []string{"page must be a whole number from 1 to 1000000."}
			} else {
				sc.errorCode, sc.errorField = "malformed", "page"
			}
			sc.absent = []string{"A page holds"}
			scenarios = append(scenarios, sc)
		}
		// The cap itself is a page (empty, far past the end), not an error.
		scenarios = append(scenarios, scenario{name: r.name + " page at the cap", url: r.path + "?page=1000000", as: r.as, status: http.StatusOK})
	}
	// A NUL in a search: the database would refuse the pattern.
	for _, r := range []route{
		{"api libraries", "/api/v1/libraries", survey.RoleAnalyst, false},
		{"api public libraries", "/api/v1/public/libraries", "", false},
		{"api libraries export", "/api/v1/libraries/export.csv", survey.RoleAnalyst, false},
		{"embed libraries.json", "/embed/libraries.json", "", false},
		{"embed libraries", "/embed/libraries", "", true},
		{"public libraries", "/libraries", "", true},
		{"admin libraries", "/admin/libraries", survey.RoleAdmin, true},
	} {
		for label, q := range map[string]string{"NUL": "a\x00b", "escape": "\x1b[31m", "invalid UTF-8": "\xff\xfe"} {
			sc := scenario{name: r.name + " q with " + label, url: r.path + "?q=" + url.QueryEscape(q), as: r.as, status: http.StatusBadRequest}
			if r.html {
				sc.contentType = "text/html"
				sc.contains = []string{"q holds a control character or invalid UTF-8."}
			} else {
				sc.errorCode, sc.errorField = "malformed", "q"
			}
			scenarios = append(scenarios, sc)
		}
	}
	for label, v := range map[string]string{"actor": "x\x00", "action": "\x00", "target": "a\x07"} {
		scenarios = append(scenarios, scenario{name: "api audit " + label + " with a control character", url: "/api/v1/audit?" + label + "=" + url.QueryEscape(v),
			as: survey.RoleAdmin, status: http.StatusBadRequest, errorCode: "malformed", errorField: label})
	}
	if n := len(scenarios); n < len(routes)*len(pages) {
		t.Fatalf("only %d scenarios", n)
	}
	for i := range scenarios {
		scenarios[i].name = strings.ReplaceAll(scenarios[i].name, "/", " ")
	}
	runScenarios(t, scenarios)
}
