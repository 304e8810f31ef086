package web

import (
	"strconv"
	"strings"

	"github.com/metlib/canvass/feedback"
	"github.com/metlib/canvass/survey"
)

// The "Your report" page's model: a feedback.Report with every figure
// already written (feedback.Percent, Number, Interval: the same text as
// the PDF and the workbook), so the template only lays them out.

type reportView struct {
	page
	// Preview marks the working group's preview: a banner says the
	// library does not see it yet (or sees it through its own link).
	Preview    bool
	R          *feedback.Report
	Generated  string
	Groups     []string // "Europe (N = 12)"
	GroupNames []string // "Europe", for the table heads
	Merged     []string // "Sub-Saharan Africa had too few…"
	TooFew     string
	Rule       string
	Sections   []reportSection
	// PDF and XLSX are the download links ("" in a preview without a link).
	PDF, XLSX string
}

type reportSection struct {
	Title string
	Items []reportItem
}

type reportItem struct {
	ID      string
	Label   string
	Kind    string
	Yours   string
	Rows    []reportRow
	Matrix  bool
	Missing string
	Number  *reportNumber
	Notes   []string
	Hidden  bool // some figure of the item is withheld: the note says why
}

type reportRow struct {
	Label, Matrix string
	Yours         bool
	Cells         []reportCell
}

type reportCell struct {
	Share    string // "45%"
	Interval string // "38–52%"
	Count    string // "9 / 20"
	Value    float64
	Hidden   bool
}

type reportNumber struct {
	Value string
	Unit  string
	Band  string
	Rows  []reportQuartiles
}

type reportQuartiles struct {
	Group          string
	N              string
	Q1, Median, Q3 string
	Hidden         bool
}

// newReportView writes r's figures for the page.
func newReportView(p page, r *feedback.Report) reportView {
	lang := r.Lang
	v := reportView{page: p, R: r, Generated: survey.FormatDate(lang, r.Generated),
		Rule: reportText(lang, "report_rule", strconv.Itoa(r.K))}
	for _, g := range r.Groups {
		v.Groups = append(v.Groups, reportText(lang, "report_group_n", g.Label, feedback.Number(lang, float64(g.N))))
		v.GroupNames = append(v.GroupNames, g.Label)
	}
	// The report's own sentences (feedback's), as the PDF and the
	// workbook write them.
	for _, m := range r.Merged {
		v.Merged = append(v.Merged, feedback.MergedSentence(lang, m))
	}
	if r.TooFew {
		v.TooFew = feedback.TooFewSentence(lang, r.K)
	}
	for _, sec := range r.Sections {
		vs := reportSection{Title: sec.Title}
		for _, it := range sec.Items {
			vs.Items = append(vs.Items, newReportItem(lang, r, it))
		}
		v.Sections = append(v.Sections, vs)
	}
	return v
}

func newReportItem(lang string, r *feedback.Report, it feedback.Item) reportItem {
	vi := reportItem{ID: it.Question, Label: it.Label, Kind: it.Kind, Notes: it.Notes, Matrix: it.Kind == feedback.KindMatrix}
	if len(it.Yours) > 0 {
		vi.Yours = strings.Join(it.Yours, "; ")
	}
	for _, row := range it.Rows {
		vr := reportRow{Label: row.Label, Matrix: row.Matrix, Yours: row.Yours}
		for _, sh := range row.Shares {
			c := reportCell{Hidden: sh.Hidden}
			if sh.Hidden {
				vi.Hidden = true
			} else {
				c.Share = feedback.Percent(lang, sh.Share)
				c.Interval = feedback.Interval(lang, sh.Low, sh.High)
				c.Count = feedback.Number(lang, float64(sh.Count)) + " / " + feedback.Number(lang, float64(sh.Base))
				c.Value = 100 * sh.Share
			}
			vr.Cells = append(vr.Cells, c)
		}
		vi.Rows = append(vi.Rows, vr)
	}
	// The number of options chosen is said by the item's notes (Build's
	// sentence, the PDF's and the workbook's too).
	if len(it.Missing) > 0 {
		vi.Missing = reportText(lang, "report_missing", strings.Join(it.Missing, "; "))
	}
	if n := it.Number; n != nil {
		vn := &reportNumber{Unit: n.Unit, Band: n.Band}
		if n.Value != nil {
			vn.Value = feedback.Number(lang, *n.Value)
		}
		for i, g := range n.Groups {
			q := reportQuartiles{N: feedback.Number(lang, float64(g.N)), Hidden: g.Hidden}
			if g.Hidden {
				q.N = "x" // withheld with the rest: its zero is no count
			}
			if i < len(r.Groups) {
				q.Group = r.Groups[i].Label
			}
			if g.Hidden {
				vi.Hidden = true
			} else {
				q.Q1, q.Median, q.Q3 = feedback.Number(lang, g.Q1), feedback.Number(lang, g.Median), feedback.Number(lang, g.Q3)
			}
			vn.Rows = append(vn.Rows, q)
		}
		vi.Number = vn
	}
	return vi
}
