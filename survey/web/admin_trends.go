package web

import (
	"fmt"
	"html"
	"html/template"
	"math"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/metlib/canvass/analysis"
	"github.com/metlib/canvass/campaign"
	"github.com/metlib/canvass/survey"
)

// The trends page: a survey's waves compared (campaign.Trends), in the
// survey's languages like the results dashboard.

type trendsPage struct {
	page
	Survey  *survey.Survey
	Title   string
	Trends  *campaign.SeriesTrends
	Choices []trendView
	Numbers []numberChangeView
}

// trendView is one choice question: its chart and its table
// (partial_trend.html, on the trends page and the public results page).
type trendView struct {
	Lang      string
	Sub       bool // a subsection: an h3 under the page's h2
	ID, Label string
	Chart     template.HTML
	Waves     []string
	Options   []trendRow
	// Panel names the two waves the paired change compares; empty
	// without a panel.
	PanelFirst, PanelSecond string
}

type trendRow struct {
	Label  string
	Marker template.HTML // the symbol of its line in its colour, so the chart reads without colour
	Cells  []string
	Change string // the panel's change and McNemar's p, "" without a panel
}

type numberChangeView struct {
	Label, N, Up, Down, P, Waves string
}

func (s *Server) trendsDashboard(c *gin.Context) {
	ctx := c.Request.Context()
	sum, err := s.campaign.Survey(ctx, c.Param("slug"))
	if err != nil {
		s.renderError(c, err)
		return
	}
	sv := sum.Survey
	lang := "en"
	if l := c.Query("lang"); l != "" && sv.HasLanguage(l) {
		lang = l
	}
	tr, err := s.campaign.Trends(ctx, sv.Slug, lang)
	if err != nil {
		s.renderError(c, err)
		return
	}
	title := sv.Title.In(lang, sv.DefaultLanguage)
	p := trendsPage{page: s.adminPage(c, fmt.Sprintf(ui(lang, "trend_title"), title)), Survey: sv, Title: title, Trends: tr}
	p.Lang, p.Languages = lang, s.basePage(c, lang, "", sv.Languages...).Languages
	for _, q := range tr.Questions {
		if v, ok := choiceTrend(lang, q); ok {
			p.Choices = append(p.Choices, v)
		}
		if q.Panel != nil && q.Panel.Scores != nil && q.Type == survey.Number {
			w := q.Panel.Scores
			up, down := 0.0, 0.0
			if w.NonZero > 0 {
				up, down = w.RankPlus, w.RankMinus
			}
			p.Numbers = append(p.Numbers, numberChangeView{Label: q.Label, N: survey.FormatInt(lang, w.N),
				Up: survey.FormatNumber(lang, up, 1), Down: survey.FormatNumber(lang, down, 1), P: pIn(lang, float64(w.P)),
				Waves: q.Panel.First + " → " + q.Panel.Second})
		}
	}
	s.renderPage(c, http.StatusOK, "admin_trends.html", p)
}

// markers are the symbols of the chart's lines, in order; the table shows
// each beside its option.
var markers = []struct{ symbol, color string }{
	{"●", "#0b5cad"}, {"■", "#b35900"}, {"▲", "#2e7d32"}, {"◆", "#6a1b9a"}, {"○", "#c62828"}, {"□", "#00838f"}, {"△", "#4e342e"}, {"◇", "#37474f"},
}

// choiceTrend is a choice question's view, when at least two waves offered
// one of its options (one wave is no trend).
func choiceTrend(lang string, q *campaign.QuestionTrends) (trendView, bool) {
	t := q.Trend
	if t == nil || len(t.Waves) < 2 {
		return trendView{}, false
	}
	offered := 0
	for i := range t.Waves {
		for _, o := range t.Options {
			if o.Points[i].Offered {
				offered++
				break
			}
		}
	}
	if offered < 2 {
		return trendView{}, false
	}
	v := trendView{Lang: lang, ID: q.ID, Label: q.Label, Waves: t.Waves}
	change := map[string]analysis.OptionChange{}
	if q.Panel != nil {
		v.PanelFirst, v.PanelSecond = q.Panel.First, q.Panel.Second
		for _, oc := range q.Panel.Options {
			change[oc.Value] = oc
		}
	}
	for i, o := range t.Options {
		m := markers[i%len(markers)]
		row := trendRow{Label: o.Label, Marker: template.HTML(`<svg class="marker" width="16" height="16" viewBox="0 0 16 16" aria-hidden="true"><text x="8" y="13" font-size="14" text-anchor="middle" fill="` + m.color + `">` + m.symbol + `</text></svg>`)}
		for _, p := range o.Points {
			switch {
			case !p.Offered:
				row.Cells = append(row.Cells, ui(lang, "trend_not_offered"))
			case p.Suppressed:
				row.Cells = append(row.Cells, hiddenMark) // withheld by the wave's publication, and its share with it
			case p.BaseSuppressed:
				row.Cells = append(row.Cells, survey.FormatInt(lang, p.Count)+"/"+hiddenMark)
			case p.Base == 0:
				row.Cells = append(row.Cells, "–")
			default:
				row.Cells = append(row.Cells, fmt.Sprintf("%s (%s/%s; %s)", survey.FormatPercent(lang, float64(p.Share), 0),
					survey.FormatInt(lang, p.Count), survey.FormatInt(lang, p.Base), formatCIIn(lang, p.CI)))
			}
		}
		if oc, ok := change[o.Value]; ok && oc.N > 0 {
			row.Change = fmt.Sprintf(ui(lang, "trend_change"), signedPoints(lang, float64(oc.Change)), survey.FormatInt(lang, oc.N), pIn(lang, float64(oc.P)))
		}
		v.Options = append(v.Options, row)
	}
	v.Chart = trendChart(lang, q.Label, t)
	return v, true
}

// pIn is "= 0.034" or "< 0.001", as the results dashboard writes a p.
func pIn(lang string, p float64) string {
	return readerFuncs["ipval"].(func(string, float64) string)(lang, p)
}

// signedPoints writes a change of share as percentage points, signed.
func signedPoints(lang string, d float64) string {
	if math.IsNaN(d) {
		return "–"
	}
	text := survey.FormatNumber(lang, 100*math.Abs(d), 0)
	switch {
	case text == "0":
		return text
	case d < 0:
		return "−" + text
	}
	return "+" + text
}

// trendChart draws each option's share across the waves as a line with
// its 95% Wilson interval as a band, as an inline SVG (no script, no
// external style). Each line has its own marker symbol, repeated in the
// table beside it; a wave with no share to draw (the option not offered,
// or its figure withheld by the wave's publication) breaks its line.
func trendChart(lang, title string, t *analysis.QuestionTrend) template.HTML {
	const width, height, left, right, top, bottom = 600.0, 260.0, 44.0, 24.0, 16.0, 40.0
	plotW, plotH := width-left-right, height-top-bottom
	x := func(i int) float64 {
		if len(t.Waves) == 1 {
			return left + plotW/2
		}
		return left + plotW*float64(i)/float64(len(t.Waves)-1)
	}
	y := func(share float64) float64 { return top + plotH*(1-share) }
	var b strings.Builder
	id := "trend-" + html.EscapeString(t.ID)
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" class="chart trend" viewBox="0 0 %.0f %.0f" width="100%%" role="img" aria-labelledby="%s">`, width, height, id)
	fmt.Fprintf(&b, `<title id="%s">%s</title>`, id, html.EscapeString(fmt.Sprintf(ui(lang, "trend_chart_title"), title)))
	for _, tick := range []float64{0, .25, .5, .75, 1} {
		fmt.Fprintf(&b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#d8dde2"/>`, left, y(tick), width-right, y(tick))
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" font-size="12" text-anchor="end" fill="#555d66">%s</text>`, left-6, y(tick)+4, survey.FormatPercent(lang, tick, 0))
	}
	for i, w := range t.Waves {
		anchor := "middle"
		switch {
		case i == 0 && len(t.Waves) > 1:
			anchor = "start"
		case i == len(t.Waves)-1 && len(t.Waves) > 1:
			anchor = "end"
		}
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" font-size="13" text-anchor="%s" fill="#1b1f24">%s</text>`, x(i), height-14, anchor, html.EscapeString(w))
	}
	for oi, o := range t.Options {
		m := markers[oi%len(markers)]
		// The band: each run of waves that offered the option, upper
		// bounds left to right then lower bounds back.
		for _, run := range drawnRuns(o.Points) {
			var upper, lower []string
			for _, i := range run {
				if ci := o.Points[i].CI; !ci.Undefined() {
					upper = append(upper, fmt.Sprintf("%.1f,%.1f", x(i), y(ci.High)))
					lower = append([]string{fmt.Sprintf("%.1f,%.1f", x(i), y(ci.Low))}, lower...)
				}
			}
			if len(upper) > 1 && chosenSomewhere(o.Points) {
				fmt.Fprintf(&b, `<polygon points="%s %s" fill="%s" fill-opacity="0.12" stroke="none"/>`, strings.Join(upper, " "), strings.Join(lower, " "), m.color)
			}
			var line []string
			for _, i := range run {
				line = append(line, fmt.Sprintf("%.1f,%.1f", x(i), y(float64(o.Points[i].Share))))
			}
			if len(line) > 1 {
				fmt.Fprintf(&b, `<polyline points="%s" fill="none" stroke="%s" stroke-width="2"/>`, strings.Join(line, " "), m.color)
			}
		}
		for i, p := range o.Points {
			if !drawn(p) {
				continue
			}
			fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" font-size="14" text-anchor="middle" fill="%s">%s<title>%s, %s: %s (%s/%s)</title></text>`,
				x(i), y(float64(p.Share))+5, m.color, m.symbol, html.EscapeString(o.Label), html.EscapeString(t.Waves[i]),
				survey.FormatPercent(lang, float64(p.Share), 0), survey.FormatInt(lang, p.Count), survey.FormatInt(lang, p.Base))
		}
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String()) // every text is escaped
}

// drawn reports whether a point has a share to draw: the wave offered the
// option, published its count and base, and someone answered.
func drawn(p analysis.TrendPoint) bool {
	return p.Offered && !p.Suppressed && !p.BaseSuppressed && p.Base > 0 && !math.IsNaN(float64(p.Share))
}

// drawnRuns splits the waves into runs of consecutive waves with a point
// to draw: a wave without one (not offered, withheld, nobody answered)
// breaks the line and its band.
func drawnRuns(points []analysis.TrendPoint) [][]int {
	var runs [][]int
	var cur []int
	for i, p := range points {
		if drawn(p) {
			cur = append(cur, i)
			continue
		}
		if len(cur) > 0 {
			runs = append(runs, cur)
		}
		cur = nil
	}
	if len(cur) > 0 {
		runs = append(runs, cur)
	}
	return runs
}

// chosenSomewhere reports whether any wave counted the option: the band
// of an option nobody chose (0 to Wilson's upper bound in every wave)
// would only cloud the others'.
func chosenSomewhere(points []analysis.TrendPoint) bool {
	for _, p := range points {
		if p.Count > 0 {
			return true
		}
	}
	return false
}
