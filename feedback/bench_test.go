package feedback_test

import (
	"bytes"
	"testing"

	"github.com/metlib/canvass/feedback"
)

// BenchmarkReportPDF writes a realistic full report: every comparable
// question of the built-in impact-methods survey against 5 groups, in
// French. It reports the PDF's size.
func BenchmarkReportPDF(b *testing.B) {
	r := fullReport(b, "fr")
	var buf bytes.Buffer
	for b.Loop() {
		buf.Reset()
		if err := feedback.WritePDF(&buf, r); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(buf.Len()), "bytes/pdf")
}

// BenchmarkReportXLSX writes the same report as a workbook.
func BenchmarkReportXLSX(b *testing.B) {
	r := fullReport(b, "fr")
	var buf bytes.Buffer
	for b.Loop() {
		buf.Reset()
		if err := feedback.WriteXLSX(&buf, r); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(buf.Len()), "bytes/xlsx")
}

// BenchmarkBuildAll builds the reports of all 300 demo respondents of the
// impact-methods survey (each against the other 299), as releasing the
// survey's reports does; ns/report is the time per report.
func BenchmarkBuildAll(b *testing.B) {
	sv := builtinSurvey(b, "impact-methods")
	all := respondents(b, sv, 300, 1)
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		for i := range all {
			if _, err := feedback.Build(feedback.Input{Survey: sv, Lang: "en", Self: all[i], Others: all, Now: now}); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(all)), "ns/report")
}
