package store_test

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/metlib/canvass/demo"
	"github.com/metlib/canvass/survey"
	"github.com/metlib/canvass/survey/store"
	"github.com/metlib/canvass/survey/store/storetest"
)

// dump returns every document of every collection as canonical Extended JSON.
func dump(t *testing.T, st *store.Store) map[string][]string {
	t.Helper()
	ctx := context.Background()
	names, err := st.Database().ListCollectionNames(ctx, bson.D{})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]string{}
	for _, name := range names {
		cur, err := st.Database().Collection(name).Find(ctx, bson.D{}, options.Find().SetSort(bson.D{{Key: "_id", Value: 1}}))
		if err != nil {
			t.Fatal(err)
		}
		for cur.Next(ctx) {
			ext, _ := bson.MarshalExtJSON(cur.Current, true, false)
			out[name] = append(out[name], string(ext))
		}
	}
	return out
}

func TestBackupRestoreRoundTrip(t *testing.T) {
	ctx := context.Background()
	src := storetest.New(t)
	s := impactSurvey(t)
	s.Status = survey.StatusOpen
	if _, err := src.InstallSurvey(ctx, s); err != nil {
		t.Fatal(err)
	}
	for _, r := range demo.Responses(s, 120, 3, time.Now()) {
		if _, _, err := src.CreateResponse(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	_ = src.CreateUser(ctx, &survey.User{Email: "ana@example.org", Role: survey.RoleAdmin, PasswordHash: survey.HashPassword("a long password!")})
	_, hash := survey.NewTokenSecret()
	_ = src.CreateToken(ctx, &survey.APIToken{Name: "ci", Role: survey.RoleAnalyst, Hash: hash, CreatedAt: time.Now().UTC()})
	_ = src.RecordAudit(ctx, &survey.AuditEntry{At: time.Now(), Actor: "ana@example.org", Action: "survey.create", Target: "survey:x"})
	if _, err := src.Secret(ctx, "csrf"); err != nil {
		t.Fatal(err)
	}
	want := dump(t, src)

	var archive bytes.Buffer
	info, err := src.Backup(ctx, &archive)
	if err != nil {
		t.Fatal(err)
	}
	if info.Collections["responses"] != 120 || info.Collections["users"] != 1 || info.Consistency != "per-collection" {
		t.Errorf("backup info %+v", info)
	}
	dst := storetest.New(t)
	restored, err := dst.Restore(ctx, bytes.NewReader(archive.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	got := dump(t, dst)
	for name, docs := range want {
		if strings.Join(got[name], "\n") != strings.Join(docs, "\n") {
			t.Errorf("collection %s differs after restore (%d documents, want %d)", name, len(got[name]), len(docs))
		}
	}
	if restored.Collections["responses"] != 120 {
		t.Errorf("restored %+v", restored.Collections)
	}
	// The restored database works: a response reads back with its answers.
	list, _, _ := dst.ListResponses(ctx, survey.ResponseFilter{SurveySlug: s.Slug, Limit: 1})
	if len(list) != 1 || len(list[0].Answers) == 0 {
		t.Errorf("restored responses do not read back: %+v", list)
	}
	// Restoring into a database that has data is refused; nothing is written.
	if _, err := dst.Restore(ctx, bytes.NewReader(archive.Bytes())); err == nil || !strings.Contains(err.Error(), "needs an empty database") {
		t.Errorf("restore over data: %v", err)
	}
	// A truncated or foreign file is refused.
	empty := storetest.New(t)
	if _, err := empty.Restore(ctx, bytes.NewReader(archive.Bytes()[:archive.Len()/2])); err == nil {
		t.Error("a truncated backup was restored")
	}
	if _, err := empty.Restore(ctx, strings.NewReader("hello")); err == nil || !strings.Contains(err.Error(), "not a Canvass backup") {
		t.Errorf("foreign file: %v", err)
	}
	if n, _ := empty.CountResponses(ctx, s.Slug); n != 0 {
		t.Errorf("a refused restore wrote %d responses", n)
	}
}
