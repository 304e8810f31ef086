package web_test

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/metlib/canvass/survey"
)

// BenchmarkAnalysisEndToEnd is GET /api/v1/surveys/impact-methods/analysis
// over 10,000 responses stored in the embedded database: "cold" makes every
// request recompute (a new response arrives between requests, as during
// fieldwork), "cached" repeats the same request with nothing new.
// Seeding the 10,000 responses takes a few seconds before the timing.
func BenchmarkAnalysisEndToEnd(b *testing.B) {
	a := newApp(b)
	a.seedDemo("impact-methods", 10_000)
	analyst := a.token(survey.RoleAnalyst)
	get := func() {
		rec := a.do(request{path: "/api/v1/surveys/impact-methods/analysis?report=true", token: analyst})
		if rec.Code != http.StatusOK {
			b.Fatalf("analysis: %d %s", rec.Code, rec.Body)
		}
	}
	get()
	b.Run("cold", func(b *testing.B) {
		i := 0
		for b.Loop() {
			b.StopTimer()
			i++
			body := fmt.Sprintf(`{"submission_id": "bench-cold-%08d", "answers": {"library_name": "L", "contact_email": "l@example.org", "country": "FR", "measurement_status": "not_measuring", "share_data": "no"}}`, i)
			if rec := a.do(request{method: http.MethodPost, path: "/api/v1/surveys/impact-methods/responses", body: body, contentType: "application/json"}); rec.Code != 201 {
				b.Fatal(rec.Code)
			}
			b.StartTimer()
			get()
		}
	})
	b.Run("cached", func(b *testing.B) {
		for b.Loop() {
			get()
		}
	})
}
