package slacktest_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/prepbot/prepbot/internal/slacktest"
)

// newFake starts a fake for one test and closes it at the end; a test that
// does not expect refusals checks Unexpected itself.
func newFake(t *testing.T, opts slacktest.Options) *slacktest.Server {
	t.Helper()
	s, err := slacktest.New(opts)
	if err != nil {
		t.Fatalf("slacktest.New: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// withCohort adds the users and channel most tests talk in.
func withCohort(t *testing.T, s *slacktest.Server) {
	t.Helper()
	s.AddUser(slacktest.User{ID: "U0ANA", Name: "ana", RealName: "Ana Lima", TZ: "Europe/Lisbon"})
	s.AddUser(slacktest.User{ID: "U0BO", Name: "bo", RealName: "Bo Chen", IsAdmin: true})
	s.AddChannel(slacktest.Channel{ID: "C0COHORT", Name: "cohort-1", BotMember: true})
}

type answer struct {
	status int
	header http.Header
	body   map[string]any
	raw    []byte
}

func (a answer) ok() bool { v, _ := a.body["ok"].(bool); return v }

func (a answer) err() string { v, _ := a.body["error"].(string); return v }

// messages returns response_metadata.messages.
func (a answer) messages() []string {
	md, _ := a.body["response_metadata"].(map[string]any)
	list, _ := md["messages"].([]any)
	var out []string
	for _, m := range list {
		s, _ := m.(string)
		out = append(out, s)
	}
	return out
}

// call posts a JSON body to a Web API method with the bot token.
func call(t *testing.T, s *slacktest.Server, method string, params map[string]any) answer {
	t.Helper()
	return post(t, s.APIURL()+method, s.BotToken(), params)
}

func post(t *testing.T, url, token string, body any) answer {
	t.Helper()
	b, err := json.Marshal(body)
	if err != nil {
		t.Fatalf("marshal: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(b))
	if err != nil {
		t.Fatalf("request: %v", err)
	}
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("POST %s: %v", url, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("read %s: %v", url, err)
	}
	a := answer{status: resp.StatusCode, header: resp.Header, raw: raw}
	if strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		if err := json.Unmarshal(raw, &a.body); err != nil {
			t.Fatalf("decode %s answer %q: %v", url, raw, err)
		}
	}
	return a
}

func wait(t *testing.T, s *slacktest.Server, what string, cond func() bool) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := s.WaitFor(ctx, cond); err != nil {
		t.Fatalf("waiting for %s: %v", what, err)
	}
}

// Block Kit builders for the tests.

func plain(s string) map[string]any  { return map[string]any{"type": "plain_text", "text": s} }
func mrkdwn(s string) map[string]any { return map[string]any{"type": "mrkdwn", "text": s} }

func section(text string) map[string]any {
	return map[string]any{"type": "section", "text": mrkdwn(text)}
}

func button(actionID, text, value string) map[string]any {
	return map[string]any{"type": "button", "action_id": actionID, "text": plain(text), "value": value}
}

func actions(elems ...any) map[string]any {
	return map[string]any{"type": "actions", "elements": elems}
}

func option(text, value string) map[string]any {
	return map[string]any{"text": plain(text), "value": value}
}

func options(n int) []any {
	out := make([]any, n)
	for i := range out {
		out[i] = option("option", "v"+strings.Repeat("x", i%10))
	}
	return out
}

func sections(n int) []any {
	out := make([]any, n)
	for i := range out {
		out[i] = section("line")
	}
	return out
}

func repeat(n int) string { return strings.Repeat("a", n) }

func modal(title string, blocks ...any) map[string]any {
	if blocks == nil {
		blocks = []any{}
	}
	return map[string]any{"type": "modal", "title": plain(title), "blocks": blocks}
}
