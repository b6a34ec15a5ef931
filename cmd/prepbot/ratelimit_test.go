package main

import (
	"fmt"
	"path/filepath"
	"testing"
)

// TestEndToEndFakeEnforcesRateLimits checks that the end-to-end tests run
// against Slack's rate limits (issue 11), and that the bot waits a burst
// out: more DM answers in one channel than chat.postMessage's burst allows
// are all delivered, each once.
func TestEndToEndFakeEnforcesRateLimits(t *testing.T) {
	t.Parallel()
	fake := newFake(t)
	startBot(t, fake, filepath.Join(t.TempDir(), "prepbot.db"))
	const n = 8 // chat.postMessage allows a burst of 5 per channel
	for i := range n {
		fake.UserMessage("DU1", "U1", fmt.Sprintf("hello %d", i), "", false)
	}
	ok := func() (ok, limited int) {
		for _, c := range fake.Calls("chat.postMessage") {
			switch c.Status {
			case 200:
				ok++
			case 429:
				limited++
			}
		}
		return ok, limited
	}
	waitFor(t, fake, "every DM answered", func() bool { got, _ := ok(); return got >= n })
	got, limited := ok()
	if limited == 0 {
		t.Errorf("no chat.postMessage call was answered 429: the fake does not enforce rate limits")
	}
	if got != n {
		t.Errorf("%d chat.postMessage calls succeeded; want %d (each answer posted once)", got, n)
	}
	if m := len(fake.Messages("DU1")); m != 2*n {
		t.Errorf("DU1 holds %d messages; want %d (%d DMs and their answers)", m, 2*n, n)
	}
}
