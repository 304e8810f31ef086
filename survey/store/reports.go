package store

import (
	"context"
	"errors"
	"fmt"
	"strconv"
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

// colReportInputs holds the respondents each release froze, one document
// per respondent tagged with its release's id: a release writes its own
// set before it points the settings document at it, and deletes the set
// it replaced after, so a reader never sees a set being replaced (and one
// that loads a half-written or half-deleted set sees the count differ
// from ReportFreeze.Respondents).
const colReportInputs = "report_inputs"

var _ survey.ReportStore = (*Store)(nil)

type reportReleaseDoc struct {
	ID          string         `bson:"_id"`
	ReleasedAt  *bson.DateTime `bson:"released_at,omitempty"`
	ReleasedBy  string         `bson:"released_by,omitempty"`
	WithdrawnAt *bson.DateTime `bson:"withdrawn_at,omitempty"`
	WithdrawnBy string         `bson:"withdrawn_by,omitempty"`
	Inputs      string         `bson:"inputs,omitempty"`
	Version     int            `bson:"survey_version,omitempty"`
	Respondents int            `bson:"respondents,omitempty"`
}

func (doc *reportReleaseDoc) release(slug string) *survey.ReportRelease {
	r := &survey.ReportRelease{Survey: slug, ReleasedBy: doc.ReleasedBy, WithdrawnBy: doc.WithdrawnBy}
	if doc.ReleasedAt != nil {
		t := doc.ReleasedAt.Time().UTC()
		r.ReleasedAt = &t
	}
	r.Frozen = survey.ReportFreeze{Inputs: doc.Inputs, SurveyVersion: doc.Version, Respondents: doc.Respondents}
	if doc.WithdrawnAt != nil {
		t := doc.WithdrawnAt.Time().UTC()
		r.WithdrawnAt = &t
	}
	return r
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
	return doc.release(slug), nil
}

// SetReportsReleased releases a survey's reports at (by) with the
// respondents frozen, or withdraws them, keeping who withdrew them and
// when, and the frozen set (the next release is measured against it) — only over the release whose frozen inputs are replacing ("" for
// none): a compare-and-set, so of two releases at once that read the same
// state one wins and the other gets ECONFLICT (and deletes its inputs).
//
// MongoDB tests the filter and writes in one step; the embedded server
// does not (see ReplaceResponse), so the test and the write are also
// serialized per survey within the process, as ReplaceResponse's are.
func (s *Store) SetReportsReleased(ctx context.Context, slug string, release bool, at time.Time, by string, frozen survey.ReportFreeze, replacing string) error {
	ctx, cancel := s.op(ctx)
	defer cancel()
	mu := replaceLock(s.db.Name(), reportsKey(slug))
	mu.Lock()
	defer mu.Unlock()
	filter := bson.D{{Key: "_id", Value: reportsKey(slug)}}
	if replacing == "" {
		// Never released, withdrawn (the field unset) or released with
		// nothing frozen.
		filter = append(filter, bson.E{Key: "inputs", Value: bson.D{{Key: "$in", Value: bson.A{nil, ""}}}})
	} else {
		filter = append(filter, bson.E{Key: "inputs", Value: replacing})
	}
	var update bson.D
	if release {
		update = bson.D{
			{Key: "$set", Value: bson.D{
				{Key: "released_at", Value: bson.NewDateTimeFromTime(at)}, {Key: "released_by", Value: by},
				{Key: "inputs", Value: frozen.Inputs}, {Key: "survey_version", Value: frozen.SurveyVersion}, {Key: "respondents", Value: frozen.Respondents},
			}},
		}
	} else {
		update = bson.D{
			{Key: "$set", Value: bson.D{{Key: "withdrawn_at", Value: bson.NewDateTimeFromTime(at)}, {Key: "withdrawn_by", Value: by}}},
			// The frozen set stays: the next release is measured against it.
			{Key: "$unset", Value: bson.D{{Key: "released_at", Value: ""}, {Key: "released_by", Value: ""}}},
		}
	}
	// Upsert: the first release creates the document; where another
	// state is stored, the filter misses and the insert breaks the unique
	// _id, which is the same conflict as a miss.
	res, err := s.db.Collection(colSettings).UpdateOne(ctx, filter, update, options.UpdateOne().SetUpsert(true))
	if mongo.IsDuplicateKeyError(err) || (err == nil && res.MatchedCount == 0 && res.UpsertedCount == 0) {
		return survey.Errorf(survey.ECONFLICT, "The reports of %s were released or withdrawn meanwhile: try again.", slug)
	}
	return wrap(err, "set reports release")
}

type reportInputDoc struct {
	ID         string        `bson:"_id"`
	Survey     string        `bson:"survey"`
	Release    string        `bson:"release"`
	Seq        int           `bson:"seq"`
	ResponseID string        `bson:"response_id"`
	Invitation string        `bson:"invitation_id,omitempty"`
	LibraryID  string        `bson:"library_id,omitempty"`
	Library    string        `bson:"library,omitempty"`
	Language   string        `bson:"language,omitempty"`
	Region     string        `bson:"region,omitempty"`
	Type       string        `bson:"type,omitempty"`
	Population float64       `bson:"population,omitempty"`
	Member     bool          `bson:"member,omitempty"`
	Demo       bool          `bson:"demo,omitempty"`
	Submitted  bson.DateTime `bson:"submitted"`
	// Answers is the canonical JSON text of the answers, as responses
	// keep theirs.
	Answers string `bson:"answers"`
}

// reportInputBatch bounds one insert: a frozen set of any size is written
// a thousand respondents at a time.
const reportInputBatch = 1000

// SaveReportInputs stores the respondents a release is about to freeze
// under id.
func (s *Store) SaveReportInputs(ctx context.Context, slug, id string, inputs []survey.ReportInput) error {
	for start := 0; start < len(inputs); start += reportInputBatch {
		batch := inputs[start:min(start+reportInputBatch, len(inputs))]
		docs := make([]any, len(batch))
		for i, in := range batch {
			answers, err := survey.MarshalAnswers(in.Answers)
			if err != nil {
				return fmt.Errorf("encode answers: %w", err)
			}
			seq := start + i
			docs[i] = reportInputDoc{
				ID: id + "\x00" + strconv.Itoa(seq), Survey: slug, Release: id, Seq: seq,
				ResponseID: in.ResponseID, Invitation: in.InvitationID, LibraryID: in.LibraryID, Library: in.Library, Language: in.Language,
				Region: string(in.Region), Type: string(in.Type), Population: in.Population, Member: in.Member, Demo: in.Demo,
				Submitted: bson.NewDateTimeFromTime(in.Submitted), Answers: string(answers),
			}
		}
		opCtx, cancel := s.op(ctx)
		_, err := s.db.Collection(colReportInputs).InsertMany(opCtx, docs)
		cancel()
		if err != nil {
			return wrap(err, "save report inputs")
		}
	}
	return nil
}

// ReportInputs returns the respondents stored under id, in saved order.
func (s *Store) ReportInputs(ctx context.Context, slug, id string) ([]survey.ReportInput, error) {
	ctx, cancel := s.op(ctx)
	defer cancel()
	cur, err := s.db.Collection(colReportInputs).Find(ctx,
		bson.D{{Key: "survey", Value: slug}, {Key: "release", Value: id}},
		options.Find().SetSort(bson.D{{Key: "seq", Value: 1}}))
	if err != nil {
		return nil, wrap(err, "read report inputs")
	}
	defer cur.Close(ctx)
	var out []survey.ReportInput
	for cur.Next(ctx) {
		var d reportInputDoc
		if err := cur.Decode(&d); err != nil {
			return nil, wrap(err, "read report input")
		}
		answers, err := survey.UnmarshalAnswers([]byte(d.Answers))
		if err != nil {
			return nil, fmt.Errorf("read report input %s: %w", d.ID, err)
		}
		out = append(out, survey.ReportInput{
			ResponseID: d.ResponseID, InvitationID: d.Invitation, LibraryID: d.LibraryID, Library: d.Library, Language: d.Language,
			Region: survey.Region(d.Region), Type: survey.LibraryType(d.Type), Population: d.Population,
			Member: d.Member, Demo: d.Demo, Submitted: d.Submitted.Time().UTC(), Answers: answers,
		})
	}
	return out, wrap(cur.Err(), "read report inputs")
}

// DeleteReportInputs deletes the respondents stored under id.
func (s *Store) DeleteReportInputs(ctx context.Context, slug, id string) error {
	ctx, cancel := s.op(ctx)
	defer cancel()
	_, err := s.db.Collection(colReportInputs).DeleteMany(ctx, bson.D{{Key: "survey", Value: slug}, {Key: "release", Value: id}})
	return wrap(err, "delete report inputs")
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
