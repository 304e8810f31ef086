package store_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/metlib/canvass/survey"
	"github.com/metlib/canvass/survey/store/storetest"
)

func draftResponse(submissionID string, count float64) *survey.Response {
	now := time.Now().UTC().Truncate(time.Millisecond)
	return &survey.Response{SurveySlug: "every-type", SurveyVersion: 1, SubmissionID: submissionID, Language: "en",
		Status: survey.ResponseDraft, Answers: survey.Answers{"count": count}, CreatedAt: now, UpdatedAt: now}
}

// ReplaceResponse writes over the revision read, and only over it.
func TestReplaceResponseIsConditional(t *testing.T) {
	st := storetest.New(t)
	ctx := context.Background()
	stored, created, err := st.CreateResponse(ctx, draftResponse("inv-one", 1))
	if err != nil || !created || stored.Revision != 1 {
		t.Fatalf("create: revision %d, created %v, %v", stored.Revision, created, err)
	}
	first := *stored
	first.Answers = survey.Answers{"count": 2.0}
	if err := st.ReplaceResponse(ctx, &first); err != nil || first.Revision != 2 {
		t.Fatalf("replace at revision 1: %v, now %d", err, first.Revision)
	}
	// A writer that also read revision 1 is refused, and writes nothing.
	stale := *stored
	stale.Answers = survey.Answers{"count": 3.0}
	if err := st.ReplaceResponse(ctx, &stale); survey.ErrorCode(err) != survey.ECONFLICT || stale.Revision != 1 {
		t.Errorf("stale replace: %v (revision %d), want conflict", err, stale.Revision)
	}
	got, err := st.FindResponse(ctx, stored.ID)
	if err != nil || got.Answers["count"] != 2.0 || got.Revision != 2 {
		t.Errorf("stored %v at revision %d (%v), want 2 at 2", got.Answers, got.Revision, err)
	}
	// No upsert: a response removed meanwhile is a conflict, not recreated.
	if err := st.DeleteResponse(ctx, stored.ID); err != nil {
		t.Fatal(err)
	}
	if err := st.ReplaceResponse(ctx, &first); survey.ErrorCode(err) != survey.ECONFLICT {
		t.Errorf("replace of a deleted response: %v", err)
	}
	if _, err := st.FindResponse(ctx, stored.ID); survey.ErrorCode(err) != survey.ENOTFOUND {
		t.Errorf("deleted response came back: %v", err)
	}
}

// A response stored before revisions were kept has none: it reads as
// revision 0 and is replaced as such, once.
func TestReplaceResponseOfARevisionlessDocument(t *testing.T) {
	st := storetest.New(t)
	ctx := context.Background()
	stored, _, err := st.CreateResponse(ctx, draftResponse("inv-old", 1))
	if err != nil {
		t.Fatal(err)
	}
	// Make it look as it was written before: no revision field at all.
	col := st.Database().Collection("responses")
	if _, err := col.UpdateOne(ctx, bson.D{{Key: "_id", Value: stored.ID}}, bson.D{{Key: "$unset", Value: bson.D{{Key: "revision", Value: ""}}}}); err != nil {
		t.Fatal(err)
	}
	old, err := st.FindResponse(ctx, stored.ID)
	if err != nil || old.Revision != 0 || old.Answers["count"] != 1.0 {
		t.Fatalf("revisionless response: %+v %v", old, err)
	}
	a, b := *old, *old
	a.Answers, b.Answers = survey.Answers{"count": 5.0}, survey.Answers{"count": 6.0}
	if err := st.ReplaceResponse(ctx, &a); err != nil || a.Revision != 1 {
		t.Fatalf("replace: %v, revision %d", err, a.Revision)
	}
	if err := st.ReplaceResponse(ctx, &b); survey.ErrorCode(err) != survey.ECONFLICT {
		t.Errorf("second writer over revision 0: %v", err)
	}
	if got, _ := st.FindResponse(ctx, stored.ID); got.Answers["count"] != 5.0 || got.Revision != 1 {
		t.Errorf("stored %v at %d", got.Answers, got.Revision)
	}
}

// Of writers that all read one revision, exactly one writes: round after
// round, each over the revision the last round left.
func TestConcurrentReplacesOneWins(t *testing.T) {
	const writers, rounds = 12, 15
	st := storetest.New(t)
	ctx := context.Background()
	stored, _, err := st.CreateResponse(ctx, draftResponse("inv-race", 0))
	if err != nil {
		t.Fatal(err)
	}
	for round := range rounds {
		var (
			wg    sync.WaitGroup
			mu    sync.Mutex
			start = make(chan struct{})
			won   []float64
		)
		for i := range writers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				r := *stored
				r.Answers = survey.Answers{"count": float64(100*round + i)}
				<-start
				err := st.ReplaceResponse(ctx, &r)
				switch survey.ErrorCode(err) {
				case "":
					mu.Lock()
					won = append(won, r.Answers["count"].(float64))
					mu.Unlock()
				case survey.ECONFLICT:
				default:
					t.Error(err)
				}
			}()
		}
		close(start)
		wg.Wait()
		if stored, err = st.FindResponse(ctx, stored.ID); err != nil {
			t.Fatal(err)
		}
		if len(won) != 1 || stored.Answers["count"] != won[0] || stored.Revision != round+2 {
			t.Fatalf("round %d: winners %v; stored %v at revision %d, want %d", round, won, stored.Answers["count"], stored.Revision, round+2)
		}
	}
}
