package bot_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prepbot/prepbot/bot"
	"github.com/prepbot/prepbot/internal/clock"
	"github.com/prepbot/prepbot/internal/slacktest"
	"github.com/prepbot/prepbot/questions"
	"github.com/prepbot/prepbot/store"
)

// Users of the test workspace.
const (
	instructor = "UINSTR"  // in Config.Admins
	student1   = "USTUD1"  // Ada
	student2   = "USTUD2"  // Grace
	wsAdmin    = "UWSADM"  // a Slack workspace admin
	cohort     = "CCOHORT" // the bot is a member
	outside    = "COUTSIDE"
)

type syncBuf struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuf) Write(p []byte) (int, error) { s.mu.Lock(); defer s.mu.Unlock(); return s.b.Write(p) }
func (s *syncBuf) String() string              { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

// world is a Slack fake, a store file and a fake clock that bots can be
// started on and stopped, as many times as a test needs.
type world struct {
	t     testing.TB
	slack *slacktest.Server
	clock *clock.Fake
	db    string
	bank  *questions.Bank
	logs  *syncBuf
	// admins is PREPBOT_ADMINS for bots started later ([instructor] unless
	// a test changes it).
	admins []string
	// postInterval is Config.PostInterval: no pacing unless a test
	// turns it on (the fake has no rate limits unless asked).
	postInterval time.Duration
	// storeOpts opens the store (benchmarks turn fsync off with
	// PREPBOT_BENCH_NOSYNC).
	storeOpts store.Options

	store *store.DB
	stop  func()
}

func newWorld(t testing.TB, bank *questions.Bank) *world {
	t.Helper()
	return newWorldWith(t, bank, slacktest.Options{})
}

// newWorldWith is newWorld with a fake made from opts (for instance with
// Slack's rate limits on).
func newWorldWith(t testing.TB, bank *questions.Bank, opts slacktest.Options) *world {
	t.Helper()
	opts.PingInterval = 2 * time.Second
	fake, err := slacktest.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		fake.Close()
		if u := fake.Unexpected(); len(u) > 0 {
			t.Errorf("Slack fake saw unexpected calls: %v", u)
		}
	})
	fake.AddUser(slacktest.User{ID: instructor, Name: "Ines"})
	fake.AddUser(slacktest.User{ID: student1, Name: "Ada"})
	fake.AddUser(slacktest.User{ID: student2, Name: "Grace"})
	fake.AddUser(slacktest.User{ID: wsAdmin, Name: "Wanda", IsAdmin: true})
	fake.AddChannel(slacktest.Channel{ID: cohort, Name: "cohort-12", BotMember: true})
	fake.AddChannel(slacktest.Channel{ID: outside, Name: "random"})
	w := &world{t: t, slack: fake, db: filepath.Join(t.TempDir(), "prepbot.db"), bank: bank, logs: &syncBuf{}, admins: []string{instructor}, postInterval: -1,
		clock: clock.NewFake(time.Date(2026, 11, 23, 8, 0, 0, 0, time.UTC))} // a Monday
	t.Cleanup(func() {
		if w.stop != nil {
			w.stop()
		}
	})
	return w
}

// start runs a bot until stop; it waits until the bot is connected.
func (w *world) start() {
	w.t.Helper()
	db, err := store.Open(w.db, w.storeOpts)
	if err != nil {
		w.t.Fatal(err)
	}
	b, err := bot.New(bot.Config{
		AppToken: w.slack.AppToken(), BotToken: w.slack.BotToken(), APIURL: w.slack.APIURL(),
		Store: db, Clock: w.clock, Bank: w.bank, Admins: w.admins, PostInterval: w.postInterval,
		Logger: slog.New(slog.NewTextHandler(w.logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
	})
	if err != nil {
		w.t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	before := w.slack.Connections()
	go func() { done <- b.Run(ctx) }()
	w.waitFor("connection", func() bool { return w.slack.Connections() > before })
	// Connected flips when the bot has processed the connection event,
	// which the fake cannot signal: poll briefly.
	for deadline := time.Now().Add(5 * time.Second); !b.Connected(); time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			w.t.Fatalf("bot never reported connected\nlogs:\n%s", w.logs)
		}
	}
	w.store = db
	w.stop = func() {
		cancel()
		if err := <-done; err != nil {
			w.t.Errorf("bot.Run: %v", err)
		}
		db.Close()
		w.stop, w.store = nil, nil
	}
}

func (w *world) waitFor(what string, cond func() bool) {
	w.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := w.slack.WaitFor(ctx, cond); err != nil {
		w.t.Fatalf("waiting for %s: %v\nlogs:\n%s", what, err, w.logs)
	}
}

// poll waits for a condition on state the fake does not see (the store):
// waitFor only re-checks when the fake's state changes.
func (w *world) poll(what string, cond func() bool) {
	w.t.Helper()
	for deadline := time.Now().Add(10 * time.Second); !cond(); time.Sleep(2 * time.Millisecond) {
		if time.Now().After(deadline) {
			w.t.Fatalf("waiting for %s: timed out\nlogs:\n%s", what, w.logs)
		}
	}
}

// command runs /prep text as user in channel and returns the reply text.
func (w *world) command(user, channel, text string) string {
	w.t.Helper()
	n := len(w.slack.Responses())
	w.slack.SlashCommand(user, channel, text)
	w.waitFor("an answer to /prep "+text, func() bool { return len(w.slack.Responses()) > n })
	r := w.slack.Responses()[n]
	txt, _ := r.Body["text"].(string)
	return txt
}

// postNow posts a question of the day in the cohort as its instructor and
// returns the post.
func (w *world) postNow() slacktest.Message {
	w.t.Helper()
	if got := w.command(instructor, cohort, "post"); !strings.Contains(got, "Posted") {
		w.t.Fatalf("post = %q", got)
	}
	posts := w.posts(cohort)
	return posts[len(posts)-1]
}

// posts returns the bot's top-level messages in a channel.
func (w *world) posts(channel string) []slacktest.Message {
	var out []slacktest.Message
	for _, m := range w.slack.Messages(channel) {
		if m.BotID != "" && m.ThreadTS == "" {
			out = append(out, m)
		}
	}
	return out
}

func (w *world) threadReplies(channel, ts string) []slacktest.Message {
	var out []slacktest.Message
	for _, m := range w.slack.Messages(channel) {
		if m.ThreadTS == ts && m.TS != ts {
			out = append(out, m)
		}
	}
	return out
}

// questionIDOf reads the question ID from a question-of-the-day post's
// reveal button.
func questionIDOf(t testing.TB, m slacktest.Message) string {
	t.Helper()
	var blocks []map[string]any
	if err := json.Unmarshal(m.Blocks, &blocks); err != nil {
		t.Fatalf("post blocks: %v", err)
	}
	for _, b := range blocks {
		for _, e := range asList(b["elements"]) {
			if e["action_id"] == "prep_reveal" {
				return e["value"].(string)
			}
		}
	}
	t.Fatalf("no prep_reveal button in %s", m.Blocks)
	return ""
}

func asList(v any) []map[string]any {
	l, _ := v.([]any)
	var out []map[string]any
	for _, x := range l {
		if m, ok := x.(map[string]any); ok {
			out = append(out, m)
		}
	}
	return out
}

// smallBank is a valid bank of n questions in topic databases.
func smallBank(t testing.TB, n int) *questions.Bank {
	t.Helper()
	answer := strings.Repeat("An index is a sorted structure that lets the database find rows without scanning the whole table. ", 7)
	var qs []questions.Question
	for i := range n {
		qs = append(qs, questions.Question{
			ID: fmt.Sprintf("databases/q%02d", i), Difficulty: "easy",
			Text:   fmt.Sprintf("Test question number %d about databases?", i),
			Answer: answer, KeyPoints: []string{"first point", "second point"},
		})
	}
	b, err := questions.NewBank(qs, questions.Guides{Tips: "# Tips\n\nBe concise.", Star: "# STAR\n\nSituation, Task, Action, Result."})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func jsonMarshal(v any) ([]byte, error) { return json.Marshal(v) }

// sendAndAck waits for the ack of an envelope already sent.
func (w *world) sendAndAck(d slacktest.Delivery) {
	w.t.Helper()
	w.waitFor("ack of "+d.EnvelopeID, func() bool { _, ok := w.slack.Ack(d.EnvelopeID); return ok })
}

// expectReply runs /prep text as user in channel and checks that the reply
// contains want.
func (w *world) expectReply(user, channel, text, want string) {
	w.t.Helper()
	if got := w.command(user, channel, text); !strings.Contains(got, want) {
		w.t.Errorf("/prep %s (as %s in %s) = %q; want it to contain %q", text, user, channel, got, want)
	}
}

// submit submits a modal as user (each input's block and action ID are the
// field name) and returns the ack's payload once the bot acknowledges.
func (w *world) submit(user, callbackID, meta string, values map[string]string) json.RawMessage {
	w.t.Helper()
	form := map[string]map[string]string{}
	for k, v := range values {
		form[k] = map[string]string{k: v}
	}
	env := w.slack.SubmitView(user, callbackID, meta, form)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	ack, err := w.slack.WaitAck(ctx, env)
	if err != nil {
		w.t.Fatal(err)
	}
	return ack.Payload
}

// settled moves the clock to at and returns once everything the bot
// started by then is done: the scheduler has made its pass and gone back
// to sleep, and a restart waits for the jobs and handlers in flight. A
// negative check ("nothing else was posted") made after it cannot be
// early.
func (w *world) settled(at time.Time) {
	w.t.Helper()
	w.slotPassed(at)
	w.stop()
	w.start()
}
