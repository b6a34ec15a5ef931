package questions_test

import (
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/prepbot/prepbot/questions"
)

// words returns an answer of n words.
func words(n int) string {
	w := make([]string, n)
	for i := range w {
		w[i] = fmt.Sprintf("word%d", i)
	}
	return strings.Join(w, " ") + "."
}

// keyPoints is a valid key points section.
const keyPoints = "### Key points\n\n- One.\n- Two.\n"

// question renders a question the way the tests need it. With the heading
// on line L, the metadata is on L+2, the answer on L+4 and "### Key points"
// (when rest is keyPoints) on L+6, its items on L+8 and L+9.
func question(text, meta, answer, rest string) string {
	return "## " + text + "\n\n" + meta + "\n\n" + answer + "\n\n" + rest
}

// valid returns a valid question with the given ID and text.
func valid(id, text string) string {
	return question(text, "id: "+id+" | difficulty: easy", words(70), keyPoints)
}

// errorStrings returns err's problems as "file:line: msg" strings, failing
// the test if err is not Errors.
func errorStrings(t *testing.T, err error) []string {
	t.Helper()
	if err == nil {
		return nil
	}
	var es questions.Errors
	if !errors.As(err, &es) {
		t.Fatalf("error %v (%T) is not questions.Errors", err, err)
	}
	out := make([]string, len(es))
	for i, e := range es {
		out[i] = e.Error()
	}
	return out
}

func TestLoadErrors(t *testing.T) {
	const f = "backend/x.md"
	tests := []struct {
		name  string
		files map[string]string
		want  []string
	}{
		{
			name:  "missing metadata",
			files: map[string]string{f: "## What is X?\n\n" + words(70) + "\n\n" + keyPoints},
			want:  []string{f + `:1: missing metadata line after the question (id: topic/slug | difficulty: easy)`},
		},
		{
			name:  "invalid id",
			files: map[string]string{f: question("What is X?", "id: Deployment/Blue_Green | difficulty: easy", words(70), keyPoints)},
			want:  []string{f + `:3: invalid id "Deployment/Blue_Green": want topic/kebab-slug of lowercase letters, digits and hyphens`},
		},
		{
			name:  "id without slug",
			files: map[string]string{f: question("What is X?", "id: deployment | difficulty: easy", words(70), keyPoints)},
			want:  []string{f + `:3: invalid id "deployment": want topic/kebab-slug of lowercase letters, digits and hyphens`},
		},
		{
			name:  "unknown topic",
			files: map[string]string{f: question("What is X?", "id: cooking/x | difficulty: easy", words(70), keyPoints)},
			want:  []string{f + `:3: unknown topic "cooking" in id "cooking/x"`},
		},
		{
			name:  "missing id",
			files: map[string]string{f: question("What is X?", "difficulty: easy", words(70), keyPoints)},
			want:  []string{f + `:3: missing id`},
		},
		{
			name:  "missing difficulty",
			files: map[string]string{f: question("What is X?", "id: apis/x", words(70), keyPoints)},
			want:  []string{f + `:3: missing difficulty`},
		},
		{
			name:  "invalid difficulty",
			files: map[string]string{f: question("What is X?", "id: apis/x | difficulty: trivial", words(70), keyPoints)},
			want:  []string{f + `:3: invalid difficulty "trivial": want easy, medium or hard`},
		},
		{
			name:  "unknown metadata key",
			files: map[string]string{f: question("What is X?", "id: apis/x | difficulty: easy | level: 3", words(70), keyPoints)},
			want:  []string{f + `:3: metadata: unknown key "level"; want id, difficulty or tags`},
		},
		{
			name:  "duplicate metadata key",
			files: map[string]string{f: question("What is X?", "id: apis/x | difficulty: easy | id: apis/y", words(70), keyPoints)},
			want:  []string{f + `:3: metadata: duplicate key "id"`},
		},
		{
			name:  "metadata field without colon",
			files: map[string]string{f: question("What is X?", "id: apis/x | difficulty: easy | rest", words(70), keyPoints)},
			want:  []string{f + `:3: metadata: "rest" is not a key: value pair`},
		},
		{
			name:  "empty tag",
			files: map[string]string{f: question("What is X?", "id: apis/x | difficulty: easy | tags: a, , b", words(70), keyPoints)},
			want:  []string{f + `:3: empty tag in tags`},
		},
		{
			name:  "question without ? or .",
			files: map[string]string{f: question("What is X", "id: apis/x | difficulty: easy", words(70), keyPoints)},
			want:  []string{f + `:1: question "What is X" must end with "?" or "."`},
		},
		{
			name:  "empty question",
			files: map[string]string{f: question("", "id: apis/x | difficulty: easy", words(70), keyPoints)},
			want:  []string{f + `:1: question text is empty`},
		},
		{
			name:  "answer too short",
			files: map[string]string{f: question("What is X?", "id: apis/x | difficulty: easy", words(59), keyPoints)},
			want:  []string{f + `:5: answer has 59 words; want 60 to 220`},
		},
		{
			name:  "answer too long",
			files: map[string]string{f: question("What is X?", "id: apis/x | difficulty: easy", words(221), keyPoints)},
			want:  []string{f + `:5: answer has 221 words; want 60 to 220`},
		},
		{
			name:  "code does not count as words",
			files: map[string]string{f: question("What is X?", "id: apis/x | difficulty: easy", words(50)+"\n\n```\n"+words(30)+"\n```", keyPoints)},
			want:  []string{f + `:5: answer has 50 words; want 60 to 220`},
		},
		{
			name:  "missing key points",
			files: map[string]string{f: question("What is X?", "id: apis/x | difficulty: easy", words(70), "")},
			want:  []string{f + `:1: missing ### Key points`},
		},
		{
			name:  "one key point",
			files: map[string]string{f: question("What is X?", "id: apis/x | difficulty: easy", words(70), "### Key points\n\n- One.\n")},
			want:  []string{f + `:7: ### Key points has 1 items; want 2 to 5`},
		},
		{
			name:  "six key points",
			files: map[string]string{f: question("What is X?", "id: apis/x | difficulty: easy", words(70), "### Key points\n\n- 1\n- 2\n- 3\n- 4\n- 5\n- 6\n")},
			want:  []string{f + `:7: ### Key points has 6 items; want 2 to 5`},
		},
		{
			name:  "key points not a list",
			files: map[string]string{f: question("What is X?", "id: apis/x | difficulty: easy", words(70), keyPoints+"\nA closing remark.\n")},
			want:  []string{f + `:12: ### Key points: want a list of "- " items`},
		},
		{
			name:  "star bullets",
			files: map[string]string{f: question("What is X?", "id: apis/x | difficulty: easy", words(70), "### Key points\n\n* One.\n* Two.\n")},
			want: []string{
				f + `:7: ### Key points has 0 items; want 2 to 5`,
				f + `:9: ### Key points: want a list of "- " items`,
				f + `:10: ### Key points: want a list of "- " items`,
			},
		},
		{
			name:  "empty item",
			files: map[string]string{f: question("What is X?", "id: apis/x | difficulty: easy", words(70), keyPoints+"- \n")},
			want:  []string{f + `:11: ### Key points: empty item`},
		},
		{
			name:  "unknown ### heading",
			files: map[string]string{f: question("What is X?", "id: apis/x | difficulty: easy", words(70), keyPoints+"\n### Example\n\nSome text.\n")},
			want:  []string{f + `:12: unknown heading "### Example"; want "### Key points" or "### Follow-ups"`},
		},
		{
			name:  "#### heading in a question",
			files: map[string]string{f: question("What is X?", "id: apis/x | difficulty: easy", words(70)+"\n\n#### Why", keyPoints)},
			want:  []string{f + `:7: heading "#### Why" is not allowed in a question; use **bold** text`},
		},
		{
			name:  "# heading after the top",
			files: map[string]string{f: "# Title\n\n" + valid("apis/x", "What is X?") + "\n# Another title\n"},
			want:  []string{f + `:14: a # heading is only allowed as the file title, on the first line`},
		},
		{
			name:  "### heading before the first question",
			files: map[string]string{f: "# Title\n\n### Notes\n\n" + valid("apis/x", "What is X?")},
			want:  []string{f + `:3: heading "### Notes" outside a question`},
		},
		{
			name:  "duplicate key points",
			files: map[string]string{f: question("What is X?", "id: apis/x | difficulty: easy", words(70), keyPoints+"\n"+keyPoints)},
			want:  []string{f + `:12: duplicate ### Key points (first at line 7)`},
		},
		{
			name:  "empty follow-ups",
			files: map[string]string{f: question("What is X?", "id: apis/x | difficulty: easy", words(70), keyPoints+"\n### Follow-ups\n")},
			want:  []string{f + `:12: ### Follow-ups has no items; add some or remove the heading`},
		},
		{
			name:  "unclosed code block",
			files: map[string]string{f: question("What is X?", "id: apis/x | difficulty: easy", words(70)+"\n\n```go\nx := 1", keyPoints)},
			want: []string{
				f + `:1: missing ### Key points`,
				f + `:7: unclosed code block`,
			},
		},
		{
			name:  "table in answer",
			files: map[string]string{f: question("What is X?", "id: apis/x | difficulty: easy", words(70)+"\n\n| a | b |", keyPoints)},
			want:  []string{f + `:7: tables are not supported in answers`},
		},
		{
			name:  "image in answer",
			files: map[string]string{f: question("What is X?", "id: apis/x | difficulty: easy", words(70)+"\n\n![diagram](https://x.io/d.png)", keyPoints)},
			want:  []string{f + `:7: images are not supported in answers`},
		},
		{
			name: "duplicate id across files",
			files: map[string]string{
				"backend/a.md": valid("apis/x", "What is X?"),
				"backend/b.md": "# B\n\n" + valid("apis/x", "What is Y?"),
			},
			want: []string{`backend/b.md:3: duplicate id "apis/x" (first at backend/a.md:1)`},
		},
		{
			name: "duplicate text across files",
			files: map[string]string{
				"backend/a.md": valid("apis/x", "What is REST?"),
				"backend/b.md": valid("apis/y", "what is rest."),
			},
			want: []string{`backend/b.md:1: duplicate question text: same as apis/x (backend/a.md:1)`},
		},
		{
			name:  "unknown guide",
			files: map[string]string{"guides/faq.md": "# FAQ\n\nText.\n"},
			want:  []string{`guides/faq.md: unknown guide; want guides/tips.md or guides/star.md`},
		},
		{
			name:  "empty guide",
			files: map[string]string{"guides/tips.md": "\n\n"},
			want:  []string{`guides/tips.md: guide is empty`},
		},
		{
			name:  "unclosed code block in a guide",
			files: map[string]string{"guides/star.md": "# STAR\n\n```\ncode\n"},
			want:  []string{`guides/star.md:3: unclosed code block`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fsys := fstest.MapFS{}
			for name, src := range tt.files {
				fsys[name] = &fstest.MapFile{Data: []byte(src)}
			}
			b, err := questions.Load(fsys)
			if got := errorStrings(t, err); !slices.Equal(got, tt.want) {
				t.Errorf("Load errors:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
			if b != nil {
				t.Errorf("Load returned a bank along with errors")
			}
		})
	}
}

// TestLoadReportsEveryError checks that one broken file reports all its
// problems, sorted by file and line, and that Errors prints one per line.
func TestLoadReportsEveryError(t *testing.T) {
	src := "# Broken\n\n" +
		question("What is X", "id: apis/x | difficulty: hardest", words(10), keyPoints) + "\n" +
		question("What is Y?", "id: nope/y | difficulty: easy", words(70), "### Key points\n\n- Only one.\n") + "\n" +
		valid("apis/x", "What is Z?")
	fsys := fstest.MapFS{
		"a.md": {Data: []byte(src)},
		"b.md": {Data: []byte(valid("apis/b", "What is X."))},
	}
	_, err := questions.Load(fsys)
	want := []string{
		`a.md:3: question "What is X" must end with "?" or "."`,
		`a.md:5: invalid difficulty "hardest": want easy, medium or hard`,
		`a.md:7: answer has 10 words; want 60 to 220`,
		`a.md:16: unknown topic "nope" in id "nope/y"`,
		`a.md:20: ### Key points has 1 items; want 2 to 5`,
		`a.md:24: duplicate id "apis/x" (first at a.md:3)`,
		`b.md:1: duplicate question text: same as apis/x (a.md:3)`,
	}
	got := errorStrings(t, err)
	if !slices.Equal(got, want) {
		t.Errorf("Load errors:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if err.Error() != strings.Join(want, "\n") {
		t.Errorf("Errors.Error() = %q; want the errors one per line", err.Error())
	}
}

// testBank is a small valid bank with guides.
func testBank() fstest.MapFS {
	return fstest.MapFS{
		"backend/apis.md": {Data: []byte("# APIs\n\nNotes for reviewers.\n\n" +
			question("What is REST?", "id: apis/rest | difficulty: easy | tags: http, design", words(70)+"\n\n```http\n## not a heading\nGET /users/1\n```\n\n- a list in the answer", keyPoints+"\n### Follow-ups\n\n- What is HATEOAS?\n- Compare REST with\n  gRPC.\n") + "\n" +
			valid("apis/graphql", "What is GraphQL?"))},
		"backend/db.md":       {Data: []byte(valid("databases/nosql", "What is NoSQL?") + "\n" + valid("databases/index", "What is an index?"))},
		"frontend/react.md":   {Data: []byte(valid("react/hooks", "What are hooks?"))},
		"guides/tips.md":      {Data: []byte("# Tips\n\nBe honest.\n")},
		"guides/star.md":      {Data: []byte("\r\n# STAR\r\n\r\nSituation, Task, Action, Result.\r\n")},
		"notes.txt":           {Data: []byte("ignored")},
		".hidden/broken.md":   {Data: []byte("## broken")},
		"backend/.draft.md":   {Data: []byte("## broken")},
		"behavioral/empty.md": {Data: []byte("# Nothing yet\n")},
	}
}

func TestLoad(t *testing.T) {
	b, err := questions.Load(testBank())
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if got, want := b.Len(), 5; got != want {
		t.Errorf("Len() = %d; want %d", got, want)
	}
	q, ok := b.Get("apis/rest")
	if !ok {
		t.Fatal(`Get("apis/rest") found nothing`)
	}
	want := questions.Question{
		ID:         "apis/rest",
		Track:      "backend",
		Topic:      "apis",
		Difficulty: "easy",
		Text:       "What is REST?",
		Answer:     words(70) + "\n\n```http\n## not a heading\nGET /users/1\n```\n\n- a list in the answer",
		KeyPoints:  []string{"One.", "Two."},
		FollowUps:  []string{"What is HATEOAS?", "Compare REST with gRPC."},
		Tags:       []string{"http", "design"},
		Origin:     "backend/apis.md:5",
	}
	if !reflect.DeepEqual(q, want) {
		t.Errorf("Get(apis/rest) = %#v\nwant %#v", q, want)
	}
	if _, ok := b.Get("apis/nope"); ok {
		t.Error(`Get("apis/nope") found a question`)
	}
	if got, want := b.Tips(), "# Tips\n\nBe honest."; got != want {
		t.Errorf("Tips() = %q; want %q", got, want)
	}
	if got, want := b.Star(), "# STAR\n\nSituation, Task, Action, Result."; got != want {
		t.Errorf("Star() = %q; want %q", got, want)
	}
	var ids []string
	for _, q := range b.All() {
		ids = append(ids, q.ID)
	}
	if want := []string{"apis/graphql", "apis/rest", "databases/index", "databases/nosql", "react/hooks"}; !slices.Equal(ids, want) {
		t.Errorf("All() IDs = %q; want %q", ids, want)
	}
	counts := b.TopicCounts()
	if counts["apis"] != 2 || counts["databases"] != 2 || counts["react"] != 1 || counts["caching"] != 0 || len(counts) != len(questions.Topics) {
		t.Errorf("TopicCounts() = %v", counts)
	}
}

func TestInTopics(t *testing.T) {
	b, err := questions.Load(testBank())
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		topics []string
		want   []string
	}{
		{nil, []string{"apis/graphql", "apis/rest", "databases/index", "databases/nosql", "react/hooks"}},
		{[]string{"databases"}, []string{"databases/index", "databases/nosql"}},
		{[]string{"react", "apis"}, []string{"apis/graphql", "apis/rest", "react/hooks"}},
		{[]string{"frontend"}, []string{"react/hooks"}},
		{[]string{"frontend", "react"}, []string{"react/hooks"}},
		{[]string{"caching"}, nil},
		{[]string{"nope"}, nil},
	}
	for _, tt := range tests {
		if got := b.InTopics(tt.topics...); !slices.Equal(got, tt.want) {
			t.Errorf("InTopics(%q) = %q; want %q", tt.topics, got, tt.want)
		}
	}
}

func TestParse(t *testing.T) {
	src := "# APIs\n\n" + valid("apis/a", "What is A?") + "\n" + valid("apis/b", "What is B?")
	qs, err := questions.Parse("backend/apis.md", []byte(src))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	if len(qs) != 2 || qs[0].ID != "apis/a" || qs[1].Origin != "backend/apis.md:14" {
		t.Errorf("Parse = %+v", qs)
	}
	_, err = questions.Parse("x.md", []byte(src+"\n"+valid("apis/a", "What is C?")))
	if got, want := errorStrings(t, err), []string{`x.md:25: duplicate id "apis/a" (first at x.md:3)`}; !slices.Equal(got, want) {
		t.Errorf("Parse errors = %q; want %q", got, want)
	}
}

// stripOrigins returns qs with empty Origins.
func stripOrigins(qs []questions.Question) []questions.Question {
	out := slices.Clone(qs)
	for i := range out {
		out[i].Origin = ""
	}
	return out
}

func TestMerge(t *testing.T) {
	base, err := questions.Load(testBank())
	if err != nil {
		t.Fatal(err)
	}
	extra := fstest.MapFS{
		"mine.md": {Data: []byte(
			question("What is REST, really?", "id: apis/rest | difficulty: hard", words(80), keyPoints) + "\n" +
				valid("caching/ttl", "What is a TTL?"))},
		"guides/tips.md": {Data: []byte("# My tips\n")},
	}
	m, err := questions.Merge(base, extra)
	if err != nil {
		t.Fatalf("Merge: %v", err)
	}
	if m.Len() != 6 {
		t.Errorf("Len() = %d; want 6", m.Len())
	}
	if q, _ := m.Get("apis/rest"); q.Difficulty != "hard" || q.Origin != "mine.md:1" {
		t.Errorf("apis/rest = %+v; want the one from mine.md", q)
	}
	if _, ok := m.Get("caching/ttl"); !ok {
		t.Error("caching/ttl missing after Merge")
	}
	if m.Tips() != "# My tips" || m.Star() != base.Star() {
		t.Errorf("guides after Merge: tips %q, star %q", m.Tips(), m.Star())
	}
	if _, ok := base.Get("caching/ttl"); ok {
		t.Error("Merge modified its base")
	}

	// Replacing a question by ID may keep its text; copying another's may not.
	clash := fstest.MapFS{"mine.md": {Data: []byte(
		valid("apis/rest", "What is REST?") + "\n" + valid("caching/copy", "What is GraphQL?"))}}
	_, err = questions.Merge(base, clash)
	want := []string{`mine.md:12: duplicate question text: same as apis/graphql (backend/apis.md:29)`}
	if got := errorStrings(t, err); !slices.Equal(got, want) {
		t.Errorf("Merge errors = %q; want %q", got, want)
	}
}

func TestNewBank(t *testing.T) {
	loaded, err := questions.Load(testBank())
	if err != nil {
		t.Fatal(err)
	}
	qs := loaded.All()
	added := questions.Question{
		ID:         "caching/slack-one",
		Difficulty: "medium",
		Text:       " What is a cache stampede? ",
		Answer:     "\n" + words(65) + "\r\n\r\n",
		KeyPoints:  []string{"One. ", "Two."},
		Origin:     "slack",
	}
	qs = append(qs, added)
	b, err := questions.NewBank(qs, loaded.Guides())
	if err != nil {
		t.Fatalf("NewBank: %v", err)
	}
	got, _ := b.Get("caching/slack-one")
	if got.Track != "backend" || got.Topic != "caching" || got.Text != "What is a cache stampede?" || got.Answer != words(65) || got.KeyPoints[0] != "One." {
		t.Errorf("NewBank normalised the question to %+v", got)
	}
	// The bank keeps its own copy of the slices it was given.
	qs[len(qs)-1].KeyPoints[1] = "changed"
	if got, _ := b.Get("caching/slack-one"); got.KeyPoints[1] != "Two." {
		t.Error("changing the input changed the bank")
	}

	bad := []questions.Question{
		{ID: "caching/a", Difficulty: "easy", Text: "What is A?", Answer: words(70), KeyPoints: []string{"1", "2"}, Origin: "slack"},
		{ID: "caching/b", Difficulty: "easy", Text: "what is a", Answer: words(70) + "\n\n### More", KeyPoints: []string{"1"}, Origin: "backend/caching.md:7"},
		{ID: "Caching/C", Topic: "apis", Difficulty: "easy", Text: "What is C?", Answer: words(70), KeyPoints: []string{"1", "2\n3"}},
		{ID: "caching/a", Track: "frontend", Difficulty: "easy", Text: "What is D?", Answer: words(70), KeyPoints: []string{"1", "2"}, Origin: "slack"},
	}
	_, err = questions.NewBank(bad, questions.Guides{})
	want := []string{
		`Caching/C: invalid id "Caching/C": want topic/kebab-slug of lowercase letters, digits and hyphens`,
		`Caching/C: ### Key points: item "2\n3" must be one line`,
		`backend/caching.md:7: question "what is a" must end with "?" or "."`,
		`backend/caching.md:7: heading "### More" is not allowed in an answer`,
		`backend/caching.md:7: ### Key points has 1 items; want 2 to 5`,
		`backend/caching.md:7: duplicate question text: same as caching/a (slack)`,
		`slack: track "frontend" does not match topic "caching" (track "backend")`,
		`slack: duplicate id "caching/a" (first at slack)`,
	}
	if got := errorStrings(t, err); !slices.Equal(got, want) {
		t.Errorf("NewBank errors:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestValidate(t *testing.T) {
	q := questions.Question{ID: "apis/x", Difficulty: "easy", Text: "What is X?", Answer: words(70), KeyPoints: []string{"1", "2"}}
	if err := q.Validate(); err != nil {
		t.Errorf("Validate() = %v; want nil", err)
	}
	q.Answer = "\n\n" + q.Answer + "  \n"
	q.Text = "  " + q.Text
	if err := q.Validate(); err != nil {
		t.Errorf("Validate() with surrounding spaces = %v; want nil", err)
	}
	q.Answer = words(70) + "\n\n```\ncode"
	q.Origin = "slack"
	if got, want := errorStrings(t, q.Validate()), []string{"slack: unclosed code block in answer"}; !slices.Equal(got, want) {
		t.Errorf("Validate() = %q; want %q", got, want)
	}
}

func TestMarshal(t *testing.T) {
	b, err := questions.Load(testBank())
	if err != nil {
		t.Fatal(err)
	}
	q, _ := b.Get("apis/rest")
	data, err := questions.Marshal(q)
	if err != nil {
		t.Fatalf("Marshal: %v", err)
	}
	if !strings.Contains(string(data), `"key_points":["One.","Two."]`) {
		t.Errorf("Marshal = %s; want snake_case field names", data)
	}
	got, err := questions.Unmarshal(data)
	if err != nil {
		t.Fatalf("Unmarshal: %v", err)
	}
	if !reflect.DeepEqual(got, q) {
		t.Errorf("Unmarshal(Marshal(q)) = %+v; want %+v", got, q)
	}
	for _, bad := range []string{``, `{`, `[]`, `{"text":"no id"}`} {
		if _, err := questions.Unmarshal([]byte(bad)); err == nil {
			t.Errorf("Unmarshal(%q) succeeded; want an error", bad)
		}
	}
	if _, err := questions.Unmarshal([]byte(`{"id":"apis/x","future_field":1}`)); err != nil {
		t.Errorf("Unmarshal with an unknown field: %v", err)
	}
}

// checkRoundTrip formats b's questions, loads the files again, and checks
// that it gets the same questions back.
func checkRoundTrip(t *testing.T, b *questions.Bank) {
	t.Helper()
	fsys := fstest.MapFS{}
	for name, data := range questions.Format(b.All()) {
		fsys[name] = &fstest.MapFile{Data: data}
	}
	again, err := questions.Load(fsys)
	if err != nil {
		t.Fatalf("Load(Format(bank)): %v", err)
	}
	got, want := stripOrigins(again.All()), stripOrigins(b.All())
	if len(got) != len(want) {
		t.Fatalf("round trip gave %d questions; want %d", len(got), len(want))
	}
	for i := range want {
		if !reflect.DeepEqual(got[i], want[i]) {
			t.Errorf("round trip changed %s:\n got %#v\nwant %#v", want[i].ID, got[i], want[i])
		}
	}
}

func TestFormatRoundTrip(t *testing.T) {
	b, err := questions.Load(testBank())
	if err != nil {
		t.Fatal(err)
	}
	checkRoundTrip(t, b)
	files := questions.Format(b.All())
	var names []string
	for name := range files {
		names = append(names, name)
	}
	slices.Sort(names)
	if want := []string{"backend/apis.md", "backend/databases.md", "frontend/react.md"}; !slices.Equal(names, want) {
		t.Errorf("Format wrote %q; want %q", names, want)
	}
	if !strings.HasPrefix(string(files["backend/apis.md"]), "# APIs\n\n## What is REST?\n\nid: apis/rest | difficulty: easy | tags: http, design\n\n") {
		t.Errorf("backend/apis.md starts:\n%.200s", files["backend/apis.md"])
	}
}

func TestFormatRoundTripEmbedded(t *testing.T) {
	b, err := questions.Default()
	if err != nil {
		t.Fatalf("Default: %v", err)
	}
	checkRoundTrip(t, b)
}

func TestWriteFiles(t *testing.T) {
	b, err := questions.Load(testBank())
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := questions.WriteFiles(dir, b.All()); err != nil {
		t.Fatalf("WriteFiles: %v", err)
	}
	again, err := questions.Load(os.DirFS(dir))
	if err != nil {
		t.Fatalf("Load(written files): %v", err)
	}
	if got, want := stripOrigins(again.All()), stripOrigins(b.All()); !reflect.DeepEqual(got, want) {
		t.Errorf("WriteFiles then Load gave other questions")
	}
}

func TestRandom(t *testing.T) {
	b, err := questions.Load(testBank())
	if err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(1, 2))
	tests := []struct {
		topics []string
		want   []string
	}{
		{nil, b.InTopics()},
		{[]string{"databases"}, []string{"databases/index", "databases/nosql"}},
		{[]string{"apis", "react"}, []string{"apis/graphql", "apis/rest", "react/hooks"}},
		{[]string{"frontend", "react"}, []string{"react/hooks"}},
	}
	for _, tt := range tests {
		seen := map[string]int{}
		const draws = 3000
		for range draws {
			q, ok := b.Random(r, tt.topics...)
			if !ok {
				t.Fatalf("Random(%q) found nothing", tt.topics)
			}
			seen[q.ID]++
		}
		for _, id := range tt.want {
			// Uniform draws give each ID draws/len(want) on average; a
			// third of that is far outside chance.
			if seen[id] < draws/len(tt.want)/3 {
				t.Errorf("Random(%q) drew %s %d times in %d", tt.topics, id, seen[id], draws)
			}
		}
		if len(seen) != len(tt.want) {
			t.Errorf("Random(%q) drew %v; want only %q", tt.topics, seen, tt.want)
		}
	}
	for _, topics := range [][]string{{"caching"}, {"nope"}} {
		if q, ok := b.Random(r, topics...); ok {
			t.Errorf("Random(%q) = %s; want nothing", topics, q.ID)
		}
	}
	if _, ok := b.Random(nil, "apis"); !ok {
		t.Error("Random(nil, apis) found nothing")
	}
	if n := testing.AllocsPerRun(100, func() { b.Random(r, "apis", "react") }); n != 0 {
		t.Errorf("Random allocates %v times per call; want 0", n)
	}
}

// TestRandomCoversEmbeddedTopic draws from one topic of the embedded bank
// until every question of it has come up.
func TestRandomExceptNeverRepeatsTheQuestionOnScreen(t *testing.T) {
	b, err := questions.Default()
	if err != nil {
		t.Fatalf("Default: %v", err)
	}
	small, err := questions.Load(testBank())
	if err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(5, 6))
	for _, tt := range []struct {
		bank   *questions.Bank
		topics []string
	}{
		{b, []string{"deployment"}},
		{b, []string{"backend"}},
		{b, []string{"apis", "react"}},
		{b, nil},
		{small, []string{"databases"}}, // two questions: another is always the other one
	} {
		pool := tt.bank.InTopics(tt.topics...)
		for _, except := range []string{pool[0], pool[len(pool)/2], pool[len(pool)-1]} {
			seen := map[string]bool{}
			for i := 0; i < 60*len(pool) && len(seen) < len(pool)-1; i++ {
				q, ok := tt.bank.RandomExcept(r, except, tt.topics...)
				if !ok || q.ID == except || !slices.Contains(pool, q.ID) {
					t.Fatalf("RandomExcept(%s, %q) = %s, %v; want another question of the topics", except, tt.topics, q.ID, ok)
				}
				seen[q.ID] = true
			}
			if len(seen) != len(pool)-1 {
				t.Errorf("RandomExcept(%s, %q) drew %d of the %d others", except, tt.topics, len(seen), len(pool)-1)
			}
		}
	}
	// The only question of a topic is returned even when excluded; an ID
	// outside the topics changes nothing.
	one := small.InTopics("react")
	if q, ok := small.RandomExcept(r, one[0], "react"); !ok || q.ID != one[0] {
		t.Errorf("RandomExcept of a one-question topic = %s, %v; want %s", q.ID, ok, one[0])
	}
	if q, ok := small.RandomExcept(r, "no/such", "react"); !ok || q.ID != one[0] {
		t.Errorf("RandomExcept with an unknown ID = %s, %v", q.ID, ok)
	}
}

func TestRandomCoversEmbeddedTopic(t *testing.T) {
	b, err := questions.Default()
	if err != nil {
		t.Fatalf("Default: %v", err)
	}
	r := rand.New(rand.NewPCG(3, 4))
	for _, topic := range []string{"deployment", "behavioral"} {
		want := b.InTopics(topic)
		seen := map[string]bool{}
		for i := 0; i < 100*len(want) && len(seen) < len(want); i++ {
			q, _ := b.Random(r, topic)
			if q.Topic != topic {
				t.Fatalf("Random(%s) = %s", topic, q.ID)
			}
			seen[q.ID] = true
		}
		if len(seen) != len(want) {
			t.Errorf("Random(%s) drew %d of its %d questions", topic, len(seen), len(want))
		}
	}
}

func TestMatchTopic(t *testing.T) {
	frontend := []string{"html-css", "javascript", "browser", "react", "accessibility", "frontend-performance", "typescript", "frontend-testing"}
	tests := []struct {
		in   string
		want []string
	}{
		{"databases", []string{"databases"}},
		{"Databases", []string{"databases"}},
		{"data bases", []string{"databases"}},
		{"DATA_BASES", []string{"databases"}},
		{"database", []string{"databases"}},
		{"db", []string{"databases"}},
		{"DBs", []string{"databases"}},
		{"k8s", []string{"containers"}},
		{"docker", []string{"containers"}},
		{"container", []string{"containers"}},
		{"js", []string{"javascript"}},
		{"fe", frontend},
		{"frontend", frontend},
		{"Front-End", frontend},
		{"front", frontend},
		{"a11y", []string{"accessibility"}},
		{"css", []string{"html-css"}},
		{"html", []string{"html-css"}},
		{"HTML/CSS", []string{"html-css"}},
		{"perf", []string{"performance"}},
		{"frontend performance", []string{"frontend-performance"}},
		{"behavioural", []string{"behavioral"}},
		{"behavioral", []string{"behavioral"}},
		{"star", []string{"behavioral"}},
		{"arch", []string{"architecture"}},
		{"archi", []string{"architecture"}},
		{"obs", []string{"observability"}},
		{"algorithm", []string{"algorithms"}},
		{"api", []string{"apis"}},
		{"caching", []string{"caching"}},
		{"cache", []string{"caching"}},
		{"backend", questions.TrackTopics("backend")},
		{"all", allSlugs()},
		{"ts", []string{"typescript"}},
		{"TypeScript", []string{"typescript"}},
		{"js", []string{"javascript"}},
		{"system design", []string{"system-design"}},
		{"bash", []string{"linux"}},
		{"git", []string{"git"}},
		{"con", nil}, // containers or concurrency
		{"re", nil},  // too short to be a prefix
		{"", nil},
		{"cooking", nil},
		{"  ", nil},
	}
	for _, tt := range tests {
		got, ok := questions.MatchTopic(tt.in)
		if !slices.Equal(got, tt.want) || ok != (tt.want != nil) {
			t.Errorf("MatchTopic(%q) = %q, %v; want %q", tt.in, got, ok, tt.want)
		}
	}
}

func TestTopics(t *testing.T) {
	count := map[string]int{}
	seen := map[string]bool{}
	for _, tp := range questions.Topics {
		if seen[tp.Slug] {
			t.Errorf("topic %s listed twice", tp.Slug)
		}
		seen[tp.Slug] = true
		count[tp.Track]++
		if tp.Title == "" {
			t.Errorf("topic %s has no title", tp.Slug)
		}
		if got, ok := questions.LookupTopic(tp.Slug); !ok || got != tp {
			t.Errorf("LookupTopic(%q) = %v, %v", tp.Slug, got, ok)
		}
	}
	if count["backend"] != 19 || count["behavioral"] != 1 || count["frontend"] != 8 || len(count) != 3 {
		t.Errorf("topics per track = %v; want backend 19, behavioral 1, frontend 8", count)
	}
	if _, ok := questions.LookupTopic("backend"); ok {
		t.Error(`LookupTopic("backend") found a topic`)
	}
	if !questions.IsTrack("frontend") || questions.IsTrack("react") {
		t.Error("IsTrack is wrong")
	}
}

// TestEmbeddedBankLintsClean checks the embedded bank is valid and as large
// as the product promises: at least 150 backend questions over at least 12
// topics, 20 behavioural and 40 frontend (README.md gives today's counts).
func TestEmbeddedBankLintsClean(t *testing.T) {
	b, err := questions.Default()
	if err != nil {
		t.Fatalf("the embedded bank has problems:\n%v", err)
	}
	tracks := map[string]int{}
	backendTopics := 0
	for slug, n := range b.TopicCounts() {
		tp, _ := questions.LookupTopic(slug)
		tracks[tp.Track] += n
		if tp.Track == "backend" && n > 0 {
			backendTopics++
		}
	}
	if tracks["backend"] < 150 || backendTopics < 12 {
		t.Errorf("backend: %d questions over %d topics; want at least 150 over 12", tracks["backend"], backendTopics)
	}
	if tracks["behavioral"] < 20 {
		t.Errorf("behavioral: %d questions; want at least 20", tracks["behavioral"])
	}
	if tracks["frontend"] < 40 {
		t.Errorf("frontend: %d questions; want at least 40", tracks["frontend"])
	}
}

// TestSeedQuestions checks that every question of the bootcamp's seed is in
// the embedded bank, under its agreed ID, and that the guides are there.
func TestSeedQuestions(t *testing.T) {
	b, err := questions.Default()
	if err != nil {
		t.Fatalf("Default: %v", err)
	}
	seed := []string{
		"deployment/blue-green",
		"availability/high-availability",
		"containers/docker-benefits",
		"databases/nosql",
		"architecture/mvc",
		"languages/python-interpreted",
		"languages/regex",
		"architecture/encapsulation",
		"concurrency/asynchronous-programming",
		"architecture/factory-pattern",
		"testing/integration-tests",
		"security/jwt",
		"behavioral/difficult-about-writing-code",
		"behavioral/debugging-approach",
		"behavioral/most-challenging-project",
		"behavioral/code-review",
		"messaging/request-reply-vs-pub-sub",
		"testing/mocking",
		"architecture/adapter-pattern",
		"performance/faster-websites",
	}
	for _, id := range seed {
		if _, ok := b.Get(id); !ok {
			t.Errorf("seed question %s is missing", id)
		}
	}
	if b.Tips() == "" {
		t.Error("Tips() is empty")
	}
	if b.Star() == "" {
		t.Error("Star() is empty")
	}
}

func FuzzParse(f *testing.F) {
	for _, name := range []string{"backend/deployment.md", "behavioral/behavioral.md"} {
		if src, err := fsReadFile(name); err == nil {
			f.Add(string(src))
		}
	}
	f.Add(valid("apis/x", "What is X?"))
	f.Add("# T\n\n## Q?\n\nid: apis/x | difficulty: easy | tags: a,,b | x\n\n```\n## inside\n~~~\n\n### Key points\n- a\n  b\n-\n### Follow-ups\n#### deep\n")
	f.Add("## \n\n\r\n\ufeff# x\n```")
	f.Fuzz(func(t *testing.T, src string) {
		qs, err := questions.Parse("f.md", []byte(src))
		if err != nil {
			var es questions.Errors
			if !errors.As(err, &es) || len(es) == 0 {
				t.Fatalf("Parse error %v is not a non-empty Errors", err)
			}
			return
		}
		// A file that parses cleanly must survive a round trip.
		b, err := questions.NewBank(qs, questions.Guides{})
		if err != nil {
			t.Fatalf("NewBank rejects what Parse accepted: %v", err)
		}
		checkRoundTrip(t, b)
	})
}

// fsReadFile reads a file of the embedded bank.
func fsReadFile(name string) ([]byte, error) {
	return fs.ReadFile(questions.Embedded(), name)
}

// allSlugs returns every topic slug in display order.
func allSlugs() []string {
	var out []string
	for _, tp := range questions.Topics {
		out = append(out, tp.Slug)
	}
	return out
}

func BenchmarkLoadEmbedded(b *testing.B) {
	fsys := questions.Embedded()
	for b.Loop() {
		if _, err := questions.Load(fsys); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkRandom(b *testing.B) {
	bank, err := questions.Default()
	if err != nil {
		b.Fatal(err)
	}
	r := rand.New(rand.NewPCG(1, 2))
	b.ReportAllocs()
	b.Run("all", func(b *testing.B) {
		for b.Loop() {
			bank.Random(r)
		}
	})
	b.Run("topic", func(b *testing.B) {
		for b.Loop() {
			bank.Random(r, "databases")
		}
	})
	b.Run("track", func(b *testing.B) {
		for b.Loop() {
			bank.Random(r, "frontend")
		}
	})
}

// overlapBank is a bank with two tellings of one answer (closures, in two
// files) and an unrelated answer (indexes).
func overlapBank(t *testing.T) *questions.Bank {
	t.Helper()
	closure := "A closure is a function together with the variables of the scope it was created in. " +
		"The inner function keeps using its outer function's variables after the outer function returns, " +
		"because it holds references to them. Each call of the factory makes a fresh counter, private to " +
		"the returned function. Closures capture variables, not values, so loop callbacks may all see the " +
		"last value of the loop variable; a per-iteration binding fixes that."
	index := "An index is a separate sorted structure, usually a B-tree, that maps column values to rows, so " +
		"the database finds matching rows in a few page reads instead of scanning the whole table. It speeds " +
		"up reads that filter, join or sort on the indexed columns, and slows down every insert, update and " +
		"delete, which must maintain it. Composite indexes serve queries on their leftmost columns."
	kp := "### Key points\n\n- Function plus captured variables.\n- Captured variables outlive the call.\n"
	b, err := questions.Load(fstest.MapFS{
		"backend/languages.md": {Data: []byte("# Languages\n\n" +
			question("What is a closure?", "id: languages/closures | difficulty: easy", closure, kp))},
		"frontend/javascript.md": {Data: []byte("# JavaScript\n\n" +
			question("What is a closure in JavaScript?", "id: javascript/closures | difficulty: easy",
				strings.Replace(closure, "A closure is", "In JavaScript a closure is", 1), kp))},
		"backend/databases.md": {Data: []byte("# Databases\n\n" +
			question("What is an index?", "id: databases/indexes | difficulty: easy", index,
				"### Key points\n\n- A sorted structure over column values.\n- Faster reads, slower writes.\n"))},
	})
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return b
}

func TestOverlaps(t *testing.T) {
	b := overlapBank(t)
	got := b.Overlaps(questions.OverlapThreshold)
	if len(got) != 1 || got[0].A.ID != "javascript/closures" || got[0].B.ID != "languages/closures" {
		t.Fatalf("Overlaps(%v) = %v; want the two closure answers", questions.OverlapThreshold, got)
	}
	if s := got[0].Score; s < 0.9 || s > 1.0000001 {
		t.Errorf("score of two near-identical answers = %.3f; want above 0.9", s)
	}
	all := b.Overlaps(0)
	if len(all) != 3 {
		t.Fatalf("Overlaps(0) returned %d pairs; want all 3", len(all))
	}
	for i, o := range all {
		if o.Score < 0 || o.Score > 1.0000001 || (i > 0 && o.Score > all[i-1].Score) {
			t.Errorf("Overlaps(0)[%d] = %s %s %.3f: want scores in [0, 1], highest first", i, o.A.ID, o.B.ID, o.Score)
		}
		if o.A.ID >= o.B.ID {
			t.Errorf("Overlaps(0)[%d] = %s, %s; want A's ID first", i, o.A.ID, o.B.ID)
		}
	}
	if last := all[len(all)-1]; last.Score > 0.2 {
		t.Errorf("closures against indexes scored %.3f; want unrelated answers below 0.2", last.Score)
	}

	want := []string{`frontend/javascript.md:3: warning: answer overlaps languages/closures (backend/languages.md:3) by ` +
		fmt.Sprintf("%.2f", got[0].Score) + ` (near-duplicate from 0.40); merge them or make them distinct`}
	if ws := errorStrings(t, b.Warnings()); !slices.Equal(ws, want) {
		t.Errorf("Warnings() = %q; want %q", ws, want)
	}
}

// TestEmbeddedBankHasNoNearDuplicates keeps near-duplicate answers out of
// the embedded bank. With -v it logs the score distribution that
// OverlapThreshold was chosen from.
func TestEmbeddedBankHasNoNearDuplicates(t *testing.T) {
	b, err := questions.Default()
	if err != nil {
		t.Fatalf("Default: %v", err)
	}
	for _, o := range b.Overlaps(questions.OverlapThreshold) {
		t.Errorf("%s (%s) and %s (%s) overlap by %.2f; merge them or make them distinct",
			o.A.ID, o.A.Origin, o.B.ID, o.B.Origin, o.Score)
	}
	all := b.Overlaps(0)
	scores := make([]float64, len(all))
	for i, o := range all {
		scores[len(all)-1-i] = o.Score
	}
	pct := func(p float64) float64 { return scores[int(p*float64(len(scores)-1))] }
	t.Logf("%d questions, %d pairs: median %.3f, p99 %.3f, p99.9 %.3f", b.Len(), len(all), pct(0.5), pct(0.99), pct(0.999))
	for _, o := range all[:min(10, len(all))] {
		t.Logf("%.3f %s %s", o.Score, o.A.ID, o.B.ID)
	}
}

// TestBehaviouralRubric checks the embedded behavioural questions against
// the rubric in README.md: a question asking for a story ("Tell me about a
// time...") gets a STAR outline, and a STAR story is never easy, since easy
// means answered from preparation about yourself.
func TestBehaviouralRubric(t *testing.T) {
	b, err := questions.Default()
	if err != nil {
		t.Fatalf("Default: %v", err)
	}
	for _, id := range b.InTopics("behavioral") {
		q, _ := b.Get(id)
		star := strings.Contains(q.Answer, "**Situation:**") && strings.Contains(q.Answer, "**Result:**")
		story := strings.HasPrefix(q.Text, "Tell me about a time") || strings.HasPrefix(q.Text, "Describe a time")
		if story && !star {
			t.Errorf("%s asks for a story but its answer has no STAR outline", id)
		}
		if star && q.Difficulty == "easy" {
			t.Errorf("%s has a STAR outline and difficulty easy; want medium or hard", id)
		}
	}
}

func TestConceptsParseAndFormat(t *testing.T) {
	kp := "### Key points\n\n- Two identical environments.\n  concepts: two environments, identical environments, blue and green\n- Rollback is a routing change,\n  not a redeploy.\n  concepts: roll back, rollback, revert to blue\n"
	src := "# APIs\n\n" + question("What is A?", "id: apis/a | difficulty: easy", words(70), kp)
	qs, err := questions.Parse("backend/apis.md", []byte(src))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	q := qs[0]
	wantKP := []string{"Two identical environments.", "Rollback is a routing change, not a redeploy."}
	wantC := [][]string{{"two environments", "identical environments", "blue and green"}, {"roll back", "rollback", "revert to blue"}}
	if !slices.Equal(q.KeyPoints, wantKP) || !reflect.DeepEqual(q.Concepts, wantC) {
		t.Errorf("key points = %q, concepts = %q; want %q, %q", q.KeyPoints, q.Concepts, wantKP, wantC)
	}
	b, err := questions.NewBank(qs, questions.Guides{})
	if err != nil {
		t.Fatal(err)
	}
	if es := b.MissingConcepts(); len(es) != 0 {
		t.Errorf("MissingConcepts = %v", es)
	}
	// Format writes them back, and the result parses to the same question.
	again, err := questions.Parse("backend/apis.md", questions.Format(qs)["backend/apis.md"])
	if err != nil || len(again) != 1 || !reflect.DeepEqual(again[0].Concepts, wantC) {
		t.Errorf("round trip: %+v, %v", again, err)
	}
	// A question without concepts loads, and lint's check names it.
	plain, err := questions.Parse("backend/apis.md", []byte("# APIs\n\n"+valid("apis/b", "What is B?")))
	if err != nil {
		t.Fatal(err)
	}
	b, _ = questions.NewBank(plain, questions.Guides{})
	if got := errorStrings(t, b.MissingConcepts()); len(got) != 2 || !strings.HasPrefix(got[0], "backend/apis.md:3: apis/b: key point 1 has no concepts") {
		t.Errorf("MissingConcepts = %q", got)
	}
}

func TestConceptsErrors(t *testing.T) {
	for _, tt := range []struct {
		name, kp, want string
	}{
		{"empty concept", "- One.\n  concepts: one, , uno\n- Two.\n  concepts: two\n", "key point 1 has an empty concept"},
		{"repeated across points", "- One.\n  concepts: one\n- Two.\n  concepts: two, One\n", `concept "One" repeated (key points 1 and 2)`},
		{"repeated in a point", "- One.\n  concepts: one, ONE!\n- Two.\n  concepts: two\n", `concept "ONE!" repeated (key points 1 and 1)`},
		{"a second concepts line", "- One.\n  concepts: one\n  concepts: uno\n- Two.\n  concepts: two\n", `### Key points: want a list of "- " items`},
	} {
		src := "# APIs\n\n" + question("What is A?", "id: apis/a | difficulty: easy", words(70), "### Key points\n\n"+tt.kp)
		_, err := questions.Parse("f.md", []byte(src))
		got := strings.Join(errorStrings(t, err), "\n")
		if !strings.Contains(got, tt.want) {
			t.Errorf("%s: errors = %q; want one containing %q", tt.name, got, tt.want)
		}
	}
}

// Every key point of the embedded bank carries concepts (issue 12).
func TestEmbeddedBankHasConcepts(t *testing.T) {
	b, err := questions.Default()
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range b.MissingConcepts() {
		t.Error(e)
	}
}
