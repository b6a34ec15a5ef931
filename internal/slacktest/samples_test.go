package slacktest_test

import (
	"encoding/json"
	"fmt"
	"reflect"
	"testing"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"

	"github.com/prepbot/prepbot/internal/slacktest"
)

// wantSample is how the bot will see a sample once slack-go has decoded it.
type wantSample struct {
	envelope string // Socket Mode envelope type
	inner    any    // events: the slackevents type of the inner event
	check    func(t *testing.T, decoded any)
}

func messageCheck(subtype string, check func(t *testing.T, m *slackevents.MessageEvent)) wantSample {
	return wantSample{envelope: "events_api", inner: &slackevents.MessageEvent{}, check: func(t *testing.T, d any) {
		m := d.(*slackevents.MessageEvent)
		if m.SubType != subtype {
			t.Errorf("SubType = %q; want %q", m.SubType, subtype)
		}
		if m.Channel != "C0COHORT" {
			t.Errorf("Channel = %q; want C0COHORT", m.Channel)
		}
		if check != nil {
			check(t, m)
		}
	}}
}

func eventCheck(inner any) wantSample { return wantSample{envelope: "events_api", inner: inner} }

// The manifest subscribes to message.channels/.groups/.im and
// app_home_opened; issue 11 adds the lifecycle and membership events, and
// the interactions prepbot handles.
var wantSamples = map[string]wantSample{
	"message": messageCheck("", func(t *testing.T, m *slackevents.MessageEvent) {
		if m.User != "U0ANA" || m.BotID != "" || m.ThreadTimeStamp != "1764752400.000100" || m.TimeStamp != "1764752460.000200" {
			t.Errorf("User, BotID, ThreadTimeStamp, TimeStamp = %q, %q, %q, %q; want Ana's thread reply", m.User, m.BotID, m.ThreadTimeStamp, m.TimeStamp)
		}
		if m.Text == "" || m.ChannelType != "channel" {
			t.Errorf("Text %q, ChannelType %q; want text in a channel", m.Text, m.ChannelType)
		}
	}),
	"message_changed": messageCheck("message_changed", func(t *testing.T, m *slackevents.MessageEvent) {
		if m.Message == nil || m.Message.User != "U0ANA" || m.Message.ThreadTimestamp != "1764752400.000100" || m.Message.Edited == nil || m.Message.Edited.Timestamp == "" {
			t.Errorf("Message = %+v; want Ana's edited reply in the thread", m.Message)
		}
		if m.PreviousMessage == nil || m.PreviousMessage.Timestamp != m.Message.Timestamp {
			t.Errorf("PreviousMessage = %+v; want the same reply before the edit", m.PreviousMessage)
		}
	}),
	"message_deleted": messageCheck("message_deleted", func(t *testing.T, m *slackevents.MessageEvent) {
		if m.DeletedTimeStamp != "1764752460.000200" || m.PreviousMessage == nil || m.PreviousMessage.ThreadTimestamp != "1764752400.000100" {
			t.Errorf("DeletedTimeStamp %q, PreviousMessage %+v; want Ana's deleted reply", m.DeletedTimeStamp, m.PreviousMessage)
		}
	}),
	"thread_broadcast": messageCheck("thread_broadcast", func(t *testing.T, m *slackevents.MessageEvent) {
		if m.ThreadTimeStamp == "" || m.User != "U0ANA" {
			t.Errorf("ThreadTimeStamp %q, User %q; want Ana's broadcast reply", m.ThreadTimeStamp, m.User)
		}
	}),
	"file_share": messageCheck("file_share", func(t *testing.T, m *slackevents.MessageEvent) {
		if m.Message == nil || len(m.Message.Files) == 0 {
			t.Errorf("Files is empty; want the shared file")
		}
	}),
	"bot_message": messageCheck("bot_message", func(t *testing.T, m *slackevents.MessageEvent) {
		if m.BotID != "B0OTHER" {
			t.Errorf("BotID = %q; want B0OTHER", m.BotID)
		}
	}),
	"me_message":            messageCheck("me_message", nil),
	"channel_join":          messageCheck("channel_join", nil),
	"channel_leave":         messageCheck("channel_leave", nil),
	"app_home_opened":       eventCheck(&slackevents.AppHomeOpenedEvent{}),
	"member_joined_channel": eventCheck(&slackevents.MemberJoinedChannelEvent{}),
	"member_left_channel":   eventCheck(&slackevents.MemberLeftChannelEvent{}),
	"channel_archive":       eventCheck(&slackevents.ChannelArchiveEvent{}),
	"channel_unarchive":     eventCheck(&slackevents.ChannelUnarchiveEvent{}),
	"channel_deleted":       eventCheck(&slackevents.ChannelDeletedEvent{}),
	"group_archive":         eventCheck(&slackevents.GroupArchiveEvent{}),
	"group_deleted":         eventCheck(&slackevents.GroupDeletedEvent{}),
	"app_uninstalled":       eventCheck(&slackevents.AppUninstalledEvent{}),
	"tokens_revoked": {envelope: "events_api", inner: &slackevents.TokensRevokedEvent{}, check: func(t *testing.T, d any) {
		e := d.(*slackevents.TokensRevokedEvent)
		if len(e.Tokens.Bot) != 1 || e.Tokens.Bot[0] != slacktest.BotUserID {
			t.Errorf("Tokens.Bot = %q; want the bot user", e.Tokens.Bot)
		}
	}},
	"block_actions": {envelope: "interactive", check: func(t *testing.T, d any) {
		cb := d.(slack.InteractionCallback)
		if cb.Type != slack.InteractionTypeBlockActions || len(cb.ActionCallback.BlockActions) != 1 {
			t.Fatalf("Type %q with %d actions; want block_actions with 1", cb.Type, len(cb.ActionCallback.BlockActions))
		}
		a := cb.ActionCallback.BlockActions[0]
		if a.ActionID != "prep_reveal" || a.Value == "" || cb.User.ID != "U0ANA" || cb.Channel.ID != "C0COHORT" || cb.Container.MessageTs == "" {
			t.Errorf("action %q value %q by %q in %q on %q; want Ana's reveal in C0COHORT", a.ActionID, a.Value, cb.User.ID, cb.Channel.ID, cb.Container.MessageTs)
		}
	}},
	"view_submission": {envelope: "interactive", check: func(t *testing.T, d any) {
		cb := d.(slack.InteractionCallback)
		if cb.Type != slack.InteractionTypeViewSubmission || cb.View.CallbackID != "prep_add" || cb.View.Type != slack.VTModal {
			t.Errorf("Type %q, callback %q, view type %q; want a prep_add modal submission", cb.Type, cb.View.CallbackID, cb.View.Type)
		}
	}},
	"view_closed": {envelope: "interactive", check: func(t *testing.T, d any) {
		cb := d.(slack.InteractionCallback)
		if cb.Type != slack.InteractionTypeViewClosed || cb.View.CallbackID != "prep_add" {
			t.Errorf("Type %q, callback %q; want view_closed of prep_add", cb.Type, cb.View.CallbackID)
		}
	}},
	"slash_command": {envelope: "slash_commands", check: func(t *testing.T, d any) {
		c := d.(slack.SlashCommand)
		if c.Command != "/prep" || c.Text != "ask arrays" || c.UserID != "U0ANA" || c.ChannelID != "C0COHORT" || c.ResponseURL == "" || c.TriggerID == "" {
			t.Errorf("SlashCommand = %+v; want Ana's /prep ask arrays in C0COHORT", c)
		}
	}},
}

// decodeLikeSocketMode decodes a payload as slack-go's socketmode client
// does before the bot sees it (socket_mode_managed_conn.go, parseEvent).
func decodeLikeSocketMode(envelope string, payload []byte) (any, error) {
	switch envelope {
	case "events_api":
		ev, err := slackevents.ParseEvent(payload, slackevents.OptionNoVerifyToken())
		if err != nil {
			return nil, err
		}
		if ev.Type != slackevents.CallbackEvent {
			return nil, fmt.Errorf("outer type %q; want %q", ev.Type, slackevents.CallbackEvent)
		}
		return ev.InnerEvent.Data, nil
	case "slash_commands":
		var c slack.SlashCommand
		err := json.Unmarshal(payload, &c)
		return c, err
	case "interactive":
		var cb slack.InteractionCallback
		err := json.Unmarshal(payload, &cb)
		return cb, err
	}
	return nil, fmt.Errorf("unknown envelope %q", envelope)
}

func TestSamplesCoverWhatPrepbotReceives(t *testing.T) {
	t.Parallel()
	have := map[string]bool{}
	for _, name := range slacktest.SampleNames() {
		have[name] = true
		if _, ok := wantSamples[name]; !ok {
			t.Errorf("sample %s has no expectation in wantSamples", name)
		}
	}
	for name := range wantSamples {
		if !have[name] {
			t.Errorf("sample %s missing from testdata/samples", name)
		}
	}
}

func TestSamplesDecodeAsTheBotWill(t *testing.T) {
	t.Parallel()
	for name, want := range wantSamples {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if got := slacktest.SampleEnvelopeType(name); got != want.envelope {
				t.Errorf("SampleEnvelopeType(%q) = %q; want %q", name, got, want.envelope)
			}
			p, err := slacktest.Sample(name)
			if err != nil {
				t.Fatal(err)
			}
			raw, err := json.Marshal(p)
			if err != nil {
				t.Fatal(err)
			}
			decoded, err := decodeLikeSocketMode(want.envelope, raw)
			if err != nil {
				t.Fatalf("decode %s as slack-go does: %v", name, err)
			}
			if want.inner != nil && reflect.TypeOf(decoded) != reflect.TypeOf(want.inner) {
				t.Fatalf("inner event decodes to %T; want %T", decoded, want.inner)
			}
			if want.check != nil {
				want.check(t, decoded)
			}
		})
	}
}

func TestSampleIsAFreshCopy(t *testing.T) {
	t.Parallel()
	a, err := slacktest.Sample("message")
	if err != nil {
		t.Fatal(err)
	}
	a["event"].(map[string]any)["text"] = "changed"
	b, _ := slacktest.Sample("message")
	if got := b["event"].(map[string]any)["text"]; got == "changed" {
		t.Errorf("Sample returned shared state: a change to one copy shows in the next")
	}
	if _, err := slacktest.Sample("no_such_sample"); err == nil {
		t.Errorf("Sample(no_such_sample) = nil error; want an error")
	}
}
