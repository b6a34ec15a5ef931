// Package render builds every message, modal and view prepbot sends, as
// Slack Block Kit, and is the one place where bank and user text is escaped
// for Slack. Its functions are pure: they take what to show and return a
// Message (notification text plus blocks) or a view, within Slack's limits
// whatever the input (section and context text 3,000 characters, 50 blocks
// a message, 100 a view, button values 2,000, header 150, modal titles 24).
//
// Escaping: question text, answers, names and anything a person typed go
// through mrkdwn.Escape (or mrkdwn.Convert for bank Markdown), so
// "<!channel>" or "<@U…>" in them shows as typed and notifies nobody; the
// bot itself writes user mentions (<@U…>) on purpose, never a broadcast,
// and NoBroadcast defuses any "<!" in a message's text before it leaves.
package render

import (
	"strings"
	"unicode/utf8"

	"github.com/slack-go/slack"

	"github.com/prepbot/prepbot/internal/mrkdwn"
	"github.com/prepbot/prepbot/questions"
)

// Message is a Slack message as the bot sends it: the notification text
// (also what screen readers and old clients show) and the blocks. The
// response fields only matter for response_url posts.
type Message struct {
	Text            string        `json:"text"`
	Blocks          []slack.Block `json:"blocks,omitempty"`
	ResponseType    string        `json:"response_type,omitempty"` // "ephemeral" (default) or "in_channel"
	ReplaceOriginal bool          `json:"replace_original,omitempty"`
}

// Text is a message of text only.
func Text(s string) Message { return Message{Text: s} }

// Slack's limits that the renderers keep to (docs.slack.dev, Block Kit
// reference; internal/slacktest/LIMITS.md lists the sources).
const (
	SectionLimit   = mrkdwn.SectionLimit // section and context text
	MaxBlocks      = 50                  // blocks in a message
	MaxViewBlocks  = 100                 // blocks in a modal or the Home tab
	HeaderLimit    = 150
	ButtonValueMax = 2000
	TitleLimit     = 24 // modal title, submit and close
	MessageLimit   = 40000
)

// Action IDs of the bot's buttons.
const (
	ActionReveal        = "prep_reveal"
	ActionRevealAnyway  = "prep_reveal_anyway"
	ActionAnother       = "prep_another"
	ActionPractice      = "prep_practice"
	ActionReport        = "prep_report"
	ActionForgetConfirm = "prep_forget_confirm"
	// ActionRatePrefix begins the four rating buttons' action IDs; the
	// rest is the rating: again, hard, good or easy.
	ActionRatePrefix = "prep_rate_"
	ActionRateAgain  = ActionRatePrefix + "again"
	ActionRateHard   = ActionRatePrefix + "hard"
	ActionRateGood   = ActionRatePrefix + "good"
	ActionRateEasy   = ActionRatePrefix + "easy"
)

// Modal callback IDs, and the block and action IDs of their inputs.
const (
	ModalAdd    = "prep_add"
	ModalReport = "prep_report_submit"

	FieldTopic      = "topic"
	FieldDifficulty = "difficulty"
	FieldQuestion   = "question"
	FieldAnswer     = "answer"
	FieldKeyPoints  = "key_points"
	FieldFollowUps  = "follow_ups"
	FieldReport     = "report"
)

// NoBroadcast makes any special mention in s (<!channel>, <!here>,
// <!everyone>, <!subteam^…>) show as text. The send path applies it to
// every message's text.
func NoBroadcast(s string) string { return strings.ReplaceAll(s, "<!", "&lt;!") }

// Titled is notification text naming a question: "Question of the day: …".
func Titled(prefix string, q questions.Question) string {
	return prefix + mrkdwn.Escape(Truncate(q.Text, 300))
}

// Truncate shortens s to at most n runes, ending in "…" when cut, and cuts
// at a space when there is one in the last fifth.
func Truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)[:n-1]
	if i := strings.LastIndexByte(string(r), ' '); i > 0 && utf8.RuneCountInString(string(r)[:i]) > n*4/5 {
		return strings.TrimRight(string(r)[:i], " ") + "…"
	}
	return string(r) + "…"
}

// fit shortens mrkdwn text to a section's limit without cutting an escape
// sequence (&amp;) in half.
func fit(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	cut := Truncate(s, n)
	if i := strings.LastIndexByte(cut, '&'); i >= 0 && !strings.Contains(cut[i:], ";") {
		cut = strings.TrimRight(cut[:i], " ") + "…"
	}
	return cut
}

// Section is a section block of mrkdwn text, cut to Slack's limit.
func Section(text string) *slack.SectionBlock {
	return slack.NewSectionBlock(slack.NewTextBlockObject(slack.MarkdownType, fit(text, SectionLimit), false, false), nil, nil)
}

// Context is a context block of one mrkdwn text, cut to Slack's limit.
func Context(text string) *slack.ContextBlock {
	return slack.NewContextBlock("", slack.NewTextBlockObject(slack.MarkdownType, fit(text, SectionLimit), false, false))
}

// Button is a button; value must be the bot's own (IDs), never user text.
func Button(actionID, label, value string, style slack.Style) *slack.ButtonBlockElement {
	btn := slack.NewButtonBlockElement(actionID, Truncate(value, ButtonValueMax), slack.NewTextBlockObject(slack.PlainTextType, Truncate(label, 75), true, false))
	if style != "" {
		btn.Style = style
	}
	return btn
}

// plain is a plain_text object, cut to n runes.
func plain(s string, n int) *slack.TextBlockObject {
	return slack.NewTextBlockObject(slack.PlainTextType, Truncate(s, n), false, false)
}

// Meta is the topic · difficulty · ID line under a question.
func Meta(q questions.Question) string {
	title := q.Topic
	if t, ok := questions.LookupTopic(q.Topic); ok {
		title = t.Title
	}
	return mrkdwn.Escape(title) + " · " + mrkdwn.Escape(q.Difficulty) + " · `" + q.ID + "`"
}

// questionLine is a question in bold.
func questionLine(q questions.Question) string {
	return "*" + mrkdwn.Escape(Truncate(q.Text, 1000)) + "*"
}

// NameList joins names for people: "Ada", "Ada and Grace", "Ada, Grace and
// Linus". The names must be escaped already.
func NameList(names []string) string {
	switch len(names) {
	case 0:
		return ""
	case 1:
		return names[0]
	default:
		return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
	}
}
