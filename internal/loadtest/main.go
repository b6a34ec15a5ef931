// Command loadtest drives a real prepbot process through the Slack fake at a
// chosen rate, for a bounded time, and reports what the service levels in
// docs/PERFORMANCE.md name: ack latency p50/p99/max by envelope type, slash command
// response p99, durable thread replies per second, lost or doubled replies
// (must be zero), and the bot's peak RSS.
//
// The mixed traffic is 89% thread replies from -users people, 5% /prep ask,
// 4% DM practice steps by 100 learners (ask, then answer, then press Good
// on the reference answer: each learner reads the bot's DM to know what to
// do next) and 2% Reveal clicks on the question of the day.
//
//	go run ./internal/loadtest -rate 1000 -duration 10s
//	go run ./internal/loadtest -rate 6000 -duration 10s -mix replies
//	go run ./internal/loadtest -rate 1000 -duration 10s -runs 5   # the spread over five runs
//
// The bot runs as its own process (built from ./cmd/prepbot unless -bin is
// given), as it does in production; the fake and the load generator share
// this process. Everything listens on 127.0.0.1.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/prepbot/prepbot/internal/slacktest"
	"github.com/prepbot/prepbot/store"
)

const thread = "1700000000.000100"

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "loadtest:", err)
		os.Exit(1)
	}
}

// summary is what one run measured, for the spread over -runs.
type summary struct {
	ackP50, ackP99, respP99 time.Duration
	peakKB                  int
}

type sample struct {
	kind string
	sent time.Time
}

type results struct {
	mu        sync.Mutex
	inflight  map[string]sample        // envelope ID -> what and when
	early     map[string]slacktest.Ack // acks that arrived before expect (or for the bot's own echoes)
	acks      map[string][]time.Duration
	respSent  map[string]time.Time // response_url ID -> when the command was sent
	respEarly map[string]time.Time // responses that arrived before respSent was written
	responses []time.Duration
	// replyTimes are the thread replies' send and ack times, for -trace.
	replyTimes []ackTimes
}

func run() error {
	rate := flag.Int("rate", 1000, "envelopes per second")
	duration := flag.Duration("duration", 10*time.Second, "how long to send (at most 5m)")
	users := flag.Int("users", 500, "distinct users replying")
	mix := flag.String("mix", "mixed", "replies (thread replies only) or mixed (replies, /prep, DMs, clicks)")
	bin := flag.String("bin", "", "prepbot binary (default: build ./cmd/prepbot)")
	runs := flag.Int("runs", 1, "repeat the run this many times (a fresh bot and database each) and report the spread")
	limits := flag.Bool("ratelimits", true, "the fake enforces Slack's per-method rate limits (429 with Retry-After)")
	reveal := flag.Bool("reveal", true, "after the load, reveal the thread's answer and check it counts every distinct answerer")
	lenient := flag.Bool("lenient", false, "the fake skips its Block Kit and payload checks (they cost the load generator's CPU, which shares the cores with the bot)")
	trace := flag.Bool("trace", false, "build the bot with -tags acktrace and print where each durable ack's time goes")
	flag.Parse()
	if *rate <= 0 || *rate > 20000 || *duration <= 0 || *duration > 5*time.Minute {
		return errors.New("-rate must be 1..20000 and -duration at most 5m")
	}
	if *runs < 1 || *runs > 20 {
		return errors.New("-runs must be 1..20")
	}
	if *mix != "replies" && *mix != "mixed" {
		return fmt.Errorf("-mix %q: want replies or mixed", *mix)
	}
	dir, err := os.MkdirTemp("", "prepbot-load-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	if *bin == "" {
		*bin = filepath.Join(dir, "prepbot")
		args := []string{"build", "-o", *bin}
		if *trace {
			args = append(args, "-tags", "acktrace")
		}
		if out, err := exec.Command("go", append(args, "./cmd/prepbot")...).CombinedOutput(); err != nil {
			return fmt.Errorf("build prepbot: %v\n%s", err, out)
		}
	}
	var all []summary
	for i := range *runs {
		if *runs > 1 {
			fmt.Printf("--- run %d of %d\n", i+1, *runs)
		}
		s, err := runOnce(*bin, filepath.Join(dir, fmt.Sprintf("run%d", i)), *rate, *duration, *users, *mix, *limits, *reveal, *trace, *lenient)
		if err != nil {
			return err
		}
		all = append(all, s)
	}
	if *runs > 1 {
		printSpread(all)
	}
	return nil
}

// runOnce starts a bot on a fresh database in dir, drives it and reports.
func runOnce(bin, dir string, rate int, duration time.Duration, users int, mix string, limits, reveal, trace, lenient bool) (summary, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return summary{}, err
	}

	res := &results{inflight: map[string]sample{}, early: map[string]slacktest.Ack{}, acks: map[string][]time.Duration{}, respSent: map[string]time.Time{}, respEarly: map[string]time.Time{}}
	learners := newLearners()
	rv := &revealWatch{calls: map[string]int{}, done: make(chan string, 1)}
	onPost := func(m slacktest.Message) {
		learners.onPost(m)
		rv.onPost(m)
	}
	fake, err := slacktest.New(slacktest.Options{Lean: true, PingInterval: 5 * time.Second, OnResponse: res.onResponse, OnPost: onPost,
		OnCall: rv.onCall, RateLimits: limits, Lenient: lenient})
	if err != nil {
		return summary{}, err
	}
	defer fake.Close()
	fake.OnAck(res.onAck)
	fake.AddChannel(slacktest.Channel{ID: "C1", Name: "cohort", BotMember: true})
	for i := range users {
		fake.AddUser(slacktest.User{ID: userID(i)})
	}

	dbPath := filepath.Join(dir, "prepbot.db")
	if err := seed(dbPath); err != nil {
		return summary{}, err
	}
	httpAddr, err := freeAddr()
	if err != nil {
		return summary{}, err
	}
	cmd := exec.Command(bin, "run")
	cmd.Env = []string{
		"SLACK_APP_TOKEN=" + fake.AppToken(), "SLACK_BOT_TOKEN=" + fake.BotToken(), "SLACK_API_URL=" + fake.APIURL(),
		"PREPBOT_DB=" + dbPath, "PREPBOT_HTTP_ADDR=" + httpAddr, "PREPBOT_LOG_LEVEL=" + logLevel(), "PREPBOT_ADMINS=" + loadAdmin,
		"PREPBOT_ACK_TRACE=" + filepath.Join(dir, "ack-trace.txt"),
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		return summary{}, err
	}
	defer cmd.Process.Kill()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	err = fake.WaitConnected(ctx, 1)
	cancel()
	if err != nil {
		return summary{}, fmt.Errorf("bot did not connect: %w", err)
	}
	time.Sleep(200 * time.Millisecond) // let it settle: idle baseline
	idleRSS, _ := procStatus(cmd.Process.Pid, "VmRSS:")

	replies, answerers := send(fake, res, learners, rate, duration, users, mix)
	elapsed := duration

	// Wait for the stragglers, bounded.
	deadline := time.Now().Add(10 * time.Second)
	for res.pending() > 0 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	var revealErr error
	if reveal {
		revealErr = rv.check(fake, answerers)
	}
	printBotHistogram(httpAddr)
	peakRSS, _ := procStatus(cmd.Process.Pid, "VmHWM:")
	time.Sleep(time.Second) // settle, then the resident size with everything stored
	afterRSS, _ := procStatus(cmd.Process.Pid, "VmRSS:")
	anon, _ := procStatus(cmd.Process.Pid, "RssAnon:")
	file, _ := procStatus(cmd.Process.Pid, "RssFile:")
	fmt.Printf("bot RSS after the run: anonymous (heap) %.1f MB, file-backed (mapped database and binary) %.1f MB\n", float64(anon)/1024, float64(file)/1024)
	if err := cmd.Process.Signal(os.Interrupt); err != nil {
		return summary{}, err
	}
	stopped := time.Now()
	if err := cmd.Wait(); err != nil {
		return summary{}, fmt.Errorf("bot exit: %w", err)
	}
	stopTook := time.Since(stopped)

	learners.mu.Lock()
	fmt.Printf("DM practice: %d questions asked for, %d answered, %d rated (%d times the bot had not answered yet)\n",
		learners.done[stepAsk], learners.done[stepAnswer], learners.done[stepRate], learners.done[stepWait])
	learners.mu.Unlock()
	if trace {
		printBreakdown(res, filepath.Join(dir, "ack-trace.txt"))
	}
	stored, err := countReplies(dbPath)
	if err != nil {
		return summary{}, err
	}
	sum, err := res.report(rate, elapsed, replies, stored, idleRSS, peakRSS, afterRSS, stopTook)
	if err == nil {
		err = revealErr
	}
	return sum, err
}

func userID(i int) string { return fmt.Sprintf("U%05d", i) }

func seed(dbPath string) error {
	db, err := store.Open(dbPath, store.Options{})
	if err != nil {
		return err
	}
	defer db.Close()
	return db.SavePost(context.Background(), store.Post{Channel: "C1", TS: thread, QuestionID: "deployment/blue-green", PostedAt: time.Now()})
}

func countReplies(dbPath string) (int, error) {
	db, err := store.Open(dbPath, store.Options{ReadOnly: true})
	if err != nil {
		return 0, err
	}
	defer db.Close()
	return db.CountReplies()
}

// send paces envelopes against a fixed schedule (a late send is followed by
// a catch-up burst) and returns how many thread replies it sent.
func send(fake *slacktest.Server, res *results, learners *learners, rate int, d time.Duration, users int, mix string) (replies int, answerers map[string]bool) {
	interval := time.Second / time.Duration(rate)
	total := int(d / interval)
	rng := rand.New(rand.NewPCG(1, 2))
	start := time.Now()
	answerers = map[string]bool{}
	for i := range total {
		if w := time.Until(start.Add(time.Duration(i) * interval)); w > 0 {
			time.Sleep(w)
		}
		u := userID(rng.IntN(users))
		kind := "reply"
		if mix == "mixed" {
			switch p := rng.IntN(100); {
			case p < 5:
				kind = "command"
			case p < 9:
				kind = "dm"
			case p < 11:
				kind = "click"
			}
		}
		now := time.Now()
		var env string
		switch kind {
		case "reply":
			replies++
			answerers[u] = true
			res.expect(fake.UserMessage("C1", u, "My answer: two identical environments, switch the router, keep the old one for rollback.", thread, false).EnvelopeID, kind, now)
			continue
		case "command":
			d := fake.SlashCommandURL(u, "C1", "ask")
			res.mu.Lock()
			if at, early := res.respEarly[d.EventID]; early {
				res.responses = append(res.responses, at.Sub(now))
				delete(res.respEarly, d.EventID)
			} else {
				res.respSent[d.EventID] = now
			}
			res.mu.Unlock()
			env = d.EnvelopeID
		case "dm":
			// A practice round, one step at a time: ask, answer, rate.
			learner := userID(rng.IntN(min(users, 100)))
			switch step, ts, value := learners.next(learner); step {
			case stepAsk:
				env = fake.UserMessage("D"+learner, learner, "practice", "", false).EnvelopeID
			case stepAnswer:
				env = fake.UserMessage("D"+learner, learner, "An index is a sorted copy of some columns that lets a lookup skip the full scan.", "", false).EnvelopeID
			case stepRate:
				kind = "click"
				env = fake.Click(learner, "D"+learner, ts, "prep_rate_good", value, false)
			default: // waiting for the bot: someone asks for a random question instead
				env = fake.UserMessage("D"+learner, learner, "hello", "", false).EnvelopeID
			}
		case "click":
			// Reveal on the question of the day: a nudge or the answer,
			// through the response_url.
			env = fake.Click(u, "C1", thread, "prep_reveal", "deployment/blue-green", false)
		}
		res.expect(env, kind, now)
	}
	return replies, answerers
}

// expect records an envelope as sent. The ack can race ahead of this call,
// so an ack for an unknown ID is parked in early.
func (r *results) expect(id, kind string, sent time.Time) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if a, acked := r.early[id]; acked {
		if !a.SentAt.IsZero() {
			sent = a.SentAt
		}
		r.acks[kind] = append(r.acks[kind], a.At.Sub(sent))
		if kind == "reply" {
			r.replyTimes = append(r.replyTimes, ackTimes{id, sent, a.At})
		}
		delete(r.early, id)
		return
	}
	r.inflight[id] = sample{kind: kind, sent: sent}
}

func (r *results) onAck(a slacktest.Ack) {
	r.mu.Lock()
	defer r.mu.Unlock()
	s, ok := r.inflight[a.EnvelopeID]
	if !ok {
		r.early[a.EnvelopeID] = a // ack before expect, or an echo of the bot's own post
		return
	}
	// Ack latency is from the envelope's write to the socket to the ack's
	// read: the fake's own work of building the event is not the bot's.
	sent := s.sent
	if !a.SentAt.IsZero() {
		sent = a.SentAt
	}
	r.acks[s.kind] = append(r.acks[s.kind], a.At.Sub(sent))
	if s.kind == "reply" {
		r.replyTimes = append(r.replyTimes, ackTimes{a.EnvelopeID, sent, a.At})
	}
	delete(r.inflight, a.EnvelopeID)
}

func (r *results) onResponse(p slacktest.ResponsePost) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if t0, ok := r.respSent[p.ID]; ok {
		r.responses = append(r.responses, p.At.Sub(t0))
		delete(r.respSent, p.ID)
	} else {
		r.respEarly[p.ID] = p.At
	}
}

func (r *results) pending() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.inflight) + len(r.respSent)
}

func (r *results) report(rate int, elapsed time.Duration, sentReplies, stored int, idleKB, peakKB, afterKB int, stop time.Duration) (summary, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	fmt.Printf("rate %d envelopes/s for %v (bot in its own process, fsync on)\n", rate, elapsed)
	var all []time.Duration
	for _, kind := range []string{"reply", "command", "dm", "click"} {
		l := r.acks[kind]
		if len(l) == 0 {
			continue
		}
		all = append(all, l...)
		fmt.Printf("ack %-8s n=%-7d %s\n", kind, len(l), quantiles(l))
	}
	fmt.Printf("ack all      n=%-7d %s\n", len(all), quantiles(all))
	if len(r.responses) > 0 {
		fmt.Printf("slash response n=%-5d %s\n", len(r.responses), quantiles(r.responses))
	}
	lost, doubled := 0, 0
	if stored < sentReplies {
		lost = sentReplies - stored
	} else {
		doubled = stored - sentReplies
	}
	fmt.Printf("thread replies: sent %d, stored %d, durable %.0f/s, lost %d, doubled %d\n",
		sentReplies, stored, float64(stored)/elapsed.Seconds(), lost, doubled)
	fmt.Printf("unacknowledged envelopes: %d, unanswered commands: %d\n", len(r.inflight), len(r.respSent))
	fmt.Printf("bot RSS: idle %.1f MB, peak %.1f MB, after the run %.1f MB; shutdown took %v\n",
		float64(idleKB)/1024, float64(peakKB)/1024, float64(afterKB)/1024, stop.Round(time.Millisecond))
	sum := summary{ackP50: quantile(all, 0.50), ackP99: quantile(all, 0.99), respP99: quantile(r.responses, 0.99), peakKB: peakKB}
	if lost+doubled+len(r.inflight)+len(r.respSent) > 0 {
		return sum, errors.New("work was lost, doubled or left unanswered")
	}
	return sum, nil
}

// printSpread summarises several runs: each figure's median and range.
func printSpread(runs []summary) {
	spread := func(name string, get func(summary) float64, unit string) {
		v := make([]float64, len(runs))
		for i, s := range runs {
			v[i] = get(s)
		}
		slices.Sort(v)
		median := (v[(len(v)-1)/2] + v[len(v)/2]) / 2
		fmt.Printf("%-16s median %.2f%s  range %.2f–%.2f%s  (%d runs)\n", name, median, unit, v[0], v[len(v)-1], unit, len(v))
	}
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	fmt.Println("--- spread over the runs")
	spread("ack p50", func(s summary) float64 { return ms(s.ackP50) }, "ms")
	spread("ack p99", func(s summary) float64 { return ms(s.ackP99) }, "ms")
	if runs[0].respP99 > 0 {
		spread("slash resp p99", func(s summary) float64 { return ms(s.respP99) }, "ms")
	}
	spread("peak RSS", func(s summary) float64 { return float64(s.peakKB) / 1024 }, " MB")
}

func quantiles(l []time.Duration) string {
	q := func(p float64) string { return fmt.Sprintf("%.2fms", float64(quantile(l, p).Microseconds())/1000) }
	return fmt.Sprintf("p50 %s  p99 %s  max %s", q(0.50), q(0.99), q(1))
}

// quantile returns the p-quantile of l (0 for an empty l).
func quantile(l []time.Duration, p float64) time.Duration {
	if len(l) == 0 {
		return 0
	}
	s := slices.Clone(l)
	slices.Sort(s)
	return s[min(len(s)-1, int(float64(len(s))*p))]
}

func procStatus(pid int, field string) (int, error) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return 0, err
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, field); ok {
			return strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")))
		}
	}
	return 0, fmt.Errorf("%s not in /proc/%d/status", field, pid)
}

func freeAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

func logLevel() string {
	if v := os.Getenv("PREPBOT_LOG_LEVEL"); v != "" {
		return v
	}
	return "warn"
}

// printBotHistogram shows the bot's own view of ack latency (from the
// envelope leaving slack-go's decoder to the ack handed to the socket
// writer), read from its /metrics: the rest of the load tool's figure is
// decode, the socket and the fake.
func printBotHistogram(addr string) {
	resp, err := http.Get("http://" + addr + "/metrics")
	if err != nil {
		return
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	var total float64
	var commitLines []string
	type bucket struct {
		le    string
		count float64
	}
	var buckets []bucket
	for _, line := range strings.Split(string(body), "\n") {
		if !strings.HasPrefix(line, `prepbot_ack_seconds_bucket{type="events_api"`) {
			if strings.HasPrefix(line, "prepbot_store_commit_seconds_bucket") {
				commitLines = append(commitLines, line)
			}
			continue
		}
		i := strings.Index(line, `le="`)
		j := strings.LastIndex(line, " ")
		if i < 0 || j < 0 {
			continue
		}
		le := line[i+4 : strings.Index(line[i+4:], `"`)+i+4]
		n, _ := strconv.ParseFloat(line[j+1:], 64)
		buckets = append(buckets, bucket{le, n})
		if le == "+Inf" {
			total = n
		}
	}
	if total == 0 {
		return
	}
	var parts []string
	for _, b := range buckets {
		parts = append(parts, fmt.Sprintf("≤%ss %.2f%%", b.le, 100*b.count/total))
	}
	fmt.Printf("bot-side events ack (cumulative): %s\n", strings.Join(parts, ", "))
	if len(commitLines) > 0 {
		fmt.Printf("store commits (cumulative counts): %s\n", strings.Join(commitLines, "; "))
	}
}

// learners play DM practice rounds: ask, answer, rate. They learn what to
// answer and which rating button to press from the bot's posts in their DM.
type learners struct {
	mu    sync.Mutex
	state map[string]*learner
	done  [stepWait + 1]int // steps taken, by kind
}

type learner struct {
	step      int    // the next thing to do
	waiting   bool   // sent something; the bot has not answered yet
	rateTS    string // the reference answer's message
	rateValue string // its Good button's value
}

const (
	stepAsk = iota
	stepAnswer
	stepRate
	stepWait
)

func newLearners() *learners { return &learners{state: map[string]*learner{}} }

// next returns what user does now, and marks them waiting for the bot.
func (l *learners) next(user string) (step int, ts, value string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	s := l.state[user]
	if s == nil {
		s = &learner{}
		l.state[user] = s
	}
	if s.waiting {
		l.done[stepWait]++
		return stepWait, "", ""
	}
	step, ts, value = s.step, s.rateTS, s.rateValue
	l.done[step]++
	if step == stepRate {
		s.step = stepAsk // the click ends the round; the confirmation is not needed
	} else {
		s.waiting = true
	}
	return step, ts, value
}

// onPost moves a learner on when the bot posts in their DM.
func (l *learners) onPost(m slacktest.Message) {
	user, ok := strings.CutPrefix(m.Channel, "D")
	if !ok {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	s := l.state[user]
	if s == nil || !s.waiting {
		return
	}
	switch {
	case s.step == stepAsk && strings.HasPrefix(m.Text, "Practice: "):
		s.step, s.waiting = stepAnswer, false
	case s.step == stepAnswer && strings.HasPrefix(m.Text, "Reference answer: "):
		if v := goodButtonValue(m.Blocks); v != "" {
			s.step, s.rateTS, s.rateValue, s.waiting = stepRate, m.TS, v, false
		}
	}
}

// goodButtonValue finds the prep_rate_good button's value in blocks.
func goodButtonValue(blocks json.RawMessage) string {
	var bs []struct {
		Elements []struct {
			ActionID string `json:"action_id"`
			Value    string `json:"value"`
		} `json:"elements"`
	}
	if json.Unmarshal(blocks, &bs) != nil {
		return ""
	}
	for _, b := range bs {
		for _, e := range b.Elements {
			if e.ActionID == "prep_rate_good" {
				return e.Value
			}
		}
	}
	return ""
}

// loadAdmin is the instructor who reveals the answer after the load.
const loadAdmin = "UADMIN0"

// revealWatch counts Web API calls by method (and 429s) and catches the
// reveal posted in the load's thread.
type revealWatch struct {
	mu       sync.Mutex
	counting bool
	calls    map[string]int
	limited  int
	done     chan string
}

func (r *revealWatch) onCall(c slacktest.Call) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if !r.counting {
		return
	}
	r.calls[c.Method]++
	if c.Status == http.StatusTooManyRequests {
		r.limited++
	}
}

func (r *revealWatch) onPost(m slacktest.Message) {
	if m.Channel != "C1" || m.ThreadTS != thread {
		return
	}
	if i := strings.Index(string(m.Blocks), "answered"); i >= 0 || strings.Contains(string(m.Blocks), "Nobody answered") {
		select {
		case r.done <- string(m.Blocks):
		default:
		}
	}
}

var answeredCount = regexp.MustCompile(`(\d+) (?:people|person) answered`)

// check has the instructor run /prep reveal and waits for the reveal: it
// must say exactly how many distinct people answered, once, within a
// bounded time, whatever 429s the fake sends on the way.
func (r *revealWatch) check(fake *slacktest.Server, answerers map[string]bool) error {
	r.mu.Lock()
	r.counting = true
	r.mu.Unlock()
	start := time.Now()
	fake.SlashCommandURL(loadAdmin, "C1", "reveal")
	var blocks string
	select {
	case blocks = <-r.done:
	case <-time.After(2 * time.Minute):
		return errors.New("the reveal never appeared")
	}
	took := time.Since(start)
	r.mu.Lock()
	defer r.mu.Unlock()
	r.counting = false
	m := answeredCount.FindStringSubmatch(blocks)
	got := 0
	if m != nil {
		got, _ = strconv.Atoi(m[1])
	}
	var calls []string
	for method, n := range r.calls {
		calls = append(calls, fmt.Sprintf("%s %d", method, n))
	}
	slices.Sort(calls)
	fmt.Printf("reveal: %d distinct answerers, the reveal says %d; posted %v after /prep reveal; Web API calls meanwhile: %s (%d answered 429)\n",
		len(answerers), got, took.Round(time.Millisecond), strings.Join(calls, ", "), r.limited)
	if got != len(answerers) {
		return fmt.Errorf("the reveal counts %d answerers; %d answered", got, len(answerers))
	}
	return nil
}
