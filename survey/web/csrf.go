package web

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"net/http"

	"github.com/gin-gonic/gin"
)

const (
	csrfCookie = "canvass_csrf"
	csrfField  = "csrf_token"
)

// csrfToken returns the token to put in a form, setting the browser's CSRF
// cookie if it has none. The token is an HMAC of the cookie's random value
// under the server secret (the signed double-submit pattern): a cross-site
// page can neither read the cookie nor compute the token, and a planted cookie
// is useless without the secret.
func (s *Server) csrfToken(c *gin.Context) string {
	value, err := c.Cookie(csrfCookie)
	if err != nil || len(value) < 32 {
		b := make([]byte, 32)
		_, _ = rand.Read(b)
		value = base64.RawURLEncoding.EncodeToString(b)
		http.SetCookie(c.Writer, &http.Cookie{
			Name: csrfCookie, Value: value, Path: "/", HttpOnly: true,
			Secure: s.secureCookies || c.Request.TLS != nil, SameSite: http.SameSiteLaxMode,
		})
	}
	return s.csrfSign(value)
}

func (s *Server) csrfSign(value string) string {
	mac := hmac.New(sha256.New, s.cfg.CSRFSecret)
	mac.Write([]byte(value))
	return base64.RawURLEncoding.EncodeToString(mac.Sum(nil))
}

// csrfValid checks a posted form's token against the browser's cookie.
func (s *Server) csrfValid(c *gin.Context) bool {
	value, err := c.Cookie(csrfCookie)
	if err != nil || value == "" {
		return false
	}
	return hmac.Equal([]byte(c.PostForm(csrfField)), []byte(s.csrfSign(value)))
}
