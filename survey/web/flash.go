package web

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"
)

// The status box of the admin pages is trusted text: it says what the
// server did. Carried in the URL (?done=…), any site could link a signed-in
// user to a page saying "Your account is compromised, call …". So a
// message travels from the action to the page it redirects to in a cookie
// signed by the server, read once and cleared; text in the URL is ignored.
const (
	flashCookie = "canvass_flash"
	// flashDone and flashProblem start the signed payload: a confirmation
	// or a problem the working group can fix.
	flashDone    = 'd'
	flashProblem = 'p'
	// maxFlash keeps the cookie well under browsers' 4 KB (the base64 and
	// the signature add about half again).
	maxFlash = 1500
	// flashContextKey holds a message for a page rendered in the same
	// request (no redirect).
	flashContextKey = "canvass.flash"
)

// flashKey is the key flash cookies are signed with: derived from the CSRF
// secret for this one use, so that no CSRF token (the server signs values
// a browser chooses) can ever pass as a flash signature.
func (s *Server) flashKey() []byte {
	mac := hmac.New(sha256.New, s.cfg.CSRFSecret)
	mac.Write([]byte("canvass flash messages v1"))
	return mac.Sum(nil)
}

func (s *Server) flashSign(payload string) string {
	mac := hmac.New(sha256.New, s.flashKey())
	mac.Write([]byte(payload))
	return base64.RawURLEncoding.EncodeToString(mac.Sum(nil))
}

// redirectFlash redirects (303) to location with a one-time message for
// the page there: done says what happened, problem what was refused (one
// of them, the other empty).
func (s *Server) redirectFlash(c *gin.Context, location, done, problem string) {
	kind, msg := byte(flashDone), done
	if problem != "" {
		kind, msg = flashProblem, problem
	}
	if msg != "" {
		if len(msg) > maxFlash {
			msg = strings.ToValidUTF8(msg[:maxFlash], "") + "…"
		}
		payload := base64.RawURLEncoding.EncodeToString(append([]byte{kind}, msg...))
		http.SetCookie(c.Writer, &http.Cookie{
			Name: flashCookie, Value: payload + "." + s.flashSign(payload), Path: "/admin", HttpOnly: true,
			Secure: s.secureCookies || c.Request.TLS != nil, SameSite: http.SameSiteLaxMode,
		})
	}
	c.Redirect(http.StatusSeeOther, location)
}

// flashNow shows done on the page this request renders itself.
func flashNow(c *gin.Context, done string) { c.Set(flashContextKey, done) }

// problemNow shows problem, a refusal, on the page rendered in this
// response (one re-rendered with what the user typed, not redirected).
func problemNow(c *gin.Context, problem string) { c.Set(flashProblemKey, problem) }

const flashProblemKey = "canvass.flash.problem"

// takeFlash returns the message waiting for this page, if a valid one is,
// and clears it so a reload does not show it again. A cookie that does not
// verify shows nothing.
func (s *Server) takeFlash(c *gin.Context) (done, problem string) {
	if v, ok := c.Get(flashContextKey); ok {
		done, _ = v.(string)
		return done, ""
	}
	if v, ok := c.Get(flashProblemKey); ok {
		problem, _ = v.(string)
		return "", problem
	}
	value, err := c.Cookie(flashCookie)
	if err != nil || value == "" {
		return "", ""
	}
	http.SetCookie(c.Writer, &http.Cookie{Name: flashCookie, Value: "", Path: "/admin", MaxAge: -1, HttpOnly: true,
		Secure: s.secureCookies || c.Request.TLS != nil, SameSite: http.SameSiteLaxMode})
	payload, sig, ok := strings.Cut(value, ".")
	if !ok || !hmac.Equal([]byte(sig), []byte(s.flashSign(payload))) {
		return "", ""
	}
	b, err := base64.RawURLEncoding.DecodeString(payload)
	if err != nil || len(b) < 2 {
		return "", ""
	}
	switch b[0] {
	case flashDone:
		return string(b[1:]), ""
	case flashProblem:
		return "", string(b[1:])
	}
	return "", ""
}
