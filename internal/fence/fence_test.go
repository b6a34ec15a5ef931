package fence_test

import (
	"strings"
	"testing"

	"github.com/prepbot/prepbot/internal/fence"
)

// kinds steps a scanner over the lines of doc and spells their kinds as
// one letter each: t(ext), o(pen), b(ody), c(lose).
func kinds(doc string) (string, bool) {
	var s fence.Scanner
	var b strings.Builder
	for line := range strings.Lines(doc) {
		b.WriteByte("tobc"[s.Step(line)])
	}
	return b.String(), s.InBlock()
}

func TestStep(t *testing.T) {
	tests := []struct {
		name string
		doc  string
		want string
		open bool // a block is still open after the last line
	}{
		{"no code", "a\nb\n", "tt", false},
		{"backticks", "a\n```\nx\n```\nb\n", "tobct", false},
		{"tildes", "~~~\nx\n~~~\n", "obc", false},
		{"info string", "```go\nx := 1\n```\n", "obc", false},
		{"indented in a list item", "- item\n  ```\n  x\n  ```\n", "tobc", false},
		{"closing fence with trailing spaces", "```\nx\n```   \n", "obc", false},
		{"CRLF line endings", "```\r\nx\r\n```\r\n", "obc", false},
		{"longer closing run", "```\nx\n`````\n", "obc", false},
		{"shorter run does not close", "````\n```\nx\n````\n", "obbc", false},
		{"other character does not close", "```\n~~~\n```\n", "obc", false},
		{"closing fence with text does not close", "```\n```go\n```\n", "obc", false},
		{"inline code is not a fence", "```x```\nb\n", "tt", false},
		{"backtick in info string is not a fence", "``` a`b\n", "t", false},
		{"backtick in a tilde info string is a fence", "~~~ a`b\nx\n~~~\n", "obc", false},
		{"two backticks are not a fence", "``\nx\n``\n", "ttt", false},
		{"blank lines stay inside", "```\n\nx\n\n```\n", "obbbc", false},
		{"unclosed", "a\n```\nx\n", "tob", true},
		{"two blocks", "```\nx\n```\ny\n~~~\nz\n~~~\n", "obctobc", false},
		{"no final newline", "```\nx\n```", "obc", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, open := kinds(tt.doc)
			if got != tt.want || open != tt.open {
				t.Errorf("kinds(%q) = %q, in block %v; want %q, %v", tt.doc, got, open, tt.want, tt.open)
			}
		})
	}
}

func TestCode(t *testing.T) {
	for k, want := range map[fence.Kind]bool{fence.Text: false, fence.Open: true, fence.Body: true, fence.Close: true} {
		if got := k.Code(); got != want {
			t.Errorf("Kind(%d).Code() = %v; want %v", k, got, want)
		}
	}
}

// FuzzStep checks that the scanner's state and the kinds it returns agree
// on any input: Open and Close alternate, Body comes only inside a block,
// Text only outside one.
func FuzzStep(f *testing.F) {
	f.Add("a\n```go\nx\n```\n~~~\n````\n")
	f.Add("```x```\n  ~~~\n")
	f.Fuzz(func(t *testing.T, doc string) {
		var s fence.Scanner
		for line := range strings.Lines(doc) {
			was := s.InBlock()
			k := s.Step(line)
			ok := false
			switch k {
			case fence.Text:
				ok = !was && !s.InBlock()
			case fence.Open:
				ok = !was && s.InBlock()
			case fence.Body:
				ok = was && s.InBlock()
			case fence.Close:
				ok = was && !s.InBlock()
			}
			if !ok {
				t.Fatalf("Step(%q) = %d going from in block %v to %v", line, k, was, s.InBlock())
			}
		}
	})
}
