package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"github.com/prepbot/prepbot/feedback"
	"github.com/prepbot/prepbot/questions"
)

// questionsUsage documents "prepbot questions".
const questionsUsage = `Usage: prepbot questions <command> [arguments]

Work with the question bank: the embedded bank, merged with the folder
$PREPBOT_QUESTIONS if it is set.

Commands:
  lint [DIR]                  check a bank folder (default: the bank above);
                              prints file:line: problem and exits 1 on findings
  list [--topic T] [--json]   list questions: ID, difficulty, text
  show ID                     a question with its answer, key points and follow-ups
  feedback ID [ANSWER]        which key points ANSWER (or standard input) covers,
                              as a student would see it: for tuning concepts
  topics                      tracks and topics with their question counts
  export [--db FILE] DIR      write the store's bank (questions added in Slack
                              included) as bank files into DIR, for review
  reports [--db FILE]         problems users reported with reference answers
  help                        this help
`

// runQuestions runs "prepbot questions ...", args being what follows
// "questions".
func runQuestions(args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return usageErrorf("questions: missing command (lint, list, show, feedback, topics, export, reports, help)")
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "lint":
		return questionsLint(rest, getenv, stdout, stderr)
	case "list":
		return questionsList(rest, getenv, stdout)
	case "show":
		return questionsShow(rest, getenv, stdout)
	case "feedback":
		return questionsFeedback(rest, getenv, os.Stdin, stdout)
	case "topics":
		return questionsTopics(rest, getenv, stdout)
	case "export":
		return questionsExport(rest, getenv, stdout)
	case "reports":
		return questionsReports(rest, getenv, stdout)
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, questionsUsage)
		return nil
	default:
		return usageErrorf("questions: unknown command %q (want lint, list, show, feedback, topics, export, reports or help)", cmd)
	}
}

// parseArgs parses a questions subcommand's args with fs (made by
// newFlagSet), wanting between minArgs and maxArgs arguments after the
// flags. done is true when -h printed the usage.
func parseArgs(fs *flag.FlagSet, args []string, minArgs, maxArgs int) (done bool, err error) {
	if err := parseFlags(fs, args); err != nil {
		if errors.Is(err, errHelp) {
			return true, nil
		}
		return false, err
	}
	switch n := fs.NArg(); {
	case n < minArgs:
		return false, usageErrorf("%s: missing argument", fs.Name())
	case n > maxArgs:
		return false, usageErrorf("%s: unexpected argument %q", fs.Name(), fs.Arg(maxArgs))
	}
	return false, nil
}

// embeddedDir is where the embedded bank's files live in the repository;
// problems found in it are reported there.
const embeddedDir = "questions/bank"

// loadFileBank loads the bank prepbot serves from files: the embedded bank
// merged with $PREPBOT_QUESTIONS when set. Problems are reported with
// their files' paths.
func loadFileBank(getenv func(string) string) (*questions.Bank, error) {
	base, err := questions.Default()
	if err != nil {
		return nil, inDir(err, embeddedDir)
	}
	dir := getenv("PREPBOT_QUESTIONS")
	if dir == "" {
		return base, nil
	}
	if err := checkDir(dir); err != nil {
		return nil, fmt.Errorf("PREPBOT_QUESTIONS: %w", err)
	}
	b, err := questions.Merge(base, os.DirFS(dir))
	if err != nil {
		return nil, inDir(err, dir)
	}
	return b, nil
}

// loadDir loads the bank in dir alone.
func loadDir(dir string) (*questions.Bank, error) {
	if err := checkDir(dir); err != nil {
		return nil, err
	}
	b, err := questions.Load(os.DirFS(dir))
	if err != nil {
		return nil, inDir(err, dir)
	}
	if b.Len() == 0 {
		// Most likely the wrong folder: "ok: 0 questions" would pass it.
		return nil, fmt.Errorf("no questions found in %s", dir)
	}
	return b, nil
}

// checkDir checks that dir is a readable folder, for a clear message
// before os.DirFS would report a missing "." in it.
func checkDir(dir string) error {
	fi, err := os.Stat(dir)
	if err != nil {
		return fmt.Errorf("question folder: %w", err)
	}
	if !fi.IsDir() {
		return fmt.Errorf("question folder %s is not a folder", dir)
	}
	return nil
}

// inDir returns err with the files named in its questions.Errors placed
// under dir, so that they can be opened from the current directory.
func inDir(err error, dir string) error {
	var es questions.Errors
	if !errors.As(err, &es) {
		return err
	}
	out := make(questions.Errors, len(es))
	for i, e := range es {
		e.File = filepath.Join(dir, filepath.FromSlash(e.File))
		out[i] = e
	}
	return out
}

// questionsLint runs "questions lint [DIR]".
func questionsLint(args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := newFlagSet("questions lint", "prepbot questions lint [DIR]", stdout)
	if done, err := parseArgs(fs, args, 0, 1); done || err != nil {
		return err
	}
	var b *questions.Bank
	var err error
	if fs.NArg() == 1 {
		b, err = loadDir(fs.Arg(0))
	} else {
		b, err = loadFileBank(getenv)
	}
	var es questions.Errors
	if errors.As(err, &es) {
		reportProblems(es, stdout, stderr)
		return &silentError{code: 1}
	}
	if err != nil {
		return fmt.Errorf("questions lint: %w", err)
	}
	if es := b.MissingConcepts(); len(es) > 0 {
		reportProblems(es, stdout, stderr)
		return &silentError{code: 1}
	}
	for _, w := range conceptWarnings(b) {
		fmt.Fprintln(stderr, w)
	}
	// Near-duplicate answers (questions.OverlapThreshold) are warnings too:
	// the bank still loads. TestEmbeddedBankHasNoNearDuplicates keeps the
	// embedded bank free of them. Files are placed like errors', except in
	// a merged bank, where a file may be on either side.
	dir := ""
	switch {
	case fs.NArg() == 1:
		dir = fs.Arg(0)
	case getenv("PREPBOT_QUESTIONS") == "":
		dir = embeddedDir
	}
	for _, w := range b.Warnings() {
		if dir != "" {
			w.File = filepath.Join(dir, filepath.FromSlash(w.File))
		}
		fmt.Fprintln(stderr, w.Error())
	}
	fmt.Fprintf(stdout, "ok: %d questions in %d topics\n", b.Len(), usedTopics(b))
	return nil
}

// conceptWarnings lists key points whose concepts never match their own
// reference answer: a sign the concepts use words nobody writes (or that
// the answer forgets its own point). Warnings, not errors: an answer may
// rightly leave a point to its list.
func conceptWarnings(b *questions.Bank) []string {
	var out []string
	for _, q := range b.All() {
		if q.Origin == "slack" || len(q.Concepts) == 0 {
			continue
		}
		r := feedback.Assess(q, q.Answer)
		for i, p := range r.Points {
			if i < len(q.Concepts) && len(q.Concepts[i]) > 0 && !p.Covered {
				out = append(out, fmt.Sprintf("%s: warning: %s: no concept of key point %d occurs in its reference answer", q.Origin, q.ID, i+1))
			}
		}
	}
	return out
}

// questionsFeedback runs "questions feedback ID [ANSWER]".
func questionsFeedback(args []string, getenv func(string) string, stdin io.Reader, stdout io.Writer) error {
	fs := newFlagSet("questions feedback", "prepbot questions feedback ID [ANSWER]   (no ANSWER: read it from standard input)", stdout)
	if done, err := parseArgs(fs, args, 1, 2); done || err != nil {
		return err
	}
	b, err := loadFileBank(getenv)
	if err != nil {
		return fmt.Errorf("questions feedback: %w", err)
	}
	q, ok := findQuestion(b, fs.Arg(0))
	if !ok {
		return fmt.Errorf("questions feedback: no question with ID %q (see prepbot questions list)", fs.Arg(0))
	}
	answer := fs.Arg(1)
	if fs.NArg() < 2 {
		raw, err := io.ReadAll(io.LimitReader(stdin, 1<<20))
		if err != nil {
			return fmt.Errorf("questions feedback: read the answer: %w", err)
		}
		answer = string(raw)
	}
	r := feedback.Assess(q, answer)
	fmt.Fprintf(stdout, "%s\n%s\n", q.ID, r.Verdict)
	for i, p := range r.Points {
		mark := "missed "
		if p.Covered {
			mark = "covered"
		}
		fmt.Fprintf(stdout, "  %d. %s  %s\n", i+1, mark, p.Text)
		if p.Covered {
			fmt.Fprintf(stdout, "       matched %q\n", p.Evidence)
		} else if i < len(q.Concepts) {
			fmt.Fprintf(stdout, "       concepts: %s\n", strings.Join(q.Concepts[i], ", "))
		}
	}
	if !r.TooShort {
		fmt.Fprintf(stdout, "suggested rating: %s\n", r.Suggested)
	}
	return nil
}

// reportProblems prints each problem on stdout and a summary on stderr.
func reportProblems(es questions.Errors, stdout, stderr io.Writer) {
	files := make(map[string]bool)
	for _, e := range es {
		fmt.Fprintln(stdout, e.Error())
		files[e.File] = true
	}
	fmt.Fprintf(stderr, "%s in %s\n", plural(len(es), "problem"), plural(len(files), "file"))
}

// plural returns "1 thing" or "n things".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// usedTopics counts the topics that have questions.
func usedTopics(b *questions.Bank) int {
	n := 0
	for _, c := range b.TopicCounts() {
		if c > 0 {
			n++
		}
	}
	return n
}

// questionsList runs "questions list [--topic T] [--json]".
func questionsList(args []string, getenv func(string) string, stdout io.Writer) error {
	fs := newFlagSet("questions list", "prepbot questions list [--topic T] [--json]", stdout)
	topic := fs.String("topic", "", "only questions of this topic or track (forgiving: db, k8s, fe, ...)")
	asJSON := fs.Bool("json", false, "print the questions, with answers, as a JSON array")
	if done, err := parseArgs(fs, args, 0, 0); done || err != nil {
		return err
	}
	var topics []string
	if *topic != "" {
		var ok bool
		if topics, ok = questions.MatchTopic(*topic); !ok {
			return usageErrorf("questions list: no topic matches %q (see prepbot questions topics)", *topic)
		}
	}
	b, err := loadFileBank(getenv)
	if err != nil {
		return fmt.Errorf("questions list: %w", err)
	}
	var qs []questions.Question
	for _, id := range b.InTopics(topics...) {
		q, _ := b.Get(id)
		qs = append(qs, q)
	}
	if *asJSON {
		return writeJSON(stdout, qs)
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	for _, q := range qs {
		fmt.Fprintf(tw, "%s\t%s\t%s\n", q.ID, q.Difficulty, q.Text)
	}
	return tw.Flush()
}

// writeJSON prints qs as an indented JSON array ([] when empty).
func writeJSON(w io.Writer, qs []questions.Question) error {
	if qs == nil {
		qs = []questions.Question{}
	}
	data, err := json.MarshalIndent(qs, "", "  ")
	if err != nil {
		return fmt.Errorf("questions list: %w", err)
	}
	_, err = fmt.Fprintf(w, "%s\n", data)
	return err
}

// questionsShow runs "questions show ID".
func questionsShow(args []string, getenv func(string) string, stdout io.Writer) error {
	fs := newFlagSet("questions show", "prepbot questions show ID", stdout)
	if done, err := parseArgs(fs, args, 1, 1); done || err != nil {
		return err
	}
	b, err := loadFileBank(getenv)
	if err != nil {
		return fmt.Errorf("questions show: %w", err)
	}
	q, ok := findQuestion(b, fs.Arg(0))
	if !ok {
		return fmt.Errorf("questions show: no question with ID %q (see prepbot questions list)", fs.Arg(0))
	}
	_, err = io.WriteString(stdout, showText(q))
	return err
}

// findQuestion looks id up, also accepting the part after the slash when
// only one question has it ("blue-green" for "deployment/blue-green").
func findQuestion(b *questions.Bank, id string) (questions.Question, bool) {
	if q, ok := b.Get(id); ok {
		return q, true
	}
	var found []questions.Question
	for _, q := range b.All() {
		if strings.HasSuffix(q.ID, "/"+id) {
			found = append(found, q)
		}
	}
	if len(found) != 1 {
		return questions.Question{}, false
	}
	return found[0], true
}

// showText renders a question for the terminal.
func showText(q questions.Question) string {
	var b strings.Builder
	title := q.Topic
	if t, ok := questions.LookupTopic(q.Topic); ok {
		title = t.Title
	}
	fmt.Fprintf(&b, "%s\n%s\n\n", q.ID, q.Text)
	fmt.Fprintf(&b, "Track: %s   Topic: %s (%s)   Difficulty: %s\n", q.Track, title, q.Topic, q.Difficulty)
	if len(q.Tags) > 0 {
		fmt.Fprintf(&b, "Tags: %s\n", strings.Join(q.Tags, ", "))
	}
	if q.Origin != "" {
		fmt.Fprintf(&b, "Source: %s\n", q.Origin)
	}
	fmt.Fprintf(&b, "\nAnswer:\n\n%s\n", q.Answer)
	writeItems(&b, "Key points", q.KeyPoints)
	writeItems(&b, "Follow-ups", q.FollowUps)
	return b.String()
}

// writeItems renders a titled list, or nothing when it is empty.
func writeItems(b *strings.Builder, title string, items []string) {
	if len(items) == 0 {
		return
	}
	fmt.Fprintf(b, "\n%s:\n", title)
	for _, it := range items {
		fmt.Fprintf(b, "  - %s\n", it)
	}
}

// questionsTopics runs "questions topics".
func questionsTopics(args []string, getenv func(string) string, stdout io.Writer) error {
	fs := newFlagSet("questions topics", "prepbot questions topics", stdout)
	if done, err := parseArgs(fs, args, 0, 0); done || err != nil {
		return err
	}
	b, err := loadFileBank(getenv)
	if err != nil {
		return fmt.Errorf("questions topics: %w", err)
	}
	counts := b.TopicCounts()
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "TRACK\tTOPIC\tTITLE\tQUESTIONS")
	for _, t := range questions.Topics {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\n", t.Track, t.Slug, t.Title, counts[t.Slug])
	}
	fmt.Fprintf(tw, "\t\ttotal\t%d\n", b.Len())
	return tw.Flush()
}
