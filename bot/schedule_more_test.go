package bot_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/prepbot/prepbot/questions"
)

// mixedBank has two questions in databases and two in security.
func mixedBank(t *testing.T) *questions.Bank {
	t.Helper()
	answer := strings.Repeat("A clear reference answer that explains what the thing is, why it matters and how it works. ", 5)
	var qs []questions.Question
	for _, topic := range []string{"databases", "security"} {
		for i := range 2 {
			qs = append(qs, questions.Question{ID: fmt.Sprintf("%s/q%d", topic, i), Difficulty: "easy",
				Text: fmt.Sprintf("Question %d about %s?", i, topic), Answer: answer, KeyPoints: []string{"one", "two"}})
		}
	}
	b, err := questions.NewBank(qs, questions.Guides{Tips: "# Tips\n\nx", Star: "# STAR\n\nx"})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestScheduleTopicsAndEveryAcrossRestart(t *testing.T) {
	t.Parallel()
	w := newWorld(t, mixedBank(t))
	w.start()
	start := w.clock.Now()
	got := w.command(instructor, cohort, "schedule @every 2h topics=security")
	if !strings.Contains(got, "topics security") {
		t.Fatalf("schedule = %q", got)
	}
	for i := range 3 {
		if i == 1 {
			w.stop() // a restart must not shift the @every grid
			w.start()
		}
		w.clock.Set(start.Add(time.Duration(i+1) * 2 * time.Hour))
		w.waitFor("post", func() bool { return len(w.posts(cohort)) == i+1 })
		if id := questionIDOf(t, w.posts(cohort)[i]); !strings.HasPrefix(id, "security/") {
			t.Errorf("post %d is %s; want a security question", i+1, id)
		}
	}
	// Between slots nothing is posted.
	w.settled(start.Add(7 * time.Hour))
	if n := len(w.posts(cohort)); n != 3 {
		t.Errorf("posts between slots = %d; want 3", n)
	}
}

func TestAdminsRemoveAndList(t *testing.T) {
	t.Parallel()
	w := newWorld(t, mixedBank(t))
	w.start()
	w.command(wsAdmin, cohort, "admins add <@"+student2+">")
	w.expectReply(student1, cohort, "admins", "<@"+student2+">")
	w.expectReply(wsAdmin, cohort, "admins add <@"+student2+">", "already an admin")
	w.expectReply(wsAdmin, cohort, "admins remove <@"+student2+">", "no longer an admin")
	w.expectReply(student2, cohort, "post", "Only this channel's admins")
	w.expectReply(wsAdmin, cohort, "admins add grace", "Mention the person")
	// The workspace admin flag comes from users.info, by ID.
	w.expectReply(wsAdmin, cohort, "post", "Posted")
	w.expectReply(instructor, outside, "post", "/invite @prepbot")
}
