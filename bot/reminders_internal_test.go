package bot

import (
	"context"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/slack-go/slack"

	"github.com/prepbot/prepbot/internal/clock"
	"github.com/prepbot/prepbot/store"
)

// stuckSlack is a Web API whose chat.postMessage blocks until released, as
// a DM does while it waits out a series of 429s.
type stuckSlack struct {
	slackAPI
	release chan struct{}
	mu      sync.Mutex
	posted  []string
	waiting chan string
}

func (s *stuckSlack) PostMessageContext(ctx context.Context, channel string, _ ...slack.MsgOption) (string, string, error) {
	s.waiting <- channel
	select {
	case <-s.release:
	case <-ctx.Done():
		return "", "", ctx.Err()
	}
	s.mu.Lock()
	s.posted = append(s.posted, channel)
	s.mu.Unlock()
	return channel, "1.000001", nil
}

// TestRemindersDoNotBlockTheScheduler: a pass with due reminders returns
// while their DMs are still stuck in Slack, and at most reminderSenders of
// them are in flight at once.
func TestRemindersDoNotBlockTheScheduler(t *testing.T) {
	db, err := store.Open(filepath.Join(t.TempDir(), "prepbot.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	now := time.Date(2026, 11, 23, 9, 30, 0, 0, time.UTC)
	b, err := New(Config{AppToken: "xapp-1", BotToken: "xoxb-1", Store: db, Clock: clock.NewFake(now)})
	if err != nil {
		t.Fatal(err)
	}
	b.workCtx, b.cancel = context.WithCancel(context.Background())
	defer b.cancel()
	fake := &stuckSlack{release: make(chan struct{}), waiting: make(chan string, 100)}
	b.slack = fake

	const users = 10
	ctx := context.Background()
	for i := range users {
		user := "U" + string(rune('A'+i))
		if err := db.SetReminder(ctx, store.Reminder{User: user, Clock: "09:00", Zone: "UTC", DM: "D" + user}); err != nil {
			t.Fatal(err)
		}
		if _, err := db.RateCard(ctx, user, "databases/q00", store.Review{Rating: "again", At: now.Add(-48 * time.Hour)}, func(c store.Card) store.Card {
			c.Due = now.Add(-time.Hour)
			return c
		}); err != nil {
			t.Fatal(err)
		}
	}

	// If the pass sent the DMs itself, it would never return: no DM is
	// released until it has.
	b.sendReminders(ctx, now)

	for range reminderSenders {
		<-fake.waiting
	}
	select {
	case ch := <-fake.waiting:
		t.Fatalf("a reminder to %s was sent while %d were in flight; want at most %d at once", ch, reminderSenders, reminderSenders)
	default:
	}
	close(fake.release)
	b.inflight.Wait()
	if len(fake.posted) != users {
		t.Errorf("reminders sent = %d; want %d", len(fake.posted), users)
	}
}

func TestRedact(t *testing.T) {
	in := `dial wss://wss-primary.slack.com/link/?ticket=5b1c-secret-77&app_id=A1: connection refused; "ticket=abc"`
	got := redact(in)
	if strings.Contains(got, "secret") || strings.Contains(got, "abc") || !strings.Contains(got, "ticket=REDACTED&app_id=A1") {
		t.Errorf("redact = %q", got)
	}
}
