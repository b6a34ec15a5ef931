package slacktest

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"io"
	"mime"
	"mime/multipart"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
)

type handler func(s *Server, p map[string]any) map[string]any

// handlers are the Web API methods the fake speaks, shaped like Slack's
// answers (docs.slack.dev/reference/methods).
var handlers map[string]handler

func init() {
	handlers = map[string]handler{
		"auth.test":                    (*Server).authTest,
		"apps.connections.open":        (*Server).connectionsOpen,
		"chat.postMessage":             (*Server).postMessage,
		"chat.postEphemeral":           (*Server).postEphemeral,
		"chat.update":                  (*Server).update,
		"chat.delete":                  (*Server).deleteMessage,
		"views.publish":                (*Server).viewsPublish,
		"views.open":                   (*Server).viewsOpen,
		"views.update":                 (*Server).viewsUpdate,
		"users.info":                   (*Server).usersInfo,
		"users.list":                   (*Server).usersList,
		"conversations.open":           (*Server).conversationsOpen,
		"conversations.info":           (*Server).conversationsInfo,
		"conversations.history":        (*Server).conversationsHistory,
		"conversations.replies":        (*Server).conversationsReplies,
		"files.getUploadURLExternal":   (*Server).getUploadURL,
		"files.completeUploadExternal": (*Server).completeUpload,
	}
}

func (s *Server) authTest(map[string]any) map[string]any {
	return ok(map[string]any{
		"url": "https://prep-fake.slack.com/", "team": "Prep Fake", "user": "prepbot",
		"team_id": TeamID, "user_id": BotUserID, "bot_id": BotID, "is_enterprise_install": false,
	})
}

func (s *Server) connectionsOpen(map[string]any) map[string]any {
	ticket := s.nextID("ticket-")
	return ok(map[string]any{"url": "ws" + strings.TrimPrefix(s.base, "http") + "/link/?ticket=" + ticket + "&app_id=" + AppID})
}

// channelFor resolves the channel a bot wants to post to: a channel ID, or
// a user ID, which Slack treats as the app's DM with that user.
func (s *Server) channelForLocked(id string) (*Channel, string) {
	if c, ok := s.channels[id]; ok {
		switch {
		case c.IsArchived:
			return nil, "is_archived"
		case !c.BotMember && !c.IsIM:
			return nil, "not_in_channel"
		}
		return c, ""
	}
	if _, ok := s.users[id]; ok {
		return s.imLocked(id), ""
	}
	return nil, "channel_not_found"
}

func (s *Server) imLocked(user string) *Channel {
	id := "D" + user
	c, ok := s.channels[id]
	if !ok {
		c = &Channel{ID: id, IsIM: true, BotMember: true, User: user}
		s.channels[id] = c
	}
	return c
}

func (s *Server) postMessage(p map[string]any) map[string]any {
	if r := s.checkMessageParams("chat.postMessage", p, true); r != nil {
		return r
	}
	text, blocks := str(p, "text"), rawJSON(p, "blocks")
	if text == "" && blocks == nil {
		return fail("no_text")
	}
	s.mu.Lock()
	c, errCode := s.channelForLocked(str(p, "channel"))
	if c == nil {
		s.mu.Unlock()
		return fail(errCode)
	}
	m := &Message{Channel: c.ID, TS: s.nextTS(), ThreadTS: str(p, "thread_ts"), User: BotUserID, BotID: BotID, Text: text, Blocks: blocks}
	s.addMessageLocked(m)
	s.mu.Unlock()
	if s.opts.OnPost != nil {
		s.opts.OnPost(*m)
	}
	// Slack sends the app its own message back as an event.
	s.sockets.sendEvent(messageEvent(m, ""), 0)
	return ok(map[string]any{"channel": c.ID, "ts": m.TS, "message": messageJSON(m)})
}

func (s *Server) addMessageLocked(m *Message) {
	if !s.opts.Lean {
		s.messages[m.Channel] = append(s.messages[m.Channel], m)
	}
	s.notifyLocked()
}

func (s *Server) postEphemeral(p map[string]any) map[string]any {
	user := str(p, "user")
	if r := s.checkMessageParams("chat.postEphemeral", p, true); r != nil {
		return r
	}
	if str(p, "text") == "" && rawJSON(p, "blocks") == nil {
		return fail("no_text")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c, errCode := s.channelForLocked(str(p, "channel"))
	if c == nil {
		return fail(errCode)
	}
	if _, known := s.users[user]; !known {
		return fail("user_not_found")
	}
	s.ephemerals = append(s.ephemerals, Ephemeral{Channel: c.ID, User: user, ThreadTS: str(p, "thread_ts"), Text: str(p, "text"), Blocks: rawJSON(p, "blocks"), At: time.Now()})
	s.notifyLocked()
	return ok(map[string]any{"message_ts": s.nextTS()})
}

func (s *Server) findLocked(channel, ts string) *Message {
	for _, m := range s.messages[channel] {
		if m.TS == ts && !m.Deleted {
			return m
		}
	}
	return nil
}

func (s *Server) update(p map[string]any) map[string]any {
	if r := s.checkMessageParams("chat.update", p, false); r != nil {
		return r
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	m := s.findLocked(str(p, "channel"), str(p, "ts"))
	if m == nil {
		return fail("message_not_found")
	}
	if m.BotID != BotID {
		return fail("cant_update_message")
	}
	if t := str(p, "text"); t != "" {
		m.Text = t
	}
	if b := rawJSON(p, "blocks"); b != nil {
		m.Blocks = b
	}
	m.Edited = true
	s.notifyLocked()
	return ok(map[string]any{"channel": m.Channel, "ts": m.TS, "text": m.Text})
}

func (s *Server) deleteMessage(p map[string]any) map[string]any {
	s.mu.Lock()
	defer s.mu.Unlock()
	m := s.findLocked(str(p, "channel"), str(p, "ts"))
	if m == nil {
		return fail("message_not_found")
	}
	m.Deleted = true
	s.notifyLocked()
	return ok(map[string]any{"channel": m.Channel, "ts": m.TS})
}

func (s *Server) viewsPublish(p map[string]any) map[string]any {
	user, view := str(p, "user_id"), rawJSON(p, "view")
	if view == nil {
		return fail("invalid_arguments")
	}
	var v struct {
		Type string `json:"type"`
	}
	if err := json.Unmarshal(view, &v); err != nil || v.Type != "home" {
		return fail("invalid_arguments")
	}
	if r := s.checkViewParam("views.publish", view, "home"); r != nil {
		return r
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, known := s.users[user]; !known {
		return fail("user_not_found")
	}
	s.views[user] = view
	s.notifyLocked()
	return ok(map[string]any{"view": map[string]any{"id": s.nextID("V"), "type": "home"}})
}

func (s *Server) viewsOpen(p map[string]any) map[string]any {
	return s.openView("views.open", p)
}

func (s *Server) viewsUpdate(p map[string]any) map[string]any {
	return s.openView("views.update", p)
}

func (s *Server) openView(method string, p map[string]any) map[string]any {
	view := rawJSON(p, "view")
	if view == nil || (str(p, "trigger_id") == "" && str(p, "view_id") == "") {
		return fail("invalid_arguments")
	}
	if r := s.checkViewParam(method, view, "modal"); r != nil {
		return r
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.modals = append(s.modals, view)
	s.notifyLocked()
	return ok(map[string]any{"view": map[string]any{"id": s.nextID("V"), "type": "modal"}})
}

// Modals returns the views opened with views.open, in order.
func (s *Server) Modals() []json.RawMessage {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]json.RawMessage(nil), s.modals...)
}

func (s *Server) usersInfo(p map[string]any) map[string]any {
	s.mu.Lock()
	defer s.mu.Unlock()
	u, known := s.users[str(p, "user")]
	if !known {
		return fail("user_not_found")
	}
	return ok(map[string]any{"user": userJSON(u)})
}

// usersList pages through the members by ID, as Slack does with cursors:
// limit (default and maximum 1000, as Slack's page size can be at most
// that) and next_cursor, "" on the last page.
func (s *Server) usersList(p map[string]any) map[string]any {
	limit, _ := strconv.Atoi(str(p, "limit"))
	if limit <= 0 || limit > 1000 {
		limit = 1000
	}
	// Cursors are opaque to the app, as Slack's are (base64 of the last ID).
	var cursor string
	if c := str(p, "cursor"); c != "" {
		b, err := base64.StdEncoding.DecodeString(c)
		if err != nil || !strings.HasPrefix(string(b), "user:") {
			return fail("invalid_cursor")
		}
		cursor = strings.TrimPrefix(string(b), "user:")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	ids := make([]string, 0, len(s.users))
	for id := range s.users {
		if id > cursor || cursor == "" {
			ids = append(ids, id)
		}
	}
	sort.Strings(ids)
	next := ""
	if len(ids) > limit {
		ids = ids[:limit]
		next = base64.StdEncoding.EncodeToString([]byte("user:" + ids[limit-1]))
	}
	members := make([]map[string]any, 0, len(ids))
	for _, id := range ids {
		members = append(members, userJSON(s.users[id]))
	}
	return ok(map[string]any{
		"members": members, "cache_ts": s.opts.Now().Unix(),
		"response_metadata": map[string]any{"next_cursor": next},
	})
}

func userJSON(u *User) map[string]any {
	offset := 0
	if loc, err := time.LoadLocation(u.TZ); err == nil {
		_, offset = time.Now().In(loc).Zone()
	}
	return map[string]any{
		"id": u.ID, "team_id": TeamID, "name": u.Name, "real_name": u.RealName,
		"tz": u.TZ, "tz_label": u.TZ, "tz_offset": offset,
		"is_admin": u.IsAdmin, "is_owner": u.IsOwner, "is_bot": u.IsBot, "deleted": false,
		"profile": map[string]any{"real_name": u.RealName, "display_name": u.Name},
	}
}

// conversationsOpen opens the app's DM with one user, or a group DM
// (mpim) with 2 to 8: Slack answers the same channel for the same set of
// people, whatever their order, and refuses more than 8 (too_many_users).
func (s *Server) conversationsOpen(p map[string]any) map[string]any {
	users := strings.Split(str(p, "users"), ",")
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, u := range users {
		if s.users[u] == nil {
			return fail("user_not_found")
		}
	}
	switch {
	case len(users) > 8:
		return fail("too_many_users")
	case len(users) == 1:
		c := s.imLocked(users[0])
		return ok(map[string]any{"channel": map[string]any{"id": c.ID}})
	}
	c := s.mpimLocked(users)
	return ok(map[string]any{"channel": map[string]any{"id": c.ID, "is_mpim": true}})
}

// mpimLocked is the group DM of the app with users (created on first use).
func (s *Server) mpimLocked(users []string) *Channel {
	members := slices.Clone(users)
	slices.Sort(members)
	members = slices.Compact(members)
	// Opaque, like Slack's: the ID does not spell out who is in it.
	sum := sha256.Sum256([]byte(strings.Join(members, ",")))
	id := "G" + strings.ToUpper(hex.EncodeToString(sum[:6]))
	c, ok := s.channels[id]
	if !ok {
		c = &Channel{ID: id, Name: "mpdm-" + strings.Join(members, "--"), IsMPIM: true, BotMember: true, Members: members}
		s.channels[id] = c
	}
	return c
}

func (s *Server) conversationsInfo(p map[string]any) map[string]any {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, known := s.channels[str(p, "channel")]
	if !known {
		return fail("channel_not_found")
	}
	return ok(map[string]any{"channel": map[string]any{
		"id": c.ID, "name": c.Name, "is_channel": !c.IsIM && !c.IsMPIM, "is_im": c.IsIM, "is_mpim": c.IsMPIM,
		"is_archived": c.IsArchived, "is_member": c.BotMember, "user": c.User,
	}})
}

func (s *Server) conversationsHistory(p map[string]any) map[string]any {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, known := s.channels[str(p, "channel")]
	if !known {
		return fail("channel_not_found")
	}
	if !c.BotMember {
		return fail("not_in_channel")
	}
	oldest, _ := strconv.ParseFloat(str(p, "oldest"), 64)
	var all []map[string]any
	msgs := s.messages[c.ID]
	// Newest first, top-level messages only, like Slack.
	for i := len(msgs) - 1; i >= 0; i-- {
		m := msgs[i]
		ts, _ := strconv.ParseFloat(m.TS, 64)
		if m.Deleted || (m.ThreadTS != "" && m.ThreadTS != m.TS) || ts < oldest {
			continue
		}
		all = append(all, messageJSON(m))
	}
	return page(p, all, 100, 999)
}

// page answers one page of a cursor-paginated method the way Slack does:
// at most limit items (def when absent, capped at max), has_more, and
// response_metadata.next_cursor naming where the next page starts.
func page(p map[string]any, all []map[string]any, def, max int) map[string]any {
	limit, _ := strconv.Atoi(str(p, "limit"))
	if limit <= 0 {
		limit = def
	}
	limit = min(limit, max)
	start := 0
	if c := str(p, "cursor"); c != "" {
		raw, err := base64.StdEncoding.DecodeString(c)
		n, ok := strings.CutPrefix(string(raw), "offset:")
		start, _ = strconv.Atoi(n)
		if err != nil || !ok || start < 0 || start > len(all) {
			return fail("invalid_cursor")
		}
	}
	end := min(start+limit, len(all))
	out := map[string]any{"messages": all[start:end], "has_more": end < len(all)}
	next := ""
	if end < len(all) {
		next = base64.StdEncoding.EncodeToString([]byte("offset:" + strconv.Itoa(end)))
	}
	out["response_metadata"] = map[string]any{"next_cursor": next}
	return ok(out)
}

func (s *Server) conversationsReplies(p map[string]any) map[string]any {
	s.mu.Lock()
	defer s.mu.Unlock()
	ts := str(p, "ts")
	var out []map[string]any
	for _, m := range s.messages[str(p, "channel")] {
		if !m.Deleted && (m.TS == ts || m.ThreadTS == ts) {
			out = append(out, messageJSON(m))
		}
	}
	if out == nil {
		return fail("thread_not_found")
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i]["ts"].(string) < out[j]["ts"].(string) })
	return page(p, out, 1000, 1000)
}

func (s *Server) getUploadURL(p map[string]any) map[string]any {
	name := str(p, "filename")
	if name == "" || str(p, "length") == "" {
		return fail("invalid_arguments")
	}
	id := s.nextID("F")
	s.mu.Lock()
	s.uploads[id] = &Upload{FileID: id, Filename: name}
	s.mu.Unlock()
	return ok(map[string]any{"upload_url": s.base + "/upload/" + id, "file_id": id})
}

func (s *Server) completeUpload(p map[string]any) map[string]any {
	var files []struct {
		ID    string `json:"id"`
		Title string `json:"title"`
	}
	if err := json.Unmarshal(rawJSON(p, "files"), &files); err != nil || len(files) == 0 {
		return fail("invalid_arguments")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var done []map[string]any
	for _, f := range files {
		u, known := s.uploads[f.ID]
		if !known || u.Content == nil {
			return fail("file_not_found")
		}
		u.Done = true
		u.Channel = str(p, "channel_id")
		done = append(done, map[string]any{"id": f.ID, "title": f.Title})
	}
	s.notifyLocked()
	return ok(map[string]any{"files": done})
}

func messageJSON(m *Message) map[string]any {
	out := map[string]any{"type": "message", "ts": m.TS, "text": m.Text}
	if m.User != "" {
		out["user"] = m.User
	}
	if m.BotID != "" {
		out["bot_id"] = m.BotID
	}
	if m.ThreadTS != "" {
		out["thread_ts"] = m.ThreadTS
	}
	if m.Blocks != nil {
		out["blocks"] = m.Blocks
	}
	return out
}

// extractMultipartFile returns the first file part of a multipart body, or
// the body itself when it is not multipart.
func extractMultipartFile(contentType string, body []byte) []byte {
	mt, params, err := mime.ParseMediaType(contentType)
	if err != nil || !strings.HasPrefix(mt, "multipart/") {
		return body
	}
	r := multipart.NewReader(bytes.NewReader(body), params["boundary"])
	for {
		part, err := r.NextPart()
		if err != nil {
			return body
		}
		if part.FileName() != "" || part.FormName() == "file" {
			b, _ := io.ReadAll(part)
			return b
		}
	}
}
