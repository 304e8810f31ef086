package web_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/metlib/canvass/survey"
)

// access is who may use a route.
type access int

const (
	public access = iota
	analystOnly
	adminOnly
	// regional routes are the analysts' and the coordinators' (admins
	// too); regionalWrite the admins' and the coordinators'. A coordinator
	// reaches only their regions' objects through them.
	regional
	regionalWrite
)

// routeRules lists every route and who may use it. A route added to the
// router without a rule here fails TestEveryRouteHasARoleRule.
var routeRules = map[string]access{
	"GET /healthz":                      public,
	"GET /readyz":                       public,
	"GET /metrics":                      public, // loopback or a token: TestMetrics
	"GET /static/*file":                 public,
	"GET /":                             public,
	"GET /s/:slug":                      public,
	"POST /s/:slug":                     public,
	"GET /s/:slug/thanks":               public,
	"GET /s/:slug/report":               public, // the personal link's token: TestReportPage
	"GET /s/:slug/report.pdf":           public,
	"GET /s/:slug/report.xlsx":          public,
	"GET /api/v1/surveys/:slug/reports": regional,
	"GET /api/v1/surveys/:slug/reports/:library":            regional,
	"PUT /api/v1/surveys/:slug/benchmark":                   adminOnly,
	"POST /api/v1/surveys/:slug/reports/release":            adminOnly,
	"POST /api/v1/surveys/:slug/reports/withdraw":           adminOnly,
	"POST /api/v1/surveys/:slug/reports/send":               adminOnly,
	"POST /api/v1/surveys/:slug/reports/mailmerge.csv":      adminOnly,
	"POST /api/v1/surveys/:slug/reports/mailmerge.xlsx":     adminOnly,
	"GET /admin/surveys/:slug/reports":                      regional,
	"GET /admin/surveys/:slug/reports/:library":             regional,
	"POST /admin/surveys/:slug/reports/release":             adminOnly,
	"POST /admin/surveys/:slug/reports/withdraw":            adminOnly,
	"POST /admin/surveys/:slug/reports/send":                adminOnly,
	"POST /admin/surveys/:slug/reports/mailmerge":           adminOnly,
	"POST /admin/surveys/:slug/reports/benchmark":           adminOnly,
	"GET /api/v1/surveys/:slug/form":                        public,
	"POST /api/v1/surveys/:slug/responses":                  public,
	"GET /admin/login":                                      public,
	"POST /admin/login":                                     public,
	"POST /admin/logout":                                    public,
	"GET /admin/setup":                                      public,
	"POST /admin/setup":                                     public,
	"GET /api/v1/surveys":                                   analystOnly,
	"GET /api/v1/surveys/:slug":                             analystOnly,
	"GET /api/v1/surveys/:slug/responses":                   regional,
	"GET /api/v1/responses/:id":                             regional,
	"GET /api/v1/surveys/:slug/analysis":                    analystOnly,
	"GET /api/v1/surveys/:slug/series":                      analystOnly,
	"GET /api/v1/surveys/:slug/trends":                      analystOnly,
	"GET /api/v1/surveys/:slug/series/:format":              analystOnly,
	"GET /api/v1/surveys/:slug/change-notes":                regional,
	"GET /admin/surveys/:slug/changes":                      regional,
	"GET /admin/surveys/:slug/trends":                       analystOnly,
	"POST /api/v1/surveys/:slug/waves":                      adminOnly,
	"POST /api/v1/surveys/:slug/waves/import":               adminOnly,
	"POST /admin/surveys/:slug/waves":                       adminOnly,
	"GET /admin/surveys/:slug/waves/import":                 adminOnly,
	"POST /admin/surveys/:slug/waves/import":                adminOnly,
	"GET /api/v1/surveys/:slug/:format":                     analystOnly,
	"GET /admin/surveys/:slug/results":                      analystOnly,
	"GET /admin":                                            regional,
	"GET /admin/account":                                    regional,
	"POST /admin/account/password":                          regional,
	"GET /admin/surveys/:slug":                              analystOnly,
	"GET /admin/surveys/:slug/definition.yaml":              analystOnly,
	"GET /admin/surveys/:slug/preview":                      analystOnly,
	"GET /admin/surveys/:slug/responses":                    regional,
	"GET /admin/responses/:id":                              regional,
	"POST /api/v1/surveys":                                  adminOnly,
	"POST /api/v1/surveys/import":                           adminOnly,
	"PUT /api/v1/surveys/:slug":                             adminOnly,
	"POST /api/v1/surveys/:slug/publish":                    adminOnly,
	"POST /api/v1/surveys/:slug/close":                      adminOnly,
	"DELETE /api/v1/responses/:id":                          adminOnly,
	"GET /api/v1/audit":                                     adminOnly,
	"GET /api/v1/users":                                     adminOnly,
	"POST /api/v1/users":                                    adminOnly,
	"PUT /api/v1/users/:id":                                 adminOnly,
	"GET /admin/surveys/new":                                adminOnly,
	"POST /admin/surveys":                                   adminOnly,
	"POST /admin/surveys/:slug/definition":                  adminOnly,
	"POST /admin/surveys/:slug/status":                      adminOnly,
	"POST /admin/surveys/:slug/dates":                       adminOnly,
	"GET /admin/responses/:id/delete":                       adminOnly,
	"POST /admin/responses/:id/delete":                      adminOnly,
	"GET /admin/tokens":                                     adminOnly,
	"POST /admin/tokens":                                    adminOnly,
	"POST /admin/tokens/:id/revoke":                         adminOnly,
	"GET /admin/users":                                      adminOnly,
	"POST /admin/users":                                     adminOnly,
	"POST /admin/users/:id":                                 adminOnly,
	"POST /admin/users/:id/reset":                           adminOnly,
	"GET /admin/audit":                                      adminOnly,
	"GET /admin/surveys/:slug/invitations":                  regional,
	"GET /admin/surveys/:slug/embed":                        analystOnly,
	"GET /admin/libraries":                                  regional,
	"GET /admin/libraries/:id":                              regional,
	"GET /admin/libraries/new":                              regionalWrite,
	"GET /admin/libraries/import":                           regionalWrite,
	"POST /admin/libraries":                                 regionalWrite,
	"POST /admin/libraries/import":                          regionalWrite,
	"POST /admin/libraries/:id":                             regionalWrite,
	"POST /admin/libraries/:id/delete":                      adminOnly,
	"POST /admin/libraries/:id/merge":                       adminOnly,
	"POST /admin/surveys/:slug/invitations":                 regionalWrite,
	"POST /admin/surveys/:slug/invitations/send":            regionalWrite,
	"POST /admin/surveys/:slug/invitations/mailmerge":       regionalWrite,
	"POST /admin/surveys/:slug/invitations/new-links":       regionalWrite,
	"POST /admin/libraries/:id/invite":                      regionalWrite,
	"POST /admin/surveys/:slug/invitations/templates":       adminOnly,
	"POST /admin/surveys/:slug/invitations/:id/revoke":      regionalWrite,
	"GET /api/v1/public/libraries":                          public,
	"GET /libraries":                                        public,
	"GET /libraries/:id":                                    public,
	"GET /embed/libraries":                                  public,
	"GET /embed/libraries.json":                             public,
	"GET /embed/:slug/results/:table":                       public,
	"GET /results/:slug":                                    public,
	"POST /api/v1/surveys/:slug/results/publish":            adminOnly,
	"POST /api/v1/surveys/:slug/results/unpublish":          adminOnly,
	"POST /api/v1/surveys/:slug/results/refresh":            adminOnly,
	"POST /admin/surveys/:slug/results/publish":             adminOnly,
	"POST /admin/surveys/:slug/results/unpublish":           adminOnly,
	"POST /admin/surveys/:slug/results/refresh":             adminOnly,
	"GET /embed/:slug":                                      public,
	"GET /embed/:slug/counts.json":                          public,
	"GET /embed/:slug/badge.svg":                            public,
	"GET /embed/:slug/widget.js":                            public,
	"GET /api/v1/libraries":                                 regional,
	"GET /api/v1/surveys/:slug/invitations":                 regional,
	"GET /api/v1/surveys/:slug/tracking":                    regional,
	"POST /api/v1/surveys/:slug/invitations":                regionalWrite,
	"POST /api/v1/surveys/:slug/invitations/:id/bounce":     regionalWrite,
	"POST /api/v1/surveys/:slug/invitations/:id/revoke":     regionalWrite,
	"POST /api/v1/surveys/:slug/invitations/mailmerge.csv":  regionalWrite,
	"POST /api/v1/surveys/:slug/invitations/mailmerge.xlsx": regionalWrite,
	"POST /api/v1/surveys/:slug/invitations/reminders.csv":  regionalWrite,
	"POST /api/v1/surveys/:slug/invitations/reminders.xlsx": regionalWrite,
	"POST /api/v1/surveys/:slug/invitations/new-links.csv":  regionalWrite,
	"POST /api/v1/surveys/:slug/invitations/new-links.xlsx": regionalWrite,
	"POST /api/v1/surveys/:slug/invitations/send":           regionalWrite,
	"POST /api/v1/responses/:id/update-library":             adminOnly,
	"GET /api/v1/surveys/:slug/mail-templates":              regional,
	"PUT /api/v1/surveys/:slug/mail-templates/:kind/:lang":  adminOnly,
	"GET /api/v1/libraries/:id":                             regional,
	"GET /api/v1/libraries/export.xlsx":                     regional,
	"GET /api/v1/libraries/export.csv":                      regional,
	"POST /api/v1/libraries":                                regionalWrite,
	"PUT /api/v1/libraries/:id":                             regionalWrite,
	"DELETE /api/v1/libraries/:id":                          adminOnly,
	"POST /api/v1/libraries/import":                         regionalWrite,
	"POST /api/v1/libraries/:id/merge":                      adminOnly,
	"GET /api/v1/contacts/export":                           regionalWrite,
	"POST /api/v1/contacts/erase":                           regionalWrite,
}

// TestEveryRouteHasARoleRule enumerates the router's routes and checks what
// anonymous visitors, analysts, admins and regional coordinators get from
// each: a new route without a rule fails here. A coordinator of Europe is
// refused every route that is not theirs (403), reaches each of theirs with
// Europe's library and invitation, and finds North America's not there
// (404, the answer for an unknown id, so that nothing can be probed).
func TestEveryRouteHasARoleRule(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	srv := a.serve(t)
	ctx := context.Background()
	r, _, err := a.store.CreateResponse(ctx, &survey.Response{SurveySlug: "every-type", SurveyVersion: 1, SubmissionID: "route-test-1", Status: survey.ResponseSubmitted, CreatedAt: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	_, hash := survey.NewTokenSecret()
	tok := &survey.APIToken{Name: "x", Role: survey.RoleAnalyst, Hash: hash, CreatedAt: time.Now()}
	_ = a.store.CreateToken(ctx, tok)
	a.user("someone@example.org", survey.RoleAnalyst)
	someone, _ := a.store.FindUserByEmail(ctx, "someone@example.org")
	params := strings.NewReplacer(":slug", "closed-one", ":id", r.ID, "*file", "canvass.css")
	paramsFor := func(route string) string {
		p := params.Replace(route)
		if strings.Contains(route, "/tokens/") {
			p = strings.Replace(p, r.ID, tok.ID, 1)
		}
		if strings.Contains(route, "/users/") {
			p = strings.Replace(p, r.ID, someone.ID, 1)
		}
		return p
	}

	anonymous := newClient(t, srv)
	anonymous.get("/admin/login")
	analyst, admin := newClient(t, srv), newClient(t, srv)
	a.signIn(t, analyst, survey.RoleAnalyst)
	a.signIn(t, admin, survey.RoleAdmin)
	analystToken, adminToken := a.token(survey.RoleAnalyst), a.token(survey.RoleAdmin)
	coordinator := newClient(t, srv)
	a.signInCoordinator(t, coordinator, "coord-europe@example.org", survey.Europe)
	mine, theirs := a.regionalObjects(t, "closed-one")
	objects := func(route string, o regionObjects) string {
		p := strings.NewReplacer(":slug", "closed-one", "*file", "canvass.css").Replace(route)
		if strings.Contains(route, "/invitations/:id") {
			return strings.Replace(p, ":id", o.invitation, 1)
		}
		if strings.Contains(route, "/responses/:id") {
			return strings.Replace(p, ":id", o.response, 1)
		}
		return strings.Replace(p, ":id", o.library, 1)
	}

	seen := map[string]bool{}
	for _, route := range a.server.Routes() {
		key := route.Method + " " + route.Path
		seen[key] = true
		rule, ok := routeRules[key]
		if !ok {
			t.Errorf("route %s has no access rule in routeRules", key)
			continue
		}
		if key == "POST /admin/logout" {
			continue // it would sign the clients out; tested in TestLoginSessionLogout
		}
		path := paramsFor(route.Path)
		isAPI := strings.HasPrefix(path, "/api/")
		call := func(c *client, token string) int {
			req, _ := http.NewRequest(route.Method, srv.URL+path, strings.NewReader("csrf_token="+c.csrf))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("Origin", srv.URL)
			if token != "" {
				req.Header.Set("Authorization", "Bearer "+token)
			}
			status := c.do(req).status
			if status >= 500 {
				// Not "access granted": a failure whoever asks.
				t.Errorf("%s as %s: status %d", key, map[bool]string{true: "a token", false: "a browser"}[token != ""], status)
			}
			return status
		}
		denied := func(status int) bool {
			return status == 401 || status == 403 || status == 303 && route.Method == "GET" && strings.HasPrefix(path, "/admin") && !strings.HasPrefix(path, "/admin/login")
		}

		anon := call(anonymous, "")
		switch {
		case rule == public && key == "POST /admin/login" && anon != 401:
			t.Errorf("%s: anonymous with no password got %d, want 401 (the form again)", key, anon)
		case rule == public && key != "POST /admin/login" && (anon == 401 || anon == 403):
			t.Errorf("%s: anonymous got %d, want access", key, anon)
		case rule != public && isAPI && anon != 401:
			t.Errorf("%s: anonymous got %d, want 401", key, anon)
		case rule != public && !isAPI && route.Method == "GET" && anon != 303:
			t.Errorf("%s: anonymous got %d, want 303 to the login page", key, anon)
		case rule != public && !isAPI && route.Method == "POST" && anon != 303:
			t.Errorf("%s: anonymous got %d, want 303 to the login page", key, anon)
		}
		if rule == public {
			continue
		}
		analystStatus := call(analyst, "")
		if isAPI {
			analystStatus = call(analyst, analystToken)
		}
		if (rule == adminOnly || rule == regionalWrite) && analystStatus != 403 {
			t.Errorf("%s: analyst got %d, want 403", key, analystStatus)
		}
		if (rule == analystOnly || rule == regional) && denied(analystStatus) {
			t.Errorf("%s: analyst got %d, want access", key, analystStatus)
		}
		adminStatus := call(admin, "")
		if isAPI {
			adminStatus = call(admin, adminToken)
		}
		if denied(adminStatus) {
			t.Errorf("%s: admin got %d, want access", key, adminStatus)
		}

		// The coordinator: a session (tokens have no regions), JSON to the API.
		callCoordinator := func(path string) int {
			body, ctype := "csrf_token="+coordinator.csrf, "application/x-www-form-urlencoded"
			if isAPI {
				body, ctype = coordinatorBodies[key], "application/json"
				if body == "" {
					body = "{}"
				}
			}
			req, _ := http.NewRequest(route.Method, srv.URL+path, strings.NewReader(body))
			req.Header.Set("Content-Type", ctype)
			req.Header.Set("Origin", srv.URL)
			status := coordinator.do(req).status
			if status >= 500 {
				t.Errorf("%s as a coordinator: status %d", key, status)
			}
			return status
		}
		own := callCoordinator(objects(route.Path, mine))
		switch {
		case rule == analystOnly || rule == adminOnly:
			if own != 403 {
				t.Errorf("%s: coordinator got %d, want 403", key, own)
			}
		case denied(own) || (strings.Contains(route.Path, ":id") && own == 404):
			t.Errorf("%s: coordinator with their own region's objects got %d, want access", key, own)
		case strings.Contains(route.Path, ":id"):
			if other := callCoordinator(objects(route.Path, theirs)); other != 404 {
				t.Errorf("%s: coordinator of Europe with North America's objects got %d, want 404", key, other)
			}
		}
	}
	// What the coordinator did with their own objects stayed in Europe:
	// North America's library and invitation are as they were.
	lib, err := a.store.FindLibrary(ctx, theirs.library)
	if err != nil || lib.Name != "Toronto Public Library" || len(lib.Contacts) != 1 {
		t.Errorf("North America's library after the coordinator's calls: %+v %v", lib, err)
	}
	inv, err := a.store.FindInvitation(ctx, theirs.invitation)
	if err != nil || inv.Revoked || inv.SendError != "" {
		t.Errorf("North America's invitation after the coordinator's calls: %+v %v", inv, err)
	}
	for key := range coordinatorBodies {
		if routeRules[key] != regionalWrite {
			t.Errorf("coordinatorBodies lists %s, which is not a coordinator's write route", key)
		}
	}
	for key := range routeRules {
		if !seen[key] {
			t.Errorf("routeRules lists %s, which is not a route", key)
		}
	}
}

// coordinatorBodies are the JSON bodies the coordinator sends where "{}"
// would be refused before the object is looked up, so that the 404 for
// another region's object is the lookup's, not a validation's.
var coordinatorBodies = map[string]string{
	"POST /api/v1/surveys/:slug/invitations/:id/bounce": `{"reason": "550 mailbox unavailable"}`,
}
