package main

import (
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"
)

// ackTimes is when the fake sent a thread reply and read its ack.
type ackTimes struct {
	id       string
	sent, at time.Time
}

// printBreakdown joins the fake's send and ack times of thread replies with
// the bot's own stage times (a -tags acktrace build writes them to
// PREPBOT_ACK_TRACE) and prints each stage's p50/p90/p99 and its mean over
// the slowest 1% of acks: where a durable ack's time goes.
func printBreakdown(r *results, botTrace string) {
	raw, err := os.ReadFile(botTrace)
	if err != nil {
		fmt.Println("breakdown:", err)
		return
	}
	bot := map[string][]int64{}
	for _, line := range strings.Split(string(raw), "\n") {
		f := strings.Fields(line)
		if len(f) != 7 {
			continue
		}
		ts := make([]int64, 0, 6)
		for _, x := range f[1:] {
			n, _ := strconv.ParseInt(x, 10, 64)
			ts = append(ts, n)
		}
		bot[f[0]] = ts
	}
	names := []string{"total", "inbound", "spawn", "queue", "commit", "wake", "ack", "outbound"}
	var rows [][]int64
	r.mu.Lock()
	for _, a := range r.replyTimes {
		b, ok := bot[a.id]
		if !ok {
			continue
		}
		arrived, started, cs, ce, returned, acked := b[0], b[1], b[2], b[3], b[4], b[5]
		sent, at := a.sent.UnixNano(), a.at.UnixNano()
		rows = append(rows, []int64{at - sent, arrived - sent, started - arrived, cs - started, ce - cs, returned - ce, acked - returned, at - acked})
	}
	r.mu.Unlock()
	if len(rows) == 0 {
		fmt.Println("breakdown: no replies matched (is the bot built with -tags acktrace?)")
		return
	}
	slices.SortFunc(rows, func(a, b []int64) int { return int(a[0] - b[0]) })
	slow := rows[len(rows)*99/100:]
	fmt.Printf("ack breakdown of %d thread replies (µs): stage p50 / p90 / p99 / mean of the slowest 1%%\n", len(rows))
	for i, name := range names {
		col := make([]int64, len(rows))
		for j, row := range rows {
			col[j] = row[i]
		}
		slices.Sort(col)
		var sum int64
		for _, row := range slow {
			sum += row[i]
		}
		q := func(p float64) int64 { return col[min(len(col)-1, int(float64(len(col))*p))] / 1000 }
		fmt.Printf("  %-8s %6d %6d %6d %6d\n", name, q(0.5), q(0.9), q(0.99), sum/int64(len(slow))/1000)
	}
}
