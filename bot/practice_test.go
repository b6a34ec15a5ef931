package bot_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/prepbot/prepbot/internal/slacktest"
)

// dm returns the bot's messages in user's DM, in order.
func (w *world) dm(user string) []slacktest.Message {
	var out []slacktest.Message
	for _, m := range w.slack.Messages("D" + user) {
		if m.BotID != "" {
			out = append(out, m)
		}
	}
	return out
}

// say sends a DM from user and waits for n bot messages in the DM.
func (w *world) say(user, text string, wantBotMessages int) slacktest.Message {
	w.t.Helper()
	w.slack.UserMessage("D"+user, user, text, "", false)
	w.waitFor("the bot's DM reply to "+text, func() bool { return len(w.dm(user)) >= wantBotMessages })
	return w.dm(user)[wantBotMessages-1]
}

// button finds a button's value in a message's blocks.
func buttonValue(t testing.TB, blocks json.RawMessage, actionID string) string {
	t.Helper()
	var bs []map[string]any
	if err := json.Unmarshal(blocks, &bs); err != nil {
		t.Fatal(err)
	}
	for _, b := range bs {
		for _, e := range asList(b["elements"]) {
			if e["action_id"] == actionID {
				v, _ := e["value"].(string)
				return v
			}
		}
	}
	t.Fatalf("no %s button in %s", actionID, blocks)
	return ""
}

func TestDMPracticeRound(t *testing.T) {
	t.Parallel()
	w := newWorld(t, smallBank(t, 3))
	w.start()
	if got := w.command(student1, cohort, "practice databases"); !strings.Contains(got, "in our DM") {
		t.Fatalf("practice = %q", got)
	}
	w.waitFor("the question in the DM", func() bool { return len(w.dm(student1)) == 1 })
	q := w.dm(student1)[0]
	if !strings.Contains(q.Text, "Practice: Test question") {
		t.Fatalf("DM question = %q", q.Text)
	}
	// "stats" alone is a command even while an answer is awaited...
	if got := w.say(student1, "stats", 2); !strings.Contains(got.Text, "Nothing yet") {
		t.Errorf("stats while awaiting = %q", got.Text)
	}
	// ...but a sentence starting with a keyword is the answer.
	ans := w.say(student1, "stats would not help; an index is a sorted tree", 3)
	if !strings.Contains(string(ans.Blocks), "Reference answer") || !strings.Contains(string(ans.Blocks), "prep_rate_good") {
		t.Fatalf("answer reply = %s", ans.Blocks)
	}
	value := buttonValue(t, ans.Blocks, "prep_rate_good")
	// Two envelopes for one click (a double click): recorded once.
	w.slack.Click(student1, "D"+student1, ans.TS, "prep_rate_good", value, false)
	w.slack.Click(student1, "D"+student1, ans.TS, "prep_rate_good", value, false)
	w.waitFor("the rating confirmation", func() bool { return len(w.dm(student1)) >= 4 })
	w.sendAndAck(w.slack.AppHomeOpened(student1))
	w.waitFor("App Home", func() bool { return w.slack.HomeView(student1) != nil })
	confirmations := 0
	for _, m := range w.dm(student1) {
		if strings.Contains(m.Text, "Rated *good*") {
			confirmations++
		}
	}
	if confirmations != 1 {
		t.Errorf("a double-clicked rating was recorded %d times; want once", confirmations)
	}
	home := string(w.slack.HomeView(student1))
	for _, want := range []string{"Your interview practice", "*1* answered", "prep_practice", "Databases 1/3"} {
		if !strings.Contains(home, want) {
			t.Errorf("App Home lacks %q:\n%s", want, home)
		}
	}
	if got := w.say(student1, "stats", 5); !strings.Contains(got.Text, "1 answered") || !strings.Contains(got.Text, "1 in your deck") {
		t.Errorf("stats after a round = %q", got.Text)
	}
}

func TestDueReviewComesBackFirst(t *testing.T) {
	t.Parallel()
	w := newWorld(t, smallBank(t, 3))
	w.start()
	w.say(student1, "practice", 1)
	first := w.dm(student1)[0].Text
	ans := w.say(student1, "I am not sure", 2)
	w.slack.Click(student1, "D"+student1, ans.TS, "prep_rate_again", buttonValue(t, ans.Blocks, "prep_rate_again"), false)
	w.waitFor("rating", func() bool { return len(w.dm(student1)) == 3 })
	if got := w.dm(student1)[2].Text; !strings.Contains(got, "in 1 day") {
		t.Errorf("Again = %q; want due tomorrow", got)
	}
	// Later today: a new question, the review is not due yet.
	w.clock.Advance(time.Hour)
	if got := w.say(student1, "next", 4); got.Text == first {
		t.Errorf("the Again card came back the same day")
	}
	w.say(student1, "skip", 5)
	// Tomorrow: the due review comes first.
	w.clock.Advance(30 * time.Hour)
	if got := w.say(student1, "practice", 6); got.Text != first {
		t.Errorf("next day's practice = %q; want the due review %q", got.Text, first)
	}
}

func TestReminderInUsersZoneOncePerDay(t *testing.T) {
	t.Parallel()
	w := newWorld(t, smallBank(t, 3))
	w.start()
	// Ada's Slack zone is America/New_York (the fake's default).
	w.say(student1, "practice", 1)
	ans := w.say(student1, "some answer", 2)
	w.slack.Click(student1, "D"+student1, ans.TS, "prep_rate_again", buttonValue(t, ans.Blocks, "prep_rate_again"), false)
	w.waitFor("rating", func() bool { return len(w.dm(student1)) == 3 })
	if got := w.say(student1, "remind 9:00", 4); !strings.Contains(got.Text, "09:00 (America/New_York)") {
		t.Fatalf("remind = %q", got.Text)
	}
	if got := w.say(student1, "remind 25:00", 5); !strings.Contains(got.Text, "remind HH:MM") {
		t.Errorf("bad remind = %q", got.Text)
	}
	ny, _ := time.LoadLocation("America/New_York")
	// 8:59 New York next day: nothing yet.
	w.settled(time.Date(2026, 11, 24, 8, 59, 0, 0, ny))
	if n := len(w.dm(student1)); n != 5 {
		t.Fatalf("DMs before 9:00 = %d; want 5 (no reminder yet)", n)
	}
	w.clock.Set(time.Date(2026, 11, 24, 9, 0, 0, 0, ny))
	w.waitFor("reminder", func() bool { return len(w.dm(student1)) == 6 })
	if got := w.dm(student1)[5]; !strings.Contains(got.Text, "1 review(s) due") || !strings.Contains(string(got.Blocks), "prep_practice") {
		t.Errorf("reminder = %q %s", got.Text, got.Blocks)
	}
	// A restart and later that day: never twice.
	w.stop()
	w.start()
	w.settled(time.Date(2026, 11, 24, 15, 0, 0, 0, ny))
	if n := len(w.dm(student1)); n != 6 {
		t.Errorf("DMs after a restart the same day = %d; want 6 (reminder sent once)", n)
	}
}

func TestForgetMeAndExport(t *testing.T) {
	t.Parallel()
	w := newWorld(t, smallBank(t, 3))
	w.start()
	post := w.postNow()
	w.sendAndAck(w.slack.UserMessage(cohort, student1, "thread answer", post.TS, false))
	w.say(student1, "practice", 1)
	ans := w.say(student1, "my private answer", 2)
	w.slack.Click(student1, "D"+student1, ans.TS, "prep_rate_good", buttonValue(t, ans.Blocks, "prep_rate_good"), false)
	w.waitFor("rating", func() bool { return len(w.dm(student1)) == 3 })
	w.submit(student1, "prep_report_submit", "databases/q01|"+cohort, map[string]string{"report": "my report on the answer"})
	w.submit(student2, "prep_report_submit", "databases/q01|"+cohort, map[string]string{"report": "Grace's report"})
	w.waitFor("the thanks for the report", func() bool { return len(w.dm(student1)) == 4 })

	if got := w.command(student1, cohort, "export"); !strings.Contains(got, "sent you a file") {
		t.Fatalf("export = %q", got)
	}
	ups := w.slack.Uploads()
	if len(ups) != 1 {
		t.Fatalf("uploads = %d; want 1", len(ups))
	}
	for _, want := range []string{"my private answer", "thread answer", `"rating": "good"`, "my report on the answer"} {
		if !strings.Contains(string(ups[0].Content), want) {
			t.Errorf("export lacks %q:\n%s", want, ups[0].Content)
		}
	}
	if got := w.command(student1, cohort, "forget-me"); !strings.Contains(got, "deletes everything") {
		t.Fatalf("forget-me = %q", got)
	}
	n := len(w.slack.Responses())
	w.slack.Click(student1, cohort, "", "prep_forget_confirm", "", true)
	w.waitFor("confirmation", func() bool { return len(w.slack.Responses()) > n })
	got := toJSON(w.slack.Responses()[n].Body)
	if !strings.Contains(got, "1 practice card(s), 1 DM answer(s), 1 thread answer(s)") || !strings.Contains(got, "1 report(s)") {
		t.Errorf("forget confirmation = %s", got)
	}
	if reports, err := w.store.Reports(); err != nil || len(reports) != 1 || reports[0].User != student2 {
		t.Errorf("reports after Ada's forget-me = %+v, %v; want Grace's alone", reports, err)
	}
	w.expectReply(student1, cohort, "stats", "0 answered this week, 0 in all")
	if got := w.say(student1, "stats", 5); !strings.Contains(got.Text, "Nothing yet") {
		t.Errorf("DM stats after forget-me = %q", got.Text)
	}
}

func TestSlashCommands(t *testing.T) {
	t.Parallel()
	w := newWorld(t, smallBank(t, 3))
	w.start()
	tests := []struct{ text, want string }{
		{"", "/prep ask [topic]"},
		{"help", "/prep practice"},
		{"ask", "Test question"},
		{"random Databases", "Test question"},
		{"ask data bases", "Test question"},
		{"ask knitting", "don't know the topic `knitting`"},
		{"ask frontend", "no questions in that topic"},
		{"answer databases/q01", "Test question number 1"},
		{"answer databases/nope", "no question `databases/nope`"},
		{"answer", "no question of the day in this channel"},
		{"answer a b", "takes one question ID"},
		{"topics", "`databases` Databases — 3"},
		{"tips", "Be concise"},
		{"star", "Situation, Task, Action, Result"},
		{"schedule", "no question of the day"},
		{"frobnicate <!channel>", "I don't know `frobnicate`"},
	}
	for _, tt := range tests {
		got := w.command(student1, cohort, tt.text)
		if r := w.slack.Responses(); len(r) > 0 {
			got += toJSON(r[len(r)-1].Body)
		}
		if !strings.Contains(got, tt.want) {
			t.Errorf("/prep %s = %q; want %q", tt.text, got, tt.want)
		}
	}
	// Text quoted back is escaped: nobody is pinged.
	for _, r := range w.slack.Responses() {
		if strings.Contains(toJSON(r.Body), "<!channel>") {
			t.Errorf("a reply quotes <!channel> unescaped: %s", toJSON(r.Body))
		}
	}
	// ask gives reveal and another buttons; another stays in the topic.
	w.command(student1, cohort, "ask db")
	last := w.slack.Responses()[len(w.slack.Responses())-1]
	if s := toJSON(last.Body); !strings.Contains(s, "prep_reveal") || !strings.Contains(s, "prep_another") {
		t.Errorf("ask buttons: %s", s)
	}
}

func TestRedeliveredDMAnswerCountsOnce(t *testing.T) {
	t.Parallel()
	w := newWorld(t, smallBank(t, 3))
	w.start()
	w.say(student1, "practice", 1)
	d := w.slack.UserMessage("D"+student1, student1, "my answer", "", false)
	w.sendAndAck(d)
	re, err := w.slack.Redeliver(d.EnvelopeID)
	if err != nil {
		t.Fatal(err)
	}
	w.sendAndAck(slacktest.Delivery{EnvelopeID: re})
	w.waitFor("the reveal", func() bool { return len(w.dm(student1)) >= 2 })
	w.settled(w.clock.Now())
	if n := len(w.dm(student1)); n != 2 {
		t.Errorf("bot DMs after a redelivered answer = %d; want 2 (question, one reveal)", n)
	}
	if got := w.say(student1, "stats", 3); !strings.Contains(got.Text, "1 answered") {
		t.Errorf("stats = %q; want the answer counted once", got.Text)
	}
}

func TestPracticeQuestionButtons(t *testing.T) {
	t.Parallel()
	w := newWorld(t, smallBank(t, 3))
	w.start()
	q1 := w.say(student1, "practice databases", 1)
	for _, action := range []string{"prep_reveal", "prep_another"} {
		if !strings.Contains(string(q1.Blocks), action) {
			t.Fatalf("practice question has no %s button:\n%s", action, q1.Blocks)
		}
	}
	// Another question: a new practice question, whose answer is then awaited.
	w.slack.Click(student1, "D"+student1, q1.TS, "prep_another", buttonValue(t, q1.Blocks, "prep_another"), false)
	w.waitFor("another practice question", func() bool { return len(w.dm(student1)) == 2 })
	q2 := w.dm(student1)[1]
	if !strings.HasPrefix(q2.Text, "Practice: ") || q2.Text == q1.Text {
		t.Fatalf("another = %q after %q; want a different practice question", q2.Text, q1.Text)
	}
	ans := w.say(student1, "an index keeps keys sorted", 3)
	if want := strings.TrimPrefix(q2.Text, "Practice: "); ans.Text != "Reference answer: "+want {
		t.Errorf("the answer was taken for %q; want the question asked by the button, %q", ans.Text, want)
	}
	// Reveal without answering: the answer with rating buttons, and the
	// next message is no longer taken as an answer.
	q3 := w.say(student1, "next", 4)
	w.slack.Click(student1, "D"+student1, q3.TS, "prep_reveal", buttonValue(t, q3.Blocks, "prep_reveal"), false)
	w.waitFor("the revealed answer", func() bool { return len(w.dm(student1)) == 5 })
	rev := w.dm(student1)[4]
	if !strings.Contains(string(rev.Blocks), "Reference answer") || !strings.Contains(string(rev.Blocks), "prep_rate_good") {
		t.Errorf("reveal in the DM = %s; want the answer with rating buttons", rev.Blocks)
	}
	if got := w.say(student1, "hello again", 6); strings.Contains(got.Text, "Reference answer") {
		t.Errorf("a message after revealing was taken as the answer: %q", got.Text)
	}
}

func TestOnlyExactKeywordsAreCommandsWhileAnswering(t *testing.T) {
	t.Parallel()
	w := newWorld(t, smallBank(t, 3))
	w.start()
	n := 1
	ask := func() {
		t.Helper()
		if got := w.say(student1, "practice", n); !strings.HasPrefix(got.Text, "Practice: ") {
			t.Fatalf("practice = %q", got.Text)
		}
		n++
	}
	ask()
	// Sentences that start with a keyword are answers.
	for _, text := range []string{
		"practice makes perfect: I would add an index",
		"remind the interviewer that indexes cost writes",
		"help the planner with an index",
		"next I would check the query plan",
	} {
		if got := w.say(student1, text, n); !strings.HasPrefix(got.Text, "Reference answer: ") {
			t.Errorf("%q while an answer was awaited = %q; want it taken as the answer", text, got.Text)
		}
		n++
		ask()
	}
	// Exact keywords are commands, and leave the question awaited.
	for text, want := range map[string]string{
		"help":        "Practice with me here",
		"topics":      "databases",
		"stats":       "answered",
		"remind 9:00": "I'll remind you at 09:00",
		"remind off":  "Reminders are off",
	} {
		if got := w.say(student1, text, n); !strings.Contains(got.Text, want) {
			t.Errorf("%q while an answer was awaited = %q; want %q", text, got.Text, want)
		}
		n++
	}
	for _, text := range []string{"practice databases", "next", "skip"} {
		if got := w.say(student1, text, n); !strings.HasPrefix(got.Text, "Practice: ") {
			t.Errorf("%q while an answer was awaited = %q; want a new practice question", text, got.Text)
		}
		n++
	}
	if got := w.say(student1, "my final answer", n); !strings.HasPrefix(got.Text, "Reference answer: ") {
		t.Errorf("the answer after keywords = %q; want the reference answer", got.Text)
	}
	n++
	// With nothing awaited, a bad argument still gets its specific error.
	if got := w.say(student1, "practice knitting", n); !strings.Contains(got.Text, "I don't know the topic `knitting`") {
		t.Errorf("practice knitting = %q", got.Text)
	}
}

func TestBadInputShowsWhatWasWrongAndUsage(t *testing.T) {
	t.Parallel()
	w := newWorld(t, smallBank(t, 3))
	w.start()
	const usageMark = "daily interview practice"
	tests := []struct{ user, text, want string }{
		{student1, "frobnicate", "I don't know `frobnicate`"},
		{student1, "ask knitting", "don't know the topic `knitting`"},
		{student1, "practice knitting", "don't know the topic `knitting`"},
		{student1, "answer a b", "takes one question ID"},
		{student1, "answer databases/nope", "no question `databases/nope`"},
		{instructor, "schedule 0 9 * *", "expected exactly 5 fields"},
		{instructor, "schedule 0 9 * * * Mars/Olympus", "not a time zone I know"},
		{instructor, "schedule 0 9 * * * topics=knitting", "don't know the topic `knitting`"},
		{instructor, "pause", "pause until YYYY-MM-DD"},
		{instructor, "pause until 2027-13-45", "`2027-13-45` is not a date"},
		{instructor, "admins add", "admins add @user"},
		{instructor, "admins add Grace", "Mention the person"},
		{instructor, "edit", "edit ID"},
		{instructor, "retire databases/nope", "no live question"},
	}
	for _, tt := range tests {
		got := w.command(tt.user, cohort, tt.text)
		if !strings.Contains(got, tt.want) || !strings.Contains(got, usageMark) {
			t.Errorf("/prep %s = %q; want %q and the usage", tt.text, got, tt.want)
		}
	}
	// Not bad input: a refusal or a state says what to do, without usage.
	for _, text := range []string{"post", "reveal"} {
		if got := w.command(student1, cohort, text); strings.Contains(got, usageMark) {
			t.Errorf("/prep %s by a student = %q; want the refusal alone", text, got)
		}
	}
	if s, err := w.store.Schedule(cohort); err == nil {
		t.Errorf("bad schedules changed nothing, yet the channel has %+v", s)
	}
}

func TestMessagesNameTheCommandSlackSent(t *testing.T) {
	t.Parallel()
	w := newWorld(t, smallBank(t, 3))
	w.start()
	w.slack.SetSlashCommand("/drill")
	for _, tt := range []struct{ text, want string }{
		{"", "`/drill ask [topic]`"},
		{"frobnicate", "`/drill practice [topic]`"},
		{"topics", "`/drill ask TOPIC`"},
		{"schedule", "`/drill schedule 0 9 * * 1-5"},
		{"answer", "`/drill answer ID`"},
		{"schedule 0 9 * * * UTC", "Schedule set"},
		{"pause until 2099-01-01", "`/drill resume`"},
		{"schedule off", "`/drill schedule <cron>`"},
	} {
		text, want := tt.text, tt.want
		user := student1
		if strings.HasPrefix(text, "schedule ") || strings.HasPrefix(text, "pause") {
			user = instructor
		}
		got := w.command(user, cohort, text)
		if !strings.Contains(got, want) {
			t.Errorf("/drill %s = %q; want %q", text, got, want)
		}
		if strings.Contains(got, "/prep") {
			t.Errorf("/drill %s names /prep: %q", text, got)
		}
	}
}

// TestMistypedCommandDoesNotUseUpTheQuestion: while an answer is awaited,
// "remind 25:99" is asked about, not taken as the answer; the next real
// answer is still compared with the question.
func TestMistypedCommandDoesNotUseUpTheQuestion(t *testing.T) {
	t.Parallel()
	w := newWorld(t, smallBank(t, 3))
	w.start()
	w.say(student1, "practice", 1)
	got := w.say(student1, "remind 25:99", 2)
	if !strings.Contains(got.Text, "Did you mean the command?") || !strings.Contains(got.Text, "the question is still open") {
		t.Errorf("mistyped remind while answering = %q", got.Text)
	}
	got = w.say(student1, "practice knitting", 3)
	if !strings.Contains(got.Text, "`practice` takes a topic") {
		t.Errorf("mistyped practice while answering = %q", got.Text)
	}
	ans := w.say(student1, "An index is a sorted structure that speeds up lookups.", 4)
	if !strings.Contains(string(ans.Blocks), "Reference answer") {
		t.Errorf("the real answer after the mistakes = %s; want the reference answer", ans.Blocks)
	}
}
