package bot_test

import (
	"strings"
	"testing"

	"github.com/prepbot/prepbot/internal/slacktest"
	"github.com/prepbot/prepbot/questions"
)

// feedbacks returns the feedback ephemerals user got.
func (w *world) feedbacks(user string) []slacktest.Ephemeral {
	var out []slacktest.Ephemeral
	for _, e := range w.slack.Ephemerals(user) {
		if strings.Contains(string(e.Blocks), "How your answer did") {
			out = append(out, e)
		}
	}
	return out
}

// conceptBank is one question with concepts on each key point.
func conceptBank(t *testing.T) *questions.Bank {
	t.Helper()
	q := questions.Question{
		ID: "deployment/blue-green", Difficulty: "easy", Text: "What is blue/green deployment?",
		Answer: strings.Repeat("Blue/green keeps two identical environments and switches traffic between them with the load balancer. ", 6),
		KeyPoints: []string{
			"Two identical environments; only one is live at a time.",
			"Cut-over and rollback are a routing change, not a redeploy.",
			"Database changes must stay backward compatible.",
		},
		Concepts: [][]string{
			{"two environments", "identical environments"},
			{"rollback", "switch traffic", "load balancer"},
			{"backward compatible", "expand and contract"},
		},
	}
	b, err := questions.NewBank([]questions.Question{q}, questions.Guides{Tips: "# Tips\n\nBe concise.", Star: "# STAR\n\nSituation."})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestFeedbackInDMPractice: the reference answer after a DM answer says
// which key points the answer covered, quoting it, and suggests a rating.
func TestFeedbackInDMPractice(t *testing.T) {
	t.Parallel()
	w := newWorld(t, conceptBank(t))
	w.start()
	w.say(student1, "practice", 1)
	got := w.say(student1, "We keep two environments and the load balancer moves users over; going back is the same flip.", 2)
	blocks := string(got.Blocks)
	for _, want := range []string{"How your answer did", `:white_check_mark: Two identical environments; only one is live at a time. — _“two environments”_`,
		":x: Database changes must stay backward compatible. — _not found in your answer_", "You covered 2 of 3 key points", "By the key points, *Hard* fits", "prep_rate_hard"} {
		if !strings.Contains(blocks, want) {
			t.Errorf("DM answer reply lacks %q:\n%s", want, blocks)
		}
	}
	w.sendAndAck(w.slack.AppHomeOpened(student1))
	w.waitFor("App Home", func() bool { return w.slack.HomeView(student1) != nil })
	if home := string(w.slack.HomeView(student1)); !strings.Contains(home, "Your last practice answer, to *What is blue/green deployment?*: You covered 2 of 3 key points") {
		t.Errorf("App Home lacks the last answer's coverage:\n%s", home)
	}
}

// TestFeedbackOnThreadAnswersIsPrivate: a thread answer gets feedback only
// its author sees, once, and again when edited; nobody else gets any; and
// /prep feedback dm moves it to the DM.
func TestFeedbackOnThreadAnswersIsPrivate(t *testing.T) {
	t.Parallel()
	w := newWorld(t, conceptBank(t))
	w.start()
	post := w.postNow()
	d := w.slack.UserMessage(cohort, student1, "There are two environments, blue and green, kept side by side.", post.TS, false)
	w.sendAndAck(d)
	w.waitFor("Ada's feedback", func() bool { return len(w.feedbacks(student1)) == 1 })
	e := w.feedbacks(student1)[0]
	if e.Channel != cohort || e.ThreadTS != post.TS || !strings.Contains(string(e.Blocks), "You covered 1 of 3 key points") {
		t.Errorf("feedback = %+v; want it in the thread, 1 of 3 covered", e)
	}
	// The same event redelivered: no second feedback.
	w.sendAndAck(w.slack.UserMessage(cohort, student2, "idk", post.TS, false))
	w.waitFor("Grace's feedback", func() bool { return len(w.feedbacks(student2)) == 1 })
	if got := string(w.feedbacks(student2)[0].Blocks); !strings.Contains(got, "Too short to judge") {
		t.Errorf("feedback on 'idk' = %s; want too short to judge", got)
	}
	// An edit gets updated feedback.
	edit, err := w.slack.EditMessage(cohort, d.TS, "Two environments; the load balancer does the switch, and schema changes stay backward compatible.")
	if err != nil {
		t.Fatal(err)
	}
	w.sendAndAck(edit)
	w.waitFor("the updated feedback", func() bool { return len(w.feedbacks(student1)) == 2 })
	if got := string(w.feedbacks(student1)[1].Blocks); !strings.Contains(got, "*edited* answer") || !strings.Contains(got, "You covered all 3 key points") {
		t.Errorf("feedback after the edit = %s", got)
	}
	for _, m := range w.slack.Messages(cohort) {
		if strings.Contains(string(m.Blocks), "How your answer did") || strings.Contains(m.Text, "How your answer did") {
			t.Errorf("feedback posted publicly: %+v", m)
		}
	}
	if n := len(w.feedbacks(instructor)); n != 0 {
		t.Errorf("the instructor got %d ephemerals; want none", n)
	}
	// /prep answer and the reveal button say how their own answer did.
	w.expectReply(student1, cohort, "answer", "")
	if got := toJSON(w.slack.Responses()[len(w.slack.Responses())-1].Body); !strings.Contains(got, "You covered all 3 key points in your answer") {
		t.Errorf("/prep answer after answering = %s", got)
	}
	// Feedback in the DM, on request.
	w.expectReply(student2, cohort, "feedback dm", "comes to our DM")
	w.sendAndAck(w.slack.UserMessage(cohort, student2, "Rollback means pointing the load balancer back at the old environment quickly.", post.TS, false))
	w.waitFor("Grace's DM feedback", func() bool { return len(w.dm(student2)) == 1 })
	if got := string(w.dm(student2)[0].Blocks); !strings.Contains(got, "How your answer did") {
		t.Errorf("DM feedback = %s", got)
	}
	if n := len(w.feedbacks(student2)); n != 1 {
		t.Errorf("Grace's ephemerals = %d; want still 1 (the second went to the DM)", n)
	}
	w.expectReply(student2, cohort, "feedback wat", "feedback dm")
}

// TestInsightsForAdminsOnly: /prep insights shows the cohort's week to its
// admins, privately, and is refused to students.
func TestInsightsForAdminsOnly(t *testing.T) {
	t.Parallel()
	w := newWorld(t, conceptBank(t))
	w.start()
	post := w.postNow()
	w.sendAndAck(w.slack.UserMessage(cohort, student1, "Two environments and the load balancer switches traffic between them.", post.TS, false))
	w.expectReply(student1, cohort, "insights", "Only this channel's admins")
	got := w.command(instructor, cohort, "insights")
	for _, want := range []string{"*This cohort* — 1 person has taken part here.", "· 1 · 1 · 1 · 0", "*Weakest topics*", "Deployment and DevOps — no ratings · 2 of 3 key points"} {
		if !strings.Contains(got, want) {
			t.Errorf("/prep insights lacks %q:\n%s", want, got)
		}
	}
	if rt := w.slack.Responses()[len(w.slack.Responses())-1].Body["response_type"]; rt != "ephemeral" {
		t.Errorf("insights response_type = %v; want ephemeral", rt)
	}
}
