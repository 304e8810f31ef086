package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/metlib/canvass/survey/store"
)

// TestTwoInstancesShareOneDatabase runs the embedded database alone (as
// `canvass db` does) and two `canvass serve` instances against it, started
// at the same moment on an empty database: the built-in surveys and the
// first-run setup link are made once, and a sign-in, a submission and the
// counts made through one instance are seen through the other.
func TestTwoInstancesShareOneDatabase(t *testing.T) {
	dir := t.TempDir()
	db, err := store.StartEmbeddedOn(filepath.Join(dir, "db"), "127.0.0.1:0", slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	uri := db.TCPURI
	if !strings.HasPrefix(uri, "mongodb://127.0.0.1:") {
		t.Fatalf("db URI %q", uri)
	}
	cfg := func() *Config {
		c := testConfig("")
		c.MongoURI = uri
		return c
	}
	var a, b *Main
	var wg sync.WaitGroup
	for _, m := range []**Main{&a, &b} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			mm := &Main{Config: cfg(), Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
			if err := mm.Run(context.Background()); err != nil {
				t.Error(err)
			}
			*m = mm
		}()
	}
	wg.Wait()
	if t.Failed() {
		t.FailNow()
	}
	defer a.Close()
	defer b.Close()

	st, err := store.Open(context.Background(), uri, "canvass")
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close(context.Background())
	surveys, _ := st.ListSurveyHeaders(context.Background())
	if len(surveys) != 2 {
		t.Errorf("%d surveys after two concurrent first starts, want 2", len(surveys))
	}
	links := 0
	for _, m := range []*Main{a, b} {
		if m.SetupLink != "" {
			links++
		}
	}
	if links != 1 {
		t.Fatalf("%d setup links issued by two instances, want 1", links)
	}
	setup := a.SetupLink
	if setup == "" {
		setup = strings.Replace(b.SetupLink, b.URL, a.URL, 1)
	} else {
		setup = strings.Replace(setup, publicURL("", a.URL), a.URL, 1)
	}

	// Set up and sign in through A; the session works on B.
	jar, _ := cookiejar.New(nil)
	browser := &http.Client{Jar: jar}
	page := readBody(t, mustGet(t, browser, setup))
	csrf := csrfRe.FindStringSubmatch(page)[1]
	token := strings.SplitN(setup, "token=", 2)[1]
	res, err := browser.PostForm(a.URL+"/admin/setup", url.Values{"csrf_token": {csrf}, "token": {token}, "email": {"chair@example.org"},
		"password": {"a long shared password"}, "password_again": {"a long shared password"}})
	if err != nil || res.StatusCode != 200 {
		t.Fatalf("setup through A: %v %d", err, res.StatusCode)
	}
	res.Body.Close()
	aURL, _ := url.Parse(a.URL)
	bURL, _ := url.Parse(b.URL)
	jar.SetCookies(bURL, jar.Cookies(aURL)) // the same site behind a load balancer
	res = mustGet(t, browser, b.URL+"/admin")
	if body := readBody(t, res); res.StatusCode != 200 || !strings.Contains(body, "chair@example.org") {
		t.Fatalf("session from A not known to B: %d at %s", res.StatusCode, res.Request.URL)
	}

	// A response through A is in B's list and counts.
	body := `{"submission_id": "shared-0001", "answers": {"library_name": "Biblioteca", "contact_email": "b@example.org", "country": "AR",
	  "measurement_status": "not_measuring", "share_data": "no"}}`
	res, err = http.Post(a.URL+"/api/v1/surveys/impact-methods/responses", "application/json", strings.NewReader(body))
	if err != nil || res.StatusCode != 201 {
		t.Fatalf("submit through A: %v %d", err, res.StatusCode)
	}
	res.Body.Close()
	res = mustGet(t, browser, b.URL+"/api/v1/surveys")
	var list struct {
		Surveys []struct {
			Slug      string
			Responses int
		}
	}
	_ = json.Unmarshal([]byte(readBody(t, res)), &list)
	counts := map[string]int{}
	for _, s := range list.Surveys {
		counts[s.Slug] = s.Responses
	}
	if counts["impact-methods"] != 1 {
		t.Errorf("B counts %v", counts)
	}
	// The same submission retried through B is recognised.
	res, err = http.Post(b.URL+"/api/v1/surveys/impact-methods/responses", "application/json", strings.NewReader(body))
	if err != nil || res.StatusCode != 200 {
		t.Errorf("retry through B: %v %d", err, res.StatusCode)
	}
}

func TestBackupRestoreAndHealthcheckCommands(t *testing.T) {
	dir := t.TempDir()
	m := startMain(t, testConfig(dir))
	var out, errOut bytes.Buffer
	cmd := func(args ...string) error {
		out.Reset()
		errOut.Reset()
		return run(context.Background(), args, nil, &out, &errOut, noEnv)
	}
	addr := strings.TrimPrefix(m.URL, "http://")
	if err := cmd("healthcheck", "--addr", addr); err != nil {
		t.Errorf("healthcheck of a running server: %v", err)
	}
	if err := cmd("healthcheck", "--addr", addr, "--path", "/readyz"); err != nil {
		t.Errorf("readiness: %v", err)
	}
	if err := cmd("demo", "--survey", "landscape", "--responses", "25", "--data-dir", dir); err != nil {
		t.Fatal(err)
	}
	archive := filepath.Join(dir, "canvass.backup.gz")
	if err := cmd("backup", "-o", archive, "--data-dir", dir); err != nil || !strings.Contains(out.String(), "responses 25") {
		t.Fatalf("backup beside a running serve: %v %s %s", err, out.String(), errOut.String())
	}
	_ = m.Close()
	if err := cmd("healthcheck", "--addr", addr); err == nil {
		t.Error("healthcheck passed with the server stopped")
	}
	// Restore into another database of the same embedded server.
	if err := cmd("restore", "--data-dir", dir, "--db", "restored", archive); err != nil || !strings.Contains(out.String(), "responses 25") {
		t.Fatalf("restore: %v %s", err, errOut.String())
	}
	if err := cmd("restore", "--data-dir", dir, "--db", "restored", archive); err == nil || !strings.Contains(err.Error(), "needs an empty database") {
		t.Errorf("second restore: %v", err)
	}
	if err := cmd("survey", "list", "--data-dir", dir, "--db", "restored"); err != nil || !strings.Contains(out.String(), "landscape") {
		t.Errorf("restored database: %v %s", err, out.String())
	}
	if _, err := os.Stat(archive); err != nil {
		t.Fatal(err)
	}
	// `canvass db` refuses anything but loopback, since the server has no authentication.
	if _, err := store.StartEmbeddedOn(filepath.Join(dir, "x"), "0.0.0.0:27017", slog.New(slog.NewTextHandler(io.Discard, nil))); err == nil {
		t.Error("the embedded database agreed to listen on every interface")
	}
}
