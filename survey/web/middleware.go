package web

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"path"
	"regexp"
	"runtime/debug"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	"github.com/metlib/canvass/survey"
)

const requestIDKey = "request_id"

var safeRequestID = regexp.MustCompile(`^[A-Za-z0-9._-]{1,64}$`)

// requestID takes the caller's X-Request-ID when it is safe to log, or makes
// one, and echoes it in the response.
func (s *Server) requestID(c *gin.Context) {
	id := c.GetHeader("X-Request-ID")
	if !safeRequestID.MatchString(id) {
		if strings.HasPrefix(c.FullPath(), "/embed/") {
			// Anonymous, cached public counts: no ID unless the caller sent one.
			c.Next()
			return
		}
		id = uuid.NewString()
	}
	c.Set(requestIDKey, id)
	c.Header("X-Request-ID", id)
	c.Next()
}

// logRequests writes one structured line per request. It logs the route
// pattern, never the query string, so tokens in links never reach the log,
// and at most a short method (methodForLog).
// A request whose handler aborted the response (panic(http.ErrAbortHandler):
// an export failing midway, or cut by StopStreams) is logged too, at warning
// level with aborted=true, and counted with the status "200-aborted" (the
// status it had sent, and that it was cut), which no "2.." pattern takes
// for a success; the panic then goes on, so that net/http drops the
// connection without ending the response.
func (s *Server) logRequests(c *gin.Context) {
	start := time.Now()
	completed := false
	defer func() {
		if completed {
			return
		}
		p := recover()
		s.recordRequest(c, start, true)
		panic(p)
	}()
	c.Next()
	completed = true
	s.recordRequest(c, start, false)
}

// recordRequest writes the request's log line and counts it.
func (s *Server) recordRequest(c *gin.Context, start time.Time, aborted bool) {
	s.metrics.observe(c, time.Since(start), aborted)
	route := c.FullPath()
	if route == "" {
		route = "(no route)"
	}
	// The embeds are fetched on every view of the section's pages: they are
	// logged at debug level, so they do not drown the log (or its cost).
	level := slog.LevelInfo
	if strings.HasPrefix(route, "/embed/") && c.Writer.Status() < 500 {
		level = slog.LevelDebug
	}
	attrs := []any{"method", methodForLog(c.Request.Method), "route", route, "status", c.Writer.Status(),
		"duration_ms", float64(time.Since(start).Microseconds()) / 1000, "bytes", c.Writer.Size(),
		"client_ip", c.ClientIP(), "request_id", c.GetString(requestIDKey)}
	if aborted {
		level = slog.LevelWarn
		attrs = append(attrs, "aborted", true)
	}
	s.log.Log(c.Request.Context(), level, "request", attrs...)
}

// recoverPanics turns a panic into a logged 500 with the documented error
// shape, except http.ErrAbortHandler: a handler's deliberate abort of a
// response already under way, which goes on to logRequests and net/http.
func (s *Server) recoverPanics(c *gin.Context) {
	defer func() {
		if p := recover(); p != nil {
			if p == http.ErrAbortHandler {
				panic(p)
			}
			s.log.ErrorContext(c.Request.Context(), "panic", "panic", fmt.Sprint(p), "stack", string(debug.Stack()), "request_id", c.GetString(requestIDKey))
			if !c.Writer.Written() {
				s.renderError(c, &survey.Error{Code: survey.EINTERNAL, Message: "An internal error occurred.", Err: fmt.Errorf("panic: %v", p)})
			}
			c.Abort()
		}
	}()
	c.Next()
}

// securityHeaders sets a strict policy on every response: no inline script,
// no framing, no MIME sniffing, no referrer leaking survey links.
func securityHeaders(c *gin.Context) {
	h := c.Writer.Header()
	if strings.HasPrefix(c.FullPath(), "/embed/") {
		setEmbedHeaders(h)
		c.Next()
		return
	}
	h.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "same-origin")
	c.Next()
}

// limitBodies caps the request body before any handler can read it: at
// MaxUploadBytes on the routes registered with upload, at MaxBodyBytes on
// every other, including requests that match no route. A declared length
// over the cap is refused at once, unread; a chunked body is cut at the cap
// (the read fails with an *http.MaxBytesError, which renderError answers
// with 413), so no parser, error page or CSRF check can read further, and
// multipart parsing can hold or spill at most the cap.
func (s *Server) limitBodies(c *gin.Context) {
	max := s.cfg.MaxBodyBytes
	if s.uploads[c.Request.Method+" "+c.FullPath()] {
		max = s.cfg.MaxUploadBytes
	}
	if c.Request.ContentLength > max {
		s.renderError(c, survey.KeyedErrorf(survey.ETOOLARGE, "too_large", "The request is larger than %d bytes.", max))
		return
	}
	// The reader is given net/http's own ResponseWriter (gin's hides it),
	// so that reaching the cap tells the server to close the connection
	// after the answer rather than read on to reuse it.
	c.Request.Body = http.MaxBytesReader(unwrapWriter(c.Writer), c.Request.Body, max)
	c.Next()
}

// unwrapWriter is the innermost of the ResponseWriters wrapping w.
func unwrapWriter(w http.ResponseWriter) http.ResponseWriter {
	for {
		u, ok := w.(interface{ Unwrap() http.ResponseWriter })
		if !ok {
			return w
		}
		w = u.Unwrap()
	}
}

// upload registers a route whose body may be up to MaxUploadBytes (the
// definition and workbook uploads); limitBodies reads the cap from here.
func (s *Server) upload(g *gin.RouterGroup, method, relativePath string, handler gin.HandlerFunc) {
	s.uploads[method+" "+path.Join(g.BasePath(), relativePath)] = true
	g.Handle(method, relativePath, handler)
}

// readForm parses a posted form, URL-encoded or multipart, from the body
// limitBodies caps: the pages' one way to read a form, so an oversized form
// is a 413 however it is encoded (ParseForm alone skips multipart bodies,
// which gin's PostForm would then parse, errors swallowed). Parsing twice
// is free: net/http keeps the result.
func (s *Server) readForm(c *gin.Context) error {
	var err error
	if c.ContentType() == "multipart/form-data" {
		err = c.Request.ParseMultipartForm(s.engine.MaxMultipartMemory)
	} else {
		err = c.Request.ParseForm()
	}
	if err == nil {
		return nil
	}
	if maxErr, ok := errors.AsType[*http.MaxBytesError](err); ok {
		return maxErr
	}
	return &survey.Error{Code: survey.EMALFORMED, Message: "The form could not be read.", Err: err}
}
