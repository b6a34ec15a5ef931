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

// channelPacer keeps the bot's own posts to one channel at least a second
// apart, as Slack asks of chat.postMessage.
type channelPacer struct {
	mu   sync.Mutex
	next map[string]time.Time
}

const postInterval = time.Second

// wait blocks until the bot may post to channel again, and claims the slot.
func (p *channelPacer) wait(ctx context.Context, channel string) error {
	p.mu.Lock()
	if p.next == nil {
		p.next = map[string]time.Time{}
	}
	now := time.Now()
	at := p.next[channel]
	if at.Before(now) {
		at = now
	}
	p.next[channel] = at.Add(postInterval)
	p.mu.Unlock()
	if d := time.Until(at); d > 0 {
		t := time.NewTimer(d)
		defer t.Stop()
		select {
		case <-t.C:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return nil
}
