// Package campaign holds Canvass's use cases: everything a survey campaign
// does — submitting (anonymously or through an invitation), drafts, the
// invitation lifecycle and its mail, the library directory's imports, merges
// and erasures, analysis and report tables with their cache, downloads, and
// what the section publishes. The JSON API, the HTML pages and the command
// line all call these methods, so each use case has one implementation.
//
// Methods take the acting user from the context (survey.ActorFrom), check
// what the actor may do, and return *survey.Error codes. Nothing here knows
// about gin, HTTP or the database driver: the stores are survey interfaces.
package campaign

import (
	"context"
	"hash/fnv"
	"log/slog"
	"net/mail"
	"sync"
	"time"

	"github.com/metlib/canvass/survey"
)

// Mailer sends email. The SMTP sender in package mail implements it; a nil
// Mailer means no SMTP server is configured, and invitations go out through
// the mail-merge file instead.
type Mailer interface {
	// From is the sender's address.
	From() mail.Address
	// SendAll sends the messages over one connection, calling report with
	// each message's index and outcome (nil when accepted). It returns an
	// error only when no message could be attempted (the server is unreachable).
	SendAll(ctx context.Context, messages []Message, report func(i int, err error)) error
}

// Message is one plain-text email.
type Message struct {
	To      mail.Address
	Subject string
	Body    string
}

// Metrics records what the operations side counts. The web layer's
// Prometheus registry implements it; nil records nothing.
type Metrics interface {
	// Submission counts one submission attempt to the survey slug by its
	// outcome; invited reports whether it came through an invitation.
	// Drafts are never counted: a draft is not a submission.
	Submission(slug string, outcome Outcome, invited bool)
}

// Outcome is how a submission attempt ended, as Metrics counts it.
type Outcome string

// The outcomes of a submission attempt.
const (
	OutcomeCreated     Outcome = "created"     // a new response was stored
	OutcomeDuplicate   Outcome = "duplicate"   // a retry of a stored submission, same answers
	OutcomeUpdated     Outcome = "updated"     // a submitted response changed (edit after submit)
	OutcomeConflict    Outcome = "conflict"    // refused: other answers under a used id, or already answered
	OutcomeInvalid     Outcome = "invalid"     // refused: the answers or the request do not validate
	OutcomeClosed      Outcome = "closed"      // refused: the survey does not accept responses now
	OutcomeUnavailable Outcome = "unavailable" // the store could not be reached
	OutcomeError       Outcome = "error"       // anything else
)

// Config is what the use cases need.
type Config struct {
	Surveys       survey.SurveyStore
	Responses     survey.ResponseStore
	Tokens        survey.TokenStore
	Users         survey.UserStore
	Sessions      survey.SessionStore
	Passwords     survey.PasswordTokenStore
	Audit         survey.AuditStore
	Libraries     survey.LibraryStore
	Invitations   survey.InvitationStore
	MailTemplates survey.MailTemplateStore
	Publications  survey.PublicationStore
	// Reports keeps the release of the benchmark reports (reports.go).
	Reports survey.ReportStore
	// Mailer is nil when no SMTP server is configured.
	Mailer  Mailer
	Metrics Metrics
	Logger  *slog.Logger
	// Now is the clock (time.Now by default); tests move it.
	Now func() time.Time
	// SurveyCacheTTL is how long a respondent's survey definition is reused
	// before it is read again (default 2s; negative: always read).
	SurveyCacheTTL time.Duration
	// DisclosePatience is how long a visitor waits for a new public
	// snapshot's disclosure before being served the publication before it
	// while the disclosure finishes in the background (default 3s;
	// negative: as long as it takes). The first publication of a survey,
	// and the admin's refresh and publish, always wait.
	DisclosePatience time.Duration
}

// Service runs the use cases over the configured stores.
type Service struct {
	cfg Config
	log *slog.Logger
	now func() time.Time
	// responses is cfg.Responses, watched: every write through it
	// invalidates the cached results of its survey.
	responses *WatchedResponses
	results   resultCache
	snapshots snapshotCache
	// disclosed holds the public snapshot through disclosure.PublishAfter,
	// per survey and language (published.go); jobs the disclosure running
	// per survey slug, one at a time; patience is Config.DisclosePatience.
	disclosed sync.Map
	jobsMu    sync.Mutex
	jobs      map[string]*discloseJob
	patience  time.Duration
	// gate, when set (tests), holds every disclosure job until it is closed.
	gate chan struct{}
	// invitationLocks serialise, per survey, the use cases that read a
	// survey's invitations and write them back whole (invitationLock).
	invitationLocks [32]sync.Mutex
	// surveysMu serialises making surveys and waves, so that two made at
	// once cannot both pass checkWaveLabel.
	surveysMu sync.Mutex
	// frozen holds, per survey, the respondents its current reports
	// release froze (reports_frozen.go): immutable, so shared by readers.
	frozen sync.Map // slug → *frozenSet
}

// invitationLock is the lock of survey slug's invitations: inviting,
// withdrawing, recording a bounce, the mail-merge files and sending take
// it from their read of the invitations to their last write, so two of
// them at once (a double click on "Download", a withdrawal during a
// mail-merge) never both issue links from the same reading, leaving the
// first file's links dead, nor write back what the other changed. A
// respondent's progress does not take it (RecordProgress writes only its
// own fields). Within one process: instances sharing a MongoDB each have
// their own (docs/reliability.md).
func (s *Service) invitationLock(slug string) *sync.Mutex {
	h := fnv.New32a()
	h.Write([]byte(slug))
	return &s.invitationLocks[h.Sum32()%uint32(len(s.invitationLocks))]
}

// New returns a Service; missing Logger and Now get defaults. Responses are
// read and written through a WatchedResponses (Responses returns it).
func New(cfg Config) *Service {
	watched := Watch(cfg.Responses)
	cfg.Responses = watched
	if cfg.SurveyCacheTTL == 0 {
		cfg.SurveyCacheTTL = 2 * time.Second
	}
	cfg.Surveys = CacheSurveys(cfg.Surveys, cfg.SurveyCacheTTL)
	if cfg.DisclosePatience == 0 {
		cfg.DisclosePatience = 3 * time.Second
	}
	s := &Service{cfg: cfg, log: cfg.Logger, now: cfg.Now, responses: watched, patience: cfg.DisclosePatience}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.now == nil {
		s.now = time.Now
	}
	return s
}

// Surveys is the store the Service reads and writes surveys through, with
// its cache. Adapters read surveys through it too, so that there is one
// cache and every write through it is seen at once.
func (s *Service) Surveys() *CachedSurveys { return s.cfg.Surveys.(*CachedSurveys) }

// Responses is the store the Service reads and writes responses through.
// Adapters that still write responses themselves must use it, so that
// their writes, too, invalidate the cached results.
func (s *Service) Responses() *WatchedResponses { return s.responses }

// SetClock replaces the Service's clock (tests move it past cache times).
// Call it before serving requests, not during.
func (s *Service) SetClock(now func() time.Time) { s.now = now }

// audit records a change by the context's actor. A failure to write the
// audit log is logged, not returned: the change itself has happened.
func (s *Service) audit(ctx context.Context, action, target, details string) {
	actor := "anonymous"
	if a, ok := survey.ActorFrom(ctx); ok {
		actor = a.Name
	}
	e := &survey.AuditEntry{At: s.now(), Actor: actor, Action: action, Target: target, Details: details}
	if err := s.cfg.Audit.RecordAudit(ctx, e); err != nil {
		s.log.ErrorContext(ctx, "audit log write failed", "error", err, "action", action, "target", target)
	}
}

// require returns EFORBIDDEN unless the context's actor has the role
// (admins have every role), and EUNAUTHORIZED when there is no actor.
func require(ctx context.Context, need survey.Role) error {
	a, ok := survey.ActorFrom(ctx)
	if !ok {
		return survey.Errorf(survey.EUNAUTHORIZED, "Sign in first.")
	}
	if !a.Role.Allows(need) {
		return survey.Errorf(survey.EFORBIDDEN, "%s", a.Role.Refusal())
	}
	return nil
}
