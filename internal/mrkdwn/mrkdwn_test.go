package mrkdwn_test

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/prepbot/prepbot/internal/mrkdwn"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden from Convert's output")

// TestConvertGolden converts each testdata/*.md and compares the result with
// the .golden file beside it. Run with -update to refresh them.
func TestConvertGolden(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "*.md"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no testdata/*.md files")
	}
	for _, file := range files {
		name := strings.TrimSuffix(filepath.Base(file), ".md")
		t.Run(name, func(t *testing.T) {
			src, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			got := mrkdwn.Convert(string(src)) + "\n"
			golden := strings.TrimSuffix(file, ".md") + ".golden"
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if got != string(want) {
				t.Errorf("Convert(%s) differs from %s:\n--- got\n%s--- want\n%s", file, golden, got, want)
			}
			checkNoSpecials(t, got)
		})
	}
}

func TestConvert(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"plain", "plain"},
		{"**b**", "*b*"},
		{"__b__", "*b*"},
		{"*i*", "_i_"},
		{"_i_", "_i_"},
		{"**bold with *italic* inside**", "*bold with _italic_ inside*"},
		{"`**kept**`", "`**kept**`"},
		{"**`defer`** runs", "*`defer`* runs"},
		{"*`a` and `b`*", "_`a` and `b`_"},
		{"`a < b`", "`a &lt; b`"},
		{"a & b <c>", "a &amp; b &lt;c&gt;"},
		{"[t](https://x.io/?a=1&b=2)", "<https://x.io/?a=1&amp;b=2|t>"},
		{"[**t**](http://x.io)", "<http://x.io|*t*>"},
		{"[t](https://x.io \"title\")", "<https://x.io|t>"},
		{"[t](!here)", "t (!here)"},
		{"<https://x.io>", "<https://x.io>"},
		{"<!here>", "&lt;!here&gt;"},
		{"- a\n- b", "• a\n• b"},
		{"1. a\n2. b", "1. a\n2. b"},
		{"# Title", "*Title*"},
		{"para\nwrapped", "para wrapped"},
		{"```go\nx := 1\n```", "```\nx := 1\n```"},
		{"max_conn_count", "max_conn_count"},
		{"2 * 3 * 4", "2 * 3 * 4"},
		{"\\*x\\*", "*x*"},
		{"**unclosed", "**unclosed"},
		{"a\n\n\n\nb", "a\n\nb"},
	}
	for _, tt := range tests {
		if got := mrkdwn.Convert(tt.in); got != tt.want {
			t.Errorf("Convert(%q) = %q; want %q", tt.in, got, tt.want)
		}
	}
}

func TestEscape(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"hello", "hello"},
		{"<!channel>", "&lt;!channel&gt;"},
		{"<@U123> & <#C1>", "&lt;@U123&gt; &amp; &lt;#C1&gt;"},
		{"&amp;", "&amp;amp;"},
	}
	for _, tt := range tests {
		if got := mrkdwn.Escape(tt.in); got != tt.want {
			t.Errorf("Escape(%q) = %q; want %q", tt.in, got, tt.want)
		}
	}
}

func TestSplit(t *testing.T) {
	tests := []struct {
		name  string
		text  string
		limit int
		want  []string
	}{
		{"empty", "", 10, nil},
		{"fits", "hello\n\nworld", 100, []string{"hello\n\nworld"}},
		{"no limit", "hello world", 0, []string{"hello world"}},
		{"paragraphs", "aaaa\n\nbbbb\n\ncccc", 10, []string{"aaaa\n\nbbbb", "cccc"}},
		{"lines", "aaaa\nbbbb\ncccc", 10, []string{"aaaa\nbbbb", "cccc"}},
		{"words", "aaaa bbbb cccc", 10, []string{"aaaa bbbb", "cccc"}},
		{"long word", "abcdefghij", 4, []string{"abcd", "efgh", "ij"}},
		{"runes", "ééééé", 2, []string{"éé", "éé", "é"}},
		{
			"code kept whole",
			"intro\n\n```\ncode 1\ncode 2\n```",
			22,
			[]string{"intro", "```\ncode 1\ncode 2\n```"},
		},
		{
			"code reopened",
			"```\nline one\nline two\nline 3\n```",
			25,
			[]string{"```\nline one\nline two\n```", "```\nline 3\n```"},
		},
		{
			"blank line inside code is not a paragraph break",
			"```\na\n\nb\n```\n\nafter",
			14,
			[]string{"```\na\n\nb\n```", "after"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := mrkdwn.Split(tt.text, tt.limit)
			if !equal(got, tt.want) {
				t.Errorf("Split(%q, %d) = %q; want %q", tt.text, tt.limit, got, tt.want)
			}
		})
	}
}

// TestSplitAnswer splits a long converted text at Slack's limit and checks
// that every chunk fits and no text is lost.
func TestSplitAnswer(t *testing.T) {
	src, err := os.ReadFile(filepath.Join("testdata", "answer.md"))
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Repeat(mrkdwn.Convert(string(src))+"\n\n", 20)
	chunks := mrkdwn.Split(text, mrkdwn.SectionLimit)
	if len(chunks) < 2 {
		t.Fatalf("Split gave %d chunks; want several", len(chunks))
	}
	for i, c := range chunks {
		if n := utf8.RuneCountInString(c); n > mrkdwn.SectionLimit {
			t.Errorf("chunk %d has %d characters; want at most %d", i, n, mrkdwn.SectionLimit)
		}
	}
	if got, want := strings.Count(strings.Join(chunks, "\n\n"), "•"), strings.Count(text, "•"); got != want {
		t.Errorf("chunks hold %d bullets; want %d", got, want)
	}
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// checkNoSpecials fails if out has a "<" that does not start a web or mail
// link: such a "<" could make Slack mention someone (<!channel>, <@U1>).
func checkNoSpecials(t testing.TB, out string) {
	t.Helper()
	for i := 0; i < len(out); i++ {
		if out[i] != '<' {
			continue
		}
		rest := strings.ToLower(out[i+1:])
		if !strings.HasPrefix(rest, "http://") && !strings.HasPrefix(rest, "https://") && !strings.HasPrefix(rest, "mailto:") {
			t.Fatalf("output has a raw %q at %d: %q", out[i:min(len(out), i+10)], i, out)
		}
	}
}

func FuzzConvert(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*.md"))
	for _, file := range files {
		if src, err := os.ReadFile(file); err == nil {
			f.Add(string(src))
		}
	}
	f.Add("[a](https://x.io/<!channel>)")
	f.Add("<https://x.io|<!here>>")
	f.Add("**[x](<!channel>)**")
	f.Fuzz(func(t *testing.T, md string) {
		out := mrkdwn.Convert(md)
		checkNoSpecials(t, out)
		for i, c := range mrkdwn.Split(out, 50) {
			if n := utf8.RuneCountInString(c); n > 50 {
				t.Fatalf("Split chunk %d has %d runes; want at most 50", i, n)
			}
		}
	})
}

func FuzzSplit(f *testing.F) {
	f.Add("a\n\nb\n```\nc\n\nd\n```\ne f g", 5)
	f.Add("ééé ééé", 2)
	f.Fuzz(func(t *testing.T, text string, limit int) {
		limit %= 200
		chunks := mrkdwn.Split(text, limit)
		for i, c := range chunks {
			if limit > 0 && utf8.RuneCountInString(c) > limit {
				t.Fatalf("Split(%q, %d): chunk %d %q is too long", text, limit, i, c)
			}
			if c == "" {
				t.Fatalf("Split(%q, %d): chunk %d is empty", text, limit, i)
			}
		}
	})
}

func BenchmarkConvert(b *testing.B) {
	src, err := os.ReadFile(filepath.Join("testdata", "answer.md"))
	if err != nil {
		b.Fatal(err)
	}
	md := string(src)
	for b.Loop() {
		mrkdwn.Convert(md)
	}
}
