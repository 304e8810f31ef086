package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/metlib/canvass/survey"
)

type tokensPage struct {
	page
	Tokens    []*survey.APIToken
	NewSecret string
	NewName   string
	Problem   string
}

func (s *Server) listTokensPage(c *gin.Context) {
	s.renderTokens(c, http.StatusOK, tokensPage{page: s.adminPage(c, "API tokens")})
}

func (s *Server) renderTokens(c *gin.Context, status int, p tokensPage) {
	tokens, err := s.cfg.Tokens.ListTokens(c.Request.Context())
	if err != nil {
		s.renderError(c, err)
		return
	}
	p.Tokens = tokens
	s.renderPage(c, status, "admin_tokens.html", p)
}

// createToken shows the new token's secret once, on this response only.
func (s *Server) createToken(c *gin.Context) {
	p := tokensPage{page: s.adminPage(c, "API tokens")}
	name := strings.TrimSpace(c.PostForm("name"))
	role := survey.Role(c.PostForm("role"))
	if name == "" || len(name) > 100 || !role.Valid() {
		p.Problem = "Give the token a name (up to 100 characters) and a role."
		s.renderTokens(c, http.StatusUnprocessableEntity, p)
		return
	}
	secret, hash := survey.NewTokenSecret()
	t := &survey.APIToken{Name: name, Role: role, Hash: hash, CreatedAt: s.now()}
	if err := s.cfg.Tokens.CreateToken(c.Request.Context(), t); err != nil {
		s.renderError(c, err)
		return
	}
	s.audit(c, "token.create", "token:"+t.ID, name+" ("+string(role)+")")
	p.NewSecret, p.NewName = secret, name
	s.renderTokens(c, http.StatusCreated, p)
}

func (s *Server) revokeToken(c *gin.Context) {
	id := c.Param("id")
	if err := s.cfg.Tokens.RevokeToken(c.Request.Context(), id); err != nil {
		s.renderError(c, err)
		return
	}
	s.audit(c, "token.revoke", "token:"+id, "")
	c.Redirect(http.StatusSeeOther, "/admin/tokens?done="+url.QueryEscape("The token was revoked."))
}

type usersPage struct {
	page
	Users    []*survey.User
	Link     string
	LinkFor  string
	Problems []survey.FieldError
	Email    string
	Name     string
}

func (s *Server) listUsersPage(c *gin.Context) {
	s.renderUsers(c, http.StatusOK, usersPage{page: s.adminPage(c, "Users")})
}

func (s *Server) renderUsers(c *gin.Context, status int, p usersPage) {
	users, err := s.cfg.Users.ListUsers(c.Request.Context())
	if err != nil {
		s.renderError(c, err)
		return
	}
	p.Users = users
	s.renderPage(c, status, "admin_users.html", p)
}

// createUser adds an account and shows a one-time link for its owner to
// choose a password; no password ever passes through the admin.
func (s *Server) createUser(c *gin.Context) {
	p := usersPage{page: s.adminPage(c, "Users"), Email: strings.TrimSpace(c.PostForm("email")), Name: strings.TrimSpace(c.PostForm("name"))}
	email, _ := survey.CheckEmail(p.Email)
	u := &survey.User{Email: email, Name: p.Name, Role: survey.Role(c.PostForm("role"))}
	if err := u.Validate(); err != nil {
		p.Problems = survey.ErrorFields(err)
		s.renderUsers(c, http.StatusUnprocessableEntity, p)
		return
	}
	if err := s.cfg.Users.CreateUser(c.Request.Context(), u); err != nil {
		if survey.ErrorCode(err) == survey.ECONFLICT {
			p.Problems = []survey.FieldError{{Path: "email", Message: survey.ErrorMessage(err)}}
			s.renderUsers(c, http.StatusConflict, p)
			return
		}
		s.renderError(c, err)
		return
	}
	link, err := s.passwordLink(c, u, "invite")
	if err != nil {
		s.renderError(c, err)
		return
	}
	s.audit(c, "user.create", "user:"+u.Email, "role "+string(u.Role))
	s.renderUsers(c, http.StatusCreated, usersPage{page: s.adminPage(c, "Users"), Link: link, LinkFor: u.Email})
}

// updateUser changes a user's role or disables them. An admin cannot demote
// or disable themselves, so the group never loses its last way in by accident.
func (s *Server) updateUser(c *gin.Context) {
	ctx := c.Request.Context()
	u, err := s.cfg.Users.FindUserByID(ctx, c.Param("id"))
	if err != nil {
		s.renderError(c, err)
		return
	}
	role := survey.Role(c.PostForm("role"))
	disabled := c.PostForm("disabled") == "true"
	if !role.Valid() {
		s.renderError(c, survey.Errorf(survey.EINVALID, "The role must be admin or analyst."))
		return
	}
	if me := principalOf(c); me.User != nil && me.User.ID == u.ID && (role != survey.RoleAdmin || disabled) {
		c.Redirect(http.StatusSeeOther, "/admin/users?problem="+url.QueryEscape("You cannot demote or disable your own account."))
		return
	}
	before := string(u.Role) + ", disabled " + strconv.FormatBool(u.Disabled)
	u.Role, u.Disabled = role, disabled
	if err := s.cfg.Users.UpdateUser(ctx, u); err != nil {
		s.renderError(c, err)
		return
	}
	if disabled {
		_ = s.cfg.Sessions.DeleteUserSessions(ctx, u.ID)
	}
	s.audit(c, "user.update", "user:"+u.Email, "was "+before+"; now "+string(role)+", disabled "+strconv.FormatBool(disabled))
	c.Redirect(http.StatusSeeOther, "/admin/users?done="+url.QueryEscape("Saved "+u.Email+"."))
}

// resetUserPassword makes a one-time link for a user to choose a new password.
func (s *Server) resetUserPassword(c *gin.Context) {
	u, err := s.cfg.Users.FindUserByID(c.Request.Context(), c.Param("id"))
	if err != nil {
		s.renderError(c, err)
		return
	}
	link, err := s.passwordLink(c, u, "reset")
	if err != nil {
		s.renderError(c, err)
		return
	}
	s.audit(c, "user.reset_link", "user:"+u.Email, "")
	s.renderUsers(c, http.StatusOK, usersPage{page: s.adminPage(c, "Users"), Link: link, LinkFor: u.Email})
}

type auditPage struct {
	page
	Entries          []*survey.AuditEntry
	Total, Page      int
	PrevURL          string
	NextURL          string
	Actor, Action    string
	Target, From, To string
	Problem          string
}

// auditFilter reads the audit filters from the query string.
func auditFilter(c *gin.Context) (survey.AuditFilter, error) {
	var f survey.AuditFilter
	var err error
	for _, p := range []struct {
		name string
		dst  *string
	}{{"actor", &f.Actor}, {"action", &f.Action}, {"target", &f.Target}} {
		if *p.dst, err = textParam(c, p.name); err != nil {
			return f, err
		}
	}
	f.From, f.To, err = dateRange(c.Query("from"), c.Query("to"))
	return f, err
}

func (s *Server) auditPage(c *gin.Context) {
	p := auditPage{page: s.adminPage(c, "Audit log"), Actor: c.Query("actor"), Action: c.Query("action"), Target: c.Query("target"), From: c.Query("from"), To: c.Query("to")}
	f, err := auditFilter(c)
	if err != nil {
		p.Problem = survey.ErrorMessage(err)
		s.renderPage(c, http.StatusBadRequest, "admin_audit.html", p)
		return
	}
	const perPage = 100
	if p.Page, err = pageParam(c); err != nil {
		p.Problem = survey.ErrorMessage(err)
		s.renderPage(c, http.StatusBadRequest, "admin_audit.html", p)
		return
	}
	f.Offset, f.Limit = (p.Page-1)*perPage, perPage
	p.Entries, p.Total, err = s.cfg.Audit.ListAudit(c.Request.Context(), f)
	if err != nil {
		s.renderError(c, err)
		return
	}
	p.PrevURL, p.NextURL = pageLinks(c, p.Page, perPage, p.Total)
	s.renderPage(c, http.StatusOK, "admin_audit.html", p)
}

// apiListAudit returns audit entries, newest first (admin).
func (s *Server) apiListAudit(c *gin.Context) {
	f, err := auditFilter(c)
	if err != nil {
		s.renderError(c, err)
		return
	}
	page, perPage, err := paging(c)
	if err != nil {
		s.renderError(c, err)
		return
	}
	f.Offset, f.Limit = (page-1)*perPage, perPage
	entries, total, err := s.cfg.Audit.ListAudit(c.Request.Context(), f)
	if err != nil {
		s.renderError(c, err)
		return
	}
	type entry struct {
		At      time.Time `json:"at"`
		Actor   string    `json:"actor"`
		Action  string    `json:"action"`
		Target  string    `json:"target"`
		Details string    `json:"details,omitempty"`
	}
	out := make([]entry, len(entries))
	for i, e := range entries {
		out[i] = entry{e.At, e.Actor, e.Action, e.Target, e.Details}
	}
	c.JSON(http.StatusOK, gin.H{"entries": out, "page": page, "per_page": perPage, "total": total})
}
