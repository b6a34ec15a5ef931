package slacktest

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"path"
	"sort"
	"strings"
	"time"
)

// Slack's own sample payloads for what prepbot can receive, copied from
// Slack's Java SDK with every field kept and the placeholders filled in
// (testdata/samples/README.md says how). They are embedded so that tests
// in other packages can replay them with SendSample.
//
//go:embed testdata/samples/*.json
var sampleFS embed.FS

// sampleEnvelope is the Socket Mode envelope type each interactive sample
// travels in; every other sample is an Events API event_callback.
var sampleEnvelope = map[string]string{
	"block_actions":   "interactive",
	"view_submission": "interactive",
	"view_closed":     "interactive",
	"slash_command":   "slash_commands",
}

// SampleNames lists the samples SendSample can send, sorted.
func SampleNames() []string {
	entries, _ := sampleFS.ReadDir("testdata/samples")
	var out []string
	for _, e := range entries {
		if name, ok := strings.CutSuffix(e.Name(), ".json"); ok {
			out = append(out, name)
		}
	}
	sort.Strings(out)
	return out
}

// SampleEnvelopeType returns the Socket Mode envelope type Slack sends the
// sample name in: "events_api", "interactive" or "slash_commands".
func SampleEnvelopeType(name string) string {
	if t, ok := sampleEnvelope[name]; ok {
		return t
	}
	return "events_api"
}

// Sample returns a fresh copy of the sample name as Slack sends it (the
// payload inside the Socket Mode envelope). Numbers are json.Number, so
// that they are sent back exactly as they were.
func Sample(name string) (map[string]any, error) {
	b, err := sampleFS.ReadFile(path.Join("testdata/samples", name+".json"))
	if err != nil {
		return nil, fmt.Errorf("slacktest: no sample %q (have %v)", name, SampleNames())
	}
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	var v map[string]any
	if err := d.Decode(&v); err != nil {
		return nil, fmt.Errorf("slacktest: sample %s: %w", name, err)
	}
	return v, nil
}

// SendSample sends Slack's sample payload name to the app over Socket Mode,
// in the envelope Slack uses for it, and returns the delivery; WaitAck or
// Ack then tell whether and when the app acknowledged it.
//
// Before fill sees the payload, the fake gives it what must be fresh for
// each delivery: events get a new event_id and event_time (so the app's
// de-duplication does not drop a replay), interactions and slash commands
// a response_url of this fake for their channel and user. fill (may be
// nil) then changes whatever the test needs, such as the channel, the user,
// the thread or the text. The fake's own state (messages, channels) is
// not changed: SendSample replays what Slack sends, nothing more.
//
// Delivery.EventID is the event_id for events and the response_url's ID
// for interactions and slash commands (to match the answer in Responses);
// Delivery.TS is the message's ts for message events.
func (s *Server) SendSample(name string, fill func(payload map[string]any)) (Delivery, error) {
	p, err := Sample(name)
	if err != nil {
		return Delivery{}, err
	}
	typ := SampleEnvelopeType(name)
	var d Delivery
	if typ == "events_api" {
		d.EventID = s.nextID("Ev0")
		p["event_id"] = d.EventID
		p["event_time"] = json.Number(fmt.Sprint(s.opts.Now().Unix()))
	} else if _, has := p["response_url"]; has {
		channel, user := sampleChannelUser(p)
		url := s.ResponseURL(channel, user)
		p["response_url"] = url
		d.EventID = url[strings.LastIndex(url, "/")+1:]
	}
	if fill != nil {
		fill(p)
	}
	if typ != "events_api" {
		// A fill may have changed who asked where: point the response_url
		// at the final channel and user.
		if url, _ := p["response_url"].(string); d.EventID != "" && strings.HasSuffix(url, "/"+d.EventID) {
			channel, user := sampleChannelUser(p)
			s.mu.Lock()
			if t, ok := s.respTarget[d.EventID]; ok {
				t.channel, t.user = channel, user
				s.respTarget[d.EventID] = t
			}
			s.mu.Unlock()
		}
	}
	if ev, ok := p["event"].(map[string]any); ok {
		d.TS, _ = ev["ts"].(string)
	}
	payload, err := json.Marshal(p)
	if err != nil {
		return Delivery{}, fmt.Errorf("slacktest: sample %s: %w", name, err)
	}
	d.EnvelopeID = s.sockets.send(typ, payload, 0)
	return d, nil
}

// sampleChannelUser finds who acted where in an interaction or a slash
// command payload.
func sampleChannelUser(p map[string]any) (channel, user string) {
	channel, _ = p["channel_id"].(string)
	user, _ = p["user_id"].(string)
	if c, ok := p["channel"].(map[string]any); ok {
		channel, _ = c["id"].(string)
	}
	if u, ok := p["user"].(map[string]any); ok {
		user, _ = u["id"].(string)
	}
	return channel, user
}

// AckDelay returns how long the app took to acknowledge an envelope, from
// its last delivery to the ack, and whether it was acknowledged.
func (s *Server) AckDelay(envelopeID string) (time.Duration, bool) {
	a, ok := s.Ack(envelopeID)
	if !ok || a.SentAt.IsZero() {
		return 0, ok
	}
	return a.At.Sub(a.SentAt), true
}
