// Package slots computes a channel's question-of-the-day slots from its
// schedule: robfig/cron parses the spec, and the slots are computed here in
// local wall-clock terms on whatever "now" the caller passes, so the
// scheduler, catch-up and the playground's clock all move the same time.
package slots

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/robfig/cron/v3"

	"github.com/prepbot/prepbot/store"

	// Schedules and reminders load zones by name: build the zone data in,
	// so a bare server image (no /usr/share/zoneinfo) cannot break them.
	_ "time/tzdata"
)

// Schedule computes a channel's question-of-the-day slots.
//
// robfig/cron parses the spec; the slots themselves are computed here in
// local wall-clock terms, because a slot is a channel plus a local
// wall-clock time: each calendar (date, hour, minute) the spec matches is
// one slot, so a repeated DST hour yields it once, and a time that does not
// exist (skipped by a DST jump) posts at the end of the gap. `@every D`
// counts from its anchor (when the schedule was set), so restarts never
// shift it.
type Schedule struct {
	spec   *cron.SpecSchedule // nil for @every
	every  time.Duration
	anchor time.Time
	loc    *time.Location
}

var specParser = cron.NewParser(cron.Minute | cron.Hour | cron.Dom | cron.Month | cron.Dow | cron.Descriptor)

// minEvery is the shortest @every interval: a channel gets at most one
// question an hour, which is already more than any cohort wants.
const minEvery = time.Hour

// Parse parses a 5-field cron spec or a descriptor for zone loc.
// anchor is when the schedule was set (used by @every).
func Parse(spec string, loc *time.Location, anchor time.Time) (Schedule, error) {
	spec = strings.TrimSpace(spec)
	if strings.HasPrefix(spec, "TZ=") || strings.HasPrefix(spec, "CRON_TZ=") {
		return Schedule{}, errors.New("give the time zone after the spec, not as TZ=")
	}
	s, err := specParser.Parse(spec)
	if err != nil {
		return Schedule{}, fmt.Errorf("%q is not a schedule: %v", spec, err)
	}
	switch s := s.(type) {
	case *cron.SpecSchedule:
		if s.Second != 1 {
			return Schedule{}, fmt.Errorf("%q: seconds are not supported", spec)
		}
		ss := Schedule{spec: s, loc: loc}
		if ss.Next(time.Date(2000, 1, 1, 0, 0, 0, 0, loc)).IsZero() {
			return Schedule{}, fmt.Errorf("%q never happens", spec)
		}
		return ss, nil
	case cron.ConstantDelaySchedule:
		if s.Delay < minEvery {
			return Schedule{}, fmt.Errorf("%q is too often: the shortest interval is %v", spec, minEvery)
		}
		return Schedule{every: s.Delay, anchor: anchor.Truncate(time.Second), loc: loc}, nil
	default:
		return Schedule{}, fmt.Errorf("%q is not a supported schedule", spec)
	}
}

// Next returns the first slot strictly after t, or the zero time if there
// is none within eight years (a spec such as Feb 30).
func (s Schedule) Next(t time.Time) time.Time {
	if s.spec == nil {
		// The first slot is one interval after the schedule was set: the
		// moment it was set is not a slot (setting `@every 2h` must not
		// post at once, and did only when a pass ran within that second).
		if t.Before(s.anchor) {
			return s.anchor.Add(s.every)
		}
		n := t.Sub(s.anchor)/s.every + 1
		return s.anchor.Add(n * s.every)
	}
	local := t.In(s.loc)
	y, m, d := local.Date()
	for day := 0; day < 366*8; day++ {
		date := time.Date(y, m, d+day, 12, 0, 0, 0, s.loc)
		if !s.dayMatches(date) {
			continue
		}
		for h := 0; h < 24; h++ {
			if s.spec.Hour&(1<<uint(h)) == 0 {
				continue
			}
			for min := 0; min < 60; min++ {
				if s.spec.Minute&(1<<uint(min)) == 0 {
					continue
				}
				if at := wallTime(date, h, min, s.loc); at.After(t) {
					return at
				}
			}
		}
	}
	return time.Time{}
}

// Latest returns the last slot at or before t and after t-window, if any.
func (s Schedule) Latest(t time.Time, window time.Duration) (time.Time, bool) {
	var last time.Time
	for at := s.Next(t.Add(-window)); !at.IsZero() && !at.After(t); at = s.Next(at) {
		last = at
	}
	return last, !last.IsZero()
}

const starBit = 1 << 63

func (s Schedule) dayMatches(date time.Time) bool {
	if s.spec.Month&(1<<uint(date.Month())) == 0 {
		return false
	}
	dom := s.spec.Dom&(1<<uint(date.Day())) != 0
	dow := s.spec.Dow&(1<<uint(date.Weekday())) != 0
	// Cron's rule: when either field is *, both must match; otherwise either.
	if s.spec.Dom&starBit != 0 || s.spec.Dow&starBit != 0 {
		return dom && dow
	}
	return dom || dow
}

// wallTime is the instant of local wall-clock time h:min on date's day. A
// time inside a DST gap does not exist: it maps to the end of the gap.
func wallTime(date time.Time, h, min int, loc *time.Location) time.Time {
	y, m, d := date.Date()
	at := time.Date(y, m, d, h, min, 0, 0, loc)
	if at.Hour() == h && at.Minute() == min {
		return at
	}
	// Go resolved the missing time with the offset from one side of the
	// gap; the gap's end is the boundary of that side's zone period.
	start, end := at.ZoneBounds()
	if at.Hour()*60+at.Minute() < h*60+min {
		return end
	}
	return start
}

// Loc is the zone the schedule's wall-clock times are in.
func (s Schedule) Loc() *time.Location { return s.loc }

// Of parses a stored schedule.
func Of(s store.Schedule) (Schedule, error) {
	loc, err := time.LoadLocation(s.Zone)
	if err != nil {
		return Schedule{}, err
	}
	return Parse(s.Spec, loc, s.SetAt)
}

// Paused reports whether the slot at falls before the schedule's pause
// date (`pause until DATE`: the first slot on DATE posts).
func Paused(s store.Schedule, at time.Time, sched Schedule) bool {
	if s.PausedUntil == "" {
		return false
	}
	until, err := time.ParseInLocation(time.DateOnly, s.PausedUntil, sched.loc)
	if err != nil {
		return false
	}
	return at.Before(until)
}
