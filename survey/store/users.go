package store

import (
	"context"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/metlib/canvass/survey"
)

const (
	colUsers          = "users"
	colSessions       = "sessions"
	colPasswordTokens = "password_tokens"
	colAudit          = "audit"
	colLoginAttempts  = "login_attempt_log" // one document per attempt (the old "login_attempts" held counters)
)

var (
	_ survey.UserStore          = (*Store)(nil)
	_ survey.SessionStore       = (*Store)(nil)
	_ survey.PasswordTokenStore = (*Store)(nil)
	_ survey.AuditStore         = (*Store)(nil)
	_ survey.LoginLimiter       = (*Store)(nil)
)

type userDoc struct {
	ID           bson.ObjectID `bson:"_id"`
	Email        string        `bson:"email"`
	Name         string        `bson:"name"`
	Role         string        `bson:"role"`
	Regions      []string      `bson:"regions,omitempty"`
	Disabled     bool          `bson:"disabled"`
	PasswordHash string        `bson:"password_hash"`
	CreatedAt    time.Time     `bson:"created_at"`
	UpdatedAt    time.Time     `bson:"updated_at"`
	LastLoginAt  *time.Time    `bson:"last_login_at,omitempty"`
}

func (d *userDoc) user() *survey.User {
	var regions []survey.Region
	for _, r := range d.Regions {
		regions = append(regions, survey.Region(r))
	}
	return &survey.User{ID: d.ID.Hex(), Email: d.Email, Name: d.Name, Role: survey.Role(d.Role), Regions: regions, Disabled: d.Disabled,
		PasswordHash: d.PasswordHash, CreatedAt: d.CreatedAt.UTC(), UpdatedAt: d.UpdatedAt.UTC(), LastLoginAt: utc(d.LastLoginAt)}
}

// CreateUser stores u. Returns ECONFLICT if the email is taken.
func (st *Store) CreateUser(ctx context.Context, u *survey.User) error {
	ctx, cancel := st.op(ctx)
	defer cancel()
	now := time.Now().UTC()
	doc := userDoc{ID: bson.NewObjectID(), Email: u.Email, Name: u.Name, Role: string(u.Role), Regions: regionStrings(u.Regions), Disabled: u.Disabled,
		PasswordHash: u.PasswordHash, CreatedAt: now, UpdatedAt: now}
	if _, err := st.db.Collection(colUsers).InsertOne(ctx, doc); err != nil {
		if mongo.IsDuplicateKeyError(err) {
			return survey.Errorf(survey.ECONFLICT, "A user with email %s already exists.", u.Email)
		}
		return wrap(err, "insert user")
	}
	u.ID, u.CreatedAt, u.UpdatedAt = doc.ID.Hex(), now, now
	return nil
}

func (st *Store) findUser(ctx context.Context, filter bson.D, what string) (*survey.User, error) {
	ctx, cancel := st.op(ctx)
	defer cancel()
	var doc userDoc
	if err := st.db.Collection(colUsers).FindOne(ctx, filter).Decode(&doc); err != nil {
		if err = wrap(err, "find user"); survey.ErrorCode(err) == survey.ENOTFOUND {
			return nil, survey.Errorf(survey.ENOTFOUND, "There is no user %s.", what)
		}
		return nil, err
	}
	return doc.user(), nil
}

// FindUserByEmail returns ENOTFOUND if no user has that email.
func (st *Store) FindUserByEmail(ctx context.Context, email string) (*survey.User, error) {
	return st.findUser(ctx, bson.D{{Key: "email", Value: email}}, email)
}

// FindUserByID returns ENOTFOUND if there is no such user.
func (st *Store) FindUserByID(ctx context.Context, id string) (*survey.User, error) {
	oid, err := bson.ObjectIDFromHex(id)
	if err != nil {
		return nil, survey.Errorf(survey.ENOTFOUND, "There is no user %s.", id)
	}
	return st.findUser(ctx, bson.D{{Key: "_id", Value: oid}}, id)
}

// ListUsers returns every user, by email.
func (st *Store) ListUsers(ctx context.Context) ([]*survey.User, error) {
	ctx, cancel := st.op(ctx)
	defer cancel()
	cur, err := st.db.Collection(colUsers).Find(ctx, bson.D{}, options.Find().SetSort(bson.D{{Key: "email", Value: 1}}))
	if err != nil {
		return nil, wrap(err, "list users")
	}
	var docs []userDoc
	if err := cur.All(ctx, &docs); err != nil {
		return nil, wrap(err, "list users")
	}
	out := make([]*survey.User, len(docs))
	for i := range docs {
		out[i] = docs[i].user()
	}
	return out, nil
}

// CountUsers returns the number of users.
func (st *Store) CountUsers(ctx context.Context) (int, error) {
	ctx, cancel := st.op(ctx)
	defer cancel()
	n, err := st.db.Collection(colUsers).CountDocuments(ctx, bson.D{})
	return int(n), wrap(err, "count users")
}

func (st *Store) updateUser(ctx context.Context, id string, set bson.D) error {
	oid, err := bson.ObjectIDFromHex(id)
	if err != nil {
		return survey.Errorf(survey.ENOTFOUND, "There is no user %s.", id)
	}
	ctx, cancel := st.op(ctx)
	defer cancel()
	set = append(set, bson.E{Key: "updated_at", Value: time.Now().UTC()})
	res, err := st.db.Collection(colUsers).UpdateOne(ctx, bson.D{{Key: "_id", Value: oid}}, bson.D{{Key: "$set", Value: set}})
	if err != nil {
		return wrap(err, "update user")
	}
	if res.MatchedCount == 0 {
		return survey.Errorf(survey.ENOTFOUND, "There is no user %s.", id)
	}
	return nil
}

// UpdateUser saves name, role and disabled. Disabling an account also
// deletes its password links, so none outlives the reason it was sent.
func (st *Store) UpdateUser(ctx context.Context, u *survey.User) error {
	if err := st.updateUser(ctx, u.ID, bson.D{{Key: "name", Value: u.Name}, {Key: "role", Value: string(u.Role)}, {Key: "regions", Value: regionStrings(u.Regions)}, {Key: "disabled", Value: u.Disabled}}); err != nil {
		return err
	}
	if u.Disabled {
		return st.deleteUserPasswordTokens(ctx, u.ID)
	}
	return nil
}

// SetPassword stores a new password hash and deletes the user's password
// links: a reset sent before the change must not undo it.
func (st *Store) SetPassword(ctx context.Context, userID, hash string) error {
	if err := st.updateUser(ctx, userID, bson.D{{Key: "password_hash", Value: hash}}); err != nil {
		return err
	}
	return st.deleteUserPasswordTokens(ctx, userID)
}

func (st *Store) deleteUserPasswordTokens(ctx context.Context, userID string) error {
	ctx, cancel := st.op(ctx)
	defer cancel()
	_, err := st.db.Collection(colPasswordTokens).DeleteMany(ctx, bson.D{{Key: "user_id", Value: userID}})
	return wrap(err, "delete password links")
}

// RecordLogin sets the last login time.
func (st *Store) RecordLogin(ctx context.Context, userID string, at time.Time) error {
	return st.updateUser(ctx, userID, bson.D{{Key: "last_login_at", Value: at.UTC()}})
}

// regionStrings is a user's regions as stored: always an array (an empty
// one for users without regions), so an update clears old regions.
func regionStrings(rs []survey.Region) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = string(r)
	}
	return out
}
