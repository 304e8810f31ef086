package main

import (
	"errors"
	"flag"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/metlib/canvass/mail"
)

// Config is the configuration of `canvass serve`. Each field comes from an
// environment variable and may be overridden by a flag of the same name.
type Config struct {
	Addr           string
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
type setting struct {
	env, flag, def, help string
	target               func(c *Config) any
}

var settings = []setting{
	{"CANVASS_ADDR", "addr", ":8080", "address to listen on", func(c *Config) any { return &c.Addr }},
	{"CANVASS_MONGODB_URI", "mongodb-uri", "", "MongoDB connection string; empty starts the embedded database", func(c *Config) any { return &c.MongoURI }},
	{"CANVASS_DATA_DIR", "data-dir", "./data", "directory of the embedded database", func(c *Config) any { return &c.DataDir }},
	{"CANVASS_DB", "db", "canvass", "database name", func(c *Config) any { return &c.DB }},
	{"CANVASS_BASE_URL", "base-url", "", "public URL, e.g. https://survey.example.org (https makes cookies Secure)", func(c *Config) any { return &c.BaseURL }},
	{"CANVASS_TRUSTED_PROXIES", "trusted-proxies", "", "comma-separated proxy IPs or CIDRs whose X-Forwarded-For is trusted", nil},
	{"CANVASS_LOG_FORMAT", "log-format", "text", "log format: text or json", func(c *Config) any { return &c.LogFormat }},
	{"CANVASS_LOG_LEVEL", "log-level", "info", "log level: debug, info, warn or error", func(c *Config) any { return &c.LogLevel }},
	{"CANVASS_SHUTDOWN_GRACE", "shutdown-grace", "15s", "how long in-flight requests may finish on shutdown", nil},
	{"CANVASS_SUBMIT_RATE", "submit-rate", "2", "public submissions per second per client IP, bursts of 10x (0 turns the limit off)", nil},
	{"CANVASS_SMTP_URL", "smtp-url", "", "SMTP server for invitations and reminders, e.g. smtp://user:pass@mail.example.org:587?from=survey@example.org (empty: mail-merge file only)", func(c *Config) any { return &c.SMTPURL }},
	{"CANVASS_STARTUP_TIMEOUT", "startup-timeout", "60s", "how long to wait for MongoDB at start-up before giving up", nil},
}

// parseConfig reads the environment, then the flags in args.
func parseConfig(args []string, getenv func(string) string) (*Config, error) {
	c := &Config{}
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "Usage: canvass serve [flags]\n\nRuns the web service. Every flag can also be set by its environment variable.\n\nFlags:")
		fs.PrintDefaults()
	}
	var proxies, grace, submitRate, startup string
	for _, s := range settings {
		val := s.def
		if v := getenv(s.env); v != "" {
			val = v
		}
		usage := fmt.Sprintf("%s (env %s)", s.help, s.env)
		switch s.env {
		case "CANVASS_TRUSTED_PROXIES":
			fs.StringVar(&proxies, s.flag, val, usage)
		case "CANVASS_SHUTDOWN_GRACE":
			fs.StringVar(&grace, s.flag, val, usage)
		case "CANVASS_SUBMIT_RATE":
			fs.StringVar(&submitRate, s.flag, val, usage)
		case "CANVASS_STARTUP_TIMEOUT":
			fs.StringVar(&startup, s.flag, val, usage)
		default:
			fs.StringVar(s.target(c).(*string), s.flag, val, usage)
		}
	}
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("serve takes no arguments, got %q", fs.Args())
	}
	for _, p := range strings.Split(proxies, ",") {
		if p = strings.TrimSpace(p); p != "" {
			c.TrustedProxies = append(c.TrustedProxies, p)
		}
	}
	var err error
	if c.ShutdownGrace, err = time.ParseDuration(grace); err != nil {
		return nil, fmt.Errorf("CANVASS_SHUTDOWN_GRACE: %q is not a duration like 15s", grace)
	}
	if c.StartupTimeout, err = time.ParseDuration(startup); err != nil || c.StartupTimeout < 0 {
		return nil, fmt.Errorf("CANVASS_STARTUP_TIMEOUT: %q is not a duration like 60s", startup)
	}
	if c.SubmitRate, err = strconv.ParseFloat(submitRate, 64); err != nil || c.SubmitRate < 0 || c.SubmitRate > 1e6 {
		return nil, fmt.Errorf("CANVASS_SUBMIT_RATE: %q is not a number of requests per second (0 turns the limit off)", submitRate)
	}
	return c, c.Validate()
}

// Validate reports every bad setting, one line each, naming its variable.
func (c *Config) Validate() error {
	var problems []string
	if _, port, err := net.SplitHostPort(c.Addr); err != nil {
		problems = append(problems, fmt.Sprintf("CANVASS_ADDR: %q is not host:port (e.g. :8080)", c.Addr))
	} else if n, err := strconv.Atoi(port); err != nil || n < 0 || n > 65535 {
		problems = append(problems, fmt.Sprintf("CANVASS_ADDR: port %q is not a number from 0 to 65535", port))
	}
	if c.MongoURI != "" && !strings.HasPrefix(c.MongoURI, "mongodb://") && !strings.HasPrefix(c.MongoURI, "mongodb+srv://") {
		problems = append(problems, "CANVASS_MONGODB_URI: must start with mongodb:// or mongodb+srv://")
	}
	if c.MongoURI == "" && c.DataDir == "" {
		problems = append(problems, "CANVASS_DATA_DIR: must be set when CANVASS_MONGODB_URI is empty")
	}
	if c.DB == "" || strings.ContainsAny(c.DB, `/\. "$`) || len(c.DB) > 63 {
		problems = append(problems, fmt.Sprintf("CANVASS_DB: %q is not a valid database name", c.DB))
	}
	if c.BaseURL != "" {
		u, err := url.Parse(c.BaseURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			problems = append(problems, fmt.Sprintf("CANVASS_BASE_URL: %q is not an http(s) URL", c.BaseURL))
		}
	}
	for _, p := range c.TrustedProxies {
		if net.ParseIP(p) == nil {
			if _, _, err := net.ParseCIDR(p); err != nil {
				problems = append(problems, fmt.Sprintf("CANVASS_TRUSTED_PROXIES: %q is not an IP address or CIDR", p))
			}
		}
	}
	if c.SMTPURL != "" {
		if smtp, err := mail.ParseURL(c.SMTPURL); err != nil {
			problems = append(problems, "CANVASS_SMTP_URL: "+strings.TrimPrefix(err.Error(), "SMTP URL: "))
		} else {
			c.SMTP = &smtp
		}
	}
	if c.LogFormat != "text" && c.LogFormat != "json" {
		problems = append(problems, fmt.Sprintf("CANVASS_LOG_FORMAT: %q is not text or json", c.LogFormat))
	}
	switch strings.ToLower(c.LogLevel) {
	case "debug", "info", "warn", "error":
	default:
		problems = append(problems, fmt.Sprintf("CANVASS_LOG_LEVEL: %q is not debug, info, warn or error", c.LogLevel))
	}
	if c.ShutdownGrace < 0 {
		problems = append(problems, "CANVASS_SHUTDOWN_GRACE: cannot be negative")
	}
	if len(problems) > 0 {
		return errors.New(strings.Join(problems, "\n"))
	}
	return nil
}

// dataSettings are the settings every data command (token, survey) shares
// with serve: where the database is.
func dataFlags(fs *flag.FlagSet, getenv func(string) string) *Config {
	c := &Config{}
	for _, s := range settings[1:4] {
		val := s.def
		if v := getenv(s.env); v != "" {
			val = v
		}
		fs.StringVar(s.target(c).(*string), s.flag, val, fmt.Sprintf("%s (env %s)", s.help, s.env))
	}
	return c
}
