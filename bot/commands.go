package bot

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/slack-go/slack"

	"github.com/prepbot/prepbot/bot/render"
	"github.com/prepbot/prepbot/bot/slots"
	"github.com/prepbot/prepbot/internal/mrkdwn"
	"github.com/prepbot/prepbot/questions"
	"github.com/prepbot/prepbot/store"
)

// command is a parsed /prep invocation: the subcommand word, lowercased,
// and its arguments as typed.
type command struct {
	name string
	args []string
}

// maxCommandText bounds what the parser looks at; Slack's own limit on a
// slash command's text is far lower than anything that could hurt.
const maxCommandText = 4000

// parseCommand splits a slash command's text into a subcommand and its
// arguments. It accepts any input without panicking.
func parseCommand(text string) command {
	if len(text) > maxCommandText {
		text = text[:maxCommandText]
	}
	fields := strings.FieldsFunc(text, unicode.IsSpace)
	if len(fields) == 0 {
		return command{name: "help"}
	}
	return command{name: strings.ToLower(fields[0]), args: fields[1:]}
}

// call is one slash command being answered.
type call struct {
	slack.SlashCommand
	cmd command
}

// runCommand answers one slash command through its response_url.
func (b *Bot) runCommand(ctx context.Context, sc slack.SlashCommand) {
	c := call{SlashCommand: sc, cmd: parseCommand(sc.Text)}
	r, err := b.dispatchCommand(ctx, c)
	var ue *userError
	switch {
	case errors.As(err, &ue) && ue.usage:
		r = reply{Text: ue.msg + "\n\n" + render.Usage(c.Command)}
	case errors.As(err, &ue):
		r = reply{Text: ue.msg}
	case err != nil:
		ref := fmt.Sprintf("%s-%d", c.cmd.name, time.Now().UnixNano()%1_000_000)
		b.log.Error("slash command failed", "command", c.cmd.name, "ref", ref, "err", err)
		r = reply{Text: fmt.Sprintf("Sorry, something went wrong on my side. If it keeps happening, tell your admin and mention `%s`.", ref)}
	}
	if err := b.respond(ctx, sc.ResponseURL, r); err != nil {
		b.log.Error("answer slash command", "command", c.cmd.name, "err", err)
	}
}

func (b *Bot) dispatchCommand(ctx context.Context, c call) (reply, error) {
	if err := b.mayRun(ctx, c); err != nil {
		return reply{}, err
	}
	switch c.cmd.name {
	case "help", "?":
		return reply{Text: render.Usage(c.Command)}, nil
	case "ask", "random", "question":
		return b.cmdAsk(c)
	case "answer":
		return b.cmdAnswer(c)
	case "topics":
		return reply{Text: b.topicsText(c.Command)}, nil
	case "tips":
		return reply{Text: mrkdwn.Convert(b.guides.Tips)}, nil
	case "star":
		return reply{Text: mrkdwn.Convert(b.guides.Star)}, nil
	case "schedule":
		return b.cmdSchedule(ctx, c)
	case "post":
		return b.cmdPost(ctx, c)
	case "reveal":
		return b.cmdReveal(ctx, c)
	case "pause":
		return b.cmdPause(ctx, c)
	case "resume":
		return b.cmdResume(ctx, c)
	case "admins":
		return b.cmdAdmins(ctx, c)
	case "add", "edit":
		return b.cmdAdd(ctx, c)
	case "retire":
		return b.cmdRetire(ctx, c)
	case "stats":
		return b.cmdStats(ctx, c)
	case "practice":
		return b.cmdPractice(ctx, c)
	case "feedback":
		return b.cmdFeedback(ctx, c)
	case "insights":
		return b.cmdInsights(ctx, c)
	case "mock":
		return b.cmdMock(ctx, c)
	case "export":
		if err := b.exportUser(ctx, c.UserID, ""); err != nil {
			return reply{}, err
		}
		return reply{Text: "I've sent you a file with everything I keep about you, in our DM."}, nil
	case "forget-me":
		return render.ForgetConfirm(), nil
	default:
		return reply{Text: fmt.Sprintf("I don't know `%s`.\n\n%s", mrkdwn.Escape(render.Truncate(c.cmd.name, 40)), render.Usage(c.Command))}, nil
	}
}

// topicArg resolves a topic argument forgivingly; "" means everything.
func topicArg(args []string) ([]string, error) {
	word := strings.Join(args, " ")
	if word == "" {
		return nil, nil
	}
	ts, ok := questions.MatchTopic(word)
	if !ok {
		return nil, badInputf("I don't know the topic `%s`. Topics: %s.", mrkdwn.Escape(render.Truncate(word, 40)), render.TopicList())
	}
	return ts, nil
}

func (b *Bot) cmdAsk(c call) (reply, error) {
	topics, err := topicArg(c.cmd.args)
	if err != nil {
		return reply{}, err
	}
	q, ok := b.bank().Random(nil, topics...)
	if !ok {
		return reply{}, userErrorf("There are no questions in that topic yet.")
	}
	return render.Ask(q, topics), nil
}

func (b *Bot) cmdAnswer(c call) (reply, error) {
	var id, postTS string
	switch len(c.cmd.args) {
	case 0:
		post, err := b.store.LatestPost(c.ChannelID)
		if errors.Is(err, store.ErrNotFound) {
			return reply{}, userErrorf("There's no question of the day in this channel yet. Try `%s answer ID`, for example `%s answer deployment/blue-green`.", c.Command, c.Command)
		} else if err != nil {
			return reply{}, err
		}
		id, postTS = post.QuestionID, post.TS
	case 1:
		id = strings.ToLower(strings.Trim(c.cmd.args[0], "`"))
	default:
		return reply{}, badInputf("`answer` takes one question ID, like `deployment/blue-green`.")
	}
	q, ok := b.question(id)
	if !ok {
		return reply{}, badInputf("There's no question `%s`. `%s ask` shows questions with their IDs.", mrkdwn.Escape(render.Truncate(id, 80)), c.Command)
	}
	var thread []store.Reply
	if postTS != "" {
		// An error only loses the coverage line; the answer still shows.
		thread, _ = b.store.UserReplies(c.ChannelID, postTS, c.UserID)
	}
	return b.answerFor(c.UserID, q, newNonce(), thread), nil
}

// topicsText lists the topics; command is the slash command, or "" in a DM.
func (b *Bot) topicsText(command string) string {
	return render.Topics(b.bank().TopicCounts(), b.bank().Len(), command)
}

// ---- question of the day ----

// memberOf checks that the bot can post in channel, with a clear error.
func (b *Bot) memberOf(ctx context.Context, channel string) error {
	if isDM(channel) {
		return userErrorf("The question of the day lives in a channel, not in a DM. Run this in your cohort's channel.")
	}
	info, err := b.slack.GetConversationInfoContext(ctx, &slack.GetConversationInfoInput{ChannelID: channel})
	if code := slackErrorCode(err); code == "channel_not_found" || code == "not_in_channel" {
		return userErrorf("I'm not in this channel. Invite me first with `/invite @prepbot`.")
	} else if err != nil {
		return fmt.Errorf("conversations.info: %w", err)
	}
	if info.IsArchived {
		return userErrorf("This channel is archived.")
	}
	if !info.IsMember {
		return userErrorf("I'm not in this channel. Invite me first with `/invite @prepbot`.")
	}
	return nil
}

var datePattern = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)

func (b *Bot) cmdSchedule(ctx context.Context, c call) (reply, error) {
	if len(c.cmd.args) == 0 {
		return b.showSchedule(c.ChannelID, c.Command)
	}
	if len(c.cmd.args) == 1 && strings.EqualFold(c.cmd.args[0], "off") {
		had, err := b.store.DeleteSchedule(ctx, c.ChannelID)
		if err != nil {
			return reply{}, err
		}
		if !had {
			return reply{Text: "This channel has no schedule."}, nil
		}
		b.wakeScheduler()
		return reply{Text: fmt.Sprintf("The question of the day is off in this channel. `%s schedule <cron>` turns it back on.", c.Command)}, nil
	}
	s, err := b.parseScheduleArgs(c.cmd.args)
	if err != nil {
		return reply{}, err
	}
	if err := b.memberOf(ctx, c.ChannelID); err != nil {
		return reply{}, err
	}
	s.Channel, s.SetBy, s.SetAt, s.Command = c.ChannelID, c.UserID, b.clock.Now(), c.Command
	if _, err := slots.Of(s); err != nil {
		return reply{}, badInputf("%s", err)
	}
	if err := b.store.SaveSchedule(ctx, s); err != nil {
		return reply{}, err
	}
	b.wakeScheduler()
	r, err := b.showSchedule(c.ChannelID, c.Command)
	r.Text = "Schedule set. " + r.Text
	return r, err
}

// parseScheduleArgs reads `<spec> [zone] [topics=a,b]`.
func (b *Bot) parseScheduleArgs(args []string) (store.Schedule, error) {
	var s store.Schedule
	rest := slices.Clone(args)
	for i := 0; i < len(rest); i++ {
		if v, ok := strings.CutPrefix(strings.ToLower(rest[i]), "topics="); ok {
			for _, t := range strings.Split(v, ",") {
				if t == "" {
					continue
				}
				if _, ok := questions.MatchTopic(t); !ok {
					return s, badInputf("I don't know the topic `%s`. Topics: %s.", mrkdwn.Escape(render.Truncate(t, 40)), render.TopicList())
				}
				s.Topics = append(s.Topics, t)
			}
			rest = slices.Delete(rest, i, i+1)
			i--
		}
	}
	s.Zone = b.cfg.Zone.String()
	if n := len(rest); n > 1 && looksLikeZone(rest[n-1]) {
		loc, err := zoneArg(rest[n-1])
		if err != nil {
			return s, err
		}
		s.Zone = loc.String()
		rest = rest[:n-1]
	}
	s.Spec = strings.Join(rest, " ")
	loc, _ := time.LoadLocation(s.Zone)
	if _, err := slots.Parse(s.Spec, loc, time.Now()); err != nil {
		return s, badInputf("%s. Use 5 cron fields (minute hour day month weekday), for example `0 9 * * 1-5` for 9:00 on weekdays, or `@daily`, or `@every 24h`.", mrkdwn.Escape(err.Error()))
	}
	return s, nil
}

// zoneArg reads a time zone someone typed: an IANA name (not "Local",
// which would be the server's zone).
func zoneArg(arg string) (*time.Location, error) {
	loc, err := time.LoadLocation(arg)
	if err != nil || arg == "" || strings.EqualFold(arg, "local") {
		return nil, badInputf("`%s` is not a time zone I know. Use an IANA name such as `America/New_York`, `Europe/Berlin` or `UTC`.", mrkdwn.Escape(render.Truncate(arg, 60)))
	}
	return loc, nil
}

// looksLikeZone tells a zone argument from a cron field: zones have a
// slash or are short all-letter names like UTC; cron fields are digits,
// symbols and three-letter month or day names.
func looksLikeZone(s string) bool {
	if strings.Contains(s, "/") && strings.IndexFunc(s, unicode.IsLetter) >= 0 && !strings.HasPrefix(s, "*/") {
		return true
	}
	switch strings.ToUpper(s) {
	case "UTC", "GMT", "LOCAL", "EST", "PST", "CET", "EET", "MST", "HST", "WET":
		return true
	}
	return false
}

func (b *Bot) showSchedule(channel, command string) (reply, error) {
	s, err := b.store.Schedule(channel)
	if errors.Is(err, store.ErrNotFound) {
		return reply{Text: fmt.Sprintf("This channel has no question of the day. An admin can start one with `%s schedule 0 9 * * 1-5 America/New_York` (9:00 on weekdays).", command)}, nil
	} else if err != nil {
		return reply{}, err
	}
	sched, err := slots.Of(s)
	if err != nil {
		return reply{}, err
	}
	var sb strings.Builder
	fmt.Fprintf(&sb, "Question of the day: `%s` in %s", s.Spec, s.Zone)
	if len(s.Topics) > 0 {
		fmt.Fprintf(&sb, ", topics %s", strings.Join(s.Topics, ", "))
	}
	fmt.Fprintf(&sb, " (set by <@%s>).", s.SetBy)
	switch {
	case s.Halted != "":
		fmt.Fprintf(&sb, "\n:warning: Paused: %s Set the schedule again to restart it.", haltReason(s.Halted))
		return reply{Text: sb.String()}, nil
	case s.PausedUntil != "":
		fmt.Fprintf(&sb, "\n:double_vertical_bar: Paused until %s (`%s resume` ends the pause).", s.PausedUntil, command)
	}
	sb.WriteString("\nNext posts:")
	at := b.clock.Now()
	for range 3 {
		at = sched.Next(at)
		if at.IsZero() {
			break
		}
		for slots.Paused(s, at, sched) {
			at = sched.Next(at)
		}
		fmt.Fprintf(&sb, "\n• %s", at.In(sched.Loc()).Format("Mon 2 Jan 2006, 15:04 MST"))
	}
	return reply{Text: sb.String()}, nil
}

func (b *Bot) cmdPost(ctx context.Context, c call) (reply, error) {
	if err := b.memberOf(ctx, c.ChannelID); err != nil {
		return reply{}, err
	}
	var topics []string
	if s, err := b.store.Schedule(c.ChannelID); err == nil {
		topics = channelTopics(s)
	}
	if t, err := topicArg(c.cmd.args); err != nil {
		return reply{}, err
	} else if t != nil {
		topics = t
	}
	at := b.clock.Now().Truncate(time.Second)
	p, err := b.postQuestionOfTheDay(ctx, c.ChannelID, at, topics)
	if errors.Is(err, errAlreadyDone) {
		return reply{Text: "A question was just posted here."}, nil
	} else if err != nil {
		return reply{}, err
	}
	return reply{Text: fmt.Sprintf("Posted `%s`.", p.QuestionID)}, nil
}

func (b *Bot) cmdReveal(ctx context.Context, c call) (reply, error) {
	unlock := b.posting.lock(c.ChannelID)
	defer unlock()
	p, err := b.revealLatest(ctx, c.ChannelID)
	switch {
	case errors.Is(err, errNothingToReveal) && p.TS != "":
		return reply{Text: "The answer to the latest question is already out."}, nil
	case errors.Is(err, errNothingToReveal):
		return reply{Text: "There's no question of the day here to reveal."}, nil
	case err != nil:
		return reply{}, err
	}
	return reply{Text: fmt.Sprintf("Revealed the answer to `%s` in its thread.", p.QuestionID)}, nil
}

func (b *Bot) cmdPause(ctx context.Context, c call) (reply, error) {
	if len(c.cmd.args) != 2 || !strings.EqualFold(c.cmd.args[0], "until") || !datePattern.MatchString(c.cmd.args[1]) {
		return reply{}, badInputf("Use `%s pause until YYYY-MM-DD`, for example `%s pause until 2027-01-05`: the first question goes out on that date.", c.Command, c.Command)
	}
	if _, err := time.Parse("2006-01-02", c.cmd.args[1]); err != nil {
		return reply{}, badInputf("`%s` is not a date.", mrkdwn.Escape(c.cmd.args[1]))
	}
	s, err := b.store.Schedule(c.ChannelID)
	if errors.Is(err, store.ErrNotFound) {
		return reply{}, userErrorf("This channel has no schedule to pause.")
	} else if err != nil {
		return reply{}, err
	}
	loc, _ := time.LoadLocation(s.Zone)
	until, err := time.ParseInLocation("2006-01-02", c.cmd.args[1], loc)
	if err != nil {
		return reply{}, err
	}
	if !until.After(b.clock.Now()) {
		return reply{}, badInputf("%s is not in the future.", c.cmd.args[1])
	}
	if _, err := b.store.UpdateSchedule(ctx, c.ChannelID, func(s *store.Schedule) { s.PausedUntil = c.cmd.args[1] }); err != nil {
		return reply{}, err
	}
	b.wakeScheduler()
	return reply{Text: fmt.Sprintf("Paused until %s: the first question goes out that day. `%s resume` ends the pause early.", c.cmd.args[1], c.Command)}, nil
}

func (b *Bot) cmdResume(ctx context.Context, c call) (reply, error) {
	s, err := b.store.UpdateSchedule(ctx, c.ChannelID, func(s *store.Schedule) { s.PausedUntil = "" })
	if errors.Is(err, store.ErrNotFound) {
		return reply{}, userErrorf("This channel has no schedule.")
	} else if err != nil {
		return reply{}, err
	}
	b.wakeScheduler()
	return reply{Text: fmt.Sprintf("Resumed: `%s` in %s.", s.Spec, s.Zone)}, nil
}

var mention = regexp.MustCompile(`^<@([UW][A-Z0-9]+)(\|[^>]*)?>$`)

func (b *Bot) cmdAdmins(ctx context.Context, c call) (reply, error) {
	if len(c.cmd.args) == 0 {
		admins, err := b.store.Admins(c.ChannelID)
		if err != nil {
			return reply{}, err
		}
		if len(admins) == 0 {
			return reply{Text: "This channel has no instructors of its own; workspace admins and PREPBOT_ADMINS can run admin commands."}, nil
		}
		var ms []string
		for _, a := range admins {
			ms = append(ms, "<@"+a+">")
		}
		return reply{Text: "Admins here: " + strings.Join(ms, ", ") + " (plus workspace admins)."}, nil
	}
	if len(c.cmd.args) != 2 || (c.cmd.args[0] != "add" && c.cmd.args[0] != "remove") {
		return reply{}, badInputf("Use `%s admins add @user` or `%s admins remove @user`.", c.Command, c.Command)
	}
	m := mention.FindStringSubmatch(c.cmd.args[1])
	if m == nil {
		return reply{}, badInputf("Mention the person: `%s admins %s @name` (I need their Slack user, not a name).", c.Command, c.cmd.args[0])
	}
	on := c.cmd.args[0] == "add"
	changed, err := b.store.SetAdmin(ctx, c.ChannelID, m[1], on)
	if err != nil {
		return reply{}, err
	}
	switch {
	case !changed && on:
		return reply{Text: fmt.Sprintf("<@%s> is already an admin here.", m[1])}, nil
	case !changed:
		return reply{Text: fmt.Sprintf("<@%s> was not an admin here.", m[1])}, nil
	case on:
		return reply{Text: fmt.Sprintf("<@%s> can now run admin commands in this channel.", m[1])}, nil
	default:
		return reply{Text: fmt.Sprintf("<@%s> is no longer an admin here.", m[1])}, nil
	}
}
