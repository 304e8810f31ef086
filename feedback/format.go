package feedback

import (
	"math"
	"strings"

	"github.com/metlib/canvass/survey"
)

// The report's figures are written by these functions only, so that the PDF,
// the workbook's text and the web page show the same text for the same
// figure. They rest on survey.FormatNumber and survey.FormatPercent, the
// formatting every other output of Canvass uses (CLDR's conventions: "45%",
// "45 %" with a narrow no-break space in French, "45 %" with a no-break
// space in Spanish).

// Percent writes a share (0.45 for 45 %) as a whole percentage in lang's
// style: "45%", "45 %" (fr, U+202F), "45 %" (es, U+00A0).
func Percent(lang string, share float64) string {
	return survey.FormatPercent(lang, share, 0)
}

// Number writes x with lang's grouping and decimal mark, with as many
// decimals as it needs up to two ("1,234", "12.5", "0.25"), and three
// significant digits below one ("0.0123"), so a per-capita figure is not
// written 0.
func Number(lang string, x float64) string {
	decimals := 2
	if a := math.Abs(x); a > 0 && a < 1 {
		decimals = min(6, 2-int(math.Floor(math.Log10(a))))
	}
	s := survey.FormatNumber(lang, x, decimals)
	mark := survey.FormatNumber(lang, 0.5, 1)[1:2] // the language's decimal mark
	if strings.Contains(s, mark) {
		s = strings.TrimRight(s, "0")
		s = strings.TrimSuffix(s, mark)
	}
	return s
}

// Interval writes a 95% interval of shares as "38–52%" ("38–52 %" in
// French), the way the results pages write theirs.
func Interval(lang string, low, high float64) string {
	return survey.FormatNumber(lang, 100*low, 0) + "–" + Percent(lang, high)
}

// ShareText writes a share with its interval, "45% (38–52%)", as every
// renderer shows a shown share.
func ShareText(lang string, s Share) string {
	return Percent(lang, s.Share) + " (" + Interval(lang, s.Low, s.High) + ")"
}
