package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/prepbot/prepbot/bot/insights"
	"github.com/prepbot/prepbot/bot/render"
	"github.com/prepbot/prepbot/questions"
	"github.com/prepbot/prepbot/store"
)

// runInsights runs "prepbot insights --channel C [--db FILE] [--csv]": what
// /prep insights shows a cohort's admins, for a spreadsheet. It reads a
// consistent copy of the database (through the running bot's control
// socket when there is one), so it works while the bot runs.
func runInsights(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	fs := newFlagSet("insights", "prepbot insights --channel CHANNEL_ID [--db FILE] [--csv] [--zone ZONE]", stdout)
	dbFlag := fs.String("db", "", "database (default "+dbDefaultHelp+")")
	channel := fs.String("channel", "", "the cohort channel's ID (C…)")
	asCSV := fs.Bool("csv", false, "CSV for a spreadsheet instead of text")
	zone := fs.String("zone", "", "zone of the weeks (default: the channel's schedule zone, else $PREPBOT_TIMEZONE or UTC)")
	if done, err := parseArgs(fs, args, 0, 0); done || err != nil {
		return err
	}
	if *channel == "" {
		return usageErrorf("insights: --channel is required (the cohort channel's ID, such as C0123ABCD)")
	}
	dbPath, _, err := resolveDB(*dbFlag, getenv)
	if err != nil {
		return err
	}
	if _, err := os.Stat(dbPath); err != nil {
		return fmt.Errorf("insights: database %s: %w", dbPath, err)
	}
	dir, err := os.MkdirTemp("", "prepbot-insights-")
	if err != nil {
		return fmt.Errorf("insights: %w", err)
	}
	defer os.RemoveAll(dir)
	copyPath := filepath.Join(dir, "copy.db")
	if _, _, err := backupTo(ctx, dbPath, copyPath); err != nil {
		return fmt.Errorf("insights: copy the database: %w", err)
	}
	db, err := store.Open(copyPath, store.Options{ReadOnly: true, LockTimeout: time.Second})
	if err != nil {
		return fmt.Errorf("insights: %w", err)
	}
	defer db.Close()

	byID := map[string]questions.Question{}
	stored, err := storeBank(db, true)
	if err != nil {
		return fmt.Errorf("insights: %w", err)
	}
	for _, q := range stored {
		byID[q.ID] = q
	}
	if len(byID) == 0 { // a database the bot never started on
		if b, err := questions.Default(); err == nil {
			for _, q := range b.All() {
				byID[q.ID] = q
			}
		}
	}
	lookup := func(id string) (questions.Question, bool) { q, ok := byID[id]; return q, ok }

	locName := orDefault(*zone, orDefault(getenv("PREPBOT_TIMEZONE"), "UTC"))
	if s, err := db.Schedule(*channel); err == nil && *zone == "" {
		locName = s.Zone
	}
	loc, err := time.LoadLocation(locName)
	if err != nil {
		return usageErrorf("insights: %q is not a time zone", locName)
	}
	r, err := insights.Build(db, lookup, strings.ToUpper(*channel), time.Now(), loc)
	if err != nil {
		return fmt.Errorf("insights: %w", err)
	}
	name := func(user string) string { return user } // the file holds IDs, not names
	if *asCSV {
		return insights.WriteCSV(stdout, r, name)
	}
	if r.Members == 0 {
		fmt.Fprintf(stdout, "Nobody has answered a question of the day in %s yet.\n", *channel)
		return nil
	}
	_, err = fmt.Fprintln(stdout, render.Insights(r, name))
	return err
}
