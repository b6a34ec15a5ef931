package bot

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"

	"github.com/prepbot/prepbot/bot/bankedit"
	"github.com/prepbot/prepbot/bot/render"
	"github.com/prepbot/prepbot/internal/mrkdwn"
)

func FuzzParseCommand(f *testing.F) {
	for _, s := range []string{"", "help", "ask databases", "schedule 0 9 * * 1-5 America/New_York topics=db,security",
		"pause until 2027-01-05", "admins add <@U123|bob>", "\u00a0ask\u2003db", strings.Repeat("x ", 3000), "<!channel> \x00"} {
		f.Add(s)
	}
	b := &Bot{cfg: Config{Zone: time.UTC}}
	f.Fuzz(func(t *testing.T, text string) {
		c := parseCommand(text)
		if c.name != strings.ToLower(c.name) {
			t.Errorf("name %q not lowercased", c.name)
		}
		if len(c.args) > maxCommandText {
			t.Errorf("%d args from a bounded text", len(c.args))
		}
		// The argument parsers must never panic either.
		_, _ = b.parseScheduleArgs(c.args)
		_, _ = topicArg(c.args)
		dmKeyword(text)
		_ = mention.FindStringSubmatch(text)
		_ = bankedit.Slug(text)
		_ = bankedit.Lines(text)
	})
}

func FuzzEventDecoding(f *testing.F) {
	seeds := []string{
		`{"type":"event_callback","event_id":"Ev1","event":{"type":"message","channel":"C1","user":"U1","text":"hi","ts":"1.000001","thread_ts":"1.000000"}}`,
		`{"type":"event_callback","event_id":"Ev2","event":{"type":"message","subtype":"message_changed","channel":"C1","message":{"user":"U1","text":"x","ts":"1.2","thread_ts":"1.0"}}}`,
		`{"type":"event_callback","event_id":"Ev3","event":{"type":"message","subtype":"message_deleted","channel":"C1","deleted_ts":"1.2","previous_message":{"ts":"1.2","thread_ts":"1.0"}}}`,
		`{"type":"event_callback","event":{"type":"app_home_opened","user":"U1","tab":"home"}}`,
		`{"type":"event_callback","event":{"type":"message","bot_id":"B1","text":"<!channel>"}}`,
		`{"type":"event_callback","event":null}`, `{}`, `[]`, `"x"`,
	}
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	b := &Bot{botUserID: "UBOT"}
	b.threads.add("C1", "1.000000", "databases/q00")
	f.Fuzz(func(t *testing.T, data []byte) {
		ev, err := slackevents.ParseEvent(json.RawMessage(data), slackevents.OptionNoVerifyToken())
		if err != nil {
			return
		}
		m, ok := ev.InnerEvent.Data.(*slackevents.MessageEvent)
		if !ok {
			return
		}
		_ = b.fromBot(m)
		_ = b.threads.has(m.Channel, m.ThreadTimeStamp)
		if m.Message != nil {
			_ = b.threads.has(m.Channel, m.Message.ThreadTimestamp)
		}
		if esc := mrkdwn.Escape(m.Text); strings.Contains(esc, "<") || (utf8.ValidString(m.Text) && !utf8.ValidString(esc)) {
			t.Errorf("mrkdwn.Escape(%q) = %q", m.Text, esc)
		}
	})
}

// A modal submission without a state (malformed, or from a newer Slack)
// gets field errors, not a panic.
func TestSubmissionWithoutStateIsAnswered(t *testing.T) {
	if got := inputValue(slack.InteractionCallback{}, render.FieldQuestion); got != "" {
		t.Errorf("inputValue without state = %q", got)
	}
}
