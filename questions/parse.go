package questions

import (
	"fmt"
	"strings"
	"unicode"

	// The only import from outside the standard library: questions stays
	// stdlib-only, and internal/fence is a stdlib-only package of this
	// module (the code-fence scanner it shares with internal/mrkdwn).
	"github.com/prepbot/prepbot/internal/fence"
)

// Section headings inside a question.
const (
	keyPointsHeading = "Key points"
	followUpsHeading = "Follow-ups"
)

// entry is a parsed question with the position of its heading.
type entry struct {
	q    Question
	file string
	line int
}

// Parse reads one bank file. name is used in Origins and errors; it should
// be the file's path relative to the bank root. Parse returns the questions
// it could read and, if the file breaks any rule of the format (including a
// duplicate ID or question text within the file), Errors.
func Parse(name string, src []byte) ([]Question, error) {
	entries, errs := parseFile(name, src)
	checkDuplicates(entries, &errs)
	qs := make([]Question, len(entries))
	for i, e := range entries {
		qs[i] = e.q
	}
	return qs, errs.err()
}

// fileParser holds one file being parsed.
type fileParser struct {
	file  string
	lines []string
	code  []bool // lines that belong to fenced code blocks, fences included
	errs  Errors
}

// parseFile parses a bank file into entries and the problems found.
func parseFile(name string, src []byte) ([]entry, Errors) {
	p := &fileParser{file: name, lines: splitLines(src)}
	p.markCode()
	starts := p.outline()
	entries := make([]entry, 0, len(starts))
	for i, h := range starts {
		end := len(p.lines)
		if i+1 < len(starts) {
			end = starts[i+1]
		}
		entries = append(entries, p.question(h, end))
	}
	return entries, p.errs
}

// errorf records a problem at index i of p.lines (line i+1).
func (p *fileParser) errorf(i int, format string, args ...any) {
	p.errs.add(p.file, i+1, format, args...)
}

// splitLines splits src into lines without their line endings, dropping a
// byte order mark.
func splitLines(src []byte) []string {
	s := strings.TrimPrefix(string(src), "\ufeff")
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimSuffix(l, "\r")
	}
	return lines
}

// markCode marks the lines of fenced code blocks and reports a block that
// is never closed (it then runs to the end of the file, as in CommonMark).
func (p *fileParser) markCode() {
	p.code = make([]bool, len(p.lines))
	var f fence.Scanner
	opened := 0
	for i, l := range p.lines {
		k := f.Step(l)
		p.code[i] = k.Code()
		if k == fence.Open {
			opened = i
		}
	}
	if f.InBlock() {
		p.errorf(opened, "unclosed code block")
	}
}

// outline checks the file's top-level headings and returns the indexes of
// the question headings ("## ").
func (p *fileParser) outline() []int {
	var starts []int
	first := true
	for i, l := range p.lines {
		if strings.TrimSpace(l) == "" {
			continue
		}
		level := 0
		if !p.code[i] {
			level = headingLevel(l)
		}
		switch {
		case level == 1 && !first:
			p.errorf(i, "a # heading is only allowed as the file title, on the first line")
		case level == 2:
			starts = append(starts, i)
		case level >= 3 && len(starts) == 0:
			p.errorf(i, "heading %q outside a question", l)
		}
		first = false
	}
	return starts
}

// headingLevel returns the level of an ATX heading line ("## x" is 2), or 0.
func headingLevel(line string) int {
	n := 0
	for n < len(line) && line[n] == '#' {
		n++
	}
	if n == 0 || n > 6 || (n < len(line) && line[n] != ' ' && line[n] != '\t') {
		return 0
	}
	return n
}

// headingText returns a heading line without its #s and surrounding spaces.
func headingText(line string) string {
	return strings.TrimSpace(strings.TrimLeft(line, "#"))
}

// section is the part of a question a line belongs to.
type section int

const (
	inAnswer section = iota
	inKeyPoints
	inFollowUps
	inUnknown // after an unknown heading, already reported
)

// question parses the question whose heading is at index h and whose body
// runs to index end.
func (p *fileParser) question(h, end int) entry {
	e := entry{file: p.file, line: h + 1}
	q := &e.q
	q.Text = headingText(p.lines[h])
	q.Origin = fmt.Sprintf("%s:%d", p.file, h+1)
	if msg := checkText(q.Text); msg != "" {
		p.errorf(h, "%s", msg)
	}
	start := p.metadata(q, h, end)
	var answer []string
	answerLine := start - 1 // where to report the answer's length
	started := false        // whether the answer's first line has been seen
	kp := listParser{p: p, heading: keyPointsHeading, at: -1}
	fu := listParser{p: p, heading: followUpsHeading, at: -1}
	sec := inAnswer
	for i := start; i < end; i++ {
		l := p.lines[i]
		if !p.code[i] {
			if level := headingLevel(l); level > 0 {
				sec = p.heading(i, level, sec, &kp, &fu)
				continue
			}
		}
		switch sec {
		case inAnswer:
			if !started && strings.TrimSpace(l) != "" {
				answerLine, started = i, true
			}
			if !p.code[i] {
				if msg := lineProblem(l); msg != "" {
					p.errorf(i, "%s", msg)
				}
			}
			answer = append(answer, l)
		case inKeyPoints:
			kp.add(i, l)
		case inFollowUps:
			fu.add(i, l)
		}
	}
	q.Answer = trimBlankLines(strings.Join(answer, "\n"))
	if msg := checkAnswerWords(q.Answer); msg != "" {
		p.errorf(answerLine, "%s", msg)
	}
	q.KeyPoints = kp.items
	if len(kp.concepts) > 0 {
		q.Concepts = make([][]string, len(kp.items))
		copy(q.Concepts, kp.concepts)
	}
	q.FollowUps = fu.items
	p.checkLists(h, &kp, &fu)
	if kp.at >= 0 {
		for _, msg := range checkConcepts(*q) {
			p.errorf(kp.at, "%s", msg)
		}
	}
	return e
}

// checkLists reports a missing, short or long key points list, and an empty
// follow-ups list.
func (p *fileParser) checkLists(h int, kp, fu *listParser) {
	switch {
	case kp.at < 0:
		p.errorf(h, "missing ### %s", keyPointsHeading)
	default:
		if msg := checkList(keyPointsHeading, kp.items, MinKeyPoints, MaxKeyPoints); msg != "" {
			p.errorf(kp.at, "%s", msg)
		}
	}
	if fu.at >= 0 && len(fu.items) == 0 {
		p.errorf(fu.at, "### %s has no items; add some or remove the heading", followUpsHeading)
	}
}

// heading handles a heading line inside a question and returns the section
// the following lines belong to.
func (p *fileParser) heading(i, level int, sec section, kp, fu *listParser) section {
	l := p.lines[i]
	switch level {
	case 1:
		return sec // reported by outline
	case 3:
	default:
		p.errorf(i, "heading %q is not allowed in a question; use **bold** text", l)
		return sec
	}
	var lp *listParser
	next := inUnknown
	switch sectionKey(headingText(l)) {
	case sectionKey(keyPointsHeading):
		lp, next = kp, inKeyPoints
	case sectionKey(followUpsHeading):
		lp, next = fu, inFollowUps
	default:
		p.errorf(i, "unknown heading %q; want \"### %s\" or \"### %s\"", l, keyPointsHeading, followUpsHeading)
		return inUnknown
	}
	if lp.at >= 0 {
		p.errorf(i, "duplicate ### %s (first at line %d)", lp.heading, lp.at+1)
		return inUnknown
	}
	lp.at = i
	return next
}

// sectionKey normalises a section heading: "Key Points", "key-points" and
// "Follow ups" are accepted.
func sectionKey(s string) string { return normalizeTopic(s) }

// listParser collects the "- " items of a key points or follow-ups section.
// An item may wrap onto following lines; those are joined with a space.
type listParser struct {
	p       *fileParser
	heading string
	at      int // index of the section heading; -1 while not seen
	items   []string
	open    bool // the previous line was part of an item
	// concepts holds each key point's concepts by index (key points only),
	// from an indented "concepts: a, b" line under the item.
	concepts [][]string
}

// add takes line i of the section.
func (lp *listParser) add(i int, l string) {
	p := lp.p
	switch {
	case strings.TrimSpace(l) == "":
		lp.open = false
	case p.code[i]:
		p.errorf(i, "### %s: code blocks are not allowed in a list", lp.heading)
		lp.open = false
	case l == "-" || strings.HasPrefix(l, "- "):
		item := strings.TrimSpace(l[1:])
		if item == "" {
			p.errorf(i, "### %s: empty item", lp.heading)
			lp.open = false
			return
		}
		lp.items = append(lp.items, item)
		lp.open = true
	case lp.open && lp.heading == keyPointsHeading && strings.HasPrefix(strings.ToLower(strings.TrimSpace(l)), conceptsPrefix):
		last := len(lp.items) - 1
		for len(lp.concepts) <= last {
			lp.concepts = append(lp.concepts, nil)
		}
		lp.concepts[last] = parseConcepts(l)
		// The item is closed: wrapped text after its concepts would be
		// ambiguous, and a second concepts line is an error.
		lp.open = false
	case lp.open:
		last := len(lp.items) - 1
		lp.items[last] += " " + strings.TrimSpace(l)
	default:
		p.errorf(i, "### %s: want a list of \"- \" items", lp.heading)
	}
}

// metadata parses the metadata line, the first non-blank line after the
// heading at index h, into q. It returns the index where the answer starts.
func (p *fileParser) metadata(q *Question, h, end int) int {
	i := h + 1
	for i < end && strings.TrimSpace(p.lines[i]) == "" {
		i++
	}
	if i == end || p.code[i] || headingLevel(p.lines[i]) > 0 || !looksLikeMetadata(p.lines[i]) {
		p.errorf(h, "missing metadata line after the question (id: topic/slug | difficulty: easy)")
		return i
	}
	p.parseMetadata(q, i)
	q.Topic, q.Track = placement(q.ID)
	for _, msg := range []string{checkID(q.ID), checkDifficulty(q.Difficulty), checkTags(q.Tags)} {
		if msg != "" {
			p.errorf(i, "%s", msg)
		}
	}
	return i + 1
}

// metadataKeys are the keys a metadata line may hold.
var metadataKeys = []string{"id", "difficulty", "tags"}

// looksLikeMetadata reports whether line starts with a known metadata key.
func looksLikeMetadata(line string) bool {
	key, _, ok := strings.Cut(line, ":")
	if !ok {
		return false
	}
	key = strings.ToLower(strings.TrimSpace(key))
	for _, k := range metadataKeys {
		if key == k {
			return true
		}
	}
	return false
}

// parseMetadata reads the "key: value | key: value" pairs of line i into q.
func (p *fileParser) parseMetadata(q *Question, i int) {
	seen := make(map[string]bool, len(metadataKeys))
	for part := range strings.SplitSeq(p.lines[i], "|") {
		key, val, ok := strings.Cut(part, ":")
		key = strings.ToLower(strings.TrimSpace(key))
		val = strings.TrimSpace(val)
		if !ok || key == "" {
			p.errorf(i, "metadata: %q is not a key: value pair", strings.TrimSpace(part))
			continue
		}
		if seen[key] {
			p.errorf(i, "metadata: duplicate key %q", key)
			continue
		}
		seen[key] = true
		switch key {
		case "id":
			q.ID = val
		case "difficulty":
			q.Difficulty = val
		case "tags":
			q.Tags = splitTags(val)
		default:
			p.errorf(i, "metadata: unknown key %q; want id, difficulty or tags", key)
		}
	}
}

// splitTags splits a comma-separated tags value into trimmed tags.
func splitTags(val string) []string {
	tags := strings.Split(val, ",")
	for i, t := range tags {
		tags[i] = strings.TrimSpace(t)
	}
	return tags
}

// placement returns the topic and track an ID places its question in, or
// empty strings when the ID names no known topic.
func placement(id string) (topic, track string) {
	slug, _, _ := strings.Cut(id, "/")
	t, ok := LookupTopic(slug)
	if !ok {
		return "", ""
	}
	return t.Slug, t.Track
}

// trimBlankLines removes blank lines (and trailing spaces) at both ends of
// s, keeping the indentation of its first line.
func trimBlankLines(s string) string {
	s = strings.TrimRightFunc(s, unicode.IsSpace)
	for {
		nl := strings.IndexByte(s, '\n')
		if nl < 0 || strings.TrimSpace(s[:nl]) != "" {
			break
		}
		s = s[nl+1:]
	}
	if strings.TrimSpace(s) == "" {
		return ""
	}
	return s
}

// isAlnum reports whether r is a letter or a digit.
func isAlnum(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }
