package feedback_test

import (
	"testing"

	"github.com/metlib/canvass/feedback"
)

func TestFormat(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, got, want string
	}{
		{"percent en", feedback.Percent("en", 0.45), "45%"},
		{"percent fr", feedback.Percent("fr", 0.45), "45\u202f%"},
		{"percent es", feedback.Percent("es", 0.45), "45\u00a0%"},
		{"percent half rounds up", feedback.Percent("en", 0.125), "13%"},
		{"percent unknown language", feedback.Percent("de", 0.45), "45%"},
		{"number en", feedback.Number("en", 1234.5), "1,234.5"},
		{"number fr", feedback.Number("fr", 1234.5), "1\u202f234,5"},
		{"number es four digits", feedback.Number("es", 1234.5), "1234,5"},
		{"number es five digits", feedback.Number("es", 12500), "12.500"},
		{"number whole", feedback.Number("fr", 100), "100"},
		{"number two decimals", feedback.Number("en", 950.256), "950.26"},
		{"number small", feedback.Number("en", 0.0125), "0.0125"},
		{"number small fr", feedback.Number("fr", 0.01234), "0,0123"},
		{"number negative", feedback.Number("en", -3.5), "−3.5"},
		{"number zero", feedback.Number("en", 0), "0"},
		{"interval en", feedback.Interval("en", 0.38, 0.52), "38–52%"},
		{"interval fr", feedback.Interval("fr", 0.38, 0.52), "38–52\u202f%"},
		{"share es", feedback.ShareText("es", feedback.Share{Share: 0.45, Low: 0.38, High: 0.52}), "45\u00a0% (38–52\u00a0%)"},
	} {
		if tc.got != tc.want {
			t.Errorf("%s: got %q, want %q", tc.name, tc.got, tc.want)
		}
	}
}
