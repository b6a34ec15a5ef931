package main

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/prepbot/prepbot/store"
)

// TestReadmeListsEveryCommand checks the README's command list against
// prepbot's own usage: a command added to one is added to the other.
func TestReadmeListsEveryCommand(t *testing.T) {
	t.Parallel()
	readme, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, block, ok := strings.Cut(string(readme), "### Commands\n\n```\n")
	if !ok {
		t.Fatal("README.md has no ### Commands block")
	}
	block, _, _ = strings.Cut(block, "```")
	for _, line := range strings.Split(usageText, "\n") {
		f := strings.Fields(line)
		if !strings.HasPrefix(line, "  prepbot ") || len(f) < 3 {
			continue
		}
		cmd := "prepbot " + f[1]
		if f[1] == "questions" {
			cmd += " " + f[2]
		}
		if !strings.Contains(block, cmd+" ") && !strings.Contains(block, cmd+"\n") {
			t.Errorf("README.md's command list lacks %q", cmd)
		}
	}
	// And prepbot questions alone names every subcommand.
	_, _, err = runQ(t, nil)
	for _, sub := range []string{"lint", "list", "show", "feedback", "topics", "export", "reports", "help"} {
		if err == nil || !strings.Contains(err.Error(), sub) {
			t.Errorf("prepbot questions = %v; want it to name %s", err, sub)
		}
	}
}

// TestDeployTroubleshootingQuotesTodaysErrors checks that every error line
// docs/DEPLOY.md's troubleshooting table quotes is one prepbot prints
// today, word for word, by making prepbot print each.
func TestDeployTroubleshootingQuotesTodaysErrors(t *testing.T) {
	t.Parallel()
	doc, err := os.ReadFile(filepath.Join("..", "..", "docs", "DEPLOY.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, table, ok := strings.Cut(string(doc), "## Troubleshooting")
	if !ok {
		t.Fatal("docs/DEPLOY.md has no Troubleshooting section")
	}
	quotes := regexp.MustCompile("(?m)^\\| `prepbot: ([^`]+)`").FindAllStringSubmatch(table, -1)
	if len(quotes) < 5 {
		t.Fatalf("found %d quoted prepbot: lines in the troubleshooting table; want the configuration, token and database errors", len(quotes))
	}

	// What prepbot prints, in the situations the table describes. The
	// table shows the image's path, /data/prepbot.db.
	dir := t.TempDir()
	db := filepath.Join(dir, "prepbot.db")
	fake := newFakeB(t)
	base := map[string]string{"SLACK_APP_TOKEN": fake.AppToken(), "SLACK_BOT_TOKEN": fake.BotToken(), "SLACK_API_URL": fake.APIURL(), "PREPBOT_DB": db, "PREPBOT_HTTP_ADDR": "off"}
	with := func(change map[string]string) map[string]string {
		env := map[string]string{}
		for k, v := range base {
			env[k] = v
		}
		for k, v := range change {
			env[k] = v
		}
		return env
	}
	var printed []string
	say := func(env map[string]string) {
		t.Helper()
		errc := make(chan error, 1)
		go func() {
			errc <- run(context.Background(), []string{"run"}, func(k string) string { return env[k] }, nil, &bytes.Buffer{}, &bytes.Buffer{})
		}()
		select {
		case err := <-errc:
			var out bytes.Buffer
			exitCode(err, &out)
			printed = append(printed, strings.ReplaceAll(strings.TrimSpace(out.String()), db, "/data/prepbot.db"))
		case <-time.After(patience):
			t.Fatalf("prepbot run with %v did not exit", env)
		}
	}
	say(with(map[string]string{"SLACK_APP_TOKEN": ""}))
	say(with(map[string]string{"SLACK_BOT_TOKEN": secretApp}))
	say(with(map[string]string{"SLACK_BOT_TOKEN": "xoxb-wrong-but-well-formed"}))
	say(with(map[string]string{"SLACK_APP_TOKEN": "xapp-1-wrong-but-well-formed"}))
	holder, err := store.Open(db, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	say(base)
	holder.Close()
	// Tests run as root here, whom no file mode stops: the store's error for
	// a file it may not write, as prepbot reports it.
	denied := fmt.Errorf("cannot open %s for writing: %w", db, &fs.PathError{Op: "open", Path: db, Err: syscall.EACCES})
	var out bytes.Buffer
	exitCode(dbError("PREPBOT_DB", db, denied), &out)
	printed = append(printed, strings.ReplaceAll(strings.TrimSpace(out.String()), db, "/data/prepbot.db"))

	for _, q := range quotes {
		quote := "prepbot: " + q[1]
		found := false
		for _, p := range printed {
			found = found || p == quote
		}
		if !found {
			t.Errorf("docs/DEPLOY.md quotes %q, which prepbot does not print; it prints:\n%s", quote, strings.Join(printed, "\n"))
		}
	}
}
