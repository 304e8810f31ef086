package campaign

import (
	"context"
	"sync"
	"time"

	"github.com/metlib/canvass/survey"
)

// CachedSurveys is a survey.SurveyStore that reuses each survey's current
// definition for a short time, so a submission does not pay for reading its
// survey. Every write passing through it drops that survey's entry, so no
// caller has an invalidation to remember; a change made elsewhere (another
// instance sharing the database) is seen once the entry is older than the TTL.
// The surveys it returns are shared: callers must not change them.
type CachedSurveys struct {
	survey.SurveyStore
	ttl time.Duration

	mu      sync.Mutex
	entries map[string]cachedSurvey
}

type cachedSurvey struct {
	s       *survey.Survey
	fetched time.Time
}

var _ survey.SurveyStore = (*CachedSurveys)(nil)

// CacheSurveys wraps a store; ttl <= 0 reads the store every time. A store
// that is already cached is returned as is.
func CacheSurveys(st survey.SurveyStore, ttl time.Duration) *CachedSurveys {
	if c, ok := st.(*CachedSurveys); ok {
		return c
	}
	return &CachedSurveys{SurveyStore: st, ttl: ttl, entries: map[string]cachedSurvey{}}
}

// FindSurvey returns the survey's current version, from the cache when fresh.
func (c *CachedSurveys) FindSurvey(ctx context.Context, slug string) (*survey.Survey, error) {
	c.mu.Lock()
	e, ok := c.entries[slug]
	c.mu.Unlock()
	if ok && time.Since(e.fetched) < c.ttl {
		return e.s, nil
	}
	s, err := c.SurveyStore.FindSurvey(ctx, slug)
	if err != nil {
		return nil, err
	}
	if c.ttl > 0 {
		c.mu.Lock()
		c.entries[slug] = cachedSurvey{s: s, fetched: time.Now()}
		c.mu.Unlock()
	}
	return s, nil
}

func (c *CachedSurveys) forget(slug string) {
	c.mu.Lock()
	delete(c.entries, slug)
	c.mu.Unlock()
}

// CreateSurvey stores a new survey and drops any entry under its slug.
func (c *CachedSurveys) CreateSurvey(ctx context.Context, s *survey.Survey) error {
	defer c.forget(s.Slug)
	return c.SurveyStore.CreateSurvey(ctx, s)
}

// InstallSurvey stores s unless its slug exists, and drops the entry.
func (c *CachedSurveys) InstallSurvey(ctx context.Context, s *survey.Survey) (bool, error) {
	defer c.forget(s.Slug)
	return c.SurveyStore.InstallSurvey(ctx, s)
}

// SetSurveyStatus changes the status and drops the entry.
func (c *CachedSurveys) SetSurveyStatus(ctx context.Context, slug string, status survey.Status) error {
	defer c.forget(slug)
	return c.SurveyStore.SetSurveyStatus(ctx, slug, status)
}

// SetSurveyDates changes the dates and drops the entry.
func (c *CachedSurveys) SetSurveyDates(ctx context.Context, slug string, opens, closes *time.Time) error {
	defer c.forget(slug)
	return c.SurveyStore.SetSurveyDates(ctx, slug, opens, closes)
}

// UpdateSurvey stores a new version and drops the entry.
func (c *CachedSurveys) UpdateSurvey(ctx context.Context, s *survey.Survey) error {
	defer c.forget(s.Slug)
	return c.SurveyStore.UpdateSurvey(ctx, s)
}
