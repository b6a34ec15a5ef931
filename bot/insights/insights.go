// Package insights tells a cohort's instructor what the cohort needs: its
// participation week by week, the topics its members find hardest (their
// own Again/Hard ratings and how many key points their thread answers
// covered), the questions most often reported, and who has gone quiet. It
// reads the store through a small interface and takes "now" and the zone,
// so every figure is tested against a hand-counted fixture.
package insights

import (
	"cmp"
	"encoding/csv"
	"fmt"
	"io"
	"slices"
	"strconv"
	"time"

	"github.com/prepbot/prepbot/bot/progress"
	"github.com/prepbot/prepbot/feedback"
	"github.com/prepbot/prepbot/questions"
	"github.com/prepbot/prepbot/store"
)

// Store is what insights reads; *store.DB implements it.
type Store interface {
	ChannelPosts(channel string) ([]store.Post, error)
	Replies(channel, threadTS string) ([]store.Reply, error)
	Cards(user string) ([]store.Card, error)
	Reports() ([]store.Report, error)
	MockRounds(channel string) ([]store.MockRound, error)
}

var _ Store = (*store.DB)(nil)

// Week is one calendar week (from Monday, in the channel's zone).
type Week struct {
	Start     time.Time
	Questions int // questions of the day posted
	Answers   int // thread answers to them
	People    int // distinct people who answered
	Mocks     int // mock interviews that happened, by their round's week
}

// Topic is how the cohort does in one topic.
type Topic struct {
	Slug string
	// Again and Hard count the cohort's ratings; Rated all of them.
	Again, Hard, Rated int
	// Covered and Points sum the key points the cohort's thread answers
	// covered, out of those they could have.
	Covered, Points int
}

// Weakness orders topics: the share of Again/Hard ratings, then the share
// of key points missed.
func (t Topic) Weakness() float64 {
	w := 0.0
	if t.Rated > 0 {
		w += float64(t.Again+t.Hard) / float64(t.Rated)
	}
	if t.Points > 0 {
		w += 1 - float64(t.Covered)/float64(t.Points)
	}
	return w
}

// Strength is the share of the topic the cohort has down, in [0,1]: the
// mean of the Good/Easy share of its ratings and the share of key points
// its thread answers covered, over whichever of the two it has.
func (t Topic) Strength() float64 {
	sum, n := 0.0, 0
	if t.Rated > 0 {
		sum += 1 - float64(t.Again+t.Hard)/float64(t.Rated)
		n++
	}
	if t.Points > 0 {
		sum += float64(t.Covered) / float64(t.Points)
		n++
	}
	if n == 0 {
		return 0
	}
	return sum / float64(n)
}

// Reported is a question and how many reports it has.
type Reported struct {
	QuestionID string
	Reports    int
}

// Quiet is a member who answered before but not for QuietAfter.
type Quiet struct {
	User string
	Last time.Time
}

// Report is a channel's insights.
type Report struct {
	Weeks    []Week // oldest first, the current week last
	Topics   []Topic
	Reported []Reported
	Quiet    []Quiet
	Members  int // people who ever answered here or did a mock interview
}

// Limits of a report: enough to act on, small enough for one message.
const (
	Weeks      = 6
	MaxTopics  = 5
	MaxReports = 5
	MaxQuiet   = 25
	QuietAfter = 7 * 24 * time.Hour
)

// Build computes channel's report at now; bank resolves questions (their
// topics and key points), loc is the channel's zone.
func Build(st Store, bank func(id string) (questions.Question, bool), channel string, now time.Time, loc *time.Location) (Report, error) {
	var r Report
	posts, err := st.ChannelPosts(channel)
	if err != nil {
		return r, err
	}
	thisWeek := progress.StartOfWeek(now, loc)
	weeks := make([]Week, Weeks)
	for i := range weeks {
		weeks[i].Start = thisWeek.AddDate(0, 0, -7*(Weeks-1-i))
	}
	weekOf := func(t time.Time) int {
		for i := len(weeks) - 1; i >= 0; i-- {
			if !t.Before(weeks[i].Start) {
				return i
			}
		}
		return -1
	}
	people := make([]map[string]bool, Weeks)
	last := map[string]time.Time{}
	topics := map[string]*Topic{}
	topic := func(slug string) *Topic {
		if topics[slug] == nil {
			topics[slug] = &Topic{Slug: slug}
		}
		return topics[slug]
	}
	for _, p := range posts {
		replies, err := st.Replies(channel, p.TS)
		if err != nil {
			return r, err
		}
		w := weekOf(p.PostedAt.In(loc))
		if w >= 0 {
			weeks[w].Questions++
		}
		q, known := bank(p.QuestionID)
		for _, rep := range replies {
			if rep.At.After(last[rep.User]) {
				last[rep.User] = rep.At
			}
			if w >= 0 {
				weeks[w].Answers++
				if people[w] == nil {
					people[w] = map[string]bool{}
				}
				people[w][rep.User] = true
			}
			if known {
				if fb := feedback.Assess(q, rep.Text); !fb.TooShort {
					t := topic(q.Topic)
					t.Covered += fb.Covered
					t.Points += len(fb.Points)
				}
			}
		}
	}
	rounds, err := st.MockRounds(channel)
	if err != nil {
		return r, err
	}
	for _, round := range rounds {
		w := weekOf(round.At.In(loc))
		for i := range round.Groups {
			if !round.Happened(i) {
				continue
			}
			if w >= 0 {
				weeks[w].Mocks++
			}
			// Everyone in a group that met took part, as of its latest form.
			var at time.Time
			for _, m := range round.Groups[i].Members() {
				if f, ok := round.Forms[m]; ok && f.At.After(at) {
					at = f.At
				}
			}
			for _, m := range round.Groups[i].Members() {
				if at.After(last[m]) {
					last[m] = at
				}
			}
		}
	}
	for i := range weeks {
		weeks[i].People = len(people[i])
	}
	r.Weeks = weeks
	r.Members = len(last)

	members := make([]string, 0, len(last))
	for u := range last {
		members = append(members, u)
	}
	slices.Sort(members)
	for _, u := range members {
		cards, err := st.Cards(u)
		if err != nil {
			return r, err
		}
		for _, c := range cards {
			q, ok := bank(c.QuestionID)
			if !ok {
				continue
			}
			t := topic(q.Topic)
			for _, rev := range c.History {
				t.Rated++
				switch rev.Rating {
				case "again":
					t.Again++
				case "hard":
					t.Hard++
				}
			}
		}
		if now.Sub(last[u]) >= QuietAfter {
			r.Quiet = append(r.Quiet, Quiet{User: u, Last: last[u]})
		}
	}
	slices.SortFunc(r.Quiet, func(a, b Quiet) int { return cmp.Or(a.Last.Compare(b.Last), cmp.Compare(a.User, b.User)) })
	for _, t := range topics {
		if t.Rated > 0 || t.Points > 0 {
			r.Topics = append(r.Topics, *t)
		}
	}
	slices.SortFunc(r.Topics, func(a, b Topic) int {
		return cmp.Or(cmp.Compare(b.Weakness(), a.Weakness()), cmp.Compare(a.Slug, b.Slug))
	})

	// Reports of the questions this channel was asked.
	asked := map[string]bool{}
	for _, p := range posts {
		asked[p.QuestionID] = true
	}
	reports, err := st.Reports()
	if err != nil {
		return r, err
	}
	counts := map[string]int{}
	for _, rep := range reports {
		if asked[rep.QuestionID] {
			counts[rep.QuestionID]++
		}
	}
	for id, n := range counts {
		r.Reported = append(r.Reported, Reported{QuestionID: id, Reports: n})
	}
	slices.SortFunc(r.Reported, func(a, b Reported) int {
		return cmp.Or(cmp.Compare(b.Reports, a.Reports), cmp.Compare(a.QuestionID, b.QuestionID))
	})
	return r, nil
}

// WriteCSV writes the report as CSV rows for a spreadsheet: a section
// column names what each row is.
func WriteCSV(w io.Writer, r Report, name func(user string) string) error {
	cw := csv.NewWriter(w)
	// week: questions, answers, people, mock interviews; topic: ratings,
	// key points, weakness, strength.
	rows := [][]string{{"section", "key", "value1", "value2", "value3", "value4"}}
	for _, wk := range r.Weeks {
		rows = append(rows, []string{"week", wk.Start.Format(time.DateOnly), strconv.Itoa(wk.Questions), strconv.Itoa(wk.Answers), strconv.Itoa(wk.People), strconv.Itoa(wk.Mocks)})
	}
	for _, t := range r.Topics {
		rows = append(rows, []string{"topic", t.Slug, fmt.Sprintf("%d/%d again or hard", t.Again+t.Hard, t.Rated), fmt.Sprintf("%d/%d key points covered", t.Covered, t.Points), strconv.FormatFloat(t.Weakness(), 'f', 3, 64), strconv.FormatFloat(t.Strength(), 'f', 3, 64)})
	}
	for _, rep := range r.Reported {
		rows = append(rows, []string{"reported", rep.QuestionID, strconv.Itoa(rep.Reports), "", "", ""})
	}
	for _, q := range r.Quiet {
		rows = append(rows, []string{"quiet", q.User, name(q.User), q.Last.Format(time.RFC3339), "", ""})
	}
	if err := cw.WriteAll(rows); err != nil {
		return fmt.Errorf("write insights CSV: %w", err)
	}
	return nil
}
