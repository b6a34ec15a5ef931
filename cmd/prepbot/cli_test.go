package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// runArgs runs prepbot with args and env, returning what it printed (the
// exit message included) and its exit status.
func runArgs(t *testing.T, env map[string]string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errOut bytes.Buffer
	err := run(context.Background(), args, func(k string) string { return env[k] }, nil, &out, &errOut)
	code = exitCode(err, &errOut)
	return out.String(), errOut.String(), code
}

func TestHelpPrintsUsageOnce(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{
		{"run", "-h"}, {"backup", "-h"}, {"playground", "-h"}, {"insights", "-h"},
		{"questions", "lint", "-h"}, {"questions", "list", "-h"}, {"questions", "show", "-h"},
		{"questions", "feedback", "-h"}, {"questions", "topics", "-h"},
		{"questions", "export", "-h"}, {"questions", "reports", "--help"},
	} {
		stdout, stderr, code := runArgs(t, nil, args...)
		if n := strings.Count(stdout, "Usage:"); code != 0 || n != 1 || stderr != "" {
			t.Errorf("prepbot %v: exit %d, %d usages on stdout, stderr %q; want exit 0, one usage, no stderr:\n%s", args, code, n, stderr, stdout)
		}
	}
}

func TestBadFlagsAreNamedAndPathsNotRepeated(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	env := map[string]string{"SLACK_APP_TOKEN": secretApp, "SLACK_BOT_TOKEN": secretBot, "PREPBOT_DB": filepath.Join(dir, "env.db")}
	missing := filepath.Join(dir, "nope", "x.db")
	tests := []struct {
		name   string
		args   []string
		want   string
		reject []string
	}{
		{"db in a missing folder", []string{"run", "--db", missing}, "--db: open " + missing + ": no such file or directory", []string{"PREPBOT_DB"}},
		{"db is a folder", []string{"run", "--db", dir}, "--db: open " + dir + ": is a directory", []string{"PREPBOT_DB"}},
		{"bad http address", []string{"run", "--http-addr", "eighty"}, `--http-addr: "eighty" is not host:port`, []string{"PREPBOT_HTTP_ADDR"}},
		{"busy http address", []string{"run", "--db", filepath.Join(dir, "busy.db"), "--http-addr", busyAddr(t)}, "--http-addr: listen tcp", []string{"PREPBOT_HTTP_ADDR"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, stderr, code := runArgs(t, env, tt.args...)
			if code == 0 || !strings.Contains(stderr, tt.want) {
				t.Errorf("prepbot %v: exit %d, %q; want an error containing %q", tt.args, code, stderr, tt.want)
			}
			for _, r := range tt.reject {
				if strings.Contains(stderr, r) {
					t.Errorf("prepbot %v: %q names %s, which the flag overrode", tt.args, stderr, r)
				}
			}
			if strings.Count(stderr, "open ") > 1 {
				t.Errorf("prepbot %v: %q repeats the path", tt.args, stderr)
			}
		})
	}
	// The variable, when it is what chose the path, is named.
	_, stderr, _ := runArgs(t, map[string]string{"SLACK_APP_TOKEN": secretApp, "SLACK_BOT_TOKEN": secretBot, "PREPBOT_DB": missing}, "run")
	if want := "PREPBOT_DB: open " + missing + ": no such file or directory"; !strings.Contains(stderr, want) {
		t.Errorf("run with PREPBOT_DB in a missing folder: %q; want %q", stderr, want)
	}
}

// busyAddr returns an address some listener holds until the test ends.
func busyAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	return ln.Addr().String()
}

func TestBackupToMissingFolderNamesTheTarget(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	db := filepath.Join(dir, "prepbot.db")
	seedPost(t, db, "C1", "1.1") // any valid database
	out := filepath.Join(dir, "nonexistent", "x.db")
	_, stderr, code := runArgs(t, map[string]string{"PREPBOT_DB": db}, "backup", out)
	if want := "write " + out + ": no such file or directory"; code != 1 || !strings.Contains(stderr, want) {
		t.Errorf("backup %s: exit %d, %q; want exit 1 and %q", out, code, stderr, want)
	}
	if strings.Contains(stderr, ".prepbot-backup-") {
		t.Errorf("backup %s: %q names the temporary file", out, stderr)
	}
}

func TestLintEmptyFolderIsAnError(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	stdout, stderr, code := runArgs(t, nil, "questions", "lint", dir)
	if want := "no questions found in " + dir; code != 1 || !strings.Contains(stderr, want) || strings.Contains(stdout, "ok:") {
		t.Errorf("lint of an empty folder: exit %d, stdout %q, stderr %q; want exit 1 and %q", code, stdout, stderr, want)
	}
}

func TestLintReportsBinaryMarkdown(t *testing.T) {
	t.Parallel()
	for name, content := range map[string]string{
		"nul":  "# Bank\n\nsome text\n\x00\x01\x02\n",
		"utf8": "# Bank\n\n\xff\xfe binary\n",
	} {
		t.Run(name, func(t *testing.T) {
			dir := writeBank(t, map[string]string{
				"backend/apis.md": "# APIs\n\n" + bankQuestion("apis/rest", "What is REST?"),
				"backend/blob.md": content,
			})
			stdout, _, code := runArgs(t, nil, "questions", "lint", dir)
			line := map[string]string{"nul": ":4:", "utf8": ":3:"}[name]
			want := filepath.Join(dir, "backend", "blob.md") + line
			if code != 1 || !strings.Contains(stdout, want) || !strings.Contains(stdout, "not a text file") {
				t.Errorf("lint with a binary .md: exit %d, %q; want exit 1 and %q ... not a text file", code, stdout, want)
			}
		})
	}
}

func TestDefaultDatabaseIsInTheUserDataFolder(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name string
		env  map[string]string
		want string
	}{
		{"XDG_DATA_HOME", map[string]string{"XDG_DATA_HOME": "/x/data", "HOME": "/home/ada"}, "/x/data/prepbot/prepbot.db"},
		{"HOME", map[string]string{"HOME": "/home/ada"}, "/home/ada/.local/share/prepbot/prepbot.db"},
		{"relative XDG_DATA_HOME is ignored", map[string]string{"XDG_DATA_HOME": "data", "HOME": "/home/ada"}, "/home/ada/.local/share/prepbot/prepbot.db"},
		{"PREPBOT_DB wins", map[string]string{"PREPBOT_DB": "/data/prepbot.db", "HOME": "/home/ada"}, "/data/prepbot.db"},
	} {
		got, _, err := resolveDB("", func(k string) string { return tt.env[k] })
		if err != nil || got != tt.want {
			t.Errorf("%s: resolveDB = %q, %v; want %q", tt.name, got, err, tt.want)
		}
	}
	if _, _, err := resolveDB("", func(string) string { return "" }); err == nil || !strings.Contains(err.Error(), "PREPBOT_DB") {
		t.Errorf("resolveDB without HOME = %v; want an error asking for PREPBOT_DB", err)
	}

	// run creates it there, private; backup, questions export and reports
	// and insights find it there.
	fake := newFake(t)
	data := filepath.Join(t.TempDir(), "xdg")
	h := newHarnessEnv(t, fake, "", map[string]string{"PREPBOT_DB": "", "XDG_DATA_HOME": data})
	h.stop()
	db := filepath.Join(data, "prepbot", "prepbot.db")
	if _, err := os.Stat(db); err != nil {
		t.Fatalf("run without PREPBOT_DB: %v", err)
	}
	if fi, err := os.Stat(filepath.Dir(db)); err != nil || fi.Mode().Perm() != 0o700 {
		t.Errorf("data folder: %v, %v; want mode 0700", fi.Mode().Perm(), err)
	}
	env := map[string]string{"XDG_DATA_HOME": data}
	out := t.TempDir()
	for _, args := range [][]string{
		{"backup", filepath.Join(out, "copy.db")},
		{"questions", "export", filepath.Join(out, "bank")},
		{"questions", "reports"},
		{"insights", "--channel", "C1"},
	} {
		if _, stderr, code := runArgs(t, env, args...); code != 0 {
			t.Errorf("prepbot %v with the default database: exit %d, %q", args, code, stderr)
		}
	}
}

func TestDBErrorNamesThePathOnce(t *testing.T) {
	t.Parallel()
	const p = "/data/prepbot.db"
	denied := &fs.PathError{Op: "open", Path: p, Err: fs.ErrPermission}
	for _, tt := range []struct {
		err  error
		want string
	}{
		{fmt.Errorf("open %s: %w", p, &fs.PathError{Op: "open", Path: p, Err: fs.ErrNotExist}), "--db: open /data/prepbot.db: file does not exist"},
		{fmt.Errorf("cannot open %s for writing: %w", p, denied), "--db: cannot open /data/prepbot.db for writing: permission denied"},
		{fmt.Errorf("%s is in use by another process (is prepbot already running?)", p), "--db: /data/prepbot.db is in use by another process (is prepbot already running?)"},
		{denied, "--db: open /data/prepbot.db: permission denied"},
	} {
		got := dbError("--db", p, tt.err)
		if got.Error() != tt.want {
			t.Errorf("dbError(%q) = %q; want %q", tt.err, got, tt.want)
		}
		if !errors.Is(got, tt.err) {
			t.Errorf("dbError(%q) does not wrap its cause", tt.err)
		}
	}
}
