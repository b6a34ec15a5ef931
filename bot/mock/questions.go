package mock

import (
	"cmp"
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"github.com/prepbot/prepbot/store"
)

// Technical is how many technical questions an interviewer gets for each
// candidate; one behavioural question comes on top.
const Technical = 2

// Pick chooses the interviewer's questions for one candidate: Technical
// questions from technical, then one from behavioural.
//
// Technical questions come first from what the candidate is due to review
// or rated Again or Hard last time (one of those cards, the most overdue),
// then from questions they have not met yet in those weak topics (new
// ground where they struggle), then from the rest of the pool. Questions
// the candidate was asked in earlier mock rounds (asked) come last. The
// order within each tier is shuffled by seed, so the result is the same
// for the same input: the round is stored before anything is sent, and a
// retry must send the same packet.
func Pick(cards []store.Card, technical, behavioural []string, topicOf func(id string) string, asked map[string]bool, now time.Time, seed uint64) []string {
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	inPool := map[string]bool{}
	for _, id := range technical {
		inPool[id] = true
	}
	known := map[string]bool{}
	var weak []store.Card
	weakTopics := map[string]int{}
	for _, c := range cards {
		known[c.QuestionID] = true
		if !inPool[c.QuestionID] {
			continue
		}
		if !c.Due.After(now) || lastRating(c) == "again" || lastRating(c) == "hard" {
			weak = append(weak, c)
			weakTopics[topicOf(c.QuestionID)]++
		}
	}
	slices.SortFunc(weak, func(a, b store.Card) int {
		return cmp.Or(a.Due.Compare(b.Due), strings.Compare(a.QuestionID, b.QuestionID))
	})

	var review, newInWeak, rest []string
	for _, c := range weak {
		review = append(review, c.QuestionID)
	}
	pool := slices.Clone(technical)
	slices.Sort(pool)
	for _, id := range pool {
		switch {
		case known[id]:
		case weakTopics[topicOf(id)] > 0:
			newInWeak = append(newInWeak, id)
		default:
			rest = append(rest, id)
		}
	}
	shuffle(rng, newInWeak)
	shuffle(rng, rest)
	var order []string
	if len(review) > 0 {
		order = append(order, review[0])
	}
	order = append(order, newInWeak...)
	order = append(order, review...)
	order = append(order, rest...)
	// Anything already known and not weak is a last resort.
	order = append(order, pool...)

	out := take(order, asked, Technical)
	bs := slices.Clone(behavioural)
	slices.Sort(bs)
	shuffle(rng, bs)
	return append(out, take(bs, asked, 1)...)
}

// take returns the first n distinct IDs of order, those not in asked
// before those in it.
func take(order []string, asked map[string]bool, n int) []string {
	var out []string
	seen := map[string]bool{}
	for _, pass := range []bool{false, true} {
		for _, id := range order {
			if len(out) == n {
				return out
			}
			if seen[id] || asked[id] != pass {
				continue
			}
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}

func lastRating(c store.Card) string {
	if len(c.History) == 0 {
		return ""
	}
	return c.History[len(c.History)-1].Rating
}

func shuffle(rng *rand.Rand, ids []string) {
	rng.Shuffle(len(ids), func(i, j int) { ids[i], ids[j] = ids[j], ids[i] })
}

// Seed is the shuffle seed of one candidate's questions in one round.
func Seed(channel string, at time.Time, candidate string) uint64 {
	h := fnv.New64a()
	fmt.Fprintf(h, "%s|%d|%s", channel, at.Unix(), candidate)
	return h.Sum64()
}

// Days of the week as people type them, to cron's numbers.
var days = map[string]int{
	"sun": 0, "sunday": 0, "mon": 1, "monday": 1, "tue": 2, "tues": 2, "tuesday": 2,
	"wed": 3, "wednesday": 3, "thu": 4, "thur": 4, "thurs": 4, "thursday": 4,
	"fri": 5, "friday": 5, "sat": 6, "saturday": 6,
}

// Weekly turns "mon 10:00" (a day and a 24-hour time) into the cron spec
// of that weekly slot, "0 10 * * 1". The error says what was wrong in
// words a person can act on.
func Weekly(day, clock string) (string, error) {
	d, ok := days[strings.ToLower(strings.TrimSuffix(day, ","))]
	if !ok {
		return "", fmt.Errorf("`%s` is not a day of the week: use mon, tue, wed, thu, fri, sat or sun", truncate(day, 20))
	}
	t, err := time.Parse("15:04", clock)
	if err != nil || len(clock) != 5 {
		return "", fmt.Errorf("`%s` is not a time: use 24-hour HH:MM, like 10:00 or 16:30", truncate(clock, 20))
	}
	return fmt.Sprintf("%d %d * * %d", t.Minute(), t.Hour(), d), nil
}

// DayClock describes a Weekly spec back ("Monday 10:00"), or the spec
// itself if it is not one Weekly makes.
func DayClock(spec string) string {
	var min, hour, day int
	if n, err := fmt.Sscanf(spec, "%d %d * * %d", &min, &hour, &day); err != nil || n != 3 || day < 0 || day > 6 {
		return spec
	}
	return fmt.Sprintf("%s %02d:%02d", time.Weekday(day), hour, min)
}

func truncate(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}
