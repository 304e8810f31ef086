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
//
// It draws the chart twice and the stylesheet shows one: wide, labels
// beside the bars (690 units across, for screens where it is drawn near
// full size), and narrow, each label above its bar (280 units, the width of
// a phone's column), so that on a 390 px phone the text is not scaled down
// to unreadable sizes (the wide chart would be drawn at about half size,
// its 11-unit text at 6 px).
func barChart(lang, title string, bars []chartBar) template.HTML {
	if len(bars) == 0 {
		return ""
	}
	var b strings.Builder
	drawBars(&b, lang, title, bars, false)
	drawBars(&b, lang, title, bars, true)
	return template.HTML(b.String()) // every text is escaped
}

// drawBars writes one layout of barChart: narrow puts each label on its own
// line above the bar.
func drawBars(b *strings.Builder, lang, title string, bars []chartBar, narrow bool) {
	labelW, plotW, rowH, labelH, class, maxLabel := 260.0, 360.0, 22.0, 0.0, "chart chart-wide", 36
	labelSize, smallSize, right := 12, 11, 70.0
	if narrow {
		// 280 units fill a 390 px phone's card at about 1:1; the text is a
		// point larger so that narrower phones still draw it near 11 px.
		labelW, plotW, rowH, labelH, class, maxLabel = 4.0, 226.0, 40.0, 17.0, "chart chart-narrow", 40
		labelSize, smallSize, right = 13, 12, 50
	}
	const top = 24.0
	width := labelW + plotW + right
	height := top + rowH*float64(len(bars)) + 24
	id := fmt.Sprintf("chart-%p-%s", bars, map[bool]string{false: "w", true: "n"}[narrow])
	fmt.Fprintf(b, `<svg xmlns="http://www.w3.org/2000/svg" class="%s" viewBox="0 0 %.0f %.0f" width="100%%" role="img" aria-labelledby="%s">`, class, width, height, id)
	fmt.Fprintf(b, `<title id="%s">%s</title>`, id, html.EscapeString(title))
	for _, tick := range []float64{0, .25, .5, .75, 1} {
		x := labelW + tick*plotW
		anchor := "middle"
		if narrow && tick == 0 {
			anchor = "start"
		}
		fmt.Fprintf(b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#d8dde2"/>`, x, top-6, x, height-20)
		fmt.Fprintf(b, `<text x="%.1f" y="%.1f" font-size="%d" text-anchor="%s" fill="#555d66">%s</text>`, x, height-6, smallSize, anchor, survey.FormatPercent(lang, tick, 0))
	}
	for i, bar := range bars {
		y := top + float64(i)*rowH
		label := bar.Label
		if len([]rune(label)) > maxLabel {
			label = string([]rune(label)[:maxLabel-1]) + "…"
		}
		if narrow {
			fmt.Fprintf(b, `<text x="%.1f" y="%.1f" font-size="%d" fill="#1b1f24">%s</text>`, labelW, y+11, labelSize, html.EscapeString(label))
		} else {
			fmt.Fprintf(b, `<text x="%.1f" y="%.1f" font-size="%d" text-anchor="end" fill="#1b1f24">%s</text>`, labelW-8, y+14, labelSize, html.EscapeString(label))
		}
		y += labelH
		fmt.Fprintf(b, `<rect x="%.1f" y="%.1f" width="%.1f" height="14" fill="#0b5cad"><title>%s: %s (%s %s), n = %s</title></rect>`,
			labelW, y+3, bar.Share*plotW, html.EscapeString(bar.Label), survey.FormatPercent(lang, bar.Share, 1), html.EscapeString(ui(lang, "dash_ci")),
			formatCIIn(lang, bar.CI), survey.FormatInt(lang, bar.Count))
		if !bar.CI.Undefined() { // no answers: no interval, so no whisker (its bounds are NaN)
			lo, hi := labelW+bar.CI.Low*plotW, labelW+bar.CI.High*plotW
			fmt.Fprintf(b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#1b1f24" stroke-width="1.5"/>`, lo, y+10, hi, y+10)
			fmt.Fprintf(b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#1b1f24" stroke-width="1.5"/>`, lo, y+5, lo, y+15)
			fmt.Fprintf(b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#1b1f24" stroke-width="1.5"/>`, hi, y+5, hi, y+15)
		}
		fmt.Fprintf(b, `<text x="%.1f" y="%.1f" font-size="%d" fill="#1b1f24">%s</text>`, labelW+plotW+6, y+14, smallSize, survey.FormatPercent(lang, bar.Share, 0))
	}
	b.WriteString(`</svg>`)
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
