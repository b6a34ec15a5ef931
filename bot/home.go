package bot

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"

	"github.com/prepbot/prepbot/questions"
)

// record is a user's practice record, as App Home and stats show it.
type record struct {
	answered           int // DM answers plus thread answers
	streak, bestStreak int // consecutive days with an answer, in the user's zone
	dueToday, dueWeek  int
	deck               int
	reviewedByTopic    map[string]int
	answeredToday      bool
}

func (b *Bot) userRecord(ctx context.Context, user string) (record, error) {
	loc := b.zoneOf(ctx, user)
	now := b.clock.Now()
	r := record{reviewedByTopic: map[string]int{}}
	answers, err := b.store.Answers(user)
	if err != nil {
		return r, err
	}
	replies, err := b.store.UserReplyTimes(user)
	if err != nil {
		return r, err
	}
	cards, err := b.store.Cards(user)
	if err != nil {
		return r, err
	}
	r.answered = len(answers) + len(replies)
	var when []time.Time
	for _, a := range answers {
		when = append(when, a.At)
	}
	when = append(when, replies...)
	r.streak, r.bestStreak, r.answeredToday = streaks(when, now, loc)
	today, week := endOfDay(now, loc), endOfDay(now, loc).AddDate(0, 0, 6)
	for _, c := range cards {
		r.deck++
		if c.Due.Before(today) {
			r.dueToday++
		}
		if c.Due.Before(week) {
			r.dueWeek++
		}
		if q, ok := b.question(c.QuestionID); ok {
			r.reviewedByTopic[q.Topic]++
		}
	}
	return r, nil
}

// streaks returns the current and best runs of consecutive local days with
// at least one answer. The current run still counts if today has no answer
// yet but yesterday had.
func streaks(when []time.Time, now time.Time, loc *time.Location) (current, best int, today bool) {
	days := map[string]bool{}
	for _, t := range when {
		days[t.In(loc).Format("2006-01-02")] = true
	}
	var sorted []string
	for d := range days {
		sorted = append(sorted, d)
	}
	slices.Sort(sorted)
	run := 0
	var prev time.Time
	for _, d := range sorted {
		t, _ := time.ParseInLocation("2006-01-02", d, loc)
		if !prev.IsZero() && prev.AddDate(0, 0, 1).Equal(t) {
			run++
		} else {
			run = 1
		}
		best = max(best, run)
		prev = t
	}
	y, m, dd := now.In(loc).Date()
	day := time.Date(y, m, dd, 0, 0, 0, 0, loc)
	today = days[day.Format("2006-01-02")]
	if !today {
		day = day.AddDate(0, 0, -1)
	}
	for days[day.Format("2006-01-02")] {
		current++
		day = day.AddDate(0, 0, -1)
	}
	return current, best, today
}

func (b *Bot) personalStats(ctx context.Context, user string) string {
	r, err := b.userRecord(ctx, user)
	if err != nil {
		b.log.Error("stats", "user", user, "err", err)
		return "Sorry, I couldn't read your record just now."
	}
	if r.answered == 0 && r.deck == 0 {
		return "Nothing yet: send `practice` to start, or answer a question of the day in its thread."
	}
	return fmt.Sprintf("*Your record:* %d answered · streak %d day(s) (best %d) · %d in your deck · %d review(s) due today, %d this week.",
		r.answered, r.streak, r.bestStreak, r.deck, r.dueToday, r.dueWeek)
}

// progressBar draws n of total as ten cells.
func progressBar(n, total int) string {
	if total == 0 {
		return strings.Repeat("░", 10)
	}
	filled := min(10, n*10/total)
	return strings.Repeat("▓", filled) + strings.Repeat("░", 10-filled)
}

// homeView is the App Home: the user's record, per-topic progress and a
// practice button.
func (b *Bot) homeView(r record) slack.HomeTabViewRequest {
	blocks := []slack.Block{
		slack.NewHeaderBlock(slack.NewTextBlockObject(slack.PlainTextType, "Your interview practice", true, false)),
		mdSection(fmt.Sprintf("*%d* answered · *%d*-day streak (best %d) · *%d* due today · *%d* due this week",
			r.answered, r.streak, r.bestStreak, r.dueToday, r.dueWeek)),
		slack.NewActionBlock("home-actions", button(actionPractice, "Practice now", "", slack.StylePrimary)),
		slack.NewDividerBlock(),
	}
	counts := b.bank().TopicCounts()
	var lines []string
	for _, t := range questions.Topics {
		if r.reviewedByTopic[t.Slug] == 0 {
			continue
		}
		lines = append(lines, fmt.Sprintf("`%s` %s %d/%d", progressBar(r.reviewedByTopic[t.Slug], counts[t.Slug]), t.Title, r.reviewedByTopic[t.Slug], counts[t.Slug]))
	}
	if len(lines) == 0 {
		lines = []string{"_No topics practised yet. Send me `practice` in our DM, or press the button._"}
	}
	blocks = append(blocks, mdSection("*Progress by topic*\n"+truncate(strings.Join(lines, "\n"), 2900)))
	return slack.HomeTabViewRequest{Type: slack.VTHomeTab, Blocks: slack.Blocks{BlockSet: blocks}}
}

// publishHome publishes the user's App Home.
func (b *Bot) publishHome(ctx context.Context, user string) error {
	r, err := b.userRecord(ctx, user)
	if err != nil {
		return err
	}
	_, err = b.slack.PublishViewContext(ctx, slack.PublishViewContextRequest{UserID: user, View: b.homeView(r)})
	if err != nil {
		return fmt.Errorf("views.publish: %w", err)
	}
	return nil
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
