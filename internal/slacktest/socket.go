package slacktest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/gorilla/websocket"
)

// Ack is the app's acknowledgement of an envelope.
type Ack struct {
	EnvelopeID string
	At         time.Time       // when the ack was read from the socket
	SentAt     time.Time       // when the envelope's (last) delivery was written
	Payload    json.RawMessage // the response payload, if any
	// Error is why Slack would refuse Payload (it shows the person an
	// error instead); empty when the payload is fine or the fake is lenient.
	Error string
}

type envelope struct {
	id      string
	typ     string
	payload []byte
	retry   int
	sentAt  time.Time
}

type sockConn struct {
	ws      *websocket.Conn
	writeMu sync.Mutex
	closed  chan struct{}
}

func (c *sockConn) write(b []byte) error {
	c.writeMu.Lock()
	defer c.writeMu.Unlock()
	_ = c.ws.SetWriteDeadline(time.Now().Add(5 * time.Second))
	return c.ws.WriteMessage(websocket.TextMessage, b)
}

// socketHub is the Socket Mode side: connections, envelopes in flight, acks.
type socketHub struct {
	s        *Server
	upgrader websocket.Upgrader

	mu          sync.Mutex
	conns       []*sockConn
	pending     map[string]*envelope // sent (or queued) and not acknowledged
	queue       []*envelope          // waiting for a connection
	acks        map[string]Ack
	connections int // successful connections so far
	onAck       func(Ack)
	seq         int64
	history     map[string]*envelope // recent envelopes, for Redeliver
	historyIDs  []string             // insertion order, bounded by maxHistory
}

// maxHistory bounds the envelopes kept for Redeliver, so long load runs do
// not grow the fake without limit.
const maxHistory = 10000

func (h *socketHub) init(s *Server) {
	h.s = s
	h.pending = map[string]*envelope{}
	h.acks = map[string]Ack{}
	h.history = map[string]*envelope{}
	h.upgrader = websocket.Upgrader{CheckOrigin: func(*http.Request) bool { return true }}
}

func (h *socketHub) serve(w http.ResponseWriter, r *http.Request) {
	if r.URL.Query().Get("ticket") == "" {
		http.Error(w, "missing ticket", http.StatusUnauthorized)
		return
	}
	ws, err := h.upgrader.Upgrade(w, r, nil)
	if err != nil {
		return
	}
	if !h.s.opts.Lenient {
		// Slack closes the socket (1009) on a frame from the app over 20 KiB.
		ws.SetReadLimit(MaxAckFrame)
	}
	c := &sockConn{ws: ws, closed: make(chan struct{})}
	hello := fmt.Sprintf(`{"type":"hello","num_connections":1,"debug_info":{"host":"applink-fake","build_number":1,"approximate_connection_time":18060},"connection_info":{"app_id":%q}}`, AppID)
	if err := c.write([]byte(hello)); err != nil {
		ws.Close()
		return
	}
	h.mu.Lock()
	h.conns = append(h.conns, c)
	h.connections++
	// Slack delivers again what the app never acknowledged, and what
	// waited for a connection.
	var resend []*envelope
	for _, e := range h.pending {
		if e.typ == "events_api" && !e.sentAt.IsZero() {
			e.retry++
			resend = append(resend, e)
		}
	}
	resend = append(resend, h.queue...)
	h.queue = nil
	h.mu.Unlock()
	h.s.mu.Lock()
	h.s.notifyLocked()
	h.s.mu.Unlock()
	for _, e := range resend {
		h.deliver(e)
	}
	go h.pinger(c)
	h.readAcks(c)
}

func (h *socketHub) pinger(c *sockConn) {
	t := time.NewTicker(h.s.opts.PingInterval)
	defer t.Stop()
	for {
		select {
		case <-c.closed:
			return
		case <-t.C:
			c.writeMu.Lock()
			err := c.ws.WriteControl(websocket.PingMessage, []byte("ping"), time.Now().Add(5*time.Second))
			c.writeMu.Unlock()
			if err != nil {
				return
			}
		}
	}
}

func (h *socketHub) readAcks(c *sockConn) {
	defer h.remove(c)
	for {
		_, msg, err := c.ws.ReadMessage()
		if err != nil {
			if errors.Is(err, websocket.ErrReadLimit) {
				h.s.mu.Lock()
				h.s.unexpected = append(h.s.unexpected, fmt.Sprintf("limit: socket frame from the app over %d bytes: connection closed (1009)", MaxAckFrame))
				h.s.mu.Unlock()
			}
			return
		}
		var ack struct {
			EnvelopeID string          `json:"envelope_id"`
			Payload    json.RawMessage `json:"payload"`
		}
		if json.Unmarshal(msg, &ack) != nil || ack.EnvelopeID == "" {
			h.s.mu.Lock()
			h.s.unexpected = append(h.s.unexpected, "socket message that is not an ack: "+string(msg))
			h.s.mu.Unlock()
			continue
		}
		a := Ack{EnvelopeID: ack.EnvelopeID, At: time.Now(), Payload: ack.Payload}
		h.mu.Lock()
		e, ok := h.pending[ack.EnvelopeID]
		if !ok {
			e = h.history[ack.EnvelopeID]
		}
		if e != nil {
			a.SentAt = e.sentAt
			if !h.s.opts.Lenient {
				if r := checkAck(e.typ, ack.Payload); r != nil {
					a.Error = r.String()
				}
			}
		}
		delete(h.pending, ack.EnvelopeID)
		h.acks[ack.EnvelopeID] = a
		onAck := h.onAck
		h.mu.Unlock()
		if onAck != nil {
			onAck(a)
		}
		h.s.mu.Lock()
		if a.Error != "" {
			h.s.unexpected = append(h.s.unexpected, "limit: ack of "+a.EnvelopeID+": "+a.Error)
		}
		h.s.notifyLocked()
		h.s.mu.Unlock()
	}
}

func (h *socketHub) remove(c *sockConn) {
	h.mu.Lock()
	for i, x := range h.conns {
		if x == c {
			h.conns = append(h.conns[:i], h.conns[i+1:]...)
			break
		}
	}
	h.mu.Unlock()
	select {
	case <-c.closed:
	default:
		close(c.closed)
	}
	c.ws.Close()
	h.s.mu.Lock()
	h.s.notifyLocked()
	h.s.mu.Unlock()
}

func (h *socketHub) closeAll() {
	h.mu.Lock()
	conns := append([]*sockConn(nil), h.conns...)
	h.mu.Unlock()
	for _, c := range conns {
		c.ws.Close()
	}
}

// send wraps payload in a Socket Mode envelope of type typ, delivers it to
// the newest connection (or queues it until one opens) and returns its ID.
func (h *socketHub) send(typ string, payload []byte, retry int) string {
	h.mu.Lock()
	h.seq++
	id := "env-" + strconv.FormatInt(h.seq, 10)
	e := &envelope{id: id, typ: typ, payload: payload, retry: retry}
	h.pending[id] = e
	h.history[id] = e
	h.historyIDs = append(h.historyIDs, id)
	if len(h.historyIDs) > maxHistory {
		old := h.historyIDs[0]
		h.historyIDs = h.historyIDs[1:]
		delete(h.history, old)
		delete(h.acks, old)
	}
	h.mu.Unlock()
	h.deliver(e)
	return id
}

func (h *socketHub) sendEvent(payload []byte, retry int) string {
	return h.send("events_api", payload, retry)
}

func (h *socketHub) deliver(e *envelope) {
	h.mu.Lock()
	if len(h.conns) == 0 {
		h.queue = append(h.queue, e)
		h.mu.Unlock()
		return
	}
	c := h.conns[len(h.conns)-1]
	e.sentAt = time.Now()
	retryReason := ""
	if e.retry > 0 {
		retryReason = "timeout"
	}
	msg := fmt.Appendf(nil, `{"envelope_id":%q,"type":%q,"accepts_response_payload":%t,"retry_attempt":%d,"retry_reason":%q,"payload":`,
		e.id, e.typ, e.typ != "events_api", e.retry, retryReason)
	msg = append(msg, e.payload...)
	msg = append(msg, '}')
	h.mu.Unlock()
	if err := c.write(msg); err != nil {
		// The connection is going away; the envelope stays pending and is
		// redelivered on the next connection, as Slack does.
		return
	}
}

// Connections returns how many Socket Mode connections have been opened.
func (s *Server) Connections() int {
	s.sockets.mu.Lock()
	defer s.sockets.mu.Unlock()
	return s.sockets.connections
}

// Connected reports whether a Socket Mode connection is open.
func (s *Server) Connected() bool {
	s.sockets.mu.Lock()
	defer s.sockets.mu.Unlock()
	return len(s.sockets.conns) > 0
}

// WaitConnected waits until at least n connections have been opened and
// one is open.
func (s *Server) WaitConnected(ctx context.Context, n int) error {
	return s.WaitFor(ctx, func() bool { return s.Connections() >= n && s.Connected() })
}

// DropConnections closes every socket abruptly, like a network failure.
func (s *Server) DropConnections() {
	s.sockets.mu.Lock()
	conns := append([]*sockConn(nil), s.sockets.conns...)
	s.sockets.mu.Unlock()
	for _, c := range conns {
		c.ws.UnderlyingConn().Close()
	}
}

// Disconnect sends a disconnect request, as Slack does before it recycles a
// connection; a well-behaved app opens a new one.
func (s *Server) Disconnect(reason string) {
	s.sockets.mu.Lock()
	conns := append([]*sockConn(nil), s.sockets.conns...)
	s.sockets.mu.Unlock()
	msg := fmt.Appendf(nil, `{"type":"disconnect","reason":%q,"debug_info":{"host":"applink-fake"}}`, reason)
	for _, c := range conns {
		_ = c.write(msg)
	}
}

// Redeliver sends an envelope again with retry_attempt increased, as Slack
// does when an ack is late, and returns the new delivery's envelope ID (Slack
// keeps the event_id; the envelope is new).
func (s *Server) Redeliver(envelopeID string) (string, error) {
	h := &s.sockets
	h.mu.Lock()
	e, pending := h.pending[envelopeID]
	if !pending {
		e = h.history[envelopeID] // acknowledged already: Slack may still retry
	}
	h.mu.Unlock()
	if e == nil {
		return "", fmt.Errorf("slacktest: unknown envelope %s", envelopeID)
	}
	return h.send(e.typ, e.payload, e.retry+1), nil
}

// Ack returns the acknowledgement of an envelope, if it arrived.
func (s *Server) Ack(envelopeID string) (Ack, bool) {
	s.sockets.mu.Lock()
	defer s.sockets.mu.Unlock()
	a, ok := s.sockets.acks[envelopeID]
	return a, ok
}

// WaitAck waits for the acknowledgement of an envelope.
func (s *Server) WaitAck(ctx context.Context, envelopeID string) (Ack, error) {
	var a Ack
	err := s.WaitFor(ctx, func() bool {
		var ok bool
		a, ok = s.Ack(envelopeID)
		return ok
	})
	return a, err
}

// Unacked returns the IDs of envelopes sent and not yet acknowledged.
func (s *Server) Unacked() []string {
	s.sockets.mu.Lock()
	defer s.sockets.mu.Unlock()
	var out []string
	for id := range s.sockets.pending {
		out = append(out, id)
	}
	return out
}

// OnAck sets a function called for every ack as it arrives (for load tools).
func (s *Server) OnAck(f func(Ack)) {
	s.sockets.mu.Lock()
	defer s.sockets.mu.Unlock()
	s.sockets.onAck = f
}

// SendEnvelope sends a raw payload in an envelope of type typ ("events_api",
// "slash_commands", "interactive") and returns the envelope ID.
func (s *Server) SendEnvelope(typ string, payload []byte) string {
	return s.sockets.send(typ, payload, 0)
}
