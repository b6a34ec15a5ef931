package bot_test

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prepbot/prepbot/internal/slacktest"
	"github.com/prepbot/prepbot/store"
)

const benchThread = "1700000000.000100"

var benchNoSync = os.Getenv("PREPBOT_BENCH_NOSYNC") != ""

// startBench runs a real bot (real bbolt file, fsync on unless
// PREPBOT_BENCH_NOSYNC) in a world, the tests' own bot-plus-fake setup,
// with a question-of-the-day thread to reply in.
func startBench(tb testing.TB) (*slacktest.Server, *store.DB, func()) {
	tb.Helper()
	w := newWorld(tb, nil)
	w.slack.AddChannel(slacktest.Channel{ID: "C1", Name: "cohort", BotMember: true})
	w.storeOpts = store.Options{NoSync: benchNoSync}
	// The thread exists before the bot starts, as after a restart.
	db, err := store.Open(w.db, w.storeOpts)
	if err != nil {
		tb.Fatal(err)
	}
	if err := db.SavePost(context.Background(), store.Post{Channel: "C1", TS: benchThread, QuestionID: "x/y"}); err != nil {
		tb.Fatal(err)
	}
	db.Close()
	w.start()
	return w.slack, w.store, w.stop
}

// BenchmarkThreadReplyAck sends thread replies at a fixed rate from 500
// users and measures envelope-sent to ack-received latency; every reply is
// committed (fsync) before its ack. Run with -benchtime=Nx to set the count.
func BenchmarkThreadReplyAck(b *testing.B) {
	for _, rate := range benchRates() {
		b.Run(fmt.Sprintf("rate=%d", rate), func(b *testing.B) {
			fake, db, stop := startBench(b)
			defer stop()
			var (
				mu   sync.Mutex
				sent = make(map[string]time.Time, b.N)
				lat  = make([]time.Duration, 0, b.N)
				all  = make(chan struct{})
			)
			fake.OnAck(func(a slacktest.Ack) {
				mu.Lock()
				defer mu.Unlock()
				if t0, ok := sent[a.EnvelopeID]; ok {
					lat = append(lat, a.At.Sub(t0))
					delete(sent, a.EnvelopeID)
					if len(lat) == b.N {
						close(all)
					}
				}
			})
			interval := time.Second / time.Duration(rate)
			b.ResetTimer()
			start := time.Now()
			for i := range b.N {
				// Pace against the schedule, not the previous send, so a
				// slow moment is followed by a catch-up burst, as in life.
				if d := time.Until(start.Add(time.Duration(i) * interval)); d > 0 {
					time.Sleep(d)
				}
				mu.Lock()
				// Record the send time before the envelope can be acked.
				id := fmt.Sprintf("env-%d", i+1)
				sent[id] = time.Now()
				mu.Unlock()
				d := fake.UserMessage("C1", fmt.Sprintf("U%04d", i%500), "a thread reply of about the size people write, give or take", benchThread, false)
				if d.EnvelopeID != id {
					b.Fatalf("envelope IDs out of step: %s vs %s", d.EnvelopeID, id)
				}
			}
			select {
			case <-all:
			case <-time.After(30 * time.Second):
				b.Fatalf("only %d of %d acks arrived", len(lat), b.N)
			}
			elapsed := time.Since(start)
			b.StopTimer()
			n, err := db.CountReplies()
			if err != nil || n != b.N {
				b.Fatalf("stored replies = %d (%v); want %d: lost or doubled", n, err, b.N)
			}
			slices.Sort(lat)
			b.ReportMetric(float64(lat[len(lat)/2].Microseconds()), "p50-µs")
			b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds()), "p99-µs")
			b.ReportMetric(float64(lat[len(lat)-1].Microseconds()), "max-µs")
			b.ReportMetric(float64(b.N)/elapsed.Seconds(), "replies/s")
		})
	}
}

// benchRates are the envelope rates to measure; PREPBOT_BENCH_RATES
// (comma-separated) overrides the service-level pair.
func benchRates() []int {
	v := os.Getenv("PREPBOT_BENCH_RATES")
	if v == "" {
		return []int{1000, 6000}
	}
	var out []int
	for _, f := range strings.Split(v, ",") {
		if n, err := strconv.Atoi(strings.TrimSpace(f)); err == nil && n > 0 {
			out = append(out, n)
		}
	}
	return out
}
