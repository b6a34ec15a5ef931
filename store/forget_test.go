package store_test

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/prepbot/prepbot/store"
)

// TestForgetUserIsCompleteUnderConcurrentWrites hammers thread replies
// (new ones, edits, deletions) from many users while forget-me runs for
// them, then checks what a person can see of themselves: every user's reply
// times (App Home, stats) match their live replies exactly, and a user
// forgotten after their last write has no trace left, also after a reopen.
//
// The races it looks for have windows of microseconds, so it runs a few
// rounds, each on a new file, and stops at the first that finds one.
func TestForgetUserIsCompleteUnderConcurrentWrites(t *testing.T) {
	for round := range 4 {
		forgetUserUnderWrites(t, filepath.Join(t.TempDir(), fmt.Sprintf("s%d.db", round)))
		if t.Failed() {
			t.Fatalf("round %d of 4 failed", round+1)
		}
	}
}

func forgetUserUnderWrites(t *testing.T, path string) {
	db, err := store.Open(path, store.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	const (
		users        = 16
		writesPerRun = 200
		forgetters   = 2
	)
	base := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	user := func(u int) string { return fmt.Sprintf("U%03d", u) }
	// Users with an odd number forget themselves after their last write;
	// the others keep writing meanwhile, so commits stay busy.
	lastForgets := func(u int) bool { return u%2 == 1 }

	var writers sync.WaitGroup
	stop := make(chan struct{})
	// Forgetters forget someone once per few writes, not as fast as they
	// can: reading every reply is slow under the race detector.
	tick := make(chan struct{}, forgetters)
	var forgets sync.WaitGroup
	for f := range forgetters {
		forgets.Go(func() {
			rng := rand.New(rand.NewPCG(uint64(f), 1))
			for {
				select {
				case <-stop:
					return
				case <-tick:
				}
				if _, err := db.ForgetUser(ctx, user(rng.IntN(users))); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	for u := range users {
		writers.Go(func() {
			rng := rand.New(rand.NewPCG(uint64(u), 2))
			// Each user writes in their own thread, so a reply is
			// identified by (user, i).
			thread := fmt.Sprintf("17000%05d.000001", u)
			ts := func(i int) string { return fmt.Sprintf("1700100000.%06d", i) }
			for i := range writesPerRun {
				r := store.Reply{Channel: "C1", ThreadTS: thread, TS: ts(i), User: user(u), Text: "an answer", At: base.Add(time.Duration(i) * time.Minute)}
				if _, err := db.SaveReply(ctx, r); err != nil {
					t.Error(err)
					return
				}
				if i%8 == 0 {
					select {
					case tick <- struct{}{}:
					default:
					}
				}
				switch j := rng.IntN(i + 1); rng.IntN(4) {
				case 0:
					if _, err := db.DeleteReply(ctx, "C1", thread, ts(j)); err != nil {
						t.Error(err)
						return
					}
				case 1:
					e := r
					e.TS, e.At, e.Text, e.EditTS = ts(j), base.Add(time.Duration(j)*time.Minute), "edited", fmt.Sprintf("1700200000.%06d", i)
					if _, err := db.SaveReply(ctx, e); err != nil {
						t.Error(err)
						return
					}
				}
			}
			if lastForgets(u) {
				if _, err := db.ForgetUser(ctx, user(u)); err != nil {
					t.Error(err)
				}
			}
		})
	}
	writers.Wait()
	close(stop)
	forgets.Wait()
	if t.Failed() {
		db.Close()
		return
	}

	check := func(when string) {
		t.Helper()
		for u := range users {
			d, err := db.ExportUser(user(u))
			if err != nil {
				t.Fatal(err)
			}
			times, err := db.UserReplyTimes(user(u))
			if err != nil {
				t.Fatal(err)
			}
			if lastForgets(u) {
				if len(d.Replies) != 0 || len(times) != 0 {
					t.Errorf("%s: %s was forgotten after their last write, but %d replies and %d reply times are left", when, user(u), len(d.Replies), len(times))
				}
				continue
			}
			var want []time.Time
			for _, r := range d.Replies {
				want = append(want, r.At)
			}
			slices.SortFunc(want, time.Time.Compare)
			if !slices.EqualFunc(times, want, time.Time.Equal) {
				t.Errorf("%s: %s has %d live replies but %d reply times (App Home and stats read the times)", when, user(u), len(want), len(times))
			}
		}
	}
	check("before reopen")
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	db, err = store.Open(path, store.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	check("after reopen")
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	// Nothing else in the file names a forgotten user either: not a
	// tombstone, not an index entry, not a record in a bucket App Home or
	// stats do not read.
	raw, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true, Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	err = raw.View(func(tx *bolt.Tx) error {
		return tx.ForEach(func(name []byte, b *bolt.Bucket) error {
			return b.ForEach(func(k, v []byte) error {
				for u := range users {
					if lastForgets(u) && (bytes.Contains(k, []byte(user(u))) || bytes.Contains(v, []byte(user(u)))) {
						t.Errorf("bucket %s still names forgotten %s: %q = %q", name, user(u), k, v)
					}
				}
				return nil
			})
		})
	})
	if err != nil {
		t.Fatal(err)
	}
}
