package survey

import (
	"context"
	"time"
)

// InvitationStatus is how far an invited library has got.
type InvitationStatus string

// The statuses, in order.
const (
	InvitationNotSent   InvitationStatus = "not_sent"
	InvitationSent      InvitationStatus = "sent"
	InvitationOpened    InvitationStatus = "opened"
	InvitationStarted   InvitationStatus = "started"
	InvitationSubmitted InvitationStatus = "submitted"
)

// InvitationStatuses lists the statuses in order.
var InvitationStatuses = []InvitationStatus{InvitationNotSent, InvitationSent, InvitationOpened, InvitationStarted, InvitationSubmitted}

// Invitation asks one library to answer one survey, through a personal link.
type Invitation struct {
	ID         string
	SurveySlug string
	LibraryID  string
	// The contact the invitation goes to.
	Name, Email, Language string
	// TokenHashes are the hashes of the links that work: each sending adds
	// one; new links replace them all; withdrawing kills them all.
	TokenHashes []string
	Status      InvitationStatus
	Revoked     bool
	CreatedAt   time.Time
	SentAt      *time.Time
	OpenedAt    *time.Time
	StartedAt   *time.Time
	SubmittedAt *time.Time
	Reminders   int
	// SendError is the last failure to send, shown to the working group.
	SendError string
}

// SubmissionID is the submission id of the invited library's response: one
// response per invitation, whatever the devices or retries.
func (inv *Invitation) SubmissionID() string { return "inv-" + inv.ID }

// Advance moves the invitation to status at t, never backwards.
func (inv *Invitation) Advance(status InvitationStatus, t time.Time) {
	rank := func(s InvitationStatus) int {
		for i, x := range InvitationStatuses {
			if x == s {
				return i
			}
		}
		return -1
	}
	stamp := func(p **time.Time) {
		if *p == nil {
			tt := t.UTC()
			*p = &tt
		}
	}
	switch status {
	case InvitationSent:
		stamp(&inv.SentAt)
	case InvitationOpened:
		stamp(&inv.OpenedAt)
	case InvitationStarted:
		stamp(&inv.StartedAt)
	case InvitationSubmitted:
		stamp(&inv.SubmittedAt)
	}
	if rank(status) > rank(inv.Status) {
		inv.Status = status
	}
}

// InvitationStore keeps invitations.
type InvitationStore interface {
	// CreateInvitation stores inv, filling in its ID. Returns ECONFLICT if
	// the library is already invited to the survey.
	CreateInvitation(ctx context.Context, inv *Invitation) error
	// FindInvitationByToken returns ENOTFOUND for an unknown token.
	FindInvitationByToken(ctx context.Context, tokenHash string) (*Invitation, error)
	// FindInvitation returns ENOTFOUND if there is no such invitation.
	FindInvitation(ctx context.Context, id string) (*Invitation, error)
	// ListInvitations returns a survey's invitations.
	ListInvitations(ctx context.Context, slug string) ([]*Invitation, error)
	// UpdateInvitation saves status, times, tokens, revocation and errors.
	UpdateInvitation(ctx context.Context, inv *Invitation) error
	// RecordProgress saves only inv's progress (its status, when it moves
	// forward, and the times of opening, starting and submitting), so a
	// respondent opening a link while the working group issues new links
	// or withdraws the invitation never writes back the tokens or the
	// revocation it read. Returns ENOTFOUND if there is no invitation.
	RecordProgress(ctx context.Context, inv *Invitation) error
	// DeleteInvitation removes an invitation (canvass demo --remove: real
	// ones are revoked, never deleted). Returns ENOTFOUND if there is none.
	DeleteInvitation(ctx context.Context, id string) error
}
