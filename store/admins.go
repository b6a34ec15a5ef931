package store

import (
	"context"
	"slices"

	bolt "go.etcd.io/bbolt"
)

// ChannelAdmins are the users allowed admin commands in one channel (its
// instructors), by user ID. Stored as JSON under the channel ID.
type ChannelAdmins struct {
	Users []string `json:"users"`
}

// Admins returns a channel's own admins.
func (db *DB) Admins(channel string) ([]string, error) {
	var a ChannelAdmins
	err := db.bolt.View(func(tx *bolt.Tx) error {
		_, err := getJSON(tx, bucketAdmins, []byte(channel), &a)
		return err
	})
	return a.Users, err
}

// SetAdmin adds (on) or removes (off) user as an admin of channel and
// reports whether anything changed.
func (db *DB) SetAdmin(ctx context.Context, channel, user string, on bool) (bool, error) {
	var changed bool
	err := db.update(ctx, func(tx *bolt.Tx) error {
		changed = false
		var a ChannelAdmins
		if _, err := getJSON(tx, bucketAdmins, []byte(channel), &a); err != nil {
			return err
		}
		has := slices.Contains(a.Users, user)
		switch {
		case on && !has:
			a.Users = append(a.Users, user)
		case !on && has:
			a.Users = slices.DeleteFunc(a.Users, func(u string) bool { return u == user })
		default:
			return nil
		}
		changed = true
		return putJSON(tx, bucketAdmins, []byte(channel), a)
	})
	return changed, err
}
