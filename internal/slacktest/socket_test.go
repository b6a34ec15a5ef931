package slacktest_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/prepbot/prepbot/internal/slacktest"
)

// rawSocket is a Socket Mode connection read frame by frame, to see the
// envelopes exactly as Slack's would arrive.
type rawSocket struct {
	t  *testing.T
	ws *websocket.Conn
}

func dial(t *testing.T, s *slacktest.Server) *rawSocket {
	t.Helper()
	a := post(t, s.APIURL()+"apps.connections.open", s.AppToken(), map[string]any{})
	url, _ := a.body["url"].(string)
	ws, _, err := websocket.DefaultDialer.DialContext(ctxT(t), url, nil)
	if err != nil {
		t.Fatalf("dial %s: %v", url, err)
	}
	t.Cleanup(func() { ws.Close() })
	return &rawSocket{t: t, ws: ws}
}

// read returns the next frame, decoded.
func (r *rawSocket) read() map[string]any {
	r.t.Helper()
	_ = r.ws.SetReadDeadline(time.Now().Add(10 * time.Second))
	_, b, err := r.ws.ReadMessage()
	if err != nil {
		r.t.Fatalf("read socket: %v", err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		r.t.Fatalf("socket frame %s: %v", b, err)
	}
	return m
}

func (r *rawSocket) hello() map[string]any {
	r.t.Helper()
	h := r.read()
	if h["type"] != "hello" {
		r.t.Fatalf("first frame = %v; want hello", h)
	}
	return h
}

func (r *rawSocket) ack(envelopeID string, payload any) {
	r.t.Helper()
	msg := map[string]any{"envelope_id": envelopeID}
	if payload != nil {
		msg["payload"] = payload
	}
	if err := r.ws.WriteJSON(msg); err != nil {
		r.t.Fatalf("write ack: %v", err)
	}
}

// envelopeKeys are the fields of Slack's Socket Mode envelopes
// (docs.slack.dev/apis/events-api/using-socket-mode).
var envelopeKeys = map[string]string{
	"envelope_id": "string", "type": "string", "accepts_response_payload": "boolean",
	"retry_attempt": "number", "retry_reason": "string", "payload": "object",
}

func checkEnvelope(t *testing.T, env map[string]any, typ string) map[string]any {
	t.Helper()
	for k, v := range env {
		want, known := envelopeKeys[k]
		if !known {
			t.Errorf("envelope has %q, which Slack's envelopes do not", k)
		} else if kindOf(v) != want {
			t.Errorf("envelope %s is a %s; want %s", k, kindOf(v), want)
		}
	}
	for _, k := range []string{"envelope_id", "type", "payload", "accepts_response_payload"} {
		if _, ok := env[k]; !ok {
			t.Errorf("envelope lacks %q", k)
		}
	}
	if env["type"] != typ {
		t.Errorf("envelope type %v; want %s", env["type"], typ)
	}
	// Only slash commands and interactions can be answered in the ack.
	if got, want := env["accepts_response_payload"], typ != "events_api"; got != want {
		t.Errorf("accepts_response_payload = %v for %s; want %v", got, typ, want)
	}
	p, _ := env["payload"].(map[string]any)
	return p
}

func TestHelloAndDisconnectFrames(t *testing.T) {
	t.Parallel()
	s := newFake(t, slacktest.Options{})
	r := dial(t, s)
	h := r.hello()
	info, _ := h["connection_info"].(map[string]any)
	debug, _ := h["debug_info"].(map[string]any)
	if h["num_connections"] != 1.0 || info["app_id"] != slacktest.AppID || debug["host"] == nil {
		t.Errorf("hello = %v; want num_connections, connection_info.app_id and debug_info as Slack sends", h)
	}
	s.Disconnect("refresh_requested")
	d := r.read()
	if d["type"] != "disconnect" || d["reason"] != "refresh_requested" {
		t.Errorf("disconnect frame = %v; want type disconnect, reason refresh_requested", d)
	}
	if _, ok := d["debug_info"].(map[string]any); !ok {
		t.Errorf("disconnect frame = %v; want debug_info as Slack sends", d)
	}
}

// What the fake sends, each against the sample of what Slack sends.
func TestFakePayloadsHaveSlackShapes(t *testing.T) {
	t.Parallel()
	// The fake's events are Slack's with fewer fields; where a value's
	// type differs from the Java SDK's placeholder, Slack's own docs win.
	except := map[string]string{
		// Slack sends null here outside Enterprise Grid (its docs' examples).
		"authorizations[].enterprise_id": "null outside Enterprise Grid",
		// The SDK's view_submission sample has an empty state; Slack sends
		// the inputs' values in it (docs.slack.dev/reference/interaction-payloads/view-interactions-payload).
		"view.state.values": "the inputs' values",
		// Over Socket Mode the slash command's fields are the form's, all
		// strings (docs.slack.dev/apis/events-api/using-socket-mode); the
		// Java SDK models this one as a boolean. slack-go reads both.
		"is_enterprise_install": "a string, as in the form",
	}
	for _, tc := range []struct {
		sample   string
		envelope string
		send     func(t *testing.T, s *slacktest.Server, parent string)
	}{
		{"message", "events_api", func(t *testing.T, s *slacktest.Server, parent string) {
			s.UserMessage("C0COHORT", "U0ANA", "A hash map.", parent, false)
		}},
		{"thread_broadcast", "events_api", func(t *testing.T, s *slacktest.Server, parent string) {
			s.UserMessage("C0COHORT", "U0ANA", "A hash map.", parent, true)
		}},
		{"message", "events_api", func(t *testing.T, s *slacktest.Server, _ string) {
			s.UserMessage("DU0ANA", "U0ANA", "practice", "", false)
		}},
		{"bot_message", "events_api", func(t *testing.T, s *slacktest.Server, parent string) {
			s.BotMessage("C0COHORT", "B0OTHER", "Standup!", parent)
		}},
		// The app's own post comes back as a plain message with bot_id and
		// the bot user, not as a bot_message (that subtype is for
		// integrations posting without a bot user).
		{"message", "events_api", func(t *testing.T, s *slacktest.Server, parent string) {
			post(t, s.APIURL()+"chat.postMessage", s.BotToken(), map[string]any{"channel": "C0COHORT", "text": "echo", "thread_ts": parent})
		}},
		{"message_changed", "events_api", func(t *testing.T, s *slacktest.Server, parent string) {
			d := s.UserMessage("C0COHORT", "U0ANA", "A hash map.", parent, false)
			_, _ = s.EditMessage("C0COHORT", d.TS, "A hash map, O(n).")
		}},
		{"message_deleted", "events_api", func(t *testing.T, s *slacktest.Server, parent string) {
			d := s.UserMessage("C0COHORT", "U0ANA", "A hash map.", parent, false)
			_, _ = s.DeleteMessage("C0COHORT", d.TS)
		}},
		{"app_home_opened", "events_api", func(t *testing.T, s *slacktest.Server, _ string) { s.AppHomeOpened("U0ANA") }},
		{"slash_command", "slash_commands", func(t *testing.T, s *slacktest.Server, _ string) { s.SlashCommand("U0ANA", "C0COHORT", "ask arrays") }},
		{"block_actions", "interactive", func(t *testing.T, s *slacktest.Server, parent string) {
			s.Click("U0ANA", "C0COHORT", parent, "prep_reveal", "arrays-001", false)
		}},
		{"block_actions", "interactive", func(t *testing.T, s *slacktest.Server, parent string) {
			s.Press(slacktest.Action{User: "U0ANA", Channel: "C0COHORT", MessageTS: parent, ActionID: "prep_reveal", Value: "arrays-001"})
		}},
		{"block_actions", "interactive", func(t *testing.T, s *slacktest.Server, _ string) {
			s.Press(slacktest.Action{User: "U0ANA", Home: true, ActionID: "prep_practice"})
		}},
		{"view_submission", "interactive", func(t *testing.T, s *slacktest.Server, _ string) {
			s.SubmitView("U0BO", "prep_add", "", map[string]map[string]string{"question": {"question": "What is a heap?"}})
		}},
	} {
		t.Run(tc.sample, func(t *testing.T) {
			t.Parallel()
			s := newFake(t, slacktest.Options{})
			withCohort(t, s)
			posted := call(t, s, "chat.postMessage", map[string]any{"channel": "C0COHORT", "text": "Question of the day"})
			parent, _ := posted.body["ts"].(string)
			r := dial(t, s)
			r.hello()
			r.read() // the echo of the question
			tc.send(t, s, parent)
			env := r.read()
			if tc.sample == "message_changed" || tc.sample == "message_deleted" {
				env = r.read() // after the new message's own event
			}
			p := checkEnvelope(t, env, tc.envelope)
			checkShape(t, tc.sample, p, except)
			// And slack-go reads it as the bot will.
			raw, _ := json.Marshal(p)
			if _, err := decodeLikeSocketMode(tc.envelope, raw); err != nil {
				t.Errorf("slack-go cannot decode the fake's %s: %v", tc.sample, err)
			}
		})
	}
}

func TestAcks(t *testing.T) {
	t.Parallel()
	s := newFake(t, slacktest.Options{})
	withCohort(t, s)
	r := dial(t, s)
	r.hello()
	d := s.AppHomeOpened("U0ANA")
	env := r.read()
	if env["envelope_id"] != d.EnvelopeID {
		t.Fatalf("envelope_id %v; want %s", env["envelope_id"], d.EnvelopeID)
	}
	if _, ok := s.Ack(d.EnvelopeID); ok {
		t.Fatalf("Ack before the app acked = ok; want none")
	}
	if u := s.Unacked(); len(u) != 1 || u[0] != d.EnvelopeID {
		t.Fatalf("Unacked() = %q; want [%s]", u, d.EnvelopeID)
	}
	r.ack(d.EnvelopeID, nil)
	a, err := s.WaitAck(ctxT(t), d.EnvelopeID)
	if err != nil {
		t.Fatal(err)
	}
	if a.SentAt.IsZero() || a.At.Before(a.SentAt) || a.Error != "" {
		t.Errorf("Ack = %+v; want SentAt <= At and no error", a)
	}
	if delay, ok := s.AckDelay(d.EnvelopeID); !ok || delay < 0 {
		t.Errorf("AckDelay = %v, %v; want a delay >= 0", delay, ok)
	}
	if u := s.Unacked(); len(u) != 0 {
		t.Errorf("Unacked() after the ack = %q; want none", u)
	}
}

func TestAckPayloadLimits(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name    string
		payload any
		wantErr string
	}{
		{"message", map[string]any{"text": "ok", "blocks": []any{section(repeat(3000))}}, ""},
		{"section 3001", map[string]any{"text": "ok", "blocks": []any{section(repeat(3001))}}, "invalid_blocks"},
		// (text over 40,000 cannot reach this check: the frame limit comes first)
		{"51 blocks", map[string]any{"text": "ok", "blocks": sections(51)}, "invalid_blocks"},
		{"errors", map[string]any{"response_action": "errors", "errors": map[string]any{"question": "Too long"}}, ""},
		{"update modal title 25", map[string]any{"response_action": "update", "view": modal(repeat(25))}, "invalid_arguments"},
		{"unknown response_action", map[string]any{"response_action": "replace"}, "invalid_payload"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := newFake(t, slacktest.Options{})
			withCohort(t, s)
			r := dial(t, s)
			r.hello()
			id := s.SlashCommand("U0ANA", "C0COHORT", "help")
			r.read()
			r.ack(id, tc.payload)
			a, err := s.WaitAck(ctxT(t), id)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.HasPrefix(a.Error, tc.wantErr) || (tc.wantErr == "") != (a.Error == "") {
				t.Errorf("Ack.Error = %q; want %q", a.Error, tc.wantErr)
			}
			u := s.Unexpected()
			if tc.wantErr == "" && len(u) > 0 || tc.wantErr != "" && (len(u) != 1 || !strings.Contains(u[0], tc.wantErr)) {
				t.Errorf("Unexpected() = %q; want %q noted", u, tc.wantErr)
			}
		})
	}
}

func TestAckFrameSizeLimit(t *testing.T) {
	t.Parallel()
	// The frame is {"envelope_id":"env-1","payload":{"text":"aaa…"}}.
	frame := func(id string, n int) []byte {
		head := `{"envelope_id":"` + id + `","payload":{"text":"`
		tail := `"}}`
		return []byte(head + repeat(n-len(head)-len(tail)) + tail)
	}
	t.Run("20480 bytes", func(t *testing.T) {
		t.Parallel()
		s := newFake(t, slacktest.Options{})
		withCohort(t, s)
		r := dial(t, s)
		r.hello()
		id := s.SlashCommand("U0ANA", "C0COHORT", "help")
		r.read()
		if err := r.ws.WriteMessage(websocket.TextMessage, frame(id, slacktest.MaxAckFrame)); err != nil {
			t.Fatal(err)
		}
		if _, err := s.WaitAck(ctxT(t), id); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("20481 bytes", func(t *testing.T) {
		t.Parallel()
		s := newFake(t, slacktest.Options{})
		withCohort(t, s)
		r := dial(t, s)
		r.hello()
		d := s.AppHomeOpened("U0ANA")
		r.read()
		if err := r.ws.WriteMessage(websocket.TextMessage, frame(d.EnvelopeID, slacktest.MaxAckFrame+1)); err != nil {
			t.Fatal(err)
		}
		_ = r.ws.SetReadDeadline(time.Now().Add(10 * time.Second))
		_, _, err := r.ws.ReadMessage()
		if !websocket.IsCloseError(err, websocket.CloseMessageTooBig) {
			t.Fatalf("after a 20481-byte frame: %v; want close 1009", err)
		}
		wait(t, s, "the socket to close", func() bool { return !s.Connected() })
		if _, ok := s.Ack(d.EnvelopeID); ok {
			t.Errorf("the oversized ack counted; want the envelope unacknowledged")
		}
		if u := s.Unexpected(); len(u) != 1 || !strings.Contains(u[0], "1009") {
			t.Errorf("Unexpected() = %q; want the oversized frame", u)
		}
		// Slack redelivers the unacknowledged event on the next connection.
		r2 := dial(t, s)
		r2.hello()
		env := r2.read()
		if env["envelope_id"] != d.EnvelopeID || env["retry_attempt"] != 1.0 || env["retry_reason"] != "timeout" {
			t.Errorf("redelivery = %v; want %s with retry_attempt 1", env, d.EnvelopeID)
		}
	})
}

func TestLenientAcceptsBigAcks(t *testing.T) {
	t.Parallel()
	s := newFake(t, slacktest.Options{Lenient: true})
	withCohort(t, s)
	r := dial(t, s)
	r.hello()
	id := s.SlashCommand("U0ANA", "C0COHORT", "help")
	r.read()
	r.ack(id, map[string]any{"text": repeat(50000)})
	if a, err := s.WaitAck(ctxT(t), id); err != nil || a.Error != "" {
		t.Fatalf("lenient ack = %+v, %v; want accepted", a, err)
	}
}

func TestEnvelopesWaitForAConnection(t *testing.T) {
	t.Parallel()
	s := newFake(t, slacktest.Options{})
	withCohort(t, s)
	d := s.AppHomeOpened("U0ANA")
	id := s.SlashCommand("U0ANA", "C0COHORT", "help")
	r := dial(t, s)
	r.hello()
	got := map[any]bool{r.read()["envelope_id"]: true, r.read()["envelope_id"]: true}
	if !got[d.EnvelopeID] || !got[id] {
		t.Errorf("after connecting got %v; want %s and %s, sent while no app was connected", got, d.EnvelopeID, id)
	}
}

func TestDropConnectionsRedeliversUnacked(t *testing.T) {
	t.Parallel()
	s := newFake(t, slacktest.Options{})
	withCohort(t, s)
	r := dial(t, s)
	r.hello()
	acked := s.AppHomeOpened("U0ANA")
	unacked := s.AppHomeOpened("U0BO")
	r.read()
	r.read()
	r.ack(acked.EnvelopeID, nil)
	if _, err := s.WaitAck(ctxT(t), acked.EnvelopeID); err != nil {
		t.Fatal(err)
	}
	s.DropConnections()
	wait(t, s, "the socket to drop", func() bool { return !s.Connected() })
	r2 := dial(t, s)
	r2.hello()
	env := r2.read()
	if env["envelope_id"] != unacked.EnvelopeID || env["retry_attempt"] != 1.0 {
		t.Errorf("first frame after reconnecting = %v; want %s redelivered with retry_attempt 1", env, unacked.EnvelopeID)
	}
	if n := s.Connections(); n != 2 {
		t.Errorf("Connections() = %d; want 2", n)
	}
}

func TestRedeliver(t *testing.T) {
	t.Parallel()
	s := newFake(t, slacktest.Options{})
	withCohort(t, s)
	r := dial(t, s)
	r.hello()
	d := s.UserMessage("C0COHORT", "U0ANA", "answer", "", false)
	first := r.read()
	again, err := s.Redeliver(d.EnvelopeID)
	if err != nil {
		t.Fatal(err)
	}
	second := r.read()
	if again == d.EnvelopeID || second["envelope_id"] != again || second["retry_attempt"] != 1.0 || second["retry_reason"] != "timeout" {
		t.Errorf("redelivery = %v; want a new envelope %s with retry_attempt 1", second, again)
	}
	p1, p2 := first["payload"].(map[string]any), second["payload"].(map[string]any)
	if p1["event_id"] != p2["event_id"] || p1["event_id"] != d.EventID {
		t.Errorf("event_id %v then %v; want %s both times (Slack keeps it)", p1["event_id"], p2["event_id"], d.EventID)
	}
	if _, err := s.Redeliver("env-nope"); err == nil {
		t.Errorf("Redeliver(unknown) = nil error; want an error")
	}
}
