package bot_test

import (
	"context"
	"fmt"
	"os"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/prepbot/prepbot/internal/slacktest"
	"github.com/prepbot/prepbot/store"
)

// The replay: Slack's own sample payloads (internal/slacktest/testdata/
// samples, from Slack's Java SDK with every field real Slack may send)
// sent over Socket Mode to a real bot, one fresh world each. Every case
// asserts that the envelope was acknowledged, that a durable one was
// acknowledged only after its commit (checked by reading the store when
// the ack arrives), that nothing was logged at ERROR, and its effect, or
// that it deliberately has none.

// private is a private cohort channel (message.groups, group_archive…).
const private = "CPRIVATE"

// The samples' workspace (internal/slacktest/testdata/samples/README.md),
// mapped onto the test world's.
const (
	sampleCohort  = "C0COHORT"
	samplePrivate = "C0PRIVATE"
	sampleAna     = "U0ANA"
	sampleBo      = "U0BO"
	sampleParent  = "1764752400.000100" // the question of the day
	sampleReply   = "1764752460.000200" // Ana's answer in its thread
	sampleEdit    = "1764752520.000300" // its edit or deletion
	sampleAnswer  = "I'd use a hash map: one pass, O(n) time, O(n) space."
)

// replay is one case's world and the values its sample is filled with.
type replay struct {
	t *testing.T
	w *world
	// db is the running bot's store, kept here because ack probes read it
	// from the fake's goroutine while the world may be stopping.
	db      *store.DB
	channel string // where the sample happens: cohort unless the case says
	post    slacktest.Message
	replyTS string // the person's message the sample is (or edits, deletes)
	editTS  string
	// before counts what the bot had sent before the sample, for no-ops.
	before writes
}

// writes counts what the bot has sent to Slack: messages, updates,
// ephemerals, views and response_url answers.
type writes struct{ calls, responses int }

func (r *replay) writes() writes {
	n := 0
	for _, m := range []string{"chat.postMessage", "chat.update", "chat.postEphemeral", "chat.delete", "views.publish", "views.open", "views.update", "files.completeUploadExternal"} {
		n += len(r.w.slack.Calls(m))
	}
	return writes{calls: n, responses: len(r.w.slack.Responses())}
}

// postQuestion posts a question of the day in r.channel as its instructor.
func (r *replay) postQuestion() {
	r.t.Helper()
	if got := r.w.command(instructor, r.channel, "post"); !strings.Contains(got, "Posted") {
		r.t.Fatalf("post in %s = %q", r.channel, got)
	}
	posts := r.w.posts(r.channel)
	r.post = posts[len(posts)-1]
}

// answerInThread writes the answer of the samples' Ana (student1 here) in
// the question's thread through the fake (its own event, not a sample)
// and waits until it is recorded: the sample then edits or deletes it.
func (r *replay) answerInThread() {
	r.t.Helper()
	r.postQuestion()
	d := r.w.slack.UserMessage(r.channel, student1, sampleAnswer, r.post.TS, false)
	r.w.sendAndAck(d)
	r.replyTS = d.TS
	if _, ok := r.reply(); !ok {
		r.t.Fatalf("setup: the answer %s is not recorded", d.TS)
	}
}

// dailySpec is the schedule lifecycle cases set.
const dailySpec = "0 9 * * *"

// schedule sets a schedule in r.channel as the instructor.
func (r *replay) schedule() {
	r.t.Helper()
	// 09:00 daily: the world's clock is at 08:00, so nothing is posted yet.
	if got := r.w.command(instructor, r.channel, "schedule "+dailySpec); !strings.Contains(got, dailySpec) {
		r.t.Fatalf("schedule in %s = %q", r.channel, got)
	}
}

// reply returns the recorded reply r.replyTS in the question's thread. A
// store error reads as "not recorded": ack probes call it from the fake's
// goroutine, where failing the test is not allowed once it has ended.
func (r *replay) reply() (store.Reply, bool) {
	replies, _ := r.db.Replies(r.channel, r.post.TS)
	for _, rep := range replies {
		if rep.TS == r.replyTS {
			return rep, true
		}
	}
	return store.Reply{}, false
}

func (r *replay) halted(channel string) string {
	s, err := r.db.Schedule(channel)
	if err != nil {
		r.t.Fatalf("schedule of %s: %v", channel, err)
	}
	return s.Halted
}

// expectHalt waits for channel's schedule to be halted for reason and for
// the instructor who set it to be told in a DM containing want.
func (r *replay) expectHalt(channel, reason, want string) {
	r.t.Helper()
	r.w.poll("schedule of "+channel+" halted", func() bool { return r.halted(channel) != "" })
	if got := r.halted(channel); got != reason {
		r.t.Errorf("schedule of %s halted for %q; want %q", channel, got, reason)
	}
	r.w.waitFor("the DM to the admin", func() bool { return len(r.w.dm(instructor)) > 0 })
	dms := r.w.dm(instructor)
	if len(dms) != 1 || !strings.Contains(dms[0].Text, want) {
		var texts []string
		for _, m := range dms {
			texts = append(texts, m.Text)
		}
		r.t.Errorf("DMs to the admin = %q; want one containing %q", texts, want)
	}
}

// sentNothing drains the bot (handlers running after the ack finish) and
// reports whether it sent nothing since the sample.
func (r *replay) sentNothing() {
	r.t.Helper()
	r.w.stop()
	if got := r.writes(); got != r.before {
		r.t.Errorf("the bot sent %+v after the sample (before: %+v); want a deliberate no-op", got, r.before)
	}
}

// replayCase is one sample and what it must do.
type replayCase struct {
	name   string
	sample string
	// covers names the manifest subscriptions ("event:message.channels"),
	// interactions ("interaction:block_actions") and commands
	// ("command:/prep") the case exercises.
	covers []string
	// setup prepares the world (a question posted, a schedule set).
	setup func(r *replay)
	// fill adapts the sample, after the generic mapping of the samples'
	// workspace onto the world.
	fill func(r *replay, p map[string]any)
	// committed, if set, must hold when the ack arrives: the envelope is
	// durable and acknowledged only after its commit.
	committed func(r *replay) bool
	// effect waits for and checks what the sample does (after the ack).
	effect func(r *replay, d slacktest.Delivery, ack slacktest.Ack)
}

var replayCases = []replayCase{
	{
		name: "message/thread reply", sample: "message", covers: []string{"event:message.channels"},
		setup: func(r *replay) {
			r.postQuestion()
			r.replyTS = r.w.slack.AddHistory(r.channel, student1, sampleAnswer, r.post.TS)
		},
		committed: func(r *replay) bool { _, ok := r.reply(); return ok },
		effect:    expectReplyText(sampleAnswer),
	},
	{
		name: "message/private channel", sample: "message", covers: []string{"event:message.groups"},
		setup: func(r *replay) {
			r.channel = private
			r.postQuestion()
			r.replyTS = r.w.slack.AddHistory(r.channel, student1, sampleAnswer, r.post.TS)
		},
		fill:      func(r *replay, p map[string]any) { event(p)["channel_type"] = "group" },
		committed: func(r *replay) bool { _, ok := r.reply(); return ok },
		effect:    expectReplyText(sampleAnswer),
	},
	{
		name: "message/practice answer in the DM", sample: "message", covers: []string{"event:message.im"},
		setup: func(r *replay) {
			if got := r.w.command(student1, cohort, "practice databases"); !strings.Contains(got, "in our DM") {
				r.t.Fatalf("practice = %q", got)
			}
			r.w.waitFor("the practice question", func() bool { return len(r.w.dm(student1)) == 1 })
			r.channel = "D" + student1
		},
		fill: func(r *replay, p map[string]any) {
			e := event(p)
			e["channel"], e["channel_type"] = "D"+student1, "im"
			// A DM answer is not in a thread.
			delete(e, "thread_ts")
			delete(e, "parent_user_id")
		},
		committed: func(r *replay) bool {
			answers, err := r.db.Answers(student1)
			return err == nil && len(answers) == 1 && answers[0].Text == sampleAnswer
		},
		effect: func(r *replay, _ slacktest.Delivery, _ slacktest.Ack) {
			r.w.waitFor("the reference answer in the DM", func() bool { return len(r.w.dm(student1)) == 2 })
			if got := r.w.dm(student1)[1]; !strings.Contains(got.Text+string(got.Blocks), "index is a sorted structure") {
				r.t.Errorf("the bot's answer to the practice answer = %q; want the reference answer", got.Text)
			}
		},
	},
	{
		name: "message_changed/edited answer", sample: "message_changed", covers: []string{"event:message.channels"},
		setup: func(r *replay) { r.answerInThread() },
		committed: func(r *replay) bool {
			rep, ok := r.reply()
			return ok && rep.Edited
		},
		effect: expectReplyText(sampleAnswer + " (edited)"),
	},
	{
		name: "message_deleted/deleted answer", sample: "message_deleted", covers: []string{"event:message.channels"},
		setup:     func(r *replay) { r.answerInThread() },
		committed: func(r *replay) bool { _, ok := r.reply(); return !ok },
		effect: func(r *replay, _ slacktest.Delivery, _ slacktest.Ack) {
			if replies, _ := r.db.Replies(r.channel, r.post.TS); len(replies) != 0 {
				r.t.Errorf("replies after the deletion = %+v; want none", replies)
			}
		},
	},
	{
		name: "thread_broadcast/answer also sent to the channel", sample: "thread_broadcast", covers: []string{"event:message.channels"},
		setup: func(r *replay) {
			r.postQuestion()
			r.replyTS = r.w.slack.AddHistory(r.channel, student1, sampleAnswer, r.post.TS)
		},
		committed: func(r *replay) bool { _, ok := r.reply(); return ok },
		effect:    expectReplyText(sampleAnswer),
	},
	{
		name: "file_share/answer with a file", sample: "file_share", covers: []string{"event:message.channels"},
		setup: func(r *replay) {
			r.postQuestion()
			r.replyTS = r.w.slack.AddHistory(r.channel, student1, sampleAnswer, r.post.TS)
		},
		committed: func(r *replay) bool { _, ok := r.reply(); return ok },
		effect:    expectReplyText(sampleAnswer),
	},
	{
		name: "bot_message/another bot in the thread", sample: "bot_message", covers: []string{"event:message.channels"},
		setup: func(r *replay) {
			r.postQuestion()
			r.replyTS = r.w.slack.AddHistory(r.channel, "", "Standup in 5 minutes.", r.post.TS)
		},
		effect: func(r *replay, _ slacktest.Delivery, _ slacktest.Ack) {
			if replies, _ := r.db.Replies(r.channel, r.post.TS); len(replies) != 0 {
				r.t.Errorf("replies = %+v; a bot's message must not count as an answer", replies)
			}
			r.sentNothing()
		},
	},
	{
		name: "me_message/ignored", sample: "me_message", covers: []string{"event:message.channels"},
		setup:  func(r *replay) { r.postQuestion() },
		effect: expectNothing,
	},
	{
		name: "channel_join/ignored", sample: "channel_join", covers: []string{"event:message.channels"},
		effect: expectNothing,
	},
	{
		name: "channel_leave/ignored", sample: "channel_leave", covers: []string{"event:message.channels"},
		effect: expectNothing,
	},
	{
		name: "app_home_opened/publishes the Home tab", sample: "app_home_opened", covers: []string{"event:app_home_opened"},
		effect: func(r *replay, _ slacktest.Delivery, _ slacktest.Ack) {
			r.w.waitFor("the App Home", func() bool { return r.w.slack.HomeView(student1) != nil })
			if got := string(r.w.slack.HomeView(student1)); !strings.Contains(got, "Your interview practice") {
				r.t.Errorf("App Home = %s", got)
			}
		},
	},
	{
		// Not subscribed: prepbot has nothing to do when someone joins.
		name: "member_joined_channel/ignored", sample: "member_joined_channel",
		setup:  func(r *replay) { r.schedule() },
		effect: expectNothing,
	},
	{
		name: "member_left_channel/a person leaves", sample: "member_left_channel", covers: []string{"event:member_left_channel"},
		setup: func(r *replay) { r.schedule() },
		effect: func(r *replay, d slacktest.Delivery, a slacktest.Ack) {
			if got := r.halted(cohort); got != "" {
				r.t.Errorf("schedule halted (%q) when a person left", got)
			}
			expectNothing(r, d, a)
		},
	},
	{
		name: "member_left_channel/the bot is removed", sample: "member_left_channel", covers: []string{"event:member_left_channel"},
		setup: func(r *replay) {
			r.schedule()
			r.w.slack.SetChannel(cohort, func(c *slacktest.Channel) { c.BotMember = false })
		},
		fill: func(r *replay, p map[string]any) { event(p)["user"] = slacktest.BotUserID },
		effect: func(r *replay, _ slacktest.Delivery, _ slacktest.Ack) {
			r.expectHalt(cohort, "bot_removed", "I was removed from <#"+cohort+">")
		},
	},
	{
		// Slack's Java SDK has no channel_left sample: this is the event of
		// Slack's page (docs.slack.dev/reference/events/channel_left, with
		// the actor_id and event_ts Slack's SDK types list) in the outer
		// envelope of the member_left_channel sample.
		name: "channel_left/the bot is removed", sample: "member_left_channel", covers: []string{"event:channel_left"},
		setup: func(r *replay) {
			r.schedule()
			r.w.slack.SetChannel(cohort, func(c *slacktest.Channel) { c.BotMember = false })
		},
		fill: func(r *replay, p map[string]any) {
			p["event"] = map[string]any{"type": "channel_left", "channel": cohort, "actor_id": instructor, "event_ts": "1764752460.000200"}
		},
		effect: func(r *replay, _ slacktest.Delivery, _ slacktest.Ack) {
			r.expectHalt(cohort, "bot_removed", "I was removed from <#"+cohort+">")
		},
	},
	{
		name: "group_left/the bot is removed from a private channel", sample: "member_left_channel", covers: []string{"event:group_left"},
		setup: func(r *replay) { r.channel = private; r.schedule() },
		fill: func(r *replay, p map[string]any) {
			p["event"] = map[string]any{"type": "group_left", "channel": private, "actor_id": instructor, "event_ts": "1764752460.000200"}
		},
		effect: func(r *replay, _ slacktest.Delivery, _ slacktest.Ack) {
			r.expectHalt(private, "bot_removed", "I was removed from <#"+private+">")
		},
	},
	{
		name: "channel_archive/pauses the schedule", sample: "channel_archive", covers: []string{"event:channel_archive"},
		setup: func(r *replay) {
			r.schedule()
			r.w.slack.SetChannel(cohort, func(c *slacktest.Channel) { c.IsArchived = true })
		},
		effect: func(r *replay, _ slacktest.Delivery, _ slacktest.Ack) {
			r.expectHalt(cohort, "channel_archived", "<#"+cohort+"> was archived")
		},
	},
	{
		name: "group_archive/pauses the schedule", sample: "group_archive", covers: []string{"event:group_archive"},
		setup: func(r *replay) { r.channel = private; r.schedule() },
		effect: func(r *replay, _ slacktest.Delivery, _ slacktest.Ack) {
			r.expectHalt(private, "channel_archived", "<#"+private+"> was archived")
		},
	},
	{
		name: "channel_deleted/stops the schedule", sample: "channel_deleted", covers: []string{"event:channel_deleted"},
		setup: func(r *replay) { r.schedule() },
		effect: func(r *replay, _ slacktest.Delivery, _ slacktest.Ack) {
			r.expectHalt(cohort, "channel_deleted", "was deleted")
		},
	},
	{
		name: "group_deleted/stops the schedule", sample: "group_deleted", covers: []string{"event:group_deleted"},
		setup: func(r *replay) { r.channel = private; r.schedule() },
		effect: func(r *replay, _ slacktest.Delivery, _ slacktest.Ack) {
			r.expectHalt(private, "channel_deleted", "was deleted")
		},
	},
	{
		// Not subscribed: an unarchived channel is restarted by an admin.
		name: "channel_unarchive/ignored", sample: "channel_unarchive",
		effect: expectNothing,
	},
	{
		name: "app_uninstalled/stops posting", sample: "app_uninstalled", covers: []string{"event:app_uninstalled"},
		setup: func(r *replay) { r.schedule() },
		effect: func(r *replay, d slacktest.Delivery, a slacktest.Ack) {
			r.w.poll("schedule halted", func() bool { return r.halted(cohort) != "" })
			if got := r.halted(cohort); got != "app_uninstalled" {
				r.t.Errorf("halted = %q; want app_uninstalled", got)
			}
			expectNothing(r, d, a) // no DM: the token no longer works
		},
	},
	{
		name: "tokens_revoked/the bot's token", sample: "tokens_revoked", covers: []string{"event:tokens_revoked"},
		setup: func(r *replay) { r.schedule() },
		effect: func(r *replay, d slacktest.Delivery, a slacktest.Ack) {
			r.w.poll("schedule halted", func() bool { return r.halted(cohort) != "" })
			if got := r.halted(cohort); got != "tokens_revoked" {
				r.t.Errorf("halted = %q; want tokens_revoked", got)
			}
			expectNothing(r, d, a)
		},
	},
	{
		name: "tokens_revoked/a person's token only", sample: "tokens_revoked", covers: []string{"event:tokens_revoked"},
		setup: func(r *replay) { r.schedule() },
		fill: func(r *replay, p map[string]any) {
			event(p)["tokens"] = map[string]any{"oauth": []any{student1}, "bot": []any{}}
		},
		effect: func(r *replay, d slacktest.Delivery, a slacktest.Ack) {
			expectNothing(r, d, a)
			if got := reopenSchedule(r); got.Halted != "" {
				r.t.Errorf("schedule halted (%q) when a person's token was revoked", got.Halted)
			}
		},
	},
	{
		name: "block_actions/reveal before answering", sample: "block_actions", covers: []string{"interaction:block_actions"},
		setup: func(r *replay) { r.postQuestion() },
		fill: func(r *replay, p map[string]any) {
			actions, _ := p["actions"].([]any)
			actions[0].(map[string]any)["value"] = questionIDOf(r.t, r.post)
		},
		effect: func(r *replay, d slacktest.Delivery, _ slacktest.Ack) {
			body := r.waitResponse(d)
			if got := toJSON(body); !strings.Contains(got, "Answer first, then look") || !strings.Contains(got, "prep_reveal_anyway") {
				r.t.Errorf("answer to the click = %s; want the answer-first nudge", got)
			}
		},
	},
	{
		name: "view_submission/question added", sample: "view_submission", covers: []string{"interaction:view_submission"},
		fill: func(r *replay, p map[string]any) {
			p["user"].(map[string]any)["id"] = instructor
			values := map[string]any{}
			for field, v := range map[string]string{
				"topic": "databases", "difficulty": "medium", "question": "What is a write-ahead log?",
				"answer": goodAnswer(), "key_points": "durability\nreplay after a crash",
			} {
				values[field] = map[string]any{field: map[string]any{"type": "plain_text_input", "value": v}}
			}
			p["view"].(map[string]any)["state"] = map[string]any{"values": values}
		},
		committed: func(r *replay) bool {
			qs, err := r.db.Questions()
			return err == nil && slices.ContainsFunc(qs, func(q store.QuestionRecord) bool { return q.ID == "databases/write-ahead-log" })
		},
		effect: func(r *replay, _ slacktest.Delivery, a slacktest.Ack) {
			if len(a.Payload) > 0 && string(a.Payload) != "null" && string(a.Payload) != "{}" {
				r.t.Errorf("ack payload = %s; want none (the modal closes)", a.Payload)
			}
			r.w.waitFor("the confirmation DM", func() bool { return len(r.w.dm(instructor)) == 1 })
			if got := r.w.dm(instructor)[0].Text; !strings.Contains(got, "Added `databases/write-ahead-log`") {
				r.t.Errorf("confirmation = %q", got)
			}
		},
	},
	{
		// prepbot's modals do not set notify_on_close; Slack sends
		// view_closed only for those that do. Nothing to do either way.
		name: "view_closed/ignored", sample: "view_closed", covers: []string{"interaction:view_closed"},
		effect: expectNothing,
	},
	{
		name: "slash_command/ask", sample: "slash_command", covers: []string{"command:/prep"},
		fill: func(r *replay, p map[string]any) { p["text"] = "ask databases" },
		effect: func(r *replay, d slacktest.Delivery, _ slacktest.Ack) {
			if got := toJSON(r.waitResponse(d)); !strings.Contains(got, "Test question number") {
				r.t.Errorf("answer to /prep ask databases = %s; want a question", got)
			}
		},
	},
}

// event returns a payload's inner event.
func event(p map[string]any) map[string]any {
	e, _ := p["event"].(map[string]any)
	return e
}

func expectReplyText(want string) func(r *replay, _ slacktest.Delivery, _ slacktest.Ack) {
	return func(r *replay, _ slacktest.Delivery, _ slacktest.Ack) {
		rep, ok := r.reply()
		if !ok {
			r.t.Fatalf("reply %s not recorded", r.replyTS)
		}
		if rep.User != student1 || rep.Text != want {
			r.t.Errorf("recorded reply = %s by %s; want %q by %s", rep.Text, rep.User, want, student1)
		}
	}
}

// expectNothing checks a deliberate no-op: once the bot has drained,
// nothing was sent and nothing changed.
func expectNothing(r *replay, _ slacktest.Delivery, _ slacktest.Ack) {
	r.t.Helper()
	if r.post.TS != "" {
		if replies, _ := r.db.Replies(r.channel, r.post.TS); len(replies) != 0 {
			r.t.Errorf("replies = %+v; want none", replies)
		}
	}
	r.sentNothing()
}

// reopenSchedule reads the cohort's schedule after the bot stopped.
func reopenSchedule(r *replay) store.Schedule {
	r.t.Helper()
	db, err := store.Open(r.w.db, store.Options{ReadOnly: true})
	if err != nil {
		r.t.Fatal(err)
	}
	defer db.Close()
	s, err := db.Schedule(cohort)
	if err != nil {
		r.t.Fatal(err)
	}
	return s
}

// waitResponse waits for the bot's answer on the sample's response_url.
func (r *replay) waitResponse(d slacktest.Delivery) map[string]any {
	r.t.Helper()
	var body map[string]any
	r.w.waitFor("the answer on the response_url", func() bool {
		for _, resp := range r.w.slack.Responses() {
			if resp.ID == d.EventID {
				body = resp.Body
				return true
			}
		}
		return false
	})
	return body
}

// fillSample maps the samples' workspace onto the world's, in every string
// of the payload, and undoes one artefact of the samples' generic fill:
// every bot_id is the app's, even on a person's message, where Slack sends
// none (a message with a bot_id is a bot's, and the bot ignores it).
func (r *replay) fillSample(name string, p map[string]any) {
	pairs := []string{sampleCohort, cohort, samplePrivate, private, sampleAna, student1, sampleBo, instructor,
		sampleReply, cmpOr(r.replyTS, sampleReply), sampleEdit, cmpOr(r.editTS, sampleEdit)}
	if r.post.TS != "" {
		pairs = append(pairs, sampleParent, r.post.TS)
	}
	repl := strings.NewReplacer(pairs...)
	p2 := mapStrings(p, repl.Replace).(map[string]any)
	for k := range p {
		delete(p, k)
	}
	for k, v := range p2 {
		p[k] = v
	}
	if e := event(p); e != nil && name != "bot_message" {
		for _, m := range []any{e, e["message"], e["previous_message"]} {
			if m, ok := m.(map[string]any); ok && m["user"] != nil && m["user"] != "" {
				if _, has := m["bot_id"]; has {
					m["bot_id"] = ""
				}
			}
		}
	}
	// A case set in the private channel moves the sample there.
	if e := event(p); e != nil && r.channel == private && e["channel"] == cohort {
		e["channel"] = private
	}
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// mapStrings returns v with f applied to every string value (not keys).
func mapStrings(v any, f func(string) string) any {
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, val := range x {
			out[k] = mapStrings(val, f)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, val := range x {
			out[i] = mapStrings(val, f)
		}
		return out
	case string:
		return f(x)
	}
	return v
}

// ackProbe evaluates, as each ack arrives, whether the case's commit had
// happened by then.
type ackProbe struct {
	mu    sync.Mutex
	check func() bool
	at    map[string]bool // envelope ID -> check at its ack
}

func (p *ackProbe) onAck(a slacktest.Ack) {
	p.mu.Lock()
	check := p.check
	p.mu.Unlock()
	if check == nil {
		return
	}
	ok := check()
	p.mu.Lock()
	p.at[a.EnvelopeID] = ok
	p.mu.Unlock()
}

func (p *ackProbe) result(envelopeID string) (ok, seen bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	ok, seen = p.at[envelopeID]
	return ok, seen
}

func TestSampleReplay(t *testing.T) {
	t.Parallel()
	for _, c := range replayCases {
		t.Run(c.name, func(t *testing.T) {
			w := newWorld(t, smallBank(t, 3))
			w.slack.AddChannel(slacktest.Channel{ID: private, Name: "cohort-private", BotMember: true})
			w.start()
			r := &replay{t: t, w: w, db: w.store, channel: cohort}
			if c.setup != nil {
				c.setup(r)
			}
			if r.replyTS != "" {
				r.editTS = tsAfter(r.replyTS, time.Minute)
			}
			probe := &ackProbe{at: map[string]bool{}}
			if c.committed != nil {
				probe.check = func() bool { return c.committed(r) }
				w.slack.OnAck(probe.onAck)
			}
			r.before = r.writes()
			d, err := w.slack.SendSample(c.sample, func(p map[string]any) {
				r.fillSample(c.sample, p)
				if c.fill != nil {
					c.fill(r, p)
				}
			})
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			ack, err := w.slack.WaitAck(ctx, d.EnvelopeID)
			if err != nil {
				t.Fatalf("%s was never acknowledged: %v\nlogs:\n%s", c.sample, err, w.logs)
			}
			if ack.Error != "" {
				t.Errorf("ack refused by Slack's rules: %s", ack.Error)
			}
			if c.committed != nil {
				// The fake records the ack a moment before it calls the probe.
				var ok bool
				w.poll("the ack probe", func() bool { var seen bool; ok, seen = probe.result(d.EnvelopeID); return seen })
				if !ok {
					t.Errorf("%s was acknowledged before its commit", c.sample)
				}
				w.slack.OnAck(nil)
			}
			c.effect(r, d, ack)
			if w.stop != nil {
				w.stop() // drain: an error logged after the effect counts too
			}
			if logs := w.logs.String(); strings.Contains(logs, "level=ERROR") {
				t.Errorf("errors logged:\n%s", errorLines(logs))
			}
		})
	}
}

func errorLines(logs string) string {
	var out []string
	for _, l := range strings.Split(logs, "\n") {
		if strings.Contains(l, "level=ERROR") {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

// tsAfter returns a Slack timestamp d after ts.
func tsAfter(ts string, d time.Duration) string {
	us := slacktest.TSMicros(ts) + d.Microseconds()
	return fmt.Sprintf("%d.%06d", us/1_000_000, us%1_000_000)
}

// TestReplayCoversManifest fails when the manifest subscribes to an event,
// or enables an interaction or a command, that no replayed sample sends,
// and when a sample of the fake is replayed by no case.
func TestReplayCoversManifest(t *testing.T) {
	t.Parallel()
	raw, err := os.ReadFile("../manifest.yml")
	if err != nil {
		t.Fatal(err)
	}
	var m struct {
		Features struct {
			SlashCommands []struct {
				Command string `yaml:"command"`
			} `yaml:"slash_commands"`
		} `yaml:"features"`
		Settings struct {
			EventSubscriptions struct {
				BotEvents []string `yaml:"bot_events"`
			} `yaml:"event_subscriptions"`
			Interactivity struct {
				IsEnabled bool `yaml:"is_enabled"`
			} `yaml:"interactivity"`
		} `yaml:"settings"`
	}
	if err := yaml.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, e := range m.Settings.EventSubscriptions.BotEvents {
		want = append(want, "event:"+e)
	}
	if m.Settings.Interactivity.IsEnabled {
		// Interactivity delivers these to an app with buttons and modals.
		want = append(want, "interaction:block_actions", "interaction:view_submission", "interaction:view_closed")
	}
	for _, c := range m.Features.SlashCommands {
		want = append(want, "command:"+c.Command)
	}
	covered := map[string]bool{}
	replayed := map[string]bool{}
	for _, c := range replayCases {
		for _, what := range c.covers {
			covered[what] = true
		}
		replayed[c.sample] = true
	}
	sort.Strings(want)
	for _, w := range want {
		if !covered[w] {
			t.Errorf("manifest.yml has %s, which no case of TestSampleReplay sends", w)
		}
	}
	for what := range covered {
		if !slices.Contains(want, what) {
			t.Errorf("a replay case covers %s, which manifest.yml does not have", what)
		}
	}
	for _, name := range slacktest.SampleNames() {
		if !replayed[name] {
			t.Errorf("sample %s is replayed by no case of TestSampleReplay", name)
		}
	}
	if len(want) < 10 {
		t.Errorf("manifest has only %v; the parse found too little", want)
	}
}
