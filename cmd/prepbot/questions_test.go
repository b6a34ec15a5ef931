package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/prepbot/prepbot/questions"
)

// runQ runs "prepbot questions args..." with env as the environment.
func runQ(t *testing.T, env map[string]string, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	var out, errOut bytes.Buffer
	getenv := func(k string) string { return env[k] }
	err = runQuestions(args, getenv, &out, &errOut)
	return out.String(), errOut.String(), err
}

// bankQuestion renders a valid bank question.
func bankQuestion(id, text string) string {
	answer := strings.TrimSpace(strings.Repeat("This answer explains the idea in plain words. ", 10))
	return fmt.Sprintf("## %s\n\nid: %s | difficulty: easy\n\n%s\n\n### Key points\n\n- One.\n  concepts: plain words\n- Two.\n  concepts: the idea\n", text, id, answer)
}

// Lint fails on a key point without concepts, naming it; it warns (and
// passes) when no concept of a point occurs in its own answer.
func TestQuestionsLintConcepts(t *testing.T) {
	t.Parallel()
	noConcepts := strings.Replace(bankQuestion("apis/rest", "What is REST?"), "  concepts: the idea\n", "", 1)
	dir := writeBank(t, map[string]string{"backend/apis.md": noConcepts})
	stdout, _, err := runQ(t, nil, "lint", dir)
	wantExit(t, err, 1)
	if want := "apis/rest: key point 2 has no concepts"; !strings.Contains(stdout, want) {
		t.Errorf("lint printed %q; want %q", stdout, want)
	}
	unmatched := strings.Replace(bankQuestion("apis/rest", "What is REST?"), "concepts: the idea", "concepts: hypermedia", 1)
	dir = writeBank(t, map[string]string{"backend/apis.md": unmatched})
	stdout, stderr, err := runQ(t, nil, "lint", dir)
	if err != nil || !strings.HasPrefix(stdout, "ok: 1 question") {
		t.Fatalf("lint = %q, %v; want ok", stdout, err)
	}
	if !strings.Contains(stderr, "warning: apis/rest: no concept of key point 2 occurs in its reference answer") {
		t.Errorf("lint warnings = %q", stderr)
	}
}

// writeBank writes files (slash-separated names) under a new temp folder.
func writeBank(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, src := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// wantExit checks that err makes prepbot exit with code.
func wantExit(t *testing.T, err error, code int) {
	t.Helper()
	if got := exitCode(err, &bytes.Buffer{}); got != code {
		t.Errorf("exit status for %v = %d; want %d", err, got, code)
	}
}

func TestQuestionsLintFolder(t *testing.T) {
	t.Parallel()
	dir := writeBank(t, map[string]string{
		"backend/apis.md": "# APIs\n\n" + bankQuestion("apis/rest", "What is REST?") + "\n" +
			bankQuestion("apis/rest", "What is REST") + "\n" +
			"## What is gRPC?\n\nid: cooking/grpc | difficulty: easy\n\nToo short.\n",
	})
	stdout, stderr, err := runQ(t, nil, "lint", dir)
	wantExit(t, err, 1)
	f := filepath.Join(dir, "backend", "apis.md")
	want := strings.Join([]string{
		f + `:16: question "What is REST" must end with "?" or "."`,
		f + `:16: duplicate id "apis/rest" (first at backend/apis.md:3)`,
		f + `:16: duplicate question text: same as apis/rest (backend/apis.md:3)`,
		f + `:29: missing ### Key points`,
		f + `:31: unknown topic "cooking" in id "cooking/grpc"`,
		f + `:33: answer has 2 words; want 60 to 220`,
	}, "\n") + "\n"
	if stdout != want {
		t.Errorf("lint printed:\n%s\nwant:\n%s", stdout, want)
	}
	if stderr != "6 problems in 1 file\n" {
		t.Errorf("lint summary = %q", stderr)
	}
}

func TestQuestionsLintClean(t *testing.T) {
	t.Parallel()
	dir := writeBank(t, map[string]string{
		"backend/apis.md":  bankQuestion("apis/rest", "What is REST?"),
		"frontend/misc.md": bankQuestion("react/hooks", "What are hooks?"),
	})
	stdout, _, err := runQ(t, nil, "lint", dir)
	if err != nil {
		t.Fatalf("lint: %v", err)
	}
	if stdout != "ok: 2 questions in 2 topics\n" {
		t.Errorf("lint printed %q", stdout)
	}

	stdout, _, err = runQ(t, nil, "lint")
	if err != nil {
		t.Fatalf("lint of the embedded bank: %v", err)
	}
	if !strings.HasPrefix(stdout, "ok: ") {
		t.Errorf("lint of the embedded bank printed %q", stdout)
	}
}

// TestQuestionsLintMergesEnvironment lints the embedded bank merged with
// $PREPBOT_QUESTIONS: a copy of an embedded question's text is reported in
// the user's folder.
func TestQuestionsLintMergesEnvironment(t *testing.T) {
	t.Parallel()
	base, err := questions.Default()
	if err != nil {
		t.Fatal(err)
	}
	orig, _ := base.Get("deployment/blue-green")
	dir := writeBank(t, map[string]string{"mine.md": bankQuestion("caching/copy", orig.Text)})
	stdout, _, err := runQ(t, map[string]string{"PREPBOT_QUESTIONS": dir}, "lint")
	wantExit(t, err, 1)
	want := filepath.Join(dir, "mine.md") + ":1: duplicate question text: same as deployment/blue-green (" + orig.Origin + ")\n"
	if stdout != want {
		t.Errorf("lint printed %q; want %q", stdout, want)
	}

	dir = writeBank(t, map[string]string{"mine.md": bankQuestion("caching/mine", "What is my own question?")})
	stdout, _, err = runQ(t, map[string]string{"PREPBOT_QUESTIONS": dir}, "lint")
	if err != nil {
		t.Fatalf("lint: %v", err)
	}
	if want := fmt.Sprintf("ok: %d questions in", base.Len()+1); !strings.HasPrefix(stdout, want) {
		t.Errorf("lint printed %q; want it to start %q", stdout, want)
	}
}

func TestQuestionsLintMissingFolder(t *testing.T) {
	t.Parallel()
	_, _, err := runQ(t, nil, "lint", filepath.Join(t.TempDir(), "nope"))
	if err == nil || !strings.Contains(err.Error(), "no such file") {
		t.Errorf("lint of a missing folder = %v; want a no such file error", err)
	}
	wantExit(t, err, 1)
}

func TestQuestionsList(t *testing.T) {
	t.Parallel()
	stdout, _, err := runQ(t, nil, "list", "--topic", "db")
	if err != nil {
		t.Fatalf("list: %v", err)
	}
	lines := strings.Split(strings.TrimSuffix(stdout, "\n"), "\n")
	if len(lines) < 2 {
		t.Fatalf("list --topic db printed %q", stdout)
	}
	sawNoSQL := false
	for _, l := range lines {
		f := strings.Fields(l)
		if len(f) < 3 || !strings.HasPrefix(f[0], "databases/") {
			t.Errorf("list --topic db line %q; want ID, difficulty, text of a databases question", l)
			continue
		}
		sawNoSQL = sawNoSQL || f[0] == "databases/nosql"
	}
	if !sawNoSQL {
		t.Error("list --topic db did not list databases/nosql")
	}

	stdout, _, err = runQ(t, nil, "list", "-topic=k8s", "--json")
	if err != nil {
		t.Fatalf("list --json: %v", err)
	}
	var qs []questions.Question
	if err := json.Unmarshal([]byte(stdout), &qs); err != nil {
		t.Fatalf("list --json printed invalid JSON: %v", err)
	}
	if len(qs) == 0 || qs[0].Topic != "containers" || qs[0].Answer == "" {
		t.Errorf("list --topic k8s --json gave %d questions, first %+v", len(qs), qs[0])
	}

	_, _, err = runQ(t, nil, "list", "--topic", "cooking")
	wantExit(t, err, 2)
}

func TestQuestionsShow(t *testing.T) {
	t.Parallel()
	stdout, _, err := runQ(t, nil, "show", "deployment/blue-green")
	if err != nil {
		t.Fatalf("show: %v", err)
	}
	for _, want := range []string{
		"deployment/blue-green\nWhat is blue/green deployment?\n",
		"Track: backend   Topic: Deployment and DevOps (deployment)   Difficulty: easy\n",
		"Source: backend/deployment.md:",
		"\nAnswer:\n\n",
		"\nKey points:\n  - ",
		"\nFollow-ups:\n  - ",
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("show output lacks %q:\n%s", want, stdout)
		}
	}
	short, _, err := runQ(t, nil, "show", "blue-green")
	if err != nil || short != stdout {
		t.Errorf("show blue-green = %v; want the same as show deployment/blue-green", err)
	}
	_, _, err = runQ(t, nil, "show", "deployment/nope")
	if err == nil || !strings.Contains(err.Error(), `no question with ID "deployment/nope"`) {
		t.Errorf("show of an unknown ID = %v", err)
	}
	wantExit(t, err, 1)
	_, _, err = runQ(t, nil, "show")
	wantExit(t, err, 2)
}

func TestQuestionsTopics(t *testing.T) {
	t.Parallel()
	stdout, _, err := runQ(t, nil, "topics")
	if err != nil {
		t.Fatalf("topics: %v", err)
	}
	b, err := questions.Default()
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(stdout, "\n"), "\n")
	if got, want := len(lines), len(questions.Topics)+2; got != want {
		t.Fatalf("topics printed %d lines; want %d:\n%s", got, want, stdout)
	}
	if f := strings.Fields(lines[0]); strings.Join(f, " ") != "TRACK TOPIC TITLE QUESTIONS" {
		t.Errorf("header = %q", lines[0])
	}
	want := fmt.Sprintf("backend deployment Deployment and DevOps %d", b.TopicCounts()["deployment"])
	if got := strings.Join(strings.Fields(lines[1]), " "); got != want {
		t.Errorf("first row = %q; want %q", got, want)
	}
	if got, want := strings.Join(strings.Fields(lines[len(lines)-1]), " "), fmt.Sprintf("total %d", b.Len()); got != want {
		t.Errorf("last row = %q; want %q", got, want)
	}
}

func TestQuestionsUsage(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{
		{},
		{"frobnicate"},
		{"list", "--nope"},
		{"list", "extra"},
		{"topics", "extra"},
		{"lint", "a", "b"},
	} {
		_, _, err := runQ(t, nil, args...)
		var ue *usageError
		if !errors.As(err, &ue) {
			t.Errorf("questions %q = %v; want a usage error", args, err)
		}
	}
	for _, args := range [][]string{{"help"}, {"-h"}, {"list", "-h"}} {
		stdout, _, err := runQ(t, nil, args...)
		if err != nil || !strings.Contains(stdout, "Usage: prepbot questions") {
			t.Errorf("questions %q = %v, printed %q; want usage", args, err, stdout)
		}
	}
}

// Lint warns (and passes) on two questions whose answers say the same.
func TestQuestionsLintWarnsOnNearDuplicates(t *testing.T) {
	t.Parallel()
	a := bankQuestion("apis/rest", "What is REST?")
	b := strings.Replace(bankQuestion("apis/rest-again", "What is REST, again?"), "concepts: plain words", "concepts: plain word", 1)
	dir := writeBank(t, map[string]string{"backend/apis.md": a + "\n" + b})
	stdout, stderr, err := runQ(t, nil, "lint", dir)
	if err != nil || !strings.HasPrefix(stdout, "ok: 2 questions") {
		t.Fatalf("lint = %q, %v; want ok", stdout, err)
	}
	if !strings.Contains(stderr, filepath.Join(dir, "backend", "apis.md")+":14: warning: answer overlaps apis/rest") {
		t.Errorf("lint warnings = %q; want the near-duplicate pair, at its file", stderr)
	}
}
