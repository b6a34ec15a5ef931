package slacktest_test

import (
	"context"
	"net/http"
	"reflect"
	"sync"
	"testing"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"
	"github.com/slack-go/slack/socketmode"

	"github.com/prepbot/prepbot/internal/slacktest"
)

// smClient is slack-go's Socket Mode client on the fake, as the bot runs
// it, with its events read on demand.
type smClient struct {
	sm *socketmode.Client
}

func connectSocketMode(t *testing.T, s *slacktest.Server) *smClient {
	t.Helper()
	api := slack.New(s.BotToken(), slack.OptionAPIURL(s.APIURL()), slack.OptionAppLevelToken(s.AppToken()))
	sm := socketmode.New(api)
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		_ = sm.RunContext(ctx)
	}()
	t.Cleanup(func() {
		cancel()
		// Drain what the client still sends so RunContext can return.
		go func() {
			for range sm.Events {
			}
		}()
		wg.Wait()
	})
	return &smClient{sm: sm}
}

// next returns the next envelope the client decoded, skipping connection
// events; a decode failure fails the test.
func (c *smClient) next(t *testing.T) socketmode.Event {
	t.Helper()
	ctx := ctxT(t)
	for {
		select {
		case evt := <-c.sm.Events:
			switch evt.Type {
			case socketmode.EventTypeEventsAPI, socketmode.EventTypeInteractive, socketmode.EventTypeSlashCommand:
				return evt
			case socketmode.EventTypeErrorBadMessage, socketmode.EventTypeIncomingError:
				t.Fatalf("slack-go could not read an envelope: %+v", evt.Data)
			}
		case <-ctx.Done():
			t.Fatalf("no envelope reached slack-go's client")
		}
	}
}

var envelopeEvent = map[string]socketmode.EventType{
	"events_api":     socketmode.EventTypeEventsAPI,
	"interactive":    socketmode.EventTypeInteractive,
	"slash_commands": socketmode.EventTypeSlashCommand,
}

// TestSendSampleThroughSocketMode replays every sample to slack-go's
// Socket Mode client, acks it as the bot does, and checks the fake saw the
// ack: the path an end-to-end replay test of the bot takes.
func TestSendSampleThroughSocketMode(t *testing.T) {
	t.Parallel()
	s := newFake(t, slacktest.Options{})
	withCohort(t, s)
	c := connectSocketMode(t, s)
	for _, name := range slacktest.SampleNames() {
		want := wantSamples[name]
		d, err := s.SendSample(name, nil)
		if err != nil {
			t.Fatal(err)
		}
		evt := c.next(t)
		if evt.Request == nil || evt.Request.EnvelopeID != d.EnvelopeID {
			t.Fatalf("%s: got envelope %+v; want %s", name, evt.Request, d.EnvelopeID)
		}
		if evt.Type != envelopeEvent[want.envelope] {
			t.Errorf("%s: slack-go event %q; want %q", name, evt.Type, envelopeEvent[want.envelope])
		}
		if ev, ok := evt.Data.(slackevents.EventsAPIEvent); ok {
			if want.inner != nil && reflect.TypeOf(ev.InnerEvent.Data) != reflect.TypeOf(want.inner) {
				t.Errorf("%s: inner event %T; want %T", name, ev.InnerEvent.Data, want.inner)
			}
			if cb, _ := ev.Data.(*slackevents.EventsAPICallbackEvent); cb == nil || cb.EventID != d.EventID {
				t.Errorf("%s: event_id %+v; want the fresh %s", name, ev.Data, d.EventID)
			}
		}
		c.sm.Ack(*evt.Request)
		a, err := s.WaitAck(ctxT(t), d.EnvelopeID)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if a.Error != "" {
			t.Errorf("%s: ack error %q", name, a.Error)
		}
		if _, ok := s.AckDelay(d.EnvelopeID); !ok {
			t.Errorf("%s: AckDelay not known after the ack", name)
		}
	}
	if u := s.Unexpected(); len(u) > 0 {
		t.Errorf("Unexpected() = %q", u)
	}
}

func TestSendSampleFillAndEventIDs(t *testing.T) {
	t.Parallel()
	s := newFake(t, slacktest.Options{})
	withCohort(t, s)
	c := connectSocketMode(t, s)
	first, err := s.SendSample("message", func(p map[string]any) {
		p["event"].(map[string]any)["text"] = "Two pointers."
	})
	if err != nil {
		t.Fatal(err)
	}
	evt := c.next(t)
	m := evt.Data.(slackevents.EventsAPIEvent).InnerEvent.Data.(*slackevents.MessageEvent)
	if m.Text != "Two pointers." || first.TS != m.TimeStamp {
		t.Errorf("message text %q ts %q; want the filled text and Delivery.TS %q", m.Text, m.TimeStamp, first.TS)
	}
	c.sm.Ack(*evt.Request)
	second, _ := s.SendSample("message", nil)
	c.sm.Ack(*c.next(t).Request)
	if first.EventID == second.EventID || first.EventID == "" {
		t.Errorf("event IDs %q and %q; want a fresh one per delivery", first.EventID, second.EventID)
	}
}

func TestSendSampleResponseURL(t *testing.T) {
	t.Parallel()
	s := newFake(t, slacktest.Options{})
	withCohort(t, s)
	c := connectSocketMode(t, s)
	d, err := s.SendSample("slash_command", func(p map[string]any) {
		p["user_id"], p["channel_id"] = "U0BO", "C0COHORT"
	})
	if err != nil {
		t.Fatal(err)
	}
	evt := c.next(t)
	cmd := evt.Data.(slack.SlashCommand)
	c.sm.Ack(*evt.Request)
	if a := post(t, cmd.ResponseURL, "", map[string]any{"text": "Here is your question."}); a.status != http.StatusOK {
		t.Fatalf("POST response_url: HTTP %d %s", a.status, a.raw)
	}
	r := s.Responses()
	if len(r) != 1 || r[0].ID != d.EventID || r[0].User != "U0BO" || r[0].Channel != "C0COHORT" {
		t.Errorf("Responses() = %+v; want Bo's reply in C0COHORT under %s", r, d.EventID)
	}
	if e := s.Ephemerals("U0BO"); len(e) != 1 || e[0].Text != "Here is your question." {
		t.Errorf("Ephemerals(U0BO) = %+v; want the reply shown to Bo", e)
	}
	if _, err := s.SendSample("no_such_sample", nil); err == nil {
		t.Errorf("SendSample(no_such_sample) = nil error; want an error")
	}
}
