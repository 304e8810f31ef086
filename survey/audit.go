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
// across every instance sharing the database. An attempt is counted before
// the password is checked, so concurrent guesses cannot all be checked
// while the count catches up.
type LoginLimiter interface {
	// ReserveLogin counts one attempt for key ("email:…" or "ip:…") at now.
	// When key has used its attempts within LoginWindow it returns how long
	// until it may try again (and this attempt is not counted); otherwise
	// wait is 0 and id names the counted attempt. An error means the count
	// could not be kept: refuse the sign-in.
	ReserveLogin(ctx context.Context, key string, now time.Time) (id string, wait time.Duration, err error)
	// ReleaseLogin uncounts one reserved attempt (its sign-in succeeded, or
	// its password was never checked).
	ReleaseLogin(ctx context.Context, id string) error
	// LoginSucceeded clears key's attempts.
	LoginSucceeded(ctx context.Context, key string) error
}

// Login throttling: after this many attempts within the last LoginWindow
// (a sliding window; a successful sign-in clears the account's), a key may
// not try again until the oldest of them is LoginWindow old.
const (
	LoginWindow             = 15 * time.Minute
	LoginMaxAccountFailures = 5
	LoginMaxAddressFailures = 20
)
