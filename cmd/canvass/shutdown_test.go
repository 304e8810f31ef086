package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/metlib/canvass/campaign"
	"github.com/metlib/canvass/demo"
)

// slowClient reads through a 16 KiB receive buffer, so a download it stops
// reading fills the kernel's buffers within a few megabytes and leaves the
// server's handler blocked in a write, as a client on a slow link does.
func slowClient() *http.Client {
	d := &net.Dialer{Control: func(_, _ string, c syscall.RawConn) error {
		var err error
		_ = c.Control(func(fd uintptr) { err = syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_RCVBUF, 16<<10) })
		return err
	}}
	return &http.Client{Transport: &http.Transport{DialContext: d.DialContext, DisableCompression: true}}
}

// exitWithin waits for the process to exit, at most limit; it returns how
// long the exit took from start, or fails the test.
func exitWithin(t *testing.T, cmd *exec.Cmd, logs *bytes.Buffer, start time.Time, limit time.Duration) time.Duration {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		took := time.Since(start)
		if err != nil {
			t.Errorf("exit: %v\n%s", err, logs.String())
		}
		return took
	case <-time.After(limit):
		_ = cmd.Process.Kill()
		<-done
		t.Fatalf("no exit within %s of SIGTERM:\n%s", limit, logs.String())
		return 0
	}
}

// TestShutdownAbortsSlowDownloads starts an export per format to a client
// that reads slowly or stops reading, sends SIGTERM, and checks that the process exits once
// the grace period is over (not when the download would have ended, minutes
// later) and that the client can tell its file is cut: the chunked body
// ends without its last chunk, an unexpected EOF, never a clean end.
func TestShutdownAbortsSlowDownloads(t *testing.T) {
	dir := t.TempDir()
	addr := freePort(t)
	cmd, logs := serveProcess(t, dir, addr)
	seedLongResponses(t, dir, 3000)
	var out, errOut bytes.Buffer
	if err := run(context.Background(), []string{"token", "create", "--name", "shutdown", "--role", "analyst", "--data-dir", dir}, nil, &out, &errOut, noEnv); err != nil {
		t.Fatalf("token: %v %s", err, errOut.String())
	}
	token := strings.TrimSpace(out.String())
	_ = cmd.Process.Signal(syscall.SIGTERM)
	exitWithin(t, cmd, logs, time.Now(), time.Minute)

	const grace = 2 * time.Second
	// Measured here: 1.5 s from SIGTERM to exit with nothing in flight (the
	// embedded database's stop), grace + 1.6 s with a stream running.
	const margin = 6 * time.Second
	for _, tc := range []struct {
		format string
		// stall: the client stops reading after the first 32 KiB (the
		// handler blocks in a write); else it goes on at about 800 KB/s
		// (the handler keeps reading the database between writes).
		stall bool
	}{
		{"jsonl", false}, {"jsonl", true}, {"csv", false}, {"xlsx", true},
	} {
		name := tc.format + map[bool]string{false: "-slow", true: "-stalled"}[tc.stall]
		t.Run(name, func(t *testing.T) {
			cmd, logs := serveProcess(t, dir, addr, "--shutdown-grace", grace.String())
			req, _ := http.NewRequest(http.MethodGet, "http://"+addr+"/api/v1/surveys/impact-methods/export."+tc.format, nil)
			req.Header.Set("Authorization", "Bearer "+token)
			res, err := slowClient().Do(req)
			if err != nil {
				_ = cmd.Process.Kill()
				t.Fatal(err)
			}
			defer res.Body.Close()
			if res.StatusCode != 200 || len(res.TransferEncoding) != 1 || res.TransferEncoding[0] != "chunked" {
				_ = cmd.Process.Kill()
				t.Fatalf("export: %d, transfer encoding %v, want 200 chunked", res.StatusCode, res.TransferEncoding)
			}
			head := make([]byte, 32<<10)
			if _, err := io.ReadFull(res.Body, head); err != nil {
				_ = cmd.Process.Kill()
				t.Fatalf("first 32 KiB: %v", err)
			}
			// The reader goes on (slowly, or once the process is gone) to
			// the end of the body, and reports how it ended.
			exited := make(chan struct{})
			ended := make(chan error, 1)
			go func() {
				if tc.stall {
					<-exited
				}
				buf := make([]byte, 16<<10)
				for {
					if _, err := res.Body.Read(buf); err != nil {
						ended <- err
						return
					}
					select {
					case <-exited:
					case <-time.After(20 * time.Millisecond):
					}
				}
			}()

			sent := time.Now()
			if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
				t.Fatal(err)
			}
			took := exitWithin(t, cmd, logs, sent, grace+margin)
			close(exited)
			t.Logf("%s: exit %.2f s after SIGTERM, grace %s", name, took.Seconds(), grace)
			if took < grace {
				t.Errorf("exit %s after SIGTERM, before the grace of %s was over: the download was not given its grace", took, grace)
			}
			// What the kernel buffered still arrives; then the body must
			// end in error, not in the zero-length chunk of a whole file.
			select {
			case err := <-ended:
				if !errors.Is(err, io.ErrUnexpectedEOF) {
					t.Errorf("the body ended with %v, want an unexpected EOF (an aborted chunked stream)", err)
				}
			case <-time.After(time.Minute):
				t.Fatal("the body did not end within a minute of the exit")
			}
			if !strings.Contains(logs.String(), `msg="export aborted midway"`) || !strings.Contains(logs.String(), "shutting_down=true") {
				t.Errorf("no log line of the aborted export:\n%s", logs.String())
			}
		})
	}
}

// seedLongResponses stores n demo responses to impact-methods, each with
// 4,900 characters of random words as its feedback: some 15 MB in every
// format (the workbook too, since random words compress poorly), more than
// the kernel buffers between the server and a client that stopped reading
// (up to 4 MiB of send buffer here), so the server is still writing when
// SIGTERM comes.
func seedLongResponses(t *testing.T, dir string, n int) {
	t.Helper()
	cfg := testConfig(dir)
	err := withCampaign(context.Background(), cfg, io.Discard, func(ctx context.Context, svc *campaign.Service) error {
		sum, err := svc.Survey(ctx, "impact-methods")
		if err != nil {
			return err
		}
		rs := demo.Responses(sum.Survey, n, 7, time.Now())
		rng := rand.New(rand.NewPCG(7, 7))
		var b strings.Builder
		for _, r := range rs {
			b.Reset()
			for b.Len() < 4900 {
				for range 2 + rng.IntN(8) {
					b.WriteByte(byte('a' + rng.IntN(26)))
				}
				b.WriteByte(' ')
			}
			r.Answers["survey_feedback"] = b.String()
		}
		_, err = svc.ImportResponses(ctx, "impact-methods", rs)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestGracefulShutdown sends SIGTERM while submissions are in flight: each
// one the server accepted is answered 201 (the others are refused at the
// connection, never half-done), and the process closes the store and exits 0
// within the grace period and the embedded database's stop.
func TestGracefulShutdown(t *testing.T) {
	dir := t.TempDir()
	addr := freePort(t)
	const grace = 10 * time.Second
	cmd, logs := serveProcess(t, dir, addr, "--shutdown-grace", grace.String())
	type outcome struct {
		code int
		err  error
	}
	outcomes := make(chan outcome, 20)
	started := make(chan struct{}, 20)
	client := &http.Client{Timeout: time.Minute}
	for i := 0; i < 20; i++ {
		go func(i int) {
			started <- struct{}{}
			res, err := client.Post("http://"+addr+"/api/v1/surveys/impact-methods/responses", "application/json", strings.NewReader(submissionBody(fmt.Sprintf("graceful-%03d", i), i)))
			if err != nil {
				outcomes <- outcome{err: err}
				return
			}
			body, _ := io.ReadAll(res.Body)
			res.Body.Close()
			if res.StatusCode != 201 {
				err = fmt.Errorf("%s", body)
			}
			outcomes <- outcome{code: res.StatusCode, err: err}
		}(i)
	}
	for i := 0; i < 20; i++ {
		<-started
	}
	time.Sleep(20 * time.Millisecond)
	sent := time.Now()
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	// Generous: the machine running the tests may be busy.
	took := exitWithin(t, cmd, logs, sent, grace+30*time.Second)
	t.Logf("exit %.2f s after SIGTERM", took.Seconds())
	answered := 0
	for i := 0; i < 20; i++ {
		o := <-outcomes
		switch {
		case o.code == 201:
			answered++
		case o.code != 0:
			t.Errorf("a request in flight got %d: %v", o.code, o.err)
		}
	}
	t.Logf("%d of 20 submissions answered 201, the rest refused at the connection", answered)
	if !strings.Contains(logs.String(), "shutting down") {
		t.Errorf("no shutdown line in the log:\n%s", logs.String())
	}
	if strings.Contains(logs.String(), "shutdown grace over") {
		t.Errorf("submissions outlasted the grace of %s:\n%s", grace, logs.String())
	}
	if _, err := os.Stat(filepath.Join(dir, "canvass.uri")); !os.IsNotExist(err) {
		t.Error("the embedded database was not closed cleanly (its address file remains)")
	}
}
