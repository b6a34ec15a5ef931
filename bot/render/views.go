package render

import (
	"fmt"
	"strings"

	"github.com/slack-go/slack"

	"github.com/prepbot/prepbot/bot/progress"
	"github.com/prepbot/prepbot/internal/mrkdwn"
	"github.com/prepbot/prepbot/questions"
)

// Input lengths of the question editor. Slack's plain_text_input allows up
// to 3,000 characters; a question is one line, and 300 keeps it readable
// and inside every block that shows it.
const (
	MaxQuestionInput = 300
	MaxLongInput     = 3000
)

func textInput(id, label, initial, placeholder string, maxLen int, multiline, optional bool) *slack.InputBlock {
	// Slack refuses an empty placeholder text object: omit it instead.
	var ph *slack.TextBlockObject
	if placeholder != "" {
		ph = plain(placeholder, 150)
	}
	el := slack.NewPlainTextInputBlockElement(ph, id)
	el.Multiline = multiline
	el.InitialValue = Truncate(initial, maxLen)
	el.MaxLength = maxLen
	in := slack.NewInputBlock(id, plain(label, 2000), nil, el)
	in.Optional = optional
	return in
}

// Editor is the add/edit form; its metadata holds the ID when editing.
func Editor(q questions.Question) slack.ModalViewRequest {
	title := "Add a question"
	if q.ID != "" {
		title = "Edit " + q.ID
	}
	return slack.ModalViewRequest{
		Type:            slack.VTModal,
		CallbackID:      ModalAdd,
		PrivateMetadata: q.ID,
		Title:           plain(title, TitleLimit),
		Submit:          plain("Save", TitleLimit),
		Close:           plain("Cancel", TitleLimit),
		Blocks: slack.Blocks{BlockSet: []slack.Block{
			textInput(FieldTopic, "Topic", q.Topic, "databases, security, react… (prepbot questions topics)", 100, false, false),
			textInput(FieldDifficulty, "Difficulty", q.Difficulty, "easy, medium or hard", 20, false, false),
			textInput(FieldQuestion, "Question", q.Text, "What is …?", MaxQuestionInput, false, false),
			textInput(FieldAnswer, "Reference answer (Markdown, 60–220 words)", q.Answer, "The what, then the why and how, with an example.", MaxLongInput, true, false),
			textInput(FieldKeyPoints, "Key points (one per line, 2–5)", strings.Join(q.KeyPoints, "\n"), "", MaxLongInput, true, false),
			textInput(FieldFollowUps, "Follow-up questions (one per line)", strings.Join(q.FollowUps, "\n"), "", MaxLongInput, true, true),
		}},
	}
}

// ReportForm is the modal to report a problem with a question's answer;
// meta travels back in the submission.
func ReportForm(q questions.Question, meta string) slack.ModalViewRequest {
	return slack.ModalViewRequest{
		Type: slack.VTModal, CallbackID: ModalReport, PrivateMetadata: meta,
		Title:  plain("Report a problem", TitleLimit),
		Submit: plain("Send", TitleLimit),
		Close:  plain("Cancel", TitleLimit),
		Blocks: slack.Blocks{BlockSet: []slack.Block{
			Section(questionLine(q) + "\n`" + q.ID + "`"),
			textInput(FieldReport, "What is wrong or unclear?", "", "The answer says … but …", MaxLongInput, true, false),
		}},
	}
}

// progressBar draws n of total as ten cells.
func progressBar(n, total int) string {
	if total <= 0 {
		return strings.Repeat("░", 10)
	}
	filled := min(10, n*10/total)
	return strings.Repeat("▓", filled) + strings.Repeat("░", 10-filled)
}

// Home is the App Home: the person's record, per-topic progress and a
// practice button. counts is the bank's questions per topic.
func Home(r progress.Record, counts map[string]int) slack.HomeTabViewRequest {
	blocks := []slack.Block{
		slack.NewHeaderBlock(slack.NewTextBlockObject(slack.PlainTextType, "Your interview practice", true, false)),
		Section(fmt.Sprintf("*%d* answered · *%d*-day streak (best %d) · *%d* due today · *%d* due this week",
			r.Answered, r.Streak, r.BestStreak, r.DueToday, r.DueWeek)),
		slack.NewActionBlock("home-actions", Button(ActionPractice, "Practice now", "", slack.StylePrimary)),
		slack.NewDividerBlock(),
	}
	var lines []string
	for _, t := range questions.Topics {
		if n := r.ReviewedByTopic[t.Slug]; n > 0 {
			lines = append(lines, fmt.Sprintf("`%s` %s %d/%d", progressBar(n, counts[t.Slug]), mrkdwn.Escape(t.Title), n, counts[t.Slug]))
		}
	}
	if len(lines) == 0 {
		lines = []string{"_No topics practised yet. Send me `practice` in our DM, or press the button._"}
	}
	for i, part := range mrkdwn.Split("*Progress by topic*\n"+strings.Join(lines, "\n"), SectionLimit) {
		if i+len(blocks) >= MaxViewBlocks {
			break
		}
		blocks = append(blocks, Section(part))
	}
	return slack.HomeTabViewRequest{Type: slack.VTHomeTab, Blocks: slack.Blocks{BlockSet: blocks}}
}
