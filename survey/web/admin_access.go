package web

import (
	"errors"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/metlib/canvass/campaign"
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
	tokens, err := s.campaign.ListTokens(c.Request.Context())
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
	t, secret, err := s.campaign.CreateToken(c.Request.Context(), c.PostForm("name"), survey.Role(c.PostForm("role")))
	if survey.ErrorCode(err) == survey.EINVALID {
		p.Problem = survey.ErrorMessage(err)
		s.renderTokens(c, http.StatusUnprocessableEntity, p)
		return
	}
	if err != nil {
		s.renderError(c, err)
		return
	}
	p.NewSecret, p.NewName = secret, t.Name
	s.renderTokens(c, http.StatusCreated, p)
}

func (s *Server) revokeToken(c *gin.Context) {
	id := c.Param("id")
	if err := s.campaign.RevokeToken(c.Request.Context(), id); err != nil {
		s.renderError(c, err)
		return
	}
	s.redirectFlash(c, "/admin/tokens", "The token was revoked.", "")
}

type usersPage struct {
	page
	Users    []userRow
	Link     string
	LinkFor  string
	Problems []survey.FieldError
	Email    string
	Name     string
	// NewRole and NewRegions are what the add form had, shown again
	// with its problems.
	NewRole    survey.Role
	NewRegions []regionChoice
	Roles      []survey.Role
}

// userRow is a user with the region checkboxes of their row.
type userRow struct {
	*survey.User
	Regions []regionChoice
}

// regionChoice is one region's checkbox: a coordinator's regions ticked.
type regionChoice struct {
	Value, Label string
	Checked      bool
}

func regionChoices(ticked []survey.Region) []regionChoice {
	out := make([]regionChoice, len(survey.Regions))
	for i, r := range survey.Regions {
		out[i] = regionChoice{string(r), survey.RegionLabels[r].In("en", "en"), slices.Contains(ticked, r)}
	}
	return out
}

// formRegions reads the region checkboxes of a user form.
func formRegions(c *gin.Context) []survey.Region {
	var out []survey.Region
	for _, r := range c.PostFormArray("regions") {
		out = append(out, survey.Region(r))
	}
	return out
}

func (s *Server) listUsersPage(c *gin.Context) {
	s.renderUsers(c, http.StatusOK, usersPage{page: s.adminPage(c, "Users")})
}

func (s *Server) renderUsers(c *gin.Context, status int, p usersPage) {
	users, err := s.campaign.ListUsers(c.Request.Context())
	if err != nil {
		s.renderError(c, err)
		return
	}
	for _, u := range users {
		p.Users = append(p.Users, userRow{u, regionChoices(u.Regions)})
	}
	if p.NewRegions == nil {
		p.NewRegions = regionChoices(nil)
	}
	if p.NewRole == "" {
		p.NewRole = survey.RoleAnalyst
	}
	p.Roles = survey.Roles
	s.renderPage(c, status, "admin_users.html", p)
}

// createUser adds an account and shows a one-time link for its owner to
// choose a password; no password ever passes through the admin.
func (s *Server) createUser(c *gin.Context) {
	p := usersPage{page: s.adminPage(c, "Users"), Email: strings.TrimSpace(c.PostForm("email")), Name: strings.TrimSpace(c.PostForm("name")),
		NewRole: survey.Role(c.PostForm("role")), NewRegions: regionChoices(formRegions(c))}
	u, secret, err := s.campaign.CreateUser(c.Request.Context(), campaign.NewUser{Email: p.Email, Name: p.Name, Role: p.NewRole, Regions: formRegions(c)})
	switch survey.ErrorCode(err) {
	case "":
	case survey.EINVALID:
		p.Problems = survey.ErrorFields(err)
		s.renderUsers(c, http.StatusUnprocessableEntity, p)
		return
	case survey.ECONFLICT:
		p.Problems = []survey.FieldError{{Path: "email", Message: survey.ErrorMessage(err)}}
		s.renderUsers(c, http.StatusConflict, p)
		return
	default:
		s.renderError(c, err)
		return
	}
	s.renderUsers(c, http.StatusCreated, usersPage{page: s.adminPage(c, "Users"), Link: campaign.SetupLink(s.baseURL(c), secret), LinkFor: u.Email})
}

// updateUser changes a user's role and regions or disables them. Refusing
// an admin's own demotion, or regions that do not fit the role, is shown
// on the list, not as an error page.
func (s *Server) updateUser(c *gin.Context) {
	u, err := s.campaign.UpdateUser(c.Request.Context(), c.Param("id"), survey.Role(c.PostForm("role")), formRegions(c), c.PostForm("disabled") == "true")
	if errors.Is(err, campaign.ErrOwnAccount) {
		s.redirectFlash(c, "/admin/users", "", survey.ErrorMessage(err))
		return
	}
	if survey.ErrorCode(err) == survey.EINVALID {
		msg := "Not saved:"
		for _, f := range survey.ErrorFields(err) {
			msg += " " + f.Message
		}
		s.redirectFlash(c, "/admin/users", "", msg)
		return
	}
	if err != nil {
		s.renderError(c, err)
		return
	}
	s.redirectFlash(c, "/admin/users", "Saved "+u.Email+".", "")
}

// resetUserPassword makes a one-time link for a user to choose a new password.
func (s *Server) resetUserPassword(c *gin.Context) {
	u, secret, err := s.campaign.IssueResetLink(c.Request.Context(), c.Param("id"))
	if err != nil {
		s.renderError(c, err)
		return
	}
	s.renderUsers(c, http.StatusOK, usersPage{page: s.adminPage(c, "Users"), Link: campaign.SetupLink(s.baseURL(c), secret), LinkFor: u.Email})
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
	// Actions are the choices of the action filter: every action the log
	// records, by its label (the code is the value the filter sends).
	Actions []regionOption
}

// auditActionOptions are the action filter's choices, chosen (the filter's
// current value) kept even when it is not one of the known actions.
func auditActionOptions(lang, chosen string) []regionOption {
	out := make([]regionOption, 0, len(auditActions)+1)
	known := false
	for _, a := range auditActions {
		out = append(out, regionOption{a, codeLabel(lang, "audit_action", a)})
		known = known || a == chosen
	}
	if chosen != "" && !known {
		out = append(out, regionOption{chosen, chosen})
	}
	return out
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
	p.Actions = auditActionOptions(p.Lang, p.Action)
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
	p.Entries, p.Total, err = s.campaign.ListAudit(c.Request.Context(), f)
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
	entries, total, err := s.campaign.ListAudit(c.Request.Context(), f)
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
