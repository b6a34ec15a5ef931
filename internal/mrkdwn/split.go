package mrkdwn

import (
	"strings"
	"unicode/utf8"
)

// SectionLimit is the most characters Slack accepts in a section block's
// text.
const SectionLimit = 3000

// codeWrap is what wrapping a piece of code in ``` lines adds.
const codeWrap = len("```\n") + len("\n```")

// Split cuts a mrkdwn text into chunks of at most limit characters (runes),
// for Slack's per-block limit. It cuts between paragraphs where it can,
// then between lines, and only then inside a line (at a space if there is
// one). A code block is kept whole when it fits in a chunk; one that does
// not is cut between lines and each part is closed and reopened with ```.
// A text that fits is returned unchanged as the only chunk; an empty text
// gives no chunks; limit <= 0 means no limit.
func Split(text string, limit int) []string {
	text = strings.Trim(text, "\n")
	if text == "" {
		return nil
	}
	if limit <= 0 || runes(text) <= limit {
		return []string{text}
	}
	var p packer
	p.limit = limit
	for _, u := range units(text) {
		for _, piece := range fit(u, limit) {
			p.add(piece, "\n\n")
		}
	}
	return p.done()
}

// runes counts the characters of s.
func runes(s string) int { return utf8.RuneCountInString(s) }

// packer joins pieces into chunks of at most limit runes.
type packer struct {
	limit  int
	chunks []string
	cur    strings.Builder
	n      int // runes in cur
}

// add appends piece (at most limit runes) to the current chunk, after sep,
// or starts a new chunk with it if it does not fit.
func (p *packer) add(piece, sep string) {
	m := runes(piece)
	if p.n > 0 && p.n+len(sep)+m <= p.limit {
		p.cur.WriteString(sep)
		p.cur.WriteString(piece)
		p.n += len(sep) + m
		return
	}
	p.flush()
	p.cur.WriteString(piece)
	p.n = m
}

// flush ends the current chunk.
func (p *packer) flush() {
	if p.n > 0 {
		p.chunks = append(p.chunks, p.cur.String())
	}
	p.cur.Reset()
	p.n = 0
}

// done returns the chunks.
func (p *packer) done() []string {
	p.flush()
	return p.chunks
}

// unit is a paragraph, or a whole code block with its fences.
type unit struct {
	text string
	code bool
}

// units cuts text into paragraphs (at blank lines) and code blocks (from a
// line starting with ``` to the next; blank lines inside stay inside).
//
// This reads mrkdwn, not Markdown, so it does not use fence.Scanner: Slack
// knows only ```, takes it anywhere on a line, and has no ~~~ fences, and
// Convert always writes its fences as a bare ``` line.
func units(text string) []unit {
	var out []unit
	var cur []string
	inCode := false
	end := func(code bool) {
		if len(cur) > 0 {
			out = append(out, unit{text: strings.Join(cur, "\n"), code: code})
		}
		cur = nil
	}
	for _, line := range strings.Split(text, "\n") {
		isFence := strings.HasPrefix(line, "```") && !strings.Contains(line[3:], "```")
		switch {
		case inCode:
			cur = append(cur, line)
			if isFence {
				end(true)
				inCode = false
			}
		case isFence:
			end(false)
			cur = append(cur, line)
			inCode = true
		case strings.TrimSpace(line) == "":
			end(false)
		default:
			cur = append(cur, line)
		}
	}
	end(inCode)
	return out
}

// fit returns u as pieces of at most limit runes each.
func fit(u unit, limit int) []string {
	if runes(u.text) <= limit {
		return []string{u.text}
	}
	if u.code && limit > codeWrap {
		return fitCode(u.text, limit)
	}
	return packLines(strings.Split(u.text, "\n"), limit)
}

// fitCode cuts a code block between lines into blocks of at most limit
// runes, each with its own ``` fences.
func fitCode(block string, limit int) []string {
	lines := strings.Split(block, "\n")
	lines = lines[1:] // the opening fence
	if n := len(lines); n > 0 && strings.HasPrefix(lines[n-1], "```") {
		lines = lines[:n-1]
	}
	bodies := packLines(lines, limit-codeWrap)
	for i, body := range bodies {
		bodies[i] = "```\n" + body + "\n```"
	}
	return bodies
}

// packLines joins lines into pieces of at most limit runes, cutting lines
// that are too long on their own.
func packLines(lines []string, limit int) []string {
	p := packer{limit: limit}
	for _, line := range lines {
		if runes(line) <= limit {
			p.add(line, "\n")
			continue
		}
		p.flush()
		for _, part := range cutLine(line, limit) {
			p.add(part, "\n")
		}
	}
	return p.done()
}

// cutLine cuts a line into parts of at most limit runes, at the last space
// before the limit when there is one.
func cutLine(line string, limit int) []string {
	var parts []string
	for line != "" {
		cut := byteOffset(line, limit)
		if cut == len(line) {
			parts = append(parts, line)
			break
		}
		if sp := strings.LastIndexByte(line[:cut+1], ' '); sp > 0 {
			parts = append(parts, line[:sp])
			line = line[sp+1:]
			continue
		}
		parts = append(parts, line[:cut])
		line = line[cut:]
	}
	return parts
}

// byteOffset returns the byte offset in s of its rune number n.
func byteOffset(s string, n int) int {
	for i := range s {
		if n == 0 {
			return i
		}
		n--
	}
	return len(s)
}
