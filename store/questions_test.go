package store_test

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/prepbot/prepbot/store"
)

// TestSyncQuestionsChangingMany syncs a bank in which most stored questions
// change at once (updated, retired, unchanged, new, and Slack's own left
// alone): enough records to span many pages, so a sync that wrote while it
// iterated could skip or repeat some.
func TestSyncQuestionsChangingMany(t *testing.T) {
	db := open(t, filepath.Join(t.TempDir(), "s.db"), nil)
	ctx := context.Background()
	day := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	data := func(id, v string) []byte { return []byte(fmt.Sprintf(`{"id":%q,"v":%q,"pad":"%0200d"}`, id, v, 0)) }
	const n = 1200
	files := map[string][]byte{}
	for i := range n {
		id := fmt.Sprintf("q%04d", i)
		files[id] = data(id, "1")
	}
	if res, err := db.SyncQuestions(ctx, files, day); err != nil || res != (store.SyncResult{Added: n}) {
		t.Fatalf("first sync = %+v, %v; want %d added", res, err, n)
	}
	slack := store.QuestionRecord{ID: "s1", Data: json.RawMessage(`{"id":"s1"}`), Source: store.SourceSlack, UpdatedAt: day}
	if err := db.PutQuestion(ctx, slack); err != nil {
		t.Fatal(err)
	}
	// A third change, a third go, a third stay; 50 are new.
	next := map[string][]byte{}
	for i := range n {
		id := fmt.Sprintf("q%04d", i)
		switch i % 3 {
		case 0:
			next[id] = data(id, "2")
		case 1:
			next[id] = files[id]
		}
	}
	for i := range 50 {
		id := fmt.Sprintf("new%02d", i)
		next[id] = data(id, "1")
	}
	later := day.Add(time.Hour)
	res, err := db.SyncQuestions(ctx, next, later)
	if want := (store.SyncResult{Added: 50, Updated: n / 3, Retired: n / 3, Unchanged: n / 3}); err != nil || res != want {
		t.Fatalf("second sync = %+v, %v; want %+v", res, err, want)
	}
	recs, err := db.Questions()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != n+50+1 {
		t.Fatalf("%d questions stored; want %d", len(recs), n+50+1)
	}
	for _, r := range recs {
		want, inFiles := next[r.ID]
		switch {
		case r.ID == "s1":
			if r.Retired || r.Source != store.SourceSlack {
				t.Errorf("the Slack question after a sync: %+v; want it left alone", r)
			}
		case !inFiles:
			if !r.Retired || !r.UpdatedAt.Equal(later) || string(r.Data) != string(files[r.ID]) {
				t.Errorf("%s vanished from the files: retired=%v at %v, data %s; want retired at %v with its data kept", r.ID, r.Retired, r.UpdatedAt, r.Data, later)
			}
		case r.Retired || string(r.Data) != string(want):
			t.Errorf("%s = retired %v, data %s; want live with %s", r.ID, r.Retired, r.Data, want)
		}
	}
	// Syncing the same files again changes nothing.
	if res, err := db.SyncQuestions(ctx, next, later); err != nil || res != (store.SyncResult{Unchanged: len(next)}) {
		t.Errorf("repeated sync = %+v, %v; want all %d unchanged", res, err, len(next))
	}
}
