package practice_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/prepbot/prepbot/bot/practice"
	"github.com/prepbot/prepbot/store"
)

func at(d, h int) time.Time { return time.Date(2026, 11, d, h, 0, 0, 0, time.UTC) }

func first(int) int { return 0 }

func TestNext(t *testing.T) {
	now := at(25, 12)
	pool := []string{"db/a", "db/b", "db/c"}
	card := func(id string, due time.Time) store.Card { return store.Card{QuestionID: id, Due: due} }
	for _, tt := range []struct {
		name  string
		cards []store.Card
		pool  []string
		skip  string
		want  string
	}{
		{"nothing seen: a new one", nil, pool, "", "db/a"},
		{"the most overdue review first", []store.Card{card("db/b", at(24, 0)), card("db/c", at(20, 0))}, pool, "", "db/c"},
		{"a review due later waits: new first", []store.Card{card("db/a", at(27, 0))}, pool, "", "db/b"},
		{"all seen, none due: the soonest", []store.Card{card("db/a", at(29, 0)), card("db/b", at(27, 0)), card("db/c", at(28, 0))}, pool, "", "db/b"},
		{"skip passes over the due one", []store.Card{card("db/a", at(20, 0)), card("db/b", at(21, 0))}, pool, "db/a", "db/b"},
		{"skip passes over a new one", nil, pool, "db/a", "db/b"},
		{"skip is the only one left", nil, []string{"db/a"}, "db/a", "db/a"},
		{"cards outside the topics do not count", []store.Card{card("web/x", at(1, 0))}, pool, "", "db/a"},
		{"an empty pool", []store.Card{card("db/a", at(1, 0))}, nil, "", ""},
	} {
		got, ok := practice.Next(tt.cards, tt.pool, now, tt.skip, first)
		if got != tt.want || ok != (tt.want != "") {
			t.Errorf("%s: Next = %q, %v; want %q", tt.name, got, ok, tt.want)
		}
	}
}

// A rating schedules whole days in the person's zone; Again is tomorrow,
// and the ratings order the intervals.
func TestReview(t *testing.T) {
	now := time.Date(2026, 11, 25, 22, 30, 0, 0, time.UTC)
	tokyo, _ := time.LoadLocation("Asia/Tokyo") // already the 26th there
	intervals := map[string]int{}
	for _, rating := range []string{"again", "hard", "good", "easy"} {
		c, days := practice.Review(store.Card{State: "new"}, rating, now, tokyo)
		intervals[rating] = days
		if c.State != "review" || c.Reps != 1 || !c.LastReview.Equal(now) {
			t.Errorf("Review(new, %s) = %+v", rating, c)
		}
		y, m, d := now.In(tokyo).Date()
		wantDue := time.Date(y, m, d+days, 0, 0, 0, 0, tokyo)
		if !c.Due.Equal(wantDue) {
			t.Errorf("Review(new, %s) due %v; want the start of %d day(s) later in Tokyo, %v", rating, c.Due, days, wantDue)
		}
	}
	if intervals["again"] != 1 || !(intervals["hard"] <= intervals["good"] && intervals["good"] < intervals["easy"]) {
		t.Errorf("intervals = %v; want again 1 and hard ≤ good < easy", intervals)
	}
	if c, _ := practice.Review(store.Card{State: "new"}, "nonsense", now, time.UTC); c.Lapses != 0 || c.Reps != 1 {
		t.Errorf("Review with an unknown rating = %+v; want it taken as again on a new card", c)
	}
}

func TestDueReminders(t *testing.T) {
	ny, _ := time.LoadLocation("America/New_York")
	now := time.Date(2026, 11, 25, 14, 5, 0, 0, time.UTC) // 09:05 in New York
	rems := []store.Reminder{
		{User: "due-ny", Clock: "09:00", Zone: "America/New_York"},
		{User: "sent-today", Clock: "09:00", Zone: "America/New_York", LastDate: "2026-11-25"},
		{User: "later-ny", Clock: "09:30", Zone: "America/New_York"},
		{User: "due-utc", Clock: "14:00", Zone: "UTC", LastDate: "2026-11-24"},
		{User: "bad", Clock: "25:99", Zone: "UTC"},
		{User: "unknown-zone", Clock: "14:00", Zone: "Mars/Olympus"},
	}
	due, next, bad := practice.DueReminders(rems, now)
	var got []string
	for _, d := range due {
		got = append(got, d.User+"@"+d.Date)
	}
	if want := "[due-ny@2026-11-25 due-utc@2026-11-25 unknown-zone@2026-11-25]"; fmt.Sprint(got) != want {
		t.Errorf("due = %v; want %s", got, want)
	}
	if want := time.Date(2026, 11, 25, 9, 30, 0, 0, ny); !next.Equal(want) {
		t.Errorf("next = %v; want %v", next, want)
	}
	if len(bad) != 1 || bad[0].User != "bad" {
		t.Errorf("bad = %v; want the 25:99 reminder", bad)
	}
}
