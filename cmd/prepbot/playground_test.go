package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// startPlayground runs `prepbot playground` in process and returns its URL,
// its stdout, and a stop function that cancels it (as Ctrl-C does) and
// returns run's error.
func startPlayground(t *testing.T, args ...string) (url string, stdout *syncBuffer, stop func() error) {
	t.Helper()
	ready := make(chan string, 1)
	stdout, logs := &syncBuffer{}, &syncBuffer{}
	ctx, cancel := context.WithCancel(withTestHooks(context.Background(), testHooks{playground: func(u string) { ready <- u }}))
	done := make(chan error, 1)
	env := map[string]string{"PREPBOT_LOG_LEVEL": "warn"}
	go func() {
		done <- run(ctx, append([]string{"playground", "--addr", "127.0.0.1:0"}, args...), func(k string) string { return env[k] }, nil, stdout, logs)
	}()
	select {
	case url = <-ready:
	case err := <-done:
		cancel()
		t.Fatalf("playground exited before serving: %v\nlogs:\n%s", err, logs)
	case <-time.After(patience):
		cancel()
		t.Fatalf("playground did not start\nlogs:\n%s", logs)
	}
	stopped := false
	stop = func() error {
		if stopped {
			return nil
		}
		stopped = true
		cancel()
		select {
		case err := <-done:
			return err
		case <-time.After(patience):
			t.Fatalf("playground did not stop within 10 s\nlogs:\n%s", logs)
			return nil
		}
	}
	t.Cleanup(func() { _ = stop() })
	return url, stdout, stop
}

func pgPost(t *testing.T, url, body string) {
	t.Helper()
	resp, err := http.Post(url, "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("POST %s %s = %s %s", url, body, resp.Status, b)
	}
}

func pgGet(t *testing.T, url string) string {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s = %s %s", url, resp.Status, b)
	}
	return string(b)
}

func TestPlaygroundServesAndStopsCleanly(t *testing.T) {
	t.Parallel()
	db := filepath.Join(t.TempDir(), "pg.db")
	url, stdout, stop := startPlayground(t, "--db", db)
	if want := "prepbot playground: open " + url + "\n"; stdout.String() != want {
		t.Errorf("stdout = %q; want %q", stdout.String(), want)
	}
	if !strings.HasPrefix(url, "http://127.0.0.1:") {
		t.Errorf("URL %q is not on 127.0.0.1", url)
	}
	if page := pgGet(t, url); !strings.Contains(page, "prepbot playground") {
		t.Errorf("the page lacks its title:\n%s", page)
	}
	// An open event stream must not hold the shutdown up.
	resp, err := http.Get(url + "api/events")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()

	pgPost(t, url+"api/command", `{"user":"UINES","channel":"CCOHORT","text":"schedule 0 9 * * *"}`)
	deadline := time.Now().Add(patience)
	// The confirmation too: jumping the clock before the bot has answered
	// the command would have it use the command's response_url an hour late.
	for {
		st := pgGet(t, url+"api/state?user=UINES")
		if strings.Contains(st, "next_post") && strings.Contains(st, "Schedule set") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the schedule never showed as a next post with its confirmation:\n%.2000s", st)
		}
		time.Sleep(20 * time.Millisecond)
	}
	pgPost(t, url+"api/clock", `{"action":"next"}`)
	if st := pgGet(t, url+"api/state?user=UADA"); !strings.Contains(st, "Question of the day") {
		t.Fatalf("no question of the day after Jump to next post:\n%.2000s", st)
	}

	start := time.Now()
	if err := stop(); err != nil {
		t.Fatalf("playground exited with %v after Ctrl-C", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("stopping took %v", d)
	}
	// The store was closed: the file opens again at once, and the
	// conversations were saved beside it.
	if _, err := os.Stat(db + ".playground.json"); err != nil {
		t.Errorf("conversations not saved: %v", err)
	}
	url2, _, stop2 := startPlayground(t, "--db", db)
	if st := pgGet(t, url2+"api/state?user=UADA"); !strings.Contains(st, "Question of the day") {
		t.Errorf("after a restart with --db the question of the day is gone:\n%.2000s", st)
	}
	if err := stop2(); err != nil {
		t.Fatal(err)
	}
}

func TestPlaygroundFlags(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"playground", "--addr", "0.0.0.0:8090"}, "not a loopback address"},
		{[]string{"playground", "--addr", "example.com:8090"}, "not a loopback address"},
		{[]string{"playground", "--addr", "8090"}, "not host:port"},
		{[]string{"playground", "extra"}, "takes no arguments"},
		{[]string{"playground", "--nope"}, "flag provided but not defined"},
	} {
		var stdout, stderr bytes.Buffer
		err := run(context.Background(), tc.args, func(string) string { return "" }, nil, &stdout, &stderr)
		var ue *usageError
		if !errors.As(err, &ue) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("run %q = %v; want a usage error containing %q", tc.args, err, tc.want)
		}
	}
	var stdout bytes.Buffer
	if err := run(context.Background(), []string{"playground", "-h"}, func(string) string { return "" }, nil, &stdout, io.Discard); err != nil || !strings.Contains(stdout.String(), "--db") {
		t.Errorf("playground -h = %v, %q", err, stdout.String())
	}
	if err := run(context.Background(), []string{"playground"}, func(k string) string {
		if k == "PREPBOT_TIMEZONE" {
			return "Mars/Olympus"
		}
		return ""
	}, nil, io.Discard, io.Discard); err == nil || !strings.Contains(err.Error(), "PREPBOT_TIMEZONE") {
		t.Errorf("a bad zone = %v; want an error naming PREPBOT_TIMEZONE", err)
	}
}
