package web

import (
	"context"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/metlib/canvass/survey"
)

const roleKey = "role"

// touchInterval limits how often a token's last-used time is written.
const touchInterval = time.Minute

// requireRole admits requests carrying a bearer token whose role allows need:
// 401 without a valid token (unknown and revoked look the same), 403 with a
// token of too small a role.
func (s *Server) requireRole(need survey.Role) gin.HandlerFunc {
	return func(c *gin.Context) {
		secret, ok := strings.CutPrefix(c.GetHeader("Authorization"), "Bearer ")
		if !ok || strings.TrimSpace(secret) == "" {
			c.Header("WWW-Authenticate", `Bearer realm="canvass"`)
			s.renderError(c, survey.Errorf(survey.EUNAUTHORIZED, "Sign in, or send an API token as Authorization: Bearer TOKEN."))
			return
		}
		tok, err := s.cfg.Tokens.FindTokenByHash(c.Request.Context(), survey.HashToken(secret))
		if survey.ErrorCode(err) == survey.ENOTFOUND || (err == nil && tok.RevokedAt != nil) {
			c.Header("WWW-Authenticate", `Bearer realm="canvass", error="invalid_token"`)
			s.renderError(c, survey.Errorf(survey.EUNAUTHORIZED, "The API token is not valid."))
			return
		}
		if err != nil {
			s.renderError(c, err)
			return
		}
		if !tok.Role.Allows(need) {
			s.renderError(c, survey.Errorf(survey.EFORBIDDEN, "This token's role (%s) may not do this.", tok.Role))
			return
		}
		if now := s.now(); tok.LastUsedAt == nil || now.Sub(*tok.LastUsedAt) > touchInterval {
			// Best effort, off the request path: a failed write loses only a timestamp.
			go func(id string) {
				ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
				defer cancel()
				_ = s.cfg.Tokens.TouchToken(ctx, id, now)
			}(tok.ID)
		}
		c.Set(roleKey, tok.Role)
		c.Next()
	}
}
