package bot_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prepbot/prepbot/bot"
	"github.com/prepbot/prepbot/internal/clock"
	"github.com/prepbot/prepbot/internal/slacktest"
	"github.com/prepbot/prepbot/store"
)

func TestScheduleByAdminOnly(t *testing.T) {
	t.Parallel()
	w := newWorld(t, smallBank(t, 3))
	w.start()
	w.expectReply(student1, cohort, "schedule 0 9 * * 1-5 America/New_York", "Only this channel's admins")
	w.expectReply(instructor, cohort, "schedule", "no question of the day")
	for _, bad := range []struct{ text, want string }{
		{"schedule 0 9 * *", "not a schedule"},
		{"schedule 0 9 * * 1-5 Mars/Base", "not a time zone"},
		{"schedule @every 5m", "too often"},
		{"schedule 0 9 * * * topics=knitting", "don't know the topic"},
	} {
		if got := w.command(instructor, cohort, bad.text); !strings.Contains(got, bad.want) {
			t.Errorf("/prep %s = %q; want %q", bad.text, got, bad.want)
		}
	}
	w.expectReply(instructor, outside, "schedule 0 9 * * *", "/invite @prepbot")
	got := w.command(instructor, cohort, "schedule 0 9 * * 1-5 America/New_York topics=db")
	for _, want := range []string{"Schedule set", "0 9 * * 1-5", "America/New_York", "Mon 23 Nov 2026, 09:00 EST", "Tue 24 Nov 2026, 09:00 EST", "Wed 25 Nov 2026, 09:00 EST"} {
		if !strings.Contains(got, want) {
			t.Errorf("schedule answer = %q; want it to contain %q", got, want)
		}
	}
	// A workspace admin can delegate: the student becomes a channel admin.
	w.expectReply(student1, cohort, "admins add <@"+student2+">", "Only workspace admins")
	w.expectReply(wsAdmin, cohort, "admins add <@"+student2+"|grace>", "can now run admin commands")
	w.expectReply(student2, cohort, "schedule off", "is off")
}

func TestRotationWithoutRepeatsAndRestart(t *testing.T) {
	t.Parallel()
	w := newWorld(t, smallBank(t, 3))
	w.start()
	w.command(instructor, cohort, "schedule 0 9 * * * UTC")
	seen := map[string]bool{}
	for day := range 4 {
		w.clock.Set(time.Date(2026, 11, 23+day, 9, 0, 0, 0, time.UTC))
		w.waitFor("post", func() bool { return len(w.posts(cohort)) == day+1 })
		id := questionIDOf(t, w.posts(cohort)[day])
		if day < 3 && seen[id] {
			t.Errorf("day %d repeats %s within a cycle", day+1, id)
		}
		seen[id] = true
		if day == 1 {
			// The schedule survives a restart.
			w.stop()
			w.start()
			if got := w.command(student1, cohort, "schedule"); !strings.Contains(got, "0 9 * * *") {
				t.Fatalf("schedule after restart = %q", got)
			}
		}
	}
	if len(seen) != 3 {
		t.Errorf("the cycle used %d distinct questions; want all 3", len(seen))
	}
	// Each new post revealed the previous one in its thread.
	posts := w.posts(cohort)
	for i := range 3 {
		if n := len(w.threadReplies(cohort, posts[i].TS)); n != 1 {
			t.Errorf("post %d has %d thread replies from the bot; want 1 reveal", i+1, n)
		}
	}
}

func TestThreadAnswersAndReveal(t *testing.T) {
	t.Parallel()
	w := newWorld(t, smallBank(t, 3))
	w.start()
	post := w.postNow()
	ack := func(d slacktest.Delivery) {
		t.Helper()
		w.waitFor("ack", func() bool { _, ok := w.slack.Ack(d.EnvelopeID); return ok })
	}
	a := w.slack.UserMessage(cohort, student1, "indexes trade write cost for reads", post.TS, false)
	ack(a)
	g := w.slack.UserMessage(cohort, student2, "not sure <!channel>", post.TS, false)
	ack(g)
	ed, _ := w.slack.EditMessage(cohort, g.TS, "a B-tree keeps keys sorted <!channel>")
	ack(ed)
	tmp := w.slack.UserMessage(cohort, instructor, "oops, wrong thread", post.TS, false)
	ack(tmp)
	del, _ := w.slack.DeleteMessage(cohort, tmp.TS)
	ack(del)
	re, _ := w.slack.Redeliver(a.EnvelopeID)
	ack(slacktest.Delivery{EnvelopeID: re})
	ack(w.slack.BotMessage(cohort, "BOTHER", "I am another bot", post.TS))

	// Reveal: a student is refused; the admin reveals.
	w.expectReply(student1, cohort, "reveal", "Only this channel's admins")
	if got := w.command(instructor, cohort, "reveal"); !strings.Contains(got, "Revealed") {
		t.Fatalf("reveal = %q", got)
	}
	var reveal slacktest.Message
	for _, m := range w.threadReplies(cohort, post.TS) {
		if m.BotID == slacktest.BotID {
			reveal = m
		}
	}
	blocks := string(reveal.Blocks)
	if !strings.Contains(blocks, "2 people answered: Ada and Grace.") {
		t.Errorf("reveal does not say 2 people answered (Ada and Grace):\n%s", blocks)
	}
	if strings.Contains(blocks, "<@") || strings.Contains(blocks, "<!channel>") {
		t.Errorf("reveal pings someone:\n%s", blocks)
	}
	if !strings.Contains(blocks, "Reference answer") || !strings.Contains(blocks, "Key points") {
		t.Errorf("reveal lacks the answer or key points:\n%s", blocks)
	}
	if updated := w.posts(cohort)[0]; !updated.Edited || !strings.Contains(string(updated.Blocks), "reference answer is in the thread") {
		t.Errorf("the original post was not updated to say the answer is out: %s", updated.Blocks)
	}
	w.expectReply(instructor, cohort, "reveal", "already out")
}

func TestRevealButtonNudgesFirst(t *testing.T) {
	t.Parallel()
	w := newWorld(t, smallBank(t, 3))
	w.start()
	post := w.postNow()
	id := questionIDOf(t, post)
	n := len(w.slack.Responses())
	w.slack.Click(student1, cohort, post.TS, "prep_reveal", id, false)
	w.waitFor("nudge", func() bool { return len(w.slack.Responses()) > n })
	if body := w.slack.Responses()[n].Body; !strings.Contains(toJSON(body), "prep_reveal_anyway") {
		t.Errorf("reveal before answering = %s; want a nudge with prep_reveal_anyway", toJSON(body))
	}
	w.sendAndAck(w.slack.UserMessage(cohort, student1, "my answer", post.TS, false))
	n = len(w.slack.Responses())
	w.slack.Click(student1, cohort, post.TS, "prep_reveal", id, false)
	w.waitFor("answer", func() bool { return len(w.slack.Responses()) > n })
	body := toJSON(w.slack.Responses()[n].Body)
	if !strings.Contains(body, "Reference answer") || !strings.Contains(body, "prep_rate_good") {
		t.Errorf("reveal after answering = %s; want the answer with rating buttons", body)
	}
	if rt := w.slack.Responses()[n].Body["response_type"]; rt != "ephemeral" {
		t.Errorf("reveal response_type = %v; want ephemeral", rt)
	}
}

func TestCrashBetweenPostAndRecordDoesNotDoublePost(t *testing.T) {
	t.Parallel()
	w := newWorld(t, smallBank(t, 3))
	w.start()
	w.command(instructor, cohort, "schedule 0 9 * * * UTC")
	// Slack posts, but the answer never reaches the bot.
	w.slack.HangUpAfterNext("chat.postMessage")
	w.clock.Set(time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC))
	w.waitFor("the post", func() bool { return len(w.posts(cohort)) == 1 })
	// The bot restarts (or just retries a minute later): it must find the
	// post in the history instead of posting again.
	w.stop()
	w.clock.Set(time.Date(2026, 11, 23, 9, 1, 0, 0, time.UTC))
	w.start()
	w.waitFor("history check", func() bool { return len(w.slack.Calls("conversations.history")) >= 1 })
	w.settled(time.Date(2026, 11, 23, 9, 5, 0, 0, time.UTC))
	if n := len(w.posts(cohort)); n != 1 {
		t.Fatalf("posts after a crash between post and record = %d; want 1", n)
	}
	// The recovered post is tracked: its thread answers are recorded.
	ts := w.posts(cohort)[0].TS
	w.sendAndAck(w.slack.UserMessage(cohort, student1, "answer", ts, false))
	w.command(instructor, cohort, "reveal")
	replies := w.threadReplies(cohort, ts)
	if len(replies) < 2 || !strings.Contains(string(replies[len(replies)-1].Blocks), "1 person answered: Ada.") {
		t.Errorf("reveal of the recovered post does not count Ada's answer")
	}
}

func TestMissedSlotIsCaughtUpOnceWithinSixHours(t *testing.T) {
	t.Parallel()
	w := newWorld(t, smallBank(t, 5))
	w.start()
	w.command(instructor, cohort, "schedule 0 9 * * * UTC")
	w.stop()
	// Down through the 9:00 slot; back at 12:00, 3 hours late.
	w.clock.Set(time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC))
	w.start()
	w.waitFor("catch-up post", func() bool { return len(w.posts(cohort)) == 1 })
	w.stop()
	w.start()
	w.settled(w.clock.Now())
	if n := len(w.posts(cohort)); n != 1 {
		t.Errorf("posts after a second restart = %d; want the catch-up once", n)
	}
	w.stop()
	// Down through the next day's slot for 7 hours: too late, not posted.
	w.clock.Set(time.Date(2026, 11, 24, 16, 0, 0, 0, time.UTC))
	w.start()
	w.settled(w.clock.Now())
	if n := len(w.posts(cohort)); n != 1 {
		t.Errorf("posts after a 7-hour outage = %d; want no catch-up (1)", n)
	}
}

func TestRateLimitedPostGoesOutOnce(t *testing.T) {
	t.Parallel()
	w := newWorld(t, smallBank(t, 3))
	w.start()
	w.command(instructor, cohort, "schedule 0 9 * * * UTC")
	w.slack.FailNext("chat.postMessage", 429, 1, "")
	w.clock.Set(time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC))
	w.waitFor("post", func() bool { return len(w.posts(cohort)) == 1 })
	w.settled(w.clock.Now())
	if n := len(w.posts(cohort)); n != 1 {
		t.Errorf("posts = %d; want 1", n)
	}
	if calls := w.slack.Calls("chat.postMessage"); len(calls) != 2 || calls[0].Status != 429 {
		t.Errorf("chat.postMessage calls: %d, first status %d; want a 429 then the post", len(calls), calls[0].Status)
	}
}

func TestDSTRepeatedHourPostsOnce(t *testing.T) {
	t.Parallel()
	w := newWorld(t, smallBank(t, 5))
	ny, _ := time.LoadLocation("America/New_York")
	w.clock = clock.NewFake(time.Date(2026, 10, 31, 12, 0, 0, 0, ny))
	w.start()
	w.command(instructor, cohort, "schedule 30 1 * * * America/New_York")
	// 1:30 happens twice on 1 Nov 2026 (EDT, then EST).
	first := time.Date(2026, 11, 1, 1, 30, 0, 0, ny)
	w.clock.Set(first)
	w.waitFor("the 1:30 post", func() bool { return len(w.posts(cohort)) == 1 })
	w.settled(first.Add(time.Hour)) // 1:30 EST, the repeated hour
	if n := len(w.posts(cohort)); n != 1 {
		t.Fatalf("posts in the repeated hour = %d; want 1", n)
	}
	w.clock.Set(time.Date(2026, 11, 2, 1, 30, 0, 0, ny))
	w.waitFor("next day's post", func() bool { return len(w.posts(cohort)) == 2 })
}

func TestPauseUntilSkipsAndResumes(t *testing.T) {
	t.Parallel()
	w := newWorld(t, smallBank(t, 5))
	w.start()
	w.command(instructor, cohort, "schedule 0 9 * * * UTC")
	if got := w.command(instructor, cohort, "pause until 2026-11-25"); !strings.Contains(got, "Paused until 2026-11-25") {
		t.Fatalf("pause = %q", got)
	}
	if got := w.command(student1, cohort, "schedule"); !strings.Contains(got, "Paused until 2026-11-25") || !strings.Contains(got, "Wed 25 Nov 2026, 09:00") {
		t.Errorf("schedule while paused = %q", got)
	}
	w.settled(time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC))
	if n := len(w.posts(cohort)); n != 0 {
		t.Fatalf("posts while paused = %d", n)
	}
	w.clock.Set(time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC))
	w.waitFor("first post on the pause date", func() bool { return len(w.posts(cohort)) == 1 })
	w.expectReply(instructor, cohort, "pause until 2025-01-01", "not in the future")
	w.expectReply(instructor, cohort, "pause 2027-01-05", "pause until YYYY-MM-DD")
}

func TestArchivedChannelHaltsScheduleAndTellsAdmin(t *testing.T) {
	t.Parallel()
	w := newWorld(t, smallBank(t, 3))
	w.start()
	w.command(instructor, cohort, "schedule 0 9 * * * UTC")
	w.slack.SetChannel(cohort, func(c *slacktest.Channel) { c.IsArchived = true })
	w.clock.Set(time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC))
	w.waitFor("DM to the admin", func() bool { return len(w.slack.Messages("D"+instructor)) == 1 })
	if msg := w.slack.Messages("D" + instructor)[0].Text; !strings.Contains(msg, "is_archived") || !strings.Contains(msg, "paused") {
		t.Errorf("DM to admin = %q", msg)
	}
	w.expectReply(instructor, cohort, "schedule", "Paused: Slack refused")
}

func toJSON(v any) string {
	b, _ := jsonMarshal(v)
	return string(b)
}

func TestRevealAfterALostAnswerIsNotPostedTwice(t *testing.T) {
	t.Parallel()
	w := newWorld(t, smallBank(t, 3))
	w.start()
	post := w.postNow()
	// Slack posts the reveal, but the bot never hears back.
	w.slack.HangUpAfterNext("chat.postMessage")
	if got := w.command(instructor, cohort, "reveal"); !strings.Contains(got, "went wrong") {
		t.Fatalf("reveal with a lost answer = %q; want an apology", got)
	}
	if got := w.command(instructor, cohort, "reveal"); !strings.Contains(got, "Revealed") {
		t.Fatalf("second reveal = %q", got)
	}
	if n := len(w.threadReplies(cohort, post.TS)); n != 1 {
		t.Errorf("thread has %d reveals; want exactly 1", n)
	}
	if calls := w.slack.Calls("conversations.replies"); len(calls) != 1 {
		t.Errorf("conversations.replies calls = %d; want 1 (the check before posting again)", len(calls))
	}
}

func TestThreadRevealRatesIntoEachPersonsDeck(t *testing.T) {
	t.Parallel()
	w := newWorld(t, smallBank(t, 3))
	w.start()
	post := w.postNow()
	id := questionIDOf(t, post)
	w.sendAndAck(w.slack.UserMessage(cohort, student1, "my answer", post.TS, false))
	w.command(instructor, cohort, "reveal")
	var reveal slacktest.Message
	for _, m := range w.threadReplies(cohort, post.TS) {
		if m.BotID == slacktest.BotID {
			reveal = m
		}
	}
	for _, action := range []string{"prep_rate_again", "prep_rate_hard", "prep_rate_good", "prep_rate_easy", "prep_report"} {
		if !strings.Contains(string(reveal.Blocks), action) {
			t.Fatalf("the thread's reference answer has no %s button:\n%s", action, reveal.Blocks)
		}
	}
	value := buttonValue(t, reveal.Blocks, "prep_rate_good")
	// Two people rate the same public answer; one of them clicks twice.
	n := len(w.slack.Responses())
	w.slack.Click(student1, cohort, reveal.TS, "prep_rate_good", value, false)
	w.slack.Click(student1, cohort, reveal.TS, "prep_rate_good", value, false)
	w.slack.Click(student2, cohort, reveal.TS, "prep_rate_again", buttonValue(t, reveal.Blocks, "prep_rate_again"), false)
	w.waitFor("two confirmations", func() bool { return len(w.slack.Responses()) >= n+2 })
	w.settled(w.clock.Now()) // a second confirmation would have come by now
	if got := len(w.slack.Responses()) - n; got != 2 {
		t.Errorf("%d confirmations for two people's ratings (one double click); want 2", got)
	}
	for _, r := range w.slack.Responses()[n:] {
		if rt := r.Body["response_type"]; rt != "ephemeral" {
			t.Errorf("rating confirmation response_type = %v; want ephemeral", rt)
		}
	}
	for user, want := range map[string]string{student1: "good", student2: "again"} {
		card, err := w.store.Card(user, id)
		if err != nil {
			t.Fatalf("%s's card for %s: %v", user, id, err)
		}
		if len(card.History) != 1 || card.History[0].Rating != want {
			t.Errorf("%s's card history = %+v; want one %q rating", user, card.History, want)
		}
	}
	if p := w.posts(cohort); len(p) != 1 || len(w.threadReplies(cohort, post.TS)) != 2 {
		t.Errorf("rating posted in the channel: %d posts, %d thread replies; want 1 and 2", len(p), len(w.threadReplies(cohort, post.TS)))
	}
}

func TestStatsWeekIsTheCalendarWeek(t *testing.T) {
	t.Parallel()
	w := newWorld(t, smallBank(t, 3))
	w.start() // Monday 23 November 2026, 08:00 UTC
	w.expectReply(instructor, cohort, "schedule 0 9 * * * UTC", "Schedule set")
	w.clock.Set(time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)) // Friday: the slot posts
	w.poll("Friday's post, recorded", func() bool { _, err := w.store.LatestPost(cohort); return err == nil })
	post := w.posts(cohort)[len(w.posts(cohort))-1]
	w.sendAndAck(w.slack.UserMessage(cohort, student1, "my answer", post.TS, false))
	w.expectReply(student1, cohort, "stats", "1 answered this week, 1 in all")
	// Sunday night is the same week; Monday is a new one.
	w.stop()
	w.clock.Set(time.Date(2026, 11, 29, 23, 0, 0, 0, time.UTC))
	w.start()
	w.expectReply(student1, cohort, "stats", "1 answered this week, 1 in all")
	w.stop()
	w.clock.Set(time.Date(2026, 11, 30, 0, 30, 0, 0, time.UTC))
	w.start()
	w.expectReply(student1, cohort, "stats", "0 answered this week, 1 in all")
}

// TestCrashRecoveryReadsEveryPage: in a busy channel the post of a slot is
// more than one page of history back; recovery must follow the cursors
// rather than post the slot twice. Likewise a reveal deep in a long thread.
func TestCrashRecoveryReadsEveryPage(t *testing.T) {
	t.Parallel()
	w := newWorld(t, smallBank(t, 3))
	w.start()
	w.command(instructor, cohort, "schedule 0 9 * * * UTC")
	w.slack.HangUpAfterNext("chat.postMessage")
	w.clock.Set(time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC))
	w.waitFor("the post", func() bool { return len(w.posts(cohort)) == 1 })
	w.stop()
	for i := range 1000 {
		w.slack.AddHistory(cohort, student2, fmt.Sprintf("chatter %d", i), "")
	}
	w.clock.Set(time.Date(2026, 11, 23, 9, 1, 0, 0, time.UTC))
	w.start()
	w.poll("the slot recorded as posted", func() bool {
		p, err := w.store.LatestPost(cohort)
		return err == nil && p.TS != ""
	})
	if n := len(w.posts(cohort)); n != 1 {
		t.Fatalf("posts after a crash with 1,000 messages since = %d; want 1", n)
	}
	if calls := w.slack.Calls("conversations.history"); len(calls) < 2 || calls[len(calls)-1].Param("cursor") == "" {
		t.Errorf("conversations.history calls = %d; want the recovery to follow the cursor", len(calls))
	}

	// After 1,000 replies the reveal is posted, then the answer is lost:
	// the retry must find it on the thread's second page.
	ts := w.posts(cohort)[0].TS
	for i := range 1000 {
		w.slack.AddHistory(cohort, student2, fmt.Sprintf("reply %d", i), ts)
	}
	w.slack.HangUpAfterNext("chat.postMessage")
	w.command(instructor, cohort, "reveal")
	w.waitFor("the reveal", func() bool { return len(w.threadReplies(cohort, ts)) == 1001 })
	w.command(instructor, cohort, "reveal")
	reveals := 0
	for _, m := range w.threadReplies(cohort, ts) {
		if m.BotID != "" {
			reveals++
		}
	}
	if reveals != 1 {
		t.Errorf("reveals in the thread after a lost answer = %d; want 1", reveals)
	}
}

// TestPostsArePacedUnderSlacksRateLimit: against a fake that enforces
// Slack's one chat.postMessage a second per channel, the bot's own pacing
// (on by default) means a post that reveals the previous one, then the
// new question, never meets a 429.
func TestPostsArePacedUnderSlacksRateLimit(t *testing.T) {
	t.Parallel()
	w := newWorldWith(t, smallBank(t, 3), slacktest.Options{RateLimits: true})
	w.postInterval = 0 // the default: one second
	w.start()
	w.postNow()
	w.sendAndAck(w.slack.UserMessage(cohort, student1, "an answer", w.posts(cohort)[0].TS, false))
	w.clock.Advance(time.Minute)
	w.postNow() // reveals the first in its thread, then posts
	for _, c := range w.slack.Calls("chat.postMessage") {
		if c.Status == 429 {
			t.Errorf("chat.postMessage to %s was refused with 429; the pacer should have spaced it", c.Param("channel"))
		}
	}
	if n := len(w.threadReplies(cohort, w.posts(cohort)[0].TS)); n != 2 {
		t.Errorf("first thread has %d replies; want the answer and the reveal", n)
	}
}

// TestRevealForTwoThousandAnswerers: with Slack's rate limits on and a 429
// on the reveal's post, a thread of 2,000 answerers with 80-character
// names is revealed once, with the exact count, 20 names, and 20
// users.info calls rather than 2,000.
func TestRevealForTwoThousandAnswerers(t *testing.T) {
	t.Parallel()
	w := newWorldWith(t, smallBank(t, 3), slacktest.Options{RateLimits: true})
	for i := range 2000 {
		w.slack.AddUser(slacktest.User{ID: fmt.Sprintf("UA%05d", i), Name: fmt.Sprintf("%05d %s", i, strings.Repeat("n", 74))})
	}
	w.start()
	post := w.postNow()
	// Saved concurrently, so the store's group commit takes them in a
	// few dozen commits rather than 2,000.
	var wg sync.WaitGroup
	errs := make(chan error, 2000)
	for i := range 2000 {
		r := store.Reply{Channel: cohort, ThreadTS: post.TS, TS: fmt.Sprintf("1800000000.%06d", i), User: fmt.Sprintf("UA%05d", i), Text: "answer", At: w.clock.Now()}
		wg.Go(func() {
			if _, err := w.store.SaveReply(context.Background(), r); err != nil {
				errs <- err
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	before := len(w.slack.Calls("users.info"))
	w.slack.FailNext("chat.postMessage", 429, 1, "")
	if got := w.command(instructor, cohort, "reveal"); !strings.Contains(got, "Revealed") {
		t.Fatalf("reveal = %q", got)
	}
	var reveals []slacktest.Message
	for _, m := range w.threadReplies(cohort, post.TS) {
		if m.BotID != "" {
			reveals = append(reveals, m)
		}
	}
	if len(reveals) != 1 {
		t.Fatalf("reveals in the thread = %d; want 1", len(reveals))
	}
	blocks := string(reveals[0].Blocks)
	if !strings.Contains(blocks, "2000 people answered: 00000 nnn") || !strings.Contains(blocks, "and 1980 others.") {
		t.Errorf("reveal = %s; want the exact count, 20 names and the rest counted", blocks)
	}
	if n := len(w.slack.Calls("users.info")) - before; n > 20 {
		t.Errorf("the reveal made %d users.info calls; want at most 20", n)
	}
	if u := w.slack.Unexpected(); len(u) > 0 {
		t.Errorf("Slack would refuse: %v", u)
	}
}

// TestStartRetriesTransientFailures: Slack unreachable or failing at boot
// is retried (no crash loop), with /healthz saying why; a refused token
// stops the bot at once.
func TestStartRetriesTransientFailures(t *testing.T) {
	t.Parallel()
	w := newWorld(t, smallBank(t, 3))
	w.slack.FailNext("auth.test", 503, 0, "")
	w.slack.FailNext("auth.test", 429, 0, "")
	w.start() // waits until connected
	if n := len(w.slack.Calls("auth.test")); n != 3 {
		t.Errorf("auth.test calls = %d; want two failures then success", n)
	}
	if logs := w.logs.String(); !strings.Contains(logs, "cannot reach Slack yet; retrying") {
		t.Errorf("logs lack the retry:\n%s", logs)
	}
	w.stop()

	w.slack.FailNext("auth.test", 200, 0, "invalid_auth")
	db, err := store.Open(w.db, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	b, err := bot.New(bot.Config{AppToken: w.slack.AppToken(), BotToken: w.slack.BotToken(), APIURL: w.slack.APIURL(), Store: db, Bank: w.bank})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := b.Run(ctx); err == nil || !strings.Contains(err.Error(), "Slack refused SLACK_BOT_TOKEN (invalid_auth)") {
		t.Errorf("Run with a refused token = %v; want the refusal at once", err)
	}
	if err := b.Healthy(); err == nil {
		t.Error("Healthy after a refused token = nil")
	}
}
