package web_test

import (
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/metlib/canvass/survey"
)

// BenchmarkReportPage serves released reports of impact-methods answered by
// 300 libraries through their personal links, as a library opening its
// "Your report" page does (the responses and the directory loaded, the
// report built and rendered), and its PDF; ms/page and ms/pdf are the
// time per request, bytes/pdf the PDF's size.
func BenchmarkReportPage(b *testing.B) {
	a := newApp(b)
	f := a.seedReports(b, 300)
	a.closeSurvey(b, "impact-methods")
	if rec := a.do(request{method: http.MethodPost, path: "/api/v1/surveys/impact-methods/reports/release", token: a.token(survey.RoleAdmin)}); rec.Code != http.StatusOK {
		b.Fatalf("release: %d", rec.Code)
	}
	var tokens []string
	for _, tok := range f.tokens {
		tokens = append(tokens, tok)
	}
	slices.Sort(tokens)
	var pageTime, pdfTime time.Duration
	var pages, pdfBytes int
	for b.Loop() {
		tok := tokens[pages%len(tokens)]
		start := time.Now()
		if rec := a.do(request{path: "/s/impact-methods/report?t=" + tok + "&lang=fr"}); rec.Code != http.StatusOK {
			b.Fatalf("page: %d", rec.Code)
		}
		pageTime += time.Since(start)
		start = time.Now()
		rec := a.do(request{path: "/s/impact-methods/report.pdf?t=" + tok + "&lang=fr"})
		if rec.Code != http.StatusOK {
			b.Fatalf("pdf: %d", rec.Code)
		}
		pdfTime += time.Since(start)
		pdfBytes = rec.Body.Len()
		pages++
	}
	b.ReportMetric(pageTime.Seconds()*1000/float64(pages), "ms/page")
	b.ReportMetric(pdfTime.Seconds()*1000/float64(pages), "ms/pdf")
	b.ReportMetric(float64(pdfBytes), "bytes/pdf")
}
