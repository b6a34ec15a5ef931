package bot

import (
	"time"

	"github.com/prepbot/prepbot/fsrs"
	"github.com/prepbot/prepbot/store"
)

// scheduler is FSRS-6 with prepbot's settings: target retention 0.9,
// whole days, no same-day steps, no fuzz (fsrs.DefaultParams).
var scheduler = fsrs.DefaultParams()

// review applies a self-rating to a stored card with FSRS and returns the
// new card and its interval in days.
func (b *Bot) review(c store.Card, rating string, now time.Time, loc *time.Location) (store.Card, int) {
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
	next, log := scheduler.Review(fc, r, now, loc)
	c.Stability, c.Difficulty, c.Due, c.LastReview = next.Stability, next.Difficulty, next.Due, next.LastReview
	c.Reps, c.Lapses, c.State = next.Reps, next.Lapses, "review"
	return c, log.Interval
}
