package bot

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"github.com/prepbot/prepbot/bot/render"
	"github.com/prepbot/prepbot/feedback"
	"github.com/prepbot/prepbot/questions"
	"github.com/prepbot/prepbot/store"
)

// Thread-answer feedback is sent by a few senders of its own, from a
// bounded queue: chat.postEphemeral is rate-limited (Slack's Tier 4, about
// 100 a minute), so a burst of answers must neither hold the workers that
// answer slash commands while it waits out 429s, nor grow without bound.
// What does not fit is dropped and counted (prepbot_feedback_dropped_total):
// the answer itself is stored, and /prep answer and Reveal still show how
// it did.
//
// The senders also keep to Slack's pace themselves (feedbackRate, with
// bursts of feedbackBurst): sending faster would only buy 429s, each one a
// request, a wait and a retry.
const (
	feedbackQueue   = 256
	feedbackSenders = 2
	feedbackRate    = 100.0 / 60 // per second: Tier 4's "100+ per minute"
	feedbackBurst   = 20
)

// queueFeedback queues r's feedback, or drops it when the queue is full.
func (b *Bot) queueFeedback(r store.Reply) {
	select {
	case b.feedback <- r:
	default:
		b.metrics.feedbackDropped.Inc()
		b.log.Debug("feedback queue full; feedback dropped", "channel", r.Channel, "user", r.User)
	}
}

// startFeedbackSenders runs the senders until stop ends (the bot stops
// taking envelopes): feedback still queued then is not sent, as it is
// best-effort and the answers themselves are stored.
func (b *Bot) startFeedbackSenders(stop context.Context) {
	pace := newBucket(feedbackRate, feedbackBurst, time.Now)
	for range feedbackSenders {
		b.inflight.Add(1)
		go func() {
			defer b.inflight.Done()
			for {
				select {
				case r := <-b.feedback:
					if !pace.wait(stop) {
						return
					}
					func() {
						defer b.recoverHandler()
						b.threadFeedback(b.workCtx, r)
					}()
				case <-stop.Done():
					return
				}
			}
		}()
	}
}

// threadFeedback tells the author of a question-of-the-day thread answer,
// privately, which key points it covered: ephemeral in the thread, or in
// their DM if they chose that with /prep feedback dm. It runs after the
// answer is stored and acknowledged, once per stored text.
func (b *Bot) threadFeedback(ctx context.Context, r store.Reply) {
	qid, ok := b.threads.question(r.Channel, r.ThreadTS)
	if !ok {
		return
	}
	q, ok := b.question(qid)
	if !ok {
		return
	}
	m := render.ThreadFeedback(q, feedback.Assess(q, r.Text), r.Edited)
	p, err := b.store.Practice(r.User)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		b.log.Error("read feedback preference", "user", r.User, "err", err)
	}
	if p.FeedbackDM {
		if _, err := b.post(ctx, r.User, m); err != nil {
			b.log.Warn("send feedback to the DM", "user", r.User, "err", err)
		}
		return
	}
	if _, err := b.slack.PostEphemeralContext(ctx, r.Channel, r.User, append(msgOptions(m), slack.MsgOptionTS(r.ThreadTS))...); err != nil {
		b.log.Warn("send feedback", "channel", r.Channel, "user", r.User, "err", err)
	}
}

// ownAnswer is the user's latest answer to q: the last of their replies in
// the question of the day's thread (read by the caller, nil if none), else
// their latest DM practice answer.
func (b *Bot) ownAnswer(user string, q questions.Question, thread []store.Reply) (string, bool) {
	if len(thread) > 0 {
		return thread[len(thread)-1].Text, true
	}
	answers, err := b.store.Answers(user)
	if err != nil {
		return "", false
	}
	for i := len(answers) - 1; i >= 0; i-- {
		if answers[i].QuestionID == q.ID {
			return answers[i].Text, true
		}
	}
	return "", false
}

// answerFor is the reference answer as user sees it: with one line on how
// their own answer did, when they gave one.
func (b *Bot) answerFor(user string, q questions.Question, nonce string, thread []store.Reply) reply {
	if text, ok := b.ownAnswer(user, q, thread); ok {
		return render.AnswerWithFeedback(q, nonce, feedback.Assess(q, text), false)
	}
	return render.Answer(q, nonce)
}

// cmdFeedback is /prep feedback [dm|here]: where thread-answer feedback goes.
func (b *Bot) cmdFeedback(ctx context.Context, c call) (reply, error) {
	p, err := b.store.Practice(c.UserID)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return reply{}, err
	}
	switch strings.ToLower(strings.Join(c.cmd.args, " ")) {
	case "":
		where := "privately in the thread (only you see it)"
		if p.FeedbackDM {
			where = "in our DM"
		}
		return reply{Text: "Feedback on your question-of-the-day answers comes " + where + ". `" + c.Command + " feedback dm` or `" + c.Command + " feedback here` changes it."}, nil
	case "dm":
		p.FeedbackDM = true
	case "here", "thread", "ephemeral":
		p.FeedbackDM = false
	default:
		return reply{}, badInputf("Use `%s feedback dm` (feedback on your thread answers in our DM) or `%s feedback here` (privately in the thread).", c.Command, c.Command)
	}
	if err := b.store.SetPractice(ctx, c.UserID, p); err != nil {
		return reply{}, err
	}
	if p.FeedbackDM {
		return reply{Text: "From now on, feedback on your thread answers comes to our DM."}, nil
	}
	return reply{Text: "From now on, feedback on your thread answers shows privately in the thread."}, nil
}
