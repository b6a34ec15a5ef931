package bot_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/prepbot/prepbot/internal/slacktest"
)

func goodAnswer() string {
	return strings.Repeat("A write-ahead log records each change before it is applied, so a crash can be recovered by replaying it. ", 4)
}

func TestAddEditRetireQuestionFromSlack(t *testing.T) {
	t.Parallel()
	w := newWorld(t, smallBank(t, 3))
	w.start()
	w.expectReply(student1, cohort, "add", "Only workspace admins and PREPBOT_ADMINS can change the question bank")
	if got := w.command(instructor, cohort, "add"); !strings.Contains(got, "editor is open") {
		t.Fatalf("add = %q", got)
	}
	if n := len(w.slack.Modals()); n != 1 || !strings.Contains(string(w.slack.Modals()[0]), `"callback_id":"prep_add"`) {
		t.Fatalf("modals = %d; want the prep_add modal", n)
	}
	submit := func(meta string, values map[string]string) json.RawMessage {
		t.Helper()
		return w.submit(instructor, "prep_add", meta, values)
	}
	bad := submit("", map[string]string{"topic": "knitting", "difficulty": "easy", "question": "What is a WAL?", "answer": "too short", "key_points": "one"})
	if !strings.Contains(string(bad), `"response_action":"errors"`) || !strings.Contains(string(bad), "topic") {
		t.Errorf("invalid submission ack = %s; want field errors", bad)
	}
	bad = submit("", map[string]string{"topic": "databases", "difficulty": "tricky", "question": "What is a WAL?", "answer": "too short", "key_points": "one"})
	if !strings.Contains(string(bad), "difficulty") || !strings.Contains(string(bad), "answer") {
		t.Errorf("invalid submission ack = %s; want difficulty and answer errors", bad)
	}
	ok := submit("", map[string]string{"topic": "db", "difficulty": "medium", "question": "What is a write-ahead log?",
		"answer": goodAnswer(), "key_points": "- durability\n- replay after a crash"})
	if len(ok) > 0 && string(ok) != "null" {
		t.Fatalf("valid submission ack = %s; want an empty ack (modal closes)", ok)
	}
	w.expectReply(student1, cohort, "answer databases/write-ahead-log", "write-ahead log")
	// Edit keeps the ID.
	submit("databases/write-ahead-log", map[string]string{"topic": "databases", "difficulty": "hard", "question": "What is a write-ahead log, and why?",
		"answer": goodAnswer(), "key_points": "durability\nreplay"})
	w.command(student1, cohort, "answer databases/write-ahead-log")
	if got := toJSON(w.slack.Responses()[len(w.slack.Responses())-1].Body); !strings.Contains(got, "and why?") || !strings.Contains(got, "hard") {
		t.Errorf("edited question = %s", got)
	}
	if got := w.command(instructor, cohort, "retire databases/write-ahead-log"); !strings.Contains(got, "Retired") {
		t.Fatalf("retire = %q", got)
	}
	w.expectReply(instructor, cohort, "edit databases/write-ahead-log", "no question")
	// Old references still resolve.
	w.expectReply(student1, cohort, "answer databases/write-ahead-log", "write-ahead log")
	// Restart: the Slack-added question survives the bank sync (and stays retired).
	w.stop()
	w.start()
	w.expectReply(student1, cohort, "topics", "Databases — 3")
}

func TestReportReachesAdmins(t *testing.T) {
	t.Parallel()
	w := newWorld(t, smallBank(t, 3))
	w.start()
	w.command(student1, cohort, "answer databases/q01")
	body := toJSON(w.slack.Responses()[0].Body)
	if !strings.Contains(body, "prep_report") {
		t.Fatalf("revealed answer lacks the report button: %s", body)
	}
	w.slack.Click(student1, cohort, "", "prep_report", "databases/q01|x", true)
	w.waitFor("report modal", func() bool { return len(w.slack.Modals()) == 1 })
	w.submit(student1, "prep_report_submit", "databases/q01", map[string]string{"report": "The second point is wrong <!channel>"})
	w.waitFor("DM to the admin", func() bool { return len(w.dm(instructor)) == 1 })
	msg := w.dm(instructor)[0].Text
	if !strings.Contains(msg, "databases/q01") || !strings.Contains(msg, "The second point is wrong") || strings.Contains(msg, "<!channel>") {
		t.Errorf("report DM = %q", msg)
	}
}

func TestReportReachesTheChannelsAdminsWithoutPrepbotAdmins(t *testing.T) {
	t.Parallel()
	w := newWorld(t, smallBank(t, 3))
	w.admins = nil // the default: no PREPBOT_ADMINS
	w.start()
	// The workspace admin sets the schedule and makes Grace a channel admin.
	w.expectReply(wsAdmin, cohort, "schedule 0 9 * * * UTC", "Schedule set")
	w.expectReply(wsAdmin, cohort, "admins add <@"+student2+"|grace>", "")
	w.command(student1, cohort, "answer databases/q01")
	w.slack.Click(student1, cohort, "", "prep_report", "databases/q01|x", true)
	w.waitFor("report modal", func() bool { return len(w.slack.Modals()) == 1 })
	var view struct {
		PrivateMetadata string `json:"private_metadata"`
	}
	if err := json.Unmarshal(w.slack.Modals()[0], &view); err != nil {
		t.Fatalf("report modal: %v", err)
	}
	w.submit(student1, "prep_report_submit", view.PrivateMetadata, map[string]string{"report": "The second point is wrong"})
	for _, admin := range []string{wsAdmin, student2} {
		w.waitFor("the report DM to "+admin, func() bool { return len(w.dm(admin)) == 1 })
		if msg := w.dm(admin)[0].Text; !strings.Contains(msg, "databases/q01") || !strings.Contains(msg, "The second point is wrong") {
			t.Errorf("report DM to %s = %q", admin, msg)
		}
	}
	w.waitFor("the reporter's thanks", func() bool { return len(w.dm(student1)) == 1 })
	if got := w.dm(student1)[0].Text; !strings.Contains(got, "passed it on to the admins") {
		t.Errorf("reporter told %q", got)
	}
	if reports, err := w.store.Reports(); err != nil || len(reports) != 1 {
		t.Errorf("stored reports = %v, %v; want 1", reports, err)
	}
}

func TestReportFromADMWithNoAdminsIsStoredAndSaysSo(t *testing.T) {
	t.Parallel()
	w := newWorld(t, smallBank(t, 3))
	w.admins = nil
	w.start()
	w.submit(student1, "prep_report_submit", "databases/q01|D"+student1, map[string]string{"report": "Typo in the answer"})
	w.waitFor("the reporter's thanks", func() bool { return len(w.dm(student1)) == 1 })
	if got := w.dm(student1)[0].Text; !strings.Contains(got, "recorded for whoever maintains the question bank") {
		t.Errorf("reporter told %q", got)
	}
	if reports, err := w.store.Reports(); err != nil || len(reports) != 1 || reports[0].Text != "Typo in the answer" {
		t.Errorf("stored reports = %+v, %v; want the one report", reports, err)
	}
}

// TestChannelAdminCannotChangeTheBank: a channel admin's rights stop at
// their channel, and the bank is every channel's: the instructor of
// #random can neither retire nor add a question, in any channel.
func TestChannelAdminCannotChangeTheBank(t *testing.T) {
	t.Parallel()
	w := newWorld(t, smallBank(t, 3))
	w.start()
	w.expectReply(wsAdmin, outside, "admins add <@"+student2+"|grace>", "can now run admin commands")
	for _, where := range []string{outside, cohort} {
		w.expectReply(student2, where, "retire databases/q01", "Only workspace admins")
		w.expectReply(student2, where, "add", "Only workspace admins")
	}
	ack := w.submit(student2, "prep_add", "", map[string]string{"topic": "databases", "difficulty": "easy",
		"question": "What is a write-ahead log?", "answer": goodAnswer(), "key_points": "durability\nreplay"})
	if !strings.Contains(string(ack), "Only workspace admins") {
		t.Errorf("editor submitted by a channel admin: ack = %s; want a refusal", ack)
	}
	w.expectReply(student1, cohort, "topics", "Databases — 3")
	// In their own channel they still run the question of the day.
	w.slack.SetChannel(outside, func(c *slacktest.Channel) { c.BotMember = true })
	w.expectReply(student2, outside, "post", "Posted")
}

// TestModalAcksBeforeMessages: a modal's ack never waits for Slack. With
// every chat.postMessage slow, the ack of a saved question and of a report
// arrives before any of their DMs has gone out, and the DMs still follow.
func TestModalAcksBeforeMessages(t *testing.T) {
	t.Parallel()
	w := newWorld(t, smallBank(t, 3))
	w.start()
	w.slack.SetDelay("chat.postMessage", 300*time.Millisecond)
	w.submit(instructor, "prep_add", "", map[string]string{"topic": "databases", "difficulty": "easy",
		"question": "What is a write-ahead log?", "answer": goodAnswer(), "key_points": "durability\nreplay"})
	if n := len(w.slack.Calls("chat.postMessage")); n != 0 {
		t.Errorf("chat.postMessage calls done before the editor's ack = %d; want 0", n)
	}
	w.waitFor("the confirmation DM", func() bool { return len(w.dm(instructor)) == 1 })
	before := len(w.slack.Calls("chat.postMessage"))
	w.submit(student1, "prep_report_submit", "databases/q01|"+cohort, map[string]string{"report": "The second point is wrong"})
	if n := len(w.slack.Calls("chat.postMessage")); n != before {
		t.Errorf("chat.postMessage calls done before the report's ack = %d; want 0", n-before)
	}
	w.waitFor("the report DM and the thanks", func() bool { return len(w.dm(instructor)) == 2 && len(w.dm(student1)) == 1 })
}
