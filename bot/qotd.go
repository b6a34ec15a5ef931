package bot

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"github.com/prepbot/prepbot/bot/render"
	"github.com/prepbot/prepbot/questions"
	"github.com/prepbot/prepbot/store"
)

// userError is a failure whose message is a full sentence safe to show in
// Slack. usage marks bad input: a slash command answers it with the usage.
type userError struct {
	msg   string
	usage bool
}

func (e *userError) Error() string { return e.msg }

func userErrorf(format string, args ...any) error {
	return &userError{msg: fmt.Sprintf(format, args...)}
}

// badInputf is a userError about what the user typed.
func badInputf(format string, args ...any) error {
	return &userError{msg: fmt.Sprintf(format, args...), usage: true}
}

// errAlreadyDone means the slot was handled before (posted or skipped).
var errAlreadyDone = errors.New("slot already handled")

// slackErrorCode returns Slack's error code ("not_in_channel") from a Web
// API error, or "".
func slackErrorCode(err error) string {
	var se slack.SlackErrorResponse
	if errors.As(err, &se) {
		return se.Err
	}
	if err != nil && !strings.Contains(err.Error(), " ") {
		return err.Error()
	}
	return ""
}

// channelGone reports errors that mean the bot cannot post in a channel
// until a person acts: the schedule pauses instead of retrying.
func channelGone(code string) bool {
	switch code {
	case "not_in_channel", "is_archived", "channel_not_found", "restricted_action":
		return true
	}
	return false
}

// postQuestionOfTheDay posts the channel's question for the slot at (a
// /prep post uses the current second as its slot), after revealing the
// previous one. It posts a slot at most once: the intent is recorded
// before posting and the ts after, and an intent without a ts (a crash in
// between) is resolved from the channel's history before posting again.
func (b *Bot) postQuestionOfTheDay(ctx context.Context, channel string, at time.Time, topics []string) (store.Post, error) {
	unlock := b.posting.lock(channel)
	defer unlock()

	qid, err := b.pickQuestion(ctx, channel, topics)
	if err != nil {
		return store.Post{}, err
	}
	slot, begun, err := b.store.BeginSlot(ctx, channel, at, qid)
	if err != nil {
		return store.Post{}, fmt.Errorf("record slot intent: %w", err)
	}
	if !begun {
		if slot.State != store.SlotPosting {
			return store.Post{}, errAlreadyDone
		}
		// A previous attempt may have posted before it could record the ts.
		if ts, found, err := b.findSlotPost(ctx, channel, at); err != nil {
			return store.Post{}, fmt.Errorf("look for an earlier post of slot %s: %w", at, err)
		} else if found {
			b.log.Info("slot was posted before a crash; recording it", "channel", channel, "slot", at, "ts", ts)
			return b.finishSlot(ctx, channel, at, ts)
		}
		qid = slot.QuestionID
	}
	q, ok := b.question(qid)
	if !ok {
		return store.Post{}, fmt.Errorf("question %s vanished", qid)
	}
	if _, err := b.revealLatest(ctx, channel); err != nil && !errors.Is(err, errNothingToReveal) {
		b.log.Warn("reveal previous question", "channel", channel, "err", err)
	}
	if err := b.pacer.wait(ctx, channel); err != nil {
		return store.Post{}, err
	}
	ts, err := b.post(ctx, channel, render.QuestionOfTheDay(q, at, false))
	if code := slackErrorCode(err); channelGone(code) {
		if ferr := b.store.FailSlot(ctx, channel, at, code); ferr != nil {
			b.log.Error("record failed slot", "err", ferr)
		}
		b.haltSchedule(ctx, channel, code)
		return store.Post{}, userErrorf("I can't post in this channel (%s). Invite me with `/invite @prepbot` and set the schedule again.", code)
	} else if err != nil {
		// Left as "posting": the next attempt checks the history first.
		return store.Post{}, fmt.Errorf("post question of the day: %w", err)
	}
	// Track the thread before recording the post: an answer can arrive
	// while the record commits, and it must not be dropped.
	b.threads.add(channel, ts, q.ID)
	return b.finishSlot(ctx, channel, at, ts)
}

func (b *Bot) finishSlot(ctx context.Context, channel string, at time.Time, ts string) (store.Post, error) {
	p, err := b.store.FinishSlot(ctx, channel, at, ts, b.clock.Now())
	if err != nil {
		return store.Post{}, fmt.Errorf("record posted slot: %w", err)
	}
	b.threads.add(channel, ts, p.QuestionID)
	b.log.Info("question of the day posted", "channel", channel, "question", p.QuestionID, "slot", at)
	return p, nil
}

// maxRecoveryPages bounds how many pages of history crash recovery reads:
// the search is already bounded by time (an hour before the slot), so this
// only stops a pathological channel from holding the job forever.
const maxRecoveryPages = 100

// findSlotPost looks in the channel's history for the bot's post of the
// slot at (its header block carries the slot).
func (b *Bot) findSlotPost(ctx context.Context, channel string, at time.Time) (string, bool, error) {
	return b.findOwnPost(ctx, channel, render.SlotBlockID(at), at)
}

// findOwnPost looks in a conversation's history since an hour before at
// for the bot's message carrying blockID, following Slack's cursors: a
// busy channel has more than one page.
func (b *Bot) findOwnPost(ctx context.Context, channel, blockID string, at time.Time) (string, bool, error) {
	params := &slack.GetConversationHistoryParameters{
		ChannelID: channel,
		Oldest:    strconv.FormatInt(at.Add(-time.Hour).Unix(), 10),
		Limit:     200,
	}
	for range maxRecoveryPages {
		hist, err := b.slack.GetConversationHistoryContext(ctx, params)
		if err != nil {
			return "", false, err
		}
		for _, m := range hist.Messages {
			if b.ownMessage(m) && hasBlockID(m, blockID) {
				return m.Timestamp, true, nil
			}
		}
		if !hist.HasMore || hist.ResponseMetaData.NextCursor == "" {
			return "", false, nil
		}
		params.Cursor = hist.ResponseMetaData.NextCursor
	}
	return "", false, fmt.Errorf("history of %s since the slot is longer than %d pages", channel, maxRecoveryPages)
}

// ownMessage reports whether m was posted by this bot.
func (b *Bot) ownMessage(m slack.Message) bool {
	return m.BotID != "" || (m.User != "" && m.User == b.botUserID)
}

// hasBlockID reports whether one of m's header or section blocks has id.
func hasBlockID(m slack.Message, id string) bool {
	for _, blk := range m.Blocks.BlockSet {
		switch blk := blk.(type) {
		case *slack.HeaderBlock:
			if blk.BlockID == id {
				return true
			}
		case *slack.SectionBlock:
			if blk.BlockID == id {
				return true
			}
		}
	}
	return false
}

// pickQuestion chooses the channel's next question: one it has not had in
// the current cycle, from its topics; when all have been used, a new cycle
// starts. Questions added to the bank later join the pool at once.
func (b *Bot) pickQuestion(ctx context.Context, channel string, topics []string) (string, error) {
	pool := b.bank().InTopics(topics...)
	if len(pool) == 0 {
		return "", userErrorf("There are no questions in %s.", strings.Join(topics, ", "))
	}
	rot, err := b.store.Rotation(channel)
	if err != nil {
		return "", err
	}
	unused := slices.DeleteFunc(slices.Clone(pool), func(id string) bool { return slices.Contains(rot.Used, id) })
	if len(unused) == 0 {
		if err := b.store.NewCycle(ctx, channel); err != nil {
			return "", err
		}
		unused = pool
	}
	return unused[rand.IntN(len(unused))], nil
}

var errNothingToReveal = errors.New("nothing to reveal")

// revealLatest replies in the channel's latest question thread with the
// reference answer and who answered (names, no pings), and marks the post.
func (b *Bot) revealLatest(ctx context.Context, channel string) (store.Post, error) {
	post, err := b.store.LatestPost(channel)
	if errors.Is(err, store.ErrNotFound) {
		return store.Post{}, errNothingToReveal
	} else if err != nil {
		return store.Post{}, err
	}
	if post.Revealed {
		return post, errNothingToReveal
	}
	q, ok := b.question(post.QuestionID)
	if !ok {
		return post, fmt.Errorf("question %s vanished", post.QuestionID)
	}
	replies, err := b.store.Replies(channel, post.TS)
	if err != nil {
		return post, err
	}
	names, total := b.answerers(ctx, replies)
	msg := render.Reveal(q, post.TS, names, total)
	already := false
	if post.Revealing {
		// A previous attempt may have posted it before it could say so.
		if already, err = b.findReveal(ctx, channel, post.TS); err != nil {
			return post, fmt.Errorf("look for an earlier reveal: %w", err)
		}
	} else if err := b.store.MarkRevealing(ctx, channel, post.TS); err != nil {
		return post, err
	}
	if !already {
		if err := b.pacer.wait(ctx, channel); err != nil {
			return post, err
		}
		if _, err := b.post(ctx, channel, msg, slack.MsgOptionTS(post.TS)); err != nil {
			return post, fmt.Errorf("post the reference answer: %w", err)
		}
	}
	if err := b.store.MarkRevealed(ctx, channel, post.TS); err != nil {
		return post, err
	}
	post.Revealed = true
	if err := b.update(ctx, channel, post.TS, render.QuestionOfTheDay(q, post.SlotAt, true)); err != nil {
		b.log.Warn("mark the question post as revealed", "channel", channel, "err", err)
	}
	return post, nil
}

// answerers counts the distinct people who replied and names the first
// render.MaxNamed of them: a reveal in a thread of 2,000 answers needs 20
// names, not 2,000 users.info calls (Tier 4: about 100 a minute).
func (b *Bot) answerers(ctx context.Context, replies []store.Reply) (names []string, total int) {
	seen := map[string]bool{}
	for _, r := range replies {
		if seen[r.User] {
			continue
		}
		seen[r.User] = true
		if len(names) < render.MaxNamed {
			names = append(names, b.displayName(ctx, r.User))
		}
	}
	return names, len(seen)
}

// findReveal reports whether the bot's reveal is already in the thread,
// reading every page of it.
func (b *Bot) findReveal(ctx context.Context, channel, postTS string) (bool, error) {
	want := render.RevealBlockID(postTS)
	params := &slack.GetConversationRepliesParameters{ChannelID: channel, Timestamp: postTS, Limit: 200}
	for range maxRecoveryPages {
		msgs, hasMore, cursor, err := b.slack.GetConversationRepliesContext(ctx, params)
		if err != nil {
			return false, err
		}
		for _, m := range msgs {
			if b.ownMessage(m) && hasBlockID(m, want) {
				return true, nil
			}
		}
		if !hasMore || cursor == "" {
			return false, nil
		}
		params.Cursor = cursor
	}
	return false, fmt.Errorf("thread %s in %s is longer than %d pages", postTS, channel, maxRecoveryPages)
}

// haltSchedule pauses a channel's schedule after Slack refused a post, and
// tells the admin who set it.
func (b *Bot) haltSchedule(ctx context.Context, channel, code string) {
	s, err := b.store.UpdateSchedule(ctx, channel, func(s *store.Schedule) { s.Halted = code })
	if errors.Is(err, store.ErrNotFound) {
		return
	} else if err != nil {
		b.log.Error("halt schedule", "channel", channel, "err", err)
		return
	}
	b.log.Warn("schedule halted: Slack refused the post", "channel", channel, "reason", code)
	msg := fmt.Sprintf("I couldn't post the question of the day in <#%s> (Slack said `%s`), so its schedule is paused. Invite me back with `/invite @prepbot` and run `%s schedule %s` there to restart it.", channel, code, cmp.Or(s.Command, render.DefaultCommand), s.Spec)
	if _, err := b.post(ctx, s.SetBy, reply{Text: msg}); err != nil {
		b.log.Error("tell the admin about the halted schedule", "user", s.SetBy, "err", err)
	}
}

// channelTopics resolves a schedule's stored topics for the bank.
func channelTopics(s store.Schedule) []string {
	if len(s.Topics) == 0 {
		return nil
	}
	var out []string
	for _, t := range s.Topics {
		if ts, ok := questions.MatchTopic(t); ok {
			out = append(out, ts...)
		}
	}
	return out
}
