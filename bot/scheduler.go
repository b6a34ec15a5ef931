package bot

import (
	"context"
	"errors"
	"time"

	"github.com/prepbot/prepbot/bot/slots"
	"github.com/prepbot/prepbot/store"
)

// catchUpWindow: a slot missed while the bot was down is posted on start if
// it is less late than this.
const catchUpWindow = 6 * time.Hour

// recheck bounds one wait of the scheduler, so a wall-clock jump (NTP, a
// suspended VM) is noticed within a minute.
const recheck = time.Minute

// runScheduler posts due slots until ctx ends. The store is the truth: each
// pass looks at every schedule's latest slot and posts it if it has no
// record yet, so restarts, catch-up and normal running are one code path.
func (b *Bot) runScheduler(ctx context.Context) {
	for {
		now := b.clock.Now()
		next := b.safePass(ctx, now)
		wake := now.Add(recheck)
		if !next.IsZero() && next.Before(wake) {
			wake = next
		}
		select {
		case <-ctx.Done():
			return
		case <-b.wake:
		case <-b.clock.After(wake):
		}
	}
}

// safePass runs one pass of schedules and reminders; a panic (a bug, or a
// damaged record) is logged and the loop carries on.
func (b *Bot) safePass(ctx context.Context, now time.Time) (next time.Time) {
	defer b.recoverHandler()
	next = b.schedulerPass(ctx, now)
	if r := b.sendReminders(ctx, now); !r.IsZero() && (next.IsZero() || r.Before(next)) {
		next = r
	}
	if m := b.mockPass(ctx, now); !m.IsZero() && (next.IsZero() || m.Before(next)) {
		next = m
	}
	return next
}

// wakeScheduler makes the scheduler look again (a schedule changed).
func (b *Bot) wakeScheduler() {
	select {
	case b.wake <- struct{}{}:
	default:
	}
}

// schedulerPass starts the jobs due at now and returns the earliest next
// slot of any schedule (zero if none).
func (b *Bot) schedulerPass(ctx context.Context, now time.Time) time.Time {
	schedules, err := b.store.Schedules()
	if err != nil {
		b.log.Error("read schedules", "err", err)
		return time.Time{}
	}
	var earliest time.Time
	for _, s := range schedules {
		if s.Halted != "" {
			continue
		}
		sched, err := slots.Of(s)
		if err != nil {
			b.log.Error("stored schedule does not parse", "channel", s.Channel, "err", err)
			continue
		}
		if n := sched.Next(now); !n.IsZero() && (earliest.IsZero() || n.Before(earliest)) {
			earliest = n
		}
		at, ok := sched.Latest(now, catchUpWindow)
		if !ok || at.Before(s.SetAt.Truncate(time.Second)) {
			continue
		}
		b.log.Debug("scheduler pass", "channel", s.Channel, "now", now, "latest", at)
		b.maybePost(ctx, s, at, sched)
	}
	return earliest
}

func (b *Bot) maybePost(ctx context.Context, s store.Schedule, at time.Time, sched slots.Schedule) {
	rec, err := b.store.Slot(s.Channel, at)
	switch {
	case err == nil && rec.State != store.SlotPosting:
		return // posted or skipped already
	case err == nil && b.running(jobKey{s.Channel, at.Unix()}):
		return // being posted right now
	case err != nil && !errors.Is(err, store.ErrNotFound):
		b.log.Error("read slot", "channel", s.Channel, "err", err)
		return
	}
	if slots.Paused(s, at, sched) {
		if err := b.store.SkipSlot(ctx, s.Channel, at, "paused"); err != nil {
			b.log.Error("skip paused slot", "channel", s.Channel, "err", err)
		}
		return
	}
	b.startJob(jobKey{s.Channel, at.Unix()}, func(ctx context.Context) {
		_, err := b.postQuestionOfTheDay(ctx, s.Channel, at, channelTopics(s))
		if err != nil && !errors.Is(err, errAlreadyDone) {
			b.log.Error("question of the day", "channel", s.Channel, "slot", at, "err", err)
		}
	})
}

// jobKey names one slot's job.
type jobKey struct {
	channel string
	slot    int64
}

// startJob runs fn for a slot unless that slot's job is already running.
// Jobs of one channel still run one at a time (postQuestionOfTheDay locks
// the channel), in the order they start.
func (b *Bot) startJob(key jobKey, fn func(ctx context.Context)) {
	b.jobsMu.Lock()
	if b.jobs == nil {
		b.jobs = map[jobKey]bool{}
	}
	if b.jobs[key] {
		b.jobsMu.Unlock()
		return
	}
	b.jobs[key] = true
	b.jobsMu.Unlock()
	b.inflight.Add(1)
	go func() {
		defer b.inflight.Done()
		defer func() {
			b.jobsMu.Lock()
			delete(b.jobs, key)
			b.jobsMu.Unlock()
		}()
		defer b.recoverHandler()
		fn(b.workCtx)
	}()
}

func (b *Bot) running(key jobKey) bool {
	b.jobsMu.Lock()
	defer b.jobsMu.Unlock()
	return b.jobs[key]
}
