// Command prepbot runs the prepbot Slack bot and its maintenance commands.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	go func() {
		// A second signal after the first forces the exit: shutdown is bounded,
		// but an operator who presses Ctrl-C twice means it.
		<-ctx.Done()
		stop()
		force := make(chan os.Signal, 1)
		signal.Notify(force, os.Interrupt, syscall.SIGTERM)
		<-force
		fmt.Fprintln(os.Stderr, "prepbot: second signal, exiting now")
		os.Exit(1)
	}()
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr)
	os.Exit(exitCode(err, os.Stderr))
}

// usageError marks a mistake in how prepbot was invoked: main prints it with
// the usage and exits 2.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usageErrorf(format string, args ...any) error {
	return &usageError{msg: fmt.Sprintf(format, args...)}
}

// silentError carries an exit status for a failure whose explanation has
// already been printed (for example lint findings).
type silentError struct{ code int }

func (e *silentError) Error() string { return fmt.Sprintf("exit status %d", e.code) }

// exitCode prints err (if any) and returns the process exit status for it.
func exitCode(err error, stderr io.Writer) int {
	var ue *usageError
	var se *silentError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &se):
		return se.code
	case errors.As(err, &ue):
		fmt.Fprintf(stderr, "prepbot: %s\nRun 'prepbot help' for usage.\n", ue.msg)
		return 2
	default:
		fmt.Fprintf(stderr, "prepbot: %s\n", err)
		return 1
	}
}
