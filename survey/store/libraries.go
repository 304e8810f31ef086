package store

import (
	"context"
	"regexp"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/metlib/canvass/survey"
)

const colLibraries = "libraries"

var _ survey.LibraryStore = (*Store)(nil)

type contactDoc struct {
	Name      string     `bson:"name,omitempty"`
	Role      string     `bson:"role,omitempty"`
	Email     string     `bson:"email,omitempty"`
	Language  string     `bson:"language,omitempty"`
	Consent   bool       `bson:"consent"`
	ConsentAt *time.Time `bson:"consent_at,omitempty"`
}

type libraryDoc struct {
	ID               bson.ObjectID `bson:"_id"`
	Name             string        `bson:"name"`
	City             string        `bson:"city,omitempty"`
	Country          string        `bson:"country"`
	Region           string        `bson:"region,omitempty"`
	RegionSet        bool          `bson:"region_set,omitempty"`
	Type             string        `bson:"type,omitempty"`
	PopulationServed int           `bson:"population_served,omitempty"`
	Branches         int           `bson:"branches,omitempty"`
	Website          string        `bson:"website,omitempty"`
	Contacts         []contactDoc  `bson:"contacts"`
	Member           bool          `bson:"member"`
	PublicProfile    bool          `bson:"public_profile"`
	Demo             bool          `bson:"demo,omitempty"`
	CreatedAt        time.Time     `bson:"created_at"`
	UpdatedAt        time.Time     `bson:"updated_at"`
}

func newLibraryDoc(l *survey.Library, id bson.ObjectID) libraryDoc {
	d := libraryDoc{ID: id, Name: l.Name, City: l.City, Country: l.Country, Region: string(l.Region), RegionSet: l.RegionSet,
		Type: string(l.Type), PopulationServed: l.PopulationServed, Branches: l.Branches, Website: l.Website,
		Member: l.Member, PublicProfile: l.PublicProfile, Demo: l.Demo, CreatedAt: l.CreatedAt.UTC(), UpdatedAt: l.UpdatedAt.UTC(), Contacts: []contactDoc{}}
	for _, c := range l.Contacts {
		d.Contacts = append(d.Contacts, contactDoc{Name: c.Name, Role: c.Role, Email: c.Email, Language: c.Language, Consent: c.Consent, ConsentAt: c.ConsentAt})
	}
	return d
}

func (d *libraryDoc) library() *survey.Library {
	l := &survey.Library{ID: d.ID.Hex(), Name: d.Name, City: d.City, Country: d.Country, Region: survey.Region(d.Region), RegionSet: d.RegionSet,
		Type: survey.LibraryType(d.Type), PopulationServed: d.PopulationServed, Branches: d.Branches, Website: d.Website,
		Member: d.Member, PublicProfile: d.PublicProfile, Demo: d.Demo, CreatedAt: d.CreatedAt.UTC(), UpdatedAt: d.UpdatedAt.UTC()}
	for _, c := range d.Contacts {
		l.Contacts = append(l.Contacts, survey.Contact{Name: c.Name, Role: c.Role, Email: c.Email, Language: c.Language, Consent: c.Consent, ConsentAt: utc(c.ConsentAt)})
	}
	return l
}

// CreateLibrary stores l, filling in its ID and times.
func (st *Store) CreateLibrary(ctx context.Context, l *survey.Library) error {
	ctx, cancel := st.op(ctx)
	defer cancel()
	now := time.Now().UTC().Truncate(time.Millisecond)
	l.CreatedAt, l.UpdatedAt = now, now
	doc := newLibraryDoc(l, bson.NewObjectID())
	if _, err := st.db.Collection(colLibraries).InsertOne(ctx, doc); err != nil {
		return wrap(err, "insert library")
	}
	l.ID = doc.ID.Hex()
	return nil
}

func libraryObjectID(id string) (bson.ObjectID, error) {
	oid, err := bson.ObjectIDFromHex(id)
	if err != nil {
		return oid, survey.Errorf(survey.ENOTFOUND, "There is no library %q.", id)
	}
	return oid, nil
}

// FindLibrary returns ENOTFOUND if there is no library with that id.
func (st *Store) FindLibrary(ctx context.Context, id string) (*survey.Library, error) {
	oid, err := libraryObjectID(id)
	if err != nil {
		return nil, err
	}
	ctx, cancel := st.op(ctx)
	defer cancel()
	var d libraryDoc
	if err := st.db.Collection(colLibraries).FindOne(ctx, bson.D{{Key: "_id", Value: oid}}).Decode(&d); err != nil {
		if err = wrap(err, "find library"); survey.ErrorCode(err) == survey.ENOTFOUND {
			return nil, survey.Errorf(survey.ENOTFOUND, "There is no library %q.", id)
		}
		return nil, err
	}
	return d.library(), nil
}

// UpdateLibrary saves l, only over the library as read when l.UpdatedAt
// is set (survey.LibraryStore). Returns ENOTFOUND if it does not exist,
// ECONFLICT if it changed since it was read.
func (st *Store) UpdateLibrary(ctx context.Context, l *survey.Library) error {
	oid, err := libraryObjectID(l.ID)
	if err != nil {
		return err
	}
	ctx, cancel := st.op(ctx)
	defer cancel()
	filter := bson.D{{Key: "_id", Value: oid}}
	read := l.UpdatedAt
	if !read.IsZero() {
		// As ReplaceResponse: the embedded server tests the filter and
		// writes in two steps, so the pair is serialized in the process.
		mu := replaceLock(st.db.Name(), "library:"+l.ID)
		mu.Lock()
		defer mu.Unlock()
		filter = append(filter, bson.E{Key: "updated_at", Value: read.UTC()})
	}
	l.UpdatedAt = time.Now().UTC().Truncate(time.Millisecond)
	if !l.UpdatedAt.After(read) {
		l.UpdatedAt = read.Add(time.Millisecond) // two writes in one millisecond still differ
	}
	res, err := st.db.Collection(colLibraries).ReplaceOne(ctx, filter, newLibraryDoc(l, oid))
	if err != nil {
		l.UpdatedAt = read
		return wrap(err, "update library")
	}
	if res.MatchedCount == 0 {
		l.UpdatedAt = read
		if read.IsZero() {
			return survey.Errorf(survey.ENOTFOUND, "There is no library %q.", l.ID)
		}
		if _, err := st.FindLibrary(ctx, l.ID); err != nil {
			return err
		}
		return survey.Errorf(survey.ECONFLICT, "Someone else changed this library since it was opened: open it again to see their change, then make yours.")
	}
	return nil
}

// DeleteLibrary removes a library. Returns ENOTFOUND if it does not exist.
func (st *Store) DeleteLibrary(ctx context.Context, id string) error {
	oid, err := libraryObjectID(id)
	if err != nil {
		return err
	}
	ctx, cancel := st.op(ctx)
	defer cancel()
	res, err := st.db.Collection(colLibraries).DeleteOne(ctx, bson.D{{Key: "_id", Value: oid}})
	if err != nil {
		return wrap(err, "delete library")
	}
	if res.DeletedCount == 0 {
		return survey.Errorf(survey.ENOTFOUND, "There is no library %q.", id)
	}
	return nil
}

// ListLibraries returns a page of libraries by name, and the number matching.
func (st *Store) ListLibraries(ctx context.Context, f survey.LibraryFilter) ([]*survey.Library, int, error) {
	ctx, cancel := st.op(ctx)
	defer cancel()
	filter := bson.D{}
	if f.Query != "" {
		pattern := bson.Regex{Pattern: regexp.QuoteMeta(f.Query), Options: "i"}
		filter = append(filter, bson.E{Key: "$or", Value: bson.A{bson.D{{Key: "name", Value: pattern}}, bson.D{{Key: "city", Value: pattern}}}})
	}
	for key, v := range map[string]string{"region": string(f.Region), "country": f.Country, "type": string(f.Type)} {
		if v != "" {
			filter = append(filter, bson.E{Key: key, Value: v})
		}
	}
	if len(f.Regions) > 0 {
		in := make(bson.A, len(f.Regions))
		for i, r := range f.Regions {
			in[i] = string(r)
		}
		// A second condition on the same key: bson.D keeps both, and
		// MongoDB (and the embedded server) require both to hold.
		filter = append(filter, bson.E{Key: "$and", Value: bson.A{bson.D{{Key: "region", Value: bson.D{{Key: "$in", Value: in}}}}}})
	}
	if f.Member != nil {
		filter = append(filter, bson.E{Key: "member", Value: *f.Member})
	}
	if f.Public != nil {
		filter = append(filter, bson.E{Key: "public_profile", Value: *f.Public})
	}
	if f.IDs != nil {
		oids := bson.A{}
		for _, id := range f.IDs {
			if oid, err := bson.ObjectIDFromHex(id); err == nil {
				oids = append(oids, oid)
			}
		}
		filter = append(filter, bson.E{Key: "_id", Value: bson.D{{Key: "$in", Value: oids}}})
	}
	switch {
	case f.Demo != nil && *f.Demo:
		filter = append(filter, bson.E{Key: "demo", Value: true})
	case f.Demo != nil:
		// Stored only when true (omitempty), so a real library has no field.
		filter = append(filter, bson.E{Key: "demo", Value: bson.D{{Key: "$ne", Value: true}}})
	}
	col := st.db.Collection(colLibraries)
	total, err := col.CountDocuments(ctx, filter)
	if err != nil {
		return nil, 0, wrap(err, "count libraries")
	}
	opts := options.Find().SetSort(bson.D{{Key: "name", Value: 1}, {Key: "_id", Value: 1}}).SetSkip(int64(f.Offset))
	if f.Limit > 0 {
		opts.SetLimit(int64(f.Limit))
	}
	cur, err := col.Find(ctx, filter, opts)
	if err != nil {
		return nil, 0, wrap(err, "list libraries")
	}
	var docs []libraryDoc
	if err := cur.All(ctx, &docs); err != nil {
		return nil, 0, wrap(err, "list libraries")
	}
	out := make([]*survey.Library, len(docs))
	for i := range docs {
		out[i] = docs[i].library()
	}
	return out, int(total), nil
}
