package playground

import (
	"bytes"
	"context"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"mime"
	"net"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/prepbot/prepbot/internal/mrkdwn"
	"github.com/prepbot/prepbot/internal/slacktest"
)

//go:embed static
var staticFiles embed.FS

// Limits on what the page may send.
const (
	maxBody     = 256 << 10 // one request
	maxText     = 4000      // a message or a command, in characters
	maxValue    = 2000      // a button's value
	maxField    = 10000     // a modal field
	maxFields   = 50        // fields in a modal
	maxActionID = 255
)

// Handler serves the page, its static files and its JSON API:
//
//	GET  /api/state?user=U…   everything user sees (stateJSON)
//	GET  /api/events          server-sent events: "changed" with the new revision
//	POST /api/command         {user, channel, text}: /prep text
//	POST /api/message         {user, channel, text, thread_ts}
//	POST /api/click           {user, channel, ts, action_id, block_id, value, ephemeral, home}
//	POST /api/submit          {user, view_id, values: {block_id: {action_id: value}}}
//	POST /api/close           {user, view_id}: closes a modal
//	POST /api/home            {user}: opens the App Home tab (app_home_opened)
//	POST /api/dismiss         {user, id}: hides an ephemeral message
//	POST /api/clock           {action: "next" | "hour" | "day"}
//	GET  /api/file?user=U…&id=F…  a file the bot sent
//
// It answers only requests addressed to a loopback host name, so a web
// page elsewhere cannot drive it through DNS rebinding, and POSTs only with
// a JSON body, which browsers never send across sites without asking.
func (p *Playground) Handler() http.Handler {
	mux := http.NewServeMux()
	static, err := fs.Sub(staticFiles, "static")
	if err != nil {
		panic(err) // the embedded tree is fixed at build time
	}
	files := http.FileServerFS(static)
	mux.Handle("GET /static/", http.StripPrefix("/static/", files))
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		b, err := fs.ReadFile(static, "index.html")
		if err != nil {
			http.Error(w, "index.html is missing", http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "no-cache")
		_, _ = w.Write(b)
	})
	mux.HandleFunc("GET /favicon.ico", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/static/favicon.svg", http.StatusMovedPermanently)
	})
	mux.HandleFunc("GET /api/state", p.serveState)
	mux.HandleFunc("GET /api/events", p.serveEvents)
	mux.HandleFunc("GET /api/file", p.serveFile)
	mux.HandleFunc("POST /api/command", post(p.apiCommand))
	mux.HandleFunc("POST /api/message", post(p.apiMessage))
	mux.HandleFunc("POST /api/click", post(p.apiClick))
	mux.HandleFunc("POST /api/submit", post(p.apiSubmit))
	mux.HandleFunc("POST /api/close", post(p.apiClose))
	mux.HandleFunc("POST /api/home", post(p.apiHome))
	mux.HandleFunc("POST /api/dismiss", post(p.apiDismiss))
	mux.HandleFunc("POST /api/clock", post(p.apiClock))
	return guard(mux)
}

// guard sets security headers, refuses foreign Host headers and recovers
// from panics (a bug must not take the playground down).
func guard(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				writeJSON(w, http.StatusInternalServerError, errorJSON{Error: fmt.Sprintf("internal error: %v", v)})
			}
		}()
		if !loopbackHost(r.Host) {
			http.Error(w, "the playground answers on 127.0.0.1 and localhost only", http.StatusMisdirectedRequest)
			return
		}
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'")
		next.ServeHTTP(w, r)
	})
}

// loopbackHost reports whether a Host header names this machine.
func loopbackHost(hostport string) bool {
	host := hostport
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		host = h
	}
	host = strings.Trim(host, "[]")
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

type errorJSON struct {
	OK     bool              `json:"ok"`
	Error  string            `json:"error"`
	Errors map[string]string `json:"errors,omitempty"`
}

type okJSON struct {
	OK bool `json:"ok"`
}

// apiError is a refusal with its HTTP status and a message for the page.
type apiError struct {
	status int
	msg    string
}

func (e *apiError) Error() string { return e.msg }

func badRequest(format string, args ...any) error {
	return &apiError{status: http.StatusBadRequest, msg: fmt.Sprintf(format, args...)}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// post adapts a JSON handler: it checks the content type, decodes the body
// strictly into In, and writes the result or the error as JSON.
func post[In any](fn func(ctx context.Context, in In) (any, error)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "application/json" {
			writeJSON(w, http.StatusUnsupportedMediaType, errorJSON{Error: "send a JSON body (Content-Type: application/json)"})
			return
		}
		var in In
		dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxBody))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&in); err != nil {
			writeJSON(w, http.StatusBadRequest, errorJSON{Error: "bad JSON body: " + err.Error()})
			return
		}
		if _, err := dec.Token(); err != io.EOF {
			writeJSON(w, http.StatusBadRequest, errorJSON{Error: "bad JSON body: more than one value"})
			return
		}
		out, err := fn(r.Context(), in)
		var ae *apiError
		switch {
		case errors.As(err, &ae):
			writeJSON(w, ae.status, errorJSON{Error: ae.msg})
		case err != nil:
			writeJSON(w, http.StatusInternalServerError, errorJSON{Error: err.Error()})
		default:
			writeJSON(w, http.StatusOK, out)
		}
	}
}

// checkUser accepts one of the simulated people (not the bot).
func checkUser(user string) error {
	if _, ok := lookupPerson(user); !ok {
		return badRequest("unknown user %q: use %s, %s or %s", user, Instructor, Ada, Grace)
	}
	return nil
}

// checkChannel accepts the cohort channel, user's own DM with the bot and
// the group DMs the bot opened with user in them.
func (p *Playground) checkChannel(user, channel string) error {
	if channel == Cohort || channel == dmOf(user) || p.inGroupDM(user, channel) {
		return nil
	}
	return badRequest("unknown channel %q: use %s, %s or one of your group DMs", channel, Cohort, dmOf(user))
}

// inGroupDM reports whether channel is a group DM with user in it.
func (p *Playground) inGroupDM(user, channel string) bool {
	for _, c := range p.slack.GroupDMs() {
		if c.ID == channel {
			return slices.Contains(c.Members, user)
		}
	}
	return false
}

// checkText accepts valid UTF-8 of at most max characters.
func checkText(what, s string, max int) error {
	switch {
	case !utf8.ValidString(s):
		return badRequest("%s is not valid UTF-8", what)
	case utf8.RuneCountInString(s) > max:
		return badRequest("%s is longer than %d characters", what, max)
	case strings.ContainsRune(s, 0):
		return badRequest("%s contains a NUL character", what)
	}
	return nil
}

func (p *Playground) serveState(w http.ResponseWriter, r *http.Request) {
	user := r.URL.Query().Get("user")
	if err := checkUser(user); err != nil {
		writeJSON(w, http.StatusBadRequest, errorJSON{Error: err.Error()})
		return
	}
	writeJSON(w, http.StatusOK, p.state(user))
}

// serveEvents streams a "changed" event with the new revision whenever what
// people see changes, coalescing bursts; the page then fetches its state.
func (p *Playground) serveEvents(w http.ResponseWriter, r *http.Request) {
	flusher, ok := w.(http.Flusher)
	if !ok {
		http.Error(w, "streaming unsupported", http.StatusInternalServerError)
		return
	}
	ch, unsubscribe := p.subscribe()
	defer unsubscribe()
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	p.mu.Lock()
	rev := p.rev
	p.mu.Unlock()
	send := func(rev int64) bool {
		_, err := fmt.Fprintf(w, "retry: 1000\nevent: changed\ndata: %d\n\n", rev)
		flusher.Flush()
		return err == nil
	}
	if !send(rev) {
		return
	}
	keepAlive := time.NewTicker(15 * time.Second)
	defer keepAlive.Stop()
	for {
		select {
		case rev = <-ch:
			// Coalesce a burst (a post, its echo, acks) into one event.
			t := time.NewTimer(25 * time.Millisecond)
		burst:
			for {
				select {
				case rev = <-ch:
				case <-t.C:
					break burst
				}
			}
			if !send(rev) {
				return
			}
		case <-keepAlive.C:
			if _, err := io.WriteString(w, ": keep-alive\n\n"); err != nil {
				return
			}
			flusher.Flush()
		case <-r.Context().Done():
			return
		case <-p.streams:
			return
		}
	}
}

func (p *Playground) serveFile(w http.ResponseWriter, r *http.Request) {
	user, id := r.URL.Query().Get("user"), r.URL.Query().Get("id")
	if err := checkUser(user); err != nil {
		writeJSON(w, http.StatusBadRequest, errorJSON{Error: err.Error()})
		return
	}
	for _, f := range p.slack.Uploads() {
		if f.FileID == id && p.canSee(user, f.Channel) {
			name := strings.Map(func(r rune) rune {
				if r < 0x20 || r == '"' || r == '\\' || r > 0x7e {
					return '_'
				}
				return r
			}, f.Filename)
			// A picture is shown in the conversation, as Slack does; any
			// other file is downloaded, never rendered by the browser.
			if isPNG(f.Content) {
				w.Header().Set("Content-Type", "image/png")
				w.Header().Set("Content-Disposition", `inline; filename="`+name+`"`)
			} else {
				w.Header().Set("Content-Type", "application/octet-stream")
				w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
			}
			w.Header().Set("Content-Length", strconv.Itoa(len(f.Content)))
			_, _ = w.Write(f.Content)
			return
		}
	}
	writeJSON(w, http.StatusNotFound, errorJSON{Error: "no such file for this user"})
}

// canSee reports whether user sees what is posted in channel: the cohort
// channel, their DM with the bot (files.upload may name the user) and
// their group DMs.
func (p *Playground) canSee(user, channel string) bool {
	return channel == Cohort || channel == dmOf(user) || channel == user || p.inGroupDM(user, channel)
}

// isPNG reports whether b starts with PNG's signature: what a file is
// comes from its bytes, not from the name the bot gave it.
func isPNG(b []byte) bool { return bytes.HasPrefix(b, []byte("\x89PNG\r\n\x1a\n")) }

type commandIn struct {
	User    string `json:"user"`
	Channel string `json:"channel"`
	Text    string `json:"text"` // what follows /prep; a leading "/prep" is dropped
}

// apiCommand sends /prep text as the user in the channel.
func (p *Playground) apiCommand(_ context.Context, in commandIn) (any, error) {
	if err := p.checkComposed(in.User, in.Channel, in.Text); err != nil {
		return nil, err
	}
	text := strings.TrimSpace(in.Text)
	if rest, ok := strings.CutPrefix(text, "/"); ok {
		cmd, args, _ := strings.Cut(rest, " ")
		if cmd != "prep" {
			return nil, badRequest("/%s is not a command here: prepbot's is /prep", cmd)
		}
		text = strings.TrimSpace(args)
	}
	p.slack.SlashCommandTrigger(in.User, in.Channel, text, p.newTrigger(in.User))
	return okJSON{OK: true}, nil
}

type messageIn struct {
	User     string `json:"user"`
	Channel  string `json:"channel"`
	Text     string `json:"text"`
	ThreadTS string `json:"thread_ts"`
}

// checkComposed validates what the composer sends: who, where and the text.
func (p *Playground) checkComposed(user, channel, text string) error {
	if err := checkUser(user); err != nil {
		return err
	}
	if err := p.checkChannel(user, channel); err != nil {
		return err
	}
	return checkText("text", text, maxText)
}

// apiMessage posts a message as the user, in a thread if thread_ts is set.
func (p *Playground) apiMessage(ctx context.Context, in messageIn) (any, error) {
	if err := p.checkComposed(in.User, in.Channel, in.Text); err != nil {
		return nil, err
	}
	text := strings.TrimSpace(in.Text)
	if text == "" {
		return nil, badRequest("the message is empty")
	}
	if in.ThreadTS != "" && !p.topLevel(in.Channel, in.ThreadTS) {
		return nil, badRequest("there is no message %q to reply to in %s", in.ThreadTS, in.Channel)
	}
	// Slack's clients escape &, < and > in what a person types.
	d := p.slack.UserMessage(in.Channel, in.User, mrkdwn.Escape(text), in.ThreadTS, false)
	// The bot acknowledges a thread reply once it is stored: waiting for
	// the ack means that what is done next (a reveal) sees the reply.
	wctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if _, err := p.slack.WaitAck(wctx, d.EnvelopeID); err != nil {
		p.log.Warn("playground: the bot did not acknowledge a message yet", "channel", in.Channel)
	}
	return okJSON{OK: true}, nil
}

// newTrigger makes a trigger ID for an interaction of user's and records
// it before the interaction is sent, so that a modal the bot opens in
// answer is shown to them.
func (p *Playground) newTrigger(user string) string {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.triggerSeq++
	id := "pg." + strconv.Itoa(p.triggerSeq)
	if len(p.triggers) >= 10000 {
		// Most interactions open no modal: forget the oldest ones' triggers
		// rather than grow without bound (Slack's expire in 3 s anyway).
		clear(p.triggers)
	}
	p.triggers[id] = user
	return id
}

// topLevel reports whether ts is a live top-level message in channel.
func (p *Playground) topLevel(channel, ts string) bool {
	for _, m := range p.slack.Messages(channel) {
		if m.TS == ts && (m.ThreadTS == "" || m.ThreadTS == m.TS) {
			return true
		}
	}
	return false
}

type clickIn struct {
	User      string `json:"user"`
	Channel   string `json:"channel"`
	TS        string `json:"ts"`
	ActionID  string `json:"action_id"`
	BlockID   string `json:"block_id"`
	Value     string `json:"value"`
	Text      string `json:"text"`
	Ephemeral bool   `json:"ephemeral"`
	Home      bool   `json:"home"`
}

// apiClick presses a button as the user.
func (p *Playground) apiClick(_ context.Context, in clickIn) (any, error) {
	if err := checkUser(in.User); err != nil {
		return nil, err
	}
	if in.ActionID == "" {
		return nil, badRequest("action_id is required")
	}
	for _, f := range []struct {
		name, v string
		max     int
	}{{"action_id", in.ActionID, maxActionID}, {"block_id", in.BlockID, maxActionID}, {"value", in.Value, maxValue}, {"text", in.Text, 200}, {"ts", in.TS, 40}} {
		if err := checkText(f.name, f.v, f.max); err != nil {
			return nil, err
		}
	}
	a := slacktest.Action{User: in.User, ActionID: in.ActionID, BlockID: in.BlockID, Value: in.Value, Text: in.Text}
	if in.Home {
		a.Home = true
	} else {
		if err := p.checkChannel(in.User, in.Channel); err != nil {
			return nil, err
		}
		if in.TS == "" {
			return nil, badRequest("ts (the message with the button) is required")
		}
		a.Channel, a.MessageTS, a.Ephemeral = in.Channel, in.TS, in.Ephemeral
	}
	a.TriggerID = p.newTrigger(in.User)
	p.slack.Press(a)
	return okJSON{OK: true}, nil
}

type submitIn struct {
	User   string                       `json:"user"`
	ViewID string                       `json:"view_id"`
	Values map[string]map[string]string `json:"values"`
}

type submitOut struct {
	OK     bool              `json:"ok"`
	Errors map[string]string `json:"errors,omitempty"`
}

// apiSubmit submits the user's open modal and waits for the bot's ack: a
// response_action of "errors" keeps the modal open with the field errors.
func (p *Playground) apiSubmit(ctx context.Context, in submitIn) (any, error) {
	if err := checkUser(in.User); err != nil {
		return nil, err
	}
	n := 0
	for block, actions := range in.Values {
		for action, v := range actions {
			n++
			if err := checkText("a field ID", block+action, 2*maxActionID); err != nil {
				return nil, err
			}
			if err := checkText("field "+block, v, maxField); err != nil {
				return nil, err
			}
		}
	}
	if n > maxFields {
		return nil, badRequest("too many fields")
	}
	m := p.findModal(in.User, in.ViewID)
	if m == nil {
		return nil, badRequest("%s has no open view %q", in.User, in.ViewID)
	}
	// Slack sends each input's state in its own shape (a text value, a
	// selected option); FillModal builds it from the view the bot opened.
	answers := map[string]string{}
	for block, actions := range in.Values {
		for _, v := range actions {
			if v != "" { // an empty field is sent as no value, as Slack does
				answers[block] = v
			}
		}
	}
	env, err := p.slack.FillModal(in.User, m.View, answers)
	if err != nil {
		return nil, badRequest("%v", strings.TrimPrefix(err.Error(), "slacktest: "))
	}
	wctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	ack, err := p.slack.WaitAck(wctx, env)
	if err != nil {
		return nil, &apiError{status: http.StatusGatewayTimeout, msg: "the bot did not answer the submission in time"}
	}
	var resp struct {
		ResponseAction string            `json:"response_action"`
		Errors         map[string]string `json:"errors"`
	}
	if len(ack.Payload) > 0 {
		_ = json.Unmarshal(ack.Payload, &resp)
	}
	if resp.ResponseAction == "errors" && len(resp.Errors) > 0 {
		return submitOut{OK: false, Errors: resp.Errors}, nil
	}
	p.closeModal(in.User, m.ID, resp.ResponseAction == "clear")
	return submitOut{OK: true}, nil
}

func (p *Playground) findModal(user, id string) *modal {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, m := range p.modals[user] {
		if m.ID == id {
			return m
		}
	}
	return nil
}

// closeModal closes the user's modal id (all of them with all).
func (p *Playground) closeModal(user, id string, all bool) bool {
	p.mu.Lock()
	ms := p.modals[user]
	found := false
	for i, m := range ms {
		if m.ID == id {
			p.modals[user] = append(ms[:i:i], ms[i+1:]...)
			found = true
			break
		}
	}
	if all {
		found = found || len(ms) > 0
		delete(p.modals, user)
	}
	p.changedLocked()
	p.mu.Unlock()
	p.refresh()
	return found
}

type closeIn struct {
	User   string `json:"user"`
	ViewID string `json:"view_id"`
}

// apiClose closes a modal without submitting it (Cancel, Escape, ×).
func (p *Playground) apiClose(_ context.Context, in closeIn) (any, error) {
	if err := checkUser(in.User); err != nil {
		return nil, err
	}
	if !p.closeModal(in.User, in.ViewID, false) {
		return nil, badRequest("%s has no open view %q", in.User, in.ViewID)
	}
	return okJSON{OK: true}, nil
}

type userIn struct {
	User string `json:"user"`
}

// apiHome opens the user's App Home tab: Slack sends app_home_opened.
func (p *Playground) apiHome(_ context.Context, in userIn) (any, error) {
	if err := checkUser(in.User); err != nil {
		return nil, err
	}
	p.slack.AppHomeOpened(in.User)
	return okJSON{OK: true}, nil
}

type dismissIn struct {
	User string `json:"user"`
	ID   string `json:"id"`
}

// apiDismiss hides one of the user's ephemeral messages, as Slack's
// "Dismiss message" does.
func (p *Playground) apiDismiss(_ context.Context, in dismissIn) (any, error) {
	if err := checkUser(in.User); err != nil {
		return nil, err
	}
	i, err := strconv.Atoi(strings.TrimPrefix(in.ID, "e"))
	if !strings.HasPrefix(in.ID, "e") || err != nil || i < 0 {
		return nil, badRequest("%q is not an ephemeral message", in.ID)
	}
	p.refresh()
	p.mu.Lock()
	if i >= len(p.snap.Ephemerals) || p.snap.Ephemerals[i].User != in.User {
		p.mu.Unlock()
		return nil, badRequest("%q is not an ephemeral message for %s", in.ID, in.User)
	}
	if p.dismissed[in.User] == nil {
		p.dismissed[in.User] = map[string]bool{}
	}
	p.dismissed[in.User][in.ID] = true
	p.changedLocked()
	p.mu.Unlock()
	p.refresh()
	return okJSON{OK: true}, nil
}

type clockIn struct {
	Action string `json:"action"`
}

// apiClock moves the fake clock.
func (p *Playground) apiClock(ctx context.Context, in clockIn) (any, error) {
	res, err := p.moveClock(ctx, in.Action)
	if err != nil {
		return nil, badRequest("%v", err)
	}
	return res, nil
}
