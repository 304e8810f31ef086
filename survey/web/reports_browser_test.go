package web_test

import (
	"fmt"
	"math"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/metlib/canvass/internal/browsertest"
	"github.com/metlib/canvass/survey"
)

// domItem is one choice item of the report page as the browser shows it.
type domItem struct {
	ID    string   `json:"id"`
	Heads []string `json:"heads"`
	Rows  []domRow `json:"rows"`
}

type domRow struct {
	Label string   `json:"label"`
	Yours bool     `json:"yours"`
	Cells []string `json:"cells"` // the share's text, "x" when withheld
}

const readReportDOM = `[...document.querySelectorAll('.report-item[data-kind=choice]')].map(it => ({
  id: it.dataset.item,
  heads: [...it.querySelectorAll('thead th')].map(th => th.textContent.trim()),
  rows: [...it.querySelectorAll('tbody tr')].map(tr => ({
    label: tr.querySelector('th').childNodes[0].textContent.trim(),
    yours: tr.hasAttribute('data-yours-row'),
    cells: [...tr.querySelectorAll('td.report-cell')].map(td => td.hasAttribute('data-hidden') ? 'x' : td.querySelector('[data-share]').textContent.trim()),
  })),
}))`

// TestReportsInBrowser opens released reports of impact-methods, answered
// by 300 libraries, through three libraries' personal links in en, fr and
// es at 1280 and 390 px in headless Chromium, and checks what each page
// shows against figures recomputed here from the raw answers: for every
// single-choice question every respondent is asked, each option's share
// of all the other respondents and of the library's region, and the
// library's own answer marked. The library of the small region (fewer
// responding libraries than the disclosure minimum) has no region column
// and says its region was merged into all respondents. At 390 px the page
// is no wider than the screen.
func TestReportsInBrowser(t *testing.T) {
	a := newApp(t)
	f := a.seedReports(t, 300)
	a.closeSurvey(t, "impact-methods")
	if rec := a.do(request{method: http.MethodPost, path: "/api/v1/surveys/impact-methods/reports/release", token: a.token(survey.RoleAdmin)}); rec.Code != http.StatusOK {
		t.Fatalf("release: %d %s", rec.Code, rec.Body)
	}
	srv := httptest.NewServer(a.handler)
	defer srv.Close()
	ctx := browsertest.New(t)
	sv := f.sv
	k := sv.SmallCellK()

	// Every respondent as the test sees it: its region (the directory's
	// for a library, else the response's) and its answers.
	type resp struct {
		library string
		region  survey.Region
		answers survey.Answers
	}
	var all []resp
	for i, r := range f.responses {
		p := resp{library: r.LibraryID, region: r.Region, answers: r.Answers}
		if f.libOf[i] >= 0 {
			p.region = f.byID[r.LibraryID].Region
		}
		all = append(all, p)
	}
	regionCount := map[survey.Region]int{}
	for _, p := range all {
		regionCount[p.region]++
	}
	// The three: the small region's first library, and two libraries of
	// regions large enough to be shown.
	picked := []string{f.smallLibs[0]}
	for _, p := range all {
		if len(picked) < 3 && p.library != "" && p.region != f.small && regionCount[p.region]-1 >= k && len(all)-regionCount[p.region] >= k {
			if len(picked) == 1 || all[indexOf(all, func(x resp) bool { return x.library == picked[1] })].region != p.region {
				picked = append(picked, p.library)
			}
		}
	}
	if len(picked) != 3 || regionCount[f.small] >= k {
		t.Fatalf("fixture: picked %v, %d in the small region (k=%d)", picked, regionCount[f.small], k)
	}
	// The single-choice questions every respondent is asked.
	var questions []*survey.Question
	for _, sec := range sv.Sections {
		for _, q := range sec.Questions {
			if (q.Type == survey.SingleChoice || q.Type == survey.Likert) && sec.ShowIf == nil && q.ShowIf == nil && sv.Benchmark.Compared(q) {
				questions = append(questions, q)
			}
		}
	}
	if len(questions) == 0 {
		t.Fatal("impact-methods has no single-choice question asked of all")
	}

	for i, lang := range []string{"en", "fr", "es"} {
		lib := picked[i]
		self := all[indexOf(all, func(x resp) bool { return x.library == lib })]
		var peers, regional []resp
		for _, p := range all {
			if p.library == lib {
				continue
			}
			peers = append(peers, p)
			if p.region == self.region {
				regional = append(regional, p)
			}
		}
		regionLabel := survey.RegionLabels[self.region].In(lang, "en")
		link := fmt.Sprintf("%s/s/impact-methods/report?t=%s&lang=%s", srv.URL, f.tokens[lib], lang)
		for _, width := range []int64{1280, 390} {
			if err := chromedp.Do(ctx, chromedp.EmulateViewport(width, 900), chromedp.Navigate(link), chromedp.WaitVisible(`[data-report-library]`)); err != nil {
				t.Fatal(err)
			}
			shot(t, ctx, fmt.Sprintf("report-%s-%d", lang, width))
			if width == 390 {
				wide, err := chromedp.Run(ctx, chromedp.Evaluate[[]int64](`[document.documentElement.scrollWidth, window.innerWidth]`))
				if err != nil {
					t.Fatal(err)
				}
				if wide[0] > wide[1] {
					t.Errorf("%s at 390 px: the page is %d px wide, the screen %d", lang, wide[0], wide[1])
				}
			}
		}
		heading, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('[data-report-library]').textContent`))
		if err != nil || !strings.Contains(heading, f.byID[lib].Name) {
			t.Errorf("%s: heading %q, want %s", lang, heading, f.byID[lib].Name)
		}
		merged, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll('[data-merged]')].map(p => p.textContent)`))
		if err != nil {
			t.Fatal(err)
		}
		mergedRegion := false
		for _, m := range merged {
			mergedRegion = mergedRegion || strings.Contains(m, regionLabel)
		}
		if small := self.region == f.small; mergedRegion != small {
			t.Errorf("%s (%s, %d respondents there): merged notes %q; want the region merged: %v", lang, self.region, regionCount[self.region], merged, small)
		}
		items, err := chromedp.Run(ctx, chromedp.Evaluate[[]domItem](readReportDOM))
		if err != nil {
			t.Fatal(err)
		}
		checked := 0
		for _, q := range questions {
			it := findItem(items, q.ID)
			if it == nil {
				t.Errorf("%s: no item %s on the page", lang, q.ID)
				continue
			}
			// Columns: the answer, then one per group, all respondents last.
			groups := it.Heads[1:]
			allCol, regionCol := len(groups)-1, -1
			for c, h := range groups {
				if h == regionLabel {
					regionCol = c
				}
			}
			if (regionCol >= 0) == (self.region == f.small) {
				t.Errorf("%s %s: region column %d for %s (small %v)", lang, q.ID, regionCol, self.region, self.region == f.small)
			}
			for _, opt := range q.Options {
				label := opt.Label.In(lang, sv.DefaultLanguage)
				row := findRow(it.Rows, label)
				if row == nil {
					t.Errorf("%s %s: no row %q", lang, q.ID, label)
					continue
				}
				if yours := self.answers.String(q.ID) == string(opt.Value); row.Yours != yours {
					t.Errorf("%s %s %q: marked yours %v, want %v", lang, q.ID, label, row.Yours, yours)
				}
				for _, col := range []struct {
					index int
					of    []resp
				}{{allCol, peers}, {regionCol, regional}} {
					if col.index < 0 {
						continue
					}
					n := 0
					for _, p := range col.of {
						if p.answers.String(q.ID) == string(opt.Value) {
							n++
						}
					}
					got := row.Cells[col.index]
					if got == "x" {
						if n >= k && len(col.of)-n >= k {
							t.Logf("%s %s %q: withheld with %d of %d (allowed: the complement rule may withhold more)", lang, q.ID, label, n, len(col.of))
						}
						continue
					}
					if n > 0 && n < k {
						t.Errorf("%s %s %q: shows %s for a count of %d, under k=%d", lang, q.ID, label, got, n, k)
					}
					if !percentMatches(got, n, len(col.of)) {
						t.Errorf("%s %s %q, column %s: page %q, recomputed %d of %d = %.2f%%", lang, q.ID, label, groups[col.index], got, n, len(col.of), 100*float64(n)/float64(len(col.of)))
					}
					checked++
				}
			}
		}
		if checked < 5 {
			t.Errorf("%s: only %d figures checked", lang, checked)
		}
		t.Logf("%s: %d figures of %s's report checked against the raw answers", lang, checked, f.byID[lib].Name)
	}
}

func indexOf[T any](xs []T, pred func(T) bool) int {
	for i, x := range xs {
		if pred(x) {
			return i
		}
	}
	return -1
}

func findItem(items []domItem, id string) *domItem {
	for i := range items {
		if items[i].ID == id {
			return &items[i]
		}
	}
	return nil
}

func findRow(rows []domRow, label string) *domRow {
	for i := range rows {
		if rows[i].Label == label {
			return &rows[i]
		}
	}
	return nil
}

// percentMatches reports whether text ("45%", "45 %") is n/base as a whole
// percentage, either way when it lies exactly halfway.
func percentMatches(text string, n, base int) bool {
	digits := strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, text)
	got, err := strconv.Atoi(digits)
	if err != nil || base == 0 {
		return false
	}
	x := 100 * float64(n) / float64(base)
	return float64(got) == math.Round(x) || float64(got) == math.Floor(x) && x-math.Floor(x) == 0.5
}
