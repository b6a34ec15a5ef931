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

// Mock-interview buttons and the form's callback and fields.
const (
	ActionMockJoin = "prep_mock_join"
	ActionMockForm = "prep_mock_form"
	ModalMockForm  = "prep_mock_form_submit"

	FieldHappened = "happened"
	FieldNote     = "note"
	// FieldRatingPrefix begins a rating select's block ID:
	// "rate|candidate|question ID".
	FieldRatingPrefix = "rate|"
)

// MockBlockID marks a round's announcement, so a restart can find it in
// the channel's history instead of announcing twice.
func MockBlockID(at time.Time) string { return "mock-" + strconv.FormatInt(at.Unix(), 10) }

// MockGroupBlockID marks a group's message in its group DM.
func MockGroupBlockID(at time.Time, group int) string {
	return MockBlockID(at) + "-g" + strconv.Itoa(group)
}

// MockPacketBlockID marks the interviewer's packet for one candidate.
func MockPacketBlockID(at time.Time, candidate string) string {
	return MockBlockID(at) + "-p-" + candidate
}

// MockFormValue is the form button's value: the round it is about.
func MockFormValue(channel string, at time.Time) string {
	return channel + "|" + strconv.FormatInt(at.Unix(), 10)
}

// ParseMockFormValue reads MockFormValue back.
func ParseMockFormValue(v string) (channel string, at time.Time, ok bool) {
	channel, unix, ok := strings.Cut(v, "|")
	n, err := strconv.ParseInt(unix, 10, 64)
	if !ok || err != nil || channel == "" {
		return "", time.Time{}, false
	}
	return channel, time.Unix(n, 0).UTC(), true
}

// MockGroup is a round's group as the renderers show it: display names
// (unescaped) and user IDs, interviewer first.
type MockGroup struct {
	Interviewer     string
	InterviewerName string
	Candidates      []string
	CandidateNames  []string
}

// MaxListedGroups is how many groups an announcement names; a big channel's
// others are counted (everyone has their group in a DM anyway).
const MaxListedGroups = 40

// MockAnnouncement is a round's public post: who interviews whom, by name
// and without pinging anyone, and a Join button for next time.
func MockAnnouncement(n int, at time.Time, groups []MockGroup, people, skipping int, command string) Message {
	blocks := []slack.Block{header(MockBlockID(at), fmt.Sprintf("Mock interviews · round %d", n))}
	var text string
	if len(groups) == 0 {
		text = fmt.Sprintf("Mock interviews, round %d: not enough people this week", n)
		blocks = append(blocks, Section(fmt.Sprintf(
			"Not enough people for mock interviews this week: %s joined. A mock interview with a classmate is the closest thing to the real one. Join for next week with the button or `%s mock join`.",
			PeopleCount(people), command)))
	} else {
		text = fmt.Sprintf("Mock interviews, round %d: %d groups", n, len(groups))
		var lines []string
		for _, g := range groups[:min(len(groups), MaxListedGroups)] {
			var cs []string
			for _, c := range g.CandidateNames {
				cs = append(cs, name(c))
			}
			lines = append(lines, "• "+name(g.InterviewerName)+" interviews "+NameList(cs))
		}
		if rest := len(groups) - MaxListedGroups; rest > 0 {
			lines = append(lines, fmt.Sprintf("…and %d more groups.", rest))
		}
		blocks = append(blocks, Section("This week's mock interviews (interviewer first). Each group has a group DM with me: the interviewer has the questions, everyone has the tips. Next round, the roles swap."))
		for _, part := range mrkdwn.Split(strings.Join(lines, "\n"), SectionLimit) {
			blocks = append(blocks, Section(part))
		}
		summary := fmt.Sprintf("%s in this round", PeopleCount(people))
		if skipping > 0 {
			summary += fmt.Sprintf(", %d sitting it out", skipping)
		}
		blocks = append(blocks, Context(summary+fmt.Sprintf(". `%s mock skip` sits out the next round; `%s mock leave` stops.", command, command)))
	}
	blocks = append(blocks, slack.NewActionBlock("mock-join", Button(ActionMockJoin, "Join mock interviews", "join", slack.StylePrimary)))
	return Message{Text: text, Blocks: capBlocks(blocks, MaxBlocks)}
}

func header(blockID, text string) *slack.HeaderBlock {
	return slack.NewHeaderBlock(plain(text, HeaderLimit), slack.HeaderBlockOptionBlockID(blockID))
}

func name(n string) string { return mrkdwn.Escape(Truncate(n, NameLimit)) }

// PeopleCount is "1 person" or "3 people".
func PeopleCount(n int) string {
	if n == 1 {
		return "1 person"
	}
	return fmt.Sprintf("%d people", n)
}

func mentions(ids []string) string {
	var ms []string
	for _, id := range ids {
		ms = append(ms, "<@"+id+">")
	}
	return NameList(ms)
}

// CandidateTips is what a candidate reads before a mock interview, drawn
// from the class's interview principles.
const CandidateTips = "• If a question is vague, restate it or ask what it means before you answer.\n" +
	"• Answer the what, then the why and the how, with an example from your own work.\n" +
	"• Think aloud, and check in at the end: \"Does that answer your question?\"\n" +
	"• For the behavioural question, tell it as Situation, Task, Action, Result, and say what *you* did.\n" +
	"• Don't know? Say so, and say how you would find out."

// InterviewerChecklist is the interviewer's short checklist, drawn from the
// same principles.
const InterviewerChecklist = "• Read each question as written, and let them ask what it means.\n" +
	"• Ask them to think aloud. Listen for the why and the how, not only the what.\n" +
	"• Use the key points as your checklist; ask a follow-up where they stopped short.\n" +
	"• Behavioural question: listen for Situation, Task, Action and Result, and for what they did themselves.\n" +
	"• About 10 minutes a question. Keep 5 at the end for feedback: one thing that worked, one to improve.\n" +
	"• Don't show them the reference answers until you are done."

// MockGroupIntro is the message in a group's group DM: who interviews whom,
// where the questions are, the candidate's tips and the form button. It
// names people by mention (Slack shows their names), so sending it needs
// no users.info call per person.
func MockGroupIntro(n int, at time.Time, group int, g MockGroup, channel string) Message {
	cands := mentions(g.Candidates)
	blocks := []slack.Block{
		Section(fmt.Sprintf(":handshake: *Mock interview, round %d.* <@%s> interviews %s this week; next round, the roles swap. Find 45 minutes that suit you, on a call or in person.", n, g.Interviewer, cands)),
		Section(fmt.Sprintf("<@%s>: your questions, their reference answers and an interviewer checklist are in your DM with me. Keep them to yourself until the interview is over.", g.Interviewer)),
		Section(fmt.Sprintf("%s, a few tips:\n%s", cands, CandidateTips)),
		slack.NewActionBlock("mock-form", Button(ActionMockForm, "How did it go?", MockFormValue(channel, at), slack.StylePrimary)),
		Context("After the interview, each of you fills in the short form. The interviewer's ratings go into the candidate's own review deck."),
	}
	blocks[0].(*slack.SectionBlock).BlockID = MockGroupBlockID(at, group)
	return Message{Text: fmt.Sprintf("Mock interview: <@%s> interviews %s", g.Interviewer, cands), Blocks: blocks}
}

// MockPacket is what an interviewer gets for one candidate, in their own
// DM: the checklist, then each question with its reference answer, key
// points and follow-ups; the behavioural one comes with the STAR guide.
func MockPacket(at time.Time, candidate string, qs []questions.Question, star, channel string) Message {
	intro := Section(fmt.Sprintf(":clipboard: *Your mock interview with <@%s>*: %d questions chosen for them from what they are due to review or find hard. They have not seen these answers.", candidate, len(qs)))
	intro.BlockID = MockPacketBlockID(at, candidate)
	blocks := []slack.Block{intro, Section("*Interviewer checklist*\n" + InterviewerChecklist)}
	for i, q := range qs {
		blocks = append(blocks, slack.NewDividerBlock(), Section(fmt.Sprintf("*%d.* %s", i+1, questionLine(q))))
		blocks = append(blocks, answerBody(q)...)
		if q.Topic == "behavioral" && star != "" {
			for _, part := range mrkdwn.Split(mrkdwn.Convert(star), SectionLimit) {
				blocks = append(blocks, Context(part))
			}
		}
	}
	blocks = append(blocks,
		slack.NewActionBlock("mock-form", Button(ActionMockForm, "How did it go?", MockFormValue(channel, at), slack.StylePrimary)),
		Context(fmt.Sprintf("After the interview, rate each answer in the form: your ratings go into <@%s>'s review deck.", candidate)),
	)
	return Message{Text: fmt.Sprintf("Your mock interview questions for <@%s>", candidate), Blocks: capBlocks(blocks, MaxBlocks)}
}

// MockFormQuestion is one question a form asks a rating for.
type MockFormQuestion struct {
	Candidate, CandidateName string
	Question                 questions.Question
}

// Ratings offered in the form, in order.
var mockRatings = []struct{ value, label string }{
	{"again", "Again: didn't know it"},
	{"hard", "Hard: got there with help"},
	{"good", "Good: solid answer"},
	{"easy", "Easy: clear and complete"},
}

// MockForm is the form after a mock interview. The interviewer rates each
// candidate's answers and may leave a note; a candidate rates their own.
func MockForm(meta string, interviewer bool, partner string, qs []MockFormQuestion) slack.ModalViewRequest {
	yes := slack.NewOptionBlockObject("yes", plain("Yes, it happened", 75), nil)
	no := slack.NewOptionBlockObject("no", plain("No, it didn't happen", 75), nil)
	radio := slack.NewRadioButtonsBlockElement(FieldHappened, yes, no)
	blocks := []slack.Block{
		Section(fmt.Sprintf("Your mock interview with %s.", name(partner))),
		slack.NewInputBlock(FieldHappened, plain("Did the interview happen?", 2000), nil, radio),
	}
	for _, fq := range qs {
		var opts []*slack.OptionBlockObject
		for _, r := range mockRatings {
			opts = append(opts, slack.NewOptionBlockObject(r.value, plain(r.label, 75), nil))
		}
		id := FieldRatingPrefix + fq.Candidate + "|" + fq.Question.ID
		sel := slack.NewOptionsSelectBlockElement(slack.OptTypeStatic, plain("How did it go?", 150), id, opts...)
		label := Truncate(fq.Question.Text, 150)
		if interviewer {
			label = Truncate(fq.CandidateName, NameLimit) + ": " + label
		}
		in := slack.NewInputBlock(id, plain(label, 2000), nil, sel)
		in.Optional = true
		blocks = append(blocks, in)
	}
	if interviewer {
		blocks = append(blocks, textInput(FieldNote, "A note for the candidate", "", "What went well, and one thing to work on.", 1000, true, true))
	}
	return slack.ModalViewRequest{
		Type: slack.VTModal, CallbackID: ModalMockForm, PrivateMetadata: meta,
		Title:  plain("How did it go?", TitleLimit),
		Submit: plain("Send", TitleLimit),
		Close:  plain("Cancel", TitleLimit),
		Blocks: slack.Blocks{BlockSet: blocks[:min(len(blocks), MaxViewBlocks)]},
	}
}

// MockReminder asks a member the day after a round for their form.
func MockReminder(n int, partners []string, channel string, at time.Time) Message {
	return Message{
		Text: "How did your mock interview go?",
		Blocks: []slack.Block{
			Section(fmt.Sprintf(":wave: How did your mock interview with %s go (round %d)? Whether it happened or not, the form takes a minute, and the ratings go into the candidate's review deck.", mentions(partners), n)),
			slack.NewActionBlock("mock-form", Button(ActionMockForm, "How did it go?", MockFormValue(channel, at), slack.StylePrimary)),
		},
	}
}

// MockLeft tells a group that one of them left mock interviews.
func MockLeft(who string, rest MockGroup, off bool) Message {
	if off {
		return Text(fmt.Sprintf("<@%s> has left mock interviews, so this week's interview is off. You'll be paired with someone else next round.", who))
	}
	return Text(fmt.Sprintf("<@%s> has left mock interviews. The rest of you go ahead: <@%s> interviews %s. The questions are in the interviewer's DM.", who, rest.Interviewer, mentions(rest.Candidates)))
}

// MockNote gives a candidate their interviewer's note.
func MockNote(interviewer, note string) Message {
	return Message{
		Text: "A note from your mock interviewer",
		Blocks: []slack.Block{
			Section(fmt.Sprintf(":memo: *<@%s> left you a note after your mock interview:*", interviewer)),
			Section(mrkdwn.Escape(Truncate(note, 1000))),
		},
	}
}

// MockStatus is what `mock` says in a channel.
type MockStatus struct {
	Configured bool
	On         bool
	When       string // "Monday 10:00 Europe/Berlin"
	Members    int
	Joined     bool
	Skipping   bool
	Next       time.Time // zero if none
	Done       int       // mock interviews the asker has done, anywhere
}

// MockStatusText describes a channel's mock interviews to one person.
func MockStatusText(s MockStatus, command string) string {
	if !s.Configured {
		return fmt.Sprintf("There are no mock interviews in this channel yet. An admin can start weekly rounds with `%s mock on` (Mondays 10:00) or `%s mock every mon 10:00 Europe/Berlin`.", command, command)
	}
	var b strings.Builder
	state := "on"
	if !s.On {
		state = "off"
	}
	fmt.Fprintf(&b, "Mock interviews here: every %s (%s). %s joined.", s.When, state, PeopleCount(s.Members))
	switch {
	case s.Joined && s.Skipping:
		b.WriteString(" You're in, sitting out the next round.")
	case s.Joined:
		b.WriteString(" You're in.")
	default:
		fmt.Fprintf(&b, " You're not in: `%s mock join` adds you.", command)
	}
	if s.On && !s.Next.IsZero() {
		fmt.Fprintf(&b, "\nNext round: %s.", s.Next.Format("Mon 2 Jan 2006, 15:04 MST"))
	}
	if s.Done > 0 {
		fmt.Fprintf(&b, "\nYou've done %s.", MockCount(s.Done))
	}
	fmt.Fprintf(&b, "\n`%s mock join` · `%s mock skip` (the next round) · `%s mock leave`", command, command, command)
	return b.String()
}

// MockCount is "1 mock interview" or "3 mock interviews".
func MockCount(n int) string {
	if n == 1 {
		return "1 mock interview"
	}
	return fmt.Sprintf("%d mock interviews", n)
}
