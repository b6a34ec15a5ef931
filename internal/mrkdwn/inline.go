package mrkdwn

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// inline converts the inline Markdown of one paragraph, list item or
// heading: code spans, emphasis, links and escapes.
func inline(s string) string {
	var b strings.Builder
	b.Grow(len(s) + len(s)/8)
	for i := 0; i < len(s); {
		n := 0
		switch s[i] {
		case '\\':
			n = backslash(&b, s, i)
		case '`':
			n = codeSpan(&b, s, i)
		case '*', '_':
			n = emphasis(&b, s, i)
		case '[':
			n = link(&b, s, i, i)
		case '!':
			if i+1 < len(s) && s[i+1] == '[' {
				n = link(&b, s, i+1, i) // an image: link to it by its alt text
			}
		case '<':
			n = autolink(&b, s, i)
		}
		if n == 0 {
			b.WriteString(Escape(s[i : i+1]))
			n = 1
		}
		i += n
	}
	return b.String()
}

// backslash writes an escaped ASCII punctuation character at s[i+1]
// literally and returns 2, or returns 0 if s[i] starts no escape.
func backslash(b *strings.Builder, s string, i int) int {
	if i+1 >= len(s) || !isASCIIPunct(s[i+1]) {
		return 0
	}
	b.WriteString(Escape(s[i+1 : i+2]))
	return 2
}

// isASCIIPunct reports whether c is ASCII punctuation, which Markdown lets a
// backslash escape.
func isASCIIPunct(c byte) bool {
	return strings.IndexByte("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~", c) >= 0
}

// codeSpan writes the code span starting at s[i] and returns its length,
// or writes an unmatched run of backticks literally.
func codeSpan(b *strings.Builder, s string, i int) int {
	content, n, ok := codeSpanAt(s, i)
	if !ok {
		b.WriteString(s[i : i+n])
		return n
	}
	b.WriteString("`" + Escape(content) + "`")
	return n
}

// codeSpanAt finds the code span starting at s[i]: its content and length,
// with ok false (and the length of the backtick run) if it is unmatched.
func codeSpanAt(s string, i int) (content string, n int, ok bool) {
	open := run(s, i, '`')
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
func emphasis(b *strings.Builder, s string, i int) int {
	c := s[i]
	n := min(run(s, i, c), 2)
	if n == 2 && i+2 < len(s) && s[i+2] == c {
		return 0 // "***" and longer runs are left alone
	}
	open := i + n
	if open >= len(s) || isSpace(s[open]) || (c == '_' && i > 0 && isWordBefore(s, i)) {
		return 0
	}
	end := closer(s, open, c, n)
	if end < 0 {
		return 0
	}
	mark := "_"
	if n == 2 {
		mark = "*"
	}
	b.WriteString(mark + inline(s[open:end]) + mark)
	return end + n - i
}

// closer finds the delimiter of n c's that closes emphasis whose content
// starts at s[from], skipping code spans, or returns -1.
func closer(s string, from int, c byte, n int) int {
	for j := from + 1; j < len(s); j++ {
		switch s[j] {
		case '`':
			_, m, _ := codeSpanAt(s, j)
			j += m - 1
			continue
		case c:
		default:
			continue
		}
		m := run(s, j, c)
		if m == n && !isSpace(s[j-1]) && !(c == '_' && isWordAfter(s, j+n)) {
			return j
		}
		j += m - 1
	}
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
// if there is no link there.
func link(b *strings.Builder, s string, open, start int) int {
	textEnd := matching(s, open, '[', ']')
	if textEnd < 0 || textEnd+1 >= len(s) || s[textEnd+1] != '(' {
		return 0
	}
	destEnd := matching(s, textEnd+1, '(', ')')
	if destEnd < 0 {
		return 0
	}
	text := inline(s[open+1 : textEnd])
	dest := strings.TrimSpace(s[textEnd+2 : destEnd])
	url, _, _ := strings.Cut(dest, " ") // drop a title: [t](url "title")
	if len(url) >= 2 && url[0] == '<' && url[len(url)-1] == '>' {
		url = url[1 : len(url)-1] // [t](<url>)
	}
	switch {
	case safeURL(url) && text != "":
		b.WriteString("<" + linkURL(url) + "|" + text + ">")
	case safeURL(url):
		b.WriteString("<" + linkURL(url) + ">")
	case url == "":
		b.WriteString(text)
	default:
		b.WriteString(text + " (" + Escape(url) + ")")
	}
	return destEnd + 1 - start
}

// matching returns the index of the bracket closing the one at s[i],
// counting nested pairs, or -1. Link texts and URLs stay within a line.
func matching(s string, i int, open, close byte) int {
	depth := 0
	for j := i; j < len(s); j++ {
		switch s[j] {
		case '\\':
			j++
		case '\n':
			return -1
		case open:
			depth++
		case close:
			depth--
			if depth == 0 {
				return j
			}
		}
	}
	return -1
}

// autolink converts <https://url> at s[i] and returns its length, or 0.
func autolink(b *strings.Builder, s string, i int) int {
	end := strings.IndexByte(s[i:], '>')
	if end < 0 {
		return 0
	}
	url := s[i+1 : i+end]
	if !safeURL(url) || strings.ContainsAny(url, " \t\n<") {
		return 0
	}
	b.WriteString("<" + linkURL(url) + ">")
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
