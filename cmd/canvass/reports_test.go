package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/metlib/canvass/mail/mailtest"
)

// TestReportsCommands: the command line lists the responding libraries,
// previews a report as JSON and PDF before the release, releases, writes
// the mail-merge file and sends the emails through a real SMTP server,
// each link followed on the running server; withdraws.
func TestReportsCommands(t *testing.T) {
	dir := t.TempDir()
	m := startMain(t, testConfig(dir))
	defer m.Close()
	var out, errOut bytes.Buffer
	cmd := func(args ...string) error {
		out.Reset()
		errOut.Reset()
		return run(context.Background(), append(append([]string{}, args[:2]...), append([]string{"--data-dir", dir}, args[2:]...)...), nil, &out, &errOut, noEnv)
	}
	if err := run(context.Background(), []string{"demo", "--data-dir", dir, "--survey", "impact-methods", "--responses", "40"}, nil, &out, &errOut, noEnv); err != nil {
		t.Fatal(err, errOut.String())
	}
	if err := cmd("reports", "list"); exitCode(err) != 2 {
		t.Errorf("list without --survey: %v", err)
	}
	if err := cmd("reports", "list", "--survey", "impact-methods"); err != nil {
		t.Fatal(err, errOut.String())
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if lines[0] != "Not released." || !strings.HasPrefix(lines[1], "LIBRARY ID") || len(lines) < 10 {
		t.Fatalf("list:\n%s", out.String())
	}
	library := strings.Fields(lines[2])[0]

	jsonPath := filepath.Join(dir, "r.json")
	if err := cmd("reports", "preview", "--survey", "impact-methods", "--library", library, "--lang", "fr", "-o", jsonPath); err != nil {
		t.Fatal(err, errOut.String())
	}
	var rep struct {
		LibraryID string `json:"library_id"`
		Lang      string `json:"lang"`
		Sections  []any  `json:"sections"`
	}
	data, _ := os.ReadFile(jsonPath)
	if err := json.Unmarshal(data, &rep); err != nil || rep.LibraryID != library || rep.Lang != "fr" || len(rep.Sections) == 0 {
		t.Errorf("preview json: %+v %v", rep, err)
	}
	pdfPath := filepath.Join(dir, "r.pdf")
	if err := cmd("reports", "preview", "--survey", "impact-methods", "--library", library, "-o", pdfPath); err != nil {
		t.Fatal(err, errOut.String())
	}
	if _, err := exec.LookPath("pdfinfo"); err == nil {
		if info, err := exec.Command("pdfinfo", pdfPath).Output(); err != nil || !strings.Contains(string(info), "Pages:") {
			t.Errorf("pdfinfo: %v %s", err, info)
		}
	}
	if err := cmd("reports", "preview", "--survey", "impact-methods", "--library", "nope", "-o", pdfPath); err == nil || !strings.Contains(err.Error(), "has not submitted") {
		t.Errorf("preview of an unknown library: %v", err)
	}

	env := func(k string) string {
		if k == "CANVASS_BASE_URL" {
			return m.URL
		}
		return ""
	}
	mergePath := filepath.Join(dir, "reports.csv")
	send := func(args ...string) error {
		out.Reset()
		errOut.Reset()
		return run(context.Background(), append([]string{"reports", "send", "--data-dir", dir, "--survey", "impact-methods"}, args...), nil, &out, &errOut, env)
	}
	if err := send("-o", mergePath); err == nil || !strings.Contains(err.Error(), "not released") {
		t.Errorf("send before the release: %v", err)
	}
	if err := send(); exitCode(err) != 2 {
		t.Errorf("send with neither SMTP nor -o: %v", err)
	}
	if err := cmd("reports", "release", "--survey", "impact-methods"); err == nil || !strings.Contains(err.Error(), "close it first") {
		t.Errorf("release while the survey is open: %v", err)
	}
	// Closed through the API, with a token the command line makes.
	if err := cmd("token", "create", "--name", "closer", "--role", "admin"); err != nil {
		t.Fatal(err, errOut.String())
	}
	req, _ := http.NewRequest(http.MethodPost, m.URL+"/api/v1/surveys/impact-methods/close", nil)
	req.Header.Set("Authorization", "Bearer "+strings.TrimSpace(out.String()))
	if res, err := http.DefaultClient.Do(req); err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("close: %v %v", res, err)
	} else {
		res.Body.Close()
	}
	if err := cmd("reports", "release", "--survey", "impact-methods"); err != nil || !strings.Contains(out.String(), "are released") {
		t.Fatalf("release: %v %s %s", err, out.String(), errOut.String())
	}
	if err := send("-o", mergePath); err != nil {
		t.Fatal(err, errOut.String())
	}
	b, _ := os.ReadFile(mergePath)
	rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(b, []byte("\uFEFF")))).ReadAll()
	if err != nil || len(rows) < 2 {
		t.Fatalf("mail-merge file: %v %v", rows, err)
	}
	follow := func(link string) (int, string) {
		t.Helper()
		u, err := url.Parse(link)
		if err != nil {
			t.Fatal(err)
		}
		res, err := http.Get(m.URL + u.RequestURI())
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		var body bytes.Buffer
		_, _ = body.ReadFrom(res.Body)
		return res.StatusCode, body.String()
	}
	for _, r := range rows[1:] {
		if status, body := follow(r[4]); status != http.StatusOK || !strings.Contains(body, "data-report-library") {
			t.Errorf("%s's link %s: %d", r[0], r[4], status)
		}
	}
	server := mailtest.Start(t)
	if err := send("--smtp-url", "smtp://"+server.Addr+"?from=survey@section.example", "--all"); err != nil {
		t.Fatal(err, errOut.String())
	}
	msgs := server.Messages()
	if !strings.Contains(out.String(), " report emails sent, 0 failed.") || len(msgs) != len(rows)-1 {
		t.Errorf("send: %s, %d messages, want %d", out.String(), len(msgs), len(rows)-1)
	}
	link := regexp.MustCompile(`http\S+/report\?t=\S+`)
	for _, msg := range msgs {
		if l := link.FindString(msg.Body); l == "" {
			t.Errorf("no report link in %s", msg.Body)
		} else if status, _ := follow(l); status != http.StatusOK {
			t.Errorf("emailed link %s: %d", l, status)
		}
	}
	if err := cmd("reports", "withdraw", "--survey", "impact-methods"); err != nil || !strings.Contains(out.String(), "withdrawn") {
		t.Errorf("withdraw: %v %s", err, out.String())
	}
	if status, _ := follow(rows[1][4]); status != http.StatusNotFound {
		t.Errorf("a link after the withdrawal: %d, want 404", status)
	}
	if err := cmd("reports", "--help"); err != nil || !strings.Contains(out.String(), "canvass reports send") {
		t.Errorf("reports --help: %v", err)
	}
}
