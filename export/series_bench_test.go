package export

import (
	"fmt"
	"io"
	"runtime"
	"testing"
	"time"

	"github.com/metlib/canvass/demo"
	"github.com/metlib/canvass/survey"
	"github.com/metlib/canvass/survey/builtin"
)

// benchLibraries is how many libraries answer each of the benchmark's
// three waves: 3 × 20,000 rows long, 20,000 rows wide.
const benchLibraries = 20_000

// BenchmarkSeriesExport writes three waves of the built-in landscape
// survey, each answered by the same 20,000 libraries, as the long and the
// wide XLSX in one run, and the raw XLSX of the same 60,000 responses as
// one wave for comparison. It reports rows per second of each layout,
// each against the raw export's (the cost of the series plan: recodes,
// the union of columns, the wide layout's walk of the waves side by
// side), and the peak resident memory while the series exports ran.
func BenchmarkSeriesExport(b *testing.B) {
	surveys, err := builtin.Surveys()
	if err != nil {
		b.Fatal(err)
	}
	var base *survey.Survey
	for _, s := range surveys {
		if s.Slug == "landscape" {
			base = s
		}
	}
	pool := demo.Responses(base, benchPool, 1, time.Now())
	waves := make([]Wave, 3)
	for w := range waves {
		sv := *base
		sv.Slug, sv.Wave = fmt.Sprintf("landscape-%d", 2024+w), fmt.Sprint(2024+w)
		waves[w] = Wave{Survey: &sv, Responses: libraryResponses(pool, sv.Slug, benchLibraries)}
	}
	all := func(yield func(*survey.Response, error) bool) {
		for _, w := range waves {
			for r, err := range w.Responses {
				if !yield(r, err) {
					return
				}
			}
		}
	}
	var longDur, wideDur, rawDur time.Duration
	var peakRSS uint64
	for b.Loop() {
		runtime.GC()
		stop := sampleRSS(&peakRSS)
		start := time.Now()
		if err := SeriesXLSX(io.Discard, waves, Long, Options{}); err != nil {
			b.Fatal(err)
		}
		longDur += time.Since(start)
		start = time.Now()
		if err := SeriesXLSX(io.Discard, waves, Wide, Options{}); err != nil {
			b.Fatal(err)
		}
		wideDur += time.Since(start)
		stop()
		runtime.GC()
		start = time.Now()
		if err := RawXLSX(io.Discard, base, all, Options{}); err != nil {
			b.Fatal(err)
		}
		rawDur += time.Since(start)
	}
	n := float64(b.N)
	longRate := 3 * benchLibraries * n / longDur.Seconds()
	wideRate := benchLibraries * n / wideDur.Seconds()
	rawRate := 3 * benchLibraries * n / rawDur.Seconds()
	b.ReportMetric(longRate, "long-rows/s")
	b.ReportMetric(wideRate, "wide-rows/s")
	b.ReportMetric(100*longRate/rawRate, "long-%-of-raw")
	b.ReportMetric(100*3*wideRate/rawRate, "wide-responses-%-of-raw")
	b.ReportMetric(float64(peakRSS)/(1<<20), "peak-RSS-MB")
}

// libraryResponses is n responses to slug, one per library in library id
// order (as the store streams a wave for the wide layout), their answers
// from pool.
func libraryResponses(pool []*survey.Response, slug string, n int) Responses {
	return func(yield func(*survey.Response, error) bool) {
		for i := range n {
			r := *pool[i%len(pool)]
			r.ID, r.SurveySlug, r.LibraryID = fmt.Sprintf("%s-%08d", slug, i), slug, fmt.Sprintf("lib%08d", i)
			if !yield(&r, nil) {
				return
			}
		}
	}
}
