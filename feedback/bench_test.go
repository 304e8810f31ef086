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
