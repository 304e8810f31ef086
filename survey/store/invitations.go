package store

import (
	"context"
	"hash/fnv"
	"sync"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/metlib/canvass/survey"
)

const colInvitations = "invitations"

var _ survey.InvitationStore = (*Store)(nil)

type invitationDoc struct {
	// ID is derived from survey and library, so a library is invited to a
	// survey at most once, however many instances invite it at once.
	ID          string     `bson:"_id"`
	Survey      string     `bson:"survey"`
	LibraryID   string     `bson:"library_id"`
	Name        string     `bson:"name,omitempty"`
	Email       string     `bson:"email,omitempty"`
	Language    string     `bson:"language,omitempty"`
	TokenHashes []string   `bson:"token_hashes"`
	Status      string     `bson:"status"`
	Revoked     bool       `bson:"revoked"`
	CreatedAt   time.Time  `bson:"created_at"`
	SentAt      *time.Time `bson:"sent_at,omitempty"`
	OpenedAt    *time.Time `bson:"opened_at,omitempty"`
	StartedAt   *time.Time `bson:"started_at,omitempty"`
	SubmittedAt *time.Time `bson:"submitted_at,omitempty"`
	Reminders   int        `bson:"reminders"`
	SendError   string     `bson:"send_error,omitempty"`
}

func invitationFrom(inv *survey.Invitation) invitationDoc {
	hashes := inv.TokenHashes
	if hashes == nil {
		hashes = []string{}
	}
	return invitationDoc{ID: inv.ID, Survey: inv.SurveySlug, LibraryID: inv.LibraryID, Name: inv.Name, Email: inv.Email, Language: inv.Language,
		TokenHashes: hashes, Status: string(inv.Status), Revoked: inv.Revoked, CreatedAt: inv.CreatedAt.UTC(),
		SentAt: inv.SentAt, OpenedAt: inv.OpenedAt, StartedAt: inv.StartedAt, SubmittedAt: inv.SubmittedAt, Reminders: inv.Reminders, SendError: inv.SendError}
}

func (d *invitationDoc) invitation() *survey.Invitation {
	return &survey.Invitation{ID: d.ID, SurveySlug: d.Survey, LibraryID: d.LibraryID, Name: d.Name, Email: d.Email, Language: d.Language,
		TokenHashes: d.TokenHashes, Status: survey.InvitationStatus(d.Status), Revoked: d.Revoked, CreatedAt: d.CreatedAt.UTC(),
		SentAt: utc(d.SentAt), OpenedAt: utc(d.OpenedAt), StartedAt: utc(d.StartedAt), SubmittedAt: utc(d.SubmittedAt), Reminders: d.Reminders, SendError: d.SendError}
}

// CreateInvitation stores inv. ECONFLICT if the library is already invited.
func (st *Store) CreateInvitation(ctx context.Context, inv *survey.Invitation) error {
	ctx, cancel := st.op(ctx)
	defer cancel()
	inv.ID = responseID(inv.SurveySlug, "library:"+inv.LibraryID)
	if inv.Status == "" {
		inv.Status = survey.InvitationNotSent
	}
	if _, err := st.db.Collection(colInvitations).InsertOne(ctx, invitationFrom(inv)); err != nil {
		if mongo.IsDuplicateKeyError(err) {
			return survey.Errorf(survey.ECONFLICT, "This library is already invited to %s.", inv.SurveySlug)
		}
		return wrap(err, "insert invitation")
	}
	return nil
}

func (st *Store) findInvitation(ctx context.Context, filter bson.D) (*survey.Invitation, error) {
	ctx, cancel := st.op(ctx)
	defer cancel()
	var d invitationDoc
	if err := st.db.Collection(colInvitations).FindOne(ctx, filter).Decode(&d); err != nil {
		if err = wrap(err, "find invitation"); survey.ErrorCode(err) == survey.ENOTFOUND {
			return nil, survey.Errorf(survey.ENOTFOUND, "There is no such invitation.")
		}
		return nil, err
	}
	return d.invitation(), nil
}

// FindInvitationByToken returns ENOTFOUND for an unknown token.
func (st *Store) FindInvitationByToken(ctx context.Context, tokenHash string) (*survey.Invitation, error) {
	return st.findInvitation(ctx, bson.D{{Key: "token_hashes", Value: tokenHash}})
}

// FindInvitation returns ENOTFOUND if there is no such invitation.
func (st *Store) FindInvitation(ctx context.Context, id string) (*survey.Invitation, error) {
	return st.findInvitation(ctx, bson.D{{Key: "_id", Value: id}})
}

// ListInvitations returns a survey's invitations, oldest first.
func (st *Store) ListInvitations(ctx context.Context, slug string) ([]*survey.Invitation, error) {
	ctx, cancel := st.op(ctx)
	defer cancel()
	cur, err := st.db.Collection(colInvitations).Find(ctx, bson.D{{Key: "survey", Value: slug}}, options.Find().SetSort(bson.D{{Key: "created_at", Value: 1}, {Key: "_id", Value: 1}}))
	if err != nil {
		return nil, wrap(err, "list invitations")
	}
	var docs []invitationDoc
	if err := cur.All(ctx, &docs); err != nil {
		return nil, wrap(err, "list invitations")
	}
	out := make([]*survey.Invitation, len(docs))
	for i := range docs {
		out[i] = docs[i].invitation()
	}
	return out, nil
}

// UpdateInvitation saves an invitation.
func (st *Store) UpdateInvitation(ctx context.Context, inv *survey.Invitation) error {
	ctx, cancel := st.op(ctx)
	defer cancel()
	res, err := st.db.Collection(colInvitations).ReplaceOne(ctx, bson.D{{Key: "_id", Value: inv.ID}}, invitationFrom(inv))
	if err != nil {
		return wrap(err, "update invitation")
	}
	if res.MatchedCount == 0 {
		return survey.Errorf(survey.ENOTFOUND, "There is no such invitation.")
	}
	return nil
}

// RecordProgress sets the progress fields of inv alone: the times it has
// (a time already stored is kept), and the status where the stored one
// ranks below it, so two progresses recorded at once never move it back.
func (st *Store) RecordProgress(ctx context.Context, inv *survey.Invitation) error {
	ctx, cancel := st.op(ctx)
	defer cancel()
	coll := st.db.Collection(colInvitations)
	for _, t := range []struct {
		field string
		at    *time.Time
	}{{"opened_at", inv.OpenedAt}, {"started_at", inv.StartedAt}, {"submitted_at", inv.SubmittedAt}} {
		if t.at == nil {
			continue
		}
		_, err := coll.UpdateOne(ctx, bson.D{{Key: "_id", Value: inv.ID}, {Key: t.field, Value: bson.D{{Key: "$exists", Value: false}}}},
			bson.D{{Key: "$set", Value: bson.D{{Key: t.field, Value: t.at.UTC()}}}})
		if err != nil {
			return wrap(err, "record invitation progress")
		}
	}
	var below bson.A
	for _, s := range survey.InvitationStatuses {
		if s == inv.Status {
			break
		}
		below = append(below, string(s))
	}
	res, err := coll.UpdateOne(ctx, bson.D{{Key: "_id", Value: inv.ID}, {Key: "status", Value: bson.D{{Key: "$in", Value: append(below, "")}}}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "status", Value: string(inv.Status)}}}})
	if err != nil {
		return wrap(err, "record invitation progress")
	}
	if res.MatchedCount == 0 {
		if _, err := st.FindInvitation(ctx, inv.ID); err != nil {
			return err
		}
	}
	return nil
}

// DeleteInvitation removes an invitation. ENOTFOUND if there is none.
func (st *Store) DeleteInvitation(ctx context.Context, id string) error {
	ctx, cancel := st.op(ctx)
	defer cancel()
	res, err := st.db.Collection(colInvitations).DeleteOne(ctx, bson.D{{Key: "_id", Value: id}})
	if err != nil {
		return wrap(err, "delete invitation")
	}
	if res.DeletedCount == 0 {
		return survey.Errorf(survey.ENOTFOUND, "There is no such invitation.")
	}
	return nil
}

// ReplaceResponse replaces the stored response with r's survey and
// submission id if it is still at r.Revision, and then sets r.Revision to
// the revision written. Of concurrent writers that read the same revision
// exactly one writes; the others get ECONFLICT and nothing is written
// (there is no upsert: a response deleted meanwhile is ECONFLICT too, and
// the caller creates it anew with CreateResponse, whose unique key settles
// that race).
//
// MongoDB tests the filter and writes in one step. The embedded server
// does not: FerretDB's update queries the matching documents and then
// writes them by _id (handler/msg_update.go), so two writers that read the
// same revision both matched, and ten concurrent edits through one
// invitation ended at revision 3 with all ten acknowledged. So the check
// and the write are also serialized per response within the process
// (replaceLock). That is enough for the embedded server, which only one
// process uses (one canvass serve per data directory); across instances
// sharing a MongoDB, the filter holds.
func (st *Store) ReplaceResponse(ctx context.Context, r *survey.Response) error {
	ctx, cancel := st.op(ctx)
	defer cancel()
	doc, err := newResponseDoc(r)
	if err != nil {
		return err
	}
	mu := replaceLock(st.db.Name(), doc.ID)
	mu.Lock()
	defer mu.Unlock()
	doc.Revision = r.Revision + 1
	filter := bson.D{{Key: "_id", Value: doc.ID}, {Key: "revision", Value: r.Revision}}
	if r.Revision == 0 {
		// Stored before revisions were kept: the field is absent.
		filter[1] = bson.E{Key: "revision", Value: bson.D{{Key: "$exists", Value: false}}}
	}
	res, err := st.db.Collection(colResponses).ReplaceOne(ctx, filter, doc)
	if err != nil {
		return wrap(err, "replace response")
	}
	if res.MatchedCount == 0 {
		return survey.Errorf(survey.ECONFLICT, "The response was changed or removed since it was read.")
	}
	r.ID, r.Revision = doc.ID, doc.Revision
	return nil
}

// replaceLocks serialize ReplaceResponse per response within the process
// (see there). Striped, so the set stays small; two responses sharing a
// stripe only wait for each other's one write.
var replaceLocks [64]sync.Mutex

func replaceLock(db, id string) *sync.Mutex {
	h := fnv.New32a()
	h.Write([]byte(db + "\x00" + id))
	return &replaceLocks[h.Sum32()%uint32(len(replaceLocks))]
}

// FindResponseBySubmission finds a response by its survey and submission id.
func (st *Store) FindResponseBySubmission(ctx context.Context, slug, submissionID string) (*survey.Response, error) {
	return st.FindResponse(ctx, responseID(slug, submissionID))
}
