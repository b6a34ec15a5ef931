package store

import (
	"bytes"
	"context"
	"slices"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Slot states.
const (
	SlotPosting = "posting" // intent recorded; the post may or may not exist
	SlotPosted  = "posted"
	SlotSkipped = "skipped" // paused, or Slack refused the post
)

// Slot is one question-of-the-day slot of a channel: the intent to post,
// then the post. Stored as JSON under channel 0 slot-unix-seconds.
type Slot struct {
	Channel    string    `json:"channel"`
	At         time.Time `json:"at"`
	State      string    `json:"state"`
	QuestionID string    `json:"question_id"`
	TS         string    `json:"ts,omitempty"`
	Reason     string    `json:"reason,omitempty"` // why it was skipped
}

func slotKey(channel string, at time.Time) []byte {
	return key([]byte(channel), u64(uint64(at.Unix())))
}

// BeginSlot records the intent to post questionID in a channel's slot. If
// the slot already has a record, nothing changes and that record is
// returned with begun false: the caller must not post blindly.
func (db *DB) BeginSlot(ctx context.Context, channel string, at time.Time, questionID string) (slot Slot, begun bool, err error) {
	k := slotKey(channel, at)
	err = db.update(ctx, func(tx *bolt.Tx) error {
		slot, begun = Slot{}, false
		ok, err := getJSON(tx, bucketSlots, k, &slot)
		if err != nil || ok {
			return err
		}
		slot, begun = Slot{Channel: channel, At: at.UTC(), State: SlotPosting, QuestionID: questionID}, true
		return putJSON(tx, bucketSlots, k, slot)
	})
	return slot, begun, err
}

// SkipSlot records a slot as skipped, unless it already has a record.
func (db *DB) SkipSlot(ctx context.Context, channel string, at time.Time, reason string) error {
	k := slotKey(channel, at)
	return db.update(ctx, func(tx *bolt.Tx) error {
		if tx.Bucket(bucketSlots).Get(k) != nil {
			return nil
		}
		return putJSON(tx, bucketSlots, k, Slot{Channel: channel, At: at.UTC(), State: SlotSkipped, Reason: reason})
	})
}

// FailSlot marks a slot that could not be posted as skipped with reason.
func (db *DB) FailSlot(ctx context.Context, channel string, at time.Time, reason string) error {
	k := slotKey(channel, at)
	return db.update(ctx, func(tx *bolt.Tx) error {
		var s Slot
		if _, err := getJSON(tx, bucketSlots, k, &s); err != nil {
			return err
		}
		s.Channel, s.At, s.State, s.Reason = channel, at.UTC(), SlotSkipped, reason
		return putJSON(tx, bucketSlots, k, s)
	})
}

// FinishSlot records that the slot's question went out as message ts, in
// the same transaction as its Post and the channel's rotation.
func (db *DB) FinishSlot(ctx context.Context, channel string, at time.Time, ts string, now time.Time) (Post, error) {
	k := slotKey(channel, at)
	pk, err := postKey(channel, ts)
	if err != nil {
		return Post{}, err
	}
	var p Post
	err = db.update(ctx, func(tx *bolt.Tx) error {
		var s Slot
		if _, err := getJSON(tx, bucketSlots, k, &s); err != nil {
			return err
		}
		s.Channel, s.At, s.State, s.TS = channel, at.UTC(), SlotPosted, ts
		if err := putJSON(tx, bucketSlots, k, s); err != nil {
			return err
		}
		p = Post{Channel: channel, TS: ts, QuestionID: s.QuestionID, PostedAt: now, SlotAt: at.UTC()}
		if err := putJSON(tx, bucketPosts, pk, p); err != nil {
			return err
		}
		return markUsed(tx, channel, s.QuestionID)
	})
	return p, err
}

// Slot returns the record of one slot, or ErrNotFound.
func (db *DB) Slot(channel string, at time.Time) (Slot, error) {
	var s Slot
	err := db.bolt.View(func(tx *bolt.Tx) error {
		ok, err := getJSON(tx, bucketSlots, slotKey(channel, at), &s)
		if err == nil && !ok {
			return ErrNotFound
		}
		return err
	})
	return s, err
}

// Rotation is the set of questions a channel has had in its current cycle.
// Stored as JSON under the channel ID.
type Rotation struct {
	Cycle int      `json:"cycle"`
	Used  []string `json:"used"`
}

func markUsed(tx *bolt.Tx, channel, questionID string) error {
	var r Rotation
	if _, err := getJSON(tx, bucketRotation, []byte(channel), &r); err != nil {
		return err
	}
	if !slices.Contains(r.Used, questionID) {
		r.Used = append(r.Used, questionID)
	}
	return putJSON(tx, bucketRotation, []byte(channel), r)
}

// Rotation returns a channel's rotation (empty if none yet).
func (db *DB) Rotation(channel string) (Rotation, error) {
	var r Rotation
	err := db.bolt.View(func(tx *bolt.Tx) error {
		_, err := getJSON(tx, bucketRotation, []byte(channel), &r)
		return err
	})
	return r, err
}

// NewCycle starts a new rotation cycle for a channel: every question is
// available again.
func (db *DB) NewCycle(ctx context.Context, channel string) error {
	return db.update(ctx, func(tx *bolt.Tx) error {
		var r Rotation
		if _, err := getJSON(tx, bucketRotation, []byte(channel), &r); err != nil {
			return err
		}
		return putJSON(tx, bucketRotation, []byte(channel), Rotation{Cycle: r.Cycle + 1})
	})
}

// LatestPost returns the most recent question-of-the-day post in a
// channel, or ErrNotFound.
func (db *DB) LatestPost(channel string) (Post, error) {
	prefix := append([]byte(channel), 0)
	var p Post
	err := db.bolt.View(func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketPosts).Cursor()
		// Seek past the channel's range, then step back once.
		end := append(bytes.Clone(prefix[:len(prefix)-1]), 1)
		var v []byte
		k, _ := c.Seek(end)
		if k == nil {
			k, v = c.Last()
		} else {
			k, v = c.Prev()
		}
		if k == nil || !bytes.HasPrefix(k, prefix) {
			return ErrNotFound
		}
		return jsonUnmarshal(v, &p)
	})
	return p, err
}

// MarkRevealing records the intent to post a post's answer.
func (db *DB) MarkRevealing(ctx context.Context, channel, ts string) error {
	return db.changePost(ctx, channel, ts, func(p *Post) { p.Revealing = true })
}

// MarkRevealed records that a post's answer went out.
func (db *DB) MarkRevealed(ctx context.Context, channel, ts string) error {
	return db.changePost(ctx, channel, ts, func(p *Post) { p.Revealed = true })
}

func (db *DB) changePost(ctx context.Context, channel, ts string, change func(*Post)) error {
	pk, err := postKey(channel, ts)
	if err != nil {
		return err
	}
	return db.update(ctx, func(tx *bolt.Tx) error {
		var p Post
		ok, err := getJSON(tx, bucketPosts, pk, &p)
		if err != nil {
			return err
		}
		if !ok {
			return ErrNotFound
		}
		change(&p)
		return putJSON(tx, bucketPosts, pk, p)
	})
}
