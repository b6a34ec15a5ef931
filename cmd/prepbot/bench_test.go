package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// BenchmarkStartToConnected measures `prepbot run` in process from the call
// to the moment the fake sees its Socket Mode connection: config, store open
// (a new file), bank load, auth.test, apps.connections.open, WebSocket dial.
func BenchmarkStartToConnected(b *testing.B) {
	fake := newFakeB(b)
	dir := b.TempDir()
	var total time.Duration
	for i := range b.N {
		env := map[string]string{
			"SLACK_APP_TOKEN": fake.AppToken(), "SLACK_BOT_TOKEN": fake.BotToken(), "SLACK_API_URL": fake.APIURL(),
			"PREPBOT_DB": filepath.Join(dir, strconv.Itoa(i)+".db"), "PREPBOT_HTTP_ADDR": "off",
		}
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		before := fake.Connections()
		start := time.Now()
		go func() {
			done <- run(ctx, []string{"run"}, func(k string) string { return env[k] }, nil, os.Stdout, discard{})
		}()
		wctx, wcancel := context.WithTimeout(context.Background(), 10*time.Second)
		if err := fake.WaitConnected(wctx, before+1); err != nil {
			b.Fatal(err)
		}
		total += time.Since(start)
		wcancel()
		cancel()
		if err := <-done; err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(total.Microseconds())/float64(b.N), "µs-to-connected")
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }

// BenchmarkIdleRSS builds the binary, runs it against the fake, lets it
// settle connected and idle for a second, and reports its resident memory
// (VmRSS) in MB.
func BenchmarkIdleRSS(b *testing.B) {
	bin := prepbotBinary(b)
	dir := b.TempDir()
	fake := newFakeB(b)
	var sum float64
	for i := range b.N {
		cmd := exec.Command(bin, "run")
		cmd.Env = []string{
			"SLACK_APP_TOKEN=" + fake.AppToken(), "SLACK_BOT_TOKEN=" + fake.BotToken(), "SLACK_API_URL=" + fake.APIURL(),
			"PREPBOT_DB=" + filepath.Join(dir, strconv.Itoa(i)+".db"), "PREPBOT_HTTP_ADDR=127.0.0.1:0",
		}
		before := fake.Connections()
		if err := cmd.Start(); err != nil {
			b.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		if err := fake.WaitConnected(ctx, before+1); err != nil {
			b.Fatal(err)
		}
		cancel()
		time.Sleep(time.Second)
		rss, err := vmRSS(cmd.Process.Pid)
		if err != nil {
			b.Fatal(err)
		}
		sum += rss
		cmd.Process.Signal(os.Interrupt)
		cmd.Wait()
	}
	b.ReportMetric(sum/float64(b.N), "idle-RSS-MB")
}

// vmRSS reads a process's resident set size in MB from /proc.
func vmRSS(pid int) (float64, error) {
	status, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return 0, err
	}
	for _, line := range strings.Split(string(status), "\n") {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 64)
			return kb / 1024, err
		}
	}
	return 0, os.ErrNotExist
}
