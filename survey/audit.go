package survey

import (
	"context"
	"time"
)

// AuditEntry records one change by a person or a token.
type AuditEntry struct {
	ID string
	At time.Time
	// Actor is who did it: a user's email, "token:NAME", or "system".
	Actor string
	// Action is what was done, e.g. "survey.create", "response.delete".
	Action string
	// Target is what it was done to, e.g. "survey:landscape".
	Target string
	// Details is a short human-readable note; never secrets.
	Details string
}

// AuditFilter selects audit entries, newest first.
type AuditFilter struct {
	Actor, Action, Target string // exact matches; "" for any
	From, To              *time.Time
	Offset, Limit         int
}

// AuditStore keeps the audit log. Entries are never changed or deleted.
type AuditStore interface {
	RecordAudit(ctx context.Context, e *AuditEntry) error
	ListAudit(ctx context.Context, f AuditFilter) ([]*AuditEntry, int, error)
}

// LoginLimiter throttles sign-in attempts per account and per address,
// across every instance sharing the database.
type LoginLimiter interface {
	// LoginBlocked returns how long until key ("email:…" or "ip:…") may try
	// again, or 0 when it may try now.
	LoginBlocked(ctx context.Context, key string, now time.Time) (time.Duration, error)
	// LoginFailed records a failed attempt for key.
	LoginFailed(ctx context.Context, key string, now time.Time) error
	// LoginSucceeded clears key's failures.
	LoginSucceeded(ctx context.Context, key string) error
}

// Login throttling: after this many failures within LoginWindow, a key may
// not try again until the window ends.
const (
	LoginWindow             = 15 * time.Minute
	LoginMaxAccountFailures = 5
	LoginMaxAddressFailures = 20
)
