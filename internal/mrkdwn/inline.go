package mrkdwn

import (
	"math"
	"strings"
	"unicode"
	"unicode/utf8"
)

// inline converts the inline Markdown of one paragraph, list item or
// heading: code spans, emphasis, links and escapes.
func inline(s string) string {
	in := newInliner(s)
	return in.convert(0, len(s))
}

// inliner converts the inline Markdown of one text. It remembers failed
// searches for closing delimiters, so that text full of unmatched ones
// (“* * * * …”) takes linear time rather than quadratic.
type inliner struct {
	s string
	b strings.Builder

	// noCode[n] is a failed search for a run of exactly n backticks (only
	// run lengths up to len(noCode)-1 are remembered).
	noCode [8]miss
	// noEmph[c][n-1] is a failed search for a closing delimiter of n '*'
	// (c=0) or '_' (c=1).
	noEmph [2][2]miss
	// brackets maps the index of each "[" or "(" to the index of its
	// closing bracket on the same line, or -1; computed on first use.
	brackets []int32
	// lastGT is the index of the last '>' in s, or -1.
	lastGT int
}

// newInliner returns an inliner for s.
func newInliner(s string) *inliner {
	in := &inliner{s: s, lastGT: strings.LastIndexByte(s, '>')}
	for i := range in.noCode {
		in.noCode[i] = noMiss
	}
	for c := range in.noEmph {
		in.noEmph[c] = [2]miss{noMiss, noMiss}
	}
	in.b.Grow(len(s) + len(s)/8)
	return in
}

// miss records that a search of s[from:to] found nothing, so neither will
// a search of any part of it.
type miss struct{ from, to int }

// noMiss is a miss that covers no search.
var noMiss = miss{from: math.MaxInt, to: -1}

// covers reports whether a search of s[from:to] is known to fail.
func (m miss) covers(from, to int) bool { return from >= m.from && to <= m.to }

// convert converts s[from:to] into in.b and returns what it wrote.
func (in *inliner) convert(from, to int) string {
	start := in.b.Len()
	s := in.s[:to]
	for i := from; i < to; {
		n := 0
		switch s[i] {
		case '\\':
			n = in.backslash(i, to)
		case '`':
			n = in.codeSpan(i, to)
		case '*', '_':
			n = in.emphasis(i, to)
		case '[':
			n = in.link(i, i, to)
		case '!':
			if i+1 < to && s[i+1] == '[' {
				n = in.link(i+1, i, to) // an image: link to it by its alt text
			}
		case '<':
			n = in.autolink(i, to)
		}
		if n == 0 {
			in.b.WriteString(Escape(s[i : i+1]))
			n = 1
		}
		i += n
	}
	return in.b.String()[start:]
}

// backslash writes the ASCII punctuation character escaped at s[i+1]
// literally and returns 2, or returns 0 if s[i] starts no escape.
func (in *inliner) backslash(i, to int) int {
	if i+1 >= to || !isASCIIPunct(in.s[i+1]) {
		return 0
	}
	in.b.WriteString(Escape(in.s[i+1 : i+2]))
	return 2
}

// isASCIIPunct reports whether c is ASCII punctuation, which Markdown lets a
// backslash escape.
func isASCIIPunct(c byte) bool {
	return strings.IndexByte("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~", c) >= 0
}

// codeSpan writes the code span starting at s[i] and returns its length,
// or writes an unmatched run of backticks literally.
func (in *inliner) codeSpan(i, to int) int {
	content, n, ok := in.codeSpanAt(i, to)
	if !ok {
		in.b.WriteString(in.s[i : i+n])
		return n
	}
	in.b.WriteString("`" + Escape(content) + "`")
	return n
}

// codeSpanAt finds the code span starting at s[i] and ending before to:
// its content and length, with ok false (and the length of the backtick
// run) if it is unmatched.
func (in *inliner) codeSpanAt(i, to int) (content string, n int, ok bool) {
	s := in.s[:to]
	open := run(s, i, '`')
	memo := open < len(in.noCode)
	if memo && in.noCode[open].covers(i+open, to) {
		return "", open, false
	}
	for j := i + open; j < len(s); {
		k := strings.IndexByte(s[j:], '`')
		if k < 0 {
			break
		}
		j += k
		m := run(s, j, '`')
		if m == open {
			content = s[i+open : j]
			if len(content) > 2 && content[0] == ' ' && content[len(content)-1] == ' ' && strings.TrimSpace(content) != "" {
				content = content[1 : len(content)-1]
			}
			return content, j + m - i, true
		}
		j += m
	}
	if memo {
		in.noCode[open] = miss{i + open, to}
	}
	return "", open, false
}

// run returns the length of the run of c starting at s[i].
func run(s string, i int, c byte) int {
	n := 0
	for i+n < len(s) && s[i+n] == c {
		n++
	}
	return n
}

// emphasis converts **bold**, __bold__, *italic* or _italic_ starting at
// s[i] and returns the length consumed, or 0 if s[i] opens nothing.
func (in *inliner) emphasis(i, to int) int {
	s := in.s[:to]
	c := s[i]
	n := run(s, i, c)
	if n > 2 {
		in.b.WriteString(s[i : i+n]) // "***" and longer runs are left alone
		return n
	}
	open := i + n
	if open >= len(s) || isSpace(s[open]) || (c == '_' && i > 0 && isWordBefore(s, i)) {
		return 0
	}
	end := in.closer(open, to, c, n)
	if end < 0 {
		return 0
	}
	mark := "_"
	if n == 2 {
		mark = "*"
	}
	in.b.WriteString(mark)
	in.convert(open, end)
	in.b.WriteString(mark)
	return end + n - i
}

// closer finds the delimiter of n c's that closes emphasis whose content
// starts at s[from] (so not at from itself: emphasis is never empty),
// skipping code spans, or returns -1.
func (in *inliner) closer(from, to int, c byte, n int) int {
	s := in.s[:to]
	memo := &in.noEmph[strings.IndexByte("*_", c)][n-1]
	if memo.covers(from, to) {
		return -1
	}
	for j := from; j < len(s); j++ {
		switch s[j] {
		case '`':
			_, m, _ := in.codeSpanAt(j, to)
			j += m - 1
			continue
		case c:
		default:
			continue
		}
		m := run(s, j, c)
		if m == n && j > from && !isSpace(s[j-1]) && !(c == '_' && isWordAfter(s, j+n)) {
			return j
		}
		j += m - 1
	}
	*memo = miss{from, to}
	return -1
}

// isSpace reports whether c is ASCII white space.
func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' }

// isWordBefore reports whether a letter or digit ends s[:i].
func isWordBefore(s string, i int) bool {
	r, _ := utf8.DecodeLastRuneInString(s[:i])
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}

// isWordAfter reports whether a letter or digit starts s[i:].
func isWordAfter(s string, i int) bool {
	r, _ := utf8.DecodeRuneInString(s[i:])
	return i < len(s) && (unicode.IsLetter(r) || unicode.IsDigit(r))
}

// link converts [text](url) whose "[" is at s[open] and returns the length
// consumed from s[start] (start is open, or open-1 for an image's "!"), or 0
// if there is no link there before s[to].
func (in *inliner) link(open, start, to int) int {
	textEnd := in.matching(open)
	if textEnd < 0 || textEnd+1 >= to || in.s[textEnd+1] != '(' {
		return 0
	}
	destEnd := in.matching(textEnd + 1)
	if destEnd < 0 || destEnd >= to {
		return 0
	}
	dest := strings.TrimSpace(in.s[textEnd+2 : destEnd])
	url, _, _ := strings.Cut(dest, " ") // drop a title: [t](url "title")
	if len(url) >= 2 && url[0] == '<' && url[len(url)-1] == '>' {
		url = url[1 : len(url)-1] // [t](<url>)
	}
	switch {
	case safeURL(url) && textEnd == open+1:
		in.b.WriteString("<" + linkURL(url) + ">")
	case safeURL(url):
		in.b.WriteString("<" + linkURL(url) + "|")
		in.convert(open+1, textEnd)
		in.b.WriteString(">")
	case url == "":
		in.convert(open+1, textEnd)
	default:
		in.convert(open+1, textEnd)
		in.b.WriteString(" (" + Escape(url) + ")")
	}
	return destEnd + 1 - start
}

// matching returns the index of the bracket closing the "[" or "(" at s[i]
// on the same line, or -1.
func (in *inliner) matching(i int) int {
	if in.brackets == nil {
		in.brackets = matchBrackets(in.s)
	}
	return int(in.brackets[i])
}

// matchBrackets pairs every "[" with its "]" and every "(" with its ")",
// counting nested pairs, skipping backslash escapes, and within a line
// (link texts and URLs do not span lines). Unpaired ones map to -1; other
// bytes map to -1 too.
func matchBrackets(s string) []int32 {
	m := make([]int32, len(s))
	for i := range m {
		m[i] = -1
	}
	var squares, rounds []int32
	for j := 0; j < len(s); j++ {
		switch s[j] {
		case '\\':
			j++
		case '\n':
			squares, rounds = squares[:0], rounds[:0]
		case '[':
			squares = append(squares, int32(j))
		case '(':
			rounds = append(rounds, int32(j))
		case ']':
			if n := len(squares); n > 0 {
				m[squares[n-1]] = int32(j)
				squares = squares[:n-1]
			}
		case ')':
			if n := len(rounds); n > 0 {
				m[rounds[n-1]] = int32(j)
				rounds = rounds[:n-1]
			}
		}
	}
	return m
}

// autolink converts <https://url> at s[i] and returns its length, or 0.
func (in *inliner) autolink(i, to int) int {
	if i > in.lastGT {
		return 0
	}
	end := strings.IndexByte(in.s[i:to], '>')
	if end < 0 {
		return 0
	}
	url := in.s[i+1 : i+end]
	if !safeURL(url) || strings.ContainsAny(url, " \t\n<") {
		return 0
	}
	in.b.WriteString("<" + linkURL(url) + ">")
	return end + 1
}

// safeURL reports whether url may become a Slack link: only web and mail
// links, so that no input can produce Slack's special <!...> or <@...>.
func safeURL(url string) bool {
	u := strings.ToLower(url)
	for _, scheme := range []string{"https://", "http://", "mailto:"} {
		if strings.HasPrefix(u, scheme) && len(u) > len(scheme) {
			return true
		}
	}
	return false
}

// urlEscaper makes a URL safe inside <url|text>: & is escaped for Slack,
// and characters that would end the link are percent-encoded.
var urlEscaper = strings.NewReplacer("&", "&amp;", "<", "%3C", ">", "%3E", "|", "%7C", " ", "%20", "\n", "%0A")

// linkURL returns url ready to place in <url|text>.
func linkURL(url string) string { return urlEscaper.Replace(url) }
