package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/prepbot/prepbot/internal/slacktest"
	"github.com/prepbot/prepbot/questions"
	"github.com/prepbot/prepbot/store"
)

// seedPost stores a question-of-the-day post so the bot records its thread.
func seedPost(t *testing.T, dbPath, channel, ts string) {
	t.Helper()
	db, err := store.Open(dbPath, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.SavePost(context.Background(), store.Post{Channel: channel, TS: ts, QuestionID: "deployment/blue-green", PostedAt: time.Now()}); err != nil {
		t.Fatal(err)
	}
}

func replies(t *testing.T, dbPath, channel, ts string) map[string]string {
	t.Helper()
	db, err := store.Open(dbPath, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rs, err := db.Replies(channel, ts)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, r := range rs {
		if _, dup := out[r.TS]; dup {
			t.Errorf("reply %s stored twice", r.TS)
		}
		out[r.TS] = r.User + ":" + r.Text
	}
	return out
}

func TestThreadRepliesAreRecordedExactlyOnce(t *testing.T) {
	t.Parallel()
	fake := newFake(t)
	dbPath := filepath.Join(t.TempDir(), "prepbot.db")
	const thread = "1700000000.000100"
	seedPost(t, dbPath, "C1", thread)
	h := startBot(t, fake, dbPath)
	ctx, cancel := context.WithTimeout(context.Background(), patience)
	defer cancel()
	wait := func(d slacktest.Delivery) {
		t.Helper()
		if _, err := fake.WaitAck(ctx, d.EnvelopeID); err != nil {
			t.Fatalf("envelope %s not acknowledged: %v\nlogs:\n%s", d.EnvelopeID, err, h.logs)
		}
	}

	a := fake.UserMessage("C1", "U1", "Two environments, switch the router.", thread, false)
	wait(a)
	b := fake.UserMessage("C1", "U2", "first try", thread, false)
	wait(b)
	bc := fake.UserMessage("C1", "U2", "broadcast answer <!channel>", thread, true)
	wait(bc)
	wait(fake.UserMessage("C1", "U1", "not in the thread", "", false))
	wait(fake.UserMessage("C1", "U1", "in another thread", "1600000000.000001", false))
	wait(fake.BotMessage("C1", "B0OTHER", "another bot's reply", thread))
	// Slack retries an event whose ack was late: same event_id, new envelope.
	re, err := fake.Redeliver(a.EnvelopeID)
	if err != nil {
		t.Fatal(err)
	}
	wait(slacktest.Delivery{EnvelopeID: re})
	ed, err := fake.EditMessage("C1", b.TS, "second try, better")
	if err != nil {
		t.Fatal(err)
	}
	wait(ed)
	del, err := fake.DeleteMessage("C1", bc.TS)
	if err != nil {
		t.Fatal(err)
	}
	wait(del)
	h.stop()

	got := replies(t, dbPath, "C1", thread)
	want := map[string]string{a.TS: "U1:Two environments, switch the router.", b.TS: "U2:second try, better"}
	if len(got) != len(want) {
		t.Fatalf("stored replies = %v; want %v", got, want)
	}
	for ts, w := range want {
		if got[ts] != w {
			t.Errorf("reply %s = %q; want %q", ts, got[ts], w)
		}
	}
}

func TestReconnectsAfterDropAndDisconnect(t *testing.T) {
	t.Parallel()
	fake := newFake(t)
	h := startBot(t, fake, filepath.Join(t.TempDir(), "prepbot.db"))
	ctx, cancel := context.WithTimeout(context.Background(), patience)
	defer cancel()

	n := fake.Connections()
	fake.DropConnections()
	// Sent while the socket is down: Slack holds it for the next connection.
	env := fake.SlashCommand("U1", "C1", "help")
	if err := fake.WaitConnected(ctx, n+1); err != nil {
		t.Fatalf("no reconnect after a dropped socket: %v\nlogs:\n%s", err, h.logs)
	}
	if _, err := fake.WaitAck(ctx, env); err != nil {
		t.Fatalf("command sent during the outage never acknowledged: %v", err)
	}
	fake.Disconnect("refresh_requested")
	if err := fake.WaitConnected(ctx, n+2); err != nil {
		t.Fatalf("no reconnect after disconnect: %v", err)
	}
	env2 := fake.SlashCommand("U2", "C1", "help")
	if _, err := fake.WaitAck(ctx, env2); err != nil {
		t.Fatal(err)
	}
	waitFor(t, fake, "two answers", func() bool { return len(fake.Responses()) >= 2 })
	// A doubled answer would come from an envelope handled twice across the
	// reconnects. Before counting, have the bot answer one more command sent
	// after everything else: its answer comes after any double.
	env3 := fake.SlashCommand("U1", "C1", "help")
	if _, err := fake.WaitAck(ctx, env3); err != nil {
		t.Fatal(err)
	}
	waitFor(t, fake, "the third answer", func() bool { return len(fake.Responses()) >= 3 })
	if got := len(fake.Responses()); got != 3 {
		t.Errorf("answers = %d; want 3 (one per command, none doubled)", got)
	}
	if code, _ := h.get("/healthz"); code != 200 {
		t.Errorf("/healthz after reconnect = %d; want 200", code)
	}
	_, metrics := h.get("/metrics")
	if !strings.Contains(metrics, "prepbot_reconnects_total 2") {
		t.Errorf("/metrics does not count 2 reconnects:\n%s", grep(metrics, "reconnects"))
	}
}

func grep(s, sub string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, sub) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

func TestHealthzReportsDisconnected(t *testing.T) {
	t.Parallel()
	fake := newFake(t)
	h := startBot(t, fake, filepath.Join(t.TempDir(), "prepbot.db"))
	// Refuse reconnection for a while: apps.connections.open fails.
	for range 50 {
		fake.FailNext("apps.connections.open", 503, 0, "")
	}
	fake.DropConnections()
	deadline := time.Now().Add(patience)
	for {
		code, body := h.get("/healthz")
		if code == 503 && strings.Contains(body, "not connected") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("/healthz = %d %q; want 503 naming the socket", code, body)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestRateLimitIsWaitedOutAndPostsOnce(t *testing.T) {
	t.Parallel()
	fake := newFake(t)
	h := startBot(t, fake, filepath.Join(t.TempDir(), "prepbot.db"))
	fake.FailNext("chat.postMessage", 429, 1, "")
	fake.UserMessage("DU1", "U1", "hello", "", false)
	waitFor(t, fake, "the DM answer", func() bool { return len(fake.Messages("DU1")) == 2 && len(fake.Calls("chat.postMessage")) == 2 })
	calls := fake.Calls("chat.postMessage")
	if len(calls) != 2 || calls[0].Status != 429 || calls[1].Status != 200 {
		t.Fatalf("chat.postMessage calls = %+v; want a 429 then one success", calls)
	}
	if wait := calls[1].At.Sub(calls[0].At); wait < 900*time.Millisecond {
		t.Errorf("retried after %v; want Retry-After (1 s) respected", wait)
	}
	_, metrics := h.get("/metrics")
	if !strings.Contains(metrics, `prepbot_slack_api_calls_total{method="chat.postMessage",outcome="http_429"} 1`) {
		t.Errorf("/metrics lacks the 429:\n%s", grep(metrics, "chat.postMessage"))
	}
	// A second post of the first answer could come later than the wait
	// above: have the bot answer one more DM, sent after it, then count.
	fake.UserMessage("DU1", "U1", "hello again", "", false)
	waitFor(t, fake, "the second DM answer", func() bool { return len(fake.Messages("DU1")) >= 4 })
	if n, calls := len(fake.Messages("DU1")), fake.Calls("chat.postMessage"); n != 4 || len(calls) != 3 {
		t.Errorf("after a second DM: %d messages and %d chat.postMessage calls; want 4 and 3 (the first answer posted once)", n, len(calls))
	}
}

func TestSlowSlackNeverDelaysAcks(t *testing.T) {
	t.Parallel()
	fake := newFake(t)
	h := startBot(t, fake, filepath.Join(t.TempDir(), "prepbot.db"))
	// Longer than the wait for the ack below: an ack that waited for a post
	// could not come in time.
	fake.SetDelay("chat.postMessage", time.Hour)
	// Ten DMs whose answers are stuck on a slow Web API...
	for i := range 10 {
		fake.UserMessage("DU1", "U1", "hi "+string(rune('a'+i)), "", false)
	}
	// ...must not hold up the ack of a command sent after them.
	env := fake.SlashCommand("U1", "C1", "help")
	ctx, cancel := context.WithTimeout(context.Background(), patience)
	defer cancel()
	if _, err := fake.WaitAck(ctx, env); err != nil {
		t.Fatal(err)
	}
	if n := len(fake.Calls("chat.postMessage")); n != 0 {
		t.Errorf("a slow chat.postMessage answered before the ack: %d calls done; the ack waited for it", n)
	}
	// Closing the fake ends the stuck calls, so that the bot stops at once
	// instead of waiting out its shutdown grace for them.
	fake.Close()
	h.stop()
}

func TestBackupWhileRunningAndStopped(t *testing.T) {
	t.Parallel()
	fake := newFake(t)
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "prepbot.db")
	seedPost(t, dbPath, "C1", "1700000000.000100")
	h := startBot(t, fake, dbPath)
	ctx, cancel := context.WithTimeout(context.Background(), patience)
	defer cancel()
	if _, err := fake.WaitAck(ctx, fake.UserMessage("C1", "U1", "an answer", "1700000000.000100", false).EnvelopeID); err != nil {
		t.Fatal(err)
	}

	for _, phase := range []string{"from the running bot", "from the file"} {
		if phase == "from the file" {
			h.stop()
		}
		out := filepath.Join(dir, strings.ReplaceAll(phase, " ", "-")+".db")
		var stdout, stderr bytes.Buffer
		err := run(ctx, []string{"backup", "--db", dbPath, out}, func(string) string { return "" }, nil, &stdout, &stderr)
		if err != nil {
			t.Fatalf("backup %s: %v (%s)", phase, err, stderr.String())
		}
		if !strings.Contains(stdout.String(), phase) {
			t.Errorf("backup said %q; want it to say %q", stdout.String(), phase)
		}
		if got := replies(t, out, "C1", "1700000000.000100"); len(got) != 1 {
			t.Errorf("backup %s holds %d replies; want 1", phase, len(got))
		}
	}
	if fi, err := os.Stat(dbPath + ".sock"); err == nil {
		t.Errorf("socket still there after stop: %v", fi.Mode())
	}
}

func TestControlSocketIsPrivate(t *testing.T) {
	t.Parallel()
	fake := newFake(t)
	dbPath := filepath.Join(t.TempDir(), "prepbot.db")
	startBot(t, fake, dbPath)
	fi, err := os.Stat(dbPath + ".sock")
	if err != nil {
		t.Fatal(err)
	}
	if perm := fi.Mode().Perm(); perm != 0o600 {
		t.Errorf("control socket mode = %v; want 0600", perm)
	}
}

func TestTokensNeverReachLogs(t *testing.T) {
	t.Parallel()
	fake, err := slacktest.New(slacktest.Options{AppToken: secretApp, BotToken: secretBot, PingInterval: time.Second, RateLimits: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { closeFake(fake) })
	fake.AddUser(slacktest.User{ID: "U1"})
	fake.AddChannel(slacktest.Channel{ID: "C1", Name: "c", BotMember: true})
	h := startBot(t, fake, filepath.Join(t.TempDir(), "prepbot.db"))
	h.env["PREPBOT_LOG_FORMAT"] = "json"
	fake.SlashCommand("U1", "C1", "help")
	fake.SlashCommand("U1", "C1", "bogus <!channel>")
	fake.UserMessage("DU1", "U1", "hi", "", false)
	fake.FailNext("chat.postMessage", 500, 0, "")
	fake.UserMessage("DU1", "U1", "again", "", false)
	fake.DropConnections()
	waitFor(t, fake, "activity", func() bool { return len(fake.Responses()) == 2 && len(fake.Calls("chat.postMessage")) >= 2 })
	h.stop()
	logs := h.logs.String()
	if !strings.Contains(logs, "level=DEBUG") {
		t.Fatalf("debug logs missing; the scan would prove nothing:\n%s", logs)
	}
	for _, secret := range []string{secretApp, secretBot, "SECRET"} {
		if strings.Contains(logs, secret) {
			t.Errorf("logs contain a token (%q)", secret)
		}
	}
}

// TestBinary runs prepbot as a process (main, signals and exit status
// included) against the fake: it connects, answers, serves /healthz, and
// exits 0 on SIGTERM with a clean database.
func TestBinary(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	fake := newFake(t)
	dbPath := filepath.Join(dir, "prepbot.db")
	port := freePort(t)
	cmd := prepbotCommand(t, []string{
		"SLACK_APP_TOKEN=" + fake.AppToken(), "SLACK_BOT_TOKEN=" + fake.BotToken(),
		"SLACK_API_URL=" + fake.APIURL(), "PREPBOT_DB=" + dbPath, "PREPBOT_HTTP_ADDR=" + port,
	}, "run")
	var logs syncBuffer
	cmd.Stderr = &logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	ctx, cancel := context.WithTimeout(context.Background(), patience)
	defer cancel()
	if err := fake.WaitConnected(ctx, 1); err != nil {
		t.Fatalf("binary did not connect: %v\n%s", err, logs.String())
	}
	h := &harness{t: t, http: port}
	waitHealthy(t, h)
	fake.SlashCommand("U1", "C1", "help")
	waitFor(t, fake, "answer", func() bool { return len(fake.Responses()) == 1 })

	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	select {
	case err := <-exited:
		if err != nil {
			t.Fatalf("exit after SIGTERM: %v\n%s", err, logs.String())
		}
	case <-time.After(5 * time.Second):
		t.Fatalf("no exit within 5 s of SIGTERM\n%s", logs.String())
	}
	db, err := store.Open(dbPath, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Check(); err != nil {
		t.Errorf("database after SIGTERM: %v", err)
	}
}

func waitHealthy(t *testing.T, h *harness) {
	t.Helper()
	deadline := time.Now().Add(patience)
	for {
		code, body := h.get("/healthz")
		if code == 200 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("/healthz = %d %q", code, body)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestQuestionsExportAndReportsWhileRunningAndStopped(t *testing.T) {
	t.Parallel()
	bank, err := questions.Default()
	if err != nil {
		t.Fatal(err)
	}
	fake := newFake(t)
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "prepbot.db")
	h := startBot(t, fake, dbPath)
	for _, phase := range []string{"running", "stopped"} {
		if phase == "stopped" {
			h.stop()
		}
		out := filepath.Join(dir, "export-"+phase)
		var stdout, stderr bytes.Buffer
		if err := run(context.Background(), []string{"questions", "export", "--db", dbPath, out}, func(string) string { return "" }, nil, &stdout, &stderr); err != nil {
			t.Fatalf("export (%s): %v %s", phase, err, stderr.String())
		}
		// The export is a bank that lints clean and holds the whole bank.
		stdout.Reset()
		if err := run(context.Background(), []string{"questions", "lint", out}, func(string) string { return "" }, nil, &stdout, &stderr); err != nil {
			t.Fatalf("lint of the export (%s): %v\n%s", phase, err, stdout.String())
		}
		if want := fmt.Sprintf("ok: %d questions", bank.Len()); !strings.Contains(stdout.String(), want) {
			t.Errorf("export (%s) lint = %q; want %q (the whole embedded bank)", phase, stdout.String(), want)
		}
		stdout.Reset()
		if err := run(context.Background(), []string{"questions", "reports", "--db", dbPath}, func(string) string { return "" }, nil, &stdout, &stderr); err != nil || !strings.Contains(stdout.String(), "no reports") {
			t.Errorf("reports (%s) = %q, %v", phase, stdout.String(), err)
		}
	}
}
