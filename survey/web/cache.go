package web

import (
	"context"
	"sync"
	"time"

	"github.com/metlib/canvass/survey"
)

// surveyCache reuses survey definitions for a short time, so each submission
// does not pay for reading its survey. Writes through this server drop the
// entry at once; another instance's changes are seen within the TTL.
type surveyCache struct {
	store survey.SurveyStore
	ttl   time.Duration

	mu      sync.Mutex
	entries map[string]cacheEntry
}

type cacheEntry struct {
	s       *survey.Survey
	fetched time.Time
}

func newSurveyCache(store survey.SurveyStore, ttl time.Duration) *surveyCache {
	return &surveyCache{store: store, ttl: ttl, entries: map[string]cacheEntry{}}
}

// find returns the survey, from the cache when fresh. The returned survey is
// shared: callers must not modify it.
func (c *surveyCache) find(ctx context.Context, slug string) (*survey.Survey, error) {
	c.mu.Lock()
	e, ok := c.entries[slug]
	c.mu.Unlock()
	if ok && time.Since(e.fetched) < c.ttl {
		return e.s, nil
	}
	s, err := c.store.FindSurvey(ctx, slug)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	c.entries[slug] = cacheEntry{s: s, fetched: time.Now()}
	c.mu.Unlock()
	return s, nil
}

func (c *surveyCache) forget(slug string) {
	c.mu.Lock()
	delete(c.entries, slug)
	c.mu.Unlock()
}
