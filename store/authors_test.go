package store

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

func TestTimesRoundTrip(t *testing.T) {
	for _, ts := range [][]int64{nil, {0}, {5, 5, 9}, {1700000000, 1700086400, 1731536000}} {
		got, err := decodeTimes(encodeTimes(ts))
		if err != nil || !slices.Equal(got, ts) {
			t.Errorf("round trip of %v = %v, %v", ts, got, err)
		}
	}
	if _, err := decodeTimes([]byte{0xff}); err == nil {
		t.Error("a truncated varint decoded without error")
	}
}

func replyAt(user string, i int, at time.Time) Reply {
	return Reply{Channel: "C1", ThreadTS: "1700000000.000100", TS: fmt.Sprintf("1700000001.%06d", i), User: user, Text: "an answer", At: at}
}

func TestReplyTimesFollowSavesEditsDeletesAndForget(t *testing.T) {
	db, _ := openTest(t, Options{})
	defer db.Close()
	ctx := context.Background()
	day := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	for i := range 4 {
		if _, err := db.SaveReply(ctx, replyAt("U1", i, day.AddDate(0, 0, 3-i))); err != nil { // out of order
			t.Fatal(err)
		}
	}
	db.SaveReply(ctx, replyAt("U2", 10, day))
	// A redelivery and an edit change nothing; a deletion removes one.
	db.SaveReply(ctx, replyAt("U1", 0, day.AddDate(0, 0, 3)))
	edit := replyAt("U1", 1, day.AddDate(0, 0, 2))
	edit.Text, edit.EditTS = "edited", "1700000009.000000"
	db.SaveReply(ctx, edit)
	if _, err := db.DeleteReply(ctx, "C1", "1700000000.000100", "1700000001.000002"); err != nil { // U1's day+1
		t.Fatal(err)
	}
	db.DeleteReply(ctx, "C1", "1700000000.000100", "1700000001.000002") // twice
	got, err := db.UserReplyTimes("U1")
	want := []time.Time{day, day.AddDate(0, 0, 2), day.AddDate(0, 0, 3)}
	if err != nil || !slices.EqualFunc(got, want, time.Time.Equal) {
		t.Fatalf("UserReplyTimes(U1) = %v, %v; want %v", got, err, want)
	}
	if _, err := db.ForgetUser(ctx, "U1"); err != nil {
		t.Fatal(err)
	}
	if got, _ := db.UserReplyTimes("U1"); len(got) != 0 {
		t.Errorf("U1's reply times after forget-me: %v", got)
	}
	if got, _ := db.UserReplyTimes("U2"); len(got) != 1 {
		t.Errorf("U2's reply times after U1's forget-me: %v; want one", got)
	}
}

// TestSchema1FileGetsReplyTimes opens a file as schema 1 left it (no reply
// times) and checks that the migration counts every live reply.
func TestSchema1FileGetsReplyTimes(t *testing.T) {
	db, path := openTest(t, Options{})
	ctx := context.Background()
	day := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	for i := range 30 {
		if _, err := db.SaveReply(ctx, replyAt(fmt.Sprintf("U%d", i%3), i, day.Add(time.Duration(i)*time.Hour))); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.DeleteReply(ctx, "C1", "1700000000.000100", "1700000001.000000"); err != nil { // U0's first
		t.Fatal(err)
	}
	err := db.bolt.Update(func(tx *bolt.Tx) error {
		if err := tx.DeleteBucket(bucketAuthors); err != nil {
			return err
		}
		return tx.Bucket(bucketMeta).Put(keySchemaVersion, u64(1))
	})
	if err != nil {
		t.Fatal(err)
	}
	db.Close()

	db, err = Open(path, Options{})
	if err != nil {
		t.Fatalf("open a schema 1 file: %v", err)
	}
	defer db.Close()
	for u, want := range map[string]int{"U0": 9, "U1": 10, "U2": 10} {
		if got, err := db.UserReplyTimes(u); err != nil || len(got) != want {
			t.Errorf("UserReplyTimes(%s) after the migration = %d, %v; want %d", u, len(got), err, want)
		}
	}
	if err := db.Check(); err != nil {
		t.Error(err)
	}
}

// TestCrashedSchema2FileGetsReplyTimesRebuilt opens a file as schema 2
// left it after a crash (marked in use, the times that waited in its memory
// lost) and checks that the migration counts every live reply again and
// rewrites schema 2's tombstones, which named the author.
func TestCrashedSchema2FileGetsReplyTimesRebuilt(t *testing.T) {
	db, path := openTest(t, Options{})
	ctx := context.Background()
	day := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	for i := range 5 {
		if _, err := db.SaveReply(ctx, replyAt("U1", i, day.Add(time.Duration(i)*time.Minute))); err != nil {
			t.Fatal(err)
		}
	}
	err := db.bolt.Update(func(tx *bolt.Tx) error {
		meta := tx.Bucket(bucketMeta)
		if err := meta.Put(keyInUse, []byte{1}); err != nil {
			return err
		}
		if err := tx.Bucket(bucketAuthors).Put([]byte("U1"), encodeTimes([]int64{day.Unix()})); err != nil { // four lost
			return err
		}
		// Schema 2's tombstones named the author.
		k, _ := replyKey("C1", "1700000000.000100", "1700000009.000000")
		if err := tx.Bucket(bucketReplies).Put(k, []byte(`{"u":"U9","at":1700000000,"g":true}`)); err != nil {
			return err
		}
		return meta.Put(keySchemaVersion, u64(2))
	})
	if err != nil {
		t.Fatal(err)
	}
	db.Close()

	db, err = Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if got, err := db.UserReplyTimes("U1"); err != nil || len(got) != 5 {
		t.Errorf("after a schema 2 crash, UserReplyTimes(U1) = %d, %v; want all 5 rebuilt", len(got), err)
	}
	db.bolt.View(func(tx *bolt.Tx) error {
		if tx.Bucket(bucketMeta).Get(keyInUse) != nil {
			t.Error("schema 2's in-use mark survived the migration")
		}
		k, _ := replyKey("C1", "1700000000.000100", "1700000009.000000")
		if v := tx.Bucket(bucketReplies).Get(k); !bytes.Equal(v, tombstone) {
			t.Errorf("schema 2's tombstone after the migration = %s; want %s, naming no one", v, tombstone)
		}
		return nil
	})
}
