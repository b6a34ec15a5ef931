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
	// EditTS is the Slack timestamp of the edit this text comes from;
	// empty for the text as first posted. Edits apply in EditTS order, so a
	// late redelivery of an older edit cannot undo a newer one.
	EditTS string `json:"edit_ts,omitempty"`
}

// replyRecord is a Reply's stored value. Replies are the bulk of the file
// (and of its mapped memory), so the value carries only what the key lacks.
type replyRecord struct {
	User   string `json:"u"`
	Text   string `json:"t,omitempty"`
	At     int64  `json:"at"` // unix seconds
	Edited bool   `json:"e,omitempty"`
	EditTS string `json:"et,omitempty"`
	// Gone marks a deleted reply: the tombstone stops a late redelivery of
	// the original message from bringing it back.
	Gone bool `json:"g,omitempty"`
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
		User:     rec.User, Text: rec.Text, At: time.Unix(rec.At, 0).UTC(), Edited: rec.Edited, EditTS: rec.EditTS,
	}, nil
}

// tombstone is a deleted reply's value. It names no one: forget-me finds a
// person's records by their user ID, and a deletion leaves none behind.
var tombstone = []byte(`{"u":"","at":0,"g":true}`)

// isGone reports whether a stored reply value is a tombstone, without
// decoding it.
func isGone(v []byte) bool { return bytes.HasSuffix(v, []byte(`"g":true}`)) }

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

// SaveReply records r, a new reply (EditTS empty) or an edit of one, and
// reports whether it changed anything. It returns once the change is
// durable, so the caller may acknowledge the event.
//
// It needs no event-ID bookkeeping to be safe against Slack's retries: a
// reply is keyed by its own timestamp, so a redelivered message finds
// itself already there; an edit applies only if it is newer than the text
// stored; and a deleted reply leaves a tombstone that a late redelivery
// cannot overwrite. The commit stays small (the reply, and for a new one
// its author's reply times), which is what an ack waits for.
func (db *DB) SaveReply(ctx context.Context, r Reply) (bool, error) {
	k, err := replyKey(r.Channel, r.ThreadTS, r.TS)
	if err != nil {
		return false, err
	}
	var editUS uint64
	if r.EditTS != "" {
		if editUS, err = parseTS(r.EditTS); err != nil {
			return false, err
		}
	}
	v, err := json.Marshal(replyRecord{User: r.User, Text: r.Text, At: r.At.Unix(), Edited: r.Edited || r.EditTS != "", EditTS: r.EditTS})
	if err != nil {
		return false, fmt.Errorf("encode reply: %w", err)
	}
	var saved bool
	err = db.update(ctx, func(tx *bolt.Tx) error {
		saved = false
		b := tx.Bucket(bucketReplies)
		b.FillPercent = appendFill
		if old := b.Get(k); old != nil {
			var rec replyRecord
			if err := json.Unmarshal(old, &rec); err != nil {
				return fmt.Errorf("decode reply: %w", err)
			}
			if rec.Gone || r.EditTS == "" {
				return nil // deleted, or this very message again
			}
			if rec.EditTS != "" {
				if oldUS, err := parseTS(rec.EditTS); err == nil && oldUS >= editUS {
					return nil // an older or the same edit
				}
			}
			// An edit changes the text only. The reply keeps its author
			// and the time it was first written (the bot stamps an edit
			// with the time it arrives): the reply times count it there.
			edit, err := json.Marshal(replyRecord{User: rec.User, Text: r.Text, At: rec.At, Edited: true, EditTS: r.EditTS})
			if err != nil {
				return fmt.Errorf("encode reply: %w", err)
			}
			saved = true
			return b.Put(k, edit)
		}
		if err := addReplyTime(tx, r.User, r.At.Unix()); err != nil {
			return err
		}
		saved = true
		return b.Put(k, v)
	})
	return saved, err
}

// DeleteReply replaces the reply at ts with a tombstone and reports
// whether a live reply was removed. Deleting twice is harmless.
func (db *DB) DeleteReply(ctx context.Context, channel, threadTS, ts string) (bool, error) {
	k, err := replyKey(channel, threadTS, ts)
	if err != nil {
		return false, err
	}
	var deleted bool
	err = db.update(ctx, func(tx *bolt.Tx) error {
		deleted = false
		b := tx.Bucket(bucketReplies)
		old := b.Get(k)
		if old != nil && isGone(old) {
			return nil
		}
		if old != nil {
			var rec replyRecord
			if err := json.Unmarshal(old, &rec); err != nil {
				return fmt.Errorf("decode reply: %w", err)
			}
			if err := removeReplyTime(tx, rec.User, rec.At); err != nil {
				return err
			}
			deleted = true
		}
		return b.Put(k, tombstone)
	})
	return deleted, err
}

// Replies returns the replies in one thread, oldest first.
func (db *DB) Replies(channel, threadTS string) ([]Reply, error) {
	return db.threadReplies(channel, threadTS, nil)
}

// UserReplies returns user's live replies in a thread, oldest first. Like
// HasReplied it decodes only the replies that mention the user, so the
// feedback on a Reveal click stays cheap in a thread of thousands.
func (db *DB) UserReplies(channel, threadTS, user string) ([]Reply, error) {
	return db.threadReplies(channel, threadTS, func(v []byte) bool { return replyBy(v, user) })
}

// threadReplies decodes the thread's live replies whose stored values keep
// says yes to (nil: all), oldest first.
func (db *DB) threadReplies(channel, threadTS string, keep func(v []byte) bool) ([]Reply, error) {
	prefix, err := threadPrefix(channel, threadTS)
	if err != nil {
		return nil, err
	}
	var out []Reply
	err = db.bolt.View(func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketReplies).Cursor()
		for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
			if isGone(v) || (keep != nil && !keep(v)) {
				continue
			}
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

// HasReplied reports whether user has a live reply in the thread. It reads
// the thread's keys and values but decodes only the replies that mention
// the user, so it stays cheap in a thread of thousands.
func (db *DB) HasReplied(channel, threadTS, user string) (bool, error) {
	prefix, err := threadPrefix(channel, threadTS)
	if err != nil {
		return false, err
	}
	found := false
	err = db.bolt.View(func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketReplies).Cursor()
		for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
			if !isGone(v) && replyBy(v, user) {
				found = true
				return nil
			}
		}
		return nil
	})
	return found, err
}

// CountReplies returns how many live replies are stored in all threads.
func (db *DB) CountReplies() (int, error) {
	var n int
	err := db.bolt.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketReplies).ForEach(func(_, v []byte) error {
			if !isGone(v) {
				n++
			}
			return nil
		})
	})
	return n, err
}
