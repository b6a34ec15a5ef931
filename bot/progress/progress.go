// Package progress computes what people have done: a person's practice
// record (answers, streaks, reviews due, topics practised), as App Home and
// stats show it, and a channel's question-of-the-day participation. It only
// reads the store, through the small Store interface, and takes "now" and
// the zone as arguments, so every rule here is tested without Slack or a
// clock.
package progress

import (
	"cmp"
	"slices"
	"time"

	"github.com/prepbot/prepbot/store"
)

// Store is what progress reads; *store.DB implements it.
type Store interface {
	Answers(user string) ([]store.Answer, error)
	UserReplyTimes(user string) ([]time.Time, error)
	Cards(user string) ([]store.Card, error)
	ChannelPosts(channel string) ([]store.Post, error)
	Replies(channel, threadTS string) ([]store.Reply, error)
}

var _ Store = (*store.DB)(nil)

// Record is a person's practice record.
type Record struct {
	Answered           int // DM answers plus thread answers
	Streak, BestStreak int // consecutive days with an answer, in the person's zone
	AnsweredToday      bool
	DueToday, DueWeek  int // reviews due by the end of today, and of the next 6 days
	Deck               int // questions in their deck
	// ReviewedByTopic counts the deck's questions by topic slug.
	ReviewedByTopic map[string]int
}

// Empty reports whether the person has done nothing yet.
func (r Record) Empty() bool { return r.Answered == 0 && r.Deck == 0 }

// UserRecord reads user's record. topicOf names a question's topic (false
// for a question no longer known, which then counts in no topic).
func UserRecord(st Store, topicOf func(questionID string) (string, bool), user string, now time.Time, loc *time.Location) (Record, error) {
	r := Record{ReviewedByTopic: map[string]int{}}
	answers, err := st.Answers(user)
	if err != nil {
		return r, err
	}
	replies, err := st.UserReplyTimes(user)
	if err != nil {
		return r, err
	}
	cards, err := st.Cards(user)
	if err != nil {
		return r, err
	}
	r.Answered = len(answers) + len(replies)
	when := make([]time.Time, 0, len(answers)+len(replies))
	for _, a := range answers {
		when = append(when, a.At)
	}
	when = append(when, replies...)
	r.Streak, r.BestStreak, r.AnsweredToday = Streaks(when, now, loc)
	today := EndOfDay(now, loc)
	week := today.AddDate(0, 0, 6)
	for _, c := range cards {
		r.Deck++
		if c.Due.Before(today) {
			r.DueToday++
		}
		if c.Due.Before(week) {
			r.DueWeek++
		}
		if topic, ok := topicOf(c.QuestionID); ok {
			r.ReviewedByTopic[topic]++
		}
	}
	return r, nil
}

// DueBy counts the cards due before t.
func DueBy(cards []store.Card, t time.Time) int {
	n := 0
	for _, c := range cards {
		if c.Due.Before(t) {
			n++
		}
	}
	return n
}

// Streaks returns the current and best runs of consecutive local days with
// at least one answer. The current run still counts if today has no answer
// yet but yesterday had.
func Streaks(when []time.Time, now time.Time, loc *time.Location) (current, best int, today bool) {
	days := map[string]bool{}
	for _, t := range when {
		days[t.In(loc).Format(time.DateOnly)] = true
	}
	sorted := make([]string, 0, len(days))
	for d := range days {
		sorted = append(sorted, d)
	}
	slices.Sort(sorted)
	run := 0
	var prev time.Time
	for _, d := range sorted {
		t, _ := time.ParseInLocation(time.DateOnly, d, loc)
		if !prev.IsZero() && prev.AddDate(0, 0, 1).Equal(t) {
			run++
		} else {
			run = 1
		}
		best = max(best, run)
		prev = t
	}
	y, m, dd := now.In(loc).Date()
	day := time.Date(y, m, dd, 0, 0, 0, 0, loc)
	today = days[day.Format(time.DateOnly)]
	if !today {
		day = day.AddDate(0, 0, -1)
	}
	for days[day.Format(time.DateOnly)] {
		current++
		day = day.AddDate(0, 0, -1)
	}
	return current, best, today
}

// EndOfDay is the first instant of the day after t's local day in loc.
func EndOfDay(t time.Time, loc *time.Location) time.Time {
	y, m, d := t.In(loc).Date()
	return time.Date(y, m, d+1, 0, 0, 0, 0, loc)
}

// StartOfWeek is Monday 00:00 of t's week in loc.
func StartOfWeek(t time.Time, loc *time.Location) time.Time {
	t = t.In(loc)
	back := (int(t.Weekday()) + 6) % 7 // days since Monday
	y, m, d := t.Date()
	return time.Date(y, m, d-back, 0, 0, 0, 0, loc)
}

// Participation is one person's record in a channel's questions of the day.
type Participation struct {
	User    string
	Week    int // answers to this week's questions
	Streak  int // consecutive latest questions answered, newest first
	Answers int // all questions answered
}

// Channel computes who answered which of the channel's questions, sorted
// by this week's answers, then streak, then user ID; and how many questions
// were posted this week. "This week" is the calendar week (from Monday) in
// loc, the channel's schedule zone. Streaks count consecutive posts, not
// days, so weekends off a weekday schedule do not break them.
func Channel(st Store, channel string, now time.Time, loc *time.Location) ([]Participation, int, error) {
	posts, err := st.ChannelPosts(channel)
	if err != nil {
		return nil, 0, err
	}
	slices.SortFunc(posts, func(a, b store.Post) int { return cmp.Compare(b.TS, a.TS) }) // newest first
	weekStart := StartOfWeek(now, loc)
	byUser := map[string]*Participation{}
	broken := map[string]bool{}
	thisWeek := 0
	for i, p := range posts {
		replies, err := st.Replies(channel, p.TS)
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
				pp = &Participation{User: u}
				byUser[u] = pp
				// Someone first seen at post i missed all newer posts.
				broken[u] = i > 0
			}
			pp.Answers++
			if recent {
				pp.Week++
			}
			if !broken[u] {
				pp.Streak++
			}
		}
		for u := range byUser {
			if !answered[u] {
				broken[u] = true
			}
		}
	}
	out := make([]Participation, 0, len(byUser))
	for _, p := range byUser {
		out = append(out, *p)
	}
	slices.SortFunc(out, func(a, b Participation) int {
		return cmp.Or(cmp.Compare(b.Week, a.Week), cmp.Compare(b.Streak, a.Streak), cmp.Compare(a.User, b.User))
	})
	return out, thisWeek, nil
}
