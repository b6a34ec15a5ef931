package playground_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prepbot/prepbot/internal/playground"
)

// patience is how long a test waits for something that should happen soon.
// Only a failing run, or one starved of CPU (the race detector on a busy
// machine), waits that long; a passing run waits for the event itself.
const patience = 30 * time.Second

// start is a Monday morning, before the 09:00 question of the day.
var start = time.Date(2026, 11, 23, 8, 0, 0, 0, time.UTC)

// env is a running playground behind an httptest server, driven through
// its JSON API the way the page drives it.
type env struct {
	t    *testing.T
	pg   *playground.Playground
	srv  *httptest.Server
	logs *syncBuf
}

type syncBuf struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuf) Write(p []byte) (int, error) { s.mu.Lock(); defer s.mu.Unlock(); return s.b.Write(p) }
func (s *syncBuf) String() string              { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

// newEnv starts a playground on a database in dir (a fresh one if "").
func newEnv(t *testing.T, dir string) *env {
	t.Helper()
	if dir == "" {
		dir = t.TempDir()
	}
	logs := &syncBuf{}
	pg, err := playground.Start(context.Background(), playground.Options{
		DBPath: filepath.Join(dir, "playground.db"),
		Start:  start,
		Logger: slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
	})
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	srv := httptest.NewServer(pg.Handler())
	e := &env{t: t, pg: pg, srv: srv, logs: logs}
	t.Cleanup(func() {
		pg.EndStreams()
		srv.Close()
		if err := pg.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
		if u := pg.Slack().Unexpected(); len(u) > 0 {
			t.Errorf("the Slack fake saw unexpected calls: %v", u)
		}
	})
	return e
}

// state mirrors GET /api/state.
type state struct {
	Rev      int64      `json:"rev"`
	Now      time.Time  `json:"now"`
	NextPost *time.Time `json:"next_post"`
	Convs    []struct {
		ID       string            `json:"id"`
		Kind     string            `json:"kind"`
		Members  []string          `json:"members"`
		Messages []item            `json:"messages"`
		Threads  map[string][]item `json:"threads"`
	} `json:"conversations"`
	Home  json.RawMessage `json:"home"`
	Modal *struct {
		ID   string          `json:"id"`
		View json.RawMessage `json:"view"`
	} `json:"modal"`
}

type item struct {
	ID         string          `json:"id"`
	TS         string          `json:"ts"`
	User       string          `json:"user"`
	Bot        bool            `json:"bot"`
	Text       string          `json:"text"`
	Blocks     json.RawMessage `json:"blocks"`
	Ephemeral  bool            `json:"ephemeral"`
	ReplyCount int             `json:"reply_count"`
	File       *struct {
		ID    string `json:"id"`
		Image bool   `json:"image"`
	} `json:"file"`
}

func (i item) has(s string) bool { return strings.Contains(i.Text+string(i.Blocks), s) }

// messages returns the top-level items of a conversation kind ("channel"
// or "app").
func (s state) messages(kind string) []item {
	for _, c := range s.Convs {
		if c.Kind == kind {
			return c.Messages
		}
	}
	return nil
}

func (s state) thread(kind, ts string) []item {
	for _, c := range s.Convs {
		if c.Kind == kind {
			return c.Threads[ts]
		}
	}
	return nil
}

func find(items []item, pred func(item) bool) (item, bool) {
	for _, it := range items {
		if pred(it) {
			return it, true
		}
	}
	return item{}, false
}

func (e *env) get(user string) state {
	e.t.Helper()
	resp, err := http.Get(e.srv.URL + "/api/state?user=" + user)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(resp.Body)
		e.t.Fatalf("GET /api/state?user=%s: %s %s", user, resp.Status, b)
	}
	var s state
	if err := json.NewDecoder(resp.Body).Decode(&s); err != nil {
		e.t.Fatal(err)
	}
	return s
}

// post sends a JSON body and returns the status and the decoded answer.
func (e *env) post(path string, body any) (int, map[string]any) {
	e.t.Helper()
	b, _ := json.Marshal(body)
	resp, err := http.Post(e.srv.URL+path, "application/json", bytes.NewReader(b))
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&out)
	return resp.StatusCode, out
}

// do posts and fails the test unless the answer is 200 with ok true.
func (e *env) do(path string, body any) map[string]any {
	e.t.Helper()
	status, out := e.post(path, body)
	if status != http.StatusOK || out["ok"] != true {
		e.t.Fatalf("POST %s %v = %d %v", path, body, status, out)
	}
	return out
}

// wait polls user's state until cond holds.
func (e *env) wait(what, user string, cond func(state) bool) state {
	e.t.Helper()
	deadline := time.Now().Add(patience)
	for {
		s := e.get(user)
		if cond(s) {
			return s
		}
		if time.Now().After(deadline) {
			e.t.Fatalf("waiting for %s (as %s): never happened\nlast state: %+v\nlogs:\n%s", what, user, s, e.logs)
		}
		time.Sleep(15 * time.Millisecond)
	}
}

func TestAskIsEphemeralToItsUser(t *testing.T) {
	t.Parallel()
	e := newEnv(t, "")
	e.do("/api/command", map[string]any{"user": playground.Ada, "channel": playground.Cohort, "text": "/prep ask databases"})
	s := e.wait("the question", playground.Ada, func(s state) bool { return len(s.messages("channel")) == 1 })
	q := s.messages("channel")[0]
	if !q.Ephemeral || !q.has("prep_reveal") || !q.has("Databases") {
		t.Fatalf("/prep ask answered %+v; want an ephemeral databases question with a reveal button", q)
	}
	for _, other := range []string{playground.Grace, playground.Instructor} {
		if got := e.get(other).messages("channel"); len(got) != 0 {
			t.Errorf("%s sees %d message(s) in #cohort; Ada's ephemeral question is hers alone: %+v", other, len(got), got)
		}
	}

	var blocks []struct {
		Elements []struct {
			ActionID string `json:"action_id"`
			Value    string `json:"value"`
		} `json:"elements"`
	}
	if err := json.Unmarshal(q.Blocks, &blocks); err != nil {
		t.Fatal(err)
	}
	value := ""
	for _, b := range blocks {
		for _, el := range b.Elements {
			if el.ActionID == "prep_reveal" {
				value = el.Value
			}
		}
	}
	e.do("/api/click", map[string]any{"user": playground.Ada, "channel": playground.Cohort, "ts": q.TS, "action_id": "prep_reveal", "value": value, "ephemeral": true})
	s = e.wait("the answer", playground.Ada, func(s state) bool { return len(s.messages("channel")) == 2 })
	if a := s.messages("channel")[1]; !a.Ephemeral || !a.has("Reference answer") || !a.has("prep_rate_good") {
		t.Errorf("reveal answered %+v; want an ephemeral reference answer with rating buttons", a)
	}
	if got := e.get(playground.Grace).messages("channel"); len(got) != 0 {
		t.Errorf("Grace sees Ada's answer: %+v", got)
	}

	// Dismissing hides it for Ada.
	e.do("/api/dismiss", map[string]any{"user": playground.Ada, "id": q.ID})
	if got := e.get(playground.Ada).messages("channel"); len(got) != 1 || got[0].ID == q.ID {
		t.Errorf("after dismissing the question Ada sees %+v", got)
	}
}

// qotd schedules the question of the day as Ines, jumps the clock to it and
// returns the post.
func (e *env) qotd() item {
	e.t.Helper()
	e.do("/api/command", map[string]any{"user": playground.Instructor, "channel": playground.Cohort, "text": "schedule 0 9 * * *"})
	// The confirmation too: jumping the clock before the bot has answered
	// the command would have it use the command's response_url an hour late.
	s := e.wait("the schedule", playground.Instructor, func(s state) bool {
		_, confirmed := find(s.messages("channel"), func(i item) bool { return i.Ephemeral && i.has("Schedule set") })
		return s.NextPost != nil && confirmed
	})
	if want := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC); !s.NextPost.Equal(want) {
		e.t.Errorf("next_post = %v; want %v", s.NextPost, want)
	}
	out := e.do("/api/clock", map[string]any{"action": "next"})
	if now, _ := out["now"].(string); now != "2026-11-23T09:00:00Z" {
		e.t.Errorf("after Jump to next post the clock says %v; want 09:00", out["now"])
	}
	s = e.wait("the question of the day", playground.Ada, func(s state) bool {
		_, ok := find(s.messages("channel"), func(i item) bool { return !i.Ephemeral && i.has("Question of the day") })
		return ok
	})
	post, _ := find(s.messages("channel"), func(i item) bool { return i.has("Question of the day") })
	return post
}

func TestScheduleAndJumpPostQuestionOfTheDay(t *testing.T) {
	t.Parallel()
	e := newEnv(t, "")
	// A student may not schedule.
	e.do("/api/command", map[string]any{"user": playground.Ada, "channel": playground.Cohort, "text": "schedule 0 9 * * *"})
	e.wait("the refusal", playground.Ada, func(s state) bool {
		_, ok := find(s.messages("channel"), func(i item) bool { return i.has("Only this channel's admins") })
		return ok
	})
	if out := e.do("/api/clock", map[string]any{"action": "next"}); !strings.Contains(fmt.Sprint(out["note"]), "Nothing is scheduled") {
		t.Errorf("Jump with no schedule = %v; want a note that nothing is scheduled", out)
	}
	post := e.qotd()
	if post.User != "U0PREPBOT" || !post.Bot {
		t.Errorf("question of the day from %q (bot %v); want prepbot", post.User, post.Bot)
	}
	for _, u := range []string{playground.Instructor, playground.Grace} {
		if _, ok := find(e.get(u).messages("channel"), func(i item) bool { return i.TS == post.TS }); !ok {
			t.Errorf("%s does not see the question of the day", u)
		}
	}
	// The next post is tomorrow's; +1 hour and +1 day move the clock.
	if s := e.get(playground.Ada); s.NextPost == nil || !s.NextPost.Equal(time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)) {
		t.Errorf("next_post after the first slot = %v; want tomorrow 09:00", s.NextPost)
	}
	e.do("/api/clock", map[string]any{"action": "hour"})
	if s := e.get(playground.Ada); !s.Now.Equal(time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)) {
		t.Errorf("after +1 hour the clock says %v", s.Now)
	}
}

func TestThreadRepliesAndReveal(t *testing.T) {
	t.Parallel()
	e := newEnv(t, "")
	post := e.qotd()
	e.do("/api/message", map[string]any{"user": playground.Ada, "channel": playground.Cohort, "text": "Recursion: a function calling itself <until> a base case & stack depth", "thread_ts": post.TS})
	e.do("/api/message", map[string]any{"user": playground.Grace, "channel": playground.Cohort, "text": "Watch the stack!", "thread_ts": post.TS})
	s := e.wait("two replies", playground.Instructor, func(s state) bool { return len(s.thread("channel", post.TS)) == 2 })
	replies := s.thread("channel", post.TS)
	if replies[0].User != playground.Ada || replies[0].Text != "Recursion: a function calling itself &lt;until&gt; a base case &amp; stack depth" {
		t.Errorf("first reply = %+v; want Ada's text escaped as Slack's clients escape it", replies[0])
	}
	if top, _ := find(s.messages("channel"), func(i item) bool { return i.TS == post.TS }); top.ReplyCount != 2 {
		t.Errorf("the post shows %d replies; want 2", top.ReplyCount)
	}
	// A reply must go to a real thread.
	if status, _ := e.post("/api/message", map[string]any{"user": playground.Ada, "channel": playground.Cohort, "text": "x", "thread_ts": "123.456"}); status != http.StatusBadRequest {
		t.Errorf("reply to a missing thread = %d; want 400", status)
	}

	e.do("/api/command", map[string]any{"user": playground.Instructor, "channel": playground.Cohort, "text": "/prep reveal"})
	s = e.wait("the reveal", playground.Grace, func(s state) bool {
		_, ok := find(s.thread("channel", post.TS), func(i item) bool { return i.Bot && i.has("2 people answered: Ada and Grace.") })
		return ok
	})
	if _, ok := find(s.messages("channel"), func(i item) bool { return i.Ephemeral }); ok {
		t.Errorf("Grace sees an ephemeral message meant for Ines")
	}
}

func TestDMPracticeAndAppHome(t *testing.T) {
	t.Parallel()
	e := newEnv(t, "")
	dm := "D" + playground.Ada
	e.do("/api/message", map[string]any{"user": playground.Ada, "channel": dm, "text": "practice"})
	s := e.wait("the practice question", playground.Ada, func(s state) bool { return len(s.messages("app")) == 2 })
	if q := s.messages("app")[1]; !q.Bot || !q.has("Reply with your answer") {
		t.Fatalf("practice asked %+v", q)
	}
	e.do("/api/message", map[string]any{"user": playground.Ada, "channel": dm, "text": "My answer, as best I can."})
	s = e.wait("the reference answer", playground.Ada, func(s state) bool { return len(s.messages("app")) == 4 })
	ans := s.messages("app")[3]
	if !ans.has("prep_rate_good") {
		t.Fatalf("the answer has no rating buttons: %s", ans.Blocks)
	}
	var blocks []struct {
		Elements []struct {
			ActionID string `json:"action_id"`
			Value    string `json:"value"`
		} `json:"elements"`
	}
	_ = json.Unmarshal(ans.Blocks, &blocks)
	value := ""
	for _, b := range blocks {
		for _, el := range b.Elements {
			if el.ActionID == "prep_rate_good" {
				value = el.Value
			}
		}
	}
	e.do("/api/click", map[string]any{"user": playground.Ada, "channel": dm, "ts": ans.TS, "action_id": "prep_rate_good", "value": value})
	e.wait("the rating", playground.Ada, func(s state) bool {
		_, ok := find(s.messages("app"), func(i item) bool { return i.has("Rated *good*") })
		return ok
	})
	if got := e.get(playground.Grace).messages("app"); len(got) != 0 {
		t.Errorf("Grace sees %d message(s) of Ada's DM", len(got))
	}
	e.do("/api/home", map[string]any{"user": playground.Ada})
	s = e.wait("App Home", playground.Ada, func(s state) bool { return strings.Contains(string(s.Home), "*1* answered") })
	if !strings.Contains(string(s.Home), "prep_practice") {
		t.Errorf("App Home lacks the practice button: %s", s.Home)
	}
	// The Practice now button on App Home asks a new question in the DM.
	e.do("/api/click", map[string]any{"user": playground.Ada, "home": true, "action_id": "prep_practice"})
	e.wait("a question from App Home", playground.Ada, func(s state) bool {
		n := 0
		for _, m := range s.messages("app") {
			if m.has("Reply with your answer") {
				n++
			}
		}
		return n == 2
	})
}

func TestModalErrorsComeBackFromTheAck(t *testing.T) {
	t.Parallel()
	e := newEnv(t, "")
	e.do("/api/command", map[string]any{"user": playground.Instructor, "channel": playground.Cohort, "text": "add"})
	s := e.wait("the add modal", playground.Instructor, func(s state) bool { return s.Modal != nil })
	if !strings.Contains(string(s.Modal.View), `"prep_add"`) {
		t.Errorf("modal = %s; want the prep_add view", s.Modal.View)
	}
	if e.get(playground.Ada).Modal != nil {
		t.Errorf("Ada sees Ines's modal")
	}
	status, res := e.post("/api/submit", map[string]any{"user": playground.Instructor, "view_id": s.Modal.ID, "values": map[string]any{
		"topic": map[string]string{"topic": "no-such-topic"},
	}})
	if status != http.StatusOK || res["ok"] != false || res["errors"] == nil {
		t.Errorf("an invalid question = %d %v; want ok false with field errors", status, res)
	}
	e.do("/api/close", map[string]any{"user": playground.Instructor, "view_id": s.Modal.ID})
	e.wait("the modal closed", playground.Instructor, func(s state) bool { return s.Modal == nil })
}

func TestAPIRejectsBadInput(t *testing.T) {
	t.Parallel()
	e := newEnv(t, "")
	for _, tc := range []struct {
		name, path string
		body       string
		ctype      string
		want       int
	}{
		{"unknown user", "/api/command", `{"user":"UNOBODY","channel":"CCOHORT","text":"ask"}`, "", 400},
		{"the bot as user", "/api/message", `{"user":"U0PREPBOT","channel":"CCOHORT","text":"hi"}`, "", 400},
		{"another person's DM", "/api/message", `{"user":"UADA","channel":"DUGRACE","text":"hi"}`, "", 400},
		{"empty message", "/api/message", `{"user":"UADA","channel":"CCOHORT","text":"   "}`, "", 400},
		{"not /prep", "/api/command", `{"user":"UADA","channel":"CCOHORT","text":"/giphy cats"}`, "", 400},
		{"text too long", "/api/message", `{"user":"UADA","channel":"CCOHORT","text":"` + strings.Repeat("x", 4001) + `"}`, "", 400},
		{"form body", "/api/command", `user=UADA`, "application/x-www-form-urlencoded", 415},
		{"no content type", "/api/command", `{}`, "-", 415},
		{"unknown field", "/api/command", `{"user":"UADA","channel":"CCOHORT","text":"ask","x":1}`, "", 400},
		{"two values", "/api/home", `{"user":"UADA"}{"user":"UADA"}`, "", 400},
		{"not JSON", "/api/click", `{"user":`, "", 400},
		{"wrong types", "/api/click", `{"user":1}`, "", 400},
		{"click without action", "/api/click", `{"user":"UADA","channel":"CCOHORT","ts":"1.2"}`, "", 400},
		{"click without ts", "/api/click", `{"user":"UADA","channel":"CCOHORT","action_id":"prep_reveal"}`, "", 400},
		{"submit unknown view", "/api/submit", `{"user":"UADA","view_id":"M99","values":{}}`, "", 400},
		{"close unknown view", "/api/close", `{"user":"UADA","view_id":"M99"}`, "", 400},
		{"dismiss a message", "/api/dismiss", `{"user":"UADA","id":"1795.2"}`, "", 400},
		{"dismiss out of range", "/api/dismiss", `{"user":"UADA","id":"e999"}`, "", 400},
		{"bad clock action", "/api/clock", `{"action":"back"}`, "", 400},
		{"huge body", "/api/message", `{"user":"UADA","channel":"CCOHORT","text":"` + strings.Repeat("x", 300<<10) + `"}`, "", 400},
		{"invalid UTF-8", "/api/message", "{\"user\":\"UADA\",\"channel\":\"CCOHORT\",\"text\":\"\xff\"}", "", 200}, // decoded as U+FFFD by encoding/json
		{"GET on a POST", "/api/clock", "", "GET", 405},
	} {
		t.Run(tc.name, func(t *testing.T) {
			method := http.MethodPost
			if tc.ctype == "GET" {
				method = http.MethodGet
			}
			req, _ := http.NewRequest(method, e.srv.URL+tc.path, strings.NewReader(tc.body))
			switch tc.ctype {
			case "":
				req.Header.Set("Content-Type", "application/json")
			case "-", "GET":
			default:
				req.Header.Set("Content-Type", tc.ctype)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != tc.want {
				t.Errorf("POST %s = %d %s; want %d", tc.path, resp.StatusCode, b, tc.want)
			}
		})
	}
	for _, path := range []string{"/api/state", "/api/state?user=UNOBODY", "/api/file?user=UADA&id=F1"} {
		resp, err := http.Get(e.srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode/100 != 4 {
			t.Errorf("GET %s = %d; want a 4xx", path, resp.StatusCode)
		}
	}
	// A page elsewhere reaching the port through DNS rebinding is refused.
	req, _ := http.NewRequest(http.MethodGet, e.srv.URL+"/api/state?user=UADA", nil)
	req.Host = "evil.example:80"
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMisdirectedRequest {
		t.Errorf("foreign Host = %d; want 421", resp.StatusCode)
	}
}

func TestPageAndEvents(t *testing.T) {
	t.Parallel()
	e := newEnv(t, "")
	for path, want := range map[string]string{"/": "<title>prepbot playground</title>", "/static/app.js": "EventSource", "/static/mrkdwn.js": "function mrkdwn", "/static/app.css": ".bk-btn"} {
		resp, err := http.Get(e.srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || !strings.Contains(string(b), want) {
			t.Errorf("GET %s = %d, lacks %q", path, resp.StatusCode, want)
		}
		if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'self'") {
			t.Errorf("GET %s: Content-Security-Policy = %q", path, csp)
		}
	}

	ctx, cancel := context.WithTimeout(context.Background(), patience)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, e.srv.URL+"/api/events", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if ct := resp.Header.Get("Content-Type"); ct != "text/event-stream" {
		t.Fatalf("events Content-Type = %q", ct)
	}
	events := make(chan string, 16)
	go func() {
		sc := bufio.NewScanner(resp.Body)
		for sc.Scan() {
			if d, ok := strings.CutPrefix(sc.Text(), "data: "); ok {
				events <- d
			}
		}
		close(events)
	}()
	first := <-events
	e.do("/api/command", map[string]any{"user": playground.Grace, "channel": playground.Cohort, "text": "tips"})
	select {
	case rev, ok := <-events:
		if !ok || rev == first {
			t.Errorf("after a command the stream sent %q (open %v); want a new revision after %q", rev, ok, first)
		}
	case <-ctx.Done():
		t.Fatal("no changed event after a command")
	}
}

func TestRestartKeepsConversationsAndTime(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	e := newEnv(t, dir)
	post := e.qotd()
	e.do("/api/message", map[string]any{"user": playground.Ada, "channel": playground.Cohort, "text": "before the restart", "thread_ts": post.TS})
	// Ada's own view of the thread may also hold the bot's ephemeral
	// feedback on her answer: wait for the reply itself.
	e.wait("the reply", playground.Ada, func(s state) bool {
		_, ok := find(s.thread("channel", post.TS), func(i item) bool { return i.User == playground.Ada && i.Text == "before the restart" })
		return ok
	})
	e.pg.EndStreams()
	e.srv.Close()
	if err := e.pg.Close(); err != nil {
		t.Fatal(err)
	}

	e2 := newEnv(t, dir)
	s := e2.get(playground.Ada)
	if s.Now.Before(time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)) {
		t.Errorf("after a restart the clock went back to %v", s.Now)
	}
	if _, ok := find(s.messages("channel"), func(i item) bool { return i.TS == post.TS && i.ReplyCount == 1 }); !ok {
		t.Fatalf("after a restart #cohort lacks the question and its reply: %+v", s.messages("channel"))
	}
	// The bot still knows the thread: a reveal counts the reply from before.
	e2.do("/api/command", map[string]any{"user": playground.Instructor, "channel": playground.Cohort, "text": "reveal"})
	e2.wait("the reveal", playground.Ada, func(s state) bool {
		_, ok := find(s.thread("channel", post.TS), func(i item) bool { return i.has("1 person answered: Ada.") })
		return ok
	})
}

// conv is a conversation of the state by ID.
func (s state) conv(id string) (members []string, msgs []item, ok bool) {
	for _, c := range s.Convs {
		if c.ID == id {
			return c.Members, c.Messages, true
		}
	}
	return nil, nil, false
}

// groups returns the IDs of the group DMs the state's person sees.
func (s state) groups() []string {
	var ids []string
	for _, c := range s.Convs {
		if c.Kind == "group" {
			ids = append(ids, c.ID)
		}
	}
	return ids
}

// button finds the value of the button with actionID in a message's blocks.
func button(t *testing.T, it item, actionID string) (blockID, value string) {
	t.Helper()
	var blocks []struct {
		BlockID  string `json:"block_id"`
		Elements []struct {
			ActionID string `json:"action_id"`
			Value    string `json:"value"`
		} `json:"elements"`
	}
	if err := json.Unmarshal(it.Blocks, &blocks); err != nil {
		t.Fatalf("blocks of %s: %v", it.TS, err)
	}
	for _, b := range blocks {
		for _, el := range b.Elements {
			if el.ActionID == actionID {
				return b.BlockID, el.Value
			}
		}
	}
	t.Fatalf("message %s has no %s button: %s", it.TS, actionID, it.Blocks)
	return "", ""
}

// inputs lists a modal's input blocks: block ID -> element type.
func inputs(t *testing.T, view json.RawMessage) map[string]string {
	t.Helper()
	var v struct {
		Blocks []struct {
			Type    string `json:"type"`
			BlockID string `json:"block_id"`
			Element struct {
				Type string `json:"type"`
			} `json:"element"`
		} `json:"blocks"`
	}
	if err := json.Unmarshal(view, &v); err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, b := range v.Blocks {
		if b.Type == "input" {
			out[b.BlockID] = b.Element.Type
		}
	}
	return out
}

func TestMockRoundRunsInThePlayground(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	e := newEnv(t, dir)
	cmd := func(user, text string) {
		e.do("/api/command", map[string]any{"user": user, "channel": playground.Cohort, "text": text})
	}
	cmd(playground.Instructor, "mock on")
	e.wait("mock interviews on", playground.Instructor, func(s state) bool {
		_, ok := find(s.messages("channel"), func(i item) bool { return i.Ephemeral && i.has("Mock interview") })
		return ok
	})
	cmd(playground.Ada, "mock join")
	cmd(playground.Grace, "mock join")
	for _, u := range []string{playground.Ada, playground.Grace} {
		e.wait("joined", u, func(s state) bool {
			_, ok := find(s.messages("channel"), func(i item) bool { return i.Ephemeral && i.has("You're in the mock interviews") })
			return ok
		})
	}
	cmd(playground.Instructor, "mock now")

	// The announcement is public; the group DM is Ada's and Grace's only.
	e.wait("the announcement", playground.Grace, func(s state) bool {
		_, ok := find(s.messages("channel"), func(i item) bool { return !i.Ephemeral && i.Bot && i.has("prep_mock_join") })
		return ok
	})
	s := e.wait("the group DM", playground.Ada, func(s state) bool {
		if len(s.groups()) != 1 {
			return false
		}
		_, msgs, _ := s.conv(s.groups()[0])
		_, ok := find(msgs, func(i item) bool { return i.has("Mock interview, round 1") })
		return ok
	})
	group := s.groups()[0]
	members, msgs, _ := s.conv(group)
	if strings.Join(members, ",") != playground.Ada+","+playground.Grace {
		t.Errorf("group DM members = %v; want Ada and Grace", members)
	}
	if g := e.get(playground.Grace).groups(); len(g) != 1 || g[0] != group {
		t.Errorf("Grace's group DMs = %v; want %s", g, group)
	}
	if g := e.get(playground.Instructor).groups(); len(g) != 0 {
		t.Errorf("Ines, who is not in the pair, sees group DMs %v", g)
	}
	if status, _ := e.post("/api/message", map[string]any{"user": playground.Instructor, "channel": group, "text": "hello"}); status != http.StatusBadRequest {
		t.Errorf("Ines posting in Ada and Grace's group DM = %d; want 400", status)
	}
	intro, _ := find(msgs, func(i item) bool { return i.has("Mock interview, round 1") })
	interviewer, candidate := playground.Ada, playground.Grace
	if !intro.has("<@" + playground.Ada + "> interviews") {
		interviewer, candidate = candidate, interviewer
	}
	if intro.has("Reference answer") || intro.has("Key points") {
		t.Errorf("the group DM shows the answers to the candidate: %s", intro.Blocks)
	}

	// The packet is in the interviewer's own DM, not the candidate's.
	e.wait("the packet", interviewer, func(s state) bool {
		_, ok := find(s.messages("app"), func(i item) bool { return i.has("Your mock interview questions for <@" + candidate + ">") })
		return ok
	})
	if _, ok := find(e.get(candidate).messages("app"), func(i item) bool { return i.has("Your mock interview questions") }); ok {
		t.Errorf("the candidate received the interviewer's packet")
	}

	// The interviewer opens the form from the group DM and sends it.
	blockID, value := button(t, intro, "prep_mock_form")
	e.do("/api/click", map[string]any{"user": interviewer, "channel": group, "ts": intro.TS, "action_id": "prep_mock_form", "block_id": blockID, "value": value})
	s = e.wait("the form", interviewer, func(s state) bool { return s.Modal != nil })
	fields := inputs(t, s.Modal.View)
	if fields["happened"] != "radio_buttons" {
		t.Fatalf("form inputs = %v; want a radio_buttons happened", fields)
	}
	values := map[string]any{"happened": map[string]string{"happened": "yes"}, "note": map[string]string{"note": "Clear structure; say why earlier."}}
	rated := 0
	for id, typ := range fields {
		if strings.HasPrefix(id, "rate|"+candidate+"|") && typ == "static_select" {
			values[id] = map[string]string{id: "again"}
			rated++
		}
	}
	if rated != 3 {
		t.Fatalf("the interviewer's form rates %d questions (%v); want 3", rated, fields)
	}
	// An option the form does not offer is refused, and the form stays open.
	bad := map[string]any{"happened": map[string]string{"happened": "maybe"}}
	if status, out := e.post("/api/submit", map[string]any{"user": interviewer, "view_id": s.Modal.ID, "values": bad}); status != http.StatusBadRequest || !strings.Contains(fmt.Sprint(out["error"]), "maybe") {
		t.Errorf("submitting an option the form lacks = %d %v; want 400 naming it", status, out)
	}
	// Without saying whether it happened, the bot's ack keeps it open.
	status, out := e.post("/api/submit", map[string]any{"user": interviewer, "view_id": s.Modal.ID, "values": map[string]any{}})
	if status != http.StatusOK || out["ok"] != false {
		t.Errorf("an empty form = %d %v; want the bot's field error", status, out)
	}
	e.do("/api/submit", map[string]any{"user": interviewer, "view_id": s.Modal.ID, "values": values})
	e.wait("the confirmation", interviewer, func(s state) bool {
		_, ok := find(s.messages("app"), func(i item) bool { return i.has("3 ratings went into the review deck") })
		return ok && s.Modal == nil
	})
	e.wait("the note", candidate, func(s state) bool {
		_, ok := find(s.messages("app"), func(i item) bool { return i.has("left you a note") })
		return ok
	})

	// The instructor's insights come with two charts, shown inline.
	cmd(playground.Instructor, "insights")
	var charts []string
	e.wait("the charts", playground.Instructor, func(s state) bool {
		charts = nil
		for _, c := range s.Convs {
			if c.Kind != "app" {
				continue
			}
			for _, m := range c.Messages {
				if m.File != nil && m.File.Image {
					charts = append(charts, m.File.ID)
				}
			}
		}
		return len(charts) == 2
	})
	resp, err := http.Get(e.srv.URL + "/api/file?user=" + playground.Instructor + "&id=" + charts[0])
	if err != nil {
		t.Fatal(err)
	}
	png, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if ct := resp.Header.Get("Content-Type"); ct != "image/png" || !bytes.HasPrefix(png, []byte("\x89PNG")) || !strings.HasPrefix(resp.Header.Get("Content-Disposition"), "inline") {
		t.Errorf("a chart is served as %q %q (%d bytes); want an inline image/png", ct, resp.Header.Get("Content-Disposition"), len(png))
	}
	resp, err = http.Get(e.srv.URL + "/api/file?user=" + playground.Ada + "&id=" + charts[0])
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("Ada fetching Ines's chart = %d; want 404", resp.StatusCode)
	}

	// A restart keeps the group DM, its messages and the charts.
	e.pg.EndStreams()
	e.srv.Close()
	if err := e.pg.Close(); err != nil {
		t.Fatal(err)
	}
	e2 := newEnv(t, dir)
	s = e2.get(candidate)
	if _, msgs, ok := s.conv(group); !ok || len(msgs) == 0 {
		t.Errorf("after a restart the candidate's group DM is gone: %v", s.groups())
	}
	s = e2.get(playground.Instructor)
	n := 0
	for _, m := range s.messages("app") {
		if m.File != nil && m.File.Image {
			n++
		}
	}
	if n != 2 {
		t.Errorf("after a restart Ines's DM shows %d charts; want 2", n)
	}
	// The restored group DM is the same conversation to the bot: a new
	// message in it reaches the bot, and a new round's DMs go to it.
	e2.do("/api/message", map[string]any{"user": candidate, "channel": group, "text": "Tuesday 5pm?"})
}
