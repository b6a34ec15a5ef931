package store

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

func openTest(t *testing.T, opts Options) (*DB, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "s.db")
	db, err := Open(path, opts)
	if err != nil {
		t.Fatal(err)
	}
	return db, path
}

func put(key string) func(tx *bolt.Tx) error {
	return func(tx *bolt.Tx) error { return tx.Bucket(bucketMeta).Put([]byte(key), []byte("v")) }
}

func TestConcurrentWritesShareCommits(t *testing.T) {
	var commits, carried atomic.Int64
	db, _ := openTest(t, Options{OnCommit: func(_ time.Duration, n int) { commits.Add(1); carried.Add(int64(n)) }})
	defer db.Close()
	const writers = 200
	var wg sync.WaitGroup
	for i := range writers {
		wg.Go(func() {
			if err := db.update(context.Background(), put(fmt.Sprintf("k%03d", i))); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if got := carried.Load(); got != writers {
		t.Errorf("commits carried %d writes; want %d", got, writers)
	}
	if c := commits.Load(); c >= writers {
		t.Errorf("%d commits for %d concurrent writes: none were shared", c, writers)
	}
	if db.committing || len(db.queue) != 0 {
		t.Errorf("store not idle after every write returned: committing=%v queue=%d", db.committing, len(db.queue))
	}
}

func TestPanickingWriteFailsAlone(t *testing.T) {
	db, _ := openTest(t, Options{})
	defer db.Close()
	var wg sync.WaitGroup
	errs := make([]error, 20)
	for i := range errs {
		wg.Go(func() {
			fn := put(fmt.Sprintf("k%02d", i))
			if i == 7 {
				fn = func(*bolt.Tx) error { panic("boom") }
			}
			errs[i] = db.update(context.Background(), fn)
		})
	}
	wg.Wait()
	for i, err := range errs {
		switch {
		case i == 7 && (err == nil || !strings.Contains(err.Error(), "panicked")):
			t.Errorf("panicking write: err = %v; want a panic error", err)
		case i != 7 && err != nil:
			t.Errorf("write %d failed with its panicking neighbour: %v", i, err)
		}
	}
	// The store still works.
	if err := db.update(context.Background(), put("after")); err != nil {
		t.Fatalf("write after a panic: %v", err)
	}
}

func TestCloseWaitsForQueuedWrites(t *testing.T) {
	db, path := openTest(t, Options{})
	var wg sync.WaitGroup
	ok := make([]bool, 300)
	for i := range ok {
		wg.Go(func() {
			err := db.update(context.Background(), put(fmt.Sprintf("k%03d", i)))
			switch {
			case err == nil:
				ok[i] = true
			case !errors.Is(err, ErrClosed):
				t.Errorf("write %d: %v", i, err)
			}
		})
		if i == 150 {
			wg.Go(func() { db.Close() })
		}
	}
	wg.Wait()
	db.Close()
	// Every write that reported success is in the file.
	db, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	err = db.bolt.View(func(tx *bolt.Tx) error {
		for i, saved := range ok {
			if saved && tx.Bucket(bucketMeta).Get([]byte(fmt.Sprintf("k%03d", i))) == nil {
				t.Errorf("write %d reported durable but is not in the file", i)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestCanceledContextQueuesNothing(t *testing.T) {
	db, _ := openTest(t, Options{})
	defer db.Close()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := db.update(ctx, put("k")); !errors.Is(err, context.Canceled) {
		t.Fatalf("update with a canceled context = %v; want context.Canceled", err)
	}
	db.bolt.View(func(tx *bolt.Tx) error {
		if tx.Bucket(bucketMeta).Get([]byte("k")) != nil {
			t.Error("a write with a canceled context was committed")
		}
		return nil
	})
}
