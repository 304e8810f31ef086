package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/metlib/canvass/analysis"
	"github.com/metlib/canvass/demo"
	"github.com/metlib/canvass/survey"
)

// seedDemo stores n demo responses to a survey.
func (a *app) seedDemo(slug string, n int) []*survey.Response {
	a.t.Helper()
	ctx := context.Background()
	sv, err := a.store.FindSurvey(ctx, slug)
	if err != nil {
		a.t.Fatal(err)
	}
	rs := demo.Responses(sv, n, 5, time.Now())
	for _, r := range rs {
		// Stand-ins for real respondents: canvass demo's own mark would
		// keep them off the public pages these tests read.
		r.Source = "web"
		if _, _, err := a.store.CreateResponse(ctx, r); err != nil {
			a.t.Fatal(err)
		}
	}
	return rs
}

func TestAnalysisAPI(t *testing.T) {
	a := newApp(t)
	rs := a.seedDemo("impact-methods", 120)
	analyst := a.token(survey.RoleAnalyst)

	rec := a.do(request{path: "/api/v1/surveys/impact-methods/analysis", token: analyst})
	if rec.Code != 200 {
		t.Fatalf("analysis: %d %s", rec.Code, rec.Body)
	}
	got := decode[analysis.Result](t, rec)
	sv, _ := a.store.FindSurvey(context.Background(), "impact-methods")
	want, _ := analysis.Analyze(sv, survey.ResponsesOf(rs), analysis.Options{})
	if got.Responses != 120 || len(got.Questions) != len(want.Questions) {
		t.Fatalf("analysed %d responses, %d questions", got.Responses, len(got.Questions))
	}
	for i, q := range want.Questions {
		if got.Questions[i].Answered != q.Answered || got.Questions[i].Asked != q.Asked {
			t.Errorf("%s: base %d/%d over HTTP, %d/%d in process", q.ID, got.Questions[i].Answered, got.Questions[i].Asked, q.Answered, q.Asked)
		}
	}
	// Full precision in JSON: the share is the exact ratio.
	var m *analysis.QuestionResult
	for _, q := range got.Questions {
		if q.ID == "methods_used" {
			m = q
		}
	}
	if m == nil || m.Options[0].Share != float64(m.Options[0].Count)/float64(m.Answered) {
		t.Errorf("methods_used share %v for %d/%d", m.Options[0].Share, m.Options[0].Count, m.Answered)
	}

	rec = a.do(request{path: "/api/v1/surveys/impact-methods/analysis?by=region&region=europe&answer=measurement_status:systematic&report=true", token: analyst})
	rep := decode[analysis.ReportResult](t, rec)
	wantN := 0
	for _, r := range rs {
		if r.Region == survey.Europe && r.Answers.String("measurement_status") == "systematic" {
			wantN++
		}
	}
	if rec.Code != 200 || rep.Responses != wantN || len(rep.Tables) != 12 {
		t.Errorf("filtered report: %d, %d responses (want %d), %d tables", rec.Code, rep.Responses, wantN, len(rep.Tables))
	}
	for _, bad := range []string{"?by=nope", "?region=atlantis", "?from=yesterday", "?answer=nope", "?bands=a,b"} {
		if rec := a.do(request{path: "/api/v1/surveys/impact-methods/analysis" + bad, token: analyst}); rec.Code != 400 {
			t.Errorf("%s: %d, want 400", bad, rec.Code)
		}
	}
	if rec := a.do(request{path: "/api/v1/surveys/impact-methods/analysis"}); rec.Code != 401 {
		t.Errorf("anonymous: %d", rec.Code)
	}
}

func TestAnalysisCacheSeesNewResponses(t *testing.T) {
	a := newApp(t)
	analyst := a.token(survey.RoleAnalyst)
	count := func() int {
		rec := a.do(request{path: "/api/v1/surveys/every-type/analysis", token: analyst})
		var res struct{ Responses int }
		_ = json.Unmarshal(rec.Body.Bytes(), &res)
		return res.Responses
	}
	if n := count(); n != 0 {
		t.Fatalf("%d", n)
	}
	a.do(request{method: http.MethodPost, path: "/api/v1/surveys/every-type/responses", body: `{"answers": {"pick": "a", "grid": {"r1": "lo"}}}`, contentType: "application/json"})
	if n := count(); n != 1 {
		t.Errorf("after a new response the analysis shows %d", n)
	}
	list, _, _ := a.store.ListResponses(context.Background(), survey.ResponseFilter{SurveySlug: "every-type"})
	admin := a.token(survey.RoleAdmin)
	if rec := a.do(request{method: http.MethodDelete, path: "/api/v1/responses/" + list[0].ID, token: admin}); rec.Code != 204 {
		t.Fatal(rec.Code)
	}
	if n := count(); n != 0 {
		t.Errorf("after deleting, the analysis shows %d", n)
	}
}

func TestResultsDashboard(t *testing.T) {
	a := newApp(t)
	a.seedDemo("impact-methods", 150)
	c := newClient(t, a.serve(t))
	a.signIn(t, c, survey.RoleAnalyst)
	p := c.get("/admin/surveys/impact-methods/results")
	if p.status != 200 {
		t.Fatalf("dashboard: %d", p.status)
	}
	for _, want := range []string{"<strong>150</strong> submitted responses", "Table 1. Impact-measurement methods used", "Table 3. Use of each family of evidence (ISO 16439)",
		`<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-wide"`, "95% CI", "Spearman&#39;s ρ", "Pearson χ²", "Multiple answers allowed"} {
		if !strings.Contains(p.body, want) {
			t.Errorf("dashboard lacks %q", want)
		}
	}
	if strings.Contains(p.body, "<script>") || strings.Contains(p.body, " on") && regexp.MustCompile(`<[^>]+ on[a-z]+=`).MatchString(p.body) {
		t.Error("inline script on the dashboard")
	}
	// No two tables with different specs show the same body (Table 3 used
	// to repeat Table 1's options above its option groups).
	doc, err := html.Parse(strings.NewReader(p.body))
	if err != nil {
		t.Fatal(err)
	}
	bodies := map[string]string{}
	for _, s := range findAll(doc, func(n *html.Node) bool { return n.Data == "section" && strings.HasPrefix(attr(n, "id"), "table-") }) {
		var b strings.Builder
		for c := s.FirstChild; c != nil; c = c.NextSibling {
			if c.Data != "h2" && attr(c, "class") != "note" {
				b.WriteString(text(c))
			}
		}
		bodies[attr(s, "id")] = b.String()
	}
	distinctBodies(t, "dashboard", bodies)
	if body := bodies["table-evidence_families"]; strings.Contains(body, "Output statistics") {
		t.Errorf("Table 3 lists the options again:\n%s", body)
	}
	p = c.get("/admin/surveys/impact-methods/results?by=region&language=fr")
	if p.status != 200 || !strings.Contains(p.body, `Europe<span class="col-base">n = `) {
		t.Errorf("grouped dashboard: %d", p.status)
	}
	if p := c.get("/admin/surveys/impact-methods/results?by=zzz"); p.status != 400 || !strings.Contains(p.body, "group by region, language or a question") {
		t.Errorf("bad grouping: %d", p.status)
	}
}
