// Package store keeps prepbot's durable state in one bbolt file.
//
// Every value is a JSON object (documented per type); keys are built so that
// a bbolt cursor scans them in the order they are used: text parts joined by
// a 0x00 byte, times and Slack timestamps as big-endian integers. The store
// knows nothing of Slack or of the question bank: question records are
// opaque bytes, and records refer to questions by ID.
//
// Writes are group-committed: a write that arrives while another commit is
// in progress joins the next transaction, so one fsync makes many small
// writes durable, and a lone write commits at once (bbolt's own db.Batch
// would hold it for MaxBatchDelay first, and with a delay shorter than a
// commit it falls behind: docs/PERFORMANCE.md has the paired runs that
// kept this code). There is no writer goroutine: the
// caller that finds the store idle commits on its own goroutine, and hands
// the queue to the next waiting caller when it is done, so a lone write
// costs no goroutine switches on the way to the disk and back.
package store

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"sync"
	"syscall"
	"time"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
)

// ErrNotFound is returned when a record does not exist.
var ErrNotFound = errors.New("not found")

// ErrClosed is returned by writes after Close.
var ErrClosed = errors.New("store is closed")

// SchemaVersion is the layout version this code writes. Opening a file with
// an older version runs the migrations in between; a newer one is refused.
const SchemaVersion = 5

// Bucket names, one per kind of record.
var (
	bucketMeta       = []byte("meta")        // schema version and other singletons
	bucketEvents     = []byte("events")      // event ID -> first-seen unix seconds (8 bytes BE)
	bucketEventTime  = []byte("event_time")  // seen unix seconds BE + event ID -> nil, for pruning in order
	bucketPosts      = []byte("posts")       // channel 0 ts -> Post
	bucketReplies    = []byte("replies")     // channel 0 thread ts 0 ts -> Reply
	bucketAuthors    = []byte("authors")     // user -> the times of their live replies (authors.go)
	bucketQuestions  = []byte("questions")   // question ID -> QuestionRecord
	bucketSchedules  = []byte("schedules")   // channel -> Schedule
	bucketSlots      = []byte("slots")       // channel 0 slot unix seconds BE -> Slot
	bucketRotation   = []byte("rotation")    // channel -> Rotation
	bucketAdmins     = []byte("admins")      // channel -> ChannelAdmins
	bucketCards      = []byte("cards")       // user 0 question ID -> Card
	bucketPractice   = []byte("practice")    // user -> Practice
	bucketAnswers    = []byte("answers")     // user 0 at-unix-nanos BE seq BE -> Answer (DM practice answers)
	bucketReminders  = []byte("reminders")   // user -> Reminder
	bucketReports    = []byte("reports")     // at-unix-nanos BE -> Report
	bucketMockConfig = []byte("mock_config") // channel -> MockConfig
	bucketMockRounds = []byte("mock_rounds") // channel 0 slot unix seconds BE -> MockRound
	allBuckets       = [][]byte{bucketMockConfig, bucketMockRounds, bucketReports, bucketMeta, bucketEvents, bucketEventTime, bucketPosts, bucketReplies, bucketAuthors, bucketQuestions,
		bucketSchedules, bucketSlots, bucketRotation, bucketAdmins, bucketCards, bucketPractice, bucketAnswers, bucketReminders}

	keySchemaVersion = []byte("schema_version")
	// keyInUse was set by schema 2 while a process had the file open and
	// removed by a clean Close: found at open, it means the reply times that
	// schema 2 kept in memory were lost in a crash.
	keyInUse = []byte("in_use")
)

// migrations[v] upgrades a file from schema version v to v+1. Version 0 is a
// new, empty file: creating the buckets is all it needs.
var migrations = []func(tx *bolt.Tx) error{
	0: func(*bolt.Tx) error { return nil },
	1: indexReplyTimes,
	2: migrateReplyTimesInline,
	3: migrateAnswerKeys,
	// Schema 5 adds the mock-interview buckets (created above). The bump
	// keeps an older prepbot from opening the file: its forget-me would
	// not know the mock records name people.
	4: func(*bolt.Tx) error { return nil },
}

// migrateReplyTimesInline moves a schema 2 file to reply times written with
// each reply. Schema 2 kept recent times in memory (lost if the process
// died: keyInUse marks that) and let an edit move a reply's time without
// moving its index entry, so the index is rebuilt from the replies. Its
// tombstones named the deleted reply's author; schema 3's name no one, so
// the old ones are rewritten.
func migrateReplyTimesInline(tx *bolt.Tx) error {
	replies := tx.Bucket(bucketReplies)
	var tombs [][]byte
	if err := replies.ForEach(func(k, v []byte) error {
		if isGone(v) && !bytes.Equal(v, tombstone) {
			tombs = append(tombs, bytes.Clone(k))
		}
		return nil
	}); err != nil {
		return err
	}
	for _, k := range tombs {
		if err := replies.Put(k, tombstone); err != nil {
			return err
		}
	}
	if err := indexReplyTimes(tx); err != nil {
		return err
	}
	return tx.Bucket(bucketMeta).Delete(keyInUse)
}

// Options configure Open. The zero value is ready to use.
type Options struct {
	// LockTimeout bounds the wait for a file another process holds.
	// Zero means 2 seconds.
	LockTimeout time.Duration
	// NoSync skips fsync on commit: for tests and benchmarks only, never for
	// a real bot (a crash could lose acknowledged work).
	NoSync bool
	// ReadOnly opens the file for reading (still waits for the lock).
	ReadOnly bool
	// Now is the clock for expiry bookkeeping. Nil means time.Now.
	Now func() time.Time
	// OnCommit, if set, is told how long each group commit took (write and
	// fsync) and how many writes it carried: the disk's health, for metrics.
	OnCommit func(took time.Duration, writes int)
}

// DB is prepbot's store. It is safe for concurrent use.
type DB struct {
	bolt     *bolt.DB
	now      func() time.Time
	onCommit func(time.Duration, int)

	mu         sync.Mutex // guards the fields below
	closed     bool
	committing bool        // a leader is committing; new writes queue
	queue      []*writeReq // waiting for the next commit, oldest first
	idle       sync.Cond   // signalled when committing becomes false
}

// Open opens (creating if needed) the store at path and migrates it to
// SchemaVersion. It fails within opts.LockTimeout if another process holds
// the file, and with a clear error if the file is not a prepbot database.
func Open(path string, opts Options) (*DB, error) {
	if opts.LockTimeout == 0 {
		opts.LockTimeout = 2 * time.Second
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	bdb, err := openBolt(path, opts)
	if err != nil {
		return nil, err
	}
	db := &DB{bolt: bdb, now: opts.Now, onCommit: opts.OnCommit}
	db.idle.L = &db.mu
	if !opts.ReadOnly {
		if err := db.migrate(); err != nil {
			bdb.Close()
			return nil, fmt.Errorf("%s: %w", path, err)
		}
	} else if err := db.checkReadable(); err != nil {
		bdb.Close()
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return db, nil
}

func openBolt(path string, opts Options) (bdb *bolt.DB, err error) {
	// bbolt trusts the file it maps; a damaged file can make it panic
	// rather than return an error. Turn that into an error for the caller.
	defer func() {
		if r := recover(); r != nil {
			bdb, err = nil, fmt.Errorf("%s is damaged or not a prepbot database (%v)", path, r)
		}
	}()
	bdb, err = bolt.Open(path, 0o600, &bolt.Options{
		Timeout:      opts.LockTimeout,
		NoSync:       opts.NoSync,
		ReadOnly:     opts.ReadOnly,
		FreelistType: bolt.FreelistMapType,
		// The freelist is rebuilt by scanning at open instead of being written
		// on every commit: fewer pages per fsync on the ack path.
		NoFreelistSync: true,
		// Map 1 GiB of address space up front: growing the map takes a lock
		// that stalls every reader and the committer, a latency spike on
		// the ack path. Only pages actually used count towards RSS.
		InitialMmapSize: 1 << 30,
	})
	switch {
	case err == nil:
		return bdb, nil
	case errors.Is(err, berrors.ErrTimeout):
		return nil, fmt.Errorf("%s is in use by another process (is prepbot already running?)", path)
	case errors.Is(err, berrors.ErrInvalid), errors.Is(err, berrors.ErrChecksum), errors.Is(err, berrors.ErrVersionMismatch):
		return nil, fmt.Errorf("%s is damaged or not a prepbot database: %w", path, err)
	case errors.Is(err, syscall.EROFS), errors.Is(err, os.ErrPermission):
		return nil, fmt.Errorf("cannot open %s for writing: %w", path, err)
	default:
		if fi, serr := os.Stat(path); serr == nil && fi.Mode().IsRegular() && fi.Size() > 0 {
			// bbolt reports a foreign file in many ways ("file size too
			// small", bad page size...): all of them mean the same to an
			// operator.
			return nil, fmt.Errorf("%s is damaged or not a prepbot database: %w", path, err)
		}
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
}

func (db *DB) migrate() error {
	return db.bolt.Update(func(tx *bolt.Tx) error {
		for _, name := range allBuckets {
			if _, err := tx.CreateBucketIfNotExists(name); err != nil {
				return fmt.Errorf("create bucket %s: %w", name, err)
			}
		}
		meta := tx.Bucket(bucketMeta)
		v := 0
		if raw := meta.Get(keySchemaVersion); raw != nil {
			if len(raw) != 8 {
				return errors.New("not a prepbot database (bad schema version record)")
			}
			v = int(be.Uint64(raw))
		} else if tx.Bucket(bucketEvents).Stats().KeyN > 0 {
			return errors.New("not a prepbot database (no schema version)")
		}
		if v > SchemaVersion {
			return fmt.Errorf("written by a newer prepbot (schema %d, this one knows %d): upgrade prepbot", v, SchemaVersion)
		}
		for ; v < SchemaVersion; v++ {
			if err := migrations[v](tx); err != nil {
				return fmt.Errorf("migrate schema %d to %d: %w", v, v+1, err)
			}
		}
		return meta.Put(keySchemaVersion, u64(SchemaVersion))
	})
}

func (db *DB) checkReadable() error {
	return db.bolt.View(func(tx *bolt.Tx) error {
		meta := tx.Bucket(bucketMeta)
		if meta == nil || meta.Get(keySchemaVersion) == nil {
			return errors.New("not a prepbot database")
		}
		return nil
	})
}

// Close waits for queued writes to commit and closes the file.
func (db *DB) Close() error {
	db.mu.Lock()
	if db.closed {
		db.mu.Unlock()
		return nil
	}
	db.closed = true
	for db.committing {
		db.idle.Wait()
	}
	db.mu.Unlock()
	return db.bolt.Close()
}

// Path is the file the store lives in.
func (db *DB) Path() string { return db.bolt.Path() }

// Ping checks that the store can still read its file, for health checks.
func (db *DB) Ping() error {
	db.mu.Lock()
	closed := db.closed
	db.mu.Unlock()
	if closed {
		return ErrClosed
	}
	return db.bolt.View(func(tx *bolt.Tx) error {
		if tx.Bucket(bucketMeta) == nil {
			return errors.New("meta bucket missing")
		}
		return nil
	})
}

type writeReq struct {
	fn   func(tx *bolt.Tx) error
	done chan error // the verdict, or errLead first
	// cs and ce are when the write's commit started and ended, set only
	// in builds with -tags acktrace (WithTrace).
	cs, ce time.Time
}

// errLead tells a queued write that it now leads: it commits the queue.
var errLead = errors.New("store: lead the next commit")

var reqPool = sync.Pool{New: func() any { return &writeReq{done: make(chan error, 1)} }}

// maxBatch bounds one group commit, so a flood cannot build a transaction
// that holds every writer for long.
const maxBatch = 512

// update runs fn in a read-write transaction that may be shared with other
// concurrent writes, and returns once it is durable. fn may run more than
// once (if a neighbour in its batch fails), so it must be idempotent and must
// not keep references to tx data.
func (db *DB) update(ctx context.Context, fn func(tx *bolt.Tx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	req := reqPool.Get().(*writeReq)
	req.fn = fn
	db.mu.Lock()
	if db.closed {
		db.mu.Unlock()
		reqPool.Put(req)
		return ErrClosed
	}
	db.queue = append(db.queue, req)
	lead := !db.committing
	db.committing = true
	db.mu.Unlock()
	// Once queued, the write will be committed or fail; wait for the
	// verdict even if ctx ends, so the caller never acts on a guess.
	if !lead {
		if err := <-req.done; err != errLead {
			traceReq(ctx, req)
			req.fn = nil
			reqPool.Put(req)
			return err
		}
	}
	db.lead()
	err := <-req.done
	traceReq(ctx, req)
	req.fn = nil
	reqPool.Put(req)
	return err
}

// lead commits the oldest queued writes (the leader's own among them),
// then hands the rest of the queue to the next waiting write, or marks the
// store idle. Handing over, rather than committing everything itself, lets
// the leader return as soon as its own write is durable.
func (db *DB) lead() {
	db.mu.Lock()
	n := min(len(db.queue), maxBatch)
	batch := db.queue[:n:n]
	db.queue = db.queue[n:]
	db.mu.Unlock()

	db.commit(batch)

	db.mu.Lock()
	if len(db.queue) == 0 {
		db.queue = nil
		db.committing = false
		db.idle.Broadcast()
		db.mu.Unlock()
		return
	}
	next := db.queue[0]
	db.mu.Unlock()
	next.done <- errLead
}

type batchErr struct {
	i   int
	err error
}

func (e *batchErr) Error() string { return e.err.Error() }

func (db *DB) commit(batch []*writeReq) {
	start := time.Now()
	err := db.bolt.Update(func(tx *bolt.Tx) (err error) {
		i := 0
		// A panicking write must not take its neighbours down, nor leave
		// the store committing forever: bbolt rolls the transaction back
		// and the write fails alone.
		defer func() {
			if r := recover(); r != nil {
				err = &batchErr{i: i, err: fmt.Errorf("store: write panicked: %v", r)}
			}
		}()
		for ; i < len(batch); i++ {
			if err := batch[i].fn(tx); err != nil {
				return &batchErr{i: i, err: err}
			}
		}
		return nil
	})
	if db.onCommit != nil {
		db.onCommit(time.Since(start), len(batch))
	}
	if err == nil {
		if tracing {
			end := time.Now()
			for _, r := range batch {
				r.cs, r.ce = start, end
			}
		}
		for _, r := range batch {
			r.done <- nil
		}
		return
	}
	var failed *batchErr
	if !errors.As(err, &failed) {
		// The commit itself failed (disk full, read-only file): every
		// write in the batch fails with it.
		err = fmt.Errorf("commit: %w", err)
		for _, r := range batch {
			r.done <- err
		}
		return
	}
	// One write failed: it alone gets the error; the rest retry together.
	batch[failed.i].done <- failed.err
	rest := append(batch[:failed.i:failed.i], batch[failed.i+1:]...)
	if len(rest) > 0 {
		db.commit(rest)
	}
}
