package store

import (
	"context"
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

type loginAttemptDoc struct {
	Key         string    `bson:"_id"`
	Failures    int       `bson:"failures"`
	WindowStart time.Time `bson:"window_start"`
}

func loginLimit(key string) int {
	if len(key) > 3 && key[:3] == "ip:" {
		return survey.LoginMaxAddressFailures
	}
	return survey.LoginMaxAccountFailures
}

// LoginBlocked returns how long until key may try again (0: now).
func (st *Store) LoginBlocked(ctx context.Context, key string, now time.Time) (time.Duration, error) {
	ctx, cancel := st.op(ctx)
	defer cancel()
	var d loginAttemptDoc
	err := st.db.Collection(colLoginAttempts).FindOne(ctx, bson.D{{Key: "_id", Value: key}}).Decode(&d)
	if err != nil {
		if err = wrap(err, "find login attempts"); survey.ErrorCode(err) == survey.ENOTFOUND {
			return 0, nil
		}
		return 0, err
	}
	end := d.WindowStart.Add(survey.LoginWindow)
	if d.Failures >= loginLimit(key) && now.Before(end) {
		return end.Sub(now), nil
	}
	return 0, nil
}

// LoginFailed records a failed attempt, starting a new window when the last one ended.
func (st *Store) LoginFailed(ctx context.Context, key string, now time.Time) error {
	ctx, cancel := st.op(ctx)
	defer cancel()
	col := st.db.Collection(colLoginAttempts)
	res, err := col.UpdateOne(ctx, bson.D{{Key: "_id", Value: key}, {Key: "window_start", Value: bson.D{{Key: "$gt", Value: now.Add(-survey.LoginWindow).UTC()}}}},
		bson.D{{Key: "$inc", Value: bson.D{{Key: "failures", Value: 1}}}})
	if err != nil {
		return wrap(err, "count login failure")
	}
	if res.MatchedCount > 0 {
		return nil
	}
	_, err = col.ReplaceOne(ctx, bson.D{{Key: "_id", Value: key}}, loginAttemptDoc{Key: key, Failures: 1, WindowStart: now.UTC()}, options.Replace().SetUpsert(true))
	return wrap(err, "start login window")
}

// LoginSucceeded clears key's failures.
func (st *Store) LoginSucceeded(ctx context.Context, key string) error {
	ctx, cancel := st.op(ctx)
	defer cancel()
	_, err := st.db.Collection(colLoginAttempts).DeleteOne(ctx, bson.D{{Key: "_id", Value: key}})
	return wrap(err, "clear login failures")
}
