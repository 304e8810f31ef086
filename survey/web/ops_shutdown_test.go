package web_test

import (
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/metlib/canvass/survey"
)

// TestStopStreamsAbortsADownload streams a JSON Lines export, through the
// real router and a real connection, to a client that stopped reading, and
// stops the streams as a shutdown does when its grace is over: the handler
// returns at once, and the client's body ends in an unexpected EOF (no last
// chunk), never a clean end of a cut file. A download asked for afterwards
// is a 503 saying why.
func TestStopStreamsAbortsADownload(t *testing.T) {
	a := newApp(t)
	// 300 responses of some 20 KB each (an essay near the 20,000 characters
	// a long text may have): 6 MB of JSON Lines, more than the kernel
	// buffers between the handler and a stalled client (at most 4 MiB of
	// send buffer, net.ipv4.tcp_wmem), so the handler is still at work
	// however fast the machine. Few, large responses: each is a round trip
	// to store, the slow part of this test.
	const n = 300
	seeded := time.Now()
	seedLongResponses(t, a, "stream", n)
	t.Logf("seeding took %s", time.Since(seeded).Round(time.Millisecond))
	ts := httptest.NewServer(a.handler)
	defer ts.Close()
	token := a.token(survey.RoleAnalyst)
	get := func(client *http.Client) *http.Response {
		t.Helper()
		req, _ := http.NewRequest(http.MethodGet, ts.URL+"/api/v1/surveys/every-type/export.jsonl", nil)
		req.Header.Set("Authorization", "Bearer "+token)
		res, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		return res
	}

	d := &net.Dialer{Control: func(_, _ string, c syscall.RawConn) error {
		var err error
		_ = c.Control(func(fd uintptr) { err = syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_RCVBUF, 16<<10) })
		return err
	}}
	res := get(&http.Client{Transport: &http.Transport{DialContext: d.DialContext, DisableCompression: true}})
	defer res.Body.Close()
	if res.StatusCode != 200 || len(res.TransferEncoding) != 1 || res.TransferEncoding[0] != "chunked" {
		t.Fatalf("export: %d, transfer encoding %v, want 200 chunked", res.StatusCode, res.TransferEncoding)
	}
	first := make([]byte, 32<<10)
	if _, err := io.ReadFull(res.Body, first); err != nil {
		t.Fatal(err)
	}
	if line, _, _ := strings.Cut(string(first), "\n"); !strings.Contains(line, `"pick":"other"`) {
		t.Fatalf("first line %.200q is not a response", line)
	}

	start := time.Now()
	a.server.StopStreams(10 * time.Second)
	if took := time.Since(start); took > 5*time.Second {
		t.Errorf("StopStreams took %s: the handler stayed blocked in its write", took)
	}
	t.Logf("StopStreams took %s", time.Since(start).Round(time.Millisecond))
	rest, err := io.ReadAll(res.Body)
	if !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Errorf("the body ended with %v, want an unexpected EOF (an aborted chunked stream)", err)
	}
	got := len(first) + len(rest)
	// Recomputed: what a whole export is, by a download no shutdown cut.
	whole := strings.Count(string(first)+string(rest), "\n")
	if whole >= n {
		t.Errorf("%d lines (%d bytes) arrived, all %d: the stream was not cut", whole, got, n)
	}
	t.Logf("%d of %d lines (%d bytes) arrived before the abort", whole, n, got)

	res2 := get(http.DefaultClient)
	defer res2.Body.Close()
	var body struct {
		Error struct{ Code, Message string }
	}
	_ = json.NewDecoder(res2.Body).Decode(&body)
	if res2.StatusCode != http.StatusServiceUnavailable || body.Error.Code != survey.EUNAVAILABLE || !strings.Contains(body.Error.Message, "shutting down") ||
		res2.Header.Get("Retry-After") == "" || res2.Header.Get("Content-Disposition") != "" {
		t.Errorf("a download after StopStreams: %d %+v (Retry-After %q, Content-Disposition %q), want 503 unavailable, shutting down",
			res2.StatusCode, body.Error, res2.Header.Get("Retry-After"), res2.Header.Get("Content-Disposition"))
	}
}
