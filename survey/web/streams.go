package web

import (
	"context"
	"io"
	"net/http"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
)

// streams lets a shutdown end the downloads in flight. http.Server.Shutdown
// waits for active requests without cancelling them, so a download to a
// slow client (a JSON Lines export of thousands of responses read at modem
// speed) held the shutdown past its grace period, until systemd killed the
// process: 31–40 s against a 30 s TimeoutStopSec.
type streams struct {
	stopping context.Context
	stop     context.CancelFunc
	active   sync.WaitGroup
}

func newStreams() *streams {
	ctx, cancel := context.WithCancel(context.Background())
	return &streams{stopping: ctx, stop: cancel}
}

// StopStreams ends every download being streamed, and any that starts
// afterwards: each sees its context cancelled and its next write fail, and
// is aborted so that its client sees an incomplete response (the chunked
// encoding's last chunk is never sent), never a clean end of a cut file.
// Call it when the shutdown grace runs out; it returns once the streams'
// handlers have returned, or after wait, whichever is first.
func (s *Server) StopStreams(wait time.Duration) {
	s.streams.stop()
	done := make(chan struct{})
	go func() { s.streams.active.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(wait):
	}
}

// stream is the context of a streamed download: the request's, also
// cancelled by StopStreams, which also makes the next write to the client
// fail at once (a client that stopped reading leaves the handler blocked in
// a write that no cancellation reaches). Write the download to w, which
// keeps the connection's write deadline StreamWriteWindow ahead while the
// client keeps reading: the server's WriteTimeout bounds the whole response,
// and would cut a large export to a slow client however steadily it reads.
// Call end when the handler returns.
func (s *Server) stream(c *gin.Context) (ctx context.Context, w io.Writer, end func()) {
	s.streams.active.Add(1)
	ctx, cancel := context.WithCancel(c.Request.Context())
	rc := http.NewResponseController(c.Writer)
	// The deadline and ended are set under mu, and the rolling extension
	// checks stopping under it: StopStreams' deadline, set after stopping
	// is cancelled, is never followed by a later one.
	var mu sync.Mutex
	ended := false
	stop := context.AfterFunc(s.streams.stopping, func() {
		cancel()
		mu.Lock()
		defer mu.Unlock()
		if !ended { // once the handler returned, the connection may serve another request
			_ = rc.SetWriteDeadline(time.Now())
		}
	})
	w = c.Writer
	// Without a WriteTimeout there is no deadline to extend, and one set
	// here would outlive the response: net/http resets the write deadline
	// for the connection's next request only when it has a WriteTimeout.
	if srv, _ := c.Request.Context().Value(http.ServerContextKey).(*http.Server); srv != nil && srv.WriteTimeout > 0 {
		window := s.cfg.StreamWriteWindow
		var extended time.Time
		w = &rollingWriter{w: c.Writer, extend: func() {
			// Extended at most 16 times per window: the xlsx writer makes
			// many small writes, and each extension resets a timer.
			now := time.Now()
			if now.Sub(extended) < window/16 {
				return
			}
			mu.Lock()
			defer mu.Unlock()
			if s.stopping() {
				return
			}
			if rc.SetWriteDeadline(now.Add(window)) == nil {
				extended = now
			}
		}}
	}
	return ctx, w, func() {
		stop()
		mu.Lock()
		ended = true
		mu.Unlock()
		cancel()
		s.streams.active.Done()
	}
}

// rollingWriter extends the write deadline before each write.
type rollingWriter struct {
	w      io.Writer
	extend func()
}

func (r *rollingWriter) Write(p []byte) (int, error) {
	r.extend()
	return r.w.Write(p)
}

// stopping reports whether StopStreams was called.
func (s *Server) stopping() bool { return s.streams.stopping.Err() != nil }
