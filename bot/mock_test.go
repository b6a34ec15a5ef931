package bot_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"image/color"
	"image/png"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/prepbot/prepbot/bot/render"
	"github.com/prepbot/prepbot/internal/chart"
	"github.com/prepbot/prepbot/internal/slacktest"
	"github.com/prepbot/prepbot/store"
)

// The world's clock starts on Monday 2026-11-23 at 08:00 UTC; rounds run
// on Mondays at 10:00 UTC.
var firstRound = time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)

// mockWorld is a world whose cohort has n members in mock interviews.
func mockWorld(t *testing.T, n int) (*world, []string) {
	t.Helper()
	w := newWorld(t, nil) // the embedded bank: technical and behavioural questions
	var members []string
	for i := range n {
		id := fmt.Sprintf("UM%03d", i)
		w.slack.AddUser(slacktest.User{ID: id, Name: fmt.Sprintf("member%03d", i), RealName: fmt.Sprintf("Member %03d", i)})
		members = append(members, id)
	}
	w.start()
	w.expectReply(instructor, cohort, "mock every mon 10:00 UTC", "Mock interviews are on: a round every Monday 10:00 UTC")
	for _, m := range members {
		w.expectReply(m, cohort, "mock join", "You're in")
	}
	return w, members
}

// blockIDs lists the block IDs of a message.
func blockIDs(t testing.TB, m slacktest.Message) []string {
	t.Helper()
	var blocks []map[string]any
	if err := json.Unmarshal(m.Blocks, &blocks); err != nil {
		t.Fatalf("blocks of %s: %v", m.TS, err)
	}
	var out []string
	for _, b := range blocks {
		if id, _ := b["block_id"].(string); id != "" {
			out = append(out, id)
		}
	}
	return out
}

// withBlock returns the messages of channel with a block whose ID is id.
func (w *world) withBlock(channel, id string) []slacktest.Message {
	var out []slacktest.Message
	for _, m := range w.slack.Messages(channel) {
		if slices.Contains(blockIDs(w.t, m), id) {
			out = append(out, m)
		}
	}
	return out
}

// mockOutcome is what a round sent, read from Slack.
type mockOutcome struct {
	announcements []slacktest.Message
	groups        map[string][]string // group DM ID -> members
	intros        map[string]int      // group DM ID -> intro messages for the round
	packets       map[string]int      // interviewer + candidate -> packets
}

func (w *world) mockOutcome(at time.Time, members []string) mockOutcome {
	w.t.Helper()
	o := mockOutcome{groups: map[string][]string{}, intros: map[string]int{}, packets: map[string]int{}}
	o.announcements = w.withBlock(cohort, render.MockBlockID(at))
	for _, g := range w.slack.GroupDMs() {
		for _, m := range w.slack.Messages(g.ID) {
			for _, id := range blockIDs(w.t, m) {
				if strings.HasPrefix(id, render.MockBlockID(at)+"-g") {
					o.groups[g.ID] = g.Members
					o.intros[g.ID]++
				}
			}
		}
	}
	for _, u := range members {
		for _, m := range w.slack.Messages("D" + u) {
			for _, c := range members {
				if slices.Contains(blockIDs(w.t, m), render.MockPacketBlockID(at, c)) {
					o.packets[u+">"+c]++
				}
			}
		}
	}
	return o
}

func (w *world) mockRound(at time.Time) store.MockRound {
	w.t.Helper()
	r, err := w.store.MockRound(cohort, at)
	if err != nil {
		w.t.Fatalf("round at %s: %v", at, err)
	}
	return r
}

// checkRound checks that a round paired everyone once, announced once, and
// sent each group one intro and each interviewer one packet per candidate,
// with the candidates never seeing their answers.
func (w *world) checkRound(at time.Time, members []string) store.MockRound {
	w.t.Helper()
	o := w.mockOutcome(at, members)
	if len(o.announcements) != 1 {
		w.t.Fatalf("%d announcements of the round; want exactly 1", len(o.announcements))
	}
	ann := o.announcements[0]
	if strings.Contains(string(ann.Blocks), "<@") || strings.Contains(ann.Text, "<@") {
		w.t.Errorf("the announcement pings people: %s", ann.Blocks)
	}
	r := w.mockRound(at)
	seen := map[string]int{}
	trios := 0
	for _, g := range r.Groups {
		for _, m := range g.Members() {
			seen[m]++
		}
		if len(g.Candidates) == 2 {
			trios++
		}
		if len(g.Candidates) < 1 || len(g.Candidates) > 2 {
			w.t.Errorf("group %+v has %d candidates", g, len(g.Candidates))
		}
		listed := strings.Contains(string(ann.Blocks), fmt.Sprintf("member%s interviews", strings.TrimPrefix(g.Interviewer, "UM")))
		if len(r.Groups) <= render.MaxListedGroups && !listed {
			w.t.Errorf("the announcement does not name %s as an interviewer: %s", g.Interviewer, ann.Blocks)
		}
		if o.intros[g.DM] != 1 || !slices.Equal(o.groups[g.DM], sorted(g.Members())) {
			w.t.Errorf("group %v: %d intros in group DM %s (members %v); want 1 with exactly the group", g.Members(), o.intros[g.DM], g.DM, o.groups[g.DM])
		}
		for _, c := range g.Candidates {
			if n := o.packets[g.Interviewer+">"+c]; n != 1 {
				w.t.Errorf("interviewer %s got %d packets for %s; want 1", g.Interviewer, n, c)
			}
			if len(g.Questions[c]) != 3 {
				w.t.Errorf("candidate %s has questions %v; want 2 technical and 1 behavioural", c, g.Questions[c])
			}
			// The candidate's answers never reach them before the interview.
			for _, m := range append(w.slack.Messages("D"+c), w.slack.Messages(g.DM)...) {
				if strings.Contains(string(m.Blocks), "Interviewer checklist") || strings.Contains(string(m.Blocks), "Key points") {
					w.t.Errorf("candidate %s can see interviewer material in %s: %.200s", c, m.Channel, m.Blocks)
				}
			}
		}
	}
	for _, m := range members {
		if seen[m] != 1 {
			w.t.Errorf("%s is in %d groups; want exactly 1", m, seen[m])
		}
	}
	if want := len(members) % 2; trios != want {
		w.t.Errorf("%d trios for %d members; want %d", trios, len(members), want)
	}
	if len(o.groups) != len(members)/2 {
		w.t.Errorf("%d group DMs; want %d", len(o.groups), len(members)/2)
	}
	return r
}

func sorted(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}

func TestMockRoundPairsEveryoneOnce(t *testing.T) {
	t.Parallel()
	for _, n := range []int{2, 3, 7, 30} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			t.Parallel()
			w, members := mockWorld(t, n)
			w.settled(firstRound)
			w.checkRound(firstRound, members)
			// A second restart and pass sends nothing more.
			before := len(w.slack.Calls("chat.postMessage"))
			w.settled(firstRound.Add(time.Minute))
			if after := len(w.slack.Calls("chat.postMessage")); after != before {
				t.Errorf("%d more posts after a restart; want none", after-before)
			}
		})
	}
}

func TestMockPairsDoNotRepeatUntilAllHaveMet(t *testing.T) {
	t.Parallel()
	w, members := mockWorld(t, 6)
	// 6 people have 15 pairs: 5 rounds of 3 meet every pair exactly once.
	// A repeated pair would reuse its group DM (Slack keeps one per set
	// of people), so 15 group DMs of one intro each prove it.
	var rounds []store.MockRound
	for week := range 6 {
		at := firstRound.AddDate(0, 0, 7*week)
		w.settled(at)
		rounds = append(rounds, w.checkRoundOnce(at, members))
		if week == 4 {
			dms := w.slack.GroupDMs()
			if len(dms) != 15 {
				t.Fatalf("after 5 rounds, %d group DMs; want 15 (every pair once)", len(dms))
			}
			for _, g := range dms {
				if n := len(w.slack.Messages(g.ID)); n != 1 {
					t.Errorf("group DM %v has %d messages after 5 rounds; want 1", g.Members, n)
				}
			}
		}
	}
	// Then the pairs that met longest ago come first: round 6 is round 1.
	if a, b := pairsOf(rounds[0]), pairsOf(rounds[5]); !slices.Equal(a, b) {
		t.Errorf("round 6 pairs %v; want round 1's %v (the oldest pairs)", b, a)
	}
	// Roles alternate: nobody interviews two rounds running while their
	// partner has not interviewed at all.
	led := map[string]int{}
	for _, r := range rounds[:5] {
		for _, g := range r.Groups {
			led[g.Interviewer]++
		}
	}
	for _, m := range members {
		if led[m] < 2 || led[m] > 3 {
			t.Errorf("%s interviewed in %d of 5 rounds; want 2 or 3", m, led[m])
		}
	}
}

// checkRoundOnce checks one announcement and returns the round.
func (w *world) checkRoundOnce(at time.Time, members []string) store.MockRound {
	w.t.Helper()
	if n := len(w.withBlock(cohort, render.MockBlockID(at))); n != 1 {
		w.t.Fatalf("round at %s: %d announcements; want 1", at, n)
	}
	return w.mockRound(at)
}

func pairsOf(r store.MockRound) []string {
	var out []string
	for _, g := range r.Groups {
		out = append(out, strings.Join(sorted(g.Members()), "+"))
	}
	slices.Sort(out)
	return out
}

func TestMockRestartMidRoundSendsNothingTwice(t *testing.T) {
	t.Parallel()
	// chat.postMessage calls of a 5-person round: the announcement, then
	// per group its intro and its interviewer's packets.
	for _, call := range []int{1, 2, 3, 5} {
		t.Run(fmt.Sprintf("hang up on post %d", call), func(t *testing.T) {
			t.Parallel()
			w, members := mockWorld(t, 5)
			w.slack.HangUpAfterCall("chat.postMessage", call)
			// The post is made, the answer lost; the job gives up and the
			// restart carries on from the record.
			w.settled(firstRound)
			w.poll("the round to be sent after the restart", func() bool {
				c, err := w.store.MockConfig(cohort)
				return err == nil && c.LatestDone
			})
			w.settled(firstRound.Add(time.Minute))
			w.checkRound(firstRound, members)
			if got := len(w.slack.Calls("conversations.history")); got == 0 {
				t.Errorf("no conversations.history call: the restart did not look for the lost post")
			}
		})
	}
}

func TestMockMemberLeavesMidWeek(t *testing.T) {
	t.Parallel()
	w, members := mockWorld(t, 4)
	w.settled(firstRound)
	r := w.checkRound(firstRound, members)
	leaver := r.Groups[0].Candidates[0]
	partner := r.Groups[0].Interviewer
	dm := r.Groups[0].DM
	w.clock.Set(firstRound.Add(2 * time.Hour))
	w.expectReply(leaver, cohort, "mock leave", "Your group this week has been told")
	w.waitFor("the group to hear", func() bool { return len(w.slack.Messages(dm)) == 2 })
	if got := w.slack.Messages(dm)[1].Text; !strings.Contains(got, "this week's interview is off") {
		t.Errorf("the group DM says %q; want the interview called off", got)
	}
	// The next day's reminders skip the called-off group.
	w.settled(firstRound.Add(25 * time.Hour))
	for _, u := range []string{leaver, partner} {
		for _, m := range w.slack.Messages("D" + u) {
			if strings.Contains(m.Text, "How did your mock interview go") {
				t.Errorf("%s was reminded about a called-off interview", u)
			}
		}
	}
	other := r.Groups[1].Members()
	for _, u := range other {
		n := 0
		for _, m := range w.slack.Messages("D" + u) {
			if strings.Contains(m.Text, "How did your mock interview go") {
				n++
			}
		}
		if n != 1 {
			t.Errorf("%s got %d form reminders; want 1", u, n)
		}
	}
	// The next round pairs the three who stayed.
	next := firstRound.AddDate(0, 0, 7)
	w.settled(next)
	r2 := w.mockRound(next)
	if r2.GroupOf(leaver) >= 0 || len(r2.Groups) != 1 || len(r2.Groups[0].Members()) != 3 {
		t.Errorf("next round's groups = %+v; want one trio without %s", r2.Groups, leaver)
	}
	w.expectReply(leaver, cohort, "mock", "You're not in")
}

// formOf opens the form from a button in channel as user and returns it.
func (w *world) openMockForm(user, channel string, at time.Time) json.RawMessage {
	w.t.Helper()
	n := len(w.slack.Modals())
	w.slack.Click(user, channel, "", render.ActionMockForm, render.MockFormValue(cohort, at), false)
	w.waitFor("the form", func() bool { return len(w.slack.Modals()) > n })
	return w.slack.Modals()[n]
}

func TestMockFormsFeedTheCandidatesDeck(t *testing.T) {
	t.Parallel()
	w, members := mockWorld(t, 2)
	w.settled(firstRound)
	r := w.checkRound(firstRound, members)
	g := r.Groups[0]
	cand := g.Candidates[0]
	qs := g.Questions[cand]

	view := w.openMockForm(g.Interviewer, g.DM, firstRound)
	if !strings.Contains(string(view), "A note for the candidate") {
		t.Fatalf("the interviewer's form has no note field: %s", view)
	}
	env, err := w.slack.FillModal(g.Interviewer, view, map[string]string{
		render.FieldHappened:                          "yes",
		render.FieldRatingPrefix + cand + "|" + qs[0]: "again",
		render.FieldRatingPrefix + cand + "|" + qs[1]: "good",
		render.FieldNote:                              "Clear on the why; rehearse <!channel> the trade-offs.",
	})
	if err != nil {
		t.Fatal(err)
	}
	w.sendAndAck(slacktest.Delivery{EnvelopeID: env})
	if ack, _ := w.slack.Ack(env); strings.Contains(string(ack.Payload), "errors") {
		t.Fatalf("the form was refused: %s", ack.Payload)
	}
	w.waitFor("the note", func() bool {
		for _, m := range w.slack.Messages("D" + cand) {
			if strings.Contains(string(m.Blocks), "left you a note") {
				return true
			}
		}
		return false
	})
	for _, m := range w.slack.Messages("D" + cand) {
		if strings.Contains(string(m.Blocks), "<!channel>") {
			t.Errorf("the note broadcasts: %s", m.Blocks)
		}
	}
	card, err := w.store.Card(cand, qs[0])
	if err != nil || card.History[len(card.History)-1].Rating != "again" {
		t.Fatalf("candidate's card for %s = %+v, %v; want an Again review", qs[0], card, err)
	}
	// Again is due the next day in the candidate's zone (the fake's
	// default, New York).
	ny, _ := time.LoadLocation("America/New_York")
	if got := card.Due.In(ny).Format(time.DateOnly); got != "2026-11-24" {
		t.Errorf("Again is due %s; want the next day, 2026-11-24", got)
	}
	if c, err := w.store.Card(cand, qs[1]); err != nil || c.History[0].Rating != "good" {
		t.Errorf("card for %s = %+v, %v; want a Good review", qs[1], c, err)
	}
	if _, err := w.store.Card(g.Interviewer, qs[0]); err == nil {
		t.Errorf("the interviewer's own deck got the candidate's rating")
	}

	// The candidate's own rating of the same question in this round does
	// not add a second review.
	view = w.openMockForm(cand, g.DM, firstRound)
	if strings.Contains(string(view), "A note for the candidate") {
		t.Errorf("the candidate's form asks for a note for themselves")
	}
	env, err = w.slack.FillModal(cand, view, map[string]string{render.FieldHappened: "yes", render.FieldRatingPrefix + cand + "|" + qs[0]: "easy"})
	if err != nil {
		t.Fatal(err)
	}
	w.sendAndAck(slacktest.Delivery{EnvelopeID: env})
	if card, _ := w.store.Card(cand, qs[0]); len(card.History) != 1 {
		t.Errorf("card for %s has %d reviews after both forms; want 1 for the round", qs[0], len(card.History))
	}
	// A form for a question outside the candidate's packet is refused
	// by the form itself: FillModal cannot even fill it.
	if _, err := w.slack.FillModal(cand, view, map[string]string{render.FieldRatingPrefix + g.Interviewer + "|" + qs[0]: "easy"}); err == nil {
		t.Errorf("the candidate's form offers ratings for the interviewer")
	}

	// Both forms are in: nobody is reminded the next day.
	w.settled(firstRound.Add(25 * time.Hour))
	for _, u := range members {
		for _, m := range w.slack.Messages("D" + u) {
			if strings.Contains(m.Text, "How did your mock interview go") {
				t.Errorf("%s was reminded although their form is in", u)
			}
		}
	}
	w.expectReply(cand, cohort, "stats", "1 mock interview done (0 as the interviewer)")
	w.expectReply(g.Interviewer, cohort, "stats", "1 mock interview done (1 as the interviewer)")
	d := w.slack.AppHomeOpened(cand)
	w.sendAndAck(d)
	w.waitFor("App Home", func() bool { return strings.Contains(string(w.slack.HomeView(cand)), "1 mock interview done") })
}

func TestMockFormReminderOnceNextDay(t *testing.T) {
	t.Parallel()
	w, members := mockWorld(t, 2)
	w.settled(firstRound)
	w.settled(firstRound.Add(23 * time.Hour))
	count := func(u string) int {
		n := 0
		for _, m := range w.slack.Messages("D" + u) {
			if strings.Contains(m.Text, "How did your mock interview go") {
				n++
			}
		}
		return n
	}
	for _, u := range members {
		if count(u) != 0 {
			t.Errorf("%s reminded before a day had passed", u)
		}
	}
	w.settled(firstRound.Add(24 * time.Hour))
	w.settled(firstRound.Add(48 * time.Hour))
	for _, u := range members {
		if n := count(u); n != 1 {
			t.Errorf("%s got %d reminders; want exactly 1", u, n)
		}
	}
}

func TestMockCommandsRefuseBadInput(t *testing.T) {
	t.Parallel()
	w := newWorld(t, smallBank(t, 5))
	w.start()
	w.expectReply(student1, cohort, "mock join", "no mock interviews in this channel yet")
	w.expectReply(student1, cohort, "mock on", "Only this channel's admins")
	w.expectReply(instructor, cohort, "mock every someday 10:00", "is not a day of the week")
	w.expectReply(instructor, cohort, "mock every mon 25:00", "is not a time")
	w.expectReply(instructor, cohort, "mock every mon 10:00 Mars/Olympus", "is not a time zone")
	w.expectReply(instructor, cohort, "mock fly", "I don't know `mock fly`")
	w.expectReply(instructor, outside, "mock on", "I'm not in this channel")
	if _, err := w.store.MockConfig(cohort); err == nil {
		t.Errorf("bad input stored mock settings")
	}
	w.expectReply(instructor, cohort, "mock on", "a round every Monday 10:00 UTC")
	w.expectReply(student1, cohort, "mock skip", "not in the mock interviews")
	w.expectReply(student1, cohort, "mock join", "You're in")
	w.expectReply(student1, cohort, "mock join", "already in")
	w.expectReply(student1, cohort, "mock skip", "sit out the next round")
	w.expectReply(student1, cohort, "mock", "sitting out the next round")
}

func TestMockForgetMeLeavesPairingHistory(t *testing.T) {
	t.Parallel()
	w, members := mockWorld(t, 4)
	w.settled(firstRound)
	gone := members[0]
	w.slack.Click(gone, "D"+gone, "", render.ActionForgetConfirm, "", false)
	w.poll("forget-me", func() bool {
		rounds, _ := w.store.MockRoundsOf(gone)
		return len(rounds) == 0
	})
	c, _ := w.store.MockConfig(cohort)
	if slices.Contains(c.Members, gone) {
		t.Errorf("members still list %s", gone)
	}
	rounds, _ := w.store.MockRounds(cohort)
	raw, _ := json.Marshal(rounds)
	if strings.Contains(string(raw), gone) {
		t.Errorf("the rounds still name %s: %s", gone, raw)
	}
	next := firstRound.AddDate(0, 0, 7)
	w.settled(next)
	if r := w.mockRound(next); r.GroupOf(gone) >= 0 {
		t.Errorf("a forgotten person was paired again")
	}
}

func TestMockInsightsCountInterviewsAndSendCharts(t *testing.T) {
	t.Parallel()
	w, _ := mockWorld(t, 2)
	w.settled(firstRound)
	r := w.mockRound(firstRound)
	g := r.Groups[0]
	view := w.openMockForm(g.Interviewer, g.DM, firstRound)
	env, err := w.slack.FillModal(g.Interviewer, view, map[string]string{render.FieldHappened: "yes"})
	if err != nil {
		t.Fatal(err)
	}
	w.sendAndAck(slacktest.Delivery{EnvelopeID: env})
	w.poll("the form", func() bool { r, _ := w.store.MockRound(cohort, firstRound); return r.Happened(0) })

	// The admins' part of App Home summarises the cohort; a student's
	// App Home has none of it.
	for _, u := range []string{instructor, g.Candidates[0]} {
		before := string(w.slack.HomeView(u))
		w.slack.AppHomeOpened(u)
		w.waitFor("App Home for "+u, func() bool { h := string(w.slack.HomeView(u)); return h != "" && h != before })
	}
	unescape := strings.NewReplacer(`\u003c`, "<", `\u003e`, ">", `\u0026`, "&")
	home := unescape.Replace(string(w.slack.HomeView(instructor)))
	for _, want := range []string{"Your cohorts", "<#" + cohort + ">", "2 people have taken part", "This week: 0 question(s), 0 answers from 0 people, 1 mock interview."} {
		if !strings.Contains(home, want) {
			t.Errorf("the instructor's App Home lacks %q:\n%s", want, home)
		}
	}
	if home := string(w.slack.HomeView(g.Candidates[0])); strings.Contains(home, "Your cohorts") || !strings.Contains(home, "1 mock interview done") {
		t.Errorf("a student's App Home: want their mock interview and no cohort summary:\n%s", home)
	}

	got := w.command(instructor, cohort, "insights")
	for _, want := range []string{"2 people have taken part here", "mock interviews", "· 0 · 0 · 0 · 1", "Charts"} {
		if !strings.Contains(got, want) {
			t.Errorf("insights lack %q:\n%s", want, got)
		}
	}
	w.waitFor("two charts", func() bool { return len(w.slack.Uploads()) == 2 })
	for _, u := range w.slack.Uploads() {
		if u.Channel != "D"+instructor {
			t.Errorf("chart %s went to %s; want the instructor's DM", u.Filename, u.Channel)
		}
		img, err := png.Decode(bytes.NewReader(u.Content))
		if err != nil {
			t.Fatalf("%s is not a PNG: %v", u.Filename, err)
		}
		if img.Bounds().Dx() != 900 || img.Bounds().Dy() < 90 {
			t.Errorf("%s is %v; want 900 px wide", u.Filename, img.Bounds())
		}
		// Loosely: the bars are there, in the chart's own colours.
		colours := map[color.RGBA]int{}
		for y := img.Bounds().Min.Y; y < img.Bounds().Max.Y; y++ {
			for x := img.Bounds().Min.X; x < img.Bounds().Max.X; x++ {
				r, g, b, _ := img.At(x, y).RGBA()
				colours[color.RGBA{uint8(r >> 8), uint8(g >> 8), uint8(b >> 8), 255}]++
			}
		}
		// participation: one mock interview this week, in the third
		// series' colour; strength: no ratings or thread answers yet, so
		// "No data yet" and no bars at all.
		switch u.Filename {
		case "participation.png":
			if colours[chart.Palette[2]] == 0 {
				t.Errorf("participation chart has no mock-interview bar")
			}
			if colours[chart.Palette[0]] != 0 {
				t.Errorf("participation chart has answer bars, but nobody answered")
			}
		case "topic-strength.png":
			if colours[chart.Palette[0]] != 0 {
				t.Errorf("strength chart has bars without any ratings")
			}
		default:
			t.Errorf("unexpected upload %s", u.Filename)
		}
	}
}

func TestMockArchivedChannelTurnsRoundsOff(t *testing.T) {
	t.Parallel()
	w, _ := mockWorld(t, 2)
	w.slack.SetChannel(cohort, func(c *slacktest.Channel) { c.IsArchived = true })
	w.sendSampleAcked("channel_archive", onWorld(cohort))
	w.waitFor("the DM to the admin", func() bool { return len(w.dm(instructor)) == 1 })
	if got := w.dm(instructor)[0].Text; !strings.Contains(got, "mock interview rounds are off") || !strings.Contains(got, "/prep mock on") {
		t.Errorf("DM to the admin = %q; want it to say the rounds are off and how to restart", got)
	}
	w.sendSampleAcked("channel_archive", onWorld(cohort)) // told once
	w.settled(firstRound)
	if n := len(w.withBlock(cohort, render.MockBlockID(firstRound))); n != 0 {
		t.Errorf("%d announcements in an archived channel", n)
	}
	if c, _ := w.store.MockConfig(cohort); c.On || len(c.Members) != 2 {
		t.Errorf("mock settings after the archive = %+v; want off, members kept", c)
	}
	if n := len(w.dm(instructor)); n != 1 {
		t.Errorf("%d DMs to the admin; want 1", n)
	}
}

func TestMockTrioGoesOnWhenItsInterviewerLeaves(t *testing.T) {
	t.Parallel()
	w, members := mockWorld(t, 3)
	w.settled(firstRound)
	r := w.checkRound(firstRound, members)
	g := r.Groups[0]
	w.expectReply(g.Interviewer, cohort, "mock leave", "Your group this week has been told")
	next, other := g.Candidates[0], g.Candidates[1]
	w.waitFor("the new interviewer's packet", func() bool {
		return len(w.withBlock("D"+next, render.MockPacketBlockID(firstRound, other))) == 1
	})
	msgs := w.slack.Messages(g.DM)
	if last := msgs[len(msgs)-1].Text; !strings.Contains(last, "<@"+next+"> interviews <@"+other+">") {
		t.Errorf("the group DM says %q; want %s to interview %s now", last, next, other)
	}
	if n := len(w.withBlock("D"+other, render.MockPacketBlockID(firstRound, next))); n != 0 {
		t.Errorf("the remaining candidate got a packet about the new interviewer")
	}
	if got := w.mockRound(firstRound).Groups[0]; got.Interviewer != next || !slices.Equal(got.Candidates, []string{other}) || got.Off {
		t.Errorf("the trio after its interviewer left = %+v", got)
	}
}
