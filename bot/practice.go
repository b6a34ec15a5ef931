package bot

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"

	"github.com/prepbot/prepbot/bot/practice"
	"github.com/prepbot/prepbot/bot/progress"
	"github.com/prepbot/prepbot/bot/render"
	"github.com/prepbot/prepbot/feedback"
	"github.com/prepbot/prepbot/questions"
	"github.com/prepbot/prepbot/store"
)

// zoneOf returns the user's Slack time zone (UTC if unknown).
func (b *Bot) zoneOf(ctx context.Context, user string) *time.Location {
	p, err := b.person(ctx, user)
	if err != nil || p.TZ == "" {
		return time.UTC
	}
	loc, err := time.LoadLocation(p.TZ)
	if err != nil {
		return time.UTC
	}
	return loc
}

// nextPracticeQuestion picks what user practises next (practice.Next).
func (b *Bot) nextPracticeQuestion(user string, topics []string, now time.Time, skip string) (questions.Question, bool, error) {
	cards, err := b.store.Cards(user)
	if err != nil {
		return questions.Question{}, false, err
	}
	id, ok := practice.Next(cards, b.bank().InTopics(topics...), now, skip, rand.IntN)
	if !ok {
		return questions.Question{}, false, nil
	}
	q, ok := b.question(id)
	return q, ok, nil
}

// askPractice asks user a practice question in their DM and waits for the
// answer. dm may be "" (the user ID then addresses the DM).
func (b *Bot) askPractice(ctx context.Context, user, dm string, topics []string) error {
	now := b.clock.Now()
	current, err := b.store.Practice(user)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return err
	}
	q, ok, err := b.nextPracticeQuestion(user, topics, now, current.Awaiting)
	if err != nil {
		return err
	}
	target := cmp.Or(dm, user)
	if !ok {
		_, err := b.post(ctx, target, reply{Text: "There are no questions in that topic."})
		return err
	}
	due := ""
	if c, err := b.store.Card(user, q.ID); err == nil {
		due = fmt.Sprintf(" · review (last seen %s)", c.LastReview.In(b.zoneOf(ctx, user)).Format("2 Jan"))
	}
	// Wait for the answer before asking: a quick reply must not arrive
	// before the bot knows what it answers.
	state := store.Practice{Awaiting: q.ID, AskedAt: now, Topics: topics, DM: dm}
	if err := b.store.SetPractice(ctx, user, state); err != nil {
		return err
	}
	_, err = b.post(ctx, target, render.Practice(q, due, topics))
	if err != nil {
		state.Awaiting = "" // never seen, so never answered
		if serr := b.store.SetPractice(ctx, user, state); serr != nil {
			b.log.Error("clear practice state", "user", user, "err", serr)
		}
		return fmt.Errorf("ask practice question: %w", err)
	}
	return nil
}

// dmCommand splits a DM into its first word (lower case) and the rest.
func dmCommand(text string) (string, []string) {
	f := strings.Fields(strings.ToLower(strings.TrimSpace(text)))
	if len(f) == 0 {
		return "", nil
	}
	return f[0], f[1:]
}

// dmKeyword reports whether a DM is a command rather than an answer: it
// must be exactly a keyword, and practice and remind only with arguments
// they accept, so "practice makes perfect: ..." is an answer.
func dmKeyword(text string) bool {
	word, args := dmCommand(text)
	switch word {
	case "help", "stats", "topics", "skip", "next", "export", "forget-me":
		return len(args) == 0
	case "practice":
		_, err := topicArg(args)
		return err == nil
	case "remind":
		return len(args) == 1 && (args[0] == "off" || clockPattern.MatchString(args[0]))
	}
	return false
}

// nearCommand reports a DM that looks like one of the commands that take
// an argument, with an argument they do not accept: short, one line, and
// starting with the command's word ("remind 25:99", "practice knitting").
func nearCommand(text string) bool {
	word, args := dmCommand(text)
	if (word != "remind" && word != "practice") || len(args) == 0 || len(args) > 2 ||
		len(text) > 40 || strings.ContainsAny(strings.TrimSpace(text), "\n") {
		return false
	}
	return !dmKeyword(text)
}

// onNearCommand answers a DM that looks like a mistyped command. While an
// answer is awaited it asks, and the question stays open; otherwise the
// command's own error says what is wrong with the argument.
func (b *Bot) onNearCommand(ctx context.Context, m *slackevents.MessageEvent) error {
	p, err := b.store.Practice(m.User)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return err
	}
	if p.Awaiting == "" {
		return b.handleDM(ctx, m)
	}
	word, _ := dmCommand(m.Text)
	hint := "Did you mean the command? `remind` takes a time like `remind 9:00` (24-hour, your zone) or `remind off`."
	if word == "practice" {
		hint = "Did you mean the command? `practice` takes a topic such as `practice databases` (`topics` lists them)."
	}
	return b.say(ctx, m.Channel, hint+" If it was your answer, write a little more: the question is still open.")
}

// onDM handles a person's message in their DM with the bot: a keyword, or
// the answer to the awaited practice question.
func (b *Bot) onDM(ctx context.Context, m *slackevents.MessageEvent) {
	b.reply(ctx, m.Channel, b.handleDM(ctx, m))
}

// reply tells the person in a DM what went wrong, if anything did.
func (b *Bot) reply(ctx context.Context, dm string, err error) {
	if err == nil {
		return
	}
	var ue *userError
	msg := "Sorry, something went wrong on my side. Try again in a moment."
	if errors.As(err, &ue) {
		msg = ue.msg
	} else {
		b.log.Error("DM", "channel", dm, "err", err)
	}
	if _, perr := b.post(ctx, dm, reply{Text: msg}); perr != nil {
		b.log.Error("answer DM", "err", perr)
	}
}

func (b *Bot) say(ctx context.Context, channel, text string, blocks ...slack.Block) error {
	_, err := b.post(ctx, channel, reply{Text: text, Blocks: blocks})
	return err
}

func (b *Bot) handleDM(ctx context.Context, m *slackevents.MessageEvent) error {
	user, dm := m.User, m.Channel
	word, args := dmCommand(m.Text)
	switch word {
	case "help":
		return b.say(ctx, dm, render.DMHelp)
	case "topics":
		return b.say(ctx, dm, b.topicsText(""))
	case "stats":
		return b.say(ctx, dm, b.personalStats(ctx, user))
	case "practice", "next", "skip":
		topics, err := topicArg(args)
		if err != nil {
			return err
		}
		if topics == nil && word != "practice" {
			p, _ := b.store.Practice(user)
			topics = p.Topics
		}
		return b.askPractice(ctx, user, dm, topics)
	case "remind":
		text, err := b.setReminder(ctx, user, dm, args)
		if err != nil {
			return err
		}
		return b.say(ctx, dm, text)
	case "export":
		return b.exportUser(ctx, user, dm)
	case "forget-me":
		_, err := b.post(ctx, dm, render.ForgetConfirm())
		return err
	}
	return nil
}

// showAnswer shows the reference answer to a stored practice answer, with
// the rating buttons (qid "" means no question was awaited).
func (b *Bot) showAnswer(ctx context.Context, m *slackevents.MessageEvent, qid string) error {
	if qid == "" {
		if word, _ := dmCommand(m.Text); word == "practice" || word == "remind" {
			// Not an answer, since none was awaited: a command with a bad
			// argument, which deserves its specific error.
			return b.handleDM(ctx, m)
		}
		return b.say(ctx, m.Channel, "Send `practice` for a question (or `practice databases`), or `help`.")
	}
	q, ok := b.question(qid)
	if !ok {
		return userErrorf("That question is no longer in the bank. Send `next` for another.")
	}
	// The answer is in the store already (and acknowledged); its feedback
	// rides with the reference answer, before the rating buttons.
	_, err := b.post(ctx, m.Channel, render.AnswerWithFeedback(q, "dm"+m.TimeStamp, feedback.Assess(q, m.Text), true))
	return err
}

var clockPattern = regexp.MustCompile(`^([01]?\d|2[0-3])[:.h]([0-5]\d)$`)

// setReminder handles `remind HH:MM` and `remind off`.
func (b *Bot) setReminder(ctx context.Context, user, dm string, args []string) (string, error) {
	if len(args) == 1 && args[0] == "off" {
		if err := b.store.SetReminder(ctx, store.Reminder{User: user}); err != nil {
			return "", err
		}
		return "Reminders are off.", nil
	}
	var m []string
	if len(args) == 1 {
		m = clockPattern.FindStringSubmatch(args[0])
	}
	if m == nil {
		return "", userErrorf("Use `remind HH:MM` (24-hour, your time zone), for example `remind 9:00`, or `remind off`.")
	}
	h, _ := strconv.Atoi(m[1])
	clock := fmt.Sprintf("%02d:%s", h, m[2])
	loc := b.zoneOf(ctx, user)
	r := store.Reminder{User: user, Clock: clock, Zone: loc.String(), DM: dm}
	// Today's reminder time already passed: start tomorrow.
	now := b.clock.Now().In(loc)
	if now.Format("15:04") >= clock {
		r.LastDate = now.Format("2006-01-02")
	}
	if err := b.store.SetReminder(ctx, r); err != nil {
		return "", err
	}
	b.wakeScheduler()
	return fmt.Sprintf("I'll remind you at %s (%s) on days when reviews are due.", clock, loc), nil
}

// sendReminders sends the day's reminders that are due at now, and
// returns when the next one falls due.
func (b *Bot) sendReminders(ctx context.Context, now time.Time) (next time.Time) {
	if b.uninstalled.Load() {
		return time.Time{}
	}
	rems, err := b.store.Reminders()
	if err != nil {
		b.log.Error("read reminders", "err", err)
		return time.Time{}
	}
	due, next, bad := practice.DueReminders(rems, now)
	for _, r := range bad {
		b.log.Error("stored reminder has a bad time; skipped", "user", r.User, "clock", r.Clock)
	}
	for _, r := range due {
		claimed, err := b.store.ClaimReminder(ctx, r.User, r.Date)
		if err != nil || !claimed {
			continue
		}
		cards, err := b.store.Cards(r.User)
		if err != nil {
			continue
		}
		if n := progress.DueBy(cards, progress.EndOfDay(now, r.Loc)); n > 0 { // nothing when none are due
			b.sendReminder(r.User, cmp.Or(r.DM, r.User), render.Reminder(n))
		}
	}
	return next
}

// reminderSenders bounds the reminder DMs in flight at once.
const reminderSenders = 4

// sendReminder sends one reminder DM beside the scheduler: a DM that waits
// through 429s must not delay the next question of the day. At most
// reminderSenders are sent at once; shutdown waits for them like any job.
func (b *Bot) sendReminder(user, dm string, m reply) {
	b.goBounded(b.reminding, func(ctx context.Context) {
		if _, err := b.post(ctx, dm, m); err != nil {
			b.log.Error("send reminder", "user", user, "err", err)
		}
	})
}

// onRate records a self-rating: the card's next review is scheduled with
// FSRS, once per reveal however many clicks arrive.
func (b *Bot) onRate(ctx context.Context, cb slack.InteractionCallback, rating, value string) error {
	qid, nonce, _ := strings.Cut(value, "|")
	if _, ok := b.question(qid); !ok {
		return b.interactionReply(ctx, cb, reply{Text: "That question is no longer in the bank."})
	}
	user := cb.User.ID
	loc := b.zoneOf(ctx, user)
	now := b.clock.Now()
	var interval int
	card, err := b.store.RateCard(ctx, user, qid, store.Review{At: now, Rating: rating, Nonce: nonce}, func(c store.Card) store.Card {
		c, interval = practice.Review(c, rating, now, loc)
		return c
	})
	if errors.Is(err, store.ErrAlreadyRated) {
		return nil // a double click or a redelivered click: recorded once
	} else if err != nil {
		return err
	}
	if len(card.History) > 0 {
		card.History[len(card.History)-1].Interval = interval
	}
	// App Home is not republished here: Slack sends app_home_opened each
	// time the tab is opened, and views.publish is Tier 4 (about 100 a
	// minute for the whole workspace), which a cohort rating its answers
	// would use up.
	return b.interactionReply(ctx, cb, render.Rated(rating, card.Due.In(loc), interval, isDM(cb.Channel.ID)))
}
