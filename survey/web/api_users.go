package web

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/metlib/canvass/campaign"
	"github.com/metlib/canvass/survey"
)

// The working group's accounts through the API (admins): the same use
// cases as the users page and `canvass user`. No password passes through
// here: a new account gets a one-time link for its owner.

type userJSON struct {
	ID          string          `json:"id"`
	Email       string          `json:"email"`
	Name        string          `json:"name,omitempty"`
	Role        survey.Role     `json:"role"`
	Regions     []survey.Region `json:"regions"`
	Disabled    bool            `json:"disabled"`
	LastLoginAt *time.Time      `json:"last_login_at,omitempty"`
}

func toUserJSON(u *survey.User) userJSON {
	regions := u.Regions
	if regions == nil {
		regions = []survey.Region{}
	}
	return userJSON{u.ID, u.Email, u.Name, u.Role, regions, u.Disabled, u.LastLoginAt}
}

// apiListUsers lists every account, by email.
func (s *Server) apiListUsers(c *gin.Context) {
	users, err := s.campaign.ListUsers(c.Request.Context())
	if err != nil {
		s.renderError(c, err)
		return
	}
	out := make([]userJSON, len(users))
	for i, u := range users {
		out[i] = toUserJSON(u)
	}
	c.JSON(http.StatusOK, gin.H{"users": out})
}

// apiCreateUser creates an account from {"email", "name", "role",
// "regions"} and answers it with "setup_link", the one-time link (valid
// seven days) for its owner to choose a password.
func (s *Server) apiCreateUser(c *gin.Context) {
	var body struct {
		Email   string          `json:"email"`
		Name    string          `json:"name"`
		Role    survey.Role     `json:"role"`
		Regions []survey.Region `json:"regions"`
	}
	if err := decodeJSON(c.Request.Body, &body); err != nil {
		s.renderError(c, err)
		return
	}
	u, secret, err := s.campaign.CreateUser(c.Request.Context(), campaign.NewUser{Email: body.Email, Name: body.Name, Role: body.Role, Regions: body.Regions})
	if err != nil {
		s.renderError(c, err)
		return
	}
	c.Header("Location", "/api/v1/users/"+u.ID)
	c.JSON(http.StatusCreated, gin.H{"user": toUserJSON(u), "setup_link": campaign.SetupLink(s.baseURL(c), secret)})
}

// apiUpdateUser sets an account's {"role", "regions", "disabled"}; all
// three are required, so that a missing field never changes anything by
// accident.
func (s *Server) apiUpdateUser(c *gin.Context) {
	var body struct {
		Role     survey.Role     `json:"role"`
		Regions  []survey.Region `json:"regions"`
		Disabled *bool           `json:"disabled"`
	}
	if err := decodeJSON(c.Request.Body, &body); err != nil {
		s.renderError(c, err)
		return
	}
	if body.Disabled == nil {
		s.renderError(c, &survey.Error{Code: survey.EINVALID, Message: "Say whether the account is disabled.", Fields: []survey.FieldError{{Path: "disabled", Message: "disabled is true or false."}}})
		return
	}
	u, err := s.campaign.UpdateUser(c.Request.Context(), c.Param("id"), body.Role, body.Regions, *body.Disabled)
	if err != nil {
		s.renderError(c, err)
		return
	}
	c.JSON(http.StatusOK, toUserJSON(u))
}
