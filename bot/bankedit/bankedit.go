// Package bankedit turns the question editor's form (the /prep add and
// edit modal) into a bank question, or into every field's problem at once,
// as Slack's response_action "errors" can show them. It knows the bank's
// rules through questions.Question.Validate and nothing of Slack or the
// store, so the whole form is tested as plain data.
package bankedit

import (
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/prepbot/prepbot/bot/render"
	"github.com/prepbot/prepbot/questions"
)

// Form is what the editor's inputs hold, as typed.
type Form struct {
	Topic, Difficulty, Question, Answer, KeyPoints, FollowUps string
}

// Bank is what Parse needs of the bank: whether an ID is taken (retired
// questions included: IDs are never reused) and the live questions, whose
// text a new one must not repeat.
type Bank interface {
	Taken(id string) bool
	All() []questions.Question
}

// maxError is Slack's limit on one field's error in a view submission.
const maxError = 150

// Parse validates f. editing is the ID of the question being edited, or ""
// for a new one, whose ID is made from its text. errs maps each input's
// block ID (render.Field…) to what is wrong with it; it is empty when q is
// ready to store.
func Parse(f Form, editing string, bank Bank) (q questions.Question, errs map[string]string) {
	errs = map[string]string{}
	add := func(field, msg string) { errs[field] = strings.TrimSpace(errs[field] + " " + msg) }

	q = questions.Question{
		Difficulty: strings.ToLower(strings.TrimSpace(f.Difficulty)),
		Text:       strings.TrimSpace(f.Question),
		Answer:     strings.TrimSpace(f.Answer),
		KeyPoints:  Lines(f.KeyPoints),
		FollowUps:  Lines(f.FollowUps),
		Origin:     "slack",
	}
	topic := ""
	if ts, ok := questions.MatchTopic(strings.TrimSpace(f.Topic)); ok && len(ts) == 1 {
		topic = ts[0]
	} else {
		add(render.FieldTopic, "Name one topic, such as databases or react.")
	}
	switch {
	case editing != "":
		q.ID = editing
		if topic != "" && !strings.HasPrefix(editing, topic+"/") {
			add(render.FieldTopic, "An edit keeps its topic (the ID "+editing+" is stable); retire it and add a new one to move it.")
		}
	case topic != "":
		q.ID = freeID(topic, Slug(q.Text), bank)
	}
	// Check the other fields even when the topic is wrong, so that every
	// problem shows at once: a stand-in ID keeps the ID's own rules quiet.
	check := q
	if check.ID == "" || errs[render.FieldTopic] != "" {
		check.ID = "databases/stand-in"
	}
	if err := check.Validate(); err != nil {
		for _, msg := range messages(err) {
			add(fieldFor(msg), msg)
		}
	}
	if errs[render.FieldQuestion] == "" {
		for _, other := range bank.All() {
			if other.ID != q.ID && normalize(other.Text) == normalize(q.Text) {
				add(render.FieldQuestion, "The bank already has this question: "+other.ID)
				break
			}
		}
	}
	for k, v := range errs {
		errs[k] = render.Truncate(v, maxError)
	}
	return q, errs
}

// Lines splits a multi-line input into items, dropping list markers and
// blank lines.
func Lines(s string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		l = strings.TrimSpace(strings.TrimLeft(strings.TrimSpace(l), "-•*"))
		if l != "" {
			out = append(out, l)
		}
	}
	return out
}

var slugWord = regexp.MustCompile(`[a-z0-9]+`)

// Slug makes a kebab slug from question text: its first few words that
// carry meaning.
func Slug(text string) string {
	skip := map[string]bool{"what": true, "is": true, "are": true, "the": true, "a": true, "an": true, "how": true, "do": true, "does": true, "why": true, "of": true}
	var kept []string
	for _, w := range slugWord.FindAllString(strings.ToLower(text), -1) {
		if !skip[w] && len(kept) < 5 {
			kept = append(kept, w)
		}
	}
	if len(kept) == 0 {
		kept = []string{"question"}
	}
	return strings.Join(kept, "-")
}

// freeID returns topic/slug, with a number appended if taken.
func freeID(topic, slug string, bank Bank) string {
	id := topic + "/" + slug
	for n := 2; bank.Taken(id); n++ {
		id = fmt.Sprintf("%s/%s-%d", topic, slug, n)
	}
	return id
}

func normalize(s string) string {
	return strings.Join(slugWord.FindAllString(strings.ToLower(s), -1), " ")
}

func messages(err error) []string {
	var errs questions.Errors
	if errors.As(err, &errs) {
		out := make([]string, 0, len(errs))
		for _, e := range errs {
			out = append(out, e.Msg)
		}
		return out
	}
	return []string{err.Error()}
}

// fieldFor maps a validation message to the input it is about.
func fieldFor(msg string) string {
	m := strings.ToLower(msg)
	switch {
	case strings.Contains(m, "difficulty"):
		return render.FieldDifficulty
	case strings.Contains(m, "key point"):
		return render.FieldKeyPoints
	case strings.Contains(m, "follow"):
		return render.FieldFollowUps
	case strings.Contains(m, "answer") || strings.Contains(m, "word"):
		return render.FieldAnswer
	default:
		return render.FieldQuestion
	}
}
