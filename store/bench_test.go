package store_test

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/prepbot/prepbot/store"
)

// BenchmarkSaveReply measures one durable reply write (fsync on) with 1 and
// with 64 concurrent writers; concurrent writes share commits. Replies come
// from 500 people, as in the load tool, so each commit also rewrites one
// person's reply times.
func BenchmarkSaveReply(b *testing.B) {
	for _, writers := range []int{1, 64} {
		b.Run(fmt.Sprintf("writers=%d", writers), func(b *testing.B) {
			db, err := store.Open(filepath.Join(b.TempDir(), "bench.db"), store.Options{})
			if err != nil {
				b.Fatal(err)
			}
			defer db.Close()
			ctx := context.Background()
			var mu sync.Mutex
			lat := make([]time.Duration, 0, b.N)
			var wg sync.WaitGroup
			next := make(chan int)
			b.ResetTimer()
			for range writers {
				wg.Go(func() {
					for i := range next {
						t0 := time.Now()
						_, err := db.SaveReply(ctx, store.Reply{
							Channel: "C1", ThreadTS: "1700000000.000100", TS: fmt.Sprintf("1700000001.%06d", i),
							User: fmt.Sprintf("U%03d", i%500), Text: "a reply of ordinary length for a thread answer",
							At: time.Unix(1700000000+int64(i), 0),
						})
						if err != nil {
							b.Error(err)
						}
						mu.Lock()
						lat = append(lat, time.Since(t0))
						mu.Unlock()
					}
				})
			}
			for i := range b.N {
				next <- i
			}
			close(next)
			wg.Wait()
			b.StopTimer()
			slices.Sort(lat)
			b.ReportMetric(float64(lat[len(lat)/2].Microseconds()), "p50-µs")
			b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds()), "p99-µs")
		})
	}
}

// BenchmarkPracticeRound measures the store work of one DM practice round
// (ask: set the state; answer: take it; rate: review the card) without the
// fsync wait (NoSync), which the service level excludes.
func BenchmarkPracticeRound(b *testing.B) {
	db, err := store.Open(filepath.Join(b.TempDir(), "bench.db"), store.Options{NoSync: true})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	now := time.Now()
	b.ResetTimer()
	for i := range b.N {
		user := fmt.Sprintf("U%04d", i%500)
		qid := fmt.Sprintf("databases/q%03d", i%200)
		if err := db.SetPractice(ctx, user, store.Practice{Awaiting: qid, AskedAt: now, DM: "D" + user}); err != nil {
			b.Fatal(err)
		}
		if _, _, err := db.TakeAnswer(ctx, "", store.Answer{User: user, Text: "an answer of ordinary length for a practice round", At: now.Add(time.Duration(i))}); err != nil {
			b.Fatal(err)
		}
		if _, err := db.RateCard(ctx, user, qid, store.Review{At: now, Rating: "good", Nonce: fmt.Sprint(i)}, func(c store.Card) store.Card {
			c.Stability, c.Difficulty, c.Due, c.State = 3.2, 5.1, now.Add(72*time.Hour), "review"
			return c
		}); err != nil {
			b.Fatal(err)
		}
		if _, err := db.Cards(user); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkUserReplyTimes reads one user's thread reply times from a store
// holding 200,000 replies by 2,000 users (a year of about 20 busy cohorts):
// App Home and stats do it on every view.
func BenchmarkUserReplyTimes(b *testing.B) {
	db, err := store.Open(filepath.Join(b.TempDir(), "bench.db"), store.Options{NoSync: true})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	const total, users = 200_000, 2_000
	var wg sync.WaitGroup
	next := make(chan int)
	for range 64 {
		wg.Go(func() {
			for i := range next {
				thread := fmt.Sprintf("17%08d.000100", i/30) // 30 replies per question
				r := store.Reply{Channel: fmt.Sprintf("C%03d", i%50), ThreadTS: thread, TS: fmt.Sprintf("1700000001.%06d", i),
					User: fmt.Sprintf("U%05d", i%users), Text: "an answer of ordinary length for a question of the day, about two lines in Slack", At: time.Unix(1700000000+int64(i), 0)}
				if _, err := db.SaveReply(ctx, r); err != nil {
					b.Error(err)
				}
			}
		})
	}
	for i := range total {
		next <- i
	}
	close(next)
	wg.Wait()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		got, err := db.UserReplyTimes(fmt.Sprintf("U%05d", i%users))
		if err != nil || len(got) != total/users {
			b.Fatalf("UserReplyTimes = %d replies, %v; want %d", len(got), err, total/users)
		}
	}
}

// BenchmarkForgetUser forgets people from a store of 100,000 replies by
// 2,000 of them. Finding a person's replies reads them all, outside the
// write transaction; commit-µs is how long the write transaction (which
// every ack waits behind) took, fsync off.
func BenchmarkForgetUser(b *testing.B) {
	var mu sync.Mutex
	var commits []time.Duration
	db, err := store.Open(filepath.Join(b.TempDir(), "bench.db"), store.Options{NoSync: true, OnCommit: func(d time.Duration, _ int) {
		mu.Lock()
		commits = append(commits, d)
		mu.Unlock()
	}})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	const total, users = 100_000, 2_000
	var wg sync.WaitGroup
	next := make(chan int)
	for range 64 {
		wg.Go(func() {
			for i := range next {
				r := store.Reply{Channel: fmt.Sprintf("C%03d", i%50), ThreadTS: fmt.Sprintf("17%08d.000100", i/30), TS: fmt.Sprintf("1700000001.%06d", i),
					User: fmt.Sprintf("U%05d", i%users), Text: "an answer of ordinary length for a question of the day, about two lines in Slack", At: time.Unix(1700000000+int64(i), 0)}
				if _, err := db.SaveReply(ctx, r); err != nil {
					b.Error(err)
				}
			}
		})
	}
	for i := range total {
		next <- i
	}
	close(next)
	wg.Wait()
	mu.Lock()
	commits = commits[:0]
	mu.Unlock()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		f, err := db.ForgetUser(ctx, fmt.Sprintf("U%05d", i%users))
		if err != nil || i < users && f.Replies != total/users {
			b.Fatalf("ForgetUser = %+v, %v; want %d replies", f, err, total/users)
		}
	}
	b.StopTimer()
	slices.Sort(commits)
	b.ReportMetric(float64(commits[len(commits)/2].Microseconds()), "commit-p50-µs")
	b.ReportMetric(float64(commits[len(commits)-1].Microseconds()), "commit-max-µs")
}
