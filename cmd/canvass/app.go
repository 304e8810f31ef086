package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/metlib/canvass/campaign"
	"github.com/metlib/canvass/mail"
	"github.com/metlib/canvass/survey"
	"github.com/metlib/canvass/survey/builtin"
	"github.com/metlib/canvass/survey/store"
	"github.com/metlib/canvass/survey/web"
)

// Main is the running service: store, HTTP server and, by default, the
// embedded database. Tests start it on :0 with a temporary data directory.
type Main struct {
	Config *Config
	Logger *slog.Logger

	// URL is where the server listens, e.g. http://127.0.0.1:8080, once Run returns.
	URL string
	// MetricsURL is where /metrics is served when CANVASS_METRICS_ADDR is
	// set, e.g. http://127.0.0.1:9090, once Run returns; else empty.
	MetricsURL string
	// SetupLink is the first-run setup link, when this start issued one.
	SetupLink string

	embedded *store.Embedded
	store    *store.Store
	web      *web.Server
	http     *http.Server
	served   chan error
	// metricsHTTP serves /metrics on CANVASS_METRICS_ADDR, when set.
	metricsHTTP   *http.Server
	metricsServed chan error
	// stopWarming ends the background disclosure of the public figures
	// (campaign.WarmPublicFigures) and warmed is closed once it returned.
	stopWarming context.CancelFunc
	warmed      chan struct{}
}

// Run opens the store, installs the built-in surveys, and starts serving
// HTTP in the background. Call Close to stop, even when Run fails.
func (m *Main) Run(ctx context.Context) error {
	st, e, err := openStore(ctx, m.Config, m.Logger, true)
	if err != nil {
		return err
	}
	m.store, m.embedded = st, e
	if err := installBuiltins(ctx, st, m.Logger); err != nil {
		return err
	}
	secret, err := st.Secret(ctx, "csrf")
	if err != nil {
		return fmt.Errorf("read CSRF secret: %w", err)
	}
	submitRate := web.RateLimit{PerSecond: m.Config.SubmitRate, Burst: int(10 * m.Config.SubmitRate)}
	if m.Config.SubmitRate == 0 {
		submitRate.PerSecond = -1 // off
	}
	var mailer campaign.Mailer // a nil *mail.Sender in it would not be a nil Mailer
	if m.Config.SMTP != nil {
		mailer = mail.NewSender(*m.Config.SMTP)
	}
	metrics := web.NewMetrics(st)
	uc := newCampaign(st, m.Logger, mailer, metrics)
	srv, err := web.New(web.Config{
		Surveys: st, Responses: st, Tokens: st, Users: st, Sessions: st, Passwords: st, Audit: st, Logins: st, Libraries: st, Invitations: st, MailTemplates: st, Publications: st, Store: st,
		Logger: m.Logger, CSRFSecret: secret, BaseURL: m.Config.BaseURL, TrustedProxies: m.Config.TrustedProxies,
		SubmitRate: submitRate, Version: version,
		Campaign: uc, Metrics: metrics, MetricsElsewhere: m.Config.MetricsAddr != "",
	})
	if err != nil {
		return err
	}
	m.web = srv
	if m.Config.MetricsAddr != "" {
		mln, err := net.Listen("tcp", m.Config.MetricsAddr)
		if err != nil {
			return fmt.Errorf("CANVASS_METRICS_ADDR: cannot listen on %s: %w", m.Config.MetricsAddr, err)
		}
		m.MetricsURL = "http://" + mln.Addr().String()
		m.metricsHTTP = &http.Server{
			Handler:           metrics.Handler(),
			ReadHeaderTimeout: 10 * time.Second,
			WriteTimeout:      30 * time.Second,
			ErrorLog:          slog.NewLogLogger(m.Logger.Handler(), slog.LevelWarn),
		}
		m.metricsServed = make(chan error, 1)
		go func() { m.metricsServed <- m.metricsHTTP.Serve(mln) }()
	}
	ln, err := net.Listen("tcp", m.Config.Addr)
	if err != nil {
		return fmt.Errorf("CANVASS_ADDR: cannot listen on %s: %w", m.Config.Addr, err)
	}
	m.URL = "http://" + ln.Addr().String()
	m.http = &http.Server{
		Handler:           srv.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      120 * time.Second,
		IdleTimeout:       120 * time.Second,
		ErrorLog:          slog.NewLogLogger(m.Logger.Handler(), slog.LevelWarn),
	}
	m.served = make(chan error, 1)
	go func() { m.served <- m.http.Serve(ln) }()
	where := "MongoDB at CANVASS_MONGODB_URI"
	if m.embedded != nil {
		where = "embedded database in " + m.Config.DataDir
	}
	if m.MetricsURL != "" {
		m.Logger.Info("canvass is ready", "url", m.URL, "metrics", m.MetricsURL+"/metrics", "store", where, "version", version)
	} else {
		m.Logger.Info("canvass is ready", "url", m.URL, "store", where, "version", version)
	}
	base := publicURL(m.Config.BaseURL, m.URL)
	link, issued, err := srv.IssueSetupLink(ctx, base)
	switch {
	case err != nil:
		return fmt.Errorf("first-run setup: %w", err)
	case issued:
		// Warning level, so it shows whatever the log level: it is the only way in.
		m.Logger.Warn("no users yet: open this one-time link within 24 hours to create the first administrator", "url", link)
		m.SetupLink = link
	}
	// The public figures of a snapshot are disclosed against the one
	// before, seconds to minutes: done now, not by the first visitors.
	warm, stop := context.WithCancel(context.Background())
	m.stopWarming, m.warmed = stop, make(chan struct{})
	go func() {
		defer close(m.warmed)
		if err := uc.WarmPublicFigures(warm); err != nil && warm.Err() == nil {
			m.Logger.Warn("public figures not warmed", "error", err)
		}
	}()
	if surveys, err := st.ListSurveyHeaders(ctx, survey.StatusOpen); err == nil {
		for _, s := range surveys {
			if s.AcceptingAt(time.Now()) {
				m.Logger.Info("survey open", "slug", s.Slug, "url", publicURL(m.Config.BaseURL, m.URL)+"/s/"+s.Slug)
			}
		}
	}
	return nil
}

// Close stops accepting requests, lets in-flight ones finish within the
// grace period, then closes the store and the embedded database, in that
// order (the database waits for its clients to leave). When the grace runs
// out, downloads still streaming are aborted (their clients see an
// incomplete response) and every connection left is closed: Shutdown
// alone waits for them without cancelling them.
func (m *Main) Close() error {
	var errs []error
	if m.http != nil {
		ctx, cancel := context.WithTimeout(context.Background(), m.Config.ShutdownGrace)
		if err := m.http.Shutdown(ctx); err != nil {
			// The grace is over: the streams' handlers return within
			// moments of StopStreams; anything else still open is cut.
			m.web.StopStreams(2 * time.Second)
			if err := m.http.Close(); err != nil {
				errs = append(errs, fmt.Errorf("close HTTP: %w", err))
			}
			m.Logger.Warn("shutdown grace over: requests still in flight were cut", "grace", m.Config.ShutdownGrace.String())
		}
		cancel()
		if err := <-m.served; err != nil && !errors.Is(err, http.ErrServerClosed) {
			errs = append(errs, err)
		}
		m.http = nil
	}
	if m.metricsHTTP != nil {
		// A scrape takes milliseconds: no grace of its own.
		_ = m.metricsHTTP.Close()
		if err := <-m.metricsServed; err != nil && !errors.Is(err, http.ErrServerClosed) {
			errs = append(errs, err)
		}
		m.metricsHTTP = nil
	}
	if m.stopWarming != nil {
		m.stopWarming()
		<-m.warmed // it reads the store
		m.stopWarming = nil
	}
	if m.web != nil {
		m.web.Wait() // the last uses recorded in the background, before the store closes
		m.web = nil
	}
	if m.store != nil {
		if err := m.store.Close(context.Background()); err != nil {
			errs = append(errs, err)
		}
		m.store = nil
	}
	if m.embedded != nil {
		if err := m.embedded.Close(); err != nil {
			errs = append(errs, err)
		}
		m.embedded = nil
	}
	return errors.Join(errs...)
}

// newCampaign is the use cases over st: the web server's and every
// command's, so the command line does what the pages and the API do.
// mailer and metrics may be nil (the commands send no mail and count nothing).
func newCampaign(st *store.Store, logger *slog.Logger, mailer campaign.Mailer, metrics campaign.Metrics) *campaign.Service {
	return campaign.New(campaign.Config{
		Surveys: st, Responses: st, Tokens: st, Users: st, Sessions: st, Passwords: st, Audit: st,
		Libraries: st, Invitations: st, MailTemplates: st, Publications: st, Reports: st,
		Mailer: mailer, Metrics: metrics, Logger: logger,
	})
}

// openStore connects to CANVASS_MONGODB_URI, or to the embedded database in
// the data directory: started here when the directory is free; when another
// canvass process owns it, serve refuses (owner) and other commands connect
// to that process's server.
func openStore(ctx context.Context, cfg *Config, logger *slog.Logger, owner bool) (*store.Store, *store.Embedded, error) {
	if cfg.MongoURI != "" {
		st, err := openWithRetry(ctx, cfg, logger)
		if err != nil {
			return nil, nil, fmt.Errorf("CANVASS_MONGODB_URI: %w", err)
		}
		return st, nil, nil
	}
	e, err := store.StartEmbedded(cfg.DataDir, logger)
	switch {
	case errors.Is(err, store.ErrDataDirInUse) && owner:
		return nil, nil, fmt.Errorf("%w; stop that process or set CANVASS_DATA_DIR to another directory", err)
	case errors.Is(err, store.ErrDataDirInUse):
		uri, err := store.RunningURI(cfg.DataDir)
		if err != nil {
			return nil, nil, err
		}
		st, err := store.Open(ctx, uri, cfg.DB)
		if err != nil {
			return nil, nil, fmt.Errorf("connect to the database of the running canvass: %w", err)
		}
		return st, nil, nil
	case err != nil:
		return nil, nil, err
	}
	st, err := store.Open(ctx, e.URI, cfg.DB)
	if err != nil {
		_ = e.Close()
		return nil, nil, fmt.Errorf("embedded database: %w", err)
	}
	return st, e, nil
}

// installBuiltins stores the built-in surveys, open, unless surveys with
// their slugs exist already (so edits and closures are never undone).
func installBuiltins(ctx context.Context, st *store.Store, logger *slog.Logger) error {
	surveys, err := builtin.Surveys()
	if err != nil {
		return err
	}
	for _, s := range surveys {
		s.Status = survey.StatusOpen
		installed, err := st.InstallSurvey(ctx, s)
		if err != nil {
			return fmt.Errorf("install built-in survey %s: %w", s.Slug, err)
		}
		if installed {
			logger.Info("installed built-in survey", "slug", s.Slug)
		}
	}
	return nil
}

// publicURL is the base of the links Canvass prints: CANVASS_BASE_URL, else
// the listening address with a wildcard host shown as localhost.
func publicURL(base, listening string) string {
	if base != "" {
		return strings.TrimSuffix(base, "/")
	}
	return strings.Replace(strings.Replace(listening, "http://[::]", "http://localhost", 1), "http://0.0.0.0", "http://localhost", 1)
}

// openWithRetry waits for MongoDB at start-up, since in a deployment it may
// start after Canvass: it retries with exponential backoff (1 s doubling to
// 15 s) until CANVASS_STARTUP_TIMEOUT, logging each wait.
func openWithRetry(ctx context.Context, cfg *Config, logger *slog.Logger) (*store.Store, error) {
	deadline := time.Now().Add(cfg.StartupTimeout)
	wait := time.Second
	for attempt := 1; ; attempt++ {
		st, err := store.Open(ctx, cfg.MongoURI, cfg.DB)
		if err == nil || survey.ErrorCode(err) != survey.EUNAVAILABLE {
			return st, err
		}
		left := time.Until(deadline)
		if left <= 0 {
			return nil, fmt.Errorf("the database did not answer within %s (CANVASS_STARTUP_TIMEOUT): %w", cfg.StartupTimeout, err)
		}
		wait = min(wait, left)
		logger.Warn("waiting for the database", "attempt", attempt, "retry_in", wait.String(), "error", survey.ErrorMessage(err))
		select {
		case <-time.After(wait):
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		wait = min(2*wait, 15*time.Second)
	}
}
