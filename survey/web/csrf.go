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

// csrfHeader carries the token for scripts, which then need not send a form.
const csrfHeader = "X-CSRF-Token"

// csrfValid checks a post's token against the browser's cookie: the
// X-CSRF-Token header when there is one, else the form's csrf_token field.
// Without the cookie nothing is read. The form is read with readForm, so
// within the body limit; an error reading it (413 for an oversized body) is
// returned for the caller to answer.
func (s *Server) csrfValid(c *gin.Context) (bool, error) {
	value, err := c.Cookie(csrfCookie)
	if err != nil || value == "" {
		return false, nil
	}
	want := []byte(s.csrfSign(value))
	if token := c.GetHeader(csrfHeader); token != "" {
		return hmac.Equal([]byte(token), want), nil
	}
	if err := s.readForm(c); err != nil {
		return false, err
	}
	return hmac.Equal([]byte(c.Request.PostForm.Get(csrfField)), want), nil
}
