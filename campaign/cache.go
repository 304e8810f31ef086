package campaign

import (
	"context"
	"encoding/json"
	"sync"
	"sync/atomic"
	"time"

	"github.com/metlib/canvass/survey"
)

// WatchedResponses is a survey.ResponseStore that counts the writes passing
// through it: each stored, saved or deleted response bumps its survey's
// generation, and every cached result is keyed by the generation it was
// computed at. So a write through this store can never leave a stale
// result behind, and no caller has anything to remember (upspin's dircache
// does the same for directories). Writes made elsewhere (another instance
// sharing the database) are seen when a cached result expires.
//
// Every adapter that writes responses must write through the same
// WatchedResponses as the Service; Service.Responses returns it.
type WatchedResponses struct {
	survey.ResponseStore
	// all is bumped by deletes, which name a response, not its survey.
	all         atomic.Uint64
	generations sync.Map // slug → *atomic.Uint64
}

// Watch wraps a store; a store that is already watched is returned as is.
func Watch(st survey.ResponseStore) *WatchedResponses {
	if w, ok := st.(*WatchedResponses); ok {
		return w
	}
	return &WatchedResponses{ResponseStore: st}
}

var _ survey.ResponseStore = (*WatchedResponses)(nil)

func (w *WatchedResponses) counter(slug string) *atomic.Uint64 {
	if c, ok := w.generations.Load(slug); ok {
		return c.(*atomic.Uint64)
	}
	c, _ := w.generations.LoadOrStore(slug, new(atomic.Uint64))
	return c.(*atomic.Uint64)
}

// Generation identifies the state of a survey's responses as far as writes
// through a WatchedResponses tell.
type Generation struct{ survey, all uint64 }

// Generation changes whenever a response to the survey is written through
// w. Bumps come after the write, so a result computed from data read
// before a write is always filed under an older generation.
func (w *WatchedResponses) Generation(slug string) Generation {
	return Generation{w.counter(slug).Load(), w.all.Load()}
}

// CreateResponse stores r and bumps its survey's generation when it was new.
func (w *WatchedResponses) CreateResponse(ctx context.Context, r *survey.Response) (*survey.Response, bool, error) {
	stored, created, err := w.ResponseStore.CreateResponse(ctx, r)
	if created {
		w.counter(r.SurveySlug).Add(1)
	}
	return stored, created, err
}

// ReplaceResponse replaces a response and bumps its survey's generation
// (also on error: the write may have happened).
func (w *WatchedResponses) ReplaceResponse(ctx context.Context, r *survey.Response) error {
	err := w.ResponseStore.ReplaceResponse(ctx, r)
	w.counter(r.SurveySlug).Add(1)
	return err
}

// DeleteResponse removes a response and bumps every survey's generation:
// the id does not say which survey it belonged to, and deletes are rare.
func (w *WatchedResponses) DeleteResponse(ctx context.Context, id string) error {
	err := w.ResponseStore.DeleteResponse(ctx, id)
	w.all.Add(1)
	return err
}

// resultTTL bounds how long a cached analysis or report is reused: a
// response written by another instance shows within this time.
const resultTTL = 30 * time.Second

// maxCachedResults bounds the result cache; the oldest entry goes first.
const maxCachedResults = 64

// resultCache keeps computed analyses and reports by their query and the
// generation of the survey's responses they were computed at. Checking the
// database instead would cost more than it saves: the embedded server
// counts 10,000 responses in about half a second.
type resultCache struct {
	mu      sync.Mutex
	entries map[string]cachedResult
}

type cachedResult struct {
	generation Generation
	value      any
	stored     time.Time
}

// cacheKey is the query's identity: survey, version, what was computed,
// its options and its filter.
func cacheKey(sv *survey.Survey, what string, q any) string {
	key, _ := json.Marshal(struct {
		Slug    string
		Version int
		What    string
		Query   any
	}{sv.Slug, sv.Version, what, q})
	return string(key)
}

func (rc *resultCache) get(key string, generation Generation, now time.Time) (any, bool) {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	e, ok := rc.entries[key]
	if !ok || e.generation != generation || now.Sub(e.stored) >= resultTTL {
		return nil, false
	}
	return e.value, true
}

func (rc *resultCache) put(key string, generation Generation, v any, now time.Time) {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	if rc.entries == nil {
		rc.entries = map[string]cachedResult{}
	}
	if _, ok := rc.entries[key]; !ok && len(rc.entries) >= maxCachedResults {
		oldest := ""
		for k, e := range rc.entries {
			if oldest == "" || e.stored.Before(rc.entries[oldest].stored) {
				oldest = k
			}
		}
		delete(rc.entries, oldest)
	}
	rc.entries[key] = cachedResult{generation: generation, value: v, stored: now}
}
