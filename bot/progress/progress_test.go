package progress_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/prepbot/prepbot/bot/progress"
	"github.com/prepbot/prepbot/store"
)

// memStore is the store as progress reads it, in memory.
type memStore struct {
	answers map[string][]store.Answer
	times   map[string][]time.Time
	cards   map[string][]store.Card
	posts   map[string][]store.Post
	replies map[string][]store.Reply // by thread ts
}

func (m memStore) Answers(u string) ([]store.Answer, error)     { return m.answers[u], nil }
func (m memStore) UserReplyTimes(u string) ([]time.Time, error) { return m.times[u], nil }
func (m memStore) Cards(u string) ([]store.Card, error)         { return m.cards[u], nil }
func (m memStore) ChannelPosts(c string) ([]store.Post, error)  { return m.posts[c], nil }
func (m memStore) Replies(_, ts string) ([]store.Reply, error)  { return m.replies[ts], nil }

func day(d, h int) time.Time { return time.Date(2026, 11, d, h, 0, 0, 0, time.UTC) }

func TestUserRecord(t *testing.T) {
	now := day(25, 12) // a Wednesday
	st := memStore{
		answers: map[string][]store.Answer{"U1": {{User: "U1", At: day(23, 9)}, {User: "U1", At: day(24, 9)}}},
		times:   map[string][]time.Time{"U1": {day(25, 8), day(20, 8)}},
		cards: map[string][]store.Card{"U1": {
			{QuestionID: "databases/a", Due: day(25, 20)},  // due today
			{QuestionID: "databases/b", Due: day(30, 0)},   // this week
			{QuestionID: "security/c", Due: day(27+10, 0)}, // later
			{QuestionID: "gone/d", Due: day(26, 0)},        // retired long ago
		}},
	}
	topicOf := func(id string) (string, bool) {
		if id == "gone/d" {
			return "", false
		}
		topic, _, _ := strings.Cut(id, "/")
		return topic, true
	}
	r, err := progress.UserRecord(st, topicOf, "U1", now, time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	want := progress.Record{Answered: 4, Streak: 3, BestStreak: 3, AnsweredToday: true, DueToday: 1, DueWeek: 3, Deck: 4,
		ReviewedByTopic: map[string]int{"databases": 2, "security": 1}}
	if fmt.Sprint(r) != fmt.Sprint(want) {
		t.Errorf("UserRecord = %+v; want %+v", r, want)
	}
	if empty, err := progress.UserRecord(st, topicOf, "U2", now, time.UTC); err != nil || !empty.Empty() {
		t.Errorf("UserRecord of a newcomer = %+v, %v; want an empty record", empty, err)
	}
}

func TestStreaks(t *testing.T) {
	tokyo, _ := time.LoadLocation("Asia/Tokyo")
	for _, tt := range []struct {
		name          string
		when          []time.Time
		now           time.Time
		loc           *time.Location
		current, best int
		today         bool
	}{
		{"none", nil, day(25, 12), time.UTC, 0, 0, false},
		{"today only", []time.Time{day(25, 1)}, day(25, 12), time.UTC, 1, 1, true},
		{"yesterday keeps the run", []time.Time{day(23, 1), day(24, 1)}, day(25, 12), time.UTC, 2, 2, false},
		{"a gap breaks it", []time.Time{day(20, 1), day(21, 1), day(22, 1), day(24, 1)}, day(25, 12), time.UTC, 1, 3, false},
		{"two days ago is over", []time.Time{day(23, 1)}, day(25, 12), time.UTC, 0, 1, false},
		// 16:00 UTC on the 24th is already the 25th in Tokyo: two days there, one in UTC.
		{"the person's zone", []time.Time{day(24, 10), day(24, 16)}, day(25, 1), tokyo, 2, 2, true},
	} {
		c, b, td := progress.Streaks(tt.when, tt.now, tt.loc)
		if c != tt.current || b != tt.best || td != tt.today {
			t.Errorf("%s: Streaks = %d, %d, %v; want %d, %d, %v", tt.name, c, b, td, tt.current, tt.best, tt.today)
		}
	}
}

func TestChannelParticipation(t *testing.T) {
	now := day(25, 12)
	posts := []store.Post{
		{Channel: "C1", TS: "1", PostedAt: day(19, 9)}, // last week
		{Channel: "C1", TS: "2", PostedAt: day(23, 9)},
		{Channel: "C1", TS: "3", PostedAt: day(24, 9)},
		{Channel: "C1", TS: "4", PostedAt: day(25, 9)},
	}
	st := memStore{posts: map[string][]store.Post{"C1": posts}, replies: map[string][]store.Reply{
		"1": {{User: "ada"}, {User: "bo"}},
		"2": {{User: "ada"}, {User: "bo"}, {User: "bo"}},
		"3": {{User: "ada"}},
		"4": {{User: "ada"}, {User: "cy"}},
	}}
	got, week, err := progress.Channel(st, "C1", now, time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	want := []progress.Participation{
		{User: "ada", Week: 3, Streak: 4, Answers: 4},
		{User: "cy", Week: 1, Streak: 1, Answers: 1},
		{User: "bo", Week: 1, Streak: 0, Answers: 2},
	}
	if week != 3 || fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("Channel = %v, %d; want %v, 3", got, week, want)
	}
}

func TestStartOfWeek(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		at   time.Time
		loc  *time.Location
		want time.Time
	}{
		{time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC), time.UTC, time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)},   // a Monday
		{time.Date(2026, 11, 29, 23, 59, 0, 0, time.UTC), time.UTC, time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)}, // its Sunday
		{time.Date(2026, 11, 30, 3, 0, 0, 0, time.UTC), ny, time.Date(2026, 11, 23, 0, 0, 0, 0, ny)},               // still Sunday in New York
		{time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC), ny, time.Date(2026, 3, 9, 0, 0, 0, 0, ny)},                 // the week DST began (Sun 8 Mar)
		{time.Date(2027, 1, 1, 12, 0, 0, 0, time.UTC), time.UTC, time.Date(2026, 12, 28, 0, 0, 0, 0, time.UTC)},    // across a year
	} {
		if got := progress.StartOfWeek(tt.at, tt.loc); !got.Equal(tt.want) {
			t.Errorf("progress.StartOfWeek(%v, %v) = %v; want %v", tt.at, tt.loc, got, tt.want)
		}
	}
}
