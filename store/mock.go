package store

import (
	"bytes"
	"context"
	"slices"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"
)

// MockConfig is a channel's mock-interview rounds: when they run and who
// takes part. Stored as JSON under the channel ID.
type MockConfig struct {
	Channel string `json:"channel"`
	// On says rounds run; off keeps the members and the schedule.
	On   bool   `json:"on"`
	Spec string `json:"spec"` // 5-field cron spec, one slot a week
	Zone string `json:"zone"` // IANA zone
	// SetBy and SetAt are who turned rounds on, and when: no slot before
	// SetAt is ever run.
	SetBy   string    `json:"set_by"`
	SetAt   time.Time `json:"set_at"`
	Command string    `json:"command,omitempty"`
	// Members are the opted-in user IDs, sorted.
	Members []string `json:"members,omitempty"`
	// Skips maps a member to the round (unix seconds of its slot) they
	// sit out.
	Skips map[string]int64 `json:"skips,omitempty"`
	// Topics are the channel's question-of-the-day topics when rounds were
	// set (empty: the whole bank), for the interviewer's questions.
	Topics []string `json:"topics,omitempty"`
	// Latest is the slot of the channel's newest round; LatestDone says
	// everything for it went out and LatestReminded that its form
	// reminders did, so the scheduler reads that round only while it has
	// work to do.
	Latest         time.Time `json:"latest,omitzero"`
	LatestDone     bool      `json:"latest_done,omitempty"`
	LatestReminded bool      `json:"latest_reminded,omitempty"`
}

// MockGroup is one interview group of a round: the interviewer asks each
// candidate in turn. Questions maps a candidate to the question IDs the
// interviewer was given for them.
type MockGroup struct {
	Interviewer string              `json:"interviewer"`
	Candidates  []string            `json:"candidates"`
	Questions   map[string][]string `json:"questions,omitempty"`
	// Off is set when a member left and the group cannot meet.
	Off bool `json:"off,omitempty"`
	// DM is the group's group DM, once opened.
	DM string `json:"dm,omitempty"`
}

// Members lists everyone in the group, interviewer first.
func (g MockGroup) Members() []string { return append([]string{g.Interviewer}, g.Candidates...) }

// Has reports whether user is in the group.
func (g MockGroup) Has(user string) bool { return slices.Contains(g.Members(), user) }

// MockForm is one member's form after a round's interview.
type MockForm struct {
	User     string    `json:"user"`
	Happened bool      `json:"happened"`
	At       time.Time `json:"at"`
	// Ratings maps a candidate, then a question ID, to a rating (again,
	// hard, good, easy): the interviewer's for each candidate, or the
	// candidate's own.
	Ratings map[string]map[string]string `json:"ratings,omitempty"`
	Note    string                       `json:"note,omitempty"` // the interviewer's note for the candidates
}

// MockRound is one round of a channel's mock interviews: its groups, what
// was sent for it (Sent maps a message's key to its Slack ts; an empty ts
// is an attempt whose outcome is unknown), and the members' forms.
// Stored as JSON under channel 0 slot-unix-seconds.
type MockRound struct {
	Channel string      `json:"channel"`
	At      time.Time   `json:"at"`
	N       int         `json:"n"` // 1 for the channel's first round
	Groups  []MockGroup `json:"groups"`
	// Sent maps what was sent for the round (announce, group DMs,
	// packets, reminders) to its ts; "" means an attempt was recorded and
	// its outcome is unknown: a retry looks in Slack before sending again.
	Sent  map[string]string   `json:"sent,omitempty"`
	Forms map[string]MockForm `json:"forms,omitempty"`
	// Skipped counts the members who sat the round out.
	Skipped int `json:"skipped,omitempty"`
	// Done is set when everything for the round went out.
	Done bool `json:"done,omitempty"`
}

// GroupOf returns the index of user's group in the round, or -1.
func (r MockRound) GroupOf(user string) int {
	for i, g := range r.Groups {
		if g.Has(user) {
			return i
		}
	}
	return -1
}

func mockRoundKey(channel string, at time.Time) []byte {
	return key([]byte(channel), u64(uint64(at.Unix())))
}

// MockConfig returns a channel's mock-interview settings, or ErrNotFound.
func (db *DB) MockConfig(channel string) (MockConfig, error) {
	var c MockConfig
	err := db.bolt.View(func(tx *bolt.Tx) error {
		ok, err := getJSON(tx, bucketMockConfig, []byte(channel), &c)
		if err == nil && !ok {
			return ErrNotFound
		}
		return err
	})
	return c, err
}

// MockConfigs returns every channel's mock-interview settings.
func (db *DB) MockConfigs() ([]MockConfig, error) {
	return viewAll[MockConfig](db, bucketMockConfig, nil, nil)
}

// UpdateMockConfig changes a channel's mock-interview settings in one
// transaction; change gets the zero MockConfig (with Channel set) when
// there is none, and reports whether it changed anything.
func (db *DB) UpdateMockConfig(ctx context.Context, channel string, change func(*MockConfig) bool) (MockConfig, error) {
	var out MockConfig
	err := db.update(ctx, func(tx *bolt.Tx) error {
		var c MockConfig
		if _, err := getJSON(tx, bucketMockConfig, []byte(channel), &c); err != nil {
			return err
		}
		c.Channel = channel
		if !change(&c) {
			out = c
			return nil
		}
		slices.Sort(c.Members)
		c.Members = slices.Compact(c.Members)
		out = c
		return putJSON(tx, bucketMockConfig, []byte(channel), c)
	})
	return out, err
}

// MockRounds returns a channel's rounds, oldest first.
func (db *DB) MockRounds(channel string) ([]MockRound, error) {
	return viewAll[MockRound](db, bucketMockRounds, append([]byte(channel), 0), nil)
}

// MockRound returns one round, or ErrNotFound.
func (db *DB) MockRound(channel string, at time.Time) (MockRound, error) {
	var r MockRound
	err := db.bolt.View(func(tx *bolt.Tx) error {
		ok, err := getJSON(tx, bucketMockRounds, mockRoundKey(channel, at), &r)
		if err == nil && !ok {
			return ErrNotFound
		}
		return err
	})
	return r, err
}

// BeginMockRound records round r for a channel's slot at before anything
// about it is sent, numbering it after the channel's earlier rounds, and
// marks it the channel's latest. If the slot has a round already, that is
// returned with begun false, so a retry or a restart carries on with the
// groups it announced instead of pairing again.
func (db *DB) BeginMockRound(ctx context.Context, channel string, at time.Time, r MockRound) (round MockRound, begun bool, err error) {
	k := mockRoundKey(channel, at)
	err = db.update(ctx, func(tx *bolt.Tx) error {
		round, begun = MockRound{}, false
		if ok, err := getJSON(tx, bucketMockRounds, k, &round); err != nil || ok {
			return err
		}
		n := 0
		prefix := append([]byte(channel), 0)
		c := tx.Bucket(bucketMockRounds).Cursor()
		for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
			n++
		}
		r.Channel, r.At, r.N = channel, at.UTC(), n+1
		var cfg MockConfig
		if _, err := getJSON(tx, bucketMockConfig, []byte(channel), &cfg); err != nil {
			return err
		}
		cfg.Channel, cfg.Latest, cfg.LatestDone, cfg.LatestReminded = channel, r.At, false, false
		if err := putJSON(tx, bucketMockConfig, []byte(channel), cfg); err != nil {
			return err
		}
		round, begun = r, true
		return putJSON(tx, bucketMockRounds, k, r)
	})
	return round, begun, err
}

// UpdateMockRound changes a round in one transaction; change reports
// whether it changed anything. ErrNotFound if there is no such round.
func (db *DB) UpdateMockRound(ctx context.Context, channel string, at time.Time, change func(*MockRound) bool) (MockRound, error) {
	k := mockRoundKey(channel, at)
	var out MockRound
	err := db.update(ctx, func(tx *bolt.Tx) error {
		var r MockRound
		ok, err := getJSON(tx, bucketMockRounds, k, &r)
		if err != nil {
			return err
		}
		if !ok {
			return ErrNotFound
		}
		if r.Sent == nil {
			r.Sent = map[string]string{}
		}
		if r.Forms == nil {
			r.Forms = map[string]MockForm{}
		}
		if !change(&r) {
			out = r
			return nil
		}
		out = r
		return putJSON(tx, bucketMockRounds, k, r)
	})
	return out, err
}

// forgetMock removes user from every channel's members and skips, and
// from every round: their forms, and their place in its groups (a group
// left with one person is called off), so pairing no longer remembers
// them and nothing names them. It returns how many records it changed.
func forgetMock(tx *bolt.Tx, user string) (int, error) {
	configs := tx.Bucket(bucketMockConfig)
	var changedConfigs, changedRounds [][2][]byte
	if err := configs.ForEach(func(k, v []byte) error {
		var c MockConfig
		if err := jsonUnmarshal(v, &c); err != nil {
			return err
		}
		_, skipping := c.Skips[user]
		if !slices.Contains(c.Members, user) && !skipping && c.SetBy != user {
			return nil
		}
		c.Members = slices.DeleteFunc(c.Members, func(m string) bool { return m == user })
		delete(c.Skips, user)
		if c.SetBy == user {
			c.SetBy = ""
		}
		raw, err := marshalJSON(c)
		changedConfigs = append(changedConfigs, [2][]byte{bytes.Clone(k), raw})
		return err
	}); err != nil {
		return 0, err
	}
	rounds := tx.Bucket(bucketMockRounds)
	named := mentions(user)
	if err := rounds.ForEach(func(k, v []byte) error {
		if !named(v) {
			return nil
		}
		var r MockRound
		if err := jsonUnmarshal(v, &r); err != nil {
			return err
		}
		delete(r.Forms, user)
		for uid, f := range r.Forms {
			delete(f.Ratings, user)
			r.Forms[uid] = f
		}
		for i := range r.Groups {
			r.Groups[i] = withoutMember(r.Groups[i], user)
		}
		for k := range r.Sent {
			if strings.Contains(k, user) {
				delete(r.Sent, k)
			}
		}
		raw, err := marshalJSON(r)
		changedRounds = append(changedRounds, [2][]byte{bytes.Clone(k), raw})
		return err
	}); err != nil {
		return 0, err
	}
	// Written after the scans: bbolt forbids changing a bucket inside its
	// own ForEach.
	for _, kv := range changedConfigs {
		if err := configs.Put(kv[0], kv[1]); err != nil {
			return 0, err
		}
	}
	for _, kv := range changedRounds {
		if err := rounds.Put(kv[0], kv[1]); err != nil {
			return 0, err
		}
	}
	return len(changedConfigs) + len(changedRounds), nil
}

// Without returns g without user (who left, or asked to be forgotten).
func (g MockGroup) Without(user string) MockGroup { return withoutMember(g, user) }

// withoutMember takes user out of g. An interviewer who goes is replaced
// by the first candidate; a group left with one person is off.
func withoutMember(g MockGroup, user string) MockGroup {
	if !g.Has(user) {
		return g
	}
	delete(g.Questions, user)
	switch {
	case g.Interviewer == user && len(g.Candidates) == 0:
		g.Interviewer = ""
	case g.Interviewer == user:
		// The first candidate interviews the others, with the questions
		// chosen for them; their own questions are no use any more.
		g.Interviewer, g.Candidates = g.Candidates[0], slices.Clone(g.Candidates[1:])
		delete(g.Questions, g.Interviewer)
	default:
		g.Candidates = slices.DeleteFunc(slices.Clone(g.Candidates), func(c string) bool { return c == user })
	}
	if len(g.Candidates) == 0 {
		g.Off = true
	}
	return g
}

// userMock collects what the mock rounds keep about user, for export.
func userMock(tx *bolt.Tx, user string) (forms []MockForm, rounds int, err error) {
	err = eachJSON(tx, bucketMockRounds, nil, mentions(user), func(r MockRound) {
		if r.GroupOf(user) >= 0 {
			rounds++
		}
		if f, ok := r.Forms[user]; ok {
			forms = append(forms, f)
		}
	})
	return forms, rounds, err
}

// MockRoundsOf returns every round, in any channel, whose groups name
// user.
func (db *DB) MockRoundsOf(user string) ([]MockRound, error) {
	rounds, err := viewAll[MockRound](db, bucketMockRounds, nil, mentions(user))
	return slices.DeleteFunc(rounds, func(r MockRound) bool { return r.GroupOf(user) < 0 }), err
}

// mentions matches a raw record naming user, to skip decoding the others.
func mentions(user string) func(raw []byte) bool {
	quoted := []byte(`"` + user + `"`)
	return func(raw []byte) bool { return bytes.Contains(raw, quoted) }
}

// viewAll decodes, in key order, the records of bucket whose keys start
// with prefix (every key when nil) and whose raw value match accepts
// (every value when nil).
func viewAll[T any](db *DB, bucket, prefix []byte, match func(raw []byte) bool) ([]T, error) {
	var out []T
	err := db.bolt.View(func(tx *bolt.Tx) error {
		return eachJSON(tx, bucket, prefix, match, func(v T) { out = append(out, v) })
	})
	return out, err
}

// eachJSON is viewAll's scan inside a transaction: fn gets each record.
func eachJSON[T any](tx *bolt.Tx, bucket, prefix []byte, match func(raw []byte) bool, fn func(T)) error {
	b := tx.Bucket(bucket)
	if b == nil { // a bucket newer than a file opened read-only
		return nil
	}
	c := b.Cursor()
	for k, raw := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, raw = c.Next() {
		if match != nil && !match(raw) {
			continue
		}
		var v T
		if err := jsonUnmarshal(raw, &v); err != nil {
			return err
		}
		fn(v)
	}
	return nil
}

// Happened reports whether group i's interview took place: a member's
// form says so.
func (r MockRound) Happened(i int) bool {
	g := r.Groups[i]
	if g.Off {
		return false
	}
	for _, m := range g.Members() {
		if f, ok := r.Forms[m]; ok && f.Happened {
			return true
		}
	}
	return false
}
