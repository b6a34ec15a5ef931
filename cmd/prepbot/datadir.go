package main

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// dbDefaultHelp describes, in flag help, where the database is when
// neither --db nor PREPBOT_DB says.
const dbDefaultHelp = "$PREPBOT_DB, else $XDG_DATA_HOME/prepbot/prepbot.db, else ~/.local/share/prepbot/prepbot.db"

// resolveDB returns the database every command uses: flag when set, else
// $PREPBOT_DB, else prepbot.db in the user's data directory
// ($XDG_DATA_HOME/prepbot, else ~/.local/share/prepbot). The default is
// outside the working tree so that running prepbot from a clone leaves no
// user data beside the code; the image sets PREPBOT_DB=/data/prepbot.db.
// name is what to call the path in errors: the flag's name, the variable's,
// or "database".
func resolveDB(flag string, getenv func(string) string) (path, name string, err error) {
	if v := orDefault(flag, ""); v != "" {
		return v, "--db", nil
	}
	if v := orDefault(getenv("PREPBOT_DB"), ""); v != "" {
		return v, "PREPBOT_DB", nil
	}
	dir := orDefault(getenv("XDG_DATA_HOME"), "")
	if dir == "" || !filepath.IsAbs(dir) { // the XDG spec says to ignore a relative value
		home := orDefault(getenv("HOME"), "")
		if home == "" {
			return "", "", errors.New("PREPBOT_DB is not set and there is no HOME for the default ~/.local/share/prepbot/prepbot.db: set PREPBOT_DB or --db")
		}
		dir = filepath.Join(home, ".local", "share")
	}
	return filepath.Join(dir, "prepbot", "prepbot.db"), "database", nil
}

// ensureDataDir creates the default database's folder, private to the user
// (0700: it holds everyone's answers), when it does not exist yet. A path
// chosen with --db or PREPBOT_DB is the operator's: its folder must exist.
func ensureDataDir(path, name string) error {
	if name != "database" {
		return nil
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return dbError(name, path, err)
	}
	return nil
}

// dbError reports a failure to open the database at path under name (the
// flag or variable that chose it), naming the path once: the store's
// message names it, and so does the *fs.PathError it wraps ("open X: open
// X: no such file or directory").
func dbError(name, path string, err error) error {
	msg := err.Error()
	var pe *fs.PathError
	if errors.As(err, &pe) {
		inner := pe.Error()
		if i := strings.Index(msg, inner); i >= 0 && strings.Contains(msg[:i], pe.Path) {
			msg = msg[:i] + pe.Err.Error() + msg[i+len(inner):]
		}
	}
	return &namedError{msg: name + ": " + msg, err: err}
}

// namedError is an error with a rewritten message that still unwraps to
// its cause.
type namedError struct {
	msg string
	err error
}

func (e *namedError) Error() string { return e.msg }
func (e *namedError) Unwrap() error { return e.err }
