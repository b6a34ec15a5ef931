// Package questions holds prepbot's question bank: the Question and Topic
// types, the Markdown bank format (parser, validator and writer), the bank
// embedded in the binary, and Bank, the immutable in-memory index the bot
// serves questions from.
//
// The file format is specified in README.md beside this file. Load reads a
// folder of bank files, Merge lays a user's folder over a bank, and NewBank
// builds a bank from stored records. All three validate the whole result and
// report every problem at once as Errors.
//
// The package imports only the standard library and the module's own
// stdlib-only internal packages (internal/fence), so that the bank, its lint
// and its tools build without Slack, bbolt or cron.
package questions

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/prepbot/prepbot/internal/fence"
)

// Question is one interview question with its reference answer.
type Question struct {
	// ID is stable forever: "topic/kebab-slug", e.g. "deployment/blue-green".
	ID string `json:"id"`
	// Track and Topic follow from the ID; NewBank fills them in when empty.
	Track string `json:"track"`
	Topic string `json:"topic"`
	// Difficulty is "easy", "medium" or "hard".
	Difficulty string `json:"difficulty"`
	// Text is the question, one line.
	Text string `json:"text"`
	// Answer is the reference answer, Markdown.
	Answer    string   `json:"answer"`
	KeyPoints []string `json:"key_points"`
	// Concepts holds, for each key point by index, the terms and phrasings
	// that show a candidate named it ("rollback", "roll back", "revert to
	// blue"): feedback matches answers against them. Nil, or shorter than
	// KeyPoints, where a question has none (questions added in Slack).
	Concepts  [][]string `json:"concepts,omitempty"`
	FollowUps []string   `json:"follow_ups,omitempty"`
	Tags      []string   `json:"tags,omitempty"`
	// Origin says where the question came from: "backend/deployment.md:12"
	// (file and line of its heading) for bank files; callers may set other
	// values, such as "slack" for questions added in Slack.
	Origin string `json:"origin,omitempty"`
}

// Limits of the bank format.
const (
	MinAnswerWords = 60
	MaxAnswerWords = 220
	MinKeyPoints   = 2
	MaxKeyPoints   = 5
)

// Difficulties lists the valid difficulties, easiest first.
var Difficulties = []string{"easy", "medium", "hard"}

// Error is one problem found in a bank: a file (or a question's Origin), a
// line (0 when unknown) and a message.
type Error struct {
	File string
	Line int
	Msg  string
}

// Error returns "file:line: msg", or "file: msg" when the line is unknown.
func (e Error) Error() string {
	if e.Line <= 0 {
		return fmt.Sprintf("%s: %s", e.File, e.Msg)
	}
	return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
}

// Errors is every problem found in a bank, sorted by file then line. Load,
// Merge, NewBank and Parse return it as their error; use errors.As to get it.
type Errors []Error

// Error returns the problems one per line.
func (es Errors) Error() string {
	lines := make([]string, len(es))
	for i, e := range es {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
}

// sort orders es by file then line, keeping the order of finds on one line.
func (es Errors) sort() {
	slices.SortStableFunc(es, func(a, b Error) int {
		return cmp.Or(strings.Compare(a.File, b.File), cmp.Compare(a.Line, b.Line))
	})
}

// err returns es sorted as an error, or nil when there are none. (A nil
// Errors in an error interface would not compare equal to nil.)
func (es Errors) err() error {
	if len(es) == 0 {
		return nil
	}
	es.sort()
	return es
}

// add records a problem.
func (es *Errors) add(file string, line int, format string, args ...any) {
	*es = append(*es, Error{File: file, Line: line, Msg: fmt.Sprintf(format, args...)})
}

// splitOrigin splits an Origin such as "backend/deployment.md:12" into file
// and line; any other origin is returned whole with line 0.
func splitOrigin(origin string) (file string, line int) {
	i := strings.LastIndexByte(origin, ':')
	if i < 0 {
		return origin, 0
	}
	n, err := strconv.Atoi(origin[i+1:])
	if err != nil || n <= 0 {
		return origin, 0
	}
	return origin[:i], n
}

// Validate checks q's fields against the rules of the bank format (ID,
// difficulty, one-line text ending in "?" or ".", answer length and markup,
// key points, follow-ups, tags) and returns the problems as Errors located
// at q.Origin, or nil. It checks q as NewBank would store it: surrounding
// spaces and blank lines do not matter, and Track and Topic may be empty
// (if set they must agree with the ID). The bot calls it before storing a
// question added in Slack.
func (q Question) Validate() error {
	file, line := splitOrigin(q.Origin)
	if file == "" {
		file = q.ID
	}
	var es Errors
	for _, msg := range q.normalized().problems() {
		es.add(file, line, "%s", msg)
	}
	return es.err()
}

// problems returns the messages Validate reports, in field order.
func (q Question) problems() []string {
	var out []string
	add := func(msg string) {
		if msg != "" {
			out = append(out, msg)
		}
	}
	add(checkText(q.Text))
	add(checkID(q.ID))
	add(checkPlacement(q))
	add(checkDifficulty(q.Difficulty))
	add(checkTags(q.Tags))
	for _, msg := range checkAnswerMarkup(q.Answer) {
		add(msg)
	}
	add(checkAnswerWords(q.Answer))
	add(checkList(keyPointsHeading, q.KeyPoints, MinKeyPoints, MaxKeyPoints))
	for _, msg := range checkConcepts(q) {
		add(msg)
	}
	add(checkList(followUpsHeading, q.FollowUps, 0, -1))
	return out
}

// checkText checks the question text: one non-empty line ending in ? or .
func checkText(text string) string {
	switch {
	case strings.TrimSpace(text) == "":
		return "question text is empty"
	case strings.ContainsAny(text, "\r\n"):
		return "question text must be one line"
	case !strings.HasSuffix(text, "?") && !strings.HasSuffix(text, "."):
		return fmt.Sprintf("question %q must end with \"?\" or \".\"", text)
	}
	return ""
}

// checkID checks that id is "topic/kebab-slug" with a known topic.
func checkID(id string) string {
	if id == "" {
		return "missing id"
	}
	topic, slug, ok := strings.Cut(id, "/")
	if !ok || !isKebab(topic) || !isKebab(slug) {
		return fmt.Sprintf("invalid id %q: want topic/kebab-slug of lowercase letters, digits and hyphens", id)
	}
	if _, ok := LookupTopic(topic); !ok {
		return fmt.Sprintf("unknown topic %q in id %q", topic, id)
	}
	return ""
}

// isKebab reports whether s is lowercase words of letters and digits joined
// by single hyphens.
func isKebab(s string) bool {
	if s == "" || s[0] == '-' || s[len(s)-1] == '-' || strings.Contains(s, "--") {
		return false
	}
	for _, c := range []byte(s) {
		if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

// checkPlacement checks that a set Topic and Track agree with the ID.
func checkPlacement(q Question) string {
	topic, _, _ := strings.Cut(q.ID, "/")
	t, ok := LookupTopic(topic)
	if !ok {
		return "" // checkID reports it
	}
	if q.Topic != "" && q.Topic != t.Slug {
		return fmt.Sprintf("topic %q does not match id %q", q.Topic, q.ID)
	}
	if q.Track != "" && q.Track != t.Track {
		return fmt.Sprintf("track %q does not match topic %q (track %q)", q.Track, t.Slug, t.Track)
	}
	return ""
}

// checkDifficulty checks that d is one of Difficulties.
func checkDifficulty(d string) string {
	if d == "" {
		return "missing difficulty"
	}
	if !slices.Contains(Difficulties, d) {
		return fmt.Sprintf("invalid difficulty %q: want easy, medium or hard", d)
	}
	return ""
}

// checkTags checks that every tag is non-empty and can be written back on
// a metadata line.
func checkTags(tags []string) string {
	for _, t := range tags {
		if t == "" {
			return "empty tag in tags"
		}
		if strings.ContainsAny(t, ",|\r\n") {
			return fmt.Sprintf("invalid tag %q: want words separated by commas", t)
		}
	}
	return ""
}

// checkAnswerWords checks the answer's length in words.
func checkAnswerWords(answer string) string {
	n := countWords(answer)
	if n < MinAnswerWords || n > MaxAnswerWords {
		return fmt.Sprintf("answer has %d words; want %d to %d", n, MinAnswerWords, MaxAnswerWords)
	}
	return ""
}

// countWords counts the words of a Markdown answer: whitespace-separated
// tokens with at least one letter or digit, outside fenced code blocks
// (code illustrates the answer; the limits are about the prose).
func countWords(answer string) int {
	n := 0
	var f fence.Scanner
	for line := range strings.Lines(answer) {
		if f.Step(line).Code() {
			continue
		}
		for _, w := range strings.Fields(line) {
			if hasAlnum(w) {
				n++
			}
		}
	}
	return n
}

// hasAlnum reports whether s has a letter or digit.
func hasAlnum(s string) bool {
	return strings.IndexFunc(s, isAlnum) >= 0
}

// checkAnswerMarkup checks an answer on its own, as NewBank gets it: no
// headings, tables or images, no unclosed code block. (Parse finds the same
// problems with their exact lines.)
func checkAnswerMarkup(answer string) []string {
	var out []string
	var f fence.Scanner
	for line := range strings.Lines(answer) {
		if f.Step(line).Code() {
			continue
		}
		line = strings.TrimRight(line, "\r\n")
		if headingLevel(line) > 0 {
			out = append(out, fmt.Sprintf("heading %q is not allowed in an answer", line))
		} else if msg := lineProblem(line); msg != "" {
			out = append(out, msg)
		}
	}
	if f.InBlock() {
		out = append(out, "unclosed code block in answer")
	}
	return out
}

// lineProblem reports Markdown an answer line may not use.
func lineProblem(line string) string {
	t := strings.TrimSpace(line)
	switch {
	case strings.HasPrefix(t, "|"):
		return "tables are not supported in answers"
	case strings.Contains(t, "!["):
		return "images are not supported in answers"
	}
	return ""
}

// checkList checks a key points or follow-ups list: between lo and hi items
// (hi < 0: no upper limit), each one non-empty line.
func checkList(heading string, items []string, lo, hi int) string {
	for _, it := range items {
		if strings.TrimSpace(it) == "" {
			return fmt.Sprintf("### %s: empty item", heading)
		}
		if strings.ContainsAny(it, "\r\n") {
			return fmt.Sprintf("### %s: item %q must be one line", heading, it)
		}
	}
	if len(items) < lo || (hi >= 0 && len(items) > hi) {
		return fmt.Sprintf("### %s has %d items; want %d to %d", heading, len(items), lo, hi)
	}
	return ""
}

// normalizeText reduces question text to lowercase letters and digits, so
// that texts differing only in case, spacing or punctuation compare equal.
func normalizeText(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if isAlnum(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// checkConcepts checks each key point's concepts: no empty or repeated
// concept within a question, and no concepts for a key point that does not
// exist. A key point without concepts loads (feedback then falls back to
// its own words); Bank.MissingConcepts, which lint runs, reports it.
func checkConcepts(q Question) []string {
	var out []string
	if len(q.Concepts) > len(q.KeyPoints) {
		out = append(out, fmt.Sprintf("### %s: %d concept lines for %d key points", keyPointsHeading, len(q.Concepts), len(q.KeyPoints)))
	}
	seen := map[string]int{}
	for i := range q.KeyPoints {
		var cs []string
		if i < len(q.Concepts) {
			cs = q.Concepts[i]
		}
		for _, c := range cs {
			k := NormalizeConcept(c)
			switch {
			case k == "":
				out = append(out, fmt.Sprintf("### %s: key point %d has an empty concept", keyPointsHeading, i+1))
			case seen[k] > 0:
				out = append(out, fmt.Sprintf("### %s: concept %q repeated (key points %d and %d)", keyPointsHeading, c, seen[k], i+1))
			default:
				seen[k] = i + 1
			}
		}
	}
	return out
}

// NormalizeConcept is how concepts compare: lowercase words of letters and
// digits separated by single spaces.
func NormalizeConcept(s string) string {
	var b strings.Builder
	space := false
	for _, r := range strings.ToLower(s) {
		if isAlnum(r) {
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			b.WriteRune(r)
			space = false
		} else {
			space = true
		}
	}
	return b.String()
}

// conceptsPrefix begins a key point's concepts line in a bank file.
const conceptsPrefix = "concepts:"

// parseConcepts splits "concepts: a, b, c" into its concepts.
func parseConcepts(line string) []string {
	rest := strings.TrimSpace(line)[len(conceptsPrefix):]
	var out []string
	for _, c := range strings.Split(rest, ",") {
		out = append(out, strings.TrimSpace(c))
	}
	return out
}

// trimConcepts returns a trimmed copy of concepts, nil when there are none.
func trimConcepts(cs [][]string) [][]string {
	if len(cs) == 0 {
		return nil
	}
	out := make([][]string, len(cs))
	for i, c := range cs {
		out[i] = trimAll(c)
	}
	return out
}
