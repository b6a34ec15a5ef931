package slacktest

import (
	"cmp"
	"encoding/json"
	"sort"
	"strconv"
	"strings"
	"sync/atomic"
)

// This file holds what the playground (internal/playground) needs beyond
// what tests use: one consistent copy of everything a person could see,
// interactions that report their trigger ID (so a modal the app opens can
// be shown to the person who asked for it), and saving and restoring the
// conversations across restarts.

// Snapshot is a consistent copy of the fake's conversations, taken under
// one lock.
type Snapshot struct {
	Users      []User                     // sorted by ID, the bot included
	Channels   []Channel                  // sorted by ID
	Messages   []Message                  // live messages; channels sorted by ID, each in post order
	Ephemerals []Ephemeral                // in the order they were shown
	Homes      map[string]json.RawMessage // user -> published App Home view
	Views      []OpenedView               // views.open and views.update calls, in order
	Uploads    []Upload                   // completed file uploads, by file ID
	// LastTS is the newest message timestamp issued so far: everything in
	// the snapshot happened at or before it, everything later after it.
	LastTS string
}

// OpenedView is one views.open or views.update call the app made.
type OpenedView struct {
	Method    string // "views.open" or "views.update"
	TriggerID string // views.open: the trigger of the interaction it answers
	ViewID    string // views.update: the view it replaces
	View      json.RawMessage
}

// Snapshot returns a consistent copy of the fake's conversations.
func (s *Server) Snapshot() Snapshot {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out Snapshot
	for _, u := range s.users {
		out.Users = append(out.Users, *u)
	}
	sort.Slice(out.Users, func(i, j int) bool { return out.Users[i].ID < out.Users[j].ID })
	var ids []string
	for id, c := range s.channels {
		out.Channels = append(out.Channels, *c)
		ids = append(ids, id)
	}
	sort.Slice(out.Channels, func(i, j int) bool { return out.Channels[i].ID < out.Channels[j].ID })
	for id := range s.messages {
		if _, known := s.channels[id]; !known {
			ids = append(ids, id)
		}
	}
	sort.Strings(ids)
	for _, id := range ids {
		for _, m := range s.messages[id] {
			if !m.Deleted {
				out.Messages = append(out.Messages, *m)
			}
		}
	}
	out.Ephemerals = append([]Ephemeral(nil), s.ephemerals...)
	out.Homes = make(map[string]json.RawMessage, len(s.views))
	for u, v := range s.views {
		out.Homes[u] = v
	}
	for _, c := range s.calls {
		if (c.Method != "views.open" && c.Method != "views.update") || c.Error != "" {
			continue
		}
		out.Views = append(out.Views, OpenedView{Method: c.Method, TriggerID: c.Param("trigger_id"), ViewID: c.Param("view_id"), View: rawJSON(c.Params, "view")})
	}
	var files []string
	for id, u := range s.uploads {
		if u.Done {
			files = append(files, id)
		}
	}
	sort.Strings(files)
	for _, id := range files {
		out.Uploads = append(out.Uploads, *s.uploads[id])
	}
	out.LastTS = formatTS(atomic.LoadInt64(&s.lastTS))
	return out
}

func formatTS(micros int64) string {
	return strconv.FormatInt(micros/1_000_000, 10) + "." + leftPad(strconv.FormatInt(micros%1_000_000, 10), 6)
}

func leftPad(s string, n int) string {
	if len(s) >= n {
		return s
	}
	return strings.Repeat("0", n-len(s)) + s
}

// SlashCommandTrigger is SlashCommandURL with a trigger ID chosen by the
// caller (one is made up when it is empty), so that the caller can expect
// a views.open with it before the app can answer. It returns the trigger ID.
func (s *Server) SlashCommandTrigger(user, channel, text, trigger string) (Delivery, string) {
	s.mu.Lock()
	name := channel
	if c, ok := s.channels[channel]; ok {
		name = c.Name
	}
	userName := user
	if u, ok := s.users[user]; ok {
		userName = u.Name
	}
	command := cmp.Or(s.slashCommand, "/prep")
	s.mu.Unlock()
	respURL := s.ResponseURL(channel, user)
	if trigger == "" {
		trigger = s.nextID("trig.")
	}
	payload, _ := json.Marshal(map[string]string{
		"token": "fake-verification-token", "team_id": TeamID, "team_domain": "prep-fake",
		"channel_id": channel, "channel_name": name, "user_id": user, "user_name": userName,
		"command": command, "text": text, "api_app_id": AppID, "is_enterprise_install": "false",
		"response_url": respURL, "trigger_id": trigger,
	})
	d := Delivery{EnvelopeID: s.sockets.send("slash_commands", payload, 0), EventID: respURL[strings.LastIndex(respURL, "/")+1:]}
	return d, trigger
}

// Action is a button press for Press.
type Action struct {
	User      string
	Channel   string // the message's channel; empty for App Home
	MessageTS string // the message the button is on (ephemeral ones too)
	Ephemeral bool   // the button is on an ephemeral message
	Home      bool   // the button is on the user's App Home, not a message
	ActionID  string
	BlockID   string // empty means "b-" + ActionID
	Value     string
	Text      string // the button's label; empty means ActionID
	TriggerID string // empty means a new one
}

// Press sends a block_actions payload shaped like Slack's for a button on
// a message (with a response_url) or on the App Home (without one), and
// returns the envelope ID and the trigger ID.
func (s *Server) Press(a Action) (envelopeID, triggerID string) {
	if a.BlockID == "" {
		a.BlockID = "b-" + a.ActionID
	}
	if a.Text == "" {
		a.Text = a.ActionID
	}
	userName := a.User
	s.mu.Lock()
	if u, ok := s.users[a.User]; ok {
		userName = u.Name
	}
	var msg map[string]any
	if !a.Home && !a.Ephemeral {
		if m := s.findLocked(a.Channel, a.MessageTS); m != nil {
			msg = messageJSON(m)
		}
	}
	home := s.views[a.User]
	s.mu.Unlock()
	triggerID = a.TriggerID
	if triggerID == "" {
		triggerID = s.nextID("trig.")
	}
	body := map[string]any{
		"type": "block_actions", "token": "fake-verification-token", "api_app_id": AppID,
		"user":       map[string]any{"id": a.User, "username": userName, "name": userName, "team_id": TeamID},
		"team":       map[string]any{"id": TeamID, "domain": "prep-fake"},
		"trigger_id": triggerID,
		"actions": []map[string]any{{
			"action_id": a.ActionID, "block_id": a.BlockID, "value": a.Value, "type": "button",
			"action_ts": s.nextTS(), "text": map[string]any{"type": "plain_text", "text": a.Text, "emoji": true},
		}},
	}
	if a.Home {
		viewID := "VHOME" + a.User
		body["container"] = map[string]any{"type": "view", "view_id": viewID}
		view := map[string]any{"id": viewID, "type": "home", "team_id": TeamID, "app_id": AppID, "bot_id": BotID}
		if home != nil {
			var blocks struct {
				Blocks json.RawMessage `json:"blocks"`
			}
			if json.Unmarshal(home, &blocks) == nil && blocks.Blocks != nil {
				view["blocks"] = blocks.Blocks
			}
		}
		body["view"] = view
	} else {
		body["container"] = map[string]any{"type": "message", "message_ts": a.MessageTS, "channel_id": a.Channel, "is_ephemeral": a.Ephemeral}
		body["channel"] = map[string]any{"id": a.Channel, "name": a.Channel}
		body["response_url"] = s.ResponseURL(a.Channel, a.User)
		if msg != nil {
			body["message"] = msg
		}
	}
	payload, _ := json.Marshal(body)
	return s.sockets.send("interactive", payload, 0), triggerID
}

// Conversations is what Restore puts back: the messages, ephemerals, App
// Home views, group DMs and files of an earlier run.
type Conversations struct {
	Messages   []Message                  `json:"messages"`
	Ephemerals []Ephemeral                `json:"ephemerals"`
	Homes      map[string]json.RawMessage `json:"homes"`
	GroupDMs   []Channel                  `json:"group_dms,omitempty"`
	Uploads    []Upload                   `json:"uploads,omitempty"`
}

// Restore puts back conversations saved from an earlier run (before the
// app connects): no events are sent. Messages in D… channels recreate the
// DMs; later messages get newer timestamps than every restored one.
func (s *Server) Restore(c Conversations) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var newest int64
	for i := range c.Messages {
		m := c.Messages[i]
		if m.Channel == "" || m.TS == "" {
			continue
		}
		if user, ok := strings.CutPrefix(m.Channel, "D"); ok {
			if _, known := s.users[user]; known {
				s.imLocked(user)
			}
		}
		s.messages[m.Channel] = append(s.messages[m.Channel], &m)
		if ts := TSMicros(m.TS); ts > newest {
			newest = ts
		}
	}
	for _, g := range c.GroupDMs {
		if g.IsMPIM && g.ID != "" && len(g.Members) >= 2 {
			s.channels[g.ID] = &g
		}
	}
	var newestID int64
	for _, u := range c.Uploads {
		if u.FileID == "" || !u.Done {
			continue
		}
		s.uploads[u.FileID] = &u
		if n, err := strconv.ParseInt(strings.TrimLeft(u.FileID, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"), 10, 64); err == nil && n > newestID {
			newestID = n
		}
	}
	for {
		// New IDs must not reuse a restored file's.
		last := s.idSeq.Load()
		if newestID <= last || s.idSeq.CompareAndSwap(last, newestID) {
			break
		}
	}
	s.ephemerals = append(s.ephemerals, c.Ephemerals...)
	for u, v := range c.Homes {
		s.views[u] = v
	}
	for {
		last := atomic.LoadInt64(&s.lastTS)
		if newest <= last || atomic.CompareAndSwapInt64(&s.lastTS, last, newest) {
			break
		}
	}
	s.notifyLocked()
}

// TSMicros reads a Slack timestamp ("1700000000.000123") as
// microseconds; 0 if it is not one.
func TSMicros(ts string) int64 {
	sec, frac, _ := strings.Cut(ts, ".")
	s, err := strconv.ParseInt(sec, 10, 64)
	if err != nil || s < 0 {
		return 0
	}
	frac = (frac + "000000")[:6]
	f, err := strconv.ParseInt(frac, 10, 64)
	if err != nil || f < 0 {
		return 0
	}
	return s*1_000_000 + f
}
