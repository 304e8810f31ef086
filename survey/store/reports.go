package store

import (
	"context"
	"errors"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/metlib/canvass/survey"
)

// The release of a survey's benchmark reports is one settings document,
// "reports:<slug>", beside the results publication ("results:<slug>");
// when each library was emailed its report is one document per survey and
// library in colReportMail, so two sendings record side by side without
// reading and writing back a shared list.
const colReportMail = "report_mail"

var _ survey.ReportStore = (*Store)(nil)

type reportReleaseDoc struct {
	ID          string         `bson:"_id"`
	ReleasedAt  *bson.DateTime `bson:"released_at,omitempty"`
	ReleasedBy  string         `bson:"released_by,omitempty"`
	WithdrawnAt *bson.DateTime `bson:"withdrawn_at,omitempty"`
	WithdrawnBy string         `bson:"withdrawn_by,omitempty"`
}

func reportsKey(slug string) string { return "reports:" + slug }

// ReportRelease returns a survey's release state (ReleasedAt nil when its
// reports were never released or are withdrawn).
func (s *Store) ReportRelease(ctx context.Context, slug string) (*survey.ReportRelease, error) {
	ctx, cancel := s.op(ctx)
	defer cancel()
	var doc reportReleaseDoc
	err := s.db.Collection(colSettings).FindOne(ctx, bson.D{{Key: "_id", Value: reportsKey(slug)}}).Decode(&doc)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return &survey.ReportRelease{Survey: slug}, nil
	}
	if err != nil {
		return nil, wrap(err, "read reports release")
	}
	r := &survey.ReportRelease{Survey: slug, ReleasedBy: doc.ReleasedBy, WithdrawnBy: doc.WithdrawnBy}
	if doc.ReleasedAt != nil {
		t := doc.ReleasedAt.Time().UTC()
		r.ReleasedAt = &t
	}
	if doc.WithdrawnAt != nil {
		t := doc.WithdrawnAt.Time().UTC()
		r.WithdrawnAt = &t
	}
	return r, nil
}

// SetReportsReleased releases a survey's reports at (by), or withdraws
// them, keeping who withdrew them and when.
func (s *Store) SetReportsReleased(ctx context.Context, slug string, release bool, at time.Time, by string) error {
	ctx, cancel := s.op(ctx)
	defer cancel()
	filter := bson.D{{Key: "_id", Value: reportsKey(slug)}}
	var update bson.D
	if release {
		update = bson.D{
			{Key: "$set", Value: bson.D{{Key: "released_at", Value: bson.NewDateTimeFromTime(at)}, {Key: "released_by", Value: by}}},
		}
	} else {
		update = bson.D{
			{Key: "$set", Value: bson.D{{Key: "withdrawn_at", Value: bson.NewDateTimeFromTime(at)}, {Key: "withdrawn_by", Value: by}}},
			{Key: "$unset", Value: bson.D{{Key: "released_at", Value: ""}, {Key: "released_by", Value: ""}}},
		}
	}
	_, err := s.db.Collection(colSettings).UpdateOne(ctx, filter, update, options.UpdateOne().SetUpsert(true))
	return wrap(err, "set reports release")
}

type reportMailDoc struct {
	ID      string        `bson:"_id"`
	Survey  string        `bson:"survey"`
	Library string        `bson:"library"`
	At      bson.DateTime `bson:"at"`
}

// RecordReportEmailed records that library's report email went at,
// replacing an earlier sending's time.
func (s *Store) RecordReportEmailed(ctx context.Context, slug, library string, at time.Time) error {
	ctx, cancel := s.op(ctx)
	defer cancel()
	id := slug + "\x00" + library
	doc := reportMailDoc{ID: id, Survey: slug, Library: library, At: bson.NewDateTimeFromTime(at)}
	_, err := s.db.Collection(colReportMail).ReplaceOne(ctx, bson.D{{Key: "_id", Value: id}}, doc, options.Replace().SetUpsert(true))
	return wrap(err, "record report email")
}

// ReportsEmailed returns when each library of the survey was last
// emailed its report.
func (s *Store) ReportsEmailed(ctx context.Context, slug string) (map[string]time.Time, error) {
	ctx, cancel := s.op(ctx)
	defer cancel()
	cur, err := s.db.Collection(colReportMail).Find(ctx, bson.D{{Key: "survey", Value: slug}})
	if err != nil {
		return nil, wrap(err, "list report emails")
	}
	defer cur.Close(ctx)
	out := map[string]time.Time{}
	for cur.Next(ctx) {
		var doc reportMailDoc
		if err := cur.Decode(&doc); err != nil {
			return nil, wrap(err, "read report email")
		}
		out[doc.Library] = doc.At.Time().UTC()
	}
	return out, wrap(cur.Err(), "list report emails")
}
