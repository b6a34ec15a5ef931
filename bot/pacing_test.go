package bot

import (
	"context"
	"testing"
	"testing/synctest"
	"time"
)

// The pacer spaces posts to one channel by its interval and lets other
// channels through at once; a cancelled wait returns the context's error.
func TestPacer(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := newPacer(time.Second)
		ctx := context.Background()
		start := time.Now()
		var at []time.Duration
		for range 3 {
			if err := p.wait(ctx, "C1"); err != nil {
				t.Fatal(err)
			}
			at = append(at, time.Since(start))
		}
		if want := []time.Duration{0, time.Second, 2 * time.Second}; at[0] != want[0] || at[1] != want[1] || at[2] != want[2] {
			t.Errorf("posts to one channel at %v; want %v", at, want)
		}
		before := time.Now()
		if err := p.wait(ctx, "C2"); err != nil || time.Since(before) != 0 {
			t.Errorf("another channel waited %v (%v); want no wait", time.Since(before), err)
		}
		time.Sleep(5 * time.Second) // idle: the next post goes at once
		before = time.Now()
		if err := p.wait(ctx, "C1"); err != nil || time.Since(before) != 0 {
			t.Errorf("after a pause the channel waited %v (%v); want no wait", time.Since(before), err)
		}
		cctx, cancel := context.WithCancel(ctx)
		cancel()
		if err := p.wait(cctx, "C1"); err != context.Canceled {
			t.Errorf("a cancelled wait = %v; want context.Canceled", err)
		}
		if err := newPacer(-1).wait(ctx, "C1"); err != nil {
			t.Errorf("pacing off: %v", err)
		}
	})
}

// The feedback bucket lets a burst through, then one per 1/rate.
func TestBucket(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		k := newBucket(2, 3, time.Now) // 2 a second, bursts of 3
		ctx := context.Background()
		start := time.Now()
		var at []time.Duration
		for range 5 {
			if !k.wait(ctx) {
				t.Fatal("wait failed")
			}
			at = append(at, time.Since(start))
		}
		want := []time.Duration{0, 0, 0, 500 * time.Millisecond, time.Second}
		for i := range want {
			if at[i] != want[i] {
				t.Fatalf("tokens at %v; want %v", at, want)
			}
		}
		cctx, cancel := context.WithCancel(ctx)
		cancel()
		if k.wait(cctx) {
			t.Error("a wait on an ended context succeeded")
		}
	})
}
