package main

import (
	"errors"
	"flag"
	"fmt"
	"math"
	"net"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"go.mongodb.org/mongo-driver/v2/x/mongo/driver/connstring"

	"github.com/metlib/canvass/mail"
)

// Config is the configuration of `canvass serve`. Each field comes from an
// environment variable and may be overridden by a flag of the same name.
type Config struct {
	Addr           string
	MetricsAddr    string // empty: /metrics on Addr, for loopback or a token
	MongoURI       string
	DataDir        string
	DB             string
	BaseURL        string
	TrustedProxies []string
	LogFormat      string
	LogLevel       string
	ShutdownGrace  time.Duration
	SubmitRate     float64
	StartupTimeout time.Duration
	SMTPURL        string
	SMTP           *mail.Config // parsed SMTPURL, nil when empty
}

// setting documents one configuration value: README's table is this list.
// Text settings name their field in target; the others convert their text
// in parse, which returns the problem with it ("" when there is none).
type setting struct {
	env, flag, def, help string
	target               func(c *Config) *string
	parse                func(c *Config, v string) string
}

var settings = []setting{
	{"CANVASS_ADDR", "addr", ":8080", "address to listen on", func(c *Config) *string { return &c.Addr }, nil},
	{"CANVASS_METRICS_ADDR", "metrics-addr", "", "address of its own for /metrics, open to whoever reaches it, e.g. 127.0.0.1:9090 (empty: /metrics on --addr, for loopback without proxy headers or a token)", func(c *Config) *string { return &c.MetricsAddr }, nil},
	{"CANVASS_MONGODB_URI", "mongodb-uri", "", "MongoDB connection string; empty starts the embedded database", func(c *Config) *string { return &c.MongoURI }, nil},
	{"CANVASS_DATA_DIR", "data-dir", "./data", "directory of the embedded database", func(c *Config) *string { return &c.DataDir }, nil},
	{"CANVASS_DB", "db", "canvass", "database name", func(c *Config) *string { return &c.DB }, nil},
	{"CANVASS_BASE_URL", "base-url", "", "public URL, e.g. https://survey.example.org (https makes cookies Secure)", func(c *Config) *string { return &c.BaseURL }, nil},
	{"CANVASS_TRUSTED_PROXIES", "trusted-proxies", "", "comma-separated proxy IPs or CIDRs whose X-Forwarded-For is trusted", nil, parseProxies},
	{"CANVASS_LOG_FORMAT", "log-format", "text", "log format: text or json", func(c *Config) *string { return &c.LogFormat }, nil},
	{"CANVASS_LOG_LEVEL", "log-level", "info", "log level: debug, info, warn or error", func(c *Config) *string { return &c.LogLevel }, nil},
	{"CANVASS_SHUTDOWN_GRACE", "shutdown-grace", "15s", "how long in-flight requests may finish on shutdown (downloads still streaming then are aborted)", nil,
		func(c *Config, v string) string { return parseDuration(&c.ShutdownGrace, v, "15s") }},
	{"CANVASS_SUBMIT_RATE", "submit-rate", "2", "public submissions per second per client IP, bursts of 10x (0 turns the limit off)", nil, parseRate},
	{"CANVASS_SMTP_URL", "smtp-url", "", "SMTP server for invitations and reminders, e.g. smtp://user:pass@mail.example.org:587?from=survey@example.org (empty: mail-merge file only)", func(c *Config) *string { return &c.SMTPURL }, nil},
	{"CANVASS_STARTUP_TIMEOUT", "startup-timeout", "60s", "how long to wait for MongoDB at start-up before giving up", nil,
		func(c *Config, v string) string { return parseDuration(&c.StartupTimeout, v, "60s") }},
}

// problem is one bad setting.
type problem struct{ env, msg string }

// problems is every bad setting, written one line each in the settings'
// order, each line naming the variable and its flag.
type problems []problem

func (ps problems) Error() string {
	order := func(env string) int {
		return slices.IndexFunc(settings, func(s setting) bool { return s.env == env })
	}
	sorted := slices.Clone(ps)
	slices.SortStableFunc(sorted, func(a, b problem) int { return order(a.env) - order(b.env) })
	lines := make([]string, len(sorted))
	for i, p := range sorted {
		lines[i] = settingName(p.env) + ": " + p.msg
	}
	return strings.Join(lines, "\n")
}

// settingName is how a problem names its setting: the variable and the flag.
func settingName(env string) string {
	for _, s := range settings {
		if s.env == env {
			return env + " (--" + s.flag + ")"
		}
	}
	return env
}

func (ps problems) has(env string) bool {
	return slices.ContainsFunc(ps, func(p problem) bool { return p.env == env })
}

func (ps problems) err() error {
	if len(ps) == 0 {
		return nil
	}
	return ps
}

func parseDuration(dst *time.Duration, v, example string) string {
	d, err := time.ParseDuration(strings.TrimSpace(v))
	if err != nil {
		return fmt.Sprintf("%q is not a duration like %s (a number with a unit: ms, s, m or h)", v, example)
	}
	*dst = d
	return ""
}

func parseRate(c *Config, v string) string {
	r, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
	if err != nil {
		return fmt.Sprintf("%q is not a number of requests per second such as 2 or 0.5 (0 turns the limit off)", v)
	}
	c.SubmitRate = r
	return ""
}

func parseProxies(c *Config, v string) string {
	for _, p := range strings.Split(v, ",") {
		if p = strings.TrimSpace(p); p != "" {
			c.TrustedProxies = append(c.TrustedProxies, p)
		}
	}
	return ""
}

// parseConfig reads the environment, then the flags in args, and reports
// every bad value at once (an error whose lines each name a variable).
func parseConfig(args []string, getenv func(string) string) (*Config, error) {
	c := &Config{}
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "Usage: canvass serve [flags]\n\nRuns the web service. Every flag can also be set by its environment variable.\n\nFlags:")
		fs.PrintDefaults()
	}
	// Every value is read as text first, so a bad one is a problem to
	// report with the others, not a flag error that stops at the first.
	text := make([]string, len(settings))
	for i, s := range settings {
		val := s.def
		if v := getenv(s.env); v != "" {
			val = v
		}
		usage := fmt.Sprintf("%s (env %s)", s.help, s.env)
		if s.target != nil {
			fs.StringVar(s.target(c), s.flag, val, usage)
		} else {
			fs.StringVar(&text[i], s.flag, val, usage)
		}
	}
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("serve takes no arguments, got %q", fs.Args())
	}
	var ps problems
	for i, s := range settings {
		if s.parse != nil {
			if msg := s.parse(c, text[i]); msg != "" {
				ps = append(ps, problem{s.env, msg})
			}
		}
	}
	// A value that could not be read is reported once, by what was wrong
	// with its text, not again by Validate for the zero left in its place.
	for _, p := range c.check() {
		if !ps.has(p.env) {
			ps = append(ps, p)
		}
	}
	return c, ps.err()
}

// Validate reports every bad setting at once, one line each, naming its
// variable and flag. It also parses SMTPURL into SMTP.
func (c *Config) Validate() error { return c.check().err() }

func (c *Config) check() problems {
	var ps problems
	bad := func(env, format string, args ...any) { ps = append(ps, problem{env, fmt.Sprintf(format, args...)}) }
	if _, port, err := net.SplitHostPort(c.Addr); err != nil {
		bad("CANVASS_ADDR", "%q is not host:port (e.g. :8080)", c.Addr)
	} else if n, err := strconv.Atoi(port); err != nil || n < 0 || n > 65535 {
		bad("CANVASS_ADDR", "port %q is not a number from 0 to 65535", port)
	}
	if c.MetricsAddr != "" {
		if _, port, err := net.SplitHostPort(c.MetricsAddr); err != nil {
			bad("CANVASS_METRICS_ADDR", "%q is not host:port (e.g. 127.0.0.1:9090)", c.MetricsAddr)
		} else if n, err := strconv.Atoi(port); err != nil || n < 0 || n > 65535 {
			bad("CANVASS_METRICS_ADDR", "port %q is not a number from 0 to 65535", port)
		} else if c.MetricsAddr == c.Addr && n != 0 {
			bad("CANVASS_METRICS_ADDR", "%q is also CANVASS_ADDR: give the metrics another port", c.MetricsAddr)
		}
	}
	ps = append(ps, c.checkData()...)
	if c.BaseURL != "" {
		u, err := url.Parse(c.BaseURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			bad("CANVASS_BASE_URL", "%q is not an http(s) URL", c.BaseURL)
		} else if u.RawQuery != "" || u.Fragment != "" || u.User != nil {
			bad("CANVASS_BASE_URL", "%q has a query, a fragment or a user name: give only the scheme, host and path", c.BaseURL)
		}
	}
	for _, p := range c.TrustedProxies {
		if net.ParseIP(p) == nil {
			if _, _, err := net.ParseCIDR(p); err != nil {
				bad("CANVASS_TRUSTED_PROXIES", "%q is not an IP address or CIDR", p)
			}
		}
	}
	if c.SMTPURL != "" {
		if smtp, err := mail.ParseURL(c.SMTPURL); err != nil {
			bad("CANVASS_SMTP_URL", "%s", strings.TrimPrefix(err.Error(), "SMTP URL: "))
		} else {
			c.SMTP = &smtp
		}
	}
	if c.LogFormat != "text" && c.LogFormat != "json" {
		bad("CANVASS_LOG_FORMAT", "%q is not text or json", c.LogFormat)
	}
	switch strings.ToLower(c.LogLevel) {
	case "debug", "info", "warn", "error":
	default:
		bad("CANVASS_LOG_LEVEL", "%q is not debug, info, warn or error", c.LogLevel)
	}
	if c.ShutdownGrace < 0 {
		bad("CANVASS_SHUTDOWN_GRACE", "%s is negative: give how long requests may finish, such as 15s", c.ShutdownGrace)
	}
	if c.StartupTimeout < 0 {
		bad("CANVASS_STARTUP_TIMEOUT", "%s is negative: give how long to wait for MongoDB, such as 60s (0 tries once)", c.StartupTimeout)
	}
	switch r := c.SubmitRate; {
	case math.IsNaN(r) || math.IsInf(r, 0) || r < 0 || r > 1e6:
		bad("CANVASS_SUBMIT_RATE", "%v is not a number of requests per second from 0 (off) to 1000000", r)
	case r > 0 && r < 0.1:
		// Bursts are ten times the rate: below 0.1 a burst holds no
		// request, and every submission would be refused.
		bad("CANVASS_SUBMIT_RATE", "%v is too low: the burst (10 × the rate) would hold no request; use 0.1 or more, or 0 to turn the limit off", r)
	}
	return ps
}

// checkData reports the problems with where the database is, the settings
// every data command shares with serve.
func (c *Config) checkData() problems {
	var ps problems
	bad := func(env, format string, args ...any) { ps = append(ps, problem{env, fmt.Sprintf(format, args...)}) }
	switch {
	case c.MongoURI == "":
		if c.DataDir == "" {
			bad("CANVASS_DATA_DIR", "must be set when CANVASS_MONGODB_URI is empty")
		}
	case strings.HasPrefix(c.MongoURI, "mongodb+srv://"):
		// Parsing an SRV address looks it up in the DNS: left to start-up.
	case !strings.HasPrefix(c.MongoURI, "mongodb://"):
		bad("CANVASS_MONGODB_URI", "must start with mongodb:// or mongodb+srv://")
	default:
		if _, err := connstring.ParseAndValidate(c.MongoURI); err != nil {
			bad("CANVASS_MONGODB_URI", "%s", redactPassword(err.Error(), c.MongoURI))
		}
	}
	if c.DB == "" || strings.ContainsAny(c.DB, `/\. "$`) || len(c.DB) > 63 {
		bad("CANVASS_DB", "%q is not a valid database name (at most 63 characters, none of / \\ . space \" $)", c.DB)
	}
	return ps
}

// redactPassword hides the URI's password in a driver message about it.
func redactPassword(msg, uri string) string {
	if u, err := url.Parse(uri); err == nil && u.User != nil {
		if pw, ok := u.User.Password(); ok && pw != "" {
			msg = strings.ReplaceAll(msg, pw, "xxxxx")
		}
	}
	return msg
}

// dataFlags registers the settings every data command (token, survey…)
// shares with serve: where the database is.
func dataFlags(fs *flag.FlagSet, getenv func(string) string) *Config {
	c := &Config{}
	for _, s := range settings {
		if s.env != "CANVASS_MONGODB_URI" && s.env != "CANVASS_DATA_DIR" && s.env != "CANVASS_DB" {
			continue
		}
		val := s.def
		if v := getenv(s.env); v != "" {
			val = v
		}
		fs.StringVar(s.target(c), s.flag, val, fmt.Sprintf("%s (env %s)", s.help, s.env))
	}
	return c
}

// checkDataConfig is the data commands' Validate: every problem with
// where the database is, at once.
func checkDataConfig(c *Config) error {
	if ps := c.checkData(); len(ps) > 0 {
		return errors.New(ps.Error())
	}
	return nil
}
