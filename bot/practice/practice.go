// Package practice holds the rules of private practice: which question a
// person practises next, how a self-rating reschedules a card (FSRS-6), and
// which daily reminders are due. Its functions are pure: the bot reads the
// store, calls them with "now", and writes back what they return, so each
// rule is tested without Slack, a store or a clock.
package practice

import (
	"slices"
	"time"

	"github.com/prepbot/prepbot/fsrs"
	"github.com/prepbot/prepbot/store"
)

// Next picks what a person practises next from pool (the question IDs of
// the topics asked for), given their cards: the most overdue review first,
// then a question new to them (pick chooses one of n, rand.IntN in
// production), then, when all are seen and none is due, the review due
// soonest. skip (the question being skipped) is not picked again unless it
// is the only one left. ok is false when pool is empty.
func Next(cards []store.Card, pool []string, now time.Time, skip string, pick func(n int) int) (id string, ok bool) {
	inPool := make(map[string]bool, len(pool))
	for _, id := range pool {
		inPool[id] = true
	}
	var mine []store.Card
	for _, c := range cards {
		if inPool[c.QuestionID] {
			mine = append(mine, c)
		}
	}
	slices.SortStableFunc(mine, func(a, b store.Card) int { return a.Due.Compare(b.Due) })
	if len(mine) > 1 && mine[0].QuestionID == skip {
		mine = append(mine[1:], mine[0])
	}
	if len(mine) > 0 && !mine[0].Due.After(now) && mine[0].QuestionID != skip {
		return mine[0].QuestionID, true
	}
	seen := make(map[string]bool, len(cards))
	for _, c := range cards {
		seen[c.QuestionID] = true
	}
	fresh := slices.DeleteFunc(slices.Clone(pool), func(id string) bool { return seen[id] || id == skip })
	if len(fresh) > 0 {
		return fresh[pick(len(fresh))], true
	}
	if len(mine) > 0 {
		return mine[0].QuestionID, true
	}
	if skip != "" && inPool[skip] {
		return skip, true
	}
	return "", false
}

// model is FSRS-6 with prepbot's settings: target retention 0.9, whole
// days, no same-day steps, no fuzz (fsrs.DefaultParams).
var model = fsrs.DefaultParams()

// Review applies a self-rating (again, hard, good or easy; anything else
// counts as again) to a stored card with FSRS, in the person's zone, and
// returns the new card and its interval in days.
func Review(c store.Card, rating string, now time.Time, loc *time.Location) (store.Card, int) {
	r, err := fsrs.ParseRating(rating)
	if err != nil {
		r = fsrs.Again
	}
	fc := fsrs.Card{
		Stability: c.Stability, Difficulty: c.Difficulty, Due: c.Due, LastReview: c.LastReview,
		Reps: c.Reps, Lapses: c.Lapses, State: fsrs.New,
	}
	if c.State == "review" {
		fc.State = fsrs.Review
	}
	next, log := model.Review(fc, r, now, loc)
	c.Stability, c.Difficulty, c.Due, c.LastReview = next.Stability, next.Difficulty, next.Due, next.LastReview
	c.Reps, c.Lapses, c.State = next.Reps, next.Lapses, "review"
	return c, log.Interval
}

// Due is a reminder whose time has come today, in its person's zone.
type Due struct {
	store.Reminder
	Date string // today, YYYY-MM-DD in the reminder's zone: what to claim
	Loc  *time.Location
}

// DueReminders returns the reminders whose time has passed today and that
// have not been sent today, and the earliest time another one falls due
// (zero if none). Reminders with a stored time that does not parse are
// skipped and returned in bad.
func DueReminders(rems []store.Reminder, now time.Time) (due []Due, next time.Time, bad []store.Reminder) {
	for _, r := range rems {
		loc, err := time.LoadLocation(r.Zone)
		if err != nil {
			loc = time.UTC
		}
		hm, err := time.Parse("15:04", r.Clock)
		if err != nil {
			bad = append(bad, r)
			continue
		}
		local := now.In(loc)
		today := local.Format(time.DateOnly)
		at := time.Date(local.Year(), local.Month(), local.Day(), hm.Hour(), hm.Minute(), 0, 0, loc)
		if now.Before(at) || r.LastDate >= today {
			if !at.After(now) {
				at = time.Date(local.Year(), local.Month(), local.Day()+1, hm.Hour(), hm.Minute(), 0, 0, loc)
			}
			if next.IsZero() || at.Before(next) {
				next = at
			}
			continue
		}
		due = append(due, Due{Reminder: r, Date: today, Loc: loc})
	}
	return due, next, bad
}
