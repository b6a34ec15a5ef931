package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/prepbot/prepbot/internal/control"
	"github.com/prepbot/prepbot/store"
)

func runBackup(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := newFlagSet("backup", "prepbot backup [--db FILE] OUTPUT", stdout)
	dbFlag := fs.String("db", "", "database to copy (default "+dbDefaultHelp+")")
	if err := parseFlags(fs, args); err != nil {
		if err == errHelp {
			return nil
		}
		return err
	}
	if fs.NArg() != 1 {
		return usageErrorf("backup needs exactly one OUTPUT file")
	}
	out := fs.Arg(0)
	dbPath, _, err := resolveDB(*dbFlag, getenv)
	if err != nil {
		return err
	}
	if same(out, dbPath) {
		return usageErrorf("backup: OUTPUT must not be the database itself")
	}
	if _, err := os.Stat(dbPath); err != nil {
		return fmt.Errorf("backup: database %s: %w", dbPath, err)
	}
	n, how, err := backupTo(ctx, dbPath, out)
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	fmt.Fprintf(stdout, "wrote %s (%d bytes, %s)\n", out, n, how)
	return nil
}

// backupTo copies the database at dbPath into out, atomically: through the
// running bot's control socket when one answers, else straight from the
// file.
func backupTo(ctx context.Context, dbPath, out string) (int64, string, error) {
	tmp, err := os.CreateTemp(filepath.Dir(out), ".prepbot-backup-*")
	if err != nil {
		// The temporary file is ours, not the user's: name what they asked for.
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return 0, "", fmt.Errorf("write %s: %w", out, err)
	}
	defer os.Remove(tmp.Name())
	defer tmp.Close()

	n, how, err := copyDB(ctx, dbPath, tmp)
	if err != nil {
		return 0, "", err
	}
	if err := tmp.Sync(); err != nil {
		return 0, "", fmt.Errorf("sync %s: %w", out, err)
	}
	if err := tmp.Close(); err != nil {
		return 0, "", err
	}
	if err := os.Rename(tmp.Name(), out); err != nil {
		return 0, "", fmt.Errorf("write %s: %w", out, err)
	}
	// The copy is a prepbot database: check it opens cleanly.
	db, err := store.Open(out, store.Options{ReadOnly: true, LockTimeout: time.Second})
	if err != nil {
		return 0, "", fmt.Errorf("the copy does not open: %w", err)
	}
	defer db.Close()
	if err := db.Check(); err != nil {
		return 0, "", fmt.Errorf("the copy fails its check: %w", err)
	}
	return n, how, nil
}

func copyDB(ctx context.Context, dbPath string, w io.Writer) (int64, string, error) {
	sock := control.SocketPath(dbPath)
	if _, err := os.Stat(sock); err == nil {
		cctx, cancel := context.WithTimeout(ctx, 5*time.Minute)
		defer cancel()
		n, err := control.Get(cctx, sock, "/backup", w)
		if err == nil {
			return n, "from the running bot", nil
		}
		if n > 0 {
			return 0, "", err
		}
		// A socket nobody answers is left from a crash: read the file.
	}
	db, err := store.Open(dbPath, store.Options{ReadOnly: true, LockTimeout: 2 * time.Second})
	if err != nil {
		return 0, "", err
	}
	defer db.Close()
	n, err := db.Backup(w)
	if err != nil {
		return 0, "", err
	}
	return n, "from the file", nil
}

func same(a, b string) bool {
	ai, err1 := os.Stat(a)
	bi, err2 := os.Stat(b)
	if err1 != nil || err2 != nil {
		aa, _ := filepath.Abs(a)
		bb, _ := filepath.Abs(b)
		return aa == bb
	}
	return os.SameFile(ai, bi)
}
