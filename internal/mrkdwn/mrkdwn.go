// Package mrkdwn renders the question bank's Markdown as Slack mrkdwn,
// splits long texts to fit Slack's limits, and escapes user text so that
// quoting it can never mention or ping anyone.
//
// Slack's mrkdwn is not Markdown: bold is *b*, italic _i_, links <url|text>,
// there are no headings, and &, < and > must be escaped as &amp;, &lt; and
// &gt; wherever they are not Slack's own syntax. A "<" in Convert's output is
// always the start of a link it made to an http, https or mailto URL.
package mrkdwn

import (
	"strings"

	"github.com/prepbot/prepbot/internal/fence"
)

// escaper escapes Slack's control characters.
var escaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")

// Escape escapes &, < and > so that s shows as typed: "<!channel>" or
// "<@U123>" in user text then never notifies anyone.
func Escape(s string) string { return escaper.Replace(s) }

// Convert turns Markdown as written in the question bank into Slack mrkdwn:
//
//   - **bold** and __bold__ become *bold*; *italic* and _italic_ become _italic_;
//   - `code` stays code; fenced code blocks become ``` blocks without their
//     language tag, their content only escaped;
//   - "- ", "* " and "+ " list items become "• " items; "1. " items stay;
//   - [text](url) and <url> become Slack links for http, https and mailto
//     URLs; other links show as "text (url)";
//   - headings become a bold line; a paragraph's wrapped lines are joined,
//     because Slack shows every newline;
//   - &, < and > are escaped everywhere else.
func Convert(markdown string) string {
	var c converter
	for _, line := range strings.Split(strings.ReplaceAll(markdown, "\r\n", "\n"), "\n") {
		c.line(line)
	}
	c.flush()
	if c.code.InBlock() {
		for len(c.out) > 0 && c.out[len(c.out)-1] == "" {
			c.out = c.out[:len(c.out)-1]
		}
		c.emit("```")
	}
	return strings.Trim(strings.Join(c.out, "\n"), "\n")
}

// converter holds the state of one Convert call.
type converter struct {
	out []string

	code   fence.Scanner // the open code block, if any
	indent int           // indentation of its opening fence, removed from its lines

	// The paragraph or list item being collected: its prefix ("• ", "1. ",
	// or "" for a paragraph) and its text so far.
	prefix  string
	text    strings.Builder
	pending bool
	hard    bool // the last line collected ended in a hard line break
}

// emit appends an output line.
func (c *converter) emit(s string) { c.out = append(c.out, s) }

// line takes one input line.
func (c *converter) line(line string) {
	if c.code.InBlock() {
		c.codeLine(line)
		return
	}
	trimmed := strings.TrimSpace(line)
	switch {
	case c.code.Step(line) == fence.Open:
		c.flush()
		c.indent = len(line) - len(strings.TrimLeft(line, " \t"))
		c.emit("```")
	case trimmed == "":
		c.flush()
		if n := len(c.out); n > 0 && c.out[n-1] != "" {
			c.emit("")
		}
	case headingLevel(trimmed) > 0:
		c.flush()
		c.heading(trimmed)
	case strings.HasPrefix(trimmed, ">"):
		c.flush()
		c.emit("&gt; " + inline(strings.TrimSpace(trimmed[1:])))
	case strings.HasPrefix(trimmed, "|"):
		c.flush()
		c.emit(inline(trimmed))
	default:
		c.textLine(line, trimmed)
	}
}

// codeLine takes a line inside a fenced code block.
func (c *converter) codeLine(line string) {
	if c.code.Step(line) == fence.Close {
		c.emit("```")
		return
	}
	c.emit(Escape(dedent(line, c.indent)))
}

// dedent removes up to n leading spaces or tabs from line.
func dedent(line string, n int) string {
	i := 0
	for i < n && i < len(line) && (line[i] == ' ' || line[i] == '\t') {
		i++
	}
	return line[i:]
}

// heading emits a heading as a bold line.
func (c *converter) heading(trimmed string) {
	text := strings.TrimSpace(strings.TrimLeft(trimmed, "#"))
	text = strings.ReplaceAll(strings.ReplaceAll(text, "**", ""), "__", "")
	if text != "" {
		c.emit("*" + inline(text) + "*")
	}
}

// textLine takes a line of a paragraph or list: it starts a list item, or
// continues the paragraph or item being collected, or starts a paragraph.
func (c *converter) textLine(line, trimmed string) {
	indent := line[:len(line)-len(strings.TrimLeft(line, " \t"))]
	switch marker, rest, ok := listItem(trimmed); {
	case ok:
		c.flush()
		c.prefix, c.pending = indent+marker, true
		trimmed = rest
	case !c.pending:
		c.prefix, c.pending = "", true
	case c.hard:
		c.text.WriteByte('\n')
	default:
		c.text.WriteByte(' ')
	}
	// A line ending in two spaces or a backslash ends in a hard line break.
	c.hard = strings.HasSuffix(line, "  ") || strings.HasSuffix(trimmed, "\\")
	c.text.WriteString(strings.TrimSuffix(trimmed, "\\"))
}

// flush emits the paragraph or list item being collected.
func (c *converter) flush() {
	if !c.pending {
		return
	}
	c.emit(c.prefix + inline(c.text.String()))
	c.text.Reset()
	c.pending, c.hard = false, false
}

// listItem recognises a list item: "- x", "* x", "+ x" (returned with the
// marker "• ") or "1. x", "1) x" (marker "1. ").
func listItem(s string) (marker, rest string, ok bool) {
	if len(s) >= 2 && strings.IndexByte("-*+", s[0]) >= 0 && (s[1] == ' ' || s[1] == '\t') {
		return "• ", strings.TrimSpace(s[2:]), true
	}
	n := 0
	for n < len(s) && n < 9 && '0' <= s[n] && s[n] <= '9' {
		n++
	}
	if n == 0 || n+1 >= len(s) || (s[n] != '.' && s[n] != ')') || (s[n+1] != ' ' && s[n+1] != '\t') {
		return "", "", false
	}
	return s[:n] + ". ", strings.TrimSpace(s[n+2:]), true
}

// headingLevel returns the level of an ATX heading ("## x" is 2), or 0.
func headingLevel(s string) int {
	n := 0
	for n < len(s) && s[n] == '#' {
		n++
	}
	if n == 0 || n > 6 || (n < len(s) && s[n] != ' ' && s[n] != '\t') {
		return 0
	}
	return n
}
