// Package slacktest is an in-process fake of Slack for prepbot's tests and
// playground: the Web API methods the bot calls, a response_url endpoint,
// file uploads, and a Socket Mode WebSocket, all served on 127.0.0.1.
//
// It checks tokens the way Slack does, keeps channels and messages, echoes
// the bot's own posts back as message events, records every call, and can
// inject faults: HTTP 429 with Retry-After, 5xx, slow responses, dropped
// sockets, disconnect requests and redelivered envelopes. A call to a method
// it does not know is answered with unknown_method and recorded in
// Unexpected, which tests check.
//
// It refuses what Slack refuses (Options.Lenient turns this off): Block
// Kit and message limits, response_url uses and lifetime, oversized acks,
// each answered as Slack answers and recorded in Unexpected; LIMITS.md
// lists every limit with the Slack page it comes from. With
// Options.RateLimits it also rate-limits each method by Slack's tiers.
// SendSample replays Slack's own sample payloads (testdata/samples) to the
// app. Its answers and payloads are tested against the shapes of Slack's
// samples (testdata/shapes).
package slacktest

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Defaults for a new Server's identity and tokens.
const (
	DefaultAppToken = "xapp-1-A0PREPBOT-1-fake"
	DefaultBotToken = "xoxb-1-fake-bot-token"
	TeamID          = "T0PREP"
	AppID           = "A0PREPBOT"
	BotUserID       = "U0PREPBOT"
	BotID           = "B0PREPBOT"
)

// Options configure a Server. The zero value is ready to use.
type Options struct {
	AppToken string // default DefaultAppToken
	BotToken string // default DefaultBotToken
	// PingInterval is how often the socket sends WebSocket pings; slack-go
	// reconnects when it hears none for 30 s. Zero means 10 s.
	PingInterval time.Duration
	// Now stamps message timestamps and is the clock of response_url expiry
	// and of rate limits. Nil means time.Now.
	Now func() time.Time
	// OnResponse, if set, is called for every POST to a response_url (for
	// load tools measuring command latency).
	OnResponse func(ResponsePost)
	// OnPost, if set, is called for every message the app posts with
	// chat.postMessage (for load tools playing users who read them).
	OnPost func(Message)
	// OnCall, if set, is called after every Web API call (for load tools
	// counting calls while Lean keeps none).
	OnCall func(Call)
	// Lean stops the fake from keeping messages, calls and responses, so a
	// long load run does not grow it (assertions on them then see nothing).
	Lean bool
	// Lenient turns off the checks of Slack's documented limits (Block Kit,
	// text length, response_url uses and lifetime, ack frame size; see
	// LIMITS.md). By default the fake refuses what Slack refuses, answering
	// as Slack does and recording each refusal in Unexpected.
	Lenient bool
	// RateLimits turns on Slack's per-method rate limits: a call over its
	// tier is answered HTTP 429 with Retry-After. Off by default, for unit
	// tests that do not care; end-to-end and load tests turn it on.
	RateLimits bool
	// Rates overrides the rate of each method when RateLimits is on. Nil
	// means DefaultRates; a method missing from the map is not limited.
	Rates map[string]Rate
}

// Call is one recorded Web API call.
type Call struct {
	Method string
	Params map[string]any // form values as strings, JSON bodies as decoded
	At     time.Time
	Status int // HTTP status answered
	Error  string
}

// Param returns a call parameter as a string ("" when missing).
func (c Call) Param(name string) string {
	switch v := c.Params[name].(type) {
	case nil:
		return ""
	case string:
		return v
	default:
		b, _ := json.Marshal(v)
		return string(b)
	}
}

// User is a workspace member as users.info returns it.
type User struct {
	ID       string
	Name     string
	RealName string
	TZ       string // IANA zone, default "America/New_York"
	IsAdmin  bool
	IsOwner  bool
	IsBot    bool
}

// Channel is a conversation the fake knows.
type Channel struct {
	ID         string
	Name       string
	IsIM       bool
	IsMPIM     bool     // a group DM (conversations.open with several users)
	Members    []string // for group DMs: the people in it, sorted
	IsArchived bool
	BotMember  bool
	User       string // for IMs: the other member
}

// Message is a message the fake holds in a channel.
type Message struct {
	Channel  string          `json:"channel"`
	TS       string          `json:"ts"`
	ThreadTS string          `json:"thread_ts,omitempty"`
	User     string          `json:"user,omitempty"`
	BotID    string          `json:"bot_id,omitempty"`
	Text     string          `json:"text"`
	Blocks   json.RawMessage `json:"blocks,omitempty"`
	Edited   bool            `json:"edited,omitempty"`
	Deleted  bool            `json:"-"`
}

// Ephemeral is a chat.postEphemeral message or an ephemeral response_url
// reply: only User sees it.
type Ephemeral struct {
	Channel  string
	User     string
	ThreadTS string
	Text     string
	Blocks   json.RawMessage
	At       time.Time
}

// ResponsePost is one POST to a response_url.
type ResponsePost struct {
	ID      string // the response_url's ID
	Body    map[string]any
	Channel string
	User    string
	At      time.Time
}

// Upload is a file sent through files.getUploadURLExternal and completed.
type Upload struct {
	FileID   string
	Filename string
	Content  []byte
	Channel  string
	Done     bool
}

type fault struct {
	pass       bool // no fault: a place holder, so a later call gets one
	hangUp     bool // process the call, then close the connection unanswered
	status     int
	retryAfter int
	slackErr   string
}

// Server is the fake Slack. Create it with New; all methods are safe for
// concurrent use.
type Server struct {
	opts     Options
	listener net.Listener
	http     *http.Server
	base     string

	mu           sync.Mutex
	slashCommand string // the command name slash commands carry ("/prep" when empty)
	calls        []Call
	unexpected   []string
	users        map[string]*User
	channels     map[string]*Channel
	messages     map[string][]*Message // by channel, in post order
	ephemerals   []Ephemeral
	responses    []ResponsePost
	respTarget   map[string]respTarget // response_url ID -> who asked where
	uploads      map[string]*Upload
	faults       map[string][]fault // per method, consumed in order
	delays       map[string]time.Duration
	views        map[string]json.RawMessage // user -> published home view
	modals       []json.RawMessage
	limiter      *limiter
	changed      chan struct{} // closed and replaced on every recorded change

	idSeq    atomic.Int64
	lastTS   int64
	sockets  socketHub
	closeCtx context.Context
	cancel   context.CancelFunc
}

type respTarget struct {
	channel, user string
	issued        time.Time // on the fake's clock, for the 30-minute life
	uses          int
}

// New starts a fake Slack on 127.0.0.1 with a random port.
func New(opts Options) (*Server, error) {
	if opts.AppToken == "" {
		opts.AppToken = DefaultAppToken
	}
	if opts.BotToken == "" {
		opts.BotToken = DefaultBotToken
	}
	if opts.PingInterval == 0 {
		opts.PingInterval = 10 * time.Second
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("slacktest: listen: %w", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	s := &Server{
		opts:       opts,
		listener:   ln,
		base:       "http://" + ln.Addr().String(),
		users:      map[string]*User{},
		channels:   map[string]*Channel{},
		messages:   map[string][]*Message{},
		respTarget: map[string]respTarget{},
		uploads:    map[string]*Upload{},
		faults:     map[string][]fault{},
		delays:     map[string]time.Duration{},
		views:      map[string]json.RawMessage{},
		limiter:    newLimiter(opts.Rates),
		changed:    make(chan struct{}),
		closeCtx:   ctx,
		cancel:     cancel,
	}
	s.sockets.init(s)
	s.users[BotUserID] = &User{ID: BotUserID, Name: "prepbot", RealName: "prepbot", IsBot: true, TZ: "UTC"}
	mux := http.NewServeMux()
	mux.HandleFunc("/api/{method}", s.serveAPI)
	mux.HandleFunc("/response/{id}", s.serveResponse)
	mux.HandleFunc("/upload/{id}", s.serveUpload)
	mux.HandleFunc("/link/", s.sockets.serve)
	s.http = &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go s.http.Serve(ln)
	return s, nil
}

// APIURL is the Web API base to give the bot as SLACK_API_URL.
func (s *Server) APIURL() string { return s.base + "/api/" }

// URL is the server's base address.
func (s *Server) URL() string { return s.base }

// AppToken and BotToken are the tokens the fake accepts.
func (s *Server) AppToken() string { return s.opts.AppToken }

// BotToken is the bot token the fake accepts.
func (s *Server) BotToken() string { return s.opts.BotToken }

// Close stops the server and drops every socket.
func (s *Server) Close() error {
	s.cancel()
	s.sockets.closeAll()
	// A client's idle or never-used keep-alive connection would hold a
	// graceful Shutdown for seconds (net/http treats a new connection as
	// busy for 5 s): give requests in flight a moment, then close hard.
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	if err := s.http.Shutdown(ctx); err != nil {
		return s.http.Close()
	}
	return nil
}

// AddUser adds or replaces a workspace member.
func (s *Server) AddUser(u User) {
	if u.TZ == "" {
		u.TZ = "America/New_York"
	}
	if u.Name == "" {
		u.Name = strings.ToLower(u.ID)
	}
	if u.RealName == "" {
		u.RealName = u.Name
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.users[u.ID] = &u
}

// AddChannel adds or replaces a channel.
func (s *Server) AddChannel(c Channel) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.channels[c.ID] = &c
}

// SetChannel changes a channel in place (archive it, remove the bot).
func (s *Server) SetChannel(id string, change func(*Channel)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c, ok := s.channels[id]; ok {
		change(c)
	}
}

// FailNext makes the next call of method fail: with HTTP status (429 with
// retryAfter seconds, or 5xx), or, when status is 200, with Slack error
// slackErr in an ok:false body. Several calls queue up in order.
func (s *Server) FailNext(method string, status, retryAfter int, slackErr string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults[method] = append(s.faults[method], fault{status: status, retryAfter: retryAfter, slackErr: slackErr})
}

// HangUpAfterNext makes the next call of method take effect (a post is
// posted) and then drops the connection without an answer, as when the
// app crashes or the network fails between Slack acting and the app
// hearing about it.
func (s *Server) HangUpAfterNext(method string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults[method] = append(s.faults[method], fault{hangUp: true})
}

// HangUpAfterCall is HangUpAfterNext for the nth next call of method
// (1 is the next one): the calls before it are answered normally.
func (s *Server) HangUpAfterCall(method string, n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for range n - 1 {
		s.faults[method] = append(s.faults[method], fault{pass: true})
	}
	s.faults[method] = append(s.faults[method], fault{hangUp: true})
}

// SetDelay makes every call of method (or "*" for all) wait d before answering.
func (s *Server) SetDelay(method string, d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.delays[method] = d
}

// Calls returns the recorded calls of method, or all calls if method is "".
// A call is recorded as the fake starts acting on it (after any SetDelay),
// so a message or view it made is never visible before the call is; its
// Status and Error are final once the caller has its answer.
func (s *Server) Calls(method string) []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Call
	for _, c := range s.calls {
		if method == "" || c.Method == method {
			out = append(out, c)
		}
	}
	return out
}

// Unexpected lists calls the fake did not understand: unknown methods,
// missing required parameters. Tests assert it is empty.
func (s *Server) Unexpected() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.unexpected...)
}

// Messages returns the live (not deleted) messages of a channel in order.
func (s *Server) Messages(channel string) []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Message
	for _, m := range s.messages[channel] {
		if !m.Deleted {
			out = append(out, *m)
		}
	}
	return out
}

// Ephemerals returns the ephemeral messages shown to user (all if "").
func (s *Server) Ephemerals(user string) []Ephemeral {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Ephemeral
	for _, e := range s.ephemerals {
		if user == "" || e.User == user {
			out = append(out, e)
		}
	}
	return out
}

// Responses returns the POSTs made to response URLs, in order.
func (s *Server) Responses() []ResponsePost {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]ResponsePost(nil), s.responses...)
}

// HomeView returns the last view published to user's App Home.
func (s *Server) HomeView(user string) json.RawMessage {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.views[user]
}

// Uploads returns the completed file uploads.
func (s *Server) Uploads() []Upload {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Upload
	for _, u := range s.uploads {
		if u.Done {
			out = append(out, *u)
		}
	}
	return out
}

// Changed returns a channel that is closed at the next recorded change
// (a call, a message, an ack). Use it to wait without polling.
func (s *Server) Changed() <-chan struct{} {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.changed
}

// notifyLocked wakes everyone waiting on Changed. s.mu must be held.
func (s *Server) notifyLocked() {
	close(s.changed)
	s.changed = make(chan struct{})
}

// WaitFor waits until cond (called without locks held) is true, or ctx ends.
func (s *Server) WaitFor(ctx context.Context, cond func() bool) error {
	for {
		ch := s.Changed()
		if cond() {
			return nil
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return fmt.Errorf("slacktest: condition not met: %w", ctx.Err())
		}
	}
}

// nextTS returns a new, strictly increasing Slack timestamp.
func (s *Server) nextTS() string {
	for {
		now := s.opts.Now().UnixMicro()
		last := atomic.LoadInt64(&s.lastTS)
		if now <= last {
			now = last + 1
		}
		if atomic.CompareAndSwapInt64(&s.lastTS, last, now) {
			return fmt.Sprintf("%d.%06d", now/1_000_000, now%1_000_000)
		}
	}
}

func (s *Server) nextID(prefix string) string {
	return fmt.Sprintf("%s%06d", prefix, s.idSeq.Add(1))
}

// ---- Web API ----

func (s *Server) serveAPI(w http.ResponseWriter, r *http.Request) {
	method := r.PathValue("method")
	params, err := readParams(r)
	if err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]any{"ok": false, "error": "invalid_form_data"})
		return
	}
	token := bearer(r)
	if token == "" {
		token, _ = params["token"].(string)
	}

	s.mu.Lock()
	delay := s.delays[method]
	if d, ok := s.delays["*"]; ok && delay == 0 {
		delay = d
	}
	var f *fault
	if q := s.faults[method]; len(q) > 0 {
		f = &q[0]
		s.faults[method] = q[1:]
		if f.pass {
			f = nil
		}
	}
	s.mu.Unlock()
	if delay > 0 {
		select {
		case <-time.After(delay):
		case <-r.Context().Done():
			return
		case <-s.closeCtx.Done():
			return
		}
	}

	call := Call{Method: method, Params: params, At: time.Now(), Status: http.StatusOK}
	if f == nil && s.opts.RateLimits {
		if ok, wait := s.limiter.take(method, str(params, "channel"), s.opts.Now()); !ok {
			f = &fault{status: http.StatusTooManyRequests, retryAfter: wait}
		}
	}
	// The call is recorded before it takes effect, so that whoever sees
	// its effect (a message, a view) also finds the call in Calls; its
	// Status and Error are final before the answer is written.
	s.mu.Lock()
	recorded := -1
	if !s.opts.Lean {
		s.calls = append(s.calls, call)
		recorded = len(s.calls) - 1
	}
	s.mu.Unlock()
	if s.opts.OnCall != nil {
		s.opts.OnCall(call)
	}
	var resp map[string]any
	switch {
	case f != nil && f.hangUp:
		resp = s.dispatch(method, token, params)
		call.Error = "hung_up"
	case f != nil && f.status == http.StatusTooManyRequests:
		call.Status, call.Error = f.status, "ratelimited"
		w.Header().Set("Retry-After", strconv.Itoa(f.retryAfter))
	case f != nil && f.status >= 500:
		call.Status, call.Error = f.status, "server_error"
	case f != nil:
		call.Error = f.slackErr
	default:
		resp = s.dispatch(method, token, params)
		if ok, _ := resp["ok"].(bool); !ok {
			call.Error, _ = resp["error"].(string)
		}
	}

	s.mu.Lock()
	if recorded >= 0 {
		s.calls[recorded] = call
	}
	s.notifyLocked()
	s.mu.Unlock()

	switch {
	case f != nil && f.hangUp:
		if hj, ok := w.(http.Hijacker); ok {
			if conn, _, err := hj.Hijack(); err == nil {
				conn.Close()
				return
			}
		}
		panic(http.ErrAbortHandler)
	case call.Status != http.StatusOK:
		writeJSON(w, call.Status, map[string]any{"ok": false, "error": call.Error})
	case f != nil:
		writeJSON(w, http.StatusOK, map[string]any{"ok": false, "error": f.slackErr})
	default:
		writeJSON(w, http.StatusOK, resp)
	}
}

func (s *Server) dispatch(method, token string, p map[string]any) map[string]any {
	h, known := handlers[method]
	if !known {
		s.mu.Lock()
		s.unexpected = append(s.unexpected, "unknown method "+method)
		s.mu.Unlock()
		return fail("unknown_method")
	}
	want := s.opts.BotToken
	if method == "apps.connections.open" {
		want = s.opts.AppToken
	}
	switch {
	case token == "":
		return fail("not_authed")
	case token != want:
		return fail("invalid_auth")
	}
	return h(s, p)
}

func fail(code string) map[string]any { return map[string]any{"ok": false, "error": code} }

func ok(fields map[string]any) map[string]any {
	if fields == nil {
		fields = map[string]any{}
	}
	fields["ok"] = true
	return fields
}

func readParams(r *http.Request) (map[string]any, error) {
	out := map[string]any{}
	ct := r.Header.Get("Content-Type")
	if strings.HasPrefix(ct, "application/json") {
		body, err := io.ReadAll(io.LimitReader(r.Body, 10<<20))
		if err != nil {
			return nil, err
		}
		if len(body) == 0 {
			return out, nil
		}
		if err := json.Unmarshal(body, &out); err != nil {
			return nil, err
		}
		return out, nil
	}
	if err := r.ParseForm(); err != nil {
		return nil, err
	}
	for k, v := range r.Form {
		out[k] = v[0]
	}
	return out, nil
}

func bearer(r *http.Request) string {
	v := r.Header.Get("Authorization")
	if t, ok := strings.CutPrefix(v, "Bearer "); ok {
		return t
	}
	return ""
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func str(p map[string]any, k string) string {
	switch v := p[k].(type) {
	case string:
		return v
	case nil:
		return ""
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(v)
	default:
		b, _ := json.Marshal(v)
		return string(b)
	}
}

// rawJSON returns a parameter that carries JSON (blocks, view), whether it
// came as a form string or inside a JSON body.
func rawJSON(p map[string]any, k string) json.RawMessage {
	switch v := p[k].(type) {
	case nil:
		return nil
	case string:
		if v == "" {
			return nil
		}
		return json.RawMessage(v)
	default:
		b, _ := json.Marshal(v)
		return b
	}
}

// ---- response_url and uploads ----

// ResponseURL returns a fresh response_url that records what is posted to
// it as a reply to user in channel.
func (s *Server) ResponseURL(channel, user string) string {
	id := s.nextID("R")
	s.mu.Lock()
	s.respTarget[id] = respTarget{channel: channel, user: user, issued: s.opts.Now()}
	s.mu.Unlock()
	return s.base + "/response/" + id
}

func (s *Server) serveResponse(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	var body map[string]any
	if err := json.NewDecoder(io.LimitReader(r.Body, 1<<20)).Decode(&body); err != nil {
		http.Error(w, "invalid_payload", http.StatusBadRequest)
		return
	}
	s.mu.Lock()
	t, known := s.respTarget[id]
	if !known {
		s.unexpected = append(s.unexpected, "response_url "+id+" was never issued")
		s.mu.Unlock()
		http.Error(w, "expired_url", http.StatusNotFound)
		return
	}
	if !s.opts.Lenient {
		// Slack: "respond to a user's command up to 5 times within 30
		// minutes"; after that the URL answers 404 expired_url.
		t.uses++
		s.respTarget[id] = t
		age := s.opts.Now().Sub(t.issued)
		var why string
		switch {
		case t.uses > ResponseURLUses:
			why = fmt.Sprintf("used %d times", t.uses)
		case age > ResponseURLLife*time.Minute:
			why = fmt.Sprintf("used %s after it was issued", age.Round(time.Second))
		}
		if why != "" {
			s.unexpected = append(s.unexpected, "limit: response_url "+id+" "+why+": expired_url")
			s.notifyLocked()
			s.mu.Unlock()
			writeJSON(w, http.StatusNotFound, fail("expired_url"))
			return
		}
		text, _ := body["text"].(string)
		if r := checkMessage(text, rawJSON(body, "blocks"), false); r != nil {
			s.unexpected = append(s.unexpected, "limit: response_url "+id+": "+r.String())
			s.notifyLocked()
			s.mu.Unlock()
			writeJSON(w, http.StatusBadRequest, r.answer())
			return
		}
	}
	rp := ResponsePost{ID: id, Body: body, Channel: t.channel, User: t.user, At: time.Now()}
	if s.opts.OnResponse != nil {
		s.opts.OnResponse(rp)
	}
	if s.opts.Lean {
		delete(s.respTarget, id)
		s.mu.Unlock()
		w.WriteHeader(http.StatusOK)
		return
	}
	s.responses = append(s.responses, rp)
	text, _ := body["text"].(string)
	blocks := rawJSON(body, "blocks")
	if rt, _ := body["response_type"].(string); rt == "in_channel" {
		s.addMessageLocked(&Message{Channel: t.channel, TS: s.nextTS(), User: BotUserID, BotID: BotID, Text: text, Blocks: blocks})
	} else if replace, _ := body["replace_original"].(bool); !replace {
		s.ephemerals = append(s.ephemerals, Ephemeral{Channel: t.channel, User: t.user, Text: text, Blocks: blocks, At: time.Now()})
	}
	s.notifyLocked()
	s.mu.Unlock()
	w.WriteHeader(http.StatusOK)
	_, _ = io.WriteString(w, "ok")
}

func (s *Server) serveUpload(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	body, err := io.ReadAll(io.LimitReader(r.Body, 50<<20))
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	u, known := s.uploads[id]
	if !known {
		s.unexpected = append(s.unexpected, "upload to unknown file "+id)
		http.Error(w, "not found", http.StatusNotFound)
		return
	}
	u.Content = extractMultipartFile(r.Header.Get("Content-Type"), body)
	s.notifyLocked()
	_, _ = io.WriteString(w, "OK - "+strconv.Itoa(len(body)))
}

// SetSlashCommand makes later slash commands carry name (Slack sends the
// name the workspace's app manifest gave the command).
func (s *Server) SetSlashCommand(name string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.slashCommand = name
}

// GroupDMs returns the group DMs the app opened, each with its members.
func (s *Server) GroupDMs() []Channel {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Channel
	for _, c := range s.channels {
		if c.IsMPIM {
			out = append(out, *c)
		}
	}
	slices.SortFunc(out, func(a, b Channel) int { return strings.Compare(a.ID, b.ID) })
	return out
}
