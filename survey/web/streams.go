package web

import (
	"context"
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
// a write that no cancellation reaches). Call end when the handler returns.
func (s *Server) stream(c *gin.Context) (ctx context.Context, end func()) {
	s.streams.active.Add(1)
	ctx, cancel := context.WithCancel(c.Request.Context())
	rc := http.NewResponseController(c.Writer)
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
	return ctx, func() {
		stop()
		mu.Lock()
		ended = true
		mu.Unlock()
		cancel()
		s.streams.active.Done()
	}
}

// stopping reports whether StopStreams was called.
func (s *Server) stopping() bool { return s.streams.stopping.Err() != nil }
