package render

import (
	"fmt"
	"strings"

	"github.com/slack-go/slack"

	"github.com/prepbot/prepbot/bot/insights"
	"github.com/prepbot/prepbot/internal/mrkdwn"
	"github.com/prepbot/prepbot/questions"
)

// Limits of the admins' part of App Home: every cohort an admin runs gets
// a short summary; the full figures and charts stay with /prep insights.
const (
	MaxHomeCohorts = 5  // cohorts summarised; the rest are counted
	MaxHomeTopics  = 3  // weakest topics per cohort
	MaxHomeReports = 3  // most reported questions per cohort
	MaxHomeQuiet   = 10 // quiet members named per cohort
)

// HomeCohort is one cohort channel an admin runs, for App Home.
type HomeCohort struct {
	Channel string
	Report  insights.Report
}

// HomeAdmin is the section of App Home for admins: for each cohort they run
// (at most MaxHomeCohorts, more are counted), this week's and last week's
// participation, the weakest topics, the most reported questions and who
// has gone quiet, by name (App Home is private to the person viewing it).
func HomeAdmin(cohorts []HomeCohort, more int, command string, name func(user string) string) []slack.Block {
	if len(cohorts) == 0 {
		return nil
	}
	blocks := []slack.Block{
		slack.NewDividerBlock(),
		slack.NewHeaderBlock(slack.NewTextBlockObject(slack.PlainTextType, "Your cohorts", true, false)),
	}
	for _, c := range cohorts[:min(len(cohorts), MaxHomeCohorts)] {
		for _, part := range mrkdwn.Split(homeCohortText(c, name), SectionLimit) {
			blocks = append(blocks, Section(part))
		}
	}
	foot := fmt.Sprintf("Full figures, six weeks and charts: `%s insights` in the cohort's channel.", command)
	if n := more + max(0, len(cohorts)-MaxHomeCohorts); n > 0 {
		foot = fmt.Sprintf("…and %d more cohorts you run. ", n) + foot
	}
	return append(blocks, Context(foot))
}

func homeCohortText(c HomeCohort, name func(string) string) string {
	r := c.Report
	var sb strings.Builder
	fmt.Fprintf(&sb, "*<#%s>* — %s taken part.", c.Channel, peopleHave(r.Members))
	if r.Members == 0 {
		sb.WriteString(" Nobody has answered a question of the day or done a mock interview here yet.")
		return sb.String()
	}
	weeks := r.Weeks
	if len(weeks) > 2 {
		weeks = weeks[len(weeks)-2:]
	}
	for i := len(weeks) - 1; i >= 0; i-- {
		w := weeks[i]
		label := "This week"
		if i < len(weeks)-1 {
			label = "Last week"
		}
		fmt.Fprintf(&sb, "\n%s: %d question(s), %d answers from %s, %s.", label, w.Questions, w.Answers, PeopleCount(w.People), MockCount(w.Mocks))
	}
	if len(r.Topics) > 0 {
		var ts []string
		for _, t := range r.Topics[:min(len(r.Topics), MaxHomeTopics)] {
			title := t.Slug
			if tp, ok := questions.LookupTopic(t.Slug); ok {
				title = tp.Title
			}
			ts = append(ts, fmt.Sprintf("%s (%s)", mrkdwn.Escape(title), topicFigures(t)))
		}
		sb.WriteString("\nWeakest: " + strings.Join(ts, "; ") + ".")
	}
	if len(r.Reported) > 0 {
		var rs []string
		for _, rep := range r.Reported[:min(len(r.Reported), MaxHomeReports)] {
			rs = append(rs, fmt.Sprintf("`%s` (%d)", rep.QuestionID, rep.Reports))
		}
		sb.WriteString("\nMost reported: " + strings.Join(rs, ", ") + ".")
	}
	if len(r.Quiet) > 0 {
		var qs []string
		for _, q := range r.Quiet[:min(len(r.Quiet), MaxHomeQuiet)] {
			qs = append(qs, mrkdwn.Escape(Truncate(name(q.User), NameLimit)))
		}
		line := NameList(qs)
		if n := len(r.Quiet) - MaxHomeQuiet; n > 0 {
			line = strings.Join(qs, ", ") + fmt.Sprintf(" and %d more", n)
		}
		fmt.Fprintf(&sb, "\nQuiet for a week or more (%d): %s.", len(r.Quiet), line)
	}
	return sb.String()
}

func peopleHave(n int) string {
	if n == 1 {
		return "1 person has"
	}
	return fmt.Sprintf("%d people have", n)
}
