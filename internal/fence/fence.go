// Package fence finds fenced code blocks (``` or ~~~) in Markdown, one line
// at a time, as CommonMark does. It is the one code-fence scanner of the
// module: the question bank's parser and lint (package questions) and the
// Slack renderer (package mrkdwn) both use it, so that a line the lint
// treats as code is a line the renderer shows as code.
//
// It imports only the standard library and must stay that way: package
// questions may depend on nothing but the standard library and the module's
// own stdlib-only internal packages, so that the bank and its lint build
// without Slack, bbolt or cron.
package fence

import "strings"

// Kind says what a line is to the code blocks around it.
type Kind int

const (
	// Text is a line outside any code block.
	Text Kind = iota
	// Open is the opening fence of a code block.
	Open
	// Body is a line inside a code block, between its fences.
	Body
	// Close is the closing fence of a code block.
	Close
)

// Code reports whether a line of kind k belongs to a code block, counting
// its fences.
func (k Kind) Code() bool { return k != Text }

// Scanner tracks fenced code blocks line by line. A fence may be indented
// any amount, because the bank nests code blocks in list items; the closing
// fence is a run of the opening character at least as long as the opening
// run, with nothing after it but spaces. The zero value is outside any
// block.
type Scanner struct {
	char byte // fence character of the open block
	n    int  // length of its opening run; 0 when no block is open
}

// InBlock reports whether a code block is open: after the last line, an
// open block was never closed (CommonMark then runs it to the end).
func (s *Scanner) InBlock() bool { return s.n > 0 }

// Step advances over one line (with or without its line ending) and
// returns its kind.
func (s *Scanner) Step(line string) Kind {
	t := strings.TrimSpace(line)
	c, n := run(t)
	if s.n == 0 {
		// A backtick fence's info string cannot hold a backtick, so
		// "```x```" on one line is inline code, not a fence (CommonMark).
		if n < 3 || (c == '`' && strings.Contains(t[n:], "`")) {
			return Text
		}
		s.char, s.n = c, n
		return Open
	}
	if c == s.char && n >= s.n && t[n:] == "" {
		s.n = 0
		return Close
	}
	return Body
}

// run returns the run of backticks or tildes that starts s.
func run(s string) (byte, int) {
	if s == "" || (s[0] != '`' && s[0] != '~') {
		return 0, 0
	}
	n := 1
	for n < len(s) && s[n] == s[0] {
		n++
	}
	return s[0], n
}
