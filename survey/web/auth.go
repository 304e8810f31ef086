package web

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/metlib/canvass/survey"
)

const (
	principalKey  = "principal"
	sessionCookie = "canvass_session"
	// touchInterval limits how often a token's or session's last use is written.
	touchInterval = time.Minute
)

// principal is who is making a request: a signed-in user or an API token.
type principal struct {
	User    *survey.User
	Token   *survey.APIToken
	Role    survey.Role
	Session *survey.Session
}

// actor names the principal in the audit log.
func (p *principal) actor() string {
	if p.User != nil {
		return p.User.Email
	}
	return "token:" + p.Token.Name
}

// asActor is the principal as the use cases see it (survey.ActorFrom).
func (p *principal) asActor() survey.Actor {
	a := survey.Actor{Name: p.actor(), Role: p.Role}
	if p.User != nil {
		a.UserID = p.User.ID
		if p.Role == survey.RoleCoordinator {
			a.Regions = p.User.Regions
		}
	}
	return a
}

// setPrincipal records who is asking, for the handlers (principalOf) and,
// in the request's context, for the use cases (survey.ActorFrom): the one
// place the actor is put into the context.
func setPrincipal(c *gin.Context, p *principal) {
	c.Set(principalKey, p)
	c.Request = c.Request.WithContext(survey.WithActor(c.Request.Context(), p.asActor()))
}

func principalOf(c *gin.Context) *principal {
	p, _ := c.Get(principalKey)
	pr, _ := p.(*principal)
	return pr
}

// authenticate finds who is asking, from a bearer token or a session
// cookie, without requiring anyone: public routes share the groups.
// An invalid token is refused at once (401), never treated as anonymous.
func (s *Server) authenticate(c *gin.Context) {
	ctx := c.Request.Context()
	if header := c.GetHeader("Authorization"); header != "" {
		secret, ok := strings.CutPrefix(header, "Bearer ")
		tok, err := s.cfg.Tokens.FindTokenByHash(ctx, survey.HashToken(secret))
		if !ok || survey.ErrorCode(err) == survey.ENOTFOUND || (err == nil && tok.RevokedAt != nil) {
			c.Header("WWW-Authenticate", `Bearer realm="canvass", error="invalid_token"`)
			s.renderError(c, survey.Errorf(survey.EUNAUTHORIZED, "The API token is not valid."))
			return
		}
		if err != nil {
			s.renderError(c, err)
			return
		}
		s.touchLater(tok.LastUsedAt, func(ctx context.Context, now time.Time) error { return s.cfg.Tokens.TouchToken(ctx, tok.ID, now) })
		setPrincipal(c, &principal{Token: tok, Role: tok.Role})
		c.Next()
		return
	}
	if cookie, err := c.Cookie(sessionCookie); err == nil && cookie != "" {
		p, err := s.sessionPrincipal(ctx, cookie)
		switch {
		case err == nil:
			setPrincipal(c, p)
		case survey.ErrorCode(err) == survey.EUNAVAILABLE:
			s.renderError(c, err)
			return
		default:
			s.clearSessionCookie(c) // expired or unknown: the browser is signed out
		}
	}
	c.Next()
}

// sessionPrincipal resolves a session cookie. Expired sessions are deleted.
func (s *Server) sessionPrincipal(ctx context.Context, cookie string) (*principal, error) {
	hash := survey.HashSecret(cookie)
	sess, err := s.cfg.Sessions.FindSession(ctx, hash)
	if err != nil {
		return nil, err
	}
	now := s.now()
	if !sess.ActiveAt(now) {
		_ = s.cfg.Sessions.DeleteSession(ctx, hash)
		return nil, survey.Errorf(survey.EUNAUTHORIZED, "The session has expired.")
	}
	user, err := s.cfg.Users.FindUserByID(ctx, sess.UserID)
	if err != nil || user.Disabled {
		_ = s.cfg.Sessions.DeleteSession(ctx, hash)
		return nil, survey.Errorf(survey.EUNAUTHORIZED, "The account is not available.")
	}
	last := sess.LastSeenAt
	s.touchLater(&last, func(ctx context.Context, at time.Time) error { return s.cfg.Sessions.TouchSession(ctx, hash, at) })
	return &principal{User: user, Role: user.Role, Session: sess}, nil
}

// touchLater records a last use off the request path, at most once a
// minute: a lost write loses only a timestamp.
func (s *Server) touchLater(last *time.Time, write func(context.Context, time.Time) error) {
	now := s.now()
	if last != nil && now.Sub(*last) < touchInterval {
		return
	}
	s.background.Add(1)
	go func() {
		defer s.background.Done()
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = write(ctx, now)
	}()
}

// require admits principals whose role allows one of need. Anonymous
// browsers on pages are sent to the login page; API clients get 401;
// another role gets 403. (Which objects a coordinator may reach is the use
// cases' to decide, from the actor's regions: see campaign/scope.go.) Cookie-authenticated API calls that change something must come
// from our own pages (Origin or Referer), so another site cannot ride on the
// cookie.
func (s *Server) require(need ...survey.Role) gin.HandlerFunc {
	return func(c *gin.Context) {
		p := principalOf(c)
		if p == nil {
			if wantsJSON(c) {
				c.Header("WWW-Authenticate", `Bearer realm="canvass"`)
				s.renderError(c, survey.Errorf(survey.EUNAUTHORIZED, "Sign in, or send an API token as Authorization: Bearer TOKEN."))
				return
			}
			next := c.Request.URL.RequestURI()
			if c.Request.Method != http.MethodGet {
				next = "/admin"
			}
			c.Redirect(http.StatusSeeOther, "/admin/login?next="+url.QueryEscape(next))
			c.Abort()
			return
		}
		if !slices.ContainsFunc(need, p.Role.Allows) {
			s.renderError(c, survey.Errorf(survey.EFORBIDDEN, "%s", p.Role.Refusal()))
			return
		}
		if p.Session != nil && wantsJSON(c) && !safeMethod(c.Request.Method) && !s.sameOrigin(c) {
			s.renderError(c, survey.Errorf(survey.EFORBIDDEN, "Cross-site request refused: send an Origin or Referer of this site, or use an API token."))
			return
		}
		c.Next()
	}
}

func safeMethod(m string) bool {
	return m == http.MethodGet || m == http.MethodHead || m == http.MethodOptions
}

// sameOrigin reports whether the request's Origin (or, failing that, its
// Referer) is this server: CANVASS_BASE_URL's origin, or the Host it was sent to.
func (s *Server) sameOrigin(c *gin.Context) bool {
	source := c.GetHeader("Origin")
	if source == "" || source == "null" {
		source = c.GetHeader("Referer")
	}
	u, err := url.Parse(source)
	if err != nil || u.Host == "" {
		return false
	}
	if s.cfg.BaseURL != "" {
		base, err := url.Parse(s.cfg.BaseURL)
		return err == nil && strings.EqualFold(base.Scheme, u.Scheme) && strings.EqualFold(base.Host, u.Host)
	}
	return strings.EqualFold(u.Host, c.Request.Host)
}

// checkCSRF refuses state-changing requests to the admin pages without the
// form's CSRF token (or the X-CSRF-Token header). It runs after the role
// check (server.go), so a body is read only for someone allowed to post it.
func (s *Server) checkCSRF(c *gin.Context) {
	if safeMethod(c.Request.Method) {
		c.Next()
		return
	}
	switch ok, err := s.csrfValid(c); {
	case err != nil:
		s.renderError(c, err)
		return
	case !ok:
		s.renderError(c, survey.KeyedErrorf(survey.EFORBIDDEN, "form_expired", "The form had expired. Go back, reload the page and try again."))
		return
	}
	// A token in the X-CSRF-Token header leaves the form unread, and the
	// handlers' PostForm would swallow a read error: an oversized body
	// would reach the sign-in as an empty email, a counted attempt and a
	// hashed dummy password. Reading it here makes it a 413 (or a 400)
	// before any handler runs; the handlers then find it parsed.
	if err := s.readForm(c); err != nil {
		s.renderError(c, err)
		return
	}
	c.Next()
}

// startSession signs a user in with a new session id (never reusing one the
// browser had, which prevents session fixation) and sets the cookie.
func (s *Server) startSession(c *gin.Context, user *survey.User) error {
	ctx := c.Request.Context()
	if old, err := c.Cookie(sessionCookie); err == nil && old != "" {
		_ = s.cfg.Sessions.DeleteSession(ctx, survey.HashSecret(old))
	}
	secret, hash := survey.NewSecret()
	now := s.now()
	sess := &survey.Session{Hash: hash, UserID: user.ID, CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(survey.SessionAbsoluteTimeout)}
	if err := s.cfg.Sessions.CreateSession(ctx, sess); err != nil {
		return err
	}
	_ = s.cfg.Users.RecordLogin(ctx, user.ID, now)
	http.SetCookie(c.Writer, &http.Cookie{
		Name: sessionCookie, Value: secret, Path: "/", HttpOnly: true,
		Secure: s.secureCookies || c.Request.TLS != nil, SameSite: http.SameSiteLaxMode,
		MaxAge: int(survey.SessionAbsoluteTimeout.Seconds()),
	})
	return nil
}

func (s *Server) clearSessionCookie(c *gin.Context) {
	http.SetCookie(c.Writer, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", HttpOnly: true,
		Secure: s.secureCookies || c.Request.TLS != nil, SameSite: http.SameSiteLaxMode, MaxAge: -1})
}

// audit records a change by the request's principal. A failure to write the
// audit log is logged, not shown: the change itself has happened.
func (s *Server) audit(c *gin.Context, action, target, details string) {
	actor := "anonymous"
	if p := principalOf(c); p != nil {
		actor = p.actor()
	}
	s.auditAs(c, actor, action, target, details)
}

func (s *Server) auditAs(c *gin.Context, actor, action, target, details string) {
	e := &survey.AuditEntry{At: s.now(), Actor: actor, Action: action, Target: target, Details: details}
	if err := s.cfg.Audit.RecordAudit(c.Request.Context(), e); err != nil {
		s.log.ErrorContext(c.Request.Context(), "audit log write failed", "error", err, "action", action, "target", target)
	}
}
