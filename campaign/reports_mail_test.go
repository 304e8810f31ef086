package campaign_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/metlib/canvass/campaign"
	"github.com/metlib/canvass/internal/openpyxl"
	canvassmail "github.com/metlib/canvass/mail"
	"github.com/metlib/canvass/mail/mailtest"
	"github.com/metlib/canvass/survey"
)

var reportLinkPattern = regexp.MustCompile(`https://canvass\.example/s/stats-2025/report\?t=([A-Za-z0-9_-]+)&lang=([a-z]+)`)

// reportsCampaign is the waves fixture with Alpha (fr), Beta (es) and
// Gamma (en) answering through their invitations, Delta invited only; its
// service sends mail through server.
func reportsCampaign(t *testing.T, server *mailtest.Server) (*wavesFixture, *campaign.Service) {
	t.Helper()
	f := newWaves(t)
	ctx := context.Background()
	for name, lang := range map[string]string{"Beta": "es", "Gamma": "en"} {
		l := f.libs[name]
		l.Contacts[0].Language = lang
		if err := f.st.UpdateLibrary(ctx, l); err != nil {
			t.Fatal(err)
		}
	}
	f.invite(t, "stats-2025", "Alpha", "Beta", "Gamma", "Delta")
	for _, name := range []string{"Alpha", "Beta", "Gamma"} {
		if _, err := f.submit(t, "stats-2025", f.link(t, "stats-2025", name), "en", `{"budget": 1000, "services": ["loans"], "staff": 4}`); err != nil {
			t.Fatal(err)
		}
	}
	var mailer campaign.Mailer
	if server != nil {
		cfg, err := canvassmail.ParseURL("smtp://" + server.Addr + "?from=survey@section.example")
		if err != nil {
			t.Fatal(err)
		}
		mailer = canvassmail.NewSender(cfg)
	}
	if err := f.svc.SetStatus(admin, "stats-2025", survey.StatusClosed); err != nil {
		t.Fatal(err)
	}
	svc := campaign.New(campaign.Config{
		Surveys: f.st, Responses: f.st, Tokens: f.st, Users: f.st, Sessions: f.st, Passwords: f.st, Audit: f.st,
		Libraries: f.st, Invitations: f.st, MailTemplates: f.st, Publications: f.st, Reports: f.st, Mailer: mailer,
		Now: func() time.Time { return f.clock }, SurveyCacheTTL: -1,
	})
	return f, svc
}

// TestSendReports mails the report-ready emails through a real SMTP
// server and reads them back: one per responding library, in its
// language, each link opening that library's report and no other.
func TestSendReports(t *testing.T) {
	server := mailtest.Start(t)
	f, svc := reportsCampaign(t, server)
	ctx := context.Background()
	const base = "https://canvass.example/"
	if _, err := svc.SendReports(admin, "stats-2025", base, false); survey.ErrorCode(err) != survey.ECONFLICT {
		t.Fatalf("before the release: %v, want ECONFLICT", err)
	}
	if _, err := svc.ReleaseReports(admin, "stats-2025"); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.SendReports(analyst, "stats-2025", base, false); survey.ErrorCode(err) != survey.EFORBIDDEN {
		t.Errorf("analyst sending: %v, want EFORBIDDEN", err)
	}
	server.Reject("gamma@example.org")
	res, err := svc.SendReports(admin, "stats-2025", base, false)
	if err != nil {
		t.Fatal(err)
	}
	if res.Sent != 2 || len(res.Failed) != 1 || res.Failed[0].Email != "gamma@example.org" {
		t.Fatalf("sent %+v, want 2 sent and gamma@example.org failed", res)
	}
	want := map[string]struct{ lang, subject, library string }{
		"alpha@example.org": {"fr", "le rapport de votre bibliothèque est prêt", "Alpha"},
		"beta@example.org":  {"es", "el informe de Beta Library está listo", "Beta"},
	}
	got := byTo(server.Messages())
	if len(got) != 2 {
		t.Fatalf("messages to %v, want alpha and beta", got)
	}
	for to, w := range want {
		m, ok := got[to]
		if !ok {
			t.Errorf("no message to %s", to)
			continue
		}
		if !strings.Contains(m.Subject, w.subject) {
			t.Errorf("%s: subject %q, want %q", to, m.Subject, w.subject)
		}
		link := reportLinkPattern.FindStringSubmatch(m.Body)
		if link == nil || link[2] != w.lang {
			t.Errorf("%s: no report link in %s, or not in %s", to, w.lang, m.Body)
			continue
		}
		rep, _, err := svc.LibraryReport(ctx, "stats-2025", link[1], link[2])
		if err != nil || rep.LibraryID != f.libs[w.library].ID || rep.Lang != w.lang {
			t.Errorf("%s's link: %+v, %v; want %s's report in %s", to, rep, err, w.library, w.lang)
		}
	}
	list, err := svc.Reports(admin, "stats-2025")
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range list.Libraries {
		if told := l.Emailed != nil; told != (l.Library != "Gamma Library") {
			t.Errorf("%s emailed at %v, want %v", l.Library, l.Emailed, l.Library != "Gamma Library")
		}
	}

	// Again: only Gamma is due one (still refused); with all, every library.
	res, err = svc.SendReports(admin, "stats-2025", base, false)
	if err != nil || res.Sent != 0 || len(res.Failed) != 1 || len(server.Messages()) != 2 {
		t.Errorf("second sending: %+v %v, %d messages in all; want Gamma's only, refused again", res, err, len(server.Messages()))
	}
	if res, err = svc.SendReports(admin, "stats-2025", base, true); err != nil || res.Sent != 2 || len(res.Failed) != 1 || len(server.Messages()) != 4 {
		t.Errorf("sending to all: %+v %v, want Alpha and Beta again, Gamma refused", res, err)
	}
	if err := svc.SetStatus(admin, "stats-2025", survey.StatusOpen); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.SendReports(admin, "stats-2025", base, true); survey.ErrorCode(err) != survey.ECONFLICT {
		t.Errorf("sending while the survey is open again: %v, want ECONFLICT", err)
	}
	entries, _, _ := f.st.ListAudit(ctx, survey.AuditFilter{Action: "reports.send"})
	if len(entries) != 3 {
		t.Errorf("%d reports.send audit entries, want 3", len(entries))
	}
}

// TestReportMailMerge makes the report-ready mail-merge files and reads
// them back (encoding/csv; openpyxl for the workbook): a row per
// responding library, its language, a link that opens its report.
func TestReportMailMerge(t *testing.T) {
	_, svc := reportsCampaign(t, nil)
	ctx := context.Background()
	const base = "https://canvass.example"
	if _, err := svc.ReportMailMerge(admin, "stats-2025", base, "csv", false); survey.ErrorCode(err) != survey.ECONFLICT {
		t.Fatalf("before the release: %v, want ECONFLICT", err)
	}
	if _, err := svc.ReleaseReports(admin, "stats-2025"); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.SendReports(admin, "stats-2025", base, false); survey.ErrorCode(err) != survey.ECONFLICT {
		t.Errorf("sending without SMTP: %v, want ECONFLICT", err)
	}
	if _, err := svc.ReportMailMerge(admin, "stats-2025", base, "pdf", false); survey.ErrorCode(err) != survey.EINVALID {
		t.Errorf("format pdf: %v, want EINVALID", err)
	}
	file, err := svc.ReportMailMerge(admin, "stats-2025", base, "csv", false)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(bytes.NewReader(file.Data)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if file.Rows != 3 || len(rows) != 4 || strings.TrimPrefix(strings.Join(rows[0], ","), "\ufeff") != strings.Join(campaign.MergeColumns, ",") {
		t.Fatalf("file of %d rows: %v", file.Rows, rows)
	}
	langs := map[string]string{"Alpha Library": "fr", "Beta Library": "es", "Gamma Library": "en"}
	for _, r := range rows[1:] {
		if langs[r[0]] != r[3] {
			t.Errorf("%s in %s, want %s", r[0], r[3], langs[r[0]])
		}
		link := reportLinkPattern.FindStringSubmatch(r[4])
		if link == nil || !strings.Contains(r[6], r[4]) {
			t.Errorf("%s: link %q not a report link or not in the body", r[0], r[4])
			continue
		}
		rep, _, err := svc.LibraryReport(ctx, "stats-2025", link[1], link[2])
		if err != nil || rep.Library != r[0] {
			t.Errorf("%s's link opens %+v, %v", r[0], rep, err)
		}
	}
	if _, err := svc.ReportMailMerge(admin, "stats-2025", base, "csv", false); survey.ErrorCode(err) != survey.ECONFLICT {
		t.Errorf("a second file, every library told: %v, want ECONFLICT", err)
	}

	python := openpyxl.Python(t)
	book, err := svc.ReportMailMerge(admin, "stats-2025", base, "xlsx", true)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "reports.xlsx")
	if err := os.WriteFile(path, book.Data, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(python, "-c", `import json, sys, openpyxl
ws = openpyxl.load_workbook(sys.argv[1]).active
print(json.dumps([[c.value for c in row] for row in ws.iter_rows()]))`, path).Output()
	if err != nil {
		t.Fatal(err)
	}
	var cells [][]any
	if err := json.Unmarshal(out, &cells); err != nil {
		t.Fatal(err)
	}
	if len(cells) != 4 {
		t.Fatalf("workbook rows %v, want a header and 3", cells)
	}
	for _, r := range cells[1:] {
		link := reportLinkPattern.FindStringSubmatch(r[4].(string))
		if link == nil {
			t.Errorf("workbook link %v", r[4])
			continue
		}
		if rep, _, err := svc.LibraryReport(ctx, "stats-2025", link[1], link[2]); err != nil || rep.Library != r[0] {
			t.Errorf("workbook: %v's link opens %+v, %v", r[0], rep, err)
		}
	}
}
