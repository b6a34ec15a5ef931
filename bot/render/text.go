package render

import (
	"cmp"
	"fmt"
	"strings"

	"github.com/prepbot/prepbot/bot/insights"
	"github.com/prepbot/prepbot/bot/progress"
	"github.com/prepbot/prepbot/internal/mrkdwn"
	"github.com/prepbot/prepbot/questions"
)

// DefaultCommand is the slash command the manifest names; messages use the
// name Slack sends when there is one.
const DefaultCommand = "/prep"

// Usage is the help text for the slash command; name is the command as
// Slack sent it.
func Usage(name string) string {
	return strings.ReplaceAll(`*prepbot* — daily interview practice
• `+"`/prep ask [topic]`"+` a random question (also `+"`random`"+`)
• `+"`/prep answer [ID]`"+` a reference answer (no ID: today's question here)
• `+"`/prep topics`"+` topics and question counts
• `+"`/prep tips`"+` interview principles · `+"`/prep star`"+` the STAR guide
• `+"`/prep practice [topic]`"+` private practice in your DM with me
• `+"`/prep stats`"+` your record, and this channel's week
• `+"`/prep feedback dm|here`"+` where feedback on your thread answers goes
• `+"`/prep schedule`"+` this channel's question of the day
• `+"`/prep mock`"+` weekly mock interviews with a classmate: `+"`mock join`"+` · `+"`mock skip`"+` · `+"`mock leave`"+`
• `+"`/prep export`"+` a file of everything I keep about you · `+"`/prep forget-me`"+` delete it
*Admins:* `+"`/prep schedule <cron> [zone] [topics=a,b]`"+` · `+"`schedule off`"+` · `+"`post`"+` · `+"`reveal`"+` · `+"`insights`"+` · `+"`mock on|off`"+` · `+"`mock every mon 10:00 [zone]`"+` · `+"`mock now`"+` · `+"`pause until YYYY-MM-DD`"+` · `+"`resume`"+` · `+"`admins add|remove @user`"+` · `+"`add`"+` · `+"`edit ID`"+` · `+"`retire ID`", "/prep", cmp.Or(name, DefaultCommand))
}

// DMHelp is the help text in the DM with the bot.
const DMHelp = `*Practice with me here.*
• ` + "`practice [topic]`" + ` a question (due reviews first); reply with your answer, then rate yourself
• ` + "`skip`" + ` / ` + "`next`" + ` another question
• ` + "`stats`" + ` your record · ` + "`topics`" + ` the topics
• ` + "`remind 9:00`" + ` a daily reminder when reviews are due (your time zone) · ` + "`remind off`" + `
• ` + "`export`" + ` a file of everything I keep about you · ` + "`forget-me`" + ` delete it all`

// Topics lists the topics with their question counts; command is the
// slash command, or "" in a DM.
func Topics(counts map[string]int, total int, command string) string {
	var sb strings.Builder
	track := ""
	for _, t := range questions.Topics {
		if t.Track != track {
			track = t.Track
			fmt.Fprintf(&sb, "\n*%s*\n", strings.ToUpper(track[:1])+track[1:])
		}
		fmt.Fprintf(&sb, "• `%s` %s — %d\n", t.Slug, mrkdwn.Escape(t.Title), counts[t.Slug])
	}
	hint := "Send `practice TOPIC` for one."
	if command != "" {
		hint = fmt.Sprintf("Ask for one with `%s ask TOPIC`.", command)
	}
	fmt.Fprintf(&sb, "\n%d questions. %s", total, hint)
	return strings.TrimSpace(sb.String())
}

// TopicList is the topic slugs as code, for error messages.
func TopicList() string {
	out := make([]string, 0, len(questions.Topics))
	for _, t := range questions.Topics {
		out = append(out, "`"+t.Slug+"`")
	}
	return strings.Join(out, ", ")
}

// PersonalStats is a person's record in one line.
func PersonalStats(r progress.Record) string {
	if r.Empty() {
		return "Nothing yet: send `practice` to start, or answer a question of the day in its thread."
	}
	return fmt.Sprintf("*Your record:* %d answered · streak %d day(s) (best %d) · %d in your deck · %d review(s) due today, %d this week.",
		r.Answered, r.Streak, r.BestStreak, r.Deck, r.DueToday, r.DueWeek)
}

// MaxStatsNames is how many people a channel's weekly stats list.
const MaxStatsNames = 15

// ChannelStats is a channel's week for /prep stats: the asker's own line,
// the week's question count, and the most active people by name (name
// gives a display name for a user ID). parts are sorted most active first.
func ChannelStats(user string, parts []progress.Participation, week int, name func(user string) string) string {
	mine := progress.Participation{User: user}
	active := 0
	for _, p := range parts {
		if p.User == user {
			mine = p
		}
		if p.Week > 0 {
			active++
		}
	}
	var sb strings.Builder
	fmt.Fprintf(&sb, "*You here:* %d answered this week, %d in all, current streak %d.\n", mine.Week, mine.Answers, mine.Streak)
	fmt.Fprintf(&sb, "*This channel this week:* %d question(s).", week)
	shown := 0
	for _, p := range parts {
		if p.Week == 0 || shown == MaxStatsNames {
			continue
		}
		shown++
		fmt.Fprintf(&sb, "\n• %s — %d answered, streak %d", mrkdwn.Escape(Truncate(name(p.User), NameLimit)), p.Week, p.Streak)
	}
	switch {
	case shown == 0:
		sb.WriteString("\nNobody has answered in a thread this week yet.")
	case active > shown:
		fmt.Fprintf(&sb, "\n…and %d more.", active-shown)
	}
	return sb.String()
}

// Insights is /prep insights for a channel's admins: participation week by
// week, the weakest topics, reported questions and who has gone quiet (by
// name, privately: the message is ephemeral).
func Insights(r insights.Report, name func(user string) string) string {
	var sb strings.Builder
	fmt.Fprintf(&sb, "*This cohort* — %s taken part here.\n*Week* · questions · answers · people · mock interviews", peopleHave(r.Members))
	for _, w := range r.Weeks {
		fmt.Fprintf(&sb, "\n`%s` · %d · %d · %d · %d %s", w.Start.Format("2 Jan"), w.Questions, w.Answers, w.People, w.Mocks, bar(w.People, r.Members))
	}
	if len(r.Topics) > 0 {
		sb.WriteString("\n\n*Weakest topics* (Again/Hard ratings · key points covered in thread answers)")
		for _, t := range r.Topics[:min(len(r.Topics), insights.MaxTopics)] {
			title := t.Slug
			if tp, ok := questions.LookupTopic(t.Slug); ok {
				title = tp.Title
			}
			fmt.Fprintf(&sb, "\n• %s — %s", mrkdwn.Escape(title), topicFigures(t))
		}
	}
	if len(r.Reported) > 0 {
		sb.WriteString("\n\n*Most reported questions*")
		for _, rep := range r.Reported[:min(len(r.Reported), insights.MaxReports)] {
			fmt.Fprintf(&sb, "\n• `%s` — %d report(s)", rep.QuestionID, rep.Reports)
		}
	}
	if len(r.Quiet) > 0 {
		fmt.Fprintf(&sb, "\n\n*Gone quiet for a week or more* (%d)", len(r.Quiet))
		for _, q := range r.Quiet[:min(len(r.Quiet), insights.MaxQuiet)] {
			fmt.Fprintf(&sb, "\n• %s — last answered %s", mrkdwn.Escape(Truncate(name(q.User), NameLimit)), q.Last.Format("2 Jan"))
		}
		if n := len(r.Quiet) - insights.MaxQuiet; n > 0 {
			fmt.Fprintf(&sb, "\n…and %d more (`prepbot insights --csv` lists everyone).", n)
		}
	}
	return sb.String()
}

// bar draws n of total as up to ten cells.
func bar(n, total int) string {
	if total <= 0 || n <= 0 {
		return ""
	}
	return strings.Repeat("▇", max(1, min(10, n*10/total)))
}

// topicFigures is one weak topic's figures, saying "none" rather than
// "0 of 0" where there is nothing to count.
func topicFigures(t insights.Topic) string {
	rated := "no ratings"
	if t.Rated > 0 {
		rated = fmt.Sprintf("%d of %d ratings Again/Hard", t.Again+t.Hard, t.Rated)
	}
	covered := "no thread answers"
	if t.Points > 0 {
		covered = fmt.Sprintf("%d of %d key points", t.Covered, t.Points)
	}
	return rated + " · " + covered
}
