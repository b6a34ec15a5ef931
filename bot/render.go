package bot

import (
	"fmt"
	"strings"

	"github.com/slack-go/slack"

	"github.com/prepbot/prepbot/internal/mrkdwn"
	"github.com/prepbot/prepbot/questions"
)

// Action IDs of the bot's buttons (PRODUCT.md, Interactivity).
const (
	actionReveal        = "prep_reveal"
	actionRevealAnyway  = "prep_reveal_anyway"
	actionAnother       = "prep_another"
	actionPractice      = "prep_practice"
	actionReport        = "prep_report"
	actionForgetConfirm = "prep_forget_confirm"
	actionRateAgain     = "prep_rate_again"
	actionRateHard      = "prep_rate_hard"
	actionRateGood      = "prep_rate_good"
	actionRateEasy      = "prep_rate_easy"
)

func mdSection(text string) *slack.SectionBlock {
	return slack.NewSectionBlock(slack.NewTextBlockObject(slack.MarkdownType, text, false, false), nil, nil)
}

func contextLine(text string) *slack.ContextBlock {
	return slack.NewContextBlock("", slack.NewTextBlockObject(slack.MarkdownType, text, false, false))
}

func button(actionID, label, value string, style slack.Style) *slack.ButtonBlockElement {
	btn := slack.NewButtonBlockElement(actionID, value, slack.NewTextBlockObject(slack.PlainTextType, label, true, false))
	if style != "" {
		btn.Style = style
	}
	return btn
}

// meta is the topic · difficulty · ID line under a question.
func meta(q questions.Question) string {
	title := q.Topic
	if t, ok := questions.LookupTopic(q.Topic); ok {
		title = t.Title
	}
	return fmt.Sprintf("%s · %s · `%s`", mrkdwn.Escape(title), q.Difficulty, q.ID)
}

// qotdBlocks is a question-of-the-day post. The header's block ID carries
// the slot, so the post can be found again in the channel's history after a
// crash between posting and recording it.
func qotdBlocks(q questions.Question, slotKey string, revealed bool) []slack.Block {
	header := slack.NewHeaderBlock(slack.NewTextBlockObject(slack.PlainTextType, "Question of the day", true, false))
	header.BlockID = slotKey
	blocks := []slack.Block{
		header,
		mdSection("*" + mrkdwn.Escape(q.Text) + "*"),
		contextLine(meta(q)),
	}
	if revealed {
		blocks = append(blocks, contextLine(":white_check_mark: The reference answer is in the thread."))
	} else {
		blocks = append(blocks,
			contextLine(":thread: Answer in the thread, then reveal the reference answer to compare."),
		)
	}
	blocks = append(blocks, slack.NewActionBlock("qotd-actions", button(actionReveal, "Reveal answer", q.ID, slack.StylePrimary)))
	return blocks
}

// answerBlocks renders a reference answer: the question, the answer split
// to Slack's section limit, key points and follow-ups.
func answerBlocks(q questions.Question) []slack.Block {
	blocks := []slack.Block{mdSection("*Reference answer:* " + mrkdwn.Escape(q.Text))}
	for _, part := range mrkdwn.Split(mrkdwn.Convert(q.Answer), mrkdwn.SectionLimit) {
		blocks = append(blocks, mdSection(part))
	}
	if len(q.KeyPoints) > 0 {
		var b strings.Builder
		b.WriteString("*Key points*")
		for _, p := range q.KeyPoints {
			b.WriteString("\n• " + mrkdwn.Convert(p))
		}
		for _, part := range mrkdwn.Split(b.String(), mrkdwn.SectionLimit) {
			blocks = append(blocks, mdSection(part))
		}
	}
	if len(q.FollowUps) > 0 {
		var b strings.Builder
		b.WriteString("_Interviewers may follow up with:_")
		for _, f := range q.FollowUps {
			b.WriteString("\n• " + mrkdwn.Convert(f))
		}
		blocks = append(blocks, contextLine(truncate(b.String(), 2900)))
	}
	blocks = append(blocks, contextLine(meta(q)))
	return blocks
}

// ratingBlocks asks how well the user knew the answer; the rating schedules
// the question's next review in their private deck.
func ratingBlocks(questionID string) []slack.Block {
	return []slack.Block{
		contextLine("How well did you know it? Your rating schedules the next review in your private deck."),
		slack.NewActionBlock("rate-"+questionID,
			button(actionRateAgain, "Again", questionID, slack.StyleDanger),
			button(actionRateHard, "Hard", questionID, ""),
			button(actionRateGood, "Good", questionID, slack.StylePrimary),
			button(actionRateEasy, "Easy", questionID, ""),
			button(actionReport, "Report a problem", questionID, ""),
		),
	}
}

// questionBlocks is a question from ask/practice, with reveal and another.
func questionBlocks(q questions.Question, topics string) []slack.Block {
	return []slack.Block{
		mdSection("*" + mrkdwn.Escape(q.Text) + "*"),
		contextLine(meta(q)),
		slack.NewActionBlock("ask-actions",
			button(actionReveal, "Reveal answer", q.ID, slack.StylePrimary),
			button(actionAnother, "Another question", anotherValue(topics, q.ID), ""),
		),
	}
}

// anotherValue is the prep_another button's value: the topics to draw
// from, and the question on screen, which the next draw avoids.
func anotherValue(topics, questionID string) string { return topics + "|" + questionID }

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// nameList joins names for people: "Ada", "Ada and Grace", "Ada, Grace and Linus".
func nameList(names []string) string {
	switch len(names) {
	case 0:
		return ""
	case 1:
		return names[0]
	default:
		return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
	}
}
