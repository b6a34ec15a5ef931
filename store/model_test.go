package store_test

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"

	"github.com/prepbot/prepbot/store"
)

var modelSeed = flag.Uint64("model.seed", 0, "run TestRepliesAgainstModel with this seed only")

// TestRepliesAgainstModel runs random sequences of thread-reply writes
// (new replies, redeliveries, edits in and out of order, deletions,
// forget-me), some of them concurrent so that they share a group commit,
// with clean reopens, crashes and a Close among concurrent writes in
// between, and checks after every step that what the store answers matches
// a plain in-memory model. A failure names the seed and the step;
// -model.seed reruns one seed.
func TestRepliesAgainstModel(t *testing.T) {
	seeds := []uint64{1, 2, 3, 4, 5, 6}
	if *modelSeed != 0 {
		seeds = []uint64{*modelSeed}
	}
	for _, seed := range seeds {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			t.Parallel()
			runModel(t, seed, 250)
		})
	}
}

const (
	modelUsers = 5
	modelBase  = 1700000000 // unix seconds of the first reply time
)

var modelThreads = []struct{ channel, thread string }{
	{"C1", "1700000000.000100"}, {"C1", "1700000500.000100"}, {"C2", "1700000000.000100"},
}

type mkey struct {
	thread int // index in modelThreads
	ts     string
}

// mreply is the model of one stored reply.
type mreply struct {
	user, text string // user is empty for a tombstone: it names no one
	at         int64
	editUS     int // 0: never edited
	gone       bool
}

type model map[mkey]*mreply

// op is one store call and what the model says it returns.
type op struct {
	kind   string // save, edit, delete, forget
	user   int
	key    mkey
	at     int64
	text   string
	editUS int
}

func (o op) String() string {
	switch o.kind {
	case "forget":
		return fmt.Sprintf("forget U%d", o.user)
	case "delete":
		return fmt.Sprintf("delete %v", o.key)
	case "edit":
		return fmt.Sprintf("edit %v by U%d to %q (edit %d, at %d)", o.key, o.user, o.text, o.editUS, o.at)
	}
	return fmt.Sprintf("save %v by U%d %q at %d", o.key, o.user, o.text, o.at)
}

func (o op) reply() store.Reply {
	th := modelThreads[o.key.thread]
	r := store.Reply{Channel: th.channel, ThreadTS: th.thread, TS: o.key.ts, User: fmt.Sprintf("U%d", o.user), Text: o.text, At: time.Unix(o.at, 0).UTC()}
	if o.kind == "edit" {
		r.Edited, r.EditTS = true, fmt.Sprintf("1700900000.%06d", o.editUS)
	}
	return r
}

// apply changes the model as the store should and returns what the call
// should return: saved, deleted, or the number of replies forgotten.
func (m model) apply(o op) int {
	e := m[o.key]
	user := fmt.Sprintf("U%d", o.user)
	switch o.kind {
	case "save", "edit":
		switch {
		case e == nil:
			m[o.key] = &mreply{user: user, text: o.text, at: o.at, editUS: o.editUS}
			return 1
		case e.gone, o.kind == "save", e.editUS >= o.editUS:
			return 0
		}
		e.text, e.editUS = o.text, o.editUS // author and time stay
		return 1
	case "delete":
		if e == nil {
			m[o.key] = &mreply{gone: true}
			return 0
		}
		if e.gone {
			return 0
		}
		*e = mreply{gone: true}
		return 1
	}
	n := 0
	for k, e := range m {
		if e.user == user {
			delete(m, k)
			n++
		}
	}
	return n
}

func (m model) live(match func(mkey, *mreply) bool) []mkey {
	var out []mkey
	for k, e := range m {
		if !e.gone && match(k, e) {
			out = append(out, k)
		}
	}
	slices.SortFunc(out, func(a, b mkey) int { return cmp.Compare(a.ts, b.ts) })
	return out
}

func runModel(t *testing.T, seed uint64, steps int) {
	rng := rand.New(rand.NewPCG(seed, 0x5eed))
	dir := t.TempDir()
	path := filepath.Join(dir, "s0.db")
	db, err := store.Open(path, store.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer func() { db.Close() }()
	ctx := context.Background()
	m := model{}
	issued := make([][]mkey, modelUsers) // each user's reply keys so far
	next := make([]int, modelUsers)
	step, what := 0, ""
	fail := func(format string, args ...any) {
		t.Helper()
		t.Fatalf("seed %d step %d (%s): %s", seed, step, what, fmt.Sprintf(format, args...))
	}

	// gen makes a random write for user u.
	gen := func(u int) op {
		o := op{user: u, at: modelBase + int64(rng.IntN(40))*3600, text: fmt.Sprintf("answer %d", rng.IntN(1000))}
		old := len(issued[u]) > 0 && rng.IntN(3) > 0
		if old {
			o.key = issued[u][rng.IntN(len(issued[u]))]
		} else {
			// A user's reply timestamps are theirs alone, in any thread.
			o.key = mkey{rng.IntN(len(modelThreads)), fmt.Sprintf("%d.%06d", 1700001000+u, next[u])}
			next[u]++
			issued[u] = append(issued[u], o.key)
		}
		switch r := rng.IntN(10); {
		case r < 4:
			o.kind = "save" // new, or a redelivery when old
		case r < 7:
			o.kind, o.editUS = "edit", 1+rng.IntN(50) // edits arrive in any order
		case r < 9:
			o.kind = "delete"
		default:
			o.kind = "forget"
		}
		return o
	}
	do := func(o op) (int, error) {
		switch o.kind {
		case "save", "edit":
			saved, err := db.SaveReply(ctx, o.reply())
			return b2i(saved), err
		case "delete":
			th := modelThreads[o.key.thread]
			deleted, err := db.DeleteReply(ctx, th.channel, th.thread, o.key.ts)
			return b2i(deleted), err
		}
		f, err := db.ForgetUser(ctx, fmt.Sprintf("U%d", o.user))
		return f.Replies, err
	}

	for step = 1; step <= steps; step++ {
		switch r := rng.IntN(40); {
		case r == 0: // clean reopen
			what = "close and reopen"
			if err := db.Close(); err != nil {
				fail("close: %v", err)
			}
			if db, err = store.Open(path, store.Options{NoSync: true}); err != nil {
				fail("reopen: %v", err)
			}
		case r == 1: // crash: the file as the disk holds it, no Close
			what = "crash and reopen"
			raw, err := os.ReadFile(path)
			if err != nil {
				fail("%v", err)
			}
			db.Close() // only to free the lock; the copy was taken before
			path = filepath.Join(dir, fmt.Sprintf("s%d.db", step))
			if err := writeSparse(path, raw); err != nil {
				fail("%v", err)
			}
			if db, err = store.Open(path, store.Options{NoSync: true}); err != nil {
				fail("open after a crash: %v", err)
			}
		case r < 15: // concurrent writes by different users: they commute
			users := rng.Perm(modelUsers)[:2+rng.IntN(modelUsers-1)]
			ops := make([]op, len(users))
			for i, u := range users {
				ops[i] = gen(u)
			}
			// Once in a while Close runs among them: each write either
			// fails without a trace or is committed before Close returns.
			closing := r == 2
			what = fmt.Sprint("together: ", ops)
			if closing {
				what += " and Close, then reopen"
			}
			got := make([]int, len(ops))
			errs := make([]error, len(ops))
			var wg sync.WaitGroup
			for i, o := range ops {
				wg.Go(func() { got[i], errs[i] = do(o) })
			}
			if closing {
				wg.Go(func() { db.Close() })
			}
			wg.Wait()
			if closing {
				if db, err = store.Open(path, store.Options{NoSync: true}); err != nil {
					fail("reopen: %v", err)
				}
			}
			for i, o := range ops {
				if closing && (errors.Is(errs[i], store.ErrClosed) || errors.Is(errs[i], berrors.ErrDatabaseNotOpen)) {
					continue // not applied
				}
				if errs[i] != nil {
					fail("%v: %v", o, errs[i])
				}
				if want := m.apply(o); got[i] != want {
					fail("%v returned %d; the model says %d", o, got[i], want)
				}
			}
		default:
			o := gen(rng.IntN(modelUsers))
			what = o.String()
			got, err := do(o)
			if err != nil {
				fail("%v: %v", o, err)
			}
			if want := m.apply(o); got != want {
				fail("%v returned %d; the model says %d", o, got, want)
			}
		}
		// The cheaper reads every step, all of them every tenth.
		checkModel(t, db, m, step%10 == 0 || step == steps, fail)
	}

	// Nothing in the file names a user the model holds nothing of.
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	step, what = steps, "final scan of the file"
	raw, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true, Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	for u := range modelUsers {
		user := fmt.Sprintf("U%d", u)
		if len(m.live(func(_ mkey, e *mreply) bool { return e.user == user })) > 0 {
			continue
		}
		raw.View(func(tx *bolt.Tx) error {
			return tx.ForEach(func(name []byte, b *bolt.Bucket) error {
				return b.ForEach(func(k, v []byte) error {
					if bytes.Contains(k, []byte(user)) || bytes.Contains(v, []byte(`"`+user+`"`)) {
						fail("%s has no live replies, but bucket %s names them: %q = %q", user, name, k, v)
					}
					return nil
				})
			})
		})
	}
}

func checkModel(t *testing.T, db *store.DB, m model, all bool, fail func(string, ...any)) {
	t.Helper()
	for i, th := range modelThreads {
		got, err := db.Replies(th.channel, th.thread)
		if err != nil {
			fail("Replies: %v", err)
		}
		want := m.live(func(k mkey, _ *mreply) bool { return k.thread == i })
		if len(got) != len(want) {
			fail("Replies(%s, %s) = %d replies; the model has %d", th.channel, th.thread, len(got), len(want))
		}
		for j, k := range want {
			e, r := m[k], got[j]
			if r.TS != k.ts || r.User != e.user || r.Text != e.text || r.At.Unix() != e.at || r.Edited != (e.editUS > 0) {
				fail("Replies(%s, %s)[%d] = %+v; the model has %s %+v", th.channel, th.thread, j, r, k.ts, *e)
			}
		}
		for u := range modelUsers {
			if !all {
				break
			}
			user := fmt.Sprintf("U%d", u)
			want := len(m.live(func(k mkey, e *mreply) bool { return k.thread == i && e.user == user })) > 0
			if got, err := db.HasReplied(th.channel, th.thread, user); err != nil || got != want {
				fail("HasReplied(%s, %s, %s) = %v, %v; the model says %v", th.channel, th.thread, user, got, err, want)
			}
		}
	}
	for u := range modelUsers {
		user := fmt.Sprintf("U%d", u)
		var want []int64
		for _, k := range m.live(func(_ mkey, e *mreply) bool { return e.user == user }) {
			want = append(want, m[k].at)
		}
		slices.Sort(want)
		times, err := db.UserReplyTimes(user)
		if err != nil {
			fail("UserReplyTimes: %v", err)
		}
		got := make([]int64, len(times))
		for i, at := range times {
			got[i] = at.Unix()
		}
		if !slices.Equal(got, want) {
			fail("UserReplyTimes(%s) = %v; the model has %v", user, got, want)
		}
		if !all {
			continue
		}
		d, err := db.ExportUser(user)
		if err != nil || len(d.Replies) != len(want) {
			fail("ExportUser(%s) = %d replies, %v; the model has %d", user, len(d.Replies), err, len(want))
		}
	}
	if n, err := db.CountReplies(); err != nil || n != len(m.live(func(mkey, *mreply) bool { return true })) {
		fail("CountReplies = %d, %v; the model has %d", n, err, len(m.live(func(mkey, *mreply) bool { return true })))
	}
}

// writeSparse writes a copy of a bbolt file, skipping the pages of zeros
// that bbolt grows the file by in advance: most of the file, in a test.
func writeSparse(path string, raw []byte) error {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	defer f.Close()
	if err := f.Truncate(int64(len(raw))); err != nil {
		return err
	}
	const page = 4096
	for off := 0; off < len(raw); off += page {
		p := raw[off:min(off+page, len(raw))]
		if bytes.Count(p, []byte{0}) == len(p) {
			continue
		}
		if _, err := f.WriteAt(p, int64(off)); err != nil {
			return err
		}
	}
	return f.Close()
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
