package store_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/prepbot/prepbot/store"
)

func open(t *testing.T, path string, now func() time.Time) *store.DB {
	t.Helper()
	db, err := store.Open(path, store.Options{Now: now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func TestMarkEventOnceAndPrune(t *testing.T) {
	now := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	db := open(t, filepath.Join(t.TempDir(), "s.db"), clock)
	ctx := context.Background()
	for i, want := range []bool{true, false, false} {
		if first, err := db.MarkEvent(ctx, "Ev1"); err != nil || first != want {
			t.Errorf("MarkEvent(Ev1) #%d = %v, %v; want %v", i+1, first, err, want)
		}
	}
	if first, _ := db.MarkEvent(ctx, ""); !first {
		t.Errorf("MarkEvent(\"\") = false; an empty ID cannot be deduplicated and must count as new")
	}
	now = now.Add(store.EventTTL - time.Minute)
	if _, err := db.MarkEvent(ctx, "Ev2"); err != nil {
		t.Fatal(err)
	}
	now = now.Add(2 * time.Minute)
	if n, err := db.PruneEvents(ctx); err != nil || n != 1 {
		t.Errorf("PruneEvents = %d, %v; want 1 (only Ev1 is older than the TTL)", n, err)
	}
	if first, _ := db.MarkEvent(ctx, "Ev1"); !first {
		t.Errorf("Ev1 still remembered after pruning")
	}
	if first, _ := db.MarkEvent(ctx, "Ev2"); first {
		t.Errorf("Ev2 forgotten before its TTL")
	}
}

func TestRepliesSurviveReopenAndDeduplicate(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s.db")
	ctx := context.Background()
	db, err := store.Open(path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	r := store.Reply{Channel: "C1", ThreadTS: "1700000000.1", TS: "1700000005.000002", User: "U1", Text: "b"}
	if saved, err := db.SaveReply(ctx, r); err != nil || !saved {
		t.Fatalf("SaveReply = %v, %v", saved, err)
	}
	if saved, _ := db.SaveReply(ctx, r); saved {
		t.Errorf("a retried event saved the reply again")
	}
	// An earlier ts sorts first even though it has fewer digits.
	early := store.Reply{Channel: "C1", ThreadTS: "1700000000.1", TS: "1700000004.9", User: "U2", Text: "a"}
	if _, err := db.SaveReply(ctx, early); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	db = open(t, path, nil)
	got, err := db.Replies("C1", "1700000000.100000")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Text != "a" || got[1].Text != "b" {
		t.Fatalf("Replies after reopen = %+v; want a then b", got)
	}
	if del, err := db.DeleteReply(ctx, "C1", "1700000000.1", "1700000004.9"); err != nil || !del {
		t.Errorf("DeleteReply = %v, %v; want true", del, err)
	}
	if del, _ := db.DeleteReply(ctx, "C1", "1700000000.1", "1700000004.9"); del {
		t.Errorf("a retried delete deleted again")
	}
	// A late redelivery of the deleted message does not bring it back.
	if saved, _ := db.SaveReply(ctx, early); saved {
		t.Errorf("a redelivered message resurrected a deleted reply")
	}
	if n, _ := db.CountReplies(); n != 1 {
		t.Errorf("CountReplies = %d; want 1", n)
	}
}

func TestBadTimestampsAreRejected(t *testing.T) {
	db := open(t, filepath.Join(t.TempDir(), "s.db"), nil)
	for _, ts := range []string{"", "abc", "1.1234567", "-1.0", "1700000000.x"} {
		_, err := db.SaveReply(context.Background(), store.Reply{Channel: "C1", ThreadTS: "1700000000.1", TS: ts})
		if err == nil || !strings.Contains(err.Error(), "timestamp") {
			t.Errorf("SaveReply with ts %q = %v; want a bad timestamp error", ts, err)
		}
	}
}

func TestConcurrentWritesAllCommit(t *testing.T) {
	db := open(t, filepath.Join(t.TempDir(), "s.db"), nil)
	var wg sync.WaitGroup
	for i := range 300 {
		wg.Go(func() {
			// 300 deliveries of 250 messages: 50 are Slack's retries.
			r := store.Reply{Channel: "C1", ThreadTS: "1700000000.1", TS: fmt.Sprintf("1700000001.%06d", i%250), User: "U1"}
			if _, err := db.SaveReply(context.Background(), r); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if n, _ := db.CountReplies(); n != 250 {
		t.Errorf("CountReplies = %d; want 250", n)
	}
	if err := db.Check(); err != nil {
		t.Error(err)
	}
}

func TestWritesAfterCloseFail(t *testing.T) {
	db, err := store.Open(filepath.Join(t.TempDir(), "s.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	if _, err := db.MarkEvent(context.Background(), "Ev"); !errors.Is(err, store.ErrClosed) {
		t.Errorf("MarkEvent after Close = %v; want ErrClosed", err)
	}
	if err := db.Ping(); !errors.Is(err, store.ErrClosed) {
		t.Errorf("Ping after Close = %v; want ErrClosed", err)
	}
}

func TestNewerSchemaIsRefused(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s.db")
	db, err := store.Open(path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	raw, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = raw.Update(func(tx *bolt.Tx) error {
		return tx.Bucket([]byte("meta")).Put([]byte("schema_version"), []byte{0, 0, 0, 0, 0, 0, 0, 99})
	})
	raw.Close()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := store.Open(path, store.Options{}); err == nil || !strings.Contains(err.Error(), "newer prepbot") {
		t.Errorf("Open of a schema-99 file = %v; want a 'newer prepbot' error", err)
	}
}

func TestLockedFileFailsWithinTimeout(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s.db")
	open(t, path, nil)
	start := time.Now()
	_, err := store.Open(path, store.Options{LockTimeout: 200 * time.Millisecond})
	if err == nil || !strings.Contains(err.Error(), "in use by another process") {
		t.Fatalf("second Open = %v; want 'in use by another process'", err)
	}
	if time.Since(start) > 10*time.Second {
		t.Errorf("second Open took %v", time.Since(start))
	}
}

func TestEditsApplyInOrder(t *testing.T) {
	db := open(t, filepath.Join(t.TempDir(), "s.db"), nil)
	ctx := context.Background()
	base := store.Reply{Channel: "C1", ThreadTS: "1700000000.1", TS: "1700000001.5", User: "U1", Text: "first"}
	db.SaveReply(ctx, base)
	second, third := base, base
	second.Text, second.EditTS = "second", "1700000010.1"
	third.Text, third.EditTS = "third", "1700000020.1"
	for _, r := range []store.Reply{third, second, base} { // newest edit first, then late redeliveries
		db.SaveReply(ctx, r)
	}
	got, _ := db.Replies("C1", "1700000000.1")
	if len(got) != 1 || got[0].Text != "third" || !got[0].Edited {
		t.Errorf("after out-of-order edits: %+v; want the newest edit (third)", got)
	}
}

func TestChannelPostsKeepsToItsChannel(t *testing.T) {
	db := open(t, filepath.Join(t.TempDir(), "s.db"), nil)
	ctx := context.Background()
	for i, ch := range []string{"C1", "C10", "C1", "C2", "C1"} {
		p := store.Post{Channel: ch, TS: fmt.Sprintf("17000000%02d.000100", 10-i), QuestionID: "q", PostedAt: time.Unix(int64(i), 0)}
		if err := db.SavePost(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	got, err := db.ChannelPosts("C1")
	if err != nil || len(got) != 3 {
		t.Fatalf("ChannelPosts(C1) = %d posts, %v; want 3 (not C10's)", len(got), err)
	}
	for i, p := range got {
		if p.Channel != "C1" || i > 0 && p.TS <= got[i-1].TS {
			t.Errorf("ChannelPosts(C1)[%d] = %+v: wrong channel or not oldest first", i, p)
		}
	}
	if got, _ := db.ChannelPosts("C3"); len(got) != 0 {
		t.Errorf("ChannelPosts(C3) = %v; want none", got)
	}
}

func TestHasReplied(t *testing.T) {
	db := open(t, filepath.Join(t.TempDir(), "s.db"), nil)
	ctx := context.Background()
	const thread = "1700000000.000100"
	for i, u := range []string{"U1", "U12", "U2"} {
		if _, err := db.SaveReply(ctx, store.Reply{Channel: "C1", ThreadTS: thread, TS: fmt.Sprintf("1700000001.%06d", i), User: u, Text: "mentions U3 in the text"}); err != nil {
			t.Fatal(err)
		}
	}
	db.SaveReply(ctx, store.Reply{Channel: "C1", ThreadTS: "1700000009.000100", TS: "1700000010.000001", User: "U4", Text: "another thread"})
	db.DeleteReply(ctx, "C1", thread, "1700000001.000002") // U2's
	for user, want := range map[string]bool{"U1": true, "U12": true, "U2": false, "U3": false, "U4": false} {
		if got, err := db.HasReplied("C1", thread, user); err != nil || got != want {
			t.Errorf("HasReplied(%s) = %v, %v; want %v", user, got, err, want)
		}
	}
}
