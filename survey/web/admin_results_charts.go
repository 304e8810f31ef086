package web

import (
	"fmt"
	"html"
	"html/template"
	"strings"

	"github.com/metlib/canvass/analysis"
	"github.com/metlib/canvass/survey"
)

// barChart draws horizontal bars of shares (0–1) with 95% interval whiskers
// as an inline SVG, server-side: no script, no external styles (the page's
// Content-Security-Policy allows neither), readable without colour.
func barChart(lang, title string, bars []chartBar) template.HTML {
	if len(bars) == 0 {
		return ""
	}
	const (
		labelW = 260.0
		plotW  = 360.0
		rowH   = 22.0
		top    = 24.0
	)
	width := labelW + plotW + 70
	height := top + rowH*float64(len(bars)) + 24
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 %.0f %.0f" width="100%%" role="img" aria-labelledby="chart-%p">`, width, height, &bars)
	fmt.Fprintf(&b, `<title id="chart-%p">%s</title>`, &bars, html.EscapeString(title))
	for _, tick := range []float64{0, .25, .5, .75, 1} {
		x := labelW + tick*plotW
		fmt.Fprintf(&b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#d8dde2"/>`, x, top-6, x, height-20)
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" font-size="11" text-anchor="middle" fill="#555d66">%s</text>`, x, height-6, survey.FormatPercent(lang, tick, 0))
	}
	for i, bar := range bars {
		y := top + float64(i)*rowH
		label := bar.Label
		if len([]rune(label)) > 36 {
			label = string([]rune(label)[:35]) + "…"
		}
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" font-size="12" text-anchor="end" fill="#1b1f24">%s</text>`, labelW-8, y+14, html.EscapeString(label))
		fmt.Fprintf(&b, `<rect x="%.1f" y="%.1f" width="%.1f" height="14" fill="#0b5cad"><title>%s: %s (%s %s), n = %s</title></rect>`,
			labelW, y+3, bar.Share*plotW, html.EscapeString(bar.Label), survey.FormatPercent(lang, bar.Share, 1), html.EscapeString(ui(lang, "dash_ci")),
			formatCIIn(lang, bar.CI), survey.FormatInt(lang, bar.Count))
		if !bar.CI.Undefined() { // no answers: no interval, so no whisker (its bounds are NaN)
			lo, hi := labelW+bar.CI.Low*plotW, labelW+bar.CI.High*plotW
			fmt.Fprintf(&b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#1b1f24" stroke-width="1.5"/>`, lo, y+10, hi, y+10)
			fmt.Fprintf(&b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#1b1f24" stroke-width="1.5"/>`, lo, y+5, lo, y+15)
			fmt.Fprintf(&b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#1b1f24" stroke-width="1.5"/>`, hi, y+5, hi, y+15)
		}
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" font-size="11" fill="#1b1f24">%s</text>`, labelW+plotW+6, y+14, survey.FormatPercent(lang, bar.Share, 0))
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String()) // every text above is escaped
}

type chartBar struct {
	Label string
	Share float64
	CI    analysis.Interval
	Count int
}

// chartFor picks the bars of a report table: options, option groups, or
// matrix rows' top-two-box shares; numbers are written for lang.
func chartFor(lang string, t analysis.TableResult) template.HTML {
	q := t.Question
	var bars []chartBar
	switch {
	case t.Grouping != nil:
		return "" // the bars would be the ungrouped shares, under a grouped table's title
	case len(q.Groups) > 0:
		for _, g := range q.Groups {
			bars = append(bars, chartBar{optionGroupLabel(g), g.Share, g.CI, g.Count})
		}
	case len(q.Rows) > 0:
		for _, r := range q.Rows {
			if r.Scale != nil {
				bars = append(bars, chartBar{r.Label, r.Scale.TopTwoShare, r.Scale.TopTwoCI, r.Scale.TopTwoCount})
			}
		}
	case t.Spec.Summary == "count":
		return ""
	default:
		for _, o := range q.Options {
			bars = append(bars, chartBar{o.Label, o.Share, o.CI, o.Count})
		}
	}
	if len(bars) > 30 {
		bars = bars[:30]
	}
	return barChart(lang, t.Title, bars)
}
