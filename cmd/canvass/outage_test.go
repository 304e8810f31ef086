package main

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/metlib/canvass/survey/store"
)

func freePort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return addr
}

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// TestDatabaseOutage stops the database under a running server, then starts
// it again: submissions get 503 with Retry-After (the form keeps every
// answer), /readyz turns 503 while /healthz stays 200, and everything
// recovers without a restart.
func TestDatabaseOutage(t *testing.T) {
	dir := t.TempDir()
	addr := freePort(t)
	db, err := store.StartEmbeddedOn(filepath.Join(dir, "db"), addr, quiet)
	if err != nil {
		t.Fatal(err)
	}
	cfg := testConfig("")
	cfg.MongoURI = "mongodb://" + addr + "/?serverSelectionTimeoutMS=1000"
	m := startMain(t, cfg)
	defer m.Close()

	post := func(id string) (int, http.Header) {
		body := `{"submission_id": "` + id + `", "answers": {"library_name": "L", "contact_email": "l@example.org", "country": "FR", "measurement_status": "not_measuring", "share_data": "no"}}`
		res, err := http.Post(m.URL+"/api/v1/surveys/impact-methods/responses", "application/json", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode, res.Header
	}
	status := func(path string) int {
		res, err := http.Get(m.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode
	}
	if code, _ := post("outage-before"); code != 201 {
		t.Fatalf("before the outage: %d", code)
	}
	// The form page is served from the cache of survey definitions during the outage.
	readBody(t, mustGet(t, http.DefaultClient, m.URL+"/s/impact-methods"))

	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(2500 * time.Millisecond) // past the survey cache, so the outage is seen everywhere
	code, header := post("outage-during")
	if code != 503 || header.Get("Retry-After") == "" {
		t.Errorf("during the outage: %d, Retry-After %q", code, header.Get("Retry-After"))
	}
	if s := status("/readyz"); s != 503 {
		t.Errorf("/readyz during the outage: %d", s)
	}
	if s := status("/healthz"); s != 200 {
		t.Errorf("/healthz during the outage: %d", s)
	}

	db, err = store.StartEmbeddedOn(filepath.Join(dir, "db"), addr, quiet)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	deadline := time.Now().Add(20 * time.Second)
	for {
		if code, _ := post("outage-after"); code == 201 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("no recovery within 20 s of the database returning")
		}
		time.Sleep(250 * time.Millisecond)
	}
	if s := status("/readyz"); s != 200 {
		t.Errorf("/readyz after the outage: %d", s)
	}
	// Nothing was lost and nothing doubled: the outage submission was refused, not half-stored.
	st, err := store.Open(context.Background(), db.TCPURI, "canvass")
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close(context.Background())
	if n, _ := st.CountResponses(context.Background(), "impact-methods"); n != 2 {
		t.Errorf("%d responses stored, want 2 (before and after)", n)
	}
}

func TestStartupWaitsForTheDatabase(t *testing.T) {
	dir := t.TempDir()
	addr := freePort(t)
	cfg := testConfig("")
	cfg.MongoURI = "mongodb://" + addr + "/?serverSelectionTimeoutMS=300"
	cfg.StartupTimeout = 30 * time.Second
	started := make(chan *store.Embedded, 1)
	go func() {
		time.Sleep(1500 * time.Millisecond)
		db, err := store.StartEmbeddedOn(filepath.Join(dir, "db"), addr, quiet)
		if err != nil {
			t.Error(err)
		}
		started <- db
	}()
	m := &Main{Config: cfg, Logger: quiet}
	start := time.Now()
	err := m.Run(context.Background())
	db := <-started
	defer db.Close()
	defer m.Close()
	if err != nil || time.Since(start) < time.Second {
		t.Fatalf("start with the database late: %v after %v", err, time.Since(start))
	}

	// And gives up, clearly, when it never comes.
	cfg = testConfig("")
	cfg.MongoURI = "mongodb://" + freePort(t) + "/?serverSelectionTimeoutMS=200"
	cfg.StartupTimeout = 1 * time.Second
	never := &Main{Config: cfg, Logger: quiet}
	err = never.Run(context.Background())
	never.Close()
	if err == nil || !strings.Contains(err.Error(), "did not answer within 1s (CANVASS_STARTUP_TIMEOUT)") {
		t.Errorf("never: %v", err)
	}
}
