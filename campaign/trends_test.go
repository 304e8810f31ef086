package campaign_test

import (
	"math"
	"testing"

	"github.com/metlib/canvass/analysis"
	"github.com/metlib/canvass/campaign"
)

// TestTrendsAcrossTwoWaves compares the two waves of the stats series
// through the service. The expected figures are counted by hand from the
// answers below, not by the analysis package: wave 2025 has Alpha (loans,
// wifi; budget 1,000) and Beta (events; 50,000); wave 2026 has Alpha
// (loans, internet; 1,999), Beta (events, loans; 20,000) and Gamma
// (internet; 10), and asks a new question. wifi became internet (recode).
func TestTrendsAcrossTwoWaves(t *testing.T) {
	f := secondWave(t)
	for name, text := range map[string]string{
		"Alpha": `{"budget": 1999, "services": ["loans", "internet"], "staff": 4, "open_sunday": "yes"}`,
		"Beta":  `{"budget": 20000, "budget_change_note": "Cuts.", "services": ["events", "loans"], "staff": 30, "open_sunday": "no"}`,
		"Gamma": `{"budget": 10, "services": ["internet"], "open_sunday": "yes"}`,
	} {
		if _, err := f.submit(t, "stats-2026", f.link(t, "stats-2026", name), "en", text); err != nil {
			t.Fatal(name, err)
		}
	}
	tr, err := f.svc.Trends(analyst, "stats-2026", "en")
	if err != nil {
		t.Fatal(err)
	}
	if tr.Series != "stats" || len(tr.Waves) != 2 || tr.Waves[0].Responses != 2 || tr.Waves[1].Responses != 3 {
		t.Fatalf("waves %+v", tr.Waves)
	}
	byID := map[string]*campaign.QuestionTrends{}
	for _, q := range tr.Questions {
		byID[q.ID] = q
	}
	services := byID["services"].Trend
	want := map[string][2][2]int{ // option: wave: count, base
		"loans":    {{1, 2}, {2, 3}},
		"internet": {{1, 2}, {2, 3}}, // wifi in 2025
		"events":   {{1, 2}, {1, 3}},
	}
	for _, o := range services.Options {
		w, ok := want[o.Value]
		if !ok {
			t.Errorf("unexpected option %q", o.Value)
			continue
		}
		for i, p := range o.Points {
			if !p.Offered || p.Count != w[i][0] || p.Base != w[i][1] || math.Abs(float64(p.Share)-float64(w[i][0])/float64(w[i][1])) > 1e-12 {
				t.Errorf("services %s in %s: %+v, want %d of %d", o.Value, p.Wave, p, w[i][0], w[i][1])
			}
		}
		delete(want, o.Value)
	}
	if len(want) != 0 {
		t.Errorf("missing options %v", want)
	}
	if services.Waves[0] != "2025" || services.Waves[1] != "2026" {
		t.Errorf("wave names %v", services.Waves)
	}
	// A question the first wave did not ask: no data there, not zeros.
	for _, o := range byID["open_sunday"].Trend.Options {
		if p := o.Points[0]; p.Offered || p.Count != 0 {
			t.Errorf("open_sunday %s in 2025: %+v, want not offered", o.Value, p)
		}
	}
	if byID["open_sunday"].Panel != nil {
		t.Errorf("a question new in this wave has no panel: %+v", byID["open_sunday"].Panel)
	}
	// The panel: Alpha and Beta, in both waves (Gamma is new).
	panel := byID["services"].Panel
	mc := map[string]analysis.McNemarResult{}
	for _, o := range panel.Options {
		mc[o.Value] = o.McNemarResult
	}
	for v, w := range map[string][4]int{ // both, neither, yes→no, no→yes
		"loans":    {1, 0, 0, 1}, // Alpha kept it, Beta took it up
		"internet": {1, 1, 0, 0},
		"events":   {1, 1, 0, 0},
	} {
		m := mc[v]
		if m.N != 2 || m.Both != w[0] || m.Neither != w[1] || m.B != w[2] || m.C != w[3] {
			t.Errorf("McNemar of %s: %+v, want N 2, both/neither/b/c %v", v, m, w)
		}
	}
	// Budget: Alpha +999, Beta −30,000. Ranks 1 (+) and 2 (−): W = 1, and
	// of the four equally likely signed-rank sums 0, 1, 2, 3 two are ≤ 1,
	// so the exact two-sided p is 2 · 2/4 = 1.
	sc := byID["budget"].Panel.Scores
	if sc.N != 2 || sc.NonZero != 2 || sc.RankPlus != 1 || sc.RankMinus != 2 || sc.W != 1 || float64(sc.P) != 1 || sc.Method != analysis.MethodExact {
		t.Errorf("Wilcoxon of budget: %+v", sc)
	}
	if byID["budget"].Trend != nil || byID["comment"].Panel != nil {
		t.Errorf("numbers have no option trend, texts no panel")
	}
	if _, err := f.svc.Trends(coordinatorOf("europe"), "stats-2026", "en"); err == nil {
		t.Error("a coordinator reads the trends, which add up every region")
	}
}
