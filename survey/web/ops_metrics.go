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

	"github.com/metlib/canvass/campaign"
	"github.com/metlib/canvass/survey"
)

// Metrics are the Prometheus series Canvass exports at /metrics, in a
// registry of its own (never the global one). It implements
// campaign.Metrics: give the same Metrics to the campaign.Service and to
// the Server (Config.Metrics), so the submissions the service counts are
// the ones /metrics shows.
type Metrics struct {
	registry    *prometheus.Registry
	requests    *prometheus.CounterVec
	latency     *prometheus.HistogramVec
	submissions *prometheus.CounterVec
	storeErrors prometheus.Counter
}

var _ campaign.Metrics = (*Metrics)(nil)

// NewMetrics returns the series, with canvass_store_up pinging store.
func NewMetrics(store Pinger) *Metrics {
	m := &Metrics{
		registry: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "canvass_http_requests_total", Help: "HTTP requests by route pattern, method and status.",
		}, []string{"route", "method", "status"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "canvass_http_request_duration_seconds", Help: "HTTP request latency by route pattern and method.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
		}, []string{"route", "method"}),
		submissions: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "canvass_submissions_total", Help: "Submissions by survey, outcome (created, duplicate, updated, conflict, invalid, closed, unavailable, error) and whether they came through an invitation.",
		}, []string{"survey", "outcome", "invited"}),
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
func (m *Metrics) observe(c *gin.Context, elapsed time.Duration) {
	route := c.FullPath()
	if route == "" {
		route = "(no route)"
	}
	m.requests.WithLabelValues(route, c.Request.Method, strconv.Itoa(c.Writer.Status())).Inc()
	m.latency.WithLabelValues(route, c.Request.Method).Observe(elapsed.Seconds())
}

// Submission counts one submission attempt (campaign.Metrics).
func (m *Metrics) Submission(slug string, outcome campaign.Outcome, invited bool) {
	m.submissions.WithLabelValues(slug, string(outcome), strconv.FormatBool(invited)).Inc()
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
