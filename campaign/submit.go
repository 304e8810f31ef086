package campaign

import (
	"context"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/metlib/canvass/survey"
)

// submissionIDPattern is what a client-generated submission id may look like
// (a UUID, or any similar opaque id).
var submissionIDPattern = regexp.MustCompile(`^[A-Za-z0-9_-]{8,64}$`)

// ValidSubmissionID reports whether a client may use id as a submission id:
// 8–64 letters, digits, - or _, and not in the reserved namespace of
// invited responses (ReservedSubmissionID). The respondent form replaces an
// id that is not (so a tampered form still cannot store twice); the API
// refuses it.
func ValidSubmissionID(id string) bool {
	return submissionIDPattern.MatchString(id) && !ReservedSubmissionID(id)
}

// invitedPrefix begins the submission id of every invited response
// (survey.Invitation.SubmissionID).
const invitedPrefix = "inv-"

// ReservedSubmissionID reports whether id is in the namespace of invited
// responses, "inv-" in any case. Invitation ids are derived from public
// data (the slug and the library id), so a client choosing such an id
// could write or probe a library's one response; only the server, from a
// personal link's token, makes these ids (and those of the libraries'
// responses in an imported round, ImportedSubmissionID). Any case is refused so that no
// client id even looks like one.
func ReservedSubmissionID(id string) bool {
	return len(id) >= len(invitedPrefix) && strings.EqualFold(id[:len(invitedPrefix)], invitedPrefix)
}

// Submission is what a respondent sends, through the form or the API.
type Submission struct {
	// Survey is the survey's slug.
	Survey string
	// SubmissionID is the client's id for this response; empty gets a new
	// one; one starting "inv-" is refused (ReservedSubmissionID). Ignored
	// with an invitation: an invited library has one response.
	SubmissionID string
	// Language is the language answered in; empty is the survey's default.
	Language string
	// Answers are the raw answers keyed by question id: decoded JSON, or
	// what (*survey.Survey).FormAnswers reads from a form.
	Answers map[string]any
	// InvitationToken is the personal link's token, when there is one.
	InvitationToken string
	// Draft saves the answers without submitting them (an invitation only):
	// they are checked as far as they go, and never counted.
	Draft bool
	// Source is where the response came from: "web" (the form) or "api".
	Source string
	// Revision is, with an invitation, the revision of the library's
	// response the form was opened on (survey.Response.Revision; 0 when
	// there was none yet), or nil not to check it (the API). Given, an
	// answer that would replace a response changed since (in another
	// window or on another device) is refused with a *StaleResponse
	// rather than replacing that change unseen; the same answers again
	// are a retry, not a change, and pass.
	Revision *int
}

// StaleResponse is the ECONFLICT (on the field RevisionField) of a write
// through an invitation whose form was opened on an earlier revision of
// the response than the one stored now (Submission.Revision). Revision is
// the stored one: a form sent again with it replaces the response.
type StaleResponse struct {
	Err      *survey.Error
	Revision int
}

// RevisionField is the field of a StaleResponse.
const RevisionField = "revision"

func (e *StaleResponse) Error() string { return e.Err.Error() }

// Unwrap gives the *survey.Error, so ErrorCode and the error renderers
// see an ECONFLICT.
func (e *StaleResponse) Unwrap() error { return e.Err }

func staleResponse(stored *survey.Response) error {
	return &StaleResponse{Revision: stored.Revision, Err: &survey.Error{Code: survey.ECONFLICT,
		Message: "This response was changed since these answers were loaded (in another window or on another device): send them again to replace it.",
		Fields:  []survey.FieldError{{Path: RevisionField, Message: "The response is now at revision " + strconv.Itoa(stored.Revision) + "."}}}}
}

// Submitted is what a submission stored (or found stored).
type Submitted struct {
	// Response is the stored response: the one just written, or, for a
	// retry, the one written the first time.
	Response *survey.Response
	// Survey is the definition the answers were checked against.
	Survey *survey.Survey
	// Invitation is the invitation answered, nil for an anonymous response.
	Invitation *survey.Invitation
	// Created reports that no response with this submission id existed
	// before (the API's 201 rather than 200).
	Created bool
	// Outcome is what Metrics counted; empty for a draft, which is not a
	// submission.
	Outcome Outcome
}

// Submit checks and stores a response, anonymous or invited, from the form
// or the API: the one implementation of the submission contract
// (docs/api.md, docs/reliability.md).
//
//   - ENOTFOUND when there is no such survey; ECLOSED when it does not take
//     responses now.
//   - EINVALID with every problem as a field, in the order submission_id,
//     language, invitation_token, answers, then each question: an unknown or
//     revoked invitation is the field invitation_token.
//   - Anonymous: a new submission id stores the response (Created). The same
//     id again with the same answers returns the stored response (a retry);
//     with other answers it is ECONFLICT. The store's unique index makes
//     this hold whatever the concurrency.
//   - A client's submission id in the namespace of invited responses
//     ("inv-", ReservedSubmissionID) is EINVALID on submission_id without a
//     token, before anything is read: no answer tells whether a library
//     has answered.
//   - Invited: the invitation's one response, under the key only the token
//     leads to, whatever submission id was sent. A draft is saved again
//     freely until submitted; a submitted response is changed only where
//     the survey allows edits after submitting (else ECONFLICT, "already
//     answered"), except that the same answers again are a retry. A draft
//     never replaces a submitted response (ECONFLICT; on the field
//     DraftField where edits are allowed). Concurrent writes through one
//     invitation are decided one at a time (see storeInvited): of several
//     different first submissions exactly one is Created. The invitation
//     is marked started (draft) or submitted.
//   - Invited and not a draft: a number answer that breaks its question's
//     change_check against the library's submitted answer of the series'
//     previous wave, without an explanation, is EINVALID on the field
//     "<qid>_change_note" (survey.CheckChanges).
//   - Invited with Submission.Revision (the form): other answers over a
//     response written since that revision — in another window, on
//     another device, or by a first submission that got in first — are
//     a *StaleResponse (ECONFLICT on RevisionField) carrying the revision
//     now stored, and nothing is written.
//
// Every attempt but a draft is counted once, here, through Metrics, in the
// same way for anonymous and invited submissions.
func (s *Service) Submit(ctx context.Context, in Submission) (res *Submitted, err error) {
	// A draft is ENOTFOUND, as an unknown slug: respondents cannot tell one exists.
	sv, err := s.PublishedForm(ctx, in.Survey)
	if err != nil {
		return nil, err
	}
	invited := in.InvitationToken != ""
	if !in.Draft {
		defer func() {
			outcome := outcomeOf(err)
			if err == nil {
				outcome = res.Outcome
			}
			s.count(sv.Slug, outcome, invited)
		}()
	}
	if !sv.AcceptingAt(s.now()) {
		return nil, survey.Errorf(survey.ECLOSED, "The survey %q is not accepting responses.", sv.Slug)
	}
	var problems []survey.FieldError
	switch {
	case in.SubmissionID == "":
		in.SubmissionID = uuid.NewString()
	case ReservedSubmissionID(in.SubmissionID) && !invited:
		// Refused before anything is read, the same whether or not that
		// invitation exists or has answered. With a token the id sent is
		// ignored (the token names the response), so a form rendered
		// before ids were reserved still goes through.
		problems = append(problems, survey.FieldError{Path: "submission_id", Message: "submission_id must not start with \"" + invitedPrefix + "\": that prefix is reserved for the responses of personal invitations, which are found through their link's token."})
	case !ValidSubmissionID(in.SubmissionID):
		problems = append(problems, survey.FieldError{Path: "submission_id", Message: "submission_id must be 8–64 letters, digits, - or _ (a UUID is best)."})
	}
	lang := in.Language
	if lang == "" {
		lang = sv.DefaultLanguage
	} else if !sv.HasLanguage(lang) {
		problems = append(problems, survey.FieldError{Path: "language", Message: "The survey is not offered in language " + strconv.Quote(lang) + "."})
		lang = sv.DefaultLanguage
	}
	var inv *survey.Invitation
	if invited {
		found, err := s.InvitationByToken(ctx, sv.Slug, in.InvitationToken)
		switch survey.ErrorCode(err) {
		case "":
			inv = found
		case survey.ENOTFOUND:
			problems = append(problems, survey.FieldError{Path: InvitationTokenField, Message: "This invitation is not valid."})
		default:
			return nil, err
		}
	} else if in.Draft {
		problems = append(problems, survey.FieldError{Path: "draft", Message: "Only a personal invitation's link can save answers to finish later."})
	}
	if in.Answers == nil {
		problems = append(problems, survey.FieldError{Path: "answers", Message: "answers is required: an object keyed by question id."})
	}
	var answers survey.Answers
	if in.Draft {
		answers, err = sv.CheckDraft(in.Answers, lang)
	} else {
		answers, err = sv.CheckAnswers(in.Answers, lang)
	}
	problems = append(problems, survey.ErrorFields(err)...)
	if len(problems) == 0 && inv != nil && !in.Draft {
		// The change checks, against the same library's answers of the
		// previous wave: an answer far from it is asked about, not refused.
		prev, err := s.previousAnswers(ctx, sv, inv.LibraryID)
		if err != nil {
			return nil, err
		}
		var before survey.Answers
		if prev != nil {
			before = prev.Answers
		}
		problems = sv.CheckChanges(answers, before, lang)
	} else if inv == nil {
		// Nobody's previous answer to explain a change from: no
		// explanation is kept (the problems are none).
		sv.CheckChanges(answers, nil, lang)
	}
	if len(problems) > 0 {
		return nil, &survey.Error{Code: survey.EINVALID, Message: "Some answers need attention.", Fields: problems}
	}
	if inv != nil {
		return s.storeInvited(ctx, sv, inv, lang, answers, in.Draft, in.Source, in.Revision)
	}
	return s.storeAnonymous(ctx, sv, in.SubmissionID, lang, answers, in.Source)
}

// InvitationTokenField is the field an invalid invitation token is reported
// under: the form shows its own page for it, the API a 422.
const InvitationTokenField = "invitation_token"

// newResponse is a submitted response to sv as it will be stored.
func (s *Service) newResponse(sv *survey.Survey, submissionID, lang string, answers survey.Answers, source string) *survey.Response {
	// Millisecond precision is what the store keeps, so the first answer and
	// a replay show the same times.
	now := s.now().UTC().Truncate(time.Millisecond)
	country, region := sv.Locate(answers)
	return &survey.Response{
		SurveySlug: sv.Slug, SurveyVersion: sv.Version, SubmissionID: submissionID, Language: lang, Country: country, Region: region,
		Status: survey.ResponseSubmitted, Answers: answers, Source: source,
		CreatedAt: now, UpdatedAt: now, SubmittedAt: &now,
	}
}

// storeAnonymous inserts a checked response idempotently by submission id.
func (s *Service) storeAnonymous(ctx context.Context, sv *survey.Survey, submissionID, lang string, answers survey.Answers, source string) (*Submitted, error) {
	stored, created, err := s.cfg.Responses.CreateResponse(ctx, s.newResponse(sv, submissionID, lang, answers, source))
	if err != nil {
		return nil, err
	}
	res := &Submitted{Response: stored, Survey: sv, Created: created, Outcome: OutcomeCreated}
	if !created {
		if !stored.Answers.Equal(answers) {
			return nil, survey.Errorf(survey.ECONFLICT, "This submission_id was already used with different answers.")
		}
		res.Outcome = OutcomeDuplicate
	}
	return res, nil
}

// maxInvitedWrites bounds how often storeInvited reads and decides again
// after a concurrent writer got in first. Each miss means another write
// through the same invitation succeeded, so this is only reached under a
// burst of more simultaneous writes than that; the caller is told to retry
// (EUNAVAILABLE, a 503 with Retry-After) rather than waiting without end.
const maxInvitedWrites = 16

// storeInvited writes an invited library's one response, under the key
// only its token leads to (inv.SubmissionID). Every write is conditional,
// so concurrent submissions through one invitation are decided one after
// another as if they came in turn:
//
//   - nothing stored: CreateResponse inserts if absent, and the unique key
//     lets exactly one writer in; the others see its response and decide
//     again as below;
//   - something stored: ReplaceResponse writes only over the revision that
//     was read; on a miss (someone wrote in between) the response is read
//     again and the decision taken again on what is there now.
//
// So a write that is acknowledged is what is stored until a later
// acknowledged write replaces it: none is lost silently. With base (the
// revision the writer's form was opened on), a later write does not
// replace other answers stored since that form was opened, either: the
// writer is told (StaleResponse) and decides. Without base (the API) the
// last acknowledged write wins, as the API documents.
func (s *Service) storeInvited(ctx context.Context, sv *survey.Survey, inv *survey.Invitation, lang string, answers survey.Answers, draft bool, source string, base *int) (*Submitted, error) {
	for range maxInvitedWrites {
		existing, err := s.cfg.Responses.FindResponseBySubmission(ctx, sv.Slug, inv.SubmissionID())
		if err != nil && survey.ErrorCode(err) != survey.ENOTFOUND {
			return nil, err
		}
		r := s.newResponse(sv, inv.SubmissionID(), lang, answers, source)
		r.LibraryID, r.InvitationID = inv.LibraryID, inv.ID
		if draft {
			r.Status, r.SubmittedAt = survey.ResponseDraft, nil
		}
		if existing == nil {
			stored, created, err := s.cfg.Responses.CreateResponse(ctx, r)
			if err != nil {
				return nil, err
			}
			if created {
				return s.invitedStored(ctx, sv, inv, stored, true, OutcomeCreated, draft), nil
			}
			existing = stored // another writer got in first: decide on its response
		}
		r.ID, r.CreatedAt, r.Revision = existing.ID, existing.CreatedAt, existing.Revision
		// Stale: written since the form was opened (by another window, or
		// by the writer that got in first above), with other answers.
		stale := base != nil && *base != existing.Revision && !existing.Answers.Equal(answers)
		outcome := OutcomeCreated // a draft submitted: the first submission
		if existing.Status == survey.ResponseSubmitted {
			switch {
			case existing.Answers.Equal(answers) && !draft:
				// A retry: nothing to write.
				return &Submitted{Response: existing, Survey: sv, Invitation: inv, Outcome: OutcomeDuplicate}, nil
			case !sv.Settings.AllowEditAfterSubmit:
				return nil, survey.Errorf(survey.ECONFLICT, "This library has already answered the survey.")
			case stale:
				return nil, staleResponse(existing)
			case draft:
				return nil, &survey.Error{Code: survey.ECONFLICT, Message: "This response is already submitted: submit the changes to keep them; they cannot be saved as a draft.",
					Fields: []survey.FieldError{{Path: DraftField, Message: "A submitted response cannot go back to a draft."}}}
			}
			r.SubmittedAt = existing.SubmittedAt
			outcome = OutcomeUpdated
		} else if stale {
			return nil, staleResponse(existing)
		}
		err = s.cfg.Responses.ReplaceResponse(ctx, r)
		switch survey.ErrorCode(err) {
		case "":
			// Created: this call made the submitted response out of a draft.
			return s.invitedStored(ctx, sv, inv, r, outcome == OutcomeCreated && !draft, outcome, draft), nil
		case survey.ECONFLICT:
			continue // changed since read: read again, decide again
		default:
			return nil, err
		}
	}
	return nil, survey.Errorf(survey.EUNAVAILABLE, "Too many answers were sent through this invitation at once; try again in a moment.")
}

// DraftField is the field of the ECONFLICT Submit returns for a draft saved
// over a submitted response that the survey lets the library change: the
// form shows the answers again and asks to submit them instead.
const DraftField = "draft"

// invitedStored is what a write through an invitation reports, once the
// invitation is marked started (a draft) or submitted.
func (s *Service) invitedStored(ctx context.Context, sv *survey.Survey, inv *survey.Invitation, r *survey.Response, created bool, outcome Outcome, draft bool) *Submitted {
	progress := survey.InvitationSubmitted
	if draft {
		progress, outcome = survey.InvitationStarted, ""
	}
	s.advance(ctx, inv, progress)
	return &Submitted{Response: r, Survey: sv, Invitation: inv, Created: created, Outcome: outcome}
}

// outcomeOf is how a refused submission is counted.
func outcomeOf(err error) Outcome {
	switch survey.ErrorCode(err) {
	case survey.ECONFLICT:
		return OutcomeConflict
	case survey.EINVALID:
		return OutcomeInvalid
	case survey.ECLOSED:
		return OutcomeClosed
	case survey.EUNAVAILABLE:
		return OutcomeUnavailable
	}
	return OutcomeError
}

// count records a submission attempt, when there are metrics.
func (s *Service) count(slug string, outcome Outcome, invited bool) {
	if s.cfg.Metrics != nil {
		s.cfg.Metrics.Submission(slug, outcome, invited)
	}
}

// InvitationByToken finds the live invitation to the survey slug behind a
// personal link's token. Unknown, revoked and other surveys' tokens are all
// ENOTFOUND, so links cannot be probed.
func (s *Service) InvitationByToken(ctx context.Context, slug, token string) (*survey.Invitation, error) {
	inv, err := s.cfg.Invitations.FindInvitationByToken(ctx, survey.HashSecret(token))
	if err == nil && (inv.Revoked || inv.SurveySlug != slug) {
		return nil, survey.Errorf(survey.ENOTFOUND, "There is no such invitation.")
	}
	return inv, err
}

// advance records progress on an invitation. A failure to record it is
// logged and does not stop the respondent: their answers are stored.
func (s *Service) advance(ctx context.Context, inv *survey.Invitation, status survey.InvitationStatus) {
	before := inv.Status
	inv.Advance(status, s.now())
	if inv.Status == before && status != survey.InvitationSubmitted {
		return
	}
	if err := s.cfg.Invitations.RecordProgress(ctx, inv); err != nil {
		s.log.WarnContext(ctx, "record invitation progress", "error", err, "invitation", inv.ID)
	}
}
