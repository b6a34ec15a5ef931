package main

import "io"

// runQuestions is being written (question bank CLI); placeholder so the
// package builds.
func runQuestions(args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	return usageErrorf("questions: not built yet")
}
