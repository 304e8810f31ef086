package survey

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strings"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"
)

// User is a member of the working group.
type User struct {
	ID    string
	Email string // as CheckEmail returns it (lower case), unique
	Name  string
	Role  Role
	// Regions are a coordinator's IFLA regions (at least one, no
	// duplicates, in the order of Regions); empty for other roles.
	Regions      []Region
	Disabled     bool
	PasswordHash string // argon2id, PHC string format; "" until the user sets one
	CreatedAt    time.Time
	UpdatedAt    time.Time
	LastLoginAt  *time.Time
}

// Validate checks a user's fields.
func (u *User) Validate() error {
	var fields []FieldError
	if _, err := CheckEmail(u.Email); err != nil {
		fields = append(fields, FieldError{Path: "email", Message: ErrorMessage(err)})
	}
	if n := utf8.RuneCountInString(strings.TrimSpace(u.Name)); n > 200 {
		fields = append(fields, FieldError{Path: "name", Message: "Keep the name under 200 characters."})
	}
	if !u.Role.Valid() {
		fields = append(fields, FieldError{Path: "role", Message: "The role must be admin, analyst or coordinator."})
	}
	for _, r := range u.Regions {
		if RegionLabels[r] == nil {
			fields = append(fields, FieldError{Path: "regions", Message: fmt.Sprintf("%q is not an IFLA region; use one of %s.", r, regionCodes())})
		}
	}
	switch {
	case u.Role == RoleCoordinator && len(u.Regions) == 0:
		fields = append(fields, FieldError{Path: "regions", Message: "A coordinator needs at least one region."})
	case u.Role != RoleCoordinator && len(u.Regions) > 0:
		fields = append(fields, FieldError{Path: "regions", Message: "Only coordinators have regions: an " + string(u.Role) + " sees every region."})
	}
	if len(fields) > 0 {
		return &Error{Code: EINVALID, Message: "The user has errors.", Fields: fields}
	}
	return nil
}

// NormalizeRegions puts regions in the order of Regions without
// duplicates; unknown ones are kept, at the end, for Validate to report.
func NormalizeRegions(regions []Region) []Region {
	seen := map[Region]bool{}
	var out, unknown []Region
	for _, r := range regions {
		r = Region(strings.TrimSpace(string(r)))
		if r == "" || seen[r] {
			continue
		}
		seen[r] = true
		if RegionLabels[r] == nil {
			unknown = append(unknown, r)
		}
	}
	for _, r := range Regions {
		if seen[r] {
			out = append(out, r)
		}
	}
	return append(out, unknown...)
}

func regionCodes() string {
	codes := make([]string, len(Regions))
	for i, r := range Regions {
		codes[i] = string(r)
	}
	return strings.Join(codes, ", ")
}

// MinPasswordLength follows NIST SP 800-63B: length, not composition rules.
const MinPasswordLength = 12

// CheckNewPassword returns EINVALID when a new password is too short or too long.
func CheckNewPassword(pw string) error {
	n := utf8.RuneCountInString(pw)
	if n < MinPasswordLength {
		return &Error{Code: EINVALID, Message: fmt.Sprintf("Use at least %d characters.", MinPasswordLength),
			Fields: []FieldError{{Path: "password", Message: fmt.Sprintf("Use at least %d characters.", MinPasswordLength)}}}
	}
	if len(pw) > 1024 {
		return &Error{Code: EINVALID, Message: "Use at most 1024 bytes.", Fields: []FieldError{{Path: "password", Message: "Use at most 1024 bytes."}}}
	}
	return nil
}

// argon2id parameters: the OWASP Password Storage Cheat Sheet's first
// recommended setting (19 MiB of memory, 2 iterations, 1 thread).
const (
	argonMemory  = 19 * 1024
	argonTime    = 2
	argonThreads = 1
	argonKeyLen  = 32
)

// Password hashing is bounded process-wide, because each argon2id call
// holds its whole memory (argonMemory KiB = 19 MiB) until it ends: 150
// concurrent sign-ins took the server to 3.5 GB (issue 13). At most
// MaxConcurrentHashes run at once; the rest wait up to HashQueueWait.
const (
	// PasswordHashMemory is what one hash holds while it runs.
	PasswordHashMemory = argonMemory << 10
	// HashMemoryBudget is the memory password hashing may hold at once.
	HashMemoryBudget = 160 << 20
	// MaxConcurrentHashes is HashMemoryBudget / PasswordHashMemory (8).
	MaxConcurrentHashes = HashMemoryBudget / PasswordHashMemory
	// HashQueueWait is how long a hash waits for a free slot before the
	// sign-in is refused as busy (EUNAVAILABLE, so 503 with Retry-After).
	HashQueueWait = 2 * time.Second
)

var hashSlots = make(chan struct{}, MaxConcurrentHashes)

// errHashBusy is returned when no hashing slot frees within HashQueueWait.
var errHashBusy = Errorf(EUNAVAILABLE, "Too many sign-ins are being checked at once; try again in a few seconds.")

// argonKey runs argon2id in a slot. With wait false it waits as long as it
// takes (the command line, which has no client to answer).
func argonKey(ctx context.Context, wait bool, pw, salt []byte, t, m uint32, p uint8, n uint32) ([]byte, error) {
	if wait {
		hashSlots <- struct{}{}
	} else {
		timer := time.NewTimer(HashQueueWait)
		defer timer.Stop()
		select {
		case hashSlots <- struct{}{}:
		case <-timer.C:
			return nil, errHashBusy
		case <-ctx.Done():
			return nil, errHashBusy
		}
	}
	defer func() { <-hashSlots }()
	return meteredIDKey(pw, salt, t, m, p, n), nil
}

// The hashes are metered where argon2id runs, inside the slot, so what
// HashStats reports is what actually held memory at once, whatever the
// slots allow and however slow the machine is: a test of the bound reads
// the peak instead of inferring it from which sign-ins got through.
var hashesRunning, hashesPeak, hashesRun atomic.Int64

func meteredIDKey(pw, salt []byte, t, m uint32, p uint8, n uint32) []byte {
	running := hashesRunning.Add(1)
	for peak := hashesPeak.Load(); running > peak && !hashesPeak.CompareAndSwap(peak, running); peak = hashesPeak.Load() {
	}
	defer hashesRunning.Add(-1)
	defer hashesRun.Add(1)
	return argon2.IDKey(pw, salt, t, m, p, n)
}

// HashStats reports how many argon2id hashes (of passwords hashed or
// checked) have completed in this process, and the most that have run at
// once since ResetHashPeak (or since the start). The figures are
// process-wide.
func HashStats() (completed, peak int) {
	return int(hashesRun.Load()), int(hashesPeak.Load())
}

// ResetHashPeak restarts the peak HashStats reports from the hashes running
// now.
func ResetHashPeak() {
	hashesPeak.Store(hashesRunning.Load())
}

// HashPassword returns the argon2id hash of pw in the PHC string format
// ($argon2id$v=19$m=…,t=…,p=…$salt$hash), with a fresh 16-byte salt. It
// waits for a hashing slot however long it takes; requests use
// HashPasswordContext.
func HashPassword(pw string) string {
	h, _ := hashPassword(context.Background(), true, pw)
	return h
}

// HashPasswordContext is HashPassword that gives up with EUNAVAILABLE when
// no hashing slot frees within HashQueueWait or ctx ends.
func HashPasswordContext(ctx context.Context, pw string) (string, error) {
	return hashPassword(ctx, false, pw)
}

func hashPassword(ctx context.Context, wait bool, pw string) (string, error) {
	salt := make([]byte, 16)
	_, _ = rand.Read(salt)
	key, err := argonKey(ctx, wait, []byte(pw), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	if err != nil {
		return "", err
	}
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime, argonThreads, b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// CheckPassword reports whether pw matches a hash made by HashPassword (with
// whatever parameters the hash records), in constant time. Like
// HashPassword it waits for a slot however long it takes.
func CheckPassword(hash, pw string) bool {
	ok, _ := checkPassword(context.Background(), true, hash, pw)
	return ok
}

// CheckPasswordContext is CheckPassword that gives up with EUNAVAILABLE
// when no hashing slot frees within HashQueueWait or ctx ends.
func CheckPasswordContext(ctx context.Context, hash, pw string) (bool, error) {
	return checkPassword(ctx, false, hash, pw)
}

func checkPassword(ctx context.Context, wait bool, hash, pw string) (bool, error) {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false, nil
	}
	var version int
	var memory, iterations uint32
	var threads uint8
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return false, nil
	}
	// A stored hash asking for more memory than ours would break the
	// budget; none is ever written (HashPassword uses argonMemory).
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &memory, &iterations, &threads); err != nil || memory > argonMemory || iterations > 16 || threads == 0 {
		return false, nil
	}
	salt, err1 := base64.RawStdEncoding.DecodeString(parts[4])
	want, err2 := base64.RawStdEncoding.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(want) == 0 || len(want) > 64 {
		return false, nil
	}
	got, err := argonKey(ctx, wait, []byte(pw), salt, iterations, memory, threads, uint32(len(want)))
	if err != nil {
		return false, err
	}
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}

// dummyHash is checked against when the account does not exist, so a login
// for an unknown email takes as long as one with a wrong password.
var dummyHash = HashPassword("canvass-no-such-user")

// CheckPasswordOrDummyContext is CheckPasswordContext that spends the same
// time when the user does not exist (hash == "") and then fails.
func CheckPasswordOrDummyContext(ctx context.Context, hash, pw string) (bool, error) {
	if hash == "" {
		_, err := CheckPasswordContext(ctx, dummyHash, pw)
		return false, err
	}
	return CheckPasswordContext(ctx, hash, pw)
}

// NewSecret returns a random URL-safe secret of 256 bits and its SHA-256 hash
// (hex), for session ids and one-time links: only the hash is stored.
func NewSecret() (secret, hash string) {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	secret = base64.RawURLEncoding.EncodeToString(b)
	return secret, HashSecret(secret)
}

// HashSecret returns the stored form of a secret from NewSecret.
func HashSecret(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

// Session is a signed-in browser. Its id is a secret kept only as a hash.
type Session struct {
	Hash       string
	UserID     string
	CreatedAt  time.Time
	LastSeenAt time.Time
	// ExpiresAt is the absolute end, however active the session is.
	ExpiresAt time.Time
}

// Session lifetimes.
const (
	SessionIdleTimeout     = 2 * time.Hour
	SessionAbsoluteTimeout = 12 * time.Hour
)

// ActiveAt reports whether the session may still be used at t.
func (s *Session) ActiveAt(t time.Time) bool {
	return t.Before(s.ExpiresAt) && t.Sub(s.LastSeenAt) < SessionIdleTimeout
}

// PasswordToken is a one-time link to set a password: the first admin's
// setup link, or a new user's invitation, or a reset.
type PasswordToken struct {
	Hash      string
	UserID    string // "" for first-run setup, which creates the user
	Purpose   string // "setup", "invite" or "reset"
	CreatedAt time.Time
	ExpiresAt time.Time
}

// UserStore keeps working-group accounts.
type UserStore interface {
	// CreateUser stores u, filling in its ID. Returns ECONFLICT if the email is taken.
	CreateUser(ctx context.Context, u *User) error
	// FindUserByEmail returns ENOTFOUND if no user has that email.
	FindUserByEmail(ctx context.Context, email string) (*User, error)
	// FindUserByID returns ENOTFOUND if there is no such user.
	FindUserByID(ctx context.Context, id string) (*User, error)
	// ListUsers returns every user, by email.
	ListUsers(ctx context.Context) ([]*User, error)
	// CountUsers returns the number of users.
	CountUsers(ctx context.Context) (int, error)
	// UpdateUser saves name, role and disabled; disabling deletes the user's
	// password links. Returns ENOTFOUND if there is no such user.
	UpdateUser(ctx context.Context, u *User) error
	// SetPassword stores a new password hash and deletes the user's password
	// links. Returns ENOTFOUND if there is no such user.
	SetPassword(ctx context.Context, userID, hash string) error
	// RecordLogin sets the last login time.
	RecordLogin(ctx context.Context, userID string, at time.Time) error
}

// SessionStore keeps sessions, so every instance behind a load balancer
// knows them.
type SessionStore interface {
	CreateSession(ctx context.Context, s *Session) error
	// FindSession returns ENOTFOUND if there is no session with that hash.
	FindSession(ctx context.Context, hash string) (*Session, error)
	TouchSession(ctx context.Context, hash string, at time.Time) error
	DeleteSession(ctx context.Context, hash string) error
	// DeleteUserSessions signs a user out everywhere (password change, disabling).
	DeleteUserSessions(ctx context.Context, userID string) error
}

// PasswordTokenStore keeps one-time password links.
type PasswordTokenStore interface {
	// CreatePasswordToken stores t. For purpose "setup" it returns ECONFLICT
	// when an unexpired setup link exists, so only one is ever issued at a time.
	CreatePasswordToken(ctx context.Context, t *PasswordToken) error
	// TakePasswordToken finds and deletes the token in one step (so it works
	// once); it returns ENOTFOUND for unknown, used or expired tokens alike.
	TakePasswordToken(ctx context.Context, hash string, now time.Time) (*PasswordToken, error)
	// PeekPasswordToken is TakePasswordToken without using it up.
	PeekPasswordToken(ctx context.Context, hash string, now time.Time) (*PasswordToken, error)
}
