package store

import (
	"context"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Report is a user's report of a problem with a reference answer. Stored
// as JSON under at-unix-nanos BE 0 user, so reports list oldest first and
// two reports made at the same instant do not overwrite each other.
type Report struct {
	QuestionID string    `json:"question_id"`
	User       string    `json:"user"`
	Text       string    `json:"text"`
	At         time.Time `json:"at"`
}

// AddReport stores a report.
func (db *DB) AddReport(ctx context.Context, r Report) error {
	return db.update(ctx, func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketReports)
		b.FillPercent = appendFill
		return putJSON(tx, bucketReports, key(u64(uint64(r.At.UnixNano())), []byte(r.User)), r)
	})
}

// Reports returns every report, oldest first.
func (db *DB) Reports() ([]Report, error) {
	var out []Report
	err := db.bolt.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketReports).ForEach(func(_, v []byte) error {
			var r Report
			if err := jsonUnmarshal(v, &r); err != nil {
				return err
			}
			out = append(out, r)
			return nil
		})
	})
	return out, err
}
