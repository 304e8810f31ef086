package web_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// benchClients is the number of concurrent clients the foundation issue asks for.
const benchClients = 16

// BenchmarkSubmissions measures, in one run, submissions per second through
// POST /api/v1/surveys/:slug/responses (real HTTP server, router, checking
// and store) and raw driver InsertOne of the same documents into the same
// embedded store, both with 16 concurrent clients, and reports their ratio.
func BenchmarkSubmissions(b *testing.B) {
	a := newApp(b)
	srv := httptest.NewServer(a.handler)
	defer srv.Close()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: benchClients}}
	raw := a.store.Database().Collection("raw_responses")
	_, _ = raw.Indexes().CreateOne(context.Background(), indexOnSubmission())

	var seq atomic.Int64
	body := func(id int64) []byte {
		return []byte(fmt.Sprintf(`{"submission_id": "bench-%012d", "language": "fr", "answers": {"pick": "other", "pick_other": "Bibliobus",
		  "many": ["x", "y"], "grid": {"r1": "lo", "r2": "hi"}, "count": 400000, "agree": 5, "land": "MX", "order": ["s", "p"]}}`, id))
	}
	doc := func(id int64) bson.D {
		now := time.Now().UTC()
		return bson.D{{Key: "_id", Value: bson.NewObjectID()}, {Key: "survey", Value: "every-type"}, {Key: "survey_version", Value: 1},
			{Key: "submission_id", Value: fmt.Sprintf("bench-%012d", id)}, {Key: "language", Value: "fr"}, {Key: "country", Value: "MX"}, {Key: "region", Value: "latin_america_caribbean"}, {Key: "status", Value: "submitted"},
			// The store's document shape: answers as canonical JSON text.
			{Key: "answers", Value: `{"agree":"5","count":400000,"grid":{"r1":"lo","r2":"hi"},"land":"MX","many":["x","y"],"order":["s","p"],"pick":"other","pick_other":"Bibliobus"}`},
			{Key: "source", Value: "api"}, {Key: "created_at", Value: now}, {Key: "updated_at", Value: now}, {Key: "submitted_at", Value: now}}
	}
	insertRaw := func() error {
		_, err := raw.InsertOne(context.Background(), doc(seq.Add(1)))
		return err
	}
	postService := func() error {
		res, err := client.Post(srv.URL+"/api/v1/surveys/every-type/responses", "application/json", bytes.NewReader(body(seq.Add(1))))
		if err != nil {
			return err
		}
		_, _ = io.Copy(io.Discard, res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusCreated {
			return fmt.Errorf("status %d", res.StatusCode)
		}
		return nil
	}
	// Alternate the two in halves, so neither always meets the larger table.
	b.ResetTimer()
	half := b.N / 2
	rawElapsed := concurrently(b, half, insertRaw)
	serviceElapsed := concurrently(b, half, postService)
	serviceElapsed += concurrently(b, b.N-half, postService)
	rawElapsed += concurrently(b, b.N-half, insertRaw)
	b.StopTimer()
	rawRate := float64(b.N) / rawElapsed.Seconds()
	serviceRate := float64(b.N) / serviceElapsed.Seconds()
	b.ReportMetric(serviceRate, "service-submissions/s")
	b.ReportMetric(rawRate, "raw-inserts/s")
	b.ReportMetric(100*serviceRate/rawRate, "service-%-of-raw")
}

// indexOnSubmission is the store's unique (survey, submission_id) index, so
// raw inserts pay for the same uniqueness check as the service.
func indexOnSubmission() mongo.IndexModel {
	return mongo.IndexModel{Keys: bson.D{{Key: "survey", Value: 1}, {Key: "submission_id", Value: 1}}, Options: options.Index().SetUnique(true)}
}

// concurrently runs n calls of fn on benchClients goroutines and returns the wall time.
func concurrently(b *testing.B, n int, fn func() error) time.Duration {
	var next atomic.Int64
	var wg sync.WaitGroup
	start := time.Now()
	for w := 0; w < benchClients; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for next.Add(1) <= int64(n) {
				if err := fn(); err != nil {
					b.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	return time.Since(start)
}
