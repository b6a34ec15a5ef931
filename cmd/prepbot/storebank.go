package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"text/tabwriter"
	"time"

	"github.com/prepbot/prepbot/internal/control"
	"github.com/prepbot/prepbot/questions"
	"github.com/prepbot/prepbot/store"
)

// storeBank returns the live questions in the store's bank, and retired
// ones too when withRetired (old posts still refer to them).
func storeBank(db *store.DB, withRetired bool) ([]questions.Question, error) {
	recs, err := db.Questions()
	if err != nil {
		return nil, err
	}
	var out []questions.Question
	for _, r := range recs {
		if r.Retired && !withRetired {
			continue
		}
		q, err := questions.Unmarshal(r.Data)
		if err != nil {
			return nil, fmt.Errorf("stored question %s: %w", r.ID, err)
		}
		out = append(out, q)
	}
	return out, nil
}

// exportJSON is what the control socket's /export serves: bank files by
// path.
func exportJSON(db *store.DB) func(w io.Writer) error {
	return func(w io.Writer) error {
		qs, err := storeBank(db, false)
		if err != nil {
			return err
		}
		return json.NewEncoder(w).Encode(questions.Format(qs))
	}
}

// reportsJSON is what the control socket's /reports serves.
func reportsJSON(db *store.DB) func(w io.Writer) error {
	return func(w io.Writer) error {
		rs, err := db.Reports()
		if err != nil {
			return err
		}
		return json.NewEncoder(w).Encode(rs)
	}
}

// fromStore runs get against the running bot's control socket, or, when no
// bot runs, against the database file opened read-only.
func fromStore(dbPath, path string, direct func(db *store.DB) func(io.Writer) error) ([]byte, error) {
	var buf bytes.Buffer
	sock := control.SocketPath(dbPath)
	if _, err := os.Stat(sock); err == nil {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		if _, err := control.Get(ctx, sock, path, &buf); err == nil {
			return buf.Bytes(), nil
		}
		buf.Reset()
	}
	if _, err := os.Stat(dbPath); err != nil {
		return nil, fmt.Errorf("database %s: %w", dbPath, err)
	}
	db, err := store.Open(dbPath, store.Options{ReadOnly: true, LockTimeout: 2 * time.Second})
	if err != nil {
		return nil, err
	}
	defer db.Close()
	if err := direct(db)(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func questionsExport(args []string, getenv func(string) string, stdout io.Writer) error {
	fs := newFlagSet("questions export", "prepbot questions export [--db FILE] DIR", stdout)
	dbFlag := fs.String("db", "", "database (default "+dbDefaultHelp+")")
	if done, err := parseArgs(fs, args, 1, 1); done || err != nil {
		return err
	}
	dir := fs.Arg(0)
	dbPath, _, err := resolveDB(*dbFlag, getenv)
	if err != nil {
		return err
	}
	raw, err := fromStore(dbPath, "/export", exportJSON)
	if err != nil {
		return fmt.Errorf("questions export: %w", err)
	}
	var files map[string][]byte
	if err := json.Unmarshal(raw, &files); err != nil {
		return fmt.Errorf("questions export: %w", err)
	}
	n := 0
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(p, content, 0o644); err != nil {
			return err
		}
		n++
	}
	fmt.Fprintf(stdout, "wrote %d bank files to %s\n", n, dir)
	return nil
}

func questionsReports(args []string, getenv func(string) string, stdout io.Writer) error {
	fs := newFlagSet("questions reports", "prepbot questions reports [--db FILE]", stdout)
	dbFlag := fs.String("db", "", "database (default "+dbDefaultHelp+")")
	if done, err := parseArgs(fs, args, 0, 0); done || err != nil {
		return err
	}
	dbPath, _, err := resolveDB(*dbFlag, getenv)
	if err != nil {
		return err
	}
	raw, err := fromStore(dbPath, "/reports", reportsJSON)
	if err != nil {
		return fmt.Errorf("questions reports: %w", err)
	}
	var rs []store.Report
	if err := json.Unmarshal(raw, &rs); err != nil {
		return fmt.Errorf("questions reports: %w", err)
	}
	if len(rs) == 0 {
		fmt.Fprintln(stdout, "no reports")
		return nil
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "WHEN\tQUESTION\tUSER\tREPORT")
	for _, r := range rs {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%q\n", r.At.UTC().Format("2006-01-02 15:04"), r.QuestionID, r.User, r.Text)
	}
	return tw.Flush()
}
