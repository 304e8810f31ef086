package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/metlib/canvass/survey"
)

// surveyDoc is a survey's current version: the fields Canvass queries on
// and the header. Its definition (JSON text, exactly as validated) is in the
// version document only, so that listing surveys does not make the database
// load megabytes of questions: the embedded database reads whole documents
// before projecting. Documents written before this still carry Definition.
type surveyDoc struct {
	Slug       string     `bson:"_id"`
	Version    int        `bson:"version"`
	Status     string     `bson:"status"`
	OpensAt    *time.Time `bson:"opens_at,omitempty"`
	ClosesAt   *time.Time `bson:"closes_at,omitempty"`
	Title      string     `bson:"title"`
	Definition string     `bson:"definition,omitempty"`
	// Header is the definition without its sections and report (JSON), so
	// that listing surveys reads a few hundred bytes per survey, not its
	// questions (a 9 MB draft made the public index take seconds). Absent
	// from documents written before it existed; see ListSurveyHeaders.
	Header    string    `bson:"header,omitempty"`
	CreatedAt time.Time `bson:"created_at"`
	UpdatedAt time.Time `bson:"updated_at"`
}

// surveyVersionDoc keeps every version a response may have answered.
type surveyVersionDoc struct {
	ID         string    `bson:"_id"` // slug@version
	Slug       string    `bson:"slug"`
	Version    int       `bson:"version"`
	Definition string    `bson:"definition"`
	CreatedAt  time.Time `bson:"created_at"`
}

func newSurveyDoc(s *survey.Survey, now time.Time) (*surveyDoc, error) {
	def, err := json.Marshal(s)
	if err != nil {
		return nil, fmt.Errorf("encode survey %s: %w", s.Slug, err)
	}
	head := *s
	head.Sections, head.Report, head.Benchmark = nil, nil, nil
	header, err := json.Marshal(&head)
	if err != nil {
		return nil, fmt.Errorf("encode survey %s: %w", s.Slug, err)
	}
	return &surveyDoc{
		Slug: s.Slug, Version: s.Version, Status: string(s.Status),
		OpensAt: s.OpensAt, ClosesAt: s.ClosesAt,
		Title: s.Title.In(s.DefaultLanguage, "en"), Definition: string(def), Header: string(header),
		CreatedAt: now, UpdatedAt: now,
	}, nil
}

func (d *surveyDoc) survey() (*survey.Survey, error) {
	var s survey.Survey
	if err := json.Unmarshal([]byte(d.Definition), &s); err != nil {
		return nil, fmt.Errorf("decode stored survey %s: %w", d.Slug, err)
	}
	s.Status, s.Version = survey.Status(d.Status), d.Version
	s.OpensAt, s.ClosesAt = d.OpensAt, d.ClosesAt
	if err := s.Validate(); err != nil { // compiles patterns; a stored survey was valid
		return nil, fmt.Errorf("stored survey %s no longer validates: %w", d.Slug, err)
	}
	return &s, nil
}

// CreateSurvey stores a new survey. Returns ECONFLICT if the slug is taken.
func (st *Store) CreateSurvey(ctx context.Context, s *survey.Survey) error {
	created, err := st.insertSurvey(ctx, s)
	if err != nil {
		return err
	}
	if !created {
		return survey.Errorf(survey.ECONFLICT, "A survey with slug %q already exists.", s.Slug)
	}
	return nil
}

// InstallSurvey stores s unless a survey with its slug exists, and reports
// whether it did. The unique _id makes concurrent installs store it once.
func (st *Store) InstallSurvey(ctx context.Context, s *survey.Survey) (bool, error) {
	return st.insertSurvey(ctx, s)
}

func (st *Store) insertSurvey(ctx context.Context, s *survey.Survey) (bool, error) {
	ctx, cancel := st.op(ctx)
	defer cancel()
	if s.Status == "" {
		s.Status = survey.StatusDraft
	}
	doc, err := newSurveyDoc(s, time.Now().UTC())
	if err != nil {
		return false, err
	}
	// The version first: a survey is never visible without the definition
	// its responses will point to.
	version := surveyVersionDoc{ID: fmt.Sprintf("%s@%d", s.Slug, s.Version), Slug: s.Slug, Version: s.Version, Definition: doc.Definition, CreatedAt: doc.CreatedAt}
	if _, err := st.db.Collection(colSurveyVersions).InsertOne(ctx, version); err != nil && !mongo.IsDuplicateKeyError(err) {
		return false, wrap(err, "insert survey version")
	}
	current := *doc
	current.Definition = ""
	if _, err := st.db.Collection(colSurveys).InsertOne(ctx, &current); err != nil {
		if mongo.IsDuplicateKeyError(err) {
			return false, nil
		}
		return false, wrap(err, "insert survey")
	}
	return true, nil
}

// FindSurvey returns the current version of a survey.
// Returns ENOTFOUND if there is no survey with that slug.
func (st *Store) FindSurvey(ctx context.Context, slug string) (*survey.Survey, error) {
	ctx, cancel := st.op(ctx)
	defer cancel()
	var doc surveyDoc
	err := st.db.Collection(colSurveys).FindOne(ctx, bson.D{{Key: "_id", Value: slug}}).Decode(&doc)
	if err != nil {
		if err = wrap(err, "find survey"); survey.ErrorCode(err) == survey.ENOTFOUND {
			return nil, survey.KeyedErrorf(survey.ENOTFOUND, "no_survey", "There is no survey %q.", slug)
		}
		return nil, err
	}
	if doc.Definition == "" {
		// The version document is written before the survey's, so it exists.
		var v surveyVersionDoc
		if err := st.db.Collection(colSurveyVersions).FindOne(ctx, bson.D{{Key: "_id", Value: fmt.Sprintf("%s@%d", slug, doc.Version)}}).Decode(&v); err != nil {
			return nil, wrap(err, "find survey definition")
		}
		doc.Definition = v.Definition
	}
	return doc.survey()
}

// ListSurveyHeaders returns the surveys with the given statuses (every
// survey when none is given), sorted by slug, without their sections and
// report. The definition is never read from the database: the query projects
// it out and the status filter runs there, so drafts the caller does not
// want are not read at all. A survey stored before headers existed has its
// definition read alone, once per listing, until its next version is stored.
func (st *Store) ListSurveyHeaders(ctx context.Context, statuses ...survey.Status) ([]*survey.Survey, error) {
	ctx, cancel := st.op(ctx)
	defer cancel()
	filter := bson.D{}
	if len(statuses) > 0 {
		in := make(bson.A, len(statuses))
		for i, s := range statuses {
			in[i] = string(s)
		}
		filter = bson.D{{Key: "status", Value: bson.D{{Key: "$in", Value: in}}}}
	}
	opts := options.Find().SetSort(bson.D{{Key: "_id", Value: 1}}).SetProjection(bson.D{{Key: "definition", Value: 0}})
	cur, err := st.db.Collection(colSurveys).Find(ctx, filter, opts)
	if err != nil {
		return nil, wrap(err, "list surveys")
	}
	var docs []surveyDoc
	if err := cur.All(ctx, &docs); err != nil {
		return nil, wrap(err, "list surveys")
	}
	out := make([]*survey.Survey, 0, len(docs))
	for i := range docs {
		d := &docs[i]
		if d.Header == "" {
			s, err := st.FindSurvey(ctx, d.Slug)
			if err != nil {
				return nil, err
			}
			s.Sections, s.Report, s.Benchmark = nil, nil, nil
			out = append(out, s)
			continue
		}
		var s survey.Survey
		if err := json.Unmarshal([]byte(d.Header), &s); err != nil {
			return nil, fmt.Errorf("decode stored survey %s: %w", d.Slug, err)
		}
		// Status and dates change without a new version: the fields beside
		// the header are the current ones.
		s.Status, s.Version = survey.Status(d.Status), d.Version
		s.OpensAt, s.ClosesAt = d.OpensAt, d.ClosesAt
		out = append(out, &s)
	}
	return out, nil
}

// SetSurveyStatus opens, closes or returns a survey to draft.
// Returns ENOTFOUND if there is no survey with that slug.
func (st *Store) SetSurveyStatus(ctx context.Context, slug string, status survey.Status) error {
	ctx, cancel := st.op(ctx)
	defer cancel()
	res, err := st.db.Collection(colSurveys).UpdateOne(ctx, bson.D{{Key: "_id", Value: slug}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "status", Value: string(status)}, {Key: "updated_at", Value: time.Now().UTC()}}}})
	if err != nil {
		return wrap(err, "set survey status")
	}
	if res.MatchedCount == 0 {
		return survey.KeyedErrorf(survey.ENOTFOUND, "no_survey", "There is no survey %q.", slug)
	}
	return nil
}

// SetSurveyDates sets (or clears) when a survey opens and closes.
func (st *Store) SetSurveyDates(ctx context.Context, slug string, opens, closes *time.Time) error {
	ctx, cancel := st.op(ctx)
	defer cancel()
	res, err := st.db.Collection(colSurveys).UpdateOne(ctx, bson.D{{Key: "_id", Value: slug}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "opens_at", Value: opens}, {Key: "closes_at", Value: closes}, {Key: "updated_at", Value: time.Now().UTC()}}}})
	if err != nil {
		return wrap(err, "set survey dates")
	}
	if res.MatchedCount == 0 {
		return survey.KeyedErrorf(survey.ENOTFOUND, "no_survey", "There is no survey %q.", slug)
	}
	return nil
}

// UpdateSurvey stores s as the next version of its survey. Two concurrent
// updates cannot both win: the version document's unique id and the update's
// filter on the current version make the second one ECONFLICT.
func (st *Store) UpdateSurvey(ctx context.Context, s *survey.Survey) error {
	current, err := st.FindSurvey(ctx, s.Slug)
	if err != nil {
		return err
	}
	ctx, cancel := st.op(ctx)
	defer cancel()
	s.Version = current.Version + 1
	s.Status, s.OpensAt, s.ClosesAt = current.Status, current.OpensAt, current.ClosesAt
	now := time.Now().UTC()
	doc, err := newSurveyDoc(s, now)
	if err != nil {
		return err
	}
	version := surveyVersionDoc{ID: fmt.Sprintf("%s@%d", s.Slug, s.Version), Slug: s.Slug, Version: s.Version, Definition: doc.Definition, CreatedAt: now}
	if _, err := st.db.Collection(colSurveyVersions).InsertOne(ctx, version); err != nil {
		if mongo.IsDuplicateKeyError(err) {
			return survey.Errorf(survey.ECONFLICT, "Survey %q was changed by someone else; reload and try again.", s.Slug)
		}
		return wrap(err, "insert survey version")
	}
	res, err := st.db.Collection(colSurveys).UpdateOne(ctx, bson.D{{Key: "_id", Value: s.Slug}, {Key: "version", Value: current.Version}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "version", Value: s.Version}, {Key: "title", Value: doc.Title}, {Key: "header", Value: doc.Header}, {Key: "updated_at", Value: now}}},
			{Key: "$unset", Value: bson.D{{Key: "definition", Value: ""}}}})
	if err != nil {
		return wrap(err, "update survey")
	}
	if res.MatchedCount == 0 {
		return survey.Errorf(survey.ECONFLICT, "Survey %q was changed by someone else; reload and try again.", s.Slug)
	}
	return nil
}

// FindSurveyVersion returns one version of a survey's definition.
func (st *Store) FindSurveyVersion(ctx context.Context, slug string, version int) (*survey.Survey, error) {
	ctx, cancel := st.op(ctx)
	defer cancel()
	var doc surveyVersionDoc
	err := st.db.Collection(colSurveyVersions).FindOne(ctx, bson.D{{Key: "_id", Value: fmt.Sprintf("%s@%d", slug, version)}}).Decode(&doc)
	if err != nil {
		if err = wrap(err, "find survey version"); survey.ErrorCode(err) == survey.ENOTFOUND {
			return nil, survey.Errorf(survey.ENOTFOUND, "Survey %q has no version %d.", slug, version)
		}
		return nil, err
	}
	var s survey.Survey
	if err := json.Unmarshal([]byte(doc.Definition), &s); err != nil {
		return nil, fmt.Errorf("decode survey version %s: %w", doc.ID, err)
	}
	s.Version = doc.Version
	if err := s.Validate(); err != nil {
		return nil, fmt.Errorf("stored survey version %s no longer validates: %w", doc.ID, err)
	}
	return &s, nil
}
