package web

import (
	"math"
	"strconv"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
	"golang.org/x/time/rate"

	"github.com/metlib/canvass/survey"
)

// RateLimit is a token bucket: PerSecond requests on average, Burst at once.
// A negative PerSecond turns the limit off; zero takes the default.
type RateLimit struct {
	PerSecond float64
	Burst     int
}

// ipLimiter keeps a token bucket per client IP (as gin's ClientIP sees it,
// which honours CANVASS_TRUSTED_PROXIES). Idle buckets are dropped.
type ipLimiter struct {
	limit RateLimit
	mu    sync.Mutex
	byIP  map[string]*bucket
	swept time.Time
}

type bucket struct {
	*rate.Limiter
	seen time.Time
}

// newIPLimiter returns nil (no limit) for a negative rate.
func newIPLimiter(l RateLimit) *ipLimiter {
	if l.PerSecond < 0 {
		return nil
	}
	return &ipLimiter{limit: l, byIP: map[string]*bucket{}, swept: time.Now()}
}

// reserve takes a token for ip and returns how long to wait if none is left.
func (l *ipLimiter) reserve(ip string, now time.Time) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	if now.Sub(l.swept) > time.Minute {
		for k, b := range l.byIP {
			if now.Sub(b.seen) > 10*time.Minute {
				delete(l.byIP, k)
			}
		}
		l.swept = now
	}
	b, ok := l.byIP[ip]
	if !ok {
		b = &bucket{Limiter: rate.NewLimiter(rate.Limit(l.limit.PerSecond), l.limit.Burst)}
		l.byIP[ip] = b
	}
	b.seen = now
	r := b.ReserveN(now, 1)
	if delay := r.DelayFrom(now); delay > 0 {
		r.CancelAt(now)
		return delay
	}
	return 0
}

// middleware answers 429 with Retry-After when the client IP is over its rate.
func (l *ipLimiter) middleware(s *Server) gin.HandlerFunc {
	return func(c *gin.Context) {
		if l == nil {
			c.Next()
			return
		}
		if wait := l.reserve(c.ClientIP(), time.Now()); wait > 0 {
			c.Header("Retry-After", strconv.Itoa(int(math.Ceil(wait.Seconds()))))
			s.renderError(c, survey.KeyedErrorf(ETOOMANY, "rate_limited", "Too many requests from your address; please wait a moment and try again."))
			return
		}
		c.Next()
	}
}
