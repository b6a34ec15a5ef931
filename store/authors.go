package store

import (
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"time"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
)

// The authors bucket keeps, per user, the times of their live thread
// replies: what App Home and stats need (how many, on which days), so
// reading them costs one key however large the file grows. Values are the
// unix seconds, ascending, as uvarint deltas: about three bytes a reply, a
// year of daily answers in about a kilobyte.
//
// A reply's time is written in the reply's own transaction. It costs the ack
// a page or two more per commit (docs/PERFORMANCE.md has the figures), and
// buys an index that cannot drift from the replies: no times waiting in
// memory to be lost in a crash or written back after forget-me.

var errBadTimes = errors.New("damaged reply-time record")

func decodeTimes(v []byte) ([]int64, error) {
	out := make([]int64, 0, len(v)/3)
	var last int64
	for len(v) > 0 {
		d, n := binary.Uvarint(v)
		if n <= 0 {
			return nil, errBadTimes
		}
		last += int64(d)
		out = append(out, last)
		v = v[n:]
	}
	return out, nil
}

func encodeTimes(ts []int64) []byte {
	out := make([]byte, 0, 3*len(ts))
	var last int64
	for _, t := range ts {
		out = binary.AppendUvarint(out, uint64(t-last))
		last = t
	}
	return out
}

// addReplyTime and removeReplyTime keep user's reply times in step with
// their live replies; they run in the transaction that adds or removes the
// reply, so the two can never disagree, whatever else runs meanwhile.
func addReplyTime(tx *bolt.Tx, user string, at int64) error {
	return changeReplyTimes(tx, user, func(ts []int64) []int64 {
		at = max(at, 0)
		i, _ := slices.BinarySearch(ts, at)
		return slices.Insert(ts, i, at)
	})
}

func removeReplyTime(tx *bolt.Tx, user string, at int64) error {
	return changeReplyTimes(tx, user, func(ts []int64) []int64 {
		if i, found := slices.BinarySearch(ts, max(at, 0)); found {
			ts = slices.Delete(ts, i, i+1)
		}
		return ts
	})
}

func changeReplyTimes(tx *bolt.Tx, user string, change func([]int64) []int64) error {
	b := tx.Bucket(bucketAuthors)
	k := []byte(user)
	ts, err := decodeTimes(b.Get(k))
	if err != nil {
		return fmt.Errorf("reply times of %s: %w", user, err)
	}
	if ts = change(ts); len(ts) == 0 {
		return b.Delete(k)
	}
	return b.Put(k, encodeTimes(ts))
}

// UserReplyTimes returns when user's live thread replies were written,
// oldest first: for streaks and counts.
func (db *DB) UserReplyTimes(user string) ([]time.Time, error) {
	var ts []int64
	err := db.bolt.View(func(tx *bolt.Tx) error {
		var err error
		ts, err = decodeTimes(tx.Bucket(bucketAuthors).Get([]byte(user)))
		return err
	})
	if err != nil {
		return nil, err
	}
	out := make([]time.Time, len(ts))
	for i, t := range ts {
		out[i] = time.Unix(t, 0).UTC()
	}
	return out, nil
}

// indexReplyTimes (re)builds the authors bucket from the replies stored:
// the migrations from schemas 1 and 2.
func indexReplyTimes(tx *bolt.Tx) error {
	if err := tx.DeleteBucket(bucketAuthors); err != nil && !errors.Is(err, berrors.ErrBucketNotFound) {
		return err
	}
	if _, err := tx.CreateBucket(bucketAuthors); err != nil {
		return err
	}
	byUser := map[string][]int64{}
	err := tx.Bucket(bucketReplies).ForEach(func(_, v []byte) error {
		if isGone(v) {
			return nil
		}
		var rec replyRecord
		if err := jsonUnmarshal(v, &rec); err != nil {
			return err
		}
		byUser[rec.User] = append(byUser[rec.User], max(rec.At, 0))
		return nil
	})
	if err != nil {
		return err
	}
	b := tx.Bucket(bucketAuthors)
	for user, ts := range byUser {
		slices.Sort(ts)
		if err := b.Put([]byte(user), encodeTimes(ts)); err != nil {
			return err
		}
	}
	return nil
}
