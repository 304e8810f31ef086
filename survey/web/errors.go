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

// renderError answers with err: JSON under /api/ (and for clients that ask
// for JSON), an HTML page elsewhere. Internal errors are logged with their
// cause; the client only ever sees a generic message.
func (s *Server) renderError(c *gin.Context, err error) {
	code := survey.ErrorCode(err)
	status := statusOf(code)
	var maxErr *http.MaxBytesError
	if errors.As(err, &maxErr) {
		code, status = survey.ETOOLARGE, http.StatusRequestEntityTooLarge
		err = survey.Errorf(survey.ETOOLARGE, "The request is larger than %d bytes.", maxErr.Limit)
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
	lang := negotiateLanguage(c, nil)
	s.renderPage(c, status, "message.html", messagePage{
		page:    s.basePage(c, lang, ui(lang, "error_title")),
		Heading: ui(lang, "error_title"),
		Message: message,
	})
	c.Abort()
}

func wantsJSON(c *gin.Context) bool {
	return strings.HasPrefix(c.Request.URL.Path, "/api/") || strings.HasPrefix(c.Request.URL.Path, "/healthz") ||
		strings.HasPrefix(c.Request.URL.Path, "/readyz")
}
