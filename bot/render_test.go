package bot

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/prepbot/prepbot/questions"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// golden compares v, as indented JSON, with testdata/name.
func golden(t *testing.T, name string, v any) {
	t.Helper()
	got, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	got = append(got, '\n')
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -run %s -update to create it)", err, t.Name())
	}
	if string(got) != string(want) {
		t.Errorf("%s differs from the golden file; run with -update if the change is intended.\ngot:\n%s", path, got)
	}
}

func bankQuestion(t *testing.T, id string) questions.Question {
	t.Helper()
	bank, err := questions.Default()
	if err != nil {
		t.Fatal(err)
	}
	q, ok := bank.Get(id)
	if !ok {
		t.Fatalf("no %s in the embedded bank", id)
	}
	return q
}

// The Block Kit the bot sends for real bank content: the question of the
// day, a reference answer (bold, code, lists converted to mrkdwn; key
// points; follow-ups), the rating buttons and the App Home.
func TestBlockKitGolden(t *testing.T) {
	jwt := bankQuestion(t, "security/jwt")
	golden(t, "qotd.json", qotdBlocks(bankQuestion(t, "deployment/blue-green"), "qotd-1700000000", false))
	golden(t, "qotd-revealed.json", qotdBlocks(bankQuestion(t, "deployment/blue-green"), "qotd-1700000000", true))
	golden(t, "answer-jwt.json", append(answerBlocks(jwt), ratingBlocksNonce(jwt.ID, "n1")...))
	golden(t, "answer-star.json", answerBlocks(bankQuestion(t, "behavioral/debugging-approach")))
	golden(t, "ask.json", questionBlocks(bankQuestion(t, "concurrency/asynchronous-programming"), "concurrency"))
	b := &Bot{}
	bank, _ := questions.Default()
	lib := &library{live: bank}
	b.lib.Store(lib)
	golden(t, "home.json", b.homeView(record{answered: 12, streak: 3, bestStreak: 5, dueToday: 2, dueWeek: 6, deck: 9,
		reviewedByTopic: map[string]int{"databases": 4, "security": 5}}))
}

// Every rendered section stays within Slack's limits: 3,000 characters per
// section text and 50 blocks per message, for every question in the bank.
func TestAnswersFitSlackLimits(t *testing.T) {
	bank, err := questions.Default()
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range bank.All() {
		blocks := append(answerBlocks(q), ratingBlocksNonce(q.ID, "n")...)
		if len(blocks) > 50 {
			t.Errorf("%s renders %d blocks; Slack allows 50", q.ID, len(blocks))
		}
		raw, _ := json.Marshal(blocks)
		var decoded []map[string]any
		json.Unmarshal(raw, &decoded)
		for _, blk := range decoded {
			if txt, ok := blk["text"].(map[string]any); ok {
				if s, _ := txt["text"].(string); len([]rune(s)) > 3000 {
					t.Errorf("%s has a section of %d characters; Slack allows 3,000", q.ID, len([]rune(s)))
				}
			}
		}
	}
}
