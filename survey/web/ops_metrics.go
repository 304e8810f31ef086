package web

import (
	"context"
	"net"
	"net/http"
	"strconv"
	"strings"
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
			Name: "canvass_http_requests_total", Help: "HTTP requests by route pattern, method and status (a response aborted midway: its status and -aborted, as 200-aborted).",
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

// observe records one request; it runs after the handler. An aborted
// response is counted with its status and "-aborted" ("200-aborted").
func (m *Metrics) observe(c *gin.Context, elapsed time.Duration, aborted bool) {
	route := c.FullPath()
	if route == "" {
		route = "(no route)"
	}
	status := strconv.Itoa(c.Writer.Status())
	if aborted {
		status += "-aborted"
	}
	m.requests.WithLabelValues(route, c.Request.Method, status).Inc()
	m.latency.WithLabelValues(route, c.Request.Method).Observe(elapsed.Seconds())
}

// Submission counts one submission attempt (campaign.Metrics).
func (m *Metrics) Submission(slug string, outcome campaign.Outcome, invited bool) {
	m.submissions.WithLabelValues(slug, string(outcome), strconv.FormatBool(invited)).Inc()
}

// Handler serves the series at GET /metrics and nothing else, to anyone
// who reaches it: for an address of its own (CANVASS_METRICS_ADDR) that
// only the machine or the cluster's scraper can reach, never the proxy.
func (m *Metrics) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", promhttp.HandlerFor(m.registry, promhttp.HandlerOpts{}))
	return mux
}

// serveMetrics is the Prometheus endpoint on the main router. It answers a
// token (or a signed-in user), or a process on this machine: a loopback
// peer whose request carries no proxy's header. Behind a proxy on the same
// host every client is a loopback peer, and the series name every survey,
// drafts and surveys without public counts included; a proxy that adds
// none of these headers must not route /metrics (deploy/README.md), or
// the metrics should move to their own address.
func (s *Server) serveMetrics() gin.HandlerFunc {
	h := promhttp.HandlerFor(s.metrics.registry, promhttp.HandlerOpts{})
	return func(c *gin.Context) {
		ip := net.ParseIP(c.RemoteIP()) // the direct peer, not X-Forwarded-For
		if principalOf(c) == nil && (ip == nil || !ip.IsLoopback() || forwarded(c.Request.Header)) {
			c.Header("WWW-Authenticate", `Bearer realm="canvass"`)
			s.renderError(c, survey.Errorf(survey.EUNAUTHORIZED, "Metrics are for this machine or a bearer token."))
			return
		}
		h.ServeHTTP(c.Writer, c.Request)
	}
}

// forwardingHeaders are the headers proxies add to say whom they relay
// (the standard Forwarded, the X-Forwarded-* family, nginx's X-Real-IP,
// the CDNs' and load balancers' own, and Via).
var forwardingHeaders = []string{
	"Forwarded", "X-Real-Ip", "X-Client-Ip", "X-Cluster-Client-Ip", "True-Client-Ip",
	"Cf-Connecting-Ip", "Fastly-Client-Ip", "X-Original-Forwarded-For", "Via",
}

// forwarded reports whether a proxy relayed the request: any X-Forwarded-*
// header or one of forwardingHeaders, even empty.
func forwarded(h http.Header) bool {
	for name := range h {
		if strings.HasPrefix(http.CanonicalHeaderKey(name), "X-Forwarded-") {
			return true
		}
	}
	for _, name := range forwardingHeaders {
		if _, ok := h[name]; ok {
			return true
		}
	}
	return false
}
