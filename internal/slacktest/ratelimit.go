package slacktest

import (
	"math"
	"sync"
	"time"
)

// Rate is how often the fake lets one method be called before it answers
// HTTP 429 with Retry-After, as Slack does. It is a token bucket: Burst
// calls at once, refilled at PerMinute a minute. Slack publishes the
// per-minute tiers but not its burst sizes; the bursts here are the fake's.
type Rate struct {
	PerMinute float64
	Burst     int
	// PerChannel counts each channel parameter separately (chat.postMessage:
	// about one message a second per channel).
	PerChannel bool
}

// Slack's Web API tiers (docs.slack.dev/apis/web-api/rate-limits).
var (
	Tier1 = Rate{PerMinute: 1, Burst: 3}
	Tier2 = Rate{PerMinute: 20, Burst: 20}
	Tier3 = Rate{PerMinute: 50, Burst: 50}
	Tier4 = Rate{PerMinute: 100, Burst: 100}
	// PostMessageRate is chat.postMessage's special tier: one message a
	// second per channel, short bursts allowed.
	PostMessageRate = Rate{PerMinute: 60, Burst: 5, PerChannel: true}
)

// DefaultRates are the tiers of the methods the fake speaks, from each
// method's page on docs.slack.dev (LIMITS.md). auth.test is not limited.
var DefaultRates = map[string]Rate{
	"apps.connections.open":        Tier1,
	"chat.postMessage":             PostMessageRate,
	"chat.postEphemeral":           Tier4,
	"chat.update":                  Tier3,
	"chat.delete":                  Tier3,
	"views.publish":                Tier4,
	"views.open":                   Tier4,
	"views.update":                 Tier4,
	"users.info":                   Tier4,
	"users.list":                   Tier2,
	"conversations.open":           Tier3,
	"conversations.info":           Tier3,
	"conversations.history":        Tier3,
	"conversations.replies":        Tier3,
	"files.getUploadURLExternal":   Tier4,
	"files.completeUploadExternal": Tier4,
}

type bucket struct {
	tokens float64
	at     time.Time
}

// limiter holds one bucket per method (and channel, where the rate says).
type limiter struct {
	mu      sync.Mutex
	rates   map[string]Rate
	buckets map[string]*bucket
}

func newLimiter(rates map[string]Rate) *limiter {
	if rates == nil {
		rates = DefaultRates
	}
	return &limiter{rates: rates, buckets: map[string]*bucket{}}
}

// take spends one call of method at now; when none is left it returns
// false and how many whole seconds to wait, for Retry-After.
func (l *limiter) take(method, channel string, now time.Time) (ok bool, retryAfter int) {
	r, limited := l.rates[method]
	if !limited || r.PerMinute <= 0 {
		return true, 0
	}
	key := method
	if r.PerChannel {
		key += "/" + channel
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	b, seen := l.buckets[key]
	if !seen {
		b = &bucket{tokens: float64(r.Burst), at: now}
		l.buckets[key] = b
	}
	perSecond := r.PerMinute / 60
	if elapsed := now.Sub(b.at).Seconds(); elapsed > 0 {
		b.tokens = math.Min(float64(r.Burst), b.tokens+elapsed*perSecond)
		b.at = now
	}
	if b.tokens >= 1 {
		b.tokens--
		return true, 0
	}
	wait := (1 - b.tokens) / perSecond
	return false, max(1, int(math.Ceil(wait)))
}
