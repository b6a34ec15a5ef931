package render_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/slack-go/slack"

	"github.com/prepbot/prepbot/bot/insights"
	"github.com/prepbot/prepbot/bot/progress"
	"github.com/prepbot/prepbot/bot/render"
	"github.com/prepbot/prepbot/feedback"
	"github.com/prepbot/prepbot/internal/slacktest"
	"github.com/prepbot/prepbot/questions"
)

// checkMessage fails the test if Slack would refuse m from chat.postMessage.
func checkMessage(t *testing.T, what string, m render.Message) {
	t.Helper()
	blocks, err := json.Marshal(m.Blocks)
	if err != nil {
		t.Fatal(err)
	}
	if err := slacktest.CheckMessage(render.NoBroadcast(m.Text), blocks); err != nil {
		t.Errorf("%s: Slack would refuse it: %v", what, err)
	}
}

func checkView(t *testing.T, what string, v any) {
	t.Helper()
	raw, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	if err := slacktest.CheckView(raw); err != nil {
		t.Errorf("%s: Slack would refuse it: %v", what, err)
	}
}

// worstQuestion is a question added in Slack at the editor's maximum
// lengths that still passes the bank's rules: the longest question line,
// a 220-word answer of long words full of characters that escaping
// lengthens, five long key points and many follow-ups.
func worstQuestion(t *testing.T) questions.Question {
	t.Helper()
	word := "<&>" + strings.Repeat("x", 9) // 12 runes, 24 once escaped
	answer := strings.TrimSpace(strings.Repeat(word+" ", 220))
	long := strings.Repeat("&", render.MaxQuestionInput-1) + "?"
	var points, follow []string
	for i := range 5 {
		points = append(points, fmt.Sprintf("%d %s", i, strings.Repeat("<a> & ", 95)))
	}
	for i := range 40 {
		follow = append(follow, fmt.Sprintf("Follow-up %d %s?", i, strings.Repeat("& ", 35)))
	}
	q := questions.Question{ID: "databases/" + strings.Repeat("x", 200), Topic: "databases", Difficulty: "medium",
		Text: long, Answer: answer, KeyPoints: points, FollowUps: follow}
	if err := q.Validate(); err != nil {
		t.Logf("note: the worst-case question breaks a bank rule, so the editor would refuse it: %v", err)
	}
	return q
}

// TestEveryMessageFitsSlack renders everything the bot sends, with the
// worst inputs it can meet, and runs it through the fake's validator (the
// same checks as the fake's chat.postMessage, views.open and
// views.publish): every question in the bank, a question at the editor's
// maximum lengths, 2,000 answerers with 80-character names, a 30-topic
// draw, a full App Home and a channel's stats with 2,000 people.
func TestEveryMessageFitsSlack(t *testing.T) {
	bank, err := questions.Default()
	if err != nil {
		t.Fatal(err)
	}
	qs := append(bank.All(), worstQuestion(t))
	var allTopics []string
	for _, tp := range questions.Topics {
		allTopics = append(allTopics, tp.Slug)
	}
	for len(allTopics) < 30 {
		allTopics = append(allTopics, "frontend-performance")
	}
	names := make([]string, 2000)
	for i := range names {
		names[i] = fmt.Sprintf("%04d %s", i, strings.Repeat("<@U>&", 15)) // 80 runes, far more once escaped
	}
	slot := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	for _, q := range qs {
		checkMessage(t, q.ID+" question of the day", render.QuestionOfTheDay(q, slot, false))
		checkMessage(t, q.ID+" revealed post", render.QuestionOfTheDay(q, slot, true))
		checkMessage(t, q.ID+" ask", render.Ask(q, allTopics))
		checkMessage(t, q.ID+" practice", render.Practice(q, " · review (last seen 3 Nov)", allTopics))
		checkMessage(t, q.ID+" answer", render.Answer(q, "dm1700000000.000100"))
		checkMessage(t, q.ID+" nudge", render.Nudge(q))
		long := strings.Repeat(q.Answer+" ", 20) // a student who pastes a lot
		fb := feedback.Assess(q, long)
		checkMessage(t, q.ID+" answer with feedback", render.AnswerWithFeedback(q, "dm1700000000.000100", fb, true))
		checkMessage(t, q.ID+" answer with coverage", render.AnswerWithFeedback(q, "n", fb, false))
		checkMessage(t, q.ID+" thread feedback", render.ThreadFeedback(q, fb, true))
		checkMessage(t, q.ID+" reveal, 2,000 answerers", render.Reveal(q, "1700000000.000100", names, len(names)))
		checkView(t, q.ID+" editor", render.Editor(q))
		checkView(t, q.ID+" report form", render.ReportForm(q, q.ID+"|C0123456789"))
	}
	checkView(t, "add-question editor", render.Editor(questions.Question{}))
	checkMessage(t, "rated", render.Rated("good", slot, 36500, true))
	checkMessage(t, "reminder", render.Reminder(100000))
	checkMessage(t, "forget-me", render.ForgetConfirm())
	checkMessage(t, "usage", render.Text(render.Usage("/"+strings.Repeat("p", 30))))
	checkMessage(t, "topics", render.Text(render.Topics(bank.TopicCounts(), bank.Len(), "/prep")))
	checkMessage(t, "DM help", render.Text(render.DMHelp))

	full := progress.Record{Answered: 1 << 30, Streak: 9999, BestStreak: 9999, DueToday: 5000, DueWeek: 5000, Deck: 5000, ReviewedByTopic: map[string]int{}}
	for _, tp := range questions.Topics {
		full.ReviewedByTopic[tp.Slug] = 1000
	}
	checkView(t, "App Home, every topic", render.Home(full, bank.TopicCounts()))
	wq := worstQuestion(t)
	checkView(t, "App Home with the last answer", render.WithHomeLine(render.Home(full, bank.TopicCounts()), render.LastAnswer(wq, feedback.Assess(wq, wq.Answer))))
	checkView(t, "App Home, empty", render.Home(progress.Record{}, bank.TopicCounts()))

	var parts []progress.Participation
	for i := range 2000 {
		parts = append(parts, progress.Participation{User: fmt.Sprintf("U%05d", i), Week: 5, Streak: 40, Answers: 400})
	}
	stats := render.PersonalStats(full) + "\n" + render.ChannelStats("U00001", parts, 7, func(u string) string { return names[0] })
	checkMessage(t, "stats, 2,000 people", render.Text(stats))
}

// The reveal's count is exact however many answered, and the names stop at
// MaxNamed: a thread of 2,000 answers stays one valid message.
func TestRevealCountsEveryone(t *testing.T) {
	names := make([]string, 2000)
	for i := range names {
		names[i] = fmt.Sprintf("Person %d", i)
	}
	q := questions.Question{ID: "databases/x", Text: "What?", Answer: "An answer.", KeyPoints: []string{"a", "b"}}
	m := render.Reveal(q, "1.000001", names, 2000)
	raw, _ := json.Marshal(m.Blocks)
	if !strings.Contains(string(raw), "2000 people answered: Person 0, Person 1,") || !strings.Contains(string(raw), "and 1980 others.") {
		t.Errorf("reveal for 2,000 = %s; want the exact count, 20 names and the others counted", raw)
	}
	var who string
	for _, b := range m.Blocks {
		if c, ok := b.(*slack.ContextBlock); ok {
			for _, e := range c.ContextElements.Elements {
				if txt, ok := e.(*slack.TextBlockObject); ok && strings.Contains(txt.Text, "answered") {
					who = txt.Text
				}
			}
		}
	}
	if n := strings.Count(who, "Person "); n != render.MaxNamed {
		t.Errorf("reveal names %d people; want %d", n, render.MaxNamed)
	}
}

// Insights for a cohort of 2,000 with every topic weak stays one message.
func TestInsightsFitSlack(t *testing.T) {
	r := insights.Report{Members: 2000}
	for i := range insights.Weeks {
		r.Weeks = append(r.Weeks, insights.Week{Start: time.Date(2026, 11, 2+7*i, 0, 0, 0, 0, time.UTC), Questions: 5, Answers: 9000, People: 2000})
	}
	for _, tp := range questions.Topics {
		r.Topics = append(r.Topics, insights.Topic{Slug: tp.Slug, Again: 500, Hard: 500, Rated: 2000, Covered: 1, Points: 9})
		r.Reported = append(r.Reported, insights.Reported{QuestionID: tp.Slug + "/" + strings.Repeat("x", 60), Reports: 99})
	}
	for i := range 2000 {
		r.Quiet = append(r.Quiet, insights.Quiet{User: fmt.Sprintf("U%05d", i), Last: time.Now()})
	}
	checkMessage(t, "insights for 2,000", render.Text(render.Insights(r, func(string) string { return strings.Repeat("<!here>", 12) })))
}

// TestMockMessagesFitSlack renders every mock-interview message with the
// worst inputs: a round of 2,000 people with 80-character names, packets
// of the longest questions (three of the worst-case question, and every
// bank question with the STAR guide), a trio's form, long notes.
func TestMockMessagesFitSlack(t *testing.T) {
	bank, err := questions.Default()
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	name := func(i int) string { return fmt.Sprintf("%04d %s", i, strings.Repeat("<@U>&", 15)) }
	var groups []render.MockGroup
	for i := 0; i < 2000; i += 2 {
		g := render.MockGroup{Interviewer: fmt.Sprintf("U%05d", i), InterviewerName: name(i), Candidates: []string{fmt.Sprintf("U%05d", i+1)}, CandidateNames: []string{name(i + 1)}}
		if i == 0 {
			g.Candidates = append(g.Candidates, "U99999")
			g.CandidateNames = append(g.CandidateNames, name(99999))
		}
		groups = append(groups, g)
	}
	ann := render.MockAnnouncement(1_000_000, at, groups, 2001, 400, "/"+strings.Repeat("p", 30))
	checkMessage(t, "announcement, 2,000 people", ann)
	raw, _ := json.Marshal(ann.Blocks)
	if !strings.Contains(string(raw), fmt.Sprintf("and %d more groups", len(groups)-render.MaxListedGroups)) {
		t.Errorf("the announcement does not count the groups it does not name")
	}
	checkMessage(t, "announcement, nobody", render.MockAnnouncement(1, at, nil, 1, 0, "/prep"))

	trio := groups[0]
	checkMessage(t, "group intro, trio", render.MockGroupIntro(1_000_000, at, 999, trio, "C0123456789"))
	wq := worstQuestion(t)
	star := strings.Repeat(bank.Guides().Star+"\n\n", 5)
	checkMessage(t, "packet of the worst questions", render.MockPacket(at, "U00001", []questions.Question{wq, wq, wq}, star, "C0123456789"))
	var fqs []render.MockFormQuestion
	for _, c := range trio.Candidates {
		for i := range 3 {
			q := wq
			q.ID = fmt.Sprintf("%s%d", wq.ID[:len(wq.ID)-1], i) // a packet never repeats a question
			fqs = append(fqs, render.MockFormQuestion{Candidate: c, CandidateName: name(1), Question: q})
		}
	}
	checkView(t, "a trio interviewer's form", render.MockForm("C0123456789|1795420800", true, name(1)+" and "+name(2), fqs))
	checkView(t, "a candidate's form", render.MockForm("C0123456789|1795420800", false, name(1), fqs[:3]))
	checkMessage(t, "reminder", render.MockReminder(1_000_000, trio.Candidates, "C0123456789", at))
	checkMessage(t, "left, called off", render.MockLeft("U00001", trio, true))
	checkMessage(t, "left, trio goes on", render.MockLeft("U00001", trio, false))
	checkMessage(t, "note", render.MockNote("U00001", strings.Repeat("<!channel> & ", 500)))
	checkMessage(t, "status", render.Text(render.MockStatusText(render.MockStatus{Configured: true, On: true, When: "Wednesday 23:59 America/Argentina/ComodRivadavia", Members: 2000, Joined: true, Skipping: true, Next: at, Done: 1 << 20}, "/"+strings.Repeat("p", 30))))
	all := bank.All()
	for i := 0; i+2 < len(all); i += 3 {
		checkMessage(t, all[i].ID+" packet", render.MockPacket(at, "U00001", all[i:i+3], bank.Guides().Star, "C0123456789"))
	}
}

// TestHomeAdminFitsSlack: a workspace admin running many cohorts of 2,000
// people each, every one gone quiet, gets an App Home section Slack takes,
// with names capped and the rest counted.
func TestHomeAdminFitsSlack(t *testing.T) {
	name := func(u string) string { return strings.Repeat("<@U>&*", 20) + u }
	var cohorts []render.HomeCohort
	for c := range 8 {
		r := insights.Report{Members: 2000}
		for i := range insights.Weeks {
			r.Weeks = append(r.Weeks, insights.Week{Questions: 7, Answers: 14000, People: 2000, Mocks: 1000 + i})
		}
		for _, tp := range questions.Topics {
			r.Topics = append(r.Topics, insights.Topic{Slug: tp.Slug, Rated: 5000, Again: 3000, Points: 9000, Covered: 10})
			r.Reported = append(r.Reported, insights.Reported{QuestionID: tp.Slug + "/" + strings.Repeat("x", 80), Reports: 400})
		}
		for i := range 2000 {
			r.Quiet = append(r.Quiet, insights.Quiet{User: fmt.Sprintf("U%05d", i)})
		}
		cohorts = append(cohorts, render.HomeCohort{Channel: fmt.Sprintf("C%010d", c), Report: r})
	}
	blocks := render.HomeAdmin(cohorts, 92, "/prep", name)
	var home progress.Record
	view := render.Home(home, map[string]int{})
	view.Blocks.BlockSet = append(view.Blocks.BlockSet, blocks...)
	checkView(t, "App Home with 100 cohorts of 2,000", view)
	raw, _ := json.Marshal(blocks)
	for _, want := range []string{"and 1990 more", "and 95 more cohorts you run", "(2000)"} {
		if !strings.Contains(string(raw), want) {
			t.Errorf("the admin section lacks %q", want)
		}
	}
	if n := strings.Count(string(raw), `\u003c#C`); n != render.MaxHomeCohorts {
		t.Errorf("%d cohorts summarised; want %d", n, render.MaxHomeCohorts)
	}
	if render.HomeAdmin(nil, 0, "/prep", name) != nil {
		t.Errorf("someone who runs no cohort gets an admin section")
	}
}
