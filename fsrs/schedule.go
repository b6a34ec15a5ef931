package fsrs

import (
	"fmt"
	"time"
)

// outcomes are the results of each rating for one review, indexed by Rating.
type outcomes struct {
	elapsed  int
	memory   [Easy + 1]memory
	interval [Easy + 1]int
}

// outcomes computes what every rating would do to c at now. Review and
// Preview both use it, so the intervals shown on buttons are the ones a
// review then schedules.
func (p Params) outcomes(c Card, now time.Time, loc *time.Location) outcomes {
	var o outcomes
	reviewed := c.memoryOK()
	if reviewed {
		o.elapsed = max(0, daysBetween(c.LastReview, now, loc))
		prev := memory{s: clampStability(c.Stability), d: clampDifficulty(c.Difficulty)}
		for _, g := range ratings {
			o.memory[g] = p.next(prev, o.elapsed, g)
		}
	} else {
		for _, g := range ratings {
			o.memory[g] = p.initial(g)
		}
	}

	// Again: prepbot has no relearning steps; a forgotten card comes back
	// the next day, new or not.
	o.interval[Again] = 1

	// Hard ≤ Good < Easy, and Hard < Good once reviewed, as Anki keeps them
	// (rslib scheduler/states: learning.rs for new cards, review.rs
	// passing_fsrs_review_intervals for reviewed ones).
	maxIvl := max(p.MaxInterval, 1)
	hard := p.intervalDays(o.memory[Hard].s)
	good := p.intervalDays(o.memory[Good].s)
	if reviewed {
		good = max(good, hard+1)
	} else {
		good = max(good, hard)
	}
	good = min(good, maxIvl)
	easy := min(max(p.intervalDays(o.memory[Easy].s), good+1), maxIvl)
	o.interval[Hard], o.interval[Good], o.interval[Easy] = hard, good, easy
	return o
}

// Review rates c at now and returns the card's new state and a log of the
// review. Days are counted in loc, the learner's time zone (nil means UTC):
// the card is due at the start of the local day that is the interval after
// now's local date, so a card rated at 23:30 with a one-day interval is due
// half an hour later. Review panics if r is not Again, Hard, Good or Easy;
// outside input goes through ParseRating first.
func (p Params) Review(c Card, r Rating, now time.Time, loc *time.Location) (Card, ReviewLog) {
	if !r.valid() {
		panic(fmt.Sprintf("fsrs: review with invalid rating %d", int(r)))
	}
	if loc == nil {
		loc = time.UTC
	}
	p = p.withDefaults()
	o := p.outcomes(c, now, loc)
	m, ivl := o.memory[r], o.interval[r]

	if r == Again && c.memoryOK() {
		c.Lapses++
	}
	c.Reps++
	c.State = Review
	c.Stability, c.Difficulty = m.s, m.d
	c.LastReview = now
	y, mo, d := now.In(loc).Date()
	c.Due = startOfDay(y, mo, d+ivl, loc)

	return c, ReviewLog{
		Rating:      r,
		At:          now,
		ElapsedDays: o.elapsed,
		Interval:    ivl,
		Stability:   m.s,
		Difficulty:  m.d,
	}
}

// Preview returns the interval in days that each rating would give c if it
// were reviewed at now in loc (nil means UTC), for labelling buttons. It
// matches what Review would schedule.
func (p Params) Preview(c Card, now time.Time, loc *time.Location) map[Rating]int {
	if loc == nil {
		loc = time.UTC
	}
	o := p.withDefaults().outcomes(c, now, loc)
	return map[Rating]int{
		Again: o.interval[Again],
		Hard:  o.interval[Hard],
		Good:  o.interval[Good],
		Easy:  o.interval[Easy],
	}
}

// Retrievability returns the predicted chance, from 0 to 1, that the learner
// recalls c at now: 0 for a new card, 1 on the day of the last review. Days
// are whole calendar days counted in now's location, so pass now.In(loc) to
// get the value Review would use for a learner in loc.
func (p Params) Retrievability(c Card, now time.Time) float64 {
	if !c.memoryOK() {
		return 0
	}
	p = p.withDefaults()
	t := max(0, daysBetween(c.LastReview, now, now.Location()))
	return p.retrievability(float64(t), clampStability(c.Stability))
}

// daysBetween counts the local calendar days in loc from from's date to to's
// date: 0 on the same day, 1 from 23:59 to 00:00 the next day. It is negative
// if to is on an earlier date.
func daysBetween(from, to time.Time, loc *time.Location) int {
	fy, fm, fd := from.In(loc).Date()
	ty, tm, td := to.In(loc).Date()
	// Midnight UTC of each date: whole days apart, with no DST in between.
	a := time.Date(fy, fm, fd, 0, 0, 0, 0, time.UTC).Unix()
	b := time.Date(ty, tm, td, 0, 0, 0, 0, time.UTC).Unix()
	return int((b - a) / (24 * 60 * 60))
}

// startOfDay returns the first instant of the local date y-m-d in loc
// (normalized, so d may overflow the month). That is local midnight, except
// where a DST change skips or repeats midnight: then it is the moment the
// date begins.
func startOfDay(y int, m time.Month, d int, loc *time.Location) time.Time {
	// Noon exists on every date; use it to normalize the date.
	y, m, d = time.Date(y, m, d, 12, 0, 0, 0, loc).Date()
	t := time.Date(y, m, d, 0, 0, 0, 0, loc)
	if ty, tm, td := t.Date(); ty != y || tm != m || td != d {
		// Midnight was skipped and time.Date chose the previous evening:
		// the date begins when that evening's zone ends.
		_, end := t.ZoneBounds()
		return end
	}
	// If clocks went back across midnight, the date's first midnight is in
	// the previous zone, before t.
	if start, _ := t.ZoneBounds(); !start.IsZero() {
		_, off := t.Zone()
		_, prevOff := start.Add(-time.Nanosecond).Zone()
		if prevOff > off {
			earlier := t.Add(-time.Duration(prevOff-off) * time.Second)
			ey, em, ed := earlier.Date()
			if earlier.Before(start) && ey == y && em == m && ed == d {
				return earlier
			}
		}
	}
	return t
}
