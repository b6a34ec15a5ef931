package bankedit_test

import (
	"strings"
	"testing"

	"github.com/prepbot/prepbot/bot/bankedit"
	"github.com/prepbot/prepbot/bot/render"
	"github.com/prepbot/prepbot/questions"
)

type bank []questions.Question

func (b bank) Taken(id string) bool {
	for _, q := range b {
		if q.ID == id {
			return true
		}
	}
	return false
}

func (b bank) All() []questions.Question { return b }

func answer() string {
	return strings.Repeat("A write-ahead log records each change before it is applied, so a crash can be recovered by replaying it. ", 4)
}

func good() bankedit.Form {
	return bankedit.Form{Topic: "db", Difficulty: "Medium", Question: "What is a write-ahead log?", Answer: answer(),
		KeyPoints: "- durability\n\n• replay after a crash", FollowUps: "* How big does it grow?"}
}

func TestParseGoodForm(t *testing.T) {
	existing := bank{{ID: "databases/write-ahead-log", Text: "Something else?"}}
	q, errs := bankedit.Parse(good(), "", existing)
	if len(errs) != 0 {
		t.Fatalf("errors = %v", errs)
	}
	if q.ID != "databases/write-ahead-log-2" || q.Difficulty != "medium" || q.Origin != "slack" {
		t.Errorf("question = %+v; want a fresh ID next to the taken one, lowercased difficulty", q)
	}
	if len(q.KeyPoints) != 2 || q.KeyPoints[1] != "replay after a crash" || len(q.FollowUps) != 1 {
		t.Errorf("lists = %q, %q", q.KeyPoints, q.FollowUps)
	}
}

// Every field's problem shows at once, even when the topic is wrong.
func TestParseReportsEveryField(t *testing.T) {
	f := bankedit.Form{Topic: "knitting", Difficulty: "tricky", Question: "No question mark", Answer: "too short", KeyPoints: "one"}
	_, errs := bankedit.Parse(f, "", bank{})
	for _, field := range []string{render.FieldTopic, render.FieldDifficulty, render.FieldQuestion, render.FieldAnswer, render.FieldKeyPoints} {
		if errs[field] == "" {
			t.Errorf("no error for %s; errors = %v", field, errs)
		}
	}
	for field, msg := range errs {
		if len([]rune(msg)) > 150 {
			t.Errorf("error for %s is %d characters; Slack shows 150", field, len([]rune(msg)))
		}
	}
}

func TestParseEditAndDuplicates(t *testing.T) {
	existing := bank{{ID: "databases/wal", Text: "What is a write-ahead log?"}}
	if q, errs := bankedit.Parse(good(), "databases/wal", existing); len(errs) != 0 || q.ID != "databases/wal" {
		t.Errorf("editing keeps the ID and may keep its own text: %+v, %v", q.ID, errs)
	}
	f := good()
	f.Topic = "react"
	if _, errs := bankedit.Parse(f, "databases/wal", existing); !strings.Contains(errs[render.FieldTopic], "keeps its topic") {
		t.Errorf("moving an edit to another topic: errors = %v", errs)
	}
	f = good()
	f.Question = "what is a WRITE-AHEAD log"
	f.Question += "?"
	if _, errs := bankedit.Parse(f, "", existing); !strings.Contains(errs[render.FieldQuestion], "already has this question: databases/wal") {
		t.Errorf("duplicate text: errors = %v", errs)
	}
}

func TestSlug(t *testing.T) {
	for in, want := range map[string]string{
		"What is a write-ahead log?":               "write-ahead-log",
		"How does the event loop work in Node.js?": "event-loop-work-in-node",
		"???": "question",
	} {
		if got := bankedit.Slug(in); got != want {
			t.Errorf("Slug(%q) = %q; want %q", in, got, want)
		}
	}
}
