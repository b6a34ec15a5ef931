package bot

import (
	"context"
	"sync"
	"time"

	"github.com/slack-go/slack/slackevents"
	"github.com/slack-go/slack/socketmode"

	"github.com/prepbot/prepbot/bot/render"
	"github.com/prepbot/prepbot/store"
)

// threadSet is the set of question-of-the-day threads whose replies are
// recorded, kept in memory so the hot path decides without a read
// transaction.
type threadSet struct {
	mu sync.RWMutex
	m  map[threadKey]string // the thread's question ID
}

type threadKey struct{ channel, ts string }

func (t *threadSet) add(channel, ts, questionID string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.m == nil {
		t.m = map[threadKey]string{}
	}
	t.m[threadKey{channel, ts}] = questionID
}

// question returns the question of a tracked thread.
func (t *threadSet) question(channel, ts string) (string, bool) {
	t.mu.RLock()
	defer t.mu.RUnlock()
	id, ok := t.m[threadKey{channel, ts}]
	return id, ok
}

func (t *threadSet) has(channel, ts string) bool {
	_, ok := t.question(channel, ts)
	return ok
}

func (b *Bot) loadThreads() error {
	posts, err := b.store.Posts()
	if err != nil {
		return err
	}
	for _, p := range posts {
		b.threads.add(p.Channel, p.TS, p.QuestionID)
	}
	return nil
}

// onMessage handles a message event. Replies in a question-of-the-day thread
// (new, broadcast, edited or deleted) are committed before the ack; the
// bot's own messages and other bots' are acknowledged and ignored.
func (b *Bot) onMessage(req *socketmode.Request, eventID string, m *slackevents.MessageEvent, arrived time.Time) {
	if b.fromBot(m) {
		b.ack(req, "events_api", arrived)
		return
	}
	switch m.SubType {
	case "", "thread_broadcast", "file_share":
		if m.ThreadTimeStamp != "" && m.ThreadTimeStamp != m.TimeStamp && b.threads.has(m.Channel, m.ThreadTimeStamp) {
			b.saveReply(req, store.Reply{
				Channel: m.Channel, ThreadTS: m.ThreadTimeStamp, TS: m.TimeStamp,
				User: m.User, Text: m.Text, At: b.clock.Now(),
			}, arrived)
			return
		}
		if m.ChannelType == "im" {
			b.onDirectMessage(req, eventID, m, arrived)
			return
		}
	case "message_changed":
		if n := m.Message; n != nil && n.ThreadTimestamp != "" && n.ThreadTimestamp != n.Timestamp && b.threads.has(m.Channel, n.ThreadTimestamp) {
			editTS := m.EventTimeStamp
			if n.Edited != nil && n.Edited.Timestamp != "" {
				editTS = n.Edited.Timestamp
			}
			if editTS == "" {
				editTS = m.TimeStamp
			}
			b.saveReply(req, store.Reply{
				Channel: m.Channel, ThreadTS: n.ThreadTimestamp, TS: n.Timestamp,
				User: n.User, Text: n.Text, At: b.clock.Now(), Edited: true, EditTS: editTS,
			}, arrived)
			return
		}
	case "message_deleted":
		if p := m.PreviousMessage; p != nil && p.ThreadTimestamp != "" && b.threads.has(m.Channel, p.ThreadTimestamp) {
			b.goDurable(func(ctx context.Context) {
				if _, err := b.store.DeleteReply(ctx, m.Channel, p.ThreadTimestamp, m.DeletedTimeStamp); err != nil {
					b.log.Error("delete thread reply", "channel", m.Channel, "err", err)
					return
				}
				b.ack(req, "events_api", arrived)
			})
			return
		}
	}
	b.ack(req, "events_api", arrived)
}

func (b *Bot) saveReply(req *socketmode.Request, r store.Reply, arrived time.Time) {
	b.goDurable(func(ctx context.Context) {
		var started, cs, ce time.Time
		if tracing {
			started = time.Now()
			ctx = store.WithTrace(ctx, func(s, e time.Time) { cs, ce = s, e })
		}
		saved, err := b.store.SaveReply(ctx, r)
		if tracing {
			returned := time.Now()
			defer func() { traceAck(req.EnvelopeID, arrived, started, cs, ce, returned, time.Now()) }()
		}
		if err != nil {
			// No ack: Slack redelivers, and the reply is not lost.
			b.log.Error("record thread reply", "channel", r.Channel, "thread", r.ThreadTS, "err", err)
			return
		}
		b.ack(req, "events_api", arrived)
		if !saved {
			b.metrics.duplicates.Inc()
			return
		}
		b.metrics.replies.Inc()
		// Feedback is off the ack's path: a new answer, or an edit that
		// changed the stored text, gets it once, privately.
		b.queueFeedback(r)
	})
}

// onDirectMessage handles a person's message in their DM with the bot.
// A keyword is handled after the ack; anything else may be the answer to
// a practice question, which is stored before the ack so it cannot be lost.
func (b *Bot) onDirectMessage(req *socketmode.Request, eventID string, m *slackevents.MessageEvent, arrived time.Time) {
	if dmKeyword(m.Text) {
		b.onceThen(req, eventID, arrived, func(ctx context.Context) { b.onDM(ctx, m) })
		return
	}
	if nearCommand(m.Text) {
		// "remind 25:99" is a command with a bad argument, not an answer:
		// it must not use up the question being answered.
		b.onceThen(req, eventID, arrived, func(ctx context.Context) { b.reply(ctx, m.Channel, b.onNearCommand(ctx, m)) })
		return
	}
	b.goDurable(func(ctx context.Context) {
		qid, first, err := b.store.TakeAnswer(ctx, eventID, store.Answer{User: m.User, Text: render.Truncate(m.Text, 4000), At: b.clock.Now()})
		if err != nil {
			b.log.Error("record practice answer", "user", m.User, "err", err)
			return // not acknowledged: Slack redelivers
		}
		b.ack(req, "events_api", arrived)
		if !first {
			b.metrics.duplicates.Inc()
			return
		}
		b.goSlow(func(ctx context.Context) { b.reply(ctx, m.Channel, b.showAnswer(ctx, m, qid)) })
	})
}
