package store

import (
	"context"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/metlib/canvass/survey"
)

const colMailTemplates = "mail_templates"

var _ survey.MailTemplateStore = (*Store)(nil)

type mailTemplateDoc struct {
	ID        string    `bson:"_id"` // survey/kind/language
	Survey    string    `bson:"survey"`
	Kind      string    `bson:"kind"`
	Language  string    `bson:"language"`
	Subject   string    `bson:"subject"`
	Body      string    `bson:"body"`
	UpdatedAt time.Time `bson:"updated_at"`
}

// MailTemplates returns the templates edited for a survey.
func (st *Store) MailTemplates(ctx context.Context, slug string) ([]survey.MailTemplate, error) {
	ctx, cancel := st.op(ctx)
	defer cancel()
	cur, err := st.db.Collection(colMailTemplates).Find(ctx, bson.D{{Key: "survey", Value: slug}}, options.Find().SetSort(bson.D{{Key: "_id", Value: 1}}))
	if err != nil {
		return nil, wrap(err, "list mail templates")
	}
	var docs []mailTemplateDoc
	if err := cur.All(ctx, &docs); err != nil {
		return nil, wrap(err, "list mail templates")
	}
	out := make([]survey.MailTemplate, len(docs))
	for i, d := range docs {
		out[i] = survey.MailTemplate{Kind: survey.MailKind(d.Kind), Language: d.Language, Subject: d.Subject, Body: d.Body, Custom: true, UpdatedAt: d.UpdatedAt.UTC()}
	}
	return out, nil
}

// SaveMailTemplate stores an edited template.
func (st *Store) SaveMailTemplate(ctx context.Context, slug string, t survey.MailTemplate) error {
	ctx, cancel := st.op(ctx)
	defer cancel()
	d := mailTemplateDoc{ID: slug + "/" + string(t.Kind) + "/" + t.Language, Survey: slug, Kind: string(t.Kind), Language: t.Language,
		Subject: t.Subject, Body: t.Body, UpdatedAt: t.UpdatedAt.UTC()}
	_, err := st.db.Collection(colMailTemplates).ReplaceOne(ctx, bson.D{{Key: "_id", Value: d.ID}}, d, options.Replace().SetUpsert(true))
	return wrap(err, "save mail template")
}
