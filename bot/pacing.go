package bot

import (
	"context"
	"sync"
	"time"
)

// channelLocks serialises work per channel (question-of-the-day jobs).
type channelLocks struct {
	mu sync.Mutex
	m  map[string]*sync.Mutex
}

func (l *channelLocks) lock(channel string) func() {
	l.mu.Lock()
	if l.m == nil {
		l.m = map[string]*sync.Mutex{}
	}
	m, ok := l.m[channel]
	if !ok {
		m = &sync.Mutex{}
		l.m[channel] = m
	}
	l.mu.Unlock()
	m.Lock()
	return m.Unlock
}

// channelPacer keeps the bot's own posts to one channel at least interval
// apart, as Slack asks of chat.postMessage (about one a second per channel):
// a bucket of one token per channel. It paces on real time, not the bot's
// schedule clock: Slack's limit runs on Slack's clock, and a fake schedule
// clock that stands still (tests, the playground) would stall every second
// post.
type channelPacer struct {
	interval time.Duration // <= 0: no pacing

	mu      sync.Mutex
	buckets map[string]*bucket
}

func newPacer(interval time.Duration) *channelPacer {
	return &channelPacer{interval: interval, buckets: map[string]*bucket{}}
}

// wait blocks until the bot may post to channel again, and claims the slot.
func (p *channelPacer) wait(ctx context.Context, channel string) error {
	if p.interval <= 0 {
		return nil
	}
	p.mu.Lock()
	k := p.buckets[channel]
	if k == nil {
		k = newBucket(1/p.interval.Seconds(), 1, time.Now)
		p.buckets[channel] = k
	}
	p.mu.Unlock()
	if !k.wait(ctx) {
		return ctx.Err()
	}
	return nil
}

// bucket is a token bucket on real time (Slack's limits run on Slack's
// clock): wait takes a token, refilled at rate per second up to burst.
type bucket struct {
	mu     sync.Mutex
	rate   float64
	burst  float64
	tokens float64
	last   time.Time
	now    func() time.Time
}

func newBucket(rate float64, burst int, now func() time.Time) *bucket {
	return &bucket{rate: rate, burst: float64(burst), tokens: float64(burst), last: now(), now: now}
}

// reserve takes a token and returns how long to wait before using it.
func (k *bucket) reserve() time.Duration {
	k.mu.Lock()
	defer k.mu.Unlock()
	now := k.now()
	k.tokens = min(k.burst, k.tokens+now.Sub(k.last).Seconds()*k.rate)
	k.last = now
	k.tokens--
	if k.tokens >= 0 {
		return 0
	}
	return time.Duration(-k.tokens / k.rate * float64(time.Second))
}

// wait blocks until a token is due; false if ctx ended first.
func (k *bucket) wait(ctx context.Context) bool {
	d := k.reserve()
	if d <= 0 {
		return ctx.Err() == nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}
