package bot

import (
	"context"
	"fmt"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"
	"github.com/slack-go/slack/socketmode"
)

// handle routes one socketmode event. It runs on the single event loop, so
// it never waits on the network: anything slow goes to a goroutine.
//
// Ack policy: an envelope that changes durable state (a thread reply, the
// event-ID mark that makes retries harmless) is acknowledged only after its
// commit, so a crash before the ack makes Slack redeliver it and nothing is
// lost; everything else is acknowledged at once and handled afterwards, so a
// slow Web API never delays an ack.
func (b *Bot) handle(evt socketmode.Event) {
	switch evt.Type {
	case socketmode.EventTypeConnecting:
		// Emitted before every (re)connection attempt: the old socket is gone.
		b.setDisconnected()
		b.log.Debug("connecting to Slack")
	case socketmode.EventTypeConnected:
		if b.connected.Swap(true) {
			break
		}
		b.metrics.connected.Set(1)
		if n := b.metrics.connects.Add(1); n > 1 {
			b.metrics.reconnects.Inc()
			b.log.Info("reconnected to Slack")
		} else {
			b.log.Info("connected to Slack")
		}
		if b.cfg.OnConnected != nil {
			b.cfg.OnConnected()
		}
	case socketmode.EventTypeConnectionError, socketmode.EventTypeIncomingError:
		b.setDisconnected()
		if e, ok := evt.Data.(*slack.ConnectionErrorEvent); ok {
			cause := causeOf(e.ErrorObj)
			why := fmt.Sprintf("connecting to Slack failed (attempt %d, retrying in %v): %s", e.Attempt, e.Backoff, cause)
			b.notConnected.Store(&why)
			b.log.Warn("socket mode connection problem", "event", string(evt.Type), "attempt", e.Attempt, "retry_in", e.Backoff, "cause", cause)
			return
		}
		var err error
		if e, ok := evt.Data.(*slack.IncomingEventError); ok {
			err = e.ErrorObj
		}
		b.log.Warn("socket mode connection problem", "event", string(evt.Type), "cause", causeOf(err))
	case socketmode.EventTypeInvalidAuth:
		b.setDisconnected()
		b.log.Error("Slack refused SLACK_APP_TOKEN")
	case socketmode.EventTypeHello:
	case socketmode.EventTypeDisconnect:
		b.setDisconnected()
	case socketmode.EventTypeErrorBadMessage:
		b.metrics.envelopes.WithLabelValues("bad").Inc()
		b.log.Warn("undecodable envelope from Slack")
	case socketmode.EventTypeEventsAPI:
		b.onEventsAPI(evt)
	case socketmode.EventTypeSlashCommand:
		b.onSlashCommand(evt)
	case socketmode.EventTypeInteractive:
		b.onInteractive(evt)
	}
}

func (b *Bot) setDisconnected() {
	if b.connected.Swap(false) {
		b.metrics.connected.Set(0)
	}
}

// ackTimeout bounds the wait to hand an ack to the socket writer.
const ackTimeout = 3 * time.Second

// ack acknowledges req and records how long it took since it arrived.
func (b *Bot) ack(req *socketmode.Request, kind string, arrived time.Time, payload ...any) {
	if req == nil {
		return
	}
	var pl any
	if len(payload) > 0 {
		pl = payload[0]
	}
	// The ack waits for the socket's writer; while the socket is down it
	// could wait forever. An ack that cannot be sent soon is pointless:
	// Slack redelivers unacknowledged envelopes on the next connection.
	ctx, cancel := context.WithTimeout(b.workCtx, ackTimeout)
	defer cancel()
	if err := b.sm.AckCtx(ctx, req.EnvelopeID, pl); err != nil {
		b.log.Error("ack envelope", "envelope", req.EnvelopeID, "err", err)
		return
	}
	b.metrics.ackSeconds.WithLabelValues(kind).Observe(time.Since(arrived).Seconds())
}

// goSlow runs fn on a worker once one is free, without blocking the caller.
func (b *Bot) goSlow(fn func(ctx context.Context)) { b.goBounded(b.slow, fn) }

// goBounded runs fn once sem has room, without blocking the caller; the
// bot's shutdown waits for it, and a panic in it is logged, not fatal.
func (b *Bot) goBounded(sem chan struct{}, fn func(ctx context.Context)) {
	b.inflight.Add(1)
	go func() {
		defer b.inflight.Done()
		select {
		case sem <- struct{}{}:
		case <-b.workCtx.Done():
			return
		}
		defer func() { <-sem }()
		defer b.recoverHandler()
		fn(b.workCtx)
	}()
}

// goDurable runs fn (a store write followed by the ack) with bounded
// concurrency; it blocks the event loop when the store is saturated, which
// is the back-pressure we want: acks cannot outrun commits.
func (b *Bot) goDurable(fn func(ctx context.Context)) {
	b.durable <- struct{}{}
	b.inflight.Add(1)
	go func() {
		defer b.inflight.Done()
		defer func() { <-b.durable }()
		defer b.recoverHandler()
		fn(b.workCtx)
	}()
}

func (b *Bot) recoverHandler() {
	if r := recover(); r != nil {
		b.metrics.panics.Inc()
		b.log.Error("handler panicked", "panic", r)
	}
}

func (b *Bot) onEventsAPI(evt socketmode.Event) {
	arrived := time.Now()
	b.metrics.envelopes.WithLabelValues("events_api").Inc()
	req := evt.Request
	ev, ok := evt.Data.(slackevents.EventsAPIEvent)
	if !ok {
		b.ack(req, "events_api", arrived)
		return
	}
	cb, _ := ev.Data.(*slackevents.EventsAPICallbackEvent)
	eventID := ""
	if cb != nil {
		eventID = cb.EventID
	}
	if msg, ok := ev.InnerEvent.Data.(*slackevents.MessageEvent); ok {
		b.onMessage(req, eventID, msg, arrived)
		return
	}
	b.onceThen(req, eventID, arrived, func(ctx context.Context) { b.onEvent(ctx, ev.InnerEvent) })
}

// onceThen marks eventID durably (so a retry is recognised), acks, and then
// runs handle as slow work, unless the event was handled before.
func (b *Bot) onceThen(req *socketmode.Request, eventID string, arrived time.Time, handle func(ctx context.Context)) {
	b.goDurable(func(ctx context.Context) {
		first, err := b.store.MarkEvent(ctx, eventID)
		if err != nil {
			// Not acknowledged: Slack will retry, and then we may succeed.
			b.log.Error("record event ID", "event", eventID, "err", err)
			return
		}
		b.ack(req, "events_api", arrived)
		if !first {
			b.metrics.duplicates.Inc()
			return
		}
		b.goSlow(handle)
	})
}

// onEvent handles events other than messages.
func (b *Bot) onEvent(ctx context.Context, inner slackevents.EventsAPIInnerEvent) {
	switch e := inner.Data.(type) {
	case *slackevents.AppHomeOpenedEvent:
		b.onAppHomeOpened(ctx, e)
	// Lifecycle (lifecycle.go): where the schedule can no longer post.
	case *slackevents.ChannelArchiveEvent:
		b.onChannelArchived(ctx, e.Channel)
	case *slackevents.GroupArchiveEvent:
		b.onChannelArchived(ctx, e.Channel)
	case *slackevents.ChannelDeletedEvent:
		b.onChannelDeleted(ctx, e.Channel)
	case *slackevents.GroupDeletedEvent:
		b.onChannelDeleted(ctx, e.Channel)
	case *slackevents.MemberLeftChannelEvent:
		b.onMemberLeft(ctx, e)
	case *slackevents.ChannelLeftEvent:
		b.onBotRemoved(ctx, e.Channel)
	case *slackevents.GroupLeftEvent:
		b.onBotRemoved(ctx, e.Channel)
	case *slackevents.AppUninstalledEvent:
		b.stopPosting(ctx, haltUninstalled)
	case *slackevents.TokensRevokedEvent:
		b.onTokensRevoked(ctx, e)
	default:
		b.log.Debug("event not handled", "type", inner.Type)
	}
}

// fromBot reports whether a message was written by a bot, this one included:
// those never trigger anything.
func (b *Bot) fromBot(m *slackevents.MessageEvent) bool {
	if m.BotID != "" || m.SubType == "bot_message" || (m.User != "" && m.User == b.botUserID) {
		return true
	}
	if m.Message != nil && (m.Message.BotID != "" || m.Message.User == b.botUserID) && m.SubType == "message_changed" {
		return true
	}
	return false
}

func (b *Bot) onSlashCommand(evt socketmode.Event) {
	arrived := time.Now()
	b.metrics.envelopes.WithLabelValues("slash_commands").Inc()
	cmd, ok := evt.Data.(slack.SlashCommand)
	b.ack(evt.Request, "slash_commands", arrived)
	if !ok {
		return
	}
	b.goSlow(func(ctx context.Context) { b.runCommand(ctx, cmd) })
}

func (b *Bot) onInteractive(evt socketmode.Event) {
	arrived := time.Now()
	b.metrics.envelopes.WithLabelValues("interactive").Inc()
	cb, ok := evt.Data.(slack.InteractionCallback)
	if ok && cb.Type == slack.InteractionTypeViewSubmission {
		// Validation errors go back in the ack, so it waits for the
		// (in-memory) checks and the store write.
		b.goDurable(func(ctx context.Context) { b.onViewSubmission(ctx, evt.Request, cb, arrived) })
		return
	}
	b.ack(evt.Request, "interactive", arrived)
	if !ok {
		return
	}
	b.goSlow(func(ctx context.Context) { b.onInteraction(ctx, cb) })
}

// causeOf is an error for the logs: its message with credentials redacted.
func causeOf(err error) string {
	if err == nil {
		return "unknown"
	}
	return redact(err.Error())
}
