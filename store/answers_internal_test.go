package store

import (
	"context"
	"encoding/json"
	"path/filepath"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Two DM answers at one clock instant (the playground's clock stands still
// until moved) are two records, not one replacing the other.
func TestAnswersAtOneInstantAreKept(t *testing.T) {
	db, err := Open(filepath.Join(t.TempDir(), "p.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	at := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	for i, q := range []string{"databases/a", "databases/b", "databases/c"} {
		if err := db.SetPractice(ctx, "U1", Practice{Awaiting: q}); err != nil {
			t.Fatal(err)
		}
		if _, first, err := db.TakeAnswer(ctx, "Ev"+q, Answer{User: "U1", Text: "answer " + q, At: at}); err != nil || !first {
			t.Fatalf("answer %d: %v, %v", i, first, err)
		}
	}
	got, err := db.Answers("U1")
	if err != nil || len(got) != 3 || got[0].QuestionID != "databases/a" || got[2].QuestionID != "databases/c" {
		t.Errorf("Answers = %+v, %v; want all three, in order", got, err)
	}
}

// Opening a schema 3 file rewrites its answer keys; every answer survives,
// in order, and new ones sort after them.
func TestMigrateAnswerKeys(t *testing.T) {
	path := filepath.Join(t.TempDir(), "p.db")
	db, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	base := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	err = db.bolt.Update(func(tx *bolt.Tx) error {
		for i, text := range []string{"first", "second"} {
			a := Answer{User: "U1", QuestionID: "databases/a", Text: text, At: base.Add(time.Duration(i) * time.Second)}
			v, _ := json.Marshal(a)
			if err := tx.Bucket(bucketAnswers).Put(key([]byte("U1"), u64(uint64(a.At.UnixNano()))), v); err != nil {
				return err
			}
		}
		return tx.Bucket(bucketMeta).Put(keySchemaVersion, u64(3))
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
	ctx := context.Background()
	if err := db.SetPractice(ctx, "U1", Practice{Awaiting: "databases/b"}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := db.TakeAnswer(ctx, "Ev1", Answer{User: "U1", Text: "third", At: base.Add(time.Minute)}); err != nil {
		t.Fatal(err)
	}
	got, err := db.Answers("U1")
	if err != nil || len(got) != 3 || got[0].Text != "first" || got[1].Text != "second" || got[2].Text != "third" {
		t.Errorf("Answers after the migration = %+v, %v; want first, second, third", got, err)
	}
	db.bolt.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketAnswers).ForEach(func(k, _ []byte) error {
			if len(k) != len("U1")+1+16 {
				t.Errorf("answer key %x has the old length", k)
			}
			return nil
		})
	})
}

func TestUserReplies(t *testing.T) {
	db, err := Open(filepath.Join(t.TempDir(), "p.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	at := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	for i, r := range []Reply{
		{User: "U1", TS: "1700000001.000000", Text: "first"},
		{User: "U12", TS: "1700000002.000000", Text: "someone whose ID contains U1"},
		{User: "U1", TS: "1700000003.000000", Text: "second"},
		{User: "U2", TS: "1700000004.000000", Text: "other, mentions U1"},
	} {
		r.Channel, r.ThreadTS, r.At = "C1", "1700000000.000100", at.Add(time.Duration(i)*time.Minute)
		if _, err := db.SaveReply(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.DeleteReply(ctx, "C1", "1700000000.000100", "1700000001.000000"); err != nil {
		t.Fatal(err)
	}
	got, err := db.UserReplies("C1", "1700000000.000100", "U1")
	if err != nil || len(got) != 1 || got[0].Text != "second" {
		t.Errorf("UserReplies = %+v, %v; want only U1's live reply", got, err)
	}
}
