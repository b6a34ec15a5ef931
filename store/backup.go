package store

import (
	"fmt"
	"io"

	bolt "go.etcd.io/bbolt"
)

// Backup writes a consistent copy of the whole database to w, while other
// readers and writers carry on, and returns the number of bytes written.
func (db *DB) Backup(w io.Writer) (int64, error) {
	var n int64
	err := db.bolt.View(func(tx *bolt.Tx) error {
		var err error
		n, err = tx.WriteTo(w)
		return err
	})
	if err != nil {
		return n, fmt.Errorf("backup: %w", err)
	}
	return n, nil
}

// Check runs bbolt's consistency check and returns the problems it finds.
func (db *DB) Check() error {
	return db.bolt.View(func(tx *bolt.Tx) error {
		// Drain the channel fully: Check's goroutine blocks until it is read.
		var first error
		for err := range tx.Check() {
			if first == nil {
				first = fmt.Errorf("check: %w", err)
			}
		}
		return first
	})
}
