package store

import (
	"context"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Schedule is a channel's question-of-the-day schedule. Stored as JSON
// under the channel ID.
type Schedule struct {
	Channel string   `json:"channel"`
	Spec    string   `json:"spec"`   // 5-field cron spec or descriptor
	Zone    string   `json:"zone"`   // IANA zone
	Topics  []string `json:"topics"` // empty: the whole bank
	SetBy   string   `json:"set_by"` // user ID of the admin who set it
	// SetAt anchors @every schedules and bounds catch-up: no slot before
	// it is ever posted.
	SetAt time.Time `json:"set_at"`
	// PausedUntil holds the schedule until this local date (YYYY-MM-DD in
	// Zone): slots before it are skipped, not caught up.
	PausedUntil string `json:"paused_until,omitempty"`
	// Halted is set when Slack refused a post (archived channel, bot
	// removed); the schedule stays until an admin sets it again.
	Halted string `json:"halted,omitempty"`
	// Command is the slash command the schedule was set with ("/prep"
	// when empty), for messages about it outside a command.
	Command string `json:"command,omitempty"`
}

// Schedules returns every stored schedule.
func (db *DB) Schedules() ([]Schedule, error) {
	var out []Schedule
	err := db.bolt.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketSchedules).ForEach(func(k, _ []byte) error {
			var s Schedule
			if _, err := getJSON(tx, bucketSchedules, k, &s); err != nil {
				return err
			}
			out = append(out, s)
			return nil
		})
	})
	return out, err
}

// Schedule returns a channel's schedule, or ErrNotFound.
func (db *DB) Schedule(channel string) (Schedule, error) {
	var s Schedule
	err := db.bolt.View(func(tx *bolt.Tx) error {
		ok, err := getJSON(tx, bucketSchedules, []byte(channel), &s)
		if err == nil && !ok {
			return ErrNotFound
		}
		return err
	})
	return s, err
}

// SaveSchedule stores s, replacing the channel's schedule.
func (db *DB) SaveSchedule(ctx context.Context, s Schedule) error {
	return db.update(ctx, func(tx *bolt.Tx) error {
		return putJSON(tx, bucketSchedules, []byte(s.Channel), s)
	})
}

// UpdateSchedule changes a channel's schedule in place; it returns
// ErrNotFound if there is none.
func (db *DB) UpdateSchedule(ctx context.Context, channel string, change func(*Schedule)) (Schedule, error) {
	var s Schedule
	err := db.update(ctx, func(tx *bolt.Tx) error {
		s = Schedule{}
		ok, err := getJSON(tx, bucketSchedules, []byte(channel), &s)
		if err != nil {
			return err
		}
		if !ok {
			return ErrNotFound
		}
		change(&s)
		return putJSON(tx, bucketSchedules, []byte(channel), s)
	})
	return s, err
}

// DeleteSchedule removes a channel's schedule and reports whether it had one.
func (db *DB) DeleteSchedule(ctx context.Context, channel string) (bool, error) {
	var had bool
	err := db.update(ctx, func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketSchedules)
		had = b.Get([]byte(channel)) != nil
		return b.Delete([]byte(channel))
	})
	return had, err
}
