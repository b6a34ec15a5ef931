package render

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"github.com/prepbot/prepbot/internal/mrkdwn"
	"github.com/prepbot/prepbot/questions"
)

// SlotBlockID is the block ID of a question-of-the-day post's header: it
// carries the slot, so the post can be found again in the channel's
// history after a crash between posting and recording it.
func SlotBlockID(slot time.Time) string { return "qotd-" + strconv.FormatInt(slot.Unix(), 10) }

// RevealBlockID is the block ID of the reveal in a post's thread, by which
// a retried reveal finds an earlier one.
func RevealBlockID(postTS string) string { return "reveal-" + postTS }

// QuestionOfTheDay is a question-of-the-day post for the slot.
func QuestionOfTheDay(q questions.Question, slot time.Time, revealed bool) Message {
	header := slack.NewHeaderBlock(slack.NewTextBlockObject(slack.PlainTextType, "Question of the day", true, false))
	header.BlockID = SlotBlockID(slot)
	hint := Context(":thread: Answer in the thread, then reveal the reference answer to compare.")
	if revealed {
		hint = Context(":white_check_mark: The reference answer is in the thread.")
	}
	return Message{Text: Titled("Question of the day: ", q), Blocks: []slack.Block{
		header,
		Section(questionLine(q)),
		Context(Meta(q)),
		hint,
		slack.NewActionBlock("qotd-actions", Button(ActionReveal, "Reveal answer", q.ID, slack.StylePrimary)),
	}}
}

// AnotherValue is the prep_another button's value: the topics to draw
// from, and the question on screen, which the next draw avoids.
func AnotherValue(topics []string, questionID string) string {
	return strings.Join(topics, ",") + "|" + questionID
}

// Ask is a random question from ask, with reveal and another.
func Ask(q questions.Question, topics []string) Message {
	return Message{Text: Titled("", q), Blocks: []slack.Block{
		Section(questionLine(q)),
		Context(Meta(q)),
		slack.NewActionBlock("ask-actions",
			Button(ActionReveal, "Reveal answer", q.ID, slack.StylePrimary),
			Button(ActionAnother, "Another question", AnotherValue(topics, q.ID), ""),
		),
	}}
}

// Practice is a practice question in the DM; note is "" or what the
// person should know about it (" · review (last seen 3 Nov)").
func Practice(q questions.Question, note string, topics []string) Message {
	return Message{Text: Titled("Practice: ", q), Blocks: []slack.Block{
		Section(questionLine(q)),
		Context(Meta(q) + note),
		Context("Reply with your answer in a message here; I'll show the reference answer after. `skip` for another question, `help` for commands."),
		slack.NewActionBlock("practice-actions",
			Button(ActionReveal, "Reveal answer", q.ID, ""),
			Button(ActionAnother, "Another question", AnotherValue(topics, q.ID), ""),
		),
	}}
}

// answerBody is a reference answer's blocks after its first line: the
// answer, key points and follow-ups, each split at paragraph or line
// boundaries to Slack's section limit rather than cut.
func answerBody(q questions.Question) []slack.Block {
	var blocks []slack.Block
	for _, part := range mrkdwn.Split(mrkdwn.Convert(q.Answer), SectionLimit) {
		blocks = append(blocks, Section(part))
	}
	for _, part := range bullets("*Key points*", q.KeyPoints) {
		blocks = append(blocks, Section(part))
	}
	for _, part := range bullets("_Interviewers may follow up with:_", q.FollowUps) {
		blocks = append(blocks, Context(part))
	}
	return append(blocks, Context(Meta(q)))
}

// bullets is a titled list of bank Markdown items, split to the section
// limit; none when there are no items.
func bullets(title string, items []string) []string {
	if len(items) == 0 {
		return nil
	}
	var b strings.Builder
	b.WriteString(title)
	for _, it := range items {
		b.WriteString("\n• " + mrkdwn.Convert(it))
	}
	return mrkdwn.Split(b.String(), SectionLimit)
}

// ratingBlocks asks how well the person knew the answer; the rating
// schedules the question's next review in their private deck. Every click
// on one reveal's buttons carries the same nonce, so it counts once.
// hint, when set, ends the rating question (a suggested rating).
func ratingBlocks(questionID, nonce, hint string) []slack.Block {
	v := questionID + "|" + nonce
	return []slack.Block{
		Context("How well did you know it? Your rating schedules the next review in your private deck." + hint),
		slack.NewActionBlock("rate-"+Truncate(questionID, 200),
			Button(ActionRateAgain, "Again", v, slack.StyleDanger),
			Button(ActionRateHard, "Hard", v, ""),
			Button(ActionRateGood, "Good", v, slack.StylePrimary),
			Button(ActionRateEasy, "Easy", v, ""),
			Button(ActionReport, "Report a problem", v, ""),
		),
	}
}

// Answer is a reference answer with the rating and report buttons.
func Answer(q questions.Question, nonce string) Message { return answerMessage(q, nonce, nil, "") }

// answerMessage is a reference answer with extra blocks (feedback) before
// the rating buttons, whose question ends with hint.
func answerMessage(q questions.Question, nonce string, extra []slack.Block, hint string) Message {
	blocks := []slack.Block{Section("*Reference answer:* " + mrkdwn.Escape(Truncate(q.Text, 1000)))}
	blocks = append(blocks, answerBody(q)...)
	blocks = append(blocks, extra...)
	blocks = append(blocks, ratingBlocks(q.ID, nonce, hint)...)
	return Message{Text: Titled("Reference answer: ", q), Blocks: capBlocks(blocks, MaxBlocks)}
}

// MaxNamed is how many answerers a reveal names; the rest are counted.
// Twenty names of up to NameLimit runes stay far inside a context block.
const (
	MaxNamed  = 20
	NameLimit = 40
)

// Answered says who answered, by name and without pinging them: at most
// MaxNamed names ("23 people answered: Ana, Bo, … and 3 others."), the
// count always exact. names are display names, unescaped, in answer order;
// total counts everyone, named or not.
func Answered(names []string, total int) string {
	if total == 0 {
		return "Nobody answered this one in the thread. There's always the next one!"
	}
	shown := make([]string, 0, min(len(names), MaxNamed))
	for _, n := range names[:min(len(names), MaxNamed)] {
		shown = append(shown, mrkdwn.Escape(Truncate(n, NameLimit)))
	}
	if rest := total - len(shown); rest > 0 {
		others := "others"
		if rest == 1 {
			others = "other"
		}
		shown = append(shown, fmt.Sprintf("%d %s", rest, others))
	}
	if total == 1 {
		return "1 person answered: " + NameList(shown) + "."
	}
	return fmt.Sprintf("%d people answered: %s.", total, NameList(shown))
}

// Reveal is the reference answer posted in a question of the day's thread,
// with who answered. Everyone rates the same public reveal into their own
// deck; the post's ts is the nonce, so each person's rating counts once.
func Reveal(q questions.Question, postTS string, names []string, total int) Message {
	m := answerMessage(q, "qotd-"+postTS, []slack.Block{Context(":busts_in_silhouette: " + Answered(names, total))}, "")
	m.Blocks[0].(*slack.SectionBlock).BlockID = RevealBlockID(postTS) // capBlocks keeps the first block
	return m
}

// capBlocks keeps a message within max blocks: the answer's middle gives
// way, never the first block (it carries the block ID) or the last four
// (who answered, the meta line and the buttons).
func capBlocks(blocks []slack.Block, max int) []slack.Block {
	if len(blocks) <= max {
		return blocks
	}
	keepTail := 4
	out := append([]slack.Block{}, blocks[:max-keepTail-1]...)
	out = append(out, Context("_The answer is too long for one message; `prepbot questions show` has it whole._"))
	return append(out, blocks[len(blocks)-keepTail:]...)
}

// Nudge asks someone who has not answered a question of the day to answer
// first, with a button to reveal anyway.
func Nudge(q questions.Question) Message {
	return Message{
		Text: "Answer first, then look: write your answer in the thread, then reveal.",
		Blocks: []slack.Block{
			Section(":writing_hand: *Answer first, then look.* Write your answer in the thread: you remember far more of an answer you tried yourself. Then reveal it to compare."),
			slack.NewActionBlock("nudge", Button(ActionRevealAnyway, "Reveal anyway", q.ID, "")),
		},
	}
}

// Rated confirms a self-rating; in the DM it offers the next question.
func Rated(rating string, due time.Time, intervalDays int, inDM bool) Message {
	text := fmt.Sprintf("Rated *%s*. Next review: %s (in %s).", rating, due.Format("Mon 2 Jan"), Days(intervalDays))
	blocks := []slack.Block{Section(text)}
	if inDM {
		blocks = append(blocks, slack.NewActionBlock("after-rate", Button(ActionPractice, "Next question", "", slack.StylePrimary)))
	}
	return Message{Text: text, Blocks: blocks}
}

// Days is "1 day" or "n days".
func Days(n int) string {
	if n == 1 {
		return "1 day"
	}
	return fmt.Sprintf("%d days", n)
}

// Reminder is the daily DM when reviews are due.
func Reminder(due int) Message {
	text := fmt.Sprintf(":brain: You have %d review(s) due today.", due)
	return Message{Text: text, Blocks: []slack.Block{
		Section(text),
		slack.NewActionBlock("remind", Button(ActionPractice, "Practice now", "", slack.StylePrimary)),
	}}
}

// ForgetConfirm asks for the confirmation before deleting a person's data.
func ForgetConfirm() Message {
	return Message{Text: "This deletes everything I keep about you.", Blocks: []slack.Block{
		Section("*Delete everything I keep about you?* Your practice cards and reviews, your DM answers, your answers in question-of-the-day threads (as I recorded them: your Slack messages stay in Slack), your reminder and your reports. This cannot be undone."),
		slack.NewActionBlock("forget", Button(ActionForgetConfirm, "Yes, delete it all", "", slack.StyleDanger)),
	}}
}
