// Package survey is Canvass's domain: survey definitions and their question
// types, answer checking and relevance (skip logic), responses, API tokens,
// the country → IFLA region table, and the interfaces of the stores that keep
// them. It imports no web framework and no database driver.
package survey

import (
	"cmp"
	"errors"
	"fmt"
)

// Error codes shared by every layer. The web layer maps each to one HTTP status.
const (
	EINVALID      = "invalid"      // input does not validate (422 for answers, 400 otherwise)
	EMALFORMED    = "malformed"    // input cannot be parsed at all (400)
	ENOTFOUND     = "not_found"    // 404
	ECONFLICT     = "conflict"     // 409: duplicate, or a state that forbids the action
	ECLOSED       = "closed"       // 409: the survey does not accept responses now
	EUNAUTHORIZED = "unauthorized" // 401
	EFORBIDDEN    = "forbidden"    // 403
	ETOOLARGE     = "too_large"    // 413
	EUNAVAILABLE  = "unavailable"  // 503: the store cannot be reached; retry later
	EINTERNAL     = "internal"     // 500: a bug or an unexpected failure; logged, never shown
)

// FieldError is a problem with one question's answer, or with one place in a
// survey definition (then Path names it, e.g. "sections[1].questions[3].options").
type FieldError struct {
	Question string `json:"question,omitempty"`
	Path     string `json:"path,omitempty"`
	Message  string `json:"message"`
	// Sheet, Row and Column place a problem of an imported workbook where
	// its author can find it (the XLSForm's "survey" sheet, row 7, column
	// "relevant"); Path still names the place in the definition.
	Sheet  string `json:"sheet,omitempty"`
	Row    int    `json:"row,omitempty"`
	Column string `json:"column,omitempty"`
}

// Where names the place of the problem for a reader: the sheet, row and
// column of a workbook when known ("survey sheet, row 7, column relevant"),
// else the definition path, else the question id.
func (f FieldError) Where() string {
	if f.Sheet == "" {
		return cmp.Or(f.Path, f.Question)
	}
	where := f.Sheet + " sheet"
	if f.Row > 0 {
		where += fmt.Sprintf(", row %d", f.Row)
	}
	if f.Column != "" {
		where += ", column " + f.Column
	}
	return where
}

// Error is the one error type that crosses package boundaries. Message is safe
// to show to the person who caused it; internal details stay in Err.
type Error struct {
	Code    string
	Message string
	Fields  []FieldError
	Err     error // the underlying cause, for logs only
	// Key, when set, names this message in the translations of the pages
	// that show it (the web layer's catalogue), and Args are the values
	// written into the translation, in order. Message stays the English
	// text, which the API returns unchanged.
	Key  string
	Args []any
}

// Error implements the error interface.
func (e *Error) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("%s: %s: %v", e.Code, e.Message, e.Err)
	}
	return fmt.Sprintf("%s: %s", e.Code, e.Message)
}

// Unwrap returns the underlying cause.
func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an *Error with the given code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// KeyedErrorf is Errorf for a message that pages translate: key names it in
// their catalogue and args fill both the English format and the translation.
func KeyedErrorf(code, key, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...), Key: key, Args: args}
}

// ErrorCode returns the code of the first *Error in err's chain, EINTERNAL for
// any other non-nil error, and "" for nil.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the human-readable message of the first *Error in err's
// chain, or a generic message for other errors so internals never leak.
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return "An internal error occurred."
}

// ErrorFields returns the per-question problems carried by err, if any.
func ErrorFields(err error) []FieldError {
	var e *Error
	if errors.As(err, &e) {
		return e.Fields
	}
	return nil
}
