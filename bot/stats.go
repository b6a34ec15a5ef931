package bot

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/prepbot/prepbot/internal/mrkdwn"
	"github.com/prepbot/prepbot/store"
)

// participation is a channel's question-of-the-day record per person.
type participation struct {
	user    string
	week    int // answers to this week's questions
	streak  int // consecutive latest questions answered, newest first
	answers int // all questions answered
}

// channelParticipation computes who answered which of the channel's
// questions. "This week" is the calendar week (from Monday) in the
// channel's schedule zone. Streaks count consecutive posts, not days, so
// weekends off a weekday schedule do not break them.
func (b *Bot) channelParticipation(channel string, now time.Time) ([]participation, int, error) {
	posts, err := b.store.ChannelPosts(channel)
	if err != nil {
		return nil, 0, err
	}
	slices.SortFunc(posts, func(a, b store.Post) int { return cmp.Compare(b.TS, a.TS) }) // newest first
	weekStart := startOfWeek(now, b.channelZone(channel))
	byUser := map[string]*participation{}
	broken := map[string]bool{}
	thisWeek := 0
	for i, p := range posts {
		replies, err := b.store.Replies(channel, p.TS)
		if err != nil {
			return nil, 0, err
		}
		answered := map[string]bool{}
		for _, r := range replies {
			answered[r.User] = true
		}
		recent := !p.PostedAt.Before(weekStart)
		if recent {
			thisWeek++
		}
		for u := range answered {
			pp := byUser[u]
			if pp == nil {
				pp = &participation{user: u}
				byUser[u] = pp
				// Someone first seen at post i missed all newer posts.
				broken[u] = i > 0
			}
			pp.answers++
			if recent {
				pp.week++
			}
			if !broken[u] {
				pp.streak++
			}
		}
		for u := range byUser {
			if !answered[u] {
				broken[u] = true
			}
		}
	}
	out := make([]participation, 0, len(byUser))
	for _, p := range byUser {
		out = append(out, *p)
	}
	slices.SortFunc(out, func(a, b participation) int {
		return cmp.Or(cmp.Compare(b.week, a.week), cmp.Compare(b.streak, a.streak), cmp.Compare(a.user, b.user))
	})
	return out, thisWeek, nil
}

func (b *Bot) cmdStats(ctx context.Context, c call) (reply, error) {
	now := b.clock.Now()
	var sb strings.Builder
	sb.WriteString(b.personalStats(ctx, c.UserID))
	sb.WriteString("\n")
	if _, err := b.store.LatestPost(c.ChannelID); err == nil {
		parts, week, err := b.channelParticipation(c.ChannelID, now)
		if err != nil {
			return reply{}, err
		}
		mine := participation{user: c.UserID}
		for _, p := range parts {
			if p.user == c.UserID {
				mine = p
			}
		}
		fmt.Fprintf(&sb, "*You here:* %d answered this week, %d in all, current streak %d.\n", mine.week, mine.answers, mine.streak)
		fmt.Fprintf(&sb, "*This channel this week:* %d question(s).", week)
		shown := 0
		for _, p := range parts {
			if p.week == 0 || shown == 15 {
				continue
			}
			shown++
			name := p.user
			if pr, err := b.person(ctx, p.user); err == nil {
				name = pr.Name
			}
			fmt.Fprintf(&sb, "\n• %s — %d answered, streak %d", mrkdwn.Escape(name), p.week, p.streak)
		}
		if shown == 0 {
			sb.WriteString("\nNobody has answered in a thread this week yet.")
		}
	}
	return reply{Text: sb.String()}, nil
}

// startOfWeek is Monday 00:00 of t's week in loc.
func startOfWeek(t time.Time, loc *time.Location) time.Time {
	t = t.In(loc)
	back := (int(t.Weekday()) + 6) % 7 // days since Monday
	y, m, d := t.Date()
	return time.Date(y, m, d-back, 0, 0, 0, 0, loc)
}

// channelZone is the zone of the channel's schedule, or the default zone.
func (b *Bot) channelZone(channel string) *time.Location {
	if s, err := b.store.Schedule(channel); err == nil {
		if loc, err := time.LoadLocation(s.Zone); err == nil {
			return loc
		}
	}
	return b.cfg.Zone
}
