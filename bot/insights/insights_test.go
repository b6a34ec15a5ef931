package insights_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/prepbot/prepbot/bot/insights"
	"github.com/prepbot/prepbot/questions"
	"github.com/prepbot/prepbot/store"
)

type memStore struct {
	posts   []store.Post
	replies map[string][]store.Reply
	cards   map[string][]store.Card
	reports []store.Report
	rounds  []store.MockRound
}

func (m memStore) ChannelPosts(string) ([]store.Post, error)    { return m.posts, nil }
func (m memStore) Replies(_, ts string) ([]store.Reply, error)  { return m.replies[ts], nil }
func (m memStore) Cards(u string) ([]store.Card, error)         { return m.cards[u], nil }
func (m memStore) Reports() ([]store.Report, error)             { return m.reports, nil }
func (m memStore) MockRounds(string) ([]store.MockRound, error) { return m.rounds, nil }

func day(d int) time.Time { return time.Date(2026, 11, d, 10, 0, 0, 0, time.UTC) }

var bank = map[string]questions.Question{
	"databases/index": {ID: "databases/index", Topic: "databases", Text: "What is an index?",
		KeyPoints: []string{"A sorted structure.", "Speeds up reads."}, Concepts: [][]string{{"sorted"}, {"faster reads", "speeds up"}}},
	"caching/ttl": {ID: "caching/ttl", Topic: "caching", Text: "What is a TTL?",
		KeyPoints: []string{"Expiry time.", "Bounds staleness."}, Concepts: [][]string{{"expires", "expiry"}, {"stale"}}},
}

func lookup(id string) (questions.Question, bool) { q, ok := bank[id]; return q, ok }

// TestBuild checks every figure against a hand-counted fixture: two posts
// this week and one two weeks ago, three people, ratings, reports.
func TestBuild(t *testing.T) {
	now := day(25) // Wednesday; the week starts Monday the 23rd
	st := memStore{
		posts: []store.Post{
			{TS: "1", QuestionID: "caching/ttl", PostedAt: day(10)},
			{TS: "2", QuestionID: "databases/index", PostedAt: day(23)},
			{TS: "3", QuestionID: "caching/ttl", PostedAt: day(24)},
		},
		replies: map[string][]store.Reply{
			"1": {{User: "ana", At: day(10), Text: "It is when the entry expires and gets thrown away by the cache."}},
			"2": {{User: "ana", At: day(23), Text: "An index is a sorted copy of some columns, which speeds up lookups."},
				{User: "bo", At: day(23), Text: "No idea to be honest with you, sorry."}},
			"3": {{User: "bo", At: day(24), Text: "The key expires after the TTL, which bounds how stale the data gets."},
				{User: "bo", At: day(24), Text: "Also it limits memory use because old entries vanish eventually."}},
		},
		cards: map[string][]store.Card{
			"ana": {{QuestionID: "caching/ttl", History: []store.Review{{Rating: "again"}, {Rating: "hard"}, {Rating: "good"}}}},
			"bo":  {{QuestionID: "databases/index", History: []store.Review{{Rating: "good"}}}},
		},
		reports: []store.Report{{QuestionID: "caching/ttl"}, {QuestionID: "caching/ttl"}, {QuestionID: "databases/index"}, {QuestionID: "react/hooks"}},
		// This week ana interviewed bo (bo's form says it happened) and cy
		// was to interview dee (no form: not counted). On the 9th cy
		// interviewed ana; cy's form says so, and is cy's last activity.
		rounds: []store.MockRound{
			{At: day(9), Groups: []store.MockGroup{{Interviewer: "cy", Candidates: []string{"ana"}}},
				Forms: map[string]store.MockForm{"cy": {User: "cy", Happened: true, At: day(9)}}},
			{At: day(23), Groups: []store.MockGroup{{Interviewer: "ana", Candidates: []string{"bo"}}, {Interviewer: "cy", Candidates: []string{"dee"}}},
				Forms: map[string]store.MockForm{"bo": {User: "bo", Happened: true, At: day(23)}, "ana": {User: "ana", Happened: false, At: day(23)}}},
		},
	}
	r, err := insights.Build(st, lookup, "C1", now, time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Weeks) != insights.Weeks {
		t.Fatalf("weeks = %d", len(r.Weeks))
	}
	if w := r.Weeks[5]; !w.Start.Equal(time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)) || w.Questions != 2 || w.Answers != 4 || w.People != 2 || w.Mocks != 1 {
		t.Errorf("this week = %+v; want from Mon 23 Nov: 2 questions, 4 answers, 2 people, 1 mock interview", w)
	}
	if w := r.Weeks[3]; w.Questions != 1 || w.Answers != 1 || w.People != 1 || w.Mocks != 1 {
		t.Errorf("the week of the 9th = %+v; want 1, 1, 1, 1", w)
	}
	if w := r.Weeks[4]; w.Mocks != 0 {
		t.Errorf("the week of the 16th = %+v; want no mock interviews", w)
	}
	if r.Members != 3 {
		t.Errorf("members = %d; want 3 (ana, bo, and cy from a mock interview; dee did nothing)", r.Members)
	}
	// caching: ratings 2 of 3 again/hard; key points: "expires" (1 of 2),
	// "expires…stale" (2 of 2), "limits memory…" (0 of 2) → 3 of 6.
	// databases: ratings 0 of 1; key points: ana 2 of 2, bo too short.
	want := []insights.Topic{
		{Slug: "caching", Again: 1, Hard: 1, Rated: 3, Covered: 3, Points: 6},
		{Slug: "databases", Rated: 1, Covered: 2, Points: 2},
	}
	if len(r.Topics) != 2 || r.Topics[0] != want[0] || r.Topics[1] != want[1] {
		t.Errorf("topics = %+v; want %+v", r.Topics, want)
	}
	if len(r.Reported) != 2 || r.Reported[0] != (insights.Reported{QuestionID: "caching/ttl", Reports: 2}) {
		t.Errorf("reported = %+v; want caching/ttl 2, databases/index 1 (react/hooks was not asked here)", r.Reported)
	}
	if len(r.Quiet) != 1 || r.Quiet[0].User != "cy" {
		t.Errorf("quiet = %+v; want only cy (last seen in the mock interview of the 9th)", r.Quiet)
	}
	// caching: 1 - 2/3 of ratings and 3/6 of key points → (1/3 + 1/2) / 2.
	if got, want := r.Topics[0].Strength(), (1.0/3+0.5)/2; got < want-1e-9 || got > want+1e-9 {
		t.Errorf("caching strength = %v; want %v", got, want)
	}
	// Ten days later all have gone quiet, cy first, then ana, then bo.
	r, _ = insights.Build(st, lookup, "C1", day(25).AddDate(0, 0, 10), time.UTC)
	if len(r.Quiet) != 3 || r.Quiet[0].User != "cy" || r.Quiet[1].User != "ana" || r.Quiet[2].User != "bo" {
		t.Errorf("quiet = %+v; want cy, ana, bo", r.Quiet)
	}
	var buf bytes.Buffer
	if err := insights.WriteCSV(&buf, r, strings.ToUpper); err != nil {
		t.Fatal(err)
	}
	csv := buf.String()
	for _, want := range []string{"section,key,value1,value2,value3,value4\n", "week,2026-11-23,2,4,2,1\n", "topic,caching,2/3 again or hard,3/6 key points covered,", "reported,caching/ttl,2,,,\n", "quiet,ana,ANA,2026-11-23T10:00:00Z,,\n"} {
		if !strings.Contains(csv, want) {
			t.Errorf("CSV lacks %q:\n%s", want, csv)
		}
	}
}
