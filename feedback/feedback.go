// Package feedback tells a student which key points of a question their
// answer covered and which it missed, offline and deterministically: each
// key point's concepts (the bank's "concepts:" lines) are matched against
// the answer after the same normalisation (case, punctuation, accents, a
// light English stemmer), as whole phrases, ignoring a concept denied just
// before it ("not stateless"). Every decision can be explained: a covered
// point quotes the words of the answer that matched.
//
// A key point without concepts (a question added in Slack) is matched on
// its own words: covered when most of them appear in the answer.
package feedback

import (
	"fmt"
	"strings"
	"sync"

	"github.com/prepbot/prepbot/questions"
)

// Point is the verdict on one key point.
type Point struct {
	Text    string // the key point
	Covered bool
	// Evidence is the answer's own words that matched (empty if missed).
	Evidence string
}

// Result is the feedback on one answer.
type Result struct {
	// TooShort means the answer is too short to judge ("idk", "yes"), or
	// merely repeats the question: Points is then empty.
	TooShort bool
	Points   []Point
	Covered  int
	// Suggested is the self-rating the coverage suggests: "again", "hard"
	// or "good" ("easy" stays the student's call).
	Suggested string
	// Verdict is one line for people.
	Verdict string
}

// MinContentWords is the fewest meaningful words an answer needs to be
// judged.
const MinContentWords = 5

// Assess judges answer against q's key points.
func Assess(q questions.Question, answer string) Result {
	a := prepare(answer)
	ts := a.ts
	if contentWords(ts) < MinContentWords || pastesQuestion(ts, compile(q.Text).ts) {
		return Result{TooShort: true, Verdict: "Too short to judge: write a few sentences in your own words, then compare with the reference answer."}
	}
	r := Result{Points: make([]Point, len(q.KeyPoints))}
	for i, kp := range q.KeyPoints {
		var cs []string
		if i < len(q.Concepts) {
			cs = q.Concepts[i]
		}
		p := Point{Text: kp}
		// A key point that is itself a prohibition ("never bake secrets
		// into the image") is named by answers in the negative too: there
		// a negation does not deny the concept.
		a.denies = !prohibition(kp)
		if len(cs) > 0 {
			p.Evidence, p.Covered = matchAny(a, cs)
		} else {
			p.Evidence, p.Covered = matchWords(ts, answer, kp)
		}
		if p.Covered {
			r.Covered++
		}
		r.Points[i] = p
	}
	n := len(q.KeyPoints)
	switch {
	case n > 0 && r.Covered == n:
		r.Suggested = "good"
		r.Verdict = fmt.Sprintf("You covered all %d key points.", n)
	case r.Covered*2 >= n && r.Covered > 0:
		r.Suggested = "hard"
		r.Verdict = fmt.Sprintf("You covered %d of %d key points: look at the ones you missed.", r.Covered, n)
	default:
		r.Suggested = "again"
		r.Verdict = fmt.Sprintf("You covered %d of %d key points: read the reference answer closely.", r.Covered, n)
	}
	return r
}

// pastesQuestion reports an answer that adds no meaningful word to the
// question's own.
func pastesQuestion(answer, question []token) bool {
	inQ := map[string]bool{}
	for _, t := range question {
		inQ[t.stem] = true
	}
	for _, t := range answer {
		if !stopwords[t.stem] && !inQ[t.stem] {
			return false
		}
	}
	return true
}

// text is an answer prepared for matching: its tokens, and the stem of
// each pair of adjacent words written as one ("roll back" → "rollback").
type text struct {
	src    string
	ts     []token
	pairs  []string
	denies bool // a negation before a concept denies it
}

func prepare(src string) *text {
	t := &text{src: src, ts: tokenize(src)}
	t.pairs = make([]string, max(0, len(t.ts)-1))
	for i := range t.pairs {
		// Only words of three letters or more join: "a waiting" is not
		// "await".
		if len(t.ts[i].raw) >= 3 && len(t.ts[i+1].raw) >= 3 {
			t.pairs[i] = stem(t.ts[i].raw + t.ts[i+1].raw)
		}
	}
	return t
}

// concept is a bank phrase (a concept, a key point, a question's text)
// prepared for matching.
type concept struct {
	ts     []token
	joined string // the stem of its words written as one
}

// concepts caches prepared bank phrases: a bank has a few thousand, each
// matched against every answer to its question.
var concepts sync.Map // string -> concept

func compile(c string) concept {
	if v, ok := concepts.Load(c); ok {
		return v.(concept)
	}
	cc := concept{ts: tokenize(c)}
	var b strings.Builder
	for _, t := range cc.ts {
		b.WriteString(t.raw)
	}
	cc.joined = stem(b.String())
	concepts.Store(c, cc)
	return cc
}

// matchAny finds the first concept that occurs in the answer, undenied,
// and returns the answer's words it matched.
func matchAny(a *text, cs []string) (string, bool) {
	for _, c := range cs {
		if ev, ok := matchConcept(a, compile(c)); ok {
			return ev, true
		}
	}
	return "", false
}

// matchConcept looks for concept c in the answer: its stems in a row, or,
// for a one-word concept, two adjacent words that spell it ("roll back"
// for "rollback"), or, for a two-word concept, one word that spells both
// ("rollback" for "roll back").
func matchConcept(a *text, c concept) (string, bool) {
	n := len(c.ts)
	if n == 0 {
		return "", false
	}
	ts := a.ts
	for i := range ts {
		switch {
		case i+n <= len(ts) && sameStems(ts[i:i+n], c.ts) && a.oneSentence(i, i+n-1):
			if !a.negated(i) {
				return a.src[ts[i].start:ts[i+n-1].end], true
			}
		case n == 1 && i < len(a.pairs) && a.pairs[i] != "" && a.pairs[i] == c.ts[0].stem && a.oneSentence(i, i+1):
			if !a.negated(i) {
				return a.src[ts[i].start:ts[i+1].end], true
			}
		case n == 2 && ts[i].stem == c.joined:
			if !a.negated(i) {
				return a.src[ts[i].start:ts[i].end], true
			}
		}
	}
	return "", false
}

func sameStems(a, b []token) bool {
	for i := range b {
		if a[i].stem != b[i].stem {
			return false
		}
	}
	return true
}

// negated reports a negator within negationWindow words before token i,
// in the same clause: "if not, Kubernetes restarts it" does not deny
// "restarts".
func negated(ts []token, src string, i int) bool {
	for j := i - 1; j >= max(0, i-negationWindow); j-- {
		if hasBreak(src[ts[j].end:ts[j+1].start], clauseBreaks) {
			return false
		}
		if negators[ts[j].raw] {
			return true
		}
	}
	return false
}

// clauseBreaks end a clause: a negation does not reach past them.
const clauseBreaks = ".,;:!?()\n"

// sentenceBreaks end a sentence: a phrase does not match across them ("at
// the top. Layers" is not "top layer").
const sentenceBreaks = ".;!?\n"

func (a *text) negated(i int) bool { return a.denies && negated(a.ts, a.src, i) }

// oneSentence reports whether tokens i..j have no sentence break between
// them.
func (a *text) oneSentence(i, j int) bool {
	return j <= i || !hasBreak(a.src[a.ts[i].end:a.ts[j].start], sentenceBreaks)
}

// hasBreak reports whether gap, the text between two words, holds one of
// breaks. A dot only counts when it ends something (followed by a space or
// nothing): the dots in module.exports, Promise.all or 1.5 join words.
func hasBreak(gap, breaks string) bool {
	for i := 0; i < len(gap); i++ {
		c := gap[i]
		if strings.IndexByte(breaks, c) < 0 {
			continue
		}
		if c == '.' && i == len(gap)-1 {
			continue // the next word follows the dot at once
		}
		return true
	}
	return false
}

// prohibition reports a key point phrased as a rule against something:
// it opens with a negation ("Never bake secrets…", "Don't run as root",
// "Do not cache…"). A contrast later in the point ("a routing change, not
// a redeploy") does not make it one.
func prohibition(keyPoint string) bool {
	ts := compile(keyPoint).ts
	for _, t := range ts[:min(2, len(ts))] {
		if negators[t.raw] {
			return true
		}
	}
	return false
}

// matchWords is the fallback for a key point without concepts: covered
// when at least 60% of its meaningful words (and at least two) occur in
// the answer.
func matchWords(ts []token, answer, keyPoint string) (string, bool) {
	have := map[string]int{}
	for i, t := range ts {
		if _, seen := have[t.stem]; !seen && !negated(ts, answer, i) {
			have[t.stem] = i
		}
	}
	var want, found int
	var quotes []string
	for _, t := range compile(keyPoint).ts {
		if stopwords[t.stem] {
			continue
		}
		want++
		if i, ok := have[t.stem]; ok {
			found++
			quotes = append(quotes, answer[ts[i].start:ts[i].end])
		}
	}
	if want == 0 || found < 2 && want >= 2 || found*10 < want*6 {
		return "", false
	}
	return strings.Join(quotes, " … "), true
}
