package store

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Reply is a person's answer in a question-of-the-day thread. Stored under
// channel 0 thread-ts 0 ts (so one thread's replies are one range scan) as
// the JSON of replyRecord: the key already holds channel and timestamps.
type Reply struct {
	Channel  string    `json:"channel"`
	ThreadTS string    `json:"thread_ts"`
	TS       string    `json:"ts"`
	User     string    `json:"user"`
	Text     string    `json:"text"`
	At       time.Time `json:"at"`
	Edited   bool      `json:"edited,omitempty"`
}

// replyRecord is a Reply's stored value. Replies are the bulk of the file
// (and of its mapped memory), so the value carries only what the key lacks.
type replyRecord struct {
	User   string `json:"u"`
	Text   string `json:"t"`
	At     int64  `json:"at"` // unix seconds
	Edited bool   `json:"e,omitempty"`
}

func decodeReply(k, v []byte) (Reply, error) {
	var rec replyRecord
	if err := json.Unmarshal(v, &rec); err != nil {
		return Reply{}, fmt.Errorf("decode reply: %w", err)
	}
	// k is channel 0 thread(8) 0 ts(8).
	if len(k) < 18 {
		return Reply{}, fmt.Errorf("decode reply: short key")
	}
	n := len(k)
	return Reply{
		Channel:  string(k[:n-18]),
		ThreadTS: formatTS(be.Uint64(k[n-17 : n-9])),
		TS:       formatTS(be.Uint64(k[n-8:])),
		User:     rec.User, Text: rec.Text, At: time.Unix(rec.At, 0).UTC(), Edited: rec.Edited,
	}, nil
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
	v, err := json.Marshal(replyRecord{User: r.User, Text: r.Text, At: r.At.Unix(), Edited: r.Edited})
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
		b := tx.Bucket(bucketReplies)
		b.FillPercent = appendFill
		return b.Put(k, v)
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
			r, err := decodeReply(k, v)
			if err != nil {
				return err
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
