package store

import (
	"context"
	"time"

	bolt "go.etcd.io/bbolt"
)

// EventTTL is how long an event ID is remembered. Slack retries an event
// for about an hour at most and redelivers unacknowledged Socket Mode
// envelopes within minutes; a day leaves a wide margin.
const EventTTL = 24 * time.Hour

// markEvent records eventID as seen and reports whether it was new. An
// empty ID is always new: there is nothing to deduplicate on.
func (db *DB) markEvent(tx *bolt.Tx, eventID string) bool {
	if eventID == "" {
		return true
	}
	events := tx.Bucket(bucketEvents)
	id := []byte(eventID)
	if events.Get(id) != nil {
		return false
	}
	now := uint64(db.now().Unix())
	// Put errors only on read-only tx or bad keys: neither can happen here
	// except an over-long ID, which then simply is not remembered.
	_ = events.Put(id, u64(now))
	byTime := tx.Bucket(bucketEventTime)
	byTime.FillPercent = appendFill
	_ = byTime.Put(key(u64(now), id), nil)
	return true
}

// MarkEvent records eventID as handled and reports whether this is the first
// time it was seen. It returns once the mark is durable.
func (db *DB) MarkEvent(ctx context.Context, eventID string) (first bool, err error) {
	err = db.update(ctx, func(tx *bolt.Tx) error {
		first = db.markEvent(tx, eventID)
		return nil
	})
	return first, err
}

// PruneEvents forgets event IDs first seen more than EventTTL ago and
// returns how many it removed.
func (db *DB) PruneEvents(ctx context.Context) (n int, err error) {
	cutoff := u64(uint64(db.now().Add(-EventTTL).Unix()))
	err = db.update(ctx, func(tx *bolt.Tx) error {
		n = 0
		events, byTime := tx.Bucket(bucketEvents), tx.Bucket(bucketEventTime)
		c := byTime.Cursor()
		for k, _ := c.First(); k != nil && string(k[:8]) < string(cutoff); k, _ = c.Next() {
			if err := events.Delete(k[9:]); err != nil {
				return err
			}
			if err := c.Delete(); err != nil {
				return err
			}
			n++
		}
		return nil
	})
	return n, err
}
