// Command gensamples copies the Slack payload samples prepbot can receive
// from Slack's Java SDK (../shared/slack-samples) into
// internal/slacktest/testdata/samples, keeping every field and filling the
// SDK's placeholders ("" and 123) with realistic IDs, timestamps and text
// consistent with the fake's workspace.
//
//	go run ./internal/slacktest/internal/gensamples -from ../shared/slack-samples
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
)

// sample names the file a sample comes from and what it is about.
type sample struct {
	name, from string
	// set replaces values by slash-separated path after the generic fill.
	set map[string]any
}

// The workspace the samples live in: the fake's identity, a cohort channel,
// two people and a question-of-the-day thread.
const (
	team      = "T0PREP"
	app       = "A0PREPBOT"
	botUser   = "U0PREPBOT"
	botID     = "B0PREPBOT"
	channel   = "C0COHORT"
	ana       = "U0ANA"
	bo        = "U0BO"
	parentTS  = "1764752400.000100" // the question of the day
	replyTS   = "1764752460.000200" // Ana's answer in its thread
	editTS    = "1764752520.000300"
	eventTime = 1764752460
	answer    = "I'd use a hash map: one pass, O(n) time, O(n) space."
)

var samples = []sample{
	{name: "message", from: "events/MessagePayload.json", set: map[string]any{
		"event/bot_id": "", "event/bot_profile": nil, "event/edited": nil,
	}},
	{name: "message_changed", from: "events/MessageChangedPayload.json", set: map[string]any{
		"event/ts": editTS, "event/event_ts": editTS, "event/message/ts": replyTS,
		"event/message/edited/ts": editTS, "event/message/text": answer + " (edited)",
		"event/previous_message/ts": replyTS,
	}},
	{name: "message_deleted", from: "events/MessageDeletedPayload.json", set: map[string]any{
		"event/ts": editTS, "event/event_ts": editTS, "event/deleted_ts": replyTS,
		"event/previous_message/ts": replyTS,
	}},
	{name: "thread_broadcast", from: "events/MessageThreadBroadcastPayload.json"},
	{name: "file_share", from: "events/MessageFileSharePayload.json"},
	{name: "bot_message", from: "events/MessageBotPayload.json", set: map[string]any{
		"event/bot_id": "B0OTHER", "event/username": "standup-bot", "event/text": "Standup in 5 minutes.",
	}},
	{name: "me_message", from: "events/MessageMePayload.json", set: map[string]any{"event/text": "is thinking about hash maps"}},
	{name: "channel_join", from: "events/MessageChannelJoinPayload.json", set: map[string]any{"event/text": "<@U0ANA> has joined the channel"}},
	{name: "channel_leave", from: "events/MessageChannelLeavePayload.json", set: map[string]any{"event/text": "<@U0ANA> has left the channel"}},
	{name: "app_home_opened", from: "events/AppHomeOpenedPayload.json", set: map[string]any{"event/channel": "D" + ana, "event/tab": "home"}},
	{name: "member_joined_channel", from: "events/MemberJoinedChannelPayload.json", set: map[string]any{"event/channel_type": "C"}},
	{name: "member_left_channel", from: "events/MemberLeftChannelPayload.json", set: map[string]any{"event/channel_type": "C"}},
	{name: "channel_archive", from: "events/ChannelArchivePayload.json", set: map[string]any{"event/user": bo}},
	{name: "channel_unarchive", from: "events/ChannelUnarchivePayload.json", set: map[string]any{"event/user": bo}},
	{name: "channel_deleted", from: "events/ChannelDeletedPayload.json"},
	{name: "group_archive", from: "events/GroupArchivePayload.json", set: map[string]any{"event/channel": "C0PRIVATE"}},
	{name: "group_deleted", from: "events/GroupDeletedPayload.json", set: map[string]any{"event/channel": "C0PRIVATE"}},
	{name: "app_uninstalled", from: "events/AppUninstalledPayload.json"},
	{name: "tokens_revoked", from: "events/TokensRevokedPayload.json", set: map[string]any{
		"event/tokens/bot": []any{botUser}, "event/tokens/oauth": []any{},
	}},
	{name: "block_actions", from: "interactive/BlockActionPayload.json", set: map[string]any{
		"container/type": "message", "container/view_id": "", "container/message_ts": parentTS, "container/thread_ts": "",
		"actions/0/type": "button", "actions/0/action_id": "prep_reveal", "actions/0/block_id": "b-prep_reveal",
		"actions/0/value": "arrays-001", "actions/0/text": map[string]any{"type": "plain_text", "text": "Reveal the answer", "emoji": true},
		"message/ts": parentTS, "message/thread_ts": "", "message/user": botUser, "message/bot_id": botID,
		"message/text": "Question of the day: find two numbers that add up to a target.",
		"view":         nil, "state": nil,
	}},
	{name: "view_submission", from: "interactive/ViewSubmissionPayload.json", set: viewFields("prep_add")},
	{name: "view_closed", from: "interactive/ViewClosedPayload.json", set: viewFields("prep_add")},
	{name: "slash_command", from: "interactive/SlashCommandPayload.json", set: map[string]any{"text": "ask arrays", "user_name": "ana"}},
}

// viewFields makes the sample's view the modal prepbot opens.
func viewFields(callbackID string) map[string]any {
	return map[string]any{
		"view/type": "modal", "view/callback_id": callbackID, "view/previous_view_id": "",
		"view/title":  map[string]any{"type": "plain_text", "text": "Add a question", "emoji": true},
		"view/submit": map[string]any{"type": "plain_text", "text": "Save", "emoji": true},
		"view/close":  map[string]any{"type": "plain_text", "text": "Cancel", "emoji": true},
	}
}

func main() {
	from := flag.String("from", "../shared/slack-samples", "directory of Slack's samples")
	to := flag.String("to", "internal/slacktest/testdata/samples", "where to write")
	flag.Parse()
	if err := run(*from, *to); err != nil {
		fmt.Fprintln(os.Stderr, "gensamples:", err)
		os.Exit(1)
	}
}

func run(from, to string) error {
	if err := os.MkdirAll(to, 0o755); err != nil {
		return err
	}
	for _, s := range samples {
		b, err := os.ReadFile(filepath.Join(from, s.from))
		if err != nil {
			return err
		}
		d := json.NewDecoder(bytes.NewReader(b))
		d.UseNumber()
		var v any
		if err := d.Decode(&v); err != nil {
			return fmt.Errorf("%s: %w", s.from, err)
		}
		v = fill(nil, v)
		for path, val := range s.set {
			if err := set(v, strings.Split(path, "/"), val); err != nil {
				return fmt.Errorf("%s: set %s: %w", s.name, path, err)
			}
		}
		out, err := json.MarshalIndent(v, "", "  ")
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(to, s.name+".json"), append(out, '\n'), 0o644); err != nil {
			return err
		}
	}
	return nil
}

var (
	tsKeys = map[string]bool{
		"ts": true, "event_ts": true, "thread_ts": true, "message_ts": true, "latest_reply": true,
		"action_ts": true, "deleted_ts": true, "last_read": true,
	}
	// Slack sends these as numbers; the Java SDK models them as strings.
	numericString = regexp.MustCompile(`^(thumb_[a-z0-9]+_[wh]|original_[wh])$`)
)

// fill replaces the SDK's placeholders by what Slack would send in the
// samples' workspace, by key name.
func fill(path []string, v any) any {
	key := ""
	if len(path) > 0 {
		key = path[len(path)-1]
	}
	parent := ""
	if len(path) > 1 {
		parent = path[len(path)-2]
	}
	switch x := v.(type) {
	case map[string]any:
		for k, val := range x {
			x[k] = fill(append(path, k), val)
		}
		if key == "" && x["type"] == "" {
			x["type"] = "event_callback"
		}
		return x
	case []any:
		for i, val := range x {
			x[i] = fill(append(path, key), val) // elements keep the list's key
		}
		return x
	case json.Number:
		switch {
		case key == "event_time" || key == "created" || key == "updated" || key == "date_create" || key == "timestamp" || key == "edit_timestamp":
			return json.Number(fmt.Sprint(eventTime))
		}
		return x
	case bool:
		if key == "is_bot" && parent == "authorizations" {
			return true
		}
		return x
	case string:
		if x != "" && !strings.HasPrefix(x, "https://www.example.com") && !isPlaceholderID(x) {
			return x
		}
		return fillString(path, key, parent, x)
	}
	return v
}

func isPlaceholderID(s string) bool {
	return regexp.MustCompile(`^[A-Z]0{8,}$|^0{10}\.0{6}$`).MatchString(s)
}

func fillString(path []string, key, parent, x string) any {
	switch {
	case numericString.MatchString(key):
		return json.Number("360")
	case key == "created" || key == "timestamp" || key == "updated" || key == "edit_timestamp":
		return json.Number(fmt.Sprint(eventTime)) // Slack sends Unix seconds
	case key == "token":
		return "fake-verification-token"
	case key == "team_id" || key == "team" || key == "user_team" || key == "source_team" || (parent == "team" && key == "id"):
		return team
	case key == "api_app_id" || key == "app_id":
		return app
	case key == "domain" || key == "team_domain":
		return "prep-fake"
	case key == "authed_users" || (parent == "authorizations" && key == "user_id"):
		return botUser
	case key == "authed_teams":
		return team
	case key == "event_id":
		return "Ev0SAMPLE0001"
	case key == "event_context":
		return "4-eyJldCI6Im1lc3NhZ2UiLCJ0aWQiOiJUMFBSRVAiLCJhaWQiOiJBMFBSRVBCT1QiLCJjaWQiOiJDMENPSE9SVCJ9"
	case key == "channel" || key == "channel_id" || (parent == "channel" && key == "id") || key == "pinned_to":
		return channel
	case key == "channel_type":
		return "channel"
	case key == "channel_name" || (parent == "channel" && key == "name"):
		return "cohort-1"
	case key == "inviter" || key == "actor_id":
		return bo
	case key == "parent_user_id":
		return botUser // the question of the day is the bot's
	case key == "user" || key == "user_id" || key == "reply_users" || (parent == "user" && key == "id") || key == "editor" || key == "last_editor":
		return ana
	case key == "username" || key == "user_name" || (parent == "user" && key == "name"):
		return "ana"
	case key == "bot_id" || (parent == "bot_profile" && key == "id"):
		return botID
	case parent == "bot_profile" && key == "name":
		return "prepbot"
	case key == "thread_ts" || key == "latest_reply":
		return parentTS
	case tsKeys[key]:
		return replyTS
	case key == "client_msg_id":
		return "5b0a4a0e-7a1f-4c8e-9d1c-2f3b4c5d6e7f"
	case key == "trigger_id":
		return "1764752460123.123456.abcdef0123456789"
	case key == "response_url":
		return "https://hooks.slack.com/actions/T0PREP/1764752460/abcdef"
	case key == "command":
		return "/prep"
	case key == "view_id" || (parent == "view" && key == "id") || key == "root_view_id" || key == "previous_view_id":
		return "V0MODAL1"
	case key == "callback_id":
		return "add_question"
	case key == "hash":
		return "1764752460.abcdef12"
	case key == "text" && (parent == "event" || parent == "message" || parent == "previous_message" || parent == "root" || parent == ""):
		return answer
	case strings.HasPrefix(x, "https://www.example.com"):
		return "https://a.slack-edge.com/80588/img/avatars/ava_0001-72.png"
	}
	return x
}

// set puts val at path, creating nothing: a path that is not in the sample
// is an error, so that the overrides keep to Slack's fields. A nil val
// empties an object's fields (keeping the keys with zero values).
func set(v any, path []string, val any) error {
	if l, ok := v.([]any); ok {
		i, err := strconv.Atoi(path[0])
		if err != nil || i < 0 || i >= len(l) {
			return fmt.Errorf("no element %q", path[0])
		}
		if len(path) > 1 {
			return set(l[i], path[1:], val)
		}
		l[i] = val
		return nil
	}
	m, ok := v.(map[string]any)
	if !ok {
		return fmt.Errorf("not an object at %q", path[0])
	}
	cur, exists := m[path[0]]
	if !exists {
		return fmt.Errorf("no field %q", path[0])
	}
	if len(path) > 1 {
		return set(cur, path[1:], val)
	}
	if val == nil {
		m[path[0]] = zero(cur)
		return nil
	}
	m[path[0]] = val
	return nil
}

// zero keeps an object's keys with "" and false, for fields that do not
// apply to this kind of message (a person's message has no bot profile).
func zero(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, val := range x {
			x[k] = zero(val)
		}
		return x
	case string:
		return ""
	case bool:
		return false
	}
	return v
}
