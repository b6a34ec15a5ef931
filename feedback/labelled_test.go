package feedback_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/prepbot/prepbot/feedback"
	"github.com/prepbot/prepbot/questions"
)

// labelled is one question's hand-graded answers (questions/testdata/feedback).
type labelled struct {
	Question string `json:"question"`
	Answers  []struct {
		Kind   string `json:"kind"`
		Covers []int  `json:"covers"`
		Text   string `json:"text"`
	} `json:"answers"`
}

func loadLabelled(t *testing.T) map[string][]labelled {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("..", "questions", "testdata", "feedback", "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]labelled{}
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var ls []labelled
		if err := json.Unmarshal(raw, &ls); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		out[strings.TrimSuffix(filepath.Base(f), ".json")] = ls
	}
	return out
}

// score is a confusion count over key-point decisions.
type score struct{ tp, fp, fn, tn int }

func (s *score) add(said, truth bool) {
	switch {
	case said && truth:
		s.tp++
	case said:
		s.fp++
	case truth:
		s.fn++
	default:
		s.tn++
	}
}

func (s score) precision() float64 { return ratio(s.tp, s.tp+s.fp) }
func (s score) recall() float64    { return ratio(s.tp, s.tp+s.fn) }

func ratio(a, b int) float64 {
	if b == 0 {
		return 1
	}
	return float64(a) / float64(b)
}

// evaluate runs every labelled answer through Assess with bank's concepts.
func evaluate(t *testing.T, bank *questions.Bank, sets map[string][]labelled, verbose bool) (all score, byTopic map[string]*score, questionsSeen int) {
	t.Helper()
	return evaluateWith(t.Errorf, t.Logf, bank, sets, verbose)
}

func evaluateWith(errorf, logf func(string, ...any), bank *questions.Bank, sets map[string][]labelled, verbose bool) (all score, byTopic map[string]*score, questionsSeen int) {
	byTopic = map[string]*score{}
	for topic, ls := range sets {
		sc := &score{}
		byTopic[topic] = sc
		for _, l := range ls {
			q, ok := bank.Get(l.Question)
			if !ok {
				errorf("labelled set %s: no question %s in the bank", topic, l.Question)
				continue
			}
			questionsSeen++
			for ai, a := range l.Answers {
				r := feedback.Assess(q, a.Text)
				if a.Kind == "too-short" {
					if !r.TooShort {
						errorf("%s answer %d (too-short) was judged: %s", q.ID, ai+1, r.Verdict)
					}
					continue
				}
				if r.TooShort {
					errorf("%s answer %d (%s) was judged too short", q.ID, ai+1, a.Kind)
					continue
				}
				for i := range q.KeyPoints {
					truth := slices.Contains(a.Covers, i+1)
					said := r.Points[i].Covered
					sc.add(said, truth)
					all.add(said, truth)
					if verbose && said != truth {
						logf("%s #%d (%s) key point %d: said %v, grader %v; evidence %q; point %q", q.ID, ai+1, a.Kind, i+1, said, truth, r.Points[i].Evidence, q.KeyPoints[i])
					}
				}
			}
		}
	}
	return all, byTopic, questionsSeen
}

// TestLabelledSet measures the matcher on the hand-graded answers: over
// every (answer, key point) decision, precision at least 0.9 (what it
// calls covered, the grader does too) and recall at least 0.8.
//
//	go test ./feedback/ -run TestLabelledSet -v
func TestLabelledSet(t *testing.T) {
	bank, err := questions.Default()
	if err != nil {
		t.Fatal(err)
	}
	sets := loadLabelled(t)
	all, byTopic, n := evaluate(t, bank, sets, testing.Verbose())
	topics := make([]string, 0, len(byTopic))
	for tp := range byTopic {
		topics = append(topics, tp)
	}
	sort.Strings(topics)
	for _, tp := range topics {
		s := byTopic[tp]
		t.Logf("%-22s precision %.3f recall %.3f (tp %d fp %d fn %d tn %d)", tp, s.precision(), s.recall(), s.tp, s.fp, s.fn, s.tn)
	}
	t.Logf("all: %d questions, %d decisions: precision %.3f recall %.3f", n, all.tp+all.fp+all.fn+all.tn, all.precision(), all.recall())
	if all.precision() < 0.9 || all.recall() < 0.8 {
		t.Errorf("precision %.3f, recall %.3f; want at least 0.9 and 0.8", all.precision(), all.recall())
	}
}

// TestLabelledSetSize: the set covers at least 40 questions and every
// topic of the bank, with at least 3 answers per question.
func TestLabelledSetSize(t *testing.T) {
	sets := loadLabelled(t)
	n := 0
	for topic, ls := range sets {
		for _, l := range ls {
			n++
			if len(l.Answers) < 3 {
				t.Errorf("%s: %s has %d answers; want at least 3", topic, l.Question, len(l.Answers))
			}
		}
	}
	if n < 40 {
		t.Errorf("the labelled set has %d questions; want at least 40", n)
	}
	seen := map[string]bool{}
	for _, ls := range sets {
		for _, l := range ls {
			topic, _, _ := strings.Cut(l.Question, "/")
			seen[topic] = true
		}
	}
	for _, tp := range questions.Topics {
		if !seen[tp.Slug] {
			t.Errorf("no labelled question in topic %s", tp.Slug)
		}
	}
}

// TestConceptsMatter is the mutation check: drop one concept from each key
// point that the set's answers covered through it, and recall falls.
func TestConceptsMatter(t *testing.T) {
	bank, err := questions.Default()
	if err != nil {
		t.Fatal(err)
	}
	sets := loadLabelled(t)
	before, _, _ := evaluate(t, bank, sets, false)
	var qs []questions.Question
	for _, q := range bank.All() {
		q.Concepts = slices.Clone(q.Concepts)
		for i, cs := range q.Concepts {
			if len(cs) > 0 {
				q.Concepts[i] = cs[1:] // the first concept of every key point gone
			}
		}
		qs = append(qs, q)
	}
	mutated, err := questions.NewBank(qs, questions.Guides{})
	if err != nil {
		t.Fatal(err)
	}
	after, _, _ := evaluateWith(func(string, ...any) {}, t.Logf, mutated, sets, false)
	t.Logf("recall %.3f with every concept, %.3f without each key point's first", before.recall(), after.recall())
	if after.recall() >= before.recall() {
		t.Errorf("removing concepts did not lower recall (%.3f → %.3f): the set does not test them", before.recall(), after.recall())
	}
}
