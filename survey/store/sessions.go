package store

import (
	"context"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/metlib/canvass/survey"
)

type sessionDoc struct {
	Hash       string    `bson:"_id"`
	UserID     string    `bson:"user_id"`
	CreatedAt  time.Time `bson:"created_at"`
	LastSeenAt time.Time `bson:"last_seen_at"`
	ExpiresAt  time.Time `bson:"expires_at"`
}

// CreateSession stores a session.
func (st *Store) CreateSession(ctx context.Context, s *survey.Session) error {
	ctx, cancel := st.op(ctx)
	defer cancel()
	_, err := st.db.Collection(colSessions).InsertOne(ctx, sessionDoc{Hash: s.Hash, UserID: s.UserID, CreatedAt: s.CreatedAt, LastSeenAt: s.LastSeenAt, ExpiresAt: s.ExpiresAt})
	return wrap(err, "insert session")
}

// FindSession returns ENOTFOUND if there is no session with that hash.
func (st *Store) FindSession(ctx context.Context, hash string) (*survey.Session, error) {
	ctx, cancel := st.op(ctx)
	defer cancel()
	var d sessionDoc
	if err := st.db.Collection(colSessions).FindOne(ctx, bson.D{{Key: "_id", Value: hash}}).Decode(&d); err != nil {
		return nil, wrap(err, "find session")
	}
	return &survey.Session{Hash: d.Hash, UserID: d.UserID, CreatedAt: d.CreatedAt.UTC(), LastSeenAt: d.LastSeenAt.UTC(), ExpiresAt: d.ExpiresAt.UTC()}, nil
}

// TouchSession records activity, extending the idle timeout.
func (st *Store) TouchSession(ctx context.Context, hash string, at time.Time) error {
	ctx, cancel := st.op(ctx)
	defer cancel()
	_, err := st.db.Collection(colSessions).UpdateOne(ctx, bson.D{{Key: "_id", Value: hash}}, bson.D{{Key: "$set", Value: bson.D{{Key: "last_seen_at", Value: at.UTC()}}}})
	return wrap(err, "touch session")
}

// DeleteSession signs a browser out.
func (st *Store) DeleteSession(ctx context.Context, hash string) error {
	ctx, cancel := st.op(ctx)
	defer cancel()
	_, err := st.db.Collection(colSessions).DeleteOne(ctx, bson.D{{Key: "_id", Value: hash}})
	return wrap(err, "delete session")
}

// DeleteUserSessions signs a user out everywhere.
func (st *Store) DeleteUserSessions(ctx context.Context, userID string) error {
	ctx, cancel := st.op(ctx)
	defer cancel()
	_, err := st.db.Collection(colSessions).DeleteMany(ctx, bson.D{{Key: "user_id", Value: userID}})
	return wrap(err, "delete sessions")
}

type passwordTokenDoc struct {
	ID        string    `bson:"_id"` // the hash; for setup links a fixed id, so only one exists
	Hash      string    `bson:"hash"`
	UserID    string    `bson:"user_id,omitempty"`
	Purpose   string    `bson:"purpose"`
	CreatedAt time.Time `bson:"created_at"`
	ExpiresAt time.Time `bson:"expires_at"`
}

// setupTokenID is the one id a first-run setup link may have, so concurrent
// first starts of several instances issue a single link.
const setupTokenID = "setup"

// CreatePasswordToken stores t; a second unexpired setup link is ECONFLICT.
func (st *Store) CreatePasswordToken(ctx context.Context, t *survey.PasswordToken) error {
	ctx, cancel := st.op(ctx)
	defer cancel()
	col := st.db.Collection(colPasswordTokens)
	doc := passwordTokenDoc{ID: t.Hash, Hash: t.Hash, UserID: t.UserID, Purpose: t.Purpose, CreatedAt: t.CreatedAt, ExpiresAt: t.ExpiresAt}
	if t.Purpose == "setup" {
		doc.ID = setupTokenID
		// An expired link gives way to a new one.
		if _, err := col.DeleteOne(ctx, bson.D{{Key: "_id", Value: setupTokenID}, {Key: "expires_at", Value: bson.D{{Key: "$lte", Value: t.CreatedAt}}}}); err != nil {
			return wrap(err, "expire setup link")
		}
	}
	if _, err := col.InsertOne(ctx, doc); err != nil {
		if mongo.IsDuplicateKeyError(err) {
			return survey.Errorf(survey.ECONFLICT, "A setup link has already been issued.")
		}
		return wrap(err, "insert password token")
	}
	return nil
}

func (st *Store) findPasswordToken(ctx context.Context, hash string, now time.Time, take bool) (*survey.PasswordToken, error) {
	ctx, cancel := st.op(ctx)
	defer cancel()
	col := st.db.Collection(colPasswordTokens)
	filter := bson.D{{Key: "hash", Value: hash}, {Key: "expires_at", Value: bson.D{{Key: "$gt", Value: now.UTC()}}}}
	invalid := survey.Errorf(survey.ENOTFOUND, "This link is not valid. It may have expired or been used already.")
	var d passwordTokenDoc
	if err := col.FindOne(ctx, filter).Decode(&d); err != nil {
		if err = wrap(err, "find password token"); survey.ErrorCode(err) == survey.ENOTFOUND {
			return nil, invalid
		}
		return nil, err
	}
	if take {
		// Whoever deletes the document uses the link. (findAndModify is not
		// atomic on the embedded server, a plain delete is.)
		res, err := col.DeleteOne(ctx, bson.D{{Key: "_id", Value: d.ID}})
		if err != nil {
			return nil, wrap(err, "use password token")
		}
		if res.DeletedCount != 1 {
			return nil, invalid
		}
	}
	return &survey.PasswordToken{Hash: d.Hash, UserID: d.UserID, Purpose: d.Purpose, CreatedAt: d.CreatedAt.UTC(), ExpiresAt: d.ExpiresAt.UTC()}, nil
}

// TakePasswordToken finds and deletes the token in one step, so it works once.
func (st *Store) TakePasswordToken(ctx context.Context, hash string, now time.Time) (*survey.PasswordToken, error) {
	return st.findPasswordToken(ctx, hash, now, true)
}

// PeekPasswordToken finds a usable token without using it up.
func (st *Store) PeekPasswordToken(ctx context.Context, hash string, now time.Time) (*survey.PasswordToken, error) {
	return st.findPasswordToken(ctx, hash, now, false)
}
