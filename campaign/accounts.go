package campaign

import (
	"context"
	"strconv"
	"strings"

	"time"

	"github.com/metlib/canvass/survey"
)

// PasswordLinkLifetime is how long an invitation or reset link to choose a
// password stays usable.
const PasswordLinkLifetime = 7 * 24 * time.Hour

// SetupLink is the address at which a password link's secret is used, under
// baseURL (the address people open Canvass at).
func SetupLink(baseURL, secret string) string {
	return strings.TrimSuffix(baseURL, "/") + "/admin/setup?token=" + secret
}

// ErrOwnAccount refuses an admin's demoting or disabling their own account,
// so that the group never loses its last way in by accident.
var ErrOwnAccount = survey.Errorf(survey.EFORBIDDEN, "You cannot demote or disable your own account.")

// ListTokens returns every API token, newest first (admin).
func (s *Service) ListTokens(ctx context.Context) ([]*survey.APIToken, error) {
	if err := require(ctx, survey.RoleAdmin); err != nil {
		return nil, err
	}
	return s.cfg.Tokens.ListTokens(ctx)
}

// CreateToken makes an API token with the role (admin). The secret is
// returned only here: the store keeps its hash, so it cannot be shown again.
func (s *Service) CreateToken(ctx context.Context, name string, role survey.Role) (*survey.APIToken, string, error) {
	if err := require(ctx, survey.RoleAdmin); err != nil {
		return nil, "", err
	}
	name = strings.TrimSpace(name)
	if name == "" || len(name) > 100 || !role.Valid() {
		return nil, "", survey.Errorf(survey.EINVALID, "Give the token a name (up to 100 characters) and a role.")
	}
	if !role.TokenRole() {
		return nil, "", survey.Errorf(survey.EINVALID, "A token is admin or analyst: a %s's regions belong to their account, so coordinators sign in.", role)
	}
	secret, hash := survey.NewTokenSecret()
	t := &survey.APIToken{Name: name, Role: role, Hash: hash, CreatedAt: s.now()}
	if err := s.cfg.Tokens.CreateToken(ctx, t); err != nil {
		return nil, "", err
	}
	s.audit(ctx, "token.create", "token:"+t.ID, name+" ("+string(role)+")")
	return t, secret, nil
}

// RevokeToken revokes the API token with the id (admin); ENOTFOUND if
// there is none.
func (s *Service) RevokeToken(ctx context.Context, id string) error {
	if err := require(ctx, survey.RoleAdmin); err != nil {
		return err
	}
	if err := s.cfg.Tokens.RevokeToken(ctx, id); err != nil {
		return err
	}
	s.audit(ctx, "token.revoke", "token:"+id, "")
	return nil
}

// ListUsers returns every user, by email (admin).
func (s *Service) ListUsers(ctx context.Context) ([]*survey.User, error) {
	if err := require(ctx, survey.RoleAdmin); err != nil {
		return nil, err
	}
	return s.cfg.Users.ListUsers(ctx)
}

// NewUser is an account to create.
type NewUser struct {
	Email, Name string
	Role        survey.Role
	// Regions are a coordinator's IFLA regions (required for one, refused
	// for the other roles).
	Regions []survey.Region
	// Password is the first password; empty to issue an invitation link
	// for the owner to choose it, so that no password passes through an admin.
	Password string
}

// CreateUser adds an account (admin): ECONFLICT when the email is taken,
// EINVALID with the fields' problems when the account does not validate.
// Without a password it returns the secret of a one-time invitation link
// (see SetupLink), valid PasswordLinkLifetime.
func (s *Service) CreateUser(ctx context.Context, nu NewUser) (*survey.User, string, error) {
	if err := require(ctx, survey.RoleAdmin); err != nil {
		return nil, "", err
	}
	email, _ := survey.CheckEmail(strings.TrimSpace(nu.Email))
	u := &survey.User{Email: email, Name: strings.TrimSpace(nu.Name), Role: nu.Role, Regions: survey.NormalizeRegions(nu.Regions)}
	if err := u.Validate(); err != nil {
		return nil, "", err
	}
	if nu.Password != "" {
		if err := survey.CheckNewPassword(nu.Password); err != nil {
			return nil, "", err
		}
		var err error
		if u.PasswordHash, err = survey.HashPasswordContext(ctx, nu.Password); err != nil {
			return nil, "", err
		}
	}
	if err := s.cfg.Users.CreateUser(ctx, u); err != nil {
		return nil, "", err
	}
	details, secret := "role "+roleWithRegions(u.Role, u.Regions), ""
	if nu.Password == "" {
		var err error
		if secret, err = s.passwordLink(ctx, u, "invite"); err != nil {
			return nil, "", err
		}
		details += ", one-time link issued"
	}
	s.audit(ctx, "user.create", "user:"+u.Email, details)
	return u, secret, nil
}

// UpdateUser sets a user's role, their regions (a coordinator's; none for
// the other roles) and whether they are disabled (admin). Disabling signs
// them out everywhere and kills their password links (the store deletes
// those). An admin may not demote or disable themselves (ErrOwnAccount).
// Returns EINVALID with the fields' problems for a role or regions that do
// not validate. A changed role or region applies to the user's next
// request: sessions carry no copy of either.
func (s *Service) UpdateUser(ctx context.Context, id string, role survey.Role, regions []survey.Region, disabled bool) (*survey.User, error) {
	if err := require(ctx, survey.RoleAdmin); err != nil {
		return nil, err
	}
	u, err := s.cfg.Users.FindUserByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if me, _ := survey.ActorFrom(ctx); me.UserID != "" && me.UserID == u.ID && (role != survey.RoleAdmin || disabled) {
		return nil, ErrOwnAccount
	}
	changed := *u
	changed.Role, changed.Regions, changed.Disabled = role, survey.NormalizeRegions(regions), disabled
	if err := changed.Validate(); err != nil {
		return nil, err
	}
	before := roleWithRegions(u.Role, u.Regions) + ", disabled " + strconv.FormatBool(u.Disabled)
	u = &changed
	if err := s.cfg.Users.UpdateUser(ctx, u); err != nil {
		return nil, err
	}
	if disabled {
		if err := s.cfg.Sessions.DeleteUserSessions(ctx, u.ID); err != nil {
			s.log.ErrorContext(ctx, "signing a disabled user out failed", "error", err, "user", u.Email)
		}
	}
	s.audit(ctx, "user.update", "user:"+u.Email, "was "+before+"; now "+roleWithRegions(u.Role, u.Regions)+", disabled "+strconv.FormatBool(disabled))
	return u, nil
}

// IssueResetLink makes a one-time link for the user with the id to choose a
// new password (admin), returning the user and the link's secret (see
// SetupLink). The user stays signed in until they use it.
func (s *Service) IssueResetLink(ctx context.Context, id string) (*survey.User, string, error) {
	if err := require(ctx, survey.RoleAdmin); err != nil {
		return nil, "", err
	}
	u, err := s.cfg.Users.FindUserByID(ctx, id)
	if err != nil {
		return nil, "", err
	}
	secret, err := s.passwordLink(ctx, u, "reset")
	if err != nil {
		return nil, "", err
	}
	s.audit(ctx, "user.reset_link", "user:"+u.Email, "")
	return u, secret, nil
}

// ResetPassword recovers the account with the email (admin; the command
// line's way back in): it sets the password, or with an empty password
// issues a reset link and returns its secret, and signs the user out
// everywhere either way.
func (s *Service) ResetPassword(ctx context.Context, email, password string) (*survey.User, string, error) {
	if err := require(ctx, survey.RoleAdmin); err != nil {
		return nil, "", err
	}
	addr, err := survey.CheckEmail(email)
	if err != nil {
		return nil, "", err
	}
	u, err := s.cfg.Users.FindUserByEmail(ctx, addr)
	if err != nil {
		return nil, "", err
	}
	details, secret := "password set", ""
	if password != "" {
		if err := survey.CheckNewPassword(password); err != nil {
			return nil, "", err
		}
		hash, err := survey.HashPasswordContext(ctx, password)
		if err != nil {
			return nil, "", err
		}
		if err := s.cfg.Users.SetPassword(ctx, u.ID, hash); err != nil {
			return nil, "", err
		}
	}
	if err := s.cfg.Sessions.DeleteUserSessions(ctx, u.ID); err != nil {
		return nil, "", err
	}
	if password == "" {
		if secret, err = s.passwordLink(ctx, u, "reset"); err != nil {
			return nil, "", err
		}
		details = "one-time link issued"
	}
	s.audit(ctx, "user.password_set", "user:"+u.Email, details)
	return u, secret, nil
}

// passwordLink stores a one-time link for the user to choose a password,
// and returns its secret: only the hash is kept.
func (s *Service) passwordLink(ctx context.Context, u *survey.User, purpose string) (string, error) {
	secret, hash := survey.NewSecret()
	now := s.now()
	t := &survey.PasswordToken{Hash: hash, UserID: u.ID, Purpose: purpose, CreatedAt: now, ExpiresAt: now.Add(PasswordLinkLifetime)}
	if err := s.cfg.Passwords.CreatePasswordToken(ctx, t); err != nil {
		return "", err
	}
	return secret, nil
}

// ListAudit returns the audit log's entries that pass the filter, newest
// first, and how many pass it in all (admin).
func (s *Service) ListAudit(ctx context.Context, f survey.AuditFilter) ([]*survey.AuditEntry, int, error) {
	if err := require(ctx, survey.RoleAdmin); err != nil {
		return nil, 0, err
	}
	return s.cfg.Audit.ListAudit(ctx, f)
}

// roleWithRegions is a role as the audit log records it: "analyst", or
// "coordinator of europe, north_america".
func roleWithRegions(role survey.Role, regions []survey.Region) string {
	if len(regions) == 0 {
		return string(role)
	}
	codes := make([]string, len(regions))
	for i, r := range regions {
		codes[i] = string(r)
	}
	return string(role) + " of " + strings.Join(codes, ", ")
}
