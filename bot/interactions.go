package bot

import (
	"context"
	"errors"
	"strings"

	"github.com/slack-go/slack"

	"github.com/prepbot/prepbot/bot/render"
	"github.com/prepbot/prepbot/questions"
	"github.com/prepbot/prepbot/store"
)

// onInteraction handles a button press or a modal submission.
func (b *Bot) onInteraction(ctx context.Context, cb slack.InteractionCallback) {
	if cb.Type != slack.InteractionTypeBlockActions {
		b.log.Debug("interaction not handled", "type", string(cb.Type))
		return
	}
	for _, a := range cb.ActionCallback.BlockActions {
		if ok, err := b.authorize(ctx, buttonAction(a.ActionID), cb.User.ID, cb.Channel.ID); err != nil || !ok {
			b.log.Warn("button refused", "action_id", a.ActionID, "user", cb.User.ID, "err", err)
			continue
		}
		var err error
		switch a.ActionID {
		case render.ActionReveal:
			err = b.onReveal(ctx, cb, a.Value, false)
		case render.ActionRevealAnyway:
			err = b.onReveal(ctx, cb, a.Value, true)
		case render.ActionAnother:
			err = b.onAnother(ctx, cb, a.Value)
		case render.ActionRateAgain, render.ActionRateHard, render.ActionRateGood, render.ActionRateEasy:
			err = b.onRate(ctx, cb, strings.TrimPrefix(a.ActionID, "prep_rate_"), a.Value)
		case render.ActionPractice:
			err = b.startPracticeFromButton(ctx, cb)
		case render.ActionForgetConfirm:
			err = b.onForget(ctx, cb)
		case render.ActionReport:
			err = b.onReport(ctx, cb, a.Value)
		case render.ActionMockJoin:
			err = b.onMockJoin(ctx, cb)
		case render.ActionMockForm:
			err = b.onMockFormButton(ctx, cb, a.Value)
		default:
			b.log.Debug("button not handled", "action_id", a.ActionID)
		}
		if err != nil {
			b.log.Error("button", "action_id", a.ActionID, "err", err)
		}
	}
}

// interactionReply answers the person who clicked: ephemerally in a
// channel (through the response_url), as a normal message in their DM.
func (b *Bot) interactionReply(ctx context.Context, cb slack.InteractionCallback, r reply) error {
	if isDM(cb.Channel.ID) {
		_, err := b.post(ctx, cb.Channel.ID, r)
		return err
	}
	return b.respond(ctx, cb.ResponseURL, r)
}

// onReveal shows a reference answer. On a question of the day, someone who
// has not answered in its thread is first nudged to (answer first, then
// look), with a button to reveal anyway.
func (b *Bot) onReveal(ctx context.Context, cb slack.InteractionCallback, questionID string, anyway bool) error {
	q, ok := b.question(questionID)
	if !ok {
		return b.interactionReply(ctx, cb, reply{Text: "That question is no longer in the bank."})
	}
	msgTS := cb.Container.MessageTs
	// On a question of the day, the clicker's own replies decide the nudge
	// and feed the answer's coverage line: one read of the thread for both.
	var thread []store.Reply
	if b.threads.has(cb.Channel.ID, msgTS) {
		var err error
		if thread, err = b.store.UserReplies(cb.Channel.ID, msgTS, cb.User.ID); err != nil && !anyway {
			return err
		}
		if !anyway && len(thread) == 0 {
			return b.interactionReply(ctx, cb, render.Nudge(q))
		}
	}
	if isDM(cb.Channel.ID) {
		// Revealing the practice question gives up on answering it: the
		// next message is not taken as its answer.
		if err := b.stopAwaiting(ctx, cb.User.ID, q.ID); err != nil {
			return err
		}
	}
	return b.interactionReply(ctx, cb, b.answerFor(cb.User.ID, q, newNonce(), thread))
}

// stopAwaiting ends the wait for user's answer to questionID, if that is
// the question awaited.
func (b *Bot) stopAwaiting(ctx context.Context, user, questionID string) error {
	p, err := b.store.Practice(user)
	if errors.Is(err, store.ErrNotFound) {
		return nil
	} else if err != nil {
		return err
	}
	if p.Awaiting != questionID {
		return nil
	}
	p.Awaiting = ""
	return b.store.SetPractice(ctx, user, p)
}

func isDM(channel string) bool { return strings.HasPrefix(channel, "D") }

// onAnother gives another random question of the same topics; in a DM,
// the next practice question (the one whose answer is then awaited).
func (b *Bot) onAnother(ctx context.Context, cb slack.InteractionCallback, value string) error {
	topicCSV, onScreen, _ := strings.Cut(value, "|")
	var topics []string
	for _, t := range strings.Split(topicCSV, ",") {
		if _, ok := questions.LookupTopic(t); ok || questions.IsTrack(t) {
			topics = append(topics, t)
		}
	}
	if isDM(cb.Channel.ID) {
		return b.askPractice(ctx, cb.User.ID, cb.Channel.ID, topics)
	}
	q, ok := b.bank().RandomExcept(nil, onScreen, topics...)
	if !ok {
		return b.interactionReply(ctx, cb, reply{Text: "There are no more questions in that topic."})
	}
	return b.interactionReply(ctx, cb, render.Ask(q, topics))
}
