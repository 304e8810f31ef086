package web_test

import (
	"io"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/metlib/canvass/survey"
)

// TestDashboardChartsStayReadableOnPhones: each chart comes in a wide
// layout and a narrow one (labels above the bars) that the stylesheet shows
// under 40rem. Drawn into a 390 px phone's card (about 280 px across), the
// narrow chart's width in units must not exceed 280, so its text, at 12
// units or more, is drawn at 12 px or more, never shrunk below ~11 px.
func TestDashboardChartsStayReadableOnPhones(t *testing.T) {
	a := newApp(t)
	a.seedDemo("impact-methods", 60)
	rec := a.do(request{path: "/admin/surveys/impact-methods/results?lang=fr", token: a.token(survey.RoleAnalyst)})
	if rec.Code != 200 {
		t.Fatalf("dashboard: %d", rec.Code)
	}
	body := rec.Body.String()
	svgs := regexp.MustCompile(`(?s)<svg [^>]*class="chart chart-(wide|narrow)" viewBox="0 0 (\d+) \d+".*?</svg>`).FindAllStringSubmatch(body, -1)
	wide, narrow := 0, 0
	for _, m := range svgs {
		width, _ := strconv.Atoi(m[2])
		sizes := regexp.MustCompile(`font-size="(\d+)"`).FindAllStringSubmatch(m[0], -1)
		if len(sizes) == 0 {
			t.Fatalf("a chart without text: %.200s", m[0])
		}
		if m[1] == "wide" {
			wide++
			continue
		}
		narrow++
		if width > 280 {
			t.Errorf("narrow chart %d units wide, want at most 280", width)
		}
		for _, s := range sizes {
			if n, _ := strconv.Atoi(s[1]); n < 12 {
				t.Errorf("narrow chart text at %d units", n)
			}
		}
		if !strings.Contains(m[0], "Statistiques d'activité") && !strings.Contains(m[0], "Statistiques d&#39;activité") && narrow == 1 {
			t.Errorf("first narrow chart lacks its first label: %.300s", m[0])
		}
	}
	if wide == 0 || wide != narrow {
		t.Errorf("%d wide and %d narrow charts, want as many of each (and some)", wide, narrow)
	}
	css := a.do(request{path: "/static/canvass.css"})
	cssText, _ := io.ReadAll(css.Body)
	if css.Code != http.StatusOK || !regexp.MustCompile(`svg\.chart-narrow \{ display: none; \}\s*@media \(max-width: 40rem\) \{\s*svg\.chart-wide \{ display: none; \}\s*svg\.chart-narrow \{ display: block;`).Match(cssText) {
		t.Errorf("the stylesheet does not swap the charts on phones")
	}
}
