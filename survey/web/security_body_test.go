package web_test

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/metlib/canvass/internal/memtest"
	"github.com/metlib/canvass/survey"
	"github.com/metlib/canvass/survey/web"
)

// The production defaults (web.Config): the tests of this file use them,
// not newApp's small test limit, so the figures are the deployed ones.
const (
	bodyLimit   = 1 << 20  // MaxBodyBytes
	uploadLimit = 10 << 20 // MaxUploadBytes
	// hostileBody is the size of issue 13's anonymous bodies.
	hostileBody = 31 << 20
	// serverSlack is what net/http itself reads past what a handler reads:
	// the request line and headers, its 4 KiB read buffer, and, of a
	// chunked body left unread, up to 256 KiB (maxPostHandlerReadBytes)
	// before it writes the answer and as much again when it closes the
	// body, looking for its end to reuse the connection. It is the same for
	// every route and every body size, and less than the smallest limit, so
	// a path that reads its body to the limit cannot pass for one that did
	// not read it.
	serverSlack = 2*256<<10 + 16<<10
)

// countingListener counts the bytes the server reads from each connection,
// keyed by the client's address, so a test can tell what one request cost
// the server on the wire whatever the client managed to send.
type countingListener struct {
	net.Listener
	mu    sync.Mutex
	conns map[string]*countingConn
}

type countingConn struct {
	net.Conn
	read   atomic.Int64
	once   sync.Once
	closed chan struct{}
}

func (l *countingListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	cc := &countingConn{Conn: c, closed: make(chan struct{})}
	l.mu.Lock()
	l.conns[c.RemoteAddr().String()] = cc
	l.mu.Unlock()
	return cc, nil
}

func (c *countingConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	c.read.Add(int64(n))
	return n, err
}

func (c *countingConn) Close() error {
	c.once.Do(func() { close(c.closed) })
	return c.Conn.Close()
}

// CloseWrite keeps net/http's lingering close (it half-closes, waits, then
// closes, so the client reads the answer before the reset).
func (c *countingConn) CloseWrite() error {
	if cw, ok := c.Conn.(interface{ CloseWrite() error }); ok {
		return cw.CloseWrite()
	}
	return nil
}

// readFrom waits until the server has closed the connection from addr and
// returns how many bytes it read from it.
func (l *countingListener) readFrom(addr string) (int64, error) {
	l.mu.Lock()
	c := l.conns[addr]
	l.mu.Unlock()
	if c == nil {
		return 0, fmt.Errorf("the server saw no connection from %s", addr)
	}
	select {
	case <-c.closed:
	case <-time.After(30 * time.Second):
		return 0, fmt.Errorf("the server kept the connection from %s open", addr)
	}
	return c.read.Load(), nil
}

// serveCounting serves a's router on loopback through a countingListener.
func serveCounting(t *testing.T, a *app) (*httptest.Server, *countingListener) {
	srv := httptest.NewUnstartedServer(a.handler)
	l := &countingListener{Listener: srv.Listener, conns: map[string]*countingConn{}}
	srv.Listener = l
	srv.Start()
	t.Cleanup(srv.Close)
	return srv, l
}

// hostileMultipart is a multipart/form-data body of size bytes, made as it
// is read (50 of them at once cost the test nothing): a csrf_token and a
// lang field, then one file part of x's. The form is well formed, so only
// its size can stop a parser.
type hostileMultipart struct {
	io.Reader
	sent atomic.Int64
}

const hostileBoundary = "hostile-boundary-7f3a"

func newHostileMultipart(size int64) *hostileMultipart {
	head := "--" + hostileBoundary + "\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\nforged\r\n" +
		"--" + hostileBoundary + "\r\nContent-Disposition: form-data; name=\"lang\"\r\n\r\nfr\r\n" +
		"--" + hostileBoundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.xlsx\"\r\nContent-Type: application/octet-stream\r\n\r\n"
	tail := "\r\n--" + hostileBoundary + "--\r\n"
	fill := size - int64(len(head)+len(tail))
	return &hostileMultipart{Reader: io.MultiReader(strings.NewReader(head), io.LimitReader(xs{}, fill), strings.NewReader(tail))}
}

func (h *hostileMultipart) Read(p []byte) (int, error) {
	n, err := h.Reader.Read(p)
	h.sent.Add(int64(n))
	return n, err
}

// xs reads as an endless run of 'x'.
type xs struct{}

// xBlock is copied rather than filled byte by byte, which the race
// detector would make the slowest part of the test.
var xBlock = []byte(strings.Repeat("x", 32<<10))

func (xs) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) {
		n += copy(p[n:], xBlock)
	}
	return n, nil
}

// hostileRequest is one 31 MiB multipart post.
type hostileRequest struct {
	method, path string
	declared     bool // send a Content-Length; else the body is chunked, its size unknown
	contentType  string
	header       map[string]string
	cookies      []*http.Cookie
}

// hostileAnswer is what came back, and what it cost the server.
type hostileAnswer struct {
	status     int
	body       string
	location   string
	serverRead int64 // bytes the server read from the connection, headers included
	clientSent int64 // bytes of the body the client got onto the wire
}

// sendHostile posts a 31 MiB multipart body on a connection of its own,
// as an attacker's client would: it writes the request on one goroutine
// and reads the answer on another, so an answer the server sends before
// it stops reading is seen whatever happens to the rest of the upload
// (net/http's client reports the failed write instead, at random). It then
// waits for the server to close the connection and returns what the server
// read from it, counted on the server's side.
func sendHostile(srv *httptest.Server, l *countingListener, r hostileRequest) (hostileAnswer, error) {
	body := newHostileMultipart(hostileBody)
	method := r.method
	if method == "" {
		method = http.MethodPost
	}
	ct := r.contentType
	if ct == "" {
		ct = "multipart/form-data; boundary=" + hostileBoundary
	}
	conn, err := net.Dial("tcp", srv.Listener.Addr().String())
	if err != nil {
		return hostileAnswer{}, err
	}
	defer conn.Close()
	var head strings.Builder
	fmt.Fprintf(&head, "%s %s HTTP/1.1\r\nHost: %s\r\nContent-Type: %s\r\n", method, r.path, srv.Listener.Addr(), ct)
	for k, v := range r.header {
		fmt.Fprintf(&head, "%s: %s\r\n", k, v)
	}
	var cookies []string
	for _, c := range r.cookies {
		cookies = append(cookies, c.Name+"="+c.Value)
	}
	if len(cookies) > 0 {
		fmt.Fprintf(&head, "Cookie: %s\r\n", strings.Join(cookies, "; "))
	}
	if r.declared {
		fmt.Fprintf(&head, "Content-Length: %d\r\n\r\n", hostileBody)
	} else {
		head.WriteString("Transfer-Encoding: chunked\r\n\r\n")
	}
	var writing sync.WaitGroup
	writing.Go(func() {
		// Write errors are the server hanging up: expected.
		w := bufio.NewWriterSize(conn, 32<<10)
		_, _ = w.WriteString(head.String())
		if r.declared {
			_, _ = io.Copy(w, body)
		} else {
			cw := httputil.NewChunkedWriter(w)
			_, _ = io.Copy(cw, body)
			_ = cw.Close()
			_, _ = w.WriteString("\r\n")
		}
		_ = w.Flush()
	})
	_ = conn.SetReadDeadline(time.Now().Add(30 * time.Second))
	res, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		conn.Close()
		writing.Wait()
		return hostileAnswer{}, fmt.Errorf("%s %s: no answer (sent %d bytes): %w", method, r.path, body.sent.Load(), err)
	}
	page, _ := io.ReadAll(res.Body)
	conn.Close() // stops the upload
	writing.Wait()
	read, err := l.readFrom(conn.LocalAddr().String())
	return hostileAnswer{status: res.StatusCode, body: string(page), location: res.Header.Get("Location"),
		serverRead: read, clientSent: body.sent.Load()}, err
}

// csrfCookie is the CSRF cookie an anonymous browser gets with the sign-in
// page: with it, a forged token is checked against the form (which must be
// read to find it); without it the check refuses unread.
func csrfCookie(t *testing.T, srv *httptest.Server) []*http.Cookie {
	t.Helper()
	c := newClient(t, srv)
	c.get("/admin/login")
	ck := c.cookie("canvass_csrf")
	if ck == nil {
		t.Fatal("the sign-in page set no CSRF cookie")
	}
	return []*http.Cookie{ck}
}

// bodyLimits is newApp with the production body limits.
func bodyLimits(c *web.Config) {
	c.MaxBodyBytes, c.MaxUploadBytes = bodyLimit, uploadLimit
}

// TestHostileBodiesAreCutAtTheLimit posts issue 13's 31 MiB anonymous
// multipart bodies to each path that answered before (or without) reading
// them: the answer is the path's own, and the server reads no more than the
// route's body limit where it parses the body, nothing where the answer
// comes first (plus net/http's fixed slack, serverSlack, either way). Before,
// the 413, the 429, the 404 of no route and the admin CSRF check parsed the
// whole body. A declared Content-Length over the limit is refused before
// anything else, unread.
func TestHostileBodiesAreCutAtTheLimit(t *testing.T) {
	a := newApp(t, bodyLimits)
	srv, l := serveCounting(t, a)
	admin, analyst := newClient(t, srv), newClient(t, srv)
	a.signIn(t, admin, survey.RoleAdmin)
	a.signIn(t, analyst, survey.RoleAnalyst)
	session := func(c *client) []*http.Cookie {
		return []*http.Cookie{c.cookie("canvass_session"), c.cookie("canvass_csrf")}
	}
	anonymous := csrfCookie(t, srv)
	// A second router whose submission rate is spent by one small post.
	limited := newApp(t, bodyLimits, func(c *web.Config) { c.SubmitRate = web.RateLimit{PerSecond: 0.001, Burst: 1} })
	limitedSrv, limitedL := serveCounting(t, limited)
	first := newClient(t, limitedSrv)
	if p := first.post("/s/no-such-survey", url.Values{"pick": {"a"}}); p.status != http.StatusNotFound {
		t.Fatalf("the post that spends the rate: %d", p.status)
	}

	// reads is what the path may read of the body: the route's limit where
	// the body is parsed, nothing where the answer comes first.
	cases := []struct {
		name   string
		req    hostileRequest
		srv    *httptest.Server
		l      *countingListener
		status int
		reads  int64
		want   string // in the answer
	}{
		{"unknown survey", hostileRequest{path: "/s/no-such-survey?lang=fr"}, srv, l, 404, 0, "Une erreur"},
		{"open survey, over the limit", hostileRequest{path: "/s/every-type?lang=fr"}, srv, l, 413, bodyLimit, "1048576"},
		{"no route", hostileRequest{path: "/nowhere"}, srv, l, 404, 0, "There is nothing at this address."},
		{"wrong method", hostileRequest{method: http.MethodPut, path: "/s/every-type"}, srv, l, 405, 0, "This method is not allowed here."},
		{"over the rate", hostileRequest{path: "/s/every-type?lang=es"}, limitedSrv, limitedL, 429, 0, "Se ha producido un error"},
		{"API submit, multipart", hostileRequest{path: "/api/v1/surveys/every-type/responses"}, srv, l, 415, 0, "unsupported_media_type"},
		{"API submit, as JSON", hostileRequest{path: "/api/v1/surveys/every-type/responses", contentType: "application/json"}, srv, l, 413, bodyLimit, "too_large"},
		{"API upload without a token", hostileRequest{path: "/api/v1/surveys/import"}, srv, l, 401, 0, "unauthorized"},
		{"sign-in without a CSRF cookie", hostileRequest{path: "/admin/login"}, srv, l, 403, 0, "The form had expired"},
		{"sign-in, forged CSRF token", hostileRequest{path: "/admin/login", cookies: anonymous}, srv, l, 413, bodyLimit, "1048576"},
		{"password setup, forged CSRF token", hostileRequest{path: "/admin/setup", cookies: anonymous}, srv, l, 413, bodyLimit, "1048576"},
		{"admin upload without a session", hostileRequest{path: "/admin/surveys"}, srv, l, 303, 0, ""},
		{"admin form without a session", hostileRequest{path: "/admin/surveys/every-type/status"}, srv, l, 303, 0, ""},
		{"admin upload, analyst's session", hostileRequest{path: "/admin/surveys", cookies: session(analyst)}, srv, l, 403, 0, "is for administrators"},
		{"admin upload, forged CSRF token", hostileRequest{path: "/admin/surveys", cookies: session(admin)}, srv, l, 413, uploadLimit, "10485760"},
		{"admin form, forged CSRF token", hostileRequest{path: "/admin/surveys/every-type/status", cookies: session(admin)}, srv, l, 413, bodyLimit, "1048576"},
		{"admin form, forged CSRF header", hostileRequest{path: "/admin/surveys/every-type/status", cookies: session(admin), header: map[string]string{"X-CSRF-Token": "forged"}}, srv, l, 403, 0, "The form had expired"},
	}
	// In parallel: each waits half a second for net/http's lingering close.
	t.Run("paths", func(t *testing.T) {
		for _, tc := range cases {
			for _, declared := range []bool{false, true} {
				name := tc.name + map[bool]string{false: ", chunked", true: ", declared length"}[declared]
				t.Run(name, func(t *testing.T) {
					t.Parallel()
					r := tc.req
					r.declared = declared
					got, err := sendHostile(tc.srv, tc.l, r)
					if err != nil {
						t.Fatal(err)
					}
					status, reads, want := tc.status, tc.reads, tc.want
					if declared {
						// The declared length is refused before anything
						// else, and nothing of the body is read.
						// The message is in the page's language.
						status, reads, want = 413, 0, "larger than"
						for _, phrase := range []string{"La requête dépasse", "La solicitud supera"} {
							if strings.Contains(got.body, phrase) {
								want = phrase
							}
						}
					}
					if got.status != status || !strings.Contains(got.body, want) {
						t.Errorf("got %d %.300q; want %d with %q", got.status, got.body, status, want)
					}
					if got.serverRead > reads+serverSlack {
						t.Errorf("the server read %d bytes of a %d-byte body; this path may read %d (+%d of net/http's own)", got.serverRead, hostileBody, reads, serverSlack)
					}
					t.Logf("%d: server read %.2f MiB, client sent %.2f MiB", got.status, float64(got.serverRead)/(1<<20), float64(got.clientSent)/(1<<20))
				})
			}
		}
	})
	// The admin's refused posts changed nothing.
	if sv, _ := a.store.FindSurvey(t.Context(), "every-type"); sv.Status != survey.StatusOpen {
		t.Errorf("every-type is %s after the refused posts", sv.Status)
	}
	if n := a.countResponses("every-type"); n != 0 {
		t.Errorf("%d responses stored from the hostile posts", n)
	}
}

// spilled is the size of the multipart parser's temporary files in dir.
func spilled(dir string) int64 {
	files, _ := filepath.Glob(filepath.Join(dir, "multipart-*"))
	var total int64
	for _, f := range files {
		if fi, err := os.Stat(f); err == nil {
			total += fi.Size()
		}
	}
	return total
}

// TestHostileBodiesMemory sends issue 13's attack — 50 anonymous
// connections at once, each posting 31 MiB of multipart to paths that
// read a body to the limit (the sign-in, the password setup, the API
// submit) or answer without reading it (no route, an admin upload) — and a
// single such request first, measuring the heap in use above the idle
// figure (runtime.MemStats HeapInuse, sampled every millisecond by
// memtest; before: 2.4–2.6 GB) and what the multipart parser wrote to the
// temporary directory (before: 2.8 GB for one request). The bounds: about
// half the 512 MB over idle, and no more temporary files than the
// body limit per request.
func TestHostileBodiesMemory(t *testing.T) {
	a := newApp(t, bodyLimits)
	srv, l := serveCounting(t, a)
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp) // where mime/multipart spills (os.TempDir)
	// The paths need no database before they answer (so a slow machine's
	// store timeouts cannot stand in for the answer): three read the body
	// to the limit (the sign-in and the password setup look for the CSRF
	// token in the form, the API submit decodes it), two answer unread.
	cookies := csrfCookie(t, srv)
	attacks := []hostileRequest{
		{path: "/admin/login", cookies: cookies},
		{path: "/admin/setup", cookies: cookies},
		{path: "/api/v1/surveys/every-type/responses", contentType: "application/json"},
		{path: "/nowhere"},
		{path: "/admin/surveys"},
	}

	var peakSpill atomic.Int64
	stop := make(chan struct{})
	var watch sync.WaitGroup
	watch.Go(func() {
		for {
			peakSpill.Store(max(peakSpill.Load(), spilled(tmp)))
			select {
			case <-stop:
				return
			case <-time.After(2 * time.Millisecond):
			}
		}
	})
	attack := func(n int) (statuses map[int]int, read int64) {
		var mu sync.Mutex
		statuses = map[int]int{}
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() {
				r := attacks[i%len(attacks)]
				got, err := sendHostile(srv, l, r)
				mu.Lock()
				defer mu.Unlock()
				if err != nil {
					t.Error(err)
					return
				}
				statuses[got.status]++
				if got.status >= 500 {
					t.Logf("%s: %d %.300s", r.path, got.status, got.body)
				}
				read = max(read, got.serverRead)
			})
		}
		wg.Wait()
		return statuses, read
	}
	var oneStatuses map[int]int
	one := memtest.Measure(func() { oneStatuses, _ = attack(1) })
	var fiftyStatuses map[int]int
	var fiftyRead int64
	fifty := memtest.Measure(func() { fiftyStatuses, fiftyRead = attack(50) })
	close(stop)
	watch.Wait()

	t.Logf("1 request: %v; %v", oneStatuses, one)
	t.Logf("50 connections: %v; %v; most read from one connection %.2f MiB; temp files at most %d bytes",
		fiftyStatuses, fifty, float64(fiftyRead)/(1<<20), peakSpill.Load())
	want := map[int]int{413: 30, 404: 10, 303: 10}
	if fmt.Sprint(fiftyStatuses) != fmt.Sprint(want) {
		t.Errorf("50 connections answered %v, want %v", fiftyStatuses, want)
	}
	if fiftyRead > uploadLimit+serverSlack {
		t.Errorf("the server read %d bytes from one connection", fiftyRead)
	}
	// A parse holds the body and a copy or two of it while it grows its
	// buffers, and the collector lets the heap run ahead of the live data:
	// 4 limits per connection, plus 64 MiB for the router and the store,
	// is 264 MiB for 50, about half the 512 MB.
	const perConnection, fixed = 4 * bodyLimit, 64 << 20
	if bound := uint64(perConnection + fixed); one.PeakHeap > bound {
		t.Errorf("heap in use grew by %d MiB for one request, want under %d MiB", one.PeakHeap>>20, bound>>20)
	}
	if bound := uint64(50*perConnection + fixed); fifty.PeakHeap > bound {
		t.Errorf("heap in use grew by %d MiB for 50 connections, want under %d MiB", fifty.PeakHeap>>20, bound>>20)
	}
	if s := peakSpill.Load(); s > 50*bodyLimit {
		t.Errorf("the multipart parser wrote %d bytes to the temporary directory, more than the body limit per request", s)
	}
}

// TestEveryAdminPostNeedsTheCSRFToken posts a forged CSRF token, as a
// signed-in admin, to every POST route of the admin pages the router has:
// each is refused with 403. checkCSRF is on each admin group after its role
// check rather than on /admin as a whole (so bodies are read only for
// someone allowed to post them); this holds a new group to having it.
func TestEveryAdminPostNeedsTheCSRFToken(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	c := newClient(t, a.serve(t))
	a.signIn(t, c, survey.RoleAdmin)
	params := strings.NewReplacer(":slug", "every-type", ":id", "0123456789abcdef01234567")
	n := 0
	for _, route := range a.server.Routes() {
		if route.Method != http.MethodPost || !strings.HasPrefix(route.Path, "/admin") {
			continue
		}
		n++
		path := params.Replace(route.Path)
		for _, forged := range []string{"forged", ""} {
			if p := c.post(path, url.Values{"csrf_token": {forged}, "status": {"closed"}}); p.status != http.StatusForbidden || !strings.Contains(p.body, "The form had expired") {
				t.Errorf("POST %s with csrf_token=%q: %d, want 403", route.Path, forged, p.status)
			}
		}
	}
	if n < 20 {
		t.Errorf("only %d admin POST routes found", n)
	}
	// The refused logout did not sign the admin out, nor the status form close the survey.
	if p := c.get("/admin"); p.status != http.StatusOK {
		t.Errorf("after the refused posts, /admin: %d", p.status)
	}
	if sv, _ := a.store.FindSurvey(t.Context(), "every-type"); sv.Status != survey.StatusOpen {
		t.Errorf("every-type is %s", sv.Status)
	}
}
