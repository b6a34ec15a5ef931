package questions

import (
	"cmp"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// Format writes questions as bank files in the format of README.md, one
// file per topic at "track/topic.md" (questions of an unknown topic go to
// "other.md"), each titled with its topic's title. Within a file, questions
// keep the order of their Origins (file, then line), so an export diffs
// cleanly against the files it came from; others follow, by ID. Guides are
// not written. Loading the result gives back the same questions, apart from
// their Origins, as long as they were valid.
func Format(qs []Question) map[string][]byte {
	groups := make(map[string][]Question)
	for _, q := range qs {
		p := filePath(q.ID)
		groups[p] = append(groups[p], q)
	}
	files := make(map[string][]byte, len(groups))
	for p, group := range groups {
		slices.SortStableFunc(group, byOrigin)
		files[p] = formatFile(p, group)
	}
	return files
}

// filePath returns the bank file a question with this ID belongs in.
func filePath(id string) string {
	slug, _, _ := strings.Cut(id, "/")
	t, ok := LookupTopic(slug)
	if !ok {
		return "other.md"
	}
	return t.Track + "/" + t.Slug + ".md"
}

// byOrigin orders questions from files by file and line, before the others,
// which are ordered by ID.
func byOrigin(a, b Question) int {
	fa, la := splitOrigin(a.Origin)
	fb, lb := splitOrigin(b.Origin)
	return cmp.Or(
		cmp.Compare(min(la, 1)^1, min(lb, 1)^1), // from a file (line > 0) first
		strings.Compare(fa, fb),
		cmp.Compare(la, lb),
		strings.Compare(a.ID, b.ID),
	)
}

// formatFile renders one bank file.
func formatFile(p string, qs []Question) []byte {
	title := "Other questions"
	if t, ok := LookupTopic(strings.TrimSuffix(filepath.Base(p), ".md")); ok {
		title = t.Title
	}
	var b strings.Builder
	fmt.Fprintf(&b, "# %s\n", title)
	for _, q := range qs {
		b.WriteString("\n")
		formatQuestion(&b, q)
	}
	return []byte(b.String())
}

// formatQuestion renders one question, ending with a newline.
func formatQuestion(b *strings.Builder, q Question) {
	fmt.Fprintf(b, "## %s\n\n", q.Text)
	fmt.Fprintf(b, "id: %s | difficulty: %s", q.ID, q.Difficulty)
	if len(q.Tags) > 0 {
		fmt.Fprintf(b, " | tags: %s", strings.Join(q.Tags, ", "))
	}
	b.WriteString("\n\n")
	if q.Answer != "" {
		b.WriteString(q.Answer)
		b.WriteString("\n\n")
	}
	fmt.Fprintf(b, "### %s\n\n", keyPointsHeading)
	for i, it := range q.KeyPoints {
		fmt.Fprintf(b, "- %s\n", it)
		if i < len(q.Concepts) && len(q.Concepts[i]) > 0 {
			fmt.Fprintf(b, "  %s %s\n", conceptsPrefix, strings.Join(q.Concepts[i], ", "))
		}
	}
	if len(q.FollowUps) > 0 {
		b.WriteString("\n")
		formatList(b, followUpsHeading, q.FollowUps)
	}
}

// formatList renders a ### section holding a list.
func formatList(b *strings.Builder, heading string, items []string) {
	fmt.Fprintf(b, "### %s\n\n", heading)
	for _, it := range items {
		fmt.Fprintf(b, "- %s\n", it)
	}
}

// WriteFiles writes Format(qs) under dir, creating folders as needed and
// replacing files of the same names.
func WriteFiles(dir string, qs []Question) error {
	files := Format(qs)
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		dst := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return fmt.Errorf("write questions: %w", err)
		}
		if err := os.WriteFile(dst, files[name], 0o644); err != nil {
			return fmt.Errorf("write questions: %w", err)
		}
	}
	return nil
}
