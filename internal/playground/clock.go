package playground

import (
	"context"
	"fmt"
	"time"

	"github.com/robfig/cron/v3"

	"github.com/prepbot/prepbot/internal/slacktest"
	"github.com/prepbot/prepbot/store"
)

// specParser reads schedules the way the bot does (bot/slots.go).
var specParser = cron.NewParser(cron.Minute | cron.Hour | cron.Dom | cron.Month | cron.Dow | cron.Descriptor)

// nextPost returns the earliest time after now at which the bot is due to
// post something on its own: a question-of-the-day slot or a practice
// reminder, from the schedules and reminders in the store.
//
// Why not only clock.Fake.NextWake: the bot's scheduler also wakes every
// minute to notice wall-clock jumps, so its next wake is at most a minute
// away; jumping there would take a day of presses to reach 09:00. The
// bot's own scheduler still decides what to post once the clock is there.
func (p *Playground) nextPost(now time.Time) (time.Time, bool) {
	at, _, ok := p.nextPosts(now)
	return at, ok
}

// nextPosts is nextPost that also names the channels whose question of the
// day is due then.
func (p *Playground) nextPosts(now time.Time) (time.Time, []string, bool) {
	var best time.Time
	var channels []string
	consider := func(t time.Time, channel string) {
		switch {
		case t.IsZero() || !t.After(now):
		case best.IsZero() || t.Before(best):
			best, channels = t, nil
			fallthrough
		case t.Equal(best):
			if channel != "" {
				channels = append(channels, channel)
			}
		}
	}
	if schedules, err := p.db.Schedules(); err == nil {
		for _, s := range schedules {
			if s.Halted != "" {
				continue
			}
			loc, err := time.LoadLocation(s.Zone)
			if err != nil {
				continue
			}
			from := now
			if s.PausedUntil != "" {
				if until, err := time.ParseInLocation("2006-01-02", s.PausedUntil, loc); err == nil && until.After(from) {
					from = until.Add(-time.Nanosecond)
				}
			}
			consider(nextSlot(s.Spec, loc, s.SetAt, from), s.Channel)
		}
	}
	if reminders, err := p.db.Reminders(); err == nil {
		for _, r := range reminders {
			consider(nextReminder(r.Clock, r.Zone, r.LastDate, now), "")
		}
	}
	return best, channels, !best.IsZero()
}

// nextSlot is the first slot of spec strictly after t (zero if none).
func nextSlot(spec string, loc *time.Location, anchor, t time.Time) time.Time {
	sched, err := specParser.Parse(spec)
	if err != nil {
		return time.Time{}
	}
	if every, ok := sched.(cron.ConstantDelaySchedule); ok {
		anchor = anchor.Truncate(time.Second)
		if every.Delay <= 0 {
			return time.Time{}
		}
		if t.Before(anchor) {
			return anchor
		}
		return anchor.Add((t.Sub(anchor)/every.Delay + 1) * every.Delay)
	}
	return sched.Next(t.In(loc))
}

// nextReminder is the next time a daily reminder at clock HH:MM in zone is
// due after now, given the local date it last went out.
func nextReminder(clock, zone, lastDate string, now time.Time) time.Time {
	hm, err := time.Parse("15:04", clock)
	if err != nil {
		return time.Time{}
	}
	loc, err := time.LoadLocation(zone)
	if err != nil {
		loc = time.UTC
	}
	local := now.In(loc)
	for day := 0; day < 3; day++ {
		at := time.Date(local.Year(), local.Month(), local.Day()+day, hm.Hour(), hm.Minute(), 0, 0, loc)
		if at.After(now) && at.Format("2006-01-02") > lastDate {
			return at
		}
	}
	return time.Time{}
}

// clockResult is the answer to POST /api/clock.
type clockResult struct {
	OK   bool      `json:"ok"`
	Now  time.Time `json:"now"`
	Note string    `json:"note"`
}

// moveClock runs one clock action: "next" jumps to the next post and waits
// (a few seconds at most) for the bot to post it; "hour" and "day" move
// the clock on, and the bot catches up on what fell due.
func (p *Playground) moveClock(ctx context.Context, action string) (clockResult, error) {
	p.clockMu.Lock()
	defer p.clockMu.Unlock()
	now := p.clock.Now()
	switch action {
	case "hour":
		p.clock.Set(now.Add(time.Hour))
	case "day":
		p.clock.Set(now.Add(24 * time.Hour))
	case "next":
		at, channels, ok := p.nextPosts(now)
		if !ok {
			return clockResult{OK: true, Now: now, Note: "Nothing is scheduled yet. As Ines, run /prep schedule 0 9 * * * in #cohort (or /prep remind in the DM)."}, nil
		}
		before := botActivity(p.slack.Snapshot())
		p.clock.Set(at)
		wctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		defer cancel()
		posted := p.slack.WaitFor(wctx, func() bool { return botActivity(p.slack.Snapshot()) > before }) == nil
		if posted {
			// Return once the bot has recorded its posts, so that what the
			// person does next (a reply in the thread) finds them.
			p.waitSlotsSettled(wctx, channels, at)
		}
		note := "Jumped to " + at.In(p.opts.Zone).Format("Mon 2 Jan 15:04") + "."
		if !posted {
			note += " Nothing was due to be posted then."
		}
		p.refresh()
		return clockResult{OK: true, Now: p.clock.Now(), Note: note}, nil
	default:
		return clockResult{}, fmt.Errorf("action must be next, hour or day")
	}
	p.refresh()
	return clockResult{OK: true, Now: p.clock.Now()}, nil
}

// waitSlotsSettled waits until the slot at of each channel is recorded as
// posted or skipped, or ctx ends.
func (p *Playground) waitSlotsSettled(ctx context.Context, channels []string, at time.Time) {
	t := time.NewTicker(2 * time.Millisecond)
	defer t.Stop()
	for _, ch := range channels {
		for {
			slot, err := p.db.Slot(ch, at)
			if err == nil && slot.State != store.SlotPosting {
				break
			}
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
		}
	}
}

// botActivity counts what the bot has posted so far.
func botActivity(s slacktest.Snapshot) int {
	n := len(s.Ephemerals) + len(s.Uploads)
	for _, m := range s.Messages {
		if m.BotID != "" {
			n++
		}
	}
	return n
}
