package store

import (
	"context"
	"errors"
	"fmt"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/metlib/canvass/survey"
)

// colPublicSnapshots holds one document per survey: its public snapshot,
// keyed by the survey's slug.
const colPublicSnapshots = "public_snapshots"

var _ survey.PublicationStore = (*Store)(nil)

// snapshotDoc is a public snapshot as stored. The figures are written with
// BSON's own encoding, not JSON: BSON keeps what JSON loses (NaN, which
// undefined statistics are; an empty list apart from none; a pointer to
// zero apart from nil), so every instance decodes exactly the figures that
// were taken and serves the same bytes. They are kept as one binary value
// rather than a subdocument because the embedded server refuses a NaN
// anywhere in a document ("NaN is not supported") and never looks inside
// a binary; nothing queries them.
type snapshotDoc struct {
	Survey    string        `bson:"_id"`
	Seq       int64         `bson:"seq"`
	Responses int           `bson:"responses"`
	Version   int           `bson:"version"`
	TakenAt   bson.DateTime `bson:"taken_at"`
	Figures   []byte        `bson:"figures,omitempty"`
	// Disclosure is how the figures were disclosed (SavePublicDisclosure),
	// binary for the same reason.
	Disclosure []byte `bson:"disclosure,omitempty"`
}

// SavePublicSnapshot stores snap as its survey's snapshot if the stored
// one is still at prev (0: none yet). Returns ECONFLICT, writing nothing,
// when another write came first: the unique _id decides between two first
// snapshots, the filter on seq between two retakes (MongoDB tests it and
// writes in one step; the embedded server, one process, is serialized here).
func (s *Store) SavePublicSnapshot(ctx context.Context, snap *survey.PublicSnapshot, prev int64) error {
	if snap.Seq != prev+1 {
		return survey.Errorf(survey.EINVALID, "Snapshot %d cannot follow snapshot %d.", snap.Seq, prev)
	}
	figures, err := bson.Marshal(snap.Figures)
	if err != nil {
		return &survey.Error{Code: survey.EINTERNAL, Message: "An internal error occurred.", Err: fmt.Errorf("encode public snapshot of %s: %w", snap.Survey, err)}
	}
	doc := snapshotDoc{Survey: snap.Survey, Seq: snap.Seq, Responses: snap.Responses, Version: snap.Version,
		TakenAt: bson.NewDateTimeFromTime(snap.TakenAt), Figures: figures}
	ctx, cancel := s.op(ctx)
	defer cancel()
	col := s.db.Collection(colPublicSnapshots)
	conflict := survey.Errorf(survey.ECONFLICT, "The public figures of %s were taken again meanwhile.", snap.Survey)
	if prev == 0 {
		// The unique _id decides between two first snapshots.
		_, err := col.InsertOne(ctx, doc)
		if mongo.IsDuplicateKeyError(err) {
			return conflict
		}
		return wrap(err, "save public snapshot")
	}
	// The embedded server tests the filter and writes in two steps (see
	// ReplaceResponse): serialize within the process, as there.
	mu := replaceLock(s.db.Name(), "snapshot\x00"+snap.Survey)
	mu.Lock()
	defer mu.Unlock()
	res, err := col.ReplaceOne(ctx, bson.D{{Key: "_id", Value: snap.Survey}, {Key: "seq", Value: prev}}, doc)
	if err != nil {
		return wrap(err, "save public snapshot")
	}
	if res.MatchedCount == 0 {
		return conflict
	}
	return nil
}

// FindPublicSnapshot returns a survey's snapshot, its figures decoded into
// figures (nil: not read at all, which is what the frequent check needs).
// Returns ENOTFOUND when none has been taken.
func (s *Store) FindPublicSnapshot(ctx context.Context, slug string, figures any) (*survey.PublicSnapshot, error) {
	ctx, cancel := s.op(ctx)
	defer cancel()
	opts := options.FindOne()
	if figures == nil {
		opts.SetProjection(bson.D{{Key: "figures", Value: 0}, {Key: "disclosure", Value: 0}})
	} else {
		opts.SetProjection(bson.D{{Key: "disclosure", Value: 0}})
	}
	var doc snapshotDoc
	err := s.db.Collection(colPublicSnapshots).FindOne(ctx, bson.D{{Key: "_id", Value: slug}}, opts).Decode(&doc)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return nil, survey.Errorf(survey.ENOTFOUND, "The public figures of %s have not been taken yet.", slug)
	}
	if err != nil {
		return nil, wrap(err, "read public snapshot")
	}
	snap := &survey.PublicSnapshot{Survey: doc.Survey, Seq: doc.Seq, Responses: doc.Responses, Version: doc.Version, TakenAt: doc.TakenAt.Time().UTC()}
	if figures != nil {
		if err := bson.Unmarshal(doc.Figures, figures); err != nil {
			return nil, &survey.Error{Code: survey.EINTERNAL, Message: "An internal error occurred.", Err: fmt.Errorf("decode public snapshot of %s: %w", slug, err)}
		}
		snap.Figures = figures
	}
	return snap, nil
}

// SavePublicDisclosure sets the disclosure of snapshot seq, if the stored
// snapshot is still that one.
func (s *Store) SavePublicDisclosure(ctx context.Context, slug string, seq int64, disclosure any) error {
	raw, err := bson.Marshal(disclosure)
	if err != nil {
		return &survey.Error{Code: survey.EINTERNAL, Message: "An internal error occurred.", Err: fmt.Errorf("encode the disclosure of %s: %w", slug, err)}
	}
	ctx, cancel := s.op(ctx)
	defer cancel()
	mu := replaceLock(s.db.Name(), "snapshot\x00"+slug) // as SavePublicSnapshot: not between its test and its write
	mu.Lock()
	defer mu.Unlock()
	res, err := s.db.Collection(colPublicSnapshots).UpdateOne(ctx, bson.D{{Key: "_id", Value: slug}, {Key: "seq", Value: seq}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "disclosure", Value: raw}}}})
	if err != nil {
		return wrap(err, "save the disclosure of a public snapshot")
	}
	if res.MatchedCount == 0 {
		return survey.Errorf(survey.ECONFLICT, "The public figures of %s were taken again meanwhile.", slug)
	}
	return nil
}

// FindPublicDisclosure reads the disclosure kept for snapshot seq.
func (s *Store) FindPublicDisclosure(ctx context.Context, slug string, seq int64, disclosure any) error {
	ctx, cancel := s.op(ctx)
	defer cancel()
	var doc snapshotDoc
	err := s.db.Collection(colPublicSnapshots).FindOne(ctx, bson.D{{Key: "_id", Value: slug}, {Key: "seq", Value: seq}},
		options.FindOne().SetProjection(bson.D{{Key: "disclosure", Value: 1}})).Decode(&doc)
	if errors.Is(err, mongo.ErrNoDocuments) || err == nil && doc.Disclosure == nil {
		return survey.Errorf(survey.ENOTFOUND, "No disclosure is kept for snapshot %d of %s.", seq, slug)
	}
	if err != nil {
		return wrap(err, "read the disclosure of a public snapshot")
	}
	if err := bson.Unmarshal(doc.Disclosure, disclosure); err != nil {
		return &survey.Error{Code: survey.EINTERNAL, Message: "An internal error occurred.", Err: fmt.Errorf("decode the disclosure of %s: %w", slug, err)}
	}
	return nil
}
