package web_test

import (
	"testing"

	"github.com/metlib/canvass/survey"
)

// TestErrorsFollowTheirRouteGroup asks every JSON route group for a 404, a
// 400 and a 405 (by a route that exists, by none, and by a method no route
// has), and checks each body is the documented error shape served as JSON;
// then asks the HTML groups the same and checks they answer with a page.
func TestErrorsFollowTheirRouteGroup(t *testing.T) {
	jsonError := func(name, method, url string, as survey.Role, status int, code string) scenario {
		return scenario{name: name, method: method, url: url, as: as, status: status, errorCode: code}
	}
	htmlError := func(name, method, url string, status int) scenario {
		return scenario{name: name, method: method, url: url, status: status, contentType: "text/html",
			contains: []string{"<!doctype html>", "</html>"}, absent: []string{`"error":`}}
	}
	runScenarios(t, []scenario{
		// The API.
		jsonError("api unknown survey form", "GET", "/api/v1/surveys/nope/form", "", 404, "not_found"),
		jsonError("api unknown response", "GET", "/api/v1/responses/nope", survey.RoleAnalyst, 404, "not_found"),
		jsonError("api no such route", "GET", "/api/v1/nothing-here", "", 404, "not_found"),
		jsonError("api no such version", "GET", "/api/v2/surveys", "", 404, "not_found"),
		jsonError("api bad page", "GET", "/api/v1/surveys/landscape/responses?page=0", survey.RoleAnalyst, 400, "malformed"),
		jsonError("api public libraries bad page", "GET", "/api/v1/public/libraries?page=x", "", 400, "malformed"),
		jsonError("api method not allowed", "DELETE", "/api/v1/surveys", survey.RoleAdmin, 405, "method_not_allowed"),
		jsonError("api method not allowed anonymous", "PATCH", "/api/v1/surveys/landscape/form", "", 405, "method_not_allowed"),
		jsonError("api signed out", "GET", "/api/v1/surveys", "", 401, "unauthorized"),
		{name: "api malformed body", method: "POST", url: "/api/v1/surveys/every-type/responses", body: `{"answers": `,
			headers: map[string]string{"Content-Type": "application/json"}, status: 400, errorCode: "malformed"},

		// What scripts on the section's site fetch from the embeds.
		jsonError("embed unknown survey counts.json", "GET", "/embed/nope/counts.json", "", 404, "not_found"),
		jsonError("embed libraries.json page zero", "GET", "/embed/libraries.json?page=0", "", 400, "malformed"),
		jsonError("embed libraries.json page not a number", "GET", "/embed/libraries.json?page=two", "", 400, "malformed"),
		jsonError("embed libraries.json per_page too large", "GET", "/embed/libraries.json?per_page=100000", "", 400, "malformed"),
		jsonError("embed libraries.json posted", "POST", "/embed/libraries.json", "", 405, "method_not_allowed"),
		jsonError("embed counts.json posted", "POST", "/embed/impact-methods/counts.json", "", 405, "method_not_allowed"),
		jsonError("embed widget.js posted", "POST", "/embed/impact-methods/widget.js", "", 405, "method_not_allowed"),
		jsonError("embed no such json", "GET", "/embed/impact-methods/totals.json", "", 404, "not_found"),

		// The operational endpoints.
		jsonError("healthz posted", "POST", "/healthz", "", 405, "method_not_allowed"),
		jsonError("readyz posted", "POST", "/readyz", "", 405, "method_not_allowed"),
		jsonError("metrics from afar without a token", "GET", "/metrics", "", 401, "unauthorized"),

		// Pages people read: the respondent and public pages, the embeds
		// shown in an iframe or an img, the admin pages.
		htmlError("page unknown survey", "GET", "/s/nope", 404),
		htmlError("page no such route", "GET", "/nowhere", 404),
		htmlError("page method not allowed", "DELETE", "/s/every-type", 405),
		htmlError("page unknown library", "GET", "/libraries/nope", 404),
		htmlError("page unknown results", "GET", "/results/nope", 404),
		htmlError("embed iframe unknown survey", "GET", "/embed/nope", 404),
		htmlError("embed iframe named like json", "GET", "/embed/nope.json", 404),
		htmlError("embed iframe libraries bad page", "GET", "/embed/libraries?page=0", 400),
		htmlError("embed badge unknown survey", "GET", "/embed/nope/badge.svg", 404),
		htmlError("embed results table unknown survey", "GET", "/embed/nope/results/1", 404),
		htmlError("admin no such page", "GET", "/admin/nowhere", 404),
		htmlError("admin method not allowed", "PUT", "/admin/login", 405),
		htmlError("api prefix without a slash", "GET", "/api", 404),
	})
}
