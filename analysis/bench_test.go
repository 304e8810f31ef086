package analysis_test

import (
	"fmt"
	"runtime"
	"testing"
	"time"

	"github.com/metlib/canvass/analysis"
	"github.com/metlib/canvass/demo"
	"github.com/metlib/canvass/survey"
	"github.com/metlib/canvass/survey/builtin"
)

// BenchmarkImpactReport computes the full impact-methods report over 10,000
// and 100,000 synthetic responses read from a stream; ns/response shows
// whether the cost grows linearly, B/op (with MB/run) what the analysis
// allocates, which is what a statistic must keep (numbers, texts) and not
// the responses, which the stream owns.
func BenchmarkImpactReport(b *testing.B) {
	surveys, err := builtin.Surveys()
	if err != nil {
		b.Fatal(err)
	}
	impact := surveys[1]
	for _, n := range []int{10_000, 100_000} {
		rs := demo.Responses(impact, n, 1, time.Now())
		b.Run(fmt.Sprintf("responses=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			for b.Loop() {
				if _, err := analysis.Report(impact, survey.ResponsesOf(rs), analysis.Options{}); err != nil {
					b.Fatal(err)
				}
			}
			runtime.ReadMemStats(&after)
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/response")
			b.ReportMetric(float64(after.TotalAlloc-before.TotalAlloc)/float64(b.N)/1e6, "MB/run")
		})
	}
}
