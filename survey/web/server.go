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
	"time"

	"github.com/gin-gonic/gin"

	"github.com/metlib/canvass/survey"
)

// Pinger reports whether the store can be reached.
type Pinger interface {
	Ping(ctx context.Context) error
}

// Config is what the web layer needs from the rest of the program.
type Config struct {
	Surveys   survey.SurveyStore
	Responses survey.ResponseStore
	Tokens    survey.TokenStore
	Store     Pinger
	Logger    *slog.Logger
	// CSRFSecret keys the respondent forms' CSRF tokens; every instance
	// sharing a database must use the same one.
	CSRFSecret []byte
	// BaseURL is the public address, used for links and to decide whether
	// cookies are marked Secure.
	BaseURL string
	// TrustedProxies are the addresses whose X-Forwarded-For is believed.
	TrustedProxies []string
	// SurveyCacheTTL is how long a survey definition is reused before it is
	// read again (default 2s): submissions do not each pay for a read.
	SurveyCacheTTL time.Duration
	// MaxBodyBytes limits request bodies (default 1 MiB).
	MaxBodyBytes int64
	// Version is reported by /healthz.
	Version string
}

// Server holds the router and what its handlers share.
type Server struct {
	cfg           Config
	log           *slog.Logger
	engine        *gin.Engine
	surveys       *surveyCache
	pages         map[string]*template.Template
	now           func() time.Time
	secureCookies bool
}

// New builds the router with every route registered.
func New(cfg Config) (*Server, error) {
	if cfg.Surveys == nil || cfg.Responses == nil || cfg.Tokens == nil || cfg.Store == nil {
		return nil, errors.New("web: stores are required")
	}
	if len(cfg.CSRFSecret) < 16 {
		return nil, errors.New("web: a CSRF secret of at least 16 bytes is required")
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.SurveyCacheTTL == 0 {
		cfg.SurveyCacheTTL = 2 * time.Second
	}
	if cfg.MaxBodyBytes == 0 {
		cfg.MaxBodyBytes = 1 << 20
	}
	pages, err := parseTemplates()
	if err != nil {
		return nil, err
	}
	s := &Server{
		cfg:           cfg,
		log:           cfg.Logger,
		surveys:       newSurveyCache(cfg.Surveys, cfg.SurveyCacheTTL),
		pages:         pages,
		now:           func() time.Time { return time.Now().UTC() },
		secureCookies: len(cfg.BaseURL) >= 8 && cfg.BaseURL[:8] == "https://",
	}
	gin.SetMode(gin.ReleaseMode)
	e := gin.New()
	e.HandleMethodNotAllowed = true
	e.ContextWithFallback = true
	if err := e.SetTrustedProxies(cfg.TrustedProxies); err != nil {
		return nil, err
	}
	e.Use(s.requestID, s.logRequests, s.recoverPanics, securityHeaders)
	e.NoRoute(func(c *gin.Context) {
		s.renderError(c, survey.Errorf(survey.ENOTFOUND, "There is nothing at this address."))
	})
	e.NoMethod(func(c *gin.Context) {
		s.renderError(c, &survey.Error{Code: EMETHOD, Message: "This method is not allowed here."})
	})
	s.engine = e
	s.routes()
	return s, nil
}

// Handler returns the server's http.Handler.
func (s *Server) Handler() http.Handler { return s.engine }

// Routes lists every registered route, for tests that check each has a rule.
func (s *Server) Routes() gin.RoutesInfo { return s.engine.Routes() }

func (s *Server) routes() {
	e := s.engine
	e.GET("/healthz", s.healthz)
	e.GET("/readyz", s.readyz)
	e.GET("/static/*file", serveStatic)
	e.GET("/", s.index)

	// Respondents.
	e.GET("/s/:slug", s.showForm)
	e.POST("/s/:slug", s.limitBody, s.submitForm)
	e.GET("/s/:slug/thanks", s.showThanks)

	api := e.Group("/api/v1")
	api.GET("/surveys/:slug/form", s.apiForm)
	api.POST("/surveys/:slug/responses", s.limitBody, s.apiSubmit)

	// The working group, with a bearer token.
	read := api.Group("", s.requireRole(survey.RoleAnalyst))
	read.GET("/surveys", s.apiListSurveys)
	read.GET("/surveys/:slug", s.apiGetSurvey)
	read.GET("/surveys/:slug/responses", s.apiListResponses)
	read.GET("/responses/:id", s.apiGetResponse)
	write := api.Group("", s.requireRole(survey.RoleAdmin))
	write.POST("/surveys", s.limitBody, s.apiCreateSurvey)
	write.POST("/surveys/:slug/publish", s.apiSetStatus(survey.StatusOpen))
	write.POST("/surveys/:slug/close", s.apiSetStatus(survey.StatusClosed))
}
