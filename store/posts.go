package store

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Post is a question of the day as posted in a channel. Stored as JSON under
// channel 0 ts.
type Post struct {
	Channel    string    `json:"channel"`
	TS         string    `json:"ts"`
	QuestionID string    `json:"question_id"`
	PostedAt   time.Time `json:"posted_at"`
	// SlotAt is the schedule slot it filled (zero for a /prep post).
	SlotAt time.Time `json:"slot_at,omitempty"`
	// Revealed is set once the reference answer went out in the thread.
	Revealed bool `json:"revealed,omitempty"`
	// Revealing is set just before the answer is posted: if the process
	// dies before Revealed is recorded, the next attempt looks in the
	// thread instead of posting the answer twice.
	Revealing bool `json:"revealing,omitempty"`
}

func postKey(channel, ts string) ([]byte, error) {
	t, err := tsBytes(ts)
	if err != nil {
		return nil, err
	}
	return key([]byte(channel), t), nil
}

// SavePost stores p, replacing any post with the same channel and ts.
func (db *DB) SavePost(ctx context.Context, p Post) error {
	k, err := postKey(p.Channel, p.TS)
	if err != nil {
		return err
	}
	v, err := json.Marshal(p)
	if err != nil {
		return fmt.Errorf("encode post: %w", err)
	}
	return db.update(ctx, func(tx *bolt.Tx) error {
		return tx.Bucket(bucketPosts).Put(k, v)
	})
}

// Posts returns every stored post, oldest first within each channel.
func (db *DB) Posts() ([]Post, error) { return db.postsWithPrefix(nil) }

// ChannelPosts returns one channel's posts, oldest first: a range scan,
// whatever the number of channels.
func (db *DB) ChannelPosts(channel string) ([]Post, error) {
	return db.postsWithPrefix(append([]byte(channel), 0))
}

func (db *DB) postsWithPrefix(prefix []byte) ([]Post, error) {
	var out []Post
	err := db.bolt.View(func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketPosts).Cursor()
		for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
			var p Post
			if err := json.Unmarshal(v, &p); err != nil {
				return fmt.Errorf("decode post: %w", err)
			}
			out = append(out, p)
		}
		return nil
	})
	return out, err
}
