package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/metlib/canvass/survey"
)

// responseDoc is a response as stored.
type responseDoc struct {
	// ID is derived from the survey and the submission id (see responseID),
	// so finding the stored response of a retried submission is a lookup
	// by primary key: the embedded server scans for any other filter.
	ID            string `bson:"_id"`
	Survey        string `bson:"survey"`
	SurveyVersion int    `bson:"survey_version"`
	SubmissionID  string `bson:"submission_id"`
	LibraryID     string `bson:"library_id,omitempty"`
	InvitationID  string `bson:"invitation_id,omitempty"`
	Language      string `bson:"language"`
	Country       string `bson:"country,omitempty"`
	Region        string `bson:"region,omitempty"`
	Status        string `bson:"status"`
	// Answers is the canonical JSON text of the answers. The embedded
	// server decodes nested documents slowly (listing 10,000 impact-survey
	// responses took 9.8 s as a nested document and 0.8 s as text), and
	// Canvass never queries answers in the database: statistics are
	// computed in Go.
	Answers     string     `bson:"answers"`
	Source      string     `bson:"source,omitempty"`
	CreatedAt   time.Time  `bson:"created_at"`
	UpdatedAt   time.Time  `bson:"updated_at"`
	SubmittedAt *time.Time `bson:"submitted_at,omitempty"`
	// Revision is survey.Response.Revision: absent (0) on documents
	// written before revisions were kept.
	Revision int `bson:"revision,omitempty"`
}

func newResponseDoc(r *survey.Response) (*responseDoc, error) {
	answers, err := survey.MarshalAnswers(r.Answers)
	if err != nil {
		return nil, fmt.Errorf("encode answers: %w", err)
	}
	return &responseDoc{
		ID: responseID(r.SurveySlug, r.SubmissionID), Survey: r.SurveySlug, SurveyVersion: r.SurveyVersion,
		SubmissionID: r.SubmissionID, LibraryID: r.LibraryID, InvitationID: r.InvitationID,
		Language: r.Language, Country: r.Country, Region: string(r.Region), Status: string(r.Status), Answers: string(answers), Source: r.Source,
		CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt, SubmittedAt: r.SubmittedAt, Revision: r.Revision,
	}, nil
}

func (d *responseDoc) response() *survey.Response {
	answers, err := survey.UnmarshalAnswers([]byte(d.Answers))
	if err != nil {
		answers = survey.Answers{} // cannot happen for documents Canvass wrote
	}
	return &survey.Response{
		ID: d.ID, SurveySlug: d.Survey, SurveyVersion: d.SurveyVersion,
		SubmissionID: d.SubmissionID, LibraryID: d.LibraryID, InvitationID: d.InvitationID,
		Language: d.Language, Country: d.Country, Region: survey.Region(d.Region), Status: survey.ResponseStatus(d.Status), Answers: answers,
		Source: d.Source, CreatedAt: d.CreatedAt.UTC(), UpdatedAt: d.UpdatedAt.UTC(), SubmittedAt: utc(d.SubmittedAt),
		Revision: d.Revision,
	}
}

func utc(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

// CreateResponse stores r at revision 1, filling in its ID. If the survey
// already has a response with r's SubmissionID, nothing is written and the
// stored response is returned with created false. The unique (survey, submission_id) index
// makes this hold under concurrent retries, too. Concurrent calls are
// written together (see inserter): one commit for many responses.
func (st *Store) CreateResponse(ctx context.Context, r *survey.Response) (*survey.Response, bool, error) {
	ctx, cancel := st.op(ctx)
	defer cancel()
	doc, err := newResponseDoc(r)
	if err != nil {
		return nil, false, err
	}
	doc.Revision = 1
	col := st.db.Collection(colResponses)
	err = st.responses.insert(ctx, doc)
	if err == nil {
		stored := *r
		stored.ID, stored.Revision = doc.ID, doc.Revision
		return &stored, true, nil
	}
	if !mongo.IsDuplicateKeyError(err) {
		return nil, false, wrap(err, "insert response")
	}
	var existing responseDoc
	err = col.FindOne(ctx, bson.D{{Key: "_id", Value: doc.ID}}).Decode(&existing)
	if err != nil {
		return nil, false, wrap(err, "find duplicate response")
	}
	return existing.response(), false, nil
}

// FindResponse returns ENOTFOUND if there is no response with that id.
func (st *Store) FindResponse(ctx context.Context, id string) (*survey.Response, error) {
	if !validResponseID(id) {
		return nil, survey.Errorf(survey.ENOTFOUND, "There is no response %q.", id)
	}
	ctx, cancel := st.op(ctx)
	defer cancel()
	var doc responseDoc
	if err := st.db.Collection(colResponses).FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&doc); err != nil {
		if err = wrap(err, "find response"); survey.ErrorCode(err) == survey.ENOTFOUND {
			return nil, survey.Errorf(survey.ENOTFOUND, "There is no response %q.", id)
		}
		return nil, err
	}
	return doc.response(), nil
}

// ListResponses returns a page of responses, oldest first, and the total
// number matching the filter.
func (st *Store) ListResponses(ctx context.Context, f survey.ResponseFilter) ([]*survey.Response, int, error) {
	ctx, cancel := st.op(ctx)
	defer cancel()
	if len(f.Answers) > 0 {
		return st.listByAnswers(ctx, f)
	}
	filter := responseFilter(f)
	col := st.db.Collection(colResponses)
	total, err := col.CountDocuments(ctx, filter)
	if err != nil {
		return nil, 0, wrap(err, "count responses")
	}
	opts := options.Find().SetSort(bson.D{{Key: "created_at", Value: 1}, {Key: "_id", Value: 1}}).SetSkip(int64(f.Offset))
	if f.Limit > 0 {
		opts.SetLimit(int64(f.Limit))
	}
	cur, err := col.Find(ctx, filter, opts)
	if err != nil {
		return nil, 0, wrap(err, "list responses")
	}
	var docs []responseDoc
	if err := cur.All(ctx, &docs); err != nil {
		return nil, 0, wrap(err, "list responses")
	}
	out := make([]*survey.Response, len(docs))
	for i := range docs {
		out[i] = docs[i].response()
	}
	return out, int(total), nil
}

// listByAnswers pages the responses that pass answer conditions. The
// database cannot test answers (they are JSON text), so every response
// passing the rest of the filter is read and tested here.
func (st *Store) listByAnswers(ctx context.Context, f survey.ResponseFilter) ([]*survey.Response, int, error) {
	var page []*survey.Response
	total := 0
	for r, err := range st.StreamResponses(ctx, f) {
		if err != nil {
			return nil, 0, err
		}
		if total >= f.Offset && (f.Limit <= 0 || len(page) < f.Limit) {
			page = append(page, r)
		}
		total++
	}
	return page, total, nil
}

// CountResponses returns the number of submitted responses to a survey.
func (st *Store) CountResponses(ctx context.Context, slug string) (int, error) {
	ctx, cancel := st.op(ctx)
	defer cancel()
	n, err := st.db.Collection(colResponses).CountDocuments(ctx, bson.D{{Key: "survey", Value: slug}, {Key: "status", Value: string(survey.ResponseSubmitted)}})
	return int(n), wrap(err, "count responses")
}

// CountMatching returns the number of responses matching f (Offset and
// Limit ignored): one count query, no document read, unless f has answer
// conditions, which only decoding can test.
func (st *Store) CountMatching(ctx context.Context, f survey.ResponseFilter) (int, error) {
	if len(f.Answers) > 0 {
		f.Offset, f.Limit = 0, 1
		_, n, err := st.listByAnswers(ctx, f)
		return n, err
	}
	ctx, cancel := st.op(ctx)
	defer cancel()
	n, err := st.db.Collection(colResponses).CountDocuments(ctx, responseFilter(f))
	return int(n), wrap(err, "count responses")
}

// responseFilter is f as a query. From and To compare the submission time
// (submitted_at); a response stored without one (a draft never submitted)
// is compared by its creation time instead, as survey.ResponseFilter says,
// so a draft saved on day 1 and submitted on day 3 is "submitted on day 3"
// in every list, analysis and export.
func responseFilter(f survey.ResponseFilter) bson.D {
	filter := bson.D{{Key: "survey", Value: f.SurveySlug}}
	if f.Status != "" {
		filter = append(filter, bson.E{Key: "status", Value: string(f.Status)})
	}
	if f.Region != "" {
		filter = append(filter, bson.E{Key: "region", Value: string(f.Region)})
	}
	if len(f.Regions) > 0 {
		// A coordinator's responses (survey.ResponseFilter.Regions): an
		// invited one by its library, an anonymous one (no library_id:
		// omitempty leaves the field out) by the region it gives. In an
		// $and, so that it adds to the From/To $or instead of replacing it.
		regions := make(bson.A, len(f.Regions))
		for i, r := range f.Regions {
			regions[i] = string(r)
		}
		libraries := bson.A{}
		for _, id := range f.Libraries {
			libraries = append(libraries, id)
		}
		filter = append(filter, bson.E{Key: "$and", Value: bson.A{bson.D{{Key: "$or", Value: bson.A{
			bson.D{{Key: "library_id", Value: bson.D{{Key: "$in", Value: libraries}}}},
			bson.D{{Key: "library_id", Value: bson.D{{Key: "$in", Value: bson.A{nil, ""}}}}, {Key: "region", Value: bson.D{{Key: "$in", Value: regions}}}},
		}}}}})
	}
	if f.Language != "" {
		filter = append(filter, bson.E{Key: "language", Value: f.Language})
	}
	if f.Source != "" {
		filter = append(filter, bson.E{Key: "source", Value: f.Source})
	}
	if f.ExcludeDemo {
		// $ne also matches the responses stored without a source.
		filter = append(filter, bson.E{Key: "source", Value: bson.D{{Key: "$ne", Value: survey.DemoSource}}})
	}
	if f.From != nil || f.To != nil {
		between := bson.D{}
		if f.From != nil {
			between = append(between, bson.E{Key: "$gte", Value: f.From.UTC()})
		}
		if f.To != nil {
			between = append(between, bson.E{Key: "$lt", Value: f.To.UTC()})
		}
		filter = append(filter, bson.E{Key: "$or", Value: bson.A{
			bson.D{{Key: "submitted_at", Value: between}},
			bson.D{{Key: "submitted_at", Value: bson.D{{Key: "$exists", Value: false}}}, {Key: "created_at", Value: between}},
		}})
	}
	return filter
}

// DeleteResponse removes a response. Returns ENOTFOUND if there is none with that id.
func (st *Store) DeleteResponse(ctx context.Context, id string) error {
	if !validResponseID(id) {
		return survey.Errorf(survey.ENOTFOUND, "There is no response %q.", id)
	}
	ctx, cancel := st.op(ctx)
	defer cancel()
	res, err := st.db.Collection(colResponses).DeleteOne(ctx, bson.D{{Key: "_id", Value: id}})
	if err != nil {
		return wrap(err, "delete response")
	}
	if res.DeletedCount == 0 {
		return survey.Errorf(survey.ENOTFOUND, "There is no response %q.", id)
	}
	return nil
}

// streamBatch is how many responses the cursor fetches at a time: enough
// to keep round trips rare, few enough that memory stays flat.
const streamBatch = 500

// StreamResponses streams the responses matching f, oldest first (by
// library first with f.ByLibrary), through a cursor (Offset and Limit are
// ignored). The answer conditions of f are applied here, after decoding,
// since answers are stored as JSON text the database cannot look into.
func (st *Store) StreamResponses(ctx context.Context, f survey.ResponseFilter) survey.Responses {
	return func(yield func(*survey.Response, error) bool) {
		// No overall deadline: an export of many responses takes as long as
		// it takes; each batch the cursor fetches has the driver's own timeouts.
		sort := bson.D{{Key: "created_at", Value: 1}, {Key: "_id", Value: 1}}
		if f.ByLibrary {
			sort = append(bson.D{{Key: "library_id", Value: 1}}, sort...)
		}
		opts := options.Find().SetSort(sort).SetBatchSize(streamBatch)
		cur, err := st.db.Collection(colResponses).Find(ctx, responseFilter(f), opts)
		if err != nil {
			yield(nil, wrap(err, "list responses"))
			return
		}
		defer cur.Close(context.WithoutCancel(ctx))
		for cur.Next(ctx) {
			var d responseDoc
			if err := cur.Decode(&d); err != nil {
				yield(nil, wrap(err, "decode response"))
				return
			}
			r := d.response()
			if !f.Match(r) {
				continue
			}
			if !yield(r, nil) {
				return
			}
		}
		if err := cur.Err(); err != nil {
			yield(nil, wrap(err, "list responses"))
		}
	}
}

// responseID is a response's id: the first 96 bits of the SHA-256 of its
// survey and submission id, as 24 hex digits (the length of an ObjectID).
func responseID(surveySlug, submissionID string) string {
	sum := sha256.Sum256([]byte(surveySlug + "\x00" + submissionID))
	return hex.EncodeToString(sum[:12])
}

func validResponseID(id string) bool {
	if len(id) != 24 {
		return false
	}
	_, err := hex.DecodeString(id)
	return err == nil
}
