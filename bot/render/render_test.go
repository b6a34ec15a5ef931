package render_test

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/prepbot/prepbot/bot/progress"
	"github.com/prepbot/prepbot/bot/render"
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
// points; follow-ups), the rating buttons, a reveal and the App Home.
func TestBlockKitGolden(t *testing.T) {
	slot := time.Unix(1700000000, 0)
	golden(t, "qotd.json", render.QuestionOfTheDay(bankQuestion(t, "deployment/blue-green"), slot, false))
	golden(t, "qotd-revealed.json", render.QuestionOfTheDay(bankQuestion(t, "deployment/blue-green"), slot, true))
	golden(t, "answer-jwt.json", render.Answer(bankQuestion(t, "security/jwt"), "n1"))
	golden(t, "answer-star.json", render.Answer(bankQuestion(t, "behavioral/debugging-approach"), "n1"))
	golden(t, "ask.json", render.Ask(bankQuestion(t, "concurrency/asynchronous-programming"), []string{"concurrency"}))
	golden(t, "reveal.json", render.Reveal(bankQuestion(t, "deployment/blue-green"), "1700000000.000100", []string{"Ada", "Grace <3"}, 2))
	bank, _ := questions.Default()
	golden(t, "home.json", render.Home(progress.Record{Answered: 12, Streak: 3, BestStreak: 5, DueToday: 2, DueWeek: 6, Deck: 9,
		ReviewedByTopic: map[string]int{"databases": 4, "security": 5}}, bank.TopicCounts()))
}

func TestAnswered(t *testing.T) {
	names := func(n int) []string {
		out := make([]string, n)
		for i := range out {
			out[i] = string(rune('A' + i%26))
		}
		return out
	}
	for _, tt := range []struct {
		names []string
		total int
		want  string
	}{
		{nil, 0, "Nobody answered this one in the thread. There's always the next one!"},
		{[]string{"Ada"}, 1, "1 person answered: Ada."},
		{[]string{"Ada", "Bo"}, 2, "2 people answered: Ada and Bo."},
		{[]string{"<!here>", "Bo & Co"}, 2, "2 people answered: &lt;!here&gt; and Bo &amp; Co."},
		{names(20), 21, "21 people answered: A, B, C, D, E, F, G, H, I, J, K, L, M, N, O, P, Q, R, S, T and 1 other."},
		{names(25), 2000, "2000 people answered: A, B, C, D, E, F, G, H, I, J, K, L, M, N, O, P, Q, R, S, T and 1980 others."},
	} {
		if got := render.Answered(tt.names, tt.total); got != tt.want {
			t.Errorf("Answered(%d names, %d) = %q; want %q", len(tt.names), tt.total, got, tt.want)
		}
	}
}

func TestTruncate(t *testing.T) {
	for _, tt := range []struct {
		in   string
		n    int
		want string
	}{
		{"short", 10, "short"},
		{"exactly ten", 11, "exactly ten"},
		{"cut at a space near the end", 20, "cut at a space near…"},
		{"nospacesatallinthisone", 10, "nospacesa…"},
		{"ééééééé", 4, "ééé…"},
	} {
		if got := render.Truncate(tt.in, tt.n); got != tt.want {
			t.Errorf("Truncate(%q, %d) = %q; want %q", tt.in, tt.n, got, tt.want)
		}
	}
}
