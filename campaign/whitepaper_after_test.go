package campaign_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/metlib/canvass/campaign"
	"github.com/metlib/canvass/internal/openpyxl"
	"github.com/metlib/canvass/survey"
)

// dumpWorkbook reads a workbook with openpyxl (export's dump script):
// each sheet's name and rows.
func dumpWorkbook(t *testing.T, book []byte) map[string][][]any {
	t.Helper()
	path := filepath.Join(t.TempDir(), "paper.xlsx")
	if err := os.WriteFile(path, book, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(openpyxl.Python(t), "../export/testdata/dump_workbook.py", path).Output()
	if err != nil {
		t.Fatalf("openpyxl: %v", err)
	}
	var d struct {
		Sheets []struct {
			Name string  `json:"name"`
			Rows [][]any `json:"rows"`
		} `json:"sheets"`
	}
	if err := json.Unmarshal(out, &d); err != nil {
		t.Fatal(err)
	}
	sheets := map[string][][]any{}
	for _, s := range d.Sheets {
		sheets[s.Name] = s.Rows
	}
	return sheets
}

// TestWhitePaperIsDisclosedAgainstThePublicFigures: the default white
// paper is published beside the public pages. The page shows Europe 4,
// North America 4, Asia-Oceania 0 of 8. Over the same responses the
// workbook shows the same figures, none withheld for nothing. One library
// in Asia-Oceania answers: fewer than k responses since the page's
// figures, every figure that moved would tell of it (0 on the page, x in
// the workbook, says it is in Asia-Oceania), so the workbook, read by
// openpyxl, shows the page's figures and counts the page's responses, and
// the audit log says so; a grouped one is refused until the public
// figures are taken afresh. A filtered white paper for publication is
// refused.
func TestWhitePaperIsDisclosedAgainstThePublicFigures(t *testing.T) {
	st, sv := stepsStore(t)
	ctx := context.Background()
	svc := campaign.New(campaign.Config{Surveys: st, Responses: st, Audit: st, Libraries: st, Publications: st, Reports: st, DisclosePatience: -1})
	r := &stepsResponses{t: t, svc: svc, sv: sv, prefix: "paper"}
	r.publishEight()
	adm := stepsAdmin
	page, err := svc.Published(ctx, sv, "en")
	if err != nil {
		t.Fatal(err)
	}
	was := regionsShown(t, page)
	if was != (regionCounts{[3]int{4, 4, 0}, 8}) {
		t.Fatalf("the page shows %+v, want every region and the total (4, 4, 0 of 8)", was)
	}
	paper := func(q campaign.Query) (*campaign.File, regionCounts, error) {
		t.Helper()
		f, err := svc.PrepareDownload(adm, sv.Slug, campaign.Download{Kind: campaign.KindWhitePaper, Format: "xlsx", Query: q})
		if err != nil {
			return nil, regionCounts{}, err
		}
		var buf bytes.Buffer
		if err := f.Write(&buf); err != nil {
			t.Fatal(err)
		}
		return f, paperRegions(t, dumpWorkbook(t, buf.Bytes())), nil
	}
	if _, same, err := paper(campaign.Query{}); err != nil || same != was {
		t.Errorf("over the page's responses the white paper shows %+v (%v), want the page's %+v", same, err, was)
	}

	r.submit("JP", "asia_oceania")
	f, now, err := paper(campaign.Query{})
	if err != nil {
		t.Fatal(err)
	}
	if now != was || f.Responses != 8 {
		t.Errorf("one response after the page's figures the white paper shows %+v over %d responses, want the page's %+v over 8", now, f.Responses, was)
	}
	entries, _, err := st.ListAudit(ctx, survey.AuditFilter{Action: "responses.export", Limit: 1})
	if err != nil || len(entries) != 1 || !strings.Contains(entries[0].Details, "the public figures taken") {
		t.Errorf("audit %v %v, want it to say the workbook is the public figures", entries, err)
	}
	if _, _, err := paper(campaign.Query{By: "region"}); survey.ErrorCode(err) != survey.ECONFLICT || !strings.Contains(err.Error(), "take the public figures afresh") {
		t.Errorf("a grouped white paper one response after the page's figures: %v, want refused", err)
	}

	_, err = svc.PrepareDownload(adm, sv.Slug, campaign.Download{Kind: campaign.KindWhitePaper, Format: "xlsx", Query: campaign.Query{Filter: survey.ResponseFilter{Region: survey.Europe}}})
	if survey.ErrorCode(err) != survey.EMALFORMED || !strings.Contains(err.Error(), "covers every submitted response") {
		t.Errorf("a white paper for publication of Europe's responses: %v, want refused", err)
	}
	if _, err := svc.PrepareDownload(adm, sv.Slug, campaign.Download{Kind: campaign.KindWhitePaper, Format: "xlsx", FullCounts: true,
		Query: campaign.Query{Filter: survey.ResponseFilter{Region: survey.Europe}}}); err != nil {
		t.Errorf("a white paper with full counts of Europe's responses: %v", err)
	}
}

// baseFigures are the numbers (or "x") of a table's base line.
var baseFigures = regexp.MustCompile(`\d+|\bx\b`)

// paperRegions is what the white paper shows of the three regions and the
// total: Table 1's rows and base (a required question), and the region
// columns' bases of Table 3 (satisfaction by region); -1 where withheld in
// all of them.
func paperRegions(t *testing.T, book map[string][][]any) regionCounts {
	t.Helper()
	labels := []string{"Europe", "North America", "Asia-Oceania"}
	out := regionCounts{region: [3]int{-1, -1, -1}, total: -1}
	count := func(v any) int {
		if f, ok := v.(float64); ok {
			return int(f)
		}
		return -1
	}
	cell := func(row []any, j int) any {
		if j < len(row) {
			return row[j]
		}
		return nil
	}
	found := 0
	for _, row := range book["Table 1"] {
		label, _ := cell(row, 0).(string)
		if i := slices.Index(labels, label); i >= 0 {
			found++
			if c := count(cell(row, 1)); c >= 0 {
				out.region[i] = c
			}
		}
		if strings.HasPrefix(label, "Base:") {
			if m := baseFigures.FindAllString(label, -1); len(m) == 2 && m[1] != "x" {
				out.total, _ = strconv.Atoi(m[1]) // a required question: every response
			}
		}
	}
	if found != 3 {
		t.Fatalf("Table 1 has %d of the three regions' rows: %v", found, book["Table 1"])
	}
	rows := book["Table 3"]
	if len(rows) < 4 {
		t.Fatalf("Table 3: %v", rows)
	}
	cols := map[int]int{} // column → region
	total := -1
	for j, h := range rows[3] {
		h, _ := h.(string)
		if i := slices.Index(labels, strings.TrimSuffix(h, " (n)")); i >= 0 && strings.HasSuffix(h, " (n)") {
			cols[j] = i
		}
		if h == "Total (n)" {
			total = j
		}
	}
	if len(cols) == 0 || total < 0 {
		t.Fatalf("Table 3's header %v: want the regions' (n) columns and the total's (a region nobody answered from has none)", rows[3])
	}
	for _, row := range rows {
		if cell(row, 0) != "Respondents answering (n)" {
			continue
		}
		for j, i := range cols {
			if c := count(cell(row, j)); c >= 0 {
				out.region[i] = c
			}
		}
		if c := count(cell(row, total)); c >= 0 {
			out.total = c
		}
	}
	for _, row := range book["Contents"] {
		if cell(row, 0) == "Responses" {
			if c := count(cell(row, 1)); c >= 0 {
				out.total = c
			}
		}
	}
	return out
}
