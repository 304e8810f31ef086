// Package web is Canvass's HTTP side: the gin router, the respondent pages,
// the JSON API and the operational endpoints. *gin.Context never leaves this
// package; handlers pass the request's context down to the stores.
package web

import (
	"context"
	"errors"
	"html/template"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/metlib/canvass/campaign"
	"github.com/metlib/canvass/survey"
)

// Pinger reports whether the store can be reached.
type Pinger interface {
	Ping(ctx context.Context) error
}

// Config is what the web layer needs from the rest of the program.
type Config struct {
	Surveys     survey.SurveyStore
	Responses   survey.ResponseStore
	Tokens      survey.TokenStore
	Users       survey.UserStore
	Sessions    survey.SessionStore
	Passwords   survey.PasswordTokenStore
	Audit       survey.AuditStore
	Logins      survey.LoginLimiter
	Libraries   survey.LibraryStore
	Invitations survey.InvitationStore
	// MailTemplates keeps the invitation and reminder texts a working group edited.
	MailTemplates survey.MailTemplateStore
	// Publications records which surveys' results are public.
	Publications survey.PublicationStore
	Store        Pinger
	Logger       *slog.Logger
	// CSRFSecret keys the respondent forms' CSRF tokens; every instance
	// sharing a database must use the same one.
	CSRFSecret []byte
	// BaseURL is the public address, used for links and to decide whether
	// cookies are marked Secure.
	BaseURL string
	// TrustedProxies are the addresses whose X-Forwarded-For is believed.
	TrustedProxies []string
	// MaxBodyBytes limits every request body (default 1 MiB); the
	// definition and workbook uploads may be up to MaxUploadBytes (default
	// 10 MiB). The limit is applied before any handler reads the body.
	MaxBodyBytes   int64
	MaxUploadBytes int64
	// SubmitRate and LoginRate limit requests per client IP and second on
	// the public submission and the login routes (defaults 2/s with a burst
	// of 20, and 1/s with a burst of 10). Limits are per instance.
	SubmitRate, LoginRate RateLimit
	// Version is reported by /healthz.
	Version string
	// Campaign runs the use cases (submitting, drafts, responses, surveys,
	// publications, invitations, analysis) that handlers call; required.
	Campaign *campaign.Service
	// Metrics is the /metrics registry; give the Campaign the same one
	// (campaign.Config.Metrics) so its submission counts show there. Nil
	// makes a registry of the server's own.
	Metrics *Metrics
	// MetricsElsewhere leaves /metrics off the router (a 404 like any
	// unknown path): the program serves Metrics.Handler on an address of
	// its own (CANVASS_METRICS_ADDR) instead.
	MetricsElsewhere bool
	// StreamWriteWindow is how long a streamed export may go without the
	// client taking any of it (default 60 s). On a server with a
	// WriteTimeout, the export's write deadline is moved this far ahead as
	// it is written, so a large export to a slow client outlasts the
	// WriteTimeout while a stalled one is still cut; StopStreams still
	// ends it at once.
	StreamWriteWindow time.Duration
}

// Server holds the router and what its handlers share.
type Server struct {
	cfg           Config
	log           *slog.Logger
	engine        *gin.Engine
	pages         map[string]*template.Template
	now           func() time.Time
	secureCookies bool
	submitLimit   *ipLimiter
	loginLimit    *ipLimiter
	embedCounts   renderedCounts
	metrics       *Metrics
	campaign      *campaign.Service
	streams       *streams
	// uploads are the routes ("METHOD /pattern") whose body may be up to
	// MaxUploadBytes (registered with upload); every other takes MaxBodyBytes.
	uploads map[string]bool
	// background counts the writes left running after a response (the
	// last use of a session or a token), so Wait can let them finish.
	background sync.WaitGroup
}

// New builds the router with every route registered.
func New(cfg Config) (*Server, error) {
	if cfg.Surveys == nil || cfg.Responses == nil || cfg.Tokens == nil || cfg.Store == nil || cfg.Users == nil ||
		cfg.Sessions == nil || cfg.Passwords == nil || cfg.Audit == nil || cfg.Logins == nil || cfg.Libraries == nil || cfg.Invitations == nil || cfg.MailTemplates == nil || cfg.Publications == nil {
		return nil, errors.New("web: stores are required")
	}
	if cfg.Campaign == nil {
		return nil, errors.New("web: a campaign.Service is required")
	}
	// Responses are read and written through the use cases' watched store,
	// so every write here, too, invalidates the results they cache.
	// Read and write through the use cases' stores, so there is one survey
	// cache and one results cache, and every write here invalidates them.
	cfg.Surveys = cfg.Campaign.Surveys()
	cfg.Responses = cfg.Campaign.Responses()
	if cfg.Metrics == nil {
		cfg.Metrics = NewMetrics(cfg.Store)
	}
	if len(cfg.CSRFSecret) < 16 {
		return nil, errors.New("web: a CSRF secret of at least 16 bytes is required")
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.MaxBodyBytes == 0 {
		cfg.MaxBodyBytes = 1 << 20
	}
	if cfg.MaxUploadBytes == 0 {
		cfg.MaxUploadBytes = 10 << 20
	}
	if cfg.SubmitRate.PerSecond == 0 {
		cfg.SubmitRate = RateLimit{PerSecond: 2, Burst: 20}
	}
	if cfg.StreamWriteWindow <= 0 {
		cfg.StreamWriteWindow = 60 * time.Second
	}
	if cfg.LoginRate.PerSecond == 0 {
		cfg.LoginRate = RateLimit{PerSecond: 1, Burst: 10}
	}
	pages, err := parseTemplates()
	if err != nil {
		return nil, err
	}
	s := &Server{
		cfg:           cfg,
		log:           cfg.Logger,
		pages:         pages,
		now:           func() time.Time { return time.Now().UTC() },
		secureCookies: len(cfg.BaseURL) >= 8 && cfg.BaseURL[:8] == "https://",
		metrics:       cfg.Metrics,
		campaign:      cfg.Campaign,
		submitLimit:   newIPLimiter(cfg.SubmitRate),
		loginLimit:    newIPLimiter(cfg.LoginRate),
		streams:       newStreams(),
		uploads:       map[string]bool{},
	}
	gin.SetMode(gin.ReleaseMode)
	e := gin.New()
	e.HandleMethodNotAllowed = true
	e.ContextWithFallback = true
	if err := e.SetTrustedProxies(cfg.TrustedProxies); err != nil {
		return nil, err
	}
	// limitBodies wraps every body before any handler runs, the 404 and
	// 405 answers included, so nothing can read past the limit.
	e.Use(s.requestID, s.logRequests, s.recoverPanics, securityHeaders, s.limitBodies)
	e.NoRoute(func(c *gin.Context) {
		s.renderError(c, survey.KeyedErrorf(survey.ENOTFOUND, "not_found", "There is nothing at this address."))
	})
	e.NoMethod(func(c *gin.Context) {
		s.renderError(c, survey.KeyedErrorf(EMETHOD, "method_not_allowed", "This method is not allowed here."))
	})
	s.engine = e
	s.routes()
	return s, nil
}

// Wait blocks until the writes the server started in the background (the
// last use of sessions and tokens, each bounded by a 5 s deadline) are done.
// Call it after the HTTP server has stopped and before closing the stores,
// so none is cut off, or lands after a test dropped its database.
func (s *Server) Wait() { s.background.Wait() }

// SetClock replaces the server's clock; tests use it to pass session expiry.
// The use cases' clock moves with it (their caches expire by it).
func (s *Server) SetClock(now func() time.Time) {
	s.now = now
	s.cfg.Campaign.SetClock(now)
}

// Handler returns the server's http.Handler.
func (s *Server) Handler() http.Handler { return s.engine }

// Routes lists every registered route, for tests that check each has a rule.
func (s *Server) Routes() gin.RoutesInfo { return s.engine.Routes() }

func (s *Server) routes() {
	e := s.engine
	e.GET("/healthz", s.healthz)
	e.GET("/readyz", s.readyz)
	if !s.cfg.MetricsElsewhere {
		e.GET("/metrics", s.authenticate, s.serveMetrics())
	}
	e.GET("/static/*file", serveStatic)
	e.GET("/", s.index)

	// Respondents.
	e.GET("/s/:slug", s.showForm)
	e.POST("/s/:slug", s.submitLimit.middleware(s), s.submitForm)
	e.GET("/s/:slug/thanks", s.showThanks)
	// A library's benchmark report, through its personal link (?t=).
	e.GET("/s/:slug/report", s.showReport)
	e.GET("/s/:slug/report.pdf", s.reportPDF)
	e.GET("/s/:slug/report.xlsx", s.reportXLSX)
	e.GET("/libraries", s.librariesPage)
	e.GET("/libraries/:id", s.libraryPage)

	// The section webpage's embeds: counts only, framable, open to any origin.
	// Their .json routes and widget.js answer errors in JSON, the rest in
	// HTML: each route group's error format is wantsJSON's (errors.go).
	embed := e.Group("/embed")
	embed.GET("/libraries", s.embedLibrariesPage)
	embed.GET("/libraries.json", s.embedLibrariesJSON)
	embed.GET("/:slug", s.embedPage)
	embed.GET("/:slug/counts.json", s.embedCountsJSON)
	embed.GET("/:slug/badge.svg", s.embedBadge)
	embed.GET("/:slug/widget.js", serveWidget)
	embed.GET("/:slug/results/:table", s.embedResultsTable)
	e.GET("/results/:slug", s.resultsPage)

	api := e.Group("/api/v1", s.authenticate)
	api.GET("/surveys/:slug/form", s.apiForm)
	api.POST("/surveys/:slug/responses", s.submitLimit.middleware(s), s.apiSubmit)
	api.GET("/public/libraries", s.apiPublicLibraries)

	// The working group: a session cookie or a bearer token.
	read := api.Group("", s.require(survey.RoleAnalyst))
	read.GET("/surveys", s.apiListSurveys)
	read.GET("/surveys/:slug", s.apiGetSurvey)
	read.GET("/surveys/:slug/analysis", s.apiAnalysis)
	read.GET("/surveys/:slug/series", s.apiSeries)
	read.GET("/surveys/:slug/trends", s.apiTrends)
	read.GET("/surveys/:slug/series/:format", s.apiSeriesExport) // export.xlsx, export.csv, export.jsonl, codebook.csv
	read.GET("/surveys/:slug/:format", s.apiExport)              // export.xlsx, export.csv, export.jsonl
	// The directory and the invitations: regional coordinators too, kept
	// to their regions by the use cases (campaign/scope.go).
	regional := api.Group("", s.require(survey.RoleAnalyst, survey.RoleCoordinator))
	regional.GET("/libraries", s.apiListLibraries)
	regional.GET("/surveys/:slug/responses", s.apiListResponses)
	regional.GET("/responses/:id", s.apiGetResponse)
	regional.GET("/surveys/:slug/invitations", s.apiListInvitations)
	regional.GET("/surveys/:slug/tracking", s.apiTracking)
	regional.GET("/libraries/:id", s.apiGetLibrary)
	regional.GET("/libraries/export.xlsx", s.apiExportLibraries("xlsx"))
	regional.GET("/libraries/export.csv", s.apiExportLibraries("csv"))
	regional.GET("/surveys/:slug/mail-templates", s.apiMailTemplates)
	regional.GET("/surveys/:slug/change-notes", s.apiChangeNotes)
	regional.GET("/surveys/:slug/reports", s.apiReports)
	regional.GET("/surveys/:slug/reports/:library", s.apiReport) // JSON, or :library.pdf / .xlsx
	regionalWrite := api.Group("", s.require(survey.RoleAdmin, survey.RoleCoordinator))
	regionalWrite.POST("/libraries", s.apiCreateLibrary)
	regionalWrite.PUT("/libraries/:id", s.apiUpdateLibrary)
	s.upload(regionalWrite, http.MethodPost, "/libraries/import", s.apiImportLibraries)

	regionalWrite.POST("/surveys/:slug/invitations", s.apiCreateInvitations)
	regionalWrite.POST("/surveys/:slug/invitations/:id/revoke", s.apiRevokeInvitation)
	regionalWrite.POST("/surveys/:slug/invitations/:id/bounce", s.apiRecordBounce)
	regionalWrite.POST("/surveys/:slug/invitations/mailmerge.csv", s.apiMailMerge(campaign.MailingInvitations, "csv"))
	regionalWrite.POST("/surveys/:slug/invitations/mailmerge.xlsx", s.apiMailMerge(campaign.MailingInvitations, "xlsx"))
	regionalWrite.POST("/surveys/:slug/invitations/reminders.csv", s.apiMailMerge(campaign.MailingReminders, "csv"))
	regionalWrite.POST("/surveys/:slug/invitations/reminders.xlsx", s.apiMailMerge(campaign.MailingReminders, "xlsx"))
	regionalWrite.POST("/surveys/:slug/invitations/new-links.csv", s.apiMailMerge(campaign.MailingNewLinks, "csv"))
	regionalWrite.POST("/surveys/:slug/invitations/new-links.xlsx", s.apiMailMerge(campaign.MailingNewLinks, "xlsx"))
	regionalWrite.POST("/surveys/:slug/invitations/send", s.apiSendInvitations)
	regionalWrite.GET("/contacts/export", s.apiExportContact)
	regionalWrite.POST("/contacts/erase", s.apiEraseContact)
	write := api.Group("", s.require(survey.RoleAdmin))
	s.upload(write, http.MethodPost, "/surveys", s.apiCreateSurvey)
	s.upload(write, http.MethodPost, "/surveys/import", s.apiImportSurvey)
	s.upload(write, http.MethodPut, "/surveys/:slug", s.apiUpdateSurvey)
	write.POST("/surveys/:slug/publish", s.apiSetStatus(survey.StatusOpen))
	write.POST("/surveys/:slug/close", s.apiSetStatus(survey.StatusClosed))
	write.POST("/surveys/:slug/waves", s.apiCreateWave)
	s.upload(write, http.MethodPost, "/surveys/:slug/waves/import", s.apiImportRound)
	write.DELETE("/responses/:id", s.apiDeleteResponse)
	write.POST("/surveys/:slug/results/publish", s.apiPublishResults(true))
	write.POST("/surveys/:slug/results/unpublish", s.apiPublishResults(false))
	write.POST("/surveys/:slug/results/refresh", s.apiRefreshPublicFigures)
	write.POST("/responses/:id/update-library", s.apiUpdateLibraryFromResponse)
	write.GET("/audit", s.apiListAudit)
	write.GET("/users", s.apiListUsers)
	write.POST("/users", s.apiCreateUser)
	write.PUT("/users/:id", s.apiUpdateUser)
	write.DELETE("/libraries/:id", s.apiDeleteLibrary)
	write.POST("/libraries/:id/merge", s.apiMergeLibraries)
	write.PUT("/surveys/:slug/mail-templates/:kind/:lang", s.apiSaveMailTemplate)
	write.PUT("/surveys/:slug/benchmark", s.apiSetBenchmark)
	write.POST("/surveys/:slug/reports/release", s.apiReleaseReports(true))
	write.POST("/surveys/:slug/reports/withdraw", s.apiReleaseReports(false))
	write.POST("/surveys/:slug/reports/send", s.apiSendReports)
	write.POST("/surveys/:slug/reports/mailmerge.csv", s.apiReportMailMerge("csv"))
	write.POST("/surveys/:slug/reports/mailmerge.xlsx", s.apiReportMailMerge("xlsx"))

	// The working group's pages.
	// The login's rate limit comes before everything else, so a flood is
	// turned away before it costs a database read.
	// checkCSRF comes after the role check: it may have to read the form to
	// find the token, and a body is read only for someone allowed to post
	// it (TestHostileBodiesAreCutAtTheLimit); every admin group has it
	// (TestEveryAdminPostNeedsTheCSRFToken).
	e.POST("/admin/login", s.loginLimit.middleware(s), s.authenticate, s.checkCSRF, s.login)
	admin := e.Group("/admin", s.authenticate)
	admin.GET("/login", s.showLogin)
	admin.POST("/logout", s.checkCSRF, s.logout)
	admin.GET("/setup", s.showSetPassword)
	admin.POST("/setup", s.checkCSRF, s.setPassword)

	// Every role: the dashboard (a coordinator's shows their regions'
	// tracking), one's account, the directory and the invitations.
	everyone := admin.Group("", s.require(survey.RoleAnalyst, survey.RoleCoordinator), s.checkCSRF)
	everyone.GET("", s.dashboard)
	everyone.GET("/account", s.showAccount)
	everyone.POST("/account/password", s.changePassword)
	everyone.GET("/surveys/:slug/invitations", s.invitationsAdminPage)
	everyone.GET("/libraries", s.librariesAdminPage)
	everyone.GET("/libraries/:id", s.libraryAdminPage)
	everyone.GET("/surveys/:slug/responses", s.listResponsesPage)
	everyone.GET("/responses/:id", s.showResponse)
	everyone.GET("/surveys/:slug/changes", s.changesPage)
	everyone.GET("/surveys/:slug/reports", s.reportsAdminPage)
	everyone.GET("/surveys/:slug/reports/:library", s.previewReportPage) // :library.pdf / .xlsx download it
	regionalPages := admin.Group("", s.require(survey.RoleAdmin, survey.RoleCoordinator), s.checkCSRF)
	regionalPages.GET("/libraries/new", s.newLibraryPage)
	regionalPages.POST("/libraries", s.saveLibraryForm)
	regionalPages.POST("/libraries/:id", s.saveLibraryForm)
	regionalPages.POST("/surveys/:slug/invitations", s.inviteForm)
	regionalPages.POST("/surveys/:slug/invitations/send", s.sendForm)
	regionalPages.POST("/surveys/:slug/invitations/mailmerge", s.mailMergeForm)
	regionalPages.POST("/surveys/:slug/invitations/new-links", s.newLinksForm)
	regionalPages.POST("/surveys/:slug/invitations/:id/revoke", s.revokeForm)
	regionalPages.POST("/libraries/:id/invite", s.inviteLibraryForm)
	regionalPages.GET("/libraries/import", s.importPageGet)
	s.upload(regionalPages, http.MethodPost, "/libraries/import", s.importLibrariesForm)

	signedIn := admin.Group("", s.require(survey.RoleAnalyst), s.checkCSRF)
	signedIn.GET("/surveys/:slug", s.showSurvey)
	signedIn.GET("/surveys/:slug/definition.yaml", s.downloadDefinition)
	signedIn.GET("/surveys/:slug/preview", s.previewSurvey)
	signedIn.GET("/surveys/:slug/results", s.resultsDashboard)
	signedIn.GET("/surveys/:slug/trends", s.trendsDashboard)
	signedIn.GET("/surveys/:slug/embed", s.embedAdminPageGet)

	adminOnly := admin.Group("", s.require(survey.RoleAdmin), s.checkCSRF)
	adminOnly.GET("/surveys/new", s.newSurveyPage)
	s.upload(adminOnly, http.MethodPost, "/surveys", s.uploadSurvey)
	s.upload(adminOnly, http.MethodPost, "/surveys/:slug/definition", s.uploadNewVersion)
	adminOnly.POST("/surveys/:slug/status", s.changeStatus)
	adminOnly.POST("/surveys/:slug/dates", s.changeDates)
	adminOnly.POST("/surveys/:slug/waves", s.createWaveForm)
	adminOnly.GET("/surveys/:slug/waves/import", s.importRoundPage)
	s.upload(adminOnly, http.MethodPost, "/surveys/:slug/waves/import", s.importRoundForm)
	adminOnly.GET("/responses/:id/delete", s.confirmDeleteResponse)
	adminOnly.POST("/responses/:id/delete", s.deleteResponse)
	adminOnly.GET("/tokens", s.listTokensPage)
	adminOnly.POST("/tokens", s.createToken)
	adminOnly.POST("/tokens/:id/revoke", s.revokeToken)
	adminOnly.GET("/users", s.listUsersPage)
	adminOnly.POST("/users", s.createUser)
	adminOnly.POST("/users/:id", s.updateUser)
	adminOnly.POST("/users/:id/reset", s.resetUserPassword)
	adminOnly.GET("/audit", s.auditPage)
	adminOnly.POST("/libraries/:id/delete", s.deleteLibraryForm)
	adminOnly.POST("/libraries/:id/merge", s.mergeLibraryForm)
	adminOnly.POST("/surveys/:slug/results/publish", s.publishResultsForm(true))
	adminOnly.POST("/surveys/:slug/results/unpublish", s.publishResultsForm(false))
	adminOnly.POST("/surveys/:slug/results/refresh", s.refreshPublicFiguresForm)
	adminOnly.POST("/surveys/:slug/invitations/templates", s.saveTemplateForm)
	adminOnly.POST("/surveys/:slug/reports/release", s.releaseReportsForm)
	adminOnly.POST("/surveys/:slug/reports/withdraw", s.withdrawReportsForm)
	adminOnly.POST("/surveys/:slug/reports/send", s.sendReportsForm)
	adminOnly.POST("/surveys/:slug/reports/mailmerge", s.reportMailMergeForm)
	adminOnly.POST("/surveys/:slug/reports/benchmark", s.benchmarkForm)
}
