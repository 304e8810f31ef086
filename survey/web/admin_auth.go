package web

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/metlib/canvass/survey"
)

// setupLinkLifetime is how long the first admin's setup link lasts;
// invitation and reset links last campaign.PasswordLinkLifetime.
const setupLinkLifetime = 24 * time.Hour

// badLogin is the one message for an unknown email, a wrong password and a
// disabled account, so the form does not reveal which accounts exist.
const badLogin = "The email or password is not right."

type loginPage struct {
	page
	Email, Next, Error string
}

func (s *Server) showLogin(c *gin.Context) {
	if principalOf(c) != nil {
		c.Redirect(http.StatusSeeOther, "/admin")
		return
	}
	s.renderPage(c, http.StatusOK, "admin_login.html", loginPage{page: s.adminPage(c, "Sign in"), Next: localNext(c.Query("next"))})
}

// localNext keeps redirects after login on our own admin pages.
func localNext(next string) string {
	if strings.HasPrefix(next, "/admin") && !strings.HasPrefix(next, "//") && !strings.ContainsAny(next, "\\\r\n") {
		return next
	}
	return "/admin"
}

// loginBusyRetry is the Retry-After of a sign-in refused because the
// attempt could not be counted or no hashing slot was free.
const loginBusyRetry = "5"

// login counts the attempt against the address and the account before the
// password is checked (so concurrent guesses cannot outrun the count),
// checks it in a bounded hashing slot, and clears the account's count on
// success. Whenever the count cannot be kept the sign-in is refused (503):
// a limiter that fails open is no limiter.
func (s *Server) login(c *gin.Context) {
	ctx := c.Request.Context()
	email := strings.ToLower(strings.TrimSpace(c.PostForm("email")))
	next := localNext(c.PostForm("next"))
	fail := func(status int, msg string) {
		s.renderPage(c, status, "admin_login.html", loginPage{page: s.adminPage(c, "Sign in"), Email: email, Next: next, Error: msg})
	}
	busy := func(err error) {
		s.log.ErrorContext(ctx, "sign-in refused: attempt not counted or no hashing slot", "error", err)
		c.Header("Retry-After", loginBusyRetry)
		fail(http.StatusServiceUnavailable, "Signing in is not possible right now. Try again in a few seconds.")
	}
	var reserved []string
	release := func() {
		for _, id := range reserved {
			if err := s.cfg.Logins.ReleaseLogin(ctx, id); err != nil {
				s.log.ErrorContext(ctx, "release login attempt", "error", err)
			}
		}
	}
	for _, key := range []string{"ip:" + c.ClientIP(), "email:" + email} {
		id, wait, err := s.cfg.Logins.ReserveLogin(ctx, key, s.now())
		if err != nil {
			busy(err)
			return
		}
		if wait > 0 {
			if strings.HasPrefix(key, "email:") {
				// The address's attempt stays counted: it was a try at a locked account.
				s.auditAs(c, email, "user.login_blocked", "user:"+email, "from "+c.ClientIP())
			}
			c.Header("Retry-After", strconv.Itoa(int(wait.Seconds())+1))
			fail(http.StatusTooManyRequests, "Too many failed sign-ins. Try again in "+wait.Round(time.Minute).String()+".")
			return
		}
		reserved = append(reserved, id)
	}
	user, err := s.cfg.Users.FindUserByEmail(ctx, email)
	if err != nil && survey.ErrorCode(err) != survey.ENOTFOUND {
		// Under a burst of sign-ins the store may fail in ways other than a
		// timeout (the embedded server's SQLite reports a busy database as a
		// command error): the password was not checked, so the attempt does
		// not count, and the answer is the same "try again shortly" as when
		// no attempt could be counted — never a 500.
		release()
		busy(err)
		return
	}
	hash := ""
	if user != nil {
		hash = user.PasswordHash
	}
	ok, err := survey.CheckPasswordOrDummyContext(ctx, hash, c.PostForm("password"))
	if err != nil {
		release() // the password was not checked, so the attempt does not count
		busy(err)
		return
	}
	if !ok || user.Disabled {
		s.auditAs(c, email, "user.login_failed", "user:"+email, "from "+c.ClientIP())
		fail(http.StatusUnauthorized, badLogin)
		return
	}
	release() // a success does not count against the address
	if err := s.cfg.Logins.LoginSucceeded(ctx, "email:"+email); err != nil {
		s.log.ErrorContext(ctx, "clear login attempts", "error", err)
	}
	if err := s.startSession(c, user); err != nil {
		s.renderError(c, err)
		return
	}
	s.auditAs(c, user.Email, "user.login", "user:"+user.Email, "from "+c.ClientIP())
	c.Redirect(http.StatusSeeOther, next)
}

func (s *Server) logout(c *gin.Context) {
	if cookie, err := c.Cookie(sessionCookie); err == nil && cookie != "" {
		_ = s.cfg.Sessions.DeleteSession(c.Request.Context(), survey.HashSecret(cookie))
	}
	if p := principalOf(c); p != nil && p.User != nil {
		s.audit(c, "user.logout", "user:"+p.User.Email, "")
	}
	s.clearSessionCookie(c)
	s.redirectFlash(c, "/admin/login", "You are signed out.", "")
}

// IssueSetupLink returns a one-time link for the first admin to choose a
// password, when there are no users and no unexpired link has been issued.
// issued is false when a link exists already (only its hash is stored, so
// it cannot be shown again) or when users exist.
func (s *Server) IssueSetupLink(ctx context.Context, baseURL string) (link string, issued bool, err error) {
	n, err := s.cfg.Users.CountUsers(ctx)
	if err != nil || n > 0 {
		return "", false, err
	}
	secret, hash := survey.NewSecret()
	now := s.now()
	err = s.cfg.Passwords.CreatePasswordToken(ctx, &survey.PasswordToken{Hash: hash, Purpose: "setup", CreatedAt: now, ExpiresAt: now.Add(setupLinkLifetime)})
	if survey.ErrorCode(err) == survey.ECONFLICT {
		return "", false, nil
	}
	if err != nil {
		return "", false, err
	}
	return strings.TrimSuffix(baseURL, "/") + "/admin/setup?token=" + secret, true, nil
}

// baseURL is CANVASS_BASE_URL, or the scheme and host the request came to.
func (s *Server) baseURL(c *gin.Context) string {
	if s.cfg.BaseURL != "" {
		return strings.TrimSuffix(s.cfg.BaseURL, "/")
	}
	scheme := "http"
	if c.Request.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + c.Request.Host
}

// errLinkInvalid is the one answer for a password link that cannot be used,
// whatever the reason (the store's message for unknown and used links).
var errLinkInvalid = survey.Errorf(survey.ENOTFOUND, "This link is not valid. It may have expired or been used already.")

type passwordPage struct {
	page
	Token, Purpose, Email, Name, Error string
	Problems                           []survey.FieldError
}

// showSetPassword is the page behind a one-time link: the first admin's
// setup, an invitation, or a reset. A wrong, used or expired link gets one
// message for all three.
func (s *Server) showSetPassword(c *gin.Context) {
	token := c.Query("token")
	t, err := s.cfg.Passwords.PeekPasswordToken(c.Request.Context(), survey.HashSecret(token), s.now())
	if err != nil {
		s.renderError(c, err)
		return
	}
	p := passwordPage{page: s.adminPage(c, "Choose a password"), Token: token, Purpose: t.Purpose}
	if t.UserID != "" {
		u, err := s.cfg.Users.FindUserByID(c.Request.Context(), t.UserID)
		if err == nil && u.Disabled {
			err = errLinkInvalid
		}
		if err != nil {
			s.renderError(c, err)
			return
		}
		p.Email, p.Name = u.Email, u.Name
	}
	s.renderPage(c, http.StatusOK, "admin_password.html", p)
}

func (s *Server) setPassword(c *gin.Context) {
	ctx := c.Request.Context()
	token := c.PostForm("token")
	hash := survey.HashSecret(token)
	t, err := s.cfg.Passwords.PeekPasswordToken(ctx, hash, s.now())
	if err != nil {
		s.renderError(c, err)
		return
	}
	p := passwordPage{page: s.adminPage(c, "Choose a password"), Token: token, Purpose: t.Purpose,
		Email: strings.TrimSpace(c.PostForm("email")), Name: strings.TrimSpace(c.PostForm("name"))}
	password := c.PostForm("password")
	if err := survey.CheckNewPassword(password); err != nil {
		p.Problems = survey.ErrorFields(err)
	} else if password != c.PostForm("password_again") {
		p.Problems = []survey.FieldError{{Path: "password_again", Message: "The two passwords differ."}}
	}
	var user *survey.User
	if t.Purpose == "setup" {
		email, err := survey.CheckEmail(p.Email)
		if err != nil {
			p.Problems = append(p.Problems, survey.FieldError{Path: "email", Message: survey.ErrorMessage(err)})
		}
		user = &survey.User{Email: email, Name: p.Name, Role: survey.RoleAdmin}
	} else if user, err = s.cfg.Users.FindUserByID(ctx, t.UserID); err != nil || user.Disabled {
		if err == nil {
			err = errLinkInvalid
		}
		s.renderError(c, err)
		return
	}
	if len(p.Problems) > 0 {
		s.renderPage(c, http.StatusUnprocessableEntity, "admin_password.html", p)
		return
	}
	// Only now use the link up, so a typo does not waste it.
	if _, err := s.cfg.Passwords.TakePasswordToken(ctx, hash, s.now()); err != nil {
		s.renderError(c, err)
		return
	}
	if user.PasswordHash, err = survey.HashPasswordContext(ctx, password); err != nil {
		s.renderError(c, err)
		return
	}
	if t.Purpose == "setup" {
		if n, err := s.cfg.Users.CountUsers(ctx); err != nil || n > 0 {
			s.renderError(c, survey.Errorf(survey.ECONFLICT, "Canvass has been set up already; sign in instead."))
			return
		}
		if err := s.cfg.Users.CreateUser(ctx, user); err != nil {
			s.renderError(c, err)
			return
		}
	} else {
		if err := s.cfg.Users.SetPassword(ctx, user.ID, user.PasswordHash); err != nil {
			s.renderError(c, err)
			return
		}
		_ = s.cfg.Sessions.DeleteUserSessions(ctx, user.ID)
	}
	if err := s.startSession(c, user); err != nil {
		s.renderError(c, err)
		return
	}
	s.auditAs(c, user.Email, "user.password_set", "user:"+user.Email, "by "+t.Purpose+" link")
	s.redirectFlash(c, "/admin", "Your password is set. Welcome to Canvass.", "")
}

type accountPage struct {
	page
	Problems []survey.FieldError
}

func (s *Server) showAccount(c *gin.Context) {
	// An API token is a principal without a user: there is no account to
	// show (nor a password to change), so say so rather than fail in the template.
	if principalOf(c).User == nil {
		s.renderError(c, survey.Errorf(survey.EFORBIDDEN, "This page is for signed-in users; API tokens have no account."))
		return
	}
	s.renderPage(c, http.StatusOK, "admin_account.html", accountPage{page: s.adminPage(c, "Your account")})
}

// changePassword needs the current password; it signs the user out
// everywhere else.
func (s *Server) changePassword(c *gin.Context) {
	p := principalOf(c)
	if p.User == nil {
		s.renderError(c, survey.Errorf(survey.EFORBIDDEN, "API tokens have no password."))
		return
	}
	page := accountPage{page: s.adminPage(c, "Your account")}
	password := c.PostForm("password")
	current, err := survey.CheckPasswordContext(c.Request.Context(), p.User.PasswordHash, c.PostForm("current_password"))
	if err != nil {
		s.renderError(c, err)
		return
	}
	switch {
	case !current:
		page.Problems = []survey.FieldError{{Path: "current_password", Message: "Your current password is not right."}}
	case password != c.PostForm("password_again"):
		page.Problems = []survey.FieldError{{Path: "password_again", Message: "The two passwords differ."}}
	default:
		page.Problems = survey.ErrorFields(survey.CheckNewPassword(password))
	}
	if len(page.Problems) > 0 {
		s.renderPage(c, http.StatusUnprocessableEntity, "admin_account.html", page)
		return
	}
	ctx := c.Request.Context()
	hash, err := survey.HashPasswordContext(ctx, password)
	if err != nil {
		s.renderError(c, err)
		return
	}
	if err := s.cfg.Users.SetPassword(ctx, p.User.ID, hash); err != nil {
		s.renderError(c, err)
		return
	}
	_ = s.cfg.Sessions.DeleteUserSessions(ctx, p.User.ID)
	if err := s.startSession(c, p.User); err != nil {
		s.renderError(c, err)
		return
	}
	s.audit(c, "user.password_change", "user:"+p.User.Email, "")
	s.redirectFlash(c, "/admin/account", "Your password has been changed; other sessions were signed out.", "")
}
