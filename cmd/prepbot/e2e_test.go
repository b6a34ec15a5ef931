package main

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prepbot/prepbot/internal/slacktest"
	"github.com/prepbot/prepbot/store"
)

// syncBuffer is a bytes.Buffer safe for the bot's logger and the test.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

type harness struct {
	t      *testing.T
	slack  *slacktest.Server
	dbPath string
	env    map[string]string
	logs   *syncBuffer
	http   string
	cancel context.CancelFunc
	done   chan error
}

func newFake(t *testing.T) *slacktest.Server {
	t.Helper()
	return newFakeB(t)
}

func newFakeB(t testing.TB) *slacktest.Server {
	t.Helper()
	s, err := slacktest.New(slacktest.Options{PingInterval: time.Second, RateLimits: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		closeFake(s)
		if u := s.Unexpected(); len(u) > 0 {
			t.Errorf("Slack fake saw unexpected calls: %v", u)
		}
	})
	s.AddUser(slacktest.User{ID: "U1", Name: "ada"})
	s.AddUser(slacktest.User{ID: "U2", Name: "grace"})
	s.AddChannel(slacktest.Channel{ID: "C1", Name: "cohort-1", BotMember: true})
	return s
}

// closeFake closes the fake once the bot using it has stopped. The bot's
// Web API client is http.DefaultTransport: its idle connections are closed
// first, or the fake's graceful shutdown would wait seconds for connections
// that the transport dialed but never sent a request on.
func closeFake(s *slacktest.Server) {
	http.DefaultTransport.(*http.Transport).CloseIdleConnections()
	s.Close()
}

// startBot runs `prepbot run` in process against the fake and waits until
// it is connected.
func startBot(t *testing.T, fake *slacktest.Server, dbPath string) *harness {
	t.Helper()
	return newHarnessEnv(t, fake, dbPath, nil)
}

// newHarnessEnv is startBot with extra environment variables.
func newHarnessEnv(t *testing.T, fake *slacktest.Server, dbPath string, extra map[string]string) *harness {
	t.Helper()
	h := &harness{t: t, slack: fake, dbPath: dbPath, logs: &syncBuffer{}, done: make(chan error, 1)}
	h.env = map[string]string{
		"SLACK_APP_TOKEN":   fake.AppToken(),
		"SLACK_BOT_TOKEN":   fake.BotToken(),
		"SLACK_API_URL":     fake.APIURL(),
		"PREPBOT_DB":        dbPath,
		"PREPBOT_LOG_LEVEL": "debug",
	}
	for k, v := range extra {
		h.env[k] = v
	}
	ready := make(chan string, 1)
	ctx, cancel := context.WithCancel(withTestHooks(context.Background(), testHooks{ready: func(addr string) { ready <- addr }}))
	h.cancel = cancel
	before := fake.Connections()
	go func() {
		h.done <- run(ctx, []string{"run", "--http-addr", "127.0.0.1:0"}, func(k string) string { return h.env[k] }, nil, io.Discard, h.logs)
	}()
	select {
	case h.http = <-ready:
	case err := <-h.done:
		t.Fatalf("bot exited before serving: %v\nlogs:\n%s", err, h.logs)
	case <-time.After(patience):
		t.Fatalf("bot did not start\nlogs:\n%s", h.logs)
	}
	wctx, wcancel := context.WithTimeout(context.Background(), patience)
	defer wcancel()
	if err := fake.WaitConnected(wctx, before+1); err != nil {
		t.Fatalf("bot did not connect: %v\nlogs:\n%s", err, h.logs)
	}
	waitHealthy(t, h)
	t.Cleanup(func() { h.stop() })
	return h
}

// stop cancels the bot (as SIGTERM does) and waits for a clean exit.
func (h *harness) stop() {
	if h.cancel == nil {
		return
	}
	h.cancel()
	h.cancel = nil
	select {
	case err := <-h.done:
		if err != nil {
			h.t.Errorf("bot exited with %v", err)
		}
	case <-time.After(5 * time.Second):
		h.t.Fatalf("bot did not stop within 5 s\nlogs:\n%s", h.logs)
	}
}

func (h *harness) get(path string) (int, string) {
	h.t.Helper()
	resp, err := http.Get("http://" + h.http + path)
	if err != nil {
		h.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func waitFor(t *testing.T, fake *slacktest.Server, what string, cond func() bool) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), patience)
	defer cancel()
	if err := fake.WaitFor(ctx, cond); err != nil {
		t.Fatalf("waiting for %s: %v", what, err)
	}
}

func TestRunConnectsServesHealthAndStopsCleanly(t *testing.T) {
	t.Parallel()
	fake := newFake(t)
	dbPath := filepath.Join(t.TempDir(), "prepbot.db")
	h := startBot(t, fake, dbPath)

	if code, body := h.get("/healthz"); code != http.StatusOK {
		t.Errorf("GET /healthz = %d %q; want 200", code, body)
	}
	env := fake.SlashCommand("U1", "C1", "help")
	waitFor(t, fake, "help answer", func() bool { return len(fake.Responses()) == 1 })
	r := fake.Responses()[0]
	if text, _ := r.Body["text"].(string); !strings.Contains(text, "/prep ask") {
		t.Errorf("help answer = %q; want usage mentioning /prep ask", text)
	}
	if rt := r.Body["response_type"]; rt != "ephemeral" {
		t.Errorf("help response_type = %v; want ephemeral", rt)
	}
	ctx, cancel := context.WithTimeout(context.Background(), patience)
	defer cancel()
	if _, err := fake.WaitAck(ctx, env); err != nil {
		t.Errorf("slash command envelope %s not acknowledged: %v", env, err)
	}
	_, metrics := h.get("/metrics")
	for _, want := range []string{`prepbot_envelopes_total{type="slash_commands"} 1`, `prepbot_ack_seconds_bucket`, `prepbot_slack_api_calls_total{method="auth.test",outcome="ok"} 1`} {
		if !strings.Contains(metrics, want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}

	h.stop()
	db, err := store.Open(dbPath, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatalf("reopen after shutdown: %v", err)
	}
	defer db.Close()
	if err := db.Check(); err != nil {
		t.Errorf("database after shutdown: %v", err)
	}
	if _, err := os.Stat(dbPath + ".sock"); !os.IsNotExist(err) {
		t.Errorf("control socket left behind after shutdown (stat err %v)", err)
	}
}

func freePort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}
