package web

import (
	"fmt"
	"log/slog"
	"net/http"
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
// pattern, never the query string, so tokens in links never reach the log.
func (s *Server) logRequests(c *gin.Context) {
	start := time.Now()
	c.Next()
	s.metrics.observe(c, time.Since(start))
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
	s.log.Log(c.Request.Context(), level, "request",
		"method", c.Request.Method, "route", route, "status", c.Writer.Status(),
		"duration_ms", float64(time.Since(start).Microseconds())/1000, "bytes", c.Writer.Size(),
		"client_ip", c.ClientIP(), "request_id", c.GetString(requestIDKey))
}

// recoverPanics turns a panic into a logged 500 with the documented error shape.
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

// limitBody caps the request body at MaxBodyBytes; limitUpload, for
// definition uploads, at MaxUploadBytes. Reading past the cap fails with an
// *http.MaxBytesError, which renderError answers with 413.
func (s *Server) limitBody(c *gin.Context)   { s.limit(c, s.cfg.MaxBodyBytes) }
func (s *Server) limitUpload(c *gin.Context) { s.limit(c, s.cfg.MaxUploadBytes) }

func (s *Server) limit(c *gin.Context, max int64) {
	if c.Request.ContentLength > max {
		s.renderError(c, survey.Errorf(survey.ETOOLARGE, "The request is larger than %d bytes.", max))
		return
	}
	c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, max)
	c.Next()
}
