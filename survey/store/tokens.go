package store

import (
	"context"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/metlib/canvass/survey"
)

type tokenDoc struct {
	ID         bson.ObjectID `bson:"_id"`
	Name       string        `bson:"name"`
	Role       string        `bson:"role"`
	Hash       string        `bson:"hash"`
	CreatedAt  time.Time     `bson:"created_at"`
	LastUsedAt *time.Time    `bson:"last_used_at,omitempty"`
	RevokedAt  *time.Time    `bson:"revoked_at,omitempty"`
}

func (d *tokenDoc) token() *survey.APIToken {
	return &survey.APIToken{ID: d.ID.Hex(), Name: d.Name, Role: survey.Role(d.Role), Hash: d.Hash,
		CreatedAt: d.CreatedAt.UTC(), LastUsedAt: utc(d.LastUsedAt), RevokedAt: utc(d.RevokedAt)}
}

// CreateToken stores t, filling in its ID.
func (st *Store) CreateToken(ctx context.Context, t *survey.APIToken) error {
	ctx, cancel := st.op(ctx)
	defer cancel()
	doc := tokenDoc{ID: bson.NewObjectID(), Name: t.Name, Role: string(t.Role), Hash: t.Hash, CreatedAt: t.CreatedAt}
	if _, err := st.db.Collection(colTokens).InsertOne(ctx, doc); err != nil {
		return wrap(err, "insert token")
	}
	t.ID = doc.ID.Hex()
	return nil
}

// FindTokenByHash returns ENOTFOUND when no token has that hash.
func (st *Store) FindTokenByHash(ctx context.Context, hash string) (*survey.APIToken, error) {
	ctx, cancel := st.op(ctx)
	defer cancel()
	var doc tokenDoc
	if err := st.db.Collection(colTokens).FindOne(ctx, bson.D{{Key: "hash", Value: hash}}).Decode(&doc); err != nil {
		return nil, wrap(err, "find token")
	}
	return doc.token(), nil
}

// ListTokens returns every token, newest first.
func (st *Store) ListTokens(ctx context.Context) ([]*survey.APIToken, error) {
	ctx, cancel := st.op(ctx)
	defer cancel()
	cur, err := st.db.Collection(colTokens).Find(ctx, bson.D{}, options.Find().SetSort(bson.D{{Key: "created_at", Value: -1}}))
	if err != nil {
		return nil, wrap(err, "list tokens")
	}
	var docs []tokenDoc
	if err := cur.All(ctx, &docs); err != nil {
		return nil, wrap(err, "list tokens")
	}
	out := make([]*survey.APIToken, len(docs))
	for i := range docs {
		out[i] = docs[i].token()
	}
	return out, nil
}

// RevokeToken marks a token revoked. Returns ENOTFOUND if there is none with that id.
func (st *Store) RevokeToken(ctx context.Context, id string) error {
	return st.setTokenTime(ctx, id, "revoked_at", time.Now().UTC())
}

// TouchToken records that a token was just used.
func (st *Store) TouchToken(ctx context.Context, id string, at time.Time) error {
	return st.setTokenTime(ctx, id, "last_used_at", at.UTC())
}

func (st *Store) setTokenTime(ctx context.Context, id, field string, at time.Time) error {
	oid, err := bson.ObjectIDFromHex(id)
	if err != nil {
		return survey.Errorf(survey.ENOTFOUND, "There is no token %q.", id)
	}
	ctx, cancel := st.op(ctx)
	defer cancel()
	res, err := st.db.Collection(colTokens).UpdateOne(ctx, bson.D{{Key: "_id", Value: oid}}, bson.D{{Key: "$set", Value: bson.D{{Key: field, Value: at}}}})
	if err != nil {
		return wrap(err, "update token")
	}
	if res.MatchedCount == 0 {
		return survey.Errorf(survey.ENOTFOUND, "There is no token %q.", id)
	}
	return nil
}
