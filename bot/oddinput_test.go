package bot_test

import (
	"strings"
	"testing"
)

// Very long messages, odd Unicode and Slack control sequences are recorded
// and quoted back safely; nothing panics, nobody is pinged.
func TestHugeAndOddMessages(t *testing.T) {
	t.Parallel()
	w := newWorld(t, smallBank(t, 3))
	w.start()
	post := w.postNow()
	huge := strings.Repeat("é🙂\u202e\u200b<!here> <@USTUD2> &amp; ", 1400) // ~40 KB
	if len(huge) < 40_000 {
		t.Fatalf("test message is only %d bytes", len(huge))
	}
	w.sendAndAck(w.slack.UserMessage(cohort, student1, huge, post.TS, false))
	w.sendAndAck(w.slack.UserMessage(cohort, student2, "\x00\x01\ufffd\U0010ffff", post.TS, false))
	w.command(instructor, cohort, "reveal")
	replies := w.threadReplies(cohort, post.TS)
	reveal := string(replies[len(replies)-1].Blocks)
	if !strings.Contains(reveal, "2 people answered") {
		t.Errorf("reveal after odd messages: %s", reveal)
	}
	// DM: a 40 KB answer is taken (truncated to 4,000 characters) and the
	// reference answer follows.
	w.say(student1, "practice", 1)
	got := w.say(student1, huge, 2)
	if !strings.Contains(string(got.Blocks), "Reference answer") {
		t.Errorf("DM answer reply = %q", got.Text)
	}
	// Control sequences in commands are echoed escaped.
	if r := w.command(student1, cohort, "<!everyone> <@USTUD2>"); strings.Contains(r, "<!everyone>") || strings.Contains(r, "<@USTUD2>") {
		t.Errorf("unknown command echoed unescaped: %q", r)
	}
	if r := w.command(student1, cohort, "ask <!channel>"); strings.Contains(r, "<!channel>") {
		t.Errorf("unknown topic echoed unescaped: %q", r)
	}
	var exported string
	w.command(student1, cohort, "export")
	if ups := w.slack.Uploads(); len(ups) == 1 {
		exported = string(ups[0].Content)
	}
	if !strings.Contains(exported, "é🙂") {
		t.Errorf("export lost the Unicode answer")
	}
}
