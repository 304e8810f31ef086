package main

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestMetricsOnTheirOwnAddress starts the program with CANVASS_METRICS_ADDR:
// the series are on that address, to a request without a token, and the
// main address has no /metrics at all, whoever asks (loopback without a
// proxy header, the case the main router would otherwise let through).
func TestMetricsOnTheirOwnAddress(t *testing.T) {
	cfg := testConfig(t.TempDir())
	cfg.MetricsAddr = "127.0.0.1:0"
	m := startMain(t, cfg)
	defer m.Close()
	if m.MetricsURL == "" || m.MetricsURL == m.URL {
		t.Fatalf("metrics URL %q beside %q", m.MetricsURL, m.URL)
	}
	client := &http.Client{Timeout: 30 * time.Second}
	get := func(u string) (int, string) {
		t.Helper()
		res, err := client.Get(u)
		if err != nil {
			t.Fatal(err)
		}
		return res.StatusCode, readBody(t, res)
	}
	// A request first, so the counter has a series to show.
	if code, _ := get(m.URL + "/s/impact-methods"); code != 200 {
		t.Fatalf("form: %d", code)
	}
	// The request is counted once its handler returns, which may be just
	// after its client has the whole page (it has a Content-Length).
	const series = `canvass_http_requests_total{method="GET",route="/s/:slug",status="200"} 1`
	var code int
	var body string
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		code, body = get(m.MetricsURL + "/metrics")
		if code != 200 || strings.Contains(body, series) || time.Now().After(deadline) {
			break
		}
	}
	if code != 200 || !strings.Contains(body, "canvass_store_up 1") || !strings.Contains(body, series) {
		t.Errorf("metrics address: %d, want 200 with canvass_store_up 1 and %s:\n%s", code, series, body)
	}
	if code, _ := get(m.URL + "/metrics"); code != http.StatusNotFound {
		t.Errorf("main address /metrics: %d, want 404", code)
	}
	if code, _ := get(m.MetricsURL + "/s/impact-methods"); code != http.StatusNotFound {
		t.Errorf("metrics address /s/impact-methods: %d, want 404 (only /metrics there)", code)
	}
}
