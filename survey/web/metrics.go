package web

import (
	"context"
	"net"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/metlib/canvass/survey"
)

// metrics are the Prometheus series Canvass exports at /metrics, in a
// registry of its own (never the global one).
type metrics struct {
	registry    *prometheus.Registry
	requests    *prometheus.CounterVec
	latency     *prometheus.HistogramVec
	submissions *prometheus.CounterVec
	storeErrors prometheus.Counter
}

func newMetrics(store Pinger) *metrics {
	m := &metrics{
		registry: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "canvass_http_requests_total", Help: "HTTP requests by route pattern, method and status.",
		}, []string{"route", "method", "status"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "canvass_http_request_duration_seconds", Help: "HTTP request latency by route pattern and method.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
		}, []string{"route", "method"}),
		submissions: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "canvass_submissions_total", Help: "Submissions by survey and outcome (created, duplicate, conflict, invalid, closed, unavailable, error).",
		}, []string{"survey", "outcome"}),
		storeErrors: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "canvass_store_errors_total", Help: "Requests that failed because the database could not be reached or failed.",
		}),
	}
	up := prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "canvass_store_up", Help: "1 when the database (embedded or MongoDB) answers a ping, else 0.",
	}, func() float64 {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		if store.Ping(ctx) != nil {
			return 0
		}
		return 1
	})
	m.registry.MustRegister(m.requests, m.latency, m.submissions, m.storeErrors, up,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// observe records one request; it runs after the handler.
func (m *metrics) observe(c *gin.Context, elapsed time.Duration) {
	route := c.FullPath()
	if route == "" {
		route = "(no route)"
	}
	m.requests.WithLabelValues(route, c.Request.Method, strconv.Itoa(c.Writer.Status())).Inc()
	m.latency.WithLabelValues(route, c.Request.Method).Observe(elapsed.Seconds())
}

// submission records a submission's outcome by its error code.
func (m *metrics) submission(slug string, created bool, err error) {
	outcome := "created"
	switch code := survey.ErrorCode(err); {
	case code == "" && !created:
		outcome = "duplicate"
	case code == "":
	case code == survey.ECONFLICT:
		outcome = "conflict"
	case code == survey.EINVALID:
		outcome = "invalid"
	case code == survey.ECLOSED:
		outcome = "closed"
	case code == survey.EUNAVAILABLE:
		outcome = "unavailable"
	default:
		outcome = "error"
	}
	m.submissions.WithLabelValues(slug, outcome).Inc()
}

// serveMetrics is the Prometheus endpoint. It answers the machine itself
// (loopback, as a scraping agent on the host or a sidecar would) or a
// bearer token; anyone else gets 401.
func (s *Server) serveMetrics() gin.HandlerFunc {
	h := promhttp.HandlerFor(s.metrics.registry, promhttp.HandlerOpts{})
	return func(c *gin.Context) {
		ip := net.ParseIP(c.RemoteIP()) // the direct peer, not X-Forwarded-For
		if principalOf(c) == nil && (ip == nil || !ip.IsLoopback()) {
			c.Header("WWW-Authenticate", `Bearer realm="canvass"`)
			s.renderError(c, survey.Errorf(survey.EUNAUTHORIZED, "Metrics are for this machine or a bearer token."))
			return
		}
		h.ServeHTTP(c.Writer, c.Request)
	}
}
