package web_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/metlib/canvass/survey"
)

func TestPublishedResults(t *testing.T) {
	a := newApp(t)
	ctx := context.Background()
	for i := 0; i < 7; i++ {
		answers := survey.Answers{"pick": "a", "grid": map[string]string{"r1": "lo"}, "name": "Ada Lovelace the respondent"}
		if i == 6 {
			answers["pick"], answers["why_b"] = "b", "a secret reason"
		}
		if i < 3 {
			answers["count"] = float64(10 * (i + 1))
		}
		if _, _, err := a.store.CreateResponse(ctx, &survey.Response{SurveySlug: "every-type", SurveyVersion: 1, SubmissionID: fmt.Sprintf("pub-%03d", i),
			Status: survey.ResponseSubmitted, Answers: answers, CreatedAt: time.Now()}); err != nil {
			t.Fatal(err)
		}
	}
	unknown := a.do(request{path: "/results/no-such-survey"})
	if rec := a.do(request{path: "/results/every-type"}); rec.Code != 404 || unknown.Code != 404 {
		t.Fatalf("unpublished results: %d", rec.Code)
	}
	if rec := a.do(request{path: "/embed/every-type/results/pick"}); rec.Code != 404 {
		t.Errorf("unpublished table: %d", rec.Code)
	}
	analyst, admin := a.token(survey.RoleAnalyst), a.token(survey.RoleAdmin)
	if rec := a.do(request{method: http.MethodPost, path: "/api/v1/surveys/every-type/results/publish", token: analyst}); rec.Code != 403 {
		t.Errorf("analyst publishes: %d", rec.Code)
	}
	if rec := a.do(request{method: http.MethodPost, path: "/api/v1/surveys/every-type/results/publish", token: admin}); rec.Code != 200 {
		t.Fatalf("publish: %d %s", rec.Code, rec.Body)
	}

	page := a.do(request{path: "/results/every-type?lang=en"})
	body := page.Body.String()
	if page.Code != 200 {
		t.Fatalf("results page: %d %s", page.Code, body)
	}
	// 6 of 7 chose a, 1 chose b: b's single answer is withheld ("x", no
	// percentage), and so is a's 6, which the required question's 7 would
	// turn into b's 1 by subtraction.
	for _, want := range []string{"Findings from 7 responding libraries", `<td class="num"></td><td class="num">x</td>`, "Fewer than 5 libraries answered: not shown.",
		"x: not shown. Counts below 5, and counts that would let one be worked out, are not shown."} {
		if !strings.Contains(body, want) {
			t.Errorf("results page lacks %q", want)
		}
	}
	for _, leak := range []string{"Ada Lovelace", "secret reason", "14%", "86%", `<td class="num">6</td>`, `<td class="num">1</td>`} {
		if strings.Contains(body, leak) {
			t.Errorf("results page publishes %q", leak)
		}
	}
	fr := a.do(request{path: "/results/every-type?lang=fr"})
	if !strings.Contains(fr.Body.String(), "Résultats de 7 bibliothèques") {
		t.Errorf("French results page: %s", fr.Body)
	}

	table := a.do(request{path: "/embed/every-type/results/pick"})
	if table.Code != 200 || !strings.Contains(table.Body.String(), `<td class="num">x</td>`) || table.Header().Get("X-Frame-Options") != "" || strings.Contains(table.Body.String(), "Ada") {
		t.Errorf("embedded table: %d %s", table.Code, table.Body)
	}
	if rec := a.do(request{path: "/embed/every-type/results/nope"}); rec.Code != 404 {
		t.Errorf("unknown table: %d", rec.Code)
	}

	if rec := a.do(request{method: http.MethodPost, path: "/api/v1/surveys/every-type/results/unpublish", token: admin}); rec.Code != 200 {
		t.Fatalf("unpublish: %d", rec.Code)
	}
	if rec := a.do(request{path: "/results/every-type"}); rec.Code != 404 {
		t.Errorf("after unpublishing: %d", rec.Code)
	}
}
