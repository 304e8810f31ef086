package store

import (
	"context"
	"strings"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/metlib/canvass/survey"
)

type auditDoc struct {
	ID      bson.ObjectID `bson:"_id"`
	At      time.Time     `bson:"at"`
	Actor   string        `bson:"actor"`
	Action  string        `bson:"action"`
	Target  string        `bson:"target"`
	Details string        `bson:"details,omitempty"`
}

// RecordAudit appends an entry to the audit log.
func (st *Store) RecordAudit(ctx context.Context, e *survey.AuditEntry) error {
	ctx, cancel := st.op(ctx)
	defer cancel()
	doc := auditDoc{ID: bson.NewObjectID(), At: e.At.UTC(), Actor: e.Actor, Action: e.Action, Target: e.Target, Details: e.Details}
	if _, err := st.db.Collection(colAudit).InsertOne(ctx, doc); err != nil {
		return wrap(err, "insert audit entry")
	}
	e.ID = doc.ID.Hex()
	return nil
}

// ListAudit returns a page of entries, newest first, and the number matching.
func (st *Store) ListAudit(ctx context.Context, f survey.AuditFilter) ([]*survey.AuditEntry, int, error) {
	ctx, cancel := st.op(ctx)
	defer cancel()
	filter := bson.D{}
	for key, v := range map[string]string{"actor": f.Actor, "action": f.Action, "target": f.Target} {
		if v != "" {
			filter = append(filter, bson.E{Key: key, Value: v})
		}
	}
	if f.From != nil || f.To != nil {
		at := bson.D{}
		if f.From != nil {
			at = append(at, bson.E{Key: "$gte", Value: f.From.UTC()})
		}
		if f.To != nil {
			at = append(at, bson.E{Key: "$lt", Value: f.To.UTC()})
		}
		filter = append(filter, bson.E{Key: "at", Value: at})
	}
	col := st.db.Collection(colAudit)
	total, err := col.CountDocuments(ctx, filter)
	if err != nil {
		return nil, 0, wrap(err, "count audit")
	}
	opts := options.Find().SetSort(bson.D{{Key: "at", Value: -1}, {Key: "_id", Value: -1}}).SetSkip(int64(f.Offset))
	if f.Limit > 0 {
		opts.SetLimit(int64(f.Limit))
	}
	cur, err := col.Find(ctx, filter, opts)
	if err != nil {
		return nil, 0, wrap(err, "list audit")
	}
	var docs []auditDoc
	if err := cur.All(ctx, &docs); err != nil {
		return nil, 0, wrap(err, "list audit")
	}
	out := make([]*survey.AuditEntry, len(docs))
	for i, d := range docs {
		out[i] = &survey.AuditEntry{ID: d.ID.Hex(), At: d.At.UTC(), Actor: d.Actor, Action: d.Action, Target: d.Target, Details: d.Details}
	}
	return out, int(total), nil
}

// loginAttemptDoc is one sign-in attempt. Each attempt is its own
// document, inserted before the password is checked, and the attempts are
// counted after the insert: inserts are atomic on MongoDB and on the
// embedded FerretDB alike (an upsert-and-increment is not on the latter,
// which runs findAndModify and upserts as a read then a write), so of any
// number of concurrent attempts at most the limit see a count within it.
// The attempt whose count is over the limit deletes itself, so refused
// attempts do not extend the lockout.
type loginAttemptDoc struct {
	ID  bson.ObjectID `bson:"_id"`
	Key string        `bson:"key"`
	At  time.Time     `bson:"at"`
}

func loginLimit(key string) int {
	if strings.HasPrefix(key, "ip:") {
		return survey.LoginMaxAddressFailures
	}
	return survey.LoginMaxAccountFailures
}

// ReserveLogin counts an attempt for key; see survey.LoginLimiter.
func (st *Store) ReserveLogin(ctx context.Context, key string, now time.Time) (string, time.Duration, error) {
	ctx, cancel := st.op(ctx)
	defer cancel()
	col := st.db.Collection(colLoginAttempts)
	since := now.Add(-survey.LoginWindow).UTC()
	// Attempts that left the window are of no more use.
	if _, err := col.DeleteMany(ctx, bson.D{{Key: "key", Value: key}, {Key: "at", Value: bson.D{{Key: "$lte", Value: since}}}}); err != nil {
		return "", 0, wrap(err, "expire login attempts")
	}
	doc := loginAttemptDoc{ID: bson.NewObjectID(), Key: key, At: now.UTC()}
	if _, err := col.InsertOne(ctx, doc); err != nil {
		return "", 0, wrap(err, "count login attempt")
	}
	inWindow := bson.D{{Key: "key", Value: key}, {Key: "at", Value: bson.D{{Key: "$gt", Value: since}}}}
	n, err := col.CountDocuments(ctx, inWindow)
	if err != nil {
		return "", 0, wrap(err, "count login attempts")
	}
	if int(n) <= loginLimit(key) {
		return doc.ID.Hex(), 0, nil
	}
	if _, err := col.DeleteOne(ctx, bson.D{{Key: "_id", Value: doc.ID}}); err != nil {
		return "", 0, wrap(err, "uncount refused login attempt")
	}
	var oldest loginAttemptDoc
	if err := col.FindOne(ctx, inWindow, options.FindOne().SetSort(bson.D{{Key: "at", Value: 1}})).Decode(&oldest); err != nil {
		if survey.ErrorCode(wrap(err, "")) == survey.ENOTFOUND {
			return "", time.Second, nil // cleared meanwhile; try again
		}
		return "", 0, wrap(err, "find oldest login attempt")
	}
	return "", max(oldest.At.Add(survey.LoginWindow).Sub(now), time.Second), nil
}

// ReleaseLogin uncounts one reserved attempt.
func (st *Store) ReleaseLogin(ctx context.Context, id string) error {
	oid, err := bson.ObjectIDFromHex(id)
	if err != nil {
		return nil // nothing was reserved
	}
	ctx, cancel := st.op(ctx)
	defer cancel()
	_, err = st.db.Collection(colLoginAttempts).DeleteOne(ctx, bson.D{{Key: "_id", Value: oid}})
	return wrap(err, "release login attempt")
}

// LoginSucceeded clears key's attempts.
func (st *Store) LoginSucceeded(ctx context.Context, key string) error {
	ctx, cancel := st.op(ctx)
	defer cancel()
	_, err := st.db.Collection(colLoginAttempts).DeleteMany(ctx, bson.D{{Key: "key", Value: key}})
	return wrap(err, "clear login attempts")
}
