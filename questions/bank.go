package questions

import (
	"cmp"
	"math/bits"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
)

// Guides holds the bank's free-text Markdown guides.
type Guides struct {
	// Tips is guides/tips.md: interview principles and tips.
	Tips string `json:"tips,omitempty"`
	// Star is guides/star.md: the STAR guide for behavioural questions.
	Star string `json:"star,omitempty"`
}

// Bank is a validated, indexed set of questions and the guides. It is
// immutable after construction and safe for concurrent use. Questions it
// returns share their slices (KeyPoints, FollowUps, Tags) with the bank:
// callers must not modify them.
type Bank struct {
	qs      []Question     // sorted by ID
	byID    map[string]int // index into qs
	byTopic [][]int32      // per index in Topics: indexes into qs, by ID
	topicOf []uint8        // per question: its index in Topics
	guides  Guides
}

// NewBank builds a bank from questions, such as the records the bot keeps
// in its store, and guides. Each question is normalised (surrounding spaces
// and blank lines trimmed; Topic and Track filled in from the ID) and
// validated like a bank file, with errors located at its Origin; IDs and
// question texts must be unique. On any problem NewBank returns Errors.
func NewBank(qs []Question, g Guides) (*Bank, error) {
	entries := make([]entry, 0, len(qs))
	var errs Errors
	for i, q := range qs {
		q = q.normalized()
		file, line := splitOrigin(q.Origin)
		if file == "" {
			file = cmp.Or(q.ID, "question "+strconv.Itoa(i+1))
		}
		for _, msg := range q.problems() {
			errs.add(file, line, "%s", msg)
		}
		q.Topic, q.Track = placement(q.ID)
		entries = append(entries, entry{q: q, file: file, line: line})
	}
	return build(entries, g, errs)
}

// normalized returns a copy of q with its own slices, trimmed text, items
// and tags, an answer without surrounding blank lines or CRs, and Topic and
// Track filled in from the ID when empty.
func (q Question) normalized() Question {
	q.Text = strings.TrimSpace(q.Text)
	q.Answer = trimBlankLines(strings.ReplaceAll(q.Answer, "\r\n", "\n"))
	q.KeyPoints = trimAll(q.KeyPoints)
	q.Concepts = trimConcepts(q.Concepts)
	q.FollowUps = trimAll(q.FollowUps)
	q.Tags = trimAll(q.Tags)
	topic, track := placement(q.ID)
	q.Topic = cmp.Or(q.Topic, topic)
	q.Track = cmp.Or(q.Track, track)
	return q
}

// trimAll returns a trimmed copy of ss, nil when ss is empty.
func trimAll(ss []string) []string {
	if len(ss) == 0 {
		return nil
	}
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = strings.TrimSpace(s)
	}
	return out
}

// build checks entries for duplicates and, when neither that nor the
// earlier errs found a problem, indexes them into a Bank.
func build(entries []entry, g Guides, errs Errors) (*Bank, error) {
	checkDuplicates(entries, &errs)
	if err := errs.err(); err != nil {
		return nil, err
	}
	return index(entries, g), nil
}

// checkDuplicates reports every question whose ID or normalised text was
// already used by an earlier entry.
func checkDuplicates(entries []entry, errs *Errors) {
	ids := make(map[string]Question, len(entries))
	texts := make(map[string]Question, len(entries))
	for _, e := range entries {
		if id := e.q.ID; id != "" {
			if first, ok := ids[id]; ok {
				errs.add(e.file, e.line, "duplicate id %q (first at %s)", id, first.Origin)
			} else {
				ids[id] = e.q
			}
		}
		if key := normalizeText(e.q.Text); key != "" {
			if first, ok := texts[key]; ok {
				errs.add(e.file, e.line, "duplicate question text: same as %s (%s)", first.ID, first.Origin)
			} else {
				texts[key] = e.q
			}
		}
	}
}

// index builds the bank's lookup tables from valid entries.
func index(entries []entry, g Guides) *Bank {
	b := &Bank{
		qs:      make([]Question, len(entries)),
		byID:    make(map[string]int, len(entries)),
		byTopic: make([][]int32, len(Topics)),
		topicOf: make([]uint8, len(entries)),
		guides:  g,
	}
	for i, e := range entries {
		b.qs[i] = e.q
	}
	slices.SortFunc(b.qs, func(a, b Question) int { return strings.Compare(a.ID, b.ID) })
	for i, q := range b.qs {
		t := topicIndex[q.Topic]
		b.byID[q.ID] = i
		b.topicOf[i] = uint8(t)
		b.byTopic[t] = append(b.byTopic[t], int32(i))
	}
	return b
}

// Len returns the number of questions.
func (b *Bank) Len() int { return len(b.qs) }

// Get returns the question with the given ID.
func (b *Bank) Get(id string) (Question, bool) {
	i, ok := b.byID[id]
	if !ok {
		return Question{}, false
	}
	return b.qs[i], true
}

// All returns every question, sorted by ID. The slice is a fresh copy; the
// questions' own slices are shared and must not be modified.
func (b *Bank) All() []Question { return slices.Clone(b.qs) }

// Guides returns the bank's guides.
func (b *Bank) Guides() Guides { return b.guides }

// Tips returns the tips guide (Markdown), or "" if the bank has none.
func (b *Bank) Tips() string { return b.guides.Tips }

// Star returns the STAR guide (Markdown), or "" if the bank has none.
func (b *Bank) Star() string { return b.guides.Star }

// TopicCounts returns the number of questions in each known topic, zero
// included, keyed by topic slug.
func (b *Bank) TopicCounts() map[string]int {
	m := make(map[string]int, len(Topics))
	for i, t := range Topics {
		m[t.Slug] = len(b.byTopic[i])
	}
	return m
}

// mask returns the set of topics named by topics (slugs or track names;
// unknown names add nothing), or every topic when topics is empty.
func mask(topics []string) uint64 {
	if len(topics) == 0 {
		return 1<<len(Topics) - 1
	}
	var m uint64
	for _, t := range topics {
		if i, ok := topicIndex[t]; ok {
			m |= 1 << i
		} else {
			m |= trackMasks[t]
		}
	}
	return m
}

// InTopics returns the IDs, sorted, of the questions in the given topics.
// A topic is a slug or a track name (use MatchTopic for what users type);
// unknown names match nothing; no topics means the whole bank.
func (b *Bank) InTopics(topics ...string) []string {
	m := mask(topics)
	var ids []string
	for i, q := range b.qs {
		if m&(1<<b.topicOf[i]) != 0 {
			ids = append(ids, q.ID)
		}
	}
	return ids
}

// Random returns a question chosen uniformly from the given topics (slugs
// or track names, as for InTopics; none means the whole bank), drawing from
// r, or from math/rand/v2's global source when r is nil. ok is false when
// no question matches. It takes time proportional to the number of topics
// at most and does not allocate.
func (b *Bank) Random(r *rand.Rand, topics ...string) (q Question, ok bool) {
	return b.RandomExcept(r, "", topics...)
}

// RandomExcept is Random that does not return the question with ID except
// (the one on screen, for "another question") unless it is the only one in
// the topics. It does not allocate either.
func (b *Bank) RandomExcept(r *rand.Rand, except string, topics ...string) (q Question, ok bool) {
	m := mask(topics)
	n := 0
	for s := m; s != 0; s &= s - 1 {
		n += len(b.byTopic[bits.TrailingZeros64(s)])
	}
	if n == 0 {
		return Question{}, false
	}
	skip := -1 // the excluded question's index in qs, if it is in the pool
	if i, found := b.byID[except]; found && n > 1 && m&(1<<b.topicOf[i]) != 0 {
		skip = i
		n--
	}
	k := intN(r, n)
	for s := m; s != 0; s &= s - 1 {
		t := bits.TrailingZeros64(s)
		ids := b.byTopic[t]
		size := len(ids)
		if skip >= 0 && t == int(b.topicOf[skip]) {
			size-- // the draw was from the others: step over the excluded one
			if j, _ := slices.BinarySearch(ids, int32(skip)); k < size && k >= j {
				return b.qs[ids[k+1]], true
			}
		}
		if k < size {
			return b.qs[ids[k]], true
		}
		k -= size
	}
	return Question{}, false // unreachable: k < n
}

// intN draws from [0, n) with r, or with the global source when r is nil.
func intN(r *rand.Rand, n int) int {
	if r == nil {
		return rand.IntN(n)
	}
	return r.IntN(n)
}

// MissingConcepts reports each key point without concepts, at its
// question's file and line; questions added in Slack are not checked.
// `prepbot questions lint` fails on them: every bank file's key point
// carries the concepts that feedback matches answers against.
func (b *Bank) MissingConcepts() Errors {
	var es Errors
	for _, q := range b.qs {
		if q.Origin == "slack" {
			continue
		}
		file, line := splitOrigin(q.Origin)
		for i := range q.KeyPoints {
			if i >= len(q.Concepts) || len(q.Concepts[i]) == 0 {
				es.add(cmp.Or(file, q.ID), line, "%s: key point %d has no concepts (add an indented \"concepts: a, b\" line under it)", q.ID, i+1)
			}
		}
	}
	return es
}
