package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/prepbot/prepbot/store"
)

const (
	secretApp = "xapp-1-SECRET-app-token-value"
	secretBot = "xoxb-SECRET-bot-token-value"
)

func TestRunRejectsBadConfiguration(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	good := map[string]string{"SLACK_APP_TOKEN": secretApp, "SLACK_BOT_TOKEN": secretBot, "PREPBOT_DB": filepath.Join(dir, "x.db")}
	tests := []struct {
		name   string
		change map[string]string
		want   string
	}{
		{"no app token", map[string]string{"SLACK_APP_TOKEN": ""}, "SLACK_APP_TOKEN is not set"},
		{"app token is a bot token", map[string]string{"SLACK_APP_TOKEN": secretBot}, "SLACK_APP_TOKEN is malformed"},
		{"no bot token", map[string]string{"SLACK_BOT_TOKEN": ""}, "SLACK_BOT_TOKEN is not set"},
		{"bot token with space", map[string]string{"SLACK_BOT_TOKEN": "xoxb-abc def ghij"}, "SLACK_BOT_TOKEN is malformed"},
		{"bad zone", map[string]string{"PREPBOT_TIMEZONE": "Mars/Olympus"}, "PREPBOT_TIMEZONE"},
		{"bad address", map[string]string{"PREPBOT_HTTP_ADDR": "eighty"}, "PREPBOT_HTTP_ADDR"},
		{"bad port", map[string]string{"PREPBOT_HTTP_ADDR": ":99999"}, "PREPBOT_HTTP_ADDR"},
		{"bad admin", map[string]string{"PREPBOT_ADMINS": "U123,@bob"}, "PREPBOT_ADMINS"},
		{"bad api url", map[string]string{"SLACK_API_URL": "ftp://x"}, "SLACK_API_URL"},
		{"bad log level", map[string]string{"PREPBOT_LOG_LEVEL": "loud"}, "PREPBOT_LOG_LEVEL"},
		{"bad log format", map[string]string{"PREPBOT_LOG_FORMAT": "xml"}, "PREPBOT_LOG_FORMAT"},
		{"database is a directory", map[string]string{"PREPBOT_DB": dir}, "PREPBOT_DB"},
		{"database in missing folder", map[string]string{"PREPBOT_DB": filepath.Join(dir, "nope", "x.db")}, "PREPBOT_DB"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := map[string]string{}
			for k, v := range good {
				env[k] = v
			}
			for k, v := range tt.change {
				env[k] = v
			}
			var stdout, stderr bytes.Buffer
			err := run(context.Background(), []string{"run"}, func(k string) string { return env[k] }, nil, &stdout, &stderr)
			if err == nil {
				t.Fatalf("run succeeded; want an error mentioning %q", tt.want)
			}
			var out bytes.Buffer
			code := exitCode(err, &out)
			all := out.String() + stdout.String() + stderr.String()
			if code != 1 || !strings.Contains(all, tt.want) {
				t.Errorf("exit %d, output %q; want exit 1 naming %q", code, all, tt.want)
			}
			if n := strings.Count(strings.TrimSpace(out.String()), "\n"); n != 0 {
				t.Errorf("error is %d lines; want one: %q", n+1, out.String())
			}
			for _, secret := range []string{secretApp, secretBot, "SECRET"} {
				if strings.Contains(all, secret) {
					t.Errorf("output contains a token: %q", all)
				}
			}
		})
	}
}

func TestRunFailsFastOnLockedDatabase(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "held.db")
	holder, err := store.Open(path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer holder.Close()
	env := map[string]string{"SLACK_APP_TOKEN": secretApp, "SLACK_BOT_TOKEN": secretBot, "PREPBOT_DB": path}
	errc := make(chan error, 1)
	go func() {
		errc <- run(context.Background(), []string{"run"}, func(k string) string { return env[k] }, nil, &bytes.Buffer{}, &bytes.Buffer{})
	}()
	select {
	case err := <-errc:
		if err == nil || !strings.Contains(err.Error(), "in use by another process") || !strings.Contains(err.Error(), "PREPBOT_DB") {
			t.Errorf("run on a held database = %v; want PREPBOT_DB ... in use by another process", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("run hangs on a held database")
	}
}

func TestRunRejectsForeignDatabase(t *testing.T) {
	t.Parallel()
	for name, content := range map[string][]byte{
		"text file": []byte("name,score\nada,10\n"),
		"zeros":     make([]byte, 64<<10),
		"truncated": func() []byte { return bytes.Repeat([]byte{0xde, 0xad}, 3000) }(),
	} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "foreign.db")
			if err := os.WriteFile(path, content, 0o600); err != nil {
				t.Fatal(err)
			}
			env := map[string]string{"SLACK_APP_TOKEN": secretApp, "SLACK_BOT_TOKEN": secretBot, "PREPBOT_DB": path}
			err := run(context.Background(), []string{"run"}, func(k string) string { return env[k] }, nil, &bytes.Buffer{}, &bytes.Buffer{})
			if err == nil || !strings.Contains(err.Error(), "not a prepbot database") {
				t.Errorf("run on %s = %v; want 'not a prepbot database'", name, err)
			}
			got, _ := os.ReadFile(path)
			if !bytes.Equal(got, content) {
				t.Errorf("the foreign file was modified")
			}
		})
	}
}

func TestCommandLine(t *testing.T) {
	t.Parallel()
	tests := []struct {
		args []string
		code int
		out  string
	}{
		{[]string{"version"}, 0, "prepbot "},
		{[]string{"help"}, 0, "Usage:"},
		{[]string{"run", "-h"}, 0, "-http-addr"},
		{[]string{"backup", "-h"}, 0, "prepbot backup"},
		{[]string{}, 2, "Usage:"},
		{[]string{"frobnicate"}, 2, "unknown command"},
		{[]string{"run", "--no-such-flag"}, 2, "no-such-flag"},
		{[]string{"run", "extra"}, 2, "no arguments"},
		{[]string{"backup"}, 2, "exactly one"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			err := run(context.Background(), tt.args, func(string) string { return "" }, nil, &stdout, &stderr)
			code := exitCode(err, &stderr)
			if code != tt.code || !strings.Contains(stdout.String()+stderr.String(), tt.out) {
				t.Errorf("prepbot %v: exit %d, output %q; want exit %d containing %q", tt.args, code, stdout.String()+stderr.String(), tt.code, tt.out)
			}
		})
	}
}

func TestExtraQuestionsFolder(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	answer := strings.Repeat("Sharding splits one logical table across several databases by a key, so each holds part of the rows. ", 4)
	bank := "# Extra\n\n## How would you shard a multi-tenant database?\n\nid: databases/shard-multi-tenant | difficulty: hard\n\n" + answer +
		"\n\n### Key points\n\n- pick the tenant as the key\n- plan for rebalancing\n"
	if err := os.WriteFile(filepath.Join(dir, "extra.md"), []byte(bank), 0o644); err != nil {
		t.Fatal(err)
	}
	fake := newFake(t)
	h := newHarnessEnv(t, fake, filepath.Join(t.TempDir(), "prepbot.db"), map[string]string{"PREPBOT_QUESTIONS": dir})
	fake.SlashCommand("U1", "C1", "answer databases/shard-multi-tenant")
	waitFor(t, fake, "answer", func() bool { return len(fake.Responses()) == 1 })
	if got := fmt.Sprint(fake.Responses()[0].Body); !strings.Contains(got, "shard a multi-tenant database") {
		t.Errorf("answer to the extra question = %s", got)
	}
	h.stop()

	// A broken folder stops the bot at once with file:line.
	if err := os.WriteFile(filepath.Join(dir, "broken.md"), []byte("# B\n\n## Broken?\n\nid: nope | difficulty: weird\n\ntoo short\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"SLACK_APP_TOKEN": secretApp, "SLACK_BOT_TOKEN": secretBot, "PREPBOT_DB": filepath.Join(t.TempDir(), "x.db"), "PREPBOT_QUESTIONS": dir}
	err := run(context.Background(), []string{"run"}, func(k string) string { return env[k] }, nil, &bytes.Buffer{}, &bytes.Buffer{})
	if err == nil || !strings.Contains(err.Error(), "PREPBOT_QUESTIONS") || !strings.Contains(err.Error(), "broken.md:3") {
		t.Errorf("run with a broken bank folder = %v; want PREPBOT_QUESTIONS and broken.md:3", err)
	}
}

func TestRefusedTokensAreNamed(t *testing.T) {
	t.Parallel()
	fake := newFakeB(t)
	for _, tt := range []struct {
		name, app, bot, want string
	}{
		{"wrong bot token", fake.AppToken(), "xoxb-wrong-but-well-formed", "Slack refused SLACK_BOT_TOKEN (invalid_auth)"},
		{"wrong app token", "xapp-1-wrong-but-well-formed", fake.BotToken(), "Slack refused SLACK_APP_TOKEN (invalid_auth)"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			env := map[string]string{"SLACK_APP_TOKEN": tt.app, "SLACK_BOT_TOKEN": tt.bot, "SLACK_API_URL": fake.APIURL(),
				"PREPBOT_DB": filepath.Join(t.TempDir(), "x.db"), "PREPBOT_HTTP_ADDR": "off"}
			var stderr bytes.Buffer
			errc := make(chan error, 1)
			go func() {
				errc <- run(context.Background(), []string{"run"}, func(k string) string { return env[k] }, nil, &bytes.Buffer{}, &stderr)
			}()
			select {
			case err := <-errc:
				if err == nil || !strings.Contains(err.Error(), tt.want) {
					t.Errorf("run = %v; want %q", err, tt.want)
				}
				if strings.Contains(stderr.String()+fmt.Sprint(err), "wrong-but-well-formed") {
					t.Errorf("a token reached the output")
				}
			case <-time.After(patience):
				t.Fatal("run keeps going with a refused token")
			}
		})
	}
}
