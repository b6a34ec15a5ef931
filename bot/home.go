package bot

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"

	"github.com/prepbot/prepbot/bot/insights"
	"github.com/prepbot/prepbot/bot/progress"
	"github.com/prepbot/prepbot/bot/render"
	"github.com/prepbot/prepbot/feedback"
)

// userRecord reads user's practice record, in their zone.
func (b *Bot) userRecord(ctx context.Context, user string) (progress.Record, error) {
	topicOf := func(id string) (string, bool) {
		q, ok := b.question(id)
		return q.Topic, ok
	}
	return progress.UserRecord(b.store, topicOf, user, b.clock.Now(), b.zoneOf(ctx, user))
}

// personalStats is the user's record in one line.
func (b *Bot) personalStats(ctx context.Context, user string) string {
	r, err := b.userRecord(ctx, user)
	if err != nil {
		b.log.Error("stats", "user", user, "err", err)
		return "Sorry, I couldn't read your record just now."
	}
	return render.PersonalStats(r) + b.mockLine(user)
}

// mockLine is the user's mock interviews, as a line for stats and App
// Home ("" when they have none).
func (b *Bot) mockLine(user string) string {
	done, led, err := b.mockDone(user)
	if err != nil {
		b.log.Error("mock interviews done", "user", user, "err", err)
		return ""
	}
	if done == 0 {
		return ""
	}
	return fmt.Sprintf("\n:handshake: %s done (%d as the interviewer).", render.MockCount(done), led)
}

// publishHome publishes the user's App Home.
func (b *Bot) publishHome(ctx context.Context, user string) error {
	r, err := b.userRecord(ctx, user)
	if err != nil {
		return err
	}
	view := render.Home(r, b.bank().TopicCounts())
	if line := b.lastAnswerLine(user); line != "" {
		view = render.WithHomeLine(view, line)
	}
	if line := b.mockLine(user); line != "" {
		view = render.WithHomeLine(view, line[1:])
	}
	admin, err := b.homeAdmin(ctx, user)
	if err != nil {
		// The student's part of App Home is still worth showing.
		b.log.Error("App Home: the admin section", "user", user, "err", err)
	}
	if bs := view.Blocks.BlockSet; len(admin) > 0 && len(bs)+len(admin) <= render.MaxViewBlocks {
		view.Blocks = slack.Blocks{BlockSet: append(slices.Clip(bs), admin...)}
	}
	_, err = b.slack.PublishViewContext(ctx, slack.PublishViewContextRequest{UserID: user, View: view})
	if err != nil {
		return fmt.Errorf("views.publish: %w", err)
	}
	return nil
}

// homeAdmin is the admins' section of user's App Home: a summary of each
// cohort channel (one with a question of the day or mock interviews) that
// user may run admin commands in. Nil for everyone else.
func (b *Bot) homeAdmin(ctx context.Context, user string) ([]slack.Block, error) {
	var channels []string
	scheds, err := b.store.Schedules()
	if err != nil {
		return nil, err
	}
	for _, s := range scheds {
		channels = append(channels, s.Channel)
	}
	mocks, err := b.store.MockConfigs()
	if err != nil {
		return nil, err
	}
	for _, m := range mocks {
		channels = append(channels, m.Channel)
	}
	slices.Sort(channels)
	channels = slices.Compact(channels)
	var cohorts []render.HomeCohort
	more := 0
	for _, ch := range channels {
		ok, err := b.authorize(ctx, actRunChannel, user, ch)
		if err != nil {
			return nil, err
		}
		if !ok {
			continue
		}
		if len(cohorts) == render.MaxHomeCohorts {
			more++ // counted, not built: only the summarised ones cost a report
			continue
		}
		r, err := insights.Build(b.store, b.question, ch, b.clock.Now(), b.channelZone(ch))
		if err != nil {
			return nil, fmt.Errorf("insights for %s: %w", ch, err)
		}
		cohorts = append(cohorts, render.HomeCohort{Channel: ch, Report: r})
	}
	return render.HomeAdmin(cohorts, more, "/prep", func(u string) string { return b.displayName(ctx, u) }), nil
}

// onAppHomeOpened publishes the user's App Home.
func (b *Bot) onAppHomeOpened(ctx context.Context, e *slackevents.AppHomeOpenedEvent) {
	if e.Tab != "" && e.Tab != "home" {
		return
	}
	if err := b.publishHome(ctx, e.User); err != nil {
		b.log.Error("publish App Home", "user", e.User, "err", err)
	}
}

func (b *Bot) cmdPractice(ctx context.Context, c call) (reply, error) {
	topics, err := topicArg(c.cmd.args)
	if err != nil {
		return reply{}, err
	}
	if err := b.askPractice(ctx, c.UserID, "", topics); err != nil {
		return reply{}, err
	}
	return reply{Text: "I've sent you a question in our DM. Answer it there."}, nil
}

func (b *Bot) startPracticeFromButton(ctx context.Context, cb slack.InteractionCallback) error {
	dm := ""
	if isDM(cb.Channel.ID) {
		dm = cb.Channel.ID
	}
	p, _ := b.store.Practice(cb.User.ID)
	return b.askPractice(ctx, cb.User.ID, dm, p.Topics)
}

func newNonce() string { return strconv.FormatInt(time.Now().UnixNano(), 36) }

// lastAnswerLine says how the user's latest DM practice answer did against
// its key points, or "" if they have none.
func (b *Bot) lastAnswerLine(user string) string {
	answers, err := b.store.Answers(user)
	if err != nil || len(answers) == 0 {
		return ""
	}
	a := answers[len(answers)-1]
	q, ok := b.question(a.QuestionID)
	if !ok {
		return ""
	}
	return render.LastAnswer(q, feedback.Assess(q, a.Text))
}
