package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// countStored opens the database (bot stopped) and counts thread replies,
// failing on any stored twice.
func countStored(t *testing.T, dbPath, thread string) int {
	t.Helper()
	return len(replies(t, dbPath, "C1", thread))
}

func TestSocketDropMidBurstLosesAndDoublesNothing(t *testing.T) {
	t.Parallel()
	fake := newFake(t)
	dbPath := filepath.Join(t.TempDir(), "prepbot.db")
	const thread = "1700000000.000100"
	seedPost(t, dbPath, "C1", thread)
	h := startBot(t, fake, dbPath)
	const n = 400
	for i := range n {
		if i == n/2 {
			fake.DropConnections()
		}
		fake.UserMessage("C1", fmt.Sprintf("U%03d", i%50), fmt.Sprintf("reply %d", i), thread, false)
	}
	ctx, cancel := context.WithTimeout(context.Background(), patience)
	defer cancel()
	if err := fake.WaitFor(ctx, func() bool { return len(fake.Unacked()) == 0 }); err != nil {
		t.Fatalf("%d envelopes never acknowledged", len(fake.Unacked()))
	}
	if fake.Connections() < 2 {
		t.Fatalf("the socket was not dropped (connections %d)", fake.Connections())
	}
	h.stop()
	if got := countStored(t, dbPath, thread); got != n {
		t.Errorf("stored %d replies after a mid-burst drop; want exactly %d", got, n)
	}
}

// TestKillDuringBurstThenRedelivery kills the prepbot process with SIGKILL in
// the middle of a reply burst, restarts it, and lets the fake redeliver
// what was never acknowledged, as Slack does: each reply is stored exactly
// once, because an ack is sent only after the reply's commit.
func TestKillDuringBurstThenRedelivery(t *testing.T) {
	if testing.Short() {
		t.Skip("a burst of 3000 envelopes across a killed process")
	}
	t.Parallel()
	dir := t.TempDir()
	fake := newFake(t)
	dbPath := filepath.Join(dir, "prepbot.db")
	const thread = "1700000000.000100"
	seedPost(t, dbPath, "C1", thread)
	start := func() *exec.Cmd {
		cmd := prepbotCommand(t, []string{"SLACK_APP_TOKEN=" + fake.AppToken(), "SLACK_BOT_TOKEN=" + fake.BotToken(),
			"SLACK_API_URL=" + fake.APIURL(), "PREPBOT_DB=" + dbPath, "PREPBOT_HTTP_ADDR=off"}, "run")
		before := fake.Connections()
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), patience)
		defer cancel()
		if err := fake.WaitConnected(ctx, before+1); err != nil {
			t.Fatal(err)
		}
		return cmd
	}
	first := start()
	const n = 3000
	killedAt := -1
	for i := range n {
		d := fake.UserMessage("C1", fmt.Sprintf("U%03d", i%500), fmt.Sprintf("answer %d", i), thread, false)
		if i == n/2 {
			// Kill once some acks are in and the burst is mid-flight.
			ctx, cancel := context.WithTimeout(context.Background(), patience)
			if _, err := fake.WaitAck(ctx, d.EnvelopeID); err != nil {
				t.Fatal(err)
			}
			cancel()
			if err := first.Process.Signal(syscall.SIGKILL); err != nil {
				t.Fatal(err)
			}
			first.Wait()
			killedAt = i
		}
	}
	unackedAtKill := len(fake.Unacked())
	second := start()
	defer func() {
		second.Process.Signal(os.Interrupt)
		second.Wait()
	}()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := fake.WaitFor(ctx, func() bool { return len(fake.Unacked()) == 0 }); err != nil {
		t.Fatalf("%d envelopes still unacknowledged after the restart", len(fake.Unacked()))
	}
	second.Process.Signal(os.Interrupt)
	if err := second.Wait(); err != nil {
		t.Fatalf("second run exit: %v", err)
	}
	if got := countStored(t, dbPath, thread); got != n {
		t.Errorf("stored %d replies; want exactly %d (killed at %d with %d unacknowledged)", got, n, killedAt, unackedAtKill)
	}
	t.Logf("killed after envelope %d; %d envelopes were redelivered after the restart", killedAt, unackedAtKill)
}

func TestRateLimitStormsOnSeveralMethods(t *testing.T) {
	t.Parallel()
	fake := newFake(t)
	h := startBot(t, fake, filepath.Join(t.TempDir(), "prepbot.db"))
	for range 3 {
		fake.FailNext("chat.postMessage", 429, 0, "")
		fake.FailNext("users.info", 429, 0, "")
		fake.FailNext("views.publish", 429, 0, "")
		fake.FailNext("chat.postMessage", 503, 0, "")
	}
	ctx, cancel := context.WithTimeout(context.Background(), patience)
	defer cancel()
	home := fake.AppHomeOpened("U1")
	dm1 := fake.UserMessage("DU1", "U1", "stats", "", false)
	for _, env := range []string{home.EnvelopeID, dm1.EnvelopeID} {
		if _, err := fake.WaitAck(ctx, env); err != nil {
			t.Fatal(err)
		}
	}
	if err := fake.WaitFor(ctx, func() bool { return fake.HomeView("U1") != nil }); err != nil {
		t.Fatalf("App Home never published through the 429s\n%s", h.logs)
	}
	// The 503 on chat.postMessage is not retried blindly (it could double a
	// post): the user gets the next answer. Send another DM.
	fake.UserMessage("DU1", "U1", "stats", "", false)
	if err := fake.WaitFor(ctx, func() bool {
		for _, m := range fake.Messages("DU1") {
			if m.BotID != "" {
				return true
			}
		}
		return false
	}); err != nil {
		t.Fatalf("no DM answer after the storm\n%s", h.logs)
	}
}
