package bot_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/prepbot/prepbot/internal/slacktest"
	"github.com/prepbot/prepbot/questions"
)

// pings are the special mentions that notify people, planted below in bank
// text and user text. None may reach Slack as markup.
var pings = []string{"<!channel>", "<!here>", "<!everyone>", "<@UVICTIM>", "<!subteam^S123>"}

// TestNoPingFromBankOrUserText plants mentions in every field of the bank's
// questions, in a user's name and in a report, drives every path that
// shows them (question of the day and its reveal, ask, answer, another,
// DM practice, App Home, stats, a report), and checks every Web API call
// and response_url post the bot made.
func TestNoPingFromBankOrUserText(t *testing.T) {
	t.Parallel()
	evil := "<!channel> <!here> <!everyone> <@UVICTIM> <!subteam^S123>"
	answer := strings.Repeat("An index lets the database find rows without scanning the table. ", 6) + evil
	var qs []questions.Question
	for _, id := range []string{"databases/evil-one", "databases/evil-two"} {
		qs = append(qs, questions.Question{
			ID: id, Difficulty: "easy", Text: "What does " + evil + " mean for " + id + "?",
			Answer: answer, KeyPoints: []string{"first " + evil, "second point"}, FollowUps: []string{"Why " + evil + "?"},
		})
	}
	bank, err := questions.NewBank(qs, questions.Guides{Tips: "# Tips\n\nBe concise.", Star: "# STAR\n\nSituation."})
	if err != nil {
		t.Fatal(err)
	}
	w := newWorld(t, bank)
	w.slack.AddUser(slacktest.User{ID: "UEVIL", Name: "<!channel> Eve <@UVICTIM>"})
	w.start()

	post := w.postNow()
	w.sendAndAck(w.slack.UserMessage(cohort, "UEVIL", "my answer "+evil, post.TS, false))
	w.sendAndAck(w.slack.UserMessage(cohort, student1, "another answer", post.TS, false))
	w.command(student1, cohort, "ask")
	w.command(student1, cohort, "answer")
	w.command(student1, cohort, "answer databases/evil-two")
	w.command(student1, cohort, "stats")
	n := len(w.slack.Responses())
	w.slack.Click(student2, cohort, post.TS, "prep_reveal", questionIDOf(t, post), false)
	w.slack.Click(student1, cohort, "", "prep_another", "databases|databases/evil-one", true)
	w.waitFor("the two clicks' answers", func() bool { return len(w.slack.Responses()) >= n+2 })
	w.command(instructor, cohort, "reveal")
	w.command(student1, cohort, "practice")
	w.waitFor("the practice question", func() bool { return len(w.dm(student1)) >= 1 })
	w.say(student1, "my practice answer", 2)
	w.sendAndAck(w.slack.AppHomeOpened(student1))
	w.waitFor("App Home", func() bool { return w.slack.HomeView(student1) != nil })
	w.submit(student1, "prep_report_submit", "databases/evil-one|"+cohort, map[string]string{"report": "wrong " + evil})
	w.waitFor("the report DM", func() bool { return len(w.dm(instructor)) >= 1 })
	w.stop()

	checked := 0
	for _, c := range w.slack.Calls("") {
		body, _ := json.Marshal(c.Params)
		checked++
		for _, p := range pings {
			if strings.Contains(string(body), p) || strings.Contains(string(body), jsonEscaped(p)) {
				t.Errorf("%s sent %s to Slack: %.300s", c.Method, p, body)
			}
		}
	}
	for _, r := range w.slack.Responses() {
		body, _ := json.Marshal(r.Body)
		checked++
		for _, p := range pings {
			if strings.Contains(string(body), jsonEscaped(p)) {
				t.Errorf("a response_url post carried %s: %.300s", p, body)
			}
		}
	}
	if checked < 20 {
		t.Errorf("checked %d outgoing payloads; the scenario should produce far more", checked)
	}
}

// jsonEscaped is how s looks inside a JSON string (Go escapes < and >).
func jsonEscaped(s string) string {
	b, _ := json.Marshal(s)
	return strings.Trim(string(b), `"`)
}
