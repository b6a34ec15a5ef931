package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/prepbot/prepbot/internal/playground"
)

// defaultPlaygroundAddr is where the playground listens unless told
// otherwise: loopback only, since the page drives the bot without asking
// who is there.
const defaultPlaygroundAddr = "127.0.0.1:8090"

// runPlayground runs the real bot against the Slack fake with a web page to
// use it, until ctx is done.
func runPlayground(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := newFlagSet("playground", "prepbot playground [--addr A] [--db F]", stdout)
	addrFlag := fs.String("addr", defaultPlaygroundAddr, "address for the page (a loopback address: 127.0.0.1, ::1 or localhost)")
	dbFlag := fs.String("db", "", "bbolt database file to keep the playground in across restarts (default: a temporary file, deleted on exit)")
	if err := parseFlags(fs, args); err != nil {
		if err == errHelp {
			return nil
		}
		return err
	}
	if fs.NArg() > 0 {
		return usageErrorf("playground takes no arguments, got %q", fs.Arg(0))
	}
	if err := checkLoopback(*addrFlag); err != nil {
		return err
	}
	zone, err := loadZone(orDefault(getenv("PREPBOT_TIMEZONE"), "UTC"))
	if err != nil {
		return fmt.Errorf("PREPBOT_TIMEZONE: %w", err)
	}
	bank, err := loadBank(getenv("PREPBOT_QUESTIONS"))
	if err != nil {
		return err
	}
	log, err := newLogger(getenv, stderr)
	if err != nil {
		return err
	}

	dbPath := *dbFlag
	if dbPath == "" {
		dir, err := os.MkdirTemp("", "prepbot-playground-")
		if err != nil {
			return fmt.Errorf("playground: temporary database: %w", err)
		}
		defer os.RemoveAll(dir)
		dbPath = filepath.Join(dir, "playground.db")
	}

	// Listen first: a busy port is reported before anything starts.
	ln, err := net.Listen("tcp", *addrFlag)
	if err != nil {
		return fmt.Errorf("playground: listen on %s: %w", *addrFlag, err)
	}
	defer ln.Close()

	pg, err := playground.Start(ctx, playground.Options{DBPath: dbPath, Bank: bank, Zone: zone, Logger: log})
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: pg.Handler(), ReadHeaderTimeout: 5 * time.Second}
	// Event streams never go idle on their own: end them when shutdown starts.
	srv.RegisterOnShutdown(pg.EndStreams)
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()

	url := "http://" + ln.Addr().String() + "/"
	fmt.Fprintf(stdout, "prepbot playground: open %s\n", url)
	if *dbFlag == "" {
		log.Info("playground data is temporary; use --db FILE to keep it across restarts")
	} else {
		log.Info("playground data is kept in " + dbPath)
	}
	if ready := testHooksFrom(ctx).playground; ready != nil {
		ready(url)
	}

	var runErr error
	select {
	case <-ctx.Done():
	case <-pg.Done():
		runErr = pg.Err()
		if runErr == nil {
			runErr = errors.New("playground: the bot stopped")
		}
	case err := <-served:
		runErr = fmt.Errorf("playground: serve: %w", err)
	}
	// The page first, so that no request reaches a stopped bot; then the
	// bot, the store and the fake.
	sctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		srv.Close()
	}
	closeErr := pg.Close()
	log.Info("playground stopped")
	if runErr != nil {
		return runErr
	}
	return closeErr
}

// checkLoopback accepts host:port addresses on this machine only.
func checkLoopback(addr string) error {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return usageErrorf("--addr: %q is not host:port (example %s)", addr, defaultPlaygroundAddr)
	}
	if p, err := net.LookupPort("tcp", port); err != nil || p < 0 || p > 65535 {
		return usageErrorf("--addr: %q has a bad port", addr)
	}
	if host == "localhost" {
		return nil
	}
	if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
		return usageErrorf("--addr: %q is not a loopback address: the playground has no login, so it listens on 127.0.0.1, ::1 or localhost only", addr)
	}
	return nil
}
