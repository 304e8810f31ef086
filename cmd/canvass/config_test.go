package main

import (
	"errors"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestConfigReportsEachBadValue gives parseConfig bad environments (and
// flags) and checks the exact lines: one per problem, in the settings'
// order, each naming the variable and its flag.
func TestConfigReportsEachBadValue(t *testing.T) {
	for _, tc := range []struct {
		name  string
		env   map[string]string
		flags []string
		want  []string
	}{
		{"duration without a unit", map[string]string{"CANVASS_SHUTDOWN_GRACE": "15"}, nil, []string{
			`CANVASS_SHUTDOWN_GRACE (--shutdown-grace): "15" is not a duration like 15s (a number with a unit: ms, s, m or h)`}},
		{"negative durations", map[string]string{"CANVASS_SHUTDOWN_GRACE": "-1s", "CANVASS_STARTUP_TIMEOUT": "-2m"}, nil, []string{
			`CANVASS_SHUTDOWN_GRACE (--shutdown-grace): -1s is negative: give how long requests may finish, such as 15s`,
			`CANVASS_STARTUP_TIMEOUT (--startup-timeout): -2m0s is negative: give how long to wait for MongoDB, such as 60s (0 tries once)`}},
		{"both durations unreadable", map[string]string{"CANVASS_SHUTDOWN_GRACE": "soon", "CANVASS_STARTUP_TIMEOUT": "1 minute"}, nil, []string{
			`CANVASS_SHUTDOWN_GRACE (--shutdown-grace): "soon" is not a duration like 15s (a number with a unit: ms, s, m or h)`,
			`CANVASS_STARTUP_TIMEOUT (--startup-timeout): "1 minute" is not a duration like 60s (a number with a unit: ms, s, m or h)`}},
		{"rate not a number", map[string]string{"CANVASS_SUBMIT_RATE": "fast"}, nil, []string{
			`CANVASS_SUBMIT_RATE (--submit-rate): "fast" is not a number of requests per second such as 2 or 0.5 (0 turns the limit off)`}},
		{"rate NaN", map[string]string{"CANVASS_SUBMIT_RATE": "NaN"}, nil, []string{
			`CANVASS_SUBMIT_RATE (--submit-rate): NaN is not a number of requests per second from 0 (off) to 1000000`}},
		{"rate negative", map[string]string{"CANVASS_SUBMIT_RATE": "-1"}, nil, []string{
			`CANVASS_SUBMIT_RATE (--submit-rate): -1 is not a number of requests per second from 0 (off) to 1000000`}},
		{"rate too low for a burst", map[string]string{"CANVASS_SUBMIT_RATE": "0.05"}, nil, []string{
			`CANVASS_SUBMIT_RATE (--submit-rate): 0.05 is too low: the burst (10 × the rate) would hold no request; use 0.1 or more, or 0 to turn the limit off`}},
		{"bad flag value, good environment", map[string]string{"CANVASS_SUBMIT_RATE": "2"}, []string{"--submit-rate", "lots", "--log-level", "loud"}, []string{
			`CANVASS_LOG_LEVEL (--log-level): "loud" is not debug, info, warn or error`,
			`CANVASS_SUBMIT_RATE (--submit-rate): "lots" is not a number of requests per second such as 2 or 0.5 (0 turns the limit off)`}},
		{"mongodb uri with a bad port", map[string]string{"CANVASS_MONGODB_URI": "mongodb://db.example.org:http/"}, nil, nil}, // checked below: one line naming it
		{"every text setting", map[string]string{
			"CANVASS_ADDR": "nonsense", "CANVASS_MONGODB_URI": "postgres://x", "CANVASS_DB": "a.b",
			"CANVASS_BASE_URL": "ftp://x", "CANVASS_TRUSTED_PROXIES": "10.0.0.1, not-an-ip", "CANVASS_LOG_FORMAT": "xml",
			"CANVASS_SMTP_URL": "smtp://mail.example.org",
		}, nil, []string{
			`CANVASS_ADDR (--addr): "nonsense" is not host:port (e.g. :8080)`,
			`CANVASS_MONGODB_URI (--mongodb-uri): must start with mongodb:// or mongodb+srv://`,
			`CANVASS_DB (--db): "a.b" is not a valid database name (at most 63 characters, none of / \ . space " $)`,
			`CANVASS_BASE_URL (--base-url): "ftp://x" is not an http(s) URL`,
			`CANVASS_TRUSTED_PROXIES (--trusted-proxies): "not-an-ip" is not an IP address or CIDR`,
			`CANVASS_LOG_FORMAT (--log-format): "xml" is not text or json`,
			`CANVASS_SMTP_URL (--smtp-url): say who the mail is from with ?from=address`}},
		{"base url with a query", map[string]string{"CANVASS_BASE_URL": "https://survey.example.org/?x=1"}, nil, []string{
			`CANVASS_BASE_URL (--base-url): "https://survey.example.org/?x=1" has a query, a fragment or a user name: give only the scheme, host and path`}},
		{"metrics address not host:port", map[string]string{"CANVASS_METRICS_ADDR": "9090"}, nil, []string{
			`CANVASS_METRICS_ADDR (--metrics-addr): "9090" is not host:port (e.g. 127.0.0.1:9090)`}},
		{"metrics address with a bad port", nil, []string{"--metrics-addr", "127.0.0.1:99999"}, []string{
			`CANVASS_METRICS_ADDR (--metrics-addr): port "99999" is not a number from 0 to 65535`}},
		{"metrics on the main address", map[string]string{"CANVASS_ADDR": "127.0.0.1:8080", "CANVASS_METRICS_ADDR": "127.0.0.1:8080"}, nil, []string{
			`CANVASS_METRICS_ADDR (--metrics-addr): "127.0.0.1:8080" is also CANVASS_ADDR: give the metrics another port`}},
		{"empty data dir without a uri", map[string]string{"CANVASS_DATA_DIR": ""}, []string{"--data-dir="}, []string{
			`CANVASS_DATA_DIR (--data-dir): must be set when CANVASS_MONGODB_URI is empty`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := parseConfig(tc.flags, func(k string) string { return tc.env[k] })
			if err == nil {
				t.Fatal("bad configuration accepted")
			}
			got := strings.Split(err.Error(), "\n")
			if tc.want == nil { // a driver message: one line, about the URI
				if len(got) != 1 || !strings.HasPrefix(got[0], "CANVASS_MONGODB_URI (--mongodb-uri): ") {
					t.Fatalf("got\n%s\nwant one line about CANVASS_MONGODB_URI", err)
				}
				return
			}
			if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("got\n%s\nwant\n%s", err, strings.Join(tc.want, "\n"))
			}
		})
	}
}

func TestConfigGoodValues(t *testing.T) {
	env := map[string]string{
		"CANVASS_ADDR": ":1234", "CANVASS_SHUTDOWN_GRACE": "1m30s", "CANVASS_STARTUP_TIMEOUT": "0",
		"CANVASS_SUBMIT_RATE": "0.5", "CANVASS_METRICS_ADDR": "127.0.0.1:9090", "CANVASS_TRUSTED_PROXIES": " 10.0.0.1, 192.168.0.0/16 ,",
		"CANVASS_MONGODB_URI": "mongodb://user:pw@db1.example.org:27017,db2.example.org/?replicaSet=rs0",
		"CANVASS_SMTP_URL":    "smtp://mail.example.org:587?from=Survey%20%3Csurvey%40example.org%3E",
	}
	// Flags override the environment.
	cfg, err := parseConfig([]string{"--addr", ":9999", "--submit-rate", "0"}, func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Addr != ":9999" || cfg.MetricsAddr != "127.0.0.1:9090" || cfg.DataDir != "./data" || cfg.DB != "canvass" || cfg.ShutdownGrace != 90*time.Second ||
		cfg.StartupTimeout != 0 || cfg.SubmitRate != 0 || strings.Join(cfg.TrustedProxies, "|") != "10.0.0.1|192.168.0.0/16" ||
		cfg.SMTP == nil || cfg.SMTP.From.Address != "survey@example.org" || cfg.SMTP.From.Name != "Survey" {
		t.Errorf("config %+v", cfg)
	}
	// The defaults are valid.
	if cfg, err := parseConfig(nil, noEnv); err != nil || cfg.ShutdownGrace != 15*time.Second || cfg.StartupTimeout != time.Minute || cfg.SubmitRate != 2 || cfg.MetricsAddr != "" {
		t.Errorf("defaults: %+v, %v", cfg, err)
	}
}

// TestMongoURIProblemHidesThePassword: the driver's message may quote the
// URI; the password in it must not reach the terminal or the log.
func TestMongoURIProblemHidesThePassword(t *testing.T) {
	_, err := parseConfig(nil, func(k string) string {
		return map[string]string{"CANVASS_MONGODB_URI": "mongodb://u:s3cretpw@db.example.org/?replicaSet=rs0&w=0&journal=true"}[k]
	})
	if err == nil || strings.Contains(err.Error(), "s3cretpw") || !strings.HasPrefix(err.Error(), "CANVASS_MONGODB_URI (--mongodb-uri): ") {
		t.Errorf("got %v", err)
	}
}

// TestServeReportsFiveBadValuesAtOnce runs the real binary with five bad
// variables: it prints exactly five lines, one per variable, starts nothing
// and exits 1.
func TestServeReportsFiveBadValuesAtOnce(t *testing.T) {
	bin, err := buildBinary()
	if err != nil {
		t.Fatal(err)
	}
	dataDir := filepath.Join(t.TempDir(), "data")
	cmd := exec.Command(bin, "serve", "--data-dir", dataDir)
	cmd.Env = []string{
		"CANVASS_ADDR=:99999",
		"CANVASS_LOG_FORMAT=yaml",
		"CANVASS_SHUTDOWN_GRACE=15",
		"CANVASS_SUBMIT_RATE=two",
		"CANVASS_STARTUP_TIMEOUT=-5s",
	}
	out, err := cmd.CombinedOutput()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 1 {
		t.Fatalf("exit %v, want status 1; output:\n%s", err, out)
	}
	want := strings.Join([]string{
		`canvass: CANVASS_ADDR (--addr): port "99999" is not a number from 0 to 65535`,
		`canvass: CANVASS_LOG_FORMAT (--log-format): "yaml" is not text or json`,
		`canvass: CANVASS_SHUTDOWN_GRACE (--shutdown-grace): "15" is not a duration like 15s (a number with a unit: ms, s, m or h)`,
		`canvass: CANVASS_SUBMIT_RATE (--submit-rate): "two" is not a number of requests per second such as 2 or 0.5 (0 turns the limit off)`,
		`canvass: CANVASS_STARTUP_TIMEOUT (--startup-timeout): -5s is negative: give how long to wait for MongoDB, such as 60s (0 tries once)`,
	}, "\n") + "\n"
	if string(out) != want {
		t.Errorf("output\n%s\nwant\n%s", out, want)
	}
	if matches, _ := filepath.Glob(dataDir + "*"); len(matches) != 0 {
		t.Errorf("a refused configuration created %v", matches)
	}
}

// TestDataCommandsReportWhereTheDatabaseIs: the data commands check the
// settings they share with serve the same way, every problem at once.
func TestDataCommandsReportWhereTheDatabaseIs(t *testing.T) {
	err := run(t.Context(), []string{"survey", "list", "--mongodb-uri", "redis://x", "--db", "a b"}, nil, &strings.Builder{}, &strings.Builder{}, noEnv)
	want := "CANVASS_MONGODB_URI (--mongodb-uri): must start with mongodb:// or mongodb+srv://\n" +
		`CANVASS_DB (--db): "a b" is not a valid database name (at most 63 characters, none of / \ . space " $)`
	if err == nil || err.Error() != want {
		t.Errorf("got\n%v\nwant\n%s", err, want)
	}
}
