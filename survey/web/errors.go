package web

import (
	"errors"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/metlib/canvass/survey"
)

// Codes only the HTTP layer produces.
const (
	EMETHOD      = "method_not_allowed"     // 405
	EUNSUPPORTED = "unsupported_media_type" // 415
	ETOOMANY     = "rate_limited"           // 429
)

// statusOf maps an error code to its HTTP status: the one place that does.
func statusOf(code string) int {
	switch code {
	case survey.EINVALID:
		return http.StatusUnprocessableEntity
	case survey.EMALFORMED:
		return http.StatusBadRequest
	case survey.ENOTFOUND:
		return http.StatusNotFound
	case survey.ECONFLICT, survey.ECLOSED:
		return http.StatusConflict
	case survey.EUNAUTHORIZED:
		return http.StatusUnauthorized
	case survey.EFORBIDDEN:
		return http.StatusForbidden
	case survey.ETOOLARGE:
		return http.StatusRequestEntityTooLarge
	case survey.EUNAVAILABLE:
		return http.StatusServiceUnavailable
	case EMETHOD:
		return http.StatusMethodNotAllowed
	case EUNSUPPORTED:
		return http.StatusUnsupportedMediaType
	case ETOOMANY:
		return http.StatusTooManyRequests
	}
	return http.StatusInternalServerError
}

// errorBody is the documented JSON error shape.
type errorBody struct {
	Error errorDetail `json:"error"`
}

type errorDetail struct {
	Code    string              `json:"code"`
	Message string              `json:"message"`
	Fields  []survey.FieldError `json:"fields,omitempty"`
}

// retryAfterSeconds is what a client should wait when the store is down.
const retryAfterSeconds = "5"

// renderError answers with err: JSON in the route groups wantsJSON names,
// an HTML page elsewhere. Internal errors are logged with their
// cause; the client only ever sees a generic message.
func (s *Server) renderError(c *gin.Context, err error) {
	code := survey.ErrorCode(err)
	status := statusOf(code)
	var maxErr *http.MaxBytesError
	if errors.As(err, &maxErr) {
		code, status = survey.ETOOLARGE, http.StatusRequestEntityTooLarge
		err = survey.KeyedErrorf(survey.ETOOLARGE, "too_large", "The request is larger than %d bytes.", maxErr.Limit)
	}
	if code == survey.EUNAVAILABLE || code == survey.EINTERNAL {
		s.metrics.storeErrors.Inc()
	}
	if status >= 500 {
		s.log.ErrorContext(c.Request.Context(), "request failed", "error", err, "path", c.Request.URL.Path, "request_id", c.GetString(requestIDKey))
	}
	if code == survey.EUNAVAILABLE {
		c.Header("Retry-After", retryAfterSeconds)
	}
	message := survey.ErrorMessage(err)
	if wantsJSON(c) {
		c.AbortWithStatusJSON(status, errorBody{Error: errorDetail{Code: code, Message: message, Fields: survey.ErrorFields(err)}})
		return
	}
	if strings.HasPrefix(c.Request.URL.Path, "/admin") && principalOf(c) != nil {
		// A signed-in user keeps the working group's menu and a way back
		// (a coordinator typing another region's id is not stranded).
		heading := ui("en", "error_title")
		if code == survey.EFORBIDDEN {
			heading = "Not open to your role"
		}
		s.renderPage(c, status, "message.html", messagePage{
			page:    s.adminPage(c, heading),
			Heading: heading,
			Message: message, Link: "/admin", LinkText: "Back to your dashboard",
		})
		c.Abort()
		return
	}
	// The page is in the visitor's language, its message too where the
	// error is one the catalogue translates (errorTexts).
	lang := negotiateLanguage(c, nil)
	s.renderPage(c, status, "message.html", messagePage{
		page:    s.basePage(c, lang, ui(lang, "error_title")),
		Heading: ui(lang, "error_title"),
		Message: errorText(lang, err),
	})
	c.Abort()
}

// wantsJSON reports whether the request's route group answers errors in
// JSON (the documented shape) rather than with an HTML page. The choice is
// the route group's, never the request's (no Accept sniffing):
//
//   - JSON: the API (/api/v1/...), the operational endpoints (/healthz,
//     /readyz, /metrics), and what scripts on other sites fetch from the
//     embeds (/embed/.../*.json and widget.js);
//   - HTML: the respondent and public pages, the admin pages, and the embeds
//     shown to people (the iframe pages, results tables, badge.svg).
//
// The group is read from the route pattern the request matched (so
// /embed/x.json, which is the iframe route /embed/:slug, is HTML); a request
// that matched no route or no method (404, 405) has no pattern, and is
// placed in a group by its path with the same rule.
func wantsJSON(c *gin.Context) bool {
	route := c.FullPath()
	if route == "" {
		route = c.Request.URL.Path
	}
	return jsonRouteGroup(route)
}

// jsonRouteGroup is wantsJSON's rule over a route pattern or a path.
func jsonRouteGroup(route string) bool {
	switch {
	case strings.HasPrefix(route, "/api/"), route == "/healthz", route == "/readyz", route == "/metrics":
		return true
	case strings.HasPrefix(route, "/embed/"):
		return strings.HasSuffix(route, ".json") || strings.HasSuffix(route, "/widget.js")
	}
	return false
}
