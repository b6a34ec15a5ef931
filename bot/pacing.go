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
// apart, as Slack asks of chat.postMessage (about one a second per channel,
// short bursts allowed). It paces on real time, not the bot's schedule
// clock: Slack's limit runs on Slack's clock, and a fake schedule clock
// that stands still (tests, the playground) would stall every second post.
// now and after default to the time package; tests replace them.
type channelPacer struct {
	interval time.Duration // <= 0: no pacing
	now      func() time.Time
	after    func(time.Duration) <-chan time.Time

	mu   sync.Mutex
	next map[string]time.Time
}

func newPacer(interval time.Duration) *channelPacer {
	return &channelPacer{interval: interval, now: time.Now, after: time.After, next: map[string]time.Time{}}
}

// wait blocks until the bot may post to channel again, and claims the slot.
func (p *channelPacer) wait(ctx context.Context, channel string) error {
	if p.interval <= 0 {
		return nil
	}
	p.mu.Lock()
	now := p.now()
	at := p.next[channel]
	if at.Before(now) {
		at = now
	}
	p.next[channel] = at.Add(p.interval)
	p.mu.Unlock()
	if d := at.Sub(now); d > 0 {
		select {
		case <-p.after(d):
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return nil
}
