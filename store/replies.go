package store

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Reply is a person's answer in a question-of-the-day thread. Stored as JSON
// under channel 0 thread ts 0 ts, so one thread's replies are one range scan.
type Reply struct {
	Channel  string    `json:"channel"`
	ThreadTS string    `json:"thread_ts"`
	TS       string    `json:"ts"`
	User     string    `json:"user"`
	Text     string    `json:"text"`
	At       time.Time `json:"at"`
	Edited   bool      `json:"edited,omitempty"`
}

func threadPrefix(channel, threadTS string) ([]byte, error) {
	t, err := tsBytes(threadTS)
	if err != nil {
		return nil, err
	}
	return append(key([]byte(channel), t), 0), nil
}

func replyKey(channel, threadTS, ts string) ([]byte, error) {
	p, err := threadPrefix(channel, threadTS)
	if err != nil {
		return nil, err
	}
	t, err := tsBytes(ts)
	if err != nil {
		return nil, err
	}
	return append(p, t...), nil
}

// SaveReply records r (a new reply or an edit of one) unless eventID was
// already handled, and reports whether it changed anything. It returns once
// the change is durable, so the caller may acknowledge the event.
func (db *DB) SaveReply(ctx context.Context, eventID string, r Reply) (bool, error) {
	k, err := replyKey(r.Channel, r.ThreadTS, r.TS)
	if err != nil {
		return false, err
	}
	v, err := json.Marshal(r)
	if err != nil {
		return false, fmt.Errorf("encode reply: %w", err)
	}
	var saved bool
	err = db.update(ctx, func(tx *bolt.Tx) error {
		saved = false
		if !db.markEvent(tx, eventID) {
			return nil
		}
		saved = true
		return tx.Bucket(bucketReplies).Put(k, v)
	})
	return saved, err
}

// DeleteReply removes the reply at ts unless eventID was already handled,
// and reports whether a reply was removed.
func (db *DB) DeleteReply(ctx context.Context, eventID, channel, threadTS, ts string) (bool, error) {
	k, err := replyKey(channel, threadTS, ts)
	if err != nil {
		return false, err
	}
	var deleted bool
	err = db.update(ctx, func(tx *bolt.Tx) error {
		deleted = false
		if !db.markEvent(tx, eventID) {
			return nil
		}
		b := tx.Bucket(bucketReplies)
		if b.Get(k) == nil {
			return nil
		}
		deleted = true
		return b.Delete(k)
	})
	return deleted, err
}

// Replies returns the replies in one thread, oldest first.
func (db *DB) Replies(channel, threadTS string) ([]Reply, error) {
	prefix, err := threadPrefix(channel, threadTS)
	if err != nil {
		return nil, err
	}
	var out []Reply
	err = db.bolt.View(func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketReplies).Cursor()
		for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
			var r Reply
			if err := json.Unmarshal(v, &r); err != nil {
				return fmt.Errorf("decode reply: %w", err)
			}
			out = append(out, r)
		}
		return nil
	})
	return out, err
}

// CountReplies returns how many replies are stored in all threads.
func (db *DB) CountReplies() (int, error) {
	var n int
	err := db.bolt.View(func(tx *bolt.Tx) error {
		n = tx.Bucket(bucketReplies).Stats().KeyN
		return nil
	})
	return n, err
}
