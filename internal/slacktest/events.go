package slacktest

import (
	"encoding/json"
	"fmt"
	"strconv"
	"time"
)

// Payload shapes follow Slack's documentation of the Events API
// (event_callback), slash commands and block_actions / view_submission.

func (s *Server) eventCallback(inner map[string]any) (payload []byte, eventID string) {
	eventID = s.nextID("Ev0")
	body := map[string]any{
		"token": "fake-verification-token", "team_id": TeamID, "api_app_id": AppID,
		"event": inner, "type": "event_callback", "event_id": eventID,
		"event_time": time.Now().Unix(), "is_ext_shared_channel": false, "event_context": "4-fake-" + eventID,
		"authorizations": []map[string]any{{"enterprise_id": nil, "team_id": TeamID, "user_id": BotUserID, "is_bot": true, "is_enterprise_install": false}},
	}
	b, _ := json.Marshal(body)
	return b, eventID
}

// messageEvent is the Events API message event for m; subtype may be "".
func messageEvent(m *Message, subtype string) []byte {
	inner := messageJSON(m)
	inner["channel"] = m.Channel
	inner["event_ts"] = m.TS
	inner["channel_type"] = channelType(m.Channel)
	// The app's own messages come back as plain messages carrying bot_id
	// and the bot user (Slack keeps the bot_message subtype for
	// integrations that post without a bot user).
	if subtype != "" {
		inner["subtype"] = subtype
	}
	b, _ := json.Marshal(map[string]any{
		"token": "fake-verification-token", "team_id": TeamID, "api_app_id": AppID, "event": inner,
		"type": "event_callback", "event_id": "Ev0echo" + m.TS, "event_time": time.Now().Unix(),
	})
	return b
}

func channelType(id string) string {
	switch {
	case len(id) > 0 && id[0] == 'D':
		return "im"
	case len(id) > 0 && id[0] == 'G':
		return "mpim"
	}
	return "channel"
}

// Delivery identifies one envelope sent to the app.
type Delivery struct {
	EnvelopeID string
	EventID    string
	TS         string // the message ts, for message events
}

// SendEvent sends an arbitrary Events API inner event.
func (s *Server) SendEvent(inner map[string]any) Delivery {
	payload, eventID := s.eventCallback(inner)
	return Delivery{EnvelopeID: s.sockets.sendEvent(payload, 0), EventID: eventID}
}

// UserMessage posts a message as user in channel (in threadTS's thread when
// set; broadcast also shows it in the channel) and sends the message event.
func (s *Server) UserMessage(channel, user, text, threadTS string, broadcast bool) Delivery {
	m := &Message{Channel: channel, TS: s.nextTS(), ThreadTS: threadTS, User: user, Text: text}
	s.mu.Lock()
	if channelType(channel) == "im" {
		s.imLocked(user)
	}
	s.addMessageLocked(m)
	s.mu.Unlock()
	inner := messageJSON(m)
	inner["channel"], inner["event_ts"], inner["channel_type"] = channel, m.TS, channelType(channel)
	if broadcast {
		inner["subtype"] = "thread_broadcast"
	}
	d := s.SendEvent(inner)
	d.TS = m.TS
	return d
}

// BotMessage posts a message from another app (bot_id set) and sends the event.
func (s *Server) BotMessage(channel, botID, text, threadTS string) Delivery {
	m := &Message{Channel: channel, TS: s.nextTS(), ThreadTS: threadTS, BotID: botID, Text: text}
	s.mu.Lock()
	s.addMessageLocked(m)
	s.mu.Unlock()
	inner := messageJSON(m)
	inner["channel"], inner["event_ts"], inner["subtype"] = channel, m.TS, "bot_message"
	d := s.SendEvent(inner)
	d.TS = m.TS
	return d
}

// EditMessage changes a user's message and sends message_changed.
func (s *Server) EditMessage(channel, ts, text string) (Delivery, error) {
	s.mu.Lock()
	m := s.findLocked(channel, ts)
	if m == nil {
		s.mu.Unlock()
		return Delivery{}, fmt.Errorf("slacktest: no message %s in %s", ts, channel)
	}
	prev := messageJSON(m)
	m.Text, m.Edited = text, true
	cur := messageJSON(m)
	cur["edited"] = map[string]any{"user": m.User, "ts": s.nextTS()}
	s.notifyLocked()
	s.mu.Unlock()
	evTS := s.nextTS()
	return s.SendEvent(map[string]any{
		"type": "message", "subtype": "message_changed", "hidden": true, "channel": channel,
		"ts": evTS, "event_ts": evTS, "channel_type": channelType(channel),
		"message": cur, "previous_message": prev,
	}), nil
}

// DeleteMessage deletes a message and sends message_deleted.
func (s *Server) DeleteMessage(channel, ts string) (Delivery, error) {
	s.mu.Lock()
	m := s.findLocked(channel, ts)
	if m == nil {
		s.mu.Unlock()
		return Delivery{}, fmt.Errorf("slacktest: no message %s in %s", ts, channel)
	}
	m.Deleted = true
	prev := messageJSON(m)
	s.notifyLocked()
	s.mu.Unlock()
	evTS := s.nextTS()
	return s.SendEvent(map[string]any{
		"type": "message", "subtype": "message_deleted", "hidden": true, "channel": channel,
		"ts": evTS, "event_ts": evTS, "deleted_ts": ts, "channel_type": channelType(channel),
		"previous_message": prev,
	}), nil
}

// AppHomeOpened sends app_home_opened for user's Home tab.
func (s *Server) AppHomeOpened(user string) Delivery {
	return s.SendEvent(map[string]any{
		"type": "app_home_opened", "user": user, "channel": "D" + user, "tab": "home",
		"event_ts": s.nextTS(),
	})
}

// SlashCommand sends /prep text as user in channel and returns the envelope
// ID. Replies to its response_url are recorded in Responses.
func (s *Server) SlashCommand(user, channel, text string) string {
	return s.SlashCommandURL(user, channel, text).EnvelopeID
}

// SlashCommandURL is SlashCommand that also returns the response_url's ID
// (in Delivery.EventID), to match the answer in Responses.
func (s *Server) SlashCommandURL(user, channel, text string) Delivery {
	d, _ := s.SlashCommandTrigger(user, channel, text, "")
	return d
}

// Click presses a button (block_actions) as user on the message at
// messageTS in channel; ephemeral marks a button on an ephemeral message.
func (s *Server) Click(user, channel, messageTS, actionID, value string, ephemeral bool) string {
	s.mu.Lock()
	var msg map[string]any
	if m := s.findLocked(channel, messageTS); m != nil {
		msg = messageJSON(m)
	}
	s.mu.Unlock()
	actionTS := s.nextTS()
	body := map[string]any{
		"type": "block_actions", "token": "fake-verification-token", "api_app_id": AppID,
		"user":       map[string]any{"id": user, "username": user, "name": user, "team_id": TeamID},
		"team":       map[string]any{"id": TeamID, "domain": "prep-fake"},
		"container":  map[string]any{"type": "message", "message_ts": messageTS, "channel_id": channel, "is_ephemeral": ephemeral},
		"channel":    map[string]any{"id": channel, "name": channel},
		"trigger_id": s.nextID("trig."), "response_url": s.ResponseURL(channel, user),
		"actions": []map[string]any{{
			"action_id": actionID, "block_id": "b-" + actionID, "value": value, "type": "button",
			"action_ts": actionTS, "text": map[string]any{"type": "plain_text", "text": actionID},
		}},
	}
	if msg != nil {
		body["message"] = msg
	}
	payload, _ := json.Marshal(body)
	return s.sockets.send("interactive", payload, 0)
}

// SubmitView submits a modal (view_submission) as user. values maps
// block_id -> action_id -> value.
func (s *Server) SubmitView(user, callbackID, privateMetadata string, values map[string]map[string]string) string {
	state := map[string]any{}
	for block, actions := range values {
		m := map[string]any{}
		for action, v := range actions {
			m[action] = map[string]any{"type": "plain_text_input", "value": v}
		}
		state[block] = m
	}
	payload, _ := json.Marshal(map[string]any{
		"type": "view_submission", "token": "fake-verification-token", "api_app_id": AppID,
		"user": map[string]any{"id": user, "username": user, "name": user, "team_id": TeamID},
		"team": map[string]any{"id": TeamID, "domain": "prep-fake"}, "trigger_id": s.nextID("trig."),
		"view": map[string]any{
			"id": s.nextID("V"), "type": "modal", "callback_id": callbackID, "private_metadata": privateMetadata,
			"state": map[string]any{"values": state}, "hash": strconv.FormatInt(time.Now().UnixNano(), 36),
		},
	})
	return s.sockets.send("interactive", payload, 0)
}

// FillModal submits a modal the app opened (one of Modals) as user, the
// way Slack does: answers maps an input block's ID to what the person
// chose or typed (an option's value for selects and radio buttons), and
// the state carries each input's real type and shape (value, or
// selected_option with its text). An answer for a block the view does not
// have, or an option it does not offer, is an error: the test is wrong.
func (s *Server) FillModal(user string, view json.RawMessage, answers map[string]string) (string, error) {
	var v struct {
		CallbackID      string `json:"callback_id"`
		PrivateMetadata string `json:"private_metadata"`
		Blocks          []struct {
			Type    string `json:"type"`
			BlockID string `json:"block_id"`
			Element struct {
				Type     string           `json:"type"`
				ActionID string           `json:"action_id"`
				Options  []map[string]any `json:"options"`
			} `json:"element"`
		} `json:"blocks"`
	}
	if err := json.Unmarshal(view, &v); err != nil {
		return "", fmt.Errorf("slacktest: view: %w", err)
	}
	state := map[string]any{}
	used := 0
	for _, b := range v.Blocks {
		if b.Type != "input" {
			continue
		}
		answer, given := answers[b.BlockID]
		el := map[string]any{"type": b.Element.Type}
		switch b.Element.Type {
		case "plain_text_input":
			el["value"] = nil
			if given {
				el["value"] = answer
			}
		case "static_select", "radio_buttons":
			el["selected_option"] = nil
			if given {
				var found map[string]any
				for _, o := range b.Element.Options {
					if o["value"] == answer {
						found = o
					}
				}
				if found == nil {
					return "", fmt.Errorf("slacktest: block %s offers no option %q", b.BlockID, answer)
				}
				el["selected_option"] = found
			}
		default:
			return "", fmt.Errorf("slacktest: FillModal does not know %s inputs", b.Element.Type)
		}
		if given {
			used++
		}
		state[b.BlockID] = map[string]any{b.Element.ActionID: el}
	}
	if used != len(answers) {
		return "", fmt.Errorf("slacktest: %d answers for blocks the view does not have", len(answers)-used)
	}
	payload, _ := json.Marshal(map[string]any{
		"type": "view_submission", "token": "fake-verification-token", "api_app_id": AppID,
		"user": map[string]any{"id": user, "username": user, "name": user, "team_id": TeamID},
		"team": map[string]any{"id": TeamID, "domain": "prep-fake"}, "trigger_id": s.nextID("trig."),
		"view": map[string]any{
			"id": s.nextID("V"), "type": "modal", "callback_id": v.CallbackID, "private_metadata": v.PrivateMetadata,
			"state": map[string]any{"values": state}, "hash": strconv.FormatInt(time.Now().UnixNano(), 36),
		},
	})
	return s.sockets.send("interactive", payload, 0), nil
}
