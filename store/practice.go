package store

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Card is one question in a user's private review deck, with its spaced
// repetition state. Stored as JSON under user 0 question ID.
type Card struct {
	User       string    `json:"user"`
	QuestionID string    `json:"question_id"`
	Stability  float64   `json:"stability"`
	Difficulty float64   `json:"difficulty"`
	Due        time.Time `json:"due"`
	LastReview time.Time `json:"last_review"`
	Reps       int       `json:"reps"`
	Lapses     int       `json:"lapses"`
	State      string    `json:"state"` // "new" or "review"
	History    []Review  `json:"history,omitempty"`
}

// Review is one self-rating of a card.
type Review struct {
	At       time.Time `json:"at"`
	Rating   string    `json:"rating"` // again, hard, good, easy
	Interval int       `json:"interval_days"`
	// Nonce identifies the reveal that was rated, so a double click or a
	// redelivered click records one review.
	Nonce string `json:"nonce,omitempty"`
}

// maxHistory bounds a card's kept reviews.
const maxHistory = 50

// Practice is a user's DM practice state. Stored as JSON under the user ID.
type Practice struct {
	// Awaiting is the question whose answer the next plain DM is.
	Awaiting string    `json:"awaiting,omitempty"`
	AskedAt  time.Time `json:"asked_at,omitempty"`
	Topics   []string  `json:"topics,omitempty"`
	DM       string    `json:"dm,omitempty"` // the DM channel ID
	// FeedbackDM sends feedback on question-of-the-day answers to the DM
	// instead of ephemerally in the thread (/prep feedback dm).
	FeedbackDM bool `json:"feedback_dm,omitempty"`
}

// Answer is a user's own answer in DM practice. Stored as JSON under
// user 0 at-unix-nanos.
type Answer struct {
	User       string    `json:"user"`
	QuestionID string    `json:"question_id"`
	Text       string    `json:"text"`
	At         time.Time `json:"at"`
}

// Reminder is a user's daily practice reminder. Stored as JSON under the
// user ID.
type Reminder struct {
	User     string `json:"user"`
	Clock    string `json:"clock"` // HH:MM in Zone
	Zone     string `json:"zone"`
	DM       string `json:"dm,omitempty"`
	LastDate string `json:"last_date,omitempty"` // YYYY-MM-DD (in Zone) of the last check
}

func userKey(user, rest string) []byte { return key([]byte(user), []byte(rest)) }

// Card returns a user's card for a question, or ErrNotFound.
func (db *DB) Card(user, questionID string) (Card, error) {
	var c Card
	err := db.bolt.View(func(tx *bolt.Tx) error {
		ok, err := getJSON(tx, bucketCards, userKey(user, questionID), &c)
		if err == nil && !ok {
			return ErrNotFound
		}
		return err
	})
	return c, err
}

// Cards returns all of a user's cards.
func (db *DB) Cards(user string) ([]Card, error) {
	prefix := append([]byte(user), 0)
	var out []Card
	err := db.bolt.View(func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketCards).Cursor()
		for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
			var card Card
			if err := jsonUnmarshal(v, &card); err != nil {
				return err
			}
			out = append(out, card)
		}
		return nil
	})
	return out, err
}

// ErrAlreadyRated means the rating's nonce was recorded before.
var ErrAlreadyRated = errors.New("already rated")

// RateCard applies a review to a user's card: review computes the new card
// from the current one (a zero Card with State "new" when there is none).
// A review whose nonce the card already has is not applied again
// (ErrAlreadyRated).
func (db *DB) RateCard(ctx context.Context, user, questionID string, rev Review, review func(Card) Card) (Card, error) {
	k := userKey(user, questionID)
	var out Card
	err := db.update(ctx, func(tx *bolt.Tx) error {
		var c Card
		ok, err := getJSON(tx, bucketCards, k, &c)
		if err != nil {
			return err
		}
		if !ok {
			c = Card{User: user, QuestionID: questionID, State: "new"}
		}
		if rev.Nonce != "" && slices.ContainsFunc(c.History, func(r Review) bool { return r.Nonce == rev.Nonce }) {
			out = c
			return ErrAlreadyRated
		}
		c = review(c)
		c.User, c.QuestionID = user, questionID
		c.History = append(c.History, rev)
		if len(c.History) > maxHistory {
			c.History = c.History[len(c.History)-maxHistory:]
		}
		out = c
		return putJSON(tx, bucketCards, k, c)
	})
	return out, err
}

// Practice returns a user's practice state (zero if none).
func (db *DB) Practice(user string) (Practice, error) {
	var p Practice
	err := db.bolt.View(func(tx *bolt.Tx) error {
		_, err := getJSON(tx, bucketPractice, []byte(user), &p)
		return err
	})
	return p, err
}

// SetPractice stores a user's practice state.
func (db *DB) SetPractice(ctx context.Context, user string, p Practice) error {
	return db.update(ctx, func(tx *bolt.Tx) error {
		return putJSON(tx, bucketPractice, []byte(user), p)
	})
}

// TakeAnswer records a plain DM as the answer to the awaited question and
// clears the wait, in one transaction with the event's ID, so the answer is
// durable before the event is acknowledged and a redelivery is recognised
// (first false). It returns the question answered ("" if none was awaited).
func (db *DB) TakeAnswer(ctx context.Context, eventID string, a Answer) (qid string, first bool, err error) {
	err = db.update(ctx, func(tx *bolt.Tx) error {
		qid, first = "", db.markEvent(tx, eventID)
		if !first {
			return nil
		}
		var p Practice
		if _, err := getJSON(tx, bucketPractice, []byte(a.User), &p); err != nil {
			return err
		}
		if p.Awaiting == "" {
			return nil
		}
		qid, a.QuestionID = p.Awaiting, p.Awaiting
		p.Awaiting = ""
		if err := putJSON(tx, bucketPractice, []byte(a.User), p); err != nil {
			return err
		}
		return putJSON(tx, bucketAnswers, answerKey(tx, a), a)
	})
	return qid, first, err
}

// Answers returns a user's DM practice answers, oldest first.
func (db *DB) Answers(user string) ([]Answer, error) {
	prefix := append([]byte(user), 0)
	var out []Answer
	err := db.bolt.View(func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketAnswers).Cursor()
		for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
			var a Answer
			if err := jsonUnmarshal(v, &a); err != nil {
				return err
			}
			out = append(out, a)
		}
		return nil
	})
	return out, err
}

// SetReminder stores (or with r.Clock == "" deletes) a user's reminder.
func (db *DB) SetReminder(ctx context.Context, r Reminder) error {
	return db.update(ctx, func(tx *bolt.Tx) error {
		if r.Clock == "" {
			return tx.Bucket(bucketReminders).Delete([]byte(r.User))
		}
		return putJSON(tx, bucketReminders, []byte(r.User), r)
	})
}

// Reminders returns every reminder.
func (db *DB) Reminders() ([]Reminder, error) {
	var out []Reminder
	err := db.bolt.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketReminders).ForEach(func(_, v []byte) error {
			var r Reminder
			if err := jsonUnmarshal(v, &r); err != nil {
				return err
			}
			out = append(out, r)
			return nil
		})
	})
	return out, err
}

// ClaimReminder marks a user's reminder as handled for date and reports
// whether this call claimed it (false: already handled that day), so a
// reminder is never sent twice for a day.
func (db *DB) ClaimReminder(ctx context.Context, user, date string) (bool, error) {
	var claimed bool
	err := db.update(ctx, func(tx *bolt.Tx) error {
		claimed = false
		var r Reminder
		ok, err := getJSON(tx, bucketReminders, []byte(user), &r)
		if err != nil || !ok || r.LastDate >= date {
			return err
		}
		r.LastDate, claimed = date, true
		return putJSON(tx, bucketReminders, []byte(user), r)
	})
	return claimed, err
}

// UserData is everything stored about one user, for export.
type UserData struct {
	User     string    `json:"user"`
	Cards    []Card    `json:"cards"`
	Answers  []Answer  `json:"practice_answers"`
	Replies  []Reply   `json:"thread_replies"`
	Practice *Practice `json:"practice_state,omitempty"`
	Reminder *Reminder `json:"reminder,omitempty"`
	Reports  []Report  `json:"reports,omitempty"`
	// MockForms are the user's forms after mock interviews; MockRounds
	// counts the rounds they were paired in.
	MockForms  []MockForm `json:"mock_interview_forms,omitempty"`
	MockRounds int        `json:"mock_interview_rounds,omitempty"`
}

// ExportUser collects everything stored about user.
func (db *DB) ExportUser(user string) (UserData, error) {
	d := UserData{User: user}
	var err error
	if d.Cards, err = db.Cards(user); err != nil {
		return d, err
	}
	if d.Answers, err = db.Answers(user); err != nil {
		return d, err
	}
	err = db.bolt.View(func(tx *bolt.Tx) error {
		if err := tx.Bucket(bucketReplies).ForEach(func(k, v []byte) error {
			if !replyBy(v, user) || isGone(v) {
				return nil
			}
			r, err := decodeReply(k, v)
			d.Replies = append(d.Replies, r)
			return err
		}); err != nil {
			return err
		}
		var p Practice
		if ok, err := getJSON(tx, bucketPractice, []byte(user), &p); err != nil {
			return err
		} else if ok {
			d.Practice = &p
		}
		var r Reminder
		if ok, err := getJSON(tx, bucketReminders, []byte(user), &r); err != nil {
			return err
		} else if ok {
			d.Reminder = &r
		}
		var err error
		d.MockForms, d.MockRounds, err = userMock(tx, user)
		return err
	})
	if err != nil {
		return d, err
	}
	reports, err := db.Reports()
	for _, rep := range reports {
		if rep.User == user {
			d.Reports = append(d.Reports, rep)
		}
	}
	return d, err
}

// Forgotten counts what ForgetUser deleted.
type Forgotten struct{ Cards, Answers, Replies, Practice, Reminders, Reports, Mock int }

// ForgetUser deletes everything stored about user in one transaction.
//
// Thread replies are keyed by thread, not author, so finding the user's
// means reading every reply: that happens in a read transaction first, so
// the write transaction, which holds up every ack, mostly only deletes. A
// reply saved in between is not missed: the user's reply times, written
// with each reply, say how many live replies there are, and if the ones
// found do not account for them all, the write transaction reads every
// reply again. Deleted replies leave tombstones that name no one.
func (db *DB) ForgetUser(ctx context.Context, user string) (Forgotten, error) {
	var f Forgotten
	prefix := append([]byte(user), 0)
	var replyKeys [][]byte
	err := db.bolt.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketReplies).ForEach(func(k, v []byte) error {
			if replyBy(v, user) {
				replyKeys = append(replyKeys, bytes.Clone(k))
			}
			return nil
		})
	})
	if err != nil {
		return f, err
	}
	err = db.update(ctx, func(tx *bolt.Tx) error {
		f = Forgotten{}
		var err error
		if f.Cards, err = deletePrefix(tx.Bucket(bucketCards), prefix); err != nil {
			return err
		}
		if f.Answers, err = deletePrefix(tx.Bucket(bucketAnswers), prefix); err != nil {
			return err
		}
		if f.Replies, err = forgetReplies(tx, user, replyKeys); err != nil {
			return err
		}
		// Reports are the user's own words about an answer: they go too.
		if f.Mock, err = forgetMock(tx, user); err != nil {
			return err
		}
		if f.Reports, err = deleteWhere(tx.Bucket(bucketReports), func(v []byte) (bool, error) {
			var rep Report
			err := jsonUnmarshal(v, &rep)
			return err == nil && rep.User == user, err
		}); err != nil {
			return err
		}
		for _, b := range []struct {
			name []byte
			n    *int
		}{{bucketPractice, &f.Practice}, {bucketReminders, &f.Reminders}} {
			bk := tx.Bucket(b.name)
			if bk.Get([]byte(user)) != nil {
				*b.n = 1
				if err := bk.Delete([]byte(user)); err != nil {
					return err
				}
			}
		}
		return nil
	})
	return f, err
}

// forgetReplies deletes user's thread replies (and any tombstones naming
// them) and their reply times, and returns how many live replies it
// deleted. found are the keys of the user's replies as a read transaction
// saw them; the reply times tell whether replies were saved since.
func forgetReplies(tx *bolt.Tx, user string, found [][]byte) (int, error) {
	left, err := decodeTimes(tx.Bucket(bucketAuthors).Get([]byte(user)))
	if err != nil {
		return 0, fmt.Errorf("reply times of %s: %w", user, err)
	}
	replies := tx.Bucket(bucketReplies)
	n := 0
	forget := func(k, v []byte) error {
		if !isGone(v) {
			n++
			var rec replyRecord
			if err := jsonUnmarshal(v, &rec); err != nil {
				return err
			}
			if i, ok := slices.BinarySearch(left, max(rec.At, 0)); ok {
				left = slices.Delete(left, i, i+1)
			}
		}
		return replies.Delete(k)
	}
	for _, k := range found {
		if v := replies.Get(k); v != nil && replyBy(v, user) {
			if err := forget(k, v); err != nil {
				return 0, err
			}
		}
	}
	if len(left) > 0 {
		// Replies were saved after the read: find them the slow way. Keys
		// are collected first, as a cursor must not delete under ForEach.
		var more [][]byte
		if err := replies.ForEach(func(k, v []byte) error {
			if replyBy(v, user) {
				more = append(more, bytes.Clone(k))
			}
			return nil
		}); err != nil {
			return 0, err
		}
		for _, k := range more {
			if err := forget(k, replies.Get(k)); err != nil {
				return 0, err
			}
		}
	}
	if err := tx.Bucket(bucketAuthors).Delete([]byte(user)); err != nil {
		return 0, err
	}
	return n, nil
}

// deleteWhere deletes the records of b whose value matches and returns how
// many it deleted (keys are collected first: a cursor must not delete
// under ForEach).
func deleteWhere(b *bolt.Bucket, match func(v []byte) (bool, error)) (int, error) {
	var doomed [][]byte
	err := b.ForEach(func(k, v []byte) error {
		ok, err := match(v)
		if ok {
			doomed = append(doomed, bytes.Clone(k))
		}
		return err
	})
	if err != nil {
		return 0, err
	}
	for _, k := range doomed {
		if err := b.Delete(k); err != nil {
			return 0, err
		}
	}
	return len(doomed), nil
}

func deletePrefix(b *bolt.Bucket, prefix []byte) (int, error) {
	var doomed [][]byte
	c := b.Cursor()
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		doomed = append(doomed, bytes.Clone(k))
	}
	for _, k := range doomed {
		if err := b.Delete(k); err != nil {
			return 0, err
		}
	}
	return len(doomed), nil
}

// replyBy reports whether a stored reply value was written by user. A byte
// search rules out almost every other reply before any JSON is decoded;
// the decode confirms the match.
func replyBy(v []byte, user string) bool {
	if !bytes.Contains(v, []byte(user)) {
		return false
	}
	var rec replyRecord
	return json.Unmarshal(v, &rec) == nil && rec.User == user
}

// answerKey is a new answer's key: the user, the answer's time (so a scan
// reads a user's answers in order) and the bucket's next sequence number,
// so two answers at one instant (a clock that stands still, as in the
// playground, or two in one nanosecond) are two records. Schema 3 keyed by
// user and time only, and the second such answer replaced the first.
func answerKey(tx *bolt.Tx, a Answer) []byte {
	seq, _ := tx.Bucket(bucketAnswers).NextSequence() // fails only in a read-only tx
	return key([]byte(a.User), append(u64(uint64(a.At.UnixNano())), u64(seq)...))
}

// migrateAnswerKeys rewrites schema 3's answer keys (user 0 time) in
// schema 4's form (user 0 time seq), keeping their order.
func migrateAnswerKeys(tx *bolt.Tx) error {
	b := tx.Bucket(bucketAnswers)
	type kv struct{ k, v []byte }
	var old []kv
	if err := b.ForEach(func(k, v []byte) error {
		old = append(old, kv{bytes.Clone(k), bytes.Clone(v)})
		return nil
	}); err != nil {
		return err
	}
	for _, e := range old {
		seq, err := b.NextSequence()
		if err != nil {
			return err
		}
		if err := b.Delete(e.k); err != nil {
			return err
		}
		if err := b.Put(append(bytes.Clone(e.k), u64(seq)...), e.v); err != nil {
			return err
		}
	}
	return nil
}
