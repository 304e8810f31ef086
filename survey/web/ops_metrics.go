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
	method := methodLabel(c.Request.Method)
	m.requests.WithLabelValues(route, method, status).Inc()
	m.latency.WithLabelValues(route, method).Observe(elapsed.Seconds())
}

// methodLabel is the method as a metrics label: one of the standard
// methods, else "other". net/http accepts any token as a method, however
// long, and each distinct label is a series kept for the process's life
// (5,000 methods of 100 KB grew the process by 500 MB and /metrics to
// 3.4 GB), so the label's values must be a fixed set.
func methodLabel(method string) string {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete, http.MethodOptions:
		return method
	}
	return "other"
}

// maxLoggedMethod bounds the method a request log line records.
const maxLoggedMethod = 16

// methodForLog is the method as the request log records it: a standard
// method as is, any other cut to maxLoggedMethod bytes with every byte
// outside printable ASCII replaced by "?", so a client cannot grow the log
// by the size of the methods it invents, nor write control bytes into it.
func methodForLog(method string) string {
	if label := methodLabel(method); label != "other" {
		return label
	}
	b := []byte(method[:min(len(method), maxLoggedMethod)])
	for i, ch := range b {
		if ch <= ' ' || ch > '~' {
			b[i] = '?'
		}
	}
	if len(method) > maxLoggedMethod {
		return string(b) + "…"
	}
	return string(b)
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
// (the standard Forwarded, nginx's X-Real-IP, the CDNs', load balancers'
// and meshes' own, and Via); with any header starting X-Forwarded (the
// X-Forwarded-* family and the bare X-Forwarded), they are the one list
// forwarded checks, and deploy/README.md names them.
var forwardingHeaders = []string{
	"Forwarded", "Forwarded-For", "X-Real-Ip", "X-Client-Ip", "Client-Ip", "X-Cluster-Client-Ip",
	"True-Client-Ip", "Cf-Connecting-Ip", "Fastly-Client-Ip", "X-Original-Forwarded-For",
	"X-Proxyuser-Ip", "X-Envoy-External-Address", "Via",
}

// forwarded reports whether a proxy relayed the request: any header whose
// name starts X-Forwarded or one of forwardingHeaders, even empty.
func forwarded(h http.Header) bool {
	for name := range h {
		if strings.HasPrefix(http.CanonicalHeaderKey(name), "X-Forwarded") {
			return true
		}
	}
	for _, name := range forwardingHeaders {
		if _, ok := h[http.CanonicalHeaderKey(name)]; ok {
			return true
		}
	}
	return false
}
