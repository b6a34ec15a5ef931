package bot_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/prepbot/prepbot/internal/slacktest"
	"github.com/prepbot/prepbot/store"
)

// sendSampleAcked sends Slack's sample name (mapped onto the world by fill)
// and waits for its ack.
func (w *world) sendSampleAcked(name string, fill func(p map[string]any)) {
	w.t.Helper()
	d, err := w.slack.SendSample(name, fill)
	if err != nil {
		w.t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := w.slack.WaitAck(ctx, d.EnvelopeID); err != nil {
		w.t.Fatalf("%s never acknowledged: %v", name, err)
	}
}

// onWorld maps the samples' channel onto channel.
func onWorld(channel string) func(p map[string]any) {
	return func(p map[string]any) {
		if e := event(p); e != nil {
			if _, has := e["channel"]; has {
				e["channel"] = channel
			}
			if e["user"] == sampleBo || e["user"] == sampleAna {
				e["user"] = instructor
			}
		}
	}
}

// slotPassed sets the clock to at and waits until the scheduler has made
// its pass at that time and gone back to sleep (its next wake is later):
// after that, a post it decided on is in flight or done, and stopping the
// bot waits for it.
func (w *world) slotPassed(at time.Time) {
	w.t.Helper()
	w.clock.Set(at)
	w.poll("the scheduler's pass at "+at.String(), func() bool {
		next, ok := w.clock.NextWake()
		return ok && next.After(at)
	})
}

// reopen opens the stopped world's store read-only for checks.
func (w *world) reopen() *store.DB {
	w.t.Helper()
	db, err := store.Open(w.db, store.Options{ReadOnly: true})
	if err != nil {
		w.t.Fatal(err)
	}
	w.t.Cleanup(func() { db.Close() })
	return db
}

func TestLifecycleUninstallStopsPostingKeepsData(t *testing.T) {
	t.Parallel()
	w := newWorld(t, smallBank(t, 5))
	w.slack.AddChannel(slacktest.Channel{ID: private, Name: "cohort-private", BotMember: true})
	w.start()
	for _, ch := range []string{cohort, private} {
		if got := w.command(instructor, ch, "schedule "+dailySpec); !strings.Contains(got, dailySpec) {
			t.Fatalf("schedule in %s = %q", ch, got)
		}
	}
	monday9 := w.clock.Now().Truncate(24 * time.Hour).Add(9 * time.Hour)
	// The schedules post while the app is installed.
	w.clock.Set(monday9)
	w.waitFor("Monday's questions", func() bool { return len(w.posts(cohort)) == 1 && len(w.posts(private)) == 1 })
	post := w.posts(cohort)[0]
	w.poll("the post recorded", func() bool { ps, _ := w.store.ChannelPosts(cohort); return len(ps) == 1 })
	w.sendAndAck(w.slack.UserMessage(cohort, student1, "my answer", post.TS, false))

	// Ada has a review due and a daily reminder at 10:00.
	ctx := context.Background()
	if err := w.store.SetReminder(ctx, store.Reminder{User: student1, Clock: "10:00", Zone: "UTC", DM: "D" + student1}); err != nil {
		t.Fatal(err)
	}
	if _, err := w.store.RateCard(ctx, student1, "databases/q00", store.Review{Rating: "again", At: monday9}, func(c store.Card) store.Card {
		c.Due = monday9
		return c
	}); err != nil {
		t.Fatal(err)
	}

	// Slack sends both when the app is uninstalled.
	w.sendSampleAcked("app_uninstalled", nil)
	w.sendSampleAcked("tokens_revoked", nil)
	w.poll("both schedules stopped", func() bool {
		a, _ := w.store.Schedule(cohort)
		b, _ := w.store.Schedule(private)
		return a.Halted != "" && b.Halted != ""
	})
	w.slotPassed(monday9.Add(time.Hour)) // Ada's reminder time
	w.slotPassed(monday9.Add(24 * time.Hour))
	w.slotPassed(monday9.Add(48 * time.Hour))
	w.stop() // waits for any post the scheduler started

	if dms := w.dm(student1); len(dms) != 0 {
		t.Errorf("DMs to Ada after the uninstall = %d (%q); want no reminder", len(dms), dms[0].Text)
	}
	if n, m := len(w.posts(cohort)), len(w.posts(private)); n != 1 || m != 1 {
		t.Errorf("questions posted: %d in the cohort, %d in the private channel; want 1 each (none after the uninstall)", n, m)
	}
	logs := w.logs.String()
	if n := strings.Count(logs, "posting stopped"); n != 1 {
		t.Errorf("the stop was logged %d times; want once:\n%s", n, logs)
	}
	if strings.Contains(logs, "level=ERROR") {
		t.Errorf("errors logged:\n%s", errorLines(logs))
	}
	// The data stays: schedules (with why they stopped), the post and its
	// answers.
	db := w.reopen()
	for _, ch := range []string{cohort, private} {
		s, err := db.Schedule(ch)
		// The two events are handled concurrently: either may stop it.
		if err != nil || s.Spec != dailySpec || s.SetBy != instructor || (s.Halted != "app_uninstalled" && s.Halted != "tokens_revoked") {
			t.Errorf("schedule of %s after the uninstall = %+v, %v; want it kept, halted for app_uninstalled or tokens_revoked", ch, s, err)
		}
	}
	if replies, err := db.Replies(cohort, post.TS); err != nil || len(replies) != 1 {
		t.Errorf("answers after the uninstall = %v, %v; want the one answer kept", replies, err)
	}
}

func TestLifecycleArchivedChannelPostsNothing(t *testing.T) {
	t.Parallel()
	w := newWorld(t, smallBank(t, 5))
	w.start()
	if got := w.command(instructor, cohort, "schedule "+dailySpec); !strings.Contains(got, dailySpec) {
		t.Fatalf("schedule = %q", got)
	}
	w.slack.SetChannel(cohort, func(c *slacktest.Channel) { c.IsArchived = true })
	w.sendSampleAcked("channel_archive", onWorld(cohort))
	w.waitFor("the DM to the admin", func() bool { return len(w.dm(instructor)) == 1 })
	// Archive events can come more than once (a retry with a new ID, or
	// the bot removed as well): the admin is told once.
	w.sendSampleAcked("channel_archive", onWorld(cohort))
	w.sendSampleAcked("member_left_channel", func(p map[string]any) {
		onWorld(cohort)(p)
		event(p)["user"] = slacktest.BotUserID
	})

	w.expectReply(student1, cohort, "schedule", "the channel was archived")
	w.slotPassed(w.clock.Now().Truncate(24 * time.Hour).Add(9 * time.Hour))
	w.stop()
	// Without the pause the scheduler would have tried, been refused
	// (is_archived) and logged an error.
	if got := w.slack.Calls("chat.postMessage"); len(got) != 1 {
		t.Errorf("chat.postMessage calls = %d; want only the DM to the admin", len(got))
	}
	if dms := w.dm(instructor); len(dms) != 1 || !strings.Contains(dms[0].Text, "was archived") || !strings.Contains(dms[0].Text, "/prep schedule "+dailySpec) {
		t.Errorf("DMs to the admin = %+v; want one saying the channel was archived and how to restart", dms)
	}
	if logs := w.logs.String(); strings.Contains(logs, "level=ERROR") {
		t.Errorf("errors logged:\n%s", errorLines(logs))
	}
	if s, err := w.reopen().Schedule(cohort); err != nil || s.Halted != "channel_archived" || s.Spec != dailySpec {
		t.Errorf("schedule = %+v, %v; want it kept, halted for channel_archived", s, err)
	}
}

// A schedule Slack already refused to post (and that the admin was told
// about) is not announced again when the archive event arrives late.
func TestLifecycleAfterRefusedPostIsQuiet(t *testing.T) {
	t.Parallel()
	w := newWorld(t, smallBank(t, 5))
	w.start()
	if got := w.command(instructor, cohort, "schedule "+dailySpec); !strings.Contains(got, dailySpec) {
		t.Fatalf("schedule = %q", got)
	}
	w.slack.SetChannel(cohort, func(c *slacktest.Channel) { c.IsArchived = true })
	w.clock.Set(w.clock.Now().Truncate(24 * time.Hour).Add(9 * time.Hour))
	w.waitFor("the DM about the refused post", func() bool { return len(w.dm(instructor)) == 1 })
	w.sendSampleAcked("channel_archive", onWorld(cohort))
	w.stop()
	if n := len(w.dm(instructor)); n != 1 {
		t.Errorf("DMs to the admin = %d; want 1", n)
	}
	if s, err := w.reopen().Schedule(cohort); err != nil || s.Halted != "is_archived" {
		t.Errorf("schedule = %+v, %v; want the refusal's reason kept", s, err)
	}
}
