package clock_test

import (
	"testing"
	"time"

	"github.com/prepbot/prepbot/internal/clock"
)

func TestFakeWakesWaitersInTimeOnly(t *testing.T) {
	start := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	f := clock.NewFake(start)
	early := f.After(start.Add(time.Minute))
	late := f.After(start.Add(time.Hour))
	past := f.After(start.Add(-time.Second))
	select {
	case <-past:
	default:
		t.Error("a waiter for the past did not fire at once")
	}
	if at, ok := f.NextWake(); !ok || !at.Equal(start.Add(time.Minute)) {
		t.Errorf("NextWake = %v, %v; want the one-minute waiter", at, ok)
	}
	f.Advance(30 * time.Minute)
	select {
	case got := <-early:
		if !got.Equal(start.Add(30 * time.Minute)) {
			t.Errorf("early waiter got %v", got)
		}
	default:
		t.Error("the one-minute waiter did not fire after 30 minutes")
	}
	select {
	case <-late:
		t.Error("the one-hour waiter fired after 30 minutes")
	default:
	}
	f.Set(start) // never backwards
	if !f.Now().Equal(start.Add(30 * time.Minute)) {
		t.Errorf("Set moved the clock backwards to %v", f.Now())
	}
	if n := f.Waiters(); n != 1 {
		t.Errorf("Waiters = %d; want 1", n)
	}
}
