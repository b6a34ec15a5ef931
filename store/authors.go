package store

import (
	"context"
	"encoding/binary"
	"errors"
	"slices"
	"sync"
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
// It is kept off the ack's path: a reply's commit writes the reply alone
// (every extra page is another write request the disk serialises), and its
// time waits in memory until a background commit, about once a second,
// applies all the waiting times together. Readers merge the waiting times,
// so they never see a stale count. A crash loses the waiting times but not
// the replies: the file is marked in use while open, and a file not closed
// cleanly gets its reply times rebuilt from the replies when it is opened.

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

// timeChange is one reply time to add or remove.
type timeChange struct {
	at  int64
	add bool
}

func applyTimes(ts []int64, changes []timeChange) []int64 {
	for _, c := range changes {
		at := max(c.at, 0)
		i, found := slices.BinarySearch(ts, at)
		switch {
		case c.add:
			ts = slices.Insert(ts, i, at)
		case found:
			ts = slices.Delete(ts, i, i+1)
		}
	}
	return ts
}

// authorTimes holds the reply-time changes not yet committed.
type authorTimes struct {
	mu      sync.Mutex
	pending map[string][]timeChange
	n       int
	kick    chan struct{} // a flush is due now (many changes waiting)
	stop    chan struct{}
	stopped chan struct{}
}

// flushEvery bounds how long reply times wait; flushAt flushes sooner when
// this many are waiting.
const (
	flushEvery = time.Second
	flushAt    = 2048
)

func (db *DB) noteReplyTime(user string, at int64, add bool) {
	a := &db.authors
	a.mu.Lock()
	a.pending[user] = append(a.pending[user], timeChange{at, add})
	a.n++
	full := a.n == flushAt
	a.mu.Unlock()
	if full {
		select {
		case a.kick <- struct{}{}:
		default:
		}
	}
}

// flushReplyTimes commits the waiting reply times in one transaction.
func (db *DB) flushReplyTimes(ctx context.Context) error {
	a := &db.authors
	a.mu.Lock()
	if a.n == 0 {
		a.mu.Unlock()
		return nil
	}
	snap := make(map[string][]timeChange, len(a.pending))
	for u, cs := range a.pending {
		snap[u] = slices.Clone(cs)
	}
	a.mu.Unlock()
	err := db.update(ctx, func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketAuthors)
		for user, cs := range snap {
			ts, err := decodeTimes(b.Get([]byte(user)))
			if err != nil {
				return err
			}
			if ts = applyTimes(ts, cs); len(ts) == 0 {
				err = b.Delete([]byte(user))
			} else {
				err = b.Put([]byte(user), encodeTimes(ts))
			}
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	// Drop what was committed; changes that arrived meanwhile stay. A
	// user forgotten meanwhile has no pending entry to drop.
	a.mu.Lock()
	for u, cs := range snap {
		rest := a.pending[u][min(len(cs), len(a.pending[u])):]
		a.n -= len(a.pending[u]) - len(rest)
		if len(rest) == 0 {
			delete(a.pending, u)
		} else {
			a.pending[u] = rest
		}
	}
	a.mu.Unlock()
	return nil
}

// flusher commits waiting reply times about once a second until Close.
func (db *DB) flusher() {
	a := &db.authors
	defer close(a.stopped)
	t := time.NewTicker(flushEvery)
	defer t.Stop()
	for {
		select {
		case <-a.stop:
			return
		case <-t.C:
		case <-a.kick:
		}
		if err := db.flushReplyTimes(context.Background()); err != nil && !errors.Is(err, ErrClosed) {
			// The replies themselves are safe; the times are retried on the
			// next tick, and rebuilt at open if the process dies first.
			continue
		}
	}
}

// forgetReplyTimes drops user's waiting reply times; it runs inside the
// transaction that deletes their stored ones.
func (db *DB) forgetReplyTimes(user string) {
	a := &db.authors
	a.mu.Lock()
	a.n -= len(a.pending[user])
	delete(a.pending, user)
	a.mu.Unlock()
}

// UserReplyTimes returns when user's live thread replies were written,
// oldest first: for streaks and counts.
func (db *DB) UserReplyTimes(user string) ([]time.Time, error) {
	ts, err := db.committedReplyTimes(user)
	if err != nil {
		return nil, err
	}
	a := &db.authors
	a.mu.Lock()
	ts = applyTimes(ts, a.pending[user])
	a.mu.Unlock()
	out := make([]time.Time, len(ts))
	for i, t := range ts {
		out[i] = time.Unix(t, 0).UTC()
	}
	return out, nil
}

// committedReplyTimes reads user's reply times as committed, without the
// waiting ones.
func (db *DB) committedReplyTimes(user string) ([]int64, error) {
	var ts []int64
	err := db.bolt.View(func(tx *bolt.Tx) error {
		var err error
		ts, err = decodeTimes(tx.Bucket(bucketAuthors).Get([]byte(user)))
		return err
	})
	return ts, err
}

// indexReplyTimes (re)builds the authors bucket from the replies stored:
// the migration from schema 1, and the repair of a file not closed cleanly.
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
