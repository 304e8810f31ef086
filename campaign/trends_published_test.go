package campaign_test

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"io"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/metlib/canvass/campaign"
)

// TestWhitePaperTrendSheets writes the stats series' white paper of its
// second wave and reads it back with openpyxl. The figures expected are
// counted by hand from the answers (TestTrendsAcrossTwoWaves): services
// in 2025, Alpha (loans, wifi) and Beta (events); in 2026 Alpha (loans,
// internet), Beta (events, loans), Gamma (internet), wifi recoded to
// internet. With full counts the trend sheet shows them; disclosed (k = 5
// here, every wave under it) it shows not one count. open_sunday, asked in
// 2026 only, is no trend.
func TestWhitePaperTrendSheets(t *testing.T) {
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
	paper := func(full bool) ([]byte, map[string][][]any) {
		d, err := f.svc.PrepareDownload(admin, "stats-2026", campaign.Download{Kind: campaign.KindWhitePaper, Format: "xlsx", FullCounts: full})
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if err := d.Write(&buf); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes(), dumpWorkbook(t, buf.Bytes())
	}
	raw, book := paper(true)

	contents := book["Contents"]
	var listed []string
	waves := ""
	for _, r := range contents {
		if len(r) > 0 && r[0] == "Waves" {
			waves = r[1].(string)
		}
		if len(r) > 0 {
			if s, ok := r[0].(string); ok && strings.HasPrefix(s, "Trend ") {
				listed = append(listed, s)
			}
		}
	}
	if waves != "2025 (n = 2) · 2026 (n = 3)" {
		t.Errorf("Contents lists the waves as %q", waves)
	}
	// services, the one choice question both waves asked: open_sunday is
	// new (one wave is no trend), budget, staff and comment have no options.
	if !slices.Equal(listed, []string{"Trend 1. Services"}) {
		t.Fatalf("Contents lists the trends %q", listed)
	}
	services := book["Trend 1"]
	if services == nil || services[0][0] != "Trend 1. Services" {
		t.Fatalf("sheet Trend 1: %v", services)
	}
	if !slices.Equal(services[3], []any{"Answer", "2025", "2026"}) {
		t.Errorf("header %v, want the waves as labels", services[3])
	}
	want := map[string][2]float64{"Loans": {1.0 / 2, 2.0 / 3}, "Internet access": {1.0 / 2, 2.0 / 3}, "Events": {1.0 / 2, 1.0 / 3}}
	for _, r := range services[4:7] {
		w, ok := want[r[0].(string)]
		if !ok || len(r) != 3 || math.Abs(r[1].(float64)-w[0]) > 1e-12 || math.Abs(r[2].(float64)-w[1]) > 1e-12 {
			t.Errorf("row %v, want %v", r, w)
		}
		delete(want, r[0].(string))
	}
	if !slices.Equal(services[7], []any{"Answered (n)", 2.0, 3.0}) {
		t.Errorf("answered row %v", services[7])
	}
	// The detail: Events in 2026, 1 of 3, Wilson (0.0615, 0.7923) — the
	// Wilson score interval at z = 1.959964, worked by hand.
	found := false
	for _, r := range services[8:] {
		if len(r) == 7 && r[0] == "Events" && r[1] == "2026" {
			found = true
			if r[2] != 1.0 || r[3] != 3.0 || math.Abs(r[4].(float64)-1.0/3) > 1e-12 || math.Abs(r[5].(float64)-0.0615) > 5e-5 || math.Abs(r[6].(float64)-0.7923) > 5e-5 {
				t.Errorf("Events 2026: %v", r)
			}
		}
	}
	if !found {
		t.Error("no detail row for Events in 2026")
	}
	// The chart: a native line chart, a series per answer over the header's
	// waves, read with encoding/xml (not excelize).
	var trendChart *chartPart
	for _, c := range chartParts(t, raw) {
		if c.elements["lineChart"] && slices.Contains(c.refs, "'Trend 1'!$B$4:$C$4") {
			trendChart = &c
		}
	}
	if trendChart == nil {
		t.Fatal("no line chart over Trend 1's waves")
	}
	for _, r := range []string{"'Trend 1'!$B$5:$C$5", "'Trend 1'!$B$6:$C$6", "'Trend 1'!$B$7:$C$7", "'Trend 1'!$A$5", "'Trend 1'!$A$7"} {
		if !slices.Contains(trendChart.refs, r) {
			t.Errorf("the trend chart does not refer to %s: %v", r, trendChart.refs)
		}
	}
	if trendChart.blanks != "gap" {
		t.Errorf("the trend chart shows blanks as %q, want a gap where a wave has no figure", trendChart.blanks)
	}

	// Disclosed: each wave fewer than k = 5, so not a count is shown.
	_, book = paper(false)
	for _, name := range []string{"Trend 1"} {
		rows := book[name]
		if rows == nil {
			t.Fatalf("the disclosed white paper has no %s", name)
		}
		marks := 0
		for i, r := range rows[3:] {
			if len(r) < 2 {
				continue
			}
			for j, c := range r[1:] {
				if _, ok := c.(float64); ok {
					t.Errorf("%s row %d column %d shows %v: under k", name, i+4, j+2, c)
				}
				if c == "x" {
					marks++
				}
			}
		}
		if marks == 0 {
			t.Errorf("%s marks nothing withheld", name)
		}
	}
	if w := book["Contents"]; !slices.ContainsFunc(w, func(r []any) bool { return len(r) > 1 && r[0] == "Waves" && r[1] == "2025 (n = x) · 2026 (n = x)" }) {
		t.Errorf("the disclosed Contents gives a wave's responses under k: %v", w)
	}
}

// chartPart is what a test reads of a chart part: the elements it has,
// its cell references, and how it shows blank cells.
type chartPart struct {
	elements map[string]bool
	refs     []string
	blanks   string
}

// chartParts reads the workbook's charts (xl/charts/chart*.xml) with
// archive/zip and encoding/xml.
func chartParts(t *testing.T, book []byte) []chartPart {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(book), int64(len(book)))
	if err != nil {
		t.Fatal(err)
	}
	var out []chartPart
	for _, f := range zr.File {
		if !strings.HasPrefix(f.Name, "xl/charts/chart") {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		c := chartPart{elements: map[string]bool{}}
		dec := xml.NewDecoder(rc)
		inF := false
		for {
			tok, err := dec.Token()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatalf("%s: %v", f.Name, err)
			}
			switch tok := tok.(type) {
			case xml.StartElement:
				c.elements[tok.Name.Local] = true
				inF = tok.Name.Local == "f"
				if tok.Name.Local == "dispBlanksAs" {
					for _, a := range tok.Attr {
						if a.Name.Local == "val" {
							c.blanks = a.Value
						}
					}
				}
			case xml.CharData:
				if inF {
					c.refs = append(c.refs, string(tok))
				}
			case xml.EndElement:
				inF = false
			}
		}
		rc.Close()
		out = append(out, c)
	}
	return out
}
