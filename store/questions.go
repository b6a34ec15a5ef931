package store

import (
	"context"
	"encoding/json"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Question sources.
const (
	SourceFile  = "file"  // the embedded bank or PREPBOT_QUESTIONS
	SourceSlack = "slack" // added or edited with /prep add or /prep edit
)

// QuestionRecord is a stored question. Data is the question itself in the
// question bank's own encoding (a JSON value the store does not read).
// Stored as JSON under the question ID.
type QuestionRecord struct {
	ID        string          `json:"id"`
	Data      json.RawMessage `json:"data"`
	Source    string          `json:"source"`
	Retired   bool            `json:"retired,omitempty"`
	UpdatedAt time.Time       `json:"updated_at"`
	UpdatedBy string          `json:"updated_by,omitempty"`
}

// SyncResult counts what a sync changed.
type SyncResult struct{ Added, Updated, Retired, Unchanged int }

// SyncQuestions makes the stored bank match the files' questions (ID ->
// data): new ones are added, changed ones updated, and file questions that
// vanished from the files are retired (kept, so history still resolves).
// Questions added in Slack are left alone.
func (db *DB) SyncQuestions(ctx context.Context, files map[string][]byte, now time.Time) (SyncResult, error) {
	var res SyncResult
	err := db.update(ctx, func(tx *bolt.Tx) error {
		res = SyncResult{}
		b := tx.Bucket(bucketQuestions)
		seen := map[string]bool{}
		for id, data := range files {
			seen[id] = true
			var old QuestionRecord
			ok, err := getJSON(tx, bucketQuestions, []byte(id), &old)
			if err != nil {
				return err
			}
			switch {
			case ok && old.Source == SourceSlack:
				// An edit made in Slack wins over the file until the file
				// changes it again: compare with what was synced last.
				res.Unchanged++
				continue
			case ok && !old.Retired && jsonEqual(old.Data, data):
				res.Unchanged++
				continue
			case ok:
				res.Updated++
			default:
				res.Added++
			}
			rec := QuestionRecord{ID: id, Data: data, Source: SourceFile, UpdatedAt: now}
			if err := putJSON(tx, bucketQuestions, []byte(id), rec); err != nil {
				return err
			}
		}
		// bbolt leaves a Put during ForEach undefined: collect the
		// questions to retire first, then write them.
		var retire []QuestionRecord
		err := b.ForEach(func(k, v []byte) error {
			if seen[string(k)] {
				return nil
			}
			var rec QuestionRecord
			if err := jsonUnmarshal(v, &rec); err != nil {
				return err
			}
			if rec.Source == SourceFile && !rec.Retired {
				retire = append(retire, rec) // Data is a copy: json.RawMessage copies
			}
			return nil
		})
		if err != nil {
			return err
		}
		for _, rec := range retire {
			rec.Retired, rec.UpdatedAt = true, now
			if err := putJSON(tx, bucketQuestions, []byte(rec.ID), rec); err != nil {
				return err
			}
		}
		res.Retired = len(retire)
		return nil
	})
	return res, err
}

func jsonEqual(a, b []byte) bool { return string(a) == string(b) }

// Questions returns every stored question record, retired ones included.
func (db *DB) Questions() ([]QuestionRecord, error) {
	var out []QuestionRecord
	err := db.bolt.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketQuestions).ForEach(func(_, v []byte) error {
			var rec QuestionRecord
			if err := jsonUnmarshal(v, &rec); err != nil {
				return err
			}
			// v is only valid inside the transaction: copy Data out.
			rec.Data = append(json.RawMessage(nil), rec.Data...)
			out = append(out, rec)
			return nil
		})
	})
	return out, err
}

// PutQuestion adds or replaces a question (from Slack).
func (db *DB) PutQuestion(ctx context.Context, rec QuestionRecord) error {
	return db.update(ctx, func(tx *bolt.Tx) error {
		return putJSON(tx, bucketQuestions, []byte(rec.ID), rec)
	})
}

// RetireQuestion retires a question and reports whether it existed.
func (db *DB) RetireQuestion(ctx context.Context, id, by string, now time.Time) (bool, error) {
	var found bool
	err := db.update(ctx, func(tx *bolt.Tx) error {
		var rec QuestionRecord
		ok, err := getJSON(tx, bucketQuestions, []byte(id), &rec)
		if err != nil || !ok {
			found = false
			return err
		}
		found = true
		rec.Retired, rec.UpdatedAt, rec.UpdatedBy = true, now, by
		return putJSON(tx, bucketQuestions, []byte(id), rec)
	})
	return found, err
}
