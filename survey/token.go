package survey

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"strings"
	"time"
)

// Role is what a working-group member or token may do.
type Role string

// The roles: an admin does everything; an analyst reads responses, analysis
// and exports but changes nothing; a coordinator looks after the libraries
// of one or more IFLA regions (User.Regions): their directory entries and
// contacts, inviting and reminding them and following their tracking, and
// sees nothing of other regions and only their regions' responses.
const (
	RoleAdmin       Role = "admin"
	RoleAnalyst     Role = "analyst"
	RoleCoordinator Role = "coordinator"
)

// Roles lists the roles, widest first (the order forms offer them in).
var Roles = []Role{RoleAdmin, RoleAnalyst, RoleCoordinator}

// Valid reports whether r is a known role.
func (r Role) Valid() bool { return r == RoleAdmin || r == RoleAnalyst || r == RoleCoordinator }

// TokenRole reports whether an API token may have role r. A coordinator's
// scope is the regions of their account, which a token does not have, so
// tokens are admin or analyst only.
func (r Role) TokenRole() bool { return r == RoleAdmin || r == RoleAnalyst }

// Allows reports whether a holder of role r may act with role need.
func (r Role) Allows(need Role) bool {
	return r == RoleAdmin || (r == need && r.Valid())
}

// Refusal is what a holder of role r is told when their role does not
// allow something: what the role is for and who can help, in plain words,
// rather than a code.
func (r Role) Refusal() string {
	switch r {
	case RoleCoordinator:
		return "This is not open to regional coordinators. Results, analyses and downloads of responses add up every region, and surveys, accounts and the audit log are the administrators'. An analyst or an administrator can give you what you need."
	case RoleAnalyst:
		return "Analysts read surveys, responses, results and downloads; changing surveys, libraries, invitations or accounts is for administrators."
	}
	return "Your role may not do this."
}

// APIToken is a bearer token for the working-group API. Only the hash of the
// secret is kept; the secret itself is shown once, when it is created.
type APIToken struct {
	ID         string
	Name       string
	Role       Role
	Hash       string
	CreatedAt  time.Time
	LastUsedAt *time.Time
	RevokedAt  *time.Time
}

// tokenPrefix marks Canvass tokens, so secret scanners and people recognise them.
const tokenPrefix = "cvs_"

// NewTokenSecret returns a fresh token secret (256 random bits) and its hash.
func NewTokenSecret() (secret, hash string) {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // crypto/rand.Read never fails (Go 1.24+)
	secret = tokenPrefix + base64.RawURLEncoding.EncodeToString(b)
	return secret, HashToken(secret)
}

// HashToken returns the stored form of a token secret. The secret has 256
// random bits, so a plain SHA-256 is enough: there is nothing to brute-force.
func HashToken(secret string) string {
	sum := sha256.Sum256([]byte(strings.TrimSpace(secret)))
	return hex.EncodeToString(sum[:])
}

// TokenStore keeps API tokens.
type TokenStore interface {
	// CreateToken stores t, filling in its ID.
	CreateToken(ctx context.Context, t *APIToken) error
	// FindTokenByHash returns ENOTFOUND when no token has that hash; a
	// revoked token is returned with RevokedAt set.
	FindTokenByHash(ctx context.Context, hash string) (*APIToken, error)
	// ListTokens returns every token, newest first.
	ListTokens(ctx context.Context) ([]*APIToken, error)
	// RevokeToken marks a token revoked. Returns ENOTFOUND if there is none with that id.
	RevokeToken(ctx context.Context, id string) error
	// TouchToken records that a token was just used.
	TouchToken(ctx context.Context, id string, at time.Time) error
}
