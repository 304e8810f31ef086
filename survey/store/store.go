// Package store keeps Canvass's data in MongoDB through the official driver
// (go.mongodb.org/mongo-driver/v2). The same code serves a production MongoDB
// and the embedded MongoDB-wire server (see Embedded). It uses plain CRUD,
// indexes and simple filters only, which both support.
package store

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
	"go.mongodb.org/mongo-driver/v2/x/mongo/driver/topology"

	"github.com/metlib/canvass/survey"
)

// DefaultTimeout bounds every store call whose context has no deadline of
// its own. A caller that sets one gets it, longer or shorter.
const DefaultTimeout = 10 * time.Second

// Collection names.
const (
	colSurveys        = "surveys"
	colSurveyVersions = "survey_versions"
	colResponses      = "responses"
	colTokens         = "api_tokens"
	colSettings       = "settings"
)

// Store is a connection to one Canvass database.
type Store struct {
	client    *mongo.Client
	db        *mongo.Database
	timeout   time.Duration
	responses *inserter
}

// Compile-time checks that Store implements the domain's store interfaces.
var (
	_ survey.SurveyStore   = (*Store)(nil)
	_ survey.ResponseStore = (*Store)(nil)
	_ survey.TokenStore    = (*Store)(nil)
)

// Open connects to the MongoDB at uri, uses database dbName, checks the
// server answers, and creates the indexes Canvass needs (idempotently, so
// several instances may start at once).
func Open(ctx context.Context, uri, dbName string) (*Store, error) {
	// Defaults first, so the URI's own settings (serverSelectionTimeoutMS…) win.
	opts := options.Client().
		SetServerSelectionTimeout(5 * time.Second).
		SetConnectTimeout(5 * time.Second).
		SetAppName("canvass").
		ApplyURI(uri)
	client, err := mongo.Connect(opts)
	if err != nil {
		return nil, fmt.Errorf("connect to MongoDB: %w", err)
	}
	s := &Store{client: client, db: client.Database(dbName), timeout: DefaultTimeout}
	if err := s.Ping(ctx); err != nil {
		_ = client.Disconnect(context.Background())
		return nil, fmt.Errorf("reach MongoDB: %w", err)
	}
	if err := s.ensureIndexes(ctx); err != nil {
		_ = client.Disconnect(context.Background())
		return nil, fmt.Errorf("create indexes: %w", err)
	}
	s.responses = newInserter(s.db.Collection(colResponses))
	return s, nil
}

// Close disconnects from the server.
func (s *Store) Close(ctx context.Context) error {
	s.responses.close()
	return s.client.Disconnect(ctx)
}

// Ping checks that the server answers. Returns EUNAVAILABLE if it does not.
func (s *Store) Ping(ctx context.Context) error {
	ctx, cancel := s.op(ctx)
	defer cancel()
	return wrap(s.db.RunCommand(ctx, bson.D{{Key: "ping", Value: 1}}).Err(), "ping")
}

// Drop deletes the whole database. Tests use it to clean up.
func (s *Store) Drop(ctx context.Context) error {
	ctx, cancel := s.op(ctx)
	defer cancel()
	return wrap(s.db.Drop(ctx), "drop database")
}

// Database returns the underlying database handle, for benchmarks that
// compare the service with raw driver calls.
func (s *Store) Database() *mongo.Database { return s.db }

func (s *Store) ensureIndexes(ctx context.Context) error {
	ctx, cancel := s.op(ctx)
	defer cancel()
	indexes := map[string][]mongo.IndexModel{
		colResponses: {
			// A retried submission can never make a second response.
			{Keys: bson.D{{Key: "survey", Value: 1}, {Key: "submission_id", Value: 1}}, Options: options.Index().SetUnique(true).SetName("survey_submission_unique")},
			{Keys: bson.D{{Key: "survey", Value: 1}, {Key: "created_at", Value: 1}}, Options: options.Index().SetName("survey_created")},
			{Keys: bson.D{{Key: "survey", Value: 1}, {Key: "updated_at", Value: -1}}, Options: options.Index().SetName("survey_updated")},
			// Date filters compare submitted_at (see responseFilter). The
			// embedded server scans whatever the indexes; MongoDB uses it.
			{Keys: bson.D{{Key: "survey", Value: 1}, {Key: "submitted_at", Value: 1}}, Options: options.Index().SetName("survey_submitted")},
			// The wide export of a series reads each wave by library (ByLibrary).
			{Keys: bson.D{{Key: "survey", Value: 1}, {Key: "library_id", Value: 1}, {Key: "created_at", Value: 1}}, Options: options.Index().SetName("survey_library")},
		},
		colTokens: {
			{Keys: bson.D{{Key: "hash", Value: 1}}, Options: options.Index().SetUnique(true).SetName("hash_unique")},
		},
		colSurveyVersions: {
			{Keys: bson.D{{Key: "slug", Value: 1}, {Key: "version", Value: 1}}, Options: options.Index().SetUnique(true).SetName("slug_version_unique")},
		},
		colUsers: {
			{Keys: bson.D{{Key: "email", Value: 1}}, Options: options.Index().SetUnique(true).SetName("email_unique")},
		},
		colLoginAttempts: {
			{Keys: bson.D{{Key: "key", Value: 1}, {Key: "at", Value: 1}}, Options: options.Index().SetName("key_at")},
		},
		colSessions: {
			{Keys: bson.D{{Key: "user_id", Value: 1}}, Options: options.Index().SetName("user")},
		},
		colPasswordTokens: {
			{Keys: bson.D{{Key: "hash", Value: 1}}, Options: options.Index().SetUnique(true).SetName("hash_unique")},
		},
		colInvitations: {
			{Keys: bson.D{{Key: "token_hashes", Value: 1}}, Options: options.Index().SetName("tokens")},
			{Keys: bson.D{{Key: "survey", Value: 1}, {Key: "created_at", Value: 1}}, Options: options.Index().SetName("survey_created")},
		},
		colAudit: {
			{Keys: bson.D{{Key: "at", Value: -1}}, Options: options.Index().SetName("at")},
		},
		colReportMail: {
			{Keys: bson.D{{Key: "survey", Value: 1}}, Options: options.Index().SetName("survey")},
		},
		colReportInputs: {
			{Keys: bson.D{{Key: "survey", Value: 1}, {Key: "release", Value: 1}, {Key: "seq", Value: 1}}, Options: options.Index().SetName("survey_release_seq")},
		},
	}
	// One index per createIndexes command: the embedded server (FerretDB
	// 1.24) panics when one command names several indexes that all exist
	// already, which is every start but the first.
	for col, models := range indexes {
		for _, model := range models {
			if _, err := s.db.Collection(col).Indexes().CreateOne(ctx, model); err != nil {
				return wrap(err, "create indexes on "+col)
			}
		}
	}
	return nil
}

// op gives a store call its deadline: the caller's if it chose one (a
// test under load, or a command that may wait), DefaultTimeout otherwise.
func (s *Store) op(ctx context.Context) (context.Context, context.CancelFunc) {
	if _, ok := ctx.Deadline(); ok {
		return context.WithCancel(ctx)
	}
	return context.WithTimeout(ctx, s.timeout)
}

// Secret returns a random 32-byte secret stored under name, creating it the
// first time. Every instance sharing the database gets the same secret.
func (s *Store) Secret(ctx context.Context, name string) ([]byte, error) {
	ctx, cancel := s.op(ctx)
	defer cancel()
	fresh := make([]byte, 32)
	_, _ = rand.Read(fresh)
	col := s.db.Collection(colSettings)
	_, err := col.InsertOne(ctx, bson.D{{Key: "_id", Value: "secret:" + name}, {Key: "value", Value: fresh}})
	if err != nil && !mongo.IsDuplicateKeyError(err) {
		return nil, wrap(err, "create secret")
	}
	var doc struct {
		Value []byte `bson:"value"`
	}
	if err := col.FindOne(ctx, bson.D{{Key: "_id", Value: "secret:" + name}}).Decode(&doc); err != nil {
		return nil, wrap(err, "read secret")
	}
	return doc.Value, nil
}

// wrap turns driver errors into the domain's: not found, conflict, and
// unavailable (the store cannot be reached, so the caller may retry).
func wrap(err error, what string) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, mongo.ErrNoDocuments):
		return &survey.Error{Code: survey.ENOTFOUND, Message: "Not found.", Err: err}
	case mongo.IsDuplicateKeyError(err):
		return &survey.Error{Code: survey.ECONFLICT, Message: "It already exists.", Err: err}
	case errors.Is(err, context.Canceled):
		return err
	case mongo.IsTimeout(err), mongo.IsNetworkError(err), errors.Is(err, context.DeadlineExceeded),
		errors.As(err, new(topology.ServerSelectionError)), errors.Is(err, mongo.ErrClientDisconnected):
		return &survey.Error{Code: survey.EUNAVAILABLE, Message: "The database cannot be reached; please try again shortly.", Err: fmt.Errorf("%s: %w", what, err)}
	}
	return &survey.Error{Code: survey.EINTERNAL, Message: "An internal error occurred.", Err: fmt.Errorf("%s: %w", what, err)}
}

// SetResultsPublished publishes (at non-nil) or withdraws a survey's public results page.
func (s *Store) SetResultsPublished(ctx context.Context, slug string, at *time.Time) error {
	ctx, cancel := s.op(ctx)
	defer cancel()
	col := s.db.Collection(colSettings)
	if at == nil {
		_, err := col.DeleteOne(ctx, bson.D{{Key: "_id", Value: "results:" + slug}})
		return wrap(err, "unpublish results")
	}
	_, err := col.ReplaceOne(ctx, bson.D{{Key: "_id", Value: "results:" + slug}}, bson.D{{Key: "_id", Value: "results:" + slug}, {Key: "published_at", Value: at.UTC()}}, options.Replace().SetUpsert(true))
	return wrap(err, "publish results")
}

// ResultsPublished returns when a survey's results were published, or nil.
func (s *Store) ResultsPublished(ctx context.Context, slug string) (*time.Time, error) {
	ctx, cancel := s.op(ctx)
	defer cancel()
	var doc struct {
		At time.Time `bson:"published_at"`
	}
	err := s.db.Collection(colSettings).FindOne(ctx, bson.D{{Key: "_id", Value: "results:" + slug}}).Decode(&doc)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return nil, nil
	}
	if err != nil {
		return nil, wrap(err, "read results publication")
	}
	t := doc.At.UTC()
	return &t, nil
}
