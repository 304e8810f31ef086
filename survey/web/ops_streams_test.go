package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/metlib/canvass/internal/syncbuf"
	"github.com/metlib/canvass/survey"
	"github.com/metlib/canvass/survey/web"
)

// lockedBuffer is a log destination the test reads while the server writes.
type lockedBuffer struct{ syncbuf.Buffer }

// lines are the JSON log records with the message msg.
func (b *lockedBuffer) lines(t *testing.T, msg string) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, l := range strings.Split(strings.TrimSpace(b.String()), "\n") {
		var rec map[string]any
		if l == "" {
			continue
		}
		if err := json.Unmarshal([]byte(l), &rec); err != nil {
			t.Fatalf("log line %q: %v", l, err)
		}
		if rec["msg"] == msg {
			out = append(out, rec)
		}
	}
	return out
}

// streamFixture is an app whose log is kept, with n responses of some
// 20 KB each in every-type (n × 20 KB of JSON Lines), served on a real
// listener with the given WriteTimeout whose connections have a small send
// buffer: the handler stays blocked in its writes, paced by the client,
// rather than handing the whole export to the kernel.
type streamFixture struct {
	*app
	log   *lockedBuffer
	url   string
	token string
	n     int
}

// seedLongResponses stores n submitted responses to every-type, each the
// valid answers plus an essay of some 20 KB, with submission ids
// prefix-0000, prefix-0001…
func seedLongResponses(t *testing.T, a *app, prefix string, n int) {
	t.Helper()
	long := strings.Repeat("Les bibliothèques mesurent leur impact. ", 499)
	var valid struct{ Answers survey.Answers }
	if err := json.Unmarshal([]byte(validJSON), &valid); err != nil {
		t.Fatal(err)
	}
	rs := make([]*survey.Response, n)
	at := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	for i := range rs {
		rs[i] = &survey.Response{SurveySlug: "every-type", SubmissionID: fmt.Sprintf("%s-%04d", prefix, i), Language: "en",
			Status: survey.ResponseSubmitted, CreatedAt: at, UpdatedAt: at, SubmittedAt: &at,
			Answers: survey.Answers{"essay": long[:len(long)-i%7]}}
		for k, v := range valid.Answers {
			rs[i].Answers[k] = v
		}
	}
	if _, err := configFor(a.store).Campaign.ImportResponses(survey.WithActor(context.Background(), survey.SystemActor), "every-type", rs); err != nil {
		t.Fatal(err)
	}
}

func newStreamFixture(t *testing.T, n int, writeTimeout, window time.Duration) *streamFixture {
	t.Helper()
	logs := &lockedBuffer{}
	a := newApp(t, func(c *web.Config) {
		c.Logger = slog.New(slog.NewJSONHandler(logs, nil))
		c.StreamWriteWindow = window
	})
	seedLongResponses(t, a, "rolling", n)
	ts := httptest.NewUnstartedServer(a.handler)
	ts.Config.WriteTimeout = writeTimeout
	ts.Listener = smallSendBuffers{ts.Listener}
	ts.Start()
	t.Cleanup(ts.Close)
	return &streamFixture{app: a, log: logs, url: ts.URL, token: a.token(survey.RoleAnalyst), n: n}
}

// smallSendBuffers sets a 16 KiB send buffer (the kernel doubles it) on
// each accepted connection, which also turns off its autotuning to 4 MiB.
type smallSendBuffers struct{ net.Listener }

func (l smallSendBuffers) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err == nil {
		if err := c.(*net.TCPConn).SetWriteBuffer(16 << 10); err != nil {
			c.Close()
			return nil, err
		}
	}
	return c, err
}

// export starts the JSON Lines export on a connection with a 16 KiB
// receive buffer, and checks that it is a 200 chunked stream.
func (f *streamFixture) export(t *testing.T) *http.Response {
	t.Helper()
	d := &net.Dialer{Control: func(_, _ string, c syscall.RawConn) error {
		var err error
		_ = c.Control(func(fd uintptr) { err = syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_RCVBUF, 16<<10) })
		return err
	}}
	client := &http.Client{Transport: &http.Transport{DialContext: d.DialContext, DisableCompression: true}}
	t.Cleanup(client.CloseIdleConnections)
	req, _ := http.NewRequest(http.MethodGet, f.url+"/api/v1/surveys/every-type/export.jsonl", nil)
	req.Header.Set("Authorization", "Bearer "+f.token)
	res, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { res.Body.Close() })
	if res.StatusCode != 200 || len(res.TransferEncoding) != 1 || res.TransferEncoding[0] != "chunked" {
		t.Fatalf("export: %d, transfer encoding %v, want 200 chunked", res.StatusCode, res.TransferEncoding)
	}
	return res
}

// exportLines are the export's request log lines, once there is one (the
// line is written when the handler is done), or nil after 15 s.
func (f *streamFixture) exportLines(t *testing.T) []map[string]any {
	t.Helper()
	for deadline := time.Now().Add(15 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		var export []map[string]any
		for _, l := range f.log.lines(t, "request") {
			if l["route"] == "/api/v1/surveys/:slug/:format" {
				export = append(export, l)
			}
		}
		if len(export) > 0 {
			return export
		}
	}
	return nil
}

// metric is the value of the export's request counter with the status
// label given, as /metrics shows it ("" when absent).
func (f *streamFixture) metric(status string) string {
	body := f.do(request{path: "/metrics", remote: "127.0.0.1:5555"}).Body.String()
	series := `canvass_http_requests_total{method="GET",route="/api/v1/surveys/:slug/:format",status="` + status + `"} `
	for _, l := range strings.Split(body, "\n") {
		if v, ok := strings.CutPrefix(l, series); ok {
			return v
		}
	}
	return ""
}

// checkAborted checks that the export is logged and counted as aborted
// after it sent sent bytes at least, and never as a completed 200.
func (f *streamFixture) checkAborted(t *testing.T, sent int) {
	t.Helper()
	lines := f.exportLines(t)
	if len(lines) != 1 {
		t.Fatalf("%d request lines for the export, want 1: %v", len(lines), lines)
	}
	l := lines[0]
	if l["level"] != "WARN" || l["aborted"] != true || l["status"] != float64(200) || l["method"] != "GET" || l["bytes"].(float64) < float64(sent) || l["request_id"] == "" {
		t.Errorf("the aborted export's request line: %v, want WARN, aborted, status 200, at least %d bytes", l, sent)
	}
	if got := f.metric("200-aborted"); got != "1" {
		t.Errorf(`canvass_http_requests_total{status="200-aborted"} is %q, want 1`, got)
	}
	if got := f.metric("200"); got != "" {
		t.Errorf(`canvass_http_requests_total{status="200"} is %q for an aborted export, want no such series`, got)
	}
}

// TestStreamOutlastsWriteTimeout streams a 1.2 MB export, on a server
// whose WriteTimeout is 1 s, to a client reading 8 KiB every 30 ms (some
// 4.5 s in all): the rolling deadline (2 s without progress) keeps it
// going, and it ends cleanly with every response, logged as a 200.
func TestStreamOutlastsWriteTimeout(t *testing.T) {
	f := newStreamFixture(t, 60, time.Second, 2*time.Second)
	start := time.Now()
	res := f.export(t)
	var got bytes.Buffer
	buf := make([]byte, 8<<10)
	var err error
	for {
		var n int
		n, err = res.Body.Read(buf)
		got.Write(buf[:n])
		if err != nil {
			break
		}
		time.Sleep(30 * time.Millisecond)
	}
	took := time.Since(start)
	if err != io.EOF {
		t.Fatalf("after %s and %d bytes the body ended with %v, want a clean end (the WriteTimeout cut the export)", took, got.Len(), err)
	}
	if took < 2*time.Second {
		t.Errorf("the export took %s: not past the 1 s WriteTimeout, the test proves nothing", took)
	}
	// Recomputed from the body: one line per response, each a JSON object
	// with one of the seeded submission IDs.
	lines := strings.Split(strings.TrimSuffix(got.String(), "\n"), "\n")
	ids := map[string]bool{}
	for _, l := range lines {
		var r struct {
			SubmissionID string `json:"_submission_id"`
		}
		if err := json.Unmarshal([]byte(l), &r); err != nil {
			t.Fatalf("line %.100q: %v", l, err)
		}
		ids[r.SubmissionID] = true
	}
	if len(lines) != f.n || len(ids) != f.n || !ids["rolling-0000"] || !ids[fmt.Sprintf("rolling-%04d", f.n-1)] {
		t.Errorf("%d lines, %d distinct submission IDs, want %d (rolling-0000 to rolling-%04d)", len(lines), len(ids), f.n, f.n-1)
	}
	t.Logf("%d bytes in %s", got.Len(), took.Round(time.Millisecond))
	if l := f.exportLines(t); len(l) != 1 || l[0]["status"] != float64(200) || l[0]["aborted"] != nil || l[0]["level"] != "INFO" {
		t.Errorf("the export's request lines: %v, want one INFO 200 without aborted", l)
	}
	if got := f.metric("200"); got != "1" {
		t.Errorf(`canvass_http_requests_total{status="200"} is %q, want 1`, got)
	}
}

// TestStalledStreamIsCut streams the export to a client that takes 32 KiB
// and stops reading: with 2 s allowed without progress, the write fails
// some 2 s later, the response is aborted (the client's body ends in an
// unexpected EOF, no last chunk), and the request is logged and counted
// as aborted.
func TestStalledStreamIsCut(t *testing.T) {
	f := newStreamFixture(t, 60, time.Second, 2*time.Second)
	res := f.export(t)
	first := make([]byte, 32<<10)
	if _, err := io.ReadFull(res.Body, first); err != nil {
		t.Fatal(err)
	}
	stalled := time.Now()
	lines := f.exportLines(t)
	took := time.Since(stalled)
	if lines == nil {
		t.Fatal("the stalled export was not cut in 15 s")
	}
	// The window, less the 1/16 by which extensions are spaced, and the
	// last one may predate the stall.
	if took < 2*time.Second*15/16-100*time.Millisecond || took > 5*time.Second {
		t.Errorf("the stalled export was cut after %s, want about 2 s", took)
	}
	t.Logf("cut %s after the client stalled", took.Round(time.Millisecond))
	rest, err := io.ReadAll(res.Body)
	if !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Errorf("the body ended with %v after %d bytes, want an unexpected EOF (an aborted chunked stream)", err, len(first)+len(rest))
	}
	if lines := strings.Count(string(first)+string(rest), "\n"); lines >= f.n {
		t.Errorf("all %d lines arrived: the stream was not cut", lines)
	}
	f.checkAborted(t, len(first)+len(rest))
	if w := f.log.lines(t, "export aborted midway"); len(w) != 1 || w[0]["shutting_down"] != false {
		t.Errorf("the handler's warnings: %v, want one, not shutting down", w)
	}
	if p := f.log.lines(t, "panic"); len(p) != 0 {
		t.Errorf("the abort was logged as a panic: %v", p)
	}
}

// TestStopStreamsWinsOverTheRollingDeadline stops the streams while an
// export with 30 s allowed without progress is blocked on a stalled
// client: StopStreams' deadline is not pushed back by the rolling one, and
// the export is aborted at once, logged and counted as such.
func TestStopStreamsWinsOverTheRollingDeadline(t *testing.T) {
	f := newStreamFixture(t, 60, time.Second, 30*time.Second)
	res := f.export(t)
	first := make([]byte, 32<<10)
	if _, err := io.ReadFull(res.Body, first); err != nil {
		t.Fatal(err)
	}
	time.Sleep(200 * time.Millisecond) // the handler blocks in a write, its deadline 30 s ahead
	start := time.Now()
	f.server.StopStreams(10 * time.Second)
	if took := time.Since(start); took > 2*time.Second {
		t.Errorf("StopStreams took %s: the rolling deadline held the handler in its write", took)
	}
	rest, err := io.ReadAll(res.Body)
	if !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Errorf("the body ended with %v, want an unexpected EOF", err)
	}
	if took := time.Since(start); took > 5*time.Second {
		t.Errorf("the client saw the end %s after StopStreams", took)
	}
	f.checkAborted(t, len(first)+len(rest))
	if w := f.log.lines(t, "export aborted midway"); len(w) != 1 || w[0]["shutting_down"] != true {
		t.Errorf("the handler's warnings: %v, want one, shutting down", w)
	}
}
