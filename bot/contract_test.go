package bot_test

// End-to-end tests of the product contract (README.md, "In Slack"): each drives the
// real bot through the Slack fake, as a user would in Slack.

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/prepbot/prepbot/internal/slacktest"
	"github.com/prepbot/prepbot/questions"
)

// contractBank has two questions in databases, and ten each in caching
// and security, so a question from the wrong topic is very likely to show.
func contractBank(t *testing.T) *questions.Bank {
	t.Helper()
	answer := strings.Repeat("A clear reference answer that explains what the thing is, why it matters and how it works. ", 5)
	var qs []questions.Question
	for topic, n := range map[string]int{"databases": 2, "caching": 10, "security": 10} {
		for i := range n {
			qs = append(qs, questions.Question{ID: fmt.Sprintf("%s/c%02d", topic, i), Difficulty: "medium",
				Text: fmt.Sprintf("Contract question %d about %s?", i, topic), Answer: answer, KeyPoints: []string{"one", "two"}})
		}
	}
	b, err := questions.NewBank(qs, questions.Guides{Tips: "# Tips\n\nx", Star: "# STAR\n\nx"})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// contractResponse is one POST to a response_url: its body as JSON, its
// text and its blocks.
type contractResponse struct {
	json   string
	text   string
	blocks json.RawMessage
	body   map[string]any
}

func toContractResponse(t testing.TB, r slacktest.ResponsePost) contractResponse {
	t.Helper()
	blocks, err := json.Marshal(r.Body["blocks"])
	if err != nil {
		t.Fatal(err)
	}
	text, _ := r.Body["text"].(string)
	return contractResponse{json: toJSON(r.Body), text: text, blocks: blocks, body: r.Body}
}

// contractCommand runs /prep text and returns its whole response.
func (w *world) contractCommand(user, channel, text string) contractResponse {
	w.t.Helper()
	n := len(w.slack.Responses())
	w.command(user, channel, text)
	return toContractResponse(w.t, w.slack.Responses()[n])
}

// contractClick presses a button on a message in a channel (not a DM) and
// returns the bot's answer through the response_url.
func (w *world) contractClick(user, channel, messageTS, actionID, value string, ephemeral bool) contractResponse {
	w.t.Helper()
	n := len(w.slack.Responses())
	w.slack.Click(user, channel, messageTS, actionID, value, ephemeral)
	w.waitFor("the answer to a click on "+actionID, func() bool { return len(w.slack.Responses()) > n })
	return toContractResponse(w.t, w.slack.Responses()[n])
}

// contractHasButton tells whether blocks hold a button with actionID.
func contractHasButton(t testing.TB, blocks json.RawMessage, actionID string) bool {
	t.Helper()
	var bs []map[string]any
	if err := json.Unmarshal(blocks, &bs); err != nil {
		t.Fatalf("blocks: %v\n%s", err, blocks)
	}
	for _, b := range bs {
		for _, e := range asList(b["elements"]) {
			if e["action_id"] == actionID {
				return true
			}
		}
		if acc, ok := b["accessory"].(map[string]any); ok && acc["action_id"] == actionID {
			return true
		}
	}
	return false
}

// contractRateGoodInChannel clicks Good on an ephemeral reference answer in
// a channel and checks the user's private deck then holds the card.
func contractRateGoodInChannel(t *testing.T, w *world, user, questionID string, answer contractResponse) {
	t.Helper()
	if !strings.Contains(answer.json, "Reference answer") {
		t.Fatalf("not a reference answer: %s", answer.json)
	}
	if rt := answer.body["response_type"]; rt == "in_channel" {
		t.Errorf("the reference answer was posted in the channel; want it ephemeral")
	}
	for _, a := range []string{"prep_rate_again", "prep_rate_hard", "prep_rate_good", "prep_rate_easy"} {
		if !contractHasButton(t, answer.blocks, a) {
			t.Fatalf("the reference answer has no %s button:\n%s", a, answer.blocks)
		}
	}
	value := buttonValue(t, answer.blocks, "prep_rate_good")
	conf := w.contractClick(user, cohort, "", "prep_rate_good", value, true)
	if !strings.Contains(strings.ToLower(conf.json), "good") {
		t.Errorf("rating confirmation = %s; want it to name the rating", conf.json)
	}
	card, err := w.store.Card(user, questionID)
	if err != nil {
		t.Fatalf("after rating Good, %s's deck has no card for %s: %v", user, questionID, err)
	}
	if len(card.History) != 1 || card.History[0].Rating != "good" {
		t.Errorf("%s's card for %s has history %+v; want one good rating", user, questionID, card.History)
	}
	if !card.Due.After(w.clock.Now()) {
		t.Errorf("card due %v, not after now (%v): the rating scheduled no future review", card.Due, w.clock.Now())
	}
	if got := w.command(user, cohort, "stats"); !strings.Contains(got, "1 in your deck") {
		t.Errorf("/prep stats after rating = %q; want 1 in the deck", got)
	}
	if n := len(w.posts(cohort)); n != 0 {
		t.Errorf("rating posted %d message(s) in the channel; want none", n)
	}
}

// 1a. Reveal a question from /prep ask, rate it Good: the card is in the
// user's private deck.
func TestContractRateAfterAskRevealGoesToDeck(t *testing.T) {
	t.Parallel()
	w := newWorld(t, smallBank(t, 3))
	w.start()
	q := w.contractCommand(student1, cohort, "ask")
	id := buttonValue(t, q.blocks, "prep_reveal")
	answer := w.contractClick(student1, cohort, "", "prep_reveal", id, true)
	contractRateGoodInChannel(t, w, student1, id, answer)
	// Someone else's deck is untouched.
	if cards, err := w.store.Cards(student2); err != nil || len(cards) != 0 {
		t.Errorf("Grace's deck = %d cards (err %v); want none", len(cards), err)
	}
}

// 1b. /prep answer ID, rate it Good: the card is in the user's private deck.
func TestContractRateAfterAnswerCommandGoesToDeck(t *testing.T) {
	t.Parallel()
	w := newWorld(t, smallBank(t, 3))
	w.start()
	const id = "databases/q01"
	answer := w.contractCommand(student2, cohort, "answer "+id)
	if !strings.Contains(answer.text, "Test question number 1") {
		t.Fatalf("/prep answer %s = %q", id, answer.text)
	}
	contractRateGoodInChannel(t, w, student2, id, answer)
}

// 2. Another question from /prep ask databases stays in databases and is a
// different question from the one it was clicked on.
func TestContractAnotherStaysInTopicAndDiffers(t *testing.T) {
	t.Parallel()
	w := newWorld(t, contractBank(t))
	w.start()
	q := w.contractCommand(student1, cohort, "ask databases")
	current := buttonValue(t, q.blocks, "prep_reveal")
	if !strings.HasPrefix(current, "databases/") {
		t.Fatalf("/prep ask databases gave %s", current)
	}
	same := 0
	const clicks = 8
	for i := range clicks {
		if !contractHasButton(t, q.blocks, "prep_another") {
			t.Fatalf("question %d has no prep_another button:\n%s", i, q.blocks)
		}
		q = w.contractClick(student1, cohort, "", "prep_another", buttonValue(t, q.blocks, "prep_another"), true)
		next := buttonValue(t, q.blocks, "prep_reveal")
		if !strings.HasPrefix(next, "databases/") {
			t.Errorf("click %d: another question after a databases question = %s; want databases", i+1, next)
		}
		if next == current {
			same++
		}
		current = next
	}
	if same > 0 {
		t.Errorf("%d of %d \"another question\" clicks returned the very question clicked on; databases has 2 questions, so another must differ", same, clicks)
	}
}

// 3. Reveal anyway on the nudge shows the reference answer, ephemerally.
func TestContractRevealAnywayShowsTheAnswer(t *testing.T) {
	t.Parallel()
	w := newWorld(t, smallBank(t, 3))
	w.start()
	post := w.postNow()
	id := questionIDOf(t, post)
	nudge := w.contractClick(student1, cohort, post.TS, "prep_reveal", id, false)
	if strings.Contains(nudge.json, "Reference answer") || !contractHasButton(t, nudge.blocks, "prep_reveal_anyway") {
		t.Fatalf("reveal before answering = %s; want a nudge with prep_reveal_anyway and no answer", nudge.json)
	}
	got := w.contractClick(student1, cohort, "", "prep_reveal_anyway", buttonValue(t, nudge.blocks, "prep_reveal_anyway"), true)
	q, _ := w.bank.Get(id)
	if !strings.Contains(got.json, "Reference answer") || !strings.Contains(got.json, "An index is a sorted structure") || !strings.Contains(got.json, q.Text) {
		t.Errorf("reveal anyway = %s; want the reference answer to %s", got.json, id)
	}
	if rt := got.body["response_type"]; rt == "in_channel" {
		t.Errorf("reveal anyway response_type = %v; want ephemeral", rt)
	}
	if n := len(w.threadReplies(cohort, post.TS)); n != 0 {
		t.Errorf("reveal anyway put %d message(s) in the thread; want none", n)
	}
}

// 4. prep_practice on App Home, and on a message in the DM (a reminder or
// "Next question"), starts a practice round in the user's DM.
func TestContractPracticeButtonStartsRoundInDM(t *testing.T) {
	t.Parallel()
	w := newWorld(t, smallBank(t, 3))
	w.start()
	w.sendAndAck(w.slack.AppHomeOpened(student1))
	w.waitFor("App Home", func() bool { return w.slack.HomeView(student1) != nil })
	var home struct {
		Blocks json.RawMessage `json:"blocks"`
	}
	if err := json.Unmarshal(w.slack.HomeView(student1), &home); err != nil {
		t.Fatal(err)
	}
	if !contractHasButton(t, home.Blocks, "prep_practice") {
		t.Fatalf("App Home has no prep_practice button:\n%s", home.Blocks)
	}
	w.slack.Press(slacktest.Action{User: student1, Home: true, ActionID: "prep_practice"})
	w.waitFor("a practice question in the DM", func() bool { return len(w.dm(student1)) == 1 })
	q := w.dm(student1)[0]
	if !strings.Contains(q.Text, "Test question") || !contractHasButton(t, q.Blocks, "prep_reveal") {
		t.Fatalf("DM after pressing Practice on App Home = %q %s; want a practice question", q.Text, q.Blocks)
	}
	// The round is live: the next message is taken as the answer.
	if got := w.say(student1, "an index keeps keys sorted", 2); !strings.Contains(got.Text, "Reference answer") {
		t.Errorf("answer after the App Home button = %q; want the reference answer", got.Text)
	}
	// A prep_practice button on a message in the DM (as on a reminder).
	last := w.dm(student1)[1]
	w.slack.Press(slacktest.Action{User: student1, Channel: "D" + student1, MessageTS: last.TS, ActionID: "prep_practice"})
	w.waitFor("a second practice question in the DM", func() bool { return len(w.dm(student1)) == 3 })
	if got := w.dm(student1)[2]; !strings.Contains(got.Text, "Test question") {
		t.Errorf("DM after pressing Practice in the DM = %q; want a practice question", got.Text)
	}
	if n := len(w.posts(cohort)); n != 0 {
		t.Errorf("practice posted %d message(s) in the cohort channel", n)
	}
}

// 5. The question of the day never carries an "another question" button,
// before or after its reveal.
func TestContractQuestionOfTheDayHasNoAnotherButton(t *testing.T) {
	t.Parallel()
	w := newWorld(t, smallBank(t, 3))
	w.start()
	post := w.postNow()
	if !contractHasButton(t, post.Blocks, "prep_reveal") {
		t.Fatalf("question of the day has no prep_reveal button:\n%s", post.Blocks)
	}
	if contractHasButton(t, post.Blocks, "prep_another") || strings.Contains(string(post.Blocks), "prep_another") {
		t.Errorf("question of the day carries prep_another:\n%s", post.Blocks)
	}
	w.command(instructor, cohort, "reveal")
	revealed := w.posts(cohort)[0]
	if strings.Contains(string(revealed.Blocks), "prep_another") {
		t.Errorf("revealed question of the day carries prep_another:\n%s", revealed.Blocks)
	}
	for _, m := range w.threadReplies(cohort, post.TS) {
		if strings.Contains(string(m.Blocks), "prep_another") {
			t.Errorf("a reply in the question of the day's thread carries prep_another:\n%s", m.Blocks)
		}
	}
}

// 6. /prep answer with no ID answers this channel's question of the day.
func TestContractAnswerWithoutIDIsTheQuestionOfTheDay(t *testing.T) {
	t.Parallel()
	w := newWorld(t, smallBank(t, 5))
	w.start()
	id := questionIDOf(t, w.postNow())
	q, ok := w.bank.Get(id)
	if !ok {
		t.Fatalf("posted %s, not in the bank", id)
	}
	got := w.contractCommand(student1, cohort, "answer")
	if !strings.Contains(got.json, "Reference answer") || !strings.Contains(got.json, q.Text) || !strings.Contains(got.json, "`"+id+"`") {
		t.Errorf("/prep answer in a channel with question of the day %s = %s; want its reference answer", id, got.json)
	}
	if !strings.Contains(got.json, "An index is a sorted structure") {
		t.Errorf("/prep answer lacks the answer text: %s", got.json)
	}
	for _, other := range w.bank.All() {
		if other.ID != id && strings.Contains(got.json, other.Text) {
			t.Errorf("/prep answer shows another question, %s: %s", other.ID, got.json)
		}
	}
	if rt := got.body["response_type"]; rt == "in_channel" {
		t.Errorf("/prep answer response_type = %v; want ephemeral", rt)
	}
}

// 7. /prep stats in a channel with a question of the day shows who took
// part, with counts, by name and without pinging anyone.
func TestContractStatsShowsChannelParticipation(t *testing.T) {
	t.Parallel()
	w := newWorld(t, smallBank(t, 5))
	w.start()
	first := w.postNow()
	w.sendAndAck(w.slack.UserMessage(cohort, student1, "indexes trade writes for reads", first.TS, false))
	w.sendAndAck(w.slack.UserMessage(cohort, student2, "a B-tree keeps keys sorted", first.TS, false))
	w.clock.Advance(2 * time.Hour)
	second := w.postNow()
	w.sendAndAck(w.slack.UserMessage(cohort, student1, "covering indexes avoid lookups", second.TS, false))

	got := w.command(instructor, cohort, "stats")
	if strings.Contains(got, "<@") || strings.Contains(got, "<!") {
		t.Errorf("/prep stats pings someone: %q", got)
	}
	for name, n := range map[string]int{"Ada": 2, "Grace": 1} {
		line := ""
		for _, l := range strings.Split(got, "\n") {
			if strings.Contains(l, name) {
				line = l
			}
		}
		if line == "" {
			t.Errorf("/prep stats does not name %s, who answered this week:\n%s", name, got)
			continue
		}
		if !regexp.MustCompile(fmt.Sprintf(`\b%d\b`, n)).MatchString(line) {
			t.Errorf("/prep stats line for %s = %q; want %d answered", name, line, n)
		}
	}
	if strings.Contains(got, "Ines") {
		t.Errorf("/prep stats names Ines, who did not answer:\n%s", got)
	}
	if !regexp.MustCompile(`\b2\b[^\n]*question`).MatchString(got) {
		t.Errorf("/prep stats does not count this week's 2 questions:\n%s", got)
	}
}

// 8. App Home's streak counts days in the user's own zone, thread answers
// and DM answers alike.
func TestContractAppHomeStreakInUsersZone(t *testing.T) {
	t.Parallel()
	w := newWorld(t, smallBank(t, 5))
	// Ada's Slack zone is America/New_York (the fake's default). Monday
	// 23:00 there is already Tuesday 04:00 UTC.
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	w.clock.Set(time.Date(2026, 11, 23, 23, 0, 0, 0, ny))
	w.start()
	post := w.postNow()
	w.sendAndAck(w.slack.UserMessage(cohort, student1, "my thread answer late at night", post.TS, false))
	// Tuesday 10:00 in New York (15:00 UTC, the same UTC day): practice in
	// the DM.
	w.clock.Advance(11 * time.Hour)
	w.say(student1, "practice", 1)
	if got := w.say(student1, "my DM answer the next morning", 2); !strings.Contains(got.Text, "Reference answer") {
		t.Fatalf("DM answer = %q", got.Text)
	}
	n := len(w.slack.Calls("views.publish"))
	w.sendAndAck(w.slack.AppHomeOpened(student1))
	w.waitFor("App Home", func() bool { return len(w.slack.Calls("views.publish")) > n && w.slack.HomeView(student1) != nil })
	home := string(w.slack.HomeView(student1))
	if !strings.Contains(home, "*2*-day streak") {
		t.Errorf("App Home after answers on two consecutive New York days lacks a 2-day streak:\n%s", home)
	}
	if !strings.Contains(home, "*2* answered") {
		t.Errorf("App Home does not count the thread and the DM answer:\n%s", home)
	}
}
