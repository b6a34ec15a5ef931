package render

import (
	"fmt"
	"strings"

	"github.com/slack-go/slack"

	"github.com/prepbot/prepbot/feedback"
	"github.com/prepbot/prepbot/internal/mrkdwn"
	"github.com/prepbot/prepbot/questions"
)

// EvidenceLimit bounds the quoted words of an answer that matched a point.
const EvidenceLimit = 120

// feedbackBlocks is "How your answer did": each key point covered (with
// the answer's words that showed it) or missed, and the verdict.
func feedbackBlocks(r feedback.Result) []slack.Block {
	if r.TooShort {
		return []slack.Block{Section("*How your answer did*\n" + mrkdwn.Escape(r.Verdict))}
	}
	var b strings.Builder
	b.WriteString("*How your answer did*")
	for _, p := range r.Points {
		point := mrkdwn.Convert(p.Text)
		if p.Covered {
			fmt.Fprintf(&b, "\n:white_check_mark: %s — _“%s”_", point, mrkdwn.Escape(Truncate(p.Evidence, EvidenceLimit)))
		} else {
			fmt.Fprintf(&b, "\n:x: %s — _not found in your answer_", point)
		}
	}
	b.WriteString("\n" + mrkdwn.Escape(r.Verdict))
	var blocks []slack.Block
	for _, part := range mrkdwn.Split(b.String(), SectionLimit) {
		blocks = append(blocks, Section(part))
	}
	return blocks
}

// suggestion is the rating line's hint: the suggestion is in the wording,
// the buttons stay the student's to press.
func suggestion(r *feedback.Result) string {
	if r == nil || r.TooShort || r.Suggested == "" {
		return ""
	}
	return fmt.Sprintf(" By the key points, *%s* fits; the choice is yours.", strings.ToUpper(r.Suggested[:1])+r.Suggested[1:])
}

// Coverage is the one-line summary of a person's own answer: "You covered
// 2 of 3 key points in your answer."
func Coverage(r feedback.Result) string {
	if r.TooShort {
		return "Your answer was too short to judge against the key points."
	}
	if r.Covered == len(r.Points) {
		return fmt.Sprintf("You covered all %d key points in your answer.", r.Covered)
	}
	return fmt.Sprintf("You covered %d of %d key points in your answer.", r.Covered, len(r.Points))
}

// AnswerWithFeedback is a reference answer for someone who answered first.
// In DM practice (full) it carries "How your answer did" before the rating
// buttons, whose wording suggests a rating; elsewhere (summary) one line
// says how many key points their answer covered.
func AnswerWithFeedback(q questions.Question, nonce string, r feedback.Result, full bool) Message {
	if full {
		return answerMessage(q, nonce, feedbackBlocks(r), suggestion(&r))
	}
	return answerMessage(q, nonce, []slack.Block{Context(":bar_chart: " + Coverage(r))}, "")
}

// ThreadFeedback is the private feedback on a question of the day's thread
// answer; edited says it follows an edit of the answer.
func ThreadFeedback(q questions.Question, r feedback.Result, edited bool) Message {
	intro := "Only you can see this: how your answer to *" + mrkdwn.Escape(Truncate(q.Text, 300)) + "* did."
	if edited {
		intro = "Only you can see this: how your *edited* answer to *" + mrkdwn.Escape(Truncate(q.Text, 300)) + "* did."
	}
	blocks := append([]slack.Block{Context(intro)}, feedbackBlocks(r)...)
	blocks = append(blocks, Context("Reveal the reference answer under the question to compare. `/prep feedback dm` sends these to our DM instead."))
	text := "How your answer did: " + mrkdwn.Escape(r.Verdict)
	return Message{Text: text, Blocks: blocks}
}

// LastAnswer is App Home's line on the person's latest practice answer.
func LastAnswer(q questions.Question, r feedback.Result) string {
	return ":bar_chart: Your last practice answer, to *" + mrkdwn.Escape(Truncate(q.Text, 200)) + "*: " + Coverage(r)
}

// WithHomeLine adds a line to App Home, under the record.
func WithHomeLine(v slack.HomeTabViewRequest, line string) slack.HomeTabViewRequest {
	bs := v.Blocks.BlockSet
	if len(bs) < 2 || len(bs) >= MaxViewBlocks {
		return v
	}
	out := append(append(append([]slack.Block{}, bs[:2]...), Context(line)), bs[2:]...)
	v.Blocks = slack.Blocks{BlockSet: out}
	return v
}
